/*
 * test_cmd.c: tests bgpd/cmd.c, the command engine, with a table of
 * its own whose handlers write down what they were given.
 *
 * Matching (full words, prefixes, ambiguity, keywords against
 * arguments), every argument type with its limits, the "no" forms,
 * the modes (entering, exit, end, popping out to a parent), the error
 * recovery of config files, and the choices listed for `?` and TAB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd.h"

#define EXEC     CMD_M(CMD_MODE_EXEC)
#define CONFIG   CMD_M(CMD_MODE_CONFIG)
#define BGP      CMD_M(CMD_MODE_ROUTER_BGP)
#define AF       (CMD_M(CMD_MODE_AF_IPV4) | CMD_M(CMD_MODE_AF_IPV6))
#define NBR_HELP "Neighbor\nAddress\n"

/* What the last handler was given, and how many handlers ran. */
struct rec {
	char last[512];
	int calls;
};

static int
rec(struct cmd_state *st, const struct cmd_args *a)
{
	struct rec *r = st->ctx;
	size_t o = 0;

	r->calls++;
	o += (size_t)snprintf(
	    r->last, sizeof(r->last), "%s", a->negate ? "no" : "");
	for (int i = 0; i < a->n && o < sizeof(r->last); i++) {
		const struct cmd_arg *v = &a->v[i];
		const char *sep = o ? " " : "";

		if (strcmp(v->name, v->value) == 0)
			o += (size_t)snprintf(r->last + o, sizeof(r->last) - o,
			    "%s%s", sep, v->name);
		else if (v->num != 0)
			o += (size_t)snprintf(r->last + o, sizeof(r->last) - o,
			    "%s%s=%s#%u", sep, v->name, v->value, v->num);
		else
			o += (size_t)snprintf(r->last + o, sizeof(r->last) - o,
			    "%s%s=[%s]", sep, v->name, v->value);
	}
	return 0;
}

static int
refuse(struct cmd_state *st, const struct cmd_args *a)
{
	struct rec *r = st->ctx;

	r->calls++;
	return cmd_error(st, "refused '%s'", cmd_arg(a, "W"));
}

static int
af(struct cmd_state *st, const struct cmd_args *a)
{
	cmd_enter(st, cmd_arg(a, "ipv6") ? CMD_MODE_AF_IPV6 : CMD_MODE_AF_IPV4,
	    (void *)"af-data");
	return rec(st, a);
}

