/*
 * prog_table.c: dxprog's routes, desired and installed.
 *
 * One record per prefix (a hash table keyed by family, prefix and
 * length) holds what the export stream wants for it and what the
 * kernel holds of ours, as far as dxprog knows.  A record whose two
 * states differ is on the dirty list; ptab_next_op turns the list into
 * rtnetlink changes one at a time, so the caller decides how many to
 * send per loop iteration.  The kernel state comes from a dump of the
 * table after every (re)subscription (reconcile) and from the changes
 * sent since; a change that the kernel refuses marks the prefix as not
 * installed.  A prefix whose desired route does not change is never
 * touched, which is how a reconnect within the grace time flaps
 * nothing.
 *
 * Memory is what a big table costs, so records come from slabs of
 * their own (no allocator header each), and next-hop sets and peers
 * are interned with reference counts: a table of a million routes
 * over a few next hops holds a few sets, not a million copies.
 *
 * The guard rails of cloud peering (DESIGN.md) are applied as a route
 * arrives: routes dxbgpd originates (all-zero next hop) are skipped,
 * routes overlapping a local CIDR (-L) are refused, and routes passed
 * from one configured peering to another are refused unless peering is
 * transitive.  Overlaps between prefixes from different peers are
 * reported by a sorted sweep (ptab_overlap_sweep), which the caller
 * runs after a snapshot and, debounced, after changes.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "prog.h"

#define PTAB_MIN_BUCKETS 1024

const char *
pr_status_name(enum pr_status s)
{
	static const char *names[PR_NSTATUS] = {
		[PR_OK] = "installed",
		[PR_LOCAL] = "skipped-local",
		[PR_REF_CIDR] = "refused-local-cidr",
		[PR_REF_TRANSIT] = "refused-transitive",
		[PR_REF_NH] = "refused-too-many-nexthops",
	};

	return (unsigned int)s < PR_NSTATUS ? names[s] : "?";
}

/* ---- interned next-hop sets and peers ---- */

struct pr_nhs_ent {
	struct pr_nhs_ent *next;
	uint32_t refs;
	uint32_t hash;
	/* the struct pr_nhs follows */
};

#define NHS_OF(e)       ((struct pr_nhs *)((e) + 1))
#define ENT_OF(n)       ((struct pr_nhs_ent *)(n)-1)
#define NHS_MIN_BUCKETS 64

