/*
 * test_adjout.c: the outbound side of the RIB (rib/adjout.c)
 * through its public API, with rib_int.h where the inside must be
 * seen; built from the files of rib/ and the wire codec.  Shared
 * helpers are in rib_test.h / rib_test.c.
 *
 * The exact UPDATE stream a peer receives, decoded with the codec:
 * packing, the export rules of RFC 4271 §5.1, RFC 1997 and RFC 4456,
 * End-of-RIB (RFC 4724 §2), backpressure, restart, refresh, attributes
 * too large for a message, memory under churn.
 *
 * One argument runs only the tests matching it ("test_out_*").
 */

#include "rib_test.h"

/* One group of messages: one attribute set (or withdrawals), one family. */
struct pack_group {
	const struct rib_attrs *a;
	uint16_t afi;
	size_t msgs, partial, prefixes;
};

struct pack {
	struct pack_group g[64];
	size_t ng;
	size_t eor_at[2]; /* message index + 1 of each End-of-RIB */
	size_t neor;
};

/*
 * Applies every recorded message to the receiver and checks the
 * packing: within one group, every message but one is full (not even a
 * /32, or a /128, would have fitted), and no message mixes families.
 */
static void
apply_packed(struct rx *x, const struct rec *rc, struct pack *pk)
{
	struct pack_group *g;
	struct upd *u;
	size_t i, j, room;

	memset(pk, 0, sizeof(*pk));
	for (i = 0; i < rc->n; i++) {
		u = rx_apply(x, rc->msg[i], rc->len[i]);
		if (u->eor) {
			pk->eor_at[rib_afidx((uint8_t)u->afi)] = i + 1;
			pk->neor++;
			continue;
		}
		for (j = 0; j < u->nwd; j++)
			assert_int_equal(u->wd[j].afi, u->afi);
		for (j = 0; j < u->nann; j++)
			assert_int_equal(u->ann[j].afi, u->afi);
		/* withdrawals and announcements travel apart */
		assert_true(u->nwd == 0 || u->nann == 0);
		for (j = 0; j < pk->ng; j++)
			if (pk->g[j].a == u->a && pk->g[j].afi == u->afi)
				break;
		if (j == pk->ng) {
			assert_true(pk->ng < 64);
			pk->g[pk->ng].a = u->a;
			pk->g[pk->ng++].afi = u->afi;
		}
		g = &pk->g[j];
		g->msgs++;
		g->prefixes += u->nwd + u->nann;
		room = u->afi == BGP_AFI_IPV4 ? 5 : 17;
		if (u->len + room <= rc->max)
			g->partial++;
		if (g->partial > 1)
			fail_msg("message %zu: a second message of its group "
				 "with room left (%zu octets)",
			    i, u->len);
	}
}

static struct pack_group *
pack_find(struct pack *pk, struct rx *x, struct kb *b, uint16_t afi)
{
	struct rib_attrs *a = b != NULL ? kb_intern(x->t, b) : NULL;
	size_t i;

	for (i = 0; i < pk->ng; i++)
		if (pk->g[i].a == a && pk->g[i].afi == afi)
			break;
	if (a != NULL)
		rib_attrs_unref(x->t, a);
	if (i == pk->ng)
		fail_msg("no message with these attributes");
	return &pk->g[i];
}

/* The octets of the attributes b describes, encoded. */
static size_t
wire_len(struct rx *x, struct kb *b)
{
	struct rib_attrs *a = kb_intern(x->t, b);
	struct wire_attrs w;
	uint8_t buf[8192];
	size_t n;

	rib_attrs_to_wire(a, &w);
	n = wire_attrs_encode(&w, true, buf, sizeof(buf));
	rib_attrs_unref(x->t, a);
	assert_true(n > 0);
	return n;
}

/* Unknown attributes arrive with Partial set (RFC 4271 §5). */
static void
kb_partial(struct kb *b)
{
	size_t i, hl;

	for (i = 0; i < b->k.unknown_len; i += hl) {
		b->unknown[i] |= BGP_ATTR_F_PARTIAL;
		hl = (b->unknown[i] & BGP_ATTR_F_EXTLEN)
		    ? 4 + ((size_t)b->unknown[i + 2] << 8 | b->unknown[i + 3])
		    : 3 + (size_t)b->unknown[i + 2];
	}
}

/*
 * The first full table to an eBGP peer: packing, the attributes it
 * gets, End-of-RIB last and once; then changes, withdrawals, routes
 * never sent back, and nothing withdrawn that was never sent.
 */
