import RealModule

/// A seeded, splittable pseudo-random stream: xoshiro256** keyed by (seed, agent, purpose).
///
/// Every random draw in Flatland comes from a stream named by what it is for, so adding a
/// draw for one purpose never shifts another's sequence, and results never depend on how
/// agents are scheduled across threads: agent 3's mini-batches are the same whether one or
/// sixteen threads run the network. The key is hashed by SplitMix64 into the 256-bit state
/// (Vigna's recommended seeding), and `split(_:)` derives independent child streams.
public struct RandomStream: RandomNumberGenerator, Sendable {
  /// What a stream is used for; each purpose gets disjoint sequences.
  public enum Purpose: UInt64, Sendable, CaseIterable {
    case initialization = 1
    case partition
    case sampling
    case split
    case topology
    case perturbation
    case measure
    case noise
    case synthetic
    case stepNoise
  }

  private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
  /// The hashed key this stream was built from; children are derived from it.
  public let key: UInt64

  /// The stream for `purpose` of `agent` under `seed`.
  public init(seed: UInt64, agent: Int = 0, purpose: Purpose) {
    var k = RandomStream.mix(seed &+ 0x9E37_79B9_7F4A_7C15)
    k = RandomStream.mix(k ^ UInt64(truncatingIfNeeded: agent) &* 0xD1B5_4A32_D192_ED03)
    k = RandomStream.mix(k ^ purpose.rawValue &* 0x8CB9_2BA7_2F3D_8DD7)
    self.init(key: k)
  }

  private init(key: UInt64) {
    self.key = key
    var sm = key
    s0 = RandomStream.splitMix(&sm)
    s1 = RandomStream.splitMix(&sm)
    s2 = RandomStream.splitMix(&sm)
    s3 = RandomStream.splitMix(&sm)
  }

  /// An independent child stream, the same for the same parent key and `index`.
  public func split(_ index: Int) -> RandomStream {
    RandomStream(
      key: RandomStream.mix(key ^ RandomStream.mix(UInt64(truncatingIfNeeded: index) &+ 0x632B_E59B_D9B4_E019)))
  }

  // MARK: - Generator

  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  /// Uniform in [0, 1) with the full mantissa of `T`.
  @inlinable public mutating func uniform<T: BinaryFloatingPoint>() -> T {
    T(next() >> 11) * T(1.0 / 9_007_199_254_740_992.0)
  }

  /// Standard normal by the Box–Muller transform (one draw per call, no hidden cache, so a
  /// stream's state is fully described by its four words).
  @inlinable public mutating func normal() -> Double { normalPair().0 }

  /// Two independent standard normals from one Box–Muller transform, its cosine and sine
  /// branches: half the logarithms of two `normal()` calls, for bulk draws.
  @inlinable public mutating func normalPair() -> (Double, Double) {
    let u1: Double = 1.0 - uniform()  // (0, 1]: log is finite
    let u2: Double = uniform()
    let radius = (-2.0 * Double.log(u1)).squareRoot()
    let angle = 2.0 * Double.pi * u2
    return (radius * Double.cos(angle), radius * Double.sin(angle))
  }

  /// ±1 with equal probability (Rademacher), for Hutchinson probes.
  @inlinable public mutating func rademacher() -> Double {
    (next() >> 63) == 0 ? -1.0 : 1.0
  }

  /// Uniform integer in 0..<n without modulo bias (Lemire's method).
  @inlinable public mutating func index(below n: Int) -> Int {
    precondition(n > 0, "index(below:) needs a positive bound")
    return Int(next(upperBound: UInt64(n)))
  }

  /// The words of the state, for checkpoints.
  public var state: [UInt64] { [s0, s1, s2, s3, key] }

  /// Restores a stream saved with `state`.
  public init(state: [UInt64]) throws {
    guard state.count == 5 else {
      throw FlatlandError(.format, "random stream state has \(state.count) words: expected 5")
    }
    key = state[4]
    s0 = state[0]
    s1 = state[1]
    s2 = state[2]
    s3 = state[3]
  }

  // MARK: - Hashing

  @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// SplitMix64's finalizer: a bijective 64-bit mix.
  static func mix(_ z0: UInt64) -> UInt64 {
    var z = z0
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  static func splitMix(_ state: inout UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    return mix(state)
  }
}
