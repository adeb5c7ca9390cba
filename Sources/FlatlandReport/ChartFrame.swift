/// How large a chart is drawn: alone across the page, or as a small multiple in a grid, where
/// a smaller drawing keeps the text at the same size on screen.
enum ChartSize {
  case full
  case compact

  var width: Double { self == .full ? 720 : 420 }
  var plotHeight: Double { self == .full ? 320 : 210 }
}

/// The sample drawn beside a legend entry's name.
enum Swatch: Equatable {
  case line(LineStyle, band: Bool, markers: Bool)
  case point(MarkerShape)
}

/// One legend entry; clicking it toggles the elements tagged with the same `series` number.
struct LegendEntry: Equatable {
  let name: String
  let color: String
  let swatch: Swatch
  let series: Int
}

/// The layout of one chart — margins sized to the tick labels, the plot rectangle, the legend
/// rows beneath the x-axis title, the notes — and the drawing of everything but the data.
struct ChartFrame {
  static let fontFamily = "'Helvetica Neue', Helvetica, Arial, 'DejaVu Sans', sans-serif"
  static let halo: [(String, String)] = [
    ("stroke", "#ffffff"), ("stroke-width", "3"), ("stroke-linejoin", "round"), ("paint-order", "stroke"),
  ]

  let size: ChartSize
  let x: Axis
  let y: Axis
  let left: Double
  let top: Double
  let plotWidth: Double
  let plotHeight: Double
  let height: Double
  private let legend: [(entry: LegendEntry, x: Double, y: Double)]
  private let notes: [String]
  private let notesTop: Double
  private let xLabels: Set<Int>
  private let yLabels: Set<Int>

  init(size: ChartSize, hasTitle: Bool, hasXLabel: Bool, x: Axis, y: Axis, legend: [LegendEntry], notes: [String]) {
    self.size = size
    self.x = x
    self.y = y
    let yLabelWidth = y.ticks.compactMap(\.label).map { ChartFrame.textWidth($0, 11) }.max() ?? 0
    let lastXLabel = x.ticks.last(where: { $0.label != nil })?.label ?? ""
    left = max(58, 30 + yLabelWidth)
    top = hasTitle ? 40 : 16
    plotWidth = size.width - left - max(18, ChartFrame.textWidth(lastXLabel, 11) / 2 + 6)
    plotHeight = size.plotHeight
    let axisTitleBottom = top + plotHeight + (hasXLabel ? 40 : 24)
    let placed = ChartFrame.layOut(legend, left: left, top: axisTitleBottom + 18, right: size.width - 8)
    self.legend = placed
    self.notes = notes
    notesTop = (placed.last?.y ?? axisTitleBottom) + 20
    height = notesTop + Double(notes.count) * 14 + (notes.isEmpty ? -8 : 0)
    xLabels = ChartFrame.thinned(x, length: plotWidth) { ChartFrame.textWidth($0, 11) + 10 }
    yLabels = ChartFrame.thinned(y, length: plotHeight) { _ in 16 }
  }

  /// Legend entries in one row when they fit, else in a grid of equal columns, so entries line
  /// up under each other.
  private static func layOut(
    _ legend: [LegendEntry], left: Double, top: Double, right: Double
  ) -> [(entry: LegendEntry, x: Double, y: Double)] {
    let gap = 16.0
    let widths = legend.map { 30 + ChartFrame.textWidth($0.name, 12) }
    if widths.reduce(0, +) + gap * Double(max(0, widths.count - 1)) <= right - left {
      var placed: [(entry: LegendEntry, x: Double, y: Double)] = []
      var x = left
      for (entry, width) in zip(legend, widths) {
        placed.append((entry, x, top))
        x += width + gap
      }
      return placed
    }
    let column = (widths.max() ?? 0) + gap
    let columns = max(1, Int((right - left + gap) / column))
    return legend.enumerated().map { i, entry in
      (entry, left + Double(i % columns) * column, top + Double(i / columns) * 19)
    }
  }

