#!/bin/sh
# setup.sh: installs what dxbgp needs from Debian's archive (only what is
# missing, quietly), bootstraps autotools, configures and builds into
# build/default.
#
#   scripts/setup.sh            build dependencies only
#   scripts/setup.sh --test     also the test tools (clang, libFuzzer,
#                               clang-format, iproute2, nftables)
#   scripts/setup.sh --peers    also the peer daemons used by interop
#                               tests and benchmarks (BIRD, FRR, GoBGP,
#                               OpenBGPD, ExaBGP)
set -eu
cd "$(dirname "$0")/.."

pkgs="build-essential autoconf automake libtool pkg-config libev-dev
libssl-dev libprotobuf-c-dev protobuf-c-compiler libcmocka-dev
libedit-dev"
for arg in "$@"; do
	case "$arg" in
	--test)
		pkgs="$pkgs clang libclang-rt-14-dev clang-format iproute2 jq
nftables procps psmisc python3 util-linux groff-base openssl" ;;
	--peers)
		pkgs="$pkgs bird2 frr gobgpd openbgpd exabgp" ;;
	*)
		echo "setup.sh: unknown option $arg" >&2
		exit 2 ;;
	esac
done

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "setup.sh: run as root to install:$missing" >&2
		exit 1
	fi
	echo "setup.sh: installing$missing"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $missing >/dev/null
	# Peer daemons must not run as system services: tests start their own.
	for svc in bird frr gobgpd openbgpd exabgp; do
		if systemctl is-active --quiet "$svc" 2>/dev/null; then
			systemctl stop "$svc" || true
		fi
	done
fi

if [ ! -x configure ] || [ configure.ac -nt configure ]; then
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
mkdir -p build/default
cd build/default
if [ ! -f Makefile ]; then
	../../configure --enable-werror --quiet
fi
make -j"$(nproc)" >/dev/null
echo "setup.sh: built in build/default"
