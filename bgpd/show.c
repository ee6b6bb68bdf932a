/*
 * show.c: what the `show` commands print.  The sessions (`show bgp
 * summary`, `show bgp neighbors`), the routes (a family's table, one
 * prefix in detail, a neighbor's routes as received, as accepted and
 * as advertised to it) and the memory they hold; in FRR's layout for
 * people, and as JSON with stable keys (dxsh(1), SHOW COMMANDS) for
 * scripts.  Nothing here changes any state, and no output ever holds
 * a TCP MD5 key.
 *
 * What a neighbor was sent is worked out again through the export
 * path (rib_out_attrs: RFC 4271 §5.1 and §9.2, RFC 4456, then the
 * daemon's policy) for the prefixes the RIB marks as advertised to it.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <dxbgp/bytes.h>
#include <dxbgp/rib.h>

#include "cmd.h"
#include "policy_int.h"
#include "profile.h"
#include "rde.h"
#include "show.h"

#define NMSG (BGP_MSG_ROUTE_REFRESH + 1)

void
show_json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

static const char *
jbool(bool b)
{
	return b ? "true" : "false";
}

static uint64_t
sum(const uint64_t *v, size_t n)
{
	uint64_t t = 0;
	size_t i;

	for (i = 0; i < n; i++)
		t += v[i];
	return t;
}

static void
fmt_duration(time_t secs, char *buf, size_t len)
{
	if (secs < 0)
		secs = 0;
	if (secs < 86400)
		snprintf(buf, len, "%02ld:%02ld:%02ld", (long)secs / 3600,
		    (long)secs / 60 % 60, (long)secs % 60);
	else
		snprintf(buf, len, "%ldd%02ldh%02ldm", (long)secs / 86400,
		    (long)secs / 3600 % 24, (long)secs / 60 % 60);
}

static const char *
ipv4_str(uint32_t host, char *buf)
{
	struct in_addr a = { htonl(host) };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static uint32_t
our_as(const struct bgpd *d)
{
	return d->conf ? d->conf->asn : 0;
}

/* ---- what each peer has: accepted, received, sent ---- */

struct counts {
	size_t sent[RIB_MAX_PEERS];
};

static void
count_cb(void *arg, const struct rib_dest *d)
{
	struct counts *c = arg;
	uint64_t adv = d->adv;
	int i;

	while (adv != 0) {
		i = __builtin_ctzll(adv);
		c->sent[i]++;
		adv &= adv - 1;
	}
}

/* Prefixes advertised to each peer (its Adj-RIB-Out), in one walk. */
static void
count_sent(struct bgpd *d, struct counts *c)
{
	memset(c, 0, sizeof(*c));
	if (d->rib == NULL)
		return;
	rib_foreach(d->rib, BGP_AFI_IPV4, count_cb, c);
	rib_foreach(d->rib, BGP_AFI_IPV6, count_cb, c);
}

/* Routes the peer has in the RIB (accepted, stale ones included). */
static size_t
peer_accepted(const struct peer *p)
{
	if (p->d->rib == NULL)
		return 0;
	return rib_peer_count(p->d->rib, p->rib_id, 0) +
	    rib_peer_count(p->d->rib, p->rib_id, 1);
}

/* Routes as received, if they are kept (soft reconfiguration). */
static bool
peer_received(struct peer *p, size_t *n)
{
	struct rib *in = rde_adj_rib_in(p->d);

	if (in == NULL || !p->conf.soft_reconfig)
		return false;
	*n =
	    rib_peer_count(in, p->rib_id, 0) + rib_peer_count(in, p->rib_id, 1);
	return true;
}

static const char *
peer_state_text(const struct peer *p)
{
	if (p->conf.shutdown)
		return "Idle (Admin)";
	if (p->held_down && p->state == FSM_IDLE)
		return "Idle (PfxCt)";
	return sess_state_name(p);
}

static uint32_t
peer_local_as(const struct peer *p)
{
	return p->conf.local_as ? p->conf.local_as : our_as(p->d);
}

/* Seconds established, 0 if not. */
static long
peer_uptime(const struct peer *p, time_t now)
{
	if (p->state != FSM_ESTABLISHED || p->st.last_change == 0)
		return 0;
	return (long)(now - p->st.last_change);
}

static void
json_uptime(const struct peer *p, FILE *out, time_t now)
{
	char up[32];

	fmt_duration(peer_uptime(p, now), up, sizeof(up));
	fprintf(out,
	    ",\"stateSeconds\":%ld,\"uptimeSeconds\":%ld,\"uptime\":\"%s\","
	    "\"establishedEpoch\":%ld",
	    p->st.last_change ? (long)(now - p->st.last_change) : 0L,
	    peer_uptime(p, now), up,
	    p->state == FSM_ESTABLISHED ? (long)p->st.last_change : 0L);
}

static void
json_prefix_counts(struct peer *p, const struct counts *c, FILE *out)
{
	size_t rcvd;

	fprintf(out, ",\"pfxRcd\":%zu,\"pfxAccepted\":%zu,\"pfxReceived\":",
	    peer_accepted(p), peer_accepted(p));
	if (peer_received(p, &rcvd))
		fprintf(out, "%zu", rcvd);
	else
		fputs("null", out);
	fprintf(out, ",\"pfxSent\":%zu", c->sent[p->rib_id]);
}

/* ---- provider profiles and the outbound cap ---- */

/* Prefixes withheld from a peer now: its cap, Tencent's aggregates. */
static size_t
peer_withheld(struct peer *p)
{
	struct rib_out_cap oc;
	size_t n = rde_tencent_withheld(p);

	if (p->d->rib == NULL || p->state != FSM_ESTABLISHED ||
	    profile_out_max(&p->conf) == 0)
		return n;
	for (int t = 0; t < 2; t++) {
		rib_out_cap(p->d->rib, p->rib_id, t, &oc);
		n += oc.held;
	}
	return n;
}

static void
json_u32_or_null(FILE *out, const char *key, uint32_t v)
{
	if (v != 0)
		fprintf(out, ",\"%s\":%u", key, v);
	else
		fprintf(out, ",\"%s\":null", key);
}

static void
json_str_or_null(FILE *out, const char *key, const char *v)
{
	fprintf(out, ",\"%s\":", key);
	if (v != NULL)
		show_json_str(out, v);
	else
		fputs("null", out);
}

/* What a profile and the HA preset put in force for a neighbor. */
static void
profile_json(struct peer *p, FILE *out)
{
	const struct conf_neighbor *n = &p->conf;
	const struct profile *pr = profile_of(n);
	uint16_t ms;
	uint8_t mult;

	json_str_or_null(out, "profile", pr ? pr->name : NULL);
	json_str_or_null(out, "ha", profile_ha_name(n->ha));
	if (pr == NULL && n->ha == PROFILE_HA_NONE) {
		fputs(",\"profileApplied\":null", out);
		return;
	}
	conf_neighbor_bfd(n, &ms, &mult);
	fprintf(out,
	    ",\"profileApplied\":{\"remoteAs\":%u,\"holdTime\":%u,"
	    "\"keepalive\":%u,\"md5Required\":%s,\"singleHop\":%s,"
	    "\"oneFamilyPerSession\":%s,\"bfdIntervalMs\":%u,"
	    "\"bfdMultiplier\":%u,\"gracefulRestart\":%s",
	    n->remote_as, conf_neighbor_holdtime(n), conf_neighbor_keepalive(n),
	    jbool(n->profile == PROFILE_AWS), jbool(n->profile == PROFILE_AWS),
	    jbool(n->profile == PROFILE_AWS), ms, mult,
	    jbool(conf_neighbor_gr(n)));
	json_u32_or_null(out, "maxPrefixOut", profile_out_max(n));
	json_u32_or_null(out, "haLocalPref",
	    n->ha == PROFILE_HA_PRIMARY      ? PROFILE_HA_LP_PRIMARY
		: n->ha == PROFILE_HA_BACKUP ? PROFILE_HA_LP_BACKUP
					     : 0);
	if (n->ha != PROFILE_HA_NONE && n->profile == PROFILE_AWS)
		fprintf(out, ",\"haOut\":\"community %s\"",
		    n->ha == PROFILE_HA_PRIMARY ? "7224:7300" : "7224:7100");
	else if (n->ha == PROFILE_HA_BACKUP)
		fprintf(out, ",\"haOut\":\"as-path prepend %u x%d\"",
		    peer_local_as(p), PROFILE_HA_PREPEND);
	else
		fputs(",\"haOut\":null", out);
	fprintf(
	    out, ",\"tencentRefusedWithheld\":%zu}", rde_tencent_withheld(p));
}

