/*
 * test_session.c: tests bgpd/session.c, bgpd/bgpd.c and
 * bgpd/sess_sock.c over loopback sockets.
 *
 * dxbgpd's side runs on a private libev loop: a struct bgpd listening on
 * 127.0.0.1 with one neighbor, 127.0.0.2.  The test itself is that
 * neighbor, a "fake peer" speaking BGP with plain sockets and the codec
 * of include/dxbgp/wire.h: it listens on 127.0.0.2 (dxbgpd connects to
 * it through "neighbor 127.0.0.2 port P") and connects to dxbgpd from
 * 127.0.0.2.  Both run in this one thread: run_until() alternates a
 * non-blocking turn of the loop with a short poll() on the fake's
 * sockets until a condition holds, and fails the test on a timeout.
 *
 * Each test checks what an operator would see: the peer's state, the
 * NOTIFICATION (code, subcode, data) the remote side receives, the
 * peer's statistics and its last_reason.  Covered: establishment,
 * active and passive (RFC 4271 §8), capability negotiation (RFC 5492),
 * TCP MD5 (RFC 2385), the hold timer (§10), collisions (§6.8), the
 * send hold timer (RFC 9687), framing errors (§6.1) and extended
 * messages (RFC 8654), OPEN errors (§6.2), UPDATE errors (§6.3, RFC
 * 7606), ROUTE-REFRESH errors (RFC 7313), FSM errors (RFC 6608),
 * shutdown communications (RFC 9003), configuration changes, the
 * graceful restart helper (RFC 4724 §4.2), seen through struct
 * sess_hooks as a RIB would see it, and KEEPALIVEs that keep flowing
 * while a burst of UPDATEs is read in bounded batches.  Timers are
 * short (hold 3 s, connect retry 1 s) so that every test ends by
 * itself within a few seconds.
 *
 * TEST_SESSION_LOG=1 shows dxbgpd's log; TEST_SESSION_ONLY=pattern
 * runs the matching tests alone.
 */

#include "session_test.h"

static bool
pred_c2_accepted(struct env *e, void *arg)
{
	(void)arg;
	return e->p->c2.fd != -1;
}

static bool
pred_msg_in(struct env *e, void *arg)
{
	const uint64_t *want = arg;

	return e->p->st.msg_in[BGP_MSG_KEEPALIVE] >= *want;
}

static bool
pred_eof(struct env *e, void *arg)
{
	struct fconn *c = arg;

	(void)e;
	fconn_fill(c);
	return c->eof;
}

static bool
pred_connected(struct env *e, void *arg)
{
	struct fconn *c = arg;
	struct pollfd pfd = { c->fd, POLLOUT, 0 };

	(void)e;
	return poll(&pfd, 1, 0) == 1;
}

/*
 * Skips KEEPALIVEs until a NOTIFICATION, which must carry exactly
 * code, subcode and data.
 */
static void
fake_expect_notification(struct env *e, struct fconn *c, double secs,
    uint8_t code, uint8_t subcode, const void *data, size_t datalen)
{
	const struct msg *m;
	struct wire_notification nf;

	do
		m = fake_recv(e, c, secs);
	while (m->type == BGP_MSG_KEEPALIVE);
	if (m->type != BGP_MSG_NOTIFICATION)
		fail_msg("fake peer: got message type %u, expected a "
			 "NOTIFICATION",
		    m->type);
	assert_int_equal(wire_notification_decode(
			     m->buf + BGP_HDR_LEN, m->len - BGP_HDR_LEN, &nf),
	    0);
	if (nf.code != code || nf.subcode != subcode)
		fail_msg("fake peer: got NOTIFICATION %u/%u, expected %u/%u",
		    nf.code, nf.subcode, code, subcode);
	assert_int_equal(nf.datalen, datalen);
	if (datalen > 0)
		assert_memory_equal(nf.data, data, datalen);
}

/* Nothing but KEEPALIVEs, then the connection closes. */
static void
fake_expect_eof(struct env *e, struct fconn *c)
{
	run_until(e, pred_eof, c, 3, "dxbgpd to close the connection");
	while (fconn_msg_len(c) > 0)
		if (fake_recv(e, c, 1)->type != BGP_MSG_KEEPALIVE)
			fail_msg("fake peer: unexpected message type %u "
				 "before the close",
			    e->m.type);
}

static int fake_md5(int fd, const char *key);

/*
 * Starts connecting from 127.0.0.2 to dxbgpd's listener, with an MD5
 * key if key is not NULL.
 */
static void
fake_connect_start(struct env *e, struct fconn *c, const char *key)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };

	fconn_close(c);
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(c->fd != -1);
	if (key != NULL)
		assert_int_equal(fake_md5(c->fd, key), 0);
	inet_pton(AF_INET, FAKE_ADDR, &sin.sin_addr);
	assert_int_equal(bind(c->fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	sin.sin_port = htons(e->dx_port);
	inet_pton(AF_INET, DX_ADDR, &sin.sin_addr);
	if (connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
		assert_int_equal(errno, EINPROGRESS);
}

static void
fake_connect(struct env *e, struct fconn *c)
{
	int err = 0;
	socklen_t len = sizeof(err);

	fake_connect_start(e, c, NULL);
	run_until(e, pred_connected, c, 2, "the connection to dxbgpd");
	assert_int_equal(
	    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len), 0);
	assert_int_equal(err, 0);
}

/* Sets (key non-empty) the TCP MD5 key for 127.0.0.1 on a socket. */
static int
fake_md5(int fd, const char *key)
{
	struct tcp_md5sig md5;
	struct sockaddr_in *sin = (struct sockaddr_in *)&md5.tcpm_addr;

	memset(&md5, 0, sizeof(md5));
	sin->sin_family = AF_INET;
	inet_pton(AF_INET, DX_ADDR, &sin->sin_addr);
	md5.tcpm_keylen = (uint16_t)strlen(key);
	memcpy(md5.tcpm_key, key, strlen(key));
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5));
}

