import FlatlandCore
import Foundation
import Testing

@testable import FlatlandExperiments

/// Nothing already written is replaced without being told: a fresh `train` takes a new or empty
/// folder only, outside any other run; results files are never overwritten silently; and a top
/// run folder handed to a measuring command names its strategy folders.
@Suite struct OccupiedOutputTests {
  func folder() -> URL {
    URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("flatland-occupied-\(UUID().uuidString)")
  }

  func config(_ strategies: [String] = ["diffusion"]) -> TrainingConfig {
    var c = TrainingConfig()
    c.strategies = strategies
    return c
  }

  func prepareError(_ root: URL, _ c: TrainingConfig, force: Bool = false) -> String {
    do {
      try RunFolder.prepare(root, config: c, resuming: false, force: force)
      return "no error"
    } catch let error as FlatlandError {
      return error.message.replacingOccurrences(of: root.path, with: "ROOT")
    } catch {
      return "unexpected \(error)"
    }
  }

  @Test func aFreshRunTakesOnlyANewOrEmptyFolder() throws {
    let root = folder()
    #expect(prepareError(root, config()) == "no error")
    let empty = folder()
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    #expect(prepareError(empty, config()) == "no error")
    // Another experiment's folder: its config.json would be rewritten and --resume forget it.
    #expect(
      prepareError(root, config(["consensus"]))
        == "output folder 'ROOT' already holds a run (diffusion): continue it with --resume ROOT, choose another "
        + "--out, or pass --force to replace it")
    let user = folder()
    try FileManager.default.createDirectory(at: user, withIntermediateDirectories: true)
    try Data(#"{"mine": true}"#.utf8).write(to: user.appendingPathComponent("config.json"))
    #expect(prepareError(user, config()).contains("holds a config.json that is not a flatland run's"))
    #expect(try String(contentsOf: user.appendingPathComponent("config.json"), encoding: .utf8) == #"{"mine": true}"#)
    let other = folder()
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    for name in ["a.txt", "b.txt", "c.txt", "d.txt"] {
      try Data().write(to: other.appendingPathComponent(name))
    }
    #expect(
      prepareError(other, config()).hasPrefix("output folder 'ROOT' is not empty (it holds a.txt, b.txt, c.txt, ...)"))
    let file = folder()
    try Data().write(to: file)
    #expect(prepareError(file, config()) == "output folder 'ROOT' is a file: choose a folder")
  }

  @Test func aRunIsNeverNestedInsideAnother() throws {
    let root = folder()
    try RunFolder.prepare(root, config: config(), resuming: false)
    let inner = root.appendingPathComponent("diffusion").appendingPathComponent("deeper")
    let message = prepareError(inner, config(), force: true)
    #expect(
      message.contains("is inside the train output folder '\(root.path)': choose a folder outside it"), "\(message)")
  }

  @Test func forceReplacesTheConfigAndDropsStaleCheckpoints() throws {
    let root = folder()
    try RunFolder.prepare(root, config: config(), resuming: false)
    let strategy = root.appendingPathComponent("diffusion")
    try FileManager.default.createDirectory(at: strategy, withIntermediateDirectories: true)
    for name in [Checkpoint.fileName, "summary.json", "metrics.csv"] {
      try Data("old".utf8).write(to: strategy.appendingPathComponent(name))
    }
    var replaced = config()
    replaced.lr = 0.05
    try RunFolder.prepare(root, config: replaced, resuming: false, force: true)
    #expect(try RunFolder.storedConfig(root.path).lr == 0.05)
    #expect(!FileManager.default.fileExists(atPath: strategy.appendingPathComponent(Checkpoint.fileName).path))
    #expect(!FileManager.default.fileExists(atPath: strategy.appendingPathComponent("summary.json").path))
  }

  @Test func anEmptyOutIsRefused() {
    var c = config()
    c.out = ""
    #expect { try c.validate() } throws: { "\($0)".hasPrefix("invalid out '': expected a folder path") }
  }

  @Test func resultFilesAreNotOverwrittenSilently() throws {
    let root = folder()
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let csv = root.appendingPathComponent("landscape.csv").path
    try AtomicFile.refuseOverwriting([csv], remedy: "pass --force")
    try AtomicFile.write("old", to: csv)
    #expect {
      try AtomicFile.refuseOverwriting([root.appendingPathComponent("x").path, csv], remedy: "pass --force")
    } throws: { "\($0)" == "'\(csv)' already exists: pass --force" }
  }

  @Test func writesNameThePathAndLeaveNoTemporaryFile() throws {
    let root = folder()
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    #expect { try AtomicFile.write("x", to: root.path) } throws: {
      "\($0)" == "cannot write '\(root.path)': it is a directory, expected a file path"
    }
    let missing = root.appendingPathComponent("no/such/file.txt").path
    #expect { try AtomicFile.write("x", to: missing) } throws: {
      "\($0)" == "cannot write '\(missing)': No such file or directory"
    }
    let target = root.appendingPathComponent("a.txt").path
    try AtomicFile.write("one", to: target)
    try AtomicFile.write("two", to: target)
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "two")
    #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["a.txt"])
  }

  @Test func aTopRunFolderNamesItsStrategyFolders() throws {
    let root = folder()
    try RunFolder.prepare(root, config: config(["centralized", "diffusion"]), resuming: false)
    for kind in ["centralized", "diffusion"] {
      let strategy = root.appendingPathComponent(kind)
      try FileManager.default.createDirectory(at: strategy, withIntermediateDirectories: true)
      try TensorExportTests().checkpoint("mlp:5", input: .flat(4)).write(
        to: strategy.appendingPathComponent(Checkpoint.fileName).path)
    }
    #expect { _ = try Checkpoint.open(root.path) } throws: {
      "\($0)"
        == "'\(root.path)' is a train output folder of 2 strategies, not one strategy's run: give one of "
        + "'\(root.path)/centralized', '\(root.path)/diffusion'"
    }
    let (checkpoint, path) = try Checkpoint.open(root.appendingPathComponent("diffusion").path)
    #expect(path == root.appendingPathComponent("diffusion/checkpoint.bin").path && checkpoint.header.agents == 3)
    let empty = folder()
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    #expect { _ = try Checkpoint.open(empty.path) } throws: { "\($0)".contains("holds no checkpoint.bin") }
  }
}
