import FlatlandCore

/// A zero-initialized, manually managed array of numbers (scalars, or pooling indices):
/// workspaces allocate these once per model and batch capacity, so steady-state passes never
/// allocate.
final class Buffer<T: Numeric & BitwiseCopyable> {
  let pointer: UnsafeMutablePointer<T>
  let count: Int

  init(_ count: Int) {
    self.count = max(count, 1)
    pointer = ZeroedMemory.allocate(count: self.count)
  }

  deinit { ZeroedMemory.free(pointer) }
}
