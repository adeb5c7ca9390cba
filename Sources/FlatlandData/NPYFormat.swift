import FlatlandCore
import Foundation

/// NumPy's `.npy` format (versions 1–3): the magic `\x93NUMPY`, a version, a little-endian
/// header length, a Python dict literal `{'descr': '<f4', 'fortran_order': False,
/// 'shape': (n, d), }`, then the array's elements in C order.
/// Written back as Float32 (`encode`) for exported model tensors.
///
/// Features are an (n, …) array of any real or integer dtype, converted to Float exactly as
/// stored: (n, d) gives flat samples of d features, (n, h, w) one-channel images and
/// (n, c, h, w) CHW images. Labels are an (n) or (n, 1) array of non-negative integers (an
/// integer dtype, or a float dtype holding integral values).
enum NPYFormat {
  struct Header {
    var kind: Character
    var itemSize: Int
    var bigEndian: Bool
    var shape: [Int]
    var elements: Int
  }

  static let accepted = "a C-order array of dtype f4, f8, i1, i2, i4, i8, u1, u2, u4, u8 or b1"

  /// Reads and checks the header, and that the source holds exactly the elements it promises.
  static func readHeader(_ source: inout some ByteSource) throws -> Header {
    let name = source.name
    let magic = try source.readBytes(8, what: ".npy magic")
    guard magic[0..<6] == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59] else {
      throw FlatlandError(.format, "\(name): not a .npy file: it does not start with the magic \\x93NUMPY")
    }
    let major = Int(magic[6])
    guard (1...3).contains(major) else {
      throw FlatlandError(
        .format, "\(name): .npy format version \(major).\(magic[7]) is not supported: expected 1, 2 or 3")
    }
    let lengthBytes = try source.readBytes(major == 1 ? 2 : 4, what: ".npy header length")
    let length = lengthBytes.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    guard length <= 1 << 20 else {
      throw FlatlandError(.format, "\(name): .npy header length \(length) is implausible (over 1 MiB)")
    }
    let text = String(decoding: try source.readBytes(length, what: ".npy header"), as: UTF8.self)

