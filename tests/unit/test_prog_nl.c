/*
 * test_prog_nl.c: dxprog's rtnetlink messages (programmer/prog_nl.c),
 * byte by byte against hand-written vectors (host byte order is
 * little-endian here, as on every platform CI runs), and parsed back.
 * No socket, no kernel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "hex.h"
#include "prog_nl.h"

static const struct pnl_cfg cfg = { 100, 201, 20 };

static struct pr_addr
addr(const char *s)
{
	struct pr_addr a;

	memset(&a, 0, sizeof(a));
	a.af = strchr(s, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(a.af, s, a.a), 1);
	return a;
}

/* Next hops, sorted as the table keeps them (the callers list them so). */
static struct pr_nhs *
nhs(struct pr_nhs *n, int count, ...)
{
	va_list ap;
	int i;

	va_start(ap, count);
	for (i = 0; i < count; i++)
		n->nh[i] = addr(va_arg(ap, const char *));
	va_end(ap);
	n->n = (uint16_t)count;
	return n;
}

static void
expect(const uint8_t *got, size_t n, const char *hex)
{
	uint8_t want[1024];
	size_t wn = hex_decode(hex, want, sizeof(want));

	assert_int_equal(n, wn);
	assert_memory_equal(got, want, wn);
}

#define NHS(name)                                                              \
	uint8_t name##_mem[PR_NHS_SIZE(8)] __attribute__((aligned(8)));        \
	struct pr_nhs *name = (struct pr_nhs *)name##_mem

static void
test_add_one_nexthop(void **state)
{
	uint8_t buf[PNL_MSG_MAX];
	struct pr_addr p = addr("198.51.100.0");
	NHS(n);
	size_t len;

	len = pnl_route_msg(buf, sizeof(buf), &cfg, 1, PR_OP_ADD, &p, 24,
	    nhs(n, 1, "10.0.0.1"));
	expect(buf, len,
	    "3c000000 1800 0506 01000000 00000000" /* NEWROUTE, CREATE|EXCL */
	    "02 18 00 00 64 c9 00 01 00000000" /* inet /24 table 100 proto 201 */
	    "0800 0f00 64000000"               /* RTA_TABLE 100 */
	    "0800 0100 c6336400"               /* RTA_DST 198.51.100.0 */
	    "0800 0600 14000000"               /* RTA_PRIORITY 20 */
	    "0800 0500 0a000001");             /* RTA_GATEWAY 10.0.0.1 */
}

static void
test_replace_ecmp_ipv4(void **state)
{
	uint8_t buf[PNL_MSG_MAX];
	struct pr_addr p = addr("198.51.101.0");
	NHS(n);
	size_t len;

	len = pnl_route_msg(buf, sizeof(buf), &cfg, 2, PR_OP_REPLACE, &p, 24,
	    nhs(n, 2, "10.0.0.1", "10.0.0.3"));
	expect(buf, len,
	    "58000000 1800 0505 02000000 00000000" /* CREATE|REPLACE */
	    "02 18 00 00 64 c9 00 01 00000000"
	    "0800 0f00 64000000"
	    "0800 0100 c6336500"
	    "0800 0600 14000000"
	    "2400 0900"                              /* RTA_MULTIPATH */
	    "1000 00 00 00000000 0800 0500 0a000001" /* rtnexthop + gw */
	    "1000 00 00 00000000 0800 0500 0a000003");
}

static void
test_add_ecmp_ipv6(void **state)
{
	uint8_t buf[PNL_MSG_MAX];
	struct pr_addr p = addr("2001:db8:1::");
	NHS(n);
	size_t len;

	len = pnl_route_msg(buf, sizeof(buf), &cfg, 3, PR_OP_ADD, &p, 48,
	    nhs(n, 2, "fd00::1", "fd00::3"));
	expect(buf, len,
	    "7c000000 1800 0506 03000000 00000000"
	    "0a 30 00 00 64 c9 00 01 00000000" /* inet6 /48 */
	    "0800 0f00 64000000"
	    "1400 0100 20010db8000100000000000000000000"
	    "0800 0600 14000000"
	    "3c00 0900"
	    "1c00 00 00 00000000 1400 0500 fd000000000000000000000000000001"
	    "1c00 00 00 00000000 1400 0500 fd000000000000000000000000000003");
}

