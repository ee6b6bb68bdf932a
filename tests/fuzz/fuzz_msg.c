/*
 * fuzz_msg.c: libFuzzer target for the message decoders of the wire
 * codec (include/dxbgp/wire.h), fed as a peer would feed them.
 *
 * Input layout:
 *   byte 0   odd: messages up to 65535 octets (RFC 8654), even: 4096
 *   byte 1   the session an UPDATE is decoded for: bit 0 as4, bit 1
 *            ibgp, bit 2 addpath_v4, bit 3 addpath_v6
 *   rest     a stream of BGP messages, framed by wire_hdr_decode
 *
 * Each message body is copied into a buffer of its exact size, so a
 * decoder reading past its message (into the next one) is caught by
 * ASan.  Besides memory errors, every broken invariant aborts:
 *   - a header, OPEN or ROUTE-REFRESH error is a session reset;
 *   - an OPEN that decodes re-encodes (wire_open_encode), and the copy
 *     decodes to the same fields;
 *   - an UPDATE verdict short of a session reset leaves every NLRI
 *     field iterable with wire_nlri_next (the MP ones unless the verdict
 *     disables a family), the count agreeing with wire_nlri_check;
 *   - an UPDATE verdict of WIRE_OK or WIRE_ATTR_DISCARD with a path of
 *     at most 65535 octets re-encodes with wire_attrs_encode into 65536
 *     octets (or needs more room than that, never fails otherwise), and
 *     the copy decodes with WIRE_OK to the same attributes;
 *   - NOTIFICATION and ROUTE-REFRESH decode and re-encode consistently.
 *
 * Build and run with scripts/fuzz.sh.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dxbgp/wire.h>

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",       \
			    __FILE__, __LINE__, #c);                           \
			abort();                                               \
		}                                                              \
	} while (0)

#define ENC_CAP 65536

/* AS4_* attributes: RFC 6793 §4.2.3 consumes them while decoding. */
#define HAVE_AS4                                                               \
	(WIRE_HAVE(BGP_ATTR_AS4_PATH) | WIRE_HAVE(BGP_ATTR_AS4_AGGREGATOR))
/* wire_attrs_encode leaves the MP attributes to the UPDATE builder. */
#define HAVE_MP                                                                \
	(WIRE_HAVE(BGP_ATTR_MP_REACH_NLRI) |                                   \
	    WIRE_HAVE(BGP_ATTR_MP_UNREACH_NLRI))

/* RFC 4271 §4.3: attribute flags a round trip keeps, and unused ones. */
#define FLAGS_KEPT                                                             \
	(BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE | BGP_ATTR_F_PARTIAL)
#define FLAGS_UNUSED 0x0f

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t scratch[WIRE_SCRATCH_LEN];
static uint8_t scratch2[WIRE_SCRATCH_LEN];
static uint8_t enc[ENC_CAP];
static uint8_t enc_big[4 * ENC_CAP];
static volatile unsigned int sink;

/* Reads every byte of an error's NOTIFICATION data, for ASan. */
static void
check_err_data(const struct wire_err *err)
{
	const uint8_t *p;
	uint16_t len, i;

	p = wire_err_data(err, &len);
	CHECK((p == NULL) == (len == 0));
	for (i = 0; i < len; i++)
		sink += p[i];
	CHECK(wire_action_name(err->action) != NULL);
	CHECK(wire_err_code_name(err->code) != NULL);
	CHECK(wire_err_subcode_name(err->code, err->subcode) != NULL);
	if (err->reason != NULL)
		sink += (unsigned char)err->reason[0];
}

static void
check_reset(const struct wire_err *err, uint8_t code)
{
	CHECK(err->action == WIRE_SESSION_RESET);
	CHECK(err->code == code);
	CHECK(err->reason != NULL);
	check_err_data(err);
}

/* ---- OPEN ---- */

