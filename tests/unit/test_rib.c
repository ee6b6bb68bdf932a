/*
 * test_rib.c: the RIB library (rib/table.c, attrs.c, rib.c, adjout.c)
 * through its public API, with rib_int.h where the inside must be
 * seen; built from the files of rib/ and the wire codec.  The decision
 * process has its own test (test_decide.c); here a reference written
 * from RFC 4271 §9.1.2.2 only cross-checks it in the model.
 *
 * 1. Interning: equal keys share one set, any field tells sets apart,
 *    the last unref frees, decoded attributes round-trip to the wire.
 * 2. The prefix table: insertion, growth, deletion by backward shift in
 *    random order (wrapping probe runs included), ordered walks.
 * 3. Outbound: the exact UPDATE stream a peer receives, decoded with the
 *    codec: packing, the export rules of RFC 4271 §5.1, RFC 1997 and
 *    RFC 4456, End-of-RIB (RFC 4724 §2), backpressure, restart, refresh,
 *    attributes too large for a message, memory under churn.
 * 4. Graceful restart (RFC 4724): stale marks and the sweep.
 * 5. Memory: a full table in and out leaves nothing behind.
 * 6. A model: random announce / replace / withdraw / peer down / stale
 *    and sweep / sessions down and up / cut-short flushes / refreshes,
 *    checked after every rib_process against arrays kept here, a
 *    reference decision and the views of three receivers.
 *
 * TEST_RIB_ROUTES sets the size of case 5 (default 1,000,000).  One
 * argument runs only the tests matching it ("test_out_*").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dxbgp/bytes.h>

#include <arpa/inet.h>

#include <cmocka.h>

#include <dxbgp/bgp.h>
#include <dxbgp/wire.h>

#include "rib_int.h"

#define IP4(a, b, c, d)                                                        \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |      \
	    (uint32_t)(d))

#define AS_OURS  62610u
#define RID_OURS IP4(10, 0, 0, 2)
#define AS_AWS   64512u
#define AS_TENC  45090u
#define AS_CUST  65001u

#define LP_DEFAULT 100 /* RFC 4271 §5.1.5, what iBGP peers get */

/* ---- small helpers ---- */

/* splitmix64: fixed seeds, the same sequence everywhere. */
static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static size_t
rnd_below(uint64_t *s, size_t n)
{
	return (size_t)(rnd(s) % n);
}

static void
shuffle(uint64_t *s, size_t *v, size_t n)
{
	size_t i, j, t;

	for (i = n; i > 1; i--) {
		j = rnd_below(s, i);
		t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* ---- prefixes ---- */

static struct rib_prefix
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

static struct rib_prefix
pfx4(uint32_t addr, uint8_t len)
{
	uint8_t b[4];

	put32(b, addr);
	return pfx_make(BGP_AFI_IPV4, b, len);
}

/* 2001:db8:<w2>:<w3>::/len */
static struct rib_prefix
pfx6(uint16_t w2, uint16_t w3, uint8_t len)
{
	uint8_t b[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	b[4] = (uint8_t)(w2 >> 8);
	b[5] = (uint8_t)w2;
	b[6] = (uint8_t)(w3 >> 8);
	b[7] = (uint8_t)w3;
	return pfx_make(BGP_AFI_IPV6, b, len);
}

static bool
pfx_eq(const struct rib_prefix *a, const struct rib_prefix *b)
{
	return a->afi == b->afi && a->len == b->len &&
	    memcmp(a->addr, b->addr, 16) == 0;
}

static int
pfx_cmp(const struct rib_prefix *a, const struct rib_prefix *b)
{
	int c = memcmp(a->addr, b->addr, a->afi == BGP_AFI_IPV4 ? 4 : 16);

	if (c != 0)
		return c;
	return (int)a->len - (int)b->len;
}

/* Text of a prefix, in one of a few rotating buffers. */
static const char *
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

/* ---- attribute keys, built field by field ---- */

/* A key and the buffers it points to; pointers are set by kb_key(). */
struct kb {
	struct rib_attrs_key k;
	uint8_t path[256], comm[64], lcomm[64], ecomm[64], cluster[64];
	uint8_t unknown[4200];
};

static void
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

static void
kb_nh6(struct kb *b, const uint8_t nh[16])
{
	b->k.nh_len = 16;
	memcpy(b->k.nexthop, nh, 16);
}

/* Appends a segment of n AS numbers. */
static void
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

static void
kb_med(struct kb *b, uint32_t v)
{
	b->k.flags |= RIB_A_MED;
	b->k.med = v;
}

static void
kb_lp(struct kb *b, uint32_t v)
{
	b->k.flags |= RIB_A_LOCAL_PREF;
	b->k.local_pref = v;
}

static void
kb_oid(struct kb *b, uint32_t v)
{
	b->k.flags |= RIB_A_ORIGINATOR;
	b->k.originator_id = v;
}

static void
kb_aggr(struct kb *b, uint32_t as, uint32_t addr)
{
	b->k.flags |= RIB_A_AGGREGATOR;
	b->k.aggr_as = as;
	b->k.aggr_addr = addr;
}

static void
kb_comm(struct kb *b, uint32_t c)
{
	assert_true(b->k.comm_len + 4u <= sizeof(b->comm));
	put32(b->comm + b->k.comm_len, c);
	b->k.comm_len += 4;
}

static void
kb_lcomm(struct kb *b, uint32_t g, uint32_t l1, uint32_t l2)
{
	assert_true(b->k.lcomm_len + 12u <= sizeof(b->lcomm));
	put32(b->lcomm + b->k.lcomm_len, g);
	put32(b->lcomm + b->k.lcomm_len + 4, l1);
	put32(b->lcomm + b->k.lcomm_len + 8, l2);
	b->k.lcomm_len += 12;
}

static void
kb_ecomm(struct kb *b, uint32_t hi, uint32_t lo)
{
	assert_true(b->k.ecomm_len + 8u <= sizeof(b->ecomm));
	put32(b->ecomm + b->k.ecomm_len, hi);
	put32(b->ecomm + b->k.ecomm_len + 4, lo);
	b->k.ecomm_len += 8;
}

static void
kb_cluster(struct kb *b, uint32_t id)
{
	assert_true(b->k.cluster_len + 4u <= sizeof(b->cluster));
	put32(b->cluster + b->k.cluster_len, id);
	b->k.cluster_len += 4;
}

/* Appends an encoded unknown attribute of n octets of v. */
static void
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

static const struct rib_attrs_key *
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

static struct rib_attrs *
kb_intern(struct rib *r, struct kb *b)
{
	return rib_attrs_intern(r, kb_key(b));
}

static bool
kb_has_comm(const struct kb *b, uint32_t c)
{
	uint16_t i;

	for (i = 0; i + 4 <= b->k.comm_len; i += 4)
		if (get32(b->comm + i) == c)
			return true;
	return false;
}

/* Prepends as to the path, joining a leading AS_SEQUENCE (§5.1.2). */
static void
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

static void
hexdump(const char *what, const uint8_t *p, size_t n)
{
	size_t i;

	print_message("    %s (%zu):", what, n);
	for (i = 0; i < n && i < 64; i++)
		print_message(" %02x", p[i]);
	print_message(n > 64 ? " ...\n" : "\n");
}

static void
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

/* ---- a RIB and its peers ---- */

/*
 * The peers of the scripted cases.  Our address toward peer i is
 * 10.0.i.2 (2001:db8:i::2); its address is 10.0.i.1.
 */
enum {
	P_EBGP1 = 1,   /* eBGP, AS 64512: where most routes come from */
	P_EBGP2 = 2,   /* eBGP, AS 45090: the receiver */
	P_IBGP3 = 3,   /* iBGP */
	P_IBGP4 = 4,   /* iBGP */
	P_CLIENT5 = 5, /* iBGP, route-reflector client */
	P_CLIENT6 = 6, /* iBGP, route-reflector client */
	P_EBGP7 = 7,   /* eBGP, AS 65001 */
	NPEERDEF,
};

static const struct peer_def {
	uint32_t asn;
	uint32_t rid;
	bool ibgp, client;
} peer_defs[NPEERDEF] = {
	[P_EBGP1] = { AS_AWS, IP4(10, 0, 1, 1), false, false },
	[P_EBGP2] = { AS_TENC, IP4(10, 0, 2, 1), false, false },
	[P_IBGP3] = { AS_OURS, IP4(10, 1, 0, 3), true, false },
	[P_IBGP4] = { AS_OURS, IP4(10, 1, 0, 4), true, false },
	[P_CLIENT5] = { AS_OURS, IP4(10, 1, 0, 5), true, true },
	[P_CLIENT6] = { AS_OURS, IP4(10, 1, 0, 6), true, true },
	[P_EBGP7] = { AS_CUST, IP4(10, 0, 7, 1), false, false },
};

static uint32_t
our_nh4(uint16_t peer)
{
	return IP4(10, 0, peer, 2);
}

static void
our_nh6(uint16_t peer, uint8_t nh[16])
{
	static const uint8_t base[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 2 };

	memcpy(nh, base, 16);
	nh[4] = (uint8_t)(peer >> 8);
	nh[5] = (uint8_t)peer;
}

/* The next hop a peer puts on its own routes (10.0.i.1, 2001:db8:i::1). */
static uint32_t
peer_nh4(uint16_t peer)
{
	return IP4(10, 0, peer, 1);
}

static void
peer_nh6(uint16_t peer, uint8_t nh[16])
{
	our_nh6(peer, nh);
	nh[15] = 1;
}

static struct rib *
rib_make(void)
{
	struct rib_config c = { .asn = AS_OURS, .router_id = RID_OURS };

	return rib_new(&c, NULL);
}

static void
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
static void
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

/* ---- recording what a peer is sent ---- */

struct rec {
	uint8_t **msg;
	size_t *len;
	size_t n, cap;
	size_t accept; /* send() refuses once n reaches this */
	size_t max;    /* the size given to rib_out_flush */
	size_t refused;
};

static void
rec_init(struct rec *rc, size_t max)
{
	memset(rc, 0, sizeof(*rc));
	rc->accept = SIZE_MAX;
	rc->max = max;
}

static void
rec_reset(struct rec *rc)
{
	size_t i;

	for (i = 0; i < rc->n; i++)
		free(rc->msg[i]);
	rc->n = 0;
	rc->refused = 0;
}

static void
rec_clean(struct rec *rc)
{
	rec_reset(rc);
	free(rc->msg);
	free(rc->len);
	memset(rc, 0, sizeof(*rc));
}

static bool
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

/* ---- a receiver: decodes what it is sent, keeps prefix -> attributes */

#define UPD_MAXP 16384

/* One decoded UPDATE. */
struct upd {
	size_t len;
	bool eor;
	uint16_t afi; /* of the prefixes, or of the End-of-RIB */
	size_t nwd, nann;
	struct rib_prefix wd[UPD_MAXP], ann[UPD_MAXP];
	struct rib_attrs *a; /* announced attributes (lent by the view) */
	uint64_t have;       /* attributes present (WIRE_HAVE) */
};

struct view_ent {
	struct rib_prefix pfx;
	struct rib_attrs *a; /* a reference, in the receiver's table */
};

struct rx {
	struct rib *t; /* a table of the receiver's own, for interning */
	bool ibgp;
	struct view_ent *v;
	size_t nv, cap;
	unsigned int eor[2];
	unsigned int eorr[2]; /* RFC 7313 EoRR received */
	size_t nmsg, nann, nwd, ndup;
	uint8_t *scratch;
	uint8_t *ubuf;
	struct upd u;
};

static struct rx *
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
static void
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

static void
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

static struct view_ent *
rx_find(struct rx *x, const struct rib_prefix *p)
{
	size_t i;

	for (i = 0; i < x->nv; i++)
		if (pfx_eq(&x->v[i].pfx, p))
			return &x->v[i];
	return NULL;
}

static void
rx_withdrawn(struct rx *x, const struct rib_prefix *p)
{
	struct view_ent *e = rx_find(x, p);

	if (e == NULL)
		fail_msg("%s withdrawn, never announced", pfx_str(p));
	rib_attrs_unref(x->t, e->a);
	*e = x->v[--x->nv];
	x->nwd++;
}

static void
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

static size_t
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
static struct upd *
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
static void
rx_apply_all(struct rx *x, const struct rec *rc)
{
	size_t i;

	for (i = 0; i < rc->n; i++)
		rx_apply(x, rc->msg[i], rc->len[i]);
}

/* Fails unless a (in the receiver's table) is what b describes. */
static void
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
static void
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
static void
flush_all(struct rib *r, uint16_t peer, struct rec *rc)
{
	rec_reset(rc);
	rc->accept = SIZE_MAX;
	assert_true(rib_out_flush(r, peer, rc->max, rec_send, rc));
	assert_false(rib_out_pending(r, peer));
}

/* Flushes and applies; returns the number of messages. */
static size_t
flush_apply(struct rib *r, uint16_t peer, struct rec *rc, struct rx *x)
{
	flush_all(r, peer, rc);
	rx_apply_all(x, rc);
	return rc->n;
}

/* ==== 1. interning ==== */

/* A key with every field set. */
static void
kb_full(struct kb *b)
{
	kb_init(b, BGP_ORIGIN_EGP, IP4(192, 0, 2, 1));
	kb_seg(b, BGP_SEG_SEQUENCE, 2, AS_AWS, AS_CUST);
	kb_seg(b, BGP_SEG_SET, 2, 65010u, 65011u);
	kb_med(b, 50);
	kb_lp(b, 150);
	kb_oid(b, IP4(10, 1, 0, 9));
	kb_aggr(b, AS_AWS, IP4(10, 0, 1, 1));
	b->k.flags |= RIB_A_ATOMIC_AGGR;
	kb_comm(b, 65000u << 16 | 1);
	kb_comm(b, 65000u << 16 | 2);
	kb_lcomm(b, AS_OURS, 1, 2);
	kb_ecomm(b, 0x00020000u | (AS_OURS >> 16), AS_OURS << 16 | 7);
	kb_cluster(b, IP4(10, 1, 0, 1));
	kb_unknown(b, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE, 99, 3, 0xab);
}

/* Each changes one field of a full key. */
static void
mut_flags(struct kb *b)
{
	b->k.flags &= (uint16_t)~RIB_A_ATOMIC_AGGR;
}
static void
mut_origin(struct kb *b)
{
	b->k.origin = BGP_ORIGIN_INCOMPLETE;
}
static void
mut_nh_len(struct kb *b)
{
	b->k.nh_len = 16; /* the same first four octets */
}
static void
mut_nexthop(struct kb *b)
{
	b->k.nexthop[3] ^= 1;
}
static void
mut_med(struct kb *b)
{
	b->k.med++;
}
static void
mut_lp(struct kb *b)
{
	b->k.local_pref++;
}
static void
mut_oid(struct kb *b)
{
	b->k.originator_id++;
}
static void
mut_aggr_as(struct kb *b)
{
	b->k.aggr_as++;
}
static void
mut_aggr_addr(struct kb *b)
{
	b->k.aggr_addr++;
}
static void
mut_aspath(struct kb *b)
{
	b->path[5] ^= 1;
}
static void
mut_aspath_len(struct kb *b)
{
	kb_seg(b, BGP_SEG_SEQUENCE, 1, AS_AWS);
}
static void
mut_comm(struct kb *b)
{
	b->comm[7] ^= 1;
}
static void
mut_comm_len(struct kb *b)
{
	b->k.comm_len -= 4;
}
static void
mut_lcomm(struct kb *b)
{
	b->lcomm[11] ^= 1;
}
static void
mut_lcomm_len(struct kb *b)
{
	kb_lcomm(b, 1, 2, 3);
}
static void
mut_ecomm(struct kb *b)
{
	b->ecomm[7] ^= 1;
}
static void
mut_ecomm_len(struct kb *b)
{
	kb_ecomm(b, 1, 2);
}
static void
mut_cluster(struct kb *b)
{
	b->cluster[3] ^= 1;
}
static void
mut_cluster_len(struct kb *b)
{
	kb_cluster(b, 7);
}
static void
mut_unknown(struct kb *b)
{
	b->unknown[3] ^= 1;
}
static void
mut_unknown_len(struct kb *b)
{
	kb_unknown(b, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE, 100, 1, 0);
}

static void (*const mutations[])(struct kb *) = {
	mut_flags,
	mut_origin,
	mut_nh_len,
	mut_nexthop,
	mut_med,
	mut_lp,
	mut_oid,
	mut_aggr_as,
	mut_aggr_addr,
	mut_aspath,
	mut_aspath_len,
	mut_comm,
	mut_comm_len,
	mut_lcomm,
	mut_lcomm_len,
	mut_ecomm,
	mut_ecomm_len,
	mut_cluster,
	mut_cluster_len,
	mut_unknown,
	mut_unknown_len,
};
#define NMUT (sizeof(mutations) / sizeof(mutations[0]))

static void
test_attrs_intern(void **state)
{
	struct rib *r = rib_make();
	struct rib_attrs_stats s0, s;
	struct kb b1, b2, v;
	struct rib_attrs_key k;
	struct rib_attrs *a, *a2, *var[NMUT], *c;
	size_t i, j;

	rib_attrs_stats(r, &s0);
	assert_int_equal(s0.sets, 0);
	assert_int_equal(s0.bytes, 0);

	/* The same key twice, from two sets of buffers: one set. */
	kb_full(&b1);
	kb_full(&b2);
	a = kb_intern(r, &b1);
	a2 = kb_intern(r, &b2);
	assert_ptr_equal(a, a2);
	assert_int_equal(a->refcnt, 2);
	assert_int_equal(a->flags, b1.k.flags);
	assert_int_equal(a->origin, BGP_ORIGIN_EGP);
	assert_int_equal(a->med, 50);
	assert_int_equal(a->local_pref, 150);
	assert_int_equal(a->aspath_hops, 3); /* a set counts one */
	assert_int_equal(a->first_as, AS_AWS);
	assert_int_equal(a->aspath_len, b1.k.aspath_len);
	assert_memory_equal(rib_attrs_aspath(a), b1.path, b1.k.aspath_len);
	assert_memory_equal(rib_attrs_comm(a), b1.comm, b1.k.comm_len);
	assert_memory_equal(rib_attrs_lcomm(a), b1.lcomm, b1.k.lcomm_len);
	assert_memory_equal(rib_attrs_ecomm(a), b1.ecomm, b1.k.ecomm_len);
	assert_memory_equal(rib_attrs_cluster(a), b1.cluster, b1.k.cluster_len);
	assert_memory_equal(rib_attrs_unknown(a), b1.unknown, b1.k.unknown_len);
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, 1);
	assert_int_equal(s.refs, 2);
	assert_true(s.bytes > 0);

	/* Any one field different: another set, each distinct. */
	for (i = 0; i < NMUT; i++) {
		kb_full(&v);
		mutations[i](&v);
		var[i] = kb_intern(r, &v);
		if (var[i] == a)
			fail_msg("mutation %zu gives the same set", i);
		assert_int_equal(var[i]->refcnt, 1);
		for (j = 0; j < i; j++)
			if (var[i] == var[j])
				fail_msg(
				    "mutations %zu and %zu: one set", j, i);
	}
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, 1 + NMUT);

	/* The same octets split differently between arrays: not equal. */
	kb_init(&b1, BGP_ORIGIN_IGP, 0);
	kb_comm(&b1, 0x01020304);
	kb_init(&b2, BGP_ORIGIN_IGP, 0);
	kb_cluster(&b2, 0x01020304);
	c = kb_intern(r, &b1);
	a2 = kb_intern(r, &b2);
	assert_ptr_not_equal(c, a2);
	rib_attrs_unref(r, c);
	rib_attrs_unref(r, a2);

	/* A key of a set gives the set back; changed, another one. */
	rib_attrs_key_of(a, &k);
	assert_ptr_equal(rib_attrs_intern(r, &k), a);
	assert_int_equal(a->refcnt, 3);
	rib_attrs_unref(r, a);
	for (i = 0; i < NMUT; i++) {
		rib_attrs_key_of(var[i], &k);
		assert_ptr_equal(rib_attrs_intern(r, &k), var[i]);
		assert_int_equal(var[i]->refcnt, 2);
		rib_attrs_unref(r, var[i]);
	}
	rib_attrs_key_of(a, &k);
	k.med = 51;
	c = rib_attrs_intern(r, &k);
	assert_ptr_not_equal(c, a);
	assert_int_equal(a->med, 50); /* the original is untouched */
	rib_attrs_unref(r, c);

	/* Unref to zero frees: the stats are back where they started. */
	for (i = 0; i < NMUT; i++)
		rib_attrs_unref(r, var[i]);
	rib_attrs_unref(r, a);
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, 1);
	assert_int_equal(s.refs, 1);
	rib_attrs_unref(r, a);
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, s0.sets);
	assert_int_equal(s.bytes, s0.bytes);
	assert_int_equal(s.refs, 0);
	rib_free(r);
}

