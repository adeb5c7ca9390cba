import Foundation

/// `manifest.json` of a model exported as `.npy` tensors: which model the tensors belong to
/// and the files holding them, in the order of the model's flat parameter vector.
///
/// That order is PyTorch's `parameters()` order for the same architecture (each layer's weight,
/// then its bias), so a PyTorch user can load the files with `zip(model.parameters(),
/// manifest["tensors"])`, or write a manifest for their own model in that order. Only `model`,
/// `input_shape`, `classes` and `tensors` are required on import; the rest describes where the
/// tensors came from.
public struct TensorManifest: Codable, Equatable, Sendable {
  public static let fileName = "manifest.json"

  /// One tensor: its dotted name (`linear1.weight`, `block2.proj.bias`), its shape (Linear
  /// weight (out, in), Conv2D weight (out, in, kh, kw), bias (out)) and its file, relative to
  /// the manifest's folder.
  public struct Entry: Codable, Equatable, Sendable {
    public var name: String
    public var shape: [Int]
    public var file: String
  }

  /// The Flatland model spec, such as `mlp:256,256` or `lenet5`.
  public var model: String
  /// One sample in Flatland's text form: `HxWxC` for images, a feature count otherwise.
  public var inputShape: String
  /// One sample as a PyTorch tensor: (C, H, W) for images, (D) for features.
  public var inputTensorShape: [Int]?
  public var classes: Int
  public var parameterCount: Int?
  /// Element type of every file: `float32`, little-endian, C order.
  public var dtype: String?
  /// `centroid` or `agent K` of the exported checkpoint.
  public var point: String?
  public var strategy: String?
  public var iteration: Int?
  public var tensors: [Entry]

  enum CodingKeys: String, CodingKey {
    case model, classes, dtype, point, strategy, iteration, tensors
    case inputShape = "input_shape"
    case inputTensorShape = "input_tensor_shape"
    case parameterCount = "parameter_count"
  }
}
