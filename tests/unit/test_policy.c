/*
 * test_policy.c: tests bgpd/policy.c and the commands of
 * bgpd/policy_cmd.c.
 *
 * Policies are written as config text, loaded through the one command
 * table, and applied to routes built here: each kind of match and set,
 * a ladder of route-map cases (first match, implicit deny, on-match
 * next, continue, goto, deny ending it), names not defined, the
 * values refused at their line, and print -> parse -> print.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dxbgp/bgp.h>

#include "conf.h"
#include "policy_int.h"

static struct conf *
load(const char *text)
{
	struct conf *c = NULL;

	if (conf_load_string(text, "p.conf", &c, stderr) != 0)
		fail_msg("refused:\n%s", text);
	return c;
}

/* The first error line for text, which must be refused. */
static void
refused(const char *text, const char *expect)
{
	struct conf *c = NULL;
	char *errs = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&errs, &len);

	assert_int_equal(conf_load_string(text, "p.conf", &c, f), -1);
	fclose(f);
	assert_null(c);
	if (strstr(errs, expect) == NULL)
		fail_msg("expected \"%s\" in:\n%s", expect, errs);
	free(errs);
}

static struct rib_prefix
pfx(const char *s)
{
	struct rib_prefix p;

	assert_true(pol_prefix_parse(s, &p));
	return p;
}

/* A route: its path (AS_SEQUENCE of n ASNs), communities, lcomms. */
struct route {
	struct rib_attrs_key k;
	uint8_t path[2 + 4 * 16];
	uint8_t comm[4 * 16];
	uint8_t lcomm[12 * 4];
};

static void
route_init(struct route *r, const uint32_t *asns, int n, const char *comms)
{
	char buf[256], *w, *save = NULL;
	int i;

	memset(r, 0, sizeof(*r));
	r->k.flags = RIB_A_ASPATH;
	r->k.nh_len = 4;
	r->k.nexthop[0] = 10;
	r->k.nexthop[3] = 1;
	if (n > 0) {
		r->path[0] = BGP_SEG_SEQUENCE;
		r->path[1] = (uint8_t)n;
		for (i = 0; i < n; i++) {
			r->path[2 + 4 * i] = (uint8_t)(asns[i] >> 24);
			r->path[3 + 4 * i] = (uint8_t)(asns[i] >> 16);
			r->path[4 + 4 * i] = (uint8_t)(asns[i] >> 8);
			r->path[5 + 4 * i] = (uint8_t)asns[i];
		}
		r->k.aspath = r->path;
		r->k.aspath_len = (uint32_t)(2 + 4 * n);
	}
	r->k.comm = r->comm;
	r->k.lcomm = r->lcomm;
	if (comms == NULL)
		return;
	strcpy(buf, comms);
	for (w = strtok_r(buf, " ", &save); w != NULL;
	     w = strtok_r(NULL, " ", &save)) {
		if (pol_lcomm_parse(w, r->lcomm + r->k.lcomm_len))
			r->k.lcomm_len = (uint16_t)(r->k.lcomm_len + 12);
		else {
			assert_true(pol_comm_parse(w, r->comm + r->k.comm_len));
			r->k.comm_len = (uint16_t)(r->k.comm_len + 4);
		}
	}
}

/* The communities of k as text, "a:b c:d". */
static void
comm_text(const struct rib_attrs_key *k, char *buf, size_t len)
{
	char one[40];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i + 4 <= k->comm_len; i += 4) {
		pol_comm_str(k->comm + i, one, sizeof(one));
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
		    i ? " " : "", one);
	}
}

static enum pol_verdict
run(const struct conf *c, const char *rmap, const char *prefix, struct route *r,
    unsigned own_as)
{
	static struct pol_buf b;
	struct rib_prefix p = pfx(prefix);

	return pol_apply(c->pol, NULL, rmap, &p, &r->k, own_as, &b);
}

/* ---- prefix lists ---- */

