#!/bin/bash
# converge.sh: how fast a BGP daemon passes a full table from one eBGP
# peer to another, dxbgpd side by side with BIRD 2, FRR, GoBGP and
# OpenBGPD, on the same machine in the same run.
#
# Each run makes three network namespaces, joined by two veths:
#
#   feeder 10.1.0.1/24 --f0-- 10.1.0.2/24 daemon 10.2.0.2/24 --m0-- 10.2.0.1/24 monitor
#   AS 65001                  AS 65000                             AS 65002
#
# bench/bgpblast (built here from bench/bgpblast.c and the codec) plays
# the feeder and the monitor; both listen, the daemon connects to them.
# The daemon accepts everything from the feeder and sends everything to
# the monitor. Once the daemon's own CLI says both sessions are
# Established, the feeder is told (SIGUSR1) to send its table, built in
# memory beforehand, as fast as the socket takes it. Convergence is the
# monitor's "done" time (it holds exactly the N prefixes) minus the
# feeder's "start" time (first byte of the table), both CLOCK_REALTIME.
# Also measured: the daemon's CPU seconds (utime+stime of its processes
# between the start of the feed and done) and its peak RSS (VmHWM just
# before it is stopped; for OpenBGPD, which runs three processes, their
# sum).
#
# Scenarios: a table of each of SIZES prefixes with one attribute set
# per SETS prefixes; the worst case, one attribute set per prefix, at
# WORST_SIZE; and TCP MD5 on both sessions at MD5_SIZE. Each is run
# RUNS times per daemon (the median is reported); a daemon whose first
# run of a scenario takes more than SLOW seconds (GoBGP at 1,000,000)
# runs it only once. A run that does not converge within TIMEOUT
# seconds is a "timeout"; the daemon then skips its remaining runs of
# that scenario and the larger ones. The dxbgpd binary is copied at the
# start, so a rebuild during the run does not mix two versions.
#
# Prints progress on stderr and, at the end, a Markdown table on
# stdout. Needs root (namespaces). Every process is stopped by the PID
# it was started with and every namespace removed, also on ^C (trap).
#
#   bench/converge.sh                       everything (several minutes)
#   DAEMONS="bird frr" SIZES=10000 RUNS=1 WORST_SIZE=0 MD5_SIZE=0 bench/converge.sh

set -u

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$BENCH_DIR/.." && pwd)

: "${DAEMONS:=dxbgpd bird frr gobgp openbgpd}"
: "${SIZES=10000 100000 1000000}"	# empty: none
: "${RUNS:=3}"
: "${SETS:=20}"			# prefixes per attribute set
: "${WORST_SIZE:=100000}"	# one attribute set per prefix; 0: skip
: "${MD5_SIZE:=100000}"		# TCP MD5 on both sessions; 0: skip
: "${MD5_KEY:=bench-s3cret}"
: "${TIMEOUT:=300}"		# seconds from the first byte to done
: "${SLOW:=60}"			# a first run slower than this is not repeated
: "${UP_WAIT:=60}"		# seconds for both sessions to come up
: "${KEEP:=0}"			# 1: keep the temp dir (configs, logs)
: "${CC:=gcc}"

# lib.sh: process handling (dxt_spawn, dxt_stop_pid...), daemon spawn,
# CLI and state functions, namespace removal. Its case runner and
# watchdog are not used: this script runs its own loop.
# shellcheck source-path=SCRIPTDIR/.. source=tests/interop/lib.sh
. "$TOP/tests/interop/lib.sh"

F4=10.1.0.1 DF4=10.1.0.2 DM4=10.2.0.2 M4=10.2.0.1
F_AS=65001 D_AS=65000 M_AS=65002

say() {
	echo "# $*" >&2
}

# ---------------------------------------------------------------- cleanup

BT_TMP=
BT_RUN=

