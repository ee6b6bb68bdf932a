/*
 * test_conf_diff.c: conf_diff.c, the reload rules: for each kind of
 * change of a neighbor, whether the session is reset (and why), its
 * policy re-applied, or nothing but the setting changes; and the lines
 * `reload check` prints.  Trees are read from config text, as a reload
 * reads them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmd.h"
#include "conf.h"
#include "conf_diff.h"

#define HEAD                                                                   \
	"router bgp 62610\n"                                                   \
	" bgp router-id 10.0.0.2\n"                                            \
	" neighbor 10.0.0.1 remote-as 64512\n"                                 \
	" neighbor 10.0.2.1 remote-as 45090\n"

static struct conf *
load(const char *text)
{
	struct conf *c = NULL;

	assert_int_equal(conf_load_string(text, "test", &c, stderr), 0);
	assert_non_null(c);
	return c;
}

static const struct conf_neighbor *
nbr(const struct conf *c, const char *addr)
{
	struct conf_addr a;

	assert_true(conf_addr_parse(addr, &a));
	return conf_neighbor_find(c, &a);
}

/* The diff of neighbor addr between two config texts. */
static struct conf_diff
diff(const char *a, const char *b, const char *addr)
{
	struct conf *x = load(a), *y = load(b);
	struct conf_diff d;

	conf_diff_neighbor(x, nbr(x, addr), y, nbr(y, addr), &d);
	conf_free(x);
	conf_free(y);
	return d;
}

static char *
printed(const struct conf_diff *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	conf_diff_print(d, f);
	fclose(f);
	return buf;
}

static void
assert_printed(const struct conf_diff *d, const char *want)
{
	char *s = printed(d);

	assert_string_equal(s, want);
	free(s);
}

static void
test_unchanged(void **state)
{
	struct conf_diff d = diff(HEAD, HEAD, "10.0.0.1");

	assert_int_equal(d.kind, CONF_DIFF_UNCHANGED);
	assert_int_equal(d.reset, 0);
	assert_false(d.policy_in || d.policy_out);
	assert_printed(&d, "unchanged");
}

/* Each setting a session is opened with resets it, for that reason. */
static void
test_reset_reasons(void **state)
{
	static const struct {
		const char *line;
		unsigned reason;
		const char *text;
	} cases[] = {
		{ " neighbor 10.0.0.1 remote-as 64513\n", CONF_DIFF_R_REMOTE_AS,
		    "reset (remote-as)" },
		{ " neighbor 10.0.0.1 local-as 65001\n", CONF_DIFF_R_LOCAL_AS,
		    "reset (local-as)" },
		{ " neighbor 10.0.0.1 password s3cret\n", CONF_DIFF_R_PASSWORD,
		    "reset (password)" },
		{ " neighbor 10.0.0.1 update-source 10.0.0.2\n",
		    CONF_DIFF_R_UPDATE_SOURCE, "reset (update-source)" },
		{ " neighbor 10.0.0.1 port 1179\n", CONF_DIFF_R_PORT,
		    "reset (port)" },
		{ " neighbor 10.0.0.1 timers 10 30\n", CONF_DIFF_R_TIMERS,
		    "reset (timers)" },
		{ " neighbor 10.0.0.1 passive\n", CONF_DIFF_R_PASSIVE,
		    "reset (passive)" },
		{ " neighbor 10.0.0.1 ttl-security hops 1\n",
		    CONF_DIFF_R_TTL_SECURITY, "reset (ttl-security)" },
		{ " neighbor 10.0.0.1 ebgp-multihop 2\n", CONF_DIFF_R_MULTIHOP,
		    "reset (ebgp-multihop)" },
		{ " neighbor 10.0.0.1 maximum-prefix 100\n",
		    CONF_DIFF_R_MAX_PREFIX, "reset (maximum-prefix)" },
		{ " address-family ipv6 unicast\n"
		  "  neighbor 10.0.0.1 activate\n"
		  " exit-address-family\n",
		    CONF_DIFF_R_AF, "reset (address families)" },
	};
	char text[1024];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conf_diff d;

		snprintf(text, sizeof(text), "%s%s", HEAD, cases[i].line);
		d = diff(HEAD, text, "10.0.0.1");
		assert_int_equal(d.kind, CONF_DIFF_CHANGED);
		assert_int_equal(d.reset, cases[i].reason);
		if (cases[i].text != NULL)
			assert_printed(&d, cases[i].text);
		/* The other neighbor stays up, but for the router ID. */
		d = diff(HEAD, text, "10.0.2.1");
		assert_int_equal(
		    d.reset, cases[i].reason & CONF_DIFF_R_ROUTER_ID);
		/* And back again: the same reason. */
		d = diff(text, HEAD, "10.0.0.1");
		assert_int_equal(d.reset, cases[i].reason);
	}
}

