/*
 * test_show.c: tests bgpd/show.c and the commands of bgpd/show_cmd.c.
 *
 * A daemon without sockets: a bgpd with its RDE on a private loop and
 * three neighbors that never connect (passive, or shut down), every
 * next hop reachable (a link seam over next-hop tracking); routes
 * go straight into its RIB and its Adj-RIB-In, one neighbor is made
 * "up" in the RIB and sent the table through rib_out_flush.  Then
 * every show command is run, as text and as JSON: the JSON must parse
 * and carry each attribute of each path, the advertised routes must
 * be what the export rules make of them (our AS prepended, our next
 * hop, no MED or LOCAL_PREF toward eBGP), the errors must say why,
 * and the TCP MD5 key must appear nowhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include <dxbgp/rib.h>

#include "cmd.h"
#include "conf.h"
#include "log.h"
#include "nht.h"
#include "rde.h"
#include "session.h"
#include "show.h"
#include "show_cmd.h"

#define KEY "s3cret-key"

static const char conf_text[] =
    "router bgp 65000\n"
    " bgp router-id 10.0.0.2\n"
    " no bgp ebgp-requires-policy\n"
    " neighbor 127.0.0.11 remote-as 65001\n"
    " neighbor 127.0.0.11 passive\n"
    " neighbor 127.0.0.11 password " KEY "\n"
    " neighbor 127.0.0.11 description \"bird \\\"one\\\"\"\n"
    " neighbor 127.0.0.11 soft-reconfiguration inbound\n"
    " neighbor 127.0.0.11 maximum-prefix 1000\n"
    " neighbor 127.0.0.12 remote-as 65002\n"
    " neighbor 127.0.0.12 passive\n"
    " neighbor 127.0.0.13 remote-as 65000\n"
    " neighbor 127.0.0.13 shutdown message maintenance\n"
    "exit\n";

struct fx {
	struct ev_loop *loop;
	struct bgpd *d;
	struct rde *rde;
	struct peer *a, *b, *c;
	size_t sent; /* UPDATEs flushed to b */
};

/*
 * Link seam: every next hop is reachable, whatever the routes of the
 * machine running the test (next-hop tracking is tested in test_nht.c).
 */
bool __wrap_nht_reachable(const struct nht *, int, const uint8_t *);

bool
__wrap_nht_reachable(const struct nht *n, int family, const uint8_t *addr)
{
	return true;
}

/* ---- a small JSON checker: the outputs must parse ---- */

static const char *json_value(const char *s);

static const char *
ws(const char *s)
{
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

static const char *
json_string(const char *s)
{
	if (*s++ != '"')
		return NULL;
	for (; *s != '"'; s++) {
		if ((unsigned char)*s < 0x20)
			return NULL;
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)s[i]))
						return NULL;
				s += 4;
			} else if (strchr("\"\\/bfnrt", *s) == NULL)
				return NULL;
		}
	}
	return s + 1;
}

static const char *
json_seq(const char *s, char close, bool object)
{
	s = ws(s + 1);
	if (*s == close)
		return s + 1;
	for (;;) {
		if (object) {
			if ((s = json_string(ws(s))) == NULL)
				return NULL;
			s = ws(s);
			if (*s++ != ':')
				return NULL;
		}
		if ((s = json_value(s)) == NULL)
			return NULL;
		s = ws(s);
		if (*s == close)
			return s + 1;
		if (*s++ != ',')
			return NULL;
	}
}

static const char *
json_value(const char *s)
{
	s = ws(s);
	if (*s == '{')
		return json_seq(s, '}', true);
	if (*s == '[')
		return json_seq(s, ']', false);
	if (*s == '"')
		return json_string(s);
	if (strncmp(s, "true", 4) == 0 || strncmp(s, "null", 4) == 0)
		return s + 4;
	if (strncmp(s, "false", 5) == 0)
		return s + 5;
	if (*s == '-' || isdigit((unsigned char)*s)) {
		s += *s == '-';
		while (isdigit((unsigned char)*s))
			s++;
		return s;
	}
	return NULL;
}

