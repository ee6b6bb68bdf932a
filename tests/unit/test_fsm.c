/*
 * test_fsm.c: tests bgpd/fsm.c, the RFC 4271 §8.2.2 state machine.
 *
 * The expected outcome of every (state, event) pair is written out
 * below from the RFC text, with the session attributes at their
 * defaults; a second table holds the pairs whose outcome an attribute
 * changes.  Exact next state, exact action set, exact NOTIFICATION.
 * Properties that must hold for every pair under every combination of
 * attributes, and two walks through a whole session, follow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dxbgp/bgp.h"
#include "dxbgp/fsm.h"

/*
 * Action sets, spelled out here and not taken from fsm.c, so that a
 * change there shows up as a failure here.
 */
/* Into Idle: all timers but IdleHold stopped, TCP dropped, released. */
#define DOWN                                                                   \
	(FSM_A_CONNRETRY_STOP | FSM_A_DELAYOPEN_STOP | FSM_A_HOLD_STOP |       \
	    FSM_A_KEEPALIVE_STOP | FSM_A_SEND_HOLD_STOP | FSM_A_DROP_TCP |     \
	    FSM_A_RELEASE_RESOURCES)
/* A failure: ConnectRetryCounter += 1. */
#define FAIL (DOWN | FSM_A_CONNRETRY_COUNT_INC)
/* A failure out of Established also deletes the peer's routes. */
#define EFAIL (FAIL | FSM_A_DELETE_ROUTES)
/* A ManualStop: ConnectRetryCounter := 0. */
#define STOP (DOWN | FSM_A_CONNRETRY_COUNT_ZERO)
/* Idle, events 1/3 and 4/5. */
#define START_PASSIVE                                                          \
	(FSM_A_INIT_RESOURCES | FSM_A_CONNRETRY_COUNT_ZERO |                   \
	    FSM_A_CONNRETRY_START | FSM_A_LISTEN)
#define START (START_PASSIVE | FSM_A_CONNECT)
/* TCP up without DelayOpen: OPEN out, HoldTimer at 4 minutes. */
#define TCP_UP (FSM_A_CONNRETRY_STOP | FSM_A_SEND_OPEN | FSM_A_HOLD_START_LARGE)
/* TCP up with DelayOpen: wait for the peer's OPEN. */
#define TCP_UP_DELAY (FSM_A_CONNRETRY_STOP | FSM_A_DELAYOPEN_START)
/* Event 20 in Connect or Active. */
#define OPEN_DELAYED                                                           \
	(FSM_A_PROCESS_OPEN | FSM_A_CONNRETRY_STOP | FSM_A_DELAYOPEN_STOP |    \
	    FSM_A_SEND_OPEN | FSM_A_SEND_KEEPALIVE | FSM_A_HOLD_START |        \
	    FSM_A_KEEPALIVE_START)
/* Event 19 in OpenSent. */
#define OPEN_OK                                                                \
	(FSM_A_PROCESS_OPEN | FSM_A_DELAYOPEN_STOP | FSM_A_CONNRETRY_STOP |    \
	    FSM_A_SEND_KEEPALIVE | FSM_A_HOLD_START | FSM_A_KEEPALIVE_START)
#define CR_RESTART   (FSM_A_CONNRETRY_STOP | FSM_A_CONNRETRY_START)
#define HOLD_RESTART (FSM_A_HOLD_STOP | FSM_A_HOLD_START)
#define KA_RESTART   (FSM_A_KEEPALIVE_STOP | FSM_A_KEEPALIVE_START)
#define NOTIF        FSM_A_SEND_NOTIFICATION

#define IDLE FSM_IDLE
#define CONN FSM_CONNECT
#define ACTV FSM_ACTIVE
#define OSNT FSM_OPENSENT
#define OCNF FSM_OPENCONFIRM
#define ESTB FSM_ESTABLISHED

struct fsm_case {
	enum fsm_state st;
	enum fsm_event ev;
	enum fsm_state next;
	uint32_t actions;
	uint8_t code;
	uint8_t subcode;
	bool caller;
};

#define CASE(s, e, n, a, c, sc, cl)                                            \
	{                                                                      \
		.st = s, .ev = e, .next = n, .actions = a, .code = c,          \
		.subcode = sc, .caller = cl                                    \
	}
/* No change at all. */
#define IGN(s, e) CASE(s, e, s, 0, 0, 0, false)
/* A transition without NOTIFICATION. */
#define GO(s, e, n, a) CASE(s, e, n, a, 0, 0, false)
/* A transition with a NOTIFICATION code/subcode. */
#define NOT(s, e, n, a, c, sc) CASE(s, e, n, (a) | NOTIF, c, sc, false)
/* A NOTIFICATION whose subcode the caller supplies. */
#define NOTC(s, e, n, a, c) CASE(s, e, n, (a) | NOTIF, c, 0, true)

#define FSMERR(s, e, a, sc) NOT(s, e, IDLE, a, BGP_ERR_FSM, sc)
#define HOLDERR(s, e, a)    NOT(s, e, IDLE, a, BGP_ERR_HOLD, 0)
#define SENDHOLD(s, e, a)   NOT(s, e, IDLE, a, BGP_ERR_SEND_HOLD, 0)
#define CEASE(s, e, a, sc)  NOT(s, e, IDLE, a, BGP_ERR_CEASE, sc)

