/*
 * fsm.c: the BGP finite state machine, RFC 4271 §8.2.2, with the
 * NOTIFICATION subcodes of RFC 6608 §4 and the SendHoldTimer of
 * RFC 9687 §4.  It owns the transition rules and nothing else:
 * fsm_step() maps (state, event, session attributes) to the next state
 * and a set of FSM_A_* actions, which the session executes.  No
 * sockets, timers, routes or memory are touched here.
 *
 * One function per state, each a switch over the events, in the order
 * §8.2.2 describes them.  Where this file departs from the letter of
 * §8.2.2 the case says why ("Deviation").
 */
#include <assert.h>
#include <stddef.h>

#include "dxbgp/bgp.h"
#include "dxbgp/fsm.h"

/*
 * Every way into Idle from another state: stop every timer but the
 * IdleHoldTimer, drop the TCP connection, release the resources.
 */
#define FSM_A_DOWN                                                             \
	(FSM_A_CONNRETRY_STOP | FSM_A_DELAYOPEN_STOP | FSM_A_HOLD_STOP |       \
	    FSM_A_KEEPALIVE_STOP | FSM_A_SEND_HOLD_STOP | FSM_A_DROP_TCP |     \
	    FSM_A_RELEASE_RESOURCES)
#define FSM_A_CONNRETRY_RESTART (FSM_A_CONNRETRY_STOP | FSM_A_CONNRETRY_START)
#define FSM_A_HOLD_RESTART      (FSM_A_HOLD_STOP | FSM_A_HOLD_START)
#define FSM_A_KEEPALIVE_RESTART (FSM_A_KEEPALIVE_STOP | FSM_A_KEEPALIVE_START)

static const struct fsm_opts fsm_noopts;

static struct fsm_out
fsm_go(enum fsm_state next, uint32_t actions)
{
	struct fsm_out out = { .next = next, .actions = actions };

	return out;
}

static struct fsm_out
fsm_notify(struct fsm_out out, enum bgp_err_code code, uint8_t subcode)
{
	out.actions |= FSM_A_SEND_NOTIFICATION;
	out.notify_code = (uint8_t)code;
	out.notify_subcode = subcode;
	return out;
}

/* A NOTIFICATION whose subcode and data the caller knows better. */
static struct fsm_out
fsm_notify_caller(struct fsm_out out, enum bgp_err_code code)
{
	out = fsm_notify(out, code, FSM_SUBCODE_UNSPECIFIC);
	out.notify_caller = true;
	return out;
}

/*
 * Into Idle after a failure: count it and, if configured, damp.  The
 * RFC's "increments the ConnectRetryCounter" paths.
 */
static struct fsm_out
fsm_fail(const struct fsm_opts *o, uint32_t extra)
{
	uint32_t a = FSM_A_DOWN | FSM_A_CONNRETRY_COUNT_INC | extra;

	if (o->damp_oscillations)
		a |= FSM_A_DAMP;
	return fsm_go(FSM_IDLE, a);
}

/*
 * Event 2 once an OPEN has been sent: Cease, Administrative Shutdown
 * (RFC 4486), and the ConnectRetryCounter goes back to zero.
 */
static struct fsm_out
fsm_manual_stop(uint32_t extra)
{
	struct fsm_out out;

	out = fsm_go(FSM_IDLE, FSM_A_DOWN | FSM_A_CONNRETRY_COUNT_ZERO | extra);
	return fsm_notify(out, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN);
}

/* Events that are a message received from the peer. */
static bool
fsm_is_message(enum fsm_event ev)
{
	switch (ev) {
	case FSM_EV_OPEN:
	case FSM_EV_OPEN_DELAYOPEN:
	case FSM_EV_HEADER_ERR:
	case FSM_EV_OPEN_ERR:
	case FSM_EV_NOTIF_VERSION_ERR:
	case FSM_EV_NOTIF:
	case FSM_EV_KEEPALIVE:
	case FSM_EV_UPDATE:
	case FSM_EV_UPDATE_ERR:
		return true;
	default:
		return false;
	}
}

