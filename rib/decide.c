/*
 * decide.c: the decision process, RFC 4271 §9.1.2 (phase 2: the best
 * route of a destination) with the route reflection rules of
 * RFC 4456 §9, plus the choice of the paths used with the best one for
 * multipath.  It owns the order of the rules and nothing else: it reads
 * paths, attribute sets, peer information and the configuration, and
 * its only effect is to reorder a destination's list of paths and set
 * its nbest.  Phase 1 (§9.1.1, the degree of preference) is LOCAL_PREF
 * as inbound policy left it; phase 3 (§9.1.3) is adjout.c's.
 *
 * The rules, in order, one function each below:
 *    1  highest LOCAL_PREF (absent: 100)                  §9.1.1
 *    2  locally originated                                 local practice
 *    3  fewest AS numbers in AS_PATH                       §9.1.2.2 a
 *    4  lowest ORIGIN                                      §9.1.2.2 b
 *    5  lowest MED among paths from one neighbor AS        §9.1.2.2 c
 *    6  learned by eBGP over learned by iBGP               §9.1.2.2 d
 *       (§9.1.2.2 e, the interior cost to the NEXT_HOP, is not used:
 *       there is no IGP here; next hops that do not resolve, §9.1.2.1,
 *       are RIB_P_INELIGIBLE and never candidates)
 *    7  lowest BGP Identifier, ORIGINATOR_ID in its place  §9.1.2.2 f,
 *                                                          RFC 4456 §9
 *    8  shortest CLUSTER_LIST                              RFC 4456 §9
 *    9  lowest peer address                                §9.1.2.2 g
 *   10  lowest path identifier (ADD-PATH, RFC 7911)        local practice
 *   11  lowest peer number                                 determinism
 * Rule 11 only separates two peers that share an address, and rule 10
 * only two paths from one peer; after rule 11 two different paths of
 * one destination are never equal, so the outcome never depends on the
 * order of the list.
 *
 * §9.1.2.2 is written as an elimination over the set of candidates, and
 * rule 5 compares only paths from the same neighbor AS.  "a is better
 * than b" is then not transitive (A beats B on rule 7, B beats C on rule
 * 7, C beats A on rule 5), so no sort or pairwise scan gives the RFC's
 * answer for every order.  rib_decide runs each rule over the whole
 * candidate set; rib_path_cmp is the same elimination on two paths.
 *
 * Multipath: the candidates left after rule 6 are equal by every rule
 * that speaks of the route itself (for paths from different neighbor
 * ASes, MED is not compared, as in rule 5).  Those with the best path's
 * neighbor AS (any, with multipath_relax) are used with it, at most
 * maximum_paths in all, taken in the order of rules 7 to 11.
 */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dxbgp/bgp.h"
#include "rib_int.h"

/*
 * The LOCAL_PREF of a route that carries none (an eBGP route that
 * inbound policy left alone): 100, the default of FRR, BIRD and Cisco.
 */
#define DECIDE_DEFAULT_LOCAL_PREF 100

/*
 * One rule: <0 if it prefers a, >0 if it prefers b, 0 if it does not
 * tell them apart.
 */
typedef int decide_rule_fn(
    const struct rib *, const struct rib_path *, const struct rib_path *);

static int
cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

static bool
path_is_local(const struct rib_path *p)
{
	return p->peer == RIB_PEER_LOCAL;
}

static bool
path_is_ibgp(const struct rib *r, const struct rib_path *p)
{
	return !path_is_local(p) && r->peer[p->peer].ibgp;
}

static uint32_t
path_local_pref(const struct rib_path *p)
{
	if (p->attrs->flags & RIB_A_LOCAL_PREF)
		return p->attrs->local_pref;
	return DECIDE_DEFAULT_LOCAL_PREF;
}

/*
 * §9.1.2.2 c: "If route n has no MULTI_EXIT_DISC attribute, the
 * function returns the lowest possible MULTI_EXIT_DISC value (i.e., 0)."
 */
static uint32_t
path_med(const struct rib_path *p)
{
	if (p->attrs->flags & RIB_A_MED)
		return p->attrs->med;
	return 0;
}

/*
 * §9.1.2.2 c, neighborAS(n): the leftmost AS of the path; for a route
 * with an empty path that we or another speaker of our AS originated,
 * our own AS.  An eBGP route with an empty path (a transparent route
 * server's) gets the peer's AS.
 */
static uint32_t
path_neighbor_as(const struct rib *r, const struct rib_path *p)
{
	if (p->attrs->first_as != 0)
		return p->attrs->first_as;
	if (path_is_local(p) || r->peer[p->peer].ibgp)
		return r->conf.asn;
	return r->peer[p->peer].asn;
}

/* RFC 4456 §9: the ORIGINATOR_ID stands for the BGP Identifier. */
static uint32_t
path_bgp_id(const struct rib *r, const struct rib_path *p)
{
	if (p->attrs->flags & RIB_A_ORIGINATOR)
		return p->attrs->originator_id;
	if (path_is_local(p))
		return r->conf.router_id;
	return r->peer[p->peer].router_id;
}

