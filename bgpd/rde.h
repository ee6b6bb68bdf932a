/*
 * rde.h: between the sessions and the RIB (rde.c).
 */
#ifndef DXBGP_RDE_H
#define DXBGP_RDE_H

#include <dxbgp/rib.h>

#include "session.h"

struct rde;

/* Takes over the bgpd's session hooks. */
struct rde *rde_new(struct bgpd *);
/* A configuration came into force (after bgpd_configure). */
void rde_configure(struct rde *, const struct conf *);
struct rib *rde_rib(struct rde *);
void rde_free(struct rde *);

/* What `clear bgp X soft in|out` did (or why not). */
enum rde_soft {
	RDE_SOFT_STORED,  /* in: its stored routes re-imported */
	RDE_SOFT_REFRESH, /* in: asked it for its routes (route refresh) */
	RDE_SOFT_SENT,    /* out: our routes queued to be sent again */
	RDE_SOFT_NOT_UP,  /* the session is not established */
	RDE_SOFT_CANNOT   /* in: no stored routes and no route refresh */
};
/* Its routes through import again, from the store or by refresh. */
enum rde_soft rde_soft_in(struct peer *);
/* Every route we have for it sent again. */
enum rde_soft rde_soft_out(struct peer *);
/* Routes as received (soft-reconfiguration inbound); NULL if no RDE. */
struct rib *rde_adj_rib_in(struct bgpd *);

/*
 * Why a peer's routes of family afi are held back as a whole, in or
 * out (RFC 8212: no policy; a route-map not defined), or NULL.
 */
const char *rde_held_back(struct peer *, uint16_t afi, bool out);
/* Aggregates Tencent refuses ([T1]) withheld from a Tencent peer now. */
size_t rde_tencent_withheld(struct peer *);

#endif
