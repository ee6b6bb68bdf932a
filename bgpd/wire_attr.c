/*
 * wire_attr.c: path attributes, decoded into struct wire_attrs and
 * encoded back.
 *
 * Each known attribute has a row in the descriptor table below: its
 * flags, its decoder and what RFC 7606 §7 says to do when it is
 * malformed.  Implements RFC 4271 §4.3 and §5, RFC 1997 (communities),
 * RFC 4360 (extended communities), RFC 4456 (ORIGINATOR_ID,
 * CLUSTER_LIST), RFC 4760 (MP_REACH_NLRI, MP_UNREACH_NLRI), RFC 6793
 * (AS4_PATH, AS4_AGGREGATOR and the §4.2.3 reconstruction), RFC 7607
 * (AS 0), RFC 8092 (large communities) and the error handling of
 * RFC 7606.  Unknown optional transitive attributes are kept byte for
 * byte; unknown optional non-transitive ones are dropped.
 */
#include <string.h>
#include <stdio.h>

#include <dxbgp/wire.h>

#include "wire_buf.h"

#define WK_FLAGS  BGP_ATTR_F_TRANSITIVE
#define OPT_T     (BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE)
#define OPT_NT    BGP_ATTR_F_OPTIONAL
#define FLAG_MASK (BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE)

struct adec {
	const struct wire_ctx *ctx;
	struct wire_attrs *a;
	struct wire_err *err;
	const uint8_t *raw; /* the attribute being decoded, whole */
	uint16_t rawlen;
	uint16_t afi; /* family of the MP attribute being decoded */
	uint8_t safi;
	const uint8_t *as4path;
	uint16_t as4path_len;
	bool have_as4agg;
	uint32_t as4agg_as;
	uint32_t as4agg_addr;
};

/*
 * Records an error of the current attribute.  The most severe verdict
 * wins; among equals the first one is kept, as it is the one logged.
 */
static void
verdict(struct adec *d, enum wire_action action, uint8_t subcode,
    const char *reason)
{
	struct wire_err *err = d->err;

	if (action == WIRE_ATTR_DISCARD)
		err->discarded++;
	if (action <= err->action)
		return;
	err->action = action;
	err->code = BGP_ERR_UPDATE;
	err->subcode = subcode;
	err->reason = reason;
	err->attr_type = d->rawlen > 1 ? d->raw[1] : 0;
	err->afi = d->afi;
	err->safi = d->safi;
	/* RFC 4271 §6.3: attribute errors carry the attribute, list
	 * errors nothing. */
	err->data = subcode == BGP_ERR_UPD_ATTRLIST ? NULL : d->raw;
	err->datalen = subcode == BGP_ERR_UPD_ATTRLIST ? 0 : d->rawlen;
}

/* ---- AS_PATH ---- */

bool
wire_aspath_valid(const uint8_t *p, size_t len, bool as4)
{
	size_t w = as4 ? 4 : 2, n;

	while (len > 0) {
		if (len < 2)
			return false;
		if (p[0] < BGP_SEG_SET || p[0] > BGP_SEG_CONFED_SET)
			return false;
		n = p[1];
		/* RFC 7606 §7.2: a segment of length zero is malformed. */
		if (n == 0 || len - 2 < n * w)
			return false;
		p += 2 + n * w;
		len -= 2 + n * w;
	}
	return true;
}

unsigned int
wire_aspath_length(const uint8_t *p, size_t len)
{
	unsigned int n = 0;
	size_t seglen;

	while (len >= 2) {
		seglen = 2 + (size_t)p[1] * 4;
		if (seglen > len)
			break;
		if (p[0] == BGP_SEG_SEQUENCE)
			n += p[1];
		else if (p[0] == BGP_SEG_SET)
			n += 1;
		p += seglen;
		len -= seglen;
	}
	return n;
}

uint32_t
wire_aspath_first(const uint8_t *p, size_t len)
{
	if (len < 6 || p[0] != BGP_SEG_SEQUENCE || p[1] == 0)
		return 0;
	return get32(p + 2);
}

unsigned int
wire_aspath_count(const uint8_t *p, size_t len, uint32_t asn)
{
	unsigned int n = 0, i;
	size_t seglen;

	while (len >= 2) {
		seglen = 2 + (size_t)p[1] * 4;
		if (seglen > len)
			break;
		for (i = 0; i < p[1]; i++)
			if (get32(p + 2 + 4 * i) == asn)
				n++;
		p += seglen;
		len -= seglen;
	}
	return n;
}

