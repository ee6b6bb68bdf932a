/*
 * rib_test.c: the helpers of rib_test.h, compiled into each RIB test.
 */

#include "rib_test.h"

/* ---- small helpers ---- */

/* splitmix64: fixed seeds, the same sequence everywhere. */
uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

size_t
rnd_below(uint64_t *s, size_t n)
{
	return (size_t)(rnd(s) % n);
}

/* ---- prefixes ---- */

struct rib_prefix
pfx_make(uint8_t afi, const uint8_t *addr, uint8_t len)
{
	struct rib_prefix p;
	unsigned int i, n = afi == BGP_AFI_IPV4 ? 4 : 16;

	memset(&p, 0, sizeof(p));
	p.afi = afi;
	p.len = len;
	memcpy(p.addr, addr, n);
	for (i = 0; i < n; i++) {
		if (len >= 8 * (i + 1))
			continue;
		if (len <= 8 * i)
			p.addr[i] = 0;
		else
			p.addr[i] &= (uint8_t)(0xff << (8 - (len - 8 * i)));
	}
	return p;
}

struct rib_prefix
pfx4(uint32_t addr, uint8_t len)
{
	uint8_t b[4];

	put32(b, addr);
	return pfx_make(BGP_AFI_IPV4, b, len);
}

/* 2001:db8:<w2>:<w3>::/len */
struct rib_prefix
pfx6(uint16_t w2, uint16_t w3, uint8_t len)
{
	uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	b[4] = (uint8_t)(w2 >> 8);
	b[5] = (uint8_t)w2;
	b[6] = (uint8_t)(w3 >> 8);
	b[7] = (uint8_t)w3;
	return pfx_make(BGP_AFI_IPV6, b, len);
}

bool
pfx_eq(const struct rib_prefix *a, const struct rib_prefix *b)
{
	return a->afi == b->afi && a->len == b->len &&
	    memcmp(a->addr, b->addr, 16) == 0;
}

/* Text of a prefix, in one of a few rotating buffers. */
const char *
pfx_str(const struct rib_prefix *p)
{
	static char buf[4][INET6_ADDRSTRLEN + 8];
	static int k;
	char *s = buf[k++ & 3];

	inet_ntop(p->afi == BGP_AFI_IPV4 ? AF_INET : AF_INET6, p->addr, s,
	    INET6_ADDRSTRLEN);
	snprintf(s + strlen(s), 8, "/%u", p->len);
	return s;
}

void
kb_init(struct kb *b, uint8_t origin, uint32_t nh4)
{
	memset(b, 0, sizeof(*b));
	b->k.origin = origin;
	b->k.flags = RIB_A_ASPATH;
	if (nh4 != 0) {
		b->k.nh_len = 4;
		put32(b->k.nexthop, nh4);
	}
}

void
kb_nh6(struct kb *b, const uint8_t nh[16])
{
	b->k.nh_len = 16;
	memcpy(b->k.nexthop, nh, 16);
}

