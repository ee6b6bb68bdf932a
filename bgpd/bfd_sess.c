/*
 * bfd_sess.c: BFD sessions on the libev loop: sockets, timers, and the
 * glue between them and the pure protocol of bfd.c.
 *
 * RFC 5881 (single hop, IPv4 and IPv6): Control packets go to UDP port
 * 3784 from a source port in 49152-65535 that stays the session's for
 * its life (one sending socket per session), with a TTL or hop limit of
 * 255; every packet received must carry 255 (IP_RECVTTL,
 * IPV6_RECVHOPLIMIT) or it is discarded (§5).  One receiving socket per
 * family, bound to port 3784 on the wildcard address, is opened when
 * the first session of the family needs it.  A packet is matched to a
 * session by its Your Discriminator, or by its source address while the
 * peer does not know ours yet (RFC 5880 §6.8.6 steps 7 and 9, bfd.c);
 * a session given a local address (the neighbor's update-source) also
 * sends from it and takes only packets sent to it.  Without one, the
 * kernel chooses the source address by its routes, as it does for the
 * BGP connection itself.
 *
 * Timers (RFC 5880 §6.8.7, §6.8.4): one-shot transmission with the
 * §6.8.7 jitter, re-armed after each packet; the Detection Time as an
 * ev_timer restarted by each packet taken.  Nothing here blocks: the
 * sockets are non-blocking and a send that fails is counted and left
 * to the next period.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bfd_sess.h"
#include "log.h"

#define RX_BATCH 64   /* packets read per callback */
#define BFD_TOS  0xc0 /* DSCP CS6, network control, as routers send it */

/* ---- sockets ---- */

static socklen_t
addr_make(const struct conf_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a->u.v6;
		s6->sin6_port = htons(port);
		return sizeof(*s6);
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_addr = a->u.v4;
	s4->sin_port = htons(port);
	return sizeof(*s4);
}

static int
setint(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v));
}