/* A new identifier or AS: every session, for that reason. */
static void
test_global_resets(void **state)
{
	const char *b = "router bgp 62610\n"
			" bgp router-id 10.0.0.9\n"
			" neighbor 10.0.0.1 remote-as 64512\n"
			" neighbor 10.0.2.1 remote-as 45090\n";
	const char *c = "router bgp 62611\n"
			" bgp router-id 10.0.0.2\n"
			" neighbor 10.0.0.1 remote-as 64512\n"
			" neighbor 10.0.2.1 remote-as 45090\n"
			" neighbor 10.0.2.1 local-as 62610\n";
	struct conf_diff d;

	d = diff(HEAD, b, "10.0.2.1");
	assert_int_equal(d.reset, CONF_DIFF_R_ROUTER_ID);
	assert_printed(&d, "reset (router-id)");
	/* The router's AS changes the AS in the OPEN, unless local-as
	 * keeps it. */
	d = diff(HEAD, c, "10.0.0.1");
	assert_int_equal(d.reset, CONF_DIFF_R_LOCAL_AS);
	d = diff(HEAD, c, "10.0.2.1");
	assert_int_equal(d.reset, 0);
}

/* Description and the like: no reset, no policy. */
static void
test_other_changes(void **state)
{
	struct conf_diff d;

	d = diff(HEAD, HEAD " neighbor 10.0.0.1 description aws-dx-hk\n",
	    "10.0.0.1");
	assert_int_equal(d.kind, CONF_DIFF_CHANGED);
	assert_int_equal(d.reset, 0);
	assert_int_equal(d.other, CONF_DIFF_O_DESCRIPTION);
	assert_false(d.policy_in || d.policy_out);
	assert_printed(&d, "changed without reset (description)");

	d = diff(
	    HEAD, HEAD " neighbor 10.0.0.1 timers connect 5\n", "10.0.0.1");
	assert_int_equal(d.reset, 0);
	assert_int_equal(d.other, CONF_DIFF_O_CONNECT_RETRY);

	d = diff(HEAD " neighbor 10.0.0.1 maximum-prefix 100 80\n",
	    HEAD " neighbor 10.0.0.1 maximum-prefix 100 90 warning-only\n",
	    "10.0.0.1");
	assert_int_equal(d.reset, 0);
	assert_int_equal(d.other, CONF_DIFF_O_MAX_PREFIX);

	/* With a reset, the other changes come along. */
	d = diff(HEAD,
	    HEAD " neighbor 10.0.0.1 description x\n"
		 " neighbor 10.0.0.1 password y\n",
	    "10.0.0.1");
	assert_printed(&d, "reset (password); also changed (description)");

	d = diff(HEAD " neighbor 10.0.0.1 advertisement-interval 0\n",
	    HEAD " neighbor 10.0.0.1 advertisement-interval 5\n", "10.0.0.1");
	assert_int_equal(d.reset, 0);
	assert_int_equal(d.other, CONF_DIFF_O_MRAI);
}

static void
test_shutdown(void **state)
{
	const char *shut = HEAD " neighbor 10.0.0.1 shutdown\n";
	const char *shut2 =
	    HEAD " neighbor 10.0.0.1 shutdown message maintenance\n";
	struct conf_diff d;

	d = diff(HEAD, shut, "10.0.0.1");
	assert_int_equal(d.admin, CONF_DIFF_ADMIN_DOWN);
	assert_int_equal(d.reset, 0);
	assert_printed(&d, "shut down (Cease/2)");
	d = diff(shut, HEAD, "10.0.0.1");
	assert_int_equal(d.admin, CONF_DIFF_ADMIN_UP);
	assert_printed(&d, "shutdown removed (session starts)");
	d = diff(shut, shut2, "10.0.0.1");
	assert_int_equal(d.admin, CONF_DIFF_ADMIN_SAME);
	assert_int_equal(d.other, CONF_DIFF_O_SHUTDOWN_MSG);
}

#define RMAP(lp)                                                               \
	"route-map IN permit 10\n"                                             \
	" set local-preference " lp "\n"                                       \
	"exit\n"
#define AF_IN(extra)                                                           \
	" address-family ipv4 unicast\n"                                       \
	"  neighbor 10.0.0.1 route-map IN in\n" extra " exit-address-family\n"

