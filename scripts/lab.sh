#!/bin/bash
# lab.sh: the main job, the reference DX lab of DESIGN.md, left running
# in network namespaces until `scripts/lab.sh stop`.
#
#   scripts/lab.sh [start]          install, build, start the lab, show it
#   scripts/lab.sh status           what it shows after start, and checks
#   scripts/lab.sh check            only the checks (exit 1 if one fails)
#   scripts/lab.sh failover [shutdown|link]
#                                   the Tencent primary down, then back
#   scripts/lab.sh shell [ARG...]   dxsh on the lab's dxbgpd
#   scripts/lab.sh stop             remove everything the lab created
#   scripts/lab.sh restart          stop, then start
#
# A carrier cloud router (dxbgpd, AS 62610, running conf/dxbgpd.conf)
# joins two clouds, each played by a real BGP daemon in its own
# namespace, with the TCP MD5 keys of the config:
#
#   AWS Direct Connect      BIRD 2  AS 64512  10.0.0.1  VLAN 5  eth0.5
#   Tencent DC, primary     FRR     AS 45090  10.0.2.1  VLAN 3  eth1.3
#   Tencent DC, secondary   FRR     AS 45090  10.0.2.3  (same VLAN: a bridge)
#
#   [P-aws] eth0 ========= eth0 [P-dx] eth1 ===== [P-sw br0] ===== eth0 [P-tc1]
#     BIRD                dxbgpd, dxprog                   ===== eth0 [P-tc2]
#
# AWS announces its VPC 172.31.0.0/16 with two subnets, and 10.99.0.0/16,
# which the config's policy does not take; Tencent announces its VPC
# 10.20.0.0/16 as the two halves 10.20.0.0/17 and 10.20.128.0/17, as
# Tencent asks of aggregates.  dxbgpd passes each cloud's CIDRs to the
# other, prefers the Tencent primary (`ha primary`), and streams what it
# selects to dxprog, which writes it into table 100 of dxbgpd's
# namespace (protocol 201, dxprog).
#
# dxbgpd makes the VLAN links itself (the interface blocks of the config).
# Where the kernel has no 802.1Q (module 8021q) the lab says so, dxbgpd
# logs its own line about it, and the links run untagged: the addresses
# go on eth0/eth1 and the sessions are bound to them.
#
# The config is conf/dxbgpd.conf as it is, but for these lab-only
# changes, which the lab prints: the export socket is in the lab's
# directory, connect retry is LAB_CONNECT seconds, the untagged fallback
# above, and, if LAB_HOLD is set, the hold time of every session.
#
# State: $LAB_DIR/state (default /run/dxbgp-lab/state) lists the lab's
# directory (configs, logs, sockets under /tmp/dxbgp-lab.XXXXXX), its
# namespaces ($LAB_PREFIX-*, default dxlab-*) and every process it
# started, with its start time; `stop` stops those processes by PID and
# deletes those namespaces and the directory.
#
# Environment:
#   LAB_NO_SETUP=1    skip scripts/setup.sh (install and build); then
#                     DXBGPD, DXSH, DXPROG name the programs (default
#                     build/default/...)
#   LAB_DIR           where the state file is (/run/dxbgp-lab)
#   LAB_PREFIX        namespace prefix (dxlab)
#   LAB_CONF          the config to run (conf/dxbgpd.conf); a variant
#                     of it, with the same neighbors
#   LAB_HOLD          hold time for every session (keepalive a third);
#                     unset: the config's (AWS 90 s, Tencent 180 s)
#   LAB_CONNECT       connect retry, seconds (3)
#   LAB_WAIT          seconds to wait for the lab to converge (60)
#   LAB_VLAN=no       untagged links even if the kernel has 802.1Q
set -u
cd "$(dirname "$0")/.." || exit 1
LAB_TOP=$(pwd)

: "${LAB_DIR:=/run/dxbgp-lab}"
: "${LAB_PREFIX:=dxlab}"
: "${LAB_CONF:=conf/dxbgpd.conf}"
: "${LAB_HOLD:=}"
: "${LAB_CONNECT:=3}"
: "${LAB_WAIT:=60}"
: "${LAB_VLAN:=auto}"
: "${LAB_NO_SETUP:=0}"
: "${DXBGPD:=$LAB_TOP/build/default/bgpd/dxbgpd}"
: "${DXSH:=$LAB_TOP/build/default/shell/dxsh}"
: "${DXPROG:=$LAB_TOP/build/default/programmer/dxprog}"
export DXBGPD DXSH DXPROG
STATE=$LAB_DIR/state

# The reference scenario (DESIGN.md) and what each cloud announces.
DX_AS=62610 AWS_AS=64512 TC_AS=45090
AWS=10.0.0.1 DX_AWS=10.0.0.2 AWS_VLAN=5 AWS_IF=eth0
TC1=10.0.2.1 TC2=10.0.2.3 DX_TC=10.0.2.2 TC_VLAN=3 TC_IF=eth1
AWS_CIDRS="172.31.0.0/16 172.31.1.0/24 172.31.2.0/24"
AWS_REFUSED=10.99.0.0/16
TC_CIDRS="10.20.0.0/17 10.20.128.0/17"
OURS=192.168.10.0/24
TABLE=100

# The helpers of the interop tests: daemon configs, start, state.
# shellcheck source=../tests/interop/lib.sh
. tests/interop/lib.sh