static uint32_t
nhs_hash(const struct pr_nhs *n)
{
	const uint8_t *b = (const uint8_t *)n->nh;
	size_t i, len = n->n * sizeof(n->nh[0]);
	uint32_t h = 2166136261u ^ n->n;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static void
nhs_grow(struct pr_table *t)
{
	size_t n = t->nhs_nbucket ? t->nhs_nbucket * 2 : NHS_MIN_BUCKETS, i;
	struct pr_nhs_ent **b = pzalloc(n * sizeof(b[0])), *e, *next;

	for (i = 0; i < t->nhs_nbucket; i++)
		for (e = t->nhs_bucket[i]; e != NULL; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	free(t->nhs_bucket);
	t->nhs_bucket = b;
	t->nhs_nbucket = n;
}

/* The interned copy of n, with one more reference. */
static const struct pr_nhs *
nhs_get(struct pr_table *t, const struct pr_nhs *n)
{
	uint32_t h = nhs_hash(n);
	struct pr_nhs_ent *e;

	if (t->nhs_count >= t->nhs_nbucket)
		nhs_grow(t);
	for (e = t->nhs_bucket[h & (t->nhs_nbucket - 1)]; e != NULL;
	     e = e->next)
		if (e->hash == h && pr_nhs_equal(NHS_OF(e), n)) {
			e->refs++;
			return NHS_OF(e);
		}
	e = pzalloc(sizeof(*e) + PR_NHS_SIZE(n->n));
	memcpy(NHS_OF(e), n, PR_NHS_SIZE(n->n));
	e->hash = h;
	e->refs = 1;
	e->next = t->nhs_bucket[h & (t->nhs_nbucket - 1)];
	t->nhs_bucket[h & (t->nhs_nbucket - 1)] = e;
	t->nhs_count++;
	return NHS_OF(e);
}

/* Another reference to an interned set (NULL: none). */
static const struct pr_nhs *
nhs_ref(const struct pr_nhs *n)
{
	if (n != NULL)
		ENT_OF(n)->refs++;
	return n;
}

/* Drops a reference; the set goes with its last one. */
static void
nhs_put(struct pr_table *t, const struct pr_nhs *n)
{
	struct pr_nhs_ent *e, **pp;

	if (n == NULL)
		return;
	e = ENT_OF(n);
	if (--e->refs > 0)
		return;
	pp = &t->nhs_bucket[e->hash & (t->nhs_nbucket - 1)];
	while (*pp != e)
		pp = &(*pp)->next;
	*pp = e->next;
	t->nhs_count--;
	free(e);
}

static size_t
peer_slot(uint8_t len, const uint8_t *a, uint32_t asn)
{
	uint32_t h = 2166136261u ^ asn ^ len;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ a[i]) * 16777619u;
	return (h ^ (h >> 16)) % 64;
}

/* The interned peer (len 0: none), with one more reference. */
static const struct pr_peer *
peer_get(struct pr_table *t, uint8_t len, const uint8_t *a, uint32_t asn)
{
	size_t slot = peer_slot(len, a, asn);
	struct pr_peer *p;

	for (p = t->peers[slot]; p != NULL; p = p->next)
		if (p->len == len && p->asn == asn &&
		    (len == 0 || memcmp(p->a, a, len) == 0)) {
			p->refs++;
			return p;
		}
	p = pzalloc(sizeof(*p));
	p->len = len;
	p->asn = asn;
	if (len > 0)
		memcpy(p->a, a, len);
	p->refs = 1;
	p->next = t->peers[slot];
	t->peers[slot] = p;
	return p;
}

static void
peer_put(struct pr_table *t, const struct pr_peer *peer)
{
	struct pr_peer **pp;

	if (peer == NULL || --((struct pr_peer *)peer)->refs > 0)
		return;
	pp = &t->peers[peer_slot(peer->len, peer->a, peer->asn)];
	while (*pp != peer)
		pp = &(*pp)->next;
	*pp = peer->next;
	free((struct pr_peer *)peer);
}

/* ---- route records ---- */

#define SLAB_ROUTES 4096
_Static_assert(sizeof(void *) != 8 || sizeof(struct pr_route) == 64,
    "a route record is 64 bytes");

struct pr_slab {
	struct pr_slab *next;
	struct pr_route r[SLAB_ROUTES];
};

static struct pr_route *
route_alloc(struct pr_table *t)
{
	struct pr_route *r;
	struct pr_slab *s;
	size_t i;

	if (t->free == NULL) {
		s = pzalloc(sizeof(*s));
		s->next = t->slabs;
		t->slabs = s;
		for (i = SLAB_ROUTES; i-- > 0;) {
			s->r[i].hnext = t->free;
			t->free = &s->r[i];
		}
	}
	r = t->free;
	t->free = r->hnext;
	memset(r, 0, sizeof(*r));
	return r;
}

static void
route_free(struct pr_table *t, struct pr_route *r)
{
	nhs_put(t, r->want);
	nhs_put(t, r->kern);
	peer_put(t, r->peer);
	memset(r, 0, sizeof(*r));
	r->hnext = t->free;
	t->free = r;
}

/* ---- the hash table ---- */

static size_t
key_hash(const struct pr_addr *p, uint8_t plen)
{
	uint64_t h = 1469598103934665603ull;
	int i, n = pr_addr_len(p->af);

	h = (h ^ p->af) * 1099511628211ull;
	h = (h ^ plen) * 1099511628211ull;
	for (i = 0; i < n; i++)
		h = (h ^ p->a[i]) * 1099511628211ull;
	return (size_t)(h ^ (h >> 29));
}

static int
key_equal(const struct pr_route *r, const struct pr_addr *p, uint8_t plen)
{
	return r->plen == plen && r->pfx.af == p->af &&
	    memcmp(r->pfx.a, p->a, sizeof(p->a)) == 0;
}

void
ptab_init(struct pr_table *t, const struct pr_guard *g, struct pr_counters *c,
    int kernel)
{
	memset(t, 0, sizeof(*t));
	t->nbucket = PTAB_MIN_BUCKETS;
	t->bucket = pzalloc(t->nbucket * sizeof(t->bucket[0]));
	t->dirty_tail = &t->dirty;
	t->guard = g;
	t->cnt = c;
	t->kernel = kernel;
	nhs_grow(t);
}

void
ptab_clean(struct pr_table *t)
{
	struct pr_nhs_ent *e, *enext;
	struct pr_peer *p, *pnext;
	struct pr_slab *s;
	size_t i;

	/* every record is in a slab, and every set and peer in its hash */
	while ((s = t->slabs) != NULL) {
		t->slabs = s->next;
		free(s);
	}
	for (i = 0; i < t->nhs_nbucket; i++)
		for (e = t->nhs_bucket[i]; e != NULL; e = enext) {
			enext = e->next;
			free(e);
		}
	for (i = 0; i < sizeof(t->peers) / sizeof(t->peers[0]); i++)
		for (p = t->peers[i]; p != NULL; p = pnext) {
			pnext = p->next;
			free(p);
		}
	free(t->nhs_bucket);
	free(t->bucket);
	free(t->scratch);
	memset(t, 0, sizeof(*t));
}

struct pr_route *
ptab_lookup(const struct pr_table *t, const struct pr_addr *p, uint8_t plen)
{
	struct pr_route *r;

	r = t->bucket[key_hash(p, plen) & (t->nbucket - 1)];
	for (; r != NULL; r = r->hnext)
		if (key_equal(r, p, plen))
			return r;
	return NULL;
}

static void
grow(struct pr_table *t)
{
	size_t n = t->nbucket * 2, i, h;
	struct pr_route **b = pzalloc(n * sizeof(b[0])), *r, *next;

	for (i = 0; i < t->nbucket; i++)
		for (r = t->bucket[i]; r != NULL; r = next) {
			next = r->hnext;
			h = key_hash(&r->pfx, r->plen) & (n - 1);
			r->hnext = b[h];
			b[h] = r;
		}
	free(t->bucket);
	t->bucket = b;
	t->nbucket = n;
}

static struct pr_route *
route_get(struct pr_table *t, const struct pr_addr *p, uint8_t plen)
{
	struct pr_route *r = ptab_lookup(t, p, plen);
	size_t h;

	if (r != NULL)
		return r;
	if (t->count >= t->nbucket)
		grow(t);
	r = route_alloc(t);
	r->pfx = *p;
	r->plen = plen;
	h = key_hash(p, plen) & (t->nbucket - 1);
	r->hnext = t->bucket[h];
	t->bucket[h] = r;
	t->count++;
	return r;
}

/* Unlinks and frees r unless it is on the dirty list (freed when popped). */
static void
route_remove(struct pr_table *t, struct pr_route *r)
{
	struct pr_route **pp;

	if (r->flags & PR_F_DIRTY)
		return;
	pp = &t->bucket[key_hash(&r->pfx, r->plen) & (t->nbucket - 1)];
	while (*pp != r)
		pp = &(*pp)->hnext;
	*pp = r->hnext;
	t->count--;
	route_free(t, r);
}

static void
mark_dirty(struct pr_table *t, struct pr_route *r)
{
	if (r->flags & PR_F_DIRTY)
		return;
	r->flags |= PR_F_DIRTY;
	r->dnext = NULL;
	*t->dirty_tail = r;
	t->dirty_tail = &r->dnext;
}

/* After a change of r: queue it for the kernel, or drop it if empty. */
static void
route_settle(struct pr_table *t, struct pr_route *r)
{
	if (t->kernel && !pr_nhs_equal(pr_route_install(r), r->kern))
		mark_dirty(t, r);
	else if (r->want == NULL && r->kern == NULL)
		route_remove(t, r);
}

/*
 * Sets what is wanted for r (nhs NULL: nothing), taking the caller's
 * reference to the interned nhs.
 */
static void
route_set_want(struct pr_table *t, struct pr_route *r, const struct pr_nhs *nhs,
    enum pr_status st)
{
	if (r->want != NULL)
		t->cnt->routes[r->status]--;
	if (nhs != NULL)
		t->cnt->routes[st]++;
	if (nhs != r->want || st != r->status)
		t->changed = 1;
	nhs_put(t, r->want);
	r->want = nhs;
	r->status = (uint8_t)st;
	route_settle(t, r);
}

static int
nh_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct pr_addr));
}

