import FlatlandCore
import Foundation
import Testing

@testable import FlatlandData

/// Every malformed input gives a one-line FlatlandError naming the file and the problem.
@Suite struct BadInputTests {
  func loadError(_ spec: String, dataDir: String? = nil) -> FlatlandError? {
    Fixtures.error { _ = try DataSpec(parsing: spec).load(dataDir: dataDir, seed: 0) }
  }

  func expectMessage(
    _ error: FlatlandError?, _ kind: FlatlandError.Kind, contains parts: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(error?.kind == kind, "\(error?.message ?? "no error")", sourceLocation: sourceLocation)
    for part in parts {
      #expect(
        error?.message.contains(part) == true, "'\(error?.message ?? "no error")' lacks '\(part)'",
        sourceLocation: sourceLocation)
    }
    #expect(error?.message.contains("\n") == false, sourceLocation: sourceLocation)
  }

  @Test func missingFilesSayWhichAndHowToGetThem() throws {
    let dir = try Fixtures.directory()
    expectMessage(
      loadError("fashion-mnist:\(dir)"), .io,
      contains: [
        "\(dir)/train-images-idx3-ubyte.gz", "apt-get install dataset-fashion-mnist",
        "flatland data fetch fashion-mnist",
      ])
    expectMessage(
      loadError("mnist:\(dir)"), .io,
      contains: ["train-images-idx3-ubyte.gz", "flatland data fetch mnist --dir \(dir)"])
    expectMessage(loadError("cifar10:\(dir)"), .io, contains: ["data_batch_1.bin", "flatland data fetch cifar10"])
    expectMessage(loadError("csv:\(dir)/none.csv"), .io, contains: ["\(dir)/none.csv"])
    expectMessage(loadError("mnist"), .invalidArgument, contains: ["mnist:DIR", "--data-dir"])
  }

  @Test func wrongMagicNumber() throws {
    let dir = try Fixtures.mnistDirectory()
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(dir)/train-images-idx3-ubyte")))
    bytes[2] = 0x0D  // float elements
    try Fixtures.write(bytes, to: "\(dir)/train-images-idx3-ubyte")
    expectMessage(
      loadError("mnist:\(dir)"), .format,
      contains: ["train-images-idx3-ubyte", "wrong IDX magic number 00 00 0D 03", "00 00 08 03"])
  }

  @Test(arguments: [false, true]) func truncatedFile(gzip: Bool) throws {
    let dir = try Fixtures.mnistDirectory(gzip: gzip)
    let path = "\(dir)/train-images-idx3-ubyte" + (gzip ? ".gz" : "")
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    try Fixtures.write(Array(bytes.dropLast(gzip ? 12 : 5)), to: path)
    expectMessage(loadError("mnist:\(dir)"), .format, contains: [path, "truncated"])
  }

  @Test func imageAndLabelCountsMustMatch() throws {
    let dir = try Fixtures.mnistDirectory(train: 6)
    try Fixtures.write(Fixtures.idxLabels([1, 2, 3, 4, 5]), to: "\(dir)/train-labels-idx1-ubyte")
    expectMessage(loadError("mnist:\(dir)"), .format, contains: ["6 images", "5 labels"])
  }

  @Test func labelsOutsideTheClassRange() throws {
    let dir = try Fixtures.mnistDirectory(train: 6)
    try Fixtures.write(Fixtures.idxLabels([1, 2, 3, 4, 12, 5]), to: "\(dir)/train-labels-idx1-ubyte")
    expectMessage(loadError("mnist:\(dir)"), .format, contains: ["label 12", "sample 4", "0..<10"])
  }

  @Test func csvRaggedRowsAndNonNumericCellsNameTheirPlace() throws {
    let dir = try Fixtures.directory()
    try Fixtures.write(Array("0,1,2\n1,3\n".utf8), to: "\(dir)/ragged.csv")
    expectMessage(
      loadError("csv:\(dir)/ragged.csv"), .format, contains: ["\(dir)/ragged.csv:2:", "ragged", "2 fields, expected 3"])
    try Fixtures.write(Array("0,1,2\n1,3,x7\n".utf8), to: "\(dir)/text.csv")
    expectMessage(
      loadError("csv:\(dir)/text.csv"), .format, contains: ["\(dir)/text.csv:2:5: field 3", "'x7' is not a number"])
    try Fixtures.write(Array("0,1,2\n1.5,3,4\n".utf8), to: "\(dir)/label.csv")
    expectMessage(
      loadError("csv:\(dir)/label.csv"), .format, contains: ["label.csv:2:1", "label 1.5 is not a class index"])
    try Fixtures.write(Array("0,1,2\n1,,4\n".utf8), to: "\(dir)/empty-cell.csv")
    expectMessage(loadError("csv:\(dir)/empty-cell.csv"), .format, contains: ["empty-cell.csv:2:3: field 2"])
    try Fixtures.write(Array("0,nan,2\n".utf8), to: "\(dir)/nan.csv")
    expectMessage(loadError("csv:\(dir)/nan.csv"), .format, contains: ["nan.csv:1:3", "not a finite Float"])
    try Fixtures.write(Array("a,b\n0,1\n".utf8), to: "\(dir)/named.csv")
    expectMessage(loadError("csv:\(dir)/named.csv,label=c"), .invalidArgument, contains: ["'c'", "header names"])
  }

  @Test func emptyDataSets() throws {
    let dir = try Fixtures.directory()
    try Fixtures.write([], to: "\(dir)/empty.csv")
    expectMessage(loadError("csv:\(dir)/empty.csv"), .format, contains: ["empty"])
    try Fixtures.write(Array("label,x\n\n".utf8), to: "\(dir)/header.csv")
    expectMessage(loadError("csv:\(dir)/header.csv"), .format, contains: ["empty"])
    let mnist = try Fixtures.mnistDirectory(train: 0)
    expectMessage(loadError("mnist:\(mnist)"), .format, contains: ["empty"])
    try Fixtures.write(Fixtures.npy(descr: "<f4", shape: [0, 3], payload: []), to: "\(dir)/x.npy")
    try Fixtures.write(Fixtures.npy(descr: "<i8", shape: [0], payload: []), to: "\(dir)/y.npy")
    expectMessage(loadError("npy:\(dir)/x.npy,\(dir)/y.npy"), .format, contains: ["x.npy", "empty"])
  }

  @Test func npyProblems() throws {
    let dir = try Fixtures.directory()
    try Fixtures.write(
      Fixtures.npy(descr: "<f4", shape: [3, 2], payload: Fixtures.float32Bytes([1, 2, 3, 4, 5, 6])), to: "\(dir)/x.npy")
    try Fixtures.write(
      Fixtures.npy(descr: "<i4", shape: [2], payload: Fixtures.littleEndianBytes([Int32(0), 1])), to: "\(dir)/y2.npy")
    expectMessage(loadError("npy:\(dir)/x.npy,\(dir)/y2.npy"), .format, contains: ["3 samples", "2 labels"])
    try Fixtures.write(
      Fixtures.npy(descr: "<i4", shape: [3], payload: Fixtures.littleEndianBytes([Int32(0), -1, 1])),
      to: "\(dir)/yneg.npy")
    expectMessage(loadError("npy:\(dir)/x.npy,\(dir)/yneg.npy"), .format, contains: ["label -1.0 at index 1"])
    try Fixtures.write(
      Fixtures.npy(descr: "<c8", shape: [3], payload: [UInt8](repeating: 0, count: 24)), to: "\(dir)/yc.npy")
    expectMessage(loadError("npy:\(dir)/x.npy,\(dir)/yc.npy"), .format, contains: ["dtype '<c8' is not supported"])
    try Fixtures.write(
      Fixtures.npy(descr: "<f4", shape: [3, 2], payload: Fixtures.float32Bytes([1, 2, 3, 4, 5])), to: "\(dir)/short.npy"
    )
    expectMessage(loadError("npy:\(dir)/short.npy,\(dir)/y2.npy"), .format, contains: ["short.npy", "truncated"])
  }

  @Test func moreAgentsThanSamplesAndBadSchemes() throws {
    let labels: [Int32] = [0, 1, 0, 1]
    let tooMany = Fixtures.error { _ = try Partition.make(.iid, labels: labels, classes: 2, agents: 5, seed: 0) }
    expectMessage(tooMany, .invalidArgument, contains: ["'5'", "at most the 4 training samples"])
    let shards = Fixtures.error {
      _ = try Partition.make(.shards(classesPerAgent: 3), labels: labels, classes: 2, agents: 2, seed: 0)
    }
    expectMessage(shards, .invalidArgument, contains: ["shards:3", "at most 4 shards"])
    let outside = Fixtures.error { _ = try Partition.make(.iid, labels: [0, 3], classes: 2, agents: 1, seed: 0) }
    expectMessage(outside, .invalidArgument, contains: ["label '3'", "0..<2"])
    for bad in ["iid:2", "dirichlet", "dirichlet:0", "dirichlet:-1", "dirichlet:x", "shards:0", "shards", "random"] {
      #expect(Fixtures.error { _ = try PartitionScheme(parsing: bad) }?.kind == .invalidArgument, "\(bad)")
    }
  }

  @Test func samplerRejectsEmptyShardsAndForeignState() throws {
    let data = try Dataset(name: "d", shape: .flat(1), classes: 2, features: [0, 1, 2], labels: [0, 1, 0])
    #expect(
      Fixtures.error {
        _ = try BatchSampler(dataset: data, shard: [], batchSize: 2, replacement: false, seed: 0, agent: 0)
      } != nil)
    #expect(
      Fixtures.error {
        _ = try BatchSampler(dataset: data, shard: [0, 3], batchSize: 2, replacement: false, seed: 0, agent: 0)
      } != nil)
    #expect(
      Fixtures.error {
        _ = try BatchSampler(dataset: data, shard: [0], batchSize: 0, replacement: false, seed: 0, agent: 0)
      } != nil)
    let state = BatchSampler.State(position: 5, epoch: 0, rng: RandomStream(seed: 0, purpose: .sampling).state)
    #expect(
      Fixtures.error {
        _ = try BatchSampler(restoring: state, dataset: data, shard: [0, 1], batchSize: 1, replacement: false)
      }?.kind == .format)
  }
}
