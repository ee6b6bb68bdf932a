/*
 * export.c: the route stream to route programmers.
 *
 * Every change of the loc-RIB (the RIB's best_changed hook) appends the
 * prefix to a journal: a ring of sequence-numbered entries with at most
 * one live entry per prefix (a newer change of a prefix retires its
 * older entry, so a reader who has not reached the old one skips it:
 * that is the coalescing, latest state wins).  An entry holds only the
 * prefix; what is sent for it is the prefix's state in the RIB when it
 * is sent.
 *
 * A subscriber (a Unix socket, or TCP with mutual TLS) sends one
 * Subscribe (proto/dxbgp.proto) and gets either Resume, when its
 * instance and sequence number are still inside the journal, or a
 * snapshot of every selected route, then the journal's entries as
 * Route events.  A subscriber that falls off the end of the journal
 * gets a new snapshot in the same connection.  Per subscriber the daemon
 * keeps a cursor into the journal and a bounded output buffer, filled
 * only while the socket takes bytes, a bounded amount per turn of the
 * loop: a slow reader costs memory nowhere else and never holds up a
 * BGP session.  Anything a subscriber sends other than one Subscribe
 * and Heartbeats closes it, with the reason logged and sent as Error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <dxbgp/frame.h>

#include "export.h"
#include "log.h"
#include "policy.h"
#include "sess_sock.h"
#include "session.h"
#include "show.h"

/* Work done for one subscriber per callback before others get a turn. */
#define EXP_TURN_BYTES (1024u * 1024)
/* Prefixes of a snapshot looked up together (<= RIB_LOOKUP_MANY). */
#define EXP_BATCH 32
/* The kernel's send buffer asked for each subscriber's socket. */
#define EXP_SNDBUF (4 << 20)

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL)
		log_fatal("out of memory");
	return p;
}

static void *
xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (p == NULL)
		log_fatal("out of memory");
	return p;
}

/* ---- the journal ---- */

struct jent {
	uint64_t seq; /* 0: never used */
	struct rib_prefix pfx;
	bool live; /* no newer entry for the prefix */
};

struct journal {
	struct jent *ring;
	size_t cap;
	uint32_t *hash; /* ring index + 1 of the live entry; 0 empty */
	size_t hmask;
	uint64_t next; /* sequence number of the next entry; from 1 */
};

static size_t
pfx_bytes(const struct rib_prefix *p)
{
	return (p->len + 7u) / 8u;
}

static bool
pfx_eq(const struct rib_prefix *a, const struct rib_prefix *b)
{
	return a->afi == b->afi && a->len == b->len &&
	    memcmp(a->addr, b->addr, pfx_bytes(a)) == 0;
}

static size_t
pfx_hash(const struct rib_prefix *p)
{
	uint64_t h = 0xcbf29ce484222325ull ^ ((uint64_t)p->afi << 8 | p->len);
	size_t i, n = pfx_bytes(p);

	for (i = 0; i < n; i++)
		h = (h ^ p->addr[i]) * 0x100000001b3ull;
	return (size_t)(h ^ (h >> 29));
}

static uint64_t
j_oldest(const struct journal *j)
{
	return j->next > j->cap ? j->next - j->cap : 1;
}

static void
j_init(struct journal *j, size_t cap, uint64_t next)
{
	size_t hs = 1;

	while (hs < cap * 2)
		hs <<= 1;
	j->ring = xcalloc(cap, sizeof(*j->ring));
	j->cap = cap;
	j->hash = xcalloc(hs, sizeof(*j->hash));
	j->hmask = hs - 1;
	j->next = next;
}

static void
j_clean(struct journal *j)
{
	free(j->ring);
	free(j->hash);
	j->ring = NULL;
	j->hash = NULL;
	j->cap = 0;
}

/* The slot of p's live entry, or the empty slot where it would go. */
static size_t
j_slot(const struct journal *j, const struct rib_prefix *p)
{
	size_t i = pfx_hash(p) & j->hmask;

	while (j->hash[i] != 0 && !pfx_eq(&j->ring[j->hash[i] - 1].pfx, p))
		i = (i + 1) & j->hmask;
	return i;
}

/* Removes slot i (linear probing: later entries shift back). */
static void
j_unslot(struct journal *j, size_t i)
{
	size_t k, n = i;

	j->hash[i] = 0;
	for (;;) {
		n = (n + 1) & j->hmask;
		if (j->hash[n] == 0)
			return;
		k = pfx_hash(&j->ring[j->hash[n] - 1].pfx) & j->hmask;
		/* Stays if its home is cyclically within (i, n]. */
		if (i <= n ? (i < k && k <= n) : (i < k || k <= n))
			continue;
		j->hash[i] = j->hash[n];
		j->hash[n] = 0;
		i = n;
	}
}

static void
j_append(struct journal *j, const struct rib_prefix *p)
{
	size_t idx = (size_t)(j->next % j->cap), slot;
	struct jent *e = &j->ring[idx];

	if (e->seq != 0 && e->live)
		j_unslot(j, j_slot(j, &e->pfx));
	slot = j_slot(j, p);
	if (j->hash[slot] != 0)
		j->ring[j->hash[slot] - 1].live = false;
	e->seq = j->next++;
	e->pfx = *p;
	e->live = true;
	j->hash[slot] = (uint32_t)idx + 1;
}

/* ---- objects ---- */

struct lsn {
	struct lsn *next;
	struct exp *x;
	struct conf_export_listen conf;
	int fd;
	ev_io w;
	SSL_CTX *ctx; /* TLS only */
	unsigned nsubs;
};

/*
 * HELLO: until its Subscribe; WAIT: for the RIB to be complete after a
 * start (End-of-RIB); SNAPSHOT: sending one; STREAM: journal events.
 */
enum sub_state { SUB_HELLO, SUB_WAIT, SUB_SNAPSHOT, SUB_STREAM };

static const char *const sub_state_names[] = { "hello", "waiting", "snapshot",
	"stream" };

/* A prefix of a snapshot, compact: IPv4 in 8 bytes. */
struct snap {
	uint64_t *v4; /* addr << 8 | len */
	size_t n4, cap4;
	struct rib_prefix *v6;
	size_t n6, cap6;
	size_t i; /* next to send: IPv4 first, then IPv6 */
};

struct sub {
	struct sub *next;
	struct exp *x;
	struct lsn *l;
	int fd;
	SSL *ssl;
	bool handshaking;
	ev_io rio, wio;
	uint8_t *rx;
	size_t rxlen;
	uint8_t *tx;
	size_t txhead, txlen, txcap;
	enum sub_state state;
	char name[65];
	char who[160]; /* where it connects from: uid, address, TLS name */
	/* what it asked for */
	uint8_t afs; /* RIB_AF_* */
	struct conf_addr *nbrs;
	size_t nnbrs;
	uint32_t *comms;
	size_t ncomms;
	uint8_t (*lcomms)[12];
	size_t nlcomms;
	double hb;            /* heartbeat interval, seconds */
	ev_tstamp last_tx;    /* when bytes last left */
	ev_tstamp since;      /* connected */
	struct snap snap;     /* while in SUB_SNAPSHOT */
	uint64_t snap_seq;    /* the journal position it was taken at */
	uint64_t snap_routes; /* routes sent in it */
	uint64_t cursor;      /* last journal entry handled */
	/* counters */
	uint64_t routes, deletes, coalesced, snapshots, resumes;
};

