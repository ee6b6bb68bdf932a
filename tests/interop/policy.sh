#!/bin/bash
# policy.sh: dxbgpd's routing policy between real peers. BIRD announces a
# handful of prefixes with chosen communities, AS paths, MEDs and origins;
# dxbgpd filters and changes them with prefix lists and route-maps on the
# way in and on the way out, and originates routes of its own (`network`).
# What dxbgpd holds (dxsh JSON) and what FRR and GoBGP receive (their own
# CLIs) must be exactly the expected routes and attributes. Each case has
# its own namespaces and fresh daemons:
#
#   BIRD  AS 65001  10.0.0.1 --- 10.0.0.2  dxbgpd  AS 65000
#   FRR   AS 65002  10.0.1.1 --- 10.0.1.2  (NS_DX)
#   GoBGP AS 65003  10.0.2.1 --- 10.0.2.2
#
# dxbgpd keeps the default `bgp ebgp-requires-policy` (RFC 8212): every
# route that moves does so because a route-map or prefix list says so.
#
#   1. Inbound: `neighbor BIRD prefix-list IN in` (a deny entry, an exact
#      range, the implicit deny) and `route-map IN in` (an as-path match
#      denying, a community match setting local-preference and adding a
#      community with on-match next, another setting local-preference and
#      metric +5, a catch-all adding a community): dxbgpd holds exactly
#      the 4 survivors of BIRD's 8 prefixes, with those attributes.
#   2. Outbound: toward FRR a route-map (match as-path ^$ for our own
#      routes: set metric and community; a community match: as-path
#      prepend and comm-list delete; the rest: set metric, comm-list
#      delete); toward GoBGP a prefix list allowing 3 prefixes and a
#      route-map (match as-path ^65001_: replace the communities; the
#      rest: set metric). The AS-path lists see the path without our own
#      AS: our `network` routes match ^$, BIRD's match ^65001_.
#   3. `network`: originated routes reach FRR and GoBGP with path "65000",
#      ORIGIN IGP; `network ... route-map` sets community and MED, a
#      route-map that denies originates nothing; a reload (SIGHUP, edited
#      file) with one `network` gone, one added and the route-map changed
#      withdraws, adds and updates them, no session reset.
#   4. RFC 8212: with no outbound policy toward GoBGP it receives nothing
#      (FRR, with one, does) and dxbgpd's log says why; a reload adding a
#      route-map makes the routes flow; a reload changing the prefix list
#      an inbound route-map matches on has BIRD's routes re-evaluated by
#      route refresh. No session is reset (establishedEpoch and
#      establishedTransitions unchanged in `show bgp summary json`).
#   5. Undefined route-maps deny everything, as in FRR: one inbound from
#      BIRD (nothing accepted, the log says why), one outbound to FRR
#      (FRR receives nothing, GoBGP does); defining them by reload lets
#      the routes flow, no session reset.
#   6. IPv6 (a second BIRD session, fd00::1): `ipv6 prefix-list` in,
#      `match ipv6 address prefix-list` with `set ipv6 next-hop global`,
#      `match large-community` with `set local-preference` and `set
#      large-community` (additive and replacing): dxbgpd's IPv6 table is
#      exactly the 2 survivors of 4.
#
# Needs root, BIRD, FRR, GoBGP, jq and dxbgpd with dxsh; otherwise every
# case is a skip. About 1 minute (DXT_TIMEOUT defaults to 180 s here).
: "${DXT_TIMEOUT:=180}"
. "$(dirname "$0")/lib.sh"

: "${PT_WAIT:=10}"	# seconds for a change to reach dxbgpd and the peers

AS_DX=65000
AS_BIRD=65001
AS_FRR=65002
AS_GOBGP=65003
BIRD_A=10.0.0.1 DX_B=10.0.0.2
FRR_A=10.0.1.1 DX_F=10.0.1.2
GOBGP_A=10.0.2.1 DX_G=10.0.2.2

# dxsh: $DXSH, else the one built with the dxbgpd under test
# (DXBGPD=build/X/bgpd/dxbgpd goes with build/X/shell/dxsh), else
# build/default's. Used by lib.sh's route reader too.
_dxbgpd_sh() {
	local sh
	for sh in ${DXSH:-} "$(dirname "$DXBGPD")/../shell/dxsh" \
	    "$DXT_TOP/build/default/shell/dxsh"; do
		[ -x "$sh" ] && { echo "$sh"; return 0; }
	done
	return 1
}

# ---------------------------------------------------------------- BIRD

# BIRD's table: PREFIX|PREPEND (after its own AS)|COMMUNITIES|MED|ORIGIN
PT_TABLE=(
    "198.18.1.0/24||65001:100|10|i"
    "198.18.2.0/24|||20|i"
    "198.18.3.0/24|64666|65001:100||i"
    "198.18.4.0/24||65001:100|40|i"
    "198.18.5.0/25||||e"
    "203.0.113.0/24||||i"
    "198.18.7.0/24|65001|65001:200|70|?"
    "198.18.8.0/24|64999|65001:100 65001:300||i"
)

