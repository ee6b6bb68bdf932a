/*
 * iface_cmd.c: the interface commands, rows of the one command table
 * (cmd.h): `interface NAME` mode (description, vlan ID parent PHYS,
 * ip address, ipv6 address, mtu, shutdown), the binding `neighbor X
 * interface NAME` under router bgp, and `show interface [NAME]
 * [brief|json]`; printing them back for the running config, and the
 * checks of a whole tree that concern interfaces.
 *
 * What the commands ask for is made in the kernel by iface.c; here is
 * only the config tree and what show prints.
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "conf.h"
#include "iface.h"
#include "show.h"
#include "show_cmd.h"

#define IFMODE CMD_M(CMD_MODE_INTERFACE)

/* The MTUs the clouds use: Ethernet, AWS transit VIF, AWS jumbo. */
static const uint32_t cloud_mtus[] = { 1500, 8500, 9001 };

/* A name Linux takes for a link (dev_valid_name): 1-15 bytes, no '/'. */
static bool
ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= CONF_IFNAME_MAX || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return false;
	for (; *s != '\0'; s++)
		if (*s == '/' || *s == ':' || *s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

static int
bad_ifname(struct cmd_state *st, const char *name)
{
	return cmd_error(st,
	    "'%s' is not an interface name (1-15 bytes, no '/', ':' or "
	    "blank)",
	    name);
}

/* ---- interface NAME ---- */

static int
do_interface(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;
	const char *name = cmd_arg(a, "N");
	struct conf_iface *i, **pp;

	if (!ifname_ok(name))
		return bad_ifname(st, name);
	for (pp = &c->ifaces; (i = *pp) != NULL; pp = &i->next)
		if (strcmp(i->name, name) == 0)
			break;
	if (a->negate) {
		if (i == NULL)
			return cmd_error(st, "no interface %s", name);
		*pp = i->next;
		free(i);
		return 0;
	}
	if (i == NULL) {
		i = cmd_xcalloc(1, sizeof(*i));
		memcpy(i->name, name, strlen(name) + 1);
		i->line = st->line;
		*pp = i;
	}
	cmd_enter(st, CMD_MODE_INTERFACE, i);
	return 0;
}

static int
do_if_description(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_iface *i = cmd_mode_data(st);
	const char *v = cmd_arg(a, "D");

	if (a->negate) {
		i->description[0] = '\0';
		return 0;
	}
	if (strlen(v) >= sizeof(i->description))
		return cmd_error(st, "description longer than %zu bytes",
		    sizeof(i->description) - 1);
	memcpy(i->description, v, strlen(v) + 1);
	return 0;
}

static int
do_vlan(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_iface *i = cmd_mode_data(st);
	const char *parent = cmd_arg(a, "P");

	if (a->negate) {
		i->vlan_id = 0;
		i->parent[0] = '\0';
		return 0;
	}
	if (!ifname_ok(parent))
		return bad_ifname(st, parent);
	if (strcmp(parent, i->name) == 0)
		return cmd_error(
		    st, "interface %s cannot be its own parent", i->name);
	i->vlan_id = (uint16_t)cmd_arg_num(a, "V", 0);
	memcpy(i->parent, parent, strlen(parent) + 1);
	return 0;
}

/* "A/LEN" of family; false if it is not one we put on a link. */
static bool
ifaddr_parse(const char *s, int family, struct conf_ifaddr *out)
{
	const char *slash = strchr(s, '/');
	char buf[INET6_ADDRSTRLEN];
	unsigned max = family == AF_INET ? 32 : 128;
	unsigned long len;
	char *end;
	const uint8_t *b;

	if (slash == NULL || (size_t)(slash - s) >= sizeof(buf) ||
	    slash[1] < '0' || slash[1] > '9')
		return false;
	len = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || len == 0 || len > max)
		return false;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	memset(out, 0, sizeof(*out));
	out->addr.family = family;
	if (inet_pton(family, buf, &out->addr.u) != 1)
		return false;
	out->plen = (uint8_t)len;
	b = (const uint8_t *)&out->addr.u;
	/* Not a host's address: unspecified, multicast, loopback. */
	if (family == AF_INET)
		return b[0] != 0 && b[0] < 224 && b[0] != 127;
	return b[0] != 0xff && !IN6_IS_ADDR_UNSPECIFIED(&out->addr.u.v6) &&
	    !IN6_IS_ADDR_LOOPBACK(&out->addr.u.v6);
}

