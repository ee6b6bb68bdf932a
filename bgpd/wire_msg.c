/*
 * wire_msg.c: the message header and the messages other than UPDATE.
 *
 * Implements RFC 4271 §4.1 (header), §4.2 (OPEN), §4.4 (KEEPALIVE),
 * §4.5 (NOTIFICATION) and the header and OPEN checks of §6.1-6.2;
 * capabilities of RFC 5492: multiprotocol (RFC 4760), route refresh
 * (RFC 2918), enhanced route refresh (RFC 7313), extended messages
 * (RFC 8654), graceful restart (RFC 4724), 4-octet AS (RFC 6793) and
 * ADD-PATH (RFC 7911); extended optional parameters (RFC 9072); the
 * shutdown communication (RFC 9003); ROUTE-REFRESH (RFC 2918, 7313).
 */
#include <string.h>

#include <dxbgp/wire.h>

#include "wire_buf.h"

static int
fail(struct wire_err *err, uint8_t code, uint8_t subcode, const char *reason)
{
	err->action = WIRE_SESSION_RESET;
	err->code = code;
	err->subcode = subcode;
	err->reason = reason;
	return -1;
}

static void
set_small(struct wire_err *err, const uint8_t *p, uint16_t len)
{
	if (len > WIRE_ERR_SMALL)
		len = WIRE_ERR_SMALL;
	memcpy(err->small, p, len);
	err->data = NULL;
	err->datalen = len;
}

/* ---- header ---- */

/* Smallest and largest lengths of each message type, or 0 if unknown. */
static bool
hdr_len_ok(uint8_t type, uint16_t len, size_t max)
{
	switch (type) {
	case BGP_MSG_OPEN:
		/* RFC 8654 §3: OPEN stays within 4096 octets. */
		return len >= BGP_HDR_LEN + BGP_OPEN_MIN_BODY &&
		    len <= BGP_MAX_MSG;
	case BGP_MSG_UPDATE:
		return len >= BGP_HDR_LEN + BGP_UPDATE_MIN_BODY && len <= max;
	case BGP_MSG_NOTIFICATION:
		return len >= BGP_HDR_LEN + BGP_NOTIFY_MIN_BODY && len <= max;
	case BGP_MSG_KEEPALIVE:
		return len == BGP_HDR_LEN;
	case BGP_MSG_ROUTE_REFRESH:
		/* A wrong length is a ROUTE-REFRESH error (RFC 7313 §5). */
		return len <= max;
	}
	return false;
}

int
wire_hdr_decode(const uint8_t *buf, size_t len, size_t max,
    struct wire_hdr *hdr, struct wire_err *err)
{
	uint16_t mlen;
	uint8_t type;
	int i;

	if (len < BGP_HDR_LEN)
		return 0;
	for (i = 0; i < BGP_MARKER_LEN; i++)
		if (buf[i] != 0xff)
			return fail(err, BGP_ERR_HEADER, BGP_ERR_HDR_SYNC,
			    "marker is not all ones");
	mlen = get16(buf + BGP_MARKER_LEN);
	type = buf[BGP_MARKER_LEN + 2];
	if (mlen < BGP_HDR_LEN || mlen > max) {
		set_small(err, buf + BGP_MARKER_LEN, 2);
		return fail(err, BGP_ERR_HEADER, BGP_ERR_HDR_LEN,
		    "message length out of range");
	}
	if (type < BGP_MSG_OPEN || type > BGP_MSG_ROUTE_REFRESH) {
		set_small(err, buf + BGP_MARKER_LEN + 2, 1);
		return fail(err, BGP_ERR_HEADER, BGP_ERR_HDR_TYPE,
		    "unknown message type");
	}
	if (!hdr_len_ok(type, mlen, max)) {
		set_small(err, buf + BGP_MARKER_LEN, 2);
		return fail(err, BGP_ERR_HEADER, BGP_ERR_HDR_LEN,
		    "message length wrong for its type");
	}
	hdr->len = mlen;
	hdr->type = type;
	return 1;
}

size_t
wire_hdr_encode(uint8_t *buf, uint8_t type, uint16_t len)
{
	memset(buf, 0xff, BGP_MARKER_LEN);
	put16(buf + BGP_MARKER_LEN, len);
	buf[BGP_MARKER_LEN + 2] = type;
	return BGP_HDR_LEN;
}

