#!/bin/sh
# check_man.sh: the manual pages that are generated from the command
# table (make check runs it from the build directory).
#
#   1. every file that registers a command table (calls cmd_register)
#      has its register function called by doc/gen_cmdref.c, so no
#      table can be left out of the pages;
#   2. every command that gen_cmdref lists (every row of every table,
#      and cmd.c's built-in commands) is in the page for its mode, with
#      its keywords in order: dxsh.1 for exec mode, dxbgpd.conf.5 for
#      the others;
#   3. groff renders each page (dxbgpd.8 and dxprog.8 too) without a
#      single warning.
# Prints one line per check and "N passed, N failed".
set -u
srcdir=${srcdir:-.}
gen=doc/gen_cmdref
passed=0
failed=0

ok() {
	passed=$((passed + 1))
	echo "ok - $1"
}

not_ok() {
	failed=$((failed + 1))
	echo "not ok - $1"
}

if ! command -v groff >/dev/null 2>&1; then
	echo "skip - groff is not installed (apt-get install groff-base)"
	exit 77
fi
[ -x "$gen" ] || { echo "not ok - $gen is not built"; exit 1; }

# 1. register functions
missing=""
for f in "$srcdir"/bgpd/*.c "$srcdir"/shell/*.c; do
	[ -f "$f" ] || continue
	grep -q 'cmd_register(' "$f" || continue
	case "$f" in */cmd.c) continue ;; esac
	for fn in $(sed -n 's/^\([a-z_]*_register\)(void)$/\1/p' "$f"); do
		grep -q "^	$fn();" "$srcdir/doc/gen_cmdref.c" ||
		    missing="$missing $fn"
	done
done
if [ -z "$missing" ]; then
	ok "gen_cmdref registers every command table"
else
	not_ok "gen_cmdref does not call:$missing"
fi

# The keywords of a syntax, in order: "neighbor <A:ADDR> remote-as <N:ASN>"
# gives "neighbor remote-as".
keywords() {
	printf '%s\n' "$1" | sed -e 's/<[^>]*>//g' -e 's/[][{}|]/ /g' |
	    tr -s ' ' '\n' | grep -v '^$' | tr '\n' ' ' | sed 's/ $//'
}

# The keywords of each .It line of a page's reference, one line each.
page_keywords() {
	sed -n '/^\.Ss /,$p' "$1" | grep '^\.It .*Cm' |
	    sed -e 's/^\.It//' -e 's/Oo Cm no Oc//' -e 's/^ *Cm no / /' |
	    awk '{ s = ""; for (i = 1; i < NF; i++) if ($i == "Cm") {
		w = $(i + 1); sub(/^\\&/, "", w); s = s (s == "" ? "" : " ") w }
		print s }'
}

# 2. every command in its page
for set in exec config; do
	case $set in
	exec) page=doc/dxsh.1 ;;
	config) page=doc/dxbgpd.conf.5 ;;
	esac
	list=$("$gen" -l $set) || { not_ok "$gen -l $set failed"; continue; }
	n=$(printf '%s\n' "$list" | grep -c .)
	have=$(page_keywords "$page")
	absent=""
	while IFS='	' read -r mode syntax; do
		kw=$(keywords "${syntax#no }")
		printf '%s\n' "$have" | grep -qxF "$kw" ||
		    absent="$absent
    $mode: $syntax"
	done <<EOF
$list
EOF
	if [ "$n" -gt 0 ] && [ -z "$absent" ]; then
		ok "$page lists the $n commands of $set mode(s)"
	else
		not_ok "$page misses commands:$absent"
	fi
done

# 3. groff, every warning on
for page in doc/dxsh.1 doc/dxbgpd.conf.5 "$srcdir/doc/dxbgpd.8" \
    "$srcdir/doc/dxprog.8"; do
	warn=$(groff -mandoc -ww -z "$page" 2>&1)
	if [ -z "$warn" ]; then
		ok "groff renders $(basename "$page") without warnings"
	else
		not_ok "groff warns about $(basename "$page"): $warn"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
