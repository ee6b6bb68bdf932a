/*
 * fsm.h: the BGP finite state machine of RFC 4271 §8 as a pure function.
 *
 * fsm_step() takes a state, an event and the session's optional
 * attributes, and returns the next state and the actions to take.  It
 * never touches a socket, a timer or a route: the session executes the
 * actions.  The FSM keeps no memory between steps; the little run-time
 * knowledge the RFC asks for (is the DelayOpenTimer running?) is passed
 * in struct fsm_opts.
 */
#ifndef DXBGP_FSM_H
#define DXBGP_FSM_H

#include <stdbool.h>
#include <stdint.h>

/* RFC 4271 §8.2.2: the six states. */
enum fsm_state {
	FSM_IDLE,
	FSM_CONNECT,
	FSM_ACTIVE,
	FSM_OPENSENT,
	FSM_OPENCONFIRM,
	FSM_ESTABLISHED,
	FSM_NSTATES
};

/* RFC 4271 §8.1 (events 1-28) and RFC 9687 §4.2 (event 29). */
enum fsm_event {
	/* §8.1.2: administrative events. */
	FSM_EV_MANUAL_START = 1,
	FSM_EV_MANUAL_STOP = 2,
	FSM_EV_AUTO_START = 3,
	FSM_EV_MANUAL_START_PASSIVE = 4,
	FSM_EV_AUTO_START_PASSIVE = 5,
	FSM_EV_AUTO_START_DAMP = 6,
	FSM_EV_AUTO_START_DAMP_PASSIVE = 7,
	FSM_EV_AUTO_STOP = 8,
	/* §8.1.3: timer events. */
	FSM_EV_CONNRETRY_EXPIRES = 9,
	FSM_EV_HOLD_EXPIRES = 10,
	FSM_EV_KEEPALIVE_EXPIRES = 11,
	FSM_EV_DELAYOPEN_EXPIRES = 12,
	FSM_EV_IDLEHOLD_EXPIRES = 13,
	/* §8.1.4: TCP connection events. */
	FSM_EV_TCP_VALID = 14,
	FSM_EV_TCP_INVALID = 15,
	FSM_EV_TCP_ACKED = 16,
	FSM_EV_TCP_CONFIRMED = 17,
	FSM_EV_TCP_FAILS = 18,
	/* §8.1.5: BGP message events. */
	FSM_EV_OPEN = 19,
	FSM_EV_OPEN_DELAYOPEN = 20,
	FSM_EV_HEADER_ERR = 21,
	FSM_EV_OPEN_ERR = 22,
	FSM_EV_OPEN_COLLISION_DUMP = 23,
	FSM_EV_NOTIF_VERSION_ERR = 24,
	FSM_EV_NOTIF = 25,
	FSM_EV_KEEPALIVE = 26,
	FSM_EV_UPDATE = 27,
	FSM_EV_UPDATE_ERR = 28,
	/* RFC 9687 §4.2. */
	FSM_EV_SEND_HOLD_EXPIRES = 29,
	FSM_EV_MAX
};

/*
 * The optional session attributes of RFC 4271 §8.1.1 that change a
 * transition, and the one piece of run-time state the RFC branches on.
 * A NULL pointer means all false.
 */
struct fsm_opts {
	/*
	 * PassiveTcpEstablishment.  Start events 1, 3, 6 and 13 act as
	 * their passive forms, and in Active a ConnectRetryTimer expiry
	 * keeps listening instead of moving to Connect: a passive peer
	 * never initiates a connection.
	 */
	bool passive;
	/* DelayOpen: after TCP comes up, wait DelayOpenTime for an OPEN. */
	bool delay_open;
	/*
	 * DampPeerOscillations: failures add FSM_A_DAMP; events 6 and 7
	 * arm the IdleHoldTimer and event 13 starts the session.
	 */
	bool damp_oscillations;
	/*
	 * SendNOTIFICATIONwithoutOPEN: in Connect and Active, a NOTIFICATION
	 * may be sent before our OPEN (events 21 and 22, and event 2 while
	 * the DelayOpenTimer runs).
	 */
	bool send_notif_without_open;
	/*
	 * Run-time, not configuration: the DelayOpenTimer is running.  Only
	 * read in Connect and Active (events 2, 18 and 24).
	 */
	bool delayopen_running;
};

/*
 * Actions, one bit each.  The caller executes the bits of one step in
 * ascending order; the order below is a valid execution order (the
 * OPEN is adopted before timers use its values, a NOTIFICATION goes out
 * before the connection is dropped, timers stop before they start).
 *
 * Timers: X_START arms timer X with its initial value, replacing any
 * countdown in progress; X_STOP disarms it and sets it to zero.  Where
 * the RFC says "restarts", both bits are set: STOP|START.
 *
 * Every transition into Idle from another state stops all timers but
 * the IdleHoldTimer, drops the TCP connection and releases resources.
 */

/*
 * Adopt the received OPEN, already checked by the caller (§6.2): the
 * negotiated hold time and keepalive interval, the capabilities, an
 * internal or external peer (§4.2).  First, because HOLD_START and
 * KEEPALIVE_START use its values.  If the caller finds an error only
 * now, it executes none of the step's other bits and feeds
 * FSM_EV_OPEN_ERR from the state it was in.
 */