void
wire_hdr_set_len(uint8_t *buf, uint16_t len)
{
	put16(buf + BGP_MARKER_LEN, len);
}

/* ---- capabilities ---- */

static void
add_af(struct wire_afsafi *list, uint8_t *n, uint16_t afi, uint8_t safi,
    uint8_t flags)
{
	uint8_t i;

	for (i = 0; i < *n; i++)
		if (list[i].afi == afi && list[i].safi == safi) {
			list[i].flags = flags;
			return;
		}
	if (*n == WIRE_MAX_AF)
		return;
	list[*n].afi = afi;
	list[*n].safi = safi;
	list[*n].flags = flags;
	(*n)++;
}

/* RFC 5492 §4: a capability not understood is ignored, kept raw. */
static int
cap_unknown(struct wire_caps *caps, uint8_t code, const uint8_t *v, uint8_t len)
{
	if (caps->n_unknown < WIRE_MAX_UNKNOWN_CAPS) {
		caps->unknown[caps->n_unknown].code = code;
		caps->unknown[caps->n_unknown].len = len;
		caps->unknown[caps->n_unknown].val = v;
		caps->n_unknown++;
	}
	return 0;
}

static int
cap_decode(struct wire_caps *caps, uint8_t code, const uint8_t *v, uint8_t len,
    struct wire_err *err)
{
	uint8_t i;

	switch (code) {
	case BGP_CAP_MP:
		if (len != 4)
			break;
		caps->have |= WIRE_CAP_MP;
		add_af(caps->mp, &caps->n_mp, get16(v), v[3], 0);
		return 0;
	case BGP_CAP_ROUTE_REFRESH:
		caps->have |= WIRE_CAP_RR;
		return 0;
	case BGP_CAP_ENHANCED_RR:
		caps->have |= WIRE_CAP_ERR;
		return 0;
	case BGP_CAP_EXT_MESSAGE:
		caps->have |= WIRE_CAP_EXTMSG;
		return 0;
	case BGP_CAP_AS4:
		if (len != 4)
			break;
		caps->as4 = get32(v);
		if (caps->as4 == 0)
			return fail(err, BGP_ERR_OPEN, BGP_ERR_OPEN_PEER_AS,
			    "4-octet AS capability carries AS 0");
		caps->have |= WIRE_CAP_AS4;
		return 0;
	case BGP_CAP_GRACEFUL_RESTART:
		if (len < 2 || (len - 2) % 4 != 0)
			break;
		caps->have |= WIRE_CAP_GR;
		caps->gr_flags = v[0] >> 4;
		caps->gr_time = get16(v) & BGP_GR_TIME_MASK;
		caps->n_gr = 0;
		for (i = 2; i < len; i += 4)
			add_af(caps->gr, &caps->n_gr, get16(v + i), v[i + 2],
			    v[i + 3]);
		return 0;
	case BGP_CAP_ADD_PATH:
		if (len % 4 != 0)
			break;
		/*
		 * RFC 7911 §4: another Send/Receive value (or no entry
		 * at all) makes the capability not understood; it is
		 * ignored, kept raw.
		 */
		if (len == 0)
			return cap_unknown(caps, code, v, len);
		for (i = 0; i < len; i += 4)
			if (v[i + 3] < BGP_ADDPATH_RECEIVE ||
			    v[i + 3] > BGP_ADDPATH_BOTH)
				return cap_unknown(caps, code, v, len);
		caps->have |= WIRE_CAP_ADDPATH;
		for (i = 0; i < len; i += 4)
			add_af(caps->addpath, &caps->n_addpath, get16(v + i),
			    v[i + 2], v[i + 3]);
		return 0;
	default:
		return cap_unknown(caps, code, v, len);
	}
	return fail(err, BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC,
	    "capability with a malformed length");
}

/* Walks the capabilities of one Capabilities optional parameter. */
static int
caps_decode(
    struct wire_caps *caps, const uint8_t *p, size_t len, struct wire_err *err)
{
	struct rbuf b;
	uint8_t code, clen;
	const uint8_t *v;

