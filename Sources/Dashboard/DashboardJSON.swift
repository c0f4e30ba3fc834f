import Foundation
import Hummingbird
import NIOCore

/// The dashboard's JSON, like `lookout.json`: snake_case keys, ISO 8601 dates, sorted keys. The
/// response encoder of `DashboardRequestContext`, so a handler returns a `Codable` value (or throws
/// a `DashboardError`) and never builds a JSON response itself.
public struct DashboardJSON: ResponseEncoder {
    public init() {}

    static func data(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Response.rendered(ByteBuffer(bytes: try Self.data(value)), type: "application/json")
    }
}

/// Hummingbird's basic context with the dashboard's JSON.
public struct DashboardRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var responseEncoder: DashboardJSON { DashboardJSON() }
}
