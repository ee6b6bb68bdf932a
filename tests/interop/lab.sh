#!/bin/bash
# lab.sh: the main job, scripts/lab.sh, as a user runs it: start, the
# lab's own checks, HA failover, stop.  The lab gets its own state
# directory and namespace prefix (dxlt-PID-*), so it never touches a lab
# a user has running, and short timers (hold 6 s, keepalive 2 s, connect
# retry 2 s); setup and build are skipped (LAB_NO_SETUP=1) and the
# programs are the build's (DXBGPD, and dxsh and dxprog next to it).
#
# 1. `lab.sh start` exits 0 having printed `show bgp summary`, every
#    cloud's routes and table 100, the dxsh command line and how to stop
#    it, and its checks all ok.  Checked here too, with ip(8), birdc and
#    vtysh: its five namespaces exist and its five processes run (state
#    file); table 100 of dxbgpd's namespace holds exactly AWS's three
#    CIDRs via 10.0.0.1 and Tencent's two via the primary 10.0.2.1
#    (protocol 201); BIRD (AWS) holds Tencent's CIDRs, both FRRs
#    (Tencent) AWS's; the session printed in `show bgp summary` is
#    Established; without 802.1Q, both the lab and dxbgpd's log say so.
# 2. A second `start` while it runs says so, exits 1, and changes
#    nothing (same processes, same state file); `status` and `check`
#    pass.
# 3. `failover link`: the primary's port on the Tencent VLAN's bridge is
#    cut.  Sampled every 0.2 s, independently of the lab: table 100's
#    next hop for 10.20.0.0/17 moves to the secondary 10.0.2.3 within the
#    hold time (+1 s) of the cut, and back to 10.0.2.1 once the port is
#    up again; the lab says so and exits 0.
# 4. `failover shutdown` (FRR's `neighbor shutdown`): the same, at once.
# 5. `stop`: no namespace dxlt-PID-*, none of the lab's processes, no
#    state file and no lab directory left; `status` then says no lab
#    runs and exits 1.  A state file lab.sh did not write is refused by
#    `stop`, which then deletes nothing.
#
# Needs root, BIRD, FRR, jq and the build (dxbgpd, dxsh, dxprog);
# otherwise a skip.  About 40 s.
: "${DXT_TIMEOUT:=240}"
. "$(dirname "$0")/lib.sh"

LAB=$DXT_TOP/scripts/lab.sh
BUILD=$(cd "$(dirname "$DXBGPD")/.." 2>/dev/null && pwd)
: "${DXSH:=$BUILD/shell/dxsh}"
: "${DXPROG:=$BUILD/programmer/dxprog}"
HOLD=6

# _lt ARG...: scripts/lab.sh with this test's environment.
_lt() {
	LAB_DIR=$DXT_TMP/labstate LAB_PREFIX=dxlt-$$ LAB_NO_SETUP=1 \
	    LAB_HOLD=$HOLD LAB_CONNECT=2 LAB_WAIT=40 \
	    DXBGPD=$DXBGPD DXSH=$DXSH DXPROG=$DXPROG "$LAB" "$@"
}

NS_LDX=dxlt-$$-dx
NS_LSW=dxlt-$$-sw

_lt_expect() {
	if [ "$2" != "$3" ]; then
		echo "FAIL: $1: got '$2', want '$3'"
		return 1
	fi
	echo "$1: $2"
}

# What the state file lists.
_lt_pids() {
	awk '$1 == "pid" { print $4, $5 }' "$STATE"
}

_lt_table() {
	ip -n "$NS_LDX" -j route show table 100 | jq -r '
	    .[] | "\(.dst) \(.gateway) \(.protocol)"' | LC_ALL=C sort
}

