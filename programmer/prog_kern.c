/*
 * prog_kern.c: dxprog's rtnetlink socket (rtnetlink(7), netlink(7)).
 *
 * Owns one NETLINK_ROUTE socket, non-blocking, on the libev loop.
 * Changes come from the table's dirty list (prog_table.c) and leave in
 * batches: many messages per sendmsg, a few sendmsg calls per loop
 * iteration, at most PKERN_INFLIGHT messages without their ack, so the
 * loop never waits on the kernel and the acks never overflow the
 * socket.  Every ack is read: a refusal is logged (with the kernel's
 * extended ack text) and counted, and the prefix is marked as not
 * installed.
 *
 * A reconcile dumps the table (IPv4, then IPv6; filtered by table and
 * protocol in the kernel where strict checking is on, and here in any
 * case) with no change in flight, feeds the routes of ours to the
 * table, and then sends what differs.  Routes of ours with another
 * metric (an earlier run with another -m) are deleted.  If acks were
 * lost (ENOBUFS) or the dump was interrupted, the kernel state is
 * unknown and the reconcile starts again.  When nothing is left to send
 * or in flight, a reconcile is over: one log line says how long it took
 * from the request (the dump and the changes) and what it changed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include <linux/rtnetlink.h>

#include "prog_nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define PKERN_BATCH    (64 * 1024) /* bytes per sendmsg */
#define PKERN_SENDS    4           /* sendmsg calls per loop iteration */
#define PKERN_INFLIGHT 2048        /* messages awaiting their ack */
#define PKERN_RCVBUF   (8 * 1024 * 1024)
#define PKERN_READS    64 /* recv calls per readable event */

enum pkern_state {
	K_IDLE,      /* sending changes as they come */
	K_DUMP_WAIT, /* a reconcile waits for the acks in flight */
	K_DUMP,      /* reading a dump */
};

struct stale {
	struct pr_addr pfx;
	uint8_t plen;
	uint32_t metric;
};

struct pkern {
	struct ev_loop *loop;
	struct pnl_cfg cfg;
	struct pr_table *t;
	struct pr_counters *cnt;
	int fd;
	ev_io rio;
	ev_prepare prep;
	ev_idle idle;
	uint32_t seq;
	unsigned int inflight;
	enum pkern_state state;
	int again; /* a reconcile to start once nothing is in flight */
	int known; /* a dump was read: changes may be sent */
	/* the reconcile asked for and not yet done: when, counters then */
	int reconciling;
	ev_tstamp recon_start;
	struct pr_counters recon_cnt;
	uint8_t dump_af;
	uint32_t dump_seq;
	struct stale *stale;
	size_t nstale, capstale;
	uint8_t *out;
	size_t outlen;
	uint8_t *in;
	void (*on_idle)(void *);
	void *idle_arg;
};

static void pump(struct pkern *);

static void
send_out(struct pkern *k)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	if (k->outlen == 0)
		return;
	n = sendto(
	    k->fd, k->out, k->outlen, 0, (struct sockaddr *)&sa, sizeof(sa));
	if (n < 0) {
		/* The kernel took none of the batch: its changes are lost. */
		plog(LOG_ERR,
		    "rtnetlink: sendmsg of %zu bytes: %s; "
		    "reconciling",
		    k->outlen, strerror(errno));
		k->cnt->nl_errors++;
		k->again = 1;
	}
	k->outlen = 0;
}

/* Appends one change; 0 if the batch is full (nothing appended). */
static int
put_op(struct pkern *k, enum pr_op_kind kind, const struct pr_addr *pfx,
    uint8_t plen, const struct pr_nhs *nhs, const struct pnl_cfg *cfg)
{
	size_t n;

	if (PKERN_BATCH - k->outlen < PNL_MSG_MAX)
		return 0;
	n = pnl_route_msg(k->out + k->outlen, PKERN_BATCH - k->outlen, cfg,
	    ++k->seq, kind, pfx, plen, nhs);
	if (n == 0)
		return 0;
	k->outlen += n;
	k->inflight++;
	if (kind == PR_OP_ADD)
		k->cnt->nl_add++;
	else if (kind == PR_OP_REPLACE)
		k->cnt->nl_replace++;
	else
		k->cnt->nl_del++;
	return 1;
}

static void
dump_start(struct pkern *k, uint8_t af)
{
	size_t n;

	if (af == AF_INET)
		ptab_kern_begin(k->t);
	k->dump_af = af;
	k->dump_seq = ++k->seq;
	n = pnl_dump_msg(k->out, PKERN_BATCH, &k->cfg, k->dump_seq, af);
	k->outlen = n;
	send_out(k);
	k->state = K_DUMP;
}

