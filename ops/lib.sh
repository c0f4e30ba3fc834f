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
    python3 -c 'import socket, sys
held = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in held: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in held))' "${1:-1}"
}

# Succeed if a server could listen on 127.0.0.1:$1. Binding (with SO_REUSEADDR, as servers do)
# also sees listeners on 0.0.0.0 that a connect test would miss.
port_free() {
    python3 -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))' "$1" 2>/dev/null
}

# Succeed if something accepts TCP connections on 127.0.0.1:$1.
port_open() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

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

# ---- Options ------------------------------------------------------------------------------------
# Each script defines usage() (what --help prints, on stdout) and calls these from its option loop:
#   -h | --help) usage; exit 0 ;;      *) bad_usage "unknown option '$1'" ;;
# bad_usage MESSAGE: the message, a pointer to --help, exit status 2.
bad_usage() {
    say "$*"
    echo "try: ${0##*/} --help" >&2
    exit 2
}
# need_value OPTION VALUE: VALUE must be there (an option given last without one is bad usage).
need_value() { [[ -n ${2:-} ]] || bad_usage "$1 needs a value"; }

# ---- Processes ----------------------------------------------------------------------------------
# One way to run the processes a script starts. A process NAME has its pid in $RUN/NAME.pid (its
# start time beside it in NAME.started: a pid reused by another process is never taken for ours)
# and its log in $LOGS/NAME.log (appended to). The script sets RUN and LOGS first and usually ends with
#   trap stop_all EXIT
# so whatever happens, nothing it started outlives it.

# The start time (clock ticks since boot, /proc/PID/stat field 22) of process $1.
start_time_of() { awk '{ sub(/^.*\) /, ""); print $20 }' "/proc/$1/stat" 2>/dev/null; }

# spawn_to PIDFILE LOG CMD [ARGS...]: CMD in its own session (setsid: a process group to signal
# whole, out of reach of the terminal's Ctrl-C, so the script stops things in order), stdin from
# /dev/null, output appended to LOG, its pid recorded in PIDFILE. No job notice when it is killed.
# Variables for CMD alone: spawn_to PIDFILE LOG env VAR=value CMD ...
spawn_to() {
    local pidfile=$1 log=$2 pid
    shift 2
    mkdir -p "$(dirname "$pidfile")" "$(dirname "$log")"
    setsid "$@" >>"$log" 2>&1 </dev/null 9>&- &
    pid=$!
    echo "$pid" >"$pidfile"
    start_time_of "$pid" >"${pidfile%.pid}.started"
    disown "$pid" 2>/dev/null || true
}

# pid_in PIDFILE [PATTERN]: print the pid recorded in PIDFILE if that very process still runs (and,
# with PATTERN, its command line contains PATTERN); fail otherwise.
pid_in() {
    local pid started=""
    pid=$(cat "$1" 2>/dev/null) || return 1
    pid_alive "$pid" || return 1
    [[ ! -s ${1%.pid}.started ]] || started=$(cat "${1%.pid}.started")
    [[ -z $started || $(start_time_of "$pid") == "$started" ]] || return 1
    [[ -z ${2:-} ]] || tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2" || return 1
    echo "$pid"
}

# end_group NAME PGID GRACE: TERM to the process group, KILL after GRACE seconds; dies if it
# survives that.
end_group() {
    kill -TERM -- "-$2" 2>/dev/null || true
    wait_gone "$2" "$3" && return 0
    say "$1 did not stop in ${3}s; killing it"
    kill -KILL -- "-$2" 2>/dev/null || true
    wait_gone "$2" 10 || die "$1 (pid $2) survives SIGKILL"
}

# start_process NAME CMD [ARGS...]: spawn_to $RUN/NAME.pid $LOGS/NAME.log CMD ARGS...
start_process() {
    local name=$1
    shift
    spawn_to "$RUN/$name.pid" "$LOGS/$name.log" "$@"
}

# process_pid NAME: its pid while it runs.
process_pid() { pid_in "$RUN/$1.pid"; }

# wait_ready NAME DESCRIPTION TIMEOUT CMD [ARGS...]: wait_until CMD succeeds, but give up at once,
# with the tail of its log, if process NAME has died meanwhile.
wait_ready() {
    local name=$1 what=$2 timeout=$3
    shift 3
    # shellcheck disable=SC2317 # called through wait_until
    _ready() { process_pid "$name" >/dev/null || { tail -n 20 "$LOGS/$name.log" >&2; die "$name exited while starting (log: $LOGS/$name.log)"; }; "$@"; }
    wait_until "$what" "$timeout" _ready "$@"
}

# kill_process NAME: SIGKILL to its process group now (the chaos test's point); no wait.
kill_process() {
    local pid
    if pid=$(process_pid "$1"); then kill -KILL -- "-$pid" 2>/dev/null || true; fi
    rm -f "$RUN/$1.pid" "$RUN/$1.started"
}

# stop_process NAME [GRACE]: TERM, KILL after GRACE (default STOP_GRACE, 20) seconds; waits until
# it is gone. A process already gone is fine.
stop_process() {
    local pid
    if pid=$(process_pid "$1"); then end_group "$1" "$pid" "${2:-${STOP_GRACE:-20}}"; fi
    rm -f "$RUN/$1.pid" "$RUN/$1.started"
}

