/*
 * policy.c: evaluating, printing and comparing routing policy.
 *
 * Prefix lists: entries in sequence order, the first whose prefix
 * covers the route's (with ge/le bounds on its length, or the exact
 * length without them) decides; none: deny.
 *
 * Community lists: an entry matches a route that carries every value
 * it lists (with exact-match, exactly those values); the first
 * matching entry decides permit or deny; none: no match.
 *
 * AS-path access lists: POSIX extended regular expressions over the
 * path as text ("64512 65000 {65001,65002}", confederation segments in
 * parentheses), "_" standing for a boundary: start, end, blank, comma
 * or brace.  The first entry whose expression matches decides.
 *
 * Route-maps: entries in sequence order; the first whose match clauses
 * all hold decides: deny ends it, permit applies its set clauses and
 * ends it unless "on-match next", "on-match goto" or "continue" sends
 * the route on to a later entry (later matches see the changed route).
 * No matching entry: deny, unless a permit entry matched before.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <dxbgp/bgp.h>
#include <dxbgp/bytes.h>

#include "cmd.h"
#include "policy_int.h"
#include "profile.h"

/* ---- the objects ---- */

struct pol *
pol_new(void)
{
	return cmd_xcalloc(1, sizeof(struct pol));
}

void
pol_plist_del(struct pol *p, struct pol_plist *l)
{
	struct pol_plist **pp;

	for (pp = &p->plists; *pp != l; pp = &(*pp)->next)
		;
	*pp = l->next;
	free(l->ent);
	free(l);
}

void
pol_clist_del(struct pol *p, struct pol_clist *l)
{
	struct pol_clist **pp;
	size_t i;

	for (pp = &p->clists; *pp != l; pp = &(*pp)->next)
		;
	*pp = l->next;
	for (i = 0; i < l->n; i++)
		free(l->ent[i].v);
	free(l->ent);
	free(l);
}

void
pol_aslist_del(struct pol *p, struct pol_aslist *l)
{
	struct pol_aslist **pp;
	size_t i;

	for (pp = &p->aslists; *pp != l; pp = &(*pp)->next)
		;
	*pp = l->next;
	for (i = 0; i < l->n; i++)
		regfree(&l->ent[i].re);
	free(l->ent);
	free(l);
}

void
pol_rmap_del(struct pol *p, struct pol_rmap *m)
{
	struct pol_rmap **pp;
	size_t i;

	for (pp = &p->rmaps; *pp != m; pp = &(*pp)->next)
		;
	*pp = m->next;
	for (i = 0; i < m->n; i++)
		free(m->ent[i]);
	free(m->ent);
	free(m);
}

void
pol_free(struct pol *p)
{
	if (p == NULL)
		return;
	while (p->plists != NULL)
		pol_plist_del(p, p->plists);
	while (p->clists != NULL)
		pol_clist_del(p, p->clists);
	while (p->aslists != NULL)
		pol_aslist_del(p, p->aslists);
	while (p->rmaps != NULL)
		pol_rmap_del(p, p->rmaps);
	free(p);
}

struct pol_plist *
pol_plist_find(const struct pol *p, int afi, const char *name)
{
	struct pol_plist *l;

	for (l = p != NULL ? p->plists : NULL; l != NULL; l = l->next)
		if (l->afi == afi && strcmp(l->name, name) == 0)
			return l;
	return NULL;
}

struct pol_clist *
pol_clist_find(const struct pol *p, bool large, const char *name)
{
	struct pol_clist *l;

	for (l = p != NULL ? p->clists : NULL; l != NULL; l = l->next)
		if (l->large == large && strcmp(l->name, name) == 0)
			return l;
	return NULL;
}

struct pol_aslist *
pol_aslist_find(const struct pol *p, const char *name)
{
	struct pol_aslist *l;

	for (l = p != NULL ? p->aslists : NULL; l != NULL; l = l->next)
		if (strcmp(l->name, name) == 0)
			return l;
	return NULL;
}

