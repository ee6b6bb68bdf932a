/*
 * cmd.h: the command engine of dxbgp, shared by the config file and
 * the shell (dxsh).
 *
 * A command is one row of a table (struct cmd_def): the modes it is
 * valid in, its syntax in a small notation, one help line per word, a
 * handler, the mode it enters and whether it has a "no" form.  Tables
 * are registered once (cmd_register) from any file; a cmd_state runs
 * lines through them (cmd_exec) and lists the words that may come next
 * (cmd_complete) for `?` and TAB.
 *
 * Syntax notation, words separated by blanks:
 *   keyword              typed as is, or as an unambiguous prefix
 *   <NAME:TYPE>          an argument: ASN, ADDR, IPV4, WORD, LINE
 *   <NAME:UINT lo-hi>    an unsigned integer within lo-hi
 *   [ ... ]              optional
 *   { a | b c | ... }    one of the alternatives
 * LINE takes the rest of the line (or one "quoted string") and ends
 * the syntax.  Handlers read arguments by NAME and keywords by their
 * text (cmd_arg(a, "ipv6") != NULL when the ipv6 alternative was typed).
 *
 * The "no" form: with CMD_NO, "no <syntax>" is accepted too and the
 * handler sees negate set; in it the values after the last keyword may
 * be left out ("no neighbor 10.0.0.1 timers"), unless no_syntax spells
 * the form out.  CMD_NO_ONLY rows exist only in the "no" form.
 *
 * Matching, word by word, among the rows of a mode: a keyword typed in
 * full wins; else a prefix of exactly one keyword; else an argument
 * that accepts the word; a prefix of several keywords is ambiguous.
 * A line that does not match in the current mode is tried in the
 * parent modes, up to config mode, and the state moves there (as in
 * vtysh).
 */
#ifndef DXBGP_CMD_H
#define DXBGP_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Modes.  A new mode needs a row in the mode table of cmd.c (name and
 * parent) and a command that enters it.
 */
enum cmd_mode {
	CMD_MODE_NONE = 0,   /* in cmd_def.enter: enters nothing */
	CMD_MODE_EXEC,       /* the shell's top level */
	CMD_MODE_CONFIG,     /* configure terminal; a config file's top level */
	CMD_MODE_ROUTER_BGP, /* router bgp ASN */
	CMD_MODE_AF_IPV4,    /* address-family ipv4 unicast */
	CMD_MODE_AF_IPV6,    /* address-family ipv6 unicast */
	CMD_MODE_ROUTE_MAP,  /* route-map NAME permit|deny SEQ */
	CMD_MODE_INTERFACE,  /* interface NAME */
	CMD_MODE_COUNT
};

#define CMD_M(mode) (1u << (mode))
/* Every configuration mode (all but exec). */
#define CMD_M_ALL_CONFIG                                                       \
	(((1u << CMD_MODE_COUNT) - 1) &                                        \
	    ~(CMD_M(CMD_MODE_NONE) | CMD_M(CMD_MODE_EXEC)))

/* Row flags. */
#define CMD_NO      (1u << 0) /* "no <syntax>" exists too */
#define CMD_NO_ONLY (1u << 1) /* only "no <syntax>" exists */
#define CMD_EXIT    (1u << 2) /* leaves the current mode */
#define CMD_END     (1u << 3) /* returns to the bottom mode */

/* One argument or keyword of a matched line. */
struct cmd_arg {
	const char *name;  /* argument NAME, or the keyword's text */
	const char *value; /* as typed (LINE: unquoted), keyword: its text */
	uint32_t num;      /* ASN, UINT: the value; IPV4: host order */
};

struct cmd_args {
	bool negate; /* typed with "no" */
	int n;
	struct cmd_arg *v;
};

struct cmd_state;
typedef int cmd_fn(struct cmd_state *, const struct cmd_args *);

struct cmd_def {
	uint32_t modes;     /* CMD_M(...) | ... */
	const char *syntax; /* see above */
	/* One line per keyword and argument, in order, each ending "\n". */
	const char *help;
	cmd_fn *fn; /* NULL: nothing to do but flags/enter */
	unsigned flags;
	enum cmd_mode enter;   /* mode entered on success (not for "no") */
	const char *no_syntax; /* the "no" form, if not derived; same words */
};

#define CMD_DEPTH_MAX 8
#define CMD_ERR_MAX   256

