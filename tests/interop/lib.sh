#!/bin/bash
# lib.sh: helpers for the dxbgp interop tests, sourced by tests/interop/*.sh.
#
# A test is a list of cases. Each case runs in a subshell with its own
# directory and its own pair of network namespaces; when it ends (or times
# out) every daemon it started is stopped by the PID it was started with,
# and its namespaces are deleted. The whole run has a watchdog too, and the
# EXIT trap removes whatever is left, so a test always stops by itself and
# leaves nothing behind.
#
# Addresses: only inside the namespaces a case creates. The reference AWS
# Direct Connect link of DESIGN.md, peer side in NS_PEER, dxbgpd side in
# NS_DX, joined by a veth called dxt0 on both sides:
#
#   NS_PEER  10.0.0.1/24  fd00::1/64  <-->  10.0.0.2/24  fd00::2/64  NS_DX
#
# Daemons ("instances") are started inside a namespace with a generated
# config; their config, log, control socket and pid file live in
# $DXT_CASE_DIR/NAME/. Kinds: bird, frr, gobgp, openbgpd (peers) and dxbgpd.
#
#   dxt_init                        temp dir, traps, watchdog (call first)
#   dxt_case "description" FUNC [ARG...]
#                                   run one case, print ok/not ok/skip
#   dxt_skip "description" REASON   print a skip line without running
#   dxt_finish                      print the summary, exit 1 if one failed
#   skip_case REASON                (inside a case) end it as skipped
#   netns_pair                      (inside a case) make NS_PEER, NS_DX
#   netns_link NAME ADDR/LEN DX_ADDR/LEN [ADDR6/LEN DX6/LEN]
#                                   one more namespace (NS_LINK) with its
#                                   own veth into NS_DX
#   peer_start KIND NAME NS key=value...
#         as=ASN peer_as=ASN neighbor=ADDR      (required)
#         addr=LOCAL_ADDR password=SECRET router_id=ID
#         hold=90 keepalive=30 retry=2 api_port=50051 (gobgp)
#   dx_start NAME NS key=value...   the same keys, defaults hold=30
#                                   keepalive=10; or conf=FILE
#   peer_stop NAME / peer_restart NAME / peer_alive NAME
#   peer_state NAME NEIGHBOR        Established, Active, Connect, Idle,
#                                   OpenSent, OpenConfirm, Down or Unknown
#   wait_established NAME NEIGHBOR [SECONDS]
#   never_established NAME NEIGHBOR SECONDS
#   peer_available KIND / dx_available
#   peer_routes NAME                its IPv4 unicast table, one line a path
#   wait_routes NAME FILE [SECONDS] until that table is FILE's lines
#   gobgp_monitor NAME MON [COUNT] / gobgp_events MON
#                                   what a GoBGP's RIB saw change

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	# scripts/test.sh runs every tests/interop/*.sh; this one is a library.
	echo "# lib.sh: helpers for the interop tests (sourced, nothing to run)"
	exit 0
fi

DXT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DXT_TOP=$(cd "$DXT_DIR/../.." && pwd)
: "${DXBGPD:=$DXT_TOP/build/default/bgpd/dxbgpd}"
: "${DXT_WAIT:=15}"		# seconds to wait for Established
: "${DXT_CASE_TIMEOUT:=90}"	# seconds before a case is killed
: "${DXT_TIMEOUT:=300}"		# seconds before the whole test is killed
: "${DXT_KEEP:=0}"		# 1: keep the temp dir (logs, configs)
: "${DXT_VERBOSE:=0}"		# 1: print every case's output, not only failures

BIRD=${BIRD:-/usr/sbin/bird}
BIRDC=${BIRDC:-/usr/sbin/birdc}
FRR_BGPD=${FRR_BGPD:-/usr/lib/frr/bgpd}
VTYSH=${VTYSH:-/usr/bin/vtysh}
GOBGPD=${GOBGPD:-/usr/bin/gobgpd}
GOBGP=${GOBGP:-/usr/bin/gobgp}
OPENBGPD=${OPENBGPD:-/usr/sbin/bgpd}
BGPCTL=${BGPCTL:-/usr/sbin/bgpctl}

PEER4=10.0.0.1
DX4=10.0.0.2
PEER6=fd00::1
DX6=fd00::2

# ---------------------------------------------------------------- processes

# dxt_starttime PID: the process start time (field 22 of /proc/PID/stat),
# recorded with every PID so that a recycled PID is never signalled.
dxt_starttime() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	# shellcheck disable=SC2086 # split the stat fields
	set -- $s
	echo "${20}"
}

# dxt_alive PID [STARTTIME]: the process exists, is not a zombie and, if
# STARTTIME is given, is the one we started.
dxt_alive() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	# shellcheck disable=SC2086 # split the stat fields
	set -- "$2" $s
	case $2 in Z | X | x) return 1 ;; esac
	[ -z "$1" ] || [ "$1" = "${21}" ]
}

# dxt_stop_pid PID STARTTIME [GRACE]: SIGTERM, wait up to GRACE seconds,
# then SIGKILL. Only ever the PID we started.
dxt_stop_pid() {
	local pid=$1 st=$2 grace=${3:-10} i
	dxt_alive "$pid" "$st" || { wait "$pid" 2>/dev/null; return 0; }
	kill -TERM "$pid" 2>/dev/null
	for ((i = 0; i < grace * 10; i++)); do
		dxt_alive "$pid" "$st" || break
		sleep 0.1
	done
	if dxt_alive "$pid" "$st"; then
		echo "# pid $pid ignored SIGTERM for ${grace}s, sending SIGKILL" >&2
		kill -KILL "$pid" 2>/dev/null
		for ((i = 0; i < 20; i++)); do
			dxt_alive "$pid" "$st" || break
			sleep 0.1
		done
	fi
	wait "$pid" 2>/dev/null	# reap it if it is our child
	return 0
}

# dxt_alive_pidfile FILE: the instance whose "PID STARTTIME" is in FILE runs.
dxt_alive_pidfile() {
	local pid st
	[ -f "$1" ] && read -r pid st <"$1" && dxt_alive "$pid" "$st"
}

# dxt_stop_pidfile FILE: stop the instance whose "PID STARTTIME" is in FILE
# and remove FILE.
dxt_stop_pidfile() {
	local pid st
	read -r pid st <"$1" && dxt_stop_pid "$pid" "$st"
	rm -f "$1"
}

