import Foundation

/// Everything `flatland topology` reports about a topology's matrix A(i) at one iteration:
/// structure, stochasticity, connectivity and spectrum. Encodes to JSON with snake_case keys.
public struct TopologyReport: Codable, Sendable, Equatable {
  public let name: String
  public let agents: Int
  public let weights: WeightRule
  /// The iteration i whose A(i) is analyzed (0 unless asked otherwise).
  public let iteration: Int
  public let timeVarying: Bool
  /// 1 for a static topology, the cycle length of a periodic one, nil for random draws.
  public let period: Int?
  /// Number of undirected edges {l, k} with a_lk > 0 or a_kl > 0.
  public let edges: Int
  /// Those edges as [l, k] pairs with l < k.
  public let edgeList: [[Int]]
  public let lambda2: Double
  public let spectralGap: Double
  /// `Spectrum.mixingTime(epsilon:)` at `mixingEpsilon`.
  public let mixingTime: Double
  public let mixingEpsilon: Double
  /// λ₂ of the product A(0) A(1) ⋯ A(p − 1) over one period, for periodic time-varying
  /// topologies: how much one full cycle mixes (0 when the cycle averages exactly).
  public let periodLambda2: Double?
  public let symmetric: Bool
  public let doublyStochastic: Bool
  public let leftStochastic: Bool
  public let rightStochastic: Bool
  public let connected: Bool
  public let primitive: Bool
  /// Real parts by decreasing modulus; `eigenvaluesImag` holds the imaginary parts when any is nonzero.
  public let eigenvalues: [Double]
  public let eigenvaluesImag: [Double]?
  public let perronVector: [Double]?
  /// A(i) as K rows: `matrix[l][k]` = a_lk.
  public let matrix: [[Double]]

  private enum CodingKeys: String, CodingKey {
    case name, agents, weights, iteration, period, edges, lambda2, symmetric, connected, primitive, eigenvalues, matrix
    case timeVarying = "time_varying"
    case edgeList = "edge_list"
    case spectralGap = "spectral_gap"
    case mixingTime = "mixing_time"
    case mixingEpsilon = "mixing_epsilon"
    case periodLambda2 = "period_lambda2"
    case doublyStochastic = "doubly_stochastic"
    case leftStochastic = "left_stochastic"
    case rightStochastic = "right_stochastic"
    case eigenvaluesImag = "eigenvalues_imag"
    case perronVector = "perron_vector"
  }

  /// Analyzes `topology.matrix(at: iteration)`; the mixing time is to `mixingEpsilon`.
  public init(_ topology: Topology, iteration: Int = 0, mixingEpsilon: Double = 1e-3) throws {
    let a = topology.matrix(at: iteration)
    let spectrum = try Spectrum(a)
    let support = a.supportEdges
    name = topology.name
    agents = topology.agents
    weights = topology.weights
    self.iteration = iteration
    timeVarying = topology.isTimeVarying
    period = topology.period
    edges = support.count
    edgeList = support.map { [$0.u, $0.v] }
    lambda2 = spectrum.lambda2
    spectralGap = spectrum.spectralGap
    mixingTime = spectrum.mixingTime(epsilon: mixingEpsilon)
    self.mixingEpsilon = mixingEpsilon
    periodLambda2 = try topology.isTimeVarying ? topology.periodProduct().map { try Spectrum($0).lambda2 } : nil
    symmetric = a.isSymmetric
    doublyStochastic = a.isDoublyStochastic
    leftStochastic = a.isLeftStochastic
    rightStochastic = a.isRightStochastic
    connected = spectrum.isConnected
    primitive = spectrum.isPrimitive
    eigenvalues = spectrum.eigenvalues
    eigenvaluesImag = spectrum.imaginaryParts.contains { $0 != 0 } ? spectrum.imaginaryParts : nil
    perronVector = spectrum.perronVector
    matrix = (0..<a.agents).map { l in Array(a.weights[(l * a.agents)..<((l + 1) * a.agents)]) }
  }

  /// A few human-readable lines: the summary `flatland topology` prints without flags.
  public var text: String {
    func yes(_ b: Bool) -> String { b ? "yes" : "no" }
    func g(_ x: Double) -> String { String(format: "%.6g", x) }
    var lines = [
      "topology \(name), K = \(agents), weights \(weights.rawValue), \(edges) edges"
        + (timeVarying ? ", time-varying (period \(period.map(String.init) ?? "none"), showing A(\(iteration)))" : ""),
      "lambda2 \(g(lambda2)), spectral gap \(g(spectralGap)), mixing time ≈ \(g(mixingTime)) iterations (to "
        + "\(g(mixingEpsilon)))",
      "symmetric \(yes(symmetric)), doubly stochastic \(yes(doublyStochastic)), left-stochastic "
        + "\(yes(leftStochastic)), connected \(yes(connected)), primitive \(yes(primitive))",
    ]
    if let periodLambda2 { lines.append("lambda2 of one period's product \(g(periodLambda2))") }
    let shown = eigenvalues.prefix(8).enumerated().map { i, re in
      let im = eigenvaluesImag?[i] ?? 0
      return im == 0 ? g(re) : "\(g(re))\(im < 0 ? "-" : "+")\(g(abs(im)))i"
    }
    lines.append(
      "eigenvalues \(shown.joined(separator: ", "))\(eigenvalues.count > 8 ? ", … (\(eigenvalues.count) in all)" : "")")
    return lines.joined(separator: "\n")
  }
}
