/*
 * nht.c: next-hop tracking through rtnetlink (rtnetlink(7)).
 *
 * The table keeps every kernel route that may resolve a next hop, by
 * its identity (family, destination, length, table, priority, TOS:
 * what the kernel tells routes apart by), and per destination prefix
 * how many such routes there are.  A lookup tries the prefix lengths
 * present, longest first, down to /1: the default route (/0) never
 * resolves a BGP next hop, as in FRR (`ip nht resolve-via-default` is
 * off there by default).
 *
 * The kernel side dumps the routes of both families at start on a
 * blocking socket, after a second, non-blocking socket has joined the
 * route multicast groups, so no change is lost between the two (the
 * sockets and the dump are nl.c's, shared with iface.c).  An
 * overrun of that socket (ENOBUFS) means changes were lost: the table
 * is dumped again.  Changes are reported after 50 ms of quiet or at
 * most every 200 ms, so a burst of kernel updates costs one re-check
 * of the RIB.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include "log.h"
#include "nht.h"
#include "nl.h"

/* ---- a set of fixed-size keys with a count each ---- */

struct kset {
	uint8_t *keys;
	uint32_t *count;
	uint8_t *state; /* 0 free, 1 used, 2 deleted */
	size_t ksz;
	size_t nslot; /* a power of two */
	size_t used;  /* used and deleted slots */
};

#define KS_FREE 0
#define KS_USED 1
#define KS_DEL  2

