import ArgumentParser

/// Which points of a decentralized run `flatland flatness` measures: the centroid only, or the
/// centroid and every agent, or the centroid and a seeded sample of N agents.
enum AgentSelection: Equatable, ExpressibleByArgument, CustomStringConvertible {
  case centroid
  case all
  case sample(Int)

  static let accepted = "centroid, all, or sample:N (the centroid and a seeded sample of N agents)"

  init?(argument: String) {
    switch argument {
    case "centroid": self = .centroid
    case "all": self = .all
    default:
      guard argument.hasPrefix("sample:"), let n = Int(argument.dropFirst("sample:".count)), n >= 1 else { return nil }
      self = .sample(n)
    }
  }

  var description: String {
    switch self {
    case .centroid: "centroid"
    case .all: "all"
    case .sample(let n): "sample:\(n)"
    }
  }

  var defaultValueDescription: String { description }
}