/* The receiving socket of a family: port 3784, TTL and destination. */
static int
rx_open(int family, uint16_t port)
{
	struct conf_addr any = { .family = family };
	struct sockaddr_storage ss;
	socklen_t len = addr_make(&any, port, &ss);
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int e;

	if (fd == -1)
		return -1;
	if (setint(fd, SOL_SOCKET, SO_REUSEADDR, 1) == -1)
		goto fail;
	if (family == AF_INET) {
		if (setint(fd, IPPROTO_IP, IP_RECVTTL, 1) == -1 ||
		    setint(fd, IPPROTO_IP, IP_PKTINFO, 1) == -1)
			goto fail;
	} else if (setint(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1) == -1 ||
	    setint(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) == -1 ||
	    setint(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) == -1)
		goto fail;
	if (bind(fd, (struct sockaddr *)&ss, len) == -1)
		goto fail;
	return fd;
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/*
 * The sending socket of a session: TTL 255, from local (or any) and a
 * source port of 49152-65535, tried from a random one on.
 */
static int
tx_open(
    const struct conf_addr *peer, const struct conf_addr *local, uint16_t *port)
{
	struct conf_addr src = { .family = peer->family };
	struct sockaddr_storage ss;
	unsigned range = BFD_SRC_PORT_MAX - BFD_SRC_PORT_MIN + 1, i, p;
	int fd, e;

	if (local->family == peer->family)
		src = *local;
	fd = socket(peer->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return -1;
	if (peer->family == AF_INET) {
		if (setint(fd, IPPROTO_IP, IP_TTL, BFD_TTL) == -1)
			goto fail;
		(void)setint(fd, IPPROTO_IP, IP_TOS, BFD_TOS);
	} else {
		if (setint(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, BFD_TTL) == -1)
			goto fail;
		(void)setint(fd, IPPROTO_IPV6, IPV6_TCLASS, BFD_TOS);
	}
	p = (unsigned)random() % range;
	for (i = 0; i < range; i++, p = (p + 1) % range) {
		socklen_t len =
		    addr_make(&src, (uint16_t)(BFD_SRC_PORT_MIN + p), &ss);

		if (bind(fd, (struct sockaddr *)&ss, len) == 0) {
			*port = (uint16_t)(BFD_SRC_PORT_MIN + p);
			return fd;
		}
		if (errno != EADDRINUSE)
			goto fail;
	}
fail:
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

/* ---- sending ---- */

static void tx_arm(struct bfd_sess *);

static void
send_now(struct bfd_sess *s)
{
	struct bfd_pkt p;
	struct sockaddr_storage ss;
	socklen_t len;
	uint8_t buf[BFD_PKT_LEN];
	size_t n;

	if (s->fd == -1) {
		s->fd = tx_open(&s->peer, &s->local, &s->src_port);
		if (s->fd == -1) {
			s->st.tx_err++;
			return;
		}
	}
	bfd_make_pkt(&s->b, &p);
	n = bfd_pkt_encode(&p, buf, sizeof(buf));
	len = addr_make(&s->peer, s->ctx->port, &ss);
	if (sendto(s->fd, buf, n, 0, (struct sockaddr *)&ss, len) == -1) {
		if (s->st.tx_err++ == 0 || log_peer_debugging(s->name))
			log_info("BFD peer %s: cannot send: %s", s->name,
			    strerror(errno));
		return;
	}
	s->st.tx++;
}

static void
tx_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct bfd_sess *s = w->data;

	send_now(s);
	tx_arm(s);
}

/* The next periodic packet, one jittered interval from now. */
static void
tx_arm(struct bfd_sess *s)
{
	uint32_t iv = bfd_tx_interval(&s->b);
	struct ev_loop *loop = s->ctx->loop;

	ev_timer_stop(loop, &s->t_tx);
	if (iv == 0)
		return;
	iv = bfd_jitter(&s->b, iv, (double)random() / ((double)RAND_MAX + 1));
	ev_timer_set(&s->t_tx, iv / 1e6, 0.);
	ev_timer_start(loop, &s->t_tx);
}

/* ---- state ---- */

static void
detect_arm(struct bfd_sess *s)
{
	uint64_t t = bfd_detect_time(&s->b);
	struct ev_loop *loop = s->ctx->loop;

	if (t == 0) {
		ev_timer_stop(loop, &s->t_detect);
		return;
	}
	s->t_detect.repeat = (double)t / 1e6;
	ev_timer_again(loop, &s->t_detect);
}

static void
state_changed(struct bfd_sess *s, uint8_t old)
{
	uint8_t now = s->b.state;
	enum log_level lvl = old == BFD_UP ? LOG_LVL_WARN : LOG_LVL_INFO;

	s->st.last_change = time(NULL);
	if (now == BFD_UP) {
		s->st.up++;
		s->failed = false;
	}
	if (old == BFD_UP) {
		s->st.down++;
		/* The peer's AdminDown is no failure (RFC 5880 §6.8.16). */
		s->failed = now != BFD_ADMIN_DOWN &&
		    s->b.remote_state != BFD_ADMIN_DOWN;
	}
	log_msg(lvl, "BFD peer %s: %s -> %s (%s%s)", s->name,
	    bfd_state_name(old), bfd_state_name(now),
	    now == BFD_UP ? "negotiated" : bfd_diag_name(s->b.local_diag),
	    s->b.remote_state == BFD_ADMIN_DOWN ? ", peer is AdminDown" : "");
	if (s->cb != NULL)
		s->cb(s->arg, s, old);
}

/* Carries out what bfd.c asked for. */
static void
act(struct bfd_sess *s, unsigned r, uint8_t old)
{
	if (r & BFD_DO_SEND)
		send_now(s);
	if (r & (BFD_DO_TIMERS | BFD_DO_SEND))
		tx_arm(s);
	if (r & BFD_DO_TIMERS)
		detect_arm(s);
	if (r & BFD_DO_STATE)
		state_changed(s, old);
}

static void
detect_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct bfd_sess *s = w->data;
	uint8_t old = s->b.state;

	ev_timer_stop(loop, w);
	act(s, bfd_expire(&s->b), old);
}

/* ---- receiving ---- */

struct rx_from {
	struct conf_addr src;
	struct conf_addr dst; /* family 0 if the kernel did not say */
};

static struct bfd_sess *
sess_of(const struct bfd *b)
{
	return (
	    struct bfd_sess *)((const char *)b - offsetof(struct bfd_sess, b));
}

static bool
talks_to(const struct bfd *b, const void *arg)
{
	const struct bfd_sess *s = sess_of(b);
	const struct rx_from *f = arg;

	if (!conf_addr_eq(&s->peer, &f->src))
		return false;
	return s->local.family == 0 || conf_addr_eq(&s->local, &f->dst);
}

static void
rx_one(struct bfd_ctx *ctx, const uint8_t *buf, size_t len,
    const struct rx_from *f, int ttl)
{
	struct bfd *v[CONF_NEIGHBORS_MAX + 1];
	struct bfd_sess *s;
	struct bfd_pkt p;
	enum bfd_rx_err err;
	struct bfd *b;
	size_t n = 0;
	uint8_t old;
	unsigned r;

	for (s = ctx->sessions; s != NULL && n < sizeof(v) / sizeof(v[0]);
	     s = s->next)
		v[n++] = &s->b;
	err = bfd_pkt_decode(buf, len, &p);
	if (err != BFD_RX_OK) {
		ctx->dropped[err]++;
		return;
	}
	b = bfd_select(v, n, &p, f, talks_to, &err);
	if (b == NULL) {
		ctx->dropped[err]++;
		return;
	}
	s = sess_of(b);
	if (ttl != BFD_TTL) {
		/* RFC 5881 §5: not from a neighbor one hop away. */
		s->st.rx_bad++;
		s->st.last_rx_err = BFD_RX_TTL;
		ctx->dropped[BFD_RX_TTL]++;
		return;
	}
	old = s->b.state;
	r = bfd_rx(&s->b, &p, &err);
	s->st.rx++;
	if (err != BFD_RX_OK) {
		s->st.last_rx_err = (uint8_t)err;
		ctx->dropped[err]++;
	}
	detect_arm(s);
	act(s, r, old);
}

/* Source, destination and TTL of one datagram; false if none. */
static bool
rx_read(
    int fd, uint8_t *buf, size_t cap, size_t *len, struct rx_from *f, int *ttl)
{
	struct sockaddr_storage ss;
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
		    CMSG_SPACE(sizeof(int)) + 64];
		struct cmsghdr align;
	} cbuf;
	struct iovec iov = { buf, cap };
	struct msghdr msg = { 0 };
	struct cmsghdr *c;
	ssize_t n;

	msg.msg_name = &ss;
	msg.msg_namelen = sizeof(ss);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf.buf;
	msg.msg_controllen = sizeof(cbuf.buf);
	n = recvmsg(fd, &msg, 0);
	if (n < 0)
		return false;
	*len = (size_t)n;
	*ttl = -1;
	memset(f, 0, sizeof(*f));
	if (ss.ss_family == AF_INET) {
		f->src.family = AF_INET;
		f->src.u.v4 = ((struct sockaddr_in *)&ss)->sin_addr;
	} else if (ss.ss_family == AF_INET6) {
		f->src.family = AF_INET6;
		f->src.u.v6 = ((struct sockaddr_in6 *)&ss)->sin6_addr;
	}
	for (c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL)
			memcpy(ttl, CMSG_DATA(c), sizeof(int));
		else if (c->cmsg_level == IPPROTO_IP &&
		    c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			f->dst.family = AF_INET;
			f->dst.u.v4 = pi.ipi_addr;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_HOPLIMIT)
			memcpy(ttl, CMSG_DATA(c), sizeof(int));
		else if (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			f->dst.family = AF_INET6;
			f->dst.u.v6 = pi.ipi6_addr;
		}
	}
	return true;
}

