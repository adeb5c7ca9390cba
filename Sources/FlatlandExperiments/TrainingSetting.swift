import FlatlandCore

/// One setting of a `TrainingConfig`: its key (in experiment files, `config.json` and every
/// JSON output), the field that holds it, and the values it accepts.
///
/// `TrainingConfig.settings` lists one row per field, and everything else is derived from that
/// list: the file keys and their unknown-key rejection, the type checks of YAML numbers, the
/// JSON encoding and decoding, the per-value checks of `validate()`, and the overlay of
/// command-line flags (a flag's property name is the key in camel case). Adding a setting is a
/// field with its default and a row here, plus its flag in the CLI; tests fail when a field has
/// no row or a row has no flag.
public struct TrainingSetting: Sendable {
  /// What a YAML number must be for this key: a whole number, a finite real, or anything else.
  enum Number { case integer, real }

  public let key: String
  let number: Number?
  /// Writes the field under `key`; an unset optional is left out, as Swift's own encoding does.
  let encode: @Sendable (TrainingConfig, inout KeyedEncodingContainer<SettingKey>) throws -> Void
  /// Reads the field from `key` when present (null included); absent keys keep the default, so
  /// a `config.json` written before a setting existed still opens.
  let decode: @Sendable (inout TrainingConfig, KeyedDecodingContainer<SettingKey>) throws -> Void
  /// Throws naming the key and what it accepts, unless the field's value is acceptable.
  let check: @Sendable (TrainingConfig) throws -> Void
  /// Sets the field from a value of its own type (or its wrapped type, for an optional field);
  /// false when the value has another type.
  let assign: @Sendable (inout TrainingConfig, Any) -> Bool

  /// The row of `path`, stored under `key`, whose non-nil values must satisfy `rule`.
  static func field<V: Codable & Sendable>(
    _ key: String, _ path: WritableKeyPath<TrainingConfig, V> & Sendable, _ rule: Rule<V.Checked>? = nil
  ) -> TrainingSetting where V: SettingValue {
    let codingKey = SettingKey(key)
    return TrainingSetting(
      key: key, number: V.number,
      encode: { config, container in
        let value = config[keyPath: path]
        if !value.isUnset { try container.encode(value, forKey: codingKey) }
      },
      decode: { config, container in
        if container.contains(codingKey) { config[keyPath: path] = try container.decode(V.self, forKey: codingKey) }
      },
      check: { config in
        guard let rule, let value = config[keyPath: path].checked, !rule.accepts(value) else { return }
        throw FlatlandError.invalid(key, value, accepted: rule.accepted)
      },
      assign: { config, value in
        guard let value = V(setting: value) else { return false }
        config[keyPath: path] = value
        return true
      })
  }

  /// A test of a value with the words that say what it accepts.
  struct Rule<Value>: Sendable {
    let accepted: String
    let accepts: @Sendable (Value) -> Bool
  }
}

/// A coding key that is any string: the settings' keys come from `TrainingConfig.settings`.
public struct SettingKey: CodingKey, Sendable {
  public let stringValue: String
  public init(_ key: String) { stringValue = key }
  public init?(stringValue: String) { self.stringValue = stringValue }
  public var intValue: Int? { nil }
  public init?(intValue: Int) { nil }
}

// MARK: - Value kinds

/// A type a setting may hold: what its YAML numbers must be, and how an optional unwraps for
/// its check and its encoding.
protocol SettingValue {
  associatedtype Checked
  static var number: TrainingSetting.Number? { get }
  /// The value the setting's rule tests; nil for an unset optional, which is always acceptable.
  var checked: Checked? { get }
  var isUnset: Bool { get }
  /// The value from a flag's parsed value, when it has this type or the wrapped one.
  init?(setting value: Any)
}

extension SettingValue {
  var checked: Self? { self }
  var isUnset: Bool { false }
  init?(setting value: Any) {
    guard let value = value as? Self else { return nil }
    self = value
  }
}

extension Int: SettingValue { static var number: TrainingSetting.Number? { .integer } }
extension UInt64: SettingValue { static var number: TrainingSetting.Number? { .integer } }
extension Double: SettingValue { static var number: TrainingSetting.Number? { .real } }
extension String: SettingValue { static var number: TrainingSetting.Number? { nil } }
extension Bool: SettingValue { static var number: TrainingSetting.Number? { nil } }
extension Array: SettingValue where Element == String {
  static var number: TrainingSetting.Number? { nil }
}

extension Optional: SettingValue where Wrapped: SettingValue, Wrapped.Checked == Wrapped {
  static var number: TrainingSetting.Number? { Wrapped.number }
  var checked: Wrapped? { self }
  var isUnset: Bool { self == nil }
  init?(setting value: Any) {
    if let value = value as? Wrapped {
      self = .some(value)
    } else if let value = value as? Wrapped? {
      self = value
    } else {
      return nil
    }
  }
}

// MARK: - Rules

extension TrainingSetting.Rule where Value == Int {
  static let positive = Self(accepted: "a positive integer") { $0 > 0 }
  static let countOrAll = Self(accepted: "0 (all) or a positive count") { $0 >= 0 }
}

extension TrainingSetting.Rule where Value == Double {
  /// Positive and finite, also once rounded to Float32, where training uses it.
  static func positiveInFloat32(_ what: String) -> Self {
    Self(accepted: "a positive \(what), finite and nonzero in Float32") { Float($0) > 0 && Float($0).isFinite }
  }
  static let nonNegativeInFloat32 = Self(accepted: "a non-negative value, finite in Float32") {
    Float($0) >= 0 && Float($0).isFinite
  }
  static let fraction = Self(accepted: "a value in [0, 1), also in Float32") { (0..<1).contains(Float($0)) }
  static let positive = Self(accepted: "a positive number") { $0 > 0 && $0.isFinite }
}

extension TrainingSetting.Rule where Value == String {
  static func nonEmpty(_ accepted: String) -> Self { Self(accepted: accepted) { !$0.isEmpty } }
}
