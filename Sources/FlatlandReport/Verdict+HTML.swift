extension Verdict {
  /// The verdict as a card: a badge with the outcome, the claim and its statement, the evidence
  /// table with each interval drawn against zero, and the explanation.
  func html() -> String {
    let kind: String
    let symbol: String
    switch outcome {
    case .supported: (kind, symbol) = ("supported", "✓")
    case .notSupported: (kind, symbol) = ("not-supported", "✗")
    case .inconclusive: (kind, symbol) = ("inconclusive", "?")
    }
    var out = "<article class=\"verdict \(kind)\">\n<header>"
    out += "<span class=\"badge\">\(symbol) \(outcome.label)</span>"
    out += "<h3><span class=\"claim\">\(Markup.escaped(claim))</span> \(Markup.escaped(title))</h3></header>\n"
    if !statement.isEmpty { out += "<p class=\"statement\">\(Markup.escaped(statement))</p>\n" }
    if !evidence.isEmpty { out += evidenceTable() }
    if !explanation.isEmpty { out += "<p class=\"explanation\">\(Markup.escaped(explanation))</p>\n" }
    return out + "</article>\n"
  }

  private func evidenceTable() -> String {
    var out = "<table class=\"evidence\">\n<thead><tr><th>Comparison</th><th class=\"num\">Difference</th>"
    out += "<th class=\"num\">95% interval</th><th class=\"num\">n</th><th class=\"interval-cell\">vs. 0</th></tr>"
    out += "</thead>\n<tbody>\n"
    for row in evidence {
      let interval = "[\(Markup.compact(row.lower)), \(Markup.compact(row.upper))]"
      out += "<tr><td>\(Markup.escaped(row.comparison))</td><td class=\"num\">\(Markup.compact(row.difference))</td>"
      out += "<td class=\"num\">\(interval)</td><td class=\"num\">\(row.n)</td><td class=\"interval-cell\">"
      out += intervalSVG(row) + "</td></tr>\n"
    }
    return out + "</tbody>\n</table>\n"
  }

  /// A 140 × 16 strip: the zero line, the interval as a bar, the difference as a dot, on a
  /// scale of the row's own that spans zero and the interval (rows may differ in units). The
  /// bar is dark when the interval excludes zero and grey when it covers it.
  private func intervalSVG(_ row: Evidence) -> String {
    guard row.difference.isFinite, row.lower.isFinite, row.upper.isFinite else { return "" }
    let low = min(row.lower, row.difference, 0)
    let high = max(row.upper, row.difference, 0)
    let pad = high > low ? (high - low) * 0.08 : 1
    let range = (low - pad)...(high + pad)
    guard (range.upperBound - range.lowerBound).isFinite else { return "" }
    let width = 140.0
    func x(_ v: Double) -> Double { 4 + (v - range.lowerBound) / (range.upperBound - range.lowerBound) * (width - 8) }
    let excludesZero = row.lower > 0 || row.upper < 0
    let color = excludesZero ? "#222222" : "#9a9a9a"
    var canvas = SVGCanvas()
    canvas.line(x(0), 0, x(0), 16, [("stroke", "#555555"), ("stroke-width", "1"), ("stroke-dasharray", "2 2")])
    canvas.line(x(row.lower), 8, x(row.upper), 8, [("stroke", color), ("stroke-width", "2.5")])
    canvas.element(
      "circle", [("cx", Markup.coordinate(x(row.difference))), ("cy", "8"), ("r", "3.2"), ("fill", color)])
    let title =
      "difference \(Markup.compact(row.difference)), 95% interval [\(Markup.compact(row.lower)), "
      + "\(Markup.compact(row.upper))]"
    return "<svg class=\"interval\" viewBox=\"0 0 140 16\" width=\"140\" height=\"16\" role=\"img\"><title>"
      + Markup.escaped(title) + "</title>\n" + canvas.body + "</svg>"
  }
}
