/*
 * frame.c: framing and checks for the export stream.
 *
 * A frame is a protobuf varint (the body's length) and a dxbgp.Message
 * (proto/dxbgp.proto); this is the length-delimited framing protobuf
 * libraries call writeDelimitedTo/parseDelimitedFrom.  Decoding goes
 * through protobuf-c and then through the checks a receiver needs
 * before it trusts a message: address lengths match the family, host
 * bits are zero, enums are in range, the oneof is set.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <dxbgp/frame.h>

enum frame_rc
frame_get(const uint8_t *buf, size_t len, size_t max, const uint8_t **body,
    size_t *blen, size_t *used)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < len && i < FRAME_HDR_MAX; i++) {
		n |= (uint64_t)(buf[i] & 0x7f) << (7 * i);
		if ((buf[i] & 0x80) == 0)
			break;
		if (n > max)
			return FRAME_BAD;
	}
	if (i == FRAME_HDR_MAX)
		return FRAME_BAD;
	if (i == len)
		return FRAME_MORE;
	if (n > max)
		return FRAME_BAD;
	i++;
	if (len - i < n)
		return FRAME_MORE;
	*body = buf + i;
	*blen = (size_t)n;
	*used = i + (size_t)n;
	return FRAME_OK;
}

size_t
frame_hdr(uint8_t *hdr, size_t n)
{
	size_t i = 0;

	while (n >= 0x80) {
		hdr[i++] = (uint8_t)(n | 0x80);
		n >>= 7;
	}
	hdr[i++] = (uint8_t)n;
	return i;
}

size_t
frame_size(const Dxbgp__Message *m)
{
	uint8_t hdr[FRAME_HDR_MAX];
	size_t n = dxbgp__message__get_packed_size(m);

	return frame_hdr(hdr, n) + n;
}

size_t
frame_pack(const Dxbgp__Message *m, uint8_t *buf)
{
	size_t n = dxbgp__message__get_packed_size(m), h;

	h = frame_hdr(buf, n);
	return h + dxbgp__message__pack(m, buf + h);
}

/* Field numbers and wire types of proto/dxbgp.proto, for the tags. */
#define TAG(field, type) ((uint8_t)((field) << 3 | (type)))
#define WT_VARINT        0
#define WT_LEN           2
#define MESSAGE_ROUTE    3 /* Message.route */

