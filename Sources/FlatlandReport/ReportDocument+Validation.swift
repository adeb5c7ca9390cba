import FlatlandCore

extension ReportDocument {
  /// What is wrong with the document, one line each, in document order; empty when nothing is.
  ///
  /// `html()` renders any document (an empty chart says "no data", a short row is padded), but
  /// a report with these problems misleads its reader or breaks its page: charts with nothing
  /// to draw, series whose x and y differ in length, band edges missing or miscounted, table
  /// rows of the wrong width, intervals whose ends are swapped or non-finite, figures that are
  /// not SVG or that refer to anything outside the page, charts without a title, and section
  /// ids that are not unique anchors.
  public var problems: [String] {
    var problems: [String] = []
    if title.isEmpty { problems.append("the report has no title") }
    var ids = Set<String>()
    for section in sections {
      let place = "section '\(section.id)'"
      if !ReportDocument.isAnchor(section.id) {
        problems.append("\(place): the id must be a letter followed by letters, digits, '-' or '_'")
      }
      if !ids.insert(section.id).inserted { problems.append("\(place): the id is used by an earlier section") }
      for block in section.blocks { problems += ReportDocument.problems(block, place) }
    }
    return problems
  }

  /// Throws an invalid-argument error naming the first of `problems`, if there is one.
  public func validate() throws {
    let problems = self.problems
    guard let first = problems.first else { return }
    let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
    throw FlatlandError(.invalidArgument, "invalid report: \(first)\(more)")
  }

  private static func isAnchor(_ id: String) -> Bool {
    guard let first = id.unicodeScalars.first, first.isASCIILetter else { return false }
    return id.unicodeScalars.allSatisfy { $0.isASCIILetterOrDigit || $0 == "-" || $0 == "_" }
  }

  private static func problems(_ block: ReportBlock, _ place: String) -> [String] {
    switch block {
    case .lineChart(let chart): return problems(chart, "\(place), chart '\(chart.title)'")
    case .scatter(let chart): return problems(chart, "\(place), chart '\(chart.title)'")
    case .table(let table): return problems(table, "\(place), table '\(table.caption)'")
    case .verdicts(let verdicts): return verdicts.flatMap { problems($0, "\(place), \($0.claim)") }
    case .figure(let title, let svg, _): return problems(figure: svg, "\(place), figure '\(title)'")
    case .grid(let blocks): return blocks.flatMap { problems($0, place) }
    case .text, .code: return []
    }
  }

  private static func problems(_ chart: LineChart, _ place: String) -> [String] {
    var problems = chart.title.isEmpty ? ["\(place): the chart has no title"] : []
    var tally = PointTally()
    for s in chart.series {
      let series = "\(place), series '\(s.name)'"
      if s.x.count != s.y.count { problems.append("\(series): \(s.x.count) x values but \(s.y.count) y values") }
      if (s.lower == nil) != (s.upper == nil) { problems.append("\(series): a band needs both lower and upper") }
      for (edge, values) in [("lower", s.lower), ("upper", s.upper)] {
        if let values, values.count != s.x.count {
          problems.append("\(series): \(values.count) \(edge) band values for \(s.x.count) points")
        }
      }
      let before = tally.drawn
      for i in 0..<min(s.x.count, s.y.count) { _ = tally.admit(s.x[i], s.y[i], chart.xScale, chart.yScale) }
      if tally.drawn == before && !s.x.isEmpty { problems.append("\(series): no point can be drawn") }
    }
    if tally.drawn == 0 { problems.append("\(place): the chart has no point to draw") }
    return problems
  }

  private static func problems(_ chart: ScatterChart, _ place: String) -> [String] {
    var problems = chart.title.isEmpty ? ["\(place): the chart has no title"] : []
    var tally = PointTally()
    for group in chart.groups {
      for p in group.points { _ = tally.admit(p.x, p.y, chart.xScale, chart.yScale) }
    }
    if tally.drawn == 0 { problems.append("\(place): the chart has no point to draw") }
    for fit in chart.fits where !fit.slope.isFinite || !fit.intercept.isFinite {
      problems.append("\(place), fit '\(fit.label)': slope and intercept must be finite")
    }
    return problems
  }

  private static func problems(_ table: ReportTable, _ place: String) -> [String] {
    guard !table.columns.isEmpty else { return [] }
    return table.rows.enumerated().compactMap { i, row in
      row.cells.count == table.columns.count
        ? nil : "\(place), row \(i + 1): \(row.cells.count) cells for \(table.columns.count) columns"
    }
  }

  private static func problems(_ verdict: Verdict, _ place: String) -> [String] {
    verdict.evidence.compactMap { row in
      let subject = "\(place), evidence '\(row.comparison)'"
      if !row.difference.isFinite || !row.lower.isFinite || !row.upper.isFinite {
        return "\(subject): difference and interval must be finite"
      }
      if row.lower > row.upper { return "\(subject): interval lower end above its upper end" }
      if row.n < 1 { return "\(subject): n = \(row.n), expected at least 1" }
      return nil
    }
  }

  /// A figure must be SVG and must not reach outside the page: no script, and no URL other than
  /// the W3C namespace names.
  private static func problems(figure svg: String, _ place: String) -> [String] {
    var problems: [String] = []
    if !svg.contains("<svg") { problems.append("\(place): not an SVG drawing (no <svg> element)") }
    if svg.lowercased().contains("<script") { problems.append("\(place): holds a script") }
    let external = svg.components(separatedBy: "://").dropFirst().count
    let namespaces = svg.components(separatedBy: "http://www.w3.org/").dropFirst().count
    if external > namespaces { problems.append("\(place): refers to a URL outside the page") }
    return problems
  }
}

extension Unicode.Scalar {
  fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
  fileprivate var isASCIILetterOrDigit: Bool { isASCIILetter || ("0"..."9").contains(self) }
}
