import FlatlandCore
import FlatlandMeasures

/// Which points of a decentralized run are measured: the centroid only, the centroid and
/// every agent, the centroid and a seeded sample of N agents, or the centroid and the run's
/// stochastic weight average.
public enum PointSelection: Equatable, Sendable, CustomStringConvertible {
  case centroid
  case all
  case sample(Int)
  case swa

  public static let accepted =
    "centroid, all, sample:N (the centroid and a seeded sample of N agents) or swa (the centroid and the SWA average)"

  /// Parses `centroid`, `all` or `sample:N` with N ≥ 1.
  public init(parsing text: String) throws {
    switch text {
    case "centroid": self = .centroid
    case "all": self = .all
    case "swa": self = .swa
    default:
      guard text.hasPrefix("sample:"), let n = Int(text.dropFirst("sample:".count)), n >= 1 else {
        throw FlatlandError.invalid("agents", text, accepted: Self.accepted)
      }
      self = .sample(n)
    }
  }

  public var description: String {
    switch self {
    case .centroid: "centroid"
    case .all: "all"
    case .sample(let n): "sample:\(n)"
    case .swa: "swa"
    }
  }

  /// The agent indices measured besides the centroid, out of K; a sample is drawn by `seed`.
  public func agents(of count: Int, seed: UInt64) throws -> [Int] {
    switch self {
    case .centroid, .swa: []
    case .all: Array(0..<count)
    case .sample(let n): try AgentSample.indices(n, of: count, seed: seed)
    }
  }
}
