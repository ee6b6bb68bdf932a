/*
 * test_log.c: tests bgpd/log.c and the commands of bgpd/log_cmd.c.
 *
 * Levels filter each destination on its own; syslog (wrapped with
 * -Wl,--wrap) gets facility daemon, ident dxbgpd and the very text that
 * standard error gets in the foreground; a log file is appended to,
 * reopened after logrotate moves it, and kept when a new path cannot be
 * opened.  The config commands print back as they were read and refuse
 * a relative path or an unknown level at their line.  The exec-mode
 * debug commands switch per-neighbor and UPDATE debugging, `show
 * debugging` lists them, and the message summaries count the prefixes
 * of IPv4 and IPv6 UPDATEs (with and without ADD-PATH).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd.h"
#include "conf.h"
#include "hex.h"
#include "log.h"

/* ---- syslog, wrapped ---- */

static char sl_ident[64];
static int sl_facility = -1;
static int sl_opened;
static char sl_lines[4096];
static int sl_count;

void __wrap_openlog(const char *ident, int option, int facility);
void __wrap_closelog(void);
void __wrap_syslog(int prio, const char *fmt, ...);

void
__wrap_openlog(const char *ident, int option, int facility)
{
	snprintf(sl_ident, sizeof(sl_ident), "%s", ident);
	sl_facility = facility;
	sl_opened++;
}

void
__wrap_closelog(void)
{
	sl_opened--;
}

void
__wrap_syslog(int prio, const char *fmt, ...)
{
	size_t n = strlen(sl_lines);
	va_list ap;

	n += (size_t)snprintf(sl_lines + n, sizeof(sl_lines) - n, "<%d>", prio);
	va_start(ap, fmt);
	n += (size_t)vsnprintf(sl_lines + n, sizeof(sl_lines) - n, fmt, ap);
	va_end(ap);
	snprintf(sl_lines + n, sizeof(sl_lines) - n, "\n");
	sl_count++;
}

/* ---- helpers ---- */

static char tmpdir[64];

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (f == NULL)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static int
count_str(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static int
setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_log.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	sl_lines[0] = '\0';
	sl_count = 0;
	log_dbg_clear();
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	log_set_file(NULL, LOG_LVL_DEBUG);
	log_set_syslog(false, LOG_LVL_DEBUG);
	log_init("dxbgpd", 1, LOG_LVL_INFO);
	log_dbg_clear();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	assert_int_equal(system(cmd), 0);
	cmd_reset();
	return 0;
}

/* Runs f with standard error sent to a file; returns what was written. */
static char *
capture_stderr(void (*f)(void))
{
	char path[128];
	int saved, fd;

	snprintf(path, sizeof(path), "%s/stderr", tmpdir);
	fflush(stderr);
	saved = dup(2);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, 2);
	close(fd);
	f();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	return slurp(path);
}

/* ---- levels ---- */

static void
test_level_names(void **state)
{
	static const char *names[] = { "errors", "warnings", "notifications",
		"informational", "debugging" };

	for (int i = 0; i < LOG_LVL_COUNT; i++) {
		assert_string_equal(log_level_name(i), names[i]);
		assert_int_equal(log_level_parse(names[i]), i);
	}
	assert_int_equal(log_level_parse("debug"), -1);
	assert_int_equal(log_level_parse(""), -1);
}

/* ---- destinations ---- */

static void
some_lines(void)
{
	log_err("neighbor 10.0.0.1: hold timer expired");
	log_warn("a warning %d", 2);
	log_notice("a notice");
	log_info("dxbgpd started: AS %u", 62610u);
	log_debug("a debug line");
}

