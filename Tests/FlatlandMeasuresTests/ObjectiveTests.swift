import FlatlandCore
import FlatlandMeasures
import FlatlandModels
import FlatlandTestSupport
import Testing

/// The network objective's chunked, threaded passes, and the optimization-error helpers.
@Suite struct ObjectiveTests {
  let fixture = DenseFixture.shared

  @Test func chunksCombineToTheSingleBatchValues() {
    // Three chunks of 16 against the network's own pass over all 48 samples, in Double.
    let objective = try! NetworkObjective(
      network: fixture.network, features: fixture.features, labels: fixture.labels, parts: 3, threads: 2, capacity: 7)
    let ws = fixture.network.makeWorkspace(capacity: 48, of: Double.self)
    let v = normalVector(fixture.w.count, seed: 40)
    var g = [Double](repeating: 0, count: fixture.w.count)
    var gRef = g
    var hv = g
    var hvRef = g
    let loss = objective.lossAndGradient(fixture.w, gradient: &g)
    let lossRef = fixture.network.lossAndGradient(
      fixture.w, features: fixture.features, labels: fixture.labels, gradient: &gRef, workspace: ws
    ).loss
    objective.hessianVectorProduct(fixture.w, direction: v, result: &hv)
    _ = fixture.network.hessianVectorProduct(
      fixture.w, direction: v, features: fixture.features, labels: fixture.labels, result: &hvRef, workspace: ws)
    #expect(relativeError(loss, lossRef) < 1e-14)
    #expect(maxRelativeError(g, gRef, floor: 1e-12) < 1e-12)
    #expect(maxRelativeError(hv, hvRef, floor: 1e-12) < 1e-12)
    #expect(objective.evaluate(fixture.w).count == 48)
  }

  @Test func resultsAreBitIdenticalForAnyThreadCount() {
    let one = fixture.floatObjective(parts: 2, threads: 1)
    let two = fixture.floatObjective(parts: 2, threads: 2)
    let v = normalVector(fixture.w.count, seed: 41).map(Float.init)
    var a = [Float](repeating: 0, count: v.count)
    var b = a
    one.hessianVectorProduct(fixture.w32, direction: v, result: &a)
    two.hessianVectorProduct(fixture.w32, direction: v, result: &b)
    #expect(a == b)
    #expect(one.lossAndGradient(fixture.w32, gradient: &a) == two.lossAndGradient(fixture.w32, gradient: &b))
    #expect(a == b)
  }

  @Test func curvatureCacheFollowsThePoint() {
    // Cached (whole chunks in memory) against uncached (budget 0, chunks of 7) objectives:
    // an HVP after a gradient at another point must not reuse the stale forward pass.
    let cached = try! NetworkObjective(
      network: fixture.network, features: fixture.features, labels: fixture.labels, parts: 2, threads: 2, capacity: 7)
    let plain = try! NetworkObjective(
      network: fixture.network, features: fixture.features, labels: fixture.labels, parts: 2, threads: 2, capacity: 7,
      cacheBudget: 0)
    #expect(cached.cachesCurvature && !plain.cachesCurvature)
    let w2 = fixture.w.enumerated().map { $1 + 0.1 * Double($0 % 5 - 2) }
    let v = normalVector(fixture.w.count, seed: 42)
    var first = [Double](repeating: 0, count: v.count)
    var again = first
    var other = first
    var reference = first
    var g = first
    cached.hessianVectorProduct(fixture.w, direction: v, result: &first)
    _ = cached.lossAndGradient(w2, gradient: &g)
    cached.hessianVectorProduct(fixture.w, direction: v, result: &again)
    #expect(first == again)
    // A per-sample gradient between two HVPs at one point must not disturb the cache.
    _ = cached.sampleLossAndGradient(fixture.w, sample: 5, gradient: &g)
    cached.hessianVectorProduct(fixture.w, direction: v, result: &again)
    #expect(first == again)
    cached.hessianVectorProduct(w2, direction: v, result: &other)
    plain.hessianVectorProduct(w2, direction: v, result: &reference)
    #expect(maxRelativeError(other, reference, floor: 1e-12) < 1e-12)
    plain.hessianVectorProduct(fixture.w, direction: v, result: &reference)
    #expect(maxRelativeError(first, reference, floor: 1e-12) < 1e-12)
  }