_lt_start() {
	local out=$DXT_CASE_DIR/start.out rc n pid st want
	_lt start >"$out" 2>&1
	rc=$?
	cat "$out"
	_lt_expect "lab.sh start: exit status" "$rc" 0 || return 1
	_lt_expect "checks ok" "$(grep -c '^  ok ' "$out")" 7 || return 1
	_lt_expect "checks failed" "$(grep -c '^  FAIL ' "$out")" 0 || return 1
	for want in "show bgp summary" "route show table 100" \
	    "-S /tmp/dxbgp-lab." "scripts/lab.sh stop" "failover"; do
		grep -qF -- "$want" "$out" ||
		    { echo "FAIL: the output does not say '$want'"; return 1; }
	done
	grep -Eq '^10\.0\.2\.1 +45090 .* 2 ' "$out" ||
	    { echo "FAIL: show bgp summary: no 2 routes from 10.0.2.1"; return 1; }
	_lt_expect "namespaces dxlt-$$-*" \
	    "$(ip netns list | grep -c "^dxlt-$$-")" 5 || return 1
	n=0
	while read -r pid st; do
		dxt_alive "$pid" "$st" && n=$((n + 1))
	done < <(_lt_pids)
	_lt_expect "processes of the lab running" "$n" 5 || return 1
	want="10.20.0.0/17 10.0.2.1 201
10.20.128.0/17 10.0.2.1 201
172.31.0.0/16 10.0.0.1 201
172.31.1.0/24 10.0.0.1 201
172.31.2.0/24 10.0.0.1 201"
	[ "$(_lt_table | sed 's/ dxprog$/ 201/')" = "$want" ] || {
		echo "FAIL: table 100 is not as expected:"
		_lt_table
		return 1
	}
	echo "table 100: AWS's CIDRs via 10.0.0.1, Tencent's via 10.0.2.1"
	timeout 5 ip netns exec "dxlt-$$-aws" "$BIRDC" \
	    -s "$(awk '$1 == "tmp" { print $2 }' "$STATE")/aws/sock" \
	    show route protocol p_10_0_0_2 | tee "$DXT_CASE_DIR/bird" |
	    grep -q '^10.20.128.0/17 ' ||
	    { echo "FAIL: BIRD lacks 10.20.128.0/17"; cat "$DXT_CASE_DIR/bird"; return 1; }
	echo "BIRD (AWS) holds Tencent's 10.20.128.0/17"
	if ! ip -n "$NS_LDX" link add link eth0 name probe.9 type vlan id 9 \
	    2>/dev/null; then
		grep -q "no 802.1Q VLAN links: this kernel has no 802.1Q support (module 8021q" "$out" ||
		    { echo "FAIL: the lab does not say it runs untagged"; return 1; }
		echo "the lab says it runs untagged"
		_lt_expect "dxbgpd's log lines saying 802.1Q is missing" "$(grep -c \
		    "cannot create VLAN .*: the kernel has no 802.1Q support (module 8021q)" \
		    "$(awk '$1 == "tmp" { print $2 }' "$STATE")/dx/log")" 2 || return 1
	else
		ip -n "$NS_LDX" link del probe.9
		ip -n "$NS_LDX" -d link show eth0.5 | grep -q "vlan protocol 802.1Q id 5" ||
		    { echo "FAIL: dxbgpd did not make eth0.5"; return 1; }
		echo "dxbgpd made VLAN 5 on eth0"
	fi
}

_lt_again() {
	local before after out rc
	before=$(cat "$STATE")
	out=$(_lt start 2>&1)
	rc=$?
	echo "$out"
	_lt_expect "second start: exit status" "$rc" 1 || return 1
	grep -q "already running" <<<"$out" ||
	    { echo "FAIL: it does not say a lab runs"; return 1; }
	after=$(cat "$STATE")
	[ "$before" = "$after" ] || { echo "FAIL: the state changed"; return 1; }
	_lt_expect "namespaces" "$(ip netns list | grep -c "^dxlt-$$-")" 5 ||
	    return 1
	_lt status >"$DXT_CASE_DIR/status" 2>&1 ||
	    { echo "FAIL: status"; cat "$DXT_CASE_DIR/status"; return 1; }
	_lt_expect "status: checks ok" \
	    "$(grep -c '^  ok ' "$DXT_CASE_DIR/status")" 7 || return 1
	_lt check || { echo "FAIL: check"; return 1; }
}

# _lt_sample FILE: every 0.2 s, "TIME PORT NEXTHOP": the state of the
# primary's bridge port and table 100's next hop for 10.20.0.0/17.
_lt_sample() {
	local port nh
	while :; do
		port=$(ip -n "$NS_LSW" -j link show p-tc1 2>/dev/null |
		    jq -r '.[0].flags | if index(["UP"]) then "up" else "down" end')
		nh=$(ip -n "$NS_LDX" -j route show table 100 10.20.0.0/17 \
		    2>/dev/null | jq -r '.[0].gateway // "-"')
		echo "$(date +%s.%N) $port $nh"
		sleep 0.2
	done
}