/*
 * The next hops of a checked ADD, sorted and unique, in the table's
 * scratch space (valid until the next call); *local if ours.
 */
static struct pr_nhs *
nhs_from_route(struct pr_table *t, const Dxbgp__Route *m, int *local)
{
	struct pr_nhs *nhs;
	size_t i, n = 0;
	static const uint8_t zero[16];

	if (t->scratch == NULL || t->scratch_n < m->n_nexthops) {
		free(t->scratch);
		t->scratch_n = m->n_nexthops > 8 ? m->n_nexthops : 8;
		t->scratch = pzalloc(PR_NHS_SIZE(t->scratch_n));
	}
	nhs = t->scratch;
	memset(nhs, 0, PR_NHS_SIZE(m->n_nexthops));
	*local = 0;
	for (i = 0; i < m->n_nexthops; i++) {
		const ProtobufCBinaryData *b = &m->nexthops[i];

		if (memcmp(b->data, zero, b->len) == 0)
			*local = 1;
		nhs->nh[i].af = b->len == 4 ? AF_INET : AF_INET6;
		memcpy(nhs->nh[i].a, b->data, b->len);
	}
	qsort(nhs->nh, m->n_nexthops, sizeof(nhs->nh[0]), nh_cmp);
	for (i = 0; i < m->n_nexthops; i++)
		if (n == 0 || nh_cmp(&nhs->nh[n - 1], &nhs->nh[i]) != 0)
			nhs->nh[n++] = nhs->nh[i];
	nhs->n = (uint16_t)n;
	return nhs;
}