	rbuf_init(&b, p, len);
	while (rbuf_left(&b) > 0) {
		code = rbuf_u8(&b);
		clen = rbuf_u8(&b);
		v = rbuf_take(&b, clen);
		if (!b.ok)
			return fail(err, BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC,
			    "capability runs past its parameter");
		if (cap_decode(caps, code, v, clen, err) == -1)
			return -1;
	}
	return 0;
}

/* ---- OPEN ---- */

int
wire_open_decode(const uint8_t *body, size_t len, struct wire_open *open,
    struct wire_err *err)
{
	struct rbuf b;
	size_t optlen;
	bool ext = false;
	uint8_t ptype;
	uint16_t plen;
	const uint8_t *pv;
	static const uint8_t version[2] = { 0, BGP_VERSION };

	memset(open, 0, sizeof(*open));
	rbuf_init(&b, body, len);
	open->version = rbuf_u8(&b);
	open->my_as = rbuf_u16(&b);
	open->holdtime = rbuf_u16(&b);
	open->bgp_id = rbuf_u32(&b);
	optlen = rbuf_u8(&b);
	if (!b.ok)
		return fail(err, BGP_ERR_HEADER, BGP_ERR_HDR_LEN,
		    "OPEN shorter than its fixed fields");
	if (open->version != BGP_VERSION) {
		set_small(err, version, 2);
		return fail(err, BGP_ERR_OPEN, BGP_ERR_OPEN_VERSION,
		    "unsupported BGP version");
	}
	if (open->holdtime == 1 || open->holdtime == 2)
		return fail(err, BGP_ERR_OPEN, BGP_ERR_OPEN_HOLDTIME,
		    "hold time of 1 or 2 seconds");
	if (open->bgp_id == 0)
		return fail(
		    err, BGP_ERR_OPEN, BGP_ERR_OPEN_BGPID, "BGP identifier 0");
	/* RFC 9072 §2: 255 followed by type 255 means the extended form. */
	if (optlen == BGP_OPT_EXTENDED && rbuf_left(&b) >= 1 &&
	    *b.p == BGP_OPT_EXTENDED) {
		(void)rbuf_u8(&b);
		optlen = rbuf_u16(&b);
		ext = true;
	}
	if (!b.ok || optlen != rbuf_left(&b))
		return fail(err, BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC,
		    "optional parameters length disagrees with the message");
	while (rbuf_left(&b) > 0) {
		ptype = rbuf_u8(&b);
		plen = ext ? rbuf_u16(&b) : rbuf_u8(&b);
		pv = rbuf_take(&b, plen);
		if (!b.ok)
			return fail(err, BGP_ERR_OPEN, BGP_ERR_OPEN_UNSPEC,
			    "optional parameter runs past the message");
		if (ptype != BGP_OPT_CAPABILITIES) {
			set_small(err, &ptype, 1);
			return fail(err, BGP_ERR_OPEN, BGP_ERR_OPEN_OPTPARAM,
			    "unsupported optional parameter");
		}
		if (caps_decode(&open->caps, pv, plen, err) == -1)
			return -1;
	}
	return 0;
}

uint32_t
wire_open_peer_as(const struct wire_open *open)
{
	if (open->caps.have & WIRE_CAP_AS4)
		return open->caps.as4;
	return open->my_as;
}

bool
wire_caps_has_mp(const struct wire_caps *caps, uint16_t afi, uint8_t safi)
{
	uint8_t i;

	for (i = 0; i < caps->n_mp; i++)
		if (caps->mp[i].afi == afi && caps->mp[i].safi == safi)
			return true;
	return false;
}

uint8_t
wire_caps_addpath(const struct wire_caps *caps, uint16_t afi, uint8_t safi)
{
	uint8_t i;

	for (i = 0; i < caps->n_addpath; i++)
		if (caps->addpath[i].afi == afi &&
		    caps->addpath[i].safi == safi)
			return caps->addpath[i].flags;
	return 0;
}