# dxt_stop_instance DIR: stop the daemon of an instance directory.
dxt_stop_instance() {
	local dir=$1 pid st
	[ -f "$dir/pid" ] || return 0
	read -r pid st <"$dir/pid"
	dxt_stop_pidfile "$dir/pid"
	echo "---- $(date '+%T') stopped" >>"$dir/log"
	# FRR bgpd removes its /var/tmp/frr/bgpd.PID only when it exits cleanly
	if [ "$(cat "$dir/kind")" = frr ] && [ -n "$pid" ] &&
	    [ -d "/var/tmp/frr/bgpd.$pid" ]; then
		rm -rf "/var/tmp/frr/bgpd.$pid"
	fi
}

# dxt_watchdog SECONDS PID FILE MESSAGE: in the background, after SECONDS
# append MESSAGE to FILE (- for stdout) and SIGTERM PID. Its PID is in $!;
# SIGTERM it (it takes its sleep with it) once it is no longer needed.
dxt_watchdog() {
	(
		sp=
		trap '[ -n "$sp" ] && kill "$sp" 2>/dev/null; exit 0' TERM
		sleep "$1" >/dev/null 2>&1 &
		sp=$!
		wait "$sp"
		if [ "$3" = - ]; then
			echo "# $4"
		else
			echo "# $4" >>"$3"
		fi
		kill -TERM "$2" 2>/dev/null
	) </dev/null &
}

# dxt_spawn DIR NS CMD...: start CMD inside NS in the background, output
# appended to DIR/log, PID and start time in DIR/pid. `ip netns exec`
# execs CMD, so $! is the daemon itself.
dxt_spawn() {
	local dir=$1 ns=$2 pid
	shift 2
	echo "---- $(date '+%T') start: $*" >>"$dir/log"
	ip netns exec "$ns" "$@" </dev/null >>"$dir/log" 2>&1 &
	pid=$!
	echo "$pid $(dxt_starttime "$pid")" >"$dir/pid"
}

# ---------------------------------------------------------------- run, cases

dxt_init() {
	if [ -n "${DXT_TMP:-}" ]; then
		return 0
	fi
	DXT_NAME=$(basename "$0" .sh)
	DXT_PASS=0
	DXT_FAIL=0
	DXT_SKIP=0
	DXT_NCASE=0
	DXT_CASE_PID=
	DXT_CASE_WD=
	DXT_CASE_DIR=
	DXT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dxt-$DXT_NAME.XXXXXX") || exit 1
	case $DXT_TMP in
	/run | /run/*)
		# openbgpd gets a private tmpfs over /run (see _openbgpd_spawn)
		echo "# $DXT_NAME: TMPDIR must not be under /run" >&2
		exit 1 ;;
	esac
	trap dxt_cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	dxt_watchdog "$DXT_TIMEOUT" $$ - \
	    "$DXT_NAME: gave up after ${DXT_TIMEOUT}s (DXT_TIMEOUT)"
	DXT_WATCHDOG=$!
}

dxt_cleanup() {
	local rc=$? d
	trap - EXIT HUP INT TERM
	if [ -n "${DXT_CASE_WD:-}" ]; then
		kill -TERM "$DXT_CASE_WD" 2>/dev/null
		wait "$DXT_CASE_WD" 2>/dev/null
	fi
	if [ -n "${DXT_CASE_PID:-}" ]; then
		kill -TERM "$DXT_CASE_PID" 2>/dev/null
		wait "$DXT_CASE_PID" 2>/dev/null
		for d in "$DXT_CASE_DIR"/*/log; do
			[ -f "$d" ] && dxt_case_diag "${d%/log}"
		done >>"$DXT_CASE_DIR/out" 2>&1
		dxt_result fail "$DXT_CASE_DESC (interrupted)"
		sed 's/^/#   /' "$DXT_CASE_DIR/out"
		[ "$rc" -eq 0 ] && rc=1
	fi
	for d in "$DXT_TMP"/case*; do
		[ -d "$d" ] && dxt_case_cleanup "$d"
	done
	if [ -n "${DXT_WATCHDOG:-}" ]; then
		kill -TERM "$DXT_WATCHDOG" 2>/dev/null
		wait "$DXT_WATCHDOG" 2>/dev/null
	fi
	if [ "$DXT_KEEP" = 1 ]; then
		echo "# kept $DXT_TMP" >&2
	else
		rm -rf "$DXT_TMP"
	fi
	exit "$rc"
}

# dxt_case_cleanup DIR: stop every instance of a case, delete its namespaces.
dxt_case_cleanup() {
	local dir=$1 f ns
	for f in "$dir"/*/pid; do
		[ -f "$f" ] || continue
		dxt_stop_instance "${f%/pid}"
	done
	if [ -f "$dir/netns" ]; then
		while read -r ns; do
			dxt_netns_del "$ns"
		done <"$dir/netns"
		rm -f "$dir/netns"
	fi
}

# dxt_netns_del NS: delete a namespace this run created. Anything still
# running inside it was started by this run (a child of a daemon we
# started); it is stopped by PID first.
dxt_netns_del() {
	local ns=$1 p
	ip netns list | grep -q "^$ns\( \|$\)" || return 0
	for p in $(ip netns pids "$ns" 2>/dev/null); do
		echo "# left over in $ns: pid $p $(tr '\0' ' ' "/proc/$p/cmdline" 2>/dev/null)" >&2
		dxt_stop_pid "$p" "$(dxt_starttime "$p")" 3
	done
	ip netns del "$ns" 2>/dev/null ||
	    echo "# could not delete namespace $ns" >&2
}

dxt_result() {
	case $1 in
	ok) DXT_PASS=$((DXT_PASS + 1)); echo "ok - $2" ;;
	fail) DXT_FAIL=$((DXT_FAIL + 1)); echo "not ok - $2" ;;
	skip)
		# CI installs every peer and builds dxbgpd: there, a missing
		# piece is a failure.  Only what this kernel cannot do (reasons
		# starting "kernel:") may still be skipped.
		if [ "${DXT_STRICT:-0}" = 1 ] && [ "${3#kernel:}" = "$3" ]; then
			DXT_FAIL=$((DXT_FAIL + 1))
			echo "not ok - $2 (skipped in strict mode: $3)"
		else
			DXT_SKIP=$((DXT_SKIP + 1))
			echo "skip - $2 ($3)"
		fi ;;
	esac
}

dxt_skip() {
	dxt_result skip "$1" "$2"
}

# skip_case REASON: inside a case, end it as skipped.
skip_case() {
	echo "$*" >"$DXT_CASE_DIR/skip"
	exit 77
}

# dxt_case DESCRIPTION FUNC [ARG...]: run FUNC in a subshell with a fresh
# case directory; 0 is ok, 77 skip, anything else not ok. On failure the
# case's output and the tail of every instance log follow as "#" lines.
dxt_case() {
	local desc=$1 rc f
	shift
	DXT_NCASE=$((DXT_NCASE + 1))
	DXT_CASE_DESC=$desc
	DXT_CASE_DIR=$DXT_TMP/case$DXT_NCASE
	DXT_NS_PREFIX=dxt-$$-$DXT_NCASE
	mkdir -p "$DXT_CASE_DIR"
	("$@") </dev/null >"$DXT_CASE_DIR/out" 2>&1 &
	DXT_CASE_PID=$!
	dxt_watchdog "$DXT_CASE_TIMEOUT" "$DXT_CASE_PID" "$DXT_CASE_DIR/out" \
	    "case killed after ${DXT_CASE_TIMEOUT}s (DXT_CASE_TIMEOUT)"
	DXT_CASE_WD=$!
	wait "$DXT_CASE_PID"
	rc=$?
	DXT_CASE_PID=
	kill -TERM "$DXT_CASE_WD" 2>/dev/null
	wait "$DXT_CASE_WD" 2>/dev/null
	DXT_CASE_WD=
	if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then
		# logs while the daemons' last words are in them
		for f in "$DXT_CASE_DIR"/*/log; do
			[ -f "$f" ] || continue
			dxt_case_diag "${f%/log}"
		done >>"$DXT_CASE_DIR/out" 2>&1
	fi
	dxt_case_cleanup "$DXT_CASE_DIR"
	case $rc in
	0) dxt_result ok "$desc" ;;
	77) dxt_result skip "$desc" "$(cat "$DXT_CASE_DIR/skip" 2>/dev/null)" ;;
	*) dxt_result fail "$desc" ;;
	esac
	if [ "$DXT_VERBOSE" = 1 ] || { [ $rc -ne 0 ] && [ $rc -ne 77 ]; }; then
		sed 's/^/#   /' "$DXT_CASE_DIR/out"
	fi
	return 0
}

