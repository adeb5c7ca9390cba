import ArgumentParser
import FlatlandCore
import FlatlandTopology
import Foundation

extension WeightRule: ExpressibleByArgument {}

/// `flatland topology NAME --agents K`: build a network and report its combination matrix.
struct TopologyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "topology",
    abstract: "Build a network topology and report its combination matrix, spectrum and checks.",
    discussion: "NAME is one of: \(Topology.accepted).")

  @Argument(help: "The topology, e.g. ring, torus, erdos-renyi:0.3, small-world:4,0.2, matrix:A.csv.")
  var name: String

  @Option(parsing: .unconditional, help: "Number of agents K (≥ 1).")
  var agents: Int

  @Option(help: "Weight rule (default: user for matrix:PATH, metropolis otherwise).")
  var weights: WeightRule?

  @Option(help: "Seed of the random families and random matchings.")
  var seed: UInt64 = 0

  @Option(parsing: .unconditional, help: "For time-varying topologies, the iteration i whose A(i) is shown.")
  var iteration: Int = 0

  @Flag(help: "Print the report as JSON.")
  var json = false

  @Flag(help: "Print the network as Graphviz DOT.")
  var dot = false

  @Option(help: "Write an SVG drawing of the network to this file.")
  var svg: String?

  func validate() throws {
    guard agents >= 1 else {
      throw FlatlandError.invalid("--agents", agents, accepted: "K ≥ 1")
    }
    guard iteration >= 0 else {
      throw FlatlandError.invalid("--iteration", iteration, accepted: "i ≥ 0")
    }
    let outputs = [json, dot, svg != nil].filter { $0 }.count
    guard outputs <= 1 else {
      throw ValidationError("--json, --dot and --svg are exclusive: give at most one")
    }
  }

  func run() throws {
    let topology = try Topology.parse(
      name, agents: agents, weights: weights ?? Topology.defaultWeights(for: name), seed: seed)
    let matrix = topology.matrix(at: iteration)
    if dot {
      print(TopologyDrawing.dot(matrix, name: name), terminator: "")
    } else if let svg {
      try AtomicFile.write(TopologyDrawing.svg(matrix, name: name), to: svg)
    } else if json {
      try printJSON(TopologyReport(topology, iteration: iteration))
    } else {
      print(try TopologyReport(topology, iteration: iteration).text)
    }
  }
}
