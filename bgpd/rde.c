/*
 * rde.c: between the sessions and the RIB.
 *
 * Sessions hand over decoded UPDATEs through struct sess_hooks; this
 * file applies what RFC 4271 asks of the receiving side before a route
 * may enter the RIB (§9.1.2: no route with our own AS in its path;
 * §6.3: an external peer's path starts with its AS; RFC 8212: nothing
 * from an external peer without policy), interns the attributes and
 * feeds the RIB.  After each turn of the loop the RIB decides on what
 * changed and every established peer's queue is packed into UPDATEs,
 * until the peer's output queue is full; its writable hook resumes.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <dxbgp/bytes.h>

#include "export.h"
#include "log.h"
#include "nht.h"
#include "policy_int.h"
#include "profile.h"
#include "rde.h"
#include "sess_sock.h"

/* What a peer's routes depend on, to notice a reload that changes it. */
struct policy_print {
	bool requires_policy;
	bool soft_reconfig;
	uint8_t allowas_in;
	bool next_hop_self, remove_private_as, as_override, rr_client;
	uint32_t local_as;
	uint8_t profile, ha;
	uint32_t out_max;
};

struct rde {
	struct bgpd *d;
	struct rib *rib;
	struct rib *adjin; /* routes as received, for soft reconfiguration */
	ev_prepare w_prepare;
	bool work;           /* the RIB has changes to decide on */
	uint64_t want_flush; /* peers (by RIB id) with output to pack */
	uint8_t ubuf[65536]; /* unknown attributes of the UPDATE at hand */
	bool stop_pending;   /* a peer went over its max-prefix */
	/* MRAI: when each peer (by RIB id) was last sent UPDATEs */
	ev_tstamp last_flush[RIB_MAX_PEERS];
	ev_timer t_mrai[RIB_MAX_PEERS];
	/* the settings in force, to see what a reload changes */
	bool configured;
	struct rib_config rc;
	struct policy_print pp[RIB_MAX_PEERS];
	struct conf *last;       /* a copy of the config in force, to diff */
	struct nht *nht;         /* kernel routes, for next hops; may be NULL */
	struct pol_buf pbuf;     /* what route-maps rewrite */
	struct profile_buf hbuf; /* what the HA preset rewrites */
	/* the outbound cap: what was logged, per peer and family */
	bool cap_warned[RIB_MAX_PEERS][2];
	size_t cap_held[RIB_MAX_PEERS][2];
	/* Tencent's aggregates withheld, logged once per session (bits) */
	uint8_t tencent_logged[RIB_MAX_PEERS];
};

static void
policy_print(const struct conf *c, const struct conf_neighbor *n,
    struct policy_print *pp)
{
	memset(pp, 0, sizeof(*pp));
	pp->requires_policy = c->ebgp_requires_policy;
	pp->soft_reconfig = n->soft_reconfig;
	pp->allowas_in = n->allowas_in;
	pp->next_hop_self = n->next_hop_self;
	pp->remove_private_as = n->remove_private_as;
	pp->as_override = n->as_override;
	pp->rr_client = n->rr_client;
	pp->local_as = n->local_as;
	pp->profile = n->profile;
	pp->ha = n->ha;
	pp->out_max = profile_out_max(n);
}

static struct peer *
peer_by_id(struct rde *rde, uint16_t id)
{
	struct peer *p;

	for (p = rde->d->peers; p != NULL; p = p->next)
		if (p->rib_id == id)
			return p;
	return NULL;
}

/* ---- the RIB's hooks ---- */

static bool
martian4(const uint8_t *a, bool allow_loopback)
{
	return a[0] == 0 || (a[0] == 127 && !allow_loopback) || a[0] >= 224;
}

static bool
martian6(const uint8_t *a, bool allow_loopback)
{
	static const uint8_t zero[16], loop[16] = { [15] = 1 };

	if (memcmp(a, zero, 16) == 0 || a[0] == 0xff)
		return true;
	return !allow_loopback && memcmp(a, loop, 16) == 0;
}

/*
 * A next hop in no usable range, or that no kernel route reaches (the
 * default route aside, see nht.h), makes the route ineligible.
 */
static bool
nexthop_ok(void *arg, const struct rib_attrs *a)
{
	struct rde *rde = arg;
	bool allow = rde->d->conf->allow_martian_nexthop;

	if (a->nh_len == 4)
		return !martian4(a->nexthop, allow) &&
		    nht_reachable(rde->nht, AF_INET, a->nexthop);
	if (a->nh_len >= 16)
		return !martian6(a->nexthop, allow) &&
		    nht_reachable(rde->nht, AF_INET6, a->nexthop);
	return a->nh_len == 0; /* ours (network): sent with our address */
}

/* Kernel routes changed: next hops may have come or gone. */
static void
nexthops_changed(void *arg)
{
	struct rde *rde = arg;

	rib_nexthops_changed(rde->rib);
	rde->work = true;
}

/*
 * The policy of a peer toward one family and direction: the names in
 * force, NULL where there is none.  Returns whether there is any.
 */
static bool
nbr_policy(const struct peer *p, uint16_t afi, bool out, const char **plist,
    const char **rmap)
{
	const struct conf_nbr_pol *np = &p->conf.pol[afi == BGP_AFI_IPV6];
	const char *pl = out ? np->plist_out : np->plist_in;
	const char *rm = out ? np->rmap_out : np->rmap_in;

	*plist = pl[0] != '\0' ? pl : NULL;
	*rmap = rm[0] != '\0' ? rm : NULL;
	return *plist != NULL || *rmap != NULL;
}

/*
 * Why routes of a family are held back in one direction as a whole,
 * or NULL: RFC 8212 (an external peer without policy) or a route-map
 * that is not defined (which denies everything, as in FRR).
 */
