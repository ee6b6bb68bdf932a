#!/bin/bash
# prog.sh: dxprog against a fake export daemon (tests/tools/prog_fake),
# in a network namespace, checked with ip(8) as an operator would.
#
#   NS_PEER 10.0.0.1/24 fd00::1/64 --- 10.0.0.2/24 fd00::2/64 NS_DX
#
# dxprog and the fake daemon run in NS_DX; dxprog programs table 100 with
# protocol 201 and metric 20. The next hops are 10.0.0.1 (and 10.0.0.3
# for ECMP), fd00::1 (and fd00::3). Routes are read with
# `ip -n NS_DX route show table 100 proto 201` as "PREFIX NH[,NH]" lines.
#
# 1. A snapshot: single-path, ECMP IPv4 and ECMP IPv6 routes appear with
#    their next hops; a route with an all-zero next hop (dxbgpd's own),
#    one overlapping -L 10.10.0.0/16 and one passed from the tencent
#    peering to the aws one are not installed, and the counters (SIGUSR1,
#    --json) say so. Events: a changed route, a DELETE, a new route.
# 2. kill -9 of dxprog: the routes stay; dxprog started again reconciles:
#    a stale route of protocol 201 is deleted, a route of another protocol
#    in table 100 is left alone, and `ip monitor route` sees nothing else
#    (no route flapped).
# 3. The daemon goes away (stopped; a dropped connection; bad input) and
#    comes back within the grace time (-g 8): a snapshot from a new run or
#    a Resume; `ip monitor route` sees no change at all.
# 4. The daemon stays away past the grace time (-g 2): every route is
#    withdrawn; it comes back: the routes are installed again.
# 5. TLS: with certificates from the right CA the routes appear; with a
#    client certificate from another CA the daemon refuses the handshake
#    and nothing is installed.
#
# Needs root, ip(8), openssl and the build (DXPROG, PROG_FAKE); otherwise
# a skip. About 40 seconds.
. "$(dirname "$0")/lib.sh"

: "${DXPROG:=$DXT_TOP/build/default/programmer/dxprog}"
: "${PROG_FAKE:=$DXT_TOP/build/default/tests/tools/prog_fake}"
TABLE=100

# ---------------------------------------------------------------- helpers

# inst_spawn NAME KIND CMD...: start CMD in NS_DX as instance NAME.
inst_spawn() {
	local name=$1 kind=$2 dir
	shift 2
	dir=$DXT_CASE_DIR/$name
	mkdir -p "$dir"
	echo "$kind" >"$dir/kind"
	echo "$NS_DX" >"$dir/ns"
	dxt_spawn "$dir" "$NS_DX" "$@"
}

# fake_start INSTANCE [ARG...]: the fake daemon on $DXT_CASE_DIR/sock.
fake_start() {
	local inst=$1 i
	shift
	rm -f "$DXT_CASE_DIR/sock"
	inst_spawn fake fake "$PROG_FAKE" -l "$DXT_CASE_DIR/sock" \
	    -r "$DXT_CASE_DIR/routes" -i "$inst" -H 300 "$@"
	for ((i = 0; i < 50; i++)); do
		grep -q '^listening' "$DXT_CASE_DIR/fake/log" && return 0
		sleep 0.1
	done
	echo "the fake daemon did not start"
	return 1
}

fake_signal() {
	local pid st
	read -r pid st <"$DXT_CASE_DIR/fake/pid"
	dxt_alive "$pid" "$st" && kill -"$1" "$pid"
}

prog_start() {
	inst_spawn prog dxprog "$DXPROG" -d -t "$TABLE" "$@"
}

prog_signal() {
	local pid st
	read -r pid st <"$DXT_CASE_DIR/prog/pid"
	dxt_alive "$pid" "$st" && kill -"$1" "$pid"
}

# The routes of ours in table 100: "PREFIX NH[,NH]", sorted.
table() {
	{
		ip -n "$NS_DX" -o -4 route show table "$TABLE" proto 201
		ip -n "$NS_DX" -o -6 route show table "$TABLE" proto 201
	} | awk '{ nh = ""; for (i = 2; i < NF; i++) if ($i == "via") {
		nh = nh (nh == "" ? "" : ",") $(i + 1) }
		print $1, nh }' | LC_ALL=C sort
}

