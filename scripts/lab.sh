#!/bin/bash
# lab.sh: the main job, the reference DX lab of DESIGN.md.
#
# A carrier cloud router (dxbgpd, AS 62610, config conf/dxbgpd.conf)
# joins two clouds, each played by a real BGP daemon in its own network
# namespace:
#   AWS Direct Connect       BIRD   AS 64512  10.0.0.1  <-> dxbgpd 10.0.0.2
#   Tencent DC, primary      FRR    AS 45090  10.0.2.1  <-> dxbgpd 10.0.2.2
#   Tencent DC, secondary    GoBGP  AS 45090  10.0.2.3  (same link, a bridge)
# with the TCP MD5 keys and timers of the config.  The clouds announce
# their VPC CIDRs; dxbgpd's policy accepts each cloud's own, prefers the
# Tencent primary, and passes each cloud's CIDRs to the other.  It
# prints the sessions and the table as dxbgpd sees them, then every
# 30 s, until Ctrl-C or LAB_SECONDS.
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

# Each cloud announces its VPC's CIDRs: AWS 172.31.0.0/16 and two
# subnets (and 10.99.0.0/16, which the policy of conf/dxbgpd.conf does
# not accept from AWS), Tencent 10.100.0.0/16 from both its routers.
cat >"$DXT_CASE_DIR/aws.conf" <<EOF
log stderr all;
router id 10.0.0.1;
protocol device { scan time 10; }
protocol static vpc {
	ipv4;
	route 172.31.0.0/16 blackhole;
	route 172.31.1.0/24 blackhole;
	route 172.31.2.0/24 blackhole;
	route 10.99.0.0/16 blackhole;
}
protocol bgp $(_bird_proto 10.0.0.2) {
	local 10.0.0.1 as 64512;
	neighbor 10.0.0.2 as 62610;
	password "change-me-aws-bgp-key";
	hold time 90;
	keepalive time 30;
	connect delay time 1;
	error wait time 1, 2;
	ipv4 { import all; export where proto = "vpc"; };
}
EOF
peer_start bird aws "$(ns aws)" conf="$DXT_CASE_DIR/aws.conf" ||
    fail "BIRD (AWS) did not start"
peer_start frr tc1 "$(ns tc1)" as=45090 peer_as=62610 neighbor=10.0.2.2 \
    router_id=10.0.2.1 password=change-me-tencent-key hold=180 keepalive=60 ||
    fail "FRR (Tencent primary) did not start"
timeout 5 ip netns exec "$(ns tc1)" "$VTYSH" --vty_socket "$DXT_CASE_DIR/tc1/vty" \
    -d bgpd -c "configure terminal" -c "router bgp 45090" \
    -c "no bgp network import-check" \
    -c "neighbor 10.0.2.2 advertisement-interval 0" \
    -c "address-family ipv4 unicast" -c "network 10.100.0.0/16" >/dev/null ||
    fail "FRR (Tencent primary) does not take its route"
peer_start gobgp tc2 "$(ns tc2)" as=45090 peer_as=62610 neighbor=10.0.2.2 \
    router_id=10.0.2.3 password=change-me-tencent-key hold=180 keepalive=60 ||
    fail "GoBGP (Tencent secondary) did not start"
_gobgp_cli "$DXT_CASE_DIR/tc2" "$(ns tc2)" global rib add 10.100.0.0/16 \
    -a ipv4 || fail "GoBGP (Tencent secondary) does not take its route"
dx_start dx "$(ns dx)" conf=conf/dxbgpd.conf || fail "dxbgpd did not start"

for nb in 10.0.0.1 10.0.2.1 10.0.2.3; do
	if wait_established dx "$nb" 60 >/dev/null; then
		echo "lab.sh: session with $nb is Established"
	else
		echo "lab.sh: session with $nb did not come up in 60 s"
	fi
done
sh=build/default/shell/dxsh
# The clouds' routes: AWS's three VPC CIDRs and Tencent's from both
# routers (20 s at most).
for ((i = 0; i < 40; i++)); do
	n=$(ip netns exec "$(ns dx)" "$sh" -S "$DXT_CASE_DIR/dx/sock" \
	    -c "show bgp summary json" | jq '[.peers[].pfxRcd] | add')
	[ "${n:-0}" -ge 5 ] && break
	sleep 0.5
done
echo "lab.sh: dxbgpd holds ${n:-0} routes from the clouds"
start=$(date +%s)
while :; do
	echo
	ip netns exec "$(ns dx)" "$sh" -S "$DXT_CASE_DIR/dx/sock" \
	    -c "show bgp summary" -c "show bgp ipv4 unicast"
	if [ "$LAB_SECONDS" -gt 0 ] &&
	    [ $(($(date +%s) - start)) -ge "$LAB_SECONDS" ]; then
		break
	fi
	echo "lab.sh: running; Ctrl-C stops the lab and removes it"
	sleep 30 &
	wait $! || break
done
