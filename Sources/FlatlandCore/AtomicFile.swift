import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writing a whole file so that a reader, a kill or a full disk never leaves half of one.
///
/// The bytes go to `PATH.tmp`, are synced to disk, then renamed over `PATH` (rename is atomic
/// within a file system), so `PATH` holds either its old content or the new one. On any failure
/// the temporary file is removed and the error names the path and the system's reason ("No
/// space left on device", "File too large", "Permission denied").
public enum AtomicFile {
  /// Writes `bytes` to `path` atomically.
  /// - Throws: `FlatlandError` (`.io`) naming `path` when it is a directory or cannot be written.
  public static func write(_ bytes: some ContiguousBytes, to path: String) throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
      throw FlatlandError(.io, "cannot write '\(path)': it is a directory, expected a file path")
    }
    let temp = path + ".tmp"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw failure(path, errno) }
    var error: Int32 = 0
    bytes.withUnsafeBytes { raw in
      var done = 0
      while done < raw.count {
        let n = systemWrite(fd, raw.baseAddress! + done, raw.count - done)
        if n < 0 {
          if errno == EINTR { continue }
          error = errno
          return
        }
        done += n
      }
    }
    if error == 0, fsync(fd) != 0 { error = errno }
    if close(fd) != 0, error == 0 { error = errno }
    if error == 0, rename(temp, path) != 0 { error = errno }
    guard error == 0 else {
      unlink(temp)
      throw failure(path, error)
    }
  }

  /// Throws, naming the first of `paths` that exists, unless none does: the check a command
  /// makes before writing results, so an earlier run's files are never replaced silently.
  /// - Parameter remedy: what the user may do instead, e.g. "choose another --out or pass --force".
  public static func refuseOverwriting(_ paths: [String], remedy: String) throws {
    guard let taken = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return }
    throw FlatlandError(.invalidArgument, "'\(taken)' already exists: \(remedy)")
  }

  /// Writes `text` as UTF-8 to `path` atomically.
  public static func write(_ text: String, to path: String) throws {
    try write(Data(text.utf8), to: path)
  }

  private static func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
      Glibc.write(fd, bytes, count)
    #else
      Darwin.write(fd, bytes, count)
    #endif
  }

  private static func failure(_ path: String, _ code: Int32) -> FlatlandError {
    FlatlandError(.io, "cannot write '\(path)': \(String(cString: strerror(code)))")
  }
}
