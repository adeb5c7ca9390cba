import FlatlandCore
import FlatlandStrategies

/// Stochastic weight averaging (Izmailov et al., 2018) of the network's centroid: from iteration
/// `start` on, every `every` iterations,
///
///     w̄_i = (1/K) Σ_k w_k,i          (the centroid, as the all-reduce mean forms it)
///     w_swa ← w_swa + (w̄_i − w_swa) / (n + 1),   n ← n + 1
///
/// so after n updates w_swa is the mean of the n centroids it has seen. The average is a point
/// of its own, evaluated and measured beside the centroid; training never reads it.
///
/// Parsed from `START[,EVERY]` (iterations; EVERY defaults to 1). The count n follows from the
/// iteration, so a checkpoint stores only w_swa.
public struct WeightAveraging: Sendable, Equatable, CustomStringConvertible {
  /// The first iteration (counted from 1, after its step) whose centroid enters the average.
  public var start: Int
  public var every: Int

  public static let accepted = "START[,EVERY]: the first iteration averaged (≥ 1) and the period (≥ 1)"

  public init(start: Int, every: Int = 1) {
    self.start = start
    self.every = every
  }

  public init(parsing text: String) throws {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false)
    guard (1...2).contains(parts.count), let start = Int(parts[0]), start >= 1,
      let every = parts.count == 2 ? Int(parts[1]) : 1, every >= 1
    else { throw FlatlandError.invalid("swa", text, accepted: Self.accepted) }
    self.init(start: start, every: every)
  }

  public var description: String { every == 1 ? "\(start)" : "\(start),\(every)" }

  /// Throws unless the first averaged iteration falls within a run of `iterations`.
  public func check(iterations: Int) throws {
    guard start <= iterations else {
      throw FlatlandError.invalid(
        "swa", description,
        accepted: "a start within the run's \(iterations) iterations (the average would stay empty)")
    }
  }

  /// Whether the centroid after iteration `i` (counted from 1) enters the average.
  public func averages(after i: Int) -> Bool { i >= start && (i - start) % every == 0 }

  /// n, how many centroids the average holds after iteration `i`.
  public func count(after i: Int) -> Int { i < start ? 0 : (i - start) / every + 1 }

  /// Folds the centroid of `parameters` after iteration `i` into `average` (one row) when due,
  /// using `centroid` (one row) as room for it. Every process gets the same bits: the centroid
  /// is the communicator's all-reduce mean, summed in agent order.
  public func update(
    _ average: AgentVectors, after i: Int, parameters: AgentVectors, centroid: AgentVectors,
    communicator comm: Communicator
  ) {
    guard averages(after: i) else { return }
    comm.allReduceMean(parameters, into: centroid)
    let n = Float(count(after: i))
    let (a, c) = (average[0], centroid[0])
    for j in 0..<a.count { a[j] += (c[j] - a[j]) / n }
  }
}
