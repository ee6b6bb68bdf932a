/*
 * test_wire_update.c: UPDATE messages (bgpd/wire_update.c), decoded
 * and packed.
 *
 * Decoding: hand-written UPDATE bodies (RFC 4271 §4.3, RFC 4760 for
 * IPv6, RFC 4724 §2 End-of-RIB, RFC 7911 path identifiers) with the
 * exact sections, prefixes and verdict (RFC 4271 §6.3, RFC 7606 §5.3).
 * Packing: the exact bytes of small messages, then messages filled to
 * the 4096 and 65535 octet caps (RFC 4271 §4, RFC 8654), decoded back
 * prefix by prefix.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <dxbgp/wire.h>

#include "hex.h"

/* Session flags of a vector (always a 4-octet AS session). */
#define IBGP 0x01
#define AP4  0x02 /* ADD-PATH receive for IPv4 unicast */
#define AP6  0x04 /* ADD-PATH receive for IPv6 unicast */

#define MARKER       "ffffffffffffffffffffffffffffffff "
#define ORIGIN_IGP   "40 01 01 00 "
#define ASPATH_65001 "40 02 06 02 01 0000fde9 "
/* ORIGIN IGP, AS_PATH 65001, NEXT_HOP 192.0.2.1: 20 octets. */
#define BASE     ORIGIN_IGP ASPATH_65001 "40 03 04 c0000201 "
#define BASE_LEN 20
/* The same for IPv6, whose next hop is in MP_REACH_NLRI: 13 octets. */
#define BASE6     ORIGIN_IGP ASPATH_65001
#define BASE6_LEN 13
#define NH6       "20010db8000000000000000000000001 " /* 2001:db8::1 */
#define NH6_LL    "fe800000000000000000000000000001 " /* fe80::1 */

#define GUARD 16              /* octets past the cap that must stay intact */
#define BUFSZ (70000 + GUARD) /* room for a cap above 65535 */

static uint8_t body[BUFSZ];
static uint8_t msg[BUFSZ];

/* ---- helpers ---- */

static void
check_hex(const char *name, const char *what, const uint8_t *got, size_t gotlen,
    const char *want_hex)
{
	uint8_t w[1024];
	size_t n = hex_decode(want_hex, w, sizeof(w)), i;

	if (gotlen == n && (n == 0 || memcmp(got, w, n) == 0))
		return;
	print_message("%s: %s\n  got  (%zu):", name, what, gotlen);
	for (i = 0; i < gotlen && i < 96; i++)
		print_message(" %02x", got[i]);
	print_message("\n  want (%zu):", n);
	for (i = 0; i < n && i < 96; i++)
		print_message(" %02x", w[i]);
	print_message("\n");
	fail_msg("%s: %s differs", name, what);
}

#define CHECK_EQ(name, got, want)                                              \
	do {                                                                   \
		if ((uint64_t)(got) != (uint64_t)(want))                       \
			fail_msg("%s: %s is %llu, want %llu", (name), #got,    \
			    (unsigned long long)(got),                         \
			    (unsigned long long)(want));                       \
	} while (0)

static void
ctx_make(struct wire_ctx *ctx, unsigned int flags)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->as4 = true;
	ctx->ibgp = (flags & IBGP) != 0;
	ctx->addpath_v4 = (flags & AP4) != 0;
	ctx->addpath_v6 = (flags & AP6) != 0;
}

/*
 * An NLRI field as text: "198.51.100.0/24 10.0.0.0/8", with " id N"
 * after each prefix when path identifiers are in use.
 */
static void
nlri_text(const uint8_t *p, size_t len, uint16_t afi, bool addpath, char *out,
    size_t cap)
{
	struct wire_nlri_iter it;
	struct wire_prefix pfx;
	char addr[INET6_ADDRSTRLEN];
	size_t o = 0;
	int r;

	out[0] = '\0';
	if (len == 0)
		return; /* p may be NULL: an absent MP attribute */
	wire_nlri_iter_init(&it, p, len, afi, addpath);
	while ((r = wire_nlri_next(&it, &pfx)) == 1) {
		assert_int_equal(pfx.afi, afi);
		inet_ntop(afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, pfx.addr,
		    addr, sizeof(addr));
		o += (size_t)snprintf(
		    out + o, cap - o, "%s%s/%u", o ? " " : "", addr, pfx.len);
		if (addpath)
			o += (size_t)snprintf(
			    out + o, cap - o, " id %u", pfx.path_id);
		assert_true(o < cap);
	}
	if (r < 0)
		snprintf(out, cap, "malformed");
}

static void
check_nlri(const char *name, const char *what, const uint8_t *p, size_t len,
    uint16_t afi, bool addpath, const char *want)
{
	char text[1024];

	nlri_text(p, len, afi, addpath, text, sizeof(text));
	if (strcmp(text, want) != 0)
		fail_msg(
		    "%s: %s is \"%s\", want \"%s\"", name, what, text, want);
}

static void
pfx4(struct wire_prefix *p, const char *addr, uint8_t len, uint32_t id)
{
	memset(p, 0, sizeof(*p));
	p->afi = BGP_AFI_IPV4;
	p->len = len;
	p->path_id = id;
	assert_int_equal(inet_pton(AF_INET, addr, p->addr), 1);
}

static void
pfx6(struct wire_prefix *p, const char *addr, uint8_t len, uint32_t id)
{
	memset(p, 0, sizeof(*p));
	p->afi = BGP_AFI_IPV6;
	p->len = len;
	p->path_id = id;
	assert_int_equal(inet_pton(AF_INET6, addr, p->addr), 1);
}

/* ---- decoding ---- */

struct upd_case {
	const char *name;
	unsigned int flags;
	const char *body;
	enum wire_action action;
	uint8_t subcode; /* with code 3 when action is not WIRE_OK */
	uint8_t attr_type;
	const char *data; /* NOTIFICATION data, NULL for none */
	/* The sections, unless the session is reset: */
	const char *withdrawn; /* prefixes as text */
	uint16_t attr_len;
	const char *nlri;
	const char *mp_reach;   /* NULL: no MP_REACH_NLRI */
	const char *mp_unreach; /* NULL: no MP_UNREACH_NLRI */
	bool eor;
	uint16_t eor_afi;
	uint8_t eor_safi;
};

