import FlatlandCore
import FlatlandData
import FlatlandStrategies
import Foundation

/// A run's complete state at an iteration: every agent's parameters and momentum, every
/// sampler's position and random stream, and how many metric records precede it.
///
/// File layout: the 8 bytes `FLATCKPT`, a little-endian UInt32 header length, the JSON
/// header, then Float32 data: K·P parameters, then K·P velocities if the header says so.
/// Written to a temporary file, synced, and renamed over the old one, so a kill at any moment
/// leaves either the old or the new checkpoint, never half of one.
public struct Checkpoint {
  public struct Header: Codable, Sendable, Equatable {
    public var version = 1
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

  public var header: Header
  public var parameters: AgentVectors
  public var velocity: AgentVectors?

  public init(header: Header, parameters: AgentVectors, velocity: AgentVectors?) {
    self.header = header
    self.parameters = parameters
    self.velocity = velocity
  }

  /// Writes atomically to `path`.
  public func write(to path: String) throws {
    var data = Data(Self.magic)
    let json = try JSONEncoder().encode(header)
    withUnsafeBytes(of: UInt32(json.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(json)
    let bytes = parameters.agents * parameters.length * 4
    data.append(Data(bytesNoCopy: parameters.storage, count: bytes, deallocator: .none))
    if let velocity { data.append(Data(bytesNoCopy: velocity.storage, count: bytes, deallocator: .none)) }
    try Self.atomicWrite(data, to: path)
  }

  /// Reads and checks a checkpoint file.
  public static func read(from path: String) throws -> Checkpoint {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FlatlandError(.io, "cannot read checkpoint '\(path)'")
    }
    guard data.count >= 12, Array(data.prefix(8)) == magic else {
      throw FlatlandError(.format, "'\(path)' is not a Flatland checkpoint (no FLATCKPT magic)")
    }
    let length = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
    guard 12 + length <= data.count else {
      throw FlatlandError(.format, "checkpoint '\(path)' is truncated in its header")
    }
    let header: Header
    do {
      header = try JSONDecoder().decode(Header.self, from: data.subdata(in: 12..<(12 + length)))
    } catch {
      throw FlatlandError(.format, "checkpoint '\(path)' has an unreadable header")
    }
    let count = header.agents * header.parameterCount
    let expected = 12 + length + count * 4 * (header.hasVelocity ? 2 : 1)
    guard header.agents > 0, header.parameterCount > 0, data.count == expected else {
      throw FlatlandError(.format, "checkpoint '\(path)' has \(data.count) bytes, its header implies \(expected)")
    }
    let params = AgentVectors(agents: header.agents, length: header.parameterCount)
    let velocity = header.hasVelocity ? AgentVectors(agents: header.agents, length: header.parameterCount) : nil
    data.withUnsafeBytes { raw in
      let base = raw.baseAddress! + 12 + length
      UnsafeMutableRawPointer(params.storage).copyMemory(from: base, byteCount: count * 4)
      if let velocity {
        UnsafeMutableRawPointer(velocity.storage).copyMemory(from: base + count * 4, byteCount: count * 4)
      }
    }
    return Checkpoint(header: header, parameters: params, velocity: velocity)
  }

  /// temp file → fsync → rename.
  static func atomicWrite(_ data: Data, to path: String) throws {
    let temp = path + ".tmp"
    guard FileManager.default.createFile(atPath: temp, contents: nil) else {
      throw FlatlandError(.io, "cannot write '\(temp)'")
    }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temp))
    try handle.write(contentsOf: data)
    try handle.synchronize()
    try handle.close()
    guard rename(temp, path) == 0 else { throw FlatlandError(.io, "cannot move '\(temp)' to '\(path)'") }
  }
}
