/// How a chart axis maps data values to positions.
public enum AxisScale: String, Sendable, Equatable {
  /// Position proportional to the value; ticks at 1, 2 or 5 times a power of ten.
  case linear
  /// Position proportional to log₁₀ of the value; ticks at decades. Values ≤ 0 cannot be
  /// placed and are left out (and counted in the chart's note).
  case log
}
