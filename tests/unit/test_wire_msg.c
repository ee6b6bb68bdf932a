/*
 * test_wire_msg.c: unit tests of the message header, OPEN, KEEPALIVE,
 * NOTIFICATION and ROUTE-REFRESH codec (wire_msg.c) and of the names of
 * verdicts, codes and subcodes (wire_err.c).
 *
 * Every vector is written by hand from the formats of RFC 4271 §4,
 * RFC 5492, RFC 9072, RFC 9003 and RFC 7313; none is produced by the
 * code under test.  OPENs written in the encoder's canonical order (one
 * Capabilities parameter, capabilities in code order, unknown ones last)
 * must come out of decode→encode byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <dxbgp/wire.h>

#include "hex.h"

/* RFC 4271 §4.1: sixteen octets of ones. */
#define MARKER "ffffffff ffffffff ffffffff ffffffff | "

/* Assertions that name the table entry being checked. */
#define VEC_INT(name, got, want)                                               \
	do {                                                                   \
		long long got_ = (long long)(got);                             \
		long long want_ = (long long)(want);                           \
		if (got_ != want_)                                             \
			fail_msg("%s: %s is %lld, expected %lld", (name),      \
			    #got, got_, want_);                                \
	} while (0)

#define VEC_MEM(name, got, gotlen, want, wantlen)                              \
	vec_mem((name), #got, __LINE__, (got), (gotlen), (want), (wantlen))

static void
vec_mem(const char *name, const char *what, int line, const uint8_t *got,
    size_t gotlen, const uint8_t *want, size_t wantlen)
{
	size_t i;

	if (gotlen != wantlen)
		fail_msg("%s (line %d): %s has %zu octets, expected %zu", name,
		    line, what, gotlen, wantlen);
	for (i = 0; i < gotlen; i++)
		if (got[i] != want[i])
			fail_msg("%s (line %d): %s octet %zu is %02x, "
				 "expected %02x",
			    name, line, what, i, got[i], want[i]);
}

static size_t
hex(const char *s, uint8_t *out, size_t cap)
{
	return hex_decode(s, out, cap);
}

/* Checks a session-reset verdict: code, subcode and NOTIFICATION data. */
static void
check_err(const char *name, const struct wire_err *err, uint8_t code,
    uint8_t subcode, const char *datahex)
{
	uint8_t want[16];
	size_t wantlen = hex(datahex, want, sizeof(want));
	const uint8_t *data;
	uint16_t datalen;

	VEC_INT(name, err->action, WIRE_SESSION_RESET);
	VEC_INT(name, err->code, code);
	VEC_INT(name, err->subcode, subcode);
	if (err->reason == NULL || err->reason[0] == '\0')
		fail_msg("%s: no reason for the log", name);
	data = wire_err_data(err, &datalen);
	VEC_INT(name, datalen, wantlen);
	if (wantlen == 0)
		VEC_INT(name, data == NULL, 1);
	else
		VEC_MEM(name, data, datalen, want, wantlen);
}

/* ---- header (RFC 4271 §4.1, §6.1; RFC 8654) ---- */

struct hdr_vec {
	const char *name;
	const char *msg;
	size_t max;
	int ret;
	uint8_t type; /* ret 1 */
	uint16_t len;
	uint8_t code; /* ret -1 */
	uint8_t subcode;
	const char *data;
};

/* clang-format off */
#define OK(n, m, max, t, l) { n, m, max, 1, t, l, 0, 0, "" }
#define NEED(n, m) { n, m, BGP_MAX_MSG, 0, 0, 0, 0, 0, "" }
#define BAD(n, m, max, c, s, d) { n, m, max, -1, 0, 0, c, s, d }
/* clang-format on */

static const struct hdr_vec hdr_vecs[] = {
	/* One valid message of each type. */
	OK("keepalive", MARKER "0013 04", 4096, BGP_MSG_KEEPALIVE, 19),
	OK("smallest OPEN", MARKER "001d 01 | 04 fde8 00b4 c0000201 00", 4096,
	    BGP_MSG_OPEN, 29),
	OK("IPv4 End-of-RIB UPDATE", MARKER "0017 02 | 0000 0000", 4096,
	    BGP_MSG_UPDATE, 23),
	OK("Cease NOTIFICATION", MARKER "0015 03 | 06 02", 4096,
	    BGP_MSG_NOTIFICATION, 21),
	OK("ROUTE-REFRESH", MARKER "0017 05 | 0001 00 01", 4096,
	    BGP_MSG_ROUTE_REFRESH, 23),
	OK("header whose body has not arrived", MARKER "0100 02", 4096,
	    BGP_MSG_UPDATE, 256),
	OK("two KEEPALIVEs in the buffer", MARKER "0013 04" MARKER "0013 04",
	    4096, BGP_MSG_KEEPALIVE, 19),

	/* Fewer than 19 octets: wait for more, whatever they hold. */
	NEED("empty buffer", ""),
	NEED("18 octets", MARKER "0013"),
	NEED("18 octets with a bad marker",
	    "00ffffff ffffffff ffffffff ffffffff 0013"),

	/* Marker (§6.1: Connection Not Synchronized, no data). */
	BAD("first marker octet fe",
	    "feffffff ffffffff ffffffff ffffffff 0013 04", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_SYNC, ""),
	BAD("last marker octet 00",
	    "ffffffff ffffffff ffffffff ffffff00 0013 04", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_SYNC, ""),
	BAD("marker of zeros", "00000000 00000000 00000000 00000000 0013 04",
	    4096, BGP_ERR_HEADER, BGP_ERR_HDR_SYNC, ""),

	/* Length out of range: Bad Message Length, data the length field. */
	BAD("length 0", MARKER "0000 04", 4096, BGP_ERR_HEADER, BGP_ERR_HDR_LEN,
	    "0000"),
	BAD("length 18", MARKER "0012 04", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_LEN, "0012"),
	BAD("length 65535 without extended messages", MARKER "ffff 02", 4096,
	    BGP_ERR_HEADER, BGP_ERR_HDR_LEN, "ffff"),

	/* Unknown type: Bad Message Type, data the type octet. */
	BAD("type 0", MARKER "0013 00", 4096, BGP_ERR_HEADER, BGP_ERR_HDR_TYPE,
	    "00"),
	BAD("type 6", MARKER "0013 06", 4096, BGP_ERR_HEADER, BGP_ERR_HDR_TYPE,
	    "06"),
	BAD("type 255", MARKER "0017 ff", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_TYPE, "ff"),
	BAD("type 6 with length 18: the length is checked first",
	    MARKER "0012 06", 4096, BGP_ERR_HEADER, BGP_ERR_HDR_LEN, "0012"),
	BAD("type 6 with length 4097: the length is checked first",
	    MARKER "1001 06", 4096, BGP_ERR_HEADER, BGP_ERR_HDR_LEN, "1001"),

	/* OPEN: at least 29, at most 4096 even with extended messages. */
	BAD("OPEN of 28", MARKER "001c 01", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_LEN, "001c"),
	OK("OPEN of 4096", MARKER "1000 01", 4096, BGP_MSG_OPEN, 4096),
	BAD("OPEN of 4097", MARKER "1001 01", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_LEN, "1001"),
	OK("OPEN of 4096 with extended messages", MARKER "1000 01", 65535,
	    BGP_MSG_OPEN, 4096),
	BAD("OPEN of 4097 with extended messages", MARKER "1001 01", 65535,
	    BGP_ERR_HEADER, BGP_ERR_HDR_LEN, "1001"),
	BAD("OPEN of 65535 with extended messages", MARKER "ffff 01", 65535,
	    BGP_ERR_HEADER, BGP_ERR_HDR_LEN, "ffff"),

	/* UPDATE: at least 23, at most the negotiated size. */
	BAD("UPDATE of 22", MARKER "0016 02", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_LEN, "0016"),
	OK("UPDATE of 4096", MARKER "1000 02", 4096, BGP_MSG_UPDATE, 4096),
	BAD("UPDATE of 4097", MARKER "1001 02", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_LEN, "1001"),
	OK("UPDATE of 4097 with extended messages", MARKER "1001 02", 65535,
	    BGP_MSG_UPDATE, 4097),
	OK("UPDATE of 65535 with extended messages", MARKER "ffff 02", 65535,
	    BGP_MSG_UPDATE, 65535),

	/* NOTIFICATION: at least 21. */
	BAD("NOTIFICATION of 20", MARKER "0014 03", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_LEN, "0014"),
	OK("NOTIFICATION of 4096", MARKER "1000 03", 4096, BGP_MSG_NOTIFICATION,
	    4096),
	BAD("NOTIFICATION of 4097", MARKER "1001 03", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_LEN, "1001"),
	OK("NOTIFICATION of 65535 with extended messages", MARKER "ffff 03",
	    65535, BGP_MSG_NOTIFICATION, 65535),

	/* KEEPALIVE: exactly 19, even with extended messages. */
	BAD("KEEPALIVE of 20", MARKER "0014 04", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_LEN, "0014"),
	BAD("KEEPALIVE of 4096 with extended messages", MARKER "1000 04", 65535,
	    BGP_ERR_HEADER, BGP_ERR_HDR_LEN, "1000"),

	/* ROUTE-REFRESH: its body length is its own decoder's error (7/1). */
	OK("ROUTE-REFRESH of 19", MARKER "0013 05", 4096, BGP_MSG_ROUTE_REFRESH,
	    19),
	OK("ROUTE-REFRESH of 4096", MARKER "1000 05", 4096,
	    BGP_MSG_ROUTE_REFRESH, 4096),
	BAD("ROUTE-REFRESH of 4097", MARKER "1001 05", 4096, BGP_ERR_HEADER,
	    BGP_ERR_HDR_LEN, "1001"),
	OK("ROUTE-REFRESH of 4097 with extended messages", MARKER "1001 05",
	    65535, BGP_MSG_ROUTE_REFRESH, 4097),
};

static void
test_hdr_decode(void **state)
{
	const struct hdr_vec *v;
	uint8_t buf[64];
	size_t n;
	struct wire_hdr hdr;
	struct wire_err err;
	int ret;

	(void)state;
	for (v = hdr_vecs; v < hdr_vecs + sizeof(hdr_vecs) / sizeof(*v); v++) {
		n = hex(v->msg, buf, sizeof(buf));
		memset(&hdr, 0xee, sizeof(hdr));
		wire_err_init(&err);
		ret = wire_hdr_decode(buf, n, v->max, &hdr, &err);
		VEC_INT(v->name, ret, v->ret);
		if (ret == -1) {
			check_err(v->name, &err, v->code, v->subcode, v->data);
			continue;
		}
		VEC_INT(v->name, err.action, WIRE_OK);
		if (ret == 1) {
			VEC_INT(v->name, hdr.type, v->type);
			VEC_INT(v->name, hdr.len, v->len);
		}
	}
}

static void
test_hdr_encode(void **state)
{
	uint8_t buf[BGP_HDR_LEN], want[BGP_HDR_LEN];

	(void)state;
	assert_int_equal(wire_hdr_encode(buf, BGP_MSG_UPDATE, 23), BGP_HDR_LEN);
	assert_int_equal(
	    hex(MARKER "0017 02", want, sizeof(want)), BGP_HDR_LEN);
	assert_memory_equal(buf, want, BGP_HDR_LEN);

	wire_hdr_set_len(buf, 0x1234);
	hex(MARKER "1234 02", want, sizeof(want));
	assert_memory_equal(buf, want, BGP_HDR_LEN);
}

/* ---- OPEN (RFC 4271 §4.2, RFC 5492, RFC 9072) ---- */

/*
 * An OPEN as BIRD 2 sends it with IPv4 and IPv6 channels: a 4-octet AS
 * (so AS_TRANS in My AS), every capability in one parameter, in code
 * order, and a hostname capability (73) that dxbgp does not know.
 */
#define BIRD_OPEN                                                              \
	MARKER "0056 01 |"                                                     \
	       "04 5ba0 00f0 c0000201 39 |"                                    \
	       "02 37 |"                                                       \
	       "01 04 0001 00 01 |"                 /* MP IPv4 unicast */      \
	       "01 04 0002 00 01 |"                 /* MP IPv6 unicast */      \
	       "02 00 |"                            /* route refresh */        \
	       "06 00 |"                            /* extended message */     \
	       "40 0a 8078 0001 01 80 0002 01 80 |" /* GR: R, 120 s, F F */    \
	       "41 04 fa56ea01 |"                   /* AS 4200000001 */        \
	       "45 08 0001 01 03 0002 01 01 |"      /* ADD-PATH: v4 3, v6 1 */ \
	       "46 00 |"                            /* enhanced RR */          \
	       "49 07 05 6269726431 00"             /* hostname bird1 */

static void
test_open_decode_bird(void **state)
{
	uint8_t msg[128], host[8];
	size_t n, hostlen;
	struct wire_open o;
	struct wire_err err;
	const struct wire_caps *c = &o.caps;

	(void)state;
	n = hex(BIRD_OPEN, msg, sizeof(msg));
	assert_int_equal(n, 0x56);
	wire_err_init(&err);
	assert_int_equal(
	    wire_open_decode(msg + BGP_HDR_LEN, n - BGP_HDR_LEN, &o, &err), 0);
	assert_int_equal(err.action, WIRE_OK);

	assert_int_equal(o.version, 4);
	assert_int_equal(o.my_as, BGP_AS_TRANS);
	assert_int_equal(o.holdtime, 240);
	assert_int_equal(o.bgp_id, 0xc0000201); /* 192.0.2.1 */
	assert_int_equal(c->have,
	    WIRE_CAP_MP | WIRE_CAP_RR | WIRE_CAP_EXTMSG | WIRE_CAP_GR |
		WIRE_CAP_AS4 | WIRE_CAP_ADDPATH | WIRE_CAP_ERR);

	assert_int_equal(c->n_mp, 2);
	assert_int_equal(c->mp[0].afi, BGP_AFI_IPV4);
	assert_int_equal(c->mp[0].safi, BGP_SAFI_UNICAST);
	assert_int_equal(c->mp[1].afi, BGP_AFI_IPV6);
	assert_int_equal(c->mp[1].safi, BGP_SAFI_UNICAST);

	assert_int_equal(c->gr_flags, BGP_GR_FLAG_RESTART);
	assert_int_equal(c->gr_time, 120);
	assert_int_equal(c->n_gr, 2);
	assert_int_equal(c->gr[0].afi, BGP_AFI_IPV4);
	assert_int_equal(c->gr[0].safi, BGP_SAFI_UNICAST);
	assert_int_equal(c->gr[0].flags, BGP_GR_AF_FORWARDING);
	assert_int_equal(c->gr[1].afi, BGP_AFI_IPV6);
	assert_int_equal(c->gr[1].safi, BGP_SAFI_UNICAST);
	assert_int_equal(c->gr[1].flags, BGP_GR_AF_FORWARDING);

	assert_int_equal(c->as4, 4200000001u);
	assert_int_equal(wire_open_peer_as(&o), 4200000001u);

	assert_int_equal(c->n_addpath, 2);
	assert_int_equal(c->addpath[0].afi, BGP_AFI_IPV4);
	assert_int_equal(c->addpath[0].flags, BGP_ADDPATH_BOTH);
	assert_int_equal(c->addpath[1].afi, BGP_AFI_IPV6);
	assert_int_equal(c->addpath[1].flags, BGP_ADDPATH_RECEIVE);

	hostlen = hex("05 6269726431 00", host, sizeof(host));
	assert_int_equal(c->n_unknown, 1);
	assert_int_equal(c->unknown[0].code, 73);
	assert_int_equal(c->unknown[0].len, hostlen);
	assert_memory_equal(c->unknown[0].val, host, hostlen);
	/* The raw value points into the message, right after code and length. */
	assert_ptr_equal(c->unknown[0].val, msg + n - hostlen);
}

static void
test_open_caps_lookups(void **state)
{
	uint8_t msg[128];
	size_t n;
	struct wire_open o;
	struct wire_err err;

	(void)state;
	n = hex(BIRD_OPEN, msg, sizeof(msg));
	wire_err_init(&err);
	assert_int_equal(
	    wire_open_decode(msg + BGP_HDR_LEN, n - BGP_HDR_LEN, &o, &err), 0);

	assert_true(wire_caps_has_mp(&o.caps, BGP_AFI_IPV4, BGP_SAFI_UNICAST));
	assert_true(wire_caps_has_mp(&o.caps, BGP_AFI_IPV6, BGP_SAFI_UNICAST));
	assert_false(wire_caps_has_mp(&o.caps, BGP_AFI_IPV4, 2));   /* mcast */
	assert_false(wire_caps_has_mp(&o.caps, BGP_AFI_IPV6, 128)); /* VPN */
	assert_false(wire_caps_has_mp(&o.caps, 25, 65));            /* VPLS */

	assert_int_equal(
	    wire_caps_addpath(&o.caps, BGP_AFI_IPV4, BGP_SAFI_UNICAST),
	    BGP_ADDPATH_BOTH);
	assert_int_equal(
	    wire_caps_addpath(&o.caps, BGP_AFI_IPV6, BGP_SAFI_UNICAST),
	    BGP_ADDPATH_RECEIVE);
	assert_int_equal(wire_caps_addpath(&o.caps, BGP_AFI_IPV4, 2), 0);
	assert_int_equal(wire_caps_addpath(&o.caps, 25, 65), 0);
}

static void
test_open_peer_as(void **state)
{
	uint8_t body[64];
	size_t n;
	struct wire_open o;
	struct wire_err err;

	(void)state;
	/* No 4-octet AS capability: the peer's AS is My AS. */
	n = hex("04 fde9 00b4 0a000002 00", body, sizeof(body));
	wire_err_init(&err);
	assert_int_equal(wire_open_decode(body, n, &o, &err), 0);
	assert_int_equal(o.caps.have, 0);
	assert_int_equal(wire_open_peer_as(&o), 65001);

	/* With it, the capability wins over My AS, even when they differ. */
	n = hex("04 fde9 00b4 0a000002 08 02 06 41 04 00010000", body,
	    sizeof(body));
	assert_int_equal(wire_open_decode(body, n, &o, &err), 0);
	assert_int_equal(o.my_as, 65001);
	assert_int_equal(wire_open_peer_as(&o), 65536);
}

/*
 * An OPEN as FRR sends it: one capability per optional parameter, the
 * old Cisco route refresh (128) and the FQDN capability (73) unknown to
 * dxbgp, graceful restart with only the N bit.  Re-encoded, it becomes
 * the canonical one-parameter form below.
 */
#define FRR_OPEN_BODY                                                          \
	"04 fde9 00b4 0a000002 44 |"                                           \
	"02 06 01 04 0001 00 01 |"                                             \
	"02 06 01 04 0002 00 01 |"                                             \
	"02 02 80 00 |"                                                        \
	"02 02 02 00 |"                                                        \
	"02 02 46 00 |"                                                        \
	"02 06 41 04 0000fde9 |"                                               \
	"02 06 45 04 0001 01 01 |"                                             \
	"02 0c 49 0a 04 66727231 04 74657374 |"                                \
	"02 08 40 06 4078 0001 01 00"

#define FRR_OPEN_CANONICAL                                                     \
	MARKER "0051 01 |"                                                     \
	       "04 fde9 00b4 0a000002 34 |"                                    \
	       "02 32 |"                                                       \
	       "01 04 0001 00 01 |"                                            \
	       "01 04 0002 00 01 |"                                            \
	       "02 00 |"                                                       \
	       "40 06 4078 0001 01 00 |"                                       \
	       "41 04 0000fde9 |"                                              \
	       "45 04 0001 01 01 |"                                            \
	       "46 00 |"                                                       \
	       "80 00 |"                                                       \
	       "49 0a 04 66727231 04 74657374"

static void
test_open_decode_frr(void **state)
{
	uint8_t body[128], fqdn[16], want[128], out[128];
	size_t n, fqdnlen, wantlen;
	struct wire_open o;
	struct wire_err err;
	const struct wire_caps *c = &o.caps;

	(void)state;
	n = hex(FRR_OPEN_BODY, body, sizeof(body));
	assert_int_equal(n, 10 + 0x44);
	wire_err_init(&err);
	assert_int_equal(wire_open_decode(body, n, &o, &err), 0);

	assert_int_equal(o.my_as, 65001);
	assert_int_equal(o.holdtime, 180);
	assert_int_equal(o.bgp_id, 0x0a000002);
	assert_int_equal(c->have,
	    WIRE_CAP_MP | WIRE_CAP_RR | WIRE_CAP_ERR | WIRE_CAP_AS4 |
		WIRE_CAP_ADDPATH | WIRE_CAP_GR);
	assert_int_equal(c->n_mp, 2);
	assert_int_equal(c->as4, 65001);
	assert_int_equal(c->gr_flags, BGP_GR_FLAG_NOTIFY);
	assert_int_equal(c->gr_time, 120);
	assert_int_equal(c->n_gr, 1);
	assert_int_equal(c->gr[0].flags, 0);
	assert_int_equal(wire_caps_addpath(c, BGP_AFI_IPV4, BGP_SAFI_UNICAST),
	    BGP_ADDPATH_RECEIVE);
	assert_int_equal(
	    wire_caps_addpath(c, BGP_AFI_IPV6, BGP_SAFI_UNICAST), 0);

	fqdnlen = hex("04 66727231 04 74657374", fqdn, sizeof(fqdn));
	assert_int_equal(c->n_unknown, 2);
	assert_int_equal(c->unknown[0].code, 128);
	assert_int_equal(c->unknown[0].len, 0);
	assert_int_equal(c->unknown[1].code, 73);
	assert_int_equal(c->unknown[1].len, fqdnlen);
	assert_memory_equal(c->unknown[1].val, fqdn, fqdnlen);

	wantlen = hex(FRR_OPEN_CANONICAL, want, sizeof(want));
	assert_int_equal(wire_open_encode(&o, out, sizeof(out)), wantlen);
	assert_memory_equal(out, want, wantlen);
}

/* RFC 9072: the extended form, accepted even when it was not needed. */
static void
test_open_decode_extended(void **state)
{
	static const char *const body_hex[] = {
		/* One Capabilities parameter of 14 octets. */
		"04 5ba0 00b4 c0000201 ff | ff 0011 |"
		"02 000e | 01 04 0001 00 01 | 41 04 fa56ea01 | 02 00",
		/* The same capabilities in two parameters. */
		"04 5ba0 00b4 c0000201 ff | ff 0014 |"
		"02 0006 | 01 04 0001 00 01 |"
		"02 0008 | 41 04 fa56ea01 | 02 00",
	};
	/* Re-encoded, the short form, since 14 octets fit. */
	static const char canonical[] = MARKER "002d 01 |"
					       "04 5ba0 00b4 c0000201 10 |"
					       "02 0e | 01 04 0001 00 01 |"
					       "02 00 | 41 04 fa56ea01";
	uint8_t body[64], want[64], out[64];
	size_t i, n, wantlen;
	struct wire_open o;
	struct wire_err err;

	(void)state;
	wantlen = hex(canonical, want, sizeof(want));
	for (i = 0; i < sizeof(body_hex) / sizeof(*body_hex); i++) {
		n = hex(body_hex[i], body, sizeof(body));
		wire_err_init(&err);
		assert_int_equal(wire_open_decode(body, n, &o, &err), 0);
		assert_int_equal(
		    o.caps.have, WIRE_CAP_MP | WIRE_CAP_AS4 | WIRE_CAP_RR);
		assert_int_equal(o.caps.n_mp, 1);
		assert_int_equal(o.caps.as4, 4200000001u);
		assert_int_equal(o.caps.n_unknown, 0);
		assert_int_equal(
		    wire_open_encode(&o, out, sizeof(out)), wantlen);
		assert_memory_equal(out, want, wantlen);
	}
}

/* Whole OPEN messages in the encoder's canonical form. */
static const struct {
	const char *name;
	const char *msg;
} open_canonical[] = {
	{ "no optional parameters",
	    MARKER "001d 01 | 04 fde8 00b4 c0000201 00" },
	{ "BIRD, IPv4 and IPv6", BIRD_OPEN },
	{ "FRR, re-encoded", FRR_OPEN_CANONICAL },
	{ "route refresh and 4-octet AS, hold time 0",
	    MARKER "0027 01 | 04 5ba0 0000 0a000001 0a |"
		   "02 08 | 02 00 | 41 04 00010000" },
	{ "graceful restart helper, no families",
	    MARKER "0029 01 | 04 fde8 005a c0000201 0c |"
		   "02 0a | 01 04 0001 00 01 | 40 02 40b4" },
	{ "extended message and ADD-PATH send for IPv6",
	    MARKER "0027 01 | 04 fde8 005a c0000201 0a |"
		   "02 08 | 06 00 | 45 04 0002 01 02" },
	{ "two unknown capabilities kept in order",
	    MARKER "0027 01 | 04 fde8 0003 c0000201 0a |"
		   "02 08 | 02 00 | 83 00 | 49 02 00 00" },
};

static void
test_open_roundtrip(void **state)
{
	uint8_t msg[256], out[256];
	size_t i, n;
	const char *name;
	struct wire_hdr hdr;
	struct wire_open o;
	struct wire_err err;

	(void)state;
	for (i = 0; i < sizeof(open_canonical) / sizeof(*open_canonical); i++) {
		name = open_canonical[i].name;
		n = hex(open_canonical[i].msg, msg, sizeof(msg));
		wire_err_init(&err);
		VEC_INT(
		    name, wire_hdr_decode(msg, n, BGP_MAX_MSG, &hdr, &err), 1);
		VEC_INT(name, hdr.type, BGP_MSG_OPEN);
		VEC_INT(name, hdr.len, n);
		VEC_INT(name,
		    wire_open_decode(
			msg + BGP_HDR_LEN, n - BGP_HDR_LEN, &o, &err),
		    0);
		memset(out, 0, sizeof(out));
		VEC_INT(name, wire_open_encode(&o, out, sizeof(out)), n);
		VEC_MEM(name, out, n, msg, n);
	}
}

static void
test_open_encode_extended_threshold(void **state)
{
	/*
	 * One unknown capability of 251 octets: 253 octets of
	 * capabilities, 255 of parameters, the short form still fits.
	 */
	static const char short_hdr[] = MARKER "011c 01 |"
					       "04 fde8 00b4 c0000201 ff |"
					       "02 fd | f0 fb";
	/* 252 octets: 254 of capabilities, the RFC 9072 form. */
	static const char ext_hdr[] = MARKER "0121 01 |"
					     "04 fde8 00b4 c0000201 ff |"
					     "ff 0101 | 02 00fe | f0 fc";
	uint8_t fill[252], want[64], out[512];
	size_t n, wantlen;
	struct wire_open o, back;
	struct wire_err err;

	(void)state;
	memset(fill, 0x5a, sizeof(fill));
	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = 65000;
	o.holdtime = 180;
	o.bgp_id = 0xc0000201;
	o.caps.n_unknown = 1;
	o.caps.unknown[0].code = 0xf0;
	o.caps.unknown[0].val = fill;

	o.caps.unknown[0].len = 251;
	wantlen = hex(short_hdr, want, sizeof(want));
	n = wire_open_encode(&o, out, sizeof(out));
	assert_int_equal(n, 284);
	assert_memory_equal(out, want, wantlen);
	assert_memory_equal(out + wantlen, fill, 251);
	/* Opt Parm Len 255 followed by type 2 is not the extended form. */
	wire_err_init(&err);
	assert_int_equal(
	    wire_open_decode(out + BGP_HDR_LEN, n - BGP_HDR_LEN, &back, &err),
	    0);
	assert_int_equal(back.caps.n_unknown, 1);
	assert_int_equal(back.caps.unknown[0].code, 0xf0);
	assert_int_equal(back.caps.unknown[0].len, 251);
	assert_memory_equal(back.caps.unknown[0].val, fill, 251);

	o.caps.unknown[0].len = 252;
	wantlen = hex(ext_hdr, want, sizeof(want));
	n = wire_open_encode(&o, out, sizeof(out));
	assert_int_equal(n, 289);
	assert_memory_equal(out, want, wantlen);
	assert_memory_equal(out + wantlen, fill, 252);
	assert_int_equal(
	    wire_open_decode(out + BGP_HDR_LEN, n - BGP_HDR_LEN, &back, &err),
	    0);
	assert_int_equal(back.caps.n_unknown, 1);
	assert_int_equal(back.caps.unknown[0].len, 252);
	assert_memory_equal(back.caps.unknown[0].val, fill, 252);
}

static void
test_open_encode_no_room(void **state)
{
	uint8_t fill[255], out[BGP_MAX_MSG + 64];
	struct wire_open o;
	int i;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = 65000;
	o.holdtime = 90;
	o.bgp_id = 0xc0000201;
	/* The smallest OPEN is 29 octets. */
	assert_int_equal(wire_open_encode(&o, out, 28), 0);
	assert_int_equal(wire_open_encode(&o, out, 29), 29);

	/* 16 capabilities of 257 octets cannot fit in 4096. */
	memset(fill, 0, sizeof(fill));
	o.caps.n_unknown = WIRE_MAX_UNKNOWN_CAPS;
	for (i = 0; i < WIRE_MAX_UNKNOWN_CAPS; i++) {
		o.caps.unknown[i].code = (uint8_t)(0xe0 + i);
		o.caps.unknown[i].len = 255;
		o.caps.unknown[i].val = fill;
	}
	assert_int_equal(wire_open_encode(&o, out, sizeof(out)), 0);

	/*
	 * RFC 9072 form: 19 + 10 + 3 + 3 octets before the capabilities,
	 * so 15 * 257 + (204 + 2) = 4061 octets of them make 4096, the
	 * largest OPEN (RFC 8654 §3), and one more is too many.
	 */
	o.caps.unknown[15].len = 204;
	assert_int_equal(wire_open_encode(&o, out, sizeof(out)), BGP_MAX_MSG);
	assert_int_equal(out[16] << 8 | out[17], BGP_MAX_MSG);
	assert_int_equal(out[28], BGP_OPT_EXTENDED);
	assert_int_equal(out[29], BGP_OPT_EXTENDED);
	assert_int_equal(out[30] << 8 | out[31], 4061 + 3);
	assert_int_equal(out[33] << 8 | out[34], 4061);
	o.caps.unknown[15].len = 205;
	assert_int_equal(wire_open_encode(&o, out, sizeof(out)), 0);
}

/* OPEN bodies that a decoder must refuse, with the NOTIFICATION. */
static const struct {
	const char *name;
	const char *body;
	uint8_t code;
	uint8_t subcode;
	const char *data;
} open_errs[] = {
	/* §6.2: data is the largest version we support below the bid. */
	{ "version 3", "03 fde8 00b4 c0000201 00", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_VERSION, "0004" },
	{ "version 5", "05 fde8 00b4 c0000201 00", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_VERSION, "0004" },
	{ "hold time 1", "04 fde8 0001 c0000201 00", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_HOLDTIME, "" },
	{ "hold time 2", "04 fde8 0002 c0000201 00", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_HOLDTIME, "" },
	{ "BGP identifier 0", "04 fde8 00b4 00000000 00", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_BGPID, "" },
	{ "fixed fields cut short", "04 fde8 00b4 c00002", BGP_ERR_HEADER,
	    BGP_ERR_HDR_LEN, "" },

	/* Optional parameters other than Capabilities. */
	{ "authentication parameter (type 1)",
	    "04 fde8 00b4 c0000201 04 | 01 02 0000", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_OPTPARAM, "01" },
	{ "type 3 after a Capabilities parameter",
	    "04 fde8 00b4 c0000201 08 | 02 02 02 00 | 03 02 0000", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_OPTPARAM, "03" },

	/* Framing of the parameters. */
	{ "Opt Parm Len past the message",
	    "04 fde8 00b4 c0000201 08 | 02 02 02 00", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "Opt Parm Len short of the message",
	    "04 fde8 00b4 c0000201 02 | 02 02 02 00", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "Opt Parm Len 1 with nothing after", "04 fde8 00b4 c0000201 01",
	    BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC, "" },
	{ "parameter without its length octet", "04 fde8 00b4 c0000201 01 | 02",
	    BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC, "" },
	{ "parameter longer than the rest",
	    "04 fde8 00b4 c0000201 04 | 02 06 41 04", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "capability longer than its parameter",
	    "04 fde8 00b4 c0000201 06 | 02 04 41 04 fa56", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "capability without its length octet",
	    "04 fde8 00b4 c0000201 03 | 02 01 41", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "capability ends past its parameter, inside the next",
	    "04 fde8 00b4 c0000201 0a | 02 02 41 04 | 02 04 fa56ea01",
	    BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC, "" },

	/* Capabilities of a malformed length. */
	{ "MP of 3 octets", "04 fde8 00b4 c0000201 07 | 02 05 01 03 0001 00",
	    BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC, "" },
	{ "MP of 5 octets",
	    "04 fde8 00b4 c0000201 09 | 02 07 01 05 0001 00 01 00",
	    BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC, "" },
	{ "4-octet AS of 2 octets",
	    "04 fde8 00b4 c0000201 06 | 02 04 41 02 fde8", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "graceful restart of 1 octet",
	    "04 fde8 00b4 c0000201 05 | 02 03 40 01 00", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "graceful restart with half a family",
	    "04 fde8 00b4 c0000201 08 | 02 06 40 04 0078 0001", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "ADD-PATH of 3 octets",
	    "04 fde8 00b4 c0000201 07 | 02 05 45 03 0001 01", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "ADD-PATH of 6 octets",
	    "04 fde8 00b4 c0000201 0a | 02 08 45 06 0001 01 01 0002",
	    BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC, "" },

	/* RFC 7607 §2: AS 0 is a Bad Peer AS. */
	{ "4-octet AS capability with AS 0",
	    "04 5ba0 00b4 c0000201 08 | 02 06 41 04 00000000", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_PEER_AS, "" },

	/* RFC 9072 extended form. */
	{ "extended form, length cut short", "04 fde8 00b4 c0000201 ff | ff 00",
	    BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC, "" },
	{ "extended form, length past the message",
	    "04 fde8 00b4 c0000201 ff | ff 0010 | 02 0006 41 04 fa56ea01",
	    BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC, "" },
	{ "extended form, parameter past the message",
	    "04 fde8 00b4 c0000201 ff | ff 0005 | 02 0006 41 04", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "extended form, parameter length cut short",
	    "04 fde8 00b4 c0000201 ff | ff 0002 | 02 00", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_UNSPEC, "" },
	{ "extended form, parameter type 1",
	    "04 fde8 00b4 c0000201 ff | ff 0005 | 01 0002 0000", BGP_ERR_OPEN,
	    BGP_ERR_OPEN_OPTPARAM, "01" },
};

static void
test_open_errors(void **state)
{
	uint8_t body[64];
	size_t i, n;
	struct wire_open o;
	struct wire_err err;

	(void)state;
	for (i = 0; i < sizeof(open_errs) / sizeof(*open_errs); i++) {
		n = hex(open_errs[i].body, body, sizeof(body));
		wire_err_init(&err);
		VEC_INT(
		    open_errs[i].name, wire_open_decode(body, n, &o, &err), -1);
		check_err(open_errs[i].name, &err, open_errs[i].code,
		    open_errs[i].subcode, open_errs[i].data);
	}
}

/* Hold times at the edges of what §4.2 allows. */
static void
test_open_holdtime_edges(void **state)
{
	static const struct {
		const char *body;
		uint16_t hold;
	} ok[] = {
		{ "04 fde8 0000 c0000201 00", 0 },
		{ "04 fde8 0003 c0000201 00", 3 },
		{ "04 fde8 ffff c0000201 00", 65535 },
	};
	uint8_t body[16];
	size_t i, n;
	struct wire_open o;
	struct wire_err err;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(*ok); i++) {
		n = hex(ok[i].body, body, sizeof(body));
		wire_err_init(&err);
		assert_int_equal(wire_open_decode(body, n, &o, &err), 0);
		assert_int_equal(o.holdtime, ok[i].hold);
	}
}

/*
 * RFC 7911 §4: a Send/Receive value other than 1, 2 or 3 makes the
 * capability not understood, and it SHOULD be ignored (RFC 5492): the
 * session stays up, no family gets ADD-PATH, and the rest of the OPEN
 * is still read.
 */
static void
test_open_addpath_bad_mode(void **state)
{
	static const struct {
		const char *name;
		const char *body;
		const char *capval;
	} vecs[] = {
		{ "mode 0",
		    "04 fde8 00b4 c0000201 0e | 02 0c 45 04 0001 01 00 |"
		    "41 04 0000fde8",
		    "0001 01 00" },
		{ "mode 4",
		    "04 fde8 00b4 c0000201 0e | 02 0c 45 04 0001 01 04 |"
		    "41 04 0000fde8",
		    "0001 01 04" },
		{ "good tuple, then mode 255",
		    "04 fde8 00b4 c0000201 12 | 02 10 45 08 0001 01 03 0002 01 ff |"
		    "41 04 0000fde8",
		    "0001 01 03 0002 01 ff" },
		{ "no tuple at all",
		    "04 fde8 00b4 c0000201 0a | 02 08 45 00 |"
		    "41 04 0000fde8",
		    "" },
	};
	uint8_t body[64], val[16];
	size_t i, n, vlen;
	struct wire_open o;
	struct wire_err err;
	const char *name;

	(void)state;
	for (i = 0; i < sizeof(vecs) / sizeof(*vecs); i++) {
		name = vecs[i].name;
		n = hex(vecs[i].body, body, sizeof(body));
		vlen = hex(vecs[i].capval, val, sizeof(val));
		wire_err_init(&err);
		VEC_INT(name, wire_open_decode(body, n, &o, &err), 0);
		VEC_INT(name, err.action, WIRE_OK);
		VEC_INT(name, o.caps.have, WIRE_CAP_AS4);
		VEC_INT(name, o.caps.as4, 65000);
		VEC_INT(name, o.caps.n_addpath, 0);
		VEC_INT(name,
		    wire_caps_addpath(&o.caps, BGP_AFI_IPV4, BGP_SAFI_UNICAST),
		    0);
		/* Kept raw, like any capability dxbgp does not understand. */
		VEC_INT(name, o.caps.n_unknown, 1);
		VEC_INT(name, o.caps.unknown[0].code, BGP_CAP_ADD_PATH);
		VEC_MEM(name, o.caps.unknown[0].val, o.caps.unknown[0].len, val,
		    vlen);
	}
}

/* Repeated capabilities: MP entries merge, the last GR replaces. */
static void
test_open_repeated_caps(void **state)
{
	static const char body_hex[] =
	    "04 fde8 00b4 c0000201 2c |"
	    "02 0c 01 04 0001 00 01 | 01 04 0001 00 01 |"
	    "02 08 40 06 0078 0001 01 80 |"
	    "02 12 40 0a 8005 0002 01 00 0001 01 80 | 01 04 0002 00 01";
	uint8_t body[64];
	size_t n;
	struct wire_open o;
	struct wire_err err;

	(void)state;
	n = hex(body_hex, body, sizeof(body));
	wire_err_init(&err);
	assert_int_equal(wire_open_decode(body, n, &o, &err), 0);
	assert_int_equal(o.caps.n_mp, 2);
	assert_int_equal(o.caps.mp[0].afi, BGP_AFI_IPV4);
	assert_int_equal(o.caps.mp[1].afi, BGP_AFI_IPV6);
	assert_int_equal(o.caps.gr_flags, BGP_GR_FLAG_RESTART);
	assert_int_equal(o.caps.gr_time, 5);
	assert_int_equal(o.caps.n_gr, 2);
	assert_int_equal(o.caps.gr[0].afi, BGP_AFI_IPV6);
	assert_int_equal(o.caps.gr[0].flags, 0);
	assert_int_equal(o.caps.gr[1].afi, BGP_AFI_IPV4);
	assert_int_equal(o.caps.gr[1].flags, BGP_GR_AF_FORWARDING);
}

/* ---- KEEPALIVE (RFC 4271 §4.4) ---- */

static void
test_keepalive_encode(void **state)
{
	uint8_t buf[BGP_HDR_LEN], want[BGP_HDR_LEN];

	(void)state;
	hex(MARKER "0013 04", want, sizeof(want));
	assert_int_equal(wire_keepalive_encode(buf, BGP_HDR_LEN - 1), 0);
	assert_int_equal(wire_keepalive_encode(buf, sizeof(buf)), BGP_HDR_LEN);
	assert_memory_equal(buf, want, BGP_HDR_LEN);
}

/* ---- NOTIFICATION (RFC 4271 §4.5) ---- */

static const struct {
	const char *name;
	uint8_t code;
	uint8_t subcode;
	const char *data;
	const char *msg;
} notif_vecs[] = {
	{ "Cease/administrative shutdown without data", BGP_ERR_CEASE,
	    BGP_CEASE_ADMIN_SHUTDOWN, "", MARKER "0015 03 | 06 02" },
	{ "hold timer expired", BGP_ERR_HOLD, 0, "", MARKER "0015 03 | 04 00" },
	{ "bad message length 4097", BGP_ERR_HEADER, BGP_ERR_HDR_LEN, "1001",
	    MARKER "0017 03 | 01 02 | 1001" },
	{ "unsupported version", BGP_ERR_OPEN, BGP_ERR_OPEN_VERSION, "0004",
	    MARKER "0017 03 | 02 01 | 0004" },
	{ "malformed attribute list with an attribute", BGP_ERR_UPDATE,
	    BGP_ERR_UPD_ATTRLIST, "40 01 02 0003",
	    MARKER "001a 03 | 03 01 | 40 01 02 0003" },
};

static void
test_notification(void **state)
{
	uint8_t msg[64], data[16], out[64];
	size_t i, n, dlen;
	const char *name;
	struct wire_notification nt;

	(void)state;
	for (i = 0; i < sizeof(notif_vecs) / sizeof(*notif_vecs); i++) {
		name = notif_vecs[i].name;
		n = hex(notif_vecs[i].msg, msg, sizeof(msg));
		dlen = hex(notif_vecs[i].data, data, sizeof(data));

		VEC_INT(name,
		    wire_notification_encode(notif_vecs[i].code,
			notif_vecs[i].subcode, data, dlen, out, sizeof(out)),
		    n);
		VEC_MEM(name, out, n, msg, n);
		VEC_INT(name,
		    wire_notification_encode(notif_vecs[i].code,
			notif_vecs[i].subcode, data, dlen, out, n - 1),
		    0);

		memset(&nt, 0xee, sizeof(nt));
		VEC_INT(name,
		    wire_notification_decode(
			msg + BGP_HDR_LEN, n - BGP_HDR_LEN, &nt),
		    0);
		VEC_INT(name, nt.code, notif_vecs[i].code);
		VEC_INT(name, nt.subcode, notif_vecs[i].subcode);
		VEC_INT(name, nt.datalen, dlen);
		if (dlen == 0)
			VEC_INT(name, nt.data == NULL, 1);
		else
			VEC_INT(name, nt.data == msg + BGP_HDR_LEN + 2, 1);
	}
}

static void
test_notification_decode_short(void **state)
{
	static const uint8_t body[] = { BGP_ERR_CEASE };
	struct wire_notification nt;

	(void)state;
	assert_int_equal(wire_notification_decode(body, 0, &nt), -1);
	assert_int_equal(wire_notification_decode(body, 1, &nt), -1);
}

/* ---- shutdown communication (RFC 9003) ---- */

static const struct {
	const char *name;
	uint8_t code;
	uint8_t subcode;
	const char *data;
	bool ok;
	const char *text;
} shut_vecs[] = {
	{ "ASCII, administrative shutdown", BGP_ERR_CEASE,
	    BGP_CEASE_ADMIN_SHUTDOWN, "0b 6d61696e74656e616e6365", true,
	    "maintenance" },
	{ "2, 3 and 4 octet UTF-8, administrative reset", BGP_ERR_CEASE,
	    BGP_CEASE_ADMIN_RESET, "0f 4772 c3bc c39f 65 20 e282ac f09f9880",
	    true,
	    "Gr\xc3\xbc\xc3\x9f"
	    "e \xe2\x82\xac\xf0\x9f\x98\x80" },
	{ "U+10FFFF, the last code point", BGP_ERR_CEASE,
	    BGP_CEASE_ADMIN_SHUTDOWN, "04 f48fbfbf", true, "\xf4\x8f\xbf\xbf" },
	{ "U+FFFD", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, "03 efbfbd", true,
	    "\xef\xbf\xbd" },

	{ "length octet past the data", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
	    "0c 6d61696e74656e616e6365", false, "" },
	{ "length 5 with 4 octets", BGP_ERR_CEASE, BGP_CEASE_ADMIN_RESET,
	    "05 61626364", false, "" },
	{ "length 0", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, "00", false,
	    "" },
	{ "no data", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, "", false, "" },
	{ "overlong 2-octet '/'", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
	    "02 c0af", false, "" },
	{ "overlong 3-octet '/'", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
	    "03 e080af", false, "" },
	{ "overlong 4-octet U+FFFF", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
	    "04 f08fbfbf", false, "" },
	{ "surrogate U+D800", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
	    "03 eda080", false, "" },
	{ "surrogate U+DFFF", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
	    "03 edbfbf", false, "" },
	{ "3-octet sequence cut by the length", BGP_ERR_CEASE,
	    BGP_CEASE_ADMIN_SHUTDOWN, "03 61 e282 ac", false, "" },
	{ "continuation octet missing", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
	    "02 c341", false, "" },
	{ "lone continuation octet", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
	    "01 80", false, "" },
	{ "past U+10FFFF", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
	    "04 f4908080", false, "" },
	{ "octet ff", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, "01 ff", false,
	    "" },
	/* Control characters would forge or cut log lines. */
	{ "NUL and line feed", BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
	    "06 61 00 62 0a 63 7f", true, "a?b?c?" },

	{ "Cease/peer de-configured", BGP_ERR_CEASE, BGP_CEASE_PEER_DECONFIG,
	    "0b 6d61696e74656e616e6365", false, "" },
	{ "Cease/maximum prefixes", BGP_ERR_CEASE, BGP_CEASE_MAX_PREFIX,
	    "0b 6d61696e74656e616e6365", false, "" },
	{ "OPEN error 2/2", BGP_ERR_OPEN, 2, "0b 6d61696e74656e616e6365", false,
	    "" },
};

static void
test_shutdown_msg(void **state)
{
	uint8_t data[32];
	char out[BGP_SHUTDOWN_MSG_MAX + 1];
	size_t i;
	const char *name;
	struct wire_notification nt;

	(void)state;
	for (i = 0; i < sizeof(shut_vecs) / sizeof(*shut_vecs); i++) {
		name = shut_vecs[i].name;
		nt.code = shut_vecs[i].code;
		nt.subcode = shut_vecs[i].subcode;
		nt.datalen =
		    (uint16_t)hex(shut_vecs[i].data, data, sizeof(data));
		nt.data = nt.datalen > 0 ? data : NULL;
		memset(out, 'X', sizeof(out));
		VEC_INT(name, wire_notification_shutdown_msg(&nt, out),
		    shut_vecs[i].ok);
		if (strcmp(out, shut_vecs[i].text) != 0)
			fail_msg("%s: message \"%s\", expected \"%s\"", name,
			    out, shut_vecs[i].text);
	}
}

static void
test_shutdown_msg_longest(void **state)
{
	uint8_t data[1 + BGP_SHUTDOWN_MSG_MAX];
	char out[BGP_SHUTDOWN_MSG_MAX + 1];
	struct wire_notification nt = { BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
		data, sizeof(data) };

	(void)state;
	data[0] = BGP_SHUTDOWN_MSG_MAX;
	memset(data + 1, 'x', BGP_SHUTDOWN_MSG_MAX);
	assert_true(wire_notification_shutdown_msg(&nt, out));
	assert_int_equal(strlen(out), BGP_SHUTDOWN_MSG_MAX);
	assert_memory_equal(out, data + 1, BGP_SHUTDOWN_MSG_MAX);
}

static void
test_shutdown_encode_short(void **state)
{
	uint8_t want[64], out[64];
	size_t n;

	(void)state;
	n = hex(MARKER "0021 03 | 06 02 | 0b 6d61696e74656e616e6365", want,
	    sizeof(want));
	assert_int_equal(wire_shutdown_encode(BGP_CEASE_ADMIN_SHUTDOWN,
			     "maintenance", out, sizeof(out)),
	    n);
	assert_memory_equal(out, want, n);
	assert_int_equal(wire_shutdown_encode(BGP_CEASE_ADMIN_SHUTDOWN,
			     "maintenance", out, n - 1),
	    0);

	/* No message: a bare Cease, no length octet. */
	n = hex(MARKER "0015 03 | 06 04", want, sizeof(want));
	assert_int_equal(
	    wire_shutdown_encode(BGP_CEASE_ADMIN_RESET, "", out, sizeof(out)),
	    n);
	assert_memory_equal(out, want, n);
	n = hex(MARKER "0015 03 | 06 02", want, sizeof(want));
	assert_int_equal(wire_shutdown_encode(
			     BGP_CEASE_ADMIN_SHUTDOWN, NULL, out, sizeof(out)),
	    n);
	assert_memory_equal(out, want, n);
}

/*
 * Messages longer than 255 octets are cut to 255 at most, and back to
 * the start of a UTF-8 sequence that would be split.
 */
static void
test_shutdown_encode_truncate(void **state)
{
	static const struct {
		const char *name;
		size_t pad;       /* 'a' octets first */
		const char *tail; /* then this, then 'z' to 300 octets */
		size_t kept;      /* octets of message sent */
	} vecs[] = {
		{ "255 ASCII octets, not cut", 255, "", 255 },
		{ "300 ASCII octets", 300, "", 255 },
		{ "2-octet sequence across octet 255", 254, "\xc3\xa9", 254 },
		{ "3-octet sequence across octet 255, 1 in", 254,
		    "\xe2\x82\xac", 254 },
		{ "3-octet sequence across octet 255, 2 in", 253,
		    "\xe2\x82\xac", 253 },
		{ "3-octet sequence ending at octet 255", 252, "\xe2\x82\xac",
		    255 },
		{ "4-octet sequence across octet 255, 3 in", 252,
		    "\xf0\x9f\x98\x80", 252 },
		{ "4-octet sequence starting at octet 256", 255,
		    "\xf0\x9f\x98\x80", 255 },
	};
	char msg[320], text[BGP_SHUTDOWN_MSG_MAX + 1];
	uint8_t out[512];
	size_t i, n, tl;
	const char *name;
	struct wire_notification nt;

	(void)state;
	for (i = 0; i < sizeof(vecs) / sizeof(*vecs); i++) {
		name = vecs[i].name;
		tl = strlen(vecs[i].tail);
		memset(msg, 'a', vecs[i].pad);
		memcpy(msg + vecs[i].pad, vecs[i].tail, tl);
		n = vecs[i].pad + tl;
		if (vecs[i].pad < 255) {
			memset(msg + n, 'z', 300 - n);
			n = 300;
		}
		msg[n] = '\0';

		n = wire_shutdown_encode(
		    BGP_CEASE_ADMIN_SHUTDOWN, msg, out, sizeof(out));
		VEC_INT(name, n, BGP_HDR_LEN + 3 + vecs[i].kept);
		VEC_INT(name, out[16] << 8 | out[17], n);
		VEC_INT(name, out[18], BGP_MSG_NOTIFICATION);
		VEC_INT(name, out[19], BGP_ERR_CEASE);
		VEC_INT(name, out[20], BGP_CEASE_ADMIN_SHUTDOWN);
		VEC_INT(name, out[21], vecs[i].kept);
		VEC_MEM(name, out + 22, vecs[i].kept, (const uint8_t *)msg,
		    vecs[i].kept);

		/* What was sent reads back as a valid communication. */
		VEC_INT(name,
		    wire_notification_decode(
			out + BGP_HDR_LEN, n - BGP_HDR_LEN, &nt),
		    0);
		VEC_INT(name, wire_notification_shutdown_msg(&nt, text), true);
		VEC_INT(name, strlen(text), vecs[i].kept);
	}
}

/* ---- ROUTE-REFRESH (RFC 2918, RFC 7313) ---- */

static const struct {
	const char *name;
	struct wire_rrefresh rr;
	const char *msg;
} rr_vecs[] = {
	{ "IPv4 unicast", { BGP_AFI_IPV4, BGP_RR_NORMAL, BGP_SAFI_UNICAST },
	    MARKER "0017 05 | 0001 00 01" },
	{ "BoRR IPv6 unicast", { BGP_AFI_IPV6, BGP_RR_BORR, BGP_SAFI_UNICAST },
	    MARKER "0017 05 | 0002 01 01" },
	{ "EoRR IPv4 unicast", { BGP_AFI_IPV4, BGP_RR_EORR, BGP_SAFI_UNICAST },
	    MARKER "0017 05 | 0001 02 01" },
	{ "EoRR IPv6 flowspec", { BGP_AFI_IPV6, BGP_RR_EORR, 133 },
	    MARKER "0017 05 | 0002 02 85" },
};

static void
test_rrefresh(void **state)
{
	uint8_t msg[32], out[32];
	size_t i, n;
	const char *name;
	struct wire_rrefresh rr;
	struct wire_err err;

	(void)state;
	for (i = 0; i < sizeof(rr_vecs) / sizeof(*rr_vecs); i++) {
		name = rr_vecs[i].name;
		n = hex(rr_vecs[i].msg, msg, sizeof(msg));
		VEC_INT(
		    name, wire_rrefresh_encode(&rr_vecs[i].rr, out, n - 1), 0);
		VEC_INT(name,
		    wire_rrefresh_encode(&rr_vecs[i].rr, out, sizeof(out)), n);
		VEC_MEM(name, out, n, msg, n);

		memset(&rr, 0xee, sizeof(rr));
		wire_err_init(&err);
		VEC_INT(name,
		    wire_rrefresh_decode(
			msg + BGP_HDR_LEN, n - BGP_HDR_LEN, &rr, &err),
		    0);
		VEC_INT(name, rr.afi, rr_vecs[i].rr.afi);
		VEC_INT(name, rr.subtype, rr_vecs[i].rr.subtype);
		VEC_INT(name, rr.safi, rr_vecs[i].rr.safi);
	}
}

/* RFC 7313 §5: a body that is not 4 octets is error 7/1. */
static void
test_rrefresh_bad_length(void **state)
{
	static const struct {
		const char *name;
		const char *body;
	} vecs[] = {
		{ "empty body", "" },
		{ "BoRR of 3 octets", "0001 01" },
		{ "EoRR of 5 octets", "0001 02 01 00" },
		{ "BoRR of 8 octets", "0002 01 01 00000000" },
	};
	uint8_t body[16];
	size_t i, n;
	const char *name;
	struct wire_rrefresh rr;
	struct wire_err err;
	const uint8_t *data;
	uint16_t datalen;

	(void)state;
	for (i = 0; i < sizeof(vecs) / sizeof(*vecs); i++) {
		name = vecs[i].name;
		n = hex(vecs[i].body, body, sizeof(body));
		wire_err_init(&err);
		VEC_INT(name, wire_rrefresh_decode(body, n, &rr, &err), -1);
		VEC_INT(name, err.action, WIRE_SESSION_RESET);
		VEC_INT(name, err.code, BGP_ERR_RREFRESH);
		VEC_INT(name, err.subcode, BGP_ERR_RR_LENGTH);
		data = wire_err_data(&err, &datalen);
		VEC_INT(name, datalen, n);
		/*
		 * The data is the body, in place.  RFC 7313 §5 asks for the
		 * whole message; the header only the caller can add.
		 */
		VEC_INT(name, data == (n > 0 ? body : NULL), 1);
	}
}

/* ---- names (wire_err.c) ---- */

static void
test_action_names(void **state)
{
	(void)state;
	assert_string_equal(wire_action_name(WIRE_OK), "ok");
	assert_string_equal(
	    wire_action_name(WIRE_ATTR_DISCARD), "attribute-discard");
	assert_string_equal(
	    wire_action_name(WIRE_TREAT_AS_WITHDRAW), "treat-as-withdraw");
	assert_string_equal(
	    wire_action_name(WIRE_AFISAFI_DISABLE), "afi-safi-disable");
	assert_string_equal(
	    wire_action_name(WIRE_SESSION_RESET), "session-reset");
	assert_string_equal(wire_action_name((enum wire_action)5), "unknown");
}

static void
test_code_names(void **state)
{
	static const struct {
		uint8_t code;
		const char *name;
	} vecs[] = {
		{ 0, "unknown error code" },
		{ BGP_ERR_HEADER, "message header error" },
		{ BGP_ERR_OPEN, "OPEN message error" },
		{ BGP_ERR_UPDATE, "UPDATE message error" },
		{ BGP_ERR_HOLD, "hold timer expired" },
		{ BGP_ERR_FSM, "finite state machine error" },
		{ BGP_ERR_CEASE, "cease" },
		{ BGP_ERR_RREFRESH, "ROUTE-REFRESH message error" },
		{ BGP_ERR_SEND_HOLD, "send hold timer expired" },
		{ 9, "unknown error code" },
		{ 255, "unknown error code" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vecs) / sizeof(*vecs); i++)
		if (strcmp(wire_err_code_name(vecs[i].code), vecs[i].name) != 0)
			fail_msg("code %u is \"%s\", expected \"%s\"",
			    vecs[i].code, wire_err_code_name(vecs[i].code),
			    vecs[i].name);
}

static void
test_subcode_names(void **state)
{
	static const struct {
		uint8_t code;
		uint8_t subcode;
		const char *name;
	} vecs[] = {
		{ BGP_ERR_HEADER, 0, "" },
		{ BGP_ERR_HEADER, BGP_ERR_HDR_SYNC,
		    "connection not synchronized" },
		{ BGP_ERR_HEADER, BGP_ERR_HDR_LEN, "bad message length" },
		{ BGP_ERR_HEADER, BGP_ERR_HDR_TYPE, "bad message type" },
		{ BGP_ERR_HEADER, 4, "unknown subcode" },

		{ BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC, "" },
		{ BGP_ERR_OPEN, BGP_ERR_OPEN_VERSION,
		    "unsupported version number" },
		{ BGP_ERR_OPEN, BGP_ERR_OPEN_PEER_AS, "bad peer AS" },
		{ BGP_ERR_OPEN, BGP_ERR_OPEN_BGPID, "bad BGP identifier" },
		{ BGP_ERR_OPEN, BGP_ERR_OPEN_OPTPARAM,
		    "unsupported optional parameter" },
		{ BGP_ERR_OPEN, 5, "unknown subcode" }, /* deprecated */
		{ BGP_ERR_OPEN, BGP_ERR_OPEN_HOLDTIME,
		    "unacceptable hold time" },
		{ BGP_ERR_OPEN, BGP_ERR_OPEN_CAPABILITY,
		    "unsupported capability" },
		{ BGP_ERR_OPEN, 8, "unknown subcode" },

		{ BGP_ERR_UPDATE, 0, "" },
		{ BGP_ERR_UPDATE, BGP_ERR_UPD_ATTRLIST,
		    "malformed attribute list" },
		{ BGP_ERR_UPDATE, BGP_ERR_UPD_UNKNOWN_WK,
		    "unrecognized well-known attribute" },
		{ BGP_ERR_UPDATE, BGP_ERR_UPD_MISSING_WK,
		    "missing well-known attribute" },
		{ BGP_ERR_UPDATE, BGP_ERR_UPD_FLAGS, "attribute flags error" },
		{ BGP_ERR_UPDATE, BGP_ERR_UPD_LENGTH,
		    "attribute length error" },
		{ BGP_ERR_UPDATE, BGP_ERR_UPD_ORIGIN,
		    "invalid ORIGIN attribute" },
		{ BGP_ERR_UPDATE, 7, "unknown subcode" }, /* deprecated */
		{ BGP_ERR_UPDATE, BGP_ERR_UPD_NEXTHOP,
		    "invalid NEXT_HOP attribute" },
		{ BGP_ERR_UPDATE, BGP_ERR_UPD_OPTATTR,
		    "optional attribute error" },
		{ BGP_ERR_UPDATE, BGP_ERR_UPD_NETWORK,
		    "invalid network field" },
		{ BGP_ERR_UPDATE, BGP_ERR_UPD_ASPATH, "malformed AS_PATH" },
		{ BGP_ERR_UPDATE, 12, "unknown subcode" },

		{ BGP_ERR_HOLD, 0, "" },
		{ BGP_ERR_HOLD, 1, "unknown subcode" },

		{ BGP_ERR_FSM, BGP_ERR_FSM_UNSPEC, "unspecified" },
		{ BGP_ERR_FSM, BGP_ERR_FSM_OPENSENT,
		    "unexpected message in OpenSent" },
		{ BGP_ERR_FSM, BGP_ERR_FSM_OPENCONFIRM,
		    "unexpected message in OpenConfirm" },
		{ BGP_ERR_FSM, BGP_ERR_FSM_ESTABLISHED,
		    "unexpected message in Established" },
		{ BGP_ERR_FSM, 4, "unknown subcode" },

		{ BGP_ERR_CEASE, 0, "" },
		{ BGP_ERR_CEASE, BGP_CEASE_MAX_PREFIX,
		    "maximum number of prefixes reached" },
		{ BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN,
		    "administrative shutdown" },
		{ BGP_ERR_CEASE, BGP_CEASE_PEER_DECONFIG,
		    "peer de-configured" },
		{ BGP_ERR_CEASE, BGP_CEASE_ADMIN_RESET,
		    "administrative reset" },
		{ BGP_ERR_CEASE, BGP_CEASE_CONN_REJECTED,
		    "connection rejected" },
		{ BGP_ERR_CEASE, BGP_CEASE_CONFIG_CHANGE,
		    "other configuration change" },
		{ BGP_ERR_CEASE, BGP_CEASE_COLLISION,
		    "connection collision resolution" },
		{ BGP_ERR_CEASE, BGP_CEASE_RESOURCES, "out of resources" },
		{ BGP_ERR_CEASE, BGP_CEASE_HARD_RESET, "hard reset" },
		{ BGP_ERR_CEASE, BGP_CEASE_BFD_DOWN, "BFD down" },
		{ BGP_ERR_CEASE, 11, "unknown subcode" },

		{ BGP_ERR_RREFRESH, 0, "" },
		{ BGP_ERR_RREFRESH, BGP_ERR_RR_LENGTH,
		    "invalid message length" },
		{ BGP_ERR_RREFRESH, 2, "unknown subcode" },

		{ BGP_ERR_SEND_HOLD, 0, "" },
		{ BGP_ERR_SEND_HOLD, 1, "unknown subcode" },

		{ 0, 0, "" },
		{ 9, 0, "" },
		{ 9, 1, "unknown subcode" },
	};
	size_t i;
	const char *got;

	(void)state;
	for (i = 0; i < sizeof(vecs) / sizeof(*vecs); i++) {
		got = wire_err_subcode_name(vecs[i].code, vecs[i].subcode);
		if (strcmp(got, vecs[i].name) != 0)
			fail_msg("%u/%u is \"%s\", expected \"%s\"",
			    vecs[i].code, vecs[i].subcode, got, vecs[i].name);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_decode),
		cmocka_unit_test(test_hdr_encode),
		cmocka_unit_test(test_open_decode_bird),
		cmocka_unit_test(test_open_caps_lookups),
		cmocka_unit_test(test_open_peer_as),
		cmocka_unit_test(test_open_decode_frr),
		cmocka_unit_test(test_open_decode_extended),
		cmocka_unit_test(test_open_roundtrip),
		cmocka_unit_test(test_open_encode_extended_threshold),
		cmocka_unit_test(test_open_encode_no_room),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_open_holdtime_edges),
		cmocka_unit_test(test_open_addpath_bad_mode),
		cmocka_unit_test(test_open_repeated_caps),
		cmocka_unit_test(test_keepalive_encode),
		cmocka_unit_test(test_notification),
		cmocka_unit_test(test_notification_decode_short),
		cmocka_unit_test(test_shutdown_msg),
		cmocka_unit_test(test_shutdown_msg_longest),
		cmocka_unit_test(test_shutdown_encode_short),
		cmocka_unit_test(test_shutdown_encode_truncate),
		cmocka_unit_test(test_rrefresh),
		cmocka_unit_test(test_rrefresh_bad_length),
		cmocka_unit_test(test_action_names),
		cmocka_unit_test(test_code_names),
		cmocka_unit_test(test_subcode_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
