/// One independent linear Gaussian recursion, the unit the theory propagates and solves:
///
///     x_i = F_j x_{i−1} + v_i,   Cov v_i = Q_j,   j = (i − 1) mod P,
///
/// on a state of `agents` × `width` entries, agent-major (entry k·width + c is agent k's
/// coordinate c), followed by `auxiliary` entries of the rule's own state (exact diffusion's
/// w − ψ, gradient tracking's tracker part), which start at zero. A diagonal model gives one
/// block per eigendirection (width 1, K×K matrices, 2K×2K with the auxiliary state); a dense
/// model one block (width M, KM×KM); the centralized strategy blocks with a single "agent"
/// whose value every agent shares.
struct LinearBlock: Sendable {
  /// Number of agents in the state (1 for the centralized recursion).
  let agents: Int
  /// F_0, …, F_{P−1}.
  let transitions: [SquareMatrix]
  /// Q_0, …, Q_{P−1}.
  let noises: [SquareMatrix]
  /// H̄ restricted to this block's coordinates (width × width).
  let riskWeight: SquareMatrix
  /// The model coordinates (eigendirections) this block covers; `width` of them.
  let coordinates: [Int]
  /// Entries of the state past the agents' errors; the risk never reads them.
  var auxiliary = 0

  var width: Int { coordinates.count }
  var period: Int { transitions.count }

  /// Names the block in error messages.
  var label: String { width == 1 ? "direction \(coordinates[0])" : "the dense model" }

  /// The block's initial state for a stacked network error (K·M, agent-major): each agent's
  /// entries on this block's coordinates, or their average over agents for a single-agent
  /// block, then the auxiliary state at zero.
  func restrict(_ error: [Double], networkAgents: Int, dimension: Int) -> [Double] {
    let parts = (0..<networkAgents).map { k in coordinates.map { error[k * dimension + $0] } }
    if agents == 1 {
      return (0..<width).map { a in parts.reduce(0) { $0 + $1[a] } / Double(networkAgents) }
    }
    return parts.flatMap { $0 } + [Double](repeating: 0, count: auxiliary)
  }

  /// Mean and covariance after one step of phase j.
  func step(_ mean: [Double], _ covariance: SquareMatrix, phase j: Int) -> ([Double], SquareMatrix) {
    let f = transitions[j % period]
    return (f.apply(mean), f.congruence(covariance) + noises[j % period])
  }

  /// The period map x ↦ F_{P−1} ⋯ F_0 x and the covariance its noise accumulates over one period.
  func periodMap() -> (transition: SquareMatrix, noise: SquareMatrix) {
    var product = SquareMatrix.identity(transitions[0].n)
    var noise = SquareMatrix.zeros(transitions[0].n)
    for j in 0..<period {
      product = transitions[j].times(product)
      noise = transitions[j].congruence(noise) + noises[j]
    }
    return (product, noise)
  }

  /// Excess risk contributed by this block for a state with the given mean and covariance:
  /// agent k's is ½ Σ_ab W_ab (Σ[k·w+b, k·w+a] + m_{k·w+a} m_{k·w+b}), the centroid's the same
  /// with the averaged mean and covariance (1/K²) Σ_kl Σ[k·w+a, l·w+b].
  /// Returns `networkAgents` per-agent values (broadcast when this block has a single agent).
  func risk(mean: [Double], covariance: SquareMatrix, networkAgents: Int) -> ExcessRisk {
    let w = width
    let weights = riskWeight
    var perAgent = [Double](repeating: 0, count: agents)
    var centroidMean = [Double](repeating: 0, count: w)
    var centroidCovariance = SquareMatrix.zeros(w)
    let inverseK = 1.0 / Double(agents)
    for k in 0..<agents {
      var value = 0.0
      for a in 0..<w {
        centroidMean[a] += inverseK * mean[k * w + a]
        for b in 0..<w where weights[a, b] != 0 {
          value += weights[a, b] * (covariance[k * w + b, k * w + a] + mean[k * w + a] * mean[k * w + b])
        }
      }
      perAgent[k] = 0.5 * value
      for l in 0..<agents {
        for a in 0..<w {
          for b in 0..<w { centroidCovariance[a, b] += inverseK * inverseK * covariance[k * w + a, l * w + b] }
        }
      }
    }
    var centroid = 0.0
    for a in 0..<w {
      for b in 0..<w { centroid += weights[a, b] * (centroidCovariance[b, a] + centroidMean[a] * centroidMean[b]) }
    }
    let broadcast = agents == 1 ? Array(repeating: perAgent[0], count: networkAgents) : perAgent
    return ExcessRisk(perAgent: broadcast, centroid: 0.5 * centroid)
  }
}
