import FlatlandCore
import Foundation

/// Appends evaluation records to a run folder's `metrics.csv` and `metrics.jsonl`, flushing
/// each line, so a crash or a kill loses nothing already evaluated.
///
/// Processes other than an engine's reporter keep the records in memory only.
final class MetricsLog {
  /// The open `metrics.csv` and `metrics.jsonl`; nil when this process writes no files.
  let files: (csv: AppendingFile, jsonl: AppendingFile)?
  private(set) var records: [MetricsRecord]
  private let encoder: JSONEncoder = {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys]
    e.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return e
  }()

  /// Opens the logs in `folder`, keeping the first `keep` records (those a checkpoint covers)
  /// and, when `writesFiles`, dropping any written after it.
  init(folder: URL, keep: Int, writesFiles: Bool) throws {
    let csvURL = folder.appendingPathComponent("metrics.csv")
    let jsonURL = folder.appendingPathComponent("metrics.jsonl")
    var kept: [MetricsRecord] = []
    if keep > 0, let data = FileManager.default.contents(atPath: jsonURL.path) {
      let decoder = JSONDecoder()
      decoder.nonConformingFloatDecodingStrategy = .convertFromString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
      for line in data.split(separator: UInt8(ascii: "\n")).prefix(keep) {
        kept.append(try decoder.decode(MetricsRecord.self, from: Data(line)))
      }
    }
    guard kept.count == keep else {
      throw FlatlandError(
        .format, "metrics.jsonl in '\(folder.path)' has \(kept.count) records, the checkpoint expects \(keep)")
    }
    records = kept
    guard writesFiles else {
      files = nil
      return
    }
    let csvText = ([MetricsRecord.csvHeader] + kept.map(\.csvLine)).joined(separator: "\n") + "\n"
    let enc = encoder
    let jsonText = try kept.map { String(decoding: try enc.encode($0), as: UTF8.self) + "\n" }.joined()
    try AtomicFile.write(csvText, to: csvURL.path)
    try AtomicFile.write(jsonText, to: jsonURL.path)
    files = (try AppendingFile(path: csvURL.path), try AppendingFile(path: jsonURL.path))
  }

  func append(_ record: MetricsRecord) throws {
    records.append(record)
    guard let files else { return }
    try files.csv.append(record.csvLine + "\n")
    try files.jsonl.append(String(decoding: try encoder.encode(record), as: UTF8.self) + "\n")
  }
}
