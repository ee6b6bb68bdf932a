/*
 * show_cmd.h: the exec-mode commands (show_cmd.c) and what they act on.
 */
#ifndef DXBGP_SHOW_CMD_H
#define DXBGP_SHOW_CMD_H

#include <stdbool.h>

struct bgpd;

struct show_ctx {
	struct bgpd *bgpd;
	bool quit; /* the client asked to close */
};

void show_cmd_register(void);
/* `show bfd peers` (bfd_cmd.c); show_cmd_register registers it too. */
void bfd_cmd_register(void);

#endif
