/*
 * conf_cmd.c: the configuration commands and what each does to the
 * tree of conf.h.
 *
 * One table row per command, in the order of the running config; the
 * handlers act on the struct conf in cmd_state.ctx.  A handler refuses
 * what is wrong in its own command (a reserved AS, a hold time of 1,
 * a key too long), at that command's line; what depends on several
 * commands (a neighbor without remote-as, ttl-security together with
 * ebgp-multihop) is for conf_check once the whole file is read.
 *
 * Negated neighbor commands, and activate, need the neighbor to
 * exist; the other neighbor commands create it.  "no neighbor X" and
 * "no neighbor X remote-as" delete it, as in FRR.
 */
#include <assert.h>
#include <string.h>

#include <stdlib.h>

#include <dxbgp/bgp.h>

#include "cmd.h"
#include "conf.h"
#include "policy_int.h"
#include "profile.h"

#define CONFIG CMD_M(CMD_MODE_CONFIG)
#define BGP    CMD_M(CMD_MODE_ROUTER_BGP)
#define AF     (CMD_M(CMD_MODE_AF_IPV4) | CMD_M(CMD_MODE_AF_IPV6))

#define NBR "neighbor <A:ADDR> "
#define NBR_HELP                                                               \
	"Specify a neighbor router\n"                                          \
	"Neighbor address (IPv4 or IPv6)\n"
#define BGP_HELP "BGP settings\n"

/* Copies a text value, refusing one that does not fit. */
static int
set_text(struct cmd_state *st, char *dst, size_t size, const char *v,
    const char *what)
{
	if (strlen(v) >= size)
		return cmd_error(
		    st, "%s longer than %zu bytes", what, size - 1);
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* ---- top level ---- */

static int
do_hostname(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	if (a->negate) {
		c->hostname[0] = '\0';
		return 0;
	}
	return set_text(
	    st, c->hostname, sizeof(c->hostname), cmd_arg(a, "H"), "hostname");
}

/* Everything under router bgp back to the defaults. */
static void
clear_bgp(struct conf *c)
{
	while (c->neighbors != NULL)
		conf_neighbor_del(c, c->neighbors);
	c->has_bgp = false;
	c->asn = 0;
	c->bgp_line = 0;
	c->router_id = 0;
	c->ebgp_requires_policy = true;
	c->allow_martian_nexthop = false;
	c->gr_restart_time = CONF_GR_RESTART_TIME_DEFAULT;
	c->maximum_paths = 1;
	c->multipath_relax = false;
	c->always_compare_med = false;
	c->cluster_id = 0;
	while (c->networks != NULL) {
		struct conf_network *nw = c->networks;

		c->networks = nw->next;
		free(nw);
	}
}

static int
do_router_bgp(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;
	uint32_t asn = cmd_arg_num(a, "N", 0);
	const char *why;

	if (a->negate) {
		if (!c->has_bgp)
			return cmd_error(st, "router bgp is not configured");
		if (cmd_arg(a, "N") != NULL && asn != c->asn)
			return cmd_error(st,
			    "BGP is configured with AS %u, not %u", c->asn,
			    asn);
		clear_bgp(c);
		return 0;
	}
	if (c->has_bgp && asn != c->asn)
		return cmd_error(
		    st, "BGP is already configured with AS %u", c->asn);
	if ((why = conf_asn_refused(asn)) != NULL)
		return cmd_error(st, "%s", why);
	if (!c->has_bgp) {
		c->has_bgp = true;
		c->asn = asn;
		c->bgp_line = st->line;
	}
	return 0;
}

/* ---- router bgp ---- */

static int
do_router_id(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;
	uint32_t id = cmd_arg_num(a, "R", 0);

	if (!a->negate && id == 0)
		return cmd_error(st,
		    "router-id 0.0.0.0 is not allowed "
		    "(RFC 6286)");
	c->router_id = a->negate ? 0 : id;
	return 0;
}

static int
do_requires_policy(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	c->ebgp_requires_policy = !a->negate;
	return 0;
}

static int
do_martian(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	c->allow_martian_nexthop = !a->negate;
	return 0;
}

static int
do_gr_restart_time(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	c->gr_restart_time = a->negate
	    ? CONF_GR_RESTART_TIME_DEFAULT
	    : (uint16_t)cmd_arg_num(a, "N", CONF_GR_RESTART_TIME_DEFAULT);
	return 0;
}

static int
do_address_family(struct cmd_state *st, const struct cmd_args *a)
{
	cmd_enter(st,
	    cmd_arg(a, "ipv6") != NULL ? CMD_MODE_AF_IPV6 : CMD_MODE_AF_IPV4,
	    NULL);
	return 0;
}

/* ---- neighbors ---- */

/*
 * The neighbor of the line; created by a positive command if new.  NULL
 * (and the error set) if it must exist and does not.
 */
static struct conf_neighbor *
neighbor(struct cmd_state *st, const struct cmd_args *a, bool create)
{
	struct conf *c = st->ctx;
	struct conf_neighbor *n;
	struct conf_addr addr;
	bool ok;

	ok = conf_addr_parse(cmd_arg(a, "A"), &addr);
	assert(ok);
	(void)ok;
	n = conf_neighbor_find(c, &addr);
	if (n == NULL && create)
		n = conf_neighbor_add(c, &addr, st->line);
	if (n == NULL)
		cmd_error(st, "neighbor %s is not configured", cmd_arg(a, "A"));
	return n;
}

static int
do_no_neighbor(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, false);

	if (n == NULL)
		return -1;
	conf_neighbor_del(st->ctx, n);
	return 0;
}