static void
assert_json(const char *text)
{
	const char *end = json_value(text);

	if (end == NULL || *ws(end) != '\0')
		fail_msg("not one JSON value:\n%s", text);
}

static void
assert_has(const char *text, const char *what)
{
	if (strstr(text, what) == NULL)
		fail_msg("no %s in:\n%s", what, text);
}

static void
assert_lacks(const char *text, const char *what)
{
	if (strstr(text, what) != NULL)
		fail_msg("%s in:\n%s", what, text);
}

/* ---- the daemon and its routes ---- */

static struct peer *
peer(struct fx *f, const char *addr)
{
	struct conf_addr a;
	struct peer *p;

	assert_true(conf_addr_parse(addr, &a));
	p = bgpd_peer_find(f->d, &a);
	assert_non_null(p);
	return p;
}

static void
be32put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
add(struct rib *rib, struct peer *p, const char *pfx, unsigned len,
    const struct rib_attrs_key *k)
{
	struct rib_prefix rp;
	struct rib_attrs *a;

	memset(&rp, 0, sizeof(rp));
	rp.afi = strchr(pfx, ':') ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	rp.len = (uint8_t)len;
	assert_int_equal(inet_pton(rp.afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET,
			     pfx, rp.addr),
	    1);
	a = rib_attrs_intern(rib, k);
	rib_add(rib, p->rib_id, &rp, 0, a);
	rib_attrs_unref(rib, a);
}

static void
up_in_rib(struct fx *f, struct peer *p, uint32_t asn, const char *nh4)
{
	struct rib_peer_info pi;

	memset(&pi, 0, sizeof(pi));
	pi.asn = asn;
	pi.local_as = 65000;
	pi.router_id = 0x0a000000u | p->rib_id;
	inet_pton(AF_INET, p->name, pi.addr);
	pi.addr_len = 4;
	pi.as4 = true;
	pi.af = RIB_AF_IPV4 | RIB_AF_IPV6;
	if (nh4 != NULL) {
		inet_pton(AF_INET, nh4, pi.nh4);
		pi.has_nh4 = true;
	}
	rib_peer_set(f->d->rib, p->rib_id, &pi);
}

