/*
 * bench_wire_decode.c: how fast the wire codec turns a full-table dump
 * into prefixes, on one core.
 *
 * Builds in memory the stream of UPDATE messages a peer sends for a
 * full IPv4 table: PREFIXES distinct prefixes (default 1,000,000, mostly
 * /24 with some /18-/23), about 20 per attribute set, each set with its
 * own AS_PATH (1-8 four-octet AS numbers), MED, communities and next
 * hop, packed into messages of at most 4096 octets with the codec's
 * UPDATE builder.  Then decodes the whole stream end to end as the
 * session would (wire_hdr_decode, wire_update_decode for a 4-octet
 * external peer, every NLRI through wire_nlri_next), RUNS times, and
 * reports the best and median run.  Each run must find every prefix
 * and the same checksum as the generator, or the program fails.
 *
 *   bench_wire_decode [-n PREFIXES] [-r RUNS]
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dxbgp/wire.h>

#define PREFIXES_PER_SET 20
#define MAX_PATH         8
#define MAX_COMMUNITIES  6
#define NEXTHOPS         64

struct stream {
	uint8_t *buf;
	size_t len;
	size_t cap;
	size_t n_msgs;
	size_t n_sets;
	size_t n_prefixes;
	uint64_t checksum; /* of every prefix, as the decoder must find */
};

struct run {
	double secs;
	size_t prefixes;
	uint64_t checksum;
};

static uint8_t scratch[WIRE_SCRATCH_LEN];

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (p == NULL) {
		fprintf(stderr, "bench_wire_decode: out of memory\n");
		exit(1);
	}
	return p;
}

/* splitmix64: the generator is deterministic from run to run. */
static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/*
 * Folded into an order-independent sum over every prefix; cheap, so
 * the benchmark measures the decoder rather than the checksum.
 */
static inline uint64_t
prefix_hash(const uint8_t *addr, uint8_t len)
{
	uint32_t a;

	memcpy(&a, addr, sizeof(a));
	return (uint64_t)a * 0x9e3779b97f4a7c15ull + len;
}

/*
 * Prefix i of the table.  Lengths follow roughly the shape of the real
 * table (60% /24); within a length, a counter multiplied by an odd
 * constant modulo 2^len scatters addresses without repeating one.
 */
static void
make_prefix(size_t i, size_t count[33], struct wire_prefix *p)
{
	static const uint8_t len_of_class[25] = { 24, 24, 24, 24, 24, 24, 24,
		24, 24, 24, 24, 24, 24, 24, 24, 23, 23, 22, 22, 21, 21, 20, 20,
		19, 18 };
	uint8_t len = len_of_class[i % 25];
	uint32_t k, a;

	k = (uint32_t)(count[len]++ * 2654435761u);
	a = (k & ((1u << len) - 1)) << (32 - len);
	memset(p, 0, sizeof(*p));
	p->afi = BGP_AFI_IPV4;
	p->len = len;
	p->addr[0] = (uint8_t)(a >> 24);
	p->addr[1] = (uint8_t)(a >> 16);
	p->addr[2] = (uint8_t)(a >> 8);
	p->addr[3] = (uint8_t)a;
}