say() { echo "lab: $*"; }
warn() { echo "lab: $*" >&2; }

usage() {
	sed -n '2,/^set -u/{/^set -u/d;s/^# \{0,1\}//;p}' "$0"
}

ns() { echo "$LAB_PREFIX-$1"; }

# ---------------------------------------------------------------- state
# One line a fact: "tmp DIR", "prefix P", "vlan yes|no", "netns NAME",
# "pid NAME KIND PID STARTTIME", "started DATE".

state_add() {
	echo "$*" >>"$STATE"
}

# state_read: check the state file and set S_TMP, S_PREFIX, S_VLAN,
# S_NETNS (list), S_PIDS (lines "NAME KIND PID START"); 1 if there is
# none, 2 (after saying why) if it is not one this script wrote.
state_read() {
	local line k a b c d n=0
	S_TMP='' S_PREFIX='' S_VLAN='' S_NETNS='' S_PIDS='' S_STARTED=''
	[ -f "$STATE" ] || return 1
	while IFS= read -r line; do
		n=$((n + 1))
		read -r k a b c d <<<"$line"
		case $k in
		'' | '#'*) ;;
		tmp)
			case $a in
			/tmp/dxbgp-lab.* | "${TMPDIR:-/tmp}"/dxbgp-lab.*) S_TMP=$a ;;
			*) warn "$STATE:$n: not a lab directory: $a"; return 2 ;;
			esac ;;
		prefix) S_PREFIX=$a ;;
		vlan) S_VLAN=$a ;;
		started) S_STARTED=${line#started } ;;
		netns)
			case $a in
			"$S_PREFIX"-*) S_NETNS="$S_NETNS $a" ;;
			*) warn "$STATE:$n: namespace $a is not the lab's"; return 2 ;;
			esac ;;
		pid)
			if ! [[ $c =~ ^[0-9]+$ && $d =~ ^[0-9]+$ ]]; then
				warn "$STATE:$n: bad pid line: $line"
				return 2
			fi
			S_PIDS="$S_PIDS$a $b $c $d"$'\n' ;;
		*) warn "$STATE:$n: unknown line: $line"; return 2 ;;
		esac
	done <"$STATE"
	if [ -z "$S_PREFIX" ]; then
		warn "$STATE: no prefix line: not a state file of lab.sh"
		return 2
	fi
	return 0
}

# state_alive: how many of the lab's processes still run.
state_alive() {
	local name kind pid st n=0
	while read -r name kind pid st; do
		[ -n "$pid" ] && dxt_alive "$pid" "$st" && n=$((n + 1))
	done <<<"$S_PIDS"
	echo $n
}

# ---------------------------------------------------------------- helpers

# Processes are started in their own session (setsid), so that the lab
# outlives the terminal; `ip netns exec` and setsid exec, so $! is the
# daemon itself.  Replaces lib.sh's dxt_spawn.
dxt_spawn() {
	local dir=$1 ns=$2 pid
	shift 2
	echo "---- $(date '+%T') start: $*" >>"$dir/log"
	setsid ip netns exec "$ns" "$@" </dev/null >>"$dir/log" 2>&1 &
	pid=$!
	echo "$pid $(dxt_starttime "$pid")" >"$dir/pid"
	state_add pid "$(basename "$dir")" "$(cat "$dir/kind" 2>/dev/null ||
	    echo "?")" "$pid" "$(dxt_starttime "$pid")"
}

dxsh_lab() {
	timeout 10 "$DXSH" -S "$LAB_TMP/dx/sock" "$@"
}

bird_lab() {
	timeout 5 ip netns exec "$(ns aws)" "$BIRDC" -s "$LAB_TMP/aws/sock" "$@"
}

# frr_lab NAME CMD...: vtysh on one of the Tencent FRRs.
frr_lab() {
	local name=$1 a c
	shift
	a=()
	for c in "$@"; do a+=(-c "$c"); done
	timeout 5 ip netns exec "$(ns "$name")" "$VTYSH" \
	    --vty_socket "$LAB_TMP/$name/vty" -d bgpd "${a[@]}"
}

# The config's password for a neighbor.
conf_password() {
	awk -v n="$1" '$1 == "neighbor" && $2 == n && $3 == "password" \
	    { print $4; exit }' "$LAB_CONF"
}

# ---------------------------------------------------------------- config

