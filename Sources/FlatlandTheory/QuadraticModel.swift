import FlatlandCore

/// The local quadratic model of K agents around a shared minimizer w*.
///
/// Agent k's risk is J_k(w) ≈ J(w*) + ½ (w − w*)ᵀ H_k (w − w*), and its mini-batch gradient is
/// H_k (w − w*) + s_k with s_k zero-mean, Cov s_k = R_k / B (R_k the per-sample gradient
/// covariance, B the batch size), independent across agents and iterations.
///
/// Excess risk is measured on the network's risk J = (1/K) Σ_k J_k, whose Hessian is
/// H̄ = (1/K) Σ_k H_k: agent k's excess risk is ½ w̃_kᵀ H̄ w̃_k.
///
/// When every H_k and R_k is diagonal in one basis (the eigenbasis of a shared Hessian), the
/// recursions decouple into M independent K×K problems, one per eigendirection; otherwise
/// the theory falls back to dense KM×KM matrices.
public struct QuadraticModel: Sendable {
  /// K, the number of agents.
  public let agents: Int
  /// M, the number of coordinates (eigendirections).
  public let dimension: Int
  /// B, the mini-batch size.
  public let batch: Int
  /// H_k, one M×M matrix per agent.
  let hessians: [SquareMatrix]
  /// R_k, the per-sample gradient noise covariance, one M×M matrix per agent.
  let noises: [SquareMatrix]
  /// True when every H_k and R_k is diagonal, so eigendirections decouple.
  let isDiagonal: Bool

  /// Homogeneous agents: H = diag(`hessian`) and R = diag(`noise`) for all K agents.
  public init(agents: Int, hessian: [Double], noise: [Double], batch: Int) throws {
    guard agents >= 1 else { throw FlatlandError.invalid("number of agents", agents, accepted: "an integer ≥ 1") }
    try Self.checkNonNegative(hessian, name: "curvature (hessian)")
    try Self.checkNonNegative(noise, name: "noise variance")
    try self.init(
      hessians: Array(repeating: hessian, count: agents), noises: Array(repeating: noise, count: agents), batch: batch)
  }

  /// Heterogeneous diagonal agents: H_k = diag(`hessians[k]`), R_k = diag(`noises[k]`).
  public init(hessians: [[Double]], noises: [[Double]], batch: Int) throws {
    guard !hessians.isEmpty else {
      throw FlatlandError.invalid("number of agents", 0, accepted: "at least one agent's curvature")
    }
    let m = hessians[0].count
    try Self.check(hessians, noises, dimension: m, entries: m)
    for k in hessians.indices {
      try Self.checkNonNegative(hessians[k], name: "curvature (hessian) of agent \(k)")
      try Self.checkNonNegative(noises[k], name: "noise variance of agent \(k)")
    }
    try self.init(
      hessians: hessians.map(SquareMatrix.diagonal), noises: noises.map(SquareMatrix.diagonal), batch: batch,
      diagonal: true)
  }

  /// Dense agents: `hessians[k]` and `noises[k]` are symmetric positive semi-definite M×M
  /// row-major matrices. Solved with KM×KM matrices, so meant for small K·M.
  public init(denseHessians: [[Double]], denseNoises: [[Double]], dimension: Int, batch: Int) throws {
    guard !denseHessians.isEmpty else {
      throw FlatlandError.invalid("number of agents", 0, accepted: "at least one agent's Hessian")
    }
    guard dimension >= 1 else { throw FlatlandError.invalid("dimension", dimension, accepted: "an integer ≥ 1") }
    try Self.check(denseHessians, denseNoises, dimension: dimension, entries: dimension * dimension)
    for k in denseHessians.indices {
      try Self.checkPositiveSemidefinite(denseHessians[k], n: dimension, name: "Hessian of agent \(k)")
      try Self.checkPositiveSemidefinite(denseNoises[k], n: dimension, name: "noise covariance of agent \(k)")
    }
    try self.init(
      hessians: denseHessians.map { SquareMatrix(n: dimension, values: $0) },
      noises: denseNoises.map { SquareMatrix(n: dimension, values: $0) }, batch: batch, diagonal: false)
  }

  private init(hessians: [SquareMatrix], noises: [SquareMatrix], batch: Int, diagonal: Bool) throws {
    guard batch >= 1 else { throw FlatlandError.invalid("batch size", batch, accepted: "an integer ≥ 1") }
    self.agents = hessians.count
    self.dimension = hessians[0].n
    self.batch = batch
    self.hessians = hessians
    self.noises = noises
    self.isDiagonal = diagonal
  }

  /// H̄ = (1/K) Σ_k H_k, the Hessian of the network risk.
  var averageHessian: SquareMatrix { (1.0 / Double(agents)) * hessians.dropFirst().reduce(hessians[0], +) }

  /// Cov s_k = R_k / B, agent k's mini-batch gradient noise covariance.
  func gradientNoise(_ k: Int) -> SquareMatrix { (1.0 / Double(batch)) * noises[k] }

  // MARK: - Checks

  private static func check(_ hessians: [[Double]], _ noises: [[Double]], dimension: Int, entries: Int) throws {
    guard noises.count == hessians.count else {
      throw FlatlandError(
        .invalidArgument,
        "noise is given for \(noises.count) agents but curvature for \(hessians.count): expected one of each per agent")
    }
    guard dimension >= 1 else {
      throw FlatlandError.invalid("hessian length", 0, accepted: "at least one curvature value")
    }
    for k in hessians.indices {
      guard hessians[k].count == entries else {
        throw FlatlandError(
          .invalidArgument, "hessian of agent \(k) has \(hessians[k].count) entries: expected \(entries)")
      }
      guard noises[k].count == entries else {
        throw FlatlandError(
          .invalidArgument,
          "noise of agent \(k) has \(noises[k].count) entries but the hessian has \(entries): lengths must match")
      }
    }
  }

  private static func checkNonNegative(_ values: [Double], name: String) throws {
    for (i, v) in values.enumerated() where !(v.isFinite && v >= 0) {
      throw FlatlandError(.invalidArgument, "invalid \(name) '\(v)' at index \(i): expected a finite value ≥ 0")
    }
  }

  private static func checkPositiveSemidefinite(_ values: [Double], n: Int, name: String) throws {
    for (i, v) in values.enumerated() where !v.isFinite {
      throw FlatlandError(
        .invalidArgument, "invalid \(name) entry '\(v)' at (\(i / n),\(i % n)): expected finite values")
    }
    let eigen: SymmetricEigen
    do {
      eigen = try SymmetricEigen(values, n: n, vectors: false)
    } catch let error as FlatlandError {
      throw FlatlandError(error.kind, "invalid \(name): \(error.message)")
    }
    let scale = max(values.reduce(0) { max($0, abs($1)) }, .leastNormalMagnitude)
    if let lowest = eigen.values.first, lowest < -1e-12 * scale {
      throw FlatlandError(
        .invalidArgument,
        "invalid \(name): smallest eigenvalue \(lowest) is negative: expected a positive semi-definite matrix")
    }
  }
}
