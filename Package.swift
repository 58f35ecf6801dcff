// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "Clicktrail",
  products: [
    .executable(name: "clicktrail", targets: ["clicktrail"])
  ],
  targets: [
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    .systemLibrary(
      name: "CLibdeflate",
      pkgConfig: "libdeflate",
      providers: [.apt(["libdeflate-dev"])]
    ),
    .systemLibrary(
      name: "CMicroHTTPD",
      pkgConfig: "libmicrohttpd",
      providers: [.apt(["libmicrohttpd-dev"])]
    ),
    .systemLibrary(
      name: "CCrypto",
      pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]
    ),
    .systemLibrary(
      name: "CYAML",
      pkgConfig: "yaml-0.1",
      providers: [.apt(["libyaml-dev"])]
    ),
    .systemLibrary(
      name: "CPCRE2",
      pkgConfig: "libpcre2-8",
      providers: [.apt(["libpcre2-dev"])]
    ),
    .target(name: "ClicktrailSupport"),
    .target(
      name: "ClicktrailLog",
      dependencies: ["CZlib", "CLibdeflate", "ClicktrailSupport"]
    ),
    .target(name: "ClicktrailCatalogue", dependencies: ["ClicktrailSupport"]),
    .target(name: "ClicktrailUserAgent", dependencies: ["CPCRE2", "CYAML", "ClicktrailSupport"]),
    .target(
      name: "ClicktrailService",
      dependencies: [
        "CCrypto", "CMicroHTTPD", "ClicktrailCatalogue", "ClicktrailLog", "ClicktrailSupport",
      ]
    ),
    .target(name: "ClicktrailSends", dependencies: ["ClicktrailCatalogue", "ClicktrailLog"]),
    .target(
      name: "ClicktrailSimulator",
      dependencies: [
        "CCrypto", "ClicktrailCatalogue", "ClicktrailLog", "ClicktrailService",
        "ClicktrailSupport",
      ]
    ),
    .systemLibrary(name: "CPrefetch"),
    .target(
      name: "ClicktrailReport",
      dependencies: [
        "CPrefetch", "ClicktrailCatalogue", "ClicktrailLog", "ClicktrailSends",
        "ClicktrailSupport",
      ]
    ),
    .target(
      name: "ClicktrailCLI",
      dependencies: [
        "ClicktrailReport", "ClicktrailUserAgent",
        "ClicktrailCatalogue", "ClicktrailLog", "ClicktrailService", "ClicktrailSimulator",
        "ClicktrailSupport",
      ]
    ),
    .executableTarget(name: "clicktrail", dependencies: ["ClicktrailCLI"]),
    .systemLibrary(name: "CPoll"),
    .target(name: "ClicktrailLoad", dependencies: ["CPoll"]),
    .executableTarget(
      name: "clicktrail-bench",
      dependencies: [
        "CLibdeflate", "CZlib", "ClicktrailLoad", "ClicktrailLog", "ClicktrailUserAgent",
      ]),
    .target(name: "CLibFuzzer"),
    .executableTarget(
      name: "clicktrail-fuzz",
      dependencies: [
        "CLibFuzzer", "CMicroHTTPD", "ClicktrailCatalogue", "ClicktrailLog", "ClicktrailReport",
        "ClicktrailSends", "ClicktrailService", "ClicktrailSupport",
      ]
    ),
    .target(name: "ClicktrailTestSupport", dependencies: ["ClicktrailLog"]),
    .testTarget(
      name: "ClicktrailLogTests",
      dependencies: ["ClicktrailLog", "ClicktrailSupport", "ClicktrailTestSupport"]
    ),
    .testTarget(
      name: "ClicktrailServiceTests",
      dependencies: [
        "ClicktrailCatalogue", "ClicktrailLog", "ClicktrailService", "ClicktrailSupport",
        "ClicktrailTestSupport",
      ]
    ),
    .testTarget(
      name: "ClicktrailLoadTests",
      dependencies: ["ClicktrailLoad"]
    ),
    .testTarget(
      name: "ClicktrailUserAgentTests",
      dependencies: ["ClicktrailUserAgent"]
    ),
    .testTarget(
      name: "ClicktrailCatalogueTests",
      dependencies: ["ClicktrailCatalogue"]
    ),
    .testTarget(
      name: "ClicktrailSimulatorTests",
      dependencies: [
        "ClicktrailCatalogue", "ClicktrailLog", "ClicktrailSends", "ClicktrailSimulator",
        "ClicktrailTestSupport",
      ]
    ),
    .testTarget(
      name: "ClicktrailSendsTests",
      dependencies: ["ClicktrailCatalogue", "ClicktrailSends"]
    ),
    .testTarget(
      name: "ClicktrailReportTests",
      dependencies: [
        "ClicktrailCLI", "ClicktrailLog", "ClicktrailReport", "ClicktrailSupport",
        "ClicktrailTestSupport",
      ]
    ),
    .testTarget(
      name: "ClicktrailCLITests",
      dependencies: [
        "ClicktrailCLI", "ClicktrailCatalogue", "ClicktrailLog", "ClicktrailSupport",
        "ClicktrailTestSupport",
      ]
    ),
  ]
)
