/// The number of classes a data set or model may have.
///
/// Labels are class indices 0, 1, 2, …, and the class count C is the largest label + 1. C sizes
/// the output layer (C logits per sample), every agent's class histogram and the per-class
/// lists of a Dirichlet partition, so one stray label such as 2000000000 in a CSV file would
/// otherwise ask for gigabytes before any check. 2¹⁶ classes is far above any benchmark Flatland
/// trains on (CIFAR-100 has 100, ImageNet-21k 21,841).
public enum ClassCount {
  /// The largest class count accepted, 65,536 (labels 0…65,535).
  public static let maximum = 1 << 16

  /// Throws unless 2 ≤ `classes` ≤ `maximum`; `what` names where the count comes from.
  public static func check(_ classes: Int, of what: String) throws {
    guard (2...maximum).contains(classes) else {
      throw FlatlandError.invalid("class count of \(what)", classes, accepted: "2 to \(maximum) classes")
    }
  }
}
