import FlatlandCore
import FlatlandExperiments
import Foundation
import Testing

/// Values checked in the type they are used in: Double epochs become an Int iteration count,
/// Double step sizes become Float, and the sample counter iterations × K × B must fit an Int.
@Suite struct ConversionTests {
  func config() -> TrainingConfig {
    var c = TrainingConfig()
    c.dataset = "synthetic:gaussians:4,10,n=800,test=200"
    c.model = "mlp:8"
    c.agents = 2
    c.batch = 8
    c.iterations = 3
    return c
  }

  func message(_ c: TrainingConfig) -> String {
    do {
      _ = try Experiment(c, threads: 1)
      return "no error"
    } catch let error as FlatlandError {
      return error.message
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func runLengthsThatOverflowTheSampleCounterAreRefused() {
    var c = config()
    c.iterations = .max
    // 800 training samples... the limit is Int.max / (K·B) = Int.max / 16.
    #expect(message(c).hasPrefix("invalid iterations '9223372036854775807': expected at most 576460752303423487"))
    c.iterations = 576_460_752_303_423_487
    #expect(!message(c).contains("iterations '"))
    c.iterations = nil
    c.epochs = 1e300
    #expect(message(c).hasPrefix("invalid epochs '1e+300': expected at most 576460752303423487 iterations"))
    c.epochs = .greatestFiniteMagnitude
    #expect(message(c).hasPrefix("invalid epochs"))
  }

  @Test func aWarmupLongerThanTheRunIsRefused() throws {
    var c = config()
    c.warmup = 99_999_999_999
    #expect(
      message(c)
        == "invalid warmup '99999999999': expected at most the run's 3 iterations (a longer warm-up never reaches "
        + "the step size 0.1)")
    c.warmup = 3
    #expect(try Experiment(c, threads: 1).iterations == 3)
  }

  @Test(arguments: [
    ("lr", 1e308), ("lr", 1e-50), ("momentum", 0.999_999_999_9), ("weight_decay", 1e39), ("clip", 1e-46),
  ])
  func valuesThatLeaveFloat32AreRefused(_ key: String, _ value: Double) {
    var c = config()
    switch key {
    case "lr": c.lr = value
    case "momentum": c.momentum = value
    case "weight_decay": c.weightDecay = value
    default: c.clip = value
    }
    #expect(message(c).hasPrefix("invalid \(key) '\(value)'"), "\(message(c))")
    #expect(message(c).contains("Float32"))
  }

  @Test func aRunBeyondTheMemoryBudgetIsRefusedBeforeAllocating() {
    var c = config()
    c.agents = 800
    c.batch = 1
    c.model = "mlp:" + Array(repeating: "4096", count: 20).joined(separator: ",")
    // 20 layers of 4096² weights: 3.4·10⁸ parameters (1.3 GB) per agent, 3.1 TB for 800 agents.
    #expect(message(c).hasPrefix("a run of 800 agents of model mlp:4096"), "\(message(c))")
    #expect(message(c).contains("would need 3.1 TB"), "\(message(c))")
  }
}
