/// Percent-encoding for query strings and `application/x-www-form-urlencoded` bodies: everything
/// but RFC 3986's unreserved characters is escaped, so values never change a URL's structure.
public enum FormEncoding {
    public static func component(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }

    /// `a=1&b=2`, in the order given.
    public static func encode(_ fields: [(name: String, value: String)]) -> String {
        fields.map { component($0.name) + "=" + component($0.value) }.joined(separator: "&")
    }
}

/// A `multipart/form-data` body (RFC 7578) of file parts, as upload APIs such as Zoho's take.
public struct MultipartForm: Sendable {
    public struct File: Sendable {
        public var field: String
        public var fileName: String
        public var contentType: String
        public var contents: [UInt8]

        public init(field: String, fileName: String, contentType: String, contents: [UInt8]) {
            self.field = field
            self.fileName = fileName
            self.contentType = contentType
            self.contents = contents
        }
    }

    public let boundary: String
    public var files: [File]

    public init(files: [File], boundary: String = "lookout-" + String(UInt64.random(in: .min ... .max), radix: 16)) {
        self.files = files
        self.boundary = boundary
    }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    public var body: [UInt8] {
        var body: [UInt8] = []
        for file in files {
            body += Array("--\(boundary)\r\n".utf8)
            body += Array("Content-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.fileName)\"\r\n".utf8)
            body += Array("Content-Type: \(file.contentType)\r\n\r\n".utf8)
            body += file.contents
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return body
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
