import FlatlandCore

/// A mean with its two-sided 95% Student-t confidence interval, from independent replicates.
public struct ConfidenceInterval: Sendable, Equatable {
  public let mean: Double
  /// s / √n, the standard error of the mean.
  public let standardError: Double
  public let lower: Double
  public let upper: Double

  /// The interval mean ± t_{0.975, n−1} · s/√n over `samples` (n ≥ 2).
  public init(samples: [Double]) throws {
    guard samples.count >= 2 else {
      throw FlatlandError.invalid(
        "number of repetitions", samples.count, accepted: "at least 2 for a confidence interval")
    }
    let n = Double(samples.count)
    let average = samples.reduce(0, +) / n
    let variance = samples.reduce(0) { $0 + ($1 - average) * ($1 - average) } / (n - 1)
    let error = (variance / n).squareRoot()
    let half = Self.studentQuantile975(degreesOfFreedom: samples.count - 1) * error
    mean = average
    standardError = error
    lower = average - half
    upper = average + half
  }

  public func contains(_ value: Double) -> Bool { lower <= value && value <= upper }

  /// t_{0.975, ν}: tabulated for ν ≤ 30, otherwise the Cornish–Fisher expansion
  /// z + (z³ + z)/(4ν) + (5z⁵ + 16z³ + 3z)/(96ν²), accurate to 1e-4 there.
  static func studentQuantile975(degreesOfFreedom nu: Int) -> Double {
    let table: [Double] = [
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
      2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]
    if nu <= table.count { return table[nu - 1] }
    let z = 1.959_963_984_540_054
    let v = Double(nu)
    let z3 = z * z * z
    let z5 = z3 * z * z
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
  }
}
