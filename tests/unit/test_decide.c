/*
 * test_decide.c: the decision process (rib/decide.c), built from that
 * file alone with a struct rib filled in by hand.
 *
 * The ladder: eleven paths, each losing to the one above it on one rule
 * and beating it on the next, so that a rule applied out of order shows
 * up; every pair is checked for the rule that decides it, every order
 * of every subset of the lower eight rungs and random orders of the
 * whole ladder for the best path.  Then the MED rule that is not
 * transitive (RFC 4271 §9.1.2.2 c), always-compare-med, the neighbor AS
 * of routes with an empty AS_PATH, ineligible paths, multipath, and a
 * model test against a reference that is the RFC's text written out
 * loop by loop.
 *
 * The rule numbers are written out here, not taken from decide.c, so
 * that a change of order there fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include <cmocka.h>

#include "dxbgp/bgp.h"
#include "rib_int.h"

/* The rules of decide.c, by the number rib_path_cmp returns. */
enum {
	R_LOCAL_PREF = 1,
	R_LOCAL = 2,
	R_ASPATH = 3,
	R_ORIGIN = 4,
	R_MED = 5,
	R_EBGP = 6,
	R_BGP_ID = 7,
	R_CLUSTER = 8,
	R_PEER_ADDR = 9,
	R_PATH_ID = 10,
	R_PEER_ID = 11,
};

#define IP4(a, b, c, d)                                                        \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |      \
	    (uint32_t)(d))

#define AS_OURS  62610u
#define AS_AWS   64512u
#define AS_TENC  45090u
#define RID_OURS IP4(10, 0, 0, 2)

/* ---- a RIB, attribute sets and paths made by hand ---- */

/* Attributes of a path; absent unless LP(), MED() or OID() says so. */
struct aspec {
	bool has_lp, has_med, has_oid;
	uint32_t lp, med, oid;
	uint16_t hops;
	uint8_t origin;
	uint32_t first_as;
	uint16_t cluster; /* CLUSTER_IDs in CLUSTER_LIST */
};
#define LP(v)  .has_lp = true, .lp = (v)
#define MED(v) .has_med = true, .med = (v)
#define OID(v) .has_oid = true, .oid = (v)
#define IGP    BGP_ORIGIN_IGP
#define EGP    BGP_ORIGIN_EGP
#define INC    BGP_ORIGIN_INCOMPLETE

#define FX_MAX 64

struct fx {
	struct rib *r;
	struct rib_dest d;
	struct rib_attrs *attrs[FX_MAX];
	struct rib_path path[FX_MAX];
	size_t n;
};

static void
attrs_fill(struct rib_attrs *a, const struct aspec *s)
{
	memset(a, 0, sizeof(*a));
	a->refcnt = 1;
	if (s->has_lp) {
		a->flags |= RIB_A_LOCAL_PREF;
		a->local_pref = s->lp;
	}
	if (s->has_med) {
		a->flags |= RIB_A_MED;
		a->med = s->med;
	}
	if (s->has_oid) {
		a->flags |= RIB_A_ORIGINATOR;
		a->originator_id = s->oid;
	}
	a->flags |= RIB_A_ASPATH;
	a->aspath_hops = s->hops;
	a->origin = s->origin;
	a->first_as = s->first_as;
	a->cluster_len = (uint16_t)(s->cluster * 4);
	a->nh_len = 4;
}

static void
peer_set(
    struct rib *r, uint16_t id, uint32_t asn, uint32_t rid, const char *addr)
{
	struct rib_peer_info *pi = &r->peer[id];

	assert_true(id != RIB_PEER_LOCAL && id < RIB_MAX_PEERS);
	memset(pi, 0, sizeof(*pi));
	pi->asn = asn;
	pi->local_as = r->conf.asn;
	pi->router_id = rid;
	pi->ibgp = asn == r->conf.asn;
	if (inet_pton(AF_INET, addr, pi->addr) == 1)
		pi->addr_len = 4;
	else {
		assert_int_equal(inet_pton(AF_INET6, addr, pi->addr), 1);
		pi->addr_len = 16;
	}
	r->peer_known[id] = true;
}

static struct rib *
rib_make(void)
{
	struct rib *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->conf.asn = AS_OURS;
	r->conf.router_id = RID_OURS;
	r->conf.maximum_paths = 1;
	/*
	 * Peer 0 stands for local routes and is never set; fill it with
	 * what would change the outcome if decide.c read it.
	 */
	r->peer[RIB_PEER_LOCAL].asn = 1;
	r->peer[RIB_PEER_LOCAL].ibgp = true;
	r->peer[RIB_PEER_LOCAL].router_id = 1;
	r->peer[RIB_PEER_LOCAL].addr_len = 4;
	r->peer[RIB_PEER_LOCAL].addr[0] = 255;
	return r;
}

static int
fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	f->r = rib_make();
	*state = f;
	return 0;
}

static int
fx_teardown(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->attrs[i]);
	free(f->r);
	free(f);
	return 0;
}

static struct rib_path *
path_add(struct fx *f, uint16_t peer, uint32_t path_id, const struct aspec *s)
{
	struct rib_path *p;

	assert_true(f->n < FX_MAX);
	f->attrs[f->n] = calloc(1, sizeof(struct rib_attrs));
	assert_non_null(f->attrs[f->n]);
	attrs_fill(f->attrs[f->n], s);
	p = &f->path[f->n];
	p->attrs = f->attrs[f->n];
	p->peer = peer;
	p->path_id = path_id;
	f->n++;
	return p;
}

/* d->paths := v[0] -> v[1] -> ... -> v[n-1]. */
static void
list_set(struct rib_dest *d, struct rib_path *const *v, size_t n)
{
	size_t i;

	d->paths = NULL;
	for (i = n; i-- > 0;) {
		v[i]->next = d->paths;
		d->paths = v[i];
	}
	d->nbest = 0xee;
}

