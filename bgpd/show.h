/*
 * show.h: what `show` commands print about the sessions and the
 * routes, as text for people and as JSON for scripts (the keys are
 * documented in dxsh(1), SHOW COMMANDS, and only ever added to).
 */
#ifndef DXBGP_SHOW_H
#define DXBGP_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include <dxbgp/rib.h>

#include "session.h"

void show_bgp_summary(struct bgpd *, FILE *out, bool json);
/* addr NULL: every neighbor.  Returns -1 if addr names no neighbor. */
int show_bgp_neighbors(
    struct bgpd *, const struct conf_addr *addr, FILE *out, bool json);
/* The routes of a family (BGP_AFI_*), in prefix order. */
void show_bgp_routes(struct bgpd *, uint16_t afi, FILE *out, bool json);
/*
 * The same in parts, for the control socket (cmd_more): prints the
 * head and returns the walk; show_stream_part prints the next part
 * and returns false after the last; show_stream_free ends it.
 */
void *show_bgp_routes_begin(struct bgpd *, uint16_t afi, FILE *out, bool json);
bool show_stream_part(void *stream, FILE *out);
void show_stream_free(void *stream);
/*
 * One prefix in detail, every path with all its attributes: pfx
 * itself, or (exact false) the longest prefix holding its address.
 * Returns -1 if there is none.
 */
int show_bgp_prefix(struct bgpd *, const struct rib_prefix *pfx, bool exact,
    FILE *out, bool json);

/* The routes of one neighbor. */
enum show_nbr_routes {
	SHOW_RECEIVED,   /* as received (soft-reconfiguration inbound) */
	SHOW_ACCEPTED,   /* its routes in the RIB */
	SHOW_ADVERTISED, /* ours as sent to it, after the export rules */
};
/* Returns -1 with the reason in err if they cannot be shown. */
int show_bgp_neighbor_routes(struct bgpd *, const struct conf_addr *addr,
    enum show_nbr_routes, FILE *out, bool json, char *err, size_t errlen);
/* The same in parts (see show_bgp_routes_begin); NULL and err if not. */
void *show_bgp_neighbor_routes_begin(struct bgpd *,
    const struct conf_addr *addr, enum show_nbr_routes, FILE *out, bool json,
    char *err, size_t errlen);

void show_bgp_memory(struct bgpd *, FILE *out, bool json);

/*
 * "A.B.C.D/M" or "X:X::X:X/M" (or without /M: *exact false, full
 * length) of family afi, host bits cleared.  False if it is not one.
 */
bool show_prefix_parse(
    const char *s, uint16_t afi, struct rib_prefix *, bool *exact);
/* A JSON string literal, quotes included. */
void show_json_str(FILE *out, const char *s);

#endif
