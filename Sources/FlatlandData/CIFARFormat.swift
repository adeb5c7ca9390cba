import FlatlandCore

/// The CIFAR-10 / CIFAR-100 binary format: fixed-length records with no file header.
///
/// A CIFAR-10 record is one label byte then 3072 pixel bytes, the 32×32 red plane, then green,
/// then blue: exactly Flatland's CHW layout, so pixels are copied in order and scaled to
/// [0, 1]. A CIFAR-100 record has two label bytes (coarse, fine); Flatland uses the fine one.
struct CIFARFormat: Sendable {
  /// Label bytes before the pixels of each record.
  let labelBytes: Int
  /// Which of those bytes is the class.
  let labelIndex: Int
  let classes: Int

  static let cifar10 = CIFARFormat(labelBytes: 1, labelIndex: 0, classes: 10)
  static let cifar100 = CIFARFormat(labelBytes: 2, labelIndex: 1, classes: 100)

  static let shape = SampleShape(channels: 3, height: 32, width: 32)

  var recordSize: Int { labelBytes + CIFARFormat.shape.count }

  /// Reads the records of every source, in order, into one data set.
  func dataset(name: String, sources: inout [some ByteSource]) throws -> Dataset {
    var counts: [Int] = []
    for source in sources {
      let size = source.declaredSize
      guard size > 0, size % recordSize == 0 else {
        throw FlatlandError(
          .format,
          "\(source.name): \(size) bytes is not a whole number of \(recordSize)-byte CIFAR records: the file is "
            + "truncated or not a CIFAR\(classes) binary batch"
        )
      }
      try source.expectTotalSize(size)
      counts.append(size / recordSize)
    }
    let total = counts.reduce(0, +)
    let pixelsPerImage = CIFARFormat.shape.count
    var labels = [Int32](repeating: 0, count: total)
    var record = [UInt8](repeating: 0, count: recordSize)
    let features = try [Float](unsafeUninitializedCapacity: total * pixelsPerImage) { out, initialized in
      var row = 0
      for k in sources.indices {
        for _ in 0..<counts[k] {
          try record.withUnsafeMutableBytes { try sources[k].readExactly($0, what: "CIFAR record \(row)") }
          labels[row] = Int32(record[labelIndex])
          record.withUnsafeBytes { src in
            pixelIntensities(
              UnsafeRawBufferPointer(rebasing: src[labelBytes...]), into: out.baseAddress! + row * pixelsPerImage)
          }
          row += 1
        }
      }
      initialized = total * pixelsPerImage
    }
    return try Dataset(name: name, shape: CIFARFormat.shape, classes: classes, features: features, labels: labels)
  }
}
