/*
 * policy_cmd.c: the commands that define policy (prefix lists,
 * community lists, AS-path access lists, route-maps) and show it.
 *
 * Rows of the one command table (cmd.h).  The config commands act on
 * the struct pol of the struct conf in cmd_state.ctx; "route-map NAME
 * permit|deny SEQ" enters route-map mode with the entry as mode data.
 * Entries are kept in sequence order; one given without "seq" gets
 * the next multiple of 5 after the highest, as in FRR.  A value that
 * is refused (a prefix with host bits, ge below the prefix length, an
 * expression that does not compile) is refused at its line and
 * changes nothing.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <dxbgp/bgp.h>

#include "cmd.h"
#include "policy_int.h"
#include "session.h"
#include "show.h"
#include "show_cmd.h"

#define CONFIG CMD_M(CMD_MODE_CONFIG)
#define RMAP   CMD_M(CMD_MODE_ROUTE_MAP)
#define EXEC   CMD_M(CMD_MODE_EXEC)

static struct pol *
pol_of(struct cmd_state *st)
{
	struct conf *c = st->ctx;

	if (c->pol == NULL)
		c->pol = pol_new();
	return c->pol;
}

static int
name_ok(struct cmd_state *st, const char *name)
{
	if (strlen(name) >= POL_NAME_MAX)
		return cmd_error(
		    st, "name longer than %d bytes", POL_NAME_MAX - 1);
	return 0;
}

/* Room for one more element of size sz in a growing array. */
static void
grow(void **v, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return;
	*cap = *cap ? *cap * 2 : 8;
	*v = realloc(*v, *cap * sz);
	if (*v == NULL)
		abort();
}

/*
 * The entries of a prefix, community or AS-path list: an array of
 * records of sz bytes, each starting with its uint32_t sequence
 * number, kept in order of it.  same(ctx, a, b): whether two entries
 * say the same (for an entry given without seq); drop(ent): frees what
 * an entry owns, or NULL.
 */
struct seq_ops {
	size_t sz;
	bool (*same)(const void *ctx, const void *a, const void *b);
	void (*drop)(void *ent);
	const void *ctx;
};

static uint32_t
seq_of(const void *ent)
{
	return *(const uint32_t *)ent;
}

/* Entry i of ent. */
static void *
seq_at(void *ent, const struct seq_ops *o, size_t i)
{
	return (uint8_t *)ent + i * o->sz;
}

/* The entry with e's seq, or (seq 0) the same as e; n if none. */
static size_t
seq_find(void *ent, size_t n, const struct seq_ops *o, const void *e)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (seq_of(e) != 0 ? seq_of(seq_at(ent, o, i)) == seq_of(e)
				   : o->same(o->ctx, seq_at(ent, o, i), e))
			break;
	return i;
}

static void
seq_remove(void *ent, size_t *n, const struct seq_ops *o, size_t i)
{
	if (o->drop != NULL)
		o->drop(seq_at(ent, o, i));
	memmove(seq_at(ent, o, i), seq_at(ent, o, i + 1), (*n - i - 1) * o->sz);
	(*n)--;
}

/*
 * Puts entry e in, as FRR does: one of the same seq is replaced; one
 * without seq gets the next multiple of 5 after the highest, unless
 * the same entry is there already (then e is dropped).
 */
static void
seq_put(void **ent, size_t *n, size_t *cap, const struct seq_ops *o, void *e)
{
	size_t i;

	if (seq_of(e) == 0) {
		if (seq_find(*ent, *n, o, e) < *n) {
			if (o->drop != NULL)
				o->drop(e);
			return;
		}
		*(uint32_t *)e =
		    (*n ? seq_of(seq_at(*ent, o, *n - 1)) : 0) / 5 * 5 + 5;
	}
	for (i = 0; i < *n && seq_of(seq_at(*ent, o, i)) < seq_of(e); i++)
		;
	if (i < *n && seq_of(seq_at(*ent, o, i)) == seq_of(e)) {
		if (o->drop != NULL)
			o->drop(seq_at(*ent, o, i));
		memcpy(seq_at(*ent, o, i), e, o->sz);
		return;
	}
	grow(ent, *n, cap, o->sz);
	memmove(seq_at(*ent, o, i + 1), seq_at(*ent, o, i), (*n - i) * o->sz);
	memcpy(seq_at(*ent, o, i), e, o->sz);
	(*n)++;
}

/* ---- prefix lists ---- */

