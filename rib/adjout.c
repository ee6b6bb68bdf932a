/*
 * adjout.c: what each peer is sent.
 *
 * Each destination carries two bit masks: the peers it is advertised
 * to, and the peers it is queued for.  A change of best route queues
 * the destination once per established peer.  rib_out_flush takes the
 * queue a chunk at a time, works out for each destination what the
 * peer should have (the best path through the RIB's export rules and
 * the daemon's policy, cached per attribute set), groups the chunk by
 * resulting attribute set and packs each group into full UPDATEs, the
 * withdrawals first.  A destination leaves the queue only once the
 * message carrying it was taken, so a full peer loses nothing: the
 * flush stops and resumes where it was.  After the first full table
 * each family gets its End-of-RIB (RFC 4724 §2).
 *
 * A peer may have an outbound cap (rib_peer_info.out_max: a cloud
 * drops the session past its limit): at most that many prefixes of a
 * family are advertised, the others are withheld, kept in a sorted
 * list, and go out, lowest first, as room frees up (rib.h,
 * rib_out_cap).
 *
 * Export rules: RFC 4271 §5.1 (AS_PATH prepend, NEXT_HOP, MED and
 * LOCAL_PREF toward external peers) and §9.2 (no route back to its
 * source), RFC 1997 (NO_EXPORT, NO_ADVERTISE, NO_EXPORT_SUBCONFED),
 * RFC 4456 (iBGP split horizon and route reflection: ORIGINATOR_ID,
 * CLUSTER_LIST).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <dxbgp/bytes.h>

#include "rib_int.h"

#define FLUSH_CHUNK        65536
#define LOCAL_PREF_DEFAULT 100

static uint64_t
bit(uint16_t peer)
{
	return (uint64_t)1 << peer;
}

static bool
af_ok(const struct rib *r, uint16_t peer, const struct rib_dest *d)
{
	return (r->peer[peer].af & (1u << rib_afidx(d->pfx.afi))) != 0;
}

static void
queue_push(struct rib_out *o, struct rib_dest *d)
{
	if (o->qlen == o->qcap) {
		/* Reuse the consumed head before growing. */
		if (o->qhead > 0) {
			memmove(o->queue, o->queue + o->qhead,
			    (o->qlen - o->qhead) * sizeof(*o->queue));
			o->qlen -= o->qhead;
			o->qhead = 0;
		}
		if (o->qlen == o->qcap) {
			o->qcap = o->qcap ? o->qcap * 2 : 4096;
			o->queue =
			    realloc(o->queue, o->qcap * sizeof(*o->queue));
			if (o->queue == NULL)
				abort();
		}
	}
	o->queue[o->qlen++] = d;
}

static void
queue_dest(struct rib *r, uint16_t peer, struct rib_dest *d)
{
	if (d->dirty & bit(peer))
		return;
	d->dirty |= bit(peer);
	queue_push(&r->out[peer], d);
}

void
rib_out_dest_changed(struct rib *r, struct rib_dest *d)
{
	uint16_t i;

	for (i = 1; i < RIB_MAX_PEERS; i++)
		if (r->out[i].up && af_ok(r, i, d))
			queue_dest(r, i, d);
}

/* ---- the export cache: (input attributes, source) -> output ---- */

static void
cache_clear(struct rib *r, struct rib_out *o)
{
	size_t i;

	for (i = 0; i < o->ncache; i++) {
		if (o->cache[i].in == NULL)
			continue;
		rib_attrs_unref(r, o->cache[i].in);
		rib_attrs_unref(r, o->cache[i].out);
	}
	free(o->cache);
	o->cache = NULL;
	o->ncache = o->cache_used = 0;
	assert(o->nhold == 0);
	free(o->hold);
	o->hold = NULL;
	o->caphold = 0;
}

/*
 * The output depends on the family as well: toward an external peer,
 * or for a route of ours, the next hop is our address of that family,
 * and one set (a local one without next hop) may serve both.
 */
static size_t
cache_slot(const struct rib_out *o, const struct rib_attrs *in, uint16_t src,
    uint8_t afi)
{
	size_t mask = o->ncache - 1;
	size_t i =
	    ((in->hash ^ (size_t)src * 0x9e3779b9u ^ afi) * 2654435761u) & mask;

	while (o->cache[i].in != NULL &&
	    (o->cache[i].in != in || o->cache[i].src != src ||
		o->cache[i].afi != afi))
		i = (i + 1) & mask;
	return i;
}

