import Foundation
import Testing

/// Where the real services for integration tests are: `ops/test` starts a RabbitMQ node and
/// exports these; each test starts its own MongoDB-wire server with `LOOKOUT_TEST_SECANTUSD`.
enum TestEnvironment {
    static let variables = ProcessInfo.processInfo.environment
    static let amqpURL = variables["LOOKOUT_TEST_AMQP_URL"]
    static let secantusd = variables["LOOKOUT_TEST_SECANTUSD"]
    static var available: Bool { amqpURL != nil && secantusd != nil }
    static var isCI: Bool { variables["CI"] == "true" }
}

@Suite struct IntegrationEnvironmentTests {
    /// Locally, `swift test` alone skips the integration suites; in CI that would hide them.
    @Test func servicesAreConfiguredInCI() {
        if TestEnvironment.isCI {
            #expect(TestEnvironment.available, "run the tests with ops/test: LOOKOUT_TEST_AMQP_URL and LOOKOUT_TEST_SECANTUSD are missing")
            #expect(Chromium.executable != nil, "the browser test needs chromium: run ops/install")
        }
    }
}

/// A loopback TCP port nobody listens on right now.
func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            _ = bind(fd, $0, length)
            _ = getsockname(fd, $0, &length)
        }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}
