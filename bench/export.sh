#!/bin/bash
# export.sh: how fast dxbgpd's export stream hands a full table to a
# route programmer, and how fast dxprog writes it into a kernel table,
# side by side with `ip -batch` and with BIRD 2's kernel protocol, on
# the same machine in the same run.
#
# It runs converge.sh's BGP scenario first (sourced for its functions):
# bench/bgpblast feeds SIZE prefixes (20 per attribute set) from one
# eBGP peer, the daemon passes them to a second one, and the run goes
# on once the monitor holds them all. Then, with the daemon and its
# sessions still up, in the daemon's namespace:
#
# dxbgpd round (config plus `export listen unix SOCK` and `export
# startup-delay 0`, as no neighbor sends End-of-RIB to a monitor):
#   1. snapshot: tests/tools/dxsub -B subscribes and times connect to
#      SnapshotEnd, routes framed and counted (-B) or each decoded with
#      protobuf-c (-B -D); SUB_RUNS of each, alternating; dxbgpd's CPU
#      time per snapshot too. Every one must count exactly SIZE routes.
#   2. dxprog -d -s SOCK -t TABLE into the empty table: from its first
#      log line (its start) to its line "table N reconciled in S s: A
#      added, ..." (every kernel answer read), by the lines' time stamps
#      (ms). Its "snapshot at" and "table N read" lines split that into
#      receiving the snapshot, the overlap sweep and table dump, and the
#      changes. It must have added SIZE routes with no error, and the
#      kernel must count SIZE prefixes in the table (fib_triestat).
#   3. ip -batch: the table dxprog wrote, dumped (untimed) into `route
#      add` lines for IP_TABLE, run with `ip -n NS -batch` (one request
#      at a time, each waiting for its answer); the table's count is
#      checked.
#   dxbgpd's RSS: after convergence with no subscriber (VmRSS); the peak
#   while dxsub took its snapshots and while dxprog was attached (VmHWM,
#   reset with /proc/PID/clear_refs before each).
#
# BIRD round (BIRD_KERNEL=1; config plus a kernel protocol for TABLE,
# disabled): `birdc enable` it once BIRD holds the table, time until the
# kernel counts SIZE prefixes in TABLE (/proc/net/fib_triestat, read
# every POLL seconds: reading it walks the tables, tens of ms at 1M).
#
# For each programmer, where its time went: user and system CPU time
# (system time includes the route insertion, which the kernel does
# inside the sender's sendmsg), time runnable but waiting for a CPU
# (/proc/PID/schedstat), and the rest (blocked: waiting for input or
# inside the kernel). dxprog's are sampled when the script sees each
# phase's line (within 50 ms), ip's from `times` and its last schedstat
# sample. ROUNDS rounds of both; medians are reported, with the ratios
# of dxprog's time to ip -batch's and to BIRD's. Progress on stderr, a
# Markdown report on stdout. Needs root and BIRD; the binaries are
# those of DXBGPD's build directory (dxsh, dxsub, dxprog), copied at the
# start. Every process is stopped by its PID and every namespace
# removed, also on ^C (converge.sh's trap).
#
#   bench/export.sh                         1,000,000 routes, 3 rounds
#   SIZE=100000 ROUNDS=1 bench/export.sh    a quick run

set -u

EXP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/converge.sh
. "$EXP_DIR/converge.sh"

: "${SIZE:=1000000}"		# prefixes
: "${ROUNDS:=3}"		# rounds of dxbgpd and BIRD
: "${SUB_RUNS:=5}"		# dxsub snapshots of each kind per round
: "${TABLE:=100}"		# the table dxprog and BIRD program
: "${IP_TABLE:=101}"		# the table ip -batch programs
: "${INSTALL_TIMEOUT:=900}"	# seconds for a table to be installed
: "${POLL:=0.2}"		# seconds between fib_triestat reads (BIRD)
: "${BIRD_KERNEL:=1}"		# 0: no BIRD round
: "${IP_BATCH:=1}"		# 0: no ip -batch