/* Every (state, event) pair with default attributes, in RFC order. */
static const struct fsm_case fsm_default_cases[] = {
	/* Idle: starts leave Idle, everything else is ignored. */
	GO(IDLE, FSM_EV_MANUAL_START, CONN, START),
	IGN(IDLE, FSM_EV_MANUAL_STOP),
	GO(IDLE, FSM_EV_AUTO_START, CONN, START),
	GO(IDLE, FSM_EV_MANUAL_START_PASSIVE, ACTV, START_PASSIVE),
	GO(IDLE, FSM_EV_AUTO_START_PASSIVE, ACTV, START_PASSIVE),
	/* Without damping, 6 and 7 are plain automatic starts. */
	GO(IDLE, FSM_EV_AUTO_START_DAMP, CONN, START),
	GO(IDLE, FSM_EV_AUTO_START_DAMP_PASSIVE, ACTV, START_PASSIVE),
	IGN(IDLE, FSM_EV_AUTO_STOP),
	IGN(IDLE, FSM_EV_CONNRETRY_EXPIRES),
	IGN(IDLE, FSM_EV_HOLD_EXPIRES),
	IGN(IDLE, FSM_EV_KEEPALIVE_EXPIRES),
	IGN(IDLE, FSM_EV_DELAYOPEN_EXPIRES),
	IGN(IDLE, FSM_EV_IDLEHOLD_EXPIRES),
	IGN(IDLE, FSM_EV_TCP_VALID),
	IGN(IDLE, FSM_EV_TCP_INVALID),
	IGN(IDLE, FSM_EV_TCP_ACKED),
	IGN(IDLE, FSM_EV_TCP_CONFIRMED),
	IGN(IDLE, FSM_EV_TCP_FAILS),
	IGN(IDLE, FSM_EV_OPEN),
	IGN(IDLE, FSM_EV_OPEN_DELAYOPEN),
	IGN(IDLE, FSM_EV_HEADER_ERR),
	IGN(IDLE, FSM_EV_OPEN_ERR),
	IGN(IDLE, FSM_EV_OPEN_COLLISION_DUMP),
	IGN(IDLE, FSM_EV_NOTIF_VERSION_ERR),
	IGN(IDLE, FSM_EV_NOTIF),
	IGN(IDLE, FSM_EV_KEEPALIVE),
	IGN(IDLE, FSM_EV_UPDATE),
	IGN(IDLE, FSM_EV_UPDATE_ERR),
	IGN(IDLE, FSM_EV_SEND_HOLD_EXPIRES),

	/* Connect. */
	IGN(CONN, FSM_EV_MANUAL_START),
	GO(CONN, FSM_EV_MANUAL_STOP, IDLE, STOP),
	IGN(CONN, FSM_EV_AUTO_START),
	IGN(CONN, FSM_EV_MANUAL_START_PASSIVE),
	IGN(CONN, FSM_EV_AUTO_START_PASSIVE),
	IGN(CONN, FSM_EV_AUTO_START_DAMP),
	IGN(CONN, FSM_EV_AUTO_START_DAMP_PASSIVE),
	GO(CONN, FSM_EV_AUTO_STOP, IDLE, FAIL),
	GO(CONN, FSM_EV_CONNRETRY_EXPIRES, CONN,
	    FSM_A_DROP_TCP | CR_RESTART | FSM_A_DELAYOPEN_STOP | FSM_A_CONNECT |
		FSM_A_LISTEN),
	GO(CONN, FSM_EV_HOLD_EXPIRES, IDLE, FAIL),
	GO(CONN, FSM_EV_KEEPALIVE_EXPIRES, IDLE, FAIL),
	GO(CONN, FSM_EV_DELAYOPEN_EXPIRES, OSNT,
	    FSM_A_SEND_OPEN | FSM_A_HOLD_START_LARGE),
	GO(CONN, FSM_EV_IDLEHOLD_EXPIRES, IDLE, FAIL),
	IGN(CONN, FSM_EV_TCP_VALID),
	IGN(CONN, FSM_EV_TCP_INVALID),
	GO(CONN, FSM_EV_TCP_ACKED, OSNT, TCP_UP),
	GO(CONN, FSM_EV_TCP_CONFIRMED, OSNT, TCP_UP),
	/* DelayOpenTimer not running: to Idle, not counted. */
	GO(CONN, FSM_EV_TCP_FAILS, IDLE, DOWN),
	GO(CONN, FSM_EV_OPEN, IDLE, FAIL),
	GO(CONN, FSM_EV_OPEN_DELAYOPEN, OCNF, OPEN_DELAYED),
	/* No SendNOTIFICATIONwithoutOPEN: no NOTIFICATION. */
	GO(CONN, FSM_EV_HEADER_ERR, IDLE, FAIL),
	GO(CONN, FSM_EV_OPEN_ERR, IDLE, FAIL),
	GO(CONN, FSM_EV_OPEN_COLLISION_DUMP, IDLE, FAIL),
	GO(CONN, FSM_EV_NOTIF_VERSION_ERR, IDLE, FAIL),
	GO(CONN, FSM_EV_NOTIF, IDLE, FAIL),
	GO(CONN, FSM_EV_KEEPALIVE, IDLE, FAIL),
	GO(CONN, FSM_EV_UPDATE, IDLE, FAIL),
	GO(CONN, FSM_EV_UPDATE_ERR, IDLE, FAIL),
	GO(CONN, FSM_EV_SEND_HOLD_EXPIRES, IDLE, FAIL),

	/* Active. */
	IGN(ACTV, FSM_EV_MANUAL_START),
	GO(ACTV, FSM_EV_MANUAL_STOP, IDLE, STOP),
	IGN(ACTV, FSM_EV_AUTO_START),
	IGN(ACTV, FSM_EV_MANUAL_START_PASSIVE),
	IGN(ACTV, FSM_EV_AUTO_START_PASSIVE),
	IGN(ACTV, FSM_EV_AUTO_START_DAMP),
	IGN(ACTV, FSM_EV_AUTO_START_DAMP_PASSIVE),
	GO(ACTV, FSM_EV_AUTO_STOP, IDLE, FAIL),
	GO(ACTV, FSM_EV_CONNRETRY_EXPIRES, CONN,
	    CR_RESTART | FSM_A_CONNECT | FSM_A_LISTEN),
	GO(ACTV, FSM_EV_HOLD_EXPIRES, IDLE, FAIL),
	GO(ACTV, FSM_EV_KEEPALIVE_EXPIRES, IDLE, FAIL),
	GO(ACTV, FSM_EV_DELAYOPEN_EXPIRES, OSNT,
	    FSM_A_CONNRETRY_STOP | FSM_A_DELAYOPEN_STOP | FSM_A_SEND_OPEN |
		FSM_A_HOLD_START_LARGE),
	GO(ACTV, FSM_EV_IDLEHOLD_EXPIRES, IDLE, FAIL),
	IGN(ACTV, FSM_EV_TCP_VALID),
	IGN(ACTV, FSM_EV_TCP_INVALID),
	GO(ACTV, FSM_EV_TCP_ACKED, OSNT, TCP_UP),
	GO(ACTV, FSM_EV_TCP_CONFIRMED, OSNT, TCP_UP),
	GO(ACTV, FSM_EV_TCP_FAILS, IDLE, FAIL),
	GO(ACTV, FSM_EV_OPEN, IDLE, FAIL),
	GO(ACTV, FSM_EV_OPEN_DELAYOPEN, OCNF, OPEN_DELAYED),
	GO(ACTV, FSM_EV_HEADER_ERR, IDLE, FAIL),
	GO(ACTV, FSM_EV_OPEN_ERR, IDLE, FAIL),
	GO(ACTV, FSM_EV_OPEN_COLLISION_DUMP, IDLE, FAIL),
	GO(ACTV, FSM_EV_NOTIF_VERSION_ERR, IDLE, FAIL),
	GO(ACTV, FSM_EV_NOTIF, IDLE, FAIL),
	GO(ACTV, FSM_EV_KEEPALIVE, IDLE, FAIL),
	GO(ACTV, FSM_EV_UPDATE, IDLE, FAIL),
	GO(ACTV, FSM_EV_UPDATE_ERR, IDLE, FAIL),
	GO(ACTV, FSM_EV_SEND_HOLD_EXPIRES, IDLE, FAIL),

	/* OpenSent: unexpected messages are FSM Error 5/1 (RFC 6608). */
	IGN(OSNT, FSM_EV_MANUAL_START),
	CEASE(OSNT, FSM_EV_MANUAL_STOP, STOP, BGP_CEASE_ADMIN_SHUTDOWN),
	IGN(OSNT, FSM_EV_AUTO_START),
	IGN(OSNT, FSM_EV_MANUAL_START_PASSIVE),
	IGN(OSNT, FSM_EV_AUTO_START_PASSIVE),
	IGN(OSNT, FSM_EV_AUTO_START_DAMP),
	IGN(OSNT, FSM_EV_AUTO_START_DAMP_PASSIVE),
	NOTC(OSNT, FSM_EV_AUTO_STOP, IDLE, FAIL, BGP_ERR_CEASE),
	FSMERR(OSNT, FSM_EV_CONNRETRY_EXPIRES, FAIL, BGP_ERR_FSM_UNSPEC),
	HOLDERR(OSNT, FSM_EV_HOLD_EXPIRES, FAIL),
	FSMERR(OSNT, FSM_EV_KEEPALIVE_EXPIRES, FAIL, BGP_ERR_FSM_UNSPEC),
	FSMERR(OSNT, FSM_EV_DELAYOPEN_EXPIRES, FAIL, BGP_ERR_FSM_UNSPEC),
	FSMERR(OSNT, FSM_EV_IDLEHOLD_EXPIRES, FAIL, BGP_ERR_FSM_UNSPEC),
	IGN(OSNT, FSM_EV_TCP_VALID),
	IGN(OSNT, FSM_EV_TCP_INVALID),
	IGN(OSNT, FSM_EV_TCP_ACKED),
	IGN(OSNT, FSM_EV_TCP_CONFIRMED),
	GO(OSNT, FSM_EV_TCP_FAILS, ACTV,
	    FSM_A_HOLD_STOP | FSM_A_SEND_HOLD_STOP | FSM_A_DROP_TCP |
		CR_RESTART | FSM_A_LISTEN),
	GO(OSNT, FSM_EV_OPEN, OCNF, OPEN_OK),
	FSMERR(OSNT, FSM_EV_OPEN_DELAYOPEN, FAIL, BGP_ERR_FSM_OPENSENT),
	NOTC(OSNT, FSM_EV_HEADER_ERR, IDLE, FAIL, BGP_ERR_HEADER),
	NOTC(OSNT, FSM_EV_OPEN_ERR, IDLE, FAIL, BGP_ERR_OPEN),
	CEASE(OSNT, FSM_EV_OPEN_COLLISION_DUMP, FAIL, BGP_CEASE_COLLISION),
	/* A version error is negotiation: not counted. */
	GO(OSNT, FSM_EV_NOTIF_VERSION_ERR, IDLE, DOWN),
	/* Not answered with a NOTIFICATION (see fsm.c). */
	GO(OSNT, FSM_EV_NOTIF, IDLE, FAIL),
	FSMERR(OSNT, FSM_EV_KEEPALIVE, FAIL, BGP_ERR_FSM_OPENSENT),
	FSMERR(OSNT, FSM_EV_UPDATE, FAIL, BGP_ERR_FSM_OPENSENT),
	FSMERR(OSNT, FSM_EV_UPDATE_ERR, FAIL, BGP_ERR_FSM_OPENSENT),
	SENDHOLD(OSNT, FSM_EV_SEND_HOLD_EXPIRES, FAIL),

	/* OpenConfirm: unexpected messages are FSM Error 5/2. */
	IGN(OCNF, FSM_EV_MANUAL_START),
	CEASE(OCNF, FSM_EV_MANUAL_STOP, STOP, BGP_CEASE_ADMIN_SHUTDOWN),
	IGN(OCNF, FSM_EV_AUTO_START),
	IGN(OCNF, FSM_EV_MANUAL_START_PASSIVE),
	IGN(OCNF, FSM_EV_AUTO_START_PASSIVE),
	IGN(OCNF, FSM_EV_AUTO_START_DAMP),
	IGN(OCNF, FSM_EV_AUTO_START_DAMP_PASSIVE),
	NOTC(OCNF, FSM_EV_AUTO_STOP, IDLE, FAIL, BGP_ERR_CEASE),
	FSMERR(OCNF, FSM_EV_CONNRETRY_EXPIRES, FAIL, BGP_ERR_FSM_UNSPEC),
	HOLDERR(OCNF, FSM_EV_HOLD_EXPIRES, FAIL),
	GO(OCNF, FSM_EV_KEEPALIVE_EXPIRES, OCNF,
	    FSM_A_SEND_KEEPALIVE | KA_RESTART),
	FSMERR(OCNF, FSM_EV_DELAYOPEN_EXPIRES, FAIL, BGP_ERR_FSM_UNSPEC),
	FSMERR(OCNF, FSM_EV_IDLEHOLD_EXPIRES, FAIL, BGP_ERR_FSM_UNSPEC),
	IGN(OCNF, FSM_EV_TCP_VALID),
	IGN(OCNF, FSM_EV_TCP_INVALID),
	IGN(OCNF, FSM_EV_TCP_ACKED),
	IGN(OCNF, FSM_EV_TCP_CONFIRMED),
	GO(OCNF, FSM_EV_TCP_FAILS, IDLE, FAIL),
	FSMERR(OCNF, FSM_EV_OPEN, FAIL, BGP_ERR_FSM_OPENCONFIRM),
	FSMERR(OCNF, FSM_EV_OPEN_DELAYOPEN, FAIL, BGP_ERR_FSM_OPENCONFIRM),
	NOTC(OCNF, FSM_EV_HEADER_ERR, IDLE, FAIL, BGP_ERR_HEADER),
	NOTC(OCNF, FSM_EV_OPEN_ERR, IDLE, FAIL, BGP_ERR_OPEN),
	CEASE(OCNF, FSM_EV_OPEN_COLLISION_DUMP, FAIL, BGP_CEASE_COLLISION),
	GO(OCNF, FSM_EV_NOTIF_VERSION_ERR, IDLE, DOWN),
	GO(OCNF, FSM_EV_NOTIF, IDLE, FAIL),
	GO(OCNF, FSM_EV_KEEPALIVE, ESTB,
	    HOLD_RESTART | FSM_A_SEND_HOLD_START | FSM_A_ESTABLISHED),
	FSMERR(OCNF, FSM_EV_UPDATE, FAIL, BGP_ERR_FSM_OPENCONFIRM),
	FSMERR(OCNF, FSM_EV_UPDATE_ERR, FAIL, BGP_ERR_FSM_OPENCONFIRM),
	SENDHOLD(OCNF, FSM_EV_SEND_HOLD_EXPIRES, FAIL),

	/* Established: unexpected messages are FSM Error 5/3. */
	IGN(ESTB, FSM_EV_MANUAL_START),
	CEASE(ESTB, FSM_EV_MANUAL_STOP, STOP | FSM_A_DELETE_ROUTES,
	    BGP_CEASE_ADMIN_SHUTDOWN),
	IGN(ESTB, FSM_EV_AUTO_START),
	IGN(ESTB, FSM_EV_MANUAL_START_PASSIVE),
	IGN(ESTB, FSM_EV_AUTO_START_PASSIVE),
	IGN(ESTB, FSM_EV_AUTO_START_DAMP),
	IGN(ESTB, FSM_EV_AUTO_START_DAMP_PASSIVE),
	NOTC(ESTB, FSM_EV_AUTO_STOP, IDLE, EFAIL, BGP_ERR_CEASE),
	FSMERR(ESTB, FSM_EV_CONNRETRY_EXPIRES, EFAIL, BGP_ERR_FSM_UNSPEC),
	HOLDERR(ESTB, FSM_EV_HOLD_EXPIRES, EFAIL),
	GO(ESTB, FSM_EV_KEEPALIVE_EXPIRES, ESTB,
	    FSM_A_SEND_KEEPALIVE | KA_RESTART),
	FSMERR(ESTB, FSM_EV_DELAYOPEN_EXPIRES, EFAIL, BGP_ERR_FSM_UNSPEC),
	FSMERR(ESTB, FSM_EV_IDLEHOLD_EXPIRES, EFAIL, BGP_ERR_FSM_UNSPEC),
	IGN(ESTB, FSM_EV_TCP_VALID),
	IGN(ESTB, FSM_EV_TCP_INVALID),
	IGN(ESTB, FSM_EV_TCP_ACKED),
	IGN(ESTB, FSM_EV_TCP_CONFIRMED),
	GO(ESTB, FSM_EV_TCP_FAILS, IDLE, EFAIL),
	FSMERR(ESTB, FSM_EV_OPEN, EFAIL, BGP_ERR_FSM_ESTABLISHED),
	FSMERR(ESTB, FSM_EV_OPEN_DELAYOPEN, EFAIL, BGP_ERR_FSM_ESTABLISHED),
	/* RFC 4271 §6.1 over §8.2.2 (see fsm.c). */
	NOTC(ESTB, FSM_EV_HEADER_ERR, IDLE, EFAIL, BGP_ERR_HEADER),
	FSMERR(ESTB, FSM_EV_OPEN_ERR, EFAIL, BGP_ERR_FSM_ESTABLISHED),
	CEASE(ESTB, FSM_EV_OPEN_COLLISION_DUMP, EFAIL, BGP_CEASE_COLLISION),
	GO(ESTB, FSM_EV_NOTIF_VERSION_ERR, IDLE, EFAIL),
	GO(ESTB, FSM_EV_NOTIF, IDLE, EFAIL),
	GO(ESTB, FSM_EV_KEEPALIVE, ESTB, HOLD_RESTART),
	GO(ESTB, FSM_EV_UPDATE, ESTB, FSM_A_PROCESS_UPDATE | HOLD_RESTART),
	NOTC(ESTB, FSM_EV_UPDATE_ERR, IDLE, EFAIL, BGP_ERR_UPDATE),
	SENDHOLD(ESTB, FSM_EV_SEND_HOLD_EXPIRES, EFAIL),
};

