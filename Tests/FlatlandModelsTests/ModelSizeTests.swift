import FlatlandCore
import FlatlandModels
import Testing

/// Model sizes are known before anything is allocated: the workspace count computed from the
/// shapes equals what a workspace holds, and models beyond the memory budget are refused.
@Suite struct ModelSizeTests {
  static let image = SampleShape(channels: 1, height: 16, width: 16)

  @Test(arguments: ["logreg", "mlp:7,5", "tanh-mlp:6", "lenet5", "resnet8"])
  func theWorkspaceSizeIsKnownBeforeAllocating(_ name: String) throws {
    let network = try Network.named(name, input: Self.image, classes: 10)
    for capacity in [1, 3, 8] {
      let planned = network.workspaceScalarCount(capacity: capacity)
      #expect(planned == network.makeWorkspace(capacity: capacity, of: Float.self).scalarCount, "\(name) × \(capacity)")
    }
    #expect(network.workspaceScalarCount(capacity: .max / 2) == nil)
  }

  func refusal(_ spec: String, input: SampleShape = .flat(10), classes: Int = 4) -> String? {
    do {
      _ = try Network.named(spec, input: input, classes: classes)
      return nil
    } catch let error as FlatlandError {
      return error.kind == .invalidArgument && !error.message.contains("\n") ? error.message : "bad: \(error)"
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func modelsBeyondTheBudgetAreRefusedBeforeAllocating() {
    // 10·10⁹ + 10⁹ + 4·10⁹ + 4 parameters = 60 GB as Float.
    let wide = refusal("mlp:1000000000")
    #expect(
      wide?.hasPrefix("model mlp:1000000000 (2 layers, widths up to 1000000000) would need 60.0 GB") == true,
      "\(wide ?? "")")
    #expect(refusal("mlp:4611686018427387904,4")?.contains("would need more than") == true)
    #expect(refusal("mlp:\(Int.max)")?.contains("would need more than") == true)
    #expect(refusal("logreg", classes: 10_000_000_000)?.contains("2 to 65536 classes") == true)
    let huge = SampleShape(channels: 100_000, height: 100_000, width: 100_000)
    #expect(refusal("lenet5", input: huge)?.contains("input shape 100000x100000x100000 of model lenet5") == true)
  }

  @Test func longModelSpecsAreShortenedInMessages() {
    let spec = "mlp:" + Array(repeating: "1000000", count: 20_000).joined(separator: ",")
    let message = refusal(spec) ?? ""
    #expect(message.hasPrefix("model mlp:1000000,1000000,1000000,1000000,1000…"), "\(message.prefix(80))")
    #expect(message.count < 200)
  }

  @Test func aGradientCheckBatchBeyondTheBudgetIsRefused() throws {
    let network = try Network.named("mlp:8", input: .flat(784), classes: 10)
    #expect(throws: FlatlandError.self) { _ = try GradientCheck(network: network, samples: 100_000_000) }
  }
}
