#!/bin/sh
# test.sh: sets everything up and runs every test dxbgp has:
#   1. the unit suites (cmocka) in a -Werror build;
#   2. the unit suites again under AddressSanitizer + UBSan (clang);
#   3. every libFuzzer target for a bounded time (FUZZ_SECONDS each);
#   4. the formatting check against .clang-format;
#   5. the interop tests, which start real peers in network namespaces.
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

interop() {
	rc=0
	for t in tests/interop/harness_selftest.sh tests/interop/session_*.sh \
	    tests/interop/routes.sh; do
		echo "-- $t"
		DXT_STRICT=1 "$t" || rc=1
	done
	return $rc
}

scripts/setup.sh --test --peers || exit 1
step unit unit
step sanitizers sanitized
step fuzz scripts/fuzz.sh
step format format
step interop interop
echo
[ -n "$failures" ] && echo "failed steps:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
