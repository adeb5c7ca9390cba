import FlatlandCore

/// How the training set is divided among agents.
public enum PartitionScheme: Sendable, Equatable, CustomStringConvertible {
  /// A uniformly random split into shards whose sizes differ by at most one.
  case iid
  /// Label skew (Hsu, Qi & Brown 2019): for each class c draw p_c ~ Dirichlet(α·1_K) and give
  /// agent k a fraction p_{c,k} of class c. Small α (0.1) gives agents a few dominant classes;
  /// large α (100) approaches IID.
  case dirichlet(alpha: Double)
  /// Pathological non-IID shards (McMahan et al. 2017): sort the samples by label, cut them
  /// into K·c equal shards and deal c random shards to each agent, so each agent sees about
  /// c classes.
  case shards(classesPerAgent: Int)

  static let accepted =
    "iid, dirichlet:ALPHA (ALPHA > 0, e.g. dirichlet:0.1) or shards:C (C ≥ 1 classes per agent, e.g. shards:2)"

  /// Parses `iid`, `dirichlet:ALPHA` or `shards:C`.
  public init(parsing text: String) throws {
    let (kind, argument) = DataSpec.splitKind(text)
    switch (kind, argument) {
    case ("iid", nil):
      self = .iid
    case ("dirichlet", let a?):
      guard let alpha = Double(a), alpha.isFinite, alpha > 0 else {
        throw FlatlandError.invalid("partition", text, accepted: PartitionScheme.accepted)
      }
      self = .dirichlet(alpha: alpha)
    case ("shards", let c?):
      guard let classes = Int(c), classes >= 1 else {
        throw FlatlandError.invalid("partition", text, accepted: PartitionScheme.accepted)
      }
      self = .shards(classesPerAgent: classes)
    default:
      throw FlatlandError.invalid("partition", text, accepted: PartitionScheme.accepted)
    }
  }

  public var description: String {
    switch self {
    case .iid: "iid"
    case .dirichlet(let alpha): "dirichlet:\(alpha)"
    case .shards(let c): "shards:\(c)"
    }
  }
}