# wait_table WANT [SECONDS]: until table() is WANT (lines).
wait_table() {
	local want have end
	want=$(printf '%s\n' "$1" | grep . | LC_ALL=C sort)
	end=$((SECONDS + ${2:-10}))
	while :; do
		have=$(table)
		[ "$have" = "$want" ] && return 0
		[ $SECONDS -ge $end ] && break
		sleep 0.2
	done
	echo "table $TABLE proto 201 after ${2:-10}s:"
	printf '%s\n' "$have" | sed 's/^/    have: /'
	printf '%s\n' "$want" | sed 's/^/    want: /'
	return 1
}

# monitor_start / monitor_changes: route changes in NS_DX meanwhile.
monitor_start() {
	inst_spawn mon monitor ip monitor route
	sleep 0.3
}

monitor_changes() {
	grep -v '^----' "$DXT_CASE_DIR/mon/log"
}

# wait_log NAME PATTERN [SECONDS [COUNT]]: until NAME's log has COUNT
# (default 1) lines matching PATTERN.
wait_log() {
	local end=$((SECONDS + ${3:-10})) n=${4:-1}
	while [ "$(grep -c -- "$2" "$DXT_CASE_DIR/$1/log")" -lt "$n" ]; do
		if [ $SECONDS -ge $end ]; then
			echo "$1 did not log '$2' $n times"
			return 1
		fi
		sleep 0.1
	done
}

ROUTES='198.51.100.0/24 10.0.0.1 peer=10.0.0.1 asn=64512 path=64512
198.51.101.0/24 10.0.0.3,10.0.0.1 peer=10.0.0.1 asn=64512 path=64512
2001:db8:1::/48 fd00::1,fd00::3 peer=fd00::1 asn=64512 path=64512
192.0.2.0/24 0.0.0.0'
WANT='198.51.100.0/24 10.0.0.1
198.51.101.0/24 10.0.0.1,10.0.0.3
2001:db8:1::/48 fd00::1,fd00::3'

# ---------------------------------------------------------------- cases

case_snapshot_events() {
	netns_pair || return 1
	{
		echo "$ROUTES"
		echo "10.10.1.0/24 10.0.0.1 peer=10.0.0.1 asn=64512 path=64512"
		echo "10.20.0.0/16 10.0.0.1 peer=10.0.0.1 asn=45090 path=45090,64512"
		echo "10.30.0.0/16 10.0.0.1 peer=10.0.0.1 asn=45090 path=45090"
	} >"$DXT_CASE_DIR/routes"
	fake_start 11 || return 1
	prog_start -s "$DXT_CASE_DIR/sock" -L 10.10.0.0/16 \
	    --peering aws=64512 --peering tencent=45090 \
	    --json "$DXT_CASE_DIR/table.json" || return 1
	wait_table "$WANT
10.30.0.0/16 10.0.0.1" || return 1
	echo "snapshot installed; refused and skipped ones are not"
	grep -q '"refusals_local_cidr":1,"refusals_transitive":1,' \
	    "$DXT_CASE_DIR/table.json" &&
	    grep -q '"reason":"skipped-local"' "$DXT_CASE_DIR/table.json" || {
		echo "the JSON file does not count the refusals:"
		cat "$DXT_CASE_DIR/table.json"
		return 1
	}
	prog_signal USR1
	wait_log prog 'refusals so far: 1 local-cidr, 1 transitive' || return 1
	grep -q 'refusing 10.10.1.0/24 .*local CIDR 10.10.0.0/16' \
	    "$DXT_CASE_DIR/prog/log" || { echo "no -L refusal logged"; return 1; }
	grep -q 'refusing 10.20.0.0/16 .*crosses peering aws' \
	    "$DXT_CASE_DIR/prog/log" || { echo "no transitive refusal"; return 1; }

	# events: .100 deleted, .101 down to one next hop, a new IPv6 route
	cat >"$DXT_CASE_DIR/routes" <<EOF
198.51.101.0/24 10.0.0.3 peer=10.0.0.1 asn=64512 path=64512
2001:db8:1::/48 fd00::1,fd00::3 peer=fd00::1 asn=64512 path=64512
2001:db8:2::/48 fd00::3 peer=fd00::1 asn=64512 path=64512
EOF
	fake_signal HUP
	wait_table "198.51.101.0/24 10.0.0.3
2001:db8:1::/48 fd00::1,fd00::3
2001:db8:2::/48 fd00::3" || return 1
	echo "events applied: DELETE, a changed route, a new one"
	grep -q '"routes":\[$' "$DXT_CASE_DIR/table.json" || return 1
	sleep 1.2 # the JSON file follows within a second
	grep -q '2001:db8:2::/48' "$DXT_CASE_DIR/table.json" ||
	    { echo "the JSON file missed the events"; return 1; }
}

