/*
 * wire_update.c: UPDATE messages, decoded into their sections and
 * packed full of prefixes on the way out.
 *
 * Implements RFC 4271 §4.3 and the section checks of §6.3, with the
 * error handling of RFC 7606 §4 and §5.3; IPv6 unicast through
 * MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760, RFC 2545); End-of-RIB
 * (RFC 4724 §2); ADD-PATH path identifiers (RFC 7911).
 */
#include <string.h>

#include <dxbgp/wire.h>

#include "wire_buf.h"

static enum wire_action
reset(struct wire_err *err, uint8_t subcode, const char *reason)
{
	err->action = WIRE_SESSION_RESET;
	err->code = BGP_ERR_UPDATE;
	err->subcode = subcode;
	err->reason = reason;
	err->data = NULL;
	err->datalen = 0;
	return WIRE_SESSION_RESET;
}

static void
detect_eor(struct wire_update *u)
{
	const struct wire_attrs *a = &u->attrs;

	if (u->withdrawn_len != 0 || u->nlri_len != 0)
		return;
	if (u->attr_len == 0) {
		u->eor = true;
		u->eor_afi = BGP_AFI_IPV4;
		u->eor_safi = BGP_SAFI_UNICAST;
		return;
	}
	if (a->have == WIRE_HAVE(BGP_ATTR_MP_UNREACH_NLRI) &&
	    a->mp_unreach.nlri_len == 0 && a->n_unknown == 0) {
		u->eor = true;
		u->eor_afi = a->mp_unreach.afi;
		u->eor_safi = a->mp_unreach.safi;
	}
}

enum wire_action
wire_update_decode(const struct wire_ctx *ctx, const uint8_t *body, size_t len,
    struct wire_update *u, struct wire_err *err)
{
	struct rbuf b;

	memset(u, 0, sizeof(*u));
	wire_err_init(err);
	rbuf_init(&b, body, len);
	u->withdrawn_len = rbuf_u16(&b);
	u->withdrawn = rbuf_take(&b, u->withdrawn_len);
	u->attr_len = rbuf_u16(&b);
	u->attr_section = rbuf_take(&b, u->attr_len);
	if (!b.ok)
		return reset(err, BGP_ERR_UPD_ATTRLIST,
		    "withdrawn or attribute length runs past the message");
	u->nlri = b.p;
	u->nlri_len = (uint16_t)rbuf_left(&b);
	/* RFC 7606 §5.3: a malformed NLRI field resets the session. */
	if (wire_nlri_check(u->withdrawn, u->withdrawn_len, BGP_AFI_IPV4,
		ctx->addpath_v4) < 0)
		return reset(err, BGP_ERR_UPD_NETWORK,
		    "malformed prefix in withdrawn routes");
	if (wire_nlri_check(
		u->nlri, u->nlri_len, BGP_AFI_IPV4, ctx->addpath_v4) < 0)
		return reset(
		    err, BGP_ERR_UPD_NETWORK, "malformed prefix in NLRI");
	wire_attrs_decode(
	    ctx, u->attr_section, u->attr_len, u->nlri_len > 0, &u->attrs, err);
	if (err->action == WIRE_OK)
		detect_eor(u);
	return err->action;
}

/* ---- packing ---- */

#define MP_HDR 4 /* flags, type, 2-octet length */

void
wire_upd_begin(struct wire_upd_builder *b, uint8_t *buf, size_t cap,
    uint16_t afi, bool addpath)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap > BGP_MAX_MSG_EXT ? BGP_MAX_MSG_EXT : cap;
	b->afi = afi;
	b->addpath = addpath;
	b->len = wire_hdr_encode(buf, BGP_MSG_UPDATE, 0);
	b->wd_len_off = b->len;
	put16(buf + b->len, 0);
	b->len += 2;
	if (afi != BGP_AFI_IPV4) {
		b->attr_len_off = b->len;
		put16(buf + b->len, 0);
		b->len += 2;
	}
}

/* Opens an MP attribute with a 2-octet length, to be closed later. */
static void
mp_open(struct wire_upd_builder *b, uint8_t type)
{
	uint8_t *p = b->buf + b->len;

	p[0] = BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_EXTLEN;
	p[1] = type;
	b->mp_len_off = b->len + 2;
	put16(p + 4, b->afi);
	p[6] = BGP_SAFI_UNICAST;
	b->len += MP_HDR + 3;
}

static void
mp_close(struct wire_upd_builder *b)
{
	if (b->mp_len_off == 0)
		return;
	put16(b->buf + b->mp_len_off, (uint16_t)(b->len - (b->mp_len_off + 2)));
	b->mp_len_off = 0;
}

