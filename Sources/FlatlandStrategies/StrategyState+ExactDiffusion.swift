import FlatlandTopology

extension StrategyState {
  /// Exact diffusion (Yuan, Ying, Zhao, Sayed, "Exact diffusion for distributed optimization
  /// and learning — Part I", IEEE Trans. Signal Process. 2019): adapt, correct, combine,
  ///
  ///     ψ_k = adapt(w_k, ∇Q_k(w_k))          (w_k − μ∇Q_k(w_k) in the plain case)
  ///     φ_k = ψ_k + (w_k − ψ_k,prev)
  ///     w_k ← Σ_l ā_lk φ_l,   Ā = ½(I + A)
  ///     ψ_k,prev ← ψ_k
  ///
  /// with ψ_k,prev = w_k before the first iteration, the paper's initialization ψ_{k,−1} =
  /// w_{k,−1}: the first step is plain diffusion over Ā. Summed over agents (A doubly
  /// stochastic), Σ_k w_k after the combine equals Σ_k ψ_k, so at a fixed point Σ_k ∇Q_k = 0:
  /// the agents' local minimizers may differ and the rule still reaches the network's, where
  /// diffusion stops O(μ) away. The correction is formed as ψ + (w − ψ_prev), so the first
  /// step's zero correction leaves ψ bit for bit.
  ///
  /// Ā is `exactDiffusionCombination`: the conserved sum Σ_k (w_k − ψ_k,prev) = 0 has no
  /// restoring force, so Float32 weights whose column sums miss one by 3·10⁻⁸ would shift it a
  /// little every iteration, without bound.
  ///
  /// The adapt is the `LocalOptimizer` step, with momentum, weight decay and clipping, and the
  /// fused descent when it is plain; ψ_k is formed in w_k's own row after its correction term
  /// is set aside in ψ_k,prev's row, so the rule holds no buffer beyond ψ_prev and diffusion's.
  func exactDiffusionStep(
    _ matrix: CombinationMatrix, _ optimizer: LocalOptimizer, _ mu: Float, _ comm: Communicator,
    _ oracle: GradientOracle, _ descent: DescentOracle?
  ) {
    guard let previous = previousAdapted else {
      preconditionFailure("exact diffusion needs a StrategyState made with kind: .exactDiffusion")
    }
    let w = parameters
    // c_k = w_k − ψ_k,prev, kept in ψ_prev's row until ψ_k exists.
    comm.forEachAgent { k in
      let (x, c) = (w[k], previous[k])
      for j in 0..<x.count { c[j] = x[j] - c[j] }
    }
    computeGradientsAndAdapt(w, optimizer, mu, comm, oracle, descent)
    // w_k ← φ_k = ψ_k + c_k, ψ_k,prev ← ψ_k.
    comm.forEachAgent { k in
      let (x, c) = (w[k], previous[k])
      for j in 0..<x.count {
        let psi = x[j]
        x[j] = psi + c[j]
        c[j] = psi
      }
    }
    comm.combine(w, into: w, matrix: matrix.exactDiffusionCombination)
  }
}

extension CombinationMatrix {
  /// Ā = ½(I + A) as exact diffusion mixes with it: each off-diagonal weight rounded to a
  /// multiple of 2⁻²⁴ and each self-weight set to one minus the rest, so every weight is a
  /// Float32 value and every column sums to exactly one in Float32 as in exact arithmetic (the
  /// rows too, for a symmetric A, whose off-diagonal weights round alike). The weights move by
  /// at most 2⁻²⁵ ≈ 3·10⁻⁸; the self-weight stays at least ½.
  public var exactDiffusionCombination: CombinationMatrix {
    let half = lazy
    let k = agents
    let scale = Double(1 << 24)
    var w = half.weights.map { ($0 * scale).rounded() / scale }
    for col in 0..<k {
      w[col * k + col] = 0
      w[col * k + col] = 1 - (0..<k).reduce(0) { $0 + w[$1 * k + col] }
    }
    guard let rounded = try? CombinationMatrix(agents: k, weights: w) else {
      preconditionFailure("½(I + A) rounded keeps non-negative finite weights")
    }
    return rounded
  }
}