/*
 * An UPDATE filling cap: /32s out of 10/8 with the attributes of
 * ipv4_attrs().  Returns its length and the prefix count in *n.
 */
static size_t
full_update(
    uint8_t *buf, size_t cap, uint32_t asn, uint32_t nh, unsigned int *n)
{
	struct wire_upd_builder ub;
	struct wire_prefix pfx = { .afi = BGP_AFI_IPV4, .len = 32 };
	uint8_t attrs[64];
	size_t alen, len;

	alen = ipv4_attrs(attrs, sizeof(attrs), asn, nh);
	wire_upd_begin(&ub, buf, cap, BGP_AFI_IPV4, false);
	assert_true(wire_upd_attrs(&ub, attrs, alen, NULL, 0));
	pfx.addr[0] = 10;
	for (*n = 0; wire_upd_announce(&ub, &pfx); (*n)++) {
		pfx.addr[2] = (uint8_t)((*n + 1) >> 8);
		pfx.addr[3] = (uint8_t)(*n + 1);
	}
	len = wire_upd_finish(&ub);
	assert_true(len > cap - 8);
	return len;
}

static void
assert_reason(struct env *e, const char *part)
{
	if (strstr(e->p->st.last_reason, part) == NULL)
		fail_msg("last_reason \"%s\" does not mention \"%s\"",
		    e->p->st.last_reason, part);
}

/* ---- establishing ---- */

/*
 * dxbgpd connects; its OPEN says what the configuration says; the
 * session comes up with the smaller hold time and what both support.
 */
static void
test_establish_active(void **state)
{
	struct env *e = *state;
	struct wire_open dx, o;
	const struct wire_caps *c = &dx.caps;

	dx_start(e, DX_AS, " neighbor " FAKE_ADDR " timers 2 6\n");
	fake_accept(e, &e->a);
	fake_expect_open(e, &e->a, &dx);
	assert_int_equal(dx.version, BGP_VERSION);
	assert_int_equal(dx.my_as, BGP_AS_TRANS);
	assert_int_equal(dx.holdtime, 6);
	assert_int_equal(dx.bgp_id, DX_ID);
	assert_true(c->have & WIRE_CAP_MP);
	assert_true(wire_caps_has_mp(c, BGP_AFI_IPV4, BGP_SAFI_UNICAST));
	assert_false(wire_caps_has_mp(c, BGP_AFI_IPV6, BGP_SAFI_UNICAST));
	assert_true(c->have & WIRE_CAP_RR);
	assert_true(c->have & WIRE_CAP_ERR);
	assert_true(c->have & WIRE_CAP_AS4);
	assert_int_equal(c->as4, DX_AS);
	assert_true(c->have & WIRE_CAP_GR);
	assert_int_equal(c->gr_time, CONF_GR_RESTART_TIME_DEFAULT);
	assert_int_equal(c->n_gr, 0); /* a helper: no families preserved */
	assert_true(c->have & WIRE_CAP_EXTMSG);
	assert_true(c->have & WIRE_CAP_ADDPATH);
	assert_int_equal(wire_caps_addpath(c, BGP_AFI_IPV4, BGP_SAFI_UNICAST),
	    BGP_ADDPATH_RECEIVE);
	assert_int_equal(e->p->state, FSM_OPENSENT);

	fake_open(&o, FAKE_ID, 4);
	o.caps.have |= WIRE_CAP_EXTMSG | WIRE_CAP_ADDPATH;
	o.caps.addpath[o.caps.n_addpath++] = (struct wire_afsafi){ BGP_AFI_IPV4,
		BGP_SAFI_UNICAST, BGP_ADDPATH_SEND };
	fake_send_open(&e->a, &o);
	fake_expect(e, &e->a, BGP_MSG_KEEPALIVE);
	assert_int_equal(e->p->state, FSM_OPENCONFIRM);
	fake_send_keepalive(&e->a);
	wait_state(e, FSM_ESTABLISHED, 2);

	assert_true(e->p->c.outgoing);
	assert_int_equal(e->p->nego.holdtime, 4);
	assert_true(e->p->nego.keepalive >= 1);
	assert_true(e->p->nego.keepalive <= 4 / 3);
	assert_int_equal(e->p->nego.peer_as, FAKE_AS);
	assert_int_equal(e->p->nego.peer_id, FAKE_ID);
	assert_true(e->p->nego.as4);
	assert_true(e->p->nego.ext_message_rx);
	assert_true(e->p->nego.ext_message_tx);
	assert_true(e->p->nego.route_refresh);
	assert_false(e->p->nego.enhanced_rr);
	assert_int_equal(e->p->nego.af, CONF_AF_IPV4);
	assert_int_equal(e->p->nego.addpath_rx, CONF_AF_IPV4);
	assert_int_equal(sess_max_msg(e->p), BGP_MAX_MSG_EXT);
	assert_int_equal(e->p->st.established, 1);
	assert_int_equal(e->p->st.msg_in[BGP_MSG_OPEN], 1);
	assert_int_equal(e->p->st.msg_out[BGP_MSG_OPEN], 1);
	assert_string_equal(sess_state_name(e->p), "Established");
	/* The negotiated keepalive interval: one within 1.5 s. */
	fake_expect(e, &e->a, BGP_MSG_KEEPALIVE);
}

