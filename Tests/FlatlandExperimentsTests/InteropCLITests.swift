import FlatlandExperiments
import Foundation
import Testing

/// `flatland export` and `flatland import` end to end: a trained agent goes out as `.npy`
/// files and comes back bit for bit, and measures the same.
@Suite struct InteropCLITests {
  let cli = CLITests()

  @Test func anExportedAgentImportsBitIdenticallyAndMeasuresTheSame() throws {
    let runFolder = try cli.trainedRun()
    let root = URL(fileURLWithPath: runFolder).deletingLastPathComponent().path
    let manifest = try cli.jsonObject(["export", runFolder, "--npy", root + "/npy", "--agent", "1", "--json"])
    #expect(
      manifest["model"] as? String == "mlp:8" && manifest["point"] as? String == "agent 1"
        && manifest["parameter_count"] as? Int == 124)
    let tensors = manifest["tensors"] as! [[String: Any]]
    #expect(
      tensors.map { $0["name"] as! String } == ["linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias"])
    #expect(tensors.map { $0["shape"] as! [Int] } == [[8, 10], [8], [4, 8], [4]])

    let imported = try cli.jsonObject(["import", root + "/npy", "--out", root + "/agent1.bin", "--json"])
    #expect(imported["parameter_count"] as? Int == 124 && imported["tensors"] as? Int == 4)
    let original = try Checkpoint.read(from: runFolder + "/checkpoint.bin")
    let back = try Checkpoint.read(from: root + "/agent1.bin")
    #expect(back.parameters.row(0).map(\.bitPattern) == original.parameters.row(1).map(\.bitPattern))

    #expect(try cli.run(["export", root + "/agent1.bin", "--npy", root + "/npy2"]).status == 0)
    for tensor in tensors {
      let file = tensor["file"] as! String
      #expect(
        FileManager.default.contents(atPath: root + "/npy/" + file)
          == FileManager.default.contents(atPath: root + "/npy2/" + file))
    }

    let measures = ["--samples", "200", "--measures", "eig,trace", "--json"]
    let fromRun = try cli.jsonObject(["flatness", runFolder, "--agents", "all"] + measures)
    let agent1 = (fromRun["agents"] as! [[String: Any]])[1]
    let fromImport = try cli.jsonObject(
      ["flatness", root + "/agent1.bin", "--dataset", CLITests.tinyDataset] + measures)
    for key in ["loss", "lambda_max", "trace"] {
      #expect(fromImport[key] as! Double == agent1[key] as! Double, "\(key)")
    }
    let landscape = try cli.run([
      "landscape", root + "/agent1.bin", "--dataset", CLITests.tinyDataset, "--samples", "100", "--points", "3",
      "--out", root + "/land",
    ])
    #expect(landscape.status == 0, "\(landscape.err)")

    try cli.expectOneLineError(
      ["import", root + "/npy", "--out", root + "/agent1.bin"], ["agent1.bin", "already exists"])
    try cli.expectOneLineError(
      ["export", runFolder, "--npy", root + "/npy"], ["npy", "already holds", "which export would overwrite"])
    try cli.expectOneLineError(["export", runFolder, "--npy", root + "/npy3", "--agent", "4"], ["'4'", "0…3"])
  }
}