struct pol_rmap *
pol_rmap_find(const struct pol *p, const char *name)
{
	struct pol_rmap *m;

	for (m = p != NULL ? p->rmaps : NULL; m != NULL; m = m->next)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

/* ---- values as text ---- */

static const struct {
	const char *name;
	uint32_t v;
} wellknown[] = {
	{ "internet", 0 }, { "graceful-shutdown", 0xffff0000u }, /* RFC 8326 */
	{ "accept-own", 0xffff0001u },                           /* RFC 7611 */
	{ "blackhole", 0xffff029au },                            /* RFC 7999 */
	{ "no-export", BGP_COMM_NO_EXPORT },
	{ "no-advertise", BGP_COMM_NO_ADVERTISE },
	{ "local-AS", BGP_COMM_NO_EXPORT_SUBCONFED },
	{ "no-peer", 0xffffff04u }, /* RFC 3765 */
};

/*
 * AWS Direct Connect's communities by name ([A3]), read but printed as
 * numbers: local preference toward AWS, scope of a public VIF's
 * routes, and the origin tags AWS puts on its own (profile.h).
 */
static const struct {
	const char *name;
	uint32_t v;
} aws_names[] = {
	{ "aws-pref-low", PROFILE_AWS_PREF_LOW },
	{ "aws-pref-medium", PROFILE_AWS_PREF_MEDIUM },
	{ "aws-pref-high", PROFILE_AWS_PREF_HIGH },
	{ "aws-scope-region", PROFILE_AWS_SCOPE_REGION },
	{ "aws-scope-continent", PROFILE_AWS_SCOPE_CONTINENT },
	{ "aws-scope-global", PROFILE_AWS_SCOPE_GLOBAL },
	{ "aws-from-region", PROFILE_AWS_FROM_REGION },
	{ "aws-from-continent", PROFILE_AWS_FROM_CONTINENT },
};

/* A decimal number of at most max; false if s is anything else. */
static bool
parse_num(const char *s, size_t len, uint32_t max, uint32_t *v)
{
	uint64_t n = 0;
	size_t i;

	if (len == 0 || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	if (n > max)
		return false;
	*v = (uint32_t)n;
	return true;
}

bool
pol_comm_parse(const char *s, uint8_t out[4])
{
	const char *colon = strchr(s, ':');
	uint32_t hi, lo;
	size_t i;

	for (i = 0; i < sizeof(wellknown) / sizeof(wellknown[0]); i++)
		if (strcmp(s, wellknown[i].name) == 0) {
			put32(out, wellknown[i].v);
			return true;
		}
	for (i = 0; i < sizeof(aws_names) / sizeof(aws_names[0]); i++)
		if (strcmp(s, aws_names[i].name) == 0) {
			put32(out, aws_names[i].v);
			return true;
		}
	if (colon == NULL ||
	    !parse_num(s, (size_t)(colon - s), UINT16_MAX, &hi) ||
	    !parse_num(colon + 1, strlen(colon + 1), UINT16_MAX, &lo))
		return false;
	put32(out, hi << 16 | lo);
	return true;
}

bool
pol_lcomm_parse(const char *s, uint8_t out[12])
{
	const char *c1 = strchr(s, ':'), *c2;
	uint32_t a, b, c;

	if (c1 == NULL || (c2 = strchr(c1 + 1, ':')) == NULL ||
	    !parse_num(s, (size_t)(c1 - s), UINT32_MAX, &a) ||
	    !parse_num(c1 + 1, (size_t)(c2 - c1 - 1), UINT32_MAX, &b) ||
	    !parse_num(c2 + 1, strlen(c2 + 1), UINT32_MAX, &c))
		return false;
	put32(out, a);
	put32(out + 4, b);
	put32(out + 8, c);
	return true;
}

void
pol_comm_str(const uint8_t v[4], char *buf, size_t len)
{
	uint32_t c = get32(v);
	size_t i;

	for (i = 0; i < sizeof(wellknown) / sizeof(wellknown[0]); i++)
		if (wellknown[i].v == c && c != 0) {
			snprintf(buf, len, "%s", wellknown[i].name);
			return;
		}
	snprintf(buf, len, "%u:%u", c >> 16, c & 0xffff);
}

void
pol_lcomm_str(const uint8_t v[12], char *buf, size_t len)
{
	snprintf(buf, len, "%u:%u:%u", get32(v), get32(v + 4), get32(v + 8));
}

bool
pol_prefix_parse(const char *s, struct rib_prefix *p)
{
	char addr[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	uint32_t len;
	size_t alen, i;
	int af;

	if (slash == NULL || (alen = (size_t)(slash - s)) >= sizeof(addr))
		return false;
	memcpy(addr, s, alen);
	addr[alen] = '\0';
	memset(p, 0, sizeof(*p));
	af = strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(af, addr, p->addr) != 1 ||
	    !parse_num(
		slash + 1, strlen(slash + 1), af == AF_INET ? 32 : 128, &len))
		return false;
	p->afi = af == AF_INET ? BGP_AFI_IPV4 : BGP_AFI_IPV6;
	p->len = (uint8_t)len;
	/* Host bits must be zero, as in FRR's "network". */
	for (i = 0; i < 16; i++) {
		unsigned keep = len >= 8 * (i + 1) ? 8
		    : len > 8 * i                  ? len - 8 * (unsigned)i
						   : 0;

		if (p->addr[i] & (uint8_t) ~(0xff00u >> keep))
			return false;
	}
	return true;
}

void
pol_prefix_str(const struct rib_prefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(
	    p->afi == BGP_AFI_IPV4 ? AF_INET : AF_INET6, p->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, p->len);
}

/* ---- prefix lists ---- */

/* Whether the first len bits of a and b are equal. */
static bool
bits_eq(const uint8_t *a, const uint8_t *b, unsigned len)
{
	unsigned whole = len / 8, rest = len % 8;

	if (memcmp(a, b, whole) != 0)
		return false;
	return rest == 0 ||
	    ((a[whole] ^ b[whole]) & (uint8_t)(0xff00u >> rest)) == 0;
}

static bool
plist_ent_matches(const struct pol_plist_ent *e, const struct rib_prefix *p)
{
	unsigned max = p->afi == BGP_AFI_IPV4 ? 32 : 128;
	unsigned lo, hi;

	if (p->afi != e->pfx.afi || p->len < e->pfx.len ||
	    !bits_eq(p->addr, e->pfx.addr, e->pfx.len))
		return false;
	if (e->ge == 0 && e->le == 0)
		return p->len == e->pfx.len;
	lo = e->ge ? e->ge : e->pfx.len;
	hi = e->le ? e->le : max;
	return p->len >= lo && p->len <= hi;
}

bool
pol_plist_permits(const struct pol_plist *l, const struct rib_prefix *p)
{
	size_t i;

	if (l == NULL)
		return false;
	for (i = 0; i < l->n; i++)
		if (plist_ent_matches(&l->ent[i], p))
			return l->ent[i].permit;
	return false;
}

/* ---- community lists ---- */

static bool
has_value(const uint8_t *set, size_t n, const uint8_t *v, size_t w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (memcmp(set + i * w, v, w) == 0)
			return true;
	return false;
}

/* Whether the route's values (rv, rn) match entry e. */
static bool
clist_ent_matches(const struct pol_clist_ent *e, size_t w, const uint8_t *rv,
    size_t rn, bool exact)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!has_value(rv, rn, e->v + i * w, w))
			return false;
	if (!exact)
		return true;
	for (i = 0; i < rn; i++)
		if (!has_value(e->v, e->n, rv + i * w, w))
			return false;
	return true;
}

