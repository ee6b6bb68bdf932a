/*
 * test_conf_golden.c: the config files of tests/conf/ against what
 * dxbgpd makes of them.
 *
 *   golden/NAME.conf  loads; `show running-config` (conf_print) is
 *                     exactly golden/NAME.out; print -> parse -> print
 *                     is a fixed point, and NAME.out reads back as
 *                     itself; `dxbgpd -n -f NAME.conf` exits 0.
 *   bad/NAME.conf     is refused, nothing returned; the errors are
 *                     exactly bad/NAME.err ("NAME.conf:LINE: reason",
 *                     the directory left out); `dxbgpd -n -f NAME.conf`
 *                     prints the same lines and exits 1.
 *   conf/NAME.conf    (the example configs) load and are fixed points.
 *
 * Files are found under $srcdir (AM_TESTS_ENVIRONMENT); dxbgpd is
 * $DXBGPD, or bgpd/dxbgpd from the build directory the tests run in.
 * DXBGP_GOLDEN_UPDATE=1 writes NAME.out and NAME.err from what the
 * code does now, to be read and checked by hand before committing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <glob.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf.h"

#define BAD_MIN 15 /* the bad configs there must be at least */

static char *
src_path(const char *rel)
{
	const char *srcdir = getenv("srcdir");
	char *p = NULL;

	if (asprintf(&p, "%s/%s", srcdir ? srcdir : ".", rel) < 0)
		abort();
	return p;
}

static bool
updating(void)
{
	const char *u = getenv("DXBGP_GOLDEN_UPDATE");

	return u != NULL && strcmp(u, "1") == 0;
}

/* The whole file, NUL-terminated; NULL if it cannot be read. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *m;

	if (f == NULL)
		return NULL;
	m = open_memstream(&buf, &len);
	assert_non_null(m);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void
spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0)
		fail_msg("cannot write %s: %s", path, strerror(errno));
}

/* path with its ".conf" replaced by ext. */
static char *
sibling(const char *path, const char *ext)
{
	size_t n = strlen(path);
	char *p = NULL;

	assert_true(n > 5 && strcmp(path + n - 5, ".conf") == 0);
	if (asprintf(&p, "%.*s%s", (int)(n - 5), path, ext) < 0)
		abort();
	return p;
}

static const char *
base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* text with every occurrence of from replaced by to (to free). */
static char *
replace_all(const char *text, const char *from, const char *to)
{
	size_t fl = strlen(from), len = 0;
	const char *p = text, *hit;
	char *buf = NULL;
	FILE *m = open_memstream(&buf, &len);

	assert_non_null(m);
	while ((hit = strstr(p, from)) != NULL) {
		fwrite(p, 1, (size_t)(hit - p), m);
		fputs(to, m);
		p = hit + fl;
	}
	fputs(p, m);
	fclose(m);
	return buf;
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

/* Loads path; returns the tree (NULL if refused) and the errors. */
static struct conf *
load(const char *path, char **errs)
{
	struct conf *c = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	*errs = NULL;
	f = open_memstream(errs, &len);
	assert_non_null(f);
	rc = conf_load_file(path, &c, f);
	fclose(f);
	assert_int_equal(rc, c != NULL ? 0 : -1);
	return c;
}

static void
files(const char *rel, glob_t *g)
{
	char *pattern = src_path(rel);
	int rc = glob(pattern, 0, NULL, g);

	if (rc != 0)
		fail_msg("no files match %s", pattern);
	free(pattern);
}

/* print -> parse -> print: the same text, which is returned. */
static char *
fixed_point(const char *name, const struct conf *c)
{
	char *once = print(c), *twice, *errs = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&errs, &len);
	struct conf *again = NULL;

	assert_non_null(f);
	conf_load_string(once, name, &again, f);
	fclose(f);
	if (again == NULL)
		fail_msg("%s: the printed config is refused:\n%s\n%s", name,
		    errs, once);
	twice = print(again);
	if (strcmp(once, twice) != 0)
		fail_msg("%s: not a fixed point; once:\n%s\ntwice:\n%s", name,
		    once, twice);
	conf_free(again);
	free(twice);
	free(errs);
	return once;
}

/* ---- dxbgpd -n ---- */

static const char *
dxbgpd_path(void)
{
	const char *p = getenv("DXBGPD");

	return p != NULL ? p : "bgpd/dxbgpd";
}