static struct pol_plist *
plist_get(struct pol *p, int afi, const char *name)
{
	struct pol_plist *l = pol_plist_find(p, afi, name), **pp;

	if (l != NULL)
		return l;
	l = cmd_xcalloc(1, sizeof(*l));
	memcpy(l->name, name, strlen(name) + 1);
	l->afi = (uint8_t)afi;
	for (pp = &p->plists; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = l;
	return l;
}

static bool
plist_same(const void *ctx, const void *a, const void *b)
{
	const struct pol_plist_ent *x = a, *y = b;

	return memcmp(&x->pfx, &y->pfx, sizeof(x->pfx)) == 0 &&
	    x->permit == y->permit && x->ge == y->ge && x->le == y->le;
}

static int
do_plist(struct cmd_state *st, const struct cmd_args *a)
{
	int afi = cmd_arg(a, "ipv6") != NULL ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	const char *name = cmd_arg(a, "N"), *ptext = cmd_arg(a, "P");
	struct pol *p = pol_of(st);
	struct pol_plist *l = pol_plist_find(p, afi, name);
	struct pol_plist_ent e = { 0 };
	struct seq_ops o = { sizeof(e), plist_same, NULL, NULL };
	unsigned max = afi == BGP_AFI_IPV4 ? 32 : 128;
	size_t i;

	if (name_ok(st, name) == -1)
		return -1;
	if (ptext != NULL &&
	    (!pol_prefix_parse(ptext, &e.pfx) || e.pfx.afi != (uint8_t)afi))
		return cmd_error(st,
		    "'%s' is not an %s prefix with zero host bits", ptext,
		    afi == BGP_AFI_IPV4 ? "IPv4" : "IPv6");
	e.seq = cmd_arg_num(a, "S", 0);
	e.permit = cmd_arg(a, "permit") != NULL;
	e.ge = (uint8_t)cmd_arg_num(a, "G", 0);
	e.le = (uint8_t)cmd_arg_num(a, "L", 0);
	if (a->negate) {
		if (l == NULL)
			return cmd_error(st, "no prefix list %s", name);
		if (e.seq != 0 || ptext != NULL) {
			if ((i = seq_find(l->ent, l->n, &o, &e)) == l->n)
				return cmd_error(st,
				    "prefix list %s has no such entry", name);
			seq_remove(l->ent, &l->n, &o, i);
		}
		if (l->n == 0 || (e.seq == 0 && ptext == NULL))
			pol_plist_del(p, l);
		return 0;
	}
	if (e.ge > max || e.le > max)
		return cmd_error(st, "ge and le are at most %u", max);
	if (e.ge != 0 && e.ge <= e.pfx.len)
		return cmd_error(st,
		    "ge %u must be longer than the prefix "
		    "length %u",
		    e.ge, e.pfx.len);
	if (e.le != 0 && e.le < (e.ge ? e.ge : e.pfx.len))
		return cmd_error(st, "le %u must be at least %s %u", e.le,
		    e.ge ? "ge" : "the prefix length", e.ge ? e.ge : e.pfx.len);
	l = plist_get(p, afi, name);
	seq_put((void **)&l->ent, &l->n, &l->cap, &o, &e);
	return 0;
}

/* ---- community lists ---- */

/*
 * Community values from text separated by blanks into out (max
 * values); how many, or -1 and the error set.
 */
static int
parse_values(struct cmd_state *st, const char *text, bool large, uint8_t *out,
    size_t max, bool *additive)
{
	char buf[CMD_ERR_MAX * 4], *w, *save = NULL;
	size_t n = 0, width = large ? 12 : 4;

	if (additive != NULL)
		*additive = false;
	if (strlen(text) >= sizeof(buf))
		return cmd_error(st, "too many values");
	strcpy(buf, text);
	for (w = strtok_r(buf, " \t", &save); w != NULL;
	     w = strtok_r(NULL, " \t", &save)) {
		if (additive != NULL && strcmp(w, "additive") == 0) {
			if (strtok_r(NULL, " \t", &save) != NULL)
				return cmd_error(st, "'additive' comes last");
			*additive = true;
			break;
		}
		if (n == max)
			return cmd_error(st, "more than %zu values", max);
		if (large ? !pol_lcomm_parse(w, out + n * width)
			  : !pol_comm_parse(w, out + n * width))
			return cmd_error(st,
			    large ? "'%s' is not a large community "
				    "(GLOBAL:LOCAL1:LOCAL2)"
				  : "'%s' is not a community (AA:NN or a "
				    "well-known name)",
			    w);
		n++;
	}
	if (n == 0)
		return cmd_error(st, "no community given");
	return (int)n;
}

/* ctx: the width of a value, 4 (standard) or 12 (large). */
static bool
clist_same(const void *ctx, const void *a, const void *b)
{
	const struct pol_clist_ent *x = a, *y = b;
	size_t w = *(const size_t *)ctx;

	return x->permit == y->permit && x->n == y->n &&
	    memcmp(x->v, y->v, x->n * w) == 0;
}

static void
clist_drop(void *ent)
{
	free(((struct pol_clist_ent *)ent)->v);
}

static int
do_clist(struct cmd_state *st, const struct cmd_args *a)
{
	bool large = cmd_arg(a, "large-community-list") != NULL;
	const char *name = cmd_arg(a, "N"), *text = cmd_arg(a, "C");
	struct pol *p = pol_of(st);
	struct pol_clist *l = pol_clist_find(p, large, name), **pp;
	struct pol_clist_ent e = { 0 };
	uint8_t v[POL_VALUES_MAX * 12];
	size_t w = large ? 12 : 4, i;
	struct seq_ops o = { sizeof(e), clist_same, clist_drop, &w };
	int n = 0;

	if (name_ok(st, name) == -1)
		return -1;
	if (text != NULL &&
	    (n = parse_values(st, text, large, v, POL_VALUES_MAX, NULL)) < 0)
		return -1;
	e.seq = cmd_arg_num(a, "S", 0);
	e.permit = cmd_arg(a, "permit") != NULL;
	e.n = (size_t)n;
	e.v = v;
	if (a->negate) {
		if (l == NULL)
			return cmd_error(st, "no community list %s", name);
		if (e.seq != 0 || text != NULL) {
			if ((i = seq_find(l->ent, l->n, &o, &e)) == l->n)
				return cmd_error(st,
				    "community list %s has no such entry",
				    name);
			seq_remove(l->ent, &l->n, &o, i);
		}
		if (l->n == 0 || (e.seq == 0 && text == NULL))
			pol_clist_del(p, l);
		return 0;
	}
	if (l == NULL) {
		l = cmd_xcalloc(1, sizeof(*l));
		memcpy(l->name, name, strlen(name) + 1);
		l->large = large;
		for (pp = &p->clists; *pp != NULL; pp = &(*pp)->next)
			;
		*pp = l;
	}
	e.v = cmd_xmalloc(e.n * w);
	memcpy(e.v, v, e.n * w);
	seq_put((void **)&l->ent, &l->n, &l->cap, &o, &e);
	return 0;
}

/* ---- AS-path access lists ---- */

static bool
aslist_same(const void *ctx, const void *a, const void *b)
{
	const struct pol_aslist_ent *x = a, *y = b;

	return x->permit == y->permit && strcmp(x->text, y->text) == 0;
}

static void
aslist_drop(void *ent)
{
	regfree(&((struct pol_aslist_ent *)ent)->re);
}

static int
do_aslist(struct cmd_state *st, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "N"), *text = cmd_arg(a, "R");
	struct pol *p = pol_of(st);
	struct pol_aslist *l = pol_aslist_find(p, name), **pp;
	struct pol_aslist_ent e = { 0 };
	struct seq_ops o = { sizeof(e), aslist_same, aslist_drop, NULL };
	char err[128];
	size_t i;

	if (name_ok(st, name) == -1)
		return -1;
	if (text != NULL && strlen(text) >= POL_REGEX_MAX)
		return cmd_error(
		    st, "expression longer than %d bytes", POL_REGEX_MAX - 1);
	e.seq = cmd_arg_num(a, "S", 0);
	e.permit = cmd_arg(a, "permit") != NULL;
	if (text != NULL)
		memcpy(e.text, text, strlen(text) + 1);
	if (a->negate) {
		if (l == NULL)
			return cmd_error(st, "no AS-path access list %s", name);
		if (e.seq != 0 || text != NULL) {
			if ((i = seq_find(l->ent, l->n, &o, &e)) == l->n)
				return cmd_error(st,
				    "AS-path access list %s has no such "
				    "entry",
				    name);
			seq_remove(l->ent, &l->n, &o, i);
		}
		if (l->n == 0 || (e.seq == 0 && text == NULL))
			pol_aslist_del(p, l);
		return 0;
	}
	if (pol_aslist_compile(&e, err, sizeof(err)) == -1)
		return cmd_error(st,
		    "'%s' is not a valid regular expression: %s", text, err);
	if (l == NULL) {
		l = cmd_xcalloc(1, sizeof(*l));
		memcpy(l->name, name, strlen(name) + 1);
		for (pp = &p->aslists; *pp != NULL; pp = &(*pp)->next)
			;
		*pp = l;
	}
	seq_put((void **)&l->ent, &l->n, &l->cap, &o, &e);
	return 0;
}

