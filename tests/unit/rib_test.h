/*
 * rib_test.h: what the RIB tests share (test_attrs.c, test_table.c,
 * test_adjout.c, test_rib.c): prefixes, attribute keys built field by
 * field, the scripted peers, a recorder of what a peer is sent and a
 * receiver that decodes it.  The functions are in rib_test.c.
 */

#ifndef RIB_TEST_H
#define RIB_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dxbgp/bytes.h>

#include <arpa/inet.h>

#include <cmocka.h>

#include <dxbgp/bgp.h>
#include <dxbgp/wire.h>

#include "rib_int.h"

#define IP4(a, b, c, d)                                                        \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 |      \
	    (uint32_t)(d))

#define AS_OURS  62610u
#define RID_OURS IP4(10, 0, 0, 2)
#define AS_AWS   64512u
#define AS_TENC  45090u
#define AS_CUST  65001u

#define LP_DEFAULT 100 /* RFC 4271 §5.1.5, what iBGP peers get */

/* ---- attribute keys, built field by field ---- */

/* A key and the buffers it points to; pointers are set by kb_key(). */
struct kb {
	struct rib_attrs_key k;
	uint8_t path[256], comm[64], lcomm[64], ecomm[64], cluster[64];
	uint8_t unknown[4200];
};

/* ---- a RIB and its peers ---- */

/*
 * The peers of the scripted cases.  Our address toward peer i is
 * 10.0.i.2 (2001:db8:i::2); its address is 10.0.i.1.
 */
enum {
	P_EBGP1 = 1,   /* eBGP, AS 64512: where most routes come from */
	P_EBGP2 = 2,   /* eBGP, AS 45090: the receiver */
	P_IBGP3 = 3,   /* iBGP */
	P_IBGP4 = 4,   /* iBGP */
	P_CLIENT5 = 5, /* iBGP, route-reflector client */
	P_CLIENT6 = 6, /* iBGP, route-reflector client */
	P_EBGP7 = 7,   /* eBGP, AS 65001 */
	NPEERDEF,
};

static const struct peer_def {
	uint32_t asn;
	uint32_t rid;
	bool ibgp, client;
} peer_defs[NPEERDEF] = {
	[P_EBGP1] = { AS_AWS, IP4(10, 0, 1, 1), false, false },
	[P_EBGP2] = { AS_TENC, IP4(10, 0, 2, 1), false, false },
	[P_IBGP3] = { AS_OURS, IP4(10, 1, 0, 3), true, false },
	[P_IBGP4] = { AS_OURS, IP4(10, 1, 0, 4), true, false },
	[P_CLIENT5] = { AS_OURS, IP4(10, 1, 0, 5), true, true },
	[P_CLIENT6] = { AS_OURS, IP4(10, 1, 0, 6), true, true },
	[P_EBGP7] = { AS_CUST, IP4(10, 0, 7, 1), false, false },
};

/* ---- recording what a peer is sent ---- */

struct rec {
	uint8_t **msg;
	size_t *len;
	size_t n, cap;
	size_t accept; /* send() refuses once n reaches this */
	size_t max;    /* the size given to rib_out_flush */
	size_t refused;
};

/* ---- a receiver: decodes what it is sent, keeps prefix -> attributes */

#define UPD_MAXP 16384

/* One decoded UPDATE. */
struct upd {
	size_t len;
	bool eor;
	uint16_t afi; /* of the prefixes, or of the End-of-RIB */
	size_t nwd, nann;
	struct rib_prefix wd[UPD_MAXP], ann[UPD_MAXP];
	struct rib_attrs *a; /* announced attributes (lent by the view) */
	uint64_t have;       /* attributes present (WIRE_HAVE) */
};

struct view_ent {
	struct rib_prefix pfx;
	struct rib_attrs *a; /* a reference, in the receiver's table */
};

