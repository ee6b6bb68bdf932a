/*
 * iface.c: the interface module: the links of the config (interface
 * NAME: a VLAN, addresses, MTU, shutdown) made so in the kernel through
 * rtnetlink, and the state of every link, followed.
 *
 * Three parts.  The kernel's links and addresses as a table, kept from
 * a dump and the link and address multicast groups (RTMGRP_LINK,
 * RTMGRP_IPV4_IFADDR, RTMGRP_IPV6_IFADDR).  A planner, pure: what to
 * change so that one interface is as configured, given that table and
 * what dxbgpd did before (struct iface_own); nothing when it already
 * is, so applying a config twice changes nothing the second time.  And
 * the kernel side, which runs the plan with acknowledged requests
 * (nl.c) at start, on every reload, and when a link an interface waits
 * for appears.
 *
 * dxbgpd undoes only what it did: an address it added that left the
 * config is deleted, a VLAN it created that left the config is
 * deleted; addresses and links it found are never touched.  It keeps
 * that record in memory, and marks the addresses it adds in the kernel
 * (IFA_PROTO IFACE_ADDR_PROTO): at start, the marked addresses are
 * taken back into the record, so an address an earlier run added and
 * the config no longer has is deleted too.  A VLAN link an earlier run
 * created is not recognised (doc/decisions.md).  MTU and shutdown
 * removed from the config leave the link as it is.
 *
 * A failure (no 802.1Q support in the kernel, no CAP_NET_ADMIN, an MTU
 * the device refuses) is one log line naming the interface, what was
 * tried and why, kept for `show interface`; the other changes and the
 * other interfaces go on.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>

#include "iface.h"
#include "log.h"
#include "nl.h"

/* ---- addresses ---- */

static size_t
alen(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

bool
iface_addr_eq(const struct iface_addr *a, const struct iface_addr *b)
{
	return a->family == b->family && a->plen == b->plen &&
	    memcmp(a->addr, b->addr, alen(a->family)) == 0;
}

const char *
iface_addr_str(const struct iface_addr *a, char *buf, size_t len)
{
	char t[INET6_ADDRSTRLEN];

	if (inet_ntop(a->family, a->addr, t, sizeof(t)) == NULL)
		snprintf(t, sizeof(t), "?");
	snprintf(buf, len, "%s/%u", t, a->plen);
	return buf;
}

static void
addr_of_conf(const struct conf_ifaddr *c, struct iface_addr *a)
{
	memset(a, 0, sizeof(*a));
	a->family = (uint8_t)c->addr.family;
	a->plen = c->plen;
	memcpy(a->addr, &c->addr.u, alen(a->family));
}

static void *
xrealloc(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n, size);
	if (p == NULL)
		log_fatal("out of memory");
	return p;
}

/* ---- the kernel's table ---- */

void
iface_kstate_init(struct iface_kstate *ks)
{
	memset(ks, 0, sizeof(*ks));
}

void
iface_kstate_clean(struct iface_kstate *ks)
{
	free(ks->links);
	free(ks->addrs);
	iface_kstate_init(ks);
}

const struct iface_link *
iface_kstate_link_at(const struct iface_kstate *ks, int index)
{
	for (size_t i = 0; i < ks->nlinks; i++)
		if (ks->links[i].index == index)
			return &ks->links[i];
	return NULL;
}

const struct iface_link *
iface_kstate_link(const struct iface_kstate *ks, const char *name)
{
	for (size_t i = 0; i < ks->nlinks; i++)
		if (strcmp(ks->links[i].name, name) == 0)
			return &ks->links[i];
	return NULL;
}

static long
addr_find(const struct iface_kstate *ks, int index, const struct iface_addr *a)
{
	for (size_t i = 0; i < ks->naddrs; i++)
		if (ks->addrs[i].index == index &&
		    iface_addr_eq(&ks->addrs[i].a, a))
			return (long)i;
	return -1;
}

bool
iface_kstate_has_addr(
    const struct iface_kstate *ks, int index, const struct iface_addr *a)
{
	return addr_find(ks, index, a) >= 0;
}