/* "neighbor X passive": dxbgpd waits; the fake connects to it. */
static void
test_establish_passive(void **state)
{
	struct env *e = *state;
	struct wire_open dx, o;

	dx_start(e, DX_AS2, " neighbor " FAKE_ADDR " passive\n");
	wait_state(e, FSM_ACTIVE, 1);
	fake_connect(e, &e->b);
	fake_expect_open(e, &e->b, &dx);
	assert_int_equal(dx.my_as, DX_AS2);
	assert_int_equal(dx.caps.as4, DX_AS2);
	assert_int_equal(dx.holdtime, 3);
	fake_open(&o, FAKE_ID, 90);
	fake_send_open(&e->b, &o);
	fake_send_keepalive(&e->b);
	fake_expect(e, &e->b, BGP_MSG_KEEPALIVE);
	wait_state(e, FSM_ESTABLISHED, 2);
	assert_false(e->p->c.outgoing);
	assert_int_equal(e->p->nego.holdtime, 3);
	assert_int_equal(e->p->nego.keepalive, 1);
	assert_false(e->p->nego.ext_message_tx);
	assert_int_equal(sess_max_msg(e->p), BGP_MAX_MSG);
	/* A passive peer never connects. */
	assert_false(pred_accept(e, &e->a));
}

/* Nobody listens: the reason says so, and dxbgpd keeps trying. */
static void
test_connection_refused(void **state)
{
	struct env *e = *state;
	struct wire_open dx;

	close(e->lfd);
	e->lfd = -1;
	dx_start(e, DX_AS, "");
	run_until(e, pred_not_state, &(enum fsm_state){ FSM_CONNECT }, 2,
	    "the connection attempt to fail");
	assert_reason(e, "connect: Connection refused");
	assert_int_equal(e->p->st.established, 0);
	/* The fake comes up: the next attempt finds it. */
	fake_listen(e);
	fconn_close(&e->a);
	run_until(e, pred_accept, &e->a, 5, "dxbgpd to try again");
	fake_expect_open(e, &e->a, &dx);
}

/*
 * A passive peer that lost its session takes the peer's next
 * connection at once, without waiting for its restart timer.
 */
static void
test_passive_reconnect(void **state)
{
	struct env *e = *state;
	struct wire_open dx, o;

	dx_start(e, DX_AS, " neighbor " FAKE_ADDR " passive\n");
	fake_open(&o, FAKE_ID, 90);
	fake_connect(e, &e->b);
	fake_expect_open(e, &e->b, &dx);
	fake_send_open(&e->b, &o);
	fake_send_keepalive(&e->b);
	wait_state(e, FSM_ESTABLISHED, 2);
	assert_int_equal(shutdown(e->b.fd, SHUT_WR), 0);
	wait_state(e, FSM_IDLE, 2);
	assert_reason(e, "peer closed the connection");
	fake_expect_eof(e, &e->b);
	fake_connect(e, &e->b);
	fake_expect_open(e, &e->b, &dx);
	fake_send_open(&e->b, &o);
	fake_send_keepalive(&e->b);
	wait_state(e, FSM_ESTABLISHED, 2);
	assert_int_equal(e->p->st.established, 2);
	assert_int_equal(e->p->st.dropped, 1);
}

/* The peer refuses our OPEN: its NOTIFICATION is what the operator sees. */
static void
test_peer_rejects_open(void **state)
{
	struct env *e = *state;
	struct wire_open dx;
	uint8_t buf[BGP_MAX_MSG];
	static const uint8_t cap[] = { BGP_CAP_MP, 4, 0, BGP_AFI_IPV6, 0,
		BGP_SAFI_UNICAST };
	size_t n;

	dx_start(e, DX_AS, "");
	fake_accept(e, &e->a);
	fake_expect_open(e, &e->a, &dx);
	n = wire_notification_encode(BGP_ERR_OPEN, BGP_ERR_OPEN_CAPABILITY, cap,
	    sizeof(cap), buf, sizeof(buf));
	fake_send(&e->a, buf, n);
	fake_expect_eof(e, &e->a);
	wait_state(e, FSM_IDLE, 1);
	assert_last_err(e, BGP_ERR_OPEN, BGP_ERR_OPEN_CAPABILITY, false);
	assert_reason(e, "peer sent NOTIFICATION 2/7");
	assert_int_equal(e->p->st.msg_in[BGP_MSG_NOTIFICATION], 1);
	assert_int_equal(e->p->st.msg_out[BGP_MSG_NOTIFICATION], 0);
}

/* ---- TCP MD5 (RFC 2385) ---- */

static void
md5_or_skip(struct env *e, const char *key)
{
	if (fake_md5(e->lfd, key) == -1) {
		print_message(
		    "TCP_MD5SIG not available: %s\n", strerror(errno));
		skip();
	}
}

