import FlatlandCore
import FlatlandData
import FlatlandEngines
import FlatlandExperiments
import FlatlandMeasures
import FlatlandModels
import FlatlandStrategies
import Foundation

/// The benchmark workloads, timed in this process beside the sgemm rate of the same run.
/// Figures mean something only in a release build on an otherwise idle machine.
public enum Benchmark {
  public enum Workload: String, CaseIterable, Sendable {
    /// Diffusion training, mlp:256,256, K = 16, B = 64.
    case W1
    /// The same with B = 16: skinny per-agent products.
    case W2
    /// Diffusion training, lenet5, K = 8, B = 32, 60 iterations.
    case W3
    /// Hessian-vector products of mlp:256,256 on 2048 samples.
    case W4
    /// Lanczos to λ_max at 1e-3 relative on the same objective.
    case W5
  }

  public struct Result: Codable, Sendable {
    public var samplesPerSecond: Double?
    public var hvpsPerSecond: Double?
    public var seconds: Double?
    public var hvps: Int?
    /// W5: λ_max and its certified relative error bound (Lanczos's Ritz residual bound).
    public var eigenvalue: Double?
    public var errorBound: Double?
    public var gflops: Double
    public var sgemmGflops: Double

    enum CodingKeys: String, CodingKey {
      case seconds, hvps, gflops, eigenvalue
      case errorBound = "error_bound"
      case samplesPerSecond = "samples_per_s"
      case hvpsPerSecond = "hvps_per_s"
      case sgemmGflops = "sgemm_gflops"
    }

    /// One line: the rate and the GFLOPS beside sgemm's.
    public var summary: String {
      let rate =
        samplesPerSecond.map { String(format: "%.0f samples/s", $0) }
        ?? hvpsPerSecond.map { String(format: "%.1f HVPs/s", $0) } ?? String(format: "%.3f s", seconds ?? 0)
      return String(format: "%@  %.1f GFLOPS (sgemm %.1f)", rate, gflops, sgemmGflops)
    }
  }

  public static func measure(_ w: Workload, sgemm: Double) throws -> Result {
    switch w {
    case .W1: try training(model: "mlp:256,256", agents: 16, batch: 64, sgemm: sgemm)
    case .W2: try training(model: "mlp:256,256", agents: 16, batch: 16, sgemm: sgemm)
    case .W3: try training(model: "lenet5", agents: 8, batch: 32, sgemm: sgemm, iterations: 60)
    case .W4, .W5: try hessian(w, sgemm: sgemm)
    }
  }

  /// Diffusion ATC on Fashion-MNIST over a ring with Metropolis weights; training time only.
  static func training(model: String, agents: Int, batch: Int, sgemm: Double, iterations: Int? = nil) throws -> Result {
    var c = TrainingConfig()
    (c.model, c.agents, c.batch, c.strategies, c.lr) = (model, agents, batch, ["diffusion"], 0.05)
    (c.epochs, c.iterations, c.evalSamples, c.agentEvalSamples) = (1, iterations, 256, 64)
    let e = try Experiment(c)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flatland-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try StrategyRun(
      experiment: e, strategy: Strategy(.diffusion), folder: folder,
      communicator: InProcessCommunicator(agents: agents), resume: false)
    let rate = try run.run { _ in }.final.samplesPerSecond
    return Result(samplesPerSecond: rate, gflops: rate * e.network.gradientFlops / 1e9, sgemmGflops: sgemm)
  }

  /// W4: HVPs/s of mlp:256,256 on 2048 Fashion-MNIST samples; W5: seconds for Lanczos to reach
  /// λ_max at 1e-3 relative. Both after 200 SGD steps of batch 128 cycling through the 2048
  /// samples (the PyTorch peer's recipe).
  static func hessian(_ w: Workload, sgemm: Double) throws -> Result {
    let data = try DataSpec(parsing: "fashion-mnist").load(dataDir: nil, seed: 0).train.prefix(2048)
    let network = try Network.named("mlp:256,256", input: data.shape, classes: data.classes)
    let objective = try NetworkObjective(network: network, features: data.features, labels: data.labels)
    var params = network.initialParameters(seed: 0)
    let ws = network.makeWorkspace(capacity: 128, of: Float.self)
    let d = data.shape.count
    // One BLAS thread: a multithreaded product would leave OpenBLAS's worker spinning into the
    // timed products, which run their chunks on threads of their own.
    BLASThreads.with(1) {
      for step in 0..<200 {
        let lo = (step % 16) * 128
        data.features.withUnsafeBufferPointer { x in
          data.labels.withUnsafeBufferPointer { y in
            params.withUnsafeMutableBufferPointer { p in
              _ = network.descend(
                p, stepSize: 0.1, weightDecay: 0,
                features: UnsafeBufferPointer(rebasing: x[(lo * d)..<((lo + 128) * d)]),
                labels: UnsafeBufferPointer(rebasing: y[lo..<(lo + 128)]), workspace: ws)
            }
          }
        }
      }
    }
    let hvpFlops = Double(data.count) * network.hvpFlops
    // Untimed warm-up HVP, as the PyTorch peer takes one: it warms the kernels, faults in the
    // workspaces and prepares the curvature cache at this point.
    var v = network.initialParameters(seed: 9)
    var out = v
    objective.hessianVectorProduct(params, direction: v, result: &out)
    if w == .W4 {
      let reps = 20  // as many as the PyTorch peer times
      let start = Date()
      for _ in 0..<reps {
        objective.hessianVectorProduct(params, direction: v, result: &out)
        swap(&v, &out)
      }
      let seconds = Date().timeIntervalSince(start)
      return Result(
        hvpsPerSecond: Double(reps) / seconds, gflops: Double(reps) * hvpFlops / seconds / 1e9, sgemmGflops: sgemm)
    }
    // W5's peer warms up by a double backprop that keeps no graph, and its timed run builds
    // the graph again; evaluating the loss drops the prepared curvature likewise, so the timed
    // Lanczos run prepares its point itself.
    _ = objective.loss(params)
    let start = Date()
    let spectrum = try HessianSpectrum.lanczos(objective, at: params, k: 1, tolerance: 1e-3)
    let seconds = Date().timeIntervalSince(start)
    return Result(
      seconds: seconds, hvps: spectrum.hvps, eigenvalue: spectrum.topEigenvalues.first,
      errorBound: spectrum.toleranceReached, gflops: Double(spectrum.hvps) * hvpFlops / seconds / 1e9,
      sgemmGflops: sgemm)
  }

  /// Two single-threaded 512×512 sgemms at once, one per core: the rate the agent-parallel
  /// engine can reach. The best of five rounds (after a warm-up product), so the reference is
  /// the machine's peak rather than one sample of its noise, and shares of it are conservative.
  public static func sgemmGflops() -> Double {
    let n = 512
    let reps = 8
    let rounds = 5
    let a = [Float](repeating: 0.5, count: n * n)
    var best = 0.0
    BLASThreads.with(1) {
      for round in 0...rounds {
        let start = Date()
        parallelFor(2, threads: 2) { _ in
          var c = [Float](repeating: 0, count: n * n)
          for _ in 0..<(round == 0 ? 1 : reps) {
            Float.gemm(
              transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n, b: a, ldb: n, beta: 0, c: &c,
              ldc: n)
          }
        }
        if round > 0 {
          best = max(best, 2 * 2 * Double(reps) * Double(n * n * n) / Date().timeIntervalSince(start) / 1e9)
        }
      }
    }
    return best
  }
}
