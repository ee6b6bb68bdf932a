/*
 * ctl_cmd.c: the shell's exec commands that act on the configuration
 * (show running-config, write memory, reload, reload check), and the
 * candidate config of `configure terminal`.
 *
 * configure terminal edits a candidate: a copy of the running tree
 * (printed and read back, which round-trips by design).  After every
 * config command that succeeds, the candidate is put in force at once
 * if the checks of a whole tree pass (conf_check), through ctl_apply
 * with a fresh copy, as SIGHUP does; if they do not (a neighbor still
 * without remote-as), the client is told why and the candidate waits
 * for the command that completes it.  A command that fails leaves the
 * candidate as it was.  Leaving config mode with changes not applied
 * discards them, with an error.
 *
 * When the running config changed under a session (another shell, a
 * reload), its candidate is copied again before its next command, and
 * the mode stack is rebuilt by running again the lines that entered
 * each mode (they are kept): mode data points into the candidate.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "conf_diff.h"
#include "control.h"
#include "log.h"

/* ---- trees as text ---- */

struct text {
	char *s;
	size_t len;
};

static void
text_of(const struct conf *c, struct text *t)
{
	FILE *f;

	t->s = NULL;
	t->len = 0;
	f = open_memstream(&t->s, &t->len);
	if (f == NULL)
		log_fatal("out of memory");
	if (c != NULL)
		conf_print(c, f);
	fclose(f);
}

/* Text with passwords in it is wiped before it is freed. */
static void
text_free(struct text *t)
{
	if (t->s != NULL)
		explicit_bzero(t->s, t->len);
	free(t->s);
	t->s = NULL;
	t->len = 0;
}

static bool
text_eq(const struct text *a, const struct text *b)
{
	return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/*
 * A tree from printed text, without the checks of a whole tree: a
 * candidate may be incomplete.  NULL (err set) if a line fails, which
 * would be a bug of conf_print.
 */
static struct conf *
tree_from_text(const char *text, char *err, size_t errlen)
{
	struct conf *c = NULL;
	char *msg = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&msg, &len);

	if (f == NULL)
		log_fatal("out of memory");
	conf_parse_string(text, "running config", &c, f);
	fclose(f);
	if (c == NULL)
		snprintf(err, errlen, "%.*s", (int)strcspn(msg, "\n"), msg);
	free(msg);
	return c;
}

static const struct conf *
running(const struct ctl_session *s)
{
	return s->dm->bgpd->conf;
}

/* ---- the prompt ---- */

void
ctl_prompt(const struct conf *c, enum cmd_mode mode, FILE *out)
{
	const char *host =
	    c != NULL && c->hostname[0] != '\0' ? c->hostname : "dxbgp";

	if (mode == CMD_MODE_EXEC)
		fprintf(out, "%s# ", host);
	else
		fprintf(out, "%s(%s)# ", host, cmd_mode_name(mode));
}

/* ---- the candidate ---- */

static void
enter_lines_free(struct ctl_session *s, int from)
{
	for (int i = from; i < CMD_DEPTH_MAX; i++) {
		free(s->enter_line[i]);
		s->enter_line[i] = NULL;
	}
}

static void
cand_drop(struct ctl_session *s, struct cmd_state *st)
{
	conf_free(s->cand);
	s->cand = NULL;
	s->cand_dirty = false;
	enter_lines_free(s, 1);
	st->ctx = &s->sc;
}

/*
 * Makes text the candidate and rebuilds the mode stack on it by
 * running the lines that entered each mode again; the stack stops
 * where one of them no longer works.
 */
static int
cand_rebuild(
    struct ctl_session *s, struct cmd_state *st, const char *text, FILE *out)
{
	char err[CMD_ERR_MAX];
	struct cmd_state ns;
	struct conf *c = tree_from_text(text, err, sizeof(err));
	int i;

	if (c == NULL) {
		fprintf(out, "%% cannot copy the configuration: %s\n", err);
		return -1;
	}
	cmd_state_init(&ns, CMD_MODE_EXEC, &s->sc);
	for (i = 1; i < st->depth && s->enter_line[i] != NULL; i++) {
		ns.ctx = i == 1 ? (void *)&s->sc : (void *)c;
		if (cmd_exec(&ns, s->enter_line[i]) != 0 || ns.depth != i + 1)
			break;
	}
	if (ns.depth < 2) {
		/* configure terminal itself: cannot fail */
		fprintf(out, "%% cannot enter configuration mode again\n");
		conf_free(c);
		return -1;
	}
	if (i < st->depth)
		fprintf(out, "%% note: left %s mode: '%s' no longer applies\n",
		    cmd_mode_name(st->stack[i].mode),
		    s->enter_line[i] ? s->enter_line[i] : "?");
	enter_lines_free(s, ns.depth);
	ns.ctx = c;
	ns.out = st->out;
	ns.line = st->line;
	conf_free(s->cand);
	s->cand = c;
	*st = ns;
	return 0;
}

