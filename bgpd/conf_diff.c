/*
 * conf_diff.c: what a new configuration changes, neighbor by neighbor.
 *
 * The rules of a reload live here and only here: which settings a
 * session was opened with and so need a new one (the OPEN's AS and BGP
 * identifier, timers and capabilities, the TCP connection's address,
 * port, MD5 key and TTL), which change the routes exchanged and are
 * re-applied with route refresh (RFC 2918, RFC 7313) or the stored
 * Adj-RIB-In, and which take effect at once.  bgpd_configure acts on
 * the result, `reload check` prints it.  Pure functions of two trees.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "conf_diff.h"
#include "policy.h"

static const char *const reset_names[CONF_DIFF_R_COUNT] = {
	"remote-as",
	"local-as",
	"password",
	"update-source",
	"port",
	"timers",
	"passive",
	"ttl-security",
	"ebgp-multihop",
	"address families",
	"maximum-prefix",
	"router-id",
	"profile",
};

static const char *const other_names[CONF_DIFF_O_COUNT] = {
	"description",
	"timers connect",
	"advertisement-interval",
	"maximum-prefix threshold",
	"shutdown message",
	"bfd",
	"interface",
};

static const char *
bit_name(const char *const *names, int count, unsigned bit)
{
	for (int i = 0; i < count; i++)
		if (bit == 1u << i)
			return names[i];
	return "?";
}

const char *
conf_diff_reset_name(unsigned bit)
{
	return bit_name(reset_names, CONF_DIFF_R_COUNT, bit);
}

const char *
conf_diff_other_name(unsigned bit)
{
	return bit_name(other_names, CONF_DIFF_O_COUNT, bit);
}

uint32_t
conf_diff_router_id(const struct conf *c)
{
	const struct conf_neighbor *n;

	if (c->router_id != 0)
		return c->router_id;
	/* Without bgp router-id, the first IPv4 update-source. */
	for (n = c->neighbors; n != NULL; n = n->next)
		if (n->update_source.family == AF_INET)
			return ntohl(n->update_source.u.v4.s_addr);
	return 0x7f000001;
}

/* The AS we speak as to a neighbor (OPEN, AS path). */
static uint32_t
local_as(const struct conf *c, const struct conf_neighbor *n)
{
	return n->local_as != 0 ? n->local_as : c->asn;
}

static unsigned
reset_reasons(const struct conf *old, const struct conf_neighbor *a,
    const struct conf *new, const struct conf_neighbor *b)
{
	unsigned r = 0;

	if (a->remote_as != b->remote_as)
		r |= CONF_DIFF_R_REMOTE_AS;
	if (local_as(old, a) != local_as(new, b))
		r |= CONF_DIFF_R_LOCAL_AS;
	if (strcmp(a->password, b->password) != 0)
		r |= CONF_DIFF_R_PASSWORD;
	if (!conf_addr_eq(&a->update_source, &b->update_source))
		r |= CONF_DIFF_R_UPDATE_SOURCE;
	if (a->port != b->port)
		r |= CONF_DIFF_R_PORT;
	if (a->keepalive != b->keepalive || a->holdtime != b->holdtime)
		r |= CONF_DIFF_R_TIMERS;
	if (a->passive != b->passive)
		r |= CONF_DIFF_R_PASSIVE;
	if (a->ttl_security_hops != b->ttl_security_hops)
		r |= CONF_DIFF_R_TTL_SECURITY;
	if (a->ebgp_multihop != b->ebgp_multihop)
		r |= CONF_DIFF_R_MULTIHOP;
	if (conf_neighbor_af(a) != conf_neighbor_af(b))
		r |= CONF_DIFF_R_AF;
	/* A new limit also lifts a hold-down past the old one. */
	if (a->max_prefix != b->max_prefix)
		r |= CONF_DIFF_R_MAX_PREFIX;
	if (conf_diff_router_id(old) != conf_diff_router_id(new))
		r |= CONF_DIFF_R_ROUTER_ID;
	if (a->profile != b->profile)
		r |= CONF_DIFF_R_PROFILE;
	return r;
}