/* The attributes of set s, encoded for a 4-octet session. */
static size_t
make_attrs(size_t s, uint8_t *out, size_t cap)
{
	static const uint32_t neighbors[] = { 174, 1299, 2914, 3257, 3356, 6453,
		6762, 6939, 7018, 9002, 13335, 15169, 20940, 32934, 136907,
		213230 };
	uint8_t path[2 + 4 * MAX_PATH], comms[4 * MAX_COMMUNITIES];
	struct wire_attrs a;
	uint64_t h = mix64(s);
	unsigned int plen = 1 + (unsigned int)(h % MAX_PATH), i;
	unsigned int ncomm = (unsigned int)((h >> 8) % (MAX_COMMUNITIES + 1));
	uint32_t as;
	size_t n;

	memset(&a, 0, sizeof(a));
	path[0] = BGP_SEG_SEQUENCE;
	path[1] = (uint8_t)plen;
	for (i = 0; i < plen; i++) {
		h = mix64(h);
		as = i == 0 ? neighbors[h % 16]
			    : 1 + (uint32_t)(h % 400000); /* some > 65535 */
		path[2 + 4 * i] = (uint8_t)(as >> 24);
		path[3 + 4 * i] = (uint8_t)(as >> 16);
		path[4 + 4 * i] = (uint8_t)(as >> 8);
		path[5 + 4 * i] = (uint8_t)as;
	}
	for (i = 0; i < ncomm; i++) {
		h = mix64(h);
		comms[4 * i] = path[4]; /* the neighbor's AS, low half */
		comms[4 * i + 1] = path[5];
		comms[4 * i + 2] = (uint8_t)(h >> 8);
		comms[4 * i + 3] = (uint8_t)h;
	}
	a.have = WIRE_HAVE(BGP_ATTR_ORIGIN) | WIRE_HAVE(BGP_ATTR_AS_PATH) |
	    WIRE_HAVE(BGP_ATTR_NEXT_HOP) | WIRE_HAVE(BGP_ATTR_MED);
	a.origin = h % 10 == 0 ? BGP_ORIGIN_INCOMPLETE : BGP_ORIGIN_IGP;
	a.aspath = path;
	a.aspath_len = 2 + 4 * plen;
	a.nexthop = 0xc0000200 | (uint32_t)(mix64(s + 1) % NEXTHOPS + 1);
	a.med = (uint32_t)s; /* makes every set distinct */
	if (ncomm > 0) {
		a.have |= WIRE_HAVE(BGP_ATTR_COMMUNITIES);
		a.communities = comms;
		a.communities_len = (uint16_t)(4 * ncomm);
	}
	n = wire_attrs_encode(&a, true, out, cap);
	if (n == 0) {
		fprintf(
		    stderr, "bench_wire_decode: wire_attrs_encode failed\n");
		exit(1);
	}
	return n;
}

static uint8_t *
stream_room(struct stream *st)
{
	if (st->cap - st->len < BGP_MAX_MSG) {
		st->cap = st->cap * 2 + BGP_MAX_MSG;
		st->buf = xrealloc(st->buf, st->cap);
	}
	return st->buf + st->len;
}