static void
test_md5_good(void **state)
{
	struct env *e = *state;
	struct wire_open o;

	md5_or_skip(e, MD5_KEY);
	dx_start(e, DX_AS, " neighbor " FAKE_ADDR " password " MD5_KEY "\n");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
}

/*
 * No connection ever reaches the fake; the reason says why: MD5 where
 * the kernel's MD5 failure counters can be read (the fake's kernel is
 * dxbgpd's here), else that the connection got no answer.
 */
static void
md5_refused(struct env *e)
{
	assert_false(run_for(e, pred_accept, &e->a, 3));
	assert_true(e->p->state != FSM_ESTABLISHED);
	assert_int_equal(e->p->st.established, 0);
	if (sock_md5_failures() >= 0)
		assert_reason(e, "MD5");
	else
		assert_reason(e, "no answer");
}

static void
test_md5_wrong_key(void **state)
{
	struct env *e = *state;

	md5_or_skip(e, "not-the-" MD5_KEY);
	dx_start(e, DX_AS, " neighbor " FAKE_ADDR " password " MD5_KEY "\n");
	md5_refused(e);
}

static void
test_md5_missing_key(void **state)
{
	struct env *e = *state;

	md5_or_skip(e, MD5_KEY); /* only to skip where MD5 is missing */
	assert_int_equal(fake_md5(e->lfd, ""), 0);
	dx_start(e, DX_AS, " neighbor " FAKE_ADDR " password " MD5_KEY "\n");
	md5_refused(e);
}

/*
 * Passive with a password: dxbgpd's listening socket carries the key,
 * so a connection without it never completes; with it, the session
 * comes up.
 */
static void
test_md5_passive(void **state)
{
	struct env *e = *state;
	struct wire_open dx, o;

	md5_or_skip(e, MD5_KEY);
	dx_start(e, DX_AS,
	    " neighbor " FAKE_ADDR " password " MD5_KEY "\n"
	    " neighbor " FAKE_ADDR " passive\n");
	fake_connect_start(e, &e->b, NULL);
	assert_false(run_for(e, pred_connected, &e->b, 1.5));
	assert_int_equal(e->p->state, FSM_ACTIVE);
	fake_connect_start(e, &e->b, MD5_KEY);
	run_until(e, pred_connected, &e->b, 2, "the keyed connection");
	fake_expect_open(e, &e->b, &dx);
	fake_open(&o, FAKE_ID, 90);
	fake_send_open(&e->b, &o);
	fake_send_keepalive(&e->b);
	fake_expect(e, &e->b, BGP_MSG_KEEPALIVE);
	wait_state(e, FSM_ESTABLISHED, 2);
}

/* ---- timers ---- */

/* The fake falls silent: NOTIFICATION 4/0 after 3 s, then a new try. */
static void
test_hold_timer_expiry(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	double t0, dt;

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	t0 = now();
	fake_expect_notification(
	    e, &e->a, 5, BGP_ERR_HOLD, FSM_SUBCODE_UNSPECIFIC, NULL, 0);
	dt = now() - t0;
	if (dt < 2.5 || dt > 4)
		fail_msg("hold timer of 3 s expired after %.2f s", dt);
	wait_not_state(e, FSM_ESTABLISHED, 1);
	assert_reason(e, "hold timer expired");
	assert_last_err(e, BGP_ERR_HOLD, FSM_SUBCODE_UNSPECIFIC, true);
	assert_int_equal(e->p->st.dropped, 1);
	fake_expect_eof(e, &e->a);
	/* dxbgpd starts again by itself. */
	fake_accept(e, &e->a);
	fake_expect(e, &e->a, BGP_MSG_OPEN);
}

/* An UPDATE dxbgpd sends as often as its queue takes it. */
struct flood {
	uint8_t msg[BGP_MAX_MSG];
	size_t len;
	uint64_t sent;
	double last; /* when the queue last took one */
};

/* Keeps the queue full, as the RIB would, until the session drops. */
static bool
pred_flood_down(struct env *e, void *arg)
{
	struct flood *f = arg;

	while (
	    e->p->state == FSM_ESTABLISHED && sess_send(e->p, f->msg, f->len)) {
		f->sent++;
		f->last = now();
	}
	return e->p->state != FSM_ESTABLISHED;
}

/*
 * The fake stops reading while it keeps sending KEEPALIVEs, and
 * dxbgpd has routes to send: once nothing more can be written for the
 * send hold time (2 x hold time, at least sendhold_min), the session
 * ends, though the hold timer is content.
 */
static void
test_send_hold_timer(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	struct flood f = { .sent = 0 };
	int small = 2048;
	unsigned int n;
	double dt;

	assert_int_equal(
	    setsockopt(e->lfd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)),
	    0);
	e->d->sendhold_min = 2;
	e->d->tx_limit = 64 * 1024;
	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	assert_int_equal(e->p->sendhold, 6);
	e->ka = &e->a;
	e->ka_next = now() + 1;
	f.len = full_update(f.msg, sizeof(f.msg), DX_AS, 0x7f000001, &n);
	run_until(e, pred_flood_down, &f, 20, "the session to drop");
	dt = now() - f.last;
	if (dt < 5 || dt > 7.5)
		fail_msg("send hold timer of 6 s expired %.2f s after the "
			 "last UPDATE was queued",
		    dt);
	assert_int_equal(e->p->st.msg_out[BGP_MSG_UPDATE], f.sent);
	assert_reason(e, "send hold timer");
	assert_last_err(e, BGP_ERR_SEND_HOLD, FSM_SUBCODE_UNSPECIFIC, true);
	assert_int_equal(e->p->st.dropped, 1);
	assert_int_equal(e->p->st.msg_in[BGP_MSG_NOTIFICATION], 0);
}

