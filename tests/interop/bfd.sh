#!/bin/bash
# bfd.sh: BFD (RFC 5880, RFC 5881) between dxbgpd and real peers, each case
# in its own pair of network namespaces (peer 10.0.0.1 / fd00::1, dxbgpd
# 10.0.0.2 / fd00::2, one veth), BFD at 300 ms x 3 on both sides:
#
# 1. FRR (zebra + bfdd + bgpd, `neighbor X bfd`), IPv4 and IPv6: both BFD
#    sessions come Up, as dxbgpd (`show bfd peers json`) and bfdd (`show
#    bfd peers json`) say, with BGP Established; then every packet is
#    dropped by nftables inside the peer's namespace and dxbgpd's IPv4
#    BGP session must leave Established in under 1 s from the cut (3 x
#    300 ms detection), with BFD down (diagnostic: detection time
#    expired); the filter removed, BFD and BGP come back by themselves.
# 2. The same with BIRD 2 (`protocol bfd`, `bfd on` in its BGP protocols).
# 3. BIRD without BFD, dxbgpd with `neighbor X bfd` (not strict): BGP is
#    Established and stays so, while dxbgpd's BFD session stays Down.
# 4. The same with `bfd strict`: BGP is never Established while BIRD runs
#    no BFD; BIRD reconfigured with BFD, BFD comes Up and BGP follows.
#
# FRR's bgpd only talks to bfdd through zebra, so all three run, by hand,
# with every socket and pid file in the case directory (zebra and bfdd
# as user frr, which therefore owns that directory). About 60 s.
. "$(dirname "$0")/lib.sh"

FRR_ZEBRA=${FRR_ZEBRA:-/usr/lib/frr/zebra}
FRR_BFDD=${FRR_BFDD:-/usr/lib/frr/bfdd}
: "${DXSH:=$(dirname "$DXBGPD")/../shell/dxsh}"
export DXSH
CUT_LIMIT_MS=${CUT_LIMIT_MS:-1000}

# ---- dxbgpd

# dx_conf STRICT ADDR...: dxbgpd's config, a neighbor with bfd per ADDR.
dx_conf() {
	local strict=$1 a
	shift
	echo "hostname dx"
	echo "router bgp $DX_AS"
	echo " bgp router-id $DX4"
	echo " no bgp ebgp-requires-policy"
	for a in "$@"; do
		echo " neighbor $a remote-as $DX_PEER_AS"
		echo " neighbor $a timers 10 30"
		echo " neighbor $a timers connect 2"
		echo " neighbor $a bfd interval 300 multiplier 3${strict:+ strict}"
	done
	case " $* " in *:*)
		echo " address-family ipv6 unicast"
		for a in "$@"; do
			case $a in *:*) echo "  neighbor $a activate" ;; esac
		done
		echo " exit-address-family" ;;
	esac
}

dxsh_c() {
	timeout 5 "$DXSH" -S "$DXT_CASE_DIR/dx/sock" -c "$1"
}

# dx_bfd PEER: dxbgpd's BFD state for PEER (up, down, init, admin-down).
dx_bfd() {
	dxsh_c "show bfd peers json" |
	    jq -r --arg p "$1" '.[] | select(.peer == $p) | .status'
}

dx_bgp() {
	dxsh_c "show bgp neighbors $1 json" | jq -r '.[].state'
}

# wait_for SECONDS DESCRIPTION CMD...: until CMD succeeds; say how long.
wait_for() {
	local secs=$1 desc=$2 end
	shift 2
	end=$((SECONDS + secs))
	while ! "$@" >/dev/null 2>&1; do
		if [ $SECONDS -ge $end ]; then
			echo "not within ${secs}s: $desc"
			return 1
		fi
		sleep 0.2
	done
	echo "$desc (after $((SECONDS - end + secs))s)"
}

is() {
	[ "$("${@:2}")" = "$1" ]
}

# ---- FRR: zebra, bfdd and bgpd