static const char *
peer_fmt(char *buf, size_t size, const Dxbgp__Route *m)
{
	struct pr_addr a;

	if (m->peer.len == 0)
		return "(none)";
	memset(&a, 0, sizeof(a));
	a.af = m->peer.len == 4 ? AF_INET : AF_INET6;
	memcpy(a.a, m->peer.data, m->peer.len);
	return pr_addr_fmt(buf, size, &a, -1);
}

/* The peering named for asn, or -1. */
static int
peering_find(const struct pr_guard *g, uint32_t asn)
{
	int i;

	for (i = 0; i < g->npeering; i++)
		if (g->peering[i].asn == asn)
			return i;
	return -1;
}

/* What the guard rails say about a route to pfx/plen; logs refusals. */
static enum pr_status
guard_check(struct pr_table *t, const Dxbgp__Route *m,
    const struct pr_addr *pfx, uint8_t plen, const struct pr_nhs *nhs,
    int local)
{
	const struct pr_guard *g = t->guard;
	char ps[PR_ADDR_STR], ls[PR_ADDR_STR], peer[PR_ADDR_STR];
	size_t i, j;
	int from, via;

	if (local)
		return PR_LOCAL;
	pr_addr_fmt(ps, sizeof(ps), pfx, plen);
	peer_fmt(peer, sizeof(peer), m);
	if (nhs->n > PR_NH_MAX) {
		plog_limited(PLOG_K_KERNEL, LOG_WARNING,
		    "refusing %s from %s: %u next hops, more than %d", ps, peer,
		    nhs->n, PR_NH_MAX);
		return PR_REF_NH;
	}
	for (i = 0; i < (size_t)g->nlocal; i++) {
		if (!pr_cidr_overlap(
			pfx, plen, &g->local[i].pfx, g->local[i].plen))
			continue;
		plog_limited(PLOG_K_LOCAL_CIDR, LOG_WARNING,
		    "refusing %s from %s (AS %u): it overlaps the local "
		    "CIDR %s",
		    ps, peer, m->peer_asn,
		    pr_addr_fmt(
			ls, sizeof(ls), &g->local[i].pfx, g->local[i].plen));
		return PR_REF_CIDR;
	}
	if (g->transitive || (from = peering_find(g, m->peer_asn)) < 0)
		return PR_OK;
	for (i = 0; i < m->n_as_path; i++) {
		const Dxbgp__AsPathSegment *s = m->as_path[i];

		for (j = 0; j < s->n_asns; j++) {
			via = peering_find(g, s->asns[j]);
			if (via < 0 || g->peering[via].asn == m->peer_asn)
				continue;
			plog_limited(PLOG_K_TRANSITIVE, LOG_WARNING,
			    "refusing %s from %s (peering %s, AS %u): its AS "
			    "path crosses peering %s (AS %u) and peering is "
			    "not transitive (--transitive allows it)",
			    ps, peer, g->peering[from].name, m->peer_asn,
			    g->peering[via].name, g->peering[via].asn);
			return PR_REF_TRANSIT;
		}
	}
	return PR_OK;
}

