import FlatlandCore

/// One flat vector per agent, all in one contiguous K × P allocation (agent k at offset k·P).
///
/// Parameters, adapted iterates ψ_k, gradients and momenta are all `AgentVectors`; the engine
/// hands rows to worker threads, which write only their own agent's row. A class, because the
/// rows are shared by reference across threads; the engine, not the type, guarantees disjoint
/// writes.
public final class AgentVectors: @unchecked Sendable {
  public let agents: Int
  public let length: Int
  public let storage: UnsafeMutablePointer<Float>

  public init(agents: Int, length: Int) {
    self.agents = agents
    self.length = length
    storage = ZeroedMemory.allocate(count: agents * length)
  }

  /// Every agent starts from `vector` (a common initialization).
  public convenience init(agents: Int, repeating vector: [Float]) {
    self.init(agents: agents, length: vector.count)
    for k in 0..<agents { set(k, vector) }
  }

  deinit { ZeroedMemory.free(storage) }

  /// Agent k's row.
  @inlinable public subscript(k: Int) -> UnsafeMutableBufferPointer<Float> {
    UnsafeMutableBufferPointer(start: storage + k * length, count: length)
  }

  public func set(_ k: Int, _ vector: [Float]) {
    precondition(vector.count == length, "agent vector has \(vector.count) entries, expected \(length)")
    _ = vector.withUnsafeBufferPointer { self[k].update(fromContentsOf: $0) }
  }

  /// A copy of agent k's row.
  public func row(_ k: Int) -> [Float] { Array(self[k]) }

  /// All rows, agent by agent (for checkpoints).
  public var rows: [[Float]] { (0..<agents).map(row) }

  /// Every agent's row in place, without copies (valid while this object lives).
  public var rowViews: [UnsafeBufferPointer<Float>] { (0..<agents).map { UnsafeBufferPointer(self[$0]) } }

  /// The centroid w̄ = (1/K) Σ_k w_k, summed in Double in agent order (`VectorMath.mean`).
  public func centroid() -> [Float] { VectorMath.mean(rowViews) }

  public func copy(from other: AgentVectors) {
    precondition(other.agents == agents && other.length == length, "agent vectors differ in shape")
    storage.update(from: other.storage, count: agents * length)
  }
}