/* The running config changed since the candidate was copied. */
static void
cand_rebase(struct ctl_session *s, struct cmd_state *st, FILE *out)
{
	struct text t;

	if (s->cand_gen == s->dm->gen)
		return;
	s->cand_gen = s->dm->gen;
	if (s->cand_dirty) {
		fputs("% note: the running configuration changed since this "
		      "session's changes were made; applying them replaces "
		      "it\n",
		    out);
		return;
	}
	text_of(running(s), &t);
	cand_rebuild(s, st, t.s, out);
	text_free(&t);
}

/* Prints conf_check's reasons without their "NAME:LINE: " prefix. */
static int
cand_check(const struct conf *c, const char *lead, FILE *out)
{
	char *buf = NULL, *p, *nl;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int n;

	if (f == NULL)
		log_fatal("out of memory");
	n = conf_check(c, "", f);
	fclose(f);
	for (p = buf; n > 0 && *p != '\0'; p = nl + 1) {
		char *r = strstr(p, ": ");

		nl = strchr(p, '\n');
		if (nl == NULL)
			break;
		*nl = '\0';
		fprintf(
		    out, "%% %s: %s\n", lead, r != NULL && r < nl ? r + 2 : p);
	}
	free(buf);
	return n;
}

/* After a config command that succeeded: apply the candidate if valid. */
static int
cand_commit(struct ctl_session *s, FILE *out)
{
	struct text ct, rt;
	struct conf *copy;
	char *buf = NULL;
	size_t len = 0;
	FILE *ef;
	int rc = 0;

	text_of(s->cand, &ct);
	text_of(running(s), &rt);
	if (text_eq(&ct, &rt)) {
		s->cand_dirty = false;
		goto done;
	}
	if (cand_check(s->cand, "not applied yet", out) > 0) {
		s->cand_dirty = true;
		goto done;
	}
	ef = open_memstream(&buf, &len);
	if (ef == NULL)
		log_fatal("out of memory");
	rc = conf_load_string(ct.s, "candidate", &copy, ef);
	fclose(ef);
	if (rc != 0) {
		/* conf_print wrote what conf_load_string refuses: a bug */
		fprintf(out, "%% not applied: the copy is refused: %s", buf);
		log_err("configure terminal: the candidate's copy is refused");
		s->cand_dirty = true;
		rc = -1;
	} else {
		log_info("configuration changed from the shell "
			 "(configure terminal)");
		ctl_apply(s->dm, copy);
		s->cand_gen = s->dm->gen;
		s->cand_dirty = false;
	}
	free(buf);
done:
	text_free(&ct);
	text_free(&rt);
	return rc;
}

/* Whether the command just run entered the mode now on top. */
static bool
entered(const struct cmd_state *before, const struct cmd_state *after)
{
	int top = after->depth - 1;

	return after->depth > before->depth ||
	    after->stack[top].mode != before->stack[top].mode ||
	    after->stack[top].data != before->stack[top].data;
}

int
ctl_session_exec(
    struct ctl_session *s, struct cmd_state *st, const char *line, FILE *out)
{
	struct cmd_state before;
	struct text t0, t1;
	int rc;

	if (cmd_state_mode(st) == CMD_MODE_EXEC) {
		st->ctx = &s->sc;
		rc = cmd_exec(st, line);
		if (rc == 0 && cmd_state_mode(st) != CMD_MODE_EXEC) {
			/* configure terminal: a copy of the running config */
			char err[CMD_ERR_MAX];
			struct text rt;

			text_of(running(s), &rt);
			s->cand = tree_from_text(rt.s, err, sizeof(err));
			text_free(&rt);
			if (s->cand == NULL) {
				st->depth = 1;
				return cmd_error(st,
				    "cannot copy the configuration: %s", err);
			}
			s->cand_gen = s->dm->gen;
			s->cand_dirty = false;
			enter_lines_free(s, 1);
			s->enter_line[1] = cmd_xstrdup(line);
			st->ctx = s->cand;
		}
		return rc;
	}
	cand_rebase(s, st, out);
	st->ctx = s->cand;
	before = *st;
	text_of(s->cand, &t0);
	rc = cmd_exec(st, line);
	if (cmd_state_mode(st) == CMD_MODE_EXEC) {
		/* end, or exit from config mode */
		if (rc == 0 && s->cand_dirty) {
			cand_check(s->cand, "not applied", out);
			rc = cmd_error(st,
			    "changes not applied are discarded; "
			    "the running configuration is unchanged");
		}
		text_free(&t0);
		cand_drop(s, st);
		return rc;
	}
	if (rc != 0) {
		/* A failed command changes nothing. */
		text_of(s->cand, &t1);
		if (!text_eq(&t0, &t1)) {
			char err[CMD_ERR_MAX];

			memcpy(err, st->err, sizeof(err));
			*st = before;
			cand_rebuild(s, st, t0.s, out);
			memcpy(st->err, err, sizeof(err));
		}
		text_free(&t1);
		text_free(&t0);
		return rc;
	}
	text_free(&t0);
	if (entered(&before, st)) {
		enter_lines_free(s, st->depth - 1);
		s->enter_line[st->depth - 1] = cmd_xstrdup(line);
	} else {
		enter_lines_free(s, st->depth);
	}
	if (cand_commit(s, out) != 0)
		return cmd_error(st, "the configuration was not applied");
	return 0;
}

