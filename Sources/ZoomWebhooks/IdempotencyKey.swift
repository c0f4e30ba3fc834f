import Crypto
import Foundation
import ZoomModel

/// Zoom re-sends the same body on a retry, so the hash of the raw body identifies a delivery.
public enum IdempotencyKey {
    public static func of(_ body: some DataProtocol) -> String {
        Hex.encode(SHA256.hash(data: body))
    }
}
