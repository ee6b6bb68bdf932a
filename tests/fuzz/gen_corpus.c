/*
 * gen_corpus.c: writes the seed corpora of the fuzz targets, built with
 * the codec's own encoders so the seeds stay valid as the codec evolves.
 *
 *   tests/fuzz/corpus/fuzz_msg/   two option bytes (see fuzz_msg.c)
 *                                 and a stream of messages
 *   tests/fuzz/corpus/fuzz_attr/  one option byte (see fuzz_attr.c)
 *                                 and a path attribute section
 *
 * The seeds are committed; regenerate them after a codec change with
 *   cc -std=c11 -D_GNU_SOURCE -Iinclude -Ibgpd tests/fuzz/gen_corpus.c \
 *       bgpd/wire_*.c -o /tmp/gen_corpus && /tmp/gen_corpus
 * run from the top of the tree (or give the two directories).
 *
 * Most seeds are valid messages; a few carry one RFC 7606 error each so
 * the fuzzer starts with every verdict already reached.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <dxbgp/wire.h>

#define SEED_CAP (2 + 4 * BGP_MAX_MSG_EXT)

/* Option bytes of the targets. */
#define OPT_EXT       0x01 /* fuzz_msg byte 0: 65535-octet messages */
#define CTX_AS4       0x01
#define CTX_IBGP      0x02
#define CTX_AP4       0x04
#define CTX_AP6       0x08
#define ATTR_HAS_NLRI 0x10 /* fuzz_attr byte 0 */

struct seed {
	uint8_t buf[SEED_CAP];
	size_t len;
};

static const char *msg_dir = "tests/fuzz/corpus/fuzz_msg";
static const char *attr_dir = "tests/fuzz/corpus/fuzz_attr";
static struct seed s;
static unsigned int n_written;

/* Checks what the encoders return: a failure is a bug here. */
static void
need(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "gen_corpus: %s failed\n", what);
		exit(1);
	}
}

static void
seed_begin(uint8_t b0, uint8_t b1)
{
	s.len = 0;
	s.buf[s.len++] = b0;
	s.buf[s.len++] = b1;
}

static uint8_t *
seed_tail(void)
{
	return s.buf + s.len;
}

static size_t
seed_room(void)
{
	return sizeof(s.buf) - s.len;
}

static void
seed_add(size_t n)
{
	need(n > 0 && n <= seed_room(), "an encoder");
	s.len += n;
}

static void
write_file(const char *dir, const char *name, const uint8_t *p, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(p, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "gen_corpus: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	n_written++;
}

static void
seed_write(const char *name)
{
	write_file(msg_dir, name, s.buf, s.len);
}

/* ---- building blocks ---- */

static struct wire_prefix
pfx4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint8_t len, uint32_t id)
{
	struct wire_prefix p;

	memset(&p, 0, sizeof(p));
	p.afi = BGP_AFI_IPV4;
	p.len = len;
	p.path_id = id;
	p.addr[0] = a;
	p.addr[1] = b;
	p.addr[2] = c;
	p.addr[3] = d;
	return p;
}

static struct wire_prefix
pfx6(uint16_t w0, uint16_t w1, uint16_t w2, uint8_t len, uint32_t id)
{
	struct wire_prefix p;

	memset(&p, 0, sizeof(p));
	p.afi = BGP_AFI_IPV6;
	p.len = len;
	p.path_id = id;
	p.addr[0] = (uint8_t)(w0 >> 8);
	p.addr[1] = (uint8_t)w0;
	p.addr[2] = (uint8_t)(w1 >> 8);
	p.addr[3] = (uint8_t)w1;
	p.addr[4] = (uint8_t)(w2 >> 8);
	p.addr[5] = (uint8_t)w2;
	return p;
}

static size_t
put_seg(uint8_t *p, uint8_t type, const uint32_t *as, uint8_t n)
{
	uint8_t i;

	p[0] = type;
	p[1] = n;
	for (i = 0; i < n; i++) {
		p[2 + 4 * i] = (uint8_t)(as[i] >> 24);
		p[3 + 4 * i] = (uint8_t)(as[i] >> 16);
		p[4 + 4 * i] = (uint8_t)(as[i] >> 8);
		p[5 + 4 * i] = (uint8_t)as[i];
	}
	return 2 + 4 * (size_t)n;
}

