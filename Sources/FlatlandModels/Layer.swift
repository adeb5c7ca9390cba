import FlatlandCore

/// One layer of a model: a closed set of kinds, so every pass specializes fully.
///
/// Each kind implements four passes over a batch of `n` samples, with activations stored
/// sample-major (`n × C×H×W`, CHW per sample):
/// - `forward`: y = f(x; w).
/// - `backward`: dx = J_xᵀ dy (overwrites dx; skipped when dx is nil), then g_w ← α J_wᵀ dy +
///   β g_w (`GradientUpdate`: overwrite, accumulate, or an SGD step with g the weights).
/// - `rForward` (Pearlmutter's R-operator): ry = J_x rx + J_w v, the directional derivative of
///   y along the parameter direction v; `rx == nil` means rx = 0 (the data do not move).
/// - `rBackward`: from dy (left by `backward` at the same point) and its R-image rdy, writes
///   rdx = R{dx} and accumulates hv += R{g_w}: the layer's slice of the Hessian-vector product.
public indirect enum Layer: Sendable, Equatable {
  case linear(Linear)
  case conv2D(Conv2D)
  case relu(Elementwise)
  case tanh(Elementwise)
  case maxPool(Pool)
  case avgPool(Pool)
  case flatten(SampleShape)
  case residual(Residual)

  public var inputShape: SampleShape {
    switch self {
    case .linear(let l): .flat(l.inputs)
    case .conv2D(let c): c.input
    case .relu(let e), .tanh(let e): e.shape
    case .maxPool(let p), .avgPool(let p): p.input
    case .flatten(let s): s
    case .residual(let r): r.input
    }
  }

  public var outputShape: SampleShape {
    switch self {
    case .linear(let l): .flat(l.outputs)
    case .conv2D(let c): c.output
    case .relu(let e), .tanh(let e): e.shape
    case .maxPool(let p), .avgPool(let p): p.output
    case .flatten(let s): .flat(s.count)
    case .residual(let r): r.output
    }
  }

  /// Appends this layer's tensors to `layout` under `prefix`.
  func describe(into layout: inout ParameterLayout, prefix: String) {
    switch self {
    case .linear(let l):
      layout.append(prefix + ".weight", shape: [l.outputs, l.inputs])
      layout.append(prefix + ".bias", shape: [l.outputs])
    case .conv2D(let c):
      layout.append(prefix + ".weight", shape: [c.output.channels, c.input.channels, c.kernel, c.kernel])
      layout.append(prefix + ".bias", shape: [c.output.channels])
    case .residual(let r):
      r.body.describe(into: &layout, prefix: prefix)
      r.projection.map { Layer.conv2D($0).describe(into: &layout, prefix: prefix + ".proj") }
    case .relu, .tanh, .maxPool, .avgPool, .flatten:
      break
    }
  }

  /// Number of parameters this layer owns.
  var parameterCount: Int {
    var layout = ParameterLayout()
    describe(into: &layout, prefix: "")
    return layout.count
  }

  /// Short name used for tensor prefixes (`linear`, `conv`, `block`).
  var kindName: String? {
    switch self {
    case .linear: "linear"
    case .conv2D: "conv"
    case .residual: "block"
    case .relu, .tanh, .maxPool, .avgPool, .flatten: nil
    }
  }
}