#define TAW   WIRE_TREAT_AS_WITHDRAW
#define RESET WIRE_SESSION_RESET

static const struct upd_case upd_cases[] = {
	{ "withdrawn only", 0, "0004 18c63364 0000", WIRE_OK, 0, 0, NULL,
	    "198.51.100.0/24", 0, "", NULL, NULL, false, 0, 0 },
	{ "two withdrawn", 0, "0006 18c63364 080a 0000", WIRE_OK, 0, 0, NULL,
	    "198.51.100.0/24 10.0.0.0/8", 0, "", NULL, NULL, false, 0, 0 },
	{ "announce only", 0, "0000 0014 " BASE "18c63364 10 0a01", WIRE_OK, 0,
	    0, NULL, "", BASE_LEN, "198.51.100.0/24 10.1.0.0/16", NULL, NULL,
	    false, 0, 0 },
	{ "withdrawn and announced", 0, "0002 080a 0014 " BASE "18c63364",
	    WIRE_OK, 0, 0, NULL, "10.0.0.0/8", BASE_LEN, "198.51.100.0/24",
	    NULL, NULL, false, 0, 0 },
	{ "default route and a host route", 0,
	    "0000 0014 " BASE "00 20c0000201", WIRE_OK, 0, 0, NULL, "",
	    BASE_LEN, "0.0.0.0/0 192.0.2.1/32", NULL, NULL, false, 0, 0 },
	{ "host bits cleared", 0, "0000 0014 " BASE "17 c63365", WIRE_OK, 0, 0,
	    NULL, "", BASE_LEN, "198.51.100.0/23", NULL, NULL, false, 0, 0 },
	{ "IPv6 in MP_UNREACH_NLRI and MP_REACH_NLRI", 0,
	    "0000 0037 " BASE6 "80 0f 08 0002 01 20 20010db8"
	    " 80 0e 1c 0002 01 10 " NH6 "00 30 20010db80001",
	    WIRE_OK, 0, 0, NULL, "", 0x37, "", "2001:db8:1::/48",
	    "2001:db8::/32", false, 0, 0 },
	{ "IPv6, 32-octet next hop, two prefixes", 0,
	    "0000 003d " BASE6 "80 0e 2d 0002 01 20 " NH6 NH6_LL
	    "00 30 20010db80001 00",
	    WIRE_OK, 0, 0, NULL, "", 0x3d, "", "2001:db8:1::/48 ::/0", NULL,
	    false, 0, 0 },
	/* RFC 4724 §2: End-of-RIB */
	{ "End-of-RIB IPv4", 0, "0000 0000", WIRE_OK, 0, 0, NULL, "", 0, "",
	    NULL, NULL, true, BGP_AFI_IPV4, BGP_SAFI_UNICAST },
	{ "End-of-RIB IPv6", 0, "0000 0006 80 0f 03 0002 01", WIRE_OK, 0, 0,
	    NULL, "", 6, "", NULL, "", true, BGP_AFI_IPV6, BGP_SAFI_UNICAST },
	{ "End-of-RIB IPv6, Extended Length", 0, "0000 0007 90 0f 0003 0002 01",
	    WIRE_OK, 0, 0, NULL, "", 7, "", NULL, "", true, BGP_AFI_IPV6,
	    BGP_SAFI_UNICAST },
	{ "End-of-RIB IPv4 in MP_UNREACH_NLRI", 0, "0000 0006 80 0f 03 0001 01",
	    WIRE_OK, 0, 0, NULL, "", 6, "", NULL, "", true, BGP_AFI_IPV4,
	    BGP_SAFI_UNICAST },
	{ "not End-of-RIB: MP_UNREACH_NLRI with a prefix", 0,
	    "0000 000b 80 0f 08 0002 01 20 20010db8", WIRE_OK, 0, 0, NULL, "",
	    11, "", NULL, "2001:db8::/32", false, 0, 0 },
	{ "not End-of-RIB: empty MP_UNREACH_NLRI and ORIGIN", 0,
	    "0000 000a " ORIGIN_IGP "80 0f 03 0002 01", WIRE_OK, 0, 0, NULL, "",
	    10, "", NULL, "", false, 0, 0 },
	{ "not End-of-RIB: empty MP_UNREACH_NLRI and an unknown attribute", 0,
	    "0000 000a 80 0f 03 0002 01 c0 63 01 00", WIRE_OK, 0, 0, NULL, "",
	    10, "", NULL, "", false, 0, 0 },
	{ "not End-of-RIB: empty MP_UNREACH_NLRI and a discarded attribute", 0,
	    "0000 000a 80 0f 03 0002 01 40 06 01 00", WIRE_ATTR_DISCARD,
	    BGP_ERR_UPD_LENGTH, BGP_ATTR_ATOMIC_AGGREGATE, "40 06 01 00", "",
	    10, "", NULL, "", false, 0, 0 },
	{ "not End-of-RIB: attributes without NLRI", 0, "0000 0004 " ORIGIN_IGP,
	    WIRE_OK, 0, 0, NULL, "", 4, "", NULL, NULL, false, 0, 0 },
	{ "not End-of-RIB: empty MP_REACH_NLRI", 0,
	    "0000 0018 80 0e 15 0002 01 10 " NH6 "00", WIRE_OK, 0, 0, NULL, "",
	    0x18, "", "", NULL, false, 0, 0 },
	/* RFC 4271 §6.3: section lengths that do not add up */
	{ "withdrawn length past the message", 0, "0005 18c63364 0000", RESET,
	    BGP_ERR_UPD_ATTRLIST, 0, NULL, NULL, 0, NULL, NULL, NULL, false, 0,
	    0 },
	{ "withdrawn length 65535", 0, "ffff 0000", RESET, BGP_ERR_UPD_ATTRLIST,
	    0, NULL, NULL, 0, NULL, NULL, NULL, false, 0, 0 },
	{ "attribute length past the message", 0, "0000 0005 " ORIGIN_IGP,
	    RESET, BGP_ERR_UPD_ATTRLIST, 0, NULL, NULL, 0, NULL, NULL, NULL,
	    false, 0, 0 },
	{ "attribute length one past", 0, "0004 18c63364 0015 " BASE, RESET,
	    BGP_ERR_UPD_ATTRLIST, 0, NULL, NULL, 0, NULL, NULL, NULL, false, 0,
	    0 },
	{ "no attribute length", 0, "0000 00", RESET, BGP_ERR_UPD_ATTRLIST, 0,
	    NULL, NULL, 0, NULL, NULL, NULL, false, 0, 0 },
	{ "empty body", 0, "", RESET, BGP_ERR_UPD_ATTRLIST, 0, NULL, NULL, 0,
	    NULL, NULL, NULL, false, 0, 0 },
	/* RFC 7606 §5.3: a malformed prefix resets the session */
	{ "withdrawn prefix length 33", 0, "0001 21 0000", RESET,
	    BGP_ERR_UPD_NETWORK, 0, NULL, NULL, 0, NULL, NULL, NULL, false, 0,
	    0 },
	{ "withdrawn prefix overrun", 0, "0003 18 c633 0000", RESET,
	    BGP_ERR_UPD_NETWORK, 0, NULL, NULL, 0, NULL, NULL, NULL, false, 0,
	    0 },
	{ "NLRI prefix overrun", 0, "0000 0014 " BASE "19 c63364", RESET,
	    BGP_ERR_UPD_NETWORK, 0, NULL, NULL, 0, NULL, NULL, NULL, false, 0,
	    0 },
	{ "NLRI prefix length 33", 0, "0000 0014 " BASE "21 c0000201 00", RESET,
	    BGP_ERR_UPD_NETWORK, 0, NULL, NULL, 0, NULL, NULL, NULL, false, 0,
	    0 },
	/* attribute verdicts come through */
	{ "malformed MED: treat-as-withdraw", 0,
	    "0000 001a " BASE "80 04 03 000064 18c63364", TAW,
	    BGP_ERR_UPD_LENGTH, BGP_ATTR_MED, "80 04 03 000064", "", 0x1a,
	    "198.51.100.0/24", NULL, NULL, false, 0, 0 },
	{ "NLRI without attributes", 0, "0000 0000 18c63364", TAW,
	    BGP_ERR_UPD_MISSING_WK, BGP_ATTR_ORIGIN, "01", "", 0,
	    "198.51.100.0/24", NULL, NULL, false, 0, 0 },
	{ "NEXT_HOP missing", 0, "0000 000d " BASE6 "18c63364", TAW,
	    BGP_ERR_UPD_MISSING_WK, BGP_ATTR_NEXT_HOP, "03", "", BASE6_LEN,
	    "198.51.100.0/24", NULL, NULL, false, 0, 0 },
	{ "LOCAL_PREF missing from iBGP", IBGP, "0000 0014 " BASE "18c63364",
	    TAW, BGP_ERR_UPD_MISSING_WK, BGP_ATTR_LOCAL_PREF, "05", "",
	    BASE_LEN, "198.51.100.0/24", NULL, NULL, false, 0, 0 },
	{ "MP_REACH_NLRI with a bad next hop: AFI/SAFI disable", 0,
	    "0000 0011 80 0e 0e 0002 01 04 c0000201 00 20 20010db8",
	    WIRE_AFISAFI_DISABLE, BGP_ERR_UPD_OPTATTR, BGP_ATTR_MP_REACH_NLRI,
	    "80 0e 0e 0002 01 04 c0000201 00 20 20010db8", "", 0x11, "", NULL,
	    NULL, false, 0, 0 },
	/* RFC 7911: path identifiers */
	{ "ADD-PATH IPv4 NLRI", AP4, "0000 0014 " BASE "00000064 18c63364",
	    WIRE_OK, 0, 0, NULL, "", BASE_LEN, "198.51.100.0/24 id 100", NULL,
	    NULL, false, 0, 0 },
	{ "ADD-PATH IPv4 withdrawn", AP4,
	    "000e 00000001 18c63364 00000002 080a 0000", WIRE_OK, 0, 0, NULL,
	    "198.51.100.0/24 id 1 10.0.0.0/8 id 2", 0, "", NULL, NULL, false, 0,
	    0 },
	{ "ADD-PATH IPv4 expected, absent", AP4, "0000 0014 " BASE "18c63364",
	    RESET, BGP_ERR_UPD_NETWORK, 0, NULL, NULL, 0, NULL, NULL, NULL,
	    false, 0, 0 },
	{ "ADD-PATH IPv4 not negotiated, present", 0,
	    "0000 0014 " BASE "00000064 18c63364", RESET, BGP_ERR_UPD_NETWORK,
	    0, NULL, NULL, 0, NULL, NULL, NULL, false, 0, 0 },
	{ "ADD-PATH IPv6 only: IPv4 NLRI plain", AP6,
	    "0000 0014 " BASE "18c63364", WIRE_OK, 0, 0, NULL, "", BASE_LEN,
	    "198.51.100.0/24", NULL, NULL, false, 0, 0 },
	{ "ADD-PATH IPv6 in MP_UNREACH_NLRI", AP6,
	    "0000 000f 80 0f 0c 0002 01 00000007 20 20010db8", WIRE_OK, 0, 0,
	    NULL, "", 15, "", NULL, "2001:db8::/32 id 7", false, 0, 0 },
	{ "ADD-PATH IPv6 not negotiated", AP4,
	    "0000 000f 80 0f 0c 0002 01 00000007 20 20010db8",
	    WIRE_AFISAFI_DISABLE, BGP_ERR_UPD_OPTATTR, BGP_ATTR_MP_UNREACH_NLRI,
	    "80 0f 0c 0002 01 00000007 20 20010db8", "", 15, "", NULL, NULL,
	    false, 0, 0 },
};

