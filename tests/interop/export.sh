#!/bin/bash
# export.sh: the export stream (doc/export.md) as a route programmer sees
# it, with a real BGP peer feeding dxbgpd:
#
#   BIRD  AS 65001  10.0.0.1 --- 10.0.0.2  dxbgpd  AS 65000  (NS_DX)
#                                              |
#              tests/tools/dxsub subscribers on export listen unix/tls
#
# BIRD originates EX_N prefixes 198.18.X.0/24. One case, one dxbgpd, in
# steps (each builds on the one before):
#   1. A new subscriber gets a snapshot of exactly BIRD's prefixes, next
#      hop 10.0.0.1, peer 10.0.0.1, AS 65001, then nothing it did not ask
#      for.
#   2. It reconnects with its instance and sequence number while BIRD
#      withdraws half: it gets Resume, then exactly the deletes; its table
#      equals dxbgpd's (`show bgp ipv4 unicast json`).
#   3. A sequence number from another instance: a fresh snapshot.
#   4. Filters: only routes from one neighbor, and only IPv6 (none); a
#      listener with a route-map gets only what it permits.
#   5. Garbage (not a frame; a Route instead of a Subscribe; a frame
#      longer than 64 KB): each such subscriber gets Error and is closed,
#      the log says why, and the BGP session and another subscriber carry
#      on undisturbed.
#   6. TLS: a client certificate of the right CA subscribes; one of another
#      CA and none are refused in the handshake (logged); the unix
#      subscriber is unaffected.
#   7. `show export json` lists the subscribers with their sequence
#      numbers and lag.
#
# A second case puts dxprog (the route programmer) behind the stream, as
# in production: BIRD's prefixes appear in NS_DX's table 100 (protocol
# 201) via 10.0.0.1, disappear when BIRD withdraws them; after `kill -9`
# of dxprog they stay, and its restart removes a stale route of ours and
# touches nothing else; dxbgpd stopped and started again within dxprog's
# grace time (its first snapshot waits for BIRD's End-of-RIB) changes
# nothing in the kernel (`ip monitor route` sees no BIRD prefix deleted).
#
# Needs root, BIRD, jq, openssl, python3 and dxbgpd (dxsh, dxsub and
# dxprog too); otherwise a skip. About 45 seconds.
. "$(dirname "$0")/lib.sh"

: "${EX_N:=100}"
: "${DXSUB:=$DXT_TOP/build/default/tests/tools/dxsub}"
: "${DXPROG:=$DXT_TOP/build/default/programmer/dxprog}"

AS_DX=65000
AS_BIRD=65001
BIRD_A=10.0.0.1 DX_B=10.0.0.2

_ex_sh() {
	timeout 5 "$(_dxbgpd_sh)" -S "$DXT_CASE_DIR/dx/sock" -c "$1"
}

_ex_sub() {
	timeout 20 ip netns exec "$NS_DX" "$DXSUB" "$@"
}

_ex_prefixes() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "198.18.$i.0/24"
	done
}

# _ex_table FILE: the prefixes of the table lines dxsub printed, sorted.
_ex_table() {
	awk '$1 == "table" {print $2}' "$1" | sort
}

# _ex_want N: the prefixes BIRD sends when it originates the first N.
_ex_want() {
	_ex_prefixes "$1" | sort
}

_ex_dx_conf() {
	cat <<EOF
hostname dx
export listen unix $DXT_CASE_DIR/export.sock
export listen unix $DXT_CASE_DIR/few.sock route-map FEW
export listen tls 127.0.0.1 50051 cert $DXT_CASE_DIR/pki/server.crt key $DXT_CASE_DIR/pki/server.key ca $DXT_CASE_DIR/pki/ca.crt
router bgp $AS_DX
 bgp router-id $DX_B
 no bgp ebgp-requires-policy
 neighbor $BIRD_A remote-as $AS_BIRD
 neighbor $BIRD_A timers 10 30
 neighbor $BIRD_A timers connect 2
exit
ip prefix-list TEN seq 5 permit 198.18.0.0/20 ge 24 le 24
route-map FEW permit 10
 match ip address prefix-list TEN
exit
EOF
}

