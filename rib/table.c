/*
 * table.c: where destinations live.
 *
 * Records come from slabs: large chunks cut into fixed-size records,
 * freed ones recycled through a list, so a full table costs a few
 * hundred allocations rather than millions.  Each family has an
 * exact-match table, open addressing with linear probing over
 * destination pointers (deletion by backward shift, no tombstones),
 * kept at most half full.  Ordered walks sort on demand: only `show`
 * needs an order; table dumps to a new peer take any.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "rib_int.h"

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL)
		abort(); /* out of memory is fatal at once */
	return p;
}

/* ---- big blocks ---- */

/*
 * A full table takes a hundred megabytes touched for the first time
 * while it arrives: with 4 KB pages that is 25,000 page faults, a
 * fifth of the time on a virtual machine.  Blocks of 1 MB and more
 * (slab chunks, the slot arrays) are whole 2 MB pages, aligned and
 * marked for transparent huge pages, one fault each where the kernel
 * has them (madvise mode included); elsewhere they are ordinary
 * memory.
 */
/* What a block of bytes takes: whole huge pages from half of one up. */
static size_t
big_size(size_t bytes)
{
	if (bytes < RIB_HUGE / 2)
		return bytes;
	return (bytes + RIB_HUGE - 1) & ~(size_t)(RIB_HUGE - 1);
}

void *
rib_big_alloc(size_t bytes)
{
	size_t len, head;
	uint8_t *p;

	if (bytes < RIB_HUGE / 2)
		return calloc(1, bytes);
	bytes = big_size(bytes);
	len = bytes + RIB_HUGE;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		abort(); /* out of memory is fatal at once */
	/* Keep the 2 MB aligned part: unmap the rest. */
	head = (RIB_HUGE - ((uintptr_t)p & (RIB_HUGE - 1))) & (RIB_HUGE - 1);
	if (head > 0)
		munmap(p, head);
	if (len - head > bytes)
		munmap(p + head + bytes, len - head - bytes);
	(void)madvise(p + head, bytes, MADV_HUGEPAGE);
	return p + head;
}

void
rib_big_free(void *p, size_t bytes)
{
	if (p == NULL)
		return;
	if (bytes < RIB_HUGE / 2)
		free(p);
	else
		munmap(p, big_size(bytes));
}

/* ---- slabs ---- */

void
slab_init(struct slab *s, size_t size, size_t per_chunk)
{
	memset(s, 0, sizeof(*s));
	/* A free record holds the link to the next one. */
	s->size = size < sizeof(void *) ? sizeof(void *) : size;
	s->size = (s->size + 7) & ~(size_t)7;
	s->per_chunk = per_chunk;
}

/* Records in chunk i. */
static size_t
chunk_records(const struct slab *s, size_t i)
{
	size_t bytes = (size_t)64 << 10;

	if (s->per_chunk != 0)
		return s->per_chunk;
	while (i-- > 0 && bytes < RIB_HUGE)
		bytes *= 2;
	return bytes / s->size;
}

static void
slab_grow(struct slab *s)
{
	size_t n = chunk_records(s, s->nchunks);

	s->chunks = realloc(s->chunks, (s->nchunks + 1) * sizeof(void *));
	if (s->chunks == NULL)
		abort();
	s->fresh = rib_big_alloc(s->size * n);
	if (s->fresh == NULL)
		abort();
	s->chunks[s->nchunks++] = s->fresh;
	s->fresh_left = n;
	s->cap += n;
}

/* Recycled records first; then the new chunk, in order (no list to
 * thread through memory not touched yet). */
void *
slab_alloc(struct slab *s)
{
	void *p;

	if (s->free != NULL) {
		p = s->free;
		s->free = *(void **)p;
	} else {
		if (s->fresh_left == 0)
			slab_grow(s);
		p = s->fresh;
		s->fresh += s->size;
		s->fresh_left--;
	}
	s->used++;
	return p;
}

void
slab_free(struct slab *s, void *p)
{
	*(void **)p = s->free;
	s->free = p;
	s->used--;
}