static void
test_update_decode(void **state)
{
	const struct upd_case *c;
	struct wire_update u;
	struct wire_err err;
	struct wire_ctx ctx;
	const struct wire_attrs *a = &u.attrs;
	const uint8_t *data;
	uint16_t datalen;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(upd_cases) / sizeof(upd_cases[0]); i++) {
		c = &upd_cases[i];
		len = hex_decode(c->body, body, sizeof(body));
		ctx_make(&ctx, c->flags);
		wire_err_init(&err);
		CHECK_EQ(c->name, wire_update_decode(&ctx, body, len, &u, &err),
		    c->action);
		CHECK_EQ(c->name, err.action, c->action);
		CHECK_EQ(c->name, err.code,
		    c->action == WIRE_OK ? 0 : BGP_ERR_UPDATE);
		CHECK_EQ(c->name, err.subcode, c->subcode);
		CHECK_EQ(c->name, err.attr_type, c->attr_type);
		data = wire_err_data(&err, &datalen);
		check_hex(c->name, "NOTIFICATION data", data, datalen,
		    c->data != NULL ? c->data : "");
		CHECK_EQ(c->name, u.eor, c->eor);
		CHECK_EQ(c->name, u.eor_afi, c->eor_afi);
		CHECK_EQ(c->name, u.eor_safi, c->eor_safi);
		if (c->action == WIRE_SESSION_RESET)
			continue;

		/* The sections lie where the lengths say. */
		CHECK_EQ(c->name, u.withdrawn, body + 2);
		CHECK_EQ(c->name, u.attr_section, body + 4 + u.withdrawn_len);
		CHECK_EQ(c->name, u.attr_len, c->attr_len);
		CHECK_EQ(c->name, u.nlri, u.attr_section + u.attr_len);
		CHECK_EQ(c->name, u.nlri + u.nlri_len, body + len);
		check_nlri(c->name, "withdrawn", u.withdrawn, u.withdrawn_len,
		    BGP_AFI_IPV4, ctx.addpath_v4, c->withdrawn);
		check_nlri(c->name, "NLRI", u.nlri, u.nlri_len, BGP_AFI_IPV4,
		    ctx.addpath_v4, c->nlri);
		/* After AFI/SAFI disable the family's attribute is moot. */
		if (c->action > WIRE_TREAT_AS_WITHDRAW)
			continue;
		CHECK_EQ(c->name,
		    (a->have & WIRE_HAVE(BGP_ATTR_MP_REACH_NLRI)) != 0,
		    c->mp_reach != NULL);
		if (c->mp_reach != NULL)
			check_nlri(c->name, "MP_REACH_NLRI", a->mp_reach.nlri,
			    a->mp_reach.nlri_len, a->mp_reach.afi,
			    ctx.addpath_v6, c->mp_reach);
		CHECK_EQ(c->name,
		    (a->have & WIRE_HAVE(BGP_ATTR_MP_UNREACH_NLRI)) != 0,
		    c->mp_unreach != NULL);
		if (c->mp_unreach != NULL)
			check_nlri(c->name, "MP_UNREACH_NLRI",
			    a->mp_unreach.nlri, a->mp_unreach.nlri_len,
			    a->mp_unreach.afi,
			    a->mp_unreach.afi == BGP_AFI_IPV6 ? ctx.addpath_v6
							      : ctx.addpath_v4,
			    c->mp_unreach);
	}
}

