import FlatlandCore
import Foundation

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Downloads a `RemoteDataset` into a directory: resumable, verified and atomic.
///
/// Each file is fetched into `NAME.part`; when a `.part` is already there the request asks
/// only for the missing bytes (`Range: bytes=N-`), and a server that answers with the whole
/// file (200) restarts it. The finished `.part` must match the published SHA-256 before it
/// is renamed to `NAME` (rename is atomic within a directory), so a file under its final
/// name is always complete and verified; a mismatching `.part` is deleted. Archives are
/// unpacked with `tar` into a temporary directory that is renamed into place.
public enum Downloader {
  /// Fetches every file of `dataset` into `directory` (created if needed), from `baseURL`
  /// when given (a mirror, or a local server in tests) instead of the dataset's own, and
  /// reports each step through `log`. Files already present and verified are kept.
  public static func fetch(
    _ dataset: RemoteDataset, into directory: String, baseURL: String? = nil, log: (String) -> Void = { _ in }
  ) throws {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw FlatlandError(.io, "cannot create directory \(directory): \(error.localizedDescription)")
    }
    var base = baseURL ?? dataset.baseURL
    if !base.hasSuffix("/") { base += "/" }
    for file in dataset.files {
      let final = (directory as NSString).appendingPathComponent(file.name)
      if FileManager.default.fileExists(atPath: final) {
        let digest = try SHA256.hex(ofFile: final)
        guard digest == file.sha256 else {
          throw FlatlandError(
            .io, "\(final) exists but its SHA-256 is \(digest), expected \(file.sha256): remove it and fetch again")
        }
        log("\(file.name): present and verified")
        continue
      }
      guard let url = URL(string: base + file.name) else {
        throw FlatlandError.invalid("base URL", base, accepted: "an http:// or https:// URL")
      }
      let part = final + ".part"
      try download(url, to: part, log: log)
      let digest = try SHA256.hex(ofFile: part)
      guard digest == file.sha256 else {
        try? FileManager.default.removeItem(atPath: part)
        throw FlatlandError(
          .io,
          "\(url.absoluteString): SHA-256 of the download is \(digest), expected \(file.sha256): removed it; "
            + "fetch again or try another mirror with --base-url"
        )
      }
      guard rename(part, final) == 0 else {
        throw FlatlandError(.io, "cannot rename \(part) to \(final): \(String(cString: strerror(errno)))")
      }
      log("\(file.name): downloaded and verified")
    }
    if let target = dataset.unpacksTo, let archive = dataset.files.first {
      try unpack(
        (directory as NSString).appendingPathComponent(archive.name), creating: target, in: directory, log: log)
    }
  }

  /// Fetches `url` into `part`, resuming from the bytes already there.
  static func download(_ url: URL, to part: String, log: (String) -> Void) throws {
    let have = (try? FileManager.default.attributesOfItem(atPath: part)[.size] as? Int) ?? 0
    var request = URLRequest(url: url, timeoutInterval: 60)
    if have > 0 {
      request.setValue("bytes=\(have)-", forHTTPHeaderField: "Range")
      log("\(url.lastPathComponent): resuming after \(have) bytes")
    }
    let transfer = Transfer(path: part, resumeFrom: have, url: url)
    let session = URLSession(configuration: .ephemeral, delegate: transfer, delegateQueue: nil)
    session.dataTask(with: request).resume()
    transfer.finished.wait()
    session.finishTasksAndInvalidate()
    if let failure = transfer.failure { throw failure }
  }

  /// Unpacks a `.tar.gz` into a fresh temporary directory next to it, then renames the
  /// directory the archive holds into place.
  static func unpack(_ archive: String, creating target: String, in directory: String, log: (String) -> Void) throws {
    let final = (directory as NSString).appendingPathComponent(target)
    if FileManager.default.fileExists(atPath: final) { return }
    let scratch = (directory as NSString).appendingPathComponent(".unpack-\(ProcessInfo.processInfo.processIdentifier)")
    try? FileManager.default.removeItem(atPath: scratch)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    do {
      try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
      let tar = Process()
      tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      tar.arguments = ["tar", "-xzf", archive, "-C", scratch]
      try tar.run()
      tar.waitUntilExit()
      guard tar.terminationStatus == 0 else {
        throw FlatlandError(.io, "tar could not unpack \(archive) (exit \(tar.terminationStatus))")
      }
    } catch let error as FlatlandError {
      throw error
    } catch {
      throw FlatlandError(.io, "cannot unpack \(archive): \(error.localizedDescription)")
    }
    let unpacked = (scratch as NSString).appendingPathComponent(target)
    guard FileManager.default.fileExists(atPath: unpacked) else {
      throw FlatlandError(.format, "\(archive) does not contain \(target)/")
    }
    guard rename(unpacked, final) == 0 else {
      throw FlatlandError(.io, "cannot move \(unpacked) to \(final): \(String(cString: strerror(errno)))")
    }
    log("\(target): unpacked")
  }
}

/// One HTTP transfer streamed to a file: appends on 206 Partial Content (resuming), rewrites
/// on 200, accepts 416 when the partial file is already whole, and fails on anything else.
/// The task always runs to completion (the body of a refused response is discarded, never
/// cancelled), so `finished` is always signalled. URLSession calls the delegate on its own
/// serial queue; the caller reads `failure` only after `finished`, which orders the accesses.
private final class Transfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
  let path: String
  let resumeFrom: Int
  let url: URL
  let finished = DispatchSemaphore(value: 0)
  var failure: FlatlandError?
  private var handle: FileHandle?

  init(path: String, resumeFrom: Int, url: URL) {
    self.path = path
    self.resumeFrom = resumeFrom
    self.url = url
  }

  func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    let range = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Range") ?? ""
    switch status {
    case 206 where resumeFrom > 0 && range.hasPrefix("bytes \(resumeFrom)-"):
      handle = FileHandle(forWritingAtPath: path)
      handle?.seekToEndOfFile()
      if handle == nil { failure = FlatlandError(.io, "cannot write \(path)") }
    case 200:
      _ = FileManager.default.createFile(atPath: path, contents: nil)
      handle = FileHandle(forWritingAtPath: path)
      if handle == nil { failure = FlatlandError(.io, "cannot write \(path)") }
    case 416 where resumeFrom > 0:
      break  // nothing left to fetch: the digest check decides
    default:
      failure = FlatlandError(
        .io, "\(url.absoluteString): HTTP status \(status)\(range.isEmpty ? "" : " (\(range))"): expected 200 or 206")
    }
    completionHandler(.allow)
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
    guard failure == nil, let handle else { return }
    do {
      try handle.write(contentsOf: data)
    } catch {
      failure = FlatlandError(.io, "cannot write \(path): \(error.localizedDescription)")
    }
  }

  func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
    try? handle?.close()
    if failure == nil, let error {
      failure = FlatlandError(
        .io,
        "\(url.absoluteString): download failed: \(error.localizedDescription) (run the same command again to resume)")
    }
    finished.signal()
  }
}