static void
test_prefix_list(void **state)
{
	struct conf *c =
	    load("ip prefix-list L seq 5 deny 10.1.0.0/16\n"
		 "ip prefix-list L seq 10 permit 10.0.0.0/8 le 24\n"
		 "ip prefix-list L seq 15 permit 192.168.0.0/16 "
		 "ge 24 le 28\n"
		 "ip prefix-list L seq 20 permit 172.16.0.0/12 ge 20\n"
		 "ip prefix-list E permit 198.51.100.0/24\n"
		 "ipv6 prefix-list L6 permit 2001:db8::/32 le 48\n");
	struct {
		const char *list, *prefix;
		bool permit;
	} v[] = {
		{ "L", "10.1.0.0/16", false },    /* deny comes first */
		{ "L", "10.1.2.0/24", true },     /* deny is exact, le 24 */
		{ "L", "10.0.0.0/8", true },      /* le alone: from /8 */
		{ "L", "10.2.3.0/25", false },    /* past le */
		{ "L", "192.168.1.0/24", true },  /* ge..le */
		{ "L", "192.168.0.0/23", false }, /* below ge */
		{ "L", "192.168.1.16/28", true }, /* at le */
		{ "L", "192.168.0.0/16", false }, /* ge excludes the prefix */
		{ "L", "172.20.0.0/20", true },   /* ge alone: up to /32 */
		{ "L", "172.20.0.1/32", true },
		{ "L", "172.32.0.0/20", false },  /* outside */
		{ "L", "11.0.0.0/8", false },     /* no entry: deny */
		{ "E", "198.51.100.0/24", true }, /* no ge/le: exact */
		{ "E", "198.51.100.0/25", false },
		{ "L6", "2001:db8:1::/48", true },
		{ "L6", "2001:db8:1::/64", false },
		{ "L", "2001:db8::/32", false }, /* v4 list: another family */
		{ "NONE", "10.0.0.0/8", false }, /* not defined: deny */
	};
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct rib_prefix p = pfx(v[i].prefix);
		const struct pol_plist *l =
		    pol_plist_find(c->pol, p.afi, v[i].list);

		if (pol_plist_permits(l, &p) != v[i].permit)
			fail_msg("%s %s: expected %s", v[i].list, v[i].prefix,
			    v[i].permit ? "permit" : "deny");
	}
	conf_free(c);
}

/* ---- route-map matches ---- */

