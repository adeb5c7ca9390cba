import ArgumentParser
import FlatlandAnalysis
import Foundation

/// `flatland bench`: the benchmark workloads W1–W5 with the sgemm rate of the same run.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Time the benchmark workloads W1–W5 (release build).")

  @Option(help: "One workload (default: all).")
  var workload: Benchmark.Workload?

  @Flag(help: "Print JSON.")
  var json = false

  func run() throws {
    let sgemm = Benchmark.sgemmGflops()
    var results: [String: Benchmark.Result] = [:]
    for w in workload.map({ [$0] }) ?? Benchmark.Workload.allCases {
      results[w.rawValue] = try Benchmark.measure(w, sgemm: sgemm)
      if !json { FileHandle.standardError.write(Data("\(w.rawValue) done\n".utf8)) }
    }
    try output(
      results, json: json,
      text: results.sorted { $0.key < $1.key }.map { "\($0.key)  \($0.value.summary)" }.joined(separator: "\n"))
  }
}

extension Benchmark.Workload: ExpressibleByArgument {}