static void
test_out_ebgp(void **state)
{
	enum { NA = 1500, NB = 10, NC = 3 };
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct pack pk;
	struct pack_group *g;
	struct kb ka, kbb, kc, kl, kn, kw, w;
	struct rib_attrs *a, *b, *c, *l, *ne, *worse, *own;
	struct rib_prefix pa[NA], pb[NB], pc[NC], pl, pn, q, never;
	struct upd *u;
	uint8_t nlri[64];
	size_t i, n, per;

	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	peer_add(r, P_IBGP3, RIB_AF_IPV4);
	rec_init(&rc, BGP_MAX_MSG);

	/* From peer 1: MED (not passed on), communities, unknown. */
	kb_init(&ka, BGP_ORIGIN_IGP, peer_nh4(P_EBGP1));
	kb_seg(&ka, BGP_SEG_SEQUENCE, 2, AS_AWS, AS_CUST);
	kb_med(&ka, 20);
	kb_comm(&ka, 65000u << 16 | 1);
	kb_lcomm(&ka, AS_AWS, 7, 8);
	kb_aggr(&ka, AS_CUST, IP4(10, 7, 7, 7));
	ka.k.flags |= RIB_A_ATOMIC_AGGR;
	kb_unknown(
	    &ka, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE, 99, 4, 0x11);
	a = kb_intern(r, &ka);
	kb_from_peer(&kbb, P_EBGP1, BGP_AFI_IPV4);
	b = kb_intern(r, &kbb);
	/* From iBGP peer 3: what is only for iBGP must not leak out. */
	kb_init(&kc, BGP_ORIGIN_EGP, peer_nh4(P_IBGP3));
	kb_lp(&kc, 200);
	kb_med(&kc, 5);
	kb_oid(&kc, IP4(10, 1, 0, 33));
	kb_cluster(&kc, IP4(10, 1, 0, 1));
	c = kb_intern(r, &kc);
	/* Ours (a `network` statement): no next hop, MED kept. */
	kb_init(&kl, BGP_ORIGIN_IGP, 0);
	kb_med(&kl, 10);
	l = kb_intern(r, &kl);

	for (i = 0; i < NA; i++) {
		pa[i] = pfx4(IP4(20, i >> 8, i & 0xff, 0), 24);
		rib_add(r, P_EBGP1, &pa[i], 0, a);
	}
	for (i = 0; i < NB; i++) {
		pb[i] = pfx4(IP4(30, 0, i, 128), 25);
		rib_add(r, P_EBGP1, &pb[i], 0, b);
	}
	for (i = 0; i < NC; i++) {
		pc[i] = pfx4(IP4(40, i, 0, 0), 16);
		rib_add(r, P_IBGP3, &pc[i], 0, c);
	}
	pl = pfx4(IP4(192, 168, 10, 0), 24);
	rib_add(r, RIB_PEER_LOCAL, &pl, 0, l);
	rib_process(r);

	/* Not up yet: nothing. */
	assert_true(rib_out_flush(r, P_EBGP2, rc.max, rec_send, &rc));
	assert_int_equal(rc.n, 0);
	assert_false(rib_out_pending(r, P_EBGP2));

	rib_out_start(r, P_EBGP2);
	assert_true(rib_out_pending(r, P_EBGP2));
	flush_all(r, P_EBGP2, &rc);
	apply_packed(x, &rc, &pk);
	assert_int_equal(pk.neor, 1);
	assert_int_equal(pk.eor_at[0], rc.n); /* IPv4, last */
	assert_int_equal(pk.ng, 4);
	assert_int_equal(x->nann, NA + NB + NC + 1);
	assert_int_equal(x->nwd, 0);

	/* A: 1500 /24s, as many in each message as fit in 4096 octets. */
	w = ka;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	kb_partial(&w);
	g = pack_find(&pk, x, &w, BGP_AFI_IPV4);
	assert_int_equal(g->prefixes, NA);
	per = (BGP_MAX_MSG - BGP_HDR_LEN - 4 - wire_len(x, &w)) / 4;
	assert_int_equal(g->msgs, (NA + per - 1) / per);
	for (i = 0; i < NA; i++)
		expect_route(x, &pa[i], &w);
	w = kbb;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	assert_int_equal(pack_find(&pk, x, &w, BGP_AFI_IPV4)->msgs, 1);
	for (i = 0; i < NB; i++)
		expect_route(x, &pb[i], &w);
	/* C: no LOCAL_PREF, MED, ORIGINATOR_ID or CLUSTER_LIST. */
	w = kc;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	assert_false(w.k.flags & (RIB_A_LOCAL_PREF | RIB_A_MED));
	assert_int_equal(pack_find(&pk, x, &w, BGP_AFI_IPV4)->msgs, 1);
	for (i = 0; i < NC; i++)
		expect_route(x, &pc[i], &w);
	/* Ours: MED kept (§5.1.4), our next hop. */
	w = kl;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, true);
	assert_true(w.k.flags & RIB_A_MED);
	expect_route(x, &pl, &w);

	/* Nothing more, and no second End-of-RIB. */
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);

	/* New attributes: one announcement, no withdrawal before it. */
	rib_add(r, P_EBGP1, &pa[7], 0, b);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nann, 1);
	assert_int_equal(u->nwd, 0);
	assert_true(pfx_eq(&u->ann[0], &pa[7]));
	w = kbb;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x, &pa[7], &w);

	/* Five withdrawals from peer 1: one message of five. */
	n = nlri_of(pa + 100, 5, nlri, sizeof(nlri));
	assert_int_equal(
	    rib_withdraw(r, P_EBGP1, BGP_AFI_IPV4, nlri, n, false), 5);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nwd, 5);
	assert_int_equal(u->nann, 0);
	for (i = 100; i < 105; i++)
		expect_route(x, &pa[i], NULL);

	/* Withdrawing what peer 1 never sent changes nothing. */
	never = pfx4(IP4(99, 0, 0, 0), 8);
	rib_del(r, P_EBGP1, &never, 0);
	rib_del(r, P_EBGP1, &pc[0], 0); /* peer 3's */
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);
	assert_null(rib_lookup(r, &never));

	/* NO_EXPORT: not sent, so not withdrawn either. */
	kn = kbb;
	kb_comm(&kn, BGP_COMM_NO_EXPORT);
	ne = kb_intern(r, &kn);
	pn = pfx4(IP4(60, 0, 0, 0), 24);
	rib_add(r, P_EBGP1, &pn, 0, ne);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);
	rib_del(r, P_EBGP1, &pn, 0);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);

	/* A route of peer 2's own is not sent back to it. */
	kb_from_peer(&kw, P_EBGP2, BGP_AFI_IPV4);
	q = pfx4(IP4(50, 0, 0, 0), 24);
	own = kb_intern(r, &kw);
	rib_add(r, P_EBGP2, &q, 0, own);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);
	/* ... nor when peer 1 has a worse one ... */
	kb_seg(&kw, BGP_SEG_SEQUENCE, 3, AS_AWS, AS_AWS, AS_AWS);
	kw.k.nh_len = 4;
	put32(kw.k.nexthop, peer_nh4(P_EBGP1));
	worse = kb_intern(r, &kw);
	rib_add(r, P_EBGP1, &q, 0, worse);
	rib_process(r);
	expect_best(r, &q, P_EBGP2, own);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);
	/* ... which it gets once its own is gone ... */
	rib_del(r, P_EBGP2, &q, 0);
	rib_process(r);
	expect_best(r, &q, P_EBGP1, worse);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	rx_apply(x, rc.msg[0], rc.len[0]);
	w = kw;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x, &q, &w);
	/* ... and which is withdrawn when its own is back. */
	rib_add(r, P_EBGP2, &q, 0, own);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nwd, 1);
	assert_int_equal(u->nann, 0);
	expect_route(x, &q, NULL);
	assert_int_equal(x->eor[0], 1);
	assert_int_equal(x->eor[1], 0);

	rib_attrs_unref(r, a);
	rib_attrs_unref(r, b);
	rib_attrs_unref(r, c);
	rib_attrs_unref(r, l);
	rib_attrs_unref(r, ne);
	rib_attrs_unref(r, worse);
	rib_attrs_unref(r, own);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
}

