import ArgumentParser

struct Gradcheck: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Check gradients and Hessian-vector products against finite differences in Double.")
  func run() throws {}
}
