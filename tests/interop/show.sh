#!/bin/bash
# show.sh: dxbgpd's show and clear commands, through dxsh, with real
# peers in network namespaces. Each case has its own namespaces and fresh
# daemons:
#
#   BIRD  AS 65001  10.0.0.1 --- 10.0.0.2  dxbgpd  AS 65000
#   GoBGP AS 65003  10.0.2.1 --- 10.0.2.2  (NS_DX)
#
# dxbgpd has `no bgp ebgp-requires-policy`; BIRD is its neighbor with a
# TCP MD5 key and soft-reconfiguration inbound, GoBGP with a
# maximum-prefix of 100. BIRD originates SH_N (6) prefixes 198.18.X.0/24
# whose attributes its export filter sets from X: ORIGIN (X%3), a prepend
# of 64999 on odd X, community 65001:X, large community 65001:X:1,
# extended community RT:65001:X, MED X*10 on even X. GoBGP originates
# 198.51.100.0/24 (community 65003:7) and 198.18.0.0/24 too, with a longer
# path (ORIGIN incomplete, GoBGP's default), so that prefix has two paths.
# JSON is read with jq.
#
#   1. `show bgp ipv4 unicast PREFIX json`: both paths of 198.18.0.0/24,
#      BIRD's best with every attribute, GoBGP's not best, advertised to
#      GoBGP only; an address finds its longest match; an unknown prefix
#      is an error (dxsh exits 1).
#   2. `show bgp neighbors X received-routes|routes|advertised-routes
#      json`: BIRD's routes as received and as accepted; received-routes
#      of GoBGP refused (no soft reconfiguration), saying so; what GoBGP
#      was advertised is exactly what GoBGP holds from dxbgpd; summary
#      counts (accepted, received, sent, maxPrefix); the MD5 key appears in
#      no show output.
#   3. `clear bgp X soft`, `soft in`, `soft out`: the stored routes are
#      applied again (BIRD), a route refresh goes to GoBGP, our routes are
#      sent again; no session is reset (same establishedEpoch, one
#      establishment each) and the tables stay whole.
#   4. `clear bgp X` and `clear bgp *`: Cease/4 (Administrative Reset)
#      sent, shown decoded; the sessions come back with their routes.
#   5. GoBGP shuts its session down with a message (Cease/2, RFC 9003):
#      `show bgp neighbors X json` shows the NOTIFICATION received,
#      decoded, with the message.
#
# Needs root, BIRD, GoBGP, jq, dxbgpd and dxsh; otherwise every case is a
# skip. About a minute. Knobs: SH_N (6 prefixes), DXSH (the shell, by
# default next to $DXBGPD's build).
. "$(dirname "$0")/lib.sh"

: "${SH_N:=6}"
: "${DXSH:=$(dirname "$DXBGPD")/../shell/dxsh}"

AS_DX=65000
AS_BIRD=65001
AS_GOBGP=65003
BIRD_A=10.0.0.1 DX_B=10.0.0.2
GOBGP_A=10.0.2.1 DX_G=10.0.2.2
KEY=sh0w-md5-key-x

# ---------------------------------------------------------------- setup

_sh_bird_conf() {
	local x
	cat <<EOF
log stderr all;
router id $BIRD_A;
protocol device { scan time 10; }
protocol static s_routes {
	ipv4;
EOF
	for ((x = 0; x < SH_N; x++)); do
		echo "	route 198.18.$x.0/24 blackhole;"
	done
	echo "}"
	echo "filter f_out {"
	for ((x = 0; x < SH_N; x++)); do
		echo "	if net = 198.18.$x.0/24 then {"
		case $((x % 3)) in
		1) echo "		bgp_origin = ORIGIN_EGP;" ;;
		2) echo "		bgp_origin = ORIGIN_INCOMPLETE;" ;;
		esac
		[ $((x % 2)) = 1 ] && echo "		bgp_path.prepend(64999);"
		echo "		bgp_community.add(($AS_BIRD,$x));"
		echo "		bgp_large_community.add(($AS_BIRD,$x,1));"
		echo "		bgp_ext_community.add((rt,$AS_BIRD,$x));"
		[ $((x % 2)) = 0 ] && echo "		bgp_med = $((x * 10));"
		echo "	}"
	done
	cat <<EOF
	if net ~ [ 198.18.0.0/16{24,24} ] then accept;
	reject;
}
protocol bgp $(_bird_proto "$DX_B") {
	debug { states, events };
	local $BIRD_A as $AS_BIRD;
	neighbor $DX_B as $AS_DX;
	password "$KEY";
	hold time 90;
	keepalive time 30;
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 2;
	ipv4 { import all; export filter f_out; };
}
EOF
}