/* The pairs an attribute changes, each with the attributes it needs. */
struct fsm_opt_case {
	const char *what;
	struct fsm_opts opts;
	struct fsm_case c;
};

#define O_PASSIVE                                                              \
	{                                                                      \
		.passive = true                                                \
	}
#define O_DELAY                                                                \
	{                                                                      \
		.delay_open = true                                             \
	}
#define O_RUNNING                                                              \
	{                                                                      \
		.delay_open = true, .delayopen_running = true                  \
	}
#define O_SENDNOTIF                                                            \
	{                                                                      \
		.send_notif_without_open = true                                \
	}
#define O_RUNNING_SENDNOTIF                                                    \
	{                                                                      \
		.delay_open = true, .delayopen_running = true,                 \
		.send_notif_without_open = true                                \
	}
#define O_DAMP                                                                 \
	{                                                                      \
		.damp_oscillations = true                                      \
	}
#define O_DAMP_PASSIVE                                                         \
	{                                                                      \
		.damp_oscillations = true, .passive = true                     \
	}

static const struct fsm_opt_case fsm_opt_cases[] = {
	/* PassiveTcpEstablishment: never initiate. */
	{ "passive", O_PASSIVE,
	    GO(IDLE, FSM_EV_MANUAL_START, ACTV, START_PASSIVE) },
	{ "passive", O_PASSIVE,
	    GO(IDLE, FSM_EV_AUTO_START, ACTV, START_PASSIVE) },
	{ "passive", O_PASSIVE,
	    GO(IDLE, FSM_EV_AUTO_START_DAMP, ACTV, START_PASSIVE) },
	{ "passive", O_PASSIVE,
	    GO(IDLE, FSM_EV_MANUAL_START_PASSIVE, ACTV, START_PASSIVE) },
	{ "passive", O_PASSIVE,
	    GO(ACTV, FSM_EV_CONNRETRY_EXPIRES, ACTV, CR_RESTART) },
	{ "passive", O_PASSIVE, GO(ACTV, FSM_EV_TCP_ACKED, OSNT, TCP_UP) },

	/* DelayOpen: TCP up does not send the OPEN yet. */
	{ "delay_open", O_DELAY,
	    GO(CONN, FSM_EV_TCP_ACKED, CONN, TCP_UP_DELAY) },
	{ "delay_open", O_DELAY,
	    GO(CONN, FSM_EV_TCP_CONFIRMED, CONN, TCP_UP_DELAY) },
	{ "delay_open", O_DELAY,
	    GO(ACTV, FSM_EV_TCP_ACKED, ACTV, TCP_UP_DELAY) },
	{ "delay_open", O_DELAY,
	    GO(ACTV, FSM_EV_TCP_CONFIRMED, ACTV, TCP_UP_DELAY) },
	/* Timer not running: as without DelayOpen. */
	{ "delay_open", O_DELAY, GO(CONN, FSM_EV_TCP_FAILS, IDLE, DOWN) },
	{ "delay_open", O_DELAY,
	    GO(CONN, FSM_EV_NOTIF_VERSION_ERR, IDLE, FAIL) },

	/* DelayOpenTimer running. */
	{ "running", O_RUNNING,
	    GO(CONN, FSM_EV_TCP_FAILS, ACTV,
		FSM_A_DROP_TCP | CR_RESTART | FSM_A_DELAYOPEN_STOP |
		    FSM_A_LISTEN) },
	{ "running", O_RUNNING, GO(ACTV, FSM_EV_TCP_FAILS, IDLE, FAIL) },
	{ "running", O_RUNNING,
	    GO(CONN, FSM_EV_NOTIF_VERSION_ERR, IDLE, DOWN) },
	{ "running", O_RUNNING,
	    GO(ACTV, FSM_EV_NOTIF_VERSION_ERR, IDLE, DOWN) },
	{ "running", O_RUNNING, GO(CONN, FSM_EV_MANUAL_STOP, IDLE, STOP) },
	{ "running", O_RUNNING, GO(ACTV, FSM_EV_MANUAL_STOP, IDLE, STOP) },
	{ "running", O_RUNNING,
	    GO(CONN, FSM_EV_OPEN_DELAYOPEN, OCNF, OPEN_DELAYED) },

	/* SendNOTIFICATIONwithoutOPEN. */
	{ "sendnotif", O_SENDNOTIF,
	    NOTC(CONN, FSM_EV_HEADER_ERR, IDLE, FAIL, BGP_ERR_HEADER) },
	{ "sendnotif", O_SENDNOTIF,
	    NOTC(CONN, FSM_EV_OPEN_ERR, IDLE, FAIL, BGP_ERR_OPEN) },
	{ "sendnotif", O_SENDNOTIF,
	    NOTC(ACTV, FSM_EV_HEADER_ERR, IDLE, FAIL, BGP_ERR_HEADER) },
	{ "sendnotif", O_SENDNOTIF,
	    NOTC(ACTV, FSM_EV_OPEN_ERR, IDLE, FAIL, BGP_ERR_OPEN) },
	/* No DelayOpen wait, so no TCP connection to send a Cease on. */
	{ "sendnotif", O_SENDNOTIF, GO(ACTV, FSM_EV_MANUAL_STOP, IDLE, STOP) },
	{ "running+sendnotif", O_RUNNING_SENDNOTIF,
	    CEASE(ACTV, FSM_EV_MANUAL_STOP, STOP, BGP_CEASE_ADMIN_SHUTDOWN) },
	{ "running+sendnotif", O_RUNNING_SENDNOTIF,
	    CEASE(CONN, FSM_EV_MANUAL_STOP, STOP, BGP_CEASE_ADMIN_SHUTDOWN) },

	/* DampPeerOscillations. */
	{ "damp", O_DAMP,
	    GO(IDLE, FSM_EV_AUTO_START_DAMP, IDLE, FSM_A_IDLEHOLD_START) },
	{ "damp", O_DAMP,
	    GO(IDLE, FSM_EV_AUTO_START_DAMP_PASSIVE, IDLE,
		FSM_A_IDLEHOLD_START) },
	{ "damp", O_DAMP,
	    GO(IDLE, FSM_EV_IDLEHOLD_EXPIRES, CONN,
		START | FSM_A_IDLEHOLD_STOP) },
	{ "damp", O_DAMP,
	    GO(IDLE, FSM_EV_MANUAL_START, CONN, START | FSM_A_IDLEHOLD_STOP) },
	{ "damp", O_DAMP,
	    GO(IDLE, FSM_EV_AUTO_START_PASSIVE, ACTV,
		START_PASSIVE | FSM_A_IDLEHOLD_STOP) },
	{ "damp", O_DAMP,
	    GO(IDLE, FSM_EV_MANUAL_STOP, IDLE, FSM_A_IDLEHOLD_STOP) },
	{ "damp", O_DAMP,
	    GO(IDLE, FSM_EV_AUTO_STOP, IDLE, FSM_A_IDLEHOLD_STOP) },
	{ "damp", O_DAMP, GO(CONN, FSM_EV_AUTO_STOP, IDLE, FAIL | FSM_A_DAMP) },
	{ "damp", O_DAMP, GO(ACTV, FSM_EV_TCP_FAILS, IDLE, FAIL | FSM_A_DAMP) },
	{ "damp", O_DAMP,
	    HOLDERR(OSNT, FSM_EV_HOLD_EXPIRES, FAIL | FSM_A_DAMP) },
	{ "damp", O_DAMP, GO(OSNT, FSM_EV_NOTIF_VERSION_ERR, IDLE, DOWN) },
	{ "damp", O_DAMP, GO(OCNF, FSM_EV_NOTIF, IDLE, FAIL | FSM_A_DAMP) },
	{ "damp", O_DAMP,
	    GO(ESTB, FSM_EV_TCP_FAILS, IDLE, EFAIL | FSM_A_DAMP) },
	{ "damp", O_DAMP,
	    CEASE(ESTB, FSM_EV_MANUAL_STOP, STOP | FSM_A_DELETE_ROUTES,
		BGP_CEASE_ADMIN_SHUTDOWN) },
	{ "damp+passive", O_DAMP_PASSIVE,
	    GO(IDLE, FSM_EV_IDLEHOLD_EXPIRES, ACTV,
		START_PASSIVE | FSM_A_IDLEHOLD_STOP) },
};