/* Fills and sends up to PKERN_SENDS batches of changes. */
static int
send_changes(struct pkern *k)
{
	struct pr_op op;
	struct pnl_cfg c;
	int sends;

	for (sends = 0; sends < PKERN_SENDS; sends++) {
		while (k->inflight < PKERN_INFLIGHT && k->nstale > 0) {
			struct stale *s = &k->stale[k->nstale - 1];

			c = k->cfg;
			c.metric = s->metric;
			if (!put_op(k, PR_OP_DEL, &s->pfx, s->plen, NULL, &c))
				break;
			k->nstale--;
		}
		while (k->inflight < PKERN_INFLIGHT &&
		    PKERN_BATCH - k->outlen >= PNL_MSG_MAX &&
		    ptab_next_op(k->t, &op))
			put_op(k, op.kind, &op.pfx, op.plen, op.nhs, &k->cfg);
		if (k->outlen == 0)
			return 0;
		send_out(k);
		if (k->inflight >= PKERN_INFLIGHT)
			return 0;
	}
	return 1; /* there may be more */
}

/* A reconcile is over: the table holds what is desired (or refused). */
static void
reconciled(struct pkern *k)
{
	const struct pr_counters *c = k->cnt, *c0 = &k->recon_cnt;

	k->reconciling = 0;
	plog(LOG_INFO,
	    "table %u reconciled in %.3f s: %llu added, %llu replaced, "
	    "%llu deleted, %llu errors",
	    k->cfg.table, ev_time() - k->recon_start,
	    (unsigned long long)(c->nl_add - c0->nl_add),
	    (unsigned long long)(c->nl_replace - c0->nl_replace),
	    (unsigned long long)(c->nl_del - c0->nl_del),
	    (unsigned long long)(c->nl_errors - c0->nl_errors));
}

static void
pump(struct pkern *k)
{
	int more = 0;

	if (k->state == K_IDLE && k->again && k->inflight == 0) {
		k->again = 0;
		k->state = K_DUMP_WAIT;
	}
	if (k->state == K_DUMP_WAIT && k->inflight == 0)
		dump_start(k, AF_INET);
	if (k->state == K_IDLE && (k->known || k->nstale > 0))
		more = send_changes(k);
	if (more)
		ev_idle_start(k->loop, &k->idle);
	else
		ev_idle_stop(k->loop, &k->idle);
	if (pkern_idle(k)) {
		ev_prepare_stop(k->loop, &k->prep);
		if (k->reconciling)
			reconciled(k);
		if (k->on_idle != NULL)
			k->on_idle(k->idle_arg);
	}
}

static void
prep_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	pump(w->data);
}

static void
idle_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	/* pump runs in prepare; this only keeps the loop from sleeping */
}

static void
dump_done(struct pkern *k)
{
	if (k->dump_af == AF_INET) {
		dump_start(k, AF_INET6);
		return;
	}
	ptab_kern_end(k->t);
	k->state = K_IDLE;
	k->known = 1;
	if (k->nstale > 0)
		plog(LOG_NOTICE,
		    "deleting %zu routes of protocol %u in table "
		    "%u with a metric other than %u",
		    k->nstale, k->cfg.proto, k->cfg.table, k->cfg.metric);
	plog(LOG_INFO, "table %u read: reconciling", k->cfg.table);
}

static void
dump_route(struct pkern *k, const struct nlmsghdr *h)
{
	static struct pnl_kroute kr;
	struct stale *s;
	int rc = pnl_parse_route(h, &k->cfg, &kr);

	if (rc <= 0) {
		if (rc < 0)
			plog_limited(PLOG_K_KERNEL, LOG_WARNING,
			    "rtnetlink: a malformed route in the dump");
		return;
	}
	if (kr.metric == k->cfg.metric) {
		ptab_kern_route(k->t, &kr.pfx, kr.plen, kr.nhs);
		return;
	}
	if (k->nstale == k->capstale) {
		k->capstale = k->capstale ? k->capstale * 2 : 64;
		k->stale = realloc(k->stale, k->capstale * sizeof(*s));
		if (k->stale == NULL)
			plog_fatal("stale routes");
	}
	s = &k->stale[k->nstale++];
	s->pfx = kr.pfx;
	s->plen = kr.plen;
	s->metric = kr.metric;
}

static void
ack(struct pkern *k, const struct nlmsghdr *h)
{
	struct pr_addr pfx;
	char ps[PR_ADDR_STR] = "?";
	const char *why;
	uint8_t plen = 0;
	int err, found;
	uint16_t type = 0;

	found = pnl_parse_err(h, &err, &pfx, &plen, &why);
	if (k->inflight > 0)
		k->inflight--;
	if (err == 0)
		return;
	if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr)))
		type = ((const struct nlmsgerr *)NLMSG_DATA(h))->msg.nlmsg_type;
	if (found) {
		pr_addr_fmt(ps, sizeof(ps), &pfx, plen);
		ptab_op_failed(k->t, &pfx, plen);
	}
	/* deleting what is gone already: the goal is reached */
	if (type == RTM_DELROUTE && (err == -ESRCH || err == -ENOENT))
		return;
	k->cnt->nl_errors++;
	plog_limited(PLOG_K_KERNEL, LOG_WARNING,
	    "kernel refused to %s %s: %s%s%s",
	    type == RTM_DELROUTE ? "delete" : "install", ps, strerror(-err),
	    why ? ": " : "", why ? why : "");
}

