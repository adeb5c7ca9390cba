/// The symbol of a scatter group. Groups differ in shape as well as colour, so they stay apart
/// in grey-scale print and for readers who do not tell the colours apart.
enum MarkerShape: CaseIterable {
  case circle
  case square
  case triangle
  case diamond

  /// The shape of the group at `index`, cycling through the cases.
  static func at(_ index: Int) -> MarkerShape { allCases[index % allCases.count] }

  /// Draws the symbol centred at (x, y), about 2·`radius` across and of about the same area
  /// whatever its shape, with a white rim that keeps overlapping symbols apart; `tooltip`
  /// becomes its `<title>`.
  func draw(
    at x: Double, _ y: Double, radius r: Double, color: String, tooltip: String? = nil, into canvas: inout SVGCanvas
  ) {
    let c = Markup.coordinate
    let paint: [(String, String)] = [("fill", color), ("stroke", "#ffffff"), ("stroke-width", "0.8")]
    let name: String
    let geometry: [(String, String)]
    switch self {
    case .circle:
      name = "circle"
      geometry = [("cx", c(x)), ("cy", c(y)), ("r", c(r))]
    case .square:
      name = "rect"
      let h = 0.89 * r
      geometry = [("x", c(x - h)), ("y", c(y - h)), ("width", c(2 * h)), ("height", c(2 * h))]
    case .triangle:
      name = "path"
      let (h, w) = (1.17 * r, 1.11 * r)
      geometry = [("d", "M\(c(x)),\(c(y - h)) L\(c(x + w)),\(c(y + 0.71 * h)) L\(c(x - w)),\(c(y + 0.71 * h)) Z")]
    case .diamond:
      name = "path"
      let (h, w) = (1.22 * r, 1.03 * r)
      geometry = [("d", "M\(c(x)),\(c(y - h)) L\(c(x + w)),\(c(y)) L\(c(x)),\(c(y + h)) L\(c(x - w)),\(c(y)) Z")]
    }
    if let tooltip {
      canvas.element(name, geometry + paint, tooltip: tooltip)
    } else {
      canvas.element(name, geometry + paint)
    }
  }
}