/* The attributes of an announcement are decoded, not just located. */
static void
test_update_decode_attrs(void **state)
{
	struct wire_update u;
	struct wire_err err;
	struct wire_ctx ctx;
	size_t len;

	(void)state;
	len = hex_decode(
	    "0000 001b " BASE "80 04 04 0000000a 18c63364", body, sizeof(body));
	ctx_make(&ctx, 0);
	wire_err_init(&err);
	assert_int_equal(
	    wire_update_decode(&ctx, body, len, &u, &err), WIRE_OK);
	assert_int_equal(u.attrs.have,
	    WIRE_HAVE(BGP_ATTR_ORIGIN) | WIRE_HAVE(BGP_ATTR_AS_PATH) |
		WIRE_HAVE(BGP_ATTR_NEXT_HOP) | WIRE_HAVE(BGP_ATTR_MED));
	assert_int_equal(u.attrs.origin, BGP_ORIGIN_IGP);
	assert_int_equal(
	    wire_aspath_first(u.attrs.aspath, u.attrs.aspath_len), 65001);
	assert_int_equal(u.attrs.nexthop, 0xc0000201);
	assert_int_equal(u.attrs.med, 10);
}

/* ---- the builder: exact bytes of small messages ---- */

/* A prefix to put in a message, with its family. */
struct bpfx {
	const char *addr;
	uint8_t len;
	uint32_t id;
};

struct build_case {
	const char *name;
	uint16_t afi;
	bool addpath;
	struct bpfx withdraw[3];
	const char *attrs; /* NULL: no wire_upd_attrs */
	const char *nh6;
	struct bpfx announce[3];
	const char *msg; /* the whole message */
	/* The message decoded back: */
	const char *withdrawn_text;
	const char *announced_text;
};

