/*
 * test_attrs.c: interning of path attributes (rib/attrs.c)
 * through its public API, with rib_int.h where the inside must be
 * seen; built from the files of rib/ and the wire codec.  Shared
 * helpers are in rib_test.h / rib_test.c.
 *
 * Equal keys share one set, any field tells sets apart, the last unref
 * frees, decoded attributes round-trip to the wire.
 *
 * One argument runs only the tests matching it.
 */

#include "rib_test.h"

static void
kb_ecomm(struct kb *b, uint32_t hi, uint32_t lo)
{
	assert_true(b->k.ecomm_len + 8u <= sizeof(b->ecomm));
	put32(b->ecomm + b->k.ecomm_len, hi);
	put32(b->ecomm + b->k.ecomm_len + 4, lo);
	b->k.ecomm_len += 8;
}

/* ==== 1. interning ==== */

/* A key with every field set. */
static void
kb_full(struct kb *b)
{
	kb_init(b, BGP_ORIGIN_EGP, IP4(192, 0, 2, 1));
	kb_seg(b, BGP_SEG_SEQUENCE, 2, AS_AWS, AS_CUST);
	kb_seg(b, BGP_SEG_SET, 2, 65010u, 65011u);
	kb_med(b, 50);
	kb_lp(b, 150);
	kb_oid(b, IP4(10, 1, 0, 9));
	kb_aggr(b, AS_AWS, IP4(10, 0, 1, 1));
	b->k.flags |= RIB_A_ATOMIC_AGGR;
	kb_comm(b, 65000u << 16 | 1);
	kb_comm(b, 65000u << 16 | 2);
	kb_lcomm(b, AS_OURS, 1, 2);
	kb_ecomm(b, 0x00020000u | (AS_OURS >> 16), AS_OURS << 16 | 7);
	kb_cluster(b, IP4(10, 1, 0, 1));
	kb_unknown(b, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE, 99, 3, 0xab);
}

/* Each changes one field of a full key. */
static void
mut_flags(struct kb *b)
{
	b->k.flags &= (uint16_t)~RIB_A_ATOMIC_AGGR;
}
static void
mut_origin(struct kb *b)
{
	b->k.origin = BGP_ORIGIN_INCOMPLETE;
}
static void
mut_nh_len(struct kb *b)
{
	b->k.nh_len = 16; /* the same first four octets */
}
static void
mut_nexthop(struct kb *b)
{
	b->k.nexthop[3] ^= 1;
}
static void
mut_med(struct kb *b)
{
	b->k.med++;
}
static void
mut_lp(struct kb *b)
{
	b->k.local_pref++;
}
static void
mut_oid(struct kb *b)
{
	b->k.originator_id++;
}
static void
mut_aggr_as(struct kb *b)
{
	b->k.aggr_as++;
}
static void
mut_aggr_addr(struct kb *b)
{
	b->k.aggr_addr++;
}
static void
mut_aspath(struct kb *b)
{
	b->path[5] ^= 1;
}
static void
mut_aspath_len(struct kb *b)
{
	kb_seg(b, BGP_SEG_SEQUENCE, 1, AS_AWS);
}
static void
mut_comm(struct kb *b)
{
	b->comm[7] ^= 1;
}
static void
mut_comm_len(struct kb *b)
{
	b->k.comm_len -= 4;
}
static void
mut_lcomm(struct kb *b)
{
	b->lcomm[11] ^= 1;
}
static void
mut_lcomm_len(struct kb *b)
{
	kb_lcomm(b, 1, 2, 3);
}
static void
mut_ecomm(struct kb *b)
{
	b->ecomm[7] ^= 1;
}
static void
mut_ecomm_len(struct kb *b)
{
	kb_ecomm(b, 1, 2);
}
static void
mut_cluster(struct kb *b)
{
	b->cluster[3] ^= 1;
}
static void
mut_cluster_len(struct kb *b)
{
	kb_cluster(b, 7);
}
static void
mut_unknown(struct kb *b)
{
	b->unknown[3] ^= 1;
}
static void
mut_unknown_len(struct kb *b)
{
	kb_unknown(b, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE, 100, 1, 0);
}

