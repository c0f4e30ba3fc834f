import CCurl
import Foundation
import NIOPosix

private let curlInitialized: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

/// HTTP over libcurl. Each transfer blocks, so it runs on a thread of its own; its easy handle
/// comes from a `CurlHandlePool`, so connections to a server are reused from one request to the next.
public struct CurlTransport: HTTPTransport {
    private let handles: CurlHandlePool

    /// The process's shared connections.
    public init() { self.init(handles: .shared) }

    /// Transfers take their handles, and so their connections, from `handles`.
    public init(handles: CurlHandlePool) {
        _ = curlInitialized
        self.handles = handles
    }

    static let threadCount = 16

    /// Transfers wait on the network for up to their timeout: they get threads of their own, so
    /// they never hold up the disk and database work on NIO's small shared pool (seen as a
    /// starvation deadlock when a process both posts and serves HTTP).
    static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: threadCount)
        pool.start()
        return pool
    }()

    public func send(_ request: OutboundRequest) async throws(TransportError) -> OutboundResponse {
        let result: Result<OutboundResponse, TransportError>
        do {
            result = try await Self.threads.runIfActive { [handles] in
                guard let handle = handles.take() else { return .failure(TransportError(message: "curl_easy_init failed")) }
                defer { handles.giveBack(handle) }
                return Self.perform(request, on: handle)
            }
        } catch {
            throw TransportError(message: "blocking thread pool is not running")
        }
        return try result.get()
    }

    private final class Sink {
        var bytes: [UInt8] = []
        var headers: [(name: String, value: String)] = []

        /// One header line; a status line starts a new response (after a 100 Continue or a redirect).
        func headerLine(_ line: String) {
            if line.hasPrefix("HTTP/") {
                headers.removeAll()
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]).trimmingCharacters(in: .whitespaces),
                                String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespacesAndNewlines)))
            }
        }
    }

    /// `CURLOPT_TIMEOUT_MS` for a request's timeout: the whole duration in milliseconds, rounded
    /// up, so a transfer is never cut shorter than asked and a positive timeout never becomes 0,
    /// which curl reads as "no timeout" (whole seconds only made 100–999 ms wait forever). A
    /// timeout of zero or less gives 1 ms, the shortest curl knows (the caller asked for no wait,
    /// not for an unbounded one); a huge one is capped at what a C `long` holds.
    static func curlTimeoutMilliseconds(_ timeout: Duration) -> Int {
        let (seconds, attoseconds) = timeout.components
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else { return 1 }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        // `components` keeps attoseconds in 0..<10^18 with the sign of the duration; positive here.
        let fraction = (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow, whole <= Int64(Int.max) - fraction else { return Int.max }
        return Int(whole + fraction)
    }

    /// One transfer on `handle`, which comes reset (every option at curl's default) and is reset
    /// again after: nothing of this request (body pointer, headers, method) outlives it.
    private static func perform(_ request: OutboundRequest, on handle: UnsafeMutableRawPointer) -> Result<OutboundResponse, TransportError> {
        var headerList: UnsafeMutablePointer<curl_slist>?
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // curl adds "Expect: 100-continue" for larger bodies; servers here answer at once.
        headerList = curl_slist_append(headerList, "Expect:")
        defer { curl_slist_free_all(headerList) }

        let sink = Sink()
        let milliseconds = Self.curlTimeoutMilliseconds(request.timeout)
        _ = lookout_curl_set_string(handle, CURLOPT_URL, request.url)
        _ = lookout_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, request.method)
        _ = lookout_curl_set_slist(handle, CURLOPT_HTTPHEADER, headerList)
        _ = lookout_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
        _ = lookout_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        // A kept connection idle longer than this is not reused: servers close idle connections
        // (Lookout's own receiver after 10 s), and a request sent on one they are closing can wait
        // for its whole timeout (seen in the dashboard's browser test). Bursts — a storm of
        // Mattermost posts, a backfill's pages — still reuse their connections.
        _ = lookout_curl_set_long(handle, CURLOPT_MAXAGE_CONN, 5)
        _ = lookout_curl_set_write_function(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let data { sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length)) }
            return length
        }
        _ = lookout_curl_set_write_function(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let sink = Unmanaged<Sink>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            if let data { sink.headerLine(String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)) }
            return length
        }
        return withExtendedLifetime(sink) {
            _ = lookout_curl_set_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque())
            _ = lookout_curl_set_pointer(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(sink).toOpaque())
            let code: CURLcode = request.body.withUnsafeBytes { body in
                if request.method != "GET" {
                    _ = lookout_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, body.count)
                    _ = lookout_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: body.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
                }
                return curl_easy_perform(handle)
            }
            guard code == CURLE_OK else {
                return .failure(TransportError(message: "\(request.method) \(request.url): \(String(cString: curl_easy_strerror(code)))"))
            }
            var status = 0
            _ = lookout_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
            return .success(OutboundResponse(status: status, headers: sink.headers, body: sink.bytes))
        }
    }
}