/*
 * "Any other event" in OpenSent, OpenConfirm and Established: Finite
 * State Machine Error.  RFC 6608 §4 names the subcode of an unexpected
 * message in each state; an event that is not a message (a timer that
 * should not be running) gets Unspecified Error.
 */
static struct fsm_out
fsm_error(enum fsm_state st, enum fsm_event ev, const struct fsm_opts *o,
    uint32_t extra)
{
	uint8_t sub = BGP_ERR_FSM_UNSPEC;

	if (fsm_is_message(ev)) {
		switch (st) {
		case FSM_OPENSENT:
			sub = BGP_ERR_FSM_OPENSENT;
			break;
		case FSM_OPENCONFIRM:
			sub = BGP_ERR_FSM_OPENCONFIRM;
			break;
		case FSM_ESTABLISHED:
			sub = BGP_ERR_FSM_ESTABLISHED;
			break;
		default:
			assert(0 && "FSM error without a BGP connection");
		}
	}
	return fsm_notify(fsm_fail(o, extra), BGP_ERR_FSM, sub);
}

/* A header, OPEN or UPDATE error found by the codec (§6.1-§6.3). */
static struct fsm_out
fsm_msg_error(struct fsm_out out, enum fsm_event ev)
{
	switch (ev) {
	case FSM_EV_HEADER_ERR:
		return fsm_notify_caller(out, BGP_ERR_HEADER);
	case FSM_EV_OPEN_ERR:
		return fsm_notify_caller(out, BGP_ERR_OPEN);
	case FSM_EV_UPDATE_ERR:
		return fsm_notify_caller(out, BGP_ERR_UPDATE);
	default:
		assert(0 && "not a message error event");
		return out;
	}
}

/*
 * Idle, a start event: allocate, zero the counter, arm ConnectRetry,
 * listen and, unless passive (events 4 and 5), connect.
 */
static struct fsm_out
fsm_start(const struct fsm_opts *o, bool passive)
{
	uint32_t a = FSM_A_INIT_RESOURCES | FSM_A_CONNRETRY_COUNT_ZERO |
	    FSM_A_CONNRETRY_START | FSM_A_LISTEN;

	/* A pending damped start must not fire in another state. */
	if (o->damp_oscillations)
		a |= FSM_A_IDLEHOLD_STOP;
	if (passive)
		return fsm_go(FSM_ACTIVE, a);
	return fsm_go(FSM_CONNECT, a | FSM_A_CONNECT);
}

/* Connect and Active, events 16 and 17: the TCP connection is up. */
static struct fsm_out
fsm_tcp_up(enum fsm_state st, const struct fsm_opts *o)
{
	if (o->delay_open)
		return fsm_go(st, FSM_A_CONNRETRY_STOP | FSM_A_DELAYOPEN_START);
	return fsm_go(FSM_OPENSENT,
	    FSM_A_CONNRETRY_STOP | FSM_A_SEND_OPEN | FSM_A_HOLD_START_LARGE);
}

/* Connect and Active, event 20: the peer's OPEN came during DelayOpen. */
static struct fsm_out
fsm_open_delayed(void)
{
	return fsm_go(FSM_OPENCONFIRM,
	    FSM_A_PROCESS_OPEN | FSM_A_CONNRETRY_STOP | FSM_A_DELAYOPEN_STOP |
		FSM_A_SEND_OPEN | FSM_A_SEND_KEEPALIVE | FSM_A_HOLD_START |
		FSM_A_KEEPALIVE_START);
}

/*
 * Connect and Active, event 2.  §8.2.2 allows the Cease only in Active;
 * Connect with the DelayOpenTimer running has the same open TCP
 * connection, so it gets the same Cease (Deviation, only with
 * send_notif_without_open).
 */
