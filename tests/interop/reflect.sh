#!/bin/bash
# reflect.sh: route reflection (RFC 4456) in dxbgpd, against real iBGP
# peers. Everyone is in AS 62610; each case has its own namespaces and
# fresh daemons:
#
#   ExaBGP  10.0.0.1 --- 10.0.0.2  dxbgpd (router ID 10.0.0.2)  non-client
#   GoBGP   10.0.1.1 --- 10.0.1.2  (NS_DX)      route-reflector-client "c"
#   GoBGP   10.0.2.1 --- 10.0.2.2                           non-client "n"
#
# ExaBGP announces static routes carrying the reflection attributes that
# dxbgpd must check on import (§8): 198.18.X.0/24 with
#   X=1  ORIGINATOR_ID 10.0.0.2 (our router ID)             always refused
#   X=2  CLUSTER_LIST 192.0.2.7 10.0.0.2 (our router ID)    refused unless
#        an explicit `bgp cluster-id` makes the cluster ID something else
#   X=3  CLUSTER_LIST 192.0.2.7 192.0.2.99                  refused with
#        `bgp cluster-id 192.0.2.99`, accepted otherwise
#   X=4  ORIGINATOR_ID 10.9.9.9, CLUSTER_LIST 192.0.2.7 192.0.2.8  accepted
#   X=5  no reflection attribute                            accepted
#
#   1. ORIGINATOR_ID = our router ID (X=1 4 5): dxbgpd holds 4 and 5 as
#      sent, refuses 1 (prefixesRefused 1), its log says why.
#   2. Default cluster ID (the router ID), X=2 3 4 5: 2 is refused,
#      3 4 5 are held; the log says CLUSTER_LIST.
#   3. `bgp cluster-id 192.0.2.99`, X=2 3 4 5: 3 is refused, 2 4 5 held.
#   4. Reflection, default cluster ID. GoBGP c originates 198.51.100.0/24,
#      GoBGP n 203.0.113.0/24, ExaBGP X=1..5. The client gets n's route
#      and ExaBGP's accepted ones (ORIGINATOR_ID = the sender's router ID
#      unless it had one, CLUSTER_LIST = ours prepended); n and ExaBGP get
#      c's route with ORIGINATOR_ID 10.0.1.1 and CLUSTER_LIST [10.0.0.2];
#      non-clients get nothing from each other.
#   5. The same with `bgp cluster-id 192.0.2.99`: that ID is prepended.
#
# What each peer got is read from its own view: GoBGP `gobgp neighbor
# 10.0.X.2 adj-in -j`, ExaBGP's parsed UPDATEs (JSON from its API, fed to
# a helper that appends them to a file), dxbgpd `show bgp ipv4 unicast
# json`. Needs root, ExaBGP, GoBGP, jq, dxbgpd and dxsh; otherwise every
# case is a skip. About 40 s.
: "${DXT_CASE_TIMEOUT:=45}"
: "${DXT_TIMEOUT:=180}"
. "$(dirname "$0")/lib.sh"

: "${RR_WAIT:=10}"	# seconds for routes to arrive
: "${RR_SETTLE:=2}"	# seconds more before "nothing else arrived"
EXABGP=${EXABGP:-/usr/sbin/exabgp}

AS=62610
DX_ID=10.0.0.2		# dxbgpd's router ID, the default cluster ID
CID=192.0.2.99		# the explicit cluster ID of cases 3 and 5
EXA_A=10.0.0.1 DX_E=10.0.0.2
CLI_A=10.0.1.1 DX_C=10.0.1.2
NON_A=10.0.2.1 DX_N=10.0.2.2
CLI_PFX=198.51.100.0/24
NON_PFX=203.0.113.0/24

# ---------------------------------------------------------------- ExaBGP
# exabgp CONF in the foreground (the Debian default), as root, without
# its CLI pipes. A process gets every parsed UPDATE and state change as
# JSON and appends them to DIR/recv: a shell that waits on cat, because
# ExaBGP takes the end of a helper's standard output for its death.

# _rr_exa_route X: ExaBGP's static route for 198.18.X.0/24.
_rr_exa_route() {
	local r="route 198.18.$1.0/24 next-hop $EXA_A"
	case $1 in
	1) echo "$r originator-id $DX_ID;" ;;
	2) echo "$r cluster-list [ 192.0.2.7 $DX_ID ];" ;;
	3) echo "$r cluster-list [ 192.0.2.7 $CID ];" ;;
	4) echo "$r originator-id 10.9.9.9 cluster-list [ 192.0.2.7 192.0.2.8 ];" ;;
	5) echo "$r;" ;;
	esac
}

