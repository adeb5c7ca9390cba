import FlatlandCore
import FlatlandData
import FlatlandModels
import FlatlandStrategies
import Foundation
import Testing

@testable import FlatlandExperiments

/// Export to `.npy` + `manifest.json` and import back: bit-identical round trips, PyTorch's
/// weight orientation, and one-line errors naming the file and the expected shape.
@Suite struct TensorExportTests {
  func folder() -> String {
    NSTemporaryDirectory() + "flatland-export-\(UUID().uuidString)"
  }

  /// A K-agent checkpoint of `model` with seeded normal parameters.
  func checkpoint(_ model: String, input: SampleShape, classes: Int = 3, agents: Int = 3) throws -> Checkpoint {
    let network = try Network.named(model, input: input, classes: classes)
    let parameters = AgentVectors(agents: agents, length: network.parameterCount)
    var rng = RandomStream(seed: 7, purpose: .initialization)
    for k in 0..<agents { parameters.set(k, (0..<network.parameterCount).map { _ in Float(rng.normal()) }) }
    let header = Checkpoint.Header(
      model: model, inputShape: input, classes: classes, strategy: "diffusion", iteration: 5, agents: agents,
      parameterCount: network.parameterCount, buffers: [], samplers: [], metricsRecords: 0, samples: 0,
      trainSeconds: 0)
    return Checkpoint(header: header, parameters: parameters)
  }

