import FlatlandCore
import Foundation

extension DataSpec {
  /// Fashion-MNIST's location when Debian's `dataset-fashion-mnist` package is installed.
  public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

  /// Loads the train and test splits. `dataDir` fills in a directory the spec leaves out;
  /// `seed` drives the held-out test split of CSV and .npy sets (stream purpose `.split`).
  /// Images are scaled to [0, 1]; CSV and .npy features are kept exactly as stored.
  /// - Throws: `FlatlandError` for missing or malformed files, and when the test samples differ
  ///   from the training samples in shape or class count (a model built for one could not
  ///   evaluate the other).
  public func load(dataDir: String?, seed: UInt64) throws -> DataSplits {
    let splits = try loadSplits(dataDir: dataDir, seed: seed)
    let (train, test) = (splits.train, splits.test)
    guard test.shape == train.shape, test.classes == train.classes else {
      throw FlatlandError(
        .format,
        "\(test.name) holds samples of shape \(test.shape) in \(test.classes) classes but \(train.name) holds "
          + "\(train.shape) in \(train.classes): the test set must match the training set"
      )
    }
    return splits
  }

  private func loadSplits(dataDir: String?, seed: UInt64) throws -> DataSplits {
    let testStream = RandomStream(seed: seed, purpose: .split).split(0)
    switch self {
    case .fashionMNIST(let dir):
      let hint =
        "install it with `apt-get install dataset-fashion-mnist` or download it with `flatland data fetch "
        + "fashion-mnist --dir DIR`"
      return try DataSpec.loadIDX(
        name: "fashion-mnist", directory: dir ?? dataDir ?? DataSpec.fashionMNISTDirectory, hint: hint)
    case .mnist(let dir):
      let directory = try DataSpec.required(dir ?? dataDir, "mnist")
      return try DataSpec.loadIDX(
        name: "mnist", directory: directory, hint: "download it with `flatland data fetch mnist --dir \(directory)`")
    case .cifar10(let dir):
      let directory = try DataSpec.required(dir ?? dataDir, "cifar10")
      let hint = "download it with `flatland data fetch cifar10 --dir \(directory)`"
      let root = DataSpec.locate(directory, subdirectory: "cifar-10-batches-bin", probe: "test_batch.bin")
      return try DataSpec.loadCIFAR(
        .cifar10, name: "cifar10", root: root, train: (1...5).map { "data_batch_\($0).bin" }, test: "test_batch.bin",
        hint: hint)
    case .cifar100(let dir):
      let directory = try DataSpec.required(dir ?? dataDir, "cifar100")
      let hint =
        "download cifar-100-binary.tar.gz from the CIFAR page (https://www.cs.toronto.edu/~kriz/cifar.html) and "
        + "unpack it in \(directory)"
      let root = DataSpec.locate(directory, subdirectory: "cifar-100-binary", probe: "test.bin")
      return try DataSpec.loadCIFAR(
        .cifar100, name: "cifar100", root: root, train: ["train.bin"], test: "test.bin", hint: hint)
    case .csv(let path, let label, let heldOut):
      let train = try CSVFormat.parse(DataFile(path: path).readToEnd(), name: path, label: label)
      switch heldOut {
      case .fraction(let f):
        let all = try DataSpec.datasets(names: ["csv:\(path)"], tables: [train])[0]
        let (kept, held) = try all.splittingOff(fraction: f, stream: testStream, what: "test")
        return DataSplits(train: kept, test: held)
      case .file(let testPath):
        let test = try CSVFormat.parse(DataFile(path: testPath).readToEnd(), name: testPath, label: label)
        guard test.featureCount == train.featureCount else {
          throw FlatlandError(
            .format,
            "\(testPath) has \(test.featureCount) features but \(path) has \(train.featureCount): they must match")
        }
        let sets = try DataSpec.datasets(names: ["csv:\(path)", "csv:\(testPath)"], tables: [train, test])
        return DataSplits(train: sets[0], test: sets[1])
      }
    case .npy(let x, let y, let fraction):
      var featureFile = try DataFile(path: x)
      var labelFile = try DataFile(path: y)
      let (count, shape, values) = try NPYFormat.readFeatures(&featureFile)
      let labels = try NPYFormat.readLabels(&labelFile)
      guard count == labels.count else {
        throw FlatlandError(
          .format, "\(x) holds \(count) samples but \(y) holds \(labels.count) labels: they must match")
      }
      let classes = Int(labels.max()!) + 1
      let all = try Dataset(name: "npy:\(x)", shape: shape, classes: classes, features: values, labels: labels)
      let (kept, held) = try all.splittingOff(fraction: fraction, stream: testStream, what: "test")
      return DataSplits(train: kept, test: held)
    case .gaussians(let g):
      return try g.generate()
    case .teacher(let t):
      return try t.generate()
    }
  }

  private static func required(_ directory: String?, _ kind: String) throws -> String {
    guard let directory else {
      throw FlatlandError(
        .invalidArgument, "data set \(kind) needs a directory: write \(kind):DIR or pass --data-dir DIR")
    }
    return directory
  }

  /// `directory/subdirectory` when the archive was unpacked there, else `directory`.
  private static func locate(_ directory: String, subdirectory: String, probe: String) -> String {
    let nested = (directory as NSString).appendingPathComponent(subdirectory)
    let hasNested = FileManager.default.fileExists(atPath: (nested as NSString).appendingPathComponent(probe))
    return hasNested ? nested : directory
  }

  /// The IDX pair `{train,t10k}-{images-idx3,labels-idx1}-ubyte`, plain or `.gz`.
  private static func loadIDX(name: String, directory: String, hint: String) throws -> DataSplits {
    func open(_ base: String) throws -> DataFile {
      let plain = (directory as NSString).appendingPathComponent(base)
      return try DataFile(path: FileManager.default.fileExists(atPath: plain) ? plain : plain + ".gz", hint: hint)
    }
    func split(_ prefix: String, _ part: String) throws -> Dataset {
      var images = try open("\(prefix)-images-idx3-ubyte")
      var labels = try open("\(prefix)-labels-idx1-ubyte")
      return try IDXFormat.dataset(name: "\(name)/\(part)", images: &images, labels: &labels, classes: 10)
    }
    return DataSplits(train: try split("train", "train"), test: try split("t10k", "test"))
  }

  private static func loadCIFAR(
    _ format: CIFARFormat, name: String, root: String, train: [String], test: String, hint: String
  ) throws -> DataSplits {
    func files(_ names: [String]) throws -> [DataFile] {
      try names.map { try DataFile(path: (root as NSString).appendingPathComponent($0), hint: hint) }
    }
    var trainFiles = try files(train)
    var testFiles = try files([test])
    return DataSplits(
      train: try format.dataset(name: "\(name)/train", sources: &trainFiles),
      test: try format.dataset(name: "\(name)/test", sources: &testFiles))
  }

  /// Data sets from parsed CSV tables sharing one class count (the largest label + 1).
  private static func datasets(names: [String], tables: [CSVFormat.Table]) throws -> [Dataset] {
    let classes = Int(tables.compactMap { $0.labels.max() }.max() ?? 0) + 1
    return try zip(tables, names).map { table, name in
      try Dataset(
        name: name, shape: .flat(table.featureCount), classes: classes, features: table.features, labels: table.labels)
    }
  }
}