/* The outbound cap: per family advertised and withheld, or null. */
static void
cap_json(struct peer *p, FILE *out)
{
	uint32_t max = profile_out_max(&p->conf);
	struct rib_out_cap oc;
	char buf[64];

	if (max == 0) {
		fputs(",\"maxPrefixOut\":null", out);
		return;
	}
	fprintf(out, ",\"maxPrefixOut\":{\"limit\":%u,\"warnPercent\":%d", max,
	    PROFILE_OUT_WARN);
	for (int t = 0; t < 2; t++) {
		memset(&oc, 0, sizeof(oc));
		if (p->d->rib != NULL && p->state == FSM_ESTABLISHED)
			rib_out_cap(p->d->rib, p->rib_id, t, &oc);
		fprintf(out, ",\"%s\":{\"advertised\":%zu,\"withheld\":%zu",
		    t == 0 ? "ipv4" : "ipv6", oc.adv, oc.held);
		if (oc.held > 0) {
			pol_prefix_str(&oc.first_held, buf, sizeof(buf));
			json_str_or_null(out, "firstWithheld", buf);
		} else
			fputs(",\"firstWithheld\":null", out);
		fputc('}', out);
	}
	fputc('}', out);
}

static void
profile_text(struct peer *p, FILE *out)
{
	const struct conf_neighbor *n = &p->conf;
	const struct profile *pr = profile_of(n);
	uint32_t max = profile_out_max(n);
	struct rib_out_cap oc;
	char buf[64];
	uint16_t ms;
	uint8_t mult;

	if (pr != NULL) {
		conf_neighbor_bfd(n, &ms, &mult);
		fprintf(out,
		    "  Profile %s (%s): remote AS %u, hold %u s, keepalive "
		    "%u s, BFD %u ms x %u%s, graceful restart %s\n",
		    pr->name, pr->cloud, n->remote_as,
		    conf_neighbor_holdtime(n), conf_neighbor_keepalive(n), ms,
		    mult, n->bfd ? "" : " (when on)",
		    conf_neighbor_gr(n) ? "on" : "off (BFD is on)");
		if (n->profile == PROFILE_AWS)
			fputs("  Checked: MD5 key of 6-80 characters, single "
			      "hop (TTL 1, no GTSM), one family per session, "
			      "hold time not 0\n",
			    out);
		if (n->profile == PROFILE_TENCENT)
			fprintf(out,
			    "  Tencent's forbidden aggregates withheld: %zu\n",
			    rde_tencent_withheld(p));
	}
	if (n->ha != PROFILE_HA_NONE) {
		fprintf(out, "  HA preset %s: local preference %d in",
		    profile_ha_name(n->ha),
		    n->ha == PROFILE_HA_PRIMARY ? PROFILE_HA_LP_PRIMARY
						: PROFILE_HA_LP_BACKUP);
		if (n->profile == PROFILE_AWS)
			fprintf(out, "; community %s out\n",
			    n->ha == PROFILE_HA_PRIMARY ? "7224:7300"
							: "7224:7100");
		else if (n->ha == PROFILE_HA_BACKUP)
			fprintf(out, "; our AS prepended %d times out\n",
			    PROFILE_HA_PREPEND);
		else
			fputs("\n", out);
	}
	if (max == 0)
		return;
	fprintf(out, "  Outbound cap %u prefixes per family (warning at %d%%)",
	    max, PROFILE_OUT_WARN);
	for (int t = 0; t < 2; t++) {
		if (!(conf_neighbor_af(n) &
			(t == 0 ? CONF_AF_IPV4 : CONF_AF_IPV6)))
			continue;
		memset(&oc, 0, sizeof(oc));
		if (p->d->rib != NULL && p->state == FSM_ESTABLISHED)
			rib_out_cap(p->d->rib, p->rib_id, t, &oc);
		fprintf(out, "; %s %zu advertised, %zu withheld",
		    t == 0 ? "IPv4" : "IPv6", oc.adv, oc.held);
		if (oc.held > 0) {
			pol_prefix_str(&oc.first_held, buf, sizeof(buf));
			fprintf(out, " (first %s)", buf);
		}
	}
	fputc('\n', out);
}

/* ---- show bgp summary ---- */

static void
summary_json(struct bgpd *d, FILE *out, unsigned n, unsigned est)
{
	struct counts c;
	struct peer *p;
	char idbuf[INET_ADDRSTRLEN];
	time_t now = time(NULL);
	bool first = true;

	count_sent(d, &c);
	fprintf(out,
	    "{\"routerId\":\"%s\",\"as\":%u,\"peerCount\":%u,"
	    "\"establishedCount\":%u,\"peers\":{",
	    ipv4_str(d->router_id, idbuf), our_as(d), n, est);
	for (p = d->peers; p != NULL; p = p->next) {
		fprintf(out,
		    "%s\"%s\":{\"remoteAs\":%u,\"localAs\":%u,"
		    "\"state\":",
		    first ? "" : ",", p->name, p->conf.remote_as,
		    peer_local_as(p));
		show_json_str(out, peer_state_text(p));
		json_uptime(p, out, now);
		fprintf(out,
		    ",\"msgRcvd\":%" PRIu64 ",\"msgSent\":%" PRIu64
		    ",\"establishedTransitions\":%u",
		    sum(p->st.msg_in, NMSG), sum(p->st.msg_out, NMSG),
		    p->st.established);
		json_prefix_counts(p, &c, out);
		if (p->conf.max_prefix != 0)
			fprintf(out, ",\"maxPrefix\":%u", p->conf.max_prefix);
		else
			fputs(",\"maxPrefix\":null", out);
		fputs(",\"description\":", out);
		show_json_str(out, p->conf.description);
		json_str_or_null(out, "profile",
		    profile_of(&p->conf) ? profile_of(&p->conf)->name : NULL);
		json_u32_or_null(
		    out, "maxPrefixOut", profile_out_max(&p->conf));
		fprintf(out, ",\"pfxWithheld\":%zu", peer_withheld(p));
		fputc('}', out);
		first = false;
	}
	fputs("}}\n", out);
}

