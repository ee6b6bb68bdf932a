/*
 * rib.c: routes in, and the decision run over what changed.
 *
 * Routes enter from decoded UPDATEs (rib_announce / rib_withdraw) or
 * one by one (rib_add / rib_del): each prefix finds or creates its
 * destination, and the peer's path there takes the interned attributes
 * (a reference per route).  A destination whose paths changed goes on
 * the changed list once; rib_process then runs the decision process of
 * RFC 4271 §9.1 (decide.c) on each and tells the outbound side
 * (adjout.c) and the daemon's hook about new best routes.  So a whole
 * read buffer of UPDATEs costs one decision per prefix, not one per
 * UPDATE.  A peer going down flushes its routes; a peer restarting
 * gracefully (RFC 4724) has them marked stale and swept later.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "rib_int.h"

struct rib *
rib_new(const struct rib_config *conf, const struct rib_hooks *hooks)
{
	struct rib *r = calloc(1, sizeof(*r));

	if (r == NULL)
		abort();
	r->conf = *conf;
	if (r->conf.maximum_paths == 0)
		r->conf.maximum_paths = 1;
	if (hooks != NULL)
		r->hooks = *hooks;
	ptable_init(&r->tab[0]);
	ptable_init(&r->tab[1]);
	slab_init(&r->dest_slab, sizeof(struct rib_dest), 0);
	slab_init(&r->path_slab, sizeof(struct rib_path), 0);
	r->peer_known[RIB_PEER_LOCAL] = true;
	r->nh_epoch = 1;
	r->obuf = malloc(BGP_MAX_MSG_EXT);
	r->abuf = malloc(2 * 65536 + 16);
	r->ubuf = malloc(65536);
	if (r->obuf == NULL || r->abuf == NULL || r->ubuf == NULL)
		abort();
	return r;
}

void
rib_set_config(struct rib *r, const struct rib_config *conf)
{
	r->conf = *conf;
	if (r->conf.maximum_paths == 0)
		r->conf.maximum_paths = 1;
}

void
rib_peer_set(struct rib *r, uint16_t peer, const struct rib_peer_info *info)
{
	assert(peer > 0 && peer < RIB_MAX_PEERS);
	r->peer[peer] = *info;
	r->peer_known[peer] = true;
}

static void
path_free(struct rib *r, struct rib_dest *d, struct rib_path *p)
{
	r->peer_routes[p->peer][rib_afidx(d->pfx.afi)]--;
	rib_attrs_unref(r, p->attrs);
	slab_free(&r->path_slab, p);
	r->npaths--;
}

void
rib_free(struct rib *r)
{
	struct rib_dest *d;
	struct rib_path *p, *pn;
	size_t i, t;

	rib_out_clean(r);
	for (t = 0; t < 2; t++) {
		for (i = 0; i < r->tab[t].nslot; i++) {
			d = r->tab[t].slot[i];
			if (d == NULL)
				continue;
			for (p = d->paths; p != NULL; p = pn) {
				pn = p->next;
				path_free(r, d, p);
			}
			rib_attrs_unref(r, d->best);
		}
		ptable_clean(&r->tab[t]);
	}
	slab_clean(&r->dest_slab);
	slab_clean(&r->path_slab);
	free(r->changed);
	free(r->obuf);
	free(r->abuf);
	free(r->ubuf);
	/* Sets still referenced from outside are the caller's leak. */
	free(r->abucket);
	free(r);
}

void
rib_dest_changed(struct rib *r, struct rib_dest *d)
{
	if (r->conf.store_only) {
		/* No decision to run: an empty destination goes now. */
		if (d->paths == NULL && !r->walking)
			rib_dest_maybe_free(r, d);
		return;
	}
	if (d->changed)
		return;
	if (r->nchanged == r->changed_cap) {
		r->changed_cap = r->changed_cap ? r->changed_cap * 2 : 4096;
		r->changed =
		    realloc(r->changed, r->changed_cap * sizeof(*r->changed));
		if (r->changed == NULL)
			abort();
	}
	d->changed = 1;
	r->changed[r->nchanged++] = d;
}

void
rib_dest_maybe_free(struct rib *r, struct rib_dest *d)
{
	if (d->paths != NULL || d->adv != 0 || d->dirty != 0 || d->changed)
		return;
	rib_attrs_unref(r, d->best);
	ptable_remove(&r->tab[rib_afidx(d->pfx.afi)], d);
	slab_free(&r->dest_slab, d);
}

static struct rib_dest *
dest_get(struct rib *r, const struct rib_prefix *pfx)
{
	struct ptable *t = &r->tab[rib_afidx(pfx->afi)];
	struct rib_dest **slot = ptable_slot(t, pfx), *d = *slot;

	if (d != NULL)
		return d;
	d = slab_alloc(&r->dest_slab);
	memset(d, 0, sizeof(*d));
	d->pfx = *pfx;
	*slot = d;
	t->count++;
	return d;
}