struct cmd_level {
	enum cmd_mode mode;
	void *data; /* what the mode edits, set with cmd_enter */
	bool dead;  /* entered by a failed command: match, do not run */
};

/*
 * Where a sequence of lines stands: the stack of modes, what handlers
 * act on, and the last error.  Plain data; set up with cmd_state_init.
 */
struct cmd_state {
	void *ctx; /* for handlers: the struct conf being built */
	FILE *out; /* for handlers that print (show commands), or NULL */
	int line;  /* line number, for handlers that record it; 0 if none */
	/*
	 * Keep reading after a command that would enter a mode fails: the
	 * mode is entered "dead", its lines are checked but not run, so one
	 * error does not cascade (config files).
	 */
	bool recover;
	int depth;
	struct cmd_level stack[CMD_DEPTH_MAX]; /* stack[0]: the bottom */
	char err[CMD_ERR_MAX];                 /* why cmd_exec failed */
	/* Set by cmd_enter during a handler. */
	enum cmd_mode enter;
	void *enter_data;
	/*
	 * Output made in parts (a whole table), set by a handler with
	 * cmd_more: more(more_arg, out) makes the next part and returns
	 * false after the last; more_free(more_arg) then.  cmd_exec runs
	 * them all at once, unless stream is set: then the caller takes
	 * them over (the control socket makes a part each time its reader
	 * has taken the one before).
	 */
	bool stream;
	bool (*more)(void *arg, FILE *out);
	void (*more_free)(void *arg);
	void *more_arg;
};

/* One word that may come next, for `?` and TAB. */
enum cmd_choice_kind {
	CMD_CHOICE_KEYWORD,
	CMD_CHOICE_ARG, /* word is a placeholder: "<0-65535>", "A.B.C.D" */
	CMD_CHOICE_CR   /* the line may end here; word is "<cr>" */
};

struct cmd_choice {
	enum cmd_choice_kind kind;
	const char *word;
	const char *help;
};

/* Registers a table (kept by pointer; registering it again is a no-op). */
void cmd_register(const struct cmd_def *defs, size_t n);
/* Forgets every registered table. */
void cmd_reset(void);

/* Starts at mode (the bottom of the stack), for handlers acting on ctx. */
void cmd_state_init(struct cmd_state *, enum cmd_mode mode, void *ctx);
/* Runs one line: 0 if done (blank and comment lines too), -1 and
 * st->err set if not. */
int cmd_exec(struct cmd_state *, const char *line);
enum cmd_mode cmd_state_mode(const struct cmd_state *);
/* Data of the current mode (cmd_enter), NULL if none. */
void *cmd_mode_data(const struct cmd_state *);
/* "exec", "config", "config-router", "config-router-af". */
const char *cmd_mode_name(enum cmd_mode);
enum cmd_mode cmd_mode_parent(enum cmd_mode);

/*
 * The words that may follow a partial line in the current mode: the
 * last word (possibly empty, when line ends with a blank) is a prefix
 * to complete.  Keywords come sorted, then arguments, then <cr>.
 * Fills up to max choices, returns how many there are (possibly more
 * than max), or -1 if the words before the last do not match.  The
 * strings live as long as the registered tables.
 */
int cmd_complete(const struct cmd_state *, const char *line,
    struct cmd_choice *out, int max);

/* Writes value so that a LINE argument reads it back (quoted if need be). */
void cmd_fput_line(const char *value, FILE *out);

/* For handlers. */
/* The argument or keyword NAME of a matched line, NULL if absent. */
const char *cmd_arg(const struct cmd_args *, const char *name);
/* Its numeric value, or dflt if absent. */
uint32_t cmd_arg_num(const struct cmd_args *, const char *name, uint32_t dflt);
/* Sets st->err; returns -1 for `return cmd_error(...)`. */
int cmd_error(struct cmd_state *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Enters mode, with data, once the handler succeeds. */
void cmd_enter(struct cmd_state *, enum cmd_mode mode, void *data);
/* The rest of the handler's output comes in parts (see cmd_state). */
void cmd_more(struct cmd_state *, bool (*more)(void *, FILE *),
    void (*more_free)(void *), void *arg);

/* Allocation that never fails: out of memory aborts at once. */
void *cmd_xmalloc(size_t);
void *cmd_xcalloc(size_t, size_t);
char *cmd_xstrdup(const char *);

#endif