bt_cleanup() {
	local rc=$?
	trap - EXIT HUP INT TERM
	if [ -n "$BT_RUN" ] && [ -d "$BT_RUN" ]; then
		dxt_case_cleanup "$BT_RUN" 2>/dev/null
	fi
	if [ -n "$BT_TMP" ]; then
		if [ "$KEEP" = 1 ]; then
			say "kept $BT_TMP"
		else
			rm -rf "$BT_TMP"
		fi
	fi
	exit "$rc"
}

# ---------------------------------------------------------------- configs
# conf_KIND DIR KEY: the daemon between feeder and monitor; KEY is the
# TCP MD5 password of both sessions, or empty.

conf_bird() {
	local key=$2 n
	echo "log stderr all;"
	echo "router id $DF4;"
	echo "protocol device { scan time 10; }"
	for n in "$F4 $DF4 $F_AS" "$M4 $DM4 $M_AS"; do
		# shellcheck disable=SC2086 # split the triple
		set -- $n "$key"
		cat <<EOF
protocol bgp $(_bird_proto "$1") {
	local $2 as $D_AS;
	neighbor $1 as $3;
${4:+	password \"$4\";}
	hold time 90;
	keepalive time 30;
	connect delay time 1;
	connect retry time 2;
	error wait time 1, 2;
	ipv4 { import all; export all; };
}
EOF
	done
}

conf_frr() {
	local key=$2 n
	cat <<EOF
frr defaults traditional
hostname bench
log stdout informational
!
router bgp $D_AS
 bgp router-id $DF4
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
EOF
	for n in "$F4 $F_AS $DF4" "$M4 $M_AS $DM4"; do
		# shellcheck disable=SC2086 # split the triple
		set -- $n
		echo " neighbor $1 remote-as $2"
		echo " neighbor $1 update-source $3"
		echo " neighbor $1 timers 30 90"
		echo " neighbor $1 timers connect 2"
		[ -n "$key" ] && echo " neighbor $1 password $key"
	done
	cat <<EOF
 !
 address-family ipv4 unicast
  neighbor $F4 activate
  neighbor $M4 activate
 exit-address-family
!
EOF
}

conf_gobgp() {
	local key=$2 n
	echo 50051 >"$1/api_port"
	cat <<EOF
[global.config]
  as = $D_AS
  router-id = "$DF4"
  port = 179
[global.apply-policy.config]
  default-import-policy = "accept-route"
  default-export-policy = "accept-route"
EOF
	for n in "$F4 $F_AS $DF4" "$M4 $M_AS $DM4"; do
		# shellcheck disable=SC2086 # split the triple
		set -- $n
		cat <<EOF

[[neighbors]]
  [neighbors.config]
    neighbor-address = "$1"
    peer-as = $2
${key:+    auth-password = \"$key\"
}  [neighbors.timers.config]
    connect-retry = 2
    hold-time = 90
    keepalive-interval = 30
  [neighbors.transport.config]
    local-address = "$3"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
EOF
	done
}

conf_openbgpd() {
	local key=$2 n
	cat <<EOF
AS $D_AS
router-id $DF4
fib-update no
socket "$1/sock"
connect-retry 2
holdtime 90
EOF
	for n in "$F4 $F_AS $DF4 feeder" "$M4 $M_AS $DM4 monitor"; do
		# shellcheck disable=SC2086 # split the quadruple
		set -- $n
		cat <<EOF

neighbor $1 {
	remote-as $2
	descr "$4"
	local-address $3
${key:+	tcp md5sig password $key
}}
EOF
	done
	echo
	echo "allow from any"
	echo "allow to any"
}

conf_dxbgpd() {
	local key=$2 n
	echo "hostname bench"
	echo "router bgp $D_AS"
	echo " bgp router-id $DF4"
	echo " no bgp ebgp-requires-policy"
	echo " bgp allow-martian-nexthop"
	for n in "$F4 $F_AS $DF4" "$M4 $M_AS $DM4"; do
		# shellcheck disable=SC2086 # split the triple
		set -- $n
		echo " neighbor $1 remote-as $2"
		echo " neighbor $1 update-source $3"
		echo " neighbor $1 timers 30 90"
		echo " neighbor $1 timers connect 2"
		[ -n "$key" ] && echo " neighbor $1 password $key"
	done
	return 0
}

# FRR runs as it is deployed, bgpd with zebra (FRR_ZEBRA=1, the
# default), bgpd told not to install routes (-n, --no_kernel), as the
# other daemons here touch no routing table either. zebra answers its
# next-hop tracking; its CPU time and memory are counted with bgpd's.
# FRR_ZEBRA=0 runs bgpd alone (-Z) as tests/interop does: it then fails
# to register every route's next hop and logs an error per prefix,
# which roughly doubles its time on a large table.
: "${FRR_ZEBRA:=1}"
FRR_ZEBRAD=${FRR_ZEBRAD:-/usr/lib/frr/zebra}

if [ "$FRR_ZEBRA" = 1 ]; then
	# replaces lib.sh's version for this script
	_frr_spawn() {
		local dir=$1 ns=$2 z=$DXT_CASE_DIR/zebra i
		# zebra drops to the frr user: its files in dirs frr owns
		mkdir -p "$dir/vty" "$z"
		chown frr:frr "$dir/vty" "$z"
		echo zebra >"$z/kind"
		echo "$ns" >"$z/ns"
		printf 'hostname bench-zebra\nlog stdout informational\n' \
		    >"$z/conf"
		dxt_spawn "$z" "$ns" "$FRR_ZEBRAD" -P 0 -f "$z/conf" \
		    -i "$z/pidfile" -z "$dir/vty/zserv.api" \
		    --vty_socket "$dir/vty"
		for ((i = 0; i < 50; i++)); do
			[ -S "$dir/vty/zserv.api" ] && break
			if ! dxt_alive_pidfile "$z/pid"; then
				echo "zebra exited:"
				cat "$z/log"
				return 1
			fi
			sleep 0.1
		done
		dxt_spawn "$dir" "$ns" "$FRR_BGPD" -S -P 0 -n \
		    -z "$dir/vty/zserv.api" -f "$dir/conf" -i "$dir/pidfile" \
		    --vty_socket "$dir/vty"
	}
fi

# ---------------------------------------------------------------- measuring

# tree_pids PID...: the PIDs and their descendants.
tree_pids() {
	local all
	all=$(ps -e -o pid=,ppid=)
	printf '%s\n' "$@"
	awk -v roots="$*" '
	    { ppid[$1] = $2; pids[NR] = $1 }
	    END {
		n = split(roots, r, " ")
		for (i = 1; i <= n; i++)
			keep[r[i]] = 1
		do {
			more = 0
			for (i in pids) {
				q = pids[i]
				if (!(q in keep) && (ppid[q] in keep)) {
					keep[q] = 1; print q; more = 1
				}
			}
		} while (more)
	    }' <<<"$all"
}

# cpu_ticks PID...: utime+stime of the PIDs and their descendants, in
# clock ticks.
cpu_ticks() {
	local p s t=0
	for p in $(tree_pids "$@"); do
		s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		s=${s##*) }
		# shellcheck disable=SC2086 # split the stat fields
		set -- $s
		t=$((t + ${12} + ${13}))
	done
	echo "$t"
}

# hwm_kb PID...: VmHWM of the PIDs and their descendants, summed, in kB.
hwm_kb() {
	local p k t=0
	for p in $(tree_pids "$@"); do
		k=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' \
		    "/proc/$p/status" 2>/dev/null)
		t=$((t + ${k:-0}))
	done
	echo "$t"
}

CLK_TCK=$(getconf CLK_TCK)

# ---------------------------------------------------------------- one run

# netns_three: the feeder, daemon and monitor namespaces of a run.
netns_three() {
	local ns i
	NS_F=bt-$$-$BT_N-f NS_D=bt-$$-$BT_N-d NS_M=bt-$$-$BT_N-m
	for ns in "$NS_F" "$NS_D" "$NS_M"; do
		ip netns add "$ns" || return 1
		echo "$ns" >>"$BT_RUN/netns"
		ip -n "$ns" link set lo up || return 1
	done
	echo "$DF4" >"$BT_RUN/$NS_D.v4"
	ip link add f0 netns "$NS_F" type veth peer name f0 netns "$NS_D" &&
	    ip link add m0 netns "$NS_M" type veth peer name m0 netns "$NS_D" &&
	    ip -n "$NS_F" addr add "$F4/24" dev f0 &&
	    ip -n "$NS_D" addr add "$DF4/24" dev f0 &&
	    ip -n "$NS_D" addr add "$DM4/24" dev m0 &&
	    ip -n "$NS_M" addr add "$M4/24" dev m0 &&
	    ip -n "$NS_F" link set f0 up &&
	    ip -n "$NS_D" link set f0 up &&
	    ip -n "$NS_D" link set m0 up &&
	    ip -n "$NS_M" link set m0 up || return 1
	for ((i = 0; i < 50; i++)); do
		if ip -n "$NS_D" link show f0 | grep -q LOWER_UP &&
		    ip -n "$NS_D" link show m0 | grep -q LOWER_UP; then
			return 0
		fi
		sleep 0.1
	done
	echo "veths did not come up"
	return 1
}

# blast_start NAME NS ARGS...: a bgpblast instance, lib.sh style.
blast_start() {
	local name=$1 ns=$2 dir
	shift 2
	dir=$BT_RUN/$name
	mkdir -p "$dir"
	echo bgpblast >"$dir/kind"
	echo "$ns" >"$dir/ns"
	dxt_spawn "$dir" "$ns" "$BLAST" "$@"
}

# logged_time DIR WORD: the time of the first "WORD <time>" line.
logged_time() {
	sed -n "s/^$2 \([0-9.]*\).*/\1/p" "$1/log" | head -n 1
}

# run_one KIND SIZE SETS KEY: one measurement. Sets R_STATUS (ok,
# timeout, failed), R_CONV, R_CPU, R_RSS, R_NOTE.
run_one() {
	local kind=$1 size=$2 sets=$3 key=$4 d conf pid st t0 t1 c0 c1 end
	local ready md5=() out pids=() zpid fpid i
	R_STATUS=failed R_CONV='' R_CPU='' R_RSS='' R_NOTE=
	BT_N=$((BT_N + 1))
	BT_RUN=$BT_TMP/run$BT_N
	DXT_CASE_DIR=$BT_RUN
	mkdir -p "$BT_RUN"
	echo "$kind size=$size sets=$sets md5=${key:+yes}" >"$BT_RUN/what"
	[ -n "$key" ] && md5=(--md5 "$key")
	{
		netns_three || return 1
		blast_start monitor "$NS_M" monitor -l "$M4" -p "$DM4" \
		    -a "$M_AS" -A "$D_AS" -n "$size" -k -v "${md5[@]}"
		blast_start feeder "$NS_F" feed -l "$F4" -p "$DF4" \
		    -a "$F_AS" -A "$D_AS" -n "$size" -s "$sets" -w "${md5[@]}"
		# the feeder builds its table before it listens
		for ((i = 0; i < 600; i++)); do
			grep -q '^ready' "$BT_RUN/feeder/log" && break
			peer_alive feeder || break
			sleep 0.1
		done
		ready=$(grep '^ready' "$BT_RUN/feeder/log")
		[ -n "$ready" ] || { echo "feeder not ready"; return 1; }
		echo "feeder: $ready"
		d=$BT_RUN/daemon
		mkdir -p "$d"
		conf=$BT_RUN/daemon.conf
		"conf_$kind" "$d" "$key" >"$conf"
		# a script that sources this one may add to the config
		if declare -F "conf_extra_$kind" >/dev/null; then
			"conf_extra_$kind" "$d" >>"$conf"
		fi
		if [ "$kind" = dxbgpd ]; then
			dx_start daemon "$NS_D" conf="$conf" || return 1
		else
			peer_start "$kind" daemon "$NS_D" conf="$conf" || return 1
		fi
		wait_established daemon "$F4" "$UP_WAIT" || return 1
		wait_established daemon "$M4" "$UP_WAIT" || return 1
		read -r pid st <"$d/pid"
		read -r fpid _ <"$BT_RUN/feeder/pid"
		pids=("$pid")
		if [ -f "$BT_RUN/zebra/pid" ]; then
			read -r zpid _ <"$BT_RUN/zebra/pid"
			pids+=("$zpid")
		fi
		c0=$(cpu_ticks "${pids[@]}")
		kill -USR1 "$fpid"
		end=$((SECONDS + TIMEOUT))
		R_STATUS=timeout
		while [ $SECONDS -lt $end ]; do
			if grep -q '^done' "$BT_RUN/monitor/log"; then
				R_STATUS=ok
				break
			fi
			if ! dxt_alive "$pid" "$st"; then
				R_STATUS=failed R_NOTE="$kind exited"
				break
			fi
			if ! peer_alive feeder || ! peer_alive monitor; then
				R_STATUS=failed R_NOTE="session lost"
				break
			fi
			sleep 0.05
		done
		c1=$(cpu_ticks "${pids[@]}")
		R_CPU=$(awk -v a="$c0" -v b="$c1" -v h="$CLK_TCK" \
		    'BEGIN { printf "%.2f", (b - a) / h }')
		R_RSS=$(awk -v k="$(hwm_kb "${pids[@]}")" \
		    'BEGIN { printf "%.1f", k / 1024 }')
		t0=$(logged_time "$BT_RUN/feeder" start)
		t1=$(logged_time "$BT_RUN/monitor" 'done')
		if [ "$R_STATUS" = ok ] && [ -n "$t0" ] && [ -n "$t1" ]; then
			R_CONV=$(awk -v a="$t0" -v b="$t1" \
			    'BEGIN { printf "%.3f", b - a }')
		elif [ "$R_STATUS" = ok ]; then
			R_STATUS=failed R_NOTE="no start/done time"
		fi
		sleep 0.3	# the monitor's check line
		grep -q '^check bad' "$BT_RUN/monitor/log" &&
		    R_STATUS=failed R_NOTE="monitor: wrong prefixes"
		return 0
	} >>"$BT_RUN/out" 2>&1
}

# run_end: stop everything of the run; on failure show why.
run_end() {
	local f out size
	size=$(sed -n 's/.* size=\([0-9]*\).*/\1/p' "$BT_RUN/what")
	if [ "$R_STATUS" != ok ]; then
		# the monitor's count at the end
		peer_stop monitor 2>/dev/null
		out=$(sed -n 's/^exit [0-9.]* \([0-9]*\) prefixes.*/\1/p' \
		    "$BT_RUN/monitor/log" 2>/dev/null | tail -n 1)
		[ -n "$out" ] && R_NOTE="${R_NOTE:+$R_NOTE; }monitor held $out of $size"
	fi
	if [ "$R_STATUS" = failed ]; then
		{
			echo "---- run $BT_N ($(cat "$BT_RUN/what")): $R_STATUS $R_NOTE"
			cat "$BT_RUN/out"
			for f in "$BT_RUN"/*/log; do
				[ -f "$f" ] || continue
				echo "--- last lines of ${f#"$BT_RUN"/}:"
				tail -n 15 "$f"
			done
		} | sed 's/^/#   /' >&2
	fi
	# In this shell, so that it reaps what it stops; what it says about
	# processes left over or namespaces it could not delete is shown.
	dxt_case_cleanup "$BT_RUN" >"$BT_RUN/cleanup" 2>&1
	grep -E 'left over|could not' "$BT_RUN/cleanup" | sed 's/^/#   /' >&2
	if [ "$KEEP" != 1 ]; then
		rm -rf "$BT_RUN"
	fi
	BT_RUN=
}

# ---------------------------------------------------------------- report

median() {
	sort -g | awk '{ v[NR] = $1 } END {
	    if (NR == 0) exit
	    if (NR % 2) print v[(NR + 1) / 2]
	    else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# results lines: SCENARIO SIZE KIND STATUS CONV CPU RSS
report() {
	local res=$1 sc size kind convs n med min max bird cpu rss status
	echo
	echo "| daemon | scenario | prefixes | convergence s (median, min–max) | × BIRD | CPU s | peak RSS MB | runs |"
	echo "| --- | --- | ---: | --- | ---: | ---: | ---: | --- |"
	for sc in $SCENARIOS; do
		IFS=: read -r name size sets key <<<"$sc"
		for kind in $DAEMONS; do
			convs=$(awk -v s="$name" -v z="$size" -v k="$kind" \
			    '$1 == s && $2 == z && $3 == k && $4 == "ok" { print $5 }' "$res")
			n=$(echo "$convs" | grep -c .)
			status=$(awk -v s="$name" -v z="$size" -v k="$kind" \
			    '$1 == s && $2 == z && $3 == k && $4 != "ok" {
				st = $4
				if (st == "timeout")
					st = "timeout (>" t " s)"
				$1 = $2 = $3 = $4 = $5 = $6 = $7 = ""
				sub(/^ */, "")
				print st ($0 != "" ? ": " $0 : "")
			    }' t="$TIMEOUT" "$res" | sort -u | paste -sd';' -)
			if [ "$n" -eq 0 ]; then
				[ -z "$status" ] && continue
				echo "| $kind | $name | $size | $status | | | | 0 |"
				continue
			fi
			med=$(echo "$convs" | median)
			min=$(echo "$convs" | sort -g | head -n 1)
			max=$(echo "$convs" | sort -g | tail -n 1)
			bird=$(awk -v s="$name" -v z="$size" \
			    '$1 == s && $2 == z && $3 == "bird" && $4 == "ok" { print $5 }' \
			    "$res" | median)
			cpu=$(awk -v s="$name" -v z="$size" -v k="$kind" \
			    '$1 == s && $2 == z && $3 == k && $4 == "ok" { print $6 }' \
			    "$res" | median)
			rss=$(awk -v s="$name" -v z="$size" -v k="$kind" \
			    '$1 == s && $2 == z && $3 == k && $4 == "ok" { print $7 }' \
			    "$res" | median)
			if [ -n "$bird" ]; then
				bird=$(awk -v a="$med" -v b="$bird" \
				    'BEGIN { printf "%.2f", a / b }')
			fi
			printf '| %s | %s | %s | %.3f (%.3f–%.3f) | %s | %.2f | %.1f | %s%s |\n' \
			    "$kind" "$name" "$size" "$med" "$min" "$max" \
			    "${bird:-–}" "$cpu" "$rss" "$n" "${status:+, $status}"
		done
	done
}

versions() {
	local kind
	echo "Machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1), kernel $(uname -r)"
	for kind in $DAEMONS; do
		# shellcheck disable=SC2153 # BIRD and the others: lib.sh's
		case $kind in
		bird) echo "- BIRD: $("$BIRD" --version 2>&1 | head -n 1)" ;;
		frr) echo "- FRR: $("$FRR_BGPD" --version 2>&1 | head -n 1)" ;;
		gobgp) echo "- GoBGP: $("$GOBGPD" --version 2>&1 | head -n 1)" ;;
		openbgpd) echo "- OpenBGPD: $("$OPENBGPD" -V 2>&1 | head -n 1)" ;;
		dxbgpd) echo "- dxbgpd: $DX_VERSION" ;;
		esac
	done
}

