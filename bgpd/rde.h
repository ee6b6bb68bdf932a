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

#endif