struct exp_peer {
	uint8_t addr[16];
	uint8_t alen; /* 0: no such peer */
	uint32_t asn;
};

/*
 * The attribute fields of Route messages (frame_route_head/join), per
 * attribute set and peer: a table of tens of thousands of sets is sent
 * as a million prefixes.  An entry holds a reference to its set, so
 * the pointer cannot come to mean another one.  Set-associative: the
 * keys of a set share a cache line, and short fields are kept inline,
 * as a snapshot's lookups miss the CPU cache anyway.
 */
#define EXP_ASETS   16384
#define EXP_AWAYS   4
#define EXP_AINLINE 112
struct aent {
	uint32_t len;
	uint32_t cap; /* of big */
	uint8_t *big; /* the fields, if longer than EXP_AINLINE */
	uint8_t inl[EXP_AINLINE];
};
struct aset {
	struct rib_attrs *a[EXP_AWAYS];
	uint16_t peer[EXP_AWAYS];
	uint8_t next; /* the way to evict next */
	struct aent e[EXP_AWAYS];
};

struct exp {
	struct ev_loop *loop;
	struct bgpd *d;
	const struct conf *conf;
	struct journal j;
	struct lsn *lsns;
	struct sub *subs;
	unsigned nsubs;
	uint64_t instance;
	ev_timer t_tick;   /* heartbeats, Subscribe timeouts */
	ev_tstamp started; /* first configured */
	bool ready;        /* the RIB is complete since the start */
	bool stopped;      /* exp_stop: the daemon is on its way out */
	struct exp_peer peers[RIB_MAX_PEERS];
	struct aset *acache; /* EXP_ASETS sets, made on first use */
	uint8_t *tbuf;       /* a multipath route's attribute fields */
	uint32_t tcap;
	struct pol_buf pbuf;
	/* scratch for one Route message */
	Dxbgp__AsPathSegment *segs;
	Dxbgp__AsPathSegment **segp;
	uint32_t *asns;
	uint32_t *comms;
	Dxbgp__LargeCommunity *lcs;
	Dxbgp__LargeCommunity **lcp;
	ProtobufCBinaryData nhs[RIB_MAX_PEERS];
};

static bool sub_pump(struct sub *);
static void sub_close(struct sub *, enum log_level, const char *why);

/* ---- output ---- */

static void
tx_reserve(struct sub *s, size_t n)
{
	if (s->txhead > 0 && s->txhead == s->txlen)
		s->txhead = s->txlen = 0;
	if (s->txlen + n <= s->txcap)
		return;
	if (s->txhead > s->txcap / 2) {
		memmove(s->tx, s->tx + s->txhead, s->txlen - s->txhead);
		s->txlen -= s->txhead;
		s->txhead = 0;
		if (s->txlen + n <= s->txcap)
			return;
	}
	/* Room for two marks' worth: moving the rest down stays rare. */
	s->txcap = s->txlen + n + 2 * EXP_TX_HIGH;
	s->tx = xrealloc(s->tx, s->txcap);
}

static void
queue_msg(struct sub *s, const Dxbgp__Message *m)
{
	size_t n = dxbgp__message__get_packed_size(m), h;

	tx_reserve(s, n + FRAME_HDR_MAX);
	h = frame_hdr(s->tx + s->txlen, n);
	s->txlen += h + dxbgp__message__pack(m, s->tx + s->txlen + h);
}