static uint8_t path_buf[4096];
static const uint32_t seq_as[] = { 65001, 4200000001u, 3356, 1299, 174 };
static const uint32_t set_as[] = { 64512, 4200000002u };
static const uint8_t comms[] = { 0xfd, 0xe8, 0x00, 0x64, 0xff, 0xff, 0xff,
	0x01 };
static const uint8_t ext_comms[] = { 0x00, 0x02, 0xfd, 0xe8, 0x00, 0x00, 0x00,
	0x64 };
static const uint8_t large_comms[] = { 0xfa, 0x56, 0xea, 0x01, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t clusters[] = { 10, 0, 0, 1, 10, 0, 0, 2 };
static const uint8_t unknown_raw[] = { 0xc0, 99, 3, 'd', 'x', 'b' };

/* Every attribute the codec knows, on a path with a sequence and a set. */
static void
attrs_full(struct wire_attrs *a, bool ibgp)
{
	size_t n;

	memset(a, 0, sizeof(*a));
	n = put_seg(path_buf, BGP_SEG_SEQUENCE, seq_as, 5);
	n += put_seg(path_buf + n, BGP_SEG_SET, set_as, 2);
	a->have = WIRE_HAVE(BGP_ATTR_ORIGIN) | WIRE_HAVE(BGP_ATTR_AS_PATH) |
	    WIRE_HAVE(BGP_ATTR_NEXT_HOP) | WIRE_HAVE(BGP_ATTR_MED) |
	    WIRE_HAVE(BGP_ATTR_ATOMIC_AGGREGATE) |
	    WIRE_HAVE(BGP_ATTR_AGGREGATOR) | WIRE_HAVE(BGP_ATTR_COMMUNITIES) |
	    WIRE_HAVE(BGP_ATTR_EXT_COMMUNITIES) |
	    WIRE_HAVE(BGP_ATTR_LARGE_COMMUNITIES);
	a->origin = BGP_ORIGIN_IGP;
	a->aspath = path_buf;
	a->aspath_len = (uint32_t)n;
	a->nexthop = 0xc0000201; /* 192.0.2.1 */
	a->med = 100;
	a->aggregator_as = 4200000001u;
	a->aggregator_addr = 0xc0000202;
	a->communities = comms;
	a->communities_len = sizeof(comms);
	a->ext_communities = ext_comms;
	a->ext_communities_len = sizeof(ext_comms);
	a->large_communities = large_comms;
	a->large_communities_len = sizeof(large_comms);
	a->unknown[0].flags = unknown_raw[0];
	a->unknown[0].type = unknown_raw[1];
	a->unknown[0].raw = unknown_raw;
	a->unknown[0].rawlen = sizeof(unknown_raw);
	a->n_unknown = 1;
	if (ibgp) {
		a->have |= WIRE_HAVE(BGP_ATTR_LOCAL_PREF) |
		    WIRE_HAVE(BGP_ATTR_ORIGINATOR_ID) |
		    WIRE_HAVE(BGP_ATTR_CLUSTER_LIST);
		a->local_pref = 200;
		a->originator_id = 0x0a000009;
		a->cluster_list = clusters;
		a->cluster_list_len = sizeof(clusters);
	}
}

/* The mandatory attributes only, with a path of n AS numbers. */
static void
attrs_min(struct wire_attrs *a, unsigned int n, bool ibgp)
{
	uint32_t as[255];
	size_t len = 0;
	unsigned int i, j, k;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < n; i += k) {
		k = n - i > 255 ? 255 : n - i;
		for (j = 0; j < k; j++)
			as[j] = 64512 + i + j;
		len +=
		    put_seg(path_buf + len, BGP_SEG_SEQUENCE, as, (uint8_t)k);
	}
	a->have = WIRE_HAVE(BGP_ATTR_ORIGIN) | WIRE_HAVE(BGP_ATTR_AS_PATH) |
	    WIRE_HAVE(BGP_ATTR_NEXT_HOP);
	a->origin = BGP_ORIGIN_INCOMPLETE;
	a->aspath = path_buf;
	a->aspath_len = (uint32_t)len;
	a->nexthop = 0xc6336401; /* 198.51.100.1 */
	if (ibgp) {
		a->have |= WIRE_HAVE(BGP_ATTR_LOCAL_PREF);
		a->local_pref = 100;
	}
}