# lab_dx_conf VLAN: conf/dxbgpd.conf with the lab's changes, on stdout.
# Without VLAN links, the addresses and MTU of each VLAN interface go on
# its parent, and sessions bound to it are bound to the parent; the VLAN
# block stays, so dxbgpd says itself what the kernel lacks.
lab_dx_conf() {
	local vlan=$1 nbrs
	nbrs=$(awk '$1 == "neighbor" && ($3 == "remote-as" || $3 == "profile") \
	    { print $2 }' "$LAB_CONF" | sort -u)
	awk -v vlan="$vlan" -v sock="$LAB_TMP/export.sock" \
	    -v hold="$LAB_HOLD" -v conn="$LAB_CONNECT" -v nbrs="$nbrs" '
	NR == FNR {
		if ($1 == "interface") cur = $2
		else if ($1 == "vlan" && $3 == "parent") parent[cur] = $4
		else if ($1 == "exit") cur = ""
		next
	}
	function lab_timers(   n, i, a) {
		n = split(nbrs, a, "\n")
		for (i = 1; i <= n; i++) {
			if (a[i] == "") continue
			print " neighbor " a[i] " timers connect " conn
			if (hold != "")
				print " neighbor " a[i] " timers " \
				    int(hold / 3) " " hold
		}
	}
	/^export listen unix / { print "export listen unix " sock; seen = 1; next }
	/^interface / { cur = $2; moved = ""; print; next }
	cur != "" && vlan == "no" && (cur in parent) &&
	    ($1 == "ip" || $1 == "ipv6" || $1 == "mtu") {
		moved = moved $0 "\n"
		next
	}
	cur != "" && $1 == "exit" {
		print
		if (moved != "")
			printf "interface %s\n%sexit\n", parent[cur], moved
		cur = ""
		next
	}
	/^ neighbor / && $3 == "interface" && vlan == "no" && ($4 in parent) {
		print " neighbor " $2 " interface " parent[$4]
		next
	}
	/^ address-family / && !timers { lab_timers(); timers = 1 }
	/^exit/ && inbgp && !timers { lab_timers(); timers = 1 }
	/^router bgp / { inbgp = 1 }
	{ print }
	END {
		if (!seen)
			print "export listen unix " sock
	}' "$LAB_CONF" "$LAB_CONF"
}

# The BIRD config of AWS: its VPC CIDRs (and one the policy refuses) as
# static routes, exported to dxbgpd; everything dxbgpd sends imported.
lab_bird_conf() {
	local hold=${LAB_HOLD:-90} p
	echo "log stderr all;"
	echo "router id $AWS;"
	echo "protocol device { scan time 10; }"
	echo "protocol static vpc {"
	echo "	ipv4;"
	for p in $AWS_CIDRS $AWS_REFUSED; do
		echo "	route $p blackhole;"
	done
	echo "}"
	cat <<EOF
protocol bgp $(_bird_proto "$DX_AWS") {
	description "aws-dx-hk: dxbgpd, AS $DX_AS";
	local $AWS as $AWS_AS;
	neighbor $DX_AWS as $DX_AS;
	password "$(conf_password "$AWS")";
	hold time $hold;
	keepalive time $((hold / 3));
	connect delay time 1;
	connect retry time $LAB_CONNECT;
	error wait time 1, 2;
	ipv4 { import all; export where proto = "vpc"; };
}
EOF
}

# lab_frr_conf NAME ADDR: the FRR config of a Tencent router announcing
# the two halves of the VPC, and nothing else.
lab_frr_conf() {
	local name=$1 addr=$2 hold=${LAB_HOLD:-180} p
	cat <<EOF
frr defaults traditional
hostname $name
log stdout informational
!
router bgp $TC_AS
 bgp router-id $addr
 no bgp ebgp-requires-policy
 no bgp network import-check
 no bgp default ipv4-unicast
 neighbor $DX_TC remote-as $DX_AS
 neighbor $DX_TC description dxbgpd
 neighbor $DX_TC password $(conf_password "$addr")
 neighbor $DX_TC timers $((hold / 3)) $hold
 neighbor $DX_TC timers connect $LAB_CONNECT
 neighbor $DX_TC advertisement-interval 0
 !
 address-family ipv4 unicast
  neighbor $DX_TC prefix-list VPC out
EOF
	for p in $TC_CIDRS; do
		echo "  network $p"
	done
	cat <<EOF
  neighbor $DX_TC activate
 exit-address-family
!
ip prefix-list VPC seq 5 permit 10.20.0.0/16 le 24
!
EOF
}

# ---------------------------------------------------------------- start

lab_need() {
	local k missing=''
	if [ "$(id -u)" != 0 ]; then
		warn "run as root: the lab creates network namespaces"
		exit 1
	fi
	for k in ip setsid jq; do
		command -v "$k" >/dev/null || missing="$missing $k"
	done
	peer_available bird || missing="$missing bird2"
	peer_available frr || missing="$missing frr"
	for k in "$DXBGPD" "$DXSH" "$DXPROG"; do
		[ -x "$k" ] || missing="$missing $k"
	done
	if [ -n "$missing" ]; then
		warn "missing:$missing (scripts/setup.sh --test --peers)"
		exit 1
	fi
	[ -r "$LAB_CONF" ] || { warn "cannot read $LAB_CONF"; exit 1; }
	for k in "$AWS" "$TC1" "$TC2"; do
		grep -Eq "^ neighbor $k (remote-as|profile) " "$LAB_CONF" ||
		    missing="$missing $k"
	done
	if [ -n "$missing" ]; then
		warn "$LAB_CONF has no neighbor$missing: the lab plays the" \
		    "reference scenario, its config must have its three neighbors"
		exit 1
	fi
}

# mkns NAME: a namespace of the lab, recorded before it exists.
mkns() {
	state_add netns "$(ns "$1")"
	ip netns add "$(ns "$1")" && ip -n "$(ns "$1")" link set lo up
}

# cable A IFA B IFB: a veth between two of the lab's namespaces, up.
cable() {
	ip link add "$2" netns "$(ns "$1")" type veth peer name "$4" \
	    netns "$(ns "$3")" &&
	    ip -n "$(ns "$1")" link set "$2" up &&
	    ip -n "$(ns "$3")" link set "$4" up
}

