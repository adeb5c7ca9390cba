import FlatlandCore

/// Models by name: `logreg`, `mlp:W1,W2,...`, `lenet5`, `resnet8`, and `tanh-mlp:W1,...` (tanh
/// hidden layers, for smooth-loss studies).
extension Network {
  public static let acceptedNames = "logreg, mlp:W1,W2,... (positive widths), tanh-mlp:W1,..., lenet5, resnet8"

  /// Builds the model `spec` for samples of `input` shape and `classes` outputs.
  /// - Throws: `FlatlandError` for an unknown spec, a shape the family does not accept, or a
  ///   model whose parameters or one sample's activations do not fit in `MemoryBudget` (checked
  ///   before anything is allocated).
  public static func named(_ spec: String, input: SampleShape, classes: Int, loss: LossFunction = .crossEntropy) throws
    -> Network
  {
    let shown = abbreviated(spec)
    try ClassCount.check(classes, of: "model \(shown)")
    try MemoryBudget.check(
      "input shape \(input) of model \(shown)", [input.channels, input.height, input.width],
      bytesEach: MemoryLayout<Float>.stride)
    let (kind, argument) = split(spec)
    let layers: [Layer]
    switch kind {
    case "logreg" where argument == nil:
      layers = flatten(input) + [.linear(Linear(inputs: input.count, outputs: classes))]
    case "mlp", "tanh-mlp":
      let widths = try parseWidths(spec, argument)
      try checkWeights(shown, [input.count] + widths + [classes])
      layers = flatten(input) + perceptron(input.count, widths, classes, tanh: kind == "tanh-mlp")
    case "lenet5" where argument == nil:
      layers = try lenet5(input, classes, spec: spec)
    case "resnet8" where argument == nil:
      layers = try resnet8(input, classes, spec: spec)
    default:
      throw FlatlandError.invalid("model", spec, accepted: acceptedNames)
    }
    let network = Network(name: spec, body: Sequential(layers), loss: loss)
    try MemoryBudget.check(
      "model \(shown) (\(network.parameterCount) parameters for input \(input) and \(classes) classes)",
      [network.parameterCount], bytesEach: MemoryLayout<Float>.stride)
    try MemoryBudget.check(
      "model \(shown) (activations of one sample for input \(input))",
      [network.workspaceScalarCount(capacity: 1) ?? -1],
      bytesEach: MemoryLayout<Float>.stride)
    return network
  }

  /// Throws unless the weights of consecutive `sizes` (a perceptron's fan-ins and fan-outs)
  /// add up to a parameter count within `MemoryBudget`, so that no product of two widths
  /// overflows when the layers are built.
  private static func checkWeights(_ spec: String, _ sizes: [Int]) throws {
    let total = MemoryBudget.total(
      zip(sizes, sizes.dropFirst()).map { fanIn, fanOut in
        fanIn == .max ? nil : MemoryBudget.size(of: [fanIn + 1, fanOut], bytesEach: 1)
      })
    try MemoryBudget.check(
      "model \(spec) (\(sizes.count - 1) layers, widths up to \(sizes.max() ?? 0))", [total ?? -1],
      bytesEach: MemoryLayout<Float>.stride)
  }

  /// `spec` for messages: as is up to 60 characters, else its first 40 and an ellipsis (a
  /// width list can run to thousands of entries).
  public static func abbreviated(_ spec: String) -> String {
    spec.count <= 60 ? spec : String(spec.prefix(40)) + "…"
  }

  // MARK: - Families

  private static func split(_ spec: String) -> (String, String?) {
    guard let colon = spec.firstIndex(of: ":") else { return (spec, nil) }
    return (String(spec[..<colon]), String(spec[spec.index(after: colon)...]))
  }

