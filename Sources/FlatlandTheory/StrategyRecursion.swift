import FlatlandTopology

/// Builds each strategy's error recursion (see `TheoryStrategy`) as independent `LinearBlock`s.
///
/// For a step of phase j, with 𝒜ᵀ = A(j)ᵀ ⊗ I, ℋ = blockdiag{H_k}, 𝒮 = blockdiag{R_k / B}:
/// - consensus: F = 𝒜ᵀ − μℋ, Q = μ² 𝒮;
/// - diffusion ATC: F = 𝒜ᵀ (I − μℋ), Q = μ² 𝒜ᵀ 𝒮 𝒜;
/// - diffusion CTA: F = (I − μℋ) 𝒜ᵀ, Q = μ² 𝒮;
/// - centralized: F = I − μH̄, Q = μ² (1/K²) Σ_k R_k / B, on one shared M-vector.
/// A diagonal model is split into one block per eigendirection c, where ℋ and 𝒮 restrict to
/// diag{h_{k,c}} and diag{r_{k,c} / B} over agents; otherwise one dense KM×KM block is used.
enum StrategyRecursion {
  static func blocks(
    _ strategy: TheoryStrategy, model: QuadraticModel, period: [CombinationMatrix], stepSize mu: Double
  ) -> [LinearBlock] {
    let k = model.agents
    let matrices = period.map { SquareMatrix(n: k, values: $0.weights) }
    let m = model.dimension
    let average = model.averageHessian
    if strategy == .centralized {
      let noise =
        (1.0 / Double(k * k)) * (0..<k).dropFirst().reduce(model.gradientNoise(0)) { $0 + model.gradientNoise($1) }
      if model.isDiagonal {
        return (0..<m).map { c in
          let h = average[c, c]
          return LinearBlock(
            agents: 1, transitions: [.diagonal([1 - mu * h])], noises: [.diagonal([mu * mu * noise[c, c]])],
            riskWeight: .diagonal([h]), coordinates: [c])
        }
      }
      return [
        LinearBlock(
          agents: 1, transitions: [.identity(m) - mu * average], noises: [mu * mu * noise],
          riskWeight: average, coordinates: Array(0..<m))
      ]
    }
    if model.isDiagonal {
      return (0..<m).map { c in
        let curvature = SquareMatrix.diagonal((0..<k).map { model.hessians[$0][c, c] })
        let noise = SquareMatrix.diagonal((0..<k).map { model.gradientNoise($0)[c, c] })
        let steps = matrices.map {
          step(strategy, combineT: $0.transposed, curvature: curvature, noise: noise, mu: mu)
        }
        return LinearBlock(
          agents: k, transitions: steps.map(\.f), noises: steps.map(\.q),
          riskWeight: .diagonal([average[c, c]]), coordinates: [c])
      }
    }
    let curvature = SquareMatrix.blockDiagonal(model.hessians)
    let noise = SquareMatrix.blockDiagonal((0..<k).map(model.gradientNoise))
    let steps = matrices.map {
      step(strategy, combineT: $0.transposed.kronecker(.identity(m)), curvature: curvature, noise: noise, mu: mu)
    }
    return [
      LinearBlock(
        agents: k, transitions: steps.map(\.f), noises: steps.map(\.q), riskWeight: average,
        coordinates: Array(0..<m))
    ]
  }

  /// F and Q of one decentralized step, given 𝒜ᵀ, ℋ and 𝒮 on the block's state.
  private static func step(
    _ strategy: TheoryStrategy, combineT: SquareMatrix, curvature: SquareMatrix, noise: SquareMatrix, mu: Double
  ) -> (f: SquareMatrix, q: SquareMatrix) {
    let gradientStep = SquareMatrix.identity(curvature.n) - mu * curvature
    switch strategy {
    case .consensus:
      return (combineT - mu * curvature, mu * mu * noise)
    case .diffusion:
      return (combineT.times(gradientStep), mu * mu * combineT.congruence(noise))
    case .diffusionCTA:
      return (gradientStep.times(combineT), mu * mu * noise)
    case .centralized:
      preconditionFailure("the centralized recursion is built on the shared iterate")
    }
  }
}

extension SquareMatrix {
  /// blockdiag{blocks}: the blocks along the diagonal, zeros elsewhere.
  static func blockDiagonal(_ blocks: [SquareMatrix]) -> SquareMatrix {
    let size = blocks.reduce(0) { $0 + $1.n }
    var result = SquareMatrix.zeros(size)
    var offset = 0
    for block in blocks {
      for r in 0..<block.n { for c in 0..<block.n { result[offset + r, offset + c] = block[r, c] } }
      offset += block.n
    }
    return result
  }
}
