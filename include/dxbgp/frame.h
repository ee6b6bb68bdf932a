/*
 * frame.h: the export stream's framing and checks (proto/frame.c).
 *
 * Each message is a dxbgp.Message (proto/dxbgp.proto) preceded by its
 * length as a base-128 varint.  Used by dxbgpd's export module, by
 * dxprog and by the tests; no sockets here.
 */
#ifndef DXBGP_FRAME_H
#define DXBGP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "dxbgp.pb-c.h"

/* The longest a varint length header is. */
#define FRAME_HDR_MAX 10
/* Frames a subscriber may send (a Subscribe with its filters). */
#define FRAME_MAX_SUBSCRIBER (64u * 1024)
/* Frames the daemon sends (a Route with the longest attributes). */
#define FRAME_MAX_DAEMON (1024u * 1024)

enum frame_rc {
	FRAME_OK,   /* a whole frame is there */
	FRAME_MORE, /* read more bytes first */
	FRAME_BAD   /* a length past max, or a broken varint */
};

/*
 * Finds the first frame in buf[0..len): its body (pointing into buf),
 * the body's length and the bytes the whole frame takes.
 */
enum frame_rc frame_get(const uint8_t *buf, size_t len, size_t max,
    const uint8_t **body, size_t *blen, size_t *used);
/* Writes the varint header for a body of n bytes; returns its length. */
size_t frame_hdr(uint8_t *hdr, size_t n);
/* The bytes m takes framed, and m framed into buf (that many bytes). */
size_t frame_size(const Dxbgp__Message *m);
size_t frame_pack(const Dxbgp__Message *m, uint8_t *buf);

/*
 * A Route message in two parts, for a sender that encodes the same
 * attributes for many prefixes once: frame_route_head writes the
 * per-prefix fields (1-5) of a Route into head (FRAME_ROUTE_HEAD_MAX
 * bytes) and returns their length; the attribute fields (6-15) are
 * the packing of a Route that has only those set.  frame_route_join
 * writes the whole frame (a Message whose route is both parts, which
 * is how protobuf merges concatenated fields) into out, which holds
 * hlen + tlen + FRAME_ROUTE_OVERHEAD bytes, and returns its length.
 * The bytes are those frame_pack makes for the same Route.
 */
#define FRAME_ROUTE_HEAD_MAX 48
#define FRAME_ROUTE_OVERHEAD (2 * FRAME_HDR_MAX + 1)
size_t frame_route_head(uint8_t *head, uint64_t seq, Dxbgp__Afi afi,
    const uint8_t *prefix, size_t alen, uint32_t prefix_len,
    Dxbgp__Action action);
size_t frame_route_join(uint8_t *out, const uint8_t *head, size_t hlen,
    const uint8_t *tail, size_t tlen);

/*
 * Decodes a frame body into a Message whose body case is set and whose
 * contents pass the checks below; NULL with *why set otherwise.  Free
 * with frame_free.
 */
Dxbgp__Message *frame_unpack(
    const uint8_t *body, size_t blen, const char **why);
void frame_free(Dxbgp__Message *);

/*
 * frame_unpack for a receiver of many messages: the decoded objects of
 * one message come from an arena, bump-allocated, all dropped at once
 * by frame_arena_reset, instead of a malloc and free each.  Embedded in
 * its owner; frame_arena_clean frees its memory.
 */
struct frame_arena {
	ProtobufCAllocator pa; /* what protobuf-c is given */
	uint8_t *buf;
	size_t len, cap;
	void **big; /* allocations that did not fit, until the reset */
	size_t nbig, capbig;
	int spilled; /* buf was too small: it grows at the next reset */
};
void frame_arena_init(struct frame_arena *);
void frame_arena_clean(struct frame_arena *);
Dxbgp__Message *frame_unpack_in(
    struct frame_arena *, const uint8_t *body, size_t blen, const char **why);
void frame_arena_reset(struct frame_arena *);

/* What is wrong with a Route or a Subscribe, or NULL. */
const char *frame_check_route(const Dxbgp__Route *);
const char *frame_check_subscribe(const Dxbgp__Subscribe *);

#endif