/* The list holds exactly the paths v[0..n). */
static void
check_same_paths(const struct rib_dest *d, struct rib_path *const *v, size_t n)
{
	const struct rib_path *p;
	bool seen[FX_MAX] = { false };
	size_t len = 0, i;

	for (p = d->paths; p != NULL; p = p->next) {
		assert_true(++len <= n);
		for (i = 0; i < n && v[i] != p; i++)
			continue;
		assert_true(i < n);
		assert_false(seen[i]);
		seen[i] = true;
	}
	assert_int_equal(len, n);
}

/* Lists v in that order, decides, checks nothing was lost. */
static struct rib_path *
decide(struct rib *r, struct rib_dest *d, struct rib_path *const *v, size_t n)
{
	list_set(d, v, n);
	rib_decide(r, d);
	check_same_paths(d, v, n);
	return d->nbest > 0 ? d->paths : NULL;
}

/* nbest is n, best is want[0], and the first n are want[0..n). */
static void
check_selected(const struct rib_dest *d, struct rib_path *const *want, size_t n)
{
	const struct rib_path *p = d->paths;
	size_t i, j;

	assert_int_equal(d->nbest, n);
	if (n > 0)
		assert_ptr_equal(d->paths, want[0]);
	for (i = 0; i < n; i++, p = p->next) {
		assert_non_null(p);
		for (j = 0; j < n && want[j] != p; j++)
			continue;
		assert_true(j < n);
	}
}

/* Decides on v in its order and reversed; the outcome is want both ways. */
static void
check_both_ways(struct fx *f, struct rib_path *const *v, size_t n,
    struct rib_path *const *want, size_t nwant)
{
	struct rib_path *rev[FX_MAX];
	size_t i;

	decide(f->r, &f->d, v, n);
	check_selected(&f->d, want, nwant);
	for (i = 0; i < n; i++)
		rev[i] = v[n - 1 - i];
	decide(f->r, &f->d, rev, n);
	check_selected(&f->d, want, nwant);
}

/* A small deterministic generator (splitmix64), for the fixed seeds. */
static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned
rnd(unsigned n)
{
	return (unsigned)(rng() % n);
}