/* Rule 1, §9.1.1: the degree of preference is LOCAL_PREF, highest wins. */
static int
rule_local_pref(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	return cmp_u32(path_local_pref(b), path_local_pref(a));
}

/*
 * Rule 2, not in the RFC (FRR and Cisco IOS have it, right after
 * LOCAL_PREF): a route we originate beats a learned one of the same
 * preference.
 */
static int
rule_local(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	return cmp_u32(path_is_local(b), path_is_local(a));
}

/*
 * Rule 3, §9.1.2.2 a: "Remove from consideration all routes that are
 * not tied for having the smallest number of AS numbers present in
 * their AS_PATH attributes."  aspath_hops counts an AS_SET as 1 and
 * confederation segments as 0 (RFC 5065 §5.3).
 */
static int
rule_aspath(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	return cmp_u32(a->attrs->aspath_hops, b->attrs->aspath_hops);
}

/*
 * Rule 4, §9.1.2.2 b: "Remove from consideration all routes that are
 * not tied for having the lowest Origin number in their Origin
 * attribute" (IGP < EGP < INCOMPLETE).
 */
static int
rule_origin(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	return cmp_u32(a->attrs->origin, b->attrs->origin);
}

/*
 * Rule 5, §9.1.2.2 c: a route is removed if another route from the
 * same neighbor AS has a lower MED.  always_compare_med (a common
 * option, not in the RFC) compares all routes.  Not transitive: paths
 * from two neighbor ASes are not compared at all.
 */
static int
rule_med(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	if (!r->conf.always_compare_med &&
	    path_neighbor_as(r, a) != path_neighbor_as(r, b))
		return 0;
	return cmp_u32(path_med(a), path_med(b));
}

/*
 * Rule 6, §9.1.2.2 d: "If at least one of the candidate routes was
 * received via EBGP, remove from consideration all routes that were
 * received via IBGP."  Local routes count as not iBGP (they have all won rule 2
 * already if there is one).
 */
static int
rule_ebgp(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	return cmp_u32(path_is_ibgp(r, a), path_is_ibgp(r, b));
}

/*
 * Rule 7, §9.1.2.2 f: "Remove from consideration all routes other than
 * the route that was advertised by the BGP speaker with the lowest BGP
 * Identifier value", where RFC 4456 §9 has a route that carries an
 * ORIGINATOR_ID use it as the BGP Identifier of the speaker that
 * advertised it.  Ours for local routes.
 */
static int
rule_bgp_id(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	return cmp_u32(path_bgp_id(r, a), path_bgp_id(r, b));
}

/*
 * Rule 8, RFC 4456 §9: "the following rule SHOULD be inserted between
 * Steps f) and g): a BGP Speaker SHOULD prefer a route with the shorter
 * CLUSTER_LIST length."  cluster_len is in bytes, 4 per CLUSTER_ID.
 */
static int
rule_cluster_list(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	return cmp_u32(a->attrs->cluster_len / 4u, b->attrs->cluster_len / 4u);
}

/*
 * Rule 9, §9.1.2.2 g: "Prefer the route received from the lowest peer
 * address."  Compared as bytes, IPv4 before IPv6; local routes have no
 * address and come first (they only meet each other here).
 */
static int
rule_peer_addr(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	const struct rib_peer_info *pa = &r->peer[a->peer];
	const struct rib_peer_info *pb = &r->peer[b->peer];
	size_t la = path_is_local(a) ? 0 : pa->addr_len;
	size_t lb = path_is_local(b) ? 0 : pb->addr_len;
	int c;

	assert(la <= sizeof(pa->addr) && lb <= sizeof(pb->addr));
	if (la != lb)
		return la < lb ? -1 : 1;
	c = memcmp(pa->addr, pb->addr, la);
	return (c > 0) - (c < 0);
}

/*
 * Rule 10: two paths from one peer (RFC 7911 ADD-PATH, or local routes)
 * that agree on everything else: the lowest path identifier.
 */
static int
rule_path_id(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	return cmp_u32(a->path_id, b->path_id);
}

/* Rule 11: two peers with one address (misconfiguration): the lowest id. */
static int
rule_peer_id(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	return cmp_u32(a->peer, b->peer);
}

static const struct decide_rule {
	decide_rule_fn *cmp;
	/*
	 * The rule orders only some pairs (rule 5): a path is removed if
	 * another candidate beats it.  Otherwise the rule is a total
	 * preorder and the candidates tied with the first survive.
	 */
	bool partial;
} decide_rules[] = {
	{ rule_local_pref, false },
	{ rule_local, false },
	{ rule_aspath, false },
	{ rule_origin, false },
	{ rule_med, true },
	{ rule_ebgp, false },
	{ rule_bgp_id, false },
	{ rule_cluster_list, false },
	{ rule_peer_addr, false },
	{ rule_path_id, false },
	{ rule_peer_id, false },
};

#define DECIDE_NRULES (sizeof(decide_rules) / sizeof(decide_rules[0]))
/* Rules 1-6 choose the multipath set; 7-11 only break ties. */
#define DECIDE_NSELECT 6