/* Many sets: the hash table grows and finds every one again. */
static void
test_attrs_many(void **state)
{
	enum { N = 20000 };
	struct rib *r = rib_make();
	struct rib_attrs **v = calloc(N, sizeof(*v));
	struct rib_attrs_stats s;
	struct kb b;
	size_t i;

	assert_non_null(v);
	for (i = 0; i < N; i++) {
		kb_init(&b, BGP_ORIGIN_IGP, IP4(10, 0, 0, 1));
		kb_seg(&b, BGP_SEG_SEQUENCE, 2, AS_AWS, (uint32_t)(100000 + i));
		v[i] = kb_intern(r, &b);
	}
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, N);
	assert_true(s.buckets >= N / 2);
	for (i = 0; i < N; i++) {
		kb_init(&b, BGP_ORIGIN_IGP, IP4(10, 0, 0, 1));
		kb_seg(&b, BGP_SEG_SEQUENCE, 2, AS_AWS, (uint32_t)(100000 + i));
		assert_ptr_equal(kb_intern(r, &b), v[i]);
		assert_int_equal(v[i]->refcnt, 2);
	}
	for (i = 0; i < N; i++) {
		rib_attrs_unref(r, v[i]);
		rib_attrs_unref(r, v[i]);
	}
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, 0);
	assert_int_equal(s.bytes, 0);
	assert_int_equal(s.refs, 0);
	free(v);
	rib_free(r);
}

