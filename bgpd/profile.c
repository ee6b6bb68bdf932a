/*
 * profile.c: provider profiles (aws, tencent, carrier) and the HA
 * presets of neighbors.
 *
 * A profile is a row of a table: the cloud's AS, timers, BFD values
 * and outbound prefix cap, used where a neighbor leaves them unset
 * (conf.c asks through profile_of).  The checks of a whole tree run
 * here too: profile_check refuses what the cloud would refuse (AWS: no
 * MD5 or a key outside 6-80 characters, multihop or GTSM, hold time 0,
 * both families on one session; Tencent: key characters it rejects,
 * the aggregates it forbids), and profile_warn reports what is likely a
 * mistake (no key toward Tencent, overlapping networks toward one
 * cloud, an outbound policy that would pass one cloud's routes to
 * another, two neighbors of one AS without as-override).  At run time
 * rde.c asks for the cap, the Tencent verdict on a prefix, and the HA
 * presets, which are pure functions over an attribute key.
 *
 * Sources: ../shared/reference/dx-requirements.md ([A1]-[A18] AWS
 * Direct Connect, [T1]-[T8] Tencent Cloud Direct Connect, [Z1]
 * Zenlayer); RFC 1997 (communities), RFC 4271 §9.1.2 (loops), RFC 5082
 * (GTSM), RFC 8212 (explicit policy).  Decisions: doc/decisions.md,
 * "Provider profiles".
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <dxbgp/bgp.h>
#include <dxbgp/bytes.h>

#include "cmd.h"
#include "conf.h"
#include "policy_int.h"
#include "profile.h"

static const struct profile profiles[PROFILE_COUNT] = {
	[PROFILE_AWS] = { "aws", "AWS", 64512, 30, 90, 300, 3,
	    PROFILE_AWS_OUT_MAX },
	[PROFILE_TENCENT] = { "tencent", "Tencent", 45090, 60, 180, 1000, 3,
	    0 },
	[PROFILE_CARRIER] = { "carrier", "the carrier", 62610, 0, 0, 0, 0, 0 },
};

const struct profile *
profile_get(unsigned kind)
{
	if (kind == PROFILE_NONE || kind >= PROFILE_COUNT)
		return NULL;
	return &profiles[kind];
}

int
profile_by_name(const char *name)
{
	for (unsigned k = PROFILE_NONE + 1; k < PROFILE_COUNT; k++)
		if (strcmp(profiles[k].name, name) == 0)
			return (int)k;
	return -1;
}

const struct profile *
profile_of(const struct conf_neighbor *n)
{
	return profile_get(n->profile);
}

const char *
profile_ha_name(unsigned ha)
{
	return ha == PROFILE_HA_PRIMARY ? "primary"
	    : ha == PROFILE_HA_BACKUP   ? "backup"
					: NULL;
}

/* ---- keys ---- */

#define AWS_KEY_MIN 6 /* [A18] */
#define AWS_KEY_MAX 80

const char *
profile_key_refused(unsigned kind, const char *key, char *buf, size_t len)
{
	size_t n = strlen(key);
	const char *bad;

	if (kind == PROFILE_AWS && (n < AWS_KEY_MIN || n > AWS_KEY_MAX)) {
		snprintf(buf, len,
		    "AWS takes an MD5 key of %d-%d characters, this one has "
		    "%zu",
		    AWS_KEY_MIN, AWS_KEY_MAX, n);
		return buf;
	}
	/* [T1]: the characters Tencent's console rejects in a key. */
	if (kind == PROFILE_TENCENT &&
	    (bad = strpbrk(key, "?& \"\\+")) != NULL) {
		snprintf(buf, len,
		    "Tencent refuses the character %s%c%s in a BGP key "
		    "(none of ? & space \" \\ +)",
		    *bad == ' ' ? "'" : "", *bad, *bad == ' ' ? "'" : "");
		return buf;
	}
	return NULL;
}