static void
cache_grow(struct rib_out *o)
{
	struct out_cache_ent *old = o->cache;
	size_t n = o->ncache, i, j;

	o->ncache = n ? n * 2 : 1024;
	o->cache = calloc(o->ncache, sizeof(*o->cache));
	if (o->cache == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (old[i].in == NULL)
			continue;
		j = cache_slot(o, old[i].in, old[i].src, old[i].afi);
		o->cache[j] = old[i];
	}
	free(old);
}

/* ---- export rules ---- */

static bool
has_community(const struct rib_attrs *a, uint32_t c)
{
	const uint8_t *p = rib_attrs_comm(a);
	uint16_t i;

	for (i = 0; i + 4 <= a->comm_len; i += 4)
		if (((uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
			(uint32_t)p[i + 2] << 8 | p[i + 3]) == c)
			return true;
	return false;
}

/* RFC 6996, RFC 7300: private and reserved AS numbers. */
static bool
as_private(uint32_t as)
{
	return (as >= 64512 && as <= 65535) ||
	    (as >= 4200000000u && as <= 4294967295u);
}

/*
 * The AS_PATH toward an external peer, into out: private numbers
 * removed or the peer's own number replaced if asked, then our AS
 * prepended (RFC 4271 §5.1.2).  Returns the length.
 */
static size_t
aspath_out(const struct rib_attrs *a, const struct rib_peer_info *pi,
    uint32_t local_as, uint8_t *out)
{
	const uint8_t *p = rib_attrs_aspath(a);
	size_t len = a->aspath_len, o = 6, seg, hdr, i;
	bool merge = true;
	uint32_t as;
	uint8_t n;

	out[0] = BGP_SEG_SEQUENCE;
	out[1] = 1;
	put32(out + 2, local_as);
	while (len >= 2) {
		seg = 2 + (size_t)p[1] * 4;
		if (seg > len)
			break;
		/* A leading AS_SEQUENCE joins ours if the count allows. */
		merge =
		    merge && p[0] == BGP_SEG_SEQUENCE && out[1] + p[1] <= 255;
		hdr = o;
		if (!merge)
			o += 2;
		n = 0;
		for (i = 0; i < p[1]; i++) {
			as = get32(p + 2 + 4 * i);
			if (pi->remove_private_as && as_private(as))
				continue;
			if (pi->as_override && as == pi->asn)
				as = local_as;
			put32(out + o, as);
			o += 4;
			n++;
		}
		if (merge)
			out[1] = (uint8_t)(out[1] + n);
		else if (n == 0)
			o = hdr; /* a segment emptied by removal goes */
		else {
			out[hdr] = p[0];
			out[hdr + 1] = n;
		}
		merge = false;
		p += seg;
		len -= seg;
	}
	return o;
}

/*
 * The attributes peer should get for path p of d, before policy, or
 * NULL if the RIB's own rules keep the route from it.
 */
static struct rib_attrs *
export_rules(struct rib *r, uint16_t peer, const struct rib_dest *d,
    const struct rib_path *p)
{
	const struct rib_peer_info *pi = &r->peer[peer];
	const struct rib_peer_info *src = &r->peer[p->peer];
	const struct rib_attrs *a = p->attrs;
	struct rib_attrs_key k;
	uint32_t local_as = pi->local_as ? pi->local_as : r->conf.asn;
	uint32_t cluster =
	    r->conf.cluster_id ? r->conf.cluster_id : r->conf.router_id;
	bool from_ibgp = p->peer != RIB_PEER_LOCAL && src->ibgp;
	uint8_t *cl;

	if (p->peer == peer)
		return NULL; /* never back to where it came from */
	if (has_community(a, BGP_COMM_NO_ADVERTISE))
		return NULL;
	if (!pi->ibgp &&
	    (has_community(a, BGP_COMM_NO_EXPORT) ||
		has_community(a, BGP_COMM_NO_EXPORT_SUBCONFED)))
		return NULL;
	/* RFC 4456 §6: iBGP to iBGP only through a route reflector. */
	if (from_ibgp && pi->ibgp && !src->rr_client && !pi->rr_client)
		return NULL;
	rib_attrs_key_of(a, &k);
	if (!pi->ibgp) {
		k.aspath_len = (uint32_t)aspath_out(a, pi, local_as, r->abuf);
		k.aspath = r->abuf;
		k.flags |= RIB_A_ASPATH;
		k.flags &= (uint16_t) ~(RIB_A_LOCAL_PREF | RIB_A_ORIGINATOR);
		/* §5.1.4: a MED learned from a neighbor AS stays there. */
		if (p->peer != RIB_PEER_LOCAL)
			k.flags &= (uint16_t)~RIB_A_MED;
		k.cluster_len = 0;
	} else {
		if (!(k.flags & RIB_A_LOCAL_PREF)) {
			k.flags |= RIB_A_LOCAL_PREF;
			k.local_pref = LOCAL_PREF_DEFAULT;
		}
		if (from_ibgp) {
			/* Reflected: RFC 4456 §8. */
			if (!(k.flags & RIB_A_ORIGINATOR)) {
				k.flags |= RIB_A_ORIGINATOR;
				k.originator_id = src->router_id;
			}
			cl = r->abuf;
			put32(cl, cluster);
			if (k.cluster_len > 0)
				memcpy(cl + 4, k.cluster, k.cluster_len);
			k.cluster = cl;
			k.cluster_len = (uint16_t)(k.cluster_len + 4);
		}
	}
	/* RFC 4271 §5.1.3: toward an external peer, the next hop is us. */
	if (!pi->ibgp || pi->next_hop_self || k.nh_len == 0 ||
	    p->peer == RIB_PEER_LOCAL) {
		if (d->pfx.afi == BGP_AFI_IPV4 && pi->has_nh4) {
			k.nh_len = 4;
			memcpy(k.nexthop, pi->nh4, 4);
		} else if (d->pfx.afi == BGP_AFI_IPV6 && pi->has_nh6) {
			k.nh_len = 16;
			memcpy(k.nexthop, pi->nh6, 16);
		} else if (!pi->ibgp || k.nh_len == 0)
			return NULL; /* no address of ours in this family */
	}
	return rib_attrs_intern(r, &k);
}

/*
 * What peer should have for d: interned attributes, or NULL.  From the
 * best route as rib_process last decided it (d->best, d->best_peer):
 * the list of paths may have changed since, undecided.
 */
static struct rib_attrs *
export_dest(struct rib *r, uint16_t peer, const struct rib_dest *d)
{
	struct rib_out *o = &r->out[peer];
	struct rib_path best = { .attrs = d->best, .peer = d->best_peer };
	const struct rib_path *p = &best;
	struct rib_attrs *out, *pol;
	size_t i;

	if (d->best == NULL || !af_ok(r, peer, d))
		return NULL;
	if (p->peer == peer)
		return NULL;
	if (r->peer[peer].export_per_prefix) {
		/* Not cached: held until the chunk is packed. */
		out = export_rules(r, peer, d, p);
		if (out != NULL && r->hooks.export_ok != NULL) {
			pol = r->hooks.export_ok(r->hooks.arg, peer, d, out);
			rib_attrs_unref(r, out);
			out = pol;
		}
		if (out == NULL)
			return NULL;
		if (o->nhold == o->caphold) {
			o->caphold = o->caphold ? o->caphold * 2 : 256;
			o->hold =
			    realloc(o->hold, o->caphold * sizeof(*o->hold));
			if (o->hold == NULL)
				abort();
		}
		o->hold[o->nhold++] = out;
		return out;
	}
	if ((o->cache_used + 1) * 2 > o->ncache)
		cache_grow(o);
	i = cache_slot(o, p->attrs, p->peer, d->pfx.afi);
	if (o->cache[i].in != NULL)
		return o->cache[i].out;
	out = export_rules(r, peer, d, p);
	if (out != NULL && r->hooks.export_ok != NULL) {
		pol = r->hooks.export_ok(r->hooks.arg, peer, d, out);
		rib_attrs_unref(r, out);
		out = pol;
	}
	rib_attrs_ref(p->attrs);
	o->cache[i].in = p->attrs;
	o->cache[i].src = p->peer;
	o->cache[i].afi = d->pfx.afi;
	o->cache[i].out = out;
	o->cache_used++;
	return out;
}

/* ---- the outbound cap ---- */

static int
pfx_cmp(const struct rib_prefix *a, const struct rib_prefix *b)
{
	int c;

	if (a->afi != b->afi)
		return a->afi < b->afi ? -1 : 1;
	if ((c = memcmp(a->addr, b->addr, sizeof(a->addr))) != 0)
		return c;
	return (int)a->len - (int)b->len;
}

static int
pfx_qcmp(const void *a, const void *b)
{
	return pfx_cmp(a, b);
}

/* Where p is in the withheld list, or where it would go. */
static size_t
held_find(const struct rib_out *o, const struct rib_prefix *p, bool *found)
{
	size_t lo = 0, hi = o->nheld, mid;
	int c;

	*found = false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = pfx_cmp(&o->held[mid].pfx, p);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* p is withheld (again); new ones wait in held_new for held_merge. */
static void
held_add(struct rib_out *o, const struct rib_prefix *p)
{
	bool found;
	size_t i = held_find(o, p, &found);

	if (found) {
		if (o->held[i].gone) {
			o->held[i].gone = false;
			o->held_af[rib_afidx(p->afi)]++;
		}
		return;
	}
	if (o->nheld_new == o->capheld_new) {
		o->capheld_new = o->capheld_new ? o->capheld_new * 2 : 64;
		o->held_new =
		    realloc(o->held_new, o->capheld_new * sizeof(*o->held_new));
		if (o->held_new == NULL)
			abort();
	}
	o->held_new[o->nheld_new++] = *p;
	o->held_af[rib_afidx(p->afi)]++;
}

/* p is no longer withheld (sent, or not to be sent at all). */
static void
held_del(struct rib_out *o, const struct rib_prefix *p)
{
	bool found;
	size_t i;

	if (o->held_af[rib_afidx(p->afi)] == 0)
		return;
	i = held_find(o, p, &found);
	if (found && !o->held[i].gone) {
		o->held[i].gone = true;
		o->held_af[rib_afidx(p->afi)]--;
	}
}

/* The new withheld prefixes into the list, the gone ones out of it. */
static void
held_merge(struct rib_out *o)
{
	size_t live = o->held_af[0] + o->held_af[1], i = 0, j = 0, k = 0;
	struct out_held *v;

	if (o->nheld_new == 0 && o->nheld - live < 1024 &&
	    o->nheld - live <= live)
		return;
	qsort(o->held_new, o->nheld_new, sizeof(*o->held_new), pfx_qcmp);
	v = malloc((live ? live : 1) * sizeof(*v));
	if (v == NULL)
		abort();
	while (i < o->nheld || j < o->nheld_new) {
		if (i < o->nheld && o->held[i].gone) {
			i++;
			continue;
		}
		if (j == o->nheld_new ||
		    (i < o->nheld &&
			pfx_cmp(&o->held[i].pfx, &o->held_new[j]) < 0))
			v[k++] = o->held[i++];
		else
			v[k++] = (struct out_held){ o->held_new[j++], false };
	}
	assert(k == live);
	free(o->held);
	o->held = v;
	o->nheld = o->capheld = live;
	o->nheld_new = 0;
}

static void
held_clear(struct rib_out *o)
{
	free(o->held);
	free(o->held_new);
	o->held = NULL;
	o->held_new = NULL;
	o->nheld = o->capheld = o->nheld_new = o->capheld_new = 0;
	o->held_af[0] = o->held_af[1] = 0;
}

static int
ent_pfx_cmp(const void *a, const void *b)
{
	const struct flush_ent *x = a, *y = b;

	return pfx_cmp(&x->d->pfx, &y->d->pfx);
}

/*
 * The cap on a chunk of flush entries: withdrawals free room at once
 * (they are packed first); past the cap, the highest prefixes
 * advertised are withdrawn (a lowered cap); new prefixes go out,
 * lowest first, while there is room, and the others are withheld.
 * Returns how many entries are left to send.
 */
static size_t
cap_chunk(struct rib *r, uint16_t peer, size_t m)
{
	struct rib_out *o = &r->out[peer];
	struct flush_ent *e = r->fent;
	size_t max = r->peer[peer].out_max, stay[2], i, k;
	int t;

	if (max == 0)
		return m;
	/* Group numbers stay what they are: only names of groups. */
	qsort(e, m, sizeof(*e), ent_pfx_cmp);
	stay[0] = o->nadv[0];
	stay[1] = o->nadv[1];
	for (i = 0; i < m; i++)
		if (e[i].out == NULL)
			stay[rib_afidx(e[i].d->pfx.afi)]--;
	for (i = m; i-- > 0;) {
		t = rib_afidx(e[i].d->pfx.afi);
		if (stay[t] > max && e[i].out != NULL &&
		    (e[i].d->adv & bit(peer))) {
			e[i].out = NULL;
			e[i].group = 0;
			stay[t]--;
			held_add(o, &e[i].d->pfx);
		}
	}
	for (i = k = 0; i < m; i++) {
		t = rib_afidx(e[i].d->pfx.afi);
		if (e[i].out != NULL && !(e[i].d->adv & bit(peer))) {
			if (stay[t] >= max) {
				held_add(o, &e[i].d->pfx);
				e[i].d->dirty &= ~bit(peer);
				continue;
			}
			stay[t]++;
			held_del(o, &e[i].d->pfx);
		}
		e[k++] = e[i];
	}
	held_merge(o);
	return k;
}

/*
 * Room under the cap goes to withheld prefixes, lowest first: they are
 * queued again.  Returns whether any was.
 */
static bool
cap_release(struct rib *r, uint16_t peer)
{
	struct rib_out *o = &r->out[peer];
	size_t max = r->peer[peer].out_max, room[2], i;
	struct rib_dest *d;
	bool any = false;
	int t;

	if (max == 0 || o->held_af[0] + o->held_af[1] == 0)
		return false;
	for (t = 0; t < 2; t++)
		room[t] = o->nadv[t] < max ? max - o->nadv[t] : 0;
	for (i = 0; i < o->nheld && (room[0] || room[1]); i++) {
		struct out_held *h = &o->held[i];

		t = rib_afidx(h->pfx.afi);
		if (h->gone || room[t] == 0)
			continue;
		d = ptable_find(&r->tab[t], &h->pfx);
		if (d == NULL || d->best == NULL) {
			h->gone = true;
			o->held_af[t]--;
			continue;
		}
		queue_dest(r, peer, d);
		room[t]--;
		any = true;
	}
	return any;
}

void
rib_out_cap(
    const struct rib *r, uint16_t peer, int afidx, struct rib_out_cap *c)
{
	const struct rib_out *o = &r->out[peer];
	size_t i;

	assert(peer > 0 && peer < RIB_MAX_PEERS && afidx >= 0 && afidx < 2);
	memset(c, 0, sizeof(*c));
	c->adv = o->nadv[afidx];
	c->held = o->held_af[afidx];
	for (i = 0; i < o->nheld && c->held > 0; i++)
		if (!o->held[i].gone &&
		    rib_afidx(o->held[i].pfx.afi) == afidx) {
			c->first_held = o->held[i].pfx;
			break;
		}
}

/* ---- starting, stopping ---- */

/* Orders destinations by their best attribute set. */
static int
by_best(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)(*(struct rib_dest *const *)a)->best;
	uintptr_t y = (uintptr_t)(*(struct rib_dest *const *)b)->best;

	return x < y ? -1 : x > y;
}

static int
by_pfx(const void *a, const void *b)
{
	return pfx_cmp(&(*(struct rib_dest *const *)a)->pfx,
	    &(*(struct rib_dest *const *)b)->pfx);
}

/*
 * Queues every destination of the families af for peer, those sharing
 * an attribute set next to each other: the table goes out in full
 * UPDATEs, not in the table's hash order.
 */
static void
queue_all(struct rib *r, uint16_t peer, uint8_t af)
{
	struct rib_dest *d, **v;
	size_t i, t, n;

	for (t = 0; t < 2; t++) {
		if (!(af & r->peer[peer].af & (1u << t)) ||
		    r->tab[t].count == 0)
			continue;
		v = malloc(r->tab[t].count * sizeof(*v));
		if (v == NULL)
			abort();
		for (i = n = 0; i < r->tab[t].nslot; i++) {
			d = r->tab[t].slot[i];
			if (d != NULL &&
			    (d->best != NULL || (d->adv & bit(peer))))
				v[n++] = d;
		}
		/* Under a cap, which prefixes go out is in prefix order. */
		qsort(
		    v, n, sizeof(*v), r->peer[peer].out_max ? by_pfx : by_best);
		for (i = 0; i < n; i++)
			queue_dest(r, peer, v[i]);
		free(v);
	}
}

void
rib_out_start(struct rib *r, uint16_t peer)
{
	struct rib_out *o = &r->out[peer];

	assert(peer > 0 && peer < RIB_MAX_PEERS);
	o->up = true;
	o->eor_sent[0] = o->eor_sent[1] = false;
	o->eor_due[0] = (r->peer[peer].af & RIB_AF_IPV4) != 0;
	o->eor_due[1] = (r->peer[peer].af & RIB_AF_IPV6) != 0;
	cache_clear(r, o);
	queue_all(r, peer, RIB_AF_IPV4 | RIB_AF_IPV6);
}

void
rib_out_refresh(struct rib *r, uint16_t peer, uint8_t af, bool eorr)
{
	struct rib_out *o = &r->out[peer];

	if (!o->up)
		return;
	/* Policy may have changed: work everything out again. */
	cache_clear(r, o);
	queue_all(r, peer, af);
	if (eorr) {
		o->eorr_due[0] |= (af & RIB_AF_IPV4) != 0;
		o->eorr_due[1] |= (af & RIB_AF_IPV6) != 0;
	}
}

void
rib_out_stop(struct rib *r, uint16_t peer)
{
	struct rib_out *o = &r->out[peer];
	struct rib_dest *d;
	size_t i, t;

	o->up = false;
	/* Nothing is pending for a peer that is down, End-of-RIB neither. */
	o->eor_due[0] = o->eor_due[1] = false;
	o->eorr_due[0] = o->eorr_due[1] = false;
	for (t = 0; t < 2; t++)
		for (i = 0; i < r->tab[t].nslot; i++) {
			d = r->tab[t].slot[i];
			if (d == NULL || !((d->adv | d->dirty) & bit(peer)))
				continue;
			d->adv &= ~bit(peer);
			d->dirty &= ~bit(peer);
			if (d->paths == NULL && d->adv == 0 && d->dirty == 0) {
				/* Slot i is refilled by the next entry. */
				rib_dest_maybe_free(r, d);
				if (r->tab[t].slot[i] != NULL &&
				    r->tab[t].slot[i] != d)
					i--;
			}
		}
	free(o->queue);
	o->queue = NULL;
	o->qhead = o->qlen = o->qcap = 0;
	o->nadv[0] = o->nadv[1] = 0;
	held_clear(o);
	cache_clear(r, o);
}

void
rib_out_clean(struct rib *r)
{
	uint16_t i;

	for (i = 0; i < RIB_MAX_PEERS; i++) {
		free(r->out[i].queue);
		held_clear(&r->out[i]);
		cache_clear(r, &r->out[i]);
	}
	free(r->fent);
}

bool
rib_out_pending(const struct rib *r, uint16_t peer)
{
	const struct rib_out *o = &r->out[peer];

	return o->qhead < o->qlen || o->eor_due[0] || o->eor_due[1] ||
	    o->eorr_due[0] || o->eorr_due[1];
}

/* ---- packing ---- */

struct packer {
	struct rib *r;
	uint16_t peer;
	size_t max;
	bool (*send)(void *, const uint8_t *, size_t);
	void *arg;
	bool full; /* send() refused: stop */
};

static void
wire_prefix_of(const struct rib_dest *d, struct wire_prefix *wp)
{
	wp->afi = d->pfx.afi;
	wp->len = d->pfx.len;
	wp->path_id = 0;
	memcpy(wp->addr, d->pfx.addr, 16);
}

/* A message was taken: its destinations are now as it says. */
static void
commit(struct rib *r, uint16_t peer, struct flush_ent *e, size_t n)
{
	struct rib_out *o = &r->out[peer];
	size_t i;
	int t;

	for (i = 0; i < n; i++) {
		t = rib_afidx(e[i].d->pfx.afi);
		e[i].d->dirty &= ~bit(peer);
		if (e[i].out != NULL) {
			o->nadv[t] += !(e[i].d->adv & bit(peer));
			e[i].d->adv |= bit(peer);
		} else {
			o->nadv[t] -= (e[i].d->adv & bit(peer)) != 0;
			e[i].d->adv &= ~bit(peer);
		}
		e[i].d = NULL;
	}
}

/*
 * Attributes too large for any message: the route is not sent, and is
 * withdrawn where it was advertised before.  One never advertised has
 * nothing to withdraw: it is done, and leaves e.  Returns what is left.
 */
static size_t
unsendable(struct rib *r, uint16_t peer, struct flush_ent *e, size_t n)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		if (e[i].d->adv & bit(peer)) {
			e[i].out = NULL;
			e[m++] = e[i];
		} else
			e[i].d->dirty &= ~bit(peer);
	}
	return m;
}