static const struct cmd_def t_cmds[] = {
	{ EXEC, "show bgp summary", "Show\nBGP\nSummary\n", rec, 0, 0, NULL },
	{ EXEC, "show bfd peers", "Show\nBFD\nPeers\n", rec, 0, 0, NULL },
	{ EXEC, "clear <X:IPV4>", "Clear\nIPv4\n", rec, 0, 0, NULL },
	{ EXEC, "clear <Y:ADDR>", "Clear\nAddress\n", rec, 0, 0, NULL },
	{ EXEC, "echo <L:LINE>", "Echo\nText\n", rec, 0, 0, NULL },
	{ EXEC, "count {one|two <N:UINT 1-9>|three} [again]",
	    "Count\nOne\nTwo\nHow many\nThree\nAgain\n", rec, 0, 0, NULL },
	{ EXEC, "name {list|<W:WORD>}", "Name\nList them\nA name\n", rec, 0, 0,
	    NULL },
	{ CONFIG, "router bgp <N:ASN>", "Router\nBGP\nAS\n", rec, CMD_NO,
	    CMD_MODE_ROUTER_BGP, NULL },
	{ CONFIG, "hostname <H:WORD>", "Hostname\nName\n", rec, CMD_NO, 0,
	    NULL },
	{ CONFIG, "refuse <W:WORD>", "Refuse\nWord\n", refuse, 0, 0, NULL },
	{ CONFIG, "refuse-enter <W:WORD>", "Refuse and enter\nWord\n", refuse,
	    0, CMD_MODE_ROUTER_BGP, NULL },
	{ BGP, "bgp router-id <R:IPV4>", "BGP\nRouter id\nId\n", rec, CMD_NO, 0,
	    NULL },
	{ BGP, "neighbor <A:ADDR> remote-as <N:ASN>",
	    NBR_HELP "Remote AS\nAS\n", rec, CMD_NO, 0, NULL },
	{ BGP, "neighbor <A:ADDR> timers <K:UINT 0-65535> <H:UINT 0-65535>",
	    NBR_HELP "Timers\nKeepalive\nHold\n", rec, CMD_NO, 0, NULL },
	{ BGP, "neighbor <A:ADDR> timers connect <N:UINT 1-65535>",
	    NBR_HELP "Timers\nConnect\nSeconds\n", rec, CMD_NO, 0, NULL },
	{ BGP, "neighbor <A:ADDR> ttl-security hops <N:UINT 1-254>",
	    NBR_HELP "GTSM\nHops\nNumber\n", rec, CMD_NO, 0,
	    "neighbor <A:ADDR> ttl-security [hops <N:UINT 1-254>]" },
	{ BGP, "neighbor <A:ADDR> shutdown [message <M:LINE>]",
	    NBR_HELP "Shutdown\nMessage\nText\n", rec, CMD_NO, 0, NULL },
	{ BGP, "neighbor <A:ADDR> passive", NBR_HELP "Passive\n", rec, CMD_NO,
	    0, NULL },
	{ BGP, "neighbor <A:ADDR> password <P:LINE>",
	    NBR_HELP "Password\nKey\n", rec, CMD_NO, 0, NULL },
	{ BGP, "neighbor <A:ADDR>", NBR_HELP, rec, CMD_NO_ONLY, 0, NULL },
	{ BGP, "address-family {ipv4|ipv6} [unicast]",
	    "AF\nIPv4\nIPv6\nUnicast\n", af, 0, CMD_MODE_AF_IPV4, NULL },
	{ AF, "neighbor <A:ADDR> activate", NBR_HELP "Activate\n", rec, CMD_NO,
	    0, NULL },
	{ AF, "exit-address-family", "Leave\n", NULL, CMD_EXIT, 0, NULL },
};

struct fx {
	struct rec rec;
	struct cmd_state st;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	cmd_register(t_cmds, sizeof(t_cmds) / sizeof(t_cmds[0]));
	cmd_state_init(&f->st, CMD_MODE_CONFIG, &f->rec);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	free(*state);
	cmd_reset();
	return 0;
}

/* Runs line; expects success and the handler's record (NULL: none ran). */
static void
ok(struct fx *f, const char *line, const char *want)
{
	int calls = f->rec.calls;

	f->rec.last[0] = '\0';
	if (cmd_exec(&f->st, line) != 0)
		fail_msg("\"%s\": %s", line, f->st.err);
	if (want == NULL) {
		assert_int_equal(f->rec.calls, calls);
	} else {
		assert_int_equal(f->rec.calls, calls + 1);
		assert_string_equal(f->rec.last, want);
	}
}

/* Runs line; expects this error and no handler run. */
static void
bad(struct fx *f, const char *line, const char *err)
{
	int calls = f->rec.calls;

	if (cmd_exec(&f->st, line) == 0)
		fail_msg("\"%s\" was accepted", line);
	assert_string_equal(f->st.err, err);
	assert_int_equal(f->rec.calls, calls);
}

static void
to_bgp(struct fx *f)
{
	ok(f, "router bgp 65000", "router bgp N=65000#65000");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_ROUTER_BGP);
}

static void
test_exact_and_prefixes(void **state)
{
	struct fx *f = *state;

	to_bgp(f);
	ok(f, "neighbor 10.0.0.1 remote-as 64512",
	    "neighbor A=[10.0.0.1] remote-as N=64512#64512");
	/* Unambiguous prefixes stand for their keyword. */
	ok(f, "nei 10.0.0.1 rem 64512",
	    "neighbor A=[10.0.0.1] remote-as N=64512#64512");
	ok(f, "ne 10.0.0.1 ti co 5",
	    "neighbor A=[10.0.0.1] timers connect N=5#5");
	ok(f, "neighbor 10.0.0.1 passi", "neighbor A=[10.0.0.1] passive");
	/* Blanks anywhere do not matter. */
	ok(f, "\t  neighbor   10.0.0.1\tpassive  ",
	    "neighbor A=[10.0.0.1] passive");
	/* Keywords are case sensitive. */
	bad(f, "NEIGHBOR 10.0.0.1 passive", "unknown command 'NEIGHBOR'");
}