DX_BUILD=$(cd "$(dirname "$DXBGPD")/.." 2>/dev/null && pwd)
: "${DXSH:=$DX_BUILD/shell/dxsh}"
: "${DXSUB:=$DX_BUILD/tests/tools/dxsub}"
: "${DXPROG:=$DX_BUILD/programmer/dxprog}"
export DXSH

# ---------------------------------------------------------------- configs

# converge.sh's run_one appends these to the daemon's config.
conf_extra_dxbgpd() {
	echo "export listen unix $1/export.sock"
	echo "export startup-delay 0"
}

conf_extra_bird() {
	cat <<EOF
protocol kernel kexp {
	disabled;
	kernel table $TABLE;
	ipv4 { import none; export all; };
}
EOF
}

# ---------------------------------------------------------------- helpers

# stat_ticks PID: "utime stime" of the process, in clock ticks.
stat_ticks() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo "0 0"; return 1; }
	s=${s##*) }
	# shellcheck disable=SC2086 # split the stat fields
	set -- $s
	echo "${12} ${13}"
}

# status_kb PID FIELD: VmRSS or VmHWM, in kB.
status_kb() {
	sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status" \
	    2>/dev/null
}

# table_prefixes PID TABLE: prefixes in TABLE of PID's namespace.
table_prefixes() {
	awk -v t="Id $2:" '
	    $0 == t { on = 1; next }
	    on && $1 == "Prefixes:" { print $2; found = 1; exit }
	    /^[A-Z]/ { on = 0 }
	    END { if (!found) print 0 }' "/proc/$1/net/fib_triestat"
}

# log_epoch FILE PATTERN: the time stamp of dxprog's first log line
# matching PATTERN, as seconds since the epoch.
log_epoch() {
	local stamp
	stamp=$(grep -m 1 -- "$2" "$1" | cut -d' ' -f1,2)
	[ -n "$stamp" ] && date -d "$stamp" +%s.%N
}

now() {
	date +%s.%N
}

# sched PID: "utime stime wait" of the process: CPU ticks in user and
# system mode, and nanoseconds spent runnable, waiting for a CPU
# (/proc/PID/schedstat).
sched() {
	local t w=0
	t=$(stat_ticks "$1")
	read -r _ w _ <"/proc/$1/schedstat" 2>/dev/null
	echo "$t ${w:-0}"
}

# time_split SECONDS "SCHED0" "SCHED1": where the time between two samples
# went: "seconds user system waiting asleep", the last being what is
# left (blocked in the kernel or waiting for input).
time_split() {
	awk -v t="$1" -v a="$2" -v b="$3" -v h="$CLK_TCK" 'BEGIN {
		split(a, x, " "); split(b, y, " ")
		u = (y[1] - x[1]) / h; s = (y[2] - x[2]) / h
		w = (y[3] - x[3]) / 1e9; z = t - u - s - w
		printf "%.3f %.2f %.2f %.2f %.2f", t, u, s, w, z < 0 ? 0 : z
	}'
}

# sub DIFF: seconds between two epoch times, 3 decimals.
sub() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'
}

ticks_s() {
	awk -v t="$1" -v h="$CLK_TCK" 'BEGIN { printf "%.2f", t / h }'
}

mb() {
	awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'
}

fail() {
	R_STATUS=failed
	R_NOTE="${R_NOTE:+$R_NOTE; }$*"
	echo "$*"
	return 1
}

# ---------------------------------------------------------------- dxbgpd