static struct fsm_out
fsm_stop_early(const struct fsm_opts *o)
{
	struct fsm_out out;

	out = fsm_go(FSM_IDLE, FSM_A_DOWN | FSM_A_CONNRETRY_COUNT_ZERO);
	if (o->delayopen_running && o->send_notif_without_open)
		out = fsm_notify(out, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN);
	return out;
}

/* Connect and Active, events 21 and 22: no OPEN has been sent yet. */
static struct fsm_out
fsm_error_early(enum fsm_event ev, const struct fsm_opts *o)
{
	struct fsm_out out = fsm_fail(o, 0);

	if (o->send_notif_without_open)
		out = fsm_msg_error(out, ev);
	return out;
}

/*
 * Connect and Active, event 24.  With the DelayOpenTimer running the
 * peer's version error is version negotiation, not a failure: it is
 * not counted.
 */
static struct fsm_out
fsm_version_early(const struct fsm_opts *o)
{
	if (o->delayopen_running)
		return fsm_go(FSM_IDLE, FSM_A_DOWN);
	return fsm_fail(o, 0);
}

static struct fsm_out
fsm_idle(enum fsm_event ev, const struct fsm_opts *o)
{
	switch (ev) {
	case FSM_EV_MANUAL_START:
	case FSM_EV_AUTO_START:
		return fsm_start(o, o->passive);
	case FSM_EV_MANUAL_START_PASSIVE:
	case FSM_EV_AUTO_START_PASSIVE:
		return fsm_start(o, true);
	case FSM_EV_MANUAL_STOP:
	case FSM_EV_AUTO_STOP:
		/*
		 * Ignored, but a stop also cancels a damped start that is
		 * still waiting for its IdleHoldTimer.
		 */
		if (o->damp_oscillations)
			return fsm_go(FSM_IDLE, FSM_A_IDLEHOLD_STOP);
		return fsm_go(FSM_IDLE, 0);
	case FSM_EV_AUTO_START_DAMP:
	case FSM_EV_AUTO_START_DAMP_PASSIVE:
		/*
		 * §8.2.2 leaves the damping method open.  Here events 6
		 * and 7 wait for the IdleHoldTimer, and event 13 starts.
		 * Without damping they are plain automatic starts.
		 */
		if (o->damp_oscillations)
			return fsm_go(FSM_IDLE, FSM_A_IDLEHOLD_START);
		return fsm_start(
		    o, o->passive || ev == FSM_EV_AUTO_START_DAMP_PASSIVE);
	case FSM_EV_IDLEHOLD_EXPIRES:
		if (o->damp_oscillations)
			return fsm_start(o, o->passive);
		return fsm_go(FSM_IDLE, 0);
	default:
		/* Events 9-12 and 14-29 change nothing. */
		return fsm_go(FSM_IDLE, 0);
	}
}