static size_t
hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned int v;

	while (*s != '\0') {
		if (*s == ' ' || *s == '|') {
			s++;
			continue;
		}
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		assert_true(n < cap);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/*
 * Decoded attributes to a key and back to the wire.  The unknown
 * transitive attributes come back with Partial set; the unknown
 * non-transitive one is dropped by the decoder.
 */
static void
test_attrs_wire(void **state)
{
	static const char in4[] =
	    "40 01 01 00 "                         /* ORIGIN IGP */
	    "40 02 0a 02 02 0000fc00 0000fde9 "    /* AS_PATH 64512 65001 */
	    "40 03 04 c0000201 "                   /* NEXT_HOP 192.0.2.1 */
	    "80 04 04 00000007 "                   /* MED 7 */
	    "c0 08 08 fde80001 ffffff01 "          /* 65000:1 NO_EXPORT */
	    "c0 20 0c 0000f492 00000001 00000002 " /* LARGE 62610:1:2 */
	    "c0 63 03 aabbcc "                     /* unknown 99 */
	    "80 64 02 0102 "                       /* unknown 100, non-tr. */
	    "d0 65 012c ";                         /* unknown 101, 300 octets */
	static const char out4[] =
	    "40 01 01 00 40 02 0a 02 02 0000fc00 0000fde9 40 03 04 c0000201 "
	    "80 04 04 00000007 c0 08 08 fde80001 ffffff01 "
	    "c0 20 0c 0000f492 00000001 00000002 "
	    "e0 63 03 aabbcc " /* Partial set */
	    "f0 65 012c ";
	static const char want_unknown[] = "e0 63 03 aabbcc f0 65 012c";
	struct wire_ctx ctx = { .as4 = true };
	struct wire_attrs w, w2;
	struct wire_err err;
	struct rib_attrs_key k;
	struct rib_attrs *a, *a2;
	struct rib *r = rib_make();
	uint8_t *scratch = malloc(WIRE_SCRATCH_LEN);
	uint8_t *ubuf = malloc(65536);
	uint8_t sec[1024], want[1024], out[1024], u[400];
	size_t n, un, wn, on;

	assert_non_null(scratch);
	assert_non_null(ubuf);
	ctx.scratch = scratch;
	n = hex(in4, sec, sizeof(sec));
	memset(sec + n, 0x5a, 300);
	n += 300;
	assert_int_equal(
	    wire_attrs_decode(&ctx, sec, n, true, &w, &err), WIRE_OK);
	assert_int_equal(w.n_unknown, 2);

	rib_attrs_key_from_wire(&w, BGP_AFI_IPV4, &k, ubuf);
	assert_int_equal(k.nh_len, 4);
	assert_int_equal(get32(k.nexthop), IP4(192, 0, 2, 1));
	assert_int_equal(k.flags, RIB_A_ASPATH | RIB_A_MED);
	assert_int_equal(k.med, 7);
	assert_int_equal(k.origin, BGP_ORIGIN_IGP);
	assert_int_equal(k.aspath_len, 10);
	assert_int_equal(k.comm_len, 8);
	assert_int_equal(k.lcomm_len, 12);
	un = hex(want_unknown, u, sizeof(u));
	memset(u + un, 0x5a, 300);
	un += 300;
	assert_int_equal(k.unknown_len, un);
	assert_memory_equal(k.unknown, u, un);
	a = rib_attrs_intern(r, &k);
	assert_int_equal(a->aspath_hops, 2);
	assert_int_equal(a->first_as, AS_AWS);

	/* Back to the wire: the same section but for the dropped one. */
	rib_attrs_to_wire(a, &w2);
	on = wire_attrs_encode(&w2, true, out, sizeof(out));
	wn = hex(out4, want, sizeof(want));
	memset(want + wn, 0x5a, 300);
	wn += 300;
	assert_int_equal(on, wn);
	assert_memory_equal(out, want, wn);
	/* ... which decodes to the same set. */
	assert_int_equal(
	    wire_attrs_decode(&ctx, out, on, true, &w, &err), WIRE_OK);
	rib_attrs_key_from_wire(&w, BGP_AFI_IPV4, &k, ubuf);
	a2 = rib_attrs_intern(r, &k);
	assert_ptr_equal(a2, a);
	rib_attrs_unref(r, a2);
	rib_attrs_unref(r, a);

	/* IPv6: the next hop of MP_REACH_NLRI, global and link-local. */
	n = hex("40 01 01 02 "
		"40 02 06 02 01 0000b022 "
		"90 0e 002a 0002 01 20 "
		"20010db8000000000000000000000001 "
		"fe800000000000000000000000000001 "
		"00 20 20010db8 ",
	    sec, sizeof(sec));
	assert_int_equal(
	    wire_attrs_decode(&ctx, sec, n, false, &w, &err), WIRE_OK);
	rib_attrs_key_from_wire(&w, BGP_AFI_IPV6, &k, ubuf);
	assert_int_equal(k.nh_len, 32);
	assert_int_equal(k.nexthop[0], 0x20);
	assert_int_equal(k.nexthop[16], 0xfe);
	assert_int_equal(k.nexthop[31], 0x01);
	assert_int_equal(k.origin, BGP_ORIGIN_INCOMPLETE);
	assert_int_equal(k.unknown_len, 0);
	a = rib_attrs_intern(r, &k);
	assert_int_equal(a->first_as, AS_TENC);
	/* No NEXT_HOP and no MP attribute on the way out. */
	rib_attrs_to_wire(a, &w2);
	assert_false(w2.have & WIRE_HAVE(BGP_ATTR_NEXT_HOP));
	on = wire_attrs_encode(&w2, true, out, sizeof(out));
	wn = hex("40 01 01 02 40 02 06 02 01 0000b022", want, sizeof(want));
	assert_int_equal(on, wn);
	assert_memory_equal(out, want, wn);
	rib_attrs_unref(r, a);

	free(scratch);
	free(ubuf);
	rib_free(r);
}

/* ==== 2. the prefix table ==== */

/* n distinct random prefixes of every length of a family. */
static size_t
random_prefixes(uint64_t *seed, uint8_t afi, struct rib_prefix *out, size_t n)
{
	struct ptable t;
	struct rib_dest *d = calloc(n, sizeof(*d));
	unsigned int maxlen = afi == BGP_AFI_IPV4 ? 32 : 128, len;
	uint8_t addr[16];
	size_t m = 0, tries = 0, i;

	assert_non_null(d);
	ptable_init(&t);
	while (m < n && tries++ < 20 * n) {
		len = (unsigned int)rnd_below(seed, maxlen + 1);
		for (i = 0; i < 16; i += 8) {
			uint64_t v = rnd(seed);
			memcpy(addr + i, &v, 8);
		}
		d[m].pfx = pfx_make(afi, addr, (uint8_t)len);
		if (ptable_find(&t, &d[m].pfx) != NULL)
			continue;
		ptable_insert(&t, &d[m]);
		out[m] = d[m].pfx;
		m++;
	}
	ptable_clean(&t);
	free(d);
	return m;
}

/*
 * The table by itself: insertion with growth, then deletion in random
 * order; after every deletion the rest are all found.
 */
static void
table_churn(uint8_t afi, size_t n, size_t check_every, uint64_t seed)
{
	struct ptable t;
	struct rib_prefix *p = calloc(n, sizeof(*p));
	struct rib_dest *d = calloc(n, sizeof(*d));
	size_t *order = calloc(n, sizeof(*order));
	bool *in = calloc(n, sizeof(*in));
	size_t i, j, m;

	assert_non_null(p);
	assert_non_null(d);
	assert_non_null(order);
	assert_non_null(in);
	m = random_prefixes(&seed, afi, p, n);
	assert_true(m > n / 2);
	ptable_init(&t);
	for (i = 0; i < m; i++) {
		d[i].pfx = p[i];
		assert_null(ptable_find(&t, &p[i]));
		ptable_insert(&t, &d[i]);
		in[i] = true;
		assert_true(t.count * 2 <= t.nslot);
	}
	assert_int_equal(t.count, m);
	for (i = 0; i < m; i++)
		assert_ptr_equal(ptable_find(&t, &p[i]), &d[i]);
	for (i = 0; i < m; i++)
		order[i] = i;
	shuffle(&seed, order, m);
	for (i = 0; i < m; i++) {
		ptable_remove(&t, &d[order[i]]);
		in[order[i]] = false;
		assert_null(ptable_find(&t, &p[order[i]]));
		assert_int_equal(t.count, m - i - 1);
		if (i % check_every != 0 && i != m - 1)
			continue;
		for (j = 0; j < m; j++)
			if (in[j] && ptable_find(&t, &p[j]) != &d[j])
				fail_msg("%s lost after %zu deletions",
				    pfx_str(&p[j]), i + 1);
	}
	ptable_clean(&t);
	free(p);
	free(d);
	free(order);
	free(in);
}

static void
test_table_churn(void **state)
{
	table_churn(BGP_AFI_IPV4, 3000, 1, 1);
	table_churn(BGP_AFI_IPV6, 3000, 1, 2);
	table_churn(BGP_AFI_IPV4, 200000, 5000, 3);
	table_churn(BGP_AFI_IPV6, 100000, 5000, 4);
}

/*
 * A table kept at its fullest (half of 1024 slots) under random
 * insertions and deletions: long probe runs, including runs that wrap
 * past the last slot, and every one of them must survive deletions.
 */
static void
test_table_full_wrap(void **state)
{
	enum { POOL = 1500, STEPS = 8000 };
	uint64_t seed = 5;
	struct ptable t;
	struct rib_prefix *p = calloc(POOL, sizeof(*p));
	struct rib_dest *d = calloc(POOL, sizeof(*d));
	bool in[POOL] = { false };
	size_t i, k, wraps = 0;

	assert_non_null(p);
	assert_non_null(d);
	assert_int_equal(random_prefixes(&seed, BGP_AFI_IPV4, p, POOL), POOL);
	ptable_init(&t);
	assert_int_equal(t.nslot, 1024);
	for (i = 0; i < POOL; i++)
		d[i].pfx = p[i];
	for (i = 0; i < STEPS; i++) {
		k = rnd_below(&seed, POOL);
		if (in[k]) {
			ptable_remove(&t, &d[k]);
			in[k] = false;
		} else if ((t.count + 1) * 2 <= t.nslot) {
			ptable_insert(&t, &d[k]);
			in[k] = true;
		}
		assert_int_equal(t.nslot, 1024); /* never grew */
		if (t.slot[0] != NULL && t.slot[t.nslot - 1] != NULL)
			wraps++;
		for (k = 0; k < POOL; k++)
			if (ptable_find(&t, &p[k]) != (in[k] ? &d[k] : NULL))
				fail_msg("step %zu: %s %s", i, pfx_str(&p[k]),
				    in[k] ? "lost" : "found, not there");
	}
	assert_true(wraps > 100);
	ptable_clean(&t);
	free(p);
	free(d);
}

struct walk {
	struct rib_prefix last;
	size_t n;
	uint8_t afi;
};

static void
walk_fn(void *arg, const struct rib_dest *d)
{
	struct walk *w = arg;

	assert_int_equal(d->pfx.afi, w->afi);
	assert_non_null(d->paths);
	if (w->n > 0 && pfx_cmp(&w->last, &d->pfx) >= 0)
		fail_msg(
		    "walk: %s after %s", pfx_str(&d->pfx), pfx_str(&w->last));
	w->last = d->pfx;
	w->n++;
}

static void
walk_check(struct rib *r, uint8_t afi, size_t n)
{
	struct walk w = { .afi = afi };

	rib_walk(r, afi, walk_fn, &w);
	assert_int_equal(w.n, n);
}

/*
 * Through the RIB: routes of every length in, looked up, walked in
 * prefix order, deleted in random order in batches.
 */
static void
test_table_rib(void **state)
{
	enum { N4 = 20000, N6 = 20000 };
	uint64_t seed = 6;
	struct rib *r = rib_make();
	struct rib_prefix *p = calloc(N4 + N6, sizeof(*p));
	size_t *order = calloc(N4 + N6, sizeof(*order));
	bool *in = calloc(N4 + N6, sizeof(*in));
	struct rib_stats st;
	struct rib_attrs *a;
	struct rib_dest *d;
	struct kb b;
	size_t n4, n6, n, i, j, left[2];

	assert_non_null(p);
	assert_non_null(order);
	assert_non_null(in);
	peer_add(r, P_EBGP1, RIB_AF_IPV4 | RIB_AF_IPV6);
	kb_from_peer(&b, P_EBGP1, BGP_AFI_IPV4);
	a = kb_intern(r, &b);
	n4 = random_prefixes(&seed, BGP_AFI_IPV4, p, N4);
	n6 = random_prefixes(&seed, BGP_AFI_IPV6, p + n4, N6);
	n = n4 + n6;
	for (i = 0; i < n; i++) {
		rib_add(r, P_EBGP1, &p[i], 0, a);
		in[i] = true;
		order[i] = i;
	}
	rib_process(r);
	rib_stats(r, &st);
	assert_int_equal(st.prefixes[0], n4);
	assert_int_equal(st.prefixes[1], n6);
	assert_int_equal(st.paths, n);
	assert_int_equal(rib_peer_count(r, P_EBGP1, 0), n4);
	assert_int_equal(rib_peer_count(r, P_EBGP1, 1), n6);
	for (i = 0; i < n; i++) {
		d = rib_lookup(r, &p[i]);
		assert_non_null(d);
		assert_true(pfx_eq(&d->pfx, &p[i]));
		assert_ptr_equal(d->best, a);
	}
	walk_check(r, BGP_AFI_IPV4, n4);
	walk_check(r, BGP_AFI_IPV6, n6);

	shuffle(&seed, order, n);
	left[0] = n4;
	left[1] = n6;
	for (i = 0; i < n; i++) {
		rib_del(r, P_EBGP1, &p[order[i]], 0);
		in[order[i]] = false;
		left[rib_afidx(p[order[i]].afi)]--;
		if (i % 4000 != 3999 && i != n - 1)
			continue;
		rib_process(r);
		for (j = 0; j < n; j++) {
			d = rib_lookup(r, &p[j]);
			if (in[j] && (d == NULL || d->best != a))
				fail_msg("%s lost", pfx_str(&p[j]));
			if (!in[j] && d != NULL)
				fail_msg("%s still there", pfx_str(&p[j]));
		}
		walk_check(r, BGP_AFI_IPV4, left[0]);
		walk_check(r, BGP_AFI_IPV6, left[1]);
	}
	rib_stats(r, &st);
	assert_int_equal(st.prefixes[0] + st.prefixes[1] + st.paths, 0);
	assert_int_equal(st.attrs.sets, 1);
	rib_attrs_unref(r, a);
	rib_stats(r, &st);
	assert_int_equal(st.attrs.sets, 0);
	rib_free(r);
	free(p);
	free(order);
	free(in);
}

/* The slabs recycle records and give every live one its own memory. */
static void
test_slab(void **state)
{
	enum { N = 5000 };
	struct slab s;
	uint8_t *v[N];
	size_t i, j;

	slab_init(&s, 3, 64);
	assert_int_equal(s.size, 8); /* room for the free-list link */
	for (i = 0; i < N; i++) {
		v[i] = slab_alloc(&s);
		memset(v[i], (int)(i & 0xff), 3);
	}
	assert_int_equal(s.used, N);
	assert_int_equal(s.nchunks, (N + 63) / 64);
	for (i = 0; i < N; i++)
		for (j = 0; j < 3; j++)
			assert_int_equal(v[i][j], i & 0xff);
	for (i = 0; i < N; i += 2)
		slab_free(&s, v[i]);
	assert_int_equal(s.used, N / 2);
	for (i = 0; i < N; i += 2)
		v[i] = slab_alloc(&s);
	assert_int_equal(s.nchunks, (N + 63) / 64); /* recycled, no growth */
	slab_clean(&s);
}

/* ==== 3. outbound ==== */

/* NLRI of n prefixes of one family, as the codec would give them. */
static size_t
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

/* One group of messages: one attribute set (or withdrawals), one family. */
struct pack_group {
	const struct rib_attrs *a;
	uint16_t afi;
	size_t msgs, partial, prefixes;
};

struct pack {
	struct pack_group g[64];
	size_t ng;
	size_t eor_at[2]; /* message index + 1 of each End-of-RIB */
	size_t neor;
};

/*
 * Applies every recorded message to the receiver and checks the
 * packing: within one group, every message but one is full (not even a
 * /32, or a /128, would have fitted), and no message mixes families.
 */
static void
apply_packed(struct rx *x, const struct rec *rc, struct pack *pk)
{
	struct pack_group *g;
	struct upd *u;
	size_t i, j, room;

	memset(pk, 0, sizeof(*pk));
	for (i = 0; i < rc->n; i++) {
		u = rx_apply(x, rc->msg[i], rc->len[i]);
		if (u->eor) {
			pk->eor_at[rib_afidx((uint8_t)u->afi)] = i + 1;
			pk->neor++;
			continue;
		}
		for (j = 0; j < u->nwd; j++)
			assert_int_equal(u->wd[j].afi, u->afi);
		for (j = 0; j < u->nann; j++)
			assert_int_equal(u->ann[j].afi, u->afi);
		/* withdrawals and announcements travel apart */
		assert_true(u->nwd == 0 || u->nann == 0);
		for (j = 0; j < pk->ng; j++)
			if (pk->g[j].a == u->a && pk->g[j].afi == u->afi)
				break;
		if (j == pk->ng) {
			assert_true(pk->ng < 64);
			pk->g[pk->ng].a = u->a;
			pk->g[pk->ng++].afi = u->afi;
		}
		g = &pk->g[j];
		g->msgs++;
		g->prefixes += u->nwd + u->nann;
		room = u->afi == BGP_AFI_IPV4 ? 5 : 17;
		if (u->len + room <= rc->max)
			g->partial++;
		if (g->partial > 1)
			fail_msg("message %zu: a second message of its group "
				 "with room left (%zu octets)",
			    i, u->len);
	}
}

static struct pack_group *
pack_find(struct pack *pk, struct rx *x, struct kb *b, uint16_t afi)
{
	struct rib_attrs *a = b != NULL ? kb_intern(x->t, b) : NULL;
	size_t i;

	for (i = 0; i < pk->ng; i++)
		if (pk->g[i].a == a && pk->g[i].afi == afi)
			break;
	if (a != NULL)
		rib_attrs_unref(x->t, a);
	if (i == pk->ng)
		fail_msg("no message with these attributes");
	return &pk->g[i];
}

/* The octets of the attributes b describes, encoded. */
static size_t
wire_len(struct rx *x, struct kb *b)
{
	struct rib_attrs *a = kb_intern(x->t, b);
	struct wire_attrs w;
	uint8_t buf[8192];
	size_t n;

	rib_attrs_to_wire(a, &w);
	n = wire_attrs_encode(&w, true, buf, sizeof(buf));
	rib_attrs_unref(x->t, a);
	assert_true(n > 0);
	return n;
}

/* What an eBGP peer gets: our AS first, our next hop, no MED (§5.1). */
static void
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

/* Unknown attributes arrive with Partial set (RFC 4271 §5). */
static void
kb_partial(struct kb *b)
{
	size_t i, hl;

	for (i = 0; i < b->k.unknown_len; i += hl) {
		b->unknown[i] |= BGP_ATTR_F_PARTIAL;
		hl = (b->unknown[i] & BGP_ATTR_F_EXTLEN)
		    ? 4 + ((size_t)b->unknown[i + 2] << 8 | b->unknown[i + 3])
		    : 3 + (size_t)b->unknown[i + 2];
	}
}

/* Reads back what rib_add was given, after rib_process. */
static void
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

/*
 * The first full table to an eBGP peer: packing, the attributes it
 * gets, End-of-RIB last and once; then changes, withdrawals, routes
 * never sent back, and nothing withdrawn that was never sent.
 */
static void
test_out_ebgp(void **state)
{
	enum { NA = 1500, NB = 10, NC = 3 };
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct pack pk;
	struct pack_group *g;
	struct kb ka, kbb, kc, kl, kn, kw, w;
	struct rib_attrs *a, *b, *c, *l, *ne, *worse, *own;
	struct rib_prefix pa[NA], pb[NB], pc[NC], pl, pn, q, never;
	struct upd *u;
	uint8_t nlri[64];
	size_t i, n, per;

	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	peer_add(r, P_IBGP3, RIB_AF_IPV4);
	rec_init(&rc, BGP_MAX_MSG);

	/* From peer 1: MED (not passed on), communities, unknown. */
	kb_init(&ka, BGP_ORIGIN_IGP, peer_nh4(P_EBGP1));
	kb_seg(&ka, BGP_SEG_SEQUENCE, 2, AS_AWS, AS_CUST);
	kb_med(&ka, 20);
	kb_comm(&ka, 65000u << 16 | 1);
	kb_lcomm(&ka, AS_AWS, 7, 8);
	kb_aggr(&ka, AS_CUST, IP4(10, 7, 7, 7));
	ka.k.flags |= RIB_A_ATOMIC_AGGR;
	kb_unknown(
	    &ka, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE, 99, 4, 0x11);
	a = kb_intern(r, &ka);
	kb_from_peer(&kbb, P_EBGP1, BGP_AFI_IPV4);
	b = kb_intern(r, &kbb);
	/* From iBGP peer 3: what is only for iBGP must not leak out. */
	kb_init(&kc, BGP_ORIGIN_EGP, peer_nh4(P_IBGP3));
	kb_lp(&kc, 200);
	kb_med(&kc, 5);
	kb_oid(&kc, IP4(10, 1, 0, 33));
	kb_cluster(&kc, IP4(10, 1, 0, 1));
	c = kb_intern(r, &kc);
	/* Ours (a `network` statement): no next hop, MED kept. */
	kb_init(&kl, BGP_ORIGIN_IGP, 0);
	kb_med(&kl, 10);
	l = kb_intern(r, &kl);

	for (i = 0; i < NA; i++) {
		pa[i] = pfx4(IP4(20, i >> 8, i & 0xff, 0), 24);
		rib_add(r, P_EBGP1, &pa[i], 0, a);
	}
	for (i = 0; i < NB; i++) {
		pb[i] = pfx4(IP4(30, 0, i, 128), 25);
		rib_add(r, P_EBGP1, &pb[i], 0, b);
	}
	for (i = 0; i < NC; i++) {
		pc[i] = pfx4(IP4(40, i, 0, 0), 16);
		rib_add(r, P_IBGP3, &pc[i], 0, c);
	}
	pl = pfx4(IP4(192, 168, 10, 0), 24);
	rib_add(r, RIB_PEER_LOCAL, &pl, 0, l);
	rib_process(r);

	/* Not up yet: nothing. */
	assert_true(rib_out_flush(r, P_EBGP2, rc.max, rec_send, &rc));
	assert_int_equal(rc.n, 0);
	assert_false(rib_out_pending(r, P_EBGP2));

	rib_out_start(r, P_EBGP2);
	assert_true(rib_out_pending(r, P_EBGP2));
	flush_all(r, P_EBGP2, &rc);
	apply_packed(x, &rc, &pk);
	assert_int_equal(pk.neor, 1);
	assert_int_equal(pk.eor_at[0], rc.n); /* IPv4, last */
	assert_int_equal(pk.ng, 4);
	assert_int_equal(x->nann, NA + NB + NC + 1);
	assert_int_equal(x->nwd, 0);

	/* A: 1500 /24s, as many in each message as fit in 4096 octets. */
	w = ka;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	kb_partial(&w);
	g = pack_find(&pk, x, &w, BGP_AFI_IPV4);
	assert_int_equal(g->prefixes, NA);
	per = (BGP_MAX_MSG - BGP_HDR_LEN - 4 - wire_len(x, &w)) / 4;
	assert_int_equal(g->msgs, (NA + per - 1) / per);
	for (i = 0; i < NA; i++)
		expect_route(x, &pa[i], &w);
	w = kbb;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	assert_int_equal(pack_find(&pk, x, &w, BGP_AFI_IPV4)->msgs, 1);
	for (i = 0; i < NB; i++)
		expect_route(x, &pb[i], &w);
	/* C: no LOCAL_PREF, MED, ORIGINATOR_ID or CLUSTER_LIST. */
	w = kc;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	assert_false(w.k.flags & (RIB_A_LOCAL_PREF | RIB_A_MED));
	assert_int_equal(pack_find(&pk, x, &w, BGP_AFI_IPV4)->msgs, 1);
	for (i = 0; i < NC; i++)
		expect_route(x, &pc[i], &w);
	/* Ours: MED kept (§5.1.4), our next hop. */
	w = kl;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, true);
	assert_true(w.k.flags & RIB_A_MED);
	expect_route(x, &pl, &w);

	/* Nothing more, and no second End-of-RIB. */
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);

	/* New attributes: one announcement, no withdrawal before it. */
	rib_add(r, P_EBGP1, &pa[7], 0, b);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nann, 1);
	assert_int_equal(u->nwd, 0);
	assert_true(pfx_eq(&u->ann[0], &pa[7]));
	w = kbb;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x, &pa[7], &w);

	/* Five withdrawals from peer 1: one message of five. */
	n = nlri_of(pa + 100, 5, nlri, sizeof(nlri));
	assert_int_equal(
	    rib_withdraw(r, P_EBGP1, BGP_AFI_IPV4, nlri, n, false), 5);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nwd, 5);
	assert_int_equal(u->nann, 0);
	for (i = 100; i < 105; i++)
		expect_route(x, &pa[i], NULL);

	/* Withdrawing what peer 1 never sent changes nothing. */
	never = pfx4(IP4(99, 0, 0, 0), 8);
	rib_del(r, P_EBGP1, &never, 0);
	rib_del(r, P_EBGP1, &pc[0], 0); /* peer 3's */
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);
	assert_null(rib_lookup(r, &never));

	/* NO_EXPORT: not sent, so not withdrawn either. */
	kn = kbb;
	kb_comm(&kn, BGP_COMM_NO_EXPORT);
	ne = kb_intern(r, &kn);
	pn = pfx4(IP4(60, 0, 0, 0), 24);
	rib_add(r, P_EBGP1, &pn, 0, ne);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);
	rib_del(r, P_EBGP1, &pn, 0);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);

	/* A route of peer 2's own is not sent back to it. */
	kb_from_peer(&kw, P_EBGP2, BGP_AFI_IPV4);
	q = pfx4(IP4(50, 0, 0, 0), 24);
	own = kb_intern(r, &kw);
	rib_add(r, P_EBGP2, &q, 0, own);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);
	/* ... nor when peer 1 has a worse one ... */
	kb_seg(&kw, BGP_SEG_SEQUENCE, 3, AS_AWS, AS_AWS, AS_AWS);
	kw.k.nh_len = 4;
	put32(kw.k.nexthop, peer_nh4(P_EBGP1));
	worse = kb_intern(r, &kw);
	rib_add(r, P_EBGP1, &q, 0, worse);
	rib_process(r);
	expect_best(r, &q, P_EBGP2, own);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);
	/* ... which it gets once its own is gone ... */
	rib_del(r, P_EBGP2, &q, 0);
	rib_process(r);
	expect_best(r, &q, P_EBGP1, worse);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	rx_apply(x, rc.msg[0], rc.len[0]);
	w = kw;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x, &q, &w);
	/* ... and which is withdrawn when its own is back. */
	rib_add(r, P_EBGP2, &q, 0, own);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nwd, 1);
	assert_int_equal(u->nann, 0);
	expect_route(x, &q, NULL);
	assert_int_equal(x->eor[0], 1);
	assert_int_equal(x->eor[1], 0);

	rib_attrs_unref(r, a);
	rib_attrs_unref(r, b);
	rib_attrs_unref(r, c);
	rib_attrs_unref(r, l);
	rib_attrs_unref(r, ne);
	rib_attrs_unref(r, worse);
	rib_attrs_unref(r, own);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
}

