/*
 * cmd.c: the command engine: syntax compiler, matcher, modes and
 * completion, shared by the config file and the shell.
 *
 * Each syntax string is parsed once, at cmd_register, into its words
 * ("tokens") and compiled into a small automaton by the Glushkov
 * construction: every token knows the set of tokens that may follow it
 * (a 64-bit mask) and whether the command may end after it.  A line is
 * matched word by word against all the rows of a mode at once, keeping
 * every way of reading it so far; the rule of cmd.h decides which
 * readings survive each word, so that a prefix is accepted only when it
 * names one keyword among all those possible at that point (as in
 * Cisco IOS and vtysh).  The same walk, stopped before the last word,
 * gives the choices for `?` and TAB.
 *
 * The only global state is the registry of tables and their compiled
 * forms.
 */
#include <arpa/inet.h>
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* ---- allocation ---- */

static void
oom(void)
{
	fputs("dxbgp: out of memory\n", stderr);
	abort();
}

void *
cmd_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
cmd_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
cmd_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(cmd_xmalloc(n), s, n);
}

/* ---- modes ---- */

static const struct {
	const char *name;
	enum cmd_mode parent;
} modes[CMD_MODE_COUNT] = {
	[CMD_MODE_NONE] = { "none", CMD_MODE_NONE },
	[CMD_MODE_EXEC] = { "exec", CMD_MODE_NONE },
	[CMD_MODE_CONFIG] = { "config", CMD_MODE_EXEC },
	[CMD_MODE_ROUTER_BGP] = { "config-router", CMD_MODE_CONFIG },
	[CMD_MODE_AF_IPV4] = { "config-router-af", CMD_MODE_ROUTER_BGP },
	[CMD_MODE_AF_IPV6] = { "config-router-af", CMD_MODE_ROUTER_BGP },
	[CMD_MODE_ROUTE_MAP] = { "config-route-map", CMD_MODE_CONFIG },
	[CMD_MODE_INTERFACE] = { "config-if", CMD_MODE_CONFIG },
};

const char *
cmd_mode_name(enum cmd_mode m)
{
	assert(m < CMD_MODE_COUNT);
	return modes[m].name;
}

enum cmd_mode
cmd_mode_parent(enum cmd_mode m)
{
	assert(m < CMD_MODE_COUNT);
	return modes[m].parent;
}

/* ---- argument types ---- */

enum type { T_ASN, T_ADDR, T_IPV4, T_UINT, T_WORD, T_LINE };

static const struct {
	const char *name;
	const char *display; /* in completion lists */
	int rank;            /* specificity: the higher wins a tie */
} types[] = {
	[T_ASN] = { "ASN", "ASN", 5 },
	[T_ADDR] = { "ADDR", "A.B.C.D|X:X::X:X", 4 },
	[T_IPV4] = { "IPV4", "A.B.C.D", 5 },
	[T_UINT] = { "UINT", NULL, 5 },
	[T_WORD] = { "WORD", "WORD", 2 },
	[T_LINE] = { "LINE", "LINE", 1 },
};

#define RANK_EXACT   100
#define RANK_PARTIAL 90
#define RANK_ARG     10

/* Decimal digits only, at most 2^32-1; *big set if more. */
static bool
parse_u32(const char *s, uint32_t *v, bool *big)
{
	uint64_t n = 0;

	*big = false;
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		if (n <= UINT32_MAX)
			n = n * 10 + (uint64_t)(*s - '0');
	}
	if (n > UINT32_MAX) {
		*big = true;
		return false;
	}
	*v = (uint32_t)n;
	return true;
}

/* asplain (1-4294967295) or asdot (X.Y, each 0-65535). */
static int
parse_asn(const char *w, uint32_t *v, char *msg, size_t len)
{
	const char *dot = strchr(w, '.');
	uint32_t hi, lo;
	bool big;

	if (dot == NULL) {
		if (!parse_u32(w, v, &big))
			goto bad;
	} else {
		char first[12];
		size_t n = (size_t)(dot - w);

		if (n == 0 || n >= sizeof(first))
			goto bad;
		memcpy(first, w, n);
		first[n] = '\0';
		if (!parse_u32(first, &hi, &big) ||
		    !parse_u32(dot + 1, &lo, &big) || hi > 0xffff ||
		    lo > 0xffff)
			goto bad;
		*v = hi << 16 | lo;
	}
	if (*v == 0) {
		snprintf(msg, len,
		    "invalid ASN '%.64s': AS 0 is reserved "
		    "(RFC 7607)",
		    w);
		return -1;
	}
	return 0;
bad:
	snprintf(msg, len, "invalid ASN '%.64s'", w);
	return -1;
}

/* ---- compiled syntax ---- */

#define TOK_MAX   64 /* tokens per syntax: one bit each in a mask */
#define TOK_START -1 /* a reading before its first token */
#define TOK_NO    -2 /* a reading expecting the word "no" */

struct tok {
	bool is_arg;
	enum type type;
	char *word; /* keyword, or argument name */
	const char *help;
	uint32_t lo, hi;  /* UINT range */
	char display[32]; /* argument placeholder for completion */
	uint64_t next;    /* tokens that may follow */
	bool final;       /* the command may end after it */
};

struct crow {
	struct tok *tok;
	int ntok;
	uint64_t start; /* tokens that may come first */
};

struct centry {
	const struct cmd_def *def;
	struct crow pos; /* the command; unused for CMD_NO_ONLY */
	struct crow neg; /* the "no" form without "no"; if CMD_NO(_ONLY) */
	char *helpbuf;
};

struct table {
	const struct cmd_def *defs;
	size_t n;
	struct centry *e;
};