/* ---- route-maps ---- */

/* Where entry seq is, or would go, in m. */
static size_t
rmap_pos(const struct pol_rmap *m, uint32_t seq)
{
	size_t i;

	for (i = 0; i < m->n && m->ent[i]->seq < seq; i++)
		;
	return i;
}

static int
do_route_map(struct cmd_state *st, const struct cmd_args *a)
{
	const char *name = cmd_arg(a, "N");
	struct pol *p = pol_of(st);
	struct pol_rmap *m = pol_rmap_find(p, name), **pp;
	struct pol_rmap_ent *e;
	uint32_t seq = cmd_arg_num(a, "S", 0);
	size_t i;

	if (name_ok(st, name) == -1)
		return -1;
	if (a->negate) {
		if (m == NULL)
			return cmd_error(st, "no route-map %s", name);
		if (seq == 0) {
			pol_rmap_del(p, m);
			return 0;
		}
		i = rmap_pos(m, seq);
		if (i == m->n || m->ent[i]->seq != seq)
			return cmd_error(
			    st, "route-map %s has no entry %u", name, seq);
		free(m->ent[i]);
		memmove(m->ent + i, m->ent + i + 1,
		    (m->n - i - 1) * sizeof(*m->ent));
		if (--m->n == 0)
			pol_rmap_del(p, m);
		return 0;
	}
	if (m == NULL) {
		m = cmd_xcalloc(1, sizeof(*m));
		memcpy(m->name, name, strlen(name) + 1);
		for (pp = &p->rmaps; *pp != NULL; pp = &(*pp)->next)
			;
		*pp = m;
	}
	i = rmap_pos(m, seq);
	if (i < m->n && m->ent[i]->seq == seq) {
		/* Like FRR: the same entry, its action as now typed. */
		m->ent[i]->permit = cmd_arg(a, "permit") != NULL;
		cmd_enter(st, CMD_MODE_ROUTE_MAP, m->ent[i]);
		return 0;
	}
	e = cmd_xcalloc(1, sizeof(*e));
	e->seq = seq;
	e->permit = cmd_arg(a, "permit") != NULL;
	grow((void **)&m->ent, m->n, &m->cap, sizeof(*m->ent));
	memmove(m->ent + i + 1, m->ent + i, (m->n - i) * sizeof(*m->ent));
	m->ent[i] = e;
	m->n++;
	cmd_enter(st, CMD_MODE_ROUTE_MAP, e);
	return 0;
}