/* What an iBGP peer gets of a route from an eBGP peer: LOCAL_PREF 100. */
static void
kb_to_ibgp(struct kb *b)
{
	if (!(b->k.flags & RIB_A_LOCAL_PREF))
		kb_lp(b, LP_DEFAULT);
}

/* RFC 4456 §8: reflected, with ORIGINATOR_ID and our CLUSTER_ID first. */
static void
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

/* RFC 1997: NO_ADVERTISE to nobody, NO_EXPORT(_SUBCONFED) not to eBGP. */
static void
test_out_communities(void **state)
{
	static const uint32_t comm[4] = { BGP_COMM_NO_EXPORT,
		BGP_COMM_NO_ADVERTISE, BGP_COMM_NO_EXPORT_SUBCONFED,
		65000u << 16 | 1 };
	struct rib *r = rib_make();
	struct rx *xe = rx_new(false), *xi = rx_new(true);
	struct rec rc;
	struct kb k[4], w;
	struct rib_attrs *a[4];
	struct rib_prefix p[4];
	size_t i;

	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	peer_add(r, P_IBGP3, RIB_AF_IPV4);
	rec_init(&rc, BGP_MAX_MSG);
	rib_out_start(r, P_EBGP2);
	rib_out_start(r, P_IBGP3);
	for (i = 0; i < 4; i++) {
		kb_from_peer(&k[i], P_EBGP1, BGP_AFI_IPV4);
		kb_comm(&k[i], 65000u << 16 | 99);
		kb_comm(&k[i], comm[i]);
		a[i] = kb_intern(r, &k[i]);
		p[i] = pfx4(IP4(70, i, 0, 0), 16);
		rib_add(r, P_EBGP1, &p[i], 0, a[i]);
	}
	rib_process(r);
	flush_apply(r, P_EBGP2, &rc, xe);
	flush_apply(r, P_IBGP3, &rc, xi);
	for (i = 0; i < 4; i++) {
		w = k[i];
		kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
		expect_route(xe, &p[i], i == 3 ? &w : NULL);
		w = k[i];
		kb_to_ibgp(&w);
		expect_route(xi, &p[i], i == 1 ? NULL : &w);
	}
	assert_int_equal(xe->nann, 1);
	assert_int_equal(xi->nann, 3);
	for (i = 0; i < 4; i++)
		rib_attrs_unref(r, a[i]);
	rib_free(r);
	rx_free(xe);
	rx_free(xi);
	rec_clean(&rc);
}

/*
 * iBGP: split horizon and route reflection (RFC 4456 §6, §8), next
 * hops left alone, LOCAL_PREF 100 added when missing.  Peers 3 and 4
 * are not clients, 5 and 6 are.
 */