static size_t
encode_attrs(const struct wire_attrs *a, bool as4, uint8_t *out, size_t cap)
{
	size_t n = wire_attrs_encode(a, as4, out, cap);

	need(n > 0, "wire_attrs_encode");
	return n;
}

/*
 * Appends IPv4 UPDATEs: one of n_wd withdrawals if any, then one
 * announcing up to n_ann prefixes with *a if given (a builder makes
 * one or the other, RFC 7606 §5.1).
 */
static void
add_update4(const struct wire_attrs *a, bool as4, bool addpath, size_t max,
    unsigned int n_wd, unsigned int n_ann)
{
	struct wire_upd_builder b;
	struct wire_prefix p;
	uint8_t attrs[BGP_MAX_MSG_EXT];
	unsigned int i;
	size_t alen;

	if (n_wd > 0) {
		wire_upd_begin(&b, seed_tail(), max, BGP_AFI_IPV4, addpath);
		for (i = 0; i < n_wd; i++) {
			p = pfx4(
			    10, (uint8_t)(i >> 8), (uint8_t)i, 0, 24, i + 1);
			need(wire_upd_withdraw(&b, &p), "wire_upd_withdraw");
		}
		seed_add(wire_upd_finish(&b));
	}
	if (a == NULL)
		return;
	alen = encode_attrs(a, as4, attrs, sizeof(attrs));
	wire_upd_begin(&b, seed_tail(), max, BGP_AFI_IPV4, addpath);
	need(wire_upd_attrs(&b, attrs, alen, NULL, 0), "wire_upd_attrs");
	for (i = 0; i < n_ann; i++) {
		p = pfx4(198, (uint8_t)(18 + (i >> 16)), (uint8_t)(i >> 8),
		    (uint8_t)i, (uint8_t)(i % 5 == 0 ? 32 : 24 + i % 8), i + 1);
		if (p.len < 32)
			p.addr[3] = 0;
		if (!wire_upd_announce(&b, &p))
			break;
	}
	seed_add(wire_upd_finish(&b));
}

/* The same for IPv6, through MP_UNREACH_NLRI and MP_REACH_NLRI. */
static void
add_update6(const struct wire_attrs *a, bool as4, bool addpath,
    unsigned int n_wd, unsigned int n_ann, uint8_t nhlen)
{
	static const uint8_t nh6[32] = { 0x20, 0x01, 0x0d,
		0xb8, [15] = 1, [16] = 0xfe, 0x80, [31] = 1 };
	struct wire_upd_builder b;
	struct wire_prefix p;
	uint8_t attrs[BGP_MAX_MSG];
	unsigned int i;
	size_t alen;

	if (n_wd > 0) {
		wire_upd_begin(
		    &b, seed_tail(), BGP_MAX_MSG, BGP_AFI_IPV6, addpath);
		for (i = 0; i < n_wd; i++) {
			p = pfx6(0x2001, 0x0db8, (uint16_t)i, 48, i + 7);
			need(wire_upd_withdraw(&b, &p), "wire_upd_withdraw");
		}
		seed_add(wire_upd_finish(&b));
	}
	if (a == NULL)
		return;
	alen = encode_attrs(a, as4, attrs, sizeof(attrs));
	wire_upd_begin(&b, seed_tail(), BGP_MAX_MSG, BGP_AFI_IPV6, addpath);
	/* attrs stays in scope until wire_upd_finish. */
	need(wire_upd_attrs(&b, attrs, alen, nh6, nhlen), "wire_upd_attrs");
	for (i = 0; i < n_ann; i++) {
		p = pfx6(0x2001, 0x0db8, (uint16_t)(0x8000 + i),
		    (uint8_t)(i % 3 == 0 ? 64 : 48), i + 1);
		need(wire_upd_announce(&b, &p), "wire_upd_announce");
	}
	seed_add(wire_upd_finish(&b));
}