static const struct build_case build_cases[] = {
	{ "IPv4 withdraw only", BGP_AFI_IPV4, false,
	    { { "198.51.100.0", 24, 0 }, { "10.0.0.0", 8, 0 } }, NULL, NULL,
	    { { NULL, 0, 0 } }, MARKER "001d 02 0006 18c63364 080a 0000",
	    "198.51.100.0/24 10.0.0.0/8", "" },
	{ "IPv4 announce only", BGP_AFI_IPV4, false, { { NULL, 0, 0 } }, BASE,
	    NULL, { { "198.51.100.0", 24, 0 } },
	    MARKER "002f 02 0000 0014 " BASE "18c63364", "",
	    "198.51.100.0/24" },
	{ "IPv4 two prefixes, one the default", BGP_AFI_IPV4, false,
	    { { NULL, 0, 0 } }, BASE, NULL,
	    { { "198.51.100.0", 24, 0 }, { "0.0.0.0", 0, 0 } },
	    MARKER "0030 02 0000 0014 " BASE "18c63364 00", "",
	    "198.51.100.0/24 0.0.0.0/0" },
	{ "IPv4 withdraw with path identifiers", BGP_AFI_IPV4, true,
	    { { "10.0.0.0", 8, 1 } }, NULL, NULL, { { NULL, 0, 0 } },
	    MARKER "001d 02 0006 00000001 080a 0000", "10.0.0.0/8 id 1", "" },
	{ "IPv4 announce with path identifiers", BGP_AFI_IPV4, true,
	    { { NULL, 0, 0 } }, BASE, NULL, { { "198.51.100.0", 24, 2 } },
	    MARKER "0033 02 0000 0014 " BASE "00000002 18c63364", "",
	    "198.51.100.0/24 id 2" },
	{ "IPv4 attributes, no prefix", BGP_AFI_IPV4, false, { { NULL, 0, 0 } },
	    BASE, NULL, { { NULL, 0, 0 } }, MARKER "002b 02 0000 0014 " BASE,
	    "", "" },
	{ "IPv6 withdraw only", BGP_AFI_IPV6, false,
	    { { "2001:db8::", 32, 0 } }, NULL, NULL, { { NULL, 0, 0 } },
	    MARKER "0023 02 0000 000c 90 0f 0008 0002 01 20 20010db8",
	    "2001:db8::/32", "" },
	/* RFC 7606 §5.1: MP_REACH_NLRI is the very first attribute. */
	{ "IPv6 announce only", BGP_AFI_IPV6, false, { { NULL, 0, 0 } }, BASE6,
	    NH6, { { "2001:db8:1::", 48, 0 } },
	    MARKER "0044 02 0000 002d 90 0e 001c 0002 01 10 " NH6
		   "00 30 20010db80001 " BASE6,
	    "", "2001:db8:1::/48" },
	{ "IPv6, 32-octet next hop, two prefixes", BGP_AFI_IPV6, false,
	    { { NULL, 0, 0 } }, BASE6, NH6 NH6_LL,
	    { { "2001:db8:1::", 48, 0 }, { "2001:db8:2::", 64, 0 } },
	    MARKER "005d 02 0000 0046 90 0e 0035 0002 01 20 " NH6 NH6_LL
		   "00 30 20010db80001 40 20010db800020000 " BASE6,
	    "", "2001:db8:1::/48 2001:db8:2::/64" },
	{ "IPv6 withdraw with path identifiers", BGP_AFI_IPV6, true,
	    { { "2001:db8::", 32, 5 } }, NULL, NULL, { { NULL, 0, 0 } },
	    MARKER "0027 02 0000 0010 90 0f 000c 0002 01 00000005 20 20010db8",
	    "2001:db8::/32 id 5", "" },
	{ "IPv6 announce with path identifiers", BGP_AFI_IPV6, true,
	    { { NULL, 0, 0 } }, BASE6, NH6, { { "2001:db8:1::", 48, 6 } },
	    MARKER "0048 02 0000 0031 90 0e 0020 0002 01 10 " NH6
		   "00 00000006 30 20010db80001 " BASE6,
	    "", "2001:db8:1::/48 id 6" },
};

static void
make_pfx(struct wire_prefix *p, uint16_t afi, const struct bpfx *b)
{
	if (afi == BGP_AFI_IPV6)
		pfx6(p, b->addr, b->len, b->id);
	else
		pfx4(p, b->addr, b->len, b->id);
}

static void
test_builder_bytes(void **state)
{
	const struct build_case *c;
	struct wire_upd_builder b;
	struct wire_prefix p;
	struct wire_update u;
	struct wire_err err;
	struct wire_ctx ctx;
	uint8_t attrs[256], nh[32];
	size_t i, j, n, alen, nhlen;
	const uint8_t *wd, *nl;
	uint16_t wdlen, nllen;

	(void)state;
	for (i = 0; i < sizeof(build_cases) / sizeof(build_cases[0]); i++) {
		c = &build_cases[i];
		memset(msg, 0x5a, sizeof(msg));
		wire_upd_begin(&b, msg, BGP_MAX_MSG, c->afi, c->addpath);
		for (j = 0; j < 3 && c->withdraw[j].addr != NULL; j++) {
			make_pfx(&p, c->afi, &c->withdraw[j]);
			if (!wire_upd_withdraw(&b, &p))
				fail_msg(
				    "%s: withdrawal %zu refused", c->name, j);
		}
		CHECK_EQ(c->name, b.n_withdrawn, j);
		if (c->attrs != NULL) {
			alen = hex_decode(c->attrs, attrs, sizeof(attrs));
			nhlen = c->nh6 ? hex_decode(c->nh6, nh, sizeof(nh)) : 0;
			if (!wire_upd_attrs(
				&b, attrs, alen, nh, (uint8_t)nhlen))
				fail_msg("%s: attributes refused", c->name);
		}
		for (j = 0; j < 3 && c->announce[j].addr != NULL; j++) {
			make_pfx(&p, c->afi, &c->announce[j]);
			if (!wire_upd_announce(&b, &p))
				fail_msg("%s: prefix %zu refused", c->name, j);
		}
		CHECK_EQ(c->name, b.n_announced, j);
		n = wire_upd_finish(&b);
		check_hex(c->name, "message", msg, n, c->msg);
		CHECK_EQ(c->name, msg[n], 0x5a);

		/* And back. */
		ctx_make(&ctx, 0);
		ctx.addpath_v4 = ctx.addpath_v6 = c->addpath;
		wire_err_init(&err);
		CHECK_EQ(c->name,
		    wire_update_decode(
			&ctx, msg + BGP_HDR_LEN, n - BGP_HDR_LEN, &u, &err),
		    WIRE_OK);
		if (c->afi == BGP_AFI_IPV4) {
			wd = u.withdrawn, wdlen = u.withdrawn_len;
			nl = u.nlri, nllen = u.nlri_len;
		} else {
			CHECK_EQ(c->name, u.withdrawn_len + u.nlri_len, 0);
			wd = u.attrs.mp_unreach.nlri;
			wdlen = u.attrs.mp_unreach.nlri_len;
			nl = u.attrs.mp_reach.nlri;
			nllen = u.attrs.mp_reach.nlri_len;
		}
		check_nlri(c->name, "withdrawn", wd, wdlen, c->afi, c->addpath,
		    c->withdrawn_text);
		check_nlri(c->name, "announced", nl, nllen, c->afi, c->addpath,
		    c->announced_text);
		CHECK_EQ(c->name, u.eor, false);
	}
}

