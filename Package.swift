// swift-tools-version:6.0
// eg: small Unix filters that generate realistic machine data from Splunk eventgen configurations.
// No package dependencies: the Swift toolchain only. Swift 6 language mode for every target.
import PackageDescription

let package = Package(
    name: "eg",
    products: [
        .executable(name: "eg-sample", targets: ["eg-sample"]),
        .executable(name: "eg-rate", targets: ["eg-rate"]),
        .executable(name: "eg-tokenize", targets: ["eg-tokenize"]),
        .executable(name: "eg-ship", targets: ["eg-ship"]),
    ],
    targets: [
        // Core (the NDJSON codec, token plans and the template engine every tool runs per event) is
        // optimised in debug builds too: the tests run the real binaries over thousands of events,
        // and unoptimised Core spends most of its time in retain/release and generic metadata.
        .target(name: "Core", swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .executableTarget(name: "eg-sample", dependencies: ["Core"]),
        .executableTarget(name: "eg-rate", dependencies: ["Core"]),
        .executableTarget(name: "eg-tokenize", dependencies: ["Core"]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CRelp", path: "Sources/CRelp", pkgConfig: "relp",
                       providers: [.apt(["librelp-dev"])]),
        .systemLibrary(name: "CRdKafka", path: "Sources/CRdKafka", pkgConfig: "rdkafka",
                       providers: [.apt(["librdkafka-dev"])]),
        .executableTarget(name: "eg-ship", dependencies: ["Core", "CZlib", "CCurl", "CRelp", "CRdKafka"]),
        .executableTarget(name: "eg-bench-kafka-mock", dependencies: ["CRdKafka"], path: "bench/kafka-mock"),
        .target(name: "EgTestSupport", path: "Tests/Support"),
        .testTarget(name: "CoreTests", dependencies: ["Core", "EgTestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["EgTestSupport", "eg-sample", "eg-rate", "eg-tokenize", "eg-ship"],
                    exclude: ["fixtures"]),
        .testTarget(name: "SampleTests", dependencies: ["EgTestSupport", "Core", "eg-sample"]),
        .testTarget(name: "RateTests", dependencies: ["EgTestSupport", "Core", "eg-rate"]),
        .testTarget(name: "TokenizeTests", dependencies: ["EgTestSupport", "Core", "eg-tokenize"]),
        .testTarget(name: "ShipTests", dependencies: ["EgTestSupport", "Core", "eg-ship", "CRdKafka"], exclude: ["AnswerRegressions"]),
        .testTarget(name: "AnomalyTests", dependencies: ["EgTestSupport", "Core", "eg-rate", "eg-tokenize"]),
    ]
)