static struct fsm_out
fsm_connect(enum fsm_event ev, const struct fsm_opts *o)
{
	switch (ev) {
	case FSM_EV_MANUAL_START:
	case FSM_EV_AUTO_START:
	case FSM_EV_MANUAL_START_PASSIVE:
	case FSM_EV_AUTO_START_PASSIVE:
	case FSM_EV_AUTO_START_DAMP:
	case FSM_EV_AUTO_START_DAMP_PASSIVE:
		return fsm_go(FSM_CONNECT, 0);
	case FSM_EV_MANUAL_STOP:
		return fsm_stop_early(o);
	case FSM_EV_CONNRETRY_EXPIRES:
		return fsm_go(FSM_CONNECT,
		    FSM_A_DROP_TCP | FSM_A_CONNRETRY_RESTART |
			FSM_A_DELAYOPEN_STOP | FSM_A_CONNECT | FSM_A_LISTEN);
	case FSM_EV_DELAYOPEN_EXPIRES:
		return fsm_go(
		    FSM_OPENSENT, FSM_A_SEND_OPEN | FSM_A_HOLD_START_LARGE);
	case FSM_EV_TCP_VALID:
	case FSM_EV_TCP_INVALID:
		/* The session accepts or rejects the request itself. */
		return fsm_go(FSM_CONNECT, 0);
	case FSM_EV_TCP_ACKED:
	case FSM_EV_TCP_CONFIRMED:
		return fsm_tcp_up(FSM_CONNECT, o);
	case FSM_EV_TCP_FAILS:
		/*
		 * The failed connection is closed (DROP_TCP) in both
		 * branches; §8.2.2 says so only for the second.
		 */
		if (o->delayopen_running)
			return fsm_go(FSM_ACTIVE,
			    FSM_A_DROP_TCP | FSM_A_CONNRETRY_RESTART |
				FSM_A_DELAYOPEN_STOP | FSM_A_LISTEN);
		return fsm_go(FSM_IDLE, FSM_A_DOWN);
	case FSM_EV_OPEN_DELAYOPEN:
		return fsm_open_delayed();
	case FSM_EV_HEADER_ERR:
	case FSM_EV_OPEN_ERR:
		return fsm_error_early(ev, o);
	case FSM_EV_NOTIF_VERSION_ERR:
		return fsm_version_early(o);
	default:
		/* Events 8, 10-11, 13, 19, 23, 25-29: no OPEN sent yet. */
		return fsm_fail(o, 0);
	}
}

static struct fsm_out
fsm_active(enum fsm_event ev, const struct fsm_opts *o)
{
	switch (ev) {
	case FSM_EV_MANUAL_START:
	case FSM_EV_AUTO_START:
	case FSM_EV_MANUAL_START_PASSIVE:
	case FSM_EV_AUTO_START_PASSIVE:
	case FSM_EV_AUTO_START_DAMP:
	case FSM_EV_AUTO_START_DAMP_PASSIVE:
		return fsm_go(FSM_ACTIVE, 0);
	case FSM_EV_MANUAL_STOP:
		return fsm_stop_early(o);
	case FSM_EV_CONNRETRY_EXPIRES:
		/*
		 * Deviation: §8.2.2 moves to Connect and initiates even
		 * after a passive start.  A peer configured passive never
		 * initiates; it keeps listening.
		 */
		if (o->passive)
			return fsm_go(FSM_ACTIVE, FSM_A_CONNRETRY_RESTART);
		return fsm_go(FSM_CONNECT,
		    FSM_A_CONNRETRY_RESTART | FSM_A_CONNECT | FSM_A_LISTEN);
	case FSM_EV_DELAYOPEN_EXPIRES:
		return fsm_go(FSM_OPENSENT,
		    FSM_A_CONNRETRY_STOP | FSM_A_DELAYOPEN_STOP |
			FSM_A_SEND_OPEN | FSM_A_HOLD_START_LARGE);
	case FSM_EV_TCP_VALID:
	case FSM_EV_TCP_INVALID:
		return fsm_go(FSM_ACTIVE, 0);
	case FSM_EV_TCP_ACKED:
	case FSM_EV_TCP_CONFIRMED:
		return fsm_tcp_up(FSM_ACTIVE, o);
	case FSM_EV_TCP_FAILS:
		/*
		 * Deviation: §8.2.2 restarts the ConnectRetryTimer on the
		 * way to Idle, where its expiry is ignored; it is stopped
		 * like on every other way into Idle.
		 */
		return fsm_fail(o, 0);
	case FSM_EV_OPEN_DELAYOPEN:
		return fsm_open_delayed();
	case FSM_EV_HEADER_ERR:
	case FSM_EV_OPEN_ERR:
		return fsm_error_early(ev, o);
	case FSM_EV_NOTIF_VERSION_ERR:
		return fsm_version_early(o);
	default:
		/* Events 8, 10-11, 13, 19, 23, 25-29. */
		return fsm_fail(o, 0);
	}
}

