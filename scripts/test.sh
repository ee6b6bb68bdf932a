#!/bin/sh
# test.sh: sets everything up and runs every test dxbgp has:
#   1. the unit suites (cmocka) in a -Werror build;
#   2. the unit suites again under AddressSanitizer + UBSan (clang);
#   3. every libFuzzer target for a bounded time (FUZZ_SECONDS each);
#   4. the formatting check against .clang-format;
#   5. the interop tests, which start real peers in network namespaces
#      (INTEROP_JOBS at a time, default 2);
#   6. make distcheck (the tarball builds, passes its tests, installs and
#      uninstalls cleanly), and what make install puts where.
# Ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
passed=0
failed=0
failures=""

step() {
	name=$1
	shift
	echo "==== $name"
	if "$@"; then
		passed=$((passed + 1))
		echo "==== $name: ok"
	else
		failed=$((failed + 1))
		failures="$failures $name"
		echo "==== $name: FAILED"
	fi
}

unit() {
	make -C build/default -j"$(nproc)" check >build/unit.log 2>&1
	rc=$?
	grep -E '^(PASS|FAIL|ERROR|XFAIL|XPASS|SKIP):|^# ' build/unit.log
	[ $rc -eq 0 ] || cat build/default/tests/unit/*.log
	return $rc
}

sanitized() {
	mkdir -p build/asan
	(
		cd build/asan &&
		    { [ -f Makefile ] || ../../configure --enable-werror --quiet \
			CC=clang \
			CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
			LDFLAGS="-fsanitize=address,undefined"; } &&
		    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
			make -j"$(nproc)" check >../asan.log 2>&1
	)
	rc=$?
	grep -E '^(PASS|FAIL|ERROR):|^# ' build/asan.log
	[ $rc -eq 0 ] || cat build/asan/tests/unit/*.log
	return $rc
}

format() {
	git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror
}

# The interop scripts, two at a time (each makes its own namespaces and
# daemons), except those that time failures to the millisecond or load
# the machine with a million routes: they run alone, first. Each
# script's output is printed whole, in name order, with its time.
INTEROP_ALONE="bfd.sh bigtable.sh export_slow.sh lab.sh"
INTEROP_JOBS=${INTEROP_JOBS:-2}
interop_one() {
	b=$(basename "$1" .sh)
	t0=$(date +%s)
	DXT_STRICT=1 "$1" >"build/interop/$b.log" 2>&1
	echo $? >"build/interop/$b.rc"
	echo "$(($(date +%s) - t0))" >"build/interop/$b.time"
}
interop() {
	rc=0
	rm -rf build/interop
	mkdir -p build/interop
	shared=""
	for t in tests/interop/*.sh; do
		b=$(basename "$t")
		[ "$b" = lib.sh ] && continue
		case " $INTEROP_ALONE " in
		*" $b "*) interop_one "$t" ;;
		*) shared="$shared $t" ;;
		esac
	done
	# shellcheck disable=SC2086
	printf '%s\n' $shared |
	    xargs -P "$INTEROP_JOBS" -I{} scripts/test.sh --interop-one {}
	for t in tests/interop/*.sh; do
		b=$(basename "$t" .sh)
		[ "$b" = lib ] && continue
		echo "-- $t ($(cat "build/interop/$b.time" 2>/dev/null || echo ?) s)"
		cat "build/interop/$b.log"
		[ "$(cat "build/interop/$b.rc" 2>/dev/null)" = 0 ] || rc=1
	done
	return $rc
}

# What `make install` puts where (into a scratch DESTDIR), then distcheck.
distcheck() {
	d=$root/build/destdir
	rm -rf "$d"
	make -C build/default install DESTDIR="$d" >build/install.log 2>&1 ||
	    { tail -n 20 build/install.log; return 1; }
	rc=0
	for f in sbin/dxbgpd bin/dxsh sbin/dxprog share/man/man8/dxbgpd.8 \
	    share/man/man8/dxprog.8 etc/iproute2/rt_protos.d/dxprog.conf \
	    share/man/man5/dxbgpd.conf.5 share/man/man1/dxsh.1 \
	    share/doc/dxbgp/examples/dxbgpd.conf etc/dxbgp/dxbgpd.conf; do
		[ -e "$d/usr/local/$f" ] || { echo "not installed: $f"; rc=1; }
	done
	[ -n "$(find "$d" -name dxprog.service)" ] ||
	    { echo "not installed: dxprog.service"; rc=1; }
	unit=$(find "$d" -name dxbgpd.service)
	[ -n "$unit" ] || { echo "not installed: dxbgpd.service"; rc=1; }
	grep -q '^ExecStart=/usr/local/sbin/dxbgpd -d ' "$unit" ||
	    { echo "dxbgpd.service: wrong ExecStart"; rc=1; }
	[ "$(stat -c %a "$d/usr/local/etc/dxbgp/dxbgpd.conf")" = 600 ] ||
	    { echo "etc/dxbgp/dxbgpd.conf is not mode 600"; rc=1; }
	# an operator's config is never replaced
	echo "! mine" >"$d/usr/local/etc/dxbgp/dxbgpd.conf"
	make -C build/default install DESTDIR="$d" >>build/install.log 2>&1
	grep -q mine "$d/usr/local/etc/dxbgp/dxbgpd.conf" ||
	    { echo "make install replaced an existing dxbgpd.conf"; rc=1; }
	rm -rf "$d"
	[ $rc -eq 0 ] && echo "make install: every file in place"
	start=$(date +%s)
	make -C build/default -j"$(nproc)" distcheck >build/distcheck.log 2>&1 ||
	    { tail -n 40 build/distcheck.log; return 1; }
	grep -A3 'archives ready for distribution' build/distcheck.log
	echo "make distcheck: $(($(date +%s) - start)) s"
	return $rc
}

# One interop script, for the parallel runner above.
if [ "${1:-}" = --interop-one ]; then
	interop_one "$2"
	exit 0
fi

scripts/setup.sh --test --peers || exit 1
step unit unit
step sanitizers sanitized
step fuzz env FUZZ_SECONDS="${FUZZ_SECONDS:-30}" scripts/fuzz.sh
step format format
step interop interop
step distcheck distcheck
echo
[ -n "$failures" ] && echo "failed steps:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
