import FlatlandTopology

extension StrategyState {
  /// Gradient tracking (DIGing: Nedić, Olshevsky, Shi, SIAM J. Optim. 2017; its stochastic
  /// form: Pu, Nedić, Math. Program. 2021). Iteration i, with d_{k,i} = ∇Q_k(w_{k,i}) +
  /// λ w_{k,i} the agent's direction at its current iterate:
  ///
  ///     y_{k,i}   = Σ_l a_lk y_{l,i−1} + (d_{k,i} − d_{k,i−1})
  ///     w_{k,i+1} = Σ_l a_lk w_{l,i} − μ y_{k,i}
  ///
  /// (with momentum β: m_k ← β m_k + y_{k,i}, w_{k,i+1} = Σ_l a_lk w_{l,i} − μ m_k), starting
  /// from y_{k,−1} = d_{k,−1} = 0, so y_{k,0} = d_{k,0} = ∇Q_k(w_{k,0}) + λ w_{k,0}: the first
  /// gradient is drawn at the initial point on the first iteration's mini-batch. This is the
  /// textbook order (w ← Aᵀw − μy, then y ← Aᵀy + d(w_new) − d(w_old)) shifted by half an
  /// iteration, so each iteration draws exactly one mini-batch gradient per agent, at its
  /// current iterate on that iteration's batch, like every other rule; the gradient drawn at
  /// w_{k,i} on batch i serves as "new" in iteration i and as "old" in iteration i + 1 (each
  /// mini-batch gradient enters y once with + and once with −). With A doubly stochastic the
  /// combine keeps (1/K) Σ_k y_{k,i} = (1/K) Σ_k d_{k,i}, so y_k tracks the network's mean
  /// gradient and the fixed point is the network's minimizer, whatever the agents' local ones.
  ///
  /// State between iterations: w_{k,i}, y_{k,i−1} (`tracker`) and d_{k,i−1}
  /// (`previousGradient`). The gradient takes the free buffer, where the difference
  /// d_{k,i} − d_{k,i−1} is formed in place; clipping is refused
  /// (`requireComposable(with:)`).
  func gradientTrackingStep(
    _ matrix: CombinationMatrix, _ optimizer: LocalOptimizer, _ mu: Float, _ comm: Communicator,
    _ oracle: GradientOracle
  ) {
    guard let y = tracker, let old = previousGradient else {
      preconditionFailure("gradient tracking needs a StrategyState made with kind: .gradientTracking")
    }
    let w = parameters
    let g = scratch
    let stats = stats
    let lambda = optimizer.weightDecay
    comm.forEachAgent { k in
      stats.value[k] = oracle(k, UnsafeBufferPointer(w[k]), g[k])
      let (x, delta, previous) = (w[k], g[k], old[k])
      for j in 0..<x.count {
        let d = delta[j] + lambda * x[j]
        delta[j] = d - previous[j]
        previous[j] = d
      }
    }
    comm.combine(y, into: y, matrix: matrix)
    comm.combine(w, into: w, matrix: matrix)
    let v = velocity
    let beta = optimizer.momentum
    comm.forEachAgent { k in
      let (x, tracked, delta) = (w[k], y[k], g[k])
      if let m = v?[k], beta != 0 {
        for j in 0..<x.count {
          tracked[j] += delta[j]
          m[j] = beta * m[j] + tracked[j]
          x[j] -= mu * m[j]
        }
      } else {
        for j in 0..<x.count {
          tracked[j] += delta[j]
          x[j] -= mu * tracked[j]
        }
      }
    }
  }
}
