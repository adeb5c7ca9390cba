import FlatlandAnalysis
import Foundation

/// Prints `value` as JSON (`JSONRendering`: sorted keys, stable across runs) or `text`.
func output<T: Encodable>(_ value: T, json: Bool, text: @autoclosure () -> String) throws {
  if json {
    FileHandle.standardOutput.write(try JSONRendering.data(value) + Data("\n".utf8))
  } else {
    print(text())
  }
}

/// Prints `value` as JSON on standard output.
func printJSON<T: Encodable>(_ value: T) throws {
  FileHandle.standardOutput.write(try JSONRendering.data(value) + Data("\n".utf8))
}