/* ---- collisions (RFC 4271 §6.8) ---- */

/*
 * Both sides connect at once and both OPENs cross; the connection
 * opened by the speaker with the higher BGP identifier survives, the
 * other gets Cease/7.
 */
static void
collision(struct env *e, uint32_t fake_id)
{
	struct wire_open dx, o;
	bool fake_wins = fake_id > DX_ID;
	struct fconn *win = fake_wins ? &e->b : &e->a;
	struct fconn *lose = fake_wins ? &e->a : &e->b;

	dx_start(e, DX_AS, "");
	fake_accept(e, &e->a);
	fake_expect_open(e, &e->a, &dx);
	fake_connect(e, &e->b);
	run_until(e, pred_c2_accepted, NULL, 2,
	    "dxbgpd to accept the second connection");
	assert_int_equal(e->p->state, FSM_OPENSENT);
	fake_open(&o, fake_id, 90);
	fake_send_open(&e->a, &o);
	fake_send_open(&e->b, &o);

	fake_expect_notification(
	    e, lose, 3, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0);
	fake_expect_eof(e, lose);
	if (fake_wins)
		fake_expect_open(e, win, &dx);
	fake_expect(e, win, BGP_MSG_KEEPALIVE);
	fake_send_keepalive(win);
	wait_state(e, FSM_ESTABLISHED, 2);
	assert_int_equal(e->p->c.outgoing, !fake_wins);
	assert_int_equal(e->p->c2.fd, -1);
	assert_int_equal(e->p->nego.peer_id, fake_id);
	assert_int_equal(e->p->st.established, 1);
	/* The survivor carries on: KEEPALIVEs flow on it alone. */
	fake_expect(e, win, BGP_MSG_KEEPALIVE);
	assert_int_equal(e->p->state, FSM_ESTABLISHED);
}

static void
test_collision_fake_higher_id(void **state)
{
	struct env *e = *state;

	collision(e, FAKE_ID);
	assert_reason(e, "collision");
}

static void
test_collision_fake_lower_id(void **state)
{
	collision(*state, LOW_ID);
}

/*
 * The second connection's OPEN arrives only once the first connection
 * is Established: §6.8 closes the newcomer, whatever the identifiers.
 */
static void
test_collision_after_established(void **state)
{
	struct env *e = *state;
	struct wire_open dx, o;

	dx_start(e, DX_AS, "");
	fake_accept(e, &e->a);
	fake_expect_open(e, &e->a, &dx);
	fake_open(&o, FAKE_ID, 90);
	fake_send_open(&e->a, &o);
	fake_expect(e, &e->a, BGP_MSG_KEEPALIVE);
	fake_connect(e, &e->b);
	run_until(e, pred_c2_accepted, NULL, 2,
	    "dxbgpd to accept the second connection");
	assert_int_equal(e->p->state, FSM_OPENCONFIRM);
	fake_send_keepalive(&e->a);
	wait_state(e, FSM_ESTABLISHED, 2);
	fake_send_open(&e->b, &o);
	fake_expect_notification(
	    e, &e->b, 2, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0);
	fake_expect_eof(e, &e->b);
	assert_int_equal(e->p->state, FSM_ESTABLISHED);
	assert_true(e->p->c.outgoing);
	assert_int_equal(e->p->st.dropped, 0);
	fake_send_keepalive(&e->a);
	fake_expect(e, &e->a, BGP_MSG_KEEPALIVE);
	assert_int_equal(e->p->state, FSM_ESTABLISHED);
}

/* A new connection to an Established session is refused with 6/7. */
static void
test_connect_while_established(void **state)
{
	struct env *e = *state;
	struct wire_open o;

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	fake_connect(e, &e->b);
	fake_expect_notification(
	    e, &e->b, 2, BGP_ERR_CEASE, BGP_CEASE_COLLISION, NULL, 0);
	fake_expect_eof(e, &e->b);
	assert_int_equal(e->p->state, FSM_ESTABLISHED);
	assert_int_equal(e->p->st.dropped, 0);
}

/* ---- errors from the peer ---- */

static void
test_close_mid_message(void **state)
{
	struct env *e = *state;
	struct wire_open o;

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	/* The first 32 bytes of a 47-byte UPDATE, then a FIN. */
	fake_send_hex(&e->a,
	    "ffffffffffffffffffffffffffffffff 002f 02"
	    "0000 0014 40010100 4002060201");
	assert_int_equal(shutdown(e->a.fd, SHUT_WR), 0);
	wait_not_state(e, FSM_ESTABLISHED, 2);
	assert_reason(e, "middle of a message");
	assert_int_equal(e->p->st.dropped, 1);
}

