import Foundation
import RealModule

/// Pictures of a combination matrix's network: Graphviz DOT text and a small SVG.
public enum TopologyDrawing {
  /// Graphviz DOT: an undirected `graph` with edges u -- v labeled a_uv when A is symmetric,
  /// otherwise a `digraph` with an edge l -> k labeled a_lk for every a_lk > 0, l ≠ k (l sends
  /// to k). Nodes are labeled with their index and self-weight a_kk.
  public static func dot(_ matrix: CombinationMatrix, name: String) -> String {
    let symmetric = matrix.isSymmetric
    var lines = ["\(symmetric ? "graph" : "digraph") \(quoted(name)) {", "  node [shape=circle];"]
    for k in 0..<matrix.agents {
      lines.append("  \(k) [label=\"\(k)\\n\(format(matrix[k, k]))\"];")
    }
    if symmetric {
      for e in matrix.supportEdges {
        lines.append("  \(e.u) -- \(e.v) [label=\"\(format(matrix[e.u, e.v]))\"];")
      }
    } else {
      for l in 0..<matrix.agents {
        for k in 0..<matrix.agents where k != l && matrix[l, k] > 0 {
          lines.append("  \(l) -> \(k) [label=\"\(format(matrix[l, k]))\"];")
        }
      }
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// A 480×480 SVG: agents evenly spaced on a circle (agent 0 at the top, clockwise), each
  /// pair {l, k} with a_lk > 0 or a_kl > 0 drawn as a line.
  public static func svg(_ matrix: CombinationMatrix, name: String) -> String {
    let size = 480.0
    let center = 240.0
    let radius = matrix.agents > 1 ? 200.0 : 0
    let positions: [(x: Double, y: Double)] = (0..<matrix.agents).map { k in
      let angle = 2 * Double.pi * Double(k) / Double(matrix.agents) - Double.pi / 2
      return (center + radius * Double.cos(angle), center + radius * Double.sin(angle))
    }
    var lines = [
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(size))\" height=\"\(Int(size))\" viewBox=\"0 0 "
        + "\(Int(size)) \(Int(size))\">",
      "  <title>\(escaped(name)): K = \(matrix.agents)</title>",
      "  <g stroke=\"#555\" stroke-width=\"1.2\">",
    ]
    for e in matrix.supportEdges {
      let a = positions[e.u]
      let b = positions[e.v]
      lines.append(
        "    <line x1=\"\(format(a.x))\" y1=\"\(format(a.y))\" x2=\"\(format(b.x))\" y2=\"\(format(b.y))\"/>")
    }
    lines.append("  </g>")
    lines.append(
      "  <g fill=\"#fff\" stroke=\"#225\" stroke-width=\"1.5\" font-family=\"sans-serif\" font-size=\"10\" "
        + "text-anchor=\"middle\">"
    )
    for (k, p) in positions.enumerated() {
      lines.append("    <circle cx=\"\(format(p.x))\" cy=\"\(format(p.y))\" r=\"11\"/>")
      lines.append(
        "    <text x=\"\(format(p.x))\" y=\"\(format(p.y + 3.5))\" fill=\"#000\" stroke=\"none\">\(k)</text>")
    }
    lines.append("  </g>")
    lines.append("</svg>")
    return lines.joined(separator: "\n") + "\n"
  }

  /// Four significant digits: enough to tell weights like 1/3 and 1/4 apart, short to read.
  private static func format(_ x: Double) -> String { String(format: "%.4g", x) }

  private static func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  private static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
      of: ">", with: "&gt;")
  }
}