/* RFC 1997: NO_ADVERTISE to nobody, NO_EXPORT(_SUBCONFED) not to eBGP. */
static void
test_out_communities(void **state)
{
	static const uint32_t comm[4] = { BGP_COMM_NO_EXPORT,
		BGP_COMM_NO_ADVERTISE, BGP_COMM_NO_EXPORT_SUBCONFED,
		65000u << 16 | 1 };
	struct rib *r = rib_make();
	struct rx *xe = rx_new(false), *xi = rx_new(true);
	struct rec rc;
	struct kb k[4], w;
	struct rib_attrs *a[4];
	struct rib_prefix p[4];
	size_t i;

	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	peer_add(r, P_IBGP3, RIB_AF_IPV4);
	rec_init(&rc, BGP_MAX_MSG);
	rib_out_start(r, P_EBGP2);
	rib_out_start(r, P_IBGP3);
	for (i = 0; i < 4; i++) {
		kb_from_peer(&k[i], P_EBGP1, BGP_AFI_IPV4);
		kb_comm(&k[i], 65000u << 16 | 99);
		kb_comm(&k[i], comm[i]);
		a[i] = kb_intern(r, &k[i]);
		p[i] = pfx4(IP4(70, i, 0, 0), 16);
		rib_add(r, P_EBGP1, &p[i], 0, a[i]);
	}
	rib_process(r);
	flush_apply(r, P_EBGP2, &rc, xe);
	flush_apply(r, P_IBGP3, &rc, xi);
	for (i = 0; i < 4; i++) {
		w = k[i];
		kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
		expect_route(xe, &p[i], i == 3 ? &w : NULL);
		w = k[i];
		kb_to_ibgp(&w);
		expect_route(xi, &p[i], i == 1 ? NULL : &w);
	}
	assert_int_equal(xe->nann, 1);
	assert_int_equal(xi->nann, 3);
	for (i = 0; i < 4; i++)
		rib_attrs_unref(r, a[i]);
	rib_free(r);
	rx_free(xe);
	rx_free(xi);
	rec_clean(&rc);
}

