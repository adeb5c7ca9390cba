import Foundation

@testable import FlatlandReport

/// A report with every block kind and data shaped like Flatland's experiments: training curves
/// with 95% bands, log-log escape curves with dashed theory overlays, λ_max against 2/μ,
/// scatters with fits, a table, a verdict of each outcome, inline SVG figures and code.
enum SampleReport {
  static let strategies = ["centralized", "consensus", "diffusion"]

  /// A deterministic stand-in for noise, in [−1, 1].
  static func wiggle(_ i: Int, _ seed: Int) -> Double {
    let s = sin(Double(i * 7919 + seed * 104_729) * 12.9898) * 43_758.5453
    return 2 * (s - s.rounded(.down)) - 1
  }

  static var document: ReportDocument {
    ReportDocument(
      title: "Flatland reproduction: flatness and optimization error in decentralized learning",
      lead: "Three strategies trained on Fashion-MNIST over a ring of 16 agents, 5 seeds each. "
        + "Every chart shows means with 95% intervals across seeds.",
      generatedAt: "Generated 2025-01-01 12:00 UTC from run reproduce-0001",
      sections: [setup, training, escape, sharpness, flatness, topology, verdicts, rerun])
  }

  static let setup = ReportSection(
    id: "setup", title: "Setup", intro: "The configuration below is the one every strategy shares.",
    blocks: [
      .table(
        ReportTable(
          caption: "Final test accuracy (mean over 5 seeds, 95% interval)",
          columns: ["Strategy", "Agents", "Accuracy", "95% interval", "λ_max"],
          rows: [
            .init(["centralized", "16", "0.871", "[0.866, 0.876]", "12.4"]),
            .init(["consensus", "16", "0.853", "[0.845, 0.861]", "31.0"]),
            .init(["diffusion", "16", "0.879", "[0.874, 0.884]", "9.85"], emphasized: true),
          ])),
      .text("Accuracy is measured on the 10 000 held-out images.\n\nλ_max is the largest Hessian eigenvalue."),
    ])

  static var training: ReportSection {
    let steps = (0...60).map { Double($0) * 50 }
    func curve(_ k: Int, loss: Bool) -> LineChart.Series {
      let rate = [1.0, 0.8, 1.15][k]
      let y = steps.enumerated().map { i, t in
        let base = loss ? 2.3 * exp(-t * rate / 700) + 0.32 : 0.88 - 0.78 * exp(-t * rate / 500)
        return base + 0.01 * wiggle(i, k)
      }
      let width = steps.map { t in 0.02 + 0.05 * exp(-t / 900) }
      return .init(
        name: strategies[k], x: steps, y: y, lower: zip(y, width).map { $0 - $1 }, upper: zip(y, width).map { $0 + $1 },
        colorKey: strategies[k])
    }
    let cut = LineChart.VerticalLine(x: 2000, label: "μ ÷ 10")
    return ReportSection(
      id: "training", title: "Training curves",
      blocks: [
        .grid([
          .lineChart(
            LineChart(
              title: "Training loss", xLabel: "iteration", yLabel: "loss",
              series: (0..<3).map { curve($0, loss: true) },
              verticalLines: [cut])),
          .lineChart(
            LineChart(
              title: "Test accuracy", xLabel: "iteration", yLabel: "accuracy",
              series: (0..<3).map { curve($0, loss: false) }, verticalLines: [cut])),
        ])
      ])
  }

  static var escape: ReportSection {
    let mus = (0...12).map { pow(10, -2 + Double($0) / 6) }
    // Measured series first, then the theory: with one legend column per strategy, each
    // theory entry sits under its measurement.
    var measured: [LineChart.Series] = []
    var theory: [LineChart.Series] = []
    for (k, name) in strategies.enumerated() {
      let c = [40.0, 25.0, 55.0][k]
      var y = mus.enumerated().map { i, mu in c / (mu * mu) * (1 + 0.15 * wiggle(i, k + 3)) }
      if name == "consensus" { y[12] = .nan }  // diverged at the largest step size
      measured.append(.init(name: name, x: mus, y: y, showsMarkers: true, colorKey: name))
      theory.append(
        .init(name: "\(name), theory", x: mus, y: mus.map { c / ($0 * $0) }, style: .dashed, colorKey: name))
    }
    let series = measured + theory
    return ReportSection(
      id: "escape", title: "Escape times",
      intro: "Measured mean escape time from a sharp minimum against the step size, with the theory's prediction.",
      blocks: [
        .lineChart(
          LineChart(
            title: "Escape time against step size", xLabel: "step size μ", yLabel: "escape time (iterations)",
            xScale: .log, yScale: .log, series: series))
      ])
  }