void
show_bgp_summary(struct bgpd *d, FILE *out, bool json)
{
	struct counts c;
	struct peer *p;
	char idbuf[INET_ADDRSTRLEN], up[32], state[48], sent[24];
	time_t now = time(NULL);
	unsigned int n = 0, est = 0;
	size_t held, nheld = 0;

	for (p = d->peers; p != NULL; p = p->next) {
		n++;
		est += p->state == FSM_ESTABLISHED;
	}
	if (json) {
		summary_json(d, out, n, est);
		return;
	}
	count_sent(d, &c);
	fprintf(out, "BGP router identifier %s, local AS number %u\n",
	    ipv4_str(d->router_id, idbuf), our_as(d));
	fprintf(out, "Neighbors: %u configured, %u established\n\n", n, est);
	fprintf(out, "%-25s %10s %9s %9s %8s  %-14s %6s  %s\n", "Neighbor",
	    "AS", "MsgRcvd", "MsgSent", "Up/Down", "State/PfxRcd", "PfxSnt",
	    "Description");
	for (p = d->peers; p != NULL; p = p->next) {
		if (p->st.last_change)
			fmt_duration(now - p->st.last_change, up, sizeof(up));
		else
			snprintf(up, sizeof(up), "never");
		if (p->state != FSM_ESTABLISHED)
			snprintf(
			    state, sizeof(state), "%s", peer_state_text(p));
		else if (p->conf.max_prefix != 0)
			snprintf(state, sizeof(state), "%zu/%u",
			    peer_accepted(p), p->conf.max_prefix);
		else
			snprintf(state, sizeof(state), "%zu", peer_accepted(p));
		if (p->state != FSM_ESTABLISHED)
			snprintf(sent, sizeof(sent), "-");
		else if (profile_out_max(&p->conf) != 0)
			snprintf(sent, sizeof(sent), "%zu/%u",
			    c.sent[p->rib_id], profile_out_max(&p->conf));
		else
			snprintf(sent, sizeof(sent), "%zu", c.sent[p->rib_id]);
		fprintf(out,
		    "%-25s %10u %9" PRIu64 " %9" PRIu64 " %8s  %-14s %6s  %s\n",
		    p->name, p->conf.remote_as, sum(p->st.msg_in, NMSG),
		    sum(p->st.msg_out, NMSG), up, state, sent,
		    p->conf.description);
	}
	if (n > 0)
		fputs("\nState/PfxRcd: routes accepted from an established "
		      "neighbor, /its maximum-prefix limit if set\n"
		      "PfxSnt: prefixes advertised, /its outbound cap per "
		      "family if set\n",
		    out);
	for (p = d->peers; p != NULL; p = p->next) {
		if ((held = peer_withheld(p)) == 0)
			continue;
		if (nheld++ == 0)
			fputc('\n', out);
		fprintf(out,
		    "%s: %zu prefix%s withheld (%s; show bgp neighbors %s)\n",
		    p->name, held, held == 1 ? "" : "es",
		    p->conf.profile == PROFILE_TENCENT
			? "outbound cap or Tencent's forbidden aggregates"
			: "outbound cap",
		    p->name);
	}
}

/* ---- show bgp neighbors ---- */

static void
notification_json(const struct peer *p, FILE *out)
{
	const struct peer_stats *st = &p->st;

	if (st->last_err_code == 0)
		return;
	fprintf(out,
	    ",\"lastNotification\":{\"code\":%u,\"subcode\":%u,"
	    "\"codeName\":",
	    st->last_err_code, st->last_err_subcode);
	show_json_str(out, wire_err_code_name(st->last_err_code));
	fputs(",\"subcodeName\":", out);
	show_json_str(out,
	    wire_err_subcode_name(st->last_err_code, st->last_err_subcode));
	fprintf(
	    out, ",\"sent\":%s,\"shutdownMessage\":", jbool(st->last_err_sent));
	show_json_str(out, st->last_shutdown_msg);
	fputc('}', out);
}

static void
max_prefix_json(const struct peer *p, FILE *out)
{
	const struct conf_neighbor *n = &p->conf;

	if (n->max_prefix == 0) {
		fputs(",\"maxPrefix\":null", out);
		return;
	}
	fprintf(out,
	    ",\"maxPrefix\":{\"limit\":%u,\"warnPercent\":%u,"
	    "\"warningOnly\":%s,\"restartMinutes\":%u,\"exceeded\":%s,"
	    "\"heldDown\":%s}",
	    n->max_prefix, n->max_prefix_warn, jbool(n->max_prefix_warn_only),
	    n->max_prefix_restart, jbool(p->prefix_over), jbool(p->held_down));
}

static void
nego_json(const struct peer *p, FILE *out)
{
	const struct sess_nego *ng = &p->nego;
	char idbuf[INET_ADDRSTRLEN];

	fprintf(out,
	    ",\"remoteRouterId\":\"%s\",\"holdTime\":%u,"
	    "\"keepalive\":%u,\"fourOctetAs\":%s,"
	    "\"extendedMessage\":%s,\"routeRefresh\":%s,"
	    "\"enhancedRouteRefresh\":%s,\"ipv4Unicast\":%s,"
	    "\"ipv6Unicast\":%s,\"addPathReceive\":%s,"
	    "\"gracefulRestart\":%s,\"gracefulRestartTime\":%u",
	    ipv4_str(ng->peer_id, idbuf), ng->holdtime, ng->keepalive,
	    jbool(ng->as4), jbool(ng->ext_message_tx), jbool(ng->route_refresh),
	    jbool(ng->enhanced_rr), jbool(ng->af & CONF_AF_IPV4),
	    jbool(ng->af & CONF_AF_IPV6), jbool(ng->addpath_rx != 0),
	    jbool(ng->gr), ng->gr ? ng->gr_time : 0);
}

/* A policy name as JSON: the string, or null if none. */
static void
json_name(FILE *out, const char *key, const char *v)
{
	fprintf(out, "\"%s\":", key);
	if (v[0] == '\0')
		fputs("null", out);
	else
		show_json_str(out, v);
}

/*
 * Per family the neighbor exchanges: its route-maps and prefix lists,
 * and why routes are held back as a whole (RFC 8212...), if they are.
 */
static void
policy_json(struct peer *p, FILE *out)
{
	static const char *fam[2] = { "ipv4", "ipv6" };
	uint8_t af = conf_neighbor_af(&p->conf);
	const char *why;
	bool first = true;
	int i;

	fputs(",\"policy\":{", out);
	for (i = 0; i < 2; i++) {
		const struct conf_nbr_pol *np = &p->conf.pol[i];
		uint16_t afi = i == 0 ? BGP_AFI_IPV4 : BGP_AFI_IPV6;

		if (!(af & (i == 0 ? CONF_AF_IPV4 : CONF_AF_IPV6)))
			continue;
		fprintf(out, "%s\"%s\":{", first ? "" : ",", fam[i]);
		first = false;
		json_name(out, "routeMapIn", np->rmap_in);
		fputc(',', out);
		json_name(out, "prefixListIn", np->plist_in);
		fputc(',', out);
		json_name(out, "routeMapOut", np->rmap_out);
		fputc(',', out);
		json_name(out, "prefixListOut", np->plist_out);
		why = rde_held_back(p, afi, false);
		fputs(",\"heldIn\":", out);
		why ? show_json_str(out, why) : (void)fputs("null", out);
		why = rde_held_back(p, afi, true);
		fputs(",\"heldOut\":", out);
		why ? show_json_str(out, why) : (void)fputs("null", out);
		fputc('}', out);
	}
	fputc('}', out);
}

static void
policy_text(struct peer *p, FILE *out)
{
	static const char *fam[2] = { "IPv4", "IPv6" };
	uint8_t af = conf_neighbor_af(&p->conf);
	const char *why;
	int i, d;

	for (i = 0; i < 2; i++) {
		const struct conf_nbr_pol *np = &p->conf.pol[i];
		uint16_t afi = i == 0 ? BGP_AFI_IPV4 : BGP_AFI_IPV6;

		if (!(af & (i == 0 ? CONF_AF_IPV4 : CONF_AF_IPV6)))
			continue;
		for (d = 0; d < 2; d++) {
			const char *rm = d ? np->rmap_out : np->rmap_in;
			const char *pl = d ? np->plist_out : np->plist_in;

			fprintf(out, "  %s %s policy:", fam[i],
			    d ? "outbound" : "inbound");
			if (pl[0] != '\0')
				fprintf(out, " prefix-list %s", pl);
			if (rm[0] != '\0')
				fprintf(out, " route-map %s", rm);
			if (pl[0] == '\0' && rm[0] == '\0')
				fputs(" none", out);
			why = rde_held_back(p, afi, d == 1);
			if (why != NULL)
				fprintf(out, "; routes held back: %s", why);
			fputc('\n', out);
		}
	}
}

