import FlatlandCore
import FlatlandTestSupport
import FlatlandTopology
import Foundation
import Testing

@Suite struct CombinationMatrixTests {
  /// Column k = agent k's weights: agent 0 keeps 1/2 and gives 1/2 to agent 1; agent 1 keeps 1/4
  /// and gives 3/4 to agent 0. Left-stochastic, not right-stochastic, not symmetric.
  let twoAgents: [Double] = [0.5, 0.75, 0.5, 0.25]

  @Test func subscriptAndNeighborsFollowTheColumnConvention() throws {
    let a = try CombinationMatrix(agents: 2, weights: twoAgents)
    #expect(a[1, 0] == 0.5 && a[0, 1] == 0.75)
    let n1 = a.neighbors(of: 1)
    #expect(n1.map(\.agent) == [0, 1] && n1.map(\.weight) == [0.75, 0.25])
    #expect(a.columnSum(0) == 1 && a.columnSum(1) == 1 && a.rowSum(0) == 1.25)
    #expect(a.isLeftStochastic && !a.isRightStochastic && !a.isDoublyStochastic && !a.isSymmetric)
  }

  @Test func neighborListsSkipZeroWeights() throws {
    let a = try WeightRule.metropolis.matrix(for: Graph.line(4))
    #expect(a.neighbors(of: 0).map(\.agent) == [0, 1])
    #expect(a.neighbors(of: 2).map(\.agent) == [1, 2, 3])
    // Rebuilding column k from its sparse list gives the dense column back.
    for k in 0..<4 {
      var column = [Double](repeating: 0, count: 4)
      for (l, w) in a.neighbors(of: k) { column[l] = w }
      #expect(column == (0..<4).map { a[$0, k] })
    }
  }

  @Test func identityAndLazy() throws {
    let i = try CombinationMatrix.identity(3)
    #expect(i.weights == [1, 0, 0, 0, 1, 0, 0, 0, 1] && i.isDoublyStochastic && i.isSymmetric)
    let lazy = try CombinationMatrix(agents: 2, weights: twoAgents).lazy
    #expect(lazy.weights == [0.75, 0.375, 0.25, 0.625] && lazy.isLeftStochastic)
    #expect(throws: FlatlandError.self) { try CombinationMatrix.identity(0) }
  }

  @Test func codableRoundTripRebuildsNeighbors() throws {
    let a = try WeightRule.uniform.matrix(for: Graph.star(4))
    let decoded = try JSONDecoder().decode(CombinationMatrix.self, from: JSONEncoder().encode(a))
    #expect(decoded == a)
    #expect(decoded.neighbors(of: 0).map(\.agent) == [0, 1, 2, 3])
    // Decoding runs the same checks as the initializer.
    let negative = Data(#"{"agents":1,"weights":[-1]}"#.utf8)
    #expect(throws: FlatlandError.self) { try JSONDecoder().decode(CombinationMatrix.self, from: negative) }
  }

  // MARK: - Bad input

  @Test func rejectsBadShapesAndEntries() {
    #expect(throws: FlatlandError.self) { try CombinationMatrix(agents: 0, weights: []) }
    #expect(throws: FlatlandError.self) { try CombinationMatrix(agents: 2, weights: [1, 0, 0]) }
    #expect(throws: FlatlandError.self) { try CombinationMatrix(agents: 1, weights: [.nan]) }
    let message = errorMessage { _ = try CombinationMatrix(agents: 2, weights: [1.2, 0, -0.2, 1]) }
    #expect(message?.contains("row 1, column 0") == true && message?.contains("-0.2") == true)
  }

  @Test func validateNamesTheOffendingColumnAndSum() throws {
    // Column 1 sums to 0.9; rows 0 and 1 sum to 1.4 and 0.5.
    let a = try CombinationMatrix(agents: 2, weights: [1, 0.4, 0, 0.5])
    let column = errorMessage { try a.validate(requirement: .leftStochastic) }
    #expect(column?.contains("column 1") == true && column?.contains("sums to 0.9") == true)
    let row = errorMessage { try a.validate(requirement: .rightStochastic) }
    #expect(row?.contains("row 0") == true && row?.contains("sums to 1.4") == true)
    // Doubly stochastic checks columns first.
    #expect(errorMessage { try a.validate(requirement: .doublyStochastic) }?.contains("column 1") == true)
  }

  @Test func validateAcceptsWhatEachRequirementNeeds() throws {
    let left = try CombinationMatrix(agents: 2, weights: twoAgents)
    try left.validate(requirement: .leftStochastic)
    #expect(errorMessage { try left.validate(requirement: .doublyStochastic) }?.contains("row 0") == true)
    // Doubly stochastic but not symmetric: a directed 3-cycle made lazy.
    let cycle = try CombinationMatrix(agents: 3, weights: [0.5, 0, 0.5, 0.5, 0.5, 0, 0, 0.5, 0.5])
    try cycle.validate(requirement: .doublyStochastic)
    let asymmetric = errorMessage { try cycle.validate(requirement: .symmetricDoublyStochastic) }
    #expect(asymmetric?.contains("not symmetric") == true)
    try WeightRule.metropolis.matrix(for: Graph.star(5)).validate(requirement: .symmetricDoublyStochastic)
  }

  // MARK: - CSV

  @Test func csvReadsDecimalsAndFractions() throws {
    let path = try temporaryFile(
      "# a 3-agent ring, Metropolis\n1/3, 1/3, 1/3\n1/3,1/3,1/3\n\n0.3333333333333333,1/3,1/3\n", suffix: ".csv")
    let a = try CombinationMatrix(csvFile: path)
    #expect(a.agents == 3 && a.isDoublyStochastic)
    #expect(abs(a[2, 0] - 1.0 / 3) < 1e-16)
  }

  @Test func csvErrorsNameLineAndEntry() throws {
    let ragged = try temporaryFile("0.5,0.5\n0.5\n", suffix: ".csv")
    #expect(
      errorMessage { _ = try CombinationMatrix(csvFile: ragged) }?.contains("line 2 (row 1) has 1 entries") == true)
    let word = try temporaryFile("1,x\n0,1\n", suffix: ".csv")
    #expect(errorMessage { _ = try CombinationMatrix(csvFile: word) }?.contains("entry 'x'") == true)
    let negative = try temporaryFile("1.5,0\n-0.5,1\n", suffix: ".csv")
    #expect(errorMessage { _ = try CombinationMatrix(csvFile: negative) }?.contains("-0.5") == true)
    let missing = #expect(throws: FlatlandError.self) { try CombinationMatrix(csvFile: "/nonexistent/flatland.csv") }
    #expect(missing?.kind == .io)
  }
}
