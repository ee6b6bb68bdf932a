/*
 * bgpd.c: the BGP speaker as a whole: listening sockets, the peers, and
 * putting a configuration in force.
 *
 * Incoming connections are matched to a configured neighbor by source
 * address (RFC 4271 §8.2.1); unknown sources are refused.  Each
 * listening socket carries the TCP MD5 key of every neighbor of its
 * family that has a password (RFC 2385), so a SYN without the right
 * signature never reaches accept().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bfd_sess.h"
#include "conf_diff.h"
#include "iface.h"
#include "log.h"
#include "sess_sock.h"
#include "session.h"

static void
listener_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct bgpd_listener *l = w->data;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct conf_addr a;
	struct peer *p;
	char buf[INET6_ADDRSTRLEN];
	int fd;

	fd = accept4(
	    l->fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
			log_warn(
			    "accept on port %u: %s", l->port, strerror(errno));
		return;
	}
	if (!sock_addr_get(&ss, &a, NULL)) {
		close(fd);
		return;
	}
	p = bgpd_peer_find(l->d, &a);
	if (p == NULL) {
		log_info("connection from %s refused: not a configured "
			 "neighbor",
		    conf_addr_str(&a, buf, sizeof(buf)));
		close(fd);
		return;
	}
	sess_accept(p, fd);
}

struct bgpd *
bgpd_new(struct ev_loop *loop, uint16_t port)
{
	struct bgpd *d = calloc(1, sizeof(*d));

	if (d == NULL)
		log_fatal("out of memory");
	d->loop = loop;
	d->port = port;
	d->tx_limit = SESS_TX_LIMIT;
	d->batch = SESS_BATCH;
	d->sendhold_min = SESS_SENDHOLD_MIN;
	return d;
}

static int
listen_one(struct bgpd *d, const struct conf_addr *a)
{
	struct bgpd_listener *l;
	char buf[INET6_ADDRSTRLEN];
	int fd = sock_listen(a, d->port);

	if (fd == -1) {
		log_err("cannot listen on [%s]:%u: %s",
		    conf_addr_str(a, buf, sizeof(buf)), d->port,
		    strerror(errno));
		return -1;
	}
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		log_fatal("out of memory");
	l->addr = *a;
	l->port = d->port;
	l->fd = fd;
	l->d = d;
	ev_io_init(&l->w, listener_accept_cb, fd, EV_READ);
	l->w.data = l;
	ev_io_start(d->loop, &l->w);
	l->next = d->listeners;
	d->listeners = l;
	log_info("listening on [%s]:%u", conf_addr_str(a, buf, sizeof(buf)),
	    d->port);
	return 0;
}

int
bgpd_listen(struct bgpd *d, const struct conf_addr *addr)
{
	struct conf_addr any4 = { .family = AF_INET };
	struct conf_addr any6 = { .family = AF_INET6 };
	int ok4, ok6;

	if (addr != NULL && addr->family != 0)
		return listen_one(d, addr);
	ok4 = listen_one(d, &any4);
	ok6 = listen_one(d, &any6);
	/* A machine without IPv6 still runs on IPv4, and the reverse. */
	return ok4 == 0 || ok6 == 0 ? 0 : -1;
}

struct peer *
bgpd_peer_find(struct bgpd *d, const struct conf_addr *a)
{
	struct peer *p;

	for (p = d->peers; p != NULL; p = p->next)
		if (conf_addr_eq(&p->conf.addr, a))
			return p;
	return NULL;
}

/* ---- BFD: what keeps a session down (RFC 5882 §3.2) ---- */

/*
 * BGP is kept down while BFD is not Up if the session failed (it left
 * Up, other than by the peer's AdminDown) or, in strict mode, until it
 * first comes Up; a peer that never runs BFD holds nothing up without
 * strict.
 */
