import FlatlandData
import FlatlandExperiments
import Foundation
import Testing

/// `flatland flatness` end to end: the spectral density, every agent or a seeded sample of
/// agents with their spread, and bad input that needs a real run to reach.
@Suite struct FlatnessCLITests {
  let cli = CLITests()

  /// ∫ φ = 1 on the grid (trapezoid rule, as the density is normalized); the Gauss weights sum
  /// to one; the largest node is a Ritz value of a 40-step Krylov space, which matches λ_max
  /// from Lanczos to its 1e-3 tolerance; the CSV holds the same grid.
  @Test func densityIntegratesToOneAndItsLargestNodeIsLambdaMax() throws {
    let runFolder = try cli.trainedRun()
    let out = runFolder + "/density"
    let report = try cli.jsonObject([
      "flatness", runFolder, "--samples", "200", "--measures", "eig,density", "--density-points", "300", "--out", out,
      "--json",
    ])
    let density = report["density"] as! [String: Any]
    let grid = density["grid"] as! [Double]
    let values = density["values"] as! [Double]
    #expect(grid.count == 300 && values.count == 300)
    var integral = 0.0
    for i in 1..<grid.count { integral += 0.5 * (values[i] + values[i - 1]) * (grid[i] - grid[i - 1]) }
    #expect(abs(integral - 1) < 1e-9, "∫ density = \(integral)")
    #expect(abs((density["weights"] as! [Double]).reduce(0, +) - 1) < 1e-9)
    let lambdaMax = report["lambda_max"] as! Double
    let largest = (density["nodes"] as! [Double]).max()!
    #expect(abs(largest - lambdaMax) <= 1e-3 * lambdaMax, "largest node \(largest) vs λ_max \(lambdaMax)")
    #expect((report["hvps"] as! Int) > (density["hvps"] as! Int))
    let csv = try String(contentsOfFile: out + "/density-centroid.csv", encoding: .utf8).split(separator: "\n")
    #expect(csv.count == 301 && csv[0] == "eigenvalue,density")
    // Foundation's JSON reader may round the last bit, so the first row agrees to 1e-15.
    let row = csv[1].split(separator: ",").compactMap { Double($0) }
    #expect(
      row.count == 2 && zip(row, [grid[0], values[0]]).allSatisfy { abs($0 - $1) <= 1e-15 * abs($1) },
      "CSV row \(csv[1]) vs JSON \(grid[0]), \(values[0])")
  }

  /// The spread is recomputed from the per-agent numbers; a seeded sample reproduces itself and
  /// the numbers of the same agents measured with `all` (same probes at every point).
  @Test func everyAgentAndASeededSampleReportTheirSpread() throws {
    let runFolder = try cli.trainedRun()
    let args = ["flatness", runFolder, "--samples", "200", "--measures", "eig,trace", "--seed", "5", "--json"]
    let all = try cli.jsonObject(args + ["--agents", "all"])
    #expect(Set(all.keys) == ["agents", "centroid", "selection", "spread"])
    #expect(all["selection"] as? String == "all")
    #expect((all["centroid"] as! [String: Any])["point"] as? String == "centroid")
    let agents = all["agents"] as! [[String: Any]]
    #expect(agents.map { $0["agent"] as! Int } == [0, 1, 2, 3])
    let spread = all["spread"] as! [String: [String: Any]]
    #expect(Set(spread.keys) == ["loss", "gradient_norm", "lambda_max", "trace"])
    let lambdas = agents.map { $0["lambda_max"] as! Double }
    let mean = lambdas.reduce(0, +) / 4
    let std = (lambdas.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3).squareRoot()
    let s = spread["lambda_max"]!
    #expect(abs(s["mean"] as! Double - mean) <= 1e-12 * mean && abs(s["std"] as! Double - std) <= 1e-9 * mean)
    #expect(s["min"] as! Double == lambdas.min()! && s["max"] as! Double == lambdas.max()! && s["count"] as! Int == 4)

    let sample = try cli.jsonObject(args + ["--agents", "sample:2"])
    let again = try cli.jsonObject(args + ["--agents", "sample:2"])
    let chosen = (sample["agents"] as! [[String: Any]]).map { $0["agent"] as! Int }
    #expect(chosen.count == 2 && chosen == chosen.sorted() && Set(chosen).count == 2)
    #expect((again["agents"] as! [[String: Any]]).map { $0["agent"] as! Int } == chosen)
    #expect(sample["selection"] as? String == "sample:2")
    for entry in sample["agents"] as! [[String: Any]] {
      let k = entry["agent"] as! Int
      #expect(
        entry["lambda_max"] as! Double == lambdas[k] && entry["trace"] as! Double == agents[k]["trace"] as! Double)
    }
  }

  @Test func badInputOnARealRunIsAOneLineError() throws {
    let runFolder = try cli.trainedRun()
    try cli.expectOneLineError(["flatness", runFolder, "--top", "500", "--samples", "50"], ["--top '500'", "124"])
    try cli.expectOneLineError(
      ["flatness", runFolder, "--agents", "sample:9", "--samples", "50"], ["'9'", "1 ≤ N ≤ 4"])
    try cli.expectOneLineError(
      ["flatness", runFolder, "--dataset", "synthetic:gaussians:3,10"], ["dataset", "4 classes"])

    // A checkpoint whose header names another model than the parameters it holds (written
    // whole, so that its checksum holds).
    let root = URL(fileURLWithPath: runFolder).deletingLastPathComponent().path
    let mismatched = root + "/mismatched"
    try FileManager.default.createDirectory(atPath: mismatched, withIntermediateDirectories: true)
    var checkpoint = try Checkpoint.read(from: runFolder + "/checkpoint.bin")
    checkpoint.header.model = "mlp:7"
    try checkpoint.write(to: mismatched + "/checkpoint.bin")
    for command in [
      ["flatness", mismatched], ["landscape", mismatched, "--out", root + "/land"],
      ["export", mismatched, "--npy", root + "/npy"],
    ] {
      try cli.expectOneLineError(command, ["checkpoint.bin", "holds 124 parameters", "expected 109", "mlp:7"])
    }

    // Finite parameters so large that the loss overflows.
    let huge = root + "/huge"
    #expect(try cli.run(["export", runFolder, "--npy", huge]).status == 0)
    try NPYTensor(shape: [8, 10], values: Array(repeating: 3e38, count: 80)).write(to: huge + "/linear1.weight.npy")
    #expect(try cli.run(["import", huge, "--out", root + "/huge.bin"]).status == 0)
    let point = [root + "/huge.bin", "--dataset", CLITests.tinyDataset, "--samples", "50"]
    try cli.expectOneLineError(["flatness"] + point, ["loss at the evaluation point"])
    try cli.expectOneLineError(
      ["landscape"] + point + ["--out", root + "/huge-landscape"], ["loss at the evaluation point"])
    try cli.expectOneLineError(["flatness", root + "/huge.bin"], ["huge.bin", "--dataset"])
  }
}
