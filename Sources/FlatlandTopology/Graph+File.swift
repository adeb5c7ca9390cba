import FlatlandCore
import Foundation

extension Graph {
  /// A custom graph on K agents from an edge-list file: one edge per line as two agent
  /// indices in 0..<K separated by spaces, tabs or a comma (`0 1`, `2,3`); blank lines and
  /// lines starting with `#` are skipped; each undirected edge may be listed once or twice.
  ///
  /// Throws when the file cannot be read, a line is not two integers, an index is out of
  /// range, an edge is a self-loop, or the graph is not connected.
  public static func fromEdgeList(_ agents: Int, file path: String) throws -> Graph {
    try requirePositive(agents)
    var pairs: [(Int, Int)] = []
    for (number, line) in try readLines(path) {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
      guard fields.count == 2, let a = Int(fields[0]), let b = Int(fields[1]) else {
        throw FlatlandError(
          .format, "edge list \(path) line \(number): '\(line)' is not an edge: expected two agent indices like '0 1'")
      }
      pairs.append((a, b))
    }
    let graph: Graph
    do {
      graph = try Graph(agents: agents, edges: pairs)
    } catch let error as FlatlandError {
      throw FlatlandError(error.kind, "edge list \(path): \(error.message)")
    }
    try graph.requireConnected("edges:\(path)")
    return graph
  }
}

/// The non-blank, non-comment lines of a text file with their 1-based line numbers.
func readLines(_ path: String) throws -> [(number: Int, text: String)] {
  let contents: String
  do {
    contents = try String(contentsOfFile: path, encoding: .utf8)
  } catch {
    throw FlatlandError(.io, "cannot read '\(path)': \(error.localizedDescription)")
  }
  return contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, raw in
    let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty || text.hasPrefix("#") ? nil : (index + 1, text)
  }
}
