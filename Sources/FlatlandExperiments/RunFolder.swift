import FlatlandCore
import FlatlandStrategies
import Foundation

/// The output folder of a `train` call: `config.json` at the top, one subfolder per strategy.
public enum RunFolder {
  /// Checks that `root` can take this run and records its config; every check happens before
  /// any training.
  ///
  /// A fresh run takes a new or empty folder only: not one holding another run (whose
  /// `config.json` it would rewrite, so that `--resume` forgot that run's other strategies),
  /// not a user's own `config.json`, not any other content, and never a folder inside another
  /// run. `force` lets it take an occupied folder: it replaces `config.json` and removes the
  /// checkpoints and summaries of the strategies it is about to run, so none of them can be
  /// resumed from the earlier run's state. A resumed run rewrites only `config.json`.
  public static func prepare(_ root: URL, config: TrainingConfig, resuming: Bool, force: Bool = false) throws {
    let fm = FileManager.default
    if !resuming {
      if let outer = enclosingRun(of: root) {
        throw FlatlandError(
          .invalidArgument,
          "output folder '\(root.path)' is inside the train output folder '\(outer.path)': choose a folder outside it")
      }
      if force {
        for kind in config.strategies {
          for name in [Checkpoint.fileName, "summary.json"] {
            try? fm.removeItem(at: root.appendingPathComponent(kind).appendingPathComponent(name))
          }
        }
      } else {
        try requireVacant(root)
      }
    }
    do {
      try fm.createDirectory(at: root, withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
      try AtomicFile.write(try encoder.encode(config), to: root.appendingPathComponent("config.json").path)
    } catch let error as FlatlandError {
      throw FlatlandError(.io, "output folder '\(root.path)' is not writable (\(error.message))")
    } catch {
      throw FlatlandError(.io, "output folder '\(root.path)' is not writable")
    }
  }

  /// Throws unless `root` is missing or empty, naming what it holds.
  static func requireVacant(_ root: URL) throws {
    let contents = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    guard !contents.isEmpty else {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), !isDirectory.boolValue {
        throw FlatlandError(.invalidArgument, "output folder '\(root.path)' is a file: choose a folder")
      }
      return
    }
    let remedy = "choose another --out, or pass --force to replace it"
    let configPath = root.appendingPathComponent("config.json").path
    if FileManager.default.fileExists(atPath: configPath) {
      guard let stored = try? storedConfig(root.path) else {
        throw FlatlandError(
          .invalidArgument,
          "output folder '\(root.path)' holds a config.json that is not a flatland run's: \(remedy)")
      }
      throw FlatlandError(
        .invalidArgument,
        "output folder '\(root.path)' already holds a run (\(stored.strategies.joined(separator: ", "))): continue it "
          + "with --resume \(root.path), \(remedy)"
      )
    }
    if let kind = contents.sorted().first(where: { (try? StrategyVariant(parsing: $0)) != nil }) {
      throw FlatlandError(
        .invalidArgument, "output folder '\(root.path)' already holds a \(kind) folder: \(remedy)")
    }
    throw FlatlandError(
      .invalidArgument,
      "output folder '\(root.path)' is not empty (it holds \(contents.sorted().prefix(3).joined(separator: ", "))"
        + "\(contents.count > 3 ? ", ..." : "")): \(remedy)"
    )
  }

  /// The nearest folder strictly above `root` that is a train output folder (holds a readable
  /// flatland `config.json`), if any.
  static func enclosingRun(of root: URL) -> URL? {
    var folder = root.standardizedFileURL.deletingLastPathComponent()
    while folder.path != "/" && !folder.path.isEmpty {
      if (try? storedConfig(folder.path)) != nil { return folder }
      folder = folder.deletingLastPathComponent()
    }
    return nil
  }

  /// The strategy folders of a train output folder that hold a checkpoint, sorted; empty when
  /// `root` is not one.
  public static func strategyFolders(of root: URL) -> [URL] {
    guard (try? storedConfig(root.path)) != nil else { return [] }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    return names.sorted().map { root.appendingPathComponent($0) }.filter {
      FileManager.default.fileExists(atPath: $0.appendingPathComponent(Checkpoint.fileName).path)
    }
  }

  /// The config a run folder was made with; its `out` is the folder as given now.
  public static func storedConfig(_ folder: String) throws -> TrainingConfig {
    let path = URL(fileURLWithPath: folder).appendingPathComponent("config.json").path
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FlatlandError(.io, "cannot resume '\(folder)': it has no config.json (not a flatland train output folder)")
    }
    do {
      var config = try JSONDecoder().decode(TrainingConfig.self, from: data)
      config.out = folder
      return config
    } catch {
      throw FlatlandError(.format, "cannot resume '\(folder)': its config.json is unreadable")
    }
  }

  /// The first key (in sorted order) whose value differs between two configs, if any.
  public static func firstDifference(_ a: TrainingConfig, _ b: TrainingConfig) -> String? {
    func fields(_ c: TrainingConfig) -> [String: String] {
      guard let data = try? JSONEncoder().encode(c),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
      else { return [:] }
      return object.mapValues { "\($0)" }
    }
    let x = fields(a)
    let y = fields(b)
    return Set(x.keys).union(y.keys).sorted().first { x[$0] != y[$0] }
  }
}
