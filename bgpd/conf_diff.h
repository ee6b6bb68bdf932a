/*
 * conf_diff.h: what putting a new configuration in force does to each
 * neighbor (conf_diff.c).
 *
 * One pure function classifies the changes of a neighbor between two
 * trees; bgpd_configure takes its reset decision from it, and `reload
 * check` in the shell prints it, so the two never disagree.
 */
#ifndef DXBGP_CONF_DIFF_H
#define DXBGP_CONF_DIFF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"

/* Why a session is reset: settings it was opened with. */
#define CONF_DIFF_R_REMOTE_AS     (1u << 0)
#define CONF_DIFF_R_LOCAL_AS      (1u << 1) /* local-as, or router bgp AS */
#define CONF_DIFF_R_PASSWORD      (1u << 2)
#define CONF_DIFF_R_UPDATE_SOURCE (1u << 3)
#define CONF_DIFF_R_PORT          (1u << 4)
#define CONF_DIFF_R_TIMERS        (1u << 5) /* keepalive, hold time */
#define CONF_DIFF_R_PASSIVE       (1u << 6)
#define CONF_DIFF_R_TTL_SECURITY  (1u << 7)
#define CONF_DIFF_R_MULTIHOP      (1u << 8)
#define CONF_DIFF_R_AF            (1u << 9) /* families (capabilities) */
#define CONF_DIFF_R_MAX_PREFIX    (1u << 10)
#define CONF_DIFF_R_ROUTER_ID     (1u << 11) /* the BGP identifier */
#define CONF_DIFF_R_PROFILE       (1u << 12) /* its timers, capabilities */
#define CONF_DIFF_R_COUNT         13

/* Changes that take effect without a reset. */
#define CONF_DIFF_O_DESCRIPTION   (1u << 0)
#define CONF_DIFF_O_CONNECT_RETRY (1u << 1)
#define CONF_DIFF_O_MRAI          (1u << 2)
#define CONF_DIFF_O_MAX_PREFIX    (1u << 3) /* threshold, warning-only, restart */
#define CONF_DIFF_O_SHUTDOWN_MSG  (1u << 4)
#define CONF_DIFF_O_BFD           (1u << 5) /* BFD never resets BGP */
#define CONF_DIFF_O_INTERFACE     (1u << 6) /* neighbor X interface NAME */
#define CONF_DIFF_O_COUNT         7

enum conf_diff_kind {
	CONF_DIFF_UNCHANGED,
	CONF_DIFF_ADDED,
	CONF_DIFF_REMOVED,
	CONF_DIFF_CHANGED
};

enum conf_diff_admin {
	CONF_DIFF_ADMIN_SAME,
	CONF_DIFF_ADMIN_DOWN, /* shutdown given: Cease/2 and stays down */
	CONF_DIFF_ADMIN_UP    /* shutdown removed: starts */
};

struct conf_diff {
	enum conf_diff_kind kind;
	unsigned reset; /* CONF_DIFF_R_*: the session is reset */
	enum conf_diff_admin admin;
	/* Policy re-applied without a reset (RFC 2918 / RFC 7313). */
	bool policy_in, policy_out;
	bool in_stored; /* inbound from the stored Adj-RIB-In, no refresh */
	unsigned other; /* CONF_DIFF_O_* */
};

/*
 * Classifies a neighbor: on in old (NULL if added), nn in new (NULL if
 * removed).  The trees are needed for what lives outside the neighbor
 * (the router's AS and identifier, policy objects).
 */
void conf_diff_neighbor(const struct conf *old, const struct conf_neighbor *on,
    const struct conf *new, const struct conf_neighbor *nn, struct conf_diff *);
/* The BGP identifier a tree puts in force (host order). */
uint32_t conf_diff_router_id(const struct conf *);
/* The name of one CONF_DIFF_R_ or CONF_DIFF_O_ bit: "password". */
const char *conf_diff_reset_name(unsigned bit);
const char *conf_diff_other_name(unsigned bit);
/*
 * One line, without the neighbor: "reset (password, remote-as)",
 * "policy re-applied: in (route refresh), out", "added", ...
 */
void conf_diff_print(const struct conf_diff *, FILE *out);
/*
 * What a new tree changes outside the neighbors, one line each
 * ("router-id 10.0.0.1 -> 10.0.0.2 (every session is reset)"); returns
 * how many.
 */
int conf_diff_global(const struct conf *old, const struct conf *new, FILE *out);
/*
 * The whole of a reload: the global lines, then one line per neighbor
 * of either tree, "neighbor X: ...", in the order of new then the
 * removed ones.
 */
void conf_diff_report(
    const struct conf *old, const struct conf *new, FILE *out);

#endif