static void (*const mutations[])(struct kb *) = {
	mut_flags,
	mut_origin,
	mut_nh_len,
	mut_nexthop,
	mut_med,
	mut_lp,
	mut_oid,
	mut_aggr_as,
	mut_aggr_addr,
	mut_aspath,
	mut_aspath_len,
	mut_comm,
	mut_comm_len,
	mut_lcomm,
	mut_lcomm_len,
	mut_ecomm,
	mut_ecomm_len,
	mut_cluster,
	mut_cluster_len,
	mut_unknown,
	mut_unknown_len,
};
#define NMUT (sizeof(mutations) / sizeof(mutations[0]))

static void
test_attrs_intern(void **state)
{
	struct rib *r = rib_make();
	struct rib_attrs_stats s0, s;
	struct kb b1, b2, v;
	struct rib_attrs_key k;
	struct rib_attrs *a, *a2, *var[NMUT], *c;
	size_t i, j;

	rib_attrs_stats(r, &s0);
	assert_int_equal(s0.sets, 0);
	assert_int_equal(s0.bytes, 0);

	/* The same key twice, from two sets of buffers: one set. */
	kb_full(&b1);
	kb_full(&b2);
	a = kb_intern(r, &b1);
	a2 = kb_intern(r, &b2);
	assert_ptr_equal(a, a2);
	assert_int_equal(a->refcnt, 2);
	assert_int_equal(a->flags, b1.k.flags);
	assert_int_equal(a->origin, BGP_ORIGIN_EGP);
	assert_int_equal(a->med, 50);
	assert_int_equal(a->local_pref, 150);
	assert_int_equal(a->aspath_hops, 3); /* a set counts one */
	assert_int_equal(a->first_as, AS_AWS);
	assert_int_equal(a->aspath_len, b1.k.aspath_len);
	assert_memory_equal(rib_attrs_aspath(a), b1.path, b1.k.aspath_len);
	assert_memory_equal(rib_attrs_comm(a), b1.comm, b1.k.comm_len);
	assert_memory_equal(rib_attrs_lcomm(a), b1.lcomm, b1.k.lcomm_len);
	assert_memory_equal(rib_attrs_ecomm(a), b1.ecomm, b1.k.ecomm_len);
	assert_memory_equal(rib_attrs_cluster(a), b1.cluster, b1.k.cluster_len);
	assert_memory_equal(rib_attrs_unknown(a), b1.unknown, b1.k.unknown_len);
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, 1);
	assert_int_equal(s.refs, 2);
	assert_true(s.bytes > 0);

	/* Any one field different: another set, each distinct. */
	for (i = 0; i < NMUT; i++) {
		kb_full(&v);
		mutations[i](&v);
		var[i] = kb_intern(r, &v);
		if (var[i] == a)
			fail_msg("mutation %zu gives the same set", i);
		assert_int_equal(var[i]->refcnt, 1);
		for (j = 0; j < i; j++)
			if (var[i] == var[j])
				fail_msg(
				    "mutations %zu and %zu: one set", j, i);
	}
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, 1 + NMUT);

	/* The same octets split differently between arrays: not equal. */
	kb_init(&b1, BGP_ORIGIN_IGP, 0);
	kb_comm(&b1, 0x01020304);
	kb_init(&b2, BGP_ORIGIN_IGP, 0);
	kb_cluster(&b2, 0x01020304);
	c = kb_intern(r, &b1);
	a2 = kb_intern(r, &b2);
	assert_ptr_not_equal(c, a2);
	rib_attrs_unref(r, c);
	rib_attrs_unref(r, a2);

	/* A key of a set gives the set back; changed, another one. */
	rib_attrs_key_of(a, &k);
	assert_ptr_equal(rib_attrs_intern(r, &k), a);
	assert_int_equal(a->refcnt, 3);
	rib_attrs_unref(r, a);
	for (i = 0; i < NMUT; i++) {
		rib_attrs_key_of(var[i], &k);
		assert_ptr_equal(rib_attrs_intern(r, &k), var[i]);
		assert_int_equal(var[i]->refcnt, 2);
		rib_attrs_unref(r, var[i]);
	}
	rib_attrs_key_of(a, &k);
	k.med = 51;
	c = rib_attrs_intern(r, &k);
	assert_ptr_not_equal(c, a);
	assert_int_equal(a->med, 50); /* the original is untouched */
	rib_attrs_unref(r, c);

	/* Unref to zero frees: the stats are back where they started. */
	for (i = 0; i < NMUT; i++)
		rib_attrs_unref(r, var[i]);
	rib_attrs_unref(r, a);
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, 1);
	assert_int_equal(s.refs, 1);
	rib_attrs_unref(r, a);
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, s0.sets);
	assert_int_equal(s.bytes, s0.bytes);
	assert_int_equal(s.refs, 0);
	rib_free(r);
}