# snapshots PID SOCK: SUB_RUNS dxsub -B and -B -D runs, alternating.
snapshots() {
	local pid=$1 sock=$2 i mode out routes secs c0 c1
	for ((i = 1; i <= SUB_RUNS; i++)); do
		for mode in frame decode; do
			c0=$(stat_ticks "$pid" | awk '{ print $1 + $2 }')
			if [ $mode = frame ]; then
				out=$(timeout 120 "$DXSUB" -s "$sock" -n bench -B)
			else
				out=$(timeout 120 "$DXSUB" -s "$sock" -n bench -B -D)
			fi
			c1=$(stat_ticks "$pid" | awk '{ print $1 + $2 }')
			echo "dxsub $mode $i: $(echo "$out" | grep '^bench')"
			routes=$(echo "$out" | sed -n 's/^bench routes=\([0-9]*\) .*/\1/p')
			secs=$(echo "$out" | sed -n 's/^bench .* seconds=\([0-9.]*\) .*/\1/p')
			[ "$routes" = "$SIZE" ] ||
			    { fail "dxsub $mode: ${routes:-no} routes, not $SIZE"; return 1; }
			echo "sub_$mode $secs $(ticks_s $((c1 - c0)))" >>"$RES"
		done
	done
}

# prog_install PID SOCK: dxprog fills TABLE. Its CPU and wait times
# are sampled as each of its phase lines appears (within 50 ms).
prog_install() {
	local pid=$1 sock=$2 d=$BT_RUN/prog ppid pst end line n i
	local -a pat=(" snapshot at " "table $TABLE read: " \
	    "table $TABLE reconciled in ") at smp
	mkdir -p "$d"
	echo dxprog >"$d/kind"
	echo "$NS_D" >"$d/ns"
	dxt_spawn "$d" "$NS_D" "$DXPROG" -d -s "$sock" -t "$TABLE" -g 3600 \
	    --name bench
	read -r ppid pst <"$d/pid"
	end=$((SECONDS + INSTALL_TIMEOUT))
	for ((i = 0; i < 3; )); do
		if grep -q -- "${pat[i]}" "$d/log"; then
			smp[i]=$(sched "$ppid")
			i=$((i + 1))
			continue
		fi
		dxt_alive "$ppid" "$pst" || { fail "dxprog exited"; return 1; }
		[ $SECONDS -lt $end ] ||
		    { fail "dxprog: not done in $INSTALL_TIMEOUT s"; return 1; }
		sleep 0.05
	done
	line=$(grep -m 1 -- "${pat[2]}" "$d/log")
	echo "dxprog: ${line#* dxprog }"
	case $line in
	*": $SIZE added, 0 replaced, 0 deleted, 0 errors") ;;
	*) fail "dxprog did not add exactly $SIZE routes"; return 1 ;;
	esac
	n=$(table_prefixes "$pid" "$TABLE")
	[ "$n" = "$SIZE" ] || { fail "table $TABLE holds $n prefixes"; return 1; }
	# its own first line is its start (ip netns exec's setup is not)
	at[0]=$(log_epoch "$d/log" " dxprog notice: dxprog ")
	for i in 0 1 2; do
		at[i + 1]=$(log_epoch "$d/log" "${pat[i]}")
	done
	# the whole, then its phases: snapshot; sweep and dump; changes
	echo "prog $(time_split "$(sub "${at[0]}" "${at[3]}")" "0 0 0" "${smp[2]}")" \
	    "$(mb "$(status_kb "$ppid" VmHWM)")" \
	    "$(time_split "$(sub "${at[0]}" "${at[1]}")" "0 0 0" "${smp[0]}")" \
	    "$(time_split "$(sub "${at[1]}" "${at[2]}")" "${smp[0]}" "${smp[1]}")" \
	    "$(time_split "$(sub "${at[2]}" "${at[3]}")" "${smp[1]}" "${smp[2]}")" \
	    >>"$RES"
}

