/*
 * log_cmd.c: the commands about logging, rows of the one command table
 * (cmd.h).
 *
 * In the config (top level): `log syslog [LEVEL]` and `log file PATH
 * [LEVEL]`, with their "no" forms, set fields of struct conf that
 * log_conf_apply puts in force at start and on every reload; LEVEL is
 * one of FRR's names, errors to debugging (the default).  In the shell
 * (exec mode, run by the control socket): `debug bgp neighbor X`,
 * `debug bgp updates`, their "no" forms, `no debug all` and `show
 * debugging` switch the debug lines of log.c at run time; they last
 * until the daemon stops and are not part of the config.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "cmd.h"
#include "conf.h"
#include "log.h"

#define CONFIG CMD_M(CMD_MODE_CONFIG)
#define EXEC   CMD_M(CMD_MODE_EXEC)

#define LEVELS "[{errors|warnings|notifications|informational|debugging}]"
#define LEVELS_HELP                                                            \
	"Log errors only\n"                                                    \
	"Log warnings and errors\n"                                            \
	"Log notifications and above\n"                                        \
	"Log informational lines and above\n"                                  \
	"Log everything, debug lines too (default)\n"

/* The level keyword typed, or debugging. */
static uint8_t
level_arg(const struct cmd_args *a)
{
	for (int i = 0; i < LOG_LVL_COUNT; i++)
		if (cmd_arg(a, log_level_name((enum log_level)i)) != NULL)
			return (uint8_t)i;
	return LOG_LVL_DEBUG;
}

/* ---- config ---- */

static int
do_log_syslog(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	c->log_syslog = !a->negate;
	c->log_syslog_level = a->negate ? LOG_LVL_DEBUG : level_arg(a);
	return 0;
}

static int
do_log_file(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;
	const char *path = cmd_arg(a, "P");

	if (a->negate) {
		c->log_file[0] = '\0';
		c->log_file_level = LOG_LVL_DEBUG;
		return 0;
	}
	/* The daemon changes to / when it detaches. */
	if (path[0] != '/')
		return cmd_error(
		    st, "log file %s: the path must be absolute", path);
	if (strlen(path) >= sizeof(c->log_file))
		return cmd_error(st, "log file: path longer than %zu bytes",
		    sizeof(c->log_file) - 1);
	memcpy(c->log_file, path, strlen(path) + 1);
	c->log_file_level = level_arg(a);
	return 0;
}

void
log_conf_print(const struct conf *c, FILE *out)
{
	if (c->log_syslog) {
		fputs("log syslog", out);
		if (c->log_syslog_level != LOG_LVL_DEBUG)
			fprintf(
			    out, " %s", log_level_name(c->log_syslog_level));
		fputc('\n', out);
	}
	if (c->log_file[0] != '\0') {
		fprintf(out, "log file %s", c->log_file);
		if (c->log_file_level != LOG_LVL_DEBUG)
			fprintf(out, " %s", log_level_name(c->log_file_level));
		fputc('\n', out);
	}
}

void
log_conf_apply(const struct conf *c)
{
	log_set_syslog(c->log_syslog, (enum log_level)c->log_syslog_level);
	if (c->log_file[0] == '\0') {
		log_set_file(NULL, LOG_LVL_DEBUG);
		return;
	}
	if (log_set_file(c->log_file, (enum log_level)c->log_file_level) == -1)
		log_err("log file %s: %s; %s", c->log_file, strerror(errno),
		    log_file_path() != NULL ? "still logging to the file before"
					    : "not logging to a file");
}

/* ---- exec: run-time debugging ---- */

static int
do_debug_neighbor(struct cmd_state *st, const struct cmd_args *a)
{
	const char *addr = cmd_arg(a, "A");
	struct conf_addr ca;
	char name[INET6_ADDRSTRLEN];

	if (!conf_addr_parse(addr, &ca))
		return cmd_error(st, "invalid address '%s'", addr);
	conf_addr_str(&ca, name, sizeof(name));
	if (log_dbg_peer_set(name, !a->negate) == -1)
		return cmd_error(st,
		    "too many neighbors debugged; "
		    "no debug all first");
	log_info("debugging of neighbor %s %s", name, a->negate ? "off" : "on");
	return 0;
}

static int
do_debug_updates(struct cmd_state *st, const struct cmd_args *a)
{
	log_dbg_set(LOG_DBG_UPDATES, !a->negate);
	log_info("debugging of BGP updates %s", a->negate ? "off" : "on");
	return 0;
}

static int
do_no_debug_all(struct cmd_state *st, const struct cmd_args *a)
{
	log_dbg_clear();
	log_info("all debugging off");
	return 0;
}

static int
do_show_debugging(struct cmd_state *st, const struct cmd_args *a)
{
	if (st->out != NULL)
		log_dbg_print(st->out);
	return 0;
}

static const struct cmd_def log_cmds[] = {
	{ CONFIG, "log syslog " LEVELS,
	    "Logging\n"
	    "Log to syslog (facility daemon; the journal under systemd)\n" LEVELS_HELP,
	    do_log_syslog, CMD_NO, 0, NULL },
	{ CONFIG, "log file <P:WORD> " LEVELS,
	    "Logging\n"
	    "Log to a file, too\n"
	    "Absolute path of the file, appended to\n" LEVELS_HELP,
	    do_log_file, CMD_NO, 0, NULL },
	{ EXEC, "debug bgp neighbor <A:ADDR>",
	    "Debug lines in the log, until the daemon stops\n"
	    "BGP\n"
	    "One neighbor: state changes, every message sent and received, "
	    "UPDATE counts\n"
	    "Neighbor address (IPv4 or IPv6)\n",
	    do_debug_neighbor, CMD_NO, 0, NULL },
	{ EXEC, "debug bgp updates",
	    "Debug lines in the log, until the daemon stops\n"
	    "BGP\n"
	    "Every UPDATE sent and received, with its prefix counts\n",
	    do_debug_updates, CMD_NO, 0, NULL },
	{ EXEC, "debug all",
	    "Debug lines in the log\n"
	    "Every kind of debugging\n",
	    do_no_debug_all, CMD_NO_ONLY, 0, NULL },
	{ EXEC, "show debugging",
	    "Show running state\n"
	    "Which debug lines are on\n",
	    do_show_debugging, 0, 0, NULL },
};

void
log_cmd_register(void)
{
	cmd_register(log_cmds, sizeof(log_cmds) / sizeof(log_cmds[0]));
}