static void
rx_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct bfd_ctx *ctx = w->data;
	uint8_t buf[512];
	struct rx_from f;
	size_t len;
	int ttl, i;

	for (i = 0; i < RX_BATCH; i++) {
		if (!rx_read(w->fd, buf, sizeof(buf), &len, &f, &ttl))
			return;
		rx_one(ctx, buf, len, &f, ttl);
	}
}

/* Opens the receiving socket of a family if it is not yet. */
static void
rx_need(struct bfd_ctx *ctx, int family)
{
	int *fd = family == AF_INET6 ? &ctx->fd6 : &ctx->fd4;
	bool *warned = family == AF_INET6 ? &ctx->warned6 : &ctx->warned4;
	ev_io *w = family == AF_INET6 ? &ctx->w6 : &ctx->w4;

	if (*fd != -1)
		return;
	*fd = rx_open(family, ctx->port);
	if (*fd == -1) {
		if (!*warned)
			log_err("BFD: cannot listen on UDP port %u (%s): %s; "
				"trying again every second",
			    ctx->port, family == AF_INET6 ? "IPv6" : "IPv4",
			    strerror(errno));
		*warned = true;
		return;
	}
	if (*warned)
		log_info("BFD: listening on UDP port %u (%s) now", ctx->port,
		    family == AF_INET6 ? "IPv6" : "IPv4");
	*warned = false;
	ev_io_init(w, rx_cb, *fd, EV_READ);
	w->data = ctx;
	ev_io_start(ctx->loop, w);
}

/* ---- life cycle ---- */

struct bfd_ctx *
bfd_ctx_new(struct ev_loop *loop, uint16_t port)
{
	struct bfd_ctx *ctx = calloc(1, sizeof(*ctx));

	if (ctx == NULL)
		log_fatal("out of memory");
	ctx->loop = loop;
	ctx->port = port;
	ctx->fd4 = ctx->fd6 = -1;
	return ctx;
}