static const char *
held_back(struct rde *rde, const struct peer *p, uint16_t afi, bool out)
{
	const struct conf *c = rde->d->conf;
	const char *plist, *rmap;

	if (!nbr_policy(p, afi, out, &plist, &rmap))
		return p->conf.remote_as != c->asn && c->ebgp_requires_policy
		    ? (out ? "no outbound policy for an external neighbor "
			     "(RFC 8212)"
			   : "no inbound policy for an external neighbor "
			     "(RFC 8212)")
		    : NULL;
	if (rmap != NULL && pol_rmap_find(c->pol, rmap) == NULL)
		return out ? "its outbound route-map is not defined"
			   : "its inbound route-map is not defined";
	return NULL;
}

/* The AS we present to a peer. */
static uint32_t
peer_local_as(const struct peer *p)
{
	return p->conf.local_as ? p->conf.local_as : p->d->conf->asn;
}

/*
 * An aggregate Tencent refuses ([T1]) is withheld from a Tencent
 * neighbor: logged once per prefix and session, counted by show.
 */
static bool
tencent_refuses(struct rde *rde, const struct peer *p, const struct rib_dest *d)
{
	const struct rib_prefix *v;
	char how[160];
	size_t i, n;

	if (!profile_tencent_refuses(&d->pfx, how, sizeof(how)))
		return false;
	v = profile_tencent_refused(&n);
	for (i = 0; i < n; i++)
		if (memcmp(&v[i], &d->pfx, sizeof(d->pfx)) == 0)
			break;
	if (!(rde->tencent_logged[p->rib_id] & (1u << i))) {
		rde->tencent_logged[p->rib_id] |= (uint8_t)(1u << i);
		log_warn("neighbor %s: not sent: %s", p->name, how);
	}
	return true;
}

/* Outbound policy.  RFC 8212: nothing to an external peer without it. */
static struct rib_attrs *
export_ok(
    void *arg, uint16_t id, const struct rib_dest *d, struct rib_attrs *out)
{
	struct rde *rde = arg;
	struct peer *p = peer_by_id(rde, id);

	const struct conf *c = rde->d->conf;
	const char *plist, *rmap;
	struct rib_attrs_key k;
	bool ebgp, policy;

	if (p == NULL)
		return NULL;
	ebgp = p->conf.remote_as != c->asn;
	if (held_back(rde, p, d->pfx.afi, true) != NULL)
		return NULL;
	rib_attrs_key_of(out, &k);
	policy = nbr_policy(p, d->pfx.afi, true, &plist, &rmap);
	/* Toward an external peer our AS is already in front (one ASN). */
	if (policy &&
	    pol_apply(c->pol, plist, rmap, &d->pfx, &k, ebgp ? 1 : 0,
		&rde->pbuf) == POL_DENY)
		return NULL;
	if (p->conf.profile == PROFILE_TENCENT && tencent_refuses(rde, p, d))
		return NULL;
	/* The HA preset goes after the neighbor's own policy. */
	if (!profile_ha_out(&p->conf, peer_local_as(p), &k, &rde->hbuf) &&
	    !policy) {
		rib_attrs_ref(out);
		return out;
	}
	if (ebgp) /* RFC 4271 §5.1.5: never to an external peer */
		k.flags &= (uint16_t)~RIB_A_LOCAL_PREF;
	return rib_attrs_intern(rde->rib, &k);
}

/* ---- session hooks ---- */

static struct rde *
rde_of(struct peer *p)
{
	return p->d->hooks.arg;
}

/* Whether the peer's export policy looks at prefixes (see rib.h). */
static bool
export_per_prefix(const struct peer *p)
{
	const char *plist, *rmap;
	uint16_t afi;

	for (afi = BGP_AFI_IPV4; afi <= BGP_AFI_IPV6; afi++)
		if (nbr_policy(p, afi, true, &plist, &rmap) &&
		    pol_per_prefix(p->d->conf->pol, plist, rmap))
			return true;
	return false;
}

static void
fill_info(struct peer *p, struct rib_peer_info *pi)
{
	struct conf_addr local;
	uint32_t asn = p->d->conf->asn;

	memset(pi, 0, sizeof(*pi));
	pi->asn = p->nego.peer_as;
	pi->local_as = p->conf.local_as ? p->conf.local_as : asn;
	pi->router_id = p->nego.peer_id;
	if (p->conf.addr.family == AF_INET6) {
		memcpy(pi->addr, &p->conf.addr.u.v6, 16);
		pi->addr_len = 16;
	} else {
		memcpy(pi->addr, &p->conf.addr.u.v4, 4);
		pi->addr_len = 4;
	}
	pi->ibgp = p->nego.peer_as == asn;
	pi->rr_client = p->conf.rr_client && pi->ibgp;
	pi->next_hop_self = p->conf.next_hop_self;
	pi->remove_private_as = p->conf.remove_private_as;
	pi->as_override = p->conf.as_override;
	/* Tencent's verdict depends on the prefix ([T1]). */
	pi->export_per_prefix =
	    export_per_prefix(p) || p->conf.profile == PROFILE_TENCENT;
	pi->out_max = profile_out_max(&p->conf);
	pi->as4 = p->nego.as4;
	pi->ext_message = p->nego.ext_message_tx;
	pi->af = (p->nego.af & CONF_AF_IPV4 ? RIB_AF_IPV4 : 0) |
	    (p->nego.af & CONF_AF_IPV6 ? RIB_AF_IPV6 : 0);
	if (sess_local_addr(p, &local)) {
		if (local.family == AF_INET) {
			memcpy(pi->nh4, &local.u.v4, 4);
			pi->has_nh4 = true;
		} else {
			memcpy(pi->nh6, &local.u.v6, 16);
			pi->has_nh6 = true;
		}
	}
	if (p->conf.update_source.family == AF_INET6 && !pi->has_nh6) {
		memcpy(pi->nh6, &p->conf.update_source.u.v6, 16);
		pi->has_nh6 = true;
	}
}