size_t
wire_aspath_format(const uint8_t *p, size_t len, char *out, size_t cap)
{
	const char *open, *close;
	size_t o = 0, seglen;
	unsigned int i;
	int r;

	if (cap == 0)
		return 0;
	out[0] = '\0';
	while (len >= 2) {
		seglen = 2 + (size_t)p[1] * 4;
		if (seglen > len)
			break;
		switch (p[0]) {
		case BGP_SEG_SET:
			open = "{", close = "}";
			break;
		case BGP_SEG_CONFED_SEQUENCE:
			open = "(", close = ")";
			break;
		case BGP_SEG_CONFED_SET:
			open = "[", close = "]";
			break;
		default:
			open = close = "";
			break;
		}
		for (i = 0; i < p[1]; i++) {
			r = snprintf(out + o, cap - o, "%s%s%u%s",
			    o > 0 ? " " : "", i == 0 ? open : "",
			    get32(p + 2 + 4 * i), i + 1 == p[1] ? close : "");
			if (r < 0 || (size_t)r >= cap - o) {
				out[o] = '\0';
				return o;
			}
			o += (size_t)r;
		}
		p += seglen;
		len -= seglen;
	}
	return o;
}

/* True if the path has AS 0 (RFC 7607) or, with !confed_ok, confed
 * segments. */
static bool
aspath_bad_content(const uint8_t *p, size_t len, bool confed_ok)
{
	size_t seglen;
	unsigned int i;

	while (len >= 2) {
		seglen = 2 + (size_t)p[1] * 4;
		if (seglen > len)
			return true;
		if (!confed_ok &&
		    (p[0] == BGP_SEG_CONFED_SEQUENCE ||
			p[0] == BGP_SEG_CONFED_SET))
			return true;
		for (i = 0; i < p[1]; i++)
			if (get32(p + 2 + 4 * i) == 0)
				return true;
		p += seglen;
		len -= seglen;
	}
	return false;
}

/* Rewrites a 2-octet path with 4-octet numbers; returns the new length. */
static size_t
aspath_widen(const uint8_t *p, size_t len, uint8_t *out)
{
	size_t o = 0, i;
	uint8_t n;

	while (len >= 2) {
		n = p[1];
		out[o++] = p[0];
		out[o++] = n;
		for (i = 0; i < n; i++) {
			put32(out + o, get16(p + 2 + 2 * i));
			o += 4;
		}
		p += 2 + 2 * (size_t)n;
		len -= 2 + 2 * (size_t)n;
	}
	return o;
}

/*
 * RFC 6793 §4.2.3: the leading ASes of AS_PATH that AS4_PATH does not
 * cover, followed by AS4_PATH.  Both in 4-octet form.
 */
static size_t
aspath_merge(const uint8_t *path, size_t len, const uint8_t *as4, size_t as4len,
    unsigned int need, uint8_t *out)
{
	size_t o = 0, seglen;
	uint8_t n;

	while (len >= 2 && need > 0) {
		seglen = 2 + (size_t)path[1] * 4;
		n = path[1];
		if (path[0] == BGP_SEG_SEQUENCE && n > need)
			n = (uint8_t)need;
		out[o++] = path[0];
		out[o++] = n;
		memcpy(out + o, path + 2, (size_t)n * 4);
		o += (size_t)n * 4;
		if (path[0] == BGP_SEG_SEQUENCE)
			need -= n;
		else if (path[0] == BGP_SEG_SET)
			need -= 1;
		path += seglen;
		len -= seglen;
	}
	memcpy(out + o, as4, as4len);
	return o + as4len;
}

/* ---- attribute decoders: each returns after recording any verdict ---- */

static void
dec_origin(struct adec *d, const uint8_t *v, uint16_t len)
{
	if (len != 1) {
		verdict(d, WIRE_TREAT_AS_WITHDRAW, BGP_ERR_UPD_LENGTH,
		    "ORIGIN of the wrong length");
		return;
	}
	if (v[0] > BGP_ORIGIN_INCOMPLETE) {
		verdict(d, WIRE_TREAT_AS_WITHDRAW, BGP_ERR_UPD_ORIGIN,
		    "ORIGIN with an undefined value");
		return;
	}
	d->a->origin = v[0];
	d->a->have |= WIRE_HAVE(BGP_ATTR_ORIGIN);
}

