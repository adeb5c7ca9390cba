import FlatlandCore

/// A labelled data set held as one contiguous Float32 feature buffer.
///
/// Sample `i` occupies `features[i * shape.count ..< (i + 1) * shape.count]`, laid out
/// channel-major (CHW), and its class is `labels[i]` in `0 ..< classes`. Keeping every sample
/// in one buffer means a mini-batch is a gather of rows and a subset never copies more than
/// the rows it keeps.
public struct Dataset: Sendable {
  /// Where the data came from, for reports (`fashion-mnist/train`, `csv:iris.csv/test`).
  public var name: String
  /// The shape of one sample (CHW).
  public var shape: SampleShape
  /// Number of classes; every label lies in `0 ..< classes`.
  public var classes: Int
  /// All samples, row-major: (count, C, H, W).
  public var features: [Float]
  /// Class of each sample: (count).
  public var labels: [Int32]

  /// Number of samples.
  public var count: Int { labels.count }

  /// Builds a data set after checking that the buffers agree with the shape and every label
  /// lies in `0 ..< classes`.
  public init(name: String, shape: SampleShape, classes: Int, features: [Float], labels: [Int32]) throws {
    guard classes >= 1 else { throw FlatlandError.invalid("class count of \(name)", classes, accepted: "at least 1") }
    guard features.count == labels.count * shape.count else {
      throw FlatlandError(
        .format,
        "\(name): \(features.count) feature values for \(labels.count) samples of shape \(shape): expected "
          + "\(labels.count * shape.count)"
      )
    }
    if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classes }) {
      throw FlatlandError(
        .format, "\(name): label \(labels[bad]) of sample \(bad) is outside the class range 0..<\(classes)")
    }
    self.name = name
    self.shape = shape
    self.classes = classes
    self.features = features
    self.labels = labels
  }

  /// The samples at `indices`, in that order (indices may repeat).
  public func subset(_ indices: [Int], name: String? = nil) -> Dataset {
    let width = shape.count
    var out = [Float](repeating: 0, count: indices.count * width)
    out.withUnsafeMutableBufferPointer { dst in
      features.withUnsafeBufferPointer { src in
        for (row, i) in indices.enumerated() {
          precondition(i >= 0 && i < count, "subset index \(i) outside 0..<\(count)")
          (dst.baseAddress! + row * width).update(from: src.baseAddress! + i * width, count: width)
        }
      }
    }
    return Dataset(unchecked: name ?? self.name, shape, classes, out, indices.map { labels[$0] })
  }

  /// The first `n` samples (all of them when `n ≥ count`).
  public func prefix(_ n: Int) -> Dataset {
    let kept = min(max(n, 0), count)
    return Dataset(unchecked: name, shape, classes, Array(features[0..<kept * shape.count]), Array(labels[0..<kept]))
  }

  /// How many samples of each class: (classes).
  public func classHistogram(of indices: [Int]? = nil) -> [Int] {
    var histogram = [Int](repeating: 0, count: classes)
    if let indices {
      for i in indices { histogram[Int(labels[i])] += 1 }
    } else {
      for label in labels { histogram[Int(label)] += 1 }
    }
    return histogram
  }

  /// Copies samples `start ..< start + batch.capacity` (clipped at `count`) into `batch`, for
  /// evaluation passes over a whole split in order. Returns the number of samples copied.
  @discardableResult
  public func fill(_ batch: inout Batch, from start: Int) -> Int {
    precondition(
      batch.featureCount == shape.count, "batch feature count \(batch.featureCount) ≠ sample size \(shape.count)")
    let n = max(0, min(batch.capacity, count - start))
    for slot in 0..<n { batch.indices[slot] = start + slot }
    batch.gather(from: self, count: n)
    return n
  }

  /// For subsets of an already checked data set.
  init(unchecked name: String, _ shape: SampleShape, _ classes: Int, _ features: [Float], _ labels: [Int32]) {
    self.name = name
    self.shape = shape
    self.classes = classes
    self.features = features
    self.labels = labels
  }
}

/// The splits an experiment uses: agents train on `train`, model selection reads `validation`
/// (carved out of the training file with a seeded shuffle, when asked), and `test` is only
/// ever evaluated.
public struct DataSplits: Sendable {
  public var train: Dataset
  public var validation: Dataset?
  public var test: Dataset

  public init(train: Dataset, validation: Dataset? = nil, test: Dataset) {
    self.train = train
    self.validation = validation
    self.test = test
  }
}
