/*
 * attrs.c: interned path attribute sets (hash-consing).
 *
 * A set is stored once, however many routes carry it: a route holds a
 * counted reference.  A set is immutable; to change one, copy it into
 * a struct rib_attrs_key, change the key, intern the key.  Interning
 * hashes the key where it lies (in the receive buffer, for an UPDATE),
 * so an UPDATE whose attributes are already known costs no allocation.
 * The next hop is part of the set, as BIRD does; for a full table that
 * means a few tens of thousands of sets.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "rib_int.h"

/* ---- layout of data[] ---- */

const uint8_t *
rib_attrs_aspath(const struct rib_attrs *a)
{
	return a->data;
}

const uint8_t *
rib_attrs_comm(const struct rib_attrs *a)
{
	return a->data + a->aspath_len;
}

const uint8_t *
rib_attrs_lcomm(const struct rib_attrs *a)
{
	return rib_attrs_comm(a) + a->comm_len;
}

const uint8_t *
rib_attrs_ecomm(const struct rib_attrs *a)
{
	return rib_attrs_lcomm(a) + a->lcomm_len;
}

const uint8_t *
rib_attrs_cluster(const struct rib_attrs *a)
{
	return rib_attrs_ecomm(a) + a->ecomm_len;
}

const uint8_t *
rib_attrs_unknown(const struct rib_attrs *a)
{
	return rib_attrs_cluster(a) + a->cluster_len;
}

static size_t
key_datalen(const struct rib_attrs_key *k)
{
	return (size_t)k->aspath_len + k->comm_len + k->lcomm_len +
	    k->ecomm_len + k->cluster_len + k->unknown_len;
}

/* ---- hashing ---- */

static uint64_t
mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

static uint64_t
mix_bytes(uint64_t h, const uint8_t *p, size_t n)
{
	uint64_t v;

	h = mix(h, n);
	while (n >= 8) {
		memcpy(&v, p, 8);
		h = mix(h, v);
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		v = 0;
		memcpy(&v, p, n);
		h = mix(h, v);
	}
	return h;
}

static uint32_t
key_hash(const struct rib_attrs_key *k)
{
	uint64_t h = 0x84222325cbf29ce4ull;

	h = mix(
	    h, (uint64_t)k->flags << 16 | (uint64_t)k->origin << 8 | k->nh_len);
	h = mix(h, (uint64_t)k->med << 32 | k->local_pref);
	h = mix(h, (uint64_t)k->originator_id << 32 | k->aggr_as);
	h = mix(h, k->aggr_addr);
	h = mix_bytes(h, k->nexthop, k->nh_len);
	h = mix_bytes(h, k->aspath, k->aspath_len);
	h = mix_bytes(h, k->comm, k->comm_len);
	h = mix_bytes(h, k->lcomm, k->lcomm_len);
	h = mix_bytes(h, k->ecomm, k->ecomm_len);
	h = mix_bytes(h, k->cluster, k->cluster_len);
	h = mix_bytes(h, k->unknown, k->unknown_len);
	return (uint32_t)(h ^ (h >> 32));
}

static bool
bytes_eq(const uint8_t *a, const uint8_t *b, size_t n)
{
	return n == 0 || memcmp(a, b, n) == 0;
}

static bool
key_eq(const struct rib_attrs *a, const struct rib_attrs_key *k)
{
	return a->flags == k->flags && a->origin == k->origin &&
	    a->nh_len == k->nh_len && a->med == k->med &&
	    a->local_pref == k->local_pref &&
	    a->originator_id == k->originator_id && a->aggr_as == k->aggr_as &&
	    a->aggr_addr == k->aggr_addr && a->aspath_len == k->aspath_len &&
	    a->comm_len == k->comm_len && a->lcomm_len == k->lcomm_len &&
	    a->ecomm_len == k->ecomm_len && a->cluster_len == k->cluster_len &&
	    a->unknown_len == k->unknown_len &&
	    memcmp(a->nexthop, k->nexthop, k->nh_len) == 0 &&
	    bytes_eq(rib_attrs_aspath(a), k->aspath, k->aspath_len) &&
	    bytes_eq(rib_attrs_comm(a), k->comm, k->comm_len) &&
	    bytes_eq(rib_attrs_lcomm(a), k->lcomm, k->lcomm_len) &&
	    bytes_eq(rib_attrs_ecomm(a), k->ecomm, k->ecomm_len) &&
	    bytes_eq(rib_attrs_cluster(a), k->cluster, k->cluster_len) &&
	    bytes_eq(rib_attrs_unknown(a), k->unknown, k->unknown_len);
}

