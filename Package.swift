// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "lookout",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lookout", targets: ["LookoutCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Thin wrappers over the C libraries: a module map and a shim header each.
        .systemLibrary(name: "CRabbitMQ", pkgConfig: "librabbitmq",
                       providers: [.apt(["librabbitmq-dev"])]),
        .systemLibrary(name: "CMongoC", pkgConfig: "libmongoc-1.0",
                       providers: [.apt(["libmongoc-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),

        // Metrics (Prometheus text format) and logging set-up shared by every process.
        .target(name: "Telemetry",
                dependencies: [.product(name: "Prometheus", package: "swift-prometheus"),
                               .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // The Zoom webhook contract: signatures, envelopes, URL validation. Pure, no I/O.
        .target(name: "ZoomWebhooks",
                dependencies: [.product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        // Domain vocabulary shared by every process: messages, configuration, retry policy.
        .target(name: "LookoutCore",
                dependencies: [.product(name: "Logging", package: "swift-log"),
                               .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
                swiftSettings: strict),
        // RabbitMQ over rabbitmq-c: confirmed publisher, batching consumer, topology.
        .target(name: "Broker",
                dependencies: ["CRabbitMQ", "LookoutCore", .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // MongoDB over libmongoc: the raw event store.
        .target(name: "EventStore",
                dependencies: ["CMongoC", "LookoutCore",
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // Outbound HTTP over libcurl: replays, Mattermost posts, Zoom's REST API, Zoho Analytics.
        .target(name: "OutboundHTTP",
                dependencies: ["CCurl", .product(name: "NIOPosix", package: "swift-nio")],
                swiftSettings: strict),
        // Crash-safe local holding place for events the broker could not confirm.
        .target(name: "Spool",
                dependencies: ["LookoutCore", .product(name: "NIOPosix", package: "swift-nio")],
                swiftSettings: strict),
        // The webhook receiver: HTTP in, verified events out to the broker.
        .target(name: "Receiver",
                dependencies: ["ZoomWebhooks", "LookoutCore", "Spool", .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "HTTPTypes", package: "swift-http-types"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // Worker that persists every event exactly once in effect.
        .target(name: "StoreWorker",
                dependencies: ["LookoutCore", "EventStore", "ZoomWebhooks", .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // Presence, sessions, disconnections, incidents and exports: pure rules over facts.
        .target(name: "Projections",
                dependencies: ["ZoomWebhooks"],
                swiftSettings: strict),
        // Worker that keeps the projections and exports up to date.
        .target(name: "ProjectionWorker",
                dependencies: ["Projections", "LookoutCore", "EventStore", "ZoomWebhooks", .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // Zoom's REST API: Server-to-Server OAuth, rate limit, retries, Dashboard and Report API records.
        .target(name: "ZoomAPI",
                dependencies: ["OutboundHTTP", "LookoutCore", .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // Past meetings from Zoom's API as webhook-shaped events, published with a resume ledger.
        .target(name: "Backfill",
                dependencies: ["ZoomAPI", "Projections", "ZoomWebhooks", "LookoutCore", "EventStore",
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // The Zoho Analytics sink: CSV imports with the v2 API and the state of what Zoho accepted.
        .target(name: "ZohoAnalytics",
                dependencies: ["OutboundHTTP", "Projections", "LookoutCore", "EventStore",
                               .product(name: "Crypto", package: "swift-crypto"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        // Mattermost notices: event decoding, attachments, escaping, routing rules, privacy,
        // coalescing, rate limits, retry decisions. Pure, no I/O.
        .target(name: "Notifier",
                dependencies: ["LookoutCore", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strict),
        // Worker that posts notices to Mattermost webhooks and settles deliveries by the answers.
        .target(name: "NotifyWorker",
                dependencies: ["Notifier", "LookoutCore", "OutboundHTTP", .product(name: "Metrics", package: "swift-metrics"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),
        .executableTarget(name: "LookoutCLI",
                dependencies: ["ZoomWebhooks", "LookoutCore", "Broker", "EventStore", "OutboundHTTP",
                               "Receiver", "StoreWorker", "Projections", "ProjectionWorker", "Spool", "Telemetry",
                               "ZoomAPI", "Backfill", "ZohoAnalytics", "Notifier", "NotifyWorker",
                               .product(name: "ArgumentParser", package: "swift-argument-parser"),
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: strict),

        .testTarget(name: "ZoomWebhooksTests", dependencies: ["ZoomWebhooks"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ReceiverTests",
                    dependencies: ["Receiver", "ZoomWebhooks", "LookoutCore", "Spool",
                                   .product(name: "HummingbirdTesting", package: "hummingbird")]),
        .testTarget(name: "StoreWorkerTests",
                    dependencies: ["StoreWorker", "LookoutCore", "EventStore", "ZoomWebhooks",
                                   .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")]),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry"]),
        .testTarget(name: "SpoolTests", dependencies: ["Spool", "LookoutCore"]),
        .testTarget(name: "BrokerTests", dependencies: ["Broker"]),
        .testTarget(name: "ProjectionsTests", dependencies: ["Projections", "ZoomWebhooks"]),
        .testTarget(name: "BackfillTests",
                    dependencies: ["Backfill", "ZoomAPI", "ZohoAnalytics", "Projections", "OutboundHTTP", "LookoutCore"]),
        .testTarget(name: "NotifierTests", dependencies: ["Notifier", "LookoutCore"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "NotifyWorkerTests",
                    dependencies: ["NotifyWorker", "Notifier", "LookoutCore", "OutboundHTTP",
                                   .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle")]),
        .testTarget(name: "IntegrationTests",
                    dependencies: ["Receiver", "StoreWorker", "Projections", "ProjectionWorker", "Spool", "Broker", "EventStore", "ZoomWebhooks",
                                   "LookoutCore", "OutboundHTTP", "ZoomAPI", "Backfill", "ZohoAnalytics", "Notifier", "NotifyWorker",
                                   .product(name: "Hummingbird", package: "hummingbird"),
                                   .product(name: "HTTPTypes", package: "swift-http-types"),
                                   .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]),
    ]
)
