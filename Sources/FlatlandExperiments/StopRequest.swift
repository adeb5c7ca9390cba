import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A request to end training at the next iteration boundary, raised by SIGINT (Ctrl-C) or
/// SIGTERM, so that an interrupted run writes a checkpoint instead of losing its work.
///
/// `installSignalHandlers()` makes both signals set the request instead of killing the
/// process; `StrategyRun` checks it after every iteration, saves a checkpoint and ends with an
/// `.interrupted` error. A second signal while the request is pending ends the process at once,
/// as the signal would have without the handlers.
public final class StopRequest: @unchecked Sendable {
  /// The request the signal handlers raise.
  public static let shared = StopRequest()

  private let lock = NSLock()
  private var pending: Int32?
  private var sources: [DispatchSourceSignal] = []

  public init() {}

  /// The signal that asked to stop (SIGINT, SIGTERM), or nil.
  public var signal: Int32? {
    lock.lock()
    defer { lock.unlock() }
    return pending
  }

  /// Asks the run to stop as if `signal` had arrived.
  public func request(_ signal: Int32) {
    lock.lock()
    defer { lock.unlock() }
    pending = pending ?? signal
  }

  /// Routes SIGINT and SIGTERM to this request (idempotent).
  public func installSignalHandlers() {
    lock.lock()
    defer { lock.unlock() }
    guard sources.isEmpty else { return }
    for number in [SIGINT, SIGTERM] {
      Self.ignore(number)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [weak self] in self?.received(number) }
      source.resume()
      sources.append(source)
    }
  }

  private func received(_ number: Int32) {
    lock.lock()
    let first = pending == nil
    pending = pending ?? number
    lock.unlock()
    guard !first else { return }
    Self.restoreDefault(number)
    raise(number)
  }

  private static func ignore(_ number: Int32) {
    #if canImport(Glibc)
      _ = Glibc.signal(number, SIG_IGN)
    #else
      _ = Darwin.signal(number, SIG_IGN)
    #endif
  }

  private static func restoreDefault(_ number: Int32) {
    #if canImport(Glibc)
      _ = Glibc.signal(number, SIG_DFL)
    #else
      _ = Darwin.signal(number, SIG_DFL)
    #endif
  }

  /// The name of a stop signal, for messages.
  public static func name(_ signal: Int32) -> String {
    switch signal {
    case SIGINT: "SIGINT"
    case SIGTERM: "SIGTERM"
    default: "signal \(signal)"
    }
  }
}