static struct fsm_out
fsm_opensent(enum fsm_event ev, const struct fsm_opts *o)
{
	switch (ev) {
	case FSM_EV_MANUAL_START:
	case FSM_EV_AUTO_START:
	case FSM_EV_MANUAL_START_PASSIVE:
	case FSM_EV_AUTO_START_PASSIVE:
	case FSM_EV_AUTO_START_DAMP:
	case FSM_EV_AUTO_START_DAMP_PASSIVE:
		return fsm_go(FSM_OPENSENT, 0);
	case FSM_EV_MANUAL_STOP:
		return fsm_manual_stop(0);
	case FSM_EV_AUTO_STOP:
		return fsm_notify_caller(fsm_fail(o, 0), BGP_ERR_CEASE);
	case FSM_EV_HOLD_EXPIRES:
		return fsm_notify(
		    fsm_fail(o, 0), BGP_ERR_HOLD, FSM_SUBCODE_UNSPECIFIC);
	case FSM_EV_TCP_VALID:
	case FSM_EV_TCP_INVALID:
	case FSM_EV_TCP_ACKED:
	case FSM_EV_TCP_CONFIRMED:
		/* A second connection, tracked by collision detection. */
		return fsm_go(FSM_OPENSENT, 0);
	case FSM_EV_TCP_FAILS:
		/* "Closes the BGP connection", and with it its timers. */
		return fsm_go(FSM_ACTIVE,
		    FSM_A_HOLD_STOP | FSM_A_SEND_HOLD_STOP | FSM_A_DROP_TCP |
			FSM_A_CONNRETRY_RESTART | FSM_A_LISTEN);
	case FSM_EV_OPEN:
		/* Collision detection (§6.8) may follow with event 23. */
		return fsm_go(FSM_OPENCONFIRM,
		    FSM_A_PROCESS_OPEN | FSM_A_DELAYOPEN_STOP |
			FSM_A_CONNRETRY_STOP | FSM_A_SEND_KEEPALIVE |
			FSM_A_HOLD_START | FSM_A_KEEPALIVE_START);
	case FSM_EV_HEADER_ERR:
	case FSM_EV_OPEN_ERR:
		return fsm_msg_error(fsm_fail(o, 0), ev);
	case FSM_EV_OPEN_COLLISION_DUMP:
		return fsm_notify(
		    fsm_fail(o, 0), BGP_ERR_CEASE, BGP_CEASE_COLLISION);
	case FSM_EV_NOTIF_VERSION_ERR:
		return fsm_go(FSM_IDLE, FSM_A_DOWN);
	case FSM_EV_NOTIF:
		/*
		 * Deviation: §8.2.2 lists event 25 under "any other event"
		 * here and answers a NOTIFICATION with one.  The peer has
		 * already closed; as in OpenConfirm and Established, just
		 * go down.
		 */
		return fsm_fail(o, 0);
	case FSM_EV_SEND_HOLD_EXPIRES:
		return fsm_notify(
		    fsm_fail(o, 0), BGP_ERR_SEND_HOLD, FSM_SUBCODE_UNSPECIFIC);
	default:
		/* Events 9, 11-13, 20, 26-28. */
		return fsm_error(FSM_OPENSENT, ev, o, 0);
	}
}