/*
 * Logs, once per change, why a peer is sent nothing of a family (RFC
 * 8212, a route-map not defined); the reason stays in p->held_out for
 * `show`.
 */
static void
log_held_out(struct rde *rde, struct peer *p)
{
	const char *why = NULL, *w;
	uint16_t afi;
	uint8_t af = conf_neighbor_af(&p->conf);

	for (afi = BGP_AFI_IPV4; afi <= BGP_AFI_IPV6; afi++) {
		if (!(af & (afi == BGP_AFI_IPV4 ? CONF_AF_IPV4 : CONF_AF_IPV6)))
			continue;
		if ((w = held_back(rde, p, afi, true)) != NULL && why == NULL) {
			why = w;
			if (w != p->held_out)
				log_warn(
				    "neighbor %s: routes not sent (%s): %s",
				    p->name,
				    afi == BGP_AFI_IPV4 ? "IPv4" : "IPv6", w);
		}
	}
	p->held_out = why;
}

static void
on_established(struct peer *p)
{
	struct rde *rde = rde_of(p);
	struct rib_peer_info pi;

	fill_info(p, &pi);
	rib_peer_set(rde->rib, p->rib_id, &pi);
	rib_out_start(rde->rib, p->rib_id);
	rde->want_flush |= (uint64_t)1 << p->rib_id;
	p->rde_policy_warned = false;
	p->prefix_warned = false;
	p->prefix_over = false;
	p->held_out = NULL;
	rde->cap_warned[p->rib_id][0] = rde->cap_warned[p->rib_id][1] = false;
	rde->cap_held[p->rib_id][0] = rde->cap_held[p->rib_id][1] = 0;
	rde->tencent_logged[p->rib_id] = 0;
	log_held_out(rde, p);
	policy_print(rde->d->conf, &p->conf, &rde->pp[p->rib_id]);
}

static void
on_down(struct peer *p, bool graceful)
{
	struct rde *rde = rde_of(p);

	if (graceful)
		rib_peer_mark_stale(
		    rde->rib, p->rib_id, RIB_AF_IPV4 | RIB_AF_IPV6);
	else
		rib_peer_flush(rde->rib, p->rib_id, RIB_AF_IPV4 | RIB_AF_IPV6);
	rib_out_stop(rde->rib, p->rib_id);
	rib_peer_flush(rde->adjin, p->rib_id, RIB_AF_IPV4 | RIB_AF_IPV6);
	rde->want_flush &= ~((uint64_t)1 << p->rib_id);
	rde->last_flush[p->rib_id] = 0;
	ev_timer_stop(rde->d->loop, &rde->t_mrai[p->rib_id]);
	rde->work = true;
}

static uint8_t
rib_af(uint16_t afi, uint8_t safi)
{
	if (safi != BGP_SAFI_UNICAST)
		return 0;
	return afi == BGP_AFI_IPV4 ? RIB_AF_IPV4
	    : afi == BGP_AFI_IPV6  ? RIB_AF_IPV6
				   : 0;
}

static void
on_stale_flush(struct peer *p, uint16_t afi, uint8_t safi)
{
	struct rde *rde = rde_of(p);

	rib_peer_sweep_stale(rde->rib, p->rib_id, rib_af(afi, safi));
	rde->work = true;
}

static void
on_af_drop(struct peer *p, uint16_t afi, uint8_t safi)
{
	struct rde *rde = rde_of(p);

	rib_peer_flush(rde->rib, p->rib_id, rib_af(afi, safi));
	rib_peer_flush(rde->adjin, p->rib_id, rib_af(afi, safi));
	rde->work = true;
}

static void
on_refresh(struct peer *p, const struct wire_rrefresh *rr)
{
	struct rde *rde = rde_of(p);

	struct wire_rrefresh borr = { rr->afi, BGP_RR_BORR, rr->safi };
	uint8_t msg[BGP_HDR_LEN + BGP_RREFRESH_BODY];

	/* RFC 7313 §4: BoRR, the routes, then EoRR once they are out. */
	if (p->nego.enhanced_rr)
		sess_send(
		    p, msg, wire_rrefresh_encode(&borr, msg, sizeof(msg)));
	rib_out_refresh(rde->rib, p->rib_id, rib_af(rr->afi, rr->safi),
	    p->nego.enhanced_rr);
	rde->want_flush |= (uint64_t)1 << p->rib_id;
}

static void
on_writable(struct peer *p)
{
	struct rde *rde = rde_of(p);

	if (rib_out_pending(rde->rib, p->rib_id))
		rde->want_flush |= (uint64_t)1 << p->rib_id;
}

