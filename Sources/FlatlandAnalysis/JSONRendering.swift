import Foundation

/// The one JSON form of every Flatland report: sorted keys (stable output), pretty-printed,
/// slashes unescaped, and non-finite numbers as the strings "inf", "-inf" and "nan".
/// Report types spell their keys in snake_case through explicit `CodingKeys`.
public enum JSONRendering {
  public static func data<T: Encodable>(_ value: T) throws -> Data {
    try encoder.encode(value)
  }

  public static func string<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try data(value), as: UTF8.self) + "\n"
  }

  /// Decodes what `data(_:)` wrote, non-finite numbers included.
  public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return try decoder.decode(type, from: data)
  }

  private static var encoder: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }
}
