import Foundation

/// Escaping and number formatting shared by every HTML and SVG writer in the report.
///
/// One fixed format per kind of number, never locale- or clock-dependent, so the same document
/// always renders to the same bytes.
public enum Markup {
  /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities: safe as HTML or SVG text and
  /// inside a double- or single-quoted attribute.
  public static func escaped(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for character in text {
      switch character {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.append(character)
      }
    }
    return out
  }

  /// A pixel coordinate with two decimals (a hundredth of a pixel is below what a screen or
  /// printer resolves); negative zero prints as `0.00`.
  public static func coordinate(_ value: Double) -> String {
    precondition(value.isFinite, "an SVG coordinate must be finite")
    let text = String(format: "%.2f", value)
    return text == "-0.00" ? "0.00" : text
  }

  /// Three significant digits, `%g`-style, with a short exponent and a
  /// typographic minus sign (`−1.5e−5`, `2e6`): the compact form for tick labels and measured values.
  public static func compact(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
    return typographic(shortExponent(String(format: "%.3g", value)))
  }

  /// `value` with a fixed number of decimals and a typographic minus (`−0.25`); tick labels of
  /// one axis share the decimals of its step so they line up.
  static func fixed(_ value: Double, decimals: Int) -> String {
    let text = String(format: "%.\(decimals)f", value)
    return typographic(text.allSatisfy { "-0.".contains($0) } ? String(text.drop { $0 == "-" }) : text)
  }

  /// 10 to the power `exponent` as `10⁻⁵`, `10¹²`: decade labels far from 1.
  static func powerOfTen(_ exponent: Int) -> String {
    let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    let digits = String(abs(exponent)).map { superscripts[Int(String($0))!] }
    return "10" + (exponent < 0 ? "⁻" : "") + String(digits)
  }

  /// `1.5e-05` → `1.5e−5`, `2e+06` → `2e6`.
  private static func shortExponent(_ text: String) -> String {
    guard let e = text.firstIndex(of: "e") else { return text }
    let mantissa = text[..<e]
    var exponent = text[text.index(after: e)...]
    let negative = exponent.first == "-"
    exponent = exponent.drop { $0 == "+" || $0 == "-" }
    exponent = exponent.drop { $0 == "0" }
    return mantissa + "e" + (negative ? "−" : "") + (exponent.isEmpty ? "0" : exponent)
  }

  /// A leading hyphen-minus becomes U+2212, the minus sign typeset in tables and axes.
  private static func typographic(_ text: String) -> String {
    text.hasPrefix("-") ? "−" + text.dropFirst() : text
  }
}
