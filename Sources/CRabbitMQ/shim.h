#ifndef LOOKOUT_CRABBITMQ_SHIM_H
#define LOOKOUT_CRABBITMQ_SHIM_H
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_framing.h>
#include <poll.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

// Swift cannot call variadic C functions, nor import macros with casts: typed wrappers instead.
static inline amqp_rpc_reply_t lookout_amqp_login_plain(amqp_connection_state_t state, const char *vhost,
                                                       int channel_max, int frame_max, int heartbeat,
                                                       const char *user, const char *password) {
    return amqp_login(state, vhost, channel_max, frame_max, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}

static const amqp_method_number_t LOOKOUT_AMQP_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const amqp_method_number_t LOOKOUT_AMQP_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const amqp_method_number_t LOOKOUT_AMQP_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const amqp_method_number_t LOOKOUT_AMQP_BASIC_GET_OK = AMQP_BASIC_GET_OK_METHOD;
static const amqp_method_number_t LOOKOUT_AMQP_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const amqp_method_number_t LOOKOUT_AMQP_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const amqp_flags_t LOOKOUT_AMQP_BASIC_CONTENT_TYPE_FLAG = AMQP_BASIC_CONTENT_TYPE_FLAG;
static const amqp_flags_t LOOKOUT_AMQP_BASIC_HEADERS_FLAG = AMQP_BASIC_HEADERS_FLAG;
static const amqp_flags_t LOOKOUT_AMQP_BASIC_DELIVERY_MODE_FLAG = AMQP_BASIC_DELIVERY_MODE_FLAG;
static const amqp_flags_t LOOKOUT_AMQP_BASIC_MESSAGE_ID_FLAG = AMQP_BASIC_MESSAGE_ID_FLAG;
static const amqp_flags_t LOOKOUT_AMQP_BASIC_TIMESTAMP_FLAG = AMQP_BASIC_TIMESTAMP_FLAG;
static const amqp_flags_t LOOKOUT_AMQP_BASIC_EXPIRATION_FLAG = AMQP_BASIC_EXPIRATION_FLAG;

/* Names the calling thread (15 bytes at most, truncated by the kernel) for per-thread CPU in /proc. */
static inline void lookout_name_thread(const char *name) { prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0); }

static inline int lookout_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
static inline void lookout_eventfd_signal(int fd) { uint64_t one = 1; (void)!write(fd, &one, sizeof one); }
static inline void lookout_eventfd_drain(int fd) { uint64_t value; (void)!read(fd, &value, sizeof value); }

/// TCP_CORK on (1) or off (0): while on, writes are held and sent as full segments; off sends the rest.
static inline void lookout_tcp_cork(int fd, int on) { (void)setsockopt(fd, IPPROTO_TCP, TCP_CORK, &on, sizeof on); }

/// Waits until the socket or the wake-up descriptor is readable, or the timeout passes.
/// Returns a bit set: 1 = socket readable, 2 = woken up.
static inline int lookout_wait_readable(int socket_fd, int wake_fd, int timeout_ms) {
    struct pollfd fds[2] = {{socket_fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    int n = poll(fds, 2, timeout_ms);
    if (n <= 0) return 0;
    return ((fds[0].revents & (POLLIN | POLLERR | POLLHUP)) ? 1 : 0) | ((fds[1].revents & POLLIN) ? 2 : 0);
}
#endif
