#!/bin/bash
# export_slow.sh: a subscriber that reads slowly while a million routes
# change. Its memory in dxbgpd stays bounded, its final table is exactly
# the fast subscriber's, and the BGP sessions do not notice.
#
#   bgpblast feed A  AS 65001  10.0.0.1 --+
#                                         +-- 10.0.0.2  dxbgpd  AS 65000
#   bgpblast feed B  AS 65002  10.0.0.3 --+        |  export listen unix
#                                          dxsub "fast"  dxsub "slow" (-w)
#
# Both feeders send the same XS_N prefixes (default 1,000,000), each with
# itself as next hop; A's paths win (lower router ID). Steps:
#   1. A sends its table: XS_N adds in the stream;
#   2. B sends the same table: no change of the selection;
#   3. A is stopped (its session drops): XS_N routes move to B.
# The slow subscriber takes a few MB per second, far less than the
# daemon makes; it falls behind the journal and is sent snapshots, with
# the per-prefix coalescing in between. Checked:
#   - at the end both subscribers hold XS_N routes, all via 10.0.0.3,
#     with the same digest of the whole table as the fast one;
#   - `show export json` never showed more than 1.25 MB queued for it,
#     and dxbgpd's RSS grew by less than 64 MB after both tables were in
#     (journal, snapshot lists, buffers);
#   - B's session was never reset.
#
# Needs root, gcc, jq and dxbgpd (dxsh and dxsub too); otherwise a skip.
# About 40 seconds.
. "$(dirname "$0")/lib.sh"

: "${XS_N:=1000000}"
: "${XS_SLOW:=1}"	# ms between the slow subscriber's 4 KB reads
: "${DXSUB:=$DXT_TOP/build/default/tests/tools/dxsub}"

_xs_sh() {
	timeout 10 "$(_dxbgpd_sh)" -S "$DXT_CASE_DIR/dx/sock" -c "$1"
}

# _xs_feed NAME ADDR AS: a bgpblast feeder in NS_PEER, waiting for USR1.
_xs_feed() {
	local dir=$DXT_CASE_DIR/$1
	mkdir -p "$dir"
	echo bgpblast >"$dir/kind"
	echo "$NS_PEER" >"$dir/ns"
	dxt_spawn "$dir" "$NS_PEER" "$DXT_CASE_DIR/bgpblast" feed -l "$2" \
	    -p 10.0.0.2 -a "$3" -A 65000 -n "$XS_N" -w
}

_xs_signal() {
	local pid st
	read -r pid st <"$DXT_CASE_DIR/$1/pid"
	dxt_alive "$pid" "$st" && kill -"$2" "$pid"
}

# _xs_rcvd ADDR: routes dxbgpd holds from neighbor ADDR.
_xs_rcvd() {
	_xs_sh "show bgp summary json" |
	    jq -r --arg a "$1" '.peers[$a].pfxRcd // 0'
}

_xs_wait_rcvd() {
	local end=$((SECONDS + 60)) n
	while :; do
		n=$(_xs_rcvd "$1")
		[ "$n" = "$2" ] && return 0
		if [ $SECONDS -ge $end ]; then
			echo "dx: $n routes from $1 after 60 s, expected $2"
			return 1
		fi
		sleep 0.5
	done
}

_xs_rss() {
	local pid st
	read -r pid st <"$DXT_CASE_DIR/dx/pid"
	awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"
}

