/*
 * prog_log.c: dxprog's log lines.
 *
 * In the foreground (dxprog -d) lines go to standard error with a
 * timestamp; otherwise to syslog (facility daemon, ident dxprog).
 * Refusals and overlap reports are rate-limited per kind, so that a
 * million-route snapshot full of refusals logs a few lines and a count
 * rather than a million lines; the counters keep the exact numbers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "prog.h"

static int log_stderr = 1;

static struct {
	time_t start;
	unsigned int lines, dropped;
} limit[PLOG_K_COUNT];

void
plog_init(int to_stderr)
{
	log_stderr = to_stderr;
	if (!to_stderr)
		openlog("dxprog", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static const char *
prio_label(int prio)
{
	switch (prio) {
	case LOG_ERR:
		return "error";
	case LOG_WARNING:
		return "warning";
	case LOG_NOTICE:
		return "notice";
	default:
		return "info";
	}
}

static void
plog_v(int prio, const char *fmt, va_list ap)
{
	char line[1024], stamp[32];
	struct timespec ts;
	struct tm tm;

	vsnprintf(line, sizeof(line), fmt, ap);
	if (!log_stderr) {
		syslog(prio, "%s", line);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld dxprog %s: %s\n", stamp, ts.tv_nsec / 1000000,
	    prio_label(prio), line);
}

void
plog(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	plog_v(prio, fmt, ap);
	va_end(ap);
}

void
plog_limited(enum plog_kind k, int prio, const char *fmt, ...)
{
	time_t now = time(NULL);
	va_list ap;

	if (now - limit[k].start >= PLOG_WINDOW) {
		if (limit[k].dropped > 0)
			plog(prio, "%u more lines like the above left out",
			    limit[k].dropped);
		limit[k].start = now;
		limit[k].lines = limit[k].dropped = 0;
	}
	if (limit[k].lines >= PLOG_BURST) {
		limit[k].dropped++;
		return;
	}
	limit[k].lines++;
	va_start(ap, fmt);
	plog_v(prio, fmt, ap);
	va_end(ap);
}

void
plog_fatal(const char *what)
{
	plog(LOG_ERR, "out of memory (%s); exiting", what);
	abort();
}

void *
pzalloc(size_t n)
{
	void *p = calloc(1, n);

	if (p == NULL)
		plog_fatal("allocation");
	return p;
}
