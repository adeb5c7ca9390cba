import FlatlandCore
import Foundation
import Testing

@testable import FlatlandData

/// The real data set, from Debian's dataset-fashion-mnist package (scripts/setup.sh installs it).
@Suite struct FashionMNISTTests {
  @Test func countsShapeClassesHistogramAndPixelRange() throws {
    let start = Date()
    let splits = try DataSpec.fashionMNIST(directory: nil).load(dataDir: nil, seed: 0)
    let seconds = Date().timeIntervalSince(start)
    #expect(splits.train.count == 60000 && splits.test.count == 10000)
    #expect(splits.train.shape == SampleShape(channels: 1, height: 28, width: 28))
    #expect(splits.train.classes == 10 && splits.test.classes == 10)
    #expect(splits.train.features.count == 60000 * 784)
    #expect(splits.train.classHistogram() == [Int](repeating: 6000, count: 10))
    #expect(splits.test.classHistogram() == [Int](repeating: 1000, count: 10))
    let (low, high) = splits.train.features.withUnsafeBufferPointer { x in
      x.reduce((Float.infinity, -Float.infinity)) { (min($0.0, $1), max($0.1, $1)) }
    }
    #expect(low == 0 && high == 1)
    // The first training image is an ankle boot (class 9), the first test image too.
    #expect(splits.train.labels[0] == 9 && splits.test.labels[0] == 9)
    print("fashion-mnist decoded in \(String(format: "%.2f", seconds)) s")
  }
}