static void
test_ambiguous(void **state)
{
	struct fx *f = *state;

	to_bgp(f);
	/* A prefix of several keywords possible at that point. */
	bad(f, "n 10.0.0.1 remote-as 1",
	    "ambiguous command 'n' (neighbor, no)");
	bad(f, "neighbor 10.0.0.1 t 1 2",
	    "ambiguous command at 't' (timers, ttl-security)");
	bad(f, "neighbor 10.0.0.1 pass x",
	    "ambiguous command at 'pass' (passive, password)");
	bad(f, "neighbor 10.0.0.1 pa",
	    "ambiguous command at 'pa' (passive, password)");
	cmd_state_init(&f->st, CMD_MODE_EXEC, &f->rec);
	bad(f, "show b summary", "ambiguous command at 'b' (bfd, bgp)");
	ok(f, "show bg s", "show bgp summary");
	ok(f, "sh bf p", "show bfd peers");
}

static void
test_unknown_and_incomplete(void **state)
{
	struct fx *f = *state;

	bad(f, "frobnicate", "unknown command 'frobnicate'");
	bad(f, "router ospf 1", "unknown command at 'ospf'");
	bad(f, "router bgp 1 extra", "unknown command at 'extra'");
	bad(f, "router", "incomplete command after 'router'");
	bad(f, "router bgp", "incomplete command after 'bgp'");
	to_bgp(f);
	bad(f, "neighbor 10.0.0.1", "incomplete command after '10.0.0.1'");
	bad(f, "neighbor 10.0.0.1 timers 30", "incomplete command after '30'");
	bad(f, "neighbor 10.0.0.1 ttl-security",
	    "incomplete command after 'ttl-security'");
	bad(f, "no", "incomplete command after 'no'");
	bad(f, "neighbor 10.0.0.1 remote-az 1",
	    "unknown command at 'remote-az'");
	/* Nothing changed mode on the way. */
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_ROUTER_BGP);
}

static void
test_asn(void **state)
{
	struct fx *f = *state;
	static const struct {
		const char *in, *want;
	} good[] = {
		{ "1", "router bgp N=1#1" },
		{ "62610", "router bgp N=62610#62610" },
		{ "4294967295", "router bgp N=4294967295#4294967295" },
		{ "1.10", "router bgp N=1.10#65546" },
		{ "0.1", "router bgp N=0.1#1" },
		{ "65535.65535", "router bgp N=65535.65535#4294967295" },
	};
	static const struct {
		const char *in, *err;
	} wrong[] = {
		{ "x", "invalid ASN 'x'" },
		{ "0", "invalid ASN '0': AS 0 is reserved (RFC 7607)" },
		{ "0.0", "invalid ASN '0.0': AS 0 is reserved (RFC 7607)" },
		{ "4294967296", "invalid ASN '4294967296'" },
		{ "99999999999999999999",
		    "invalid ASN '99999999999999999999'" },
		{ "-1", "invalid ASN '-1'" },
		{ "+1", "invalid ASN '+1'" },
		{ "1.", "invalid ASN '1.'" },
		{ ".1", "invalid ASN '.1'" },
		{ "1.2.3", "invalid ASN '1.2.3'" },
		{ "65536.0", "invalid ASN '65536.0'" },
		{ "1.65536", "invalid ASN '1.65536'" },
		{ "6451x", "invalid ASN '6451x'" },
	};
	char line[128];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "router bgp %s", good[i].in);
		ok(f, line, good[i].want);
		ok(f, "exit", NULL);
	}
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		snprintf(line, sizeof(line), "router bgp %s", wrong[i].in);
		bad(f, line, wrong[i].err);
	}
}