static void
test_syslog_same_lines_as_foreground(void **state)
{
	char *fg;

	/* Foreground: standard error, nothing to syslog. */
	log_init("dxbgpd", 1, LOG_LVL_DEBUG);
	fg = capture_stderr(some_lines);
	assert_int_equal(sl_count, 0);
	assert_int_equal(sl_opened, 0);
	assert_int_equal(count_str(fg, "\n"), 5);
	assert_non_null(strstr(fg,
	    " error: neighbor 10.0.0.1: hold timer "
	    "expired\n"));
	assert_non_null(strstr(fg, " warning: a warning 2\n"));
	assert_non_null(strstr(fg, " info: dxbgpd started: AS 62610\n"));

	/* Background: syslog, facility daemon, ident dxbgpd, same text. */
	log_init("dxbgpd", 0, LOG_LVL_DEBUG);
	assert_int_equal(sl_opened, 1);
	assert_string_equal(sl_ident, "dxbgpd");
	assert_int_equal(sl_facility, LOG_DAEMON);
	free(capture_stderr(some_lines));
	assert_string_equal(sl_lines,
	    "<3>neighbor 10.0.0.1: hold timer expired\n"
	    "<4>a warning 2\n"
	    "<5>a notice\n"
	    "<6>dxbgpd started: AS 62610\n"
	    "<7>a debug line\n");
	free(fg);
	/* Back to the foreground: syslog closed. */
	log_init("dxbgpd", 1, LOG_LVL_DEBUG);
	assert_int_equal(sl_opened, 0);
}

static void
test_syslog_configured_level(void **state)
{
	char *fg;

	/* log syslog warnings, in the foreground too */
	log_init("dxbgpd", 1, LOG_LVL_DEBUG);
	log_set_syslog(true, LOG_LVL_WARN);
	assert_int_equal(sl_opened, 1);
	fg = capture_stderr(some_lines);
	assert_int_equal(count_str(fg, "\n"), 5);
	assert_string_equal(sl_lines,
	    "<3>neighbor 10.0.0.1: hold timer expired\n<4>a warning 2\n");
	free(fg);
	/* no log syslog: back to the default, none in the foreground */
	log_set_syslog(false, LOG_LVL_DEBUG);
	assert_int_equal(sl_opened, 0);
}

static void
test_file(void **state)
{
	char path[128], moved[128], bad[128];
	char *text;

	snprintf(path, sizeof(path), "%s/dxbgpd.log", tmpdir);
	snprintf(moved, sizeof(moved), "%s/dxbgpd.log.1", tmpdir);
	snprintf(bad, sizeof(bad), "%s/no/such/dir/x.log", tmpdir);
	log_init("dxbgpd", 0, LOG_LVL_ERR); /* syslog: errors only */
	assert_int_equal(log_set_file(path, LOG_LVL_INFO), 0);
	assert_string_equal(log_file_path(), path);
	some_lines();
	text = slurp(path);
	assert_int_equal(count_str(text, "\n"), 4);
	assert_non_null(strstr(text, " notice: a notice\n"));
	assert_null(strstr(text, "debug"));
	assert_int_equal(sl_count, 1);
	free(text);

	/* logrotate moves it, a reload reopens the same path */
	assert_int_equal(rename(path, moved), 0);
	assert_int_equal(log_set_file(path, LOG_LVL_ERR), 0);
	some_lines();
	text = slurp(path);
	assert_int_equal(count_str(text, "\n"), 1);
	free(text);

	/* a path that cannot be opened: the old file stays */
	assert_int_equal(log_set_file(bad, LOG_LVL_DEBUG), -1);
	assert_string_equal(log_file_path(), path);
	log_err("still here");
	text = slurp(path);
	assert_non_null(strstr(text, "error: still here\n"));
	free(text);

	/* no log file */
	assert_int_equal(log_set_file(NULL, LOG_LVL_DEBUG), 0);
	assert_null(log_file_path());
	log_err("gone");
	text = slurp(path);
	assert_null(strstr(text, "gone"));
	free(text);
}

static void
test_log_lines(void **state)
{
	log_init("dxbgpd", 0, LOG_LVL_DEBUG);
	log_lines(
	    LOG_LVL_ERR, "reload: ", "a.conf:3: bad\n\na.conf:4: worse\n");
	assert_string_equal(
	    sl_lines, "<3>reload: a.conf:3: bad\n<3>reload: a.conf:4: worse\n");
}

/* ---- config commands ---- */

