import FlatlandStrategies

/// A learning strategy, linearized around a shared minimizer w* as a linear recursion for the
/// stacked network error w̃_i = col{w_{k,i} − w*} (K agents × M coordinates, agent-major).
///
/// With 𝒜 = A ⊗ I_M (a_lk the weight agent k gives neighbor l, columns summing to one),
/// ℋ = blockdiag{H_k}, and s_i = col{s_{k,i}} the gradient noise (Cov s_k = R_k / B):
///
/// - centralized: w_i = w_{i−1} − μ (1/K) Σ_k ∇̂J_k(w_{i−1});
///   w̃_i = (I − μH̄) w̃_{i−1} − μ (1/K) Σ_k s_{k,i}
/// - consensus: w_{k,i} = Σ_l a_lk w_{l,i−1} − μ ∇̂J_k(w_{k,i−1});
///   w̃_i = (𝒜ᵀ − μℋ) w̃_{i−1} − μ s_i
/// - diffusion (ATC): ψ_k = w_{k,i−1} − μ ∇̂J_k(w_{k,i−1}); w_{k,i} = Σ_l a_lk ψ_l;
///   w̃_i = 𝒜ᵀ(I − μℋ) w̃_{i−1} − μ 𝒜ᵀ s_i
/// - diffusion (CTA): φ_k = Σ_l a_lk w_{l,i−1}; w_{k,i} = φ_k − μ ∇̂J_k(φ_k);
///   w̃_i = (I − μℋ) 𝒜ᵀ w̃_{i−1} − μ s_i
///
/// - exact diffusion: ψ_{k,i} = w_{k,i−1} − μ ∇̂J_k(w_{k,i−1}); w_{k,i} = Σ_l ā_lk (ψ_{l,i} +
///   d_{l,i−1}) with d = w − ψ (zero at the start, ψ_{−1} = w_0) and Ā = ½(I + A);
///   w̃_i = 𝒜̄ᵀ(I − μℋ) w̃_{i−1} + 𝒜̄ᵀ d_{i−1} − μ 𝒜̄ᵀ s_i,
///   d_i = (𝒜̄ᵀ − I)(I − μℋ) w̃_{i−1} + 𝒜̄ᵀ d_{i−1} − μ (𝒜̄ᵀ − I) s_i
/// - gradient tracking, in the production order (`StrategyState+GradientTracking.swift`) with
///   v_i = 𝒜(i)ᵀ y_{i−1} − g_{i−1} the part of y_i known before its gradient g_i = ℋ w̃_i + s_i:
///   w̃_{i+1} = (𝒜ᵀ − μℋ) w̃_i − μ v_i − μ s_i,
///   v_{i+1} = 𝒜₊ᵀ v_i + (𝒜₊ᵀ − I)(ℋ w̃_i + s_i),  v_0 = 0, 𝒜₊ = A(i + 1) ⊗ I
///
/// For both, a doubly stochastic A makes the network average of the auxiliary state (d or v)
/// stay at its start, zero: it is a conserved mode with eigenvalue 1 that the noise never
/// drives, so the recursion subtracts the average from the auxiliary update (`StrategyRecursion`)
/// and the remaining state is stable for small μ. The mean error then decays to zero, so the
/// steady state is pure variance, as for the other rules here; with agents whose minimizers
/// differ it is these two that still reach w* in mean.
///
/// The centralized recursion is M-dimensional: all agents hold the same iterate, H̄ = (1/K) Σ_k H_k
/// and the averaged noise has covariance (1/K²) Σ_k R_k / B (= R/(KB) for homogeneous agents).
public enum TheoryStrategy: String, CaseIterable, Sendable, Codable {
  case centralized
  case consensus
  case diffusion
  case diffusionCTA = "diffusion-cta"
  case exactDiffusion = "exact-diffusion"
  case gradientTracking = "gradient-tracking"
}

extension TheoryStrategy {
  /// The production rule this recursion linearizes.
  public var kind: StrategyKind {
    switch self {
    case .centralized: .centralized
    case .consensus: .consensus
    case .diffusion: .diffusion
    case .diffusionCTA: .diffusionCTA
    case .exactDiffusion: .exactDiffusion
    case .gradientTracking: .gradientTracking
    }
  }

  /// Whether the recursion carries a K × M auxiliary state beside the errors.
  public var hasAuxiliaryState: Bool { self == .exactDiffusion || self == .gradientTracking }
}
