/*
 * gen_cmdref.c: writes the command reference of the manual pages from
 * the command table itself, so that the pages list exactly the
 * commands that dxbgpd accepts.
 *
 *   gen_cmdref exec|config <page.in >page
 *
 * Copies a page (mdoc) from standard input to standard output and
 * replaces the line `.\" @COMMAND_REFERENCE@` with one subsection per
 * mode: exec (the shell's top level), or every configuration mode.
 * Each command is listed with its syntax, the "no" form where it has
 * one, and the help text of each of its words, as `?` shows them.
 *
 * Every table of the daemon is registered as the daemon does it; the
 * tables are seen through a link seam (-Wl,--wrap=cmd_register), so
 * cmd.c needs no listing interface.  The few built-in commands of
 * cmd.c (configure, exit, end) are found with cmd_complete.
 *
 *   gen_cmdref -l exec|config      lists each command on one line, for
 *                                  tests: "MODE<TAB>SYNTAX"
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "conf.h"
#include "control.h"
#include "policy.h"
#include "show_cmd.h"

#define MARKER     ".\\\" @COMMAND_REFERENCE@"
#define TABLES_MAX 64
#define CHOICES    256
#define ROWS_MAX   1024

void __real_cmd_register(const struct cmd_def *, size_t);
void __wrap_cmd_register(const struct cmd_def *, size_t);

static struct {
	const struct cmd_def *defs;
	size_t n;
} tables[TABLES_MAX];
static int ntables;

void
__wrap_cmd_register(const struct cmd_def *defs, size_t n)
{
	int i;

	for (i = 0; i < ntables; i++)
		if (tables[i].defs == defs)
			break;
	if (i == ntables) {
		if (ntables == TABLES_MAX) {
			fputs("gen_cmdref: too many command tables\n", stderr);
			exit(1);
		}
		tables[ntables].defs = defs;
		tables[ntables++].n = n;
	}
	__real_cmd_register(defs, n);
}

static void
register_all(void)
{
	conf_cmd_register();
	iface_cmd_register();
	pol_cmd_register();
	log_cmd_register();
	exp_cmd_register();
	show_cmd_register();
	bfd_cmd_register();
	ctl_cmd_register();
}

/* ---- roff ---- */

/* A word as an mdoc argument: never taken for a macro name. */
static void
put_word(const char *macro, const char *w, size_t len, FILE *out)
{
	fprintf(out, " %s \\&", macro);
	for (size_t i = 0; i < len; i++) {
		if (w[i] == '\\')
			fputs("\\e", out);
		else if (w[i] == '"')
			fputs("\\(dq", out);
		else
			fputc(w[i], out);
	}
}

/* A line of text: no request, no escape taken from it. */
static void
put_text(const char *s, size_t len, FILE *out)
{
	if (len > 0 && (s[0] == '.' || s[0] == '\''))
		fputs("\\&", out);
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\')
			fputs("\\e", out);
		else
			fputc(s[i], out);
	}
	fputc('\n', out);
}

/*
 * How an argument <NAME:TYPE ...> is shown: its name when it says
 * something, else what its type accepts.
 */
static void
put_arg(const char *a, size_t len, FILE *out)
{
	const char *colon = memchr(a, ':', len), *type, *sp;
	size_t nlen = colon ? (size_t)(colon - a) : len;
	char shown[64];

	if (colon == NULL || nlen > 1) {
		put_word("Ar", a, nlen, out);
		return;
	}
	type = colon + 1;
	sp = memchr(type, ' ', len - (size_t)(type - a));
	if (strncmp(type, "ASN", 3) == 0)
		snprintf(shown, sizeof(shown), "asn");
	else if (strncmp(type, "ADDR", 4) == 0)
		snprintf(shown, sizeof(shown), "address");
	else if (strncmp(type, "IPV4", 4) == 0)
		snprintf(shown, sizeof(shown), "A.B.C.D");
	else if (strncmp(type, "UINT", 4) == 0 && sp != NULL)
		snprintf(shown, sizeof(shown), "%.*s",
		    (int)(len - (size_t)(sp + 1 - a)), sp + 1);
	else if (strncmp(type, "LINE", 4) == 0)
		snprintf(shown, sizeof(shown), "text");
	else
		snprintf(shown, sizeof(shown), "%s", "WORD");
	put_word("Ar", shown, strlen(shown), out);
}

/*
 * The syntax as mdoc macros on one line; words[] gets each keyword and
 * argument in order (for their help), and returns how many.
 */
static int
put_syntax(const char *s, FILE *out, const char **words, size_t *wlen, int max)
{
	int n = 0;

	while (*s != '\0') {
		const char *start = s;

		switch (*s) {
		case ' ':
			s++;
			continue;
		case '[':
			fputs(" Oo", out);
			s++;
			continue;
		case ']':
			fputs(" Oc", out);
			s++;
			continue;
		case '{':
			fputs(" Bro", out);
			s++;
			continue;
		case '}':
			fputs(" Brc", out);
			s++;
			continue;
		case '|':
			fputs(" |", out);
			s++;
			continue;
		case '<':
			s = strchr(s, '>');
			if (s == NULL) {
				fprintf(stderr, "gen_cmdref: bad syntax %s\n",
				    start);
				exit(1);
			}
			put_arg(start + 1, (size_t)(s - start - 1), out);
			s++;
			break;
		default:
			s += strcspn(s, " []{}|<");
			put_word("Cm", start, (size_t)(s - start), out);
			break;
		}
		if (n < max) {
			words[n] = start;
			wlen[n++] = (size_t)(s - start);
		}
	}
	return n;
}

