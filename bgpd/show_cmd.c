/*
 * show_cmd.c: the exec-mode commands of the shell, rows of the one
 * command table (cmd.h), run by the control socket for dxsh: the show
 * commands (printing is show.c's) and `clear bgp`, which resets a
 * session (Cease/4, Administrative Reset, RFC 4486) or, with `soft`,
 * runs a neighbor's routes through import again (RFC 2918 route
 * refresh, or the stored Adj-RIB-In) and sends it ours again.
 */
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "rde.h"
#include "show.h"
#include "show_cmd.h"

static bool
json(const struct cmd_args *a)
{
	return cmd_arg(a, "json") != NULL;
}

static int
cmd_show_summary(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;

	show_bgp_summary(sc->bgpd, st->out, json(a));
	return 0;
}

static int
cmd_show_neighbors(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;
	const char *addr = cmd_arg(a, "A");
	enum show_nbr_routes kind;
	struct conf_addr ca;
	char err[CMD_ERR_MAX];
	void *s;

	if (addr != NULL && !conf_addr_parse(addr, &ca))
		return cmd_error(st, "invalid address '%s'", addr);
	if (cmd_arg(a, "received-routes") != NULL)
		kind = SHOW_RECEIVED;
	else if (cmd_arg(a, "advertised-routes") != NULL)
		kind = SHOW_ADVERTISED;
	else if (cmd_arg(a, "routes") != NULL)
		kind = SHOW_ACCEPTED;
	else {
		if (show_bgp_neighbors(
			sc->bgpd, addr ? &ca : NULL, st->out, json(a)) == -1)
			return cmd_error(st, "no neighbor %s", addr);
		return 0;
	}
	s = show_bgp_neighbor_routes_begin(
	    sc->bgpd, &ca, kind, st->out, json(a), err, sizeof(err));
	if (s == NULL)
		return cmd_error(st, "%s", err);
	cmd_more(st, show_stream_part, show_stream_free, s);
	return 0;
}

static int
cmd_show_routes(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;
	uint16_t afi = cmd_arg(a, "ipv6") != NULL ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	const char *ps = cmd_arg(a, "P");
	struct rib_prefix pfx;
	bool exact;

	if (ps == NULL) {
		cmd_more(st, show_stream_part, show_stream_free,
		    show_bgp_routes_begin(sc->bgpd, afi, st->out, json(a)));
		return 0;
	}
	if (!show_prefix_parse(ps, afi, &pfx, &exact))
		return cmd_error(st, "invalid %s prefix '%.64s'",
		    afi == BGP_AFI_IPV6 ? "IPv6" : "IPv4", ps);
	if (show_bgp_prefix(sc->bgpd, &pfx, exact, st->out, json(a)) == -1)
		return cmd_error(st, "network %.64s is not in the table", ps);
	return 0;
}

static int
cmd_show_memory(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;

	show_bgp_memory(sc->bgpd, st->out, json(a));
	return 0;
}

/* ---- clear bgp ---- */

/* Hard reset: Cease/4, then the session starts again at once. */
static int
clear_hard(struct cmd_state *st, struct peer *p)
{
	if (p->conf.shutdown) {
		fprintf(st->out, "%s: administratively shut down, not reset\n",
		    p->name);
		return 0;
	}
	log_info("neighbor %s: cleared from the shell (was %s)", p->name,
	    sess_state_name(p));
	/* A clear also lifts a max-prefix hold-down, as in FRR. */
	p->held_down = false;
	sess_stop(p, BGP_CEASE_ADMIN_RESET, NULL);
	sess_start(p);
	fprintf(
	    st->out, "%s: reset (Cease/4, Administrative Reset)\n", p->name);
	return 0;
}

static int
clear_soft(struct cmd_state *st, struct peer *p, bool in, bool out)
{
	enum rde_soft r;

	if (p->state != FSM_ESTABLISHED) {
		fprintf(st->out, "%s: not established (%s), nothing to do\n",
		    p->name, sess_state_name(p));
		return -1;
	}
	if (in) {
		r = rde_soft_in(p);
		if (r == RDE_SOFT_STORED)
			fprintf(st->out,
			    "%s: stored routes applied again (soft "
			    "reconfiguration inbound)\n",
			    p->name);
		else if (r == RDE_SOFT_REFRESH)
			fprintf(st->out,
			    "%s: asked for its routes again (route refresh)\n",
			    p->name);
		else {
			fprintf(st->out,
			    "%s: cannot refresh its routes: no route refresh "
			    "capability and no soft-reconfiguration inbound\n",
			    p->name);
			return -1;
		}
	}
	if (out && rde_soft_out(p) == RDE_SOFT_SENT)
		fprintf(st->out, "%s: our routes sent again\n", p->name);
	return 0;
}

