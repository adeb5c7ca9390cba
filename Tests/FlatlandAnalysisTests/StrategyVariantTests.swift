import FlatlandAnalysis
import FlatlandCore
import FlatlandExperiments
import FlatlandStrategies
import Foundation
import Testing

/// `KIND+MODIFIER` entries of `strategies`: each variant's run is exactly the run of its rule
/// with the variant's settings, in a folder of its own label, beside the plain runs of one job.
@Suite struct StrategyVariantTests {
  @Test func entriesParseIntoARuleAndItsOverrides() throws {
    let sam = try StrategyVariant(parsing: "diffusion+sam:0.05")
    #expect(
      sam.kind == .diffusion && sam.optimizer == "sam:0.05" && sam.noise == nil && sam.label == "diffusion+sam:0.05")
    let both = try StrategyVariant(parsing: "centralized+asam:0.5+noise:0.001")
    #expect(both.kind == .centralized && both.optimizer == "asam:0.5" && both.noise == .sigma("0.001"))
    #expect(try StrategyVariant(parsing: "centralized+noise:match:diffusion").noise == .match("diffusion"))
    #expect(try StrategyVariant(parsing: "consensus") == StrategyVariant(parsing: "consensus"))
    for bad in ["diffusion+swa:3", "diffusion+sam:0.1+sam:0.2", "diffusion+", "diffusion+noise:match:", "gossip+sam:1"]
    {
      #expect(throws: FlatlandError.self, "\(bad)") { try StrategyVariant(parsing: bad) }
    }
    var c = TrainingConfig()
    c.strategies = ["centralized+noise:match:diffusion", "diffusion"]
    #expect(throws: FlatlandError.self) { try c.validate() }
    c.strategies = ["diffusion", "centralized+sam:-1"]
    #expect(throws: FlatlandError.self) { try c.validate() }
    c.strategies = ["diffusion", "centralized+noise:match:diffusion", "diffusion+sam:0.05"]
    try c.validate()
  }

  func config(_ strategies: [String], out: String) -> TrainingConfig {
    var c = TrainingConfig()
    (c.dataset, c.model, c.agents, c.batch, c.lr, c.iterations) =
      ("synthetic:gaussians:4,10,n=800,test=200", "mlp:8", 4, 8, 0.2, 12)
    (c.strategies, c.evalSamples, c.agentEvalSamples, c.evalEvery, c.out) = (strategies, 200, 100, 6, out)
    return c
  }

  func parameters(_ folder: String) throws -> [[Float]] {
    try Checkpoint.read(from: folder + "/" + Checkpoint.fileName).parameters.rows
  }

  func root() -> String { NSTemporaryDirectory() + "flatland-variants-\(UUID().uuidString)" }

  @Test func aVariantRunIsItsRuleTrainedWithItsSettings() throws {
    let job = root()
    let summaries = try TrainingJob.run(
      config(["diffusion", "diffusion+sam:0.05", "centralized+noise:match:diffusion"], out: job), threads: 2)
    #expect(summaries.map(\.strategy) == ["diffusion", "diffusion+sam:0.05", "centralized+noise:match:diffusion"])
    // The same runs, each alone with the setting in the job's config.
    var sam = config(["diffusion"], out: root())
    sam.optimizer = "sam:0.05"
    _ = try TrainingJob.run(sam, threads: 1)
    var noisy = config(["centralized"], out: root())
    noisy.noise = "match:\(job)/diffusion"
    _ = try TrainingJob.run(noisy, threads: 1)
    let plain = config(["diffusion"], out: root())
    _ = try TrainingJob.run(plain, threads: 1)
    #expect(try parameters(job + "/diffusion") == parameters(plain.out + "/diffusion"))
    #expect(try parameters(job + "/diffusion+sam:0.05") == parameters(sam.out + "/diffusion"))
    #expect(try parameters(job + "/centralized+noise:match:diffusion") == parameters(noisy.out + "/centralized"))
    #expect(try parameters(job + "/diffusion+sam:0.05") != parameters(job + "/diffusion"))
    // A rerun of the finished job reads every run back.
    #expect(
      try TrainingJob.run(config(summaries.map(\.strategy), out: job)).map(\.final.testAccuracyCentroid)
        == summaries.map(\.final.testAccuracyCentroid))
  }
}
