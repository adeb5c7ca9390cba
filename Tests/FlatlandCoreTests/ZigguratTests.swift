import Foundation
import Testing

@testable import FlatlandCore

/// The ziggurat's normals against the normal distribution itself: the layer table, the
/// moments, the tail mass beyond R and the whole CDF (Kolmogorov–Smirnov), over 10⁶ draws.
@Suite struct ZigguratTests {
  @Test func theLayersShareOneAreaAndCloseAtZero() {
    let z = Ziggurat.shared
    func f(_ x: Double) -> Double { exp(-0.5 * x * x) }
    // Every box above the base strip has area V; the top layer ends where f is 1.
    for i in 1..<127 {
      let area = z.x[i] * (f(z.x[i + 1]) - f(z.x[i]))
      #expect(abs(area - Ziggurat.v) < 1e-9, "layer \(i): area \(area)")
    }
    #expect(abs(z.x[127] * (1 - f(z.x[127])) - Ziggurat.v) < 1e-9)
    #expect(z.x[1] == Ziggurat.r && z.x[128] == 0 && z.ratio.allSatisfy { $0 >= 0 && $0 < 1 })
  }

  @Test func drawsFollowTheStandardNormal() {
    var rng = RandomStream(seed: 3, agent: 0, purpose: .stepNoise)
    let n = 1_000_000
    var draws = (0..<n).map { _ in rng.zigguratNormal() }
    let mean = draws.reduce(0, +) / Double(n)
    let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
    let fourth = draws.reduce(0) { $0 + $1 * $1 * $1 * $1 } / Double(n)
    let nd = Double(n)
    // Four standard errors each: 1/√n, √(2/n), √(96/n) (E x⁸ − (E x⁴)² = 105 − 9).
    #expect(abs(mean) < 4 / nd.squareRoot(), "mean \(mean)")
    #expect(abs(variance - 1) < 4 * (2 / nd).squareRoot(), "variance \(variance)")
    #expect(abs(fourth - 3) < 4 * (96 / nd).squareRoot(), "fourth moment \(fourth)")
    // The tail beyond R comes only from the tail sampler: P(|x| > R) = erfc(R/√2).
    let tail = erfc(Ziggurat.r / 2.0.squareRoot())
    let beyond = Double(draws.filter { abs($0) > Ziggurat.r }.count)
    #expect(abs(beyond - nd * tail) < 4 * (nd * tail).squareRoot(), "\(beyond) beyond R, expected \(nd * tail)")
    // Kolmogorov–Smirnov at the 0.1% level: sup |F_n − Φ| < 1.95/√n.
    draws.sort()
    var sup = 0.0
    for (j, x) in draws.enumerated() {
      let phi = 0.5 * erfc(-x / 2.0.squareRoot())
      sup = max(sup, abs(Double(j + 1) / nd - phi), abs(Double(j) / nd - phi))
    }
    #expect(sup < 1.95 / nd.squareRoot(), "KS distance \(sup)")
  }
}