# _pt_bird_conf [6]: BIRD announcing PT_TABLE over IPv4 (and, with 6,
# PT_TABLE6 over an IPv6 session too).
_pt_bird_conf() {
	local row pfx pre comm med origin c
	cat <<EOF
log stderr all;
router id $BIRD_A;
protocol device { scan time 10; }
protocol static s_routes {
	ipv4;
EOF
	for row in "${PT_TABLE[@]}"; do
		echo "	route ${row%%|*} blackhole;"
	done
	echo "}"
	echo "filter f_out {"
	for row in "${PT_TABLE[@]}"; do
		IFS='|' read -r pfx pre comm med origin <<<"$row"
		echo "	if net = $pfx then {"
		case $origin in
		e) echo "		bgp_origin = ORIGIN_EGP;" ;;
		'?') echo "		bgp_origin = ORIGIN_INCOMPLETE;" ;;
		esac
		[ -n "$pre" ] && echo "		bgp_path.prepend($pre);"
		for c in $comm; do
			echo "		bgp_community.add((${c%:*},${c#*:}));"
		done
		[ -n "$med" ] && echo "		bgp_med = $med;"
		echo "		accept;"
		echo "	}"
	done
	cat <<EOF
	reject;
}
protocol bgp $(_bird_proto "$DX_B") {
	debug { states, events };
	local $BIRD_A as $AS_BIRD;
	neighbor $DX_B as $AS_DX;
	hold time 90;
	keepalive time 30;
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 2;
	ipv4 { import none; export filter f_out; };
}
EOF
	[ "${1:-}" = 6 ] && _pt_bird_conf6
	return 0
}

# BIRD's IPv6 table: PREFIX|LARGE COMMUNITIES
PT_TABLE6=(
    "2001:db8:101::/48|"
    "2001:db8:102::/48|65001:7:7"
    "2001:db8:103::/56|65001:7:7"
    "2001:db8:200::/48|"
)

_pt_bird_conf6() {
	local row pfx lc c
	echo "protocol static s_routes6 {"
	echo "	ipv6;"
	for row in "${PT_TABLE6[@]}"; do
		echo "	route ${row%%|*} blackhole;"
	done
	echo "}"
	echo "filter f_out6 {"
	for row in "${PT_TABLE6[@]}"; do
		IFS='|' read -r pfx lc <<<"$row"
		echo "	if net = $pfx then {"
		for c in $lc; do
			echo "		bgp_large_community.add((${c//:/,}));"
		done
		echo "		accept;"
		echo "	}"
	done
	cat <<EOF
	reject;
}
protocol bgp $(_bird_proto "$DX6") {
	debug { states, events };
	local $PEER6 as $AS_BIRD;
	neighbor $DX6 as $AS_DX;
	hold time 90;
	keepalive time 30;
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 2;
	ipv6 { import none; export filter f_out6; };
}
EOF
}

# _pt_plain VIEW PREFIX...: the lines peer_routes prints for BIRD's
# prefixes as passed on unchanged: VIEW frr or gobgp (received from
# dxbgpd: our AS in front, no MED) or dx (dxbgpd's own table).
_pt_plain() {
	local view=$1 row pfx pre comm med origin want nh path
	shift
	for want in "$@"; do
		for row in "${PT_TABLE[@]}"; do
			IFS='|' read -r pfx pre comm med origin <<<"$row"
			[ "$pfx" = "$want" ] || continue
			case $view in
			frr) nh=$DX_F path=$AS_DX,$AS_BIRD med=- ;;
			gobgp) nh=$DX_G path=$AS_DX,$AS_BIRD med=- ;;
			dx) nh=$BIRD_A path=$AS_BIRD med=${med:--} ;;
			esac
			# shellcheck disable=SC2086 # one community a word
			comm=$(printf '%s\n' $comm | LC_ALL=C sort | paste -sd, -)
			echo "$pfx nh=$nh path=$path${pre:+,$pre}" \
			    "comm=${comm:--} origin=$origin med=$med lp=-"
		done
	done
}

# ---------------------------------------------------------------- dxbgpd

# _pt_nbrs PEER...: the neighbors (bird, frr, gobgp) of `router bgp`.
_pt_nbrs() {
	local n
	echo "hostname dx"
	echo "router bgp $AS_DX"
	echo " bgp router-id $DX_B"
	for n in "$@"; do
		case $n in
		bird) set -- "$BIRD_A" "$AS_BIRD" "$DX_B" ;;
		frr) set -- "$FRR_A" "$AS_FRR" "$DX_F" ;;
		gobgp) set -- "$GOBGP_A" "$AS_GOBGP" "$DX_G" ;;
		esac
		echo " neighbor $1 remote-as $2"
		echo " neighbor $1 timers 10 30"
		echo " neighbor $1 timers connect 2"
		echo " neighbor $1 update-source $3"
	done
}

