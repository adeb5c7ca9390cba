import FlatlandCore

/// The training objective on the logits z (n, C) with integer labels y.
///
/// - `crossEntropy`: ℓ = −log softmax(z)_y, computed as logsumexp(z) − z_y with the max
///   subtracted (stable for any logits). ∂ℓ/∂z = p − e_y with p = softmax(z), and
///   ∂²ℓ/∂z² = diag(p) − ppᵀ, so R{∂ℓ/∂z} = p ⊙ (Rz − pᵀRz).
/// - `meanSquared`: ℓ = ½‖z − e_y‖² against one-hot targets; ∂ℓ/∂z = z − e_y, R{·} = Rz.
///
/// The objective is the mean over samples, so each per-sample derivative is scaled by
/// `scale` = 1/N, with N the size of the whole evaluation set (which may span several chunks).
public enum LossFunction: String, Sendable, Codable, CaseIterable {
  case crossEntropy = "cross-entropy"
  case meanSquared = "mse"

  /// Writes dz = scale · ∂ℓ/∂z (and p = softmax(z) into `p` for cross-entropy, if given);
  /// returns the summed loss (in Double) and the number of correct argmax predictions.
  func gradient<T: FlatScalar>(
    n: Int, classes: Int, z: UnsafePointer<T>, labels: UnsafePointer<Int32>, scale: T,
    dz: UnsafeMutablePointer<T>?, p: UnsafeMutablePointer<T>?
  ) -> (loss: Double, correct: Int) {
    var total = 0.0
    var correct = 0
    for s in 0..<n {
      let zs = z + s * classes
      let y = Int(labels[s])
      var best = 0
      var zmax = zs[0]
      for c in 1..<classes where zs[c] > zmax {
        zmax = zs[c]
        best = c
      }
      if best == y { correct += 1 }
      switch self {
      case .crossEntropy:
        var sum: T = 0
        for c in 0..<classes { sum += T.exp(zs[c] - zmax) }
        let logSum = T.log(sum)
        total += Double(logSum + zmax - zs[y])
        if dz != nil || p != nil {
          for c in 0..<classes {
            let pc = T.exp(zs[c] - zmax - logSum)
            p?[s * classes + c] = pc
            dz?[s * classes + c] = scale * (c == y ? pc - 1 : pc)
          }
        }
      case .meanSquared:
        var sq: T = 0
        for c in 0..<classes {
          let d = zs[c] - (c == y ? 1 : 0)
          sq += d * d
          dz?[s * classes + c] = scale * d
        }
        total += Double(sq) / 2
      }
    }
    return (total, correct)
  }

  /// rdz = scale · (∂²ℓ/∂z²) rz, using p from `gradient` for cross-entropy.
  func hessianProduct<T: FlatScalar>(
    n: Int, classes: Int, p: UnsafePointer<T>, rz: UnsafePointer<T>, scale: T, rdz: UnsafeMutablePointer<T>
  ) {
    switch self {
    case .crossEntropy:
      for s in 0..<n {
        let ps = p + s * classes
        let rs = rz + s * classes
        let out = rdz + s * classes
        var pr: T = 0
        for c in 0..<classes { pr += ps[c] * rs[c] }
        for c in 0..<classes { out[c] = scale * ps[c] * (rs[c] - pr) }
      }
    case .meanSquared:
      for i in 0..<(n * classes) { rdz[i] = scale * rz[i] }
    }
  }
}
