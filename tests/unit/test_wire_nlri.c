/*
 * test_wire_nlri.c: unit tests of the NLRI codec (wire_nlri.c).
 *
 * Prefixes are written by hand in the encoding of RFC 4271 §4.3 (a
 * length octet, then as few octets as hold that many bits), RFC 4760 §5
 * for IPv6, with the 4-octet path identifier of RFC 7911 §3 in front
 * when ADD-PATH is in use.  Each vector is decoded and checked field by
 * field, then encoded again and compared byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <dxbgp/wire.h>

#include "hex.h"

/* Assertions that name the table entry being checked. */
#define VEC_INT(name, got, want)                                               \
	do {                                                                   \
		long long got_ = (long long)(got);                             \
		long long want_ = (long long)(want);                           \
		if (got_ != want_)                                             \
			fail_msg("%s: %s is %lld, expected %lld", (name),      \
			    #got, got_, want_);                                \
	} while (0)

#define VEC_MEM(name, got, gotlen, want, wantlen)                              \
	vec_mem((name), #got, __LINE__, (got), (gotlen), (want), (wantlen))

static void
vec_mem(const char *name, const char *what, int line, const uint8_t *got,
    size_t gotlen, const uint8_t *want, size_t wantlen)
{
	size_t i;

	if (gotlen != wantlen)
		fail_msg("%s (line %d): %s has %zu octets, expected %zu", name,
		    line, what, gotlen, wantlen);
	for (i = 0; i < gotlen; i++)
		if (got[i] != want[i])
			fail_msg("%s (line %d): %s octet %zu is %02x, "
				 "expected %02x",
			    name, line, what, i, got[i], want[i]);
}

/* The 16 octets of wire_prefix.addr; an IPv4 address is padded. */
static void
addr16(const char *s, uint8_t out[16])
{
	memset(out, 0, 16);
	hex_decode(s, out, 16);
}

/* ---- prefixes of every interesting length ---- */

struct pfx_vec {
	const char *name;
	uint16_t afi;
	bool addpath;
	const char *wire;
	uint8_t len;
	uint32_t path_id;
	const char *addr;
};

/* clang-format off */
#define V4(n, w, l, a) { n, BGP_AFI_IPV4, false, w, l, 0, a }
#define V4P(n, id, w, l, a) { n, BGP_AFI_IPV4, true, w, l, id, a }
#define V6(n, w, l, a) { n, BGP_AFI_IPV6, false, w, l, 0, a }
#define V6P(n, id, w, l, a) { n, BGP_AFI_IPV6, true, w, l, id, a }
/* clang-format on */

static const struct pfx_vec pfx_vecs[] = {
	V4("0.0.0.0/0", "00", 0, "00000000"),
	V4("128.0.0.0/1", "01 80", 1, "80000000"),
	V4("254.0.0.0/7", "07 fe", 7, "fe000000"),
	V4("10.0.0.0/8", "08 0a", 8, "0a000000"),
	V4("10.128.0.0/9", "09 0a80", 9, "0a800000"),
	V4("192.0.2.0/24", "18 c00002", 24, "c0000200"),
	V4("192.0.2.128/25", "19 c0000280", 25, "c0000280"),
	V4("192.0.2.1/32", "20 c0000201", 32, "c0000201"),
	V4("255.255.255.255/32", "20 ffffffff", 32, "ffffffff"),

	V4P("0.0.0.0/0 path 1", 1, "00000001 00", 0, "00000000"),
	V4P("128.0.0.0/1 path 2", 2, "00000002 01 80", 1, "80000000"),
	V4P("254.0.0.0/7 path 0", 0, "00000000 07 fe", 7, "fe000000"),
	V4P("10.0.0.0/8 path 0x12345678", 0x12345678, "12345678 08 0a", 8,
	    "0a000000"),
	V4P("10.128.0.0/9 path 7", 7, "00000007 09 0a80", 9, "0a800000"),
	V4P("192.0.2.0/24 path 0xffffffff", 0xffffffff, "ffffffff 18 c00002",
	    24, "c0000200"),
	V4P("192.0.2.128/25 path 256", 256, "00000100 19 c0000280", 25,
	    "c0000280"),
	V4P("192.0.2.1/32 path 65536", 65536, "00010000 20 c0000201", 32,
	    "c0000201"),

	V6("::/0", "00", 0, ""),
	V6("8000::/1", "01 80", 1, "80"),
	V6("fc00::/7", "07 fc", 7, "fc"),
	V6("ff00::/8", "08 ff", 8, "ff"),
	V6("2080::/9", "09 2080", 9, "2080"),
	V6("2001:d00::/24", "18 20010d", 24, "20010d"),
	V6("2001:d80::/25", "19 20010d80", 25, "20010d80"),
	V6("2001:db8::/32", "20 20010db8", 32, "20010db8"),
	V6("2001:db8:1:2::/64", "40 20010db8 00010002", 64,
	    "20010db8 00010002"),
	V6("2001:db8::ffff:fffe/127", "7f 20010db8 00000000 00000000 fffffffe",
	    127, "20010db8 00000000 00000000 fffffffe"),
	V6("2001:db8::1/128", "80 20010db8 00000000 00000000 00000001", 128,
	    "20010db8 00000000 00000000 00000001"),

	V6P("::/0 path 1", 1, "00000001 00", 0, ""),
	V6P("8000::/1 path 2", 2, "00000002 01 80", 1, "80"),
	V6P("fc00::/7 path 3", 3, "00000003 07 fc", 7, "fc"),
	V6P("ff00::/8 path 4", 4, "00000004 08 ff", 8, "ff"),
	V6P("2080::/9 path 5", 5, "00000005 09 2080", 9, "2080"),
	V6P("2001:d00::/24 path 6", 6, "00000006 18 20010d", 24, "20010d"),
	V6P("2001:d80::/25 path 7", 7, "00000007 19 20010d80", 25, "20010d80"),
	V6P("2001:db8::/32 path 8", 8, "00000008 20 20010db8", 32, "20010db8"),
	V6P("2001:db8:1:2::/64 path 0xdeadbeef", 0xdeadbeef,
	    "deadbeef 40 20010db8 00010002", 64, "20010db8 00010002"),
	V6P("2001:db8::ffff:fffe/127 path 0", 0,
	    "00000000 7f 20010db8 00000000 00000000 fffffffe", 127,
	    "20010db8 00000000 00000000 fffffffe"),
	V6P("2001:db8::1/128 path 0xffffffff", 0xffffffff,
	    "ffffffff 80 20010db8 00000000 00000000 00000001", 128,
	    "20010db8 00000000 00000000 00000001"),
};

#define N_PFX (sizeof(pfx_vecs) / sizeof(*pfx_vecs))

static void
test_prefix_decode(void **state)
{
	const struct pfx_vec *v;
	uint8_t wire[32], addr[16];
	size_t n;
	struct wire_nlri_iter it;
	struct wire_prefix pfx;

	(void)state;
	for (v = pfx_vecs; v < pfx_vecs + N_PFX; v++) {
		n = hex_decode(v->wire, wire, sizeof(wire));
		addr16(v->addr, addr);
		VEC_INT(
		    v->name, wire_nlri_check(wire, n, v->afi, v->addpath), 1);

		wire_nlri_iter_init(&it, wire, n, v->afi, v->addpath);
		memset(&pfx, 0xaa, sizeof(pfx));
		VEC_INT(v->name, wire_nlri_next(&it, &pfx), 1);
		VEC_INT(v->name, pfx.afi, v->afi);
		VEC_INT(v->name, pfx.len, v->len);
		VEC_INT(v->name, pfx.path_id, v->path_id);
		VEC_MEM(v->name, pfx.addr, sizeof(pfx.addr), addr, 16);
		VEC_INT(v->name, wire_nlri_next(&it, &pfx), 0);
	}
}

static void
test_prefix_encode(void **state)
{
	const struct pfx_vec *v;
	uint8_t wire[32], out[32];
	size_t n, i;
	struct wire_prefix pfx;

	(void)state;
	for (v = pfx_vecs; v < pfx_vecs + N_PFX; v++) {
		n = hex_decode(v->wire, wire, sizeof(wire));
		memset(&pfx, 0, sizeof(pfx));
		pfx.afi = v->afi;
		pfx.len = v->len;
		pfx.path_id = v->path_id;
		addr16(v->addr, pfx.addr);

		VEC_INT(v->name, wire_nlri_size(&pfx, v->addpath), n);
		memset(out, 0xcc, sizeof(out));
		VEC_INT(v->name, wire_nlri_encode(&pfx, v->addpath, out, n), n);
		VEC_MEM(v->name, out, n, wire, n);
		VEC_INT(v->name, out[n], 0xcc);

		/* One octet short: nothing is written. */
		memset(out, 0xcc, sizeof(out));
		VEC_INT(
		    v->name, wire_nlri_encode(&pfx, v->addpath, out, n - 1), 0);
		for (i = 0; i < sizeof(out); i++)
			VEC_INT(v->name, out[i], 0xcc);
	}
}

/* Decode then encode gives the same octets. */
static void
test_prefix_roundtrip(void **state)
{
	const struct pfx_vec *v;
	uint8_t wire[32], out[32];
	size_t n;
	struct wire_nlri_iter it;
	struct wire_prefix pfx;

	(void)state;
	for (v = pfx_vecs; v < pfx_vecs + N_PFX; v++) {
		n = hex_decode(v->wire, wire, sizeof(wire));
		wire_nlri_iter_init(&it, wire, n, v->afi, v->addpath);
		VEC_INT(v->name, wire_nlri_next(&it, &pfx), 1);
		VEC_INT(v->name,
		    wire_nlri_encode(&pfx, v->addpath, out, sizeof(out)), n);
		VEC_MEM(v->name, out, n, wire, n);
	}
}

/* A whole field: every prefix of one kind, back to back. */
static void
test_field_roundtrip(void **state)
{
	static const struct {
		const char *name;
		uint16_t afi;
		bool addpath;
	} kinds[] = {
		{ "IPv4", BGP_AFI_IPV4, false },
		{ "IPv4 ADD-PATH", BGP_AFI_IPV4, true },
		{ "IPv6", BGP_AFI_IPV6, false },
		{ "IPv6 ADD-PATH", BGP_AFI_IPV6, true },
	};
	const struct pfx_vec *v, *want[N_PFX];
	uint8_t field[512], out[512], addr[16];
	size_t k, n, outlen, count, i;
	const char *name;
	struct wire_nlri_iter it;
	struct wire_prefix pfx;

	(void)state;
	for (k = 0; k < sizeof(kinds) / sizeof(*kinds); k++) {
		name = kinds[k].name;
		n = 0;
		count = 0;
		for (v = pfx_vecs; v < pfx_vecs + N_PFX; v++) {
			if (v->afi != kinds[k].afi ||
			    v->addpath != kinds[k].addpath)
				continue;
			n += hex_decode(v->wire, field + n, sizeof(field) - n);
			want[count++] = v;
		}
		VEC_INT(name,
		    wire_nlri_check(field, n, kinds[k].afi, kinds[k].addpath),
		    count);

		wire_nlri_iter_init(
		    &it, field, n, kinds[k].afi, kinds[k].addpath);
		outlen = 0;
		for (i = 0; i < count; i++) {
			VEC_INT(want[i]->name, wire_nlri_next(&it, &pfx), 1);
			VEC_INT(want[i]->name, pfx.len, want[i]->len);
			VEC_INT(want[i]->name, pfx.path_id, want[i]->path_id);
			addr16(want[i]->addr, addr);
			VEC_MEM(want[i]->name, pfx.addr, 16, addr, 16);
			outlen += wire_nlri_encode(&pfx, kinds[k].addpath,
			    out + outlen, sizeof(out) - outlen);
		}
		VEC_INT(name, wire_nlri_next(&it, &pfx), 0);
		VEC_MEM(name, out, outlen, field, n);
	}
}

/* ---- host bits past the length are cleared ---- */

static const struct {
	const char *name;
	uint16_t afi;
	bool addpath;
	const char *wire;
	uint8_t len;
	const char *addr;  /* what the iterator returns */
	const char *clean; /* what the encoder writes back */
} host_vecs[] = {
	{ "IPv4 /1 from ff", BGP_AFI_IPV4, false, "01 ff", 1, "80", "01 80" },
	{ "IPv4 /7 from ff", BGP_AFI_IPV4, false, "07 ff", 7, "fe", "07 fe" },
	{ "IPv4 /9 from 0aff", BGP_AFI_IPV4, false, "09 0aff", 9, "0a80",
	    "09 0a80" },
	{ "IPv4 /23 from 192.0.3.0, path 10", BGP_AFI_IPV4, true,
	    "0000000a 17 c00003", 23, "c00002", "0000000a 17 c00002" },
	{ "IPv4 /25 from 192.0.2.255", BGP_AFI_IPV4, false, "19 c00002ff", 25,
	    "c0000280", "19 c0000280" },
	{ "IPv4 /31 from 192.0.2.255", BGP_AFI_IPV4, false, "1f c00002ff", 31,
	    "c00002fe", "1f c00002fe" },
	{ "IPv6 /65 from ..:ff", BGP_AFI_IPV6, false, "41 20010db8 00010002 ff",
	    65, "20010db8 00010002 80", "41 20010db8 00010002 80" },
	{ "IPv6 /127 from ..:ffff", BGP_AFI_IPV6, true,
	    "00000001 7f 20010db8 00000000 00000000 ffffffff", 127,
	    "20010db8 00000000 00000000 fffffffe",
	    "00000001 7f 20010db8 00000000 00000000 fffffffe" },
};

static void
test_host_bits_cleared(void **state)
{
	uint8_t wire[32], clean[32], addr[16], out[32];
	size_t i, n, cn;
	const char *name;
	struct wire_nlri_iter it;
	struct wire_prefix pfx;

	(void)state;
	for (i = 0; i < sizeof(host_vecs) / sizeof(*host_vecs); i++) {
		name = host_vecs[i].name;
		n = hex_decode(host_vecs[i].wire, wire, sizeof(wire));
		cn = hex_decode(host_vecs[i].clean, clean, sizeof(clean));
		addr16(host_vecs[i].addr, addr);

		wire_nlri_iter_init(
		    &it, wire, n, host_vecs[i].afi, host_vecs[i].addpath);
		memset(&pfx, 0xaa, sizeof(pfx));
		VEC_INT(name, wire_nlri_next(&it, &pfx), 1);
		VEC_INT(name, pfx.len, host_vecs[i].len);
		VEC_MEM(name, pfx.addr, 16, addr, 16);
		VEC_INT(name,
		    wire_nlri_encode(
			&pfx, host_vecs[i].addpath, out, sizeof(out)),
		    cn);
		VEC_MEM(name, out, cn, clean, cn);
	}
}

/* ---- whole fields: counts and malformed ones ---- */

static const struct {
	const char *name;
	uint16_t afi;
	bool addpath;
	const char *wire;
	long count; /* -1: malformed */
} check_vecs[] = {
	{ "empty IPv4 field", BGP_AFI_IPV4, false, "", 0 },
	{ "empty IPv6 field with ADD-PATH", BGP_AFI_IPV6, true, "", 0 },
	{ "three IPv4 prefixes", BGP_AFI_IPV4, false,
	    "18 c00002 | 20 c0000201 | 00", 3 },
	{ "two IPv6 prefixes", BGP_AFI_IPV6, false,
	    "20 20010db8 | 80 20010db8 00000000 00000000 00000001", 2 },
	{ "two IPv4 prefixes with path ids", BGP_AFI_IPV4, true,
	    "00000001 18 c00002 | 00000002 18 c00002", 2 },
	{ "IPv6 /33 (too long only for IPv4)", BGP_AFI_IPV6, false,
	    "21 20010db8 80", 1 },

	/* Prefix length past the family's bound. */
	{ "IPv4 /33", BGP_AFI_IPV4, false, "21 c0000201 00", -1 },
	{ "IPv4 /255", BGP_AFI_IPV4, false, "ff c0000201", -1 },
	{ "IPv4 /32, then /33", BGP_AFI_IPV4, false,
	    "20 c0000201 | 21 c0000201 00", -1 },
	{ "IPv4 /33 with a path id", BGP_AFI_IPV4, true,
	    "00000001 21 c0000201 00", -1 },
	{ "IPv6 /129", BGP_AFI_IPV6, false,
	    "81 20010db8 00000000 00000000 00000001 80", -1 },
	{ "IPv6 /129 with a path id", BGP_AFI_IPV6, true,
	    "00000001 81 20010db8 00000000 00000000 00000001 80", -1 },

	/* Prefixes running past the field. */
	{ "IPv4 /1 without its octet", BGP_AFI_IPV4, false, "01", -1 },
	{ "IPv4 /24 with 2 octets", BGP_AFI_IPV4, false, "18 c000", -1 },
	{ "IPv4 /32 with 3 octets", BGP_AFI_IPV4, false, "20 c00002", -1 },
	{ "IPv4 /24, then a /24 cut short", BGP_AFI_IPV4, false,
	    "18 c00002 | 18 c6", -1 },
	{ "IPv6 /64 with 7 octets", BGP_AFI_IPV6, false, "40 20010db8 000100",
	    -1 },
	{ "IPv6 /128 with 15 octets", BGP_AFI_IPV6, false,
	    "80 20010db8 00000000 00000000 000000", -1 },

	/* Path identifiers cut short. */
	{ "path id of 3 octets", BGP_AFI_IPV4, true, "000000", -1 },
	{ "path id without a length", BGP_AFI_IPV4, true, "00000001", -1 },
	{ "path id, /24 with 1 octet", BGP_AFI_IPV4, true, "00000001 18 c0",
	    -1 },
	{ "a prefix, then 2 octets of path id", BGP_AFI_IPV6, true,
	    "00000001 00 | 0000", -1 },

	/* The wrong ADD-PATH setting misframes the field. */
	{ "ADD-PATH field read without ADD-PATH", BGP_AFI_IPV4, false,
	    "00000001 18 c00002", -1 },
	{ "plain field read with ADD-PATH", BGP_AFI_IPV4, true, "18 c00002",
	    -1 },
};

static void
test_nlri_check(void **state)
{
	uint8_t wire[64];
	size_t i, n;
	long count;
	int ret;
	const char *name;
	struct wire_nlri_iter it;
	struct wire_prefix pfx;

	(void)state;
	for (i = 0; i < sizeof(check_vecs) / sizeof(*check_vecs); i++) {
		name = check_vecs[i].name;
		n = hex_decode(check_vecs[i].wire, wire, sizeof(wire));
		VEC_INT(name,
		    wire_nlri_check(
			wire, n, check_vecs[i].afi, check_vecs[i].addpath),
		    check_vecs[i].count);

		/* The iterator agrees: as many prefixes, then 0 or -1. */
		wire_nlri_iter_init(
		    &it, wire, n, check_vecs[i].afi, check_vecs[i].addpath);
		count = 0;
		while ((ret = wire_nlri_next(&it, &pfx)) == 1)
			count++;
		if (check_vecs[i].count == -1)
			VEC_INT(name, ret, -1);
		else {
			VEC_INT(name, ret, 0);
			VEC_INT(name, count, check_vecs[i].count);
		}
		/* A malformed field stays malformed when asked again. */
		VEC_INT(name, wire_nlri_next(&it, &pfx), ret);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_decode),
		cmocka_unit_test(test_prefix_encode),
		cmocka_unit_test(test_prefix_roundtrip),
		cmocka_unit_test(test_field_roundtrip),
		cmocka_unit_test(test_host_bits_cleared),
		cmocka_unit_test(test_nlri_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