static void
dec_aspath(struct adec *d, const uint8_t *v, uint16_t len)
{
	const struct wire_ctx *ctx = d->ctx;
	size_t n;

	if (!wire_aspath_valid(v, len, ctx->as4)) {
		verdict(d, WIRE_TREAT_AS_WITHDRAW, BGP_ERR_UPD_ASPATH,
		    "malformed AS_PATH segments");
		return;
	}
	if (ctx->as4) {
		d->a->aspath = v;
		d->a->aspath_len = len;
	} else {
		n = aspath_widen(v, len, ctx->scratch);
		d->a->aspath = ctx->scratch;
		d->a->aspath_len = (uint32_t)n;
	}
	/* We are in no confederation: confed segments come from no peer. */
	if (aspath_bad_content(d->a->aspath, d->a->aspath_len, false)) {
		d->a->aspath = NULL;
		d->a->aspath_len = 0;
		verdict(d, WIRE_TREAT_AS_WITHDRAW, BGP_ERR_UPD_ASPATH,
		    "AS_PATH with AS 0 or a confederation segment");
		return;
	}
	d->a->have |= WIRE_HAVE(BGP_ATTR_AS_PATH);
}

static bool
dec_u32(struct adec *d, const uint8_t *v, uint16_t len, uint32_t *out,
    const char *reason)
{
	if (len != 4) {
		verdict(d, WIRE_TREAT_AS_WITHDRAW, BGP_ERR_UPD_LENGTH, reason);
		return false;
	}
	*out = get32(v);
	return true;
}

static void
dec_nexthop(struct adec *d, const uint8_t *v, uint16_t len)
{
	if (dec_u32(d, v, len, &d->a->nexthop, "NEXT_HOP of the wrong length"))
		d->a->have |= WIRE_HAVE(BGP_ATTR_NEXT_HOP);
}

static void
dec_med(struct adec *d, const uint8_t *v, uint16_t len)
{
	if (dec_u32(d, v, len, &d->a->med, "MED of the wrong length"))
		d->a->have |= WIRE_HAVE(BGP_ATTR_MED);
}

static void
dec_localpref(struct adec *d, const uint8_t *v, uint16_t len)
{
	/* RFC 7606 §7.5: meaningless from an external peer. */
	if (!d->ctx->ibgp) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_ATTRLIST,
		    "LOCAL_PREF from an external peer");
		return;
	}
	if (dec_u32(
		d, v, len, &d->a->local_pref, "LOCAL_PREF of the wrong length"))
		d->a->have |= WIRE_HAVE(BGP_ATTR_LOCAL_PREF);
}

static void
dec_atomic(struct adec *d, const uint8_t *v, uint16_t len)
{
	(void)v;
	if (len != 0) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_LENGTH,
		    "ATOMIC_AGGREGATE of the wrong length");
		return;
	}
	d->a->have |= WIRE_HAVE(BGP_ATTR_ATOMIC_AGGREGATE);
}

static void
dec_aggregator(struct adec *d, const uint8_t *v, uint16_t len)
{
	uint32_t as;

	if (len != (d->ctx->as4 ? 8 : 6)) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_LENGTH,
		    "AGGREGATOR of the wrong length");
		return;
	}
	as = d->ctx->as4 ? get32(v) : get16(v);
	if (as == 0) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_OPTATTR,
		    "AGGREGATOR with AS 0");
		return;
	}
	d->a->aggregator_as = as;
	d->a->aggregator_addr = get32(v + len - 4);
	d->a->have |= WIRE_HAVE(BGP_ATTR_AGGREGATOR);
}

/* A list of fixed-size items: non-empty and a whole number of them. */
static bool
dec_list(struct adec *d, const uint8_t *v, uint16_t len, size_t item,
    const uint8_t **out, uint16_t *outlen, const char *reason)
{
	if (len == 0 || len % item != 0) {
		verdict(d, WIRE_TREAT_AS_WITHDRAW, BGP_ERR_UPD_OPTATTR, reason);
		return false;
	}
	*out = v;
	*outlen = len;
	return true;
}

static void
dec_communities(struct adec *d, const uint8_t *v, uint16_t len)
{
	struct wire_attrs *a = d->a;

	if (dec_list(d, v, len, 4, &a->communities, &a->communities_len,
		"COMMUNITIES not a multiple of 4 octets"))
		a->have |= WIRE_HAVE(BGP_ATTR_COMMUNITIES);
}

static void
dec_originator(struct adec *d, const uint8_t *v, uint16_t len)
{
	if (!d->ctx->ibgp) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_ATTRLIST,
		    "ORIGINATOR_ID from an external peer");
		return;
	}
	if (dec_u32(d, v, len, &d->a->originator_id,
		"ORIGINATOR_ID of the wrong length"))
		d->a->have |= WIRE_HAVE(BGP_ATTR_ORIGINATOR_ID);
}

static void
dec_cluster(struct adec *d, const uint8_t *v, uint16_t len)
{
	struct wire_attrs *a = d->a;

	if (!d->ctx->ibgp) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_ATTRLIST,
		    "CLUSTER_LIST from an external peer");
		return;
	}
	if (dec_list(d, v, len, 4, &a->cluster_list, &a->cluster_list_len,
		"CLUSTER_LIST not a multiple of 4 octets"))
		a->have |= WIRE_HAVE(BGP_ATTR_CLUSTER_LIST);
}