static void
bfd_apply(struct peer *p)
{
	const struct bfd_sess *s = p->bfd;
	char why[96];

	if (s != NULL && s->b.state != BFD_UP && s->failed) {
		snprintf(why, sizeof(why), "BFD down: %s",
		    bfd_diag_name(s->b.local_diag));
		sess_block(p, SESS_BLOCK_BFD, true, BGP_CEASE_BFD_DOWN, why);
	} else if (s != NULL && s->b.state != BFD_UP && p->conf.bfd_strict)
		sess_block(p, SESS_BLOCK_BFD, true, BGP_CEASE_BFD_DOWN,
		    "BFD not up (bfd strict)");
	else
		sess_block(p, SESS_BLOCK_BFD, false, 0,
		    s != NULL ? "BFD up" : "BFD no longer configured");
}

static void
bfd_state_cb(void *arg, struct bfd_sess *s, uint8_t old)
{
	bfd_apply(arg);
}

/*
 * Creates, updates or removes the neighbor's BFD session.  It sends
 * from the update-source if there is one; else the kernel picks the
 * source address by its routes, as for the BGP connection.
 */
static void
bfd_update(struct bgpd *d, struct peer *p)
{
	const struct conf_neighbor *n = &p->conf;
	uint16_t ms;
	uint8_t mult;

	if (!n->bfd) {
		if (p->bfd != NULL)
			bfd_sess_free(p->bfd);
		p->bfd = NULL;
		bfd_apply(p);
		return;
	}
	conf_neighbor_bfd(n, &ms, &mult);
	if (d->bfd == NULL)
		d->bfd = bfd_ctx_new(d->loop, BFD_PORT);
	if (p->bfd == NULL)
		p->bfd = bfd_sess_new(d->bfd, &n->addr, &n->update_source, ms,
		    mult, bfd_state_cb, p);
	else
		bfd_sess_set(p->bfd, &n->update_source, ms, mult);
	bfd_apply(p);
}

/* ---- links: neighbors bound to an interface follow it ---- */

/*
 * Cease with no subcode (RFC 4271 §4.5, "Unspecific"): RFC 4486 has
 * none for a link that went down.  It seldom gets through anyway.
 */
#define CEASE_UNSPECIFIC 0

/* A neighbor bound to a link is kept down while the link is. */
static void
link_follow(struct bgpd *d, struct peer *p)
{
	char why[96];
	bool up;

	if (p->conf.ifname[0] == '\0' || d->iface == NULL) {
		sess_block(p, SESS_BLOCK_LINK, false, 0,
		    "no longer bound to an interface");
		return;
	}
	up = iface_link_usable(d->iface, p->conf.ifname, why, sizeof(why));
	sess_block(p, SESS_BLOCK_LINK, !up, CEASE_UNSPECIFIC, why);
}

static void
links_changed(void *arg)
{
	struct bgpd *d = arg;

	for (struct peer *p = d->peers; p != NULL; p = p->next)
		link_follow(d, p);
}

/*
 * The links of the config made so; the module starts with the first
 * config that configures an interface or binds a neighbor to one, or
 * at start if an earlier run left addresses that are dxbgpd's.
 */
static void
links_configure(struct bgpd *d, const struct conf *conf)
{
	const struct conf_neighbor *n;
	bool used = conf->ifaces != NULL;

	for (n = conf->neighbors; n != NULL && !used; n = n->next)
		used = n->ifname[0] != '\0';
	if (!d->links_checked) {
		d->links_checked = true;
		used = used || iface_marked_addrs();
	}
	if (d->iface == NULL && used)
		d->iface = iface_new(d->loop, links_changed, d);
	if (d->iface != NULL)
		iface_configure(d->iface, conf);
}