void
ctl_session_clean(struct ctl_session *s, struct cmd_state *st)
{
	if (s->cand != NULL && s->cand_dirty)
		log_info("control client left configuration mode with changes "
			 "not applied; discarded");
	cand_drop(s, st);
	enter_lines_free(s, 0);
}

/* ---- the exec commands ---- */

static struct ctl_session *
session(struct cmd_state *st)
{
	/* st->ctx is &session->sc, its first member (control.h). */
	return (struct ctl_session *)st->ctx;
}

static int
do_show_running(struct cmd_state *st, const struct cmd_args *a)
{
	struct ctl_session *s = session(st);

	fputs("! running configuration\n", st->out);
	conf_print(running(s), st->out);
	return 0;
}

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
fsync_dir(const char *path)
{
	char *copy = cmd_xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = -1;

	free(copy);
	if (fd != -1) {
		rc = fsync(fd);
		close(fd);
	}
	return rc;
}

/* Keeps the file as FILE.bak: a second name for it, or a copy. */
static int
backup(const char *path)
{
	char bak[4096];
	struct stat sb;

	if (stat(path, &sb) == -1)
		return errno == ENOENT ? 0 : -1;
	if ((size_t)snprintf(bak, sizeof(bak), "%s.bak", path) >= sizeof(bak)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (unlink(bak) == -1 && errno != ENOENT)
		return -1;
	return link(path, bak);
}

/*
 * Writes text to path atomically: a temporary file in the same
 * directory (mode 0600: it holds the passwords), fsync, the old file
 * kept as FILE.bak, rename, fsync of the directory.
 */
static int
write_atomic(const char *path, const char *text, size_t len)
{
	char tmp[4096];
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fchmod(fd, 0600) == -1 || write_all(fd, text, len) == -1 ||
	    fsync(fd) == -1) {
		int e = errno;

		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	if (close(fd) == -1 || backup(path) == -1 || rename(tmp, path) == -1) {
		int e = errno;

		unlink(tmp);
		errno = e;
		return -1;
	}
	return fsync_dir(path);
}

static int
do_write(struct cmd_state *st, const struct cmd_args *a)
{
	struct ctl_session *s = session(st);
	const char *path = s->dm->conf_path;
	struct text t;
	int rc;

	text_of(running(s), &t);
	rc = write_atomic(path, t.s, t.len);
	text_free(&t);
	if (rc == -1) {
		log_err("write memory: %s: %s", path, strerror(errno));
		return cmd_error(
		    st, "cannot write %s: %s", path, strerror(errno));
	}
	log_info("running configuration written to %s", path);
	fprintf(st->out, "configuration written to %s (previous: %s.bak)\n",
	    path, path);
	return 0;
}

static int
do_reload(struct cmd_state *st, const struct cmd_args *a)
{
	struct ctl_session *s = session(st);
	const char *path = s->dm->conf_path;
	struct conf *conf;

	if (cmd_arg(a, "check") == NULL) {
		log_info("reloading %s (from the shell)", path);
		if (ctl_reload(s->dm, st->out, st->out) == -1) {
			log_err("reload refused: %s has errors; the running "
				"configuration is unchanged",
			    path);
			return cmd_error(st,
			    "reload refused: %s has errors; the running "
			    "configuration is unchanged",
			    path);
		}
		fprintf(st->out, "configuration reloaded from %s\n", path);
		return 0;
	}
	if (conf_load_file(path, &conf, st->out) == -1)
		return cmd_error(
		    st, "%s has errors: a reload would be refused", path);
	conf_warn(conf, path, st->out);
	fprintf(st->out, "a reload of %s would do:\n", path);
	conf_diff_report(running(s), conf, st->out);
	conf_free(conf);
	return 0;
}

static int
do_exit(struct cmd_state *st, const struct cmd_args *a)
{
	session(st)->sc.quit = true;
	return 0;
}

#define EXEC CMD_M(CMD_MODE_EXEC)

static const struct cmd_def ctl_cmds[] = {
	{ EXEC, "show running-config",
	    "Show running state\n"
	    "The configuration in force, as a config file\n",
	    do_show_running, 0, CMD_MODE_NONE, NULL },
	{ EXEC, "write [memory]",
	    "Save the configuration\n"
	    "To the daemon's config file (the old one kept as FILE.bak)\n",
	    do_write, 0, CMD_MODE_NONE, NULL },
	{ EXEC, "reload [check]",
	    "Read the config file again and put it in force\n"
	    "Only say what a reload would do, neighbor by neighbor\n",
	    do_reload, 0, CMD_MODE_NONE, NULL },
	{ EXEC, "exit", "Close this shell\n", do_exit, 0, CMD_MODE_NONE, NULL },
};

void
ctl_cmd_register(void)
{
	cmd_register(ctl_cmds, sizeof(ctl_cmds) / sizeof(ctl_cmds[0]));
}
