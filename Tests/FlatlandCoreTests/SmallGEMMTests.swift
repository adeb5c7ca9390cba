import FlatlandCore
import FlatlandTestSupport
import Foundation
import Testing

/// `Float.gemm` on both sides of `SmallGEMM.rule`, against a naive Double reference, and the
/// rule's choices for the products of W1/W2 (16 agents, mlp:256,256 on 784 inputs, 10 classes).
@Suite struct SmallGEMMTests {
  /// One product: C (m×n) ← α op(A) op(B) + β C with padded leading dimensions.
  struct Product: CustomStringConvertible {
    var transA, transB: Bool
    var m, n, k: Int
    var alpha, beta: Float
    /// Extra columns beyond each operand's tight leading dimension.
    var pad = 0

    var lda: Int { (transA ? m : k) + pad }
    var ldb: Int { (transB ? k : n) + pad }
    var ldc: Int { n + pad }
    var aCount: Int { (transA ? k : m) * lda }
    var bCount: Int { (transB ? n : k) * ldb }
    var description: String {
      "\(transA ? "T" : "N")\(transB ? "T" : "N") \(m)×\(n)×\(k) α=\(alpha) β=\(beta) pad \(pad)"
    }
  }

  /// The reference: op(A)[i, p] and op(B)[p, j] read from the row-major arrays, summed in Double.
  func reference(_ p: Product, a: [Float], b: [Float], c: [Float]) -> (value: [Double], magnitude: [Double]) {
    var value = [Double](repeating: 0, count: p.m * p.n)
    var magnitude = value
    for i in 0..<p.m {
      for j in 0..<p.n {
        var sum = 0.0
        var size = 0.0
        for q in 0..<p.k {
          let x = Double(p.transA ? a[q * p.lda + i] : a[i * p.lda + q])
          let y = Double(p.transB ? b[j * p.ldb + q] : b[q * p.ldb + j])
          sum += x * y
          size += abs(x * y)
        }
        let old = p.beta == 0 ? 0 : Double(p.beta) * Double(c[i * p.ldc + j])
        value[i * p.n + j] = Double(p.alpha) * sum + old
        magnitude[i * p.n + j] = abs(Double(p.alpha)) * size + abs(old)
      }
    }
    return (value, magnitude)
  }

  /// The largest error relative to the product's magnitude Σ |α a b| + |β c| per entry, which a
  /// Float GEMM keeps below (k + 4)·2⁻²⁴ whatever its summation order (k roundings in the sum,
  /// at most four more for α, β and the addition).
  func worstError(_ p: Product, seed: UInt64) -> Double {
    let a = normalVector(p.aCount, seed: seed).map(Float.init)
    let b = normalVector(p.bCount, seed: seed + 1).map(Float.init)
    // With β = 0, C must not be read: NaN there would show.
    var c =
      p.beta == 0
      ? [Float](repeating: .nan, count: p.m * p.ldc) : normalVector(p.m * p.ldc, seed: seed + 2).map(Float.init)
    let (value, magnitude) = reference(p, a: a, b: b, c: c)
    Float.gemm(
      transA: p.transA, transB: p.transB, m: p.m, n: p.n, k: p.k, alpha: p.alpha, a: a, lda: p.lda, b: b,
      ldb: p.ldb, beta: p.beta, c: &c, ldc: p.ldc)
    var worst = 0.0
    for i in 0..<p.m {
      for j in 0..<p.n {
        let e = abs(Double(c[i * p.ldc + j]) - value[i * p.n + j]) / max(magnitude[i * p.n + j], 1e-30)
        worst = max(worst, e.isNaN ? .infinity : e)
      }
    }
    return worst
  }

  /// Shapes on both sides of the rule for every transpose combination.
  static let shapes: [(transA: Bool, transB: Bool, m: Int, n: Int, k: Int)] = [
    (false, false, 16, 256, 10), (false, false, 13, 37, 29), (false, false, 100, 90, 80),
    (true, false, 256, 40, 16), (true, false, 10, 33, 7), (true, false, 90, 100, 80),
    (false, true, 16, 256, 784), (false, true, 9, 11, 23), (false, true, 40, 24, 30),
    (true, true, 16, 20, 12),
  ]

  @Test(arguments: [(Float(1), Float(0)), (1, 1), (-0.37, 1), (0.5, 0), (2, -0.75)])
  func matchesDoubleReference(alpha: Float, beta: Float) {
    for (index, s) in Self.shapes.enumerated() {
      for pad in [0, 3] {
        let p = Product(
          transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: alpha, beta: beta, pad: pad)
        let worst = worstError(p, seed: UInt64(100 * index + pad))
        #expect(worst < Double(s.k + 4) * 0x1p-24, "\(p): relative error \(worst)")
      }
    }
  }