# ip_batch PID: the same routes into IP_TABLE with ip -batch.
ip_batch() {
	local pid=$1 f=$BT_RUN/routes.batch n r u s t0 sh ipid w=0
	ip -n "$NS_D" route show table "$TABLE" |
	    awk -v t="$IP_TABLE" '$2 == "via" {
		print "route add", $1, "via", $3, "table", t, "proto 201 metric 20"
	    }' >"$f"
	n=$(wc -l <"$f")
	[ "$n" = "$SIZE" ] || { fail "ip -batch: $n routes in table $TABLE"; return 1; }
	# in a subshell whose `times` gives ip's CPU time; sampled meanwhile
	t0=$(now)
	(
		ip -n "$NS_D" -batch "$f" >"$BT_RUN/ip.out" 2>&1
		times
	) >"$BT_RUN/ip.times" &
	sh=$!
	# its wait for a CPU: the last sample before it ended (50 ms)
	while dxt_alive "$sh" ""; do
		ipid=
		read -r ipid _ <"/proc/$sh/task/$sh/children" 2>/dev/null
		[ -n "$ipid" ] && read -r _ w _ <"/proc/$ipid/schedstat" 2>/dev/null
		sleep 0.05
	done
	wait "$sh"
	r=$(sub "$t0" "$(now)")
	read -r u s <<<"$(sed -n 2p "$BT_RUN/ip.times" |
	    sed 's/\([0-9]*\)m\([0-9.]*\)s/\1 \2/g' |
	    awk -v h="$CLK_TCK" '{
		printf "%d %d", ($1 * 60 + $2) * h + 0.5, ($3 * 60 + $4) * h + 0.5 }')"
	[ -s "$BT_RUN/ip.out" ] && head -3 "$BT_RUN/ip.out"
	n=$(table_prefixes "$pid" "$IP_TABLE")
	[ "$n" = "$SIZE" ] || { fail "ip -batch: table $IP_TABLE holds $n"; return 1; }
	r=$(time_split "$r" "0 0 0" "$u $s $w")
	echo "ip -batch: $r (seconds user system waiting asleep)"
	echo "ip $r" >>"$RES"
}

measure_dxbgpd() {
	local pid st sock=$BT_RUN/daemon/export.sock idle peak_sub after peak_prog
	read -r pid st <"$BT_RUN/daemon/pid"
	idle=$(status_kb "$pid" VmRSS)
	echo 5 >"/proc/$pid/clear_refs"	# VmHWM := VmRSS
	snapshots "$pid" "$sock" || return 1
	peak_sub=$(status_kb "$pid" VmHWM)
	after=$(status_kb "$pid" VmRSS)
	echo 5 >"/proc/$pid/clear_refs"
	prog_install "$pid" "$sock" || return 1
	peak_prog=$(status_kb "$pid" VmHWM)
	echo "rss $(mb "$idle") $(mb "$peak_sub") $(mb "$after")" \
	    "$(mb "$peak_prog")" >>"$RES"
	echo "dxbgpd RSS: $(mb "$idle") MB idle, $(mb "$peak_sub") MB peak" \
	    "with dxsub, $(mb "$after") MB after, $(mb "$peak_prog") MB peak" \
	    "with dxprog"
	dxt_stop_instance "$BT_RUN/prog"
	[ "$IP_BATCH" = 1 ] || return 0
	ip_batch "$pid"
}

# ---------------------------------------------------------------- BIRD

measure_bird() {
	local pid st s0 s1 t0 t1 end every i n=0
	read -r pid st <"$BT_RUN/daemon/pid"
	s0=$(sched "$pid")
	t0=$(now)
	_bird_cli "$BT_RUN/daemon" "$NS_D" enable kexp >/dev/null ||
	    { fail "birdc enable kexp failed"; return 1; }
	end=$((SECONDS + INSTALL_TIMEOUT))
	every=$(awk -v p="$POLL" 'BEGIN { n = int(p / 0.05); print n < 1 ? 1 : n }')
	for ((i = 0; ; i++)); do
		if ((i % every == 0)); then
			n=$(table_prefixes "$pid" "$TABLE")
			[ "$n" -ge "$SIZE" ] && break
		fi
		dxt_alive "$pid" "$st" || { fail "bird exited"; return 1; }
		[ $SECONDS -lt $end ] ||
		    { fail "bird: $n routes after $INSTALL_TIMEOUT s"; return 1; }
		sleep 0.05
	done
	t1=$(now)
	s1=$(sched "$pid")
	[ "$n" = "$SIZE" ] || { fail "bird: table $TABLE holds $n"; return 1; }
	t1=$(time_split "$(sub "$t0" "$t1")" "$s0" "$s1")
	echo "bird kernel: $t1 (seconds user system waiting asleep)"
	echo "bird $t1" >>"$RES"
}