void
slab_clean(struct slab *s)
{
	size_t i;

	for (i = 0; i < s->nchunks; i++)
		rib_big_free(s->chunks[i], s->size * chunk_records(s, i));
	free(s->chunks);
	memset(s, 0, sizeof(*s));
}

/* ---- the exact-match table ---- */

static uint64_t
pfx_hash(const struct rib_prefix *p)
{
	uint64_t a, b;

	if (p->afi == BGP_AFI_IPV4) {
		a = (uint64_t)p->addr[0] << 32 | (uint64_t)p->addr[1] << 24 |
		    (uint64_t)p->addr[2] << 16 | (uint64_t)p->addr[3] << 8 |
		    p->len;
		return a * 0x9e3779b97f4a7c15ull;
	}
	memcpy(&a, p->addr, 8);
	memcpy(&b, p->addr + 8, 8);
	a = (a ^ p->len) * 0x9e3779b97f4a7c15ull;
	b = (b + (a >> 29)) * 0xbf58476d1ce4e5b9ull;
	return a ^ b ^ (b >> 31);
}

static bool
pfx_eq(const struct rib_prefix *a, const struct rib_prefix *b)
{
	if (a->len != b->len)
		return false;
	return memcmp(a->addr, b->addr, a->afi == BGP_AFI_IPV4 ? 4 : 16) == 0;
}

void
ptable_init(struct ptable *t)
{
	t->nslot = 1024;
	t->count = 0;
	t->slot = rib_big_alloc(t->nslot * sizeof(*t->slot));
	if (t->slot == NULL)
		abort();
}

void
ptable_clean(struct ptable *t)
{
	rib_big_free(t->slot, t->nslot * sizeof(*t->slot));
	memset(t, 0, sizeof(*t));
}

/* The slot of p, or the empty slot where it would go. */
static size_t
ptable_probe(const struct ptable *t, const struct rib_prefix *p)
{
	size_t mask = t->nslot - 1;
	size_t i = (size_t)(pfx_hash(p) >> 20) & mask;

	while (t->slot[i] != NULL && !pfx_eq(&t->slot[i]->pfx, p))
		i = (i + 1) & mask;
	return i;
}

struct rib_dest *
ptable_find(const struct ptable *t, const struct rib_prefix *p)
{
	return t->slot[ptable_probe(t, p)];
}

static void
ptable_grow(struct ptable *t)
{
	struct rib_dest **old = t->slot;
	size_t n = t->nslot, i;

	t->nslot *= 2;
	t->slot = rib_big_alloc(t->nslot * sizeof(*t->slot));
	if (t->slot == NULL)
		abort();
	for (i = 0; i < n; i++)
		if (old[i] != NULL)
			t->slot[ptable_probe(t, &old[i]->pfx)] = old[i];
	rib_big_free(old, n * sizeof(*old));
}

void
ptable_insert(struct ptable *t, struct rib_dest *d)
{
	size_t i;

	if ((t->count + 1) * 2 > t->nslot)
		ptable_grow(t);
	i = ptable_probe(t, &d->pfx);
	assert(t->slot[i] == NULL);
	t->slot[i] = d;
	t->count++;
}

struct rib_dest **
ptable_slot(struct ptable *t, const struct rib_prefix *p)
{
	/* Grow first, so the slot stays valid for an insertion. */
	if ((t->count + 1) * 2 > t->nslot)
		ptable_grow(t);
	return &t->slot[ptable_probe(t, p)];
}

void
ptable_remove(struct ptable *t, struct rib_dest *d)
{
	size_t mask = t->nslot - 1, i, j, home;

	i = ptable_probe(t, &d->pfx);
	assert(t->slot[i] == d);
	t->slot[i] = NULL;
	t->count--;
	/* Backward shift: move up entries that probed past the hole. */
	for (j = (i + 1) & mask; t->slot[j] != NULL; j = (j + 1) & mask) {
		home = (size_t)(pfx_hash(&t->slot[j]->pfx) >> 20) & mask;
		if (((j - home) & mask) >= ((j - i) & mask)) {
			t->slot[i] = t->slot[j];
			t->slot[j] = NULL;
			i = j;
		}
	}
}

