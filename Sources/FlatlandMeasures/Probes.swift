import FlatlandCore

/// The random streams of the measures: one child of (seed, `.measure`) per measure, and one
/// grandchild per probe or restart, so probe i is the same vector whatever else was drawn and
/// the same seed gives the same numbers.
enum MeasureStream: Int {
  case lanczos = 1
  case powerIteration
  case hutchinson
  case hutchPlusPlus
  case density
  case averageSharpness
  case worstCaseSharpness
  case pacBayes
  case landscape
  case agentSample
  case gradientNoise

  /// The stream of draw `index` of this measure under `seed`.
  func stream(seed: UInt64, index: Int) -> RandomStream {
    RandomStream(seed: seed, purpose: .measure).split(rawValue).split(index)
  }
}

/// Seeded random vectors.
enum Probe {
  /// d independent ±1 entries (Rademacher): E[z zᵀ] = I with the least variance for zᵀHz.
  static func rademacher<T: FlatScalar>(_ d: Int, _ rng: inout RandomStream) -> [T] {
    (0..<d).map { _ in T(rng.rademacher()) }
  }

  /// d independent N(0, 1) entries.
  static func gaussian<T: FlatScalar>(_ d: Int, _ rng: inout RandomStream) -> [T] {
    (0..<d).map { _ in T(rng.normal()) }
  }
}
