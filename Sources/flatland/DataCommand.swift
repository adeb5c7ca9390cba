import ArgumentParser
import FlatlandCore
import FlatlandData
import Foundation

/// `flatland data`: look at data sets and how they split across agents; download them.
struct DataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "data",
    abstract: "Inspect data sets and their partition across agents, or download them.",
    subcommands: [Inspect.self, Fetch.self])

  /// `flatland data inspect SPEC --agents K --partition P`: sizes and per-agent class histograms.
  struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Load a data set, partition it across agents and print sizes and per-agent class histograms.")

    @Argument(
      help: ArgumentHelp(
        "Data set: fashion-mnist[:DIR], mnist:DIR, cifar10:DIR, cifar100:DIR, "
          + "csv:PATH[,label=COL][,test=F|PATH], npy:X.npy,Y.npy[,test=F], synthetic:gaussians[:C,D], "
          + "synthetic:teacher[:D,W].")
    )
    var spec: String = "fashion-mnist"

    @Option(help: "Number of agents.")
    var agents: Int = 1

    @Option(help: "Partition: iid, dirichlet:ALPHA or shards:C.")
    var partition: String = "iid"

    @Option(help: "Fraction of the training set held out for validation (seeded), or none.")
    var validation: Double?

    @Option(help: "Seed for held-out splits and the partition.")
    var seed: UInt64 = 0

    @Option(name: .customLong("data-dir"), help: "Directory holding the data set's files, when the spec names none.")
    var dataDir: String?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
      guard agents >= 1 else { throw FlatlandError.invalid("--agents", agents, accepted: "a positive integer") }
      if let validation, !(validation > 0 && validation < 1) {
        throw FlatlandError.invalid("--validation", validation, accepted: "a fraction strictly between 0 and 1")
      }
      do {
        _ = try DataSpec(parsing: spec)
        _ = try PartitionScheme(parsing: partition)
      } catch let error as FlatlandError {
        throw ValidationError(error.message)
      }
    }

    func run() throws {
      let report = try DataInspection(
        spec: DataSpec(parsing: spec), dataDir: dataDir, agents: agents, partition: PartitionScheme(parsing: partition),
        validation: validation, seed: seed)
      if json { try printJSON(report) } else { for line in report.lines { print(line) } }
    }
  }

  /// `flatland data fetch NAME --dir DIR`: download, verify, unpack.
  struct Fetch: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Download a data set from its public source, verify its SHA-256 and write it atomically (resumes partial "
        + "downloads)."
    )

    @Argument(help: "Data set: mnist, fashion-mnist or cifar10.")
    var name: String

    @Option(help: "Directory to download into.")
    var dir: String

    @Option(
      name: .customLong("base-url"), help: "A mirror serving the same files (default: the data set's own source).")
    var baseURL: String?

    func validate() throws {
      do {
        _ = try RemoteDataset.named(name)
      } catch let error as FlatlandError {
        throw ValidationError(error.message)
      }
    }

    func run() throws {
      try Downloader.fetch(RemoteDataset.named(name), into: dir, baseURL: baseURL) { message in
        FileHandle.standardError.write(Data("fetch: \(message)\n".utf8))
      }
    }
  }
}