/*
 * iBGP: split horizon and route reflection (RFC 4456 §6, §8), next
 * hops left alone, LOCAL_PREF 100 added when missing.  Peers 3 and 4
 * are not clients, 5 and 6 are.
 */
static void
test_out_ibgp(void **state)
{
	static const uint16_t rxp[5] = { P_EBGP2, P_IBGP3, P_IBGP4, P_CLIENT5,
		P_CLIENT6 };
	struct rib *r = rib_make();
	struct rx *x[5];
	struct rec rc;
	struct kb ke, k3, k3b, k5, w;
	struct rib_attrs *ae, *a3, *a3b, *a5;
	struct rib_prefix pe = pfx4(IP4(80, 1, 0, 0), 16);
	struct rib_prefix p3 = pfx4(IP4(80, 3, 0, 0), 16);
	struct rib_prefix p3b = pfx4(IP4(80, 33, 0, 0), 16);
	struct rib_prefix p5 = pfx4(IP4(80, 5, 0, 0), 16);
	struct rib_config conf = { .asn = AS_OURS,
		.router_id = RID_OURS,
		.cluster_id = IP4(10, 10, 10, 10) };
	struct upd *u;
	size_t i;

	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	for (i = 0; i < 5; i++) {
		peer_add(r, rxp[i], RIB_AF_IPV4);
		rib_out_start(r, rxp[i]);
		x[i] = rx_new(peer_defs[rxp[i]].ibgp);
	}
	kb_from_peer(&ke, P_EBGP1, BGP_AFI_IPV4);
	ae = kb_intern(r, &ke);
	/* From non-client 3, with LOCAL_PREF 200; and one without. */
	kb_from_peer(&k3, P_IBGP3, BGP_AFI_IPV4);
	kb_lp(&k3, 200);
	a3 = kb_intern(r, &k3);
	kb_from_peer(&k3b, P_IBGP3, BGP_AFI_IPV4);
	kb_med(&k3b, 3);
	a3b = kb_intern(r, &k3b);
	/* From client 5, already reflected once elsewhere. */
	kb_from_peer(&k5, P_CLIENT5, BGP_AFI_IPV4);
	kb_seg(&k5, BGP_SEG_SEQUENCE, 1, AS_CUST);
	kb_lp(&k5, 300);
	kb_oid(&k5, IP4(10, 9, 9, 9));
	kb_cluster(&k5, IP4(10, 8, 8, 8));
	a5 = kb_intern(r, &k5);
	rib_add(r, P_EBGP1, &pe, 0, ae);
	rib_add(r, P_IBGP3, &p3, 0, a3);
	rib_add(r, P_IBGP3, &p3b, 0, a3b);
	rib_add(r, P_CLIENT5, &p5, 0, a5);
	rib_process(r);
	for (i = 0; i < 5; i++)
		flush_apply(r, rxp[i], &rc, x[i]);

	/* To eBGP peer 2: all four, ours. */
	w = ke;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x[0], &pe, &w);
	w = k3;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x[0], &p3, &w);
	w = k5;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x[0], &p5, &w);

	/* The eBGP route to every iBGP peer: LOCAL_PREF 100, nothing else. */
	w = ke;
	kb_to_ibgp(&w);
	for (i = 1; i < 5; i++)
		expect_route(x[i], &pe, &w);

	/* From non-client 3: not to 3 or 4; reflected to 5 and 6. */
	expect_route(x[1], &p3, NULL);
	expect_route(x[2], &p3, NULL);
	expect_route(x[2], &p3b, NULL);
	w = k3;
	kb_reflect(&w, peer_defs[P_IBGP3].rid, RID_OURS);
	assert_int_equal(w.k.local_pref, 200);
	expect_route(x[3], &p3, &w);
	expect_route(x[4], &p3, &w);
	w = k3b;
	kb_reflect(&w, peer_defs[P_IBGP3].rid, RID_OURS);
	assert_int_equal(w.k.local_pref, LP_DEFAULT);
	expect_route(x[3], &p3b, &w);

	/* From client 5: to 3, 4 and 6, not back to 5. */
	w = k5;
	kb_reflect(&w, 0, RID_OURS);
	assert_int_equal(w.k.originator_id, IP4(10, 9, 9, 9));
	assert_int_equal(w.k.cluster_len, 8);
	expect_route(x[1], &p5, &w);
	expect_route(x[2], &p5, &w);
	expect_route(x[4], &p5, &w);
	expect_route(x[3], &p5, NULL);

	/* A new CLUSTER_ID, and a refresh to client 6 sends it. */
	rib_set_config(r, &conf);
	rib_out_refresh(r, P_CLIENT6, RIB_AF_IPV4, false);
	flush_all(r, P_CLIENT6, &rc);
	assert_int_equal(rc.n, 4); /* pe, p3, p3b, p5: no End-of-RIB */
	rx_apply_all(x[4], &rc);
	w = k3;
	kb_reflect(&w, peer_defs[P_IBGP3].rid, conf.cluster_id);
	expect_route(x[4], &p3, &w);
	w = k5;
	kb_reflect(&w, 0, conf.cluster_id);
	expect_route(x[4], &p5, &w);
	u = rx_apply(x[4], rc.msg[0], rc.len[0]); /* a repeat is harmless */
	assert_false(u->eor);

	for (i = 0; i < 5; i++) {
		assert_int_equal(x[i]->eor[0], 1);
		rx_free(x[i]);
	}
	rib_attrs_unref(r, ae);
	rib_attrs_unref(r, a3);
	rib_attrs_unref(r, a3b);
	rib_attrs_unref(r, a5);
	rib_free(r);
	rec_clean(&rc);
}