  @Test func shapesFallOnBothSidesOfTheRule() {
    let chosen = Set(
      Self.shapes.map { SmallGEMM.rule(transA: $0.transA, transB: $0.transB, m: $0.m, n: $0.n, k: $0.k) })
    #expect(chosen == [.openBLAS, .libxsmm])
  }

  @Test func buildHasLibxsmmExactlyWhereItsHeaderIsInstalled() {
    #expect(SmallGEMM.isAvailable == FileManager.default.fileExists(atPath: "/usr/include/libxsmm.h"))
  }

  /// W1 (B = 64) and W2 (B = 16) for the layers 784→256→256→10: forward y = x Wᵀ (NT, m = B),
  /// input gradient dx = dy W (NN, k = outputs; the first layer has none) and weight gradient
  /// dyᵀ x (TN, k = B).
  @Test func ruleForW1W2() {
    let expected: [(name: String, transA: Bool, transB: Bool, m: Int, n: Int, k: Int, library: GEMMLibrary)] = [
      ("W2 forward 784→256", false, true, 16, 256, 784, .libxsmm),
      ("W2 forward 256→256", false, true, 16, 256, 256, .libxsmm),
      ("W2 forward 256→10", false, true, 16, 10, 256, .libxsmm),
      ("W2 dx 256→256", false, false, 16, 256, 256, .openBLAS),
      ("W2 dx 256→10", false, false, 16, 256, 10, .libxsmm),
      ("W2 dW 784→256", true, false, 256, 784, 16, .libxsmm),
      ("W2 dW 256→256", true, false, 256, 256, 16, .libxsmm),
      ("W2 dW 256→10", true, false, 10, 256, 16, .libxsmm),
      ("W1 forward 784→256", false, true, 64, 256, 784, .openBLAS),
      ("W1 forward 256→256", false, true, 64, 256, 256, .openBLAS),
      ("W1 forward 256→10", false, true, 64, 10, 256, .openBLAS),
      ("W1 dx 256→256", false, false, 64, 256, 256, .openBLAS),
      ("W1 dx 256→10", false, false, 64, 256, 10, .libxsmm),
      ("W1 dW 784→256", true, false, 256, 784, 64, .openBLAS),
      ("W1 dW 256→256", true, false, 256, 256, 64, .openBLAS),
      ("W1 dW 256→10", true, false, 10, 256, 64, .libxsmm),
    ]
    for e in expected {
      #expect(SmallGEMM.rule(transA: e.transA, transB: e.transB, m: e.m, n: e.n, k: e.k) == e.library, "\(e.name)")
    }
  }

  /// The large products stay on OpenBLAS: a Hessian-vector product over 2048 samples, the
  /// 512×512 reference product; so do a conv's filter gradient with fewer than 8 filters and
  /// anything both transposed or empty.
  @Test func ruleKeepsLargeProductsOnOpenBLAS() {
    #expect(SmallGEMM.rule(transA: false, transB: true, m: 2048, n: 256, k: 784) == .openBLAS)
    #expect(SmallGEMM.rule(transA: false, transB: false, m: 2048, n: 784, k: 256) == .openBLAS)
    #expect(SmallGEMM.rule(transA: true, transB: false, m: 256, n: 784, k: 2048) == .openBLAS)
    #expect(SmallGEMM.rule(transA: false, transB: false, m: 512, n: 512, k: 512) == .openBLAS)
    #expect(SmallGEMM.rule(transA: true, transB: true, m: 4, n: 4, k: 4) == .openBLAS)
    #expect(SmallGEMM.rule(transA: false, transB: true, m: 6, n: 25, k: 784) == .openBLAS)
    #expect(SmallGEMM.rule(transA: false, transB: false, m: 16, n: 0, k: 4) == .openBLAS)
  }

  /// The same product on two worker threads (each with its own kernel cache) and on the
  /// caller's thread gives the same bits.
  @Test func resultsAreBitIdenticalAcrossThreads() {
    let p = Product(transA: false, transB: true, m: 16, n: 64, k: 96, alpha: 1, beta: 1)
    let a = normalVector(p.aCount, seed: 5).map(Float.init)
    let b = normalVector(p.bCount, seed: 6).map(Float.init)
    let start = normalVector(p.m * p.ldc, seed: 7).map(Float.init)
    func product() -> [Float] {
      var c = start
      Float.gemm(
        transA: p.transA, transB: p.transB, m: p.m, n: p.n, k: p.k, alpha: p.alpha, a: a, lda: p.lda, b: b,
        ldb: p.ldb, beta: p.beta, c: &c, ldc: p.ldc)
      return c
    }
    let alone = product()
    let results = UnsafeMutableBufferPointer<[Float]>.allocate(capacity: 4)
    defer { results.deallocate() }
    let shared = UncheckedBox(results)
    parallelFor(4, threads: 2) { i in (shared.value.baseAddress! + i).initialize(to: product()) }
    for i in 0..<4 { #expect(results[i].map(\.bitPattern) == alone.map(\.bitPattern)) }
  }
}