# dxt_case_diag DIR: the tail of an instance's log; for a dxbgpd still
# running, also what dxsh says.
dxt_case_diag() {
	local dir=$1 kind
	kind=$(cat "$dir/kind")
	if [ "$kind" = dxbgpd ] && dxt_alive_pidfile "$dir/pid"; then
		echo "--- $(basename "$dir") ($kind): dxsh -c 'show bgp summary':"
		_dxbgpd_show "$dir"
	fi
	echo "--- last lines of $(basename "$dir") ($kind) log:"
	tail -n "${DXT_LOG_LINES:-40}" "$dir/log"
}

dxt_finish() {
	echo "# $DXT_NAME: $DXT_PASS passed, $DXT_FAIL failed, $DXT_SKIP skipped"
	[ "$DXT_FAIL" -eq 0 ] && exit 0
	exit 1
}

# dxt_need_root: the tests create namespaces; print why not and return 1.
dxt_need_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "needs root to create network namespaces"
		return 1
	fi
	if ! command -v ip >/dev/null; then
		echo "needs ip(8) from iproute2"
		return 1
	fi
	return 0
}

# ---------------------------------------------------------------- namespaces

# netns_pair: inside a case, create NS_PEER and NS_DX joined by a veth,
# with IPv4 and IPv6 (no DAD) addresses, and wait for the link.
netns_pair() {
	local i ns
	NS_PEER=$DXT_NS_PREFIX-p
	NS_DX=$DXT_NS_PREFIX-d
	for ns in "$NS_PEER" "$NS_DX"; do
		ip netns add "$ns" || return 1
		echo "$ns" >>"$DXT_CASE_DIR/netns"
		ip -n "$ns" link set lo up || return 1
	done
	echo "$PEER4" >"$DXT_CASE_DIR/$NS_PEER.v4"
	echo "$DX4" >"$DXT_CASE_DIR/$NS_DX.v4"
	ip link add dxt0 netns "$NS_PEER" type veth \
	    peer name dxt0 netns "$NS_DX" || return 1
	ip -n "$NS_PEER" addr add "$PEER4/24" dev dxt0 &&
	    ip -n "$NS_PEER" addr add "$PEER6/64" dev dxt0 nodad &&
	    ip -n "$NS_DX" addr add "$DX4/24" dev dxt0 &&
	    ip -n "$NS_DX" addr add "$DX6/64" dev dxt0 nodad &&
	    ip -n "$NS_PEER" link set dxt0 up &&
	    ip -n "$NS_DX" link set dxt0 up || return 1
	for ((i = 0; i < 50; i++)); do
		if ip -n "$NS_PEER" link show dxt0 | grep -q LOWER_UP &&
		    ip -n "$NS_DX" link show dxt0 | grep -q LOWER_UP &&
		    [ -z "$(ip -n "$NS_PEER" -6 addr show dev dxt0 tentative \
			2>/dev/null)" ] &&
		    [ -z "$(ip -n "$NS_DX" -6 addr show dev dxt0 tentative \
			2>/dev/null)" ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "veth between $NS_PEER and $NS_DX did not come up"
	ip -n "$NS_PEER" addr show dev dxt0
	ip -n "$NS_DX" addr show dev dxt0
	return 1
}

# netns_link NAME ADDR/LEN DX_ADDR/LEN [ADDR6/LEN DX6/LEN]: inside a case,
# after netns_pair, one more namespace $DXT_NS_PREFIX-NAME (in NS_LINK)
# joined to NS_DX by its own veth: dxt0 on its side, dxt-NAME in NS_DX
# (so NAME has at most 11 characters). Its router id defaults to ADDR.
#   netns_link f 10.0.1.1/24 10.0.1.2/24
netns_link() {
	local name=$1 a4=$2 d4=$3 a6=${4:-} d6=${5:-} ns dif i
	ns=$DXT_NS_PREFIX-$name
	dif=dxt-$name
	if [ ${#dif} -gt 15 ] || [ -z "$NS_DX" ]; then
		echo "netns_link: name '$name' too long, or no netns_pair yet"
		return 1
	fi
	ip netns add "$ns" || return 1
	echo "$ns" >>"$DXT_CASE_DIR/netns"
	# shellcheck disable=SC2034 # for the caller
	NS_LINK=$ns
	ip -n "$ns" link set lo up || return 1
	echo "${a4%/*}" >"$DXT_CASE_DIR/$ns.v4"
	ip link add dxt0 netns "$ns" type veth peer name "$dif" \
	    netns "$NS_DX" || return 1
	ip -n "$ns" addr add "$a4" dev dxt0 &&
	    ip -n "$NS_DX" addr add "$d4" dev "$dif" || return 1
	if [ -n "$a6" ]; then
		ip -n "$ns" addr add "$a6" dev dxt0 nodad &&
		    ip -n "$NS_DX" addr add "$d6" dev "$dif" nodad || return 1
	fi
	ip -n "$ns" link set dxt0 up &&
	    ip -n "$NS_DX" link set "$dif" up || return 1
	# Only the addresses given count: waiting for the link-local ones to
	# leave DAD would take about 2 s.
	for ((i = 0; i < 50; i++)); do
		if ip -n "$ns" link show dxt0 | grep -q LOWER_UP &&
		    ip -n "$NS_DX" link show "$dif" | grep -q LOWER_UP &&
		    [ -z "$(ip -n "$ns" -6 addr show dev dxt0 scope global \
			tentative 2>/dev/null)" ] &&
		    [ -z "$(ip -n "$NS_DX" -6 addr show dev "$dif" scope global \
			tentative 2>/dev/null)" ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "veth between $ns and $NS_DX did not come up"
	ip -n "$ns" addr show dev dxt0
	ip -n "$NS_DX" addr show dev "$dif"
	return 1
}

# ---------------------------------------------------------------- instances

# _dxt_opts NS KEY=VALUE...: parse instance options into O_* variables;
# the router id defaults to the IPv4 address of the instance's namespace.
_dxt_opts() {
	local ns=$1 kv k
	shift
	O_as='' O_peer_as='' O_neighbor='' O_addr='' O_password=''
	O_router_id='' O_hold=90 O_keepalive=30 O_retry=2 O_api_port=50051
	O_conf=
	for kv in "$@"; do
		k=${kv%%=*}
		case $k in
		as | peer_as | neighbor | addr | password | router_id | hold | \
		    keepalive | retry | api_port | conf)
			printf -v "O_$k" %s "${kv#*=}" ;;
		*)
			echo "lib.sh: unknown instance option '$kv'"
			return 2 ;;
		esac
	done
	[ -n "$O_conf" ] && return 0
	if [ -z "$O_as" ] || [ -z "$O_peer_as" ] || [ -z "$O_neighbor" ]; then
		echo "lib.sh: as=, peer_as= and neighbor= are required"
		return 2
	fi
	case $O_neighbor in
	*:*) O_af=6 ;;
	*) O_af=4 ;;
	esac
	if [ -z "$O_router_id" ]; then
		case $O_addr in
		*.*) O_router_id=$O_addr ;;
		*) O_router_id=$(cat "$DXT_CASE_DIR/$ns.v4" 2>/dev/null) ;;
		esac
	fi
	return 0
}