# Cases 1 and 2: the inbound and outbound policies, and two networks.
_pt_conf_policy() {
	cat <<EOF
ip prefix-list IN seq 5 deny 198.18.4.0/24 le 32
ip prefix-list IN seq 10 permit 198.18.0.0/16 le 24
ip prefix-list OUT-G seq 5 permit 10.10.1.0/24
ip prefix-list OUT-G seq 10 permit 198.18.1.0/24
ip prefix-list OUT-G seq 15 permit 198.18.7.0/24
bgp community-list standard CUST permit 65001:100
bgp community-list standard LOW permit 65001:200
bgp community-list standard OURS permit 65000:2
bgp as-path access-list BAD permit _64666_
bgp as-path access-list LOCAL permit ^\$
bgp as-path access-list FROM-BIRD permit ^65001_
route-map IN deny 10
 match as-path BAD
exit
route-map IN permit 20
 match community CUST
 set local-preference 200
 set community 65000:100 additive
 on-match next
exit
route-map IN permit 30
 match community LOW
 set local-preference 50
 set metric +5
exit
route-map IN permit 40
 set community 65000:2 additive
exit
route-map OUT-F permit 10
 match as-path LOCAL
 set metric 111
 set community 65000:10
exit
route-map OUT-F permit 20
 match community CUST
 set as-path prepend 65000 65000
 set comm-list CUST delete
exit
route-map OUT-F permit 30
 set metric 30
 set comm-list OURS delete
exit
route-map OUT-G permit 10
 match as-path FROM-BIRD
 set community 65000:3
exit
route-map OUT-G permit 20
 set metric 222
exit
EOF
	_pt_nbrs bird frr gobgp
	# both places a neighbor's IPv4 policy may be written
	cat <<EOF
 neighbor $BIRD_A route-map IN in
 neighbor $GOBGP_A prefix-list OUT-G out
 address-family ipv4 unicast
  network 10.10.1.0/24
  network 10.10.2.0/24
  neighbor $BIRD_A prefix-list IN in
  neighbor $FRR_A route-map OUT-F out
  neighbor $GOBGP_A route-map OUT-G out
 exit-address-family
EOF
}

# Case 3: networks; VARIANT before or after (the reload).
_pt_conf_network() {
	local com=65000:20
	[ "$1" = after ] && com=65000:21
	cat <<EOF
route-map NET permit 10
 set community $com
 set metric 5
exit
route-map NETDENY deny 10
exit
route-map ALL permit 10
exit
EOF
	_pt_nbrs frr gobgp
	echo " address-family ipv4 unicast"
	echo "  network 10.20.1.0/24 route-map NET"
	[ "$1" = before ] && echo "  network 10.20.2.0/24"
	echo "  network 10.20.3.0/24 route-map NETDENY"
	[ "$1" = after ] && echo "  network 10.20.4.0/24"
	cat <<EOF
  neighbor $FRR_A route-map ALL out
  neighbor $GOBGP_A route-map ALL out
 exit-address-family
EOF
}

# Case 4: RFC 8212; VARIANT none (no policy toward GoBGP), out (a
# route-map toward GoBGP), plist (and the prefix list ALLOW changed).
_pt_conf_8212() {
	local v=$1
	if [ "$v" = plist ]; then
		echo "ip prefix-list ALLOW seq 5 permit 198.18.2.0/24"
		echo "ip prefix-list ALLOW seq 10 permit 198.18.7.0/24"
	else
		echo "ip prefix-list ALLOW seq 5 permit 198.18.1.0/24"
		echo "ip prefix-list ALLOW seq 10 permit 198.18.2.0/24"
	fi
	cat <<EOF
route-map IN2 permit 10
 match ip address prefix-list ALLOW
exit
route-map ALL permit 10
exit
EOF
	_pt_nbrs bird frr gobgp
	echo " neighbor $BIRD_A route-map IN2 in"
	echo " neighbor $FRR_A route-map ALL out"
	[ "$v" != none ] && echo " neighbor $GOBGP_A route-map ALL out"
	return 0
}

# Case 5: route-maps used but not defined; VARIANT undef or defined.
_pt_conf_undef() {
	echo "route-map ALL permit 10"
	echo "exit"
	if [ "$1" = defined ]; then
		printf 'route-map NOPE-IN permit 10\nexit\n'
		printf 'route-map NOPE-OUT permit 10\n set metric 9\nexit\n'
	fi
	_pt_nbrs bird frr gobgp
	cat <<EOF
 neighbor $BIRD_A route-map NOPE-IN in
 neighbor $FRR_A route-map NOPE-OUT out
 neighbor $GOBGP_A route-map ALL out
 address-family ipv4 unicast
  network 10.30.1.0/24
 exit-address-family
EOF
}

