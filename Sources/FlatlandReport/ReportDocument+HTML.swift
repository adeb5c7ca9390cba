extension ReportDocument {
  /// The report as one self-contained HTML5 page.
  ///
  /// Inline CSS, inline SVG for every chart, a legend-toggle script the page does not need to
  /// be read, and a Content-Security-Policy that forbids loading anything: the page makes no
  /// request of any kind. Charts are numbered `chart-1`, `chart-2`, … in document order, and
  /// colour keys take palette colours in the order they first appear, so the same document
  /// always gives the same bytes.
  public func html() -> String {
    var renderer = Renderer(palette: Palette(keys: colorKeys))
    var out = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="Content-Security-Policy" content="\(ReportStylesheet.contentSecurityPolicy)">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <title>\(Markup.escaped(title))</title>
      <style>
      \(ReportStylesheet.css)
      </style>
      </head>
      <body>
      <div class="page">
      <header class="report-header">
      <h1>\(Markup.escaped(title))</h1>

      """
    out += Renderer.paragraphs(lead, className: "lead")
    if !generatedAt.isEmpty { out += "<p class=\"meta\">\(Markup.escaped(generatedAt))</p>\n" }
    out += "</header>\n"
    if !sections.isEmpty {
      out += "<nav class=\"toc\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<ol>\n"
      for section in sections {
        out += "<li><a href=\"#\(Markup.escaped(section.id))\">\(Markup.escaped(section.title))</a></li>\n"
      }
      out += "</ol>\n</nav>\n"
    }
    out += "<main>\n"
    for (i, section) in sections.enumerated() {
      out += "<section id=\"\(Markup.escaped(section.id))\">\n"
      out += "<h2><span class=\"number\">\(i + 1)</span>\(Markup.escaped(section.title))</h2>\n"
      out += Renderer.paragraphs(section.intro, className: nil)
      for block in section.blocks { out += renderer.html(block, size: .full) }
      out += "</section>\n"
    }
    out += "</main>\n</div>\n<script>\n\(ReportStylesheet.script)\n</script>\n</body>\n</html>\n"
    return out
  }

  /// Every colour key in the document, in order of appearance.
  var colorKeys: [String] {
    sections.flatMap { $0.blocks.flatMap(ReportDocument.colorKeys) }
  }

  private static func colorKeys(_ block: ReportBlock) -> [String] {
    switch block {
    case .lineChart(let chart):
      return chart.series.compactMap(\.colorKey) + chart.referenceLines.compactMap(\.colorKey)
    case .scatter(let chart):
      return chart.groups.compactMap(\.colorKey) + chart.fits.compactMap(\.colorKey)
    case .grid(let blocks):
      return blocks.flatMap(colorKeys)
    case .text, .table, .verdicts, .figure, .code:
      return []
    }
  }
}

/// Turns blocks into HTML, numbering charts and figures as it goes.
private struct Renderer {
  let palette: Palette
  private var charts = 0
  private var figures = 0

  init(palette: Palette) { self.palette = palette }

  mutating func html(_ block: ReportBlock, size: ChartSize) -> String {
    switch block {
    case .text(let text):
      return Renderer.paragraphs(text, className: nil)
    case .lineChart(let chart):
      charts += 1
      return "<figure class=\"chart-figure\">\n" + chart.svg(id: "chart-\(charts)", palette: palette, size: size)
        + "</figure>\n"
    case .scatter(let chart):
      charts += 1
      return "<figure class=\"chart-figure\">\n" + chart.svg(id: "chart-\(charts)", palette: palette, size: size)
        + "</figure>\n"
    case .table(let table):
      return table.html()
    case .verdicts(let verdicts):
      return "<div class=\"verdicts\">\n" + verdicts.map { $0.html() }.joined() + "</div>\n"
    case .figure(let title, let svg, let caption):
      figures += 1
      var out = "<figure class=\"svg-figure\">\n"
      if !title.isEmpty { out += "<div class=\"figure-title\">\(Markup.escaped(title))</div>\n" }
      out += InlineSVG.prepare(svg, idPrefix: "figure-\(figures)") ?? "<p class=\"meta\">(not an SVG drawing)</p>\n"
      if !caption.isEmpty { out += "<figcaption>\(Markup.escaped(caption))</figcaption>\n" }
      return out + "</figure>\n"
    case .code(let code):
      return "<pre class=\"code\"><code>\(Markup.escaped(code))</code></pre>\n"
    case .grid(let blocks):
      var out = "<div class=\"grid\">\n"
      for child in blocks { out += "<div class=\"cell\">\n" + html(child, size: .compact) + "</div>\n" }
      return out + "</div>\n"
    }
  }

  /// Plain text as `<p>` paragraphs, split at blank lines; nothing for blank text.
  static func paragraphs(_ text: String, className: String?) -> String {
    var paragraphs: [[Substring]] = [[]]
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.allSatisfy(\.isWhitespace) {
        if !paragraphs[paragraphs.count - 1].isEmpty { paragraphs.append([]) }
      } else {
        paragraphs[paragraphs.count - 1].append(line)
      }
    }
    let open = className.map { "<p class=\"\($0)\">" } ?? "<p>"
    return paragraphs.filter { !$0.isEmpty }.map { open + Markup.escaped($0.joined(separator: "\n")) + "</p>\n" }
      .joined()
  }
}