  private static func parseWidths(_ spec: String, _ argument: String?) throws -> [Int] {
    guard let argument, !argument.isEmpty else {
      throw FlatlandError.invalid("model", spec, accepted: "hidden widths after the colon, e.g. mlp:256,256")
    }
    return try argument.split(separator: ",", omittingEmptySubsequences: false).map { part in
      guard let w = Int(part), w > 0 else {
        throw FlatlandError.invalid("layer width", String(part), accepted: "a positive integer in \(spec)")
      }
      return w
    }
  }

  private static func flatten(_ input: SampleShape) -> [Layer] {
    input.isSpatial ? [.flatten(input)] : []
  }

  private static func perceptron(_ inputs: Int, _ widths: [Int], _ classes: Int, tanh: Bool) -> [Layer] {
    var layers: [Layer] = []
    var fanIn = inputs
    for width in widths {
      layers.append(.linear(Linear(inputs: fanIn, outputs: width)))
      let e = Elementwise(shape: .flat(width))
      layers.append(tanh ? .tanh(e) : .relu(e))
      fanIn = width
    }
    layers.append(.linear(Linear(inputs: fanIn, outputs: classes)))
    return layers
  }

  private static func requireImage(_ input: SampleShape, minimum: Int, spec: String) throws {
    guard input.isSpatial, input.height >= minimum, input.width >= minimum else {
      throw FlatlandError.invalid(
        "input shape", input,
        accepted: "an image HxWxC of at least \(minimum)x\(minimum) for \(spec) (e.g. 28x28x1 or 32x32x3)")
    }
  }

  /// LeNet-5 with ReLU and max pooling: conv 6@5×5 (pad 2) – pool – conv 16@5×5 – pool –
  /// 120 – 84 – classes.
  private static func lenet5(_ input: SampleShape, _ classes: Int, spec: String) throws -> [Layer] {
    try requireImage(input, minimum: 16, spec: spec)
    let c1 = Conv2D(input: input, filters: 6, kernel: 5, padding: 2)
    let p1 = Pool(input: c1.output, kernel: 2)
    let c2 = Conv2D(input: p1.output, filters: 16, kernel: 5)
    let p2 = Pool(input: c2.output, kernel: 2)
    return [
      .conv2D(c1), .relu(Elementwise(shape: c1.output)), .maxPool(p1),
      .conv2D(c2), .relu(Elementwise(shape: c2.output)), .maxPool(p2),
      .flatten(p2.output),
    ] + perceptron(p2.output.count, [120, 84], classes, tanh: false)
  }

  /// ResNet-8 without batch norm: conv 16@3×3 – three residual blocks (16, 32/2, 64/2) each
  /// conv–ReLU–conv with a 1×1 strided projection when the shape changes – global average
  /// pool – linear.
  private static func resnet8(_ input: SampleShape, _ classes: Int, spec: String) throws -> [Layer] {
    try requireImage(input, minimum: 8, spec: spec)
    guard input.height == input.width else {
      throw FlatlandError.invalid(
        "input shape", input, accepted: "a square image for \(spec) (e.g. 28x28x1 or 32x32x3)")
    }
    let stem = Conv2D(input: input, filters: 16, kernel: 3, padding: 1)
    var layers: [Layer] = [.conv2D(stem), .relu(Elementwise(shape: stem.output))]
    var shape = stem.output
    for (filters, stride) in [(16, 1), (32, 2), (64, 2)] {
      let a = Conv2D(input: shape, filters: filters, kernel: 3, stride: stride, padding: 1)
      let b = Conv2D(input: a.output, filters: filters, kernel: 3, padding: 1)
      let body = Sequential([.conv2D(a), .relu(Elementwise(shape: a.output)), .conv2D(b)])
      let projection =
        (stride == 1 && shape.channels == filters)
        ? nil : Conv2D(input: shape, filters: filters, kernel: 1, stride: stride)
      layers += [.residual(Residual(body: body, projection: projection)), .relu(Elementwise(shape: b.output))]
      shape = b.output
    }
    let pool = Pool(input: shape, kernel: shape.height)
    return layers + [.avgPool(pool), .flatten(pool.output), .linear(Linear(inputs: shape.channels, outputs: classes))]
  }
}
