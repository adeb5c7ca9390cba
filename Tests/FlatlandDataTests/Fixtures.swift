import FlatlandCore
import Foundation

@testable import FlatlandData

/// Small data files written byte by byte, for loader tests.
enum Fixtures {
  /// A fresh empty directory under the system temporary directory.
  static func directory(_ label: String = #function) throws -> String {
    let clean = label.filter { $0.isLetter || $0.isNumber }
    let path = (NSTemporaryDirectory() as NSString).appendingPathComponent(
      "flatland-data-\(clean)-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  static func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  static func bigEndian(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }

  /// An IDX image file: (count, rows, columns) unsigned bytes.
  static func idxImages(_ pixels: [UInt8], count: Int, rows: Int, columns: Int) -> [UInt8] {
    [0, 0, 8, 3] + bigEndian(count) + bigEndian(rows) + bigEndian(columns) + pixels
  }

  /// An IDX label file.
  static func idxLabels(_ labels: [UInt8]) -> [UInt8] { [0, 0, 8, 1] + bigEndian(labels.count) + labels }

  /// A deterministic pixel pattern: pixel j of image i is (7i + 3j) mod 256.
  static func pattern(count: Int, size: Int) -> [UInt8] {
    (0..<count * size).map { UInt8((7 * ($0 / size) + 3 * ($0 % size)) % 256) }
  }

  /// Writes an MNIST-style directory of `train` and `test` image/label pairs (4×3 images).
  static func mnistDirectory(train: Int = 6, test: Int = 4, gzip: Bool = false) throws -> String {
    let dir = try directory()
    for (prefix, n) in [("train", train), ("t10k", test)] {
      let images = (dir as NSString).appendingPathComponent("\(prefix)-images-idx3-ubyte")
      let labels = (dir as NSString).appendingPathComponent("\(prefix)-labels-idx1-ubyte")
      try write(idxImages(pattern(count: n, size: 12), count: n, rows: 4, columns: 3), to: images)
      try write(idxLabels((0..<n).map { UInt8($0 % 10) }), to: labels)
      if gzip {
        try self.gzip(images)
        try self.gzip(labels)
      }
    }
    return dir
  }

  /// Compresses `path` to `path.gz` with the system gzip, removing the original.
  static func gzip(_ path: String) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["gzip", "-f", path]
    try process.run()
    process.waitUntilExit()
    precondition(process.terminationStatus == 0, "gzip failed on \(path)")
  }

  /// A .npy (version 1) file of `shape` with raw little-endian `payload` bytes of `descr`.
  static func npy(descr: String, shape: [Int], payload: [UInt8]) -> [UInt8] {
    let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    let length = header.utf8.count
    return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
      + payload
  }

  static func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    values.flatMap { v in (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
  }

  static func float32Bytes(_ values: [Float]) -> [UInt8] { littleEndianBytes(values.map(\.bitPattern)) }

  /// The thrown FlatlandError of `body`, or nil when it did not throw one.
  static func error(_ body: () throws -> Void) -> FlatlandError? {
    do {
      try body()
      return nil
    } catch let error as FlatlandError {
      return error
    } catch {
      return FlatlandError(.io, "unexpected error type: \(error)")
    }
  }
}
