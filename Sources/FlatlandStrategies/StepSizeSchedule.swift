import FlatlandCore
import RealModule

/// The step size μ_i at iteration i of N: a base value shaped by a schedule, after an
/// optional linear warm-up from μ/W to μ over the first W iterations.
///
/// - `constant`: μ_i = μ.
/// - `step(every: s, factor: γ)`: μ_i = μ γ^⌊i/s⌋.
/// - `cosine`: μ_i = ½ μ (1 + cos(π i / N)).
public struct StepSizeSchedule: Codable, Sendable, Equatable {
  public enum Shape: Codable, Sendable, Equatable {
    case constant
    case step(every: Int, factor: Double)
    case cosine
  }

  public var base: Double
  public var shape: Shape
  public var warmup: Int

  public static let accepted = "constant, step:EVERY,FACTOR (e.g. step:1000,0.5) or cosine"

  public init(base: Double, shape: Shape = .constant, warmup: Int = 0) throws {
    guard base > 0, base.isFinite else {
      throw FlatlandError.invalid("step size", base, accepted: "a positive finite number")
    }
    guard warmup >= 0 else {
      throw FlatlandError.invalid("warm-up", warmup, accepted: "a non-negative iteration count")
    }
    self.base = base
    self.shape = shape
    self.warmup = warmup
  }

  /// Parses `constant`, `step:EVERY,FACTOR` or `cosine`.
  public static func parseShape(_ text: String) throws -> Shape {
    switch text {
    case "constant": return .constant
    case "cosine": return .cosine
    default:
      let parts = text.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, parts[0] == "step" else {
        throw FlatlandError.invalid("schedule", text, accepted: accepted)
      }
      let args = parts[1].split(separator: ",")
      guard args.count == 2, let every = Int(args[0]), every > 0, let factor = Double(args[1]), factor > 0, factor <= 1
      else {
        throw FlatlandError.invalid("schedule", text, accepted: "step:EVERY,FACTOR with EVERY > 0 and 0 < FACTOR ≤ 1")
      }
      return .step(every: every, factor: factor)
    }
  }

  /// μ_i for iteration `i` (0-based) of `total`.
  public func stepSize(at i: Int, of total: Int) -> Float {
    var mu: Double
    switch shape {
    case .constant: mu = base
    case .step(let every, let factor): mu = base * Double.pow(factor, Double(i / every))
    case .cosine: mu = 0.5 * base * (1 + Double.cos(Double.pi * Double(i) / Double(max(total, 1))))
    }
    if i < warmup { mu *= Double(i + 1) / Double(warmup) }
    return Float(mu)
  }
}
