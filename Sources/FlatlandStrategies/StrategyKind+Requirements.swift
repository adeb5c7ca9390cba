import FlatlandCore
import FlatlandTopology

/// What each rule needs of the combination matrix and of the local optimizer, checked before
/// any work so a run never starts with a pairing whose fixed point or stability is not the
/// rule's.
extension StrategyKind {
  /// The property every A(i) must have, or nil for the rules that do not mix over the graph.
  ///
  /// - consensus and both diffusions: left-stochastic (each agent's weights are a convex
  ///   combination), as the diffusion literature assumes.
  /// - gradient tracking: doubly stochastic, so that the combine keeps the network average of
  ///   the trackers, (1/K) Σ_k y_k = (1/K) Σ_k ∇Q_k(w_k) at every iteration; with a merely
  ///   left-stochastic A that invariant, and with it the exact fixed point, is lost.
  /// - exact diffusion: symmetric and doubly stochastic, as its derivation assumes (Yuan, Ying,
  ///   Zhao, Sayed, "Exact diffusion for distributed optimization and learning — Part I",
  ///   IEEE Trans. Signal Process. 2019): the correction is exact for Ā = ½(I + A) with A = Aᵀ,
  ///   A 1 = 1.
  public var matrixRequirement: CombinationMatrix.Requirement? {
    switch self {
    case .centralized, .localSGD: nil
    case .consensus, .diffusion, .diffusionCTA: .leftStochastic
    case .gradientTracking: .doublyStochastic
    case .exactDiffusion: .symmetricDoublyStochastic
    }
  }

  /// Throws unless `topology` hands out matrices this rule can mix with: every matrix of one
  /// period (or the first draw of a random topology, whose draws share their construction)
  /// meets `matrixRequirement`, and for exact diffusion the topology is static, because its
  /// correction ψ_k − ψ_k,prev cancels the previous combine only when Ā stays the same.
  /// The error names the rule, what it needs and the first offending column, row or pair.
  public func requireMatrices(of topology: Topology) throws {
    guard let requirement = matrixRequirement else { return }
    if self == .exactDiffusion, topology.isTimeVarying {
      throw FlatlandError(
        .invalidArgument,
        "\(rawValue) needs a static topology (its correction assumes the same Ā at every iteration): "
          + "'\(topology.name)' changes A each iteration; use a graph family or a matrix file")
    }
    for i in 0..<(topology.period ?? 1) {
      do {
        try topology.matrix(at: i).validate(requirement: requirement)
      } catch let error as FlatlandError {
        throw FlatlandError(
          error.kind,
          "\(rawValue) needs a \(requirement.rawValue) combination matrix on '\(topology.name)': "
            + error.message)
      }
    }
  }

  /// Throws for a local optimizer the rule cannot compose with.
  ///
  /// - Weight decay composes with every rule: it is the term λw of each agent's regularized
  ///   risk Q_k(w) + ½λ‖w‖², so the bias-corrected rules reach that risk's minimizer.
  /// - Momentum composes: exact diffusion keeps it in its adapt step (the network sum of w
  ///   after a combine equals that of ψ, whatever the adapt, so its fixed point stays exact);
  ///   gradient tracking applies the heavy ball to its step direction y_k.
  /// - Clipping composes with every rule but gradient tracking. It bounds a step by bounding
  ///   the agent's own gradient; gradient tracking steps along y_k, which accumulates the
  ///   neighbors' gradient differences, so clipping the gradient would not bound the step
  ///   (and clipping y_k is not gradient clipping). Exact diffusion clips inside its adapt, as
  ///   diffusion does; its fixed point is then exact only where the clip is inactive.
  public func requireComposable(with optimizer: LocalOptimizer) throws {
    if self == .gradientTracking, let clip = optimizer.clipNorm {
      throw FlatlandError(
        .invalidArgument,
        "invalid clip '\(clip)' for \(rawValue): gradient tracking steps along its tracked gradient y_k, which "
          + "clipping the agent's gradient does not bound; drop --clip or use another strategy")
    }
  }
}