static size_t
put_varint(uint8_t *p, uint64_t v)
{
	size_t i = 0;

	while (v >= 0x80) {
		p[i++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[i++] = (uint8_t)v;
	return i;
}

size_t
frame_route_head(uint8_t *head, uint64_t seq, Dxbgp__Afi afi,
    const uint8_t *prefix, size_t alen, uint32_t prefix_len,
    Dxbgp__Action action)
{
	size_t n = 0;

	/* proto3: fields at their default value are left out. */
	if (seq != 0) {
		head[n++] = TAG(1, WT_VARINT);
		n += put_varint(head + n, seq);
	}
	if (afi != 0) {
		head[n++] = TAG(2, WT_VARINT);
		n += put_varint(head + n, (uint64_t)afi);
	}
	if (alen != 0) {
		head[n++] = TAG(3, WT_LEN);
		head[n++] = (uint8_t)alen;
		memcpy(head + n, prefix, alen);
		n += alen;
	}
	if (prefix_len != 0) {
		head[n++] = TAG(4, WT_VARINT);
		n += put_varint(head + n, prefix_len);
	}
	if (action != 0) {
		head[n++] = TAG(5, WT_VARINT);
		n += put_varint(head + n, (uint64_t)action);
	}
	return n;
}

size_t
frame_route_join(uint8_t *out, const uint8_t *head, size_t hlen,
    const uint8_t *tail, size_t tlen)
{
	uint8_t inner[FRAME_HDR_MAX];
	size_t ilen = put_varint(inner, hlen + tlen), n;

	n = frame_hdr(out, 1 + ilen + hlen + tlen);
	out[n++] = TAG(MESSAGE_ROUTE, WT_LEN);
	memcpy(out + n, inner, ilen);
	n += ilen;
	memcpy(out + n, head, hlen);
	n += hlen;
	if (tlen > 0)
		memcpy(out + n, tail, tlen);
	return n + tlen;
}

static size_t
afi_addr_len(Dxbgp__Afi afi)
{
	switch (afi) {
	case DXBGP__AFI__AFI_IPV4:
		return 4;
	case DXBGP__AFI__AFI_IPV6:
		return 16;
	default:
		return 0;
	}
}

static int
addr_ok(const ProtobufCBinaryData *a)
{
	return a->len == 4 || a->len == 16;
}

const char *
frame_check_route(const Dxbgp__Route *r)
{
	size_t alen = afi_addr_len(r->afi), i, bit;

	if (alen == 0)
		return "route: unknown address family";
	if (r->prefix.len != alen)
		return "route: prefix length does not match its family";
	if (r->prefix_len > alen * 8)
		return "route: prefix length out of range";
	for (bit = r->prefix_len; bit < alen * 8; bit++)
		if (r->prefix.data[bit / 8] & (0x80 >> (bit % 8)))
			return "route: host bits set in the prefix";
	if (r->action != DXBGP__ACTION__ADD &&
	    r->action != DXBGP__ACTION__DELETE)
		return "route: unknown action";
	if (r->action == DXBGP__ACTION__ADD && r->n_nexthops == 0)
		return "route: an ADD without next hops";
	for (i = 0; i < r->n_nexthops; i++)
		if (!addr_ok(&r->nexthops[i]))
			return "route: a next hop is not 4 or 16 bytes";
	if (r->peer.len != 0 && !addr_ok(&r->peer))
		return "route: the peer address is not 4 or 16 bytes";
	if ((unsigned)r->origin > DXBGP__ORIGIN__INCOMPLETE)
		return "route: unknown origin";
	return NULL;
}

const char *
frame_check_subscribe(const Dxbgp__Subscribe *s)
{
	size_t i;

	for (i = 0; i < s->n_afis; i++)
		if (afi_addr_len(s->afis[i]) == 0)
			return "subscribe: unknown address family";
	for (i = 0; i < s->n_neighbors; i++)
		if (!addr_ok(&s->neighbors[i]))
			return "subscribe: a neighbor is not 4 or 16 bytes";
	if (strlen(s->name) > 64)
		return "subscribe: name longer than 64 characters";
	return NULL;
}

/* An unknown field numbered 0, which protobuf forbids (and cannot
 * pack again as it came). */
static bool
field0(const ProtobufCMessage *m)
{
	unsigned i;

	for (i = 0; m != NULL && i < m->n_unknown_fields; i++)
		if (m->unknown_fields[i].tag == 0)
			return true;
	return false;
}

static bool
any_field0(const Dxbgp__Message *m)
{
	size_t i;

	if (field0(&m->base))
		return true;
	switch (m->body_case) {
	case DXBGP__MESSAGE__BODY_SUBSCRIBE:
		for (i = 0; i < m->subscribe->n_large_communities; i++)
			if (field0(&m->subscribe->large_communities[i]->base))
				return true;
		return field0(&m->subscribe->base);
	case DXBGP__MESSAGE__BODY_ROUTE:
		for (i = 0; i < m->route->n_as_path; i++)
			if (field0(&m->route->as_path[i]->base))
				return true;
		for (i = 0; i < m->route->n_large_communities; i++)
			if (field0(&m->route->large_communities[i]->base))
				return true;
		return field0(&m->route->base);
	case DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN:
		return field0(&m->snapshot_begin->base);
	case DXBGP__MESSAGE__BODY_SNAPSHOT_END:
		return field0(&m->snapshot_end->base);
	case DXBGP__MESSAGE__BODY_RESUME:
		return field0(&m->resume->base);
	case DXBGP__MESSAGE__BODY_HEARTBEAT:
		return field0(&m->heartbeat->base);
	case DXBGP__MESSAGE__BODY_ERROR:
		return field0(&m->error->base);
	default:
		return false;
	}
}

static const char *
check(const Dxbgp__Message *m)
{
	if (any_field0(m))
		return "message: a field numbered 0";
	switch (m->body_case) {
	case DXBGP__MESSAGE__BODY_SUBSCRIBE:
		return frame_check_subscribe(m->subscribe);
	case DXBGP__MESSAGE__BODY_ROUTE:
		return frame_check_route(m->route);
	case DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN:
	case DXBGP__MESSAGE__BODY_SNAPSHOT_END:
	case DXBGP__MESSAGE__BODY_RESUME:
	case DXBGP__MESSAGE__BODY_HEARTBEAT:
	case DXBGP__MESSAGE__BODY_ERROR:
		return NULL;
	default:
		return "message: no body";
	}
}

Dxbgp__Message *
frame_unpack(const uint8_t *body, size_t blen, const char **why)
{
	Dxbgp__Message *m;

	m = dxbgp__message__unpack(NULL, blen, body);
	if (m == NULL) {
		*why = "message: not a valid dxbgp.Message";
		return NULL;
	}
	if ((*why = check(m)) != NULL) {
		dxbgp__message__free_unpacked(m, NULL);
		return NULL;
	}
	return m;
}

/* ---- the arena ---- */

#define ARENA_FIRST (64u * 1024)
#define ARENA_MAX   (16u * 1024 * 1024)

static void *
arena_alloc(void *data, size_t size)
{
	struct frame_arena *a = data;
	size_t at = (a->len + 15) & ~(size_t)15;
	void *p;

	if (size <= a->cap && at <= a->cap - size) {
		a->len = at + size;
		return a->buf + at;
	}
	/* Does not fit: its own block, kept until the reset. */
	a->spilled = 1;
	if (a->nbig == a->capbig) {
		void **nb;

		a->capbig = a->capbig ? a->capbig * 2 : 16;
		nb = realloc(a->big, a->capbig * sizeof(*a->big));
		if (nb == NULL)
			return NULL;
		a->big = nb;
	}
	if ((p = malloc(size)) != NULL)
		a->big[a->nbig++] = p;
	return p;
}

static void
arena_free(void *data, void *p)
{
	/* Everything goes at once, in frame_arena_reset. */
}

void
frame_arena_init(struct frame_arena *a)
{
	memset(a, 0, sizeof(*a));
	a->pa.alloc = arena_alloc;
	a->pa.free = arena_free;
	a->pa.allocator_data = a;
}

void
frame_arena_reset(struct frame_arena *a)
{
	size_t i;

	for (i = 0; i < a->nbig; i++)
		free(a->big[i]);
	a->nbig = 0;
	a->len = 0;
	if (a->spilled && a->cap < ARENA_MAX) {
		uint8_t *nb;
		size_t cap = a->cap ? a->cap * 2 : ARENA_FIRST;

		if ((nb = realloc(a->buf, cap)) != NULL) {
			a->buf = nb;
			a->cap = cap;
		}
	}
	a->spilled = 0;
}

void
frame_arena_clean(struct frame_arena *a)
{
	frame_arena_reset(a);
	free(a->buf);
	free(a->big);
	frame_arena_init(a);
}

Dxbgp__Message *
frame_unpack_in(
    struct frame_arena *a, const uint8_t *body, size_t blen, const char **why)
{
	Dxbgp__Message *m;

	frame_arena_reset(a);
	m = dxbgp__message__unpack(&a->pa, blen, body);
	if (m == NULL) {
		*why = "message: not a valid dxbgp.Message";
		return NULL;
	}
	if ((*why = check(m)) != NULL)
		return NULL;
	return m;
}

void
frame_free(Dxbgp__Message *m)
{
	if (m != NULL)
		dxbgp__message__free_unpacked(m, NULL);
}