bool
wire_upd_withdraw(struct wire_upd_builder *b, const struct wire_prefix *pfx)
{
	size_t n = wire_nlri_size(pfx, b->addpath), need = n;

	/* RFC 7606 §5.1: withdrawals travel alone. */
	if (b->has_attrs)
		return false;
	if (b->afi == BGP_AFI_IPV4)
		need += 2; /* the attribute length still to come */
	else if (b->mp_len_off == 0)
		need += MP_HDR + 3;
	if (b->len + need > b->cap)
		return false;
	if (b->afi != BGP_AFI_IPV4 && b->mp_len_off == 0)
		mp_open(b, BGP_ATTR_MP_UNREACH_NLRI);
	b->len += wire_nlri_encode(pfx, b->addpath, b->buf + b->len, n);
	b->n_withdrawn++;
	return true;
}

bool
wire_upd_attrs(struct wire_upd_builder *b, const uint8_t *attrs, size_t len,
    const uint8_t *nh6, uint8_t nh6_len)
{
	size_t need = len;
	uint8_t *p;

	if (b->has_attrs || b->n_withdrawn > 0)
		return false;
	if (b->afi == BGP_AFI_IPV4)
		need += 2;
	else
		need += MP_HDR + 5 + nh6_len;
	if (b->len + need > b->cap)
		return false;
	b->has_attrs = true;
	if (b->afi == BGP_AFI_IPV4) {
		put16(b->buf + b->wd_len_off, 0);
		b->attr_len_off = b->len;
		put16(b->buf + b->len, (uint16_t)len);
		b->len += 2;
		memcpy(b->buf + b->len, attrs, len);
		b->len += len;
		return true;
	}
	/*
	 * RFC 7606 §5.1: MP_REACH_NLRI comes first.  It grows with each
	 * prefix; the other attributes are put after it by finish.
	 */
	b->attrs = attrs;
	b->attrs_len = len;
	mp_open(b, BGP_ATTR_MP_REACH_NLRI);
	p = b->buf + b->len;
	p[0] = nh6_len;
	memcpy(p + 1, nh6, nh6_len);
	p[1 + nh6_len] = 0; /* reserved */
	b->len += 2 + (size_t)nh6_len;
	return true;
}

bool
wire_upd_announce(struct wire_upd_builder *b, const struct wire_prefix *pfx)
{
	size_t n = wire_nlri_size(pfx, b->addpath);

	if (!b->has_attrs || b->len + n + b->attrs_len > b->cap)
		return false;
	b->len += wire_nlri_encode(pfx, b->addpath, b->buf + b->len, n);
	b->n_announced++;
	return true;
}

size_t
wire_upd_finish(struct wire_upd_builder *b)
{
	if (b->n_withdrawn == 0 && !b->has_attrs)
		return 0;
	if (b->afi == BGP_AFI_IPV4) {
		/* With attributes, both lengths were set by wire_upd_attrs. */
		if (!b->has_attrs) {
			put16(b->buf + b->wd_len_off,
			    (uint16_t)(b->len - b->wd_len_off - 2));
			put16(b->buf + b->len, 0);
			b->len += 2;
		}
	} else {
		mp_close(b);
		if (b->attrs_len > 0)
			memcpy(b->buf + b->len, b->attrs, b->attrs_len);
		b->len += b->attrs_len;
		put16(b->buf + b->attr_len_off,
		    (uint16_t)(b->len - b->attr_len_off - 2));
	}
	wire_hdr_set_len(b->buf, (uint16_t)b->len);
	return b->len;
}

size_t
wire_eor_encode(uint16_t afi, uint8_t safi, uint8_t *buf, size_t cap)
{
	size_t len = afi == BGP_AFI_IPV4 && safi == BGP_SAFI_UNICAST
	    ? BGP_HDR_LEN + 4
	    : BGP_HDR_LEN + 4 + 6;
	uint8_t *p = buf + BGP_HDR_LEN;

	if (cap < len)
		return 0;
	wire_hdr_encode(buf, BGP_MSG_UPDATE, (uint16_t)len);
	memset(p, 0, 4);
	if (len > BGP_HDR_LEN + 4) {
		put16(p + 2, 6);
		p[4] = BGP_ATTR_F_OPTIONAL;
		p[5] = BGP_ATTR_MP_UNREACH_NLRI;
		p[6] = 3;
		put16(p + 7, afi);
		p[9] = safi;
	}
	return len;
}
