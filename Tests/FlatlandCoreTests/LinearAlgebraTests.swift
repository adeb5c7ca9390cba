import FlatlandCore
import FlatlandTestSupport
import Testing

@Suite struct LinearAlgebraTests {
  @Test func symmetricEigenOfKnownMatrix() throws {
    // [[2,1],[1,2]] has eigenvalues 1 and 3 with vectors (1,-1)/√2 and (1,1)/√2.
    let e = try SymmetricEigen([2, 1, 1, 2], n: 2)
    #expect(maxRelativeError(e.values, [1, 3]) < 1e-14)
    let v = e.vector(1)
    #expect(abs(abs(v[0]) - 0.5.squareRoot()) < 1e-14)
    #expect(abs(v[0] - v[1]) < 1e-14)
  }

  @Test func symmetricEigenRejectsAsymmetry() {
    #expect(throws: FlatlandError.self) { try SymmetricEigen([1, 2, 0, 1], n: 2) }
  }

  @Test func generalEigenvaluesOfRotation() throws {
    // A 90° rotation has eigenvalues ±i.
    let ev = try generalEigenvalues([0, -1, 1, 0], n: 2)
    let ims = ev.map(\.im).sorted()
    #expect(abs(ims[0] + 1) < 1e-14 && abs(ims[1] - 1) < 1e-14)
    #expect(ev.allSatisfy { abs($0.re) < 1e-14 })
  }

  @Test func gemmMatchesNaiveProduct() {
    // C = A Bᵀ with A 2×3, B 2×3.
    let a: [Float] = [1, 2, 3, 4, 5, 6]
    let b: [Float] = [1, 0, -1, 2, 1, 0]
    var c = [Float](repeating: 0, count: 4)
    Float.gemm(
      transA: false, transB: true, m: 2, n: 2, k: 3, alpha: 1, a: a, lda: 3, b: b, ldb: 3, beta: 0, c: &c, ldc: 2)
    #expect(c == [-2, 4, -2, 13])
  }

  @Test func parallelForIsIndependentOfThreadCount() {
    var one = [Double](repeating: 0, count: 100)
    var two = one
    one.withUnsafeMutableBufferPointer { p in
      let box = UncheckedBox(p)
      parallelFor(100, threads: 1) { i in box.value[i] = Double(i * i) }
    }
    two.withUnsafeMutableBufferPointer { p in
      let box = UncheckedBox(p)
      parallelFor(100, threads: 2) { i in box.value[i] = Double(i * i) }
    }
    #expect(one == two)
  }
}
