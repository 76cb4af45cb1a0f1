// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "ronin-nvr",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ronin", targets: ["ronin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "RoninCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RoninMedia",
            dependencies: [
                "RoninCore",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "CRoninOnnx",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        .target(
            name: "RoninVision",
            dependencies: ["RoninCore", "CRoninOnnx"]
        ),
        .target(
            name: "RoninServer",
            dependencies: [
                "RoninCore",
                "RoninMedia",
                "RoninVision",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "ronin",
            dependencies: [
                "RoninServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "RoninCoreTests",
            dependencies: ["RoninCore"]
        ),
        .testTarget(
            name: "RoninMediaTests",
            dependencies: ["RoninMedia"]
        ),
        .testTarget(
            name: "RoninVisionTests",
            dependencies: ["RoninVision"]
        ),
        .testTarget(
            name: "RoninServerTests",
            dependencies: [
                "RoninServer",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
