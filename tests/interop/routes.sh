#!/bin/bash
# routes.sh: dxbgpd's RIB between real peers. A table learned from a BIRD
# peer is re-advertised to an FRR peer and to a GoBGP peer, which must hold
# exactly the expected routes and attributes. Each case has its own
# namespaces and fresh daemons:
#
#   BIRD  AS 65001  10.0.0.1 --- 10.0.0.2  dxbgpd  AS 65000
#   FRR   AS 65002  10.0.1.1 --- 10.0.1.2  (NS_DX)
#   GoBGP AS 65003  10.0.2.1 --- 10.0.2.2
#   BIRD  AS 65000  10.0.3.1 --- 10.0.3.2  (iBGP, only in the RFC 8212 case)
#
# BIRD originates RT_N (200) static prefixes 198.18.X.0/24 and sets their
# attributes in its export filter, from X: ORIGIN (X%3), AS path prepends
# (X%4), communities (X%5), MED X*10 on even X. What the receivers must
# hold (eBGP, RFC 4271 §5.1): next hop = dxbgpd's address on their link,
# AS path "65000 65001 [prepends]", BIRD's communities and ORIGIN, no MED
# (§5.1.4: not passed on to another AS) and no LOCAL_PREF. Tables are read
# with peer_routes (lib.sh) and compared as sorted lines.
#
#   1. FRR and GoBGP hold exactly the 200 routes, as above; GoBGP got no
#      path attribute but ORIGIN, AS_PATH, NEXT_HOP and COMMUNITIES.
#   2. BIRD withdraws the odd half (new config, birdc configure: static
#      routes removed, or rejected by the export filter): they hold exactly
#      the even half; GoBGP saw the odd ones withdrawn and no even one; no
#      session is reset.
#   3. BIRD changes the attributes of 40 prefixes: they see the new ones,
#      no prefix vanishes meanwhile (GoBGP saw an update for each and no
#      withdrawal), no session is reset.
#   4. BIRD stopped by its PID: they lose all 200; BIRD started again: they
#      are back.
#   5. dxbgpd's own view: `show bgp ipv4 unicast json` has the 200 with
#      BIRD's attributes (MED included), BIRD as the peer, best; `show bgp
#      summary json` says pfxRcd 200 for BIRD.
#   6. With the default `bgp ebgp-requires-policy` (RFC 8212): nothing is
#      accepted from BIRD (pfxRcd 0, and the log says why), and routes
#      dxbgpd does hold (from an iBGP BIRD) are not sent to FRR or GoBGP.
#
# Needs root, BIRD, FRR, GoBGP, jq and dxbgpd (dxsh too); otherwise every
# case is a skip. About 1.5 minutes.
. "$(dirname "$0")/lib.sh"

: "${RT_N:=200}"	# prefixes BIRD originates (at most 256)
: "${RT_WAIT:=10}"	# seconds for a change to reach the receivers

AS_DX=65000
AS_BIRD=65001
AS_FRR=65002
AS_GOBGP=65003
BIRD_A=10.0.0.1 DX_B=10.0.0.2
FRR_A=10.0.1.1 DX_F=10.0.1.2
GOBGP_A=10.0.2.1 DX_G=10.0.2.2
IBGP_A=10.0.3.1 DX_I=10.0.3.2
IBGP_N=10	# prefixes the iBGP BIRD originates (198.19.X.0/24)

# ---------------------------------------------------------------- the table

# _rt_present X VARIANT: prefix 198.18.X.0/24 is sent in VARIANT (full;
# half: the even X only, BIRD having lost the static route of X%4 == 1 and
# its export filter rejecting X%4 == 3; changed: all, 40 with other
# attributes).
_rt_present() {
	[ "$2" != half ] || [ $(($1 % 2)) -eq 0 ]
}

