import FlatlandCore
import FlatlandMeasures

/// The loss around a run's centroid along filter-normalized random directions (Li et al.
/// 2018), or along the segment to another run's centroid.
public enum RunLandscape {
  /// A 1-D (`dims` = 1) or 2-D slice through `run`'s centroid, `points` per axis, directions
  /// drawn by `seed`.
  public static func slice(_ run: OpenedRun, dims: Int, points: Int, seed: UInt64) throws -> LandscapeGrid {
    guard dims == 1 || dims == 2 else { throw FlatlandError.invalid("--dims", dims, accepted: "1 or 2") }
    let w = run.centroid
    let filters = FilterPartition(layout: run.network.layout)
    let d1 = try Landscape.filterNormalizedDirection(at: w, filters: filters, seed: seed, index: 0)
    guard dims == 2 else { return try Landscape.slice(run.objective, at: w, direction: d1, points: points) }
    let d2 = try Landscape.filterNormalizedDirection(at: w, filters: filters, seed: seed, index: 1)
    return try Landscape.slice(run.objective, at: w, directions: d1, d2, points: points)
  }

  /// J along w̄_run + t (w̄_other − w̄_run), t from 0 to 1 and beyond by the grid's margin.
  public static func interpolation(_ run: OpenedRun, to other: String, points: Int) throws -> LandscapeGrid {
    let (checkpoint, path) = try OpenedRun.openCheckpoint(other)
    guard try checkpoint.network(path: path) == run.network else {
      throw FlatlandError.invalid("--between", other, accepted: "a run of the same model (\(run.network.name))")
    }
    return try Landscape.interpolation(
      run.objective, from: run.centroid, to: try checkpoint.parameters(at: .centroid), points: points)
  }
}
