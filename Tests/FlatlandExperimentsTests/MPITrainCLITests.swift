import FlatlandExperiments
import FlatlandStrategies
import Foundation
import Testing

/// `flatland train --engine mpi` under `mpirun`, which must reproduce the in-process run bit
/// for bit (the engine's block split and exchange plans are tested in FlatlandEnginesTests).
@Suite struct MPITrainCLITests {
  /// `mpirun` from PATH; CI installs it with scripts/setup.sh.
  static let mpirun: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    .map { "\($0)/mpirun" }.first { FileManager.default.isExecutableFile(atPath: $0) }

  /// Open MPI refuses to start as root (as in CI containers) unless told twice.
  static let rootOK = ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"]

  func mpi(_ ranks: Int, _ args: [String]) throws -> (status: Int32, out: String, err: String)? {
    guard let mpirun = Self.mpirun else {
      Issue.record("mpirun is not on PATH: install openmpi-bin (scripts/setup.sh) to test the MPI engine")
      return nil
    }
    return try CLITests.execute(
      mpirun, ["-np", "\(ranks)", "--oversubscribe", CLITests.binary] + args + ["--engine", "mpi"],
      environment: Self.rootOK)
  }

  /// K = 5 agents on 2 ranks (blocks of 2 and 3), with momentum so velocities are gathered
  /// too, and the bias-corrected rules with their own state: checkpoints (parameters, state
  /// buffers, sampler states) and metrics must equal the in-process run's, apart from timings.
  @Test func twoRanksReproduceTheInProcessRunBitForBit() throws {
    let base = NSTemporaryDirectory() + "flatland-mpi-\(UUID().uuidString)"
    let args = [
      "train", "--dataset", "synthetic:gaussians:4,10,n=600,test=100", "--model", "mlp:6", "--agents", "5", "--batch",
      "8",
      "--iterations", "9", "--eval-every", "4", "--topology", "ring", "--momentum", "0.5", "--strategy",
      "centralized,consensus,diffusion,exact-diffusion,gradient-tracking", "--json",
    ]
    let local = try CLITests.execute(CLITests.binary, args + ["--out", base + "/inprocess"])
    #expect(local.status == 0, "\(local.err)")
    guard let ranks = try mpi(2, args + ["--out", base + "/mpi"]) else { return }
    #expect(ranks.status == 0, "\(ranks.err)")
    // Only rank 0 prints: one JSON array of five summaries.
    let summaries = try JSONSerialization.jsonObject(with: Data(ranks.out.utf8)) as? [[String: Any]]
    #expect(summaries?.count == 5)
    for kind in ["centralized", "consensus", "diffusion", "exact-diffusion", "gradient-tracking"] {
      let a = try Checkpoint.read(from: "\(base)/inprocess/\(kind)/\(Checkpoint.fileName)")
      let b = try Checkpoint.read(from: "\(base)/mpi/\(kind)/\(Checkpoint.fileName)")
      var (ha, hb) = (a.header, b.header)
      (ha.trainSeconds, hb.trainSeconds) = (0, 0)
      #expect(ha == hb, "\(kind): checkpoint headers differ")
      #expect(a.velocity != nil && b.velocity != nil)
      #expect(a.header.buffers.count == 1 + (kind == "exact-diffusion" ? 1 : kind == "gradient-tracking" ? 2 : 0))
      let pairs: [(String, AgentVectors?, AgentVectors?)] =
        [("parameters", a.parameters, b.parameters)] + a.header.buffers.map { ($0, a.buffers[$0], b.buffers[$0]) }
      for (name, x, y) in pairs {
        let difference = bitDifference(x, y)
        #expect(difference == nil, "\(kind) \(name): \(difference ?? "")")
      }
      #expect(try untimed("\(base)/inprocess/\(kind)") == untimed("\(base)/mpi/\(kind)"), "\(kind): metrics differ")
    }
  }

  /// A sweep split over 2 ranks (each trains its share of the grid, rank 0 collects) gives the
  /// runs, cells and fit of the one-process sweep exactly.
  @Test func twoRanksSplitASweepWithTheSameResults() throws {
    let base = NSTemporaryDirectory() + "flatland-mpi-sweep-\(UUID().uuidString)"
    let args = [
      "sweep", "--dataset", "synthetic:gaussians:4,10,n=600,test=100", "--model", "mlp:6", "--agents", "4",
      "--batches", "8,16", "--seeds", "1,2", "--iterations", "10", "--eval-samples", "100", "--agent-eval-samples",
      "50", "--json",
    ]
    let local = try CLITests.execute(CLITests.binary, args + ["--out", base + "/one"])
    #expect(local.status == 0, "\(local.err)")
    guard let ranks = try mpi(2, args + ["--out", base + "/two"]) else { return }
    #expect(ranks.status == 0, "\(ranks.err)")
    func results(_ folder: String) throws -> [String: Any] {
      let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/sweep.json"))
      var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
      object["plan"] = nil  // names its own output folder
      return object
    }
    let one = try results(base + "/one")
    let two = try results(base + "/two")
    for key in ["runs", "cells", "fit"] {
      #expect(
        try JSONSerialization.data(withJSONObject: one[key]!, options: .sortedKeys)
          == JSONSerialization.data(withJSONObject: two[key]!, options: .sortedKeys), "\(key) differ")
    }
    #expect((one["runs"] as? [Any])?.count == 12)
  }

  /// nil when every entry has the same bits, else how many differ and by how much at most.
  func bitDifference(_ a: AgentVectors?, _ b: AgentVectors?) -> String? {
    guard let a, let b else { return a == nil && b == nil ? nil : "present in one run only" }
    let x = a.rows.joined()
    let y = b.rows.joined()
    guard x.count == y.count else { return "\(x.count) against \(y.count) entries" }
    let differing = zip(x, y).filter { $0.bitPattern != $1.bitPattern }
    guard let largest = differing.map({ abs($0 - $1) }).max() else { return nil }
    return "\(differing.count) of \(x.count) entries differ, the largest by \(largest)"
  }

  /// metrics.csv without its timing columns.
  func untimed(_ folder: String) throws -> [[Substring]] {
    let lines = try String(contentsOfFile: folder + "/metrics.csv", encoding: .utf8).split(separator: "\n").map {
      $0.split(separator: ",")
    }
    let timing = Set(lines[0].indices.filter { ["wall_seconds", "samples_per_s"].contains(lines[0][$0]) })
    #expect(timing.count == 2 && lines.count == 5)
    return lines.map { line in line.indices.filter { !timing.contains($0) }.map { line[$0] } }
  }

  @Test func moreRanksThanAgentsIsOneErrorFromRankZero() throws {
    guard
      let r = try mpi(
        3,
        [
          "train", "--dataset", "synthetic:gaussians:4,10,n=200,test=50", "--agents", "2", "--out",
          "/tmp/flatland-never",
        ])
    else { return }
    #expect(r.status != 0)
    #expect(r.err.components(separatedBy: "Error:").count == 2, "stderr: \(r.err)")
    #expect(r.err.contains("invalid agents '2': expected at least one agent per MPI rank (3 ranks)"))
  }
}
