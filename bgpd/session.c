/*
 * session.c: one BGP session on the libev loop.
 *
 * Owns a peer's connections, its read and write buffers and its timers,
 * and drives the pure state machine of fsm.c: every socket or timer
 * event becomes an FSM event, and the actions fsm_step returns are
 * carried out here.  Implements RFC 4271 §4 (messages on a TCP stream,
 * framing across partial reads), §6 (turning codec verdicts into
 * NOTIFICATIONs), §6.8 (connection collision detection), §8 (timers,
 * with ConnectRetry jitter and backoff, §10) and capability negotiation
 * (RFC 5492: multiprotocol, route refresh, enhanced route refresh,
 * 4-octet AS, graceful restart helper, ADD-PATH receive, extended
 * messages); the send hold timer of RFC 9687; RFC 9003 shutdown
 * messages; RFC 7606 verdicts.
 *
 * Reading is bounded: at most bgpd.batch messages are handled per
 * callback, and an idle watcher finishes the rest, so timers and the
 * other sessions are served while a peer sends a full table.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sess_sock.h"
#include "session.h"

#define RX_CAP             (BGP_MAX_MSG_EXT + 1024)
#define RX_READ            (256 * 1024) /* bytes asked of each read() */
#define TX_CONTROL_RESERVE 4096         /* OPEN, KEEPALIVE, NOTIFICATION */
#define IDLE_HOLD_MIN      1.0
#define IDLE_HOLD_MAX      60.0
#define DELAYOPEN_TIME     5

static void sess_event(struct peer *, enum fsm_event);
static void conn_close(struct conn *);
static void conn_flush(struct conn *);
static void peer_read_cb(struct ev_loop *, ev_io *, int);
static void peer_write_cb(struct ev_loop *, ev_io *, int);
static bool handle_messages(struct peer *, struct conn *);

/* ---- byte buffers ---- */

static void
buf_reserve(struct bytebuf *b, size_t need)
{
	size_t cap;

	if (b->head > 0 && (b->head == b->len || b->cap - b->len < need)) {
		memmove(b->data, b->data + b->head, b->len - b->head);
		b->len -= b->head;
		b->head = 0;
	}
	if (b->cap - b->len >= need)
		return;
	cap = b->cap ? b->cap : 4096;
	while (cap - b->len < need)
		cap *= 2;
	b->data = realloc(b->data, cap);
	if (b->data == NULL)
		log_fatal("out of memory");
	b->cap = cap;
}

static size_t
buf_used(const struct bytebuf *b)
{
	return b->len - b->head;
}

static void
buf_free(struct bytebuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* ---- connections ---- */

static void
conn_init(struct conn *c, struct peer *p)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->peer = p;
}

static void
conn_open(struct conn *c, int fd, bool outgoing)
{
	c->fd = fd;
	c->outgoing = outgoing;
	ev_io_init(&c->rio, peer_read_cb, fd, EV_READ);
	ev_io_init(&c->wio, peer_write_cb, fd, EV_WRITE);
	c->rio.data = c;
	c->wio.data = c;
}

static void
conn_close(struct conn *c)
{
	struct ev_loop *loop = c->peer->d->loop;

	if (c->fd == -1)
		return;
	ev_io_stop(loop, &c->rio);
	ev_io_stop(loop, &c->wio);
	close(c->fd);
	c->fd = -1;
	c->connecting = false;
	buf_free(&c->rx);
	buf_free(&c->tx);
}

/* Watch for writability only while there is something to write. */
static void
conn_update_interest(struct conn *c)
{
	struct ev_loop *loop = c->peer->d->loop;

	if (c->fd == -1)
		return;
	if (c->connecting || buf_used(&c->tx) > 0)
		ev_io_start(loop, &c->wio);
	else
		ev_io_stop(loop, &c->wio);
}

/* ---- logging ---- */

static void peer_log(struct peer *p, enum log_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
peer_log(struct peer *p, enum log_level lvl, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (lvl == LOG_LVL_DEBUG && !log_peer_debugging(p->name))
		return; /* debug bgp neighbor X is off */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->conf.description[0] != '\0')
		log_msg(lvl, "neighbor %s (%s): %s", p->name,
		    p->conf.description, msg);
	else
		log_msg(lvl, "neighbor %s: %s", p->name, msg);
}

static void set_reason(struct peer *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_reason(struct peer *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->st.last_reason, sizeof(p->st.last_reason), fmt, ap);
	va_end(ap);
}

/* ---- sending ---- */

size_t
sess_max_msg(const struct peer *p)
{
	return p->nego.ext_message_tx ? BGP_MAX_MSG_EXT : BGP_MAX_MSG;
}

static bool
conn_queue(struct conn *c, const uint8_t *msg, size_t len, size_t limit)
{
	if (c->fd == -1)
		return false;
	if (buf_used(&c->tx) + len > limit)
		return false;
	buf_reserve(&c->tx, len);
	memcpy(c->tx.data + c->tx.len, msg, len);
	c->tx.len += len;
	return true;
}

static void
count_out(struct peer *p, const uint8_t *msg)
{
	uint8_t type = msg[BGP_MARKER_LEN + 2];

	log_bgp_msg(p->name, true, msg, 0);
	if (type <= BGP_MSG_ROUTE_REFRESH)
		p->st.msg_out[type]++;
}

/* Control messages may exceed the limit by a small reserve. */
static void
send_control(struct peer *p, struct conn *c, const uint8_t *msg, size_t len)
{
	if (!conn_queue(c, msg, len, p->d->tx_limit + TX_CONTROL_RESERVE)) {
		peer_log(p, LOG_LVL_WARN,
		    "output queue full; control message dropped");
		return;
	}
	count_out(p, msg);
	conn_flush(c);
}

bool
sess_queue(struct peer *p, const uint8_t *msg, size_t len)
{
	if (p->state != FSM_ESTABLISHED)
		return false;
	if (!conn_queue(&p->c, msg, len, p->d->tx_limit))
		return false;
	count_out(p, msg);
	return true;
}

void
sess_flush(struct peer *p)
{
	if (p->state != FSM_ESTABLISHED)
		return;
	/* RFC 4271 §10: sending an UPDATE restarts the KeepaliveTimer. */
	if (p->nego.holdtime > 0)
		ev_timer_again(p->d->loop, &p->t_keepalive);
	conn_flush(&p->c);
}

bool
sess_send(struct peer *p, const uint8_t *msg, size_t len)
{
	if (!sess_queue(p, msg, len))
		return false;
	sess_flush(p);
	return true;
}

