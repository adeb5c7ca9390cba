import FlatlandExperiments
import Foundation
import Testing

/// The binary under careless and hostile input: every size is refused before it is allocated,
/// conversions are checked, occupied outputs are kept, a full disk is named, and SIGTERM or
/// SIGINT leaves a checkpoint to resume from. No input ends in a trap or a hang.
extension CLITests {
  static let tiny = ["--dataset", tinyDataset, "--model", "mlp:8", "--agents", "2", "--batch", "8"]

  /// A fresh folder path under the temporary directory.
  func scratch(_ label: String = "run") -> String {
    NSTemporaryDirectory() + "flatland-hostile-\(label)-\(UUID().uuidString)"
  }

  @Test(arguments: [
    (["gradcheck", "--model", "mlp:1000000000", "--input", "10"], ["mlp:1000000000", "would need", "GB"]),
    (["gradcheck", "--model", "mlp:8", "--samples", "100000000"], ["100000000 samples", "would need"]),
    (["gradcheck", "--model", "mlp:8", "--classes", "10000000000"], ["10000000000", "65536"]),
    (["gradcheck", "--model", "mlp:8", "--input", "10000000x10000000x10000000"], ["10000000x10000000x10000000"]),
    (["topology", "ring", "--agents", "100000"], ["K = 100000", "320.0 GB"]),
    (["theory", "--agents", "100000", "--mu", "0.1", "--hessian", "1"], ["K = 100000"]),
    (["theory", "--steps", "1000000000", "--mu", "0.1", "--hessian", "1"], ["1000000000 steps", "72.0 GB"]),
    (["theory", "--mu", "1e300", "--hessian", "1"], ["1e+300", "the largest stable step size is about 1.99999"]),
    (["data", "inspect", "synthetic:gaussians:100000,100000"], ["100000", "65536"]),
    (["data", "inspect", "csv:/dev/zero"], ["/dev/zero", "not a regular file"]),
    (["data", "inspect", "csv:/tmp"], ["/tmp", "is a directory"]),
    (["help", "bogus"], ["unknown command 'bogus'", "train"]),
  ])
  func sizesAndMessagesWithoutARun(_ args: [String], _ words: [String]) throws {
    try expectOneLineError(args, words)
  }