static void
print_actions(const char *label, uint32_t a)
{
	unsigned int i;

	print_error("  %s:", label);
	for (i = 0; i < 32; i++)
		if (a & (1u << i))
			print_error(" %s", fsm_action_name(1u << i));
	print_error("\n");
}

/* Runs one case; reports every difference, fails if there is one. */
static void
check_case(const char *what, const struct fsm_case *c, const struct fsm_opts *o)
{
	struct fsm_out out = fsm_step(c->st, c->ev, o);

	if (out.next == c->next && out.actions == c->actions &&
	    out.notify_code == c->code && out.notify_subcode == c->subcode &&
	    out.notify_caller == c->caller)
		return;
	print_error("%s: %s + %s (%d):\n", what, fsm_state_name(c->st),
	    fsm_event_name(c->ev), (int)c->ev);
	print_error("  next: want %s, got %s\n", fsm_state_name(c->next),
	    fsm_state_name(out.next));
	print_actions("missing", c->actions & ~out.actions);
	print_actions("extra", out.actions & ~c->actions);
	print_error("  notify: want %u/%u%s, got %u/%u%s\n", c->code,
	    c->subcode, c->caller ? " (caller)" : "", out.notify_code,
	    out.notify_subcode, out.notify_caller ? " (caller)" : "");
	fail();
}