# ---------------------------------------------------------------- a round

# round KIND N: converge.sh's run, then this kind's measurements.
round() {
	local kind=$1 n=$2
	run_one "$kind" "$SIZE" "$SETS" ""
	if [ "$R_STATUS" = ok ]; then
		echo "conv_$kind $R_CONV $R_RSS" >>"$RES"
		"measure_$kind" >>"$BT_RUN/out" 2>&1
	fi
	run_end
	[ "$R_STATUS" = ok ] || echo "fail $kind round $n: $R_STATUS $R_NOTE" >>"$RES"
	say "$kind round $n: ${R_STATUS}${R_CONV:+, converged in $R_CONV s}" \
	    "${R_NOTE}"
}

# ---------------------------------------------------------------- report

# col KEY FIELD: the FIELD-th value (after the key) of every KEY line.
col() {
	awk -v k="$1" -v f="$2" '$1 == k { print $(f + 1) }' "$RES"
}

# stats KEY FIELD: "median min max count".
stats() {
	local v
	v=$(col "$1" "$2")
	[ -n "$v" ] || { echo "- - - 0"; return; }
	echo "$(echo "$v" | median) $(echo "$v" | sort -g | head -n 1)" \
	    "$(echo "$v" | sort -g | tail -n 1) $(echo "$v" | grep -c .)"
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
	    if (a == "" || b == "" || b + 0 == 0) print "–"
	    else printf "%.2f\n", a / b }'
}

# row NAME KEY FIELD XIP XBIRD RSS: a row of the kernel table from the
# five fields (seconds user system waiting asleep) at FIELD of KEY.
row() {
	local m1 mn mx c f=$3 i cells=
	read -r m1 mn mx c <<<"$(stats "$2" "$f")"
	[ "$c" = 0 ] && return 0
	for i in 1 2 3 4; do
		cells="$cells | $(col "$2" $((f + i)) | median)"
	done
	printf '| %s | %.3f (%.3f–%.3f) | %s | %s%s | %s | %s |\n' "$1" \
	    "$m1" "$mn" "$mx" "$4" "$5" "$cells" "$6" "$c"
}