_dxt_dir() {
	echo "$DXT_CASE_DIR/$1"
}

_dxt_kind() {
	cat "$DXT_CASE_DIR/$1/kind" 2>/dev/null
}

# _dxt_norm_state: map a daemon's spelling of an FSM state to one spelling.
_dxt_norm_state() {
	local s
	s=$(tr -d ',' | head -n 1 | tr '[:upper:]' '[:lower:]')
	s=${s#bgp_fsm_}
	case $s in
	established) echo Established ;;
	active) echo Active ;;
	connect) echo Connect ;;
	idle) echo Idle ;;
	opensent) echo OpenSent ;;
	openconfirm) echo OpenConfirm ;;
	"") echo Down ;;
	*) echo "Unknown($s)" ;;
	esac
}

# dxt_why_not KIND...: why a script that drives dxbgpd (with dxsh and
# jq) against the peer daemons KIND... cannot run, printed; nothing and
# status 0 if it can.
dxt_why_not() {
	local k missing=
	dxt_need_root || return 1
	for k in "$@"; do
		peer_available "$k" || missing="$missing $k"
	done
	if [ -n "$missing" ]; then
		echo "needs$missing; scripts/setup.sh --test --peers"
		return 1
	fi
	dxt_have_jq || { echo "needs jq"; return 1; }
	dx_available || { echo "dxbgpd not built: $DXBGPD"; return 1; }
	_dxbgpd_sh >/dev/null || { echo "dxsh not built"; return 1; }
}

peer_available() {
	case $1 in
	bird) [ -x "$BIRD" ] && [ -x "$BIRDC" ] ;;
	frr) [ -x "$FRR_BGPD" ] && [ -x "$VTYSH" ] ;;
	gobgp) [ -x "$GOBGPD" ] && [ -x "$GOBGP" ] ;;
	openbgpd) [ -x "$OPENBGPD" ] && [ -x "$BGPCTL" ] &&
	    getent passwd _openbgpd >/dev/null ;;
	dxbgpd) [ -x "$DXBGPD" ] ;;
	*) return 1 ;;
	esac
}

dx_available() {
	peer_available dxbgpd
}

# peer_start KIND NAME NS KEY=VALUE...: write the config, start the daemon
# inside NS, wait until its control interface answers.
peer_start() {
	local kind=$1 name=$2 ns=$3 dir i
	shift 3
	dir=$(_dxt_dir "$name")
	mkdir -p "$dir"
	echo "$kind" >"$dir/kind"
	echo "$ns" >"$dir/ns"
	printf '%q ' "$@" >"$dir/args"
	if ! peer_available "$kind"; then
		echo "$name: $kind is not installed (scripts/setup.sh --test --peers)"
		return 1
	fi
	_dxt_opts "$ns" "$@" || return 1
	if [ -n "$O_conf" ]; then
		cp "$O_conf" "$dir/conf" || return 1
	else
		"_${kind}_conf" "$dir" "$name" >"$dir/conf" || return 1
	fi
	"_${kind}_spawn" "$dir" "$ns" || return 1
	for ((i = 0; i < 100; i++)); do
		if ! peer_alive "$name"; then
			echo "$name: $kind exited while starting (log below); config:"
			sed 's/^/    | /' "$dir/conf"
			return 1
		fi
		"_${kind}_ready" "$dir" "$ns" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "$name: $kind did not answer on its control interface in 10s"
	return 1
}

peer_alive() {
	local dir
	dir=$(_dxt_dir "$1")
	dxt_alive_pidfile "$dir/pid"
}

# peer_stop NAME: stop an instance by the PID it was started with.
peer_stop() {
	dxt_stop_instance "$(_dxt_dir "$1")"
}

# peer_restart NAME: stop by PID, start again with the same options.
peer_restart() {
	local name=$1 dir kind ns
	dir=$(_dxt_dir "$name")
	kind=$(cat "$dir/kind") ns=$(cat "$dir/ns")
	peer_stop "$name"
	eval "set -- $(cat "$dir/args")"
	if [ "$kind" = dxbgpd ]; then
		dx_start "$name" "$ns" "$@"
	else
		peer_start "$kind" "$name" "$ns" "$@"
	fi
}

