/*
 * nht.h: next-hop tracking (nht.c): which next hops the kernel can
 * reach.
 *
 * A copy of the kernel's IPv4 and IPv6 routes (tables main and local,
 * unicast and local routes), kept current through rtnetlink, answers
 * "is there a route to this address?" for the RIB's nexthop_ok hook.
 * As in FRR, neither the default route nor routes that BGP itself put
 * in the kernel (protocol 186, what dxprog writes) make a next hop
 * reachable.  A change that may flip an answer calls back, once per
 * burst of kernel messages.
 */
#ifndef DXBGP_NHT_H
#define DXBGP_NHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ev.h>

#define NHT_PROTO_BGP    186 /* RTPROT_BGP: routes BGP installed */
#define NHT_PROTO_DXPROG 201 /* routes dxprog installed (dxprog.8) */

/* ---- the table, without sockets (tested alone) ---- */

struct nht_table;

struct nht_table *nht_table_new(void);
void nht_table_free(struct nht_table *);
/*
 * Applies one rtnetlink message (RTM_NEWROUTE or RTM_DELROUTE; others
 * are ignored).  Returns true if the set of reachable prefixes
 * changed, -1 if the message is malformed (nothing changed).
 */
int nht_table_apply(struct nht_table *, const void *nlmsg, size_t len);
/* Whether addr (4 or 16 bytes, network order) has a route. */
bool nht_table_reachable(
    const struct nht_table *, int family, const uint8_t *addr);
/* Routes held, per family (AF_INET, AF_INET6). */
size_t nht_table_count(const struct nht_table *, int family);

/* ---- the kernel side ---- */

struct nht;

/*
 * Dumps the kernel's routes and follows their changes; changed(arg)
 * runs after each burst of changes.  NULL (logged) if rtnetlink cannot
 * be opened: then nothing is known and nht_reachable says true.
 */
struct nht *nht_new(struct ev_loop *, void (*changed)(void *), void *arg);
void nht_free(struct nht *);
bool nht_reachable(const struct nht *, int family, const uint8_t *addr);

#endif