/* Ordering rules and empty messages. */
static void
test_builder_rules(void **state)
{
	static const uint16_t afis[] = { BGP_AFI_IPV4, BGP_AFI_IPV6 };
	struct wire_upd_builder b;
	struct wire_prefix p, w;
	uint8_t attrs[BASE_LEN], nh[16];
	size_t i, len;

	(void)state;
	hex_decode(BASE, attrs, sizeof(attrs));
	hex_decode(NH6, nh, sizeof(nh));
	for (i = 0; i < 2; i++) {
		if (afis[i] == BGP_AFI_IPV4) {
			pfx4(&p, "198.51.100.0", 24, 0);
			pfx4(&w, "10.0.0.0", 8, 0);
		} else {
			pfx6(&p, "2001:db8:1::", 48, 0);
			pfx6(&w, "2001:db8::", 32, 0);
		}
		/* Nothing added: no message. */
		wire_upd_begin(&b, msg, BGP_MAX_MSG, afis[i], false);
		assert_int_equal(wire_upd_finish(&b), 0);

		/* No announcement before the attributes. */
		wire_upd_begin(&b, msg, BGP_MAX_MSG, afis[i], false);
		len = b.len;
		assert_false(wire_upd_announce(&b, &p));
		assert_int_equal(b.len, len);
		assert_int_equal(b.n_announced, 0);

		/* No withdrawal after them, and attributes once only. */
		assert_true(
		    wire_upd_attrs(&b, attrs, sizeof(attrs), nh, sizeof(nh)));
		len = b.len;
		assert_false(wire_upd_withdraw(&b, &w));
		assert_false(
		    wire_upd_attrs(&b, attrs, sizeof(attrs), nh, sizeof(nh)));
		assert_int_equal(b.len, len);
		assert_int_equal(b.n_withdrawn, 0);
		assert_true(wire_upd_announce(&b, &p));
		assert_int_equal(b.n_announced, 1);

		/* RFC 7606 §5.1: no attributes after withdrawals either. */
		wire_upd_begin(&b, msg, BGP_MAX_MSG, afis[i], false);
		assert_true(wire_upd_withdraw(&b, &w));
		len = b.len;
		assert_false(
		    wire_upd_attrs(&b, attrs, sizeof(attrs), nh, sizeof(nh)));
		assert_false(wire_upd_announce(&b, &p));
		assert_int_equal(b.len, len);
		assert_int_equal(b.n_announced, 0);
	}
}

/* ---- the builder: packing to the cap ---- */

/* The i-th test prefix: 10.a.b.0/24, or 2001:db8:i::/48. */
static void
nth_prefix(struct wire_prefix *p, uint16_t afi, size_t i)
{
	memset(p, 0, sizeof(*p));
	p->afi = afi;
	if (afi == BGP_AFI_IPV4) {
		p->len = 24;
		p->addr[0] = 10;
		p->addr[1] = (uint8_t)(i >> 8);
		p->addr[2] = (uint8_t)i;
	} else {
		p->len = 48;
		p->addr[0] = 0x20;
		p->addr[1] = 0x01;
		p->addr[2] = 0x0d;
		p->addr[3] = 0xb8;
		p->addr[4] = (uint8_t)(i >> 8);
		p->addr[5] = (uint8_t)i;
	}
}

/*
 * Decodes a built message of len octets and checks it holds total
 * prefixes, the first n of which are test prefixes 0..n-1 in order.
 */
static void
check_packed(const char *name, size_t len, uint16_t afi, bool withdrawn,
    size_t n, size_t total)
{
	struct wire_nlri_iter it;
	struct wire_prefix got, want;
	struct wire_update u;
	struct wire_err err;
	struct wire_ctx ctx;
	const uint8_t *p;
	size_t i, plen;

	CHECK_EQ(name, (size_t)(msg[16] << 8 | msg[17]), len);
	CHECK_EQ(name, msg[18], BGP_MSG_UPDATE);
	ctx_make(&ctx, 0);
	wire_err_init(&err);
	CHECK_EQ(name,
	    wire_update_decode(
		&ctx, msg + BGP_HDR_LEN, len - BGP_HDR_LEN, &u, &err),
	    WIRE_OK);
	if (afi == BGP_AFI_IPV4) {
		p = withdrawn ? u.withdrawn : u.nlri;
		plen = withdrawn ? u.withdrawn_len : u.nlri_len;
	} else {
		p = withdrawn ? u.attrs.mp_unreach.nlri : u.attrs.mp_reach.nlri;
		plen = withdrawn ? u.attrs.mp_unreach.nlri_len
				 : u.attrs.mp_reach.nlri_len;
	}
	wire_nlri_iter_init(&it, p, plen, afi, false);
	for (i = 0; wire_nlri_next(&it, &got) == 1; i++) {
		if (i >= n)
			continue;
		nth_prefix(&want, afi, i);
		if (got.len != want.len ||
		    memcmp(got.addr, want.addr, sizeof(got.addr)) != 0)
			fail_msg("%s: prefix %zu differs", name, i);
	}
	CHECK_EQ(name, i, total);
}

static void
check_guard(const char *name, size_t cap)
{
	size_t i;

	for (i = cap; i < cap + GUARD; i++)
		if (msg[i] != 0x5a)
			fail_msg("%s: octet %zu past the cap written", name, i);
}

/*
 * Expected counts, from the formats: IPv4 carries 19 (header) + 2 + 2
 * + 20 (attributes) = 43 octets before 4-octet /24s; IPv6 carries 19 +
 * 2 + 2 + 13 + 4 (MP_REACH_NLRI header, extended length) + 21 (AFI,
 * SAFI, next hop length, next hop, reserved) = 61 before 7-octet /48s.
 */
