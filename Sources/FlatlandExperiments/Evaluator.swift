import FlatlandCore
import FlatlandData
import FlatlandModels
import FlatlandStrategies

/// Loss, accuracy and gradient of a model over a fixed sample set, in parallel and
/// deterministically.
///
/// At one point (the centroid) the set is evaluated as `SampleChunks`: a fixed number of
/// chunks, each on one worker with its own workspace, combined by sample count in chunk order,
/// so the numbers do not depend on the thread count and equal `NetworkObjective`'s for the
/// same split. At many points (every agent) each point is one work item over the whole set.
public final class Evaluator: @unchecked Sendable {
  public let network: Network
  public let data: Dataset
  let chunks: SampleChunks<Float>
  let threads: Int
  let capacity: Int
  /// ∇J at the last `gradientNorm` point.
  private let gradient: UnsafeMutableBufferPointer<Float>
  /// One workspace per worker for `stats(agents:)`, made on first use (the centroid's
  /// evaluators never need them).
  private lazy var pointWorkspaces = (0..<chunks.count).map { _ in
    network.makeWorkspace(capacity: capacity, of: Float.self)
  }

  public static let defaultGroups = 4
  public static let defaultCapacity = 256

  public init(
    network: Network, data: Dataset, threads: Int = availableCores, groups groupCount: Int = defaultGroups,
    capacity: Int = defaultCapacity
  ) {
    self.network = network
    self.data = data
    self.threads = threads
    self.capacity = capacity
    chunks = SampleChunks(
      network: network, features: data.features, labels: data.labels, chunks: groupCount, threads: threads,
      capacity: capacity)
    gradient = .allocate(capacity: network.parameterCount)
    gradient.initialize(repeating: 0)
  }

  deinit { gradient.deallocate() }

  /// The Floats an evaluator of `network` with the default groups and capacity holds at most
  /// (per group a chunk workspace, a point workspace and a partial vector, and one gradient),
  /// for memory checks before it is built; nil when the count overflows.
  static func scalarCount(network: Network) -> Int? {
    guard let workspace = network.workspaceScalarCount(capacity: defaultCapacity) else { return nil }
    return MemoryBudget.total([
      MemoryBudget.size(of: [2 * defaultGroups, workspace], bytesEach: 1),
      MemoryBudget.size(of: [defaultGroups + 1, network.parameterCount], bytesEach: 1),
    ])
  }

  /// Mean loss and accuracy of `w` over the set.
  public func stats(_ w: UnsafeBufferPointer<Float>) -> LossStats {
    chunks.combine(
      chunks.map { c, f, l in network.evaluate(w, features: f, labels: l, workspace: chunks.workspaces[c]) })
  }

  /// Mean loss, accuracy and ‖∇J(w)‖ over the set, with ∇J = Σ_c (n_c/n) ∇J_c.
  public func gradientNorm(_ w: UnsafeBufferPointer<Float>) -> (LossStats, Double) {
    let stats = chunks.map { c, f, l in
      network.lossAndGradient(w, features: f, labels: l, gradient: chunks.partial(c), workspace: chunks.workspaces[c])
    }
    chunks.combinePartials(into: gradient)
    let norm = VectorMath.dot(UnsafeBufferPointer(gradient), UnsafeBufferPointer(gradient)).squareRoot()
    return (chunks.combine(stats), norm)
  }

  /// Each agent's own loss and accuracy, agents spread over the workers.
  public func stats(agents: AgentVectors) -> [LossStats] {
    let out = UncheckedBox(UnsafeMutableBufferPointer<LossStats>.allocate(capacity: agents.agents))
    defer { out.value.deallocate() }
    let workspaces = pointWorkspaces
    data.features.withUnsafeBufferPointer { f in
      data.labels.withUnsafeBufferPointer { l in
        BLASThreads.with(1) {
          parallelFor(workspaces.count, threads: threads) { t in
            for k in stride(from: t, to: agents.agents, by: workspaces.count) {
              out.value[k] = network.evaluate(
                UnsafeBufferPointer(agents[k]), features: f, labels: l, workspace: workspaces[t])
            }
          }
        }
      }
    }
    return Array(out.value)
  }
}