static void
test_uint_range(void **state)
{
	struct fx *f = *state;

	to_bgp(f);
	ok(f, "neighbor 10.0.0.1 timers 0 65535",
	    "neighbor A=[10.0.0.1] timers K=[0] H=65535#65535");
	bad(f, "neighbor 10.0.0.1 timers 70000 90",
	    "value 70000 out of range 0-65535");
	bad(f, "neighbor 10.0.0.1 timers 30 65536",
	    "value 65536 out of range 0-65535");
	bad(f, "neighbor 10.0.0.1 timers 30 99999999999",
	    "value 99999999999 out of range 0-65535");
	bad(f, "neighbor 10.0.0.1 timers 30 abc", "invalid number 'abc'");
	bad(f, "neighbor 10.0.0.1 timers 30 -1", "invalid number '-1'");
	bad(f, "neighbor 10.0.0.1 timers connect 0",
	    "value 0 out of range 1-65535");
	bad(f, "neighbor 10.0.0.1 ttl-security hops 255",
	    "value 255 out of range 1-254");
	ok(f, "neighbor 10.0.0.1 ttl-security hops 254",
	    "neighbor A=[10.0.0.1] ttl-security hops N=254#254");
}

static void
test_addresses(void **state)
{
	struct fx *f = *state;

	to_bgp(f);
	ok(f, "neighbor 2001:DB8::1 passive",
	    "neighbor A=[2001:DB8::1] passive");
	ok(f, "neighbor ::ffff:10.0.0.1 passive",
	    "neighbor A=[::ffff:10.0.0.1] passive");
	bad(f, "neighbor 10.0.0.300 passive", "invalid address '10.0.0.300'");
	bad(f, "neighbor 10.0.0 passive", "invalid address '10.0.0'");
	bad(f, "neighbor 2001:db8:::1 passive",
	    "invalid address '2001:db8:::1'");
	ok(f, "bgp router-id 10.0.0.2", "bgp router-id R=10.0.0.2#167772162");
	bad(f, "bgp router-id 2001:db8::1",
	    "invalid IPv4 address '2001:db8::1'");
	/* The more specific type wins: IPV4 over ADDR. */
	cmd_state_init(&f->st, CMD_MODE_EXEC, &f->rec);
	ok(f, "clear 10.0.0.1", "clear X=10.0.0.1#167772161");
	ok(f, "clear 2001:db8::1", "clear Y=[2001:db8::1]");
}

static void
test_line(void **state)
{
	struct fx *f = *state;

	cmd_state_init(&f->st, CMD_MODE_EXEC, &f->rec);
	ok(f, "echo hello", "echo L=[hello]");
	/* The rest of the line, inner blanks kept, outer ones not. */
	ok(f, "echo  a  b\tc  ", "echo L=[a  b\tc]");
	/* Words that are keywords elsewhere are plain text here. */
	ok(f, "echo show bgp summary", "echo L=[show bgp summary]");
	ok(f, "echo \"  quoted, with \\\"quotes\\\" \\\\ \"  ",
	    "echo L=[  quoted, with \"quotes\" \\ ]");
	ok(f, "echo not\"quoted\"", "echo L=[not\"quoted\"]");
	ok(f, "echo back\\slash", "echo L=[back\\slash]");
	bad(f, "echo \"open", "unterminated quoted string");
	bad(f, "echo \"a\" b", "text after the closing quote");
	bad(f, "echo \"\"", "empty string");
	bad(f, "echo", "incomplete command after 'echo'");
}

static void
test_fput_line_round_trip(void **state)
{
	struct fx *f = *state;
	static const char *values[] = {
		"plain",
		"two words",
		" leading",
		"trailing ",
		"\"starts with a quote",
		"ends with a quote\"",
		"back\\slash and \"quote\"",
		"\t tab",
	};

	cmd_state_init(&f->st, CMD_MODE_EXEC, &f->rec);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		char *buf = NULL, want[128];
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		fputs("echo ", m);
		cmd_fput_line(values[i], m);
		fclose(m);
		snprintf(want, sizeof(want), "echo L=[%s]", values[i]);
		ok(f, buf, want);
		free(buf);
	}
}

