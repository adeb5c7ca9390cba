import FlatlandCore
import FlatlandStrategies
import Foundation
import Testing

@testable import FlatlandExperiments

/// Checkpoints detect their own corruption: a CRC-32 over header and payload, the size the
/// header implies, the format version, and finite values, each refused with a one-line error
/// naming the file (and the agent for a non-finite value).
@Suite struct CheckpointIntegrityTests {
  let exports = TensorExportTests()

  func path() -> String { NSTemporaryDirectory() + "flatland-ckpt-\(UUID().uuidString).bin" }

  /// The message of the error `Checkpoint.read` throws for `bytes`, or "no error".
  func readError(_ bytes: [UInt8]) throws -> String {
    let file = path()
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    do {
      _ = try Checkpoint.read(from: file)
      return "no error"
    } catch let error as FlatlandError {
      #expect(!error.message.contains("\n"))
      return error.message.replacingOccurrences(of: file, with: "FILE")
    }
  }

  /// A written 3-agent mlp:5 checkpoint's bytes: magic, length, header, 3 × 43 Floats, CRC.
  func written() throws -> (bytes: [UInt8], payload: Range<Int>) {
    let file = path()
    try exports.checkpoint("mlp:5", input: .flat(4)).write(to: file)
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    let length = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
    return (bytes, (12 + length)..<(bytes.count - 4))
  }

  /// CRC-32 bit by bit (reflected polynomial 0xEDB88320), the reference for zlib's.
  func referenceCRC(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
  }

  /// Rewrites the trailer so that `bytes` passes the checksum again.
  func resealed(_ bytes: [UInt8]) -> [UInt8] {
    let crc = referenceCRC(bytes[..<(bytes.count - 4)])
    return Array(bytes.dropLast(4)) + (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
  }

  @Test func theTrailerIsTheCRC32OfEverythingBefore() throws {
    let (bytes, payload) = try written()
    #expect(payload.count == 3 * 43 * 4)
    let stored = (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[bytes.count - 4 + $1]) << (8 * UInt32($1)) }
    #expect(stored == referenceCRC(bytes[..<(bytes.count - 4)]))
    #expect(Checkpoint.crc32(UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
    #expect(Array("123456789".utf8).withUnsafeBytes { Checkpoint.crc32($0) } == 0xCBF4_3926)
  }

  @Test func headersHaveSortedKeysAndEqualStatesGiveEqualBytes() throws {
    let (bytes, payload) = try written()
    let json = try #require(String(bytes: bytes[12..<payload.lowerBound], encoding: .utf8))
    let keys = ["agents", "buffers", "classes", "input_shape", "iteration", "metrics_records", "model"]
    let positions = keys.map { json.range(of: "\"\($0)\"")!.lowerBound }
    #expect(positions == positions.sorted(), "\(json)")
    #expect(try written().bytes == bytes)
  }

  @Test func flippedPayloadBytesFailTheChecksum() throws {
    var (bytes, payload) = try written()
    bytes[payload.lowerBound + 17] ^= 0x01
    #expect(try readError(bytes).hasPrefix("checkpoint 'FILE' fails its checksum (CRC-32 0x"))
    // A thousand sign flips (here every weight's sign bit) as well.
    (bytes, payload) = try written()
    for i in stride(from: payload.lowerBound + 3, to: payload.upperBound, by: 4) { bytes[i] ^= 0x80 }
    #expect(try readError(bytes).contains("fails its checksum"))
    // So does a flipped header byte, as long as the header still decodes.
    (bytes, payload) = try written()
    let word = Array("diffusion".utf8)
    let at = try #require((12..<payload.lowerBound).first { Array(bytes[$0..<($0 + word.count)]) == word })
    bytes[at] = UInt8(ascii: "D")
    #expect(try readError(bytes).contains("fails its checksum"))
  }