/*
 * IPv6 through MP_REACH_NLRI / MP_UNREACH_NLRI with our IPv6 next hop,
 * an End-of-RIB per family; a local attribute set used by both
 * families gets the next hop of each.
 */
static void
test_out_ipv6(void **state)
{
	enum { N6 = 1200, N4 = 20 };
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct pack pk;
	struct kb k6, k4, kl, w;
	struct rib_attrs *a6, *a4, *l;
	struct rib_prefix p6[N6], p4[N4], l4, l6;
	struct upd *u;
	uint8_t nlri[1024];
	size_t i, n, per;

	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4 | RIB_AF_IPV6);
	peer_add(r, P_EBGP2, RIB_AF_IPV4 | RIB_AF_IPV6);
	kb_from_peer(&k6, P_EBGP1, BGP_AFI_IPV6);
	kb_comm(&k6, 65000u << 16 | 6);
	a6 = kb_intern(r, &k6);
	kb_from_peer(&k4, P_EBGP1, BGP_AFI_IPV4);
	a4 = kb_intern(r, &k4);
	kb_init(&kl, BGP_ORIGIN_IGP, 0);
	l = kb_intern(r, &kl);
	for (i = 0; i < N6; i++) {
		p6[i] = pfx6((uint16_t)(0x100 + i), 0, 48);
		rib_add(r, P_EBGP1, &p6[i], 0, a6);
	}
	for (i = 0; i < N4; i++) {
		p4[i] = pfx4(IP4(90, 0, i, 0), 24);
		rib_add(r, P_EBGP1, &p4[i], 0, a4);
	}
	l4 = pfx4(IP4(192, 168, 10, 0), 24);
	l6 = pfx6(0xffff, 0, 48);
	rib_add(r, RIB_PEER_LOCAL, &l4, 0, l);
	rib_add(r, RIB_PEER_LOCAL, &l6, 0, l);
	rib_process(r);
	rib_out_start(r, P_EBGP2);
	flush_all(r, P_EBGP2, &rc);
	apply_packed(x, &rc, &pk);
	assert_int_equal(pk.neor, 2);
	assert_true(pk.eor_at[0] >= rc.n - 1 && pk.eor_at[1] >= rc.n - 1);
	assert_int_equal(x->nann, N6 + N4 + 2);

	w = k6;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV6, false);
	assert_int_equal(w.k.nh_len, 16);
	for (i = 0; i < N6; i++)
		expect_route(x, &p6[i], &w);
	/* header, two lengths, MP_REACH_NLRI header and next hop */
	per = (BGP_MAX_MSG - BGP_HDR_LEN - 4 - (4 + 5 + 16) - wire_len(x, &w)) /
	    7;
	assert_int_equal(
	    pack_find(&pk, x, &w, BGP_AFI_IPV6)->msgs, (N6 + per - 1) / per);
	w = k4;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	for (i = 0; i < N4; i++)
		expect_route(x, &p4[i], &w);
	w = kl;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, true);
	expect_route(x, &l4, &w);
	w = kl;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV6, true);
	expect_route(x, &l6, &w);

	/* 50 withdrawals: one MP_UNREACH_NLRI. */
	n = nlri_of(p6 + 10, 50, nlri, sizeof(nlri));
	assert_int_equal(
	    rib_withdraw(r, P_EBGP1, BGP_AFI_IPV6, nlri, n, false), 50);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->afi, BGP_AFI_IPV6);
	assert_int_equal(u->nwd, 50);
	assert_true(u->have & WIRE_HAVE(BGP_ATTR_MP_UNREACH_NLRI));
	for (i = 10; i < 60; i++)
		expect_route(x, &p6[i], NULL);
	assert_int_equal(x->nv, N6 - 50 + N4 + 2);

	rib_attrs_unref(r, a6);
	rib_attrs_unref(r, a4);
	rib_attrs_unref(r, l);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
}

