import Foundation

/// Writes `contents` to a fresh file in the temporary directory and returns its path.
func temporaryFile(_ contents: String, suffix: String) throws -> String {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent(
    "flatland-topology-\(UUID().uuidString)\(suffix)")
  try contents.write(to: url, atomically: true, encoding: .utf8)
  return url.path
}

/// The message of the error `body` throws, or nil when it does not throw.
func errorMessage(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch {
    return "\(error)"
  }
}
