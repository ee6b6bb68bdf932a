/*
 * test_frame.c: the export stream's framing and message checks
 * (proto/frame.c): every message type packed, framed, found and
 * unpacked again equal; varint lengths at their edges; each check of a
 * Route and a Subscribe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <dxbgp/frame.h>

/* Packs m framed, finds the frame again and unpacks it. */
static Dxbgp__Message *
round_trip(const Dxbgp__Message *m)
{
	uint8_t buf[4096];
	const uint8_t *body;
	size_t n, blen, used;
	const char *why = NULL;
	Dxbgp__Message *out;

	n = frame_pack(m, buf);
	assert_int_equal(n, frame_size(m));
	/* Every proper prefix asks for more. */
	for (size_t k = 0; k < n; k++)
		assert_int_equal(
		    frame_get(buf, k, 4096, &body, &blen, &used), FRAME_MORE);
	assert_int_equal(
	    frame_get(buf, n, 4096, &body, &blen, &used), FRAME_OK);
	assert_int_equal(used, n);
	out = frame_unpack(body, blen, &why);
	if (out == NULL)
		fail_msg("unpack: %s", why);
	assert_int_equal(out->body_case, m->body_case);
	return out;
}

static void
test_route_round_trip(void **state)
{
	uint8_t pfx[4] = { 10, 20, 0, 0 }, nh1[4] = { 10, 0, 0, 1 },
		nh2[4] = { 10, 0, 0, 3 }, peer[4] = { 10, 0, 0, 1 };
	uint32_t asns[] = { 45090, 64512 }, set[] = { 1, 2 };
	uint32_t comms[] = { 7224u << 16 | 7100, 65000u << 16 | 1 };
	Dxbgp__AsPathSegment s1 = DXBGP__AS_PATH_SEGMENT__INIT,
			     s2 = DXBGP__AS_PATH_SEGMENT__INIT;
	Dxbgp__AsPathSegment *segs[] = { &s1, &s2 };
	Dxbgp__LargeCommunity lc = DXBGP__LARGE_COMMUNITY__INIT,
			      *lcs[] = { &lc };
	ProtobufCBinaryData nhs[] = { { 4, nh1 }, { 4, nh2 } };
	Dxbgp__Route r = DXBGP__ROUTE__INIT;
	Dxbgp__Message m = DXBGP__MESSAGE__INIT, *out;

	s1.asns = asns;
	s1.n_asns = 2;
	s2.set = true;
	s2.asns = set;
	s2.n_asns = 2;
	lc.global_admin = 62610;
	lc.local1 = 1;
	lc.local2 = 2;
	r.seq = 1234567890123ull;
	r.afi = DXBGP__AFI__AFI_IPV4;
	r.prefix.data = pfx;
	r.prefix.len = 4;
	r.prefix_len = 16;
	r.action = DXBGP__ACTION__ADD;
	r.nexthops = nhs;
	r.n_nexthops = 2;
	r.as_path = segs;
	r.n_as_path = 2;
	r.origin = DXBGP__ORIGIN__INCOMPLETE;
	r.has_med = true;
	r.med = 0;
	r.local_pref = 200;
	r.communities = comms;
	r.n_communities = 2;
	r.large_communities = lcs;
	r.n_large_communities = 1;
	r.peer.data = peer;
	r.peer.len = 4;
	r.peer_asn = 45090;
	m.body_case = DXBGP__MESSAGE__BODY_ROUTE;
	m.route = &r;
	out = round_trip(&m);
	assert_int_equal(out->route->seq, r.seq);
	assert_int_equal(out->route->prefix_len, 16);
	assert_memory_equal(out->route->prefix.data, pfx, 4);
	assert_int_equal(out->route->n_nexthops, 2);
	assert_memory_equal(out->route->nexthops[1].data, nh2, 4);
	assert_int_equal(out->route->n_as_path, 2);
	assert_false(out->route->as_path[0]->set);
	assert_true(out->route->as_path[1]->set);
	assert_int_equal(out->route->as_path[0]->asns[1], 64512);
	assert_int_equal(out->route->origin, DXBGP__ORIGIN__INCOMPLETE);
	assert_true(out->route->has_med);
	assert_int_equal(out->route->local_pref, 200);
	assert_int_equal(out->route->communities[0], 7224u << 16 | 7100);
	assert_int_equal(out->route->large_communities[0]->local2, 2);
	assert_int_equal(out->route->peer_asn, 45090);
	frame_free(out);
}