void
ptab_route(struct pr_table *t, const Dxbgp__Route *m)
{
	struct pr_addr pfx;
	struct pr_route *r;
	struct pr_nhs *nhs;
	const struct pr_peer *peer;
	enum pr_status st;
	uint8_t plen = (uint8_t)m->prefix_len;
	int local;

	t->cnt->events++;
	memset(&pfx, 0, sizeof(pfx));
	pfx.af = m->afi == DXBGP__AFI__AFI_IPV4 ? AF_INET : AF_INET6;
	memcpy(pfx.a, m->prefix.data, m->prefix.len);
	if (m->action == DXBGP__ACTION__DELETE) {
		r = ptab_lookup(t, &pfx, plen);
		if (r != NULL && r->want != NULL)
			route_set_want(t, r, NULL, PR_OK);
		return;
	}
	nhs = nhs_from_route(t, m, &local);
	st = guard_check(t, m, &pfx, plen, nhs, local);
	r = route_get(t, &pfx, plen);
	if (st != PR_OK && (r->want == NULL || r->status != st))
		t->cnt->refused_total[st]++;
	r->gen = t->gen;
	peer = peer_get(t, (uint8_t)m->peer.len, m->peer.data, m->peer_asn);
	peer_put(t, r->peer);
	r->peer = peer;
	route_set_want(t, r, nhs_get(t, nhs), st);
}

/* Calls fn on every record; fn may free the record it is given. */
static void
each_route(struct pr_table *t, void (*fn)(struct pr_table *, struct pr_route *))
{
	struct pr_route *r, *next;
	size_t i;

	for (i = 0; i < t->nbucket; i++)
		for (r = t->bucket[i]; r != NULL; r = next) {
			next = r->hnext;
			fn(t, r);
		}
}

void
ptab_snapshot_begin(struct pr_table *t)
{
	t->gen++;
}

static void
drop_stale(struct pr_table *t, struct pr_route *r)
{
	if (r->want != NULL && r->gen != t->gen)
		route_set_want(t, r, NULL, PR_OK);
}

void
ptab_snapshot_end(struct pr_table *t)
{
	each_route(t, drop_stale);
}

static void
drop_want(struct pr_table *t, struct pr_route *r)
{
	if (r->want != NULL)
		route_set_want(t, r, NULL, PR_OK);
}

void
ptab_withdraw_all(struct pr_table *t)
{
	each_route(t, drop_want);
}

/* ---- the kernel's side ---- */

static void
unsee(struct pr_table *t, struct pr_route *r)
{
	r->flags &= (uint8_t)~PR_F_SEEN;
}

void
ptab_kern_begin(struct pr_table *t)
{
	each_route(t, unsee); /* an earlier dump may have been cut short */
}