static bool
afisafi_known(uint16_t afi, uint8_t safi)
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
mp_disable(struct adec *d, uint16_t afi, uint8_t safi, const char *reason)
{
	d->afi = afi;
	d->safi = safi;
	verdict(d, WIRE_AFISAFI_DISABLE, BGP_ERR_UPD_OPTATTR, reason);
	d->afi = 0;
	d->safi = 0;
}

static void
dec_mp_reach(struct adec *d, const uint8_t *v, uint16_t len)
{
	struct wire_mp_reach *mp = &d->a->mp_reach;
	struct rbuf b;
	const uint8_t *nh;

	rbuf_init(&b, v, len);
	mp->afi = rbuf_u16(&b);
	mp->safi = rbuf_u8(&b);
	mp->nhlen = rbuf_u8(&b);
	if (!b.ok) {
		verdict(d, WIRE_SESSION_RESET, BGP_ERR_UPD_OPTATTR,
		    "MP_REACH_NLRI too short to name its family");
		return;
	}
	nh = rbuf_take(&b, mp->nhlen);
	(void)rbuf_u8(&b); /* reserved (was SNPA count) */
	if (!b.ok || mp->nhlen > sizeof(mp->nexthop)) {
		mp_disable(d, mp->afi, mp->safi,
		    "MP_REACH_NLRI next hop runs past the attribute");
		return;
	}
	memcpy(mp->nexthop, nh, mp->nhlen);
	mp->nlri = b.p;
	mp->nlri_len = (uint16_t)rbuf_left(&b);
	d->a->have |= WIRE_HAVE(BGP_ATTR_MP_REACH_NLRI);
	if (!afisafi_known(mp->afi, mp->safi))
		return;
	if ((mp->afi == BGP_AFI_IPV4 && mp->nhlen != 4) ||
	    (mp->afi == BGP_AFI_IPV6 && mp->nhlen != 16 && mp->nhlen != 32)) {
		mp_disable(d, mp->afi, mp->safi,
		    "MP_REACH_NLRI next hop of the wrong length");
		return;
	}
	if (wire_nlri_check(mp->nlri, mp->nlri_len, mp->afi,
		addpath_for(d->ctx, mp->afi)) < 0)
		mp_disable(d, mp->afi, mp->safi,
		    "MP_REACH_NLRI with a malformed prefix");
}

static void
dec_mp_unreach(struct adec *d, const uint8_t *v, uint16_t len)
{
	struct wire_mp_unreach *mp = &d->a->mp_unreach;

	if (len < 3) {
		verdict(d, WIRE_SESSION_RESET, BGP_ERR_UPD_OPTATTR,
		    "MP_UNREACH_NLRI too short to name its family");
		return;
	}
	mp->afi = get16(v);
	mp->safi = v[2];
	mp->nlri = v + 3;
	mp->nlri_len = (uint16_t)(len - 3);
	d->a->have |= WIRE_HAVE(BGP_ATTR_MP_UNREACH_NLRI);
	if (afisafi_known(mp->afi, mp->safi) &&
	    wire_nlri_check(mp->nlri, mp->nlri_len, mp->afi,
		addpath_for(d->ctx, mp->afi)) < 0)
		mp_disable(d, mp->afi, mp->safi,
		    "MP_UNREACH_NLRI with a malformed prefix");
}

static void
dec_ext_communities(struct adec *d, const uint8_t *v, uint16_t len)
{
	struct wire_attrs *a = d->a;

	if (dec_list(d, v, len, 8, &a->ext_communities, &a->ext_communities_len,
		"EXTENDED COMMUNITIES not a multiple of 8 octets"))
		a->have |= WIRE_HAVE(BGP_ATTR_EXT_COMMUNITIES);
}

static void
dec_large_communities(struct adec *d, const uint8_t *v, uint16_t len)
{
	struct wire_attrs *a = d->a;

	if (dec_list(d, v, len, 12, &a->large_communities,
		&a->large_communities_len,
		"LARGE_COMMUNITY not a multiple of 12 octets"))
		a->have |= WIRE_HAVE(BGP_ATTR_LARGE_COMMUNITIES);
}

static void
dec_as4path(struct adec *d, const uint8_t *v, uint16_t len)
{
	/* RFC 6793 §3: between two NEW speakers it is discarded. */
	if (d->ctx->as4) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_OPTATTR,
		    "AS4_PATH from a 4-octet AS peer");
		return;
	}
	if (!wire_aspath_valid(v, len, true) ||
	    aspath_bad_content(v, len, false)) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_OPTATTR,
		    "malformed AS4_PATH");
		return;
	}
	d->as4path = v;
	d->as4path_len = len;
}