/* Asked once per attribute set and epoch, not once per route. */
static uint16_t
path_flags(struct rib *r, struct rib_attrs *a)
{
	if (r->hooks.nexthop_ok == NULL)
		return 0;
	if (a->nh_epoch != r->nh_epoch) {
		a->nh_ok = r->hooks.nexthop_ok(r->hooks.arg, a);
		a->nh_epoch = r->nh_epoch;
	}
	return a->nh_ok ? 0 : RIB_P_INELIGIBLE;
}

/* The peer's path to d gets attrs (a reference is taken). */
static void
path_set(struct rib *r, struct rib_dest *d, uint16_t peer, uint32_t path_id,
    struct rib_attrs *attrs)
{
	struct rib_path *p;

	for (p = d->paths; p != NULL; p = p->next)
		if (p->peer == peer && p->path_id == path_id)
			break;
	if (p != NULL) {
		if (p->attrs == attrs && !(p->flags & RIB_P_STALE))
			return;
		rib_attrs_ref(attrs);
		rib_attrs_unref(r, p->attrs);
		p->attrs = attrs;
		p->flags = path_flags(r, attrs);
		rib_dest_changed(r, d);
		return;
	}
	p = slab_alloc(&r->path_slab);
	rib_attrs_ref(attrs);
	p->attrs = attrs;
	p->path_id = path_id;
	p->peer = peer;
	p->flags = path_flags(r, attrs);
	p->next = d->paths;
	d->paths = p;
	r->npaths++;
	r->peer_routes[peer][rib_afidx(d->pfx.afi)]++;
	rib_dest_changed(r, d);
}

static void
path_unset(struct rib *r, struct rib_dest *d, uint16_t peer, uint32_t path_id)
{
	struct rib_path **pp, *p;

	for (pp = &d->paths; (p = *pp) != NULL; pp = &p->next)
		if (p->peer == peer && p->path_id == path_id) {
			*pp = p->next;
			path_free(r, d, p);
			rib_dest_changed(r, d);
			return;
		}
}

static void
prefix_from_wire(struct rib_prefix *rp, const struct wire_prefix *wp)
{
	rp->afi = (uint8_t)wp->afi;
	rp->len = wp->len;
	memcpy(rp->addr, wp->addr, 16);
}

size_t
rib_announce(struct rib *r, uint16_t peer, uint16_t afi, const uint8_t *nlri,
    size_t len, bool addpath, struct rib_attrs *attrs)
{
	struct wire_nlri_iter it;
	struct wire_prefix wp;
	struct rib_prefix rp;
	size_t n = 0;

	wire_nlri_iter_init(&it, nlri, len, afi, addpath);
	while (wire_nlri_next(&it, &wp) == 1) {
		prefix_from_wire(&rp, &wp);
		path_set(r, dest_get(r, &rp), peer, wp.path_id, attrs);
		n++;
	}
	return n;
}

size_t
rib_withdraw(struct rib *r, uint16_t peer, uint16_t afi, const uint8_t *nlri,
    size_t len, bool addpath)
{
	struct wire_nlri_iter it;
	struct wire_prefix wp;
	struct rib_prefix rp;
	struct rib_dest *d;
	size_t n = 0;

	wire_nlri_iter_init(&it, nlri, len, afi, addpath);
	while (wire_nlri_next(&it, &wp) == 1) {
		prefix_from_wire(&rp, &wp);
		d = ptable_find(&r->tab[rib_afidx(rp.afi)], &rp);
		if (d != NULL)
			path_unset(r, d, peer, wp.path_id);
		n++;
	}
	return n;
}

void
rib_add(struct rib *r, uint16_t peer, const struct rib_prefix *pfx,
    uint32_t path_id, struct rib_attrs *attrs)
{
	path_set(r, dest_get(r, pfx), peer, path_id, attrs);
}

void
rib_del(struct rib *r, uint16_t peer, const struct rib_prefix *pfx,
    uint32_t path_id)
{
	struct rib_dest *d = ptable_find(&r->tab[rib_afidx(pfx->afi)], pfx);

	if (d != NULL)
		path_unset(r, d, peer, path_id);
}

/* A store-only RIB frees emptied destinations after a walk. */
static void
free_empty(struct rib *r)
{
	struct rib_dest *d;
	size_t i, t;

	for (t = 0; t < 2; t++)
		for (i = 0; i < r->tab[t].nslot; i++) {
			d = r->tab[t].slot[i];
			if (d == NULL || d->paths != NULL)
				continue;
			rib_dest_maybe_free(r, d);
			/* The backward shift may have refilled slot i. */
			if (r->tab[t].slot[i] != NULL)
				i--;
		}
}