static void
test_every_pair(void **state)
{
	bool seen[FSM_NSTATES][FSM_EV_MAX];
	const struct fsm_opts none = { 0 };
	size_t i;
	int s, e;

	(void)state;
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < sizeof(fsm_default_cases) / sizeof(*fsm_default_cases);
	     i++) {
		const struct fsm_case *c = &fsm_default_cases[i];

		assert_false(seen[c->st][c->ev]);
		seen[c->st][c->ev] = true;
		check_case("default", c, &none);
		check_case("NULL opts", c, NULL);
	}
	for (s = 0; s < FSM_NSTATES; s++)
		for (e = FSM_EV_MANUAL_START; e < FSM_EV_MAX; e++)
			if (!seen[s][e])
				fail_msg("no case for %s + %s",
				    fsm_state_name((enum fsm_state)s),
				    fsm_event_name((enum fsm_event)e));
	assert_int_equal(i, FSM_NSTATES * (FSM_EV_MAX - 1));
}

static void
test_opt_pairs(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fsm_opt_cases) / sizeof(*fsm_opt_cases); i++)
		check_case(fsm_opt_cases[i].what, &fsm_opt_cases[i].c,
		    &fsm_opt_cases[i].opts);
}

/* Each option combination, from the five bits of n. */
static struct fsm_opts
opts_from(unsigned int n)
{
	struct fsm_opts o = {
		.passive = n & 1,
		.delay_open = n & 2,
		.damp_oscillations = n & 4,
		.send_notif_without_open = n & 8,
		.delayopen_running = n & 16,
	};

	return o;
}