static void
queue_heartbeat(struct sub *s)
{
	Dxbgp__Message m = DXBGP__MESSAGE__INIT;
	Dxbgp__Heartbeat hb = DXBGP__HEARTBEAT__INIT;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	hb.instance = s->x->instance;
	hb.seq = s->x->j.next - 1;
	hb.time_ms =
	    (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	m.body_case = DXBGP__MESSAGE__BODY_HEARTBEAT;
	m.heartbeat = &hb;
	queue_msg(s, &m);
}

/* Refreshes what Route messages say about each peer. */
static void
acache_flush(struct exp *x)
{
	size_t i;

	if (x->acache == NULL)
		return;
	for (i = 0; i < EXP_ASETS * EXP_AWAYS; i++) {
		struct aset *set = &x->acache[i / EXP_AWAYS];

		if (set->a[i % EXP_AWAYS] != NULL)
			rib_attrs_unref(x->d->rib, set->a[i % EXP_AWAYS]);
		free(set->e[i % EXP_AWAYS].big);
	}
	free(x->acache);
	x->acache = NULL;
}

static void
peers_refresh(struct exp *x)
{
	struct exp_peer old[RIB_MAX_PEERS];
	struct peer *p;
	struct exp_peer *e;

	memcpy(old, x->peers, sizeof(old));
	memset(x->peers, 0, sizeof(x->peers));
	for (p = x->d->peers; p != NULL; p = p->next) {
		if (p->rib_id >= RIB_MAX_PEERS)
			continue;
		e = &x->peers[p->rib_id];
		if (p->conf.addr.family == AF_INET) {
			memcpy(e->addr, &p->conf.addr.u.v4, 4);
			e->alen = 4;
		} else {
			memcpy(e->addr, &p->conf.addr.u.v6, 16);
			e->alen = 16;
		}
		e->asn = p->state == FSM_ESTABLISHED ? p->nego.peer_as
						     : p->conf.remote_as;
	}
	/* What a peer is called is part of the cached attribute fields. */
	if (memcmp(old, x->peers, sizeof(old)) != 0)
		acache_flush(x);
}

static size_t
afi_len(uint8_t afi)
{
	return afi == BGP_AFI_IPV6 ? 16 : 4;
}

/* The AS path of a as segments, into the exp's scratch arrays. */
static void
fill_aspath(struct exp *x, const struct rib_attrs *a, Dxbgp__Route *r)
{
	const uint8_t *p = rib_attrs_aspath(a), *end = p + a->aspath_len;
	size_t nseg = 0, nas = 0, k;

	while (end - p >= 2) {
		uint8_t type = p[0], cnt = p[1];
		Dxbgp__AsPathSegment *sg = &x->segs[nseg];

		p += 2;
		if ((size_t)(end - p) < (size_t)cnt * 4)
			break;
		dxbgp__as_path_segment__init(sg);
		/* AS_SET and AS_CONFED_SET are sets; the rest sequences. */
		sg->set = type == BGP_SEG_SET || type == BGP_SEG_CONFED_SET;
		sg->asns = &x->asns[nas];
		for (k = 0; k < cnt; k++, p += 4)
			x->asns[nas++] = (uint32_t)p[0] << 24 |
			    (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
		sg->n_asns = cnt;
		x->segp[nseg] = sg;
		nseg++;
	}
	r->as_path = x->segp;
	r->n_as_path = nseg;
}

static void
fill_comms(struct exp *x, const struct rib_attrs *a, Dxbgp__Route *r)
{
	const uint8_t *c = rib_attrs_comm(a), *l = rib_attrs_lcomm(a);
	size_t i, n = a->comm_len / 4, nl = a->lcomm_len / 12;

	for (i = 0; i < n; i++, c += 4)
		x->comms[i] = (uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 |
		    (uint32_t)c[2] << 8 | c[3];
	r->communities = x->comms;
	r->n_communities = n;
	for (i = 0; i < nl; i++, l += 12) {
		Dxbgp__LargeCommunity *lc = &x->lcs[i];

		dxbgp__large_community__init(lc);
		lc->global_admin = (uint32_t)l[0] << 24 | (uint32_t)l[1] << 16 |
		    (uint32_t)l[2] << 8 | l[3];
		lc->local1 = (uint32_t)l[4] << 24 | (uint32_t)l[5] << 16 |
		    (uint32_t)l[6] << 8 | l[7];
		lc->local2 = (uint32_t)l[8] << 24 | (uint32_t)l[9] << 16 |
		    (uint32_t)l[10] << 8 | l[11];
		x->lcp[i] = lc;
	}
	r->large_communities = x->lcp;
	r->n_large_communities = nl;
}

/* The next hops of d's multipath set, each once. */
static void
fill_nexthops(struct exp *x, const struct rib_dest *d, Dxbgp__Route *r)
{
	static const uint8_t zero[16];
	const struct rib_path *p = d->paths;
	size_t alen = afi_len(d->pfx.afi), n = 0, i, k;

	for (k = 0; k < d->nbest && p != NULL; k++, p = p->next) {
		const uint8_t *nh =
		    p->attrs->nh_len >= alen ? p->attrs->nexthop : zero;

		for (i = 0; i < n; i++)
			if (memcmp(x->nhs[i].data, nh, alen) == 0)
				break;
		if (i < n)
			continue;
		x->nhs[n].data = (uint8_t *)nh;
		x->nhs[n].len = alen;
		n++;
	}
	r->nexthops = x->nhs;
	r->n_nexthops = n;
}

/* The attribute fields (6-15) of d's Route, packed into *buf. */
static uint32_t
pack_tail(struct exp *x, const struct rib_dest *d, uint8_t **buf, uint32_t *cap)
{
	Dxbgp__Route r = DXBGP__ROUTE__INIT;
	const struct rib_attrs *a = d->paths->attrs;
	const struct exp_peer *pe;
	size_t n;

	fill_nexthops(x, d, &r);
	fill_aspath(x, a, &r);
	fill_comms(x, a, &r);
	r.origin = (Dxbgp__Origin)(a->origin <= 2 ? a->origin : 2);
	r.has_med = (a->flags & RIB_A_MED) != 0;
	r.med = a->med;
	r.local_pref = (a->flags & RIB_A_LOCAL_PREF) ? a->local_pref : 0;
	pe = &x->peers[d->paths->peer < RIB_MAX_PEERS ? d->paths->peer : 0];
	if (d->paths->peer != RIB_PEER_LOCAL && pe->alen != 0) {
		r.peer.data = (uint8_t *)pe->addr;
		r.peer.len = pe->alen;
		r.peer_asn = pe->asn;
	}
	n = dxbgp__route__get_packed_size(&r);
	if (n > *cap) {
		*cap = (uint32_t)n + 64;
		*buf = xrealloc(*buf, *cap);
	}
	return (uint32_t)dxbgp__route__pack(&r, *buf);
}

/* The set of the attribute cache where (a, peer) would be. */
static struct aset *
aset_of(struct exp *x, const struct rib_attrs *a, uint16_t peer)
{
	uintptr_t h = (uintptr_t)a >> 4;

	return &x->acache[(h * 0x9e3779b97f4a7c15ull >> 40 ^ peer) &
	    (EXP_ASETS - 1)];
}

/* Queues the Route for pfx: its selected route d, or a DELETE. */
static void
queue_route(struct sub *s, const struct rib_prefix *pfx,
    const struct rib_dest *d, uint64_t seq)
{
	struct exp *x = s->x;
	uint8_t head[FRAME_ROUTE_HEAD_MAX];
	const uint8_t *tail = NULL;
	uint32_t tlen = 0;
	size_t hlen;

	hlen = frame_route_head(head, seq,
	    pfx->afi == BGP_AFI_IPV6 ? DXBGP__AFI__AFI_IPV6
				     : DXBGP__AFI__AFI_IPV4,
	    pfx->addr, afi_len(pfx->afi), pfx->len,
	    d != NULL ? DXBGP__ACTION__ADD : DXBGP__ACTION__DELETE);
	if (d == NULL) {
		s->deletes++;
	} else if (d->nbest == 1) {
		struct rib_attrs *a = d->paths->attrs;
		uint16_t peer = d->paths->peer;
		struct aset *set;
		struct aent *e;
		unsigned w;

		if (x->acache == NULL)
			x->acache = xcalloc(EXP_ASETS, sizeof(*x->acache));
		set = aset_of(x, a, peer);
		for (w = 0; w < EXP_AWAYS; w++)
			if (set->a[w] == a && set->peer[w] == peer)
				break;
		if (w == EXP_AWAYS) {
			w = set->next;
			set->next = (uint8_t)((w + 1) % EXP_AWAYS);
			if (set->a[w] != NULL)
				rib_attrs_unref(x->d->rib, set->a[w]);
			rib_attrs_ref(a);
			set->a[w] = a;
			set->peer[w] = peer;
			e = &set->e[w];
			e->len = pack_tail(x, d, &x->tbuf, &x->tcap);
			if (e->len <= EXP_AINLINE)
				memcpy(e->inl, x->tbuf, e->len);
			else {
				if (e->len > e->cap) {
					e->cap = e->len;
					e->big = xrealloc(e->big, e->cap);
				}
				memcpy(e->big, x->tbuf, e->len);
			}
		}
		e = &set->e[w];
		tail = e->len <= EXP_AINLINE ? e->inl : e->big;
		tlen = e->len;
		s->routes++;
	} else {
		tlen = pack_tail(x, d, &x->tbuf, &x->tcap);
		tail = x->tbuf;
		s->routes++;
	}
	tx_reserve(s, hlen + tlen + FRAME_ROUTE_OVERHEAD);
	s->txlen += frame_route_join(s->tx + s->txlen, head, hlen, tail, tlen);
}

/* ---- filters ---- */

static bool
has_comm(const struct sub *s, const struct rib_attrs *a)
{
	const uint8_t *c = rib_attrs_comm(a), *l = rib_attrs_lcomm(a);
	size_t i, k;

	for (i = 0; i + 4 <= a->comm_len; i += 4) {
		uint32_t v = (uint32_t)c[i] << 24 | (uint32_t)c[i + 1] << 16 |
		    (uint32_t)c[i + 2] << 8 | c[i + 3];

		for (k = 0; k < s->ncomms; k++)
			if (s->comms[k] == v)
				return true;
	}
	for (i = 0; i + 12 <= a->lcomm_len; i += 12)
		for (k = 0; k < s->nlcomms; k++)
			if (memcmp(l + i, s->lcomms[k], 12) == 0)
				return true;
	return false;
}

/* d if its selected route passes s's filters, else NULL. */
static const struct rib_dest *
passes(struct sub *s, const struct rib_dest *d)
{
	struct exp *x = s->x;
	const struct rib_path *best;
	struct rib_attrs_key k;
	size_t i;

	if (d == NULL || d->nbest == 0 || d->paths == NULL)
		return NULL;
	best = d->paths;
	if (s->nnbrs > 0) {
		const struct exp_peer *pe = &x->peers[best->peer];

		for (i = 0; i < s->nnbrs; i++)
			if (pe->alen != 0 &&
			    memcmp(pe->addr, &s->nbrs[i].u, pe->alen) == 0 &&
			    (s->nbrs[i].family == AF_INET) == (pe->alen == 4))
				break;
		if (i == s->nnbrs)
			return NULL;
	}
	if ((s->ncomms > 0 || s->nlcomms > 0) && !has_comm(s, best->attrs))
		return NULL;
	if (s->l->conf.rmap[0] != '\0') {
		rib_attrs_key_of(best->attrs, &k);
		if (pol_apply(x->conf->pol, NULL, s->l->conf.rmap, &d->pfx, &k,
			x->conf->asn, &x->pbuf) != POL_PERMIT)
			return NULL;
	}
	return d;
}

static bool
af_wanted(const struct sub *s, uint8_t afi)
{
	return (s->afs & (afi == BGP_AFI_IPV6 ? RIB_AF_IPV6 : RIB_AF_IPV4)) !=
	    0;
}

/* ---- snapshots ---- */

static void
snap_clean(struct snap *sn)
{
	free(sn->v4);
	free(sn->v6);
	memset(sn, 0, sizeof(*sn));
}

static void
snap_add(void *arg, const struct rib_dest *d)
{
	struct snap *sn = arg;

	if (d->nbest == 0)
		return;
	if (d->pfx.afi == BGP_AFI_IPV4) {
		if (sn->n4 == sn->cap4) {
			sn->cap4 = sn->cap4 ? sn->cap4 * 2 : 1024;
			sn->v4 = xrealloc(sn->v4, sn->cap4 * sizeof(*sn->v4));
		}
		sn->v4[sn->n4++] = (uint64_t)d->pfx.addr[0] << 32 |
		    (uint64_t)d->pfx.addr[1] << 24 |
		    (uint64_t)d->pfx.addr[2] << 16 |
		    (uint64_t)d->pfx.addr[3] << 8 | d->pfx.len;
		return;
	}
	if (sn->n6 == sn->cap6) {
		sn->cap6 = sn->cap6 ? sn->cap6 * 2 : 256;
		sn->v6 = xrealloc(sn->v6, sn->cap6 * sizeof(*sn->v6));
	}
	sn->v6[sn->n6++] = d->pfx;
}

/* The snapshot's next prefix into p; false after the last. */
static bool
snap_next(struct snap *sn, struct rib_prefix *p)
{
	uint64_t v;

	memset(p, 0, sizeof(*p));
	if (sn->i < sn->n4) {
		v = sn->v4[sn->i++];
		p->afi = BGP_AFI_IPV4;
		p->len = (uint8_t)v;
		p->addr[0] = (uint8_t)(v >> 32);
		p->addr[1] = (uint8_t)(v >> 24);
		p->addr[2] = (uint8_t)(v >> 16);
		p->addr[3] = (uint8_t)(v >> 8);
		return true;
	}
	if (sn->i < sn->n4 + sn->n6) {
		*p = sn->v6[sn->i++ - sn->n4];
		return true;
	}
	return false;
}

static void
snap_start(struct sub *s)
{
	struct exp *x = s->x;
	Dxbgp__Message m = DXBGP__MESSAGE__INIT;
	Dxbgp__SnapshotBegin sb = DXBGP__SNAPSHOT_BEGIN__INIT;

	snap_clean(&s->snap);
	if (af_wanted(s, BGP_AFI_IPV4))
		rib_foreach(x->d->rib, BGP_AFI_IPV4, snap_add, &s->snap);
	if (af_wanted(s, BGP_AFI_IPV6))
		rib_foreach(x->d->rib, BGP_AFI_IPV6, snap_add, &s->snap);
	s->state = SUB_SNAPSHOT;
	s->snap_seq = x->j.next - 1;
	s->snap_routes = 0;
	s->snapshots++;
	sb.instance = x->instance;
	sb.seq = s->snap_seq;
	m.body_case = DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN;
	m.snapshot_begin = &sb;
	queue_msg(s, &m);
}

static void
snap_end(struct sub *s)
{
	Dxbgp__Message m = DXBGP__MESSAGE__INIT;
	Dxbgp__SnapshotEnd se = DXBGP__SNAPSHOT_END__INIT;

	snap_clean(&s->snap);
	se.seq = s->snap_seq;
	se.routes = s->snap_routes;
	m.body_case = DXBGP__MESSAGE__BODY_SNAPSHOT_END;
	m.snapshot_end = &se;
	queue_msg(s, &m);
	s->state = SUB_STREAM;
	s->cursor = s->snap_seq;
	log_info("export: %s: snapshot sent, %llu routes at sequence %llu",
	    s->name, (unsigned long long)s->snap_routes,
	    (unsigned long long)s->snap_seq);
}

/* ---- the pump: from the RIB and the journal into the buffer ---- */

/*
 * The next EXP_BATCH prefixes of a snapshot.  A snapshot's lookups
 * miss the CPU cache at every step (slot, record, path, cache entry):
 * done in stages over a batch, the misses overlap.
 */
static void
snap_batch(struct sub *s)
{
	struct exp *x = s->x;
	struct rib_prefix pb[EXP_BATCH];
	struct rib_dest *db[EXP_BATCH];
	size_t n = 0, i;

	while (n < EXP_BATCH && snap_next(&s->snap, &pb[n]))
		n++;
	if (n == 0) {
		snap_end(s);
		return;
	}
	rib_lookup_many(x->d->rib, pb, n, db);
	for (i = 0; i < n; i++)
		if (db[i] != NULL && db[i]->paths != NULL)
			__builtin_prefetch(db[i]->paths);
	if (x->acache != NULL)
		for (i = 0; i < n; i++)
			if (db[i] != NULL && db[i]->nbest == 1)
				__builtin_prefetch(aset_of(x,
				    db[i]->paths->attrs, db[i]->paths->peer));
	for (i = 0; i < n; i++)
		if (passes(s, db[i]) != NULL) {
			queue_route(s, &pb[i], db[i], 0);
			s->snap_routes++;
		}
}

/* Adds messages while the buffer is below its mark; false if nothing is
 * left to add. */
static bool
sub_fill(struct sub *s)
{
	struct exp *x = s->x;
	struct journal *j = &x->j;
	const struct jent *e;

	while (s->txlen - s->txhead < EXP_TX_HIGH) {
		if (s->state == SUB_SNAPSHOT) {
			snap_batch(s);
			continue;
		}
		if (s->state != SUB_STREAM || j->ring == NULL ||
		    s->cursor + 1 >= j->next)
			return false;
		if (s->cursor + 1 < j_oldest(j)) {
			log_warn("export: %s: fell behind the journal (at "
				 "sequence %llu, oldest kept %llu); sending a "
				 "new snapshot",
			    s->name, (unsigned long long)s->cursor,
			    (unsigned long long)j_oldest(j));
			snap_start(s);
			continue;
		}
		s->cursor++;
		e = &j->ring[s->cursor % j->cap];
		if (!e->live) {
			s->coalesced++;
			continue;
		}
		if (!af_wanted(s, e->pfx.afi))
			continue;
		queue_route(s, &e->pfx,
		    passes(s, rib_lookup(x->d->rib, &e->pfx)), s->cursor);
	}
	return true;
}

/* Writes what it can; -1 if the connection failed. */
static int
sub_write(struct sub *s)
{
	ssize_t n;
	int err;

	while (s->txhead < s->txlen) {
		size_t len = s->txlen - s->txhead;

		if (s->ssl != NULL) {
			ERR_clear_error();
			n = SSL_write(s->ssl, s->tx + s->txhead,
			    len > INT32_MAX ? INT32_MAX : (int)len);
			if (n <= 0) {
				err = SSL_get_error(s->ssl, (int)n);
				if (err == SSL_ERROR_WANT_WRITE ||
				    err == SSL_ERROR_WANT_READ)
					return 0;
				return -1;
			}
		} else {
			n = send(s->fd, s->tx + s->txhead, len, MSG_NOSIGNAL);
			if (n == -1) {
				if (errno == EAGAIN || errno == EINTR)
					return 0;
				return -1;
			}
		}
		s->txhead += (size_t)n;
		s->last_tx = ev_now(s->x->loop);
	}
	s->txhead = s->txlen = 0;
	return 0;
}

/* Fills and writes a turn's worth; false if s was closed. */
static bool
sub_pump(struct sub *s)
{
	size_t turn = 0, before;
	bool more = false;

	if (s->handshaking || s->state == SUB_HELLO) {
		ev_io_stop(s->x->loop, &s->wio);
		return true;
	}
	peers_refresh(s->x);
	while (turn < EXP_TURN_BYTES) {
		before = s->txlen - s->txhead;
		more = sub_fill(s);
		turn += s->txlen - s->txhead - before;
		if (sub_write(s) == -1) {
			sub_close(
			    s, LOG_LVL_INFO, "connection lost while sending");
			return false;
		}
		if (s->txlen > s->txhead || !more)
			break;
	}
	if (s->txlen > s->txhead || more)
		ev_io_start(s->x->loop, &s->wio);
	else
		ev_io_stop(s->x->loop, &s->wio);
	/* A buffer grown for a burst is given back once drained. */
	if (s->txlen == 0 && s->txcap > 2 * EXP_TX_HIGH) {
		free(s->tx);
		s->tx = NULL;
		s->txcap = 0;
	}
	return true;
}

/* ---- after a start ---- */

/* A neighbor not shut down that is not up with its End-of-RIB, or NULL. */
static const struct peer *
eor_missing(const struct exp *x)
{
	const struct peer *p;

	for (p = x->d->peers; p != NULL; p = p->next)
		if (!p->conf.shutdown &&
		    (p->state != FSM_ESTABLISHED ||
			(p->eor_af & p->nego.af) != p->nego.af))
			return p;
	return NULL;
}

/*
 * Whether the RIB holds what the neighbors have, so that a snapshot
 * does not make a programmer delete routes that are only not back yet
 * (as the selection deferral of RFC 4724 §4.1): every neighbor not
 * shut down is up and has sent End-of-RIB for its families, or the
 * startup delay has passed.
 */
static bool
rib_ready(struct exp *x)
{
	double delay;

	if (x->ready)
		return true;
	delay = x->conf->exp_startup_delay_set ? x->conf->exp_startup_delay
					       : CONF_EXPORT_STARTUP_DELAY;
	if (eor_missing(x) == NULL)
		log_info("export: every neighbor has sent End-of-RIB: "
			 "snapshots go out now");
	else if (ev_now(x->loop) - x->started >= delay)
		log_info("export: %.0f s since the start, not every neighbor "
			 "has sent End-of-RIB: snapshots go out now",
		    delay);
	else
		return false;
	x->ready = true;
	return true;
}

/* ---- input ---- */

/* Answers a Subscribe; false if s was closed. */
static bool
sub_subscribe(struct sub *s, const Dxbgp__Subscribe *m)
{
	struct exp *x = s->x;
	Dxbgp__Message out = DXBGP__MESSAGE__INIT;
	Dxbgp__Resume rs = DXBGP__RESUME__INIT;
	size_t i;

	if (m->name[0] != '\0')
		snprintf(s->name, sizeof(s->name), "%s", m->name);
	s->afs = 0;
	for (i = 0; i < m->n_afis; i++)
		s->afs |= m->afis[i] == DXBGP__AFI__AFI_IPV6 ? RIB_AF_IPV6
							     : RIB_AF_IPV4;
	if (s->afs == 0)
		s->afs = RIB_AF_IPV4 | RIB_AF_IPV6;
	s->nbrs = xcalloc(m->n_neighbors + 1, sizeof(*s->nbrs));
	for (i = 0; i < m->n_neighbors; i++) {
		s->nbrs[i].family =
		    m->neighbors[i].len == 4 ? AF_INET : AF_INET6;
		memcpy(
		    &s->nbrs[i].u, m->neighbors[i].data, m->neighbors[i].len);
	}
	s->nnbrs = m->n_neighbors;
	s->comms = xcalloc(m->n_communities + 1, sizeof(*s->comms));
	if (m->n_communities > 0)
		memcpy(s->comms, m->communities,
		    m->n_communities * sizeof(*s->comms));
	s->ncomms = m->n_communities;
	s->lcomms = xcalloc(m->n_large_communities + 1, sizeof(*s->lcomms));
	for (i = 0; i < m->n_large_communities; i++) {
		uint32_t v[3] = { htonl(m->large_communities[i]->global_admin),
			htonl(m->large_communities[i]->local1),
			htonl(m->large_communities[i]->local2) };

		memcpy(s->lcomms[i], v, 12);
	}
	s->nlcomms = m->n_large_communities;
	s->hb = m->heartbeat_ms == 0 ? EXP_HEARTBEAT_MS / 1000.0
				     : m->heartbeat_ms / 1000.0;
	if (s->hb < 1.0)
		s->hb = 1.0;
	if (m->instance != 0 && m->instance == x->instance &&
	    x->j.ring != NULL && m->last_seq < x->j.next &&
	    m->last_seq + 1 >= j_oldest(&x->j)) {
		s->state = SUB_STREAM;
		s->cursor = m->last_seq;
		s->resumes++;
		rs.instance = x->instance;
		rs.from_seq = m->last_seq;
		out.body_case = DXBGP__MESSAGE__BODY_RESUME;
		out.resume = &rs;
		queue_msg(s, &out);
		log_info("export: %s (%s) subscribed: resuming after "
			 "sequence %llu",
		    s->name, s->who, (unsigned long long)m->last_seq);
	} else if (!rib_ready(x)) {
		s->state = SUB_WAIT;
		log_info("export: %s (%s) subscribed: its snapshot waits for "
			 "End-of-RIB from every neighbor",
		    s->name, s->who);
	} else {
		if (m->instance != 0)
			log_info("export: %s (%s) subscribed: sequence %llu of "
				 "instance %016llx is not in the journal; "
				 "sending a snapshot",
			    s->name, s->who, (unsigned long long)m->last_seq,
			    (unsigned long long)m->instance);
		else
			log_info("export: %s (%s) subscribed: sending a "
				 "snapshot",
			    s->name, s->who);
		snap_start(s);
	}
	return sub_pump(s);
}

/* Handles whole frames in rx; false if s was closed. */
static bool
sub_frames(struct sub *s)
{
	const uint8_t *body;
	size_t blen, used, off = 0;
	Dxbgp__Message *m;
	const char *why;
	char buf[96];

	for (;;) {
		switch (frame_get(s->rx + off, s->rxlen - off,
		    FRAME_MAX_SUBSCRIBER, &body, &blen, &used)) {
		case FRAME_MORE:
			memmove(s->rx, s->rx + off, s->rxlen - off);
			s->rxlen -= off;
			return true;
		case FRAME_BAD:
			sub_close(s, LOG_LVL_WARN,
			    "a frame longer than 65536 bytes or a broken "
			    "length");
			return false;
		case FRAME_OK:
			break;
		}
		off += used;
		if ((m = frame_unpack(body, blen, &why)) == NULL) {
			sub_close(s, LOG_LVL_WARN, why);
			return false;
		}
		if (m->body_case == DXBGP__MESSAGE__BODY_SUBSCRIBE &&
		    s->state == SUB_HELLO) {
			bool open = sub_subscribe(s, m->subscribe);

			frame_free(m);
			if (!open)
				return false;
			continue;
		}
		if (m->body_case == DXBGP__MESSAGE__BODY_HEARTBEAT &&
		    s->state != SUB_HELLO) {
			frame_free(m);
			continue;
		}
		snprintf(buf, sizeof(buf), "unexpected %s from a subscriber%s",
		    m->body_case == DXBGP__MESSAGE__BODY_SUBSCRIBE
			? "second Subscribe"
			: protobuf_c_message_descriptor_get_field(
			      &dxbgp__message__descriptor, m->body_case)
			      ->name,
		    s->state == SUB_HELLO ? " before its Subscribe" : "");
		frame_free(m);
		sub_close(s, LOG_LVL_WARN, buf);
		return false;
	}
}

/* Reads what is there; false if s was closed. */
static bool
sub_read(struct sub *s)
{
	const size_t cap = FRAME_MAX_SUBSCRIBER + FRAME_HDR_MAX;
	ssize_t n;
	int err;

	if (s->rx == NULL)
		s->rx = xcalloc(1, cap);
	for (;;) {
		if (s->rxlen == cap) {
			if (!sub_frames(s))
				return false;
			if (s->rxlen == cap) {
				sub_close(s, LOG_LVL_WARN, "a frame too long");
				return false;
			}
		}
		if (s->ssl != NULL) {
			ERR_clear_error();
			n = SSL_read(
			    s->ssl, s->rx + s->rxlen, (int)(cap - s->rxlen));
			if (n <= 0) {
				err = SSL_get_error(s->ssl, (int)n);
				if (err == SSL_ERROR_WANT_READ ||
				    err == SSL_ERROR_WANT_WRITE)
					break;
				sub_close(s, LOG_LVL_INFO,
				    err == SSL_ERROR_ZERO_RETURN
					? "closed by the subscriber"
					: "connection lost");
				return false;
			}
		} else {
			n = recv(s->fd, s->rx + s->rxlen, cap - s->rxlen, 0);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				break;
			if (n <= 0) {
				sub_close(s, LOG_LVL_INFO,
				    n == 0 ? "closed by the subscriber"
					   : "connection lost");
				return false;
			}
		}
		s->rxlen += (size_t)n;
	}
	return sub_frames(s);
}

/* The subject's common name and issuer of a TLS subscriber's cert. */
static void
tls_who(struct sub *s)
{
	X509 *c = SSL_get1_peer_certificate(s->ssl);
	char cn[96] = "?";
	size_t n = strlen(s->who);

	if (c != NULL) {
		X509_NAME_get_text_by_NID(
		    X509_get_subject_name(c), NID_commonName, cn, sizeof(cn));
		X509_free(c);
	}
	snprintf(s->who + n, sizeof(s->who) - n, " CN=%s", cn);
}

/* Takes the handshake a step; false if s was closed. */
static bool
tls_handshake(struct sub *s)
{
	unsigned long e;
	char buf[200], why[260];
	int r, err;

	ERR_clear_error();
	r = SSL_do_handshake(s->ssl);
	if (r == 1) {
		s->handshaking = false;
		tls_who(s);
		log_info("export: TLS subscriber %s connected", s->who);
		ev_io_stop(s->x->loop, &s->wio);
		return true;
	}
	err = SSL_get_error(s->ssl, r);
	if (err == SSL_ERROR_WANT_READ) {
		ev_io_stop(s->x->loop, &s->wio);
		return true;
	}
	if (err == SSL_ERROR_WANT_WRITE) {
		ev_io_start(s->x->loop, &s->wio);
		return true;
	}
	e = ERR_peek_error();
	if (e != 0)
		ERR_error_string_n(e, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%s",
		    err == SSL_ERROR_SYSCALL ? "connection closed"
					     : "handshake failed");
	snprintf(why, sizeof(why), "TLS handshake failed: %s", buf);
	/* No Error message: there is no TLS session to carry it. */
	SSL_free(s->ssl);
	s->ssl = NULL;
	s->handshaking = false;
	sub_close(s, LOG_LVL_WARN, why);
	return false;
}

static void
sub_rio_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sub *s = w->data;

	if (s->handshaking && (!tls_handshake(s) || s->handshaking))
		return;
	if (!sub_read(s))
		return;
	(void)sub_pump(s);
}

static void
sub_wio_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct sub *s = w->data;

	if (s->handshaking) {
		(void)tls_handshake(s);
		return;
	}
	(void)sub_pump(s);
}

/* ---- connecting and closing ---- */

static void
sub_close(struct sub *s, enum log_level lvl, const char *why)
{
	struct exp *x = s->x;
	struct sub **pp;

	/* Tell it why, as far as the socket takes it now. */
	if (lvl == LOG_LVL_WARN && (!s->l->conf.tls || s->ssl != NULL)) {
		Dxbgp__Message m = DXBGP__MESSAGE__INIT;
		Dxbgp__Error e = DXBGP__ERROR__INIT;

		e.reason = (char *)why;
		m.body_case = DXBGP__MESSAGE__BODY_ERROR;
		m.error = &e;
		queue_msg(s, &m);
		(void)sub_write(s);
	}
	log_msg(
	    lvl, "export: subscriber %s (%s) closed: %s", s->name, s->who, why);
	ev_io_stop(x->loop, &s->rio);
	ev_io_stop(x->loop, &s->wio);
	if (s->ssl != NULL) {
		SSL_shutdown(s->ssl);
		SSL_free(s->ssl);
	}
	close(s->fd);
	for (pp = &x->subs; *pp != s; pp = &(*pp)->next)
		;
	*pp = s->next;
	x->nsubs--;
	s->l->nsubs--;
	snap_clean(&s->snap);
	free(s->rx);
	free(s->tx);
	free(s->nbrs);
	free(s->comms);
	free(s->lcomms);
	free(s);
}

static void
lsn_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct lsn *l = w->data;
	struct exp *x = l->x;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct conf_addr a;
	struct sub *s;
	char buf[INET6_ADDRSTRLEN];
	uint16_t port;
	int fd;

	fd = accept4(
	    l->fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return;
	if (x->nsubs >= EXP_SUBSCRIBERS_MAX) {
		log_warn("export: subscriber refused: already %u",
		    EXP_SUBSCRIBERS_MAX);
		close(fd);
		return;
	}
	/* Room for a burst in the kernel, fewer wakeups (best effort). */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &(int){ EXP_SNDBUF },
		sizeof(int)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF,
		    &(int){ EXP_SNDBUF }, sizeof(int));
	s = xcalloc(1, sizeof(*s));
	s->x = x;
	s->l = l;
	s->fd = fd;
	s->since = s->last_tx = ev_now(loop);
	s->state = SUB_HELLO;
	snprintf(s->name, sizeof(s->name), "fd%d", fd);
	if (!l->conf.tls) {
		struct ucred uc;
		socklen_t ul = sizeof(uc);

		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &ul) == 0)
			snprintf(s->who, sizeof(s->who), "uid %u pid %d",
			    (unsigned)uc.uid, (int)uc.pid);
		else
			snprintf(s->who, sizeof(s->who), "unix");
	} else {
		sock_addr_get(&ss, &a, &port);
		snprintf(s->who, sizeof(s->who), "[%s]:%u",
		    conf_addr_str(&a, buf, sizeof(buf)), port);
		s->ssl = SSL_new(l->ctx);
		if (s->ssl == NULL || SSL_set_fd(s->ssl, fd) != 1)
			log_fatal("out of memory");
		SSL_set_accept_state(s->ssl);
		SSL_set_mode(s->ssl,
		    SSL_MODE_ENABLE_PARTIAL_WRITE |
			SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
		s->handshaking = true;
	}
	ev_io_init(&s->rio, sub_rio_cb, fd, EV_READ);
	ev_io_init(&s->wio, sub_wio_cb, fd, EV_WRITE);
	s->rio.data = s->wio.data = s;
	ev_io_start(loop, &s->rio);
	s->next = x->subs;
	x->subs = s;
	x->nsubs++;
	l->nsubs++;
	log_info("export: connection from %s", s->who);
}

