/// Where each named tensor lives inside a model's one flat parameter vector.
///
/// Computed once when the model is built. Gradients, Hessian-vector products, momenta and
/// perturbations share it, so per-layer statistics, filter normalization and export to
/// PyTorch's layout are range lookups, never copies of a structure.
public struct ParameterLayout: Sendable, Equatable, Codable {
  /// One tensor: its name, its shape in PyTorch's order, and its offset in the flat vector.
  public struct Tensor: Sendable, Equatable, Codable {
    /// Dotted name such as `linear1.weight` or `block2.conv1.bias`.
    public let name: String
    /// Linear weight: (out, in); Conv2D weight: (out, in, kh, kw); bias: (out).
    public let shape: [Int]
    public let offset: Int
    public var count: Int { shape.reduce(1, *) }
    public var range: Range<Int> { offset..<(offset + count) }
    /// True for weights (rank ≥ 2), whose first dimension indexes filters or output units.
    public var isWeight: Bool { shape.count >= 2 }
  }

  public private(set) var tensors: [Tensor] = []
  /// Total number of parameters.
  public private(set) var count = 0

  public init() {}

  mutating func append(_ name: String, shape: [Int]) {
    let t = Tensor(name: name, shape: shape, offset: count)
    tensors.append(t)
    count += t.count
  }

  /// The tensor named `name`, if any.
  public func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name } }
}