#define NOPTS 32

/* The states §8.2.2 can move to from each state. */
static const uint32_t fsm_reachable[FSM_NSTATES] = {
	[FSM_IDLE] = 1u << IDLE | 1u << CONN | 1u << ACTV,
	[FSM_CONNECT] =
	    1u << IDLE | 1u << CONN | 1u << ACTV | 1u << OSNT | 1u << OCNF,
	[FSM_ACTIVE] =
	    1u << IDLE | 1u << CONN | 1u << ACTV | 1u << OSNT | 1u << OCNF,
	[FSM_OPENSENT] = 1u << IDLE | 1u << ACTV | 1u << OSNT | 1u << OCNF,
	[FSM_OPENCONFIRM] = 1u << IDLE | 1u << OCNF | 1u << ESTB,
	[FSM_ESTABLISHED] = 1u << IDLE | 1u << ESTB,
};

/* What must hold for one pair under any option combination. */
static void
check_invariants(enum fsm_state st, enum fsm_event ev, const struct fsm_opts *o)
{
	struct fsm_out out = fsm_step(st, ev, o);
	uint32_t a = out.actions;

	assert_true((unsigned)out.next < FSM_NSTATES);
	assert_true(fsm_reachable[st] & 1u << out.next);
	assert_int_equal(a >> FSM_A_NBITS, 0);
	/* A NOTIFICATION has a code, and only then. */
	assert_int_equal(!!(a & NOTIF), out.notify_code != 0);
	if (!(a & NOTIF)) {
		assert_int_equal(out.notify_subcode, 0);
		assert_false(out.notify_caller);
	}
	/* Leaving for Idle cleans up everything. */
	if (st != IDLE && out.next == IDLE)
		assert_int_equal(a & DOWN, DOWN);
	/* Routes go when, and only when, Established ends. */
	assert_int_equal(
	    !!(a & FSM_A_DELETE_ROUTES), st == ESTB && out.next != ESTB);
	assert_int_equal(
	    !!(a & FSM_A_ESTABLISHED), st == OCNF && out.next == ESTB);
	/* Damping goes with every counted failure. */
	assert_int_equal(!!(a & FSM_A_DAMP),
	    o->damp_oscillations && (a & FSM_A_CONNRETRY_COUNT_INC));
	assert_false((a & FSM_A_CONNRETRY_COUNT_INC) &&
	    (a & FSM_A_CONNRETRY_COUNT_ZERO));
	assert_false((a & FSM_A_HOLD_START) && (a & FSM_A_HOLD_START_LARGE));
	/* Idle has no connection to act on. */
	if (st == IDLE)
		assert_int_equal(a & (NOTIF | FSM_A_DROP_TCP), 0);
	/* Before our OPEN, only the optional NOTIFICATION. */
	if ((st == CONN || st == ACTV) && !o->send_notif_without_open)
		assert_int_equal(a & NOTIF, 0);
	/* Idle moves only on a start event or the IdleHoldTimer. */
	if (st == IDLE && out.next != IDLE)
		assert_true(ev <= FSM_EV_AUTO_START_DAMP_PASSIVE ||
		    ev == FSM_EV_IDLEHOLD_EXPIRES);
}

