import Foundation
import NIOCore
import Synchronization

/// The message ids (hex SHA-256 of the body, `IdempotencyKey`) this receiver accepted recently, so
/// that a *late* delivery (signed longer ago than the timestamp window, within the retry horizon)
/// of a body it already accepted is answered without publishing it again.
///
/// Bounded two ways: an id is forgotten `lifetime` after it was accepted (the retry horizon: past
/// it no delivery signed before the acceptance can pass the timestamp check anyway), and at most
/// `capacity` ids are kept, the oldest forgotten first. Forgetting is always safe: a forgotten id
/// is published again, and the store (unique `_id`) and the notifier (its own memory) drop it.
/// The only wrong answer would be "duplicate" for a body not accepted, which cannot happen: an id
/// is remembered only after the broker confirmed it or the spool holds it, and ids are compared
/// on all 256 bits.
package final class RecentlyAccepted: Sendable {
    private let ids: Mutex<AcceptedIDs>

    package init(capacity: Int, lifetime: Duration) {
        ids = Mutex(AcceptedIDs(capacity: capacity, lifetimeSeconds: lifetime.components.seconds))
    }

    /// Whether `messageID` was accepted within the lifetime (false for anything not a message id).
    package func contains(_ messageID: String, now: Date) -> Bool {
        guard let key = AcceptedIDs.Key(hex: messageID) else { return false }
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        return ids.withLock { $0.contains(key, now: seconds) }
    }

    /// Notes that `messageID` was accepted at `now`.
    package func insert(_ messageID: String, now: Date) {
        guard let key = AcceptedIDs.Key(hex: messageID) else { return }
        let seconds = Int64(now.timeIntervalSince1970.rounded(.down))
        ids.withLock { $0.insert(key, now: seconds) }
    }

    package var count: Int { ids.withLock { $0.count } }
}

/// The bookkeeping of `RecentlyAccepted`: a set for lookups and a queue in acceptance order for
/// forgetting, the oldest first. Pure; time is Unix seconds passed in.
struct AcceptedIDs {
    /// A SHA-256 as four words: 32 bytes a key, where the hex text would take a heap string each.
    struct Key: Hashable {
        let words: (UInt64, UInt64, UInt64, UInt64)

        /// From 64 hex digits (either case); nil for anything else.
        init?(hex: String) {
            let utf8 = hex.utf8
            guard utf8.count == 64 else { return nil }
            let words = utf8.withContiguousStorageIfAvailable(Self.words) ?? Array(utf8).withUnsafeBufferPointer(Self.words)
            guard let words else { return nil }
            self.words = words
        }

        private static func words(_ digits: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64, UInt64, UInt64)? {
            func word(_ start: Int) -> UInt64? {
                var word: UInt64 = 0
                for index in start..<start + 16 {
                    let c = digits[index]
                    let value: UInt8
                    if c &- UInt8(ascii: "0") < 10 {
                        value = c &- UInt8(ascii: "0")
                    } else if (c | 0x20) &- UInt8(ascii: "a") < 6 {
                        value = (c | 0x20) &- UInt8(ascii: "a") + 10
                    } else {
                        return nil
                    }
                    word = word << 4 | UInt64(value)
                }
                return word
            }
            guard digits.count == 64, let a = word(0), let b = word(16), let c = word(32), let d = word(48) else { return nil }
            return (a, b, c, d)
        }

        static func == (a: Key, b: Key) -> Bool {
            a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
        }

        /// One word of a SHA-256 is as evenly spread as all four; equality still compares all.
        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
        }
    }

    private struct Entry {
        let key: Key
        let expiry: Int64
    }

    let capacity: Int
    let lifetimeSeconds: Int64
    private var members: Set<Key> = []
    /// Acceptance order; an id is in it once, as in `members`.
    private var queue = CircularBuffer<Entry>(initialCapacity: 16)

    init(capacity: Int, lifetimeSeconds: Int64) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
        self.lifetimeSeconds = lifetimeSeconds
    }

    var count: Int { members.count }

    mutating func contains(_ key: Key, now: Int64) -> Bool {
        forgetExpired(now: now)
        return members.contains(key)
    }

    /// Remembers `key` until `now + lifetime`; one already remembered keeps its first expiry.
    mutating func insert(_ key: Key, now: Int64) {
        forgetExpired(now: now)
        guard members.insert(key).inserted else { return }
        if queue.count >= capacity, let oldest = queue.popFirst() { members.remove(oldest.key) }
        queue.append(Entry(key: key, expiry: now + lifetimeSeconds))
    }

    /// Expiries follow acceptance order (a wall clock set back only keeps ids longer, within the cap).
    private mutating func forgetExpired(now: Int64) {
        while let oldest = queue.first, oldest.expiry <= now {
            queue.removeFirst()
            members.remove(oldest.key)
        }
    }
}