/* Writes every capability as code, length, value, in code order. */
static void
caps_encode(const struct wire_caps *caps, struct wbuf *w)
{
	uint8_t i;

	if (caps->have & WIRE_CAP_MP)
		for (i = 0; i < caps->n_mp; i++) {
			w_u8(w, BGP_CAP_MP);
			w_u8(w, 4);
			w_u16(w, caps->mp[i].afi);
			w_u8(w, 0);
			w_u8(w, caps->mp[i].safi);
		}
	if (caps->have & WIRE_CAP_RR) {
		w_u8(w, BGP_CAP_ROUTE_REFRESH);
		w_u8(w, 0);
	}
	if (caps->have & WIRE_CAP_EXTMSG) {
		w_u8(w, BGP_CAP_EXT_MESSAGE);
		w_u8(w, 0);
	}
	if (caps->have & WIRE_CAP_GR) {
		w_u8(w, BGP_CAP_GRACEFUL_RESTART);
		w_u8(w, (uint8_t)(2 + 4 * caps->n_gr));
		w_u16(w,
		    (uint16_t)((caps->gr_flags & 0xf) << 12 |
			(caps->gr_time & BGP_GR_TIME_MASK)));
		for (i = 0; i < caps->n_gr; i++) {
			w_u16(w, caps->gr[i].afi);
			w_u8(w, caps->gr[i].safi);
			w_u8(w, caps->gr[i].flags);
		}
	}
	if (caps->have & WIRE_CAP_AS4) {
		w_u8(w, BGP_CAP_AS4);
		w_u8(w, 4);
		w_u32(w, caps->as4);
	}
	if ((caps->have & WIRE_CAP_ADDPATH) && caps->n_addpath > 0) {
		w_u8(w, BGP_CAP_ADD_PATH);
		w_u8(w, (uint8_t)(4 * caps->n_addpath));
		for (i = 0; i < caps->n_addpath; i++) {
			w_u16(w, caps->addpath[i].afi);
			w_u8(w, caps->addpath[i].safi);
			w_u8(w, caps->addpath[i].flags);
		}
	}
	if (caps->have & WIRE_CAP_ERR) {
		w_u8(w, BGP_CAP_ENHANCED_RR);
		w_u8(w, 0);
	}
	for (i = 0; i < caps->n_unknown; i++) {
		w_u8(w, caps->unknown[i].code);
		w_u8(w, caps->unknown[i].len);
		w_bytes(w, caps->unknown[i].val, caps->unknown[i].len);
	}
}

size_t
wire_open_encode(const struct wire_open *open, uint8_t *buf, size_t cap)
{
	uint8_t tmp[BGP_MAX_MSG];
	struct wbuf c = { tmp, 0, sizeof(tmp), true };
	struct wbuf w = { buf, 0, cap, true };

	caps_encode(&open->caps, &c);
	if (!c.ok)
		return 0;
	if (cap < BGP_HDR_LEN)
		return 0;
	w.len = wire_hdr_encode(buf, BGP_MSG_OPEN, 0);
	w_u8(&w, open->version);
	w_u16(&w, open->my_as);
	w_u16(&w, open->holdtime);
	w_u32(&w, open->bgp_id);
	if (c.len == 0) {
		w_u8(&w, 0);
	} else if (c.len + 2 <= 255) {
		w_u8(&w, (uint8_t)(c.len + 2));
		w_u8(&w, BGP_OPT_CAPABILITIES);
		w_u8(&w, (uint8_t)c.len);
	} else {
		/* RFC 9072 §2: extended form, 2-octet parameter lengths. */
		w_u8(&w, BGP_OPT_EXTENDED);
		w_u8(&w, BGP_OPT_EXTENDED);
		w_u16(&w, (uint16_t)(c.len + 3));
		w_u8(&w, BGP_OPT_CAPABILITIES);
		w_u16(&w, (uint16_t)c.len);
	}
	w_bytes(&w, tmp, c.len);
	if (!w.ok || w.len > BGP_MAX_MSG)
		return 0;
	wire_hdr_set_len(buf, (uint16_t)w.len);
	return w.len;
}

/* ---- KEEPALIVE ---- */

size_t
wire_keepalive_encode(uint8_t *buf, size_t cap)
{
	if (cap < BGP_HDR_LEN)
		return 0;
	return wire_hdr_encode(buf, BGP_MSG_KEEPALIVE, BGP_HDR_LEN);
}

/* ---- NOTIFICATION ---- */

int
wire_notification_decode(
    const uint8_t *body, size_t len, struct wire_notification *n)
{
	if (len < BGP_NOTIFY_MIN_BODY || len > BGP_MAX_MSG_EXT)
		return -1;
	n->code = body[0];
	n->subcode = body[1];
	n->data = len > 2 ? body + 2 : NULL;
	n->datalen = (uint16_t)(len - 2);
	return 0;
}