static struct fsm_out
fsm_openconfirm(enum fsm_event ev, const struct fsm_opts *o)
{
	switch (ev) {
	case FSM_EV_MANUAL_START:
	case FSM_EV_AUTO_START:
	case FSM_EV_MANUAL_START_PASSIVE:
	case FSM_EV_AUTO_START_PASSIVE:
	case FSM_EV_AUTO_START_DAMP:
	case FSM_EV_AUTO_START_DAMP_PASSIVE:
		return fsm_go(FSM_OPENCONFIRM, 0);
	case FSM_EV_MANUAL_STOP:
		return fsm_manual_stop(0);
	case FSM_EV_AUTO_STOP:
		return fsm_notify_caller(fsm_fail(o, 0), BGP_ERR_CEASE);
	case FSM_EV_HOLD_EXPIRES:
		return fsm_notify(
		    fsm_fail(o, 0), BGP_ERR_HOLD, FSM_SUBCODE_UNSPECIFIC);
	case FSM_EV_KEEPALIVE_EXPIRES:
		return fsm_go(FSM_OPENCONFIRM,
		    FSM_A_SEND_KEEPALIVE | FSM_A_KEEPALIVE_RESTART);
	case FSM_EV_TCP_VALID:
	case FSM_EV_TCP_INVALID:
	case FSM_EV_TCP_ACKED:
	case FSM_EV_TCP_CONFIRMED:
		return fsm_go(FSM_OPENCONFIRM, 0);
	case FSM_EV_TCP_FAILS:
	case FSM_EV_NOTIF:
		return fsm_fail(o, 0);
	case FSM_EV_NOTIF_VERSION_ERR:
		return fsm_go(FSM_IDLE, FSM_A_DOWN);
	case FSM_EV_OPEN:
		/*
		 * §8.2.2 runs collision detection here; in dxbgp it runs
		 * on the connection that received the second OPEN, and
		 * this one learns the outcome as event 23.  A second OPEN
		 * on this connection is unexpected (RFC 6608 §4).
		 */
		return fsm_error(FSM_OPENCONFIRM, ev, o, 0);
	case FSM_EV_HEADER_ERR:
	case FSM_EV_OPEN_ERR:
		return fsm_msg_error(fsm_fail(o, 0), ev);
	case FSM_EV_OPEN_COLLISION_DUMP:
		return fsm_notify(
		    fsm_fail(o, 0), BGP_ERR_CEASE, BGP_CEASE_COLLISION);
	case FSM_EV_KEEPALIVE:
		return fsm_go(FSM_ESTABLISHED,
		    FSM_A_HOLD_RESTART | FSM_A_SEND_HOLD_START |
			FSM_A_ESTABLISHED);
	case FSM_EV_SEND_HOLD_EXPIRES:
		return fsm_notify(
		    fsm_fail(o, 0), BGP_ERR_SEND_HOLD, FSM_SUBCODE_UNSPECIFIC);
	default:
		/* Events 9, 12-13, 20, 27-28. */
		return fsm_error(FSM_OPENCONFIRM, ev, o, 0);
	}
}