static char *
load_errs(const char *text, struct conf **c)
{
	char *errs = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&errs, &len);

	assert_non_null(f);
	conf_load_string(text, "t.conf", c, f);
	fclose(f);
	return errs;
}

static char *
print(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	conf_print(c, f);
	fclose(f);
	return buf;
}

static void
check_roundtrip(const char *text, const char *expect)
{
	struct conf *c = NULL, *c2 = NULL;
	char *errs = load_errs(text, &c), *out, *out2;

	if (c == NULL)
		fail_msg("refused: %s", errs);
	free(errs);
	out = print(c);
	assert_string_equal(out, expect);
	errs = load_errs(out, &c2);
	assert_non_null(c2);
	out2 = print(c2);
	assert_string_equal(out2, out);
	free(errs);
	free(out);
	free(out2);
	conf_free(c);
	conf_free(c2);
}

static void
test_conf_commands(void **state)
{
	struct conf *c = NULL;

	check_roundtrip("log syslog\n", "log syslog\n");
	check_roundtrip("log syslog debugging\n", "log syslog\n");
	check_roundtrip("log sys warn\n", "log syslog warnings\n");
	check_roundtrip("hostname r1\nlog file /var/log/dxbgpd.log\n",
	    "hostname r1\nlog file /var/log/dxbgpd.log\n");
	check_roundtrip("log file /var/log/dxbgpd.log informational\n"
			"log syslog errors\n",
	    "log syslog errors\nlog file /var/log/dxbgpd.log informational\n");
	check_roundtrip("log syslog\nno log syslog\n"
			"log file /x.log\nno log file\n",
	    "");
	check_roundtrip("log file /x.log\nno log file /x.log notif\n", "");

	free(load_errs("log syslog\n", &c));
	assert_true(c->log_syslog);
	assert_int_equal(c->log_syslog_level, LOG_LVL_DEBUG);
	assert_string_equal(c->log_file, "");
	conf_free(c);
	free(load_errs("log file /a/b notifications\n", &c));
	assert_string_equal(c->log_file, "/a/b");
	assert_int_equal(c->log_file_level, LOG_LVL_NOTICE);
	conf_free(c);
}

static void
test_conf_refused(void **state)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "!\nlog file dxbgpd.log\n",
		    "t.conf:2: log file dxbgpd.log: the path must be absolute\n" },
		{ "log syslog loud\n", "t.conf:1: " },
		{ "log file /x.log loud\n", "t.conf:1: " },
		{ "log file\n", "t.conf:1: " },
	};
	char text[400];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct conf *c = NULL;
		char *errs = load_errs(cases[i].text, &c);

		assert_null(c);
		if (strncmp(errs, cases[i].err, strlen(cases[i].err)) != 0)
			fail_msg("%s: got %s", cases[i].text, errs);
		free(errs);
	}
	/* "log file /aaa...a\n", a path of 300 bytes */
	memset(text, 'a', sizeof(text));
	memcpy(text, "log file /", 10);
	memcpy(text + 309, "\n", 2);
	{
		struct conf *c = NULL;
		char *errs = load_errs(text, &c);

		assert_null(c);
		assert_non_null(strstr(errs, "path longer than 255 bytes"));
		free(errs);
	}
}

static void
test_conf_apply(void **state)
{
	struct conf *c = NULL;
	char text[256], path[128], *logged;

	snprintf(path, sizeof(path), "%s/applied.log", tmpdir);
	snprintf(
	    text, sizeof(text), "log file %s warnings\nlog syslog\n", path);
	free(load_errs(text, &c));
	assert_non_null(c);
	log_init("dxbgpd", 1, LOG_LVL_DEBUG);
	log_conf_apply(c);
	assert_int_equal(sl_opened, 1);
	assert_string_equal(log_file_path(), path);
	free(capture_stderr(some_lines));
	logged = slurp(path);
	assert_int_equal(count_str(logged, "\n"), 2);
	free(logged);
	assert_int_equal(sl_count, 5);
	conf_free(c);

	/* An empty config: no file, syslog back to the default. */
	free(load_errs("", &c));
	log_conf_apply(c);
	assert_null(log_file_path());
	assert_int_equal(sl_opened, 0);
	conf_free(c);
}