    guard let descr = quotedValue(of: "descr", in: text), descr.count >= 3,
      let size = Int(descr.dropFirst(2)), let kind = descr.dropFirst().first,
      let order = descr.first, "<>|=".contains(order)
    else { throw FlatlandError(.format, "\(name): .npy header has no readable 'descr': expected \(accepted)") }
    let supported: [Character: Set<Int>] = ["f": [4, 8], "i": [1, 2, 4, 8], "u": [1, 2, 4, 8], "b": [1]]
    guard supported[kind]?.contains(size) == true else {
      throw FlatlandError(.format, "\(name): .npy dtype '\(descr)' is not supported: expected \(accepted)")
    }
    guard let fortran = rawValue(of: "fortran_order", in: text), fortran.hasPrefix("False") || fortran.hasPrefix("True")
    else {
      throw FlatlandError(.format, "\(name): .npy header has no readable 'fortran_order'")
    }
    guard fortran.hasPrefix("False") else {
      throw FlatlandError(
        .format, "\(name): .npy array is in Fortran order: expected \(accepted) (save it with numpy.ascontiguousarray)")
    }
    guard let shapeText = rawValue(of: "shape", in: text), shapeText.first == "(",
      let close = shapeText.firstIndex(of: ")")
    else {
      throw FlatlandError(.format, "\(name): .npy header has no readable 'shape'")
    }
    let parts = shapeText[shapeText.index(after: shapeText.startIndex)..<close].split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
    }.filter { !$0.isEmpty }
    var shape: [Int] = []
    var payload = size  // bytes of the elements, multiplied up dimension by dimension
    for part in parts {
      guard let d = Int(part), d >= 0 else {
        throw FlatlandError(.format, "\(name): .npy shape entry '\(part)' is not a size")
      }
      let (product, overflow) = payload.multipliedReportingOverflow(by: d)
      guard !overflow else { throw FlatlandError(.format, "\(name): .npy shape \(shapeText[...close]) is too large") }
      shape.append(d)
      payload = product
    }
    try source.expectTotalSize(8 + lengthBytes.count + length + payload)
    let elements = payload / size
    return Header(kind: kind, itemSize: size, bigEndian: order == ">", shape: shape, elements: elements)
  }

  /// Reads a features array: (samples, shape, values).
  static func readFeatures(_ source: inout some ByteSource) throws -> (count: Int, shape: SampleShape, values: [Float])
  {
    let header = try readHeader(&source)
    let s = header.shape
    let shape: SampleShape
    switch s.count {
    case 1: shape = .flat(1)
    case 2: shape = .flat(s[1])
    case 3: shape = SampleShape(channels: 1, height: s[1], width: s[2])
    case 4: shape = SampleShape(channels: s[1], height: s[2], width: s[3])
    default:
      throw FlatlandError(
        .format, "\(source.name): .npy features have shape \(s): expected (n, d), (n, h, w) or (n, c, h, w)")
    }
    guard header.elements > 0 else {
      throw FlatlandError(.format, "\(source.name): the data set is empty (shape \(s))")
    }
    let values: [Float] = try readElements(&source, header)
    if let bad = values.firstIndex(where: { !$0.isFinite }) {
      throw FlatlandError(
        .format,
        "\(source.name): feature value \(values[bad]) of sample \(bad / max(1, header.elements / s[0])) (element "
          + "\(bad)) is not a finite Float: expected finite features"
      )
    }
    return (s[0], shape, values)
  }

  /// Reads a labels array of non-negative integers.
  static func readLabels(_ source: inout some ByteSource) throws -> [Int32] {
    let header = try readHeader(&source)
    guard header.shape.count == 1 || (header.shape.count == 2 && header.shape[1] == 1) else {
      throw FlatlandError(.format, "\(source.name): .npy labels have shape \(header.shape): expected (n) or (n, 1)")
    }
    guard header.elements > 0 else { throw FlatlandError(.format, "\(source.name): the data set is empty (no labels)") }
    let values: [Double] = try readElements(&source, header)
    return try values.enumerated().map { i, v in
      guard v >= 0, v < Double(ClassCount.maximum), v.rounded() == v else {
        throw FlatlandError(
          .format,
          "\(source.name): label \(v) at index \(i) is not a class index: expected an integer 0, 1, 2, ..., "
            + "\(ClassCount.maximum - 1)"
        )
      }
      return Int32(v)
    }
  }

  /// Streams the payload through a fixed chunk, converting each element to `T`.
  static func readElements<T: BinaryFloatingPoint>(_ source: inout some ByteSource, _ header: Header) throws -> [T] {
    let size = header.itemSize
    let chunkElements = (1 << 16) / size
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkElements * size, alignment: 16)
    defer { buffer.deallocate() }
    return try [T](unsafeUninitializedCapacity: header.elements) { out, initialized in
      var done = 0
      while done < header.elements {
        let n = min(chunkElements, header.elements - done)
        try source.readExactly(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n * size]), what: ".npy data")
        convert(UnsafeRawBufferPointer(buffer), count: n, header, into: out.baseAddress! + done)
        done += n
      }
      initialized = header.elements
    }
  }

  private static func convert<T: BinaryFloatingPoint>(
    _ raw: UnsafeRawBufferPointer, count n: Int, _ h: Header, into out: UnsafeMutablePointer<T>
  ) {
    func each<W: FixedWidthInteger>(_: W.Type, _ value: (W) -> T) {
      for i in 0..<n {
        let word = raw.loadUnaligned(fromByteOffset: i * MemoryLayout<W>.size, as: W.self)
        out[i] = value(h.bigEndian ? W(bigEndian: word) : W(littleEndian: word))
      }
    }
    switch (h.kind, h.itemSize) {
    case ("f", 4): each(UInt32.self) { T(Float(bitPattern: $0)) }
    case ("f", _): each(UInt64.self) { T(Double(bitPattern: $0)) }
    case ("i", 1): each(Int8.self) { T($0) }
    case ("i", 2): each(Int16.self) { T($0) }
    case ("i", 4): each(Int32.self) { T($0) }
    case ("i", _): each(Int64.self) { T($0) }
    case ("u", 1), ("b", _): each(UInt8.self) { T($0) }
    case ("u", 2): each(UInt16.self) { T($0) }
    case ("u", 4): each(UInt32.self) { T($0) }
    default: each(UInt64.self) { T($0) }
    }
  }

  /// A version 1.0 `.npy` file of little-endian Float32 in C order, byte for byte what
  /// `numpy.save` writes for a `float32` array of that shape: the header dict is padded with
  /// spaces and ended by a newline so that the data starts at a multiple of 64 bytes.
  static func encode(shape: [Int], values: [Float]) -> [UInt8] {
    var dict = "{'descr': '<f4', 'fortran_order': False, 'shape': \(NPYTensor.shapeText(shape)), }"
    let unpadded = 10 + dict.utf8.count + 1
    dict += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
    var bytes: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
    bytes += [UInt8(dict.utf8.count & 0xFF), UInt8(dict.utf8.count >> 8)]
    bytes += Array(dict.utf8)
    bytes.reserveCapacity(bytes.count + 4 * values.count)
    for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
    return bytes
  }

  /// The text after `'key':` in the header dict, leading spaces dropped.
  private static func rawValue(of key: String, in text: String) -> Substring? {
    guard let range = text.range(of: "'\(key)':") else { return nil }
    return text[range.upperBound...].drop { $0 == " " }
  }

  /// The single-quoted string value of `key`.
  private static func quotedValue(of key: String, in text: String) -> Substring? {
    guard let rest = rawValue(of: key, in: text), rest.first == "'" else { return nil }
    let body = rest.dropFirst()
    guard let close = body.firstIndex(of: "'") else { return nil }
    return body[..<close]
  }
}