/*
 * Sends the entries e[0..n), all with the same attributes (or all
 * withdrawals), in as few messages as fit.  Entries sent are cleared.
 */
static void
pack_group(struct packer *pk, uint8_t afi, struct flush_ent *e, size_t n)
{
	struct rib *r = pk->r;
	const struct rib_peer_info *pi = &r->peer[pk->peer];
	struct wire_upd_builder b;
	struct wire_attrs w;
	struct wire_prefix wp;
	size_t alen = 0, i = 0, start, mlen;
	bool ok;

	if (e[0].out != NULL) {
		rib_attrs_to_wire(e[0].out, &w);
		if (afi != BGP_AFI_IPV4)
			w.have &= ~WIRE_HAVE(BGP_ATTR_NEXT_HOP);
		alen = wire_attrs_encode(&w, pi->as4, r->abuf, BGP_MAX_MSG_EXT);
		if (alen == 0)
			n = unsendable(r, pk->peer, e, n);
	}
	while (i < n && !pk->full) {
		start = i;
		wire_upd_begin(&b, r->obuf, pk->max, afi, false);
		if (e[start].out != NULL &&
		    !wire_upd_attrs(&b, r->abuf, alen, e[0].out->nexthop,
			e[0].out->nh_len)) {
			n = start +
			    unsendable(r, pk->peer, e + start, n - start);
			continue;
		}
		for (; i < n; i++) {
			wire_prefix_of(e[i].d, &wp);
			ok = e[i].out != NULL ? wire_upd_announce(&b, &wp)
					      : wire_upd_withdraw(&b, &wp);
			if (!ok)
				break;
		}
		if (i == start) {
			/* Not even one prefix fits beside these attributes. */
			n = start +
			    unsendable(r, pk->peer, e + start, n - start);
			continue;
		}
		mlen = wire_upd_finish(&b);
		if (!pk->send(pk->arg, r->obuf, mlen)) {
			pk->full = true;
			break;
		}
		commit(r, pk->peer, e + start, i - start);
	}
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct flush_ent *x = a, *y = b;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return (int)x->d->pfx.afi - (int)y->d->pfx.afi;
}

