import ArgumentParser

/// `flatland`: train decentralized strategies, measure flatness and optimization error, compare.
@main
struct Flatland: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flatland",
    abstract:
      "Distributed learning over graphs: centralized, consensus and diffusion, measured for flatness and "
      + "optimization error.",
    subcommands: [
      Train.self, DataCommand.self, TopologyCommand.self, TheoryCommand.self, Gradcheck.self, Flatness.self,
      LandscapeCommand.self, ExportCommand.self, ImportCommand.self, Bench.self, ReproduceCommand.self,
      SweepCommand.self, EscapeCommand.self, ReportCommand.self,
    ])
}
