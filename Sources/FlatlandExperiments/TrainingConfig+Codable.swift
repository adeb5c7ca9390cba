/// The JSON and YAML form: one key per row of `TrainingConfig.settings`. Keys left out keep
/// their defaults; a key no row has is an error, so another program's JSON is never taken for
/// a config.
extension TrainingConfig: Codable {
  public init(from decoder: any Decoder) throws {
    self.init()
    let container = try decoder.container(keyedBy: SettingKey.self)
    if let unknown = container.allKeys.first(where: { Self.setting($0.stringValue) == nil }) {
      throw DecodingError.dataCorruptedError(
        forKey: unknown, in: container, debugDescription: "not a training setting (expected one of \(Self.keys))")
    }
    for setting in Self.settings { try setting.decode(&self, container) }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: SettingKey.self)
    for setting in Self.settings { try setting.encode(self, &container) }
  }

  /// This config with `value` set at `key`; the value has the field's type (or the wrapped
  /// one, for an optional field). A key with no row, or a value of another type, is a
  /// programmer's error.
  public func setting(_ key: String, to value: Any) -> TrainingConfig {
    guard let row = Self.setting(key) else { preconditionFailure("no training setting '\(key)'") }
    var copy = self
    precondition(row.assign(&copy, value), "training setting '\(key)' does not take a \(type(of: value))")
    return copy
  }
}
