// swift-tools-version: 6.1
import PackageDescription

/// Flatland: distributed learning over graphs, measured for flatness and optimization error.
///
/// Targets follow the architecture in DEVELOPERS.md: system libraries (BLAS/LAPACK, zlib),
/// core numerics, models, data, topology, strategies and engines, measures, theory,
/// experiments, and a thin CLI.
let package = Package(
  name: "Flatland",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "flatland", targets: ["flatland"]),
    .library(name: "Flatland", targets: ["FlatlandCore", "FlatlandModels"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
  ],
  targets: [
    // MARK: - System libraries
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),

    // MARK: - Library
    .target(
      name: "FlatlandCore",
      dependencies: ["CBLAS", .product(name: "RealModule", package: "swift-numerics")]),
    .target(name: "FlatlandModels", dependencies: ["FlatlandCore"]),
    .target(name: "FlatlandMeasures", dependencies: ["CBLAS", "FlatlandCore", "FlatlandModels"]),

    // MARK: - CLI
    .executableTarget(
      name: "flatland",
      dependencies: [
        "FlatlandCore", "FlatlandModels", "FlatlandMeasures",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // MARK: - Tests
    .target(name: "FlatlandTestSupport", dependencies: ["FlatlandCore"], path: "Tests/FlatlandTestSupport"),
    .testTarget(name: "FlatlandCoreTests", dependencies: ["FlatlandCore", "FlatlandTestSupport"]),
    .testTarget(name: "FlatlandModelsTests", dependencies: ["FlatlandModels", "FlatlandTestSupport"]),
    .testTarget(name: "FlatlandMeasuresTests", dependencies: ["FlatlandMeasures", "FlatlandModels", "FlatlandTestSupport"]),
  ]
)