static void
build_stream(struct stream *st, size_t n_prefixes)
{
	struct wire_upd_builder b;
	struct wire_prefix p;
	uint8_t attrs[BGP_MAX_MSG];
	size_t count[33] = { 0 };
	size_t alen = 0, i, set = SIZE_MAX;
	bool open = false;

	memset(st, 0, sizeof(st[0]));
	st->cap = n_prefixes * 10 + BGP_MAX_MSG;
	st->buf = xrealloc(NULL, st->cap);
	for (i = 0; i < n_prefixes; i++) {
		make_prefix(i, count, &p);
		st->checksum += prefix_hash(p.addr, p.len);
		if (i / PREFIXES_PER_SET != set) {
			if (open)
				st->len += wire_upd_finish(&b);
			set = i / PREFIXES_PER_SET;
			alen = make_attrs(set, attrs, sizeof(attrs));
			st->n_sets++;
			open = false;
		}
		if (open && wire_upd_announce(&b, &p))
			continue;
		if (open) /* full: the same attributes again */
			st->len += wire_upd_finish(&b);
		wire_upd_begin(
		    &b, stream_room(st), BGP_MAX_MSG, BGP_AFI_IPV4, false);
		if (!wire_upd_attrs(&b, attrs, alen, NULL, 0) ||
		    !wire_upd_announce(&b, &p)) {
			fprintf(stderr, "bench_wire_decode: builder failed\n");
			exit(1);
		}
		st->n_msgs++;
		open = true;
	}
	if (open)
		st->len += wire_upd_finish(&b);
	st->n_prefixes = n_prefixes;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Decodes the whole stream as a session would; false on any error. */
static bool
decode_stream(const struct stream *st, struct run *r)
{
	struct wire_ctx ctx = { .as4 = true, .scratch = scratch };
	const uint8_t *p = st->buf, *end = st->buf + st->len;
	struct wire_nlri_iter it;
	struct wire_prefix pfx;
	struct wire_update u;
	struct wire_hdr hdr;
	struct wire_err err;
	uint64_t sum = 0;
	size_t n = 0, n_withdrawn = 0;
	double t0;
	int rc;

	t0 = now();
	while (p < end) {
		wire_err_init(&err);
		if (wire_hdr_decode(
			p, (size_t)(end - p), BGP_MAX_MSG, &hdr, &err) != 1 ||
		    hdr.type != BGP_MSG_UPDATE || hdr.len > (size_t)(end - p))
			return false;
		if (wire_update_decode(&ctx, p + BGP_HDR_LEN,
			hdr.len - BGP_HDR_LEN, &u, &err) != WIRE_OK)
			return false;
		wire_nlri_iter_init(
		    &it, u.withdrawn, u.withdrawn_len, BGP_AFI_IPV4, false);
		while ((rc = wire_nlri_next(&it, &pfx)) == 1)
			n_withdrawn++;
		if (rc < 0)
			return false;
		wire_nlri_iter_init(
		    &it, u.nlri, u.nlri_len, BGP_AFI_IPV4, false);
		while ((rc = wire_nlri_next(&it, &pfx)) == 1) {
			sum += prefix_hash(pfx.addr, pfx.len);
			n++;
		}
		if (rc < 0)
			return false;
		p += hdr.len;
	}
	r->secs = now() - t0;
	r->prefixes = n;
	r->checksum = sum;
	return n_withdrawn == 0;
}

static int
cmp_secs(const void *a, const void *b)
{
	double x = ((const struct run *)a)->secs;
	double y = ((const struct run *)b)->secs;

	return x < y ? -1 : x > y;
}

static void
report(const char *what, const struct stream *st, double secs)
{
	printf("%-7s %9.3f ms  %7.2f M prefixes/s  %8.1f MB/s  %7.2f M "
	       "messages/s\n",
	    what, secs * 1e3, (double)st->n_prefixes / secs / 1e6,
	    (double)st->len / secs / 1e6, (double)st->n_msgs / secs / 1e6);
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_wire_decode [-n PREFIXES] [-r RUNS]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct stream st;
	struct run *runs, warm;
	long n_prefixes = 1000000, n_runs = 5;
	char *end;
	int c, i;

	while ((c = getopt(argc, argv, "n:r:")) != -1) {
		switch (c) {
		case 'n':
			n_prefixes = strtol(optarg, &end, 10);
			/* 1 in 25 is a /18, of which there are 2^18. */
			if (*end != '\0' || n_prefixes < 1 ||
			    n_prefixes > 25L << 18)
				usage();
			break;
		case 'r':
			n_runs = strtol(optarg, &end, 10);
			if (*end != '\0' || n_runs < 1 || n_runs > 1000)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	build_stream(&st, (size_t)n_prefixes);
	printf("stream: %zu prefixes, %zu attribute sets, %zu messages, "
	       "%zu bytes (%.1f bytes/message)\n",
	    st.n_prefixes, st.n_sets, st.n_msgs, st.len,
	    (double)st.len / (double)st.n_msgs);

	runs = xrealloc(NULL, sizeof(runs[0]) * (size_t)n_runs);
	if (!decode_stream(&st, &warm)) {
		fprintf(stderr, "bench_wire_decode: decode error\n");
		return 1;
	}
	for (i = 0; i < n_runs; i++) {
		if (!decode_stream(&st, &runs[i])) {
			fprintf(stderr, "bench_wire_decode: decode error\n");
			return 1;
		}
		if (runs[i].prefixes != st.n_prefixes ||
		    runs[i].checksum != st.checksum) {
			fprintf(stderr,
			    "bench_wire_decode: run %d decoded %zu prefixes "
			    "(checksum %016llx), expected %zu (%016llx)\n",
			    i + 1, runs[i].prefixes,
			    (unsigned long long)runs[i].checksum, st.n_prefixes,
			    (unsigned long long)st.checksum);
			return 1;
		}
		printf("run %d  %9.3f ms  %7.2f M prefixes/s\n", i + 1,
		    runs[i].secs * 1e3,
		    (double)st.n_prefixes / runs[i].secs / 1e6);
	}
	qsort(runs, (size_t)n_runs, sizeof(runs[0]), cmp_secs);
	report("best", &st, runs[0].secs);
	report("median", &st, runs[n_runs / 2].secs);
	free(runs);
	free(st.buf);
	return 0;
}