static void
test_out_ibgp(void **state)
{
	static const uint16_t rxp[5] = { P_EBGP2, P_IBGP3, P_IBGP4, P_CLIENT5,
		P_CLIENT6 };
	struct rib *r = rib_make();
	struct rx *x[5];
	struct rec rc;
	struct kb ke, k3, k3b, k5, w;
	struct rib_attrs *ae, *a3, *a3b, *a5;
	struct rib_prefix pe = pfx4(IP4(80, 1, 0, 0), 16);
	struct rib_prefix p3 = pfx4(IP4(80, 3, 0, 0), 16);
	struct rib_prefix p3b = pfx4(IP4(80, 33, 0, 0), 16);
	struct rib_prefix p5 = pfx4(IP4(80, 5, 0, 0), 16);
	struct rib_config conf = { .asn = AS_OURS,
		.router_id = RID_OURS,
		.cluster_id = IP4(10, 10, 10, 10) };
	struct upd *u;
	size_t i;

	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	for (i = 0; i < 5; i++) {
		peer_add(r, rxp[i], RIB_AF_IPV4);
		rib_out_start(r, rxp[i]);
		x[i] = rx_new(peer_defs[rxp[i]].ibgp);
	}
	kb_from_peer(&ke, P_EBGP1, BGP_AFI_IPV4);
	ae = kb_intern(r, &ke);
	/* From non-client 3, with LOCAL_PREF 200; and one without. */
	kb_from_peer(&k3, P_IBGP3, BGP_AFI_IPV4);
	kb_lp(&k3, 200);
	a3 = kb_intern(r, &k3);
	kb_from_peer(&k3b, P_IBGP3, BGP_AFI_IPV4);
	kb_med(&k3b, 3);
	a3b = kb_intern(r, &k3b);
	/* From client 5, already reflected once elsewhere. */
	kb_from_peer(&k5, P_CLIENT5, BGP_AFI_IPV4);
	kb_seg(&k5, BGP_SEG_SEQUENCE, 1, AS_CUST);
	kb_lp(&k5, 300);
	kb_oid(&k5, IP4(10, 9, 9, 9));
	kb_cluster(&k5, IP4(10, 8, 8, 8));
	a5 = kb_intern(r, &k5);
	rib_add(r, P_EBGP1, &pe, 0, ae);
	rib_add(r, P_IBGP3, &p3, 0, a3);
	rib_add(r, P_IBGP3, &p3b, 0, a3b);
	rib_add(r, P_CLIENT5, &p5, 0, a5);
	rib_process(r);
	for (i = 0; i < 5; i++)
		flush_apply(r, rxp[i], &rc, x[i]);

	/* To eBGP peer 2: all four, ours. */
	w = ke;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x[0], &pe, &w);
	w = k3;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x[0], &p3, &w);
	w = k5;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x[0], &p5, &w);

	/* The eBGP route to every iBGP peer: LOCAL_PREF 100, nothing else. */
	w = ke;
	kb_to_ibgp(&w);
	for (i = 1; i < 5; i++)
		expect_route(x[i], &pe, &w);

	/* From non-client 3: not to 3 or 4; reflected to 5 and 6. */
	expect_route(x[1], &p3, NULL);
	expect_route(x[2], &p3, NULL);
	expect_route(x[2], &p3b, NULL);
	w = k3;
	kb_reflect(&w, peer_defs[P_IBGP3].rid, RID_OURS);
	assert_int_equal(w.k.local_pref, 200);
	expect_route(x[3], &p3, &w);
	expect_route(x[4], &p3, &w);
	w = k3b;
	kb_reflect(&w, peer_defs[P_IBGP3].rid, RID_OURS);
	assert_int_equal(w.k.local_pref, LP_DEFAULT);
	expect_route(x[3], &p3b, &w);

	/* From client 5: to 3, 4 and 6, not back to 5. */
	w = k5;
	kb_reflect(&w, 0, RID_OURS);
	assert_int_equal(w.k.originator_id, IP4(10, 9, 9, 9));
	assert_int_equal(w.k.cluster_len, 8);
	expect_route(x[1], &p5, &w);
	expect_route(x[2], &p5, &w);
	expect_route(x[4], &p5, &w);
	expect_route(x[3], &p5, NULL);

	/* A new CLUSTER_ID, and a refresh to client 6 sends it. */
	rib_set_config(r, &conf);
	rib_out_refresh(r, P_CLIENT6, RIB_AF_IPV4, false);
	flush_all(r, P_CLIENT6, &rc);
	assert_int_equal(rc.n, 4); /* pe, p3, p3b, p5: no End-of-RIB */
	rx_apply_all(x[4], &rc);
	w = k3;
	kb_reflect(&w, peer_defs[P_IBGP3].rid, conf.cluster_id);
	expect_route(x[4], &p3, &w);
	w = k5;
	kb_reflect(&w, 0, conf.cluster_id);
	expect_route(x[4], &p5, &w);
	u = rx_apply(x[4], rc.msg[0], rc.len[0]); /* a repeat is harmless */
	assert_false(u->eor);

	for (i = 0; i < 5; i++) {
		assert_int_equal(x[i]->eor[0], 1);
		rx_free(x[i]);
	}
	rib_attrs_unref(r, ae);
	rib_attrs_unref(r, a3);
	rib_attrs_unref(r, a3b);
	rib_attrs_unref(r, a5);
	rib_free(r);
	rec_clean(&rc);
}

/*
 * IPv6 through MP_REACH_NLRI / MP_UNREACH_NLRI with our IPv6 next hop,
 * an End-of-RIB per family; a local attribute set used by both
 * families gets the next hop of each.
 */
static void
test_out_ipv6(void **state)
{
	enum { N6 = 1200, N4 = 20 };
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct pack pk;
	struct kb k6, k4, kl, w;
	struct rib_attrs *a6, *a4, *l;
	struct rib_prefix p6[N6], p4[N4], l4, l6;
	struct upd *u;
	uint8_t nlri[1024];
	size_t i, n, per;

	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4 | RIB_AF_IPV6);
	peer_add(r, P_EBGP2, RIB_AF_IPV4 | RIB_AF_IPV6);
	kb_from_peer(&k6, P_EBGP1, BGP_AFI_IPV6);
	kb_comm(&k6, 65000u << 16 | 6);
	a6 = kb_intern(r, &k6);
	kb_from_peer(&k4, P_EBGP1, BGP_AFI_IPV4);
	a4 = kb_intern(r, &k4);
	kb_init(&kl, BGP_ORIGIN_IGP, 0);
	l = kb_intern(r, &kl);
	for (i = 0; i < N6; i++) {
		p6[i] = pfx6((uint16_t)(0x100 + i), 0, 48);
		rib_add(r, P_EBGP1, &p6[i], 0, a6);
	}
	for (i = 0; i < N4; i++) {
		p4[i] = pfx4(IP4(90, 0, i, 0), 24);
		rib_add(r, P_EBGP1, &p4[i], 0, a4);
	}
	l4 = pfx4(IP4(192, 168, 10, 0), 24);
	l6 = pfx6(0xffff, 0, 48);
	rib_add(r, RIB_PEER_LOCAL, &l4, 0, l);
	rib_add(r, RIB_PEER_LOCAL, &l6, 0, l);
	rib_process(r);
	rib_out_start(r, P_EBGP2);
	flush_all(r, P_EBGP2, &rc);
	apply_packed(x, &rc, &pk);
	assert_int_equal(pk.neor, 2);
	assert_true(pk.eor_at[0] >= rc.n - 1 && pk.eor_at[1] >= rc.n - 1);
	assert_int_equal(x->nann, N6 + N4 + 2);

	w = k6;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV6, false);
	assert_int_equal(w.k.nh_len, 16);
	for (i = 0; i < N6; i++)
		expect_route(x, &p6[i], &w);
	/* header, two lengths, MP_REACH_NLRI header and next hop */
	per = (BGP_MAX_MSG - BGP_HDR_LEN - 4 - (4 + 5 + 16) - wire_len(x, &w)) /
	    7;
	assert_int_equal(
	    pack_find(&pk, x, &w, BGP_AFI_IPV6)->msgs, (N6 + per - 1) / per);
	w = k4;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	for (i = 0; i < N4; i++)
		expect_route(x, &p4[i], &w);
	w = kl;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, true);
	expect_route(x, &l4, &w);
	w = kl;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV6, true);
	expect_route(x, &l6, &w);

	/* 50 withdrawals: one MP_UNREACH_NLRI. */
	n = nlri_of(p6 + 10, 50, nlri, sizeof(nlri));
	assert_int_equal(
	    rib_withdraw(r, P_EBGP1, BGP_AFI_IPV6, nlri, n, false), 50);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->afi, BGP_AFI_IPV6);
	assert_int_equal(u->nwd, 50);
	assert_true(u->have & WIRE_HAVE(BGP_ATTR_MP_UNREACH_NLRI));
	for (i = 10; i < 60; i++)
		expect_route(x, &p6[i], NULL);
	assert_int_equal(x->nv, N6 - 50 + N4 + 2);

	rib_attrs_unref(r, a6);
	rib_attrs_unref(r, a4);
	rib_attrs_unref(r, l);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
}

/* A kb holding a copy of a set, to change. */
static void
kb_of(struct kb *b, const struct rib_attrs *a)
{
	struct rib_attrs_key k;

	rib_attrs_key_of(a, &k);
	memset(b, 0, sizeof(*b));
	assert_true(k.aspath_len <= sizeof(b->path) &&
	    k.comm_len <= sizeof(b->comm) && k.lcomm_len <= sizeof(b->lcomm) &&
	    k.ecomm_len <= sizeof(b->ecomm) &&
	    k.cluster_len <= sizeof(b->cluster) &&
	    k.unknown_len <= sizeof(b->unknown));
	b->k = k;
	memcpy(b->path, k.aspath, k.aspath_len);
	memcpy(b->comm, k.comm, k.comm_len);
	memcpy(b->lcomm, k.lcomm, k.lcomm_len);
	memcpy(b->ecomm, k.ecomm, k.ecomm_len);
	memcpy(b->cluster, k.cluster, k.cluster_len);
	memcpy(b->unknown, k.unknown, k.unknown_len);
	kb_key(b);
}

/* The receiver has exactly the routes best from peer 1 (eBGP rules). */
struct want_ctx {
	struct rx *x;
	size_t n;
};

static void
want_fn(void *arg, const struct rib_dest *d)
{
	struct want_ctx *c = arg;
	struct rib_attrs *want;
	struct view_ent *e;
	struct kb b;

	e = rx_find(c->x, &d->pfx);
	if (e == NULL)
		fail_msg("%s was not sent", pfx_str(&d->pfx));
	kb_of(&b, d->paths->attrs);
	kb_to_ebgp(&b, P_EBGP2, d->pfx.afi, false);
	want = kb_intern(c->x->t, &b);
	if (e->a != want)
		fail_msg("%s: attributes differ", pfx_str(&d->pfx));
	rib_attrs_unref(c->x->t, want);
	c->n++;
}

static void
expect_table(struct rib *r, struct rx *x)
{
	struct want_ctx c = { x, 0 };

	rib_walk(r, BGP_AFI_IPV4, want_fn, &c);
	assert_int_equal(c.n, x->nv);
}

/*
 * Throttled flushes: send() refuses after k messages; each call
 * resumes where the last stopped.  Returns the number of calls.
 */
static size_t
flush_throttled(
    struct rib *r, uint16_t peer, struct rec *rc, struct rx *x, size_t k)
{
	size_t calls = 0, before;
	bool done;

	rec_reset(rc);
	do {
		before = rc->n;
		rc->accept = rc->n + k;
		done = rib_out_flush(r, peer, rc->max, rec_send, rc);
		assert_int_equal(done, !rib_out_pending(r, peer));
		if (!done) {
			assert_int_equal(rc->n, before + k);
			assert_true(rc->refused > 0);
		}
		rc->refused = 0;
		calls++;
		assert_true(calls < 100000);
	} while (!done);
	rx_apply_all(x, rc);
	return calls;
}