report() {
	local m m1 mn mx c cpu rate prog ipb bird chg u s
	echo
	echo "Export: dxbgpd and BIRD 2 each hold $SIZE prefixes from bgpblast"
	echo "(converge.sh's scenario, $SETS per attribute set); $ROUNDS round(s)."
	echo
	versions
	echo "- dxprog: $DXPROG_SRC"
	echo "- $(ip -V)"
	echo
	echo "BGP convergence in these rounds (the export socket configured, no"
	echo "subscriber), medians: dxbgpd $(col conv_dxbgpd 1 | median) s," \
	    "BIRD $(col conv_bird 1 | median) s."
	echo
	echo "### Snapshot: $SIZE routes from dxbgpd to a subscriber"
	echo
	echo "| subscriber | seconds (median, min–max) | routes/s (median) | dxbgpd CPU s | runs |"
	echo "| --- | --- | ---: | ---: | ---: |"
	for m in frame decode; do
		read -r m1 mn mx c <<<"$(stats "sub_$m" 1)"
		[ "$c" = 0 ] && continue
		cpu=$(col "sub_$m" 2 | median)
		rate=$(awk -v n="$SIZE" -v s="$m1" 'BEGIN { printf "%.2f M", n / s / 1e6 }')
		printf '| dxsub -B%s | %.3f (%.3f–%.3f) | %s | %.2f | %s |\n' \
		    "$([ $m = decode ] && echo ' -D (protobuf-c decode)' || echo ' (framing only)')" \
		    "$m1" "$mn" "$mx" "$rate" "$cpu" "$c"
	done
	echo
	echo "### Kernel table: $SIZE routes installed"
	echo
	prog=$(col prog 1 | median) ipb=$(col ip 1 | median)
	bird=$(col bird 1 | median) chg=$(col prog 17 | median)
	echo "| programmer | seconds (median, min–max) | × ip -batch | × BIRD | user s | system s | waiting for a CPU s | rest s | peak RSS MB | runs |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
	row "dxprog, start to reconciled" prog 1 "$(ratio "$prog" "$ipb")" \
	    "$(ratio "$prog" "$bird")" "$(col prog 6 | median)"
	row "– receiving the snapshot" prog 7 "" "" ""
	row "– overlap sweep, table dump" prog 12 "" "" ""
	row "– the changes" prog 17 "$(ratio "$chg" "$ipb")" \
	    "$(ratio "$chg" "$bird")" ""
	row "ip -batch (one route add at a time)" ip 1 1.00 \
	    "$(ratio "$ipb" "$bird")" ""
	row "BIRD 2 kernel protocol, enable to done" bird 1 \
	    "$(ratio "$bird" "$ipb")" 1.00 ""
	echo
	echo "User and system: CPU time; system time includes the kernel's"
	echo "route insertion, done inside the sender's sendmsg. Waiting for a"
	echo "CPU: runnable but not running (/proc/PID/schedstat). Rest: the"
	echo "time left, blocked (waiting for input or inside the kernel)."
	if [ -n "$(col rss 1)" ]; then
		echo
		echo "dxbgpd RSS (medians): $(col rss 1 | median) MB after" \
		    "convergence with no subscriber; peak $(col rss 2 | median) MB" \
		    "while dxsub took its snapshots, $(col rss 3 | median) MB" \
		    "after they closed; peak $(col rss 4 | median) MB while dxprog" \
		    "was attached (a peak is never below the RSS it starts from)."
	fi
	grep '^fail ' "$RES" | sed 's/^fail /\nFailed: /'
	return 0
}

# ---------------------------------------------------------------- main

exp_main() {
	local n why f
	if ! why=$(dxt_need_root); then
		echo "export.sh: $why" >&2
		exit 1
	fi
	for f in "$DXBGPD" "$DXSH" "$DXSUB" "$DXPROG"; do
		[ -x "$f" ] || { echo "export.sh: $f is not built" >&2; exit 1; }
	done
	if [ "$BIRD_KERNEL" = 1 ] && ! peer_available bird; then
		echo "export.sh: BIRD is not installed (BIRD_KERNEL=0 skips it)" >&2
		exit 1
	fi
	bt_setup export
	# the binaries of this run, whatever is rebuilt meanwhile
	DX_VERSION="$DXBGPD, built $(date -r "$DXBGPD" '+%F %T'), tree $(git -C "$TOP" describe --always --dirty 2>/dev/null)"
	DXPROG_SRC="$DXPROG (built $(date -r "$DXPROG" '+%F %T'))"
	for f in DXBGPD DXSH DXSUB DXPROG; do
		cp "${!f}" "$BT_TMP/${f,,}" || exit 1
		printf -v "$f" %s "$BT_TMP/${f,,}"
	done
	DAEMONS=dxbgpd
	[ "$BIRD_KERNEL" = 1 ] && DAEMONS="dxbgpd bird"
	BT_N=0
	RES=$BT_TMP/results
	: >"$RES"
	for ((n = 1; n <= ROUNDS; n++)); do
		for kind in $DAEMONS; do
			round "$kind" "$n"
		done
	done
	report
}

exp_main "$@"