static bool
clist_permits(
    const struct pol_clist *l, const uint8_t *rv, size_t rn, bool exact)
{
	size_t w, i;

	if (l == NULL)
		return false;
	w = l->large ? 12 : 4;
	for (i = 0; i < l->n; i++)
		if (clist_ent_matches(&l->ent[i], w, rv, rn, exact))
			return l->ent[i].permit;
	return false;
}

/* ---- AS paths ---- */

/* The path as text, without its first skip ASNs; malloc'd. */
static char *
aspath_text(const uint8_t *p, size_t len, unsigned skip)
{
	size_t cap = len / 4 * 11 + 16, o = 0;
	char *s = cmd_xmalloc(cap);
	bool first = true;

	while (len >= 2) {
		uint8_t type = p[0], n = p[1], i;
		size_t seg = 2 + (size_t)n * 4;
		bool set = type == BGP_SEG_SET || type == BGP_SEG_CONFED_SET;
		bool confed = type == BGP_SEG_CONFED_SEQUENCE ||
		    type == BGP_SEG_CONFED_SET;
		bool opened = false;

		if (seg > len)
			break;
		for (i = 0; i < n; i++) {
			if (skip > 0 && !set) {
				skip--;
				continue;
			}
			if (!opened) {
				if (!first)
					s[o++] = ' ';
				if (set)
					s[o++] = confed ? '[' : '{';
				else if (confed)
					s[o++] = '(';
				opened = true;
			} else
				s[o++] = set ? ',' : ' ';
			o += (size_t)snprintf(
			    s + o, cap - o, "%u", get32(p + 2 + 4 * i));
			first = false;
		}
		if (opened && (set || confed))
			s[o++] = set ? (confed ? ']' : '}') : ')';
		p += seg;
		len -= seg;
	}
	s[o] = '\0';
	return s;
}

int
pol_aslist_compile(struct pol_aslist_ent *e, char *err, size_t errlen)
{
	static const char boundary[] = "(^|[,{}() ]|$)";
	char re[POL_REGEX_MAX * sizeof(boundary)];
	size_t o = 0, i;
	int rc;

	for (i = 0; e->text[i] != '\0'; i++) {
		if (e->text[i] == '_') {
			memcpy(re + o, boundary, sizeof(boundary) - 1);
			o += sizeof(boundary) - 1;
		} else
			re[o++] = e->text[i];
	}
	re[o] = '\0';
	rc = regcomp(&e->re, re, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, &e->re, err, errlen);
		return -1;
	}
	return 0;
}