static void
shuffle(struct rib_path **v, size_t n)
{
	struct rib_path *t;
	size_t i, j;

	for (i = n; i > 1; i--) {
		j = rnd((unsigned)i);
		t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* ---- the ladder ---- */

/* Peers of the ladder; we are AS 62610, router id 10.0.0.2. */
#define PX 1 /* iBGP, id 10.255.0.9, 10.1.0.9 */
#define PY 2 /* iBGP, id 10.255.0.50, 10.1.0.3 */
#define PE 3 /* eBGP AS 64512, id 169.254.255.1, 10.0.0.1 */

static void
ladder_peers(struct rib *r)
{
	peer_set(r, PX, AS_OURS, IP4(10, 255, 0, 9), "10.1.0.9");
	peer_set(r, PY, AS_OURS, IP4(10, 255, 0, 50), "10.1.0.3");
	peer_set(r, PE, AS_AWS, IP4(169, 254, 255, 1), "10.0.0.1");
}

/*
 * Each rung is one common route with the value of one rule made
 * better, rule k+1 for rung k (rungs 1 and 5, a local and an eBGP
 * route, also differ on rules after their own).  So rung k beats every
 * rung below it on rule k+1 exactly, and would lose to rung k+1 on rule
 * k+2 if the rules were taken out of order.  The common route:
 * LOCAL_PREF 100 (absent or written out), not local, 2 ASes,
 * INCOMPLETE, MED 50 from AS 64512, iBGP from PX (BGP Identifier
 * 10.255.0.9, address 10.1.0.9), 2 CLUSTER_IDs, a path id above 100.
 */
static const struct rung {
	uint16_t peer;
	uint32_t path_id;
	struct aspec a;
	int beats_below_on; /* the rule by which it beats every rung below */
} ladder[] = {
	/* 0: LOCAL_PREF 200, worse than 1 on rule 2 (not local) */
	{ PX, 100,
	    { LP(200), MED(50), .hops = 2, .origin = INC, .first_as = AS_AWS,
		.cluster = 2 },
	    R_LOCAL_PREF },
	/* 1: a local route (prepended 3 times), worse than 2 on rule 3 */
	{ RIB_PEER_LOCAL, 1,
	    { MED(50), .hops = 3, .origin = INC, .first_as = AS_OURS },
	    R_LOCAL },
	/* 2: one AS fewer, worse than 3 on ORIGIN */
	{ PX, 102,
	    { MED(50), .hops = 1, .origin = INC, .first_as = AS_AWS,
		.cluster = 2 },
	    R_ASPATH },
	/* 3: ORIGIN IGP, worse than 4 on MED */
	{ PX, 103,
	    { MED(50), .hops = 2, .origin = IGP, .first_as = AS_AWS,
		.cluster = 2 },
	    R_ORIGIN },
	/* 4: no MED (0) from the same AS, iBGP: worse than 5 on rule 6 */
	{ PX, 104,
	    { LP(100), .hops = 2, .origin = INC, .first_as = AS_AWS,
		.cluster = 2 },
	    R_MED },
	/* 5: eBGP, with a higher BGP Identifier than 6 */
	{ PE, 0, { MED(50), .hops = 2, .origin = INC, .first_as = AS_AWS },
	    R_EBGP },
	/* 6: ORIGINATOR_ID 10.255.0.1 < 10.255.0.9, a longer CLUSTER_LIST */
	{ PX, 106,
	    { MED(50), OID(IP4(10, 255, 0, 1)), .hops = 2, .origin = INC,
		.first_as = AS_AWS, .cluster = 2 },
	    R_BGP_ID },
	/* 7: one CLUSTER_ID, from a higher address than 8 */
	{ PX, 107,
	    { LP(100), MED(50), .hops = 2, .origin = INC, .first_as = AS_AWS,
		.cluster = 1 },
	    R_CLUSTER },
	/* 8: from PY 10.1.0.3, whose ORIGINATOR_ID is PX's id; path id 108 */
	{ PY, 108,
	    { MED(50), OID(IP4(10, 255, 0, 9)), .hops = 2, .origin = INC,
		.first_as = AS_AWS, .cluster = 2 },
	    R_PEER_ADDR },
	/* 9: path id 1 */
	{ PX, 1,
	    { MED(50), .hops = 2, .origin = INC, .first_as = AS_AWS,
		.cluster = 2 },
	    R_PATH_ID },
	/* 10: path id 110 */
	{ PX, 110,
	    { MED(50), .hops = 2, .origin = INC, .first_as = AS_AWS,
		.cluster = 2 },
	    0 },
};
#define NRUNGS (sizeof(ladder) / sizeof(ladder[0]))

static void
ladder_build(struct fx *f, struct rib_path **v)
{
	size_t i;

	ladder_peers(f->r);
	for (i = 0; i < NRUNGS; i++)
		v[i] = path_add(
		    f, ladder[i].peer, ladder[i].path_id, &ladder[i].a);
}

/* Every pair: rung j beats rung k > j on rule j+1 exactly. */
static void
test_ladder_pairs(void **state)
{
	struct fx *f = *state;
	struct rib_path *v[NRUNGS];
	size_t j, k;
	int want;

	ladder_build(f, v);
	for (j = 0; j < NRUNGS; j++) {
		if (j + 1 < NRUNGS)
			assert_int_equal(ladder[j].beats_below_on, (int)j + 1);
		for (k = 0; k < NRUNGS; k++) {
			if (j < k)
				want = -ladder[j].beats_below_on;
			else if (j > k)
				want = ladder[k].beats_below_on;
			else
				want = 0;
			assert_int_equal(rib_path_cmp(f->r, v[j], v[k]), want);
		}
	}
}

/* Lists and decides seq[0..n); the best is the highest rung used. */
static void
ladder_check_seq(struct fx *f, struct rib_path *const *seq, size_t n,
    struct rib_path *const *rung, unsigned used)
{
	size_t top = 0;

	while (!(used & (1u << top)))
		top++;
	assert_ptr_equal(decide(f->r, &f->d, seq, n), rung[top]);
	assert_int_equal(f->d.nbest, 1);
}

static size_t
ladder_every_order(struct fx *f, struct rib_path *const *rung, size_t nrung,
    struct rib_path **seq, size_t depth, unsigned used)
{
	size_t i, count = 0;

	if (depth > 0) {
		ladder_check_seq(f, seq, depth, rung, used);
		count++;
	}
	for (i = 0; i < nrung; i++) {
		if (used & (1u << i))
			continue;
		seq[depth] = rung[i];
		count += ladder_every_order(
		    f, rung, nrung, seq, depth + 1, used | 1u << i);
	}
	return count;
}

/*
 * Every order of every non-empty subset of the lower eight rungs
 * (3 to 10): 109,600 lists.
 */
static void
test_ladder_every_order(void **state)
{
	struct fx *f = *state;
	struct rib_path *v[NRUNGS], *seq[NRUNGS];
	size_t count;

	ladder_build(f, v);
	count = ladder_every_order(f, v + 3, NRUNGS - 3, seq, 0, 0);
	assert_int_equal(count, 109600);
}

/*
 * Random orders of random subsets of the whole ladder, with multipath
 * on every other round: rungs 6 to 10 tie through rule 6 (iBGP, MED 50
 * from AS 64512) and are used together, in ladder order, when the best
 * is one of them.
 */
static void
test_ladder_random_orders(void **state)
{
	struct fx *f = *state;
	struct rib_path *v[NRUNGS], *seq[NRUNGS], *want[NRUNGS];
	size_t iter, i, n, top, nwant;
	unsigned used;

	ladder_build(f, v);
	rng_state = 4271;
	for (iter = 0; iter < 20000; iter++) {
		f->r->conf.maximum_paths = iter % 2 ? 8 : 1;
		used = iter < 1000 ? (1u << NRUNGS) - 1
				   : 1 + rnd((1u << NRUNGS) - 1);
		n = 0;
		for (i = 0; i < NRUNGS; i++)
			if (used & (1u << i))
				seq[n++] = v[i];
		shuffle(seq, n);
		for (top = 0; !(used & (1u << top)); top++)
			continue;
		nwant = 0;
		want[nwant++] = v[top];
		for (i = top + 1;
		     top >= 6 && f->r->conf.maximum_paths > 1 && i < NRUNGS;
		     i++)
			if (used & (1u << i))
				want[nwant++] = v[i];
		decide(f->r, &f->d, seq, n);
		check_selected(&f->d, want, nwant);
	}
}

/* ---- MED ---- */

/*
 * RFC 4271 §9.1.2.2 c compares MED only between routes from one
 * neighbor AS, so "better than" is not transitive:
 *   A: AS 1, MED 10, BGP Identifier 1.1.1.1
 *   B: AS 2, MED  5, BGP Identifier 2.2.2.2
 *   C: AS 1, MED  0, BGP Identifier 3.3.3.3
 * A beats B (rule 7), B beats C (rule 7), C beats A (MED).  A pairwise
 * scan picks C in order A B C and A in order B C A.  The elimination
 * removes A (C is from its AS with a lower MED), then B beats C: B,
 * in every order.
 */
static void
med_cycle(struct fx *f, struct rib_path **abc)
{
	peer_set(f->r, 1, 1, IP4(1, 1, 1, 1), "192.0.2.1");
	peer_set(f->r, 2, 2, IP4(2, 2, 2, 2), "192.0.2.2");
	peer_set(f->r, 3, 1, IP4(3, 3, 3, 3), "192.0.2.3");
	abc[0] = path_add(
	    f, 1, 0, &(struct aspec){ MED(10), .hops = 1, .first_as = 1 });
	abc[1] = path_add(
	    f, 2, 0, &(struct aspec){ MED(5), .hops = 1, .first_as = 2 });
	abc[2] = path_add(
	    f, 3, 0, &(struct aspec){ MED(0), .hops = 1, .first_as = 1 });
}

static const int orders3[6][3] = {
	{ 0, 1, 2 },
	{ 0, 2, 1 },
	{ 1, 0, 2 },
	{ 1, 2, 0 },
	{ 2, 0, 1 },
	{ 2, 1, 0 },
};

static void
check_all_orders3(struct fx *f, struct rib_path **abc, struct rib_path *want)
{
	struct rib_path *seq[3];
	size_t o, i;

	for (o = 0; o < 6; o++) {
		for (i = 0; i < 3; i++)
			seq[i] = abc[orders3[o][i]];
		assert_ptr_equal(decide(f->r, &f->d, seq, 3), want);
		assert_int_equal(f->d.nbest, 1);
	}
}

static void
test_med_not_transitive(void **state)
{
	struct fx *f = *state;
	struct rib_path *abc[3];

	med_cycle(f, abc);
	assert_int_equal(rib_path_cmp(f->r, abc[0], abc[1]), -R_BGP_ID);
	assert_int_equal(rib_path_cmp(f->r, abc[1], abc[2]), -R_BGP_ID);
	assert_int_equal(rib_path_cmp(f->r, abc[2], abc[0]), -R_MED);
	check_all_orders3(f, abc, abc[1]);
}

/* With always-compare-med, MEDs are compared across ASes: C, then B. */
static void
test_always_compare_med(void **state)
{
	struct fx *f = *state;
	struct rib_path *abc[3], *x, *y, *v[2];

	med_cycle(f, abc);
	f->r->conf.always_compare_med = true;
	assert_int_equal(rib_path_cmp(f->r, abc[0], abc[1]), R_MED);
	assert_int_equal(rib_path_cmp(f->r, abc[1], abc[2]), R_MED);
	assert_int_equal(rib_path_cmp(f->r, abc[2], abc[0]), -R_MED);
	check_all_orders3(f, abc, abc[2]);

	/* Two ASes: the BGP Identifier decides, or the MED when compared. */
	x = path_add(
	    f, 1, 1, &(struct aspec){ MED(100), .hops = 1, .first_as = 1 });
	y = path_add(f, 2, 1, &(struct aspec){ .hops = 1, .first_as = 2 });
	v[0] = x;
	v[1] = y;
	f->r->conf.always_compare_med = false;
	assert_int_equal(rib_path_cmp(f->r, x, y), -R_BGP_ID);
	check_both_ways(f, v, 2, &x, 1);
	f->r->conf.always_compare_med = true;
	assert_int_equal(rib_path_cmp(f->r, x, y), R_MED);
	check_both_ways(f, v, 2, &y, 1);
}

/*
 * The neighbor AS of a route with an empty AS_PATH: ours for local and
 * iBGP routes (their MEDs compare), the peer's for an eBGP one (a
 * route server's), whose MED then does not compare with an iBGP one.
 */
static void
test_med_empty_path(void **state)
{
	struct fx *f = *state;
	struct rib_path *a, *b, *l1, *l2, *e;

	ladder_peers(f->r);
	a = path_add(f, PX, 0, &(struct aspec){ MED(20) });
	b = path_add(f, PY, 0, &(struct aspec){ MED(10) });
	assert_int_equal(rib_path_cmp(f->r, a, b), R_MED);

	l1 = path_add(f, RIB_PEER_LOCAL, 1, &(struct aspec){ MED(20) });
	l2 = path_add(f, RIB_PEER_LOCAL, 2, &(struct aspec){ MED(10) });
	assert_int_equal(rib_path_cmp(f->r, l1, l2), R_MED);

	e = path_add(f, PE, 0, &(struct aspec){ MED(20) });
	assert_int_equal(rib_path_cmp(f->r, e, b), -R_EBGP);
	/* The same route with AS 64512 leftmost: MED 10 vs 20 is decided
	 * among iBGP routes from that AS. */
	a = path_add(f, PX, 1, &(struct aspec){ MED(10), .first_as = AS_AWS });
	b = path_add(f, PY, 1, &(struct aspec){ MED(20), .first_as = AS_AWS });
	assert_int_equal(rib_path_cmp(f->r, a, b), -R_MED);
}

/* ---- the last tie-breaks ---- */

/*
 * Rule 9 compares IPv4 before IPv6 (::1 is below 10.0.0.1 as bytes);
 * rule 11 separates two peers with one address; the same path twice
 * compares equal.
 */
static void
test_last_tie_breaks(void **state)
{
	struct fx *f = *state;
	struct rib_path *v4, *v6, *p5, *p6, *v[2];
	struct aspec a = { .hops = 1, .first_as = AS_AWS };

	peer_set(f->r, 4, AS_AWS, IP4(7, 7, 7, 7), "10.0.0.1");
	peer_set(f->r, 3, AS_AWS, IP4(7, 7, 7, 7), "::1");
	v4 = path_add(f, 4, 0, &a);
	v6 = path_add(f, 3, 0, &a);
	assert_int_equal(rib_path_cmp(f->r, v4, v6), -R_PEER_ADDR);
	v[0] = v6;
	v[1] = v4;
	check_both_ways(f, v, 2, &v4, 1);

	peer_set(f->r, 5, AS_AWS, IP4(7, 7, 7, 7), "10.0.0.9");
	peer_set(f->r, 6, AS_AWS, IP4(7, 7, 7, 7), "10.0.0.9");
	p5 = path_add(f, 5, 3, &a);
	p6 = path_add(f, 6, 3, &a);
	assert_int_equal(rib_path_cmp(f->r, p6, p5), R_PEER_ID);
	v[0] = p6;
	v[1] = p5;
	check_both_ways(f, v, 2, &p5, 1);

	assert_int_equal(rib_path_cmp(f->r, p5, p5), 0);
}

/* ---- ineligible paths ---- */

static void
test_ineligible(void **state)
{
	struct fx *f = *state;
	struct rib_path *v[NRUNGS], *seq[NRUNGS];
	size_t k, i;

	ladder_build(f, v);
	/* Rungs above k ineligible: rung k wins; all of them: none. */
	for (k = 0; k <= NRUNGS; k++) {
		for (i = 0; i < NRUNGS; i++) {
			v[i]->flags = i < k ? RIB_P_INELIGIBLE : 0;
			seq[i] = v[i];
		}
		shuffle(seq, NRUNGS);
		if (k < NRUNGS) {
			assert_ptr_equal(
			    decide(f->r, &f->d, seq, NRUNGS), v[k]);
			assert_int_equal(f->d.nbest, 1);
		} else {
			assert_null(decide(f->r, &f->d, seq, NRUNGS));
			assert_int_equal(f->d.nbest, 0);
		}
	}
	/* No path at all. */
	f->d.paths = NULL;
	f->d.nbest = 7;
	rib_decide(f->r, &f->d);
	assert_int_equal(f->d.nbest, 0);
	assert_null(f->d.paths);

	/* An ineligible path is not used for multipath either. */
	for (i = 0; i < NRUNGS; i++)
		v[i]->flags = 0;
	v[7]->flags = RIB_P_INELIGIBLE;
	f->r->conf.maximum_paths = 8;
	check_both_ways(
	    f, v + 6, 5, (struct rib_path *[]){ v[6], v[8], v[9], v[10] }, 4);
}

/* ---- multipath ---- */

/*
 * Four sessions to AWS (AS 64512) and two to Tencent (AS 45090), BGP
 * Identifiers in the reverse order of the peer numbers.
 */
static void
mp_peers(struct rib *r)
{
	peer_set(r, 1, AS_AWS, IP4(169, 254, 0, 4), "10.0.0.1");
	peer_set(r, 2, AS_AWS, IP4(169, 254, 0, 3), "10.0.1.1");
	peer_set(r, 3, AS_AWS, IP4(169, 254, 0, 2), "10.0.3.1");
	peer_set(r, 4, AS_AWS, IP4(169, 254, 0, 1), "10.0.4.1");
	peer_set(r, 5, AS_TENC, IP4(169, 254, 1, 2), "10.0.2.1");
	peer_set(r, 6, AS_TENC, IP4(169, 254, 1, 1), "10.0.2.3");
}

static void
test_multipath_same_as(void **state)
{
	struct fx *f = *state;
	struct aspec a = { .hops = 1, .first_as = AS_AWS, MED(0) };
	struct rib_path *p[5];
	size_t i;

	mp_peers(f->r);
	for (i = 0; i < 4; i++)
		p[i] = path_add(f, (uint16_t)(i + 1), 0, &a);
	/* best: peer 4 (lowest id), then 3, 2, 1 */
	f->r->conf.maximum_paths = 1;
	check_both_ways(f, p, 4, (struct rib_path *[]){ p[3] }, 1);
	f->r->conf.maximum_paths = 0; /* the same as 1 */
	check_both_ways(f, p, 4, (struct rib_path *[]){ p[3] }, 1);
	f->r->conf.maximum_paths = 2;
	check_both_ways(f, p, 4, (struct rib_path *[]){ p[3], p[2] }, 2);
	f->r->conf.maximum_paths = 4;
	check_both_ways(
	    f, p, 4, (struct rib_path *[]){ p[3], p[2], p[1], p[0] }, 4);
	/* The first in tie-break order come first: in order, exactly. */
	decide(f->r, &f->d, p, 4);
	assert_ptr_equal(f->d.paths, p[3]);
	assert_ptr_equal(f->d.paths->next, p[2]);
	assert_ptr_equal(f->d.paths->next->next, p[1]);
	assert_ptr_equal(f->d.paths->next->next->next, p[0]);

	/* A fifth, from peer 4 with ADD-PATH: the four first are used. */
	p[4] = path_add(f, 4, 9, &a);
	check_both_ways(
	    f, p, 5, (struct rib_path *[]){ p[3], p[4], p[2], p[1] }, 4);
}

static void
test_multipath_excluded(void **state)
{
	struct fx *f = *state;
	struct aspec a = { .hops = 1, .first_as = AS_AWS, MED(0) };
	struct rib_path *p[8];

	mp_peers(f->r);
	f->r->conf.maximum_paths = 8;
	p[0] = path_add(f, 4, 0, &a); /* the best */
	p[1] = path_add(f, 3, 0, &a); /* equal */
	p[2] = path_add(
	    f, 2, 0, &(struct aspec){ .hops = 1, .first_as = AS_AWS, MED(1) });
	p[3] = path_add(
	    f, 1, 0, &(struct aspec){ LP(99), .hops = 1, .first_as = AS_AWS });
	p[4] =
	    path_add(f, 1, 1, &(struct aspec){ .hops = 2, .first_as = AS_AWS });
	p[5] = path_add(f, 1, 2,
	    &(struct aspec){ .hops = 1, .origin = EGP, .first_as = AS_AWS });
	check_both_ways(f, p, 6, p, 2);

	/* LOCAL_PREF 100 written out is the same as none. */
	p[6] = path_add(
	    f, 1, 3, &(struct aspec){ LP(100), .hops = 1, .first_as = AS_AWS });
	check_both_ways(f, p, 7, (struct rib_path *[]){ p[0], p[1], p[6] }, 3);

	/* An iBGP path is out where an eBGP one is best. */
	peer_set(f->r, 7, AS_OURS, IP4(1, 1, 1, 1), "10.9.0.1");
	p[7] = path_add(f, 7, 0, &a);
	assert_int_equal(rib_path_cmp(f->r, p[0], p[7]), -R_EBGP);
	check_both_ways(f, p, 8, (struct rib_path *[]){ p[0], p[1], p[6] }, 3);
}

static void
test_multipath_relax(void **state)
{
	struct fx *f = *state;
	struct rib_path *p[6];

	mp_peers(f->r);
	f->r->conf.maximum_paths = 8;
	/* Two AWS paths (no MED), two Tencent ones (MED 50). */
	p[0] =
	    path_add(f, 3, 0, &(struct aspec){ .hops = 1, .first_as = AS_AWS });
	p[1] =
	    path_add(f, 4, 0, &(struct aspec){ .hops = 1, .first_as = AS_AWS });
	p[2] = path_add(f, 5, 0,
	    &(struct aspec){ .hops = 1, .first_as = AS_TENC, MED(50) });
	p[3] = path_add(f, 6, 0,
	    &(struct aspec){ .hops = 1, .first_as = AS_TENC, MED(50) });
	/* Never with a longer path, even relaxed. */
	p[4] = path_add(
	    f, 6, 1, &(struct aspec){ .hops = 2, .first_as = AS_TENC });
	/* The best is from AWS (169.254.0.1): only AWS paths. */
	check_both_ways(f, p, 5, (struct rib_path *[]){ p[1], p[0] }, 2);

	/*
	 * Relaxed: the Tencent paths too, in tie-break order; their MED
	 * is not compared with the AWS paths' (rule 5 does not).
	 */
	f->r->conf.multipath_relax = true;
	check_both_ways(
	    f, p, 5, (struct rib_path *[]){ p[1], p[0], p[3], p[2] }, 4);
	f->r->conf.maximum_paths = 3;
	check_both_ways(f, p, 5, (struct rib_path *[]){ p[1], p[0], p[3] }, 3);

	/* With always-compare-med, MED 50 is worse than none: out. */
	f->r->conf.maximum_paths = 8;
	f->r->conf.always_compare_med = true;
	check_both_ways(f, p, 5, (struct rib_path *[]){ p[1], p[0] }, 2);

	/*
	 * A Tencent path with MED 0 removes the MED 50 ones on rule 5
	 * (same AS), and is itself used.
	 */
	f->r->conf.always_compare_med = false;
	p[5] = path_add(
	    f, 5, 7, &(struct aspec){ .hops = 1, .first_as = AS_TENC, MED(0) });
	check_both_ways(f, p, 6, (struct rib_path *[]){ p[1], p[0], p[5] }, 3);

	/* Not relaxed, with a Tencent best: only Tencent paths. */
	f->r->conf.multipath_relax = false;
	p[0]->flags = p[1]->flags = p[5]->flags = RIB_P_INELIGIBLE;
	check_both_ways(f, p, 6, (struct rib_path *[]){ p[3], p[2] }, 2);
}

/* ---- the model ---- */

/*
 * The reference: RFC 4271 §9.1.2.2 (with the additions listed in
 * decide.c) as written, over an array of paths and an array of flags,
 * one loop per rule.  Lower key = preferred.
 */
#define MODEL_MAX 8

static uint32_t
ref_neighbor_as(const struct rib *r, const struct rib_path *p)
{
	if (p->attrs->first_as != 0)
		return p->attrs->first_as;
	if (p->peer == RIB_PEER_LOCAL || r->peer[p->peer].ibgp)
		return r->conf.asn;
	return r->peer[p->peer].asn;
}

static void
ref_keep_lowest(const uint64_t *key, size_t n, bool *alive)
{
	uint64_t min = UINT64_MAX;
	size_t i;

	for (i = 0; i < n; i++)
		if (alive[i] && key[i] < min)
			min = key[i];
	for (i = 0; i < n; i++)
		if (alive[i] && key[i] != min)
			alive[i] = false;
}

/* Rules 1 to 6. */
static void
ref_rules_1_6(
    const struct rib *r, struct rib_path *const *p, size_t n, bool *alive)
{
	uint64_t key[MODEL_MAX] = { 0 };
	uint32_t med[MODEL_MAX];
	bool drop[MODEL_MAX];
	const struct rib_attrs *a;
	size_t i, j;

	for (i = 0; i < n; i++) { /* 1: highest LOCAL_PREF, 100 if none */
		a = p[i]->attrs;
		key[i] = UINT32_MAX -
		    (uint64_t)(a->flags & RIB_A_LOCAL_PREF ? a->local_pref
							   : 100);
	}
	ref_keep_lowest(key, n, alive);
	for (i = 0; i < n; i++) /* 2: local routes if any */
		key[i] = p[i]->peer != RIB_PEER_LOCAL;
	ref_keep_lowest(key, n, alive);
	for (i = 0; i < n; i++) /* 3: fewest ASes */
		key[i] = p[i]->attrs->aspath_hops;
	ref_keep_lowest(key, n, alive);
	for (i = 0; i < n; i++) /* 4: lowest ORIGIN */
		key[i] = p[i]->attrs->origin;
	ref_keep_lowest(key, n, alive);
	/* 5: all at once, those with a lower MED from the same AS */
	for (i = 0; i < n; i++)
		med[i] = p[i]->attrs->flags & RIB_A_MED ? p[i]->attrs->med : 0;
	for (i = 0; i < n; i++) {
		drop[i] = false;
		for (j = 0; j < n; j++)
			if (alive[i] && alive[j] && med[j] < med[i] &&
			    (r->conf.always_compare_med ||
				ref_neighbor_as(r, p[i]) ==
				    ref_neighbor_as(r, p[j])))
				drop[i] = true;
	}
	for (i = 0; i < n; i++)
		if (drop[i])
			alive[i] = false;
	for (i = 0; i < n; i++) /* 6: eBGP (or local) over iBGP */
		key[i] =
		    p[i]->peer != RIB_PEER_LOCAL && r->peer[p[i]->peer].ibgp;
	ref_keep_lowest(key, n, alive);
}

/* Rules 7 to 11 on a copy of alive: the one left. */
static size_t
ref_tie_break(const struct rib *r, struct rib_path *const *p, size_t n,
    const bool *alive0)
{
	uint64_t key[MODEL_MAX] = { 0 };
	bool alive[MODEL_MAX];
	const struct rib_peer_info *pi;
	const uint8_t *amin = NULL;
	size_t i, left, last = 0, lmin = 99, len;

	memcpy(alive, alive0, n * sizeof(bool));
	for (i = 0; i < n; i++) { /* 7: BGP Identifier or ORIGINATOR_ID */
		pi = &r->peer[p[i]->peer];
		if (p[i]->attrs->flags & RIB_A_ORIGINATOR)
			key[i] = p[i]->attrs->originator_id;
		else if (p[i]->peer == RIB_PEER_LOCAL)
			key[i] = r->conf.router_id;
		else
			key[i] = pi->router_id;
	}
	ref_keep_lowest(key, n, alive);
	for (i = 0; i < n; i++) /* 8: fewest CLUSTER_IDs */
		key[i] = p[i]->attrs->cluster_len / 4;
	ref_keep_lowest(key, n, alive);
	/* 9: lowest address: shortest (none, IPv4, IPv6), then bytes */
	for (i = 0; i < n; i++) {
		pi = &r->peer[p[i]->peer];
		len = p[i]->peer == RIB_PEER_LOCAL ? 0 : pi->addr_len;
		if (alive[i] &&
		    (len < lmin ||
			(len == lmin && memcmp(pi->addr, amin, len) < 0))) {
			lmin = len;
			amin = pi->addr;
		}
	}
	for (i = 0; i < n; i++) {
		pi = &r->peer[p[i]->peer];
		len = p[i]->peer == RIB_PEER_LOCAL ? 0 : pi->addr_len;
		if (alive[i] && (len != lmin || memcmp(pi->addr, amin, len)))
			alive[i] = false;
	}
	for (i = 0; i < n; i++) /* 10: lowest path id */
		key[i] = p[i]->path_id;
	ref_keep_lowest(key, n, alive);
	for (i = 0; i < n; i++) /* 11: lowest peer number */
		key[i] = p[i]->peer;
	ref_keep_lowest(key, n, alive);
	for (i = 0, left = 0; i < n; i++)
		if (alive[i]) {
			left++;
			last = i;
		}
	assert_int_equal(left, 1);
	return last;
}

/* The selection from the paths alive: best first, then multipath. */
static size_t
ref_select(const struct rib *r, struct rib_path *const *p, size_t n,
    bool *alive, struct rib_path **sel)
{
	size_t i, b, k, max;
	bool any = false;

	for (i = 0; i < n; i++)
		any |= alive[i];
	if (!any)
		return 0;
	ref_rules_1_6(r, p, n, alive);
	b = ref_tie_break(r, p, n, alive);
	sel[0] = p[b];
	alive[b] = false;
	for (i = 0; i < n; i++)
		if (!r->conf.multipath_relax &&
		    ref_neighbor_as(r, p[i]) != ref_neighbor_as(r, p[b]))
			alive[i] = false;
	max = r->conf.maximum_paths > 1 ? r->conf.maximum_paths : 1;
	for (k = 1; k < max; k++) {
		for (i = 0, any = false; i < n; i++)
			any |= alive[i];
		if (!any)
			break;
		b = ref_tie_break(r, p, n, alive);
		sel[k] = p[b];
		alive[b] = false;
	}
	return k;
}

/* Random peers and paths from small domains, so that ties happen. */
static void
model_peers(struct rib *r)
{
	static const uint32_t asn[] = { 65000, 1, 2 };
	static const char *const addr[] = { "10.0.0.1", "10.0.0.2", "::1",
		"2001:db8::1" };
	uint16_t i;

	r->conf.asn = 65000;
	r->conf.router_id = 1 + rnd(2);
	r->conf.always_compare_med = rnd(4) == 0;
	r->conf.multipath_relax = rnd(2);
	r->conf.maximum_paths = (uint8_t[]){ 1, 2, 3, 8 }[rnd(4)];
	for (i = 1; i <= 5; i++)
		peer_set(r, i, asn[rnd(3)], 1 + rnd(3), addr[rnd(4)]);
}

/* Attributes drawn from small domains. */
static void
model_attrs(struct rib_attrs *a)
{
	memset(a, 0, sizeof(*a));
	if (rnd(3))
		a->flags |= RIB_A_LOCAL_PREF;
	a->local_pref = (uint32_t[]){ 100, 200, 0 }[rnd(3)];
	if (rnd(3))
		a->flags |= RIB_A_MED;
	a->med = (uint32_t[]){ 0, 10, 20 }[rnd(3)];
	if (rnd(3) == 0)
		a->flags |= RIB_A_ORIGINATOR;
	a->originator_id = 1 + rnd(2);
	a->aspath_hops = (uint16_t)rnd(3);
	a->origin = (uint8_t)rnd(3);
	a->first_as = rnd(3);
	a->cluster_len = (uint16_t)(4 * rnd(3));
}

/*
 * A path with a new (peer, path id) and, field by field, mostly the
 * values of base[0], else those of base[1]: ties reach every rule.
 */
static void
model_path(struct rib_path *p, struct rib_attrs *a,
    struct rib_attrs *const *base, struct rib_path *const *v, size_t n)
{
	const uint16_t fl[] = { RIB_A_LOCAL_PREF, RIB_A_MED, RIB_A_ORIGINATOR };
	size_t i;

again:
	p->peer = (uint16_t)rnd(6);
	p->path_id = rnd(4);
	for (i = 0; i < n; i++)
		if (v[i]->peer == p->peer && v[i]->path_id == p->path_id)
			goto again;
	memset(a, 0, sizeof(*a));
	for (i = 0; i < 3; i++)
		a->flags |= base[rnd(4) == 0]->flags & fl[i];
	a->local_pref = base[rnd(4) == 0]->local_pref;
	a->med = base[rnd(4) == 0]->med;
	a->originator_id = base[rnd(4) == 0]->originator_id;
	a->aspath_hops = base[rnd(4) == 0]->aspath_hops;
	a->origin = base[rnd(4) == 0]->origin;
	a->first_as = base[rnd(4) == 0]->first_as;
	a->cluster_len = base[rnd(4) == 0]->cluster_len;
	p->attrs = a;
	p->flags = rnd(8) == 0 ? RIB_P_INELIGIBLE : 0;
}

static void
model_dump(
    const struct rib *r, struct rib_path *const *v, size_t n, size_t iter)
{
	size_t i;

	print_message("iteration %zu: asn %u id %u acm %d relax %d max %u\n",
	    iter, r->conf.asn, r->conf.router_id, r->conf.always_compare_med,
	    r->conf.multipath_relax, r->conf.maximum_paths);
	for (i = 1; i <= 5; i++)
		print_message("  peer %zu: as %u ibgp %d id %u addr %u.%u/%u\n",
		    i, r->peer[i].asn, r->peer[i].ibgp, r->peer[i].router_id,
		    r->peer[i].addr[0], r->peer[i].addr[15],
		    r->peer[i].addr_len);
	for (i = 0; i < n; i++)
		print_message("  path %zu: peer %u id %u fl %x lp %u med %u "
			      "oid %u hops %u origin %u fas %u cl %u%s\n",
		    i, v[i]->peer, v[i]->path_id, v[i]->attrs->flags,
		    v[i]->attrs->local_pref, v[i]->attrs->med,
		    v[i]->attrs->originator_id, v[i]->attrs->aspath_hops,
		    v[i]->attrs->origin, v[i]->attrs->first_as,
		    v[i]->attrs->cluster_len,
		    v[i]->flags & RIB_P_INELIGIBLE ? " ineligible" : "");
}

/* The first nbest of the list are sel[0..k), in order. */
static bool
model_same(const struct rib_dest *d, struct rib_path *const *sel, size_t k)
{
	const struct rib_path *p = d->paths;
	size_t i;

	if (d->nbest != k)
		return false;
	for (i = 0; i < k; i++, p = p->next)
		if (p != sel[i])
			return false;
	return true;
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

#define MODEL_ITERS 100000

static void
test_model(void **state)
{
	struct fx *f = *state;
	struct rib_attrs *attrs[MODEL_MAX], *base[2];
	struct rib_path path[MODEL_MAX], *v[MODEL_MAX], *sel[MODEL_MAX];
	struct rib_path *two[2], *win[MODEL_MAX];
	bool alive[MODEL_MAX];
	size_t iter, n, i, j, k;
	int c;

	for (i = 0; i < MODEL_MAX; i++) {
		attrs[i] = calloc(1, sizeof(struct rib_attrs));
		assert_non_null(attrs[i]);
	}
	for (i = 0; i < 2; i++) {
		base[i] = calloc(1, sizeof(struct rib_attrs));
		assert_non_null(base[i]);
	}
	rng_state = 1771;
	for (iter = 0; iter < MODEL_ITERS; iter++) {
		model_peers(f->r);
		n = 1 + rnd(MODEL_MAX);
		model_attrs(base[0]);
		model_attrs(base[1]);
		for (i = 0; i < n; i++) {
			model_path(&path[i], attrs[i], base, v, i);
			v[i] = &path[i];
		}
		for (i = 0; i < n; i++)
			alive[i] = !(v[i]->flags & RIB_P_INELIGIBLE);
		k = ref_select(f->r, v, n, alive, sel);

		decide(f->r, &f->d, v, n);
		if (!model_same(&f->d, sel, k)) {
			model_dump(f->r, v, n, iter);
			fail_msg(
			    "rib_decide: nbest %u, want %zu", f->d.nbest, k);
		}
		shuffle(v, n);
		decide(f->r, &f->d, v, n);
		if (!model_same(&f->d, sel, k)) {
			model_dump(f->r, v, n, iter);
			fail_msg("rib_decide depends on the order");
		}

		/* rib_path_cmp is the elimination on two paths. */
		for (i = 0; i < n; i++) {
			for (j = 0; j < n; j++) {
				c = rib_path_cmp(f->r, v[i], v[j]);
				assert_int_equal(
				    c, -rib_path_cmp(f->r, v[j], v[i]));
				assert_true(c >= -R_PEER_ID && c <= R_PEER_ID);
				assert_true((c == 0) == (i == j));
				if (i >= j)
					continue;
				two[0] = v[i];
				two[1] = v[j];
				alive[0] = alive[1] = true;
				ref_select(f->r, two, 2, alive, win);
				if (sign(c) != (win[0] == v[i] ? -1 : 1)) {
					model_dump(f->r, v, n, iter);
					fail_msg("rib_path_cmp(%zu, %zu) = %d",
					    i, j, c);
				}
			}
		}
		/* Compared everywhere, MED is an order: the best beats all. */
		if (f->r->conf.always_compare_med && k > 0)
			for (i = 0; i < n; i++)
				if (v[i] != sel[0] &&
				    !(v[i]->flags & RIB_P_INELIGIBLE))
					assert_true(rib_path_cmp(f->r, sel[0],
							v[i]) < 0);
	}
	for (i = 0; i < MODEL_MAX; i++)
		free(attrs[i]);
	free(base[0]);
	free(base[1]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_ladder_pairs, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_ladder_every_order, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_ladder_random_orders, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_med_not_transitive, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_always_compare_med, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_med_empty_path, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_last_tie_breaks, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_ineligible, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_multipath_same_as, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_multipath_excluded, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_multipath_relax, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_model, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
