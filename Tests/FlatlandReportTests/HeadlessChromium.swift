import Foundation

/// Debian's `chromium` run headless on a local file, with a time limit, for the browser test.
///
/// Every run maps all host names to "not found" and uses a fresh profile folder, removed
/// afterwards, so neither the page nor the browser can reach the network or share state with
/// another run.
struct HeadlessChromium {
  static let path = "/usr/bin/chromium"
  static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: path) }

  /// Where profiles and captured output go.
  let folder: URL
  /// Seconds before a run is killed.
  var timeout: Double = 60

  /// The page's DOM after it has loaded and its scripts have run (`--dump-dom`).
  func dumpDOM(_ page: URL) throws -> String {
    let output = folder.appendingPathComponent("dom.html")
    try run(["--dump-dom", page.absoluteString], stdout: output, profile: "profile-dom")
    return try String(contentsOf: output, encoding: .utf8)
  }

  /// A PNG of the page's first `width` × `height` pixels (`--screenshot`).
  func screenshot(_ page: URL, to png: URL, width: Int = 1280, height: Int = 2400) throws {
    try run(
      ["--screenshot=\(png.path)", "--window-size=\(width),\(height)", "--hide-scrollbars", page.absoluteString],
      stdout: folder.appendingPathComponent("screenshot.log"), profile: "profile-screenshot")
  }

  private func run(_ arguments: [String], stdout: URL, profile: String) throws {
    let profileFolder = folder.appendingPathComponent(profile)
    defer { try? FileManager.default.removeItem(at: profileFolder) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: HeadlessChromium.path)
    process.arguments =
      [
        "--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND",
        "--user-data-dir=\(profileFolder.path)", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--disable-dev-shm-usage",
      ] + arguments
    _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
    let sink = try FileHandle(forWritingTo: stdout)
    defer { try? sink.close() }
    process.standardOutput = sink
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    try process.run()
    if finished.wait(timeout: .now() + timeout) == .timedOut {
      process.terminate()
      if finished.wait(timeout: .now() + 5) == .timedOut {
        kill(process.processIdentifier, SIGKILL)
        finished.wait()
      }
      throw ChromiumFailure(message: "chromium \(arguments.first ?? "") did not finish within \(Int(timeout)) s")
    }
    guard process.terminationStatus == 0 else {
      throw ChromiumFailure(
        message: "chromium \(arguments.first ?? "") exited with status \(process.terminationStatus)")
    }
  }
}

struct ChromiumFailure: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