  var right: Double { left + plotWidth }
  var bottom: Double { top + plotHeight }

  /// The x pixel of a value the x axis can place.
  func px(_ value: Double) -> Double { left + x.fraction(value) * plotWidth }
  /// The y pixel of a value the y axis can place (pixels grow downwards).
  func py(_ value: Double) -> Double { top + (1 - y.fraction(value)) * plotHeight }

  /// A rough width of `text` at `size` pixels: 0.6 em a character, generous for digits and
  /// lower case in common sans-serif faces, so labels are spaced rather than overlapped.
  static func textWidth(_ text: String, _ size: Double) -> Double { Double(text.count) * size * 0.6 }

  // MARK: - Drawing

  /// A canvas holding the frame's clip path, axes and titles (and the "no data" note when
  /// nothing is drawn), with the clipped group for the chart's marks left open.
  func canvas(id: String, title: String, xLabel: String, yLabel: String, drawn: Int) -> SVGCanvas {
    var canvas = SVGCanvas()
    canvas.open("defs", [])
    clipPaths(id: id + "-clip", into: &canvas)
    canvas.close("defs")
    axes(title: title, xLabel: xLabel, yLabel: yLabel, into: &canvas)
    if drawn == 0 { noData(into: &canvas) }
    canvas.open("g", [("class", "data"), ("clip-path", "url(#\(id)-clip)")])
    return canvas
  }

  /// The clip paths of the data: `id` keeps it inside the plot with room for a marker on the
  /// edge, `id-lines` keeps lines strictly inside.
  func clipPaths(id: String, into canvas: inout SVGCanvas) {
    let c = Markup.coordinate
    for (suffix, pad) in [("", 5.0), ("-lines", 0)] {
      canvas.open("clipPath", [("id", id + suffix)])
      canvas.element(
        "rect",
        [
          ("x", c(left - pad)), ("y", c(top - pad)), ("width", c(plotWidth + 2 * pad)),
          ("height", c(plotHeight + 2 * pad)),
        ])
      canvas.close("clipPath")
    }
  }

  /// Title, grid lines, axis lines, ticks, tick labels and axis titles.
  func axes(title: String, xLabel: String, yLabel: String, into canvas: inout SVGCanvas) {
    if !title.isEmpty {
      var attributes: [(String, String)] = [("class", "chart-title"), ("font-size", "14"), ("font-weight", "600")]
      let room = size.width - left - 8
      if ChartFrame.textWidth(title, 14) > room {
        attributes += [("textLength", Markup.coordinate(room)), ("lengthAdjust", "spacingAndGlyphs")]
      }
      canvas.text(title, x: left, y: 22, attributes + [("fill", "#111111")])
    }
    canvas.open("g", [("class", "grid"), ("stroke", "#e4e4e4"), ("stroke-width", "1")])
    for tick in x.ticks where tick.label != nil { canvas.line(px(tick.value), top, px(tick.value), bottom, []) }
    for tick in y.ticks where tick.label != nil { canvas.line(left, py(tick.value), right, py(tick.value), []) }
    canvas.close("g")
    canvas.open("g", [("class", "axes"), ("stroke", "#333333"), ("stroke-width", "1")])
    canvas.line(left, bottom, right, bottom, [])
    canvas.line(left, top, left, bottom, [])
    for tick in x.ticks { canvas.line(px(tick.value), bottom, px(tick.value), bottom + tickLength(tick), []) }
    for tick in y.ticks { canvas.line(left - tickLength(tick), py(tick.value), left, py(tick.value), []) }
    canvas.close("g")
    canvas.open("g", [("class", "tick-labels"), ("font-size", "11"), ("fill", "#333333")])
    for (i, tick) in x.ticks.enumerated() where xLabels.contains(i) {
      canvas.text(tick.label!, x: px(tick.value), y: bottom + 17, [("text-anchor", "middle")])
    }
    for (i, tick) in y.ticks.enumerated() where yLabels.contains(i) {
      canvas.text(tick.label!, x: left - 7, y: py(tick.value) + 4, [("text-anchor", "end")])
    }
    canvas.close("g")
    canvas.open("g", [("class", "axis-titles"), ("font-size", "12"), ("fill", "#222222")])
    if !xLabel.isEmpty {
      canvas.text(xLabel, x: left + plotWidth / 2, y: bottom + 36, [("text-anchor", "middle")])
    }
    if !yLabel.isEmpty {
      let cx = Markup.coordinate(15)
      let cy = Markup.coordinate(top + plotHeight / 2)
      canvas.text(
        yLabel, x: 15, y: top + plotHeight / 2, [("text-anchor", "middle"), ("transform", "rotate(-90 \(cx) \(cy))")])
    }
    canvas.close("g")
  }

