/*
 * prog_nl.h: rtnetlink route messages for dxprog (prog_nl.c), and the
 * socket that carries them (prog_kern.c).
 */
#ifndef DXBGP_PROG_NL_H
#define DXBGP_PROG_NL_H

#include <linux/netlink.h>

#include <ev.h>

#include "prog.h"

/* Which routes are dxprog's: its table, protocol number and metric. */
struct pnl_cfg {
	uint32_t table;
	uint8_t proto;
	uint32_t metric;
};

/* The longest message pnl_route_msg makes (PR_NH_MAX IPv6 next hops). */
#define PNL_MSG_MAX (256 + PR_NH_MAX * 32)

/*
 * RTM_NEWROUTE (ADD: create, failing if a route with the same key
 * exists; REPLACE: create or replace) or RTM_DELROUTE for pfx/plen,
 * with NLM_F_ACK.  Several next hops make one RTA_MULTIPATH route; a
 * next hop of the other family goes in RTA_VIA.  Returns the length, 0
 * if cap is too small.
 */
size_t pnl_route_msg(uint8_t *buf, size_t cap, const struct pnl_cfg *,
    uint32_t seq, enum pr_op_kind, const struct pr_addr *pfx, uint8_t plen,
    const struct pr_nhs *nhs);
/* RTM_GETROUTE dump of one family, filtered by table and protocol. */
size_t pnl_dump_msg(
    uint8_t *buf, size_t cap, const struct pnl_cfg *, uint32_t seq, uint8_t af);

/* A route read from a dump. */
struct pnl_kroute {
	struct pr_addr pfx;
	uint8_t plen;
	uint32_t metric;
	struct pr_nhs *nhs; /* into room */
	uint8_t room[PR_NHS_SIZE(PR_NH_MAX)] __attribute__((aligned(8)));
};
/*
 * Reads an RTM_NEWROUTE of h->nlmsg_len bytes: 1 if it is a unicast
 * route of cfg's table and protocol (any metric), 0 if it is another
 * route, -1 if it is malformed.
 */
int pnl_parse_route(
    const struct nlmsghdr *h, const struct pnl_cfg *, struct pnl_kroute *);
/*
 * Reads an NLMSG_ERROR: the error (0 for an ack), and the prefix of
 * the route message it answers if the kernel echoed it (1) or not (0).
 * *why: the kernel's extended ack text, or NULL.
 */
int pnl_parse_err(const struct nlmsghdr *h, int *err, struct pr_addr *pfx,
    uint8_t *plen, const char **why);

/* ---- prog_kern.c: the rtnetlink socket ---- */

struct pkern;
/*
 * Opens the socket; changes come from the table's dirty list.  done is
 * called when a reconcile (or a withdrawal) has been sent in full and
 * every answer read.
 */
struct pkern *pkern_new(struct ev_loop *, const struct pnl_cfg *,
    struct pr_table *, struct pr_counters *);
void pkern_free(struct pkern *);
/* Dumps the table, then sends what differs (the table's dirty list). */
void pkern_reconcile(struct pkern *);
/* Sends what is on the dirty list (unless a reconcile is under way). */
void pkern_kick(struct pkern *);
/* Whether nothing is queued, in flight or pending. */
int pkern_idle(const struct pkern *);
/* Called when pkern becomes idle. */
void pkern_on_idle(struct pkern *, void (*fn)(void *), void *arg);

#endif
