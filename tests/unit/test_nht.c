/*
 * test_nht.c: tests the route table of bgpd/nht.c with rtnetlink
 * messages built here byte by byte, as the kernel sends them.
 *
 * What resolves a next hop (main and local tables, unicast and local
 * routes) and what does not (the default route, routes BGP installed,
 * other tables, cached clones, blackholes); the longest prefix wins
 * nothing here but presence; one of two routes to a prefix going
 * leaves it reachable; a replace is not a second route; malformed
 * messages are refused and change nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>

#include "nht.h"

struct msg {
	struct nlmsghdr nh;
	struct rtmsg rtm;
	uint8_t attrs[64];
};

/* One rtattr appended to m. */
static void
put_attr(struct msg *m, uint16_t type, const void *data, uint16_t len)
{
	struct rtattr rta = { (uint16_t)RTA_LENGTH(len), type };
	uint8_t *at = (uint8_t *)m + m->nh.nlmsg_len;

	/* Byte copies: the attribute lies inside m's byte array. */
	memcpy(at, &rta, sizeof(rta));
	memcpy(at + RTA_LENGTH(0), data, len);
	m->nh.nlmsg_len += RTA_ALIGN(rta.rta_len);
}

/*
 * A route message: "10.0.0.0/24" (or "" for the default route), with
 * table, type, protocol and priority.
 */
static struct msg
route(uint16_t what, const char *dst, uint32_t table, uint8_t type,
    uint8_t proto, uint32_t prio)
{
	struct msg m;
	char a[64];
	uint8_t addr[16];
	const char *slash = strchr(dst, '/');
	int family = strchr(dst, ':') != NULL ? AF_INET6 : AF_INET;

	memset(&m, 0, sizeof(m));
	m.nh.nlmsg_len = NLMSG_LENGTH(sizeof(m.rtm));
	m.nh.nlmsg_type = what;
	m.rtm.rtm_family = (uint8_t)family;
	m.rtm.rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	m.rtm.rtm_type = type;
	m.rtm.rtm_protocol = proto;
	if (slash != NULL) {
		memcpy(a, dst, (size_t)(slash - dst));
		a[slash - dst] = '\0';
		assert_int_equal(inet_pton(family, a, addr), 1);
		m.rtm.rtm_dst_len = (uint8_t)atoi(slash + 1);
		put_attr(&m, RTA_DST, addr, family == AF_INET ? 4 : 16);
	}
	put_attr(&m, RTA_TABLE, &table, 4);
	if (prio != 0)
		put_attr(&m, RTA_PRIORITY, &prio, 4);
	return m;
}

static int
apply(struct nht_table *t, struct msg m)
{
	return nht_table_apply(t, &m, m.nh.nlmsg_len);
}

static bool
reach(const struct nht_table *t, const char *addr)
{
	uint8_t a[16];
	int family = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;

	assert_int_equal(inet_pton(family, addr, a), 1);
	return nht_table_reachable(t, family, a);
}

#define ADD   RTM_NEWROUTE
#define DEL   RTM_DELROUTE
#define MAIN  RT_TABLE_MAIN
#define LOCAL RT_TABLE_LOCAL

static void
test_what_resolves(void **state)
{
	struct nht_table *t = nht_table_new();

	assert_int_equal(
	    apply(t,
		route(ADD, "10.0.0.0/24", MAIN, RTN_UNICAST, RTPROT_KERNEL, 0)),
	    1);
	assert_int_equal(
	    apply(t,
		route(ADD, "10.0.0.2/32", LOCAL, RTN_LOCAL, RTPROT_KERNEL, 0)),
	    1);
	assert_int_equal(apply(t,
			     route(ADD, "2001:db8:1::/64", MAIN, RTN_UNICAST,
				 RTPROT_KERNEL, 256)),
	    1);
	/* Not used for next hops: nothing changes. */
	assert_int_equal(
	    apply(t, route(ADD, "", MAIN, RTN_UNICAST, RTPROT_BOOT, 0)), 0);
	assert_int_equal(apply(t,
			     route(ADD, "172.16.0.0/12", MAIN, RTN_UNICAST,
				 NHT_PROTO_BGP, 20)),
	    0);
	assert_int_equal(apply(t,
			     route(ADD, "192.168.0.0/16", 100, RTN_UNICAST,
				 RTPROT_STATIC, 0)),
	    0);
	assert_int_equal(apply(t,
			     route(ADD, "198.51.100.0/24", MAIN, RTN_BLACKHOLE,
				 RTPROT_STATIC, 0)),
	    0);
	{
		struct msg m = route(
		    ADD, "203.0.113.0/24", MAIN, RTN_UNICAST, RTPROT_KERNEL, 0);

		m.rtm.rtm_flags = RTM_F_CLONED;
		assert_int_equal(apply(t, m), 0);
	}
	assert_true(reach(t, "10.0.0.1"));
	assert_true(reach(t, "10.0.0.255"));
	assert_true(reach(t, "10.0.0.2"));
	assert_false(reach(t, "10.0.1.1"));
	assert_false(reach(t, "8.8.8.8"));      /* only the default */
	assert_false(reach(t, "172.16.1.1"));   /* BGP's own */
	assert_false(reach(t, "192.168.1.1"));  /* another table */
	assert_false(reach(t, "198.51.100.1")); /* blackhole */
	assert_false(reach(t, "203.0.113.1"));  /* a clone */
	assert_true(reach(t, "2001:db8:1::5"));
	assert_false(reach(t, "2001:db8:2::5"));
	assert_int_equal(nht_table_count(t, AF_INET), 2);
	assert_int_equal(nht_table_count(t, AF_INET6), 1);
	nht_table_free(t);
}

