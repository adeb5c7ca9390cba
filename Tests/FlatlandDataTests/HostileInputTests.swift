import FlatlandCore
import Foundation
import Testing

@testable import FlatlandData

/// Inputs a careless or hostile user gives: sizes that would allocate without bound, files that
/// are not files, invisible bytes, non-finite features, and test sets that do not match their
/// training sets. Each ends in one FlatlandError naming the value, before any large allocation.
@Suite struct HostileInputTests {
  let bad = BadInputTests()

  func loadError(_ spec: String) -> FlatlandError? { bad.loadError(spec) }

  // MARK: - Sizes

  @Test func aHugeCSVLabelIsRefusedAtItsCell() throws {
    let dir = try Fixtures.directory()
    let path = dir + "/labels.csv"
    try "0,1\n2000000000,1\n1,2\n".write(toFile: path, atomically: true, encoding: .utf8)
    bad.expectMessage(
      loadError("csv:\(path)"), .format, contains: ["\(path):2:1", "label 2000000000", "65535"])
    // The largest accepted label gives exactly ClassCount.maximum classes.
    try "0,1\n\(ClassCount.maximum - 1),1\n1,2\n0,3\n1,4\n".write(toFile: path, atomically: true, encoding: .utf8)
    let splits = try DataSpec(parsing: "csv:\(path),test=0.2").load(dataDir: nil, seed: 0)
    #expect(splits.train.classes == ClassCount.maximum)
  }

  @Test func devicesAndDirectoriesAreNotDataFiles() throws {
    bad.expectMessage(loadError("csv:/dev/zero"), .io, contains: ["/dev/zero", "not a regular file"])
    let dir = try Fixtures.directory()
    bad.expectMessage(loadError("csv:\(dir)"), .io, contains: [dir, "is a directory"])
    bad.expectMessage(loadError("npy:\(dir),\(dir)"), .io, contains: [dir, "is a directory"])
  }

  @Test func aTextFileLargerThanTheBudgetIsRefusedBeforeItIsRead() throws {
    let dir = try Fixtures.directory()
    let path = dir + "/big.csv"
    try String(repeating: "0,1\n", count: 300).write(toFile: path, atomically: true, encoding: .utf8)
    let error = Fixtures.error { _ = try DataFile(path: path).readToEnd(budget: 1000) }
    bad.expectMessage(error, .invalidArgument, contains: ["data file \(path)", "1.2 kB", "at most 1.0 kB"])
    #expect(try DataFile(path: path).readToEnd(budget: 1200).count == 1200)
  }

  @Test func syntheticSizesAreCheckedBeforeGenerating() throws {
    bad.expectMessage(
      Fixtures.error { _ = try DataSpec(parsing: "synthetic:gaussians:100000,100000") }, .invalidArgument,
      contains: ["100000", "2 to 65536 classes"])
    bad.expectMessage(
      loadError("synthetic:gaussians:10,100000000000"), .invalidArgument,
      contains: ["synthetic:gaussians with 6000 samples of dimension 100000000000", "2.4 PB"])
    bad.expectMessage(
      loadError("synthetic:teacher:4,100000000000000"), .invalidArgument,
      contains: ["synthetic:teacher network (width 100000000000000"])
    bad.expectMessage(
      loadError("synthetic:teacher:4,8,n=4611686018427387904"), .invalidArgument,
      contains: ["4611686018427387904 samples", "would need more than"])
  }

  // MARK: - Messages

  @Test func aByteOrderMarkIsSkipped() throws {
    let dir = try Fixtures.directory()
    let rows = "0,1.5\n1,2.5\n0,3.5\n1,4.5\n0,5.5\n"
    try (Data([0xEF, 0xBB, 0xBF]) + Data(rows.utf8)).write(to: URL(fileURLWithPath: dir + "/bom.csv"))
    try rows.write(toFile: dir + "/plain.csv", atomically: true, encoding: .utf8)
    let withMark = try DataSpec(parsing: "csv:\(dir)/bom.csv,test=0.2").load(dataDir: nil, seed: 3)
    let without = try DataSpec(parsing: "csv:\(dir)/plain.csv,test=0.2").load(dataDir: nil, seed: 3)
    #expect(withMark.train.features == without.train.features)
    #expect(withMark.train.labels == without.train.labels)
    #expect(withMark.train.features.count == 4)
  }

  @Test func syntheticOptionsMayFollowTheFamilyDirectly() throws {
    guard case .gaussians(let g) = try DataSpec(parsing: "synthetic:gaussians,n=1") else {
      Issue.record("not a Gaussian mixture")
      return
    }
    #expect(g.trainCount == 1 && g.classes == 10 && g.dimension == 20)
    guard case .teacher(let t) = try DataSpec(parsing: "synthetic:teacher,classes=3,test=7") else {
      Issue.record("not a teacher set")
      return
    }
    #expect(t.classes == 3 && t.testCount == 7 && t.dimension == 20)
    let splits = try DataSpec(parsing: "synthetic:gaussians,n=30,test=5").load(dataDir: nil, seed: 0)
    #expect(splits.train.count == 30 && splits.test.count == 5)
  }

  // MARK: - Corruption

  @Test(arguments: [Float.nan, .infinity, -.infinity])
  func nonFiniteNPYFeaturesAreRefused(_ value: Float) throws {
    let dir = try Fixtures.directory()
    let features: [Float] = [0, 1, 2, 3, 4, value, 6, 7]
    try Fixtures.write(
      Fixtures.npy(descr: "<f4", shape: [4, 2], payload: Fixtures.float32Bytes(features)), to: dir + "/x.npy")
    try Fixtures.write(
      Fixtures.npy(descr: "<i8", shape: [4], payload: Fixtures.littleEndianBytes([0, 1, 0, 1] as [Int64])),
      to: dir + "/y.npy")
    bad.expectMessage(
      loadError("npy:\(dir)/x.npy,\(dir)/y.npy"), .format,
      contains: ["\(dir)/x.npy", "\(value)", "sample 2 (element 5)", "finite"])
  }

  @Test func idxTestImagesOfAnotherShapeAreRefused() throws {
    let dir = try Fixtures.mnistDirectory(train: 6, test: 4)
    try Fixtures.write(
      Fixtures.idxImages(Fixtures.pattern(count: 4, size: 20), count: 4, rows: 5, columns: 4),
      to: dir + "/t10k-images-idx3-ubyte")
    bad.expectMessage(loadError("mnist:\(dir)"), .format, contains: ["mnist/test", "5x4x1", "mnist/train", "4x3x1"])
  }
}
