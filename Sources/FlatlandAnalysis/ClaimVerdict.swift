import FlatlandCore

/// A measured comparison a claim rests on: metric(a) − metric(b) paired by seed (or by
/// repetition), with its 95% interval, and the sign the claim expects.
public struct Comparison: Codable, Sendable, Equatable {
  public var description: String
  public var metric: String
  public var a: String
  public var b: String
  public var batch: Int?
  public var difference: MeanInterval
  /// +1 when the claim expects a − b > 0, −1 when it expects a − b < 0.
  public var expectedSign: Int

  public init(
    description: String, metric: String, a: String, b: String, batch: Int?, difference: MeanInterval,
    expectedSign: Int
  ) {
    (self.description, self.metric, self.a, self.b) = (description, metric, a, b)
    (self.batch, self.difference, self.expectedSign) = (batch, difference, expectedSign)
  }

  /// Whether the interval lies on the expected side of zero (true), the other side (false),
  /// or crosses it (nil).
  public var holds: Bool? {
    guard difference.excludesZero else { return nil }
    return (difference.mean > 0) == (expectedSign > 0)
  }
}

/// A claim of the paper with the comparisons it rests on and the verdict they give.
public struct ClaimVerdict: Codable, Sendable, Equatable {
  public enum Outcome: String, Codable, Sendable {
    case supported
    case notSupported = "not-supported"
    case inconclusive
  }

  public var claim: Int
  public var statement: String
  public var comparisons: [Comparison]
  public var outcome: Outcome

  /// Supported when every comparison holds; not supported when any goes the other way with
  /// its interval clear of zero; inconclusive otherwise (some interval crosses zero).
  public init(claim: Int, statement: String, comparisons: [Comparison]) {
    self.claim = claim
    self.statement = statement
    self.comparisons = comparisons
    let results = comparisons.map(\.holds)
    if comparisons.isEmpty {
      outcome = .inconclusive
    } else if results.contains(false) {
      outcome = .notSupported
    } else if results.allSatisfy({ $0 == true }) {
      outcome = .supported
    } else {
      outcome = .inconclusive
    }
  }
}

/// The comparisons and verdicts of the paper's three claims from a sweep and an escape run.
public enum Claims {
  /// Claim (1): decentralized strategies favor flatter minima than centralized at the largest
  /// batch and escape w* further; (2) consensus is flatter than diffusion with a worse excess
  /// risk; (3) diffusion beats consensus, and decentralized beats centralized, in accuracy.
  public static func verdicts(sweep runs: [SweepRun], escape: EscapeResults?) throws -> [ClaimVerdict] {
    guard let large = runs.map(\.batch).max() else { return [] }
    func paired(_ metric: String, _ a: String, _ b: String, batch: Int, sign: Int, _ text: String) throws -> Comparison?
    {
      let value = SweepRun.metrics.first { $0.name == metric }!.value
      let key = { (r: SweepRun) in "\(r.seed)|\(r.topology)|\(r.partition)" }
      let bRuns = Dictionary(
        runs.filter { $0.strategy == b && $0.batch == batch }.map { (key($0), value($0)) },
        uniquingKeysWith: { x, _ in x })
      let diffs = runs.filter { $0.strategy == a && $0.batch == batch }.compactMap { r in
        bRuns[key(r)].map { value(r) - $0 }
      }
      guard !diffs.isEmpty else { return nil }
      return Comparison(
        description: text, metric: metric, a: a, b: b, batch: batch, difference: try MeanInterval(diffs),
        expectedSign: sign)
    }
    func escapeGap(_ a: String, _ b: String, _ text: String) throws -> Comparison? {
      guard let escape, let sa = escape.strategies.first(where: { $0.strategy == a }),
        let sb = escape.strategies.first(where: { $0.strategy == b })
      else { return nil }
      let diffs = zip(sa.finalDistance, sb.finalDistance).map { $0 - $1 }
      return Comparison(
        description: text, metric: "escape_distance", a: a, b: b, batch: escape.plan.base.batch,
        difference: try MeanInterval(diffs), expectedSign: 1)
    }
    let c1 = try [
      paired(
        "lambda_max", "centralized", "diffusion", batch: large, sign: 1,
        "λ_max centralized − diffusion at the largest batch"),
      paired(
        "lambda_max", "centralized", "consensus", batch: large, sign: 1,
        "λ_max centralized − consensus at the largest batch"),
      escapeGap("diffusion", "centralized", "‖w̄_N − w*‖ diffusion − centralized, escaping w*"),
      escapeGap("consensus", "centralized", "‖w̄_N − w*‖ consensus − centralized, escaping w*"),
    ].compactMap { $0 }
    let c2 = try [
      paired(
        "train_loss_centroid", "consensus", "diffusion", batch: large, sign: 1, "training loss consensus − diffusion"),
      paired("lambda_max", "diffusion", "consensus", batch: large, sign: 1, "λ_max diffusion − consensus"),
      escapeGap("consensus", "diffusion", "‖w̄_N − w*‖ consensus − diffusion, escaping w*"),
    ].compactMap { $0 }
    let c3 = try [
      paired(
        "test_accuracy_centroid", "diffusion", "consensus", batch: large, sign: 1, "test accuracy diffusion − consensus"
      ),
      paired(
        "test_accuracy_centroid", "diffusion", "centralized", batch: large, sign: 1,
        "test accuracy diffusion − centralized"),
      paired(
        "test_accuracy_centroid", "consensus", "centralized", batch: large, sign: 1,
        "test accuracy consensus − centralized"),
    ].compactMap { $0 }
    return [
      ClaimVerdict(
        claim: 1,
        statement: "Decentralized strategies (consensus, diffusion) escape local minima faster than centralized "
          + "training and favor flatter minima, above all with large batches.", comparisons: c1),
      ClaimVerdict(
        claim: 2,
        statement: "Consensus has a worse excess risk than diffusion, which makes it escape more and favor flatter "
          + "minima.", comparisons: c2),
      ClaimVerdict(
        claim: 3,
        statement: "Accuracy depends on both flatness and optimization error: diffusion's lower excess risk gives it "
          + "better accuracy than consensus, and decentralized strategies beat centralized.", comparisons: c3),
    ]
  }
}