# Case 6: IPv6 from BIRD (fd00::1), with IPv6 prefix lists, large
# communities and the IPv6 next hop set on the way in.
_pt_conf_v6() {
	cat <<EOF
ipv6 prefix-list IN6 seq 5 permit 2001:db8:100::/40 le 48
ipv6 prefix-list NH6 seq 5 permit 2001:db8:101::/48
bgp large-community-list standard LC permit 65001:7:7
route-map IN6 permit 10
 match ipv6 address prefix-list NH6
 set ipv6 next-hop global fd00::99
 set large-community 65000:1:1 additive
exit
route-map IN6 permit 20
 match large-community LC
 set local-preference 300
 set large-community 65000:2:2
exit
route-map IN6 permit 30
exit
route-map ALL permit 10
exit
EOF
	_pt_nbrs bird
	cat <<EOF
 neighbor $PEER6 remote-as $AS_BIRD
 neighbor $PEER6 timers 10 30
 neighbor $PEER6 timers connect 2
 neighbor $BIRD_A route-map ALL in
 address-family ipv6 unicast
  neighbor $PEER6 prefix-list IN6 in
  neighbor $PEER6 route-map IN6 in
 exit-address-family
EOF
}

# ---------------------------------------------------------------- helpers

# _pt_setup CONF PEER...: the namespaces, dxbgpd with config CONF, and the
# peers (bird; bird6, BIRD with its IPv6 session too; frr; gobgp), every
# session Established.
_pt_setup() {
	local conf=$1 p
	shift
	netns_pair || return 1
	netns_link f "$FRR_A/24" "$DX_F/24" || return 1
	NS_FRR=$NS_LINK
	netns_link g "$GOBGP_A/24" "$DX_G/24" || return 1
	NS_GOBGP=$NS_LINK
	_pt_check_conf "$conf" || return 1
	dx_start dx "$NS_DX" conf="$conf" || return 1
	for p in "$@"; do
		case $p in
		bird | bird6)
			_pt_bird_conf "${p#bird}" >"$DXT_CASE_DIR/bird.conf"
			peer_start bird bird "$NS_PEER" \
			    conf="$DXT_CASE_DIR/bird.conf" || return 1 ;;
		frr)
			peer_start frr frr "$NS_FRR" as="$AS_FRR" peer_as="$AS_DX" \
			    neighbor="$DX_F" addr="$FRR_A" || return 1 ;;
		gobgp)
			peer_start gobgp gobgp "$NS_GOBGP" as="$AS_GOBGP" \
			    peer_as="$AS_DX" neighbor="$DX_G" addr="$GOBGP_A" ||
			    return 1 ;;
		esac
	done
	for p in "$@"; do
		case $p in
		bird) wait_established bird "$DX_B" || return 1 ;;
		bird6)
			wait_established bird "$DX_B" || return 1
			wait_established bird "$DX6" || return 1 ;;
		frr) wait_established frr "$DX_F" || return 1 ;;
		gobgp) wait_established gobgp "$DX_G" || return 1 ;;
		esac
	done
}

# _pt_check_conf FILE: dxbgpd -n accepts it; if not, say why (with the
# file) and fail: a reload of it would be refused.
_pt_check_conf() {
	local out
	if ! out=$("$DXBGPD" -n -f "$1" 2>&1); then
		echo "dxbgpd -n refuses $1:"
		echo "$out" | sed 's/^/    /'
		sed 's/^/    | /' "$1"
		return 1
	fi
}

_pt_dxsh() {
	local sh
	sh=$(_dxbgpd_sh) || { echo "dxsh is not built"; return 1; }
	timeout 5 "$sh" -S "$DXT_CASE_DIR/dx/sock" -c "$1"
}

# _pt_expect NAME LINE...: the lines, sorted, into $DXT_CASE_DIR/NAME.
_pt_expect() {
	local f=$DXT_CASE_DIR/$1
	shift
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" | LC_ALL=C sort >"$f"
	else
		: >"$f"
	fi
}

# _pt_wait_log REGEX [SECONDS]: until dxbgpd's log has a line matching
# REGEX (grep -E); print it.
_pt_wait_log() {
	local re=$1 secs=${2:-$PT_WAIT} end line
	end=$((SECONDS + secs))
	while :; do
		line=$(grep -E -m 1 -- "$re" "$DXT_CASE_DIR/dx/log")
		if [ -n "$line" ]; then
			echo "dx log: $line"
			return 0
		fi
		[ $SECONDS -ge $end ] && break
		sleep 0.5
	done
	echo "dxbgpd's log has no line matching '$re' after ${secs}s"
	return 1
}