_sh_dx_conf() {
	cat <<EOF
hostname dx
router bgp $AS_DX
 bgp router-id $DX_B
 no bgp ebgp-requires-policy
 neighbor $BIRD_A remote-as $AS_BIRD
 neighbor $BIRD_A description bird-peer
 neighbor $BIRD_A password $KEY
 neighbor $BIRD_A timers 10 30
 neighbor $BIRD_A timers connect 2
 neighbor $BIRD_A update-source $DX_B
 neighbor $BIRD_A soft-reconfiguration inbound
 neighbor $GOBGP_A remote-as $AS_GOBGP
 neighbor $GOBGP_A timers 10 30
 neighbor $GOBGP_A timers connect 2
 neighbor $GOBGP_A update-source $DX_G
 neighbor $GOBGP_A maximum-prefix 100
EOF
}

# _sh dxsh-command...: run one command through dxsh; its output, its
# exit status. Every output is kept, to look for the MD5 key later.
_sh() {
	local rc=0
	timeout 5 "$DXSH" -S "$DXT_CASE_DIR/dx/sock" -c "$1" \
	    >"$DXT_CASE_DIR/sh.out" 2>&1 || rc=$?
	cat "$DXT_CASE_DIR/sh.out" >>"$DXT_CASE_DIR/all-shows"
	cat "$DXT_CASE_DIR/sh.out"
	return $rc
}

# _sh_ok CMD: as _sh, and the command must succeed.
_sh_ok() {
	local out
	if ! out=$(_sh "$1"); then
		echo "dxsh -c '$1' failed: $out" >&2
		return 1
	fi
	printf '%s\n' "$out"
}

_sh_gobgp() {
	_gobgp_cli "$DXT_CASE_DIR/gobgp" "$NS_GOBGP" "$@"
}

# _sh_check DESC JQ-EXPR < JSON: the expression is true, else say what.
_sh_check() {
	local desc=$1 expr=$2 json got
	json=$(cat)
	got=$(printf '%s' "$json" | jq -e "$expr" 2>&1)
	if [ "$got" != true ]; then
		echo "FAILED: $desc"
		echo "    jq: $expr -> $got"
		printf '%s\n' "$json" | head -c 3000 | sed 's/^/    | /'
		echo
		return 1
	fi
	echo "ok: $desc"
}

# _sh_wait_pfx ADDR N [SECONDS]: the neighbor's accepted routes reach N.
_sh_wait_pfx() {
	local addr=$1 n=$2 secs=${3:-15} end have
	end=$((SECONDS + secs))
	while :; do
		have=$(_sh "show bgp summary json" |
		    jq --arg a "$addr" '.peers[$a].pfxAccepted' 2>/dev/null)
		[ "$have" = "$n" ] && return 0
		if [ $SECONDS -ge "$end" ]; then
			echo "after ${secs}s, $have routes accepted from $addr," \
			    "not $n"
			return 1
		fi
		sleep 0.5
	done
}

_sh_setup() {
	netns_pair || return 1
	netns_link g "$GOBGP_A/24" "$DX_G/24" || return 1
	NS_GOBGP=$NS_LINK
	_sh_dx_conf >"$DXT_CASE_DIR/dx.conf"
	dx_start dx "$NS_DX" conf="$DXT_CASE_DIR/dx.conf" || return 1
	_sh_bird_conf >"$DXT_CASE_DIR/bird.conf"
	peer_start bird bird "$NS_PEER" conf="$DXT_CASE_DIR/bird.conf" ||
	    return 1
	peer_start gobgp gobgp "$NS_GOBGP" as=$AS_GOBGP peer_as=$AS_DX \
	    neighbor=$DX_G addr=$GOBGP_A || return 1
	wait_established bird "$DX_B" || return 1
	wait_established gobgp "$DX_G" || return 1
	_sh_gobgp global rib -a ipv4 add 198.51.100.0/24 community 65003:7 ||
	    return 1
	_sh_gobgp global rib -a ipv4 add 198.18.0.0/24 aspath 64901,64902 ||
	    return 1
	_sh_wait_pfx "$BIRD_A" "$SH_N" || return 1
	_sh_wait_pfx "$GOBGP_A" 2 || return 1
}

