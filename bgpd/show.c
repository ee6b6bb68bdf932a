/*
 * show.c: `show bgp summary` and `show bgp neighbors`, in FRR's layout
 * for people and as JSON (stable keys) for scripts and tests.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <dxbgp/rib.h>

#include "show.h"

void
show_json_str(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	for (; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
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

#define NMSG (BGP_MSG_ROUTE_REFRESH + 1)

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
router_id_str(const struct bgpd *d, char *buf)
{
	struct in_addr a = { htonl(d->router_id) };

	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* Routes the peer has in the RIB. */
static size_t
peer_prefixes(const struct peer *p)
{
	if (p->d->rib == NULL || p->state != FSM_ESTABLISHED)
		return 0;
	return rib_peer_count(p->d->rib, p->rib_id, 0) +
	    rib_peer_count(p->d->rib, p->rib_id, 1);
}

static const char *
peer_state_text(const struct peer *p)
{
	if (p->conf.shutdown)
		return "Idle (Admin)";
	return sess_state_name(p);
}

void
show_bgp_summary(struct bgpd *d, FILE *out, bool json)
{
	struct peer *p;
	char idbuf[INET_ADDRSTRLEN], up[32], state[32];
	time_t now = time(NULL);
	unsigned int n = 0, est = 0;
	bool first = true;

	for (p = d->peers; p != NULL; p = p->next) {
		n++;
		est += p->state == FSM_ESTABLISHED;
	}
	if (json) {
		fprintf(out,
		    "{\"routerId\":\"%s\",\"as\":%u,"
		    "\"peerCount\":%u,\"establishedCount\":%u,"
		    "\"peers\":{",
		    router_id_str(d, idbuf), d->conf ? d->conf->asn : 0, n,
		    est);
		for (p = d->peers; p != NULL; p = p->next) {
			fprintf(out, "%s\"%s\":{\"remoteAs\":%u,\"state\":",
			    first ? "" : ",", p->name, p->conf.remote_as);
			show_json_str(out, peer_state_text(p));
			fprintf(out,
			    ",\"pfxRcd\":%zu,\"msgRcvd\":%" PRIu64
			    ",\"msgSent\":%" PRIu64
			    ",\"stateSeconds\":%ld,\"description\":",
			    peer_prefixes(p), sum(p->st.msg_in, NMSG),
			    sum(p->st.msg_out, NMSG),
			    p->st.last_change ? (long)(now - p->st.last_change)
					      : 0L);
			show_json_str(out, p->conf.description);
			fputc('}', out);
			first = false;
		}
		fputs("}}\n", out);
		return;
	}
	fprintf(out, "BGP router identifier %s, local AS number %u\n",
	    router_id_str(d, idbuf), d->conf ? d->conf->asn : 0);
	fprintf(out, "Neighbors: %u configured, %u established\n\n", n, est);
	fprintf(out, "%-25s %10s %9s %9s %8s  %-12s %s\n", "Neighbor", "AS",
	    "MsgRcvd", "MsgSent", "Up/Down", "State/PfxRcd", "Description");
	for (p = d->peers; p != NULL; p = p->next) {
		if (p->st.last_change)
			fmt_duration(now - p->st.last_change, up, sizeof(up));
		else
			snprintf(up, sizeof(up), "never");
		if (p->state == FSM_ESTABLISHED)
			snprintf(state, sizeof(state), "%zu", peer_prefixes(p));
		else
			snprintf(
			    state, sizeof(state), "%s", peer_state_text(p));
		fprintf(out,
		    "%-25s %10u %9" PRIu64 " %9" PRIu64 " %8s  %-12s %s\n",
		    p->name, p->conf.remote_as, sum(p->st.msg_in, NMSG),
		    sum(p->st.msg_out, NMSG), up, state, p->conf.description);
	}
}