/* With extended messages (RFC 8654), a 5000-byte UPDATE is fine. */
static void
test_extended_message(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	uint8_t msg[5000];
	size_t len;
	unsigned int n;
	uint64_t ka;

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	o.caps.have |= WIRE_CAP_EXTMSG;
	establish_active(e, &o);
	assert_true(e->p->nego.ext_message_rx);
	len = full_update(msg, sizeof(msg), FAKE_AS, 0x7f000002, &n);
	assert_true(len > BGP_MAX_MSG);
	ka = e->p->st.msg_in[BGP_MSG_KEEPALIVE] + 1;
	fake_send(&e->a, msg, len);
	fake_send_keepalive(&e->a);
	run_until(e, pred_msg_in, &ka, 2, "the KEEPALIVE after the UPDATE");
	assert_int_equal(e->p->state, FSM_ESTABLISHED);
	assert_int_equal(e->p->st.msg_in[BGP_MSG_UPDATE], 1);
	assert_int_equal(e->p->st.update_errors, 0);
	assert_int_equal(e->p->st.nlri_in, n);
}

/* Without extended messages, 4096 is the limit: 1/2 with the length. */
static void
test_oversized_message(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	static const uint8_t len[] = { 0x13, 0x88 };

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	assert_false(e->p->nego.ext_message_rx);
	fake_send_hex(&e->a, "ffffffffffffffffffffffffffffffff 1388 02");
	fake_expect_notification(
	    e, &e->a, 2, BGP_ERR_HEADER, BGP_ERR_HDR_LEN, len, sizeof(len));
	wait_not_state(e, FSM_ESTABLISHED, 1);
	assert_last_err(e, BGP_ERR_HEADER, BGP_ERR_HDR_LEN, true);
	assert_reason(e, "bad message header");
	fake_expect_eof(e, &e->a);
}

/* dxbgpd refuses the fake's OPEN with code/subcode/data. */
static void
bad_open(struct env *e, const struct wire_open *o, uint8_t subcode,
    const void *data, size_t datalen, const char *reason)
{
	struct wire_open dx;

	dx_start(e, DX_AS, "");
	fake_accept(e, &e->a);
	fake_expect_open(e, &e->a, &dx);
	fake_send_open(&e->a, o);
	fake_expect_notification(
	    e, &e->a, 2, BGP_ERR_OPEN, subcode, data, datalen);
	fake_expect_eof(e, &e->a);
	wait_state(e, FSM_IDLE, 1);
	assert_last_err(e, BGP_ERR_OPEN, subcode, true);
	assert_int_equal(e->p->st.established, 0);
	assert_reason(e, reason);
}

static void
test_open_bad_peer_as(void **state)
{
	struct wire_open o;

	fake_open(&o, FAKE_ID, 90);
	o.my_as = 65003;
	o.caps.as4 = 65003;
	bad_open(*state, &o, BGP_ERR_OPEN_PEER_AS, NULL, 0, "AS 65003");
}

static void
test_open_bad_holdtime(void **state)
{
	struct wire_open o;

	fake_open(&o, FAKE_ID, 2);
	bad_open(*state, &o, BGP_ERR_OPEN_HOLDTIME, NULL, 0, "bad OPEN");
}

static void
test_open_no_common_family(void **state)
{
	struct wire_open o;
	static const uint8_t mp_v4[] = { BGP_CAP_MP, 4, 0, BGP_AFI_IPV4, 0,
		BGP_SAFI_UNICAST };

	fake_open(&o, FAKE_ID, 90);
	o.caps.mp[0].afi = BGP_AFI_IPV6;
	bad_open(*state, &o, BGP_ERR_OPEN_CAPABILITY, mp_v4, sizeof(mp_v4),
	    "address families");
}

/* An NLRI prefix of length 33 cannot be parsed: 3/10, session reset. */
static void
test_update_bad_nlri(void **state)
{
	struct env *e = *state;
	struct wire_open o;

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	fake_send_hex(&e->a,
	    "ffffffffffffffffffffffffffffffff 0030 02"
	    "0000 0014 | 40010100 | 400206020100 00fdea |"
	    "400304 7f000002 | 21 0a000000 00");
	fake_expect_notification(
	    e, &e->a, 2, BGP_ERR_UPDATE, BGP_ERR_UPD_NETWORK, NULL, 0);
	wait_not_state(e, FSM_ESTABLISHED, 1);
	assert_last_err(e, BGP_ERR_UPDATE, BGP_ERR_UPD_NETWORK, true);
	assert_reason(e, "malformed UPDATE");
	assert_int_equal(e->p->st.update_errors, 1);
	assert_int_equal(e->p->st.dropped, 1);
}

/* RFC 7606 §7.1: an undefined ORIGIN withdraws; the session stays. */
static void
test_update_treat_as_withdraw(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	uint64_t ka;

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	ka = e->p->st.msg_in[BGP_MSG_KEEPALIVE] + 1;
	fake_send_hex(&e->a,
	    "ffffffffffffffffffffffffffffffff 002f 02"
	    "0000 0014 | 40010105 | 400206020100 00fdea |"
	    "400304 7f000002 | 18 0a0000");
	fake_send_keepalive(&e->a);
	run_until(e, pred_msg_in, &ka, 2, "the KEEPALIVE after the UPDATE");
	assert_int_equal(e->p->state, FSM_ESTABLISHED);
	assert_int_equal(e->p->st.msg_in[BGP_MSG_UPDATE], 1);
	assert_int_equal(e->p->st.update_errors, 1);
	assert_int_equal(e->p->st.last_err_code, 0);
	/* Only KEEPALIVEs come back. */
	fake_expect(e, &e->a, BGP_MSG_KEEPALIVE);
	assert_int_equal(e->p->state, FSM_ESTABLISHED);
}