/* ---- walks ---- */

static int
dest_order(const void *a, const void *b)
{
	const struct rib_dest *x = *(const struct rib_dest *const *)a;
	const struct rib_dest *y = *(const struct rib_dest *const *)b;
	int c = memcmp(
	    x->pfx.addr, y->pfx.addr, x->pfx.afi == BGP_AFI_IPV4 ? 4 : 16);

	if (c != 0)
		return c;
	return (int)x->pfx.len - (int)y->pfx.len;
}

void
rib_walk(const struct rib *r, uint16_t afi,
    void (*fn)(void *arg, const struct rib_dest *), void *arg)
{
	const struct ptable *t = &r->tab[rib_afidx((uint8_t)afi)];
	struct rib_dest **v;
	size_t i, n = 0;

	if (t->count == 0)
		return;
	v = xmalloc(t->count * sizeof(*v));
	for (i = 0; i < t->nslot; i++)
		if (t->slot[i] != NULL && t->slot[i]->paths != NULL)
			v[n++] = t->slot[i];
	qsort(v, n, sizeof(*v), dest_order);
	for (i = 0; i < n; i++)
		fn(arg, v[i]);
	free(v);
}

void
rib_foreach(const struct rib *r, uint16_t afi,
    void (*fn)(void *arg, const struct rib_dest *), void *arg)
{
	const struct ptable *t = &r->tab[rib_afidx((uint8_t)afi)];
	size_t i;

	for (i = 0; i < t->nslot; i++)
		if (t->slot[i] != NULL && t->slot[i]->paths != NULL)
			fn(arg, t->slot[i]);
}

static int
prefix_order(const void *a, const void *b)
{
	const struct rib_prefix *x = a, *y = b;
	int c = memcmp(x->addr, y->addr, x->afi == BGP_AFI_IPV4 ? 4 : 16);

	if (c != 0)
		return c;
	return (int)x->len - (int)y->len;
}

struct rib_prefix *
rib_prefixes(const struct rib *r, uint16_t afi, size_t *np)
{
	const struct ptable *t = &r->tab[rib_afidx((uint8_t)afi)];
	struct rib_prefix *v;
	size_t i, n = 0;

	*np = 0;
	if (t->count == 0)
		return NULL;
	v = xmalloc(t->count * sizeof(*v));
	for (i = 0; i < t->nslot; i++)
		if (t->slot[i] != NULL && t->slot[i]->paths != NULL)
			v[n++] = t->slot[i]->pfx;
	qsort(v, n, sizeof(*v), prefix_order);
	*np = n;
	return v;
}

struct rib_dest *
rib_lookup(const struct rib *r, const struct rib_prefix *p)
{
	return ptable_find(&r->tab[rib_afidx(p->afi)], p);
}

/*
 * The same for many prefixes, in stages, so that the cache misses of
 * one prefix overlap with those of the others: the slots first, then
 * the records they point to, then the probes.
 */
void
rib_lookup_many(const struct rib *r, const struct rib_prefix *p, size_t n,
    struct rib_dest **out)
{
	size_t home[RIB_LOOKUP_MANY], i;

	assert(n <= RIB_LOOKUP_MANY);
	for (i = 0; i < n; i++) {
		const struct ptable *t = &r->tab[rib_afidx(p[i].afi)];

		home[i] = (size_t)(pfx_hash(&p[i]) >> 20) & (t->nslot - 1);
		__builtin_prefetch(&t->slot[home[i]]);
	}
	for (i = 0; i < n; i++) {
		const struct ptable *t = &r->tab[rib_afidx(p[i].afi)];

		if (t->slot[home[i]] != NULL)
			__builtin_prefetch(t->slot[home[i]]);
	}
	for (i = 0; i < n; i++)
		out[i] = ptable_find(&r->tab[rib_afidx(p[i].afi)], &p[i]);
}