case_kill9() {
	netns_pair || return 1
	echo "$ROUTES" >"$DXT_CASE_DIR/routes"
	fake_start 21 || return 1
	prog_start -s "$DXT_CASE_DIR/sock" || return 1
	wait_table "$WANT" || return 1
	prog_signal KILL
	sleep 0.3
	wait_table "$WANT" 1 || { echo "routes lost with dxprog"; return 1; }
	echo "dxprog killed (-9): the routes stay"
	# one of ours that the daemon no longer has, one that is not ours
	ip -n "$NS_DX" route add 203.0.113.0/24 via 10.0.0.1 table "$TABLE" \
	    proto 201 metric 20 || return 1
	ip -n "$NS_DX" route add 198.18.0.0/24 via 10.0.0.1 table "$TABLE" \
	    proto 4 metric 20 || return 1
	monitor_start
	prog_start -s "$DXT_CASE_DIR/sock" || return 1
	wait_table "$WANT" || return 1
	wait_log prog 'table 100 read' || return 1
	sleep 0.5
	if ! monitor_changes | grep -q '^Deleted 203.0.113.0/24 ' ||
	    monitor_changes | grep -qv '^Deleted 203.0.113.0/24 '; then
		echo "route changes other than the stale route's deletion:"
		monitor_changes | sed 's/^/    /'
		return 1
	fi
	ip -n "$NS_DX" route show table "$TABLE" proto 4 |
	    grep -q '^198.18.0.0/24' || { echo "a foreign route went"; return 1; }
	echo "restart reconciled: the stale route deleted, nothing flapped"
}

case_grace_return() {
	netns_pair || return 1
	echo "$ROUTES" >"$DXT_CASE_DIR/routes"
	fake_start 31 || return 1
	prog_start -s "$DXT_CASE_DIR/sock" -g 8 || return 1
	wait_table "$WANT" || return 1
	monitor_start
	dxt_stop_pidfile "$DXT_CASE_DIR/fake/pid"
	wait_log prog 'routes kept for the grace time' || return 1
	sleep 2
	wait_table "$WANT" 1 || return 1
	echo "daemon gone for 2 s: routes kept"
	# it comes back as a new run: a snapshot, reconciled
	fake_start 32 || return 1
	wait_log fake '^snapshot 4' 10 2 || return 1
	wait_log prog 'table 100 read' 10 2 || return 1
	# a dropped connection: the same run resumes
	fake_signal USR1
	wait_log fake '^resume ' || return 1
	wait_log prog 'resumed after' || return 1
	# bad input: dropped, resumed again
	fake_signal USR2
	wait_log prog 'bad input: route: host bits set' || return 1
	wait_log fake '^resume ' 5 2 || return 1
	wait_log prog 'resumed after' 5 2 || return 1
	sleep 1.5
	wait_table "$WANT" 1 || return 1
	if [ -n "$(monitor_changes)" ]; then
		echo "routes changed although the daemon returned in time:"
		monitor_changes | sed 's/^/    /'
		return 1
	fi
	echo "snapshot from a new run, two resumes: no route changed"
}