# _rr_exa_conf DIR X...: ExaBGP peering with dxbgpd, the routes X.
_rr_exa_conf() {
	local dir=$1 x
	shift
	cat <<EOF
process recv {
	run $dir/recv.sh;
	encoder json;
}
neighbor $DX_E {
	router-id $EXA_A;
	local-address $EXA_A;
	local-as $AS;
	peer-as $AS;
	hold-time 30;
	family { ipv4 unicast; }
	api {
		processes [ recv ];
		neighbor-changes;
		receive { parsed; update; }
	}
	static {
EOF
	for x in "$@"; do
		echo "		$(_rr_exa_route "$x")"
	done
	echo "	}"
	echo "}"
}

# _rr_exa_start NAME NS X...: start ExaBGP as instance NAME (stopped,
# diagnosed and cleaned up like lib.sh's), until its config is loaded.
_rr_exa_start() {
	local name=$1 ns=$2 dir i
	shift 2
	dir=$(_dxt_dir "$name")
	mkdir -p "$dir"
	echo exabgp >"$dir/kind"
	echo "$ns" >"$dir/ns"
	: >"$dir/recv"
	printf '#!/bin/sh\ncat >>"%s/recv"\n' "$dir" >"$dir/recv.sh"
	chmod +x "$dir/recv.sh"
	_rr_exa_conf "$dir" "$@" >"$dir/conf"
	dxt_spawn "$dir" "$ns" env exabgp.daemon.user=root \
	    exabgp.daemon.daemonize=false exabgp.api.cli=false \
	    exabgp.log.destination=stdout "$EXABGP" "$dir/conf"
	for ((i = 0; i < 100; i++)); do
		if ! peer_alive "$name"; then
			echo "$name: exabgp exited while starting (log below); config:"
			sed 's/^/    | /' "$dir/conf"
			tail -n 20 "$dir/log"
			return 1
		fi
		grep -q 'loaded new configuration successfully' "$dir/log" &&
		    return 0
		sleep 0.1
	done
	echo "$name: exabgp did not load its config in 10s"
	return 1
}

# The JSON ExaBGP gave its helper, whole lines only (the last one may be
# half written).
_rr_exa_json() {
	jq -c -R 'fromjson? // empty' "$1/recv"
}

# For peer_state / wait_established: the last state change it reported.
_exabgp_state() {
	_rr_exa_json "$1" | jq -r 'select(.type == "state") |
	    .neighbor.state' | tail -n 1 |
	    sed 's/^up$/Established/; s/^connected$/Connect/; s/^down$/Idle/'
}

_exabgp_show() {
	echo "ExaBGP's last state changes and messages:"
	_rr_exa_json "$1" | tail -n 5
}

# ---------------------------------------------------------------- tables
# What an instance holds, one line a path, sorted:
#   PREFIX nh=NEXTHOP orig=ORIGINATOR_ID cl=ID,ID lp=LOCAL_PREF
# ("-" when absent). dxbgpd's lines also say from which peer and best.

# shellcheck disable=SC2016 # jq's $, not the shell's
_RR_JQ='def dash: if . == null or . == "" then "-" else tostring end;
def line($p; nh; orig; cl; lp):
	"\($p) nh=\(nh | dash) orig=\(orig | dash)"
	+ " cl=\(cl // [] | join(",") | dash) lp=\(lp | dash)";'

_rr_dxsh() {
	local sh=${DXBGPD%/bgpd/dxbgpd}/shell/dxsh
	[ -x "$sh" ] || sh=$(_dxbgpd_sh) || { echo "dxsh is not built"; return 1; }
	timeout 5 "$sh" -S "$DXT_CASE_DIR/dx/sock" -c "$1"
}

_rr_table_dxbgpd() {
	_rr_dxsh "show bgp ipv4 unicast json" | jq -r "$_RR_JQ"'
	    (.routes // {}) | to_entries[] | .key as $p | .value[] |
	    line($p; .nexthop; .originatorId; .clusterList; .localPref) +
	    " from=\(.peer) best=\(.best)"'
}

# GoBGP: what dxbgpd sent it (adj-in, before its own policy).
_rr_table_gobgp() {
	local dir=$1 ns
	ns=$(cat "$dir/ns")
	_gobgp_cli "$dir" "$ns" neighbor "$(cat "$dir/dx_addr")" adj-in \
	    -a ipv4 -j | jq -r "$_RR_JQ"'
	    def val: if . == null then null
		else del(.type) | to_entries[0].value end;
	    (. // {}) | to_entries[] | .key as $p | .value[] |
	    (.attrs | map({key: (.type | tostring), value: .}) |
		from_entries) as $a |
	    line($p; $a["3"].nexthop // $a["14"].nexthop; $a["9"] | val;
		$a["10"] | val; $a["5"] | val)'
}

# ExaBGP: its UPDATEs replayed, announcements and withdrawals in order.
_rr_table_exabgp() {
	_rr_exa_json "$1" | jq -n -r "$_RR_JQ"'
	    reduce (inputs | select(.type == "update") |
		.neighbor.message.update // empty) as $u ({};
		reduce (($u.withdraw // {})["ipv4 unicast"] // [])[] as $w
		    (.; del(.[$w.nlri])) |
		reduce ((($u.announce // {})["ipv4 unicast"] // {}) |
		    to_entries[]) as $nh (.;
		    reduce $nh.value[] as $n (.;
			.[$n.nlri] = {nh: $nh.key, a: $u.attribute}))) |
	    to_entries[] | .key as $p | .value.a as $a |
	    line($p; .value.nh; $a["originator-id"]; $a["cluster-list"];
		$a["local-preference"])'
}

# _rr_table NAME: the table of instance NAME, sorted.
_rr_table() {
	local dir out
	dir=$(_dxt_dir "$1")
	out=$("_rr_table_$(_dxt_kind "$1")" "$dir") || return 1
	[ -n "$out" ] && printf '%s\n' "$out" | LC_ALL=C sort
	return 0
}

# _rr_wait NAME FILE [SECONDS]: until NAME's table is FILE's lines; on
# timeout print a diff and return 1.
_rr_wait() {
	local name=$1 file=$2 secs=${3:-$RR_WAIT} start=$SECONDS want have
	want=$(LC_ALL=C sort "$file")
	while :; do
		if have=$(_rr_table "$name" 2>&1) && [ "$have" = "$want" ]; then
			echo "$name: holds the expected $(grep -c . "$file")" \
			    "paths (waited $((SECONDS - start))s)"
			return 0
		fi
		if ! peer_alive "$name"; then
			echo "$name ($(_dxt_kind "$name")) is not running"
			return 1
		fi
		[ $((SECONDS - start)) -ge "$secs" ] && break
		sleep 0.5
	done
	echo "$name ($(_dxt_kind "$name")): after ${secs}s not the expected" \
	    "table; diff -U0 expected actual:"
	diff -U0 <(printf '%s\n' "$want") <(printf '%s\n' "$have") |
	    sed -n '3,32s/^/    /p'
	return 1
}

# ---------------------------------------------------------------- expected

# _rr_exa_expect VIEW CLUSTER X...: the lines for ExaBGP's routes X, as
# dxbgpd holds them (VIEW dx) or reflects them to the client (VIEW c,
# CLUSTER prepended, ORIGINATOR_ID ExaBGP's router ID if it had none).
_rr_exa_expect() {
	local view=$1 cl=$2 x orig list
	shift 2
	for x in "$@"; do
		case $x in
		1) orig=$DX_ID list= ;;
		2) orig='' list=192.0.2.7,$DX_ID ;;
		3) orig='' list=192.0.2.7,$CID ;;
		4) orig=10.9.9.9 list=192.0.2.7,192.0.2.8 ;;
		5) orig='' list='' ;;
		esac
		if [ "$view" = dx ]; then
			echo "198.18.$x.0/24 nh=$EXA_A orig=${orig:--}" \
			    "cl=${list:--} lp=100 from=$EXA_A best=true"
		else
			echo "198.18.$x.0/24 nh=$EXA_A orig=${orig:-$EXA_A}" \
			    "cl=$cl${list:+,$list} lp=100"
		fi
	done
}

# ---------------------------------------------------------------- setup

# _rr_dx_conf CLUSTER_ID RR: dxbgpd with ExaBGP, and with RR also the
# two GoBGPs, c a route-reflector-client. CLUSTER_ID empty: the default.
_rr_dx_conf() {
	local cid=$1 rr=$2 n
	echo "hostname dx"
	echo "router bgp $AS"
	echo " bgp router-id $DX_ID"
	[ -n "$cid" ] && echo " bgp cluster-id $cid"
	for n in "$EXA_A $DX_E" ${rr:+"$CLI_A $DX_C" "$NON_A $DX_N"}; do
		# shellcheck disable=SC2086 # split address, local address
		set -- $n
		echo " neighbor $1 remote-as $AS"
		echo " neighbor $1 timers 10 30"
		echo " neighbor $1 timers connect 2"
		echo " neighbor $1 update-source $2"
	done
	if [ -n "$rr" ]; then
		echo " address-family ipv4 unicast"
		echo "  neighbor $CLI_A route-reflector-client"
		echo " exit-address-family"
	fi
}

# _rr_setup CLUSTER_ID RR X...: namespaces, dxbgpd, ExaBGP announcing X
# (and the two GoBGPs), every session Established.
_rr_setup() {
	local cid=$1 rr=$2 name
	shift 2
	netns_pair || return 1
	if [ -n "$rr" ]; then
		netns_link c "$CLI_A/24" "$DX_C/24" || return 1
		NS_CLI=$NS_LINK
		netns_link n "$NON_A/24" "$DX_N/24" || return 1
		NS_NON=$NS_LINK
	fi
	_rr_dx_conf "$cid" "$rr" >"$DXT_CASE_DIR/dx.conf"
	dx_start dx "$NS_DX" conf="$DXT_CASE_DIR/dx.conf" || return 1
	_rr_exa_start exa "$NS_PEER" "$@" || return 1
	if [ -n "$rr" ]; then
		peer_start gobgp c "$NS_CLI" as="$AS" peer_as="$AS" \
		    neighbor="$DX_C" addr="$CLI_A" || return 1
		echo "$DX_C" >"$DXT_CASE_DIR/c/dx_addr"
		peer_start gobgp n "$NS_NON" as="$AS" peer_as="$AS" \
		    neighbor="$DX_N" addr="$NON_A" || return 1
		echo "$DX_N" >"$DXT_CASE_DIR/n/dx_addr"
	fi
	wait_established exa "$DX_E" || return 1
	if [ -n "$rr" ]; then
		for name in c n; do
			wait_established "$name" "$(cat "$DXT_CASE_DIR/$name/dx_addr")" ||
			    return 1
		done
	fi
	return 0
}

# _rr_refused_log WORD: dxbgpd's log says ExaBGP's routes were refused,
# naming WORD (ORIGINATOR_ID or CLUSTER_LIST).
_rr_refused_log() {
	local line
	line=$(grep -m 1 "neighbor $EXA_A: routes not accepted" \
	    "$DXT_CASE_DIR/dx/log")
	echo "dx log: ${line:-(no \"routes not accepted\" line)}"
	case $line in
	*"$1"*) return 0 ;;
	esac
	echo "dxbgpd's log does not say ExaBGP's routes were refused for $1"
	return 1
}

# _rr_counts RCD REFUSED: `show bgp neighbors json` for ExaBGP.
_rr_counts() {
	local out got
	out=$(_rr_dxsh "show bgp neighbors json") || return 1
	got=$(echo "$out" | jq -r --arg p "$EXA_A" \
	    '.[$p] | "pfxRcd \(.pfxRcd) prefixesRefused \(.prefixesRefused)"')
	echo "dx: $EXA_A: $got"
	[ "$got" = "pfxRcd $1 prefixesRefused $2" ] && return 0
	echo "expected pfxRcd $1 prefixesRefused $2"
	return 1
}

_rr_still_running() {
	if ! dx_alive dx; then
		echo "dxbgpd is no longer running"
		return 1
	fi
}

# ---------------------------------------------------------------- cases

# _rr_import CLUSTER_ID WORD REFUSED_X -- HELD_X...: ExaBGP announces all
# of them; dxbgpd holds exactly HELD_X as sent, refuses REFUSED_X and
# logs WORD.
_rr_import() {
	local cid=$1 word=$2 bad=$3
	shift 4
	_rr_setup "$cid" "" "$bad" "$@" || return 1
	_rr_exa_expect dx "" "$@" >"$DXT_CASE_DIR/want.dx"
	_rr_wait dx "$DXT_CASE_DIR/want.dx" || return 1
	_rr_counts $# 1 || return 1
	_rr_refused_log "$word" || return 1
	_rr_still_running
}

# _rr_reflect CLUSTER_ID: the reflection topology; what each peer gets.
_rr_reflect() {
	local cid=$1 cl=${1:-$DX_ID} held
	if [ -n "$cid" ]; then
		held="2 4 5"
	else
		held="3 4 5"
	fi
	_rr_setup "$cid" rr 1 2 3 4 5 || return 1
	_gobgp_cli "$DXT_CASE_DIR/c" "$NS_CLI" global rib add -a ipv4 \
	    "$CLI_PFX" origin igp || return 1
	_gobgp_cli "$DXT_CASE_DIR/n" "$NS_NON" global rib add -a ipv4 \
	    "$NON_PFX" origin igp || return 1
	# dxbgpd: ExaBGP's accepted routes and both GoBGPs', as sent
	{
		# shellcheck disable=SC2086 # one route a word
		_rr_exa_expect dx "" $held
		echo "$CLI_PFX nh=$CLI_A orig=- cl=- lp=100 from=$CLI_A best=true"
		echo "$NON_PFX nh=$NON_A orig=- cl=- lp=100 from=$NON_A best=true"
	} >"$DXT_CASE_DIR/want.dx"
	# the client: the non-clients' routes, reflected
	{
		# shellcheck disable=SC2086 # one route a word
		_rr_exa_expect c "$cl" $held
		echo "$NON_PFX nh=$NON_A orig=$NON_A cl=$cl lp=100"
	} >"$DXT_CASE_DIR/want.c"
	# the non-clients: the client's route only, not each other's
	echo "$CLI_PFX nh=$CLI_A orig=$CLI_A cl=$cl lp=100" \
	    >"$DXT_CASE_DIR/want.n"
	cp "$DXT_CASE_DIR/want.n" "$DXT_CASE_DIR/want.exa"
	_rr_wait dx "$DXT_CASE_DIR/want.dx" || return 1
	_rr_wait c "$DXT_CASE_DIR/want.c" || return 1
	_rr_wait n "$DXT_CASE_DIR/want.n" || return 1
	_rr_wait exa "$DXT_CASE_DIR/want.exa" || return 1
	# dxbgpd has sent what it had to: anything else would be here by now
	sleep "$RR_SETTLE"
	echo "${RR_SETTLE}s later, still exactly those:"
	_rr_wait n "$DXT_CASE_DIR/want.n" 0 || return 1
	_rr_wait exa "$DXT_CASE_DIR/want.exa" 0 || return 1
	_rr_wait c "$DXT_CASE_DIR/want.c" 0 || return 1
	_rr_counts 3 2 || return 1
	_rr_still_running
}

# ---------------------------------------------------------------- main

dxt_init
why=
if ! why=$(dxt_need_root); then
	:
elif ! [ -x "$EXABGP" ] || ! peer_available gobgp; then
	why="needs ExaBGP and GoBGP; scripts/setup.sh --test --peers"
elif ! dxt_have_jq; then
	why="needs jq"
elif ! dx_available; then
	why="dxbgpd not built: $DXBGPD"
elif ! [ -x "${DXBGPD%/bgpd/dxbgpd}/shell/dxsh" ] &&
    ! _dxbgpd_sh >/dev/null; then
	why="dxsh not built"
fi

# _rr_case DESCRIPTION FUNC [ARG...]: run it, or skip it for $why.
_rr_case() {
	local desc="reflect: $1"
	shift
	if [ -n "$why" ]; then
		dxt_skip "$desc" "$why"
	else
		dxt_case "$desc" "$@"
	fi
}

_rr_case "ORIGINATOR_ID = our router ID is refused, the others held as sent, log says why" \
    _rr_import '' ORIGINATOR_ID 1 -- 4 5
_rr_case "CLUSTER_LIST with our router ID (the default cluster ID) is refused" \
    _rr_import '' CLUSTER_LIST 2 -- 3 4 5
_rr_case "CLUSTER_LIST with the configured bgp cluster-id is refused; the router ID alone is not ours then" \
    _rr_import "$CID" CLUSTER_LIST 3 -- 2 4 5
_rr_case "reflection (default cluster ID): client's route to non-clients, non-clients' to the client, not between non-clients; ORIGINATOR_ID and CLUSTER_LIST set" \
    _rr_reflect ''
_rr_case "reflection with bgp cluster-id $CID: that ID is prepended to CLUSTER_LIST" \
    _rr_reflect "$CID"
dxt_finish