static void
test_match_clauses(void **state)
{
	struct conf *c = load(
	    "ip prefix-list P4 permit 10.0.0.0/8 le 32\n"
	    "ipv6 prefix-list P6 permit 2001:db8::/32 le 128\n"
	    "bgp community-list standard C permit 65000:1 65000:2\n"
	    "bgp community-list standard C deny 65000:3\n"
	    "bgp community-list standard C permit 65000:3 65000:4\n"
	    "bgp community-list standard W permit no-export\n"
	    "bgp large-community-list standard LC permit 64512:1:2\n"
	    "bgp as-path access-list A permit _64512$\n"
	    "bgp as-path access-list O permit ^$\n"
	    "bgp as-path access-list X deny _65666_\n"
	    "bgp as-path access-list X permit .*\n"
	    "route-map M4 permit 10\n match ip address prefix-list P4\nexit\n"
	    "route-map M6 permit 10\n match ipv6 address prefix-list P6\nexit\n"
	    "route-map MC permit 10\n match community C\nexit\n"
	    "route-map MX permit 10\n match community C exact-match\nexit\n"
	    "route-map MW permit 10\n match community W\nexit\n"
	    "route-map ML permit 10\n match large-community LC\nexit\n"
	    "route-map MA permit 10\n match as-path A\nexit\n"
	    "route-map MO permit 10\n match as-path O\nexit\n"
	    "route-map MN permit 10\n match as-path X\nexit\n"
	    "route-map MB permit 10\n match ip address prefix-list P4\n"
	    " match community C\nexit\n");
	uint32_t p1[] = { 65001, 64512 }, p2[] = { 65001, 65666, 64512 };
	uint32_t own[] = { 62610 };
	struct route r;

	route_init(&r, p1, 2, NULL);
	assert_int_equal(run(c, "M4", "10.1.0.0/16", &r, 0), POL_PERMIT);
	assert_int_equal(run(c, "M4", "11.1.0.0/16", &r, 0), POL_DENY);
	assert_int_equal(run(c, "M4", "2001:db8::/48", &r, 0), POL_DENY);
	assert_int_equal(run(c, "M6", "2001:db8::/48", &r, 0), POL_PERMIT);
	assert_int_equal(run(c, "M6", "10.1.0.0/16", &r, 0), POL_DENY);

	/* Communities: every value of an entry; the first entry decides. */
	route_init(&r, p1, 2, "65000:1 65000:2 65000:9");
	assert_int_equal(run(c, "MC", "10.0.0.0/8", &r, 0), POL_PERMIT);
	assert_int_equal(run(c, "MX", "10.0.0.0/8", &r, 0), POL_DENY);
	route_init(&r, p1, 2, "65000:2 65000:1");
	assert_int_equal(run(c, "MX", "10.0.0.0/8", &r, 0), POL_PERMIT);
	route_init(&r, p1, 2, "65000:1");
	assert_int_equal(run(c, "MC", "10.0.0.0/8", &r, 0), POL_DENY);
	route_init(&r, p1, 2, "65000:3 65000:4");
	assert_int_equal(run(c, "MC", "10.0.0.0/8", &r, 0), POL_DENY);
	route_init(&r, p1, 2, "no-export");
	assert_int_equal(run(c, "MW", "10.0.0.0/8", &r, 0), POL_PERMIT);
	route_init(&r, p1, 2, "64512:1:2 1:2:3");
	assert_int_equal(run(c, "ML", "10.0.0.0/8", &r, 0), POL_PERMIT);
	route_init(&r, p1, 2, "64512:1:3");
	assert_int_equal(run(c, "ML", "10.0.0.0/8", &r, 0), POL_DENY);

	/* AS paths; "_" is a boundary; our own ASNs are not seen. */
	route_init(&r, p1, 2, NULL);
	assert_int_equal(run(c, "MA", "10.0.0.0/8", &r, 0), POL_PERMIT);
	assert_int_equal(run(c, "MN", "10.0.0.0/8", &r, 0), POL_PERMIT);
	route_init(&r, p2, 3, NULL);
	assert_int_equal(run(c, "MN", "10.0.0.0/8", &r, 0), POL_DENY);
	route_init(&r, (uint32_t[]){ 164512 }, 1, NULL);
	assert_int_equal(run(c, "MA", "10.0.0.0/8", &r, 0), POL_DENY);
	route_init(&r, NULL, 0, NULL);
	assert_int_equal(run(c, "MO", "10.0.0.0/8", &r, 0), POL_PERMIT);
	route_init(&r, own, 1, NULL);
	assert_int_equal(run(c, "MO", "10.0.0.0/8", &r, 0), POL_DENY);
	assert_int_equal(run(c, "MO", "10.0.0.0/8", &r, 1), POL_PERMIT);

	/* Both clauses must hold. */
	route_init(&r, p1, 2, "65000:1 65000:2");
	assert_int_equal(run(c, "MB", "10.0.0.0/8", &r, 0), POL_PERMIT);
	assert_int_equal(run(c, "MB", "12.0.0.0/8", &r, 0), POL_DENY);
	route_init(&r, p1, 2, NULL);
	assert_int_equal(run(c, "MB", "10.0.0.0/8", &r, 0), POL_DENY);

	/* Names not defined: the route-map denies, a list matches nothing. */
	assert_int_equal(run(c, "NOPE", "10.0.0.0/8", &r, 0), POL_DENY);
	conf_free(c);
}

/* ---- route-map sets ---- */