/* The two-part encoding gives frame_pack's bytes, prefix by prefix. */
static void
test_route_in_two_parts(void **state)
{
	uint8_t p4[4] = { 198, 18, 7, 0 }, p6[16] = { 0x20, 0x01, 0x0d, 0xb8 },
		nh[4] = { 10, 0, 0, 1 }, peer[4] = { 10, 0, 0, 1 };
	uint32_t asns[] = { 64512, 7224 }, comms[] = { 7224u << 16 | 9300 };
	Dxbgp__AsPathSegment sg = DXBGP__AS_PATH_SEGMENT__INIT,
			     *segs[] = { &sg };
	ProtobufCBinaryData nhs[] = { { 4, nh } };
	Dxbgp__Route full = DXBGP__ROUTE__INIT, tail = DXBGP__ROUTE__INIT;
	Dxbgp__Message m = DXBGP__MESSAGE__INIT;
	uint8_t want[512], got[512], head[FRAME_ROUTE_HEAD_MAX], t[256];
	size_t wn, gn, hn, tn;
	struct {
		uint64_t seq;
		Dxbgp__Afi afi;
		uint8_t *pfx;
		size_t alen;
		uint32_t len;
		Dxbgp__Action action;
	} cases[] = {
		{ 0, DXBGP__AFI__AFI_IPV4, p4, 4, 24, DXBGP__ACTION__ADD },
		{ 300, DXBGP__AFI__AFI_IPV4, p4, 4, 24, DXBGP__ACTION__ADD },
		{ 1ull << 40, DXBGP__AFI__AFI_IPV6, p6, 16, 32,
		    DXBGP__ACTION__DELETE },
		{ 5, DXBGP__AFI__AFI_IPV4, p4, 4, 0, DXBGP__ACTION__DELETE },
	};

	sg.asns = asns;
	sg.n_asns = 2;
	tail.nexthops = nhs;
	tail.n_nexthops = 1;
	tail.as_path = segs;
	tail.n_as_path = 1;
	tail.origin = DXBGP__ORIGIN__EGP;
	tail.local_pref = 100;
	tail.communities = comms;
	tail.n_communities = 1;
	tail.peer.data = peer;
	tail.peer.len = 4;
	tail.peer_asn = 64512;
	tn = dxbgp__route__pack(&tail, t);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool add = cases[i].action == DXBGP__ACTION__ADD;

		full = add ? tail : (Dxbgp__Route)DXBGP__ROUTE__INIT;
		full.seq = cases[i].seq;
		full.afi = cases[i].afi;
		full.prefix.data = cases[i].pfx;
		full.prefix.len = cases[i].alen;
		full.prefix_len = cases[i].len;
		full.action = cases[i].action;
		m.body_case = DXBGP__MESSAGE__BODY_ROUTE;
		m.route = &full;
		wn = frame_pack(&m, want);
		hn = frame_route_head(head, cases[i].seq, cases[i].afi,
		    cases[i].pfx, cases[i].alen, cases[i].len, cases[i].action);
		assert_true(hn <= FRAME_ROUTE_HEAD_MAX);
		gn = frame_route_join(got, head, hn, t, add ? tn : 0);
		assert_int_equal(gn, wn);
		assert_memory_equal(got, want, wn);
	}
}