static void
dump_msg(struct pkern *k, const struct nlmsghdr *h)
{
	int err;

	if (h->nlmsg_flags & NLM_F_DUMP_INTR)
		k->again = 1; /* the table changed while dumped: again */
	switch (h->nlmsg_type) {
	case NLMSG_DONE:
		dump_done(k);
		break;
	case NLMSG_ERROR:
		err = h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr))
		    ? ((const struct nlmsgerr *)NLMSG_DATA(h))->error
		    : -EIO;
		plog(LOG_ERR, "rtnetlink: dumping table %u: %s", k->cfg.table,
		    strerror(-err));
		k->cnt->nl_errors++;
		dump_done(k);
		break;
	case RTM_NEWROUTE:
		dump_route(k, h);
		break;
	}
}

static void
read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct pkern *k = w->data;
	const struct nlmsghdr *h;
	ssize_t n;
	size_t len;
	int i;

	for (i = 0; i < PKERN_READS; i++) {
		n = recv(k->fd, k->in, PKERN_BATCH * 4, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		if (n < 0 && errno == ENOBUFS) {
			/* acks or dump lost: nothing known for sure */
			plog(LOG_ERR,
			    "rtnetlink: answers lost (ENOBUFS); "
			    "reconciling");
			k->cnt->nl_errors++;
			k->inflight = 0;
			k->again = 1;
			if (k->state == K_DUMP)
				k->state = K_IDLE;
			continue;
		}
		if (n <= 0) {
			plog(LOG_ERR, "rtnetlink: recv: %s",
			    n < 0 ? strerror(errno) : "end of file");
			break;
		}
		len = (size_t)n;
		for (h = (const struct nlmsghdr *)k->in; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (k->state == K_DUMP && h->nlmsg_seq == k->dump_seq)
				dump_msg(k, h);
			else if (h->nlmsg_type == NLMSG_ERROR)
				ack(k, h);
		}
	}
	pump(k);
}

struct pkern *
pkern_new(struct ev_loop *loop, const struct pnl_cfg *cfg, struct pr_table *t,
    struct pr_counters *cnt)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct pkern *k;
	int one = 1, sz = PKERN_RCVBUF;

	k = pzalloc(sizeof(*k));
	k->fd = socket(
	    AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (k->fd == -1 || bind(k->fd, (struct sockaddr *)&sa, sizeof(sa))) {
		plog(LOG_ERR, "rtnetlink socket: %s", strerror(errno));
		if (k->fd != -1)
			close(k->fd);
		free(k);
		return NULL;
	}
	if (setsockopt(k->fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(k->fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	/* optional: the kernel's reasons, and filtered dumps */
	setsockopt(k->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(
	    k->fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	k->loop = loop;
	k->cfg = *cfg;
	k->t = t;
	k->cnt = cnt;
	k->out = pzalloc(PKERN_BATCH);
	k->in = pzalloc(PKERN_BATCH * 4);
	k->state = K_IDLE;
	ev_io_init(&k->rio, read_cb, k->fd, EV_READ);
	ev_prepare_init(&k->prep, prep_cb);
	ev_idle_init(&k->idle, idle_cb);
	k->rio.data = k->prep.data = k->idle.data = k;
	ev_io_start(loop, &k->rio);
	return k;
}

void
pkern_free(struct pkern *k)
{
	if (k == NULL)
		return;
	ev_io_stop(k->loop, &k->rio);
	ev_prepare_stop(k->loop, &k->prep);
	ev_idle_stop(k->loop, &k->idle);
	close(k->fd);
	free(k->stale);
	free(k->out);
	free(k->in);
	free(k);
}

void
pkern_reconcile(struct pkern *k)
{
	if (!k->reconciling) {
		k->reconciling = 1;
		k->recon_start = ev_time();
		k->recon_cnt = *k->cnt;
	}
	k->again = 1;
	ev_prepare_start(k->loop, &k->prep);
}

void
pkern_kick(struct pkern *k)
{
	ev_prepare_start(k->loop, &k->prep);
}

int
pkern_idle(const struct pkern *k)
{
	return k->state == K_IDLE && !k->again && k->inflight == 0 &&
	    k->nstale == 0 && (k->t->dirty == NULL || !k->known);
}

void
pkern_on_idle(struct pkern *k, void (*fn)(void *), void *arg)
{
	k->on_idle = fn;
	k->idle_arg = arg;
}
