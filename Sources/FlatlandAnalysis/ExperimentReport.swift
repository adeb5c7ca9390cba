import FlatlandCore
import FlatlandReport
import Foundation

/// `report.html` of a reproduction: the verdicts first, then the evidence behind them — the
/// escape curves with the theory at w*, λ_max against 2/μ, the sweep's cells, the accuracy
/// scatters with their fits, training curves, spectral densities, landscape slices, the
/// topology — and last what re-runs it.
public enum ExperimentReport {
  public static func document(_ r: ReproductionResults) throws -> ReportDocument {
    let doc = ReportDocument(
      title: "Flatness and optimization in distributed learning: reproduction (\(r.reproduction.preset.rawValue))",
      lead: "Centralized, consensus and diffusion learning on \(r.reproduction.sweep.base.dataset) with "
        + "\(r.reproduction.sweep.base.model), K = \(r.reproduction.sweep.base.agents) agents. Each verdict rests on "
        + "paired differences over seeds with 95% Student-t intervals: supported when every interval lies on the "
        + "claimed side of zero, not supported when one lies on the other side, inconclusive otherwise.",
      generatedAt: "\(Int(r.seconds)) s of computation",
      sections: [
        ReportSection(
          id: "verdicts", title: "Verdicts", blocks: [.verdicts(r.verdicts.map(verdict))]),
        escapeSection(r.escape),
        sweepSection(r.sweep, figures: r.figures),
        shapeSection(r.figures),
        ReportSection(
          id: "rerun", title: "Re-run",
          intro: "The command, the plans (as results.json records them) and the versions of this run.",
          blocks: [
            .code(r.command), .code(try JSONRendering.string(r.reproduction)),
            .code(r.versions.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "\n")),
          ]),
      ])
    try doc.validate()
    return doc
  }

  static func verdict(_ v: ClaimVerdict) -> Verdict {
    let outcome: Verdict.Outcome =
      switch v.outcome {
      case .supported: .supported
      case .notSupported: .notSupported
      case .inconclusive: .inconclusive
      }
    return Verdict(
      claim: "Claim \(v.claim)", title: ["", "Escape and flatness", "Consensus versus diffusion", "Accuracy"][v.claim],
      statement: v.statement, outcome: outcome,
      evidence: v.comparisons.map { c in
        Verdict.Evidence(
          comparison: c.description + (c.batch.map { " (B = \($0))" } ?? ""), difference: c.difference.mean,
          lower: c.difference.lower ?? c.difference.mean, upper: c.difference.upper ?? c.difference.mean,
          n: c.difference.count)
      },
      explanation: explanation(v))
  }

  static func explanation(_ v: ClaimVerdict) -> String {
    switch v.outcome {
    case .supported: "Every comparison's 95% interval lies on the side of zero the claim predicts."
    case .notSupported:
      "At least one comparison's 95% interval lies on the opposite side of zero: the claim does not hold here."
    case .inconclusive: "At least one comparison's 95% interval crosses zero: more seeds or larger effects are needed."
    }
  }

  static func band(_ m: [MeanInterval]) -> (y: [Double], lower: [Double]?, upper: [Double]?) {
    let bounded = m.allSatisfy { $0.lower != nil }
    return (m.map(\.mean), bounded ? m.map { $0.lower! } : nil, bounded ? m.map { $0.upper! } : nil)
  }

  static func escapeSection(_ e: EscapeResults) -> ReportSection {
    func curves(
      _ title: String, _ label: String, _ value: (EscapeSummary) -> [MeanInterval], theory: Bool
    ) -> LineChart {
      LineChart(
        title: title, xLabel: "iteration", yLabel: label, xScale: .log,
        series: e.strategies.map { s in
          let b = band(value(s))
          return LineChart.Series(
            name: s.strategy, x: s.iterations.map(Double.init), y: b.y, lower: b.lower, upper: b.upper,
            showsMarkers: true, colorKey: s.strategy)
        },
        referenceLines: theory
          ? e.strategies.compactMap { s in
            s.predictedExcessRisk.map {
              LineChart.ReferenceLine(y: $0, label: "theory: \(s.strategy)", style: .dashed, colorKey: s.strategy)
            }
          } : [])
    }
    let plan = e.plan
    var blocks: [ReportBlock] = [
      .grid([
        .lineChart(curves("J(w̄ᵢ) − J(w*), centroid", "excess loss", { $0.centroidExcess }, theory: true)),
        .lineChart(curves("(1/K) Σ J(w_k,ᵢ) − J(w*), agents", "excess loss", { $0.agentsExcess }, theory: true)),
        .lineChart(curves("‖w̄ᵢ − w*‖", "distance", { $0.distance }, theory: false)),
        .lineChart(curves("disagreement (1/K) Σ ‖w_k − w̄‖²", "disagreement", { $0.disagreement }, theory: false)),
      ]),
      .lineChart(
        LineChart(
          title: "λ_max along the escape runs against the stability bound 2/μ", xLabel: "iteration",
          yLabel: "λ_max(H(w̄ᵢ))",
          series: e.strategies.map { s in
            let b = band(s.lambdaMax)
            return LineChart.Series(
              name: s.strategy, x: s.lambdaIterations.map(Double.init), y: b.y, lower: b.lower, upper: b.upper,
              showsMarkers: true, colorKey: s.strategy)
          },
          referenceLines: [LineChart.ReferenceLine(y: 2 / plan.base.lr, label: "2/μ")])),
      .table(
        ReportTable(
          caption:
            "Escape from w* (J(w*) = \(TextTable.number(e.minimumLoss, digits: 4))) after N = \(plan.iterations) "
            + "iterations, R = \(plan.repetitions); escaped: J(w̄) − J(w*) > \(plan.lossThreshold) "
            + "or ‖w̄ − w*‖ > \(plan.distanceThreshold)",
          columns: ["strategy", "J(w̄_N) − J(w*)", "95% interval", "‖w̄_N − w*‖", "escaped", "first escape", "theory"],
          rows: e.strategies.map { s in
            let last = s.centroidExcess.last
            return ReportTable.Row([
              s.strategy, TextTable.number(last?.mean, digits: 4), ExperimentText.interval(last),
              TextTable.number(s.distance.last?.mean, digits: 4),
              "\(s.escapeIterations.compactMap { $0 }.count)/\(s.escapeIterations.count)",
              s.escapeIterations.compactMap { $0 }.min().map(String.init) ?? "-",
              TextTable.number(s.predictedExcessRisk, digits: 4),
            ])
          })),
    ]
    if let t = e.theory {
      blocks.append(
        .text(
          "Theory at w*: Tr H = \(TextTable.number(t.estimates.traceHessian, digits: 4)), λ_max = "
            + "\(TextTable.number(t.estimates.lambdaMax, digits: 4)), Tr R = "
            + "\(TextTable.number(t.estimates.noise.traceNoise, digits: 4)), Tr(HR) = "
            + "\(TextTable.number(t.estimates.noise.traceHessianNoise, digits: 4)); "
            + "validity gauge μ λ_max / (1 − |λ₂|) = "
            + "\(TextTable.number(t.expansionParameter, digits: 3)) (the small-μ expansion needs it ≪ 1). "
            + "Dashed lines: "
            + "each strategy's predicted steady-state excess risk."
            + (t.unstable.map {
              $0.isEmpty
                ? ""
                : " At w*, μ is beyond the stability limit of "
                  + $0.joined(separator: ", ") + " along λ_max: w* is not a stable point of "
                  + ($0.count == 1 ? "that strategy" : "those strategies") + ", which must leave it."
            } ?? "")))
    } else if let note = e.theoryNote {
      blocks.append(.text("No theory overlay at w*: \(note)."))
    }
    return ReportSection(
      id: "escape", title: "Escape from a local minimum",
      intro: "Every strategy starts at w* with the same μ = \(plan.base.lr), B = \(plan.base.batch) and K = "
        + "\(plan.base.agents); curves are means over \(plan.repetitions) repetitions with 95% bands, on a fixed "
        + "training subset of \(plan.samples) samples.",
      blocks: blocks)
  }

  static func sweepSection(_ s: SweepResults, figures: ReportFigures) -> ReportSection {
    let shown =
      [
        ("test_accuracy_centroid", "test acc"), ("train_loss_centroid", "train loss"),
        ("disagreement", "disagreement"), ("lambda_max", "λ_max"), ("trace", "Tr H"), ("sharpness_avg", "sharpness"),
      ] + (s.cells.contains { $0.metrics["test_accuracy_swa"] != nil } ? [("test_accuracy_swa", "test acc (SWA)")] : [])
    let table = ReportTable(
      caption: "Each cell: mean [95% interval] over seeds \(s.plan.seeds.map(String.init).joined(separator: ", "))",
      columns: ["strategy", "B", "topology", "partition"] + shown.map(\.1),
      rows: s.cells.map { c in
        ReportTable.Row(
          [c.strategy, "\(c.batch)", c.topology, c.partition]
            + shown.map { key, _ in
              guard let m = c.metrics[key] else { return "–" }
              return TextTable.number(m.mean, digits: 4) + " " + ExperimentText.interval(m)
            })
      })
    func scatter(_ title: String, _ xLabel: String, _ x: (SweepRun) -> Double, fit: TradeOffFit.Model?) -> ScatterChart
    {
      var fits: [ScatterChart.Fit] = []
      if let fit, let f = s.fit {
        // The fit is on z-scores; back in data units y = c₀ − c₁ μ/σ + (c₁/σ) x.
        let xs = s.runs.map(x)
        let mean = xs.reduce(0, +) / Double(xs.count)
        let sd = (xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1)).squareRoot()
        let slope = fit.coefficients[1] / sd
        fits.append(
          ScatterChart.Fit(
            slope: slope, intercept: fit.coefficients[0] - slope * mean,
            label:
              "fit, R² = \(TextTable.number(fit.rSquared, digits: 3)) "
              + "(both: \(TextTable.number(f.both.rSquared, digits: 3)))"
          ))
      }
      return ScatterChart(
        title: title, xLabel: xLabel, yLabel: "test accuracy (centroid)",
        groups: s.plan.strategies.map { strategy in
          ScatterChart.Group(
            name: strategy,
            points: s.runs.filter { $0.strategy == strategy }.map {
              ScatterChart.Point(x: x($0), y: $0.testAccuracyCentroid, label: "B = \($0.batch), seed \($0.seed)")
            }, colorKey: strategy)
        }, fits: fits)
    }
    var blocks: [ReportBlock] = [
      .table(table),
      .grid([
        .scatter(scatter("Accuracy against flatness", "λ_max at the centroid", \.lambdaMax, fit: s.fit?.flatnessOnly)),
        .scatter(
          scatter(
            "Accuracy against optimization error", "training loss at the centroid", \.trainLossCentroid,
            fit: s.fit?.optimizationOnly)),
      ]),
    ]
    if let f = s.fit {
      blocks.append(
        .text(
          "Least squares of test accuracy over \(f.runs) runs on standardized predictors: flatness alone R² = "
            + "\(TextTable.number(f.flatnessOnly.rSquared, digits: 3)), optimization error alone R² = "
            + "\(TextTable.number(f.optimizationOnly.rSquared, digits: 3)), "
            + "both R² = \(TextTable.number(f.both.rSquared, digits: 3)) "
            + "(coefficients "
            + f.both.coefficients.dropFirst().map { TextTable.number($0, digits: 3) }.joined(separator: ", ") + "); "
            + "partial correlations with accuracy: flatness \(TextTable.number(f.partialFlatness, digits: 3)), "
            + "optimization error \(TextTable.number(f.partialOptimization, digits: 3))."))
    } else if let note = s.fitNote {
      blocks.append(.text("No fit: \(note)."))
    }
    let batches = Array(Set(figures.curves.map(\.batch))).sorted()
    blocks.append(
      .grid(
        batches.flatMap { batch in
          let curves = figures.curves.filter { $0.batch == batch }
          func chart(_ title: String, _ label: String, _ value: (ReportFigures.Curve) -> [MeanInterval]) -> ReportBlock
          {
            .lineChart(
              LineChart(
                title: "\(title), B = \(batch)", xLabel: "iteration", yLabel: label,
                series: curves.map { c in
                  let b = band(value(c))
                  return LineChart.Series(
                    name: c.strategy, x: c.iterations.map(Double.init), y: b.y, lower: b.lower, upper: b.upper,
                    colorKey: c.strategy)
                }))
          }
          return [
            chart("Test accuracy", "accuracy", { $0.testAccuracy }), chart("Training loss", "loss", { $0.trainLoss }),
          ]
        }))
    return ReportSection(
      id: "sweep", title: "Trade-off sweep",
      intro: "\(s.runs.count) runs: strategies × B ∈ {\(s.plan.batches.map(String.init).joined(separator: ", "))} × "
        + "\(s.plan.topologies.joined(separator: ", ")) × \(s.plan.partitions.joined(separator: ", ")) × seeds, one "
        + "initialization and data order per seed for every strategy, μ = \(s.plan.base.lr)"
        + (s.plan.scaleLR ? " scaled with B" : "") + ".",
      blocks: blocks)
  }

  static func shapeSection(_ f: ReportFigures) -> ReportSection {
    ReportSection(
      id: "shape", title: "Shape of the minima",
      intro: "At the centroid of one run per strategy at the largest batch: the Hessian's eigenvalue density "
        + "(stochastic Lanczos quadrature) and the loss along one filter-normalized random direction.",
      blocks: [
        .grid([
          .lineChart(
            LineChart(
              title: "Spectral density", xLabel: "eigenvalue", yLabel: "density",
              series: f.shapes.map {
                LineChart.Series(name: $0.strategy, x: $0.density.grid, y: $0.density.values, colorKey: $0.strategy)
              })),
          .lineChart(
            LineChart(
              title: "Loss along a filter-normalized direction", xLabel: "step along the direction", yLabel: "loss",
              series: f.shapes.map {
                LineChart.Series(name: $0.strategy, x: $0.landscape.xs, y: $0.landscape.losses, colorKey: $0.strategy)
              })),
        ]),
        .figure(
          title: "Topology: \(f.topology)", svg: f.topologySVG, caption: "Agents and the edges they combine over."),
      ])
  }
}