_xs_case() {
	local c=$DXT_CASE_DIR sub rss0 rss rssmax q maxq=0 i n fast slow
	sub=$DXSUB
	netns_pair || return 1
	ip -n "$NS_PEER" addr add 10.0.0.3/24 dev dxt0 || return 1
	if ! gcc -O2 -I"$DXT_TOP/include" -I"$DXT_TOP/bgpd" \
	    "$DXT_TOP/bench/bgpblast.c" "$DXT_TOP"/bgpd/wire_*.c \
	    -o "$c/bgpblast"; then
		echo "cannot build bgpblast"
		return 1
	fi
	_xs_feed a 10.0.0.1 65001
	_xs_feed b 10.0.0.3 65002
	cat >"$c/dx.conf" <<EOF
export listen unix $c/export.sock
export startup-delay 0
router bgp 65000
 bgp router-id 10.0.0.2
 no bgp ebgp-requires-policy
 neighbor 10.0.0.1 remote-as 65001
 neighbor 10.0.0.1 timers connect 1
 neighbor 10.0.0.3 remote-as 65002
 neighbor 10.0.0.3 timers connect 1
exit
EOF
	for i in a b; do
		for ((n = 0; n < 600; n++)); do
			grep -q '^ready' "$c/$i/log" && break
			sleep 0.1
		done
	done
	dx_start dx "$NS_DX" conf="$c/dx.conf" || return 1
	wait_established dx 10.0.0.1 30 || return 1
	wait_established dx 10.0.0.3 30 || return 1

	ip netns exec "$NS_DX" "$sub" -s "$c/export.sock" -n fast -q \
	    -x idle:8000 >"$c/fast.out" 2>&1 &
	fast=$!
	ip netns exec "$NS_DX" "$sub" -s "$c/export.sock" -n slow -q \
	    -w "$XS_SLOW" -x idle:8000 >"$c/slow.out" 2>&1 &
	slow=$!
	sleep 0.5

	_xs_signal a USR1
	_xs_wait_rcvd 10.0.0.1 "$XS_N" || return 1
	echo "1: A's $XS_N routes are in"
	_xs_signal b USR1
	_xs_wait_rcvd 10.0.0.3 "$XS_N" || return 1
	echo "2: B's $XS_N routes are in (A's still selected)"
	rss0=$(_xs_rss) rssmax=0
	_xs_signal a TERM
	echo "3: A stopped: every route moves to B"
	# Until both subscribers have gone idle (8 s without a route).
	while kill -0 "$slow" 2>/dev/null || kill -0 "$fast" 2>/dev/null; do
		q=$(_xs_sh "show export json" | jq '[.subscribers[] |
		    select(.name == "slow") | .queuedBytes] | max // 0')
		[ "${q:-0}" -gt "$maxq" ] && maxq=$q
		rss=$(_xs_rss)
		[ "$rss" -gt "$rssmax" ] && rssmax=$rss
		sleep 0.5
	done
	wait "$fast" "$slow"
	grep '^state' "$c/fast.out" | sed 's/^/fast: /'
	grep '^state' "$c/slow.out" | sed 's/^/slow: /'
	fast=$(awk '$1 == "state" { print $4, $5 }' "$c/fast.out")
	slow=$(awk '$1 == "state" { print $4, $5 }' "$c/slow.out")
	if [ "$fast" != "$slow" ] || [ "${fast%% *}" != "routes=$XS_N" ]; then
		echo "the subscribers' final tables differ, or are not $XS_N"
		return 1
	fi
	echo "final tables: both $fast"
	_xs_sh "show export json" | jq -c '.subscribers[]? |
	    {name, snapshots, coalesced, routesSent}' | sed 's/^/export: /'
	grep -c 'fell behind the journal' "$c/dx/log" |
	    sed 's/^/slow: new snapshots after falling behind: /'
	echo "slow: at most $maxq bytes queued in dxbgpd; its RSS" \
	    "$((rss0 / 1024)) MB with both tables, at most" \
	    "$((rssmax / 1024)) MB after"
	[ "$maxq" -le $((1280 * 1024)) ] || return 1
	[ $((rssmax - rss0)) -lt $((64 * 1024)) ] || return 1
	n=$(_xs_sh "show bgp neighbors json" |
	    jq -r '.["10.0.0.3"].establishedTransitions')
	echo "B's session: established $n time(s)"
	[ "$n" = 1 ] && dx_alive dx
}

dxt_init
why=$(dxt_why_not)
[ -z "$why" ] && [ ! -x "$DXSUB" ] && why="not built: $DXSUB"
[ -z "$why" ] && ! command -v gcc >/dev/null && why="needs gcc (bgpblast)"
name="export: a slow subscriber while $XS_N routes change"
if [ -n "$why" ]; then
	dxt_skip "$name" "$why"
else
	dxt_case "$name" _xs_case
fi
dxt_finish
