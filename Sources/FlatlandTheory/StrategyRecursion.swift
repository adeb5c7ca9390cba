import FlatlandTopology

/// Builds each strategy's error recursion (see `TheoryStrategy`) as independent `LinearBlock`s.
///
/// For a step of phase j, with 𝒜ᵀ = A(j)ᵀ ⊗ I, ℋ = blockdiag{H_k}, 𝒮 = blockdiag{R_k / B}:
/// - consensus: F = 𝒜ᵀ − μℋ, Q = μ² 𝒮;
/// - diffusion ATC: F = 𝒜ᵀ (I − μℋ), Q = μ² 𝒜ᵀ 𝒮 𝒜;
/// - diffusion CTA: F = (I − μℋ) 𝒜ᵀ, Q = μ² 𝒮;
/// - centralized: F = I − μH̄, Q = μ² (1/K²) Σ_k R_k / B, on one shared M-vector;
/// - exact diffusion and gradient tracking: the doubled state of `TheoryStrategy`, with 𝒥 =
///   (1/K) 1 1ᵀ ⊗ I the network average and 𝒜̄ᵀ = ½(I + A(j))ᵀ ⊗ I,
///
///       exact diffusion:   F = [𝒜̄ᵀ(I − μℋ), 𝒜̄ᵀ; (𝒜̄ᵀ − I)(I − μℋ), 𝒜̄ᵀ − 𝒥],
///                          G = −μ [𝒜̄ᵀ; 𝒜̄ᵀ − I],
///       gradient tracking: F = [𝒜ᵀ − μℋ, −μI; (𝒜₊ᵀ − I)ℋ, 𝒜₊ᵀ − 𝒥],
///                          G = [−μI; 𝒜₊ᵀ − I],
///
///   Q = G 𝒮 Gᵀ, where 𝒜₊ᵀ is the next phase's A(j + 1)ᵀ ⊗ I.
/// A diagonal model is split into one block per eigendirection c, where ℋ and 𝒮 restrict to
/// diag{h_{k,c}} and diag{r_{k,c} / B} over agents; otherwise one dense KM×KM block is used
/// (2KM×2KM for the doubled state).
enum StrategyRecursion {
  static func blocks(
    _ strategy: TheoryStrategy, model: QuadraticModel, period: [CombinationMatrix], stepSize mu: Double
  ) -> [LinearBlock] {
    let k = model.agents
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
        let steps = phases(period, width: 1).map {
          step(strategy, $0, curvature: curvature, noise: noise, mu: mu)
        }
        return LinearBlock(
          agents: k, transitions: steps.map(\.f), noises: steps.map(\.q),
          riskWeight: .diagonal([average[c, c]]), coordinates: [c], auxiliary: strategy.hasAuxiliaryState ? k : 0)
      }
    }
    let curvature = SquareMatrix.blockDiagonal(model.hessians)
    let noise = SquareMatrix.blockDiagonal((0..<k).map(model.gradientNoise))
    let steps = phases(period, width: m).map { step(strategy, $0, curvature: curvature, noise: noise, mu: mu) }
    return [
      LinearBlock(
        agents: k, transitions: steps.map(\.f), noises: steps.map(\.q), riskWeight: average,
        coordinates: Array(0..<m), auxiliary: strategy.hasAuxiliaryState ? k * m : 0)
    ]
  }

  /// The matrices one step of phase j mixes with, on a state of K agents × `width`: 𝒜ᵀ =
  /// A(j)ᵀ ⊗ I, the next phase's 𝒜₊ᵀ, the lazy 𝒜̄ᵀ = ½(I + A(j))ᵀ ⊗ I and the average 𝒥.
  struct Phase {
    let combineT: SquareMatrix
    let nextCombineT: SquareMatrix
    let lazyCombineT: SquareMatrix
    let average: SquareMatrix
  }

  static func phases(_ period: [CombinationMatrix], width: Int) -> [Phase] {
    let k = period[0].agents
    let lift = { (a: [Double]) in SquareMatrix(n: k, values: a).transposed.kronecker(.identity(width)) }
    let average = lift([Double](repeating: 1 / Double(k), count: k * k))
    return period.indices.map { j in
      Phase(
        combineT: lift(period[j].weights), nextCombineT: lift(period[(j + 1) % period.count].weights),
        lazyCombineT: lift(period[j].lazy.weights), average: average)
    }
  }

  /// F and Q of one decentralized step, given the phase's matrices, ℋ and 𝒮 on the block's state.
  private static func step(
    _ strategy: TheoryStrategy, _ phase: Phase, curvature: SquareMatrix, noise: SquareMatrix, mu: Double
  ) -> (f: SquareMatrix, q: SquareMatrix) {
    let identity = SquareMatrix.identity(curvature.n)
    let gradientStep = identity - mu * curvature
    let combineT = phase.combineT
    switch strategy {
    case .consensus:
      return (combineT - mu * curvature, mu * mu * noise)
    case .diffusion:
      return (combineT.times(gradientStep), mu * mu * combineT.congruence(noise))
    case .diffusionCTA:
      return (gradientStep.times(combineT), mu * mu * noise)
    case .exactDiffusion:
      let lazy = phase.lazyCombineT
      let f = SquareMatrix.stacked(
        lazy.times(gradientStep), lazy, (lazy - identity).times(gradientStep), lazy - phase.average)
      let g = SquareMatrix.stacked(-mu * lazy, .zeros(lazy.n), -mu * (lazy - identity), .zeros(lazy.n))
      return (f, g.congruence(SquareMatrix.stacked(noise, .zeros(noise.n), .zeros(noise.n), .zeros(noise.n))))
    case .gradientTracking:
      let next = phase.nextCombineT
      let f = SquareMatrix.stacked(
        combineT - mu * curvature, -mu * identity, (next - identity).times(curvature), next - phase.average)
      let g = SquareMatrix.stacked(-mu * identity, .zeros(next.n), next - identity, .zeros(next.n))
      return (f, g.congruence(SquareMatrix.stacked(noise, .zeros(noise.n), .zeros(noise.n), .zeros(noise.n))))
    case .centralized:
      preconditionFailure("the centralized recursion is built on the shared iterate")
    }
  }
}

extension SquareMatrix {
  /// [a, b; c, d]: four n × n blocks as one 2n × 2n matrix.
  static func stacked(_ a: SquareMatrix, _ b: SquareMatrix, _ c: SquareMatrix, _ d: SquareMatrix) -> SquareMatrix {
    let n = a.n
    var result = SquareMatrix.zeros(2 * n)
    for (block, rowOffset, columnOffset) in [(a, 0, 0), (b, 0, n), (c, n, 0), (d, n, n)] {
      for r in 0..<n { for col in 0..<n { result[rowOffset + r, columnOffset + col] = block[r, col] } }
    }
    return result
  }

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
