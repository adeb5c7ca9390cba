/// The shape of one sample: channels × height × width, stored channel-major (CHW).
///
/// Flat features (CSV, tabular .npy, synthetic sets) are `width × 1 × 1`-free vectors written
/// as `SampleShape(channels: d, height: 1, width: 1)`. Images keep their spatial layout so
/// convolutional models can read it. The text form is `HxWxC`, as in `28x28x1` or `32x32x3`,
/// or a bare feature count such as `784`.
public struct SampleShape: Hashable, Codable, Sendable, CustomStringConvertible {
  public var channels: Int
  public var height: Int
  public var width: Int

  public init(channels: Int, height: Int, width: Int) {
    self.channels = channels
    self.height = height
    self.width = width
  }

  /// A flat feature vector of `features` values.
  public static func flat(_ features: Int) -> SampleShape {
    SampleShape(channels: features, height: 1, width: 1)
  }

  /// Number of scalars in one sample.
  public var count: Int { channels * height * width }

  /// True for image-shaped samples (spatial extent beyond 1×1).
  public var isSpatial: Bool { height > 1 || width > 1 }

  public var description: String { isSpatial ? "\(height)x\(width)x\(channels)" : "\(channels)" }

  /// Parses `HxWxC` or a bare feature count.
  public init(parsing text: String) throws {
    let parts = text.split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
    let accepted = "HxWxC with positive integers (e.g. 28x28x1) or a feature count (e.g. 784)"
    switch parts.count {
    case 1:
      guard let f = parts[0], f > 0 else { throw FlatlandError.invalid("input shape", text, accepted: accepted) }
      self = .flat(f)
    case 3:
      guard let h = parts[0], let w = parts[1], let c = parts[2], h > 0, w > 0, c > 0,
        MemoryBudget.size(of: [h, w, c], bytesEach: 1) != nil
      else {
        throw FlatlandError.invalid("input shape", text, accepted: accepted + ", whose product fits in an integer")
      }
      self.init(channels: c, height: h, width: w)
    default:
      throw FlatlandError.invalid("input shape", text, accepted: accepted)
    }
  }
}
