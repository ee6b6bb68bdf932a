#!/bin/bash
# reload.sh: a reload (SIGHUP) applies only what changed, and resets only
# the sessions whose change requires it (issue: config and reload).
#
#   BIRD  AS 65001  10.0.0.1 --- 10.0.0.2  dxbgpd  AS 65000
#   FRR   AS 65002  10.0.1.1 --- 10.0.1.2  (NS_DX)
#   GoBGP AS 65003  10.0.2.1 --- 10.0.2.2
#
# Every session has its own TCP MD5 key. BIRD originates 198.18.1.0/24 and
# 198.18.2.0/24; dxbgpd sends FRR and GoBGP what prefix list OUT permits
# (at first only 198.18.1.0/24). One case, in steps:
#   1. A config with an error (and a changed description): the reload is
#      refused, the log says where, the running config and every session
#      are unchanged.
#   2. Harmless changes: a description, the hostname, prefix list OUT
#      (now both prefixes), a new passive neighbor: every session stays
#      up (established once), and FRR and GoBGP get 198.18.2.0/24 (the
#      policy applied without a reset).
#   3. GoBGP's key changed in dxbgpd's config: that session alone goes
#      down (it cannot come back with the wrong key); BIRD and FRR stay
#      up. The old key back: GoBGP comes back, the others still untouched.
#
# Needs root, BIRD, FRR, GoBGP, jq and dxbgpd (dxsh too); otherwise a
# skip. About 40 seconds.
. "$(dirname "$0")/lib.sh"

AS_DX=65000
AS_BIRD=65001
AS_FRR=65002
AS_GOBGP=65003
BIRD_A=10.0.0.1 DX_B=10.0.0.2
FRR_A=10.0.1.1 DX_F=10.0.1.2
GOBGP_A=10.0.2.1 DX_G=10.0.2.2

# _rl_dx_conf DESCRIPTION HOSTNAME OUT_LE GOBGP_KEY [EXTRA]: dxbgpd's
# config; prefix list OUT permits 198.18.1.0/24 only if OUT_LE is "",
# 198.18.0.0/16 OUT_LE ("le 24": both prefixes) otherwise.
_rl_dx_conf() {
	cat <<EOF
hostname $2
router bgp $AS_DX
 bgp router-id $DX_B
 neighbor $BIRD_A remote-as $AS_BIRD
 neighbor $BIRD_A description $1
 neighbor $BIRD_A password key-bird
 neighbor $BIRD_A timers 10 30
 neighbor $BIRD_A timers connect 2
 neighbor $FRR_A remote-as $AS_FRR
 neighbor $FRR_A password key-frr
 neighbor $FRR_A timers 10 30
 neighbor $FRR_A timers connect 2
 neighbor $GOBGP_A remote-as $AS_GOBGP
 neighbor $GOBGP_A password $4
 neighbor $GOBGP_A timers 10 30
 neighbor $GOBGP_A timers connect 2
${5:-}
 address-family ipv4 unicast
  neighbor $BIRD_A route-map IN in
  neighbor $FRR_A route-map OUT out
  neighbor $GOBGP_A route-map OUT out
 exit-address-family
exit
ip prefix-list OUT seq 5 permit ${3:+198.18.0.0/16 }${3:-198.18.1.0/24}
route-map IN permit 10
exit
route-map OUT permit 10
 match ip address prefix-list OUT
exit
EOF
}

_rl_dxsh() {
	timeout 5 "$(_dxbgpd_sh)" -S "$DXT_CASE_DIR/dx/sock" -c "$1"
}

# _rl_reload CONF: dxbgpd's config file replaced, then SIGHUP.
_rl_reload() {
	cp "$1" "$DXT_CASE_DIR/dx/conf" || return 1
	kill -HUP "$(cut -d' ' -f1 "$DXT_CASE_DIR/dx/pid")" || return 1
	sleep 1
}

# _rl_sessions: "ADDR STATE TRANSITIONS" per neighbor with a peer
# running (not the passive 10.0.2.9), sorted.
_rl_sessions() {
	_rl_dxsh "show bgp neighbors json" | jq -r 'to_entries[] |
	    select(.key != "10.0.2.9") |
	    "\(.key) \(.value.state) \(.value.establishedTransitions)"' |
	    LC_ALL=C sort
}

# _rl_expect_sessions WANT [SECS]: _rl_sessions equals WANT (lines
# joined by ";") within SECS (default 10).
_rl_expect_sessions() {
	local want=$1 secs=${2:-10} have end
	end=$((SECONDS + secs))
	while :; do
		have=$(_rl_sessions | paste -sd';' -)
		if [ "$have" = "$want" ]; then
			echo "dx sessions: $have"
			return 0
		fi
		if [ $SECONDS -ge $end ]; then
			echo "dx sessions: $have"
			echo "   expected: $want"
			return 1
		fi
		sleep 0.5
	done
}

