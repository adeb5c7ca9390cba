import FlatlandCore

/// LeCun's IDX format, used by MNIST and Fashion-MNIST.
///
/// A file is a 4-byte magic number `00 00 TT NN` (TT the element type, 08 for unsigned
/// bytes; NN the number of dimensions), NN big-endian UInt32 sizes, then the elements in
/// row-major order. Image files are (count, rows, columns) and label files (count).
enum IDXFormat {
  /// The element type code for unsigned bytes, the only one the MNIST family uses.
  static let unsignedByte: UInt8 = 0x08

  /// Reads the magic number and sizes, and checks the source holds exactly the elements they
  /// promise before anything is allocated.
  static func readHeader(_ source: inout some ByteSource, dimensions expected: Int, what: String) throws -> [Int] {
    let magic = try source.readBytes(4, what: "IDX magic number")
    guard magic[0] == 0, magic[1] == 0, magic[2] == unsignedByte, Int(magic[3]) == expected else {
      let hex = magic.map { String($0, radix: 16, uppercase: true) }.map { $0.count < 2 ? "0" + $0 : $0 }.joined(
        separator: " ")
      throw FlatlandError(
        .format,
        "\(source.name): wrong IDX magic number \(hex): expected 00 00 08 0\(expected) for an IDX file of "
          + "\(what) (unsigned bytes, \(expected) dimension\(expected == 1 ? "" : "s"))"
      )
    }
    var sizes: [Int] = []
    var elements = 1
    for _ in 0..<expected {
      let size = Int(try source.readBigEndianUInt32(what: "IDX header"))
      let (product, overflow) = elements.multipliedReportingOverflow(by: size)
      guard !overflow else { throw FlatlandError(.format, "\(source.name): IDX sizes \(sizes + [size]) are too large") }
      sizes.append(size)
      elements = product
    }
    try source.expectTotalSize(4 + 4 * expected + elements)
    return sizes
  }

  /// Reads an image file: pixels scaled from 0...255 to [0, 1], one channel.
  static func readImages(_ source: inout some ByteSource) throws -> (shape: SampleShape, pixels: [Float]) {
    let sizes = try readHeader(&source, dimensions: 3, what: "images")
    let shape = SampleShape(channels: 1, height: sizes[1], width: sizes[2])
    let total = sizes[0] * shape.count
    guard total > 0 else { throw FlatlandError(.format, "\(source.name): the data set is empty (sizes \(sizes))") }
    let pixels = try [Float](unsafeUninitializedCapacity: total) { buffer, initialized in
      try source.readPixels(count: total, into: buffer.baseAddress!, what: "IDX image pixels")
      initialized = total
    }
    return (shape, pixels)
  }

  /// Reads a label file.
  static func readLabels(_ source: inout some ByteSource) throws -> [Int32] {
    let sizes = try readHeader(&source, dimensions: 1, what: "labels")
    return try source.readBytes(sizes[0], what: "IDX labels").map { Int32($0) }
  }

  /// An image file and its label file as one data set with `classes` classes.
  static func dataset(name: String, images: inout some ByteSource, labels: inout some ByteSource, classes: Int) throws
    -> Dataset
  {
    let (shape, pixels) = try readImages(&images)
    let labelValues = try readLabels(&labels)
    let imageCount = pixels.count / shape.count
    guard imageCount == labelValues.count else {
      throw FlatlandError(
        .format,
        "\(images.name) holds \(imageCount) images but \(labels.name) holds \(labelValues.count) labels: they "
          + "must match"
      )
    }
    return try Dataset(name: name, shape: shape, classes: classes, features: pixels, labels: labelValues)
  }
}