# peer_if NS PARENT VLAN ADDR: the cloud side of a link, tagged or not.
peer_if() {
	local n=$1 dev=$2
	if [ "$LAB_VLAN_ON" = yes ]; then
		ip -n "$(ns "$n")" link add link "$2" name "$2.$3" type vlan \
		    id "$3" || return 1
		dev=$2.$3
		ip -n "$(ns "$n")" link set "$dev" up || return 1
	fi
	ip -n "$(ns "$n")" addr add "$4" dev "$dev"
}

lab_net() {
	local n probe
	for n in dx aws tc1 tc2 sw; do
		mkns $n || { warn "cannot create namespace $(ns $n)"; return 1; }
	done
	cable dx "$AWS_IF" aws eth0 && cable dx "$TC_IF" sw p-dx &&
	    cable tc1 eth0 sw p-tc1 && cable tc2 eth0 sw p-tc2 &&
	    ip -n "$(ns sw)" link add br0 type bridge &&
	    ip -n "$(ns sw)" link set br0 up || {
		warn "cannot cable the namespaces"
		return 1
	}
	for n in p-dx p-tc1 p-tc2; do
		ip -n "$(ns sw)" link set "$n" master br0 || return 1
	done
	LAB_VLAN_ON=no
	if [ "$LAB_VLAN" = no ]; then
		say "VLAN links off (LAB_VLAN=no): the links run untagged"
	elif probe=$(ip -n "$(ns aws)" link add link eth0 name eth0.9 \
	    type vlan id 9 2>&1); then
		ip -n "$(ns aws)" link del eth0.9
		LAB_VLAN_ON=yes
		say "802.1Q VLAN links: AWS on VLAN $AWS_VLAN, Tencent on VLAN $TC_VLAN"
	else
		say "no 802.1Q VLAN links: this kernel has no 802.1Q support" \
		    "(module 8021q; ip says: ${probe:-nothing}); the links run" \
		    "untagged, and dxbgpd's log says the same"
	fi
	state_add vlan "$LAB_VLAN_ON"
	S_VLAN=$LAB_VLAN_ON
	peer_if aws eth0 "$AWS_VLAN" "$AWS/24" &&
	    peer_if tc1 eth0 "$TC_VLAN" "$TC1/24" &&
	    peer_if tc2 eth0 "$TC_VLAN" "$TC2/24" || {
		warn "cannot put the clouds' addresses on their links"
		return 1
	}
}

# instance NAME KIND NS: the directory of a daemon that lib.sh knows.
instance() {
	mkdir -p "$LAB_TMP/$1"
	echo "$2" >"$LAB_TMP/$1/kind"
	echo "$3" >"$LAB_TMP/$1/ns"
}

lab_daemons() {
	local out
	lab_dx_conf "$LAB_VLAN_ON" >"$LAB_TMP/dxbgpd.conf"
	say "dxbgpd runs $LAB_CONF with these lab changes" \
	    "(in full: $LAB_TMP/dxbgpd.conf):"
	diff -U1 "$LAB_CONF" "$LAB_TMP/dxbgpd.conf" | tail -n +3 |
	    grep -v '^@@' | sed 's/^/   /'
	if ! out=$("$DXBGPD" -n -f "$LAB_TMP/dxbgpd.conf" 2>&1); then
		warn "dxbgpd refuses the lab's config:"
		echo "$out" >&2
		return 1
	fi
	echo "$out" | grep -v 'configuration OK' | sed 's/^/   /'

	lab_bird_conf >"$LAB_TMP/aws.conf"
	peer_start bird aws "$(ns aws)" conf="$LAB_TMP/aws.conf" ||
	    { warn "BIRD (AWS) did not start"; return 1; }
	lab_frr_conf tencent-primary "$TC1" >"$LAB_TMP/tc1.conf"
	peer_start frr tc1 "$(ns tc1)" conf="$LAB_TMP/tc1.conf" ||
	    { warn "FRR (Tencent primary) did not start"; return 1; }
	lab_frr_conf tencent-secondary "$TC2" >"$LAB_TMP/tc2.conf"
	peer_start frr tc2 "$(ns tc2)" conf="$LAB_TMP/tc2.conf" ||
	    { warn "FRR (Tencent secondary) did not start"; return 1; }
	dx_start dx "$(ns dx)" conf="$LAB_TMP/dxbgpd.conf" ||
	    { warn "dxbgpd did not start"; return 1; }
	if [ "$LAB_VLAN_ON" = no ]; then
		grep -o 'interface .*8021q.*' "$LAB_TMP/dx/log" |
		    sed 's/^/lab: dxbgpd says: /'
	fi
	instance prog dxprog "$(ns dx)"
	dxt_spawn "$LAB_TMP/prog" "$(ns dx)" "$DXPROG" -d \
	    -s "$LAB_TMP/export.sock" -t "$TABLE" -L "$OURS" \
	    --peering aws=$AWS_AS --peering tencent=$TC_AS --name lab \
	    --flush-on-exit
	sleep 0.3
	peer_alive prog || { warn "dxprog did not start"; return 1; }
	say "started: BIRD (AWS) in $(ns aws), FRR (Tencent) in $(ns tc1)" \
	    "and $(ns tc2), dxbgpd and dxprog in $(ns dx)"
}