#define FSM_A_PROCESS_OPEN (1u << 0)
/* Send a NOTIFICATION: fsm_out's notify_code and notify_subcode. */
#define FSM_A_SEND_NOTIFICATION (1u << 1)
/* Stop the ConnectRetryTimer (§8, §10). */
#define FSM_A_CONNRETRY_STOP (1u << 2)
/* Stop the DelayOpenTimer (§8.1.1). */
#define FSM_A_DELAYOPEN_STOP (1u << 3)
/* Stop the HoldTimer, large or negotiated. */
#define FSM_A_HOLD_STOP (1u << 4)
/* Stop the KeepaliveTimer. */
#define FSM_A_KEEPALIVE_STOP (1u << 5)
/* Stop the SendHoldTimer (RFC 9687 §4). */
#define FSM_A_SEND_HOLD_STOP (1u << 6)
/* Stop the IdleHoldTimer (§8.1.1); only with damp_oscillations. */
#define FSM_A_IDLEHOLD_STOP (1u << 7)
/* Delete every route learned from the peer (leaving Established). */
#define FSM_A_DELETE_ROUTES (1u << 8)
/* Close the TCP connection, or the connection attempt in progress. */
#define FSM_A_DROP_TCP (1u << 9)
/* Release the connection's resources (buffers, negotiated values). */
#define FSM_A_RELEASE_RESOURCES (1u << 10)
/* Set the ConnectRetryCounter to zero. */
#define FSM_A_CONNRETRY_COUNT_ZERO (1u << 11)
/* Add one to the ConnectRetryCounter. */
#define FSM_A_CONNRETRY_COUNT_INC (1u << 12)
/*
 * Peer oscillation damping (§8.1.1): lengthen the IdleHoldTime, so the
 * next automatic start (event 6 or 7) waits longer.  Only with
 * damp_oscillations, and always with CONNRETRY_COUNT_INC.
 */
#define FSM_A_DAMP (1u << 13)
/* Allocate the resources of a connection to the peer. */
#define FSM_A_INIT_RESOURCES (1u << 14)
/* Arm the ConnectRetryTimer with ConnectRetryTime. */
#define FSM_A_CONNRETRY_START (1u << 15)
/* Arm the DelayOpenTimer with DelayOpenTime. */
#define FSM_A_DELAYOPEN_START (1u << 16)
/* Arm the IdleHoldTimer with IdleHoldTime. */
#define FSM_A_IDLEHOLD_START (1u << 17)
/* Initiate a TCP connection to the peer. */
#define FSM_A_CONNECT (1u << 18)
/* Accept a TCP connection from the peer (§8.2.1). */
#define FSM_A_LISTEN (1u << 19)
/* Send our OPEN. */
#define FSM_A_SEND_OPEN (1u << 20)
/* Send a KEEPALIVE. */
#define FSM_A_SEND_KEEPALIVE (1u << 21)
/* Arm the HoldTimer with BGP_HOLD_LARGE, 4 minutes (§8.2.2). */
#define FSM_A_HOLD_START_LARGE (1u << 22)
/*
 * Arm the HoldTimer with the negotiated hold time; if that is zero,
 * stop it instead (§4.2).
 */
#define FSM_A_HOLD_START (1u << 23)
/*
 * Arm the KeepaliveTimer with the negotiated interval (a third of the
 * hold time, §10); if the hold time is zero, stop it instead.
 */
#define FSM_A_KEEPALIVE_START (1u << 24)
/* Arm the SendHoldTimer if SendHoldTime is non-zero (RFC 9687 §4.3). */
#define FSM_A_SEND_HOLD_START (1u << 25)
/* The session is up: send the Adj-RIB-Out, accept UPDATEs (§9). */
#define FSM_A_ESTABLISHED (1u << 26)
/* Hand the received UPDATE to the RIB (§9). */
#define FSM_A_PROCESS_UPDATE (1u << 27)
#define FSM_A_NBITS          28

/* RFC 4271 §4.5: the "Unspecific" subcode, where none is defined. */
#define FSM_SUBCODE_UNSPECIFIC 0

struct fsm_out {
	enum fsm_state next;
	uint32_t actions; /* FSM_A_* */
	/* With FSM_A_SEND_NOTIFICATION; zero otherwise. */
	uint8_t notify_code; /* enum bgp_err_code */
	uint8_t notify_subcode;
	/*
	 * The code is final, but the caller supplies the subcode and data
	 * it knows: the codec's error for events 21, 22 and 28, the reason
	 * (e.g. BGP_CEASE_MAX_PREFIX) for an AutomaticStop.  Lacking one,
	 * notify_subcode (FSM_SUBCODE_UNSPECIFIC) is a valid default.
	 */
	bool notify_caller;
};

/*
 * One transition of RFC 4271 §8.2.2 from st on ev.  An out-of-range
 * state or event is the caller's bug (assert).  Messages with no event
 * of their own (ROUTE-REFRESH) are the session's to judge; received
 * before Established, RFC 6608 makes them an FSM error, which the
 * session can get by feeding FSM_EV_UPDATE.
 */
struct fsm_out fsm_step(
    enum fsm_state st, enum fsm_event ev, const struct fsm_opts *opts);
const char *fsm_state_name(enum fsm_state);
const char *fsm_event_name(enum fsm_event);
/* Name of a single FSM_A_* bit, for logs. */
const char *fsm_action_name(uint32_t);

#endif
