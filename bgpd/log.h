/*
 * log.h: the daemon's log.  One line per event, naming what it concerns
 * (the peer, the file) and what was done.  To stderr in the foreground
 * (dxbgpd -d), to syslog otherwise.
 */
#ifndef DXBGP_LOG_H
#define DXBGP_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LVL_ERR,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

/* to_stderr: log to stderr with timestamps; else to syslog. */
void log_init(const char *ident, int to_stderr, enum log_level max);
void log_msg(enum log_level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Out of memory or a broken invariant that cannot be recovered from. */
void log_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)))
__attribute__((noreturn));

#define log_err(...)   log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