# peer_state NAME NEIGHBOR: the FSM state the instance reports for NEIGHBOR.
peer_state() {
	local dir kind
	dir=$(_dxt_dir "$1")
	kind=$(_dxt_kind "$1")
	"_${kind}_state" "$dir" "$(cat "$dir/ns")" "$2" 2>/dev/null |
	    _dxt_norm_state
}

# peer_show NAME NEIGHBOR: what the instance says about NEIGHBOR, in full.
peer_show() {
	local dir kind
	dir=$(_dxt_dir "$1")
	kind=$(_dxt_kind "$1")
	"_${kind}_show" "$dir" "$(cat "$dir/ns")" "$2" 2>&1
}

# wait_established NAME NEIGHBOR [SECONDS]: poll the instance's own CLI
# until its session to NEIGHBOR is Established. On failure print what it
# says and return 1.
wait_established() {
	local name=$1 nb=$2 secs=${3:-$DXT_WAIT} end st=
	end=$((SECONDS + secs))
	while [ $SECONDS -lt "$end" ]; do
		st=$(peer_state "$name" "$nb")
		if [ "$st" = Established ]; then
			echo "$name: Established with $nb after $((SECONDS - end + secs))s"
			return 0
		fi
		if ! peer_alive "$name"; then
			echo "$name ($(_dxt_kind "$name")) is not running"
			return 1
		fi
		sleep 0.5
	done
	echo "$name ($(_dxt_kind "$name")): session to $nb not Established" \
	    "after ${secs}s, last state $st; it says:"
	peer_show "$name" "$nb" | sed 's/^/    /'
	return 1
}

# never_established NAME NEIGHBOR SECONDS: for SECONDS, the session to
# NEIGHBOR is never Established and the instance keeps running.
never_established() {
	local name=$1 nb=$2 secs=$3 end st seen=
	end=$((SECONDS + secs))
	while [ $SECONDS -lt "$end" ]; do
		st=$(peer_state "$name" "$nb")
		case " $seen " in *" $st "*) ;; *) seen="$seen $st" ;; esac
		if [ "$st" = Established ]; then
			echo "$name ($(_dxt_kind "$name")): session to $nb is" \
			    "Established, it should not be; it says:"
			peer_show "$name" "$nb" | sed 's/^/    /'
			return 1
		fi
		if ! peer_alive "$name"; then
			echo "$name ($(_dxt_kind "$name")) is not running"
			return 1
		fi
		sleep 0.5
	done
	echo "$name: not Established with $nb for ${secs}s (states seen:$seen)"
	return 0
}

# ---------------------------------------------------------------- routes
# The IPv4 unicast table an instance holds, read from its own CLI as
# JSON (needs jq), one line per path, sorted (LC_ALL=C):
#
#   PREFIX nh=NEXTHOP path=AS,AS,... comm=A:B,C:D origin=i|e|? med=N lp=N
#
# communities sorted; "-" for an absent attribute or an empty list. Kinds:
# frr (`show bgp ipv4 unicast json detail`, FRR >= 8.4), gobgp (`gobgp
# global rib -j`) and dxbgpd (dxsh `show bgp ipv4 unicast json`).
#
#   peer_routes NAME              print the table (1 if it cannot be read)
#   wait_routes NAME FILE [SECS]  until the table is FILE's lines (sorted);
#                                 on timeout print a diff, return 1

dxt_have_jq() {
	command -v jq >/dev/null
}

# shellcheck disable=SC2016 # jq's $, not the shell's
_DXT_JQ_DEFS='
def dash: if . == null or . == "" then "-" else tostring end;
def orig: if . == "IGP" or . == "i" or . == 0 then "i"
	elif . == "EGP" or . == "e" or . == 1 then "e" else "?" end;
def line($p; nh; path; comm; o; med; lp):
	"\($p) nh=\(nh | dash) path=\(path | dash)"
	+ " comm=\(comm | sort | join(",") | dash) origin=\(o | orig)"
	+ " med=\(med | dash) lp=\(lp | dash)";
'

