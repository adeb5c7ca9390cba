import FlatlandCore
import FlatlandData
import FlatlandModels
import FlatlandStrategies
import Foundation

/// A checkpoint's parameters at one point as one `.npy` file per tensor plus `manifest.json`,
/// in PyTorch's layout, and back.
///
/// Files hold little-endian Float32 in C order, so export then import gives back the same
/// bits. Import matches tensors by position (the order of the flat parameter vector) and checks
/// every file's shape against the model's layout, so a model trained elsewhere can be measured
/// here as long as it has the same architecture.
public enum TensorExport {
  /// Writes the parameters of `checkpoint` at `point` into `directory` (created if needed):
  /// `<tensor name>.npy` per tensor, then `manifest.json`.
  /// - Parameter path: the checkpoint's file, named in errors.
  /// - Throws: `FlatlandError` when the checkpoint does not match its model, the agent does not
  ///   exist, a parameter there is not finite, the folder already holds a file of that name
  ///   (nothing is overwritten), or a file cannot be written.
  @discardableResult
  public static func write(_ checkpoint: Checkpoint, path: String, point: Checkpoint.Point, to directory: String) throws
    -> TensorManifest
  {
    let network = try checkpoint.network(path: path)
    let w = try checkpoint.parameters(at: point)
    if let bad = w.firstIndex(where: { !$0.isFinite }) {
      throw FlatlandError(
        .numeric,
        "the \(point) of '\(path)' has a non-finite parameter (\(w[bad]) at index \(bad)): nothing exported")
    }
    let folder = URL(fileURLWithPath: directory)
    let manifestPath = folder.appendingPathComponent(TensorManifest.fileName).path
    let files = network.layout.tensors.map { $0.name + ".npy" } + [TensorManifest.fileName]
    if let taken = files.first(where: { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    ) {
      throw FlatlandError(
        .invalidArgument,
        "export folder '\(directory)' already holds \(taken), which export would overwrite: choose another folder")
    }
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw FlatlandError(.io, "cannot create export folder '\(directory)'")
    }
    var entries: [TensorManifest.Entry] = []
    for tensor in network.layout.tensors {
      let file = tensor.name + ".npy"
      try NPYTensor(shape: tensor.shape, values: Array(w[tensor.range])).write(
        to: folder.appendingPathComponent(file).path)
      entries.append(TensorManifest.Entry(name: tensor.name, shape: tensor.shape, file: file))
    }
    let input = network.inputShape
    let h = checkpoint.header
    let manifest = TensorManifest(
      model: h.model, inputShape: input.description,
      inputTensorShape: input.isSpatial ? [input.channels, input.height, input.width] : [input.count],
      classes: h.classes,
      parameterCount: network.parameterCount, dtype: "float32", point: point.description, strategy: h.strategy,
      iteration: h.iteration, tensors: entries)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    try AtomicFile.write(try encoder.encode(manifest), to: manifestPath)
    return manifest
  }

