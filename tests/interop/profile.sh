#!/bin/bash
# profile.sh: `neighbor X profile aws` against a real peer. GoBGP plays
# AWS Direct Connect (AS 64512, TCP MD5) and counts what it receives;
# dxbgpd (AS 62610) announces N `network` routes, changed by reload
# (SIGHUP), with the AWS profile's outbound cap of 100 per family:
#
#   GoBGP AS 64512  10.0.0.1 --- 10.0.0.2  dxbgpd AS 62610 (NS_DX)
#
#   1. The outbound cap, one session throughout (never reset):
#      99 networks: GoBGP holds 99, nothing withheld, and dxbgpd's log
#      has the 80 % warning; 100: GoBGP holds 100, nothing withheld;
#      101: GoBGP still holds 100, `show bgp summary json` says
#      pfxWithheld 1 and maxPrefixOut 100, the withheld prefix is the
#      new one (what is advertised stays) and the log names it; two
#      networks removed: the withheld one goes out, GoBGP holds 99,
#      nothing withheld.  `show bgp neighbors json` shows the profile.
#   2. `dxbgpd -n` refuses what AWS would refuse (no MD5 key) with
#      file:line, and a reload with it is refused and changes nothing:
#      the session stays up and GoBGP keeps its routes.
#
# Needs root, GoBGP, jq and dxbgpd with dxsh; otherwise a skip. About
# 20 s.
: "${DXT_TIMEOUT:=120}"
. "$(dirname "$0")/lib.sh"

: "${PF_WAIT:=10}" # seconds for a change to reach GoBGP

AWS=10.0.0.1 DX=10.0.0.2
KEY=aws-dx-md5-key

_dxbgpd_sh() {
	local sh
	for sh in ${DXSH:-} "$(dirname "$DXBGPD")/../shell/dxsh" \
	    "$DXT_TOP/build/default/shell/dxsh"; do
		[ -x "$sh" ] && { echo "$sh"; return 0; }
	done
	return 1
}

_pf_sh() {
	timeout 5 "$(_dxbgpd_sh)" -S "$DXT_CASE_DIR/dx/sock" -c "$1"
}

# _pf_conf N [SKIP...]: 10.1.I.0/24 for I in 0..N-1, but the SKIPs.
_pf_conf() {
	local n=$1 i
	shift
	cat <<EOF
hostname dx
router bgp 62610
 bgp router-id $DX
 neighbor $AWS profile aws
 neighbor $AWS password $KEY
 neighbor $AWS timers 10 30
 neighbor $AWS timers connect 2
 neighbor $AWS update-source $DX
 address-family ipv4 unicast
EOF
	for ((i = 0; i < n; i++)); do
		[[ " $* " == *" $i "* ]] && continue
		echo "  network 10.1.$i.0/24"
	done
	cat <<EOF
  neighbor $AWS prefix-list OURS out
 exit-address-family
exit
ip prefix-list OURS seq 5 permit 10.1.0.0/16 le 24
EOF
}

# _pf_reload FILE: put FILE in force by SIGHUP; fails if refused.
_pf_reload() {
	local conf=$DXT_CASE_DIR/dx/conf log=$DXT_CASE_DIR/dx/log n end
	n=$(grep -c 'configuration reloaded\|reload refused' "$log")
	cp "$1" "$conf"
	kill -HUP "$(cut -d' ' -f1 "$DXT_CASE_DIR/dx/pid")" || return 1
	end=$((SECONDS + 5))
	until [ "$(grep -c 'configuration reloaded\|reload refused' "$log")" \
	    -gt "$n" ]; do
		[ $SECONDS -ge $end ] && { echo "no reload in 5 s"; return 1; }
		sleep 0.1
	done
	! tail -n 20 "$log" | grep -q 'reload refused'
}

_pf_gobgp_count() {
	_gobgp_cli "$DXT_CASE_DIR/aws" "$NS_PEER" global rib -a ipv4 -j |
	    jq 'length'
}

# _pf_wait_count N WITHHELD: GoBGP holds N routes and dxbgpd says it
# withholds WITHHELD, within PF_WAIT seconds.
_pf_wait_count() {
	local want=$1 held=$2 end=$((SECONDS + PF_WAIT)) n h
	while :; do
		n=$(_pf_gobgp_count)
		h=$(_pf_sh "show bgp summary json" |
		    jq ".peers[\"$AWS\"].pfxWithheld")
		[ "$n" = "$want" ] && [ "$h" = "$held" ] && {
			echo "GoBGP holds $n routes, dxbgpd withholds $h"
			return 0
		}
		if [ $SECONDS -ge $end ]; then
			echo "GoBGP holds $n routes (want $want), dxbgpd" \
			    "withholds $h (want $held)"
			_pf_sh "show bgp summary"
			return 1
		fi
		sleep 0.3
	done
}