static void
test_set_clauses(void **state)
{
	struct conf *c =
	    load("bgp community-list standard DEL permit 64512:100\n"
		 "bgp community-list standard DEL permit 7224:9100\n"
		 "bgp large-community-list standard LDEL permit 1:1:1\n"
		 "route-map S permit 10\n"
		 " set local-preference 200\n set metric 50\n set origin egp\n"
		 " set community 65000:2 65000:1 65000:2\n"
		 " set large-community 64512:3:4\n"
		 " set as-path prepend 62610 62610\n"
		 " set ip next-hop 192.0.2.1\n"
		 " set ipv6 next-hop global 2001:db8::1\nexit\n"
		 "route-map ADD permit 10\n set community 65000:9 additive\n"
		 " set metric +10\nexit\n"
		 "route-map SUB permit 10\n set metric -100\nexit\n"
		 "route-map NONE permit 10\n set community none\n"
		 " set large-community none\nexit\n"
		 "route-map DEL permit 10\n set comm-list DEL delete\n"
		 " set large-comm-list LDEL delete\nexit\n");
	uint32_t p1[] = { 65001 };
	struct route r;
	char buf[256];

	route_init(&r, p1, 1, "65000:7 1:1:1");
	assert_int_equal(run(c, "S", "10.0.0.0/8", &r, 0), POL_PERMIT);
	assert_true(r.k.flags & RIB_A_LOCAL_PREF);
	assert_int_equal(r.k.local_pref, 200);
	assert_true(r.k.flags & RIB_A_MED);
	assert_int_equal(r.k.med, 50);
	assert_int_equal(r.k.origin, BGP_ORIGIN_EGP);
	comm_text(&r.k, buf, sizeof(buf));
	assert_string_equal(buf, "65000:1 65000:2"); /* replaced, sorted */
	assert_int_equal(r.k.lcomm_len, 12);
	assert_int_equal(r.k.aspath_len, 2 + 3 * 4); /* merged segment */
	assert_int_equal(r.k.aspath[1], 3);
	assert_int_equal(r.k.aspath[5], (uint8_t)62610);
	assert_int_equal(r.k.aspath[13], (uint8_t)65001);
	assert_int_equal(r.k.nh_len, 4);
	assert_int_equal(r.k.nexthop[0], 192);
	assert_int_equal(r.k.nexthop[3], 1);

	/* An IPv6 route takes the IPv6 next hop only. */
	route_init(&r, p1, 1, NULL);
	assert_int_equal(run(c, "S", "2001:db8:5::/48", &r, 0), POL_PERMIT);
	assert_int_equal(r.k.nh_len, 16);
	assert_int_equal(r.k.nexthop[0], 0x20);
	assert_int_equal(r.k.nexthop[15], 1);

	/* Prepending after our own AS (toward an external peer). */
	route_init(&r, (uint32_t[]){ 64999, 65001 }, 2, NULL);
	assert_int_equal(run(c, "S", "10.0.0.0/8", &r, 1), POL_PERMIT);
	assert_int_equal(r.k.aspath[1], 4);
	assert_int_equal(r.k.aspath[5], (uint8_t)64999);
	assert_int_equal(r.k.aspath[9], (uint8_t)62610);
	assert_int_equal(r.k.aspath[13], (uint8_t)62610);
	assert_int_equal(r.k.aspath[17], (uint8_t)65001);

	route_init(&r, p1, 1, "65000:7");
	r.k.flags |= RIB_A_MED;
	r.k.med = 5;
	assert_int_equal(run(c, "ADD", "10.0.0.0/8", &r, 0), POL_PERMIT);
	comm_text(&r.k, buf, sizeof(buf));
	assert_string_equal(buf, "65000:7 65000:9");
	assert_int_equal(r.k.med, 15);
	assert_int_equal(run(c, "SUB", "10.0.0.0/8", &r, 0), POL_PERMIT);
	assert_int_equal(r.k.med, 0); /* never below zero */

	route_init(&r, p1, 1, "65000:7 1:1:1");
	assert_int_equal(run(c, "NONE", "10.0.0.0/8", &r, 0), POL_PERMIT);
	assert_int_equal(r.k.comm_len, 0);
	assert_int_equal(r.k.lcomm_len, 0);

	route_init(&r, p1, 1, "7224:9100 65000:7 64512:100 1:1:1 2:2:2");
	assert_int_equal(run(c, "DEL", "10.0.0.0/8", &r, 0), POL_PERMIT);
	comm_text(&r.k, buf, sizeof(buf));
	assert_string_equal(buf, "65000:7");
	assert_int_equal(r.k.lcomm_len, 12);
	assert_int_equal(r.k.lcomm[3], 2);
	conf_free(c);
}