static void
test_keyword_against_word(void **state)
{
	struct fx *f = *state;

	cmd_state_init(&f->st, CMD_MODE_EXEC, &f->rec);
	ok(f, "name list", "name list");
	ok(f, "name li", "name list");
	ok(f, "name lisp", "name W=[lisp]");
	ok(f, "name xyz", "name W=[xyz]");
}

static void
test_alternatives(void **state)
{
	struct fx *f = *state;

	cmd_state_init(&f->st, CMD_MODE_EXEC, &f->rec);
	ok(f, "count one", "count one");
	ok(f, "count one again", "count one again");
	ok(f, "count two 5", "count two N=5#5");
	ok(f, "count two 5 again", "count two N=5#5 again");
	ok(f, "count th", "count three");
	bad(f, "count t", "ambiguous command at 't' (three, two)");
	bad(f, "count two", "incomplete command after 'two'");
	bad(f, "count two 10", "value 10 out of range 1-9");
	bad(f, "count one two", "unknown command at 'two'");
	bad(f, "count one again again", "unknown command at 'again'");
}

static void
test_no_forms(void **state)
{
	struct fx *f = *state;

	ok(f, "no hostname", "no hostname");
	ok(f, "no hostname x", "no hostname H=[x]");
	/* A "no" form enters no mode. */
	ok(f, "no router bgp", "no router bgp");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_CONFIG);
	bad(f, "no refuse x", "unknown command at 'refuse'");
	to_bgp(f);
	/* The values after the last keyword may be left out, all of them. */
	ok(f, "no neighbor 10.0.0.1 timers", "no neighbor A=[10.0.0.1] timers");
	ok(f, "no neighbor 10.0.0.1 timers 1 2",
	    "no neighbor A=[10.0.0.1] timers K=1#1 H=2#2");
	bad(f, "no neighbor 10.0.0.1 timers 1", "incomplete command after '1'");
	ok(f, "no neighbor 10.0.0.1 timers connect",
	    "no neighbor A=[10.0.0.1] timers connect");
	ok(f, "no neighbor 10.0.0.1 remote-as",
	    "no neighbor A=[10.0.0.1] remote-as");
	ok(f, "no neighbor 10.0.0.1 password",
	    "no neighbor A=[10.0.0.1] password");
	ok(f, "no neighbor 10.0.0.1 shutdown message going away",
	    "no neighbor A=[10.0.0.1] shutdown message M=[going away]");
	/* A spelled-out "no" form. */
	ok(f, "no neighbor 10.0.0.1 ttl-security",
	    "no neighbor A=[10.0.0.1] ttl-security");
	ok(f, "no neighbor 10.0.0.1 ttl-security hops 3",
	    "no neighbor A=[10.0.0.1] ttl-security hops N=3#3");
	/* The values that are there are still checked. */
	bad(f, "no neighbor 10.0.0.1 timers 1 70000",
	    "value 70000 out of range 0-65535");
	/* A row only in the "no" form. */
	ok(f, "no neighbor 10.0.0.1", "no neighbor A=[10.0.0.1]");
	ok(f, "no nei 10.0.0.1", "no neighbor A=[10.0.0.1]");
	bad(f, "neighbor 10.0.0.1", "incomplete command after '10.0.0.1'");
	/* No "no" for a row without CMD_NO. */
	bad(f, "no address-family ipv4", "unknown command at 'address-family'");
}