# _ex_pki: a CA with a server and a client certificate, and a second CA
# with a client certificate of its own.
_ex_pki() {
	local d=$DXT_CASE_DIR/pki ca
	mkdir -p "$d"
	for ca in ca other; do
		openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
		    -subj "/CN=dxbgp test $ca" -keyout "$d/$ca.key" \
		    -out "$d/$ca.crt" 2>/dev/null || return 1
	done
	_ex_cert server ca "subjectAltName=IP:127.0.0.1" || return 1
	_ex_cert client ca "" || return 1
	_ex_cert rogue other "" || return 1
}

_ex_cert() {
	local d=$DXT_CASE_DIR/pki name=$1 ca=$2 ext=$3
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" \
	    -keyout "$d/$name.key" -out "$d/$name.csr" 2>/dev/null || return 1
	if [ -n "$ext" ]; then
		echo "$ext" >"$d/$name.ext"
		openssl x509 -req -in "$d/$name.csr" -CA "$d/$ca.crt" \
		    -CAkey "$d/$ca.key" -CAcreateserial -days 2 \
		    -extfile "$d/$name.ext" -out "$d/$name.crt" 2>/dev/null
	else
		openssl x509 -req -in "$d/$name.csr" -CA "$d/$ca.crt" \
		    -CAkey "$d/$ca.key" -CAcreateserial -days 2 \
		    -out "$d/$name.crt" 2>/dev/null
	fi
}

# _ex_bird N FILE: BIRD's config originating the first N prefixes.
_ex_bird() {
	# shellcheck disable=SC2046
	bird_static_conf "$BIRD_A" $AS_BIRD "$DX_B" $AS_DX "" \
	    $(_ex_prefixes "$1") >"$2"
}

# _ex_wait_rib N: dxbgpd holds N routes within 10 s.
_ex_wait_rib() {
	local n end=$((SECONDS + 10))
	while :; do
		n=$(_ex_sh "show bgp ipv4 unicast json" | jq '.routes | length')
		[ "$n" = "$1" ] && return 0
		if [ $SECONDS -ge $end ]; then
			echo "dx: holds $n routes, expected $1"
			return 1
		fi
		sleep 0.3
	done
}

# _ex_garbage NAME HEX: connects, sends the bytes, prints what came back.
_ex_garbage() {
	ip netns exec "$NS_DX" python3 - "$DXT_CASE_DIR/export.sock" "$2" <<'PYEOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(5)
if sys.argv[2] == "big":
    data = b"\x81\x80\x08" + b"\0" * 100      # length 131073
else:
    data = bytes.fromhex(sys.argv[2])
s.sendall(data)
got = b""
try:
    while True:
        b = s.recv(4096)
        if not b:
            break
        got += b
except socket.timeout:
    print("no close within 5 s")
# An Error message: field 7 (0x3a), then its reason (field 1, 0x0a).
i = got.find(b"\x3a")
print("closed, reply %d bytes%s" % (len(got),
    (", error: " + got[i + 4:].decode(errors="replace")) if i >= 0 else ""))
PYEOF
}

