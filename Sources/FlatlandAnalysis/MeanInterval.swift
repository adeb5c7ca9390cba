import FlatlandCore
import FlatlandTheory

/// A mean over independent replicates (seeds, repetitions) with its two-sided 95% Student-t
/// interval; with one replicate the interval is absent, never invented.
public struct MeanInterval: Codable, Sendable, Equatable {
  public var mean: Double
  /// Bounds of the 95% interval; nil when n < 2.
  public var lower: Double?
  public var upper: Double?
  /// n, the replicates.
  public var count: Int

  /// - Throws: `FlatlandError` for no values.
  public init(_ values: [Double]) throws {
    guard !values.isEmpty else { throw FlatlandError.invalid("replicate count", 0, accepted: "at least one value") }
    count = values.count
    if values.count >= 2 {
      let ci = try ConfidenceInterval(samples: values)
      (mean, lower, upper) = (ci.mean, ci.lower, ci.upper)
    } else {
      mean = values[0]
    }
  }

  /// Whether the interval lies strictly on one side of zero: the sign of the mean is resolved.
  public var excludesZero: Bool {
    guard let lower, let upper else { return false }
    return lower > 0 || upper < 0
  }
}
