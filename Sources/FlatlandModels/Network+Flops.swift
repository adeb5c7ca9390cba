extension Network {
  /// Multiply-adds ×2 of one sample's forward product in each linear and convolution layer,
  /// in network order (activations, pooling and the loss are not counted).
  public var layerFlops: [Double] {
    var flops: [Double] = []
    func visit(_ layers: [Layer]) {
      for layer in layers {
        switch layer {
        case .linear(let l): flops.append(2 * Double(l.inputs * l.outputs))
        case .conv2D(let c): flops.append(2 * Double(c.output.count * c.input.channels * c.kernel * c.kernel))
        case .residual(let r):
          visit(r.body.layers)
          if let p = r.projection { flops.append(2 * Double(p.output.count * p.input.channels)) }
        default: break
        }
      }
    }
    visit(body.layers)
    return flops
  }

  /// One sample's gradient: each layer's forward product F_l, its weight gradient (F_l) and its
  /// input gradient (F_l), except the first layer's, which nobody needs: 3 ΣF − F_0.
  public var gradientFlops: Double {
    let f = layerFlops
    return 3 * f.reduce(0, +) - (f.first ?? 0)
  }

  /// One sample's HVP at a prepared point (forward pass and gradient sweep cached): R-forward
  /// and R-weight-gradient take one product each in the first layer (Rx = 0) and two in the
  /// others, which also need R{dx} (two): 2 F_0 + 6 Σ_{l>0} F_l.
  public var hvpFlops: Double {
    let f = layerFlops
    return 2 * (f.first ?? 0) + 6 * f.dropFirst().reduce(0, +)
  }
}