/* Withdraws every prefix an UPDATE carries (RFC 7606 treat-as-withdraw). */
static void
withdraw_all(struct rib *rib, struct peer *p, const struct wire_update *u)
{
	const struct wire_attrs *a = &u->attrs;
	uint16_t id = p->rib_id;
	bool ap4 = p->nego.addpath_rx & CONF_AF_IPV4;
	bool ap6 = p->nego.addpath_rx & CONF_AF_IPV6;

	rib_withdraw(
	    rib, id, BGP_AFI_IPV4, u->withdrawn, u->withdrawn_len, ap4);
	rib_withdraw(rib, id, BGP_AFI_IPV4, u->nlri, u->nlri_len, ap4);
	if (a->have & WIRE_HAVE(BGP_ATTR_MP_REACH_NLRI) &&
	    rib_af(a->mp_reach.afi, a->mp_reach.safi))
		rib_withdraw(rib, id, a->mp_reach.afi, a->mp_reach.nlri,
		    a->mp_reach.nlri_len,
		    a->mp_reach.afi == BGP_AFI_IPV6 ? ap6 : ap4);
	if (a->have & WIRE_HAVE(BGP_ATTR_MP_UNREACH_NLRI) &&
	    rib_af(a->mp_unreach.afi, a->mp_unreach.safi))
		rib_withdraw(rib, id, a->mp_unreach.afi, a->mp_unreach.nlri,
		    a->mp_unreach.nlri_len,
		    a->mp_unreach.afi == BGP_AFI_IPV6 ? ap6 : ap4);
}

/* What the import checks look at, from an UPDATE or a stored route. */
struct import_view {
	const uint8_t *aspath;
	size_t aspath_len;
	bool has_originator;
	uint32_t originator_id;
	const uint8_t *cluster;
	size_t cluster_len;
};

/* The receiving side's checks; a reason when the routes are refused. */
static const char *
import_refused(struct rde *rde, struct peer *p, const struct import_view *v)
{
	const struct conf *c = rde->d->conf;
	bool ebgp = p->nego.peer_as != c->asn;
	uint32_t cluster = c->cluster_id ? c->cluster_id : rde->d->router_id;
	size_t i;

	/* §9.1.2; allowas-in lets a site see its own AS a few times. */
	if (wire_aspath_count(v->aspath, v->aspath_len, c->asn) >
	    p->conf.allowas_in)
		return "our AS is in the path (loop)";
	if (ebgp &&
	    wire_aspath_first(v->aspath, v->aspath_len) != p->nego.peer_as)
		return "path does not start with the neighbor's AS";
	/* RFC 4456 §8: a reflected route that comes back to us. */
	if (!ebgp && v->has_originator && v->originator_id == rde->d->router_id)
		return "ORIGINATOR_ID is our router ID (reflection loop)";
	for (i = 0; !ebgp && i + 4 <= v->cluster_len; i += 4)
		if (get32(v->cluster + i) == cluster)
			return "CLUSTER_LIST has our cluster ID (reflection "
			       "loop)";
	return NULL;
}

/* Logs once per session why a peer's routes are not taken. */
static void
refused(struct peer *p, const char *why, size_t n)
{
	p->st.nlri_refused += n;
	if (!p->rde_policy_warned) {
		log_warn("neighbor %s: routes not accepted: %s", p->name, why);
		p->rde_policy_warned = true;
	}
}

/*
 * The HA preset after a peer's inbound policy, unless the policy set
 * the local preference itself (before: the route as it came in).
 */
static void
ha_in(const struct peer *p, const struct rib_attrs_key *before,
    struct rib_attrs_key *k)
{
	bool set = (k->flags & RIB_A_LOCAL_PREF) &&
	    (!(before->flags & RIB_A_LOCAL_PREF) ||
		before->local_pref != k->local_pref);

	profile_ha_in(&p->conf, set, k);
}

/*
 * One route through a peer's inbound policy into the RIB: added with
 * the attributes the policy gives it, or taken out if it denies.
 * Returns whether it was accepted.
 */
static bool
import_one(struct rde *rde, struct peer *p, const struct rib_prefix *pfx,
    uint32_t path_id, const struct rib_attrs_key *in, const char *plist,
    const char *rmap)
{
	struct rib_attrs_key k = *in;
	struct rib_attrs *a;

	if (pol_apply(rde->d->conf->pol, plist, rmap, pfx, &k, 0, &rde->pbuf) ==
	    POL_DENY) {
		rib_del(rde->rib, p->rib_id, pfx, path_id);
		return false;
	}
	ha_in(p, in, &k);
	a = rib_attrs_intern(rde->rib, &k);
	rib_add(rde->rib, p->rib_id, pfx, path_id, a);
	rib_attrs_unref(rde->rib, a);
	return true;
}

static void
announce(struct rde *rde, struct rib *rib, struct peer *p, uint16_t afi,
    const uint8_t *nlri, size_t len, bool addpath, const struct wire_attrs *w)
{
	const struct pol *pol = rde->d->conf->pol;
	struct rib_attrs_key k;
	struct rib_attrs *a;
	const char *plist = NULL, *rmap = NULL, *why;
	struct wire_nlri_iter it;
	struct wire_prefix wp;
	struct rib_prefix rp = { .afi = (uint8_t)afi };
	size_t n;

	if (len == 0 || !(rib_af(afi, BGP_SAFI_UNICAST) & p->nego.af))
		return;
	rib_attrs_key_from_wire(w, afi, &k, rde->ubuf);
	/* The stored copy (soft reconfiguration) is as received. */
	if (rib != rde->adjin) {
		if ((why = held_back(rde, p, afi, false)) != NULL) {
			p->held_in = why;
			n = rib_withdraw(
			    rib, p->rib_id, afi, nlri, len, addpath);
			refused(p, why, n);
			return;
		}
		p->held_in = NULL;
		nbr_policy(p, afi, false, &plist, &rmap);
	}
	if (plist == NULL && rmap == NULL) {
		if (rib != rde->adjin)
			profile_ha_in(&p->conf, false, &k);
		a = rib_attrs_intern(rib, &k);
		rib_announce(rib, p->rib_id, afi, nlri, len, addpath, a);
		rib_attrs_unref(rib, a);
		return;
	}
	if (!pol_per_prefix(pol, plist, rmap)) {
		struct rib_attrs_key before = k;

		/* One verdict for every prefix of the attribute set. */
		if (pol_apply(pol, plist, rmap, &rp, &k, 0, &rde->pbuf) ==
		    POL_DENY) {
			n = rib_withdraw(
			    rib, p->rib_id, afi, nlri, len, addpath);
			p->st.nlri_denied += n;
			return;
		}
		ha_in(p, &before, &k);
		a = rib_attrs_intern(rib, &k);
		rib_announce(rib, p->rib_id, afi, nlri, len, addpath, a);
		rib_attrs_unref(rib, a);
		return;
	}
	wire_nlri_iter_init(&it, nlri, len, afi, addpath);
	while (wire_nlri_next(&it, &wp) == 1) {
		rp.len = wp.len;
		memcpy(rp.addr, wp.addr, 16);
		if (!import_one(rde, p, &rp, wp.path_id, &k, plist, rmap))
			p->st.nlri_denied++;
	}
}

