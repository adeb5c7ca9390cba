import CZlib
import FlatlandCore
import FlatlandData
import FlatlandStrategies
import Foundation

/// A run's complete state at an iteration: every agent's parameters and the strategy's state
/// buffers (momentum, exact diffusion's ψ_prev, gradient tracking's tracker and previous
/// gradient), every sampler's position and random stream, and how many metric records
/// precede it.
///
/// File layout (format version 3): the 8 bytes `FLATCKPT`, a little-endian UInt32 header
/// length, the JSON header (keys sorted, so equal states give equal bytes), Float32 data (K·P
/// parameters, then each buffer the header's `buffers` names, in that order: K·P values, or P
/// for the one-row buffers it lists in `shared_buffers`, such as the SWA average),
/// and a little-endian UInt32 CRC-32 of everything before it. Version 2, still read, has the
/// same layout with a `has_velocity` flag in place of `buffers` (the only buffer it could hold
/// was `velocity`). Reading checks the version, the length the header implies and the
/// checksum, so a truncated, bit-flipped or edited file is refused instead of resumed; and it
/// refuses non-finite values, naming the buffer and agent, since no run resumes sensibly from
/// them. Written through `AtomicFile`, so a kill at any moment leaves the old or the new
/// checkpoint.
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
    /// The state buffers stored after the parameters, by name, in file order (sorted).
    public var buffers: [String]
    /// The buffers of `buffers` that hold one row for the whole network rather than one per agent.
    public var sharedBuffers: [String] = []
    public var samplers: [BatchSampler.State]
    public var metricsRecords: Int
    public var samples: Int
    public var trainSeconds: Double

    enum CodingKeys: String, CodingKey {
      case version, model, classes, strategy, iteration, agents, samplers, samples
      case inputShape = "input_shape"
      case buffers
      case sharedBuffers = "shared_buffers"
      case parameterCount = "parameter_count"
      case metricsRecords = "metrics_records"
      case trainSeconds = "train_seconds"
      /// Version 2's flag for its one possible buffer, read only.
      case hasVelocity = "has_velocity"
    }

    public init(
      model: String, inputShape: SampleShape, classes: Int, strategy: String, iteration: Int, agents: Int,
      parameterCount: Int, buffers: [String], samplers: [BatchSampler.State], metricsRecords: Int, samples: Int,
      trainSeconds: Double
    ) {
      (self.model, self.inputShape, self.classes, self.strategy) = (model, inputShape, classes, strategy)
      (self.iteration, self.agents, self.parameterCount, self.buffers) = (iteration, agents, parameterCount, buffers)
      (self.samplers, self.metricsRecords, self.samples, self.trainSeconds) =
        (samplers, metricsRecords, samples, trainSeconds)
    }

    /// Reads version 3, or version 2 with `has_velocity` as the buffer list [velocity] or [].
    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      version = try c.decode(Int.self, forKey: .version)
      model = try c.decode(String.self, forKey: .model)
      inputShape = try c.decode(SampleShape.self, forKey: .inputShape)
      classes = try c.decode(Int.self, forKey: .classes)
      strategy = try c.decode(String.self, forKey: .strategy)
      iteration = try c.decode(Int.self, forKey: .iteration)
      agents = try c.decode(Int.self, forKey: .agents)
      parameterCount = try c.decode(Int.self, forKey: .parameterCount)
      if version == 2 {
        buffers = try c.decode(Bool.self, forKey: .hasVelocity) ? ["velocity"] : []
      } else {
        buffers = try c.decode([String].self, forKey: .buffers)
        sharedBuffers = try c.decodeIfPresent([String].self, forKey: .sharedBuffers) ?? []
      }
      samplers = try c.decode([BatchSampler.State].self, forKey: .samplers)
      metricsRecords = try c.decode(Int.self, forKey: .metricsRecords)
      samples = try c.decode(Int.self, forKey: .samples)
      trainSeconds = try c.decode(Double.self, forKey: .trainSeconds)
    }

    /// Writes the current version (never `has_velocity`).
    public func encode(to encoder: Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(version, forKey: .version)
      try c.encode(model, forKey: .model)
      try c.encode(inputShape, forKey: .inputShape)
      try c.encode(classes, forKey: .classes)
      try c.encode(strategy, forKey: .strategy)
      try c.encode(iteration, forKey: .iteration)
      try c.encode(agents, forKey: .agents)
      try c.encode(parameterCount, forKey: .parameterCount)
      try c.encode(buffers, forKey: .buffers)
      try c.encode(sharedBuffers, forKey: .sharedBuffers)
      try c.encode(samplers, forKey: .samplers)
      try c.encode(metricsRecords, forKey: .metricsRecords)
      try c.encode(samples, forKey: .samples)
      try c.encode(trainSeconds, forKey: .trainSeconds)
    }
  }

  public static let magic = Array("FLATCKPT".utf8)
  public static let fileName = "checkpoint.bin"
  /// The layout written: 2 added the CRC-32 trailer and sorted keys, 3 named state buffers.
  public static let formatVersion = 3
  /// The layouts read: the current one and version 2 (parameters and an optional velocity).
  public static let readableVersions = [2, 3]

  public var header: Header
  public var parameters: AgentVectors
  /// The run's state buffers by name (`StrategyState.stateBuffers`, each K × P, and the one-row
  /// SWA average).
  public var buffers: [String: AgentVectors]

  /// Heavy-ball velocities, if the run kept them.
  public var velocity: AgentVectors? { buffers["velocity"] }

  /// A checkpoint of `parameters` and `buffers`; the header's buffer lists are set from them.
  public init(header: Header, parameters: AgentVectors, buffers: [String: AgentVectors] = [:]) {
    precondition(
      buffers.values.allSatisfy {
        ($0.agents == parameters.agents || $0.agents == 1) && $0.length == parameters.length
      },
      "every state buffer has the parameters' shape, or one row of it")
    self.header = header
    self.header.buffers = buffers.keys.sorted()
    self.header.sharedBuffers = buffers.filter { $0.value.agents == 1 && parameters.agents > 1 }.keys.sorted()
    self.parameters = parameters
    self.buffers = buffers
  }

  /// The parameters, then each buffer in file order, with the names errors give them.
  private var stored: [(name: String, vectors: AgentVectors)] {
    [("parameter", parameters)] + header.buffers.map { ($0.replacingOccurrences(of: "_", with: " "), buffers[$0]!) }
  }

  /// Writes atomically to `path`.
  /// - Throws: `FlatlandError` naming the buffer and agent when a value is not finite (the file
  ///   already at `path`, if any, is kept), or naming `path` when it cannot be written.
  public func write(to path: String) throws {
    try Self.requireFinite(stored, in: "the checkpoint for '\(path)' (not written)")
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var header = header
    header.version = Self.formatVersion
    let json = try encoder.encode(header)
    let bytes = stored.reduce(0) { $0 + $1.vectors.agents * $1.vectors.length * 4 }
    var data = Data(capacity: 12 + json.count + bytes + 4)
    data.append(contentsOf: Self.magic)
    withUnsafeBytes(of: UInt32(json.count).littleEndian) { data.append(contentsOf: $0) }
    data.append(json)
    for (_, vectors) in stored {
      data.append(Data(bytesNoCopy: vectors.storage, count: vectors.agents * vectors.length * 4, deallocator: .none))
    }
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
    guard readableVersions.contains(version) else {
      throw FlatlandError(
        .format,
        "checkpoint '\(path)' has format version \(version): this flatland reads versions 2 and 3 only "
          + "(checksummed); train the run again to write it anew"
      )
    }
    let header: Header
    do {
      header = try JSONDecoder().decode(Header.self, from: json)
    } catch {
      throw FlatlandError(.format, "checkpoint '\(path)' has an unreadable header")
    }
    guard header.buffers == header.buffers.sorted(), Set(header.buffers).count == header.buffers.count,
      Set(header.sharedBuffers).isSubset(of: header.buffers)
    else {
      throw FlatlandError(
        .format,
        "checkpoint '\(path)' lists its buffers \(header.buffers) (shared \(header.sharedBuffers)): expected "
          + "distinct names in sorted order, the shared ones among them")
    }
    let rows = [header.agents] + header.buffers.map { header.sharedBuffers.contains($0) ? 1 : header.agents }
    let copies = 1 + header.buffers.count - header.sharedBuffers.count
    guard header.agents > 0, header.parameterCount > 0,
      let payload = MemoryBudget.total([
        MemoryBudget.size(of: [header.agents, header.parameterCount, copies], bytesEach: 4),
        MemoryBudget.size(of: [header.sharedBuffers.count, header.parameterCount], bytesEach: 4),
      ]), payload == data.count - 16 - length
    else {
      throw FlatlandError(
        .format,
        "checkpoint '\(path)' has \(data.count) bytes, which its header (\(header.agents) agents × "
          + "\(header.parameterCount) parameters × \(copies)"
          + (header.sharedBuffers.isEmpty ? "" : " + \(header.sharedBuffers.count) shared rows")
          + ") does not imply: the file is truncated or corrupt"
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
    let parts = rows.map { AgentVectors(agents: $0, length: header.parameterCount) }
    data.withUnsafeBytes { raw in
      var offset = 12 + length
      for part in parts {
        let bytes = part.agents * part.length * 4
        UnsafeMutableRawPointer(part.storage).copyMemory(from: raw.baseAddress! + offset, byteCount: bytes)
        offset += bytes
      }
    }
    let checkpoint = Checkpoint(
      header: header, parameters: parts[0],
      buffers: Dictionary(uniqueKeysWithValues: zip(header.buffers, parts.dropFirst())))
    try requireFinite(checkpoint.stored, in: "checkpoint '\(path)'")
    return checkpoint
  }

  /// Throws a `.numeric` error naming `place`, the buffer, the agent and the index of the
  /// first non-finite value.
  static func requireFinite(_ stored: [(name: String, vectors: AgentVectors)], in place: String) throws {
    for (name, vectors) in stored {
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
