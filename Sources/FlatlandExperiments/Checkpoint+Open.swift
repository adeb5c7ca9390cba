import FlatlandCore
import Foundation

extension Checkpoint {
  /// Reads the checkpoint of `target`: a strategy run folder (its `checkpoint.bin`) or a
  /// checkpoint file.
  ///
  /// A `train` output folder holds one strategy folder per strategy and no checkpoint of its
  /// own; given one, the error names its strategy folders, so the user can pick one.
  /// - Returns: the checkpoint and the path it was read from.
  /// - Throws: `FlatlandError` for a folder without a checkpoint (listing the strategy folders
  ///   of a `train` output folder) or an unreadable checkpoint.
  public static func open(_ target: String) throws -> (checkpoint: Checkpoint, path: String) {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue else {
      return (try read(from: target), target)
    }
    let folder = URL(fileURLWithPath: target)
    let path = folder.appendingPathComponent(fileName).path
    guard !FileManager.default.fileExists(atPath: path) else { return (try read(from: path), path) }
    let strategies = RunFolder.strategyFolders(of: folder)
    guard strategies.isEmpty else {
      throw FlatlandError(
        .invalidArgument,
        "'\(target)' is a train output folder of \(strategies.count) strateg\(strategies.count == 1 ? "y" : "ies"), "
          + "not one strategy's run: give one of " + strategies.map { "'\($0.path)'" }.joined(separator: ", "))
    }
    throw FlatlandError(
      .io, "'\(target)' holds no \(fileName): expected a strategy run folder of flatland train, or a checkpoint file")
  }
}
