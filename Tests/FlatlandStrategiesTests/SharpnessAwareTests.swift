import FlatlandCore
import FlatlandEngines
import FlatlandStrategies
import FlatlandTestSupport
import FlatlandTopology
import Testing

/// SAM and ASAM on quadratics, where the gradient at the ascent point is known exactly.
@Suite struct SharpnessAwareTests {
  static let length = 1001

  /// Q(w) = ½ (w − c)ᵀ H (w − c) with H = diag(h), h_j in [0.5, 2.5]: ∇Q(w) = H(w − c).
  static let h = (0..<length).map { 0.5 + 2 * Double($0) / Double(length) }
  static let c = normalVector(length, seed: 5)
  static let w = normalVector(length, seed: 6).map(Float.init)

  /// ∇Q at `x`, rounded to Float, as the batch gradient a network pass would write.
  static func batchGradient(_ x: UnsafeBufferPointer<Float>, _ g: UnsafeMutableBufferPointer<Float>) -> LossStats {
    for j in 0..<length { g[j] = Float(h[j] * (Double(x[j]) - c[j])) }
    return LossStats(loss: 1, correct: 0, count: 1)
  }

  static func transformed(_ rule: SharpnessAware) -> [Float] {
    var g = [Float](repeating: 0, count: length)
    var point = [Float](repeating: 0, count: length)
    let stats = w.withUnsafeBufferPointer { wp in
      g.withUnsafeMutableBufferPointer { gp in
        point.withUnsafeMutableBufferPointer { rule.gradient(at: wp, into: gp, point: $0, batchGradient) }
      }
    }
    #expect(stats.loss == 1)
    return g
  }

  /// With g = H(w − c): SAM's ∇Q(w + ε) = g + ρ H g / ‖g‖; ASAM's = g + ρ H T² g / ‖T g‖ with
  /// T = diag(|w| + η), both in Double against the Float transform. Its error is Float
  /// rounding of w + ε and of each pass (a few 1e-7 of the O(1) entries), so differences are
  /// taken relative to max(|a|, |b|, 1).
  @Test(arguments: SharpnessAware.Geometry.allCases)
  func theGradientIsTakenAtTheAscentPoint(_ geometry: SharpnessAware.Geometry) throws {
    let rho = geometry == .sam ? 0.05 : 0.5
    let rule = try SharpnessAware(geometry, radius: rho)
    let g = (0..<Self.length).map { Self.h[$0] * (Double(Self.w[$0]) - Self.c[$0]) }
    let t = (0..<Self.length).map { geometry == .sam ? 1 : Double(abs(Self.w[$0]) + SharpnessAware.eta) }
    let norm = (0..<Self.length).reduce(0.0) { $0 + (t[$1] * g[$1]) * (t[$1] * g[$1]) }.squareRoot()
    let want = (0..<Self.length).map { g[$0] + rho * Self.h[$0] * t[$0] * t[$0] * g[$0] / norm }
    let got = Self.transformed(rule).map(Double.init)
    let error = maxRelativeError(got, want, floor: 1)
    #expect(error < 1e-5, "\(geometry): largest difference \(error)")
    // The ascent is ρ long in SAM's norm ‖ε‖ and in ASAM's ‖T⁻¹ε‖.
    let epsilon = (0..<Self.length).map { (got[$0] - g[$0]) / Self.h[$0] / t[$0] }
    let length = epsilon.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
    #expect(abs(length - rho) < 1e-4 * rho, "\(geometry): ‖T⁻¹ε‖ = \(length), ρ = \(rho)")
  }

  /// Coordinate by coordinate in the documented Float operations: s = Float(ρ / ‖T g‖) from a
  /// Double norm, x_j = w_j + s (t_j² g_j), then the second pass at x.
  @Test(arguments: SharpnessAware.Geometry.allCases)
  func theAscentPointFollowsItsEquation(_ geometry: SharpnessAware.Geometry) throws {
    let rule = try SharpnessAware(geometry, radius: 0.3)
    var g = [Float](repeating: 0, count: Self.length)
    g.withUnsafeMutableBufferPointer { gp in _ = Self.w.withUnsafeBufferPointer { Self.batchGradient($0, gp) } }
    let t = Self.w.map { geometry == .sam ? Float(1) : abs($0) + SharpnessAware.eta }
    let norm = (0..<Self.length).reduce(0.0) { $0 + Double(t[$1] * g[$1]) * Double(t[$1] * g[$1]) }.squareRoot()
    let s = Float(Double(rule.radius) / norm)
    let point = (0..<Self.length).map { Self.w[$0] + s * (t[$0] * t[$0] * g[$0]) }
    var want = [Float](repeating: 0, count: Self.length)
    want.withUnsafeMutableBufferPointer { out in _ = point.withUnsafeBufferPointer { Self.batchGradient($0, out) } }
    let got = Self.transformed(rule)
    let differing = zip(got, want).filter { $0 != $1 }.count
    #expect(differing == 0, "\(geometry): \(differing) of \(Self.length) coordinates differ")
  }

  /// At a stationary point the ascent direction is undefined: ε = 0 and the gradient is g.
  @Test func aZeroGradientGivesNoAscent() throws {
    let rule = try SharpnessAware(.sam, radius: 0.1)
    let w: [Float] = [1, -2, 3]
    var point = [Float](repeating: .nan, count: 3)
    let zero = [Float](repeating: 0, count: 3)
    w.withUnsafeBufferPointer { wp in
      zero.withUnsafeBufferPointer { gp in
        point.withUnsafeMutableBufferPointer { rule.ascentPoint(from: wp, gradient: gp, into: $0) }
      }
    }
    #expect(point == w)
  }

  @Test func settingsParse() throws {
    #expect(try SharpnessAware.parse(optimizer: "sgd") == nil)
    #expect(try SharpnessAware.parse(optimizer: "sam:0.05") == SharpnessAware(.sam, radius: 0.05))
    #expect(try SharpnessAware.parse(optimizer: "asam:1") == SharpnessAware(.asam, radius: 1))
  }

  /// ρ ≤ 0, non-finite, missing or malformed, and unknown optimizers: one error naming the text.
  @Test(arguments: ["sam:0", "sam:-0.1", "sam:nan", "sam:inf", "asam:1e99", "sam:", "sam", "adam:0.1", "SAM:0.1"])
  func badSettingsAreRefusedByName(_ text: String) {
    #expect {
      try SharpnessAware.parse(optimizer: text)
    } throws: { error in
      guard let error = error as? FlatlandError, error.kind == .invalidArgument else { return false }
      return !error.message.contains("\n") && error.message.hasPrefix("invalid optimizer '\(text)'")
    }
  }
}
