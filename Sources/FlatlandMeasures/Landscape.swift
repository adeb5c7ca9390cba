import FlatlandCore

/// Loss values on a 1-D or 2-D grid of points around (or between) parameter vectors.
public struct LandscapeGrid: Codable, Sendable, Equatable {
  public enum Kind: String, Codable, Sendable {
    /// J(w + α d) for α in `xs`.
    case slice1D = "slice-1d"
    /// J(w + α d₁ + β d₂) for α in `xs`, β in `ys`.
    case slice2D = "slice-2d"
    /// J((1 − α) a + α b) for α in `xs`.
    case interpolation
  }

  public var kind: Kind
  /// Coordinates along the first axis.
  public var xs: [Double]
  /// Coordinates along the second axis; empty for 1-D grids.
  public var ys: [Double]
  /// 1-D: `losses[i]` at xs[i]. 2-D: `losses[j * xs.count + i]` at (xs[i], ys[j]). Values may be
  /// non-finite far from the point.
  public var losses: [Double]

  enum CodingKeys: String, CodingKey {
    case kind, xs, ys, losses
  }

  /// The loss at (xs[i], ys[j]) (j = 0 for 1-D grids).
  public func loss(_ i: Int, _ j: Int = 0) -> Double { losses[j * xs.count + i] }
}

/// Loss-landscape slices (Li et al. 2018) and linear interpolations (Goodfellow et al. 2015).
public enum Landscape {
  /// A random direction with each filter rescaled to the norm of w's filter (Li et al.'s filter
  /// normalization, see `FilterPartition`), drawn from seeded stream `index` so that the two
  /// axes of a 2-D slice are independent (and, in high dimension, nearly orthogonal).
  public static func filterNormalizedDirection<T: FlatScalar>(
    at w: [T], filters: FilterPartition, seed: UInt64 = 0, index: Int = 0
  ) throws -> [T] {
    try filters.check(dimension: w.count)
    var rng = MeasureStream.landscape.stream(seed: seed, index: index)
    return filters.normalize(Probe.gaussian(w.count, &rng), to: w)
  }

  /// J(w + α d) at `points` values of α evenly spaced over `range`.
  /// - Throws: `FlatlandError` for fewer than 2 points, a direction of the wrong length, or a
  ///   non-finite loss at w.
  public static func slice<O: Objective>(
    _ objective: O, at w: [O.Scalar], direction d: [O.Scalar], range: ClosedRange<Double> = -1...1, points: Int = 51
  ) throws -> LandscapeGrid {
    _ = try objective.checkedLoss(at: w)
    try checkDirection(d, objective.dimension)
    let xs = try axis(range, points)
    return LandscapeGrid(
      kind: .slice1D, xs: xs, ys: [], losses: xs.map { objective.loss(VectorMath.shifted(w, by: d, times: $0)) })
  }

  /// J(w + α d₁ + β d₂) on the product of `points` values of α over `xRange` and of β over `yRange`.
  /// - Throws: as `slice(_:at:direction:range:points:)`.
  public static func slice<O: Objective>(
    _ objective: O, at w: [O.Scalar], directions d1: [O.Scalar], _ d2: [O.Scalar],
    xRange: ClosedRange<Double> = -1...1, yRange: ClosedRange<Double> = -1...1, points: Int = 21
  ) throws -> LandscapeGrid {
    try checkGrid(points: points, dimensions: 2)
    _ = try objective.checkedLoss(at: w)
    try checkDirection(d1, objective.dimension)
    try checkDirection(d2, objective.dimension)
    let xs = try axis(xRange, points)
    let ys = try axis(yRange, points)
    var losses: [Double] = []
    losses.reserveCapacity(xs.count * ys.count)
    for beta in ys {
      let row = VectorMath.shifted(w, by: d2, times: beta)
      for alpha in xs { losses.append(objective.loss(VectorMath.shifted(row, by: d1, times: alpha))) }
    }
    return LandscapeGrid(kind: .slice2D, xs: xs, ys: ys, losses: losses)
  }

  /// J((1 − α) a + α b) for `points` values of α over `range` (0 is a, 1 is b; a range wider
  /// than [0, 1] shows the loss beyond both ends), e.g. centroid to agent, or a centralized
  /// minimum to a diffusion one. A barrier above both ends means the two are not in one basin.
  /// - Throws: `FlatlandError` for fewer than 2 points, vectors of the wrong length, or a
  ///   non-finite loss at either end.
  public static func interpolation<O: Objective>(
    _ objective: O, from a: [O.Scalar], to b: [O.Scalar], range: ClosedRange<Double> = -0.5...1.5, points: Int = 41
  ) throws -> LandscapeGrid {
    _ = try objective.checkedLoss(at: a)
    _ = try objective.checkedLoss(at: b)
    var direction = b
    VectorMath.axpy(-1, a, &direction)
    let xs = try axis(range, points)
    return LandscapeGrid(
      kind: .interpolation, xs: xs, ys: [],
      losses: xs.map { objective.loss(VectorMath.shifted(a, by: direction, times: $0)) })
  }

  // MARK: - Checks

  /// The most grid points a landscape evaluates (one loss over the data set each): a million,
  /// i.e. 1000 × 1000 for a 2-D slice, already takes hours on a real model and data set.
  public static let maximumPoints = 1_000_000

  /// Throws unless a grid of `points` per axis over `dimensions` axes (1 or 2) has at least 2
  /// points per axis and at most `maximumPoints` in all.
  public static func checkGrid(points: Int, dimensions: Int) throws {
    let total = MemoryBudget.size(of: Array(repeating: points, count: dimensions), bytesEach: 1) ?? .max
    let perAxis = dimensions == 1 ? maximumPoints : Int(Double(maximumPoints).squareRoot())
    guard points >= 2, total <= maximumPoints else {
      throw FlatlandError.invalid(
        "grid points per axis", points, accepted: "2 to \(perAxis) (at most \(maximumPoints) loss evaluations in all)")
    }
  }

  private static func axis(_ range: ClosedRange<Double>, _ points: Int) throws -> [Double] {
    try checkGrid(points: points, dimensions: 1)
    guard range.lowerBound.isFinite, range.upperBound.isFinite, range.lowerBound < range.upperBound else {
      throw FlatlandError.invalid("grid range", range, accepted: "finite bounds lo < hi such as -1...1")
    }
    let step = (range.upperBound - range.lowerBound) / Double(points - 1)
    return (0..<points).map { range.lowerBound + Double($0) * step }
  }

  private static func checkDirection<T: FlatScalar>(_ d: [T], _ dimension: Int) throws {
    guard d.count == dimension else {
      throw FlatlandError.invalid("direction length", d.count, accepted: "\(dimension) entries, the parameter count")
    }
    guard VectorMath.allFinite(d) else {
      throw FlatlandError(.numeric, "direction has non-finite entries: expected finite values")
    }
  }
}
