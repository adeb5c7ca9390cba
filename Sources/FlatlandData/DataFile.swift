import CZlib
import FlatlandCore
import Foundation

/// A data file on disk, plain or gzip-compressed, read through zlib's `gz*` interface (which
/// passes plain files through unchanged), so every loader accepts both `x` and `x.gz`.
final class DataFile: ByteSource {
  let name: String
  /// Size on disk.
  let fileSize: Int
  /// True when the file starts with the gzip magic bytes 1f 8b.
  let isGzip: Bool
  /// The gzip trailer's ISIZE: the uncompressed length modulo 2³².
  private let gzipSize: UInt32
  private let handle: gzFile

  /// Opens `path`; when it does not exist the error names it and adds `hint`, which says how
  /// to install or fetch the data set.
  init(path: String, hint: String = "") throws {
    name = path
    guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
      throw FlatlandError(.io, "missing data file \(path)" + (hint.isEmpty ? "" : ": \(hint)"))
    }
    switch attributes[.type] as? FileAttributeType {
    case .typeRegular?:
      break
    case .typeDirectory?:
      throw FlatlandError(.io, "data file \(path) is a directory: expected a file")
    default:
      throw FlatlandError(
        .io, "data file \(path) is not a regular file (a device, pipe or socket): expected a file of fixed size")
    }
    guard let raw = FileHandle(forReadingAtPath: path) else {
      throw FlatlandError(.io, "cannot read data file \(path)")
    }
    defer { try? raw.close() }
    let size = Int(raw.seekToEndOfFile())
    raw.seek(toFileOffset: 0)
    let head = [UInt8](raw.readData(ofLength: 2))
    var trailer: UInt32 = 0
    let gzip = head == [0x1F, 0x8B]
    if gzip, size >= 4 {
      raw.seek(toFileOffset: UInt64(size - 4))
      for (k, byte) in raw.readData(ofLength: 4).enumerated() { trailer |= UInt32(byte) << (8 * UInt32(k)) }
    }
    guard let h = gzopen(path, "rb") else { throw FlatlandError(.io, "cannot open data file \(path)") }
    gzbuffer(h, 1 << 17)
    fileSize = size
    isGzip = gzip
    gzipSize = trailer
    handle = h
  }

  deinit { gzclose(handle) }

  var declaredSize: Int { isGzip ? Int(gzipSize) : fileSize }

  /// Deflate expands at most 1032:1, so a gzip file of n bytes cannot hold more than ~1032 n.
  func expectTotalSize(_ total: Int) throws {
    if !isGzip {
      guard total == fileSize else { throw sizeMismatch(name, expected: total, actual: fileSize) }
      return
    }
    guard total <= fileSize &* 1032, UInt32(truncatingIfNeeded: total) == gzipSize else {
      throw FlatlandError(
        .format,
        "\(name): the header implies \(total) bytes but the gzip stream holds \(gzipSize) (mod 2^32): the file "
          + "is truncated or corrupt"
      )
    }
  }

  func readExactly(_ buffer: UnsafeMutableRawBufferPointer, what: String) throws {
    var done = 0
    while done < buffer.count {
      let want = UInt32(min(buffer.count - done, 1 << 30))
      let got = gzread(handle, buffer.baseAddress! + done, want)
      if got < 0 { throw FlatlandError(.format, "\(name): corrupt compressed data in the \(what): \(zlibMessage())") }
      if got == 0 { throw truncated(name, what: what) }
      done += Int(got)
    }
  }

  /// The rest of the file, decompressed (for text formats that are parsed whole), refused once
  /// it grows beyond `budget` bytes (a gzip file can expand 1000-fold).
  func readToEnd(budget: Int = MemoryBudget.bytes) throws -> [UInt8] {
    let what = "data file \(name)" + (isGzip ? " (decompressed)" : "")
    try MemoryBudget.check(what, [fileSize], bytesEach: 1, budget: budget)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(isGzip ? min(fileSize * 4, budget) : fileSize)
    let chunk = 1 << 20
    var buffer = [UInt8](repeating: 0, count: chunk)
    while true {
      let got = buffer.withUnsafeMutableBytes { gzread(handle, $0.baseAddress!, UInt32(chunk)) }
      if got < 0 { throw FlatlandError(.format, "\(name): corrupt compressed data: \(zlibMessage())") }
      if got == 0 { break }
      try MemoryBudget.check(what, [bytes.count + Int(got)], bytesEach: 1, budget: budget)
      bytes.append(contentsOf: buffer[0..<Int(got)])
    }
    return bytes
  }

  private func zlibMessage() -> String {
    var code: Int32 = 0
    guard let message = gzerror(handle, &code) else { return "zlib error" }
    return String(cString: message)
  }
}