static void
neighbor_json(struct peer *p, const struct counts *c, FILE *out, time_t now)
{
	const struct conf_neighbor *n = &p->conf;
	const struct peer_stats *st = &p->st;

	fprintf(out,
	    "\"%s\":{\"remoteAs\":%u,\"localAs\":%u,\"state\":", p->name,
	    n->remote_as, peer_local_as(p));
	show_json_str(out, peer_state_text(p));
	fprintf(out, ",\"link\":\"%s\",\"description\":",
	    n->remote_as == our_as(p->d) ? "internal" : "external");
	show_json_str(out, n->description);
	/* Whether a key is set, never the key. */
	fprintf(out,
	    ",\"port\":%u,\"md5\":%s,\"passive\":%s,\"shutdown\":%s,"
	    "\"shutdownMessage\":",
	    n->port, jbool(n->password[0] != '\0'), jbool(n->passive),
	    jbool(n->shutdown));
	show_json_str(out, n->shutdown ? n->shutdown_msg : "");
	json_uptime(p, out, now);
	fprintf(out,
	    ",\"establishedTransitions\":%u,\"droppedTransitions\":%u,"
	    "\"configuredHoldTime\":%u,\"configuredKeepalive\":%u,"
	    "\"connectRetryTime\":%u,\"advertisementInterval\":%u,"
	    "\"softReconfigInbound\":%s",
	    st->established, st->dropped, conf_neighbor_holdtime(n),
	    conf_neighbor_keepalive(n), n->connect_retry, n->mrai,
	    jbool(n->soft_reconfig));
	if (p->state == FSM_ESTABLISHED)
		nego_json(p, out);
	fprintf(out,
	    ",\"messages\":{\"openIn\":%" PRIu64 ",\"updateIn\":%" PRIu64
	    ",\"notificationIn\":%" PRIu64 ",\"keepaliveIn\":%" PRIu64
	    ",\"routeRefreshIn\":%" PRIu64 ",\"openOut\":%" PRIu64
	    ",\"updateOut\":%" PRIu64 ",\"notificationOut\":%" PRIu64
	    ",\"keepaliveOut\":%" PRIu64 ",\"routeRefreshOut\":%" PRIu64 "}",
	    st->msg_in[BGP_MSG_OPEN], st->msg_in[BGP_MSG_UPDATE],
	    st->msg_in[BGP_MSG_NOTIFICATION], st->msg_in[BGP_MSG_KEEPALIVE],
	    st->msg_in[BGP_MSG_ROUTE_REFRESH], st->msg_out[BGP_MSG_OPEN],
	    st->msg_out[BGP_MSG_UPDATE], st->msg_out[BGP_MSG_NOTIFICATION],
	    st->msg_out[BGP_MSG_KEEPALIVE], st->msg_out[BGP_MSG_ROUTE_REFRESH]);
	fprintf(out,
	    ",\"updateErrors\":%" PRIu64 ",\"prefixesAnnounced\":%" PRIu64
	    ",\"prefixesWithdrawn\":%" PRIu64 ",\"prefixesRefused\":%" PRIu64,
	    st->update_errors, st->nlri_in, st->withdraw_in, st->nlri_refused);
	fprintf(out, ",\"prefixesDenied\":%" PRIu64, st->nlri_denied);
	json_prefix_counts(p, c, out);
	max_prefix_json(p, out);
	profile_json(p, out);
	cap_json(p, out);
	policy_json(p, out);
	notification_json(p, out);
	fprintf(out, ",\"lastReason\":");
	show_json_str(out, st->last_reason);
	fputc('}', out);
}

static void
notification_text(const struct peer *p, FILE *out)
{
	const struct peer_stats *st = &p->st;
	const char *sub =
	    wire_err_subcode_name(st->last_err_code, st->last_err_subcode);

	if (st->last_err_code == 0)
		return;
	fprintf(out, "  Last NOTIFICATION %s: %u/%u (%s%s%s)\n",
	    st->last_err_sent ? "sent" : "received", st->last_err_code,
	    st->last_err_subcode, wire_err_code_name(st->last_err_code),
	    *sub ? ", " : "", sub);
	if (st->last_shutdown_msg[0] != '\0')
		fprintf(out, "    Shutdown message: \"%s\"\n",
		    st->last_shutdown_msg);
}

static void
prefixes_text(struct peer *p, const struct counts *c, FILE *out)
{
	const struct conf_neighbor *n = &p->conf;
	const struct peer_stats *st = &p->st;
	size_t rcvd;

	fprintf(out, "  Prefixes: %zu accepted", peer_accepted(p));
	if (peer_received(p, &rcvd))
		fprintf(out, ", %zu received (stored)", rcvd);
	fprintf(out, ", %zu sent\n", c->sent[p->rib_id]);
	fprintf(out,
	    "  Prefixes announced %" PRIu64 ", withdrawn %" PRIu64
	    ", refused on import %" PRIu64 ", UPDATE errors %" PRIu64 "\n",
	    st->nlri_in, st->withdraw_in, st->nlri_refused, st->update_errors);
	fprintf(out, "  Inbound soft reconfiguration %s\n",
	    n->soft_reconfig ? "enabled" : "not enabled");
	policy_text(p, out);
	profile_text(p, out);
	if (n->max_prefix == 0)
		return;
	fprintf(out, "  Maximum prefixes %u, warning at %u%%, ", n->max_prefix,
	    n->max_prefix_warn);
	if (n->max_prefix_warn_only)
		fputs("warning only", out);
	else if (n->max_prefix_restart)
		fprintf(out, "restart after %u min", n->max_prefix_restart);
	else
		fputs("stays down until cleared", out);
	fprintf(out, "%s\n",
	    p->held_down         ? "; exceeded, held down"
		: p->prefix_over ? "; exceeded"
				 : "");
}

static void
neighbor_text(struct peer *p, const struct counts *c, FILE *out, time_t now)
{
	const struct sess_nego *ng = &p->nego;
	const struct conf_neighbor *n = &p->conf;
	char dur[32], idbuf[INET_ADDRSTRLEN];

	fmt_duration(
	    p->st.last_change ? now - p->st.last_change : 0, dur, sizeof(dur));
	fprintf(out, "BGP neighbor is %s, remote AS %u, local AS %u, %s link\n",
	    p->name, n->remote_as, peer_local_as(p),
	    n->remote_as == our_as(p->d) ? "internal" : "external");
	if (n->description[0])
		fprintf(out, " Description: %s\n", n->description);
	fprintf(out, "  BGP state = %s, for %s\n", peer_state_text(p), dur);
	if (n->shutdown && n->shutdown_msg[0])
		fprintf(out, "  Shut down by configuration: \"%s\"\n",
		    n->shutdown_msg);
	fprintf(out, "  Port %u; TCP MD5 authentication %s; %s\n", n->port,
	    n->password[0] ? "on" : "off",
	    n->passive ? "passive (waits to be connected)"
		       : "connects actively");
	fprintf(out,
	    "  Configured hold time %u s, keepalive %u s, connect retry "
	    "%u s, advertisement interval %u s\n",
	    conf_neighbor_holdtime(n), conf_neighbor_keepalive(n),
	    n->connect_retry, n->mrai);
	if (p->state == FSM_ESTABLISHED) {
		fprintf(out,
		    "  Remote router ID %s\n"
		    "  Negotiated hold time %u s, keepalive %u s\n"
		    "  Capabilities: %s%s%s%s%s%s%s%s\n",
		    ipv4_str(ng->peer_id, idbuf), ng->holdtime, ng->keepalive,
		    ng->as4 ? "4-octet-AS " : "",
		    (ng->af & CONF_AF_IPV4) ? "IPv4-unicast " : "",
		    (ng->af & CONF_AF_IPV6) ? "IPv6-unicast " : "",
		    ng->route_refresh ? "route-refresh " : "",
		    ng->enhanced_rr ? "enhanced-route-refresh " : "",
		    ng->ext_message_tx ? "extended-message " : "",
		    ng->addpath_rx ? "add-path(receive) " : "",
		    ng->gr ? "graceful-restart" : "");
	}
	fprintf(out, "  Established %u times, dropped %u times\n",
	    p->st.established, p->st.dropped);
	fprintf(out,
	    "  Messages received: %" PRIu64 " (%" PRIu64 " updates), "
	    "sent: %" PRIu64 " (%" PRIu64 " updates)\n",
	    sum(p->st.msg_in, NMSG), p->st.msg_in[BGP_MSG_UPDATE],
	    sum(p->st.msg_out, NMSG), p->st.msg_out[BGP_MSG_UPDATE]);
	prefixes_text(p, c, out);
	notification_text(p, out);
	if (p->st.last_reason[0])
		fprintf(out, "  Last event: %s\n", p->st.last_reason);
	fputc('\n', out);
}