/* ---- the route-map ladder ---- */

static void
test_ladder(void **state)
{
	struct conf *c = load(
	    "ip prefix-list TEN permit 10.0.0.0/8 le 32\n"
	    "ip prefix-list BAD permit 10.66.0.0/16 le 32\n"
	    /* First match wins; deny ends it; implicit deny at the end. */
	    "route-map R deny 5\n match ip address prefix-list BAD\nexit\n"
	    "route-map R permit 10\n match ip address prefix-list TEN\n"
	    " set local-preference 110\nexit\n"
	    "route-map R permit 20\n set local-preference 120\n"
	    " match ip address prefix-list NOTDEFINED\nexit\n"
	    /* on-match next: both entries' sets apply. */
	    "route-map N permit 10\n set local-preference 150\n"
	    " on-match next\nexit\n"
	    "route-map N permit 20\n set metric 7\nexit\n"
	    /* continue 30 skips 20; nothing after matches: still permit. */
	    "route-map K permit 10\n set metric 1\n continue 30\nexit\n"
	    "route-map K permit 20\n set metric 2\nexit\n"
	    "route-map K permit 30\n match ip address prefix-list TEN\n"
	    " set local-preference 300\nexit\n"
	    /* goto into a deny entry denies. */
	    "route-map G permit 10\n on-match goto 30\nexit\n"
	    "route-map G permit 20\nexit\n"
	    "route-map G deny 30\nexit\n");
	struct route r;

	route_init(&r, NULL, 0, NULL);
	assert_int_equal(run(c, "R", "10.66.1.0/24", &r, 0), POL_DENY);
	route_init(&r, NULL, 0, NULL);
	assert_int_equal(run(c, "R", "10.1.0.0/16", &r, 0), POL_PERMIT);
	assert_int_equal(r.k.local_pref, 110);
	route_init(&r, NULL, 0, NULL);
	assert_int_equal(run(c, "R", "11.0.0.0/8", &r, 0), POL_DENY);

	route_init(&r, NULL, 0, NULL);
	assert_int_equal(run(c, "N", "11.0.0.0/8", &r, 0), POL_PERMIT);
	assert_int_equal(r.k.local_pref, 150);
	assert_int_equal(r.k.med, 7);

	route_init(&r, NULL, 0, NULL);
	assert_int_equal(run(c, "K", "10.0.0.0/8", &r, 0), POL_PERMIT);
	assert_int_equal(r.k.med, 1);
	assert_int_equal(r.k.local_pref, 300);
	route_init(&r, NULL, 0, NULL);
	assert_int_equal(run(c, "K", "11.0.0.0/8", &r, 0), POL_PERMIT);
	assert_int_equal(r.k.med, 1);
	assert_false(r.k.flags & RIB_A_LOCAL_PREF);

	route_init(&r, NULL, 0, NULL);
	assert_int_equal(run(c, "G", "11.0.0.0/8", &r, 0), POL_DENY);
	conf_free(c);
}

/* ---- refused values, printing, changes ---- */