static struct {
	struct table *t;
	size_t n;
} reg;

static const char no_help[] = "Negate a command or set its defaults";

/* Syntax tree, only while compiling. */
enum ast_kind { A_TOK, A_SEQ, A_OPT, A_ALT };

struct ast {
	enum ast_kind kind;
	int tok; /* A_TOK: index into crow.tok */
	struct ast **kids;
	int nkids;
};

struct sparse {
	const char *syntax; /* whole, for messages */
	const char *s;
	struct crow *r;
};

static void
syntax_bug(const struct sparse *sp, const char *what)
{
	fprintf(
	    stderr, "dxbgp: bad command syntax \"%s\": %s\n", sp->syntax, what);
	abort();
}

static struct ast *
ast_new(enum ast_kind kind)
{
	struct ast *a = cmd_xcalloc(1, sizeof(*a));

	a->kind = kind;
	return a;
}

static void
ast_add(struct ast *a, struct ast *kid)
{
	a->kids = xrealloc(a->kids, sizeof(*a->kids) * (size_t)(a->nkids + 1));
	a->kids[a->nkids++] = kid;
}

static void
ast_free(struct ast *a)
{
	for (int i = 0; i < a->nkids; i++)
		ast_free(a->kids[i]);
	free(a->kids);
	free(a);
}

static struct tok *
tok_add(struct sparse *sp)
{
	struct crow *r = sp->r;

	if (r->ntok == TOK_MAX)
		syntax_bug(sp, "too many words");
	r->tok = xrealloc(r->tok, sizeof(*r->tok) * (size_t)(r->ntok + 1));
	memset(&r->tok[r->ntok], 0, sizeof(r->tok[0]));
	return &r->tok[r->ntok++];
}

static bool
is_special(char c)
{
	return c == '[' || c == ']' || c == '{' || c == '}' || c == '|' ||
	    c == '<' || c == '>';
}

/* <NAME:TYPE> or <NAME:UINT lo-hi>; sp->s is past '<'. */
static struct ast *
parse_arg(struct sparse *sp)
{
	const char *end = strchr(sp->s, '>');
	const char *colon = strchr(sp->s, ':');
	char spec[64];
	struct tok *t;
	struct ast *a;
	size_t n;
	size_t i;

	if (end == NULL || colon == NULL || colon > end || colon == sp->s)
		syntax_bug(sp, "expected <NAME:TYPE>");
	t = tok_add(sp);
	t->is_arg = true;
	n = (size_t)(colon - sp->s);
	t->word = cmd_xmalloc(n + 1);
	memcpy(t->word, sp->s, n);
	t->word[n] = '\0';
	n = (size_t)(end - colon - 1);
	if (n >= sizeof(spec))
		syntax_bug(sp, "argument type too long");
	memcpy(spec, colon + 1, n);
	spec[n] = '\0';
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t tl = strlen(types[i].name);

		if (strncmp(spec, types[i].name, tl) == 0 &&
		    (spec[tl] == '\0' || spec[tl] == ' '))
			break;
	}
	if (i == sizeof(types) / sizeof(types[0]))
		syntax_bug(sp, "unknown argument type");
	t->type = (enum type)i;
	if (t->type == T_UINT) {
		unsigned long lo = 0, hi = UINT32_MAX;
		const char *range = spec + strlen("UINT");

		if (*range == ' ' && sscanf(range, " %lu-%lu", &lo, &hi) != 2)
			syntax_bug(sp, "expected UINT lo-hi");
		if (lo > hi || hi > UINT32_MAX)
			syntax_bug(sp, "bad range");
		t->lo = (uint32_t)lo;
		t->hi = (uint32_t)hi;
		snprintf(t->display, sizeof(t->display), "<%lu-%lu>", lo, hi);
	} else {
		if (spec[strlen(types[t->type].name)] != '\0')
			syntax_bug(sp, "only UINT takes a range");
		snprintf(t->display, sizeof(t->display), "%s",
		    types[t->type].display);
	}
	sp->s = end + 1;
	a = ast_new(A_TOK);
	a->tok = sp->r->ntok - 1;
	return a;
}

static struct ast *parse_seq(struct sparse *sp);

static struct ast *
parse_item(struct sparse *sp)
{
	struct ast *a;
	const char *w;
	struct tok *t;
	size_t n;

	switch (*sp->s) {
	case '<':
		sp->s++;
		return parse_arg(sp);
	case '[':
		sp->s++;
		a = ast_new(A_OPT);
		ast_add(a, parse_seq(sp));
		if (*sp->s != ']')
			syntax_bug(sp, "expected ']'");
		sp->s++;
		return a;
	case '{':
		sp->s++;
		a = ast_new(A_ALT);
		for (;;) {
			ast_add(a, parse_seq(sp));
			if (*sp->s == '}')
				break;
			if (*sp->s != '|')
				syntax_bug(sp, "expected '|' or '}'");
			sp->s++;
		}
		sp->s++;
		return a;
	}
	w = sp->s;
	while (*sp->s != '\0' && !isspace((unsigned char)*sp->s) &&
	    !is_special(*sp->s))
		sp->s++;
	n = (size_t)(sp->s - w);
	if (n == 0)
		syntax_bug(sp, "unexpected character");
	t = tok_add(sp);
	t->word = cmd_xmalloc(n + 1);
	memcpy(t->word, w, n);
	t->word[n] = '\0';
	a = ast_new(A_TOK);
	a->tok = sp->r->ntok - 1;
	return a;
}