static void
test_add_ipv6_one(void **state)
{
	uint8_t buf[PNL_MSG_MAX];
	struct pr_addr p = addr("2001:db8:2::");
	NHS(n);
	size_t len;

	len = pnl_route_msg(
	    buf, sizeof(buf), &cfg, 4, PR_OP_ADD, &p, 64, nhs(n, 1, "fd00::1"));
	expect(buf, len,
	    "54000000 1800 0506 04000000 00000000"
	    "0a 40 00 00 64 c9 00 01 00000000"
	    "0800 0f00 64000000"
	    "1400 0100 20010db8000200000000000000000000"
	    "0800 0600 14000000"
	    "1400 0500 fd000000000000000000000000000001");
}

static void
test_ipv4_via_ipv6(void **state)
{
	uint8_t buf[PNL_MSG_MAX];
	struct pr_addr p = addr("203.0.113.0");
	NHS(n);
	size_t len;

	/* RFC 8950: the next hop goes in RTA_VIA with its family */
	len = pnl_route_msg(
	    buf, sizeof(buf), &cfg, 5, PR_OP_ADD, &p, 24, nhs(n, 1, "fd00::1"));
	expect(buf, len,
	    "4c000000 1800 0506 05000000 00000000"
	    "02 18 00 00 64 c9 00 01 00000000"
	    "0800 0f00 64000000"
	    "0800 0100 cb007100"
	    "0800 0600 14000000"
	    "1600 1200 0a00 fd000000000000000000000000000001 0000");
}

static void
test_delroute(void **state)
{
	uint8_t buf[PNL_MSG_MAX];
	struct pr_addr p = addr("198.51.100.0");
	size_t len;

	len = pnl_route_msg(buf, sizeof(buf), &cfg, 6, PR_OP_DEL, &p, 24, NULL);
	expect(buf, len,
	    "34000000 1900 0500 06000000 00000000" /* DELROUTE, ACK */
	    "02 18 00 00 64 c9 ff 00 00000000"     /* scope nowhere: any */
	    "0800 0f00 64000000"
	    "0800 0100 c6336400"
	    "0800 0600 14000000");
}

static void
test_dump_request(void **state)
{
	uint8_t buf[PNL_MSG_MAX];
	struct pnl_cfg big = { 1000, 201, 20 };
	size_t len;

	len = pnl_dump_msg(buf, sizeof(buf), &cfg, 7, AF_INET);
	expect(buf, len,
	    "24000000 1a00 0103 07000000 00000000" /* GETROUTE, DUMP */
	    "02 00 00 00 64 c9 00 00 00000000"
	    "0800 0f00 64000000");
	/* a table id past 8 bits: RT_TABLE_UNSPEC in the header */
	len = pnl_dump_msg(buf, sizeof(buf), &big, 8, AF_INET6);
	expect(buf, len,
	    "24000000 1a00 0103 08000000 00000000"
	    "0a 00 00 00 00 c9 00 00 00000000"
	    "0800 0f00 e8030000");
}

static void
test_too_small(void **state)
{
	uint8_t buf[40];
	struct pr_addr p = addr("198.51.100.0");
	NHS(n);

	assert_int_equal(pnl_route_msg(buf, sizeof(buf), &cfg, 1, PR_OP_ADD, &p,
			     24, nhs(n, 1, "10.0.0.1")),
	    0);
}

