import FlatlandCore
import Foundation
import Testing

@testable import FlatlandData

/// A Python HTTP server on 127.0.0.1 (random port) that honours `Range: bytes=N-` and logs
/// each request's path and Range header, so resumption can be checked. No test leaves the
/// machine.
final class LocalServer {
  let process = Process()
  let input = Pipe()
  let port: Int
  let log: String

  static let script = """
    import http.server, os, re, sys, threading
    root, log = sys.argv[1], sys.argv[2]
    # Exit when the test closes our stdin (or dies), whatever signals the parent blocks.
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            rng = self.headers.get('Range', '')
            with open(log, 'a') as f: f.write(f'{self.path} {rng}\\n')
            path = os.path.join(root, self.path.lstrip('/'))
            if not os.path.isfile(path):
                self.send_error(404); return
            data = open(path, 'rb').read()
            m = re.fullmatch(r'bytes=(\\d+)-', rng)
            start = int(m.group(1)) if m else 0
            if m and start >= len(data):
                self.send_response(416); self.send_header('Content-Range', f'bytes */{len(data)}')
                self.send_header('Content-Length', '0'); self.end_headers(); return
            if m:
                self.send_response(206); self.send_header('Content-Range', f'bytes {start}-{len(data)-1}/{len(data)}')
            else:
                self.send_response(200)
            self.send_header('Content-Length', str(len(data) - start)); self.end_headers()
            self.wfile.write(data[start:])
        def log_message(self, *args): pass
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
    """

  init(serving root: String) throws {
    log = (root as NSString).appendingPathComponent("requests.log")
    let out = Pipe()
    // Debian's interpreter directly: a version-manager shim would stand between us and the
    // server process and keep it alive after terminate().
    let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    process.executableURL = URL(fileURLWithPath: python ?? "/usr/bin/env")
    process.arguments = (python == nil ? ["python3"] : []) + ["-c", LocalServer.script, root, log]
    process.standardOutput = out
    process.standardInput = input
    try process.run()
    var line = Data()
    while !line.contains(UInt8(ascii: "\n")) {
      let chunk = out.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      line += chunk
    }
    guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
      try? input.fileHandleForWriting.close()
      throw FlatlandError(.io, "test HTTP server did not start")
    }
    self.port = port
  }

  var baseURL: String { "http://127.0.0.1:\(port)/" }
  var requests: [String] {
    ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
  }

  deinit {
    try? input.fileHandleForWriting.close()
    process.waitUntilExit()
  }
}

@Suite(.serialized) struct DownloaderTests {
  let payloads: [String: [UInt8]] = [
    "a.bin": (0..<300_000).map { UInt8(($0 * 13 + 5) % 256) },
    "b.bin": Array("small file\n".utf8),
  ]

  func setUp() throws -> (server: LocalServer, served: String, target: String, dataset: RemoteDataset) {
    let served = try Fixtures.directory()
    for (name, bytes) in payloads { try Fixtures.write(bytes, to: "\(served)/\(name)") }
    let dataset = RemoteDataset(
      name: "test", baseURL: "http://127.0.0.1:9/unused/",
      files: payloads.keys.sorted().map { RemoteDataset.File(name: $0, sha256: SHA256.hex(payloads[$0]!)) })
    return (try LocalServer(serving: served), served, try Fixtures.directory() + "/nested/dir", dataset)
  }

  @Test func downloadsVerifiesAndSkipsFilesAlreadyPresent() throws {
    let (server, _, target, dataset) = try setUp()
    var messages: [String] = []
    try Downloader.fetch(dataset, into: target, baseURL: server.baseURL) { messages.append($0) }
    for (name, bytes) in payloads {
      #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(target)/\(name)"))) == bytes)
      #expect(!FileManager.default.fileExists(atPath: "\(target)/\(name).part"))
    }
    try Downloader.fetch(dataset, into: target, baseURL: server.baseURL) { messages.append($0) }
    #expect(server.requests.count == 2, "the second fetch finds both files verified: \(server.requests)")
    #expect(messages.filter { $0.contains("present and verified") }.count == 2)
  }

