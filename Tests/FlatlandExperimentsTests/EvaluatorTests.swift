import FlatlandCore
import FlatlandData
import FlatlandMeasures
import FlatlandModels
import FlatlandStrategies
import FlatlandTestSupport
import Testing

@testable import FlatlandExperiments

/// The training evaluator and the measures' objective are one chunked evaluation: at the same
/// point with the same split they give the same bits, and neither depends on the thread count.
@Suite struct EvaluatorTests {
  /// 61 samples of 7 features in 4 classes (chunks of 15, 15, 15 and 16), a 7 → 9 → 4 MLP and
  /// a point near its initialization.
  struct Setup {
    let network: Network
    let data: Dataset
    let w: [Float]

    init() throws {
      network = try Network.named("mlp:9", input: .flat(7), classes: 4)
      let n = 61
      var rng = RandomStream(seed: 4, purpose: .measure)
      data = try Dataset(
        name: "evaluator", shape: .flat(7), classes: 4, features: normalVector(n * 7, seed: 3).map(Float.init),
        labels: (0..<n).map { _ in Int32(rng.index(below: 4)) })
      w = normalVector(network.parameterCount, seed: 5, scale: 0.3).map(Float.init)
    }
  }

  @Test(arguments: [1, 2])
  func evaluatorEqualsNetworkObjectiveBitForBit(threads: Int) throws {
    let s = try Setup()
    let evaluator = Evaluator(network: s.network, data: s.data, threads: threads, groups: 4)
    let objective = try NetworkObjective(
      network: s.network, features: s.data.features, labels: s.data.labels, parts: 4, threads: threads)
    let stats = s.w.withUnsafeBufferPointer { evaluator.stats($0) }
    #expect(stats == objective.evaluate(s.w))
    #expect(stats.count == 61 && stats.loss > 0.5)
    var gradient = [Float](repeating: 0, count: s.network.parameterCount)
    let loss = objective.lossAndGradient(s.w, gradient: &gradient)
    let (withGradient, norm) = s.w.withUnsafeBufferPointer { evaluator.gradientNorm($0) }
    #expect(withGradient.loss == loss && withGradient == stats)
    #expect(norm == VectorMath.norm(gradient) && norm > 0)
  }

  @Test func resultsDoNotDependOnTheThreadCount() throws {
    let s = try Setup()
    let agents = AgentVectors(agents: 5, length: s.network.parameterCount)
    for k in 0..<5 { agents.set(k, s.w.map { $0 * Float(k + 1) / 3 }) }
    var results: [(LossStats, LossStats, Double, [LossStats])] = []
    for threads in [1, 2, 3] {
      let evaluator = Evaluator(network: s.network, data: s.data, threads: threads, groups: 4, capacity: 7)
      let (stats, norm) = s.w.withUnsafeBufferPointer { evaluator.gradientNorm($0) }
      results.append(
        (s.w.withUnsafeBufferPointer { evaluator.stats($0) }, stats, norm, evaluator.stats(agents: agents)))
    }
    for r in results.dropFirst() {
      #expect(r.0 == results[0].0 && r.1 == results[0].1 && r.2 == results[0].2 && r.3 == results[0].3)
    }
    // Agent k alone equals a one-chunk evaluation of its row.
    let single = Evaluator(network: s.network, data: s.data, threads: 1, groups: 1, capacity: 7)
    for k in 0..<5 {
      #expect(results[0].3[k] == single.stats(UnsafeBufferPointer(agents[k])))
    }
  }
}
