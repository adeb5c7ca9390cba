/// The one error type Flatland's libraries throw.
///
/// Every message is a single line that names the offending value and says what is accepted,
/// so the CLI can print it as is and exit non-zero. Libraries never exit or trap on user input;
/// `precondition` is reserved for programmer errors.
public struct FlatlandError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Broad class of failure, for callers that branch on it (tests, exit codes).
  public enum Kind: String, Sendable {
    /// A flag, config value, name or shape that is not accepted.
    case invalidArgument
    /// A file that is missing, unreadable or unwritable.
    case io
    /// A file whose bytes do not follow its format.
    case format
    /// A NaN, an Inf, or a computation that cannot converge or is unstable.
    case numeric
    /// Work stopped on request (SIGINT, SIGTERM) after saving what it had done.
    case interrupted
  }

  public let kind: Kind
  public let message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }

  /// An invalid argument error: `name` is the quantity, `value` what was given, `accepted` what would be.
  public static func invalid(_ name: String, _ value: Any, accepted: String) -> FlatlandError {
    FlatlandError(.invalidArgument, "invalid \(name) '\(value)': expected \(accepted)")
  }
}
