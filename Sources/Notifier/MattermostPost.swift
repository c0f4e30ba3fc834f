/// The JSON body of a Mattermost incoming-webhook post, with message attachments
/// (shared/REFERENCE.md). Absent optionals are left out of the JSON; `ts` does not exist on
/// purpose: Mattermost does not support it.
public struct MattermostPost: Codable, Sendable, Equatable {
    public var text: String?
    public var channel: String?
    public var username: String?
    public var iconURL: String?
    public var iconEmoji: String?
    public var attachments: [MessageAttachment]

    public init(text: String? = nil, channel: String? = nil, username: String? = nil, iconURL: String? = nil,
                iconEmoji: String? = nil, attachments: [MessageAttachment]) {
        self.text = text
        self.channel = channel
        self.username = username
        self.iconURL = iconURL
        self.iconEmoji = iconEmoji
        self.attachments = attachments
    }

    enum CodingKeys: String, CodingKey {
        case text, channel, username, attachments
        case iconURL = "icon_url", iconEmoji = "icon_emoji"
    }
}

public struct MessageAttachment: Codable, Sendable, Equatable {
    /// Plain text for clients that cannot show attachments (and for notifications). Required.
    public var fallback: String
    /// Hex colour of the left border, `#RRGGBB`.
    public var color: String?
    public var pretext: String?
    /// Markdown.
    public var text: String?
    public var authorName: String?
    public var authorLink: String?
    public var authorIcon: String?
    public var title: String?
    public var titleLink: String?
    public var fields: [Field]?
    public var imageURL: String?
    public var thumbURL: String?
    /// At most 300 characters.
    public var footer: String?
    public var footerIcon: String?

    public struct Field: Codable, Sendable, Equatable {
        public var title: String
        /// Markdown.
        public var value: String
        /// Whether it may share a row with the next short field.
        public var short: Bool

        public init(title: String, value: String, short: Bool) {
            self.title = title
            self.value = value
            self.short = short
        }
    }

    public init(fallback: String, color: String? = nil, pretext: String? = nil, text: String? = nil,
                authorName: String? = nil, authorLink: String? = nil, authorIcon: String? = nil,
                title: String? = nil, titleLink: String? = nil, fields: [Field]? = nil,
                imageURL: String? = nil, thumbURL: String? = nil, footer: String? = nil, footerIcon: String? = nil) {
        self.fallback = fallback
        self.color = color
        self.pretext = pretext
        self.text = text
        self.authorName = authorName
        self.authorLink = authorLink
        self.authorIcon = authorIcon
        self.title = title
        self.titleLink = titleLink
        self.fields = fields
        self.imageURL = imageURL
        self.thumbURL = thumbURL
        self.footer = footer
        self.footerIcon = footerIcon
    }

    enum CodingKeys: String, CodingKey {
        case fallback, color, pretext, text, title, fields, footer
        case authorName = "author_name", authorLink = "author_link", authorIcon = "author_icon"
        case titleLink = "title_link", imageURL = "image_url", thumbURL = "thumb_url", footerIcon = "footer_icon"
    }

    public static let footerLimit = 300
}