static int
do_remote_as(struct cmd_state *st, const struct cmd_args *a)
{
	uint32_t asn = cmd_arg_num(a, "N", 0);
	struct conf_neighbor *n;
	const char *why;

	if (a->negate)
		return do_no_neighbor(st, a);
	if ((why = conf_remote_as_refused(asn)) != NULL)
		return cmd_error(st, "%s", why);
	if ((n = neighbor(st, a, true)) == NULL)
		return -1;
	n->remote_as = asn;
	return 0;
}

static int
do_local_as(struct cmd_state *st, const struct cmd_args *a)
{
	uint32_t asn = cmd_arg_num(a, "N", 0);
	struct conf_neighbor *n;
	const char *why;

	if (!a->negate && (why = conf_asn_refused(asn)) != NULL)
		return cmd_error(st, "%s", why);
	if ((n = neighbor(st, a, !a->negate)) == NULL)
		return -1;
	n->local_as = a->negate ? 0 : asn;
	return 0;
}

static int
do_port(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->port = a->negate ? CONF_PORT_DEFAULT
			    : (uint16_t)cmd_arg_num(a, "N", CONF_PORT_DEFAULT);
	return 0;
}

static int
do_description(struct cmd_state *st, const struct cmd_args *a)
{
	char tmp[CONF_DESC_MAX] = "";
	struct conf_neighbor *n;

	if (!a->negate &&
	    set_text(st, tmp, sizeof(tmp), cmd_arg(a, "D"), "description"))
		return -1;
	if ((n = neighbor(st, a, !a->negate)) == NULL)
		return -1;
	memcpy(n->description, tmp, sizeof(tmp));
	return 0;
}

static int
do_password(struct cmd_state *st, const struct cmd_args *a)
{
	const char *key = a->negate ? "" : cmd_arg(a, "P");
	struct conf_neighbor *n;

	/* The key is never in a message, nor in a log: only its length. */
	if (strlen(key) > CONF_PASSWORD_MAX)
		return cmd_error(st,
		    "password longer than %d bytes (the TCP MD5 "
		    "key limit)",
		    CONF_PASSWORD_MAX);
	if ((n = neighbor(st, a, !a->negate)) == NULL)
		return -1;
	memset(n->password, 0, sizeof(n->password));
	memcpy(n->password, key, strlen(key));
	return 0;
}

static int
do_timers(struct cmd_state *st, const struct cmd_args *a)
{
	unsigned k = cmd_arg_num(a, "K", 0), h = cmd_arg_num(a, "H", 0);
	struct conf_neighbor *n;
	char buf[CMD_ERR_MAX];

	if (!a->negate && conf_timers_refused(k, h, buf, sizeof(buf)))
		return cmd_error(st, "%s", buf);
	if ((n = neighbor(st, a, !a->negate)) == NULL)
		return -1;
	n->timers_set = !a->negate;
	n->keepalive = a->negate ? CONF_KEEPALIVE_DEFAULT : (uint16_t)k;
	n->holdtime = a->negate ? CONF_HOLDTIME_DEFAULT : (uint16_t)h;
	return 0;
}