  @Test func resumesAPartialFileWithARangeRequest() throws {
    let (server, _, target, dataset) = try setUp()
    try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
    try Fixtures.write(Array(payloads["a.bin"]!.prefix(123_456)), to: "\(target)/a.bin.part")
    try Downloader.fetch(dataset, into: target, baseURL: server.baseURL)
    #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(target)/a.bin"))) == payloads["a.bin"]!)
    #expect(server.requests.contains("/a.bin bytes=123456-"), "\(server.requests)")
    // A .part that is already whole gets 416 and is verified as it is.
    try FileManager.default.removeItem(atPath: "\(target)/b.bin")
    try Fixtures.write(payloads["b.bin"]!, to: "\(target)/b.bin.part")
    try Downloader.fetch(dataset, into: target, baseURL: server.baseURL)
    #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(target)/b.bin"))) == payloads["b.bin"]!)
  }

  @Test func digestMismatchRemovesThePartialFileAndNamesBothDigests() throws {
    let (server, _, target, dataset) = try setUp()
    var wrong = dataset
    wrong.files[0].sha256 = String(repeating: "0", count: 64)
    let error = Fixtures.error { try Downloader.fetch(wrong, into: target, baseURL: server.baseURL) }
    #expect(error?.kind == .io)
    #expect(error?.message.contains("expected " + String(repeating: "0", count: 64)) == true)
    #expect(error?.message.contains(dataset.files[0].sha256) == true, "\(error?.message ?? "")")
    #expect(
      !FileManager.default.fileExists(atPath: "\(target)/a.bin")
        && !FileManager.default.fileExists(atPath: "\(target)/a.bin.part"))
  }

  @Test func missingRemoteFileIsAnHTTPError() throws {
    let (server, _, target, dataset) = try setUp()
    var missing = dataset
    missing.files = [RemoteDataset.File(name: "nothere.bin", sha256: dataset.files[0].sha256)]
    let error = Fixtures.error { try Downloader.fetch(missing, into: target, baseURL: server.baseURL) }
    #expect(error?.message.contains("HTTP status 404") == true, "\(error?.message ?? "no error")")
  }

  @Test func archivesAreUnpackedIntoPlace() throws {
    let (server, served, target, _) = try setUp()
    let staging = try Fixtures.directory()
    try FileManager.default.createDirectory(atPath: "\(staging)/batches", withIntermediateDirectories: true)
    try Fixtures.write(Array("inside".utf8), to: "\(staging)/batches/x.bin")
    let tar = Process()
    tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    tar.arguments = ["tar", "-czf", "\(served)/archive.tar.gz", "-C", staging, "batches"]
    try tar.run()
    tar.waitUntilExit()
    let archive = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "\(served)/archive.tar.gz")))
    let dataset = RemoteDataset(
      name: "t", baseURL: "", files: [.init(name: "archive.tar.gz", sha256: SHA256.hex(archive))], unpacksTo: "batches")
    try Downloader.fetch(dataset, into: target, baseURL: server.baseURL)
    #expect(try String(contentsOfFile: "\(target)/batches/x.bin", encoding: .utf8) == "inside")
    #expect(try FileManager.default.contentsOfDirectory(atPath: target).sorted() == ["archive.tar.gz", "batches"])
  }

  @Test func knownDataSetsCarryFullDigests() throws {
    for dataset in RemoteDataset.all {
      #expect(try RemoteDataset.named(dataset.name).name == dataset.name)
      #expect(dataset.files.allSatisfy { $0.sha256.count == 64 && $0.sha256.allSatisfy(\.isHexDigit) })
    }
    #expect(Fixtures.error { _ = try RemoteDataset.named("imagenet") }?.kind == .invalidArgument)
  }
}