  @Test(arguments: [("mlp:5", "3x3x2"), ("lenet5", "16x16x1"), ("resnet8", "8x8x3")])
  func exportThenImportIsBitIdentical(_ model: String, _ input: String) throws {
    let original = try checkpoint(model, input: try SampleShape(parsing: input))
    let first = folder()
    let second = folder()
    let manifest = try TensorExport.write(original, path: "test", point: .agent(1), to: first)
    let network = try original.network(path: "test")
    #expect(manifest.tensors.map(\.name) == network.layout.tensors.map(\.name))
    #expect(manifest.tensors.map(\.shape) == network.layout.tensors.map(\.shape))
    let imported = try TensorExport.read(from: first)
    #expect(
      imported.header.agents == 1 && imported.header.model == model
        && imported.header.inputShape == original.header.inputShape)
    #expect(imported.parameters.row(0).map(\.bitPattern) == original.parameters.row(1).map(\.bitPattern))
    try TensorExport.write(imported, path: "imported", point: .centroid, to: second)
    for entry in manifest.tensors {
      let a = FileManager.default.contents(atPath: first + "/" + entry.file)
      #expect(a != nil && a == FileManager.default.contents(atPath: second + "/" + entry.file), "\(entry.file) differs")
    }
  }

  @Test func residualProjectionsAreNamedAfterTheirBlock() throws {
    let manifest = try TensorExport.write(
      try checkpoint("resnet8", input: SampleShape(parsing: "8x8x3")), path: "test", point: .centroid, to: folder())
    let projection = manifest.tensors.first { $0.name == "block2.proj.weight" }
    #expect(projection?.shape == [32, 16, 1, 1] && projection?.file == "block2.proj.weight.npy")
  }

  /// PyTorch's Linear computes z = W x + b with W of shape (out, in). For logreg on x = (1, −1)
  /// with W = [[1, 2], [3, 4], [5, 6]] and b = (0.5, −0.5, 0.25): z = (−0.5, −1.5, −0.75), and
  /// the loss for class 2 is log Σ_c e^{z_c} − z_2.
  @Test func anImportedLinearWeightIsOutByIn() throws {
    let dir = folder()
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try NPYTensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6]).write(to: dir + "/W.npy")
    try NPYTensor(shape: [3], values: [0.5, -0.5, 0.25]).write(to: dir + "/b.npy")
    let manifest =
      #"{"model": "logreg", "input_shape": "2", "classes": 3, "tensors": ["#
      + #"{"name": "fc.weight", "shape": [3, 2], "file": "W.npy"}, "#
      + #"{"name": "fc.bias", "shape": [3], "file": "b.npy"}]}"#
    try Data(manifest.utf8).write(to: URL(fileURLWithPath: dir + "/manifest.json"))
    let imported = try TensorExport.read(from: dir)
    let network = try imported.network(path: "imported")
    let stats = network.evaluate(
      imported.parameters.row(0), features: [1, -1], labels: [2],
      workspace: network.makeWorkspace(capacity: 1, of: Float.self))
    let z = [-0.5, -1.5, -0.75]
    let expected = Foundation.log(z.map { Foundation.exp($0) }.reduce(0, +)) - z[2]
    #expect(abs(stats.loss - expected) < 1e-6, "loss \(stats.loss) vs \(expected)")
  }

  /// Each broken folder is made from a good export by one edit; the error names the file (or
  /// the manifest) and what was expected.
  @Test func brokenFoldersGiveOneLineErrorsNamingTheFileAndTheExpectedShape() throws {
    let good = folder()
    try TensorExport.write(try checkpoint("mlp:4", input: .flat(3)), path: "test", point: .agent(0), to: good)
    let cases: [(String, (String) throws -> Void, [String])] = [
      (
        "missing", { try FileManager.default.removeItem(atPath: $0 + "/linear2.bias.npy") },
        ["linear2.bias.npy", "(3,)"]
      ),
      (
        "shape",
        { try NPYTensor(shape: [4, 2], values: Array(repeating: 0, count: 8)).write(to: $0 + "/linear1.weight.npy") },
        ["linear1.weight.npy", "(4, 2)", "(4, 3)"]
      ),
      ("model", { try editManifest($0) { $0.model = "mlp:5" } }, ["manifest.json", "[4, 3]", "expected [5, 3]"]),
      ("count", { try editManifest($0) { $0.tensors.removeLast() } }, ["manifest.json", "3 tensors", "expected 4"]),
      (
        "finite", { try NPYTensor(shape: [4], values: [0, .nan, 0, 0]).write(to: $0 + "/linear1.bias.npy") },
        ["linear1.bias.npy", "index 1"]
      ),
      ("manifest", { try FileManager.default.removeItem(atPath: $0 + "/manifest.json") }, ["manifest.json"]),
    ]
    for (label, edit, words) in cases {
      let dir = folder()
      try FileManager.default.copyItem(atPath: good, toPath: dir)
      try edit(dir)
      #expect(throws: FlatlandError.self, "\(label)") { try TensorExport.read(from: dir) }
      do {
        _ = try TensorExport.read(from: dir)
      } catch let error as FlatlandError {
        #expect(!error.message.contains("\n"), "\(label): \(error.message)")
        for word in words { #expect(error.message.contains(word), "\(label): '\(word)' not in: \(error.message)") }
      }
    }
  }

  /// The manifest is trusted for nothing: only plain file names of its folder are read, and
  /// each declared shape must be the model's.
  @Test func importReadsOnlyPlainNamesOfDeclaredModelShapes() throws {
    let good = folder()
    try TensorExport.write(try checkpoint("mlp:4", input: .flat(3)), path: "test", point: .agent(0), to: good)
    let outside = folder()
    try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    try NPYTensor(shape: [4, 3], values: Array(repeating: 1, count: 12)).write(to: outside + "/w.npy")
    let cases: [(String, (inout TensorManifest) -> Void, String)] = [
      (
        "parent", { $0.tensors[0].file = "../../../../etc/passwd" },
        "'../../../../etc/passwd': expected a plain file name"
      ),
      ("absolute", { $0.tensors[0].file = outside + "/w.npy" }, "expected a plain file name"),
      ("dot", { $0.tensors[1].file = ".." }, "'..': expected a plain file name"),
      (
        "transposed", { $0.tensors[0].shape = [3, 4] },
        "declares shape [3, 4] for tensor 'linear1.weight': expected [4, 3]"
      ),
      ("huge", { $0.tensors[0].shape = [4_000_000_000, 4_000_000_000] }, "declares shape [4000000000, 4000000000]"),
      ("negative", { $0.tensors[2].shape = [-3, 4] }, "declares shape [-3, 4] for tensor 'linear2.weight'"),
      ("model", { $0.model = "mlp:1000000000" }, "model mlp:1000000000 (2 layers, widths up to 1000000000) would need"),
      ("classes", { $0.classes = 10_000_000_000 }, "expected 2 to 65536 classes"),
      ("input", { $0.inputShape = "100000x100000x100000" }, "input shape 100000x100000x100000 of model mlp:4"),
    ]
    for (label, change, expected) in cases {
      let dir = folder()
      try FileManager.default.copyItem(atPath: good, toPath: dir)
      try editManifest(dir, change)
      #expect(throws: FlatlandError.self, "\(label)") { try TensorExport.read(from: dir) }
      do {
        _ = try TensorExport.read(from: dir)
      } catch let error as FlatlandError {
        #expect(error.message.contains(expected), "\(label): \(error.message)")
      }
    }
    // A link inside the folder that leads out of it.
    let linked = folder()
    try FileManager.default.copyItem(atPath: good, toPath: linked)
    try FileManager.default.createSymbolicLink(atPath: linked + "/evil.npy", withDestinationPath: outside + "/w.npy")
    try editManifest(linked) { $0.tensors[0].file = "evil.npy" }
    #expect { try TensorExport.read(from: linked) } throws: { "\($0)".contains("not a link out of it") }
  }

  @Test func exportRefusesToOverwriteAnyFileItWrites() throws {
    let dir = folder()
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try Data("mine".utf8).write(to: URL(fileURLWithPath: dir + "/linear2.bias.npy"))
    #expect {
      try TensorExport.write(try checkpoint("mlp:4", input: .flat(3)), path: "t", point: .centroid, to: dir)
    } throws: { "\($0)".contains("already holds linear2.bias.npy, which export would overwrite") }
    #expect(try String(contentsOfFile: dir + "/linear2.bias.npy", encoding: .utf8) == "mine")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["linear2.bias.npy"])
  }

  @Test func exportRefusesAMissingAgentAndAnUsedFolder() throws {
    let c = try checkpoint("mlp:4", input: .flat(3), agents: 2)
    #expect { try TensorExport.write(c, path: "test", point: .agent(2), to: folder()) } throws: {
      "\($0)".contains("0…1")
    }
    let dir = folder()
    try TensorExport.write(c, path: "test", point: .centroid, to: dir)
    #expect { try TensorExport.write(c, path: "test", point: .centroid, to: dir) } throws: {
      "\($0)".contains("already holds")
    }
  }
}

/// Rewrites `dir/manifest.json` after `change`.
func editManifest(_ dir: String, _ change: (inout TensorManifest) -> Void) throws {
  let url = URL(fileURLWithPath: dir + "/manifest.json")
  var manifest = try JSONDecoder().decode(TensorManifest.self, from: Data(contentsOf: url))
  change(&manifest)
  try JSONEncoder().encode(manifest).write(to: url)
}
