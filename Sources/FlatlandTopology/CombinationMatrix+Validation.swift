import FlatlandCore

extension CombinationMatrix {
  /// What a strategy needs of its combination matrix.
  public enum Requirement: String, Sendable, Codable, CaseIterable {
    /// Columns sum to one (Aᵀ 1 = 1): every agent's weights are a convex combination.
    /// Consensus and diffusion need this.
    case leftStochastic = "left-stochastic"
    /// Rows sum to one (A 1 = 1).
    case rightStochastic = "right-stochastic"
    /// Rows and columns sum to one: the network average is invariant under the combine.
    case doublyStochastic = "doubly-stochastic"
    /// Doubly stochastic and symmetric: real spectrum in [−1, 1], orthogonal eigenvectors.
    case symmetricDoublyStochastic = "symmetric-doubly-stochastic"
  }

  /// Throws unless the matrix meets `requirement` within `tolerance`; the error names the first
  /// offending column (agent) or row and its sum, or the first asymmetric pair.
  public func validate(requirement: Requirement) throws {
    switch requirement {
    case .leftStochastic:
      try validateColumns(requirement)
    case .rightStochastic:
      try validateRows(requirement)
    case .doublyStochastic:
      try validateColumns(requirement)
      try validateRows(requirement)
    case .symmetricDoublyStochastic:
      try validateColumns(requirement)
      try validateRows(requirement)
      try validateSymmetry()
    }
  }

  private func validateColumns(_ requirement: Requirement) throws {
    for k in 0..<agents {
      let sum = columnSum(k)
      guard abs(sum - 1) <= Self.tolerance else {
        throw FlatlandError(
          .invalidArgument,
          "column \(k) of the combination matrix (agent \(k)'s weights a[·,\(k)]) sums to \(sum): a "
            + "\(requirement.rawValue) matrix needs every column to sum to 1 within \(Self.tolerance) (a_lk is "
            + "the weight agent k gives l; transpose a row-stochastic matrix)"
        )
      }
    }
  }

  private func validateRows(_ requirement: Requirement) throws {
    for l in 0..<agents {
      let sum = rowSum(l)
      guard abs(sum - 1) <= Self.tolerance else {
        throw FlatlandError(
          .invalidArgument,
          "row \(l) of the combination matrix (weights a[\(l),·] given to agent \(l)) sums to \(sum): a "
            + "\(requirement.rawValue) matrix needs every row to sum to 1 within \(Self.tolerance)"
        )
      }
    }
  }

  private func validateSymmetry() throws {
    for l in 0..<agents {
      for k in 0..<l where abs(self[l, k] - self[k, l]) > Self.tolerance {
        throw FlatlandError(
          .invalidArgument,
          "combination matrix is not symmetric: a[\(l),\(k)] = \(self[l, k]) but a[\(k),\(l)] = \(self[k, l]); a "
            + "symmetric matrix needs them equal within \(Self.tolerance)"
        )
      }
    }
  }
}
