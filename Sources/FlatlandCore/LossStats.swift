/// Mean loss and accuracy over an evaluated set. Plain bits (`BitwiseCopyable`), so engines
/// can ship every agent's statistics between processes as bytes.
public struct LossStats: Sendable, Equatable, Codable, BitwiseCopyable {
  /// Mean loss per sample.
  public var loss: Double
  public var correct: Int
  public var count: Int
  public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }

  public init(loss: Double, correct: Int, count: Int) {
    self.loss = loss
    self.correct = correct
    self.count = count
  }
}
