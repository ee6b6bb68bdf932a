#!/bin/bash
# bigtable.sh: the shell on a large table. `show bgp ipv4 unicast json`
# of BT_N routes (default 300,000; about 115 MB of JSON) is made in parts
# as dxsh reads it: all of it arrives and parses, a slow reader holds
# nothing up (another dxsh gets `show bgp summary` at once meanwhile),
# and the BGP session stays up.
#
#   bgpblast feed  AS 65001  10.0.0.1 --- 10.0.0.2  dxbgpd  AS 65000
#
# bgpblast (bench/bgpblast.c, built here) sends the table; dxbgpd
# connects to it.
#
# Needs root, gcc, jq and dxbgpd (dxsh too); otherwise a skip. About 30
# seconds.
. "$(dirname "$0")/lib.sh"

: "${BT_N:=300000}"

_bt_dxsh() {
	timeout 60 "$(_dxbgpd_sh)" -S "$DXT_CASE_DIR/dx/sock" -c "$1"
}

_bt_case() {
	local c=$DXT_CASE_DIR n t0 t1 ms slow
	netns_pair || return 1
	if ! gcc -O2 -I"$DXT_TOP/include" -I"$DXT_TOP/bgpd" \
	    "$DXT_TOP/bench/bgpblast.c" "$DXT_TOP"/bgpd/wire_*.c \
	    -o "$c/bgpblast"; then
		echo "cannot build bgpblast"
		return 1
	fi
	mkdir -p "$c/feed"
	echo bgpblast >"$c/feed/kind"
	echo "$NS_PEER" >"$c/feed/ns"
	dxt_spawn "$c/feed" "$NS_PEER" "$c/bgpblast" feed -l 10.0.0.1 \
	    -p 10.0.0.2 -a 65001 -A 65000 -n "$BT_N"
	cat >"$c/dx.conf" <<EOF
router bgp 65000
 bgp router-id 10.0.0.2
 no bgp ebgp-requires-policy
 neighbor 10.0.0.1 remote-as 65001
 neighbor 10.0.0.1 timers connect 2
exit
EOF
	dx_start dx "$NS_DX" conf="$c/dx.conf" || return 1
	for ((t0 = SECONDS; SECONDS - t0 < 60; )); do
		n=$(_bt_dxsh "show bgp summary json" |
		    jq '.peers["10.0.0.1"].pfxRcd // 0')
		[ "$n" = "$BT_N" ] && break
		sleep 1
	done
	echo "dx: $n routes from the feeder"
	[ "$n" = "$BT_N" ] || return 1

	# A reader that takes its time: the daemon must not wait for it.
	(
		_bt_dxsh "show bgp ipv4 unicast json" | { sleep 3; cat; } |
		    jq '.routes | length' >"$c/count"
	) &
	slow=$!
	sleep 1
	t0=$(date +%s%N)
	_bt_dxsh "show bgp summary" >/dev/null || return 1
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	echo "dx: show bgp summary answered in $ms ms while the table was read"
	wait "$slow"
	echo "dx: the JSON table holds $(cat "$c/count") prefixes"
	[ "$(cat "$c/count")" = "$BT_N" ] || return 1
	[ "$ms" -lt 1000 ] || return 1
	n=$(_bt_dxsh "show bgp ipv4 unicast" | tail -n 1)
	echo "dx: text table: $n"
	[ "$n" = "Displayed $BT_N paths" ] || return 1
	n=$(_bt_dxsh "show bgp neighbors 10.0.0.1 routes json" |
	    jq '.totalPrefixes')
	echo "dx: neighbor routes: $n"
	[ "$n" = "$BT_N" ] || return 1
	n=$(_bt_dxsh "show bgp neighbors json" |
	    jq -r '.["10.0.0.1"] | "\(.state) \(.establishedTransitions)"')
	echo "dx: session $n"
	[ "$n" = "Established 1" ] || return 1
	dx_alive dx
}

dxt_init
if why=$(dxt_why_not) && ! command -v gcc >/dev/null; then
	why="needs gcc"
fi
name="large table: $BT_N routes shown in parts; a slow reader holds nothing up"
if [ -n "$why" ]; then
	dxt_skip "$name" "$why"
else
	dxt_case "$name" _bt_case
fi
dxt_finish