static bool
aslist_permits(
    const struct pol_aslist *l, const struct rib_attrs_key *k, unsigned own_as)
{
	char *text;
	bool r = false;
	size_t i;

	if (l == NULL)
		return false;
	text = aspath_text(k->flags & RIB_A_ASPATH ? k->aspath : NULL,
	    k->flags & RIB_A_ASPATH ? k->aspath_len : 0, own_as);
	for (i = 0; i < l->n; i++)
		if (regexec(&l->ent[i].re, text, 0, NULL, 0) == 0) {
			r = l->ent[i].permit;
			break;
		}
	free(text);
	return r;
}

/*
 * The path with asns put in after the first own ASNs (or in front),
 * into out (cap bytes); its length, or 0 if it would not fit.
 */
static size_t
aspath_prepend(const uint8_t *p, size_t len, unsigned own, const uint32_t *asns,
    unsigned nasn, uint8_t *out, size_t cap)
{
	uint32_t seq[255 + POL_PREPEND_MAX];
	unsigned nseq = 0, i, take;
	size_t o = 0, rest_off = 0;

	/* The leading sequence: our own ASNs, the new ones, and its rest. */
	if (len >= 2 && p[0] == BGP_SEG_SEQUENCE &&
	    2 + (size_t)p[1] * 4 <= len) {
		for (i = 0; i < p[1] && i < own; i++)
			seq[nseq++] = get32(p + 2 + 4 * i);
		for (i = 0; i < nasn; i++)
			seq[nseq++] = asns[i];
		for (i = own < p[1] ? own : p[1]; i < p[1]; i++)
			seq[nseq++] = get32(p + 2 + 4 * i);
		rest_off = 2 + (size_t)p[1] * 4;
	} else {
		for (i = 0; i < nasn; i++)
			seq[nseq++] = asns[i];
	}
	for (i = 0; i < nseq; i += take) {
		take = nseq - i > 255 ? 255 : nseq - i;
		if (o + 2 + (size_t)take * 4 > cap)
			return 0;
		out[o++] = BGP_SEG_SEQUENCE;
		out[o++] = (uint8_t)take;
		for (unsigned j = 0; j < take; j++, o += 4)
			put32(out + o, seq[i + j]);
	}
	if (o + (len - rest_off) > cap)
		return 0;
	if (len > rest_off)
		memcpy(out + o, p + rest_off, len - rest_off);
	return o + (len - rest_off);
}

/* ---- route-maps ---- */

static bool
rmap_ent_matches(const struct pol *pol, const struct pol_rmap_ent *e,
    const struct rib_prefix *pfx, const struct rib_attrs_key *k,
    unsigned own_as)
{
	if ((e->match & POL_M_PLIST4) &&
	    (pfx->afi != BGP_AFI_IPV4 ||
		!pol_plist_permits(
		    pol_plist_find(pol, BGP_AFI_IPV4, e->m_plist4), pfx)))
		return false;
	if ((e->match & POL_M_PLIST6) &&
	    (pfx->afi != BGP_AFI_IPV6 ||
		!pol_plist_permits(
		    pol_plist_find(pol, BGP_AFI_IPV6, e->m_plist6), pfx)))
		return false;
	if ((e->match & POL_M_COMM) &&
	    !clist_permits(pol_clist_find(pol, false, e->m_comm), k->comm,
		k->comm_len / 4, e->m_comm_exact))
		return false;
	if ((e->match & POL_M_LCOMM) &&
	    !clist_permits(pol_clist_find(pol, true, e->m_lcomm), k->lcomm,
		k->lcomm_len / 12, false))
		return false;
	if ((e->match & POL_M_ASPATH) &&
	    !aslist_permits(pol_aslist_find(pol, e->m_aspath), k, own_as))
		return false;
	return true;
}

static int
cmp4(const void *a, const void *b)
{
	return memcmp(a, b, 4);
}

static int
cmp12(const void *a, const void *b)
{
	return memcmp(a, b, 12);
}

/* Sorts n values of w bytes and drops repeats; the new count. */
static size_t
sort_uniq(uint8_t *v, size_t n, size_t w)
{
	size_t i, o = 0;

	qsort(v, n, w, w == 4 ? cmp4 : cmp12);
	for (i = 0; i < n; i++)
		if (o == 0 || memcmp(v + (o - 1) * w, v + i * w, w) != 0)
			memmove(v + o++ * w, v + i * w, w);
	return o;
}