/* ---- exec commands: debugging ---- */

static char *
exec(struct cmd_state *st, const char *line, int want_rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	assert_non_null(f);
	st->out = f;
	rc = cmd_exec(st, line);
	st->out = NULL;
	fclose(f);
	if (rc != want_rc)
		fail_msg("%s: rc %d, %s", line, rc, st->err);
	return buf;
}

static void
test_debug_commands(void **state)
{
	struct cmd_state st;

	log_init("dxbgpd", 0, LOG_LVL_DEBUG);
	log_cmd_register();
	cmd_state_init(&st, CMD_MODE_EXEC, NULL);
	{
		char *out = exec(&st, "show debugging", 0);

		assert_string_equal(out, "BGP debugging status:\n  none\n");
		free(out);
	}
	assert_false(log_peer_debugging("10.0.0.1"));
	free(exec(&st, "debug bgp neighbor 10.0.0.1", 0));
	free(exec(&st, "deb bgp nei 2001:DB8::0:1", 0));
	free(exec(&st, "debug bgp neighbor 10.0.0.1", 0));
	assert_true(log_peer_debugging("10.0.0.1"));
	assert_true(log_peer_debugging("2001:db8::1"));
	assert_false(log_peer_debugging("10.0.0.2"));
	free(exec(&st, "debug bgp updates", 0));
	assert_true((log_dbg_flags & LOG_DBG_UPDATES) != 0);
	{
		char *out = exec(&st, "show debugging", 0);

		assert_string_equal(out,
		    "BGP debugging status:\n"
		    "  BGP updates debugging is on\n"
		    "  BGP neighbor 10.0.0.1 debugging is on\n"
		    "  BGP neighbor 2001:db8::1 debugging is on\n");
		free(out);
	}
	assert_non_null(
	    strstr(sl_lines, "<6>debugging of neighbor 10.0.0.1 on\n"));
	free(exec(&st, "no debug bgp neighbor 10.0.0.1", 0));
	assert_false(log_peer_debugging("10.0.0.1"));
	assert_true(log_peer_debugging("2001:db8::1"));
	free(exec(&st, "no debug bgp updates", 0));
	assert_int_equal(log_dbg_flags, 0);
	free(exec(&st, "debug bgp updates", 0));
	free(exec(&st, "no debug all", 0));
	assert_int_equal(log_dbg_flags, 0);
	assert_int_equal(log_dbg_npeers, 0);

	/* Refused, changing nothing. */
	free(exec(&st, "debug bgp neighbor 10.0.0.300", -1));
	free(exec(&st, "debug all", -1));
	free(exec(&st, "debug bgp", -1));
	assert_int_equal(log_dbg_npeers, 0);
	/* Not in config mode: these are not config. */
	{
		struct conf *c = NULL;
		char *errs = load_errs("debug bgp updates\n", &c);

		assert_null(c);
		free(errs);
		assert_int_equal(log_dbg_flags, 0);
	}
	/* Too many neighbors. */
	for (int i = 0; i < 64; i++) {
		char line[64];

		snprintf(line, sizeof(line), "debug bgp neighbor 10.0.1.%d", i);
		free(exec(&st, line, 0));
	}
	free(exec(&st, "debug bgp neighbor 10.0.2.1", -1));
	assert_string_equal(
	    st.err, "too many neighbors debugged; no debug all first");
	assert_int_equal(log_dbg_npeers, 64);
}

/* ---- message summaries ---- */

static size_t
bgp_msg(uint8_t *buf, size_t cap, uint8_t type, const char *body_hex)
{
	size_t n = hex_decode(body_hex, buf + 19, cap - 19) + 19;

	memset(buf, 0xff, 16);
	buf[16] = (uint8_t)(n >> 8);
	buf[17] = (uint8_t)n;
	buf[18] = type;
	return n;
}