static bool
count_send(void *arg, const uint8_t *msg, size_t len)
{
	(*(size_t *)arg)++;
	return true;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct conf *conf = NULL;
	struct rib_attrs_key k;
	/* AS_SEQUENCE 65001 64999 */
	uint8_t path_a[10] = { BGP_SEG_SEQUENCE, 2 },
		path_b[6] = { BGP_SEG_SEQUENCE, 1 };
	uint8_t comm[8], lcomm[12], ecomm[8] = { 0x00, 0x02, 0xfd, 0xe9 };
	uint8_t cluster[4];
	struct rib *in;

	assert_non_null(f);
	log_init("test_show", 1, LOG_LVL_ERR);
	f->loop = ev_loop_new(0);
	f->d = bgpd_new(f->loop, 179);
	f->rde = rde_new(f->d);
	assert_int_equal(
	    conf_load_string(conf_text, "t.conf", &conf, stderr), 0);
	bgpd_configure(f->d, conf);
	rde_configure(f->rde, f->d->conf);
	f->a = peer(f, "127.0.0.11");
	f->b = peer(f, "127.0.0.12");
	f->c = peer(f, "127.0.0.13");
	up_in_rib(f, f->a, 65001, NULL);
	up_in_rib(f, f->b, 65002, "192.0.2.1");

	be32put(path_a + 2, 65001);
	be32put(path_a + 6, 64999);
	be32put(path_b + 2, 65002);
	be32put(comm, 65001u << 16 | 1);
	be32put(comm + 4, 65001u << 16 | 20);
	be32put(lcomm, 65001);
	be32put(lcomm + 4, 1);
	be32put(lcomm + 8, 2);
	be32put(ecomm + 4, 100);
	be32put(cluster, 0x02020202);

	/* 10.1.0.0/16 from a, with every attribute */
	memset(&k, 0, sizeof(k));
	k.flags = RIB_A_MED | RIB_A_LOCAL_PREF | RIB_A_ATOMIC_AGGR |
	    RIB_A_AGGREGATOR | RIB_A_ORIGINATOR | RIB_A_ASPATH;
	k.origin = BGP_ORIGIN_IGP;
	k.nh_len = 4;
	inet_pton(AF_INET, "192.0.2.11", k.nexthop);
	k.med = 50;
	k.local_pref = 200;
	k.originator_id = 0x01010101;
	k.aggr_as = 65001;
	k.aggr_addr = 0x0a090909;
	k.aspath = path_a;
	k.aspath_len = sizeof(path_a);
	k.comm = comm;
	k.comm_len = sizeof(comm);
	k.lcomm = lcomm;
	k.lcomm_len = sizeof(lcomm);
	k.ecomm = ecomm;
	k.ecomm_len = sizeof(ecomm);
	k.cluster = cluster;
	k.cluster_len = sizeof(cluster);
	add(f->d->rib, f->a, "10.1.0.0", 16, &k);
	/* as received, and one more route refused on import */
	in = rde_adj_rib_in(f->d);
	assert_non_null(in);
	add(in, f->a, "10.1.0.0", 16, &k);
	add(in, f->a, "10.2.0.0", 16, &k);
	/* 2001:db8::/32 from a */
	k.nh_len = 16;
	inet_pton(AF_INET6, "2001:db8::11", k.nexthop);
	add(f->d->rib, f->a, "2001:db8::", 32, &k);
	/* 10.1.0.0/16 from b too, but with a lower LOCAL_PREF */
	memset(&k, 0, sizeof(k));
	k.flags = RIB_A_LOCAL_PREF | RIB_A_ASPATH;
	k.origin = BGP_ORIGIN_INCOMPLETE;
	k.nh_len = 4;
	inet_pton(AF_INET, "192.0.2.12", k.nexthop);
	k.local_pref = 100;
	k.aspath = path_b;
	k.aspath_len = sizeof(path_b);
	add(f->d->rib, f->b, "10.1.0.0", 16, &k);
	rib_process(f->d->rib);
	/* b is sent the table */
	rib_out_start(f->d->rib, f->b->rib_id);
	rib_out_flush(f->d->rib, f->b->rib_id, 4096, count_send, &f->sent);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	/* The RDE first: it reaches its bgpd's loop through it. */
	rde_free(f->rde);
	bgpd_free(f->d);
	ev_loop_destroy(f->loop);
	cmd_reset();
	free(f);
	return 0;
}

/* ---- capturing output ---- */

