import FlatlandExperiments
import Foundation

/// Progress on standard error: a bar redrawn in place on a terminal, plain log lines at each
/// evaluation otherwise (files, pipes, CI).
final class ProgressReporter {
  let isTerminal = isatty(STDERR_FILENO) == 1
  private var lastDraw = 0.0
  private var drewBar = false

  func report(_ p: TrainingProgress) {
    if let r = p.record {
      if drewBar { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
      line(
        String(
          format:
            "%@ iter %ld/%ld epoch %.2f  train loss %.4f  test acc %.4f (agents %.4f, worst %.4f)  disagreement "
            + "%.3g  %.0f samples/s",
          p.strategy, p.iteration, p.total, p.epoch, r.trainLossCentroid, r.testAccuracyCentroid,
          r.testAccuracyAgentsMean,
          r.testAccuracyWorstAgent, r.disagreement, p.samplesPerSecond))
      drewBar = false
      return
    }
    guard isTerminal else { return }
    let now = Date().timeIntervalSince1970
    guard now - lastDraw > 0.1 else { return }
    lastDraw = now
    let width = 30
    let filled = width * p.iteration / max(1, p.total)
    let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
    FileHandle.standardError.write(
      Data(
        String(
          format: "\r\u{1B}[K%@ %@ %ld/%ld epoch %.2f loss %.4f %.0f samples/s ETA %.0fs", p.strategy, bar, p.iteration,
          p.total, p.epoch, p.batchLoss, p.samplesPerSecond, p.etaSeconds
        ).utf8))
    drewBar = true
  }

  func finish() {
    if drewBar { FileHandle.standardError.write(Data("\n".utf8)) }
    drewBar = false
  }

  private func line(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}