/* BFD settings in force; a change never resets the BGP session. */
static bool
bfd_changed(const struct conf_neighbor *a, const struct conf_neighbor *b)
{
	uint16_t ia, ib;
	uint8_t ma, mb;

	if (a->bfd != b->bfd)
		return true;
	if (!a->bfd)
		return false;
	conf_neighbor_bfd(a, &ia, &ma);
	conf_neighbor_bfd(b, &ib, &mb);
	return ia != ib || ma != mb || a->bfd_strict != b->bfd_strict;
}

static unsigned
other_changes(const struct conf_neighbor *a, const struct conf_neighbor *b)
{
	unsigned o = 0;

	if (strcmp(a->description, b->description) != 0)
		o |= CONF_DIFF_O_DESCRIPTION;
	if (a->connect_retry != b->connect_retry)
		o |= CONF_DIFF_O_CONNECT_RETRY;
	if (a->mrai != b->mrai)
		o |= CONF_DIFF_O_MRAI;
	/* With the limit itself changed, the session is reset anyway. */
	if (a->max_prefix == b->max_prefix &&
	    (a->max_prefix_warn != b->max_prefix_warn ||
		a->max_prefix_warn_only != b->max_prefix_warn_only ||
		a->max_prefix_restart != b->max_prefix_restart))
		o |= CONF_DIFF_O_MAX_PREFIX;
	if (a->shutdown && b->shutdown &&
	    strcmp(a->shutdown_msg, b->shutdown_msg) != 0)
		o |= CONF_DIFF_O_SHUTDOWN_MSG;
	/* The session follows another link (or none): no reset by itself. */
	if (strcmp(a->ifname, b->ifname) != 0)
		o |= CONF_DIFF_O_INTERFACE;
	if (bfd_changed(a, b))
		o |= CONF_DIFF_O_BFD;
	return o;
}

void
conf_diff_neighbor(const struct conf *old, const struct conf_neighbor *a,
    const struct conf *new, const struct conf_neighbor *b, struct conf_diff *d)
{
	memset(d, 0, sizeof(*d));
	if (a == NULL || b == NULL) {
		d->kind = a == NULL
		    ? (b == NULL ? CONF_DIFF_UNCHANGED : CONF_DIFF_ADDED)
		    : CONF_DIFF_REMOVED;
		return;
	}
	d->reset = reset_reasons(old, a, new, b);
	if (a->shutdown != b->shutdown)
		d->admin =
		    b->shutdown ? CONF_DIFF_ADMIN_DOWN : CONF_DIFF_ADMIN_UP;
	d->other = other_changes(a, b);
	/* What the RIB works out again for it (rde_configure). */
	d->policy_out = a->next_hop_self != b->next_hop_self ||
	    a->remove_private_as != b->remove_private_as ||
	    a->as_override != b->as_override || a->rr_client != b->rr_client ||
	    a->ha != b->ha || a->max_prefix_out != b->max_prefix_out ||
	    pol_neighbor_changed(old, a, new, b, true);
	d->policy_in = a->allowas_in != b->allowas_in || a->ha != b->ha ||
	    a->soft_reconfig != b->soft_reconfig ||
	    pol_neighbor_changed(old, a, new, b, false);
	d->in_stored = d->policy_in && a->soft_reconfig && b->soft_reconfig;
	if (d->reset != 0 || d->admin != CONF_DIFF_ADMIN_SAME) {
		/* A new session gets every route anew anyway. */
		d->policy_in = d->policy_out = d->in_stored = false;
	}
	d->kind =
	    d->reset || d->admin || d->other || d->policy_in || d->policy_out
	    ? CONF_DIFF_CHANGED
	    : CONF_DIFF_UNCHANGED;
}

static void
print_bits(FILE *out, unsigned bits, const char *(*name)(unsigned))
{
	const char *sep = "";

	for (unsigned i = 0; i < 32; i++) {
		if (!(bits & (1u << i)))
			continue;
		fprintf(out, "%s%s", sep, name(1u << i));
		sep = ", ";
	}
}