/* Items up to the end, ']', '|' or '}'. */
static struct ast *
parse_seq(struct sparse *sp)
{
	struct ast *seq = ast_new(A_SEQ);

	for (;;) {
		while (isspace((unsigned char)*sp->s))
			sp->s++;
		if (*sp->s == '\0' || *sp->s == ']' || *sp->s == '|' ||
		    *sp->s == '}')
			break;
		ast_add(seq, parse_item(sp));
	}
	if (seq->nkids == 0)
		syntax_bug(sp, "empty group");
	return seq;
}

/* Glushkov sets of a subtree: tokens first, tokens last, can be empty. */
struct gsets {
	uint64_t first, last;
	bool nullable;
};

static struct gsets
glushkov(struct crow *r, const struct ast *a)
{
	struct gsets g = { 0, 0, true }, k;

	switch (a->kind) {
	case A_TOK:
		g.first = g.last = UINT64_C(1) << a->tok;
		g.nullable = false;
		break;
	case A_SEQ:
		for (int i = 0; i < a->nkids; i++) {
			k = glushkov(r, a->kids[i]);
			for (int p = 0; p < r->ntok; p++)
				if (g.last & (UINT64_C(1) << p))
					r->tok[p].next |= k.first;
			if (g.nullable)
				g.first |= k.first;
			g.last = k.nullable ? g.last | k.last : k.last;
			g.nullable = g.nullable && k.nullable;
		}
		break;
	case A_OPT:
		g = glushkov(r, a->kids[0]);
		g.nullable = true;
		break;
	case A_ALT:
		g.nullable = false;
		for (int i = 0; i < a->nkids; i++) {
			k = glushkov(r, a->kids[i]);
			g.first |= k.first;
			g.last |= k.last;
			g.nullable = g.nullable || k.nullable;
		}
		break;
	}
	return g;
}

/*
 * The "no" form derived from a syntax: what follows its last top-level
 * keyword becomes optional ("neighbor <A> timers [<K> <H>]").
 */
static void
relax_for_no(const struct crow *r, struct ast *root)
{
	int last = -1;
	struct ast *opt, *seq;

	for (int i = 0; i < root->nkids; i++)
		if (root->kids[i]->kind == A_TOK &&
		    !r->tok[root->kids[i]->tok].is_arg)
			last = i;
	if (last < 0 || last == root->nkids - 1)
		return;
	seq = ast_new(A_SEQ);
	for (int i = last + 1; i < root->nkids; i++)
		ast_add(seq, root->kids[i]);
	opt = ast_new(A_OPT);
	ast_add(opt, seq);
	root->kids[last + 1] = opt;
	root->nkids = last + 2;
}

static void
compile(
    struct crow *r, const char *syntax, bool no_form, char **help, int nhelp)
{
	struct sparse sp = { syntax, syntax, r };
	struct ast *root;
	struct gsets g;

	memset(r, 0, sizeof(*r));
	root = parse_seq(&sp);
	if (*sp.s != '\0')
		syntax_bug(&sp, "unbalanced ']', '|' or '}'");
	if (r->ntok != nhelp)
		syntax_bug(&sp, "not one help line per word");
	for (int i = 0; i < r->ntok; i++)
		r->tok[i].help = help[i];
	if (no_form)
		relax_for_no(r, root);
	g = glushkov(r, root);
	if (g.nullable)
		syntax_bug(&sp, "the command may be empty");
	r->start = g.first;
	for (int i = 0; i < r->ntok; i++) {
		r->tok[i].final = (g.last & (UINT64_C(1) << i)) != 0;
		if (r->tok[i].is_arg && r->tok[i].type == T_LINE &&
		    r->tok[i].next != 0)
			syntax_bug(&sp, "LINE must end the command");
	}
	ast_free(root);
}

static void
crow_free(struct crow *r)
{
	for (int i = 0; i < r->ntok; i++)
		free(r->tok[i].word);
	free(r->tok);
	memset(r, 0, sizeof(*r));
}