static int
do_timers_connect(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->connect_retry = a->negate ? CONF_CONNECT_RETRY_DEFAULT
				     : (uint16_t)cmd_arg_num(a, "N", 0);
	return 0;
}

static int
do_max_prefix(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	if (cmd_arg(a, "warning-only") != NULL && cmd_arg(a, "restart") != NULL)
		return cmd_error(st,
		    "warning-only and restart exclude each "
		    "other");
	n->max_prefix = a->negate ? 0 : cmd_arg_num(a, "N", 0);
	n->max_prefix_warn = a->negate ? 0 : (uint8_t)cmd_arg_num(a, "T", 75);
	n->max_prefix_warn_only =
	    !a->negate && cmd_arg(a, "warning-only") != NULL;
	n->max_prefix_restart =
	    a->negate ? 0 : (uint16_t)cmd_arg_num(a, "M", 0);
	return 0;
}

static int
do_soft_reconfig(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->soft_reconfig = !a->negate;
	return 0;
}

static int
do_mrai(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->mrai = a->negate ? 0 : (uint16_t)cmd_arg_num(a, "N", 0);
	return 0;
}

static int
do_update_source(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_addr src = { 0 }, peer;
	struct conf_neighbor *n;

	conf_addr_parse(cmd_arg(a, "A"), &peer);
	if (!a->negate) {
		conf_addr_parse(cmd_arg(a, "S"), &src);
		if (src.family != peer.family)
			return cmd_error(st,
			    "update-source %s is not an %s address",
			    cmd_arg(a, "S"),
			    peer.family == AF_INET ? "IPv4" : "IPv6");
	}
	if ((n = neighbor(st, a, !a->negate)) == NULL)
		return -1;
	n->update_source = src;
	return 0;
}

static int
do_passive(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->passive = !a->negate;
	return 0;
}

/* The on/off neighbor settings, by keyword. */
static int
do_nbr_flag(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);
	bool on = !a->negate;

	if (n == NULL)
		return -1;
	if (cmd_arg(a, "next-hop-self") != NULL)
		n->next_hop_self = on;
	else if (cmd_arg(a, "remove-private-AS") != NULL)
		n->remove_private_as = on;
	else if (cmd_arg(a, "as-override") != NULL)
		n->as_override = on;
	else if (cmd_arg(a, "route-reflector-client") != NULL)
		n->rr_client = on;
	return 0;
}

/* Family index (0 IPv4, 1 IPv6) of the mode: router bgp means IPv4. */
static int
mode_af(const struct cmd_state *st)
{
	return cmd_state_mode(st) == CMD_MODE_AF_IPV6 ? 1 : 0;
}

static int
do_nbr_policy(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);
	const char *name = cmd_arg(a, "L");
	bool out = cmd_arg(a, "out") != NULL;
	struct conf_nbr_pol *p;
	char *field;

	if (n == NULL)
		return -1;
	p = &n->pol[mode_af(st)];
	if (cmd_arg(a, "route-map") != NULL)
		field = out ? p->rmap_out : p->rmap_in;
	else
		field = out ? p->plist_out : p->plist_in;
	if (a->negate) {
		/* "no ... route-map NAME in" must name the one in force. */
		if (name != NULL && strcmp(name, field) != 0)
			return cmd_error(st, "neighbor %s has no %s %s %s",
			    n->name,
			    cmd_arg(a, "route-map") ? "route-map"
						    : "prefix-list",
			    name, out ? "out" : "in");
		memset(field, 0, CONF_NAME_MAX);
		return 0;
	}
	if (strlen(name) >= CONF_NAME_MAX)
		return cmd_error(
		    st, "name longer than %d bytes", CONF_NAME_MAX - 1);
	memset(field, 0, CONF_NAME_MAX);
	memcpy(field, name, strlen(name));
	return 0;
}

