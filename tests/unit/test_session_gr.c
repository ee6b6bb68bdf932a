/*
 * test_session_gr.c: tests bgpd/session.c over loopback sockets, as
 * test_session.c does, with the same harness (session_test.h /
 * session_test.c): the graceful restart helper (RFC 4724 §4.2), seen
 * through struct sess_hooks as a RIB would see it, and KEEPALIVEs that
 * keep flowing while a burst of UPDATEs is read in bounded batches.
 *
 * TEST_SESSION_LOG=1 shows dxbgpd's log; TEST_SESSION_ONLY=pattern
 * runs the matching tests alone.
 */

#include "session_test.h"

static void
hook_established(struct peer *p)
{
	hookrec(p)->established++;
}

static void
hook_down(struct peer *p, bool graceful)
{
	struct hookrec *h = hookrec(p);

	h->down++;
	h->graceful = graceful;
	h->down_at = now();
}

static void
hook_update(
    struct peer *p, const struct wire_update *u, const struct wire_err *err)
{
	struct hookrec *h = hookrec(p);
	double until;

	h->updates++;
	if (err->action != WIRE_OK)
		h->update_errs++;
	if (h->work > 0)
		for (until = now() + h->work; now() < until;)
			;
}

static void
hook_stale_flush(struct peer *p, uint16_t afi, uint8_t safi)
{
	struct hookrec *h = hookrec(p);

	if (afi == BGP_AFI_IPV4 && safi == BGP_SAFI_UNICAST)
		h->flush_v4++;
	else if (afi == BGP_AFI_IPV6 && safi == BGP_SAFI_UNICAST)
		h->flush_v6++;
	else
		h->flush_other++;
	h->flush_at = now();
}

static void
hook_af_drop(struct peer *p, uint16_t afi, uint8_t safi)
{
	hookrec(p)->af_drop++;
}

/* dxbgpd hands its routes to e->h from now on. */
static void
record_hooks(struct env *e)
{
	memset(&e->h, 0, sizeof(e->h));
	e->d->hooks = (struct sess_hooks){
		.established = hook_established,
		.down = hook_down,
		.update = hook_update,
		.stale_flush = hook_stale_flush,
		.af_drop = hook_af_drop,
		.arg = e,
	};
}

static bool
pred_flushes(struct env *e, void *arg)
{
	const unsigned int *want = arg;

	return e->h.flush_v4 + e->h.flush_v6 + e->h.flush_other >= *want;
}

/* ---- graceful restart helper (RFC 4724 §4.2) ---- */

/* fake_open(), and the fake can restart: IPv4 unicast, F bit set. */
static void
fake_open_gr(struct wire_open *o, uint16_t restart_time)
{
	fake_open(o, FAKE_ID, 90);
	o->caps.have |= WIRE_CAP_GR;
	o->caps.gr_time = restart_time;
	o->caps.gr[o->caps.n_gr++] = (struct wire_afsafi){ BGP_AFI_IPV4,
		BGP_SAFI_UNICAST, BGP_GR_AF_FORWARDING };
}

/*
 * The fake restarts: its TCP connection goes without a NOTIFICATION.
 * dxbgpd keeps its IPv4 routes as stale and arms the restart timer.
 */
static void
fake_restarts(struct env *e, uint16_t restart_time)
{
	double left;

	assert_true(e->p->nego.gr);
	assert_int_equal(e->p->nego.gr_time, restart_time);
	assert_int_equal(e->p->nego.gr_af, CONF_AF_IPV4);
	fconn_close(&e->a);
	wait_not_state(e, FSM_ESTABLISHED, 2);
	assert_int_equal(e->h.down, 1);
	assert_true(e->h.graceful);
	assert_int_equal(e->p->stale_af, CONF_AF_IPV4);
	assert_true(ev_is_active(&e->p->t_gr));
	left = ev_timer_remaining(e->loop, &e->p->t_gr);
	if (left > restart_time || left < restart_time - 1)
		fail_msg("restart timer of %u s has %.2f s left", restart_time,
		    left);
	assert_int_equal(e->p->st.msg_in[BGP_MSG_NOTIFICATION], 0);
	assert_int_equal(e->p->st.msg_out[BGP_MSG_NOTIFICATION], 0);
	assert_int_equal(e->h.flush_v4, 0);
}

/*
 * The fake comes back within its restart time: dxbgpd connects
 * again, and the stale routes stay until End-of-RIB, which flushes
 * them and stops the restart timer.
 */
