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
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.binary)
    p.arguments = args
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
}
