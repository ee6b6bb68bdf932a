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
}

static void
route_free(struct pr_route *r)
{
	if (r->kern != r->want)
		free(r->kern);
	free(r->want);
	free(r);
}

void
ptab_clean(struct pr_table *t)
{
	struct pr_route *r, *next;
	size_t i;

	for (i = 0; i < t->nbucket; i++)
		for (r = t->bucket[i]; r != NULL; r = next) {
			next = r->hnext;
			route_free(r);
		}
	free(t->bucket);
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
	r = pzalloc(sizeof(*r));
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
	route_free(r);
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
 * Sets what is wanted for r (nhs NULL: nothing), taking nhs.  Equal
 * next hops keep the old copy, which the kernel state may share.
 */
static void
route_set_want(struct pr_table *t, struct pr_route *r, struct pr_nhs *nhs,
    enum pr_status st)
{
	if (r->want != NULL)
		t->cnt->routes[r->status]--;
	if (nhs != NULL)
		t->cnt->routes[st]++;
	if (nhs != NULL && pr_nhs_equal(nhs, r->want)) {
		free(nhs);
		nhs = r->want;
	} else if (r->want != r->kern) {
		free(r->want);
	}
	if (nhs != r->want || st != r->status)
		t->changed = 1;
	r->want = nhs;
	r->status = (uint8_t)st;
	route_settle(t, r);
}

static int
nh_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct pr_addr));
}

/* The next hops of a checked ADD, sorted and unique; *local if ours. */
static struct pr_nhs *
nhs_from_route(const Dxbgp__Route *m, int *local)
{
	struct pr_nhs *nhs;
	size_t i, n = 0;
	static const uint8_t zero[16];

	nhs = pzalloc(sizeof(*nhs) + m->n_nexthops * sizeof(nhs->nh[0]));
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
	nhs = nhs_from_route(m, &local);
	st = guard_check(t, m, &pfx, plen, nhs, local);
	r = route_get(t, &pfx, plen);
	if (st != PR_OK && (r->want == NULL || r->status != st))
		t->cnt->refused_total[st]++;
	r->gen = t->gen;
	r->peer_asn = m->peer_asn;
	r->peer_len = (uint8_t)m->peer.len;
	memset(r->peer, 0, sizeof(r->peer));
	if (m->peer.len > 0)
		memcpy(r->peer, m->peer.data, m->peer.len);
	route_set_want(t, r, nhs, st);
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
	size_t sz = sizeof(*nhs) + nhs->n * sizeof(nhs->nh[0]);

	if (r->kern != r->want)
		free(r->kern);
	if (pr_nhs_equal(nhs, r->want)) {
		r->kern = r->want;
	} else {
		r->kern = pzalloc(sz);
		memcpy(r->kern, nhs, sz);
	}
	r->flags |= PR_F_SEEN;
}

static void
kern_settle(struct pr_table *t, struct pr_route *r)
{
	if (!(r->flags & PR_F_SEEN) && r->kern != NULL) {
		if (r->kern != r->want)
			free(r->kern);
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
		if (r->kern != r->want)
			free(r->kern);
		r->kern = (struct pr_nhs *)inst;
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
	if (r->kern != r->want)
		free(r->kern);
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

	if (r->peer_len != 0)
		*(*pp)++ = r;
}

static void
overlap_log(const struct pr_route *a, const struct pr_route *b)
{
	char pa[PR_ADDR_STR], pb[PR_ADDR_STR], na[PR_ADDR_STR], nb[PR_ADDR_STR];
	struct pr_addr x;

	memset(&x, 0, sizeof(x));
	x.af = a->peer_len == 4 ? AF_INET : AF_INET6;
	memcpy(x.a, a->peer, a->peer_len);
	pr_addr_fmt(na, sizeof(na), &x, -1);
	x.af = b->peer_len == 4 ? AF_INET : AF_INET6;
	memset(x.a, 0, sizeof(x.a));
	memcpy(x.a, b->peer, b->peer_len);
	pr_addr_fmt(nb, sizeof(nb), &x, -1);
	plog_limited(PLOG_K_OVERLAP, LOG_WARNING,
	    "overlap: %s from %s (AS %u) holds %s from %s (AS %u)",
	    pr_addr_fmt(pa, sizeof(pa), &a->pfx, a->plen), na, a->peer_asn,
	    pr_addr_fmt(pb, sizeof(pb), &b->pfx, b->plen), nb, b->peer_asn);
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

			if (s->peer_len == r->peer_len &&
			    memcmp(s->peer, r->peer, r->peer_len) == 0)
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