int
show_bgp_neighbors(
    struct bgpd *d, const struct conf_addr *addr, FILE *out, bool json)
{
	struct counts c;
	struct peer *p;
	time_t now = time(NULL);
	bool first = true;

	if (addr != NULL && bgpd_peer_find(d, addr) == NULL)
		return -1;
	count_sent(d, &c);
	if (json)
		fputc('{', out);
	for (p = d->peers; p != NULL; p = p->next) {
		if (addr != NULL && !conf_addr_eq(addr, &p->conf.addr))
			continue;
		if (json) {
			if (!first)
				fputc(',', out);
			neighbor_json(p, &c, out, now);
		} else
			neighbor_text(p, &c, out, now);
		first = false;
	}
	if (json)
		fputs("}\n", out);
	return 0;
}

/* ---- attributes ---- */

static const char *
peer_name_by_id(struct bgpd *d, uint16_t id)
{
	struct peer *p;

	if (id == RIB_PEER_LOCAL)
		return "local";
	for (p = d->peers; p != NULL; p = p->next)
		if (p->rib_id == id)
			return p->name;
	return "?";
}

static struct peer *
peer_by_id(struct bgpd *d, uint16_t id)
{
	struct peer *p;

	for (p = d->peers; p != NULL; p = p->next)
		if (p->rib_id == id)
			return p;
	return NULL;
}

