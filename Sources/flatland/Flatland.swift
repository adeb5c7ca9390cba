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

  /// Runs the command line; `flatland help NAME ...` for a command that does not exist is an
  /// error (ArgumentParser would print the top-level help and succeed).
  static func main() {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "help", let error = unknownHelpTopic(arguments.dropFirst()) { exit(withError: error) }
    main(arguments)
  }

  /// A `ValidationError` naming the first of `path` that is not a subcommand of the one before it.
  static func unknownHelpTopic(_ path: ArraySlice<String>) -> ValidationError? {
    var command: ParsableCommand.Type = Flatland.self
    for name in path where !name.hasPrefix("-") {
      var names: [String] = []
      var found: ParsableCommand.Type?
      for subcommand in command.configuration.subcommands {
        let subcommandName = subcommand._commandName
        names.append(subcommandName)
        if subcommandName == name { found = subcommand }
      }
      guard let found else {
        return ValidationError("unknown command '\(name)' for help: expected one of \(names.joined(separator: ", "))")
      }
      command = found
    }
    return nil
  }
}
