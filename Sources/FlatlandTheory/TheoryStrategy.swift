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
/// The centralized recursion is M-dimensional: all agents hold the same iterate, H̄ = (1/K) Σ_k H_k
/// and the averaged noise has covariance (1/K²) Σ_k R_k / B (= R/(KB) for homogeneous agents).
public enum TheoryStrategy: String, CaseIterable, Sendable, Codable {
  case centralized
  case consensus
  case diffusion
  case diffusionCTA = "diffusion-cta"
}

extension TheoryStrategy {
  /// The production rule this recursion linearizes.
  public var kind: StrategyKind {
    switch self {
    case .centralized: .centralized
    case .consensus: .consensus
    case .diffusion: .diffusion
    case .diffusionCTA: .diffusionCTA
    }
  }
}