_frr_routes() {
	_frr_cli "$1" "$2" "show bgp ipv4 unicast json detail" |
	    jq -r "$_DXT_JQ_DEFS"'
	    (.routes // {}) | to_entries[] | .key as $p | .value[] |
	    select(has("nexthops")) |
	    line($p; [.nexthops[].ip] | join("+");
		(.aspath.string // "") | gsub(" "; ",");
		.community.list // []; .origin; .metric; .locPrf)'
}

_gobgp_routes() {
	_gobgp_cli "$1" "$2" global rib -a ipv4 -j |
	    jq -r "$_DXT_JQ_DEFS"'
	    def comm: "\(. / 65536 | floor):\(. % 65536)";
	    def seg: if .segment_type == 1
		then "{" + (.asns | map(tostring) | join(",")) + "}"
		else .asns | map(tostring) | join(",") end;
	    def val: if . == null then null
		else del(.type) | to_entries[0].value end;
	    (. // {}) | to_entries[] | .key as $p | .value[] |
	    (.attrs | map({key: (.type | tostring), value: .}) |
		from_entries) as $a |
	    line($p; $a["3"].nexthop // $a["14"].nexthop;
		[$a["2"].as_paths[]? | seg] | join(",");
		[$a["8"].communities[]? | comm]; $a["1"].value;
		$a["4"] | val; $a["5"] | val)'
}

_dxbgpd_routes() {
	local sh
	sh=$(_dxbgpd_sh) || { echo "dxsh is not built" >&2; return 1; }
	timeout 5 "$sh" -S "$1/sock" -c "show bgp ipv4 unicast json" |
	    jq -r "$_DXT_JQ_DEFS"'
	    (.routes // {}) | to_entries[] | .key as $p | .value[] |
	    line($p; .nexthop; .path | gsub(" "; ",");
		.communities // []; .origin; .med; .localPref)'
}

peer_routes() {
	local dir kind out
	dir=$(_dxt_dir "$1")
	kind=$(_dxt_kind "$1")
	if ! dxt_have_jq; then
		echo "peer_routes: needs jq" >&2
		return 1
	fi
	if ! declare -F "_${kind}_routes" >/dev/null; then
		echo "peer_routes: cannot read the routes of a $kind" >&2
		return 1
	fi
	out=$("_${kind}_routes" "$dir" "$(cat "$dir/ns")") || return 1
	[ -n "$out" ] && printf '%s\n' "$out" | LC_ALL=C sort
	return 0
}

wait_routes() {
	local name=$1 file=$2 secs=${3:-$DXT_WAIT} end want have n
	want=$(LC_ALL=C sort "$file")
	n=$(grep -c . "$file")
	end=$((SECONDS + secs))
	while :; do
		if have=$(peer_routes "$name" 2>&1) && [ "$have" = "$want" ]; then
			echo "$name: holds the expected $n paths after" \
			    "$((SECONDS - end + secs))s"
			return 0
		fi
		if ! peer_alive "$name"; then
			echo "$name ($(_dxt_kind "$name")) is not running"
			return 1
		fi
		[ $SECONDS -ge "$end" ] && break
		sleep 0.5
	done
	echo "$name ($(_dxt_kind "$name")): after ${secs}s it holds" \
	    "$(printf '%s' "$have" | grep -c .) paths, not the expected $n;" \
	    "diff -U0 expected actual (first 30 lines):"
	diff -U0 <(printf '%s\n' "$want") <(printf '%s\n' "$have") |
	    sed -n '3,32s/^/    /p'
	return 1
}

# gobgp_monitor NAME MON [COUNT]: watch the global RIB of the GoBGP
# instance NAME (`gobgp monitor global rib --current -j`) as instance MON,
# stopped like the others, its events in MON's log. Returns once the
# current table (COUNT paths, default 0) has been dumped (10 s at most),
# so that every later change is seen by gobgp_events.
# gobgp_events MON: the events since, one a line: PREFIX update|withdraw
gobgp_monitor() {
	local name=$1 mon=$2 count=${3:-0} gdir dir ns i n
	gdir=$(_dxt_dir "$name")
	dir=$(_dxt_dir "$mon")
	ns=$(cat "$gdir/ns")
	mkdir -p "$dir"
	echo gobgp-monitor >"$dir/kind"
	echo "$ns" >"$dir/ns"
	dxt_spawn "$dir" "$ns" "$GOBGP" -u 127.0.0.1 \
	    -p "$(cat "$gdir/api_port")" monitor global rib --current -j
	for ((i = 0; i < 100; i++)); do
		sleep 0.1
		if ! peer_alive "$mon"; then
			echo "$mon: gobgp monitor exited:"
			tail -n 5 "$dir/log"
			return 1
		fi
		n=$(grep '^\[' "$dir/log" | jq '.[]' 2>/dev/null | grep -c '^{')
		if [ "$n" -ge "$count" ]; then
			# the table is static meanwhile: what follows is news
			sleep 0.2
			wc -l <"$dir/log" >"$dir/mark"
			return 0
		fi
	done
	echo "$mon: gobgp monitor dumped $n paths of $count in 10s"
	return 1
}

gobgp_events() {
	local dir
	dir=$(_dxt_dir "$1")
	tail -n +$(($(cat "$dir/mark") + 1)) "$dir/log" | grep '^\[' |
	    jq -r '.[] | "\(.nlri.prefix) " +
		(if .withdrawal then "withdraw" else "update" end)'
}

# ---------------------------------------------------------------- BIRD 2
# bird -f (foreground) -c CONF -s SOCK -P PIDFILE; birdc -s SOCK.
# One BGP protocol per instance, named after the neighbor. "error wait
# time 1, 2" keeps BIRD from waiting 60 s before reconnecting after an
# error; "protocol device" is needed to see the directly connected peer.

_bird_proto() {
	local n=${1//[.:]/_}
	echo "p_$n"
}

_bird_conf() {
	cat <<EOF
log stderr all;
router id $O_router_id;
protocol device { scan time 10; }
protocol bgp $(_bird_proto "$O_neighbor") {
	debug { states, events };
	local ${O_addr:+$O_addr }as $O_as;
	neighbor $O_neighbor as $O_peer_as;
${O_password:+	password \"$O_password\";}
	hold time $O_hold;
	keepalive time $O_keepalive;
	connect delay time 1;
	connect retry time $O_retry;
	error wait time 1, 2;
	ipv$O_af { import all; export none; };
}
EOF
}

# bird_static_conf ADDR AS NEIGHBOR PEER_AS KEY PREFIX...: a BIRD config
# that sends the IPv4 PREFIXes (static blackhole routes) to NEIGHBOR
# over one eBGP session from ADDR, with TCP MD5 KEY if not empty, and
# takes nothing from it.
bird_static_conf() {
	local addr=$1 as=$2 nb=$3 peer_as=$4 key=$5 p
	shift 5
	echo "log stderr all;"
	echo "router id $addr;"
	echo "protocol device { scan time 10; }"
	echo "protocol static s_routes {"
	echo "	ipv4;"
	for p in "$@"; do
		echo "	route $p blackhole;"
	done
	echo "}"
	echo "protocol bgp $(_bird_proto "$nb") {"
	echo "	local $addr as $as;"
	echo "	neighbor $nb as $peer_as;"
	[ -n "$key" ] && echo "	password \"$key\";"
	echo "	connect delay time 1;"
	echo "	connect retry time 2;"
	echo "	error wait time 1, 2;"
	echo "	ipv4 { import none; export all; };"
	echo "}"
}

_bird_spawn() {
	dxt_spawn "$1" "$2" "$BIRD" -f -c "$1/conf" -s "$1/sock" -P "$1/pidfile"
}

_bird_cli() {
	local dir=$1 ns=$2
	shift 2
	timeout 5 ip netns exec "$ns" "$BIRDC" -s "$dir/sock" "$@"
}

_bird_ready() {
	_bird_cli "$1" "$2" show status | grep -q 'Daemon is up'
}

_bird_state() {
	_bird_cli "$1" "$2" show protocols all "$(_bird_proto "$3")" |
	    sed -n 's/^ *BGP state: *\([A-Za-z]*\).*/\1/p'
}

_bird_show() {
	_bird_cli "$1" "$2" show protocols all "$(_bird_proto "$3")"
}

# ---------------------------------------------------------------- FRR bgpd
# /usr/lib/frr/bgpd run directly: -Z no zebra, -S no user switch, -P 0 no
# vty TCP port, --vty_socket DIR for vtysh, -i pidfile. Without zebra bgpd
# still listens on 179 and does TCP MD5 itself. Only the transport's
# address family is activated (no bgp default ipv4-unicast).

_frr_conf() {
	local n=$O_neighbor
	cat <<EOF
frr defaults traditional
hostname $2
log stdout debugging
debug bgp neighbor-events
!
router bgp $O_as
 bgp router-id $O_router_id
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 neighbor $n remote-as $O_peer_as
${O_password:+ neighbor $n password $O_password
} neighbor $n timers $O_keepalive $O_hold
 neighbor $n timers connect $O_retry
${O_addr:+ neighbor $n update-source $O_addr
} !
 address-family ipv$O_af unicast
  neighbor $n activate
 exit-address-family
!
EOF
}

_frr_spawn() {
	mkdir -p "$1/vty"
	dxt_spawn "$1" "$2" "$FRR_BGPD" -Z -S -P 0 -f "$1/conf" \
	    -i "$1/pidfile" --vty_socket "$1/vty"
}

_frr_cli() {
	timeout 5 ip netns exec "$2" "$VTYSH" --vty_socket "$1/vty" -d bgpd \
	    -c "$3"
}

_frr_ready() {
	_frr_cli "$1" "$2" "show bgp summary"
}

_frr_state() {
	_frr_cli "$1" "$2" "show bgp neighbors $3 json" |
	    sed -n 's/.*"bgpState": *"\([A-Za-z]*\)".*/\1/p'
}

_frr_show() {
	_frr_cli "$1" "$2" "show bgp neighbors $3"
}

# ---------------------------------------------------------------- GoBGP
# gobgpd -f CONF -t toml, gRPC API on 127.0.0.1:API_PORT inside the
# namespace (each namespace has its own loopback), no pprof listener.

_gobgp_conf() {
	cat <<EOF
[global.config]
  as = $O_as
  router-id = "$O_router_id"
  port = 179

[[neighbors]]
  [neighbors.config]
    neighbor-address = "$O_neighbor"
    peer-as = $O_peer_as
${O_password:+    auth-password = \"$O_password\"
}  [neighbors.timers.config]
    connect-retry = $O_retry
    hold-time = $O_hold
    keepalive-interval = $O_keepalive
${O_addr:+  [neighbors.transport.config]
    local-address = \"$O_addr\"
}  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv$O_af-unicast"
EOF
	echo "$O_api_port" >"$1/api_port"
}

_gobgp_spawn() {
	dxt_spawn "$1" "$2" "$GOBGPD" -f "$1/conf" -t toml -p --pprof-disable \
	    --api-hosts "127.0.0.1:$(cat "$1/api_port")"
}

_gobgp_cli() {
	local dir=$1 ns=$2
	shift 2
	timeout 5 ip netns exec "$ns" "$GOBGP" -u 127.0.0.1 \
	    -p "$(cat "$dir/api_port")" "$@"
}

_gobgp_ready() {
	_gobgp_cli "$1" "$2" global
}

_gobgp_state() {
	_gobgp_cli "$1" "$2" neighbor "$3" |
	    sed -n 's/^ *BGP state = \([A-Za-z_]*\).*/\1/p'
}

_gobgp_show() {
	_gobgp_cli "$1" "$2" neighbor "$3"
}

# ---------------------------------------------------------------- OpenBGPD
# bgpd -d -v -f CONF, control socket from the config ("socket PATH"),
# bgpctl -s PATH. bgpd chroots its session engine into the home of
# _openbgpd, /run/openbgpd, which systemd creates (RuntimeDirectory) and
# which is missing otherwise: bgpd gets a private tmpfs over /run in the
# mount namespace `ip netns exec` makes, so nothing outside is touched.
# "fib-update no": never touch a routing table. connect-retry is global.

_openbgpd_conf() {
	cat <<EOF
AS $O_as
router-id $O_router_id
fib-update no
socket "$1/sock"
connect-retry $O_retry
holdtime $O_hold

neighbor $O_neighbor {
	remote-as $O_peer_as
	descr "dxt"
	holdtime $O_hold
${O_addr:+	local-address $O_addr
}${O_password:+	tcp md5sig password $O_password
}}

allow from any
allow to any
EOF
}

_openbgpd_spawn() {
	if ! "$OPENBGPD" -n -f "$1/conf" >>"$1/log" 2>&1; then
		echo "openbgpd rejected its config:"
		cat "$1/conf" "$1/log"
		return 1
	fi
	# shellcheck disable=SC2016 # expanded by that sh
	dxt_spawn "$1" "$2" /bin/sh -c \
	    'mount -t tmpfs -o mode=0755 dxt /run && mkdir /run/openbgpd &&
	     exec "$0" -d -v -f "$1"' "$OPENBGPD" "$1/conf"
}

_openbgpd_cli() {
	local dir=$1 ns=$2
	shift 2
	timeout 5 ip netns exec "$ns" "$BGPCTL" -s "$dir/sock" "$@"
}

_openbgpd_ready() {
	_openbgpd_cli "$1" "$2" show summary
}

_openbgpd_state() {
	_openbgpd_cli "$1" "$2" show neighbor "$3" |
	    sed -n 's/^ *BGP state = \([A-Za-z]*\).*/\1/p'
}

_openbgpd_show() {
	_openbgpd_cli "$1" "$2" show neighbor "$3"
}

# ---------------------------------------------------------------- dxbgpd
# dxbgpd -d -f CONF -S SOCK -p 179, stderr to its log. The config is
# checked with -n first (a rejection is printed, the start still tried).

_dxbgpd_conf() {
	local n=$O_neighbor
	echo "hostname dx"
	echo "router bgp $O_as"
	echo " bgp router-id $O_router_id"
	echo " no bgp ebgp-requires-policy"
	echo " bgp allow-martian-nexthop"
	echo " neighbor $n remote-as $O_peer_as"
	[ -n "$O_password" ] && echo " neighbor $n password $O_password"
	echo " neighbor $n timers $O_keepalive $O_hold"
	echo " neighbor $n timers connect $O_retry"
	[ -n "$O_addr" ] && echo " neighbor $n update-source $O_addr"
	return 0
}

# dx_start NAME NS KEY=VALUE...: as peer_start, for dxbgpd; waits until it
# listens on port 179 (5 s; carries on if it does not, to let the
# sessions tell).
dx_start() {
	local name=$1 ns=$2 dir i out
	shift 2
	dir=$(_dxt_dir "$name")
	mkdir -p "$dir"
	echo dxbgpd >"$dir/kind"
	echo "$ns" >"$dir/ns"
	printf '%q ' "$@" >"$dir/args"
	if ! dx_available; then
		echo "$name: $DXBGPD is not built"
		return 1
	fi
	_dxt_opts "$ns" hold=30 keepalive=10 "$@" || return 1
	if [ -n "$O_conf" ]; then
		cp "$O_conf" "$dir/conf" || return 1
	else
		_dxbgpd_conf >"$dir/conf"
	fi
	if ! out=$("$DXBGPD" -n -f "$dir/conf" 2>&1); then
		echo "$name: dxbgpd -n rejects the config (starting it anyway):"
		echo "$out" | sed 's/^/    /'
	fi
	dxt_spawn "$dir" "$ns" "$DXBGPD" -d -f "$dir/conf" -S "$dir/sock" -p 179
	for ((i = 0; i < 50; i++)); do
		if ! peer_alive "$name"; then
			echo "$name: dxbgpd exited while starting (log below); config:"
			sed 's/^/    | /' "$dir/conf"
			return 1
		fi
		ip netns exec "$ns" ss -Hltn 'sport = :179' 2>/dev/null |
		    grep -q . && return 0
		sleep 0.1
	done
	echo "$name: dxbgpd does not listen on port 179 after 5s (carrying on)"
	return 0
}

dx_alive() {
	peer_alive "$1"
}

dx_stop() {
	peer_stop "$1"
}

# dxbgpd has no state reader of its own here (the peers' CLIs are the
# judges); if dxsh is built, _dxbgpd_show asks it for the summary.
_dxbgpd_sh() {
	local sh
	for sh in ${DXSH:-} "$DXT_TOP"/build/default/shell/dxsh; do
		[ -x "$sh" ] && { echo "$sh"; return 0; }
	done
	return 1
}

# The state dxbgpd reports, from `show bgp neighbors X json`.
_dxbgpd_state() {
	local sh
	sh=$(_dxbgpd_sh) || return 1
	timeout 5 "$sh" -S "$1/sock" -c "show bgp neighbors $3 json" |
	    sed -n 's/^{"[^"]*":{[^}]*"state":"\([A-Za-z]*\).*/\1/p'
}

_dxbgpd_show() {
	local sh
	for sh in ${DXSH:-} "$DXT_TOP"/build/default/shell/dxsh; do
		if [ -x "$sh" ]; then
			timeout 5 "$sh" -S "$1/sock" -c "show bgp summary"
			return
		fi
	done
	echo "(dxsh not built)"
}

# ---------------------------------------------------------------- dxbgpd
# session suite, shared by session_KIND.sh: each case pairs one peer
# daemon (in NS_PEER, 10.0.0.1 / fd00::1) with dxbgpd (in NS_DX, 10.0.0.2
# / fd00::2). ASNs: the reference AWS link (peer 64512, us 62610), or
# 4-octet ASNs on both sides (peer 4200000002, us 4200000001).

DX_AS=62610
DX_PEER_AS=64512
DX_AS4=4200000001
DX_PEER_AS4=4200000002

# _dxs_setup KIND AF PEER_PASSWORD DX_PASSWORD DX_AS PEER_AS
_dxs_setup() {
	local kind=$1 af=$2 ppw=$3 dpw=$4 das=$5 pas=$6 pa da dxaddr=
	netns_pair || return 1
	if [ "$af" = 6 ]; then
		pa=$PEER6 da=$DX6
	else
		pa=$PEER4 da=$DX4 dxaddr=addr=$DX4
	fi
	DXS_DX_ADDR=$da
	dx_start dx "$NS_DX" as="$das" router_id="$DX4" neighbor="$pa" \
	    peer_as="$pas" ${dpw:+password="$dpw"} $dxaddr \
	    hold=30 keepalive=10 retry=2 || return 1
	peer_start "$kind" "$kind" "$NS_PEER" as="$pas" router_id="$PEER4" \
	    neighbor="$da" peer_as="$das" addr="$pa" ${ppw:+password="$ppw"} \
	    hold=90 keepalive=30 retry=2 || return 1
}

_dxs_still_running() {
	if ! dx_alive dx; then
		echo "dxbgpd is no longer running"
		return 1
	fi
}

# _dxs_up KIND AF PEER_PASSWORD DX_PASSWORD DX_AS PEER_AS
_dxs_up() {
	_dxs_setup "$@" || return 1
	wait_established "$1" "$DXS_DX_ADDR" || return 1
	_dxs_still_running
}

_dxs_wrong_md5() {
	_dxs_setup "$1" 4 wrong-s3cret s3cret "$DX_AS" "$DX_PEER_AS" || return 1
	never_established "$1" "$DXS_DX_ADDR" 10 || return 1
	_dxs_still_running
}

_dxs_restart() {
	local kind=$1
	_dxs_setup "$kind" 4 s3cret s3cret "$DX_AS" "$DX_PEER_AS" || return 1
	wait_established "$kind" "$DXS_DX_ADDR" || return 1
	echo "stopping $kind by its PID"
	peer_stop "$kind"
	if peer_alive "$kind"; then
		echo "$kind did not stop"
		return 1
	fi
	sleep 1
	echo "starting $kind again"
	peer_restart "$kind" || return 1
	wait_established "$kind" "$DXS_DX_ADDR" || return 1
	_dxs_still_running
}

# dx_session_suite KIND: the session cases against one kind of peer.
dx_session_suite() {
	local kind=$1 why='' c
	local -a cases=(
	    "IPv4 session with TCP MD5 reaches Established"
	    "IPv4 session without MD5 reaches Established"
	    "IPv6 transport session reaches Established"
	    "4-octet ASNs on both sides ($DX_AS4, $DX_PEER_AS4) reach Established"
	    "wrong MD5 password never reaches Established (10 s)"
	    "session comes back after $kind is restarted"
	)
	dxt_init
	if ! why=$(dxt_need_root); then
		:
	elif ! peer_available "$kind"; then
		why="$kind not installed; scripts/setup.sh --test --peers"
	elif ! dx_available; then
		why="dxbgpd not built: $DXBGPD"
	fi
	if [ -n "$why" ]; then
		for c in "${cases[@]}"; do
			dxt_skip "$kind: $c" "$why"
		done
		dxt_finish
	fi
	dxt_case "$kind: ${cases[0]}" _dxs_up "$kind" 4 s3cret s3cret \
	    "$DX_AS" "$DX_PEER_AS"
	dxt_case "$kind: ${cases[1]}" _dxs_up "$kind" 4 "" "" \
	    "$DX_AS" "$DX_PEER_AS"
	dxt_case "$kind: ${cases[2]}" _dxs_up "$kind" 6 "" "" \
	    "$DX_AS" "$DX_PEER_AS"
	dxt_case "$kind: ${cases[3]}" _dxs_up "$kind" 4 "" "" \
	    "$DX_AS4" "$DX_PEER_AS4"
	dxt_case "$kind: ${cases[4]}" _dxs_wrong_md5 "$kind"
	dxt_case "$kind: ${cases[5]}" _dxs_restart "$kind"
	dxt_finish
}
