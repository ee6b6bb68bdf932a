#!/bin/bash
# session_bird.sh: dxbgpd <-> BIRD 2 sessions, each case in its own pair of
# network namespaces: IPv4 with and without TCP MD5, IPv6 transport,
# 4-octet ASNs, a wrong MD5 password, and a restart of the peer.
# The cases are dx_session_suite in lib.sh; README.md says more.
. "$(dirname "$0")/lib.sh"
dx_session_suite bird