static int
do_network(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;
	const char *text = cmd_arg(a, "P"), *rmap = cmd_arg(a, "L");
	int afi = mode_af(st) ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	struct conf_network *nw, **pp;
	struct rib_prefix pfx;

	if (!pol_prefix_parse(text, &pfx) || pfx.afi != afi)
		return cmd_error(st,
		    "'%s' is not an %s prefix with zero host bits", text,
		    afi == BGP_AFI_IPV4 ? "IPv4" : "IPv6");
	if (rmap != NULL && strlen(rmap) >= CONF_NAME_MAX)
		return cmd_error(
		    st, "name longer than %d bytes", CONF_NAME_MAX - 1);
	/* Kept in prefix order, as the running config prints them. */
	for (pp = &c->networks; (nw = *pp) != NULL; pp = &nw->next) {
		int d = nw->pfx.afi != pfx.afi
		    ? nw->pfx.afi - pfx.afi
		    : memcmp(nw->pfx.addr, pfx.addr, 16);

		if (d == 0)
			d = nw->pfx.len - pfx.len;
		if (d == 0)
			break;
		if (d > 0) {
			nw = NULL;
			break;
		}
	}
	if (a->negate) {
		if (nw == NULL)
			return cmd_error(
			    st, "network %s is not configured", text);
		*pp = nw->next;
		free(nw);
		return 0;
	}
	if (nw == NULL) {
		nw = cmd_xcalloc(1, sizeof(*nw));
		nw->pfx = pfx;
		nw->line = st->line;
		nw->next = *pp;
		*pp = nw;
	}
	memset(nw->rmap, 0, sizeof(nw->rmap));
	if (rmap != NULL)
		memcpy(nw->rmap, rmap, strlen(rmap));
	return 0;
}

static int
do_allowas_in(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->allowas_in = a->negate ? 0 : (uint8_t)cmd_arg_num(a, "N", 3);
	return 0;
}

static int
do_maximum_paths(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	c->maximum_paths = a->negate ? 1 : (uint8_t)cmd_arg_num(a, "N", 1);
	return 0;
}

static int
do_bestpath(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	if (cmd_arg(a, "multipath-relax") != NULL)
		c->multipath_relax = !a->negate;
	return 0;
}

static int
do_compare_med(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	c->always_compare_med = !a->negate;
	return 0;
}

static int
do_cluster_id(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;

	c->cluster_id = a->negate ? 0 : cmd_arg_num(a, "I", 0);
	return 0;
}

static int
do_shutdown(struct cmd_state *st, const struct cmd_args *a)
{
	char tmp[CONF_SHUTDOWN_MSG_MAX + 1] = "";
	const char *msg = cmd_arg(a, "M");
	struct conf_neighbor *n;

	if (!a->negate && msg != NULL &&
	    set_text(st, tmp, sizeof(tmp), msg, "shutdown message"))
		return -1;
	if ((n = neighbor(st, a, !a->negate)) == NULL)
		return -1;
	n->shutdown = !a->negate;
	memcpy(n->shutdown_msg, tmp, sizeof(tmp));
	return 0;
}

static int
do_ttl_security(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->ttl_security_hops = a->negate ? 0 : (uint8_t)cmd_arg_num(a, "N", 0);
	return 0;
}

static int
do_ebgp_multihop(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->ebgp_multihop = a->negate
	    ? 0
	    : (uint8_t)cmd_arg_num(a, "N", CONF_EBGP_MULTIHOP_DEFAULT);
	return 0;
}

/*
 * neighbor X bfd [interval MS] [multiplier N] [strict]: the whole BFD
 * setting of the neighbor; what is left out takes its default.
 */
static int
do_bfd(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->bfd = !a->negate;
	n->bfd_interval_ms = a->negate ? 0 : (uint16_t)cmd_arg_num(a, "I", 0);
	n->bfd_mult = a->negate ? 0 : (uint8_t)cmd_arg_num(a, "M", 0);
	n->bfd_strict = !a->negate && cmd_arg(a, "strict") != NULL;
	return 0;
}

static int
do_activate(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, false);
	uint8_t af = cmd_state_mode(st) == CMD_MODE_AF_IPV6 ? CONF_AF_IPV6
							    : CONF_AF_IPV4;
	uint8_t dflt;

	if (n == NULL)
		return -1;
	dflt = n->addr.family == AF_INET6 ? CONF_AF_IPV6 : CONF_AF_IPV4;
	n->af = conf_neighbor_af(n);
	n->af = a->negate ? n->af & ~af : n->af | af;
	/* Explicit only where it differs: the running config prints that. */
	n->af_explicit = n->af != dflt;
	return 0;
}

/*
 * neighbor X profile aws|tencent|carrier: the cloud's AS becomes the
 * remote-as unless one is given; its other defaults are looked up
 * where they are used (profile_of), its rules checked by conf_check.
 */