static void
fmt_prefix(const struct rib_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(
	    p->afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
}

static void
fmt_nexthop(const struct rib_attrs *a, char *buf, size_t len)
{
	if (a->nh_len == 4)
		inet_ntop(AF_INET, a->nexthop, buf, (socklen_t)len);
	else if (a->nh_len >= 16)
		inet_ntop(AF_INET6, a->nexthop, buf, (socklen_t)len);
	else
		snprintf(buf, len, "-");
}

static const char *
origin_name(uint8_t o)
{
	return o == BGP_ORIGIN_IGP ? "IGP"
	    : o == BGP_ORIGIN_EGP  ? "EGP"
				   : "incomplete";
}

static char
origin_code(uint8_t o)
{
	return o == BGP_ORIGIN_IGP ? 'i' : o == BGP_ORIGIN_EGP ? 'e' : '?';
}

/* The AS path as text, in a buffer to free. */
static char *
aspath_str(const struct rib_attrs *a)
{
	/* Each 4-byte AS at most 10 digits, a blank and a bracket. */
	size_t cap = (size_t)a->aspath_len * 4 + 16;
	char *s = malloc(cap);

	if (s == NULL)
		abort();
	wire_aspath_format(rib_attrs_aspath(a), a->aspath_len, s, cap);
	return s;
}

/*
 * An extended community (RFC 4360) as FRR writes it: RT:X:Y, SoO:X:Y
 * for the two-octet AS, IPv4 and four-octet AS specific types (RFC
 * 5668), else its 8 bytes in hex.
 */
static void
fmt_ecomm(const uint8_t *e, char *buf, size_t len)
{
	uint8_t type = e[0] & 0x3f; /* without the IANA/transitive bits */
	const char *sub = e[1] == 0x02 ? "RT" : e[1] == 0x03 ? "SoO" : NULL;
	char a[INET_ADDRSTRLEN];

	if (sub != NULL && type == 0x00)
		snprintf(buf, len, "%s:%u:%u", sub, get16(e + 2), get32(e + 4));
	else if (sub != NULL && type == 0x01)
		snprintf(buf, len, "%s:%s:%u", sub, ipv4_str(get32(e + 2), a),
		    get16(e + 6));
	else if (sub != NULL && type == 0x02)
		snprintf(buf, len, "%s:%u:%u", sub, get32(e + 2), get16(e + 6));
	else
		snprintf(buf, len, "0x%02x%02x%02x%02x%02x%02x%02x%02x", e[0],
		    e[1], e[2], e[3], e[4], e[5], e[6], e[7]);
}

/* The lists of an attribute set, each item formatted by kind. */
enum list_kind { L_COMM, L_LCOMM, L_ECOMM, L_CLUSTER };

static void
list_item(const struct rib_attrs *a, enum list_kind k, size_t i, char *buf,
    size_t len)
{
	const uint8_t *p;

	switch (k) {
	case L_COMM:
		p = rib_attrs_comm(a) + i * 4;
		snprintf(buf, len, "%u:%u", get16(p), get16(p + 2));
		break;
	case L_LCOMM:
		p = rib_attrs_lcomm(a) + i * 12;
		snprintf(
		    buf, len, "%u:%u:%u", get32(p), get32(p + 4), get32(p + 8));
		break;
	case L_ECOMM:
		fmt_ecomm(rib_attrs_ecomm(a) + i * 8, buf, len);
		break;
	case L_CLUSTER:
		ipv4_str(get32(rib_attrs_cluster(a) + i * 4), buf);
		break;
	}
}

static size_t
list_len(const struct rib_attrs *a, enum list_kind k)
{
	switch (k) {
	case L_COMM:
		return a->comm_len / 4;
	case L_LCOMM:
		return a->lcomm_len / 12;
	case L_ECOMM:
		return a->ecomm_len / 8;
	case L_CLUSTER:
		return a->cluster_len / 4;
	}
	return 0;
}

static void
list_json(
    FILE *out, const char *key, const struct rib_attrs *a, enum list_kind k)
{
	char buf[64];
	size_t i, n = list_len(a, k);

	fprintf(out, ",\"%s\":[", key);
	for (i = 0; i < n; i++) {
		list_item(a, k, i, buf, sizeof(buf));
		fprintf(out, "%s\"%s\"", i ? "," : "", buf);
	}
	fputc(']', out);
}

static void
list_text(
    FILE *out, const char *label, const struct rib_attrs *a, enum list_kind k)
{
	char buf[64];
	size_t i, n = list_len(a, k);

	if (n == 0)
		return;
	fprintf(out, "      %s:", label);
	for (i = 0; i < n; i++) {
		list_item(a, k, i, buf, sizeof(buf));
		fprintf(out, " %s", buf);
	}
	fputc('\n', out);
}

/* The attributes' keys of a path object, after its first key. */
static void
attrs_json(FILE *out, const struct rib_attrs *a)
{
	char nh[INET6_ADDRSTRLEN], buf[INET_ADDRSTRLEN];
	char *path = aspath_str(a);

	fmt_nexthop(a, nh, sizeof(nh));
	fprintf(out, ",\"nexthop\":\"%s\"", nh);
	if (a->nh_len == 32 &&
	    inet_ntop(AF_INET6, a->nexthop + 16, nh, sizeof(nh)) != NULL)
		fprintf(out, ",\"nexthopLocal\":\"%s\"", nh);
	fprintf(out, ",\"path\":\"%s\",\"origin\":\"%s\"", path,
	    origin_name(a->origin));
	free(path);
	if (a->flags & RIB_A_MED)
		fprintf(out, ",\"med\":%u", a->med);
	if (a->flags & RIB_A_LOCAL_PREF)
		fprintf(out, ",\"localPref\":%u", a->local_pref);
	list_json(out, "communities", a, L_COMM);
	list_json(out, "largeCommunities", a, L_LCOMM);
	list_json(out, "extCommunities", a, L_ECOMM);
	if (a->flags & RIB_A_ORIGINATOR)
		fprintf(out, ",\"originatorId\":\"%s\"",
		    ipv4_str(a->originator_id, buf));
	list_json(out, "clusterList", a, L_CLUSTER);
	fprintf(out, ",\"atomicAggregate\":%s",
	    jbool(a->flags & RIB_A_ATOMIC_AGGR));
	if (a->flags & RIB_A_AGGREGATOR)
		fprintf(out, ",\"aggregator\":{\"as\":%u,\"address\":\"%s\"}",
		    a->aggr_as, ipv4_str(a->aggr_addr, buf));
}

/* Best, multipath and the other flags of the i-th path of d. */
static void
path_json(struct bgpd *bd, FILE *out, const struct rib_dest *d,
    const struct rib_path *p, unsigned i)
{
	struct peer *src = peer_by_id(bd, p->peer);
	char idbuf[INET_ADDRSTRLEN];

	fprintf(out,
	    "{\"best\":%s,\"multipath\":%s,\"valid\":%s,\"ineligible\":%s,"
	    "\"stale\":%s,\"peer\":",
	    jbool(i == 0 && d->nbest > 0), jbool(i > 0 && i < d->nbest),
	    jbool(!(p->flags & RIB_P_INELIGIBLE)),
	    jbool(p->flags & RIB_P_INELIGIBLE), jbool(p->flags & RIB_P_STALE));
	show_json_str(out, peer_name_by_id(bd, p->peer));
	if (src != NULL) {
		fprintf(out, ",\"peerAs\":%u,\"peerRouterId\":\"%s\"",
		    src->conf.remote_as, ipv4_str(src->nego.peer_id, idbuf));
		fprintf(out, ",\"peerType\":\"%s\"",
		    src->conf.remote_as == our_as(bd) ? "internal"
						      : "external");
	} else
		fputs(",\"peerType\":\"local\"", out);
	if (p->path_id != 0)
		fprintf(out, ",\"pathId\":%u", p->path_id);
	attrs_json(out, p->attrs);
	fputc('}', out);
}

/* One line of a table: status, prefix, next hop, MED, LOCAL_PREF, path. */
static void
row_text(FILE *out, char status, char best, const char *pfx,
    const struct rib_attrs *a)
{
	char nh[INET6_ADDRSTRLEN], med[16] = "", lp[16] = "";
	char *path = aspath_str(a);

	fmt_nexthop(a, nh, sizeof(nh));
	if (a->flags & RIB_A_MED)
		snprintf(med, sizeof(med), "%u", a->med);
	if (a->flags & RIB_A_LOCAL_PREF)
		snprintf(lp, sizeof(lp), "%u", a->local_pref);
	fprintf(out, "%c%c %-20s %-16s %10s %6s %s%s%c\n", status, best, pfx,
	    nh, med, lp, path, a->aspath_len ? " " : "",
	    origin_code(a->origin));
	free(path);
}

static char
path_status(const struct rib_path *p)
{
	return (p->flags & RIB_P_INELIGIBLE) ? ' '
	    : (p->flags & RIB_P_STALE)       ? 'S'
					     : '*';
}

static char
path_best(const struct rib_dest *d, unsigned i)
{
	return i == 0 && d->nbest > 0 ? '>' : i < d->nbest ? '=' : ' ';
}

static void
table_header(struct bgpd *d, FILE *out)
{
	char idbuf[INET_ADDRSTRLEN];

	fprintf(out, "BGP table, local router ID %s, local AS %u\n",
	    ipv4_str(d->router_id, idbuf), our_as(d));
	fprintf(out,
	    "Status codes: * valid, > best, = multipath, S stale\n"
	    "Origin codes: i IGP, e EGP, ? incomplete\n\n");
	fprintf(out, "   %-20s %-16s %10s %6s %s\n", "Network", "Next Hop",
	    "Metric", "LocPrf", "Path");
}

/* ---- show bgp ipv4|ipv6 unicast ---- */

struct route_walk {
	struct bgpd *d;
	FILE *out;
	bool json;
	bool first;
	size_t n;
};

static void
route_cb(void *arg, const struct rib_dest *d)
{
	struct route_walk *w = arg;
	char pfx[INET6_ADDRSTRLEN + 8];
	const struct rib_path *p;
	unsigned int i = 0;

	fmt_prefix(&d->pfx, pfx, sizeof(pfx));
	if (w->json)
		fprintf(w->out, "%s\"%s\":[", w->first ? "" : ",", pfx);
	w->first = false;
	for (p = d->paths; p != NULL; p = p->next, i++) {
		if (w->json) {
			if (i > 0)
				fputc(',', w->out);
			path_json(w->d, w->out, d, p, i);
		} else
			row_text(w->out, path_status(p), path_best(d, i),
			    i == 0 ? pfx : "", p->attrs);
		w->n++;
	}
	if (w->json)
		fputc(']', w->out);
}

struct nbr_walk {
	struct bgpd *d;
	struct peer *p;
	enum show_nbr_routes kind;
	FILE *out;
	bool json;
	bool first;
	size_t n;
};

/*
 * ---- tables in parts ----
 *
 * A full table is a million prefixes: its text is made a few thousand
 * prefixes at a time (cmd_more), from a sorted snapshot of the
 * prefixes, each looked up again when its turn comes, as routes (and
 * neighbors) may come and go in between.
 */

#define SHOW_PART 2000 /* prefixes per part */

struct show_stream {
	struct bgpd *d;
	bool json;
	bool table; /* the whole table; else a neighbor's routes */
	enum show_nbr_routes kind;
	struct conf_addr addr; /* the neighbor */
	uint16_t afi;          /* the table's family */
	struct rib_prefix *v;  /* the snapshot */
	size_t n, i;
	size_t count; /* paths or prefixes shown so far */
	bool first;
};

static void
stream_snapshot(struct show_stream *s, const struct rib *rib)
{
	struct rib_prefix *v4, *v6;
	size_t n4 = 0, n6 = 0;

	if (rib == NULL)
		return;
	if (s->table) {
		s->v = rib_prefixes(rib, s->afi, &s->n);
		return;
	}
	v4 = rib_prefixes(rib, BGP_AFI_IPV4, &n4);
	v6 = rib_prefixes(rib, BGP_AFI_IPV6, &n6);
	s->n = n4 + n6;
	if (s->n == 0) {
		free(v4);
		free(v6);
		return;
	}
	s->v = realloc(v4, s->n * sizeof(*s->v));
	if (s->v == NULL)
		abort();
	if (n6 > 0)
		memcpy(s->v + n4, v6, n6 * sizeof(*v6));
	free(v6);
}

void
show_stream_free(void *arg)
{
	struct show_stream *s = arg;

	free(s->v);
	free(s);
}

static void nbr_cb(void *arg, const struct rib_dest *d);
static void nbr_footer(struct show_stream *s, const struct peer *p, FILE *out);

bool
show_stream_part(void *arg, FILE *out)
{
	struct show_stream *s = arg;
	struct route_walk rw = { s->d, out, s->json, s->first, s->count };
	struct nbr_walk nw = { s->d, NULL, s->kind, out, s->json, s->first,
		s->count };
	const struct rib *rib = s->d->rib;
	const struct rib_dest *d;
	size_t end = s->i + SHOW_PART < s->n ? s->i + SHOW_PART : s->n;

	if (!s->table) {
		nw.p = bgpd_peer_find(s->d, &s->addr);
		if (nw.p == NULL) {
			fprintf(out,
			    "%s%% neighbor removed while it was shown\n",
			    s->json ? "\n" : "");
			return false;
		}
		if (s->kind == SHOW_RECEIVED)
			rib = rde_adj_rib_in(s->d);
	}
	for (; s->i < end && rib != NULL; s->i++) {
		d = rib_lookup(rib, &s->v[s->i]);
		if (d == NULL || d->paths == NULL)
			continue;
		if (s->table)
			route_cb(&rw, d);
		else
			nbr_cb(&nw, d);
	}
	s->first = s->table ? rw.first : nw.first;
	s->count = s->table ? rw.n : nw.n;
	if (s->i < s->n)
		return true;
	if (!s->table)
		nbr_footer(s, nw.p, out);
	else if (s->json)
		fputs("}}\n", out);
	else
		fprintf(out, "\nDisplayed %zu paths\n", s->count);
	return false;
}

void *
show_bgp_routes_begin(struct bgpd *d, uint16_t afi, FILE *out, bool json)
{
	struct show_stream *s = cmd_xcalloc(1, sizeof(*s));
	char idbuf[INET_ADDRSTRLEN];

	s->d = d;
	s->json = json;
	s->table = true;
	s->afi = afi;
	s->first = true;
	stream_snapshot(s, d->rib);
	if (json)
		fprintf(out, "{\"routerId\":\"%s\",\"as\":%u,\"routes\":{",
		    ipv4_str(d->router_id, idbuf), our_as(d));
	else
		table_header(d, out);
	return s;
}

void
show_bgp_routes(struct bgpd *d, uint16_t afi, FILE *out, bool json)
{
	void *s = show_bgp_routes_begin(d, afi, out, json);

	while (show_stream_part(s, out))
		;
	show_stream_free(s);
}

/* ---- show bgp ipv4|ipv6 unicast PREFIX ---- */

/* Cuts p to its first len bits. */
static void
mask(struct rib_prefix *p, unsigned len)
{
	unsigned i;

	p->len = (uint8_t)len;
	for (i = 0; i < sizeof(p->addr); i++) {
		if (i * 8 >= len)
			p->addr[i] = 0;
		else if (i * 8 + 8 > len)
			p->addr[i] &= (uint8_t)(0xff00u >> (len - i * 8));
	}
}

bool
show_prefix_parse(
    const char *s, uint16_t afi, struct rib_prefix *pfx, bool *exact)
{
	char a[INET6_ADDRSTRLEN + 1], *end;
	const char *slash = strchr(s, '/');
	unsigned max = afi == BGP_AFI_IPV6 ? 128 : 32;
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned long len = max;

	memset(pfx, 0, sizeof(*pfx));
	if (n == 0 || n >= sizeof(a))
		return false;
	memcpy(a, s, n);
	a[n] = '\0';
	if (inet_pton(afi == BGP_AFI_IPV6 ? AF_INET6 : AF_INET, a, pfx->addr) !=
	    1)
		return false;
	if (slash != NULL) {
		if (slash[1] < '0' || slash[1] > '9')
			return false;
		len = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || len > max)
			return false;
	}
	pfx->afi = (uint8_t)afi;
	mask(pfx, (unsigned)len);
	*exact = slash != NULL;
	return true;
}

