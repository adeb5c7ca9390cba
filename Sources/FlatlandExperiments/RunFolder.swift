import FlatlandCore
import Foundation

/// The output folder of a `train` call: `config.json` at the top, one subfolder per strategy.
public enum RunFolder {
  /// Checks that `root` can take this run and records its config. A fresh run refuses a folder
  /// that already holds one, so nothing written before is overwritten; every check happens
  /// before any training.
  public static func prepare(_ root: URL, config: TrainingConfig, resuming: Bool) throws {
    let fm = FileManager.default
    if !resuming {
      for kind in config.strategies {
        let metrics = root.appendingPathComponent(kind).appendingPathComponent("metrics.csv")
        if fm.fileExists(atPath: metrics.path) {
          throw FlatlandError(
            .invalidArgument,
            "output folder '\(root.path)' already holds a \(kind) run: choose another --out, or continue it with "
              + "--resume \(root.path)"
          )
        }
      }
    }
    do {
      try fm.createDirectory(at: root, withIntermediateDirectories: true)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
      try Checkpoint.atomicWrite(try encoder.encode(config), to: root.appendingPathComponent("config.json").path)
    } catch let error as FlatlandError {
      throw FlatlandError(.io, "output folder '\(root.path)' is not writable (\(error.message))")
    } catch {
      throw FlatlandError(.io, "output folder '\(root.path)' is not writable")
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