/* Many sets: the hash table grows and finds every one again. */
static void
test_attrs_many(void **state)
{
	enum { N = 20000 };
	struct rib *r = rib_make();
	struct rib_attrs **v = calloc(N, sizeof(*v));
	struct rib_attrs_stats s;
	struct kb b;
	size_t i;

	assert_non_null(v);
	for (i = 0; i < N; i++) {
		kb_init(&b, BGP_ORIGIN_IGP, IP4(10, 0, 0, 1));
		kb_seg(&b, BGP_SEG_SEQUENCE, 2, AS_AWS, (uint32_t)(100000 + i));
		v[i] = kb_intern(r, &b);
	}
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, N);
	assert_true(s.buckets >= N / 2);
	for (i = 0; i < N; i++) {
		kb_init(&b, BGP_ORIGIN_IGP, IP4(10, 0, 0, 1));
		kb_seg(&b, BGP_SEG_SEQUENCE, 2, AS_AWS, (uint32_t)(100000 + i));
		assert_ptr_equal(kb_intern(r, &b), v[i]);
		assert_int_equal(v[i]->refcnt, 2);
	}
	for (i = 0; i < N; i++) {
		rib_attrs_unref(r, v[i]);
		rib_attrs_unref(r, v[i]);
	}
	rib_attrs_stats(r, &s);
	assert_int_equal(s.sets, 0);
	assert_int_equal(s.bytes, 0);
	assert_int_equal(s.refs, 0);
	free(v);
	rib_free(r);
}