static bool
af_equal(const struct wire_afsafi *a, const struct wire_afsafi *b, uint8_t n)
{
	uint8_t i;

	for (i = 0; i < n; i++)
		if (a[i].afi != b[i].afi || a[i].safi != b[i].safi ||
		    a[i].flags != b[i].flags)
			return false;
	return true;
}

static void
check_open_equal(const struct wire_open *a, const struct wire_open *b)
{
	const struct wire_caps *x = &a->caps, *y = &b->caps;
	uint8_t i;

	CHECK(a->version == b->version);
	CHECK(a->my_as == b->my_as);
	CHECK(a->holdtime == b->holdtime);
	CHECK(a->bgp_id == b->bgp_id);
	CHECK(x->have == y->have);
	CHECK(x->as4 == y->as4);
	CHECK(x->n_mp == y->n_mp);
	CHECK(af_equal(x->mp, y->mp, x->n_mp));
	if (x->have & WIRE_CAP_GR) {
		CHECK(x->gr_flags == y->gr_flags);
		CHECK(x->gr_time == y->gr_time);
	}
	CHECK(x->n_gr == y->n_gr);
	CHECK(af_equal(x->gr, y->gr, x->n_gr));
	CHECK(x->n_addpath == y->n_addpath);
	CHECK(af_equal(x->addpath, y->addpath, x->n_addpath));
	CHECK(x->n_unknown == y->n_unknown);
	for (i = 0; i < x->n_unknown; i++) {
		CHECK(x->unknown[i].code == y->unknown[i].code);
		CHECK(x->unknown[i].len == y->unknown[i].len);
		CHECK(x->unknown[i].len == 0 ||
		    memcmp(x->unknown[i].val, y->unknown[i].val,
			x->unknown[i].len) == 0);
	}
}