static void
centry_compile(struct centry *e, const struct cmd_def *d)
{
	char *help[TOK_MAX + 1];
	int nhelp = 0;
	char *p;

	assert(d->syntax != NULL && d->help != NULL);
	assert((d->flags & (CMD_NO | CMD_NO_ONLY)) != (CMD_NO | CMD_NO_ONLY));
	assert(d->modes != 0 && d->enter < CMD_MODE_COUNT);
	e->def = d;
	e->helpbuf = cmd_xstrdup(d->help);
	for (p = e->helpbuf; *p != '\0' && nhelp <= TOK_MAX;) {
		char *nl = strchr(p, '\n');

		help[nhelp++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	if (!(d->flags & CMD_NO_ONLY))
		compile(&e->pos, d->syntax, false, help, nhelp);
	if (d->flags & CMD_NO_ONLY)
		compile(&e->neg, d->syntax, false, help, nhelp);
	else if (d->flags & CMD_NO)
		compile(&e->neg, d->no_syntax ? d->no_syntax : d->syntax,
		    d->no_syntax == NULL, help, nhelp);
}

static bool
has_pos(const struct centry *e)
{
	return !(e->def->flags & CMD_NO_ONLY);
}

static bool
has_neg(const struct centry *e)
{
	return (e->def->flags & (CMD_NO | CMD_NO_ONLY)) != 0;
}

/* ---- registry ---- */

static const struct cmd_def builtins[] = {
	{ CMD_M(CMD_MODE_EXEC), "configure [terminal]",
	    "Enter configuration mode\n"
	    "From the terminal\n",
	    NULL, 0, CMD_MODE_CONFIG, NULL },
	{ CMD_M_ALL_CONFIG, "exit", "Leave the current mode\n", NULL, CMD_EXIT,
	    CMD_MODE_NONE, NULL },
	{ CMD_M_ALL_CONFIG, "end", "Return to the top level\n", NULL, CMD_END,
	    CMD_MODE_NONE, NULL },
};

static void
add_table(const struct cmd_def *defs, size_t n)
{
	struct table *t;

	for (size_t i = 0; i < reg.n; i++)
		if (reg.t[i].defs == defs)
			return;
	reg.t = xrealloc(reg.t, sizeof(*reg.t) * (reg.n + 1));
	t = &reg.t[reg.n++];
	t->defs = defs;
	t->n = n;
	t->e = cmd_xcalloc(n, sizeof(*t->e));
	for (size_t i = 0; i < n; i++)
		centry_compile(&t->e[i], &defs[i]);
}

static void
ensure_builtins(void)
{
	add_table(builtins, sizeof(builtins) / sizeof(builtins[0]));
}

void
cmd_register(const struct cmd_def *defs, size_t n)
{
	ensure_builtins();
	add_table(defs, n);
}

void
cmd_reset(void)
{
	for (size_t i = 0; i < reg.n; i++) {
		for (size_t j = 0; j < reg.t[i].n; j++) {
			crow_free(&reg.t[i].e[j].pos);
			crow_free(&reg.t[i].e[j].neg);
			free(reg.t[i].e[j].helpbuf);
		}
		free(reg.t[i].e);
	}
	free(reg.t);
	reg.t = NULL;
	reg.n = 0;
}

/* ---- words of a line ---- */

struct words {
	const char *line;
	char *buf;
	char **w;
	size_t *off; /* where each word starts in line */
	int n;
	bool trailing_blank; /* line ends with a blank (or is empty) */
	bool lenient;        /* completing: a LINE may be unfinished */
};

static void
split(struct words *ws, const char *line)
{
	size_t len = strlen(line);
	size_t i = 0;

	memset(ws, 0, sizeof(*ws));
	ws->line = line;
	ws->buf = cmd_xstrdup(line);
	ws->w = cmd_xcalloc(len / 2 + 1, sizeof(*ws->w));
	ws->off = cmd_xcalloc(len / 2 + 1, sizeof(*ws->off));
	for (;;) {
		while (i < len && isspace((unsigned char)line[i]))
			i++;
		if (i == len)
			break;
		ws->w[ws->n] = ws->buf + i;
		ws->off[ws->n++] = i;
		while (i < len && !isspace((unsigned char)line[i]))
			i++;
		ws->buf[i] = '\0';
	}
	ws->trailing_blank = len == 0 || isspace((unsigned char)line[len - 1]);
}

static void
words_free(struct words *ws)
{
	free(ws->buf);
	free(ws->w);
	free(ws->off);
}

static bool
is_comment(const struct words *ws)
{
	return ws->n > 0 && (ws->w[0][0] == '!' || ws->w[0][0] == '#');
}

/*
 * The value of a LINE starting at raw: the rest of the line without
 * trailing blanks, or one "quoted string" (\" and \\ escaped).
 */
static char *
line_value(const char *raw, char *msg, size_t len)
{
	size_t n = strlen(raw);
	char *v, *o;
	const char *p;

	while (n > 0 && isspace((unsigned char)raw[n - 1]))
		n--;
	if (raw[0] != '"') {
		v = cmd_xmalloc(n + 1);
		memcpy(v, raw, n);
		v[n] = '\0';
		return v;
	}
	o = v = cmd_xmalloc(n + 1);
	for (p = raw + 1; p < raw + n && *p != '"'; p++) {
		if (*p == '\\' && p + 1 < raw + n &&
		    (p[1] == '"' || p[1] == '\\'))
			p++;
		*o++ = *p;
	}
	*o = '\0';
	if (p >= raw + n)
		snprintf(msg, len, "unterminated quoted string");
	else if (p + 1 != raw + n)
		snprintf(msg, len, "text after the closing quote");
	else if (v[0] == '\0')
		snprintf(msg, len, "empty string");
	else
		return v;
	free(v);
	return NULL;
}

void
cmd_fput_line(const char *value, FILE *out)
{
	size_t n = strlen(value);

	if (n > 0 && value[0] != '"' && !isspace((unsigned char)value[0]) &&
	    !isspace((unsigned char)value[n - 1])) {
		fputs(value, out);
		return;
	}
	fputc('"', out);
	for (const char *p = value; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

/*
 * Checks word i against argument t; 0 if it is a valid value (*num set
 * for numbers), else -1 and why in msg.
 */
static int
arg_check(const struct tok *t, const struct words *ws, int i, uint32_t *num,
    char *msg, size_t len)
{
	const char *w = ws->w[i];
	struct in6_addr a6;
	struct in_addr a4;
	char *v;
	bool big;

	*num = 0;
	switch (t->type) {
	case T_ASN:
		return parse_asn(w, num, msg, len);
	case T_ADDR:
		if (inet_pton(AF_INET, w, &a4) == 1 ||
		    inet_pton(AF_INET6, w, &a6) == 1)
			return 0;
		snprintf(msg, len, "invalid address '%.64s'", w);
		return -1;
	case T_IPV4:
		if (inet_pton(AF_INET, w, &a4) == 1) {
			*num = ntohl(a4.s_addr);
			return 0;
		}
		snprintf(msg, len, "invalid IPv4 address '%.64s'", w);
		return -1;
	case T_UINT:
		if (!parse_u32(w, num, &big) && !big) {
			snprintf(msg, len, "invalid number '%.64s'", w);
			return -1;
		}
		if (big || *num < t->lo || *num > t->hi) {
			snprintf(msg, len, "value %.64s out of range %u-%u", w,
			    t->lo, t->hi);
			return -1;
		}
		return 0;
	case T_WORD:
		return 0;
	case T_LINE:
		if (ws->lenient)
			return 0;
		v = line_value(ws->line + ws->off[i], msg, len);
		free(v);
		return v == NULL ? -1 : 0;
	}
	return -1;
}

/* Could a word starting with prefix be a value of t? (completion) */
static bool
arg_prefix_ok(const struct tok *t, const char *prefix)
{
	const char *ok;

	switch (t->type) {
	case T_ASN:
		ok = "0123456789.";
		break;
	case T_UINT:
		ok = "0123456789";
		break;
	case T_IPV4:
		ok = "0123456789.";
		break;
	case T_ADDR:
		ok = "0123456789abcdefABCDEF.:";
		break;
	default:
		return true;
	}
	return strspn(prefix, ok) == strlen(prefix);
}

/* ---- matching ---- */

/* One way of reading the words so far. */
struct reading {
	const struct centry *e;
	const struct crow *r;
	bool neg;
	int tok;   /* last token taken, TOK_START or TOK_NO */
	bool done; /* a LINE took the rest of the line */
	int *pt;   /* token per word, TOK_NO for the word "no" */
	uint8_t *rank;
};

struct readings {
	struct reading *v;
	int n, cap;
};

static struct reading *
rd_push(struct readings *rs, const struct reading *from, int nwords)
{
	struct reading *r;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->v = xrealloc(rs->v, sizeof(*rs->v) * (size_t)rs->cap);
	}
	r = &rs->v[rs->n++];
	*r = *from;
	r->pt = cmd_xcalloc((size_t)nwords + 1, sizeof(*r->pt));
	r->rank = cmd_xcalloc((size_t)nwords + 1, sizeof(*r->rank));
	if (from->pt != NULL) {
		memcpy(r->pt, from->pt, sizeof(*r->pt) * (size_t)nwords);
		memcpy(r->rank, from->rank, sizeof(*r->rank) * (size_t)nwords);
	}
	return r;
}

static void
rd_free(struct readings *rs)
{
	for (int i = 0; i < rs->n; i++) {
		free(rs->v[i].pt);
		free(rs->v[i].rank);
	}
	free(rs->v);
	memset(rs, 0, sizeof(*rs));
}

/* Tokens that may come next in a reading. */
static uint64_t
rd_next(const struct reading *r)
{
	if (r->done || r->tok == TOK_NO)
		return 0;
	if (r->tok == TOK_START)
		return r->r->start;
	return r->r->tok[r->tok].next;
}

static bool
rd_final(const struct reading *r)
{
	return r->done || (r->tok >= 0 && r->r->tok[r->tok].final);
}

enum mkind { M_NONE, M_UNKNOWN, M_VALUE, M_AMBIG, M_INCOMPLETE, M_OK };

struct mres {
	enum mkind kind;
	int pos; /* the word at fault */
	char msg[CMD_ERR_MAX];
	const struct centry *e; /* the row matched, or that got furthest */
	bool neg;
	int *pt; /* M_OK: token per word (owned) */
};

/* The readings of mode before any word. */
static void
start_readings(struct readings *rs, enum cmd_mode mode, int nwords)
{
	struct reading r0;

	for (size_t t = 0; t < reg.n; t++) {
		for (size_t i = 0; i < reg.t[t].n; i++) {
			const struct centry *e = &reg.t[t].e[i];

			if (!(e->def->modes & CMD_M(mode)))
				continue;
			memset(&r0, 0, sizeof(r0));
			r0.e = e;
			if (has_pos(e)) {
				r0.r = &e->pos;
				r0.tok = TOK_START;
				rd_push(rs, &r0, nwords);
			}
			if (has_neg(e)) {
				r0.r = &e->neg;
				r0.neg = true;
				r0.tok = TOK_NO;
				rd_push(rs, &r0, nwords);
			}
		}
	}
}

/* Adds s to a list of distinct strings. */
static void
add_distinct(const char **list, int *n, int max, const char *s)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(list[i], s) == 0)
			return;
	if (*n < max)
		list[(*n)++] = s;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *
kw_text(const struct reading *r, int t)
{
	return t == TOK_NO ? "no" : r->r->tok[t].word;
}

/* Positions of a reading's candidate tokens, "no" included as TOK_NO. */
static int
rd_cands(const struct reading *r, int *c)
{
	uint64_t m = rd_next(r);
	int n = 0;

	if (!r->done && r->tok == TOK_NO)
		c[n++] = TOK_NO;
	for (int t = 0; t < r->r->ntok; t++)
		if (m & (UINT64_C(1) << t))
			c[n++] = t;
	return n;
}

/*
 * How well token c of reading r takes word i: RANK_EXACT or
 * RANK_PARTIAL for a keyword, RANK_ARG + the type's rank for a valid
 * argument, 0 if it does not, -1 (and why in msg) for a bad value.
 */
static int
fits(const struct reading *r, int c, const struct words *ws, int i, char *msg,
    size_t len)
{
	const struct tok *t = c >= 0 ? &r->r->tok[c] : NULL;
	const char *w = ws->w[i];
	uint32_t num;

	if (t == NULL || !t->is_arg) {
		const char *kw = kw_text(r, c);

		if (strcmp(kw, w) == 0)
			return RANK_EXACT;
		return strncmp(kw, w, strlen(w)) == 0 ? RANK_PARTIAL : 0;
	}
	if (arg_check(t, ws, i, &num, msg, len) < 0)
		return -1;
	return RANK_ARG + types[t->type].rank;
}

/* What a word can be, over every reading. */
struct survey {
	bool exact, arg, done;
	const char *partial[16]; /* keywords it is a prefix of */
	int npartial;
};

enum take { TAKE_EXACT, TAKE_PARTIAL, TAKE_ARG, TAKE_NONE };

static void
survey(const struct readings *rs, const struct words *ws, int i,
    struct survey *sv, struct mres *res)
{
	int c[TOK_MAX + 1];
	char msg[CMD_ERR_MAX];

	memset(sv, 0, sizeof(*sv));
	res->kind = M_NONE;
	for (int k = 0; k < rs->n; k++) {
		const struct reading *r = &rs->v[k];
		int nc = rd_cands(r, c);

		sv->done = sv->done || r->done;
		for (int j = 0; j < nc; j++) {
			int f = fits(r, c[j], ws, i, msg, sizeof(msg));

			if (f == RANK_EXACT)
				sv->exact = true;
			else if (f == RANK_PARTIAL)
				add_distinct(sv->partial, &sv->npartial, 16,
				    kw_text(r, c[j]));
			else if (f > 0)
				sv->arg = true;
			else if (f < 0 && res->kind != M_VALUE) {
				/* The first bad value, if all else fails. */
				res->kind = M_VALUE;
				res->e = r->e;
				res->neg = r->neg;
				snprintf(res->msg, sizeof(res->msg), "%s", msg);
			}
		}
	}
}

/*
 * The rule of cmd.h: a keyword in full, else a prefix of exactly one
 * keyword, else arguments; else the word is ambiguous or wrong, and
 * res says so.
 */
static bool
decide(const struct readings *rs, const struct words *ws, int i,
    struct survey *sv, enum take *take, struct mres *res)
{
	const char *w = ws->w[i];
	size_t o;

	if (sv->exact)
		*take = TAKE_EXACT;
	else if (sv->npartial == 1)
		*take = TAKE_PARTIAL;
	else if (sv->arg)
		*take = TAKE_ARG;
	else if (sv->done)
		*take = TAKE_NONE; /* only the readings inside a LINE go on */
	else if (sv->npartial > 1) {
		qsort(sv->partial, (size_t)sv->npartial, sizeof(sv->partial[0]),
		    cmp_str);
		o = (size_t)snprintf(res->msg, sizeof(res->msg),
		    i == 0 ? "ambiguous command '%.64s' ("
			   : "ambiguous command at '%.64s' (",
		    w);
		for (int k = 0; k < sv->npartial && o < sizeof(res->msg); k++)
			o +=
			    (size_t)snprintf(res->msg + o, sizeof(res->msg) - o,
				"%s%s", k ? ", " : "", sv->partial[k]);
		if (o < sizeof(res->msg))
			snprintf(res->msg + o, sizeof(res->msg) - o, ")");
		res->kind = M_AMBIG;
		res->e = NULL;
		res->pos = i;
		return false;
	} else {
		if (res->kind != M_VALUE) {
			res->kind = M_UNKNOWN;
			res->e = rs->n > 0 ? rs->v[0].e : NULL;
			res->neg = rs->n > 0 && rs->v[0].neg;
			snprintf(res->msg, sizeof(res->msg),
			    i == 0 ? "unknown command '%.64s'"
				   : "unknown command at '%.64s'",
			    w);
		}
		res->pos = i;
		return false;
	}
	return true;
}

/* The readings that take word i the chosen way. */
static void
keep(const struct readings *rs, const struct words *ws, int i, enum take take,
    const char *partial, struct readings *next)
{
	int c[TOK_MAX + 1];
	char msg[CMD_ERR_MAX];

	for (int k = 0; k < rs->n; k++) {
		const struct reading *r = &rs->v[k];
		int nc = rd_cands(r, c);

		if (r->done) {
			struct reading *n = rd_push(next, r, ws->n);

			n->pt[i] = r->tok;
			n->rank[i] = RANK_ARG + types[T_LINE].rank;
			continue;
		}
		for (int j = 0; j < nc; j++) {
			int f = fits(r, c[j], ws, i, msg, sizeof(msg));
			const struct tok *t;
			struct reading *n;

			if (!(take == TAKE_EXACT && f == RANK_EXACT) &&
			    !(take == TAKE_PARTIAL && f == RANK_PARTIAL &&
				strcmp(kw_text(r, c[j]), partial) == 0) &&
			    !(take == TAKE_ARG && f > 0 && f < RANK_PARTIAL))
				continue;
			n = rd_push(next, r, ws->n);
			n->pt[i] = c[j];
			n->rank[i] = (uint8_t)f;
			if (c[j] == TOK_NO) {
				n->tok = TOK_START;
				continue;
			}
			t = &r->r->tok[c[j]];
			n->tok = c[j];
			n->done = t->is_arg && t->type == T_LINE;
		}
	}
}

/*
 * Takes word i: rs becomes the readings that survive it.  On failure
 * fills res (kind, pos, msg, e) and returns false.
 */
static bool
step(struct readings *rs, const struct words *ws, int i, struct mres *res)
{
	struct readings next = { 0 };
	struct survey sv;
	enum take take;

	survey(rs, ws, i, &sv, res);
	if (!decide(rs, ws, i, &sv, &take, res))
		return false;
	keep(rs, ws, i, take, sv.npartial == 1 ? sv.partial[0] : NULL, &next);
	rd_free(rs);
	*rs = next;
	return true;
}

/* Matches all the words in one mode. */
static void
match_mode(enum cmd_mode mode, const struct words *ws, struct mres *res)
{
	struct readings rs = { 0 };
	const struct reading *best = NULL;
	bool tie = false;

	memset(res, 0, sizeof(*res));
	start_readings(&rs, mode, ws->n);
	for (int i = 0; i < ws->n; i++) {
		if (!step(&rs, ws, i, res)) {
			rd_free(&rs);
			return;
		}
	}
	for (int k = 0; k < rs.n; k++) {
		const struct reading *r = &rs.v[k];
		int d;

		if (!rd_final(r))
			continue;
		if (best == NULL) {
			best = r;
			continue;
		}
		d = memcmp(r->rank, best->rank, (size_t)ws->n);
		if (d > 0) {
			best = r;
			tie = false;
		} else if (d == 0 && (r->e != best->e || r->neg != best->neg)) {
			tie = true;
		}
	}
	if (best == NULL) {
		res->kind = M_INCOMPLETE;
		res->pos = ws->n;
		res->e = rs.n > 0 ? rs.v[0].e : NULL;
		res->neg = rs.n > 0 && rs.v[0].neg;
		snprintf(res->msg, sizeof(res->msg),
		    "incomplete command after '%.64s'", ws->w[ws->n - 1]);
	} else if (tie) {
		res->kind = M_AMBIG;
		res->pos = 0;
		snprintf(res->msg, sizeof(res->msg), "ambiguous command");
	} else {
		res->kind = M_OK;
		res->e = best->e;
		res->neg = best->neg;
		res->pt = cmd_xcalloc((size_t)ws->n, sizeof(*res->pt));
		memcpy(res->pt, best->pt, sizeof(*res->pt) * (size_t)ws->n);
	}
	rd_free(&rs);
}

/* ---- running a line ---- */

void
cmd_state_init(struct cmd_state *st, enum cmd_mode mode, void *ctx)
{
	assert(mode > CMD_MODE_NONE && mode < CMD_MODE_COUNT);
	memset(st, 0, sizeof(*st));
	st->ctx = ctx;
	st->depth = 1;
	st->stack[0].mode = mode;
}

enum cmd_mode
cmd_state_mode(const struct cmd_state *st)
{
	return st->stack[st->depth - 1].mode;
}

void *
cmd_mode_data(const struct cmd_state *st)
{
	return st->stack[st->depth - 1].data;
}

int
cmd_error(struct cmd_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return -1;
}

void
cmd_more(struct cmd_state *st, bool (*more)(void *, FILE *),
    void (*more_free)(void *), void *arg)
{
	st->more = more;
	st->more_free = more_free;
	st->more_arg = arg;
}

void
cmd_enter(struct cmd_state *st, enum cmd_mode mode, void *data)
{
	assert(mode > CMD_MODE_EXEC && mode < CMD_MODE_COUNT);
	st->enter = mode;
	st->enter_data = data;
}

static void
push(struct cmd_state *st, enum cmd_mode mode, void *data, bool dead)
{
	/* A command enters a mode directly below the one it belongs to. */
	assert(modes[mode].parent == cmd_state_mode(st));
	assert(st->depth < CMD_DEPTH_MAX);
	st->stack[st->depth].mode = mode;
	st->stack[st->depth].data = data;
	st->stack[st->depth].dead = dead || st->stack[st->depth - 1].dead;
	st->depth++;
}

const char *
cmd_arg(const struct cmd_args *a, const char *name)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, name) == 0)
			return a->v[i].value;
	return NULL;
}