frr_bgpd_conf() {
	cat <<EOF
frr defaults traditional
hostname frr
log stdout informational
!
router bgp $DX_PEER_AS
 bgp router-id $PEER4
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 neighbor $DX4 remote-as $DX_AS
 neighbor $DX4 timers connect 2
 neighbor $DX4 bfd
 neighbor $DX6 remote-as $DX_AS
 neighbor $DX6 timers connect 2
 neighbor $DX6 bfd
 address-family ipv4 unicast
  neighbor $DX4 activate
 exit-address-family
 address-family ipv6 unicast
  neighbor $DX6 activate
 exit-address-family
!
EOF
}

# frr_spawn NAME KIND CMD...: one FRR daemon as instance NAME.
frr_spawn() {
	local name=$1 kind=$2 dir
	shift 2
	dir=$(_dxt_dir "$name")
	mkdir -p "$dir"
	echo "$kind" >"$dir/kind"
	echo "$NS_PEER" >"$dir/ns"
	dxt_spawn "$dir" "$NS_PEER" "$@"
}

frr_start() {
	local d i
	d=$(_dxt_dir frr)
	mkdir -p "$d/vty"
	echo frr >"$d/kind"
	echo "$NS_PEER" >"$d/ns"
	printf 'hostname frr\nlog stdout informational\n' >"$d/zebra.conf"
	printf 'hostname frr\nlog stdout informational\nbfd\n!\n' \
	    >"$d/bfdd.conf"
	frr_bgpd_conf >"$d/conf"
	# zebra and bfdd switch to user frr: it must reach and own the dir
	chmod o+x "$DXT_TMP" "$DXT_CASE_DIR"
	chown -R frr:frr "$d"
	frr_spawn zebra frr-zebra "$FRR_ZEBRA" -u frr -g frr -P 0 \
	    -f "$d/zebra.conf" -i "$d/zebra.pid" -z "$d/zserv.api" \
	    --vty_socket "$d/vty"
	for ((i = 0; i < 50; i++)); do
		[ -S "$d/zserv.api" ] && break
		sleep 0.1
	done
	frr_spawn bfdd frr-bfdd "$FRR_BFDD" -u frr -g frr -P 0 \
	    -f "$d/bfdd.conf" -i "$d/bfdd.pid" -z "$d/zserv.api" \
	    --bfdctl "$d/bfdd.sock" --vty_socket "$d/vty"
	dxt_spawn "$d" "$NS_PEER" "$FRR_BGPD" -S -P 0 -f "$d/conf" \
	    -i "$d/bgpd.pid" -z "$d/zserv.api" --vty_socket "$d/vty"
	for ((i = 0; i < 100; i++)); do
		_frr_ready "$d" "$NS_PEER" >/dev/null 2>&1 &&
		    frr_bfd_cli "show bfd peers" >/dev/null 2>&1 && return 0
		for n in zebra bfdd frr; do
			peer_alive "$n" && continue
			echo "FRR $n exited while starting"
			return 1
		done
		sleep 0.1
	done
	echo "FRR did not answer on vtysh in 10s"
	return 1
}

frr_bfd_cli() {
	timeout 5 ip netns exec "$NS_PEER" "$VTYSH" \
	    --vty_socket "$(_dxt_dir frr)/vty" -d bfdd -c "$1"
}

# peer_bfd_frr ADDR: bfdd's state of its session to ADDR.
peer_bfd_frr() {
	frr_bfd_cli "show bfd peers json" |
	    jq -r --arg p "$1" '.[] | select(.peer == $p) | .status'
}

# ---- BIRD

bird_conf() {
	local bfd=$1
	echo "log stderr all;"
	echo "router id $PEER4;"
	echo "protocol device { scan time 10; }"
	[ "$bfd" = on ] && cat <<EOF
protocol bfd {
	interface "dxt0" {
		min rx interval 300 ms;
		min tx interval 300 ms;
		multiplier 3;
	};
}
EOF
	cat <<EOF
protocol bgp $(_bird_proto "$DX4") {
	local $PEER4 as $DX_PEER_AS;
	neighbor $DX4 as $DX_AS;
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 2;
	bfd $bfd;
	ipv4 { import all; export none; };
}
EOF
	[ "$2" = 6 ] && cat <<EOF
protocol bgp $(_bird_proto "$DX6") {
	local $PEER6 as $DX_PEER_AS;
	neighbor $DX6 as $DX_AS;
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 2;
	bfd $bfd;
	ipv6 { import all; export none; };
}
EOF
	return 0
}