void
ptab_kern_route(struct pr_table *t, const struct pr_addr *pfx, uint8_t plen,
    const struct pr_nhs *nhs)
{
	struct pr_route *r = route_get(t, pfx, plen);
	const struct pr_nhs *kern = nhs_get(t, nhs);

	nhs_put(t, r->kern);
	r->kern = kern;
	r->flags |= PR_F_SEEN;
}

static void
kern_settle(struct pr_table *t, struct pr_route *r)
{
	if (!(r->flags & PR_F_SEEN) && r->kern != NULL) {
		nhs_put(t, r->kern);
		r->kern = NULL;
	}
	r->flags &= (uint8_t)~PR_F_SEEN;
	route_settle(t, r);
}

void
ptab_kern_end(struct pr_table *t)
{
	each_route(t, kern_settle);
	t->cnt->reconciles++;
}

int
ptab_next_op(struct pr_table *t, struct pr_op *op)
{
	const struct pr_nhs *inst;
	struct pr_route *r;

	while ((r = t->dirty) != NULL) {
		t->dirty = r->dnext;
		if (t->dirty == NULL)
			t->dirty_tail = &t->dirty;
		r->flags &= (uint8_t)~PR_F_DIRTY;
		inst = pr_route_install(r);
		memset(op, 0, sizeof(*op));
		op->pfx = r->pfx;
		op->plen = r->plen;
		op->nhs = inst;
		if (inst != NULL && r->kern == NULL)
			op->kind = PR_OP_ADD;
		else if (inst != NULL && !pr_nhs_equal(inst, r->kern))
			op->kind = PR_OP_REPLACE;
		else if (inst == NULL && r->kern != NULL)
			op->kind = PR_OP_DEL;
		else
			op->kind = PR_OP_NONE;
		inst = nhs_ref(inst);
		nhs_put(t, r->kern);
		r->kern = inst;
		if (r->want == NULL && r->kern == NULL)
			route_remove(t, r);
		if (op->kind != PR_OP_NONE)
			return 1;
	}
	return 0;
}

void
ptab_op_failed(struct pr_table *t, const struct pr_addr *pfx, uint8_t plen)
{
	struct pr_route *r = ptab_lookup(t, pfx, plen);

	if (r == NULL || r->kern == NULL)
		return;
	nhs_put(t, r->kern);
	r->kern = NULL;
	if (r->want == NULL)
		route_remove(t, r);
}

void
ptab_walk(const struct pr_table *t, void (*fn)(void *, const struct pr_route *),
    void *arg)
{
	const struct pr_route *r;
	size_t i;

	for (i = 0; i < t->nbucket; i++)
		for (r = t->bucket[i]; r != NULL; r = r->hnext)
			if (r->want != NULL)
				fn(arg, r);
}

/* ---- overlaps between peers ---- */

int
pr_route_cmp(const void *a, const void *b)
{
	const struct pr_route *x = *(const struct pr_route *const *)a;
	const struct pr_route *y = *(const struct pr_route *const *)b;
	int c;

	if (x->pfx.af != y->pfx.af)
		return x->pfx.af < y->pfx.af ? -1 : 1;
	if ((c = memcmp(x->pfx.a, y->pfx.a, sizeof(x->pfx.a))) != 0)
		return c;
	return x->plen < y->plen ? -1 : x->plen > y->plen;
}

static void
collect_peered(void *arg, const struct pr_route *r)
{
	const struct pr_route ***pp = arg;

	if (r->peer != NULL && r->peer->len != 0)
		*(*pp)++ = r;
}

static void
overlap_log(const struct pr_route *a, const struct pr_route *b)
{
	char pa[PR_ADDR_STR], pb[PR_ADDR_STR], na[PR_ADDR_STR], nb[PR_ADDR_STR];

	pr_peer_fmt(na, sizeof(na), a->peer);
	pr_peer_fmt(nb, sizeof(nb), b->peer);
	plog_limited(PLOG_K_OVERLAP, LOG_WARNING,
	    "overlap: %s from %s (AS %u) holds %s from %s (AS %u)",
	    pr_addr_fmt(pa, sizeof(pa), &a->pfx, a->plen), na, a->peer->asn,
	    pr_addr_fmt(pb, sizeof(pb), &b->pfx, b->plen), nb, b->peer->asn);
}

