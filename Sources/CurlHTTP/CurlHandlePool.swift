import CCurl
import Synchronization

/// Idle curl easy handles, and with them their open connections. A transfer takes a handle, uses
/// it on its thread alone and gives it back reset (`curl_easy_reset` clears the options but keeps
/// the handle's live connections, DNS and TLS session caches), so the next request to the same
/// server reuses the TCP and TLS connection instead of paying both handshakes again.
///
/// A pool of handles rather than one `CURLSH` share: a shared connection cache needs lock
/// callbacks around every access from the 16 transfer threads; a handle owned by one transfer at
/// a time needs none. The most recently returned handle is taken first, so sequential requests
/// (the notifier's posts to one hook, the Zoom and Zoho clients) stay on one warm connection.
public final class CurlHandlePool: Sendable {
    /// Every `CurlTransport()` of the process: one set of connections per process.
    public static let shared = CurlHandlePool(keepIdle: CurlTransport.threadCount)

    /// A C handle crossing from the thread that returned it to the one that takes it next;
    /// only ever used by one of them at a time.
    private struct Handle: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    private let idle = Mutex<[Handle]>([])
    /// Handles (and their connections) kept between transfers; 0 closes every connection after
    /// its transfer, as curl did here before the pool.
    public let keepIdle: Int

    public init(keepIdle: Int) {
        self.keepIdle = max(0, keepIdle)
    }

    deinit {
        for handle in idle.withLock({ $0 }) { curl_easy_cleanup(handle.pointer) }
    }

    /// An idle handle (its connections still open) or a new one; nil if curl cannot make one.
    func take() -> UnsafeMutableRawPointer? {
        if let handle = idle.withLock({ $0.popLast() }) { return handle.pointer }
        return curl_easy_init()
    }

    /// Back for the next transfer, options reset, connections kept; closed when enough are idle.
    func giveBack(_ pointer: UnsafeMutableRawPointer) {
        curl_easy_reset(pointer)
        let kept = idle.withLock { handles in
            guard handles.count < keepIdle else { return false }
            handles.append(Handle(pointer: pointer))
            return true
        }
        if !kept { curl_easy_cleanup(pointer) }
    }

    /// Handles waiting for a transfer (tests and the benchmark).
    public var idleCount: Int { idle.withLock { $0.count } }
}