lab_start() {
	local rc n
	if [ "$(id -u)" != 0 ]; then
		warn "run as root: the lab creates network namespaces"
		exit 1
	fi
	if state_read; then
		n=$(state_alive)
		if [ "$n" -gt 0 ]; then
			warn "a lab is already running (started $S_STARTED;" \
			    "$n processes, namespaces$S_NETNS)."
			warn "'scripts/lab.sh status' shows it, 'scripts/lab.sh" \
			    "stop' removes it, 'scripts/lab.sh restart' does both."
			exit 1
		fi
		say "removing what is left of an earlier lab (nothing of it runs)"
		lab_stop quiet
	elif [ $? = 2 ]; then
		warn "not starting: fix or remove $STATE first"
		exit 1
	fi
	if [ "$LAB_NO_SETUP" != 1 ]; then
		scripts/setup.sh --test --peers || exit 1
	fi
	lab_need
	mkdir -p "$LAB_DIR" || exit 1
	LAB_TMP=$(mktemp -d "${TMPDIR:-/tmp}/dxbgp-lab.XXXXXX") || exit 1
	chmod 755 "$LAB_TMP"
	DXT_CASE_DIR=$LAB_TMP
	{
		echo "# scripts/lab.sh: the running lab; 'scripts/lab.sh stop' removes it"
		echo "tmp $LAB_TMP"
		echo "prefix $LAB_PREFIX"
		echo "started $(date '+%F %T')"
	} >"$STATE"
	trap 'warn "interrupted: removing the lab"; lab_stop quiet; exit 130' \
	    INT TERM HUP
	say "building the reference DX lab in namespaces $LAB_PREFIX-*," \
	    "files in $LAB_TMP"
	if ! lab_net || ! lab_daemons; then
		lab_diag
		warn "the lab did not start; removing it"
		lab_stop quiet
		exit 1
	fi
	trap - INT TERM HUP
	say "waiting for the sessions, the routes and table $TABLE" \
	    "(at most $LAB_WAIT s)"
	lab_wait_checks "$LAB_WAIT" "$TC1"
	rc=$?
	lab_show
	lab_checks "$TC1"
	[ $rc -eq 0 ] || lab_diag
	lab_howto
	if [ $rc -eq 0 ]; then
		say "the lab is up and passes its checks"
	else
		warn "the lab runs, but some checks failed (above)"
	fi
	return $rc
}

# ---------------------------------------------------------------- show

hdr() {
	printf '\n==== %s\n' "$*"
}

lab_show() {
	local p
	hdr "dxbgpd (AS $DX_AS): dxsh -c 'show bgp summary'"
	dxsh_lab -c "show bgp summary"
	hdr "dxbgpd: dxsh -c 'show interface brief'"
	dxsh_lab -c "show interface brief"
	hdr "dxbgpd: dxsh -c 'show bgp ipv4 unicast'"
	dxsh_lab -c "show bgp ipv4 unicast"
	hdr "AWS (BIRD, AS $AWS_AS) sent ($AWS_REFUSED is refused by dxbgpd's" \
	    "policy): birdc show route export $(_bird_proto "$DX_AWS")"
	bird_lab show route export "$(_bird_proto "$DX_AWS")" | sed '1,/^Table/{/^Table/!d}'
	hdr "AWS (BIRD) received: birdc show route protocol $(_bird_proto "$DX_AWS")"
	bird_lab show route protocol "$(_bird_proto "$DX_AWS")" | sed '1,/^Table/{/^Table/!d}'
	for p in tc1 tc2; do
		hdr "Tencent $( [ $p = tc1 ] && echo primary || echo secondary) (FRR," \
		    "AS $TC_AS) sent: show bgp ipv4 unicast neighbors $DX_TC advertised-routes"
		frr_lab $p "show bgp ipv4 unicast neighbors $DX_TC advertised-routes" |
		    frr_trim
		hdr "Tencent $( [ $p = tc1 ] && echo primary || echo secondary)" \
		    "(FRR) received: show bgp ipv4 unicast neighbors $DX_TC routes"
		frr_lab $p "show bgp ipv4 unicast neighbors $DX_TC routes" |
		    frr_trim
	done
	hdr "table $TABLE, programmed by dxprog: ip -n $(ns dx) route show table $TABLE"
	ip -n "$(ns dx)" route show table "$TABLE"
	echo
}

# FRR's tables without the legend.
frr_trim() {
	grep -Ev '^$|^(Status|Nexthop|Origin|RPKI validation) codes|^ +i internal'
}