static struct fsm_out
fsm_established(enum fsm_event ev, const struct fsm_opts *o)
{
	switch (ev) {
	case FSM_EV_MANUAL_START:
	case FSM_EV_AUTO_START:
	case FSM_EV_MANUAL_START_PASSIVE:
	case FSM_EV_AUTO_START_PASSIVE:
	case FSM_EV_AUTO_START_DAMP:
	case FSM_EV_AUTO_START_DAMP_PASSIVE:
		return fsm_go(FSM_ESTABLISHED, 0);
	case FSM_EV_MANUAL_STOP:
		return fsm_manual_stop(FSM_A_DELETE_ROUTES);
	case FSM_EV_AUTO_STOP:
		return fsm_notify_caller(
		    fsm_fail(o, FSM_A_DELETE_ROUTES), BGP_ERR_CEASE);
	case FSM_EV_HOLD_EXPIRES:
		/* §8.2.2 omits deleting the routes here; it is implied. */
		return fsm_notify(fsm_fail(o, FSM_A_DELETE_ROUTES),
		    BGP_ERR_HOLD, FSM_SUBCODE_UNSPECIFIC);
	case FSM_EV_KEEPALIVE_EXPIRES:
		return fsm_go(FSM_ESTABLISHED,
		    FSM_A_SEND_KEEPALIVE | FSM_A_KEEPALIVE_RESTART);
	case FSM_EV_TCP_VALID:
	case FSM_EV_TCP_INVALID:
	case FSM_EV_TCP_ACKED:
	case FSM_EV_TCP_CONFIRMED:
		return fsm_go(FSM_ESTABLISHED, 0);
	case FSM_EV_TCP_FAILS:
	case FSM_EV_NOTIF_VERSION_ERR:
	case FSM_EV_NOTIF:
		/*
		 * §8.2.2 leaves damping out of this one failure path
		 * only; fsm_fail() damps it like all the others.
		 */
		return fsm_fail(o, FSM_A_DELETE_ROUTES);
	case FSM_EV_OPEN_COLLISION_DUMP:
		return fsm_notify(fsm_fail(o, FSM_A_DELETE_ROUTES),
		    BGP_ERR_CEASE, BGP_CEASE_COLLISION);
	case FSM_EV_KEEPALIVE:
		return fsm_go(FSM_ESTABLISHED, FSM_A_HOLD_RESTART);
	case FSM_EV_UPDATE:
		return fsm_go(
		    FSM_ESTABLISHED, FSM_A_PROCESS_UPDATE | FSM_A_HOLD_RESTART);
	case FSM_EV_UPDATE_ERR:
		return fsm_msg_error(fsm_fail(o, FSM_A_DELETE_ROUTES), ev);
	case FSM_EV_HEADER_ERR:
		/*
		 * Deviation: §8.2.2 lists event 21 under Finite State
		 * Machine Error, but §6.1 says every header error MUST be
		 * sent as Message Header Error.
		 */
		return fsm_msg_error(fsm_fail(o, FSM_A_DELETE_ROUTES), ev);
	case FSM_EV_SEND_HOLD_EXPIRES:
		return fsm_notify(fsm_fail(o, FSM_A_DELETE_ROUTES),
		    BGP_ERR_SEND_HOLD, FSM_SUBCODE_UNSPECIFIC);
	default:
		/* Events 9, 12-13, 19-20, 22: an OPEN is unexpected here. */
		return fsm_error(FSM_ESTABLISHED, ev, o, FSM_A_DELETE_ROUTES);
	}
}

struct fsm_out
fsm_step(enum fsm_state st, enum fsm_event ev, const struct fsm_opts *o)
{
	if (o == NULL)
		o = &fsm_noopts;
	assert((unsigned)st < FSM_NSTATES);
	assert(ev >= FSM_EV_MANUAL_START && ev < FSM_EV_MAX);
	if (ev < FSM_EV_MANUAL_START || ev >= FSM_EV_MAX)
		return fsm_go(st, 0);

	switch (st) {
	case FSM_IDLE:
		return fsm_idle(ev, o);
	case FSM_CONNECT:
		return fsm_connect(ev, o);
	case FSM_ACTIVE:
		return fsm_active(ev, o);
	case FSM_OPENSENT:
		return fsm_opensent(ev, o);
	case FSM_OPENCONFIRM:
		return fsm_openconfirm(ev, o);
	case FSM_ESTABLISHED:
		return fsm_established(ev, o);
	case FSM_NSTATES:
		break;
	}
	return fsm_go(st, 0);
}

static const char *const fsm_state_names[FSM_NSTATES] = {
	[FSM_IDLE] = "Idle",
	[FSM_CONNECT] = "Connect",
	[FSM_ACTIVE] = "Active",
	[FSM_OPENSENT] = "OpenSent",
	[FSM_OPENCONFIRM] = "OpenConfirm",
	[FSM_ESTABLISHED] = "Established",
};

const char *
fsm_state_name(enum fsm_state st)
{
	if ((unsigned)st >= FSM_NSTATES)
		return "unknown";
	return fsm_state_names[st];
}

