import FlatlandCore
import Foundation

/// One array of real numbers held in a `.npy` file: its shape and its values in C order.
///
/// What model tensors are exchanged as with NumPy and PyTorch (`numpy.load`,
/// `torch.from_numpy`). Written as little-endian Float32; read from Float32, kept bit for bit,
/// or Float64, rounded to the nearest Float32.
public struct NPYTensor: Equatable, Sendable {
  /// Dimensions, outermost first; `[]` is a scalar.
  public var shape: [Int]
  /// shape.reduce(1, *) values, last dimension fastest.
  public var values: [Float]

  /// - Throws: `FlatlandError` when `values` does not hold one value per element of `shape`.
  public init(shape: [Int], values: [Float]) throws {
    guard shape.allSatisfy({ $0 >= 0 }), shape.reduce(1, *) == values.count else {
      throw FlatlandError.invalid(
        "tensor shape", shape, accepted: "non-negative dimensions whose product is \(values.count), the value count")
    }
    self.shape = shape
    self.values = values
  }

  /// Reads a `.npy` file of dtype float32 or float64 (either byte order, C order).
  /// - Throws: `FlatlandError` naming the file for a missing or malformed file or another dtype.
  public static func read(from path: String) throws -> NPYTensor {
    var file = try DataFile(path: path)
    let header = try NPYFormat.readHeader(&file)
    guard header.kind == "f" else {
      throw FlatlandError(
        .format,
        "\(path): dtype '\(header.kind)\(header.itemSize)' is not a float type: expected float32 ('<f4') or "
          + "float64 ('<f8')"
      )
    }
    let values: [Float] = try NPYFormat.readElements(&file, header)
    return try NPYTensor(shape: header.shape, values: values)
  }

  /// A shape in Python's tuple notation, as NumPy prints and stores it: `(8, 10)`, `(8,)`, `()`.
  public static func shapeText(_ shape: [Int]) -> String {
    "(" + shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? ",)" : ")")
  }

  /// Writes the tensor as a Float32 `.npy` file (atomically).
  /// - Throws: `FlatlandError` naming the path when it cannot be written.
  public func write(to path: String) throws {
    try AtomicFile.write(NPYFormat.encode(shape: shape, values: values), to: path)
  }
}
