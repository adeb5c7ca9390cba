import FlatlandCore
import Foundation

/// Synthetic classification sets for controlled experiments, generated from their own seed
/// (stream purpose `.synthetic`), so a spec string names one fixed data set whatever seed the
/// run uses for initialization, partitioning and sampling.
public enum SyntheticData {
  /// A mixture of isotropic Gaussians: class c has mean μ_c drawn uniformly on the sphere of
  /// radius `separation` in ℝ^dimension, and x = μ_c + ε with ε ~ N(0, I). Two means lie about
  /// separation·√2 apart whatever the dimension, so `separation` alone sets the Bayes error.
  /// Sample i has class i mod classes (balanced).
  public struct Gaussians: Sendable, Equatable {
    public var classes = 10
    public var dimension = 20
    public var trainCount = 6000
    public var testCount = 1000
    public var separation = 2.0
    public var seed: UInt64 = 0

    public init() {}

    /// - Throws: `FlatlandError` when the samples or the class means would not fit in `MemoryBudget`.
    public func generate() throws -> DataSplits {
      try SyntheticData.checkSize("synthetic:gaussians", samples: trainCount, testCount, dimension: dimension)
      try MemoryBudget.check(
        "synthetic:gaussians means (\(classes) classes × \(dimension) dimensions)", [classes, dimension],
        bytesEach: MemoryLayout<Double>.stride)
      var stream = RandomStream(seed: seed, purpose: .synthetic)
      var means = [Double](repeating: 0, count: classes * dimension)
      for c in 0..<classes {
        let row = (0..<dimension).map { _ in stream.normal() }
        let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
        for j in 0..<dimension { means[c * dimension + j] = separation * row[j] / max(norm, 1e-300) }
      }
      func draw(_ n: Int, _ rng: RandomStream, _ part: String) throws -> Dataset {
        var rng = rng
        var features = [Float](repeating: 0, count: n * dimension)
        let labels = (0..<n).map { Int32($0 % classes) }
        for i in 0..<n {
          let c = Int(labels[i])
          for j in 0..<dimension { features[i * dimension + j] = Float(means[c * dimension + j] + rng.normal()) }
        }
        return try Dataset(
          name: "synthetic:gaussians/\(part)", shape: .flat(dimension), classes: classes, features: features,
          labels: labels)
      }
      return DataSplits(
        train: try draw(trainCount, stream.split(1), "train"), test: try draw(testCount, stream.split(2), "test"))
    }
  }

  /// Inputs x ~ N(0, I_dimension) labelled by a fixed random teacher network,
  /// y = argmax_k (W₂ tanh(W₁ x + b₁) + b₂)_k, with W₁ (width × dimension) ~ N(0, 1/dimension),
  /// b₁ ~ N(0, 1/4), W₂ (classes × width) ~ N(0, 1/width). The output bias b₂ is minus the
  /// mean logit over 4096 calibration inputs, so that no class dominates the argmax; a student
  /// of at least the teacher's size can reach zero training loss.
  public struct Teacher: Sendable, Equatable {
    public var dimension = 20
    public var width = 32
    public var classes = 10
    public var trainCount = 6000
    public var testCount = 1000
    public var seed: UInt64 = 0

    public init() {}

    /// - Throws: `FlatlandError` when the samples or the teacher's weights would not fit in
    ///   `MemoryBudget`.
    public func generate() throws -> DataSplits {
      try SyntheticData.checkSize("synthetic:teacher", samples: trainCount, testCount, 4096, dimension: dimension)
      try MemoryBudget.check(
        "synthetic:teacher network (width \(width) × (dimension \(dimension) + \(classes) classes))",
        [width, dimension + classes], bytesEach: MemoryLayout<Double>.stride)
      let stream = RandomStream(seed: seed, purpose: .synthetic)
      var weights = stream.split(0)
      let w1 = (0..<width * dimension).map { _ in weights.normal() / Double(dimension).squareRoot() }
      let b1 = (0..<width).map { _ in weights.normal() / 2 }
      let w2 = (0..<classes * width).map { _ in weights.normal() / Double(width).squareRoot() }

      func inputs(_ n: Int, _ rng: RandomStream) -> [Float] {
        var rng = rng
        return (0..<n * dimension).map { _ in Float(rng.normal()) }
      }
      /// Teacher logits W₂ tanh(W₁ x + b₁) of sample i: (classes).
      func logits(_ x: [Float], _ i: Int) -> [Double] {
        var hidden = [Double](repeating: 0, count: width)
        for h in 0..<width {
          var s = b1[h]
          for j in 0..<dimension { s += w1[h * dimension + j] * Double(x[i * dimension + j]) }
          hidden[h] = tanh(s)
        }
        return (0..<classes).map { k in (0..<width).reduce(0) { $0 + w2[k * width + $1] * hidden[$1] } }
      }
      let calibrationCount = 4096
      let calibration = inputs(calibrationCount, stream.split(3))
      var b2 = [Double](repeating: 0, count: classes)
      for i in 0..<calibrationCount {
        for (k, z) in logits(calibration, i).enumerated() { b2[k] -= z / Double(calibrationCount) }
      }
      func draw(_ n: Int, _ rng: RandomStream, _ part: String) throws -> Dataset {
        let x = inputs(n, rng)
        let labels = (0..<n).map { i -> Int32 in
          let z = zip(logits(x, i), b2).map { $0 + $1 }
          return Int32(z.indices.max { z[$0] < z[$1] }!)
        }
        return try Dataset(
          name: "synthetic:teacher/\(part)", shape: .flat(dimension), classes: classes, features: x, labels: labels)
      }
      return DataSplits(
        train: try draw(trainCount, stream.split(1), "train"), test: try draw(testCount, stream.split(2), "test"))
    }
  }

  /// Throws unless each of `counts` samples of `dimension` Float features fits in `MemoryBudget`
  /// (the splits are drawn one after the other).
  static func checkSize(_ family: String, samples counts: Int..., dimension: Int) throws {
    for n in counts {
      try MemoryBudget.check(
        "\(family) with \(n) samples of dimension \(dimension)", [n, dimension], bytesEach: MemoryLayout<Float>.stride)
    }
  }
}