static void
test_modes(void **state)
{
	struct fx *f = *state;

	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_CONFIG);
	to_bgp(f);
	ok(f, "address-family ipv6 unicast", "address-family ipv6 unicast");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_AF_IPV6);
	assert_string_equal((char *)cmd_mode_data(&f->st), "af-data");
	ok(f, "neighbor 10.0.0.1 activate", "neighbor A=[10.0.0.1] activate");
	ok(f, "exit-address-family", NULL);
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_ROUTER_BGP);
	assert_null(cmd_mode_data(&f->st));
	ok(f, "address-family ipv4", "address-family ipv4");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_AF_IPV4);
	ok(f, "exit", NULL);
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_ROUTER_BGP);
	ok(f, "address-family ipv4", "address-family ipv4");
	ok(f, "end", NULL);
	/* A file's bottom is config mode: end and exit stay there. */
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_CONFIG);
	ok(f, "exit", NULL);
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_CONFIG);
	bad(f, "exit-address-family", "unknown command 'exit-address-family'");
	assert_string_equal(
	    cmd_mode_name(CMD_MODE_ROUTER_BGP), "config-router");
	assert_int_equal(
	    cmd_mode_parent(CMD_MODE_AF_IPV4), CMD_MODE_ROUTER_BGP);
}

static void
test_popping_out(void **state)
{
	struct fx *f = *state;

	to_bgp(f);
	ok(f, "address-family ipv4 unicast", "address-family ipv4 unicast");
	/* Not an address-family command: done in router bgp, and stays. */
	ok(f, "neighbor 10.0.0.2 remote-as 1",
	    "neighbor A=[10.0.0.2] remote-as N=1#1");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_ROUTER_BGP);
	ok(f, "address-family ipv6", "address-family ipv6");
	ok(f, "address-family ipv4", "address-family ipv4");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_AF_IPV4);
	/* Two levels up. */
	ok(f, "hostname r1", "hostname H=[r1]");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_CONFIG);
	/* An error reports the mode where the line went furthest. */
	to_bgp(f);
	ok(f, "address-family ipv4", "address-family ipv4");
	bad(f, "neighbor 10.0.0.1 timers 70000 1",
	    "value 70000 out of range 0-65535");
	bad(f, "bgp router-id 1.2.3", "invalid IPv4 address '1.2.3'");
	bad(f, "nonsense", "unknown command 'nonsense'");
	/* Incomplete or ambiguous in the current mode: no popping. */
	bad(f, "neighbor 10.0.0.1", "incomplete command after '10.0.0.1'");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_AF_IPV4);
	/* Never out of config mode into exec. */
	bad(f, "show bgp summary", "unknown command 'show'");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_AF_IPV4);
}

static void
test_shell_modes(void **state)
{
	struct fx *f = *state;

	cmd_state_init(&f->st, CMD_MODE_EXEC, &f->rec);
	bad(f, "router bgp 1", "unknown command 'router'");
	bad(f, "exit", "unknown command 'exit'");
	ok(f, "conf t", NULL);
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_CONFIG);
	ok(f, "exit", NULL);
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_EXEC);
	ok(f, "configure", NULL);
	to_bgp(f);
	ok(f, "address-family ipv6", "address-family ipv6");
	ok(f, "end", NULL);
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_EXEC);
	assert_int_equal(f->st.depth, 1);
}

static void
test_handler_error(void **state)
{
	struct fx *f = *state;

	assert_int_equal(cmd_exec(&f->st, "refuse this"), -1);
	assert_string_equal(f->st.err, "refused 'this'");
	assert_int_equal(cmd_exec(&f->st, "refuse-enter that"), -1);
	assert_string_equal(f->st.err, "refused 'that'");
	/* Without recovery, a failed command enters nothing. */
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_CONFIG);
	/* Success clears the last error. */
	ok(f, "hostname h", "hostname H=[h]");
	assert_string_equal(f->st.err, "");
}

