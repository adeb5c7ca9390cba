import FlatlandCore

extension Dataset {
  /// Splits off `round(fraction · count)` samples chosen by a seeded shuffle (Fisher–Yates
  /// over `stream`); both parts keep the original sample order.
  func splittingOff(fraction: Double, stream: RandomStream, what: String) throws -> (kept: Dataset, held: Dataset) {
    guard fraction > 0, fraction < 1 else {
      throw FlatlandError.invalid("\(what) fraction", fraction, accepted: "a number strictly between 0 and 1")
    }
    let held = Int((fraction * Double(count)).rounded())
    guard held >= 1, held < count else {
      throw FlatlandError.invalid(
        "\(what) fraction", fraction,
        accepted: "a fraction leaving at least one sample on each side of \(count) samples")
    }
    var order = Array(0..<count)
    var rng = stream
    order.shuffle(using: &rng)
    let heldIndices = order[..<held].sorted()
    let keptIndices = order[held...].sorted()
    return (subset(keptIndices), subset(heldIndices, name: "\(name)/\(what)"))
  }
}

extension DataSplits {
  /// These splits with a validation set of `round(fraction · train.count)` training samples
  /// moved out of `train` by a shuffle seeded with `seed` (stream purpose `.split`).
  public func carvingValidation(fraction: Double, seed: UInt64) throws -> DataSplits {
    let (kept, held) = try train.splittingOff(
      fraction: fraction, stream: RandomStream(seed: seed, purpose: .split).split(1), what: "validation")
    return DataSplits(train: kept, validation: held, test: test)
  }
}
