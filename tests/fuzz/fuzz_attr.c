/*
 * fuzz_attr.c: libFuzzer target for the path attribute decoder
 * (wire_attrs_decode) and the AS_PATH helpers of the wire codec.
 *
 * Input layout:
 *   byte 0   the session: bit 0 as4, bit 1 ibgp, bit 2 addpath_v4,
 *            bit 3 addpath_v6, bit 4 the UPDATE carries NLRI of its own
 *   rest     a path attribute section, at most as long as one fits in
 *            an extended message (RFC 8654)
 *
 * The helpers run on the decoded 4-octet path, which must be well
 * formed, and on the raw input, which need not be: they must cope.
 * wire_aspath_format writes into a 64-octet buffer and into one large
 * enough for the whole path; the short text must be a prefix of the
 * long one, cut at an AS number.
 *
 * Build and run with scripts/fuzz.sh.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dxbgp/wire.h>

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",       \
			    __FILE__, __LINE__, #c);                           \
			abort();                                               \
		}                                                              \
	} while (0)

#define SMALL_TEXT 64
/* Longest attribute section: an extended message's body less its
 * withdrawn and attribute length fields. */
#define MAX_SECTION (BGP_MAX_MSG_EXT - BGP_HDR_LEN - BGP_UPDATE_MIN_BODY)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t scratch[WIRE_SCRATCH_LEN];
static volatile unsigned int sink;

/*
 * Formats a path both ways and compares.  "{1 2} (3)": at most 10
 * digits, two brackets and a space per AS number.
 */
static void
check_format(const uint8_t *p, size_t len)
{
	char small[SMALL_TEXT];
	char *big;
	size_t cap = len / 2 * 13 + 16, n, m;

	big = malloc(cap);
	CHECK(big != NULL);
	n = wire_aspath_format(p, len, big, cap);
	CHECK(n < cap - 1); /* room to spare: nothing was cut */
	CHECK(strlen(big) == n);
	m = wire_aspath_format(p, len, small, sizeof(small));
	CHECK(m < sizeof(small));
	CHECK(strlen(small) == m);
	CHECK(m <= n && memcmp(small, big, m) == 0);
	/* Cut between two AS numbers, never inside one. */
	CHECK(m == n || big[m] == ' ');
	CHECK(wire_aspath_format(p, len, small, 0) == 0);
	CHECK(wire_aspath_format(p, len, small, 1) == 0 && small[0] == '\0');
	free(big);
}

/* Runs every helper; a decoded path (well formed) gets stricter checks. */
static void
check_helpers(const uint8_t *p, size_t len, bool decoded)
{
	unsigned int plen, n;
	uint32_t first;

	plen = wire_aspath_length(p, len);
	first = wire_aspath_first(p, len);
	n = wire_aspath_count(p, len, first);
	/* A set counts one, even an empty one in unvetted bytes. */
	CHECK(plen <= len / 2);
	if (decoded) {
		CHECK(wire_aspath_valid(p, len, true));
		/* RFC 7607: no AS 0 gets past the decoder. */
		CHECK(wire_aspath_count(p, len, 0) == 0);
		if (first != 0)
			CHECK(n >= 1);
		else
			CHECK(len == 0 || p[0] != BGP_SEG_SEQUENCE);
	}
	sink += plen + n;
	sink += wire_aspath_valid(p, len, false);
	check_format(p, len);
}

static void
check_verdict(
    const struct wire_attrs *a, const struct wire_err *err, enum wire_action v)
{
	const uint8_t *d;
	uint16_t dlen, i;

	CHECK(v >= WIRE_OK && v <= WIRE_SESSION_RESET);
	CHECK(v == err->action);
	if (v != WIRE_OK) {
		CHECK(err->code == BGP_ERR_UPDATE);
		CHECK(err->reason != NULL);
	}
	d = wire_err_data(err, &dlen);
	CHECK((d == NULL) == (dlen == 0));
	for (i = 0; i < dlen; i++)
		sink += d[i];
	CHECK(a->n_unknown <= WIRE_MAX_UNKNOWN_ATTRS);
	for (i = 0; i < a->n_unknown; i++) {
		CHECK(a->unknown[i].rawlen >= 3);
		CHECK(a->unknown[i].raw[1] == a->unknown[i].type);
		sink += a->unknown[i].raw[a->unknown[i].rawlen - 1];
	}
	if (a->have & WIRE_HAVE(BGP_ATTR_ORIGIN))
		CHECK(a->origin <= BGP_ORIGIN_INCOMPLETE);
	if (a->have & WIRE_HAVE(BGP_ATTR_COMMUNITIES))
		CHECK(a->communities_len > 0 && a->communities_len % 4 == 0);
	if (a->have & WIRE_HAVE(BGP_ATTR_EXT_COMMUNITIES))
		CHECK(a->ext_communities_len > 0 &&
		    a->ext_communities_len % 8 == 0);
	if (a->have & WIRE_HAVE(BGP_ATTR_LARGE_COMMUNITIES))
		CHECK(a->large_communities_len > 0 &&
		    a->large_communities_len % 12 == 0);
	if (a->have & WIRE_HAVE(BGP_ATTR_MP_REACH_NLRI))
		CHECK(a->mp_reach.nhlen <= sizeof(a->mp_reach.nexthop));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_ctx ctx;
	struct wire_attrs a;
	struct wire_err err;
	enum wire_action v;
	bool has_nlri;

	if (size < 1 || size - 1 > MAX_SECTION)
		return 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.as4 = data[0] & 1;
	ctx.ibgp = data[0] & 2;
	ctx.addpath_v4 = data[0] & 4;
	ctx.addpath_v6 = data[0] & 8;
	ctx.ext_message = true;
	ctx.scratch = scratch;
	has_nlri = data[0] & 16;

	wire_err_init(&err);
	v = wire_attrs_decode(&ctx, data + 1, size - 1, has_nlri, &a, &err);
	check_verdict(&a, &err, v);
	if (a.have & WIRE_HAVE(BGP_ATTR_AS_PATH))
		check_helpers(a.aspath, a.aspath_len, true);
	/* The helpers also see bytes no decoder vetted. */
	check_helpers(data + 1, size - 1, false);
	return 0;
}