static void
add_open(bool many_unknown)
{
	static const uint8_t fqdn[] = { 4, 'd', 'x', 'b', 'g', 0 };
	static uint8_t filler[200];
	struct wire_open o;
	struct wire_caps *c = &o.caps;
	int i;

	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = BGP_AS_TRANS;
	o.holdtime = BGP_HOLD_DEFAULT;
	o.bgp_id = 0xc0000201;
	c->have = WIRE_CAP_MP | WIRE_CAP_RR | WIRE_CAP_ERR | WIRE_CAP_AS4 |
	    WIRE_CAP_GR | WIRE_CAP_ADDPATH | WIRE_CAP_EXTMSG;
	c->as4 = 4200000001u;
	c->n_mp = 2;
	c->mp[0] = (struct wire_afsafi){ BGP_AFI_IPV4, BGP_SAFI_UNICAST, 0 };
	c->mp[1] = (struct wire_afsafi){ BGP_AFI_IPV6, BGP_SAFI_UNICAST, 0 };
	c->gr_flags = BGP_GR_FLAG_RESTART | BGP_GR_FLAG_NOTIFY;
	c->gr_time = 120;
	c->n_gr = 2;
	c->gr[0] = (struct wire_afsafi){ BGP_AFI_IPV4, BGP_SAFI_UNICAST,
		BGP_GR_AF_FORWARDING };
	c->gr[1] = (struct wire_afsafi){ BGP_AFI_IPV6, BGP_SAFI_UNICAST, 0 };
	c->n_addpath = 2;
	c->addpath[0] = (struct wire_afsafi){ BGP_AFI_IPV4, BGP_SAFI_UNICAST,
		BGP_ADDPATH_BOTH };
	c->addpath[1] = (struct wire_afsafi){ BGP_AFI_IPV6, BGP_SAFI_UNICAST,
		BGP_ADDPATH_RECEIVE };
	c->n_unknown = 1;
	c->unknown[0] = (struct wire_rawcap){ 73, sizeof(fqdn), fqdn };
	if (many_unknown) {
		/* Past 255 octets: the RFC 9072 extended form. */
		memset(filler, 0xa5, sizeof(filler));
		for (i = 1; i < 4; i++)
			c->unknown[c->n_unknown++] =
			    (struct wire_rawcap){ (uint8_t)(200 + i),
				    sizeof(filler), filler };
	}
	seed_add(wire_open_encode(&o, seed_tail(), seed_room()));
}

static void
add_open_min(void)
{
	struct wire_open o;

	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = 64512;
	o.holdtime = 0;
	o.bgp_id = 0x0a000001;
	seed_add(wire_open_encode(&o, seed_tail(), seed_room()));
}

static void
add_keepalive(void)
{
	seed_add(wire_keepalive_encode(seed_tail(), seed_room()));
}

static void
add_eor(uint16_t afi)
{
	seed_add(
	    wire_eor_encode(afi, BGP_SAFI_UNICAST, seed_tail(), seed_room()));
}

static void
add_rrefresh(uint16_t afi, uint8_t subtype)
{
	struct wire_rrefresh rr = { afi, subtype, BGP_SAFI_UNICAST };

	seed_add(wire_rrefresh_encode(&rr, seed_tail(), seed_room()));
}

static void
add_raw(const uint8_t *body, size_t len, uint8_t type)
{
	uint8_t *p = seed_tail();

	need(seed_room() >= BGP_HDR_LEN + len, "room for the message");
	wire_hdr_encode(p, type, (uint16_t)(BGP_HDR_LEN + len));
	memcpy(p + BGP_HDR_LEN, body, len);
	seed_add(BGP_HDR_LEN + len);
}

/* ---- the seeds ---- */

