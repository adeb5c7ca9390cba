import FlatlandCore

/// A data set that `flatland data fetch` can download: its files under a base URL, each with
/// the SHA-256 digest of the bytes its publisher serves.
public struct RemoteDataset: Sendable {
  /// One file to download and verify.
  public struct File: Sendable {
    public var name: String
    /// 64 lowercase hex digits.
    public var sha256: String

    public init(name: String, sha256: String) {
      self.name = name
      self.sha256 = sha256
    }
  }

  public var name: String
  /// The URL the file names are appended to (ends with `/`).
  public var baseURL: String
  public var files: [File]
  /// For a `.tar.gz` archive, the directory it unpacks to; nil for files used as they are.
  public var unpacksTo: String?

  public init(name: String, baseURL: String, files: [File], unpacksTo: String? = nil) {
    self.name = name
    self.baseURL = baseURL
    self.files = files
    self.unpacksTo = unpacksTo
  }

  /// MNIST, from the mirror PyTorch uses (LeCun's original host now refuses most downloads);
  /// the files are the originals, as their digests show.
  public static let mnist = RemoteDataset(
    name: "mnist", baseURL: "https://ossci-datasets.s3.amazonaws.com/mnist/",
    files: [
      File(
        name: "train-images-idx3-ubyte.gz", sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
      File(
        name: "train-labels-idx1-ubyte.gz", sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
      File(
        name: "t10k-images-idx3-ubyte.gz", sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
      File(
        name: "t10k-labels-idx1-ubyte.gz", sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
    ])

  /// Fashion-MNIST, from Zalando Research's own bucket.
  public static let fashionMNIST = RemoteDataset(
    name: "fashion-mnist", baseURL: "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    files: [
      File(
        name: "train-images-idx3-ubyte.gz", sha256: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
      File(
        name: "train-labels-idx1-ubyte.gz", sha256: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
      File(
        name: "t10k-images-idx3-ubyte.gz", sha256: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
      File(
        name: "t10k-labels-idx1-ubyte.gz", sha256: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
    ])

  /// CIFAR-10's binary version, from Alex Krizhevsky's page.
  public static let cifar10 = RemoteDataset(
    name: "cifar10", baseURL: "https://www.cs.toronto.edu/~kriz/",
    files: [
      File(name: "cifar-10-binary.tar.gz", sha256: "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd")
    ],
    unpacksTo: "cifar-10-batches-bin")

  public static let all = [mnist, fashionMNIST, cifar10]

  /// The data set called `name` (`mnist`, `fashion-mnist` or `cifar10`).
  public static func named(_ name: String) throws -> RemoteDataset {
    guard let found = all.first(where: { $0.name == name }) else {
      throw FlatlandError.invalid("data set to fetch", name, accepted: all.map(\.name).joined(separator: ", "))
    }
    return found
  }
}
