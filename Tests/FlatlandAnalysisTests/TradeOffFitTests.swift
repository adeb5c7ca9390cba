import FlatlandAnalysis
import FlatlandCore
import Testing

/// The trade-off fit against exact linear data and the verdict rules.
@Suite struct TradeOffFitTests {
  /// y = 2 − 0.5 z(flat) + 0.25 z(opt) exactly: both-predictor R² is 1 and the coefficients
  /// come back; each single fit explains only its share.
  @Test func anExactLinearResponseIsRecovered() throws {
    let flat = [1.0, 2, 3, 4, 5, 6]
    let opt = [0.3, 0.1, 0.4, 0.1, 0.5, 0.9]
    func z(_ x: [Double]) -> [Double] {
      let m = x.reduce(0, +) / Double(x.count)
      let s = (x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)).squareRoot()
      return x.map { ($0 - m) / s }
    }
    let y = zip(z(flat), z(opt)).map { 2 - 0.5 * $0 + 0.25 * $1 }
    let fit = try TradeOffFit(y: y, flat: flat, opt: opt, names: ("acc", "lambda_max", "loss"))
    #expect(abs(fit.both.rSquared - 1) < 1e-12)
    for (got, want) in zip(fit.both.coefficients, [2, -0.5, 0.25]) { #expect(abs(got - want) < 1e-12) }
    #expect(fit.flatnessOnly.rSquared < 1 && fit.optimizationOnly.rSquared < fit.flatnessOnly.rSquared)
    #expect(abs(fit.partialFlatness + 1) < 1e-9 && abs(fit.partialOptimization - 1) < 1e-9)
  }

  @Test func tooFewRunsOrAConstantPredictorAreRefused() {
    #expect(throws: FlatlandError.self) {
      try TradeOffFit(y: [1, 2, 3], flat: [1, 2, 3], opt: [3, 1, 2], names: ("", "", ""))
    }
    #expect(throws: FlatlandError.self) {
      try TradeOffFit(y: [1, 2, 3, 4], flat: [1, 1, 1, 1], opt: [3, 1, 2, 5], names: ("", "", ""))
    }
  }

  @Test func meanIntervalIsTheStudentInterval() throws {
    let m = try MeanInterval([1, 2, 3])
    // mean 2, s = 1, t(0.975, 2) = 4.303: 2 ± 4.303/√3.
    #expect(m.mean == 2 && abs(m.upper! - (2 + 4.303 / 3.0.squareRoot())) < 1e-12 && m.count == 3)
    #expect(!m.excludesZero)
    #expect(try MeanInterval([1, 1.1, 0.9]).excludesZero)
    let one = try MeanInterval([5])
    #expect(one.lower == nil && !one.excludesZero)
  }

  @Test func aVerdictIsSupportedOnlyWhenEveryIntervalHolds() throws {
    func comparison(_ values: [Double], sign: Int = 1) throws -> Comparison {
      Comparison(
        description: "", metric: "m", a: "a", b: "b", batch: 1, difference: try MeanInterval(values), expectedSign: sign
      )
    }
    let up = try comparison([1, 1.2, 0.9])
    let down = try comparison([-1, -1.2, -0.9])
    let unclear = try comparison([1, -1, 0.5])
    #expect(ClaimVerdict(claim: 1, statement: "", comparisons: [up, up]).outcome == .supported)
    #expect(ClaimVerdict(claim: 1, statement: "", comparisons: [up, down]).outcome == .notSupported)
    #expect(ClaimVerdict(claim: 1, statement: "", comparisons: [up, unclear]).outcome == .inconclusive)
    #expect(
      ClaimVerdict(claim: 1, statement: "", comparisons: [try comparison([-1, -1.2, -0.9], sign: -1)]).outcome
        == .supported)
    #expect(ClaimVerdict(claim: 1, statement: "", comparisons: []).outcome == .inconclusive)
  }
}
