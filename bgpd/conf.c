/*
 * conf.c: the configuration tree: building it, checking it as a whole,
 * reading it from a file and printing it back.
 *
 * A file is a sequence of the commands of conf_cmd.c, run one line at
 * a time through cmd.c into a fresh tree; an error on any line, or in
 * the checks of the whole tree that follow, throws the tree away, so a
 * caller gets a valid tree or nothing.  conf_print writes the canonical
 * text of a tree, which reads back to the same tree.
 *
 * Values refused: RFC 4271 §4.2 (hold time 0 or at least 3), RFC 6793
 * (AS_TRANS), RFC 7300 (last ASNs), RFC 7607 (AS 0).
 */
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dxbgp/bgp.h>

#include "cmd.h"
#include "conf.h"
#include "policy_int.h"
#include "profile.h"

/* ---- the tree ---- */

struct conf *
conf_new(void)
{
	struct conf *c = cmd_xcalloc(1, sizeof(*c));

	c->ebgp_requires_policy = true;
	c->gr_restart_time = CONF_GR_RESTART_TIME_DEFAULT;
	c->maximum_paths = 1;
	return c;
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	while (c->neighbors != NULL)
		conf_neighbor_del(c, c->neighbors);
	while (c->networks != NULL) {
		struct conf_network *nw = c->networks;

		c->networks = nw->next;
		free(nw);
	}
	while (c->ifaces != NULL) {
		struct conf_iface *i = c->ifaces;

		c->ifaces = i->next;
		free(i);
	}
	while (c->exp_listen != NULL) {
		struct conf_export_listen *el = c->exp_listen;

		c->exp_listen = el->next;
		free(el);
	}
	pol_free(c->pol);
	free(c);
}

static uint8_t
transport_af(const struct conf_neighbor *n)
{
	return n->addr.family == AF_INET6 ? CONF_AF_IPV6 : CONF_AF_IPV4;
}

struct conf_neighbor *
conf_neighbor_find(const struct conf *c, const struct conf_addr *a)
{
	struct conf_neighbor *n;

	for (n = c->neighbors; n != NULL; n = n->next)
		if (conf_addr_eq(&n->addr, a))
			return n;
	return NULL;
}

struct conf_neighbor *
conf_neighbor_add(struct conf *c, const struct conf_addr *a, int line)
{
	struct conf_neighbor *n = cmd_xcalloc(1, sizeof(*n));
	struct conf_neighbor **tail;

	n->addr = *a;
	conf_addr_str(a, n->name, sizeof(n->name));
	n->port = CONF_PORT_DEFAULT;
	n->keepalive = CONF_KEEPALIVE_DEFAULT;
	n->holdtime = CONF_HOLDTIME_DEFAULT;
	n->connect_retry = CONF_CONNECT_RETRY_DEFAULT;
	n->af = transport_af(n);
	n->line = line;
	for (tail = &c->neighbors; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = n;
	return n;
}

void
conf_neighbor_del(struct conf *c, struct conf_neighbor *n)
{
	struct conf_neighbor **p;

	for (p = &c->neighbors; *p != NULL; p = &(*p)->next) {
		if (*p == n) {
			*p = n->next;
			/* The key does not outlive the tree. */
			explicit_bzero(n->password, sizeof(n->password));
			free(n);
			return;
		}
	}
	assert(!"neighbor not in the tree");
}

bool
conf_addr_parse(const char *s, struct conf_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->u.v4) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &a->u.v6) == 1)
		a->family = AF_INET6;
	return a->family != 0;
}

const char *
conf_addr_str(const struct conf_addr *a, char *buf, size_t len)
{
	if (a->family == 0 || inet_ntop(a->family, &a->u, buf, len) == NULL)
		snprintf(buf, len, "%s", "");
	return buf;
}

bool
conf_addr_eq(const struct conf_addr *a, const struct conf_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
	return true;
}

uint16_t
conf_neighbor_holdtime(const struct conf_neighbor *n)
{
	const struct profile *pr = profile_of(n);

	if (n->timers_set)
		return n->holdtime;
	/* A profile's timers stand in for unset ones (Tencent 60/180). */
	return pr != NULL && pr->holdtime ? pr->holdtime
					  : CONF_HOLDTIME_DEFAULT;
}

