import Foundation

/// What an answer of the import API means for the upload: the one table of Zoho's codes.
/// Errors come as `{"status":"failure","summary":...,"data":{"errorCode":7092,"errorMessage":...}}`.
enum ZohoAnswer: Equatable {
    case accepted
    /// The token is expired or revoked: renew it once, then give up.
    case tokenRefused(String)
    /// Worth another attempt after a pause.
    case retryLater(String)
    case refused(status: Int, code: Int?, message: String)

    /// Table locked by another import: the lock goes when that import ends.
    static let tableLocked = 7092
    /// More than 40 bulk (100 overall) requests in a minute.
    static let tooFrequent = 6045
    /// Invalid authentication, invalid OAuth token.
    static let tokenCodes: Set<Int> = [8518, 8535]

    private struct Body: Decodable {
        struct Detail: Decodable {
            let errorCode: Int?
            let errorMessage: String?
        }
        let status: String?
        let summary: String?
        let data: Detail?
    }

    init(status: Int, body: [UInt8]) {
        let parsed = try? JSONDecoder().decode(Body.self, from: Data(body))
        if status == 200, parsed?.status == "success" {
            self = .accepted
            return
        }
        let code = parsed?.data?.errorCode
        let message = parsed?.data?.errorMessage ?? parsed?.summary ?? String(decoding: body.prefix(300), as: UTF8.self)
        let described = "\(status)\(code.map { ", code \($0)" } ?? ""): \(message)"
        switch code {
        case Self.tableLocked?, Self.tooFrequent?: self = .retryLater(described)
        case let code? where Self.tokenCodes.contains(code): self = .tokenRefused(described)
        default:
            if status == 401 { self = .tokenRefused(described) }
            else if status == 429 || status >= 500 { self = .retryLater(described) }
            else { self = .refused(status: status, code: code, message: message) }
        }
    }
}
