import FlatlandCore

/// Per-channel standardization x ← (x − μ_c) / σ_c, with μ_c and σ_c measured on the
/// training split only, so no statistic of the validation or test data leaks into training.
///
/// For images a channel's statistics pool every pixel of that channel over all samples; flat
/// samples have one channel per feature, so this is per-feature standardization. σ_c is the
/// population standard deviation, accumulated in Double; a constant channel (σ_c < 1e-6)
/// keeps σ_c = 1 so it is centred rather than blown up.
public struct Standardization: Codable, Sendable, Equatable {
  /// μ_c: (channels).
  public var mean: [Float]
  /// σ_c: (channels).
  public var std: [Float]

  enum CodingKeys: String, CodingKey {
    case mean, std
  }

  public init(mean: [Float], std: [Float]) {
    self.mean = mean
    self.std = std
  }

  /// The statistics of `train`'s channels.
  public init(fittingTo train: Dataset) throws {
    guard train.count > 0 else {
      throw FlatlandError(.invalidArgument, "cannot standardize with statistics of the empty data set \(train.name)")
    }
    let channels = train.shape.channels
    let plane = train.shape.height * train.shape.width
    var sum = [Double](repeating: 0, count: channels)
    var sumSquares = [Double](repeating: 0, count: channels)
    train.features.withUnsafeBufferPointer { x in
      for sample in 0..<train.count {
        for c in 0..<channels {
          let base = (sample * channels + c) * plane
          var s = 0.0
          var s2 = 0.0
          for i in 0..<plane {
            let v = Double(x[base + i])
            s += v
            s2 += v * v
          }
          sum[c] += s
          sumSquares[c] += s2
        }
      }
    }
    let n = Double(train.count * plane)
    mean = sum.map { Float($0 / n) }
    std = zip(sum, sumSquares).map { s, s2 in
      let m = s / n
      let sigma = max(0, s2 / n - m * m).squareRoot()
      return sigma < 1e-6 ? 1 : Float(sigma)
    }
  }

  /// Standardizes `dataset` in place.
  public func apply(to dataset: inout Dataset) {
    precondition(
      mean.count == dataset.shape.channels,
      "standardization has \(mean.count) channels, \(dataset.name) has \(dataset.shape.channels)")
    let channels = dataset.shape.channels
    let plane = dataset.shape.height * dataset.shape.width
    let count = dataset.count
    dataset.features.withUnsafeMutableBufferPointer { x in
      for sample in 0..<count {
        for c in 0..<channels {
          let base = (sample * channels + c) * plane
          let m = mean[c]
          let inverse = 1 / std[c]
          for i in 0..<plane { x[base + i] = (x[base + i] - m) * inverse }
        }
      }
    }
  }

  /// Standardizes every split in place.
  public func apply(to splits: inout DataSplits) {
    apply(to: &splits.train)
    if splits.validation != nil { apply(to: &splits.validation!) }
    apply(to: &splits.test)
  }
}