static size_t
hex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned int v;

	while (*s != '\0') {
		if (*s == ' ' || *s == '|') {
			s++;
			continue;
		}
		assert_int_equal(sscanf(s, "%2x", &v), 1);
		assert_true(n < cap);
		out[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/*
 * Decoded attributes to a key and back to the wire.  The unknown
 * transitive attributes come back with Partial set; the unknown
 * non-transitive one is dropped by the decoder.
 */
static void
test_attrs_wire(void **state)
{
	static const char in4[] =
	    "40 01 01 00 "                         /* ORIGIN IGP */
	    "40 02 0a 02 02 0000fc00 0000fde9 "    /* AS_PATH 64512 65001 */
	    "40 03 04 c0000201 "                   /* NEXT_HOP 192.0.2.1 */
	    "80 04 04 00000007 "                   /* MED 7 */
	    "c0 08 08 fde80001 ffffff01 "          /* 65000:1 NO_EXPORT */
	    "c0 20 0c 0000f492 00000001 00000002 " /* LARGE 62610:1:2 */
	    "c0 63 03 aabbcc "                     /* unknown 99 */
	    "80 64 02 0102 "                       /* unknown 100, non-tr. */
	    "d0 65 012c ";                         /* unknown 101, 300 octets */
	static const char out4[] =
	    "40 01 01 00 40 02 0a 02 02 0000fc00 0000fde9 40 03 04 c0000201 "
	    "80 04 04 00000007 c0 08 08 fde80001 ffffff01 "
	    "c0 20 0c 0000f492 00000001 00000002 "
	    "e0 63 03 aabbcc " /* Partial set */
	    "f0 65 012c ";
	static const char want_unknown[] = "e0 63 03 aabbcc f0 65 012c";
	struct wire_ctx ctx = { .as4 = true };
	struct wire_attrs w, w2;
	struct wire_err err;
	struct rib_attrs_key k;
	struct rib_attrs *a, *a2;
	struct rib *r = rib_make();
	uint8_t *scratch = malloc(WIRE_SCRATCH_LEN);
	uint8_t *ubuf = malloc(65536);
	uint8_t sec[1024], want[1024], out[1024], u[400];
	size_t n, un, wn, on;

	assert_non_null(scratch);
	assert_non_null(ubuf);
	ctx.scratch = scratch;
	n = hex(in4, sec, sizeof(sec));
	memset(sec + n, 0x5a, 300);
	n += 300;
	assert_int_equal(
	    wire_attrs_decode(&ctx, sec, n, true, &w, &err), WIRE_OK);
	assert_int_equal(w.n_unknown, 2);

	rib_attrs_key_from_wire(&w, BGP_AFI_IPV4, &k, ubuf);
	assert_int_equal(k.nh_len, 4);
	assert_int_equal(get32(k.nexthop), IP4(192, 0, 2, 1));
	assert_int_equal(k.flags, RIB_A_ASPATH | RIB_A_MED);
	assert_int_equal(k.med, 7);
	assert_int_equal(k.origin, BGP_ORIGIN_IGP);
	assert_int_equal(k.aspath_len, 10);
	assert_int_equal(k.comm_len, 8);
	assert_int_equal(k.lcomm_len, 12);
	un = hex(want_unknown, u, sizeof(u));
	memset(u + un, 0x5a, 300);
	un += 300;
	assert_int_equal(k.unknown_len, un);
	assert_memory_equal(k.unknown, u, un);
	a = rib_attrs_intern(r, &k);
	assert_int_equal(a->aspath_hops, 2);
	assert_int_equal(a->first_as, AS_AWS);

	/* Back to the wire: the same section but for the dropped one. */
	rib_attrs_to_wire(a, &w2);
	on = wire_attrs_encode(&w2, true, out, sizeof(out));
	wn = hex(out4, want, sizeof(want));
	memset(want + wn, 0x5a, 300);
	wn += 300;
	assert_int_equal(on, wn);
	assert_memory_equal(out, want, wn);
	/* ... which decodes to the same set. */
	assert_int_equal(
	    wire_attrs_decode(&ctx, out, on, true, &w, &err), WIRE_OK);
	rib_attrs_key_from_wire(&w, BGP_AFI_IPV4, &k, ubuf);
	a2 = rib_attrs_intern(r, &k);
	assert_ptr_equal(a2, a);
	rib_attrs_unref(r, a2);
	rib_attrs_unref(r, a);

	/* IPv6: the next hop of MP_REACH_NLRI, global and link-local. */
	n = hex("40 01 01 02 "
		"40 02 06 02 01 0000b022 "
		"90 0e 002a 0002 01 20 "
		"20010db8000000000000000000000001 "
		"fe800000000000000000000000000001 "
		"00 20 20010db8 ",
	    sec, sizeof(sec));
	assert_int_equal(
	    wire_attrs_decode(&ctx, sec, n, false, &w, &err), WIRE_OK);
	rib_attrs_key_from_wire(&w, BGP_AFI_IPV6, &k, ubuf);
	assert_int_equal(k.nh_len, 32);
	assert_int_equal(k.nexthop[0], 0x20);
	assert_int_equal(k.nexthop[16], 0xfe);
	assert_int_equal(k.nexthop[31], 0x01);
	assert_int_equal(k.origin, BGP_ORIGIN_INCOMPLETE);
	assert_int_equal(k.unknown_len, 0);
	a = rib_attrs_intern(r, &k);
	assert_int_equal(a->first_as, AS_TENC);
	/* No NEXT_HOP and no MP attribute on the way out. */
	rib_attrs_to_wire(a, &w2);
	assert_false(w2.have & WIRE_HAVE(BGP_ATTR_NEXT_HOP));
	on = wire_attrs_encode(&w2, true, out, sizeof(out));
	wn = hex("40 01 01 02 40 02 06 02 01 0000b022", want, sizeof(want));
	assert_int_equal(on, wn);
	assert_memory_equal(out, want, wn);
	rib_attrs_unref(r, a);

	free(scratch);
	free(ubuf);
	rib_free(r);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attrs_intern),
		cmocka_unit_test(test_attrs_many),
		cmocka_unit_test(test_attrs_wire),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]); /* e.g. "test_out_*" */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