  @Test(arguments: [
    (["--model", "mlp:1000000000"], ["mlp:1000000000", "would need"]),
    (["--iterations", "9223372036854775807"], ["iterations '9223372036854775807'", "at most"]),
    (["--epochs", "1e300"], ["epochs '1e+300'"]),
    (["--lr", "1e308", "--iterations", "3"], ["lr '1e+308'", "Float32"]),
    (["--lr", "-0.1"], ["lr '-0.1'"]),
    (["--warmup", "99999999999", "--iterations", "3"], ["warmup '99999999999'", "3 iterations"]),
    (["--out", ""], ["out ''"]),
  ])
  func trainRefusesBeforeTraining(_ extra: [String], _ words: [String]) throws {
    let out = scratch()
    let args = ["train"] + Self.tiny + ["--out", out] + extra
    try expectOneLineError(args, words)
    if !extra.contains("--out") { #expect(!FileManager.default.fileExists(atPath: out + "/config.json")) }
  }

  @Test func trainKeepsAnotherRunAndAUsersConfig() throws {
    let root = try trainedRun().replacingOccurrences(of: "/diffusion", with: "")
    let config = try String(contentsOfFile: root + "/config.json", encoding: .utf8)
    try expectOneLineError(
      ["train"] + Self.tiny + ["--strategy", "consensus", "--iterations", "3", "--out", root],
      ["already holds a run (diffusion)", "--resume \(root)", "--force"])
    try expectOneLineError(
      ["train"] + Self.tiny + ["--iterations", "3", "--out", root + "/diffusion"], ["inside the train output folder"])
    #expect(try String(contentsOfFile: root + "/config.json", encoding: .utf8) == config)
    let forced = try run(
      ["train"] + Self.tiny + ["--strategy", "consensus", "--iterations", "3", "--out", root, "--force"])
    #expect(forced.status == 0, "\(forced.err)")
    #expect(try RunFolder.storedConfig(root).strategies == ["consensus"])
  }

  @Test func landscapeKeepsEarlierResults() throws {
    let folder = try trainedRun()
    let out = scratch("land")
    let args = ["landscape", folder, "--points", "3", "--samples", "50", "--out", out]
    #expect(try run(args).status == 0)
    let csv = try String(contentsOfFile: out + "/landscape.csv", encoding: .utf8)
    try expectOneLineError(args, ["\(out)/landscape.csv' already exists", "--force"])
    #expect(try run(args + ["--force"]).status == 0)
    #expect(try String(contentsOfFile: out + "/landscape.csv", encoding: .utf8) == csv)
    try expectOneLineError(["landscape", folder, "--points", "1001", "--dims", "2", "--out", scratch()], ["1001"])
  }

  @Test func aFullDiskIsNamedAndLeavesNoTemporaryFile() throws {
    let out = scratch()
    // A 20-block file size limit: the metrics fit, the 17 kB checkpoint does not.
    let command =
      (["ulimit -f 20; trap '' XFSZ; exec \"$0\" \"$@\"", Self.binary, "train"] + Self.tiny
        + ["--model", "mlp:64,64", "--iterations", "20", "--strategy", "diffusion", "--out", out])
    let r = try Self.execute("/bin/sh", ["-c"] + command)
    #expect(r.status == 1)
    #expect(r.err.contains("Error: cannot write '\(out)/diffusion/checkpoint.bin': File too large"), "\(r.err)")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: out + "/diffusion").sorted() == [
        "metrics.csv", "metrics.jsonl",
      ])
  }

  /// SIGTERM (and SIGINT) without --checkpoint-every: the run writes a checkpoint at the next
  /// iteration boundary and exits 128 + the signal; the resumed run ends as an uninterrupted one.
  @Test(arguments: [SIGTERM, SIGINT]) func aSignalCheckpointsThenResumeFinishesTheRun(_ signal: Int32) throws {
    let root = scratch("signal")
    let flags = ["train"] + Self.tiny + ["--model", "mlp:32", "--strategy", "diffusion", "--eval-every", "100000"]
    var iterations = 20_000
    var stopped: (status: Int32, err: String)?
    while stopped == nil && iterations <= 1_280_000 {
      let out = root + "/\(iterations)"
      let p = Process()
      p.executableURL = URL(fileURLWithPath: Self.binary)
      p.arguments = flags + ["--iterations", "\(iterations)", "--out", out]
      let err = Pipe()
      p.standardOutput = FileHandle.nullDevice
      p.standardError = err
      try p.run()
      // Once the first evaluation is logged, training is under way.
      while p.isRunning
        && ((try? String(contentsOfFile: out + "/diffusion/metrics.csv", encoding: .utf8)) ?? "")
          .split(separator: "\n").count < 2
      {
        usleep(5_000)
      }
      usleep(100_000)
      let wasRunning = p.isRunning
      kill(p.processIdentifier, signal)
      let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      p.waitUntilExit()
      if wasRunning && p.terminationReason == .exit && p.terminationStatus != 0 {
        stopped = (p.terminationStatus, text)
      } else {
        iterations *= 4
      }
    }
    let result = try #require(stopped, "every run ended before the signal")
    let out = root + "/\(iterations)"
    #expect(result.status == 128 + signal)
    let name = signal == SIGTERM ? "SIGTERM" : "SIGINT"
    #expect(result.err.contains("diffusion stopped by \(name) at iteration "), "\(result.err)")
    #expect(result.err.contains("continue with flatland train --resume \(out)"))
    let at = try Checkpoint.read(from: out + "/diffusion/checkpoint.bin").header.iteration
    #expect(at > 0 && at < iterations)
    #expect(!FileManager.default.fileExists(atPath: out + "/diffusion/summary.json"))
    let resumed = try run(["train", "--resume", out])
    #expect(resumed.status == 0, "\(resumed.err)")
    let whole = try run(flags + ["--iterations", "\(iterations)", "--out", root + "/whole"])
    #expect(whole.status == 0)
    let a = try Checkpoint.read(from: out + "/diffusion/checkpoint.bin")
    let b = try Checkpoint.read(from: root + "/whole/diffusion/checkpoint.bin")
    #expect(a.header.iteration == iterations && a.parameters.rows == b.parameters.rows)
    try? FileManager.default.removeItem(atPath: root)
  }

  /// Commands that read one strategy's checkpoint, given the top folder of a train run, name its
  /// strategy folders.
  @Test func aTopRunFolderIsRefusedNamingItsStrategies() throws {
    let root = try trainedRun().replacingOccurrences(of: "/diffusion", with: "")
    let words = ["'\(root)' is a train output folder of 1 strategy", "give one of '\(root)/diffusion'"]
    try expectOneLineError(["flatness", root, "--samples", "50"], words)
    try expectOneLineError(["export", root, "--npy", scratch("npy")], words)
    try expectOneLineError(["theory", "--checkpoint", root, "--mu", "0.01"], words)
    try expectOneLineError(
      ["landscape", root + "/diffusion", "--between", root, "--samples", "50", "--out", scratch("land")], words)
    try expectOneLineError(["train"] + Self.tiny + ["--iterations", "3", "--init", root, "--out", scratch()], words)
  }

  @Test func resumeSaysWhenAStrategyStartsOver() throws {
    let root = try trainedRun().replacingOccurrences(of: "/diffusion", with: "")
    try FileManager.default.removeItem(atPath: root + "/diffusion/checkpoint.bin")
    let r = try run(["train", "--resume", root])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.err.contains("diffusion: no checkpoint in '\(root)/diffusion' to resume from: it starts at iteration 0"))
  }
}