/* ---- Tencent's forbidden aggregates [T1] ---- */

static const struct rib_prefix tencent_refused[] = {
	{ BGP_AFI_IPV4, 8, { 9 } },
	{ BGP_AFI_IPV4, 8, { 10 } },
	{ BGP_AFI_IPV4, 8, { 11 } },
	{ BGP_AFI_IPV4, 8, { 30 } },
	{ BGP_AFI_IPV4, 10, { 100, 64 } },
	{ BGP_AFI_IPV4, 16, { 131, 87 } },
	{ BGP_AFI_IPV4, 12, { 172, 16 } },
	{ BGP_AFI_IPV4, 16, { 192, 168 } },
};

const struct rib_prefix *
profile_tencent_refused(size_t *n)
{
	*n = sizeof(tencent_refused) / sizeof(tencent_refused[0]);
	return tencent_refused;
}

bool
profile_tencent_refuses(const struct rib_prefix *p, char *buf, size_t len)
{
	struct rib_prefix hi;
	char a[64], b[64], c[64];
	size_t i, n;

	profile_tencent_refused(&n);
	for (i = 0; i < n; i++)
		if (memcmp(p, &tencent_refused[i], sizeof(*p)) == 0)
			break;
	if (i == n)
		return false;
	if (buf != NULL) {
		struct rib_prefix lo = *p;

		lo.len++;
		hi = lo;
		hi.addr[p->len / 8] |= (uint8_t)(0x80 >> (p->len % 8));
		pol_prefix_str(p, a, sizeof(a));
		pol_prefix_str(&lo, b, sizeof(b));
		pol_prefix_str(&hi, c, sizeof(c));
		snprintf(buf, len,
		    "%s is refused by Tencent: announce %s and %s instead", a,
		    b, c);
	}
	return true;
}

/* ---- run time ---- */

uint32_t
profile_out_max(const struct conf_neighbor *n)
{
	const struct profile *pr = profile_of(n);

	if (n->max_prefix_out != 0)
		return n->max_prefix_out;
	return pr != NULL ? pr->out_max : 0;
}

bool
profile_gr(const struct conf_neighbor *n, bool bfd)
{
	/* [A1][A8]: AWS advises against GR together with BFD. */
	return !(n->profile == PROFILE_AWS && bfd);
}

bool
profile_ha_in(
    const struct conf_neighbor *n, bool lp_set, struct rib_attrs_key *k)
{
	if (n->ha == PROFILE_HA_NONE || lp_set)
		return false;
	k->flags |= RIB_A_LOCAL_PREF;
	k->local_pref = n->ha == PROFILE_HA_PRIMARY ? PROFILE_HA_LP_PRIMARY
						    : PROFILE_HA_LP_BACKUP;
	return true;
}

/* Whether the route carries one of AWS's local-preference communities. */
static bool
has_aws_pref(const struct rib_attrs_key *k)
{
	for (uint16_t i = 0; i + 4 <= k->comm_len; i += 4) {
		uint32_t c = get32(k->comm + i);

		if (c == PROFILE_AWS_PREF_LOW || c == PROFILE_AWS_PREF_MEDIUM ||
		    c == PROFILE_AWS_PREF_HIGH)
			return true;
	}
	return false;
}

