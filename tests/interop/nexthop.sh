#!/bin/bash
# nexthop.sh: routes whose next hop the kernel cannot reach are not
# eligible (RFC 4271 §9.1.2), and become eligible when a route to the next
# hop appears in dxbgpd's namespace, without any BGP message.
#
#   BIRD  AS 65001  10.0.0.1 --- 10.0.0.2  dxbgpd  AS 65000
#   FRR   AS 65002  10.0.1.1 --- 10.0.1.2  (NS_DX)
#
# BIRD originates 198.18.1.0/24 and 198.18.2.0/24. dxbgpd's inbound
# route-map gives 198.18.2.0/24 the next hop 192.0.2.99, which no route
# in NS_DX reaches at first. FRR must hold only 198.18.1.0/24, and
# dxbgpd's `show bgp ipv4 unicast json` must call 198.18.2.0/24
# ineligible. Then, in NS_DX:
#   - a default route, and a route to 192.0.2.0/24 with protocol bgp (as
#     dxprog installs them): neither makes the next hop reachable;
#   - `ip route add 192.0.2.0/24 via 10.0.0.1`: FRR gets 198.18.2.0/24,
#     with no session reset;
#   - that route deleted: FRR loses 198.18.2.0/24 again.
#
# Needs root, BIRD, FRR, jq and dxbgpd (dxsh too); otherwise a skip.
# About 30 seconds.
. "$(dirname "$0")/lib.sh"

AS_DX=65000
AS_BIRD=65001
AS_FRR=65002
BIRD_A=10.0.0.1 DX_B=10.0.0.2
FRR_A=10.0.1.1 DX_F=10.0.1.2
NH=192.0.2.99

_nh_dx_conf() {
	cat <<EOF
hostname dx
router bgp $AS_DX
 bgp router-id $DX_B
 neighbor $BIRD_A remote-as $AS_BIRD
 neighbor $BIRD_A timers 10 30
 neighbor $BIRD_A timers connect 2
 neighbor $FRR_A remote-as $AS_FRR
 neighbor $FRR_A timers 10 30
 neighbor $FRR_A timers connect 2
 address-family ipv4 unicast
  neighbor $BIRD_A route-map NH in
  neighbor $FRR_A route-map ALL out
 exit-address-family
exit
ip prefix-list TWO seq 5 permit 198.18.2.0/24
route-map NH permit 10
 match ip address prefix-list TWO
 set ip next-hop $NH
exit
route-map NH permit 20
exit
route-map ALL permit 10
exit
EOF
}

_nh_dxsh() {
	timeout 5 "$(_dxbgpd_sh)" -S "$DXT_CASE_DIR/dx/sock" -c "$1"
}

# _nh_frr_wait WANT: FRR holds exactly the prefixes WANT (blank-separated)
# within 10 s.
_nh_frr_wait() {
	local want=$1 have end=$((SECONDS + 10))
	while :; do
		have=$(peer_routes frr | awk '{print $1}' | paste -sd' ' -)
		if [ "$have" = "$want" ]; then
			echo "frr: holds exactly: ${want:-nothing}"
			return 0
		fi
		if [ $SECONDS -ge $end ]; then
			echo "frr: holds '${have}', expected '${want}'"
			return 1
		fi
		sleep 0.5
	done
}

# _nh_ineligible P: dxbgpd calls its path to P ineligible (true/false).
_nh_ineligible() {
	_nh_dxsh "show bgp ipv4 unicast json" |
	    jq -r --arg p "$1" '.routes[$p][0] |
	    if . == null then "absent" elif has("ineligible") then .ineligible
	    else "unknown" end'
}

_nh_case() {
	local got
	netns_pair || return 1
	netns_link f "$FRR_A/24" "$DX_F/24" || return 1
	_nh_dx_conf >"$DXT_CASE_DIR/dx.conf"
	dx_start dx "$NS_DX" conf="$DXT_CASE_DIR/dx.conf" || return 1
	bird_static_conf "$BIRD_A" $AS_BIRD "$DX_B" $AS_DX "" 198.18.1.0/24 \
	    198.18.2.0/24 >"$DXT_CASE_DIR/bird.conf"
	peer_start bird bird "$NS_PEER" conf="$DXT_CASE_DIR/bird.conf" ||
	    return 1
	peer_start frr frr "$NS_LINK" as=$AS_FRR peer_as=$AS_DX \
	    neighbor=$DX_F addr=$FRR_A || return 1
	wait_established bird "$DX_B" 20 || return 1
	wait_established frr "$DX_F" 20 || return 1

	_nh_frr_wait "198.18.1.0/24" || return 1
	got=$(_nh_ineligible 198.18.2.0/24)
	echo "dx: 198.18.2.0/24 (next hop $NH) ineligible: $got"
	[ "$got" = true ] || return 1

	ip -n "$NS_DX" route add default via "$BIRD_A" || return 1
	ip -n "$NS_DX" route add 192.0.2.0/24 via "$BIRD_A" proto bgp ||
	    return 1
	ip -n "$NS_DX" route add 192.0.2.0/25 via "$BIRD_A" proto 201 ||
	    return 1
	sleep 1
	echo "dx: a default route, a proto bgp route to 192.0.2.0/24 and a" \
	    "proto 201 (dxprog) route to 192.0.2.0/25 added"
	_nh_frr_wait "198.18.1.0/24" || return 1
	[ "$(_nh_ineligible 198.18.2.0/24)" = true ] || return 1

	ip -n "$NS_DX" route add 192.0.2.0/24 via "$BIRD_A" metric 10 ||
	    return 1
	echo "dx: route to 192.0.2.0/24 via $BIRD_A added"
	_nh_frr_wait "198.18.1.0/24 198.18.2.0/24" || return 1
	[ "$(_nh_ineligible 198.18.2.0/24)" = false ] || return 1

	ip -n "$NS_DX" route del 192.0.2.0/24 via "$BIRD_A" metric 10 ||
	    return 1
	echo "dx: route to 192.0.2.0/24 deleted (the proto bgp one stays)"
	_nh_frr_wait "198.18.1.0/24" || return 1

	got=$(_nh_dxsh "show bgp neighbors json" | jq -r 'to_entries[] |
	    select(.value.establishedTransitions != 1) | .key')
	if [ -n "$got" ]; then
		echo "sessions reset: $got"
		return 1
	fi
	echo "dx: no session was reset"
	dx_alive dx
}

dxt_init
why=$(dxt_why_not bird frr)
name="next hops: unreachable ones ineligible; kernel route changes tracked"
if [ -n "$why" ]; then
	dxt_skip "$name" "$why"
else
	dxt_case "$name" _nh_case
fi
dxt_finish