struct cap {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *
cap_open(struct cap *c)
{
	c->buf = NULL;
	c->f = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
	return c->f;
}

static char *
cap_close(struct cap *c)
{
	fclose(c->f);
	/* No show output ever holds the key. */
	assert_lacks(c->buf, KEY);
	return c->buf;
}

static struct rib_prefix
pfx(const char *s, uint16_t afi)
{
	struct rib_prefix p;
	bool exact;

	assert_true(show_prefix_parse(s, afi, &p, &exact));
	return p;
}

/* ---- the tests ---- */

static void
test_prefix_parse(void **state)
{
	static const struct {
		const char *s;
		uint16_t afi;
		bool ok, exact;
		unsigned len;
		const char *addr; /* after masking */
	} v[] = {
		{ "10.1.2.3/16", BGP_AFI_IPV4, true, true, 16, "10.1.0.0" },
		{ "10.1.2.3", BGP_AFI_IPV4, true, false, 32, "10.1.2.3" },
		{ "0.0.0.0/0", BGP_AFI_IPV4, true, true, 0, "0.0.0.0" },
		{ "10.1.2.255/31", BGP_AFI_IPV4, true, true, 31, "10.1.2.254" },
		{ "2001:db8::1/32", BGP_AFI_IPV6, true, true, 32,
		    "2001:db8::" },
		{ "2001:db8:ffff::1/35", BGP_AFI_IPV6, true, true, 35,
		    "2001:db8:e000::" },
		{ "2001:db8::1", BGP_AFI_IPV6, true, false, 128,
		    "2001:db8::1" },
		{ "10.0.0.0/33", BGP_AFI_IPV4, false, false, 0, NULL },
		{ "10.0.0.0/", BGP_AFI_IPV4, false, false, 0, NULL },
		{ "10.0.0.0/-1", BGP_AFI_IPV4, false, false, 0, NULL },
		{ "10.0.0.0/8x", BGP_AFI_IPV4, false, false, 0, NULL },
		{ "10.0.0/8", BGP_AFI_IPV4, false, false, 0, NULL },
		{ "2001:db8::/32", BGP_AFI_IPV4, false, false, 0, NULL },
		{ "10.0.0.0/8", BGP_AFI_IPV6, false, false, 0, NULL },
		{ "2001:db8::/129", BGP_AFI_IPV6, false, false, 0, NULL },
		{ "/8", BGP_AFI_IPV4, false, false, 0, NULL },
		{ "", BGP_AFI_IPV4, false, false, 0, NULL },
	};
	struct rib_prefix p;
	char buf[INET6_ADDRSTRLEN];
	bool exact;

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		bool ok = show_prefix_parse(v[i].s, v[i].afi, &p, &exact);

		if (ok != v[i].ok)
			fail_msg(
			    "\"%s\": %s", v[i].s, ok ? "accepted" : "refused");
		if (!ok)
			continue;
		assert_int_equal(exact, v[i].exact);
		assert_int_equal(p.len, v[i].len);
		assert_int_equal(p.afi, v[i].afi);
		inet_ntop(v[i].afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, p.addr,
		    buf, sizeof(buf));
		assert_string_equal(buf, v[i].addr);
	}
}

static void
test_prefix_detail(void **state)
{
	struct fx *f = *state;
	struct rib_prefix p = pfx("10.1.0.0/16", BGP_AFI_IPV4);
	struct cap c;
	char *out, *second;

	assert_int_equal(
	    show_bgp_prefix(f->d, &p, true, cap_open(&c), true), 0);
	out = cap_close(&c);
	assert_json(out);
	assert_has(out, "\"prefix\":\"10.1.0.0/16\",\"pathCount\":2");
	/* never back to a, the source of the best path */
	assert_has(out, "\"advertisedTo\":[\"127.0.0.12\"]");
	/* the best path first, with every attribute */
	assert_has(out,
	    "\"paths\":[{\"best\":true,\"multipath\":false,"
	    "\"valid\":true,\"ineligible\":false,\"stale\":false,"
	    "\"peer\":\"127.0.0.11\",\"peerAs\":65001");
	assert_has(out,
	    "\"nexthop\":\"192.0.2.11\",\"path\":\"65001 64999\","
	    "\"origin\":\"IGP\",\"med\":50,\"localPref\":200,"
	    "\"communities\":[\"65001:1\",\"65001:20\"],"
	    "\"largeCommunities\":[\"65001:1:2\"],"
	    "\"extCommunities\":[\"RT:65001:100\"],"
	    "\"originatorId\":\"1.1.1.1\","
	    "\"clusterList\":[\"2.2.2.2\"],"
	    "\"atomicAggregate\":true,"
	    "\"aggregator\":{\"as\":65001,\"address\":\"10.9.9.9\"}");
	second = strstr(out, "},{");
	assert_non_null(second);
	assert_has(second, "{\"best\":false,\"multipath\":false");
	assert_has(second, "\"peer\":\"127.0.0.12\"");
	assert_has(second,
	    "\"origin\":\"incomplete\",\"localPref\":100,"
	    "\"communities\":[],\"largeCommunities\":[]");
	assert_lacks(second, "\"med\"");
	free(out);

	/* an address: its longest match; a prefix: only itself */
	p = pfx("10.1.2.3", BGP_AFI_IPV4);
	assert_int_equal(
	    show_bgp_prefix(f->d, &p, false, cap_open(&c), false), 0);
	out = cap_close(&c);
	assert_has(out, "BGP routing table entry for 10.1.0.0/16\n");
	assert_has(out, "Paths: (2 available, best #1)\n");
	assert_has(out, "  Advertised to: 127.0.0.12\n");
	assert_has(out, "      192.0.2.11 from 127.0.0.11");
	assert_has(out,
	    "Origin IGP, metric 50, localpref 200, valid, external,"
	    " best\n");
	assert_has(out, "      Community: 65001:1 65001:20\n");
	assert_has(out, "      Large Community: 65001:1:2\n");
	assert_has(out, "      Extended Community: RT:65001:100\n");
	assert_has(out, "      Originator: 1.1.1.1\n");
	assert_has(out, "      Cluster list: 2.2.2.2\n");
	assert_has(out, "      Aggregated by 65001 10.9.9.9\n");
	free(out);
	p = pfx("10.1.2.0/24", BGP_AFI_IPV4);
	assert_int_equal(
	    show_bgp_prefix(f->d, &p, true, cap_open(&c), false), -1);
	free(cap_close(&c));
	p = pfx("10.9.0.0", BGP_AFI_IPV4);
	assert_int_equal(
	    show_bgp_prefix(f->d, &p, false, cap_open(&c), true), -1);
	free(cap_close(&c));
	p = pfx("2001:db8:1::", BGP_AFI_IPV6);
	assert_int_equal(
	    show_bgp_prefix(f->d, &p, false, cap_open(&c), true), 0);
	out = cap_close(&c);
	assert_json(out);
	assert_has(out, "\"prefix\":\"2001:db8::/32\"");
	assert_has(out, "\"nexthop\":\"2001:db8::11\"");
	/* b has no IPv6 address of ours to be sent it from */
	assert_has(out, "\"advertisedTo\":[]");
	free(out);
}

