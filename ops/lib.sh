# Sourced helpers shared by the ops/ scripts. Not executable on its own.
# shellcheck shell=bash

# Resolve the repo from this file, not from $PWD, so scripts work from any directory.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# All local state (venv, service data, logs) lives here; it is git-ignored.
# shellcheck disable=SC2034 # used by the scripts that source this file
STATE="$REPO/.lookout"

say() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Print N (default 1) distinct loopback TCP ports that are free right now. The kernel picks them
# (bind to port 0, all held open together so none repeats): no guessing, no clash with services
# already on the machine.
free_port() {
    python3 - "${1:-1}" <<'PY'
import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in held))
PY
}

# Succeed if a server could listen on 127.0.0.1:$1. Binding (with SO_REUSEADDR, as servers do)
# also sees listeners on 0.0.0.0 that a connect test would miss.
port_free() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PY
}

# Succeed if something accepts TCP connections on 127.0.0.1:$1.
port_open() {
    python3 - "$1" <<'PY'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
except OSError:
    sys.exit(1)
PY
}

# wait_until "description" TIMEOUT_SECONDS cmd args...
# Retries cmd (stdout silenced) every half second; dies with the description once the timeout
# is spent. cmd may itself die to give up early.
wait_until() {
    local what=$1 timeout=$2
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null; do
        ((SECONDS < deadline)) || die "timed out after ${timeout}s waiting for $what"
        sleep 0.5
    done
}

# Succeed if process $1 exists. A zombie counts as gone: where nothing reaps orphans (containers),
# exited daemons linger as zombies.
pid_alive() {
    [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null && [[ $(ps -o stat= -p "$1" 2>/dev/null) != Z* ]]
}

# Wait up to $2 seconds for process $1 to be gone; fail if it is still there.
wait_gone() {
    local deadline=$((SECONDS + $2))
    while pid_alive "$1"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}