  @Test func preparingCurvatureGivesTheLossAndTheSameHVPs() {
    // The point check that measures run first also prepares their HVPs: the same J(w) as a
    // plain evaluation, and HVPs bit-identical to those of an objective that prepared lazily,
    // even when the eager one was prepared at another point before.
    let eager = fixture.floatObjective(parts: 2, threads: 2)
    let lazy = fixture.floatObjective(parts: 2, threads: 2)
    let v = normalVector(fixture.w.count, seed: 43).map(Float.init)
    var a = [Float](repeating: 0, count: v.count)
    var b = a
    let elsewhere = fixture.w32.enumerated().map { $1 + 0.1 * Float($0 % 5 - 2) }
    #expect(eager.prepareCurvature(at: elsewhere) == lazy.loss(elsewhere))
    #expect(eager.prepareCurvature(at: fixture.w32) == lazy.loss(fixture.w32))
    eager.hessianVectorProduct(fixture.w32, direction: v, result: &a)
    lazy.hessianVectorProduct(fixture.w32, direction: v, result: &b)
    #expect(a == b && a.contains { $0 != 0 })
  }

  @Test func badSampleSetsThrow() {
    let net = fixture.network
    #expect(throws: FlatlandError.self) { try NetworkObjective<Float>(network: net, features: [], labels: []) }
    #expect(throws: FlatlandError.self) { try NetworkObjective<Float>(network: net, features: [1, 2, 3], labels: [0]) }
    #expect(throws: FlatlandError.self) {
      try NetworkObjective<Float>(network: net, features: [1, 2, 3, 4, 5], labels: [3])
    }
    #expect(throws: FlatlandError.self) {
      try NetworkObjective<Float>(network: net, features: [1, 2, 3, 4, 5], labels: [0], parts: 0)
    }
    #expect(throws: FlatlandError.self) { try QuadraticObjective<Double>(hessian: [1, 2, 3, 4], minimizer: [0, 0]) }
    #expect(throws: FlatlandError.self) { try QuadraticObjective<Double>(hessian: [1, 0, 0], minimizer: [0, 0]) }
  }

  @Test func stationarityAndExcessRiskOnAQuadratic() throws {
    let q = quadratic([4, 1, 0.5], minimum: 2)
    let atMinimum = try OptimizationError.stationarity(q, at: q.minimizer)
    #expect(atMinimum.loss == 2 && atMinimum.gradientNorm < 1e-14)
    // Along eigen-directions the excess is ½λ‖δ‖² and the gradient norm λ‖δ‖, whatever the basis.
    let spectrum = try HessianSpectrum.lanczos(q, at: q.minimizer, k: 1, tolerance: 1e-12)
    #expect(abs(spectrum.lambdaMax - 4) < 1e-10)
    let w = zip(q.minimizer, normalVector(3, seed: 42)).map { $0 + 0.1 * $1 }
    let delta = zip(w, q.minimizer).map { $0 - $1 }
    var h = [Double](repeating: 0, count: 3)
    q.hessianVectorProduct(w, direction: delta, result: &h)
    #expect(
      relativeError(try OptimizationError.excessRisk(q, at: w, reference: q.minimizer), 0.5 * VectorMath.dot(delta, h))
        < 1e-12)
    #expect(relativeError(try OptimizationError.stationarity(q, at: w).gradientNorm, VectorMath.norm(h)) < 1e-12)
  }

  @Test func disagreementDistanceAndSpread() throws {
    // Agents at (0,0), (2,0), (0,2), (2,2): centroid (1,1), each at squared distance 2.
    let agents: [[Double]] = [[0, 0], [2, 0], [0, 2], [2, 2]]
    #expect(try OptimizationError.disagreement(agents) == 2)
    #expect(try OptimizationError.disagreement([[1.0, 5.0]]) == 0)
    #expect(try OptimizationError.distance([0.0, 0.0], [3.0, 4.0]) == 5)
    let spread = try Spread([1, 2, 3, 4])
    #expect(spread.mean == 2.5 && spread.min == 1 && spread.max == 4 && spread.count == 4)
    #expect(abs(spread.std - (5.0 / 3).squareRoot()) < 1e-15)
    #expect(throws: FlatlandError.self) { try OptimizationError.disagreement([[Double]]()) }
    #expect(throws: FlatlandError.self) { try OptimizationError.disagreement([[1.0, 2.0], [1.0]]) }
    #expect(throws: FlatlandError.self) { try OptimizationError.distance([1.0], [1.0, 2.0]) }
    #expect(throws: FlatlandError.self) { try Spread([]) }
  }

  @Test func errorMessagesAreOneLineAndNameTheValue() {
    do {
      _ = try HessianSpectrum.lanczos(fixture.floatObjective(), at: fixture.w32, k: 1000)
      Issue.record("k = 1000 was accepted")
    } catch let error as FlatlandError {
      #expect(error.kind == .invalidArgument && error.message.contains("'1000'") && !error.message.contains("\n"))
    } catch {
      Issue.record("unexpected \(error)")
    }
  }
}