/* Groups a chunk by attribute set, withdrawals first; returns its size. */
static size_t
build_chunk(struct rib *r, uint16_t peer, size_t n)
{
	struct rib_out *o = &r->out[peer];
	struct flush_ent *e = r->fent;
	struct rib_dest *d;
	struct rib_attrs *out;
	size_t i, m = 0, j;
	/* first entry index of each attribute set in this chunk */
	size_t mask, hsize = 1;
	uint32_t *first;
	struct rib_attrs **key;

	while (hsize < 2 * n)
		hsize *= 2;
	mask = hsize - 1;
	first = malloc(hsize * sizeof(*first));
	key = calloc(hsize, sizeof(*key));
	if (first == NULL || key == NULL)
		abort();
	for (i = 0; i < n; i++) {
		d = o->queue[o->qhead + i];
		out = (d->dirty & bit(peer)) ? export_dest(r, peer, d) : NULL;
		if (!(d->dirty & bit(peer)) ||
		    (out == NULL && !(d->adv & bit(peer)))) {
			/* Nothing to send: not advertised, still is not. */
			if ((d->dirty & bit(peer)) && r->peer[peer].out_max)
				held_del(o, &d->pfx);
			d->dirty &= ~bit(peer);
			continue;
		}
		e[m].d = d;
		e[m].out = out;
		if (out == NULL) {
			e[m].group = 0; /* withdrawals go first */
		} else {
			j = (size_t)(out->hash * 2654435761u) & mask;
			while (key[j] != NULL && key[j] != out)
				j = (j + 1) & mask;
			if (key[j] == NULL) {
				key[j] = out;
				first[j] = (uint32_t)m + 1;
			}
			e[m].group = first[j];
		}
		m++;
	}
	free(first);
	free(key);
	m = cap_chunk(r, peer, m);
	/* Stable enough: groups in order of first appearance. */
	qsort(e, m, sizeof(*e), ent_cmp);
	return m;
}

