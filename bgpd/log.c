/*
 * log.c: the daemon's log and its run-time debugging switches.
 *
 * Owns the destinations of log lines (standard error in the
 * foreground, syslog with facility daemon, a file), the level of each,
 * and the debug flags that the shell's `debug` commands set: per
 * neighbor (by address) and for every UPDATE.  A line is formatted once
 * and written to each destination whose level admits it; syslog gets
 * the same text as standard error, without the timestamp and level
 * that syslog records itself.
 *
 * The debug summaries of BGP messages (RFC 4271 §4, RFC 4760 §3-4)
 * read only the message header, the lengths of the UPDATE sections and
 * the headers of its path attributes, every read bounds-checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <dxbgp/bgp.h>
#include <dxbgp/wire.h>

#include "log.h"

#define LOG_LINE_MAX  2048
#define LOG_DBG_PEERS 64
#define LOG_PEER_NAME 64
#define LOG_IDENT_MAX 32

static const struct {
	const char *name;  /* in the config */
	const char *label; /* on standard error and in files */
	int prio;          /* syslog */
} levels[LOG_LVL_COUNT] = {
	[LOG_LVL_ERR] = { "errors", "error", LOG_ERR },
	[LOG_LVL_WARN] = { "warnings", "warning", LOG_WARNING },
	[LOG_LVL_NOTICE] = { "notifications", "notice", LOG_NOTICE },
	[LOG_LVL_INFO] = { "informational", "info", LOG_INFO },
	[LOG_LVL_DEBUG] = { "debugging", "debug", LOG_DEBUG },
};

static struct {
	char ident[LOG_IDENT_MAX];
	bool console; /* standard error */
	enum log_level console_max;
	bool syslog_default; /* not in the foreground */
	enum log_level default_max;
	bool syslog_conf; /* log syslog */
	enum log_level syslog_max;
	bool syslog_open;
	FILE *file;
	char *file_path;
	enum log_level file_max;
} lg = {
	.ident = "dxbgpd",
	.console = true,
	.console_max = LOG_LVL_INFO,
	.default_max = LOG_LVL_INFO,
};

unsigned int log_dbg_flags;
unsigned int log_dbg_npeers;
static char dbg_peers[LOG_DBG_PEERS][LOG_PEER_NAME];

/* ---- levels ---- */

const char *
log_level_name(enum log_level lvl)
{
	return lvl < LOG_LVL_COUNT ? levels[lvl].name : "?";
}

int
log_level_parse(const char *name)
{
	for (int i = 0; i < LOG_LVL_COUNT; i++)
		if (strcmp(name, levels[i].name) == 0)
			return i;
	return -1;
}

/* ---- destinations ---- */

