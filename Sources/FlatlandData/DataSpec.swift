import FlatlandCore

/// Which data set an experiment uses, parsed from a spec string.
///
/// | spec | data |
/// |---|---|
/// | `fashion-mnist[:DIR]` | Fashion-MNIST IDX files (default /usr/share/datasets/fashion-mnist) |
/// | `mnist[:DIR]` | MNIST IDX files |
/// | `cifar10[:DIR]`, `cifar100[:DIR]` | CIFAR binary batches |
/// | `csv:PATH[,label=COL][,test=FRACTION\|PATH]` | a CSV file; label column index, `last` or header name (default 0) |
/// | `npy:X.npy,Y.npy[,test=FRACTION]` | NumPy features and labels |
/// | `synthetic:gaussians[:CLASSES,DIM][,n=N][,test=M][,sep=S][,seed=S]` | Gaussian mixture |
/// | `synthetic:teacher[:DIM,WIDTH][,classes=C][,n=N][,test=M][,seed=S]` | teacher-network labels |
///
/// A directory left out comes from `--data-dir`. CSV and .npy sets without a test file get a
/// seeded held-out test split (default fraction 0.2).
public enum DataSpec: Sendable, Equatable, CustomStringConvertible {
  case fashionMNIST(directory: String?)
  case mnist(directory: String?)
  case cifar10(directory: String?)
  case cifar100(directory: String?)
  case csv(path: String, label: CSVColumn, test: HeldOut)
  case npy(features: String, labels: String, testFraction: Double)
  case gaussians(SyntheticData.Gaussians)
  case teacher(SyntheticData.Teacher)

  /// Where a CSV set's test samples come from.
  public enum HeldOut: Sendable, Equatable {
    /// A seeded random fraction of the file.
    case fraction(Double)
    /// A second CSV file with the same columns.
    case file(String)
  }

  public static let defaultTestFraction = 0.2

  static let accepted =
    "fashion-mnist[:DIR], mnist[:DIR], cifar10[:DIR], cifar100[:DIR], csv:PATH[,label=COL][,test=F|PATH], "
    + "npy:X.npy,Y.npy[,test=F], synthetic:gaussians[:CLASSES,DIM][,n=N,test=M,sep=S,seed=S] or "
    + "synthetic:teacher[:DIM,WIDTH][,classes=C,n=N,test=M,seed=S]"

  public init(parsing text: String) throws {
    let (kind, rest) = DataSpec.splitKind(text)
    switch kind {
    case "fashion-mnist": self = .fashionMNIST(directory: rest)
    case "mnist": self = .mnist(directory: rest)
    case "cifar10": self = .cifar10(directory: rest)
    case "cifar100": self = .cifar100(directory: rest)
    case "csv":
      let options = try SpecOptions(rest ?? "", spec: text, keys: ["label", "test"])
      guard options.positional.count == 1 else {
        throw FlatlandError.invalid("data set", text, accepted: "csv:PATH[,label=COL][,test=FRACTION|PATH]")
      }
      let label = try options.keyed["label"].map(CSVColumn.init(parsing:)) ?? .index(0)
      let test: HeldOut
      if let value = options.keyed["test"] {
        test = Double(value).map(HeldOut.fraction) ?? .file(value)
      } else {
        test = .fraction(DataSpec.defaultTestFraction)
      }
      self = .csv(path: options.positional[0], label: label, test: test)
    case "npy":
      let options = try SpecOptions(rest ?? "", spec: text, keys: ["test"])
      guard options.positional.count == 2 else {
        throw FlatlandError.invalid("data set", text, accepted: "npy:FEATURES.npy,LABELS.npy[,test=FRACTION]")
      }
      let fraction = try options.double("test", default: DataSpec.defaultTestFraction)
      self = .npy(features: options.positional[0], labels: options.positional[1], testFraction: fraction)
    case "synthetic":
      let (family, arguments) = DataSpec.splitFamily(rest ?? "")
      switch family {
      case "gaussians":
        let options = try SpecOptions(arguments ?? "", spec: text, keys: ["n", "test", "sep", "seed"])
        var g = SyntheticData.Gaussians()
        g.classes = try options.int(at: 0, "classes", default: g.classes, minimum: 2)
        try ClassCount.check(g.classes, of: "data set \(text)")
        g.dimension = try options.int(at: 1, "dimension", default: g.dimension, minimum: 1)
        g.trainCount = try options.int("n", default: g.trainCount, minimum: 1)
        g.testCount = try options.int("test", default: g.testCount, minimum: 1)
        g.separation = try options.double("sep", default: g.separation)
        g.seed = UInt64(try options.int("seed", default: 0, minimum: 0))
        guard options.positional.count <= 2 else {
          throw FlatlandError.invalid("data set", text, accepted: "synthetic:gaussians[:CLASSES,DIM]")
        }
        self = .gaussians(g)
      case "teacher":
        let options = try SpecOptions(arguments ?? "", spec: text, keys: ["classes", "n", "test", "seed"])
        var t = SyntheticData.Teacher()
        t.dimension = try options.int(at: 0, "dimension", default: t.dimension, minimum: 1)
        t.width = try options.int(at: 1, "width", default: t.width, minimum: 1)
        t.classes = try options.int("classes", default: t.classes, minimum: 2)
        try ClassCount.check(t.classes, of: "data set \(text)")
        t.trainCount = try options.int("n", default: t.trainCount, minimum: 1)
        t.testCount = try options.int("test", default: t.testCount, minimum: 1)
        t.seed = UInt64(try options.int("seed", default: 0, minimum: 0))
        guard options.positional.count <= 2 else {
          throw FlatlandError.invalid("data set", text, accepted: "synthetic:teacher[:DIM,WIDTH]")
        }
        self = .teacher(t)
      default:
        throw FlatlandError.invalid(
          "synthetic data set", text, accepted: "synthetic:gaussians[...] or synthetic:teacher[...]")
      }
    default:
      throw FlatlandError.invalid("data set", text, accepted: DataSpec.accepted)
    }
  }