static void
test_gr_peer_restarts(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	unsigned int one = 1;

	dx_start(e, DX_AS, "");
	record_hooks(e);
	fake_open_gr(&o, 5);
	establish_active(e, &o);
	assert_int_equal(e->h.established, 1);
	fake_restarts(e, 5);

	o.caps.gr_flags = BGP_GR_FLAG_RESTART;
	establish_active(e, &o);
	assert_int_equal(e->h.established, 2);
	assert_int_equal(e->p->stale_af, CONF_AF_IPV4);
	assert_true(ev_is_active(&e->p->t_gr));
	assert_int_equal(e->h.flush_v4, 0);
	/* End-of-RIB for IPv4 unicast: an UPDATE with nothing in it. */
	fake_send_hex(
	    &e->a, "ffffffffffffffffffffffffffffffff 0017 02 0000 0000");
	run_until(e, pred_flushes, &one, 2, "the stale routes to go");
	assert_int_equal(e->h.flush_v4, 1);
	assert_int_equal(e->h.flush_v6 + e->h.flush_other, 0);
	assert_int_equal(e->p->stale_af, 0);
	assert_false(ev_is_active(&e->p->t_gr));
	assert_int_equal(e->h.down, 1);
	assert_int_equal(e->p->state, FSM_ESTABLISHED);
	assert_int_equal(e->p->st.update_errors, 0);
}

/* The fake never comes back: its restart time ends the stale routes. */
static void
test_gr_restart_time_expires(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	unsigned int one = 1;
	double dt;

	dx_start(e, DX_AS, "");
	record_hooks(e);
	fake_open_gr(&o, 2);
	establish_active(e, &o);
	/* Gone for good: dxbgpd's new attempts are refused. */
	close(e->lfd);
	e->lfd = -1;
	fake_restarts(e, 2);
	run_until(e, pred_flushes, &one, 4, "the restart time to end");
	dt = e->h.flush_at - e->h.down_at;
	if (dt < 1.9 || dt > 2.6)
		fail_msg("stale routes flushed %.2f s after the session went, "
			 "restart time 2 s",
		    dt);
	assert_int_equal(e->h.flush_v4, 1);
	assert_int_equal(e->h.flush_v6 + e->h.flush_other, 0);
	assert_int_equal(e->p->stale_af, 0);
	assert_false(ev_is_active(&e->p->t_gr));
	assert_int_not_equal(e->p->state, FSM_ESTABLISHED);
	assert_int_equal(e->h.established, 1);
	assert_int_equal(e->h.down, 1);
}

/*
 * The fake comes back, but no longer preserves IPv4 (F bit clear): its
 * stale IPv4 routes go as soon as the session is up (RFC 4724 §4.2),
 * without waiting for End-of-RIB.
 */
static void
test_gr_returns_without_forwarding(void **state)
{
	struct env *e = *state;
	struct wire_open o;

	dx_start(e, DX_AS, "");
	record_hooks(e);
	fake_open_gr(&o, 5);
	establish_active(e, &o);
	fake_restarts(e, 5);
	o.caps.gr_flags = BGP_GR_FLAG_RESTART;
	o.caps.gr[0].flags = 0;
	establish_active(e, &o);
	assert_int_equal(e->h.established, 2);
	assert_int_equal(e->h.flush_v4, 1);
	assert_int_equal(e->h.flush_v6 + e->h.flush_other, 0);
	assert_int_equal(e->p->stale_af, 0);
	assert_false(ev_is_active(&e->p->t_gr));
}

/*
 * Back after a restart, the session ends with a NOTIFICATION before
 * End-of-RIB: every route goes, the stale ones with them, and nothing
 * is left for the restart timer.
 */
static void
test_gr_notification_after_restart(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	uint8_t buf[BGP_HDR_LEN + 2];
	size_t n;

	dx_start(e, DX_AS, "");
	record_hooks(e);
	fake_open_gr(&o, 5);
	establish_active(e, &o);
	fake_restarts(e, 5);
	establish_active(e, &o);
	assert_int_equal(e->p->stale_af, CONF_AF_IPV4);
	n = wire_notification_encode(
	    BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, NULL, 0, buf, sizeof(buf));
	fake_send(&e->a, buf, n);
	wait_not_state(e, FSM_ESTABLISHED, 2);
	assert_int_equal(e->h.down, 2);
	assert_false(e->h.graceful);
	assert_int_equal(e->p->stale_af, 0);
	assert_false(ev_is_active(&e->p->t_gr));
}

/*
 * IPv4 and IPv6 are in use, the fake preserves only IPv4: when it
 * restarts, its IPv6 routes go at once and IPv4 ones stay as stale.
 */