/* Runs dxbgpd -n -f conf: its exit status, stdout and stderr in *out. */
static int
run_check(const char *conf, char **out)
{
	int fd[2], status;
	size_t len = 0;
	char chunk[4096];
	ssize_t n;
	FILE *m;
	pid_t pid;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		close(fd[1]);
		execl(dxbgpd_path(), "dxbgpd", "-n", "-f", conf, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	m = open_memstream(out, &len);
	assert_non_null(m);
	while ((n = read(fd[0], chunk, sizeof(chunk))) > 0 ||
	    (n == -1 && errno == EINTR))
		if (n > 0)
			fwrite(chunk, 1, (size_t)n, m);
	fclose(m);
	close(fd[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status))
		fail_msg("dxbgpd -n -f %s died (status %d)", conf, status);
	return WEXITSTATUS(status);
}

static bool
have_dxbgpd(void)
{
	if (access(dxbgpd_path(), X_OK) == 0)
		return true;
	fprintf(stderr,
	    "# skipped: %s is not built (set DXBGPD to the daemon); the "
	    "`dxbgpd -n` half of this test needs it\n",
	    dxbgpd_path());
	return false;
}

/* ---- the tests ---- */

static void
test_golden(void **state)
{
	glob_t g;
	size_t i;

	(void)state;
	files("tests/conf/golden/*.conf", &g);
	for (i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		char *outp = sibling(path, ".out"), *errs, *want, *text;
		struct conf *c = load(path, &errs), *again;

		if (c == NULL)
			fail_msg("%s refused:\n%s", path, errs);
		text = fixed_point(base(path), c);
		if (updating())
			spit(outp, text);
		if ((want = slurp(outp)) == NULL)
			fail_msg("%s: no %s", path, outp);
		if (strcmp(text, want) != 0)
			fail_msg("%s: running config differs from %s; got:\n%s",
			    path, base(outp), text);
		/* The expected text is itself a config that reads back. */
		free(errs);
		again = load(outp, &errs);
		if (again == NULL)
			fail_msg("%s refused:\n%s", outp, errs);
		free(fixed_point(base(outp), again));
		conf_free(again);
		conf_free(c);
		free(text);
		free(want);
		free(errs);
		free(outp);
	}
	globfree(&g);
}

static void
test_examples_round_trip(void **state)
{
	glob_t g;
	size_t i;

	(void)state;
	files("conf/*.conf", &g);
	assert_true(g.gl_pathc >= 3);
	for (i = 0; i < g.gl_pathc; i++) {
		char *errs;
		struct conf *c = load(g.gl_pathv[i], &errs);

		if (c == NULL)
			fail_msg("%s refused:\n%s", g.gl_pathv[i], errs);
		free(fixed_point(base(g.gl_pathv[i]), c));
		conf_free(c);
		free(errs);
	}
	globfree(&g);
}

/* Every line "NAME.conf:LINE: reason", LINE within the file. */
static void
check_err_format(const char *path, const char *errs)
{
	const char *name = base(path), *p = errs, *nl;
	char *text = slurp(path);
	long lines = 0, line;
	char *end;

	assert_non_null(text);
	for (const char *t = text; *t != '\0'; t++)
		lines += *t == '\n';
	if (*errs == '\0')
		fail_msg("%s: refused without a message", path);
	for (; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			fail_msg("%s: unterminated error line", path);
		if (strncmp(p, name, strlen(name)) != 0 ||
		    p[strlen(name)] != ':')
			fail_msg("%s: error line not \"%s:LINE: reason\": %.*s",
			    path, name, (int)(nl - p), p);
		line = strtol(p + strlen(name) + 1, &end, 10);
		if (line < 1 || line > lines + 1 ||
		    strncmp(end, ": ", 2) != 0 || end + 2 >= nl)
			fail_msg("%s: bad line number or reason: %.*s", path,
			    (int)(nl - p), p);
	}
	free(text);
}

static void
test_bad(void **state)
{
	glob_t g;
	size_t i;

	(void)state;
	files("tests/conf/bad/*.conf", &g);
	if (g.gl_pathc < BAD_MIN)
		fail_msg(
		    "%zu bad configs, at least %d wanted", g.gl_pathc, BAD_MIN);
	for (i = 0; i < g.gl_pathc; i++) {
		const char *path = g.gl_pathv[i];
		char *errp = sibling(path, ".err"), *errs, *got, *want;
		struct conf *c = load(path, &errs);

		if (c != NULL)
			fail_msg("%s accepted", path);
		/* Messages name the file as given: keep only its name. */
		got = replace_all(errs, path, base(path));
		if (updating())
			spit(errp, got);
		if ((want = slurp(errp)) == NULL)
			fail_msg("%s: no %s", path, errp);
		if (strcmp(got, want) != 0)
			fail_msg("%s: errors differ from %s; got:\n%s", path,
			    base(errp), got);
		check_err_format(path, got);
		free(got);
		free(want);
		free(errs);
		free(errp);
	}
	globfree(&g);
}

static void
test_dxbgpd_check(void **state)
{
	const char *sets[] = { "tests/conf/golden/*.conf",
		"tests/conf/bad/*.conf", "conf/*.conf" };
	glob_t g;
	size_t i, s;

	(void)state;
	if (!have_dxbgpd())
		skip();
	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		bool bad = strstr(sets[s], "/bad/") != NULL;

		files(sets[s], &g);
		for (i = 0; i < g.gl_pathc; i++) {
			const char *path = g.gl_pathv[i];
			char *out, *errp, *want, *full;
			int rc = run_check(path, &out);

			if (rc != (bad ? 1 : 0))
				fail_msg(
				    "dxbgpd -n -f %s: exit %d, not %d:\n%s",
				    path, rc, bad ? 1 : 0, out);
			if (bad) {
				/* The same lines, under the path as given. */
				errp = sibling(path, ".err");
				want = slurp(errp);
				assert_non_null(want);
				full = replace_all(want, base(path), path);
				if (strncmp(out, full, strlen(full)) != 0)
					fail_msg("dxbgpd -n -f %s printed:\n%s"
						 "instead of:\n%s",
					    path, out, full);
				free(full);
				free(want);
				free(errp);
			}
			free(out);
		}
		globfree(&g);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_examples_round_trip),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_dxbgpd_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