static void
test_parse_back(void **state)
{
	uint8_t buf[PNL_MSG_MAX];
	struct pr_addr p = addr("2001:db8:1::");
	struct pnl_kroute k;
	struct pnl_cfg other = cfg;
	NHS(n);

	/* the kernel answers a dump with RTM_NEWROUTE in the same layout */
	pnl_route_msg(buf, sizeof(buf), &cfg, 3, PR_OP_ADD, &p, 48,
	    nhs(n, 3, "fd00::3", "fd00::1", "fd00::3"));
	assert_int_equal(pnl_parse_route((struct nlmsghdr *)buf, &cfg, &k), 1);
	assert_int_equal(k.pfx.af, AF_INET6);
	assert_memory_equal(k.pfx.a, p.a, 16);
	assert_int_equal(k.plen, 48);
	assert_int_equal(k.metric, 20);
	/* sorted, duplicates gone */
	nhs(n, 2, "fd00::1", "fd00::3");
	assert_true(pr_nhs_equal(k.nhs, n));

	other.proto = 186;
	assert_int_equal(
	    pnl_parse_route((struct nlmsghdr *)buf, &other, &k), 0);
	other = cfg;
	other.table = 101;
	assert_int_equal(
	    pnl_parse_route((struct nlmsghdr *)buf, &other, &k), 0);
	/* a gateway of the wrong length */
	buf[16 + 12 + 8 + 20 + 8 + 4 + 8] = 0x10;
	assert_int_equal(pnl_parse_route((struct nlmsghdr *)buf, &cfg, &k), -1);
}

static void
test_parse_via(void **state)
{
	uint8_t buf[PNL_MSG_MAX];
	struct pr_addr p = addr("203.0.113.0");
	struct pnl_kroute k;
	NHS(n);

	pnl_route_msg(
	    buf, sizeof(buf), &cfg, 5, PR_OP_ADD, &p, 24, nhs(n, 1, "fd00::1"));
	assert_int_equal(pnl_parse_route((struct nlmsghdr *)buf, &cfg, &k), 1);
	assert_true(pr_nhs_equal(k.nhs, n));
}

static void
test_parse_err(void **state)
{
	uint8_t buf[512], req[PNL_MSG_MAX];
	struct pr_addr p = addr("198.51.100.0"), got;
	struct nlmsghdr *h = (struct nlmsghdr *)buf, *rq;
	struct nlmsgerr *e;
	struct rtattr *a;
	const char *why;
	uint8_t plen;
	size_t rl, off;
	int err;
	NHS(n);

	rl = pnl_route_msg(req, sizeof(req), &cfg, 9, PR_OP_ADD, &p, 24,
	    nhs(n, 1, "10.0.0.1"));
	rq = (struct nlmsghdr *)req;
	/* an error echoing the request, with an extended ack message */
	memset(buf, 0, sizeof(buf));
	e = NLMSG_DATA(h);
	e->error = -17;
	memcpy(&e->msg, req, rl);
	off = NLMSG_HDRLEN + sizeof(int) + NLMSG_ALIGN(rl);
	a = (struct rtattr *)(buf + off);
	a->rta_type = NLMSGERR_ATTR_MSG;
	a->rta_len = RTA_LENGTH(7);
	memcpy(RTA_DATA(a), "exists", 7);
	h->nlmsg_len = (uint32_t)(off + RTA_ALIGN(a->rta_len));
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_ACK_TLVS;
	h->nlmsg_seq = rq->nlmsg_seq;
	assert_int_equal(pnl_parse_err(h, &err, &got, &plen, &why), 1);
	assert_int_equal(err, -17);
	assert_int_equal(plen, 24);
	assert_memory_equal(got.a, p.a, 4);
	assert_string_equal(why, "exists");

	/* an ack: only the header is echoed */
	memset(buf, 0, sizeof(buf));
	e->error = 0;
	memcpy(&e->msg, req, NLMSG_HDRLEN);
	h->nlmsg_len = NLMSG_HDRLEN + sizeof(int) + NLMSG_HDRLEN;
	h->nlmsg_type = NLMSG_ERROR;
	h->nlmsg_flags = NLM_F_CAPPED;
	assert_int_equal(pnl_parse_err(h, &err, &got, &plen, &why), 0);
	assert_int_equal(err, 0);
	assert_null(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_one_nexthop),
		cmocka_unit_test(test_replace_ecmp_ipv4),
		cmocka_unit_test(test_add_ecmp_ipv6),
		cmocka_unit_test(test_add_ipv6_one),
		cmocka_unit_test(test_ipv4_via_ipv6),
		cmocka_unit_test(test_delroute),
		cmocka_unit_test(test_dump_request),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_parse_back),
		cmocka_unit_test(test_parse_via),
		cmocka_unit_test(test_parse_err),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