/*
 * RFC 7313 §5: a ROUTE-REFRESH of the wrong length gets 7/1 carrying
 * the whole message, and nothing after it.
 */
static void
test_route_refresh_bad_length(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	static const uint8_t rr[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,
		0x18, BGP_MSG_ROUTE_REFRESH, 0x00, BGP_AFI_IPV4, BGP_RR_NORMAL,
		BGP_SAFI_UNICAST, 0x00 };

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	fake_send(&e->a, rr, sizeof(rr));
	fake_expect_notification(
	    e, &e->a, 2, BGP_ERR_RREFRESH, BGP_ERR_RR_LENGTH, rr, sizeof(rr));
	fake_expect_eof(e, &e->a);
	wait_not_state(e, FSM_ESTABLISHED, 1);
	assert_last_err(e, BGP_ERR_RREFRESH, BGP_ERR_RR_LENGTH, true);
	assert_reason(e, "ROUTE-REFRESH");
	assert_int_equal(e->p->st.msg_out[BGP_MSG_NOTIFICATION], 1);
}

/* An OPEN in Established is an FSM error (RFC 6608): 5/3. */
static void
test_open_in_established(void **state)
{
	struct env *e = *state;
	struct wire_open o;

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	fake_send_open(&e->a, &o);
	fake_expect_notification(
	    e, &e->a, 2, BGP_ERR_FSM, BGP_ERR_FSM_ESTABLISHED, NULL, 0);
	fake_expect_eof(e, &e->a);
	wait_not_state(e, FSM_ESTABLISHED, 1);
	assert_last_err(e, BGP_ERR_FSM, BGP_ERR_FSM_ESTABLISHED, true);
	assert_int_equal(e->p->st.msg_out[BGP_MSG_NOTIFICATION], 1);
}

/* ---- shutdown communication (RFC 9003) ---- */

static void
test_admin_stop(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	static const char data[] = "\x0bmaintenance";

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	sess_stop(e->p, BGP_CEASE_ADMIN_SHUTDOWN, "maintenance");
	assert_int_equal(e->p->state, FSM_IDLE);
	fake_expect_notification(e, &e->a, 2, BGP_ERR_CEASE,
	    BGP_CEASE_ADMIN_SHUTDOWN, data, sizeof(data) - 1);
	fake_expect_eof(e, &e->a);
	assert_last_err(e, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, true);
	assert_reason(e, "stopped");
	assert_int_equal(e->p->st.dropped, 1);
	/* Stopped means stopped: no new connection. */
	assert_false(run_for(e, pred_accept, &e->a, 1.5));
	assert_int_equal(e->p->state, FSM_IDLE);
}

static void
test_peer_shutdown_message(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	uint8_t buf[BGP_MAX_MSG];
	size_t n;

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	n = wire_shutdown_encode(BGP_CEASE_ADMIN_SHUTDOWN,
	    "planned work, back at 14:00", buf, sizeof(buf));
	fake_send(&e->a, buf, n);
	wait_not_state(e, FSM_ESTABLISHED, 2);
	assert_last_err(e, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, false);
	assert_reason(e, "NOTIFICATION 6/2");
	assert_reason(e, "\"planned work, back at 14:00\"");
	assert_int_equal(e->p->st.dropped, 1);
	fake_expect_eof(e, &e->a);
}

/* ---- configuration changes ---- */

/* A neighbor removed from the config: Cease/3, and it is gone. */
static void
test_deconfigure(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	struct conf *conf = NULL;
	struct conf_addr fake;

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	assert_int_equal(conf_load_string("router bgp 4200000001\n"
					  " bgp router-id 10.0.0.5\n"
					  "exit\n",
			     "test", &conf, stderr),
	    0);
	bgpd_configure(e->d, conf);
	e->p = NULL;
	assert_true(conf_addr_parse(FAKE_ADDR, &fake));
	assert_null(bgpd_peer_find(e->d, &fake));
	fake_expect_notification(
	    e, &e->a, 2, BGP_ERR_CEASE, BGP_CEASE_PEER_DECONFIG, NULL, 0);
	fake_expect_eof(e, &e->a);
	assert_false(run_for(e, pred_accept, &e->a, 1.5));
}

/* New timers need a new session: Cease/6, then an OPEN with them. */
static void
test_reconfigure_timers(void **state)
{
	struct env *e = *state;
	struct wire_open dx, o;

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	dx_start(e, DX_AS, " neighbor " FAKE_ADDR " timers 2 6\n");
	fake_expect_notification(
	    e, &e->a, 2, BGP_ERR_CEASE, BGP_CEASE_CONFIG_CHANGE, NULL, 0);
	fake_expect_eof(e, &e->a);
	fake_accept(e, &e->a);
	fake_expect_open(e, &e->a, &dx);
	assert_int_equal(dx.holdtime, 6);
	fake_send_open(&e->a, &o);
	fake_send_keepalive(&e->a);
	wait_state(e, FSM_ESTABLISHED, 2);
	assert_int_equal(e->p->nego.holdtime, 6);
	assert_int_equal(e->p->st.established, 2);
}

/*
 * "neighbor X shutdown message M": Cease/2 with M (RFC 9003), no new
 * connection until the shutdown is lifted.
 */