/* A kb holding a copy of a set, to change. */
static void
kb_of(struct kb *b, const struct rib_attrs *a)
{
	struct rib_attrs_key k;

	rib_attrs_key_of(a, &k);
	memset(b, 0, sizeof(*b));
	assert_true(k.aspath_len <= sizeof(b->path) &&
	    k.comm_len <= sizeof(b->comm) && k.lcomm_len <= sizeof(b->lcomm) &&
	    k.ecomm_len <= sizeof(b->ecomm) &&
	    k.cluster_len <= sizeof(b->cluster) &&
	    k.unknown_len <= sizeof(b->unknown));
	b->k = k;
	memcpy(b->path, k.aspath, k.aspath_len);
	memcpy(b->comm, k.comm, k.comm_len);
	memcpy(b->lcomm, k.lcomm, k.lcomm_len);
	memcpy(b->ecomm, k.ecomm, k.ecomm_len);
	memcpy(b->cluster, k.cluster, k.cluster_len);
	memcpy(b->unknown, k.unknown, k.unknown_len);
	kb_key(b);
}

/* The receiver has exactly the routes best from peer 1 (eBGP rules). */
struct want_ctx {
	struct rx *x;
	size_t n;
};

static void
want_fn(void *arg, const struct rib_dest *d)
{
	struct want_ctx *c = arg;
	struct rib_attrs *want;
	struct view_ent *e;
	struct kb b;

	e = rx_find(c->x, &d->pfx);
	if (e == NULL)
		fail_msg("%s was not sent", pfx_str(&d->pfx));
	kb_of(&b, d->paths->attrs);
	kb_to_ebgp(&b, P_EBGP2, d->pfx.afi, false);
	want = kb_intern(c->x->t, &b);
	if (e->a != want)
		fail_msg("%s: attributes differ", pfx_str(&d->pfx));
	rib_attrs_unref(c->x->t, want);
	c->n++;
}

static void
expect_table(struct rib *r, struct rx *x)
{
	struct want_ctx c = { x, 0 };

	rib_walk(r, BGP_AFI_IPV4, want_fn, &c);
	assert_int_equal(c.n, x->nv);
}

/*
 * Throttled flushes: send() refuses after k messages; each call
 * resumes where the last stopped.  Returns the number of calls.
 */
static size_t
flush_throttled(
    struct rib *r, uint16_t peer, struct rec *rc, struct rx *x, size_t k)
{
	size_t calls = 0, before;
	bool done;

	rec_reset(rc);
	do {
		before = rc->n;
		rc->accept = rc->n + k;
		done = rib_out_flush(r, peer, rc->max, rec_send, rc);
		assert_int_equal(done, !rib_out_pending(r, peer));
		if (!done) {
			assert_int_equal(rc->n, before + k);
			assert_true(rc->refused > 0);
		}
		rc->refused = 0;
		calls++;
		assert_true(calls < 100000);
	} while (!done);
	rx_apply_all(x, rc);
	return calls;
}

