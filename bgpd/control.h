/*
 * control.h: the control socket that dxsh talks to, and putting a
 * configuration in force (the one way: SIGHUP, `reload` and
 * `configure terminal` all go through ctl_apply).
 *
 * Protocol: the client sends one request per line; for each, the
 * daemon answers with the output followed by a NUL byte and a status
 * byte: CTL_STATUS_OK, CTL_STATUS_ERR, or CTL_STATUS_DENIED (the
 * connection is refused and closed; the output says why).
 *
 * A request is a command line, run in the client's current mode (each
 * client has its own stack of modes, as a vtysh session does), or, if
 * its first byte is CTL_REQ, one of these, for the shell's line
 * editor; neither changes anything:
 *
 *   CTL_REQ CTL_REQ_HELP LINE   what may follow LINE (its last word,
 *        possibly empty, is a prefix): one line per choice,
 *        "KIND<TAB>WORD<TAB>HELP", KIND 'k' keyword, 'a' argument
 *        (WORD a placeholder such as A.B.C.D), 'c' the end of the line
 *        (<cr>).  Status ERR and "% reason" if the words before the
 *        last do not make a command.
 *   CTL_REQ CTL_REQ_PROMPT      the prompt for the current mode, e.g.
 *        "dxbgp(config-router)# " (the hostname of the running config).
 *
 * Lines longer than CTL_LINE_MAX close the connection, after an error.
 */
#ifndef DXBGP_CONTROL_H
#define DXBGP_CONTROL_H

#include <ev.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "cmd.h"
#include "session.h"
#include "show_cmd.h"

#define CTL_LINE_MAX      4096
#define CTL_STATUS_OK     '0'
#define CTL_STATUS_ERR    '1'
#define CTL_STATUS_DENIED '2'
#define CTL_REQ           '\001'
#define CTL_REQ_HELP      '?'
#define CTL_REQ_PROMPT    'p'

struct ctl;
struct rde;

/* The daemon as the shell and SIGHUP see it. */
struct ctl_daemon {
	struct bgpd *bgpd; /* its conf is the running configuration */
	struct rde *rde;
	const char *conf_path; /* the file reload reads, write memory writes */
	unsigned gen;          /* bumped by every ctl_apply */
};

/*
 * Puts conf in force (and takes it): the sessions (bgpd_configure),
 * the RIB (rde_configure), the log destinations.
 */
void ctl_apply(struct ctl_daemon *, struct conf *conf);
/*
 * Reads the config file and, if it is valid, puts it in force; else
 * every error goes to errs as FILE:LINE: reason, nothing changes and
 * it returns -1.  With report, what the reload does to each neighbor
 * is written to report first (conf_diff_report).
 */
int ctl_reload(struct ctl_daemon *, FILE *errs, FILE *report);

/*
 * What a control client's commands act on.  The exec commands get a
 * pointer to sc as cmd_state.ctx (show_cmd.c reads it as a struct
 * show_ctx); ctl_cmd.c, knowing it is the first member, gets the rest.
 * In a config mode, ctx is the candidate tree instead.
 */
struct ctl_session {
	struct show_ctx sc; /* first */
	struct ctl_daemon *dm;
	/* configure terminal: the candidate config, a copy of the running
	 * one at gen cand_gen, with the changes not yet applied */
	struct conf *cand;
	unsigned cand_gen;
	bool cand_dirty; /* differs from the running config, not applied */
	/* the line that entered each level of the mode stack */
	char *enter_line[CMD_DEPTH_MAX];
};

/*
 * Listens on path (replacing a stale socket), mode 0660, with group
 * group if has_group; connections from users other than root, our own
 * user and members of that group are refused.  NULL on error, logged.
 */
struct ctl *ctl_new(struct ev_loop *, struct ctl_daemon *, const char *path,
    bool has_group, gid_t group);
void ctl_free(struct ctl *);

/* The exec commands of ctl_cmd.c (running config, write, reload). */
void ctl_cmd_register(void);
/*
 * Runs one line of a client, with st its mode stack: in a config mode
 * on the candidate, which is then applied if valid (ctl_cmd.c).  Notes
 * and errors go to out; 0, or -1 with st->err set.
 */
int ctl_session_exec(
    struct ctl_session *, struct cmd_state *st, const char *line, FILE *out);
/* The client is gone: its candidate, if any, is discarded. */
void ctl_session_clean(struct ctl_session *, struct cmd_state *st);
/* The prompt of a mode: "dxbgp# ", "dxbgp(config)# ". */
void ctl_prompt(const struct conf *running, enum cmd_mode, FILE *out);

#endif
