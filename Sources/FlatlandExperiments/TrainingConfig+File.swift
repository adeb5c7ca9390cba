import FlatlandCore
import Foundation
import Yams

extension TrainingConfig {
  /// Reads an experiment file (YAML; JSON is accepted as a YAML subset). Keys the file leaves
  /// out keep their defaults; an unknown key or a value of the wrong type is an error that
  /// names the key.
  public static func load(file path: String) throws -> TrainingConfig {
    try TrainingConfig.overlaying(ExperimentFile.mapping(path), source: "experiment file '\(path)'")
  }

  /// The default config with `fields` (snake_case keys) laid over it; keys left out keep
  /// their defaults.
  public static func overlaying(_ fields: [String: Any], source: String) throws -> TrainingConfig {
    let known = Set(keys)
    if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
      throw FlatlandError(
        .invalidArgument,
        "unknown key '\(unknown)' in \(source): expected one of \(keys.sorted().joined(separator: ", "))")
    }
    var checkedFields: [String: Any] = [:]
    for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
      checkedFields[key] = key == "strategies" ? strategyList(value) : try checked(key, value, source: source)
    }
    do {
      let data = try JSONSerialization.data(withJSONObject: checkedFields)
      return try JSONDecoder().decode(TrainingConfig.self, from: data)
    } catch let error as DecodingError {
      throw FlatlandError(.invalidArgument, "bad value in \(source): \(error.oneLine)")
    }
  }

  /// `value` as the config takes it (an integral number as an `Int` for an integer key); throws,
  /// naming the key and the value, unless an integer key holds an integer and a real key a
  /// finite number (YAML's `.inf` and an overflowing `1e999` are infinite).
  private static func checked(_ key: String, _ value: Any, source: String) throws -> Any {
    if value is NSNull { return value }
    let number: Double?
    switch value {
    case is Bool: number = nil
    case let i as Int: number = Double(i)
    case let d as Double: number = d
    default: number = nil
    }
    let kind = TrainingConfig.setting(key)?.number
    if kind == .integer {
      if value is Int { return value }
      guard let number, number.rounded() == number, let integer = Int(exactly: number) else {
        throw FlatlandError(.invalidArgument, "bad value in \(source): key '\(key)' is \(value): expected an integer")
      }
      return integer
    }
    if kind == .real {
      guard let number, number.isFinite else {
        throw FlatlandError(
          .invalidArgument, "bad value in \(source): key '\(key)' is \(value): expected a finite number")
      }
      return number
    }
    return value
  }

  /// `strategies` may be a list or one comma-separated string.
  private static func strategyList(_ value: Any) -> Any {
    guard let text = value as? String else { return value }
    return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  }
}

extension DecodingError {
  /// "key 'batch': expected Int" — the key path and what was expected, on one line.
  public var oneLine: String {
    func path(_ context: Context) -> String { context.codingPath.map(\.stringValue).joined(separator: ".") }
    switch self {
    case .typeMismatch(let type, let c), .valueNotFound(let type, let c):
      return "key '\(path(c))': expected \(type)"
    case .keyNotFound(let key, let c):
      return "missing key '\((c.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
    case .dataCorrupted(let c):
      return "key '\(path(c))': \(c.debugDescription)"
    @unknown default:
      return "\(self)"
    }
  }
}