static void
send_eor(struct packer *pk)
{
	struct rib_out *o = &pk->r->out[pk->peer];
	static const uint16_t afis[2] = { BGP_AFI_IPV4, BGP_AFI_IPV6 };
	size_t n, t;

	for (t = 0; t < 2 && !pk->full; t++) {
		if (!o->eor_due[t])
			continue;
		n = wire_eor_encode(
		    afis[t], BGP_SAFI_UNICAST, pk->r->obuf, BGP_MAX_MSG);
		if (!pk->send(pk->arg, pk->r->obuf, n)) {
			pk->full = true;
			return;
		}
		o->eor_due[t] = false;
		o->eor_sent[t] = true;
	}
	for (t = 0; t < 2 && !pk->full; t++) {
		struct wire_rrefresh rr = { afis[t], BGP_RR_EORR,
			BGP_SAFI_UNICAST };

		if (!o->eorr_due[t])
			continue;
		n = wire_rrefresh_encode(&rr, pk->r->obuf, BGP_MAX_MSG);
		if (!pk->send(pk->arg, pk->r->obuf, n)) {
			pk->full = true;
			return;
		}
		o->eorr_due[t] = false;
	}
}

bool
rib_out_flush(struct rib *r, uint16_t peer, size_t max,
    bool (*send)(void *arg, const uint8_t *msg, size_t len), void *arg)
{
	struct rib_out *o = &r->out[peer];
	struct packer pk = { r, peer, max, send, arg, false };
	struct rib_dest *d;
	size_t n, m, i, j, keep;

	if (!o->up)
		return true;
	/*
	 * A backlog larger than a chunk is ordered by attribute set first,
	 * so the chunks pack full UPDATEs whatever order changes came in.
	 */
	if (o->qlen - o->qhead > FLUSH_CHUNK && !o->sorted &&
	    r->peer[peer].out_max == 0) {
		qsort(o->queue + o->qhead, o->qlen - o->qhead,
		    sizeof(*o->queue), by_best);
		o->sorted = true;
	}
again:
	while (o->qhead < o->qlen && !pk.full) {
		n = o->qlen - o->qhead;
		if (n > FLUSH_CHUNK)
			n = FLUSH_CHUNK;
		if (r->fcap < n) {
			r->fcap = FLUSH_CHUNK;
			r->fent = realloc(r->fent, r->fcap * sizeof(*r->fent));
			if (r->fent == NULL)
				abort();
		}
		m = build_chunk(r, peer, n);
		for (i = 0; i < m && !pk.full; i = j) {
			for (j = i + 1;
			     j < m && r->fent[j].group == r->fent[i].group &&
			     r->fent[j].d->pfx.afi == r->fent[i].d->pfx.afi;
			     j++)
				;
			pack_group(
			    &pk, r->fent[i].d->pfx.afi, r->fent + i, j - i);
		}
		while (o->nhold > 0)
			rib_attrs_unref(r, o->hold[--o->nhold]);
		/* What was not sent stays queued, at the head. */
		keep = o->qhead + n;
		for (i = o->qhead + n; i > o->qhead; i--) {
			d = o->queue[i - 1];
			if (d->dirty & bit(peer))
				o->queue[--keep] = d;
			else
				rib_dest_maybe_free(r, d);
		}
		o->qhead = keep;
	}
	/* Room under the cap: withheld prefixes go out now. */
	if (!pk.full && o->qhead == o->qlen && cap_release(r, peer))
		goto again;
	if (o->qhead == o->qlen) {
		o->qhead = o->qlen = 0;
		o->sorted = false;
		/*
		 * The cache serves one burst (a whole table, however many
		 * calls it takes); kept longer, its references would keep
		 * every set ever exported alive while the session is up.
		 */
		cache_clear(r, o);
		if (!pk.full)
			send_eor(&pk);
	}
	return !rib_out_pending(r, peer);
}

/*
 * What the export path gives peer for d now: its rules above, then the
 * daemon's policy, without the cache (for `show ... advertised-routes`).
 */
struct rib_attrs *
rib_out_attrs(struct rib *r, uint16_t peer, const struct rib_dest *d)
{
	struct rib_path best = { .attrs = d->best, .peer = d->best_peer };
	struct rib_attrs *out, *pol;

	assert(peer > 0 && peer < RIB_MAX_PEERS);
	if (d->best == NULL || !af_ok(r, peer, d) || best.peer == peer)
		return NULL;
	out = export_rules(r, peer, d, &best);
	if (out != NULL && r->hooks.export_ok != NULL) {
		pol = r->hooks.export_ok(r->hooks.arg, peer, d, out);
		rib_attrs_unref(r, out);
		out = pol;
	}
	return out;
}
