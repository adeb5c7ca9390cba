import FlatlandCore
import Foundation

extension LandscapeGrid {
  /// A self-contained SVG plot: a line plot of loss against α for 1-D grids; for 2-D grids a
  /// heat map with contour lines (marching squares) and a colour bar.
  ///
  /// Loss landscapes rise steeply at the edges, so the 2-D colour and contour range runs from the
  /// minimum to the 95th percentile of the finite losses; larger (and non-finite) values take the
  /// top colour. The 1-D plot spans all finite losses; non-finite points break the curve.
  public func svg(title: String = "") -> String {
    ys.isEmpty ? linePlot(title) : heatMap(title)
  }

  /// Writes `svg(title:)` to `path`.
  public func writeSVG(to path: String, title: String = "") throws { try AtomicFile.write(svg(title: title), to: path) }

  // MARK: - 1-D

  private func linePlot(_ title: String) -> String {
    let frame = PlotFrame(x: 70, y: 40, width: 540, height: 320)
    let finite = losses.filter(\.isFinite)
    let lo = finite.min() ?? 0
    let hi = finite.max() ?? 1
    let yRange = hi > lo ? lo...hi : (lo - 1)...(hi + 1)
    var path = ""
    var pen = "M"
    for (i, x) in xs.enumerated() {
      guard losses[i].isFinite else {
        pen = "M"
        continue
      }
      path += "\(pen)\(f(frame.px(x, xs.first!...xs.last!))),\(f(frame.py(losses[i], yRange))) "
      pen = "L"
    }
    var body = frame.axes(xRange: xs.first!...xs.last!, yRange: yRange, xLabel: "α", yLabel: "loss")
    body += "<path d=\"\(path)\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>\n"
    return document(width: 640, height: 420, title: title, body: body)
  }

  // MARK: - 2-D

  private func heatMap(_ title: String) -> String {
    let frame = PlotFrame(x: 70, y: 40, width: 460, height: 460)
    let finite = losses.filter(\.isFinite).sorted()
    let vmin = finite.first ?? 0
    let q95 = finite.isEmpty ? 1 : finite[Int(0.95 * Double(finite.count - 1))]
    let vmax = q95 > vmin ? q95 : vmin + 1
    let xr = xs.first!...xs.last!
    let yr = ys.first!...ys.last!
    let cw = frame.width / Double(xs.count - 1)
    let ch = frame.height / Double(ys.count - 1)
    var body = ""
    for j in ys.indices {
      for i in xs.indices {
        let t = loss(i, j).isFinite ? (loss(i, j) - vmin) / (vmax - vmin) : 1
        body += "<rect x=\"\(f(frame.px(xs[i], xr) - cw / 2))\" y=\"\(f(frame.py(ys[j], yr) - ch / 2))\" "
        body += "width=\"\(f(cw))\" height=\"\(f(ch))\" fill=\"\(color(t))\"/>\n"
      }
    }
    // Clip the half-cells that overhang the frame.
    body =
      "<clipPath id=\"plot\"><rect x=\"\(f(frame.x))\" y=\"\(f(frame.y))\" width=\"\(f(frame.width))\" "
      + "height=\"\(f(frame.height))\"/></clipPath>\n"
      + "<g clip-path=\"url(#plot)\">\n<g shape-rendering=\"crispEdges\">\n" + body + "</g>\n"
    for level in 1...9 {
      let value = vmin + Double(level) / 10 * (vmax - vmin)
      let segments = contour(at: value).map { s in
        "M\(f(frame.px(s.0, xr))),\(f(frame.py(s.1, yr))) L\(f(frame.px(s.2, xr))),\(f(frame.py(s.3, yr)))"
      }
      if !segments.isEmpty {
        body +=
          "<path d=\"\(segments.joined(separator: " "))\" fill=\"none\" stroke=\"white\" stroke-width=\"0.8\" "
          + "stroke-opacity=\"0.8\"/>\n"
      }
    }
    body += "</g>\n" + frame.axes(xRange: xr, yRange: yr, xLabel: "α", yLabel: "β")
    // Colour bar.
    for k in 0..<50 {
      let y = frame.y + frame.height * (1 - Double(k + 1) / 50)
      body +=
        "<rect x=\"560\" y=\"\(f(y))\" width=\"20\" height=\"\(f(frame.height / 50 + 0.5))\" "
        + "fill=\"\(color((Double(k) + 0.5) / 50))\"/>\n"
    }
    body += "<text x=\"585\" y=\"\(f(frame.y + 4))\" font-size=\"11\">\(label(vmax))</text>\n"
    body += "<text x=\"585\" y=\"\(f(frame.y + frame.height + 4))\" font-size=\"11\">\(label(vmin))</text>\n"
    return document(width: 660, height: 560, title: title, body: body)
  }