static void
dec_as4aggregator(struct adec *d, const uint8_t *v, uint16_t len)
{
	if (d->ctx->as4) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_OPTATTR,
		    "AS4_AGGREGATOR from a 4-octet AS peer");
		return;
	}
	if (len != 8 || get32(v) == 0) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_OPTATTR,
		    "malformed AS4_AGGREGATOR");
		return;
	}
	d->have_as4agg = true;
	d->as4agg_as = get32(v);
	d->as4agg_addr = get32(v + 4);
}

/* ---- the descriptor table ---- */

struct attr_desc {
	uint8_t type;
	uint8_t flags; /* expected optional and transitive bits */
	/* verdict when the flags are wrong (RFC 7606 §3 c) */
	enum wire_action on_flags;
	void (*decode)(struct adec *, const uint8_t *, uint16_t);
};

static const struct attr_desc attr_table[] = {
	{ BGP_ATTR_ORIGIN, WK_FLAGS, WIRE_TREAT_AS_WITHDRAW, dec_origin },
	{ BGP_ATTR_AS_PATH, WK_FLAGS, WIRE_TREAT_AS_WITHDRAW, dec_aspath },
	{ BGP_ATTR_NEXT_HOP, WK_FLAGS, WIRE_TREAT_AS_WITHDRAW, dec_nexthop },
	{ BGP_ATTR_MED, OPT_NT, WIRE_TREAT_AS_WITHDRAW, dec_med },
	{ BGP_ATTR_LOCAL_PREF, WK_FLAGS, WIRE_TREAT_AS_WITHDRAW,
	    dec_localpref },
	{ BGP_ATTR_ATOMIC_AGGREGATE, WK_FLAGS, WIRE_ATTR_DISCARD, dec_atomic },
	{ BGP_ATTR_AGGREGATOR, OPT_T, WIRE_ATTR_DISCARD, dec_aggregator },
	{ BGP_ATTR_COMMUNITIES, OPT_T, WIRE_TREAT_AS_WITHDRAW,
	    dec_communities },
	{ BGP_ATTR_ORIGINATOR_ID, OPT_NT, WIRE_TREAT_AS_WITHDRAW,
	    dec_originator },
	{ BGP_ATTR_CLUSTER_LIST, OPT_NT, WIRE_TREAT_AS_WITHDRAW, dec_cluster },
	{ BGP_ATTR_MP_REACH_NLRI, OPT_NT, WIRE_SESSION_RESET, dec_mp_reach },
	{ BGP_ATTR_MP_UNREACH_NLRI, OPT_NT, WIRE_SESSION_RESET,
	    dec_mp_unreach },
	{ BGP_ATTR_EXT_COMMUNITIES, OPT_T, WIRE_TREAT_AS_WITHDRAW,
	    dec_ext_communities },
	{ BGP_ATTR_AS4_PATH, OPT_T, WIRE_ATTR_DISCARD, dec_as4path },
	{ BGP_ATTR_AS4_AGGREGATOR, OPT_T, WIRE_ATTR_DISCARD,
	    dec_as4aggregator },
	{ BGP_ATTR_LARGE_COMMUNITIES, OPT_T, WIRE_TREAT_AS_WITHDRAW,
	    dec_large_communities },
};

static const struct attr_desc *
attr_desc_find(uint8_t type)
{
	size_t i;

	for (i = 0; i < sizeof(attr_table) / sizeof(attr_table[0]); i++)
		if (attr_table[i].type == type)
			return &attr_table[i];
	return NULL;
}

static void
keep_unknown(struct adec *d, uint8_t flags, uint8_t type)
{
	struct wire_attrs *a = d->a;
	uint8_t i;

	if (a->n_unknown == WIRE_MAX_UNKNOWN_ATTRS) {
		verdict(d, WIRE_ATTR_DISCARD, BGP_ERR_UPD_OPTATTR,
		    "too many unknown transitive attributes");
		return;
	}
	/* Kept in type order, the order they are sent in (RFC 4271 §5). */
	for (i = a->n_unknown; i > 0 && a->unknown[i - 1].type > type; i--)
		a->unknown[i] = a->unknown[i - 1];
	a->unknown[i].flags = flags;
	a->unknown[i].type = type;
	a->unknown[i].raw = d->raw;
	a->unknown[i].rawlen = d->rawlen;
	a->n_unknown++;
}