# _pt_reload GENERATOR VARIANT: dxbgpd's config file rewritten by
# GENERATOR VARIANT, then SIGHUP; waits for "configuration reloaded".
_pt_reload() {
	local conf=$DXT_CASE_DIR/dx/conf log=$DXT_CASE_DIR/dx/log pid n end
	"$1" "$2" >"$conf.new" || return 1
	_pt_check_conf "$conf.new" || return 1
	mv "$conf.new" "$conf"
	n=$(grep -c 'configuration reloaded' "$log")
	pid=$(cut -d' ' -f1 "$DXT_CASE_DIR/dx/pid")
	echo "reloading dxbgpd ($2; SIGHUP to $pid)"
	kill -HUP "$pid" || return 1
	end=$((SECONDS + 5))
	until [ "$(grep -c 'configuration reloaded' "$log")" -gt "$n" ]; do
		if grep -q 'reload refused' "$log"; then
			echo "dxbgpd refused the reload:"
			grep 'reload refused' "$log" | sed 's/^/    /'
			return 1
		fi
		if [ $SECONDS -ge $end ]; then
			echo "dxbgpd did not say 'configuration reloaded' in 5s"
			return 1
		fi
		sleep 0.2
	done
}

# _pt_sessions: each of dxbgpd's sessions as "ADDR STATE EPOCH
# TRANSITIONS", from `show bgp summary json`.
_pt_sessions() {
	_pt_dxsh "show bgp summary json" | jq -r '.peers | to_entries[] |
	    "\(.key) \(.value.state) \(.value.establishedEpoch)" +
	    " \(.value.establishedTransitions)"' | LC_ALL=C sort
}

# _pt_no_reset FILE: the sessions are as _pt_sessions wrote them to FILE
# (same establishedEpoch, one transition each, still Established).
_pt_no_reset() {
	local now bad
	now=$(_pt_sessions) || return 1
	bad=$(echo "$now" | awk '$2 != "Established" || $4 != 1')
	if [ "$now" != "$(cat "$1")" ] || [ -n "$bad" ]; then
		echo "a session was reset; before, then now (addr state" \
		    "establishedEpoch establishedTransitions):"
		sed 's/^/    /' "$1"
		echo "$now" | sed 's/^/    /'
		return 1
	fi
	echo "dx: no session reset ($(echo "$now" | wc -l) sessions," \
	    "establishedEpoch unchanged)"
}

# _pt_pfx_rcd ADDR: pfxRcd of a neighbor in `show bgp summary json`.
_pt_pfx_rcd() {
	_pt_dxsh "show bgp summary json" | jq --arg p "$1" '.peers[$p].pfxRcd'
}