static uint32_t
fnv(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void
kset_init(struct kset *s, size_t ksz)
{
	memset(s, 0, sizeof(*s));
	s->ksz = ksz;
}

static void
kset_clean(struct kset *s)
{
	free(s->keys);
	free(s->count);
	free(s->state);
	kset_init(s, s->ksz);
}

/* The slot holding key, or -1. */
static long
kset_find(const struct kset *s, const uint8_t *key)
{
	size_t i, mask = s->nslot - 1;

	if (s->nslot == 0)
		return -1;
	for (i = fnv(key, s->ksz) & mask; s->state[i] != KS_FREE;
	     i = (i + 1) & mask)
		if (s->state[i] == KS_USED &&
		    memcmp(s->keys + i * s->ksz, key, s->ksz) == 0)
			return (long)i;
	return -1;
}

static void kset_grow(struct kset *);

/* The slot of key, added with count 0 if absent. */
static size_t
kset_get(struct kset *s, const uint8_t *key)
{
	long f = kset_find(s, key);
	size_t i, mask;

	if (f >= 0)
		return (size_t)f;
	if ((s->used + 1) * 2 > s->nslot)
		kset_grow(s);
	mask = s->nslot - 1;
	for (i = fnv(key, s->ksz) & mask; s->state[i] == KS_USED;
	     i = (i + 1) & mask)
		;
	if (s->state[i] == KS_FREE)
		s->used++;
	s->state[i] = KS_USED;
	memcpy(s->keys + i * s->ksz, key, s->ksz);
	s->count[i] = 0;
	return i;
}

static void
kset_grow(struct kset *s)
{
	struct kset old = *s;
	size_t i, j;

	s->nslot = old.nslot ? old.nslot * 2 : 64;
	s->keys = calloc(s->nslot, s->ksz);
	s->count = calloc(s->nslot, sizeof(*s->count));
	s->state = calloc(s->nslot, 1);
	if (s->keys == NULL || s->count == NULL || s->state == NULL)
		log_fatal("out of memory");
	s->used = 0;
	for (i = 0; i < old.nslot; i++)
		if (old.state[i] == KS_USED) {
			j = kset_get(s, old.keys + i * s->ksz);
			s->count[j] = old.count[i];
		}
	free(old.keys);
	free(old.count);
	free(old.state);
}

/* ---- the table ---- */

/* A destination prefix: family, length, address (masked). */
struct nht_pfx {
	uint8_t family, len;
	uint8_t addr[16];
};

/* A route's identity. */
struct nht_id {
	struct nht_pfx pfx;
	uint8_t tos;
	uint8_t pad;
	uint32_t table;
	uint32_t priority;
};

struct nht_table {
	struct kset ids;     /* struct nht_id, count 1 */
	struct kset pfxs;    /* struct nht_pfx, count = routes to it */
	size_t nlen[2][129]; /* prefixes per family and length */
	size_t routes[2];
};

static int
fidx(int family)
{
	return family == AF_INET6;
}

struct nht_table *
nht_table_new(void)
{
	struct nht_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		log_fatal("out of memory");
	kset_init(&t->ids, sizeof(struct nht_id));
	kset_init(&t->pfxs, sizeof(struct nht_pfx));
	return t;
}

static void
table_clear(struct nht_table *t)
{
	kset_clean(&t->ids);
	kset_clean(&t->pfxs);
	memset(t->nlen, 0, sizeof(t->nlen));
	memset(t->routes, 0, sizeof(t->routes));
}

void
nht_table_free(struct nht_table *t)
{
	if (t == NULL)
		return;
	table_clear(t);
	free(t);
}

static void
mask(uint8_t *a, unsigned len, unsigned alen)
{
	unsigned i;

	for (i = 0; i < alen; i++) {
		if (len >= 8 * (i + 1))
			continue;
		a[i] &= len > 8 * i ? (uint8_t)(0xff00u >> (len - 8 * i)) : 0;
	}
}

/* A route in (add) or out; whether a prefix appeared or went. */
static bool
table_change(struct nht_table *t, const struct nht_id *id, bool add)
{
	long i = kset_find(&t->ids, (const uint8_t *)id);
	size_t j;
	int f = fidx(id->pfx.family);

	if (add == (i >= 0))
		return false; /* already there (a replace), or unknown */
	if (add) {
		j = kset_get(&t->ids, (const uint8_t *)id);
		t->ids.count[j] = 1;
		t->routes[f]++;
		j = kset_get(&t->pfxs, (const uint8_t *)&id->pfx);
		if (t->pfxs.count[j]++ > 0)
			return false;
		t->nlen[f][id->pfx.len]++;
		return true;
	}
	t->ids.state[i] = KS_DEL;
	t->routes[f]--;
	i = kset_find(&t->pfxs, (const uint8_t *)&id->pfx);
	if (i < 0 || --t->pfxs.count[i] > 0)
		return false;
	t->pfxs.state[i] = KS_DEL;
	t->nlen[f][id->pfx.len]--;
	return true;
}

int
nht_table_apply(struct nht_table *t, const void *msg, size_t len)
{
	const struct nlmsghdr *nh = msg;
	const struct rtmsg *rtm;
	const struct rtattr *rta;
	struct nht_id id;
	size_t alen, rlen;
	bool have_dst = false;

	if (len < sizeof(*nh) || nh->nlmsg_len < sizeof(*nh) ||
	    nh->nlmsg_len > len)
		return -1;
	if (nh->nlmsg_type != RTM_NEWROUTE && nh->nlmsg_type != RTM_DELROUTE)
		return 0;
	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return -1;
	rtm = NLMSG_DATA(nh);
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return 0;
	alen = rtm->rtm_family == AF_INET ? 4 : 16;
	if (rtm->rtm_dst_len > alen * 8)
		return -1;
	memset(&id, 0, sizeof(id));
	id.pfx.family = rtm->rtm_family;
	id.pfx.len = rtm->rtm_dst_len;
	id.tos = rtm->rtm_tos;
	id.table = rtm->rtm_table;
	rlen = nh->nlmsg_len - NLMSG_LENGTH(sizeof(*rtm));
	for (rta = RTM_RTA(rtm); RTA_OK(rta, rlen); rta = RTA_NEXT(rta, rlen)) {
		size_t plen = RTA_PAYLOAD(rta);

		switch (rta->rta_type) {
		case RTA_DST:
			if (plen != alen)
				return -1;
			memcpy(id.pfx.addr, RTA_DATA(rta), alen);
			have_dst = true;
			break;
		case RTA_TABLE:
			if (plen != 4)
				return -1;
			memcpy(&id.table, RTA_DATA(rta), 4);
			break;
		case RTA_PRIORITY:
			if (plen != 4)
				return -1;
			memcpy(&id.priority, RTA_DATA(rta), 4);
			break;
		}
	}
	if (!have_dst && id.pfx.len != 0)
		return -1;
	/* What may resolve a next hop; see the top of the file. */
	if ((id.table != RT_TABLE_MAIN && id.table != RT_TABLE_LOCAL) ||
	    (rtm->rtm_type != RTN_UNICAST && rtm->rtm_type != RTN_LOCAL) ||
	    rtm->rtm_protocol == NHT_PROTO_BGP ||
	    rtm->rtm_protocol == NHT_PROTO_DXPROG ||
	    (rtm->rtm_flags & RTM_F_CLONED) || id.pfx.len == 0)
		return 0;
	mask(id.pfx.addr, id.pfx.len, (unsigned)alen);
	return table_change(t, &id, nh->nlmsg_type == RTM_NEWROUTE) ? 1 : 0;
}

bool
nht_table_reachable(const struct nht_table *t, int family, const uint8_t *addr)
{
	struct nht_pfx p;
	unsigned alen = family == AF_INET ? 4 : 16, len;
	int f = fidx(family);

	for (len = alen * 8; len > 0; len--) {
		if (t->nlen[f][len] == 0)
			continue;
		memset(&p, 0, sizeof(p));
		p.family = (uint8_t)family;
		p.len = (uint8_t)len;
		memcpy(p.addr, addr, alen);
		mask(p.addr, len, alen);
		if (kset_find(&t->pfxs, (const uint8_t *)&p) >= 0)
			return true;
	}
	return false;
}

size_t
nht_table_count(const struct nht_table *t, int family)
{
	return t->routes[fidx(family)];
}

/* ---- the kernel side ---- */

#define NHT_QUIET   0.05 /* seconds without changes before reporting */
#define NHT_MAXWAIT 0.2

struct nht {
	struct ev_loop *loop;
	struct nht_table *t;
	int fd; /* the multicast groups */
	ev_io w;
	ev_timer t_report;
	ev_tstamp first; /* first unreported change */
	bool pending;
	void (*changed)(void *);
	void *arg;
};

/* Applies every message of a datagram; whether anything changed. */
static bool
apply_buf(struct nht_table *t, const uint8_t *buf, size_t n)
{
	const struct nlmsghdr *nh;
	bool changed = false;
	size_t left = n;

	for (nh = (const void *)buf; NLMSG_OK(nh, left);
	     nh = NLMSG_NEXT(nh, left)) {
		if (nh->nlmsg_type == NLMSG_DONE ||
		    nh->nlmsg_type == NLMSG_ERROR)
			break;
		if (nht_table_apply(t, nh, nh->nlmsg_len) == 1)
			changed = true;
	}
	return changed;
}

static void
dump_one(void *arg, const struct nlmsghdr *nh)
{
	nht_table_apply(arg, nh, nh->nlmsg_len);
}

/* Fills t with the kernel's routes of both families. -1 on error. */
static int
dump(struct nht_table *t)
{
	int fd = nl_open(0, false), e;

	if (fd == -1)
		return -1;
	if (nl_dump(fd, RTM_GETROUTE, AF_INET, sizeof(struct rtmsg), 1,
		dump_one, t) == -1 ||
	    nl_dump(fd, RTM_GETROUTE, AF_INET6, sizeof(struct rtmsg), 2,
		dump_one, t) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
}

static void
report_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct nht *n = w->data;

	n->pending = false;
	n->changed(n->arg);
}

static void
changed_soon(struct nht *n)
{
	ev_tstamp now = ev_now(n->loop), wait = NHT_QUIET;

	if (!n->pending) {
		n->pending = true;
		n->first = now;
	}
	if (now + wait > n->first + NHT_MAXWAIT)
		wait = n->first + NHT_MAXWAIT - now;
	ev_timer_stop(n->loop, &n->t_report);
	ev_timer_set(&n->t_report, wait > 0 ? wait : 0, 0);
	ev_timer_start(n->loop, &n->t_report);
}

static void
read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct nht *n = w->data;
	uint8_t buf[32768];
	bool changed = false;
	ssize_t r;

	for (;;) {
		r = recv(n->fd, buf, sizeof(buf), 0);
		if (r > 0) {
			changed |= apply_buf(n->t, buf, (size_t)r);
			continue;
		}
		if (r == -1 && errno == ENOBUFS) {
			/* Changes were lost: start again from a dump. */
			log_warn("kernel route updates overran; reading the "
				 "kernel routes again");
			table_clear(n->t);
			if (dump(n->t) == -1)
				log_err("cannot read the kernel routes: %s",
				    strerror(errno));
			changed = true;
			continue;
		}
		break;
	}
	if (changed)
		changed_soon(n);
}

