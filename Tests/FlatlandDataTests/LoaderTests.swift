import FlatlandCore
import Foundation
import Testing

@testable import FlatlandData

@Suite struct LoaderTests {
  @Test(arguments: [false, true]) func idxPixelsAreScaledAndLabelsKept(gzip: Bool) throws {
    let dir = try Fixtures.mnistDirectory(train: 6, test: 4, gzip: gzip)
    let splits = try DataSpec(parsing: "mnist:\(dir)").load(dataDir: nil, seed: 0)
    #expect(splits.train.count == 6 && splits.test.count == 4)
    #expect(splits.train.shape == SampleShape(channels: 1, height: 4, width: 3))
    #expect(splits.train.classes == 10)
    let expected = Fixtures.pattern(count: 6, size: 12).map { Float($0) / 255 }
    #expect(splits.train.features == expected)
    #expect(splits.test.labels == [0, 1, 2, 3])
  }

  @Test func dataDirFillsInAMissingDirectory() throws {
    let dir = try Fixtures.mnistDirectory()
    #expect(try DataSpec(parsing: "mnist").load(dataDir: dir, seed: 0).train.count == 6)
    #expect(try DataSpec(parsing: "fashion-mnist").load(dataDir: dir, seed: 0).test.count == 4)
  }

  @Test func cifarRecordsAreChannelMajorWithLabelBytes() throws {
    let dir = try Fixtures.directory()
    let nested = (dir as NSString).appendingPathComponent("cifar-10-batches-bin")
    try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
    func record(_ label: UInt8, _ seed: Int) -> [UInt8] { [label] + (0..<3072).map { UInt8(($0 * 5 + seed) % 256) } }
    for b in 1...5 {
      try Fixtures.write(record(UInt8(b), b) + record(9, 100 + b), to: "\(nested)/data_batch_\(b).bin")
    }
    try Fixtures.write(record(0, 7), to: "\(nested)/test_batch.bin")
    let splits = try DataSpec(parsing: "cifar10:\(dir)").load(dataDir: nil, seed: 0)
    #expect(splits.train.count == 10 && splits.test.count == 1)
    #expect(splits.train.shape == SampleShape(channels: 3, height: 32, width: 32))
    #expect(splits.train.labels == [1, 9, 2, 9, 3, 9, 4, 9, 5, 9])
    // Sample 2 is batch 2's first record: value j is (5j + 2) mod 256, green plane starts at 1024.
    let row = Array(splits.train.features[2 * 3072..<3 * 3072])
    #expect(row[0] == Float(2) / 255)
    #expect(row[1024] == Float((5 * 1024 + 2) % 256) / 255)
    #expect(row[3071] == Float((5 * 3071 + 2) % 256) / 255)
  }

  @Test func csvWithHeaderLabelByNameAndTestFile() throws {
    let dir = try Fixtures.directory()
    try Fixtures.write(Array("a, b ,class\n1.5,-2,0\n\"3\",4e1,2\r\n\n5,6,1\n".utf8), to: "\(dir)/train.csv")
    try Fixtures.write(Array("a,b,class\n7,8,1\n".utf8), to: "\(dir)/test.csv")
    let splits = try DataSpec(parsing: "csv:\(dir)/train.csv,label=class,test=\(dir)/test.csv").load(
      dataDir: nil, seed: 0)
    #expect(splits.train.features == [1.5, -2, 3, 40, 5, 6])
    #expect(splits.train.labels == [0, 2, 1])
    #expect(splits.train.classes == 3 && splits.test.classes == 3)
    #expect(splits.test.features == [7, 8] && splits.test.labels == [1])
    #expect(splits.train.shape == .flat(2))
  }

  @Test func csvSeededTestFractionSplitsWithoutLoss() throws {
    let dir = try Fixtures.directory()
    let rows = (0..<50).map { "\($0 % 3),\($0)\n" }.joined()
    try Fixtures.write(Array(rows.utf8), to: "\(dir)/d.csv")
    let spec = try DataSpec(parsing: "csv:\(dir)/d.csv,test=0.2")
    let a = try spec.load(dataDir: nil, seed: 4)
    let b = try spec.load(dataDir: nil, seed: 4)
    let c = try spec.load(dataDir: nil, seed: 5)
    #expect(a.train.count == 40 && a.test.count == 10)
    #expect(Set(a.train.features + a.test.features) == Set((0..<50).map(Float.init)))
    #expect(a.test.features == b.test.features)
    #expect(a.test.features != c.test.features)
    // Each sample keeps its own label: label = value mod 3.
    #expect(zip(a.train.features, a.train.labels).allSatisfy { Int32(Int($0) % 3) == $1 })
  }

