/*
 * bfd_sess.h: BFD sessions on the libev loop (bfd_sess.c): the UDP
 * sockets of RFC 5881, the transmission and detection timers, and a
 * callback for every change of state.
 */
#ifndef DXBGP_BFD_SESS_H
#define DXBGP_BFD_SESS_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "bfd.h"
#include "conf.h"

struct bfd_sess;
struct bfd_ctx;

/* Called after a session changed from state old to the one it is in. */
typedef void bfd_sess_cb(void *arg, struct bfd_sess *, uint8_t old);

struct bfd_sess_stats {
	uint64_t rx;         /* packets taken */
	uint64_t tx;         /* packets sent */
	uint64_t rx_bad;     /* for this session, but discarded */
	uint64_t tx_err;     /* sends that failed */
	unsigned int up;     /* times it came Up */
	unsigned int down;   /* times it left Up */
	time_t last_change;  /* of the state, wall clock */
	uint8_t last_rx_err; /* enum bfd_rx_err of the last discard */
};

struct bfd_sess {
	struct bfd_sess *next;
	struct bfd_ctx *ctx;
	struct bfd b; /* the protocol's state (bfd.c) */
	struct conf_addr peer;
	struct conf_addr local; /* family 0: the kernel's choice */
	char name[INET6_ADDRSTRLEN + 8];
	uint16_t interval_ms; /* configured */
	uint8_t mult;
	int fd;            /* sends, from src_port with TTL 255 */
	uint16_t src_port; /* RFC 5881 §4: one port for the session */
	ev_timer t_tx;
	ev_timer t_detect;
	/*
	 * Left Up for a reason other than the peer's AdminDown, and not
	 * Up again since (RFC 5882 §3.2: AdminDown is no failure).
	 */
	bool failed;
	struct bfd_sess_stats st;
	bfd_sess_cb *cb;
	void *arg;
};

/* Discards of packets no session took, by enum bfd_rx_err. */
struct bfd_ctx {
	struct ev_loop *loop;
	uint16_t port; /* BFD_PORT, another for tests */
	int fd4, fd6;  /* receive sockets, -1 until a session needs one */
	ev_io w4, w6;
	struct bfd_sess *sessions;
	uint64_t dropped[BFD_RX_ERR_COUNT];
	bool warned4, warned6; /* could not open the receive socket */
};

struct bfd_ctx *bfd_ctx_new(struct ev_loop *, uint16_t port);
/* Frees every session too (each says AdminDown to its peer first). */
void bfd_ctx_free(struct bfd_ctx *);

/*
 * A session to peer, sent from local (family 0: any), starting in
 * Down; cb(arg, ...) after every change of state.
 */
struct bfd_sess *bfd_sess_new(struct bfd_ctx *, const struct conf_addr *peer,
    const struct conf_addr *local, uint16_t interval_ms, uint8_t mult,
    bfd_sess_cb *cb, void *arg);
/* New settings: intervals by a Poll Sequence, a new local address anew. */
void bfd_sess_set(struct bfd_sess *, const struct conf_addr *local,
    uint16_t interval_ms, uint8_t mult);
/* Sends AdminDown (RFC 5880 §6.8.16) and frees the session. */
void bfd_sess_free(struct bfd_sess *);

/* Seconds since the last change of state. */
long bfd_sess_age(const struct bfd_sess *);

#endif