/* Every listener of the neighbor's family knows its MD5 key. */
static void
md5_listeners(struct bgpd *d, const struct conf_neighbor *n, const char *key)
{
	struct bgpd_listener *l;

	for (l = d->listeners; l != NULL; l = l->next) {
		if (l->addr.family != n->addr.family)
			continue;
		if (sock_md5(l->fd, &n->addr, key) == -1)
			log_err("neighbor %s: cannot set its TCP MD5 key on "
				"the listening socket: %s",
			    n->name, strerror(errno));
	}
}

/* RIB peer numbers: 1 .. RIB_MAX_PEERS - 1 (the config refuses more). */
/* What a reload does to a peer, as `reload check` says it. */
static void
log_diff(const struct peer *p, const struct conf_diff *diff)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		log_fatal("out of memory");
	conf_diff_print(diff, f);
	fclose(f);
	log_info("neighbor %s: configuration changed: %s", p->name, buf);
	free(buf);
}

static uint16_t
rib_id_alloc(struct bgpd *d)
{
	uint16_t i;

	for (i = 1; i < 64; i++)
		if (!(d->rib_ids & ((uint64_t)1 << i))) {
			d->rib_ids |= (uint64_t)1 << i;
			return i;
		}
	log_fatal("more than 63 neighbors");
}

void
bgpd_configure(struct bgpd *d, struct conf *conf)
{
	struct conf_neighbor *n;
	struct peer *p, **pp;
	struct conf *old = d->conf;
	struct conf_diff diff;

	d->conf = conf;
	d->router_id = conf_diff_router_id(conf);
	links_configure(d, conf);
	/* Peers no longer configured: Cease/3, peer de-configured. */
	for (pp = &d->peers; (p = *pp) != NULL;) {
		if (conf_neighbor_find(conf, &p->conf.addr) != NULL) {
			pp = &p->next;
			continue;
		}
		sess_stop(p, BGP_CEASE_PEER_DECONFIG, NULL);
		md5_listeners(d, &p->conf, "");
		log_info("neighbor %s removed", p->name);
		d->rib_ids &= ~((uint64_t)1 << p->rib_id);
		*pp = p->next;
		if (p->bfd != NULL)
			bfd_sess_free(p->bfd);
		sess_free(p);
	}
	for (n = conf->neighbors; n != NULL; n = n->next) {
		md5_listeners(d, n, n->password);
		p = bgpd_peer_find(d, &n->addr);
		if (p == NULL) {
			/* Listed in the order of the configuration. */
			p = sess_new(d, n);
			p->rib_id = rib_id_alloc(d);
			for (pp = &d->peers; *pp != NULL; pp = &(*pp)->next)
				;
			*pp = p;
			bfd_update(d, p);
			link_follow(d, p);
			sess_start(p);
			continue;
		}
		/* The one set of reload rules, also behind `reload check`. */
		conf_diff_neighbor(old, &p->conf, conf, n, &diff);
		if (diff.kind != CONF_DIFF_UNCHANGED)
			log_diff(p, &diff);
		sess_reconfigure(p, n, diff.reset != 0);
		bfd_update(d, p);
		link_follow(d, p);
	}
	if (old != NULL)
		conf_free(old);
}

void
bgpd_shutdown(struct bgpd *d, const char *msg)
{
	struct peer *p;

	for (p = d->peers; p != NULL; p = p->next)
		sess_stop(p, BGP_CEASE_ADMIN_SHUTDOWN, msg);
}

void
bgpd_free(struct bgpd *d)
{
	struct peer *p, *pn;
	struct bgpd_listener *l, *ln;

	/* Each BFD session says AdminDown: no failure (RFC 5880 §6.8.16). */
	bfd_ctx_free(d->bfd);
	for (p = d->peers; p != NULL; p = pn) {
		pn = p->next;
		sess_free(p);
	}
	for (l = d->listeners; l != NULL; l = ln) {
		ln = l->next;
		ev_io_stop(d->loop, &l->w);
		close(l->fd);
		free(l);
	}
	iface_free(d->iface);
	if (d->conf != NULL)
		conf_free(d->conf);
	free(d);
}
