import FlatlandCore

/// A zero-initialized, manually managed array of numbers (scalars, or pooling indices): workspaces allocate these once per
/// model and batch capacity, so steady-state passes never allocate.
final class Buffer<T: Numeric> {
  let pointer: UnsafeMutablePointer<T>
  let count: Int

  init(_ count: Int) {
    self.count = max(count, 1)
    pointer = .allocate(capacity: self.count)
    pointer.initialize(repeating: 0, count: self.count)
  }

  deinit { pointer.deallocate() }

  func zero() { pointer.update(repeating: 0, count: count) }
}
