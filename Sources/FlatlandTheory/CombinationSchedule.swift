import FlatlandCore

/// A checked combination matrix A, static or repeating with a period: A(i) = matrices[i mod P].
///
/// Entry `[l * K + k]` of each K×K row-major matrix is a_lk, the weight agent k gives neighbor l,
/// so column k holds agent k's weights: every entry is finite and ≥ 0 and every column sums to
/// one (A is left-stochastic, Aᵀ𝟙 = 𝟙). A need not be symmetric nor doubly stochastic.
/// Iteration i = 1, 2, … combines with A((i − 1) mod P).
public struct CombinationSchedule: Sendable {
  /// K, the number of agents.
  public let agents: Int
  /// A(0), …, A(P − 1).
  let matrices: [SquareMatrix]

  /// Tolerance on each column sum.
  public static let columnSumTolerance = 1e-9

  /// A static combination matrix.
  public init(_ matrix: [Double], agents: Int) throws {
    try self.init(periodic: [matrix], agents: agents)
  }

  /// A periodic sequence A(0), …, A(P − 1).
  public init(periodic sequence: [[Double]], agents: Int) throws {
    guard agents >= 1 else { throw FlatlandError.invalid("number of agents", agents, accepted: "an integer ≥ 1") }
    guard !sequence.isEmpty else {
      throw FlatlandError.invalid("combination period", 0, accepted: "at least one matrix")
    }
    for (j, a) in sequence.enumerated() {
      let which = sequence.count == 1 ? "combination matrix" : "combination matrix \(j) of the period"
      guard a.count == agents * agents else {
        throw FlatlandError(
          .invalidArgument,
          "\(which) has \(a.count) entries: expected K×K = \(agents * agents) for K = \(agents) agents")
      }
      for (index, v) in a.enumerated() where !(v.isFinite && v >= 0) {
        throw FlatlandError(
          .invalidArgument, "\(which) entry (\(index / agents),\(index % agents)) is \(v): expected finite weights ≥ 0")
      }
      for k in 0..<agents {
        let sum = (0..<agents).reduce(0.0) { $0 + a[$1 * agents + k] }
        guard abs(sum - 1) <= Self.columnSumTolerance else {
          throw FlatlandError(
            .invalidArgument,
            "\(which) column \(k) sums to \((sum * 1e12).rounded() / 1e12): expected every column (the weights "
              + "agent \(k) gives its neighbors) to sum to 1"
          )
        }
      }
    }
    self.agents = agents
    self.matrices = sequence.map { SquareMatrix(n: agents, values: $0) }
  }

  /// P, the number of matrices in one period (1 for a static A).
  public var period: Int { matrices.count }

  /// True when every A(j) is symmetric (then it is doubly stochastic too).
  public var isSymmetric: Bool {
    matrices.allSatisfy { a in
      (0..<agents).allSatisfy { r in (0..<r).allSatisfy { c in abs(a[r, c] - a[c, r]) <= Self.columnSumTolerance } }
    }
  }
}
