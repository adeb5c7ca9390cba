/// The outcome of testing one claim, with the comparisons that decided it.
///
/// Each evidence row is a paired comparison: the measured difference, its 95% interval and the
/// number of pairs. The card shows each interval against zero, so a reader sees at a glance
/// whether it excludes "no difference".
public struct Verdict: Sendable, Equatable {
  public enum Outcome: String, Sendable, Equatable {
    case supported
    case notSupported
    case inconclusive

    /// The badge text.
    public var label: String {
      switch self {
      case .supported: return "Supported"
      case .notSupported: return "Not supported"
      case .inconclusive: return "Inconclusive"
      }
    }
  }

  /// One comparison: `difference` with the 95% interval [`lower`, `upper`] over `n` pairs.
  public struct Evidence: Sendable, Equatable {
    public var comparison: String
    public var difference: Double
    public var lower: Double
    public var upper: Double
    public var n: Int

    public init(comparison: String, difference: Double, lower: Double, upper: Double, n: Int) {
      self.comparison = comparison
      self.difference = difference
      self.lower = lower
      self.upper = upper
      self.n = n
    }
  }

  /// The claim's number or short name, shown before the title ("Claim 2").
  public var claim: String
  public var title: String
  /// The claim as stated, tested as written.
  public var statement: String
  public var outcome: Outcome
  public var evidence: [Evidence]
  /// Why the evidence gives this outcome, in a sentence or two.
  public var explanation: String

  public init(
    claim: String, title: String, statement: String, outcome: Outcome, evidence: [Evidence], explanation: String
  ) {
    self.claim = claim
    self.title = title
    self.statement = statement
    self.outcome = outcome
    self.evidence = evidence
    self.explanation = explanation
  }
}