  public var description: String {
    switch self {
    case .fashionMNIST(let dir): "fashion-mnist" + (dir.map { ":" + $0 } ?? "")
    case .mnist(let dir): "mnist" + (dir.map { ":" + $0 } ?? "")
    case .cifar10(let dir): "cifar10" + (dir.map { ":" + $0 } ?? "")
    case .cifar100(let dir): "cifar100" + (dir.map { ":" + $0 } ?? "")
    case .csv(let path, let label, .fraction(let f)): "csv:\(path),label=\(label),test=\(f)"
    case .csv(let path, let label, .file(let test)): "csv:\(path),label=\(label),test=\(test)"
    case .npy(let x, let y, let f): "npy:\(x),\(y),test=\(f)"
    case .gaussians(let g):
      "synthetic:gaussians:\(g.classes),\(g.dimension),n=\(g.trainCount),test=\(g.testCount)"
        + ",sep=\(g.separation),seed=\(g.seed)"
    case .teacher(let t):
      "synthetic:teacher:\(t.dimension),\(t.width),classes=\(t.classes),n=\(t.trainCount)"
        + ",test=\(t.testCount),seed=\(t.seed)"
    }
  }

  /// `kind` and the text after its first colon, if any.
  static func splitKind(_ text: String) -> (String, String?) {
    guard let colon = text.firstIndex(of: ":") else { return (text, nil) }
    return (String(text[..<colon]), String(text[text.index(after: colon)...]))
  }

  /// A synthetic family and its arguments: `gaussians:4,10,n=800` (positional sizes after a
  /// colon) or `gaussians,n=800` (options only, the sizes left at their defaults).
  static func splitFamily(_ text: String) -> (String, String?) {
    guard let cut = text.firstIndex(where: { $0 == ":" || $0 == "," }) else { return (text, nil) }
    return (String(text[..<cut]), String(text[text.index(after: cut)...]))
  }
}

/// The comma-separated arguments of a spec: positional values, then `key=value` options.
struct SpecOptions {
  var positional: [String] = []
  var keyed: [String: String] = [:]
  let spec: String

  init(_ text: String, spec: String, keys: Set<String>) throws {
    self.spec = spec
    guard !text.isEmpty else { return }
    for item in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
      if let eq = item.firstIndex(of: "=") {
        let key = String(item[..<eq])
        guard keys.contains(key) else {
          throw FlatlandError.invalid(
            "option '\(key)' in data set", spec, accepted: "options \(keys.sorted().joined(separator: ", "))")
        }
        keyed[key] = String(item[item.index(after: eq)...])
      } else {
        guard keyed.isEmpty, !item.isEmpty else {
          throw FlatlandError.invalid(
            "data set", spec, accepted: "positional values first, then key=value options, none empty")
        }
        positional.append(item)
      }
    }
  }

  func int(at index: Int, _ name: String, default value: Int, minimum: Int) throws -> Int {
    guard index < positional.count else { return value }
    return try checkedInt(positional[index], name, minimum: minimum)
  }

  func int(_ key: String, default value: Int, minimum: Int) throws -> Int {
    guard let text = keyed[key] else { return value }
    return try checkedInt(text, key, minimum: minimum)
  }

  func double(_ key: String, default value: Double) throws -> Double {
    guard let text = keyed[key] else { return value }
    guard let v = Double(text), v.isFinite, v > 0 else {
      throw FlatlandError.invalid("\(key) in data set \(spec)", text, accepted: "a positive number")
    }
    return v
  }

  private func checkedInt(_ text: String, _ name: String, minimum: Int) throws -> Int {
    guard let v = Int(text), v >= minimum else {
      throw FlatlandError.invalid("\(name) in data set \(spec)", text, accepted: "an integer ≥ \(minimum)")
    }
    return v
  }
}