/*
 * The route's values (*cur, *curlen bytes) replaced by or merged with
 * add (nadd values), or with those a list permits removed (del); the
 * result goes to dst and *cur points there.
 */
static void
set_values(const uint8_t **cur, uint16_t *curlen, uint8_t *dst, size_t cap,
    size_t w, const uint8_t *add, size_t nadd, bool additive,
    const struct pol_clist *del)
{
	uint8_t tmp[4096 + POL_VALUES_MAX * 12];
	size_t n = 0, i, have = *curlen / w;

	if (additive || del != NULL) {
		for (i = 0; i < have && (n + 1) * w <= cap; i++) {
			if (del != NULL &&
			    clist_permits(del, *cur + i * w, 1, false))
				continue;
			memcpy(tmp + n++ * w, *cur + i * w, w);
		}
	}
	for (i = 0; i < nadd && (n + 1) * w <= cap; i++)
		memcpy(tmp + n++ * w, add + i * w, w);
	if (del == NULL)
		n = sort_uniq(tmp, n, w);
	memcpy(dst, tmp, n * w);
	*cur = dst;
	*curlen = (uint16_t)(n * w);
}

static void
rmap_ent_set(const struct pol *pol, const struct pol_rmap_ent *e,
    const struct rib_prefix *pfx, struct rib_attrs_key *k, unsigned own_as,
    struct pol_buf *b)
{
	uint64_t med;
	size_t len;

	if (e->set & POL_S_LOCAL_PREF) {
		k->flags |= RIB_A_LOCAL_PREF;
		k->local_pref = e->s_local_pref;
	}
	if (e->set & POL_S_MED) {
		med = k->flags & RIB_A_MED ? k->med : 0;
		if (e->s_med_op > 0)
			med = med + e->s_med > UINT32_MAX ? UINT32_MAX
							  : med + e->s_med;
		else if (e->s_med_op < 0)
			med = med > e->s_med ? med - e->s_med : 0;
		else
			med = e->s_med;
		k->flags |= RIB_A_MED;
		k->med = (uint32_t)med;
	}
	if (e->set & POL_S_ORIGIN)
		k->origin = e->s_origin;
	if (e->set & POL_S_COMM_NONE)
		k->comm_len = 0;
	if (e->set & POL_S_COMM_DEL)
		set_values(&k->comm, &k->comm_len, b->comm, sizeof(b->comm), 4,
		    NULL, 0, false, pol_clist_find(pol, false, e->s_comm_del));
	if (e->set & POL_S_COMM)
		set_values(&k->comm, &k->comm_len, b->comm, sizeof(b->comm), 4,
		    e->s_comm, e->s_ncomm, e->s_comm_additive, NULL);
	if (e->set & POL_S_LCOMM_NONE)
		k->lcomm_len = 0;
	if (e->set & POL_S_LCOMM_DEL)
		set_values(&k->lcomm, &k->lcomm_len, b->lcomm, sizeof(b->lcomm),
		    12, NULL, 0, false,
		    pol_clist_find(pol, true, e->s_lcomm_del));
	if (e->set & POL_S_LCOMM)
		set_values(&k->lcomm, &k->lcomm_len, b->lcomm, sizeof(b->lcomm),
		    12, e->s_lcomm, e->s_nlcomm, e->s_lcomm_additive, NULL);
	if (e->set & POL_S_PREPEND) {
		uint8_t tmp[sizeof(b->aspath)];

		len = aspath_prepend(k->flags & RIB_A_ASPATH ? k->aspath : NULL,
		    k->flags & RIB_A_ASPATH ? k->aspath_len : 0, own_as,
		    e->s_prepend, e->s_nprepend, tmp, sizeof(tmp));
		if (len > 0) {
			memcpy(b->aspath, tmp, len);
			k->aspath = b->aspath;
			k->aspath_len = (uint32_t)len;
			k->flags |= RIB_A_ASPATH;
		}
	}
	if ((e->set & POL_S_NEXTHOP4) && pfx->afi == BGP_AFI_IPV4) {
		k->nh_len = 4;
		memcpy(k->nexthop, e->s_nexthop4, 4);
	}
	if ((e->set & POL_S_NEXTHOP6) && pfx->afi == BGP_AFI_IPV6) {
		k->nh_len = 16;
		memcpy(k->nexthop, e->s_nexthop6, 16);
	}
}

static enum pol_verdict
rmap_apply(const struct pol *pol, const struct pol_rmap *m,
    const struct rib_prefix *pfx, struct rib_attrs_key *k, unsigned own_as,
    struct pol_buf *b)
{
	const struct pol_rmap_ent *e;
	bool permitted = false;
	size_t i = 0;

