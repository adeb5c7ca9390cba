import FlatlandCore
import Foundation
import Testing

@testable import FlatlandExperiments
@testable import flatland

/// `TrainingConfig.settings` is the one declaration of a setting: every field has a row, every
/// row a flag, and the JSON form, the file checks and the flags all go through the rows.
@Suite struct TrainingSettingTests {
  /// A config whose every field differs from the default.
  static let everyFieldSet: TrainingConfig = {
    var c = TrainingConfig()
    c.dataset = "synthetic:gaussians"
    c.dataDir = "/data"
    c.partition = "dirichlet:0.5"
    c.model = "logreg"
    c.agents = 4
    c.topology = "torus"
    c.weights = "uniform"
    c.strategies = ["diffusion"]
    c.batch = 8
    c.lr = 0.25
    c.schedule = "cosine"
    c.warmup = 3
    c.momentum = 0.5
    c.weightDecay = 1e-4
    c.clip = 2
    c.localSteps = 4
    c.swa = "5,2"
    c.epochs = 2
    c.iterations = 7
    c.evalEvery = 5
    c.evalSamples = 100
    c.agentEvalSamples = 50
    c.checkpointEvery = 6
    c.seed = 9
    c.independentInit = true
    c.initFrom = "runs/a"
    c.replacement = true
    c.out = "runs/b"
    return c
  }()

  /// The stored properties, as Swift names them.
  static var fieldNames: [String] { Mirror(reflecting: TrainingConfig()).children.compactMap(\.label) }

  @Test func everyFieldHasOneRowAndEveryRowOneField() throws {
    #expect(Set(TrainingConfig.keys).count == TrainingConfig.settings.count)
    #expect(Self.fieldNames.count == TrainingConfig.settings.count)
    #expect(Self.fieldNames.count == Mirror(reflecting: Self.everyFieldSet).children.count)
    // Each row writes its own field: a round trip of a config that differs everywhere from the
    // default gives it back, which fails when a row is missing or two rows share a field.
    let data = try JSONEncoder().encode(Self.everyFieldSet)
    #expect(try JSONDecoder().decode(TrainingConfig.self, from: data) == Self.everyFieldSet)
    let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    #expect(Set(object.keys) == Set(TrainingConfig.keys))
  }

  @Test func unsetOptionalsAreLeftOutAndAbsentKeysKeepTheirDefaults() throws {
    let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfig())) as! [String: Any]
    #expect(
      Set(TrainingConfig.keys).subtracting(object.keys) == [
        "data_dir", "weights", "clip", "swa", "iterations", "eval_every", "checkpoint_every", "init",
      ])
    // A config.json from before a setting existed still opens.
    let old = try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"batch": 8, "clip": null}"#.utf8))
    var expected = TrainingConfig()
    expected.batch = 8
    #expect(old == expected)
    // Another program's JSON is not taken for a config.
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(TrainingConfig.self, from: Data(#"{"mine": 1}"#.utf8))
    }
  }

  @Test func everyRowHasAFlagNamedAfterItsKey() throws {
    let labels = Mirror(reflecting: try TrainingOptions.parse([])).children.compactMap(\.label)
    #expect(labels.map(TrainingOptions.key).sorted() == TrainingConfig.keys.sorted())
    #expect(TrainingOptions.key("_weightDecay") == "weight_decay")
    #expect(TrainingOptions.key("_agentEvalSamples") == "agent_eval_samples")
  }

  @Test func flagsOverrideEveryFieldAndOnlyTheGivenOnes() throws {
    let c = Self.everyFieldSet
    let flags = try TrainingOptions.parse([
      "--dataset", c.dataset, "--data-dir", c.dataDir!, "--partition", c.partition, "--model", c.model,
      "--agents", "\(c.agents)", "--topology", c.topology, "--weights", c.weights!, "--strategy", "diffusion",
      "--batch", "\(c.batch)", "--lr", "\(c.lr)", "--schedule", c.schedule, "--warmup", "\(c.warmup)",
      "--momentum", "\(c.momentum)", "--weight-decay", "\(c.weightDecay)", "--clip", "\(c.clip!)",
      "--local-steps", "\(c.localSteps)", "--swa", c.swa!, "--epochs", "\(c.epochs)",
      "--iterations", "\(c.iterations!)",
      "--eval-every", "\(c.evalEvery!)", "--eval-samples", "\(c.evalSamples)", "--agent-eval-samples",
      "\(c.agentEvalSamples)", "--checkpoint-every", "\(c.checkpointEvery!)", "--seed", "\(c.seed)",
      "--independent-init", "--init", c.initFrom!, "--replacement", "--out", c.out,
    ])
    #expect(flags.apply(to: TrainingConfig()) == c)
    // Flags not given leave the file's values, switches included.
    let some = try TrainingOptions.parse(["--batch", "3", "--strategy", "consensus,diffusion"])
    var expected = c
    expected.batch = 3
    expected.strategies = ["consensus", "diffusion"]
    #expect(some.apply(to: c) == expected)
  }

  @Test func eachRowChecksItsValueByKey() {
    let cases: [(String, Any, String)] = [
      ("agents", 0, "invalid agents '0': expected a positive integer"),
      ("eval_samples", -1, "invalid eval_samples '-1': expected 0 (all) or a positive count"),
      ("momentum", 1.0, "invalid momentum '1.0': expected a value in [0, 1), also in Float32"),
      ("clip", 0.0, "invalid clip '0.0': expected a positive gradient norm, finite and nonzero in Float32"),
      ("lr", 1e39, "invalid lr '1e+39': expected a positive step size, finite and nonzero in Float32"),
      ("out", "", "invalid out '': expected a folder path (an empty one would write into the working folder)"),
    ]
    for (key, value, message) in cases {
      #expect(throws: FlatlandError(.invalidArgument, message)) {
        try TrainingConfig().setting(key, to: value).validate()
      }
    }
  }
}