/* RFC 6793 §4.2.3, once every attribute has been read. */
static void
as4_reconstruct(struct adec *d)
{
	struct wire_attrs *a = d->a;
	uint8_t *out;
	unsigned int n, m;

	if (d->ctx->as4)
		return;
	if ((a->have & WIRE_HAVE(BGP_ATTR_AGGREGATOR)) &&
	    a->aggregator_as != BGP_AS_TRANS)
		return; /* AS4_AGGREGATOR and AS4_PATH are ignored */
	/* AS4_AGGREGATOR only stands in for an AGGREGATOR of AS_TRANS. */
	if (d->have_as4agg && (a->have & WIRE_HAVE(BGP_ATTR_AGGREGATOR))) {
		a->aggregator_as = d->as4agg_as;
		a->aggregator_addr = d->as4agg_addr;
		a->have |= WIRE_HAVE(BGP_ATTR_AGGREGATOR);
	}
	if (d->as4path == NULL || !(a->have & WIRE_HAVE(BGP_ATTR_AS_PATH)))
		return;
	n = wire_aspath_length(a->aspath, a->aspath_len);
	m = wire_aspath_length(d->as4path, d->as4path_len);
	if (n < m)
		return; /* AS4_PATH is ignored */
	/* The widened AS_PATH sits at the start of scratch. */
	out = d->ctx->scratch + a->aspath_len;
	a->aspath_len = (uint32_t)aspath_merge(
	    a->aspath, a->aspath_len, d->as4path, d->as4path_len, n - m, out);
	a->aspath = out;
}

static void
check_mandatory(struct adec *d, bool has_nlri)
{
	struct wire_attrs *a = d->a;
	bool reach = has_nlri ||
	    ((a->have & WIRE_HAVE(BGP_ATTR_MP_REACH_NLRI)) &&
		a->mp_reach.nlri_len > 0);
	uint8_t missing = 0;

	if (!reach)
		return;
	if (!(a->have & WIRE_HAVE(BGP_ATTR_ORIGIN)))
		missing = BGP_ATTR_ORIGIN;
	else if (!(a->have & WIRE_HAVE(BGP_ATTR_AS_PATH)))
		missing = BGP_ATTR_AS_PATH;
	else if (has_nlri && !(a->have & WIRE_HAVE(BGP_ATTR_NEXT_HOP)))
		missing = BGP_ATTR_NEXT_HOP;
	else if (d->ctx->ibgp && !(a->have & WIRE_HAVE(BGP_ATTR_LOCAL_PREF)))
		missing = BGP_ATTR_LOCAL_PREF;
	if (missing == 0 || d->err->action >= WIRE_TREAT_AS_WITHDRAW)
		return;
	d->raw = NULL;
	d->rawlen = 0;
	verdict(d, WIRE_TREAT_AS_WITHDRAW, BGP_ERR_UPD_MISSING_WK,
	    "missing well-known attribute");
	d->err->attr_type = missing;
	d->err->data = NULL;
	d->err->small[0] = missing;
	d->err->datalen = 1;
}

enum wire_action
wire_attrs_decode(const struct wire_ctx *ctx, const uint8_t *p, size_t len,
    bool has_nlri, struct wire_attrs *attrs, struct wire_err *err)
{
	struct adec d = { .ctx = ctx, .a = attrs, .err = err };
	uint64_t seen[4] = { 0 };
	struct rbuf b;
	const struct attr_desc *desc;
	const uint8_t *start, *v;
	uint8_t flags, type;
	uint16_t alen;

	memset(attrs, 0, sizeof(*attrs));
	wire_err_init(err);
	rbuf_init(&b, p, len);
	while (rbuf_left(&b) > 0) {
		start = b.p;
		flags = rbuf_u8(&b);
		type = rbuf_u8(&b);
		alen = (flags & BGP_ATTR_F_EXTLEN) ? rbuf_u16(&b) : rbuf_u8(&b);
		v = rbuf_take(&b, alen);
		d.raw = start;
		d.rawlen = (uint16_t)(b.ok ? b.p - start : b.end - start);
		if (!b.ok) {
			/* RFC 7606 §4: the section is cut short. */
			verdict(&d, WIRE_TREAT_AS_WITHDRAW,
			    BGP_ERR_UPD_ATTRLIST,
			    "attribute runs past the attribute section");
			break;
		}
		if (seen[type / 64] & ((uint64_t)1 << (type % 64))) {
			/* RFC 7606 §3 g */
			if (type == BGP_ATTR_MP_REACH_NLRI ||
			    type == BGP_ATTR_MP_UNREACH_NLRI)
				verdict(&d, WIRE_SESSION_RESET,
				    BGP_ERR_UPD_ATTRLIST,
				    "MP_REACH_NLRI or MP_UNREACH_NLRI twice");
			else
				verdict(&d, WIRE_ATTR_DISCARD,
				    BGP_ERR_UPD_ATTRLIST,
				    "attribute repeated; later copies dropped");
			continue;
		}
		seen[type / 64] |= (uint64_t)1 << (type % 64);
		desc = attr_desc_find(type);
		if (desc == NULL) {
			if (!(flags & BGP_ATTR_F_OPTIONAL))
				verdict(&d, WIRE_SESSION_RESET,
				    BGP_ERR_UPD_UNKNOWN_WK,
				    "unrecognized well-known attribute");
			else if (flags & BGP_ATTR_F_TRANSITIVE)
				keep_unknown(&d, flags, type);
			continue;
		}
		if ((flags & FLAG_MASK) != desc->flags) {
			verdict(&d, desc->on_flags, BGP_ERR_UPD_FLAGS,
			    "attribute flags conflict with its type");
			continue;
		}
		desc->decode(&d, v, alen);
	}
	as4_reconstruct(&d);
	check_mandatory(&d, has_nlri);
	return err->action;
}