uint64_t
ptab_overlap_sweep(struct pr_table *t)
{
	const struct pr_route **v, **end, *stack[129];
	size_t n, i;
	int depth = 0, k;
	uint64_t pairs = 0;

	v = malloc((t->count + 1) * sizeof(*v));
	if (v == NULL)
		plog_fatal("overlap sweep");
	end = v;
	ptab_walk(t, collect_peered, &end);
	n = (size_t)(end - v);
	qsort(v, n, sizeof(*v), pr_route_cmp);
	/* sorted, a prefix comes right after the prefixes that hold it */
	for (i = 0; i < n; i++) {
		const struct pr_route *r = v[i];

		while (depth > 0 &&
		    !pr_cidr_overlap(&stack[depth - 1]->pfx,
			stack[depth - 1]->plen, &r->pfx, r->plen))
			depth--;
		for (k = 0; k < depth; k++) {
			const struct pr_route *s = stack[k];

			if (s->peer->len == r->peer->len &&
			    memcmp(s->peer->a, r->peer->a, r->peer->len) == 0)
				continue;
			pairs++;
			overlap_log(s, r);
		}
		if (depth < (int)(sizeof(stack) / sizeof(stack[0])))
			stack[depth++] = r;
	}
	free(v);
	if (pairs != t->last_overlaps)
		plog(pairs ? LOG_WARNING : LOG_NOTICE,
		    "%llu pairs of overlapping prefixes from different peers "
		    "(was %llu)",
		    (unsigned long long)pairs,
		    (unsigned long long)t->last_overlaps);
	t->last_overlaps = pairs;
	t->cnt->overlaps = pairs;
	t->cnt->overlap_sweeps++;
	return pairs;
}

/* ---- counters ---- */

void
pr_counters_log(const struct pr_counters *c)
{
	plog(LOG_NOTICE,
	    "routes: %llu installed, %llu skipped-local, %llu "
	    "refused-local-cidr, %llu refused-transitive, %llu "
	    "refused-too-many-nexthops; %llu overlap pairs",
	    (unsigned long long)c->routes[PR_OK],
	    (unsigned long long)c->routes[PR_LOCAL],
	    (unsigned long long)c->routes[PR_REF_CIDR],
	    (unsigned long long)c->routes[PR_REF_TRANSIT],
	    (unsigned long long)c->routes[PR_REF_NH],
	    (unsigned long long)c->overlaps);
	plog(LOG_NOTICE,
	    "refusals so far: %llu local-cidr, %llu transitive, %llu "
	    "too-many-nexthops; %llu skipped-local",
	    (unsigned long long)c->refused_total[PR_REF_CIDR],
	    (unsigned long long)c->refused_total[PR_REF_TRANSIT],
	    (unsigned long long)c->refused_total[PR_REF_NH],
	    (unsigned long long)c->refused_total[PR_LOCAL]);
	plog(LOG_NOTICE,
	    "stream: %llu connects, %llu losses, %llu bad input, %llu "
	    "snapshots, %llu resumes, %llu events; kernel: %llu reconciles, "
	    "%llu adds, %llu replaces, %llu deletes, %llu errors, %llu "
	    "grace withdrawals",
	    (unsigned long long)c->connects, (unsigned long long)c->losses,
	    (unsigned long long)c->bad_input, (unsigned long long)c->snapshots,
	    (unsigned long long)c->resumes, (unsigned long long)c->events,
	    (unsigned long long)c->reconciles, (unsigned long long)c->nl_add,
	    (unsigned long long)c->nl_replace, (unsigned long long)c->nl_del,
	    (unsigned long long)c->nl_errors,
	    (unsigned long long)c->grace_withdrawals);
}
