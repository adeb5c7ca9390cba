import FlatlandCore
import FlatlandMeasures
import FlatlandModels
import FlatlandTestSupport
import Foundation
import Testing

/// Slices, interpolation, filter normalization and the CSV/SVG writers.
@Suite struct LandscapeTests {
  let q = quadratic(gappedSpectrum(12), minimum: 0.5)

  /// dᵀHd for the quadratic.
  func curvature(_ d: [Double]) -> Double {
    var h = [Double](repeating: 0, count: d.count)
    q.hessianVectorProduct(q.minimizer, direction: d, result: &h)
    return VectorMath.dot(d, h)
  }

  @Test func oneDimensionalSliceIsAParabolaOnAQuadratic() throws {
    let d = normalVector(12, seed: 30)
    let grid = try Landscape.slice(q, at: q.minimizer, direction: d, range: -2...2, points: 9)
    #expect(grid.kind == .slice1D && grid.xs == [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2] && grid.ys.isEmpty)
    let expected = grid.xs.map { 0.5 + 0.5 * $0 * $0 * curvature(d) }
    #expect(maxRelativeError(grid.losses, expected) < 1e-12)
  }

  /// Grids beyond a million loss evaluations are refused before any is evaluated, with the
  /// per-axis limit of the grid's dimension.
  @Test func gridsBeyondAMillionPointsAreRefused() throws {
    let d = normalVector(12, seed: 30)
    #expect(throws: FlatlandError.self) {
      _ = try Landscape.slice(q, at: q.minimizer, direction: d, points: 100_000_000)
    }
    do {
      _ = try Landscape.slice(q, at: q.minimizer, directions: d, d, points: 1001)
      Issue.record("1001 × 1001 points accepted")
    } catch let error as FlatlandError {
      #expect(
        error.message
          == "invalid grid points per axis '1001': expected 2 to 1000 (at most 1000000 loss evaluations in all)")
    }
    #expect(throws: FlatlandError.self) { try Landscape.checkGrid(points: Int.max, dimensions: 2) }
    #expect(throws: Never.self) { try Landscape.checkGrid(points: 1000, dimensions: 2) }
    #expect(throws: Never.self) { try Landscape.checkGrid(points: 1_000_000, dimensions: 1) }
    #expect(throws: FlatlandError.self) { try SpectralDensity.checkGrid(points: 4_000_000_000) }
    #expect(throws: FlatlandError.self) {
      _ = try SpectralDensity.stochasticLanczosQuadrature(q, at: q.minimizer, gridPoints: 4_000_000_000)
    }
  }

  @Test func twoDimensionalSliceAddsTheCrossTerm() throws {
    let d1 = normalVector(12, seed: 31)
    let d2 = normalVector(12, seed: 32)
    let grid = try Landscape.slice(
      q, at: q.minimizer, directions: d1, d2, xRange: -1...1, yRange: -0.5...0.5, points: 5)
    var h2 = [Double](repeating: 0, count: 12)
    q.hessianVectorProduct(q.minimizer, direction: d2, result: &h2)
    let cross = VectorMath.dot(d1, h2)
    for j in grid.ys.indices {
      for i in grid.xs.indices {
        let a = grid.xs[i]
        let b = grid.ys[j]
        let expected = 0.5 + 0.5 * (a * a * curvature(d1) + 2 * a * b * cross + b * b * curvature(d2))
        #expect(relativeError(grid.loss(i, j), expected) < 1e-12)
      }
    }
    #expect(grid.losses.count == 25)
  }

  @Test func interpolationHitsBothEndsAndIsQuadraticBetween() throws {
    let a = normalVector(12, seed: 33)
    let b = normalVector(12, seed: 34)
    let grid = try Landscape.interpolation(q, from: a, to: b, range: 0...1, points: 11)
    #expect(grid.kind == .interpolation)
    #expect(relativeError(grid.losses.first!, q.loss(a)) < 1e-14 && relativeError(grid.losses.last!, q.loss(b)) < 1e-12)
    // A quadratic along a line: constant second differences.
    let l = grid.losses
    let second: [Double] = (1..<10).map { (i: Int) -> Double in (l[i - 1] + l[i + 1]) - 2 * l[i] }
    #expect(second.allSatisfy { relativeError($0, second[0]) < 1e-8 })
  }

  @Test func filterNormalizedDirectionsMatchFilterNormsAndSkipBiases() throws {
    let fixture = DenseFixture.shared
    let layout = fixture.network.layout
    let w = fixture.w32
    let d = try Landscape.filterNormalizedDirection(at: w, filters: FilterPartition(layout: layout), seed: 1)
    for tensor in layout.tensors {
      if tensor.isWeight {
        let size = tensor.count / tensor.shape[0]
        for row in 0..<tensor.shape[0] {
          let range = (tensor.offset + row * size)..<(tensor.offset + (row + 1) * size)
          let dn = VectorMath.norm(Array(d[range]))
          let wn = VectorMath.norm(Array(w[range]))
          #expect(relativeError(dn, wn) < 1e-6, "\(tensor.name) row \(row): ‖d‖ \(dn) vs ‖w‖ \(wn)")
        }
      } else {
        #expect(tensor.range.allSatisfy { d[$0] == 0 }, "\(tensor.name) is not zero")
      }
    }
    // With biases included, each bias vector is one filter of its own norm.
    let withBiases = try Landscape.filterNormalizedDirection(
      at: w, filters: FilterPartition(layout: layout, includeOneDimensional: true), seed: 1)
    let bias = layout.tensor(named: "linear1.bias")!.range
    #expect(relativeError(VectorMath.norm(Array(withBiases[bias])), VectorMath.norm(Array(w[bias]))) < 1e-6)
    // Seeded: the same index gives the same direction, another index another one.
    let again = try Landscape.filterNormalizedDirection(at: w, filters: FilterPartition(layout: layout), seed: 1)
    let other = try Landscape.filterNormalizedDirection(
      at: w, filters: FilterPartition(layout: layout), seed: 1, index: 1)
    #expect(d == again && d != other)
  }

  @Test func csvHasAHeaderAndOneRowPerPoint() throws {
    let one = try Landscape.slice(q, at: q.minimizer, direction: normalVector(12, seed: 35), points: 5)
    let lines = one.csv().split(separator: "\n")
    #expect(lines.first == "alpha,loss" && lines.count == 6)
    #expect(lines[3].hasPrefix("0.0,0.5"))  // the centre: α = 0, J(w*) = c
    let two = try Landscape.slice(
      q, at: q.minimizer, directions: normalVector(12, seed: 35), normalVector(12, seed: 36), points: 4)
    let rows = two.csv().split(separator: "\n")
    #expect(rows.first == "alpha,beta,loss" && rows.count == 17)
    #expect(rows[1].split(separator: ",").count == 3)
  }

  @Test func svgDrawsACurveOrAHeatMapWithContours() throws {
    let one = try Landscape.slice(q, at: q.minimizer, direction: normalVector(12, seed: 37), points: 21)
    let line = one.svg(title: "slice <1-D>")
    #expect(line.hasPrefix("<svg") && line.hasSuffix("</svg>\n"))
    #expect(line.contains("<path d=\"M") && line.contains("slice &lt;1-D&gt;"))
    let two = try Landscape.slice(
      q, at: q.minimizer, directions: normalVector(12, seed: 37), normalVector(12, seed: 38), points: 11)
    let map = two.svg()
    #expect(map.components(separatedBy: "<rect").count - 1 >= 121)
    #expect(map.contains("stroke=\"white\""))  // contour lines of the elliptic bowl
    #expect(map.components(separatedBy: "<g ").count == map.components(separatedBy: "</g>").count)
  }

  @Test func writersCreateFilesAndReportBadPaths() throws {
    let grid = try Landscape.slice(q, at: q.minimizer, direction: normalVector(12, seed: 39), points: 5)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flatland-landscape-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try grid.writeCSV(to: dir.appendingPathComponent("slice.csv").path)
    try grid.writeSVG(to: dir.appendingPathComponent("slice.svg").path)
    #expect(try String(contentsOf: dir.appendingPathComponent("slice.csv"), encoding: .utf8) == grid.csv())
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("slice.svg").path))
    #expect(throws: FlatlandError.self) { try grid.writeCSV(to: dir.appendingPathComponent("missing/slice.csv").path) }
  }

  @Test func badArgumentsThrow() {
    let w = q.minimizer
    let d = normalVector(12, seed: 40)
    #expect(throws: FlatlandError.self) { try Landscape.slice(q, at: w, direction: d, points: 1) }
    #expect(throws: FlatlandError.self) { try Landscape.slice(q, at: w, direction: Array(d.dropLast())) }
    #expect(throws: FlatlandError.self) { try Landscape.slice(q, at: w, direction: d, range: 1...1) }
    #expect(throws: FlatlandError.self) {
      try Landscape.slice(q, at: w, directions: d, [Double](repeating: .nan, count: 12))
    }
    #expect(throws: FlatlandError.self) { try Landscape.interpolation(q, from: w, to: Array(w.dropLast())) }
    #expect(throws: FlatlandError.self) { try Landscape.filterNormalizedDirection(at: w, filters: .whole(5)) }
  }
}
