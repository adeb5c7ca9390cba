import Foundation
import Testing

/// The `flatland` binary end to end: exit codes and one-line errors for bad input.
@Suite struct CLITests {
  /// The binary sits beside the test bundle in the build folder.
  static let binary: String = {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("flatland").path) && dir.path != "/" {
      dir = dir.deletingLastPathComponent()
    }
    return dir.appendingPathComponent("flatland").path
  }()

  func run(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    try Self.execute(Self.binary, args)
  }

  /// Runs `executable` with `args` (and `environment` added to this process's), to the end.
  static func execute(_ executable: String, _ args: [String], environment: [String: String] = [:]) throws -> (
    status: Int32, out: String, err: String
  ) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }

  /// A 4-agent diffusion run of mlp:8 (124 parameters) on `tinyDataset`, trained in a fresh
  /// folder (a fraction of a second); returns the strategy folder.
  func trainedRun() throws -> String {
    let out = NSTemporaryDirectory() + "flatland-cli-\(UUID().uuidString)"
    let r = try run([
      "train", "--dataset", Self.tinyDataset, "--model", "mlp:8", "--agents", "4", "--batch", "8", "--iterations", "30",
      "--strategy", "diffusion", "--out", out,
    ])
    guard r.status == 0 else { throw CLIFailure(message: r.err) }
    return out + "/diffusion"
  }

  static let tinyDataset = "synthetic:gaussians:4,10,n=800,test=200"

  /// The JSON object a command printed, or a failure carrying its stderr.
  func jsonObject(_ args: [String]) throws -> [String: Any] {
    let r = try run(args)
    guard r.status == 0, let object = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] else {
      throw CLIFailure(message: "\(args.joined(separator: " ")): status \(r.status), \(r.err)")
    }
    return object
  }

  /// Expects a non-zero exit, one line on stderr containing each of `words`, and no trap.
  func expectOneLineError(_ args: [String], _ words: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
  {
    let r = try run(args)
    #expect(r.status != 0, "\(args) succeeded", sourceLocation: sourceLocation)
    let first = r.err.split(separator: "\n").first.map(String.init) ?? ""
    for word in words { #expect(first.contains(word), "'\(word)' not in: \(r.err)", sourceLocation: sourceLocation) }
    #expect(!r.err.contains("Fatal error"), sourceLocation: sourceLocation)
  }

  @Test func helpListsTheCommands() throws {
    let r = try run(["--help"])
    #expect(r.status == 0)
    for command in ["train", "data", "topology", "theory", "gradcheck", "flatness", "landscape", "export", "import"] {
      #expect(r.out.contains(command))
    }
  }

  @Test(arguments: [
    (["gradcheck", "--model", "mlp:abc"], "mlp:abc"),
    (["train", "--strategy", "gossip", "--out", "/tmp/flatland-never"], "gossip"),
    (["train", "--lr", "0", "--out", "/tmp/flatland-never"], "lr"),
    (["train", "--model", "lenet", "--out", "/tmp/flatland-never"], "lenet"),
    (["topology", "hypercube", "--agents", "6"], "6"),
    (["flatness", "/tmp/flatland-never", "--rho", "0"], "--rho '0.0'"),
    (["flatness", "/tmp/flatland-never", "--rho=-1"], "--rho '-1.0'"),
    (["flatness", "/tmp/flatland-never", "--samples", "0"], "--samples '0'"),
    (["flatness", "/tmp/flatland-never", "--measures", "eig,hessian"], "eig,hessian"),
    (["flatness", "/tmp/flatland-never", "--agents", "sample:0"], "sample:0"),
    (["flatness", "/tmp/flatland-never", "--measures", "density", "--density-sigma", "0"], "--density-sigma '0.0'"),
    (["flatness", "/tmp/flatland-never", "--out", "/tmp/flatland-never-out"], "add density to --measures"),
    (["flatness", "/tmp/flatland-never"], "/tmp/flatland-never"),
    (["landscape", "/tmp/flatland-never", "--samples", "0", "--out", "/tmp/flatland-never"], "--samples"),
    (["export", "/tmp/flatland-never", "--npy", "/tmp/flatland-never", "--agent", "first"], "--agent 'first'"),
    (["import", "/tmp/flatland-never", "--out", "/tmp/flatland-never.bin"], "/tmp/flatland-never/manifest.json"),
  ])
  func badInputGivesAOneLineErrorAndNonZeroExit(_ args: [String], _ named: String) throws {
    try expectOneLineError(args, [named])
  }

  @Test func gradcheckReportsSmallErrorsAsJSON() throws {
    let r = try run(["gradcheck", "--model", "mlp:8", "--input", "6x6x1", "--json"])
    #expect(r.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
    #expect((object["max_rel_grad_error"] as! Double) < 1e-3)
    #expect((object["max_rel_hvp_error"] as! Double) < 1e-3)
    #expect(object["parameters"] as? Int == 36 * 8 + 8 + 8 * 10 + 10)
  }

  @Test func trainThenMeasureFlatnessOfTheRun() throws {
    let out = NSTemporaryDirectory() + "flatland-cli-\(UUID().uuidString)"
    let train = try run([
      "train", "--dataset", "synthetic:gaussians:4,10,n=800,test=200", "--model", "mlp:8", "--agents", "2", "--batch",
      "8",
      "--iterations", "20", "--strategy", "centralized,diffusion", "--out", out, "--json",
    ])
    #expect(train.status == 0, "\(train.err)")
    let summaries = try JSONSerialization.jsonObject(with: Data(train.out.utf8)) as! [[String: Any]]
    #expect(summaries.map { $0["strategy"] as! String } == ["centralized", "diffusion"])
    // A second call into the same folder must refuse rather than overwrite.
    let again = try run([
      "train", "--dataset", "synthetic:gaussians:4,10,n=800,test=200", "--model", "mlp:8", "--agents", "2", "--batch",
      "8", "--iterations", "20", "--strategy", "diffusion", "--out", out,
    ])
    #expect(again.status != 0 && again.err.contains("already holds"))
    let flat = try run(["flatness", out + "/diffusion", "--samples", "200", "--json"])
    #expect(flat.status == 0, "\(flat.err)")
    let report = try JSONSerialization.jsonObject(with: Data(flat.out.utf8)) as! [String: Any]
    for key in ["lambda_max", "top_eigenvalues", "trace", "trace_stderr", "hvps", "sharpness_avg", "sharpness_worst"] {
      #expect(report[key] != nil, "missing \(key)")
    }
    #expect((report["lambda_max"] as! Double) > 0)
    let land = try run([
      "landscape", out + "/diffusion", "--dims", "2", "--points", "3", "--samples", "100", "--out", out + "/land",
    ])
    #expect(land.status == 0, "\(land.err)")
    let csv = try String(contentsOfFile: out + "/land/landscape.csv", encoding: .utf8)
    #expect(csv.split(separator: "\n").count == 1 + 9)
    #expect(FileManager.default.fileExists(atPath: out + "/land/landscape.svg"))
  }
}

struct CLIFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

/// The experiment commands' one-line errors.
@Suite struct ExperimentCLITests {
  let cli = CLITests()

  @Test func badExperimentInputIsAOneLineError() throws {
    let out = NSTemporaryDirectory() + "flatland-cli-\(UUID().uuidString)"
    try cli.expectOneLineError(["reproduce", "--preset", "bogus", "--out", out], ["bogus", "quick", "full"])
    try cli.expectOneLineError(["reproduce", "--dataset", "csv:/nonexistent.csv", "--out", out], ["/nonexistent.csv"])
    try cli.expectOneLineError(["reproduce", "--model", "mlp:x", "--out", out], ["mlp:x"])
    #expect(!FileManager.default.fileExists(atPath: out), "nothing is written before the checks pass")
    try cli.expectOneLineError(["sweep", "--batches", "16,0", "--out", out], ["--batches", "16,0"])
    try cli.expectOneLineError(["report", out], ["results.json"])
    try cli.expectOneLineError(
      [
        "sweep", "--dataset", CLITests.tinyDataset, "--model", "mlp:8", "--agents", "4", "--batches", "5000", "--out",
        out,
      ],
      ["batch", "5000"])
  }

  @Test func anOccupiedFolderIsRefused() throws {
    let out = NSTemporaryDirectory() + "flatland-cli-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: URL(fileURLWithPath: out + "/notes.txt"))
    try cli.expectOneLineError(
      [
        "sweep", "--dataset", CLITests.tinyDataset, "--model", "mlp:8", "--agents", "4", "--batches", "8", "--seeds",
        "1", "--iterations", "5", "--out", out,
      ], ["not empty", out])
    #expect(try String(contentsOfFile: out + "/notes.txt", encoding: .utf8) == "mine")
  }
}