  /// Marching squares: the segments (x₀, y₀, x₁, y₁) where the bilinear interpolant of the grid
  /// crosses `level`, in data coordinates. A cell's crossings are taken around its edges in
  /// order; four crossings (a saddle) are joined in pairs.
  private func contour(at level: Double) -> [(Double, Double, Double, Double)] {
    var segments: [(Double, Double, Double, Double)] = []
    for j in 0..<(ys.count - 1) {
      for i in 0..<(xs.count - 1) {
        let corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
        var points: [(Double, Double)] = []
        for e in 0..<4 {
          let (ai, aj) = corners[e]
          let (bi, bj) = corners[(e + 1) % 4]
          let va = loss(ai, aj)
          let vb = loss(bi, bj)
          guard va.isFinite, vb.isFinite, (va < level) != (vb < level) else { continue }
          let t = (level - va) / (vb - va)
          points.append((xs[ai] + t * (xs[bi] - xs[ai]), ys[aj] + t * (ys[bj] - ys[aj])))
        }
        for p in stride(from: 0, to: points.count - 1, by: 2) {
          segments.append((points[p].0, points[p].1, points[p + 1].0, points[p + 1].1))
        }
      }
    }
    return segments
  }

  // MARK: - Drawing helpers

  private func document(width: Int, height: Int, title: String, body: String) -> String {
    """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" \
    viewBox="0 0 \(width) \(height)" font-family="sans-serif">
    <rect width="100%" height="100%" fill="white"/>
    <text x="\(width / 2)" y="24" font-size="15" text-anchor="middle">\(escape(title))</text>
    \(body)</svg>

    """
  }

  /// A viridis-like ramp through five anchor colours, t clipped to [0, 1].
  private func color(_ t: Double) -> String {
    let anchors: [(Double, Double, Double)] = [
      (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
    ]
    let s = min(max(t.isFinite ? t : 1, 0), 1) * Double(anchors.count - 1)
    let k = min(Int(s), anchors.count - 2)
    let u = s - Double(k)
    let a = anchors[k]
    let b = anchors[k + 1]
    let rgb = [a.0 + u * (b.0 - a.0), a.1 + u * (b.1 - a.1), a.2 + u * (b.2 - a.2)].map { Int($0.rounded()) }
    return String(format: "#%02x%02x%02x", rgb[0], rgb[1], rgb[2])
  }

  private func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
      of: ">", with: "&gt;")
  }
}

/// The plotting rectangle of an SVG figure, mapping data coordinates to pixels.
private struct PlotFrame {
  let x: Double, y: Double, width: Double, height: Double

  func px(_ v: Double, _ r: ClosedRange<Double>) -> Double {
    x + (v - r.lowerBound) / (r.upperBound - r.lowerBound) * width
  }
  func py(_ v: Double, _ r: ClosedRange<Double>) -> Double {
    y + height - (v - r.lowerBound) / (r.upperBound - r.lowerBound) * height
  }

  /// Frame, five ticks with labels on each axis, and the axis names.
  func axes(xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, xLabel: String, yLabel: String) -> String {
    var s =
      "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(height))\" fill=\"none\" "
      + "stroke=\"black\"/>\n"
    for k in 0...4 {
      let xv = xRange.lowerBound + Double(k) / 4 * (xRange.upperBound - xRange.lowerBound)
      let yv = yRange.lowerBound + Double(k) / 4 * (yRange.upperBound - yRange.lowerBound)
      let tx = px(xv, xRange)
      let ty = py(yv, yRange)
      s +=
        "<line x1=\"\(f(tx))\" y1=\"\(f(y + height))\" x2=\"\(f(tx))\" y2=\"\(f(y + height + 5))\" stroke=\"black\"/>"
      s +=
        "<text x=\"\(f(tx))\" y=\"\(f(y + height + 18))\" font-size=\"11\" text-anchor=\"middle\">\(label(xv))</text>\n"
      s += "<line x1=\"\(f(x - 5))\" y1=\"\(f(ty))\" x2=\"\(f(x))\" y2=\"\(f(ty))\" stroke=\"black\"/>"
      s += "<text x=\"\(f(x - 8))\" y=\"\(f(ty + 4))\" font-size=\"11\" text-anchor=\"end\">\(label(yv))</text>\n"
    }
    s +=
      "<text x=\"\(f(x + width / 2))\" y=\"\(f(y + height + 38))\" font-size=\"13\" "
      + "text-anchor=\"middle\">\(xLabel)</text>\n"
    s +=
      "<text x=\"\(f(x - 55))\" y=\"\(f(y + height / 2))\" font-size=\"13\" text-anchor=\"middle\" "
      + "transform=\"rotate(-90 \(f(x - 55)) \(f(y + height / 2)))\">\(yLabel)</text>\n"
    return s
  }
}

/// Pixel coordinate with two decimals.
private func f(_ v: Double) -> String { String(format: "%.2f", v) }

/// Tick label with four significant digits.
private func label(_ v: Double) -> String { String(format: "%.4g", v) }