/* Backpressure: nothing lost, nothing sent twice, End-of-RIB once. */
static void
test_out_backpressure(void **state)
{
	enum { NBIG = 2500, NSETS = 30, NSMALL = 20 };
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct kb b;
	struct rib_attrs *a[NSETS];
	struct rib_prefix *p = calloc(NBIG + NSETS * NSMALL, sizeof(*p));
	size_t i, n = 0, calls, k;

	assert_non_null(p);
	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	for (i = 0; i < NSETS; i++) {
		kb_from_peer(&b, P_EBGP1, BGP_AFI_IPV4);
		kb_med(&b, (uint32_t)i);
		kb_comm(&b, 65000u << 16 | (uint32_t)i);
		a[i] = kb_intern(r, &b);
	}
	/* One set of 2500 prefixes (3 messages), 29 of 20, interleaved. */
	for (i = 0; i < NBIG + (NSETS - 1) * NSMALL; i++) {
		p[n] = pfx4(
		    IP4(100 + (i >> 16), (i >> 8) & 0xff, i & 0xff, 0), 24);
		rib_add(r, P_EBGP1, &p[n++], 0,
		    a[i % 4 != 0 || i / 4 >= (NSETS - 1) * NSMALL
			    ? 0
			    : 1 + (i / 4) % (NSETS - 1)]);
	}
	rib_process(r);
	rib_out_start(r, P_EBGP2);
	calls = flush_throttled(r, P_EBGP2, &rc, x, 1);
	assert_int_equal(calls, rc.n); /* the last sends End-of-RIB */
	assert_int_equal(x->ndup, 0);
	assert_int_equal(x->eor[0], 1);
	expect_table(r, x);
	assert_int_equal(x->nv, n);

	/*
	 * Changes, withdrawals, and more changes arriving while the peer
	 * is still backpressured.
	 */
	for (k = 2; k <= 5; k++) {
		for (i = k; i < n; i += 7)
			rib_add(r, P_EBGP1, &p[i], 0, a[(i + k) % NSETS]);
		for (i = k + 3; i < n; i += 11)
			rib_del(r, P_EBGP1, &p[i], 0);
		rib_process(r);
		rec_reset(&rc);
		rc.accept = k;
		assert_false(rib_out_flush(r, P_EBGP2, rc.max, rec_send, &rc));
		rx_apply_all(x, &rc);
		for (i = k + 1; i < n; i += 13)
			rib_add(r, P_EBGP1, &p[i], 0, a[(i + 2 * k) % NSETS]);
		rib_process(r);
		flush_throttled(r, P_EBGP2, &rc, x, k);
		expect_table(r, x);
	}
	/*
	 * Repeats are allowed here: a change undone before it was sent
	 * sends the old attributes again (only "advertised" is kept).
	 */
	assert_int_equal(x->eor[0], 1);

	for (i = 0; i < NSETS; i++)
		rib_attrs_unref(r, a[i]);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
	free(p);
}

/*
 * Session down and up: nothing is sent while down, the whole table
 * (and End-of-RIB) again after; destinations kept only for a pending
 * withdrawal go away at rib_out_stop.  rib_out_refresh sends the table
 * again without End-of-RIB.
 */
static void
test_out_restart(void **state)
{
	enum { N = 10000 };
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct rib_stats st;
	struct kb b;
	struct rib_attrs *a;
	struct rib_prefix *p = calloc(N, sizeof(*p));
	size_t i;

	assert_non_null(p);
	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	kb_from_peer(&b, P_EBGP1, BGP_AFI_IPV4);
	a = kb_intern(r, &b);
	for (i = 0; i < N; i++) {
		p[i] = pfx4(IP4(110, i >> 8, i & 0xff, 0), 24);
		rib_add(r, P_EBGP1, &p[i], 0, a);
	}
	rib_process(r);
	rib_out_start(r, P_EBGP2);
	flush_apply(r, P_EBGP2, &rc, x);
	assert_int_equal(x->nv, N);
	assert_int_equal(x->eor[0], 1);

	/* Refresh: everything again, no End-of-RIB. */
	rib_out_refresh(r, P_EBGP2, RIB_AF_IPV4, false);
	assert_true(rib_out_pending(r, P_EBGP2));
	flush_apply(r, P_EBGP2, &rc, x);
	assert_int_equal(x->ndup, N);
	assert_int_equal(x->nv, N);
	assert_int_equal(x->eor[0], 1);
	/* RFC 7313: with enhanced route refresh, EoRR ends the re-send. */
	rib_out_refresh(r, P_EBGP2, RIB_AF_IPV4, true);
	flush_apply(r, P_EBGP2, &rc, x);
	assert_int_equal(x->ndup, 2 * N);
	assert_int_equal(x->eorr[0], 1);
	assert_int_equal(x->eor[0], 1);
	/* A refresh of the other family sends nothing. */
	rib_out_refresh(r, P_EBGP2, RIB_AF_IPV6, false);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);

	/* Withdraw every other one, and go down before they are sent. */
	for (i = 0; i < N; i += 2)
		rib_del(r, P_EBGP1, &p[i], 0);
	rib_process(r);
	rib_stats(r, &st);
	assert_int_equal(st.paths, N / 2);
	rib_out_stop(r, P_EBGP2);
	rx_reset(x);
	assert_false(rib_out_pending(r, P_EBGP2));
	rib_stats(r, &st);
	assert_int_equal(st.prefixes[0], N / 2);
	for (i = 0; i < N; i++)
		if ((rib_lookup(r, &p[i]) != NULL) != (i % 2 == 1))
			fail_msg("%s after rib_out_stop", pfx_str(&p[i]));
	/* While down: nothing. */
	rib_add(r, P_EBGP1, &p[0], 0, a);
	rib_del(r, P_EBGP1, &p[1], 0);
	rib_process(r);
	assert_true(rib_out_flush(r, P_EBGP2, rc.max, rec_send, &rc));
	assert_int_equal(rc.n, 0);

	/* Up again: the table as it is now, then End-of-RIB. */
	rib_out_start(r, P_EBGP2);
	flush_apply(r, P_EBGP2, &rc, x);
	assert_int_equal(x->eor[0], 1);
	assert_int_equal(x->nv, N / 2);
	expect_table(r, x);
	assert_int_equal(x->ndup, 0);

	rib_attrs_unref(r, a);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
	free(p);
}

/*
 * Attributes that fit in no message: the route is not sent; withdrawn
 * if it was advertised before, and not withdrawn if it never was.
 */
static void
test_out_oversized(void **state)
{
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct kb b, big, w;
	struct rib_attrs *a, *huge;
	struct rib_prefix p1 = pfx4(IP4(120, 1, 0, 0), 16);
	struct rib_prefix p2 = pfx4(IP4(120, 2, 0, 0), 16);
	struct upd *u;

	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	kb_from_peer(&b, P_EBGP1, BGP_AFI_IPV4);
	a = kb_intern(r, &b);
	big = b;
	kb_unknown(
	    &big, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE, 99, 4090, 0x77);
	huge = kb_intern(r, &big);
	rib_out_start(r, P_EBGP2);
	rib_add(r, P_EBGP1, &p1, 0, a);
	rib_process(r);
	flush_apply(r, P_EBGP2, &rc, x);
	w = b;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x, &p1, &w);

	rib_add(r, P_EBGP1, &p1, 0, huge);
	rib_add(r, P_EBGP1, &p2, 0, huge);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nwd, 1);
	assert_true(pfx_eq(&u->wd[0], &p1));

	/* With extended messages (RFC 8654) they fit. */
	rib_out_refresh(r, P_EBGP2, RIB_AF_IPV4, false);
	rc.max = BGP_MAX_MSG_EXT;
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nann, 2);
	assert_true(u->len > BGP_MAX_MSG);

	rib_attrs_unref(r, a);
	rib_attrs_unref(r, huge);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
}

/*
 * A route whose attributes keep changing, flushed to two peers after
 * each change: the sets it had before are freed, not kept alive by
 * what was sent while the sessions stay up.
 */
static void
test_out_churn_memory(void **state)
{
	struct rib *r = rib_make();
	struct rx *x2 = rx_new(false), *x3 = rx_new(true);
	struct rec rc;
	struct rib_stats st;
	struct rib_attrs *a;
	struct rib_prefix p = pfx4(IP4(140, 0, 0, 0), 16);
	struct kb b;
	uint32_t i;

	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	peer_add(r, P_IBGP3, RIB_AF_IPV4);
	rib_out_start(r, P_EBGP2);
	rib_out_start(r, P_IBGP3);
	for (i = 0; i < 5000; i++) {
		kb_from_peer(&b, P_EBGP1, BGP_AFI_IPV4);
		kb_med(&b, i);
		a = kb_intern(r, &b);
		rib_add(r, P_EBGP1, &p, 0, a);
		rib_attrs_unref(r, a);
		rib_process(r);
		flush_apply(r, P_EBGP2, &rc, x2);
		flush_apply(r, P_IBGP3, &rc, x3);
		rib_stats(r, &st);
		if (st.attrs.sets > 1)
			fail_msg("%zu sets alive for one route", st.attrs.sets);
	}
	kb_to_ibgp(&b);
	expect_route(x3, &p, &b);
	rib_free(r);
	rx_free(x2);
	rx_free(x3);
	rec_clean(&rc);
}

/* ==== 4. graceful restart ==== */

static void
test_graceful_restart(void **state)
{
	enum { N = 10 };
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct kb k1, k3, k6, w;
	struct rib_attrs *a1, *a3, *a6;
	struct rib_prefix p[N], p6 = pfx6(0x42, 0, 48);
	struct rib_dest *d;
	struct rib_path *q;
	struct upd *u;
	size_t i;

	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4 | RIB_AF_IPV6);
	peer_add(r, P_EBGP2, RIB_AF_IPV4 | RIB_AF_IPV6);
	peer_add(r, P_IBGP3, RIB_AF_IPV4 | RIB_AF_IPV6);
	kb_from_peer(&k1, P_EBGP1, BGP_AFI_IPV4);
	a1 = kb_intern(r, &k1);
	kb_from_peer(&k3, P_IBGP3, BGP_AFI_IPV4);
	kb_seg(&k3, BGP_SEG_SEQUENCE, 2, AS_CUST, AS_CUST);
	a3 = kb_intern(r, &k3);
	kb_from_peer(&k6, P_EBGP1, BGP_AFI_IPV6);
	a6 = kb_intern(r, &k6);
	for (i = 0; i < N; i++) {
		p[i] = pfx4(IP4(130, i, 0, 0), 16);
		rib_add(r, P_EBGP1, &p[i], 0, a1);
	}
	/* Peer 3 has a worse path to 5 and 6. */
	rib_add(r, P_IBGP3, &p[5], 0, a3);
	rib_add(r, P_IBGP3, &p[6], 0, a3);
	rib_add(r, P_EBGP1, &p6, 0, a6);
	rib_process(r);
	rib_out_start(r, P_EBGP2);
	flush_apply(r, P_EBGP2, &rc, x);
	assert_int_equal(x->nv, N + 1);

	/* Peer 1 restarts: its routes stay, still best, nothing sent. */
	rib_peer_mark_stale(r, P_EBGP1, RIB_AF_IPV4);
	rib_process(r);
	for (i = 0; i < N; i++) {
		d = rib_lookup(r, &p[i]);
		expect_best(r, &p[i], P_EBGP1, a1);
		assert_true(d->paths->flags & RIB_P_STALE);
		for (q = d->paths->next; q != NULL; q = q->next)
			assert_false(q->flags & RIB_P_STALE); /* peer 3's */
	}
	assert_false(rib_lookup(r, &p6)->paths->flags & RIB_P_STALE);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);
	assert_int_equal(rib_peer_count(r, P_EBGP1, 0), N);

	/* It comes back and sends 0-4 again: no longer stale, nothing sent. */
	for (i = 0; i < 5; i++)
		rib_add(r, P_EBGP1, &p[i], 0, a1);
	rib_process(r);
	for (i = 0; i < N; i++) {
		d = rib_lookup(r, &p[i]);
		assert_int_equal(!!(d->paths->flags & RIB_P_STALE), i >= 5);
		expect_best(r, &p[i], P_EBGP1, a1);
	}
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);

	/* End-of-RIB from it: the rest go; 5 and 6 fall back to peer 3. */
	rib_peer_sweep_stale(r, P_EBGP1, RIB_AF_IPV4);
	rib_process(r);
	assert_int_equal(rib_peer_count(r, P_EBGP1, 0), 5);
	assert_int_equal(rib_peer_count(r, P_EBGP1, 1), 1);
	for (i = 0; i < N; i++) {
		if (i < 5)
			expect_best(r, &p[i], P_EBGP1, a1);
		else if (i < 7)
			expect_best(r, &p[i], P_IBGP3, a3);
		else
			assert_null(rib_lookup(r, &p[i])->paths);
	}
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 2);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nwd, 3);
	u = rx_apply(x, rc.msg[1], rc.len[1]);
	assert_int_equal(u->nann, 2);
	for (i = 0; i < N; i++) {
		if (i < 5) {
			w = k1;
			kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
			expect_route(x, &p[i], &w);
		} else if (i < 7) {
			w = k3;
			kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
			expect_route(x, &p[i], &w);
		} else {
			expect_route(x, &p[i], NULL);
			assert_null(rib_lookup(r, &p[i]));
		}
	}
	/* A sweep with nothing stale does nothing. */
	rib_peer_sweep_stale(r, P_EBGP1, RIB_AF_IPV4 | RIB_AF_IPV6);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);
	assert_int_equal(rib_peer_count(r, P_EBGP1, 1), 1);
	/* Stale, then swept without coming back: withdrawn everywhere. */
	rib_peer_mark_stale(r, P_EBGP1, RIB_AF_IPV6);
	assert_true(rib_lookup(r, &p6)->paths->flags & RIB_P_STALE);
	assert_false(rib_lookup(r, &p[0])->paths->flags & RIB_P_STALE);
	rib_peer_sweep_stale(r, P_EBGP1, RIB_AF_IPV6);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->afi, BGP_AFI_IPV6);
	assert_int_equal(u->nwd, 1);
	assert_int_equal(rib_peer_count(r, P_EBGP1, 1), 0);

	rib_attrs_unref(r, a1);
	rib_attrs_unref(r, a3);
	rib_attrs_unref(r, a6);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
}

/* ==== 5. memory ==== */

static size_t
routes_wanted(void)
{
	const char *s = getenv("TEST_RIB_ROUTES");

	if (s != NULL && *s != '\0')
		return (size_t)strtoul(s, NULL, 10);
	return 1000000;
}

/* Counts what one peer is sent, decoding every message. */
struct tally {
	size_t msgs, ann, wd, eor, octets;
	uint8_t *scratch;
};

