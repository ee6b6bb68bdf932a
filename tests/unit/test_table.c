/*
 * test_table.c: the prefix table and the slab (rib/table.c)
 * through its public API, with rib_int.h where the inside must be
 * seen; built from the files of rib/ and the wire codec.  Shared
 * helpers are in rib_test.h / rib_test.c.
 *
 * Insertion, growth, deletion by backward shift in random order
 * (wrapping probe runs included), ordered walks.
 *
 * One argument runs only the tests matching it.
 */

#include "rib_test.h"

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

static int
pfx_cmp(const struct rib_prefix *a, const struct rib_prefix *b)
{
	int c = memcmp(a->addr, b->addr, a->afi == BGP_AFI_IPV4 ? 4 : 16);

	if (c != 0)
		return c;
	return (int)a->len - (int)b->len;
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

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_churn),
		cmocka_unit_test(test_table_full_wrap),
		cmocka_unit_test(test_table_rib),
		cmocka_unit_test(test_slab),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]); /* e.g. "test_out_*" */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