# _pt_dx_routes6: dxbgpd's IPv6 table as peer_routes prints it, plus
# the large communities: "... lcomm=A:B:C,...".
_pt_dx_routes6() {
	_pt_dxsh "show bgp ipv6 unicast json" | jq -r "$_DXT_JQ_DEFS"'
	    (.routes // {}) | to_entries[] | .key as $p | .value[] |
	    line($p; .nexthop; .path | gsub(" "; ",");
		.communities // []; .origin; .med; .localPref) +
	    " lcomm=\(.largeCommunities // [] | sort | join(",") | dash)"' |
	    LC_ALL=C sort
}

_pt_still_running() {
	if ! dx_alive dx; then
		echo "dxbgpd is no longer running"
		return 1
	fi
}

# ---------------------------------------------------------------- cases

# What dxbgpd makes of BIRD's table with route-map IN and prefix-list IN.
_pt_in_expect() {
	local b=$BIRD_A
	_pt_expect "$1" \
	    "198.18.1.0/24 nh=$b path=65001 comm=65000:100,65000:2,65001:100 origin=i med=10 lp=200" \
	    "198.18.2.0/24 nh=$b path=65001 comm=65000:2 origin=i med=20 lp=-" \
	    "198.18.7.0/24 nh=$b path=65001,65001 comm=65001:200 origin=? med=75 lp=50" \
	    "198.18.8.0/24 nh=$b path=65001,64999 comm=65000:100,65000:2,65001:100,65001:300 origin=i med=- lp=200" \
	    "10.10.1.0/24 nh=- path=- comm=- origin=i med=- lp=-" \
	    "10.10.2.0/24 nh=- path=- comm=- origin=i med=- lp=-"
}

_pt_inbound() {
	local out n rc=0
	_pt_conf_policy >"$DXT_CASE_DIR/dx.conf"
	_pt_setup "$DXT_CASE_DIR/dx.conf" bird frr gobgp || return 1
	_pt_in_expect in.dx
	# 198.18.3 (as-path BAD), .4 (deny entry), .5/25 (past le 24) and
	# 203.0.113 (no entry) are refused; the others changed as above
	wait_routes dx "$DXT_CASE_DIR/in.dx" 15 || rc=1
	out=$(_pt_dxsh "show bgp ipv4 unicast json") || return 1
	n=$(echo "$out" | jq --arg p "$BIRD_A" '[.routes[][] |
	    select(.peer == $p and .best == true and .valid == true)] |
	    length')
	echo "dx: $n paths from $BIRD_A, best and valid"
	[ "$n" = 4 ] || rc=1
	n=$(_pt_pfx_rcd "$BIRD_A")
	echo "dx: show bgp summary json: pfxRcd $n for $BIRD_A"
	[ "$n" = 4 ] || rc=1
	_pt_still_running || rc=1
	return $rc
}

_pt_outbound() {
	local rc=0 f=$DX_F g=$DX_G
	_pt_conf_policy >"$DXT_CASE_DIR/dx.conf"
	_pt_setup "$DXT_CASE_DIR/dx.conf" bird frr gobgp || return 1
	# FRR, route-map OUT-F: ours match ^$ (metric 111, community
	# replaced); CUST: 2 prepends, 65001:100 deleted; the rest: metric
	# 30, 65000:2 deleted. BIRD's MED never leaves the AS.
	_pt_expect out.frr \
	    "10.10.1.0/24 nh=$f path=65000 comm=65000:10 origin=i med=111 lp=-" \
	    "10.10.2.0/24 nh=$f path=65000 comm=65000:10 origin=i med=111 lp=-" \
	    "198.18.1.0/24 nh=$f path=65000,65000,65000,65001 comm=65000:100,65000:2 origin=i med=- lp=-" \
	    "198.18.2.0/24 nh=$f path=65000,65001 comm=- origin=i med=30 lp=-" \
	    "198.18.7.0/24 nh=$f path=65000,65001,65001 comm=65001:200 origin=? med=30 lp=-" \
	    "198.18.8.0/24 nh=$f path=65000,65000,65000,65001,64999 comm=65000:100,65000:2,65001:300 origin=i med=- lp=-"
	# GoBGP, prefix-list OUT-G (3 prefixes), route-map OUT-G: BIRD's
	# match ^65001_ (communities replaced), ours get metric 222
	_pt_expect out.gobgp \
	    "10.10.1.0/24 nh=$g path=65000 comm=- origin=i med=222 lp=-" \
	    "198.18.1.0/24 nh=$g path=65000,65001 comm=65000:3 origin=i med=- lp=-" \
	    "198.18.7.0/24 nh=$g path=65000,65001,65001 comm=65000:3 origin=? med=- lp=-"
	wait_routes frr "$DXT_CASE_DIR/out.frr" 15 || rc=1
	wait_routes gobgp "$DXT_CASE_DIR/out.gobgp" 5 || rc=1
	_pt_still_running || rc=1
	return $rc
}

_pt_network() {
	local rc=0 name nh
	_pt_conf_network before >"$DXT_CASE_DIR/dx.conf"
	_pt_setup "$DXT_CASE_DIR/dx.conf" frr gobgp || return 1
	for name in frr gobgp; do
		case $name in
		frr) nh=$DX_F ;;
		gobgp) nh=$DX_G ;;
		esac
		_pt_expect before.$name \
		    "10.20.1.0/24 nh=$nh path=65000 comm=65000:20 origin=i med=5 lp=-" \
		    "10.20.2.0/24 nh=$nh path=65000 comm=- origin=i med=- lp=-"
		_pt_expect after.$name \
		    "10.20.1.0/24 nh=$nh path=65000 comm=65000:21 origin=i med=5 lp=-" \
		    "10.20.4.0/24 nh=$nh path=65000 comm=- origin=i med=- lp=-"
	done
	# 10.20.3.0/24: its route-map denies, it is not originated at all
	_pt_expect before.dx \
	    "10.20.1.0/24 nh=- path=- comm=65000:20 origin=i med=5 lp=-" \
	    "10.20.2.0/24 nh=- path=- comm=- origin=i med=- lp=-"
	_pt_expect after.dx \
	    "10.20.1.0/24 nh=- path=- comm=65000:21 origin=i med=5 lp=-" \
	    "10.20.4.0/24 nh=- path=- comm=- origin=i med=- lp=-"
	wait_routes frr "$DXT_CASE_DIR/before.frr" 15 || rc=1
	wait_routes gobgp "$DXT_CASE_DIR/before.gobgp" 5 || rc=1
	wait_routes dx "$DXT_CASE_DIR/before.dx" 2 || rc=1
	[ $rc = 0 ] || return 1
	_pt_sessions >"$DXT_CASE_DIR/sessions" || return 1
	gobgp_monitor gobgp gmon 2 || return 1
	# no network 10.20.2.0/24, network 10.20.4.0/24, route-map NET changed
	_pt_reload _pt_conf_network after || return 1
	wait_routes frr "$DXT_CASE_DIR/after.frr" "$PT_WAIT" || rc=1
	wait_routes gobgp "$DXT_CASE_DIR/after.gobgp" 5 || rc=1
	wait_routes dx "$DXT_CASE_DIR/after.dx" 2 || rc=1
	echo "gobgp saw: $(gobgp_events gmon | LC_ALL=C sort | paste -sd, -)"
	if ! gobgp_events gmon | grep -qx '10.20.2.0/24 withdraw'; then
		echo "gobgp saw no withdrawal of 10.20.2.0/24"
		rc=1
	fi
	_pt_no_reset "$DXT_CASE_DIR/sessions" || rc=1
	_pt_still_running || rc=1
	return $rc
}