struct nht *
nht_new(struct ev_loop *loop, void (*changed)(void *), void *arg)
{
	struct nht *n = calloc(1, sizeof(*n));
	int rcvbuf = 4 << 20;

	if (n == NULL)
		log_fatal("out of memory");
	n->loop = loop;
	n->changed = changed;
	n->arg = arg;
	n->t = nht_table_new();
	n->fd = nl_open(RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE, true);
	if (n->fd == -1 || dump(n->t) == -1) {
		log_err("cannot follow the kernel's routes (rtnetlink: %s); "
			"next hops are not checked for reachability",
		    strerror(errno));
		if (n->fd != -1)
			close(n->fd);
		nht_table_free(n->t);
		free(n);
		return NULL;
	}
	setsockopt(n->fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	ev_io_init(&n->w, read_cb, n->fd, EV_READ);
	n->w.data = n;
	ev_io_start(loop, &n->w);
	ev_timer_init(&n->t_report, report_cb, 0, 0);
	n->t_report.data = n;
	log_info("next-hop tracking: %zu IPv4 and %zu IPv6 kernel routes",
	    nht_table_count(n->t, AF_INET), nht_table_count(n->t, AF_INET6));
	return n;
}

void
nht_free(struct nht *n)
{
	if (n == NULL)
		return;
	ev_io_stop(n->loop, &n->w);
	ev_timer_stop(n->loop, &n->t_report);
	close(n->fd);
	nht_table_free(n->t);
	free(n);
}

bool
nht_reachable(const struct nht *n, int family, const uint8_t *addr)
{
	if (n == NULL)
		return true;
	return nht_table_reachable(n->t, family, addr);
}