void
conf_diff_print(const struct conf_diff *d, FILE *out)
{
	const char *sep = "";

	switch (d->kind) {
	case CONF_DIFF_UNCHANGED:
		fputs("unchanged", out);
		return;
	case CONF_DIFF_ADDED:
		fputs("added (session starts)", out);
		return;
	case CONF_DIFF_REMOVED:
		fputs("removed (session closed, Cease/3)", out);
		return;
	case CONF_DIFF_CHANGED:
		break;
	}
	if (d->admin == CONF_DIFF_ADMIN_DOWN) {
		fputs("shut down (Cease/2)", out);
		sep = "; ";
	} else if (d->admin == CONF_DIFF_ADMIN_UP) {
		fputs("shutdown removed (session starts)", out);
		sep = "; ";
	}
	if (d->reset != 0) {
		fprintf(out, "%sreset (", sep);
		print_bits(out, d->reset, conf_diff_reset_name);
		fputc(')', out);
		sep = "; ";
	}
	if (d->policy_in || d->policy_out) {
		fprintf(out, "%spolicy re-applied:", sep);
		if (d->policy_in)
			fprintf(out, " in (%s)",
			    d->in_stored ? "stored routes" : "route refresh");
		if (d->policy_out)
			fprintf(out, "%s out", d->policy_in ? "," : "");
		sep = "; ";
	}
	if (d->other != 0) {
		fprintf(out, "%s%s (", sep,
		    d->reset || d->admin ? "also changed"
					 : "changed without reset");
		print_bits(out, d->other, conf_diff_other_name);
		fputc(')', out);
	}
}

static const char *
id_str(uint32_t id, char *buf, size_t len)
{
	struct in_addr a = { .s_addr = htonl(id) };

	return inet_ntop(AF_INET, &a, buf, (socklen_t)len);
}

int
conf_diff_global(const struct conf *a, const struct conf *b, FILE *out)
{
	char x[INET_ADDRSTRLEN], y[INET_ADDRSTRLEN];
	int n = 0;

	if (strcmp(a->hostname, b->hostname) != 0) {
		fprintf(
		    out, "hostname: '%s' -> '%s'\n", a->hostname, b->hostname);
		n++;
	}
	if (a->asn != b->asn) {
		fprintf(out,
		    "router bgp: AS %u -> %u (sessions speaking as it are "
		    "reset)\n",
		    a->asn, b->asn);
		n++;
	}
	if (conf_diff_router_id(a) != conf_diff_router_id(b)) {
		fprintf(out, "router-id: %s -> %s (every session is reset)\n",
		    id_str(conf_diff_router_id(a), x, sizeof(x)),
		    id_str(conf_diff_router_id(b), y, sizeof(y)));
		n++;
	}
	if (a->maximum_paths != b->maximum_paths ||
	    a->multipath_relax != b->multipath_relax ||
	    a->always_compare_med != b->always_compare_med) {
		fputs("best path selection changed (every prefix is decided "
		      "again, no reset)\n",
		    out);
		n++;
	}
	if (a->ebgp_requires_policy != b->ebgp_requires_policy) {
		fprintf(out, "bgp ebgp-requires-policy: %s -> %s\n",
		    a->ebgp_requires_policy ? "on" : "off",
		    b->ebgp_requires_policy ? "on" : "off");
		n++;
	}
	if (a->allow_martian_nexthop != b->allow_martian_nexthop ||
	    a->gr_restart_time != b->gr_restart_time ||
	    a->cluster_id != b->cluster_id) {
		fputs("other router bgp settings changed (no reset)\n", out);
		n++;
	}
	return n;
}

void
conf_diff_report(const struct conf *a, const struct conf *b, FILE *out)
{
	const struct conf_neighbor *n;
	struct conf_diff d;

	conf_diff_global(a, b, out);
	for (n = b->neighbors; n != NULL; n = n->next) {
		conf_diff_neighbor(
		    a, conf_neighbor_find(a, &n->addr), b, n, &d);
		fprintf(out, "neighbor %s: ", n->name);
		conf_diff_print(&d, out);
		fputc('\n', out);
	}
	for (n = a->neighbors; n != NULL; n = n->next) {
		if (conf_neighbor_find(b, &n->addr) != NULL)
			continue;
		conf_diff_neighbor(a, n, b, NULL, &d);
		fprintf(out, "neighbor %s: ", n->name);
		conf_diff_print(&d, out);
		fputc('\n', out);
	}
}