# _rt_attrs X VARIANT: R_ORIGIN (i, e, ?), R_PREPEND (ASNs after BIRD's
# own, in path order), R_COMM (communities), R_MED (empty: none).
_rt_attrs() {
	local x=$1 v=$2
	case $((x % 3)) in
	0) R_ORIGIN=i ;;
	1) R_ORIGIN=e ;;
	2) R_ORIGIN='?' ;;
	esac
	case $((x % 4)) in
	0) R_PREPEND='' ;;
	1) R_PREPEND=$AS_BIRD ;;
	2) R_PREPEND="$AS_BIRD $AS_BIRD" ;;
	3) R_PREPEND='64998 64999' ;;
	esac
	case $((x % 5)) in
	0) R_COMM='' ;;
	1) R_COMM=$AS_BIRD:1 ;;
	2) R_COMM="$AS_BIRD:2 $AS_BIRD:20" ;;
	3) R_COMM="$AS_BIRD:3 64999:300" ;;
	4) R_COMM="$AS_BIRD:$((1000 + x))" ;;
	esac
	R_MED=
	[ $((x % 2)) -eq 0 ] && R_MED=$((x * 10))
	if [ "$v" = changed ]; then
		case $((x % 10)) in
		0)	# a community appears, the path grows
			R_COMM="$AS_BIRD:999"
			R_PREPEND="64997${R_PREPEND:+ $R_PREPEND}" ;;
		1)	# the communities go, the origin changes
			R_COMM=''
			R_ORIGIN=e ;;
		esac
	fi
	return 0
}

# _rt_sorted WORD...: the words sorted (as LC_ALL=C sort), comma-joined,
# in $R_SORTED; without a fork, as this runs for every prefix.
_rt_sorted() {
	local LC_ALL=C w i n
	local -a a=()
	for w in "$@"; do
		n=${#a[@]}
		for ((i = n; i > 0; i--)); do
			[[ ${a[i - 1]} > $w ]] || break
			a[i]=${a[i - 1]}
		done
		a[i]=$w
	done
	local IFS=,
	R_SORTED="${a[*]}"
}

# _rt_expect VARIANT VIEW: the lines peer_routes prints for VIEW: frr,
# gobgp (what dxbgpd sends them) or dx (what dxbgpd holds from BIRD).
_rt_expect() {
	local v=$1 view=$2 x nh path med
	for ((x = 0; x < RT_N; x++)); do
		_rt_present "$x" "$v" || continue
		_rt_attrs "$x" "$v"
		case $view in
		frr) nh=$DX_F path="$AS_DX $AS_BIRD" med=- ;;
		gobgp) nh=$DX_G path="$AS_DX $AS_BIRD" med=- ;;
		dx) nh=$BIRD_A path=$AS_BIRD med=${R_MED:--} ;;
		esac
		path="$path${R_PREPEND:+ $R_PREPEND}"
		# shellcheck disable=SC2086 # one community a word
		_rt_sorted $R_COMM
		echo "198.18.$x.0/24 nh=$nh path=${path// /,}" \
		    "comm=${R_SORTED:--} origin=$R_ORIGIN med=$med lp=-"
	done | LC_ALL=C sort
}