uint32_t
cmd_arg_num(const struct cmd_args *a, const char *name, uint32_t dflt)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, name) == 0)
			return a->v[i].num;
	return dflt;
}

/* The arguments of a matched line; values point into ws or line. */
static void
build_args(const struct mres *res, const struct words *ws, struct cmd_args *a,
    char **linebuf)
{
	const struct crow *r = res->neg ? &res->e->neg : &res->e->pos;
	char msg[CMD_ERR_MAX];

	a->negate = res->neg;
	a->n = 0;
	a->v = cmd_xcalloc((size_t)ws->n, sizeof(*a->v));
	*linebuf = NULL;
	for (int i = 0; i < ws->n; i++) {
		const struct tok *t;
		struct cmd_arg *v;

		if (res->pt[i] == TOK_NO)
			continue;
		t = &r->tok[res->pt[i]];
		v = &a->v[a->n++];
		v->name = t->word;
		if (!t->is_arg) {
			v->value = t->word;
		} else if (t->type == T_LINE) {
			*linebuf =
			    line_value(ws->line + ws->off[i], msg, sizeof(msg));
			assert(*linebuf != NULL);
			v->value = *linebuf;
			break;
		} else {
			int rc = arg_check(t, ws, i, &v->num, msg, sizeof(msg));

			assert(rc == 0);
			(void)rc;
			v->value = ws->w[i];
		}
	}
}