/* proto: the address's IFA_PROTO, or -1 to keep what is known. */
static void
addr_set(struct iface_kstate *ks, int index, const struct iface_addr *a,
    int proto, bool present)
{
	long i = addr_find(ks, index, a);

	if (present && i < 0) {
		if (ks->naddrs == ks->capaddrs) {
			ks->capaddrs = ks->capaddrs ? ks->capaddrs * 2 : 16;
			ks->addrs = xrealloc(
			    ks->addrs, ks->capaddrs, sizeof(*ks->addrs));
		}
		ks->addrs[ks->naddrs].index = index;
		ks->addrs[ks->naddrs].a = *a;
		ks->addrs[ks->naddrs].proto = proto > 0 ? (uint8_t)proto : 0;
		ks->naddrs++;
	} else if (present && proto >= 0) {
		ks->addrs[i].proto = (uint8_t)proto;
	} else if (!present && i >= 0)
		ks->addrs[i] = ks->addrs[--ks->naddrs];
}

/* A link is gone: its addresses with it. */
static void
link_remove(struct iface_kstate *ks, int index)
{
	size_t i;

	for (i = 0; i < ks->naddrs;)
		if (ks->addrs[i].index == index)
			ks->addrs[i] = ks->addrs[--ks->naddrs];
		else
			i++;
	for (i = 0; i < ks->nlinks; i++)
		if (ks->links[i].index == index) {
			ks->links[i] = ks->links[--ks->nlinks];
			return;
		}
}

/* A link's news; whether it appeared, or changed its name or flags. */
static bool
link_set(struct iface_kstate *ks, const struct iface_link *l)
{
	struct iface_link *o = NULL;
	bool changed;

	for (size_t i = 0; i < ks->nlinks; i++)
		if (ks->links[i].index == l->index)
			o = &ks->links[i];
	if (o == NULL) {
		if (ks->nlinks == ks->caplinks) {
			ks->caplinks = ks->caplinks ? ks->caplinks * 2 : 16;
			ks->links = xrealloc(
			    ks->links, ks->caplinks, sizeof(*ks->links));
		}
		ks->links[ks->nlinks++] = *l;
		return true;
	}
	changed = o->flags != l->flags || strcmp(o->name, l->name) != 0 ||
	    o->operstate != l->operstate;
	*o = *l;
	return changed;
}

int
iface_kstate_apply(struct iface_kstate *ks, const void *msg, size_t len)
{
	struct iface_link l;
	struct iface_addr a;
	bool deleted;
	int rc, index;
	uint8_t proto;

	rc = iface_nl_link_parse(msg, len, &l, &deleted);
	if (rc == 1) {
		if (!deleted)
			return link_set(ks, &l) ? 1 : 0;
		if (iface_kstate_link_at(ks, l.index) == NULL)
			return 0;
		link_remove(ks, l.index);
		return 1;
	}
	if (rc == -1)
		return -1;
	rc = iface_nl_addr_parse(msg, len, &index, &a, &proto, &deleted);
	if (rc == 1)
		addr_set(ks, index, &a, proto, !deleted);
	return rc == -1 ? -1 : 0;
}

/* ---- the planner ---- */