static void
test_recovery(void **state)
{
	struct fx *f = *state;

	f->st.recover = true;
	/* A bad "router bgp" still opens its block, where nothing runs... */
	bad(f, "router bgp 6451x", "invalid ASN '6451x'");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_ROUTER_BGP);
	ok(f, "neighbor 10.0.0.1 remote-as 1", NULL);
	/* ...but every line is still checked. */
	bad(f, "neighbor 10.0.0.1 remote-as x", "invalid ASN 'x'");
	ok(f, "address-family ipv4", NULL);
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_AF_IPV4);
	ok(f, "exit-address-family", NULL);
	ok(f, "exit", NULL);
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_CONFIG);
	ok(f, "hostname h", "hostname H=[h]");
	/* Likewise when the handler refuses. */
	assert_int_equal(cmd_exec(&f->st, "refuse-enter x"), -1);
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_ROUTER_BGP);
	ok(f, "bgp router-id 1.1.1.1", NULL);
	/* Popping out of the dead block runs again. */
	ok(f, "router bgp 1", "router bgp N=1#1");
	ok(f, "bgp router-id 1.1.1.1", "bgp router-id R=1.1.1.1#16843009");
	/* An unknown first word enters nothing. */
	ok(f, "exit", NULL);
	bad(f, "rooter bgp 1", "unknown command 'rooter'");
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_CONFIG);
}

static void
test_comments_and_blanks(void **state)
{
	struct fx *f = *state;

	ok(f, "", NULL);
	ok(f, "   \t ", NULL);
	ok(f, "! a comment", NULL);
	ok(f, "!", NULL);
	ok(f, "# another", NULL);
	ok(f, "   ! indented", NULL);
	ok(f, "#router bgp 1", NULL);
	assert_int_equal(cmd_state_mode(&f->st), CMD_MODE_CONFIG);
}

static void
test_args_api(void **state)
{
	struct cmd_arg v[2] = { { "N", "5", 5 },
		{ "remote-as", "remote-as", 0 } };
	struct cmd_args a = { false, 2, v };

	(void)state;
	assert_string_equal(cmd_arg(&a, "N"), "5");
	assert_string_equal(cmd_arg(&a, "remote-as"), "remote-as");
	assert_null(cmd_arg(&a, "M"));
	assert_int_equal(cmd_arg_num(&a, "N", 7), 5);
	assert_int_equal(cmd_arg_num(&a, "M", 7), 7);
}

/* The choices for line, as "word word ..." (help of the first in help). */
static char *
choices(struct fx *f, const char *line, int *count)
{
	static char out[1024];
	struct cmd_choice c[64];
	size_t o = 0;
	int n;

	out[0] = '\0';
	n = cmd_complete(&f->st, line, c, 64);
	if (count)
		*count = n;
	for (int i = 0; i < n && i < 64; i++)
		o += (size_t)snprintf(
		    out + o, sizeof(out) - o, "%s%s", i ? " " : "", c[i].word);
	return out;
}

