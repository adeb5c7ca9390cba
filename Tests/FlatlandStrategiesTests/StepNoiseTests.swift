import FlatlandCore
import FlatlandEngines
import FlatlandStrategies
import FlatlandTestSupport
import Testing

/// Perturbed SGD's noise: its equation draw by draw, its variance, and its keying by (seed,
/// iteration, agent) alone.
@Suite struct StepNoiseTests {
  static let agents = 3

  static func perturbed(
    _ noise: StepNoise, length: Int, iteration: Int, sharedModel: Bool = false, threads: Int = 2,
    start: Float = 0
  ) -> [[Float]] {
    let w = AgentVectors(agents: agents, length: length)
    for k in 0..<agents { w.set(k, [Float](repeating: start + Float(k), count: length)) }
    noise.perturb(
      w, iteration: iteration, sharedModel: sharedModel,
      communicator: InProcessCommunicator(agents: agents, threads: threads))
    return w.rows
  }

  /// w_k,j + σ ξ_j with ξ the stream's ziggurat normals in order.
  @Test(arguments: [1, 2])
  func oneStepAddsTheKeyedDrawsCoordinateByCoordinate(threads: Int) throws {
    let noise = try StepNoise(sigma: 0.25, seed: 11)
    let length = 2 * 500 + 1
    let got = Self.perturbed(noise, length: length, iteration: 7, threads: threads, start: 1)
    for k in 0..<Self.agents {
      var rng = RandomStream(seed: 11, agent: k, purpose: .stepNoise).split(7)
      let xi = (0..<length).map { _ in rng.zigguratNormal() }
      let want = xi.map { (1 + Float(k)) + 0.25 * Float($0) }
      let differing = zip(got[k], want).filter { $0 != $1 }.count
      #expect(differing == 0, "agent \(k): \(differing) of \(length) coordinates differ")
    }
  }

  /// Over n = 200 000 coordinates the sample variance has standard error σ² √(2/n) ≈ 0.32 %
  /// and the mean σ/√n; both within four standard errors, and agents' draws uncorrelated.
  @Test func theSampleVarianceIsSigmaSquared() throws {
    let sigma = 0.03
    let n = 200_000
    let rows = Self.perturbed(try StepNoise(sigma: sigma, seed: 3), length: n, iteration: 0)
    let draws = rows.enumerated().map { k, row in row.map { Double($0) - Double(k) } }
    for (k, x) in draws.enumerated() {
      let mean = x.reduce(0, +) / Double(n)
      let variance = x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
      #expect(abs(mean) < 4 * sigma / Double(n).squareRoot(), "agent \(k): mean \(mean)")
      #expect(
        abs(variance / (sigma * sigma) - 1) < 4 * (2 / Double(n)).squareRoot(),
        "agent \(k): variance \(variance), σ² = \(sigma * sigma)")
    }
    let correlation = zip(draws[0], draws[1]).reduce(0) { $0 + $1.0 * $1.1 } / (Double(n) * sigma * sigma)
    #expect(abs(correlation) < 4 / Double(n).squareRoot(), "agents 0 and 1 correlate: \(correlation)")
  }

  /// The draw depends on the iteration and the agent, not on earlier calls: the same key gives
  /// the same noise, so a resumed run needs no noise state; a shared model gives equal rows.
  @Test func theNoiseIsKeyedByIterationAndAgentOnly() throws {
    let noise = try StepNoise(sigma: 1, seed: 9)
    let a = Self.perturbed(noise, length: 64, iteration: 4)
    #expect(a == Self.perturbed(noise, length: 64, iteration: 4, threads: 1))
    #expect(a != Self.perturbed(noise, length: 64, iteration: 5))
    #expect(a != Self.perturbed(try StepNoise(sigma: 1, seed: 10), length: 64, iteration: 4))
    let shared = Self.perturbed(noise, length: 64, iteration: 4, sharedModel: true)
    for k in 0..<Self.agents { #expect(shared[k] == a[0].map { Float(k) + $0 }, "agent \(k) left the shared model") }
    #expect(Self.perturbed(try StepNoise(sigma: 0, seed: 9), length: 5, iteration: 0)[2] == [2, 2, 2, 2, 2])
  }

  /// σ² = D / P: a run with disagreement D = 0.08 over P = 200 parameters matches σ = 0.02.
  @Test func theMatchingSigmaIsThePerCoordinateDisagreement() {
    #expect(abs(StepNoise.matchingSigma(disagreement: 0.08, parameterCount: 200) - 0.02) < 1e-15)
  }

  @Test(arguments: [-1e-3, .nan, .infinity, 1e300])
  func badSigmasAreRefused(_ sigma: Double) {
    #expect {
      try StepNoise(sigma: sigma, seed: 1)
    } throws: { error in
      (error as? FlatlandError)?.message.hasPrefix("invalid noise σ '\(sigma)'") == true
    }
  }
}
