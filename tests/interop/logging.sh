#!/bin/bash
# logging.sh: what dxbgpd logs, where, and what it never shows.
#
# Two dxbgpd, one in each namespace of netns_pair (10.0.0.2 "dx" and
# 10.0.0.1 "px"), peer with TCP MD5.  dx has `log file` in its config.
#   1. The log file gets the very lines dx prints on standard error
#      (-d); `debug bgp neighbor 10.0.0.1` from dxsh adds debug lines
#      about that neighbor (state changes, messages sent and received),
#      `show debugging` lists it, and `no debug all` stops them.
#   2. The password is in the config and in `show running-config`, but
#      in no log line (file, standard error, after a reload refused for
#      a typo on a password line too) and in the output of no other
#      show command, text or JSON.
#   3. A reload with another `log file` path moves the log there.
. "$(dirname "$0")/lib.sh"

SECRET=Zq7-log-test-Md5Key-9xW

# _lg_conf FILE ASN PEER PEER_AS LOGFILE: a dxbgpd config.
_lg_conf() {
	{
		echo "hostname lg"
		[ -n "$5" ] && echo "log file $5"
		echo "router bgp $2"
		echo " no bgp ebgp-requires-policy"
		echo " neighbor $3 remote-as $4"
		echo " neighbor $3 password $SECRET"
		echo " neighbor $3 timers 3 9"
		echo " neighbor $3 timers connect 1"
	} >"$1"
}

_lg_sh() {
	local sh
	sh=$(_dxbgpd_sh) || { echo "dxsh not built"; return 1; }
	timeout 5 "$sh" -S "$DXT_CASE_DIR/dx/sock" "$@"
}

# Messages of a log without their timestamps, start lines dropped.
_lg_lines() {
	grep -v '^---- ' "$1" | sed 's/^[0-9-]* [0-9:.]* //'
}

_lg_up() {
	netns_pair || return 1
	mkdir -p "$DXT_CASE_DIR/cf"
	LOGF=$DXT_CASE_DIR/cf/dx.log
	_lg_conf "$DXT_CASE_DIR/cf/dx.conf" 65010 "$PEER4" 65020 "$LOGF"
	_lg_conf "$DXT_CASE_DIR/cf/px.conf" 65020 "$DX4" 65010 ""
	dx_start dx "$NS_DX" conf="$DXT_CASE_DIR/cf/dx.conf" || return 1
	dx_start px "$NS_PEER" conf="$DXT_CASE_DIR/cf/px.conf" || return 1
	wait_established dx "$PEER4" || return 1
}

case_debug() {
	local out n1 n2
	_lg_up || return 1
	out=$(_lg_sh -c "show debugging") || return 1
	echo "$out" | grep -q none || { echo "show debugging: $out"; return 1; }
	_lg_sh -c "debug bgp neighbor $PEER4" || return 1
	out=$(_lg_sh -c "show debugging")
	echo "$out" | grep -q "BGP neighbor $PEER4 debugging is on" ||
	    { echo "show debugging: $out"; return 1; }
	# keepalives every 3 s; a reset of px gives state changes and OPENs
	sleep 4
	peer_restart px || return 1
	wait_established dx "$PEER4" || return 1
	sleep 1
	for want in "debug: neighbor $PEER4: sent KEEPALIVE (19 bytes)" \
	    "debug: neighbor $PEER4: received KEEPALIVE (19 bytes)" \
	    "debug: neighbor $PEER4: received OPEN" \
	    "neighbor $PEER4: OpenConfirm -> Established"; do
		grep -qF "$want" "$LOGF" ||
		    { echo "log file has no \"$want\""; return 1; }
	done
	_lg_sh -c "no debug all" || return 1
	sleep 0.5
	n1=$(grep -c 'debug:' "$LOGF")
	sleep 4
	n2=$(grep -c 'debug:' "$LOGF")
	[ "$n1" = "$n2" ] ||
	    { echo "debug lines after no debug all: $n1 -> $n2"; return 1; }
	# the file has exactly the lines of standard error (-d)
	if ! diff <(_lg_lines "$DXT_CASE_DIR/dx/log") <(_lg_lines "$LOGF"); then
		echo "log file and standard error differ (above)"
		return 1
	fi
	echo "log file: $(wc -l <"$LOGF") lines, as on standard error"
}