# ---------------------------------------------------------------- main

# bt_setup NAME: the run's scratch directory (BT_TMP), the traps that
# stop everything on exit or a signal, and bench/bgpblast built into it
# (BLAST). NAME is the script, for the directory and the errors.
bt_setup() {
	BT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
	chmod 755 "$BT_TMP"	# FRR's zebra runs as the frr user
	trap bt_cleanup EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	BLAST=$BT_TMP/bgpblast
	if ! "$CC" -O2 -std=gnu11 -Wall -Wextra -I"$TOP/include" \
	    -I"$TOP/bgpd" "$BENCH_DIR/bgpblast.c" "$TOP"/bgpd/wire_*.c \
	    -o "$BLAST"; then
		echo "$1.sh: cannot build bgpblast" >&2
		exit 1
	fi
}

main() {
	local sc name size sets key kind run res skip t
	if ! why=$(dxt_need_root); then
		echo "converge.sh: $why" >&2
		exit 1
	fi
	for kind in $DAEMONS; do
		if ! peer_available "$kind"; then
			echo "converge.sh: $kind is not installed or built" >&2
			exit 1
		fi
	done
	bt_setup converge
	if [[ " $DAEMONS " = *" dxbgpd "* ]]; then
		# the binary of this run, whatever is rebuilt meanwhile
		DX_VERSION="$DXBGPD, built $(date -r "$DXBGPD" '+%F %T'), tree $(git -C "$TOP" describe --always --dirty 2>/dev/null)"
		cp "$DXBGPD" "$BT_TMP/dxbgpd" || exit 1
		DXBGPD=$BT_TMP/dxbgpd
	fi
	BT_N=0
	res=$BT_TMP/results
	: >"$res"
	# NAME:SIZE:SETS:MD5KEY
	SCENARIOS=
	for size in $SIZES; do
		SCENARIOS="$SCENARIOS table:$size:$SETS:"
	done
	[ "$WORST_SIZE" != 0 ] && SCENARIOS="$SCENARIOS worst:$WORST_SIZE:1:"
	[ "$MD5_SIZE" != 0 ] && SCENARIOS="$SCENARIOS md5:$MD5_SIZE:$SETS:$MD5_KEY"
	# KIND:SETS:SIZE of every timeout, to skip what is at least as big
	local timeouts='' once=''
	for sc in $SCENARIOS; do
		IFS=: read -r name size sets key <<<"$sc"
		for ((run = 1; run <= RUNS; run++)); do
			for kind in $DAEMONS; do
				[[ " $once " = *" $kind:$name:$size "* ]] &&
				    continue
				skip=
				for t in $timeouts; do
					IFS=: read -r tk ts tz <<<"$t"
					if [ "$tk" = "$kind" ] &&
					    [ "$sets" -le "$ts" ] &&
					    [ "$size" -ge "$tz" ]; then
						skip=$tz
					fi
				done
				if [ -n "$skip" ]; then
					[ "$run" = 1 ] && echo "$name $size $kind skipped - - - not run: timed out at $skip" >>"$res" &&
					    say "$kind $name $size: skipped (timed out at $skip)"
					continue
				fi
				run_one "$kind" "$size" "$sets" "$key"
				run_end
				say "$kind $name $size run $run: $R_STATUS" \
				    "${R_CONV:+${R_CONV} s}" \
				    "${R_CPU:+cpu ${R_CPU} s}" \
				    "${R_RSS:+rss ${R_RSS} MB}" "${R_NOTE}"
				echo "$name $size $kind $R_STATUS ${R_CONV:--}" \
				    "${R_CPU:--} ${R_RSS:--} $R_NOTE" >>"$res"
				[ "$R_STATUS" = timeout ] &&
				    timeouts="$timeouts $kind:$sets:$size"
				if [ "$R_STATUS" = ok ] && [ "$run" = 1 ] &&
				    awk -v c="$R_CONV" -v s="$SLOW" \
					'BEGIN { exit !(c > s) }'; then
					say "$kind $name $size: slower than" \
					    "${SLOW} s, not run again"
					once="$once $kind:$name:$size"
				fi
			done
		done
	done
	echo
	echo "Convergence: one eBGP peer (bgpblast feed) sends the table to the"
	echo "daemon, which sends it to another (bgpblast monitor); time from the"
	echo "first byte sent to the monitor holding every prefix. Scenarios:"
	echo "table = $SETS prefixes per attribute set; worst = one set per"
	echo "prefix; md5 = TCP MD5 on both sessions. Timeout ${TIMEOUT} s."
	echo
	versions
	report "$res"
}

# bench/export.sh sources this file for its functions.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	main "$@"
fi