# stop_all: stop every process with a pid file in $RUN: TERM to all at once (each drains its
# in-flight work meanwhile), then wait for each as stop_process does (STOP_GRACE=S stop_all: S s).
stop_all() {
    local file name pid pids=()
    [[ -n ${RUN:-} && -d $RUN ]] || return 0
    for file in "$RUN"/*.pid; do
        [[ -e $file ]] || continue
        name=$(basename "$file" .pid)
        if pid=$(process_pid "$name"); then kill -TERM -- "-$pid" 2>/dev/null || true; pids+=("$name"); else rm -f "$file" "$RUN/$name.started"; fi
    done
    for name in "${pids[@]}"; do stop_process "$name"; done
}

# ---- RabbitMQ nodes and their epmd (ops/services: one node; ops/cluster: three) -----------------
# shellcheck disable=SC2034 # used by ops/services and ops/cluster
RABBIT_BIN=/usr/lib/rabbitmq/bin # unwrapped: the /usr/sbin wrappers switch user and cookie

# rabbit_node_env NODE CONF DATA LOGS DIST_PORT EPMD_PORT HOME: the environment of every RabbitMQ
# command of one node. Inherited RABBITMQ_* variables are dropped and every file the node would
# read from /etc is pointed into CONF; distribution (clustering and our CLI) on loopback only, on
# the instance's own epmd (the system one, 4369, is never started, used or killed by us); HOME
# holds the Erlang cookie.
rabbit_node_env() {
    local v
    for v in $(compgen -e | grep '^RABBITMQ_' || true); do unset "$v"; done
    export RABBITMQ_NODENAME=$1 RABBITMQ_CONF_ENV_FILE="$2/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$2/rabbitmq.conf"
    export RABBITMQ_CONFIG_FILES="$2/conf.d" RABBITMQ_ADVANCED_CONFIG_FILE="$2/advanced.config"
    export RABBITMQ_ENABLED_PLUGINS_FILE="$2/enabled_plugins" RABBITMQ_MNESIA_BASE=$3 RABBITMQ_LOG_BASE=$4
    export RABBITMQ_DIST_PORT=$5 ERL_EPMD_PORT=$6 HOME=$7
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
    export ERL_CRASH_DUMP="$4/erl_crash.dump" # else it lands in the caller's cwd
}

# The instance's epmd on port $2, pid in file $1: its argv names the port, which is how stop and
# status recognise it.
epmd_pid() { pid_in "$1" "epmd -address 127.0.0.1 -port $2 "; }
start_epmd() {
    epmd_pid "$1" "$2" >/dev/null && return 0
    local epmd_args=(-address 127.0.0.1 -port "$2" -daemon)
    (cd / && epmd "${epmd_args[@]}" </dev/null >/dev/null 2>&1)
    wait_until "epmd on port $2" 10 pgrep -xf "epmd ${epmd_args[*]}"
    pgrep -xf "epmd ${epmd_args[*]}" | head -n1 >"$1"
}
# Only once no node is registered: epmd refuses -kill before.
stop_epmd() {
    local pid
    pid=$(epmd_pid "$1" "$2") || { rm -f "$1"; return 0; }
    epmd -port "$2" -kill >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    wait_gone "$pid" 10 || die "epmd (pid $pid) does not exit"
    rm -f "$1"
}

# ---- Readiness probes (for wait_until / wait_ready) ----------------------------------------------
# http_ok URL: the URL answers 2xx.
http_ok() { curl -sf -o /dev/null --max-time 2 "$1"; }
# mongo_ping PORT: a MongoDB-wire server on 127.0.0.1:PORT answers ping.
mongo_ping() {
    "$STATE/venv/bin/python" -c 'import sys, pymongo
pymongo.MongoClient(port=int(sys.argv[1]), serverSelectionTimeoutMS=1000).admin.command("ping")' "$1" 2>/dev/null
}
# spool_depth PORT: the receiver's spool depth, from its /health on 127.0.0.1:PORT (0 where the
# answer has none); fails, printing nothing, where the receiver does not answer.
spool_depth() { curl -sf --max-time 5 "http://127.0.0.1:$1/health" | json_get spool_depth 0; }
# random_hex BYTES: a random secret, hex.
random_hex() { python3 -c 'import secrets, sys; print(secrets.token_hex(int(sys.argv[1])))' "${1:-16}"; }

# ---- Numbers and JSON (python3: neither bc nor jq is on every machine, CI's included) ------------
# calc FORMAT EXPRESSION: a Python arithmetic expression, formatted (.0f, .2f, g, ...):
#   calc .1f "$t1 - $t0"
calc() { python3 -c 'import sys; print(format(eval(sys.argv[2]), sys.argv[1]))' "$1" "$2"; }
# ratio A B: A / B to two places ("n/a" where B is 0).
ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}' if b else 'n/a')" "$1" "$2"; }
# median VALUES...: their median, whole from 100 up, else to three places.
median() { python3 -c 'import statistics, sys; m = statistics.median(float(x) for x in sys.argv[1:]); print(f"{m:.0f}" if m >= 100 else f"{m:.3f}")' "$@"; }
# mean VALUES...: their mean, whole.
mean() { python3 -c 'import sys; v = [float(x) for x in sys.argv[1:]]; print(f"{sum(v) / len(v):.0f}")' "$@"; }
# met_if CONDITION: "met" where the Python condition holds, else "MISSED" (a report's target column).
met_if() { python3 -c 'import sys; print("met" if eval(sys.argv[1]) else "MISSED")' "$1"; }
# json_get KEY [DEFAULT]: field KEY of the JSON object on stdin (a list: one item a line), DEFAULT
# where it has none; fails, printing nothing, where there is no KEY and no DEFAULT or stdin is not
# a JSON object.
json_get() {
    python3 -c 'import json, sys
try:
    value = json.load(sys.stdin)[sys.argv[1]]
except KeyError:
    if len(sys.argv) < 3: sys.exit(1)
    value = sys.argv[2]
print(*value, sep="\n") if isinstance(value, list) else print(value)' "$@" 2>/dev/null
}