static void
test_msg_summaries(void **state)
{
	uint8_t ka[64], upd4[128], upd6[128], eor4[32], eor6[64], ap[64],
	    bad[64];

	bgp_msg(ka, sizeof(ka), 4, "");
	/* 1 withdrawn 10.1.0.0/16; ORIGIN; 10.0.0.0/8, 192.168.1.0/24 */
	bgp_msg(upd4, sizeof(upd4), 2,
	    "0003 10 0a01 | 0004 40 01 01 00 | 08 0a | 18 c0 a8 01");
	/* MP_REACH IPv6 unicast, next hop 2001:db8::2: 2001:db8::/32 and
	 * 2001:db8:1::/48; MP_UNREACH IPv6: 2001:db8:2::/48 */
	bgp_msg(upd6, sizeof(upd6), 2,
	    "0000 | 0035 | 40 01 01 00"
	    " 80 0e 21 0002 01 10 20010db8000000000000000000000002 00"
	    "   20 20010db8 30 20010db80001"
	    " 80 0f 0a 0002 01 30 20010db80002");
	bgp_msg(eor4, sizeof(eor4), 2, "0000 0000");
	bgp_msg(eor6, sizeof(eor6), 2, "0000 0006 80 0f 03 0002 01");
	/* ADD-PATH: path ID 1, 192.168.1.0/24 */
	bgp_msg(ap, sizeof(ap), 2, "0000 0004 40 01 01 00 00000001 18 c0a801");
	/* attribute length past the end */
	bgp_msg(bad, sizeof(bad), 2, "0000 00ff 40 01 01 00");

	log_init("dxbgpd", 0, LOG_LVL_DEBUG);
	/* Nothing debugged: nothing logged. */
	log_bgp_msg("10.0.0.1", true, ka, 0);
	log_bgp_msg("10.0.0.1", false, upd4, 0);
	assert_int_equal(sl_count, 0);

	log_dbg_peer_set("10.0.0.1", true);
	log_bgp_msg("10.0.0.2", true, ka, 0); /* another neighbor */
	assert_int_equal(sl_count, 0);
	log_bgp_msg("10.0.0.1", true, ka, 0);
	log_bgp_msg("10.0.0.1", false, upd4, 0);
	log_bgp_msg("10.0.0.1", false, upd6, 0);
	log_bgp_msg("10.0.0.1", false, eor4, 0);
	log_bgp_msg("10.0.0.1", false, eor6, 0);
	log_bgp_msg("10.0.0.1", false, ap, 1);
	log_bgp_msg("10.0.0.1", false, bad, 0);
	assert_string_equal(sl_lines,
	    "<7>neighbor 10.0.0.1: sent KEEPALIVE (19 bytes)\n"
	    "<7>neighbor 10.0.0.1: received UPDATE (36 bytes): IPv4 2 "
	    "announced, 1 withdrawn\n"
	    "<7>neighbor 10.0.0.1: received UPDATE (76 bytes): IPv6 2 "
	    "announced, 1 withdrawn\n"
	    "<7>neighbor 10.0.0.1: received UPDATE (23 bytes): End-of-RIB "
	    "IPv4\n"
	    "<7>neighbor 10.0.0.1: received UPDATE (29 bytes): End-of-RIB "
	    "IPv6\n"
	    "<7>neighbor 10.0.0.1: received UPDATE (35 bytes): IPv4 1 "
	    "announced, 0 withdrawn\n"
	    "<7>neighbor 10.0.0.1: received UPDATE (27 bytes): malformed\n");

	/* debug bgp updates: UPDATEs of every neighbor, nothing else. */
	log_dbg_clear();
	sl_lines[0] = '\0';
	log_dbg_set(LOG_DBG_UPDATES, true);
	log_bgp_msg("10.0.0.9", true, ka, 0);
	log_bgp_msg("10.0.0.9", true, upd4, 0);
	assert_string_equal(sl_lines,
	    "<7>neighbor 10.0.0.9: sent UPDATE (36 bytes): IPv4 2 announced, "
	    "1 withdrawn\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_level_names),
		cmocka_unit_test_setup_teardown(
		    test_syslog_same_lines_as_foreground, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_syslog_configured_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_log_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_conf_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_conf_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_conf_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_debug_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_msg_summaries, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
