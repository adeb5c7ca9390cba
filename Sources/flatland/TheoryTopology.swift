import FlatlandCore

/// The combination matrix for `flatland theory`, row-major with entry [l*K + k] = a_lk, the
/// weight agent k gives neighbor l (columns sum to one).
///
/// Stand-in until the topology library is merged: only `ring` and `complete` graphs with
/// Metropolis weights, a_lk = 1 / (1 + max(n_k, n_l)) for neighbors l ≠ k (n = degree) and
/// a_kk = 1 − Σ_{l≠k} a_lk (Xiao & Boyd, "Fast linear iterations for distributed averaging").
/// The lead replaces this one function with the topology library's builder.
func combinationMatrix(topology: String, agents k: Int, weights: String) throws -> [Double] {
  guard k >= 1 else { throw FlatlandError.invalid("number of agents", k, accepted: "an integer ≥ 1") }
  guard weights == "metropolis" else { throw FlatlandError.invalid("weights", weights, accepted: "metropolis") }
  let neighbors: [Set<Int>]
  switch topology {
  case "ring": neighbors = (0..<k).map { j in Set([(j + 1) % k, (j + k - 1) % k]).subtracting([j]) }
  case "complete": neighbors = (0..<k).map { j in Set(0..<k).subtracting([j]) }
  default: throw FlatlandError.invalid("topology", topology, accepted: "ring or complete")
  }
  var a = [Double](repeating: 0, count: k * k)
  for j in 0..<k {
    for l in neighbors[j] { a[l * k + j] = 1 / Double(1 + max(neighbors[j].count, neighbors[l].count)) }
    a[j * k + j] = 1 - neighbors[j].reduce(0) { $0 + a[$1 * k + j] }
  }
  return a
}