/* Applies fn to every path of peer in the families of af. */
static void
peer_paths(struct rib *r, uint16_t peer, uint8_t af,
    void (*fn)(struct rib *, struct rib_dest *, struct rib_path **))
{
	struct rib_path **pp, *p;
	struct rib_dest *d;
	size_t i, t;

	r->walking = true;
	for (t = 0; t < 2; t++) {
		if (!(af & (1u << t)) || r->peer_routes[peer][t] == 0)
			continue;
		for (i = 0; i < r->tab[t].nslot; i++) {
			d = r->tab[t].slot[i];
			if (d == NULL)
				continue;
			for (pp = &d->paths; (p = *pp) != NULL;) {
				if (p->peer == peer)
					fn(r, d, pp); /* may unlink p */
				if (*pp == p)
					pp = &p->next;
			}
		}
	}
	r->walking = false;
	if (r->conf.store_only)
		free_empty(r);
}

static void
flush_one(struct rib *r, struct rib_dest *d, struct rib_path **pp)
{
	struct rib_path *p = *pp;

	*pp = p->next;
	path_free(r, d, p);
	rib_dest_changed(r, d);
}

static void
stale_one(struct rib *r, struct rib_dest *d, struct rib_path **pp)
{
	(*pp)->flags |= RIB_P_STALE;
}

static void
sweep_one(struct rib *r, struct rib_dest *d, struct rib_path **pp)
{
	if ((*pp)->flags & RIB_P_STALE)
		flush_one(r, d, pp);
}

void
rib_peer_flush(struct rib *r, uint16_t peer, uint8_t af)
{
	peer_paths(r, peer, af, flush_one);
}

void
rib_peer_mark_stale(struct rib *r, uint16_t peer, uint8_t af)
{
	peer_paths(r, peer, af, stale_one);
}

void
rib_peer_sweep_stale(struct rib *r, uint16_t peer, uint8_t af)
{
	peer_paths(r, peer, af, sweep_one);
}

void
rib_process(struct rib *r)
{
	struct rib_dest *d;
	struct rib_attrs *best;
	uint16_t best_peer;
	uint8_t old_nbest;
	size_t i;

	for (i = 0; i < r->nchanged; i++) {
		d = r->changed[i];
		d->changed = 0;
		old_nbest = d->nbest;
		rib_decide(r, d);
		best = d->nbest > 0 ? d->paths->attrs : NULL;
		best_peer = d->nbest > 0 ? d->paths->peer : 0;
		if (best == d->best && best_peer == d->best_peer &&
		    (old_nbest > 1 || d->nbest > 1) &&
		    r->hooks.best_changed != NULL)
			/* The multipath set may have changed: export again. */
			r->hooks.best_changed(r->hooks.arg, d);
		if (best != d->best || best_peer != d->best_peer) {
			if (best != NULL)
				rib_attrs_ref(best);
			rib_attrs_unref(r, d->best);
			d->best = best;
			d->best_peer = best_peer;
			if (r->hooks.best_changed != NULL)
				r->hooks.best_changed(r->hooks.arg, d);
			rib_out_dest_changed(r, d);
		}
		rib_dest_maybe_free(r, d);
	}
	r->nchanged = 0;
}

void
rib_stats(const struct rib *r, struct rib_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->prefixes[0] = r->tab[0].count;
	s->prefixes[1] = r->tab[1].count;
	s->paths = r->npaths;
	s->dest_bytes = r->dest_slab.cap * r->dest_slab.size +
	    (r->tab[0].nslot + r->tab[1].nslot) * sizeof(void *);
	s->path_bytes = r->path_slab.cap * r->path_slab.size;
	rib_attrs_stats(r, &s->attrs);
}

size_t
rib_peer_count(const struct rib *r, uint16_t peer, int afidx)
{
	return r->peer_routes[peer][afidx];
}

void
rib_nexthops_changed(struct rib *r)
{
	struct rib_dest *d;
	struct rib_path *p;
	uint16_t f;
	size_t i, t;
	bool changed;

	if (r->hooks.nexthop_ok == NULL)
		return;
	r->nh_epoch++;
	for (t = 0; t < 2; t++)
		for (i = 0; i < r->tab[t].nslot; i++) {
			if ((d = r->tab[t].slot[i]) == NULL)
				continue;
			changed = false;
			for (p = d->paths; p != NULL; p = p->next) {
				f = path_flags(r, p->attrs);
				if ((p->flags & RIB_P_INELIGIBLE) == f)
					continue;
				p->flags =
				    (uint16_t)((p->flags & ~RIB_P_INELIGIBLE) |
					f);
				changed = true;
			}
			if (changed)
				rib_dest_changed(r, d);
		}
}

void
rib_redecide(struct rib *r)
{
	struct rib_dest *d;
	size_t i, t;

	for (t = 0; t < 2; t++)
		for (i = 0; i < r->tab[t].nslot; i++) {
			d = r->tab[t].slot[i];
			if (d != NULL && d->paths != NULL)
				rib_dest_changed(r, d);
		}
}