static void
test_shutdown_config(void **state)
{
	struct env *e = *state;
	struct wire_open dx, o;
	static const char data[] = "\x1a"
				   "going down for maintenance";

	dx_start(e, DX_AS, "");
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	dx_start(e, DX_AS,
	    " neighbor " FAKE_ADDR " shutdown message going down for "
	    "maintenance\n");
	fake_expect_notification(e, &e->a, 2, BGP_ERR_CEASE,
	    BGP_CEASE_ADMIN_SHUTDOWN, data, sizeof(data) - 1);
	fake_expect_eof(e, &e->a);
	assert_int_equal(e->p->state, FSM_IDLE);
	assert_false(run_for(e, pred_accept, &e->a, 1.5));
	/* A shut down neighbor refuses connections too. */
	fake_connect(e, &e->b);
	fake_expect_eof(e, &e->b);
	assert_int_equal(e->p->state, FSM_IDLE);
	dx_start(e, DX_AS, "");
	fake_accept(e, &e->a);
	fake_expect_open(e, &e->a, &dx);
}

static int
sock_int(int fd, int level, int opt)
{
	int v = -1;
	socklen_t len = sizeof(v);

	assert_int_equal(getsockopt(fd, level, opt, &v, &len), 0);
	return v;
}

/* Single-hop eBGP by default: dxbgpd sends with TTL 1, accepts any. */
static void
test_ttl_single_hop(void **state)
{
	struct env *e = *state;
	struct wire_open dx, o;

	dx_start(e, DX_AS2, " neighbor " FAKE_ADDR " passive\n");
	wait_state(e, FSM_ACTIVE, 1);
	fake_connect(e, &e->b);
	fake_expect_open(e, &e->b, &dx);
	assert_int_equal(sock_int(e->p->c.fd, IPPROTO_IP, IP_TTL), 1);
	assert_int_equal(sock_int(e->p->c.fd, IPPROTO_IP, IP_MINTTL), 0);
	fake_open(&o, FAKE_ID, 90);
	fake_send_open(&e->b, &o);
	fake_send_keepalive(&e->b);
	wait_state(e, FSM_ESTABLISHED, 2);
}

/*
 * GTSM (RFC 5082), ttl-security hops 1: dxbgpd sends with TTL 255 and
 * the kernel drops the peer's segments below 255, so a peer sending
 * with an ordinary TTL never gets the session up; sending with 255, it
 * does.
 */
static void
test_gtsm(void **state)
{
	struct env *e = *state;
	enum fsm_state est = FSM_ESTABLISHED;
	struct wire_open dx, o;
	int ttl = 64;

	dx_start(e, DX_AS2,
	    " neighbor " FAKE_ADDR " passive\n"
	    " neighbor " FAKE_ADDR " ttl-security hops 1\n");
	wait_state(e, FSM_ACTIVE, 1);
	fake_connect(e, &e->b);
	assert_int_equal(
	    setsockopt(e->b.fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)), 0);
	fake_expect_open(e, &e->b, &dx);
	assert_int_equal(sock_int(e->p->c.fd, IPPROTO_IP, IP_TTL), 255);
	assert_int_equal(sock_int(e->p->c.fd, IPPROTO_IP, IP_MINTTL), 255);
	fake_open(&o, FAKE_ID, 90);
	fake_send_open(&e->b, &o);
	fake_send_keepalive(&e->b);
	assert_false(run_for(e, pred_state, &est, 2));
	assert_int_equal(e->p->state, FSM_OPENSENT);
	/* Its FIN would be dropped too: close with TTL 255. */
	ttl = 255;
	assert_int_equal(
	    setsockopt(e->b.fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)), 0);
	fconn_close(&e->b);
	/* The same peer, sending with TTL 255. */
	wait_not_state(e, FSM_OPENSENT, 5);
	wait_state(e, FSM_ACTIVE, 5);
	fake_connect(e, &e->b);
	assert_int_equal(
	    setsockopt(e->b.fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)), 0);
	fake_expect_open(e, &e->b, &dx);
	fake_send_open(&e->b, &o);
	fake_send_keepalive(&e->b);
	wait_state(e, FSM_ESTABLISHED, 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_establish_active),
		T(test_establish_passive),
		T(test_connection_refused),
		T(test_passive_reconnect),
		T(test_peer_rejects_open),
		T(test_md5_good),
		T(test_md5_wrong_key),
		T(test_md5_missing_key),
		T(test_md5_passive),
		T(test_hold_timer_expiry),
		T(test_send_hold_timer),
		T(test_collision_fake_higher_id),
		T(test_collision_fake_lower_id),
		T(test_collision_after_established),
		T(test_connect_while_established),
		T(test_close_mid_message),
		T(test_extended_message),
		T(test_oversized_message),
		T(test_open_bad_peer_as),
		T(test_open_bad_holdtime),
		T(test_open_no_common_family),
		T(test_update_bad_nlri),
		T(test_update_treat_as_withdraw),
		T(test_route_refresh_bad_length),
		T(test_open_in_established),
		T(test_admin_stop),
		T(test_peer_shutdown_message),
		T(test_deconfigure),
		T(test_reconfigure_timers),
		T(test_shutdown_config),
		T(test_ttl_single_hop),
		T(test_gtsm),
#undef T
	};
	session_test_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