size_t
wire_notification_encode(uint8_t code, uint8_t subcode, const uint8_t *data,
    size_t datalen, uint8_t *buf, size_t cap)
{
	size_t len = BGP_HDR_LEN + 2 + datalen;

	if (len > cap || len > BGP_MAX_MSG_EXT)
		return 0;
	wire_hdr_encode(buf, BGP_MSG_NOTIFICATION, (uint16_t)len);
	buf[BGP_HDR_LEN] = code;
	buf[BGP_HDR_LEN + 1] = subcode;
	if (datalen > 0)
		memcpy(buf + BGP_HDR_LEN + 2, data, datalen);
	return len;
}

/* Length of the valid UTF-8 sequence starting at p, 0 if invalid. */
static size_t
utf8_seq(const uint8_t *p, size_t left)
{
	size_t n, i;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if ((p[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = p[0] & 0x07;
	} else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static bool
utf8_valid(const uint8_t *p, size_t len)
{
	size_t i = 0, n;

	while (i < len) {
		n = utf8_seq(p + i, len - i);
		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

bool
wire_notification_shutdown_msg(const struct wire_notification *n, char *out)
{
	uint8_t mlen, i;

	out[0] = '\0';
	if (n->code != BGP_ERR_CEASE ||
	    (n->subcode != BGP_CEASE_ADMIN_SHUTDOWN &&
		n->subcode != BGP_CEASE_ADMIN_RESET))
		return false;
	if (n->datalen < 1)
		return false;
	mlen = n->data[0];
	if (mlen == 0 || (size_t)mlen + 1 > n->datalen)
		return false;
	if (!utf8_valid(n->data + 1, mlen))
		return false;
	memcpy(out, n->data + 1, mlen);
	out[mlen] = '\0';
	/* The text goes to logs: no control characters, no line breaks. */
	for (i = 0; i < mlen; i++)
		if ((uint8_t)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = '?';
	return true;
}

size_t
wire_shutdown_encode(uint8_t subcode, const char *msg, uint8_t *buf, size_t cap)
{
	uint8_t data[1 + BGP_SHUTDOWN_MSG_MAX];
	size_t mlen = msg != NULL ? strlen(msg) : 0;

	if (mlen > BGP_SHUTDOWN_MSG_MAX) {
		mlen = BGP_SHUTDOWN_MSG_MAX;
		/* Do not cut a UTF-8 sequence in half. */
		while (mlen > 0 && ((uint8_t)msg[mlen] & 0xc0) == 0x80)
			mlen--;
	}
	if (mlen == 0)
		return wire_notification_encode(
		    BGP_ERR_CEASE, subcode, NULL, 0, buf, cap);
	data[0] = (uint8_t)mlen;
	memcpy(data + 1, msg, mlen);
	return wire_notification_encode(
	    BGP_ERR_CEASE, subcode, data, mlen + 1, buf, cap);
}

/* ---- ROUTE-REFRESH ---- */

int
wire_rrefresh_decode(const uint8_t *body, size_t len, struct wire_rrefresh *rr,
    struct wire_err *err)
{
	if (len != BGP_RREFRESH_BODY) {
		/* RFC 7313 §5: the data is the offending message. */
		err->data = body;
		err->datalen = (uint16_t)(len > BGP_MAX_MSG_EXT ? 0 : len);
		return fail(err, BGP_ERR_RREFRESH, BGP_ERR_RR_LENGTH,
		    "ROUTE-REFRESH of the wrong length");
	}
	rr->afi = get16(body);
	rr->subtype = body[2];
	rr->safi = body[3];
	return 0;
}

size_t
wire_rrefresh_encode(const struct wire_rrefresh *rr, uint8_t *buf, size_t cap)
{
	size_t len = BGP_HDR_LEN + BGP_RREFRESH_BODY;

	if (cap < len)
		return 0;
	wire_hdr_encode(buf, BGP_MSG_ROUTE_REFRESH, (uint16_t)len);
	put16(buf + BGP_HDR_LEN, rr->afi);
	buf[BGP_HDR_LEN + 2] = rr->subtype;
	buf[BGP_HDR_LEN + 3] = rr->safi;
	return len;
}
