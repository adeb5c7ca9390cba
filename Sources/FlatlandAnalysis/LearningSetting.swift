import FlatlandCore
import FlatlandTheory
import FlatlandTopology

/// The setting a theory prediction is made for: the graph (topology, K, weight rule), the
/// step size μ and the per-agent mini-batch B.
public struct LearningSetting: Sendable, Equatable, Codable {
  public var topology: String
  public var agents: Int
  public var weights: String
  public var mu: Double
  public var batch: Int
  /// Seed of a random topology (and of everything else the prediction draws).
  public var seed: UInt64

  public init(topology: String, agents: Int, weights: String, mu: Double, batch: Int, seed: UInt64 = 1) {
    self.topology = topology
    self.agents = agents
    self.weights = weights
    self.mu = mu
    self.batch = batch
    self.seed = seed
  }

  public func validate() throws {
    guard agents >= 1 else { throw FlatlandError.invalid("--agents", agents, accepted: "K ≥ 1") }
    guard mu.isFinite, mu > 0 else { throw FlatlandError.invalid("--mu", mu, accepted: "a finite step size > 0") }
    guard batch >= 1 else { throw FlatlandError.invalid("--batch", batch, accepted: "B ≥ 1") }
  }

  /// The combination matrix of the named topology and weight rule.
  public func matrix() throws -> CombinationMatrix {
    try Topology.parse(topology, agents: agents, weights: WeightRule(parsing: weights), seed: seed).matrix(at: 0)
  }

  /// The combination schedule the theory iterates.
  func schedule() throws -> (matrix: CombinationMatrix, schedule: CombinationSchedule) {
    let a = try matrix()
    return (a, try CombinationSchedule(a.weights, agents: agents))
  }

  /// The eigenvalues of a symmetric A, which the closed forms and the small-μ expansion use.
  func symmetricEigenvalues(_ a: CombinationMatrix) throws -> [Double] {
    try SymmetricEigen(a.weights, n: agents, vectors: false).values
  }
}
