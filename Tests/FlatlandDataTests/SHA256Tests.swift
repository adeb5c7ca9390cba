import Foundation
import Testing

@testable import FlatlandData

@Suite struct SHA256Tests {
  /// FIPS 180-2 appendix B vectors, plus the empty message.
  @Test(arguments: [
    ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
    ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
    (
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    ),
  ])
  func knownVectors(message: String, digest: String) {
    #expect(SHA256.hex(Array(message.utf8)) == digest)
  }

  @Test func millionAsInUnevenChunks() {
    var hash = SHA256()
    var left = 1_000_000
    var size = 1
    while left > 0 {
      let n = min(size, left)
      hash.update([UInt8](repeating: UInt8(ascii: "a"), count: n))
      left -= n
      size = size * 3 % 1000 + 1
    }
    #expect(hash.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test func fileDigestMatchesSha256sum() throws {
    let dir = try Fixtures.directory()
    let bytes = (0..<100_003).map { UInt8(($0 * 31 + 7) % 251) }
    try Fixtures.write(bytes, to: "\(dir)/f")
    #expect(try SHA256.hex(ofFile: "\(dir)/f") == SHA256.hex(bytes))
    let process = Process()
    let pipe = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum", "\(dir)/f"]
    process.standardOutput = pipe
    try process.run()
    process.waitUntilExit()
    let reference = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
    #expect(SHA256.hex(bytes) == String(reference))
  }
}