static void
msg_seeds(void)
{
	static const uint8_t upd_data[] = { 0x40, 0x01, 0x01, 0x07 };
	struct wire_attrs a;

	seed_begin(0, CTX_AS4);
	add_open(false);
	add_keepalive();
	seed_write("open-caps-keepalive");

	seed_begin(0, CTX_AS4);
	add_open(true);
	seed_write("open-extended-params");

	seed_begin(0, 0);
	add_open_min();
	seed_write("open-minimal");

	seed_begin(0, 0);
	add_keepalive();
	add_keepalive();
	seed_write("keepalive");

	attrs_full(&a, false);
	seed_begin(0, CTX_AS4);
	add_update4(&a, true, false, BGP_MAX_MSG, 3, 40);
	seed_write("update-v4-ebgp-as4");

	attrs_full(&a, true);
	seed_begin(0, CTX_AS4 | CTX_IBGP);
	add_update4(&a, true, false, BGP_MAX_MSG, 0, 12);
	seed_write("update-v4-ibgp-as4");

	/* A 2-octet session: AS_TRANS, AS4_PATH and AS4_AGGREGATOR. */
	attrs_full(&a, false);
	seed_begin(0, 0);
	add_update4(&a, false, false, BGP_MAX_MSG, 2, 10);
	seed_write("update-v4-ebgp-as2");

	attrs_min(&a, 3, false);
	seed_begin(0, CTX_AS4 | CTX_AP4);
	add_update4(&a, true, true, BGP_MAX_MSG, 4, 16);
	seed_write("update-v4-addpath");

	seed_begin(0, CTX_AS4);
	add_update4(NULL, true, false, BGP_MAX_MSG, 30, 0);
	seed_write("update-v4-withdraw-only");

	/* Past 255 octets of AS_PATH (extended length) and 4096 octets. */
	attrs_min(&a, 600, false);
	seed_begin(OPT_EXT, CTX_AS4);
	add_update4(&a, true, false, 6000, 0, 1000);
	seed_write("update-v4-extended-message");

	attrs_full(&a, false);
	a.have &= ~WIRE_HAVE(BGP_ATTR_NEXT_HOP);
	seed_begin(0, CTX_AS4);
	add_update6(&a, true, false, 2, 10, 32);
	seed_write("update-v6-ebgp-linklocal");

	attrs_full(&a, true);
	a.have &= ~WIRE_HAVE(BGP_ATTR_NEXT_HOP);
	seed_begin(0, CTX_AS4 | CTX_IBGP | CTX_AP6);
	add_update6(&a, true, true, 3, 6, 16);
	seed_write("update-v6-ibgp-addpath");

	seed_begin(0, CTX_AS4);
	add_update6(NULL, true, false, 8, 0, 0);
	seed_write("update-v6-withdraw-only");

	seed_begin(0, CTX_AS4);
	add_eor(BGP_AFI_IPV4);
	add_eor(BGP_AFI_IPV6);
	seed_write("eor-v4-v6");

	seed_begin(0, 0);
	seed_add(wire_shutdown_encode(BGP_CEASE_ADMIN_SHUTDOWN,
	    "maintenance \xe2\x80\x94 back at 14:00 UTC", seed_tail(),
	    seed_room()));
	seed_write("notification-shutdown");

	seed_begin(0, 0);
	seed_add(wire_shutdown_encode(
	    BGP_CEASE_ADMIN_RESET, "", seed_tail(), seed_room()));
	seed_write("notification-reset-empty");

	seed_begin(0, 0);
	seed_add(wire_notification_encode(BGP_ERR_UPDATE, BGP_ERR_UPD_ORIGIN,
	    upd_data, sizeof(upd_data), seed_tail(), seed_room()));
	seed_write("notification-update-error");

	seed_begin(0, 0);
	add_rrefresh(BGP_AFI_IPV4, BGP_RR_NORMAL);
	add_rrefresh(BGP_AFI_IPV6, BGP_RR_BORR);
	add_rrefresh(BGP_AFI_IPV6, BGP_RR_EORR);
	seed_write("route-refresh");

	/* A whole session as a peer sends it. */
	attrs_full(&a, false);
	seed_begin(OPT_EXT, CTX_AS4);
	add_open(false);
	add_keepalive();
	add_update4(&a, true, false, BGP_MAX_MSG, 0, 20);
	a.have &= ~WIRE_HAVE(BGP_ATTR_NEXT_HOP);
	add_update6(&a, true, false, 0, 5, 16);
	add_eor(BGP_AFI_IPV4);
	add_eor(BGP_AFI_IPV6);
	add_rrefresh(BGP_AFI_IPV4, BGP_RR_NORMAL);
	add_update4(NULL, true, false, BGP_MAX_MSG, 5, 0);
	add_keepalive();
	seed_add(wire_shutdown_encode(
	    BGP_CEASE_ADMIN_SHUTDOWN, "bye", seed_tail(), seed_room()));
	seed_write("session-stream");
}

