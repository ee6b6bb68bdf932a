#!/bin/bash
# iface.sh: the interface module in network namespaces: dxbgpd puts the
# links of its config in the kernel, reports them in `show interface`,
# and sessions bound to a link follow it.
#
# 1. Links: in NS_DX, a veth pair dxi0/dxi1 that has no addresses; dxi0
#    already holds 192.0.2.99/24, which is not dxbgpd's. The config gives
#    dxi0 192.0.2.2/24, 2001:db8:5::2/64 and MTU 9001. Checked with ip(8)
#    and `show interface dxi0 json`; then a reload with `shutdown`, MTU
#    1500 and the IPv6 address removed; then `no shutdown` through dxsh
#    `configure terminal`; then the interface block removed by a reload:
#    the addresses dxbgpd added go, 192.0.2.99/24 stays. A link
#    configured before it exists (dxlate) is set up when it appears.
#    Then across restarts: dxbgpd's addresses carry its mark (IFA_PROTO
#    201); restarted with the same config it calls them its own, and
#    restarted with no interface at all it deletes them; 192.0.2.99/24
#    stays.
# 2. VLAN: `interface dxi0.5` / `vlan 5 parent dxi0`. Where the kernel
#    has 802.1Q the link must exist with ID 5; where it has not (no 8021q
#    module), dxbgpd must say so in exactly one log line naming the
#    missing feature and carry on (dxi0's addresses are still put on).
#    What could not be checked is printed as a skip, with why.
# 3. Binding: BIRD (AS 64512) on the reference link, dxbgpd with
#    `neighbor 10.0.0.1 interface dxt0`, hold time 30 s. The link shut
#    down by dxsh: the session is down within 2 s (not after the hold
#    time) and stays down; `no shutdown`: Established again at once. The
#    peer's end of the veth taken down (dxbgpd's side loses its carrier):
#    down within 2 s; up again: Established again.
# 4. Without CAP_NET_ADMIN (setpriv drops it): one line says so, nothing
#    is changed, and dxbgpd keeps running.
#
# Needs root, BIRD, jq and dxbgpd with dxsh; otherwise a skip. About 35 s.
. "$(dirname "$0")/lib.sh"

IF_A4=192.0.2.2/24
IF_A6=2001:db8:5::2/64
FOREIGN=192.0.2.99/24

_if_dxsh() {
	timeout 5 "$(_dxbgpd_sh)" -S "$DXT_CASE_DIR/dx/sock" "$@"
}

# _if_json NAME FILTER: jq FILTER on `show interface NAME json`.
_if_json() {
	_if_dxsh -c "show interface $1 json" | jq -r ".[\"$1\"] | $2"
}

# _if_has_addr DEV A/LEN: NS_DX's DEV holds A/LEN.
_if_has_addr() {
	ip -n "$NS_DX" addr show dev "$1" | grep -qw "inet6\? $2"
}

_if_expect() {
	local what=$1 got=$2 want=$3
	if [ "$got" != "$want" ]; then
		echo "FAIL: $what: got '$got', want '$want'"
		return 1
	fi
	echo "$what: $got"
}

# _if_reload CONF: a new config file, then `reload` through dxsh.
_if_reload() {
	cp "$1" "$DXT_CASE_DIR/dx/conf" || return 1
	_if_dxsh -c reload || return 1
}

_if_links_conf() {
	local extra=$1
	cat <<EOF
hostname dx
interface dxi0
 description test link
 mtu ${MTU:-9001}
 ip address $IF_A4
${A6:+ ipv6 address $IF_A6}
${SHUT:+ shutdown}
exit
interface dxlate
 ip address 198.18.7.2/24
exit
$extra
router bgp 65000
 bgp router-id 10.0.0.2
EOF
}

_if_veth() {
	netns_pair || return 1
	ip -n "$NS_DX" link add dxi0 type veth peer name dxi1 &&
	    ip -n "$NS_DX" link set dxi1 up &&
	    ip -n "$NS_DX" addr add "$FOREIGN" dev dxi0 || return 1
}

