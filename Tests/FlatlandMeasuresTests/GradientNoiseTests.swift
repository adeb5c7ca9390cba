import FlatlandCore
import FlatlandMeasures
import FlatlandModels
import FlatlandTestSupport
import Foundation
import Testing

/// Tr R and Tr(HR) estimates against softmax regression, whose per-sample gradients and
/// Hessian have closed forms, computed densely in Double.
@Suite struct GradientNoiseTests {
  /// Softmax regression (4 inputs, 3 classes, 15 parameters) on 200 samples at a generic point.
  struct Logistic {
    static let shared = Logistic()
    static let inputs = 4, classes = 3
    let n = 200
    let network: Network
    let features: [Double]
    let labels: [Int32]
    let w: [Double]
    /// Dense per-sample gradients g_s (n × d) and the Hessian of the mean loss (d × d).
    let gradients: [[Double]]
    let hessian: [Double]

    private init() {
      let inputs = Self.inputs
      let classes = Self.classes
      let n = 200
      let network = try! Network.named("logreg", input: .flat(inputs), classes: classes)
      let x = normalVector(n * inputs, seed: 61)
      let teacher = normalVector(classes * inputs, seed: 62)
      let labels: [Int32] = (0..<n).map { s in
        let scores = (0..<classes).map { c in
          (0..<inputs).reduce(0.0) { $0 + teacher[c * inputs + $1] * x[s * inputs + $1] }
        }
        let best = Int32(scores.indices.max { scores[$0] < scores[$1] }!)
        return s % 5 == 0 ? (best + 1) % 3 : best
      }
      let w = normalVector(network.parameterCount, seed: 63, scale: 0.7)
      let d = network.parameterCount
      // Layout: W (classes × inputs) row-major, then b. φ = (x, 1) pairs with W's columns and b.
      func index(_ c: Int, _ j: Int) -> Int { j < inputs ? c * inputs + j : classes * inputs + c }
      var gradients: [[Double]] = []
      var hessian = [Double](repeating: 0, count: d * d)
      for s in 0..<n {
        let phi = Array(x[(s * inputs)..<((s + 1) * inputs)]) + [1]
        let z = (0..<classes).map { c in (0...inputs).reduce(0.0) { $0 + w[index(c, $1)] * phi[$1] } }
        let top = z.max()!
        let e = z.map { exp($0 - top) }
        let p = e.map { $0 / e.reduce(0, +) }
        var g = [Double](repeating: 0, count: d)
        for c in 0..<classes {
          for j in 0...inputs { g[index(c, j)] = (p[c] - (c == Int(labels[s]) ? 1 : 0)) * phi[j] }
        }
        gradients.append(g)
        // ∇²ℓ_s = (diag p − ppᵀ) ⊗ φφᵀ, averaged over samples.
        for c in 0..<classes {
          for c2 in 0..<classes {
            let curvature = (c == c2 ? p[c] : 0) - p[c] * p[c2]
            for j in 0...inputs {
              for j2 in 0...inputs {
                hessian[index(c, j) * d + index(c2, j2)] += curvature * phi[j] * phi[j2] / Double(n)
              }
            }
          }
        }
      }
      (self.network, self.features, self.labels, self.w) = (network, x, labels, w)
      (self.gradients, self.hessian) = (gradients, hessian)
    }

    func objective() -> NetworkObjective<Double> {
      try! NetworkObjective(network: network, features: features, labels: labels, parts: 3, threads: 2)
    }

    /// ∇J, Tr R = (1/N) Σ ‖g_s − ∇J‖² and Tr(HR) = (1/N) Σ (g_s − ∇J)ᵀ H (g_s − ∇J), densely.
    var dense: (gradientNorm: Double, traceNoise: Double, traceHessianNoise: Double) {
      let d = network.parameterCount
      let mean = (0..<d).map { i in gradients.reduce(0.0) { $0 + $1[i] } / Double(n) }
      var traceNoise = 0.0
      var traceHessianNoise = 0.0
      for g in gradients {
        let c = zip(g, mean).map { $0 - $1 }
        traceNoise += VectorMath.dot(c, c) / Double(n)
        for i in 0..<d { for j in 0..<d { traceHessianNoise += c[i] * hessian[i * d + j] * c[j] / Double(n) } }
      }
      return (VectorMath.norm(mean), traceNoise, traceHessianNoise)
    }
  }

  let model = Logistic.shared

