import Testing

@testable import FlatlandReport

@Suite struct AxisTests {
  private func values(_ axis: Axis) -> [Double] { axis.ticks.map(\.value) }
  private func labels(_ axis: Axis) -> [String] { axis.ticks.compactMap(\.label) }

  @Test func linearTicksStepByOneTwoOrFiveTimesAPowerOfTen() {
    let unit = Axis(scale: .linear, covering: [0, 0.37, 1])
    #expect(values(unit) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(labels(unit) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    // 13 is within half a step of the tick 0, so the axis starts there; 1000 is not, so the
    // axis ends 3% of the span above 870.
    let wide = Axis(scale: .linear, covering: [13, 870])
    #expect(values(wide) == [0, 200, 400, 600, 800])
    #expect(wide.lower == 0 && abs(wide.upper - (870 + 0.03 * 857)) < 1e-12)
    let narrow = Axis(scale: .linear, covering: [3.21, 3.79])
    #expect(values(narrow) == [3.2, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8])
    let signed = Axis(scale: .linear, covering: [-7, 13])
    #expect(values(signed) == [-5, 0, 5, 10, 15])
    #expect(labels(signed) == ["−5", "0", "5", "10", "15"])
    #expect(abs(signed.lower - (-7.6)) < 1e-12 && signed.upper == 15)
  }

  @Test func aConstantOrEmptyLinearAxisStillHasASpan() {
    let constant = Axis(scale: .linear, covering: [5, 5])
    #expect(constant.lower < 5 && constant.upper > 5)
    #expect(values(Axis(scale: .linear, covering: [])) == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(values(Axis(scale: .linear, covering: [.nan, .infinity])) == [0, 0.2, 0.4, 0.6, 0.8, 1])
  }

  @Test func paddingKeepsExtremesOffTheFrame() {
    // 4% of the span 0.8…0.9 either side: 0.796…0.904, then the half-step rule at step 0.02.
    let padded = Axis(scale: .linear, covering: [0.8, 0.9], padding: 0.04)
    #expect(abs(padded.lower - (0.796 - 0.003 * 1.08)) < 1e-12 && abs(padded.upper - (0.904 + 0.003 * 1.08)) < 1e-12)
    #expect(values(padded) == [0.8, 0.82, 0.84, 0.86, 0.88, 0.9])
    // On a log axis the padding is in decades: 10…1000 padded by 0.05 × 2 decades leaves 1…10⁴.
    let log = Axis(scale: .log, covering: [10, 1000], padding: 0.05)
    #expect((log.lower, log.upper) == (1, 10_000))
  }

  @Test func logTicksAreDecadesCoveringTheData() {
    let axis = Axis(scale: .log, covering: [0.013, 5, 870])
    #expect((axis.lower, axis.upper) == (0.01, 1000))
    #expect(axis.ticks.filter { $0.label != nil }.map(\.value) == [0.01, 0.1, 1, 10, 100, 1000])
    #expect(labels(axis) == ["0.01", "0.1", "1", "10", "100", "1000"])
    // Eight unlabeled minor ticks (2…9) in each of the five decades.
    #expect(axis.ticks.count == 6 + 5 * 8)
    #expect(axis.ticks.contains(Axis.Tick(value: 0.03, label: nil)))
  }

  @Test func logAxesIgnoreNonpositiveValuesAndLabelFarDecadesAsPowers() {
    let axis = Axis(scale: .log, covering: [-3, 0, 2e-7, 3e4, .infinity])
    #expect((axis.lower, axis.upper) == (1e-7, 1e5))
    // Twelve decades: every second one is labeled, and there are no minor ticks.
    #expect(labels(axis) == ["10⁻⁶", "10⁻⁴", "0.01", "1", "100", "10⁴"])
    #expect(axis.ticks.count == 13)
    // Within a single decade the 2× and 5× ticks are labeled too.
    #expect(labels(Axis(scale: .log, covering: [2.5, 8])) == ["1", "2", "5", "10"])
    // An exact power of ten alone gets a decade either side.
    let single = Axis(scale: .log, covering: [10])
    #expect((single.lower, single.upper) == (1, 100))
  }

  @Test func positionsAreExact() {
    let log = Axis(scale: .log, covering: [1, 100])
    #expect(log.fraction(10) == 0.5)
    #expect(log.fraction(1) == 0 && log.fraction(100) == 1)
    let linear = Axis(scale: .linear, covering: [0, 1])
    #expect(linear.fraction(0.25) == 0.25)
    // On a chart, x = 10 on a log axis 1…100 lands on the middle pixel of the plot.
    let frame = ChartFrame(
      size: .full, hasTitle: true, hasXLabel: true, x: log, y: linear, legend: [], notes: [])
    #expect(frame.px(10) == frame.left + frame.plotWidth / 2)
    #expect(frame.py(1) == frame.top && frame.py(0) == frame.bottom)
    // Band edges beyond the axis (≤ 0 on a log axis) are clamped to its ends.
    #expect(log.clampedFraction(-1) == 0 && log.clampedFraction(.infinity) == 1 && log.clampedFraction(1e6) == 1)
  }

  @Test func numbersAreFormattedCompactly() {
    #expect(Markup.compact(0.012_345) == "0.0123")
    #expect(Markup.compact(-1.5e-5) == "−1.5e−5")
    #expect(Markup.compact(2e6) == "2e6")
    #expect(Markup.compact(870) == "870")
    #expect(Markup.compact(.nan) == "NaN")
    #expect(Markup.coordinate(-0.001) == "0.00")
    #expect(Markup.coordinate(12.3456) == "12.35")
    #expect(Markup.fixed(-0.0, decimals: 1) == "0.0")
    #expect(Markup.powerOfTen(-12) == "10⁻¹²")
  }
}
