import FlatlandCore
import FlatlandTestSupport
import Testing

@Suite struct RandomStreamTests {
  @Test func sameKeyGivesSameSequence() {
    var a = RandomStream(seed: 7, agent: 3, purpose: .sampling)
    var b = RandomStream(seed: 7, agent: 3, purpose: .sampling)
    for _ in 0..<100 { #expect(a.next() == b.next()) }
  }

  @Test func agentsAndPurposesGetDifferentStreams() {
    var a = RandomStream(seed: 7, agent: 3, purpose: .sampling)
    var b = RandomStream(seed: 7, agent: 4, purpose: .sampling)
    var c = RandomStream(seed: 7, agent: 3, purpose: .initialization)
    let x = (0..<4).map { _ in a.next() }
    #expect(x != (0..<4).map { _ in b.next() })
    #expect(x != (0..<4).map { _ in c.next() })
  }

  @Test func uniformAndNormalMomentsMatch() {
    var rng = RandomStream(seed: 1, purpose: .measure)
    let n = 200_000
    var su = 0.0
    var sn = 0.0
    var sn2 = 0.0
    for _ in 0..<n {
      let u: Double = rng.uniform()
      #expect(u >= 0 && u < 1)
      su += u
      let z = rng.normal()
      sn += z
      sn2 += z * z
    }
    // Standard errors: uniform mean 1/sqrt(12n) ≈ 6.5e-4; normal mean 1/sqrt(n) ≈ 2.2e-3.
    #expect(abs(su / Double(n) - 0.5) < 4 * 6.5e-4)
    #expect(abs(sn / Double(n)) < 4 * 2.3e-3)
    #expect(abs(sn2 / Double(n) - 1) < 4 * 3.2e-3)
  }

  @Test func stateRoundTrips() throws {
    var a = RandomStream(seed: 9, purpose: .noise)
    _ = a.next()
    var b = try RandomStream(state: a.state)
    #expect(a.next() == b.next())
    #expect(throws: FlatlandError.self) { try RandomStream(state: [1, 2]) }
  }

  @Test func indexBelowStaysInRangeAndCoversIt() {
    var rng = RandomStream(seed: 2, purpose: .sampling)
    var seen = Set<Int>()
    for _ in 0..<1000 {
      let i = rng.index(below: 7)
      #expect((0..<7).contains(i))
      seen.insert(i)
    }
    #expect(seen.count == 7)
  }
}
