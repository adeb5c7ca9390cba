extension LineChart {
  /// The chart as an `<svg class="chart">` whose `data-points` is the number of points drawn.
  ///
  /// Layers, back to front: grid and axes, reference and vertical lines, bands, curves, then
  /// labels, legend and notes. Data layers are clipped to the plot. `id` must be unique in the
  /// page; it prefixes the ids inside the chart.
  func svg(id: String, palette: Palette, size: ChartSize) -> String {
    var tally = PointTally()
    var xs = verticalLines.map(\.x)
    var ys = referenceLines.map(\.y)
    for s in series {
      for i in 0..<min(s.x.count, s.y.count) where tally.admit(s.x[i], s.y[i], xScale, yScale) {
        xs.append(s.x[i])
        ys.append(s.y[i])
      }
      if let band = s.band {
        for i in band.lower.indices where Axis.canPlace(s.x[i], on: xScale) { ys += [band.lower[i], band.upper[i]] }
      }
    }
    let colors = series.enumerated().map { palette.color(index: $0.offset, key: $0.element.colorKey) }
    let legend = series.enumerated().map { i, s in
      LegendEntry(
        name: s.name, color: colors[i], swatch: .line(s.style, band: s.band != nil, markers: s.showsMarkers),
        series: i)
    }
    let frame = ChartFrame(
      size: size, hasTitle: !title.isEmpty, hasXLabel: !xLabel.isEmpty, x: Axis(scale: xScale, covering: xs),
      y: Axis(scale: yScale, covering: ys), legend: legend, notes: tally.notes)

    var canvas = frame.canvas(id: id, title: title, xLabel: xLabel, yLabel: yLabel, drawn: tally.drawn)
    drawGuides(frame, palette, into: &canvas)
    for (i, s) in series.enumerated() { drawBand(s, index: i, color: colors[i], frame, into: &canvas) }
    for (i, s) in series.enumerated() { drawCurve(s, index: i, color: colors[i], frame, into: &canvas) }
    canvas.close("g")
    drawGuideLabels(frame, palette, into: &canvas)
    frame.legendAndNotes(into: &canvas)
    return canvas.document(
      width: size.width, height: frame.height, title: title, id: id,
      attributes: [
        ("class", "chart"), ("data-points", String(tally.drawn)), ("data-dropped", String(tally.dropped)),
        ("font-family", ChartFrame.fontFamily),
      ])
  }

  // MARK: - Layers

  private func drawGuides(_ frame: ChartFrame, _ palette: Palette, into canvas: inout SVGCanvas) {
    for line in referenceLines where Axis.canPlace(line.y, on: yScale) {
      let attributes = [("stroke", palette.color(key: line.colorKey)), ("stroke-width", "1.2")]
      canvas.line(frame.left, frame.py(line.y), frame.right, frame.py(line.y), attributes + ChartFrame.dash(line.style))
    }
    for line in verticalLines where Axis.canPlace(line.x, on: xScale) {
      let attributes = [("stroke", Palette.neutral), ("stroke-width", "1")] + ChartFrame.dash(.dotted)
      canvas.line(frame.px(line.x), frame.top, frame.px(line.x), frame.bottom, attributes)
    }
  }

  /// Reference labels sit above their line at the right end (below it near the top of the
  /// plot); vertical-line labels sit at the top, right of their line.
  private func drawGuideLabels(_ frame: ChartFrame, _ palette: Palette, into canvas: inout SVGCanvas) {
    canvas.open("g", [("class", "guide-labels"), ("font-size", "11")])
    for line in referenceLines where Axis.canPlace(line.y, on: yScale) {
      let y = frame.py(line.y)
      let attributes = [("text-anchor", "end"), ("fill", palette.color(key: line.colorKey))] + ChartFrame.halo
      canvas.text(line.label, x: frame.right - 4, y: y - 5 < frame.top + 10 ? y + 13 : y - 5, attributes)
    }
    for line in verticalLines where Axis.canPlace(line.x, on: xScale) {
      canvas.text(line.label, x: frame.px(line.x) + 4, y: frame.top + 12, [("fill", "#444444")] + ChartFrame.halo)
    }
    canvas.close("g")
  }

  /// The band as one closed area per run of consecutive points with a drawable x and two edges
  /// that are not NaN; infinite edges and edges ≤ 0 on a log axis are drawn to the axis end.
  private func drawBand(_ s: Series, index: Int, color: String, _ frame: ChartFrame, into canvas: inout SVGCanvas) {
    guard let band = s.band else { return }
    let edge = { (v: Double) in frame.top + (1 - frame.y.clampedFraction(v)) * frame.plotHeight }
    var path = PathData()
    var run: [(x: Double, upper: Double, lower: Double)] = []
    func flush() {
      if run.count >= 2 {
        path.move(run[0].x, run[0].upper)
        for p in run.dropFirst() { path.line(p.x, p.upper) }
        for p in run.reversed() { path.line(p.x, p.lower) }
        path.close()
      }
      run = []
    }
    for i in band.lower.indices {
      if Axis.canPlace(s.x[i], on: xScale) && !band.lower[i].isNaN && !band.upper[i].isNaN {
        run.append((frame.px(s.x[i]), edge(band.upper[i]), edge(band.lower[i])))
      } else {
        flush()
      }
    }
    flush()
    guard !path.isEmpty else { return }
    canvas.element(
      "path",
      [
        ("class", "series band"), ("data-series", String(index)), ("d", path.text), ("fill", color),
        ("fill-opacity", "0.18"), ("stroke", "none"),
      ])
  }

  /// The curve through the drawable points, broken where a point is not drawable; a lone
  /// point between breaks gets a dot so that it shows.
  private func drawCurve(_ s: Series, index: Int, color: String, _ frame: ChartFrame, into canvas: inout SVGCanvas) {
    var runs: [[(Double, Double)]] = [[]]
    for i in 0..<min(s.x.count, s.y.count) {
      if Axis.canPlace(s.x[i], on: xScale) && Axis.canPlace(s.y[i], on: yScale) {
        runs[runs.count - 1].append((frame.px(s.x[i]), frame.py(s.y[i])))
      } else if !runs[runs.count - 1].isEmpty {
        runs.append([])
      }
    }
    var path = PathData()
    for run in runs where run.count >= 2 {
      path.move(run[0].0, run[0].1)
      for p in run.dropFirst() { path.line(p.0, p.1) }
    }
    canvas.open("g", [("class", "series"), ("data-series", String(index))])
    if !path.isEmpty {
      canvas.element(
        "path",
        [("d", path.text), ("fill", "none"), ("stroke", color), ("stroke-width", "1.8"), ("stroke-linejoin", "round")]
          + ChartFrame.dash(s.style))
    }
    for run in runs where s.showsMarkers || run.count == 1 {
      for p in run { MarkerShape.circle.draw(at: p.0, p.1, radius: 2.8, color: color, into: &canvas) }
    }
    canvas.close("g")
  }
}

extension LineChart.Series {
  /// The band edges, when the series has both and each holds one value per point.
  var band: (lower: [Double], upper: [Double])? {
    guard let lower, let upper, lower.count == x.count, upper.count == x.count, x.count == y.count else { return nil }
    return (lower, upper)
  }
}