static int
do_profile(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);
	const char *name = cmd_arg(a, "aws") ? "aws"
	    : cmd_arg(a, "tencent")          ? "tencent"
					     : "carrier";
	const struct profile *pr;

	if (n == NULL)
		return -1;
	if (a->negate) {
		n->profile = PROFILE_NONE;
		n->profile_line = 0;
		return 0;
	}
	n->profile = (uint8_t)profile_by_name(name);
	n->profile_line = st->line;
	pr = profile_of(n);
	if (n->remote_as == 0)
		n->remote_as = pr->asn;
	return 0;
}

/* neighbor X ha primary|backup: the active/passive preset. */
static int
do_ha(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->ha = a->negate                   ? PROFILE_HA_NONE
	    : cmd_arg(a, "primary") != NULL ? PROFILE_HA_PRIMARY
					    : PROFILE_HA_BACKUP;
	return 0;
}

/* neighbor X export-limit N: the outbound cap per family. */
static int
do_max_prefix_out(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_neighbor *n = neighbor(st, a, !a->negate);

	if (n == NULL)
		return -1;
	n->max_prefix_out = a->negate ? 0 : cmd_arg_num(a, "N", 0);
	return 0;
}

/* ---- the table ---- */

static const struct cmd_def conf_cmds[] = {
	{ CONFIG, "hostname <H:WORD>",
	    "Set the system's name\n"
	    "The name\n",
	    do_hostname, CMD_NO, 0, NULL },
	{ CONFIG, "router bgp <N:ASN>",
	    "Enable a routing process\n"
	    "BGP\n"
	    "Our AS number (asplain or asdot)\n",
	    do_router_bgp, CMD_NO, CMD_MODE_ROUTER_BGP, NULL },
	{ BGP, "bgp router-id <R:IPV4>",
	    BGP_HELP "Set the BGP identifier\n"
		     "The identifier, as an IPv4 address\n",
	    do_router_id, CMD_NO, 0, NULL },
	{ BGP, "bgp ebgp-requires-policy",
	    BGP_HELP "Exchange no routes with eBGP peers that have no "
		     "policy (RFC 8212)\n",
	    do_requires_policy, CMD_NO, 0, NULL },
	{ BGP, "bgp allow-martian-nexthop",
	    BGP_HELP "Accept next hops in reserved ranges\n", do_martian,
	    CMD_NO, 0, NULL },
	{ BGP, "bgp graceful-restart restart-time <N:UINT 0-4095>",
	    BGP_HELP "Graceful restart (RFC 4724)\n"
		     "Restart time announced to peers\n"
		     "Seconds\n",
	    do_gr_restart_time, CMD_NO, 0, NULL },
	{ BGP, NBR "remote-as <N:ASN>",
	    NBR_HELP "Set the neighbor's AS (\"no\": delete the neighbor)\n"
		     "AS number (asplain or asdot)\n",
	    do_remote_as, CMD_NO, 0, NULL },
	{ BGP, NBR "local-as <N:ASN>",
	    NBR_HELP "Present another AS to this neighbor\n"
		     "AS number (asplain or asdot)\n",
	    do_local_as, CMD_NO, 0, NULL },
	{ BGP, NBR "description <D:LINE>",
	    NBR_HELP "Describe the neighbor\n"
		     "Text, up to 127 bytes\n",
	    do_description, CMD_NO, 0, NULL },
	{ BGP, NBR "shutdown [message <M:LINE>]",
	    NBR_HELP "Administratively shut the session down\n"
		     "Say why to the peer (RFC 9003)\n"
		     "Text, up to 255 bytes\n",
	    do_shutdown, CMD_NO, 0, NULL },
	{ BGP, NBR "password <P:LINE>",
	    NBR_HELP "Protect the session with TCP MD5 (RFC 2385)\n"
		     "The key, up to 80 bytes\n",
	    do_password, CMD_NO, 0, NULL },
	{ BGP, NBR "passive",
	    NBR_HELP "Wait for the peer to connect, never connect\n",
	    do_passive, CMD_NO, 0, NULL },
	{ BGP, NBR "ebgp-multihop [<N:UINT 1-255>]",
	    NBR_HELP "Allow an eBGP peer that is not directly connected\n"
		     "Maximum hops (TTL), default 255\n",
	    do_ebgp_multihop, CMD_NO, 0, NULL },
	{ BGP, NBR "ttl-security hops <N:UINT 1-254>",
	    NBR_HELP "Check the TTL of the peer's packets (GTSM, RFC 5082)\n"
		     "Hops the peer may be away\n"
		     "Number of hops\n",
	    do_ttl_security, CMD_NO, 0,
	    NBR "ttl-security [hops <N:UINT 1-254>]" },
	{ BGP, NBR "update-source <S:ADDR>",
	    NBR_HELP "Connect from this local address\n"
		     "Local address, of the neighbor's family\n",
	    do_update_source, CMD_NO, 0, NULL },
	{ BGP, NBR "port <N:UINT 1-65535>",
	    NBR_HELP "Connect to this TCP port of the peer\n"
		     "Port, default 179\n",
	    do_port, CMD_NO, 0, NULL },
	{ BGP, NBR "timers <K:UINT 0-65535> <H:UINT 0-65535>",
	    NBR_HELP "BGP timers of this neighbor\n"
		     "Keepalive interval in seconds, default 30\n"
		     "Hold time in seconds, default 90\n",
	    do_timers, CMD_NO, 0, NULL },
	{ BGP, NBR "timers connect <N:UINT 1-65535>",
	    NBR_HELP "BGP timers of this neighbor\n"
		     "Time between connection attempts\n"
		     "Seconds, default 30\n",
	    do_timers_connect, CMD_NO, 0, NULL },
	{ BGP | AF, NBR "next-hop-self",
	    NBR_HELP "Send our address as the next hop, to iBGP peers too\n",
	    do_nbr_flag, CMD_NO, 0, NULL },
	{ BGP | AF, NBR "remove-private-AS",
	    NBR_HELP "Remove private AS numbers from paths sent to this "
		     "eBGP neighbor\n",
	    do_nbr_flag, CMD_NO, 0, NULL },
	{ BGP | AF, NBR "as-override",
	    NBR_HELP "Replace the neighbor's AS with ours in paths sent to "
		     "it\n",
	    do_nbr_flag, CMD_NO, 0, NULL },
	{ BGP | AF, NBR "route-reflector-client",
	    NBR_HELP "Reflect iBGP routes to and from this neighbor "
		     "(RFC 4456)\n",
	    do_nbr_flag, CMD_NO, 0, NULL },
	{ BGP | AF, NBR "allowas-in [<N:UINT 1-10>]",
	    NBR_HELP "Accept paths that contain our AS\n"
		     "Times our AS may appear, default 3\n",
	    do_allowas_in, CMD_NO, 0, NULL },
	{ BGP | AF,
	    NBR "maximum-prefix <N:UINT 1-4294967295> [<T:UINT 1-100>] "
		"[{warning-only|restart <M:UINT 1-65535>}]",
	    NBR_HELP "Limit the routes accepted from the neighbor\n"
		     "Most routes accepted\n"
		     "Percent of the limit that logs a warning, default 75\n"
		     "Past the limit, only log\n"
		     "Past the limit, close the session (Cease/1) and come "
		     "back after a while\n"
		     "Minutes\n",
	    do_max_prefix, CMD_NO, 0, NULL },
	{ BGP | AF, NBR "route-map <L:WORD> {in|out}",
	    NBR_HELP "Apply a route-map to routes from or to the neighbor\n"
		     "Name of the route-map\n"
		     "Routes received\n"
		     "Routes sent\n",
	    do_nbr_policy, CMD_NO, 0, NBR "route-map [<L:WORD>] {in|out}" },
	{ BGP | AF, NBR "prefix-list <L:WORD> {in|out}",
	    NBR_HELP "Filter routes from or to the neighbor by prefix\n"
		     "Name of the prefix list\n"
		     "Routes received\n"
		     "Routes sent\n",
	    do_nbr_policy, CMD_NO, 0, NBR "prefix-list [<L:WORD>] {in|out}" },
	{ BGP | AF, "network <P:WORD> [route-map <L:WORD>]",
	    "Originate a route to this prefix\n"
	    "The prefix, A.B.C.D/M (IPv6 in address-family ipv6)\n"
	    "Set its attributes with a route-map\n"
	    "Name of the route-map\n",
	    do_network, CMD_NO, 0, "network <P:WORD> [route-map <L:WORD>]" },
	{ BGP | AF, NBR "soft-reconfiguration inbound",
	    NBR_HELP "Keep the neighbor's routes as received, to apply "
		     "new import settings without asking it again\n"
		     "Routes received\n",
	    do_soft_reconfig, CMD_NO, 0, NULL },
	{ BGP, NBR "profile {aws|tencent|carrier}",
	    NBR_HELP "Apply and check what a cloud requires of the session\n"
		     "AWS Direct Connect (AS 64512 unless remote-as says "
		     "otherwise)\n"
		     "Tencent Cloud Direct Connect (AS 45090)\n"
		     "A carrier cloud router such as Zenlayer's (AS 62610)\n",
	    do_profile, CMD_NO, 0, NBR "profile [{aws|tencent|carrier}]" },
	{ BGP, NBR "ha {primary|backup}",
	    NBR_HELP "Active/passive preset: prefer this link, or keep it "
		     "for failover\n"
		     "Preferred: local preference 200 in; AWS community "
		     "7224:7300 out\n"
		     "Failover: local preference 100 in; our AS prepended 3 "
		     "times out (AWS: community 7224:7100)\n",
	    do_ha, CMD_NO, 0, NBR "ha [{primary|backup}]" },
	{ BGP | AF, NBR "export-limit <N:UINT 1-4294967295>",
	    NBR_HELP "Advertise at most this many prefixes per family, "
		     "withholding the rest (AWS: 100 by default)\n"
		     "Most prefixes advertised per family\n",
	    do_max_prefix_out, CMD_NO, 0, NULL },
	{ BGP,
	    NBR "bfd [interval <I:UINT 10-60000>] [multiplier <M:UINT 1-255>] "
		"[strict]",
	    NBR_HELP "Detect a failed path with BFD (RFC 5880, RFC 5881) and "
		     "take the session down at once\n"
		     "Desired transmit and required receive interval\n"
		     "Milliseconds, default 300 (or the profile's)\n"
		     "Detection multiplier\n"
		     "Packets missed before the path is down, default 3\n"
		     "Keep the session down until BFD is Up\n",
	    do_bfd, CMD_NO, 0, NULL },
	{ BGP, NBR "advertisement-interval <N:UINT 0-600>",
	    NBR_HELP "Least time between UPDATEs to the neighbor (MRAI)\n"
		     "Seconds, default 0\n",
	    do_mrai, CMD_NO, 0, NULL },
	{ BGP | AF, "maximum-paths <N:UINT 1-64>",
	    "Use several equal paths (multipath)\n"
	    "Number of paths, default 1\n",
	    do_maximum_paths, CMD_NO, 0, NULL },
	{ BGP, "bgp bestpath as-path multipath-relax",
	    BGP_HELP "Best path selection\n"
		     "AS path\n"
		     "Multipath across neighbor ASes with paths of equal "
		     "length\n",
	    do_bestpath, CMD_NO, 0, NULL },
	{ BGP, "bgp always-compare-med",
	    BGP_HELP "Compare MED between paths from different neighbor "
		     "ASes\n",
	    do_compare_med, CMD_NO, 0, NULL },
	{ BGP, "bgp cluster-id <I:IPV4>",
	    BGP_HELP "Route reflector cluster ID (RFC 4456)\n"
		     "The cluster ID, as an IPv4 address\n",
	    do_cluster_id, CMD_NO, 0, NULL },
	{ BGP, "neighbor <A:ADDR>", NBR_HELP, do_no_neighbor, CMD_NO_ONLY, 0,
	    NULL },
	{ BGP, "address-family {ipv4|ipv6} [unicast]",
	    "Enter address-family mode\n"
	    "IPv4\n"
	    "IPv6\n"
	    "Unicast\n",
	    do_address_family, 0, CMD_MODE_AF_IPV4, NULL },
	{ AF, NBR "activate",
	    NBR_HELP "Exchange routes of this family with the neighbor\n",
	    do_activate, CMD_NO, 0, NULL },
	{ AF, "exit-address-family", "Leave address-family mode\n", NULL,
	    CMD_EXIT, 0, NULL },
};

void
conf_cmd_register(void)
{
	cmd_register(conf_cmds, sizeof(conf_cmds) / sizeof(conf_cmds[0]));
	/* interface NAME, neighbor X interface NAME (iface_cmd.c) */
	iface_cmd_register();
}
