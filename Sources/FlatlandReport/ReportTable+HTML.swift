extension ReportTable {
  /// The table as HTML: a figure with the caption above the table (so a long caption runs the
  /// width of the page, not of the table), header row, body rows; numeric columns right-aligned.
  /// Rows shorter than the header are padded with empty cells, longer ones keep their extra
  /// cells (the validator reports both).
  func html() -> String {
    let width = max(columns.count, rows.map(\.cells.count).max() ?? 0)
    let numeric = (0..<width).map { j in
      let cells = rows.compactMap { j < $0.cells.count ? $0.cells[j] : nil }.filter { !$0.isEmpty }
      return !cells.isEmpty && cells.allSatisfy(ReportTable.isNumeric)
    }
    func cell(_ tag: String, _ text: String, _ j: Int) -> String {
      "<\(tag)\(numeric[j] ? " class=\"num\"" : "")>\(Markup.escaped(text))</\(tag)>"
    }
    var out = "<figure class=\"table-figure\">\n"
    if !caption.isEmpty { out += "<figcaption>\(Markup.escaped(caption))</figcaption>\n" }
    out += "<div class=\"table-wrap\"><table>\n"
    if !columns.isEmpty {
      let headers = (0..<width).map { cell("th", $0 < columns.count ? columns[$0] : "", $0) }
      out += "<thead><tr>" + headers.joined() + "</tr></thead>\n"
    }
    out += "<tbody>\n"
    for row in rows {
      let cells = (0..<width).map { cell("td", $0 < row.cells.count ? row.cells[$0] : "", $0) }
      out += (row.emphasized ? "<tr class=\"emphasized\">" : "<tr>") + cells.joined() + "</tr>\n"
    }
    return out + "</tbody>\n</table></div>\n</figure>\n"
  }
}