static void
test_gr_family_not_preserved(void **state)
{
	struct env *e = *state;
	struct wire_open o;

	dx_start(e, DX_AS,
	    " address-family ipv6 unicast\n"
	    "  neighbor " FAKE_ADDR " activate\n"
	    " exit-address-family\n");
	record_hooks(e);
	fake_open_gr(&o, 5);
	o.caps.mp[o.caps.n_mp++] =
	    (struct wire_afsafi){ BGP_AFI_IPV6, BGP_SAFI_UNICAST, 0 };
	establish_active(e, &o);
	assert_int_equal(e->p->nego.af, CONF_AF_IPV4 | CONF_AF_IPV6);
	fake_restarts(e, 5);
	run_for(e, pred_flushes, &(unsigned int){ 1 }, 0.2);
	assert_int_equal(e->h.flush_v6, 1);
	assert_int_equal(e->h.flush_v4 + e->h.flush_other, 0);
	assert_int_equal(e->p->stale_af, CONF_AF_IPV4);
	assert_true(ev_is_active(&e->p->t_gr));
}

/* Stopped while its routes are stale: they go now, not at the timer. */
static void
test_gr_stop_while_stale(void **state)
{
	struct env *e = *state;
	struct wire_open o;

	dx_start(e, DX_AS, "");
	record_hooks(e);
	fake_open_gr(&o, 5);
	establish_active(e, &o);
	fake_restarts(e, 5);
	sess_stop(e->p, BGP_CEASE_ADMIN_SHUTDOWN, NULL);
	assert_int_equal(e->h.flush_v4, 1);
	assert_int_equal(e->p->stale_af, 0);
	assert_false(ev_is_active(&e->p->t_gr));
	assert_int_equal(e->h.down, 1);
}

/* A session that did not end gracefully leaves nothing stale. */
static void
assert_not_graceful(struct env *e)
{
	assert_int_equal(e->h.down, 1);
	assert_false(e->h.graceful);
	assert_int_equal(e->p->stale_af, 0);
	assert_false(ev_is_active(&e->p->t_gr));
	assert_int_equal(e->h.flush_v4 + e->h.flush_v6 + e->h.flush_other, 0);
}

/* RFC 4724 §4.2 applies to a loss without NOTIFICATION only. */
static void
test_gr_notification(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	uint8_t buf[BGP_HDR_LEN + 2];
	size_t n;

	dx_start(e, DX_AS, "");
	record_hooks(e);
	fake_open_gr(&o, 5);
	establish_active(e, &o);
	assert_true(e->p->nego.gr);
	n = wire_notification_encode(
	    BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, NULL, 0, buf, sizeof(buf));
	assert_int_equal(n, sizeof(buf));
	fake_send(&e->a, buf, n);
	wait_not_state(e, FSM_ESTABLISHED, 2);
	assert_last_err(e, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, false);
	assert_not_graceful(e);
}

/* A peer without the capability loses its routes with its connection. */
static void
test_gr_not_capable(void **state)
{
	struct env *e = *state;
	struct wire_open o;

	dx_start(e, DX_AS, "");
	record_hooks(e);
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	assert_false(e->p->nego.gr);
	fconn_close(&e->a);
	wait_not_state(e, FSM_ESTABLISHED, 2);
	assert_not_graceful(e);
}

/* dxbgpd is a helper: its restart time, and no family preserved. */
static void
test_gr_own_capability(void **state)
{
	struct env *e = *state;
	struct wire_open dx;

	dx_start(e, DX_AS, " bgp graceful-restart restart-time 7\n");
	fake_accept(e, &e->a);
	fake_expect_open(e, &e->a, &dx);
	assert_true(dx.caps.have & WIRE_CAP_GR);
	assert_int_equal(dx.caps.gr_time, 7);
	assert_int_equal(dx.caps.n_gr, 0);
}

/* ---- bounded work per loop turn ---- */

#define BURST_UPDATES 100000

/* The fake's side of a burst of UPDATEs, and dxbgpd's KEEPALIVEs. */
struct burst {
	uint8_t *buf;
	size_t len;
	size_t off; /* written so far */
	double start;
	double last_ka; /* when the fake read the last KEEPALIVE */
	double max_gap; /* the longest time without one */
	unsigned int n_ka;
	int bad_type; /* a message from dxbgpd other than KEEPALIVE */
};

