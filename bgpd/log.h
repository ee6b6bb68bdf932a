/*
 * log.h: the daemon's log.  One line per event, naming what it concerns
 * (the peer, the file) and what was done.
 *
 * Lines go to up to three destinations, each with its own level:
 *   - standard error, with a timestamp, in the foreground (dxbgpd -d);
 *   - syslog (facility daemon), by default when not in the foreground,
 *     or wherever the config says `log syslog [LEVEL]`;
 *   - a file (`log file PATH [LEVEL]`), in the format of standard error.
 *
 * Debug lines are only made when an operator asked for them (`debug
 * bgp neighbor X`, `debug bgp updates`): the callers test a flag
 * (log_peer_debugging, log_bgp_msg) before formatting anything, so
 * they cost one load and a branch when debugging is off.
 */
#ifndef DXBGP_LOG_H
#define DXBGP_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* In the order of syslog's priorities, most severe first. */
enum log_level {
	LOG_LVL_ERR,
	LOG_LVL_WARN,
	LOG_LVL_NOTICE,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
	LOG_LVL_COUNT
};

/*
 * to_stderr: the foreground, lines to stderr up to max; else to syslog
 * up to max, under ident.  The config may add or change destinations.
 */
void log_init(const char *ident, int to_stderr, enum log_level max);
void log_msg(enum log_level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Each line of text (a "FILE:LINE: reason" list, say) as one log line. */
void log_lines(enum log_level, const char *prefix, const char *text);
/* Out of memory or a broken invariant that cannot be recovered from. */
void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)))
__attribute__((noreturn));

#define log_err(...)    log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...)   log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_notice(...) log_msg(LOG_LVL_NOTICE, __VA_ARGS__)
#define log_info(...)   log_msg(LOG_LVL_INFO, __VA_ARGS__)
/* Debug lines are made on request only: call it under a debug flag. */
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

/* ---- levels by name, as in FRR's `log syslog debugging` ---- */

/* "errors", "warnings", "notifications", "informational", "debugging". */
const char *log_level_name(enum log_level);
/* The level of a name, or -1. */
int log_level_parse(const char *name);

/* ---- destinations set by the config (log_cmd.c applies them) ---- */

/*
 * on: syslog at level max, in the foreground too; !on: back to the
 * default (syslog only when not in the foreground, up to log_init's max).
 */
void log_set_syslog(bool on, enum log_level max);
/*
 * Logs to path (absolute) at level max as well, or to no file if path
 * is NULL.  The same path is reopened (after logrotate moved it).
 * -1 with errno if it cannot be opened: the file logged to before, if
 * any, stays.
 */
int log_set_file(const char *path, enum log_level max);
/* The file logged to, or NULL. */
const char *log_file_path(void);

/* ---- run-time debugging (debug ... in the shell) ---- */

#define LOG_DBG_UPDATES (1u << 0) /* every UPDATE sent and received */

/* Read by the inline tests below; changed only through the functions. */
extern unsigned int log_dbg_flags;
extern unsigned int log_dbg_npeers;

/* Debugging for one neighbor, by its address as text (canonical). */
int log_dbg_peer_set(const char *name, bool on); /* -1: too many */
bool log_dbg_peer_lookup(const char *name);
void log_dbg_set(unsigned int flag, bool on);
/* no debug all */
void log_dbg_clear(void);
/* What show debugging prints. */
void log_dbg_print(FILE *out);

/* Whether debug lines about this neighbor are wanted. */
static inline bool
log_peer_debugging(const char *name)
{
	return log_dbg_npeers != 0 && log_dbg_peer_lookup(name);
}

void log_bgp_msg_slow(
    const char *peer, bool sent, const uint8_t *msg, uint8_t addpath);

/*
 * A BGP message (header included) sent to or received from a peer: one
 * debug line with its type and size, and for an UPDATE the prefixes
 * announced and withdrawn per family, if that peer is debugged or, for
 * UPDATEs, if `debug bgp updates` is on.  addpath: bit 0 IPv4, bit 1
 * IPv6 NLRI carry path identifiers (RFC 7911).
 */
static inline void
log_bgp_msg(const char *peer, bool sent, const uint8_t *msg, uint8_t addpath)
{
	if (log_dbg_npeers != 0 || log_dbg_flags != 0)
		log_bgp_msg_slow(peer, sent, msg, addpath);
}

#endif
