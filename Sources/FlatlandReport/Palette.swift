/// Series colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design"), whose
/// colours stay distinct under the common colour-vision deficiencies, less its yellow, which is
/// too pale on white.
///
/// A series with a colour key takes the colour of that key's first appearance in the document
/// (the first key met is blue, the second vermillion, …), so "diffusion" is the same colour in
/// every chart; a series without a key takes the colour of its position in its chart. Keys
/// beyond the palette's length wrap around.
struct Palette: Equatable {
  static let colors = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"]

  /// Reference lines, fits without a key, and other annotations.
  static let neutral = "#555555"

  private let slots: [String: Int]

  /// A palette giving each distinct key the next colour, in the order given.
  init(keys: [String]) {
    var slots: [String: Int] = [:]
    for key in keys where slots[key] == nil { slots[key] = slots.count }
    self.slots = slots
  }

  /// The colour of the series at `index` in its chart, or of `key` when there is one.
  func color(index: Int, key: String?) -> String {
    let slot = key.flatMap { slots[$0] } ?? index
    return Palette.colors[slot % Palette.colors.count]
  }

  /// The colour of `key`, or the neutral grey without one.
  func color(key: String?) -> String {
    guard let key else { return Palette.neutral }
    return color(index: 0, key: key)
  }
}