# The MD5 key is in the config, never in what show prints.
_sh_no_key() {
	if grep -q -- "$KEY" "$DXT_CASE_DIR/all-shows"; then
		echo "FAILED: the MD5 key appears in show output:"
		grep -n -- "$KEY" "$DXT_CASE_DIR/all-shows" | head -n 3
		return 1
	fi
	echo "ok: the MD5 key appears in none of $(grep -c . \
	    "$DXT_CASE_DIR/all-shows") lines of show output"
}

_sh_still_running() {
	if ! dx_alive dx; then
		echo "dxbgpd is no longer running"
		return 1
	fi
}

# ---------------------------------------------------------------- cases

_sh_prefix() {
	local out rc
	_sh_setup || return 1
	out=$(_sh_ok "show bgp ipv4 unicast 198.18.0.0/24 json") || return 1
	_sh_check "198.18.0.0/24: two paths, advertised to GoBGP only" \
	    '.prefix == "198.18.0.0/24" and .pathCount == 2 and
	     .advertisedTo == ["10.0.2.1"]' <<<"$out" || return 1
	_sh_check "BIRD's path is best, with every attribute" \
	    '.paths[0] | .best == true and .multipath == false and
	     .valid == true and .stale == false and .peer == "10.0.0.1" and
	     .peerAs == 65001 and .peerType == "external" and
	     .peerRouterId == "10.0.0.1" and .nexthop == "10.0.0.1" and
	     .path == "65001" and .origin == "IGP" and .med == 0 and
	     (has("localPref") | not) and .communities == ["65001:0"] and
	     .largeCommunities == ["65001:0:1"] and
	     .extCommunities == ["RT:65001:0"] and .clusterList == [] and
	     (has("originatorId") | not) and .atomicAggregate == false' \
	    <<<"$out" || return 1
	_sh_check "GoBGP's path is there, not best, its path longer" \
	    '.paths[1] | .best == false and .peer == "10.0.2.1" and
	     .peerAs == 65003 and .nexthop == "10.0.2.1" and
	     .path == "65003 64901 64902" and .origin == "incomplete"' \
	    <<<"$out" || return 1
	out=$(_sh_ok "show bgp ipv4 unicast 198.18.1.77 json") || return 1
	_sh_check "an address finds its longest match, with BIRD's prepend" \
	    '.prefix == "198.18.1.0/24" and .pathCount == 1 and
	     .paths[0].path == "65001 64999" and .paths[0].origin == "EGP" and
	     (.paths[0] | has("med") | not) and
	     .paths[0].extCommunities == ["RT:65001:1"]' <<<"$out" || return 1
	out=$(_sh_ok "show bgp ipv4 unicast 198.18.0.0/24") || return 1
	if ! grep -q "^BGP routing table entry for 198.18.0.0/24" <<<"$out" ||
	    ! grep -q "Large Community: 65001:0:1" <<<"$out"; then
		echo "FAILED: the text form:"
		echo "$out"
		return 1
	fi
	echo "ok: the text form names the prefix and its attributes"
	rc=0
	out=$(_sh "show bgp ipv4 unicast 203.0.113.0/24 json") || rc=$?
	echo "unknown prefix: exit $rc: $out"
	[ $rc = 1 ] && grep -q "not in the table" <<<"$out" || return 1
	_sh_no_key || return 1
	_sh_still_running
}

