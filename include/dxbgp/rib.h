/*
 * rib.h: the routing information base.
 *
 * A library with no sockets and no event loop.  Routes come in through
 * one entry point (rib_announce / rib_withdraw, fed straight from the
 * codec's decoded UPDATEs, then rib_process), and changes go out
 * through one (rib_out_flush, which packs UPDATE messages for a peer,
 * and the loc-RIB change callback).
 *
 * Path attributes are interned: a route holds a counted reference to
 * an immutable, shared struct rib_attrs.  Routes and destinations are
 * small records from slabs.
 */
#ifndef DXBGP_RIB_H
#define DXBGP_RIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dxbgp/wire.h>

/* ---- attribute sets ---- */

/* Flags of struct rib_attrs: which optional values are present. */
#define RIB_A_MED         (1u << 0)
#define RIB_A_LOCAL_PREF  (1u << 1)
#define RIB_A_ATOMIC_AGGR (1u << 2)
#define RIB_A_AGGREGATOR  (1u << 3)
#define RIB_A_ORIGINATOR  (1u << 4)
#define RIB_A_ASPATH      (1u << 5)

/*
 * An interned attribute set.  Immutable once interned: to change one,
 * fill a struct rib_attrs_key from it, change the key, intern the key.
 */
struct rib_attrs {
	struct rib_attrs *hnext; /* hash chain */
	uint32_t hash;
	uint32_t refcnt;
	uint32_t med;
	uint32_t local_pref;
	uint32_t originator_id;
	uint32_t aggr_as;
	uint32_t aggr_addr;
	uint32_t first_as;    /* leftmost AS of the path, 0 if none */
	uint16_t flags;       /* RIB_A_* */
	uint16_t aspath_hops; /* path length for the decision (§9.1.2.2) */
	uint8_t origin;
	uint8_t nh_len; /* 4 (IPv4), 16 or 32 (IPv6 global + link-local) */
	uint8_t nexthop[32];
	/*
	 * Whether the next hop is usable, as the nexthop_ok hook last said
	 * (in RIB epoch nh_epoch): not part of the set's identity.
	 */
	uint32_t nh_epoch;
	bool nh_ok;
	uint32_t aspath_len; /* the lengths of the byte arrays in data[] */
	uint16_t comm_len;
	uint16_t lcomm_len;
	uint16_t ecomm_len;
	uint16_t cluster_len;
	uint16_t unknown_len; /* unknown transitive attributes, encoded */
	uint8_t data[];       /* aspath, comm, lcomm, ecomm, cluster, unknown */
};

/* The fields of an attribute set, pointing anywhere, before interning. */
struct rib_attrs_key {
	uint16_t flags;
	uint8_t origin;
	uint8_t nh_len;
	uint8_t nexthop[32];
	uint32_t med, local_pref, originator_id, aggr_as, aggr_addr;
	const uint8_t *aspath; /* 4-octet segments */
	uint32_t aspath_len;
	const uint8_t *comm;
	uint16_t comm_len;
	const uint8_t *lcomm;
	uint16_t lcomm_len;
	const uint8_t *ecomm;
	uint16_t ecomm_len;
	const uint8_t *cluster;
	uint16_t cluster_len;
	const uint8_t *unknown;
	uint16_t unknown_len;
};

const uint8_t *rib_attrs_aspath(const struct rib_attrs *);
const uint8_t *rib_attrs_comm(const struct rib_attrs *);
const uint8_t *rib_attrs_lcomm(const struct rib_attrs *);
const uint8_t *rib_attrs_ecomm(const struct rib_attrs *);
const uint8_t *rib_attrs_cluster(const struct rib_attrs *);
const uint8_t *rib_attrs_unknown(const struct rib_attrs *);
/* A key describing a, to copy and change. */
void rib_attrs_key_of(const struct rib_attrs *a, struct rib_attrs_key *k);
/*
 * A key from decoded attributes; nexthop from NEXT_HOP (IPv4) or the
 * MP_REACH_NLRI next hop (afi IPv6).  unknown_buf (at least 65535
 * bytes) receives the unknown transitive attributes, encoded.
 */
void rib_attrs_key_from_wire(const struct wire_attrs *w, uint16_t afi,
    struct rib_attrs_key *k, uint8_t *unknown_buf);
/*
 * Fills a struct wire_attrs (pointing into a) for wire_attrs_encode,
 * unknown transitive attributes included, MP attributes not.
 */
void rib_attrs_to_wire(const struct rib_attrs *a, struct wire_attrs *w);

/* Memory held by attribute sets, for `show bgp memory`. */
struct rib_attrs_stats {
	size_t sets;    /* distinct sets */
	size_t refs;    /* references held */
	size_t bytes;   /* bytes of the sets */
	size_t buckets; /* hash table size */
};

/* ---- prefixes, peers, the RIB ---- */

struct rib_prefix {
	uint8_t afi; /* BGP_AFI_IPV4 or BGP_AFI_IPV6 */
	uint8_t len;
	uint8_t addr[16]; /* network order, host bits zero */
};

