/*
 * show.h: what `show` commands print about the sessions, as text for
 * people and as JSON for scripts.
 */
#ifndef DXBGP_SHOW_H
#define DXBGP_SHOW_H

#include <stdbool.h>
#include <stdio.h>

#include "session.h"

void show_bgp_summary(struct bgpd *, FILE *out, bool json);
/* addr NULL: every neighbor.  Returns -1 if addr names no neighbor. */
int show_bgp_neighbors(
    struct bgpd *, const struct conf_addr *addr, FILE *out, bool json);
/* The routes of a family (BGP_AFI_*), in prefix order. */
void show_bgp_routes(struct bgpd *, uint16_t afi, FILE *out, bool json);
void show_bgp_memory(struct bgpd *, FILE *out, bool json);
/* A JSON string literal, quotes included. */
void show_json_str(FILE *out, const char *s);

#endif
