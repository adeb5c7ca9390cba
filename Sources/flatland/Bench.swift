import ArgumentParser
import FlatlandCore
import FlatlandData
import FlatlandEngines
import FlatlandExperiments
import FlatlandMeasures
import FlatlandModels
import FlatlandStrategies
import Foundation

/// `flatland bench`: the issue-8 workloads, timed in this process, with the OpenBLAS sgemm rate
/// measured in the same run. Build with `-c release`.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Time the benchmark workloads W1–W5 (release build).")

  enum Workload: String, CaseIterable, ExpressibleByArgument { case W1, W2, W3, W4, W5 }

  @Option(help: "One workload (default: all).")
  var workload: Workload?

  @Flag(help: "Print JSON.")
  var json = false

  struct Result: Codable {
    var samplesPerSecond: Double?
    var hvpsPerSecond: Double?
    var seconds: Double?
    var hvps: Int?
    /// W5: λ_max and its certified relative error bound (Lanczos's Ritz residual bound).
    var eigenvalue: Double?
    var errorBound: Double?
    var gflops: Double
    var sgemmGflops: Double
    enum CodingKeys: String, CodingKey {
      case seconds, hvps, gflops, eigenvalue
      case errorBound = "error_bound"
      case samplesPerSecond = "samples_per_s"
      case hvpsPerSecond = "hvps_per_s"
      case sgemmGflops = "sgemm_gflops"
    }
  }

  func run() throws {
    let sgemm = Self.sgemmGflops()
    var results: [String: Result] = [:]
    for w in workload.map({ [$0] }) ?? Workload.allCases {
      results[w.rawValue] = try measure(w, sgemm: sgemm)
      if !json { FileHandle.standardError.write(Data("\(w.rawValue) done\n".utf8)) }
    }
    if json {
      try printJSON(results)
    } else {
      for (name, r) in results.sorted(by: { $0.key < $1.key }) {
        let rate =
          r.samplesPerSecond.map { String(format: "%.0f samples/s", $0) } ?? r.hvpsPerSecond.map {
            String(format: "%.1f HVPs/s", $0)
          } ?? String(format: "%.3f s", r.seconds ?? 0)
        print(String(format: "%@  %@  %.1f GFLOPS (sgemm %.1f)", name, rate, r.gflops, r.sgemmGflops))
      }
    }
  }

  private func measure(_ w: Workload, sgemm: Double) throws -> Result {
    switch w {
    case .W1: return try training(model: "mlp:256,256", agents: 16, batch: 64, sgemm: sgemm)
    case .W2: return try training(model: "mlp:256,256", agents: 16, batch: 16, sgemm: sgemm)
    case .W3: return try training(model: "lenet5", agents: 8, batch: 32, sgemm: sgemm, iterations: 60)
    case .W4, .W5: return try hessian(w, sgemm: sgemm)
    }
  }

  /// Diffusion ATC on Fashion-MNIST over a ring with Metropolis weights; training time only.
  private func training(model: String, agents: Int, batch: Int, sgemm: Double, iterations: Int? = nil) throws -> Result
  {
    var c = TrainingConfig()
    c.model = model
    c.agents = agents
    c.batch = batch
    c.strategies = ["diffusion"]
    c.lr = 0.05
    c.epochs = 1
    c.iterations = iterations
    c.evalSamples = 256
    c.agentEvalSamples = 64
    let e = try Experiment(c)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("flatland-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let run = try StrategyRun(
      experiment: e, strategy: Strategy(.diffusion), folder: folder,
      communicator: InProcessCommunicator(agents: agents), resume: false)
    let rate = try run.run { _ in }.final.samplesPerSecond
    return Result(samplesPerSecond: rate, gflops: rate * Self.gradientFlops(e.network) / 1e9, sgemmGflops: sgemm)
  }

  /// W4: HVPs/s of mlp:256,256 on 2048 Fashion-MNIST samples; W5: seconds for Lanczos to reach
  /// λ_max at 1e-3 relative, after 200 SGD steps from the seeded initialization.
  private func hessian(_ w: Workload, sgemm: Double) throws -> Result {
    let data = try DataSpec(parsing: "fashion-mnist").load(dataDir: nil, seed: 0).train.prefix(2048)
    let network = try Network.named("mlp:256,256", input: data.shape, classes: data.classes)
    let objective = try NetworkObjective(network: network, features: data.features, labels: data.labels)
    // 200 SGD steps of batch 128 cycling through the 2048 samples (the PyTorch peer's recipe),
    // on one BLAS thread: a multithreaded product would leave OpenBLAS's worker spinning into
    // the timed products, which run their chunks on threads of their own.
    var params = network.initialParameters(seed: 0)
    var g = params
    let ws = network.makeWorkspace(capacity: 128, of: Float.self)
    let d = data.shape.count
    BLASThreads.with(1) {
      for step in 0..<200 {
        let lo = (step % 16) * 128
        _ = network.lossAndGradient(
          params, features: Array(data.features[(lo * d)..<((lo + 128) * d)]),
          labels: Array(data.labels[lo..<(lo + 128)]),
          gradient: &g, workspace: ws)
        for i in params.indices { params[i] -= 0.1 * g[i] }
      }
    }
    let hvpFlops = Double(data.count) * Self.hvpFlops(network)
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

  /// Multiply-adds ×2 of one sample's forward product in each linear and convolution layer,
  /// in network order.
  static func layerFlops(_ network: Network) -> [Double] {
    var flops: [Double] = []
    func visit(_ layers: [Layer]) {
      for layer in layers {
        switch layer {
        case .linear(let l): flops.append(2 * Double(l.inputs * l.outputs))
        case .conv2D(let c): flops.append(2 * Double(c.output.count * c.input.channels * c.kernel * c.kernel))
        case .residual(let r):
          visit(r.body.layers)
          if let p = r.projection { flops.append(2 * Double(p.output.count * p.input.channels)) }
        default: break
        }
      }
    }
    visit(network.body.layers)
    return flops
  }

  /// One sample's gradient: each layer's forward product F_l, its weight gradient (F_l) and its
  /// input gradient (F_l), except the first layer's, which nobody needs: 3 ΣF − F_0.
  static func gradientFlops(_ network: Network) -> Double {
    let f = layerFlops(network)
    return 3 * f.reduce(0, +) - (f.first ?? 0)
  }

  /// One sample's HVP at a prepared point (forward pass and gradient sweep cached): R-forward
  /// and R-weight-gradient take one product each in the first layer (Rx = 0) and two in the
  /// others, which also need R{dx} (two): 2 F_0 + 6 Σ_{l>0} F_l.
  static func hvpFlops(_ network: Network) -> Double {
    let f = layerFlops(network)
    return 2 * (f.first ?? 0) + 6 * f.dropFirst().reduce(0, +)
  }

  /// Two single-threaded 512×512 sgemms at once, one per core: the rate the agent-parallel
  /// engine can reach. The best of five rounds (after a warm-up product), so the reference
  /// is the machine's peak rather than one sample of its noise, and shares of it are
  /// conservative.
  static func sgemmGflops() -> Double {
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
