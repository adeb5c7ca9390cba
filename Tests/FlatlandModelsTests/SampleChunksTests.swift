import FlatlandCore
import FlatlandModels
import FlatlandTestSupport
import Testing

/// Chunked passes combined by count are the whole-set passes, in Double to rounding, and the
/// same bits for any thread count.
@Suite struct SampleChunksTests {
  let network = try! Network.named("tanh-mlp:5", input: .flat(3), classes: 2)
  let n = 10
  var features: [Double] { normalVector(n * 3, seed: 31) }
  var labels: [Int32] { (0..<n).map { Int32($0 % 3 == 0 ? 1 : 0) } }
  var w: [Double] { normalVector(network.parameterCount, seed: 32, scale: 0.5) }

  func chunked(threads: Int) -> (LossStats, [Double]) {
    let chunks = SampleChunks(
      network: network, features: features, labels: labels, chunks: 3, threads: threads,
      capacity: 2)
    let w = w
    let stats = w.withUnsafeBufferPointer { wp in
      chunks.map { c, f, l in
        network.lossAndGradient(
          wp, features: f, labels: l, gradient: chunks.partial(c), workspace: chunks.workspaces[c])
      }
    }
    var gradient = [Double](repeating: 0, count: network.parameterCount)
    gradient.withUnsafeMutableBufferPointer { chunks.combinePartials(into: $0) }
    return (chunks.combine(stats), gradient)
  }

  @Test func chunksOfThreeThreeFour() {
    let chunks = SampleChunks(
      network: network, features: features, labels: labels, chunks: 3, threads: 1,
      capacity: 8)
    #expect((0..<chunks.count).map(chunks.samples) == [0..<3, 3..<6, 6..<10])
    #expect(chunks.workspaces.map(\.capacity) == [3, 3, 4])
  }

  @Test func byCountCombinationIsTheWholeSetMean() {
    let (stats, gradient) = chunked(threads: 2)
    var whole = [Double](repeating: 0, count: network.parameterCount)
    let ws = network.makeWorkspace(capacity: n, of: Double.self)
    let reference = w.withUnsafeBufferPointer { wp in
      features.withUnsafeBufferPointer { f in
        labels.withUnsafeBufferPointer { l in
          whole.withUnsafeMutableBufferPointer { g in
            network.lossAndGradient(wp, features: f, labels: l, gradient: g, workspace: ws)
          }
        }
      }
    }
    #expect(stats.count == n && stats.correct == reference.correct)
    #expect(relativeError(stats.loss, reference.loss) < 1e-14)
    #expect(maxRelativeError(gradient, whole, floor: 1e-12) < 1e-12)
  }

  @Test func sameBitsForAnyThreadCount() {
    let one = chunked(threads: 1)
    for threads in [2, 3] {
      let other = chunked(threads: threads)
      #expect(other.0 == one.0 && other.1 == one.1)
    }
  }
}