static void
test_invariants(void **state)
{
	unsigned int n;
	int s, e;

	(void)state;
	for (n = 0; n < NOPTS; n++) {
		struct fsm_opts o = opts_from(n);

		for (s = 0; s < FSM_NSTATES; s++)
			for (e = FSM_EV_MANUAL_START; e < FSM_EV_MAX; e++)
				check_invariants(
				    (enum fsm_state)s, (enum fsm_event)e, &o);
	}
}

/*
 * Once a BGP connection exists, only DampPeerOscillations can change
 * the outcome, and only by adding DAMP to counted failures.
 */
static void
test_opts_irrelevant_after_open(void **state)
{
	const struct fsm_opts none = { 0 };
	unsigned int n;
	int s, e;

	(void)state;
	for (s = OSNT; s <= ESTB; s++)
		for (e = FSM_EV_MANUAL_START; e < FSM_EV_MAX; e++) {
			struct fsm_out ref = fsm_step(
			    (enum fsm_state)s, (enum fsm_event)e, &none);

			for (n = 0; n < NOPTS; n++) {
				struct fsm_opts o = opts_from(n);
				struct fsm_out out = fsm_step(
				    (enum fsm_state)s, (enum fsm_event)e, &o);

				assert_int_equal(out.next, ref.next);
				assert_int_equal(
				    out.actions & ~FSM_A_DAMP, ref.actions);
				assert_int_equal(
				    out.notify_code, ref.notify_code);
				assert_int_equal(
				    out.notify_subcode, ref.notify_subcode);
				assert_int_equal(
				    out.notify_caller, ref.notify_caller);
			}
		}
}

/* Follows out.next through a list of events, checking each state. */
static void
walk(enum fsm_state st, const struct fsm_opts *o, const enum fsm_event *ev,
    const enum fsm_state *want, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		st = fsm_step(st, ev[i], o).next;
		if (st != want[i])
			fail_msg("step %zu (%s): want %s, got %s", i,
			    fsm_event_name(ev[i]), fsm_state_name(want[i]),
			    fsm_state_name(st));
	}
}

