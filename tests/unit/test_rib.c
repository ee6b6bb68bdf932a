/*
 * test_rib.c: the RIB library (rib/rib.c) through its public API, with
 * rib_int.h where the inside must be seen; built from the files of rib/
 * and the wire codec.  The decision process has its own test
 * (test_decide.c); here a reference written from RFC 4271 §9.1.2.2
 * only cross-checks it in the model.  Interning, the table and the
 * outbound side have their own tests (test_attrs.c, test_table.c,
 * test_adjout.c); shared helpers are in rib_test.h / rib_test.c.
 *
 * 1. Graceful restart (RFC 4724): stale marks and the sweep.
 * 2. Memory: a full table in and out leaves nothing behind.
 * 3. A model: random announce / replace / withdraw / peer down / stale
 *    and sweep / sessions down and up / cut-short flushes / refreshes,
 *    checked after every rib_process against arrays kept here, a
 *    reference decision and the views of three receivers.
 * 4. Next hops: the nexthop_ok hook asked once per attribute set, and
 *    again after rib_nexthops_changed, which re-decides what changed.
 *
 * TEST_RIB_ROUTES sets the size of case 2 (default 1,000,000).  One
 * argument runs only the tests matching it.
 */

#include "rib_test.h"

static bool
kb_has_comm(const struct kb *b, uint32_t c)
{
	uint16_t i;

	for (i = 0; i + 4 <= b->k.comm_len; i += 4)
		if (get32(b->comm + i) == c)
			return true;
	return false;
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

/*
 * A store-only RIB (soft reconfiguration inbound): routes are kept as
 * given, nothing is decided, and an emptied destination goes at once,
 * by withdrawal or by a peer flush.
 */
static void
test_store_only(void **state)
{
	struct rib_config rc = {
		.asn = 65000, .router_id = 1, .store_only = true
	};
	struct rib *r = rib_new(&rc, NULL);
	struct rib_attrs_key k;
	struct rib_attrs *a;
	struct rib_prefix p = { .afi = BGP_AFI_IPV4, .len = 24 };
	struct rib_stats st;
	static const uint8_t path[] = { BGP_SEG_SEQUENCE, 1, 0, 0, 0xfd, 0xe9 };
	unsigned int i;

	(void)state;
	memset(&k, 0, sizeof(k));
	k.flags = RIB_A_ASPATH;
	k.aspath = path;
	k.aspath_len = sizeof(path);
	k.nh_len = 4;
	k.nexthop[0] = 10;
	a = rib_attrs_intern(r, &k);
	for (i = 0; i < 1000; i++) {
		p.addr[0] = 10;
		p.addr[1] = (uint8_t)(i >> 8);
		p.addr[2] = (uint8_t)i;
		rib_add(r, 1, &p, 0, a);
	}
	rib_stats(r, &st);
	assert_int_equal(st.prefixes[0], 1000);
	assert_int_equal(st.paths, 1000);
	assert_int_equal(rib_peer_count(r, 1, 0), 1000);
	/* Nothing decided: no best anywhere. */
	assert_int_equal(rib_lookup(r, &p)->nbest, 0);
	assert_null(rib_lookup(r, &p)->best);
	for (i = 0; i < 1000; i += 2) {
		p.addr[1] = (uint8_t)(i >> 8);
		p.addr[2] = (uint8_t)i;
		rib_del(r, 1, &p, 0);
		assert_null(rib_lookup(r, &p));
	}
	rib_stats(r, &st);
	assert_int_equal(st.prefixes[0], 500);
	rib_peer_flush(r, 1, RIB_AF_IPV4);
	rib_stats(r, &st);
	assert_int_equal(st.prefixes[0], 0);
	assert_int_equal(st.paths, 0);
	rib_attrs_unref(r, a);
	rib_stats(r, &st);
	assert_int_equal(st.attrs.sets, 0);
	rib_free(r);
}

/*
 * Next hops: the nexthop_ok hook is asked once per attribute set (not
 * per route), and rib_nexthops_changed makes the RIB ask again and
 * re-decide where a path's eligibility changed.
 */
static uint32_t nh_down; /* next hop (IPv4) the hook calls unreachable */
static int nh_calls;

static bool
nh_hook(void *arg, const struct rib_attrs *a)
{
	(void)arg;
	nh_calls++;
	return !(a->nh_len == 4 && get32(a->nexthop) == nh_down);
}

static void
test_nexthops_changed(void **state)
{
	struct rib_config rc = { .asn = AS_OURS, .router_id = RID_OURS };
	struct rib_hooks h = { .nexthop_ok = nh_hook };
	struct rib *r = rib_new(&rc, &h);
	struct rib_attrs *a1, *a2;
	struct rib_prefix p;
	struct kb b;
	unsigned i;

	(void)state;
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	/* Peer 1's paths are better (shorter) but its next hop is down. */
	kb_init(&b, BGP_ORIGIN_IGP, peer_nh4(P_EBGP1));
	kb_seg(&b, BGP_SEG_SEQUENCE, 1, AS_AWS);
	a1 = kb_intern(r, &b);
	kb_init(&b, BGP_ORIGIN_IGP, peer_nh4(P_EBGP2));
	kb_seg(&b, BGP_SEG_SEQUENCE, 2, AS_TENC, AS_CUST);
	a2 = kb_intern(r, &b);
	nh_down = peer_nh4(P_EBGP1);
	nh_calls = 0;
	for (i = 0; i < 100; i++) {
		p = pfx4(IP4(198, 18, i, 0), 24);
		rib_add(r, P_EBGP1, &p, 0, a1);
		rib_add(r, P_EBGP2, &p, 0, a2);
	}
	rib_process(r);
	assert_int_equal(nh_calls, 2); /* two sets, 200 routes */
	for (i = 0; i < 100; i++) {
		p = pfx4(IP4(198, 18, i, 0), 24);
		assert_int_equal(rib_lookup(r, &p)->best_peer, P_EBGP2);
	}
	/* The next hop comes back: peer 1 wins everywhere. */
	nh_down = 0;
	rib_nexthops_changed(r);
	rib_process(r);
	assert_int_equal(nh_calls, 4);
	for (i = 0; i < 100; i++) {
		p = pfx4(IP4(198, 18, i, 0), 24);
		assert_int_equal(rib_lookup(r, &p)->best_peer, P_EBGP1);
	}
	/* And goes again. */
	nh_down = peer_nh4(P_EBGP1);
	rib_nexthops_changed(r);
	rib_process(r);
	p = pfx4(IP4(198, 18, 42, 0), 24);
	assert_int_equal(rib_lookup(r, &p)->best_peer, P_EBGP2);
	assert_true(rib_lookup(r, &p)->paths != NULL);
	rib_attrs_unref(r, a1);
	rib_attrs_unref(r, a2);
	rib_free(r);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_graceful_restart),
		cmocka_unit_test(test_memory_full_table),
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_store_only),
		cmocka_unit_test(test_nexthops_changed),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]); /* e.g. "test_out_*" */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