static struct rib_dest *
lookup(const struct rib *rib, const struct rib_prefix *pfx, bool exact)
{
	struct rib_prefix q = *pfx;
	struct rib_dest *d;
	int len;

	for (len = pfx->len; len >= 0; len--) {
		mask(&q, (unsigned)len);
		d = rib_lookup(rib, &q);
		if (d != NULL && d->paths != NULL)
			return d;
		if (exact)
			break;
	}
	return NULL;
}

static void
prefix_json(struct bgpd *bd, const struct rib_dest *d, FILE *out)
{
	char pfx[INET6_ADDRSTRLEN + 8];
	const struct rib_path *p;
	unsigned i = 0, n = 0;
	bool first = true;
	struct peer *q;

	for (p = d->paths; p != NULL; p = p->next)
		n++;
	fmt_prefix(&d->pfx, pfx, sizeof(pfx));
	fprintf(out,
	    "{\"prefix\":\"%s\",\"pathCount\":%u,\"multipathCount\":%u,"
	    "\"advertisedTo\":[",
	    pfx, n, d->nbest > 1 ? d->nbest : 0);
	for (q = bd->peers; q != NULL; q = q->next)
		if (d->adv & ((uint64_t)1 << q->rib_id)) {
			fprintf(out, "%s\"%s\"", first ? "" : ",", q->name);
			first = false;
		}
	fputs("],\"paths\":[", out);
	for (p = d->paths; p != NULL; p = p->next, i++) {
		if (i > 0)
			fputc(',', out);
		path_json(bd, out, d, p, i);
	}
	fputs("]}\n", out);
}

static void
path_detail_text(struct bgpd *bd, FILE *out, const struct rib_dest *d,
    const struct rib_path *p, unsigned i)
{
	const struct rib_attrs *a = p->attrs;
	struct peer *src = peer_by_id(bd, p->peer);
	char nh[INET6_ADDRSTRLEN], idbuf[INET_ADDRSTRLEN];
	char *path = aspath_str(a);

	fmt_nexthop(a, nh, sizeof(nh));
	fprintf(out, "  Path #%u%s\n    %s\n", i + 1,
	    i == 0 && d->nbest > 0 ? ": best"
		: i < d->nbest     ? ": multipath"
				   : "",
	    a->aspath_len ? path : "Local");
	free(path);
	if (src != NULL)
		fprintf(out, "      %s from %s (%s)\n", nh, src->name,
		    ipv4_str(src->nego.peer_id, idbuf));
	else
		fprintf(out, "      %s from local\n", nh);
	fprintf(out, "      Origin %s", origin_name(a->origin));
	if (a->flags & RIB_A_MED)
		fprintf(out, ", metric %u", a->med);
	if (a->flags & RIB_A_LOCAL_PREF)
		fprintf(out, ", localpref %u", a->local_pref);
	fprintf(out, ", %s, %s%s%s\n",
	    (p->flags & RIB_P_INELIGIBLE) ? "ineligible (next hop not usable)"
					  : "valid",
	    src == NULL                             ? "local"
		: src->conf.remote_as == our_as(bd) ? "internal"
						    : "external",
	    (p->flags & RIB_P_STALE) ? ", stale" : "",
	    i == 0 && d->nbest > 0 ? ", best"
		: i < d->nbest     ? ", multipath"
				   : "");
	if (p->path_id != 0)
		fprintf(out, "      Path identifier %u\n", p->path_id);
	list_text(out, "Community", a, L_COMM);
	list_text(out, "Large Community", a, L_LCOMM);
	list_text(out, "Extended Community", a, L_ECOMM);
	if (a->flags & RIB_A_ORIGINATOR)
		fprintf(out, "      Originator: %s\n",
		    ipv4_str(a->originator_id, idbuf));
	list_text(out, "Cluster list", a, L_CLUSTER);
	if (a->flags & RIB_A_ATOMIC_AGGR)
		fputs("      Atomic aggregate\n", out);
	if (a->flags & RIB_A_AGGREGATOR)
		fprintf(out, "      Aggregated by %u %s\n", a->aggr_as,
		    ipv4_str(a->aggr_addr, idbuf));
}

