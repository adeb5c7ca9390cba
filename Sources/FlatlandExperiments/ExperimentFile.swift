import FlatlandCore
import Foundation
import Yams

/// An experiment file's top-level mapping: YAML, with JSON accepted as a YAML subset.
///
/// Yams bounds neither a file's aliases nor the size they expand to, so a few hundred bytes of
/// nested aliases (the "billion laughs") would grow for minutes; the file's size and its
/// aliases are bounded before it is parsed.
public enum ExperimentFile {
  /// The largest experiment file read: far above any real config (about 1 kB), low enough that
  /// parsing it is instant.
  public static let maximumSize = 1 << 20

  /// The most YAML aliases a file may use. k aliases nested in levels expand a document at most
  /// about e^(k/e)-fold (the billion laughs: 9 levels of 9 aliases reach 9⁹ nodes); 16 keep it
  /// below 400-fold while leaving room for sharing a few values.
  public static let maximumAliases = 16

  /// The file's keys and values as Foundation objects.
  /// - Throws: `FlatlandError` for an unreadable file, one over `maximumSize` bytes or with more
  ///   than `maximumAliases` aliases, invalid YAML, or a top level that is not a mapping.
  public static func mapping(_ path: String) throws -> [String: Any] {
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    guard size <= maximumSize else {
      throw FlatlandError(
        .invalidArgument, "experiment file '\(path)' has \(size) bytes: expected at most \(maximumSize)")
    }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw FlatlandError(.io, "cannot read experiment file '\(path)'")
    }
    let aliases = aliasCount(text)
    guard aliases <= maximumAliases else {
      throw FlatlandError(
        .invalidArgument,
        "experiment file '\(path)' uses \(aliases) YAML aliases (*name): expected at most \(maximumAliases), since "
          + "nested aliases multiply the document's size"
      )
    }
    let node: Any?
    do {
      node = try Yams.load(yaml: text)
    } catch {
      throw FlatlandError(
        .format,
        "experiment file '\(path)' is not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
    }
    guard let fields = node as? [String: Any] else {
      throw FlatlandError(.format, "experiment file '\(path)' must be a mapping of keys")
    }
    return fields
  }

  /// An upper bound of the aliases in a YAML text: every `*` that starts a token (at a line
  /// start, or after a space, tab, `[`, `{`, `,`, `:`, `-` or `?`) and is followed by a name.
  static func aliasCount(_ text: String) -> Int {
    var count = 0
    var previous = UInt8(ascii: "\n")
    var starting = false
    for byte in text.utf8 {
      if starting, !" \t\r\n".utf8.contains(byte) { count += 1 }
      starting = byte == UInt8(ascii: "*") && " \t\n[{,:-?".utf8.contains(previous)
      previous = byte
    }
    return count
  }
}