	if (m == NULL)
		return POL_DENY;
	while (i < m->n) {
		e = m->ent[i];
		if (!rmap_ent_matches(pol, e, pfx, k, own_as)) {
			i++;
			continue;
		}
		if (!e->permit)
			return POL_DENY;
		rmap_ent_set(pol, e, pfx, k, own_as, b);
		permitted = true;
		if (e->exit == POL_EXIT_DONE)
			return POL_PERMIT;
		i++;
		if (e->exit == POL_EXIT_GOTO && e->exit_seq != 0)
			while (i < m->n && m->ent[i]->seq < e->exit_seq)
				i++;
	}
	return permitted ? POL_PERMIT : POL_DENY;
}

enum pol_verdict
pol_apply(const struct pol *pol, const char *plist, const char *rmap,
    const struct rib_prefix *pfx, struct rib_attrs_key *k, unsigned own_as,
    struct pol_buf *b)
{
	if (plist != NULL &&
	    !pol_plist_permits(pol_plist_find(pol, pfx->afi, plist), pfx))
		return POL_DENY;
	if (rmap != NULL)
		return rmap_apply(
		    pol, pol_rmap_find(pol, rmap), pfx, k, own_as, b);
	return POL_PERMIT;
}

bool
pol_per_prefix(const struct pol *pol, const char *plist, const char *rmap)
{
	const struct pol_rmap *m;
	size_t i;

	if (plist != NULL)
		return true;
	if (rmap == NULL || (m = pol_rmap_find(pol, rmap)) == NULL)
		return false;
	for (i = 0; i < m->n; i++)
		if (m->ent[i]->match & (POL_M_PLIST4 | POL_M_PLIST6))
			return true;
	return false;
}

/* ---- printing ---- */

static void
print_plists(const struct pol *p, FILE *out)
{
	const struct pol_plist *l;
	char buf[64];
	size_t i;

	for (l = p->plists; l != NULL; l = l->next)
		for (i = 0; i < l->n; i++) {
			const struct pol_plist_ent *e = &l->ent[i];

			pol_prefix_str(&e->pfx, buf, sizeof(buf));
			fprintf(out, "%s prefix-list %s seq %u %s %s",
			    l->afi == BGP_AFI_IPV4 ? "ip" : "ipv6", l->name,
			    e->seq, e->permit ? "permit" : "deny", buf);
			if (e->ge)
				fprintf(out, " ge %u", e->ge);
			if (e->le)
				fprintf(out, " le %u", e->le);
			fputc('\n', out);
		}
}

static void
print_values(const uint8_t *v, size_t n, bool large, FILE *out)
{
	char buf[40];
	size_t i;

	for (i = 0; i < n; i++) {
		if (large)
			pol_lcomm_str(v + i * 12, buf, sizeof(buf));
		else
			pol_comm_str(v + i * 4, buf, sizeof(buf));
		fprintf(out, "%s%s", i ? " " : "", buf);
	}
}

static void
print_clists(const struct pol *p, FILE *out)
{
	const struct pol_clist *l;
	size_t i;

	for (l = p->clists; l != NULL; l = l->next)
		for (i = 0; i < l->n; i++) {
			fprintf(out,
			    "bgp %scommunity-list standard %s seq %u %s ",
			    l->large ? "large-" : "", l->name, l->ent[i].seq,
			    l->ent[i].permit ? "permit" : "deny");
			print_values(l->ent[i].v, l->ent[i].n, l->large, out);
			fputc('\n', out);
		}
}

static void
print_aslists(const struct pol *p, FILE *out)
{
	const struct pol_aslist *l;
	size_t i;

	for (l = p->aslists; l != NULL; l = l->next)
		for (i = 0; i < l->n; i++) {
			fprintf(out, "bgp as-path access-list %s seq %u %s ",
			    l->name, l->ent[i].seq,
			    l->ent[i].permit ? "permit" : "deny");
			cmd_fput_line(l->ent[i].text, out);
			fputc('\n', out);
		}
}