_if_links_case() {
	local c=$DXT_CASE_DIR n
	_if_veth || return 1
	A6=1 _if_links_conf >"$c/dx.conf"
	dx_start dx "$NS_DX" conf="$c/dx.conf" || return 1
	sleep 0.5

	_if_expect "dxi0 state" "$(_if_json dxi0 .state)" up || return 1
	_if_expect "dxi0 mtu (kernel)" \
	    "$(ip -n "$NS_DX" -j link show dev dxi0 | jq '.[0].mtu')" 9001 ||
	    return 1
	_if_expect "dxi0 mtu (show)" "$(_if_json dxi0 .mtu)" 9001 || return 1
	_if_has_addr dxi0 "$IF_A4" && _if_has_addr dxi0 "$IF_A6" ||
	    { echo "FAIL: addresses not on dxi0"; ip -n "$NS_DX" addr; return 1; }
	echo "dxi0 has $IF_A4 and $IF_A6"
	_if_expect "show: $IF_A4 added by dxbgpd" "$(_if_json dxi0 \
	    ".addresses[] | select(.address == \"$IF_A4\") | .addedByDxbgpd")" \
	    true || return 1
	_if_expect "show: $FOREIGN added by dxbgpd" "$(_if_json dxi0 \
	    ".addresses[] | select(.address == \"$FOREIGN\") | .addedByDxbgpd")" \
	    false || return 1

	# A link configured before it exists: set up when it appears.
	_if_expect "dxlate state" "$(_if_json dxlate .state)" absent ||
	    return 1
	ip -n "$NS_DX" link add dxlate type veth peer name dxlate1 &&
	    ip -n "$NS_DX" link set dxlate1 up || return 1
	for ((n = 0; n < 20; n++)); do
		_if_has_addr dxlate 198.18.7.2/24 && break
		sleep 0.1
	done
	_if_has_addr dxlate 198.18.7.2/24 ||
	    { echo "FAIL: dxlate appeared, no address put on it"; return 1; }
	_if_expect "dxlate, once created: state" "$(_if_json dxlate .state)" \
	    up || return 1

	# Reload: shutdown, MTU 1500, the IPv6 address removed.
	MTU=1500 SHUT=1 _if_links_conf >"$c/dx2.conf"
	_if_reload "$c/dx2.conf" || return 1
	_if_expect "after reload: dxi0 state" "$(_if_json dxi0 .state)" \
	    admin-down || return 1
	_if_expect "after reload: dxi0 mtu" "$(_if_json dxi0 .mtu)" 1500 ||
	    return 1
	if _if_has_addr dxi0 "$IF_A6"; then
		echo "FAIL: $IF_A6 still on dxi0"
		return 1
	fi
	_if_has_addr dxi0 "$IF_A4" || { echo "FAIL: $IF_A4 gone"; return 1; }
	echo "after reload: $IF_A6 deleted, $IF_A4 kept"

	# no shutdown through the shell.
	_if_dxsh -c "configure terminal" -c "interface dxi0" \
	    -c "no shutdown" -c end || return 1
	_if_expect "after no shutdown: dxi0 state" "$(_if_json dxi0 .state)" \
	    up || return 1

	# The same config again changes nothing (no line about dxi0).
	n=$(grep -c 'interface dxi0: ' "$c/dx/log")
	MTU=1500 _if_links_conf >"$c/dx2b.conf"
	_if_reload "$c/dx2b.conf" && _if_reload "$c/dx2b.conf" || return 1
	_if_expect "changes logged by the same config applied again" \
	    "$(($(grep -c 'interface dxi0: ' "$c/dx/log") - n))" 0 || return 1

	# The interface removed: what dxbgpd added goes, nothing else.
	_if_links_conf >"$c/dx3.conf"
	sed -i '/^interface dxi0$/,/^exit$/d' "$c/dx3.conf"
	_if_reload "$c/dx3.conf" || return 1
	if _if_has_addr dxi0 "$IF_A4"; then
		echo "FAIL: $IF_A4 still on dxi0 after the interface was removed"
		return 1
	fi
	_if_has_addr dxi0 "$FOREIGN" ||
	    { echo "FAIL: $FOREIGN, not dxbgpd's, was deleted"; return 1; }
	echo "interface removed: $IF_A4 deleted, $FOREIGN kept"
	dx_alive dx || return 1

	# Across restarts: the addresses dxbgpd adds carry its mark
	# (IFA_PROTO 201), so a later run knows them as its own. The kernel
	# keeps the mark since Linux 6.3.
	local kv
	kv=$(uname -r | awk -F. '{ print $1 * 1000 + $2 }')
	if [ "$kv" -lt 6003 ]; then
		echo "SKIPPED: restarts: kernel $(uname -r) has no IFA_PROTO (Linux 6.3)"
		return 0
	fi
	_if_reload "$c/dx2b.conf" || return 1
	_if_has_addr dxi0 "$IF_A4" || { echo "FAIL: $IF_A4 not put back"; return 1; }
	dx_stop dx || return 1
	_if_has_addr dxi0 "$IF_A4" ||
	    { echo "FAIL: $IF_A4 went with dxbgpd's stop"; return 1; }
	echo "dxbgpd stopped: $IF_A4 stays"
	dx_start dx "$NS_DX" conf="$c/dx2b.conf" || return 1
	sleep 0.5
	_if_expect "restarted, same config: $IF_A4 added by dxbgpd" \
	    "$(_if_json dxi0 ".addresses[] | select(.address == \"$IF_A4\") |
	    .addedByDxbgpd")" true || return 1
	_if_expect "restarted, same config: $FOREIGN added by dxbgpd" \
	    "$(_if_json dxi0 ".addresses[] | select(.address == \"$FOREIGN\") |
	    .addedByDxbgpd")" false || return 1
	dx_stop dx || return 1
	# Restarted with no interface at all in the config.
	printf 'hostname dx\nrouter bgp 65000\n bgp router-id 10.0.0.2\n' \
	    >"$c/dx4.conf"
	dx_start dx "$NS_DX" conf="$c/dx4.conf" || return 1
	for ((n = 0; n < 30; n++)); do
		_if_has_addr dxi0 "$IF_A4" || break
		sleep 0.1
	done
	if _if_has_addr dxi0 "$IF_A4"; then
		echo "FAIL: $IF_A4, added by the earlier run, still on dxi0"
		return 1
	fi
	_if_has_addr dxi0 "$FOREIGN" ||
	    { echo "FAIL: $FOREIGN, not dxbgpd's, was deleted"; return 1; }
	grep -q "interface dxi0: address $IF_A4 was added by an earlier run" \
	    "$c/dx/log" || { echo "FAIL: no log line for $IF_A4"; return 1; }
	echo "restarted without it: $IF_A4 deleted, $FOREIGN kept"
	dx_alive dx
}

# Whether NS_DX's kernel creates VLAN links; the error if not.
_if_vlan_probe() {
	local out
	if out=$(ip -n "$NS_DX" link add link dxi1 name dxprobe.9 type vlan \
	    id 9 2>&1); then
		ip -n "$NS_DX" link del dxprobe.9
		return 0
	fi
	echo "$out"
	return 1
}

_if_vlan_case() {
	local c=$DXT_CASE_DIR lines probe
	_if_veth || return 1
	A6=1 _if_links_conf "$(printf 'interface dxi0.5\n vlan 5 parent dxi0\n ip address 198.51.100.2/24\nexit')" \
	    >"$c/dx.conf"
	dx_start dx "$NS_DX" conf="$c/dx.conf" || return 1
	sleep 0.5
	if probe=$(_if_vlan_probe); then
		echo "the kernel has 802.1Q: checking the link"
		ip -n "$NS_DX" -d link show dev dxi0.5 | tee "$c/vlan" |
		    grep -q "vlan protocol 802.1Q id 5 " ||
		    { echo "FAIL: dxi0.5 is not VLAN 5"; cat "$c/vlan"; return 1; }
		_if_has_addr dxi0.5 198.51.100.2/24 ||
		    { echo "FAIL: no address on dxi0.5"; return 1; }
		_if_expect "dxi0.5 vlanId" "$(_if_json dxi0.5 .vlanId)" 5 ||
		    return 1
		echo "vlan" >"$c/vlan-checked"
	else
		echo "ip(8) cannot make a VLAN here either: $probe"
		lines=$(grep -c "interface dxi0.5: cannot create VLAN 5 on dxi0: the kernel has no 802.1Q support (module 8021q)" \
		    "$c/dx/log")
		_if_expect "log lines saying so" "$lines" 1 || return 1
		_if_expect "lines about dxi0.5 in all" \
		    "$(grep -c 'dxi0.5' "$c/dx/log")" 1 || return 1
		_if_expect "show: dxi0.5 state" "$(_if_json dxi0.5 .state)" \
		    absent || return 1
		_if_json dxi0.5 .problem | grep -q "802.1Q" ||
		    { echo "FAIL: show interface has no problem"; return 1; }
	fi
	# The rest of the config is in force either way.
	_if_has_addr dxi0 "$IF_A4" ||
	    { echo "FAIL: dxi0 not configured"; return 1; }
	echo "dxi0 configured all the same"
	dx_alive dx
}

_if_bind_conf() {
	cat <<EOF
hostname dx
interface dxt0
 description aws-dx-hk
exit
router bgp 62610
 bgp router-id 10.0.0.2
 no bgp ebgp-requires-policy
 neighbor 10.0.0.1 remote-as 64512
 neighbor 10.0.0.1 timers 10 30
 neighbor 10.0.0.1 timers connect 2
 neighbor 10.0.0.1 interface dxt0
EOF
}

# _if_down_within SECS: dxbgpd's session to 10.0.0.1 leaves Established
# within SECS seconds and is kept down by the link.
_if_down_within() {
	local end=$((SECONDS + $1)) st
	while [ $SECONDS -le $end ]; do
		st=$(peer_state dx 10.0.0.1)
		if [ "$st" != Established ]; then
			echo "dxbgpd: session $st within $1 s"
			grep "kept down" "$DXT_CASE_DIR/dx/log" | tail -n 1
			return 0
		fi
		sleep 0.2
	done
	echo "FAIL: still Established after $1 s"
	return 1
}

_if_bind_case() {
	local c=$DXT_CASE_DIR
	netns_pair || return 1
	_if_bind_conf >"$c/dx.conf"
	dx_start dx "$NS_DX" conf="$c/dx.conf" || return 1
	peer_start bird bird "$NS_PEER" as=64512 peer_as=62610 \
	    neighbor=10.0.0.2 || return 1
	wait_established dx 10.0.0.1 20 || return 1
	_if_expect "show: neighbors bound to dxt0" \
	    "$(_if_json dxt0 '.neighbors | join(",")')" 10.0.0.1 || return 1

	_if_dxsh -c "configure terminal" -c "interface dxt0" -c shutdown \
	    -c end || return 1
	echo "dxt0 shut down through dxsh"
	_if_down_within 2 || return 1
	never_established dx 10.0.0.1 3 || return 1
	_if_dxsh -c "configure terminal" -c "interface dxt0" \
	    -c "no shutdown" -c end || return 1
	echo "dxt0 up again through dxsh"
	wait_established dx 10.0.0.1 10 || return 1

	ip -n "$NS_PEER" link set dxt0 down || return 1
	echo "the peer's end of dxt0 down"
	_if_down_within 2 || return 1
	_if_expect "show: dxt0 state" "$(_if_json dxt0 .state)" down ||
	    return 1
	ip -n "$NS_PEER" link set dxt0 up || return 1
	echo "the peer's end of dxt0 up"
	wait_established dx 10.0.0.1 10 || return 1
	wait_established bird 10.0.0.2 10 || return 1
	dx_alive dx
}

_if_nocap_case() {
	local c=$DXT_CASE_DIR real=$DXBGPD
	command -v setpriv >/dev/null ||
	    skip_case "needs setpriv (util-linux) to drop CAP_NET_ADMIN"
	_if_veth || return 1
	cat >"$c/dxbgpd-nocap" <<EOF
#!/bin/sh
exec setpriv --inh-caps=-net_admin --bounding-set=-net_admin "$real" "\$@"
EOF
	chmod +x "$c/dxbgpd-nocap"
	A6=1 _if_links_conf >"$c/dx.conf"
	DXBGPD=$c/dxbgpd-nocap dx_start dx "$NS_DX" conf="$c/dx.conf" ||
	    return 1
	sleep 0.5
	grep "interface dxi0: cannot .*lacks CAP_NET_ADMIN" "$c/dx/log"
	_if_expect "lines about dxi0 lacking CAP_NET_ADMIN" \
	    "$(grep -c "interface dxi0: .*CAP_NET_ADMIN" "$c/dx/log")" 1 ||
	    return 1
	if _if_has_addr dxi0 "$IF_A4"; then
		echo "FAIL: $IF_A4 added without CAP_NET_ADMIN?"
		return 1
	fi
	dx_alive dx
}

dxt_init
why=$(dxt_why_not bird)
if [ -n "$why" ]; then
	for n in "links: addresses, MTU, shutdown by reload and dxsh" \
	    "VLAN link, or one clear line without 802.1Q" \
	    "a neighbor bound to a link follows it" \
	    "without CAP_NET_ADMIN: said clearly"; do
		dxt_skip "$n" "$why"
	done
	dxt_finish
fi
dxt_case "links: addresses, MTU, shutdown by reload and dxsh; only dxbgpd's addresses removed" \
    _if_links_case
dxt_case "VLAN link, or one clear line without 802.1Q and the rest goes on" \
    _if_vlan_case
if ! ls "$DXT_TMP"/case*/vlan-checked >/dev/null 2>&1; then
	dxt_skip "VLAN dxi0.5 created with 802.1Q ID 5 and its address" \
	    "kernel: no 802.1Q support (module 8021q), checked the error line instead"
fi
dxt_case "a neighbor bound to a link: down at once with it, back with it" \
    _if_bind_case
dxt_case "without CAP_NET_ADMIN: said clearly, dxbgpd runs on" \
    _if_nocap_case
dxt_finish
