import FlatlandCore
import FlatlandModels
import FlatlandTestSupport
import Testing

/// Every layer kind and every named model, checked in Double (tight: the R-operator algebra) and
/// through the Float32 path the trainer uses (to a relative 1e-3).
@Suite struct GradientTests {
  /// Small networks that isolate each layer kind.
  static let layerCases: [(String, Network)] = {
    let img = SampleShape(channels: 2, height: 6, width: 6)
    let conv = Conv2D(input: img, filters: 3, kernel: 3, stride: 1, padding: 1)
    let strided = Conv2D(input: img, filters: 3, kernel: 3, stride: 2, padding: 1)
    let pool = Pool(input: conv.output, kernel: 2)
    let flat = pool.output.count
    func head(_ s: SampleShape) -> [Layer] { [.flatten(s), .linear(Linear(inputs: s.count, outputs: 4))] }
    let body = Sequential([
      .conv2D(conv), .tanh(Elementwise(shape: conv.output)),
      .conv2D(Conv2D(input: conv.output, filters: 3, kernel: 3, padding: 1)),
    ])
    let projBody = Sequential([
      .conv2D(strided), .relu(Elementwise(shape: strided.output)),
      .conv2D(Conv2D(input: strided.output, filters: 3, kernel: 3, padding: 1)),
    ])
    let identityBody = Sequential([
      .conv2D(Conv2D(input: img, filters: 2, kernel: 3, padding: 1)), .tanh(Elementwise(shape: img)),
    ])
    return [
      (
        "linear+tanh",
        Network(
          name: "t",
          body: Sequential([
            .linear(Linear(inputs: 5, outputs: 7)), .tanh(Elementwise(shape: .flat(7))),
            .linear(Linear(inputs: 7, outputs: 3)),
          ]))
      ),
      (
        "linear+mse",
        Network(
          name: "m",
          body: Sequential([
            .linear(Linear(inputs: 5, outputs: 6)), .tanh(Elementwise(shape: .flat(6))),
            .linear(Linear(inputs: 6, outputs: 3)),
          ]), loss: .meanSquared)
      ),
      (
        "conv+relu+maxpool",
        Network(
          name: "c",
          body: Sequential([.conv2D(conv), .relu(Elementwise(shape: conv.output)), .maxPool(pool)] + head(pool.output)))
      ),
      (
        "conv+tanh+avgpool",
        Network(
          name: "a",
          body: Sequential([
            .conv2D(conv), .tanh(Elementwise(shape: conv.output)), .avgPool(pool), .flatten(pool.output),
            .linear(Linear(inputs: flat, outputs: 4)),
          ]))
      ),
      (
        "strided conv",
        Network(
          name: "s",
          body: Sequential([.conv2D(strided), .tanh(Elementwise(shape: strided.output))] + head(strided.output)))
      ),
      (
        "residual with projection",
        Network(
          name: "r",
          body: Sequential(
            [
              .residual(Residual(body: projBody, projection: Conv2D(input: img, filters: 3, kernel: 1, stride: 2))),
              .relu(Elementwise(shape: projBody.output)),
            ] + head(projBody.output)))
      ),
      (
        "residual identity",
        Network(
          name: "i",
          body: Sequential(
            [.residual(Residual(body: identityBody, projection: nil)), .tanh(Elementwise(shape: img))] + head(img)))
      ),
      (
        "residual tanh body",
        Network(
          name: "b",
          body: Sequential(
            [.residual(Residual(body: body, projection: Conv2D(input: img, filters: 3, kernel: 1)))] + head(conv.output)
          ))
      ),
    ]
  }()

  @Test(arguments: 0..<8)
  func layerGradientsAndHVPsMatchDoubleFiniteDifferences(_ index: Int) {
    let (label, network) = Self.layerCases[index]
    let (gradError, hvpError) = doubleCheck(network)
    #expect(gradError < 1e-6, "\(label): gradient error \(gradError)")
    #expect(hvpError < 1e-5, "\(label): HVP error \(hvpError)")
  }

  @Test(arguments: ["logreg", "mlp:16,8", "tanh-mlp:12", "lenet5", "resnet8"])
  func namedModelsPassTheFloat32Check(_ name: String) throws {
    let input =
      name == "resnet8"
      ? SampleShape(channels: 3, height: 8, width: 8) : SampleShape(channels: 1, height: 16, width: 16)
    let network = try Network.named(name, input: input, classes: 10)
    let check = try GradientCheck(network: network, samples: 3, maxCoordinates: 150)
    #expect(check.maxRelativeGradientError < 1e-3, "\(name): gradient \(check.maxRelativeGradientError)")
    #expect(check.maxRelativeHVPError < 1e-3, "\(name): HVP \(check.maxRelativeHVPError)")
    let (gradError, hvpError) = doubleCheck(network, samples: 2, coordinates: 60)
    #expect(gradError < 1e-6 && hvpError < 1e-5, "\(name) in Double: \(gradError), \(hvpError)")
  }

  /// Analytic Double gradient and HVP against Double finite differences.
  func doubleCheck(_ network: Network, samples: Int = 3, coordinates: Int = 10_000) -> (Double, Double) {
    var rng = RandomStream(seed: 5, purpose: .measure)
    let x: [Double] = (0..<(samples * network.inputShape.count)).map { _ in rng.uniform() }
    let y = (0..<samples).map { _ in Int32(rng.index(below: network.classes)) }
    let w = network.initialParameters(seed: 3).map(Double.init)
    let v = normalVector(network.parameterCount, seed: 4)
    let fd = FiniteDifferences(network: network, features: x, labels: y)
    let g = fd.gradient(w)
    let idx =
      network.parameterCount <= coordinates
      ? Array(0..<network.parameterCount) : (0..<coordinates).map { _ in rng.index(below: network.parameterCount) }
    let gradError = GradientCheck.error(idx.map { g[$0] }, idx.map { fd.partial(w, $0) })
    var hv = [Double](repeating: 0, count: network.parameterCount)
    let ws = network.makeWorkspace(capacity: samples, of: Double.self)
    _ = network.hessianVectorProduct(w, direction: v, features: x, labels: y, result: &hv, workspace: ws)
    return (gradError, GradientCheck.error(hv, fd.hessianVectorProduct(w, v)))
  }
}