# peer_bfd_bird ADDR: BIRD's state of its session to ADDR.
peer_bfd_bird() {
	_bird_cli "$(_dxt_dir bird)" "$NS_PEER" show bfd sessions |
	    awk -v a="$1" '$1 == a { print tolower($3) }'
}

# ---- the cases

# start_pair KIND STRICT BIRD_BFD: namespaces, dxbgpd, the peer.
start_pair() {
	local kind=$1 strict=$2 bfd=$3 f
	netns_pair || return 1
	f=$DXT_CASE_DIR/dx.conf
	if [ "$kind" = bird ] && [ "$bfd" = off ]; then
		dx_conf "$strict" "$PEER4" >"$f"
	else
		dx_conf "$strict" "$PEER4" "$PEER6" >"$f"
	fi
	dx_start dx "$NS_DX" conf="$f" || return 1
	if [ "$kind" = frr ]; then
		frr_start
	else
		bird_conf "$bfd" "$([ "$bfd" = on ] && echo 6)" \
		    >"$DXT_CASE_DIR/bird.conf"
		peer_start bird bird "$NS_PEER" conf="$DXT_CASE_DIR/bird.conf"
	fi
}

# all_up KIND: BGP and BFD Up for IPv4 and IPv6, on both sides.
all_up() {
	local kind=$1 pa da
	for pa in "$PEER4" "$PEER6"; do
		[ "$pa" = "$PEER4" ] && da=$DX4 || da=$DX6
		wait_established "$kind" "$da" 20 || return 1
		wait_for 10 "dxbgpd: BFD to $pa is up" is up dx_bfd "$pa" ||
		    return 1
		wait_for 10 "$kind: BFD to $da is up" \
		    is up "peer_bfd_$kind" "$da" || return 1
		wait_for 10 "dxbgpd: BGP to $pa Established" \
		    is Established dx_bgp "$pa" || return 1
	done
	dxsh_c "show bfd peers json" | jq -c '.[] | {peer, status,
	    negotiatedTransmitInterval, detectionTime}'
	dxsh_c "show bfd peers json" | jq -e 'all(.[];
	    .negotiatedTransmitInterval == 300 and .detectionTime == 900)' \
	    >/dev/null || { echo "intervals not negotiated to 300 x 3"; return 1; }
}

# cut: drop everything in the peer's namespace (nftables), or take its
# end of the veth down if nft is missing.
cut() {
	if command -v nft >/dev/null; then
		local c='type filter hook input priority -10; policy drop;'
		ip netns exec "$NS_PEER" nft "add table inet dxtcut;
		    add chain inet dxtcut in { $c }
		    add chain inet dxtcut out { ${c/input/output} }"
	else
		ip -n "$NS_PEER" link set dxt0 down
	fi
}

uncut() {
	if command -v nft >/dev/null; then
		ip netns exec "$NS_PEER" nft delete table inet dxtcut
	else
		ip -n "$NS_PEER" link set dxt0 up
	fi
}

# idle_ms T0: milliseconds from T0 (ns since the epoch) to the last
# "neighbor 10.0.0.1: Established -> Idle" of dxbgpd's log (its clock is
# the same), empty if there is none.
idle_ms() {
	local line ts
	line=$(grep "neighbor $PEER4: Established -> Idle" \
	    "$(_dxt_dir dx)/log" | tail -n 1)
	ts=$(date -d "${line:0:23}" +%s%N 2>/dev/null) || return 0
	echo $(((ts - $1) / 1000000))
}

