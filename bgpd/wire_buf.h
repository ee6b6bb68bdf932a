/*
 * wire_buf.h: bounds-checked reads and plain writes of network-order
 * integers, private to the codec.  A reader that runs out sets ok to
 * false and returns zeros; callers check ok once after a group of reads.
 */
#ifndef DXBGP_WIRE_BUF_H
#define DXBGP_WIRE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <dxbgp/bytes.h>

struct rbuf {
	const uint8_t *p;
	const uint8_t *end;
	bool ok;
};

static inline void
rbuf_init(struct rbuf *b, const uint8_t *p, size_t len)
{
	b->p = p;
	b->end = p + len;
	b->ok = true;
}

static inline size_t
rbuf_left(const struct rbuf *b)
{
	return (size_t)(b->end - b->p);
}

static inline bool
rbuf_need(struct rbuf *b, size_t n)
{
	if (!b->ok || rbuf_left(b) < n) {
		b->ok = false;
		return false;
	}
	return true;
}

static inline uint8_t
rbuf_u8(struct rbuf *b)
{
	if (!rbuf_need(b, 1))
		return 0;
	return *b->p++;
}

static inline uint16_t
rbuf_u16(struct rbuf *b)
{
	uint16_t v;

	if (!rbuf_need(b, 2))
		return 0;
	v = (uint16_t)(b->p[0] << 8 | b->p[1]);
	b->p += 2;
	return v;
}

static inline uint32_t
rbuf_u32(struct rbuf *b)
{
	uint32_t v;

	if (!rbuf_need(b, 4))
		return 0;
	v = (uint32_t)b->p[0] << 24 | (uint32_t)b->p[1] << 16 |
	    (uint32_t)b->p[2] << 8 | b->p[3];
	b->p += 4;
	return v;
}

/* Returns a pointer to the next n bytes and skips them, or NULL. */
static inline const uint8_t *
rbuf_take(struct rbuf *b, size_t n)
{
	const uint8_t *p;

	if (!rbuf_need(b, n))
		return NULL;
	p = b->p;
	b->p += n;
	return p;
}

/* A bounded writer: the encoders write through it and check ok once. */
struct wbuf {
	uint8_t *p;
	size_t len;
	size_t cap;
	bool ok;
};

static inline void
w_bytes(struct wbuf *w, const void *v, size_t n)
{
	if (!w->ok || w->cap - w->len < n) {
		w->ok = false;
		return;
	}
	if (n > 0)
		memcpy(w->p + w->len, v, n);
	w->len += n;
}

static inline void
w_u8(struct wbuf *w, uint8_t v)
{
	w_bytes(w, &v, 1);
}

static inline void
w_u16(struct wbuf *w, uint16_t v)
{
	uint8_t b[2];

	put16(b, v);
	w_bytes(w, b, 2);
}

static inline void
w_u32(struct wbuf *w, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	w_bytes(w, b, 4);
}

#endif