static void
push(struct rib_path **list, struct rib_path *p)
{
	p->next = *list;
	*list = p;
}

/* The first of a non-empty list by a total preorder. */
static const struct rib_path *
first_by(const struct rib *r, decide_rule_fn *cmp, const struct rib_path *list)
{
	const struct rib_path *min = list, *p;

	for (p = list->next; p != NULL; p = p->next)
		if (cmp(r, p, min) < 0)
			min = p;
	return min;
}

/* Is p beaten by a path of list (p may be on it: no rule beats itself)? */
static bool
beaten(const struct rib *r, decide_rule_fn *cmp, const struct rib_path *list,
    const struct rib_path *p)
{
	const struct rib_path *q;

	for (q = list; q != NULL; q = q->next)
		if (cmp(r, q, p) < 0)
			return true;
	return false;
}

/*
 * Moves from *cand to *out every candidate that rule removes.  For a
 * partial rule, removing beaten paths one at a time leaves the same set
 * as removing them all at once: a beaten path is beaten by one that is
 * not (the order is strict, the set finite), and those stay.
 */
static void
eliminate(const struct rib *r, const struct decide_rule *rule,
    struct rib_path **cand, struct rib_path **out)
{
	const struct rib_path *min = NULL;
	struct rib_path **pp = cand, *p;
	bool drop;

	if (*cand == NULL)
		return;
	if (!rule->partial)
		min = first_by(r, rule->cmp, *cand);
	while ((p = *pp) != NULL) {
		if (rule->partial)
			drop = beaten(r, rule->cmp, *cand, p);
		else
			drop = rule->cmp(r, min, p) < 0;
		if (drop) {
			*pp = p->next;
			push(out, p);
		} else
			pp = &p->next;
	}
}

/* Rules 7 to 11, which order all paths totally. */
static int
tie_break(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	size_t i;
	int c;

	for (i = DECIDE_NSELECT; i < DECIDE_NRULES; i++)
		if ((c = decide_rules[i].cmp(r, a, b)) != 0)
			return c;
	return 0;
}

/* May p be used with best for multipath?  (Both survived rules 1-6.) */
static bool
multipath_ok(
    const struct rib *r, const struct rib_path *best, const struct rib_path *p)
{
	return r->conf.multipath_relax ||
	    path_neighbor_as(r, p) == path_neighbor_as(r, best);
}

/*
 * Unlinks and returns the first candidate in tie-break order; with
 * best, only among those multipath_ok.  NULL if there is none.
 */
static struct rib_path *
take_first(
    const struct rib *r, struct rib_path **cand, const struct rib_path *best)
{
	struct rib_path **pp, **minp = NULL, *p;

	for (pp = cand; *pp != NULL; pp = &(*pp)->next) {
		if (best != NULL && !multipath_ok(r, best, *pp))
			continue;
		if (minp == NULL || tie_break(r, *pp, *minp) < 0)
			minp = pp;
	}
	if (minp == NULL)
		return NULL;
	p = *minp;
	*minp = p->next;
	return p;
}

void
rib_decide(struct rib *r, struct rib_dest *d)
{
	struct rib_path *cand = NULL, *out = NULL, *p, *next, *best, **tail;
	size_t i, n, max;

	assert(r != NULL && d != NULL);
	/* One path, the usual case: nothing to choose between. */
	if (d->paths != NULL && d->paths->next == NULL) {
		d->nbest = (d->paths->flags & RIB_P_INELIGIBLE) ? 0 : 1;
		return;
	}
	for (p = d->paths; p != NULL; p = next) {
		next = p->next;
		assert(p->attrs != NULL && p->peer < RIB_MAX_PEERS);
		push(p->flags & RIB_P_INELIGIBLE ? &out : &cand, p);
	}
	if (cand == NULL) {
		d->paths = out;
		d->nbest = 0;
		return;
	}
	for (i = 0; i < DECIDE_NSELECT; i++)
		eliminate(r, &decide_rules[i], &cand, &out);

	/* The best, then the multipath set, then the rest in any order. */
	best = take_first(r, &cand, NULL);
	d->paths = best;
	tail = &best->next;
	max = r->conf.maximum_paths > 1 ? r->conf.maximum_paths : 1;
	for (n = 1; n < max && (p = take_first(r, &cand, best)) != NULL; n++) {
		*tail = p;
		tail = &p->next;
	}
	*tail = cand;
	while (*tail != NULL)
		tail = &(*tail)->next;
	*tail = out;
	d->nbest = (uint8_t)n;
}

/*
 * The elimination on {a, b}: which rule first tells them apart.  The
 * magnitude is that rule's number (1-11 above), for `show` and tests;
 * 0 only for the same peer, path identifier and deciding attributes.
 * RIB_P_INELIGIBLE is not looked at.
 */
int
rib_path_cmp(
    const struct rib *r, const struct rib_path *a, const struct rib_path *b)
{
	size_t i;
	int c;

	for (i = 0; i < DECIDE_NRULES; i++)
		if ((c = decide_rules[i].cmp(r, a, b)) != 0)
			return c < 0 ? -(int)(i + 1) : (int)(i + 1);
	return 0;
}