static void
neighbor_json(struct peer *p, FILE *out, time_t now)
{
	const struct sess_nego *ng = &p->nego;

	fprintf(out,
	    "\"%s\":{\"remoteAs\":%u,\"localAs\":%u,\"state\":", p->name,
	    p->conf.remote_as,
	    p->conf.local_as ? p->conf.local_as : p->d->conf->asn);
	show_json_str(out, peer_state_text(p));
	fprintf(out, ",\"description\":");
	show_json_str(out, p->conf.description);
	fprintf(out,
	    ",\"port\":%u,\"md5\":%s,\"passive\":%s,\"stateSeconds\":%ld,"
	    "\"establishedTransitions\":%u,\"droppedTransitions\":%u,"
	    "\"configuredHoldTime\":%u,\"configuredKeepalive\":%u",
	    p->conf.port, p->conf.password[0] ? "true" : "false",
	    p->conf.passive ? "true" : "false",
	    p->st.last_change ? (long)(now - p->st.last_change) : 0L,
	    p->st.established, p->st.dropped, conf_neighbor_holdtime(&p->conf),
	    conf_neighbor_keepalive(&p->conf));
	if (p->state == FSM_ESTABLISHED) {
		struct in_addr id = { htonl(ng->peer_id) };
		char idbuf[INET_ADDRSTRLEN];

		fprintf(out,
		    ",\"remoteRouterId\":\"%s\",\"holdTime\":%u,"
		    "\"keepalive\":%u,\"fourOctetAs\":%s,"
		    "\"extendedMessage\":%s,\"routeRefresh\":%s,"
		    "\"enhancedRouteRefresh\":%s,\"ipv4Unicast\":%s,"
		    "\"ipv6Unicast\":%s,\"addPathReceive\":%s,"
		    "\"gracefulRestart\":%s",
		    inet_ntop(AF_INET, &id, idbuf, sizeof(idbuf)), ng->holdtime,
		    ng->keepalive, ng->as4 ? "true" : "false",
		    ng->ext_message_tx ? "true" : "false",
		    ng->route_refresh ? "true" : "false",
		    ng->enhanced_rr ? "true" : "false",
		    (ng->af & CONF_AF_IPV4) ? "true" : "false",
		    (ng->af & CONF_AF_IPV6) ? "true" : "false",
		    ng->addpath_rx ? "true" : "false",
		    ng->gr ? "true" : "false");
	}
	fprintf(out,
	    ",\"messages\":{\"openIn\":%" PRIu64 ",\"updateIn\":%" PRIu64
	    ",\"notificationIn\":%" PRIu64 ",\"keepaliveIn\":%" PRIu64
	    ",\"routeRefreshIn\":%" PRIu64 ",\"openOut\":%" PRIu64
	    ",\"updateOut\":%" PRIu64 ",\"notificationOut\":%" PRIu64
	    ",\"keepaliveOut\":%" PRIu64 ",\"routeRefreshOut\":%" PRIu64 "}",
	    p->st.msg_in[BGP_MSG_OPEN], p->st.msg_in[BGP_MSG_UPDATE],
	    p->st.msg_in[BGP_MSG_NOTIFICATION], p->st.msg_in[BGP_MSG_KEEPALIVE],
	    p->st.msg_in[BGP_MSG_ROUTE_REFRESH], p->st.msg_out[BGP_MSG_OPEN],
	    p->st.msg_out[BGP_MSG_UPDATE], p->st.msg_out[BGP_MSG_NOTIFICATION],
	    p->st.msg_out[BGP_MSG_KEEPALIVE],
	    p->st.msg_out[BGP_MSG_ROUTE_REFRESH]);
	fprintf(out, ",\"updateErrors\":%" PRIu64, p->st.update_errors);
	if (p->st.last_err_code) {
		fprintf(out,
		    ",\"lastNotification\":{\"code\":%u,\"subcode\":%u,"
		    "\"sent\":%s}",
		    p->st.last_err_code, p->st.last_err_subcode,
		    p->st.last_err_sent ? "true" : "false");
	}
	fprintf(out, ",\"lastReason\":");
	show_json_str(out, p->st.last_reason);
	fputc('}', out);
}

