import FlatlandCore

extension Topology {
  /// The accepted topology names, for help texts and error messages.
  public static let accepted =
    "ring, line, star, complete, grid[:RxC], torus[:RxC], hypercube, exponential, erdos-renyi:P, "
    + "geometric:RADIUS, small-world:DEGREE,BETA, edges:PATH, matrix:PATH.csv, one-peer-exponential, random-matching"

  /// The weight rule a name goes with when none is given: `user` for `matrix:PATH.csv` (the
  /// file's weights are used as is), Metropolis otherwise.
  public static func defaultWeights(for name: String) -> WeightRule {
    name.hasPrefix("matrix:") ? .user : .metropolis
  }

  /// The topology named `name` on `agents` agents:
  ///
  /// | name | network |
  /// |---|---|
  /// | `ring`, `line`, `star`, `complete`, `hypercube`, `exponential` | the deterministic families |
  /// | `grid`, `torus` | the most nearly square rows×cols = K; `grid:4x5` gives the shape |
  /// | `erdos-renyi:P` | G(K, P), seeded, redrawn until connected |
  /// | `geometric:RADIUS` | random geometric graph in the unit square, seeded |
  /// | `small-world:DEGREE,BETA` | Watts–Strogatz, seeded |
  /// | `edges:PATH` | a custom graph from an edge-list file |
  /// | `matrix:PATH.csv` | a user matrix used as is (with `weights` = `user`) |
  /// | `one-peer-exponential`, `random-matching` | time-varying, one peer per iteration |
  ///
  /// Graphs are weighted by `weights`; `seed` drives the random families. Throws on an unknown
  /// name, a missing or malformed parameter, a family that does not fit K, a disconnected
  /// graph, a user matrix that is negative, not left-stochastic or not connected, or a K whose
  /// K × K matrix does not fit in `MemoryBudget`.
  public static func parse(_ name: String, agents: Int, weights: WeightRule, seed: UInt64) throws -> Topology {
    try Graph.requirePositive(agents)
    try CombinationMatrix.checkSize(agents: agents)
    let family: String
    let argument: String?
    if let colon = name.firstIndex(of: ":") {
      family = String(name[..<colon])
      argument = String(name[name.index(after: colon)...])
    } else {
      family = name
      argument = nil
    }
    let parameter = Parameter(name: name, family: family, argument: argument)

    let deterministic: [String: (Int) throws -> Graph] = [
      "ring": Graph.ring, "line": Graph.line, "star": Graph.star, "complete": Graph.complete,
      "hypercube": Graph.hypercube, "exponential": Graph.exponential,
    ]
    if let build = deterministic[family] {
      try parameter.requireNone()
      return try Topology(name: name, graph: build(agents), weights: weights)
    }
    let graph: Graph
    switch family {
    case "grid", "torus":
      let shape = try argument == nil ? Graph.squarestShape(agents, family: family) : parameter.shape(agents: agents)
      graph =
        try family == "grid"
        ? Graph.grid2D(rows: shape.rows, cols: shape.cols) : Graph.torus2D(rows: shape.rows, cols: shape.cols)
    case "erdos-renyi":
      graph = try Graph.erdosRenyi(agents, p: parameter.numbers(1, "P")[0], seed: seed)
    case "geometric":
      graph = try Graph.randomGeometric(agents, radius: parameter.numbers(1, "RADIUS")[0], seed: seed)
    case "small-world":
      let values = try parameter.numbers(2, "DEGREE,BETA")
      guard let degree = Int(exactly: values[0]) else {
        throw FlatlandError.invalid("small-world lattice degree", values[0], accepted: "an even integer ≥ 2")
      }
      graph = try Graph.wattsStrogatz(agents, neighbors: degree, rewiring: values[1], seed: seed)
    case "edges":
      graph = try Graph.fromEdgeList(agents, file: parameter.path("PATH"))
    case "matrix":
      return try userMatrix(parameter.path("PATH.csv"), name: name, agents: agents, weights: weights)
    case "one-peer-exponential":
      try parameter.requireNone()
      return try onePeerExponential(agents, weights: weights)
    case "random-matching":
      try parameter.requireNone()
      return try randomMatching(agents, weights: weights, seed: seed)
    default:
      throw FlatlandError.invalid("topology", name, accepted: accepted)
    }
    return try Topology(name: name, graph: graph, weights: weights)
  }

  private static func userMatrix(_ path: String, name: String, agents: Int, weights: WeightRule) throws -> Topology {
    guard weights == .user else {
      throw FlatlandError.invalid(
        "weight rule for \(name)", weights.rawValue, accepted: "'user': a matrix file's weights are used as is")
    }
    let matrix = try CombinationMatrix(csvFile: path)
    guard matrix.agents == agents else {
      throw FlatlandError.invalid(
        "matrix size in \(path)", "\(matrix.agents)×\(matrix.agents)",
        accepted: "\(agents)×\(agents) for K = \(agents) agents")
    }
    return try Topology(name: name, matrix: matrix)
  }
}

/// The text after `family:` in a topology name, read as what the family expects.
private struct Parameter {
  let name: String
  let family: String
  let argument: String?

  func requireNone() throws {
    guard argument == nil else {
      throw FlatlandError.invalid("topology", name, accepted: "'\(family)' without parameters")
    }
  }

  /// `count` comma-separated numbers; `format` spells them for the message.
  func numbers(_ count: Int, _ format: String) throws -> [Double] {
    let values = (argument ?? "").split(separator: ",", omittingEmptySubsequences: false).compactMap { Double($0) }
    guard argument != nil, values.count == count, values.allSatisfy(\.isFinite) else {
      throw FlatlandError.invalid("topology", name, accepted: "\(family):\(format)")
    }
    return values
  }

  /// `RxC` with R·C = K.
  func shape(agents: Int) throws -> (rows: Int, cols: Int) {
    let parts = (argument ?? "").split(separator: "x", omittingEmptySubsequences: false).compactMap { Int($0) }
    guard parts.count == 2, parts[0] >= 1, parts[1] >= 1 else {
      throw FlatlandError.invalid("topology", name, accepted: "\(family):RxC with rows, cols ≥ 1, e.g. \(family):4x5")
    }
    guard parts[0] * parts[1] == agents else {
      throw FlatlandError.invalid(
        "\(family) shape", "\(parts[0])x\(parts[1])", accepted: "rows × cols = K = \(agents)")
    }
    return (parts[0], parts[1])
  }

  func path(_ format: String) throws -> String {
    guard let argument, !argument.isEmpty else {
      throw FlatlandError.invalid("topology", name, accepted: "\(family):\(format)")
    }
    return argument
  }
}