  @Test func npyFeaturesAndLabelsInSeveralDtypes() throws {
    let dir = try Fixtures.directory()
    let x: [Float] = (0..<20).map { Float($0) * 0.5 - 3 }
    try Fixtures.write(
      Fixtures.npy(descr: "<f4", shape: [10, 2], payload: Fixtures.float32Bytes(x)), to: "\(dir)/x.npy")
    try Fixtures.write(
      Fixtures.npy(descr: "<i8", shape: [10], payload: Fixtures.littleEndianBytes((0..<10).map { Int64($0 % 4) })),
      to: "\(dir)/y.npy")
    let splits = try DataSpec(parsing: "npy:\(dir)/x.npy,\(dir)/y.npy,test=0.3").load(dataDir: nil, seed: 1)
    #expect(splits.train.count == 7 && splits.test.count == 3)
    #expect(splits.train.classes == 4 && splits.train.shape == .flat(2))
    let all = zip(splits.train.features, splits.train.features.dropFirst()).enumerated().filter { $0.offset % 2 == 0 }
      .map { $0.element }
    #expect(all.allSatisfy { $0.1 == $0.0 + 0.5 })

    // Big-endian doubles as (n, h, w) images, unsigned byte labels.
    let values: [Double] = [0.25, -1, 2, 8]
    let be = values.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> (56 - 8 * UInt64($0))) } }
    var source = MemoryByteSource(name: "be.npy", bytes: Fixtures.npy(descr: ">f8", shape: [1, 2, 2], payload: be))
    let (count, shape, decoded) = try NPYFormat.readFeatures(&source)
    #expect(count == 1 && shape == SampleShape(channels: 1, height: 2, width: 2) && decoded == [0.25, -1, 2, 8])
    var labels = MemoryByteSource(name: "y.npy", bytes: Fixtures.npy(descr: "|u1", shape: [3, 1], payload: [2, 0, 1]))
    #expect(try NPYFormat.readLabels(&labels) == [2, 0, 1])
  }

  @Test func gaussianMixtureMeansSitOnTheSphereOfRadiusSeparation() throws {
    let splits = try DataSpec(parsing: "synthetic:gaussians:4,50,n=8000,test=400,sep=3").load(dataDir: nil, seed: 0)
    #expect(splits.train.count == 8000 && splits.test.count == 400 && splits.train.shape == .flat(50))
    #expect(splits.train.classHistogram() == [2000, 2000, 2000, 2000])
    // Class mean estimate = μ_c + noise with per-coordinate sd 1/√2000: ‖m̂_c‖² ≈ sep² + 50/2000.
    for c in 0..<4 {
      var mean = [Double](repeating: 0, count: 50)
      for i in stride(from: c, to: 8000, by: 4) {
        for j in 0..<50 { mean[j] += Double(splits.train.features[i * 50 + j]) / 2000 }
      }
      let squared = mean.reduce(0) { $0 + $1 * $1 }
      #expect(abs(squared - (9 + 0.025)) < 0.3, "class \(c): ‖mean‖² = \(squared), expected ≈ 9.025")
    }
    let again = try DataSpec(parsing: "synthetic:gaussians:4,50,n=8000,test=400,sep=3").load(dataDir: nil, seed: 99)
    #expect(again.train.features == splits.train.features, "a synthetic set depends on its spec, not the run seed")
  }

  @Test func teacherLabelsAreFixedAndUseEveryClass() throws {
    let spec = try DataSpec(parsing: "synthetic:teacher:10,16,classes=5,n=5000,test=500")
    let a = try spec.load(dataDir: nil, seed: 0)
    let b = try spec.load(dataDir: nil, seed: 1)
    #expect(a.train.labels == b.train.labels && a.train.features == b.train.features)
    let histogram = a.train.classHistogram()
    #expect(histogram.count == 5 && histogram.reduce(0, +) == 5000)
    #expect(histogram.allSatisfy { $0 >= 250 }, "centred output bias keeps every class above 5%: \(histogram)")
    let other = try DataSpec(parsing: "synthetic:teacher:10,16,classes=5,n=5000,test=500,seed=1").load(
      dataDir: nil, seed: 0)
    #expect(other.train.labels != a.train.labels)
  }

  @Test func subsetPrefixAndValidationCarveOut() throws {
    let splits = try DataSpec(parsing: "synthetic:gaussians:3,2,n=30,test=6").load(dataDir: nil, seed: 0)
    let sub = splits.train.subset([4, 1, 4])
    #expect(sub.labels == [splits.train.labels[4], splits.train.labels[1], splits.train.labels[4]])
    #expect(Array(sub.features[2..<4]) == Array(splits.train.features[2..<4]))
    #expect(splits.train.prefix(5).features == Array(splits.train.features[0..<10]))

    let carved = try splits.carvingValidation(fraction: 0.2, seed: 3)
    #expect(carved.train.count == 24 && carved.validation?.count == 6 && carved.test.count == 6)
    let rows = { (d: Dataset) in (0..<d.count).map { [d.features[2 * $0], d.features[2 * $0 + 1]] } }
    #expect(Set(rows(carved.train) + rows(carved.validation!)) == Set(rows(splits.train)))
    #expect(try splits.carvingValidation(fraction: 0.2, seed: 3).validation!.features == carved.validation!.features)
  }

  @Test func specsParseAndPrintCanonically() throws {
    #expect(try DataSpec(parsing: "fashion-mnist") == .fashionMNIST(directory: nil))
    #expect(try DataSpec(parsing: "cifar10:/d") == .cifar10(directory: "/d"))
    #expect(try DataSpec(parsing: "csv:a.csv,label=last") == .csv(path: "a.csv", label: .last, test: .fraction(0.2)))
    #expect(try DataSpec(parsing: "npy:x.npy,y.npy") == .npy(features: "x.npy", labels: "y.npy", testFraction: 0.2))
    let g = try DataSpec(parsing: "synthetic:gaussians:5,7,sep=1.5")
    #expect(try DataSpec(parsing: g.description) == g)
    for bad in [
      "", "imagenet", "csv:", "csv:a.csv,colour=1", "npy:x.npy", "synthetic:gaussians:1,4", "synthetic:teacher:0",
      "synthetic:cats", "csv:a.csv,label=-1", "synthetic:gaussians:3,4,n=0",
    ] {
      let error = Fixtures.error { _ = try DataSpec(parsing: bad) }
      #expect(error?.kind == .invalidArgument, "\(bad) should be rejected")
    }
  }
}