lab_howto() {
	cat <<EOF

How to use the lab:
  dxsh on its dxbgpd:  $DXSH -S $LAB_TMP/dx/sock
    (a Unix socket: no ip netns exec needed; or scripts/lab.sh shell;
    one command: ... -c "show bgp summary")
  inside a namespace:  ip netns exec $(ns dx) ip route show table $TABLE
    namespaces: $(ns dx) (dxbgpd, dxprog), $(ns aws) (BIRD),
                $(ns tc1), $(ns tc2) (FRR), $(ns sw) (the Tencent VLAN's switch)
  AWS's BIRD:          ip netns exec $(ns aws) birdc -s $LAB_TMP/aws/sock
  Tencent's FRRs:      ip netns exec $(ns tc1) vtysh --vty_socket $LAB_TMP/tc1/vty
  logs:                $LAB_TMP/{dx,prog,aws,tc1,tc2}/log
  failover:            scripts/lab.sh failover [shutdown|link]
  status and checks:   scripts/lab.sh status
  stop and remove it:  scripts/lab.sh stop
EOF
}

lab_diag() {
	local d
	for d in "$LAB_TMP"/*/log; do
		[ -f "$d" ] || continue
		echo "--- last lines of $d:"
		tail -n 15 "$d"
	done
}

# ---------------------------------------------------------------- checks
# Each prints "  ok   WHAT" or "  FAIL WHAT: why" and returns 0/1.

ck() {
	local what=$1
	shift
	if CK_WHY=$("$@" 2>&1); then
		echo "  ok   $what"
		return 0
	fi
	echo "  FAIL $what: $CK_WHY"
	return 1
}

# dxbgpd's sessions, all Established.
ck_sessions() {
	local j bad
	j=$(dxsh_lab -c "show bgp summary json") || { echo "dxsh failed"; return 1; }
	bad=$(jq -r --arg a "$AWS" --arg t1 "$TC1" --arg t2 "$TC2" '
	    [$a, $t1, $t2][] as $n | .peers[$n].state // "absent" |
	    select(. != "Established") | "\($n) \(.)"' <<<"$j" | paste -sd,)
	[ -z "$bad" ] || { echo "not Established: $bad"; return 1; }
}

# ck_prefixes WHAT HAVE WANT: HAVE (lines) holds each of WANT.
ck_has() {
	local have=$1 p miss=''
	shift
	for p in "$@"; do
		grep -qx "$p" <<<"$have" || miss="$miss $p"
	done
	[ -z "$miss" ] || { echo "missing$miss; has: $(paste -sd' ' <<<"$have")"; return 1; }
}

ck_lacks() {
	local have=$1 p
	shift
	for p in "$@"; do
		grep -qx "$p" <<<"$have" && { echo "has $p"; return 1; }
	done
	return 0
}

bird_received() {
	bird_lab show route protocol "$(_bird_proto "$DX_AWS")" |
	    awk '$1 ~ /^[0-9.]+\/[0-9]+$/ { print $1 }'
}

frr_received() {
	frr_lab "$1" "show bgp ipv4 unicast neighbors $DX_TC routes json" |
	    jq -r '.routes // {} | keys[]'
}

ck_aws_received() {
	local r
	r=$(bird_received) || { echo "birdc failed"; return 1; }
	# shellcheck disable=SC2086
	ck_has "$r" $TC_CIDRS "$OURS"
}

ck_tc_received() {
	local r
	r=$(frr_received "$1") || { echo "vtysh failed"; return 1; }
	# shellcheck disable=SC2086
	ck_has "$r" $AWS_CIDRS "$OURS" && ck_lacks "$r" "$AWS_REFUSED"
}

ck_backup_received() {
	ck_tc_received tc2 && ck_prepend
}

# The backup is sent our AS prepended 3 times (ha backup), the primary not.
ck_prepend() {
	local j p1 p2 one=172.31.0.0/16
	j=$(frr_lab tc2 "show bgp ipv4 unicast $one json") || return 1
	p2=$(jq -r '.paths[0].aspath.string' <<<"$j")
	j=$(frr_lab tc1 "show bgp ipv4 unicast $one json") || return 1
	p1=$(jq -r '.paths[0].aspath.string' <<<"$j")
	[ "$p1" = "$DX_AS $AWS_AS" ] ||
	    { echo "primary has path '$p1' for $one"; return 1; }
	[ "$p2" = "$DX_AS $DX_AS $DX_AS $DX_AS $AWS_AS" ] ||
	    { echo "secondary has path '$p2' for $one"; return 1; }
}

# dxbgpd's best paths: "PREFIX NEXTHOP LOCALPREF".
dx_best() {
	dxsh_lab -c "show bgp ipv4 unicast json" | jq -r '
	    .routes // {} | to_entries[] | .key as $p | .value[] |
	    select(.best) | "\($p) \(.nexthop) \(.localPref // "-")"'
}

# dxbgpd: AWS's CIDRs via AWS; Tencent's via NH (lp 200 from the primary,
# 100 from the backup); the one its policy refuses absent.
ck_dx_best() {
	local nh=$1 lp b want=() p
	[ "$nh" = "$TC1" ] && lp=200 || lp=100
	b=$(dx_best) || { echo "dxsh failed"; return 1; }
	for p in $AWS_CIDRS; do want+=("$p $AWS -"); done
	for p in $TC_CIDRS; do want+=("$p $nh $lp"); done
	ck_has "$b" "${want[@]}" || return 1
	if grep -q "^$AWS_REFUSED " <<<"$b"; then
		echo "$AWS_REFUSED is in dxbgpd's table"
		return 1
	fi
}

kernel_table() {
	ip -n "$(ns dx)" -j route show table "$TABLE" | jq -r '
	    .[] | "\(.dst) \(.gateway // "-") \(.protocol)"'
}

# Table 100 holds exactly both clouds' CIDRs, Tencent's via NH.
ck_kernel() {
	local nh=$1 k exp='' p
	k=$(kernel_table | LC_ALL=C sort) || return 1
	for p in $AWS_CIDRS; do exp="$exp$p $AWS dxprog"$'\n'; done
	for p in $TC_CIDRS; do exp="$exp$p $nh dxprog"$'\n'; done
	exp=$(printf '%s' "$exp" | LC_ALL=C sort)
	# protocol 201 is printed as a number if rt_protos.d is not installed
	k=${k// 201/ dxprog}
	[ "$k" = "$exp" ] || {
		echo "holds [$(paste -sd, <<<"$k")], not [$(paste -sd, <<<"$exp")]"
		return 1
	}
}

ck_vlan() {
	local j
	j=$(dxsh_lab -c "show interface json") || return 1
	if [ "$S_VLAN" = yes ]; then
		jq -e --arg a "$AWS_IF.$AWS_VLAN" --arg t "$TC_IF.$TC_VLAN" '
		    .[$a].state == "up" and .[$a].vlanId == '"$AWS_VLAN"' and
		    .[$t].state == "up" and .[$t].vlanId == '"$TC_VLAN" \
		    <<<"$j" >/dev/null ||
		    { echo "dxbgpd's VLAN links are not both up: $j"; return 1; }
	else
		grep -q "cannot create VLAN .*802.1Q.*8021q" "$LAB_TMP/dx/log" ||
		    { echo "dxbgpd's log does not say 802.1Q is missing"; return 1; }
		jq -e --arg a "$AWS_IF" --arg t "$TC_IF" \
		    '.[$a].state == "up" and .[$t].state == "up"' <<<"$j" \
		    >/dev/null || { echo "eth0/eth1 not up: $j"; return 1; }
	fi
}

# lab_checks NH: every check, Tencent's routes expected via NH; prints
# them, returns the number that failed.
lab_checks() {
	local nh=$1 f=0 vl
	[ "$S_VLAN" = yes ] && vl="dxbgpd made VLAN links $AWS_IF.$AWS_VLAN and $TC_IF.$TC_VLAN, up" ||
	    vl="no 802.1Q: dxbgpd logs it; untagged $AWS_IF and $TC_IF up"
	echo "checks:"
	ck "dxbgpd: sessions with AWS $AWS, Tencent $TC1 and $TC2 Established" \
	    ck_sessions || f=$((f + 1))
	ck "$vl" ck_vlan || f=$((f + 1))
	ck "dxbgpd: best paths: AWS's CIDRs via $AWS, Tencent's via $nh; not $AWS_REFUSED" \
	    ck_dx_best "$nh" || f=$((f + 1))
	ck "AWS received Tencent's CIDRs and $OURS" ck_aws_received ||
	    f=$((f + 1))
	ck "Tencent primary received AWS's CIDRs and $OURS, not $AWS_REFUSED" \
	    ck_tc_received tc1 || f=$((f + 1))
	ck "Tencent secondary received them too, with our AS prepended 3 times" \
	    ck_backup_received || f=$((f + 1))
	ck "table $TABLE: AWS's CIDRs via $AWS, Tencent's via $nh, nothing else" \
	    ck_kernel "$nh" || f=$((f + 1))
	return $f
}

# lab_wait_checks SECS NH: quietly until every check passes.
lab_wait_checks() {
	local end=$((SECONDS + $1))
	while :; do
		lab_checks "$2" >/dev/null && return 0
		[ $SECONDS -ge $end ] && return 1
		sleep 1
	done
}

# ---------------------------------------------------------------- failover

# dx_hold ADDR: the negotiated hold time of a session.
dx_hold() {
	dxsh_lab -c "show bgp neighbors $1 json" |
	    jq -r --arg n "$1" '.[$n].holdTime // .[$n].negotiatedHoldTime // empty'
}

# wait_moved NH SECS: until dxbgpd's best paths and table 100 have
# Tencent's CIDRs via NH; prints the seconds it took, 1 on timeout.
wait_moved() {
	local nh=$1 end=$((SECONDS + $2)) t0
	t0=$(date +%s.%N)
	while :; do
		if ck_dx_best "$nh" >/dev/null 2>&1 &&
		    ck_kernel "$nh" >/dev/null 2>&1; then
			awk -v a="$t0" -v b="$(date +%s.%N)" \
			    'BEGIN { printf "%.1f\n", b - a }'
			return 0
		fi
		[ $SECONDS -ge $end ] && return 1
		sleep 0.5
	done
}

ck_primary_down() {
	local st
	st=$(dxsh_lab -c "show bgp summary json" |
	    jq -r --arg n "$TC1" '.peers[$n].state')
	[ "$st" != Established ] || { echo "still Established"; return 1; }
}

show_move() {
	hdr "dxbgpd: show bgp summary"
	dxsh_lab -c "show bgp summary"
	hdr "dxbgpd: show bgp ipv4 unicast"
	dxsh_lab -c "show bgp ipv4 unicast"
	hdr "ip -n $(ns dx) route show table $TABLE"
	ip -n "$(ns dx)" route show table "$TABLE"
	echo
}

lab_failover() {
	local mode=${1:-shutdown} hold limit t rc=0
	case $mode in
	shutdown | link) ;;
	*) warn "failover: shutdown or link, not '$mode'"; exit 2 ;;
	esac
	lab_running
	if ! lab_checks "$TC1" >/dev/null; then
		warn "failover: the lab does not pass its checks now;" \
		    "'scripts/lab.sh status' says why"
		exit 1
	fi
	hold=$(dx_hold "$TC1")
	[ -n "$hold" ] || hold=180
	if [ "$mode" = link ]; then
		limit=$((hold + 5))
		say "failover: the Tencent primary's link cut at the VLAN's" \
		    "switch (ip -n $(ns sw) link set p-tc1 down)."
		say "Neither side sees its own link go down: dxbgpd notices" \
		    "when the hold time ($hold s) runs out (BFD would be" \
		    "faster); waiting up to $limit s."
		ip -n "$(ns sw)" link set p-tc1 down || exit 1
	else
		limit=15
		say "failover: the Tencent primary shuts its session down" \
		    "(FRR: neighbor $DX_TC shutdown)"
		frr_lab tc1 "configure terminal" "router bgp $TC_AS" \
		    "neighbor $DX_TC shutdown" >/dev/null || exit 1
	fi
	if t=$(wait_moved "$TC2" "$limit"); then
		say "after $t s the secondary $TC2 carries Tencent's routes," \
		    "and table $TABLE follows (limit $limit s):"
	else
		warn "the routes did not move to the secondary in $limit s"
		rc=1
	fi
	show_move
	echo "checks:"
	ck "dxbgpd: the primary's session is down" ck_primary_down || rc=1
	ck "AWS still receives Tencent's CIDRs (now through the secondary)" \
	    ck_aws_received || rc=1
	ck "table $TABLE: Tencent's CIDRs via the secondary $TC2" \
	    ck_kernel "$TC2" || rc=1

	if [ "$mode" = link ]; then
		say "the primary's link back (ip -n $(ns sw) link set p-tc1 up)"
		ip -n "$(ns sw)" link set p-tc1 up || exit 1
	else
		say "the primary back (FRR: no neighbor $DX_TC shutdown)"
		frr_lab tc1 "configure terminal" "router bgp $TC_AS" \
		    "no neighbor $DX_TC shutdown" >/dev/null || exit 1
	fi
	# Back: the session is set up again (connect retry, with backoff);
	# after a cut, the primary may hold on to its old session until
	# its own hold time runs out.
	limit=$((LAB_CONNECT * 8 + 15))
	[ "$mode" = link ] && limit=$((limit + hold))
	if t=$(wait_moved "$TC1" "$limit"); then
		say "after $t s the routes are back on the primary $TC1" \
		    "(limit $limit s):"
	else
		warn "the routes did not come back to the primary in $limit s"
		rc=1
	fi
	show_move
	lab_checks "$TC1" || rc=1
	return $rc
}

# ---------------------------------------------------------------- stop

# lab_running: a lab is running; sets LAB_TMP, DXT_CASE_DIR, S_*.
lab_running() {
	local r
	state_read
	r=$?
	if [ $r = 1 ]; then
		warn "no lab is running (no $STATE); 'scripts/lab.sh' starts one"
		exit 1
	elif [ $r = 2 ]; then
		exit 1
	fi
	LAB_PREFIX=$S_PREFIX
	LAB_TMP=$S_TMP
	DXT_CASE_DIR=$LAB_TMP
	if [ "$(state_alive)" = 0 ]; then
		warn "the lab of $S_STARTED no longer runs; 'scripts/lab.sh stop'" \
		    "removes what is left of it"
		exit 1
	fi
}

lab_stop() {
	local quiet=${1:-} r name kind pid st n
	state_read
	r=$?
	if [ $r = 2 ]; then
		warn "not touching anything: $STATE is not as lab.sh writes it"
		return 1
	fi
	if [ $r = 1 ]; then
		# Nothing recorded: only namespaces with the lab's exact names.
		S_NETNS='' S_TMP=''
		for n in dx aws tc1 tc2 sw; do
			ip netns list | grep -q "^$(ns $n)\( \|$\)" &&
			    S_NETNS="$S_NETNS $(ns $n)"
		done
		if [ -z "$S_NETNS" ]; then
			say "no lab is running (no $STATE), nothing to remove"
			return 0
		fi
		say "no $STATE, but namespaces of a lab:$S_NETNS; removing them"
	fi
	while read -r name kind pid st; do
		[ -n "$pid" ] || continue
		if dxt_alive "$pid" "$st"; then
			[ -n "$quiet" ] || say "stopping $name ($kind, pid $pid)"
			dxt_stop_pid "$pid" "$st" 10
		fi
		if [ "$kind" = frr ] && [ -d "/var/tmp/frr/bgpd.$pid" ]; then
			rm -rf "/var/tmp/frr/bgpd.$pid"
		fi
	done <<<"$S_PIDS"
	for n in $S_NETNS; do
		[ -n "$quiet" ] || say "deleting namespace $n"
		dxt_netns_del "$n"
	done
	if [ -n "$S_TMP" ] && [ -d "$S_TMP" ]; then
		if [ "${LAB_KEEP:-0}" = 1 ]; then
			say "kept $S_TMP (LAB_KEEP=1)"
		else
			rm -rf "$S_TMP"
		fi
	fi
	rm -f "$STATE"
	[ -n "$quiet" ] || say "the lab is removed"
	return 0
}

# ---------------------------------------------------------------- main

cmd=${1:-start}
[ $# -gt 0 ] && shift
case $cmd in
start) [ $# = 0 ] || { usage; exit 2; }; lab_start ;;
restart)
	[ "$(id -u)" = 0 ] || { warn "run as root"; exit 1; }
	lab_stop && lab_start ;;
stop)
	[ "$(id -u)" = 0 ] || { warn "run as root"; exit 1; }
	lab_stop ;;
status)
	lab_running
	say "running since $S_STARTED, files in $LAB_TMP"
	lab_show
	lab_checks "$TC1" ;;
check)
	lab_running
	lab_checks "$TC1" ;;
failover) [ $# -le 1 ] || { usage; exit 2; }; lab_failover "$@" ;;
shell)
	lab_running
	exec "$DXSH" -S "$LAB_TMP/dx/sock" "$@" ;;
-h | --help | help) usage ;;
*)
	warn "unknown command '$cmd'"
	usage >&2
	exit 2 ;;
esac
