#!/bin/bash
# shell.sh: dxsh and the control socket, against a dxbgpd of its own.
#
# Each case starts dxbgpd in a namespace pair of lib.sh (NS_DX,
# listening on 10.0.0.2:179) with a config of passive neighbors that
# never come up, its control socket in the case directory, and the
# control group 54321 (-G, a number with no name: nobody is in it unless
# the test puts it there).  The interactive shell is driven through a
# pseudo-terminal by a small expect written in Python (pty module).
#
#   1. interactive: prompts follow the modes, `?` lists what may come
#      next with help and leaves the line, TAB completes a unique
#      prefix and lists an ambiguous one, up-arrow recalls, Ctrl-C
#      drops the line, quit; configure terminal applies each change at
#      once (a second client sees it), says why an incomplete one is
#      not applied yet, and `end` discards what was never applied.
#   2. one-shot: output and exit codes 0/1/2, stdin not a terminal.
#   3. access: socket 0660 with the group; nobody is refused (by the
#      file mode, and by the daemon's SO_PEERCRED check when the mode is
#      opened up), a member of the group (supplementary or primary) is
#      served.
#   4. garbage: NUL bytes, unknown requests, binary noise, a line over
#      4096 bytes, half a request: errors, never a crash; the daemon
#      keeps serving.
#   5. reload check / reload / write memory: a changed description,
#      password and route-map each reported as what a reload does, the
#      running config untouched until reload; a bad file refused with
#      FILE:LINE; write memory atomic, mode 0600, with FILE.bak.
#
# Needs root (namespaces, setpriv) and python3.  About 20 s.

. "$(dirname "$0")/lib.sh"

: "${DXSH:=$DXT_TOP/build/default/shell/dxsh}"
SH_GROUP=54321
SH_NOBODY=65534