/* count small UPDATEs, one /32 each out of 10/8, back to back. */
static void
burst_build(struct burst *b, unsigned int count)
{
	struct wire_upd_builder ub;
	struct wire_prefix pfx = { .afi = BGP_AFI_IPV4, .len = 32 };
	uint8_t attrs[64];
	size_t alen, cap, n;
	unsigned int i;

	alen = ipv4_attrs(attrs, sizeof(attrs), FAKE_AS, 0x7f000002);
	cap = (size_t)count * (BGP_HDR_LEN + 4 + alen + 5);
	b->buf = malloc(cap);
	assert_non_null(b->buf);
	b->len = 0;
	pfx.addr[0] = 10;
	for (i = 0; i < count; i++) {
		pfx.addr[1] = (uint8_t)(i >> 16);
		pfx.addr[2] = (uint8_t)(i >> 8);
		pfx.addr[3] = (uint8_t)i;
		wire_upd_begin(
		    &ub, b->buf + b->len, cap - b->len, BGP_AFI_IPV4, false);
		assert_true(wire_upd_attrs(&ub, attrs, alen, NULL, 0));
		assert_true(wire_upd_announce(&ub, &pfx));
		n = wire_upd_finish(&ub);
		assert_true(n > 0);
		b->len += n;
	}
	assert_int_equal(b->len, cap);
}

/* dxbgpd's messages so far: KEEPALIVEs, timestamped. */
static void
burst_read(struct env *e, struct burst *b)
{
	size_t len;
	double t = now();

	fconn_fill(&e->a);
	while ((len = fconn_msg_len(&e->a)) > 0) {
		if (e->a.buf[BGP_MARKER_LEN + 2] != BGP_MSG_KEEPALIVE)
			b->bad_type = e->a.buf[BGP_MARKER_LEN + 2];
		else
			b->n_ka++;
		if (t - b->last_ka > b->max_gap)
			b->max_gap = t - b->last_ka;
		b->last_ka = t;
		memmove(e->a.buf, e->a.buf + len, e->a.len - len);
		e->a.len -= len;
	}
	if (t - b->last_ka > b->max_gap)
		b->max_gap = t - b->last_ka;
}

/* Writes what the socket takes; true once dxbgpd has had it all. */
static bool
pred_burst(struct env *e, void *arg)
{
	struct burst *b = arg;
	ssize_t n;

	while (b->off < b->len) {
		n = send(e->a.fd, b->buf + b->off, b->len - b->off,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n == -1)
			fail_msg("fake peer: send: %s", strerror(errno));
		b->off += (size_t)n;
	}
	burst_read(e, b);
	return e->h.updates >= BURST_UPDATES || e->a.eof || b->bad_type ||
	    e->p->state != FSM_ESTABLISHED;
}

/*
 * The fake sends 100,000 UPDATEs as fast as dxbgpd takes them, more
 * than it can handle within the hold time: dxbgpd still sends a
 * KEEPALIVE every second, and takes every UPDATE.
 */
static void
test_keepalives_during_burst(void **state)
{
	struct env *e = *state;
	struct wire_open o;
	struct burst b = { .bad_type = 0 };
	double dt;

	burst_build(&b, BURST_UPDATES);
	dx_start(e, DX_AS, "");
	record_hooks(e);
	fake_open(&o, FAKE_ID, 90);
	establish_active(e, &o);
	assert_int_equal(e->p->nego.holdtime, 3);
	assert_int_equal(e->p->nego.keepalive, 1);
	/* What a RIB might spend on a route: 3 s for the whole burst. */
	e->h.work = 30e-6;
	b.start = b.last_ka = now();
	if (!run_for(e, pred_burst, &b, 30))
		fail_msg("dxbgpd took %" PRIu64 " of %u UPDATEs in 30 s",
		    e->h.updates, BURST_UPDATES);
	dt = now() - b.start;
	free(b.buf);
	if (b.bad_type)
		fail_msg(
		    "dxbgpd sent message type %d during the burst", b.bad_type);
	assert_false(e->a.eof);
	assert_int_equal(e->p->state, FSM_ESTABLISHED);
	if (dt < 3)
		fail_msg("the burst took %.2f s, not longer than the hold "
			 "time: make the RIB's work heavier",
		    dt);
	if (b.max_gap > 1.5)
		fail_msg("no KEEPALIVE from dxbgpd for %.2f s during a burst "
			 "of %.2f s",
		    b.max_gap, dt);
	assert_true(b.n_ka >= (unsigned int)dt - 1);
	assert_int_equal(e->h.updates, BURST_UPDATES);
	assert_int_equal(e->h.update_errs, 0);
	assert_int_equal(e->p->st.msg_in[BGP_MSG_UPDATE], BURST_UPDATES);
	assert_int_equal(e->p->st.nlri_in, BURST_UPDATES);
	assert_int_equal(e->p->st.update_errors, 0);
	assert_int_equal(e->p->st.dropped, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_gr_peer_restarts),
		T(test_gr_restart_time_expires),
		T(test_gr_returns_without_forwarding),
		T(test_gr_notification_after_restart),
		T(test_gr_family_not_preserved),
		T(test_gr_stop_while_stale),
		T(test_gr_notification),
		T(test_gr_not_capable),
		T(test_gr_own_capability),
		T(test_keepalives_during_burst),
#undef T
	};
	session_test_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