static char *
nbr_routes(struct fx *f, const char *addr, enum show_nbr_routes kind, bool json,
    int want_rc)
{
	struct conf_addr a;
	struct cap c;
	char err[256] = "";
	char *out;

	assert_true(conf_addr_parse(addr, &a));
	assert_int_equal(show_bgp_neighbor_routes(f->d, &a, kind, cap_open(&c),
			     json, err, sizeof(err)),
	    want_rc);
	out = cap_close(&c);
	if (want_rc == 0) {
		if (json)
			assert_json(out);
		assert_string_equal(err, "");
		return out;
	}
	assert_string_equal(out, "");
	free(out);
	return strdup(err);
}

static void
test_neighbor_routes(void **state)
{
	struct fx *f = *state;
	char *out;

	/* accepted: a's two routes, its IPv4 one best */
	out = nbr_routes(f, "127.0.0.11", SHOW_ACCEPTED, true, 0);
	assert_has(
	    out, "{\"neighbor\":\"127.0.0.11\",\"routeType\":\"routes\"");
	assert_has(out, "\"10.1.0.0/16\":[{\"best\":true");
	assert_has(out, "\"2001:db8::/32\":[{\"best\":true");
	assert_has(out, "\"totalPrefixes\":2}");
	free(out);
	/* b's only route lost to a's */
	out = nbr_routes(f, "127.0.0.12", SHOW_ACCEPTED, true, 0);
	assert_has(out, "\"10.1.0.0/16\":[{\"best\":false");
	assert_has(out, "\"totalPrefixes\":1}");
	free(out);
	out = nbr_routes(f, "127.0.0.12", SHOW_ACCEPTED, false, 0);
	assert_has(out, "*  10.1.0.0/16          192.0.2.12");
	assert_has(out, "Total number of prefixes 1 (routes of 127.0.0.12)");
	free(out);

	/* received: a's Adj-RIB-In holds one route the RIB does not */
	out = nbr_routes(f, "127.0.0.11", SHOW_RECEIVED, true, 0);
	assert_has(out, "\"routeType\":\"received-routes\"");
	assert_has(out,
	    "\"10.1.0.0/16\":[{\"pathId\":0,\"nexthop\":"
	    "\"192.0.2.11\",\"path\":\"65001 64999\"");
	assert_has(out, "\"10.2.0.0/16\":[");
	assert_has(out, "\"totalPrefixes\":2}");
	free(out);
	/* not kept for b: said so, as FRR does */
	out = nbr_routes(f, "127.0.0.12", SHOW_RECEIVED, true, -1);
	assert_has(out, "inbound soft reconfiguration not enabled");
	assert_has(out, "soft-reconfiguration inbound");
	free(out);
	out = nbr_routes(f, "127.0.0.99", SHOW_ACCEPTED, true, -1);
	assert_string_equal(out, "no neighbor 127.0.0.99");
	free(out);

	/* advertised: what the export rules make of a's best path */
	assert_true(f->sent >= 1);
	out = nbr_routes(f, "127.0.0.12", SHOW_ADVERTISED, true, 0);
	assert_has(out, "\"routeType\":\"advertised-routes\"");
	assert_has(out,
	    "\"10.1.0.0/16\":[{\"pending\":false,"
	    "\"withdrawPending\":false,\"nexthop\":\"192.0.2.1\","
	    "\"path\":\"65000 65001 64999\",\"origin\":\"IGP\","
	    "\"communities\":[\"65001:1\",\"65001:20\"]");
	/* no MED from a neighbor AS, no LOCAL_PREF, no reflection */
	assert_lacks(out, "\"med\"");
	assert_lacks(out, "\"localPref\"");
	assert_lacks(out, "originatorId");
	assert_has(out, "\"clusterList\":[]");
	/* no IPv6 address toward b: the IPv6 route is not sent */
	assert_lacks(out, "2001:db8");
	assert_has(out, "\"totalPrefixes\":1}");
	free(out);
	out = nbr_routes(f, "127.0.0.12", SHOW_ADVERTISED, false, 0);
	assert_has(out, "*> 10.1.0.0/16          192.0.2.1 ");
	assert_has(out, "65000 65001 64999 i\n");
	free(out);
	/* nothing goes back to a, and c is not up */
	out = nbr_routes(f, "127.0.0.11", SHOW_ADVERTISED, true, 0);
	assert_has(out, "\"routes\":{},\"totalPrefixes\":0}");
	free(out);
}