static void
test_add_and_delete(void **state)
{
	struct nht_table *t = nht_table_new();

	/* Two routes to one prefix (metrics 10 and 20), and a replace. */
	assert_int_equal(apply(t,
			     route(ADD, "10.1.0.0/16", MAIN, RTN_UNICAST,
				 RTPROT_STATIC, 10)),
	    1);
	assert_int_equal(apply(t,
			     route(ADD, "10.1.0.0/16", MAIN, RTN_UNICAST,
				 RTPROT_STATIC, 20)),
	    0);
	assert_int_equal(apply(t,
			     route(ADD, "10.1.0.0/16", MAIN, RTN_UNICAST,
				 RTPROT_STATIC, 10)),
	    0);
	assert_int_equal(nht_table_count(t, AF_INET), 2);
	assert_int_equal(apply(t,
			     route(DEL, "10.1.0.0/16", MAIN, RTN_UNICAST,
				 RTPROT_STATIC, 10)),
	    0);
	assert_true(reach(t, "10.1.2.3"));
	assert_int_equal(apply(t,
			     route(DEL, "10.1.0.0/16", MAIN, RTN_UNICAST,
				 RTPROT_STATIC, 20)),
	    1);
	assert_false(reach(t, "10.1.2.3"));
	/* Deleting what is not there changes nothing. */
	assert_int_equal(apply(t,
			     route(DEL, "10.1.0.0/16", MAIN, RTN_UNICAST,
				 RTPROT_STATIC, 20)),
	    0);
	assert_int_equal(nht_table_count(t, AF_INET), 0);
	/* Many routes: the table grows and still answers. */
	for (int i = 0; i < 2000; i++) {
		char p[32];

		snprintf(p, sizeof(p), "10.%d.%d.0/24", 100 + i / 256, i % 256);
		assert_int_equal(
		    apply(
			t, route(ADD, p, MAIN, RTN_UNICAST, RTPROT_STATIC, 0)),
		    1);
	}
	assert_true(reach(t, "10.107.207.9"));
	assert_false(reach(t, "10.108.0.1"));
	nht_table_free(t);
}

static void
test_malformed(void **state)
{
	struct nht_table *t = nht_table_new();
	struct msg m =
	    route(ADD, "10.0.0.0/24", MAIN, RTN_UNICAST, RTPROT_KERNEL, 0);
	struct msg bad;

	/* Truncated header, length past the buffer, too short a body. */
	assert_int_equal(nht_table_apply(t, &m, 8), -1);
	assert_int_equal(nht_table_apply(t, &m, m.nh.nlmsg_len - 1), -1);
	bad = m;
	bad.nh.nlmsg_len = NLMSG_LENGTH(2);
	assert_int_equal(nht_table_apply(t, &bad, sizeof(bad)), -1);
	/* A prefix length past the family, a destination of wrong size. */
	bad = m;
	bad.rtm.rtm_dst_len = 33;
	assert_int_equal(apply(t, bad), -1);
	bad = route(ADD, "2001:db8::/64", MAIN, RTN_UNICAST, RTPROT_KERNEL, 0);
	bad.rtm.rtm_family = AF_INET;
	assert_int_equal(apply(t, bad), -1);
	/* A length but no destination. */
	bad = route(ADD, "", MAIN, RTN_UNICAST, RTPROT_KERNEL, 0);
	bad.rtm.rtm_dst_len = 24;
	assert_int_equal(apply(t, bad), -1);
	assert_int_equal(nht_table_count(t, AF_INET), 0);
	/* Other messages are ignored. */
	bad = m;
	bad.nh.nlmsg_type = RTM_NEWLINK;
	assert_int_equal(apply(t, bad), 0);
	assert_int_equal(apply(t, m), 1);
	nht_table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_what_resolves),
		cmocka_unit_test(test_add_and_delete),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