/* Appends a segment of n AS numbers. */
void
kb_seg(struct kb *b, uint8_t type, int n, ...)
{
	uint8_t *p = b->path + b->k.aspath_len;
	va_list ap;
	int i;

	assert_true(b->k.aspath_len + 2 + 4 * (size_t)n <= sizeof(b->path));
	p[0] = type;
	p[1] = (uint8_t)n;
	va_start(ap, n);
	for (i = 0; i < n; i++)
		put32(p + 2 + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	b->k.aspath_len += 2 + 4 * (uint32_t)n;
}

void
kb_med(struct kb *b, uint32_t v)
{
	b->k.flags |= RIB_A_MED;
	b->k.med = v;
}

void
kb_lp(struct kb *b, uint32_t v)
{
	b->k.flags |= RIB_A_LOCAL_PREF;
	b->k.local_pref = v;
}

void
kb_oid(struct kb *b, uint32_t v)
{
	b->k.flags |= RIB_A_ORIGINATOR;
	b->k.originator_id = v;
}

void
kb_aggr(struct kb *b, uint32_t as, uint32_t addr)
{
	b->k.flags |= RIB_A_AGGREGATOR;
	b->k.aggr_as = as;
	b->k.aggr_addr = addr;
}

void
kb_comm(struct kb *b, uint32_t c)
{
	assert_true(b->k.comm_len + 4u <= sizeof(b->comm));
	put32(b->comm + b->k.comm_len, c);
	b->k.comm_len += 4;
}

void
kb_lcomm(struct kb *b, uint32_t g, uint32_t l1, uint32_t l2)
{
	assert_true(b->k.lcomm_len + 12u <= sizeof(b->lcomm));
	put32(b->lcomm + b->k.lcomm_len, g);
	put32(b->lcomm + b->k.lcomm_len + 4, l1);
	put32(b->lcomm + b->k.lcomm_len + 8, l2);
	b->k.lcomm_len += 12;
}

void
kb_cluster(struct kb *b, uint32_t id)
{
	assert_true(b->k.cluster_len + 4u <= sizeof(b->cluster));
	put32(b->cluster + b->k.cluster_len, id);
	b->k.cluster_len += 4;
}

/* Appends an encoded unknown attribute of n octets of v. */
void
kb_unknown(struct kb *b, uint8_t flags, uint8_t type, uint16_t n, uint8_t v)
{
	uint8_t *p = b->unknown + b->k.unknown_len;
	size_t hl = n > 255 ? 4 : 3;

	assert_true(b->k.unknown_len + hl + n <= sizeof(b->unknown));
	p[0] = (uint8_t)(flags | (n > 255 ? BGP_ATTR_F_EXTLEN : 0));
	p[1] = type;
	if (n > 255) {
		p[2] = (uint8_t)(n >> 8);
		p[3] = (uint8_t)n;
	} else
		p[2] = (uint8_t)n;
	memset(p + hl, v, n);
	b->k.unknown_len = (uint16_t)(b->k.unknown_len + hl + n);
}

const struct rib_attrs_key *
kb_key(struct kb *b)
{
	b->k.aspath = b->path;
	b->k.comm = b->comm;
	b->k.lcomm = b->lcomm;
	b->k.ecomm = b->ecomm;
	b->k.cluster = b->cluster;
	b->k.unknown = b->unknown;
	return &b->k;
}

struct rib_attrs *
kb_intern(struct rib *r, struct kb *b)
{
	return rib_attrs_intern(r, kb_key(b));
}

/* Prepends as to the path, joining a leading AS_SEQUENCE (§5.1.2). */
void
kb_prepend(struct kb *b, uint32_t as)
{
	uint8_t old[sizeof(b->path)];
	uint32_t n = b->k.aspath_len;

	memcpy(old, b->path, n);
	if (n >= 2 && old[0] == BGP_SEG_SEQUENCE && old[1] < 255) {
		b->path[0] = BGP_SEG_SEQUENCE;
		b->path[1] = (uint8_t)(old[1] + 1);
		put32(b->path + 2, as);
		memcpy(b->path + 6, old + 2, n - 2);
		b->k.aspath_len = n + 4;
	} else {
		b->path[0] = BGP_SEG_SEQUENCE;
		b->path[1] = 1;
		put32(b->path + 2, as);
		memcpy(b->path + 6, old, n);
		b->k.aspath_len = n + 6;
	}
	b->k.flags |= RIB_A_ASPATH;
}

void
hexdump(const char *what, const uint8_t *p, size_t n)
{
	size_t i;

	print_message("    %s (%zu):", what, n);
	for (i = 0; i < n && i < 64; i++)
		print_message(" %02x", p[i]);
	print_message(n > 64 ? " ...\n" : "\n");
}

void
attrs_dump(const char *name, const struct rib_attrs *a)
{
	if (a == NULL) {
		print_message("  %s: none\n", name);
		return;
	}
	print_message("  %s: flags %#x origin %u med %u lp %u oid %#x "
		      "aggr %u/%#x\n",
	    name, a->flags, a->origin, a->med, a->local_pref, a->originator_id,
	    a->aggr_as, a->aggr_addr);
	hexdump("nexthop", a->nexthop, a->nh_len);
	hexdump("aspath", rib_attrs_aspath(a), a->aspath_len);
	hexdump("comm", rib_attrs_comm(a), a->comm_len);
	hexdump("lcomm", rib_attrs_lcomm(a), a->lcomm_len);
	hexdump("ecomm", rib_attrs_ecomm(a), a->ecomm_len);
	hexdump("cluster", rib_attrs_cluster(a), a->cluster_len);
	hexdump("unknown", rib_attrs_unknown(a), a->unknown_len);
}

uint32_t
our_nh4(uint16_t peer)
{
	return IP4(10, 0, peer, 2);
}

void
our_nh6(uint16_t peer, uint8_t nh[16])
{
	static const uint8_t base[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 2 };

	memcpy(nh, base, 16);
	nh[4] = (uint8_t)(peer >> 8);
	nh[5] = (uint8_t)peer;
}

/* The next hop a peer puts on its own routes (10.0.i.1, 2001:db8:i::1). */
uint32_t
peer_nh4(uint16_t peer)
{
	return IP4(10, 0, peer, 1);
}

void
peer_nh6(uint16_t peer, uint8_t nh[16])
{
	our_nh6(peer, nh);
	nh[15] = 1;
}

struct rib *
rib_make(void)
{
	struct rib_config c = { .asn = AS_OURS, .router_id = RID_OURS };

	return rib_new(&c, NULL);
}

void
peer_add(struct rib *r, uint16_t id, uint8_t af)
{
	const struct peer_def *d = &peer_defs[id];
	struct rib_peer_info pi;

	memset(&pi, 0, sizeof(pi));
	pi.asn = d->asn;
	pi.local_as = AS_OURS;
	pi.router_id = d->rid;
	put32(pi.addr, peer_nh4(id));
	pi.addr_len = 4;
	pi.ibgp = d->ibgp;
	pi.rr_client = d->client;
	pi.as4 = true;
	pi.af = af;
	put32(pi.nh4, our_nh4(id));
	our_nh6(id, pi.nh6);
	pi.has_nh4 = true;
	pi.has_nh6 = (af & RIB_AF_IPV6) != 0;
	rib_peer_set(r, id, &pi);
}

/* Attributes as a peer sends them: ORIGIN IGP, its AS first, its NH. */
void
kb_from_peer(struct kb *b, uint16_t peer, uint8_t afi)
{
	uint8_t nh6[16];

	kb_init(b, BGP_ORIGIN_IGP, peer_nh4(peer));
	if (afi == BGP_AFI_IPV6) {
		peer_nh6(peer, nh6);
		kb_nh6(b, nh6);
	}
	if (peer != RIB_PEER_LOCAL && !peer_defs[peer].ibgp)
		kb_seg(b, BGP_SEG_SEQUENCE, 1, peer_defs[peer].asn);
}

void
rec_init(struct rec *rc, size_t max)
{
	memset(rc, 0, sizeof(*rc));
	rc->accept = SIZE_MAX;
	rc->max = max;
}

void
rec_reset(struct rec *rc)
{
	size_t i;

	for (i = 0; i < rc->n; i++)
		free(rc->msg[i]);
	rc->n = 0;
	rc->refused = 0;
}

void
rec_clean(struct rec *rc)
{
	rec_reset(rc);
	free(rc->msg);
	free(rc->len);
	memset(rc, 0, sizeof(*rc));
}

bool
rec_send(void *arg, const uint8_t *m, size_t len)
{
	struct rec *rc = arg;

	if (rc->n >= rc->accept) {
		rc->refused++;
		return false;
	}
	if (len > rc->max || len < BGP_HDR_LEN)
		fail_msg("a message of %zu octets (max %zu)", len, rc->max);
	if (rc->n == rc->cap) {
		rc->cap = rc->cap ? rc->cap * 2 : 64;
		rc->msg = realloc(rc->msg, rc->cap * sizeof(*rc->msg));
		rc->len = realloc(rc->len, rc->cap * sizeof(*rc->len));
		assert_non_null(rc->msg);
		assert_non_null(rc->len);
	}
	rc->msg[rc->n] = malloc(len);
	assert_non_null(rc->msg[rc->n]);
	memcpy(rc->msg[rc->n], m, len);
	rc->len[rc->n++] = len;
	return true;
}

struct rx *
rx_new(bool ibgp)
{
	struct rx *x = calloc(1, sizeof(*x));

	assert_non_null(x);
	x->t = rib_make();
	x->ibgp = ibgp;
	x->scratch = malloc(WIRE_SCRATCH_LEN);
	x->ubuf = malloc(65536);
	assert_non_null(x->scratch);
	assert_non_null(x->ubuf);
	return x;
}

/* The session went down: the receiver forgets what it was sent. */
void
rx_reset(struct rx *x)
{
	size_t i;

	for (i = 0; i < x->nv; i++)
		rib_attrs_unref(x->t, x->v[i].a);
	x->nv = 0;
	x->eor[0] = x->eor[1] = 0;
	x->eorr[0] = x->eorr[1] = 0;
	x->nmsg = x->nann = x->nwd = x->ndup = 0;
}

void
rx_free(struct rx *x)
{
	struct rib_attrs_stats s;

	rx_reset(x);
	rib_attrs_stats(x->t, &s);
	assert_int_equal(s.sets, 0); /* the test holds no reference */
	rib_free(x->t);
	free(x->v);
	free(x->scratch);
	free(x->ubuf);
	free(x);
}

struct view_ent *
rx_find(struct rx *x, const struct rib_prefix *p)
{
	size_t i;

	for (i = 0; i < x->nv; i++)
		if (pfx_eq(&x->v[i].pfx, p))
			return &x->v[i];
	return NULL;
}

void
rx_withdrawn(struct rx *x, const struct rib_prefix *p)
{
	struct view_ent *e = rx_find(x, p);

	if (e == NULL)
		fail_msg("%s withdrawn, never announced", pfx_str(p));
	rib_attrs_unref(x->t, e->a);
	*e = x->v[--x->nv];
	x->nwd++;
}

void
rx_announced(struct rx *x, const struct rib_prefix *p, struct rib_attrs *a)
{
	struct view_ent *e = rx_find(x, p);

	rib_attrs_ref(a);
	x->nann++;
	if (e != NULL) {
		if (e->a == a)
			x->ndup++;
		rib_attrs_unref(x->t, e->a);
		e->a = a;
		return;
	}
	if (x->nv == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 256;
		x->v = realloc(x->v, x->cap * sizeof(*x->v));
		assert_non_null(x->v);
	}
	x->v[x->nv].pfx = *p;
	x->v[x->nv++].a = a;
}

size_t
nlri_collect(const uint8_t *p, size_t len, uint16_t afi, struct rib_prefix *out,
    size_t n)
{
	struct wire_nlri_iter it;
	struct wire_prefix wp;
	int rc;

	wire_nlri_iter_init(&it, p, len, afi, false);
	while ((rc = wire_nlri_next(&it, &wp)) == 1) {
		assert_true(n < UPD_MAXP);
		out[n] = pfx_make((uint8_t)afi, wp.addr, wp.len);
		n++;
	}
	assert_int_equal(rc, 0);
	return n;
}

/*
 * Decodes one message the RIB sent into x->u and applies it to the
 * view.  An eBGP receiver decodes as eBGP, so that LOCAL_PREF,
 * ORIGINATOR_ID or CLUSTER_LIST sent to it make the verdict fail.
 */
struct upd *
rx_apply(struct rx *x, const uint8_t *m, size_t len)
{
	struct wire_ctx ctx = { .as4 = true, .ibgp = x->ibgp };
	struct wire_hdr hdr;
	struct wire_update wu;
	struct wire_err err;
	struct rib_attrs_key k;
	struct upd *u = &x->u;
	const struct wire_attrs *w = &wu.attrs;
	size_t i;

	ctx.scratch = x->scratch;
	memset(u, 0, offsetof(struct upd, wd));
	u->len = len;
	assert_int_equal(
	    wire_hdr_decode(m, len, BGP_MAX_MSG_EXT, &hdr, &err), 1);
	assert_int_equal(hdr.len, len);
	if (hdr.type == BGP_MSG_ROUTE_REFRESH) {
		struct wire_rrefresh rr;

		assert_int_equal(wire_rrefresh_decode(m + BGP_HDR_LEN,
				     len - BGP_HDR_LEN, &rr, &err),
		    0);
		assert_int_equal(rr.subtype, BGP_RR_EORR);
		x->nmsg++;
		x->eorr[rib_afidx((uint8_t)rr.afi)]++;
		u->eor = true; /* nothing to apply */
		return u;
	}
	assert_int_equal(hdr.type, BGP_MSG_UPDATE);
	if (wire_update_decode(
		&ctx, m + BGP_HDR_LEN, len - BGP_HDR_LEN, &wu, &err) != WIRE_OK)
		fail_msg("UPDATE of %zu octets: %s (%s)", len,
		    wire_action_name(err.action), err.reason);
	x->nmsg++;
	u->have = w->have;
	if (wu.eor) {
		assert_int_equal(wu.eor_safi, BGP_SAFI_UNICAST);
		u->eor = true;
		u->afi = wu.eor_afi;
		x->eor[rib_afidx((uint8_t)wu.eor_afi)]++;
		return u;
	}
	u->nwd = nlri_collect(
	    wu.withdrawn, wu.withdrawn_len, BGP_AFI_IPV4, u->wd, 0);
	u->nann = nlri_collect(wu.nlri, wu.nlri_len, BGP_AFI_IPV4, u->ann, 0);
	u->afi = BGP_AFI_IPV4;
	if (w->have & WIRE_HAVE(BGP_ATTR_MP_UNREACH_NLRI)) {
		assert_int_equal(w->mp_unreach.safi, BGP_SAFI_UNICAST);
		u->afi = w->mp_unreach.afi;
		u->nwd = nlri_collect(w->mp_unreach.nlri,
		    w->mp_unreach.nlri_len, u->afi, u->wd, u->nwd);
	}
	if (w->have & WIRE_HAVE(BGP_ATTR_MP_REACH_NLRI)) {
		assert_int_equal(w->mp_reach.safi, BGP_SAFI_UNICAST);
		u->afi = w->mp_reach.afi;
		u->nann = nlri_collect(w->mp_reach.nlri, w->mp_reach.nlri_len,
		    u->afi, u->ann, u->nann);
	}
	assert_true(u->nwd + u->nann > 0);
	for (i = 0; i < u->nwd; i++)
		rx_withdrawn(x, &u->wd[i]);
	if (u->nann > 0) {
		rib_attrs_key_from_wire(w, u->afi, &k, x->ubuf);
		u->a = rib_attrs_intern(x->t, &k);
		for (i = 0; i < u->nann; i++)
			rx_announced(x, &u->ann[i], u->a);
		rib_attrs_unref(x->t, u->a); /* the view holds it now */
	}
	return u;
}

/* Applies everything recorded. */
void
rx_apply_all(struct rx *x, const struct rec *rc)
{
	size_t i;

	for (i = 0; i < rc->n; i++)
		rx_apply(x, rc->msg[i], rc->len[i]);
}

/* Fails unless a (in the receiver's table) is what b describes. */
void
expect_attrs(
    struct rx *x, const struct rib_attrs *a, struct kb *b, const char *what)
{
	struct rib_attrs *want = kb_intern(x->t, b);

	if (a != want) {
		attrs_dump("got", a);
		attrs_dump("want", want);
		rib_attrs_unref(x->t, want);
		fail_msg("%s: attributes differ", what);
	}
	rib_attrs_unref(x->t, want);
}

/* The receiver has p with the attributes b describes (NULL: not at all). */
void
expect_route(struct rx *x, const struct rib_prefix *p, struct kb *b)
{
	struct view_ent *e = rx_find(x, p);
	char what[64];

	snprintf(what, sizeof(what), "%s", pfx_str(p));
	if (b == NULL) {
		if (e != NULL) {
			attrs_dump("got", e->a);
			fail_msg("%s was sent", what);
		}
		return;
	}
	if (e == NULL)
		fail_msg("%s was not sent", what);
	expect_attrs(x, e->a, b, what);
}

/* Flushes peer completely into rc (reset first); checks the result. */
void
flush_all(struct rib *r, uint16_t peer, struct rec *rc)
{
	rec_reset(rc);
	rc->accept = SIZE_MAX;
	assert_true(rib_out_flush(r, peer, rc->max, rec_send, rc));
	assert_false(rib_out_pending(r, peer));
}

/* Flushes and applies; returns the number of messages. */
size_t
flush_apply(struct rib *r, uint16_t peer, struct rec *rc, struct rx *x)
{
	flush_all(r, peer, rc);
	rx_apply_all(x, rc);
	return rc->n;
}

/* ==== 3. outbound ==== */

/* NLRI of n prefixes of one family, as the codec would give them. */
size_t
nlri_of(const struct rib_prefix *p, size_t n, uint8_t *buf, size_t cap)
{
	struct wire_prefix wp;
	size_t len = 0, i, k;

	for (i = 0; i < n; i++) {
		memset(&wp, 0, sizeof(wp));
		wp.afi = p[i].afi;
		wp.len = p[i].len;
		memcpy(wp.addr, p[i].addr, 16);
		k = wire_nlri_encode(&wp, false, buf + len, cap - len);
		assert_true(k > 0);
		len += k;
	}
	return len;
}

/* What an eBGP peer gets: our AS first, our next hop, no MED (§5.1). */
void
kb_to_ebgp(struct kb *b, uint16_t peer, uint8_t afi, bool local)
{
	uint8_t nh6[16];

	kb_prepend(b, AS_OURS);
	b->k.flags &= (uint16_t) ~(RIB_A_LOCAL_PREF | RIB_A_ORIGINATOR);
	if (!local)
		b->k.flags &= (uint16_t)~RIB_A_MED;
	b->k.med = b->k.flags & RIB_A_MED ? b->k.med : 0;
	b->k.local_pref = 0;
	b->k.originator_id = 0;
	b->k.cluster_len = 0;
	memset(b->k.nexthop, 0, sizeof(b->k.nexthop));
	if (afi == BGP_AFI_IPV4) {
		b->k.nh_len = 4;
		put32(b->k.nexthop, our_nh4(peer));
	} else {
		our_nh6(peer, nh6);
		kb_nh6(b, nh6);
	}
}

/* Reads back what rib_add was given, after rib_process. */
void
expect_best(struct rib *r, const struct rib_prefix *p, uint16_t peer,
    const struct rib_attrs *a)
{
	struct rib_dest *d = rib_lookup(r, p);

	if (a == NULL) {
		if (d != NULL && d->nbest > 0)
			fail_msg("%s has a best path", pfx_str(p));
		return;
	}
	if (d == NULL || d->nbest == 0)
		fail_msg("%s has no best path", pfx_str(p));
	if (d->paths->peer != peer || d->best != a || d->paths->attrs != a)
		fail_msg("%s: best from peer %u, want %u", pfx_str(p),
		    d->paths->peer, peer);
}

/* What an iBGP peer gets of a route from an eBGP peer: LOCAL_PREF 100. */
void
kb_to_ibgp(struct kb *b)
{
	if (!(b->k.flags & RIB_A_LOCAL_PREF))
		kb_lp(b, LP_DEFAULT);
}

/* RFC 4456 §8: reflected, with ORIGINATOR_ID and our CLUSTER_ID first. */
void
kb_reflect(struct kb *b, uint32_t src_rid, uint32_t cluster_id)
{
	uint8_t old[sizeof(b->cluster)];
	uint16_t n = b->k.cluster_len;

	kb_to_ibgp(b);
	if (!(b->k.flags & RIB_A_ORIGINATOR))
		kb_oid(b, src_rid);
	memcpy(old, b->cluster, n);
	put32(b->cluster, cluster_id);
	memcpy(b->cluster + 4, old, n);
	b->k.cluster_len = (uint16_t)(n + 4);
}