static void
print_rmap_ent(const struct pol_rmap_ent *e, FILE *out)
{
	char buf[INET6_ADDRSTRLEN];
	static const char *origins[] = { "igp", "egp", "incomplete" };
	unsigned i;

	if (e->description[0] != '\0') {
		fputs(" description ", out);
		cmd_fput_line(e->description, out);
		fputc('\n', out);
	}
	if (e->match & POL_M_PLIST4)
		fprintf(out, " match ip address prefix-list %s\n", e->m_plist4);
	if (e->match & POL_M_PLIST6)
		fprintf(
		    out, " match ipv6 address prefix-list %s\n", e->m_plist6);
	if (e->match & POL_M_COMM)
		fprintf(out, " match community %s%s\n", e->m_comm,
		    e->m_comm_exact ? " exact-match" : "");
	if (e->match & POL_M_LCOMM)
		fprintf(out, " match large-community %s\n", e->m_lcomm);
	if (e->match & POL_M_ASPATH)
		fprintf(out, " match as-path %s\n", e->m_aspath);
	if (e->set & POL_S_LOCAL_PREF)
		fprintf(out, " set local-preference %u\n", e->s_local_pref);
	if (e->set & POL_S_MED)
		fprintf(out, " set metric %s%u\n",
		    e->s_med_op > 0       ? "+"
			: e->s_med_op < 0 ? "-"
					  : "",
		    e->s_med);
	if (e->set & POL_S_ORIGIN)
		fprintf(out, " set origin %s\n", origins[e->s_origin % 3]);
	if (e->set & POL_S_COMM_NONE)
		fputs(" set community none\n", out);
	if (e->set & POL_S_COMM) {
		fputs(" set community ", out);
		print_values(e->s_comm, e->s_ncomm, false, out);
		fputs(e->s_comm_additive ? " additive\n" : "\n", out);
	}
	if (e->set & POL_S_COMM_DEL)
		fprintf(out, " set comm-list %s delete\n", e->s_comm_del);
	if (e->set & POL_S_LCOMM_NONE)
		fputs(" set large-community none\n", out);
	if (e->set & POL_S_LCOMM) {
		fputs(" set large-community ", out);
		print_values(e->s_lcomm, e->s_nlcomm, true, out);
		fputs(e->s_lcomm_additive ? " additive\n" : "\n", out);
	}
	if (e->set & POL_S_LCOMM_DEL)
		fprintf(
		    out, " set large-comm-list %s delete\n", e->s_lcomm_del);
	if (e->set & POL_S_PREPEND) {
		fputs(" set as-path prepend", out);
		for (i = 0; i < e->s_nprepend; i++)
			fprintf(out, " %u", e->s_prepend[i]);
		fputc('\n', out);
	}
	if (e->set & POL_S_NEXTHOP4)
		fprintf(out, " set ip next-hop %s\n",
		    inet_ntop(AF_INET, e->s_nexthop4, buf, sizeof(buf)));
	if (e->set & POL_S_NEXTHOP6)
		fprintf(out, " set ipv6 next-hop global %s\n",
		    inet_ntop(AF_INET6, e->s_nexthop6, buf, sizeof(buf)));
	if (e->exit == POL_EXIT_NEXT)
		fputs(" on-match next\n", out);
	else if (e->exit == POL_EXIT_GOTO && e->exit_continue)
		e->exit_seq ? fprintf(out, " continue %u\n", e->exit_seq)
			    : fprintf(out, " continue\n");
	else if (e->exit == POL_EXIT_GOTO)
		fprintf(out, " on-match goto %u\n", e->exit_seq);
}

static void
print_rmaps(const struct pol *p, FILE *out)
{
	const struct pol_rmap *m;
	size_t i;

	for (m = p->rmaps; m != NULL; m = m->next)
		for (i = 0; i < m->n; i++) {
			fprintf(out, "route-map %s %s %u\n", m->name,
			    m->ent[i]->permit ? "permit" : "deny",
			    m->ent[i]->seq);
			print_rmap_ent(m->ent[i], out);
			fputs("exit\n", out);
		}
}

void
pol_print(const struct pol *p, FILE *out)
{
	if (p == NULL)
		return;
	print_plists(p, out);
	print_clists(p, out);
	print_aslists(p, out);
	print_rmaps(p, out);
}

/* ---- comparing ---- */

static bool
plist_eq(const struct pol_plist *a, const struct pol_plist *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return a->n == b->n &&
	    memcmp(a->ent, b->ent, a->n * sizeof(*a->ent)) == 0;
}

static bool
clist_eq(const struct pol_clist *a, const struct pol_clist *b)
{
	size_t i, w;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->n != b->n)
		return false;
	w = a->large ? 12 : 4;
	for (i = 0; i < a->n; i++)
		if (a->ent[i].seq != b->ent[i].seq ||
		    a->ent[i].permit != b->ent[i].permit ||
		    a->ent[i].n != b->ent[i].n ||
		    memcmp(a->ent[i].v, b->ent[i].v, a->ent[i].n * w) != 0)
			return false;
	return true;
}

