#!/bin/bash
# lab.sh: the main job, the reference DX lab of DESIGN.md.
#
# A carrier cloud router (dxbgpd, AS 62610, config conf/dxbgpd.conf)
# joins two clouds, each played by a real BGP daemon in its own network
# namespace:
#   AWS Direct Connect       BIRD   AS 64512  10.0.0.1  <-> dxbgpd 10.0.0.2
#   Tencent DC, primary      FRR    AS 45090  10.0.2.1  <-> dxbgpd 10.0.2.2
#   Tencent DC, secondary    GoBGP  AS 45090  10.0.2.3  (same link, a bridge)
# with the TCP MD5 keys and timers of the config.  It prints the sessions
# as dxbgpd sees them, then every 30 s, until Ctrl-C or LAB_SECONDS.
# Everything it starts lives in namespaces it creates and removes.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh --test --peers
if [ "$(id -u)" != 0 ]; then
	echo "lab.sh: run as root (it creates network namespaces)" >&2
	exit 1
fi
: "${LAB_SECONDS:=0}"
if [ "$LAB_SECONDS" -gt 0 ]; then
	DXT_TIMEOUT=$((LAB_SECONDS + 120))
else
	DXT_TIMEOUT=31536000
fi
export DXT_TIMEOUT
# shellcheck source=../tests/interop/lib.sh
. tests/interop/lib.sh
set +e
dxt_init
DXT_NCASE=1
DXT_CASE_DIR=$DXT_TMP/case1
DXT_NS_PREFIX=dxlab-$$
mkdir -p "$DXT_CASE_DIR"
trap 'exit 0' INT

ns() { echo "$DXT_NS_PREFIX-$1"; }
mkns() {
	ip netns add "$(ns "$1")" && echo "$(ns "$1")" >>"$DXT_CASE_DIR/netns" &&
	    ip -n "$(ns "$1")" link set lo up
}
# link A IFA ADDR_A B IFB [ADDR_B]: a veth between two namespaces.
link() {
	ip link add "$2" netns "$(ns "$1")" type veth peer name "$5" \
	    netns "$(ns "$4")" || return 1
	[ -n "$3" ] && ip -n "$(ns "$1")" addr add "$3" dev "$2"
	[ -n "${6:-}" ] && ip -n "$(ns "$4")" addr add "$6" dev "$5"
	ip -n "$(ns "$1")" link set "$2" up && ip -n "$(ns "$4")" link set "$5" up
}
fail() {
	echo "lab.sh: $*" >&2
	exit 1
}

echo "lab.sh: building the reference DX lab in namespaces $DXT_NS_PREFIX-*"
for n in dx aws tc1 tc2 sw; do mkns $n || fail "cannot create namespace $n"; done
# The clouds hand over 802.1Q sub-interfaces (VLAN 5 for AWS, 3 for
# Tencent).  This needs the kernel's 8021q support.
ip -n "$(ns dx)" link add vtest type veth peer name vtest1
if ip -n "$(ns dx)" link add link vtest name vtest.5 type vlan id 5 2>/dev/null; then
	echo "lab.sh: 802.1Q available (VLAN links are configured by a later release of dxbgpd)"
else
	echo "lab.sh: skipped VLAN sub-interfaces: this kernel has no 802.1Q support" \
	    "(module 8021q); the lab uses untagged veth links"
fi
ip -n "$(ns dx)" link del vtest
link dx aws0 10.0.0.2/24 aws eth0 10.0.0.1/24 || fail "cannot link dx and aws"
ip -n "$(ns sw)" link add br0 type bridge && ip -n "$(ns sw)" link set br0 up
for t in dx:10.0.2.2 tc1:10.0.2.1 tc2:10.0.2.3; do
	n=${t%%:*}
	link "$n" tc0 "${t#*:}/24" sw "p-$n" "" || fail "cannot link $n"
	ip -n "$(ns sw)" link set "p-$n" master br0
done

peer_start bird aws "$(ns aws)" as=64512 peer_as=62610 neighbor=10.0.0.2 \
    router_id=10.0.0.1 password=change-me-aws-bgp-key hold=90 keepalive=30 ||
    fail "BIRD (AWS) did not start"
peer_start frr tc1 "$(ns tc1)" as=45090 peer_as=62610 neighbor=10.0.2.2 \
    router_id=10.0.2.1 password=change-me-tencent-key hold=180 keepalive=60 ||
    fail "FRR (Tencent primary) did not start"
peer_start gobgp tc2 "$(ns tc2)" as=45090 peer_as=62610 neighbor=10.0.2.2 \
    router_id=10.0.2.3 password=change-me-tencent-key hold=180 keepalive=60 ||
    fail "GoBGP (Tencent secondary) did not start"
dx_start dx "$(ns dx)" conf=conf/dxbgpd.conf || fail "dxbgpd did not start"

for nb in 10.0.0.1 10.0.2.1 10.0.2.3; do
	if wait_established dx "$nb" 60 >/dev/null; then
		echo "lab.sh: session with $nb is Established"
	else
		echo "lab.sh: session with $nb did not come up in 60 s"
	fi
done
sh=build/default/shell/dxsh
start=$(date +%s)
while :; do
	echo
	ip netns exec "$(ns dx)" "$sh" -S "$DXT_CASE_DIR/dx/sock" \
	    -c "show bgp summary"
	if [ "$LAB_SECONDS" -gt 0 ] &&
	    [ $(($(date +%s) - start)) -ge "$LAB_SECONDS" ]; then
		break
	fi
	echo "lab.sh: running; Ctrl-C stops the lab and removes it"
	sleep 30 &
	wait $! || break
done