static void
test_summary(void **state)
{
	struct fx *f = *state;
	struct cap c;
	char *out;

	show_bgp_summary(f->d, cap_open(&c), true);
	out = cap_close(&c);
	assert_json(out);
	assert_has(out,
	    "{\"routerId\":\"10.0.0.2\",\"as\":65000,"
	    "\"peerCount\":3,\"establishedCount\":0");
	assert_has(out,
	    "\"127.0.0.11\":{\"remoteAs\":65001,\"localAs\":65000,"
	    "\"state\":\"Active\"");
	assert_has(out,
	    "\"pfxRcd\":2,\"pfxAccepted\":2,\"pfxReceived\":2,"
	    "\"pfxSent\":0,\"maxPrefix\":1000,"
	    "\"description\":\"bird \\\"one\\\"\"");
	assert_has(out,
	    "\"pfxRcd\":1,\"pfxAccepted\":1,\"pfxReceived\":null,"
	    "\"pfxSent\":1,\"maxPrefix\":null");
	assert_has(out,
	    "\"127.0.0.13\":{\"remoteAs\":65000,\"localAs\":65000,"
	    "\"state\":\"Idle (Admin)\"");
	assert_has(out,
	    "\"uptimeSeconds\":0,\"uptime\":\"00:00:00\","
	    "\"establishedEpoch\":0");
	free(out);
	show_bgp_summary(f->d, cap_open(&c), false);
	out = cap_close(&c);
	assert_has(
	    out, "BGP router identifier 10.0.0.2, local AS number 65000");
	assert_has(out, "Neighbors: 3 configured, 0 established");
	assert_has(out, "127.0.0.13");
	assert_has(out, "Idle (Admin)");
	free(out);
}

