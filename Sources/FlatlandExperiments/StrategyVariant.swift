import FlatlandCore
import FlatlandStrategies

/// One entry of a config's `strategies`: a strategy, and the settings its own run overrides,
/// written `KIND[+MODIFIER]...`, so that one `train` or sweep compares a rule with and without a
/// flat-minima device from the same initialization and data order:
///
/// - `+sam:RHO`, `+asam:RHO`: the run's `optimizer` (`SharpnessAware`);
/// - `+noise:SIGMA`: the run's perturbed-SGD `noise` (`StepNoise`);
/// - `+noise:match:LABEL`: noise matched to the disagreement of the run LABEL of the same job,
///   which must come earlier in the list (it has to have finished), e.g.
///   `diffusion,centralized+noise:match:diffusion`.
///
/// The entry as written is the run's label: its folder, and the `strategy` of its summary,
/// metrics and report rows. A plain `diffusion` is labelled as before.
public struct StrategyVariant: Sendable, Equatable, CustomStringConvertible {
  public var kind: StrategyKind
  public var optimizer: String?
  public var noise: Noise?
  public let label: String

  /// Perturbed-SGD noise of a variant: σ itself, or matched to a sibling run.
  public enum Noise: Sendable, Equatable {
    case sigma(String)
    case match(String)
  }

  public static let accepted =
    "KIND[+sam:RHO|+asam:RHO][+noise:SIGMA|+noise:match:LABEL] with KIND one of \(StrategyKind.accepted)"

  public init(parsing text: String) throws {
    let parts = text.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
    kind = try StrategyKind(parsing: parts[0])
    label = text
    for modifier in parts.dropFirst() {
      if modifier.hasPrefix("sam:") || modifier.hasPrefix("asam:"), optimizer == nil {
        optimizer = modifier
      } else if modifier.hasPrefix("noise:match:"), noise == nil, modifier.count > "noise:match:".count {
        noise = .match(String(modifier.dropFirst("noise:match:".count)))
      } else if modifier.hasPrefix("noise:"), !modifier.hasPrefix("noise:match:"), noise == nil,
        modifier.count > "noise:".count
      {
        noise = .sigma(String(modifier.dropFirst("noise:".count)))
      } else {
        throw FlatlandError.invalid("strategy", text, accepted: Self.accepted + " (each modifier at most once)")
      }
    }
  }

  public var description: String { label }

  /// The config of this variant's run in a job writing into `config.out`: the job's config with
  /// the variant's optimizer and noise laid over it (a matched noise names its sibling's folder).
  public func config(in config: TrainingConfig) -> TrainingConfig {
    var c = config
    if let optimizer { c.optimizer = optimizer }
    switch noise {
    case .sigma(let sigma): c.noise = sigma
    case .match(let sibling): c.noise = "match:" + config.out + "/" + sibling
    case nil: break
    }
    return c
  }
}

extension TrainingConfig {
  /// Every entry of `strategies`, parsed; a matched noise must name an earlier entry.
  public func strategyVariants() throws -> [StrategyVariant] {
    let variants = try strategies.map(StrategyVariant.init(parsing:))
    for (i, v) in variants.enumerated() {
      guard case .match(let sibling) = v.noise else { continue }
      guard variants[..<i].contains(where: { $0.label == sibling }) else {
        throw FlatlandError.invalid(
          "strategy", v.label, accepted: "noise:match:LABEL naming a run listed before it (\(sibling) is not)")
      }
    }
    return variants
  }

  /// The rules the job trains, one per entry.
  public func strategyKinds() throws -> [StrategyKind] { try strategyVariants().map(\.kind) }
}
