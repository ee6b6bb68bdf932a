#!/bin/bash
# harness_selftest.sh: tests the interop harness itself, without dxbgpd.
# Two peer daemons are paired with each other through the same helpers the
# session tests use (namespaces, config generators, start/stop, state
# readers): one side in NS_PEER (10.0.0.1, fd00::1), the other in NS_DX
# (10.0.0.2, fd00::2), where dxbgpd sits in the session tests. So every
# config generator is exercised on both sides of the link.
#
#   BIRD <-> FRR, GoBGP <-> OpenBGPD: IPv4 with and without TCP MD5 (2- and
#     4-octet ASNs), IPv6 with and without MD5, a wrong MD5 password, a
#     restart of the second daemon;
#   FRR <-> GoBGP, OpenBGPD <-> BIRD: IPv4 and IPv6 with MD5;
#   and that never_established does notice an Established session.
: "${DXT_TIMEOUT:=600}"
. "$(dirname "$0")/lib.sh"

# _st_setup A B AF PASSWORD_A PASSWORD_B AS_A AS_B: start kind A in NS_PEER
# and kind B in NS_DX, peered with each other.
_st_setup() {
	local a=$1 b=$2 af=$3 pwa=$4 pwb=$5 asa=$6 asb=$7
	netns_pair || return 1
	if [ "$af" = 6 ]; then
		ADDR_A=$PEER6 ADDR_B=$DX6
	else
		ADDR_A=$PEER4 ADDR_B=$DX4
	fi
	peer_start "$a" "$a" "$NS_PEER" as="$asa" peer_as="$asb" \
	    neighbor="$ADDR_B" addr="$ADDR_A" ${pwa:+password="$pwa"} \
	    hold=90 keepalive=30 retry=2 || return 1
	peer_start "$b" "$b" "$NS_DX" as="$asb" peer_as="$asa" \
	    neighbor="$ADDR_A" addr="$ADDR_B" ${pwb:+password="$pwb"} \
	    hold=90 keepalive=30 retry=2 || return 1
}

_st_up() {
	_st_setup "$@" || return 1
	wait_established "$1" "$ADDR_B" || return 1
	wait_established "$2" "$ADDR_A"
}

_st_wrong_md5() {
	local st
	_st_setup "$1" "$2" 4 s3cret wrong-s3cret 64512 62610 || return 1
	never_established "$1" "$ADDR_B" 10 || return 1
	st=$(peer_state "$2" "$ADDR_A")
	echo "$2: state $st"
	[ "$st" != Established ] && peer_alive "$2"
}

_st_restart() {
	_st_setup "$1" "$2" 4 s3cret s3cret 64512 62610 || return 1
	wait_established "$1" "$ADDR_B" || return 1
	wait_established "$2" "$ADDR_A" || return 1
	echo "restarting $2"
	peer_restart "$2" || return 1
	wait_established "$2" "$ADDR_A" || return 1
	wait_established "$1" "$ADDR_B"
}

_st_detects_established() {
	_st_up "$1" "$2" 4 "" "" 64512 62610 || return 1
	if never_established "$1" "$ADDR_B" 2; then
		echo "never_established missed an Established session"
		return 1
	fi
	echo "(the complaint above is expected)"
	return 0
}

# pair_cases A B: the full set for one pairing.
pair_cases() {
	local a=$1 b=$2 p="$1 <-> $2"
	dxt_case "selftest $p: IPv4 with TCP MD5 reaches Established" \
	    _st_up "$a" "$b" 4 s3cret s3cret 64512 62610
	dxt_case "selftest $p: IPv4 without MD5, 4-octet ASNs reaches Established" \
	    _st_up "$a" "$b" 4 "" "" 4200000002 4200000001
	dxt_case "selftest $p: IPv6 transport reaches Established" \
	    _st_up "$a" "$b" 6 "" "" 64512 62610
	dxt_case "selftest $p: IPv6 transport with TCP MD5 reaches Established" \
	    _st_up "$a" "$b" 6 s3cret s3cret 64512 62610
	dxt_case "selftest $p: wrong MD5 password never reaches Established (10 s)" \
	    _st_wrong_md5 "$a" "$b"
	dxt_case "selftest $p: session comes back after $b is restarted" \
	    _st_restart "$a" "$b"
}

# cross_cases A B: MD5 over both transports for the other pairings.
cross_cases() {
	local a=$1 b=$2 p="$1 <-> $2"
	dxt_case "selftest $p: IPv4 with TCP MD5 reaches Established" \
	    _st_up "$a" "$b" 4 s3cret s3cret 64512 62610
	dxt_case "selftest $p: IPv6 transport with TCP MD5 reaches Established" \
	    _st_up "$a" "$b" 6 s3cret s3cret 4200000002 4200000001
}

detects_case() {
	dxt_case "selftest: never_established notices an Established session" \
	    _st_detects_established "$1" "$2"
}

# with A B FUNC: run FUNC A B, or skip it if a daemon is missing.
with() {
	local k
	for k in "$1" "$2"; do
		if ! peer_available "$k"; then
			dxt_skip "selftest $1 <-> $2" \
			    "$k not installed; scripts/setup.sh --test --peers"
			return 0
		fi
	done
	"$3" "$1" "$2"
}

dxt_init
if ! why=$(dxt_need_root); then
	dxt_skip "selftest" "$why"
	dxt_finish
fi
with bird frr pair_cases
with gobgp openbgpd pair_cases
with frr gobgp cross_cases
with openbgpd bird cross_cases
with bird frr detects_case
dxt_finish