case_password() {
	local c out all=""
	_lg_up || return 1
	_lg_sh -c "debug bgp neighbor $PEER4" -c "debug bgp updates" ||
	    return 1
	out=$(_lg_sh -c "show running-config")
	echo "$out" | grep -qF "$SECRET" ||
	    { echo "show running-config lacks the password"; return 1; }
	# a reload refused: a typo on the password line
	sed "s/ password / passwrd /" "$DXT_CASE_DIR/cf/dx.conf" \
	    >"$DXT_CASE_DIR/dx/conf"
	dxt_alive_pidfile "$DXT_CASE_DIR/dx/pid" || return 1
	kill -HUP "$(cut -d' ' -f1 "$DXT_CASE_DIR/dx/pid")"
	sleep 1
	grep -q "reload refused" "$LOGF" ||
	    { echo "no 'reload refused' in the log"; return 1; }
	peer_restart px || return 1
	wait_established dx "$PEER4" || return 1
	for c in "show bgp summary" "show bgp summary json" \
	    "show bgp neighbors" "show bgp neighbors json" \
	    "show bgp neighbors $PEER4" "show bgp neighbors $PEER4 json" \
	    "show bgp neighbors $PEER4 received-routes" \
	    "show bgp neighbors $PEER4 advertised-routes json" \
	    "show bgp ipv4 unicast" "show bgp ipv4 unicast json" \
	    "show bgp ipv6 unicast json" "show bgp memory json" \
	    "show ip prefix-list" "show route-map json" "show debugging"; do
		out=$(_lg_sh -c "$c" 2>&1)
		all="$all$out"
		if printf '%s' "$out" | grep -qF "$SECRET"; then
			echo "'$c' shows the password"
			return 1
		fi
	done
	[ -n "$all" ] || { echo "the show commands printed nothing"; return 1; }
	# a reload that changes the password: the session is reset, logged
	sed "s/ password $SECRET/ password $SECRET-2/" \
	    "$DXT_CASE_DIR/cf/dx.conf" >"$DXT_CASE_DIR/dx/conf"
	kill -HUP "$(cut -d' ' -f1 "$DXT_CASE_DIR/dx/pid")"
	sleep 1
	grep -q "configuration reloaded" "$LOGF" ||
	    { echo "no 'configuration reloaded' in the log"; return 1; }
	_lg_sh -c "show running-config" | grep -qF "$SECRET-2" ||
	    { echo "the new password is not in force"; return 1; }
	grep -q "neighbor $PEER4" "$LOGF" ||
	    { echo "the log says nothing about the neighbor"; return 1; }
	for f in "$LOGF" "$DXT_CASE_DIR/dx/log" "$DXT_CASE_DIR/px/log"; do
		if grep -F "$SECRET" "$f"; then
			echo "$f holds the password (above)"
			return 1
		fi
	done
	echo "password only in the config and show running-config"
}

case_reload() {
	local new
	_lg_up || return 1
	new=$DXT_CASE_DIR/cf/dx2.log
	_lg_conf "$DXT_CASE_DIR/dx/conf" 65010 "$PEER4" 65020 "$new"
	kill -HUP "$(cut -d' ' -f1 "$DXT_CASE_DIR/dx/pid")"
	sleep 1
	grep -q "configuration reloaded" "$new" ||
	    { echo "no 'configuration reloaded' in $new"; return 1; }
	grep -q "configuration reloaded" "$LOGF" &&
	    { echo "still logging to $LOGF"; return 1; }
	return 0
}

dxt_init
cases=("log file has the lines of -d; debug bgp neighbor on and off"
    "the MD5 password is in no log line and no show output but running-config"
    "a reload moves the log file")
why=""
if ! why=$(dxt_need_root); then
	:
elif ! dx_available; then
	why="dxbgpd not built: $DXBGPD"
elif ! _dxbgpd_sh >/dev/null; then
	why="dxsh not built"
fi
if [ -n "$why" ]; then
	for c in "${cases[@]}"; do
		dxt_skip "$c" "$why"
	done
	dxt_finish
fi
dxt_case "${cases[0]}" case_debug
dxt_case "${cases[1]}" case_password
dxt_case "${cases[2]}" case_reload
dxt_finish
