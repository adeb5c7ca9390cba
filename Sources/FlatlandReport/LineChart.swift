/// Curves against a common x axis: training curves, escape curves, λ_max along training.
///
/// Each series is drawn as a polyline through its finite points in order; a point that cannot be
/// placed (non-finite, or ≤ 0 on a log axis) breaks the line there and is counted in the chart's
/// note. An optional band (`lower`, `upper`, one pair per point) is drawn as a translucent area
/// behind the line, typically a 95% interval.
public struct LineChart: Sendable, Equatable {
  /// One curve.
  public struct Series: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    /// Lower and upper band edges, one per point; both or neither.
    public var lower: [Double]?
    public var upper: [Double]?
    public var style: LineStyle
    /// Whether a dot marks each point (for sparse series such as evaluations every epoch).
    public var showsMarkers: Bool
    /// A name for the colour, shared by every series of the same thing across the document
    /// (a strategy name); nil takes the colour of the series' position in the chart.
    public var colorKey: String?

    public init(
      name: String, x: [Double], y: [Double], lower: [Double]? = nil, upper: [Double]? = nil,
      style: LineStyle = .solid, showsMarkers: Bool = false, colorKey: String? = nil
    ) {
      self.name = name
      self.x = x
      self.y = y
      self.lower = lower
      self.upper = upper
      self.style = style
      self.showsMarkers = showsMarkers
      self.colorKey = colorKey
    }
  }

  /// A horizontal line across the plot at `y`, labeled at its right end (for instance the
  /// stability threshold "2/μ").
  public struct ReferenceLine: Sendable, Equatable {
    public var y: Double
    public var label: String
    public var style: LineStyle
    public var colorKey: String?

    public init(y: Double, label: String, style: LineStyle = .dashed, colorKey: String? = nil) {
      self.y = y
      self.label = label
      self.style = style
      self.colorKey = colorKey
    }
  }

  /// A vertical line at `x`, labeled at its top (for instance the step where the learning rate
  /// was cut).
  public struct VerticalLine: Sendable, Equatable {
    public var x: Double
    public var label: String

    public init(x: Double, label: String) {
      self.x = x
      self.label = label
    }
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var xScale: AxisScale
  public var yScale: AxisScale
  public var series: [Series]
  public var referenceLines: [ReferenceLine]
  public var verticalLines: [VerticalLine]

  public init(
    title: String, xLabel: String, yLabel: String, xScale: AxisScale = .linear, yScale: AxisScale = .linear,
    series: [Series], referenceLines: [ReferenceLine] = [], verticalLines: [VerticalLine] = []
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.xScale = xScale
    self.yScale = yScale
    self.series = series
    self.referenceLines = referenceLines
    self.verticalLines = verticalLines
  }
}