_pt_rfc8212() {
	local rc=0 n
	_pt_conf_8212 none >"$DXT_CASE_DIR/dx.conf"
	_pt_setup "$DXT_CASE_DIR/dx.conf" bird frr gobgp || return 1
	_pt_plain dx 198.18.1.0/24 198.18.2.0/24 >"$DXT_CASE_DIR/a.dx"
	_pt_plain frr 198.18.1.0/24 198.18.2.0/24 >"$DXT_CASE_DIR/a.frr"
	_pt_plain gobgp 198.18.1.0/24 198.18.2.0/24 >"$DXT_CASE_DIR/a.gobgp"
	_pt_plain dx 198.18.2.0/24 198.18.7.0/24 >"$DXT_CASE_DIR/c.dx"
	_pt_plain frr 198.18.2.0/24 198.18.7.0/24 >"$DXT_CASE_DIR/c.frr"
	_pt_plain gobgp 198.18.2.0/24 198.18.7.0/24 >"$DXT_CASE_DIR/c.gobgp"
	_pt_expect empty
	# FRR (route-map ALL out) gets BIRD's routes that IN2 lets in...
	wait_routes dx "$DXT_CASE_DIR/a.dx" 15 || return 1
	wait_routes frr "$DXT_CASE_DIR/a.frr" "$PT_WAIT" || return 1
	# ...GoBGP (no outbound policy) none, and the log says why
	sleep 2
	wait_routes gobgp "$DXT_CASE_DIR/empty" 1 || rc=1
	_pt_wait_log "$GOBGP_A.*RFC 8212|RFC 8212.*$GOBGP_A" 1 || rc=1
	_pt_sessions >"$DXT_CASE_DIR/sessions" || return 1
	# a route-map toward GoBGP, by reload: the routes flow, no reset
	_pt_reload _pt_conf_8212 out || return 1
	wait_routes gobgp "$DXT_CASE_DIR/a.gobgp" "$PT_WAIT" || rc=1
	wait_routes frr "$DXT_CASE_DIR/a.frr" 1 || rc=1
	_pt_no_reset "$DXT_CASE_DIR/sessions" || rc=1
	# the prefix list IN2 matches on changes: BIRD asked for its routes
	# again (route refresh), 198.18.1 out and 198.18.7 in, no reset
	_pt_reload _pt_conf_8212 plist || return 1
	wait_routes dx "$DXT_CASE_DIR/c.dx" "$PT_WAIT" || rc=1
	wait_routes frr "$DXT_CASE_DIR/c.frr" 5 || rc=1
	wait_routes gobgp "$DXT_CASE_DIR/c.gobgp" 5 || rc=1
	_pt_wait_log "neighbor $BIRD_A: import settings changed; asked it for its routes again \(route refresh\)" 1 ||
	    rc=1
	n=$(_pt_dxsh "show bgp neighbors $BIRD_A json" |
	    jq --arg p "$BIRD_A" '.[$p].messages.routeRefreshOut')
	echo "dx: $n route refresh messages sent to $BIRD_A"
	[ "${n:-0}" -ge 1 ] 2>/dev/null || rc=1
	_pt_no_reset "$DXT_CASE_DIR/sessions" || rc=1
	_pt_still_running || rc=1
	return $rc
}

