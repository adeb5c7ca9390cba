import FlatlandCore
import Foundation

/// Creating output folders and writing text files into them, with one-line errors that name
/// the path. Writes are atomic: a reader sees the old file or the new one, never half of one.
public enum OutputFolder {
  /// Creates `path` and its parents when missing.
  public static func create(_ path: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw FlatlandError(.io, "cannot create output folder '\(path)'")
    }
  }

  /// Writes `text` as UTF-8 to `path`, atomically (`AtomicFile`: the error names the path and
  /// the system's reason, and no temporary file is left behind).
  public static func write(_ text: String, to path: String) throws {
    try AtomicFile.write(text, to: path)
  }

  /// Writes `value` as JSON (`JSONRendering`) to `path`, atomically.
  public static func writeJSON<T: Encodable>(_ value: T, to path: String) throws {
    try write(try JSONRendering.string(value), to: path)
  }
}
