import ArgumentParser
import FlatlandAnalysis

extension PointSelection: ExpressibleByArgument {
  public init?(argument: String) { try? self.init(parsing: argument) }
  public var defaultValueDescription: String { description }
}