/* ---- the table of sets ---- */

static void
abucket_grow(struct rib *r)
{
	size_t n = r->nabucket ? r->nabucket * 2 : 4096, i;
	struct rib_attrs **nb = calloc(n, sizeof(*nb)), *a, *next;

	if (nb == NULL)
		abort();
	for (i = 0; i < r->nabucket; i++)
		for (a = r->abucket[i]; a != NULL; a = next) {
			next = a->hnext;
			a->hnext = nb[a->hash & (n - 1)];
			nb[a->hash & (n - 1)] = a;
		}
	free(r->abucket);
	r->abucket = nb;
	r->nabucket = n;
}

static void
put(uint8_t **p, const uint8_t *v, size_t n)
{
	if (n > 0)
		memcpy(*p, v, n);
	*p += n;
}

/* Path length for the decision: a set counts one, confed segments 0. */
static uint16_t
aspath_hops(const uint8_t *p, size_t len)
{
	unsigned int n = wire_aspath_length(p, len);

	return n > 0xffff ? 0xffff : (uint16_t)n;
}

struct rib_attrs *
rib_attrs_intern(struct rib *r, const struct rib_attrs_key *k)
{
	uint32_t h = key_hash(k);
	struct rib_attrs *a;
	size_t dl = key_datalen(k);
	uint8_t *p;

	if (r->nabucket == 0 || r->nattrs > r->nabucket)
		abucket_grow(r);
	for (a = r->abucket[h & (r->nabucket - 1)]; a != NULL; a = a->hnext)
		if (a->hash == h && key_eq(a, k)) {
			a->refcnt++;
			return a;
		}
	a = malloc(sizeof(*a) + dl);
	if (a == NULL)
		abort();
	memset(a, 0, sizeof(*a));
	a->hash = h;
	a->refcnt = 1;
	a->nh_epoch = 0; /* the RIB's epochs start at 1: not known yet */
	a->nh_ok = false;
	a->flags = k->flags;
	a->origin = k->origin;
	a->nh_len = k->nh_len;
	memcpy(a->nexthop, k->nexthop, k->nh_len);
	a->med = k->med;
	a->local_pref = k->local_pref;
	a->originator_id = k->originator_id;
	a->aggr_as = k->aggr_as;
	a->aggr_addr = k->aggr_addr;
	a->aspath_len = k->aspath_len;
	a->comm_len = k->comm_len;
	a->lcomm_len = k->lcomm_len;
	a->ecomm_len = k->ecomm_len;
	a->cluster_len = k->cluster_len;
	a->unknown_len = k->unknown_len;
	p = a->data;
	put(&p, k->aspath, k->aspath_len);
	put(&p, k->comm, k->comm_len);
	put(&p, k->lcomm, k->lcomm_len);
	put(&p, k->ecomm, k->ecomm_len);
	put(&p, k->cluster, k->cluster_len);
	put(&p, k->unknown, k->unknown_len);
	a->aspath_hops = aspath_hops(a->data, a->aspath_len);
	a->first_as = wire_aspath_first(a->data, a->aspath_len);
	a->hnext = r->abucket[h & (r->nabucket - 1)];
	r->abucket[h & (r->nabucket - 1)] = a;
	r->nattrs++;
	r->abytes += sizeof(*a) + dl;
	return a;
}

void
rib_attrs_ref(struct rib_attrs *a)
{
	a->refcnt++;
}

void
rib_attrs_unref(struct rib *r, struct rib_attrs *a)
{
	struct rib_attrs **pp;

	if (a == NULL)
		return;
	assert(a->refcnt > 0);
	if (--a->refcnt > 0)
		return;
	for (pp = &r->abucket[a->hash & (r->nabucket - 1)]; *pp != a;
	     pp = &(*pp)->hnext)
		assert(*pp != NULL);
	*pp = a->hnext;
	r->nattrs--;
	r->abytes -= sizeof(*a) + a->aspath_len + a->comm_len + a->lcomm_len +
	    a->ecomm_len + a->cluster_len + a->unknown_len;
	free(a);
}

void
rib_attrs_stats(const struct rib *r, struct rib_attrs_stats *s)
{
	struct rib_attrs *a;
	size_t i;

	s->sets = r->nattrs;
	s->refs = 0;
	for (i = 0; i < r->nabucket; i++)
		for (a = r->abucket[i]; a != NULL; a = a->hnext)
			s->refs += a->refcnt;
	s->bytes = r->abytes;
	s->buckets = r->nabucket;
}

