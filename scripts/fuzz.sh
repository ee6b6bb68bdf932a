#!/bin/sh
# fuzz.sh: builds the libFuzzer targets (the wire codec's decoders, the
# config reader, BFD's packets and session, the export stream's frames)
# and runs each for a bounded time.
#
#   scripts/fuzz.sh [target...]      default: every tests/fuzz/fuzz_*.c
#
# Environment:
#   FUZZ_SECONDS   run time per target (default 60)
#   FUZZ_CC        compiler (default clang; needs the libFuzzer runtime,
#                  on Debian clang and libclang-rt-14-dev)
#   FUZZ_FLAGS     extra libFuzzer flags, e.g. "-jobs=4 -workers=4"
#
# Each target is built into build/fuzz/<target> with ASan and UBSan,
# starts from a scratch corpus build/fuzz/corpus/<target>/ (the seeds of
# tests/fuzz/corpus/<target>/ plus whatever earlier runs found there),
# and writes crash inputs to build/fuzz/artifacts/<target>/ and its log
# to build/fuzz/<target>.log.  Exits non-zero if a target fails to build,
# crashes, or reports a sanitizer error.
set -eu

cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_FLAGS=${FUZZ_FLAGS:-}
OUT=build/fuzz

if [ $# -gt 0 ]; then
	targets="$*"
else
	targets=$(for f in tests/fuzz/fuzz_*.c; do basename "$f" .c; done)
fi

mkdir -p "$OUT/proto"
# The export stream's generated code (proto/dxbgp.proto), for the
# targets that include it.
protoc-c --c_out="$OUT/proto" -Iproto proto/dxbgp.proto
PROTO_SRCS="proto/frame.c $OUT/proto/dxbgp.pb-c.c"
status=0
summary=""

for t in $targets; do
	src=tests/fuzz/$t.c
	if [ ! -f "$src" ]; then
		echo "fuzz.sh: no such target: $src" >&2
		exit 2
	fi
	echo "== $t: building"
	# The codec targets need the codec; the config one the daemon.
	case $t in
	fuzz_conf)
		srcs="$(ls bgpd/*.c rib/*.c | grep -v '^bgpd/main\.c$') $PROTO_SRCS"
		libs="-lev -lprotobuf-c -lssl -lcrypto" ;;
	fuzz_frame)
		srcs=$PROTO_SRCS
		libs=-lprotobuf-c ;;
	fuzz_bfd)
		srcs=bgpd/bfd.c
		libs= ;;
	*)
		srcs=$(ls bgpd/wire_*.c)
		libs= ;;
	esac
	# shellcheck disable=SC2086
	if ! "$FUZZ_CC" -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -Wall -Wextra -Werror -Wno-unused-parameter \
	    -Iinclude -Ibgpd -Irib -I"$OUT/proto" -D_GNU_SOURCE \
	    $srcs "$src" $libs -o "$OUT/$t"; then
		summary="$summary$t: BUILD FAILED
"
		status=1
		continue
	fi

	corpus=$OUT/corpus/$t
	artifacts=$OUT/artifacts/$t
	log=$OUT/$t.log
	mkdir -p "$corpus" "$artifacts"
	if [ -d "tests/fuzz/corpus/$t" ]; then
		cp tests/fuzz/corpus/"$t"/* "$corpus"/
	fi
	# The config reader starts from every config the project has.
	if [ "$t" = fuzz_conf ]; then
		cp conf/*.conf tests/conf/golden/*.conf "$corpus"/
	fi

	echo "== $t: fuzzing for ${FUZZ_SECONDS}s (log: $log)"
	rc=0
	# shellcheck disable=SC2086
	ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
	    "./$OUT/$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
	    -print_final_stats=1 -artifact_prefix="$artifacts/" \
	    $FUZZ_FLAGS "$corpus" >"$log" 2>&1 || rc=$?

	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	stats=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
	cov=$(echo "$stats" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$stats" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	ninputs=$(find "$corpus" -type f | wc -l)
	if [ "$rc" -ne 0 ] || grep -qE \
	    'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|invariant broken' \
	    "$log"; then
		status=1
		verdict="CRASH (exit $rc)"
		echo "== $t: crashed; end of $log:"
		tail -n 40 "$log"
		for a in "$artifacts"/*; do
			[ -f "$a" ] || continue
			echo "== $t: input $a:"
			od -An -tx1 -v "$a" | tr -d ' \n' | head -c 2000
			echo
		done
	else
		verdict="ok"
	fi
	summary="$summary$t: $verdict, ${runs:-?} runs in ${FUZZ_SECONDS}s, cov ${cov:-?}, ft ${ft:-?}, corpus $ninputs
"
done

echo "== summary"
printf '%s' "$summary"
exit $status