/* ---- the tick: heartbeats and timeouts ---- */

static void
tick_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct exp *x = w->data;
	struct sub *s, *next;
	ev_tstamp now = ev_now(loop);
	bool was_ready = x->ready;

	if (!was_ready && rib_ready(x))
		for (s = x->subs; s != NULL; s = s->next)
			if (s->state == SUB_WAIT)
				snap_start(s);
	for (s = x->subs; s != NULL; s = next) {
		next = s->next;
		if (s->state == SUB_HELLO) {
			if (now - s->since >= EXP_SUBSCRIBE_TIMEOUT)
				sub_close(s, LOG_LVL_WARN,
				    "no Subscribe within 10 seconds");
			continue;
		}
		if (now - s->last_tx >= s->hb && s->txlen == s->txhead)
			queue_heartbeat(s);
		if (s->txlen > s->txhead || s->state == SUB_SNAPSHOT)
			(void)sub_pump(s);
	}
}

/* ---- listeners ---- */

static void
log_ssl(const char *what, const struct conf_export_listen *c)
{
	char buf[200];
	unsigned long e = ERR_get_error();

	ERR_error_string_n(e, buf, sizeof(buf));
	log_err("export listen tls port %u: %s: %s", c->port, what,
	    e ? buf : "failed");
	ERR_clear_error();
}