static const struct {
	const char *name;
	uint16_t afi;
	size_t cap;
	size_t count; /* prefixes that fit */
	size_t len;   /* the message */
} pack_cases[] = {
	{ "IPv4, 4096", BGP_AFI_IPV4, BGP_MAX_MSG, 1013, 4095 },
	{ "IPv4, 65535", BGP_AFI_IPV4, BGP_MAX_MSG_EXT, 16373, 65535 },
	{ "IPv4, cap above 65535", BGP_AFI_IPV4, 70000, 16373, 65535 },
	{ "IPv6, 4096", BGP_AFI_IPV6, BGP_MAX_MSG, 576, 4093 },
	{ "IPv6, 65535", BGP_AFI_IPV6, BGP_MAX_MSG_EXT, 9353, 65532 },
};

static void
test_builder_pack_announce(void **state)
{
	struct wire_upd_builder b;
	struct wire_prefix p;
	uint8_t attrs[64], nh[16];
	size_t alen, i, k, len, n;

	(void)state;
	hex_decode(NH6, nh, sizeof(nh));
	for (k = 0; k < sizeof(pack_cases) / sizeof(pack_cases[0]); k++) {
		const char *name = pack_cases[k].name;
		uint16_t afi = pack_cases[k].afi;
		size_t cap = pack_cases[k].cap;

		alen = hex_decode(
		    afi == BGP_AFI_IPV4 ? BASE : BASE6, attrs, sizeof(attrs));
		memset(msg, 0x5a, sizeof(msg));
		wire_upd_begin(&b, msg, cap, afi, false);
		assert_true(wire_upd_attrs(&b, attrs, alen, nh, sizeof(nh)));
		for (i = 0;; i++) {
			nth_prefix(&p, afi, i);
			len = b.len;
			if (!wire_upd_announce(&b, &p))
				break;
		}
		/* The refused prefix left the message as it was. */
		CHECK_EQ(name, b.len, len);
		CHECK_EQ(name, i, pack_cases[k].count);
		CHECK_EQ(name, b.n_announced, pack_cases[k].count);
		n = wire_upd_finish(&b);
		CHECK_EQ(name, n, pack_cases[k].len);
		/* Within the cap, and one more would not have fit. */
		assert_true(
		    n <= (cap > BGP_MAX_MSG_EXT ? BGP_MAX_MSG_EXT : cap));
		assert_true(n + wire_nlri_size(&p, false) >
		    (cap > BGP_MAX_MSG_EXT ? BGP_MAX_MSG_EXT : cap));
		check_guard(name, n);
		check_packed(name, n, afi, false, pack_cases[k].count,
		    pack_cases[k].count);
	}
}

/*
 * IPv4 withdrawals: 21 octets, then 4 per /24 with 2 kept for the
 * attribute length: 1018 fit in 4096.  IPv6: 23, then a 7-octet
 * MP_UNREACH_NLRI header, then 7 per /48: 580 fit.
 */
static void
test_builder_pack_withdraw(void **state)
{
	static const struct {
		const char *name;
		uint16_t afi;
		size_t count;
		size_t len;
	} cases[] = {
		{ "IPv4 withdrawals", BGP_AFI_IPV4, 1018, 4095 },
		{ "IPv6 withdrawals", BGP_AFI_IPV6, 580, 4090 },
	};
	struct wire_upd_builder b;
	struct wire_prefix p;
	size_t i, k, n;

	(void)state;
	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		memset(msg, 0x5a, sizeof(msg));
		wire_upd_begin(&b, msg, BGP_MAX_MSG, cases[k].afi, false);
		for (i = 0;; i++) {
			nth_prefix(&p, cases[k].afi, i);
			if (!wire_upd_withdraw(&b, &p))
				break;
		}
		CHECK_EQ(cases[k].name, i, cases[k].count);
		n = wire_upd_finish(&b);
		CHECK_EQ(cases[k].name, n, cases[k].len);
		check_guard(cases[k].name, BGP_MAX_MSG);
		check_packed(cases[k].name, n, cases[k].afi, true,
		    cases[k].count, cases[k].count);
	}
}

/*
 * The room a message still needs is kept: the IPv4 attribute length
 * after withdrawals, the 7-octet MP_UNREACH_NLRI header before the
 * first IPv6 withdrawal.
 */
static void
test_builder_withdraw_room(void **state)
{
	struct wire_upd_builder b;
	struct wire_prefix p, zero;
	size_t i, n;

	(void)state;
	/* IPv4: 1018 /24s leave 4093; /0s (1 octet + 2 kept) fill 4096. */
	memset(msg, 0x5a, sizeof(msg));
	wire_upd_begin(&b, msg, BGP_MAX_MSG, BGP_AFI_IPV4, false);
	for (i = 0; i < 1018; i++) {
		nth_prefix(&p, BGP_AFI_IPV4, i);
		assert_true(wire_upd_withdraw(&b, &p));
	}
	assert_int_equal(b.len, 4093);
	pfx4(&zero, "0.0.0.0", 0, 0);
	assert_true(wire_upd_withdraw(&b, &zero));
	assert_int_equal(b.len, 4094);
	assert_false(wire_upd_withdraw(&b, &zero));
	n = wire_upd_finish(&b);
	assert_int_equal(n, BGP_MAX_MSG);
	check_guard("IPv4 withdrawals to 4096", BGP_MAX_MSG);
	check_packed(
	    "IPv4 withdrawals to 4096", n, BGP_AFI_IPV4, true, 1018, 1019);

	/* IPv6: 23 + 7 + 5 octets for one /32. */
	pfx6(&p, "2001:db8::", 32, 0);
	memset(msg, 0x5a, sizeof(msg));
	wire_upd_begin(&b, msg, 34, BGP_AFI_IPV6, false);
	assert_false(wire_upd_withdraw(&b, &p));
	assert_int_equal(wire_upd_finish(&b), 0);
	check_guard("IPv6 withdrawal, cap 34", 34);
	memset(msg, 0x5a, sizeof(msg));
	wire_upd_begin(&b, msg, 35, BGP_AFI_IPV6, false);
	assert_true(wire_upd_withdraw(&b, &p));
	n = wire_upd_finish(&b);
	check_hex("IPv6 withdrawal, cap 35", "message", msg, n,
	    MARKER "0023 02 0000 000c 90 0f 0008 0002 01 20 20010db8");
	check_guard("IPv6 withdrawal, cap 35", 35);
}

