import FlatlandAnalysis
import FlatlandCore
import Foundation
import Testing

/// The text and JSON forms every report shares.
@Suite struct RenderingTests {
  @Test func textTablePadsColumnsToTheirWidestCell() {
    let t = TextTable(header: ["a", "long header", "c"], rows: [["wide cell", "1"], ["x", "22", "333"]])
    #expect(
      t.lines == [
        "a          long header  c",
        "wide cell  1            ",
        "x          22           333",
      ])
    #expect(TextTable.number(1 / 3) == "0.333333" && TextTable.number(nil) == "-")
  }

  @Test func jsonSortsKeysAndRoundTripsNonFiniteNumbers() throws {
    let value = ["b": Double.infinity, "a": -Double.infinity, "c": 1.5]
    let text = try JSONRendering.string(value)
    #expect(text == "{\n  \"a\" : \"-inf\",\n  \"b\" : \"inf\",\n  \"c\" : 1.5\n}\n")
    let back = try JSONRendering.decode([String: Double].self, from: Data(text.utf8))
    #expect(back == value)
  }
}