case_grace_over() {
	netns_pair || return 1
	echo "$ROUTES" >"$DXT_CASE_DIR/routes"
	fake_start 41 || return 1
	prog_start -s "$DXT_CASE_DIR/sock" -g 2 || return 1
	wait_table "$WANT" || return 1
	dxt_stop_pidfile "$DXT_CASE_DIR/fake/pid"
	wait_table "" 6 || return 1
	grep -q 'no subscription for 2 s: withdrawing' \
	    "$DXT_CASE_DIR/prog/log" || return 1
	echo "grace time over: routes withdrawn"
	fake_start 42 || return 1
	wait_table "$WANT" || return 1
	echo "the daemon is back: routes installed again"
}

# tls_certs DIR: a CA, the daemon's certificate (IP 127.0.0.1) and
# dxprog's, and a client certificate from another CA.
tls_certs() {
	local d=$1 n
	(
		cd "$d" || exit 1
		for n in ca other; do
			openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			    -nodes -keyout $n.key -out $n.crt -days 2 \
			    -subj "/CN=dxt $n" || exit 1
		done
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		    -keyout srv.key -out srv.csr -subj /CN=dxbgpd &&
		    printf 'subjectAltName=IP:127.0.0.1\n' >srv.ext &&
		    openssl x509 -req -in srv.csr -CA ca.crt -CAkey ca.key \
			-CAcreateserial -out srv.crt -days 2 -extfile srv.ext &&
		    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
			-nodes -keyout cli.key -out cli.csr -subj /CN=dxprog &&
		    openssl x509 -req -in cli.csr -CA ca.crt -CAkey ca.key \
			-CAcreateserial -out cli.crt -days 2 &&
		    openssl x509 -req -in cli.csr -CA other.crt \
			-CAkey other.key -CAcreateserial -out bad.crt -days 2
	) >"$d/openssl.log" 2>&1 || { cat "$d/openssl.log"; return 1; }
}

case_tls() {
	local c=$DXT_CASE_DIR
	netns_pair || return 1
	tls_certs "$c" || return 1
	echo "$ROUTES" >"$c/routes"
	inst_spawn fake fake "$PROG_FAKE" -l 127.0.0.1:7179 -r "$c/routes" \
	    -i 51 -H 300 -c "$c/srv.crt" -k "$c/srv.key" -a "$c/ca.crt"
	wait_log fake '^listening' || return 1
	# a client certificate the daemon does not trust: nothing
	inst_spawn bad dxprog "$DXPROG" -d -t "$TABLE" -s 127.0.0.1:7179 \
	    -c "$c/bad.crt" -k "$c/cli.key" -a "$c/ca.crt"
	wait_log fake 'tls handshake failed' || return 1
	sleep 0.5
	wait_table "" 1 || return 1
	dxt_stop_pidfile "$c/bad/pid"
	echo "a client certificate from another CA: refused, nothing installed"
	prog_start -s 127.0.0.1:7179 -c "$c/cli.crt" -k "$c/cli.key" \
	    -a "$c/ca.crt" || return 1
	wait_table "$WANT" || return 1
	grep -q 'TLS' "$c/prog/log" || return 1
	echo "over TLS with mutual certificates: routes installed"
}

# ---------------------------------------------------------------- run

dxt_init
cases=(
    "snapshot: single-path, ECMP IPv4 and IPv6 installed; local, -L and transitive ones not; events"
    "kill -9 of dxprog: routes stay; a restart reconciles without a flap"
    "daemon away and back within the grace time (new run, resume, bad input): nothing flaps"
    "daemon away past the grace time: routes withdrawn, then back"
    "TLS with mutual certificates; a client from another CA is refused"
)
why=
if ! why=$(dxt_need_root); then
	:
elif [ ! -x "$DXPROG" ] || [ ! -x "$PROG_FAKE" ]; then
	why="not built: $DXPROG, $PROG_FAKE"
elif ! command -v openssl >/dev/null; then
	why="openssl not installed"
fi
if [ -n "$why" ]; then
	for c in "${cases[@]}"; do
		dxt_skip "dxprog: $c" "$why"
	done
	dxt_finish
fi
dxt_case "dxprog: ${cases[0]}" case_snapshot_events
dxt_case "dxprog: ${cases[1]}" case_kill9
dxt_case "dxprog: ${cases[2]}" case_grace_return
dxt_case "dxprog: ${cases[3]}" case_grace_over
dxt_case "dxprog: ${cases[4]}" case_tls
dxt_finish
