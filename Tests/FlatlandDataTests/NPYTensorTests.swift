import FlatlandCore
import Foundation
import Testing

@testable import FlatlandData

/// `.npy` tensors as exchanged with NumPy and PyTorch: byte-identical to `numpy.save`, bit-exact
/// round trips, float64 rounded to Float32, other dtypes refused.
@Suite struct NPYTensorTests {
  /// `numpy.save` of `np.array([[0.5, -1.0, 2.25], [3.0, -0.0, 1e-40]], dtype='<f4')` (NumPy 2.4).
  static let numpyFloat32 =
    "934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c"
    + "20277368617065273a2028322c2033292c207d20202020202020202020202020202020202020202020202020202020202020"
    + "2020202020202020202020202020202020202020202020202020200a0000003f000080bf000010400000404000000080c216"
    + "0100"
  /// `numpy.save` of `np.array([0.1, -2.5], dtype='<f8')`.
  static let numpyFloat64 =
    "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73652c"
    + "20277368617065273a2028322c292c207d202020202020202020202020202020202020202020202020202020202020202020"
    + "2020202020202020202020202020202020202020202020202020200a9a9999999999b93f00000000000004c0"

  static func bytes(hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    return stride(from: 0, to: digits.count, by: 2).map {
      UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16)!
    }
  }

  @Test func encodingIsByteIdenticalToNumpySave() {
    let values: [Float] = [0.5, -1.0, 2.25, 3.0, -0.0, Float(bitPattern: 0x0001_16C2)]  // the last is 1e-40, subnormal
    #expect(NPYFormat.encode(shape: [2, 3], values: values) == Self.bytes(hex: Self.numpyFloat32))
  }

  @Test(arguments: [[Int](), [7], [2, 3, 4], [1, 1, 1, 5]])
  func writeThenReadKeepsEveryBit(_ shape: [Int]) throws {
    let count = shape.reduce(1, *)
    var rng = RandomStream(seed: 3, purpose: .measure)
    let special: [Float] = [-0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.ulpOfOne]
    let values = (0..<count).map { i in i < special.count ? special[i] : Float(rng.normal()) }
    let path = try Fixtures.directory() + "/t.npy"
    try NPYTensor(shape: shape, values: values).write(to: path)
    let back = try NPYTensor.read(from: path)
    #expect(back.shape == shape)
    #expect(back.values.map(\.bitPattern) == values.map(\.bitPattern))
    let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
    #expect((size - 4 * count) % 64 == 0, "data must start on a 64-byte boundary")
  }

  @Test func float64IsRoundedToTheNearestFloat32() throws {
    let path = try Fixtures.directory() + "/d.npy"
    try Fixtures.write(Self.bytes(hex: Self.numpyFloat64), to: path)
    let t = try NPYTensor.read(from: path)
    #expect(t.shape == [2])
    #expect(t.values.map(\.bitPattern) == [Float(0.1), Float(-2.5)].map(\.bitPattern))
  }

  @Test func integerDtypesAndMismatchedShapesAreRefused() throws {
    let path = try Fixtures.directory() + "/i.npy"
    var bytes = Self.bytes(hex: Self.numpyFloat64)
    bytes[22] = UInt8(ascii: "i")  // '<f8' → '<i8'
    try Fixtures.write(bytes, to: path)
    #expect { try NPYTensor.read(from: path) } throws: {
      ($0 as! FlatlandError).message.contains(path) && "\($0)".contains("float32")
    }
    #expect(throws: FlatlandError.self) { try NPYTensor(shape: [2, 2], values: [1, 2, 3]) }
  }

  @Test func shapesArePrintedAsPythonTuples() {
    #expect(NPYTensor.shapeText([]) == "()")
    #expect(NPYTensor.shapeText([8]) == "(8,)")
    #expect(NPYTensor.shapeText([16, 6, 5, 5]) == "(16, 6, 5, 5)")
  }
}
