/*
 * fuzz_frame.c: libFuzzer target for the export stream's decoders
 * (proto/frame.c), fed as a subscriber feeds dxbgpd or the daemon feeds
 * dxprog.
 *
 * Input layout:
 *   byte 0   odd: the daemon's limit (FRAME_MAX_DAEMON), even: a
 *            subscriber's (FRAME_MAX_SUBSCRIBER)
 *   rest     a stream of frames, found with frame_get
 *
 * Each frame body is copied into a buffer of its exact size, so a
 * decoder reading past it is caught by ASan.  Besides memory errors,
 * every broken invariant aborts:
 *   - frame_get never returns a frame longer than the limit or past the
 *     end of the input;
 *   - a message frame_unpack accepts passes its own checks, packs again
 *     (frame_pack) into exactly frame_size bytes, and that frame
 *     unpacks to a message of the same body case;
 *   - a Route it accepts, packed in two parts (frame_route_head and
 *     frame_route_join, the daemon's way), gives the same bytes as
 *     frame_pack.
 *
 * Build and run with scripts/fuzz.sh.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <dxbgp/frame.h>

static void
check_route(const Dxbgp__Message *m, const uint8_t *whole, size_t wlen)
{
	const Dxbgp__Route *r = m->route;
	Dxbgp__Route tail = *r;
	uint8_t head[FRAME_ROUTE_HEAD_MAX], *t, *out;
	size_t hlen, tlen, olen;

	tail.seq = 0;
	tail.afi = DXBGP__AFI__AFI_UNSPEC;
	tail.prefix.len = 0;
	tail.prefix_len = 0;
	tail.action = DXBGP__ACTION__ACTION_UNSPEC;
	t = malloc(dxbgp__route__get_packed_size(&tail) + 1);
	tlen = dxbgp__route__pack(&tail, t);
	hlen = frame_route_head(head, r->seq, r->afi, r->prefix.data,
	    r->prefix.len, r->prefix_len, r->action);
	if (hlen > FRAME_ROUTE_HEAD_MAX)
		abort();
	out = malloc(hlen + tlen + FRAME_ROUTE_OVERHEAD);
	olen = frame_route_join(out, head, hlen, t, tlen);
	if (olen != wlen || memcmp(out, whole, wlen) != 0)
		abort();
	free(out);
	free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *body;
	size_t max, blen, used, off = 1;
	const char *why;

	if (size < 1)
		return 0;
	max = (data[0] & 1) ? FRAME_MAX_DAEMON : FRAME_MAX_SUBSCRIBER;
	for (;;) {
		enum frame_rc rc =
		    frame_get(data + off, size - off, max, &body, &blen, &used);
		Dxbgp__Message *m, *again;
		uint8_t *copy, *packed;
		size_t n;

		if (rc != FRAME_OK)
			break;
		if (blen > max || used > size - off ||
		    body + blen != data + off + used)
			abort();
		off += used;
		copy = malloc(blen ? blen : 1);
		memcpy(copy, body, blen);
		m = frame_unpack(copy, blen, &why);
		free(copy);
		if (m == NULL)
			continue;
		if (m->body_case == DXBGP__MESSAGE__BODY_ROUTE &&
		    frame_check_route(m->route) != NULL)
			abort();
		if (m->body_case == DXBGP__MESSAGE__BODY_SUBSCRIBE &&
		    frame_check_subscribe(m->subscribe) != NULL)
			abort();
		n = frame_size(m);
		packed = malloc(n);
		if (frame_pack(m, packed) != n)
			abort();
		if (frame_get(packed, n, (size_t)-1, &body, &blen, &used) !=
			FRAME_OK ||
		    used != n)
			abort();
		again = frame_unpack(body, blen, &why);
		if (again == NULL || again->body_case != m->body_case)
			abort();
		if (m->body_case == DXBGP__MESSAGE__BODY_ROUTE)
			check_route(m, packed, n);
		frame_free(again);
		free(packed);
		frame_free(m);
	}
	return 0;
}
