/// An SVG fragment being written: elements in the order they are added, attributes in the order
/// given, text and attribute values escaped. Callers format numbers with `Markup.coordinate`.
struct SVGCanvas {
  private(set) var body = ""

  /// An empty element, `<name a="v" …/>`, or one holding escaped `text`.
  mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
    body += "<" + name + SVGCanvas.attributes(attributes)
    if let text {
      body += ">" + Markup.escaped(text) + "</" + name + ">\n"
    } else {
      body += "/>\n"
    }
  }

  /// An element whose content is a `<title>` tooltip.
  mutating func element(_ name: String, _ attributes: [(String, String)], tooltip: String) {
    body += "<" + name + SVGCanvas.attributes(attributes) + "><title>" + Markup.escaped(tooltip) + "</title></"
    body += name + ">\n"
  }

  mutating func open(_ name: String, _ attributes: [(String, String)]) {
    body += "<" + name + SVGCanvas.attributes(attributes) + ">\n"
  }

  mutating func close(_ name: String) { body += "</" + name + ">\n" }

  mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ attributes: [(String, String)]) {
    let c = Markup.coordinate
    element("line", [("x1", c(x1)), ("y1", c(y1)), ("x2", c(x2)), ("y2", c(y2))] + attributes)
  }

  mutating func text(_ content: String, x: Double, y: Double, _ attributes: [(String, String)]) {
    element("text", [("x", Markup.coordinate(x)), ("y", Markup.coordinate(y))] + attributes, text: content)
  }

  /// The finished `<svg>`: its size as both width/height and viewBox, the root `attributes`,
  /// and a `<title>` first, as screen readers and tooltips expect.
  func document(width: Double, height: Double, title: String, id: String, attributes: [(String, String)]) -> String {
    let w = Markup.coordinate(width)
    let h = Markup.coordinate(height)
    let root: [(String, String)] =
      [("xmlns", "http://www.w3.org/2000/svg"), ("id", id)] + attributes + [
        ("viewBox", "0 0 \(w) \(h)"), ("width", w), ("height", h), ("role", "img"),
        ("aria-labelledby", id + "-title"),
      ]
    return "<svg" + SVGCanvas.attributes(root) + ">\n<title id=\"" + Markup.escaped(id) + "-title\">"
      + Markup.escaped(title) + "</title>\n" + body + "</svg>\n"
  }

  private static func attributes(_ pairs: [(String, String)]) -> String {
    pairs.map { " " + $0.0 + "=\"" + Markup.escaped($0.1) + "\"" }.joined()
  }
}

/// SVG path data, `M x,y L x,y …`, with coordinates in `Markup.coordinate` format.
struct PathData {
  private(set) var text = ""

  var isEmpty: Bool { text.isEmpty }

  mutating func move(_ x: Double, _ y: Double) { add("M", x, y) }
  mutating func line(_ x: Double, _ y: Double) { add("L", x, y) }
  mutating func close() { text += "Z" }

  private mutating func add(_ command: String, _ x: Double, _ y: Double) {
    if !text.isEmpty { text += " " }
    text += command + Markup.coordinate(x) + "," + Markup.coordinate(y)
  }
}