static void
test_other_messages(void **state)
{
	Dxbgp__Message m = DXBGP__MESSAGE__INIT, *out;
	Dxbgp__SnapshotBegin sb = DXBGP__SNAPSHOT_BEGIN__INIT;
	Dxbgp__SnapshotEnd se = DXBGP__SNAPSHOT_END__INIT;
	Dxbgp__Resume rs = DXBGP__RESUME__INIT;
	Dxbgp__Heartbeat hb = DXBGP__HEARTBEAT__INIT;
	Dxbgp__Error er = DXBGP__ERROR__INIT;
	Dxbgp__Subscribe su = DXBGP__SUBSCRIBE__INIT;
	Dxbgp__Afi afis[] = { DXBGP__AFI__AFI_IPV6 };
	uint8_t nb[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	ProtobufCBinaryData nbs[] = { { 16, nb } };

	sb.instance = 0xfeedfacecafebeefull;
	sb.seq = 7;
	m.body_case = DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN;
	m.snapshot_begin = &sb;
	out = round_trip(&m);
	assert_int_equal(out->snapshot_begin->instance, sb.instance);
	assert_int_equal(out->snapshot_begin->seq, 7);
	frame_free(out);

	se.seq = 7;
	se.routes = 1000000;
	m.body_case = DXBGP__MESSAGE__BODY_SNAPSHOT_END;
	m.snapshot_end = &se;
	out = round_trip(&m);
	assert_int_equal(out->snapshot_end->routes, 1000000);
	frame_free(out);

	rs.instance = 3;
	rs.from_seq = 99;
	m.body_case = DXBGP__MESSAGE__BODY_RESUME;
	m.resume = &rs;
	out = round_trip(&m);
	assert_int_equal(out->resume->from_seq, 99);
	frame_free(out);

	hb.instance = 3;
	hb.seq = 100;
	hb.time_ms = 1790000000000ull;
	m.body_case = DXBGP__MESSAGE__BODY_HEARTBEAT;
	m.heartbeat = &hb;
	out = round_trip(&m);
	assert_int_equal(out->heartbeat->time_ms, hb.time_ms);
	frame_free(out);

	er.reason = "unexpected route from a subscriber";
	m.body_case = DXBGP__MESSAGE__BODY_ERROR;
	m.error = &er;
	out = round_trip(&m);
	assert_string_equal(out->error->reason, er.reason);
	frame_free(out);

	su.name = "dxprog";
	su.afis = afis;
	su.n_afis = 1;
	su.neighbors = nbs;
	su.n_neighbors = 1;
	su.instance = 3;
	su.last_seq = 99;
	su.heartbeat_ms = 2000;
	m.body_case = DXBGP__MESSAGE__BODY_SUBSCRIBE;
	m.subscribe = &su;
	out = round_trip(&m);
	assert_string_equal(out->subscribe->name, "dxprog");
	assert_int_equal(out->subscribe->afis[0], DXBGP__AFI__AFI_IPV6);
	assert_memory_equal(out->subscribe->neighbors[0].data, nb, 16);
	assert_int_equal(out->subscribe->last_seq, 99);
	assert_int_equal(out->subscribe->heartbeat_ms, 2000);
	frame_free(out);
}

static void
test_varint_edges(void **state)
{
	uint8_t hdr[FRAME_HDR_MAX], buf[16];
	const uint8_t *body;
	size_t blen, used;

	assert_int_equal(frame_hdr(hdr, 0), 1);
	assert_int_equal(frame_hdr(hdr, 127), 1);
	assert_int_equal(frame_hdr(hdr, 128), 2);
	assert_int_equal(hdr[0], 0x80);
	assert_int_equal(hdr[1], 0x01);
	assert_int_equal(frame_hdr(hdr, 16383), 2);
	assert_int_equal(frame_hdr(hdr, 16384), 3);

	/* An empty body is a frame (an empty Message: no body). */
	buf[0] = 0;
	assert_int_equal(frame_get(buf, 1, 100, &body, &blen, &used), FRAME_OK);
	assert_int_equal(blen, 0);
	assert_int_equal(used, 1);
	/* Longer than max, before the body arrives. */
	frame_hdr(buf, 101);
	assert_int_equal(
	    frame_get(buf, 1, 100, &body, &blen, &used), FRAME_BAD);
	/* A varint that never ends. */
	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(
	    frame_get(buf, sizeof(buf), 1u << 30, &body, &blen, &used),
	    FRAME_BAD);
	/* ... and one that has not ended yet, under max so far. */
	assert_int_equal(
	    frame_get(buf, 2, 1u << 30, &body, &blen, &used), FRAME_MORE);
}

static void
test_unpack_refuses(void **state)
{
	/* Not protobuf; a Message with no body; an empty Route. */
	static const uint8_t junk[] = { 0xff, 0xff, 0xff };
	static const uint8_t empty[] = { 0 };
	static const uint8_t route0[] = { 0x1a, 0x00 };
	static const uint8_t field0[] = { 0x80, 0x00, 0x03, 0x32, 0x80, 0x00 };
	const char *why;

	assert_null(frame_unpack(junk, sizeof(junk), &why));
	assert_string_equal(why, "message: not a valid dxbgp.Message");
	assert_null(frame_unpack(empty, 0, &why));
	assert_string_equal(why, "message: no body");
	assert_null(frame_unpack(route0, sizeof(route0), &why));
	assert_string_equal(why, "route: unknown address family");
	/* Field number 0 in a long tag, which protobuf-c would take. */
	assert_null(frame_unpack(field0, sizeof(field0), &why));
	assert_string_equal(why, "message: a field numbered 0");
}

static void
test_route_checks(void **state)
{
	uint8_t p4[4] = { 10, 0, 0, 0 }, p6[16] = { 0x20, 0x01 },
		nh[4] = { 10, 0, 0, 1 }, bad[3] = { 0 };
	ProtobufCBinaryData nhs[] = { { 4, nh } }, badnh[] = { { 3, bad } };
	Dxbgp__Route r = DXBGP__ROUTE__INIT;

	r.afi = DXBGP__AFI__AFI_IPV4;
	r.prefix.data = p4;
	r.prefix.len = 4;
	r.prefix_len = 8;
	r.action = DXBGP__ACTION__ADD;
	r.nexthops = nhs;
	r.n_nexthops = 1;
	assert_null(frame_check_route(&r));

	r.prefix_len = 33;
	assert_string_equal(
	    frame_check_route(&r), "route: prefix length out of range");
	r.prefix_len = 4; /* 10.0.0.0/4 has host bits */
	assert_string_equal(
	    frame_check_route(&r), "route: host bits set in the prefix");
	r.prefix_len = 8;
	r.prefix.data = p6;
	r.prefix.len = 16;
	assert_string_equal(frame_check_route(&r),
	    "route: prefix length does not match its family");
	r.afi = DXBGP__AFI__AFI_IPV6;
	r.prefix_len = 16;
	assert_null(frame_check_route(&r));
	r.action = (Dxbgp__Action)7;
	assert_string_equal(frame_check_route(&r), "route: unknown action");
	r.action = DXBGP__ACTION__ADD;
	r.n_nexthops = 0;
	assert_string_equal(
	    frame_check_route(&r), "route: an ADD without next hops");
	r.action = DXBGP__ACTION__DELETE;
	assert_null(frame_check_route(&r));
	r.action = DXBGP__ACTION__ADD;
	r.nexthops = badnh;
	r.n_nexthops = 1;
	assert_string_equal(
	    frame_check_route(&r), "route: a next hop is not 4 or 16 bytes");
	r.nexthops = nhs;
	r.peer.data = bad;
	r.peer.len = 3;
	assert_string_equal(frame_check_route(&r),
	    "route: the peer address is not 4 or 16 bytes");
	r.peer.len = 0;
	r.origin = (Dxbgp__Origin)3;
	assert_string_equal(frame_check_route(&r), "route: unknown origin");
}

static void
test_subscribe_checks(void **state)
{
	Dxbgp__Subscribe s = DXBGP__SUBSCRIBE__INIT;
	Dxbgp__Afi afis[] = { (Dxbgp__Afi)9 };
	uint8_t a[5] = { 0 };
	ProtobufCBinaryData nb[] = { { 5, a } };
	char name[80];

	assert_null(frame_check_subscribe(&s));
	s.afis = afis;
	s.n_afis = 1;
	assert_string_equal(
	    frame_check_subscribe(&s), "subscribe: unknown address family");
	s.n_afis = 0;
	s.neighbors = nb;
	s.n_neighbors = 1;
	assert_string_equal(frame_check_subscribe(&s),
	    "subscribe: a neighbor is not 4 or 16 bytes");
	s.n_neighbors = 0;
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	s.name = name;
	assert_string_equal(frame_check_subscribe(&s),
	    "subscribe: name longer than 64 characters");
}

/* Messages decoded in an arena, one after the other, one too big for it. */
static void
test_arena(void **state)
{
	static uint32_t comms[20000];
	uint8_t pfx[4] = { 10, 0, 0, 0 }, nh[4] = { 10, 0, 0, 1 };
	ProtobufCBinaryData nhs[] = { { 4, nh } };
	Dxbgp__Route r = DXBGP__ROUTE__INIT;
	Dxbgp__Message m = DXBGP__MESSAGE__INIT, *out;
	struct frame_arena a;
	static uint8_t buf[200000];
	const uint8_t *body;
	size_t n, blen, used;
	const char *why;

	for (size_t i = 0; i < 20000; i++)
		comms[i] = (uint32_t)i;
	r.afi = DXBGP__AFI__AFI_IPV4;
	r.prefix.data = pfx;
	r.prefix.len = 4;
	r.prefix_len = 8;
	r.action = DXBGP__ACTION__ADD;
	r.nexthops = nhs;
	r.n_nexthops = 1;
	m.body_case = DXBGP__MESSAGE__BODY_ROUTE;
	m.route = &r;
	frame_arena_init(&a);
	for (int round = 0; round < 3; round++)
		for (size_t k = 0; k < 100; k++) {
			/* every 50th has 20000 communities: 80 KB decoded */
			r.n_communities = k % 50 == 49 ? 20000 : k % 7;
			r.communities = comms;
			r.seq = k + 1;
			n = frame_pack(&m, buf);
			assert_int_equal(
			    frame_get(buf, n, sizeof(buf), &body, &blen, &used),
			    FRAME_OK);
			out = frame_unpack_in(&a, body, blen, &why);
			assert_non_null(out);
			assert_int_equal(out->route->seq, k + 1);
			assert_int_equal(
			    out->route->n_communities, r.n_communities);
			if (r.n_communities > 0)
				assert_int_equal(
				    out->route
					->communities[r.n_communities - 1],
				    r.n_communities - 1);
		}
	/* A refused one leaves the arena usable. */
	assert_null(frame_unpack_in(&a, (const uint8_t *)"\xff\xff", 2, &why));
	frame_arena_clean(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_round_trip),
		cmocka_unit_test(test_route_in_two_parts),
		cmocka_unit_test(test_other_messages),
		cmocka_unit_test(test_varint_edges),
		cmocka_unit_test(test_unpack_refuses),
		cmocka_unit_test(test_route_checks),
		cmocka_unit_test(test_subscribe_checks),
		cmocka_unit_test(test_arena),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
