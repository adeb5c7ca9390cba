import FlatlandCore
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

  /// The named topology on K agents with the weight rule (and the seed, for random families).
  public func network() throws -> Topology {
    try Topology.parse(topology, agents: agents, weights: WeightRule(parsing: weights), seed: seed)
  }

  /// The spectrum of a static topology's symmetric A, whose eigenvalues the closed forms and
  /// the small-μ expansion use; nil for a time-varying or non-symmetric one.
  static func symmetricSpectrum(of network: Topology) throws -> Spectrum? {
    guard network.period == 1, network.matrix(at: 0).isSymmetric else { return nil }
    return try Spectrum(network.matrix(at: 0))
  }
}