static void
put_command(const struct cmd_def *d, FILE *out)
{
	const char *words[64], *h = d->help;
	size_t wlen[64];
	int n;

	fputs(".It", out);
	if (d->flags & CMD_NO_ONLY)
		fputs(" Cm no", out);
	else if (d->flags & CMD_NO)
		fputs(" Oo Cm no Oc", out);
	n = put_syntax(d->syntax, out, words, wlen, 64);
	fputc('\n', out);
	if (d->no_syntax != NULL) {
		fputs("No form:\n.Cm no", out);
		put_syntax(d->no_syntax, out, words + n, wlen + n, 0);
		fputc('\n', out);
	}
	fputs(".Bl -tag -width 12n -compact\n", out);
	for (int i = 0; i < n && *h != '\0'; i++) {
		const char *nl = strchr(h, '\n');
		size_t hl = nl ? (size_t)(nl - h) : strlen(h);

		fputs(".It", out);
		if (words[i][0] == '<')
			put_arg(words[i] + 1, wlen[i] - 2, out);
		else
			put_word("Cm", words[i], wlen[i], out);
		fputc('\n', out);
		put_text(h, hl, out);
		h = nl ? nl + 1 : h + hl;
	}
	fputs(".El\n", out);
}

/* ---- modes ---- */

static bool
in_set(enum cmd_mode m, bool exec)
{
	return exec ? m == CMD_MODE_EXEC : m != CMD_MODE_EXEC;
}

/* The first mode with m's name: modes that share a name are one. */
static bool
first_of_name(enum cmd_mode m)
{
	for (int i = CMD_MODE_EXEC; i < (int)m; i++)
		if (strcmp(cmd_mode_name(i), cmd_mode_name(m)) == 0)
			return false;
	return true;
}

static bool
row_in_mode(const struct cmd_def *d, enum cmd_mode m)
{
	for (int i = CMD_MODE_EXEC; i < CMD_MODE_COUNT; i++)
		if ((d->modes & CMD_M(i)) &&
		    strcmp(cmd_mode_name(i), cmd_mode_name(m)) == 0)
			return true;
	return false;
}

static bool row_in_mode(const struct cmd_def *, enum cmd_mode);

/* Whether some table row of mode m starts with keyword w. */
static bool
row_starts_with(enum cmd_mode m, const char *w)
{
	size_t len = strlen(w);

	for (int t = 0; t < ntables; t++)
		for (size_t i = 0; i < tables[t].n; i++) {
			const char *s = tables[t].defs[i].syntax;

			if (row_in_mode(&tables[t].defs[i], m) &&
			    strncmp(s, w, len) == 0 &&
			    (s[len] == ' ' || s[len] == '\0'))
				return true;
		}
	return false;
}

/*
 * The built-in commands of cmd.c in mode m: keywords that may start a
 * line and start no row, with the words that may follow them.  Built
 * as rows, into defs (strings allocated, freed by the caller).
 */
static int
builtins(enum cmd_mode m, struct cmd_def *defs, int max)
{
	static struct cmd_choice c[CHOICES], c2[CHOICES];
	struct cmd_state st;
	int n, nd = 0;

	cmd_state_init(&st, m, NULL);
	n = cmd_complete(&st, "", c, CHOICES);
	for (int i = 0; i < n && i < CHOICES && nd < max; i++) {
		char line[256], syntax[256], help[1024];
		bool cr = false, more = false;
		int n2;

		/* "no" starts the negated form of rows. */
		if (c[i].kind != CMD_CHOICE_KEYWORD ||
		    strcmp(c[i].word, "no") == 0 ||
		    row_starts_with(m, c[i].word))
			continue;
		snprintf(line, sizeof(line), "%s ", c[i].word);
		snprintf(syntax, sizeof(syntax), "%s", c[i].word);
		snprintf(help, sizeof(help), "%s\n", c[i].help);
		n2 = cmd_complete(&st, line, c2, CHOICES);
		for (int j = 0; j < n2 && j < CHOICES; j++)
			if (c2[j].kind == CMD_CHOICE_CR)
				cr = true;
		for (int j = 0; j < n2 && j < CHOICES; j++) {
			if (c2[j].kind != CMD_CHOICE_KEYWORD)
				continue;
			strncat(syntax, more ? "|" : (cr ? " [" : " {"),
			    sizeof(syntax) - strlen(syntax) - 1);
			strncat(syntax, c2[j].word,
			    sizeof(syntax) - strlen(syntax) - 1);
			strncat(
			    help, c2[j].help, sizeof(help) - strlen(help) - 1);
			strncat(help, "\n", sizeof(help) - strlen(help) - 1);
			more = true;
		}
		if (more)
			strncat(syntax, cr ? "]" : "}",
			    sizeof(syntax) - strlen(syntax) - 1);
		defs[nd] = (struct cmd_def){ CMD_M(m), cmd_xstrdup(syntax),
			cmd_xstrdup(help), NULL, 0, CMD_MODE_NONE, NULL };
		nd++;
	}
	return nd;
}

