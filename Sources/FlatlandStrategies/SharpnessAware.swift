import FlatlandCore

/// Sharpness-aware minimization as a transform of an agent's gradient: the gradient a strategy
/// adapts with is taken at an ascent point w + ε on the same mini-batch, so each agent makes two
/// gradient passes per iteration and the strategy then combines as usual.
///
/// With g = ∇Q_k(w) on agent k's batch and ρ the radius:
///
///     SAM  (Foret et al. 2021):  ε = ρ g / ‖g‖
///     ASAM (Kwon et al. 2021):   ε = ρ T² g / ‖T g‖,   T = diag(|w_1| + η, …, |w_P| + η), η = 0.01
///     ∇_SAM Q_k(w) = ∇Q_k(w + ε)   on the batch that gave g
///
/// ASAM is the p = 2 solution of its adaptive sharpness max over ‖T⁻¹ε‖ ≤ ρ, with the paper's
/// element-wise operator and its η = 0.01 (the value of its experiments and of the reference
/// implementation). It is applied to every parameter, as the paper's formula states; the
/// reference code leaves biases unscaled (T = 1 there). ρ is on another scale than SAM's:
/// the paper uses ρ ≈ 0.5–2 for ASAM where SAM uses ρ ≈ 0.05.
///
/// ε is each agent's own: under the centralized strategy, ḡ = (1/K) Σ_k ∇Q_k(w + ε_k) is SAM
/// at batch K·B with the ascent computed per agent shard of B samples, i.e. m-sharpness with
/// m = B, which is how data-parallel SAM is run (each worker perturbs with its own batch's
/// gradient). When ‖g‖ (or ‖T g‖) is zero, ε = 0 and the transform returns g.
public struct SharpnessAware: Sendable, Equatable {
  /// How the ascent is scaled: SAM's Euclidean ball or ASAM's parameter-scaled ellipsoid.
  public enum Geometry: String, Sendable, CaseIterable {
    case sam
    case asam
  }

  public var geometry: Geometry
  /// ρ, the radius of the ascent.
  public var radius: Float
  /// ASAM's η, which keeps T invertible at zero weights.
  public static let eta: Float = 0.01

  public static let accepted =
    "sgd, sam:RHO or asam:RHO with RHO a positive radius, finite in Float32 (e.g. sam:0.05, asam:0.5)"

  public init(_ geometry: Geometry, radius: Double) throws {
    guard Float(radius) > 0, Float(radius).isFinite else {
      throw FlatlandError.invalid(
        "\(geometry.rawValue) radius ρ", radius, accepted: "a positive radius, finite and nonzero in Float32")
    }
    self.geometry = geometry
    self.radius = Float(radius)
  }

  /// Parses an optimizer setting: `sgd` (no transform, nil), `sam:RHO` or `asam:RHO`.
  public static func parse(optimizer text: String) throws -> SharpnessAware? {
    if text == "sgd" { return nil }
    let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
    guard parts.count == 2, let geometry = Geometry(rawValue: String(parts[0])) else {
      throw FlatlandError.invalid("optimizer", text, accepted: accepted)
    }
    guard let rho = Double(parts[1]), Float(rho) > 0, Float(rho).isFinite else {
      throw FlatlandError.invalid("optimizer", text, accepted: accepted)
    }
    return try SharpnessAware(geometry, radius: rho)
  }

  /// Writes the ascent point w + ε(w, g) into `point` (P entries each).
  ///
  /// The norm is summed in Double; ε_i = s t_i² g_i with the scale s = ρ / ‖T g‖ rounded once
  /// to Float (t_i = 1 for SAM).
  public func ascentPoint(
    from w: UnsafeBufferPointer<Float>, gradient g: UnsafeBufferPointer<Float>,
    into point: UnsafeMutableBufferPointer<Float>
  ) {
    precondition(w.count == g.count && point.count == w.count, "ascent point: w, g and point differ in length")
    let eta = Self.eta
    var sq = 0.0
    switch geometry {
    case .sam:
      for x in g { sq += Double(x) * Double(x) }
    case .asam:
      for i in 0..<w.count {
        let tg = Double((abs(w[i]) + eta) * g[i])
        sq += tg * tg
      }
    }
    guard sq > 0 else {
      _ = point.update(fromContentsOf: w)
      return
    }
    let s = Float(Double(radius) / sq.squareRoot())
    switch geometry {
    case .sam:
      for i in 0..<w.count { point[i] = w[i] + s * g[i] }
    case .asam:
      for i in 0..<w.count {
        let t = abs(w[i]) + eta
        point[i] = w[i] + s * (t * t * g[i])
      }
    }
  }

  /// Writes ∇Q(w + ε) into `gradient`, where `batchGradient(x, out)` writes ∇Q(x) on one fixed
  /// mini-batch and returns its statistics; `point` is the caller's P-entry scratch for w + ε,
  /// so a step allocates nothing. Returns the batch statistics at w (the loss the step starts
  /// from, as plain SGD reports).
  public func gradient(
    at w: UnsafeBufferPointer<Float>, into gradient: UnsafeMutableBufferPointer<Float>,
    point: UnsafeMutableBufferPointer<Float>,
    _ batchGradient: (UnsafeBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> LossStats
  ) -> LossStats {
    let stats = batchGradient(w, gradient)
    ascentPoint(from: w, gradient: UnsafeBufferPointer(gradient), into: point)
    _ = batchGradient(UnsafeBufferPointer(point), gradient)
    return stats
  }
}