  static var sharpness: ReportSection {
    let steps = (0...80).map { Double($0) * 25 }
    let series = strategies.enumerated().map { k, name in
      LineChart.Series(
        name: name, x: steps,
        y: steps.enumerated().map { i, t in (12 + 8 * Double(k) + 0.6 * wiggle(i, k + 9)) * (1 - exp(-t / 400)) },
        colorKey: name)
    }
    return ReportSection(
      id: "sharpness", title: "Sharpness along training",
      blocks: [
        .lineChart(
          LineChart(
            title: "λ_max of the Hessian along training", xLabel: "iteration", yLabel: "λ_max", series: series,
            referenceLines: [.init(y: 40, label: "2/μ = 40")]))
      ])
  }

  static var flatness: ReportSection {
    func groups(_ slope: Double) -> [ScatterChart.Group] {
      strategies.enumerated().map { k, name in
        .init(
          name: name,
          points: (0..<5).map { seed in
            let x = 5 + 10 * Double(k) + 3 * wiggle(seed, k + 20)
            return .init(x: x, y: 0.9 + slope * x + 0.01 * wiggle(seed, k + 30), label: "\(name), seed \(seed)")
          }, colorKey: name)
      }
    }
    return ReportSection(
      id: "flatness", title: "Flatness and accuracy",
      blocks: [
        .grid([
          .scatter(
            ScatterChart(
              title: "Flatness against accuracy", xLabel: "λ_max", yLabel: "test accuracy", groups: groups(-0.002),
              fits: [.init(slope: -0.002, intercept: 0.9, label: "fit, R² = 0.81")])),
          .scatter(
            ScatterChart(
              title: "Optimization error against accuracy", xLabel: "‖∇J‖²", yLabel: "test accuracy",
              groups: groups(-0.001), fits: [.init(slope: -0.001, intercept: 0.9, label: "fit, R² = 0.42")])),
        ])
      ])
  }

  /// A ring of 8 agents as another tool would write it: XML prolog, fixed size, and an id.
  static let ringSVG: String = {
    var svg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"240\" height=\"240\" viewBox=\"0 0 240 240\">\n"
    svg += "<defs><clipPath id=\"plot\"><rect width=\"240\" height=\"240\"/></clipPath></defs>\n"
    svg += "<g clip-path=\"url(#plot)\" stroke=\"#555\">\n"
    let points = (0..<8).map { k in
      (120 + 100 * sin(Double(k) * Double.pi / 4), 120 - 100 * cos(Double(k) * Double.pi / 4))
    }
    for k in 0..<8 {
      let (a, b) = (points[k], points[(k + 1) % 8])
      svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", a.0, a.1, b.0, b.1)
    }
    for p in points { svg += String(format: "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"9\" fill=\"#fff\"/>\n", p.0, p.1) }
    return svg + "</g>\n</svg>\n"
  }()

  static let topology = ReportSection(
    id: "topology", title: "Topology",
    blocks: [
      .grid([
        .figure(title: "Ring, K = 8", svg: ringSVG, caption: "Agents on a circle; lines are edges of the graph."),
        .figure(title: "Ring again", svg: ringSVG, caption: "The same drawing twice: its ids must not collide."),
      ])
    ])

  static let verdicts = ReportSection(
    id: "verdicts", title: "Verdicts",
    blocks: [
      .verdicts([
        Verdict(
          claim: "Claim 1", title: "Diffusion finds flatter minima than consensus",
          statement: "λ_max at the end of training is lower for diffusion than for consensus.",
          outcome: .supported,
          evidence: [
            .init(comparison: "λ_max, consensus − diffusion", difference: 21.2, lower: 14.9, upper: 27.5, n: 5),
            .init(comparison: "trace, consensus − diffusion", difference: 310, lower: 120, upper: 500, n: 5),
          ], explanation: "Both intervals exclude zero."),
        Verdict(
          claim: "Claim 2", title: "Flatness predicts accuracy",
          statement: "Flatter minima generalize better across strategies.", outcome: .notSupported,
          evidence: [
            .init(comparison: "slope of accuracy on λ_max", difference: 0.0004, lower: -0.0002, upper: 0.001, n: 15)
          ],
          explanation: "The interval covers zero and the fit explains little of the variance."),
        Verdict(
          claim: "Claim 3", title: "Escape time follows 1/μ²", statement: "Escape time scales as μ⁻².",
          outcome: .inconclusive,
          evidence: [.init(comparison: "log-log slope + 2", difference: 0.3, lower: -0.1, upper: 0.7, n: 12)],
          explanation: "Too few step sizes to tell."),
      ])
    ])

  static let rerun = ReportSection(
    id: "rerun", title: "Re-running this report",
    blocks: [
      .code(
        "flatland reproduce --config reproduce.yaml --out results/reproduce-0001\n"
          + "flatland report results/reproduce-0001"),
      .code("flatland 0.5.0 (Swift 6.1, OpenBLAS 0.3.21)"),
    ])
}
