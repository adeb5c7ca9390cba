import ArgumentParser
import FlatlandCore
import FlatlandModels

/// `flatland gradcheck`: the model's Float32 gradient and Hessian-vector product against
/// central finite differences in Double.
struct Gradcheck: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check a model's gradient and Hessian-vector product against finite differences in Double.")

  @Option(help: "Model: \(Network.acceptedNames).")
  var model: String

  @Option(help: "Input shape HxWxC (e.g. 28x28x1) or a feature count.")
  var input: String = "28x28x1"

  @Option(parsing: .unconditional, help: "Number of classes.")
  var classes: Int = 10

  @Option(parsing: .unconditional, help: "Random samples in the check batch.")
  var samples: Int = 4

  @Option(parsing: .unconditional, help: "Gradient coordinates compared (a seeded sample when the model is larger).")
  var coordinates: Int = 200

  @Option(help: "Seed for the inputs and the initialization.")
  var seed: UInt64 = 1

  @Flag(help: "Print JSON.")
  var json = false

  func validate() throws {
    guard samples > 0 else { throw FlatlandError.invalid("--samples", samples, accepted: "a positive integer") }
    guard coordinates > 0 else {
      throw FlatlandError.invalid("--coordinates", coordinates, accepted: "a positive integer")
    }
  }

  func run() throws {
    let shape = try SampleShape(parsing: input)
    let network = try Network.named(model, input: shape, classes: classes)
    let check = try GradientCheck(network: network, samples: samples, maxCoordinates: coordinates, seed: seed)
    if json {
      try printJSON(check)
    } else {
      print("model \(check.model): \(check.parameters) parameters, \(check.coordinates) coordinates checked")
      print("max relative gradient error \(check.maxRelativeGradientError)")
      print("max relative HVP error      \(check.maxRelativeHVPError)")
    }
  }
}
