/*
 * export.h: the route stream to route programmers (export.c).
 */
#ifndef DXBGP_EXPORT_H
#define DXBGP_EXPORT_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <dxbgp/rib.h>

#include "conf.h"

struct exp;
struct bgpd;

/* Heartbeats when the stream is idle, unless the subscriber asks. */
#define EXP_HEARTBEAT_MS 10000
/* A subscriber must say what it wants within this time. */
#define EXP_SUBSCRIBE_TIMEOUT 10.0
/* Bytes queued per subscriber before it is left to drain. */
#define EXP_TX_HIGH         (256u * 1024)
#define EXP_SUBSCRIBERS_MAX 64

struct exp *exp_new(struct ev_loop *, struct bgpd *);
/* The listeners and the journal size of conf (kept by pointer). */
void exp_configure(struct exp *, const struct conf *);
/* The RIB decided anew on a prefix (the rib's best_changed hook). */
void exp_route_changed(struct exp *, const struct rib_dest *);
/*
 * The daemon is stopping: closes every subscriber and listener at
 * once and ignores changes from now on.
 */
void exp_stop(struct exp *);
/* Closes every subscriber and listener. */
void exp_free(struct exp *);

/* `show export`: listeners, subscribers and the journal. */
void exp_show(const struct exp *, FILE *out, bool json);

#endif