# _rl_frr_gobgp_hold WANT: FRR and GoBGP hold exactly the prefixes WANT.
_rl_hold() {
	local want=$1 name have end=$((SECONDS + 10))
	for name in frr gobgp; do
		while :; do
			have=$(peer_routes "$name" | awk '{print $1}' |
			    paste -sd' ' -)
			[ "$have" = "$want" ] && break
			if [ $SECONDS -ge $end ]; then
				echo "$name holds '$have', expected '$want'"
				return 1
			fi
			sleep 0.5
		done
		echo "$name holds exactly: $want"
	done
}

_rl_case() {
	local c=$DXT_CASE_DIR up have end
	netns_pair || return 1
	netns_link f "$FRR_A/24" "$DX_F/24" || return 1
	local ns_frr=$NS_LINK
	netns_link g "$GOBGP_A/24" "$DX_G/24" || return 1
	local ns_gobgp=$NS_LINK
	_rl_dx_conf aws-one dx-a "" key-gobgp >"$c/dx1.conf"
	dx_start dx "$NS_DX" conf="$c/dx1.conf" || return 1
	bird_static_conf "$BIRD_A" $AS_BIRD "$DX_B" $AS_DX key-bird \
	    198.18.1.0/24 198.18.2.0/24 >"$c/bird.conf"
	peer_start bird bird "$NS_PEER" conf="$c/bird.conf" || return 1
	peer_start frr frr "$ns_frr" as=$AS_FRR peer_as=$AS_DX \
	    neighbor=$DX_F addr=$FRR_A password=key-frr || return 1
	peer_start gobgp gobgp "$ns_gobgp" as=$AS_GOBGP peer_as=$AS_DX \
	    neighbor=$DX_G addr=$GOBGP_A password=key-gobgp || return 1
	up="$BIRD_A Established 1;$FRR_A Established 1;$GOBGP_A Established 1"
	_rl_expect_sessions "$up" 20 || return 1
	_rl_hold "198.18.1.0/24" || return 1

	echo "-- 1. a config with an error"
	{
		_rl_dx_conf aws-two dx-a "" key-gobgp
		echo "router bgp $AS_DX"
		echo " neighbor $BIRD_A timers 30 10"
	} >"$c/bad.conf"
	_rl_reload "$c/bad.conf" || return 1
	if ! grep -q "dx/conf:[0-9]*: " "$c/dx/log" ||
	    ! grep -q 'reload refused' "$c/dx/log"; then
		echo "no FILE:LINE error and 'reload refused' in the log"
		return 1
	fi
	grep 'dx/conf:[0-9]*: \|reload refused' "$c/dx/log" | tail -n 2 |
	    sed 's/^/    log: /'
	if ! _rl_dxsh "show running-config" | grep -q 'description aws-one'; then
		echo "the running config changed"
		return 1
	fi
	echo "running config unchanged (description aws-one)"
	_rl_expect_sessions "$up" 1 || return 1

	echo "-- 2. harmless changes"
	_rl_dx_conf aws-two dx-b "le 24" key-gobgp \
	    " neighbor 10.0.2.9 remote-as 65009
 neighbor 10.0.2.9 passive" >"$c/dx2.conf"
	_rl_reload "$c/dx2.conf" || return 1
	_rl_hold "198.18.1.0/24 198.18.2.0/24" || return 1
	if ! _rl_dxsh "show running-config" | grep -q 'description aws-two'; then
		echo "the new description is not in the running config"
		return 1
	fi
	if ! _rl_dxsh "show bgp neighbors json" | jq -e '.["10.0.2.9"]' \
	    >/dev/null; then
		echo "the new neighbor 10.0.2.9 is not there"
		return 1
	fi
	echo "new neighbor 10.0.2.9 configured"
	_rl_expect_sessions "$up" 1 || return 1

	echo "-- 3. GoBGP's key changed"
	_rl_dx_conf aws-two dx-b "le 24" key-wrong >"$c/dx3.conf"
	_rl_reload "$c/dx3.conf" || return 1
	end=$((SECONDS + 10))
	while :; do
		have=$(_rl_sessions | paste -sd';' -)
		case $have in
		"$BIRD_A Established 1;$FRR_A Established 1;$GOBGP_A Established"*) ;;
		"$BIRD_A Established 1;$FRR_A Established 1;$GOBGP_A "*" 1")
			echo "dx sessions: $have"
			break ;;
		*)
			echo "dx sessions: $have (BIRD or FRR disturbed)"
			return 1 ;;
		esac
		if [ $SECONDS -ge $end ]; then
			echo "dx sessions: $have (GoBGP still up)"
			return 1
		fi
		sleep 0.5
	done
	echo "-- the key back"
	_rl_reload "$c/dx2.conf" || return 1
	_rl_expect_sessions "$BIRD_A Established 1;$FRR_A Established 1;$GOBGP_A Established 2" 30 ||
	    return 1
	_rl_hold "198.18.1.0/24 198.18.2.0/24" || return 1
	dx_alive dx
}

dxt_init
why=$(dxt_why_not bird frr gobgp)
name="reload: a bad config changes nothing; harmless changes reset nothing; a new key resets only its session"
if [ -n "$why" ]; then
	dxt_skip "$name" "$why"
else
	dxt_case "$name" _rl_case
fi
dxt_finish
