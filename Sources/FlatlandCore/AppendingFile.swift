#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file opened for appending lines that must reach the disk one by one (metrics logs), whose
/// errors name the path and the system's reason ("No space left on device").
public final class AppendingFile {
  public let path: String
  private let fd: Int32

  /// Opens `path` for appending (it must exist).
  /// - Throws: `FlatlandError` (`.io`) naming `path` when it cannot be opened.
  public init(path: String) throws {
    self.path = path
    fd = open(path, O_WRONLY | O_APPEND)
    guard fd >= 0 else { throw FlatlandError(.io, "cannot append to '\(path)': \(String(cString: strerror(errno)))") }
  }

  deinit { close(fd) }

  /// Appends `text` as UTF-8, all of it or an error.
  public func append(_ text: String) throws {
    var bytes = Array(text.utf8)
    var done = 0
    while done < bytes.count {
      let n = bytes.withUnsafeMutableBytes { raw in
        #if canImport(Glibc)
          Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
        #else
          Darwin.write(fd, raw.baseAddress! + done, raw.count - done)
        #endif
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw FlatlandError(.io, "cannot append to '\(path)': \(String(cString: strerror(errno)))")
      }
      done += n
    }
  }
}