static int
cmd_clear(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;
	const char *addr = cmd_arg(a, "A");
	bool soft = cmd_arg(a, "soft") != NULL;
	bool in = cmd_arg(a, "in") != NULL, out = cmd_arg(a, "out") != NULL;
	struct conf_addr ca;
	struct peer *p;
	int failed = 0, n = 0;

	if (soft && !in && !out)
		in = out = true;
	if (addr != NULL) {
		if (!conf_addr_parse(addr, &ca))
			return cmd_error(st, "invalid address '%s'", addr);
		if ((p = bgpd_peer_find(sc->bgpd, &ca)) == NULL)
			return cmd_error(st, "no neighbor %s", addr);
		if (soft && clear_soft(st, p, in, out) == -1)
			return cmd_error(
			    st, "neighbor %s not cleared", p->name);
		return soft ? 0 : clear_hard(st, p);
	}
	/* Every neighbor; soft: the established ones. */
	for (p = sc->bgpd->peers; p != NULL; p = p->next) {
		if (soft && p->state != FSM_ESTABLISHED)
			continue;
		n++;
		if (soft ? clear_soft(st, p, in, out) : clear_hard(st, p))
			failed++;
	}
	if (n == 0)
		fprintf(st->out, "no %sneighbor to clear\n",
		    soft ? "established " : "");
	if (failed > 0)
		return cmd_error(
		    st, "%d of %d neighbors not cleared", failed, n);
	return 0;
}

static int
cmd_quit(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;

	sc->quit = true;
	return 0;
}

#define SHOW_HELP                                                              \
	"Show running state\n"                                                 \
	"BGP\n"

static const struct cmd_def show_cmds[] = {
	{ CMD_M(CMD_MODE_EXEC), "show bgp summary [json]",
	    SHOW_HELP "One line per neighbor\n"
		      "As JSON\n",
	    cmd_show_summary, 0, CMD_MODE_NONE, NULL },
	{ CMD_M(CMD_MODE_EXEC),
	    "show bgp neighbors [<A:ADDR> "
	    "[{received-routes|advertised-routes|routes}]] [json]",
	    SHOW_HELP "Sessions in detail\n"
		      "Only this neighbor\n"
		      "Its routes as received (needs soft-reconfiguration "
		      "inbound)\n"
		      "Our routes as sent to it\n"
		      "Its routes accepted in the RIB\n"
		      "As JSON\n",
	    cmd_show_neighbors, 0, CMD_MODE_NONE, NULL },
	{ CMD_M(CMD_MODE_EXEC),
	    "show bgp {ipv4|ipv6} unicast [<P:WORD>] [json]",
	    SHOW_HELP "IPv4\n"
		      "IPv6\n"
		      "Unicast routes\n"
		      "One prefix in detail (A.B.C.D/M or X:X::X:X/M; an "
		      "address: its longest match)\n"
		      "As JSON\n",
	    cmd_show_routes, 0, CMD_MODE_NONE, NULL },
	{ CMD_M(CMD_MODE_EXEC), "show bgp memory [json]",
	    SHOW_HELP "Memory held by routes and attribute sets\n"
		      "As JSON\n",
	    cmd_show_memory, 0, CMD_MODE_NONE, NULL },
	{ CMD_M(CMD_MODE_EXEC), "clear bgp {<A:ADDR>|*} [soft [{in|out}]]",
	    "Reset a session or its routes\n"
	    "BGP\n"
	    "This neighbor\n"
	    "Every neighbor\n"
	    "Keep the session: its routes through import again, ours sent "
	    "again\n"
	    "Only its routes: route refresh, or the stored ones\n"
	    "Only ours: send them again\n",
	    cmd_clear, 0, CMD_MODE_NONE, NULL },
	{ CMD_M(CMD_MODE_EXEC), "quit", "Close this shell\n", cmd_quit, 0,
	    CMD_MODE_NONE, NULL },
};

void
show_cmd_register(void)
{
	cmd_register(show_cmds, sizeof(show_cmds) / sizeof(show_cmds[0]));
	bfd_cmd_register();
}
