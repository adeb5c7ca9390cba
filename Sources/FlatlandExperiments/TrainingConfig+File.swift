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

  /// The default config with `fields` (snake_case keys) laid over it.
  public static func overlaying(_ fields: [String: Any], source: String) throws -> TrainingConfig {
    let known = Set(keys)
    if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
      throw FlatlandError(
        .invalidArgument,
        "unknown key '\(unknown)' in \(source): expected one of \(keys.sorted().joined(separator: ", "))")
    }
    var merged = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfig())) as! [String: Any]
    for (key, value) in fields { merged[key] = key == "strategies" ? strategyList(value) : value }
    do {
      let data = try JSONSerialization.data(withJSONObject: merged)
      return try JSONDecoder().decode(TrainingConfig.self, from: data)
    } catch let error as DecodingError {
      throw FlatlandError(.invalidArgument, "bad value in \(source): \(error.oneLine)")
    }
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
