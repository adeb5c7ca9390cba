import FlatlandCore
import Testing

@testable import FlatlandReport

@Suite struct ReportValidationTests {
  @Test func theSampleReportIsValid() throws {
    #expect(SampleReport.document.problems == [])
    try SampleReport.document.validate()
  }

  @Test func problemsNameTheirPlace() {
    let document = ReportDocument(
      title: "",
      sections: [
        ReportSection(
          id: "a", title: "A",
          blocks: [
            .lineChart(
              LineChart(
                title: "loss", xLabel: "x", yLabel: "y", yScale: .log,
                series: [.init(name: "s", x: [1, 2, 3], y: [0, -1], lower: [1, 2])])),
            .scatter(ScatterChart(title: "sc", xLabel: "x", yLabel: "y", groups: [])),
            .grid([
              .lineChart(LineChart(title: "", xLabel: "x", yLabel: "y", series: [.init(name: "s", x: [1], y: [1])]))
            ]),
            .table(ReportTable(caption: "tab", columns: ["a", "b"], rows: [.init(["1"])])),
            .verdicts([
              Verdict(
                claim: "Claim 1", title: "t", statement: "s", outcome: .supported,
                evidence: [.init(comparison: "d", difference: 1, lower: 2, upper: 0, n: 3)], explanation: "")
            ]),
            .figure(title: "f", svg: "<svg><image href=\"https://example.org/x.png\"/></svg>", caption: ""),
          ]),
        ReportSection(id: "a", title: "A again", blocks: [.figure(title: "g", svg: "not svg", caption: "")]),
        ReportSection(id: "2nd", title: "bad id", blocks: []),
      ])
    #expect(
      document.problems == [
        "the report has no title",
        "section 'a', chart 'loss', series 's': 3 x values but 2 y values",
        "section 'a', chart 'loss', series 's': a band needs both lower and upper",
        "section 'a', chart 'loss', series 's': 2 lower band values for 3 points",
        "section 'a', chart 'loss', series 's': no point can be drawn",
        "section 'a', chart 'loss': the chart has no point to draw",
        "section 'a', chart 'sc': the chart has no point to draw",
        "section 'a', chart '': the chart has no title",
        "section 'a', table 'tab', row 1: 1 cells for 2 columns",
        "section 'a', Claim 1, evidence 'd': interval lower end above its upper end",
        "section 'a', figure 'f': refers to a URL outside the page",
        "section 'a': the id is used by an earlier section",
        "section 'a', figure 'g': not an SVG drawing (no <svg> element)",
        "section '2nd': the id must be a letter followed by letters, digits, '-' or '_'",
      ])
    #expect(throws: FlatlandError(.invalidArgument, "invalid report: the report has no title (and 13 more)")) {
      try document.validate()
    }
  }
}