static struct pol_rmap_ent *
rmap_ent(struct cmd_state *st)
{
	return cmd_mode_data(st);
}

/* Sets or clears a name field and its flag. */
static int
set_name(struct cmd_state *st, const struct cmd_args *a, unsigned *flags,
    unsigned bit, char *field)
{
	const char *v = cmd_arg(a, "L");

	if (a->negate) {
		*flags &= ~bit;
		field[0] = '\0';
		return 0;
	}
	if (name_ok(st, v) == -1)
		return -1;
	memset(field, 0, POL_NAME_MAX);
	memcpy(field, v, strlen(v));
	*flags |= bit;
	return 0;
}

static int
do_match(struct cmd_state *st, const struct cmd_args *a)
{
	struct pol_rmap_ent *e = rmap_ent(st);

	if (cmd_arg(a, "ipv6") != NULL)
		return set_name(st, a, &e->match, POL_M_PLIST6, e->m_plist6);
	if (cmd_arg(a, "ip") != NULL)
		return set_name(st, a, &e->match, POL_M_PLIST4, e->m_plist4);
	if (cmd_arg(a, "large-community") != NULL)
		return set_name(st, a, &e->match, POL_M_LCOMM, e->m_lcomm);
	if (cmd_arg(a, "as-path") != NULL)
		return set_name(st, a, &e->match, POL_M_ASPATH, e->m_aspath);
	e->m_comm_exact = !a->negate && cmd_arg(a, "exact-match") != NULL;
	return set_name(st, a, &e->match, POL_M_COMM, e->m_comm);
}

static int
do_set_local_pref(struct cmd_state *st, const struct cmd_args *a)
{
	struct pol_rmap_ent *e = rmap_ent(st);

	e->set =
	    a->negate ? e->set & ~POL_S_LOCAL_PREF : e->set | POL_S_LOCAL_PREF;
	e->s_local_pref = a->negate ? 0 : cmd_arg_num(a, "N", 0);
	return 0;
}

static int
do_set_metric(struct cmd_state *st, const struct cmd_args *a)
{
	struct pol_rmap_ent *e = rmap_ent(st);
	const char *v = cmd_arg(a, "M");
	int8_t op = 0;
	uint64_t n = 0;
	const char *s;

	if (a->negate) {
		e->set &= ~POL_S_MED;
		e->s_med = 0;
		e->s_med_op = 0;
		return 0;
	}
	if (*v == '+' || *v == '-')
		op = *v == '+' ? 1 : -1;
	s = op ? v + 1 : v;
	if (*s == '\0' || strlen(s) > 10)
		return cmd_error(st, "'%s' is not a metric (N, +N or -N)", v);
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return cmd_error(
			    st, "'%s' is not a metric (N, +N or -N)", v);
		n = n * 10 + (uint64_t)(*s - '0');
	}
	if (n > UINT32_MAX)
		return cmd_error(st, "metric %s is above 4294967295", v);
	e->set |= POL_S_MED;
	e->s_med = (uint32_t)n;
	e->s_med_op = op;
	return 0;
}

static int
do_set_origin(struct cmd_state *st, const struct cmd_args *a)
{
	struct pol_rmap_ent *e = rmap_ent(st);

	if (a->negate) {
		e->set &= ~POL_S_ORIGIN;
		e->s_origin = 0;
		return 0;
	}
	e->set |= POL_S_ORIGIN;
	e->s_origin = cmd_arg(a, "igp") ? BGP_ORIGIN_IGP
	    : cmd_arg(a, "egp")         ? BGP_ORIGIN_EGP
					: BGP_ORIGIN_INCOMPLETE;
	return 0;
}

static int
do_set_comm(struct cmd_state *st, const struct cmd_args *a)
{
	struct pol_rmap_ent *e = rmap_ent(st);
	bool large = cmd_arg(a, "large-community") != NULL;
	const char *text = cmd_arg(a, "C");
	unsigned bit = large ? POL_S_LCOMM : POL_S_COMM;
	unsigned none = large ? POL_S_LCOMM_NONE : POL_S_COMM_NONE;
	uint8_t v[POL_VALUES_MAX * 12];
	bool additive;
	int n;

	if (a->negate) {
		e->set &= ~(bit | none);
		if (large) {
			memset(e->s_lcomm, 0, sizeof(e->s_lcomm));
			e->s_nlcomm = 0;
			e->s_lcomm_additive = false;
		} else {
			memset(e->s_comm, 0, sizeof(e->s_comm));
			e->s_ncomm = 0;
			e->s_comm_additive = false;
		}
		return 0;
	}
	if (strcmp(text, "none") == 0) {
		e->set = (e->set & ~bit) | none;
		return 0;
	}
	n = parse_values(st, text, large, v, POL_VALUES_MAX, &additive);
	if (n < 0)
		return -1;
	e->set = (e->set & ~none) | bit;
	if (large) {
		memset(e->s_lcomm, 0, sizeof(e->s_lcomm));
		memcpy(e->s_lcomm, v, (size_t)n * 12);
		e->s_nlcomm = (size_t)n;
		e->s_lcomm_additive = additive;
	} else {
		memset(e->s_comm, 0, sizeof(e->s_comm));
		memcpy(e->s_comm, v, (size_t)n * 4);
		e->s_ncomm = (size_t)n;
		e->s_comm_additive = additive;
	}
	return 0;
}

