import Foundation
import Testing

/// `flatland theory --checkpoint`: estimates at a briefly trained run and the predicted ordering.
extension CLITests {
  @Test func theoryAtACheckpointPredictsCentralizedBelowDiffusionBelowConsensus() throws {
    let out = NSTemporaryDirectory() + "flatland-cli-\(UUID().uuidString)"
    let train = try run([
      "train", "--dataset", "synthetic:gaussians:4,10,n=800,test=200", "--model", "mlp:8", "--agents", "2", "--batch",
      "8",
      "--lr", "0.2", "--iterations", "150", "--strategy", "centralized", "--out", out,
    ])
    #expect(train.status == 0, "\(train.err)")
    let args = [
      "theory", "--checkpoint", out + "/centralized", "--samples", "400", "--gradient-samples", "100", "--topology",
      "ring", "--agents", "8",
    ]
    let r = try run(args + ["--mu", "0.05", "--batch", "4", "--json"])
    #expect(r.status == 0, "\(r.err)")
    let report = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as! [String: Any]
    let estimates = report["estimates"] as! [String: Any]
    for key in [
      "trace_hessian", "trace_hessian_stderr", "top_eigenvalues", "trace_noise", "trace_noise_stderr",
      "trace_hessian_noise", "trace_hessian_noise_stderr", "loss", "hvps",
    ] {
      #expect(estimates[key] != nil, "missing estimates.\(key)")
    }
    #expect(estimates["samples"] as? Int == 400 && estimates["gradient_samples"] as? Int == 100)
    let noise = estimates["trace_noise"] as! Double
    let noiseError = estimates["trace_noise_stderr"] as! Double
    #expect(noise > 0 && noiseError > 0 && noiseError < noise, "Tr R \(noise) ± \(noiseError)")
    let top = estimates["top_eigenvalues"] as! [Double]
    #expect(top.count == 3 && top[0] >= top[1] && top[1] >= top[2] && top[0] > 0)
    #expect((estimates["trace_hessian"] as! Double) > top[0])
    let risk = report["excess_risk"] as! [String: Double]
    #expect(risk["centralized"]! < risk["diffusion"]! && risk["diffusion"]! < risk["consensus"]!, "\(risk)")
    #expect(Array((report["ordering"] as! [String]).prefix(3)) == ["centralized", "diffusion", "consensus"])
    // Beyond a strategy's stability limit, and flags of the other form: one-line errors.
    let limit = (report["stability_limit"] as! [String: Double])["consensus"]!
    let unstable = try run(args + ["--mu", "\(2 * limit)"])
    #expect(
      unstable.status != 0 && unstable.err.contains("step size μ") && unstable.err.contains("stability limit"),
      "\(unstable.err)")
    let mixed = try run(args + ["--mu", "0.05", "--hessian", "1,2"])
    #expect(mixed.status != 0 && mixed.err.contains("--hessian") && mixed.err.contains("--checkpoint"), "\(mixed.err)")
  }

  @Test(arguments: [
    (["theory", "--mu", "0.1"], "--hessian"),
    (["theory", "--mu", "0.1", "--hessian", "1,2", "--samples", "10"], "--samples"),
    (["theory", "--mu", "0.1", "--hessian", "1,-2"], "-2"),
    (["theory", "--mu", "0.1", "--hessian", "1,nan"], "nan"),
    (["theory", "--mu", "0.1", "--hessian", "1,2", "--noise", "1"], "--noise"),
    (["theory", "--mu", "5", "--hessian", "1,2"], "μ = 5"),
    (["theory", "--mu", "0.1", "--checkpoint", "/nonexistent/run"], "/nonexistent/run"),
    (["theory", "--mu", "0.1", "--checkpoint", "/nonexistent/run", "--simulate", "10"], "--simulate"),
  ])
  func theoryRejectsBadInputByName(_ args: [String], _ named: String) throws {
    let r = try run(args)
    #expect(r.status != 0)
    let lines = r.err.split(separator: "\n").filter { !$0.isEmpty }
    #expect(lines.count >= 1 && lines[0].contains(named), "stderr: \(r.err)")
    #expect(!r.err.contains("Fatal error"))
  }
}
