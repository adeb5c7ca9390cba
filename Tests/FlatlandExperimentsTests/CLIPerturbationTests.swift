import FlatlandExperiments
import Foundation
import Testing

/// `--optimizer` and `--noise` from the command line: bad values refused before any work, and a
/// matched run trained end to end.
extension CLITests {
  @Test(arguments: [
    (["--optimizer", "sam:0"], ["invalid optimizer 'sam:0'", "sam:RHO"]),
    (["--optimizer", "asam:-1"], ["invalid optimizer 'asam:-1'"]),
    (["--optimizer", "sam:nan"], ["invalid optimizer 'sam:nan'"]),
    (["--optimizer", "sam:1e40"], ["invalid optimizer 'sam:1e40'", "Float32"]),
    (["--optimizer", "adam"], ["invalid optimizer 'adam'", "sgd"]),
    (["--noise", "-0.01"], ["invalid noise σ '-0.01'", "non-negative"]),
    (["--noise", "inf"], ["invalid noise σ 'inf'"]),
    (["--noise", "match:/nonexistent/run"], ["cannot match noise 'match:/nonexistent/run'", "/nonexistent/run"]),
  ])
  func trainRefusesBadPerturbationsBeforeTraining(_ extra: [String], _ words: [String]) throws {
    let out = scratch()
    try expectOneLineError(["train"] + Self.tiny + ["--out", out] + extra, words)
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// A centralized run has no disagreement to match, and a train output folder is not one run.
  @Test func noiseMatchesOnlyADecentralizedStrategyRun() throws {
    let diffusion = try trainedRun()
    let root = URL(fileURLWithPath: diffusion).deletingLastPathComponent().path
    try expectOneLineError(
      ["train"] + Self.tiny + ["--iterations", "3", "--out", scratch(), "--noise", "match:\(root)"],
      ["cannot match noise 'match:\(root)'", "train output folder"])
    let central = scratch("central")
    let r = try run(
      ["train"] + Self.tiny + ["--iterations", "3", "--strategy", "centralized", "--out", central])
    #expect(r.status == 0, "\(r.err)")
    try expectOneLineError(
      ["train"] + Self.tiny + ["--iterations", "3", "--out", scratch(), "--noise", "match:\(central)/centralized"],
      ["invalid noise", "disagreement 0", "decentralized"])
    let matched = try run(
      ["train"] + Self.tiny + [
        "--iterations", "3", "--strategy", "centralized", "--optimizer", "sam:0.05", "--noise", "match:\(diffusion)",
        "--out", scratch(),
      ])
    #expect(matched.status == 0, "\(matched.err)")
  }
}

extension MPITrainCLITests {
  /// SAM's two passes and the keyed noise over 2 ranks (agent blocks of 2 and 3) give the
  /// in-process run's checkpoints and metrics bit for bit.
  @Test func twoRanksReproduceASharpnessAwareNoisyRun() throws {
    let base = NSTemporaryDirectory() + "flatland-mpi-sam-\(UUID().uuidString)"
    let args = [
      "train", "--dataset", "synthetic:gaussians:4,10,n=600,test=100", "--model", "mlp:6", "--agents", "5",
      "--batch", "8", "--iterations", "9", "--eval-every", "4", "--topology", "ring", "--optimizer", "asam:0.5",
      "--noise", "0.002", "--strategy", "centralized,diffusion",
    ]
    let local = try CLITests.execute(CLITests.binary, args + ["--out", base + "/inprocess"])
    #expect(local.status == 0, "\(local.err)")
    guard let ranks = try mpi(2, args + ["--out", base + "/mpi"]) else { return }
    #expect(ranks.status == 0, "\(ranks.err)")
    for kind in ["centralized", "diffusion"] {
      let a = try Checkpoint.read(from: "\(base)/inprocess/\(kind)/\(Checkpoint.fileName)")
      let b = try Checkpoint.read(from: "\(base)/mpi/\(kind)/\(Checkpoint.fileName)")
      let difference = bitDifference(a.parameters, b.parameters)
      #expect(difference == nil, "\(kind): \(difference ?? "")")
      #expect(try untimed("\(base)/inprocess/\(kind)") == untimed("\(base)/mpi/\(kind)"), "\(kind): metrics differ")
    }
  }
}
