import Foundation
import Testing

@testable import FlatlandReport

/// Opens the sample report in headless Chromium and fails on a JavaScript error, a network or
/// file request, a policy violation, or a chart that is missing, empty or has no size.
///
/// The test loads a copy of the report with a probe script added (the report itself has none):
/// the probe's first part, at the top of `<head>`, records errors, unhandled rejections and
/// policy violations; its second part, at the end of `<body>`, clicks a legend entry twice to
/// check the toggle script, then (there and again on `load`) measures every chart and writes
/// the findings as JSON into `<pre id="probe">`, which `--dump-dom` returns. Without
/// /usr/bin/chromium the test is skipped, except under CI, where it fails.
@Suite struct BrowserTests {
  static let underCI = ProcessInfo.processInfo.environment["CI"] == "true"

  /// What the probe found.
  struct Findings: Decodable {
    struct Box: Decodable {
      let id: String
      let points: Int
      let width: Double
      let height: Double
    }
    let phase: String
    let errors: [String]
    let resources: [String]
    let charts: [Box]
    let figures: [Box]
    /// How many elements of the first chart's first series a click on its legend entry hid.
    let toggled: Int
  }

  static let probeHead = """
    <script>
    window.__probe = { errors: [] };
    window.addEventListener("error", function (e) {
      var where = e.filename ? " at " + e.filename + ":" + e.lineno
        : (e.target && e.target.tagName ? " on " + e.target.tagName : "");
      window.__probe.errors.push(String(e.message || "error event") + where);
    }, true);
    window.addEventListener("unhandledrejection", function (e) {
      window.__probe.errors.push("unhandled rejection: " + String(e.reason));
    });
    document.addEventListener("securitypolicyviolation", function (e) {
      window.__probe.errors.push("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
    });
    </script>

    """

  static let probeTail = """
    <script>
    (function () {
      function box(element) {
        var r = element.getBoundingClientRect();
        var points = Number(element.getAttribute("data-points") || "0");
        return { id: element.id || "", points: points, width: r.width, height: r.height };
      }
      function toggledByClick() {
        var item = document.querySelector("svg.chart .legend-item");
        if (!item) { return 0; }
        item.dispatchEvent(new MouseEvent("click", { bubbles: true }));
        var selector = '.series.hidden[data-series="' + item.getAttribute("data-series") + '"]';
        var hidden = item.ownerSVGElement.querySelectorAll(selector).length;
        item.dispatchEvent(new MouseEvent("click", { bubbles: true }));
        return hidden;
      }
      var toggled = toggledByClick();
      function report(phase) {
        var out = document.getElementById("probe");
        if (!out) { out = document.createElement("pre"); out.id = "probe"; document.body.appendChild(out); }
        out.textContent = JSON.stringify({
          phase: phase,
          errors: window.__probe.errors,
          resources: performance.getEntriesByType("resource").map(function (r) { return r.name; }),
          charts: Array.prototype.map.call(document.querySelectorAll("svg.chart"), box),
          figures: Array.prototype.map.call(document.querySelectorAll(".svg-figure > svg"), box),
          toggled: toggled
        });
      }
      report("inline");
      window.addEventListener("load", function () { report("load"); });
    })();
    </script>

    """

  /// `html` with the probe's parts after `<head>` and before `</body>`.
  static func probed(_ html: String) -> String {
    html.replacingOccurrences(of: "<head>\n", with: "<head>\n" + probeHead).replacingOccurrences(
      of: "</body>", with: probeTail + "</body>")
  }

  /// The probe's JSON from a dumped DOM, entities decoded.
  static func findings(in dom: String) throws -> Findings {
    let open = try #require(dom.range(of: "<pre id=\"probe\">"), "the probe wrote no findings")
    let close = try #require(dom.range(of: "</pre>", range: open.upperBound..<dom.endIndex))
    let json = String(dom[open.upperBound..<close.lowerBound]).replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&nbsp;", with: "\u{a0}")
      .replacingOccurrences(of: "&amp;", with: "&")
    return try JSONDecoder().decode(Findings.self, from: Data(json.utf8))
  }

  @Test(
    .enabled(
      if: HeadlessChromium.isInstalled || BrowserTests.underCI,
      "no /usr/bin/chromium: install it with `bash scripts/setup.sh --browser` to run the browser check"))
  func theReportLoadsCleanlyInHeadlessChromium() throws {
    guard HeadlessChromium.isInstalled else {
      Issue.record("CI=true but /usr/bin/chromium is missing: run `bash scripts/setup.sh --browser`")
      return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "flatland-report-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let html = SampleReport.document.html()
    #expect(!html.contains("__probe"), "the shipped report must not carry the probe")
    let report = folder.appendingPathComponent("report.html")
    let probe = folder.appendingPathComponent("report-probe.html")
    try html.write(to: report, atomically: true, encoding: .utf8)
    try BrowserTests.probed(html).write(to: probe, atomically: true, encoding: .utf8)

    let chromium = HeadlessChromium(folder: folder)
    let findings = try BrowserTests.findings(in: chromium.dumpDOM(probe))
    #expect(findings.phase == "load", "the page never finished loading")
    #expect(findings.errors == [], "JavaScript errors or policy violations")
    #expect(findings.resources == [], "the page requested resources")
    let expected = ReportRenderingTests.chartAttribute("id", in: html)
    #expect(expected.count == 6)
    #expect(findings.charts.map(\.id) == expected, "charts missing from the page")
    for chart in findings.charts {
      #expect(chart.points > 0, "chart \(chart.id) is empty")
      #expect(chart.width > 100 && chart.height > 100, "chart \(chart.id) is \(chart.width) × \(chart.height)")
    }
    #expect(findings.toggled == 2, "a click on a legend entry hides its band and its curve")
    #expect(findings.figures.count == 2)
    for figure in findings.figures {
      #expect(figure.width > 50 && figure.height > 50, "figure \(figure.id) has no size")
    }

    let png = folder.appendingPathComponent("report.png")
    try chromium.screenshot(report, to: png)
    let bytes = try Data(contentsOf: png)
    #expect(bytes.count > 10_000 && bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "no PNG screenshot")
    print("browser check: report \(report.path), screenshot \(png.path)")
  }
}