void
bfd_ctx_free(struct bfd_ctx *ctx)
{
	if (ctx == NULL)
		return;
	while (ctx->sessions != NULL)
		bfd_sess_free(ctx->sessions);
	if (ctx->fd4 != -1) {
		ev_io_stop(ctx->loop, &ctx->w4);
		close(ctx->fd4);
	}
	if (ctx->fd6 != -1) {
		ev_io_stop(ctx->loop, &ctx->w6);
		close(ctx->fd6);
	}
	free(ctx);
}

/* A local discriminator: nonzero, unused (RFC 5880 §6.3). */
static uint32_t
disc_new(const struct bfd_ctx *ctx)
{
	const struct bfd_sess *s;
	uint32_t d;

	for (;;) {
		d = (uint32_t)random() ^ ((uint32_t)random() << 16);
		if (d == 0)
			continue;
		for (s = ctx->sessions; s != NULL; s = s->next)
			if (s->b.local_disc == d)
				break;
		if (s == NULL)
			return d;
	}
}

/* Also the first packet: a receiving socket that failed is retried. */
static void
tx_first_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct bfd_sess *s = w->data;

	rx_need(s->ctx, s->peer.family);
	tx_cb(loop, w, revents);
}

struct bfd_sess *
bfd_sess_new(struct bfd_ctx *ctx, const struct conf_addr *peer,
    const struct conf_addr *local, uint16_t interval_ms, uint8_t mult,
    bfd_sess_cb *cb, void *arg)
{
	struct bfd_sess *s = calloc(1, sizeof(*s));
	struct bfd_sess **pp;

	if (s == NULL)
		log_fatal("out of memory");
	s->ctx = ctx;
	s->peer = *peer;
	if (local != NULL && local->family == peer->family)
		s->local = *local;
	conf_addr_str(peer, s->name, sizeof(s->name));
	s->interval_ms = interval_ms;
	s->mult = mult;
	s->cb = cb;
	s->arg = arg;
	s->fd = -1;
	s->st.last_change = time(NULL);
	bfd_init(&s->b, disc_new(ctx), (uint32_t)interval_ms * 1000u, mult);
	ev_init(&s->t_tx, tx_first_cb);
	ev_init(&s->t_detect, detect_cb);
	s->t_tx.data = s->t_detect.data = s;
	for (pp = &ctx->sessions; *pp != NULL; pp = &(*pp)->next)
		;
	*pp = s;
	rx_need(ctx, peer->family);
	s->fd = tx_open(&s->peer, &s->local, &s->src_port);
	if (s->fd == -1)
		log_err("BFD peer %s: cannot open its socket: %s", s->name,
		    strerror(errno));
	log_info("BFD peer %s: session created (%u ms x %u, discriminator "
		 "%u)",
	    s->name, interval_ms, mult, s->b.local_disc);
	/* The first packet soon, not in lockstep with the others. */
	ev_timer_set(&s->t_tx, 0.01 + (double)random() / RAND_MAX * 0.1, 0.);
	ev_timer_start(ctx->loop, &s->t_tx);
	return s;
}

void
bfd_sess_set(struct bfd_sess *s, const struct conf_addr *local,
    uint16_t interval_ms, uint8_t mult)
{
	struct conf_addr l = { 0 };
	uint8_t old = s->b.state;

	if (local != NULL && local->family == s->peer.family)
		l = *local;
	if (!conf_addr_eq(&l, &s->local)) {
		log_info("BFD peer %s: new local address", s->name);
		s->local = l;
		if (s->fd != -1)
			close(s->fd);
		s->fd = tx_open(&s->peer, &s->local, &s->src_port);
	}
	if (interval_ms == s->interval_ms && mult == s->mult)
		return;
	log_info("BFD peer %s: %u ms x %u (was %u ms x %u)", s->name,
	    interval_ms, mult, s->interval_ms, s->mult);
	s->interval_ms = interval_ms;
	s->mult = mult;
	act(s, bfd_set_params(&s->b, (uint32_t)interval_ms * 1000u, mult), old);
}

void
bfd_sess_free(struct bfd_sess *s)
{
	struct bfd_ctx *ctx = s->ctx;
	struct bfd_sess **pp;

	/* RFC 5880 §6.8.16: tell the peer it is no failure. */
	if (s->b.state != BFD_ADMIN_DOWN) {
		bfd_admin(&s->b, true);
		send_now(s);
	}
	ev_timer_stop(ctx->loop, &s->t_tx);
	ev_timer_stop(ctx->loop, &s->t_detect);
	if (s->fd != -1)
		close(s->fd);
	for (pp = &ctx->sessions; *pp != NULL; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	log_info("BFD peer %s: session removed", s->name);
	free(s);
}

long
bfd_sess_age(const struct bfd_sess *s)
{
	return (long)(time(NULL) - s->st.last_change);
}