  /// Reads `directory/manifest.json` and its `.npy` files into a one-agent checkpoint of the
  /// manifest's model (float64 files are rounded to Float32). The manifest is trusted for
  /// nothing: its model must fit in memory, each tensor's declared shape must be the model's,
  /// each file a plain name in `directory` whose array has that shape.
  /// - Throws: `FlatlandError` naming the file for a missing or unreadable manifest or tensor,
  ///   a file name outside the folder, a declared or stored shape that does not fit the model,
  ///   another dtype, or non-finite values.
  public static func read(from directory: String) throws -> Checkpoint {
    let folder = URL(fileURLWithPath: directory)
    let manifest = try readManifest(folder.appendingPathComponent(TensorManifest.fileName).path)
    let input = try SampleShape(parsing: manifest.inputShape)
    let network = try Network.named(manifest.model, input: input, classes: manifest.classes)
    let layout = network.layout.tensors
    guard manifest.tensors.count == layout.count else {
      throw FlatlandError(
        .format,
        "'\(directory)/\(TensorManifest.fileName)' lists \(manifest.tensors.count) tensors: expected "
          + "\(layout.count) for model \(manifest.model) (\(layout.map(\.name).joined(separator: ", ")))"
      )
    }
    let parameters = AgentVectors(agents: 1, length: network.parameterCount)
    let manifestPath = "\(directory)/\(TensorManifest.fileName)"
    for (entry, tensor) in zip(manifest.tensors, layout) {
      let expected =
        "a float32 .npy of shape \(NPYTensor.shapeText(tensor.shape)) for \(tensor.name) of model \(manifest.model)"
      guard entry.shape == tensor.shape else {
        throw FlatlandError(
          .format,
          "'\(manifestPath)' declares shape \(entry.shape) for tensor '\(entry.name)': expected \(tensor.shape), "
            + "the shape of \(tensor.name) of model \(manifest.model)"
        )
      }
      let path = try tensorFile(entry.file, in: folder, manifest: manifestPath)
      guard FileManager.default.fileExists(atPath: path) else {
        throw FlatlandError(.io, "missing tensor file '\(path)': expected \(expected)")
      }
      let array = try NPYTensor.read(from: path)
      guard array.shape == tensor.shape else {
        throw FlatlandError(.format, "'\(path)' has shape \(NPYTensor.shapeText(array.shape)): expected \(expected)")
      }
      if let bad = array.values.firstIndex(where: { !$0.isFinite }) {
        throw FlatlandError(
          .numeric,
          "'\(path)' holds a non-finite value (\(array.values[bad]) at index \(bad)): expected finite parameters")
      }
      array.values.withUnsafeBufferPointer { source in
        (parameters.storage + tensor.offset).update(from: source.baseAddress!, count: tensor.count)
      }
    }
    let header = Checkpoint.Header(
      model: manifest.model, inputShape: input, classes: manifest.classes, strategy: manifest.strategy ?? "imported",
      iteration: manifest.iteration ?? 0, agents: 1, parameterCount: network.parameterCount, buffers: [],
      samplers: [],
      metricsRecords: 0, samples: 0, trainSeconds: 0)
    return Checkpoint(header: header, parameters: parameters)
  }

  /// The path of a manifest's tensor `file`, which must be a plain file name in `folder` (no
  /// directory part, not `.` or `..`), and not a link that leads out of it: a manifest from
  /// elsewhere cannot make import read any other file.
  static func tensorFile(_ file: String, in folder: URL, manifest: String) throws -> String {
    guard !file.isEmpty, file != ".", file != "..", !file.contains("/"), !file.contains("\0") else {
      throw FlatlandError.invalid(
        "tensor file in '\(manifest)'", file, accepted: "a plain file name in the manifest's folder, such as W.npy")
    }
    let url = folder.appendingPathComponent(file)
    let inside = folder.resolvingSymlinksInPath().standardizedFileURL.path
    let target = url.resolvingSymlinksInPath().standardizedFileURL.deletingLastPathComponent().path
    guard target == inside else {
      throw FlatlandError.invalid(
        "tensor file in '\(manifest)'", file, accepted: "a file of the manifest's folder, not a link out of it")
    }
    return url.path
  }

  /// Decodes a manifest, naming the file and the first problem.
  static func readManifest(_ path: String) throws -> TensorManifest {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw FlatlandError(
        .io, "cannot read '\(path)': expected the \(TensorManifest.fileName) that flatland export writes")
    }
    do {
      return try JSONDecoder().decode(TensorManifest.self, from: data)
    } catch let DecodingError.keyNotFound(key, context) {
      throw FlatlandError(
        .format,
        "'\(path)' has no '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))': expected "
          + "model, input_shape, classes and tensors"
      )
    } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
      throw FlatlandError(
        .format,
        "'\(path)' has a value of the wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'")
    } catch {
      throw FlatlandError(
        .format, "'\(path)' is not valid JSON: expected the \(TensorManifest.fileName) that flatland export writes")
    }
  }
}