# cut_and_restore KIND: BGP gone in under CUT_LIMIT_MS, then back.  The
# time runs from when the filter is in place to when dxbgpd logs the
# session leaving Established (dxsh polling confirms it, later).
cut_and_restore() {
	local kind=$1 t0 t1 ms st diag logms
	cut || return 1
	t0=$(date +%s%N)
	while :; do
		st=$(dx_bgp "$PEER4")
		t1=$(date +%s%N)
		ms=$(((t1 - t0) / 1000000))
		[ "$st" != Established ] && break
		if [ $ms -gt 3000 ]; then
			echo "dxbgpd: BGP to $PEER4 still Established 3 s after" \
			    "the cut"
			dxsh_c "show bfd peers"
			return 1
		fi
	done
	echo "dxbgpd: BGP to $PEER4 seen out of Established $ms ms after" \
	    "the cut (now $st)"
	logms=$(idle_ms "$t0")
	if [ -n "$logms" ] && [ "$logms" -ge 0 ] && [ "$logms" -le "$ms" ]; then
		echo "dxbgpd's log: it left Established $logms ms after the cut"
		ms=$logms
	fi
	diag=$(dxsh_c "show bfd peers json" |
	    jq -r --arg p "$PEER4" '.[] | select(.peer == $p) |
		"\(.status) \(.diagnosticCode) \(.bgpBlocked)"')
	echo "dxbgpd: BFD to $PEER4: $diag"
	if [ "$ms" -ge "$CUT_LIMIT_MS" ]; then
		echo "too slow: $ms ms, the limit is $CUT_LIMIT_MS ms"
		return 1
	fi
	[ "$diag" = "down 1 true" ] || {
		echo "want BFD down, diagnostic 1 (detection time expired)," \
		    "BGP kept down"
		return 1
	}
	wait_for 5 "$kind: its BFD to $DX4 is down too" \
	    is down "peer_bfd_$kind" "$DX4" || return 1
	sleep 1
	uncut || return 1
	echo "link restored; nothing else done"
	all_up "$kind"
}

case_detect() {
	local kind=$1
	start_pair "$kind" "" on || return 1
	all_up "$kind" || return 1
	cut_and_restore "$kind"
}

case_no_bfd_peer() {
	start_pair bird "" off || return 1
	wait_established bird "$DX4" 20 || return 1
	wait_for 5 "dxbgpd: BGP to $PEER4 Established" \
	    is Established dx_bgp "$PEER4" || return 1
	sleep 3
	is Established dx_bgp "$PEER4" || {
		echo "dxbgpd: BGP to $PEER4 left Established"
		return 1
	}
	echo "dxbgpd: BGP Established, BFD $(dx_bfd "$PEER4") (not strict)"
	is down dx_bfd "$PEER4"
}

case_strict() {
	start_pair bird strict off || return 1
	never_established dx "$PEER4" 5 || return 1
	dxsh_c "show bfd peers json" | jq -e --arg p "$PEER4" \
	    '.[] | select(.peer == $p) | .bgpBlocked and .strict' \
	    >/dev/null || { echo "show bfd peers: not blocked/strict"; return 1; }
	echo "BIRD gets BFD (birdc configure)"
	bird_conf on >"$(_dxt_dir bird)/conf"
	_bird_cli "$(_dxt_dir bird)" "$NS_PEER" configure || return 1
	wait_for 10 "dxbgpd: BFD to $PEER4 is up" is up dx_bfd "$PEER4" ||
	    return 1
	wait_established dx "$PEER4" 15
}

dxt_init
cases=(
    "frr: BFD Up (IPv4, IPv6); a cut takes BGP down in under 1 s; it all comes back"
    "bird: BFD Up (IPv4, IPv6); a cut takes BGP down in under 1 s; it all comes back"
    "bird without BFD: BGP stays Established (bfd, not strict)"
    "bird without BFD: bfd strict keeps BGP down until BFD is Up"
)
why=
if ! why=$(dxt_why_not bird frr); then
	:
elif [ ! -x "$FRR_ZEBRA" ] || [ ! -x "$FRR_BFDD" ]; then
	why="needs FRR's zebra and bfdd ($FRR_ZEBRA, $FRR_BFDD)"
elif ! getent passwd frr >/dev/null; then
	why="needs the frr user (Debian's frr package)"
fi
if [ -n "$why" ]; then
	for c in "${cases[@]}"; do
		dxt_skip "$c" "$why"
	done
	dxt_finish
fi
dxt_case "${cases[0]}" case_detect frr
dxt_case "${cases[1]}" case_detect bird
dxt_case "${cases[2]}" case_no_bfd_peer
dxt_case "${cases[3]}" case_strict
dxt_finish