# _rt_bird_conf VARIANT: BIRD in AS 65001 originating the table to dxbgpd.
_rt_bird_conf() {
	local v=$1 x i p
	local -a pre
	cat <<EOF
log stderr all;
router id $BIRD_A;
protocol device { scan time 10; }
protocol static s_routes {
	ipv4;
EOF
	for ((x = 0; x < RT_N; x++)); do
		[ "$v" = half ] && [ $((x % 4)) = 1 ] && continue
		echo "	route 198.18.$x.0/24 blackhole;"
	done
	echo "}"
	echo "filter f_out {"
	for ((x = 0; x < RT_N; x++)); do
		if ! _rt_present "$x" "$v"; then
			echo "	if net = 198.18.$x.0/24 then reject;"
			continue
		fi
		_rt_attrs "$x" "$v"
		echo "	if net = 198.18.$x.0/24 then {"
		case $R_ORIGIN in
		e) echo "		bgp_origin = ORIGIN_EGP;" ;;
		'?') echo "		bgp_origin = ORIGIN_INCOMPLETE;" ;;
		esac
		# prepend the last AS first, so the path reads as R_PREPEND
		read -r -a pre <<<"$R_PREPEND"
		for ((i = ${#pre[@]} - 1; i >= 0; i--)); do
			echo "		bgp_path.prepend(${pre[i]});"
		done
		for p in $R_COMM; do
			echo "		bgp_community.add((${p%:*},${p#*:}));"
		done
		[ -n "$R_MED" ] && echo "		bgp_med = $R_MED;"
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
	hold time 90;
	keepalive time 30;
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 2;
	ipv4 { import none; export filter f_out; };
}
EOF
}

# _rt_ibird_conf: BIRD in dxbgpd's own AS (iBGP), IBGP_N prefixes.
_rt_ibird_conf() {
	local x
	cat <<EOF
log stderr all;
router id $IBGP_A;
protocol device { scan time 10; }
protocol static s_routes {
	ipv4;
EOF
	for ((x = 0; x < IBGP_N; x++)); do
		echo "	route 198.19.$x.0/24 blackhole;"
	done
	cat <<EOF
}
protocol bgp $(_bird_proto "$DX_I") {
	debug { states, events };
	local $IBGP_A as $AS_DX;
	neighbor $DX_I as $AS_DX;
	hold time 90;
	keepalive time 30;
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 2;
	ipv4 { import none; export filter {
		bgp_community.add(($AS_DX,7));
		accept;
	}; };
}
EOF
}

_rt_ibird_expect() {
	local x
	for ((x = 0; x < IBGP_N; x++)); do
		echo "198.19.$x.0/24 nh=$IBGP_A path=- comm=$AS_DX:7 origin=i" \
		    "med=- lp=100"
	done | LC_ALL=C sort
}

# _rt_dx_conf POLICY [IBGP]: dxbgpd with BIRD, FRR and GoBGP (and the iBGP
# BIRD); POLICY "nopolicy" adds `no bgp ebgp-requires-policy`.
_rt_dx_conf() {
	local n a
	echo "hostname dx"
	echo "router bgp $AS_DX"
	echo " bgp router-id $DX_B"
	[ "$1" = nopolicy ] && echo " no bgp ebgp-requires-policy"
	for n in "$BIRD_A $AS_BIRD $DX_B" "$FRR_A $AS_FRR $DX_F" \
	    "$GOBGP_A $AS_GOBGP $DX_G" ${2:+"$IBGP_A $AS_DX $DX_I"}; do
		# shellcheck disable=SC2086 # split address, AS, local address
		set -- $n
		a=$1
		echo " neighbor $a remote-as $2"
		echo " neighbor $a timers 10 30"
		echo " neighbor $a timers connect 2"
		echo " neighbor $a update-source $3"
	done
}

# ---------------------------------------------------------------- helpers

# _rt_setup POLICY [ibgp]: the namespaces, dxbgpd, BIRD, FRR and GoBGP
# (and the iBGP BIRD), every session Established.
_rt_setup() {
	local policy=$1 ibgp=${2:-}
	netns_pair || return 1
	netns_link f "$FRR_A/24" "$DX_F/24" || return 1
	NS_FRR=$NS_LINK
	netns_link g "$GOBGP_A/24" "$DX_G/24" || return 1
	NS_GOBGP=$NS_LINK
	if [ -n "$ibgp" ]; then
		netns_link i "$IBGP_A/24" "$DX_I/24" || return 1
		NS_IBGP=$NS_LINK
	fi
	_rt_dx_conf "$policy" "$ibgp" >"$DXT_CASE_DIR/dx.conf"
	dx_start dx "$NS_DX" conf="$DXT_CASE_DIR/dx.conf" || return 1
	_rt_bird_conf full >"$DXT_CASE_DIR/bird.conf"
	peer_start bird bird "$NS_PEER" conf="$DXT_CASE_DIR/bird.conf" ||
	    return 1
	peer_start frr frr "$NS_FRR" as=$AS_FRR peer_as=$AS_DX \
	    neighbor=$DX_F addr=$FRR_A || return 1
	peer_start gobgp gobgp "$NS_GOBGP" as=$AS_GOBGP peer_as=$AS_DX \
	    neighbor=$DX_G addr=$GOBGP_A || return 1
	if [ -n "$ibgp" ]; then
		_rt_ibird_conf >"$DXT_CASE_DIR/ibird.conf"
		peer_start bird ibird "$NS_IBGP" \
		    conf="$DXT_CASE_DIR/ibird.conf" || return 1
	fi
	wait_established bird "$DX_B" || return 1
	wait_established frr "$DX_F" || return 1
	wait_established gobgp "$DX_G" || return 1
	if [ -n "$ibgp" ]; then
		wait_established ibird "$DX_I" || return 1
	fi
	return 0
}

# _rt_expect_files VARIANT: $DXT_CASE_DIR/VARIANT.{dx,frr,gobgp}
_rt_expect_files() {
	local view
	for view in dx frr gobgp; do
		_rt_expect "$1" "$view" >"$DXT_CASE_DIR/$1.$view"
	done
}

# _rt_wait_all VARIANT [SECONDS]: dxbgpd, FRR and GoBGP hold VARIANT's
# table (empty for "none").
_rt_wait_all() {
	local v=$1 secs=${2:-$RT_WAIT} name rc=0
	for name in dx frr gobgp; do
		[ "$v" = none ] && : >"$DXT_CASE_DIR/none.$name"
		wait_routes "$name" "$DXT_CASE_DIR/$v.$name" "$secs" || rc=1
	done
	return $rc
}

# _rt_bird_configure VARIANT: give BIRD VARIANT's config, birdc configure.
_rt_bird_configure() {
	local dir out
	dir=$DXT_CASE_DIR/bird
	_rt_bird_conf "$1" >"$dir/conf"
	out=$(_bird_cli "$dir" "$NS_PEER" configure 2>&1)
	echo "bird: configure ($1): $(echo "$out" | grep -v '^BIRD' | head -n 3)"
	if ! echo "$out" | grep -q 'Reconfigur'; then
		echo "birdc configure failed"
		return 1
	fi
}

_rt_dxsh() {
	local sh
	sh=$(_dxbgpd_sh) || { echo "dxsh is not built"; return 1; }
	timeout 5 "$sh" -S "$DXT_CASE_DIR/dx/sock" -c "$1"
}

# _rt_no_flap: every session of dxbgpd came up once and never dropped.
_rt_no_flap() {
	local out bad
	out=$(_rt_dxsh "show bgp neighbors json") || return 1
	bad=$(echo "$out" | jq -r 'to_entries[] |
	    select(.value.establishedTransitions != 1 or
		.value.state != "Established") |
	    "\(.key): \(.value.state), established \(.value.establishedTransitions) times"')
	if [ -n "$bad" ]; then
		echo "a session was reset:"
		echo "$bad" | sed 's/^/    /'
		return 1
	fi
	echo "dx: every session Established once, none reset"
}

_rt_still_running() {
	if ! dx_alive dx; then
		echo "dxbgpd is no longer running"
		return 1
	fi
}

# ---------------------------------------------------------------- cases

_rt_readvertised() {
	local types
	_rt_setup nopolicy || return 1
	_rt_expect_files full
	_rt_wait_all full 15 || return 1
	# and nothing else: ORIGIN, AS_PATH, NEXT_HOP, COMMUNITIES only
	types=$(_gobgp_cli "$DXT_CASE_DIR/gobgp" "$NS_GOBGP" global rib \
	    -a ipv4 -j | jq -r '[.[][].attrs[].type] | unique | map(tostring) |
	    join(" ")')
	echo "gobgp: path attribute types received: $types"
	[ "$types" = "1 2 3 8" ] || return 1
	_rt_still_running
}

# _rt_events_check MON WITHDRAW UPDATE: what GoBGP saw since its monitor
# started: withdrawals of exactly the prefixes in file WITHDRAW, and an
# update of at least every prefix in file UPDATE.
_rt_events_check() {
	local ev got miss
	ev=$(gobgp_events "$1")
	got=$(echo "$ev" | sed -n 's/ withdraw$//p' | LC_ALL=C sort -u)
	echo "gobgp: $(echo "$ev" | grep -c ' update$') updates," \
	    "$(echo "$ev" | grep -c ' withdraw$') withdrawals" \
	    "($(echo "$got" | grep -c .) prefixes withdrawn," \
	    "$(echo "$ev" | sed -n 's/ update$//p' | sort -u | grep -c .)" \
	    "updated)"
	if [ "$got" != "$(LC_ALL=C sort -u "$2")" ]; then
		echo "gobgp: withdrawn prefixes are not the expected" \
		    "$(grep -c . "$2"); diff expected actual:"
		diff <(LC_ALL=C sort -u "$2") <(echo "$got") | head -n 20 |
		    sed 's/^/    /'
		return 1
	fi
	miss=$(LC_ALL=C comm -23 <(LC_ALL=C sort -u "$3") \
	    <(echo "$ev" | sed -n 's/ update$//p' | LC_ALL=C sort -u))
	if [ -n "$miss" ]; then
		echo "gobgp: no update for $(echo "$miss" | grep -c .) changed" \
		    "prefixes: $(echo "$miss" | head -n 5 | paste -sd' ' -)"
		return 1
	fi
}

_rt_withdraw_half() {
	_rt_setup nopolicy || return 1
	_rt_expect_files full
	_rt_expect_files half
	_rt_wait_all full 15 || return 1
	gobgp_monitor gobgp gmon "$RT_N" || return 1
	_rt_bird_configure half || return 1
	_rt_wait_all half || return 1
	_rt_no_flap || return 1
	# the odd prefixes withdrawn, no even one (not even for a moment)
	LC_ALL=C comm -23 <(cut -d' ' -f1 "$DXT_CASE_DIR/full.gobgp") \
	    <(cut -d' ' -f1 "$DXT_CASE_DIR/half.gobgp") >"$DXT_CASE_DIR/gone"
	: >"$DXT_CASE_DIR/nothing"
	_rt_events_check gmon "$DXT_CASE_DIR/gone" "$DXT_CASE_DIR/nothing" ||
	    return 1
	_rt_still_running
}

_rt_change_attrs() {
	local end n name ok have samples=0 fewest=$RT_N
	_rt_setup nopolicy || return 1
	_rt_expect_files full
	_rt_expect_files changed
	_rt_wait_all full 15 || return 1
	gobgp_monitor gobgp gmon "$RT_N" || return 1
	_rt_bird_configure changed || return 1
	# Until both hold the new table, every look must find all prefixes.
	end=$((SECONDS + RT_WAIT))
	while [ $SECONDS -lt $end ]; do
		ok=1
		for name in frr gobgp; do
			have=$(peer_routes "$name")
			n=$(echo "$have" | cut -d' ' -f1 | sort -u | grep -c .)
			samples=$((samples + 1))
			[ "$n" -lt "$fewest" ] && fewest=$n
			[ "$have" = "$(cat "$DXT_CASE_DIR/changed.$name")" ] ||
			    ok=0
		done
		[ $ok = 1 ] && break
		sleep 0.2
	done
	_rt_wait_all changed 1 || return 1
	echo "fewest prefixes seen in $samples looks during the change: $fewest"
	if [ "$fewest" -ne "$RT_N" ]; then
		echo "prefixes vanished while their attributes changed"
		return 1
	fi
	# replaced in place: no withdrawal, an update for each changed one
	LC_ALL=C comm -13 "$DXT_CASE_DIR/full.gobgp" \
	    "$DXT_CASE_DIR/changed.gobgp" | cut -d' ' -f1 \
	    >"$DXT_CASE_DIR/changed.pfx"
	echo "$(grep -c . "$DXT_CASE_DIR/changed.pfx") prefixes changed"
	: >"$DXT_CASE_DIR/nothing"
	_rt_events_check gmon "$DXT_CASE_DIR/nothing" \
	    "$DXT_CASE_DIR/changed.pfx" || return 1
	_rt_no_flap || return 1
	_rt_still_running
}

_rt_bird_restart() {
	_rt_setup nopolicy || return 1
	_rt_expect_files full
	_rt_wait_all full 15 || return 1
	echo "stopping bird by its PID"
	peer_stop bird
	if peer_alive bird; then
		echo "bird did not stop"
		return 1
	fi
	_rt_wait_all none || return 1
	echo "starting bird again"
	peer_restart bird || return 1
	wait_established bird "$DX_B" || return 1
	_rt_wait_all full 15 || return 1
	_rt_still_running
}

_rt_dx_view() {
	local out n want
	_rt_setup nopolicy || return 1
	_rt_expect_files full
	wait_routes dx "$DXT_CASE_DIR/full.dx" 15 || return 1
	out=$(_rt_dxsh "show bgp ipv4 unicast json") || return 1
	# every prefix: one path, from BIRD, best and valid
	n=$(echo "$out" | jq --arg p "$BIRD_A" '[.routes[] |
	    select(length == 1 and .[0].peer == $p and .[0].best == true and
		.[0].valid == true)] | length')
	echo "dx: $n prefixes with one path, from $BIRD_A, best and valid"
	if [ "$n" != "$RT_N" ]; then
		echo "$out" | jq -c --arg p "$BIRD_A" '.routes | to_entries[] |
		    select((.value | length) != 1 or .value[0].peer != $p or
			.value[0].best != true or .value[0].valid != true)' |
		    head -n 5 | sed 's/^/    /'
		return 1
	fi
	out=$(_rt_dxsh "show bgp summary json") || return 1
	n=$(echo "$out" | jq --arg p "$BIRD_A" '.peers[$p].pfxRcd')
	want=$RT_N
	echo "dx: show bgp summary json: pfxRcd $n for $BIRD_A"
	[ "$n" = "$want" ] || return 1
	_rt_still_running
}

_rt_requires_policy() {
	local out n end dxlog name
	_rt_setup policy ibgp || return 1
	dxlog=$DXT_CASE_DIR/dx/log
	_rt_ibird_expect >"$DXT_CASE_DIR/ibgp.dx"
	# dxbgpd accepts the iBGP routes, which proves its RIB is working...
	wait_routes dx "$DXT_CASE_DIR/ibgp.dx" 15 || return 1
	# ...and refuses BIRD's, saying why, once they have arrived
	end=$((SECONDS + RT_WAIT))
	until grep -q "neighbor $BIRD_A: routes not accepted: .*RFC 8212" \
	    "$dxlog"; do
		if [ $SECONDS -ge $end ]; then
			echo "dxbgpd's log does not say why BIRD's routes are" \
			    "refused (RFC 8212) after ${RT_WAIT}s"
			return 1
		fi
		sleep 0.5
	done
	echo "dx log: $(grep -m 1 "neighbor $BIRD_A: routes not accepted" \
	    "$dxlog")"
	sleep 3	# long enough for anything to reach FRR and GoBGP
	out=$(_rt_dxsh "show bgp summary json") || return 1
	n=$(echo "$out" | jq --arg p "$BIRD_A" '.peers[$p].pfxRcd')
	echo "dx: pfxRcd $n for $BIRD_A"
	[ "$n" = 0 ] || return 1
	wait_routes dx "$DXT_CASE_DIR/ibgp.dx" 1 || return 1
	: >"$DXT_CASE_DIR/empty"
	for name in frr gobgp; do
		wait_routes "$name" "$DXT_CASE_DIR/empty" 1 || return 1
	done
	_rt_no_flap || return 1
	_rt_still_running
}

_rt_reload_policy() {
	local dxlog pid end
	_rt_setup policy || return 1
	_rt_expect_files full
	dxlog=$DXT_CASE_DIR/dx/log
	end=$((SECONDS + RT_WAIT))
	until grep -q "neighbor $BIRD_A: routes not accepted: .*RFC 8212" \
	    "$dxlog"; do
		if [ $SECONDS -ge $end ]; then
			echo "BIRD's routes were not refused (RFC 8212) first"
			return 1
		fi
		sleep 0.5
	done
	# The operator lifts RFC 8212 and reloads: no session is reset,
	# dxbgpd asks BIRD for its routes again and passes them on.
	sed -i 's/^router bgp .*/&\n no bgp ebgp-requires-policy/' \
	    "$DXT_CASE_DIR/dx/conf"
	pid=$(cut -d' ' -f1 "$DXT_CASE_DIR/dx/pid")
	echo "reloading dxbgpd (SIGHUP to $pid)"
	kill -HUP "$pid" || return 1
	_rt_wait_all full 15 || return 1
	grep -q "neighbor $BIRD_A: import settings changed; asked it" \
	    "$dxlog" || {
		echo "dxbgpd's log does not say it asked BIRD for its routes"
		return 1
	}
	_rt_no_flap || return 1
	_rt_still_running
}

_rt_reload_soft() {
	local dxlog pid end
	_rt_setup policy || return 1
	_rt_expect_files full
	dxlog=$DXT_CASE_DIR/dx/log
	# Routes kept as received: the reload needs nothing from BIRD.
	sed -i "s/^router bgp .*/&\\n neighbor $BIRD_A soft-reconfiguration inbound/" \
	    "$DXT_CASE_DIR/dx/conf"
	pid=$(cut -d' ' -f1 "$DXT_CASE_DIR/dx/pid")
	kill -HUP "$pid" || return 1
	end=$((SECONDS + RT_WAIT))
	until grep -q "neighbor $BIRD_A: routes not accepted: .*RFC 8212" \
	    "$dxlog"; do
		if [ $SECONDS -ge $end ]; then
			echo "BIRD's routes were not refused (RFC 8212) first"
			return 1
		fi
		sleep 0.5
	done
	# switching it on asked BIRD for its table, to store it
	sleep 2
	sed -i 's/^router bgp .*/&\n no bgp ebgp-requires-policy/' \
	    "$DXT_CASE_DIR/dx/conf"
	echo "reloading dxbgpd (SIGHUP to $pid)"
	kill -HUP "$pid" || return 1
	_rt_wait_all full 15 || return 1
	grep -q "neighbor $BIRD_A: import settings changed; applied to its" \
	    "$dxlog" || {
		echo "dxbgpd's log does not say it re-applied the stored routes"
		return 1
	}
	if grep -q "neighbor $BIRD_A: import settings changed; asked it" \
	    "$dxlog"; then
		echo "dxbgpd asked BIRD for a route refresh despite soft" \
		    "reconfiguration"
		return 1
	fi
	_rt_no_flap || return 1
	_rt_still_running
}

# ---------------------------------------------------------------- main

cases=(
    "FRR and GoBGP hold exactly BIRD's $RT_N routes, re-advertised (next hop, path, communities, origin, no MED)"
    "BIRD withdraws half: FRR and GoBGP hold exactly the other half"
    "BIRD changes attributes: FRR and GoBGP see the new ones, no withdrawal, no session reset"
    "BIRD stopped: FRR and GoBGP lose all routes; BIRD restarted: they come back"
    "dxbgpd's own table: $RT_N routes from BIRD, best, with BIRD's MED; pfxRcd $RT_N"
    "default ebgp-requires-policy (RFC 8212): nothing accepted from or sent to eBGP peers, log says why"
    "reload lifting RFC 8212: routes flow by route refresh, no session reset"
    "soft-reconfiguration inbound: the reload re-applies stored routes, no refresh asked"
)
funcs=(_rt_readvertised _rt_withdraw_half _rt_change_attrs _rt_bird_restart
    _rt_dx_view _rt_requires_policy _rt_reload_policy _rt_reload_soft)

dxt_init
why=$(dxt_why_not bird frr gobgp)
for i in "${!cases[@]}"; do
	if [ -n "$why" ]; then
		dxt_skip "routes: ${cases[i]}" "$why"
	else
		dxt_case "routes: ${cases[i]}" "${funcs[i]}"
	fi
done
dxt_finish
