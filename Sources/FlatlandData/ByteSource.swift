import FlatlandCore

/// A forward-only stream of a data file's bytes, for the binary parsers (IDX, CIFAR, .npy).
///
/// Parsers read a small header, work out how many bytes the payload must hold, ask the source
/// to confirm that size *before* allocating anything (so a corrupt header cannot request
/// gigabytes), then stream the payload in chunks straight into the Float buffer.
protocol ByteSource {
  /// The file name (or test label) used in error messages.
  var name: String { get }
  /// Throws unless the whole source is exactly `total` bytes long (as far as can be told
  /// before reading it: exactly for plain files and memory, through the gzip trailer's size
  /// and the deflate ratio bound for gzip files).
  func expectTotalSize(_ total: Int) throws
  /// The source's length in bytes as far as it can be told before reading: exact for plain
  /// files and memory, the gzip trailer's size field for gzip files.
  var declaredSize: Int { get }
  /// Fills `buffer` completely or throws a truncation error naming `what` was being read.
  mutating func readExactly(_ buffer: UnsafeMutableRawBufferPointer, what: String) throws
}

extension ByteSource {
  /// Reads `count` bytes into a new array (for headers and other small records).
  mutating func readBytes(_ count: Int, what: String) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    try bytes.withUnsafeMutableBytes { try readExactly($0, what: what) }
    return bytes
  }

  /// Reads a big-endian UInt32.
  mutating func readBigEndianUInt32(what: String) throws -> UInt32 {
    let b = try readBytes(4, what: what)
    return UInt32(b[0]) << 24 | UInt32(b[1]) << 16 | UInt32(b[2]) << 8 | UInt32(b[3])
  }

  /// Streams `count` unsigned bytes into `out` as pixel intensities b / 255 (through a fixed
  /// 64 KiB chunk, so the payload is never held as bytes in full).
  mutating func readPixels(count: Int, into out: UnsafeMutablePointer<Float>, what: String) throws {
    let chunk = 1 << 16
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
    defer { buffer.deallocate() }
    var done = 0
    while done < count {
      let n = min(chunk, count - done)
      try readExactly(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]), what: what)
      pixelIntensities(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), into: out + done)
      done += n
    }
  }
}

/// b / 255 for every byte value b, correctly rounded (as NumPy's `x / 255` gives).
let intensityTable: [Float] = (0..<256).map { Float($0) / 255 }

/// Converts bytes to intensities in [0, 1] by table look-up.
func pixelIntensities(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutablePointer<Float>) {
  intensityTable.withUnsafeBufferPointer { table in
    for i in 0..<bytes.count { out[i] = table[Int(bytes[i])] }
  }
}

/// Bytes already in memory: what the fuzz tests feed to the parsers.
struct MemoryByteSource: ByteSource {
  let name: String
  let bytes: [UInt8]
  private var offset = 0

  init(name: String, bytes: [UInt8]) {
    self.name = name
    self.bytes = bytes
  }

  var declaredSize: Int { bytes.count }

  func expectTotalSize(_ total: Int) throws {
    guard total == bytes.count else { throw sizeMismatch(name, expected: total, actual: bytes.count) }
  }

  mutating func readExactly(_ buffer: UnsafeMutableRawBufferPointer, what: String) throws {
    guard buffer.count <= bytes.count - offset else { throw truncated(name, what: what) }
    bytes.withUnsafeBytes { src in
      buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<offset + buffer.count]))
    }
    offset += buffer.count
  }
}

func truncated(_ name: String, what: String) -> FlatlandError {
  FlatlandError(.format, "\(name): file is truncated: it ends inside the \(what)")
}

func sizeMismatch(_ name: String, expected: Int, actual: Int) -> FlatlandError {
  let what = actual < expected ? "truncated" : "longer than its header says"
  return FlatlandError(
    .format, "\(name): file is \(what): the header implies \(expected) bytes, the file has \(actual)")
}