static SSL_CTX *
tls_ctx(const struct conf_export_listen *c)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	STACK_OF(X509_NAME) * names;

	if (ctx == NULL)
		log_fatal("out of memory");
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, c->cert) != 1) {
		log_ssl(c->cert, c);
		goto fail;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, c->key, SSL_FILETYPE_PEM) != 1) {
		log_ssl(c->key, c);
		goto fail;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		log_ssl("the key does not match the certificate", c);
		goto fail;
	}
	if (SSL_CTX_load_verify_locations(ctx, c->ca, NULL) != 1 ||
	    (names = SSL_load_client_CA_file(c->ca)) == NULL) {
		log_ssl(c->ca, c);
		goto fail;
	}
	SSL_CTX_set_client_CA_list(ctx, names);
	/* Mutual: a subscriber without a certificate the CA signed fails. */
	SSL_CTX_set_verify(
	    ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

static int
unix_listen(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, saved;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	/* A socket left by an earlier run: nobody answers on it. */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (probe != -1 &&
		    connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
			close(probe);
			close(fd);
			errno = EADDRINUSE;
			return -1;
		}
		if (probe != -1)
			close(probe);
		unlink(path);
	}
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
	    chmod(path, 0660) == -1 || listen(fd, 16) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static void
lsn_name(const struct conf_export_listen *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (c->tls)
		snprintf(buf, len, "tls %s %u",
		    conf_addr_str(&c->addr, a, sizeof(a)), c->port);
	else
		snprintf(buf, len, "unix %s", c->path);
}

static struct lsn *
lsn_new(struct exp *x, const struct conf_export_listen *c)
{
	struct lsn *l;
	char name[CONF_PATH_MAX + 16];
	SSL_CTX *ctx = NULL;
	int fd;

	lsn_name(c, name, sizeof(name));
	if (c->tls && (ctx = tls_ctx(c)) == NULL) {
		log_err("export listen %s: not listening", name);
		return NULL;
	}
	fd = c->tls ? sock_listen(&c->addr, c->port) : unix_listen(c->path);
	if (fd == -1) {
		log_err("export listen %s: %s", name, strerror(errno));
		SSL_CTX_free(ctx);
		return NULL;
	}
	l = xcalloc(1, sizeof(*l));
	l->x = x;
	l->conf = *c;
	l->conf.next = NULL;
	l->fd = fd;
	l->ctx = ctx;
	ev_io_init(&l->w, lsn_accept_cb, fd, EV_READ);
	l->w.data = l;
	ev_io_start(x->loop, &l->w);
	log_info("export: listening on %s", name);
	return l;
}

static void
lsn_free(struct exp *x, struct lsn *l, const char *why)
{
	struct sub *s, *next;

	for (s = x->subs; s != NULL; s = next) {
		next = s->next;
		if (s->l == l)
			sub_close(s, LOG_LVL_INFO, why);
	}
	ev_io_stop(x->loop, &l->w);
	close(l->fd);
	if (!l->conf.tls)
		unlink(l->conf.path);
	SSL_CTX_free(l->ctx);
	free(l);
}

static bool
lsn_same_socket(
    const struct conf_export_listen *a, const struct conf_export_listen *b)
{
	if (a->tls != b->tls)
		return false;
	if (!a->tls)
		return strcmp(a->path, b->path) == 0;
	return a->port == b->port && conf_addr_eq(&a->addr, &b->addr);
}

/* ---- the module ---- */

struct exp *
exp_new(struct ev_loop *loop, struct bgpd *d)
{
	struct exp *x = xcalloc(1, sizeof(*x));

	x->loop = loop;
	x->d = d;
	while (x->instance == 0)
		if (getrandom(&x->instance, sizeof(x->instance), 0) !=
		    sizeof(x->instance))
			x->instance =
			    (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid();
	/* A path has at most 65535 bytes of segments or communities. */
	x->segs = xcalloc(65536 / 2, sizeof(*x->segs));
	x->segp = xcalloc(65536 / 2, sizeof(*x->segp));
	x->asns = xcalloc(65536 / 4, sizeof(*x->asns));
	x->comms = xcalloc(65536 / 4, sizeof(*x->comms));
	x->lcs = xcalloc(65536 / 12, sizeof(*x->lcs));
	x->lcp = xcalloc(65536 / 12, sizeof(*x->lcp));
	ev_timer_init(&x->t_tick, tick_cb, 1.0, 1.0);
	x->t_tick.data = x;
	return x;
}

void
exp_configure(struct exp *x, const struct conf *c)
{
	const struct conf_export_listen *cl;
	struct lsn *l, **lp;
	struct sub *s, *next;
	size_t cap;

	x->conf = c;
	if (x->stopped)
		return;
	if (x->started == 0)
		x->started = ev_now(x->loop);
	/* Listeners gone, or with other TLS files: closed (re-opened). */
	for (lp = &x->lsns; (l = *lp) != NULL;) {
		for (cl = c->exp_listen; cl != NULL; cl = cl->next)
			if (lsn_same_socket(cl, &l->conf))
				break;
		if (cl != NULL &&
		    (!cl->tls ||
			(strcmp(cl->cert, l->conf.cert) == 0 &&
			    strcmp(cl->key, l->conf.key) == 0 &&
			    strcmp(cl->ca, l->conf.ca) == 0))) {
			if (strcmp(cl->rmap, l->conf.rmap) != 0)
				/* What it passes changed: start again. */
				for (s = x->subs; s != NULL; s = s->next)
					if (s->l == l &&
					    (s->state == SUB_SNAPSHOT ||
						s->state == SUB_STREAM))
						snap_start(s);
			l->conf = *cl;
			l->conf.next = NULL;
			lp = &l->next;
			continue;
		}
		*lp = l->next;
		lsn_free(x, l, "its listener was removed from the config");
	}
	for (cl = c->exp_listen; cl != NULL; cl = cl->next) {
		for (l = x->lsns; l != NULL; l = l->next)
			if (lsn_same_socket(cl, &l->conf))
				break;
		if (l == NULL && (l = lsn_new(x, cl)) != NULL) {
			l->next = x->lsns;
			x->lsns = l;
		}
	}
	/* The journal exists while export is configured. */
	cap = c->exp_journal ? c->exp_journal : CONF_EXPORT_JOURNAL_DEFAULT;
	if (c->exp_listen == NULL) {
		j_clean(&x->j);
		ev_timer_stop(x->loop, &x->t_tick);
	} else if (x->j.cap != cap) {
		uint64_t jnext = x->j.next ? x->j.next : 1;

		j_clean(&x->j);
		j_init(&x->j, cap, jnext);
		ev_timer_start(x->loop, &x->t_tick);
	}
	for (s = x->subs; s != NULL; s = next) {
		next = s->next;
		(void)sub_pump(s);
	}
}

void
exp_route_changed(struct exp *x, const struct rib_dest *d)
{
	struct sub *s;

	if (x == NULL || x->j.ring == NULL)
		return;
	j_append(&x->j, &d->pfx);
	for (s = x->subs; s != NULL; s = s->next)
		if (s->state == SUB_STREAM && !ev_is_active(&s->wio))
			ev_io_start(x->loop, &s->wio);
}

void
exp_stop(struct exp *x)
{
	struct lsn *l;

	if (x == NULL)
		return;
	while ((l = x->lsns) != NULL) {
		x->lsns = l->next;
		lsn_free(x, l, "the daemon is stopping");
	}
	ev_timer_stop(x->loop, &x->t_tick);
	j_clean(&x->j);
	x->stopped = true;
}

void
exp_free(struct exp *x)
{
	if (x == NULL)
		return;
	exp_stop(x);
	acache_flush(x);
	free(x->tbuf);
	free(x->segs);
	free(x->segp);
	free(x->asns);
	free(x->comms);
	free(x->lcs);
	free(x->lcp);
	free(x);
}

/* ---- show export ---- */

static void
show_json(const struct exp *x, FILE *out)
{
	const struct lsn *l;
	const struct sub *s;
	char name[CONF_PATH_MAX + 16];
	ev_tstamp now = ev_now(x->loop);
	uint64_t last = x->j.next ? x->j.next - 1 : 0;
	bool first = true;

	fprintf(out,
	    "{\"instance\":\"%016llx\",\"journal\":{\"size\":%zu,"
	    "\"first\":%llu,\"last\":%llu},\"listeners\":[",
	    (unsigned long long)x->instance, x->j.cap,
	    (unsigned long long)(x->j.ring ? j_oldest(&x->j) : 0),
	    (unsigned long long)last);
	for (l = x->lsns; l != NULL; l = l->next) {
		lsn_name(&l->conf, name, sizeof(name));
		fprintf(out, "%s{\"listen\":", first ? "" : ",");
		show_json_str(out, name);
		fputs(",\"routeMap\":", out);
		show_json_str(out, l->conf.rmap);
		fprintf(out, ",\"subscribers\":%u}", l->nsubs);
		first = false;
	}
	fputs("],\"subscribers\":[", out);
	first = true;
	for (s = x->subs; s != NULL; s = s->next) {
		lsn_name(&s->l->conf, name, sizeof(name));
		fprintf(out, "%s{\"name\":", first ? "" : ",");
		show_json_str(out, s->name);
		fputs(",\"from\":", out);
		show_json_str(out, s->who);
		fputs(",\"listener\":", out);
		show_json_str(out, name);
		fprintf(out,
		    ",\"state\":\"%s\",\"seq\":%llu,\"lag\":%llu,"
		    "\"routesSent\":%llu,\"deletesSent\":%llu,"
		    "\"coalesced\":%llu,\"snapshots\":%llu,\"resumes\":%llu,"
		    "\"queuedBytes\":%zu,\"connectedSeconds\":%.0f}",
		    s->handshaking ? "tls-handshake"
				   : sub_state_names[s->state],
		    (unsigned long long)s->cursor,
		    (unsigned long long)(s->state == SUB_STREAM
			    ? last - s->cursor
			    : 0),
		    (unsigned long long)s->routes,
		    (unsigned long long)s->deletes,
		    (unsigned long long)s->coalesced,
		    (unsigned long long)s->snapshots,
		    (unsigned long long)s->resumes, s->txlen - s->txhead,
		    now - s->since);
		first = false;
	}
	fputs("]}\n", out);
}

void
exp_show(const struct exp *x, FILE *out, bool json)
{
	const struct lsn *l;
	const struct sub *s;
	char name[CONF_PATH_MAX + 16];
	uint64_t last = x->j.next ? x->j.next - 1 : 0;

	if (json) {
		show_json(x, out);
		return;
	}
	if (x->j.ring == NULL) {
		fputs("Export is not configured (export listen ...)\n", out);
		return;
	}
	fprintf(out,
	    "Instance %016llx, journal of %zu entries, sequence %llu to "
	    "%llu\n",
	    (unsigned long long)x->instance, x->j.cap,
	    (unsigned long long)j_oldest(&x->j), (unsigned long long)last);
	for (l = x->lsns; l != NULL; l = l->next) {
		lsn_name(&l->conf, name, sizeof(name));
		fprintf(out, "Listening on %s, %u subscriber%s%s%s\n", name,
		    l->nsubs, l->nsubs == 1 ? "" : "s",
		    l->conf.rmap[0] ? ", route-map " : "", l->conf.rmap);
	}
	if (x->subs == NULL)
		return;
	fprintf(out, "\n%-16s %-9s %12s %10s %12s %10s %5s %9s %s\n",
	    "Subscriber", "State", "Seq", "Lag", "Routes", "Coalesced", "Snaps",
	    "Queued", "From");
	for (s = x->subs; s != NULL; s = s->next)
		fprintf(out,
		    "%-16s %-9s %12llu %10llu %12llu %10llu %5llu "
		    "%9zu %s\n",
		    s->name, s->handshaking ? "tls" : sub_state_names[s->state],
		    (unsigned long long)s->cursor,
		    (unsigned long long)(s->state == SUB_STREAM
			    ? last - s->cursor
			    : 0),
		    (unsigned long long)s->routes,
		    (unsigned long long)s->coalesced,
		    (unsigned long long)s->snapshots, s->txlen - s->txhead,
		    s->who);
}
