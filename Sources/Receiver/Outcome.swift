/// The short JSON body of every answer that is not a URL validation (written by `OutcomeJSON`).
package struct Outcome: Codable, Equatable {
    var status: String
    var reason: String?
    var code: String?
    var messageID: String?
    var spooled: Bool?
    var spoolDepth: Int?

    package init(status: String, reason: String? = nil, code: String? = nil, messageID: String? = nil,
                 spooled: Bool? = nil, spoolDepth: Int? = nil) {
        self.status = status
        self.reason = reason
        self.code = code
        self.messageID = messageID
        self.spooled = spooled
        self.spoolDepth = spoolDepth
    }

    enum CodingKeys: String, CodingKey {
        case status, reason, code, spooled
        case messageID = "message_id"
        case spoolDepth = "spool_depth"
    }
}
