import FlatlandCore
import Foundation
import Yams

/// An experiment file's top-level mapping: YAML, with JSON accepted as a YAML subset.
public enum ExperimentFile {
  /// The file's keys and values as Foundation objects.
  /// - Throws: `FlatlandError` for an unreadable file, invalid YAML, or a top level that is not
  ///   a mapping.
  public static func mapping(_ path: String) throws -> [String: Any] {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw FlatlandError(.io, "cannot read experiment file '\(path)'")
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
}
