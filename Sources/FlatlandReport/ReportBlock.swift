/// One piece of a report section, rendered in order.
public enum ReportBlock: Sendable, Equatable {
  /// Plain text; blank lines separate paragraphs. Markup in it is shown, not interpreted.
  case text(String)
  case lineChart(LineChart)
  case scatter(ScatterChart)
  case table(ReportTable)
  /// Claim cards, one per verdict.
  case verdicts([Verdict])
  /// An SVG drawn elsewhere (a topology drawing, a landscape slice), embedded inline under
  /// `title` with `caption` below. An XML prolog or doctype before the `<svg>` is dropped, and
  /// its element ids are prefixed so that several figures can share a page.
  case figure(title: String, svg: String, caption: String)
  /// Preformatted text in a monospaced block: command lines, configs, versions.
  case code(String)
  /// Blocks side by side (small multiples), wrapping onto more rows on narrow pages. Charts in
  /// a grid are drawn smaller so that their text keeps its size.
  case grid([ReportBlock])
}