static void
free_builtins(struct cmd_def *defs, int n)
{
	for (int i = 0; i < n; i++) {
		free((char *)defs[i].syntax);
		free((char *)defs[i].help);
	}
}

static int
cmp_row(const void *a, const void *b)
{
	const struct cmd_def *x = *(const struct cmd_def *const *)a;
	const struct cmd_def *y = *(const struct cmd_def *const *)b;
	int c = strcmp(x->syntax, y->syntax);

	/* stable: equal syntaxes (a row and its "no" row) keep their order */
	return c != 0 ? c : (x < y ? -1 : x > y);
}

/* The rows of mode m, sorted by their syntax. */
static int
mode_rows(enum cmd_mode m, const struct cmd_def **rows, int max)
{
	int n = 0;

	for (int t = 0; t < ntables; t++)
		for (size_t i = 0; i < tables[t].n; i++)
			if (row_in_mode(&tables[t].defs[i], m)) {
				if (n == max) {
					fputs("gen_cmdref: too many commands\n",
					    stderr);
					exit(1);
				}
				rows[n++] = &tables[t].defs[i];
			}
	qsort(rows, (size_t)n, sizeof(rows[0]), cmp_row);
	return n;
}

static void
put_mode(enum cmd_mode m, FILE *out)
{
	static const struct cmd_def *rows[ROWS_MAX];
	struct cmd_def bi[16];
	int nbi = builtins(m, bi, 16), nrows;
	bool first = true;

	fprintf(out, ".Ss %s mode\n", cmd_mode_name(m));
	for (int t = 0; t < ntables; t++)
		for (size_t i = 0; i < tables[t].n; i++) {
			const struct cmd_def *d = &tables[t].defs[i];

			if (d->enter == CMD_MODE_NONE ||
			    strcmp(cmd_mode_name(d->enter), cmd_mode_name(m)))
				continue;
			fputs(first ? "Entered with\n" : ",\n", out);
			fputs(".Sq", out);
			put_syntax(d->syntax, out, NULL, NULL, 0);
			fputc('\n', out);
			first = false;
		}
	if (!first)
		fputs(".Pp\n", out);
	fputs(".Bl -tag -width Ds\n", out);
	nrows = mode_rows(m, rows, ROWS_MAX);
	for (int i = 0; i < nrows; i++)
		put_command(rows[i], out);
	for (int i = 0; i < nbi; i++)
		put_command(&bi[i], out);
	fputs(".El\n", out);
	free_builtins(bi, nbi);
}

static void
put_reference(bool exec, FILE *out)
{
	for (int m = CMD_MODE_EXEC; m < CMD_MODE_COUNT; m++)
		if (in_set(m, exec) && first_of_name(m))
			put_mode(m, out);
}

static void
list(bool exec, FILE *out)
{
	for (int m = CMD_MODE_EXEC; m < CMD_MODE_COUNT; m++) {
		struct cmd_def bi[16];
		int nbi;

		if (!in_set(m, exec) || !first_of_name(m))
			continue;
		for (int t = 0; t < ntables; t++)
			for (size_t i = 0; i < tables[t].n; i++)
				if (row_in_mode(&tables[t].defs[i], m))
					fprintf(out, "%s\t%s%s\n",
					    cmd_mode_name(m),
					    tables[t].defs[i].flags &
						    CMD_NO_ONLY
						? "no "
						: "",
					    tables[t].defs[i].syntax);
		nbi = builtins(m, bi, 16);
		for (int i = 0; i < nbi; i++)
			fprintf(
			    out, "%s\t%s\n", cmd_mode_name(m), bi[i].syntax);
		free_builtins(bi, nbi);
	}
}

static void
usage(void)
{
	fputs("usage: gen_cmdref [-l] exec|config <page.in >page\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool exec, listing = false, found = false;

	if (argc == 3 && strcmp(argv[1], "-l") == 0) {
		listing = true;
		argv++;
		argc--;
	}
	if (argc != 2)
		usage();
	if (strcmp(argv[1], "exec") == 0)
		exec = true;
	else if (strcmp(argv[1], "config") == 0)
		exec = false;
	else
		usage();
	register_all();
	if (listing) {
		list(exec, stdout);
		cmd_reset();
		return 0;
	}
	while ((len = getline(&line, &cap, stdin)) != -1) {
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (strcmp(line, MARKER) == 0) {
			put_reference(exec, stdout);
			found = true;
		} else
			printf("%s\n", line);
	}
	free(line);
	cmd_reset();
	if (!found) {
		fputs("gen_cmdref: no " MARKER " line in the input\n", stderr);
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
