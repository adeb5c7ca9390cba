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
  static func execute(_ executable: String, _ args: [String], environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
  }

  @Test func helpListsTheCommands() throws {
    let r = try run(["--help"])
    #expect(r.status == 0)
    for command in ["train", "data", "topology", "theory", "gradcheck"] { #expect(r.out.contains(command)) }
  }

  @Test(arguments: [
    (["gradcheck", "--model", "mlp:abc"], "mlp:abc"),
    (["train", "--strategy", "gossip", "--out", "/tmp/flatland-never"], "gossip"),
    (["train", "--lr", "0", "--out", "/tmp/flatland-never"], "lr"),
    (["train", "--model", "lenet", "--out", "/tmp/flatland-never"], "lenet"),
    (["topology", "hypercube", "--agents", "6"], "6"),
  ])
  func badInputGivesAOneLineErrorAndNonZeroExit(_ args: [String], _ named: String) throws {
    let r = try run(args)
    #expect(r.status != 0)
    let lines = r.err.split(separator: "\n").filter { !$0.isEmpty }
    #expect(lines.count >= 1 && lines[0].contains(named), "stderr: \(r.err)")
    #expect(!r.err.contains("Fatal error"))
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
      "train", "--dataset", "synthetic:gaussians:4,10,n=800,test=200", "--model", "mlp:8", "--agents", "2", "--batch", "8",
      "--iterations", "20", "--strategy", "centralized,diffusion", "--out", out, "--json",
    ])
    #expect(train.status == 0, "\(train.err)")
    let summaries = try JSONSerialization.jsonObject(with: Data(train.out.utf8)) as! [[String: Any]]
    #expect(summaries.map { $0["strategy"] as! String } == ["centralized", "diffusion"])
    // A second call into the same folder must refuse rather than overwrite.
    let again = try run(["train", "--dataset", "synthetic:gaussians:4,10,n=800,test=200", "--model", "mlp:8", "--agents", "2", "--batch", "8", "--iterations", "20", "--strategy", "diffusion", "--out", out])
    #expect(again.status != 0 && again.err.contains("already holds"))
    let flat = try run(["flatness", out + "/diffusion", "--samples", "200", "--json"])
    #expect(flat.status == 0, "\(flat.err)")
    let report = try JSONSerialization.jsonObject(with: Data(flat.out.utf8)) as! [String: Any]
    for key in ["lambda_max", "top_eigenvalues", "trace", "trace_stderr", "hvps", "sharpness_avg", "sharpness_worst"] {
      #expect(report[key] != nil, "missing \(key)")
    }
    #expect((report["lambda_max"] as! Double) > 0)
    let land = try run(["landscape", out + "/diffusion", "--dims", "2", "--points", "3", "--samples", "100", "--out", out + "/land"])
    #expect(land.status == 0, "\(land.err)")
    let csv = try String(contentsOfFile: out + "/land/landscape.csv", encoding: .utf8)
    #expect(csv.split(separator: "\n").count == 1 + 9)
    #expect(FileManager.default.fileExists(atPath: out + "/land/landscape.svg"))
  }
}
