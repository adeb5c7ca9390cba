import Foundation
import Testing

@testable import FlatlandReport

@Suite struct ReportRenderingTests {
  /// The values of attribute `name` on every `<svg class="chart">`, in order.
  static func chartAttribute(_ name: String, in html: String) -> [String] {
    html.components(separatedBy: "<svg").dropFirst().filter { $0.contains(" class=\"chart\"") }.compactMap { tag in
      guard let start = tag.range(of: " \(name)=\"") else { return nil }
      return String(tag[start.upperBound...].prefix { $0 != "\"" })
    }
  }

  /// Whether every coordinate, size, path and transform attribute holds only finite numbers
  /// between path commands and transform names.
  static func geometryIsFinite(_ html: String) -> Bool {
    let names = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "d", "transform"]
    return names.allSatisfy { name in
      html.components(separatedBy: " \(name)=\"").dropFirst().allSatisfy { value in
        value.prefix { $0 != "\"" }.split { " ,()MLZ".contains($0) }.allSatisfy { token in
          token == "translate" || token == "rotate" || Double(token)?.isFinite == true
        }
      }
    }
  }

  static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

  private func document(_ blocks: [ReportBlock], title: String = "T") -> ReportDocument {
    ReportDocument(title: title, sections: [ReportSection(id: "s", title: "S", blocks: blocks)])
  }

  @Test func everyCoordinateIsANumber() {
    #expect(ReportRenderingTests.geometryIsFinite(SampleReport.document.html()))
    #expect(!ReportRenderingTests.geometryIsFinite("<path d=\"M0,nan\"/>"))
  }

  @Test func renderingIsByteIdentical() {
    #expect(SampleReport.document.html() == SampleReport.document.html())
    #expect(SampleReport.document.html().utf8.count > 20_000)
  }

  @Test func thePageIsSelfContained() {
    let html = SampleReport.document.html()
    #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
    #expect(
      html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          + "img-src data:; script-src 'unsafe-inline'\">"))
    // The only URL anywhere is the SVG namespace name.
    let namespace = "http://www.w3.org/2000/svg"
    let urls = ReportRenderingTests.count("http://", in: html) + ReportRenderingTests.count("https://", in: html)
    #expect(urls == ReportRenderingTests.count(namespace, in: html))
    #expect(urls > 0)
    for reference in ["src=", "@import", "url(http", "<link", "<img"] { #expect(!html.contains(reference)) }
  }

  @Test func everyBlockKindIsRendered() {
    let html = SampleReport.document.html()
    let intervals = ReportRenderingTests.count("<svg class=\"interval\"", in: html)
    #expect(intervals == 4)
    #expect(ReportRenderingTests.count("<svg", in: html) == 6 + 2 + intervals)
    #expect(ReportRenderingTests.chartAttribute("class", in: html).count == 6)
    #expect(html.contains("<div class=\"grid\">"))
    #expect(html.contains("<figcaption>Final test accuracy (mean over 5 seeds, 95% interval)</figcaption>"))
    #expect(html.contains("<table>") && html.contains("<tr class=\"emphasized\">"))
    #expect(html.contains("<td class=\"num\">0.879</td>") && html.contains("<td>diffusion</td>"))
    #expect(ReportRenderingTests.count("<article class=\"verdict ", in: html) == 3)
    for kind in ["supported", "not-supported", "inconclusive"] { #expect(html.contains("class=\"verdict \(kind)\"")) }
    #expect(html.contains("<pre class=\"code\"><code>flatland reproduce --config reproduce.yaml"))
    #expect(html.contains("<p>Accuracy is measured on the 10 000 held-out images.</p>\n<p>λ_max is"))
    #expect(html.contains("<li><a href=\"#verdicts\">Verdicts</a></li>"))
    // Each chart has a title element, a viewBox, and a positive point count.
    #expect(ReportRenderingTests.chartAttribute("viewBox", in: html).allSatisfy { $0.hasPrefix("0 0 ") })
    #expect(
      ReportRenderingTests.chartAttribute("data-points", in: html).map { Int($0)! } == [183, 183, 77, 243, 15, 15])
    #expect(html.contains("<title id=\"chart-3-title\">Escape time against step size</title>"))
  }

  @Test func markupInTextIsEscaped() {
    let attack = "<script>alert(\"x\")</script> & 'more'"
    let chart = LineChart(
      title: attack, xLabel: attack, yLabel: "y", series: [.init(name: attack, x: [0, 1], y: [0, 1])])
    let table = ReportTable(caption: attack, columns: [attack], rows: [.init([attack])])
    let verdict = Verdict(
      claim: attack, title: attack, statement: attack, outcome: .supported,
      evidence: [.init(comparison: attack, difference: 1, lower: 0.5, upper: 1.5, n: 3)], explanation: attack)
    let html = ReportDocument(
      title: attack, lead: attack, generatedAt: attack,
      sections: [
        ReportSection(
          id: "s", title: attack, intro: attack,
          blocks: [
            .text(attack), .code(attack), .lineChart(chart), .table(table), .verdicts([verdict]),
            .figure(title: attack, svg: SampleReport.ringSVG, caption: attack),
          ])
      ]
    ).html()
    #expect(!html.contains("<script>alert"))
    #expect(ReportRenderingTests.count("<script>", in: html) == 1)
    #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39;"))
  }

  @Test func nonFinitePointsAreDroppedAndCounted() {
    let chart = LineChart(
      title: "t", xLabel: "x", yLabel: "y",
      series: [.init(name: "a", x: [0, 1, 2, 3, 4, .nan], y: [1, .nan, 3, .infinity, 5, 6])])
    let html = document([.lineChart(chart)]).html()
    #expect(ReportRenderingTests.chartAttribute("data-points", in: html) == ["3"])
    #expect(ReportRenderingTests.chartAttribute("data-dropped", in: html) == ["3"])
    #expect(html.contains("3 points with a non-finite value not drawn"))
    #expect(ReportRenderingTests.geometryIsFinite(html))
    // Each drawn point stands alone between breaks, so each gets a dot.
    #expect(ReportRenderingTests.count("<circle", in: html) == 3)
  }

  @Test func nonpositiveValuesAreLeftOffALogAxis() {
    let chart = LineChart(
      title: "t", xLabel: "x", yLabel: "y", yScale: .log,
      series: [.init(name: "a", x: [1, 2, 3, 4], y: [0.5, 0, -2, 8], lower: [0.1, -1, -3, 4], upper: [1, 1, 1, 16])])
    let html = document([.lineChart(chart)]).html()
    #expect(ReportRenderingTests.chartAttribute("data-points", in: html) == ["2"])
    #expect(html.contains("2 points with a value ≤ 0 not drawn on the log axis"))
    // The band is still drawn where its lower edge is ≤ 0: clamped to the bottom of the axis.
    #expect(html.contains("class=\"series band\""))
  }

  @Test func anEmptyChartSaysSo() {
    let html = document([
      .lineChart(LineChart(title: "t", xLabel: "x", yLabel: "y", series: [])),
      .scatter(ScatterChart(title: "s", xLabel: "x", yLabel: "y", groups: [.init(name: "g", points: [])])),
    ]).html()
    #expect(ReportRenderingTests.chartAttribute("data-points", in: html) == ["0", "0"])
    #expect(ReportRenderingTests.count(">no data</text>", in: html) == 2)
  }

  @Test func colorKeysGiveOneColourPerKeyAcrossCharts() {
    func chart(_ names: [String]) -> ReportBlock {
      .lineChart(
        LineChart(
          title: "t", xLabel: "x", yLabel: "y",
          series: names.map { .init(name: $0, x: [0, 1], y: [0, 1], colorKey: $0) }))
    }
    let html = document([chart(["a", "b"]), chart(["b"])]).html()
    let blue = Palette.colors[0]
    let vermillion = Palette.colors[1]
    // "b" is the second key in the document, so it is vermillion in both charts.
    let strokes = html.components(separatedBy: "fill=\"none\" stroke=\"").dropFirst().map { String($0.prefix(7)) }
    #expect(strokes == [blue, vermillion, vermillion])
  }

  @Test func figuresLoseTheirPrologAndGetTheirOwnIds() {
    let html = SampleReport.document.html()
    #expect(!html.contains("<?xml"))
    #expect(html.contains("<clipPath id=\"figure-1-plot\">") && html.contains("clip-path=\"url(#figure-2-plot)\""))
    #expect(!html.contains("id=\"plot\""))
  }

  @Test func tablesAlignNumericColumnsRight() {
    #expect(ReportTable.isNumeric("−0.25") && ReportTable.isNumeric("[0.12, 0.31]") && ReportTable.isNumeric("1e-5"))
    #expect(ReportTable.isNumeric("0.3 ± 0.1") && ReportTable.isNumeric("95%"))
    #expect(!ReportTable.isNumeric("ring") && !ReportTable.isNumeric("") && !ReportTable.isNumeric("K = 16"))
    let table = ReportTable(caption: "", columns: ["name", "value"], rows: [.init(["a", "1.5"]), .init(["b", ""])])
    #expect(table.html().contains("<tr><th>name</th><th class=\"num\">value</th></tr>"))
  }
}