static void
send_notification(struct peer *p, struct conn *c, uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t datalen)
{
	uint8_t buf[BGP_MAX_MSG];
	size_t n;

	if (datalen > BGP_MAX_MSG - BGP_HDR_LEN - 2)
		datalen = BGP_MAX_MSG - BGP_HDR_LEN - 2;
	n = wire_notification_encode(
	    code, subcode, data, datalen, buf, sizeof(buf));
	if (n == 0)
		return;
	peer_log(p, LOG_LVL_WARN, "sending NOTIFICATION %u/%u (%s%s%s)", code,
	    subcode, wire_err_code_name(code),
	    *wire_err_subcode_name(code, subcode) ? ", " : "",
	    wire_err_subcode_name(code, subcode));
	if (c == &p->c) {
		p->st.last_err_code = code;
		p->st.last_err_subcode = subcode;
		p->st.last_err_sent = true;
		p->st.last_shutdown_msg[0] = '\0';
	}
	send_control(p, c, buf, n);
}

static void
send_open(struct peer *p, struct conn *c)
{
	struct wire_open o;
	struct wire_caps *caps = &o.caps;
	uint8_t buf[BGP_MAX_MSG];
	uint8_t af = conf_neighbor_af(&p->conf);
	uint32_t asn = p->conf.local_as ? p->conf.local_as : p->d->conf->asn;
	size_t n;

	memset(&o, 0, sizeof(o));
	o.version = BGP_VERSION;
	o.my_as = asn > 0xffff ? BGP_AS_TRANS : (uint16_t)asn;
	o.holdtime = conf_neighbor_holdtime(&p->conf);
	o.bgp_id = p->d->router_id;
	caps->have = WIRE_CAP_MP | WIRE_CAP_RR | WIRE_CAP_ERR | WIRE_CAP_AS4 |
	    WIRE_CAP_GR | WIRE_CAP_EXTMSG | WIRE_CAP_ADDPATH;
	caps->as4 = asn;
	if (af & CONF_AF_IPV4) {
		caps->mp[caps->n_mp++] =
		    (struct wire_afsafi){ BGP_AFI_IPV4, BGP_SAFI_UNICAST, 0 };
		caps->addpath[caps->n_addpath++] =
		    (struct wire_afsafi){ BGP_AFI_IPV4, BGP_SAFI_UNICAST,
			    BGP_ADDPATH_RECEIVE };
	}
	if (af & CONF_AF_IPV6) {
		caps->mp[caps->n_mp++] =
		    (struct wire_afsafi){ BGP_AFI_IPV6, BGP_SAFI_UNICAST, 0 };
		caps->addpath[caps->n_addpath++] =
		    (struct wire_afsafi){ BGP_AFI_IPV6, BGP_SAFI_UNICAST,
			    BGP_ADDPATH_RECEIVE };
	}
	/* RFC 4724 §3: a helper announces its restart time, no families. */
	caps->gr_time = p->d->conf->gr_restart_time;
	if (!conf_neighbor_gr(&p->conf)) /* a profile turns it off */
		caps->have &= ~WIRE_CAP_GR;
	n = wire_open_encode(&o, buf, sizeof(buf));
	assert(n > 0);
	send_control(p, c, buf, n);
}

static void
send_keepalive(struct peer *p)
{
	uint8_t buf[BGP_HDR_LEN];

	send_control(p, &p->c, buf, wire_keepalive_encode(buf, sizeof(buf)));
}

/* Writes what the socket takes; RFC 9687 watches for no progress. */
static void
conn_flush(struct conn *c)
{
	struct peer *p = c->peer;
	ssize_t n;
	bool progress = false;

	while (c->fd != -1 && !c->connecting && buf_used(&c->tx) > 0) {
		n = write(c->fd, c->tx.data + c->tx.head, buf_used(&c->tx));
		if (n > 0) {
			c->tx.head += (size_t)n;
			progress = true;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		/* The connection broke; the read side will see it too. */
		set_reason(p, "write failed: %s", strerror(errno));
		c->tx.head = c->tx.len;
		break;
	}
	if (c != &p->c) {
		conn_update_interest(c);
		return;
	}
	if (buf_used(&c->tx) == 0)
		ev_timer_stop(p->d->loop, &p->t_sendhold);
	else if (progress || !ev_is_active(&p->t_sendhold)) {
		if (p->state == FSM_ESTABLISHED && p->sendhold > 0) {
			p->t_sendhold.repeat = p->sendhold;
			ev_timer_again(p->d->loop, &p->t_sendhold);
		}
	}
	conn_update_interest(c);
	if (progress && p->state == FSM_ESTABLISHED &&
	    buf_used(&c->tx) < p->d->tx_limit / 2 && p->d->hooks.writable)
		p->d->hooks.writable(p);
}

/* ---- timers ---- */

static uint8_t
af_of(uint16_t afi, uint8_t safi)
{
	if (safi != BGP_SAFI_UNICAST)
		return 0;
	if (afi == BGP_AFI_IPV4)
		return CONF_AF_IPV4;
	if (afi == BGP_AFI_IPV6)
		return CONF_AF_IPV6;
	return 0;
}

/* RFC 4271 §10: jitter, 75% to 100% of the value. */
static double
jitter(double v)
{
	return v * (0.75 + 0.25 * ((double)random() / RAND_MAX));
}

static void
timer_start(struct peer *p, ev_timer *t, double after)
{
	ev_timer_stop(p->d->loop, t);
	ev_timer_set(t, after, 0.);
	ev_timer_start(p->d->loop, t);
}

/* ConnectRetry doubles on consecutive failures, up to 8 times. */
static double
connretry_interval(const struct peer *p)
{
	double base = p->conf.connect_retry ? p->conf.connect_retry : 1;
	unsigned int shift = p->connretry_count < 3 ? p->connretry_count : 3;

	return jitter(base * (double)(1u << shift));
}

static void check_md5_failures(struct peer *);

static void
t_connretry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct peer *p = w->data;

	if (p->c.connecting) {
		set_reason(p, "no answer to the TCP connection attempt");
		check_md5_failures(p);
	}
	sess_event(p, FSM_EV_CONNRETRY_EXPIRES);
}

static void
t_hold_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct peer *p = w->data;

	set_reason(p, "hold timer expired");
	peer_log(p, LOG_LVL_WARN, "hold timer expired");
	sess_event(p, FSM_EV_HOLD_EXPIRES);
}

static void
t_keepalive_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	sess_event(w->data, FSM_EV_KEEPALIVE_EXPIRES);
}

static void
t_sendhold_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct peer *p = w->data;

	set_reason(p, "send hold timer expired: the peer stopped reading");
	peer_log(p, LOG_LVL_WARN,
	    "send hold timer expired: nothing could be written for %u s",
	    p->sendhold);
	sess_event(p, FSM_EV_SEND_HOLD_EXPIRES);
}

static void
t_delayopen_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	sess_event(w->data, FSM_EV_DELAYOPEN_EXPIRES);
}

static void
t_idlehold_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct peer *p = w->data;

	if (p->state == FSM_IDLE && !p->conf.shutdown && p->blocked == 0)
		sess_event(p,
		    p->conf.passive ? FSM_EV_AUTO_START_PASSIVE
				    : FSM_EV_AUTO_START);
}