static bool
tally_send(void *arg, const uint8_t *m, size_t len)
{
	struct tally *t = arg;
	struct wire_ctx ctx = { .as4 = true, .scratch = t->scratch };
	struct wire_update u;
	struct wire_err err;

	if (len > BGP_MAX_MSG)
		fail_msg("a message of %zu octets", len);
	if (wire_update_decode(
		&ctx, m + BGP_HDR_LEN, len - BGP_HDR_LEN, &u, &err) != WIRE_OK)
		fail_msg("bad UPDATE: %s", err.reason);
	t->msgs++;
	t->octets += len;
	t->eor += u.eor;
	t->wd += (size_t)wire_nlri_check(
	    u.withdrawn, u.withdrawn_len, BGP_AFI_IPV4, false);
	t->ann +=
	    (size_t)wire_nlri_check(u.nlri, u.nlri_len, BGP_AFI_IPV4, false);
	return true;
}

/*
 * A full table from one peer, out to another, withdrawn, out again:
 * nothing is left but the slabs.  Under LeakSanitizer rib_free must
 * leave nothing either.
 */
static void
test_memory_full_table(void **state)
{
	size_t n = routes_wanted(), nsets = n / 20 ? n / 20 : 1, i, j, len;
	struct rib *r = rib_make();
	struct rib_attrs **a = calloc(nsets, sizeof(*a));
	struct tally t = { 0 };
	struct rib_prefix p;
	struct rib_stats st;
	struct kb b;
	uint8_t nlri[4 * 1024];

	assert_non_null(a);
	t.scratch = malloc(WIRE_SCRATCH_LEN);
	assert_non_null(t.scratch);
	assert_true(n < (size_t)1 << 24);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	rib_out_start(r, P_EBGP2);
	for (i = 0; i < nsets; i++) {
		kb_init(&b, BGP_ORIGIN_IGP, peer_nh4(P_EBGP1));
		kb_seg(&b, BGP_SEG_SEQUENCE, 3, AS_AWS,
		    (uint32_t)(i % 3000 + 1), (uint32_t)(100000 + i));
		kb_med(&b, (uint32_t)i % 7);
		a[i] = kb_intern(r, &b);
	}
	for (i = 0; i < n; i++) {
		p = pfx4(IP4(1 + (i >> 16), (i >> 8) & 0xff, i & 0xff, 0), 24);
		rib_add(r, P_EBGP1, &p, 0, a[i % nsets]);
	}
	for (i = 0; i < nsets; i++)
		rib_attrs_unref(r, a[i]); /* the routes hold them now */
	rib_process(r);
	rib_stats(r, &st);
	assert_int_equal(st.prefixes[0], n);
	assert_int_equal(st.paths, n);
	assert_int_equal(st.attrs.sets, nsets);
	assert_int_equal(st.attrs.refs, n + n); /* paths and best */

	assert_true(rib_out_flush(r, P_EBGP2, BGP_MAX_MSG, tally_send, &t));
	assert_int_equal(t.ann, n);
	assert_int_equal(t.eor, 1);
	print_message("    %zu routes, %zu sets: %zu UPDATEs, %zu octets\n", n,
	    nsets, t.msgs, t.octets);
	rib_stats(r, &st);
	assert_int_equal(st.attrs.sets, nsets); /* the export cache is gone */

	/* Half withdrawn as NLRI, the rest by the peer going down. */
	for (i = 0; i < n / 2; i += j) {
		len = 0;
		for (j = 0; j < 1024 && i + j < n / 2; j++) {
			p = pfx4(IP4(1 + ((i + j) >> 16), ((i + j) >> 8) & 0xff,
				     (i + j) & 0xff, 0),
			    24);
			len += nlri_of(&p, 1, nlri + len, sizeof(nlri) - len);
		}
		assert_int_equal(
		    rib_withdraw(r, P_EBGP1, BGP_AFI_IPV4, nlri, len, false),
		    j);
	}
	rib_peer_flush(r, P_EBGP1, RIB_AF_IPV4 | RIB_AF_IPV6);
	assert_int_equal(rib_peer_count(r, P_EBGP1, 0), 0);
	rib_process(r);
	rib_stats(r, &st);
	assert_int_equal(st.paths, 0);
	t.msgs = t.ann = t.wd = 0;
	assert_true(rib_out_flush(r, P_EBGP2, BGP_MAX_MSG, tally_send, &t));
	assert_int_equal(t.wd, n);
	assert_int_equal(t.ann, 0);
	assert_int_equal(t.eor, 1);
	rib_stats(r, &st);
	assert_int_equal(st.prefixes[0] + st.prefixes[1], 0);
	assert_int_equal(st.paths, 0);

	rib_out_stop(r, P_EBGP2);
	rib_stats(r, &st);
	assert_int_equal(st.attrs.sets, 0);
	assert_int_equal(st.attrs.refs, 0);
	assert_int_equal(st.attrs.bytes, 0);
	rib_free(r);
	free(a);
	free(t.scratch);
}

/* ==== 6. the model ==== */

#define M_NV4   40
#define M_NPFX  50
#define M_NATTR 16 /* per family, for routes of peers */
#define M_NLOC  6  /* for routes of ours, used by both families */
#define M_NSRC  5
#define M_NRCV  3

/* Sources of routes, and receivers (2 and 3 are both). */
static const uint16_t m_src[M_NSRC] = { RIB_PEER_LOCAL, P_EBGP1, P_EBGP2,
	P_IBGP3, P_CLIENT5 };
static const uint16_t m_rcv[M_NRCV] = { P_EBGP2, P_IBGP3, P_CLIENT6 };

struct mpath {
	bool on, stale;
	uint8_t attr;
};

struct model {
	struct rib *r;
	uint64_t seed;
	struct rib_prefix pfx[M_NPFX];
	struct kb pool[2][M_NATTR], loc[M_NLOC];
	struct rib_attrs *pa[2][M_NATTR], *la[M_NLOC];
	struct mpath path[M_NPFX][M_NSRC];
	struct rx *x[M_NRCV];
	bool up[M_NRCV];
	/* expected attributes, per receiver, source, family, set */
	struct rib_attrs *want[M_NRCV][M_NSRC][2][M_NATTR];
	bool want_known[M_NRCV][M_NSRC][2][M_NATTR];
	struct rec rc;
	size_t checks, sent;
};

static void
m_pool_attrs(struct model *m, struct kb *b, bool local, uint8_t afi, size_t k)
{
	static const uint32_t ases[3] = { AS_AWS, AS_AWS + 1, AS_CUST };
	static const uint32_t comms[5] = { 65000u << 16 | 1, 65000u << 16 | 2,
		BGP_COMM_NO_EXPORT, BGP_COMM_NO_ADVERTISE,
		BGP_COMM_NO_EXPORT_SUBCONFED };
	uint8_t nh6[16];
	size_t i, n;

	kb_init(b, (uint8_t)rnd_below(&m->seed, 3),
	    local ? 0 : IP4(10, 20, 0, k + 1));
	if (!local && afi == BGP_AFI_IPV6) {
		our_nh6(0x20, nh6);
		nh6[15] = (uint8_t)(k + 1);
		kb_nh6(b, nh6);
	}
	n = local ? rnd_below(&m->seed, 2) : rnd_below(&m->seed, 4);
	if (n > 0) {
		kb_seg(b, BGP_SEG_SEQUENCE, 1, ases[rnd_below(&m->seed, 3)]);
		for (i = 1; i < n; i++) {
			b->path[1]++;
			put32(b->path + b->k.aspath_len,
			    ases[rnd_below(&m->seed, 3)]);
			b->k.aspath_len += 4;
		}
	}
	if (rnd_below(&m->seed, 2))
		kb_med(b, 10 * (uint32_t)rnd_below(&m->seed, 3));
	if (rnd_below(&m->seed, 5) < 2)
		kb_lp(b, (uint32_t[]){ 50, 100, 200 }[rnd_below(&m->seed, 3)]);
	for (i = rnd_below(&m->seed, 3); i > 0; i--)
		kb_comm(b, comms[rnd_below(&m->seed, 5)]);
	if (!local && rnd_below(&m->seed, 7) == 0)
		kb_oid(b, IP4(10, 9, 0, 1 + rnd_below(&m->seed, 2)));
	if (!local && rnd_below(&m->seed, 7) == 0)
		kb_cluster(b, IP4(10, 8, 0, 1));
}

static struct kb *
m_kb(struct model *m, size_t si, uint8_t afi, size_t k)
{
	if (m_src[si] == RIB_PEER_LOCAL)
		return &m->loc[k % M_NLOC];
	return &m->pool[rib_afidx(afi)][k];
}

static struct rib_attrs *
m_attrs(struct model *m, size_t si, uint8_t afi, size_t k)
{
	if (m_src[si] == RIB_PEER_LOCAL)
		return m->la[k % M_NLOC];
	return m->pa[rib_afidx(afi)][k];
}

/* What decide.c looks at, worked out from the key and the source. */
struct minfo {
	uint32_t lp, hops, origin, med, nbr_as, bgp_id, clusters, addr;
	bool local, ibgp;
	uint16_t peer;
};

static void
m_info(struct model *m, size_t p, size_t si, struct minfo *f)
{
	const struct kb *b = m_kb(m, si, m->pfx[p].afi, m->path[p][si].attr);
	uint16_t peer = m_src[si];

	memset(f, 0, sizeof(*f));
	f->peer = peer;
	f->local = peer == RIB_PEER_LOCAL;
	f->ibgp = !f->local && peer_defs[peer].ibgp;
	f->lp = b->k.flags & RIB_A_LOCAL_PREF ? b->k.local_pref : LP_DEFAULT;
	f->hops = b->k.aspath_len > 0 ? b->path[1] : 0; /* one sequence */
	f->origin = b->k.origin;
	f->med = b->k.flags & RIB_A_MED ? b->k.med : 0;
	if (b->k.aspath_len > 0)
		f->nbr_as = get32(b->path + 2);
	else
		f->nbr_as = f->local || f->ibgp ? AS_OURS : peer_defs[peer].asn;
	if (b->k.flags & RIB_A_ORIGINATOR)
		f->bgp_id = b->k.originator_id;
	else
		f->bgp_id = f->local ? RID_OURS : peer_defs[peer].rid;
	f->clusters = b->k.cluster_len / 4u;
	f->addr = f->local ? 0 : peer_nh4(peer);
}

/* Rules 1-4 and 6 as a key, lower better (rule 5 is not a key). */
static uint64_t
m_key(const struct minfo *f, int rule)
{
	switch (rule) {
	case 1:
		return UINT32_MAX - f->lp; /* highest LOCAL_PREF */
	case 2:
		return !f->local; /* ours */
	case 3:
		return f->hops; /* shortest AS_PATH */
	case 4:
		return f->origin; /* lowest ORIGIN */
	case 6:
		return f->ibgp; /* eBGP over iBGP */
	}
	fail();
	return 0;
}

/* Rules 7-11: does a come before b? */
static bool
m_tie_before(const struct minfo *a, const struct minfo *b)
{
	if (a->bgp_id != b->bgp_id)
		return a->bgp_id < b->bgp_id;
	if (a->clusters != b->clusters)
		return a->clusters < b->clusters;
	if (a->addr != b->addr)
		return a->addr < b->addr; /* ours have none: 0 */
	return a->peer < b->peer;
}

/*
 * The reference decision: RFC 4271 §9.1.2.2 as elimination, in
 * decide.c's order (LOCAL_PREF, ours, AS_PATH length, ORIGIN, MED
 * within a neighbor AS, eBGP over iBGP, BGP Identifier or
 * ORIGINATOR_ID, CLUSTER_LIST length, peer address, peer).  Returns
 * the source index of the best path, or -1.
 */
static int
m_best(struct model *m, size_t p)
{
	struct minfo f[M_NSRC];
	bool in[M_NSRC] = { false }, out[M_NSRC];
	int best = -1, rule;
	size_t i, j;
	uint64_t min;

	for (i = 0; i < M_NSRC; i++)
		if ((in[i] = m->path[p][i].on))
			m_info(m, p, i, &f[i]);
	for (rule = 1; rule <= 6; rule++) {
		if (rule == 5) {
			/* Beaten by a lower MED from the same neighbor AS. */
			for (i = 0; i < M_NSRC; i++) {
				out[i] = false;
				for (j = 0; j < M_NSRC; j++)
					if (in[i] && in[j] &&
					    f[j].nbr_as == f[i].nbr_as &&
					    f[j].med < f[i].med)
						out[i] = true;
			}
			for (i = 0; i < M_NSRC; i++)
				in[i] = in[i] && !out[i];
			continue;
		}
		min = UINT64_MAX;
		for (i = 0; i < M_NSRC; i++)
			if (in[i] && m_key(&f[i], rule) < min)
				min = m_key(&f[i], rule);
		for (i = 0; i < M_NSRC; i++)
			in[i] = in[i] && m_key(&f[i], rule) == min;
	}
	for (i = 0; i < M_NSRC; i++)
		if (in[i] && (best < 0 || m_tie_before(&f[i], &f[best])))
			best = (int)i;
	return best;
}

/*
 * What receiver ri should have of source si's set k of a family:
 * interned in the receiver's table, NULL for nothing.  Written from
 * the RFCs, not from adjout.c.
 */
