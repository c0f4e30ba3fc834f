import LookoutCore

/// What the receiver needs to know; read from `LOOKOUT_*` keys by `ReceiverSettings(configuration:)`.
public struct ReceiverSettings: Sendable {
    typealias Key = ConfigurationKeys.Receive

    public var host = Key.host.defaultValue
    public var port = Key.port.defaultValue
    public var webhookPath = Key.webhookPath.defaultValue
    public var maxBodyBytes = Key.maxBodyBytes.defaultValue
    public var secretTokens: [String]
    public var timestampTolerance: Duration = .seconds(300)
    /// How long after its signing time a validly signed delivery is still accepted, for Zoom's
    /// retries (+5, +20, +60 min: the last about 85 min after the first attempt) in case they keep
    /// the first attempt's timestamp, which Zoom does not document. 2 h leaves 35 min of margin.
    /// Not longer than `timestampTolerance` (e.g. zero) is strict: the window alone.
    public var retryHorizon: Duration = .seconds(Key.retryHorizonSeconds.defaultValue)
    /// Most message ids remembered so that a late delivery of a body already accepted is not
    /// published again (each id is also forgotten `retryHorizon` after it was accepted). 32 bytes
    /// a key in a hash set plus 40 in a queue, both grown by doubling: 6.5 MiB when full.
    /// Forgetting is safe: the store and the notifier dedup too.
    public var recentlyAcceptedCapacity = 50_000
    /// Longest time to receive a whole body: a client trickling bytes cannot hold a request open.
    public var bodyTimeout = Key.bodyTimeout.defaultValue
    /// A connection from which nothing was read for this long is closed: an idle keep-alive
    /// connection, headers that never end, and a request whose body was refused part way (the
    /// server answered and stopped reading; without this the connection and what it buffered
    /// stayed forever).
    public var idleTimeout = Key.idleTimeout.defaultValue
    /// Where events the broker did not confirm are kept until it does; nil disables the spool.
    public var spoolDirectory: String? = Key.spoolDirectory.defaultValue
    public var spoolMaxBytes = Key.spoolMaxBytes.defaultValue

    public init(secretTokens: [String]) {
        self.secretTokens = secretTokens
    }

    public init(configuration: Configuration) throws(ConfigurationError) {
        // The other keys first, so `lookout config check` shows them even when the token is missing.
        secretTokens = []
        host = try configuration.value(Key.host)
        port = try configuration.value(Key.port)
        webhookPath = try configuration.value(Key.webhookPath)
        guard webhookPath.hasPrefix("/") else {
            throw ConfigurationError(key: Key.webhookPath.name, problem: "must start with /, got \"\(webhookPath)\"")
        }
        maxBodyBytes = try configuration.value(Key.maxBodyBytes)
        bodyTimeout = try configuration.value(Key.bodyTimeout)
        idleTimeout = try configuration.value(Key.idleTimeout)
        spoolMaxBytes = try configuration.value(Key.spoolMaxBytes)
        spoolDirectory = spoolMaxBytes == 0 ? nil : try configuration.value(Key.spoolDirectory)
        let window = Int(timestampTolerance.components.seconds)
        let horizon = try configuration.value(Key.retryHorizonSeconds)
        guard horizon == 0 || horizon >= window else {
            throw ConfigurationError(key: Key.retryHorizonSeconds.name,
                                     problem: "0 (strict: the \(window) s window only) or at least \(window), got \(horizon)")
        }
        retryHorizon = .seconds(horizon)
        secretTokens = try configuration.value(Key.secretToken)
        guard !secretTokens.isEmpty else {
            throw ConfigurationError(key: Key.secretToken.name,
                                     problem: "required: the Secret Token of your Zoom app (or \(Key.secretToken.name)_FILE)")
        }
    }
}