/* ---- encoding ---- */

static void
put_attr(struct wbuf *w, uint8_t flags, uint8_t type, const void *v, size_t len)
{
	if (len > 0xffff) {
		w->ok = false;
		return;
	}
	flags &= (uint8_t)~BGP_ATTR_F_EXTLEN;
	if (len > 255) {
		w_u8(w, flags | BGP_ATTR_F_EXTLEN);
		w_u8(w, type);
		w_u16(w, (uint16_t)len);
	} else {
		w_u8(w, flags);
		w_u8(w, type);
		w_u8(w, (uint8_t)len);
	}
	w_bytes(w, v, len);
}

static void
put_u32_attr(struct wbuf *w, uint8_t flags, uint8_t type, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	put_attr(w, flags, type, b, 4);
}

/*
 * Writes an AS_PATH value for a 2-octet peer (AS_TRANS for large
 * numbers) into out; returns its length and whether any number needed
 * AS_TRANS.
 */
static size_t
aspath_narrow(const uint8_t *p, size_t len, uint8_t *out, bool *big)
{
	size_t o = 0, i, seglen;
	uint32_t as;

	*big = false;
	while (len >= 2) {
		seglen = 2 + (size_t)p[1] * 4;
		if (seglen > len)
			break;
		out[o++] = p[0];
		out[o++] = p[1];
		for (i = 0; i < p[1]; i++) {
			as = get32(p + 2 + 4 * i);
			if (as > 0xffff) {
				*big = true;
				as = BGP_AS_TRANS;
			}
			put16(out + o, (uint16_t)as);
			o += 2;
		}
		p += seglen;
		len -= seglen;
	}
	return o;
}

/* AS4_PATH: the path without confederation segments (RFC 6793 §4.2.2). */
static size_t
aspath_strip_confed(const uint8_t *p, size_t len, uint8_t *out)
{
	size_t o = 0, seglen;

	while (len >= 2) {
		seglen = 2 + (size_t)p[1] * 4;
		if (seglen > len)
			break;
		if (p[0] == BGP_SEG_SEQUENCE || p[0] == BGP_SEG_SET) {
			memcpy(out + o, p, seglen);
			o += seglen;
		}
		p += seglen;
		len -= seglen;
	}
	return o;
}

static void
enc_aspath(const struct wire_attrs *a, bool as4, struct wbuf *w, uint8_t *tmp,
    bool *need_as4path)
{
	size_t n;

	*need_as4path = false;
	if (as4) {
		put_attr(
		    w, WK_FLAGS, BGP_ATTR_AS_PATH, a->aspath, a->aspath_len);
		return;
	}
	n = aspath_narrow(a->aspath, a->aspath_len, tmp, need_as4path);
	put_attr(w, WK_FLAGS, BGP_ATTR_AS_PATH, tmp, n);
}

static void
enc_aggregator(const struct wire_attrs *a, bool as4, struct wbuf *w)
{
	uint8_t b[8];

	if (as4) {
		put32(b, a->aggregator_as);
		put32(b + 4, a->aggregator_addr);
		put_attr(w, OPT_T, BGP_ATTR_AGGREGATOR, b, 8);
		return;
	}
	put16(b,
	    (uint16_t)(a->aggregator_as > 0xffff ? BGP_AS_TRANS
						 : a->aggregator_as));
	put32(b + 2, a->aggregator_addr);
	put_attr(w, OPT_T, BGP_ATTR_AGGREGATOR, b, 6);
}

/* Unknown transitive attributes whose type lies in [lo, hi). */
static void
enc_unknown(const struct wire_attrs *a, unsigned int lo, unsigned int hi,
    struct wbuf *w)
{
	const struct wire_rawattr *u;
	size_t hlen;
	uint8_t i;