uint16_t
conf_neighbor_keepalive(const struct conf_neighbor *n)
{
	const struct profile *pr = profile_of(n);

	if (!n->timers_set)
		return pr != NULL && pr->keepalive ? pr->keepalive
						   : CONF_KEEPALIVE_DEFAULT;
	/* RFC 4271 §4.4: no KEEPALIVE at all with a hold time of 0. */
	return n->holdtime == 0 ? 0 : n->keepalive;
}

uint8_t
conf_neighbor_af(const struct conf_neighbor *n)
{
	return n->af_explicit ? n->af : transport_af(n);
}

void
conf_neighbor_bfd(
    const struct conf_neighbor *n, uint16_t *interval_ms, uint8_t *mult)
{
	const struct profile *pr = profile_of(n);

	/* A profile's BFD values ([A1] 300 ms x 3, [T4] 1000 ms x 3). */
	*interval_ms = n->bfd_interval_ms       ? n->bfd_interval_ms
	    : pr != NULL && pr->bfd_interval_ms ? pr->bfd_interval_ms
						: CONF_BFD_INTERVAL_DEFAULT;
	*mult = n->bfd_mult              ? n->bfd_mult
	    : pr != NULL && pr->bfd_mult ? pr->bfd_mult
					 : CONF_BFD_MULT_DEFAULT;
}

bool
conf_neighbor_gr(const struct conf_neighbor *n)
{
	return profile_gr(n, n->bfd);
}

/* ---- values refused ---- */

const char *
conf_asn_refused(uint32_t asn)
{
	switch (asn) {
	case 0:
		return "AS 0 is reserved (RFC 7607)";
	case 23456:
		return "AS 23456 is AS_TRANS (RFC 6793) and cannot be our AS";
	case 65535:
		return "AS 65535 is reserved (RFC 7300) and cannot be our AS";
	case 4294967295u:
		return "AS 4294967295 is reserved (RFC 7300) and cannot be our "
		       "AS";
	}
	return NULL;
}

const char *
conf_remote_as_refused(uint32_t asn)
{
	switch (asn) {
	case 0:
		return "AS 0 is reserved (RFC 7607)";
	case 23456:
		return "AS 23456 is AS_TRANS (RFC 6793) and cannot be a peer's "
		       "AS";
	}
	return NULL;
}

const char *
conf_timers_refused(
    unsigned keepalive, unsigned holdtime, char *buf, size_t len)
{
	if (holdtime == 1 || holdtime == 2)
		snprintf(buf, len,
		    "hold time %u is not allowed: 0 or 3-65535 "
		    "(RFC 4271 section 4.2)",
		    holdtime);
	else if (holdtime != 0 && keepalive == 0)
		snprintf(buf, len,
		    "keepalive 0 with hold time %u: the peer "
		    "would hear nothing and drop the session",
		    holdtime);
	else if (holdtime != 0 && keepalive >= holdtime)
		snprintf(buf, len,
		    "keepalive %u must be less than hold time %u", keepalive,
		    holdtime);
	else
		return NULL;
	return buf;
}

/* ---- checks of the whole tree ---- */

