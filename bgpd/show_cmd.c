/*
 * show_cmd.c: the exec-mode commands of the shell, rows of the one
 * command table (cmd.h), run by the control socket for dxsh.
 */
#include "cmd.h"
#include "show.h"
#include "show_cmd.h"

static int
cmd_show_summary(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;

	show_bgp_summary(sc->bgpd, st->out, cmd_arg(a, "json") != NULL);
	return 0;
}

static int
cmd_show_neighbors(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;
	const char *addr = cmd_arg(a, "A");
	struct conf_addr ca;

	if (addr != NULL && !conf_addr_parse(addr, &ca))
		return cmd_error(st, "invalid address '%s'", addr);
	if (show_bgp_neighbors(sc->bgpd, addr ? &ca : NULL, st->out,
		cmd_arg(a, "json") != NULL) == -1)
		return cmd_error(st, "no neighbor %s", addr);
	return 0;
}

static int
cmd_show_routes(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;

	show_bgp_routes(sc->bgpd,
	    cmd_arg(a, "ipv6") != NULL ? BGP_AFI_IPV6 : BGP_AFI_IPV4, st->out,
	    cmd_arg(a, "json") != NULL);
	return 0;
}

static int
cmd_show_memory(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;

	show_bgp_memory(sc->bgpd, st->out, cmd_arg(a, "json") != NULL);
	return 0;
}

static int
cmd_quit(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;

	sc->quit = true;
	return 0;
}

static const struct cmd_def show_cmds[] = {
	{ CMD_M(CMD_MODE_EXEC), "show bgp summary [json]",
	    "Show running state\n"
	    "BGP\n"
	    "One line per neighbor\n"
	    "As JSON\n",
	    cmd_show_summary, 0, CMD_MODE_NONE, NULL },
	{ CMD_M(CMD_MODE_EXEC), "show bgp neighbors [<A:ADDR>] [json]",
	    "Show running state\n"
	    "BGP\n"
	    "Sessions in detail\n"
	    "Only this neighbor\n"
	    "As JSON\n",
	    cmd_show_neighbors, 0, CMD_MODE_NONE, NULL },
	{ CMD_M(CMD_MODE_EXEC), "show bgp {ipv4|ipv6} unicast [json]",
	    "Show running state\n"
	    "BGP\n"
	    "IPv4\n"
	    "IPv6\n"
	    "Unicast routes\n"
	    "As JSON\n",
	    cmd_show_routes, 0, CMD_MODE_NONE, NULL },
	{ CMD_M(CMD_MODE_EXEC), "show bgp memory [json]",
	    "Show running state\n"
	    "BGP\n"
	    "Memory held by routes and attribute sets\n"
	    "As JSON\n",
	    cmd_show_memory, 0, CMD_MODE_NONE, NULL },
	{ CMD_M(CMD_MODE_EXEC), "quit", "Close this shell\n", cmd_quit, 0,
	    CMD_MODE_NONE, NULL },
};

void
show_cmd_register(void)
{
	cmd_register(show_cmds, sizeof(show_cmds) / sizeof(show_cmds[0]));
}