/* Runs the row matched at level lvl. */
static int
run(struct cmd_state *st, int lvl, const struct mres *res,
    const struct words *ws)
{
	const struct cmd_def *d = res->e->def;
	struct cmd_args a;
	char *linebuf;
	bool dead;
	int rc = 0;

	st->depth = lvl + 1;
	dead = st->stack[lvl].dead;
	st->enter = CMD_MODE_NONE;
	st->enter_data = NULL;
	st->more = NULL;
	build_args(res, ws, &a, &linebuf);
	if (!dead && d->fn != NULL)
		rc = d->fn(st, &a);
	if (st->more != NULL && (rc != 0 || !st->stream)) {
		/* Nobody to take it in parts: all of it now. */
		while (rc == 0 && st->more(st->more_arg, st->out))
			;
		st->more_free(st->more_arg);
		st->more = NULL;
	}
	if (rc == 0) {
		if (d->flags & CMD_EXIT) {
			if (st->depth > 1)
				st->depth--;
		} else if (d->flags & CMD_END) {
			st->depth = 1;
		} else if (!res->neg && (st->enter || d->enter)) {
			push(st, st->enter ? st->enter : d->enter,
			    st->enter_data, dead);
		}
	} else {
		if (st->err[0] == '\0')
			cmd_error(st, "command failed");
		if (st->recover && !res->neg && (st->enter || d->enter))
			push(st, st->enter ? st->enter : d->enter, NULL, true);
	}
	free(a.v);
	free(linebuf);
	return rc < 0 ? -1 : 0;
}