/* Backpressure: nothing lost, nothing sent twice, End-of-RIB once. */
static void
test_out_backpressure(void **state)
{
	enum { NBIG = 2500, NSETS = 30, NSMALL = 20 };
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct kb b;
	struct rib_attrs *a[NSETS];
	struct rib_prefix *p = calloc(NBIG + NSETS * NSMALL, sizeof(*p));
	size_t i, n = 0, calls, k;

	assert_non_null(p);
	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	for (i = 0; i < NSETS; i++) {
		kb_from_peer(&b, P_EBGP1, BGP_AFI_IPV4);
		kb_med(&b, (uint32_t)i);
		kb_comm(&b, 65000u << 16 | (uint32_t)i);
		a[i] = kb_intern(r, &b);
	}
	/* One set of 2500 prefixes (3 messages), 29 of 20, interleaved. */
	for (i = 0; i < NBIG + (NSETS - 1) * NSMALL; i++) {
		p[n] = pfx4(
		    IP4(100 + (i >> 16), (i >> 8) & 0xff, i & 0xff, 0), 24);
		rib_add(r, P_EBGP1, &p[n++], 0,
		    a[i % 4 != 0 || i / 4 >= (NSETS - 1) * NSMALL
			    ? 0
			    : 1 + (i / 4) % (NSETS - 1)]);
	}
	rib_process(r);
	rib_out_start(r, P_EBGP2);
	calls = flush_throttled(r, P_EBGP2, &rc, x, 1);
	assert_int_equal(calls, rc.n); /* the last sends End-of-RIB */
	assert_int_equal(x->ndup, 0);
	assert_int_equal(x->eor[0], 1);
	expect_table(r, x);
	assert_int_equal(x->nv, n);

	/*
	 * Changes, withdrawals, and more changes arriving while the peer
	 * is still backpressured.
	 */
	for (k = 2; k <= 5; k++) {
		for (i = k; i < n; i += 7)
			rib_add(r, P_EBGP1, &p[i], 0, a[(i + k) % NSETS]);
		for (i = k + 3; i < n; i += 11)
			rib_del(r, P_EBGP1, &p[i], 0);
		rib_process(r);
		rec_reset(&rc);
		rc.accept = k;
		assert_false(rib_out_flush(r, P_EBGP2, rc.max, rec_send, &rc));
		rx_apply_all(x, &rc);
		for (i = k + 1; i < n; i += 13)
			rib_add(r, P_EBGP1, &p[i], 0, a[(i + 2 * k) % NSETS]);
		rib_process(r);
		flush_throttled(r, P_EBGP2, &rc, x, k);
		expect_table(r, x);
	}
	/*
	 * Repeats are allowed here: a change undone before it was sent
	 * sends the old attributes again (only "advertised" is kept).
	 */
	assert_int_equal(x->eor[0], 1);

	for (i = 0; i < NSETS; i++)
		rib_attrs_unref(r, a[i]);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
	free(p);
}

/*
 * Session down and up: nothing is sent while down, the whole table
 * (and End-of-RIB) again after; destinations kept only for a pending
 * withdrawal go away at rib_out_stop.  rib_out_refresh sends the table
 * again without End-of-RIB.
 */
static void
test_out_restart(void **state)
{
	enum { N = 10000 };
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct rib_stats st;
	struct kb b;
	struct rib_attrs *a;
	struct rib_prefix *p = calloc(N, sizeof(*p));
	size_t i;

	assert_non_null(p);
	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	kb_from_peer(&b, P_EBGP1, BGP_AFI_IPV4);
	a = kb_intern(r, &b);
	for (i = 0; i < N; i++) {
		p[i] = pfx4(IP4(110, i >> 8, i & 0xff, 0), 24);
		rib_add(r, P_EBGP1, &p[i], 0, a);
	}
	rib_process(r);
	rib_out_start(r, P_EBGP2);
	flush_apply(r, P_EBGP2, &rc, x);
	assert_int_equal(x->nv, N);
	assert_int_equal(x->eor[0], 1);

	/* Refresh: everything again, no End-of-RIB. */
	rib_out_refresh(r, P_EBGP2, RIB_AF_IPV4, false);
	assert_true(rib_out_pending(r, P_EBGP2));
	flush_apply(r, P_EBGP2, &rc, x);
	assert_int_equal(x->ndup, N);
	assert_int_equal(x->nv, N);
	assert_int_equal(x->eor[0], 1);
	/* RFC 7313: with enhanced route refresh, EoRR ends the re-send. */
	rib_out_refresh(r, P_EBGP2, RIB_AF_IPV4, true);
	flush_apply(r, P_EBGP2, &rc, x);
	assert_int_equal(x->ndup, 2 * N);
	assert_int_equal(x->eorr[0], 1);
	assert_int_equal(x->eor[0], 1);
	/* A refresh of the other family sends nothing. */
	rib_out_refresh(r, P_EBGP2, RIB_AF_IPV6, false);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 0);

	/* Withdraw every other one, and go down before they are sent. */
	for (i = 0; i < N; i += 2)
		rib_del(r, P_EBGP1, &p[i], 0);
	rib_process(r);
	rib_stats(r, &st);
	assert_int_equal(st.paths, N / 2);
	rib_out_stop(r, P_EBGP2);
	rx_reset(x);
	assert_false(rib_out_pending(r, P_EBGP2));
	rib_stats(r, &st);
	assert_int_equal(st.prefixes[0], N / 2);
	for (i = 0; i < N; i++)
		if ((rib_lookup(r, &p[i]) != NULL) != (i % 2 == 1))
			fail_msg("%s after rib_out_stop", pfx_str(&p[i]));
	/* While down: nothing. */
	rib_add(r, P_EBGP1, &p[0], 0, a);
	rib_del(r, P_EBGP1, &p[1], 0);
	rib_process(r);
	assert_true(rib_out_flush(r, P_EBGP2, rc.max, rec_send, &rc));
	assert_int_equal(rc.n, 0);

	/* Up again: the table as it is now, then End-of-RIB. */
	rib_out_start(r, P_EBGP2);
	flush_apply(r, P_EBGP2, &rc, x);
	assert_int_equal(x->eor[0], 1);
	assert_int_equal(x->nv, N / 2);
	expect_table(r, x);
	assert_int_equal(x->ndup, 0);

	rib_attrs_unref(r, a);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
	free(p);
}

