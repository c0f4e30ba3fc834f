import LookoutCore

/// What the receiver needs to know; read from `LOOKOUT_*` keys by `ReceiverSettings(configuration:)`.
public struct ReceiverSettings: Sendable {
    public var host = "0.0.0.0"
    public var port = 8080
    public var webhookPath = "/zoom/webhook"
    public var maxBodyBytes = 1 << 20
    public var secretTokens: [String]
    public var timestampTolerance: Duration = .seconds(300)
    /// How long after its signing time a validly signed delivery is still accepted, for Zoom's
    /// retries (+5, +20, +60 min: the last about 85 min after the first attempt) in case they keep
    /// the first attempt's timestamp, which Zoom does not document. 2 h leaves 35 min of margin.
    /// Not longer than `timestampTolerance` (e.g. zero) is strict: the window alone.
    public var retryHorizon: Duration = .seconds(7200)
    /// Most message ids remembered so that a late delivery of a body already accepted is not
    /// published again (each id is also forgotten `retryHorizon` after it was accepted). 32 bytes
    /// a key in a hash set plus 40 in a queue, both grown by doubling: 6.5 MiB when full.
    /// Forgetting is safe: the store and the notifier dedup too.
    public var recentlyAcceptedCapacity = 50_000
    /// Longest time to receive a whole body: a client trickling bytes cannot hold a request open.
    public var bodyTimeout: Duration = .seconds(10)
    /// A connection from which nothing was read for this long is closed: an idle keep-alive
    /// connection, headers that never end, and a request whose body was refused part way (the
    /// server answered and stopped reading; without this the connection and what it buffered
    /// stayed forever).
    public var idleTimeout: Duration = .seconds(10)
    /// Where events the broker did not confirm are kept until it does; nil disables the spool.
    public var spoolDirectory: String? = "spool"
    public var spoolMaxBytes = 256 << 20

    public init(secretTokens: [String]) {
        self.secretTokens = secretTokens
    }

    public init(configuration: Configuration) throws(ConfigurationError) {
        // The other keys first, so `lookout config check` shows them even when the token is missing.
        secretTokens = []
        host = configuration.string("LOOKOUT_HTTP_HOST", default: host)
        port = try configuration.int("LOOKOUT_HTTP_PORT", default: port, range: 0...65535)
        webhookPath = configuration.string("LOOKOUT_WEBHOOK_PATH", default: webhookPath)
        guard webhookPath.hasPrefix("/") else {
            throw ConfigurationError(key: "LOOKOUT_WEBHOOK_PATH", problem: "must start with /, got \"\(webhookPath)\"")
        }
        maxBodyBytes = try configuration.int("LOOKOUT_MAX_BODY_BYTES", default: maxBodyBytes, range: 1024...(64 << 20))
        bodyTimeout = try configuration.milliseconds("LOOKOUT_BODY_TIMEOUT_MS", default: 10_000, range: 100...120_000)
        idleTimeout = try configuration.milliseconds("LOOKOUT_IDLE_TIMEOUT_MS", default: 10_000, range: 100...600_000)
        spoolMaxBytes = try configuration.int("LOOKOUT_SPOOL_MAX_BYTES", default: spoolMaxBytes, range: 0...(1 << 40))
        spoolDirectory = spoolMaxBytes == 0 ? nil : configuration.string("LOOKOUT_SPOOL_DIR", default: "spool")
        let window = Int(timestampTolerance.components.seconds)
        let horizon = try configuration.int("LOOKOUT_RETRY_HORIZON_SECONDS", default: 7200, range: 0...86_400)
        guard horizon == 0 || horizon >= window else {
            throw ConfigurationError(key: "LOOKOUT_RETRY_HORIZON_SECONDS",
                                     problem: "0 (strict: the \(window) s window only) or at least \(window), got \(horizon)")
        }
        retryHorizon = .seconds(horizon)
        secretTokens = try configuration.secrets("LOOKOUT_ZOOM_SECRET_TOKEN")
        guard !secretTokens.isEmpty else {
            throw ConfigurationError(key: "LOOKOUT_ZOOM_SECRET_TOKEN",
                                     problem: "required: the Secret Token of your Zoom app (or LOOKOUT_ZOOM_SECRET_TOKEN_FILE)")
        }
    }
}
