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

#include "log.h"
#include "rde.h"
#include "sess_sock.h"

/* What a peer's routes depend on, to notice a reload that changes it. */
struct policy_print {
	bool requires_policy;
	bool soft_reconfig;
	uint8_t allowas_in;
	bool next_hop_self, remove_private_as, as_override, rr_client;
	uint32_t local_as;
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

/* A next hop in no usable range makes the route ineligible. */
static bool
nexthop_ok(void *arg, const struct rib_attrs *a)
{
	struct rde *rde = arg;
	bool allow = rde->d->conf->allow_martian_nexthop;

	if (a->nh_len == 4)
		return !martian4(a->nexthop, allow);
	if (a->nh_len >= 16)
		return !martian6(a->nexthop, allow);
	return false;
}

/* Outbound policy.  RFC 8212: nothing to an external peer without it. */
static struct rib_attrs *
export_ok(
    void *arg, uint16_t id, const struct rib_dest *d, struct rib_attrs *out)
{
	struct rde *rde = arg;
	struct peer *p = peer_by_id(rde, id);

	if (p == NULL)
		return NULL;
	if (rde->d->conf->ebgp_requires_policy &&
	    p->conf.remote_as != rde->d->conf->asn)
		return NULL;
	rib_attrs_ref(out);
	return out;
}

/* ---- session hooks ---- */

static struct rde *
rde_of(struct peer *p)
{
	return p->d->hooks.arg;
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
	if (ebgp && c->ebgp_requires_policy)
		return "no inbound policy for an external neighbor (RFC 8212)";
	return NULL;
}

static void
announce(struct rde *rde, struct rib *rib, struct peer *p, uint16_t afi,
    const uint8_t *nlri, size_t len, bool addpath, const struct wire_attrs *w)
{
	struct rib_attrs_key k;
	struct rib_attrs *a;

	if (len == 0 || !(rib_af(afi, BGP_SAFI_UNICAST) & p->nego.af))
		return;
	rib_attrs_key_from_wire(w, afi, &k, rde->ubuf);
	a = rib_attrs_intern(rib, &k);
	rib_announce(rib, p->rib_id, afi, nlri, len, addpath, a);
	rib_attrs_unref(rib, a);
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
		p->st.nlri_refused++;
		if (!p->rde_policy_warned) {
			log_warn("neighbor %s: routes not accepted: %s",
			    p->name, why);
			p->rde_policy_warned = true;
		}
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
	struct rib_attrs *a;
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
		if (import_refused(rde, ri->p, &v) != NULL) {
			rib_del(rde->rib, path->peer, &d->pfx, path->path_id);
			ri->refused++;
			continue;
		}
		rib_attrs_key_of(path->attrs, &k);
		a = rib_attrs_intern(rde->rib, &k);
		rib_add(rde->rib, path->peer, &d->pfx, path->path_id, a);
		rib_attrs_unref(rde->rib, a);
		ri->kept++;
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
		}
	}
}

struct rde *
rde_new(struct bgpd *d)
{
	struct rde *rde = calloc(1, sizeof(*rde));
	struct rib_config rc = { 0 };
	struct rib_hooks rh = { export_ok, nexthop_ok, NULL, NULL };

	if (rde == NULL)
		log_fatal("out of memory");
	rde->d = d;
	rh.arg = rde;
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
	for (p = rde->d->peers; p != NULL; p = p->next) {
		policy_print(c, &p->conf, &pp);
		if (p->state == FSM_ESTABLISHED && rde->configured &&
		    memcmp(&pp, &rde->pp[p->rib_id], sizeof(pp)) != 0) {
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
			} else if (pp.requires_policy !=
				rde->pp[p->rib_id].requires_policy ||
			    pp.allowas_in != rde->pp[p->rib_id].allowas_in) {
				p->rde_policy_warned = false;
				request_refresh(p, false);
			}
			if (!pp.soft_reconfig)
				rib_peer_flush(rde->adjin, p->rib_id,
				    RIB_AF_IPV4 | RIB_AF_IPV6);
		}
		rde->pp[p->rib_id] = pp;
	}
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
	free(rde);
}