static void report(int *nerr, FILE *errs, const char *name, int line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
report(int *nerr, FILE *errs, const char *name, int line, const char *fmt, ...)
{
	va_list ap;

	(*nerr)++;
	if (errs == NULL)
		return;
	fprintf(errs, "%s:%d: ", name, line);
	va_start(ap, fmt);
	vfprintf(errs, fmt, ap);
	va_end(ap);
	fputc('\n', errs);
}

static void
check_neighbor(const struct conf *c, const struct conf_neighbor *n,
    const char *name, FILE *errs, int *nerr)
{
	char buf[CMD_ERR_MAX], src[INET6_ADDRSTRLEN];
	const char *why;

	if (n->remote_as == 0)
		report(nerr, errs, name, n->line,
		    "neighbor %s has no remote-as", n->name);
	else if ((why = conf_remote_as_refused(n->remote_as)) != NULL)
		report(
		    nerr, errs, name, n->line, "neighbor %s: %s", n->name, why);
	if (n->local_as != 0) {
		if ((why = conf_asn_refused(n->local_as)) != NULL)
			report(nerr, errs, name, n->line, "neighbor %s: %s",
			    n->name, why);
		else if (n->local_as == c->asn)
			report(nerr, errs, name, n->line,
			    "neighbor %s: local-as %u is the router's own AS",
			    n->name, n->local_as);
		else if (n->remote_as == c->asn)
			report(nerr, errs, name, n->line,
			    "neighbor %s: local-as is for eBGP neighbors only",
			    n->name);
	}
	if (n->timers_set &&
	    conf_timers_refused(n->keepalive, n->holdtime, buf, sizeof(buf)))
		report(
		    nerr, errs, name, n->line, "neighbor %s: %s", n->name, buf);
	if (n->update_source.family != 0 &&
	    n->update_source.family != n->addr.family)
		report(nerr, errs, name, n->line,
		    "neighbor %s: update-source %s is not an %s address",
		    n->name, conf_addr_str(&n->update_source, src, sizeof(src)),
		    n->addr.family == AF_INET ? "IPv4" : "IPv6");
	if (n->ttl_security_hops != 0 && n->ebgp_multihop != 0)
		report(nerr, errs, name, n->line,
		    "neighbor %s: ttl-security and ebgp-multihop cannot be "
		    "used together",
		    n->name);
}

int
conf_check(const struct conf *c, const char *name, FILE *errs)
{
	const struct conf_neighbor *n;
	const char *why;
	int nerr = 0, count = 0;

	if (c->has_bgp && (why = conf_asn_refused(c->asn)) != NULL)
		report(&nerr, errs, name, c->bgp_line, "router bgp: %s", why);
	for (n = c->neighbors; n != NULL; n = n->next) {
		check_neighbor(c, n, name, errs, &nerr);
		/* The RIB numbers peers in a 64-bit mask, 0 being local. */
		if (++count == CONF_NEIGHBORS_MAX + 1)
			report(&nerr, errs, name, n->line,
			    "neighbor %s: more than %d neighbors", n->name,
			    CONF_NEIGHBORS_MAX);
	}
	/* What the clouds of neighbors with a profile require. */
	nerr += profile_check(c, name, errs);
	nerr += iface_conf_check(c, name, errs);
	return nerr;
}

/* A name a neighbor or network uses that no definition backs. */
static void
warn_name(int *n, FILE *out, const char *name, int line, const char *what,
    const char *v, const char *effect)
{
	if (out != NULL)
		fprintf(out, "%s:%d: warning: %s %s is not defined; %s\n", name,
		    line, what, v, effect);
	(*n)++;
}

int
conf_warn(const struct conf *c, const char *name, FILE *out)
{
	static const char denies[] = "it denies every route";
	static const char none[] = "it matches no route";
	const struct conf_neighbor *n;
	const struct conf_network *nw;
	int nwarn = 0, i;

	char rm[CONF_NAME_MAX + 32], pl[CONF_NAME_MAX + 32];

	for (n = c->neighbors; n != NULL; n = n->next)
		for (i = 0; i < 2; i++) {
			const struct conf_nbr_pol *p = &n->pol[i];
			int afi = i == 0 ? BGP_AFI_IPV4 : BGP_AFI_IPV6;

			snprintf(
			    rm, sizeof(rm), "neighbor %s: route-map", n->name);
			snprintf(pl, sizeof(pl), "neighbor %s: prefix-list",
			    n->name);
			if (p->rmap_in[0] && !pol_rmap_find(c->pol, p->rmap_in))
				warn_name(&nwarn, out, name, n->line, rm,
				    p->rmap_in, denies);
			if (p->rmap_out[0] &&
			    !pol_rmap_find(c->pol, p->rmap_out))
				warn_name(&nwarn, out, name, n->line, rm,
				    p->rmap_out, denies);
			if (p->plist_in[0] &&
			    !pol_plist_find(c->pol, afi, p->plist_in))
				warn_name(&nwarn, out, name, n->line, pl,
				    p->plist_in, none);
			if (p->plist_out[0] &&
			    !pol_plist_find(c->pol, afi, p->plist_out))
				warn_name(&nwarn, out, name, n->line, pl,
				    p->plist_out, none);
		}
	for (nw = c->networks; nw != NULL; nw = nw->next)
		if (nw->rmap[0] && !pol_rmap_find(c->pol, nw->rmap))
			warn_name(&nwarn, out, name, nw->line,
			    "network: route-map", nw->rmap,
			    "the network is not announced");
	for (const struct conf_export_listen *el = c->exp_listen; el != NULL;
	     el = el->next) {
		const char *files[] = { el->cert, el->key, el->ca };

		if (el->rmap[0] && !pol_rmap_find(c->pol, el->rmap))
			warn_name(&nwarn, out, name, el->line,
			    "export listen: route-map", el->rmap,
			    "its subscribers get no route");
		for (i = 0; el->tls && i < 3; i++)
			if (access(files[i], R_OK) == -1) {
				if (out != NULL)
					fprintf(out,
					    "%s:%d: warning: export listen "
					    "tls: cannot read %s: %s; the "
					    "listener will not start\n",
					    name, el->line, files[i],
					    strerror(errno));
				nwarn++;
			}
	}
	nwarn += profile_warn(c, name, out);
	nwarn += iface_conf_warn(c, name, out);
	return nwarn;
}

/* ---- reading ---- */

/* Runs every line of text on c; how many were refused (reported). */
static int
parse(
    const char *text, size_t len, const char *name, struct conf *c, FILE *errs)
{
	struct cmd_state st;
	size_t cap = 256, i = 0;
	char *line = cmd_xmalloc(cap);
	int nerr = 0;

	conf_cmd_register();
	pol_cmd_register();
	log_cmd_register();
	exp_cmd_register();
	cmd_state_init(&st, CMD_MODE_CONFIG, c);
	st.recover = true;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;

		st.line++;
		if (n + 1 > cap) {
			explicit_bzero(line, cap);
			free(line);
			cap = n + 1;
			line = cmd_xmalloc(cap);
		}
		memcpy(line, text + i, n);
		line[n] = '\0';
		i += n + 1;
		if (memchr(line, '\0', n) != NULL) {
			report(&nerr, errs, name, st.line, "NUL byte in line");
			continue;
		}
		if (n > 0 && line[n - 1] == '\r')
			line[n - 1] = '\0';
		if (cmd_exec(&st, line) < 0)
			report(&nerr, errs, name, st.line, "%s", st.err);
	}
	explicit_bzero(line, cap);
	free(line);
	return nerr;
}