static struct rib_attrs *
m_want(struct model *m, size_t ri, size_t si, uint8_t afi, size_t k)
{
	uint16_t rcv = m_rcv[ri], src = m_src[si];
	bool rcv_ibgp = peer_defs[rcv].ibgp, local = src == RIB_PEER_LOCAL;
	bool from_ibgp = !local && peer_defs[src].ibgp;
	struct rib_attrs **w = &m->want[ri][si][rib_afidx(afi)][k];
	struct kb b;
	uint8_t nh6[16];

	if (m->want_known[ri][si][rib_afidx(afi)][k])
		return *w;
	m->want_known[ri][si][rib_afidx(afi)][k] = true;
	b = *m_kb(m, si, afi, k);
	*w = NULL;
	if (src == rcv || kb_has_comm(&b, BGP_COMM_NO_ADVERTISE))
		return NULL;
	if (!rcv_ibgp &&
	    (kb_has_comm(&b, BGP_COMM_NO_EXPORT) ||
		kb_has_comm(&b, BGP_COMM_NO_EXPORT_SUBCONFED)))
		return NULL;
	if (from_ibgp && rcv_ibgp && !peer_defs[src].client &&
	    !peer_defs[rcv].client)
		return NULL;
	if (!rcv_ibgp) {
		kb_to_ebgp(&b, rcv, afi, local);
	} else {
		kb_to_ibgp(&b);
		if (from_ibgp)
			kb_reflect(&b, peer_defs[src].rid, RID_OURS);
		if (local || b.k.nh_len == 0) {
			if (afi == BGP_AFI_IPV4) {
				b.k.nh_len = 4;
				put32(b.k.nexthop, our_nh4(rcv));
			} else {
				our_nh6(rcv, nh6);
				kb_nh6(&b, nh6);
			}
		}
	}
	*w = kb_intern(m->x[ri]->t, &b);
	return *w;
}

/* (a) the paths, (b) the best, as the model has them. */
static void
m_check_rib(struct model *m, size_t step)
{
	size_t p, i, n, count[M_NSRC][2] = { { 0 } };
	struct rib_dest *d;
	struct rib_path *q;
	int best;

	for (p = 0; p < M_NPFX; p++) {
		d = rib_lookup(m->r, &m->pfx[p]);
		n = 0;
		for (i = 0; i < M_NSRC; i++)
			if (m->path[p][i].on) {
				n++;
				count[i][rib_afidx(m->pfx[p].afi)]++;
			}
		for (q = d != NULL ? d->paths : NULL; q != NULL; q = q->next) {
			for (i = 0; i < M_NSRC && m_src[i] != q->peer; i++)
				;
			if (i == M_NSRC || !m->path[p][i].on)
				fail_msg("step %zu: %s: a path of peer %u",
				    step, pfx_str(&m->pfx[p]), q->peer);
			assert_int_equal(q->path_id, 0);
			assert_ptr_equal(q->attrs,
			    m_attrs(m, i, m->pfx[p].afi, m->path[p][i].attr));
			assert_int_equal(
			    !!(q->flags & RIB_P_STALE), m->path[p][i].stale);
			n--;
		}
		if (n != 0)
			fail_msg("step %zu: %s: %zu paths missing", step,
			    pfx_str(&m->pfx[p]), n);
		best = m_best(m, p);
		if (best < 0) {
			assert_true(d == NULL || (d->nbest == 0 && !d->best));
			continue;
		}
		assert_int_equal(d->nbest, 1);
		if (d->paths->peer != m_src[best])
			fail_msg("step %zu: %s: best from peer %u, want %u "
				 "(rule %d)",
			    step, pfx_str(&m->pfx[p]), d->paths->peer,
			    m_src[best],
			    rib_path_cmp(m->r, d->paths, d->paths->next));
		assert_ptr_equal(d->best, d->paths->attrs);
	}
	for (i = 0; i < M_NSRC; i++) {
		assert_int_equal(
		    rib_peer_count(m->r, m_src[i], 0), count[i][0]);
		assert_int_equal(
		    rib_peer_count(m->r, m_src[i], 1), count[i][1]);
	}
}

/* (c) each receiver, flushed, has what the reference best exports. */
static void
m_check_out(struct model *m, size_t step)
{
	struct rx *x;
	struct view_ent *e;
	struct rib_attrs *want;
	size_t ri, p, n;
	int best;

	for (ri = 0; ri < M_NRCV; ri++) {
		x = m->x[ri];
		flush_all(m->r, m_rcv[ri], &m->rc);
		if (!m->up[ri]) {
			assert_int_equal(m->rc.n, 0);
			assert_int_equal(x->nv, 0);
			continue;
		}
		m->sent += m->rc.n;
		rx_apply_all(x, &m->rc);
		assert_int_equal(x->eor[0], 1);
		assert_int_equal(x->eor[1], 1);
		n = 0;
		for (p = 0; p < M_NPFX; p++) {
			best = m_best(m, p);
			want = best < 0
			    ? NULL
			    : m_want(m, ri, (size_t)best, m->pfx[p].afi,
				  m->path[p][best].attr);
			e = rx_find(x, &m->pfx[p]);
			if ((e != NULL ? e->a : NULL) == want) {
				n += want != NULL;
				continue;
			}
			print_message("step %zu: peer %u, %s, best from %d\n",
			    step, m_rcv[ri], pfx_str(&m->pfx[p]),
			    best < 0 ? -1 : m_src[best]);
			attrs_dump("got", e != NULL ? e->a : NULL);
			attrs_dump("want", want);
			fail_msg("receiver's view differs");
		}
		assert_int_equal(x->nv, n);
	}
	m->checks++;
}

static uint8_t
m_af(struct model *m)
{
	static const uint8_t af[3] = { RIB_AF_IPV4, RIB_AF_IPV6,
		RIB_AF_IPV4 | RIB_AF_IPV6 };

	return af[rnd_below(&m->seed, 3)];
}

static bool
m_in_af(const struct rib_prefix *p, uint8_t af)
{
	return (af & (1u << rib_afidx(p->afi))) != 0;
}

/* One random step. */
static void
m_step(struct model *m, size_t step)
{
	size_t si = rnd_below(&m->seed, M_NSRC),
	       p = rnd_below(&m->seed, M_NPFX);
	size_t ri = rnd_below(&m->seed, M_NRCV), k, i, q, len;
	unsigned int op = (unsigned int)rnd_below(&m->seed, 1000);
	uint16_t src = m_src[si];
	uint8_t af, nlri[32];
	struct rib_attrs *a;

	if (op < 450) { /* announce, or replace */
		k = rnd_below(&m->seed, M_NATTR);
		a = m_attrs(m, si, m->pfx[p].afi, k);
		if (rnd_below(&m->seed, 4) == 0) {
			len = nlri_of(&m->pfx[p], 1, nlri, sizeof(nlri));
			assert_int_equal(rib_announce(m->r, src, m->pfx[p].afi,
					     nlri, len, false, a),
			    1);
		} else
			rib_add(m->r, src, &m->pfx[p], 0, a);
		m->path[p][si] = (struct mpath){ true, false, (uint8_t)k };
	} else if (op < 570) { /* withdraw */
		if (rnd_below(&m->seed, 4) == 0) {
			len = nlri_of(&m->pfx[p], 1, nlri, sizeof(nlri));
			rib_withdraw(
			    m->r, src, m->pfx[p].afi, nlri, len, false);
		} else
			rib_del(m->r, src, &m->pfx[p], 0);
		m->path[p][si] = (struct mpath){ 0 };
	} else if (op < 575) { /* peer down */
		af = m_af(m);
		rib_peer_flush(m->r, src, af);
		for (q = 0; q < M_NPFX; q++)
			if (m_in_af(&m->pfx[q], af))
				m->path[q][si] = (struct mpath){ 0 };
	} else if (op < 590) { /* graceful restart begins */
		af = m_af(m);
		rib_peer_mark_stale(m->r, src, af);
		for (q = 0; q < M_NPFX; q++)
			if (m_in_af(&m->pfx[q], af) && m->path[q][si].on)
				m->path[q][si].stale = true;
	} else if (op < 605) { /* ... and ends */
		af = m_af(m);
		rib_peer_sweep_stale(m->r, src, af);
		for (q = 0; q < M_NPFX; q++)
			if (m_in_af(&m->pfx[q], af) && m->path[q][si].stale)
				m->path[q][si] = (struct mpath){ 0 };
	} else if (op < 612) { /* a receiver's session goes down */
		rib_out_stop(m->r, m_rcv[ri]);
		rx_reset(m->x[ri]);
		m->up[ri] = false;
		for (i = 0; i < M_NSRC; i++)
			if (m_src[i] == m_rcv[ri]) {
				rib_peer_flush(
				    m->r, m_src[i], RIB_AF_IPV4 | RIB_AF_IPV6);
				for (q = 0; q < M_NPFX; q++)
					m->path[q][i] = (struct mpath){ 0 };
			}
	} else if (op < 650) { /* ... and up */
		if (!m->up[ri]) {
			rib_out_start(m->r, m_rcv[ri]);
			m->up[ri] = true;
		}
	} else if (op < 690) { /* a flush cut short */
		rec_reset(&m->rc);
		m->rc.accept = rnd_below(&m->seed, 3);
		rib_out_flush(m->r, m_rcv[ri], m->rc.max, rec_send, &m->rc);
		if (m->up[ri])
			rx_apply_all(m->x[ri], &m->rc);
		else
			assert_int_equal(m->rc.n, 0);
	} else if (op < 700) {
		rib_out_refresh(m->r, m_rcv[ri], m_af(m), false);
	} else {
		rib_process(m->r);
		m_check_rib(m, step);
		m_check_out(m, step);
	}
}

static void
model_run(uint64_t seed, size_t steps)
{
	struct model *m = calloc(1, sizeof(*m));
	size_t i, j, k, f, s;

	assert_non_null(m);
	m->seed = seed;
	m->r = rib_make();
	rec_init(&m->rc, BGP_MAX_MSG);
	for (i = 1; i < NPEERDEF; i++)
		peer_add(m->r, (uint16_t)i, RIB_AF_IPV4 | RIB_AF_IPV6);
	for (i = 0; i < M_NV4; i++)
		m->pfx[i] =
		    pfx4(IP4(10 + i / 10, i * 4, 0, 0), (uint8_t)(14 + i % 19));
	for (; i < M_NPFX; i++)
		m->pfx[i] = pfx6(
		    (uint16_t)(0x100 + i), 0, (uint8_t)(32 + (i - M_NV4) * 8));
	for (f = 0; f < 2; f++)
		for (k = 0; k < M_NATTR; k++) {
			m_pool_attrs(m, &m->pool[f][k], false,
			    f ? BGP_AFI_IPV6 : BGP_AFI_IPV4, k);
			m->pa[f][k] = kb_intern(m->r, &m->pool[f][k]);
		}
	for (k = 0; k < M_NLOC; k++) {
		m_pool_attrs(m, &m->loc[k], true, BGP_AFI_IPV4, k);
		m->la[k] = kb_intern(m->r, &m->loc[k]);
	}
	for (i = 0; i < M_NRCV; i++) {
		m->x[i] = rx_new(peer_defs[m_rcv[i]].ibgp);
		rib_out_start(m->r, m_rcv[i]);
		m->up[i] = true;
	}
	for (i = 0; i < steps; i++)
		m_step(m, i);
	rib_process(m->r);
	m_check_rib(m, steps);
	m_check_out(m, steps);
	assert_true(m->checks > steps / 50);
	assert_true(m->sent > steps / 10);

	for (i = 0; i < M_NRCV; i++)
		for (s = 0; s < M_NSRC; s++)
			for (f = 0; f < 2; f++)
				for (j = 0; j < M_NATTR; j++)
					rib_attrs_unref(
					    m->x[i]->t, m->want[i][s][f][j]);
	for (i = 0; i < M_NRCV; i++)
		rx_free(m->x[i]);
	for (f = 0; f < 2; f++)
		for (k = 0; k < M_NATTR; k++)
			rib_attrs_unref(m->r, m->pa[f][k]);
	for (k = 0; k < M_NLOC; k++)
		rib_attrs_unref(m->r, m->la[k]);
	rib_free(m->r);
	rec_clean(&m->rc);
	free(m);
}

static void
test_model(void **state)
{
	static const uint64_t seeds[] = { 1, 2, 3, 42, 4271 };
	size_t i;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
		model_run(seeds[i], 20000);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attrs_intern),
		cmocka_unit_test(test_attrs_many),
		cmocka_unit_test(test_attrs_wire),
		cmocka_unit_test(test_table_churn),
		cmocka_unit_test(test_table_full_wrap),
		cmocka_unit_test(test_table_rib),
		cmocka_unit_test(test_slab),
		cmocka_unit_test(test_out_ebgp),
		cmocka_unit_test(test_out_communities),
		cmocka_unit_test(test_out_ibgp),
		cmocka_unit_test(test_out_ipv6),
		cmocka_unit_test(test_out_backpressure),
		cmocka_unit_test(test_out_restart),
		cmocka_unit_test(test_out_oversized),
		cmocka_unit_test(test_out_churn_memory),
		cmocka_unit_test(test_graceful_restart),
		cmocka_unit_test(test_memory_full_table),
		cmocka_unit_test(test_model),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]); /* e.g. "test_out_*" */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