static void
t_gr_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct peer *p = w->data;

	uint8_t af = p->stale_af;

	if (af == 0)
		return;
	p->stale_af = 0;
	peer_log(p, LOG_LVL_WARN,
	    "graceful restart time ran out; stale routes removed");
	if (p->d->hooks.stale_flush == NULL)
		return;
	if (af & CONF_AF_IPV4)
		p->d->hooks.stale_flush(p, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	if (af & CONF_AF_IPV6)
		p->d->hooks.stale_flush(p, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
}

/* End-of-RIB, or a family gone: its stale routes are dropped. */
static void
stale_done(struct peer *p, uint16_t afi, uint8_t safi)
{
	uint8_t af = af_of(afi, safi);

	if ((p->stale_af & af) == 0)
		return;
	p->stale_af &= (uint8_t)~af;
	if (p->stale_af == 0)
		ev_timer_stop(p->d->loop, &p->t_gr);
	if (p->d->hooks.stale_flush)
		p->d->hooks.stale_flush(p, afi, safi);
}

/* Every stale route goes now: the session will not come back by itself. */
static void
stale_flush_all(struct peer *p)
{
	if (p->stale_af == 0)
		return;
	peer_log(p, LOG_LVL_INFO, "stale routes removed");
	if (p->stale_af & CONF_AF_IPV4)
		stale_done(p, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	if (p->stale_af & CONF_AF_IPV6)
		stale_done(p, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
}

/*
 * RFC 4724 §4.2: once the session is back, the stale routes of a
 * family the peer no longer preserves (absent from its new capability,
 * or without the F bit) go at once; the others wait for End-of-RIB.
 */
static void
stale_check_forwarding(struct peer *p)
{
	const struct wire_caps *c = &p->nego.open.caps;
	uint8_t kept = 0, i;

	if (c->have & WIRE_CAP_GR)
		for (i = 0; i < c->n_gr; i++)
			if (c->gr[i].flags & BGP_GR_AF_FORWARDING)
				kept |= af_of(c->gr[i].afi, c->gr[i].safi);
	kept &= p->nego.af;
	if ((p->stale_af & CONF_AF_IPV4) && !(kept & CONF_AF_IPV4))
		stale_done(p, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	if ((p->stale_af & CONF_AF_IPV6) && !(kept & CONF_AF_IPV6))
		stale_done(p, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
}

/* ---- the state machine's actions ---- */

/*
 * The TTL we send with and the least TTL we accept (0: any): single-hop
 * eBGP sends 1, iBGP 255, GTSM (RFC 5082) 255 and checks 256 - hops.
 */
static void
peer_ttl(const struct peer *p, int *ttl, int *minttl)
{
	const struct conf_neighbor *n = &p->conf;
	bool ebgp = n->remote_as != p->d->conf->asn;

	*ttl = ebgp ? (n->ebgp_multihop ? n->ebgp_multihop : 1) : 255;
	*minttl = 0;
	if (n->ttl_security_hops) {
		*ttl = 255;
		*minttl = 256 - n->ttl_security_hops;
	}
}

static void
do_connect(struct peer *p)
{
	struct conf_neighbor *n = &p->conf;
	int ttl, minttl, fd;

	if (p->c.fd != -1)
		return;
	peer_ttl(p, &ttl, &minttl);
	/* Before our SYN: a local peer's kernel may count it at once. */
	if (p->md5_fail_base < 0 && n->password[0] != '\0')
		p->md5_fail_base = sock_md5_failures();
	fd = sock_connect(
	    &n->addr, n->port, &n->update_source, n->password, ttl, minttl);
	if (fd == -1) {
		set_reason(p, "connect: %s", strerror(errno));
		peer_log(
		    p, LOG_LVL_WARN, "cannot connect: %s", strerror(errno));
		/* The ConnectRetryTimer, already armed, tries again. */
		return;
	}
	conn_open(&p->c, fd, true);
	p->c.connecting = true;
	ev_io_start(p->d->loop, &p->c.wio);
}

static void
do_release(struct peer *p)
{
	ev_idle_stop(p->d->loop, &p->w_more);
	memset(&p->nego, 0, sizeof(p->nego));
	p->af_disabled = 0;
}

/*
 * The peer's routes go, or stay as stale for a graceful restart: those
 * of the families its capability named (RFC 4724 §4.2); the others go.
 */
static void
do_delete_routes(struct peer *p, bool graceful)
{
	uint8_t gone;

	p->st.dropped++;
	if (!graceful) {
		/* The stale routes of an earlier restart go with the rest. */
		p->stale_af = 0;
		ev_timer_stop(p->d->loop, &p->t_gr);
		if (p->d->hooks.down)
			p->d->hooks.down(p, false);
		return;
	}
	p->stale_af = p->nego.gr_af & p->nego.af;
	gone = p->nego.af & (uint8_t)~p->stale_af;
	timer_start(p, &p->t_gr, p->nego.gr_time);
	peer_log(p, LOG_LVL_INFO,
	    "keeping its routes as stale for up to %u s (graceful restart)",
	    p->nego.gr_time);
	if (p->d->hooks.down)
		p->d->hooks.down(p, true);
	if (p->d->hooks.stale_flush == NULL)
		return;
	if (gone & CONF_AF_IPV4)
		p->d->hooks.stale_flush(p, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	if (gone & CONF_AF_IPV6)
		p->d->hooks.stale_flush(p, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
}

static void
do_established(struct peer *p)
{
	char asbuf[16];

	p->st.established++;
	p->eor_af = 0;
	p->idle_hold = IDLE_HOLD_MIN;
	p->connretry_count = 0;
	p->md5_fail_base = -1;
	snprintf(asbuf, sizeof(asbuf), "%u", p->nego.peer_as);
	peer_log(p, LOG_LVL_INFO,
	    "session up: AS %s, hold time %u s, keepalive %u s%s%s%s", asbuf,
	    p->nego.holdtime, p->nego.keepalive,
	    p->nego.as4 ? ", 4-octet AS" : ", 2-octet AS",
	    (p->nego.af & CONF_AF_IPV4) ? ", IPv4 unicast" : "",
	    (p->nego.af & CONF_AF_IPV6) ? ", IPv6 unicast" : "");
	stale_check_forwarding(p);
	if (p->d->hooks.established)
		p->d->hooks.established(p);
}

/*
 * After a failure the session starts again by itself, later each time
 * it fails before reaching Established.
 */
static void
schedule_restart(struct peer *p)
{
	if (p->conf.shutdown || p->deleting || p->held_down)
		return;
	timer_start(p, &p->t_idlehold, jitter(p->idle_hold));
	p->idle_hold *= 2;
	if (p->idle_hold > IDLE_HOLD_MAX)
		p->idle_hold = IDLE_HOLD_MAX;
}

/* Explains, when it can, why a session with a password did not come up. */
static void
check_md5_failures(struct peer *p)
{
	long now;

	if (p->conf.password[0] == '\0' || p->md5_fail_base < 0)
		return;
	now = sock_md5_failures();
	if (now > p->md5_fail_base) {
		peer_log(p, LOG_LVL_WARN,
		    "TCP MD5 authentication is failing (the kernel dropped "
		    "%ld segments with a missing or wrong signature): check "
		    "that both sides use the same password",
		    now - p->md5_fail_base);
		set_reason(p, "TCP MD5 signature mismatch or missing");
		p->md5_fail_base = now;
	}
}

static void
run_actions(struct peer *p, const struct fsm_out *out, enum fsm_event ev)
{
	struct ev_loop *loop = p->d->loop;
	uint32_t a = out->actions;
	const uint8_t *data = NULL;
	uint16_t datalen = 0;
	uint8_t code = out->notify_code, subcode = out->notify_subcode;
	bool graceful;

	if (a & FSM_A_PROCESS_OPEN)
		p->nego = p->pending;
	if (a & FSM_A_SEND_NOTIFICATION) {
		/*
		 * The caller's error if it has one of this code; a
		 * ROUTE-REFRESH error (RFC 7313 §5) comes as UpdateMsgErr
		 * with a code of its own.
		 */
		if (out->notify_caller && p->have_pending_err &&
		    (p->pending_err.code == code ||
			(ev == FSM_EV_UPDATE_ERR &&
			    p->pending_err.code == BGP_ERR_RREFRESH))) {
			code = p->pending_err.code;
			subcode = p->pending_err.subcode;
			data = wire_err_data(&p->pending_err, &datalen);
		}
		send_notification(p, &p->c, code, subcode, data, datalen);
	}
	p->have_pending_err = false;
	if (a & FSM_A_CONNRETRY_STOP)
		ev_timer_stop(loop, &p->t_connretry);
	if (a & FSM_A_DELAYOPEN_STOP)
		ev_timer_stop(loop, &p->t_delayopen);
	if (a & FSM_A_HOLD_STOP)
		ev_timer_stop(loop, &p->t_hold);
	if (a & FSM_A_KEEPALIVE_STOP)
		ev_timer_stop(loop, &p->t_keepalive);
	if (a & FSM_A_SEND_HOLD_STOP)
		ev_timer_stop(loop, &p->t_sendhold);
	if (a & FSM_A_IDLEHOLD_STOP)
		ev_timer_stop(loop, &p->t_idlehold);
	if (a & FSM_A_DELETE_ROUTES) {
		/*
		 * RFC 4724 §4.2: a connection lost without a NOTIFICATION
		 * keeps the routes of a peer that can restart gracefully.
		 */
		graceful = p->nego.gr && !(a & FSM_A_SEND_NOTIFICATION) &&
		    ev != FSM_EV_NOTIF && ev != FSM_EV_MANUAL_STOP &&
		    ev != FSM_EV_AUTO_STOP;
		do_delete_routes(p, graceful);
	}
	if (a & FSM_A_DROP_TCP) {
		conn_flush(&p->c);
		conn_close(&p->c);
	}
	if (a & FSM_A_RELEASE_RESOURCES)
		do_release(p);
	if (a & FSM_A_CONNRETRY_COUNT_ZERO)
		p->connretry_count = 0;
	if (a & FSM_A_CONNRETRY_COUNT_INC)
		p->connretry_count++;
	if (a & FSM_A_CONNRETRY_START)
		timer_start(p, &p->t_connretry, connretry_interval(p));
	if (a & FSM_A_DELAYOPEN_START)
		timer_start(p, &p->t_delayopen, DELAYOPEN_TIME);
	if (a & FSM_A_IDLEHOLD_START)
		timer_start(p, &p->t_idlehold, p->idle_hold);
	if (a & FSM_A_CONNECT)
		do_connect(p);
	if (a & FSM_A_SEND_OPEN)
		send_open(p, &p->c);
	if (a & FSM_A_SEND_KEEPALIVE)
		send_keepalive(p);
	if (a & FSM_A_HOLD_START_LARGE)
		timer_start(p, &p->t_hold, BGP_HOLD_LARGE);
	if (a & FSM_A_HOLD_START) {
		if (p->nego.holdtime > 0)
			timer_start(p, &p->t_hold, p->nego.holdtime);
		else
			ev_timer_stop(loop, &p->t_hold);
	}
	if (a & FSM_A_KEEPALIVE_START) {
		ev_timer_stop(loop, &p->t_keepalive);
		if (p->nego.holdtime > 0) {
			ev_timer_set(&p->t_keepalive, p->nego.keepalive,
			    p->nego.keepalive);
			ev_timer_start(loop, &p->t_keepalive);
		}
	}
	if (a & FSM_A_SEND_HOLD_START)
		p->sendhold = p->nego.holdtime * 2 > p->d->sendhold_min
		    ? p->nego.holdtime * 2
		    : p->d->sendhold_min;
	if (a & FSM_A_ESTABLISHED)
		do_established(p);
	if ((a & FSM_A_PROCESS_UPDATE) && p->cur_update != NULL &&
	    p->d->hooks.update != NULL)
		p->d->hooks.update(p, p->cur_update, &p->pending_err);
}

static void
sess_event(struct peer *p, enum fsm_event ev)
{
	struct fsm_opts o = {
		.passive = p->conf.passive,
		.send_notif_without_open = true,
		.delayopen_running = ev_is_active(&p->t_delayopen),
	};
	struct fsm_out out = fsm_step(p->state, ev, &o);
	enum fsm_state old = p->state;

	p->state = out.next;
	run_actions(p, &out, ev);
	if (old == out.next)
		return;
	p->st.last_change = time(NULL);
	/* Connect <-> Active is the retry loop, not news. */
	peer_log(p,
	    out.next <= FSM_ACTIVE && old <= FSM_ACTIVE &&
		    out.next != FSM_IDLE && old != FSM_IDLE
		? LOG_LVL_DEBUG
		: LOG_LVL_INFO,
	    "%s -> %s (%s)%s%s", fsm_state_name(old), fsm_state_name(out.next),
	    fsm_event_name(ev),
	    out.next == FSM_IDLE && p->st.last_reason[0] ? ": " : "",
	    out.next == FSM_IDLE ? p->st.last_reason : "");
	if (out.next == FSM_IDLE) {
		check_md5_failures(p);
		schedule_restart(p);
	}
}

/* ---- receiving ---- */

/* Checks the peer's OPEN against our configuration and negotiates. */
static bool
open_negotiate(struct peer *p, const struct wire_open *o)
{
	struct sess_nego *n = &p->pending;
	struct wire_err *err = &p->pending_err;
	const struct wire_caps *c = &o->caps;
	uint8_t want = conf_neighbor_af(&p->conf), i;
	uint32_t peer_as = wire_open_peer_as(o);
	uint16_t ours = conf_neighbor_holdtime(&p->conf);
	static const uint8_t mp_v4[] = { BGP_CAP_MP, 4, 0, BGP_AFI_IPV4, 0,
		BGP_SAFI_UNICAST };
	static const uint8_t mp_v6[] = { BGP_CAP_MP, 4, 0, BGP_AFI_IPV6, 0,
		BGP_SAFI_UNICAST };

	wire_err_init(err);
	memset(n, 0, sizeof(*n));
	n->open = *o;
	err->action = WIRE_SESSION_RESET;
	err->code = BGP_ERR_OPEN;
	if (peer_as != p->conf.remote_as) {
		err->subcode = BGP_ERR_OPEN_PEER_AS;
		set_reason(p, "peer says it is AS %u, configured remote-as %u",
		    peer_as, p->conf.remote_as);
		return false;
	}
	if (peer_as == p->d->conf->asn && o->bgp_id == p->d->router_id) {
		err->subcode = BGP_ERR_OPEN_BGPID;
		set_reason(p, "internal peer uses our own router ID");
		return false;
	}
	n->peer_as = peer_as;
	n->peer_id = o->bgp_id;
	n->holdtime = o->holdtime < ours ? o->holdtime : ours;
	n->keepalive = conf_neighbor_keepalive(&p->conf);
	if (n->holdtime > 0 && n->keepalive > n->holdtime / 3)
		n->keepalive = n->holdtime / 3;
	if (n->holdtime > 0 && n->keepalive == 0)
		n->keepalive = 1;
	n->as4 = (c->have & WIRE_CAP_AS4) != 0;
	n->ext_message_rx = (c->have & WIRE_CAP_EXTMSG) != 0;
	n->ext_message_tx = n->ext_message_rx;
	n->route_refresh = (c->have & WIRE_CAP_RR) != 0;
	n->enhanced_rr = (c->have & WIRE_CAP_ERR) != 0;
	/* RFC 4760 §8: no multiprotocol capability means IPv4 unicast. */
	if (!(c->have & WIRE_CAP_MP))
		n->af = want & CONF_AF_IPV4;
	else {
		if (wire_caps_has_mp(c, BGP_AFI_IPV4, BGP_SAFI_UNICAST))
			n->af |= want & CONF_AF_IPV4;
		if (wire_caps_has_mp(c, BGP_AFI_IPV6, BGP_SAFI_UNICAST))
			n->af |= want & CONF_AF_IPV6;
	}
	if (n->af == 0) {
		/* RFC 5492 §5: say which capability we needed. */
		err->subcode = BGP_ERR_OPEN_CAPABILITY;
		memcpy(err->small, (want & CONF_AF_IPV4) ? mp_v4 : mp_v6, 6);
		err->datalen = 6;
		set_reason(p,
		    "peer supports none of the address families "
		    "configured for it (%s)",
		    (want & CONF_AF_IPV4) ? "IPv4 unicast" : "IPv6 unicast");
		return false;
	}
	if (wire_caps_addpath(c, BGP_AFI_IPV4, BGP_SAFI_UNICAST) &
	    BGP_ADDPATH_SEND)
		n->addpath_rx |= n->af & CONF_AF_IPV4;
	if (wire_caps_addpath(c, BGP_AFI_IPV6, BGP_SAFI_UNICAST) &
	    BGP_ADDPATH_SEND)
		n->addpath_rx |= n->af & CONF_AF_IPV6;
	if (c->have & WIRE_CAP_GR) {
		n->gr_time = c->gr_time;
		for (i = 0; i < c->n_gr; i++) {
			if (c->gr[i].safi != BGP_SAFI_UNICAST)
				continue;
			if (c->gr[i].afi == BGP_AFI_IPV4)
				n->gr_af |= CONF_AF_IPV4;
			if (c->gr[i].afi == BGP_AFI_IPV6)
				n->gr_af |= CONF_AF_IPV6;
		}
		n->gr = (n->gr_af & n->af) != 0 && n->gr_time > 0 &&
		    conf_neighbor_gr(&p->conf);
	}
	err->action = WIRE_OK;
	return true;
}

static void
log_notification(struct peer *p, const struct wire_notification *nf)
{
	char msg[BGP_SHUTDOWN_MSG_MAX + 1];
	const char *sub = wire_err_subcode_name(nf->code, nf->subcode);

	p->st.last_err_code = nf->code;
	p->st.last_err_subcode = nf->subcode;
	p->st.last_err_sent = false;
	p->st.last_shutdown_msg[0] = '\0';
	if (wire_notification_shutdown_msg(nf, msg)) {
		snprintf(p->st.last_shutdown_msg,
		    sizeof(p->st.last_shutdown_msg), "%s", msg);
		set_reason(p, "peer sent NOTIFICATION %u/%u (%s): \"%s\"",
		    nf->code, nf->subcode, sub, msg);
		peer_log(p, LOG_LVL_WARN,
		    "received NOTIFICATION %u/%u (%s, %s) with shutdown "
		    "message \"%s\"",
		    nf->code, nf->subcode, wire_err_code_name(nf->code), sub,
		    msg);
		return;
	}
	set_reason(p, "peer sent NOTIFICATION %u/%u (%s%s%s)", nf->code,
	    nf->subcode, wire_err_code_name(nf->code), *sub ? ", " : "", sub);
	peer_log(p, LOG_LVL_WARN, "received NOTIFICATION %u/%u (%s%s%s)",
	    nf->code, nf->subcode, wire_err_code_name(nf->code),
	    *sub ? ", " : "", sub);
}

static void
handle_open(struct peer *p, const uint8_t *body, size_t len)
{
	struct wire_open o;

	wire_err_init(&p->pending_err);
	if (wire_open_decode(body, len, &o, &p->pending_err) == -1) {
		set_reason(p, "bad OPEN: %s", p->pending_err.reason);
		p->have_pending_err = true;
		sess_event(p, FSM_EV_OPEN_ERR);
		return;
	}
	if (!open_negotiate(p, &o)) {
		peer_log(p, LOG_LVL_WARN, "refusing its OPEN: %s",
		    p->st.last_reason);
		p->have_pending_err = true;
		sess_event(p, FSM_EV_OPEN_ERR);
		return;
	}
	sess_event(p,
	    ev_is_active(&p->t_delayopen) ? FSM_EV_OPEN_DELAYOPEN
					  : FSM_EV_OPEN);
}

static void
handle_update(struct peer *p, const uint8_t *body, size_t len)
{
	struct wire_update u;
	struct wire_ctx ctx = {
		.as4 = p->nego.as4,
		.ibgp = p->nego.peer_as == p->d->conf->asn,
		.addpath_v4 = (p->nego.addpath_rx & CONF_AF_IPV4) != 0,
		.addpath_v6 = (p->nego.addpath_rx & CONF_AF_IPV6) != 0,
		.ext_message = p->nego.ext_message_rx,
		.scratch = p->scratch,
	};
	struct wire_err *err = &p->pending_err;
	enum wire_action v;
	uint8_t af;

	if (p->state != FSM_ESTABLISHED) {
		sess_event(p, FSM_EV_UPDATE); /* RFC 6608 FSM error */
		return;
	}
	if (!ctx.as4 && p->scratch == NULL) {
		p->scratch = malloc(WIRE_SCRATCH_LEN);
		if (p->scratch == NULL)
			log_fatal("out of memory");
		ctx.scratch = p->scratch;
	}
	wire_err_init(err);
	v = wire_update_decode(&ctx, body, len, &u, err);
	if (v != WIRE_OK) {
		p->st.update_errors++;
		peer_log(p,
		    v >= WIRE_TREAT_AS_WITHDRAW ? LOG_LVL_WARN : LOG_LVL_INFO,
		    "malformed UPDATE (%s, attribute %u): %s",
		    wire_action_name(v), err->attr_type, err->reason);
	}
	if (v == WIRE_SESSION_RESET) {
		set_reason(p, "malformed UPDATE: %s", err->reason);
		p->have_pending_err = true;
		sess_event(p, FSM_EV_UPDATE_ERR);
		return;
	}
	if (v == WIRE_AFISAFI_DISABLE) {
		/* RFC 4760 §7: drop the family for the rest of the session. */
		af = af_of(err->afi, err->safi);
		p->af_disabled |= af;
		peer_log(p, LOG_LVL_WARN,
		    "no longer accepting AFI %u SAFI %u from this peer",
		    err->afi, err->safi);
		if (p->d->hooks.af_drop)
			p->d->hooks.af_drop(p, err->afi, err->safi);
		p->stale_af &= (uint8_t)~af;
	}
	if (u.eor) {
		peer_log(p, LOG_LVL_DEBUG, "End-of-RIB for AFI %u SAFI %u",
		    u.eor_afi, u.eor_safi);
		p->eor_af |= af_of(u.eor_afi, u.eor_safi);
		stale_done(p, u.eor_afi, u.eor_safi);
	}
	p->st.nlri_in += (uint64_t)wire_nlri_check(
	    u.nlri, u.nlri_len, BGP_AFI_IPV4, ctx.addpath_v4);
	p->st.withdraw_in += (uint64_t)wire_nlri_check(
	    u.withdrawn, u.withdrawn_len, BGP_AFI_IPV4, ctx.addpath_v4);
	p->cur_update = &u;
	sess_event(p, FSM_EV_UPDATE);
	p->cur_update = NULL;
}

static void
handle_refresh(struct peer *p, const uint8_t *body, size_t len)
{
	struct wire_rrefresh rr;

	if (p->state != FSM_ESTABLISHED) {
		sess_event(p, FSM_EV_UPDATE); /* RFC 6608 FSM error */
		return;
	}
	wire_err_init(&p->pending_err);
	if (wire_rrefresh_decode(body, len, &rr, &p->pending_err) == -1) {
		/* RFC 7313 §5: the data is the whole message. */
		p->pending_err.data = body - BGP_HDR_LEN;
		p->pending_err.datalen = (uint16_t)(len + BGP_HDR_LEN);
		set_reason(p, "malformed ROUTE-REFRESH");
		p->have_pending_err = true;
		sess_event(p, FSM_EV_UPDATE_ERR);
		return;
	}
	if (!p->nego.route_refresh && !p->nego.enhanced_rr) {
		peer_log(p, LOG_LVL_WARN,
		    "ignoring ROUTE-REFRESH: capability not negotiated");
		return;
	}
	if (af_of(rr.afi, rr.safi) & p->nego.af) {
		if (rr.subtype == BGP_RR_NORMAL && p->d->hooks.refresh)
			p->d->hooks.refresh(p, &rr);
	} else
		peer_log(p, LOG_LVL_INFO,
		    "ignoring ROUTE-REFRESH for AFI %u SAFI %u not in use",
		    rr.afi, rr.safi);
}

/* One whole message; false if the connection went away. */
static bool
handle_message(struct peer *p, const struct wire_hdr *h, const uint8_t *msg)
{
	const uint8_t *body = msg + BGP_HDR_LEN;
	size_t len = h->len - BGP_HDR_LEN;
	struct wire_notification nf;

	p->st.msg_in[h->type]++;
	log_bgp_msg(p->name, false, msg, p->nego.addpath_rx);
	switch (h->type) {
	case BGP_MSG_OPEN:
		handle_open(p, body, len);
		break;
	case BGP_MSG_UPDATE:
		handle_update(p, body, len);
		break;
	case BGP_MSG_NOTIFICATION:
		if (wire_notification_decode(body, len, &nf) == 0)
			log_notification(p, &nf);
		sess_event(p,
		    nf.code == BGP_ERR_OPEN &&
			    nf.subcode == BGP_ERR_OPEN_VERSION
			? FSM_EV_NOTIF_VERSION_ERR
			: FSM_EV_NOTIF);
		break;
	case BGP_MSG_KEEPALIVE:
		sess_event(p, FSM_EV_KEEPALIVE);
		break;
	case BGP_MSG_ROUTE_REFRESH:
		handle_refresh(p, body, len);
		break;
	}
	return p->c.fd != -1;
}

/*
 * Handles whole messages in the receive buffer, at most a batch of
 * them; returns true if complete messages remain.
 */
static bool
handle_messages(struct peer *p, struct conn *c)
{
	size_t max = p->nego.ext_message_rx ? BGP_MAX_MSG_EXT : BGP_MAX_MSG;
	struct wire_hdr h;
	unsigned int n = 0;
	int r;

	while (c->fd != -1 && n < p->d->batch) {
		wire_err_init(&p->pending_err);
		r = wire_hdr_decode(c->rx.data + c->rx.head, buf_used(&c->rx),
		    max, &h, &p->pending_err);
		if (r == 0)
			return false;
		if (r == -1) {
			set_reason(
			    p, "bad message header: %s", p->pending_err.reason);
			peer_log(p, LOG_LVL_WARN, "%s", p->st.last_reason);
			p->have_pending_err = true;
			sess_event(p, FSM_EV_HEADER_ERR);
			return false;
		}
		if (buf_used(&c->rx) < h.len)
			return false;
		c->rx.head += h.len;
		/* The message stays valid: nothing compacts rx meanwhile. */
		if (!handle_message(p, &h, c->rx.data + c->rx.head - h.len))
			return false;
		n++;
	}
	return c->fd != -1;
}

static void
more_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	struct peer *p = w->data;

	if (!handle_messages(p, &p->c)) {
		ev_idle_stop(loop, w);
		if (p->c.fd != -1)
			ev_io_start(loop, &p->c.rio);
	}
}

/* ---- collision detection (RFC 4271 §6.8) ---- */

/*
 * The peer's OPEN has arrived on the second connection: keep the
 * connection opened by the speaker with the higher BGP identifier.
 * If the first one has reached Established meanwhile, the newcomer is
 * closed whatever the identifiers (§6.8).
 */
static void
collision_resolve(struct peer *p, uint32_t remote_id)
{
	struct conn *c2 = &p->c2;
	bool keep_new = p->state != FSM_ESTABLISHED &&
	    (p->d->router_id < remote_id || !p->c.outgoing);

	if (!keep_new) {
		peer_log(p, LOG_LVL_INFO,
		    "connection collision: keeping our own connection");
		send_notification(
		    p, c2, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0);
		conn_flush(c2);
		conn_close(c2);
		return;
	}
	peer_log(p, LOG_LVL_INFO,
	    "connection collision: keeping the peer's connection");
	set_reason(p, "connection collision resolved in favour of the peer");
	sess_event(p, FSM_EV_OPEN_COLLISION_DUMP);
	ev_timer_stop(p->d->loop, &p->t_idlehold);
	sess_event(p, FSM_EV_AUTO_START_PASSIVE);
	/* Adopt the second connection, its OPEN still unread in rx. */
	ev_io_stop(p->d->loop, &c2->rio);
	ev_io_stop(p->d->loop, &c2->wio);
	p->c = *c2;
	conn_open(&p->c, c2->fd, false);
	memset(c2, 0, sizeof(*c2));
	c2->fd = -1;
	c2->peer = p;
	ev_io_start(p->d->loop, &p->c.rio);
	sess_event(p, FSM_EV_TCP_CONFIRMED);
	if (p->c.fd != -1 && handle_messages(p, &p->c))
		ev_idle_start(p->d->loop, &p->w_more);
}

/* Reads the second connection until the peer's OPEN is complete. */
static void
c2_read(struct peer *p, struct conn *c2)
{
	struct wire_hdr h;
	struct wire_err err;
	const uint8_t *m;

	wire_err_init(&err);
	if (wire_hdr_decode(c2->rx.data + c2->rx.head, buf_used(&c2->rx),
		BGP_MAX_MSG, &h, &err) != 1 ||
	    buf_used(&c2->rx) < h.len) {
		if (err.action == WIRE_SESSION_RESET)
			conn_close(c2);
		return;
	}
	m = c2->rx.data + c2->rx.head;
	if (h.type != BGP_MSG_OPEN || h.len < BGP_HDR_LEN + 9) {
		conn_close(c2);
		return;
	}
	collision_resolve(p,
	    (uint32_t)m[24] << 24 | (uint32_t)m[25] << 16 |
		(uint32_t)m[26] << 8 | m[27]);
}

/* ---- socket callbacks ---- */

static void
peer_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = w->data;
	struct peer *p = c->peer;
	ssize_t n;

	buf_reserve(&c->rx, RX_READ);
	n = read(c->fd, c->rx.data + c->rx.len, c->rx.cap - c->rx.len);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		if (c == &p->c2) {
			conn_close(c);
			return;
		}
		set_reason(p,
		    n == 0 ? "peer closed the connection" : "read failed: %s",
		    strerror(errno));
		if (buf_used(&c->rx) > 0 && n == 0)
			set_reason(p,
			    "peer closed the connection in the "
			    "middle of a message");
		peer_log(p, LOG_LVL_INFO, "%s", p->st.last_reason);
		sess_event(p, FSM_EV_TCP_FAILS);
		return;
	}
	c->rx.len += (size_t)n;
	if (c == &p->c2) {
		c2_read(p, c);
		return;
	}
	if (handle_messages(p, c) && p->c.fd != -1) {
		/* More whole messages wait: let timers run first. */
		ev_io_stop(loop, &p->c.rio);
		ev_idle_start(loop, &p->w_more);
	}
}

static void
connect_done(struct peer *p)
{
	struct conn *c = &p->c;
	int err = sock_connect_result(c->fd);

	c->connecting = false;
	if (err != 0) {
		set_reason(p, "connect: %s", strerror(err));
		peer_log(p, LOG_LVL_DEBUG, "connect failed: %s", strerror(err));
		conn_close(c);
		sess_event(p, FSM_EV_TCP_FAILS);
		return;
	}
	ev_io_start(p->d->loop, &c->rio);
	conn_update_interest(c);
	sess_event(p, FSM_EV_TCP_ACKED);
}

static void
peer_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = w->data;

	if (c->connecting) {
		connect_done(c->peer);
		return;
	}
	conn_flush(c);
}

/* ---- life cycle ---- */

struct peer *
sess_new(struct bgpd *d, const struct conf_neighbor *n)
{
	struct peer *p = calloc(1, sizeof(*p));
	char buf[INET6_ADDRSTRLEN];

	if (p == NULL)
		log_fatal("out of memory");
	p->d = d;
	p->conf = *n;
	p->conf.next = NULL;
	p->state = FSM_IDLE;
	p->idle_hold = IDLE_HOLD_MIN;
	p->md5_fail_base = -1;
	conf_addr_str(&n->addr, buf, sizeof(buf));
	snprintf(p->name, sizeof(p->name), "%s", buf);
	conn_init(&p->c, p);
	conn_init(&p->c2, p);
	ev_init(&p->t_connretry, t_connretry_cb);
	ev_init(&p->t_hold, t_hold_cb);
	ev_init(&p->t_keepalive, t_keepalive_cb);
	ev_init(&p->t_sendhold, t_sendhold_cb);
	ev_init(&p->t_idlehold, t_idlehold_cb);
	ev_init(&p->t_delayopen, t_delayopen_cb);
	ev_init(&p->t_gr, t_gr_cb);
	ev_idle_init(&p->w_more, more_cb);
	p->t_connretry.data = p->t_hold.data = p->t_keepalive.data = p;
	p->t_sendhold.data = p->t_idlehold.data = p->t_delayopen.data = p;
	p->t_gr.data = p->w_more.data = p;
	return p;
}

void
sess_start(struct peer *p)
{
	if (p->conf.shutdown) {
		peer_log(p, LOG_LVL_INFO, "administratively shut down");
		return;
	}
	if (p->blocked != 0) {
		peer_log(p, LOG_LVL_INFO, "not started: %s", p->block_why);
		return;
	}
	sess_event(p,
	    p->conf.passive ? FSM_EV_MANUAL_START_PASSIVE
			    : FSM_EV_MANUAL_START);
}

void
sess_stop(struct peer *p, uint8_t cease_subcode, const char *msg)
{
	uint8_t buf[BGP_MAX_MSG];
	size_t n;

	ev_timer_stop(p->d->loop, &p->t_idlehold);
	conn_close(&p->c2);
	stale_flush_all(p);
	if (p->state == FSM_IDLE)
		return;
	if (p->c.fd != -1 && !p->c.connecting && p->state >= FSM_OPENSENT) {
		n = wire_shutdown_encode(cease_subcode, msg, buf, sizeof(buf));
		if (n > 0) {
			peer_log(p, LOG_LVL_INFO,
			    "sending NOTIFICATION 6/%u (%s)%s%s%s",
			    cease_subcode,
			    wire_err_subcode_name(BGP_ERR_CEASE, cease_subcode),
			    msg && *msg ? ": \"" : "", msg ? msg : "",
			    msg && *msg ? "\"" : "");
			p->st.last_err_code = BGP_ERR_CEASE;
			p->st.last_err_subcode = cease_subcode;
			p->st.last_err_sent = true;
			snprintf(p->st.last_shutdown_msg,
			    sizeof(p->st.last_shutdown_msg), "%s",
			    msg ? msg : "");
			send_control(p, &p->c, buf, n);
		}
	}
	set_reason(p, "stopped: %s",
	    wire_err_subcode_name(BGP_ERR_CEASE, cease_subcode));
	/* The NOTIFICATION is already queued: stop without another. */
	p->deleting = true;
	conn_flush(&p->c);
	if (p->state == FSM_ESTABLISHED)
		do_delete_routes(p, false);
	conn_close(&p->c);
	ev_timer_stop(p->d->loop, &p->t_connretry);
	ev_timer_stop(p->d->loop, &p->t_hold);
	ev_timer_stop(p->d->loop, &p->t_keepalive);
	ev_timer_stop(p->d->loop, &p->t_sendhold);
	ev_timer_stop(p->d->loop, &p->t_delayopen);
	do_release(p);
	peer_log(
	    p, LOG_LVL_INFO, "%s -> Idle (stopped)", fsm_state_name(p->state));
	p->state = FSM_IDLE;
	p->st.last_change = time(NULL);
	p->deleting = false;
}

void
sess_free(struct peer *p)
{
	struct ev_loop *loop = p->d->loop;

	conn_close(&p->c);
	conn_close(&p->c2);
	ev_timer_stop(loop, &p->t_connretry);
	ev_timer_stop(loop, &p->t_hold);
	ev_timer_stop(loop, &p->t_keepalive);
	ev_timer_stop(loop, &p->t_sendhold);
	ev_timer_stop(loop, &p->t_idlehold);
	ev_timer_stop(loop, &p->t_delayopen);
	ev_timer_stop(loop, &p->t_gr);
	ev_idle_stop(loop, &p->w_more);
	free(p->scratch);
	free(p);
}

void
sess_reconfigure(struct peer *p, const struct conf_neighbor *n, bool reset)
{
	bool was_shut = p->conf.shutdown;

	p->conf = *n;
	p->conf.next = NULL;
	if (p->held_down && reset) {
		/* New settings lift a hold-down (e.g. a raised limit). */
		p->held_down = false;
		ev_timer_stop(p->d->loop, &p->t_idlehold);
	}
	if (n->shutdown && !was_shut) {
		sess_stop(p, BGP_CEASE_ADMIN_SHUTDOWN, n->shutdown_msg);
		return;
	}
	if (reset && !n->shutdown && p->state != FSM_IDLE) {
		sess_stop(p, BGP_CEASE_CONFIG_CHANGE, NULL);
		sess_start(p);
		return;
	}
	if (!n->shutdown && (was_shut || p->state == FSM_IDLE) &&
	    !ev_is_active(&p->t_idlehold))
		sess_start(p);
}

void
sess_accept(struct peer *p, int fd)
{
	const struct conf_neighbor *n = &p->conf;
	int ttl, minttl;

	peer_ttl(p, &ttl, &minttl);
	if (sock_ttl(fd, n->addr.family, ttl, minttl) == -1)
		peer_log(p, LOG_LVL_WARN, "cannot set TTL on connection: %s",
		    strerror(errno));
	if (n->shutdown) {
		peer_log(p, LOG_LVL_INFO,
		    "connection refused: administratively shut down");
		close(fd);
		return;
	}
	if (p->blocked != 0) {
		peer_log(
		    p, LOG_LVL_INFO, "connection refused: %s", p->block_why);
		close(fd);
		return;
	}
	switch (p->state) {
	case FSM_IDLE:
		/* Starting again is due; take the connection now. */
		if (!ev_is_active(&p->t_idlehold) || p->held_down) {
			close(fd);
			return;
		}
		ev_timer_stop(p->d->loop, &p->t_idlehold);
		sess_event(p, FSM_EV_AUTO_START_PASSIVE);
		/* FALLTHROUGH */
	case FSM_CONNECT:
	case FSM_ACTIVE:
		/* An attempt of ours still in progress gives way. */
		conn_close(&p->c);
		conn_open(&p->c, fd, false);
		ev_io_start(p->d->loop, &p->c.rio);
		sess_event(p, FSM_EV_TCP_CONFIRMED);
		return;
	case FSM_OPENSENT:
	case FSM_OPENCONFIRM:
		if (p->c2.fd != -1) {
			close(fd);
			return;
		}
		conn_open(&p->c2, fd, false);
		ev_io_start(p->d->loop, &p->c2.rio);
		if (p->state == FSM_OPENCONFIRM)
			peer_log(p, LOG_LVL_DEBUG,
			    "second connection in OpenConfirm; "
			    "resolving on its OPEN");
		return;
	case FSM_ESTABLISHED:
	default: {
		uint8_t buf[BGP_HDR_LEN + 2];
		size_t len = wire_notification_encode(BGP_ERR_CEASE,
		    BGP_CEASE_COLLISION, NULL, 0, buf, sizeof(buf));

		peer_log(p, LOG_LVL_INFO,
		    "connection refused: session already established");
		if (write(fd, buf, len) < 0) {
			/* The refusal is best effort. */
		}
		close(fd);
		return;
	}
	}
}

const char *
sess_state_name(const struct peer *p)
{
	return fsm_state_name(p->state);
}

bool
sess_local_addr(const struct peer *p, struct conf_addr *a)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (p->c.fd == -1 ||
	    getsockname(p->c.fd, (struct sockaddr *)&ss, &len) == -1)
		return false;
	return sock_addr_get(&ss, a, NULL);
}

void
sess_hold_down(struct peer *p, uint8_t cease_subcode, double seconds)
{
	sess_stop(p, cease_subcode, NULL);
	p->held_down = true;
	if (seconds > 0) {
		peer_log(p, LOG_LVL_WARN, "held down for %.0f s", seconds);
		timer_start(p, &p->t_idlehold, seconds);
	} else
		peer_log(p, LOG_LVL_WARN, "held down until it is reconfigured");
}

void
sess_block(struct peer *p, unsigned cond, bool on, uint8_t cease_subcode,
    const char *why)
{
	unsigned was = p->blocked;

	if (on)
		p->blocked |= cond;
	else
		p->blocked &= ~cond;
	if (p->blocked == was)
		return;
	if (why != NULL)
		snprintf(p->block_why, sizeof(p->block_why), "%s", why);
	if (on && was == 0) {
		peer_log(
		    p, LOG_LVL_WARN, "session kept down: %s", p->block_why);
		sess_stop(p, cease_subcode, NULL);
		set_reason(p, "kept down: %s", p->block_why);
		return;
	}
	if (!on && p->blocked == 0) {
		peer_log(p, LOG_LVL_INFO, "may start again: %s", p->block_why);
		p->idle_hold = IDLE_HOLD_MIN;
		if (!p->held_down && p->state == FSM_IDLE) {
			ev_timer_stop(p->d->loop, &p->t_idlehold);
			sess_start(p);
		}
	}
}