	for (i = 0; i < a->n_unknown; i++) {
		u = &a->unknown[i];
		if (u->type < lo || u->type >= hi)
			continue;
		hlen = (u->flags & BGP_ATTR_F_EXTLEN) ? 4 : 3;
		if (u->rawlen < hlen) {
			w->ok = false;
			return;
		}
		/* RFC 4271 §4.3: the low four flag bits are sent as zero. */
		put_attr(w,
		    (uint8_t)((u->flags & FLAG_MASK) | BGP_ATTR_F_PARTIAL),
		    u->type, u->raw + hlen, u->rawlen - hlen);
	}
}

size_t
wire_attrs_encode(
    const struct wire_attrs *a, bool as4, uint8_t *buf, size_t cap)
{
	uint8_t tmp[0x10000];
	struct wbuf w = { buf, 0, cap, true };
	bool big_path = false;
	uint8_t b[8];
	size_t n;

	/* Narrowed or stripped, a path never grows: tmp holds it. */
	if (a->aspath_len > 0xffff)
		return 0;
	enc_unknown(a, 0, BGP_ATTR_ORIGIN, &w);

	if (a->have & WIRE_HAVE(BGP_ATTR_ORIGIN))
		put_attr(&w, WK_FLAGS, BGP_ATTR_ORIGIN, &a->origin, 1);
	if (a->have & WIRE_HAVE(BGP_ATTR_AS_PATH))
		enc_aspath(a, as4, &w, tmp, &big_path);
	if (a->have & WIRE_HAVE(BGP_ATTR_NEXT_HOP))
		put_u32_attr(&w, WK_FLAGS, BGP_ATTR_NEXT_HOP, a->nexthop);
	if (a->have & WIRE_HAVE(BGP_ATTR_MED))
		put_u32_attr(&w, OPT_NT, BGP_ATTR_MED, a->med);
	if (a->have & WIRE_HAVE(BGP_ATTR_LOCAL_PREF))
		put_u32_attr(&w, WK_FLAGS, BGP_ATTR_LOCAL_PREF, a->local_pref);
	if (a->have & WIRE_HAVE(BGP_ATTR_ATOMIC_AGGREGATE))
		put_attr(&w, WK_FLAGS, BGP_ATTR_ATOMIC_AGGREGATE, NULL, 0);
	if (a->have & WIRE_HAVE(BGP_ATTR_AGGREGATOR))
		enc_aggregator(a, as4, &w);
	if (a->have & WIRE_HAVE(BGP_ATTR_COMMUNITIES))
		put_attr(&w, OPT_T, BGP_ATTR_COMMUNITIES, a->communities,
		    a->communities_len);
	if (a->have & WIRE_HAVE(BGP_ATTR_ORIGINATOR_ID))
		put_u32_attr(
		    &w, OPT_NT, BGP_ATTR_ORIGINATOR_ID, a->originator_id);
	if (a->have & WIRE_HAVE(BGP_ATTR_CLUSTER_LIST))
		put_attr(&w, OPT_NT, BGP_ATTR_CLUSTER_LIST, a->cluster_list,
		    a->cluster_list_len);
	enc_unknown(a, BGP_ATTR_CLUSTER_LIST + 1, BGP_ATTR_EXT_COMMUNITIES, &w);
	if (a->have & WIRE_HAVE(BGP_ATTR_EXT_COMMUNITIES))
		put_attr(&w, OPT_T, BGP_ATTR_EXT_COMMUNITIES,
		    a->ext_communities, a->ext_communities_len);
	if (big_path) {
		n = aspath_strip_confed(a->aspath, a->aspath_len, tmp);
		put_attr(&w, OPT_T, BGP_ATTR_AS4_PATH, tmp, n);
	}
	if (!as4 && (a->have & WIRE_HAVE(BGP_ATTR_AGGREGATOR)) &&
	    a->aggregator_as > 0xffff) {
		put32(b, a->aggregator_as);
		put32(b + 4, a->aggregator_addr);
		put_attr(&w, OPT_T, BGP_ATTR_AS4_AGGREGATOR, b, 8);
	}
	enc_unknown(
	    a, BGP_ATTR_AS4_AGGREGATOR + 1, BGP_ATTR_LARGE_COMMUNITIES, &w);
	if (a->have & WIRE_HAVE(BGP_ATTR_LARGE_COMMUNITIES))
		put_attr(&w, OPT_T, BGP_ATTR_LARGE_COMMUNITIES,
		    a->large_communities, a->large_communities_len);
	enc_unknown(a, BGP_ATTR_LARGE_COMMUNITIES + 1, 256, &w);
	return w.ok ? w.len : 0;
}