static void
neighbor_text(struct peer *p, FILE *out, time_t now)
{
	const struct sess_nego *ng = &p->nego;
	char dur[32];

	fmt_duration(
	    p->st.last_change ? now - p->st.last_change : 0, dur, sizeof(dur));
	fprintf(out, "BGP neighbor is %s, remote AS %u, local AS %u, %s link\n",
	    p->name, p->conf.remote_as,
	    p->conf.local_as ? p->conf.local_as : p->d->conf->asn,
	    p->conf.remote_as == p->d->conf->asn ? "internal" : "external");
	if (p->conf.description[0])
		fprintf(out, " Description: %s\n", p->conf.description);
	fprintf(out, "  BGP state = %s, for %s\n", peer_state_text(p), dur);
	fprintf(out, "  TCP MD5 authentication %s; %s\n",
	    p->conf.password[0] ? "on" : "off",
	    p->conf.passive ? "passive (waits to be connected)"
			    : "connects actively");
	fprintf(out, "  Configured hold time %u s, keepalive %u s\n",
	    conf_neighbor_holdtime(&p->conf),
	    conf_neighbor_keepalive(&p->conf));
	if (p->state == FSM_ESTABLISHED) {
		fprintf(out,
		    "  Negotiated hold time %u s, keepalive %u s\n"
		    "  Capabilities: %s%s%s%s%s%s%s\n",
		    ng->holdtime, ng->keepalive, ng->as4 ? "4-octet-AS " : "",
		    (ng->af & CONF_AF_IPV4) ? "IPv4-unicast " : "",
		    (ng->af & CONF_AF_IPV6) ? "IPv6-unicast " : "",
		    ng->route_refresh ? "route-refresh " : "",
		    ng->enhanced_rr ? "enhanced-route-refresh " : "",
		    ng->ext_message_tx ? "extended-message " : "",
		    ng->gr ? "graceful-restart" : "");
	}
	fprintf(out, "  Established %u times, dropped %u times\n",
	    p->st.established, p->st.dropped);
	fprintf(out,
	    "  Messages received: %" PRIu64 " (%" PRIu64 " updates), "
	    "sent: %" PRIu64 " (%" PRIu64 " updates)\n",
	    sum(p->st.msg_in, NMSG), p->st.msg_in[BGP_MSG_UPDATE],
	    sum(p->st.msg_out, NMSG), p->st.msg_out[BGP_MSG_UPDATE]);
	if (p->st.last_reason[0])
		fprintf(out, "  Last event: %s\n", p->st.last_reason);
	fputc('\n', out);
}

int
show_bgp_neighbors(
    struct bgpd *d, const struct conf_addr *addr, FILE *out, bool json)
{
	struct peer *p;
	time_t now = time(NULL);
	bool first = true;

	if (addr != NULL && bgpd_peer_find(d, addr) == NULL)
		return -1;
	if (json)
		fputc('{', out);
	for (p = d->peers; p != NULL; p = p->next) {
		if (addr != NULL && !conf_addr_eq(addr, &p->conf.addr))
			continue;
		if (json) {
			if (!first)
				fputc(',', out);
			neighbor_json(p, out, now);
		} else
			neighbor_text(p, out, now);
		first = false;
	}
	if (json)
		fputs("}\n", out);
	return 0;
}

/* ---- routes ---- */

struct route_walk {
	struct bgpd *d;
	FILE *out;
	bool json;
	bool first;
	size_t n;
};

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