static int
do_set_comm_del(struct cmd_state *st, const struct cmd_args *a)
{
	struct pol_rmap_ent *e = rmap_ent(st);

	if (cmd_arg(a, "large-comm-list") != NULL)
		return set_name(
		    st, a, &e->set, POL_S_LCOMM_DEL, e->s_lcomm_del);
	return set_name(st, a, &e->set, POL_S_COMM_DEL, e->s_comm_del);
}

static int
do_set_prepend(struct cmd_state *st, const struct cmd_args *a)
{
	struct pol_rmap_ent *e = rmap_ent(st);
	const char *text = cmd_arg(a, "P");
	char buf[POL_PREPEND_MAX * 12], *w, *save = NULL, *end;
	unsigned long v;
	uint8_t n = 0;

	if (a->negate) {
		e->set &= ~POL_S_PREPEND;
		memset(e->s_prepend, 0, sizeof(e->s_prepend));
		e->s_nprepend = 0;
		return 0;
	}
	if (strlen(text) >= sizeof(buf))
		return cmd_error(st, "more than %d ASNs", POL_PREPEND_MAX);
	strcpy(buf, text);
	memset(e->s_prepend, 0, sizeof(e->s_prepend));
	for (w = strtok_r(buf, " \t", &save); w != NULL;
	     w = strtok_r(NULL, " \t", &save)) {
		if (n == POL_PREPEND_MAX)
			return cmd_error(
			    st, "more than %d ASNs", POL_PREPEND_MAX);
		v = strtoul(w, &end, 10);
		if (*w < '0' || *w > '9' || *end != '\0' || v == 0 ||
		    v > UINT32_MAX || strlen(w) > 10)
			return cmd_error(st, "'%s' is not an AS number", w);
		e->s_prepend[n++] = (uint32_t)v;
	}
	if (n == 0)
		return cmd_error(st, "no AS number given");
	e->set |= POL_S_PREPEND;
	e->s_nprepend = n;
	return 0;
}

static int
do_set_nexthop(struct cmd_state *st, const struct cmd_args *a)
{
	struct pol_rmap_ent *e = rmap_ent(st);
	bool v6 = cmd_arg(a, "ipv6") != NULL;
	const char *v = cmd_arg(a, "A");

	if (a->negate) {
		e->set &= v6 ? ~POL_S_NEXTHOP6 : ~POL_S_NEXTHOP4;
		memset(v6 ? e->s_nexthop6 : e->s_nexthop4, 0, v6 ? 16 : 4);
		return 0;
	}
	if (inet_pton(v6 ? AF_INET6 : AF_INET, v,
		v6 ? e->s_nexthop6 : e->s_nexthop4) != 1)
		return cmd_error(
		    st, "'%s' is not an %s address", v, v6 ? "IPv6" : "IPv4");
	e->set |= v6 ? POL_S_NEXTHOP6 : POL_S_NEXTHOP4;
	return 0;
}

static int
do_exit_policy(struct cmd_state *st, const struct cmd_args *a)
{
	struct pol_rmap_ent *e = rmap_ent(st);
	uint32_t seq = cmd_arg_num(a, "S", 0);

	if (a->negate) {
		e->exit = POL_EXIT_DONE;
		e->exit_seq = 0;
		e->exit_continue = false;
		return 0;
	}
	if (seq != 0 && seq <= e->seq)
		return cmd_error(
		    st, "%u does not come after this entry (%u)", seq, e->seq);
	e->exit_continue = cmd_arg(a, "continue") != NULL;
	e->exit = cmd_arg(a, "next") != NULL ? POL_EXIT_NEXT : POL_EXIT_GOTO;
	e->exit_seq = seq;
	return 0;
}

static int
do_rmap_description(struct cmd_state *st, const struct cmd_args *a)
{
	struct pol_rmap_ent *e = rmap_ent(st);
	const char *v = cmd_arg(a, "D");

	memset(e->description, 0, sizeof(e->description));
	if (a->negate)
		return 0;
	if (strlen(v) >= sizeof(e->description))
		return cmd_error(st, "description longer than %zu bytes",
		    sizeof(e->description) - 1);
	memcpy(e->description, v, strlen(v));
	return 0;
}

/* ---- show ---- */

/* Neighbors that use a name, for `show route-map` and prefix lists. */
static void
print_users(const struct conf *c, const char *name, bool rmap, int afi,
    FILE *out, bool json)
{
	const struct conf_neighbor *n;
	bool first = true;
	int i;

	for (n = c->neighbors; n != NULL; n = n->next)
		for (i = 0; i < 2; i++) {
			const struct conf_nbr_pol *p = &n->pol[i];
			const char *in = rmap ? p->rmap_in : p->plist_in;
			const char *o = rmap ? p->rmap_out : p->plist_out;

			if (!rmap &&
			    afi != (i == 0 ? BGP_AFI_IPV4 : BGP_AFI_IPV6))
				continue;
			for (int d = 0; d < 2; d++) {
				if (strcmp(d ? o : in, name) != 0)
					continue;
				if (json)
					fprintf(out,
					    "%s{\"neighbor\":\"%s\","
					    "\"family\":\"%s\","
					    "\"direction\":\"%s\"}",
					    first ? "" : ",", n->name,
					    i ? "ipv6" : "ipv4",
					    d ? "out" : "in");
				else
					fprintf(out,
					    "  used by neighbor %s %s %s\n",
					    n->name, i ? "ipv6" : "ipv4",
					    d ? "out" : "in");
				first = false;
			}
		}
}