static bool
aslist_eq(const struct pol_aslist *a, const struct pol_aslist *b)
{
	size_t i;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->ent[i].seq != b->ent[i].seq ||
		    a->ent[i].permit != b->ent[i].permit ||
		    strcmp(a->ent[i].text, b->ent[i].text) != 0)
			return false;
	return true;
}

/* Entries are zeroed when made, so bytes compare (padding included). */
static bool
rmap_ent_eq(const struct pol_rmap_ent *a, const struct pol_rmap_ent *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* Whether route-map m means the same under pol a and pol b. */
static bool
rmap_same(const struct pol *a, const struct pol *b, const char *name)
{
	const struct pol_rmap *ma = pol_rmap_find(a, name);
	const struct pol_rmap *mb = pol_rmap_find(b, name);
	const struct pol_rmap_ent *e;
	size_t i;

	if (ma == NULL || mb == NULL)
		return ma == mb;
	if (ma->n != mb->n)
		return false;
	for (i = 0; i < ma->n; i++) {
		if (!rmap_ent_eq(ma->ent[i], mb->ent[i]))
			return false;
		e = ma->ent[i];
		/* And what its clauses refer to. */
		if ((e->match & POL_M_PLIST4) &&
		    !plist_eq(pol_plist_find(a, BGP_AFI_IPV4, e->m_plist4),
			pol_plist_find(b, BGP_AFI_IPV4, e->m_plist4)))
			return false;
		if ((e->match & POL_M_PLIST6) &&
		    !plist_eq(pol_plist_find(a, BGP_AFI_IPV6, e->m_plist6),
			pol_plist_find(b, BGP_AFI_IPV6, e->m_plist6)))
			return false;
		if ((e->match & POL_M_COMM) &&
		    !clist_eq(pol_clist_find(a, false, e->m_comm),
			pol_clist_find(b, false, e->m_comm)))
			return false;
		if ((e->match & POL_M_LCOMM) &&
		    !clist_eq(pol_clist_find(a, true, e->m_lcomm),
			pol_clist_find(b, true, e->m_lcomm)))
			return false;
		if ((e->set & POL_S_COMM_DEL) &&
		    !clist_eq(pol_clist_find(a, false, e->s_comm_del),
			pol_clist_find(b, false, e->s_comm_del)))
			return false;
		if ((e->set & POL_S_LCOMM_DEL) &&
		    !clist_eq(pol_clist_find(a, true, e->s_lcomm_del),
			pol_clist_find(b, true, e->s_lcomm_del)))
			return false;
		if ((e->match & POL_M_ASPATH) &&
		    !aslist_eq(pol_aslist_find(a, e->m_aspath),
			pol_aslist_find(b, e->m_aspath)))
			return false;
	}
	return true;
}

bool
pol_same_rmap(const struct pol *a, const struct pol *b, const char *name)
{
	return rmap_same(a, b, name);
}

bool
pol_same_plist(
    const struct pol *a, const struct pol *b, int afi, const char *name)
{
	return plist_eq(
	    pol_plist_find(a, afi, name), pol_plist_find(b, afi, name));
}

bool
pol_eq(const struct pol *a, const struct pol *b)
{
	char *ta = NULL, *tb = NULL;
	size_t la = 0, lb = 0;
	FILE *fa = open_memstream(&ta, &la), *fb = open_memstream(&tb, &lb);
	bool eq;

	if (fa == NULL || fb == NULL)
		abort();
	pol_print(a, fa);
	pol_print(b, fb);
	fclose(fa);
	fclose(fb);
	eq = la == lb && memcmp(ta, tb, la) == 0;
	free(ta);
	free(tb);
	return eq;
}

bool
pol_neighbor_changed(const struct conf *oc, const struct conf_neighbor *on,
    const struct conf *nc, const struct conf_neighbor *nn, bool out)
{
	int i;

	if (oc->ebgp_requires_policy != nc->ebgp_requires_policy)
		return true;
	for (i = 0; i < 2; i++) {
		const struct conf_nbr_pol *a = &on->pol[i], *b = &nn->pol[i];
		const char *ra = out ? a->rmap_out : a->rmap_in;
		const char *rb = out ? b->rmap_out : b->rmap_in;
		const char *pa = out ? a->plist_out : a->plist_in;
		const char *pb = out ? b->plist_out : b->plist_in;
		int afi = i == 0 ? BGP_AFI_IPV4 : BGP_AFI_IPV6;

		if (strcmp(ra, rb) != 0 || strcmp(pa, pb) != 0)
			return true;
		if (ra[0] != '\0' && !rmap_same(oc->pol, nc->pol, ra))
			return true;
		if (pa[0] != '\0' && !pol_same_plist(oc->pol, nc->pol, afi, pa))
			return true;
	}
	return false;
}