struct rx {
	struct rib *t; /* a table of the receiver's own, for interning */
	bool ibgp;
	struct view_ent *v;
	size_t nv, cap;
	unsigned int eor[2];
	unsigned int eorr[2]; /* RFC 7313 EoRR received */
	size_t nmsg, nann, nwd, ndup;
	uint8_t *scratch;
	uint8_t *ubuf;
	struct upd u;
};

uint64_t rnd(uint64_t *s);
size_t rnd_below(uint64_t *s, size_t n);
struct rib_prefix pfx_make(uint8_t afi, const uint8_t *addr, uint8_t len);
struct rib_prefix pfx4(uint32_t addr, uint8_t len);
struct rib_prefix pfx6(uint16_t w2, uint16_t w3, uint8_t len);
bool pfx_eq(const struct rib_prefix *a, const struct rib_prefix *b);
const char *pfx_str(const struct rib_prefix *p);
void kb_init(struct kb *b, uint8_t origin, uint32_t nh4);
void kb_nh6(struct kb *b, const uint8_t nh[16]);
void kb_seg(struct kb *b, uint8_t type, int n, ...);
void kb_med(struct kb *b, uint32_t v);
void kb_lp(struct kb *b, uint32_t v);
void kb_oid(struct kb *b, uint32_t v);
void kb_aggr(struct kb *b, uint32_t as, uint32_t addr);
void kb_comm(struct kb *b, uint32_t c);
void kb_lcomm(struct kb *b, uint32_t g, uint32_t l1, uint32_t l2);
void kb_cluster(struct kb *b, uint32_t id);
void kb_unknown(
    struct kb *b, uint8_t flags, uint8_t type, uint16_t n, uint8_t v);
const struct rib_attrs_key *kb_key(struct kb *b);
struct rib_attrs *kb_intern(struct rib *r, struct kb *b);
void kb_prepend(struct kb *b, uint32_t as);
void hexdump(const char *what, const uint8_t *p, size_t n);
void attrs_dump(const char *name, const struct rib_attrs *a);
uint32_t our_nh4(uint16_t peer);
void our_nh6(uint16_t peer, uint8_t nh[16]);
uint32_t peer_nh4(uint16_t peer);
void peer_nh6(uint16_t peer, uint8_t nh[16]);
struct rib *rib_make(void);
void peer_add(struct rib *r, uint16_t id, uint8_t af);
void kb_from_peer(struct kb *b, uint16_t peer, uint8_t afi);
void rec_init(struct rec *rc, size_t max);
void rec_reset(struct rec *rc);
void rec_clean(struct rec *rc);
bool rec_send(void *arg, const uint8_t *m, size_t len);
struct rx *rx_new(bool ibgp);
void rx_reset(struct rx *x);
void rx_free(struct rx *x);
struct view_ent *rx_find(struct rx *x, const struct rib_prefix *p);
void rx_withdrawn(struct rx *x, const struct rib_prefix *p);
void rx_announced(
    struct rx *x, const struct rib_prefix *p, struct rib_attrs *a);
size_t nlri_collect(const uint8_t *p, size_t len, uint16_t afi,
    struct rib_prefix *out, size_t n);
struct upd *rx_apply(struct rx *x, const uint8_t *m, size_t len);
void rx_apply_all(struct rx *x, const struct rec *rc);
void expect_attrs(
    struct rx *x, const struct rib_attrs *a, struct kb *b, const char *what);
void expect_route(struct rx *x, const struct rib_prefix *p, struct kb *b);
void flush_all(struct rib *r, uint16_t peer, struct rec *rc);
size_t flush_apply(struct rib *r, uint16_t peer, struct rec *rc, struct rx *x);
size_t nlri_of(const struct rib_prefix *p, size_t n, uint8_t *buf, size_t cap);
void kb_to_ebgp(struct kb *b, uint16_t peer, uint8_t afi, bool local);
void expect_best(struct rib *r, const struct rib_prefix *p, uint16_t peer,
    const struct rib_attrs *a);
void kb_to_ibgp(struct kb *b);
void kb_reflect(struct kb *b, uint32_t src_rid, uint32_t cluster_id);

#endif /* RIB_TEST_H */