  @Test func aNonFiniteParameterIsRefusedNamingTheAgent() throws {
    var (bytes, payload) = try written()
    // Agent 1, parameter 7: offset (43 + 7) Floats into the payload.
    let nan = Float.nan.bitPattern
    for b in 0..<4 { bytes[payload.lowerBound + (43 + 7) * 4 + b] = UInt8(truncatingIfNeeded: nan >> (8 * b)) }
    #expect(
      try readError(resealed(bytes))
        == "checkpoint 'FILE' holds a non-finite parameter (nan at index 7) of agent 1: expected finite values")
  }

  @Test func otherVersionsAndSizesAreRefused() throws {
    var (bytes, payload) = try written()
    #expect(
      try readError(Array(bytes.dropLast(9))).contains("which its header (3 agents × 43 parameters × 1) does not imply")
    )
    let json = String(decoding: bytes[12..<payload.lowerBound], as: UTF8.self)
    let old = Array(json.replacingOccurrences(of: "\"version\":3", with: "\"version\":1").utf8)
    #expect(old.count == payload.lowerBound - 12)
    bytes.replaceSubrange(12..<payload.lowerBound, with: old)
    #expect(
      try readError(bytes)
        == "checkpoint 'FILE' has format version 1: this flatland reads versions 2 and 3 only (checksummed); train "
        + "the run again to write it anew")
    #expect(try readError(Array("FLATCKPX".utf8) + Array(bytes.dropFirst(8))).contains("no FLATCKPT magic"))
  }

  @Test func aNonFiniteCheckpointIsNotWrittenAndTheOldOneIsKept() throws {
    let file = path()
    let good = try exports.checkpoint("mlp:5", input: .flat(4))
    try good.write(to: file)
    let before = try Data(contentsOf: URL(fileURLWithPath: file))
    let bad = try exports.checkpoint("mlp:5", input: .flat(4))
    bad.parameters[2][40] = -.infinity
    #expect { try bad.write(to: file) } throws: {
      "\($0)".contains("holds a non-finite parameter (-inf at index 40) of agent 2")
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
    #expect(!FileManager.default.fileExists(atPath: file + ".tmp"))
    #expect {
      try TensorExport.write(bad, path: "bad", point: .agent(2), to: NSTemporaryDirectory() + UUID().uuidString)
    } throws: { "\($0)".contains("non-finite parameter (-inf at index 40)") }
  }

  /// A checkpoint with state buffers: the parameters, then each buffer in sorted name order.
  func withBuffers() throws -> Checkpoint {
    let base = try exports.checkpoint("mlp:5", input: .flat(4))
    var buffers: [String: AgentVectors] = [:]
    for (i, name) in ["velocity", "tracker", "previous_gradient"].enumerated() {
      let v = AgentVectors(agents: 3, length: 43)
      for k in 0..<3 { v.set(k, (0..<43).map { Float(100 * i + 10 * k) + Float($0) / 64 }) }
      buffers[name] = v
    }
    return Checkpoint(header: base.header, parameters: base.parameters, buffers: buffers)
  }

  @Test func stateBuffersRoundTripByNameInSortedOrder() throws {
    let file = path()
    let c = try withBuffers()
    #expect(c.header.buffers == ["previous_gradient", "tracker", "velocity"])
    try c.write(to: file)
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    let length = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
    #expect(bytes.count == 16 + length + 4 * 3 * 43 * 4)
    // The first buffer after the parameters is previous_gradient: agent 0's entry 1 is 200 + 1/64.
    let at = 12 + length + (3 * 43 + 1) * 4
    #expect(
      Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }) == 200 + 1.0 / 64
    )
    let read = try Checkpoint.read(from: file)
    #expect(read.header == c.header)
    #expect(read.parameters.rows == c.parameters.rows)
    for name in c.header.buffers { #expect(read.buffers[name]!.rows == c.buffers[name]!.rows, "\(name)") }
    #expect(read.velocity?.rows == c.buffers["velocity"]!.rows)
    let tracker = try #require(c.buffers["tracker"])
    tracker[1][5] = .nan
    #expect { try c.write(to: file) } throws: {
      "\($0)".contains("holds a non-finite tracker (nan at index 5) of agent 1")
    }
  }

  /// Version 2 files (a has_velocity flag, the velocity after the parameters) are still read.
  @Test func version2FilesAreRead() throws {
    for hasVelocity in [false, true] {
      let base = try exports.checkpoint("mlp:5", input: .flat(4))
      let velocity = AgentVectors(agents: 3, length: 43)
      for k in 0..<3 { velocity.set(k, (0..<43).map { Float(k) - Float($0) / 8 }) }
      let c = Checkpoint(
        header: base.header, parameters: base.parameters, buffers: hasVelocity ? ["velocity": velocity] : [:])
      let file = path()
      try c.write(to: file)
      var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
      let length = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
      let json = String(decoding: bytes[12..<(12 + length)], as: UTF8.self)
      let v2 = Array(
        json.replacingOccurrences(of: "\"version\":3", with: "\"version\":2")
          .replacingOccurrences(
            of: hasVelocity ? "\"buffers\":[\"velocity\"]" : "\"buffers\":[]", with: "\"has_velocity\":\(hasVelocity)"
          )
          .utf8)
      #expect(String(decoding: v2, as: UTF8.self).contains("has_velocity"))
      bytes.replaceSubrange(12..<(12 + length), with: v2)
      bytes.replaceSubrange(8..<12, with: (0..<4).map { UInt8(truncatingIfNeeded: v2.count >> (8 * $0)) })
      try Data(resealed(bytes)).write(to: URL(fileURLWithPath: file))
      let read = try Checkpoint.read(from: file)
      #expect(read.header.version == 2 && read.header.buffers == (hasVelocity ? ["velocity"] : []))
      #expect(read.parameters.rows == c.parameters.rows)
      #expect(read.velocity?.rows == (hasVelocity ? velocity.rows : nil))
    }
  }
}