static void
syslog_update(void)
{
	bool on = lg.syslog_conf || lg.syslog_default;

	if (on && !lg.syslog_open) {
		openlog(lg.ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
		lg.syslog_open = true;
	} else if (!on && lg.syslog_open) {
		closelog();
		lg.syslog_open = false;
	}
}

void
log_init(const char *ident, int to_stderr, enum log_level max)
{
	snprintf(lg.ident, sizeof(lg.ident), "%s", ident);
	lg.console = to_stderr != 0;
	lg.console_max = max;
	lg.syslog_default = !to_stderr;
	lg.default_max = max;
	syslog_update();
}

void
log_set_syslog(bool on, enum log_level max)
{
	lg.syslog_conf = on;
	lg.syslog_max = max;
	syslog_update();
}

int
log_set_file(const char *path, enum log_level max)
{
	FILE *f;
	int fd;

	if (path == NULL) {
		if (lg.file != NULL)
			fclose(lg.file);
		free(lg.file_path);
		lg.file = NULL;
		lg.file_path = NULL;
		return 0;
	}
	fd = open(
	    path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	if (fd == -1)
		return -1;
	f = fdopen(fd, "a");
	if (f == NULL) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	if (lg.file != NULL)
		fclose(lg.file);
	if (lg.file_path == NULL || strcmp(lg.file_path, path) != 0) {
		free(lg.file_path);
		lg.file_path = strdup(path);
		if (lg.file_path == NULL) {
			fclose(f);
			lg.file = NULL;
			log_fatal("out of memory");
		}
	}
	lg.file = f;
	lg.file_max = max;
	return 0;
}

const char *
log_file_path(void)
{
	return lg.file_path;
}

/* ---- lines ---- */

static void
put_stamped(FILE *f, enum log_level lvl, const char *line)
{
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(f, "%s.%03ld %s: %s\n", when, ts.tv_nsec / 1000000,
	    levels[lvl].label, line);
	fflush(f);
}

void
log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	bool to_console, to_syslog, to_file;
	enum log_level smax;

	if (lvl >= LOG_LVL_COUNT)
		lvl = LOG_LVL_DEBUG;
	smax = lg.syslog_conf ? lg.syslog_max : lg.default_max;
	to_console = lg.console && lvl <= lg.console_max;
	to_syslog = lg.syslog_open && lvl <= smax;
	to_file = lg.file != NULL && lvl <= lg.file_max;
	if (!to_console && !to_syslog && !to_file)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	if (to_console)
		put_stamped(stderr, lvl, line);
	if (to_syslog)
		syslog(levels[lvl].prio, "%s", line);
	if (to_file)
		put_stamped(lg.file, lvl, line);
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}

void
log_lines(enum log_level lvl, const char *prefix, const char *text)
{
	const char *p = text, *nl;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if (nl > p)
			log_msg(lvl, "%s%.*s", prefix, (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
}

void
log_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_ERR, fmt, ap);
	va_end(ap);
	abort();
}

/* ---- debug switches ---- */

static int
dbg_find(const char *name)
{
	for (unsigned int i = 0; i < log_dbg_npeers; i++)
		if (strcmp(dbg_peers[i], name) == 0)
			return (int)i;
	return -1;
}

bool
log_dbg_peer_lookup(const char *name)
{
	return dbg_find(name) >= 0;
}

int
log_dbg_peer_set(const char *name, bool on)
{
	int i = dbg_find(name);

	if (on) {
		if (i >= 0)
			return 0;
		if (log_dbg_npeers == LOG_DBG_PEERS ||
		    strlen(name) >= LOG_PEER_NAME)
			return -1;
		snprintf(
		    dbg_peers[log_dbg_npeers++], LOG_PEER_NAME, "%s", name);
		return 0;
	}
	if (i < 0)
		return 0;
	log_dbg_npeers--;
	if ((unsigned int)i != log_dbg_npeers)
		memcpy(dbg_peers[i], dbg_peers[log_dbg_npeers], LOG_PEER_NAME);
	return 0;
}

void
log_dbg_set(unsigned int flag, bool on)
{
	if (on)
		log_dbg_flags |= flag;
	else
		log_dbg_flags &= ~flag;
}

void
log_dbg_clear(void)
{
	log_dbg_flags = 0;
	log_dbg_npeers = 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

void
log_dbg_print(FILE *out)
{
	char sorted[LOG_DBG_PEERS][LOG_PEER_NAME];

	fputs("BGP debugging status:\n", out);
	if (log_dbg_flags == 0 && log_dbg_npeers == 0) {
		fputs("  none\n", out);
		return;
	}
	if (log_dbg_flags & LOG_DBG_UPDATES)
		fputs("  BGP updates debugging is on\n", out);
	memcpy(sorted, dbg_peers, sizeof(sorted[0]) * log_dbg_npeers);
	qsort(sorted, log_dbg_npeers, sizeof(sorted[0]), cmp_name);
	for (unsigned int i = 0; i < log_dbg_npeers; i++)
		fprintf(out, "  BGP neighbor %s debugging is on\n", sorted[i]);
}

/* ---- message summaries ---- */

static const char *
msg_type_name(uint8_t type)
{
	switch (type) {
	case BGP_MSG_OPEN:
		return "OPEN";
	case BGP_MSG_UPDATE:
		return "UPDATE";
	case BGP_MSG_NOTIFICATION:
		return "NOTIFICATION";
	case BGP_MSG_KEEPALIVE:
		return "KEEPALIVE";
	case BGP_MSG_ROUTE_REFRESH:
		return "ROUTE-REFRESH";
	}
	return "message of unknown type";
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Prefixes announced and withdrawn per family: [0] IPv4, [1] IPv6. */
struct upd_count {
	long ann[2];
	long wd[2];
	bool eor[2];
	bool malformed;
};

static void
count_nlri(struct upd_count *c, long *slot, const uint8_t *p, size_t len,
    uint16_t afi, uint8_t addpath)
{
	long n;

	n = wire_nlri_check(p, len, afi, (addpath >> (afi - 1)) & 1);
	if (n < 0)
		c->malformed = true;
	else
		*slot += n;
}

/* The MP_REACH_NLRI or MP_UNREACH_NLRI attribute value (RFC 4760). */
static void
count_mp(struct upd_count *c, bool reach, const uint8_t *v, size_t len,
    uint8_t addpath)
{
	uint16_t afi;
	size_t off;
	int f;

	if (len < 3) {
		c->malformed = true;
		return;
	}
	afi = get16(v);
	if (afi != BGP_AFI_IPV4 && afi != BGP_AFI_IPV6)
		return;
	f = afi - 1;
	if (!reach) {
		if (len == 3)
			c->eor[f] = true;
		count_nlri(c, &c->wd[f], v + 3, len - 3, afi, addpath);
		return;
	}
	/* AFI, SAFI, next hop length, next hop, reserved octet */
	if (len < 4 || (off = 4 + (size_t)v[3] + 1) > len) {
		c->malformed = true;
		return;
	}
	count_nlri(c, &c->ann[f], v + off, len - off, afi, addpath);
}

static void
count_update(
    struct upd_count *c, const uint8_t *body, size_t len, uint8_t addpath)
{
	size_t wdl, al, i;
	const uint8_t *a;

	memset(c, 0, sizeof(*c));
	if (len < 4 || (wdl = get16(body)) + 4 > len ||
	    wdl + 4 + (al = get16(body + 2 + wdl)) > len) {
		c->malformed = true;
		return;
	}
	count_nlri(c, &c->wd[0], body + 2, wdl, BGP_AFI_IPV4, addpath);
	a = body + 4 + wdl;
	for (i = 0; i < al;) {
		uint8_t flags, type;
		size_t vlen, hdr;

		if (al - i < 3) {
			c->malformed = true;
			return;
		}
		flags = a[i];
		type = a[i + 1];
		hdr = (flags & BGP_ATTR_F_EXTLEN) ? 4 : 3;
		if (al - i < hdr) {
			c->malformed = true;
			return;
		}
		vlen = hdr == 4 ? get16(a + i + 2) : a[i + 2];
		if (al - i - hdr < vlen) {
			c->malformed = true;
			return;
		}
		if (type == BGP_ATTR_MP_REACH_NLRI ||
		    type == BGP_ATTR_MP_UNREACH_NLRI)
			count_mp(c, type == BGP_ATTR_MP_REACH_NLRI, a + i + hdr,
			    vlen, addpath);
		i += hdr + vlen;
	}
	count_nlri(
	    c, &c->ann[0], a + al, len - 4 - wdl - al, BGP_AFI_IPV4, addpath);
	if (wdl == 0 && al == 0 && len == 4)
		c->eor[0] = true;
}

static void
fmt_update(char *buf, size_t size, const struct upd_count *c)
{
	static const char *fam[2] = { "IPv4", "IPv6" };
	size_t n = 0;

	buf[0] = '\0';
	if (c->malformed) {
		snprintf(buf, size, ": malformed");
		return;
	}
	for (int f = 0; f < 2; f++) {
		if (c->eor[f])
			n += (size_t)snprintf(buf + n, size - n,
			    "%s End-of-RIB %s", n ? ";" : ":", fam[f]);
		else if (c->ann[f] != 0 || c->wd[f] != 0)
			n += (size_t)snprintf(buf + n, size - n,
			    "%s %s %ld announced, %ld withdrawn", n ? ";" : ":",
			    fam[f], c->ann[f], c->wd[f]);
		if (n >= size)
			return;
	}
}

void
log_bgp_msg_slow(
    const char *peer, bool sent, const uint8_t *msg, uint8_t addpath)
{
	uint16_t len = get16(msg + BGP_MARKER_LEN);
	uint8_t type = msg[BGP_MARKER_LEN + 2];
	struct upd_count c;
	char what[160] = "";

	if (!log_peer_debugging(peer) &&
	    !(type == BGP_MSG_UPDATE && (log_dbg_flags & LOG_DBG_UPDATES)))
		return;
	if (type == BGP_MSG_UPDATE && len >= BGP_HDR_LEN) {
		count_update(&c, msg + BGP_HDR_LEN, len - BGP_HDR_LEN, addpath);
		fmt_update(what, sizeof(what), &c);
	}
	log_msg(LOG_LVL_DEBUG, "neighbor %s: %s %s (%u bytes)%s", peer,
	    sent ? "sent" : "received", msg_type_name(type), len, what);
}