static void
fuzz_open(const uint8_t *body, size_t len)
{
	struct wire_open o, o2;
	struct wire_err err;
	struct wire_hdr hdr;
	uint8_t buf[BGP_MAX_MSG];
	size_t n;
	uint8_t i;

	wire_err_init(&err);
	if (wire_open_decode(body, len, &o, &err) != 0) {
		CHECK(err.action == WIRE_SESSION_RESET);
		CHECK(err.code == BGP_ERR_OPEN || err.code == BGP_ERR_HEADER);
		check_err_data(&err);
		return;
	}
	CHECK(o.version == BGP_VERSION);
	CHECK(o.bgp_id != 0);
	CHECK(o.caps.n_mp <= WIRE_MAX_AF && o.caps.n_gr <= WIRE_MAX_AF &&
	    o.caps.n_addpath <= WIRE_MAX_AF);
	CHECK(o.caps.n_unknown <= WIRE_MAX_UNKNOWN_CAPS);
	for (i = 0; i < o.caps.n_unknown; i++)
		if (o.caps.unknown[i].len > 0)
			sink +=
			    o.caps.unknown[i].val[o.caps.unknown[i].len - 1];
	sink += wire_open_peer_as(&o);
	sink += wire_caps_has_mp(&o.caps, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	sink += wire_caps_addpath(&o.caps, BGP_AFI_IPV4, BGP_SAFI_UNICAST);

	n = wire_open_encode(&o, buf, sizeof(buf));
	CHECK(n >= BGP_HDR_LEN + BGP_OPEN_MIN_BODY && n <= sizeof(buf));
	wire_err_init(&err);
	CHECK(wire_hdr_decode(buf, n, BGP_MAX_MSG, &hdr, &err) == 1);
	CHECK(hdr.type == BGP_MSG_OPEN && hdr.len == n);
	CHECK(wire_open_decode(buf + BGP_HDR_LEN, n - BGP_HDR_LEN, &o2, &err) ==
	    0);
	check_open_equal(&o, &o2);
}

/* ---- UPDATE ---- */

/* Iterates one NLRI field; returns the prefix count or -1. */
static long
walk_nlri(const uint8_t *p, size_t len, uint16_t afi, bool addpath)
{
	struct wire_nlri_iter it;
	struct wire_prefix pfx;
	unsigned int max = afi == BGP_AFI_IPV6 ? 128 : 32, i;
	long n = 0;
	int r;

	wire_nlri_iter_init(&it, p, len, afi, addpath);
	while ((r = wire_nlri_next(&it, &pfx)) == 1) {
		CHECK(pfx.afi == afi);
		CHECK(pfx.len <= max);
		CHECK(addpath || pfx.path_id == 0);
		/* Host bits are cleared. */
		for (i = pfx.len; i < 128; i++)
			CHECK(!(pfx.addr[i / 8] & (0x80 >> (i % 8))));
		CHECK(wire_nlri_size(&pfx, addpath) <= len);
		n++;
	}
	if (r < 0)
		return -1;
	CHECK(r == 0);
	return n;
}

/* A field that the verdict says is sound must iterate to the end. */
static void
check_nlri(const uint8_t *p, size_t len, uint16_t afi, bool addpath, bool must)
{
	long n = walk_nlri(p, len, afi, addpath);

	CHECK(n == wire_nlri_check(p, len, afi, addpath));
	if (must)
		CHECK(n >= 0);
}

static bool
known_af(uint16_t afi, uint8_t safi)
{
	return (afi == BGP_AFI_IPV4 || afi == BGP_AFI_IPV6) &&
	    safi == BGP_SAFI_UNICAST;
}

static bool
addpath_for(const struct wire_ctx *ctx, uint16_t afi)
{
	return afi == BGP_AFI_IPV6 ? ctx->addpath_v6 : ctx->addpath_v4;
}

static void
check_bytes(const uint8_t *a, uint16_t alen, const uint8_t *b, uint16_t blen)
{
	CHECK(alen == blen);
	CHECK(alen == 0 || memcmp(a, b, alen) == 0);
}

/* The value of an unknown attribute, past its header. */
static const uint8_t *
raw_value(const struct wire_rawattr *r, uint16_t *len)
{
	size_t hlen = (r->flags & BGP_ATTR_F_EXTLEN) ? 4 : 3;

	CHECK(r->rawlen >= hlen);
	*len = (uint16_t)(r->rawlen - hlen);
	return r->raw + hlen;
}

static const struct wire_rawattr *
find_unknown(const struct wire_attrs *a, uint8_t type)
{
	uint8_t i;

	for (i = 0; i < a->n_unknown; i++)
		if (a->unknown[i].type == type)
			return &a->unknown[i];
	return NULL;
}

/*
 * RFC 6793 §4.2.3: a 2-octet speaker ignores AS4_PATH when AGGREGATOR
 * names a real 2-octet AS, so a path with 4-octet numbers and such an
 * aggregator comes back with AS_TRANS in their place.
 */
static bool
as4_path_lost(const struct wire_ctx *ctx, const struct wire_attrs *a)
{
	return !ctx->as4 && (a->have & WIRE_HAVE(BGP_ATTR_AGGREGATOR)) &&
	    a->aggregator_as <= 0xffff && a->aggregator_as != BGP_AS_TRANS;
}

/* What a decode, encode, decode round trip must keep. */
static void
check_attrs_equal(const struct wire_ctx *ctx, const struct wire_attrs *a,
    const struct wire_attrs *b)
{
	const struct wire_rawattr *u;
	const uint8_t *va, *vb;
	uint16_t la, lb;
	uint8_t i;

	CHECK((a->have & ~(HAVE_AS4 | HAVE_MP)) ==
	    (b->have & ~(HAVE_AS4 | HAVE_MP)));
	if (a->have & WIRE_HAVE(BGP_ATTR_ORIGIN))
		CHECK(a->origin == b->origin);
	if ((a->have & WIRE_HAVE(BGP_ATTR_AS_PATH)) && !as4_path_lost(ctx, a)) {
		CHECK(a->aspath_len == b->aspath_len);
		CHECK(a->aspath_len == 0 ||
		    memcmp(a->aspath, b->aspath, a->aspath_len) == 0);
	}
	if (a->have & WIRE_HAVE(BGP_ATTR_NEXT_HOP))
		CHECK(a->nexthop == b->nexthop);
	if (a->have & WIRE_HAVE(BGP_ATTR_MED))
		CHECK(a->med == b->med);
	if (a->have & WIRE_HAVE(BGP_ATTR_LOCAL_PREF))
		CHECK(a->local_pref == b->local_pref);
	if (a->have & WIRE_HAVE(BGP_ATTR_AGGREGATOR)) {
		CHECK(a->aggregator_as == b->aggregator_as);
		CHECK(a->aggregator_addr == b->aggregator_addr);
	}
	if (a->have & WIRE_HAVE(BGP_ATTR_ORIGINATOR_ID))
		CHECK(a->originator_id == b->originator_id);
	if (a->have & WIRE_HAVE(BGP_ATTR_COMMUNITIES))
		check_bytes(a->communities, a->communities_len, b->communities,
		    b->communities_len);
	if (a->have & WIRE_HAVE(BGP_ATTR_CLUSTER_LIST))
		check_bytes(a->cluster_list, a->cluster_list_len,
		    b->cluster_list, b->cluster_list_len);
	if (a->have & WIRE_HAVE(BGP_ATTR_EXT_COMMUNITIES))
		check_bytes(a->ext_communities, a->ext_communities_len,
		    b->ext_communities, b->ext_communities_len);
	if (a->have & WIRE_HAVE(BGP_ATTR_LARGE_COMMUNITIES))
		check_bytes(a->large_communities, a->large_communities_len,
		    b->large_communities, b->large_communities_len);
	/*
	 * Unknown attributes may come back in another order (each type
	 * once: repeats are dropped by the decoder).
	 */
	CHECK(a->n_unknown == b->n_unknown);
	for (i = 0; i < a->n_unknown; i++) {
		u = find_unknown(b, a->unknown[i].type);
		CHECK(u != NULL);
		/*
		 * Sent on with the Partial bit (RFC 4271 §5), the unused
		 * low four bits zero (§4.3).
		 */
		CHECK(((a->unknown[i].flags | BGP_ATTR_F_PARTIAL) &
			  FLAGS_KEPT) == (u->flags & FLAGS_KEPT));
		CHECK((u->flags & FLAGS_UNUSED) == 0);
		va = raw_value(&a->unknown[i], &la);
		vb = raw_value(u, &lb);
		check_bytes(va, la, vb, lb);
	}
}

/* Re-encodes usable attributes and decodes them again. */
static void
check_attrs_roundtrip(const struct wire_ctx *ctx, const struct wire_update *u)
{
	struct wire_ctx ctx2 = *ctx;
	struct wire_attrs a2;
	struct wire_err err;
	size_t n, m;

	if (u->attrs.aspath_len > 0xffff)
		return;
	n = wire_attrs_encode(&u->attrs, ctx->as4, enc, sizeof(enc));
	/* 0 is also the length of an empty section (only MP attributes). */
	if (n == 0 && (u->attrs.have & ~(HAVE_AS4 | HAVE_MP)) == 0 &&
	    u->attrs.n_unknown == 0)
		return;
	if (n == 0) {
		/*
		 * Only room may be lacking: a 2-octet session gets the
		 * path twice, narrowed and as AS4_PATH.
		 */
		CHECK(!ctx->as4);
		m = wire_attrs_encode(
		    &u->attrs, ctx->as4, enc_big, sizeof(enc_big));
		CHECK(m > sizeof(enc));
		return;
	}
	CHECK(n <= sizeof(enc));
	/* Between 4-octet speakers nothing grows. */
	if (ctx->as4)
		CHECK(n <= u->attr_len);
	/* The first decode's path may live in scratch: keep it. */
	ctx2.scratch = scratch2;
	wire_err_init(&err);
	CHECK(wire_attrs_decode(&ctx2, enc, n, u->nlri_len > 0, &a2, &err) ==
	    WIRE_OK);
	CHECK(err.action == WIRE_OK);
	check_attrs_equal(ctx, &u->attrs, &a2);
}

static void
fuzz_update(const struct wire_ctx *ctx, const uint8_t *body, size_t len)
{
	struct wire_update u;
	struct wire_err err;
	const struct wire_attrs *a = &u.attrs;
	enum wire_action v;
	uint8_t i;

	wire_err_init(&err);
	v = wire_update_decode(ctx, body, len, &u, &err);
	CHECK(v >= WIRE_OK && v <= WIRE_SESSION_RESET);
	CHECK(v == err.action);
	if (v != WIRE_OK) {
		CHECK(err.code == BGP_ERR_UPDATE);
		CHECK(err.reason != NULL);
		check_err_data(&err);
	}
	if (v == WIRE_SESSION_RESET)
		return;

	CHECK((size_t)u.withdrawn_len + u.attr_len + u.nlri_len + 4 == len);
	check_nlri(
	    u.withdrawn, u.withdrawn_len, BGP_AFI_IPV4, ctx->addpath_v4, true);
	check_nlri(u.nlri, u.nlri_len, BGP_AFI_IPV4, ctx->addpath_v4, true);
	if ((a->have & WIRE_HAVE(BGP_ATTR_MP_REACH_NLRI)) &&
	    known_af(a->mp_reach.afi, a->mp_reach.safi))
		check_nlri(a->mp_reach.nlri, a->mp_reach.nlri_len,
		    a->mp_reach.afi, addpath_for(ctx, a->mp_reach.afi),
		    v < WIRE_AFISAFI_DISABLE);
	if ((a->have & WIRE_HAVE(BGP_ATTR_MP_UNREACH_NLRI)) &&
	    known_af(a->mp_unreach.afi, a->mp_unreach.safi))
		check_nlri(a->mp_unreach.nlri, a->mp_unreach.nlri_len,
		    a->mp_unreach.afi, addpath_for(ctx, a->mp_unreach.afi),
		    v < WIRE_AFISAFI_DISABLE);
	CHECK(a->n_unknown <= WIRE_MAX_UNKNOWN_ATTRS);
	for (i = 0; i < a->n_unknown; i++)
		sink += a->unknown[i].raw[a->unknown[i].rawlen - 1];
	if (u.eor)
		CHECK(u.withdrawn_len == 0 && u.nlri_len == 0);
	if (v <= WIRE_ATTR_DISCARD)
		check_attrs_roundtrip(ctx, &u);
}

/* ---- NOTIFICATION, ROUTE-REFRESH ---- */

static void
fuzz_notification(const uint8_t *body, size_t len)
{
	struct wire_notification n;
	char msg[BGP_SHUTDOWN_MSG_MAX + 1];
	uint8_t buf[BGP_MAX_MSG_EXT];
	size_t elen, i;
	uint8_t c;

	CHECK(wire_notification_decode(body, len, &n) == 0);
	CHECK(n.datalen == len - 2);
	CHECK((n.data == NULL) == (n.datalen == 0));
	sink += wire_err_code_name(n.code) != NULL;
	sink += wire_err_subcode_name(n.code, n.subcode) != NULL;
	if (wire_notification_shutdown_msg(&n, msg)) {
		CHECK(n.code == BGP_ERR_CEASE);
		/*
		 * The whole text comes back, with control characters
		 * (U+0000 included) replaced by '?' for the log.
		 */
		CHECK(strlen(msg) == n.data[0]);
		for (i = 0; i < n.data[0]; i++) {
			c = n.data[1 + i];
			CHECK((uint8_t)msg[i] ==
			    (c < 0x20 || c == 0x7f ? '?' : c));
		}
		/* A valid message is sent back as it reads. */
		elen = wire_shutdown_encode(n.subcode, msg, buf, sizeof(buf));
		CHECK(elen == BGP_HDR_LEN + 3 + strlen(msg));
		CHECK(memcmp(buf + BGP_HDR_LEN, body, 3) == 0);
		CHECK(memcmp(buf + BGP_HDR_LEN + 3, msg, strlen(msg)) == 0);
	} else
		CHECK(msg[0] == '\0');
	elen = wire_notification_encode(
	    n.code, n.subcode, n.data, n.datalen, buf, sizeof(buf));
	CHECK(elen == BGP_HDR_LEN + len);
	CHECK(memcmp(buf + BGP_HDR_LEN, body, len) == 0);
}

static void
fuzz_rrefresh(const uint8_t *body, size_t len)
{
	struct wire_rrefresh rr;
	struct wire_err err;
	uint8_t buf[BGP_HDR_LEN + BGP_RREFRESH_BODY];

	wire_err_init(&err);
	if (wire_rrefresh_decode(body, len, &rr, &err) != 0) {
		CHECK(len != BGP_RREFRESH_BODY);
		check_reset(&err, BGP_ERR_RREFRESH);
		return;
	}
	CHECK(len == BGP_RREFRESH_BODY);
	CHECK(wire_rrefresh_encode(&rr, buf, sizeof(buf)) == sizeof(buf));
	CHECK(memcmp(buf + BGP_HDR_LEN, body, len) == 0);
}

/* ---- the stream ---- */

static void
fuzz_message(
    const struct wire_ctx *ctx, const struct wire_hdr *hdr, const uint8_t *msg)
{
	size_t len = hdr->len - BGP_HDR_LEN;
	uint8_t *body;

	/* Exactly the body: reading past it is an ASan report. */
	body = malloc(len > 0 ? len : 1);
	CHECK(body != NULL);
	memcpy(body, msg + BGP_HDR_LEN, len);
	switch (hdr->type) {
	case BGP_MSG_OPEN:
		fuzz_open(body, len);
		break;
	case BGP_MSG_UPDATE:
		fuzz_update(ctx, body, len);
		break;
	case BGP_MSG_NOTIFICATION:
		fuzz_notification(body, len);
		break;
	case BGP_MSG_KEEPALIVE:
		CHECK(len == 0);
		break;
	case BGP_MSG_ROUTE_REFRESH:
		fuzz_rrefresh(body, len);
		break;
	default:
		CHECK(!"wire_hdr_decode let an unknown type through");
	}
	free(body);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_ctx ctx;
	struct wire_hdr hdr;
	struct wire_err err;
	size_t max;
	int r;

	if (size < 2)
		return 0;
	max = (data[0] & 1) ? BGP_MAX_MSG_EXT : BGP_MAX_MSG;
	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = data[1] & 1;
	ctx.ibgp = data[1] & 2;
	ctx.addpath_v4 = data[1] & 4;
	ctx.addpath_v6 = data[1] & 8;
	ctx.ext_message = max == BGP_MAX_MSG_EXT;
	ctx.scratch = scratch;
	data += 2;
	size -= 2;

	while (size > 0) {
		wire_err_init(&err);
		r = wire_hdr_decode(data, size, max, &hdr, &err);
		if (r == 0) {
			CHECK(size < BGP_HDR_LEN);
			break;
		}
		if (r < 0) {
			check_reset(&err, BGP_ERR_HEADER);
			break;
		}
		CHECK(r == 1);
		CHECK(hdr.len >= BGP_HDR_LEN && hdr.len <= max);
		if (hdr.len > size)
			break; /* the body has not arrived */
		fuzz_message(&ctx, &hdr, data);
		data += hdr.len;
		size -= hdr.len;
	}
	return 0;
}