static void
test_neighbors(void **state)
{
	struct fx *f = *state;
	struct conf_addr a;
	struct cap c;
	char *out;

	/* as if it had sent Cease/2 with a message (RFC 9003) */
	f->a->st.last_err_code = BGP_ERR_CEASE;
	f->a->st.last_err_subcode = BGP_CEASE_ADMIN_SHUTDOWN;
	f->a->st.last_err_sent = false;
	snprintf(f->a->st.last_shutdown_msg, sizeof(f->a->st.last_shutdown_msg),
	    "%s", "moving \"racks\"");
	assert_int_equal(show_bgp_neighbors(f->d, NULL, cap_open(&c), true), 0);
	out = cap_close(&c);
	assert_json(out);
	assert_has(out,
	    "\"127.0.0.11\":{\"remoteAs\":65001,\"localAs\":65000,"
	    "\"state\":\"Active\",\"link\":\"external\"");
	assert_has(out, "\"md5\":true");
	assert_has(out,
	    "\"lastNotification\":{\"code\":6,\"subcode\":2,"
	    "\"codeName\":\"cease\",\"subcodeName\":"
	    "\"administrative shutdown\",\"sent\":false,"
	    "\"shutdownMessage\":\"moving \\\"racks\\\"\"}");
	assert_has(out, "\"softReconfigInbound\":true");
	assert_has(out,
	    "\"maxPrefix\":{\"limit\":1000,\"warnPercent\":75,"
	    "\"warningOnly\":false,\"restartMinutes\":0,"
	    "\"exceeded\":false,\"heldDown\":false}");
	assert_has(out,
	    "\"127.0.0.13\":{\"remoteAs\":65000,\"localAs\":65000,"
	    "\"state\":\"Idle (Admin)\",\"link\":\"internal\"");
	assert_has(
	    out, "\"shutdown\":true,\"shutdownMessage\":\"maintenance\"");
	free(out);
	assert_true(conf_addr_parse("127.0.0.11", &a));
	assert_int_equal(show_bgp_neighbors(f->d, &a, cap_open(&c), false), 0);
	out = cap_close(&c);
	assert_has(out, "BGP neighbor is 127.0.0.11, remote AS 65001");
	assert_has(out, "TCP MD5 authentication on");
	assert_has(
	    out, "  Prefixes: 2 accepted, 2 received (stored), 0 sent\n");
	assert_has(out,
	    "  Last NOTIFICATION received: 6/2 (cease, "
	    "administrative shutdown)\n"
	    "    Shutdown message: \"moving \"racks\"\"\n");
	assert_has(out, "  Maximum prefixes 1000, warning at 75%");
	assert_lacks(out, "127.0.0.12");
	free(out);
	assert_true(conf_addr_parse("127.0.0.14", &a));
	assert_int_equal(show_bgp_neighbors(f->d, &a, cap_open(&c), true), -1);
	free(cap_close(&c));
}

static void
test_routes_table(void **state)
{
	struct fx *f = *state;
	struct cap c;
	char *out;

	show_bgp_routes(f->d, BGP_AFI_IPV4, cap_open(&c), true);
	out = cap_close(&c);
	assert_json(out);
	assert_has(out, "\"routes\":{\"10.1.0.0/16\":[{\"best\":true");
	assert_lacks(out, "2001:db8");
	free(out);
	show_bgp_routes(f->d, BGP_AFI_IPV4, cap_open(&c), false);
	out = cap_close(&c);
	assert_has(out, "*> 10.1.0.0/16          192.0.2.11");
	assert_has(out, "Displayed 2 paths");
	free(out);
}

/* Runs a line as dxsh would: 0 or -1, the output and error in *out. */
static int
run(struct fx *f, const char *line, char **out)
{
	static struct show_ctx sc;
	struct cmd_state st;
	struct cap c;
	int rc;

	sc.bgpd = f->d;
	show_cmd_register();
	cmd_state_init(&st, CMD_MODE_EXEC, &sc);
	st.out = cap_open(&c);
	rc = cmd_exec(&st, line);
	if (rc != 0)
		fprintf(st.out, "%% %s\n", st.err);
	*out = cap_close(&c);
	return rc;
}