static bool
better(const struct mres *a, const struct mres *b)
{
	if (b->kind == M_NONE)
		return true;
	return a->pos > b->pos || (a->pos == b->pos && a->kind > b->kind);
}

int
cmd_exec(struct cmd_state *st, const char *line)
{
	struct mres res, best = { .kind = M_NONE };
	int best_lvl = 0;
	struct words ws;
	int rc = -1;

	ensure_builtins();
	st->err[0] = '\0';
	split(&ws, line);
	if (ws.n == 0 || is_comment(&ws)) {
		words_free(&ws);
		return 0;
	}
	for (int lvl = st->depth - 1; lvl >= 0; lvl--) {
		enum cmd_mode mode = st->stack[lvl].mode;

		match_mode(mode, &ws, &res);
		if (res.kind == M_OK) {
			rc = run(st, lvl, &res, &ws);
			free(res.pt);
			words_free(&ws);
			return rc;
		}
		if (res.kind == M_AMBIG || res.kind == M_INCOMPLETE ||
		    better(&res, &best)) {
			best = res;
			best_lvl = lvl;
		}
		/* Only a line that matches nothing pops out, not past
		 * config mode. */
		if (res.kind == M_AMBIG || res.kind == M_INCOMPLETE ||
		    mode == CMD_MODE_CONFIG || mode == CMD_MODE_EXEC)
			break;
	}
	snprintf(st->err, sizeof(st->err), "%s", best.msg);
	if (st->recover && best.e != NULL && !best.neg && best.pos > 0 &&
	    best.e->def->enter != CMD_MODE_NONE) {
		st->depth = best_lvl + 1;
		push(st, best.e->def->enter, NULL, true);
	}
	words_free(&ws);
	return rc;
}

