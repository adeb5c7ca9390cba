import FlatlandCore

/// How a backward pass writes the parameter gradient ∇ of the batch into g: g ← α ∇ + β g.
///
/// `overwrite` (α = 1, β = 0) and `accumulate` (1, 1) compute gradients. With g the parameters
/// themselves, α = −μ and β = 1 − μλ, the backward pass *is* an SGD step with coupled weight
/// decay, w ← w − μ(∇ + λw): the GEMM that forms a layer's weight gradient adds it straight
/// into the weights (its β pass and the separate adapt pass, both sweeps over all P
/// parameters, disappear). Every layer computes its input gradient before it writes its own
/// parameters, so the layers below still see the weights of the forward pass.
public struct GradientUpdate<T: FlatScalar>: Sendable, Equatable {
  public var alpha: T
  public var beta: T

  public init(alpha: T, beta: T) {
    self.alpha = alpha
    self.beta = beta
  }

  public static var overwrite: Self { Self(alpha: 1, beta: 0) }
  public static var accumulate: Self { Self(alpha: 1, beta: 1) }

  /// The in-place SGD step w ← w − μ(∇ + λw).
  public static func descent(stepSize mu: T, weightDecay lambda: T) -> Self { Self(alpha: -mu, beta: 1 - mu * lambda) }

  /// The update for the later parts of a sum whose first part used `self`: they add α ∇.
  var continuing: Self { Self(alpha: alpha, beta: 1) }

  /// g ← α s + β g for one value s; with β = 0, g is not read (it may hold anything).
  @inline(__always) func apply(_ s: T, to g: inout T) {
    g = beta == 0 ? alpha * s : (beta == 1 ? g : beta * g) + alpha * s
  }
}