# _lt_failover MODE MAX: MAX seconds at most from the primary going
# down to table 100 using the secondary.
_lt_failover() {
	local mode=$1 max=$2 out rc sp f=$DXT_CASE_DIR/samples
	_lt_sample >"$f" &
	sp=$!
	out=$(_lt failover "$mode" 2>&1)
	rc=$?
	sleep 0.5
	kill "$sp"
	wait "$sp" 2>/dev/null
	echo "$out" | grep -E '^lab:|^  (ok|FAIL) '
	_lt_expect "lab.sh failover $mode: exit status" "$rc" 0 || return 1
	grep -q "the secondary 10.0.2.3 carries Tencent's routes" <<<"$out" &&
	    grep -q "routes are back on the primary 10.0.2.1" <<<"$out" ||
	    { echo "FAIL: the lab does not say both moves"; return 1; }
	# From the samples: down (the port, or the first sample for
	# shutdown), the move to 10.0.2.3, the way back to 10.0.2.1.
	awk -v mode="$mode" -v max="$max" '
	$2 == "down" && !cut { cut = $1 }
	$3 == "10.0.2.3" && !moved {
		moved = $1
		if (mode == "link") {
			if (!cut) { print "FAIL: moved before the cut"; bad = 1 }
			else if (moved - cut > max) {
				printf "FAIL: moved %.1f s after the cut, more than %s\n", moved - cut, max
				bad = 1
			} else
				printf "table 100: via 10.0.2.3 %.1f s after the cut (hold time %s s)\n", moved - cut, max - 1
		} else
			print "table 100: via 10.0.2.3"
	}
	$3 == "10.0.2.1" && moved && !back { back = $1
		print "table 100: back via 10.0.2.1" }
	END {
		if (!moved) { print "FAIL: table 100 never used 10.0.2.3"; bad = 1 }
		if (!back) { print "FAIL: table 100 never came back to 10.0.2.1"; bad = 1 }
		exit bad
	}' "$f" || { echo "samples:"; cat "$f"; return 1; }
}

_lt_link() {
	_lt_failover link $((HOLD + 1))
}

_lt_shutdown() {
	_lt_failover shutdown 3
}

_lt_stop() {
	local tmp pids pid st n=0 out
	tmp=$(awk '$1 == "tmp" { print $2 }' "$STATE")
	pids=$(_lt_pids)
	_lt stop || { echo "FAIL: lab.sh stop failed"; return 1; }
	_lt_expect "namespaces dxlt-$$-* left" \
	    "$(ip netns list | grep -c "^dxlt-$$-")" 0 || return 1
	[ -n "$pids" ] || { echo "FAIL: no pid in the state file"; return 1; }
	while read -r pid st; do
		dxt_alive "$pid" "$st" && { echo "FAIL: pid $pid runs"; n=$((n + 1)); }
	done <<<"$pids"
	_lt_expect "processes of the lab left" "$n" 0 || return 1
	[ ! -e "$STATE" ] || { echo "FAIL: $STATE left"; return 1; }
	[ -n "$tmp" ] && [ ! -e "$tmp" ] || { echo "FAIL: $tmp left"; return 1; }
	echo "no state file, no $tmp"
	out=$(_lt status 2>&1) && { echo "FAIL: status after stop: $out"; return 1; }
	echo "status: $out"
	# A state file lab.sh did not write: refused, nothing deleted.
	mkdir -p "$(dirname "$STATE")"
	printf 'tmp /etc\nprefix dxlt-%s\n' "$$" >"$STATE"
	out=$(_lt stop 2>&1) && { echo "FAIL: stop took a bad state file"; return 1; }
	echo "stop with a bad state file: $out"
	[ -d /etc ] && [ -e "$STATE" ] || { echo "FAIL: something deleted"; return 1; }
	rm -f "$STATE"
}

# The lab, if a case left it running, is stopped before lib.sh cleans up.
_lt_cleanup() {
	[ -f "$STATE" ] && _lt stop >/dev/null 2>&1
	return 0
}

cases=(
    "lab.sh start: sessions Established, each cloud has the other's CIDRs, table 100 both clouds' via the right next hops"
    "a second start says a lab runs and changes nothing; status and check pass"
    "failover link: table 100 moves to the secondary within the hold time ($HOLD s) of the cut, and back"
    "failover shutdown: table 100 moves to the secondary at once, and back"
    "lab.sh stop: no namespace, process, state or directory of the lab left"
)
funcs=(_lt_start _lt_again _lt_link _lt_shutdown _lt_stop)

dxt_init
STATE=$DXT_TMP/labstate/state
trap 'rc=$?; _lt_cleanup; (exit $rc); dxt_cleanup' EXIT
why=$(dxt_why_not bird frr)
[ -z "$why" ] && [ ! -x "$DXPROG" ] && why="dxprog is not built: $DXPROG"
[ -z "$why" ] && ! command -v setsid >/dev/null && why="needs setsid"
for i in "${!cases[@]}"; do
	if [ -n "$why" ]; then
		dxt_skip "lab: ${cases[i]}" "$why"
	elif [ "$i" -gt 0 ] && [ "$i" -lt 4 ] && [ ! -f "$STATE" ]; then
		dxt_skip "lab: ${cases[i]}" "the lab did not start"
	else
		dxt_case "lab: ${cases[i]}" "${funcs[i]}"
	fi
done
dxt_finish