static int
cmd_show_plist(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;
	const struct conf *c = sc->bgpd->conf;
	int afi = cmd_arg(a, "ipv6") != NULL ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
	const char *name = cmd_arg(a, "N");
	bool json = cmd_arg(a, "json") != NULL, first = true;
	const struct pol_plist *l;
	char buf[64];
	size_t i;

	if (name != NULL && pol_plist_find(c->pol, afi, name) == NULL)
		return cmd_error(st, "no prefix list %s", name);
	if (json)
		fputc('[', st->out);
	for (l = c->pol ? c->pol->plists : NULL; l != NULL; l = l->next) {
		if (l->afi != afi || (name != NULL && strcmp(name, l->name)))
			continue;
		if (json) {
			fprintf(st->out, "%s{\"name\":", first ? "" : ",");
			show_json_str(st->out, l->name);
			fputs(",\"entries\":[", st->out);
		} else
			fprintf(st->out, "%s prefix-list %s: %zu entries\n",
			    afi == BGP_AFI_IPV4 ? "ip" : "ipv6", l->name, l->n);
		for (i = 0; i < l->n; i++) {
			const struct pol_plist_ent *e = &l->ent[i];

			pol_prefix_str(&e->pfx, buf, sizeof(buf));
			if (json) {
				fprintf(st->out,
				    "%s{\"seq\":%u,\"action\":\"%s\","
				    "\"prefix\":\"%s\"",
				    i ? "," : "", e->seq,
				    e->permit ? "permit" : "deny", buf);
				if (e->ge)
					fprintf(st->out, ",\"ge\":%u", e->ge);
				if (e->le)
					fprintf(st->out, ",\"le\":%u", e->le);
				fputc('}', st->out);
				continue;
			}
			fprintf(st->out, "   seq %u %s %s", e->seq,
			    e->permit ? "permit" : "deny", buf);
			if (e->ge)
				fprintf(st->out, " ge %u", e->ge);
			if (e->le)
				fprintf(st->out, " le %u", e->le);
			fputc('\n', st->out);
		}
		if (json)
			fputs("],\"usedBy\":[", st->out);
		print_users(c, l->name, false, afi, st->out, json);
		if (json)
			fputs("]}", st->out);
		first = false;
	}
	if (json)
		fputs("]\n", st->out);
	return 0;
}

static int
cmd_show_rmap(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;
	const struct conf *c = sc->bgpd->conf;
	const char *name = cmd_arg(a, "N");
	bool json = cmd_arg(a, "json") != NULL, first = true;
	const struct pol_rmap *m;
	char *text;
	size_t len, i;
	FILE *f;

	if (name != NULL && pol_rmap_find(c->pol, name) == NULL)
		return cmd_error(st, "no route-map %s", name);
	if (json)
		fputc('[', st->out);
	for (m = c->pol ? c->pol->rmaps : NULL; m != NULL; m = m->next) {
		if (name != NULL && strcmp(name, m->name) != 0)
			continue;
		if (!json) {
			fprintf(st->out, "route-map %s: %zu entries\n", m->name,
			    m->n);
			for (i = 0; i < m->n; i++) {
				fprintf(st->out, "  %s %u\n",
				    m->ent[i]->permit ? "permit" : "deny",
				    m->ent[i]->seq);
				/* The clauses as the config has them. */
				text = NULL;
				f = open_memstream(&text, &len);
				if (f == NULL)
					abort();
				{
					struct pol one = { 0 };
					struct pol_rmap mm = *m;

					mm.next = NULL;
					mm.ent = &m->ent[i];
					mm.n = 1;
					one.rmaps = &mm;
					pol_print(&one, f);
				}
				fclose(f);
				for (char *l = strtok(text, "\n"); l != NULL;
				     l = strtok(NULL, "\n"))
					if (l[0] == ' ')
						fprintf(
						    st->out, "   %s\n", l + 1);
				free(text);
			}
			print_users(c, m->name, true, 0, st->out, false);
			continue;
		}
		fprintf(st->out, "%s{\"name\":", first ? "" : ",");
		show_json_str(st->out, m->name);
		fputs(",\"entries\":[", st->out);
		for (i = 0; i < m->n; i++)
			fprintf(st->out,
			    "%s{\"seq\":%u,\"action\":\"%s\","
			    "\"matches\":%u,\"sets\":%u}",
			    i ? "," : "", m->ent[i]->seq,
			    m->ent[i]->permit ? "permit" : "deny",
			    (unsigned)__builtin_popcount(m->ent[i]->match),
			    (unsigned)__builtin_popcount(m->ent[i]->set));
		fputs("],\"usedBy\":[", st->out);
		print_users(c, m->name, true, 0, st->out, true);
		fputs("]}", st->out);
		first = false;
	}
	if (json)
		fputs("]\n", st->out);
	return 0;
}

/* ---- the table ---- */

#define PL_HELP(fam)                                                           \
	fam " settings\n"                                                      \
	    "Build a prefix list\n"                                            \
	    "Name of the list\n"                                               \
	    "Sequence number of the entry\n"                                   \
	    "Sequence number, default the next multiple of 5\n"                \
	    "Permit routes that match\n"                                       \
	    "Deny routes that match\n"                                         \
	    "The prefix, A.B.C.D/M or X:X::X:X/M\n"                            \
	    "Match longer prefixes, at least this long\n"                      \
	    "Minimum prefix length\n"                                          \
	    "Match longer prefixes, at most this long\n"                       \
	    "Maximum prefix length\n"

