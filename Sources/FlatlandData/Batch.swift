/// A preallocated mini-batch: rows gathered from a `Dataset` into buffers that are reused
/// from step to step, so steady-state training allocates nothing per batch.
public struct Batch: Sendable {
  /// Rows the buffers hold.
  public let capacity: Int
  /// Scalars per sample (the sample shape's count).
  public let featureCount: Int
  /// Rows filled by the last fill; `capacity` except at the end of an evaluation pass.
  public internal(set) var count: Int
  /// Features of the rows: (capacity, featureCount); only the first `count` rows are valid.
  public internal(set) var features: [Float]
  /// Labels of the rows: (capacity).
  public internal(set) var labels: [Int32]
  /// Which data set sample each row is: (capacity).
  public internal(set) var indices: [Int]

  public init(capacity: Int, featureCount: Int) {
    precondition(capacity > 0 && featureCount > 0, "a batch needs a positive capacity and feature count")
    self.capacity = capacity
    self.featureCount = featureCount
    count = 0
    features = [Float](repeating: 0, count: capacity * featureCount)
    labels = [Int32](repeating: 0, count: capacity)
    indices = [Int](repeating: 0, count: capacity)
  }

  /// Copies the rows named by `indices[0 ..< n]` out of `dataset`, in place.
  mutating func gather(from dataset: Dataset, count n: Int) {
    let width = featureCount
    dataset.features.withUnsafeBufferPointer { src in
      features.withUnsafeMutableBufferPointer { dst in
        for slot in 0..<n {
          (dst.baseAddress! + slot * width).update(from: src.baseAddress! + indices[slot] * width, count: width)
        }
      }
    }
    dataset.labels.withUnsafeBufferPointer { src in
      labels.withUnsafeMutableBufferPointer { dst in
        for slot in 0..<n { dst[slot] = src[indices[slot]] }
      }
    }
    count = n
  }
}