/* The UPDATE's changes to a RIB, import checks aside. */
static void
apply(struct rde *rde, struct rib *rib, struct peer *p,
    const struct wire_update *u)
{
	const struct wire_attrs *a = &u->attrs;
	bool ap4 = p->nego.addpath_rx & CONF_AF_IPV4;
	bool ap6 = p->nego.addpath_rx & CONF_AF_IPV6;

	rib_withdraw(
	    rib, p->rib_id, BGP_AFI_IPV4, u->withdrawn, u->withdrawn_len, ap4);
	if ((a->have & WIRE_HAVE(BGP_ATTR_MP_UNREACH_NLRI)) &&
	    (rib_af(a->mp_unreach.afi, a->mp_unreach.safi) & p->nego.af))
		rib_withdraw(rib, p->rib_id, a->mp_unreach.afi,
		    a->mp_unreach.nlri, a->mp_unreach.nlri_len,
		    a->mp_unreach.afi == BGP_AFI_IPV6 ? ap6 : ap4);
	announce(rde, rib, p, BGP_AFI_IPV4, u->nlri, u->nlri_len, ap4, a);
	if (a->have & WIRE_HAVE(BGP_ATTR_MP_REACH_NLRI))
		announce(rde, rib, p, a->mp_reach.afi, a->mp_reach.nlri,
		    a->mp_reach.nlri_len,
		    a->mp_reach.afi == BGP_AFI_IPV6 ? ap6 : ap4, a);
}

/* Received max-prefix: warn at the threshold, act past the limit. */
static void
check_max_prefix(struct rde *rde, struct peer *p)
{
	size_t n = rib_peer_count(rde->rib, p->rib_id, 0) +
	    rib_peer_count(rde->rib, p->rib_id, 1);
	uint64_t warn =
	    (uint64_t)p->conf.max_prefix * p->conf.max_prefix_warn / 100;

	if (n >= warn && !p->prefix_warned) {
		log_warn("neighbor %s: %zu routes, %u%% of its limit of %u",
		    p->name, n, p->conf.max_prefix_warn, p->conf.max_prefix);
		p->prefix_warned = true;
	}
	if (n <= p->conf.max_prefix || p->prefix_over)
		return;
	if (p->conf.max_prefix_warn_only) {
		if (!p->prefix_over)
			log_warn("neighbor %s: %zu routes, over its limit of "
				 "%u (warning only)",
			    p->name, n, p->conf.max_prefix);
		p->prefix_over = true;
		return;
	}
	log_err("neighbor %s: %zu routes, over its limit of %u: closing the "
		"session (Cease/1)%s",
	    p->name, n, p->conf.max_prefix,
	    p->conf.max_prefix_restart ? ""
				       : "; it stays down until reconfigured");
	p->prefix_over = true;
	rde->stop_pending = true;
}

static void
on_update(
    struct peer *p, const struct wire_update *u, const struct wire_err *err)
{
	struct rde *rde = rde_of(p);
	const struct wire_attrs *a = &u->attrs;
	bool bad = err->action == WIRE_TREAT_AS_WITHDRAW ||
	    err->action == WIRE_AFISAFI_DISABLE;
	const char *why;

	rde->work = true;
	if (p->prefix_over && !p->conf.max_prefix_warn_only)
		return; /* going down: take nothing more */
	/* Soft reconfiguration keeps the routes as received, too. */
	if (p->conf.soft_reconfig) {
		if (bad)
			withdraw_all(rde->adjin, p, u);
		else
			apply(rde, rde->adjin, p, u);
	}
	if (bad) {
		withdraw_all(rde->rib, p, u);
		return;
	}
	if (u->nlri_len == 0 && !(a->have & WIRE_HAVE(BGP_ATTR_MP_REACH_NLRI)))
		why = NULL;
	else {
		struct import_view v = { a->aspath, a->aspath_len,
			(a->have & WIRE_HAVE(BGP_ATTR_ORIGINATOR_ID)) != 0,
			a->originator_id, a->cluster_list,
			a->cluster_list_len };

		why = import_refused(rde, p, &v);
	}
	if (why != NULL) {
		refused(p, why, 1);
		withdraw_all(rde->rib, p, u);
		return;
	}
	apply(rde, rde->rib, p, u);
	if (p->conf.max_prefix != 0)
		check_max_prefix(rde, p);
}

/* ---- soft reconfiguration inbound ---- */

struct reimport {
	struct rde *rde;
	struct peer *p;
	size_t kept, refused;
};