#define CL_HELP(kind)                                                          \
	"BGP settings\n"                                                       \
	"Build a " kind " list\n"                                              \
	"A list of values\n"                                                   \
	"Name of the list\n"                                                   \
	"Sequence number of the entry\n"                                       \
	"Sequence number, default the next multiple of 5\n"                    \
	"Permit routes that carry all these values\n"                          \
	"Deny routes that carry all these values\n"

#define SET_HELP   "Change the route (permit entries)\n"
#define MATCH_HELP "Test the route; every match must hold\n"

static const struct cmd_def pol_cmds[] = {
	{ CONFIG,
	    "ip prefix-list <N:WORD> [seq <S:UINT 1-4294967295>] "
	    "{permit|deny} <P:WORD> [ge <G:UINT 1-128>] [le <L:UINT 1-128>]",
	    PL_HELP("IPv4"), do_plist, CMD_NO, 0,
	    "ip prefix-list <N:WORD> [[seq <S:UINT 1-4294967295>] "
	    "{permit|deny} <P:WORD> [ge <G:UINT 1-128>] [le <L:UINT 1-128>]]" },
	{ CONFIG, "ip prefix-list <N:WORD> seq <S:UINT 1-4294967295>",
	    "IPv4 settings\n"
	    "Build a prefix list\n"
	    "Name of the list\n"
	    "Remove the entry with this sequence number\n"
	    "Sequence number\n",
	    do_plist, CMD_NO_ONLY, 0, NULL },
	{ CONFIG,
	    "ipv6 prefix-list <N:WORD> [seq <S:UINT 1-4294967295>] "
	    "{permit|deny} <P:WORD> [ge <G:UINT 1-128>] [le <L:UINT 1-128>]",
	    PL_HELP("IPv6"), do_plist, CMD_NO, 0,
	    "ipv6 prefix-list <N:WORD> [[seq <S:UINT 1-4294967295>] "
	    "{permit|deny} <P:WORD> [ge <G:UINT 1-128>] [le <L:UINT 1-128>]]" },
	{ CONFIG, "ipv6 prefix-list <N:WORD> seq <S:UINT 1-4294967295>",
	    "IPv6 settings\n"
	    "Build a prefix list\n"
	    "Name of the list\n"
	    "Remove the entry with this sequence number\n"
	    "Sequence number\n",
	    do_plist, CMD_NO_ONLY, 0, NULL },
	{ CONFIG,
	    "bgp community-list standard <N:WORD> [seq <S:UINT 1-4294967295>] "
	    "{permit|deny} <C:LINE>",
	    CL_HELP("community") "Communities: AA:NN or well-known names "
				 "(no-export, no-advertise, local-AS, "
				 "blackhole, graceful-shutdown...) or AWS "
				 "names (aws-pref-high...)\n",
	    do_clist, CMD_NO, 0,
	    "bgp community-list standard <N:WORD> "
	    "[[seq <S:UINT 1-4294967295>] {permit|deny} <C:LINE>]" },
	{ CONFIG,
	    "bgp large-community-list standard <N:WORD> "
	    "[seq <S:UINT 1-4294967295>] {permit|deny} <C:LINE>",
	    CL_HELP("large community") "Large communities: "
				       "GLOBAL:LOCAL1:LOCAL2\n",
	    do_clist, CMD_NO, 0,
	    "bgp large-community-list standard <N:WORD> "
	    "[[seq <S:UINT 1-4294967295>] {permit|deny} <C:LINE>]" },
	{ CONFIG,
	    "bgp as-path access-list <N:WORD> [seq <S:UINT 1-4294967295>] "
	    "{permit|deny} <R:LINE>",
	    "BGP settings\n"
	    "AS paths\n"
	    "Build an AS-path access list\n"
	    "Name of the list\n"
	    "Sequence number of the entry\n"
	    "Sequence number, default the next multiple of 5\n"
	    "Permit paths that match\n"
	    "Deny paths that match\n"
	    "POSIX extended regular expression; _ matches a boundary\n",
	    do_aslist, CMD_NO, 0,
	    "bgp as-path access-list <N:WORD> "
	    "[[seq <S:UINT 1-4294967295>] {permit|deny} <R:LINE>]" },
	{ CONFIG, "route-map <N:WORD> {permit|deny} <S:UINT 1-65535>",
	    "Build a route-map and enter one of its entries\n"
	    "Name of the route-map\n"
	    "Routes that match pass, changed by the set clauses\n"
	    "Routes that match are refused\n"
	    "Sequence number of the entry\n",
	    do_route_map, CMD_NO, CMD_MODE_ROUTE_MAP,
	    "route-map <N:WORD> [{permit|deny} <S:UINT 1-65535>]" },
	{ RMAP, "match ip address prefix-list <L:WORD>",
	    MATCH_HELP "IPv4\n"
		       "The route's prefix\n"
		       "Permitted by a prefix list\n"
		       "Name of the list\n",
	    do_match, CMD_NO, 0, "match ip address prefix-list [<L:WORD>]" },
	{ RMAP, "match ipv6 address prefix-list <L:WORD>",
	    MATCH_HELP "IPv6\n"
		       "The route's prefix\n"
		       "Permitted by a prefix list\n"
		       "Name of the list\n",
	    do_match, CMD_NO, 0, "match ipv6 address prefix-list [<L:WORD>]" },
	{ RMAP, "match community <L:WORD> [exact-match]",
	    MATCH_HELP "Communities permitted by a community list\n"
		       "Name of the list\n"
		       "The route has exactly the entry's communities\n",
	    do_match, CMD_NO, 0, NULL },
	{ RMAP, "match large-community <L:WORD>",
	    MATCH_HELP "Large communities permitted by a large community "
		       "list\n"
		       "Name of the list\n",
	    do_match, CMD_NO, 0, NULL },
	{ RMAP, "match as-path <L:WORD>",
	    MATCH_HELP "AS path permitted by an AS-path access list\n"
		       "Name of the list\n",
	    do_match, CMD_NO, 0, NULL },
	{ RMAP, "set local-preference <N:UINT 0-4294967295>",
	    SET_HELP "LOCAL_PREF\n"
		     "Value\n",
	    do_set_local_pref, CMD_NO, 0, NULL },
	{ RMAP, "set metric <M:WORD>",
	    SET_HELP "MULTI_EXIT_DISC (MED)\n"
		     "Value N, or +N / -N to add or subtract\n",
	    do_set_metric, CMD_NO, 0, NULL },
	{ RMAP, "set origin {igp|egp|incomplete}",
	    SET_HELP "ORIGIN\n"
		     "IGP\n"
		     "EGP\n"
		     "Incomplete\n",
	    do_set_origin, CMD_NO, 0, NULL },
	{ RMAP, "set community <C:LINE>",
	    SET_HELP "Communities\n"
		     "AA:NN, well-known or AWS names (aws-pref-high...), "
		     "then optionally \"additive\"; or \"none\"\n",
	    do_set_comm, CMD_NO, 0, NULL },
	{ RMAP, "set large-community <C:LINE>",
	    SET_HELP "Large communities\n"
		     "GLOBAL:LOCAL1:LOCAL2 values, then optionally "
		     "\"additive\"; or \"none\"\n",
	    do_set_comm, CMD_NO, 0, NULL },
	{ RMAP, "set comm-list <L:WORD> delete",
	    SET_HELP "Remove communities\n"
		     "Those this community list permits\n"
		     "Remove them\n",
	    do_set_comm_del, CMD_NO, 0, "set comm-list [<L:WORD> [delete]]" },
	{ RMAP, "set large-comm-list <L:WORD> delete",
	    SET_HELP "Remove large communities\n"
		     "Those this large community list permits\n"
		     "Remove them\n",
	    do_set_comm_del, CMD_NO, 0,
	    "set large-comm-list [<L:WORD> [delete]]" },
	{ RMAP, "set as-path prepend <P:LINE>",
	    SET_HELP "AS_PATH\n"
		     "Put AS numbers in front\n"
		     "AS numbers, up to 16\n",
	    do_set_prepend, CMD_NO, 0, NULL },
	{ RMAP, "set ip next-hop <A:IPV4>",
	    SET_HELP "IPv4\n"
		     "The next hop (IPv4 routes)\n"
		     "Address\n",
	    do_set_nexthop, CMD_NO, 0, NULL },
	{ RMAP, "set ipv6 next-hop global <A:ADDR>",
	    SET_HELP "IPv6\n"
		     "The next hop (IPv6 routes)\n"
		     "The global address\n"
		     "Address\n",
	    do_set_nexthop, CMD_NO, 0, NULL },
	{ RMAP, "on-match next",
	    "After this entry permits, go on\n"
	    "To the next entry\n",
	    do_exit_policy, CMD_NO, 0, NULL },
	{ RMAP, "on-match goto <S:UINT 1-65535>",
	    "After this entry permits, go on\n"
	    "To a later entry\n"
	    "Its sequence number\n",
	    do_exit_policy, CMD_NO, 0, NULL },
	{ RMAP, "continue [<S:UINT 1-65535>]",
	    "After this entry permits, go on to a later entry\n"
	    "Its sequence number, default the next\n",
	    do_exit_policy, CMD_NO, 0, NULL },
	{ RMAP, "description <D:LINE>",
	    "Describe this entry\n"
	    "Text\n",
	    do_rmap_description, CMD_NO, 0, NULL },
	{ EXEC, "show ip prefix-list [<N:WORD>] [json]",
	    "Show running state\n"
	    "IPv4\n"
	    "Prefix lists and who uses them\n"
	    "Only this list\n"
	    "As JSON\n",
	    cmd_show_plist, 0, CMD_MODE_NONE, NULL },
	{ EXEC, "show ipv6 prefix-list [<N:WORD>] [json]",
	    "Show running state\n"
	    "IPv6\n"
	    "Prefix lists and who uses them\n"
	    "Only this list\n"
	    "As JSON\n",
	    cmd_show_plist, 0, CMD_MODE_NONE, NULL },
	{ EXEC, "show route-map [<N:WORD>] [json]",
	    "Show running state\n"
	    "Route-maps and who uses them\n"
	    "Only this route-map\n"
	    "As JSON\n",
	    cmd_show_rmap, 0, CMD_MODE_NONE, NULL },
};

void
pol_cmd_register(void)
{
	cmd_register(pol_cmds, sizeof(pol_cmds) / sizeof(pol_cmds[0]));
}