/* ---- conversions ---- */

void
rib_attrs_key_of(const struct rib_attrs *a, struct rib_attrs_key *k)
{
	memset(k, 0, sizeof(*k));
	k->flags = a->flags;
	k->origin = a->origin;
	k->nh_len = a->nh_len;
	memcpy(k->nexthop, a->nexthop, a->nh_len);
	k->med = a->med;
	k->local_pref = a->local_pref;
	k->originator_id = a->originator_id;
	k->aggr_as = a->aggr_as;
	k->aggr_addr = a->aggr_addr;
	k->aspath = rib_attrs_aspath(a);
	k->aspath_len = a->aspath_len;
	k->comm = rib_attrs_comm(a);
	k->comm_len = a->comm_len;
	k->lcomm = rib_attrs_lcomm(a);
	k->lcomm_len = a->lcomm_len;
	k->ecomm = rib_attrs_ecomm(a);
	k->ecomm_len = a->ecomm_len;
	k->cluster = rib_attrs_cluster(a);
	k->cluster_len = a->cluster_len;
	k->unknown = rib_attrs_unknown(a);
	k->unknown_len = a->unknown_len;
}

void
rib_attrs_key_from_wire(const struct wire_attrs *w, uint16_t afi,
    struct rib_attrs_key *k, uint8_t *unknown_buf)
{
	uint8_t i;
	size_t n = 0, hl, vl;
	const struct wire_rawattr *u;

	memset(k, 0, sizeof(*k));
	k->origin = w->origin;
	if (w->have & WIRE_HAVE(BGP_ATTR_AS_PATH)) {
		k->flags |= RIB_A_ASPATH;
		k->aspath = w->aspath;
		k->aspath_len = w->aspath_len;
	}
	if (afi == BGP_AFI_IPV6) {
		k->nh_len = w->mp_reach.nhlen;
		memcpy(k->nexthop, w->mp_reach.nexthop, k->nh_len);
	} else if (w->have & WIRE_HAVE(BGP_ATTR_NEXT_HOP)) {
		k->nh_len = 4;
		k->nexthop[0] = (uint8_t)(w->nexthop >> 24);
		k->nexthop[1] = (uint8_t)(w->nexthop >> 16);
		k->nexthop[2] = (uint8_t)(w->nexthop >> 8);
		k->nexthop[3] = (uint8_t)w->nexthop;
	} else if (w->mp_reach.afi == BGP_AFI_IPV4 && w->mp_reach.nhlen == 4) {
		k->nh_len = 4;
		memcpy(k->nexthop, w->mp_reach.nexthop, 4);
	}
	if (w->have & WIRE_HAVE(BGP_ATTR_MED)) {
		k->flags |= RIB_A_MED;
		k->med = w->med;
	}
	if (w->have & WIRE_HAVE(BGP_ATTR_LOCAL_PREF)) {
		k->flags |= RIB_A_LOCAL_PREF;
		k->local_pref = w->local_pref;
	}
	if (w->have & WIRE_HAVE(BGP_ATTR_ATOMIC_AGGREGATE))
		k->flags |= RIB_A_ATOMIC_AGGR;
	if (w->have & WIRE_HAVE(BGP_ATTR_AGGREGATOR)) {
		k->flags |= RIB_A_AGGREGATOR;
		k->aggr_as = w->aggregator_as;
		k->aggr_addr = w->aggregator_addr;
	}
	if (w->have & WIRE_HAVE(BGP_ATTR_ORIGINATOR_ID)) {
		k->flags |= RIB_A_ORIGINATOR;
		k->originator_id = w->originator_id;
	}
	k->comm = w->communities;
	k->comm_len = w->communities_len;
	k->lcomm = w->large_communities;
	k->lcomm_len = w->large_communities_len;
	k->ecomm = w->ext_communities;
	k->ecomm_len = w->ext_communities_len;
	k->cluster = w->cluster_list;
	k->cluster_len = w->cluster_list_len;
	/* Unknown transitive attributes, re-encoded with Partial set. */
	for (i = 0; i < w->n_unknown; i++) {
		u = &w->unknown[i];
		hl = (u->flags & BGP_ATTR_F_EXTLEN) ? 4 : 3;
		if (u->rawlen < hl)
			continue;
		vl = u->rawlen - hl;
		if (n + 4 + vl > 0xffff)
			break;
		unknown_buf[n++] = (uint8_t)((u->flags &
						 (BGP_ATTR_F_OPTIONAL |
						     BGP_ATTR_F_TRANSITIVE)) |
		    BGP_ATTR_F_PARTIAL | (vl > 255 ? BGP_ATTR_F_EXTLEN : 0));
		unknown_buf[n++] = u->type;
		if (vl > 255)
			unknown_buf[n++] = (uint8_t)(vl >> 8);
		unknown_buf[n++] = (uint8_t)vl;
		memcpy(unknown_buf + n, u->raw + hl, vl);
		n += vl;
	}
	k->unknown = unknown_buf;
	k->unknown_len = (uint16_t)n;
}

