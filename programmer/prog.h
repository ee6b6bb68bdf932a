/*
 * prog.h: dxprog, the reference route programmer (doc/dxprog.8).
 *
 * dxprog subscribes to dxbgpd's export stream (proto/dxbgp.proto) and
 * writes the selected routes into one Linux routing table through
 * rtnetlink, as routes of its own protocol number.  Its modules:
 *
 *   dxprog.c       options, the loop, grace time, signals, counters
 *   prog_log.c     stderr or syslog, rate-limited refusal lines
 *   prog_stream.c  the connection: Unix socket or TLS, framing,
 *                  Subscribe, the order messages must come in
 *   prog_table.c   the desired routes, the guard rails, and what the
 *                  kernel holds of ours: the changes still to make
 *   prog_nl.c      rtnetlink messages: build and parse (no sockets)
 *   prog_kern.c    the rtnetlink socket: batches, acks, table dumps
 *   prog_json.c    the desired table as a JSON file
 */
#ifndef DXBGP_PROG_H
#define DXBGP_PROG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <dxbgp/frame.h>

/* ---- prog_log.c ---- */

/* syslog priorities (LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO). */
void plog_init(int to_stderr);
void plog(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Like plog, for one of the rate-limited kinds (a refusal or report
 * that a big table could repeat a million times): at most
 * PLOG_BURST lines per kind every PLOG_WINDOW seconds, then one line
 * saying how many were left out.
 */
enum plog_kind {
	PLOG_K_LOCAL_CIDR,
	PLOG_K_TRANSITIVE,
	PLOG_K_OVERLAP,
	PLOG_K_KERNEL,
	PLOG_K_COUNT
};
#define PLOG_BURST  10
#define PLOG_WINDOW 10
void plog_limited(enum plog_kind, int prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Out of memory: the process cannot go on. */
void plog_fatal(const char *what) __attribute__((noreturn));
void *pzalloc(size_t);

/* ---- addresses and next hops (prog_table.c) ---- */

#define PR_NH_MAX 64 /* next hops of one route we install */

/* An address, as AF_INET or AF_INET6 and 4 or 16 network-order bytes. */
struct pr_addr {
	uint8_t af;
	uint8_t a[16]; /* bytes past the family's length are zero */
};

/* A route's next hops, sorted and without duplicates. */
struct pr_nhs {
	uint16_t n;
	struct pr_addr nh[];
};

/* The bytes a struct pr_nhs of n next hops takes. */
#define PR_NHS_SIZE(n) (sizeof(struct pr_nhs) + (n) * sizeof(struct pr_addr))

int pr_addr_len(uint8_t af);
/* "10.0.0.1", "2001:db8::1/64" (plen < 0: no length). */
char *pr_addr_fmt(char *buf, size_t size, const struct pr_addr *, int plen);
#define PR_ADDR_STR 64
/* Parses "A.B.C.D/N" or "X:X::/N" with host bits zero; -1 if not. */
int pr_cidr_parse(const char *s, struct pr_addr *, uint8_t *plen);
/* Whether a/alen and b/blen overlap (one holds the other). */
int pr_cidr_overlap(const struct pr_addr *a, uint8_t alen,
    const struct pr_addr *b, uint8_t blen);
int pr_nhs_equal(const struct pr_nhs *, const struct pr_nhs *);
struct pr_peer;
/* A peer's address, "(none)" for none or NULL. */
char *pr_peer_fmt(char *buf, size_t size, const struct pr_peer *);

/* ---- prog_table.c: desired routes and kernel state ---- */

enum pr_status {
	PR_OK,          /* installed */
	PR_LOCAL,       /* dxbgpd's own (all-zero next hop): never installed */
	PR_REF_CIDR,    /* refused: overlaps a local CIDR (-L) */
	PR_REF_TRANSIT, /* refused: passed from one peering to another */
	PR_REF_NH,      /* refused: more next hops than PR_NH_MAX */
	PR_NSTATUS
};

/*
 * The peer a route came from, as the stream names it (address and
 * ASN).  Interned by the table: one record per peer, shared by its
 * routes.
 */
struct pr_peer {
	struct pr_peer *next;
	uint32_t refs;
	uint32_t asn;
	uint8_t len; /* 0 (dxbgpd's own routes), 4 or 16 */
	uint8_t a[16];
};

/*
 * One prefix: what the daemon wants for it (want, NULL if nothing)
 * and what, as far as dxprog knows, the kernel holds of ours (kern).
 * Next-hop sets are interned by the table, so equal sets are one
 * pointer, shared by every route that uses them.  64 bytes with 8-byte
 * pointers, from the table's own slabs: a million routes take 64 MB.
 */
struct pr_route {
	struct pr_route *hnext;     /* hash chain; free list */
	struct pr_route *dnext;     /* dirty list */
	const struct pr_nhs *want;  /* NULL: not selected */
	const struct pr_nhs *kern;  /* NULL: not in the kernel */
	const struct pr_peer *peer; /* of the last route; NULL if none */
	uint32_t gen;               /* the snapshot that last set want */
	uint8_t status;             /* enum pr_status, with want */
	uint8_t flags;              /* PR_F_* */
	uint8_t plen;
	struct pr_addr pfx;
};
#define PR_F_DIRTY 0x01 /* on the dirty list */
#define PR_F_SEEN  0x02 /* in the table dump being read */

/* The next hops the kernel should hold for r, or NULL. */
static inline const struct pr_nhs *
pr_route_install(const struct pr_route *r)
{
	return r->status == PR_OK ? r->want : NULL;
}

#define PR_PEERINGS_MAX 32
#define PR_LOCALS_MAX   64

/* The guard rails (-L, --peering, --transitive). */
struct pr_guard {
	struct {
		struct pr_addr pfx;
		uint8_t plen;
	} local[PR_LOCALS_MAX];
	int nlocal;
	struct {
		char name[32];
		uint32_t asn;
	} peering[PR_PEERINGS_MAX];
	int npeering;
	int transitive;
};

/* Counters: printed on SIGUSR1 and at exit, and in the JSON file. */
struct pr_counters {
	uint64_t routes[PR_NSTATUS]; /* desired prefixes now, by status */
	uint64_t refused_total[PR_NSTATUS]; /* refusals (and skips) so far */
	uint64_t overlaps; /* pairs from different peers, last sweep */
	uint64_t overlap_sweeps;
	uint64_t events; /* Route messages applied */
	uint64_t snapshots, resumes;
	uint64_t connects, losses, bad_input;
	uint64_t reconciles;
	uint64_t grace_withdrawals;
	uint64_t nl_add, nl_replace, nl_del, nl_errors;
};

struct pr_slab;
struct pr_nhs_ent;

struct pr_table {
	struct pr_route **bucket;
	size_t nbucket; /* a power of 2 */
	size_t count;
	struct pr_route *dirty, **dirty_tail;
	struct pr_route *free; /* records to reuse, chained by hnext */
	struct pr_slab *slabs;
	struct pr_nhs_ent **nhs_bucket; /* the interned next-hop sets */
	size_t nhs_nbucket, nhs_count;
	struct pr_peer *peers[64]; /* the interned peers */
	struct pr_nhs *scratch;    /* a route's next hops being read */
	size_t scratch_n;
	uint32_t gen;
	int kernel;  /* 1: kernel state is tracked (dxprog -t) */
	int changed; /* the desired set changed since last asked */
	uint64_t last_overlaps;
	const struct pr_guard *guard;
	struct pr_counters *cnt;
};

/* One change for the kernel, from ptab_next_op. */
enum pr_op_kind { PR_OP_NONE, PR_OP_ADD, PR_OP_REPLACE, PR_OP_DEL };
struct pr_op {
	enum pr_op_kind kind;
	struct pr_addr pfx;
	uint8_t plen;
	const struct pr_nhs *nhs; /* ADD, REPLACE: valid until the next call */
};

void ptab_init(struct pr_table *, const struct pr_guard *, struct pr_counters *,
    int kernel);
void ptab_clean(struct pr_table *);
struct pr_route *ptab_lookup(
    const struct pr_table *, const struct pr_addr *, uint8_t plen);

/* A snapshot: begin, its routes (ptab_route), end replaces the set. */
void ptab_snapshot_begin(struct pr_table *);
void ptab_snapshot_end(struct pr_table *);
/* A checked Route (frame_check_route passed): ADD or DELETE. */
void ptab_route(struct pr_table *, const Dxbgp__Route *);
/* Nothing is desired any more (grace time over, --flush-on-exit). */
void ptab_withdraw_all(struct pr_table *);

/*
 * A dump of the kernel table: begin, each route of ours, end.  After
 * end, every prefix whose kernel state differs from the desired one is
 * on the dirty list.
 */
void ptab_kern_begin(struct pr_table *);
void ptab_kern_route(struct pr_table *, const struct pr_addr *, uint8_t plen,
    const struct pr_nhs *);
void ptab_kern_end(struct pr_table *);
/* The next change to send, 0 if none; the kernel state is updated. */
int ptab_next_op(struct pr_table *, struct pr_op *);
/* The kernel refused a change for this prefix: it holds none of ours. */
void ptab_op_failed(struct pr_table *, const struct pr_addr *, uint8_t plen);

/* Pairs of overlapping prefixes from different peers; logs them. */
uint64_t ptab_overlap_sweep(struct pr_table *);
/* Calls fn for every prefix with a wanted route (any status). */
/* qsort order of pointers to records: family, address, length. */
int pr_route_cmp(const void *a, const void *b);
void ptab_walk(const struct pr_table *,
    void (*fn)(void *, const struct pr_route *), void *arg);
const char *pr_status_name(enum pr_status);

/* The counters as a few log lines. */
void pr_counters_log(const struct pr_counters *);

/* ---- prog_json.c ---- */

struct pr_json_meta {
	uint64_t instance, seq;
	int connected;
};
/* Writes the table to path atomically (path.tmp, rename); -1 if not. */
int pjson_write(
    const char *path, const struct pr_table *, const struct pr_json_meta *);

#endif
