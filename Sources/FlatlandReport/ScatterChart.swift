/// Points in groups, with optional fitted lines: flatness against accuracy, optimization error
/// against accuracy.
///
/// Points that cannot be placed (non-finite, or ≤ 0 on a log axis) are left out and counted in
/// the chart's note.
public struct ScatterChart: Sendable, Equatable {
  /// One point; its label shows as a tooltip (an SVG `<title>`), so crowded points never
  /// overprint each other's text.
  public struct Point: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var label: String?

    public init(x: Double, y: Double, label: String? = nil) {
      self.x = x
      self.y = y
      self.label = label
    }
  }

  /// The points of one kind (one strategy), one colour and one legend entry.
  public struct Group: Sendable, Equatable {
    public var name: String
    public var points: [Point]
    /// As `LineChart.Series.colorKey`.
    public var colorKey: String?

    public init(name: String, points: [Point], colorKey: String? = nil) {
      self.name = name
      self.points = points
      self.colorKey = colorKey
    }
  }

  /// The line y = intercept + slope·x in data units, drawn across the plot (a curve when an
  /// axis is logarithmic) and listed in the legend under `label` (for instance "fit, R² = 0.81").
  public struct Fit: Sendable, Equatable {
    public var slope: Double
    public var intercept: Double
    public var label: String
    /// The colour of a group's key, or nil for neutral grey.
    public var colorKey: String?

    public init(slope: Double, intercept: Double, label: String, colorKey: String? = nil) {
      self.slope = slope
      self.intercept = intercept
      self.label = label
      self.colorKey = colorKey
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var xScale: AxisScale
  public var yScale: AxisScale
  public var groups: [Group]
  public var fits: [Fit]

  public init(
    title: String, xLabel: String, yLabel: String, xScale: AxisScale = .linear, yScale: AxisScale = .linear,
    groups: [Group], fits: [Fit] = []
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.xScale = xScale
    self.yScale = yScale
    self.groups = groups
    self.fits = fits
  }
}
