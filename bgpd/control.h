/*
 * control.h: the control socket that dxsh talks to.
 *
 * Protocol: the client sends one command per line; for each, the
 * daemon answers with the command's output followed by a NUL byte and
 * a status byte, '0' for success or '1' for an error.  Each client has
 * its own command mode, as a vtysh session does.
 */
#ifndef DXBGP_CONTROL_H
#define DXBGP_CONTROL_H

#include <ev.h>

#include "session.h"

#define CTL_LINE_MAX   4096
#define CTL_STATUS_OK  '0'
#define CTL_STATUS_ERR '1'

struct ctl;

/* Listens on path (replacing a stale socket); NULL on error, logged. */
struct ctl *ctl_new(struct ev_loop *, struct bgpd *, const char *path);
void ctl_free(struct ctl *);

#endif
