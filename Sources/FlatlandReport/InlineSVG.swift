import Foundation

/// An SVG drawn elsewhere, made ready to sit inline in the page.
///
/// Everything before the `<svg` tag (an XML prolog, a doctype, comments) is dropped, as HTML
/// does not accept a prolog mid-document. Element ids, and the `url(#…)` and `href="#…"`
/// references to them, get a per-figure prefix: two landscape slices that both define
/// `id="plot"` would otherwise share one clip path.
enum InlineSVG {
  /// The prepared markup, or nil when `svg` has no `<svg` tag.
  static func prepare(_ svg: String, idPrefix: String) -> String? {
    guard let start = svg.range(of: "<svg") else { return nil }
    var text = String(svg[start.lowerBound...])
    let prefix = NSRegularExpression.escapedTemplate(for: idPrefix + "-")
    let rules = [
      (#"(\s)id=(["'])"#, "$1id=$2" + prefix),
      (#"url\((["']?)#"#, "url($1#" + prefix),
      (#"href=(["'])#"#, "href=$1#" + prefix),
    ]
    for (pattern, template) in rules {
      let expression = try! NSRegularExpression(pattern: pattern)
      text = expression.stringByReplacingMatches(
        in: text, range: NSRange(text.startIndex..., in: text), withTemplate: template)
    }
    return text.hasSuffix("\n") ? text : text + "\n"
  }
}
