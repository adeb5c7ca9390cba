import FlatlandCore
import Foundation
import Testing

@testable import FlatlandExperiments

/// Experiment files a careless or hostile user writes: a "billion laughs" of nested aliases
/// fails at once, and values of the wrong type or non-finite numbers are named by key.
@Suite struct ExperimentFileTests {
  func load(_ text: String) -> String {
    let path = NSTemporaryDirectory() + "flatland-config-\(UUID().uuidString).yaml"
    do {
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      _ = try TrainingConfig.load(file: path)
      return "no error"
    } catch let error as FlatlandError {
      #expect(!error.message.contains("\n"))
      return error.message.replacingOccurrences(of: path, with: "FILE")
    } catch {
      return "unexpected \(error)"
    }
  }

  /// Nine levels of nine aliases each: 9⁹ ≈ 3.9 · 10⁸ strings once expanded.
  static let billionLaughs: String = {
    var lines = [#"a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#]
    for (previous, name) in zip("abcdefgh", "bcdefghi") {
      lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
    }
    return lines.joined(separator: "\n") + "\n"
  }()

  @Test func aBillionLaughsFailsFast() {
    let start = Date()
    #expect(
      load(Self.billionLaughs)
        == "experiment file 'FILE' uses 72 YAML aliases (*name): expected at most 16, since nested aliases multiply "
        + "the document's size")
    #expect(Date().timeIntervalSince(start) < 1)
    #expect(
      load(String(repeating: "# padding\n", count: 110_000)).contains("has 1100000 bytes: expected at most 1048576"))
  }

  @Test func aliasesAreCountedAtTokenStarts() {
    #expect(ExperimentFile.aliasCount("a: *x\nb: [*y, *z]\n- *w\n? *v\n") == 5)
    #expect(ExperimentFile.aliasCount("out: runs/*\nlr: 2*3\nc: '* x'\n") == 0)
    // A few aliases are still fine.
    #expect(load("lr: &b 0.1\nclip: *b\nmomentum: 0.5\n") == "no error")
  }

  @Test(arguments: [
    ("lr: .inf", "key 'lr' is inf: expected a finite number"),
    ("lr: 1e999", "key 'lr' is inf: expected a finite number"),
    ("momentum: .nan", "key 'momentum' is nan: expected a finite number"),
    ("epochs: true", "key 'epochs' is true: expected a finite number"),
    ("agents: 2.5", "key 'agents' is 2.5: expected an integer"),
    ("iterations: 1e300", "key 'iterations' is 1e+300: expected an integer"),
    ("batch: '8'", "key 'batch' is 8: expected an integer"),
  ])
  func valuesOfTheWrongKindAreNamedByKey(_ yaml: String, _ expected: String) {
    #expect(load(yaml + "\n") == "bad value in experiment file 'FILE': \(expected)")
  }

  @Test func integralNumbersAndNullsAreAccepted() throws {
    #expect(load("agents: 4.0\nclip: null\nlr: 1\n") == "no error")
    let path = NSTemporaryDirectory() + "flatland-config-\(UUID().uuidString).json"
    try #"{"agents": 4.0, "epochs": 2, "clip": null}"#.write(toFile: path, atomically: true, encoding: .utf8)
    let c = try TrainingConfig.load(file: path)
    #expect(c.agents == 4 && c.epochs == 2 && c.clip == nil)
  }
}