# sh_start [CONF_TEXT]: dxbgpd in NS_DX with that config (default below);
# sets SH_DIR, SH_SOCK, SH_CONF. A copy of dxsh any user can run: SH_DXSH.
sh_start() {
	local i
	netns_pair || return 1
	SH_DIR=$DXT_CASE_DIR/dx
	SH_SOCK=$SH_DIR/sock
	SH_CONF=$SH_DIR/dxbgpd.conf
	mkdir -p "$SH_DIR"
	echo dxbgpd >"$SH_DIR/kind"
	echo "$NS_DX" >"$SH_DIR/ns"
	if [ $# -gt 0 ]; then
		printf '%s\n' "$1" >"$SH_CONF"
	else
		cat >"$SH_CONF" <<-EOF
		hostname dx1
		route-map IN permit 10
		 set local-preference 200
		exit
		router bgp 62610
		 bgp router-id 10.0.0.2
		 neighbor 10.0.0.1 remote-as 64512
		 neighbor 10.0.0.1 description aws
		 neighbor 10.0.0.1 passive
		 neighbor 10.0.0.3 remote-as 45090
		 neighbor 10.0.0.3 password s3cret
		 neighbor 10.0.0.3 passive
		 neighbor 10.0.0.4 remote-as 45090
		 neighbor 10.0.0.4 passive
		 address-family ipv4 unicast
		  neighbor 10.0.0.4 route-map IN in
		 exit-address-family
		exit
		EOF
	fi
	# Others reach the socket through these directories (not its file).
	chmod 711 "$DXT_TMP" "$DXT_CASE_DIR" "$SH_DIR"
	SH_DXSH=$DXT_CASE_DIR/dxsh
	cp "$DXSH" "$SH_DXSH" && chmod 755 "$SH_DXSH" || return 1
	dxt_spawn "$SH_DIR" "$NS_DX" "$DXBGPD" -d -f "$SH_CONF" -S "$SH_SOCK" \
	    -p 179 -l 10.0.0.2 -G "$SH_GROUP"
	for ((i = 0; i < 50; i++)); do
		if ! dxt_alive_pidfile "$SH_DIR/pid"; then
			echo "dxbgpd exited while starting; config:"
			sed 's/^/    | /' "$SH_CONF"
			return 1
		fi
		[ -S "$SH_SOCK" ] && "$SH_DXSH" -S "$SH_SOCK" \
		    -c "show bgp summary" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "dxbgpd's control socket did not answer within 5 s"
	return 1
}

sh_alive() {
	if ! dxt_alive_pidfile "$SH_DIR/pid"; then
		echo "dxbgpd is no longer running"
		return 1
	fi
}

# dxsh ARGS...: one-shot dxsh on the case's daemon.
dxsh() {
	"$SH_DXSH" -S "$SH_SOCK" "$@"
}

# expect_rc WANT DESCRIPTION CMD...: CMD's exit status is WANT; its
# output is in $OUT.
expect_rc() {
	local want=$1 what=$2 rc
	shift 2
	OUT=$("$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "$what: exit status $rc, expected $want; output:"
		echo "$OUT" | sed 's/^/    | /'
		return 1
	fi
}

# has TEXT PATTERN DESCRIPTION: grep -E PATTERN in TEXT, or say so.
has() {
	if ! grep -qE -- "$2" <<<"$1"; then
		echo "$3: no line matches /$2/ in:"
		echo "$1" | sed 's/^/    | /'
		return 1
	fi
}

hasnt() {
	if grep -qE -- "$2" <<<"$1"; then
		echo "$3: a line matches /$2/ in:"
		echo "$1" | sed 's/^/    | /'
		return 1
	fi
}

# ------------------------------------------------------------ dxsh on a pty

# The start of each Python script below that drives dxsh on a pty.
_sh_pty_py() {
	cat <<-'EOF'
	import os, pty, re, select, subprocess, sys, termios, time
	ICANON = termios.ICANON

	def raw(fd, timeout=5):
	    """Waits until dxsh's line editor has the terminal in raw mode.
	    libedit prints the prompt before it leaves canonical mode, and a
	    Ctrl-D typed in that window is taken by the terminal as end of
	    line, never reaching dxsh."""
	    end = time.time() + timeout
	    while termios.tcgetattr(fd)[3] & ICANON:
	        if time.time() > end:
	            print("FAIL: the terminal never left canonical mode")
	            sys.exit(1)
	        time.sleep(0.005)

	def reap(pid, timeout=10):
	    """Waits for dxsh to exit; kills it and fails after timeout."""
	    end = time.time() + timeout
	    while True:
	        p, status = os.waitpid(pid, os.WNOHANG)
	        if p:
	            return status
	        if time.time() > end:
	            os.kill(pid, 9)
	            os.waitpid(pid, 0)
	            print("FAIL: dxsh still running %ds after the last key" %
	                  timeout)
	            sys.exit(1)
	        time.sleep(0.02)
	EOF
}

# ------------------------------------------------------------ interactive

_sh_interactive() {
	sh_start || return 1
	{ _sh_pty_py; cat; } <<-'EOF' | python3 - "$SH_DXSH" "$SH_SOCK" || return 1
	dxsh, sock = sys.argv[1], sys.argv[2]
	pid, fd = pty.fork()
	if pid == 0:
	    os.environ["TERM"] = "dumb"
	    os.environ["HOME"] = "/nonexistent"   # no ~/.editrc
	    os.execv(dxsh, [dxsh, "-S", sock])
	buf = ""
	ansi = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x07")

	def fail(msg):
	    print("FAIL:", msg)
	    print("screen so far:", repr(buf[-1500:]))
	    sys.exit(1)

	def expect(pat, timeout=5):
	    """Waits for pat (a regex) in the output; consumes up to it."""
	    global buf
	    end = time.time() + timeout
	    while True:
	        clean = ansi.sub("", buf)
	        m = re.search(pat, clean)
	        if m:
	            buf = clean[m.end():]
	            return m
	        if time.time() > end:
	            fail("timed out waiting for %r" % pat)
	        r, _, _ = select.select([fd], [], [], 0.1)
	        if r:
	            try:
	                buf += os.read(fd, 65536).decode(errors="replace")
	            except OSError:
	                fail("dxsh closed the terminal waiting for %r" % pat)

	def send(s):
	    raw(fd)
	    os.write(fd, s.encode())

	def other(*cmds):
	    """A second client, one-shot."""
	    args = [dxsh, "-S", sock]
	    for c in cmds:
	        args += ["-c", c]
	    return subprocess.run(args, capture_output=True, text=True).stdout

	print("prompt from the running config's hostname")
	expect(r"dx1# $")
	print("? at the start lists the exec commands with help")
	send("?")
	m = expect(r"\n(?s:(.*?))dx1# $")
	for want in (r"configure\s+Enter configuration mode",
	             r"show\s+Show running state", r"reload\s+Read the config"):
	    if not re.search(want, m.group(1)):
	        fail("? output lacks %r" % want)
	print("TAB completes unique prefixes: conf<TAB> t<TAB>")
	send("conf\t")
	expect(r"configure $")
	send("t\t")
	expect(r"configure terminal $")
	send("\r")
	expect(r"dx1\(config\)# $")
	send("router bgp 62610\r")
	expect(r"dx1\(config-router\)# $")
	print("? after words: what may follow, the line kept")
	send("neighbor 10.0.0.1 ?")
	m = expect(r"\n(?s:(.*?))dx1\(config-router\)# neighbor 10\.0\.0\.1 $")
	for want in (r"description\s+Describe the neighbor",
	             r"password\s+Protect the session with TCP MD5"):
	    if not re.search(want, m.group(1)):
	        fail("? output lacks %r" % want)
	send("des\t")
	expect(r"neighbor 10\.0\.0\.1 description $")
	send("from-the-shell\r")
	expect(r"dx1\(config-router\)# $")
	print("the change is in force at once: a second client sees it")
	out = other("show running-config")
	if "neighbor 10.0.0.1 description from-the-shell" not in out:
	    fail("second client's running config lacks it:\n" + out)
	print("an incomplete neighbor is not applied yet, then completed")
	send("neighbor 10.0.0.7 description half\r")
	expect(r"not applied yet: neighbor 10\.0\.0\.7 has no remote-as")
	expect(r"dx1\(config-router\)# $")
	if "10.0.0.7" in other("show running-config"):
	    fail("an incomplete candidate was applied")
	send("neighbor 10.0.0.7 remote-as 65007\r")
	expect(r"dx1\(config-router\)# $")
	out = other("show running-config")
	if "neighbor 10.0.0.7 remote-as 65007" not in out or \
	        "neighbor 10.0.0.7 description half" not in out:
	    fail("the completed candidate is not in force:\n" + out)
	print("a failed command: an error, the mode and config unchanged")
	send("neighbor 10.0.0.1 timers 10 2\r")
	expect(r"% .*hold time")
	expect(r"dx1\(config-router\)# $")
	print("modes: address-family, route-map, exit, end")
	send("address-family ipv4 unicast\r")
	expect(r"dx1\(config-router-af\)# $")
	send("exit\r")
	expect(r"dx1\(config-router\)# $")
	send("route-map OUT permit 10\r")
	expect(r"dx1\(config-route-map\)# $")
	send("end\r")
	expect(r"dx1# $")
	print("TAB on an ambiguous prefix: the common part, then the list")
	send("show bgp i\t")
	expect(r"show bgp ipv$")
	send("\t")
	m = expect(r"\n(?s:(.*?))dx1# show bgp ipv$")
	if not re.search(r"ipv4", m.group(1)) or not re.search(r"ipv6", m.group(1)):
	    fail("TAB list lacks ipv4/ipv6: %r" % m.group(1))
	print("Ctrl-C drops the line")
	send("\x03")
	expect(r"\^C\r?\n.*dx1# $")
	send("show running-config\r")
	m = expect(r"(?s)! running configuration(.*?)dx1# $")
	if "description from-the-shell" not in m.group(1):
	    fail("running config lacks the change: %r" % m.group(1))
	print("up-arrow recalls the last command")
	send("\x1b[A")
	expect(r"dx1# show running-config$")
	send("\r")
	expect(r"(?s)! running configuration.*?dx1# $")
	print("end with changes never applied discards them, with an error")
	send("configure terminal\r")
	expect(r"dx1\(config\)# $")
	send("router bgp 62610\r")
	expect(r"dx1\(config-router\)# $")
	send("neighbor 10.0.0.8 description never\r")
	expect(r"not applied yet")
	send("end\r")
	expect(r"discarded")
	expect(r"dx1# $")
	if "10.0.0.8" in other("show running-config"):
	    fail("discarded changes are in force")
	print("a new hostname shows in the prompt")
	send("configure terminal\r")
	expect(r"dx1\(config\)# $")
	send("hostname edge2\r")
	expect(r"edge2\(config\)# $")
	send("end\r")
	expect(r"edge2# $")
	print("quit ends dxsh with status 0")
	send("quit\r")
	try:
	    status = reap(pid)
	except ChildProcessError:
	    fail("dxsh vanished")
	if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
	    fail("dxsh exit status %r" % status)
	print("ok")
	EOF
	sh_alive
}

# ------------------------------------------------------------ history file

_sh_history() {
	local hist=$DXT_CASE_DIR/hist mode
	sh_start || return 1
	local -x DXSH_HISTFILE=$hist
	{ _sh_pty_py; cat; } <<-'EOF' | python3 - "$SH_DXSH" "$SH_SOCK" || return 1
	dxsh, sock = sys.argv[1], sys.argv[2]
	ansi = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x07")

	def session(keys, want):
	    pid, fd = pty.fork()
	    if pid == 0:
	        os.environ["TERM"] = "dumb"
	        os.execv(dxsh, [dxsh, "-S", sock])
	    buf, end, i = "", time.time() + 10, 0
	    while i < len(want):
	        if time.time() > end:
	            print("FAIL: waiting for %r, screen %r" % (want[i], buf[-800:]))
	            sys.exit(1)
	        r, _, _ = select.select([fd], [], [], 0.1)
	        if r:
	            try:
	                buf += os.read(fd, 65536).decode(errors="replace")
	            except OSError:
	                break
	        clean = ansi.sub("", buf)
	        m = re.search(want[i], clean)
	        if m:
	            buf = clean[m.end():]
	            if keys[i]:
	                raw(fd)
	                os.write(fd, keys[i].encode())
	            i += 1
	    reap(pid)

	print("one session: a command, then one naming a password")
	session(["show bgp summary\r", "show ip prefix-list password-x\r",
	         "\x04", None],
	        [r"dx1# $", r"dx1# $", r"dx1# $", r"$"])
	print("the next session recalls the first with the up arrow")
	session(["\x1b[A", "\r", "\x04", None],
	        [r"dx1# $", r"dx1# show bgp summary$", r"Neighbor.*\n(?s:.*)dx1# $",
	         r"$"])
	print("ok")
	EOF
	mode=$(stat -c %a "$hist") || return 1
	echo "history file mode $mode; holds:"
	sed 's/^/    | /' "$hist"
	[ "$mode" = 600 ] || return 1
	grep -q 'show.040bgp.040summary' "$hist" || return 1
	if grep -q password "$hist"; then
		echo "a line naming a password was written to the history"
		return 1
	fi
	sh_alive
}

# ------------------------------------------------------------ one-shot

_sh_oneshot() {
	sh_start || return 1
	expect_rc 0 "show bgp summary" dxsh -c "show bgp summary" || return 1
	has "$OUT" "10\.0\.0\.1" "show bgp summary" || return 1
	expect_rc 1 "an unknown command" dxsh -c "show bgp nonsense" ||
	    return 1
	has "$OUT" "^% unknown command" "unknown command" || return 1
	# A failed command does not stop the ones after it.
	expect_rc 1 "a failed command among others" \
	    dxsh -c "show running-config" -c "bogus" -c "show bgp summary" ||
	    return 1
	has "$OUT" "^! running configuration" "first command" || return 1
	has "$OUT" "^% unknown command 'bogus'" "second command" || return 1
	has "$OUT" "10\.0\.0\.3" "third command" || return 1
	expect_rc 2 "no daemon" "$SH_DXSH" -S "$DXT_CASE_DIR/nothing" \
	    -c "show bgp summary" || return 1
	has "$OUT" "cannot reach dxbgpd" "no daemon" || return 1
	expect_rc 2 "a bad option" dxsh -x || return 1
	# configure terminal, one command at a time.
	expect_rc 0 "configure in one-shot mode" dxsh -c "configure terminal" \
	    -c "router bgp 62610" -c "neighbor 10.0.0.1 description one-shot" \
	    -c "end" || return 1
	expect_rc 0 "show running-config" dxsh -c "show running-config" ||
	    return 1
	has "$OUT" "neighbor 10\.0\.0\.1 description one-shot" \
	    "running config after configure" || return 1
	expect_rc 1 "end with changes not applied" dxsh -c "conf t" \
	    -c "router bgp 62610" -c "neighbor 10.0.0.9 description x" \
	    -c "end" || return 1
	has "$OUT" "discarded" "end with changes not applied" || return 1
	expect_rc 0 "show running-config" dxsh -c "show running-config" ||
	    return 1
	hasnt "$OUT" "10\.0\.0\.9" "discarded changes" || return 1
	# Not a terminal: lines from stdin, status 1 if one failed.
	OUT=$(printf 'show running-config\nbogus\n' | dxsh 2>&1)
	if [ $? != 1 ]; then
		echo "stdin with a bad command: status not 1"
		return 1
	fi
	has "$OUT" "^! running configuration" "stdin" || return 1
	OUT=$(printf 'show bgp summary\n\nshow running-config\n' | dxsh 2>&1)
	if [ $? != 0 ]; then
		echo "stdin with good commands: status not 0: $OUT"
		return 1
	fi
	sh_alive
}

# ------------------------------------------------------------ access

# as_user SETPRIV_ARGS... -- DXSH_ARGS...: dxsh as another user.
as_user() {
	local -a sp=()
	while [ "$1" != -- ]; do
		sp+=("$1")
		shift
	done
	shift
	setpriv "${sp[@]}" "$SH_DXSH" -S "$SH_SOCK" "$@"
}

_sh_access() {
	local m
	command -v setpriv >/dev/null || skip_case "setpriv not installed"
	sh_start || return 1
	m=$(stat -c '%a %g' "$SH_SOCK")
	if [ "$m" != "660 $SH_GROUP" ]; then
		echo "socket mode and group: $m, expected 660 $SH_GROUP"
		return 1
	fi
	expect_rc 2 "nobody, not in the group" as_user \
	    --reuid=$SH_NOBODY --regid=$SH_NOBODY --clear-groups -- \
	    -c "show bgp summary" || return 1
	has "$OUT" "Permission denied" "nobody" || return 1
	expect_rc 0 "nobody with the group as a supplementary group" as_user \
	    --reuid=$SH_NOBODY --regid=$SH_NOBODY --groups=$SH_GROUP -- \
	    -c "show bgp summary" || return 1
	has "$OUT" "10\.0\.0\.1" "group member" || return 1
	expect_rc 0 "nobody with the group as its primary group" as_user \
	    --reuid=$SH_NOBODY --regid=$SH_GROUP --clear-groups -- \
	    -c "show bgp summary" || return 1
	# Opened up by mistake: the daemon's own check still refuses.
	chmod 666 "$SH_SOCK"
	expect_rc 2 "nobody, socket mode 0666" as_user \
	    --reuid=$SH_NOBODY --regid=$SH_NOBODY --clear-groups -- \
	    -c "show bgp summary" || return 1
	has "$OUT" "access denied: uid $SH_NOBODY" "refused by SO_PEERCRED" ||
	    return 1
	if ! grep -q "control connection from uid $SH_NOBODY .*refused" \
	    "$SH_DIR/log"; then
		echo "no log line for the refusal"
		return 1
	fi
	# Interactive too: refused before any prompt.
	OUT=$(as_user --reuid=$SH_NOBODY --regid=$SH_NOBODY --clear-groups -- \
	    </dev/null 2>&1)
	if [ $? != 2 ]; then
		echo "nobody without -c: status not 2: $OUT"
		return 1
	fi
	chmod 660 "$SH_SOCK"
	expect_rc 0 "root still served" dxsh -c "show bgp summary" || return 1
	sh_alive
}

# ------------------------------------------------------------ garbage

_sh_garbage() {
	sh_start || return 1
	python3 - "$SH_SOCK" <<-'EOF' || return 1
	import os, socket, sys
	path = sys.argv[1]

	def conn():
	    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	    s.connect(path)
	    s.settimeout(5)
	    return s

	def answer(s):
	    """One answer: (output, status byte)."""
	    data = b""
	    while b"\0" not in data or data.index(b"\0") == len(data) - 1:
	        chunk = s.recv(65536)
	        if not chunk:
	            raise SystemExit("FAIL: connection closed mid-answer: %r"
	                             % data)
	        data += chunk
	    i = data.index(b"\0")
	    return data[:i].decode(errors="replace"), chr(data[i + 1])

	def ask(s, req):
	    s.sendall(req)
	    return answer(s)

	s = conn()
	out, st = ask(s, b"show bgp\0summary\n")
	assert st == "1" and "NUL" in out, (out, st)
	out, st = ask(s, b"\x01z\n")
	assert st == "1" and "unknown request" in out, (out, st)
	out, st = ask(s, b"\x01p\n")
	assert st == "0" and out.endswith("# "), (out, st)
	out, st = ask(s, b"\x01?show bgp nei\n")
	assert st == "0" and "k\tneighbors\t" in out, (out, st)
	out, st = ask(s, b"\x01?frobnicate the \n")
	assert st == "1", (out, st)
	out, st = ask(s, bytes(range(1, 256)).replace(b"\n", b"") + b"\n")
	assert st == "1", (out, st)
	out, st = ask(s, b"\xff\xfe\x80garbage \x1b[A\r\n")
	assert st == "1", (out, st)
	# Still a working session after all that.
	out, st = ask(s, b"show bgp summary\n")
	assert st == "0" and "10.0.0.1" in out, (out, st)
	s.close()

	# A line over 4096 bytes: an error, then the connection closes.
	s = conn()
	s.sendall(b"x" * 10000)
	out, st = answer(s)
	assert st == "1" and "too long" in out, (out, st)
	try:
	    rest = s.recv(100)
	except ConnectionResetError:
	    rest = b""
	assert rest == b"", rest
	s.close()

	# Half a request, then gone; many clients at once.
	s = conn()
	s.sendall(b"show bgp sum")
	s.close()
	many = [conn() for _ in range(50)]
	for c in many:
	    c.sendall(b"\x01p\n")
	for c in many:
	    out, st = answer(c)
	    assert st == "0", (out, st)
	    c.close()
	print("ok")
	EOF
	expect_rc 0 "served after the garbage" dxsh -c "show bgp summary" ||
	    return 1
	sh_alive
}

# ------------------------------------------------------------ reload

_sh_reload() {
	local before
	sh_start || return 1
	cp "$SH_CONF" "$DXT_CASE_DIR/orig.conf"
	# A description, a password and what a route-map does.
	sed -i -e 's/description aws$/description aws-dx-hk/' \
	    -e 's/password s3cret/password n3w-s3cret/' \
	    -e 's/set local-preference 200/set local-preference 300/' \
	    "$SH_CONF"
	expect_rc 0 "reload check" dxsh -c "reload check" || return 1
	has "$OUT" "^neighbor 10\.0\.0\.1: changed without reset \(description\)$" \
	    "description" || return 1
	has "$OUT" "^neighbor 10\.0\.0\.3: reset \(password\)$" "password" ||
	    return 1
	has "$OUT" "^neighbor 10\.0\.0\.4: policy re-applied: in \(route refresh\)$" \
	    "route-map" || return 1
	hasnt "$OUT" "n3w-s3cret|s3cret" "reload check shows no password" ||
	    return 1
	# Nothing changed yet.
	expect_rc 0 "show running-config" dxsh -c "show running-config" ||
	    return 1
	has "$OUT" "description aws$" "running config after reload check" ||
	    return 1
	# A bad file: FILE:LINE, refused, nothing changed.
	cp "$SH_CONF" "$DXT_CASE_DIR/good.conf"
	printf 'router bgp 62610\n neighbor 10.0.0.1 remote-az 1\n' >>"$SH_CONF"
	expect_rc 1 "reload check of a bad file" dxsh -c "reload check" ||
	    return 1
	has "$OUT" "^$SH_CONF:[0-9]+: " "reload check errors" || return 1
	expect_rc 1 "reload of a bad file" dxsh -c "reload" || return 1
	has "$OUT" "^$SH_CONF:[0-9]+: " "reload errors" || return 1
	has "$OUT" "running configuration is unchanged" "reload refused" ||
	    return 1
	expect_rc 0 "show running-config" dxsh -c "show running-config" ||
	    return 1
	has "$OUT" "description aws$" "after a refused reload" || return 1
	# The good one: in force.
	cp "$DXT_CASE_DIR/good.conf" "$SH_CONF"
	expect_rc 0 "reload" dxsh -c "reload" || return 1
	has "$OUT" "^neighbor 10\.0\.0\.3: reset \(password\)$" "reload" ||
	    return 1
	expect_rc 0 "show running-config" dxsh -c "show running-config" ||
	    return 1
	has "$OUT" "description aws-dx-hk$" "after reload" || return 1
	has "$OUT" "set local-preference 300" "after reload" || return 1
	expect_rc 0 "reload check after reload" dxsh -c "reload check" ||
	    return 1
	hasnt "$OUT" "^neighbor .*: [^u]" "nothing left to do" || return 1
	# write memory: the running config, atomically, 0600, FILE.bak.
	before=$(cat "$SH_CONF")
	expect_rc 0 "configure" dxsh -c "configure terminal" \
	    -c "router bgp 62610" -c "neighbor 10.0.0.1 description saved" ||
	    return 1
	expect_rc 0 "write memory" dxsh -c "write memory" || return 1
	if [ "$(stat -c %a "$SH_CONF")" != 600 ]; then
		echo "written file mode $(stat -c %a "$SH_CONF"), expected 600"
		return 1
	fi
	if [ "$(cat "$SH_CONF.bak")" != "$before" ]; then
		echo "$SH_CONF.bak is not the previous file"
		return 1
	fi
	OUT=$(dxsh -c "show running-config" | sed 1d)
	if [ "$OUT" != "$(cat "$SH_CONF")" ]; then
		echo "written file differs from the running config:"
		diff <(echo "$OUT") "$SH_CONF" | sed 's/^/    | /'
		return 1
	fi
	if ls "$SH_DIR" | grep -q "dxbgpd\.conf\.[A-Za-z0-9]\{6\}$"; then
		echo "a temporary file was left: $(ls "$SH_DIR")"
		return 1
	fi
	expect_rc 0 "dxbgpd -n on the written file" \
	    "$DXBGPD" -n -f "$SH_CONF" || return 1
	expect_rc 0 "reload check of the written file" dxsh -c "reload check" ||
	    return 1
	hasnt "$OUT" "^neighbor .*: [^u]" "written file = running" || return 1
	sh_alive
}

dxt_init
cases=(
    "interactive dxsh: prompts, ?, TAB, history, Ctrl-C, configure terminal"
    "one-shot dxsh: output and exit status"
    "control socket: 0660, group, SO_PEERCRED refusal"
    "control socket survives garbage and oversized requests"
    "reload check, reload and write memory"
    "history kept in a 0600 file across sessions, without password lines"
)
why=
if ! why=$(dxt_need_root); then
	:
elif ! dx_available; then
	why="dxbgpd not built: $DXBGPD"
elif [ ! -x "$DXSH" ]; then
	why="dxsh not built: $DXSH"
elif ! command -v python3 >/dev/null; then
	why="python3 not installed (scripts/setup.sh --test)"
fi
if [ -n "$why" ]; then
	for c in "${cases[@]}"; do
		dxt_skip "$c" "$why"
	done
	dxt_finish
fi
dxt_case "${cases[0]}" _sh_interactive
dxt_case "${cases[1]}" _sh_oneshot
dxt_case "${cases[2]}" _sh_access
dxt_case "${cases[3]}" _sh_garbage
dxt_case "${cases[4]}" _sh_reload
dxt_case "${cases[5]}" _sh_history
dxt_finish