/* RFC 4271 §8.1 and RFC 9687 §4.2 names, for logs and MIBs. */
static const char *const fsm_event_names[FSM_EV_MAX] = {
	[FSM_EV_MANUAL_START] = "ManualStart",
	[FSM_EV_MANUAL_STOP] = "ManualStop",
	[FSM_EV_AUTO_START] = "AutomaticStart",
	[FSM_EV_MANUAL_START_PASSIVE] =
	    "ManualStart_with_PassiveTcpEstablishment",
	[FSM_EV_AUTO_START_PASSIVE] =
	    "AutomaticStart_with_PassiveTcpEstablishment",
	[FSM_EV_AUTO_START_DAMP] = "AutomaticStart_with_DampPeerOscillations",
	[FSM_EV_AUTO_START_DAMP_PASSIVE] =
	    "AutomaticStart_with_DampPeerOscillations_and_"
	    "PassiveTcpEstablishment",
	[FSM_EV_AUTO_STOP] = "AutomaticStop",
	[FSM_EV_CONNRETRY_EXPIRES] = "ConnectRetryTimer_Expires",
	[FSM_EV_HOLD_EXPIRES] = "HoldTimer_Expires",
	[FSM_EV_KEEPALIVE_EXPIRES] = "KeepaliveTimer_Expires",
	[FSM_EV_DELAYOPEN_EXPIRES] = "DelayOpenTimer_Expires",
	[FSM_EV_IDLEHOLD_EXPIRES] = "IdleHoldTimer_Expires",
	[FSM_EV_TCP_VALID] = "TcpConnection_Valid",
	[FSM_EV_TCP_INVALID] = "Tcp_CR_Invalid",
	[FSM_EV_TCP_ACKED] = "Tcp_CR_Acked",
	[FSM_EV_TCP_CONFIRMED] = "TcpConnectionConfirmed",
	[FSM_EV_TCP_FAILS] = "TcpConnectionFails",
	[FSM_EV_OPEN] = "BGPOpen",
	[FSM_EV_OPEN_DELAYOPEN] = "BGPOpen with DelayOpenTimer running",
	[FSM_EV_HEADER_ERR] = "BGPHeaderErr",
	[FSM_EV_OPEN_ERR] = "BGPOpenMsgErr",
	[FSM_EV_OPEN_COLLISION_DUMP] = "OpenCollisionDump",
	[FSM_EV_NOTIF_VERSION_ERR] = "NotifMsgVerErr",
	[FSM_EV_NOTIF] = "NotifMsg",
	[FSM_EV_KEEPALIVE] = "KeepAliveMsg",
	[FSM_EV_UPDATE] = "UpdateMsg",
	[FSM_EV_UPDATE_ERR] = "UpdateMsgErr",
	[FSM_EV_SEND_HOLD_EXPIRES] = "SendHoldTimer_Expires",
};

const char *
fsm_event_name(enum fsm_event ev)
{
	if (ev < FSM_EV_MANUAL_START || ev >= FSM_EV_MAX)
		return "unknown";
	return fsm_event_names[ev];
}

static const char *const fsm_action_names[FSM_A_NBITS] = {
	"process-open",
	"send-notification",
	"connretry-stop",
	"delayopen-stop",
	"hold-stop",
	"keepalive-stop",
	"send-hold-stop",
	"idlehold-stop",
	"delete-routes",
	"drop-tcp",
	"release-resources",
	"connretry-count-zero",
	"connretry-count-inc",
	"damp",
	"init-resources",
	"connretry-start",
	"delayopen-start",
	"idlehold-start",
	"connect",
	"listen",
	"send-open",
	"send-keepalive",
	"hold-start-large",
	"hold-start",
	"keepalive-start",
	"send-hold-start",
	"established",
	"process-update",
};

const char *
fsm_action_name(uint32_t action)
{
	unsigned int i;

	for (i = 0; i < FSM_A_NBITS; i++)
		if (action == 1u << i)
			return fsm_action_names[i];
	return "unknown";
}
