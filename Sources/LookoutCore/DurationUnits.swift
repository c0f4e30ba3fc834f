/// A `Duration` in the units other APIs count in: the one place these conversions are written.
/// (`Projections` keeps its own `wholeMilliseconds`: it depends on no Lookout module.)
extension Duration {
    /// Whole milliseconds, as RabbitMQ's TTLs and Lookout's `*_MS` keys count.
    public var wholeMilliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }

    /// Whole nanoseconds, as `Metrics.Timer` and `DispatchTime` count.
    public var wholeNanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }

    /// Seconds with their fraction, as `Date` and `TimeInterval` count.
    public var timeInterval: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