static void
route_json(struct route_walk *w, const struct rib_dest *d)
{
	const struct rib_path *p;
	const struct rib_attrs *a;
	char pfx[INET6_ADDRSTRLEN + 8], nh[INET6_ADDRSTRLEN], path[4096];
	unsigned int i = 0, c;
	const uint8_t *cm;

	fmt_prefix(&d->pfx, pfx, sizeof(pfx));
	fprintf(w->out, "%s\"%s\":[", w->first ? "" : ",", pfx);
	w->first = false;
	for (p = d->paths; p != NULL; p = p->next, i++) {
		a = p->attrs;
		fmt_nexthop(a, nh, sizeof(nh));
		wire_aspath_format(
		    rib_attrs_aspath(a), a->aspath_len, path, sizeof(path));
		fprintf(w->out,
		    "%s{\"best\":%s,\"multipath\":%s,\"valid\":%s,"
		    "\"stale\":%s,\"peer\":\"%s\",\"nexthop\":\"%s\","
		    "\"path\":\"%s\",\"origin\":\"%s\"",
		    i ? "," : "", i == 0 && d->nbest > 0 ? "true" : "false",
		    i > 0 && i < d->nbest ? "true" : "false",
		    (p->flags & RIB_P_INELIGIBLE) ? "false" : "true",
		    (p->flags & RIB_P_STALE) ? "true" : "false",
		    peer_name_by_id(w->d, p->peer), nh, path,
		    origin_name(a->origin));
		if (a->flags & RIB_A_MED)
			fprintf(w->out, ",\"med\":%u", a->med);
		if (a->flags & RIB_A_LOCAL_PREF)
			fprintf(w->out, ",\"localPref\":%u", a->local_pref);
		if (p->path_id != 0)
			fprintf(w->out, ",\"pathId\":%u", p->path_id);
		fputs(",\"communities\":[", w->out);
		cm = rib_attrs_comm(a);
		for (c = 0; c + 4 <= a->comm_len; c += 4)
			fprintf(w->out, "%s\"%u:%u\"", c ? "," : "",
			    cm[c] << 8 | cm[c + 1], cm[c + 2] << 8 | cm[c + 3]);
		fputs("]}", w->out);
	}
	fputc(']', w->out);
}

static void
route_text(struct route_walk *w, const struct rib_dest *d)
{
	const struct rib_path *p;
	const struct rib_attrs *a;
	char pfx[INET6_ADDRSTRLEN + 8], nh[INET6_ADDRSTRLEN], path[4096];
	char med[16], lp[16];
	unsigned int i = 0;

	fmt_prefix(&d->pfx, pfx, sizeof(pfx));
	for (p = d->paths; p != NULL; p = p->next, i++) {
		a = p->attrs;
		fmt_nexthop(a, nh, sizeof(nh));
		wire_aspath_format(
		    rib_attrs_aspath(a), a->aspath_len, path, sizeof(path));
		snprintf(med, sizeof(med), "%u", a->med);
		snprintf(lp, sizeof(lp), "%u", a->local_pref);
		fprintf(w->out, "%c%c %-20s %-16s %10s %6s %s%s%c\n",
		    (p->flags & RIB_P_INELIGIBLE)  ? ' '
			: (p->flags & RIB_P_STALE) ? 'S'
						   : '*',
		    i == 0 && d->nbest > 0 ? '>'
			: i < d->nbest     ? '='
					   : ' ',
		    i == 0 ? pfx : "", nh, (a->flags & RIB_A_MED) ? med : "",
		    (a->flags & RIB_A_LOCAL_PREF) ? lp : "", path,
		    a->aspath_len ? " " : "",
		    a->origin == BGP_ORIGIN_IGP       ? 'i'
			: a->origin == BGP_ORIGIN_EGP ? 'e'
						      : '?');
		w->n++;
	}
}

static void
route_cb(void *arg, const struct rib_dest *d)
{
	struct route_walk *w = arg;

	if (w->json)
		route_json(w, d);
	else
		route_text(w, d);
}

void
show_bgp_routes(struct bgpd *d, uint16_t afi, FILE *out, bool json)
{
	struct route_walk w = { d, out, json, true, 0 };
	char idbuf[INET_ADDRSTRLEN];

	if (json) {
		fprintf(out, "{\"routerId\":\"%s\",\"as\":%u,\"routes\":{",
		    router_id_str(d, idbuf), d->conf ? d->conf->asn : 0);
		rib_walk(d->rib, afi, route_cb, &w);
		fputs("}}\n", out);
		return;
	}
	fprintf(out, "BGP table, local router ID %s, local AS %u\n",
	    router_id_str(d, idbuf), d->conf ? d->conf->asn : 0);
	fprintf(out,
	    "Status codes: * valid, > best, = multipath, "
	    "S stale\n\n");
	fprintf(out, "   %-20s %-16s %10s %6s %s\n", "Network", "Next Hop",
	    "Metric", "LocPrf", "Path");
	rib_walk(d->rib, afi, route_cb, &w);
	fprintf(out, "\nDisplayed %zu paths\n", w.n);
}

void
show_bgp_memory(struct bgpd *d, FILE *out, bool json)
{
	struct rib_stats st;

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
