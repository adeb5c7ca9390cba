import FlatlandCore
import Testing

@testable import FlatlandData

/// `flatland data inspect` as a value: sizes that add up, shards whose histograms are theirs.
@Suite struct DataInspectionTests {
  @Test func shardsCoverTheTrainingSetAndHistogramsCountTheirSamples() throws {
    let spec = try DataSpec(parsing: "synthetic:gaussians:3,4")
    let seen = try DataInspection(
      spec: spec, agents: 4, partition: PartitionScheme(parsing: "shards:1"), validation: 0.25, seed: 7)
    let splits = try spec.load(dataDir: nil, seed: 7).carvingValidation(fraction: 0.25, seed: 7)
    #expect(seen.train == splits.train.count && seen.validation == splits.validation?.count)
    #expect(seen.test == splits.test.count && seen.classes == 3 && seen.agents.count == 4)
    #expect(seen.agents.map(\.size).reduce(0, +) == seen.train)
    for shard in seen.agents { #expect(shard.histogram.reduce(0, +) == shard.size) }
    // Together the shards hold each class of the training set exactly as often as it occurs.
    let classCounts = (0..<3).map { c in splits.train.labels.filter { $0 == c }.count }
    #expect((0..<3).map { c in seen.agents.reduce(0) { $0 + $1.histogram[c] } } == classCounts)
    #expect(seen.lines.count == 5)
    #expect(seen.lines[0].hasPrefix("\(seen.dataset): \(seen.train) train, \(seen.validation!) validation, "))
    #expect(
      seen.lines[1] == "agent 0: \(seen.agents[0].size) samples, classes "
        + seen.agents[0].histogram.map(String.init).joined(separator: " "))
  }
}
