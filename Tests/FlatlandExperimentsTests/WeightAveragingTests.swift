import FlatlandCore
import FlatlandEngines
import FlatlandStrategies
import Testing

@testable import FlatlandExperiments

/// SWA's running mean equals the plain mean of the centroids it was due to see.
@Suite struct WeightAveragingTests {
  @Test func theAverageIsTheMeanOfTheDueCentroids() {
    let swa = WeightAveraging(start: 3, every: 2)
    let (agents, length) = (3, 4)
    let comm = InProcessCommunicator(agents: agents, threads: 2)
    let w = AgentVectors(agents: agents, length: length)
    let (average, room) = (AgentVectors(agents: 1, length: length), AgentVectors(agents: 1, length: length))
    var due: [[Double]] = []
    for i in 1...10 {
      for k in 0..<agents { w.set(k, (0..<length).map { j in Float(i * i + 3 * k - j) / 7 }) }
      swa.update(average, after: i, parameters: w, centroid: room, communicator: comm)
      if swa.averages(after: i) {
        due.append((0..<length).map { j in (0..<agents).map { k in Double(w[k][j]) }.reduce(0, +) / Double(agents) })
      }
      #expect(swa.count(after: i) == due.count)
    }
    #expect(due.count == 4)  // iterations 3, 5, 7, 9
    for j in 0..<length {
      let mean = due.map { $0[j] }.reduce(0, +) / Double(due.count)
      #expect(abs(Double(average[0][j]) - mean) <= 1e-5 * max(1, abs(mean)))
    }
  }

  @Test func startAndPeriodAreParsedAndChecked() throws {
    #expect(try WeightAveraging(parsing: "40") == WeightAveraging(start: 40, every: 1))
    #expect(try WeightAveraging(parsing: "40,5") == WeightAveraging(start: 40, every: 5))
    for bad in ["", "0", "-3", "4,0", "4,", "a", "4,5,6"] {
      #expect(throws: FlatlandError.invalid("swa", bad, accepted: WeightAveraging.accepted)) {
        try WeightAveraging(parsing: bad)
      }
    }
    #expect(throws: FlatlandError.self) { try WeightAveraging(start: 11).check(iterations: 10) }
    try WeightAveraging(start: 10).check(iterations: 10)
  }
}
