import FlatlandCore

/// The largest relative difference between two sequences, |a − b| / max(|a|, |b|, floor),
/// reported by tests beside the tolerance so a failure says how far off it was.
public func maxRelativeError(_ a: [Double], _ b: [Double], floor: Double = 1e-8) -> Double {
  precondition(a.count == b.count, "length mismatch \(a.count) vs \(b.count)")
  var worst = 0.0
  for i in a.indices {
    let d = abs(a[i] - b[i]) / max(abs(a[i]), abs(b[i]), floor)
    worst = max(worst, d)
  }
  return worst
}

/// Relative difference of two scalars.
public func relativeError(_ a: Double, _ b: Double, floor: Double = 1e-12) -> Double {
  abs(a - b) / max(abs(a), abs(b), floor)
}

/// A deterministic vector of normal draws, for test inputs.
public func normalVector(_ n: Int, seed: UInt64, scale: Double = 1) -> [Double] {
  var rng = RandomStream(seed: seed, purpose: .measure)
  return (0..<n).map { _ in rng.normal() * scale }
}
