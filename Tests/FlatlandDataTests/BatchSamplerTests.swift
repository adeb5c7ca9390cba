import FlatlandCore
import Foundation
import Testing

@testable import FlatlandData

@Suite struct BatchSamplerTests {
  /// 20 samples of 3 features: sample i is (i, 10 i, 100 i) with label i mod 4.
  let data = try! Dataset(
    name: "rows", shape: .flat(3), classes: 4,
    features: (0..<20).flatMap { [Float($0), Float(10 * $0), Float(100 * $0)] }, labels: (0..<20).map { Int32($0 % 4) })
  let shard = [1, 4, 5, 8, 9, 13, 17]

  @Test func withoutReplacementEachEpochVisitsTheShardOnce() throws {
    var sampler = try BatchSampler(dataset: data, shard: shard, batchSize: 7, replacement: false, seed: 1, agent: 2)
    var batch = sampler.makeBatch()
    var orders: [[Int]] = []
    for epoch in 0..<4 {
      #expect(sampler.epoch == epoch && sampler.position == 0)
      sampler.next(into: &batch)
      #expect(batch.count == 7 && batch.indices.sorted() == shard)
      for (slot, i) in batch.indices.enumerated() {
        #expect(Array(batch.features[3 * slot..<3 * slot + 3]) == [Float(i), Float(10 * i), Float(100 * i)])
        #expect(batch.labels[slot] == Int32(i % 4))
      }
      orders.append(batch.indices)
    }
    #expect(Set(orders.map { $0.description }).count > 1, "each epoch reshuffles")
  }

  @Test func batchesSpanEpochBoundariesAndEpochProgressCounts() throws {
    var sampler = try BatchSampler(dataset: data, shard: shard, batchSize: 3, replacement: false, seed: 1, agent: 0)
    var batch = sampler.makeBatch()
    var seen: [Int] = []
    for _ in 0..<7 {  // 21 samples = exactly 3 epochs of 7
      sampler.next(into: &batch)
      seen += batch.indices
    }
    #expect(sampler.epoch == 3 && sampler.position == 0 && sampler.epochProgress == 3)
    for e in 0..<3 { #expect(seen[7 * e..<7 * e + 7].sorted() == shard) }
  }

  @Test(arguments: [false, true]) func restoringStateContinuesTheSameSequence(replacement: Bool) throws {
    var a = try BatchSampler(dataset: data, shard: shard, batchSize: 4, replacement: replacement, seed: 9, agent: 3)
    var batch = a.makeBatch()
    for _ in 0..<5 { a.next(into: &batch) }
    let saved = try JSONDecoder().decode(BatchSampler.State.self, from: JSONEncoder().encode(a.state))
    var b = try BatchSampler(restoring: saved, dataset: data, shard: shard, batchSize: 4, replacement: replacement)
    var other = b.makeBatch()
    for _ in 0..<6 {
      a.next(into: &batch)
      b.next(into: &other)
      #expect(batch.indices == other.indices && batch.features == other.features)
    }
    #expect(a.state == b.state)
  }

  @Test func agentsGetDifferentStreams() throws {
    var a = try BatchSampler(dataset: data, shard: Array(0..<20), batchSize: 20, replacement: false, seed: 9, agent: 0)
    var b = try BatchSampler(dataset: data, shard: Array(0..<20), batchSize: 20, replacement: false, seed: 9, agent: 1)
    var x = a.makeBatch()
    var y = b.makeBatch()
    a.next(into: &x)
    b.next(into: &y)
    #expect(x.indices != y.indices)
  }

  @Test func withReplacementDrawsUniformlyFromTheShard() throws {
    var sampler = try BatchSampler(dataset: data, shard: shard, batchSize: 70, replacement: true, seed: 4, agent: 0)
    var batch = sampler.makeBatch()
    var counts: [Int: Int] = [:]
    for _ in 0..<100 {
      sampler.next(into: &batch)
      for i in batch.indices { counts[i, default: 0] += 1 }
    }
    #expect(Set(counts.keys) == Set(shard))
    // 7000 draws, 1000 expected per sample, binomial sd ≈ 29.
    #expect(counts.values.allSatisfy { abs($0 - 1000) < 5 * 29 }, "\(counts)")
    #expect(sampler.epoch == 1000 && sampler.position == 0)
  }

  @Test func steadyStateReusesTheBatchBuffers() throws {
    var sampler = try BatchSampler(dataset: data, shard: shard, batchSize: 5, replacement: false, seed: 0, agent: 0)
    var batch = sampler.makeBatch()
    sampler.next(into: &batch)
    let before = batch.features.withUnsafeBufferPointer { $0.baseAddress }
    for _ in 0..<50 { sampler.next(into: &batch) }
    #expect(batch.features.withUnsafeBufferPointer { $0.baseAddress } == before)
  }

  @Test func evaluationFillCoversASplitInOrder() {
    var batch = Batch(capacity: 8, featureCount: 3)
    var start = 0
    var labels: [Int32] = []
    while start < data.count {
      let n = data.fill(&batch, from: start)
      labels += batch.labels[0..<n]
      start += n
    }
    #expect(labels == data.labels && batch.count == 4)
  }
}