/* Adds community v, keeping the values in order (as policy.c does). */
static bool
add_comm(struct rib_attrs_key *k, uint32_t v, uint8_t *buf, size_t cap)
{
	size_t n = k->comm_len / 4, i, at = n;

	if ((n + 1) * 4 > cap || (n + 1) * 4 > UINT16_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (get32(k->comm + i * 4) >= v) {
			at = i;
			break;
		}
	if (at < n && get32(k->comm + at * 4) == v)
		return false;
	memmove(buf, k->comm, at * 4);
	put32(buf + at * 4, v);
	memmove(buf + (at + 1) * 4, k->comm + at * 4, (n - at) * 4);
	k->comm = buf;
	k->comm_len = (uint16_t)((n + 1) * 4);
	return true;
}

/* Puts asn in front of the path times times, into buf. */
static bool
prepend(struct rib_attrs_key *k, uint32_t asn, unsigned times, uint8_t *buf,
    size_t cap)
{
	const uint8_t *p = k->flags & RIB_A_ASPATH ? k->aspath : NULL;
	size_t len = p != NULL ? k->aspath_len : 0, o = 0;
	unsigned i, first = 0;

	/* Joins a leading AS_SEQUENCE if its count allows. */
	if (len >= 2 && p[0] == BGP_SEG_SEQUENCE && p[1] + times <= 255 &&
	    2 + (size_t)p[1] * 4 <= len)
		first = p[1];
	if (2 + (size_t)times * 4 + len > cap)
		return false;
	buf[o++] = BGP_SEG_SEQUENCE;
	buf[o++] = (uint8_t)(times + first);
	for (i = 0; i < times; i++, o += 4)
		put32(buf + o, asn);
	if (first != 0) {
		memcpy(buf + o, p + 2, len - 2);
		o += len - 2;
	} else if (len > 0) {
		memcpy(buf + o, p, len);
		o += len;
	}
	k->aspath = buf;
	k->aspath_len = (uint32_t)o;
	k->flags |= RIB_A_ASPATH;
	return true;
}

bool
profile_ha_out(const struct conf_neighbor *n, uint32_t local_as,
    struct rib_attrs_key *k, struct profile_buf *b)
{
	if (n->ha == PROFILE_HA_NONE)
		return false;
	if (n->profile == PROFILE_AWS) {
		/* [A3][A13]: AWS weighs these before the AS path. */
		if (has_aws_pref(k))
			return false;
		return add_comm(k,
		    n->ha == PROFILE_HA_PRIMARY ? PROFILE_AWS_PREF_HIGH
						: PROFILE_AWS_PREF_LOW,
		    b->comm, sizeof(b->comm));
	}
	if (n->ha != PROFILE_HA_BACKUP)
		return false;
	return prepend(
	    k, local_as, PROFILE_HA_PREPEND, b->aspath, sizeof(b->aspath));
}

/* ---- checks of a whole tree ---- */

struct report {
	const char *name; /* of the file */
	FILE *out;
	const char *prefix; /* "" or "warning: " */
	int n;
};

static void say(struct report *, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(struct report *r, int line, const char *fmt, ...)
{
	va_list ap;

	r->n++;
	if (r->out == NULL)
		return;
	fprintf(r->out, "%s:%d: %s", r->name, line, r->prefix);
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
}

static int
pline(const struct conf_neighbor *n)
{
	return n->profile_line ? n->profile_line : n->line;
}

static uint32_t
local_as(const struct conf *c, const struct conf_neighbor *n)
{
	return n->local_as ? n->local_as : c->asn;
}

/* Families a neighbor exchanges, as CONF_AF_* of index i (0, 1). */
static bool
af_on(const struct conf_neighbor *n, int i)
{
	return (conf_neighbor_af(n) & (i == 0 ? CONF_AF_IPV4 : CONF_AF_IPV6)) !=
	    0;
}

/*
 * Whether network nw would go to neighbor n: its family, its own
 * route-map, then n's outbound policy.  none: the answer when n has no
 * outbound policy at all.
 */
static bool
announced_to(const struct conf *c, const struct conf_neighbor *n,
    const struct conf_network *nw, bool none, struct pol_buf *pb)
{
	int i = nw->pfx.afi == BGP_AFI_IPV6 ? 1 : 0;
	const struct conf_nbr_pol *np = &n->pol[i];
	const char *pl = np->plist_out[0] ? np->plist_out : NULL;
	const char *rm = np->rmap_out[0] ? np->rmap_out : NULL;
	uint8_t path[6] = { BGP_SEG_SEQUENCE, 1 };
	struct rib_attrs_key k;

	if (!af_on(n, i))
		return false;
	memset(&k, 0, sizeof(k));
	k.origin = BGP_ORIGIN_IGP;
	k.flags = RIB_A_ASPATH;
	if (nw->rmap[0] != '\0' &&
	    pol_apply(c->pol, NULL, nw->rmap, &nw->pfx, &k, 0, pb) == POL_DENY)
		return false;
	if (pl == NULL && rm == NULL)
		return none;
	/* As sent: our AS in front of the (empty) path. */
	put32(path + 2, local_as(c, n));
	k.aspath = path;
	k.aspath_len = sizeof(path);
	return pol_apply(c->pol, pl, rm, &nw->pfx, &k, 1, pb) == POL_PERMIT;
}

static void
check_aws(const struct conf_neighbor *n, struct report *r)
{
	char buf[CMD_ERR_MAX];

	if (n->password[0] == '\0')
		say(r, pline(n),
		    "neighbor %s: AWS requires TCP MD5: set neighbor %s "
		    "password (%d-%d characters)",
		    n->name, n->name, AWS_KEY_MIN, AWS_KEY_MAX);
	else if (profile_key_refused(
		     PROFILE_AWS, n->password, buf, sizeof(buf)))
		say(r, pline(n), "neighbor %s: %s", n->name, buf);
	if (n->ebgp_multihop != 0)
		say(r, pline(n),
		    "neighbor %s: AWS peers are single-hop with TTL 1 and do "
		    "not support multihop BGP: remove ebgp-multihop",
		    n->name);
	if (n->ttl_security_hops != 0)
		say(r, pline(n),
		    "neighbor %s: AWS sends TTL 1, so ttl-security (GTSM) "
		    "would drop its packets: remove it",
		    n->name);
	if (n->timers_set && n->holdtime == 0)
		say(r, pline(n),
		    "neighbor %s: AWS does not support hold time 0: use 3-65535 "
		    "(90 is its default)",
		    n->name);
	if ((conf_neighbor_af(n) & (CONF_AF_IPV4 | CONF_AF_IPV6)) ==
	    (CONF_AF_IPV4 | CONF_AF_IPV6))
		say(r, pline(n),
		    "neighbor %s: AWS runs one session per address family, "
		    "without multiprotocol BGP: activate only the family of "
		    "the neighbor's address, and add a neighbor for the other",
		    n->name);
	if (n->max_prefix_out > PROFILE_AWS_OUT_LIMIT)
		say(r, pline(n),
		    "neighbor %s: export-limit %u: AWS allows a virtual "
		    "interface at most %d prefixes per family",
		    n->name, n->max_prefix_out, PROFILE_AWS_OUT_LIMIT);
}

static void
check_tencent(
    const struct conf *c, const struct conf_neighbor *n, struct report *r)
{
	static const uint32_t reserved[] = { 45090, 139341, 58835 };
	char buf[CMD_ERR_MAX];

	if (n->password[0] != '\0' &&
	    profile_key_refused(PROFILE_TENCENT, n->password, buf, sizeof(buf)))
		say(r, pline(n), "neighbor %s: %s", n->name, buf);
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (local_as(c, n) == reserved[i] &&
		    reserved[i] != n->remote_as)
			say(r, pline(n),
			    "neighbor %s: AS %u is Tencent's own and cannot be "
			    "the customer's",
			    n->name, reserved[i]);
}

/* Tencent's forbidden aggregates among the networks sent to it. */
static void
check_tencent_networks(const struct conf *c, struct report *r)
{
	const struct conf_network *nw;
	const struct conf_neighbor *n;
	struct pol_buf *pb = cmd_xcalloc(1, sizeof(*pb));
	char how[160];

	for (nw = c->networks; nw != NULL; nw = nw->next) {
		if (!profile_tencent_refuses(&nw->pfx, how, sizeof(how)))
			continue;
		for (n = c->neighbors; n != NULL; n = n->next)
			/* Without policy it goes once one is given. */
			if (n->profile == PROFILE_TENCENT &&
			    announced_to(c, n, nw, true, pb)) {
				say(r, nw->line,
				    "network toward neighbor %s: %s", n->name,
				    how);
				break;
			}
	}
	free(pb);
}

int
profile_check(const struct conf *c, const char *name, FILE *errs)
{
	struct report r = { name, errs, "", 0 };
	const struct conf_neighbor *n;
	const struct profile *pr;

	for (n = c->neighbors; n != NULL; n = n->next) {
		if ((pr = profile_of(n)) == NULL)
			continue;
		if (n->remote_as != 0 && local_as(c, n) == n->remote_as)
			say(&r, pline(n),
			    "neighbor %s: our AS %u is also %s's: the session "
			    "would be internal BGP, which %s does not run; "
			    "use another AS (router bgp, or neighbor %s "
			    "local-as)",
			    n->name, n->remote_as, pr->cloud, pr->cloud,
			    n->name);
		if (n->profile == PROFILE_AWS)
			check_aws(n, &r);
		else if (n->profile == PROFILE_TENCENT)
			check_tencent(c, n, &r);
	}
	check_tencent_networks(c, &r);
	return r.n;
}

/* ---- warnings ---- */

static bool
aws_asn(uint32_t as)
{
	/* [A4][A7]: the Amazon side, private VIF; 7224 on a public VIF. */
	return as == PROFILE_AWS_AS || (as >= 64512 && as <= 65534) ||
	    (as >= 4200000000u && as <= 4294967294u);
}

static void
warn_neighbor(
    const struct conf *c, const struct conf_neighbor *n, struct report *r)
{
	const struct profile *pr = profile_of(n);

	if (n->profile == PROFILE_AWS && !aws_asn(n->remote_as))
		say(r, pline(n),
		    "neighbor %s: remote-as %u is not an Amazon-side AS "
		    "(64512-65534, 4200000000-4294967294, or 7224 on a public "
		    "virtual interface)",
		    n->name, n->remote_as);
	if ((n->profile == PROFILE_TENCENT || n->profile == PROFILE_CARRIER) &&
	    n->remote_as != pr->asn)
		say(r, pline(n), "neighbor %s: remote-as %u, but %s's AS is %u",
		    n->name, n->remote_as, pr->cloud, pr->asn);
	if (n->profile != PROFILE_TENCENT)
		return;
	if (n->password[0] == '\0')
		say(r, pline(n),
		    "neighbor %s: no password: Tencent's default BGP key is "
		    "\"tencent\" (an empty key on the tunnel means none)",
		    n->name);
	if (n->timers_set && n->holdtime != pr->holdtime)
		say(r, pline(n),
		    "neighbor %s: hold time %u: Tencent recommends %u s, three "
		    "times the keepalive",
		    n->name, n->holdtime, pr->holdtime);
	(void)c;
}

/* An HA pair: a primary and a backup of one profile. */
static void
warn_ha(const struct conf *c, const struct conf_neighbor *n, struct report *r)
{
	const struct conf_neighbor *m;
	unsigned want = n->ha == PROFILE_HA_PRIMARY ? PROFILE_HA_BACKUP
						    : PROFILE_HA_PRIMARY;

	if (n->ha == PROFILE_HA_NONE || n->profile == PROFILE_NONE)
		return;
	for (m = c->neighbors; m != NULL; m = m->next)
		if (m != n && m->profile == n->profile && m->ha == want &&
		    m->addr.family == n->addr.family)
			break;
	if (m == NULL) {
		say(r, pline(n),
		    "neighbor %s: ha %s, but no %s neighbor of profile %s "
		    "forms the pair with it",
		    n->name, profile_ha_name(n->ha), profile_ha_name(want),
		    profile_of(n)->name);
		return;
	}
	/* [T2]: Tencent's two addresses are on one subnet, /29-/24. */
	if (n->profile == PROFILE_TENCENT && n->ha == PROFILE_HA_PRIMARY &&
	    n->addr.family == AF_INET &&
	    (ntohl(n->addr.u.v4.s_addr) >> 8) !=
		(ntohl(m->addr.u.v4.s_addr) >> 8))
		say(r, pline(n),
		    "neighbor %s: its backup %s is not on the same /24: "
		    "Tencent's primary and secondary addresses share one "
		    "VLAN subnet (/29-/24)",
		    n->name, m->name);
}

static bool
pfx_overlap(const struct rib_prefix *a, const struct rib_prefix *b)
{
	unsigned len = a->len < b->len ? a->len : b->len, i;

	if (a->afi != b->afi)
		return false;
	for (i = 0; i < len / 8; i++)
		if (a->addr[i] != b->addr[i])
			return false;
	if (len % 8 == 0)
		return true;
	return ((a->addr[i] ^ b->addr[i]) & (0xff00 >> (len % 8))) == 0;
}

/* [T8]: networks announced to one cloud that overlap each other. */
static void
warn_overlap(const struct conf *c, const struct conf_neighbor *n,
    struct report *r, struct pol_buf *pb)
{
	const struct conf_network *a, *b;
	bool none = !c->ebgp_requires_policy;
	char x[64], y[64];

	if (n->profile == PROFILE_NONE)
		return;
	for (a = c->networks; a != NULL; a = a->next) {
		if (!announced_to(c, n, a, none, pb))
			continue;
		for (b = a->next; b != NULL; b = b->next)
			if (pfx_overlap(&a->pfx, &b->pfx) &&
			    announced_to(c, n, b, none, pb)) {
				pol_prefix_str(&a->pfx, x, sizeof(x));
				pol_prefix_str(&b->pfx, y, sizeof(y));
				say(r, b->line,
				    "network %s overlaps %s (line %d), and "
				    "both are announced to neighbor %s (%s): "
				    "the cloud's routing needs CIDRs that do "
				    "not overlap",
				    y, x, a->line, n->name,
				    profile_of(n)->name);
			}
	}
}

/* A catch-all entry of a prefix list: 0.0.0.0/0 le 32 or ::/0 le 128. */
static bool
plist_catch_all(const struct pol *pol, int afi, const char *name)
{
	const struct pol_plist *l = pol_plist_find(pol, afi, name);
	unsigned max = afi == BGP_AFI_IPV6 ? 128 : 32;

	if (l == NULL)
		return false; /* matches nothing */
	for (size_t i = 0; i < l->n; i++)
		if (l->ent[i].permit && l->ent[i].pfx.len == 0 &&
		    l->ent[i].le == max)
			return true;
	return false;
}

/* The first permit entry of a route-map that matches every route. */
static const struct pol_rmap_ent *
rmap_catch_all(const struct pol *pol, const char *name)
{
	const struct pol_rmap *m = pol_rmap_find(pol, name);

	if (m == NULL)
		return NULL; /* denies everything */
	for (size_t i = 0; i < m->n; i++)
		if (m->ent[i]->permit && m->ent[i]->match == 0)
			return m->ent[i];
	return NULL;
}

/*
 * Peering is not transitive ([T8], RFC 8212): toward a cloud, an
 * outbound policy must say what passes, or another cloud's routes go
 * through.  Explicit: a prefix list without a catch-all entry, or a
 * route-map whose every permit entry matches something.
 */
static void
warn_transit(
    const struct conf *c, const struct conf_neighbor *n, struct report *r)
{
	const struct conf_neighbor *m;
	const struct pol_rmap_ent *e;
	int i, afi;

	if (n->profile == PROFILE_NONE)
		return;
	for (m = c->neighbors; m != NULL; m = m->next)
		if (m != n && m->profile != PROFILE_NONE &&
		    m->remote_as != n->remote_as)
			break;
	if (m == NULL)
		return; /* no other cloud to learn routes from */
	for (i = 0; i < 2; i++) {
		const struct conf_nbr_pol *np = &n->pol[i];

		afi = i == 0 ? BGP_AFI_IPV4 : BGP_AFI_IPV6;
		if (!af_on(n, i))
			continue;
		if (np->plist_out[0] == '\0' && np->rmap_out[0] == '\0') {
			if (!c->ebgp_requires_policy)
				say(r, pline(n),
				    "neighbor %s (%s): no outbound policy and "
				    "no bgp ebgp-requires-policy: routes "
				    "learned from neighbor %s (%s) would be "
				    "re-advertised to it; peering is not "
				    "transitive: give it a prefix-list or "
				    "route-map out",
				    n->name, profile_of(n)->name, m->name,
				    profile_of(m)->name);
			continue;
		}
		if (np->plist_out[0] != '\0' &&
		    !plist_catch_all(c->pol, afi, np->plist_out))
			continue;
		if (np->rmap_out[0] == '\0') {
			say(r, pline(n),
			    "neighbor %s (%s): outbound prefix-list %s permits "
			    "any prefix: routes learned from neighbor %s (%s) "
			    "would be re-advertised to it; peering is not "
			    "transitive: list what may pass",
			    n->name, profile_of(n)->name, np->plist_out,
			    m->name, profile_of(m)->name);
			continue;
		}
		if ((e = rmap_catch_all(c->pol, np->rmap_out)) != NULL)
			say(r, pline(n),
			    "neighbor %s (%s): outbound route-map %s permits "
			    "routes it does not match (entry %u has no match "
			    "clause): routes learned from neighbor %s (%s) "
			    "would be re-advertised to it; peering is not "
			    "transitive: match what may pass",
			    n->name, profile_of(n)->name, np->rmap_out, e->seq,
			    m->name, profile_of(m)->name);
	}
}

/*
 * RFC 4271 §9.1.2: routes learned from a neighbor carry its AS, and a
 * second neighbor of the same AS drops them as a loop unless we
 * replace that AS (as-override); two AWS gateways both keep 64512
 * [A7][A15].  An HA pair is one peering and exempt, and so are the
 * IPv4 and IPv6 sessions of one AWS interface (no family in common).
 */
static void
warn_same_as(
    const struct conf *c, const struct conf_neighbor *n, struct report *r)
{
	const struct conf_neighbor *m;

	if (n->profile == PROFILE_NONE || n->as_override ||
	    n->remote_as == c->asn)
		return;
	for (m = c->neighbors; m != NULL; m = m->next)
		if (m != n && m->remote_as == n->remote_as &&
		    (conf_neighbor_af(m) & conf_neighbor_af(n)) != 0 &&
		    !(m->ha != PROFILE_HA_NONE && n->ha != PROFILE_HA_NONE))
			break;
	if (m != NULL)
		say(r, pline(n),
		    "neighbor %s: neighbor %s is in AS %u too: routes "
		    "learned from it carry AS %u and neighbor %s drops "
		    "them as a loop; set neighbor %s as-override if they "
		    "are to pass (or allowas-in on the far side)",
		    n->name, m->name, n->remote_as, n->remote_as, n->name,
		    n->name);
}

int
profile_warn(const struct conf *c, const char *name, FILE *out)
{
	struct report r = { name, out, "warning: ", 0 };
	const struct conf_neighbor *n;
	struct pol_buf *pb = cmd_xcalloc(1, sizeof(*pb));

	for (n = c->neighbors; n != NULL; n = n->next) {
		if (n->profile == PROFILE_NONE)
			continue;
		warn_neighbor(c, n, &r);
		warn_ha(c, n, &r);
		warn_overlap(c, n, &r, pb);
		warn_transit(c, n, &r);
		warn_same_as(c, n, &r);
	}
	free(pb);
	return r.n;
}