  /// The centred "no data" note of a chart with nothing to draw.
  func noData(into canvas: inout SVGCanvas) {
    canvas.text(
      "no data", x: left + plotWidth / 2, y: top + plotHeight / 2,
      [("class", "no-data"), ("text-anchor", "middle"), ("font-size", "14"), ("fill", "#888888")])
  }

  /// The legend rows and the notes under them.
  func legendAndNotes(into canvas: inout SVGCanvas) {
    for item in legend {
      canvas.open(
        "g",
        [
          ("class", "legend-item"), ("data-series", String(item.entry.series)),
          ("transform", "translate(\(Markup.coordinate(item.x)) \(Markup.coordinate(item.y)))"),
        ])
      swatch(item.entry, into: &canvas)
      canvas.text(item.entry.name, x: 30, y: 4, [("font-size", "12"), ("fill", "#222222")])
      canvas.close("g")
    }
    for (i, note) in notes.enumerated() {
      canvas.text(
        note, x: left, y: notesTop + Double(i) * 14,
        [("class", "chart-note"), ("font-size", "10.5"), ("font-style", "italic"), ("fill", "#666666")])
    }
  }

  private func swatch(_ entry: LegendEntry, into canvas: inout SVGCanvas) {
    switch entry.swatch {
    case .line(let style, let band, let markers):
      if band {
        canvas.element(
          "rect",
          [("x", "0"), ("y", "-6"), ("width", "24"), ("height", "12"), ("fill", entry.color), ("fill-opacity", "0.18")])
      }
      canvas.line(0, 0, 24, 0, [("stroke", entry.color), ("stroke-width", "2")] + ChartFrame.dash(style))
      if markers { MarkerShape.circle.draw(at: 12, 0, radius: 3, color: entry.color, into: &canvas) }
    case .point(let shape):
      shape.draw(at: 12, 0, radius: 4.2, color: entry.color, into: &canvas)
    }
  }

  /// The stroke attributes of a line style.
  static func dash(_ style: LineStyle) -> [(String, String)] {
    switch style {
    case .solid: return []
    case .dashed: return [("stroke-dasharray", "7 4")]
    case .dotted: return [("stroke-dasharray", "1.5 3.5"), ("stroke-linecap", "round")]
    }
  }

  private func tickLength(_ tick: Axis.Tick) -> Double { tick.label == nil ? 2.5 : 4.5 }

  /// The indices of the ticks whose labels are drawn: every labeled tick, or every second
  /// (third, …) one when neighbouring labels would need more room than `length` leaves them.
  private static func thinned(_ axis: Axis, length: Double, needs: (String) -> Double) -> Set<Int> {
    let labeled = axis.ticks.indices.filter { axis.ticks[$0].label != nil }
    for every in 1..<max(2, labeled.count) {
      let kept = labeled.enumerated().filter { $0.offset % every == 0 }.map(\.element)
      let fits = zip(kept, kept.dropFirst()).allSatisfy { a, b in
        let gap = abs(axis.fraction(axis.ticks[b].value) - axis.fraction(axis.ticks[a].value)) * length
        return gap >= (needs(axis.ticks[a].label!) + needs(axis.ticks[b].label!)) / 2
      }
      if fits { return Set(kept) }
    }
    return Set(labeled.prefix(1))
  }
}