static void
test_walk_active(void **state)
{
	static const enum fsm_event ev[] = {
		FSM_EV_MANUAL_START,
		FSM_EV_TCP_FAILS,
		FSM_EV_AUTO_START,
		FSM_EV_CONNRETRY_EXPIRES,
		FSM_EV_TCP_ACKED,
		FSM_EV_OPEN,
		FSM_EV_KEEPALIVE_EXPIRES,
		FSM_EV_KEEPALIVE,
		FSM_EV_UPDATE,
		FSM_EV_KEEPALIVE,
		FSM_EV_HOLD_EXPIRES,
	};
	static const enum fsm_state want[] = {
		CONN,
		IDLE,
		CONN,
		CONN,
		OSNT,
		OCNF,
		OCNF,
		ESTB,
		ESTB,
		ESTB,
		IDLE,
	};
	struct fsm_out out;

	(void)state;
	walk(IDLE, NULL, ev, want, sizeof(ev) / sizeof(*ev));
	out = fsm_step(ESTB, FSM_EV_HOLD_EXPIRES, NULL);
	assert_int_equal(out.notify_code, BGP_ERR_HOLD);
	assert_int_equal(out.notify_subcode, 0);
}

static void
test_walk_passive_delay_open(void **state)
{
	static const enum fsm_event ev[] = {
		FSM_EV_MANUAL_START_PASSIVE,
		FSM_EV_CONNRETRY_EXPIRES,
		FSM_EV_TCP_CONFIRMED,
		FSM_EV_OPEN_DELAYOPEN,
		FSM_EV_KEEPALIVE,
		FSM_EV_MANUAL_STOP,
	};
	static const enum fsm_state want[] = {
		ACTV,
		ACTV,
		ACTV,
		OCNF,
		ESTB,
		IDLE,
	};
	const struct fsm_opts o = { .passive = true, .delay_open = true };

	(void)state;
	walk(IDLE, &o, ev, want, sizeof(ev) / sizeof(*ev));
}

static void
test_state_names(void **state)
{
	(void)state;
	assert_string_equal(fsm_state_name(FSM_IDLE), "Idle");
	assert_string_equal(fsm_state_name(FSM_CONNECT), "Connect");
	assert_string_equal(fsm_state_name(FSM_ACTIVE), "Active");
	assert_string_equal(fsm_state_name(FSM_OPENSENT), "OpenSent");
	assert_string_equal(fsm_state_name(FSM_OPENCONFIRM), "OpenConfirm");
	assert_string_equal(fsm_state_name(FSM_ESTABLISHED), "Established");
	assert_string_equal(fsm_state_name(FSM_NSTATES), "unknown");
	assert_string_equal(fsm_state_name((enum fsm_state) - 1), "unknown");
}

/* RFC 4271 §8.1 and RFC 9687 §4.2, by event number. */
static const char *const fsm_rfc_event_names[FSM_EV_MAX] = {
	NULL,
	"ManualStart",
	"ManualStop",
	"AutomaticStart",
	"ManualStart_with_PassiveTcpEstablishment",
	"AutomaticStart_with_PassiveTcpEstablishment",
	"AutomaticStart_with_DampPeerOscillations",
	"AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment",
	"AutomaticStop",
	"ConnectRetryTimer_Expires",
	"HoldTimer_Expires",
	"KeepaliveTimer_Expires",
	"DelayOpenTimer_Expires",
	"IdleHoldTimer_Expires",
	"TcpConnection_Valid",
	"Tcp_CR_Invalid",
	"Tcp_CR_Acked",
	"TcpConnectionConfirmed",
	"TcpConnectionFails",
	"BGPOpen",
	"BGPOpen with DelayOpenTimer running",
	"BGPHeaderErr",
	"BGPOpenMsgErr",
	"OpenCollisionDump",
	"NotifMsgVerErr",
	"NotifMsg",
	"KeepAliveMsg",
	"UpdateMsg",
	"UpdateMsgErr",
	"SendHoldTimer_Expires",
};

static void
test_event_names(void **state)
{
	int e;

	(void)state;
	for (e = FSM_EV_MANUAL_START; e < FSM_EV_MAX; e++)
		assert_string_equal(
		    fsm_event_name((enum fsm_event)e), fsm_rfc_event_names[e]);
	assert_string_equal(fsm_event_name((enum fsm_event)0), "unknown");
	assert_string_equal(fsm_event_name(FSM_EV_MAX), "unknown");
	assert_string_equal(fsm_event_name((enum fsm_event) - 1), "unknown");
}

static void
test_action_names(void **state)
{
	unsigned int i, j;

	(void)state;
	assert_string_equal(
	    fsm_action_name(FSM_A_SEND_NOTIFICATION), "send-notification");
	assert_string_equal(
	    fsm_action_name(FSM_A_PROCESS_UPDATE), "process-update");
	assert_string_equal(fsm_action_name(0), "unknown");
	assert_string_equal(
	    fsm_action_name(FSM_A_DROP_TCP | FSM_A_CONNECT), "unknown");
	assert_string_equal(fsm_action_name(1u << FSM_A_NBITS), "unknown");
	for (i = 0; i < FSM_A_NBITS; i++) {
		assert_string_not_equal(fsm_action_name(1u << i), "unknown");
		for (j = 0; j < i; j++)
			assert_string_not_equal(
			    fsm_action_name(1u << i), fsm_action_name(1u << j));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_opt_pairs),
		cmocka_unit_test(test_invariants),
		cmocka_unit_test(test_opts_irrelevant_after_open),
		cmocka_unit_test(test_walk_active),
		cmocka_unit_test(test_walk_passive_delay_open),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_event_names),
		cmocka_unit_test(test_action_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
