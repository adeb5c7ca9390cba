import FlatlandCore
import FlatlandModels
import FlatlandTestSupport
import Testing

@Suite struct HessianTests {
  /// A tanh MLP with 5·6 + 6 + 6·3 + 3 = 57 parameters: small enough for its dense Hessian.
  let network = try! Network.named("tanh-mlp:6", input: .flat(5), classes: 3)
  let x = normalVector(4 * 5, seed: 11)
  let y: [Int32] = [0, 2, 1, 2]

  func hvp(_ w: [Double], _ v: [Double]) -> [Double] {
    var out = [Double](repeating: 0, count: w.count)
    let ws = network.makeWorkspace(capacity: 4, of: Double.self)
    _ = network.hessianVectorProduct(w, direction: v, features: x, labels: y, result: &out, workspace: ws)
    return out
  }

  @Test func hvpColumnsEqualTheDenseFiniteDifferenceHessian() {
    let w = network.initialParameters(seed: 2).map(Double.init)
    let n = network.parameterCount
    #expect(n == 57)
    let fd = FiniteDifferences(network: network, features: x, labels: y)
    var worst = 0.0
    for j in 0..<n {
      var e = [Double](repeating: 0, count: n)
      e[j] = 1
      worst = max(worst, GradientCheck.error(hvp(w, e), fd.hessianVectorProduct(w, e)))
    }
    #expect(worst < 1e-5, "largest column error \(worst)")
  }

  @Test func hessianIsSymmetric() {
    let w = network.initialParameters(seed: 2).map(Double.init)
    let u = normalVector(network.parameterCount, seed: 1)
    let v = normalVector(network.parameterCount, seed: 2)
    let uHv = VectorMath.dot(u, hvp(w, v))
    let vHu = VectorMath.dot(v, hvp(w, u))
    #expect(relativeError(uHv, vHu) < 1e-12, "uᵀHv = \(uHv), vᵀHu = \(vHu)")
  }

  @Test func chunkedEvaluationEqualsOneBatch() {
    // Capacity 3 forces two chunks over 4 samples; the mean gradient must not change, and the
    // first chunk overwrites whatever the gradient held.
    let w = network.initialParameters(seed: 2).map(Double.init)
    var whole = [Double](repeating: 0, count: network.parameterCount)
    var chunked = [Double](repeating: .nan, count: network.parameterCount)
    _ = network.lossAndGradient(
      w, features: x, labels: y, gradient: &whole, workspace: network.makeWorkspace(capacity: 4))
    _ = network.lossAndGradient(
      w, features: x, labels: y, gradient: &chunked, workspace: network.makeWorkspace(capacity: 3))
    #expect(maxRelativeError(whole, chunked) < 1e-14)
  }

  @Test func preparedProductsEqualFullProductsBitForBit() {
    let w = network.initialParameters(seed: 2).map(Double.init)
    let ws = network.makeWorkspace(capacity: 4, of: Double.self)
    let stats = network.prepareCurvature(w, features: x, labels: y, workspace: ws)
    #expect(stats == network.evaluate(w, features: x, labels: y, workspace: network.makeWorkspace(capacity: 4)))
    for seed in [5, 6] as [UInt64] {
      let v = normalVector(network.parameterCount, seed: seed)
      var prepared = [Double](repeating: .nan, count: v.count)
      network.preparedHessianVectorProduct(w, direction: v, features: x, result: &prepared, workspace: ws)
      #expect(prepared == hvp(w, v))
    }
  }

  @Test func crossEntropyOfUniformLogitsIsLogC() {
    // Zero weights give zero logits: loss = log 3 exactly, whatever the inputs.
    let w = [Double](repeating: 0, count: network.parameterCount)
    let stats = network.evaluate(w, features: x, labels: y, workspace: network.makeWorkspace(capacity: 4))
    #expect(abs(stats.loss - Double.log(3)) < 1e-15)
  }
}

@Suite struct ModelZooTests {
  @Test func layoutNamesAndShapesFollowPyTorch() throws {
    let net = try Network.named("mlp:256,256", input: SampleShape(channels: 1, height: 28, width: 28), classes: 10)
    #expect(net.parameterCount == 784 * 256 + 256 + 256 * 256 + 256 + 256 * 10 + 10)
    #expect(
      net.layout.tensors.map(\.name) == [
        "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "linear3.weight", "linear3.bias",
      ])
    #expect(net.layout.tensor(named: "linear2.weight")?.shape == [256, 256])
    let lenet = try Network.named("lenet5", input: SampleShape(channels: 1, height: 28, width: 28), classes: 10)
    #expect(lenet.layout.tensor(named: "conv1.weight")?.shape == [6, 1, 5, 5])
    #expect(lenet.parameterCount == 61_706)
    let resnet = try Network.named("resnet8", input: SampleShape(channels: 3, height: 32, width: 32), classes: 10)
    #expect(resnet.layout.tensor(named: "block2.proj.weight")?.shape == [32, 16, 1, 1])
  }

  @Test(arguments: ["", "mlp", "mlp:", "mlp:0", "mlp:abc", "mlp:8,", "lenet", "resnet8:3", "logreg:2"])
  func badNamesThrowOneLineErrors(_ name: String) {
    do {
      _ = try Network.named(name, input: .flat(784), classes: 10)
      Issue.record("\(name) was accepted")
    } catch let error as FlatlandError {
      #expect(error.kind == .invalidArgument)
      #expect(!error.message.contains("\n"))
      #expect(error.message.contains("'"))
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func shapesAModelCannotTakeAreRejected() {
    #expect(throws: FlatlandError.self) { try Network.named("lenet5", input: .flat(784), classes: 10) }
    #expect(throws: FlatlandError.self) {
      try Network.named("resnet8", input: SampleShape(channels: 1, height: 28, width: 20), classes: 10)
    }
    #expect(throws: FlatlandError.self) { try Network.named("mlp:4", input: .flat(4), classes: 1) }
  }

  @Test func initializationIsSeededAndScaled() throws {
    let net = try Network.named("mlp:512", input: .flat(1000), classes: 10)
    let a = net.initialParameters(seed: 1)
    let b = net.initialParameters(seed: 1)
    let c = net.initialParameters(seed: 2)
    #expect(a == b && a != c)
    // He: first-layer weights have variance 2/1000.
    let first = net.layout.tensors[0].range.map { Double(a[$0]) }
    let variance = first.reduce(0) { $0 + $1 * $1 } / Double(first.count)
    #expect(abs(variance / 0.002 - 1) < 0.01)
  }
}
