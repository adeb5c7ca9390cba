#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Zero-filled memory for plain values, from `calloc`.
///
/// Large blocks come straight from the operating system as untouched zero pages, so the parts
/// of a buffer that a run never writes cost neither time nor resident memory: the R-images of
/// a workspace during training, an evaluator's capacity beyond its last chunk, a strategy's
/// spare K × P buffer. Initializing with a loop would touch (and zero) every page up front.
public enum ZeroedMemory {
  /// `count` zeros of `T` (at least one); release with `free(_:)`.
  public static func allocate<T: BitwiseCopyable>(count: Int) -> UnsafeMutablePointer<T> {
    let n = max(1, count)
    guard let raw = calloc(n, MemoryLayout<T>.stride) else { fatalError("out of memory: \(n) values of \(T.self)") }
    return raw.bindMemory(to: T.self, capacity: n)
  }

  public static func free<T: BitwiseCopyable>(_ pointer: UnsafeMutablePointer<T>) {
    #if canImport(Glibc)
      Glibc.free(pointer)
    #else
      Darwin.free(pointer)
    #endif
  }
}