_pf_setup() {
	netns_pair || return 1
	peer_start gobgp aws "$NS_PEER" as=64512 peer_as=62610 neighbor=$DX \
	    password=$KEY addr=$AWS || return 1
	_pf_conf 99 >"$DXT_CASE_DIR/c99"
	dx_start dx "$NS_DX" conf="$DXT_CASE_DIR/c99" || return 1
	wait_established aws "$DX" 30 || return 1
}

_pf_transitions() {
	_pf_sh "show bgp summary json" |
	    jq ".peers[\"$AWS\"].establishedTransitions"
}

_pf_cap() {
	local log=$DXT_CASE_DIR/dx/log rc=0 t
	_pf_setup || return 1
	_pf_wait_count 99 0 || rc=1
	grep -Eq "IPv4 prefixes advertised, (8|9)[0-9]% of its outbound cap of 100" \
	    "$log" || { echo "no 80 % warning in the log"; rc=1; }
	t=$(_pf_transitions)
	_pf_conf 100 >"$DXT_CASE_DIR/c100"
	_pf_reload "$DXT_CASE_DIR/c100" || return 1
	_pf_wait_count 100 0 || rc=1
	_pf_conf 101 >"$DXT_CASE_DIR/c101"
	_pf_reload "$DXT_CASE_DIR/c101" || return 1
	_pf_wait_count 100 1 || rc=1
	_pf_sh "show bgp summary json" | jq -e ".peers[\"$AWS\"] |
	    .maxPrefixOut == 100 and .profile == \"aws\"" >/dev/null ||
	    { echo "summary json: no maxPrefixOut 100 / profile aws"; rc=1; }
	_pf_sh "show bgp neighbors $AWS json" | jq -e ".[\"$AWS\"] |
	    .maxPrefixOut.ipv4.withheld == 1 and
	    .maxPrefixOut.ipv4.firstWithheld == \"10.1.100.0/24\" and
	    .profileApplied.md5Required and .profileApplied.holdTime == 30" \
	    >/dev/null || {
		echo "neighbors json is not as expected:"
		_pf_sh "show bgp neighbors $AWS json"
		rc=1
	}
	if _gobgp_cli "$DXT_CASE_DIR/aws" "$NS_PEER" global rib -a ipv4 \
	    10.1.100.0/24 | grep -q 10.1.100.0; then
		echo "GoBGP has 10.1.100.0/24, the one that should be withheld"
		rc=1
	fi
	grep -q "outbound cap of 100 IPv4 prefixes reached: 1 withheld (the first 10.1.100.0/24)" \
	    "$log" || { echo "the log does not say what is withheld"; rc=1; }
	# Two withdrawn: the withheld one goes out.
	_pf_conf 101 0 1 >"$DXT_CASE_DIR/c99b"
	_pf_reload "$DXT_CASE_DIR/c99b" || return 1
	_pf_wait_count 99 0 || rc=1
	_gobgp_cli "$DXT_CASE_DIR/aws" "$NS_PEER" global rib -a ipv4 \
	    10.1.100.0/24 | grep -q 10.1.100.0 ||
	    { echo "10.1.100.0/24 did not go out once there was room"; rc=1; }
	[ "$(_pf_transitions)" = "$t" ] ||
	    { echo "the session was reset"; rc=1; }
	dx_alive dx || { echo "dxbgpd is not running"; rc=1; }
	return $rc
}

_pf_refused() {
	local out rc=0
	_pf_setup || return 1
	_pf_wait_count 99 0 || return 1
	_pf_conf 99 | grep -v password >"$DXT_CASE_DIR/nokey"
	if out=$("$DXBGPD" -n -f "$DXT_CASE_DIR/nokey" 2>&1); then
		echo "dxbgpd -n accepts an AWS neighbor without a key"
		rc=1
	fi
	echo "$out" | grep -q "nokey:4: neighbor $AWS: AWS requires TCP MD5" ||
	    { echo "dxbgpd -n said: $out"; rc=1; }
	_pf_reload "$DXT_CASE_DIR/nokey" && { echo "reload accepted"; rc=1; }
	sleep 1
	_pf_wait_count 99 0 || rc=1
	[ "$(_pf_transitions)" = 1 ] || { echo "the session was reset"; rc=1; }
	return $rc
}

cases=(
    "AWS outbound cap: 99 and 100 go out, the 101st is withheld (counted, logged, in show json), and goes out when room frees; no reset"
    "AWS profile: dxbgpd -n and reload refuse a neighbor without an MD5 key, nothing changes"
)
funcs=(_pf_cap _pf_refused)

dxt_init
why=$(dxt_why_not gobgp)
for i in "${!cases[@]}"; do
	if [ -n "$why" ]; then
		dxt_skip "profile: ${cases[i]}" "$why"
	else
		dxt_case "profile: ${cases[i]}" "${funcs[i]}"
	fi
done
dxt_finish