static bool
ifaddr_eq(const struct conf_ifaddr *x, const struct conf_ifaddr *y)
{
	return x->plen == y->plen && conf_addr_eq(&x->addr, &y->addr);
}

static int
do_address(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_iface *i = cmd_mode_data(st);
	int family = cmd_arg(a, "ipv6") != NULL ? AF_INET6 : AF_INET;
	const char *text = cmd_arg(a, "A");
	struct conf_ifaddr ca;
	unsigned k, j;

	if (a->negate && text == NULL) {
		/* no ip address: every address of the family */
		for (k = j = 0; k < i->naddrs; k++)
			if (i->addrs[k].addr.family != family)
				i->addrs[j++] = i->addrs[k];
		i->naddrs = (uint8_t)j;
		return 0;
	}
	if (!ifaddr_parse(text, family, &ca))
		return cmd_error(st,
		    "'%s' is not an %s interface address (A/LEN, not "
		    "multicast, loopback or unspecified)",
		    text, family == AF_INET ? "IPv4" : "IPv6");
	for (k = 0; k < i->naddrs; k++) {
		if (ifaddr_eq(&i->addrs[k], &ca))
			break;
		if (!a->negate && conf_addr_eq(&i->addrs[k].addr, &ca.addr))
			return cmd_error(st,
			    "interface %s has this address as /%u already",
			    i->name, i->addrs[k].plen);
	}
	if (a->negate) {
		if (k == i->naddrs)
			return cmd_error(st, "interface %s has no address %s",
			    i->name, text);
		memmove(&i->addrs[k], &i->addrs[k + 1],
		    (i->naddrs - k - 1) * sizeof(i->addrs[0]));
		i->naddrs--;
		return 0;
	}
	if (k < i->naddrs)
		return 0;
	if (i->naddrs == CONF_IFADDR_MAX)
		return cmd_error(st, "interface %s: more than %d addresses",
		    i->name, CONF_IFADDR_MAX);
	i->addrs[i->naddrs++] = ca;
	return 0;
}

static int
do_mtu(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_iface *i = cmd_mode_data(st);

	i->mtu = a->negate ? 0 : cmd_arg_num(a, "N", 0);
	return 0;
}

static int
do_if_shutdown(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf_iface *i = cmd_mode_data(st);

	i->shutdown = !a->negate;
	return 0;
}

/* ---- neighbor X interface NAME ---- */

static int
do_nbr_interface(struct cmd_state *st, const struct cmd_args *a)
{
	struct conf *c = st->ctx;
	const char *name = cmd_arg(a, "N");
	struct conf_neighbor *n;
	struct conf_addr addr;

	if (!conf_addr_parse(cmd_arg(a, "A"), &addr))
		return cmd_error(st, "invalid address '%s'", cmd_arg(a, "A"));
	if (!a->negate && !ifname_ok(name))
		return bad_ifname(st, name);
	n = conf_neighbor_find(c, &addr);
	if (n == NULL && a->negate)
		return cmd_error(
		    st, "neighbor %s is not configured", cmd_arg(a, "A"));
	if (a->negate) {
		if (name != NULL && strcmp(name, n->ifname) != 0)
			return cmd_error(st, "neighbor %s is not bound to %s",
			    n->name, name);
		n->ifname[0] = '\0';
		return 0;
	}
	if (n == NULL)
		n = conf_neighbor_add(c, &addr, st->line);
	memcpy(n->ifname, name, strlen(name) + 1);
	return 0;
}

/* ---- the running config and its checks ---- */

void
iface_conf_print(const struct conf *c, FILE *out)
{
	const struct conf_iface *i;
	char buf[INET6_ADDRSTRLEN];

	for (i = c->ifaces; i != NULL; i = i->next) {
		fprintf(out, "interface %s\n", i->name);
		if (i->description[0] != '\0') {
			fputs(" description ", out);
			cmd_fput_line(i->description, out);
			fputc('\n', out);
		}
		if (i->vlan_id != 0)
			fprintf(
			    out, " vlan %u parent %s\n", i->vlan_id, i->parent);
		if (i->mtu != 0)
			fprintf(out, " mtu %u\n", i->mtu);
		for (unsigned k = 0; k < i->naddrs; k++)
			fprintf(out, " %s address %s/%u\n",
			    i->addrs[k].addr.family == AF_INET ? "ip" : "ipv6",
			    conf_addr_str(&i->addrs[k].addr, buf, sizeof(buf)),
			    i->addrs[k].plen);
		if (i->shutdown)
			fputs(" shutdown\n", out);
		fputs("exit\n", out);
	}
}

