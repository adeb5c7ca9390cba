import FlatlandCore
import FlatlandStrategies
import Foundation

extension StepNoise {
  public static let accepted =
    "SIGMA (a non-negative standard deviation, e.g. 0.001) or match:RUN (a strategy run folder)"

  /// The noise a `noise` setting names: `SIGMA` given directly, or `match:RUN`, σ = √(D/P)
  /// with D the disagreement of the agents in the checkpoint of RUN (a strategy run folder or a
  /// checkpoint file), over its P parameters per agent (see `StepNoise`). A finished run's
  /// checkpoint holds its final state, so D is its last metrics record's `disagreement`. Reads
  /// RUN, so it is called once before training; `check(setting:)` checks the form alone.
  /// - Throws: `FlatlandError` naming the setting for a malformed or negative σ, an unreadable
  ///   RUN, or a RUN whose agents agree exactly (nothing to match).
  public init(setting text: String, seed: UInt64) throws {
    guard let run = try Self.matchedRun(text) else {
      try self.init(sigma: try Self.sigma(text), seed: seed)
      return
    }
    let checkpoint: Checkpoint
    let path: String
    do {
      (checkpoint, path) = try Checkpoint.open(run)
    } catch let error as FlatlandError {
      throw FlatlandError(error.kind, "cannot match noise '\(text)': \(error.message)")
    }
    let w = checkpoint.parameters
    let d = VectorMath.meanSquaredDistance(w.rowViews, to: w.centroid())
    guard d > 0 else {
      throw FlatlandError.invalid(
        "noise", text,
        accepted: "a run whose agents disagree ('\(path)' has disagreement 0, as a centralized run): match a "
          + "decentralized run")
    }
    try self.init(sigma: Self.matchingSigma(disagreement: d, parameterCount: w.length), seed: seed)
  }

  /// Throws unless `text` is a well-formed setting, without reading a matched run.
  public static func check(setting text: String) throws {
    if try matchedRun(text) == nil { _ = try StepNoise(sigma: try sigma(text), seed: 0) }
  }

  /// RUN of `match:RUN`, nil for any other text.
  private static func matchedRun(_ text: String) throws -> String? {
    guard text.hasPrefix("match:") else { return nil }
    let run = String(text.dropFirst("match:".count))
    guard !run.isEmpty else { throw FlatlandError.invalid("noise", text, accepted: accepted) }
    return run
  }

  private static func sigma(_ text: String) throws -> Double {
    guard let sigma = Double(text) else { throw FlatlandError.invalid("noise", text, accepted: accepted) }
    return sigma
  }
}
