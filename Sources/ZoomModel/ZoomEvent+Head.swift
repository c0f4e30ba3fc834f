extension ZoomEvent {
    /// The three fields the receiver routes by, read without building the rest (the webhook hot
    /// path: half the time of a full decode). A field of another type or shape reads as absent;
    /// anything but an object at the top fails to decode.
    public struct Head: Decodable, Sendable, Equatable {
        public let name: String?
        public let eventTS: Int64?
        public let plainToken: String?

        public init(from decoder: any Decoder) throws {
            let object = try decoder.container(keyedBy: Field.self)
            name = try? object.decodeIfPresent(String.self, forKey: Field("event"))
            eventTS = (try? object.decodeIfPresent(Double.self, forKey: Field("event_ts"))).flatMap { Int64(exactly: $0) }
            plainToken = (try? object.nestedContainer(keyedBy: Field.self, forKey: Field("payload")))?.lenientString("plainToken")
        }
    }
}