/* ---- completion ---- */

struct choices {
	struct cmd_choice *v;
	int n, cap;
};

static void
choice_add(struct choices *cs, enum cmd_choice_kind kind, const char *word,
    const char *help)
{
	for (int i = 0; i < cs->n; i++)
		if (cs->v[i].kind == kind && strcmp(cs->v[i].word, word) == 0 &&
		    (kind != CMD_CHOICE_ARG ||
			strcmp(cs->v[i].help, help) == 0))
			return;
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 16;
		cs->v = xrealloc(cs->v, sizeof(*cs->v) * (size_t)cs->cap);
	}
	cs->v[cs->n].kind = kind;
	cs->v[cs->n].word = word;
	cs->v[cs->n].help = help;
	cs->n++;
}

static int
cmp_choice(const void *a, const void *b)
{
	const struct cmd_choice *x = a, *y = b;

	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->kind == CMD_CHOICE_KEYWORD)
		return strcmp(x->word, y->word);
	return 0;
}

int
cmd_complete(const struct cmd_state *st, const char *line,
    struct cmd_choice *out, int max)
{
	struct readings rs = { 0 };
	struct choices cs = { 0 };
	struct mres res;
	struct words ws;
	const char *prefix;
	int k, c[TOK_MAX + 1];

	ensure_builtins();
	split(&ws, line);
	if (is_comment(&ws)) {
		words_free(&ws);
		return 0;
	}
	ws.lenient = true;
	k = ws.trailing_blank ? ws.n : ws.n - 1;
	prefix = ws.trailing_blank ? "" : ws.w[ws.n - 1];
	start_readings(&rs, cmd_state_mode(st), ws.n);
	for (int i = 0; i < k; i++) {
		if (!step(&rs, &ws, i, &res)) {
			rd_free(&rs);
			words_free(&ws);
			return -1;
		}
	}
	for (int i = 0; i < rs.n; i++) {
		const struct reading *r = &rs.v[i];
		int nc = rd_cands(r, c);

		if (r->done)
			choice_add(&cs, CMD_CHOICE_ARG,
			    r->r->tok[r->tok].display, r->r->tok[r->tok].help);
		for (int j = 0; j < nc; j++) {
			const struct tok *t =
			    c[j] >= 0 ? &r->r->tok[c[j]] : NULL;

			if (t == NULL || !t->is_arg) {
				const char *kw = kw_text(r, c[j]);

				if (strncmp(kw, prefix, strlen(prefix)) == 0)
					choice_add(&cs, CMD_CHOICE_KEYWORD, kw,
					    t ? t->help : no_help);
			} else if (arg_prefix_ok(t, prefix)) {
				choice_add(
				    &cs, CMD_CHOICE_ARG, t->display, t->help);
			}
		}
		if (rd_final(r) && prefix[0] == '\0')
			choice_add(&cs, CMD_CHOICE_CR, "<cr>", "");
	}
	/* qsort is not stable: arguments keep their order by index. */
	for (int i = 0; i < cs.n; i++) {
		for (int j = i; j > 0 && cmp_choice(&cs.v[j - 1], &cs.v[j]) > 0;
		     j--) {
			struct cmd_choice tmp = cs.v[j];

			cs.v[j] = cs.v[j - 1];
			cs.v[j - 1] = tmp;
		}
	}
	for (int i = 0; i < cs.n && i < max; i++)
		out[i] = cs.v[i];
	k = cs.n;
	free(cs.v);
	rd_free(&rs);
	words_free(&ws);
	return k;
}