static void
op(struct iface_plan *p, enum iface_op_kind kind, int index,
    const struct iface_addr *a)
{
	struct iface_op *o;

	if (p->n == sizeof(p->ops) / sizeof(p->ops[0]))
		return; /* 2 x CONF_IFADDR_MAX + 4 fit: never */
	o = &p->ops[p->n++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	o->index = index;
	if (a != NULL)
		o->addr = *a;
}

static bool
conf_has(const struct conf_iface *c, const struct iface_addr *a)
{
	struct iface_addr b;

	for (unsigned i = 0; i < c->naddrs; i++) {
		addr_of_conf(&c->addrs[i], &b);
		if (iface_addr_eq(&b, a))
			return true;
	}
	return false;
}

/*
 * A VLAN interface: whether the link is the one configured; if not,
 * the ops that make it (the plan is then complete) or why not.
 */
static bool
plan_vlan(const struct conf_iface *c, const struct iface_kstate *ks,
    const struct iface_own *own, const struct iface_link *l,
    struct iface_plan *p)
{
	const struct iface_link *par = iface_kstate_link(ks, c->parent);
	struct iface_op *o;

	if (l != NULL && par != NULL && strcmp(l->kind, "vlan") == 0 &&
	    l->vlan_id == c->vlan_id && l->parent == par->index)
		return true;
	if (l != NULL && (own == NULL || !own->created)) {
		snprintf(p->why, sizeof(p->why),
		    "a link %s exists and is not VLAN %u on %s: left as it is",
		    c->name, c->vlan_id, c->parent);
		return false;
	}
	if (par == NULL) {
		snprintf(p->why, sizeof(p->why),
		    "cannot create VLAN %u: its parent %s does not exist "
		    "(waiting for it)",
		    c->vlan_id, c->parent);
		p->waiting = true;
		if (l != NULL)
			op(p, IFACE_OP_LINK_DEL, l->index, NULL);
		return false;
	}
	/* Ours, but another VLAN: made again (an ID cannot change). */
	if (l != NULL)
		op(p, IFACE_OP_LINK_DEL, l->index, NULL);
	op(p, IFACE_OP_VLAN_ADD, 0, NULL);
	o = &p->ops[p->n - 1];
	o->parent = par->index;
	o->vlan_id = c->vlan_id;
	return false;
}

void
iface_plan_one(const struct conf_iface *c, const struct iface_kstate *ks,
    const struct iface_own *own, struct iface_plan *p)
{
	const struct iface_link *l = iface_kstate_link(ks, c->name);
	struct iface_addr a;

	memset(p, 0, sizeof(*p));
	if (c->vlan_id != 0 && !plan_vlan(c, ks, own, l, p))
		return;
	if (l == NULL) {
		snprintf(p->why, sizeof(p->why),
		    "does not exist (configured when it appears)");
		p->waiting = true;
		return;
	}
	if (c->mtu != 0 && l->mtu != c->mtu) {
		op(p, IFACE_OP_MTU, l->index, NULL);
		p->ops[p->n - 1].mtu = c->mtu;
	}
	/* Ours that left the config first, then the new ones. */
	if (own != NULL)
		for (size_t i = 0; i < own->naddrs; i++)
			if (!conf_has(c, &own->addrs[i]) &&
			    iface_kstate_has_addr(ks, l->index, &own->addrs[i]))
				op(p, IFACE_OP_ADDR_DEL, l->index,
				    &own->addrs[i]);
	for (unsigned i = 0; i < c->naddrs; i++) {
		addr_of_conf(&c->addrs[i], &a);
		if (!iface_kstate_has_addr(ks, l->index, &a))
			op(p, IFACE_OP_ADDR_ADD, l->index, &a);
	}
	if (c->shutdown && (l->flags & IFF_UP))
		op(p, IFACE_OP_DOWN, l->index, NULL);
	else if (!c->shutdown && !(l->flags & IFF_UP))
		op(p, IFACE_OP_UP, l->index, NULL);
}

void
iface_plan_gone(const struct iface_own *own, const struct iface_kstate *ks,
    struct iface_plan *p)
{
	const struct iface_link *l = iface_kstate_link(ks, own->name);

	memset(p, 0, sizeof(*p));
	if (l == NULL)
		return;
	if (own->created) {
		op(p, IFACE_OP_LINK_DEL, l->index, NULL);
		return;
	}
	for (size_t i = 0; i < own->naddrs; i++)
		if (iface_kstate_has_addr(ks, l->index, &own->addrs[i]))
			op(p, IFACE_OP_ADDR_DEL, l->index, &own->addrs[i]);
}

const char *
iface_op_str(const struct iface_op *o, char *buf, size_t len)
{
	char a[IFACE_ADDRSTRLEN];

	switch (o->kind) {
	case IFACE_OP_VLAN_ADD:
		snprintf(buf, len, "create VLAN %u", o->vlan_id);
		break;
	case IFACE_OP_LINK_DEL:
		snprintf(buf, len, "delete the link");
		break;
	case IFACE_OP_MTU:
		snprintf(buf, len, "set MTU %u", o->mtu);
		break;
	case IFACE_OP_UP:
		snprintf(buf, len, "bring it up");
		break;
	case IFACE_OP_DOWN:
		snprintf(buf, len, "shut it down");
		break;
	case IFACE_OP_ADDR_ADD:
		snprintf(buf, len, "add address %s",
		    iface_addr_str(&o->addr, a, sizeof(a)));
		break;
	case IFACE_OP_ADDR_DEL:
		snprintf(buf, len, "delete address %s",
		    iface_addr_str(&o->addr, a, sizeof(a)));
		break;
	}
	return buf;
}

/* ---- what dxbgpd did ---- */

static struct iface_own *
own_get(struct iface_own **list, const char *name)
{
	struct iface_own *o;

	for (o = *list; o != NULL; o = o->next)
		if (strcmp(o->name, name) == 0)
			return o;
	o = calloc(1, sizeof(*o));
	if (o == NULL)
		log_fatal("out of memory");
	snprintf(o->name, sizeof(o->name), "%s", name);
	o->next = *list;
	*list = o;
	return o;
}

static void
own_addr(struct iface_own *o, const struct iface_addr *a, bool add)
{
	for (size_t i = 0; i < o->naddrs; i++)
		if (iface_addr_eq(&o->addrs[i], a)) {
			if (!add)
				o->addrs[i] = o->addrs[--o->naddrs];
			return;
		}
	if (!add)
		return;
	if (o->naddrs == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 4;
		o->addrs = xrealloc(o->addrs, o->cap, sizeof(*o->addrs));
	}
	o->addrs[o->naddrs++] = *a;
}

static void
own_free(struct iface_own *o)
{
	free(o->addrs);
	free(o);
}

/* ---- the kernel side ---- */

struct iface {
	struct ev_loop *loop;
	int fd_req; /* requests and dumps, blocking */
	int fd_mon; /* the multicast groups */
	ev_io w;
	uint32_t seq;
	struct iface_kstate ks;
	struct iface_own *own;
	bool seeded; /* the record holds what earlier runs marked */
	const struct conf *conf;
	void (*changed)(void *);
	void *arg;
};

static void
apply_msg(void *arg, const struct nlmsghdr *nh)
{
	iface_kstate_apply(arg, nh, nh->nlmsg_len);
}

static int
dump(struct iface *ifc)
{
	iface_kstate_clean(&ifc->ks);
	if (nl_dump(ifc->fd_req, RTM_GETLINK, AF_UNSPEC,
		sizeof(struct ifinfomsg), ++ifc->seq, apply_msg,
		&ifc->ks) == -1 ||
	    nl_dump(ifc->fd_req, RTM_GETADDR, AF_UNSPEC,
		sizeof(struct ifaddrmsg), ++ifc->seq, apply_msg,
		&ifc->ks) == -1)
		return -1;
	return 0;
}

/* Why a request failed, in words an operator acts on. */
static void
reason(const struct iface_op *o, int err, const char *kernel, char *buf,
    size_t len)
{
	if (err == EPERM || err == EACCES)
		snprintf(buf, len,
		    "dxbgpd lacks CAP_NET_ADMIN (%s); run it as root or give "
		    "it that capability",
		    strerror(err));
	else if (o->kind == IFACE_OP_VLAN_ADD && err == EOPNOTSUPP)
		snprintf(buf, len,
		    "the kernel has no 802.1Q support (module 8021q)");
	else if (kernel[0] != '\0')
		snprintf(buf, len, "%s (%s)", kernel, strerror(err));
	else
		snprintf(buf, len, "%s", strerror(err));
}

/* Runs one change; 0, or the kernel's errno with the reason in why. */
static int
run_op(struct iface *ifc, const char *name, const struct iface_op *o, char *why,
    size_t whylen)
{
	uint8_t buf[512] __attribute__((aligned(4)));
	char ktext[128];
	struct nl_msg m;
	size_t n = 0;
	int err;

	switch (o->kind) {
	case IFACE_OP_VLAN_ADD:
		n = iface_nl_vlan_new(
		    buf, sizeof(buf), ++ifc->seq, name, o->parent, o->vlan_id);
		break;
	case IFACE_OP_LINK_DEL:
		n = iface_nl_link_del(buf, sizeof(buf), ++ifc->seq, o->index);
		break;
	case IFACE_OP_MTU:
		n = iface_nl_link_set(
		    buf, sizeof(buf), ++ifc->seq, o->index, o->mtu, -1);
		break;
	case IFACE_OP_UP:
	case IFACE_OP_DOWN:
		n = iface_nl_link_set(buf, sizeof(buf), ++ifc->seq, o->index, 0,
		    o->kind == IFACE_OP_UP);
		break;
	case IFACE_OP_ADDR_ADD:
	case IFACE_OP_ADDR_DEL:
		n = iface_nl_addr(buf, sizeof(buf), ++ifc->seq,
		    o->kind == IFACE_OP_ADDR_ADD, o->index, &o->addr);
		break;
	}
	/* The builders fill the buffer; nl_request reads its length. */
	m.buf = buf;
	m.cap = sizeof(buf);
	m.overflow = n == 0;
	err = nl_request(ifc->fd_req, &m, ktext, sizeof(ktext), NULL, NULL);
	if (err != 0)
		reason(o, err, ktext, why, whylen);
	return err;
}

/*
 * The table learns the result of a change that succeeded, or that was
 * so already (ours false: an address found is not marked as ours).
 */
static void
learn(struct iface *ifc, const char *name, const struct iface_op *o, bool ours)
{
	uint8_t buf[128] __attribute__((aligned(4)));
	struct iface_link *l = NULL;
	struct nl_msg m;
	size_t n;

	for (size_t i = 0; i < ifc->ks.nlinks; i++)
		if (ifc->ks.links[i].index == o->index)
			l = &ifc->ks.links[i];
	switch (o->kind) {
	case IFACE_OP_VLAN_ADD:
		/* Its index, from the kernel's answer. */
		n = iface_nl_link_get(buf, sizeof(buf), ++ifc->seq, name);
		m.buf = buf;
		m.cap = sizeof(buf);
		m.overflow = n == 0;
		nl_request(ifc->fd_req, &m, NULL, 0, apply_msg, &ifc->ks);
		break;
	case IFACE_OP_LINK_DEL:
		link_remove(&ifc->ks, o->index);
		break;
	case IFACE_OP_MTU:
		if (l != NULL)
			l->mtu = o->mtu;
		break;
	case IFACE_OP_UP:
		if (l != NULL)
			l->flags |= IFF_UP;
		break;
	case IFACE_OP_DOWN:
		if (l != NULL)
			l->flags &= ~(unsigned)(IFF_UP | IFF_RUNNING);
		break;
	case IFACE_OP_ADDR_ADD:
	case IFACE_OP_ADDR_DEL:
		addr_set(&ifc->ks, o->index, &o->addr,
		    ours ? IFACE_ADDR_PROTO : -1, o->kind == IFACE_OP_ADDR_ADD);
		break;
	}
}

/*
 * Runs a plan for interface own->name; the record learns what dxbgpd
 * did.  Whether a VLAN was created (then the rest is planned again).
 */
static bool
run_plan(struct iface *ifc, struct iface_own *own, const struct iface_plan *p)
{
	char what[96], why[192];
	bool created = false;
	int err;

	for (size_t i = 0; i < p->n; i++) {
		const struct iface_op *o = &p->ops[i];

		err = run_op(ifc, own->name, o, why, sizeof(why));
		/* Already so: someone else did it; not ours then. */
		if ((o->kind == IFACE_OP_ADDR_ADD && err == EEXIST) ||
		    (o->kind == IFACE_OP_ADDR_DEL && err == EADDRNOTAVAIL) ||
		    (o->kind == IFACE_OP_LINK_DEL && err == ENODEV)) {
			learn(ifc, own->name, o, false);
			if (o->kind == IFACE_OP_ADDR_DEL)
				own_addr(own, &o->addr, false);
			if (o->kind == IFACE_OP_LINK_DEL)
				own->created = false;
			continue;
		}
		iface_op_str(o, what, sizeof(what));
		if (err != 0) {
			if (o->kind == IFACE_OP_VLAN_ADD)
				snprintf(what, sizeof(what),
				    "create VLAN %u on %s", o->vlan_id,
				    iface_kstate_link_at(&ifc->ks, o->parent)
					? iface_kstate_link_at(
					      &ifc->ks, o->parent)
					      ->name
					: "?");
			snprintf(own->err, sizeof(own->err), "cannot %s: %s",
			    what, why);
			/* Without the capability nothing else will do. */
			if ((err == EPERM || err == EACCES) && i + 1 < p->n) {
				log_err("interface %s: %s; %zu other changes "
					"not tried",
				    own->name, own->err, p->n - i - 1);
				break;
			}
			log_err("interface %s: %s", own->name, own->err);
			continue;
		}
		log_info("interface %s: %s", own->name, what);
		learn(ifc, own->name, o, true);
		switch (o->kind) {
		case IFACE_OP_VLAN_ADD:
			own->created = created = true;
			break;
		case IFACE_OP_LINK_DEL:
			own->created = false;
			own->naddrs = 0; /* gone with it */
			break;
		case IFACE_OP_ADDR_ADD:
			own_addr(own, &o->addr, true);
			break;
		case IFACE_OP_ADDR_DEL:
			own_addr(own, &o->addr, false);
			break;
		default:
			break;
		}
	}
	return created;
}

static void
apply_one(struct iface *ifc, const struct conf_iface *c)
{
	struct iface_own *own = own_get(&ifc->own, c->name);
	struct iface_plan p;
	bool was_waiting = own->waiting;
	int round;

	own->err[0] = '\0';
	for (round = 0; round < 2; round++) {
		iface_plan_one(c, &ifc->ks, own, &p);
		if (!run_plan(ifc, own, &p))
			break;
	}
	own->waiting = p.waiting;
	if (p.why[0] == '\0')
		return;
	snprintf(own->err, sizeof(own->err), "%s", p.why);
	/* Waiting is said once, not at every link event. */
	if (!p.waiting || !was_waiting)
		log_warn("interface %s: %s", c->name, p.why);
}

static const struct conf_iface *
conf_find(const struct conf *conf, const char *name)
{
	const struct conf_iface *c;

	for (c = conf != NULL ? conf->ifaces : NULL; c != NULL; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/*
 * At the first configure: the addresses in the kernel marked as added
 * by dxbgpd (by an earlier run) go into the record, as if this run had
 * added them.
 */
static void
seed_own(struct iface *ifc)
{
	const struct iface_kaddr *ka;
	const struct iface_link *l;
	char buf[IFACE_ADDRSTRLEN];

	ifc->seeded = true;
	for (size_t i = 0; i < ifc->ks.naddrs; i++) {
		ka = &ifc->ks.addrs[i];
		l = iface_kstate_link_at(&ifc->ks, ka->index);
		if (ka->proto != IFACE_ADDR_PROTO || l == NULL)
			continue;
		own_addr(own_get(&ifc->own, l->name), &ka->a, true);
		log_info("interface %s: address %s was added by an earlier run "
			 "of dxbgpd",
		    l->name, iface_addr_str(&ka->a, buf, sizeof(buf)));
	}
}

void
iface_configure(struct iface *ifc, const struct conf *conf)
{
	const struct conf_iface *c;
	struct iface_own *o, **pp;
	struct iface_plan p;

	ifc->conf = conf;
	if (!ifc->seeded)
		seed_own(ifc);
	/* What left the config first: a VLAN may move to another name. */
	for (o = ifc->own; o != NULL; o = o->next)
		if (conf_find(conf, o->name) == NULL) {
			o->waiting = false;
			o->err[0] = '\0';
			iface_plan_gone(o, &ifc->ks, &p);
			run_plan(ifc, o, &p);
			if (iface_kstate_link(&ifc->ks, o->name) == NULL) {
				o->created = false;
				o->naddrs = 0;
			}
		}
	for (c = conf->ifaces; c != NULL; c = c->next)
		apply_one(ifc, c);
	/* Records of nothing left. */
	for (pp = &ifc->own; (o = *pp) != NULL;) {
		if (conf_find(conf, o->name) == NULL && !o->created &&
		    o->naddrs == 0) {
			*pp = o->next;
			own_free(o);
		} else
			pp = &o->next;
	}
}

/* Interfaces waiting for a link: tried again when links change. */
static void
retry_waiting(struct iface *ifc)
{
	const struct conf_iface *c;
	const struct iface_own *o;

	for (c = ifc->conf != NULL ? ifc->conf->ifaces : NULL; c != NULL;
	     c = c->next) {
		o = iface_own_find(ifc, c->name);
		if (o != NULL && o->waiting)
			apply_one(ifc, c);
	}
}

static void
read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct iface *ifc = w->data;
	uint8_t buf[32768] __attribute__((aligned(4)));
	const struct nlmsghdr *nh;
	bool links = false;
	size_t left;
	ssize_t r;

	for (;;) {
		r = recv(ifc->fd_mon, buf, sizeof(buf), 0);
		if (r > 0) {
			left = (size_t)r;
			for (nh = (const void *)buf; NLMSG_OK(nh, left);
			     nh = NLMSG_NEXT(nh, left))
				if (iface_kstate_apply(
					&ifc->ks, nh, nh->nlmsg_len) == 1)
					links = true;
			continue;
		}
		if (r == -1 && errno == ENOBUFS) {
			log_warn("kernel link updates overran; reading the "
				 "links again");
			if (dump(ifc) == -1)
				log_err("cannot read the kernel's links: %s",
				    strerror(errno));
			links = true;
			continue;
		}
		break;
	}
	if (!links)
		return;
	retry_waiting(ifc);
	ifc->changed(ifc->arg);
}

struct iface *
iface_new(struct ev_loop *loop, void (*changed)(void *), void *arg)
{
	struct iface *ifc = calloc(1, sizeof(*ifc));
	int rcvbuf = 1 << 20;

	if (ifc == NULL)
		log_fatal("out of memory");
	ifc->loop = loop;
	ifc->changed = changed;
	ifc->arg = arg;
	iface_kstate_init(&ifc->ks);
	ifc->fd_req = nl_open(0, false);
	ifc->fd_mon = nl_open(
	    RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR, true);
	if (ifc->fd_req == -1 || ifc->fd_mon == -1 || dump(ifc) == -1) {
		log_err("cannot follow the kernel's links (rtnetlink: %s); "
			"interfaces are not configured and neighbors bound "
			"to one do not follow it",
		    strerror(errno));
		if (ifc->fd_req != -1)
			close(ifc->fd_req);
		if (ifc->fd_mon != -1)
			close(ifc->fd_mon);
		iface_kstate_clean(&ifc->ks);
		free(ifc);
		return NULL;
	}
	setsockopt(ifc->fd_mon, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	ev_io_init(&ifc->w, read_cb, ifc->fd_mon, EV_READ);
	ifc->w.data = ifc;
	ev_io_start(loop, &ifc->w);
	log_info("interfaces: %zu kernel links, %zu addresses", ifc->ks.nlinks,
	    ifc->ks.naddrs);
	return ifc;
}

static void
marked_msg(void *arg, const struct nlmsghdr *nh)
{
	struct iface_addr a;
	bool *found = arg, deleted;
	uint8_t proto;
	int index;

	if (iface_nl_addr_parse(
		nh, nh->nlmsg_len, &index, &a, &proto, &deleted) == 1 &&
	    proto == IFACE_ADDR_PROTO)
		*found = true;
}

bool
iface_marked_addrs(void)
{
	bool found = false;
	int fd = nl_open(0, false);

	if (fd == -1)
		return false;
	if (nl_dump(fd, RTM_GETADDR, AF_UNSPEC, sizeof(struct ifaddrmsg), 1,
		marked_msg, &found) == -1)
		found = false;
	close(fd);
	return found;
}

void
iface_free(struct iface *ifc)
{
	struct iface_own *o;

	if (ifc == NULL)
		return;
	ev_io_stop(ifc->loop, &ifc->w);
	close(ifc->fd_req);
	close(ifc->fd_mon);
	iface_kstate_clean(&ifc->ks);
	while ((o = ifc->own) != NULL) {
		ifc->own = o->next;
		own_free(o);
	}
	free(ifc);
}

const char *
iface_operstate_name(uint8_t s)
{
	static const char *names[] = { "unknown", "notpresent", "down",
		"lowerlayerdown", "testing", "dormant", "up" };

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

bool
iface_link_usable(
    const struct iface *ifc, const char *name, char *why, size_t whylen)
{
	const struct iface_link *l = iface_kstate_link(&ifc->ks, name);

	if (l == NULL)
		snprintf(why, whylen, "interface %s does not exist", name);
	else if (!(l->flags & IFF_UP))
		snprintf(
		    why, whylen, "interface %s is administratively down", name);
	else if (!(l->flags & IFF_RUNNING))
		snprintf(why, whylen,
		    "interface %s has no carrier (operational state %s)", name,
		    iface_operstate_name(l->operstate));
	else {
		snprintf(why, whylen, "interface %s is up", name);
		return true;
	}
	return false;
}

const struct iface_kstate *
iface_kstate(const struct iface *ifc)
{
	return &ifc->ks;
}

const struct iface_own *
iface_own_find(const struct iface *ifc, const char *name)
{
	for (const struct iface_own *o = ifc->own; o != NULL; o = o->next)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

const struct conf *
iface_conf(const struct iface *ifc)
{
	return ifc->conf;
}