/* One stored route through today's import checks into the RIB. */
static void
reimport_cb(void *arg, const struct rib_dest *d)
{
	struct reimport *ri = arg;
	struct rde *rde = ri->rde;
	const struct rib_path *path;
	struct rib_attrs_key k;
	const char *plist, *rmap;
	struct import_view v;

	for (path = d->paths; path != NULL; path = path->next) {
		if (path->peer != ri->p->rib_id)
			continue;
		v.aspath = rib_attrs_aspath(path->attrs);
		v.aspath_len = path->attrs->aspath_len;
		v.has_originator = (path->attrs->flags & RIB_A_ORIGINATOR) != 0;
		v.originator_id = path->attrs->originator_id;
		v.cluster = rib_attrs_cluster(path->attrs);
		v.cluster_len = path->attrs->cluster_len;
		if (import_refused(rde, ri->p, &v) != NULL ||
		    held_back(rde, ri->p, d->pfx.afi, false) != NULL) {
			rib_del(rde->rib, path->peer, &d->pfx, path->path_id);
			ri->refused++;
			continue;
		}
		nbr_policy(ri->p, d->pfx.afi, false, &plist, &rmap);
		rib_attrs_key_of(path->attrs, &k);
		if (import_one(
			rde, ri->p, &d->pfx, path->path_id, &k, plist, rmap))
			ri->kept++;
		else
			ri->refused++;
	}
}

/* New import settings applied to the routes as received. */
static void
reimport(struct rde *rde, struct peer *p)
{
	struct reimport ri = { rde, p, 0, 0 };

	rib_walk(rde->adjin, BGP_AFI_IPV4, reimport_cb, &ri);
	rib_walk(rde->adjin, BGP_AFI_IPV6, reimport_cb, &ri);
	rde->work = true;
	log_info("neighbor %s: import settings changed; applied to its %zu "
		 "stored routes (soft reconfiguration): %zu accepted, %zu "
		 "refused",
	    p->name, ri.kept + ri.refused, ri.kept, ri.refused);
}

/*
 * ---- before the loop waits again ----
 *
 * A prepare watcher, not a check watcher: callbacks of the same turn
 * (a session's idle watcher finishing a read buffer) may run after a
 * check watcher, and their changes would then wait for the next event.
 */

static bool
send_cb(void *arg, const uint8_t *msg, size_t len)
{
	return sess_queue(arg, msg, len);
}

static void
mrai_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	/* Nothing to do here: the prepare watcher runs before the wait. */
}

/*
 * The minimum route advertisement interval (RFC 4271 §9.2.1.1), off
 * unless configured: true if the peer must wait, its timer armed.
 */
static bool
mrai_wait(struct rde *rde, struct peer *p)
{
	ev_tstamp due;
	ev_timer *t = &rde->t_mrai[p->rib_id];

	if (p->conf.mrai == 0 || rde->last_flush[p->rib_id] == 0)
		return false;
	due = rde->last_flush[p->rib_id] + p->conf.mrai;
	if (due <= ev_now(rde->d->loop))
		return false;
	if (!ev_is_active(t)) {
		ev_timer_init(t, mrai_cb, due - ev_now(rde->d->loop), 0.);
		ev_timer_start(rde->d->loop, t);
	}
	return true;
}

/*
 * The outbound cap, after each flush: a warning when a family reaches
 * PROFILE_OUT_WARN % of it, and a line whenever the number withheld
 * changes (the first of them named).
 */
static void
cap_log(struct rde *rde, struct peer *p)
{
	uint32_t max = profile_out_max(&p->conf);
	struct rib_out_cap oc;
	char first[64];
	int t;

	if (max == 0)
		return;
	for (t = 0; t < 2; t++) {
		const char *fam = t == 0 ? "IPv4" : "IPv6";
		bool *warned = &rde->cap_warned[p->rib_id][t];
		size_t *held = &rde->cap_held[p->rib_id][t];

		rib_out_cap(rde->rib, p->rib_id, t, &oc);
		if (oc.adv * 100 >= (uint64_t)max * PROFILE_OUT_WARN &&
		    !*warned)
			log_warn(
			    "neighbor %s: %zu %s prefixes advertised, %zu%% "
			    "of its outbound cap of %u",
			    p->name, oc.adv, fam, oc.adv * 100 / max, max);
		*warned = oc.adv * 100 >= (uint64_t)max * PROFILE_OUT_WARN;
		if (oc.held == *held)
			continue;
		if (oc.held > 0) {
			pol_prefix_str(&oc.first_held, first, sizeof(first));
			log_warn("neighbor %s: outbound cap of %u %s prefixes "
				 "reached: %zu withheld (the first %s), so "
				 "that the peer keeps the session",
			    p->name, max, fam, oc.held, first);
		} else
			log_info("neighbor %s: no %s prefix withheld any more "
				 "(%zu advertised, cap %u)",
			    p->name, fam, oc.adv, max);
		*held = oc.held;
	}
}

static void
prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct rde *rde = w->data;
	struct peer *p;
	uint64_t bit;

	if (rde->stop_pending) {
		/* Not from inside the session's own callback. */
		rde->stop_pending = false;
		for (p = rde->d->peers; p != NULL; p = p->next)
			if (p->prefix_over && !p->conf.max_prefix_warn_only &&
			    p->state == FSM_ESTABLISHED)
				sess_hold_down(p, BGP_CEASE_MAX_PREFIX,
				    p->conf.max_prefix_restart * 60.0);
	}
	if (rde->work) {
		rde->work = false;
		rib_process(rde->rib);
		for (p = rde->d->peers; p != NULL; p = p->next)
			if (p->state == FSM_ESTABLISHED &&
			    rib_out_pending(rde->rib, p->rib_id))
				rde->want_flush |= (uint64_t)1 << p->rib_id;
	}
	if (rde->want_flush == 0)
		return;
	for (p = rde->d->peers; p != NULL; p = p->next) {
		bit = (uint64_t)1 << p->rib_id;
		if (!(rde->want_flush & bit))
			continue;
		if (p->state == FSM_ESTABLISHED && mrai_wait(rde, p))
			continue; /* its timer brings it back */
		rde->want_flush &= ~bit;
		/* If its queue fills, the writable hook brings it back. */
		if (p->state == FSM_ESTABLISHED) {
			rde->last_flush[p->rib_id] = ev_now(loop);
			rib_out_flush(
			    rde->rib, p->rib_id, sess_max_msg(p), send_cb, p);
			sess_flush(p); /* one write for the whole batch */
			cap_log(rde, p);
		}
	}
}