static void
test_commands(void **state)
{
	struct fx *f = *state;
	char *out;

	assert_int_equal(
	    run(f, "show bgp ipv4 unicast 10.1.0.0/16 json", &out), 0);
	assert_json(out);
	assert_has(out, "\"prefix\":\"10.1.0.0/16\"");
	free(out);
	assert_int_equal(run(f, "sh bg ipv4 u 10.1.2.3", &out), 0);
	assert_has(out, "BGP routing table entry for 10.1.0.0/16");
	free(out);
	assert_int_equal(run(f, "show bgp ipv4 unicast json", &out), 0);
	assert_json(out);
	free(out);
	assert_int_equal(run(f, "show bgp ipv6 unicast 10.1.0.0/16", &out), -1);
	assert_has(out, "invalid IPv6 prefix '10.1.0.0/16'");
	free(out);
	assert_int_equal(run(f, "show bgp ipv4 unicast 10.3.0.0/16", &out), -1);
	assert_has(out, "network 10.3.0.0/16 is not in the table");
	free(out);
	assert_int_equal(run(f,
			     "show bgp neighbors 127.0.0.11 advertised-routes "
			     "json",
			     &out),
	    0);
	assert_json(out);
	free(out);
	assert_int_equal(
	    run(f, "show bgp neighbors 127.0.0.11 received-routes json", &out),
	    0);
	assert_has(out, "\"totalPrefixes\":2");
	free(out);
	assert_int_equal(
	    run(f, "show bgp neighbors 127.0.0.12 received-routes", &out), -1);
	assert_has(out, "inbound soft reconfiguration not enabled");
	free(out);
	assert_int_equal(
	    run(f, "show bgp neighbors 127.0.0.12 routes", &out), 0);
	assert_has(out, "Total number of prefixes 1");
	free(out);
	assert_int_equal(
	    run(f, "show bgp neighbors 127.0.0.99 json", &out), -1);
	assert_has(out, "no neighbor 127.0.0.99");
	free(out);
	assert_int_equal(run(f, "show bgp summary json", &out), 0);
	assert_json(out);
	free(out);
	assert_int_equal(run(f, "show bgp neighbors json", &out), 0);
	assert_json(out);
	free(out);
	assert_int_equal(run(f, "show bgp memory json", &out), 0);
	assert_json(out);
	free(out);

	/* clear: soft needs an established session */
	assert_int_equal(run(f, "clear bgp 127.0.0.12 soft", &out), -1);
	assert_has(out, "127.0.0.12: not established (Active), nothing to do");
	free(out);
	assert_int_equal(run(f, "clear bgp 127.0.0.12 soft in", &out), -1);
	free(out);
	assert_int_equal(run(f, "clear bgp * soft out", &out), 0);
	assert_has(out, "no established neighbor to clear");
	free(out);
	assert_int_equal(run(f, "clear bgp 127.0.0.99", &out), -1);
	assert_has(out, "no neighbor 127.0.0.99");
	free(out);
	assert_int_equal(run(f, "clear bgp 10.0.0.300", &out), -1);
	free(out);
	assert_int_equal(
	    run(f, "clear bgp 127.0.0.12 soft sideways", &out), -1);
	free(out);
	/* hard: a shut down neighbor stays down, the others restart */
	assert_int_equal(run(f, "clear bgp 127.0.0.13", &out), 0);
	assert_has(out, "127.0.0.13: administratively shut down, not reset");
	free(out);
	assert_int_equal(f->c->state, FSM_IDLE);
	assert_int_equal(run(f, "clear bgp *", &out), 0);
	assert_has(out, "127.0.0.11: reset (Cease/4, Administrative Reset)\n");
	assert_has(out, "127.0.0.12: reset (Cease/4, Administrative Reset)\n");
	free(out);
	/* passive neighbors wait for their peer again */
	assert_int_equal(f->a->state, FSM_ACTIVE);
	assert_int_equal(f->b->state, FSM_ACTIVE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_parse),
		cmocka_unit_test_setup_teardown(
		    test_prefix_detail, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_neighbor_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_neighbors, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_routes_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