/* UPDATE bodies with one error each, for the error paths. */
static void
msg_error_seeds(void)
{
	/* ORIGIN 7: treat-as-withdraw (RFC 7606 §7.1). */
	static const uint8_t bad_origin[] = { 0, 0, 0, 20, 0x40, 1, 1, 7, 0x40,
		2, 6, 2, 1, 0, 0, 0xfd, 0xe8, 0x40, 3, 4, 192, 0, 2, 1, 24, 198,
		51, 100 };
	/* LOCAL_PREF from an external peer: attribute discard. */
	static const uint8_t ebgp_lp[] = { 0, 0, 0, 27, 0x40, 1, 1, 0, 0x40, 2,
		6, 2, 1, 0, 0, 0xfd, 0xe8, 0x40, 3, 4, 192, 0, 2, 1, 0x40, 5, 4,
		0, 0, 0, 100, 24, 198, 51, 100 };
	/* MP_REACH_NLRI with a /129: the family is disabled. */
	static const uint8_t bad_mp[] = { 0, 0, 0, 39, 0x40, 1, 1, 0, 0x40, 2,
		6, 2, 1, 0, 0, 0xfd, 0xe8, 0x80, 14, 23, 0, 2, 1, 16, 0x20, 1,
		0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 129, 0 };
	/* Withdrawn routes with a /33: session reset. */
	static const uint8_t bad_wd[] = { 0, 5, 33, 10, 0, 0, 0, 0, 0 };
	/* A ROUTE-REFRESH one octet short. */
	static const uint8_t short_rr[] = { 0, 1, 0 };

	seed_begin(0, CTX_AS4);
	add_raw(bad_origin, sizeof(bad_origin), BGP_MSG_UPDATE);
	seed_write("update-bad-origin");
	seed_begin(0, CTX_AS4);
	add_raw(ebgp_lp, sizeof(ebgp_lp), BGP_MSG_UPDATE);
	seed_write("update-ebgp-local-pref");
	seed_begin(0, CTX_AS4);
	add_raw(bad_mp, sizeof(bad_mp), BGP_MSG_UPDATE);
	seed_write("update-mp-reach-bad-prefix");
	seed_begin(0, 0);
	add_raw(bad_wd, sizeof(bad_wd), BGP_MSG_UPDATE);
	seed_write("update-bad-withdrawn");
	seed_begin(0, 0);
	add_raw(short_rr, sizeof(short_rr), BGP_MSG_ROUTE_REFRESH);
	seed_write("route-refresh-short");
}

static size_t
get_len(const uint8_t *msg)
{
	return (size_t)msg[BGP_MARKER_LEN] << 8 | msg[BGP_MARKER_LEN + 1];
}

/*
 * The attribute sections of the UPDATE seeds, each with the option
 * byte of its session.
 */
