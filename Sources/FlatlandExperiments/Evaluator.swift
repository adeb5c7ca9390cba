import FlatlandCore
import FlatlandData
import FlatlandModels
import FlatlandStrategies

/// Loss, accuracy and gradient of a model over a fixed sample set, in parallel and
/// deterministically.
///
/// The set is cut into a fixed number of groups, each evaluated by one worker with its own
/// workspace; partial results are added in group order. The grouping does not depend on the
/// thread count, so neither do the numbers.
public final class Evaluator: @unchecked Sendable {
  public let network: Network
  public let data: Dataset
  let groups: [Range<Int>]
  let workspaces: [Workspace<Float>]
  let gradients: AgentVectors
  let threads: Int

  public static let defaultGroups = 4
  public static let defaultCapacity = 256

  public init(
    network: Network, data: Dataset, threads: Int = availableCores, groups groupCount: Int = defaultGroups,
    capacity: Int = defaultCapacity
  ) {
    self.network = network
    self.data = data
    self.threads = threads
    let g = max(1, min(groupCount, data.count))
    groups = (0..<g).map { ($0 * data.count / g)..<(($0 + 1) * data.count / g) }
    workspaces = (0..<g).map { _ in network.makeWorkspace(capacity: capacity, of: Float.self) }
    gradients = AgentVectors(agents: g, length: network.parameterCount)
  }

  /// The Floats an evaluator of `network` with the default groups and capacity holds at most
  /// (a workspace and a gradient row per group), for memory checks before it is built; nil
  /// when the count overflows.
  static func scalarCount(network: Network) -> Int? {
    guard let workspace = network.workspaceScalarCount(capacity: defaultCapacity) else { return nil }
    let (perGroup, overflow) = workspace.addingReportingOverflow(network.parameterCount)
    return overflow ? nil : MemoryBudget.size(of: [defaultGroups, perGroup], bytesEach: 1)
  }

  /// Mean loss and accuracy of `w` over the set.
  public func stats(_ w: UnsafeBufferPointer<Float>) -> LossStats {
    let parts = UncheckedBox(UnsafeMutableBufferPointer<LossStats>.allocate(capacity: groups.count))
    defer { parts.value.deallocate() }
    BLASThreads.with(1) {
      parallelFor(groups.count, threads: threads) { g in
        parts.value[g] = self.slice(g) { f, l in
          self.network.evaluate(w, features: f, labels: l, workspace: self.workspaces[g])
        }
      }
    }
    return Self.combine(Array(parts.value))
  }

  /// Mean loss, accuracy and ‖∇J(w)‖ over the set.
  public func gradientNorm(_ w: UnsafeBufferPointer<Float>) -> (LossStats, Double) {
    let parts = UncheckedBox(UnsafeMutableBufferPointer<LossStats>.allocate(capacity: groups.count))
    defer { parts.value.deallocate() }
    BLASThreads.with(1) {
      parallelFor(groups.count, threads: threads) { g in
        parts.value[g] = self.slice(g) { f, l in
          self.network.lossAndGradient(
            w, features: f, labels: l, gradient: self.gradients[g], workspace: self.workspaces[g])
        }
      }
    }
    // ∇J = Σ_g (n_g / n) ∇J_g, summed in group order.
    var sq = 0.0
    let n = Double(data.count)
    for j in 0..<network.parameterCount {
      var s = 0.0
      for g in groups.indices { s += Double(gradients[g][j]) * Double(groups[g].count) / n }
      sq += s * s
    }
    return (Self.combine(Array(parts.value)), sq.squareRoot())
  }

  /// Each agent's own loss and accuracy, agents spread over the workers.
  public func stats(agents: AgentVectors) -> [LossStats] {
    let out = UncheckedBox(UnsafeMutableBufferPointer<LossStats>.allocate(capacity: agents.agents))
    defer { out.value.deallocate() }
    let all = 0..<data.count
    BLASThreads.with(1) {
      parallelFor(workspaces.count, threads: threads) { t in
        for k in stride(from: t, to: agents.agents, by: self.workspaces.count) {
          out.value[k] = self.slice(range: all) { f, l in
            self.network.evaluate(UnsafeBufferPointer(agents[k]), features: f, labels: l, workspace: self.workspaces[t])
          }
        }
      }
    }
    return Array(out.value)
  }

  // MARK: - Helpers

  private func slice<R>(_ g: Int, _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Int32>) -> R) -> R {
    slice(range: groups[g], body)
  }

  private func slice<R>(range: Range<Int>, _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Int32>) -> R) -> R {
    let d = data.shape.count
    return data.features.withUnsafeBufferPointer { f in
      data.labels.withUnsafeBufferPointer { l in
        body(
          UnsafeBufferPointer(rebasing: f[(range.lowerBound * d)..<(range.upperBound * d)]),
          UnsafeBufferPointer(rebasing: l[range]))
      }
    }
  }

  static func combine(_ parts: [LossStats]) -> LossStats {
    let count = parts.reduce(0) { $0 + $1.count }
    let loss = parts.reduce(0.0) { $0 + $1.loss * Double($1.count) }
    return LossStats(
      loss: count == 0 ? 0 : loss / Double(count), correct: parts.reduce(0) { $0 + $1.correct }, count: count)
  }
}
