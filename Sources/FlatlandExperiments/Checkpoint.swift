import CZlib
import FlatlandCore
import FlatlandData
import FlatlandStrategies
import Foundation

/// A run's complete state at an iteration: every agent's parameters and momentum, every
/// sampler's position and random stream, and how many metric records precede it.
///
/// File layout (format version 2): the 8 bytes `FLATCKPT`, a little-endian UInt32 header
/// length, the JSON header (keys sorted, so equal states give equal bytes), Float32 data (K·P
/// parameters, then K·P velocities if the header says so), and a little-endian UInt32 CRC-32
/// of everything before it. Reading checks the version, the length the header implies and the
/// checksum, so a truncated, bit-flipped or edited file is refused instead of resumed; and it
/// refuses non-finite parameters, naming the agent, since no run resumes sensibly from them.
/// Written through `AtomicFile`, so a kill at any moment leaves the old or the new checkpoint.
public struct Checkpoint {
  public struct Header: Codable, Sendable, Equatable {
    public var version = Checkpoint.formatVersion
    public var model: String
    public var inputShape: SampleShape
    public var classes: Int
    public var strategy: String
    public var iteration: Int
    public var agents: Int
    public var parameterCount: Int
    public var hasVelocity: Bool
    public var samplers: [BatchSampler.State]
    public var metricsRecords: Int
    public var samples: Int
    public var trainSeconds: Double

    enum CodingKeys: String, CodingKey {
      case version, model, classes, strategy, iteration, agents, samplers, samples
      case inputShape = "input_shape"
      case parameterCount = "parameter_count"
      case hasVelocity = "has_velocity"
      case metricsRecords = "metrics_records"
      case trainSeconds = "train_seconds"
    }
  }

  public static let magic = Array("FLATCKPT".utf8)
  public static let fileName = "checkpoint.bin"
  /// The layout written and the only one read: 2 adds the CRC-32 trailer and sorted keys.
  public static let formatVersion = 2

  public var header: Header
  public var parameters: AgentVectors
  public var velocity: AgentVectors?

  public init(header: Header, parameters: AgentVectors, velocity: AgentVectors?) {
    self.header = header
    self.parameters = parameters
    self.velocity = velocity
  }

  /// Writes atomically to `path`.
  /// - Throws: `FlatlandError` naming the agent when a parameter or velocity is not finite (the
  ///   file already at `path`, if any, is kept), or naming `path` when it cannot be written.
  public func write(to path: String) throws {
    try Self.requireFinite(parameters, velocity, in: "the checkpoint for '\(path)' (not written)")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let json = try encoder.encode(header)
    let bytes = parameters.agents * parameters.length * 4
    var data = Data(capacity: 12 + json.count + bytes * (velocity == nil ? 1 : 2) + 4)
    data.append(contentsOf: Self.magic)
    withUnsafeBytes(of: UInt32(json.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(json)
    data.append(Data(bytesNoCopy: parameters.storage, count: bytes, deallocator: .none))
    if let velocity { data.append(Data(bytesNoCopy: velocity.storage, count: bytes, deallocator: .none)) }
    let crc = data.withUnsafeBytes { Self.crc32($0) }
    withUnsafeBytes(of: crc.littleEndian) { data.append(contentsOf: $0) }
    try AtomicFile.write(data, to: path)
  }

  /// Reads and checks a checkpoint file.
  /// - Throws: `FlatlandError` naming `path` for a missing file, another format or version, a
  ///   size the header does not imply, a checksum mismatch, or a non-finite value (with its agent).
  public static func read(from path: String) throws -> Checkpoint {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FlatlandError(.io, "cannot read checkpoint '\(path)'")
    }
    guard data.count >= 16, Array(data.prefix(8)) == magic else {
      throw FlatlandError(.format, "'\(path)' is not a Flatland checkpoint (no FLATCKPT magic)")
    }
    let length = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
    guard 12 + length <= data.count else {
      throw FlatlandError(.format, "checkpoint '\(path)' is truncated in its header")
    }
    let json = data.subdata(in: 12..<(12 + length))
    struct Version: Decodable { var version: Int }
    guard let version = try? JSONDecoder().decode(Version.self, from: json).version else {
      throw FlatlandError(.format, "checkpoint '\(path)' has an unreadable header")
    }
    guard version == formatVersion else {
      throw FlatlandError(
        .format,
        "checkpoint '\(path)' has format version \(version): this flatland reads version \(formatVersion) only "
          + "(checksummed); train the run again to write it anew"
      )
    }
    let header: Header
    do {
      header = try JSONDecoder().decode(Header.self, from: json)
    } catch {
      throw FlatlandError(.format, "checkpoint '\(path)' has an unreadable header")
    }
    let copies = header.hasVelocity ? 2 : 1
    guard header.agents > 0, header.parameterCount > 0,
      let payload = MemoryBudget.size(of: [header.agents, header.parameterCount, copies], bytesEach: 4),
      payload == data.count - 16 - length
    else {
      throw FlatlandError(
        .format,
        "checkpoint '\(path)' has \(data.count) bytes, which its header (\(header.agents) agents × "
          + "\(header.parameterCount) parameters × \(copies)) does not imply: the file is truncated or corrupt"
      )
    }
    let stored = data.suffix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    let computed = data.withUnsafeBytes { crc32(UnsafeRawBufferPointer(rebasing: $0[..<(data.count - 4)])) }
    guard stored == computed else {
      throw FlatlandError(
        .format,
        "checkpoint '\(path)' fails its checksum (CRC-32 \(hex(computed)), stored \(hex(stored))): the file is "
          + "corrupt; resume from another copy or train again"
      )
    }
    let count = header.agents * header.parameterCount
    let params = AgentVectors(agents: header.agents, length: header.parameterCount)
    let velocity = header.hasVelocity ? AgentVectors(agents: header.agents, length: header.parameterCount) : nil
    data.withUnsafeBytes { raw in
      let base = raw.baseAddress! + 12 + length
      UnsafeMutableRawPointer(params.storage).copyMemory(from: base, byteCount: count * 4)
      if let velocity {
        UnsafeMutableRawPointer(velocity.storage).copyMemory(from: base + count * 4, byteCount: count * 4)
      }
    }
    try requireFinite(params, velocity, in: "checkpoint '\(path)'")
    return Checkpoint(header: header, parameters: params, velocity: velocity)
  }

  /// Throws a `.numeric` error naming `place`, the agent and the index of the first non-finite
  /// parameter or velocity.
  static func requireFinite(_ parameters: AgentVectors, _ velocity: AgentVectors?, in place: String) throws {
    for (name, vectors) in [("parameter", parameters), ("velocity", velocity)] {
      guard let vectors else { continue }
      for k in 0..<vectors.agents {
        if let i = vectors[k].firstIndex(where: { !$0.isFinite }) {
          throw FlatlandError(
            .numeric,
            "\(place) holds a non-finite \(name) (\(vectors[k][i]) at index \(i)) of agent \(k): expected finite values"
          )
        }
      }
    }
  }

  /// The CRC-32 (ISO-HDLC, zlib's) of `bytes`.
  static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    var crc = CZlib.crc32(0, nil, 0)
    var offset = 0
    while offset < bytes.count {
      let n = min(bytes.count - offset, 1 << 30)
      crc = CZlib.crc32(crc, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + offset, UInt32(n))
      offset += n
    }
    return UInt32(crc)
  }

  private static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
  }
}