static void
attr_seeds(void)
{
	static const char *const list[] = {
		"update-v4-ebgp-as4",
		"update-v4-ibgp-as4",
		"update-v4-ebgp-as2",
		"update-v4-addpath",
		"update-v4-extended-message",
		"update-v6-ebgp-linklocal",
		"update-v6-ibgp-addpath",
		"update-v6-withdraw-only",
		"update-bad-origin",
		"update-ebgp-local-pref",
		"update-mp-reach-bad-prefix",
	};
	static uint8_t scratch[WIRE_SCRATCH_LEN];
	static uint8_t in[SEED_CAP], out[1 + BGP_MAX_MSG_EXT];
	struct wire_ctx ctx;
	struct wire_update u;
	struct wire_err err;
	struct wire_hdr hdr;
	char path[512];
	FILE *f;
	size_t i, n, off, last = 2;

	for (i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", msg_dir, list[i]);
		f = fopen(path, "rb");
		need(f != NULL, "reading a seed back");
		n = fread(in, 1, sizeof(in), f);
		fclose(f);
		memset(&ctx, 0, sizeof(ctx));
		ctx.as4 = in[1] & CTX_AS4;
		ctx.ibgp = in[1] & CTX_IBGP;
		ctx.addpath_v4 = in[1] & CTX_AP4;
		ctx.addpath_v6 = in[1] & CTX_AP6;
		ctx.scratch = scratch;
		/* The last UPDATE of the seed is the one with attributes. */
		for (off = 2; off < n; off += hdr.len) {
			wire_err_init(&err);
			need(wire_hdr_decode(in + off, n - off, BGP_MAX_MSG_EXT,
				 &hdr, &err) == 1,
			    "wire_hdr_decode");
			last = off;
		}
		(void)wire_update_decode(&ctx, in + last + BGP_HDR_LEN,
		    get_len(in + last) - BGP_HDR_LEN, &u, &err);
		out[0] =
		    (uint8_t)(in[1] | (u.nlri_len > 0 ? ATTR_HAS_NLRI : 0));
		memcpy(out + 1, u.attr_section, u.attr_len);
		write_file(attr_dir, list[i], out, 1 + (size_t)u.attr_len);
	}
}

/* Hand-written sections for what no UPDATE seed carries. */
static void
attr_hex_seeds(void)
{
	/* 2-octet session: AS_PATH 23456 65000 3356 with AS4_PATH
	 * 4200000001 3356, AGGREGATOR AS_TRANS with AS4_AGGREGATOR. */
	static const uint8_t as2[] = { ATTR_HAS_NLRI, 0x40, 1, 1, 0, 0x40, 2, 8,
		2, 3, 0x5b, 0xa0, 0xfd, 0xe8, 0x0d, 0x1c, 0x40, 3, 4, 192, 0, 2,
		1, 0xc0, 7, 6, 0x5b, 0xa0, 192, 0, 2, 9, 0xc0, 17, 10, 2, 2,
		0xfa, 0x56, 0xea, 0x01, 0, 0, 0x0d, 0x1c, 0xc0, 18, 8, 0xfa,
		0x56, 0xea, 0x01, 192, 0, 2, 9 };
	/* MP_UNREACH_NLRI only: the IPv6 End-of-RIB. */
	static const uint8_t eor6[] = { CTX_AS4, 0x80, 15, 3, 0, 2, 1 };
	/* A repeated attribute and an unknown non-transitive one. */
	static const uint8_t dup[] = { CTX_AS4 | ATTR_HAS_NLRI, 0x40, 1, 1, 0,
		0x40, 1, 1, 2, 0x40, 2, 0, 0x40, 3, 4, 10, 0, 0, 1, 0x80, 200,
		2, 1, 2 };

	write_file(attr_dir, "as2-as4path-as4aggregator", as2, sizeof(as2));
	write_file(attr_dir, "mp-unreach-eor-v6", eor6, sizeof(eor6));
	write_file(attr_dir, "repeated-and-unknown", dup, sizeof(dup));
}

/* mkdir -p */
static void
make_dir(const char *dir)
{
	char path[512];
	char *p, c;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			fprintf(stderr, "gen_corpus: %s: %s\n", path,
			    strerror(errno));
			exit(1);
		}
		*p = c;
		if (c == '\0')
			break;
	}
}

int
main(int argc, char **argv)
{
	if (argc == 3) {
		msg_dir = argv[1];
		attr_dir = argv[2];
	} else if (argc != 1) {
		fprintf(stderr, "usage: gen_corpus [msg-dir attr-dir]\n");
		return 2;
	}
	make_dir(msg_dir);
	make_dir(attr_dir);
	msg_seeds();
	msg_error_seeds();
	attr_seeds();
	attr_hex_seeds();
	printf("gen_corpus: %u files in %s and %s\n", n_written, msg_dir,
	    attr_dir);
	return 0;
}