static void report(int *n, FILE *f, const char *name, int line,
    const char *what, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
report(int *n, FILE *f, const char *name, int line, const char *what,
    const char *fmt, ...)
{
	va_list ap;

	(*n)++;
	if (f == NULL)
		return;
	fprintf(f, "%s:%d: %s", name, line, what);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
}

int
iface_conf_check(const struct conf *c, const char *name, FILE *errs)
{
	const struct conf_iface *i, *j;
	char buf[INET6_ADDRSTRLEN];
	int nerr = 0;

	for (i = c->ifaces; i != NULL; i = i->next)
		for (j = i->next; j != NULL; j = j->next) {
			if (i->vlan_id != 0 && i->vlan_id == j->vlan_id &&
			    strcmp(i->parent, j->parent) == 0)
				report(&nerr, errs, name, j->line, "",
				    "interface %s: VLAN %u on %s is interface "
				    "%s already",
				    j->name, j->vlan_id, j->parent, i->name);
			for (unsigned a = 0; a < i->naddrs; a++)
				for (unsigned b = 0; b < j->naddrs; b++)
					if (conf_addr_eq(&i->addrs[a].addr,
						&j->addrs[b].addr))
						report(&nerr, errs, name,
						    j->line, "",
						    "interface %s: address %s "
						    "is on interface %s "
						    "already",
						    j->name,
						    conf_addr_str(
							&j->addrs[b].addr, buf,
							sizeof(buf)),
						    i->name);
		}
	return nerr;
}

int
iface_conf_warn(const struct conf *c, const char *name, FILE *out)
{
	const struct conf_iface *i;
	int nwarn = 0;
	size_t k;

	for (i = c->ifaces; i != NULL; i = i->next) {
		if (i->mtu == 0)
			continue;
		for (k = 0; k < sizeof(cloud_mtus) / sizeof(cloud_mtus[0]); k++)
			if (i->mtu == cloud_mtus[k])
				break;
		if (k == sizeof(cloud_mtus) / sizeof(cloud_mtus[0]))
			report(&nwarn, out, name, i->line, "warning: ",
			    "interface %s: MTU %u is none of the clouds' "
			    "(1500, 8500, 9001); the peer's MTU must match",
			    i->name, i->mtu);
	}
	return nwarn;
}

/* ---- show interface ---- */

/* One row of show: a configured interface and/or a kernel link. */
struct row {
	const char *name;
	const struct conf_iface *c;  /* NULL if not configured */
	const struct iface_link *l;  /* NULL if absent or not known */
	const struct iface_own *own; /* NULL if dxbgpd did nothing */
};

static const char *
row_state(const struct iface *ifc, const struct row *r)
{
	if (ifc == NULL)
		return "unknown";
	if (r->l == NULL)
		return "absent";
	if (!(r->l->flags & IFF_UP))
		return "admin-down";
	return (r->l->flags & IFF_RUNNING) ? "up" : "down";
}

static void
row_fill(const struct bgpd *d, const char *name, struct row *r)
{
	const struct iface *ifc = d->iface;
	const struct conf_iface *c;

	memset(r, 0, sizeof(*r));
	r->name = name;
	for (c = d->conf != NULL ? d->conf->ifaces : NULL; c != NULL;
	     c = c->next)
		if (strcmp(c->name, name) == 0)
			r->c = c;
	if (ifc != NULL) {
		r->l = iface_kstate_link(iface_kstate(ifc), name);
		r->own = iface_own_find(ifc, name);
	}
}

static bool
ours(const struct row *r, const struct iface_addr *a)
{
	if (r->own == NULL)
		return false;
	for (size_t i = 0; i < r->own->naddrs; i++)
		if (iface_addr_eq(&r->own->addrs[i], a))
			return true;
	return false;
}

static bool
configured(const struct row *r, const struct iface_addr *a)
{
	struct iface_addr b;

	for (unsigned k = 0; r->c != NULL && k < r->c->naddrs; k++) {
		memset(&b, 0, sizeof(b));
		b.family = (uint8_t)r->c->addrs[k].addr.family;
		b.plen = r->c->addrs[k].plen;
		memcpy(b.addr, &r->c->addrs[k].addr.u,
		    b.family == AF_INET ? 4 : 16);
		if (iface_addr_eq(&b, a))
			return true;
	}
	return false;
}

/*
 * Calls fn for each address of the row: the link's, then those
 * configured that the link does not have.
 */
static void
row_addrs(const struct bgpd *d, const struct row *r,
    void (*fn)(
	void *, const struct row *, const struct iface_addr *, bool present),
    void *arg)
{
	const struct iface_kstate *ks =
	    d->iface != NULL ? iface_kstate(d->iface) : NULL;
	struct iface_addr b;

	if (ks != NULL && r->l != NULL)
		for (size_t i = 0; i < ks->naddrs; i++)
			if (ks->addrs[i].index == r->l->index)
				fn(arg, r, &ks->addrs[i].a, true);
	for (unsigned k = 0; r->c != NULL && k < r->c->naddrs; k++) {
		memset(&b, 0, sizeof(b));
		b.family = (uint8_t)r->c->addrs[k].addr.family;
		b.plen = r->c->addrs[k].plen;
		memcpy(b.addr, &r->c->addrs[k].addr.u,
		    b.family == AF_INET ? 4 : 16);
		if (ks == NULL || r->l == NULL ||
		    !iface_kstate_has_addr(ks, r->l->index, &b))
			fn(arg, r, &b, false);
	}
}

struct addr_out {
	FILE *out;
	bool json;
	const char *sep;
};

static void
addr_brief(
    void *arg, const struct row *r, const struct iface_addr *a, bool present)
{
	struct addr_out *ao = arg;
	char buf[IFACE_ADDRSTRLEN];

	fprintf(ao->out, "%s%s%s", ao->sep, iface_addr_str(a, buf, sizeof(buf)),
	    present ? "" : "(missing)");
	ao->sep = " ";
}

static void
addr_detail(
    void *arg, const struct row *r, const struct iface_addr *a, bool present)
{
	struct addr_out *ao = arg;
	char buf[IFACE_ADDRSTRLEN];
	bool conf = configured(r, a), own = ours(r, a);

	if (ao->json) {
		fprintf(ao->out, "%s{\"address\":", ao->sep);
		show_json_str(ao->out, iface_addr_str(a, buf, sizeof(buf)));
		fprintf(ao->out,
		    ",\"family\":\"%s\",\"present\":%s,\"configured\":%s,"
		    "\"addedByDxbgpd\":%s}",
		    a->family == AF_INET ? "ipv4" : "ipv6",
		    present ? "true" : "false", conf ? "true" : "false",
		    own ? "true" : "false");
		ao->sep = ",";
		return;
	}
	fprintf(ao->out, "  %s %s%s%s%s\n",
	    a->family == AF_INET ? "inet " : "inet6",
	    iface_addr_str(a, buf, sizeof(buf)), conf ? " configured" : "",
	    own ? ", added by dxbgpd" : "", present ? "" : ", missing");
}

static void
row_brief(const struct bgpd *d, const struct row *r, FILE *out)
{
	struct addr_out ao = { out, false, "" };
	char vlan[32] = "-", mtu[16] = "-";

	if (r->c != NULL && r->c->vlan_id != 0)
		snprintf(
		    vlan, sizeof(vlan), "%u@%s", r->c->vlan_id, r->c->parent);
	else if (r->l != NULL && strcmp(r->l->kind, "vlan") == 0)
		snprintf(vlan, sizeof(vlan), "%u", r->l->vlan_id);
	if (r->l != NULL)
		snprintf(mtu, sizeof(mtu), "%u", r->l->mtu);
	fprintf(out, "%-16s %-10s %-16s %6s  ", r->name, row_state(d->iface, r),
	    vlan, mtu);
	row_addrs(d, r, addr_brief, &ao);
	fputc('\n', out);
}

static void
row_neighbors(const struct bgpd *d, const struct row *r, FILE *out, bool json)
{
	const char *sep = "";

	for (const struct peer *p = d->peers; p != NULL; p = p->next) {
		if (strcmp(p->conf.ifname, r->name) != 0)
			continue;
		if (json) {
			fputs(sep, out);
			show_json_str(out, p->name);
			sep = ",";
		} else
			fprintf(out, "  neighbor %s: %s%s%s\n", p->name,
			    sess_state_name(p),
			    (p->blocked & SESS_BLOCK_LINK) ? ", kept down: "
							   : "",
			    (p->blocked & SESS_BLOCK_LINK) ? p->block_why : "");
	}
}

static void
row_text(const struct bgpd *d, const struct row *r, FILE *out)
{
	struct addr_out ao = { out, false, "" };
	const struct iface_link *l = r->l;

	fprintf(out, "Interface %s is %s", r->name, row_state(d->iface, r));
	if (l != NULL)
		fprintf(out, " (operational state %s), index %d, MTU %u",
		    iface_operstate_name(l->operstate), l->index, l->mtu);
	fputc('\n', out);
	if (r->c != NULL && r->c->description[0] != '\0')
		fprintf(out, "  description: %s\n", r->c->description);
	if (l != NULL && l->kind[0] != '\0')
		fprintf(out, "  kind: %s\n", l->kind);
	if (r->c != NULL && r->c->vlan_id != 0)
		fprintf(out, "  VLAN %u on %s (configured)%s\n", r->c->vlan_id,
		    r->c->parent,
		    r->own != NULL && r->own->created ? ", created by dxbgpd"
						      : "");
	else if (l != NULL && strcmp(l->kind, "vlan") == 0)
		fprintf(out, "  VLAN %u\n", l->vlan_id);
	if (r->c == NULL)
		fputs("  not configured\n", out);
	else {
		if (r->c->mtu != 0)
			fprintf(out, "  MTU %u configured\n", r->c->mtu);
		if (r->c->shutdown)
			fputs("  shutdown configured\n", out);
	}
	row_addrs(d, r, addr_detail, &ao);
	row_neighbors(d, r, out, false);
	if (r->own != NULL && r->own->err[0] != '\0')
		fprintf(out, "  problem: %s\n", r->own->err);
}

static void
row_json(const struct bgpd *d, const struct row *r, FILE *out)
{
	struct addr_out ao = { out, true, "" };
	const struct iface_link *l = r->l;

	show_json_str(out, r->name);
	fprintf(out, ":{\"state\":\"%s\",\"configured\":%s,\"exists\":%s",
	    row_state(d->iface, r), r->c ? "true" : "false",
	    l ? "true" : "false");
	if (l != NULL) {
		fprintf(out,
		    ",\"index\":%d,\"adminUp\":%s,\"carrier\":%s,"
		    "\"operState\":\"%s\",\"mtu\":%u",
		    l->index, (l->flags & IFF_UP) ? "true" : "false",
		    (l->flags & IFF_RUNNING) ? "true" : "false",
		    iface_operstate_name(l->operstate), l->mtu);
		if (l->kind[0] != '\0') {
			fputs(",\"kind\":", out);
			show_json_str(out, l->kind);
		}
		if (strcmp(l->kind, "vlan") == 0)
			fprintf(out, ",\"vlanId\":%u", l->vlan_id);
	}
	if (r->c != NULL) {
		fputs(",\"description\":", out);
		show_json_str(out, r->c->description);
		fprintf(
		    out, ",\"shutdown\":%s", r->c->shutdown ? "true" : "false");
		if (r->c->mtu != 0)
			fprintf(out, ",\"mtuConfigured\":%u", r->c->mtu);
		if (r->c->vlan_id != 0) {
			fprintf(out, ",\"vlanConfigured\":%u,\"parent\":",
			    r->c->vlan_id);
			show_json_str(out, r->c->parent);
		}
	}
	if (r->own != NULL)
		fprintf(out, ",\"createdByDxbgpd\":%s",
		    r->own->created ? "true" : "false");
	fputs(",\"addresses\":[", out);
	row_addrs(d, r, addr_detail, &ao);
	fputs("],\"neighbors\":[", out);
	row_neighbors(d, r, out, true);
	fputs("]", out);
	if (r->own != NULL && r->own->err[0] != '\0') {
		fputs(",\"problem\":", out);
		show_json_str(out, r->own->err);
	}
	fputs("}", out);
}

enum show_kind { SHOW_TEXT, SHOW_BRIEF, SHOW_JSON };

static void
show_row(const struct bgpd *d, const char *name, enum show_kind k,
    const char **sep, FILE *out)
{
	struct row r;

	row_fill(d, name, &r);
	fputs(*sep, out);
	if (k == SHOW_BRIEF)
		row_brief(d, &r, out);
	else if (k == SHOW_JSON)
		row_json(d, &r, out);
	else
		row_text(d, &r, out);
	*sep = k == SHOW_JSON ? "," : k == SHOW_TEXT ? "\n" : "";
}

static int
cmd_show_interface(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;
	const struct bgpd *d = sc->bgpd;
	const struct iface_kstate *ks =
	    d->iface != NULL ? iface_kstate(d->iface) : NULL;
	const char *name = cmd_arg(a, "N"), *sep = "";
	enum show_kind k = cmd_arg(a, "json") != NULL ? SHOW_JSON
	    : cmd_arg(a, "brief") != NULL             ? SHOW_BRIEF
						      : SHOW_TEXT;
	const struct conf_iface *c;
	struct row r;

	if (name != NULL) {
		row_fill(d, name, &r);
		if (r.c == NULL && r.l == NULL)
			return cmd_error(st, "no interface %s", name);
	}
	if (k == SHOW_JSON)
		fputc('{', st->out);
	if (k == SHOW_BRIEF)
		fprintf(st->out, "%-16s %-10s %-16s %6s  %s\n", "Interface",
		    "State", "VLAN", "MTU", "Addresses");
	if (name != NULL)
		show_row(d, name, k, &sep, st->out);
	else {
		/* The configured ones, in order, then the kernel's others. */
		for (c = d->conf != NULL ? d->conf->ifaces : NULL; c != NULL;
		     c = c->next)
			show_row(d, c->name, k, &sep, st->out);
		for (size_t i = 0; ks != NULL && i < ks->nlinks; i++) {
			row_fill(d, ks->links[i].name, &r);
			if (r.c == NULL)
				show_row(
				    d, ks->links[i].name, k, &sep, st->out);
		}
	}
	if (k == SHOW_JSON)
		fputs("}\n", st->out);
	else if (d->iface == NULL && k == SHOW_TEXT)
		fputs("(links are followed once an interface is configured "
		      "or a neighbor bound to one)\n",
		    st->out);
	return 0;
}

/* ---- the tables ---- */

static const struct cmd_def iface_conf_cmds[] = {
	{ CMD_M(CMD_MODE_CONFIG), "interface <N:WORD>",
	    "Configure an interface\n"
	    "Its name, as the kernel knows it (up to 15 bytes)\n",
	    do_interface, CMD_NO, CMD_MODE_INTERFACE, "interface <N:WORD>" },
	{ IFMODE, "description <D:LINE>",
	    "Describe the interface\n"
	    "Text, up to 127 bytes\n",
	    do_if_description, CMD_NO, 0, NULL },
	{ IFMODE, "vlan <V:UINT 1-4094> parent <P:WORD>",
	    "Make it an IEEE 802.1Q VLAN link, created by dxbgpd\n"
	    "VLAN ID\n"
	    "On this link\n"
	    "The parent link's name\n",
	    do_vlan, CMD_NO, 0, "vlan [<V:UINT 1-4094> parent <P:WORD>]" },
	{ IFMODE, "mtu <N:UINT 68-65535>",
	    "Set the link's MTU (\"no\": leave it as it is)\n"
	    "Bytes: 1500, 8500 or 9001 on the clouds' links\n",
	    do_mtu, CMD_NO, 0, NULL },
	{ IFMODE, "ip address <A:WORD>",
	    "IPv4\n"
	    "Put an address on the link\n"
	    "A.B.C.D/LEN\n",
	    do_address, CMD_NO, 0, NULL },
	{ IFMODE, "ipv6 address <A:WORD>",
	    "IPv6\n"
	    "Put an address on the link\n"
	    "X:X::X:X/LEN\n",
	    do_address, CMD_NO, 0, NULL },
	{ IFMODE, "shutdown",
	    "Keep the link administratively down (\"no\": bring it up)\n",
	    do_if_shutdown, CMD_NO, 0, NULL },
	{ CMD_M(CMD_MODE_ROUTER_BGP), "neighbor <A:ADDR> interface <N:WORD>",
	    "Specify a neighbor router\n"
	    "Neighbor address (IPv4 or IPv6)\n"
	    "Bind the session to a link: down while the link is down\n"
	    "The link's name\n",
	    do_nbr_interface, CMD_NO, 0,
	    "neighbor <A:ADDR> interface [<N:WORD>]" },
};

static const struct cmd_def iface_show_cmds[] = {
	{ CMD_M(CMD_MODE_EXEC), "show interface [<N:WORD>] [{brief|json}]",
	    "Show running state\n"
	    "Links: configured ones first, then the kernel's others\n"
	    "Only this one\n"
	    "One line per link\n"
	    "As JSON\n",
	    cmd_show_interface, 0, CMD_MODE_NONE, NULL },
};

void
iface_cmd_register(void)
{
	cmd_register(iface_conf_cmds,
	    sizeof(iface_conf_cmds) / sizeof(iface_conf_cmds[0]));
	cmd_register(iface_show_cmds,
	    sizeof(iface_show_cmds) / sizeof(iface_show_cmds[0]));
}
