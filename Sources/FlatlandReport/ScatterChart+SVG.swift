import Foundation

extension ScatterChart {
  /// The chart as an `<svg class="chart">` whose `data-points` is the number of points drawn.
  ///
  /// Groups are drawn in order, each in its colour and symbol; fits are drawn over them,
  /// clipped to the plot, and listed in the legend after the groups. `id` must be unique in
  /// the page.
  func svg(id: String, palette: Palette, size: ChartSize) -> String {
    var tally = PointTally()
    var xs: [Double] = []
    var ys: [Double] = []
    for group in groups {
      for p in group.points where tally.admit(p.x, p.y, xScale, yScale) {
        xs.append(p.x)
        ys.append(p.y)
      }
    }
    let colors = groups.enumerated().map { palette.color(index: $0.offset, key: $0.element.colorKey) }
    var legend = groups.enumerated().map { i, group in
      LegendEntry(name: group.name, color: colors[i], swatch: .point(MarkerShape.at(i)), series: i)
    }
    for (j, fit) in fits.enumerated() {
      legend.append(
        LegendEntry(
          name: fit.label, color: palette.color(key: fit.colorKey), swatch: .line(.dashed, band: false, markers: false),
          series: groups.count + j))
    }
    let frame = ChartFrame(
      size: size, hasTitle: !title.isEmpty, hasXLabel: !xLabel.isEmpty,
      x: Axis(scale: xScale, covering: xs, padding: 0.04), y: Axis(scale: yScale, covering: ys, padding: 0.04),
      legend: legend, notes: tally.notes)

    var canvas = frame.canvas(id: id, title: title, xLabel: xLabel, yLabel: yLabel, drawn: tally.drawn)
    for (i, group) in groups.enumerated() {
      canvas.open("g", [("class", "series"), ("data-series", String(i))])
      for p in group.points where Axis.canPlace(p.x, on: xScale) && Axis.canPlace(p.y, on: yScale) {
        let position = "(\(Markup.compact(p.x)), \(Markup.compact(p.y)))"
        let tooltip = (p.label.map { $0 + " " } ?? "") + position
        MarkerShape.at(i).draw(
          at: frame.px(p.x), frame.py(p.y), radius: 4.2, color: colors[i], tooltip: tooltip, into: &canvas)
      }
      canvas.close("g")
    }
    canvas.close("g")
    canvas.open("g", [("class", "fits"), ("clip-path", "url(#\(id)-clip-lines)")])
    for (j, fit) in fits.enumerated() {
      let path = fitPath(fit, frame)
      guard !path.isEmpty else { continue }
      canvas.element(
        "path",
        [
          ("class", "series fit"), ("data-series", String(groups.count + j)), ("d", path.text), ("fill", "none"),
          ("stroke", palette.color(key: fit.colorKey)), ("stroke-width", "1.6"),
        ] + ChartFrame.dash(.dashed))
    }
    canvas.close("g")
    frame.legendAndNotes(into: &canvas)
    return canvas.document(
      width: size.width, height: frame.height, title: title, id: id,
      attributes: [
        ("class", "chart"), ("data-points", String(tally.drawn)), ("data-dropped", String(tally.dropped)),
        ("font-family", ChartFrame.fontFamily),
      ])
  }

  /// y = intercept + slope·x sampled at 129 points evenly spaced in axis position across the x
  /// domain (a curve when an axis is logarithmic). The path breaks where y cannot be placed or
  /// lies more than ten plot heights away: the clip hides such parts, and huge coordinates
  /// would only strain the renderer.
  private func fitPath(_ fit: Fit, _ frame: ChartFrame) -> PathData {
    var path = PathData()
    var pen = false
    for k in 0...128 {
      let t = Double(k) / 128
      let x =
        xScale == .linear
        ? frame.x.lower + t * (frame.x.upper - frame.x.lower)
        : pow(10, log10(frame.x.lower) + t * (log10(frame.x.upper) - log10(frame.x.lower)))
      let y = fit.intercept + fit.slope * x
      guard Axis.canPlace(y, on: yScale), (-10...11).contains(frame.y.fraction(y)) else {
        pen = false
        continue
      }
      if pen { path.line(frame.px(x), frame.py(y)) } else { path.move(frame.px(x), frame.py(y)) }
      pen = true
    }
    return path
  }
}
