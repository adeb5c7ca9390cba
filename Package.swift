// swift-tools-version: 6.1
import Foundation
import PackageDescription

/// Flatland: distributed learning over graphs, measured for flatness and optimization error.
///
/// Targets follow the architecture in DEVELOPERS.md: system libraries (BLAS/LAPACK, zlib, MPI),
/// core numerics, models, data, topology, strategies and engines, measures, theory,
/// experiments, the HTML report, and a thin CLI.
let numerics = Target.Dependency.product(name: "RealModule", package: "swift-numerics")

/// Models and measures are generic over Float/Double; cross-module optimization lets callers
/// in other modules run the specialized Float code instead of unspecialized generics.
let optimized: [SwiftSetting] = [.unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

/// libxsmm's JIT kernels (Debian's libxsmm-dev) multiply the small per-agent Float products
/// where its header is installed; elsewhere (no package for the architecture) OpenBLAS
/// multiplies every product. `FLATLAND_XSMM` tells FlatlandCore which build it is.
let xsmm = FileManager.default.fileExists(atPath: "/usr/include/libxsmm.h")
let xsmmTargets: [Target] = xsmm ? [.systemLibrary(name: "CXSMM", path: "Sources/CXSMM")] : []
let coreDependencies: [Target.Dependency] = ["CBLAS", numerics] + (xsmm ? ["CXSMM"] : [])
let coreSettings: [SwiftSetting] = optimized + (xsmm ? [.define("FLATLAND_XSMM")] : [])

let package = Package(
  name: "Flatland",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "flatland", targets: ["flatland"]),
    .library(
      name: "Flatland",
      targets: [
        "FlatlandCore", "FlatlandModels", "FlatlandData", "FlatlandTopology", "FlatlandStrategies",
        "FlatlandEngines", "FlatlandMeasures", "FlatlandTheory", "FlatlandExperiments", "FlatlandAnalysis",
        "FlatlandReport",
      ]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
  ],
  targets: [
    // MARK: - System libraries
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
    .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
    .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev"])]),
  ] + xsmmTargets + [

    // MARK: - Library
    .target(name: "FlatlandCore", dependencies: coreDependencies, swiftSettings: coreSettings),
    .target(name: "FlatlandModels", dependencies: ["FlatlandCore"], swiftSettings: optimized),
    .target(name: "FlatlandData", dependencies: ["FlatlandCore", "CZlib"]),
    .target(name: "FlatlandTopology", dependencies: ["FlatlandCore", "CBLAS", numerics]),
    .target(name: "FlatlandStrategies", dependencies: ["FlatlandCore", "FlatlandTopology", numerics]),
    .target(name: "FlatlandEngines", dependencies: ["CMPI", "FlatlandCore", "FlatlandStrategies", "FlatlandTopology"]),
    .target(name: "FlatlandMeasures", dependencies: ["FlatlandCore", "FlatlandModels"], swiftSettings: optimized),
    .target(
      name: "FlatlandTheory",
      dependencies: ["FlatlandCore", "FlatlandTopology", "FlatlandStrategies", "FlatlandEngines", "CBLAS"]),
    .target(
      name: "FlatlandExperiments",
      dependencies: [
        "CZlib", "FlatlandCore", "FlatlandModels", "FlatlandData", "FlatlandTopology", "FlatlandStrategies",
        .product(name: "Yams", package: "Yams"),
      ],
      swiftSettings: optimized),

    .target(
      name: "FlatlandAnalysis",
      dependencies: [
        "FlatlandCore", "FlatlandModels", "FlatlandData", "FlatlandTopology", "FlatlandStrategies", "FlatlandEngines",
        "FlatlandMeasures", "FlatlandTheory", "FlatlandExperiments", "FlatlandReport",
      ]),
    .target(name: "FlatlandReport", dependencies: ["FlatlandCore"]),

    // MARK: - CLI
    .executableTarget(
      name: "flatland",
      dependencies: [
        "FlatlandCore", "FlatlandModels", "FlatlandData", "FlatlandTopology", "FlatlandStrategies",
        "FlatlandEngines", "FlatlandExperiments", "FlatlandAnalysis",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // MARK: - Tests
    .target(name: "FlatlandTestSupport", dependencies: ["FlatlandCore"], path: "Tests/FlatlandTestSupport"),
    .testTarget(name: "FlatlandCoreTests", dependencies: ["FlatlandCore", "FlatlandTestSupport"]),
    .testTarget(name: "FlatlandModelsTests", dependencies: ["FlatlandModels", "FlatlandCore", "FlatlandTestSupport"]),
    .testTarget(name: "FlatlandDataTests", dependencies: ["FlatlandData", "FlatlandTestSupport"]),
    .testTarget(
      name: "FlatlandTopologyTests", dependencies: ["FlatlandTopology", "FlatlandCore", "FlatlandTestSupport"]),
    .testTarget(
      name: "FlatlandTheoryTests",
      dependencies: ["FlatlandTheory", "FlatlandTopology", "FlatlandCore", "FlatlandTestSupport"]),
    .testTarget(
      name: "FlatlandStrategiesTests",
      dependencies: [
        "FlatlandStrategies", "FlatlandEngines", "FlatlandTopology", "FlatlandCore", "FlatlandTestSupport",
      ]),
    .testTarget(
      name: "FlatlandEnginesTests",
      dependencies: [
        "FlatlandEngines", "FlatlandStrategies", "FlatlandTopology", "FlatlandCore", "FlatlandTestSupport",
      ]),
    .testTarget(
      name: "FlatlandMeasuresTests",
      dependencies: ["FlatlandMeasures", "FlatlandModels", "FlatlandCore", "FlatlandTestSupport"]),
    .testTarget(
      name: "FlatlandAnalysisTests",
      dependencies: [
        "FlatlandAnalysis", "FlatlandExperiments", "FlatlandEngines", "FlatlandStrategies", "FlatlandMeasures",
        "FlatlandTheory", "FlatlandCore",
      ]),
    .testTarget(
      name: "FlatlandExperimentsTests",
      dependencies: [
        "FlatlandExperiments", "FlatlandEngines", "FlatlandStrategies", "FlatlandMeasures", "FlatlandModels",
        "FlatlandData", "FlatlandCore", "FlatlandTestSupport", "flatland",
      ]),
    .testTarget(name: "FlatlandReportTests", dependencies: ["FlatlandReport", "FlatlandCore"]),
  ]
)
