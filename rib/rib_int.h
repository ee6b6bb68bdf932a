/*
 * rib_int.h: the inside of struct rib, shared by the files of rib/ and
 * by their unit tests; nothing outside rib/ includes it.
 */
#ifndef DXBGP_RIB_INT_H
#define DXBGP_RIB_INT_H

#include <dxbgp/rib.h>

/* Fixed-size records, carved from large chunks, recycled on a list. */
struct slab {
	size_t size; /* of one record */
	size_t per_chunk;
	void *free;        /* recycled records, linked through their start */
	uint8_t *fresh;    /* never handed out yet, in the last chunk */
	size_t fresh_left; /* records there */
	void **chunks;
	size_t nchunks;
	size_t cap;  /* records in all chunks */
	size_t used; /* records handed out */
};

/* Big blocks: 2 MB aligned, huge pages asked for (see table.c). */
#define RIB_HUGE (2u << 20)
void *rib_big_alloc(size_t bytes);
void rib_big_free(void *p, size_t bytes);

/*
 * per_chunk 0: chunks of 64 KB, each twice the one before, up to 2 MB
 * (RIB_HUGE): a small table stays small, a large one sits in huge
 * pages.
 */
void slab_init(struct slab *, size_t size, size_t per_chunk);
void *slab_alloc(struct slab *);
void slab_free(struct slab *, void *);
void slab_clean(struct slab *);

/* Exact-match table of one family: open addressing over dest pointers. */
struct ptable {
	struct rib_dest **slot;
	size_t nslot; /* a power of two */
	size_t count;
};

/* Outbound state of one peer. */
struct rib_out {
	bool up;          /* the session is established */
	bool eor_sent[2]; /* End-of-RIB after the first full table */
	bool eor_due[2];
	bool eorr_due[2];        /* RFC 7313 EoRR after a refresh's re-send */
	struct rib_dest **queue; /* dests whose dirty bit is set for us */
	size_t qhead;
	size_t qlen;
	size_t qcap;
	bool sorted; /* the backlog was ordered by attribute set */
	/* export cache: input attrs -> attrs sent (or NULL: nothing) */
	struct out_cache_ent *cache;
	size_t ncache;
	size_t cache_used;
	/* export_per_prefix: results of the chunk being packed */
	struct rib_attrs **hold;
	size_t nhold, caphold;
	/* the outbound cap (rib_peer_info.out_max), adjout.c */
	size_t nadv[2];              /* destinations advertised, per family */
	struct out_held *held;       /* withheld by the cap, in prefix order */
	size_t nheld, capheld;       /* entries (gone ones included) */
	size_t held_af[2];           /* withheld, per family */
	struct rib_prefix *held_new; /* to merge into held */
	size_t nheld_new, capheld_new;
};

/* A prefix withheld by the outbound cap; gone: no longer withheld. */
struct out_held {
	struct rib_prefix pfx;
	bool gone;
};

struct out_cache_ent {
	struct rib_attrs *in;  /* NULL: free slot */
	struct rib_attrs *out; /* NULL: not exported */
	uint16_t src;          /* the peer the path came from */
	uint8_t afi;           /* of the destination: the next hop sent */
};

struct rib {
	struct rib_config conf;
	uint32_t nh_epoch; /* see rib_attrs.nh_epoch */
	struct rib_hooks hooks;
	struct rib_peer_info peer[RIB_MAX_PEERS];
	bool peer_known[RIB_MAX_PEERS];
	size_t peer_routes[RIB_MAX_PEERS][2];
	/* interned attribute sets */
	struct rib_attrs **abucket;
	size_t nabucket;
	size_t nattrs;
	size_t abytes;
	/* destinations */
	struct ptable tab[2]; /* IPv4, IPv6 */
	struct slab dest_slab;
	struct slab path_slab;
	size_t npaths;
	/* destinations whose paths changed since the last rib_process */
	struct rib_dest **changed;
	size_t nchanged;
	size_t changed_cap;
	bool walking; /* peer_paths is going through the tables */
	struct rib_out out[RIB_MAX_PEERS];
	uint8_t *obuf; /* message being packed */
	uint8_t *abuf; /* attributes being encoded */
	uint8_t *ubuf; /* unknown attributes of a key */
	/* flush work space: a chunk of the queue grouped by attributes */
	struct flush_ent *fent;
	size_t fcap;
};

struct flush_ent {
	struct rib_dest *d;
	struct rib_attrs *out; /* NULL: withdraw */
	uint32_t group;        /* index of the first entry of its group */
};

static inline int
rib_afidx(uint8_t afi)
{
	return afi == BGP_AFI_IPV6 ? 1 : 0;
}

/* table.c */
void ptable_init(struct ptable *);
void ptable_clean(struct ptable *);
struct rib_dest *ptable_find(const struct ptable *, const struct rib_prefix *);
void ptable_insert(struct ptable *, struct rib_dest *);
/*
 * The slot of p: holding its destination, or empty, where one may be
 * stored (then count it: t->count++).  One probe for find-or-insert.
 */
struct rib_dest **ptable_slot(struct ptable *, const struct rib_prefix *);
void ptable_remove(struct ptable *, struct rib_dest *);

/* decide.c: puts the best path first and sets d->nbest. */
void rib_decide(struct rib *, struct rib_dest *);

/* rib.c */
void rib_dest_changed(struct rib *, struct rib_dest *);
/* Frees a destination with no path that no peer still needs. */
void rib_dest_maybe_free(struct rib *, struct rib_dest *);

/* adjout.c */
void rib_out_dest_changed(struct rib *, struct rib_dest *);
void rib_out_clean(struct rib *);

#endif
