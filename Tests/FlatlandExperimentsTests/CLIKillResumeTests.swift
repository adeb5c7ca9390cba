import FlatlandExperiments
import Foundation
import Testing

/// `flatland train` killed with SIGKILL in the middle of a run, then `--resume`d: the result is
/// the uninterrupted run's, bit for bit, and the metrics have every evaluation exactly once.
extension CLITests {
  /// The training flags of both runs; only the iteration count varies.
  func killableRun(iterations: Int, out: String) -> [String] {
    [
      "train", "--dataset", "synthetic:gaussians:4,10,n=800,test=200", "--model", "mlp:64,64", "--agents", "4",
      "--batch", "16",
      "--lr", "0.1", "--momentum", "0.5", "--strategy", "diffusion", "--iterations", "\(iterations)", "--eval-every",
      "25",
      "--eval-samples", "200", "--agent-eval-samples", "50", "--checkpoint-every", "20", "--out", out,
    ]
  }

  /// Starts a run and SIGKILLs it once its first periodic checkpoint exists; returns the
  /// checkpoint's iteration, or nil when the run ended before it could be killed.
  func startAndKill(_ args: [String], checkpoint: String) throws -> Int? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.binary)
    p.arguments = args
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    while p.isRunning && !FileManager.default.fileExists(atPath: checkpoint) { usleep(2_000) }
    guard p.isRunning else { return nil }
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    guard p.terminationReason == .uncaughtSignal, p.terminationStatus == SIGKILL else { return nil }
    return try Checkpoint.read(from: checkpoint).header.iteration
  }

  /// metrics.csv's lines without the timing columns (wall_seconds, samples_per_s), which differ
  /// between any two runs.
  func metricsWithoutTiming(_ folder: String) throws -> [[Substring]] {
    let lines = try String(contentsOfFile: folder + "/metrics.csv", encoding: .utf8).split(separator: "\n")
    let header = lines[0].split(separator: ",")
    let kept = header.indices.filter { !["wall_seconds", "samples_per_s"].contains(String(header[$0])) }
    return lines.map { line in
      let fields = line.split(separator: ",", omittingEmptySubsequences: false)
      return kept.map { fields[$0] }
    }
  }

  @Test func aRunKilledWithSIGKILLResumesToTheUninterruptedResult() throws {
    let root = NSTemporaryDirectory() + "flatland-kill-\(UUID().uuidString)"
    // Long enough that the kill lands well before the end; grown if a fast machine finishes first.
    var iterations = 1500
    var killedAt: Int?
    while killedAt == nil && iterations <= 24_000 {
      let out = root + "/killed-\(iterations)"
      killedAt = try startAndKill(
        killableRun(iterations: iterations, out: out), checkpoint: out + "/diffusion/checkpoint.bin")
      if killedAt == nil { iterations *= 4 }
    }
    let killed = root + "/killed-\(iterations)"
    let at = try #require(killedAt, "every run finished before it could be killed")
    #expect(at > 0 && at < iterations && at % 20 == 0, "killed at iteration \(at) of \(iterations)")
    #expect(!FileManager.default.fileExists(atPath: killed + "/diffusion/summary.json"))

    let resumed = try run(["train", "--resume", killed])
    #expect(resumed.status == 0, "\(resumed.err)")
    let whole = try run(killableRun(iterations: iterations, out: root + "/whole"))
    #expect(whole.status == 0, "\(whole.err)")

    let a = try Checkpoint.read(from: killed + "/diffusion/checkpoint.bin")
    let b = try Checkpoint.read(from: root + "/whole/diffusion/checkpoint.bin")
    #expect(a.header.iteration == iterations && b.header.iteration == iterations)
    #expect(a.parameters.rows == b.parameters.rows, "resumed parameters differ from the uninterrupted run's")
    #expect(a.velocity?.rows == b.velocity?.rows)
    let metrics = try metricsWithoutTiming(killed + "/diffusion")
    let reference = try metricsWithoutTiming(root + "/whole/diffusion")
    let iterationsLogged = metrics.dropFirst().map { Int($0[0])! }
    #expect(
      iterationsLogged == Array(stride(from: 0, through: iterations, by: 25)),
      "iterations in metrics.csv: \(iterationsLogged)")
    #expect(metrics == reference)
    try? FileManager.default.removeItem(atPath: root)
  }
}