  @Test func theWholeSetGivesTheDenseValuesWithZeroStandardError() throws {
    let estimate = try GradientNoise.estimate(model.objective(), at: model.w, samples: model.n)
    let dense = model.dense
    #expect(
      relativeError(estimate.traceNoise, dense.traceNoise) < 1e-12,
      "Tr R \(estimate.traceNoise) vs dense \(dense.traceNoise)")
    #expect(
      relativeError(estimate.traceHessianNoise, dense.traceHessianNoise) < 1e-12,
      "Tr(HR) \(estimate.traceHessianNoise) vs dense \(dense.traceHessianNoise)")
    #expect(relativeError(estimate.meanGradientNorm, dense.gradientNorm) < 1e-12)
    #expect(estimate.traceNoiseStderr == 0 && estimate.traceHessianNoiseStderr == 0)
    #expect(estimate.samples == 200 && estimate.population == 200 && estimate.hvps == 200)
  }

  @Test func aSubsampleIsWithinThreeStandardErrorsAndTheErrorsAreCalibrated() throws {
    let objective = model.objective()
    let dense = model.dense
    let estimate = try GradientNoise.estimate(objective, at: model.w, samples: 40, seed: 1)
    #expect(estimate.traceNoiseStderr > 0 && estimate.traceHessianNoiseStderr > 0)
    #expect(
      abs(estimate.traceNoise - dense.traceNoise) <= 3 * estimate.traceNoiseStderr,
      "Tr R \(estimate.traceNoise) ± \(estimate.traceNoiseStderr) vs dense \(dense.traceNoise)")
    #expect(
      abs(estimate.traceHessianNoise - dense.traceHessianNoise) <= 3 * estimate.traceHessianNoiseStderr,
      "Tr(HR) \(estimate.traceHessianNoise) ± \(estimate.traceHessianNoiseStderr) vs dense \(dense.traceHessianNoise)")
    // Over 40 seeds the errors in units of the standard error have a root mean square near 1
    // (a standard error off by a factor of 2 either way fails), and the mean is near unbiased.
    var squares = (0.0, 0.0)
    var bias = (0.0, 0.0)
    let seeds = 40
    for seed in 0..<UInt64(seeds) {
      let e = try GradientNoise.estimate(objective, at: model.w, samples: 40, seed: seed)
      squares.0 += pow((e.traceNoise - dense.traceNoise) / e.traceNoiseStderr, 2) / Double(seeds)
      squares.1 += pow((e.traceHessianNoise - dense.traceHessianNoise) / e.traceHessianNoiseStderr, 2) / Double(seeds)
      bias.0 += (e.traceNoise - dense.traceNoise) / Double(seeds)
      bias.1 += (e.traceHessianNoise - dense.traceHessianNoise) / Double(seeds)
    }
    #expect(squares.0.squareRoot() > 0.5 && squares.0.squareRoot() < 2, "RMS z-score of Tr R \(squares.0.squareRoot())")
    #expect(
      squares.1.squareRoot() > 0.5 && squares.1.squareRoot() < 2, "RMS z-score of Tr(HR) \(squares.1.squareRoot())")
    #expect(abs(bias.0) < 0.1 * dense.traceNoise && abs(bias.1) < 0.1 * dense.traceHessianNoise, "mean errors \(bias)")
  }

  @Test func floatAgreesWithDouble() throws {
    let float = try NetworkObjective(
      network: model.network, features: model.features.map(Float.init), labels: model.labels)
    let single = try GradientNoise.estimate(float, at: model.w.map(Float.init), samples: model.n)
    let dense = model.dense
    #expect(relativeError(single.traceNoise, dense.traceNoise) < 1e-6)
    #expect(relativeError(single.traceHessianNoise, dense.traceHessianNoise) < 1e-6)
  }

  @Test func badSampleCountsAndPointsAreNamed() {
    let objective = model.objective()
    for bad in [1, 201] {
      do {
        _ = try GradientNoise.estimate(objective, at: model.w, samples: bad)
        Issue.record("sample count \(bad) was accepted")
      } catch let error as FlatlandError {
        #expect(error.message.contains("gradient sample count '\(bad)'") && error.message.contains("200"))
      } catch {
        Issue.record("unexpected \(error)")
      }
    }
    #expect(throws: FlatlandError.self) { try GradientNoise.estimate(objective, at: [1, 2, 3], samples: 10) }
    #expect(throws: FlatlandError.self) {
      try GradientNoise.estimate(objective, at: model.w.map { _ in .nan }, samples: 10)
    }
  }
}