# _sh_adv_lines: dxbgpd's advertised-routes to GoBGP, as peer_routes
# prints GoBGP's table.
_sh_adv_lines() {
	_sh "show bgp neighbors $GOBGP_A advertised-routes json" |
	    jq -r "$_DXT_JQ_DEFS"'
	    .routes | to_entries[] | .key as $p | .value[] |
	    line($p; .nexthop; .path | gsub(" "; ",");
		.communities // []; .origin; .med; .localPref)' |
	    LC_ALL=C sort
}

_sh_nbr_routes() {
	local out rc want have
	_sh_setup || return 1
	out=$(_sh_ok "show bgp neighbors $BIRD_A received-routes json") ||
	    return 1
	_sh_check "BIRD's $SH_N routes as received (soft reconfiguration)" \
	    ".neighbor == \"$BIRD_A\" and .routeType == \"received-routes\"
	     and .totalPrefixes == $SH_N and
	     ([.routes[][] | .nexthop] | unique) == [\"$BIRD_A\"] and
	     .routes[\"198.18.2.0/24\"][0].med == 20 and
	     .routes[\"198.18.2.0/24\"][0].origin == \"incomplete\" and
	     .routes[\"198.18.3.0/24\"][0].path == \"65001 64999\"" \
	    <<<"$out" || return 1
	out=$(_sh_ok "show bgp neighbors $BIRD_A routes json") || return 1
	_sh_check "BIRD's $SH_N routes accepted, every one best" \
	    ".routeType == \"routes\" and .totalPrefixes == $SH_N and
	     ([.routes[][] | .best] | all)" <<<"$out" || return 1
	out=$(_sh_ok "show bgp neighbors $GOBGP_A routes json") || return 1
	_sh_check "GoBGP's 2 routes accepted, its 198.18.0.0/24 not best" \
	    '.totalPrefixes == 2 and
	     .routes["198.51.100.0/24"][0].communities == ["65003:7"] and
	     .routes["198.51.100.0/24"][0].best == true and
	     .routes["198.18.0.0/24"][0].best == false' <<<"$out" || return 1
	rc=0
	out=$(_sh "show bgp neighbors $GOBGP_A received-routes json") || rc=$?
	echo "received-routes of GoBGP: exit $rc: $out"
	[ $rc = 1 ] && grep -q "soft reconfiguration not enabled" <<<"$out" ||
	    return 1
	# advertised-routes: the export path's result, as GoBGP holds it
	want=$(peer_routes gobgp | grep -v ' nh=0.0.0.0 ') || return 1
	have=$(_sh_adv_lines) || return 1
	if [ "$want" != "$have" ] || [ "$(grep -c . <<<"$have")" != "$SH_N" ]
	then
		echo "FAILED: advertised-routes to GoBGP is not what GoBGP holds;" \
		    "diff -U0 gobgp dxbgpd:"
		diff -U0 <(echo "$want") <(echo "$have") | sed 's/^/    /'
		return 1
	fi
	echo "ok: advertised-routes to GoBGP ($SH_N) is exactly GoBGP's table:"
	echo "$have" | head -n 2 | sed 's/^/    /'
	out=$(_sh_ok "show bgp neighbors $GOBGP_A advertised-routes json") ||
	    return 1
	_sh_check "with large and extended communities, as sent" \
	    '.routes["198.18.1.0/24"][0] | .pending == false and
	     .nexthop == "10.0.2.2" and .path == "65000 65001 64999" and
	     .largeCommunities == ["65001:1:1"] and
	     .extCommunities == ["RT:65001:1"] and (has("med") | not)' \
	    <<<"$out" || return 1
	out=$(_sh_ok "show bgp neighbors $BIRD_A advertised-routes json") ||
	    return 1
	_sh_check "BIRD is sent GoBGP's route and none of its own" \
	    '.totalPrefixes == 1 and
	     .routes["198.51.100.0/24"][0].path == "65000 65003" and
	     .routes["198.51.100.0/24"][0].nexthop == "10.0.0.2"' \
	    <<<"$out" || return 1
	out=$(_sh_ok "show bgp summary json") || return 1
	_sh_check "summary: accepted, received, sent and maxPrefix" \
	    ".peers[\"$BIRD_A\"] | .state == \"Established\" and
	     .pfxAccepted == $SH_N and .pfxReceived == $SH_N and
	     .pfxSent == 1 and .maxPrefix == null and
	     .description == \"bird-peer\" and .uptimeSeconds >= 0" \
	    <<<"$out" || return 1
	_sh_check "summary: GoBGP's cap" \
	    ".peers[\"$GOBGP_A\"] | .pfxAccepted == 2 and
	     .pfxReceived == null and .pfxSent == $SH_N and
	     .maxPrefix == 100" <<<"$out" || return 1
	out=$(_sh_ok "show bgp neighbors $BIRD_A json") || return 1
	_sh_check "neighbor: negotiated capabilities and timers, MD5 on" \
	    ".[\"$BIRD_A\"] | .md5 == true and .holdTime == 30 and
	     .keepalive == 10 and .fourOctetAs == true and
	     .routeRefresh == true and .ipv4Unicast == true and
	     .softReconfigInbound == true and .pfxReceived == $SH_N" \
	    <<<"$out" || return 1
	_sh_ok "show bgp summary" >/dev/null || return 1
	_sh_ok "show bgp neighbors" >/dev/null || return 1
	_sh_ok "show bgp neighbors $BIRD_A advertised-routes" >/dev/null ||
	    return 1
	_sh_no_key || return 1
	_sh_still_running
}

# _sh_epochs: "ADDR EPOCH TRANSITIONS STATE" per neighbor.
_sh_epochs() {
	_sh "show bgp neighbors json" | jq -r 'to_entries[] |
	    "\(.key) \(.value.establishedEpoch) \(.value.establishedTransitions) \(.value.state)"'
}

_sh_counter() {
	_sh "show bgp neighbors $1 json" | jq ".[\"$1\"].messages.$2"
}

_sh_soft() {
	local before after rr0 rr1 up0 up1 upin0 upin1 log
	_sh_setup || return 1
	log=$DXT_CASE_DIR/dx/log
	before=$(_sh_epochs) || return 1
	echo "before: $(echo "$before" | paste -sd';' -)"
	# the established epochs are in seconds: a reset would show
	sleep 1.2
	# BIRD: from its stored routes (no refresh needed); and sent ours
	_sh_ok "clear bgp $BIRD_A soft" || return 1
	grep -q "neighbor $BIRD_A: import settings changed; applied to its" \
	    "$log" || {
		echo "FAILED: the log does not say BIRD's stored routes were" \
		    "applied again"
		return 1
	}
	# GoBGP: a route refresh asked, answered
	rr0=$(_sh_counter "$GOBGP_A" routeRefreshOut)
	upin0=$(_sh_counter "$GOBGP_A" updateIn)
	_sh_ok "clear bgp $GOBGP_A soft in" | grep -q "route refresh" ||
	    return 1
	sleep 2
	rr1=$(_sh_counter "$GOBGP_A" routeRefreshOut)
	upin1=$(_sh_counter "$GOBGP_A" updateIn)
	echo "GoBGP: ROUTE-REFRESH sent $rr0 -> $rr1, UPDATEs in $upin0 -> $upin1"
	[ "$rr1" -gt "$rr0" ] && [ "$upin1" -gt "$upin0" ] || return 1
	# our routes to GoBGP once more
	up0=$(_sh_counter "$GOBGP_A" updateOut)
	_sh_ok "clear bgp $GOBGP_A soft out" || return 1
	sleep 2
	up1=$(_sh_counter "$GOBGP_A" updateOut)
	echo "GoBGP: UPDATEs sent $up0 -> $up1"
	[ "$up1" -gt "$up0" ] || return 1
	_sh_ok "clear bgp * soft" || return 1
	sleep 2
	after=$(_sh_epochs) || return 1
	echo "after:  $(echo "$after" | paste -sd';' -)"
	if [ "$before" != "$after" ] ||
	    [ "$(grep -c ' 1 Established$' <<<"$after")" != 2 ]; then
		echo "FAILED: a session was reset by a soft clear"
		return 1
	fi
	echo "ok: both sessions up since the same second, established once"
	_sh_wait_pfx "$BIRD_A" "$SH_N" 1 || return 1
	_sh_wait_pfx "$GOBGP_A" 2 1 || return 1
	[ "$(peer_routes gobgp | grep -vc ' nh=0.0.0.0 ')" = "$SH_N" ] || {
		echo "FAILED: GoBGP no longer holds the $SH_N routes"
		return 1
	}
	echo "ok: the tables are whole"
	_sh_still_running
}

_sh_hard() {
	local out
	_sh_setup || return 1
	_sh_ok "clear bgp $BIRD_A" | grep -q "Administrative Reset" || return 1
	out=$(_sh_ok "show bgp neighbors $BIRD_A json") || return 1
	_sh_check "BIRD: Cease/4 sent, decoded" \
	    ".[\"$BIRD_A\"].lastNotification | .code == 6 and .subcode == 4
	     and .sent == true and .codeName == \"cease\" and
	     .subcodeName == \"administrative reset\"" <<<"$out" || return 1
	wait_established bird "$DX_B" || return 1
	_sh_wait_pfx "$BIRD_A" "$SH_N" || return 1
	out=$(_sh_ok "show bgp neighbors json") || return 1
	_sh_check "BIRD established twice, GoBGP untouched" \
	    ".[\"$BIRD_A\"].establishedTransitions == 2 and
	     .[\"$BIRD_A\"].state == \"Established\" and
	     .[\"$GOBGP_A\"].establishedTransitions == 1" <<<"$out" || return 1
	_sh_ok "clear bgp *" || return 1
	wait_established bird "$DX_B" || return 1
	wait_established gobgp "$DX_G" || return 1
	_sh_wait_pfx "$BIRD_A" "$SH_N" || return 1
	_sh_wait_pfx "$GOBGP_A" 2 || return 1
	out=$(_sh_ok "show bgp neighbors json") || return 1
	_sh_check "clear bgp *: both came back" \
	    ".[\"$BIRD_A\"].establishedTransitions == 3 and
	     .[\"$GOBGP_A\"].establishedTransitions == 2 and
	     ([.[] | .state] | unique) == [\"Established\"]" <<<"$out" ||
	    return 1
	_sh_still_running
}

_sh_peer_shutdown() {
	local out end state
	_sh_setup || return 1
	# `disable` would not send the message: `shutdown` does (deprecated)
	_sh_gobgp neighbor "$DX_G" shutdown --reason "maintenance window" ||
	    return 1
	end=$((SECONDS + 10))
	while :; do
		out=$(_sh_ok "show bgp neighbors $GOBGP_A json") || return 1
		state=$(jq -r ".[\"$GOBGP_A\"].state" <<<"$out")
		[ "$state" != Established ] && break
		[ $SECONDS -ge $end ] && { echo "GoBGP still up"; return 1; }
		sleep 0.5
	done
	_sh_check "the NOTIFICATION from GoBGP, decoded, with its message" \
	    ".[\"$GOBGP_A\"].lastNotification | .code == 6 and
	     .subcode == 2 and .sent == false and .codeName == \"cease\" and
	     .subcodeName == \"administrative shutdown\" and
	     .shutdownMessage == \"maintenance window\"" <<<"$out" || return 1
	out=$(_sh_ok "show bgp neighbors $GOBGP_A") || return 1
	grep -q 'Shutdown message: "maintenance window"' <<<"$out" || {
		echo "FAILED: the text form lacks the message:"
		echo "$out"
		return 1
	}
	echo "ok: the text form has it too"
	out=$(_sh_ok "show bgp summary json") || return 1
	_sh_check "summary: GoBGP down, its routes gone" \
	    ".peers[\"$GOBGP_A\"] | .state != \"Established\" and
	     .pfxAccepted == 0 and .uptimeSeconds == 0" <<<"$out" || return 1
	_sh_still_running
}

# ---------------------------------------------------------------- main

cases=(
    "show bgp ipv4 unicast PREFIX: every path with every attribute, best first"
    "show bgp neighbors X received-routes|routes|advertised-routes; advertised is what the peer holds"
    "clear bgp X soft [in|out]: stored routes, route refresh, re-sent routes; no session reset"
    "clear bgp X and clear bgp *: Cease/4 sent, sessions come back with their routes"
    "a peer's Cease/2 with a shutdown message is shown decoded"
)
funcs=(_sh_prefix _sh_nbr_routes _sh_soft _sh_hard _sh_peer_shutdown)

dxt_init
why=
if ! why=$(dxt_need_root); then
	:
elif ! peer_available bird || ! peer_available gobgp; then
	why="needs BIRD and GoBGP; scripts/setup.sh --test --peers"
elif ! dxt_have_jq; then
	why="needs jq"
elif ! dx_available; then
	why="dxbgpd not built: $DXBGPD"
elif [ ! -x "$DXSH" ]; then
	why="dxsh not built: $DXSH"
fi
for i in "${!cases[@]}"; do
	if [ -n "$why" ]; then
		dxt_skip "show: ${cases[i]}" "$why"
	else
		dxt_case "show: ${cases[i]}" "${funcs[i]}"
	fi
done
dxt_finish