static void
test_complete(void **state)
{
	struct fx *f = *state;
	struct cmd_choice c[4];
	int n;

	assert_string_equal(choices(f, "", NULL),
	    "end exit hostname no refuse refuse-enter router");
	assert_string_equal(
	    choices(f, "r", NULL), "refuse refuse-enter router");
	assert_string_equal(choices(f, "router ", NULL), "bgp");
	assert_string_equal(choices(f, "router bgp ", NULL), "ASN");
	assert_string_equal(choices(f, "router bgp 1", NULL), "ASN");
	assert_string_equal(choices(f, "router bgp 1 ", NULL), "<cr>");
	assert_string_equal(choices(f, "no ", NULL), "hostname router");
	assert_string_equal(choices(f, "no hostname ", NULL), "WORD <cr>");
	to_bgp(f);
	assert_string_equal(
	    choices(f, "", NULL), "address-family bgp end exit neighbor no");
	assert_string_equal(choices(f, "neighbor ", NULL), "A.B.C.D|X:X::X:X");
	assert_string_equal(
	    choices(f, "neighbor 2001:db8::", NULL), "A.B.C.D|X:X::X:X");
	assert_string_equal(choices(f, "neighbor xyz", NULL), "");
	assert_string_equal(choices(f, "neighbor 10.0.0.1 ", NULL),
	    "passive password remote-as shutdown timers ttl-security");
	assert_string_equal(
	    choices(f, "nei 10.0.0.1 t", NULL), "timers ttl-security");
	assert_string_equal(
	    choices(f, "neighbor 10.0.0.1 timers ", NULL), "connect <0-65535>");
	assert_string_equal(
	    choices(f, "neighbor 10.0.0.1 timers 30 ", NULL), "<0-65535>");
	assert_string_equal(
	    choices(f, "neighbor 10.0.0.1 timers 30 90 ", NULL), "<cr>");
	assert_string_equal(choices(f, "no neighbor 10.0.0.1 ", NULL),
	    "passive password remote-as shutdown timers ttl-security <cr>");
	assert_string_equal(
	    choices(f, "neighbor 10.0.0.1 shutdown ", NULL), "message <cr>");
	/* Inside a LINE: more text, or the end. */
	assert_string_equal(
	    choices(f, "neighbor 10.0.0.1 shutdown message going ", NULL),
	    "LINE <cr>");
	assert_string_equal(
	    choices(f, "neighbor 10.0.0.1 shutdown message go", NULL), "LINE");
	/* An unfinished quoted string is no error while typing. */
	assert_string_equal(
	    choices(f, "neighbor 10.0.0.1 shutdown message \"going ", NULL),
	    "LINE <cr>");
	/* The words before the last must match. */
	assert_string_equal(choices(f, "neighbor 10.0.0.1 bogus ", &n), "");
	assert_int_equal(n, -1);
	assert_string_equal(choices(f, "n ", &n), "");
	assert_int_equal(n, -1);
	assert_string_equal(choices(f, "! comment ", NULL), "");
	/* Help comes with each word; the count may exceed the room. */
	n = cmd_complete(&f->st, "neighbor 10.0.0.1 ", c, 4);
	assert_int_equal(n, 6);
	assert_string_equal(c[0].word, "passive");
	assert_string_equal(c[0].help, "Passive");
	assert_int_equal(c[0].kind, CMD_CHOICE_KEYWORD);
	n = cmd_complete(&f->st, "neighbor 10.0.0.1 timers ", c, 4);
	assert_int_equal(n, 2);
	assert_int_equal(c[1].kind, CMD_CHOICE_ARG);
	assert_string_equal(c[1].help, "Keepalive");
	n = cmd_complete(&f->st, "no ", c, 4);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].word, "bgp");
	assert_string_equal(c[1].help, "Neighbor");
	n = cmd_complete(&f->st, "no", c, 4);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].help, "Negate a command or set its defaults");
	/* Each mode lists its own commands. */
	ok(f, "address-family ipv4", "address-family ipv4");
	assert_string_equal(
	    choices(f, "", NULL), "end exit exit-address-family neighbor no");
	assert_string_equal(choices(f, "neighbor 10.0.0.1 ", NULL), "activate");
	cmd_state_init(&f->st, CMD_MODE_EXEC, &f->rec);
	assert_string_equal(
	    choices(f, "", NULL), "clear configure count echo name show");
	assert_string_equal(
	    choices(f, "clear ", NULL), "A.B.C.D A.B.C.D|X:X::X:X");
	assert_string_equal(choices(f, "count ", NULL), "one three two");
	assert_string_equal(choices(f, "count two 3 ", NULL), "again <cr>");
	assert_string_equal(choices(f, "name ", NULL), "list WORD");
}

static void
test_register_twice(void **state)
{
	struct fx *f = *state;

	/* The same table again changes nothing: no ambiguity with itself. */
	cmd_register(t_cmds, sizeof(t_cmds) / sizeof(t_cmds[0]));
	ok(f, "hostname h", "hostname H=[h]");
	assert_string_equal(choices(f, "h", NULL), "hostname");
	/* After a reset, nothing but the built-in commands is left. */
	cmd_reset();
	bad(f, "hostname h", "unknown command 'hostname'");
	ok(f, "end", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_exact_and_prefixes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ambiguous, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unknown_and_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_asn, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_uint_range, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_fput_line_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_keyword_against_word, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_alternatives, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_forms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_popping_out, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_shell_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_handler_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recovery, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_comments_and_blanks, setup, teardown),
		cmocka_unit_test(test_args_api),
		cmocka_unit_test_setup_teardown(test_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_register_twice, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