/* The loc-RIB changed for a prefix: the export stream's journal. */
static void
best_changed(void *arg, const struct rib_dest *dest)
{
	struct rde *rde = arg;

	exp_route_changed(rde->d->exp, dest);
}

struct rde *
rde_new(struct bgpd *d)
{
	struct rde *rde = calloc(1, sizeof(*rde));
	struct rib_config rc = { 0 };
	struct rib_hooks rh = { export_ok, nexthop_ok, best_changed, NULL };

	if (rde == NULL)
		log_fatal("out of memory");
	rde->d = d;
	rh.arg = rde;
	rde->nht = nht_new(d->loop, nexthops_changed, rde);
	rde->rib = rib_new(&rc, &rh);
	d->rib = rde->rib;
	rc.store_only = true;
	rde->adjin = rib_new(&rc, NULL);
	d->hooks.established = on_established;
	d->hooks.down = on_down;
	d->hooks.update = on_update;
	d->hooks.stale_flush = on_stale_flush;
	d->hooks.af_drop = on_af_drop;
	d->hooks.refresh = on_refresh;
	d->hooks.writable = on_writable;
	d->hooks.arg = rde;
	ev_prepare_init(&rde->w_prepare, prepare_cb);
	rde->w_prepare.data = rde;
	ev_prepare_start(d->loop, &rde->w_prepare);
	return rde;
}

/*
 * Asks the peer for its routes again (RFC 2918), to import them anew;
 * with soft reconfiguration, re-imports the stored ones instead,
 * unless fill is set (the store was just switched on and is empty).
 */
static void
request_refresh(struct peer *p, bool fill)
{
	struct wire_rrefresh rr = { 0, BGP_RR_NORMAL, BGP_SAFI_UNICAST };
	uint8_t msg[BGP_HDR_LEN + BGP_RREFRESH_BODY];

	if (p->conf.soft_reconfig && !fill) {
		reimport(rde_of(p), p);
		return;
	}
	if (!p->nego.route_refresh && !p->nego.enhanced_rr) {
		log_warn("neighbor %s: import settings changed, but it cannot "
			 "refresh its routes (no route refresh capability); "
			 "they apply to routes it sends from now on",
		    p->name);
		return;
	}
	if (p->nego.af & CONF_AF_IPV4) {
		rr.afi = BGP_AFI_IPV4;
		sess_send(p, msg, wire_rrefresh_encode(&rr, msg, sizeof(msg)));
	}
	if (p->nego.af & CONF_AF_IPV6) {
		rr.afi = BGP_AFI_IPV6;
		sess_send(p, msg, wire_rrefresh_encode(&rr, msg, sizeof(msg)));
	}
	if (fill)
		log_info("neighbor %s: soft reconfiguration switched on; "
			 "asked it for its routes to store (route refresh)",
		    p->name);
	else
		log_info("neighbor %s: import settings changed; asked it for "
			 "its routes again (route refresh)",
		    p->name);
}

/* ---- routes we originate (network) ---- */

/* The route of a network statement: IGP, empty path, our next hop. */
static void
originate_one(
    struct rde *rde, const struct conf *c, const struct conf_network *nw)
{
	struct rib_attrs_key k;
	struct rib_attrs *a;

	memset(&k, 0, sizeof(k));
	k.origin = BGP_ORIGIN_IGP;
	k.flags = RIB_A_ASPATH;
	if (nw->rmap[0] != '\0' &&
	    pol_apply(c->pol, NULL, nw->rmap, &nw->pfx, &k, 0, &rde->pbuf) ==
		POL_DENY) {
		rib_del(rde->rib, RIB_PEER_LOCAL, &nw->pfx, 0);
		return;
	}
	a = rib_attrs_intern(rde->rib, &k);
	rib_add(rde->rib, RIB_PEER_LOCAL, &nw->pfx, 0, a);
	rib_attrs_unref(rde->rib, a);
}

/* The network statements in force: new and changed ones, gone ones. */
static void
originate(struct rde *rde, const struct conf *c)
{
	const struct conf_network *nw, *old;

	for (old = rde->last ? rde->last->networks : NULL; old != NULL;
	     old = old->next) {
		for (nw = c->networks; nw != NULL; nw = nw->next)
			if (memcmp(&nw->pfx, &old->pfx, sizeof(nw->pfx)) == 0)
				break;
		if (nw == NULL)
			rib_del(rde->rib, RIB_PEER_LOCAL, &old->pfx, 0);
	}
	/* Interned: an unchanged route is the same set, and no change. */
	for (nw = c->networks; nw != NULL; nw = nw->next)
		originate_one(rde, c, nw);
}