/* The unknown attributes, kept encoded, as raw attributes of w. */
static void
unknown_to_wire(const struct rib_attrs *a, struct wire_attrs *w)
{
	const uint8_t *p = rib_attrs_unknown(a), *end = p + a->unknown_len;
	size_t hl, vl;

	while (end - p >= 3 && w->n_unknown < WIRE_MAX_UNKNOWN_ATTRS) {
		hl = (p[0] & BGP_ATTR_F_EXTLEN) ? 4 : 3;
		if ((size_t)(end - p) < hl)
			break;
		vl = hl == 4 ? (size_t)p[2] << 8 | p[3] : p[2];
		if ((size_t)(end - p) < hl + vl)
			break;
		w->unknown[w->n_unknown].flags = p[0];
		w->unknown[w->n_unknown].type = p[1];
		w->unknown[w->n_unknown].raw = p;
		w->unknown[w->n_unknown].rawlen = (uint16_t)(hl + vl);
		w->n_unknown++;
		p += hl + vl;
	}
}

void
rib_attrs_to_wire(const struct rib_attrs *a, struct wire_attrs *w)
{
	memset(w, 0, sizeof(*w));
	w->have = WIRE_HAVE(BGP_ATTR_ORIGIN);
	w->origin = a->origin;
	if (a->flags & RIB_A_ASPATH) {
		w->have |= WIRE_HAVE(BGP_ATTR_AS_PATH);
		w->aspath = rib_attrs_aspath(a);
		w->aspath_len = a->aspath_len;
	}
	if (a->nh_len == 4) {
		w->have |= WIRE_HAVE(BGP_ATTR_NEXT_HOP);
		w->nexthop = (uint32_t)a->nexthop[0] << 24 |
		    (uint32_t)a->nexthop[1] << 16 |
		    (uint32_t)a->nexthop[2] << 8 | a->nexthop[3];
	}
	if (a->flags & RIB_A_MED) {
		w->have |= WIRE_HAVE(BGP_ATTR_MED);
		w->med = a->med;
	}
	if (a->flags & RIB_A_LOCAL_PREF) {
		w->have |= WIRE_HAVE(BGP_ATTR_LOCAL_PREF);
		w->local_pref = a->local_pref;
	}
	if (a->flags & RIB_A_ATOMIC_AGGR)
		w->have |= WIRE_HAVE(BGP_ATTR_ATOMIC_AGGREGATE);
	if (a->flags & RIB_A_AGGREGATOR) {
		w->have |= WIRE_HAVE(BGP_ATTR_AGGREGATOR);
		w->aggregator_as = a->aggr_as;
		w->aggregator_addr = a->aggr_addr;
	}
	if (a->flags & RIB_A_ORIGINATOR) {
		w->have |= WIRE_HAVE(BGP_ATTR_ORIGINATOR_ID);
		w->originator_id = a->originator_id;
	}
	if (a->comm_len > 0) {
		w->have |= WIRE_HAVE(BGP_ATTR_COMMUNITIES);
		w->communities = rib_attrs_comm(a);
		w->communities_len = a->comm_len;
	}
	if (a->lcomm_len > 0) {
		w->have |= WIRE_HAVE(BGP_ATTR_LARGE_COMMUNITIES);
		w->large_communities = rib_attrs_lcomm(a);
		w->large_communities_len = a->lcomm_len;
	}
	if (a->ecomm_len > 0) {
		w->have |= WIRE_HAVE(BGP_ATTR_EXT_COMMUNITIES);
		w->ext_communities = rib_attrs_ecomm(a);
		w->ext_communities_len = a->ecomm_len;
	}
	if (a->cluster_len > 0) {
		w->have |= WIRE_HAVE(BGP_ATTR_CLUSTER_LIST);
		w->cluster_list = rib_attrs_cluster(a);
		w->cluster_list_len = a->cluster_len;
	}
	unknown_to_wire(a, w);
}