int
show_bgp_prefix(struct bgpd *bd, const struct rib_prefix *pfx, bool exact,
    FILE *out, bool json)
{
	const struct rib_dest *d;
	const struct rib_path *p;
	char buf[INET6_ADDRSTRLEN + 8];
	unsigned i = 0, n = 0;
	bool first = true;
	struct peer *q;

	if (bd->rib == NULL || (d = lookup(bd->rib, pfx, exact)) == NULL)
		return -1;
	if (json) {
		prefix_json(bd, d, out);
		return 0;
	}
	for (p = d->paths; p != NULL; p = p->next)
		n++;
	fmt_prefix(&d->pfx, buf, sizeof(buf));
	fprintf(out, "BGP routing table entry for %s\n", buf);
	if (d->nbest > 0)
		fprintf(out, "Paths: (%u available, best #1%s)\n", n,
		    d->nbest > 1 ? ", multipath" : "");
	else
		fprintf(out, "Paths: (%u available, no best path)\n", n);
	fputs("  Advertised to:", out);
	for (q = bd->peers; q != NULL; q = q->next)
		if (d->adv & ((uint64_t)1 << q->rib_id)) {
			fprintf(out, " %s", q->name);
			first = false;
		}
	fputs(first ? " no neighbor\n" : "\n", out);
	for (p = d->paths; p != NULL; p = p->next, i++)
		path_detail_text(bd, out, d, p, i);
	return 0;
}

/* ---- show bgp neighbors X received-routes|routes|advertised-routes ---- */

static void
nbr_prefix_open(struct nbr_walk *w, const char *pfx)
{
	if (w->json)
		fprintf(w->out, "%s\"%s\":[", w->first ? "" : ",", pfx);
	w->first = false;
	w->n++;
}

/* Ours as the export path gives them to the peer now. */
static void
nbr_advertised(struct nbr_walk *w, const struct rib_dest *d, const char *pfx)
{
	uint64_t bit = (uint64_t)1 << w->p->rib_id;
	struct rib_attrs *a;

	if (!(d->adv & bit))
		return;
	a = rib_out_attrs(w->d->rib, w->p->rib_id, d);
	nbr_prefix_open(w, pfx);
	if (w->json) {
		fprintf(w->out, "{\"pending\":%s,\"withdrawPending\":%s",
		    jbool((d->dirty & bit) || a == NULL), jbool(a == NULL));
		if (a != NULL)
			attrs_json(w->out, a);
		fputs("}]", w->out);
	} else if (a != NULL)
		row_text(w->out, '*', (d->dirty & bit) ? 'p' : '>', pfx, a);
	else
		fprintf(w->out, "*w %-20s (withdrawal pending)\n", pfx);
	if (a != NULL)
		rib_attrs_unref(w->d->rib, a);
}

static void
nbr_cb(void *arg, const struct rib_dest *d)
{
	struct nbr_walk *w = arg;
	char pfx[INET6_ADDRSTRLEN + 8];
	const struct rib_path *p;
	unsigned i = 0;
	bool open = false;

	fmt_prefix(&d->pfx, pfx, sizeof(pfx));
	if (w->kind == SHOW_ADVERTISED) {
		nbr_advertised(w, d, pfx);
		return;
	}
	for (p = d->paths; p != NULL; p = p->next, i++) {
		if (p->peer != w->p->rib_id)
			continue;
		if (!open)
			nbr_prefix_open(w, pfx);
		else if (w->json)
			fputc(',', w->out);
		if (w->json && w->kind == SHOW_ACCEPTED)
			path_json(w->d, w->out, d, p, i);
		else if (w->json) {
			/* As received: no decision was made on them. */
			fprintf(w->out, "{\"pathId\":%u", p->path_id);
			attrs_json(w->out, p->attrs);
			fputc('}', w->out);
		} else if (w->kind == SHOW_ACCEPTED)
			row_text(w->out, path_status(p), path_best(d, i),
			    open ? "" : pfx, p->attrs);
		else
			row_text(w->out, '*', ' ', open ? "" : pfx, p->attrs);
		open = true;
	}
	if (open && w->json)
		fputc(']', w->out);
}

static const char *const nbr_kind_name[] = {
	[SHOW_RECEIVED] = "received-routes",
	[SHOW_ACCEPTED] = "routes",
	[SHOW_ADVERTISED] = "advertised-routes",
};

static void
nbr_footer(struct show_stream *s, const struct peer *p, FILE *out)
{
	if (s->json)
		fprintf(out, "},\"totalPrefixes\":%zu}\n", s->count);
	else
		fprintf(out, "\nTotal number of prefixes %zu (%s of %s)\n",
		    s->count, nbr_kind_name[s->kind], p->name);
}

void *
show_bgp_neighbor_routes_begin(struct bgpd *d, const struct conf_addr *addr,
    enum show_nbr_routes kind, FILE *out, bool json, char *err, size_t errlen)
{
	const struct rib *rib = d->rib;
	struct show_stream *s;
	char idbuf[INET6_ADDRSTRLEN];
	struct peer *p;

	if ((p = bgpd_peer_find(d, addr)) == NULL) {
		snprintf(err, errlen, "no neighbor %s",
		    conf_addr_str(addr, idbuf, sizeof(idbuf)));
		return NULL;
	}
	if (kind == SHOW_RECEIVED) {
		rib = rde_adj_rib_in(d);
		if (!p->conf.soft_reconfig || rib == NULL) {
			snprintf(err, errlen,
			    "neighbor %s: inbound soft reconfiguration not "
			    "enabled: routes are not kept as received (`neighbor "
			    "%s soft-reconfiguration inbound`; `routes` shows "
			    "those accepted)",
			    p->name, p->name);
			return NULL;
		}
	}
	s = cmd_xcalloc(1, sizeof(*s));
	s->d = d;
	s->json = json;
	s->kind = kind;
	s->addr = *addr;
	s->first = true;
	stream_snapshot(s, rib);
	if (json)
		fprintf(out,
		    "{\"neighbor\":\"%s\",\"routeType\":\"%s\","
		    "\"routes\":{",
		    p->name, nbr_kind_name[kind]);
	else
		table_header(d, out);
	return s;
}

int
show_bgp_neighbor_routes(struct bgpd *d, const struct conf_addr *addr,
    enum show_nbr_routes kind, FILE *out, bool json, char *err, size_t errlen)
{
	void *s = show_bgp_neighbor_routes_begin(
	    d, addr, kind, out, json, err, errlen);

	if (s == NULL)
		return -1;
	while (show_stream_part(s, out))
		;
	show_stream_free(s);
	return 0;
}

/* ---- show bgp memory ---- */

void
show_bgp_memory(struct bgpd *d, FILE *out, bool json)
{
	struct rib_stats st;

	memset(&st, 0, sizeof(st));
	if (d->rib != NULL)
		rib_stats(d->rib, &st);
	if (json) {
		fprintf(out,
		    "{\"ipv4Prefixes\":%zu,\"ipv6Prefixes\":%zu,\"paths\":%zu,"
		    "\"destBytes\":%zu,\"pathBytes\":%zu,\"attrSets\":%zu,"
		    "\"attrRefs\":%zu,\"attrBytes\":%zu}\n",
		    st.prefixes[0], st.prefixes[1], st.paths, st.dest_bytes,
		    st.path_bytes, st.attrs.sets, st.attrs.refs,
		    st.attrs.bytes);
		return;
	}
	fprintf(out,
	    "%zu IPv4 and %zu IPv6 destinations, %zu bytes (with tables)\n"
	    "%zu paths, %zu bytes\n"
	    "%zu attribute sets, %zu references, %zu bytes\n",
	    st.prefixes[0], st.prefixes[1], st.dest_bytes, st.paths,
	    st.path_bytes, st.attrs.sets, st.attrs.refs, st.attrs.bytes);
}
