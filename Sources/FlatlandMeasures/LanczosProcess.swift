import FlatlandCore

/// The Lanczos process on H = ∇²J(w) with full reorthogonalization, shared by the spectrum
/// and the spectral density.
///
/// After m steps, H Q_mᵀ = Q_mᵀ T_m + r_m e_mᵀ, where Q_m holds orthonormal q_0 … q_{m−1},
/// T_m is tridiagonal with diagonal α_j = q_jᵀ H q_j and off-diagonal β_j = ‖r_j‖, and
/// r_j = H q_j − Σ_i (q_iᵀ H q_j) q_i is the new direction, orthogonalized against all previous
/// vectors by CGS2 rather than only the last two (the three-term recurrence loses orthogonality
/// in floating point and produces spurious copies of converged eigenvalues). Each step costs one
/// HVP plus O(m d) for the reorthogonalization.
///
/// If r_j (nearly) vanishes, β_j ≤ √ε max‖H q‖, the Krylov space is invariant to working
/// accuracy: the process either stops, or restarts from a fresh random vector orthogonal to Q
/// with β_j = 0, so that repeated eigenvalues, which one Krylov space sees only once, are still
/// found. Dropping a β that small moves a converged Ritz value θ_i by about β |s_ji s_(j+1)i|,
/// far below its residual bound.
struct LanczosProcess<O: Objective> {
  let objective: O
  let point: [O.Scalar]
  private(set) var basis: OrthonormalBasis<O.Scalar>
  private(set) var alphas: [Double] = []
  /// β_j, coupling q_j and q_{j+1}; 0 where the process restarted.
  private(set) var betas: [Double] = []
  private(set) var hvps = 0
  /// Index of the first vector of the current block (0 until the first restart).
  private(set) var blockStart = 0
  /// The next basis vector q_m, or nil when the space is exhausted.
  private var next: [O.Scalar]?
  /// Source of restart vectors; nil to stop at the first breakdown.
  private var restarts: RandomStream?
  /// Largest ‖H q_j‖ seen: the scale against which β counts as zero.
  private var scale = 0.0

  /// Starts from `start` (normalized here); `restarts` supplies vectors after a breakdown.
  init(objective: O, point: [O.Scalar], start: [O.Scalar], restarts: RandomStream?) {
    self.objective = objective
    self.point = point
    basis = OrthonormalBasis(dimension: objective.dimension)
    next = VectorMath.normalized(start).vector
    self.restarts = restarts
  }

  var steps: Int { alphas.count }

  /// True when no further step is possible (whole space spanned, or breakdown without restart).
  var isExhausted: Bool { next == nil }

  /// Extends the factorization by one step.
  mutating func step() throws {
    guard let q = next else { preconditionFailure("Lanczos step after exhaustion") }
    basis.append(q)
    var r = try objective.checkedHVP(point, q)
    hvps += 1
    let alpha = VectorMath.dot(q, r)
    scale = max(scale, VectorMath.norm(r))
    basis.orthogonalize(&r)
    let beta = VectorMath.norm(r)
    alphas.append(alpha)
    let d = objective.dimension
    if basis.count == d {
      betas.append(beta)
      next = nil
    } else if beta > Double(O.Scalar.ulpOfOne).squareRoot() * scale {
      betas.append(beta)
      next = VectorMath.scaled(r, by: 1 / beta)
    } else if var rng = restarts {
      var z: [O.Scalar] = Probe.gaussian(d, &rng)
      restarts = rng
      basis.orthogonalize(&z)
      next = VectorMath.normalized(z).vector
      betas.append(0)
      blockStart = steps
    } else {
      betas.append(beta)
      next = nil
    }
  }

  /// True when the last step ended the current block with a restart.
  var justRestarted: Bool { blockStart == steps && steps > 0 }

  /// The Ritz pairs of T_m: eigenvalues θ_i ascending, the first and last components of the
  /// eigenvectors s_i, and the residual bounds ‖H y_i − θ_i y_i‖ = |β_m s_{m,i}| (Parlett,
  /// *The Symmetric Eigenvalue Problem*, §13.1), each of which bounds |θ_i − λ| for some
  /// eigenvalue λ of H.
  ///
  /// With `from` = b > 0, the pairs of the trailing block T[b..<m, b..<m] only: after a
  /// restart, the part of the spectrum the new block has found.
  func ritz(from b: Int = 0) throws -> RitzValues {
    let m = steps - b
    var t = [Double](repeating: 0, count: m * m)
    for j in 0..<m {
      t[j * m + j] = alphas[b + j]
      if j + 1 < m {
        t[j * m + j + 1] = betas[b + j]
        t[(j + 1) * m + j] = betas[b + j]
      }
    }
    let eigen = try SymmetricEigen(t, n: m)
    let lastBeta = betas[steps - 1]
    let first = (0..<m).map { eigen.vectors[$0] }
    let last = (0..<m).map { eigen.vectors[(m - 1) * m + $0] }
    return RitzValues(values: eigen.values, firstComponents: first, residualBounds: last.map { abs(lastBeta * $0) })
  }
}

/// Eigen-data of a Lanczos tridiagonal, in ascending order of the Ritz values.
struct RitzValues {
  let values: [Double]
  /// e_1ᵀ s_i: the Gauss quadrature weight of node θ_i is its square.
  let firstComponents: [Double]
  /// |β_m e_mᵀ s_i|.
  let residualBounds: [Double]
}
