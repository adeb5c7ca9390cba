import FlatlandCore
import Foundation
import Testing

@testable import FlatlandData

/// Truncated and randomly corrupted bytes fed to every parser: each case must either parse
/// into a consistent data set or throw a FlatlandError; a crash or hang fails the whole run.
@Suite struct FuzzTests {
  /// `count` seeded mutants of `valid`: truncations, byte flips, and inserted or deleted runs.
  func mutants(of valid: [UInt8], count: Int, seed: UInt64) -> [[UInt8]] {
    var rng = RandomStream(seed: seed, purpose: .measure)
    return (0..<count).map { _ in
      var bytes = valid
      switch rng.index(below: 4) {
      case 0:
        bytes = Array(bytes.prefix(rng.index(below: bytes.count)))
      case 1:
        for _ in 0...rng.index(below: 8) where !bytes.isEmpty {
          bytes[rng.index(below: bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
        }
      case 2:
        let at = rng.index(below: bytes.count + 1)
        bytes.insert(contentsOf: (0...rng.index(below: 16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
      default:
        let at = rng.index(below: bytes.count)
        bytes.removeSubrange(at..<min(bytes.count, at + 1 + rng.index(below: 16)))
      }
      return bytes
    }
  }

  /// Runs `parse` on every mutant; returns how many threw.
  func survive(_ cases: [[UInt8]], _ parse: ([UInt8]) throws -> Void) -> Int {
    var thrown = 0
    for bytes in cases {
      do { try parse(bytes) } catch is FlatlandError { thrown += 1 } catch {
        Issue.record("non-Flatland error \(error)")
      }
    }
    return thrown
  }

  @Test func idxImagesAndLabels() {
    let images = Fixtures.idxImages(Fixtures.pattern(count: 5, size: 12), count: 5, rows: 4, columns: 3)
    let thrown = survive(mutants(of: images, count: 300, seed: 1)) { bytes in
      var source = MemoryByteSource(name: "fuzz", bytes: bytes)
      let (shape, pixels) = try IDXFormat.readImages(&source)
      #expect(pixels.count % shape.count == 0 && pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
    }
    #expect(thrown > 150, "most mutants of a size-checked format must be rejected (\(thrown)/300)")
    _ = survive(mutants(of: Fixtures.idxLabels([1, 2, 3, 250]), count: 200, seed: 2)) { bytes in
      var source = MemoryByteSource(name: "fuzz", bytes: bytes)
      _ = try IDXFormat.readLabels(&source)
    }
  }

  @Test func csvText() {
    let valid = Array("label,a,b\n0,1.5,2\n1,-3e2,\"4\"\n2, 5 ,6\r\n".utf8)
    let thrown = survive(mutants(of: valid, count: 300, seed: 3)) { bytes in
      let table = try CSVFormat.parse(bytes, name: "fuzz.csv", label: .index(0))
      #expect(table.features.count == table.labels.count * table.featureCount)
      #expect(table.features.allSatisfy(\.isFinite) && table.labels.allSatisfy { $0 >= 0 })
    }
    #expect(thrown > 0)
  }

  @Test func npyArrays() {
    let features = Fixtures.npy(descr: "<f4", shape: [3, 2], payload: Fixtures.float32Bytes([1, 2, 3, 4, 5, 6]))
    let thrown = survive(mutants(of: features, count: 300, seed: 4)) { bytes in
      var source = MemoryByteSource(name: "fuzz.npy", bytes: bytes)
      let (count, shape, values) = try NPYFormat.readFeatures(&source)
      #expect(values.count == count * shape.count)
    }
    #expect(thrown > 150)
    _ = survive(
      mutants(
        of: Fixtures.npy(descr: "<i8", shape: [3], payload: Fixtures.littleEndianBytes([Int64(0), 1, 2])), count: 200,
        seed: 5)
    ) { bytes in
      var source = MemoryByteSource(name: "fuzz.npy", bytes: bytes)
      let labels = try NPYFormat.readLabels(&source)
      #expect(labels.allSatisfy { $0 >= 0 })
    }
  }

  @Test func cifarRecords() {
    let valid = (0..<2).flatMap { [UInt8($0)] + [UInt8](repeating: 9, count: 3072) }
    _ = survive(mutants(of: valid, count: 100, seed: 6)) { bytes in
      var sources = [MemoryByteSource(name: "fuzz.bin", bytes: bytes)]
      _ = try CIFARFormat.cifar10.dataset(name: "fuzz", sources: &sources)
    }
  }

  /// Gzip streams go through zlib from disk: corrupt compressed bytes must be caught too.
  @Test func gzipCompressedIDX() throws {
    let dir = try Fixtures.mnistDirectory(train: 8, gzip: true)
    let path = "\(dir)/train-images-idx3-ubyte.gz"
    let valid = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let thrown = survive(mutants(of: valid, count: 60, seed: 7)) { bytes in
      try Fixtures.write(bytes, to: path)
      var file = try DataFile(path: path)
      let (shape, pixels) = try IDXFormat.readImages(&file)
      #expect(pixels.count % shape.count == 0)
    }
    #expect(thrown > 30)
  }
}