#define RIB_PEER_LOCAL 0  /* locally originated routes (network) */
#define RIB_MAX_PEERS  64 /* per RIB: advertised state is a 64-bit mask */

struct rib_path {
	struct rib_path *next;
	struct rib_attrs *attrs;
	uint32_t path_id;
	uint16_t peer;
	uint16_t flags; /* RIB_P_* */
};

#define RIB_P_STALE      (1u << 0) /* kept for a graceful restart */
#define RIB_P_INELIGIBLE (1u << 1) /* next hop not usable */

struct rib_dest {
	struct rib_prefix pfx;
	uint8_t nbest;          /* multipath: the first nbest paths */
	uint8_t changed;        /* on the changed list */
	uint16_t best_peer;     /* peer of the best path last decided */
	struct rib_path *paths; /* best first, then in no order */
	struct rib_attrs *best; /* its attributes (a reference), or NULL */
	uint64_t adv;           /* advertised to these peers */
	uint64_t dirty;         /* queued for these peers */
};

/* What the RIB knows of a peer, for the decision and for export. */
struct rib_peer_info {
	uint32_t asn;
	uint32_t local_as;  /* AS we present to it */
	uint32_t router_id; /* its BGP identifier */
	uint8_t addr[16];   /* its address, for the last tie-break */
	uint8_t addr_len;   /* 4 or 16 */
	bool ibgp;
	bool rr_client;
	bool as4;
	bool ext_message;
	bool addpath_tx; /* not yet used: one path per prefix is sent */
	/*
	 * Its export policy can give different attributes to prefixes of
	 * one attribute set (a prefix list): no export cache for it.
	 */
	bool export_per_prefix;
	bool next_hop_self;
	bool remove_private_as;
	bool as_override;
	uint8_t af; /* RIB_AF_* the session carries */
	/*
	 * Outbound cap: at most this many prefixes advertised per family
	 * (0: none); the rest are withheld (see rib_out_cap).
	 */
	uint32_t out_max;
	uint8_t nh4[4]; /* our address toward it (next hop we send) */
	uint8_t nh6[16];
	bool has_nh4, has_nh6;
};

#define RIB_AF_IPV4 (1u << 0)
#define RIB_AF_IPV6 (1u << 1)

struct rib;

/*
 * Hooks into the daemon.  export_ok: outbound policy for one path
 * toward one peer (RFC 8212 and route-maps live there); returns the
 * attributes to send (interned, a new reference), or NULL to send
 * nothing.  It is called after the RIB's own rules (split horizon,
 * well-known communities).  nexthop_ok: may this next hop be used?
 * best_changed: the loc-RIB changed for a prefix (export stream): its
 * best path, or possibly its multipath set.
 */
struct rib_hooks {
	struct rib_attrs *(*export_ok)(void *arg, uint16_t peer,
	    const struct rib_dest *, struct rib_attrs *out);
	bool (*nexthop_ok)(void *arg, const struct rib_attrs *);
	void (*best_changed)(void *arg, const struct rib_dest *);
	void *arg;
};

struct rib_config {
	uint32_t asn;
	uint32_t router_id;
	uint32_t cluster_id;   /* 0: router_id */
	uint8_t maximum_paths; /* 1: no multipath */
	bool multipath_relax;
	bool always_compare_med;
	/*
	 * Only store routes: no decision, no output.  For a copy of routes
	 * as received (soft reconfiguration inbound).
	 */
	bool store_only;
};

struct rib *rib_new(const struct rib_config *, const struct rib_hooks *);
void rib_free(struct rib *);
void rib_set_config(struct rib *, const struct rib_config *);

/* Peers: ids 1 .. RIB_MAX_PEERS - 1; 0 is RIB_PEER_LOCAL. */
void rib_peer_set(struct rib *, uint16_t peer, const struct rib_peer_info *);

struct rib_attrs *rib_attrs_intern(struct rib *, const struct rib_attrs_key *);
void rib_attrs_ref(struct rib_attrs *);
void rib_attrs_unref(struct rib *, struct rib_attrs *);
void rib_attrs_stats(const struct rib *, struct rib_attrs_stats *);

/*
 * Routes in.  Each prefix of an NLRI field (as the codec gives it) gets
 * attrs (a reference is taken per route) from peer; or is withdrawn.
 * Returns the number of prefixes handled.  Nothing is decided until
 * rib_process.
 */
size_t rib_announce(struct rib *, uint16_t peer, uint16_t afi,
    const uint8_t *nlri, size_t len, bool addpath, struct rib_attrs *attrs);
size_t rib_withdraw(struct rib *, uint16_t peer, uint16_t afi,
    const uint8_t *nlri, size_t len, bool addpath);
/* One prefix, for locally originated routes and tests. */
void rib_add(struct rib *, uint16_t peer, const struct rib_prefix *,
    uint32_t path_id, struct rib_attrs *attrs);