/*
 * The lines, then (check) the checks of the whole tree, once every line
 * has been understood.
 */
static int
load(const char *text, size_t len, const char *name, struct conf **out,
    FILE *errs, bool check)
{
	struct conf *c = conf_new();
	int nerr = parse(text, len, name, c, errs);

	if (nerr == 0 && check)
		nerr = conf_check(c, name, errs);
	if (nerr > 0) {
		conf_free(c);
		*out = NULL;
		return -1;
	}
	*out = c;
	return 0;
}

int
conf_load_string(
    const char *text, const char *name, struct conf **out, FILE *errs)
{
	return load(text, strlen(text), name, out, errs, true);
}

int
conf_parse_string(
    const char *text, const char *name, struct conf **out, FILE *errs)
{
	return load(text, strlen(text), name, out, errs, false);
}

int
conf_load_file(const char *path, struct conf **out, FILE *errs)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	*out = NULL;
	if (f == NULL) {
		if (errs != NULL)
			fprintf(errs, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (buf == NULL) {
				fputs("dxbgp: out of memory\n", stderr);
				abort();
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		if (errs != NULL)
			fprintf(errs, "%s: %s\n", path, strerror(errno));
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	rc = load(buf, len, path, out, errs, true);
	explicit_bzero(buf, cap);
	free(buf);
	return rc;
}

/* ---- printing ---- */

static void
print_neighbor(const struct conf_neighbor *n, FILE *out)
{
	const char *x = n->name;
	char buf[INET6_ADDRSTRLEN];

	if (n->remote_as != 0)
		fprintf(out, " neighbor %s remote-as %u\n", x, n->remote_as);
	if (n->local_as != 0)
		fprintf(out, " neighbor %s local-as %u\n", x, n->local_as);
	if (n->profile != 0)
		fprintf(out, " neighbor %s profile %s\n", x,
		    profile_get(n->profile)->name);
	if (n->ha != 0)
		fprintf(out, " neighbor %s ha %s\n", x, profile_ha_name(n->ha));
	if (n->max_prefix_out != 0)
		fprintf(out, " neighbor %s export-limit %u\n", x,
		    n->max_prefix_out);
	if (n->description[0] != '\0') {
		fprintf(out, " neighbor %s description ", x);
		cmd_fput_line(n->description, out);
		fputc('\n', out);
	}
	if (n->shutdown) {
		fprintf(out, " neighbor %s shutdown", x);
		if (n->shutdown_msg[0] != '\0') {
			fputs(" message ", out);
			cmd_fput_line(n->shutdown_msg, out);
		}
		fputc('\n', out);
	}
	if (n->password[0] != '\0') {
		fprintf(out, " neighbor %s password ", x);
		cmd_fput_line(n->password, out);
		fputc('\n', out);
	}
	if (n->passive)
		fprintf(out, " neighbor %s passive\n", x);
	if (n->ebgp_multihop == CONF_EBGP_MULTIHOP_DEFAULT)
		fprintf(out, " neighbor %s ebgp-multihop\n", x);
	else if (n->ebgp_multihop != 0)
		fprintf(out, " neighbor %s ebgp-multihop %u\n", x,
		    n->ebgp_multihop);
	if (n->ttl_security_hops != 0)
		fprintf(out, " neighbor %s ttl-security hops %u\n", x,
		    n->ttl_security_hops);
	if (n->update_source.family != 0)
		fprintf(out, " neighbor %s update-source %s\n", x,
		    conf_addr_str(&n->update_source, buf, sizeof(buf)));
	if (n->ifname[0] != '\0')
		fprintf(out, " neighbor %s interface %s\n", x, n->ifname);
	if (n->port != CONF_PORT_DEFAULT)
		fprintf(out, " neighbor %s port %u\n", x, n->port);
	if (n->timers_set)
		fprintf(out, " neighbor %s timers %u %u\n", x, n->keepalive,
		    n->holdtime);
	if (n->connect_retry != CONF_CONNECT_RETRY_DEFAULT)
		fprintf(out, " neighbor %s timers connect %u\n", x,
		    n->connect_retry);
	if (n->next_hop_self)
		fprintf(out, " neighbor %s next-hop-self\n", x);
	if (n->remove_private_as)
		fprintf(out, " neighbor %s remove-private-AS\n", x);
	if (n->as_override)
		fprintf(out, " neighbor %s as-override\n", x);
	if (n->rr_client)
		fprintf(out, " neighbor %s route-reflector-client\n", x);
	if (n->allowas_in != 0)
		fprintf(out, " neighbor %s allowas-in %u\n", x, n->allowas_in);
	if (n->max_prefix != 0) {
		fprintf(
		    out, " neighbor %s maximum-prefix %u", x, n->max_prefix);
		if (n->max_prefix_warn != 75)
			fprintf(out, " %u", n->max_prefix_warn);
		if (n->max_prefix_warn_only)
			fputs(" warning-only", out);
		else if (n->max_prefix_restart != 0)
			fprintf(out, " restart %u", n->max_prefix_restart);
		fputc('\n', out);
	}
	if (n->mrai != 0)
		fprintf(out, " neighbor %s advertisement-interval %u\n", x,
		    n->mrai);
	if (n->soft_reconfig)
		fprintf(out, " neighbor %s soft-reconfiguration inbound\n", x);
	if (n->bfd) {
		fprintf(out, " neighbor %s bfd", x);
		if (n->bfd_interval_ms != 0)
			fprintf(out, " interval %u", n->bfd_interval_ms);
		if (n->bfd_mult != 0)
			fprintf(out, " multiplier %u", n->bfd_mult);
		if (n->bfd_strict)
			fputs(" strict", out);
		fputc('\n', out);
	}
}

/* Opens the address-family block once, before its first line. */
static void
af_open(bool *open, const char *name, FILE *out)
{
	if (!*open)
		fprintf(out, " address-family %s unicast\n", name);
	*open = true;
}

/* An address-family block, if anything in it differs from the default. */
static void
print_af(const struct conf *c, uint8_t af, const char *name, FILE *out)
{
	const struct conf_neighbor *n;
	const struct conf_network *nw;
	int afi = af == CONF_AF_IPV4 ? BGP_AFI_IPV4 : BGP_AFI_IPV6;
	int idx = af == CONF_AF_IPV4 ? 0 : 1;
	char buf[64];
	bool open = false;

	for (nw = c->networks; nw != NULL; nw = nw->next) {
		if (nw->pfx.afi != afi)
			continue;
		af_open(&open, name, out);
		pol_prefix_str(&nw->pfx, buf, sizeof(buf));
		fprintf(out, "  network %s", buf);
		if (nw->rmap[0] != '\0')
			fprintf(out, " route-map %s", nw->rmap);
		fputc('\n', out);
	}
	for (n = c->neighbors; n != NULL; n = n->next) {
		bool on = (conf_neighbor_af(n) & af) != 0;
		const struct conf_nbr_pol *p = &n->pol[idx];

		if (on != ((transport_af(n) & af) != 0)) {
			af_open(&open, name, out);
			fprintf(out, "  %sneighbor %s activate\n",
			    on ? "" : "no ", n->name);
		}
		if (p->plist_in[0] != '\0' || p->plist_out[0] != '\0' ||
		    p->rmap_in[0] != '\0' || p->rmap_out[0] != '\0')
			af_open(&open, name, out);
		if (p->plist_in[0] != '\0')
			fprintf(out, "  neighbor %s prefix-list %s in\n",
			    n->name, p->plist_in);
		if (p->plist_out[0] != '\0')
			fprintf(out, "  neighbor %s prefix-list %s out\n",
			    n->name, p->plist_out);
		if (p->rmap_in[0] != '\0')
			fprintf(out, "  neighbor %s route-map %s in\n", n->name,
			    p->rmap_in);
		if (p->rmap_out[0] != '\0')
			fprintf(out, "  neighbor %s route-map %s out\n",
			    n->name, p->rmap_out);
	}
	if (open)
		fputs(" exit-address-family\n", out);
}

void
conf_print(const struct conf *c, FILE *out)
{
	const struct conf_neighbor *n;

	if (c->hostname[0] != '\0')
		fprintf(out, "hostname %s\n", c->hostname);
	log_conf_print(c, out);
	exp_conf_print(c, out);
	iface_conf_print(c, out);
	if (!c->has_bgp) {
		pol_print(c->pol, out);
		return;
	}
	fprintf(out, "router bgp %u\n", c->asn);
	if (c->router_id != 0) {
		struct in_addr id = { htonl(c->router_id) };
		char buf[INET_ADDRSTRLEN];

		fprintf(out, " bgp router-id %s\n",
		    inet_ntop(AF_INET, &id, buf, sizeof(buf)));
	}
	if (!c->ebgp_requires_policy)
		fputs(" no bgp ebgp-requires-policy\n", out);
	if (c->allow_martian_nexthop)
		fputs(" bgp allow-martian-nexthop\n", out);
	if (c->gr_restart_time != CONF_GR_RESTART_TIME_DEFAULT)
		fprintf(out, " bgp graceful-restart restart-time %u\n",
		    c->gr_restart_time);
	if (c->always_compare_med)
		fputs(" bgp always-compare-med\n", out);
	if (c->multipath_relax)
		fputs(" bgp bestpath as-path multipath-relax\n", out);
	if (c->cluster_id != 0) {
		struct in_addr id = { htonl(c->cluster_id) };
		char buf[INET_ADDRSTRLEN];

		fprintf(out, " bgp cluster-id %s\n",
		    inet_ntop(AF_INET, &id, buf, sizeof(buf)));
	}
	if (c->maximum_paths > 1)
		fprintf(out, " maximum-paths %u\n", c->maximum_paths);
	for (n = c->neighbors; n != NULL; n = n->next)
		print_neighbor(n, out);
	print_af(c, CONF_AF_IPV4, "ipv4", out);
	print_af(c, CONF_AF_IPV6, "ipv6", out);
	fputs("exit\n", out);
	pol_print(c->pol, out);
}

struct conf *
conf_dup(const struct conf *c)
{
	struct conf *copy;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		abort();
	conf_print(c, f);
	fclose(f);
	if (conf_load_string(text, "(copy)", &copy, stderr) == -1)
		abort(); /* a valid tree prints as a valid config */
	explicit_bzero(text, len);
	free(text);
	return copy;
}