/* A message of exactly 4096 octets, and never one more. */
static void
test_builder_max_size(void **state)
{
	struct wire_upd_builder b;
	struct wire_prefix p, big, zero;
	uint8_t attrs[BGP_MAX_MSG], nh[16];
	size_t alen, i, n;

	(void)state;
	/* /24s up to 4095 octets, then a /0 (1 octet) fills the message. */
	alen = hex_decode(BASE, attrs, sizeof(attrs));
	memset(msg, 0x5a, sizeof(msg));
	wire_upd_begin(&b, msg, BGP_MAX_MSG, BGP_AFI_IPV4, false);
	assert_true(wire_upd_attrs(&b, attrs, alen, NULL, 0));
	for (i = 0;; i++) {
		nth_prefix(&p, BGP_AFI_IPV4, i);
		if (!wire_upd_announce(&b, &p))
			break;
	}
	assert_int_equal(b.len, BGP_MAX_MSG - 1);
	pfx4(&big, "192.0.2.0", 25, 0); /* 5 octets */
	assert_false(wire_upd_announce(&b, &big));
	pfx4(&big, "10.0.0.0", 8, 0); /* 2 octets: one too many */
	assert_false(wire_upd_announce(&b, &big));
	pfx4(&zero, "0.0.0.0", 0, 0);
	assert_true(wire_upd_announce(&b, &zero));
	assert_int_equal(b.len, BGP_MAX_MSG);
	assert_false(wire_upd_announce(&b, &zero));
	n = wire_upd_finish(&b);
	assert_int_equal(n, BGP_MAX_MSG);
	assert_int_equal(msg[16], 0x10);
	assert_int_equal(msg[17], 0x00);
	check_guard("4096 by prefixes", BGP_MAX_MSG);
	/* The /24s in order, then the /0 as the very last octet. */
	assert_int_equal(msg[BGP_MAX_MSG - 1], 0);
	check_packed("4096 by prefixes", n, BGP_AFI_IPV4, false, i, i + 1);

	/*
	 * Attributes alone: IPv4 has 23 octets of header and lengths, so
	 * 4073 octets of attributes make 4096 and 4074 do not fit.  The
	 * builder does not read them; any bytes do.
	 */
	memset(attrs, 0xa5, sizeof(attrs));
	memset(msg, 0x5a, sizeof(msg));
	wire_upd_begin(&b, msg, BGP_MAX_MSG, BGP_AFI_IPV4, false);
	assert_false(wire_upd_attrs(&b, attrs, BGP_MAX_MSG - 22, NULL, 0));
	assert_true(wire_upd_attrs(&b, attrs, BGP_MAX_MSG - 23, NULL, 0));
	assert_false(wire_upd_announce(&b, &zero));
	assert_int_equal(wire_upd_finish(&b), BGP_MAX_MSG);
	check_guard("4096 by IPv4 attributes", BGP_MAX_MSG);

	/*
	 * IPv6: 23 octets, then the attributes, then MP_REACH_NLRI's
	 * 4 + 5 + 16 (header; AFI, SAFI, next hop length, reserved; next
	 * hop): attributes of 4048 octets fit exactly, 4049 do not.
	 */
	hex_decode(NH6, nh, sizeof(nh));
	memset(msg, 0x5a, sizeof(msg));
	wire_upd_begin(&b, msg, BGP_MAX_MSG, BGP_AFI_IPV6, false);
	assert_false(wire_upd_attrs(&b, attrs, BGP_MAX_MSG - 47, nh, 16));
	assert_true(wire_upd_attrs(&b, attrs, BGP_MAX_MSG - 48, nh, 16));
	pfx6(&zero, "::", 0, 0);
	assert_false(wire_upd_announce(&b, &zero));
	assert_int_equal(wire_upd_finish(&b), BGP_MAX_MSG);
	check_guard("4096 by IPv6 attributes", BGP_MAX_MSG);
}

/* ---- End-of-RIB (RFC 4724 §2) ---- */

static void
test_eor_encode(void **state)
{
	static const struct {
		const char *name;
		uint16_t afi;
		uint8_t safi;
		const char *msg;
	} cases[] = {
		{ "IPv4", BGP_AFI_IPV4, BGP_SAFI_UNICAST,
		    MARKER "0017 02 0000 0000" },
		{ "IPv6", BGP_AFI_IPV6, BGP_SAFI_UNICAST,
		    MARKER "001d 02 0000 0006 80 0f 03 0002 01" },
	};
	struct wire_update u;
	struct wire_err err;
	struct wire_ctx ctx;
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(msg, 0x5a, sizeof(msg));
		n = wire_eor_encode(
		    cases[i].afi, cases[i].safi, msg, sizeof(msg));
		check_hex(cases[i].name, "End-of-RIB", msg, n, cases[i].msg);
		/* Too small a buffer: nothing. */
		assert_int_equal(
		    wire_eor_encode(cases[i].afi, cases[i].safi, msg, n - 1),
		    0);
		assert_int_equal(
		    wire_eor_encode(cases[i].afi, cases[i].safi, msg, n), n);

		ctx_make(&ctx, 0);
		wire_err_init(&err);
		CHECK_EQ(cases[i].name,
		    wire_update_decode(
			&ctx, msg + BGP_HDR_LEN, n - BGP_HDR_LEN, &u, &err),
		    WIRE_OK);
		CHECK_EQ(cases[i].name, u.eor, true);
		CHECK_EQ(cases[i].name, u.eor_afi, cases[i].afi);
		CHECK_EQ(cases[i].name, u.eor_safi, cases[i].safi);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_update_decode),
		cmocka_unit_test(test_update_decode_attrs),
		cmocka_unit_test(test_builder_bytes),
		cmocka_unit_test(test_builder_rules),
		cmocka_unit_test(test_builder_pack_announce),
		cmocka_unit_test(test_builder_pack_withdraw),
		cmocka_unit_test(test_builder_withdraw_room),
		cmocka_unit_test(test_builder_max_size),
		cmocka_unit_test(test_eor_encode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