static void
test_refused(void **state)
{
	refused("ip prefix-list L permit 10.0.0.1/8\n",
	    "p.conf:1: '10.0.0.1/8' is not an IPv4 prefix");
	refused("ip prefix-list L permit 2001:db8::/32\n", "p.conf:1:");
	refused("ip prefix-list L permit 10.0.0.0/8 ge 8\n",
	    "p.conf:1: ge 8 must be longer");
	refused("ip prefix-list L permit 10.0.0.0/8 ge 24 le 16\n",
	    "p.conf:1: le 16 must be at least ge 24");
	refused("ip prefix-list L permit 10.0.0.0/8 le 33\n",
	    "p.conf:1: ge and le are at most 32");
	refused("bgp community-list standard C permit 65536:1\n",
	    "p.conf:1: '65536:1' is not a community");
	refused("bgp large-community-list standard C permit 1:2\n",
	    "p.conf:1: '1:2' is not a large community");
	refused("bgp as-path access-list A permit (\n",
	    "p.conf:1: '(' is not a valid regular expression");
	refused("route-map R permit 10\n set metric abc\n",
	    "p.conf:2: 'abc' is not a metric");
	refused("route-map R permit 10\n set as-path prepend 0\n",
	    "p.conf:2: '0' is not an AS number");
	refused("route-map R permit 10\n on-match goto 5\n",
	    "p.conf:2: 5 does not come after this entry (10)");
	refused("route-map R permit 10\n set community 1:1 additive 2:2\n",
	    "p.conf:2: 'additive' comes last");
	refused("no route-map R\n", "p.conf:1: no route-map R");
	refused("router bgp 62610\n network 10.0.0.1/8\n",
	    "p.conf:2: '10.0.0.1/8' is not an IPv4 prefix");
}

static const char full[] =
    "router bgp 62610\n"
    " neighbor 10.0.0.1 remote-as 64512\n"
    " neighbor 2001:db8::1 remote-as 64512\n"
    " address-family ipv4 unicast\n"
    "  network 192.0.2.0/24\n"
    "  network 198.51.100.0/24 route-map ORIG\n"
    "  neighbor 10.0.0.1 prefix-list OURS out\n"
    "  neighbor 10.0.0.1 route-map AWS-IN in\n"
    "  neighbor 10.0.0.1 route-map AWS-OUT out\n"
    " exit-address-family\n"
    " address-family ipv6 unicast\n"
    "  network 2001:db8:100::/48\n"
    "  neighbor 2001:db8::1 route-map AWS-IN in\n"
    " exit-address-family\n"
    "exit\n"
    "ip prefix-list OURS seq 5 permit 192.0.2.0/24\n"
    "ip prefix-list OURS seq 10 permit 198.51.100.0/24 ge 25 le 26\n"
    "ipv6 prefix-list V6 seq 5 deny ::/0 le 7\n"
    "bgp community-list standard C seq 5 permit 7224:7100 no-export\n"
    "bgp large-community-list standard L seq 10 deny 1:2:3\n"
    "bgp as-path access-list A seq 5 permit ^64512( 64512)*$\n"
    "route-map AWS-IN permit 10\n"
    " description prefer AWS\n"
    " match community C exact-match\n"
    " match as-path A\n"
    " set local-preference 200\n"
    " set community 7224:7200 additive\n"
    " on-match next\n"
    "exit\n"
    "route-map AWS-IN permit 20\n"
    " match large-community L\n"
    " set metric -5\n"
    " set comm-list C delete\n"
    " continue 40\n"
    "exit\n"
    "route-map AWS-OUT permit 10\n"
    " set origin incomplete\n"
    " set large-community 62610:1:1\n"
    " set as-path prepend 62610 62610\n"
    " set ip next-hop 10.0.0.2\n"
    " set ipv6 next-hop global 2001:db8::2\n"
    "exit\n"
    "route-map ORIG deny 5\n"
    " match ipv6 address prefix-list V6\n"
    " set large-comm-list L delete\n"
    " on-match goto 10\n"
    "exit\n";

static char *
print(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	conf_print(c, f);
	fclose(f);
	return buf;
}

static void
test_print_round_trip(void **state)
{
	struct conf *c = load(full), *c2;
	char *t1 = print(c), *t2;

	assert_string_equal(t1, full);
	c2 = load(t1);
	t2 = print(c2);
	assert_string_equal(t1, t2);
	assert_true(pol_eq(c->pol, c2->pol));
	free(t1);
	free(t2);
	conf_free(c);
	conf_free(c2);
}

