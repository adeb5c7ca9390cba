import Foundation

/// One chart axis: its scale, its domain rounded out to tick values, and its ticks.
///
/// A linear axis steps by 1, 2 or 5 times a power of ten, the step nearest a fifth of the data
/// span (Heckbert's "nice numbers"); each end of its domain is the first tick beyond the data
/// when that tick is within half a step, and 3% of the span beyond the data otherwise. A log
/// axis runs over whole decades, ⌊log₁₀ min⌋ to ⌈log₁₀ max⌉, with a labeled tick at each decade
/// (every second or third one when there are many) and unlabeled minor ticks at 2…9 times each
/// decade.
///
/// Positions are fractions of the axis length: (v − lower)/(upper − lower) on a linear axis,
/// (log₁₀ v − log₁₀ lower)/(log₁₀ upper − log₁₀ lower) on a log axis. A log domain's ends are
/// decades held as exact integer exponents, so 10 on 1…100 sits at exactly one half.
struct Axis: Equatable {
  /// A tick at `value`; `label` is nil for an unlabeled minor tick.
  struct Tick: Equatable {
    let value: Double
    let label: String?
  }

  /// Magnitudes beyond this are not placed: the span of two of them could overflow.
  static let limit = 1e300

  let scale: AxisScale
  let lower: Double
  let upper: Double
  let ticks: [Tick]
  /// On a log axis, log₁₀ of `lower` and `upper` (whole numbers); unused on a linear axis.
  private let logLower: Double
  private let logUpper: Double

  /// The axis that covers `values` (those it cannot place are ignored) and `padding` times
  /// their span beyond them on either side (in log₁₀ units on a log axis), so that symbols at
  /// the extremes clear the frame; with no placeable value it spans 0…1 (linear) or 1…10 (log).
  init(scale: AxisScale, covering values: [Double], padding: Double = 0) {
    self.scale = scale
    let placed = values.filter { Axis.canPlace($0, on: scale) }
    var low = placed.min()
    var high = placed.max()
    if let l = low, let h = high, h > l, padding > 0 {
      switch scale {
      case .linear: (low, high) = (l - padding * (h - l), h + padding * (h - l))
      case .log:
        let span = log10(h) - log10(l)
        (low, high) = (l / pow(10, padding * span), h * pow(10, padding * span))
      }
    }
    switch scale {
    case .linear:
      let (ticks, lower, upper) = Axis.linearTicks(low ?? 0, high ?? 1)
      (self.ticks, self.lower, self.upper) = (ticks, lower, upper)
      (logLower, logUpper) = (0, 0)
    case .log:
      var first = Int(floor(log10(low ?? 1) + 1e-12))
      var last = Int(ceil(log10(high ?? 10) - 1e-12))
      if first == last {
        first -= 1
        last += 1
      }
      ticks = Axis.decadeTicks(first, last)
      (lower, upper) = (Axis.power(first), Axis.power(last))
      (logLower, logUpper) = (Double(first), Double(last))
    }
  }

  /// Whether a value has a position on an axis of this scale: finite, within ±`limit`, and
  /// positive on a log axis.
  static func canPlace(_ value: Double, on scale: AxisScale) -> Bool {
    value.isFinite && abs(value) <= limit && (scale == .linear || value > 0)
  }

  /// The position of `value` as a fraction of the axis length, 0 at `lower` and 1 at `upper`;
  /// only for values that `canPlace` accepts.
  func fraction(_ value: Double) -> Double {
    switch scale {
    case .linear: return (value - lower) / (upper - lower)
    case .log: return (log10(value) - logLower) / (logUpper - logLower)
    }
  }

  /// The position of `value` clamped to the domain: band edges beyond the axis (a 95% interval
  /// reaching below zero on a log axis) are drawn to the axis end.
  func clampedFraction(_ value: Double) -> Double {
    guard Axis.canPlace(value, on: scale) else { return value > 0 ? 1 : 0 }
    return min(max(fraction(value), 0), 1)
  }

  // MARK: - Linear ticks

  private static func linearTicks(_ low: Double, _ high: Double) -> ([Tick], Double, Double) {
    var (low, high) = (low, high)
    if high <= low {
      let pad = low == 0 ? 1 : abs(low) / 10
      (low, high) = (low - pad, high + pad)
    }
    let raw = (high - low) / 5
    var exponent = Int(floor(log10(raw)))
    let residual = raw / power(exponent)
    let mantissa: Int
    switch residual {
    case ..<1.5: mantissa = 1
    case ..<3: mantissa = 2
    case ..<7: mantissa = 5
    default:
      mantissa = 1
      exponent += 1
    }
    let step = scaled(mantissa, exponent)
    // The domain ends at the tick just outside the data when that tick is at most half a step
    // away, and otherwise 3% of the span beyond the data, so no more than half a step is empty.
    let margin = (high - low) * 0.03
    let outer = (low: Int(floor(low / step + 1e-9)), high: Int(ceil(high / step - 1e-9)))
    let outerLow = scaled(outer.low * mantissa, exponent)
    let outerHigh = scaled(outer.high * mantissa, exponent)
    let snapLow = low - outerLow <= step / 2
    let snapHigh = outerHigh - high <= step / 2
    let first = snapLow ? outer.low : outer.low + 1
    let last = snapHigh ? outer.high : outer.high - 1
    let values = (first...last).map { scaled($0 * mantissa, exponent) }
    let largest = values.map(abs).max() ?? 0
    let plain = largest < 1e5 && exponent >= -4
    let ticks = values.map { value in
      Tick(value: value, label: plain ? Markup.fixed(value, decimals: max(0, -exponent)) : Markup.compact(value))
    }
    return (ticks, snapLow ? outerLow : low - margin, snapHigh ? outerHigh : high + margin)
  }

  // MARK: - Decade ticks

  private static func decadeTicks(_ first: Int, _ last: Int) -> [Tick] {
    let decades = last - first
    let every = max(1, (decades + 6) / 7)
    var ticks: [Tick] = []
    for k in first...last {
      let labeled = ((k % every) + every) % every == 0
      ticks.append(Tick(value: power(k), label: labeled ? decadeLabel(k) : nil))
      guard k < last, decades <= 6 else { continue }
      for m in 2...9 {
        // Within a single decade the 2× and 5× ticks are labeled too, so the axis reads.
        let label = decades == 1 && (m == 2 || m == 5) ? Markup.compact(Double(m) * power(k)) : nil
        ticks.append(Tick(value: scaled(m, k), label: label))
      }
    }
    return ticks
  }

  /// `0.001` … `1000` written out, decades beyond as `10⁻⁵`, `10⁴`.
  private static func decadeLabel(_ k: Int) -> String {
    (-3...3).contains(k) ? Markup.fixed(power(k), decimals: max(0, -k)) : Markup.powerOfTen(k)
  }

  /// 10ᵏ, correctly rounded for negative k too (1/10³ rather than 10⁻³ computed by pow).
  private static func power(_ k: Int) -> Double {
    k >= 0 ? pow(10, Double(k)) : 1 / pow(10, Double(-k))
  }

  /// n·10ᵏ, rounded once.
  private static func scaled(_ n: Int, _ k: Int) -> Double {
    k >= 0 ? Double(n) * pow(10, Double(k)) : Double(n) / pow(10, Double(-k))
  }
}