void
rde_configure(struct rde *rde, const struct conf *c)
{
	struct rib_config rc = { 0 }, old = rde->rc;
	struct policy_print pp;
	struct rib_peer_info pi;
	struct peer *p;
	bool decide_all;

	rc.asn = c->asn;
	rc.router_id = rde->d->router_id;
	rc.cluster_id = c->cluster_id;
	rc.maximum_paths = c->maximum_paths;
	rc.multipath_relax = c->multipath_relax;
	rc.always_compare_med = c->always_compare_med;
	rib_set_config(rde->rib, &rc);
	rde->rc = rc;
	decide_all = rde->configured &&
	    (old.maximum_paths != rc.maximum_paths ||
		old.multipath_relax != rc.multipath_relax ||
		old.always_compare_med != rc.always_compare_med ||
		old.router_id != rc.router_id);
	if (decide_all)
		rib_redecide(rde->rib);
	if (rde->last != NULL &&
	    rde->last->allow_martian_nexthop != c->allow_martian_nexthop)
		nexthops_changed(rde);
	originate(rde, c);
	for (p = rde->d->peers; p != NULL; p = p->next) {
		const struct conf_neighbor *on = rde->last == NULL
		    ? NULL
		    : conf_neighbor_find(rde->last, &p->conf.addr);
		bool in_changed = on != NULL &&
		    pol_neighbor_changed(rde->last, on, c, &p->conf, false);
		bool out_changed = on != NULL &&
		    pol_neighbor_changed(rde->last, on, c, &p->conf, true);

		policy_print(c, &p->conf, &pp);
		if (p->state == FSM_ESTABLISHED && rde->configured &&
		    (memcmp(&pp, &rde->pp[p->rib_id], sizeof(pp)) != 0 ||
			in_changed || out_changed)) {
			/* Export settings: work its routes out again. */
			fill_info(p, &pi);
			rib_peer_set(rde->rib, p->rib_id, &pi);
			rib_out_refresh(rde->rib, p->rib_id,
			    RIB_AF_IPV4 | RIB_AF_IPV6, false);
			rde->want_flush |= (uint64_t)1 << p->rib_id;
			/* Import settings: have its routes again. */
			if (pp.soft_reconfig &&
			    !rde->pp[p->rib_id].soft_reconfig) {
				/* Switched on: have its routes to store. */
				rib_peer_flush(rde->adjin, p->rib_id,
				    RIB_AF_IPV4 | RIB_AF_IPV6);
				request_refresh(p, true);
			} else if (in_changed ||
			    pp.allowas_in != rde->pp[p->rib_id].allowas_in) {
				p->rde_policy_warned = false;
				request_refresh(p, false);
			}
			if (!pp.soft_reconfig)
				rib_peer_flush(rde->adjin, p->rib_id,
				    RIB_AF_IPV4 | RIB_AF_IPV6);
		}
		rde->pp[p->rib_id] = pp;
		if (p->state == FSM_ESTABLISHED)
			log_held_out(rde, p);
	}
	conf_free(rde->last);
	rde->last = conf_dup(c);
	rde->configured = true;
	rde->work = true;
}

struct rib *
rde_rib(struct rde *rde)
{
	return rde->rib;
}

void
rde_free(struct rde *rde)
{
	int i;

	for (i = 0; i < RIB_MAX_PEERS; i++)
		ev_timer_stop(rde->d->loop, &rde->t_mrai[i]);
	ev_prepare_stop(rde->d->loop, &rde->w_prepare);
	rib_free(rde->rib);
	rib_free(rde->adjin);
	nht_free(rde->nht);
	conf_free(rde->last);
	free(rde);
}

/*
 * ---- clear bgp X soft, from the shell ----
 *
 * The same work as a reload that changes a neighbor's settings, asked
 * for by hand: its routes through import again, ours sent again.
 */

enum rde_soft
rde_soft_in(struct peer *p)
{
	if (p->d->hooks.update != on_update || p->state != FSM_ESTABLISHED)
		return RDE_SOFT_NOT_UP;
	if (!p->conf.soft_reconfig && !p->nego.route_refresh &&
	    !p->nego.enhanced_rr)
		return RDE_SOFT_CANNOT;
	p->rde_policy_warned = false;
	/* The stored routes re-imported, or a route refresh asked for. */
	request_refresh(p, false);
	return p->conf.soft_reconfig ? RDE_SOFT_STORED : RDE_SOFT_REFRESH;
}

enum rde_soft
rde_soft_out(struct peer *p)
{
	struct rde *rde;

	if (p->d->hooks.update != on_update || p->state != FSM_ESTABLISHED)
		return RDE_SOFT_NOT_UP;
	rde = rde_of(p);
	rib_out_refresh(rde->rib, p->rib_id, RIB_AF_IPV4 | RIB_AF_IPV6, false);
	rde->want_flush |= (uint64_t)1 << p->rib_id;
	log_info("neighbor %s: sending it our routes again (clear soft out)",
	    p->name);
	return RDE_SOFT_SENT;
}

struct rib *
rde_adj_rib_in(struct bgpd *d)
{
	if (d->hooks.update != on_update)
		return NULL;
	return ((struct rde *)d->hooks.arg)->adjin;
}

size_t
rde_tencent_withheld(struct peer *p)
{
	const struct rib_prefix *v;
	struct rib_dest *d;
	size_t i, n, count = 0;

	if (p->d->hooks.update != on_update ||
	    p->conf.profile != PROFILE_TENCENT || p->state != FSM_ESTABLISHED)
		return 0;
	v = profile_tencent_refused(&n);
	for (i = 0; i < n; i++) {
		if (!(rde_of(p)->tencent_logged[p->rib_id] & (1u << i)))
			continue;
		/* Refused once its policy let it through, still selected. */
		d = rib_lookup(rde_of(p)->rib, &v[i]);
		if (d != NULL && d->best != NULL)
			count++;
	}
	return count;
}

const char *
rde_held_back(struct peer *p, uint16_t afi, bool out)
{
	if (p->d->hooks.update != on_update)
		return NULL;
	return held_back(rde_of(p), p, afi, out);
}