/*
 * Attributes that fit in no message: the route is not sent; withdrawn
 * if it was advertised before, and not withdrawn if it never was.
 */
static void
test_out_oversized(void **state)
{
	struct rib *r = rib_make();
	struct rx *x = rx_new(false);
	struct rec rc;
	struct kb b, big, w;
	struct rib_attrs *a, *huge;
	struct rib_prefix p1 = pfx4(IP4(120, 1, 0, 0), 16);
	struct rib_prefix p2 = pfx4(IP4(120, 2, 0, 0), 16);
	struct upd *u;

	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	kb_from_peer(&b, P_EBGP1, BGP_AFI_IPV4);
	a = kb_intern(r, &b);
	big = b;
	kb_unknown(
	    &big, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE, 99, 4090, 0x77);
	huge = kb_intern(r, &big);
	rib_out_start(r, P_EBGP2);
	rib_add(r, P_EBGP1, &p1, 0, a);
	rib_process(r);
	flush_apply(r, P_EBGP2, &rc, x);
	w = b;
	kb_to_ebgp(&w, P_EBGP2, BGP_AFI_IPV4, false);
	expect_route(x, &p1, &w);

	rib_add(r, P_EBGP1, &p1, 0, huge);
	rib_add(r, P_EBGP1, &p2, 0, huge);
	rib_process(r);
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nwd, 1);
	assert_true(pfx_eq(&u->wd[0], &p1));

	/* With extended messages (RFC 8654) they fit. */
	rib_out_refresh(r, P_EBGP2, RIB_AF_IPV4, false);
	rc.max = BGP_MAX_MSG_EXT;
	flush_all(r, P_EBGP2, &rc);
	assert_int_equal(rc.n, 1);
	u = rx_apply(x, rc.msg[0], rc.len[0]);
	assert_int_equal(u->nann, 2);
	assert_true(u->len > BGP_MAX_MSG);

	rib_attrs_unref(r, a);
	rib_attrs_unref(r, huge);
	rib_free(r);
	rx_free(x);
	rec_clean(&rc);
}

/*
 * A route whose attributes keep changing, flushed to two peers after
 * each change: the sets it had before are freed, not kept alive by
 * what was sent while the sessions stay up.
 */
static void
test_out_churn_memory(void **state)
{
	struct rib *r = rib_make();
	struct rx *x2 = rx_new(false), *x3 = rx_new(true);
	struct rec rc;
	struct rib_stats st;
	struct rib_attrs *a;
	struct rib_prefix p = pfx4(IP4(140, 0, 0, 0), 16);
	struct kb b;
	uint32_t i;

	rec_init(&rc, BGP_MAX_MSG);
	peer_add(r, P_EBGP1, RIB_AF_IPV4);
	peer_add(r, P_EBGP2, RIB_AF_IPV4);
	peer_add(r, P_IBGP3, RIB_AF_IPV4);
	rib_out_start(r, P_EBGP2);
	rib_out_start(r, P_IBGP3);
	for (i = 0; i < 5000; i++) {
		kb_from_peer(&b, P_EBGP1, BGP_AFI_IPV4);
		kb_med(&b, i);
		a = kb_intern(r, &b);
		rib_add(r, P_EBGP1, &p, 0, a);
		rib_attrs_unref(r, a);
		rib_process(r);
		flush_apply(r, P_EBGP2, &rc, x2);
		flush_apply(r, P_IBGP3, &rc, x3);
		rib_stats(r, &st);
		if (st.attrs.sets > 1)
			fail_msg("%zu sets alive for one route", st.attrs.sets);
	}
	kb_to_ibgp(&b);
	expect_route(x3, &p, &b);
	rib_free(r);
	rx_free(x2);
	rx_free(x3);
	rec_clean(&rc);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_ebgp),
		cmocka_unit_test(test_out_communities),
		cmocka_unit_test(test_out_ibgp),
		cmocka_unit_test(test_out_ipv6),
		cmocka_unit_test(test_out_backpressure),
		cmocka_unit_test(test_out_restart),
		cmocka_unit_test(test_out_oversized),
		cmocka_unit_test(test_out_churn_memory),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]); /* e.g. "test_out_*" */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