/* Entries without seq take the next multiple of 5; no removes. */
static void
test_seq_and_no(void **state)
{
	struct conf *c = load("ip prefix-list L permit 10.0.0.0/8\n"
			      "ip prefix-list L seq 12 permit 11.0.0.0/8\n"
			      "ip prefix-list L permit 12.0.0.0/8\n"
			      "ip prefix-list L permit 10.0.0.0/8\n"
			      "no ip prefix-list L seq 5\n"
			      "route-map R permit 10\n set metric 1\nexit\n"
			      "route-map R permit 20\nexit\n"
			      "route-map R permit 10\n no set metric\nexit\n"
			      "no route-map R permit 20\n");
	char *t = print(c);

	assert_string_equal(t,
	    "ip prefix-list L seq 12 permit 11.0.0.0/8\n"
	    "ip prefix-list L seq 15 permit 12.0.0.0/8\n"
	    "route-map R permit 10\n"
	    "exit\n");
	free(t);
	conf_free(c);
}

/* Which changes of a config change a neighbor's policy. */
static void
test_neighbor_changed(void **state)
{
	static const char base[] =
	    "router bgp 62610\n neighbor 10.0.0.1 remote-as 64512\n"
	    " neighbor 10.0.0.1 description %s\n"
	    " address-family ipv4 unicast\n"
	    "  neighbor 10.0.0.1 route-map IN in\n"
	    " exit-address-family\nexit\n"
	    "ip prefix-list P permit %s\n"
	    "route-map IN permit 10\n match ip address prefix-list P\nexit\n"
	    "route-map OTHER permit 10\n set metric %s\nexit\n";
	char a[1024], b[1024];
	struct conf *ca, *cb;

	snprintf(a, sizeof(a), base, "one", "10.0.0.0/8", "1");
	ca = load(a);
	/* Description and an unused route-map: no policy change. */
	snprintf(b, sizeof(b), base, "two", "10.0.0.0/8", "2");
	cb = load(b);
	assert_false(
	    pol_neighbor_changed(ca, ca->neighbors, cb, cb->neighbors, false));
	assert_false(
	    pol_neighbor_changed(ca, ca->neighbors, cb, cb->neighbors, true));
	conf_free(cb);
	/* A prefix list the route-map uses: inbound changed. */
	snprintf(b, sizeof(b), base, "one", "11.0.0.0/8", "1");
	cb = load(b);
	assert_true(
	    pol_neighbor_changed(ca, ca->neighbors, cb, cb->neighbors, false));
	assert_false(
	    pol_neighbor_changed(ca, ca->neighbors, cb, cb->neighbors, true));
	conf_free(cb);
	conf_free(ca);
}

/* Names used but not defined: warnings, not errors. */
static void
test_warnings(void **state)
{
	struct conf *c = load("router bgp 62610\n"
			      " neighbor 10.0.0.1 remote-as 64512\n"
			      " address-family ipv4 unicast\n"
			      "  network 192.0.2.0/24 route-map GONE\n"
			      "  neighbor 10.0.0.1 route-map NOPE in\n"
			      "  neighbor 10.0.0.1 prefix-list OK out\n"
			      "  neighbor 10.0.0.1 prefix-list MISSING in\n"
			      " exit-address-family\n"
			      "exit\n"
			      "ip prefix-list OK permit 192.0.2.0/24\n");
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(conf_warn(c, "p.conf", f), 3);
	fclose(f);
	assert_string_equal(text,
	    "p.conf:2: warning: neighbor 10.0.0.1: route-map NOPE is not "
	    "defined; it denies every route\n"
	    "p.conf:2: warning: neighbor 10.0.0.1: prefix-list MISSING is "
	    "not defined; it matches no route\n"
	    "p.conf:4: warning: network: route-map GONE is not defined; the "
	    "network is not announced\n");
	free(text);
	conf_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_list),
		cmocka_unit_test(test_match_clauses),
		cmocka_unit_test(test_set_clauses),
		cmocka_unit_test(test_ladder),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_print_round_trip),
		cmocka_unit_test(test_seq_and_no),
		cmocka_unit_test(test_neighbor_changed),
		cmocka_unit_test(test_warnings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
