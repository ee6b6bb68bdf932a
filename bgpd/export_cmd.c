/*
 * export_cmd.c: the commands of the export stream, rows of the one
 * command table (cmd.h).
 *
 * In the config (top level):
 *   export listen unix PATH [route-map NAME]
 *   export listen tls ADDR PORT cert FILE key FILE ca FILE [route-map NAME]
 *   export journal ENTRIES
 *   export startup-delay SECONDS
 * with their "no" forms.  Giving a listener again (the same path, or
 * address and port) replaces its settings.  In the shell: `show export
 * [json]`.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "conf.h"
#include "export.h"
#include "show_cmd.h"
#include "session.h"

#define CONFIG CMD_M(CMD_MODE_CONFIG)
#define EXEC   CMD_M(CMD_MODE_EXEC)

#define EXPORT_LISTEN_MAX 8

static struct conf_export_listen *
listen_find(struct conf *c, const struct conf_export_listen *k)
{
	struct conf_export_listen *l;

	for (l = c->exp_listen; l != NULL; l = l->next) {
		if (l->tls != k->tls)
			continue;
		if (!k->tls && strcmp(l->path, k->path) == 0)
			return l;
		if (k->tls && l->port == k->port &&
		    conf_addr_eq(&l->addr, &k->addr))
			return l;
	}
	return NULL;
}

/* Copies an absolute path of at most len - 1 bytes; -1 via cmd_error. */
static int
path_arg(struct cmd_state *st, const char *what, const char *v, char *dst,
    size_t len)
{
	if (v[0] != '/')
		return cmd_error(
		    st, "%s %s: the path must be absolute", what, v);
	if (strlen(v) >= len)
		return cmd_error(
		    st, "%s: path longer than %zu bytes", what, len - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

static int
do_export_listen(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;
	struct conf_export_listen k, *l, **pp;
	const char *rmap = cmd_arg(a, "R");
	int n = 0;

	memset(&k, 0, sizeof(k));
	k.tls = cmd_arg(a, "tls") != NULL;
	if (k.tls) {
		if (!conf_addr_parse(cmd_arg(a, "A"), &k.addr))
			return cmd_error(
			    st, "invalid address '%s'", cmd_arg(a, "A"));
		k.port = (uint16_t)cmd_arg_num(a, "N", 0);
	} else if (path_arg(st, "export listen unix", cmd_arg(a, "P"), k.path,
		       sizeof(k.path)) == -1)
		return -1;
	l = listen_find(c, &k);
	if (a->negate) {
		if (l == NULL)
			return cmd_error(st, "no such export listener");
		for (pp = &c->exp_listen; *pp != l; pp = &(*pp)->next)
			;
		*pp = l->next;
		free(l);
		return 0;
	}
	if (k.tls &&
	    (path_arg(st, "cert", cmd_arg(a, "C"), k.cert, sizeof(k.cert)) ||
		path_arg(st, "key", cmd_arg(a, "K"), k.key, sizeof(k.key)) ||
		path_arg(st, "ca", cmd_arg(a, "CA"), k.ca, sizeof(k.ca))))
		return -1;
	if (rmap != NULL) {
		if (strlen(rmap) >= sizeof(k.rmap))
			return cmd_error(st, "route-map name longer than %zu",
			    sizeof(k.rmap) - 1);
		memcpy(k.rmap, rmap, strlen(rmap) + 1);
	}
	k.line = st->line;
	if (l != NULL) {
		k.next = l->next;
		*l = k;
		return 0;
	}
	for (pp = &c->exp_listen; *pp != NULL; pp = &(*pp)->next)
		n++;
	if (n == EXPORT_LISTEN_MAX)
		return cmd_error(
		    st, "at most %d export listeners", EXPORT_LISTEN_MAX);
	l = malloc(sizeof(*l));
	if (l == NULL)
		return cmd_error(st, "out of memory");
	*l = k;
	*pp = l;
	return 0;
}

static int
do_export_startup_delay(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	c->exp_startup_delay_set = !a->negate;
	c->exp_startup_delay = a->negate ? 0 : (uint16_t)cmd_arg_num(a, "S", 0);
	return 0;
}

static int
do_export_journal(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	c->exp_journal = a->negate ? 0 : cmd_arg_num(a, "N", 0);
	return 0;
}

void
exp_conf_print(const struct conf *c, FILE *out)
{
	const struct conf_export_listen *l;
	char buf[INET6_ADDRSTRLEN];

	for (l = c->exp_listen; l != NULL; l = l->next) {
		if (l->tls)
			fprintf(out,
			    "export listen tls %s %u cert %s key %s ca %s",
			    conf_addr_str(&l->addr, buf, sizeof(buf)), l->port,
			    l->cert, l->key, l->ca);
		else
			fprintf(out, "export listen unix %s", l->path);
		if (l->rmap[0] != '\0')
			fprintf(out, " route-map %s", l->rmap);
		fputc('\n', out);
	}
	if (c->exp_journal != 0)
		fprintf(out, "export journal %u\n", c->exp_journal);
	if (c->exp_startup_delay_set)
		fprintf(out, "export startup-delay %u\n", c->exp_startup_delay);
}

static int
do_show_export(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;

	if (st->out == NULL)
		return 0;
	if (sc->bgpd->exp == NULL)
		return cmd_error(st, "no export stream in this daemon");
	exp_show(sc->bgpd->exp, st->out, cmd_arg(a, "json") != NULL);
	return 0;
}

static const struct cmd_def exp_cmds[] = {
	{ CONFIG, "export listen unix <P:WORD> [route-map <R:WORD>]",
	    "The route stream to route programmers\n"
	    "Where subscribers connect\n"
	    "A Unix socket (mode 0660)\n"
	    "Its absolute path\n"
	    "Only the routes a route-map permits\n"
	    "The route-map's name\n",
	    do_export_listen, CMD_NO, 0, NULL },
	{ CONFIG,
	    "export listen tls <A:ADDR> <N:UINT 1-65535> cert <C:WORD> key "
	    "<K:WORD> ca <CA:WORD> [route-map <R:WORD>]",
	    "The route stream to route programmers\n"
	    "Where subscribers connect\n"
	    "TCP with TLS, subscribers authenticated by certificate\n"
	    "Address to listen on (0.0.0.0 or :: for any)\n"
	    "TCP port\n"
	    "Our certificate\n"
	    "Its file (PEM, with the chain)\n"
	    "Our private key\n"
	    "Its file (PEM)\n"
	    "The CAs that sign subscribers' certificates\n"
	    "Their file (PEM)\n"
	    "Only the routes a route-map permits\n"
	    "The route-map's name\n",
	    do_export_listen, CMD_NO, 0,
	    "export listen tls <A:ADDR> <N:UINT 1-65535> [cert <C:WORD> key "
	    "<K:WORD> ca <CA:WORD>] [route-map <R:WORD>]" },
	{ CONFIG, "export journal <N:UINT 1024-16777216>",
	    "The route stream to route programmers\n"
	    "Changes kept for subscribers to resume from (default 131072)\n"
	    "Entries (about 40 bytes each)\n",
	    do_export_journal, CMD_NO, 0, NULL },
	{ CONFIG, "export startup-delay <S:UINT 0-3600>",
	    "The route stream to route programmers\n"
	    "After a start, how long the first snapshot waits for every "
	    "neighbor's End-of-RIB (default 30)\n"
	    "Seconds; 0 sends it at once\n",
	    do_export_startup_delay, CMD_NO, 0, NULL },
	{ EXEC, "show export [json]",
	    "Show running state\n"
	    "The route stream: listeners, subscribers, journal\n"
	    "In JSON\n",
	    do_show_export, 0, 0, NULL },
};

void
exp_cmd_register(void)
{
	cmd_register(exp_cmds, sizeof(exp_cmds) / sizeof(exp_cmds[0]));
}