_ex_case() {
	local out=$DXT_CASE_DIR/sub st inst seq got want n
	netns_pair || return 1
	_ex_pki || { echo "openssl could not make the test certificates"; return 1; }
	_ex_dx_conf >"$DXT_CASE_DIR/dx.conf"
	dx_start dx "$NS_DX" conf="$DXT_CASE_DIR/dx.conf" || return 1
	_ex_bird "$EX_N" "$DXT_CASE_DIR/bird.conf"
	peer_start bird bird "$NS_PEER" conf="$DXT_CASE_DIR/bird.conf" ||
	    return 1
	wait_established bird "$DX_B" 20 || return 1
	_ex_wait_rib "$EX_N" || return 1

	# 1. snapshot
	_ex_sub -s "$DXT_CASE_DIR/export.sock" -n first -t -x idle:1000 \
	    >"$out.1" || { cat "$out.1"; return 1; }
	if [ "$(_ex_table "$out.1")" != "$(_ex_want "$EX_N")" ]; then
		echo "1: the snapshot is not BIRD's $EX_N prefixes:"
		head -5 "$out.1"
		return 1
	fi
	got=$(awk '$1 == "table" {$1 = $2 = ""; print}' "$out.1" | sort -u)
	want="  via $BIRD_A peer $BIRD_A asn $AS_BIRD path $AS_BIRD lp 0"
	if [ "$got" != "$want" ]; then
		echo "1: routes carry '$got', expected '$want'"
		return 1
	fi
	grep -q '^snapshot-end .* routes='"$EX_N"'$' "$out.1" || return 1
	echo "1: snapshot of $EX_N routes, next hop and peer $BIRD_A, AS $AS_BIRD"

	# 2. resume across a change
	st=$(awk '$1 == "state" {print $2, $3}' "$out.1")
	inst=${st#instance=}; inst=${inst%% *}
	seq=${st##*seq=}
	_ex_bird $((EX_N / 2)) "$DXT_CASE_DIR/bird/conf"
	_bird_cli "$DXT_CASE_DIR/bird" "$NS_PEER" configure >/dev/null || return 1
	_ex_wait_rib $((EX_N / 2)) || return 1
	_ex_sub -s "$DXT_CASE_DIR/export.sock" -n first -r "$inst:$seq" \
	    -x idle:1000 >"$out.2" || { cat "$out.2"; return 1; }
	if ! grep -q "^resume instance=$inst from=$seq\$" "$out.2"; then
		echo "2: no Resume after sequence $seq:"
		head -3 "$out.2"
		return 1
	fi
	got=$(awk '$1 == "route" && $3 == "delete" {print $4}' "$out.2" | sort)
	want=$(_ex_prefixes "$EX_N" | tail -n $((EX_N - EX_N / 2)) | sort)
	if [ "$got" != "$want" ] || grep -q '^route .* add ' "$out.2"; then
		echo "2: after Resume, expected exactly the deletes of the second half"
		head -5 "$out.2"
		return 1
	fi
	echo "2: resumed after $seq: exactly $((EX_N - EX_N / 2)) deletes"

	# 3. another instance: a snapshot
	_ex_sub -s "$DXT_CASE_DIR/export.sock" -n stale -r "1234:$seq" -t \
	    -x snapshot >"$out.3" || { cat "$out.3"; return 1; }
	if ! grep -q '^snapshot-begin' "$out.3" ||
	    [ "$(_ex_table "$out.3")" != "$(_ex_want $((EX_N / 2)))" ]; then
		echo "3: a foreign instance did not get a fresh snapshot"
		head -3 "$out.3"
		return 1
	fi
	echo "3: sequence of another instance: a fresh snapshot of $((EX_N / 2))"

	# 4. filters
	_ex_sub -s "$DXT_CASE_DIR/export.sock" -b 10.9.9.9 -t -x snapshot \
	    >"$out.4a" && _ex_sub -s "$DXT_CASE_DIR/export.sock" -f ipv6 -t \
	    -x snapshot >"$out.4b" && _ex_sub -s "$DXT_CASE_DIR/export.sock" \
	    -b "$BIRD_A" -f ipv4 -t -x snapshot >"$out.4c" || return 1
	_ex_sub -s "$DXT_CASE_DIR/few.sock" -t -x snapshot >"$out.4d" ||
	    return 1
	if grep -q '^table' "$out.4a" "$out.4b" ||
	    [ "$(_ex_table "$out.4c")" != "$(_ex_want $((EX_N / 2)))" ]; then
		echo "4: filters by neighbor or family do not hold"
		return 1
	fi
	if [ "$(_ex_table "$out.4d")" != "$(_ex_want 16)" ]; then
		echo "4: the listener's route-map FEW does not hold:"
		_ex_table "$out.4d" | head -3
		return 1
	fi
	echo "4: neighbor and family filters: 0, 0 and $((EX_N / 2)) routes;" \
	    "the route-map of a listener: 16"

	# 5. garbage; a subscriber stays connected meanwhile
	_ex_sub -s "$DXT_CASE_DIR/export.sock" -n watcher -x idle:6000 -q \
	    >"$out.5" &
	sleep 0.5
	# a varint that does not end; a body that is not a Message; a Route
	# instead of a Subscribe; 128 KB announced; a SnapshotBegin
	for g in ffffffffffffffffffffffff 05ffffffffff \
	    0e1a0c10011a040a00000020082802 big 021200; do
		got=$(_ex_garbage x "$g")
		echo "5: sent $g: $got"
		case $got in
		*"error: "*) ;;
		*) return 1 ;;
		esac
	done
	wait $! || return 1
	grep -q '^closed' "$out.5" && { echo "5: the watcher was closed"; return 1; }
	grep -c "export: subscriber .* closed: " "$DXT_CASE_DIR/dx/log" |
	    sed 's/^/5: subscribers closed with a reason in the log: /'
	got=$(_ex_sh "show bgp neighbors json" |
	    jq -r '.["'"$BIRD_A"'"].establishedTransitions')
	if [ "$(peer_state bird "$DX_B")" != Established ] || [ "$got" != 1 ]; then
		echo "5: the BGP session was disturbed"
		return 1
	fi
	echo "5: the BGP session was not disturbed, the watcher stayed"

	# 6. TLS
	_ex_sub -s 127.0.0.1:50051 -c "$DXT_CASE_DIR/pki/client.crt" \
	    -k "$DXT_CASE_DIR/pki/client.key" -a "$DXT_CASE_DIR/pki/ca.crt" \
	    -t -x snapshot >"$out.6a" 2>&1 || { cat "$out.6a"; return 1; }
	if [ "$(_ex_table "$out.6a")" != "$(_ex_want $((EX_N / 2)))" ]; then
		echo "6: the TLS subscriber did not get the snapshot"
		cat "$out.6a"
		return 1
	fi
	echo "6: TLS with the CA's client certificate: snapshot of $((EX_N / 2))"
	for who in rogue none; do
		if [ $who = rogue ]; then
			_ex_sub -s 127.0.0.1:50051 \
			    -c "$DXT_CASE_DIR/pki/rogue.crt" \
			    -k "$DXT_CASE_DIR/pki/rogue.key" \
			    -a "$DXT_CASE_DIR/pki/ca.crt" -t -x snapshot \
			    >"$out.6b" 2>&1
		else
			_ex_sub -s 127.0.0.1:50051 -a "$DXT_CASE_DIR/pki/ca.crt" \
			    -t -x snapshot >"$out.6b" 2>&1
		fi
		if grep -q '^table' "$out.6b"; then
			echo "6: a subscriber with certificate '$who' got routes"
			return 1
		fi
		echo "6: certificate '$who': refused ($(head -c 100 "$out.6b" | head -1))"
	done
	n=$(grep -c "TLS handshake failed" "$DXT_CASE_DIR/dx/log")
	echo "6: dxbgpd logged $n failed TLS handshakes"
	[ "$n" -ge 2 ] || return 1

	# 7. show export
	_ex_sub -s "$DXT_CASE_DIR/export.sock" -n shown -x idle:3000 -q \
	    >/dev/null &
	sleep 1
	got=$(_ex_sh "show export json" | jq -r '.subscribers[] |
	    select(.name == "shown") | "\(.state) \(.lag)"')
	wait $!
	echo "7: show export: subscriber 'shown' is '$got' (state, lag)"
	[ "$got" = "stream 0" ] || return 1
	dx_alive dx
}

# ---------------------------------------------------------------- dxprog

# _ex_spawn NAME KIND CMD...: CMD in NS_DX as instance NAME.
_ex_spawn() {
	local dir=$DXT_CASE_DIR/$1
	mkdir -p "$dir"
	echo "$2" >"$dir/kind"
	echo "$NS_DX" >"$dir/ns"
	shift 2
	dxt_spawn "$dir" "$NS_DX" "$@"
}

# _ex_kernel: BIRD's prefixes in table 100 with their next hop, sorted.
_ex_kernel() {
	ip -n "$NS_DX" -o route show table 100 proto 201 |
	    awk '{ print $1, $3 }' | sort
}

# _ex_wait_kernel N [SECONDS]: table 100 holds the first N prefixes via
# BIRD.
_ex_wait_kernel() {
	local want have end=$((SECONDS + ${2:-10}))
	want=$(_ex_prefixes "$1" | sed "s|\$| $BIRD_A|" | sort)
	while :; do
		have=$(_ex_kernel)
		[ "$have" = "$want" ] && return 0
		if [ $SECONDS -ge $end ]; then
			echo "table 100: $(echo "$have" | grep -c .) routes, expected $1:"
			echo "$have" | head -3 | sed 's/^/    /'
			return 1
		fi
		sleep 0.2
	done
}

_ex_prog_case() {
	local n=20 pid st
	netns_pair || return 1
	cat >"$DXT_CASE_DIR/dx.conf" <<EOF
export listen unix $DXT_CASE_DIR/export.sock
router bgp $AS_DX
 bgp router-id $DX_B
 no bgp ebgp-requires-policy
 neighbor $BIRD_A remote-as $AS_BIRD
 neighbor $BIRD_A timers 10 30
 neighbor $BIRD_A timers connect 1
exit
EOF
	dx_start dx "$NS_DX" conf="$DXT_CASE_DIR/dx.conf" || return 1
	_ex_bird $n "$DXT_CASE_DIR/bird.conf"
	peer_start bird bird "$NS_PEER" conf="$DXT_CASE_DIR/bird.conf" ||
	    return 1
	wait_established bird "$DX_B" 20 || return 1
	_ex_spawn prog dxprog "$DXPROG" -d -s "$DXT_CASE_DIR/export.sock" \
	    -t 100 -g 30 --name lab
	_ex_wait_kernel $n || return 1
	echo "1: table 100 holds BIRD's $n prefixes via $BIRD_A (protocol 201)"

	_ex_bird $((n / 2)) "$DXT_CASE_DIR/bird/conf"
	_bird_cli "$DXT_CASE_DIR/bird" "$NS_PEER" configure >/dev/null || return 1
	_ex_wait_kernel $((n / 2)) || return 1
	echo "2: BIRD withdrew $((n - n / 2)): table 100 follows"

	read -r pid st <"$DXT_CASE_DIR/prog/pid"
	kill -9 "$pid"
	ip -n "$NS_DX" route add 203.0.113.0/24 via "$BIRD_A" table 100 \
	    proto 201 metric 20 || return 1
	_ex_spawn mon monitor ip -t monitor route
	sleep 0.3
	_ex_wait_kernel $((n / 2)) 1 >/dev/null 2>&1 &&
	    { echo "3: the stale route did not get in"; return 1; }
	_ex_spawn prog dxprog "$DXPROG" -d -s "$DXT_CASE_DIR/export.sock" \
	    -t 100 -g 30 --name lab
	_ex_wait_kernel $((n / 2)) || return 1
	if grep -v '^----' "$DXT_CASE_DIR/mon/log" | grep -q 198.18; then
		echo "3: the restart touched BIRD's routes:"
		grep 198.18 "$DXT_CASE_DIR/mon/log" | head -3
		return 1
	fi
	echo "3: dxprog killed (-9) and restarted: the stale route removed," \
	    "BIRD's untouched"

	dx_stop dx || return 1
	sleep 1
	dx_start dx "$NS_DX" conf="$DXT_CASE_DIR/dx.conf" || return 1
	wait_established bird "$DX_B" 20 || return 1
	for ((i = 0; i < 100; i++)); do
		grep -q "export: lab: snapshot sent, $((n / 2)) routes" \
		    "$DXT_CASE_DIR/dx/log" && break
		sleep 0.2
	done
	grep "export: .*snapshots go out now" "$DXT_CASE_DIR/dx/log" |
	    tail -1 | sed 's/^.*export: /4: dxbgpd: /'
	_ex_wait_kernel $((n / 2)) || return 1
	if grep -v '^----' "$DXT_CASE_DIR/mon/log" | grep 198.18 | grep -q .; then
		echo "4: dxbgpd's restart changed BIRD's routes in the kernel:"
		grep 198.18 "$DXT_CASE_DIR/mon/log" | head -3
		return 1
	fi
	echo "4: dxbgpd stopped and started within the grace time: no route" \
	    "of BIRD's changed in the kernel"
	dx_alive dx
}

dxt_init
why=$(dxt_why_not bird)
[ -z "$why" ] && [ ! -x "$DXSUB" ] && why="not built: $DXSUB"
[ -z "$why" ] && ! command -v openssl >/dev/null && why="needs openssl"
name="export stream: snapshot, resume, filters, bad subscribers, TLS"
if [ -n "$why" ]; then
	dxt_skip "$name" "$why"
else
	dxt_case "$name" _ex_case
fi
name="export stream into dxprog: kernel table follows, restarts flap nothing"
[ -z "$why" ] && [ ! -x "$DXPROG" ] && why="not built: $DXPROG"
if [ -n "$why" ]; then
	dxt_skip "$name" "$why"
else
	dxt_case "$name" _ex_prog_case
fi
dxt_finish
