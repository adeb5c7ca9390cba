/// Counts a chart's points as they are placed: those drawn, and those left out because a
/// coordinate is non-finite or because a log axis cannot show a value ≤ 0. The counts go into
/// the chart's `data-points` attribute and its note, so nothing is dropped silently.
struct PointTally: Equatable {
  private(set) var drawn = 0
  private(set) var nonFinite = 0
  private(set) var nonPositive = 0

  var dropped: Int { nonFinite + nonPositive }

  /// Whether (x, y) can be drawn on axes of these scales; counts it either way.
  mutating func admit(_ x: Double, _ y: Double, _ xScale: AxisScale, _ yScale: AxisScale) -> Bool {
    if Axis.canPlace(x, on: xScale) && Axis.canPlace(y, on: yScale) {
      drawn += 1
      return true
    }
    if Axis.canPlace(x, on: .linear) && Axis.canPlace(y, on: .linear) {
      nonPositive += 1
    } else {
      nonFinite += 1
    }
    return false
  }

  /// One line for each kind of left-out point.
  var notes: [String] {
    var notes: [String] = []
    if nonFinite > 0 { notes.append("\(PointTally.points(nonFinite)) with a non-finite value not drawn") }
    if nonPositive > 0 { notes.append("\(PointTally.points(nonPositive)) with a value ≤ 0 not drawn on the log axis") }
    return notes
  }

  private static func points(_ n: Int) -> String { n == 1 ? "1 point" : "\(n) points" }
}