void rib_del(
    struct rib *, uint16_t peer, const struct rib_prefix *, uint32_t path_id);

/* Every route of a peer (session down), or of one family. */
void rib_peer_flush(struct rib *, uint16_t peer, uint8_t af);
/* Graceful restart: mark the peer's routes stale; drop those still stale. */
void rib_peer_mark_stale(struct rib *, uint16_t peer, uint8_t af);
void rib_peer_sweep_stale(struct rib *, uint16_t peer, uint8_t af);

/* Marks every destination changed (the decision's settings changed). */
void rib_redecide(struct rib *);
/*
 * What nexthop_ok says may have changed (kernel routes, settings):
 * asks it again for every attribute set in use and marks changed the
 * destinations where a path's eligibility changed.
 */
void rib_nexthops_changed(struct rib *);
/* Runs the decision process on every changed prefix. */
void rib_process(struct rib *);

/* ---- out ---- */

/* The peer is up: queue the whole table for it (then End-of-RIB). */
void rib_out_start(struct rib *, uint16_t peer);
/* The peer is down: forget what it was sent. */
void rib_out_stop(struct rib *, uint16_t peer);
/*
 * Queue the whole table again (route refresh, policy change); with
 * eorr, an EoRR (RFC 7313) follows the re-sent routes of each family.
 */
void rib_out_refresh(struct rib *, uint16_t peer, uint8_t af, bool eorr);

/*
 * Packs queued changes for peer into UPDATE messages of at most max
 * bytes and hands each to send(); stops when send() returns false
 * (the peer's queue is full; call again later) or the queue is empty.
 * After the first full table, the End-of-RIB of each family goes out.
 * Returns true when nothing is left queued.
 */
bool rib_out_flush(struct rib *, uint16_t peer, size_t max,
    bool (*send)(void *arg, const uint8_t *msg, size_t len), void *arg);
bool rib_out_pending(const struct rib *, uint16_t peer);
/*
 * The attributes the export path (the RIB's rules, then the export_ok
 * hook) gives peer for d now: a new reference, or NULL if peer is not
 * to have d.  Not cached; for showing what a peer is sent.
 */
struct rib_attrs *rib_out_attrs(
    struct rib *, uint16_t peer, const struct rib_dest *);

/*
 * The outbound cap of a peer, per family index (0 IPv4, 1 IPv6):
 * prefixes advertised, prefixes withheld because the cap is reached,
 * and the first of these in prefix order.  Semantics: what is
 * advertised stays; a new prefix goes out while there is room; room
 * that frees up goes to the withheld prefixes, lowest first.  A whole
 * table (session start, refresh) is taken in prefix order, so the
 * lowest prefixes go out, and a lowered cap withdraws the highest.
 */
struct rib_out_cap {
	size_t adv;
	size_t held;
	struct rib_prefix first_held; /* if held > 0 */
};
void rib_out_cap(
    const struct rib *, uint16_t peer, int afidx, struct rib_out_cap *);

/* ---- looking ---- */

struct rib_dest *rib_lookup(const struct rib *, const struct rib_prefix *);
/* rib_lookup of n (at most RIB_LOOKUP_MANY) prefixes, faster. */
#define RIB_LOOKUP_MANY 64
void rib_lookup_many(const struct rib *, const struct rib_prefix *p, size_t n,
    struct rib_dest **out);
/* Calls fn on every destination of a family, in prefix order. */
void rib_walk(const struct rib *, uint16_t afi,
    void (*fn)(void *arg, const struct rib_dest *), void *arg);
/* The same in no order, without sorting: for counting. */
void rib_foreach(const struct rib *, uint16_t afi,
    void (*fn)(void *arg, const struct rib_dest *), void *arg);
/*
 * The prefixes of a family that have paths, in order, as a malloc'd
 * array of *n (NULL if none): a snapshot to walk in parts, looking
 * each up again (rib_lookup) as the RIB may change in between.
 */
struct rib_prefix *rib_prefixes(const struct rib *, uint16_t afi, size_t *n);

struct rib_stats {
	size_t prefixes[2]; /* IPv4, IPv6 destinations with a path */
	size_t paths;
	size_t dest_bytes;
	size_t path_bytes;
	struct rib_attrs_stats attrs;
};
void rib_stats(const struct rib *, struct rib_stats *);
/* Routes a peer has in the RIB (accepted), per family index 0/1. */
size_t rib_peer_count(const struct rib *, uint16_t peer, int afidx);

/*
 * Decision between two paths (RFC 4271 §9.1.2.2 and tie-breaks): < 0
 * if a is preferred, > 0 if b; the magnitude is the number of the rule
 * that decided (1 LOCAL_PREF, 2 local, 3 AS_PATH length, 4 ORIGIN,
 * 5 MED, 6 eBGP over iBGP, 7 router ID, 8 CLUSTER_LIST, 9 peer address,
 * 10 path identifier, 11 peer number).
 */
int rib_path_cmp(
    const struct rib *, const struct rib_path *a, const struct rib_path *b);

#endif