_pt_undefined() {
	local rc=0 n p all
	_pt_conf_undef undef >"$DXT_CASE_DIR/dx.conf"
	_pt_setup "$DXT_CASE_DIR/dx.conf" bird frr gobgp || return 1
	_pt_expect u.dx "10.30.1.0/24 nh=- path=- comm=- origin=i med=- lp=-"
	_pt_expect u.gobgp \
	    "10.30.1.0/24 nh=$DX_G path=65000 comm=- origin=i med=- lp=-"
	_pt_expect empty
	# nothing from BIRD (NOPE-IN), nothing to FRR (NOPE-OUT); GoBGP,
	# with a route-map that exists, gets our network
	_pt_wait_log "neighbor $BIRD_A: routes not accepted: .*not defined" 15 ||
	    rc=1
	wait_routes gobgp "$DXT_CASE_DIR/u.gobgp" "$PT_WAIT" || rc=1
	wait_routes dx "$DXT_CASE_DIR/u.dx" 1 || rc=1
	sleep 1
	wait_routes frr "$DXT_CASE_DIR/empty" 1 || rc=1
	n=$(_pt_pfx_rcd "$BIRD_A")
	echo "dx: pfxRcd $n for $BIRD_A"
	[ "$n" = 0 ] || rc=1
	_pt_sessions >"$DXT_CASE_DIR/sessions" || return 1
	# defined by reload: everything flows (NOPE-OUT sets metric 9)
	_pt_reload _pt_conf_undef defined || return 1
	all=()
	for p in "${PT_TABLE[@]}"; do
		all+=("${p%%|*}")
	done
	{
		_pt_plain dx "${all[@]}"
		cat "$DXT_CASE_DIR/u.dx"
	} | LC_ALL=C sort >"$DXT_CASE_DIR/d.dx"
	{
		_pt_plain frr "${all[@]}" | sed 's/ med=- / med=9 /'
		echo "10.30.1.0/24 nh=$DX_F path=65000 comm=- origin=i med=9 lp=-"
	} | LC_ALL=C sort >"$DXT_CASE_DIR/d.frr"
	{
		_pt_plain gobgp "${all[@]}"
		cat "$DXT_CASE_DIR/u.gobgp"
	} | LC_ALL=C sort >"$DXT_CASE_DIR/d.gobgp"
	wait_routes dx "$DXT_CASE_DIR/d.dx" "$PT_WAIT" || rc=1
	wait_routes frr "$DXT_CASE_DIR/d.frr" 5 || rc=1
	wait_routes gobgp "$DXT_CASE_DIR/d.gobgp" 5 || rc=1
	_pt_no_reset "$DXT_CASE_DIR/sessions" || rc=1
	_pt_still_running || rc=1
	return $rc
}

_pt_ipv6() {
	local rc=0 end have want
	_pt_conf_v6 >"$DXT_CASE_DIR/dx.conf"
	_pt_setup "$DXT_CASE_DIR/dx.conf" bird6 || return 1
	# 2001:db8:200::/48 (outside IN6) and 2001:db8:103::/56 (past le 48)
	# refused; the next hop of 2001:db8:101::/48 set, large communities
	# added or replaced, local-preference set by a large-community match
	want=$(printf '%s\n' \
	    "2001:db8:101::/48 nh=fd00::99 path=65001 comm=- origin=i med=- lp=- lcomm=65000:1:1" \
	    "2001:db8:102::/48 nh=$PEER6 path=65001 comm=- origin=i med=- lp=300 lcomm=65000:2:2" |
	    LC_ALL=C sort)
	end=$((SECONDS + 15))
	while :; do
		have=$(_pt_dx_routes6 2>&1)
		[ "$have" = "$want" ] && break
		if [ $SECONDS -ge $end ]; then
			echo "dx: its IPv6 table is not the expected one after" \
			    "15s; diff -U0 expected actual:"
			diff -U0 <(echo "$want") <(echo "$have") |
			    sed -n '3,32s/^/    /p'
			rc=1
			break
		fi
		sleep 0.5
	done
	[ $rc = 0 ] && echo "dx: holds the expected 2 IPv6 paths"
	# and BIRD's IPv4 routes, by the IPv4 route-map ALL
	_pt_plain dx "${PT_TABLE[@]%%|*}" >"$DXT_CASE_DIR/v4.dx"
	wait_routes dx "$DXT_CASE_DIR/v4.dx" 5 || rc=1
	_pt_still_running || rc=1
	return $rc
}

# ---------------------------------------------------------------- main

cases=(
    "inbound prefix-list and route-map: dxbgpd holds exactly the 4 permitted of BIRD's 8 prefixes, with local-preference, metric and communities set"
    "outbound route-maps and prefix-list: FRR and GoBGP hold exactly the expected routes (prepend, metric, communities set and deleted); as-path lists see the path without our AS"
    "network statements: path $AS_DX, ORIGIN IGP, route-map sets community/metric or denies; reload adds, withdraws and changes them without a reset"
    "RFC 8212: nothing to GoBGP without policy (log says why); route-map added and inbound prefix-list changed by reload take effect without a reset"
    "undefined route-maps deny everything in and out; defining them by reload lets the routes flow"
    "IPv6 inbound: ipv6 prefix-list, match ipv6 address prefix-list, set ipv6 next-hop global, large communities matched and set"
)
funcs=(_pt_inbound _pt_outbound _pt_network _pt_rfc8212 _pt_undefined
    _pt_ipv6)

dxt_init
why=$(dxt_why_not bird frr gobgp)
for i in "${!cases[@]}"; do
	if [ -n "$why" ]; then
		dxt_skip "policy: ${cases[i]}" "$why"
	else
		dxt_case "policy: ${cases[i]}" "${funcs[i]}"
	fi
done
dxt_finish