/* Policy: re-applied without a reset, by route refresh or stored routes. */
static void
test_policy(void **state)
{
	const char *none = RMAP("200") HEAD;
	const char *in200 = RMAP("200") HEAD AF_IN("");
	const char *in300 = RMAP("300") HEAD AF_IN("");
	const char *out =
	    RMAP("200") HEAD " address-family ipv4 unicast\n"
			     "  neighbor 10.0.0.1 route-map IN out\n"
			     " exit-address-family\n";
	const char *soft200 = RMAP("200")
	    HEAD AF_IN("  neighbor 10.0.0.1 soft-reconfiguration inbound\n");
	const char *soft300 = RMAP("300")
	    HEAD AF_IN("  neighbor 10.0.0.1 soft-reconfiguration inbound\n");
	struct conf_diff d;

	/* A route-map given to the neighbor. */
	d = diff(none, in200, "10.0.0.1");
	assert_int_equal(d.reset, 0);
	assert_true(d.policy_in);
	assert_false(d.policy_out);
	assert_false(d.in_stored);
	assert_printed(&d, "policy re-applied: in (route refresh)");
	/* The same name, another meaning. */
	d = diff(in200, in300, "10.0.0.1");
	assert_int_equal(d.reset, 0);
	assert_true(d.policy_in);
	/* ...and not for the neighbor that does not use it. */
	d = diff(in200, in300, "10.0.2.1");
	assert_int_equal(d.kind, CONF_DIFF_UNCHANGED);
	/* With the routes as received kept, no refresh is needed. */
	d = diff(soft200, soft300, "10.0.0.1");
	assert_true(d.policy_in && d.in_stored);
	assert_printed(&d, "policy re-applied: in (stored routes)");
	/* Outbound. */
	d = diff(none, out, "10.0.0.1");
	assert_false(d.policy_in);
	assert_true(d.policy_out);
	assert_printed(&d, "policy re-applied: out");
	d = diff(HEAD, HEAD " neighbor 10.0.0.1 next-hop-self\n", "10.0.0.1");
	assert_true(d.policy_out);
	assert_int_equal(d.reset, 0);
	/* A reset brings every route anew: no separate re-application. */
	d = diff(in200,
	    RMAP("300") HEAD AF_IN("") " neighbor 10.0.0.1 password x\n",
	    "10.0.0.1");
	assert_int_equal(d.reset, CONF_DIFF_R_PASSWORD);
	assert_false(d.policy_in || d.policy_out);
	/* Both kinds at once. */
	d = diff(none,
	    RMAP("200") HEAD AF_IN("") " neighbor 10.0.0.1 "
				       "description x\n",
	    "10.0.0.1");
	assert_printed(&d,
	    "policy re-applied: in (route refresh); changed without reset "
	    "(description)");
}

static void
test_added_removed(void **state)
{
	struct conf *a = load(HEAD);
	struct conf *b = load(HEAD " neighbor 10.0.3.1 remote-as 64999\n");
	struct conf_diff d;

	conf_diff_neighbor(a, NULL, b, nbr(b, "10.0.3.1"), &d);
	assert_int_equal(d.kind, CONF_DIFF_ADDED);
	assert_printed(&d, "added (session starts)");
	conf_diff_neighbor(b, nbr(b, "10.0.3.1"), a, NULL, &d);
	assert_int_equal(d.kind, CONF_DIFF_REMOVED);
	assert_printed(&d, "removed (session closed, Cease/3)");
	/* The others are not touched by it. */
	conf_diff_neighbor(a, nbr(a, "10.0.0.1"), b, nbr(b, "10.0.0.1"), &d);
	assert_int_equal(d.kind, CONF_DIFF_UNCHANGED);
	conf_free(a);
	conf_free(b);
}

/* The lines of `reload check`. */
static void
test_report(void **state)
{
	struct conf *a = load(HEAD " neighbor 10.0.3.1 remote-as 64999\n");
	struct conf *b =
	    load("hostname edge\n" HEAD " neighbor 10.0.0.1 description aws\n"
		 " neighbor 10.0.2.1 password k\n"
		 " neighbor 10.0.4.1 remote-as 65001\n");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	conf_diff_report(a, b, f);
	fclose(f);
	assert_string_equal(buf,
	    "hostname: '' -> 'edge'\n"
	    "neighbor 10.0.0.1: changed without reset (description)\n"
	    "neighbor 10.0.2.1: reset (password)\n"
	    "neighbor 10.0.4.1: added (session starts)\n"
	    "neighbor 10.0.3.1: removed (session closed, Cease/3)\n");
	free(buf);
	conf_free(a);
	conf_free(b);
}

static void
test_router_id(void **state)
{
	struct conf *a = load("router bgp 1\n"
			      " neighbor 10.0.0.1 remote-as 2\n"
			      " neighbor 10.0.0.1 update-source 10.9.9.9\n");
	struct conf *b = load("router bgp 1\n");

	assert_int_equal(conf_diff_router_id(a), 0x0a090909);
	assert_int_equal(conf_diff_router_id(b), 0x7f000001);
	conf_free(a);
	conf_free(b);
}

static int
teardown(void **state)
{
	cmd_reset();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unchanged),
		cmocka_unit_test(test_reset_reasons),
		cmocka_unit_test(test_global_resets),
		cmocka_unit_test(test_other_changes),
		cmocka_unit_test(test_shutdown),
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_added_removed),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_router_id),
	};

	return cmocka_run_group_tests(tests, NULL, teardown);
}
