/*
 * session.h: BGP sessions on the libev loop.
 *
 * A struct peer is one configured neighbor: its connection (and a
 * second one while a collision is being resolved), buffers, timers and
 * the state machine of fsm.c.  struct bgpd is the speaker: the loop,
 * the listening sockets and every peer.  Routes leave a session only
 * through struct sess_hooks, so the session never reaches into the RIB.
 */
#ifndef DXBGP_SESSION_H
#define DXBGP_SESSION_H

#include <ev.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <dxbgp/fsm.h>
#include <dxbgp/wire.h>

#include "conf.h"

struct peer;
struct bgpd;
struct rib;
struct iface;
struct bfd_sess;
struct bfd_ctx;

/* A growable byte queue with a consumed head; capped by its owner. */
struct bytebuf {
	uint8_t *data;
	size_t head; /* first unconsumed byte */
	size_t len;  /* end of data */
	size_t cap;
};

struct conn {
	int fd;
	bool outgoing;   /* we initiated it */
	bool connecting; /* non-blocking connect in progress */
	struct peer *peer;
	ev_io rio;
	ev_io wio;
	struct bytebuf rx;
	struct bytebuf tx;
};

/* What both sides agreed in their OPENs. */
struct sess_nego {
	uint16_t holdtime;  /* 0: no keepalives, no hold timer */
	uint16_t keepalive; /* seconds */
	uint32_t peer_as;
	uint32_t peer_id;
	bool as4;
	bool ext_message_rx; /* we may receive 65535-byte messages */
	bool ext_message_tx; /* we may send them */
	bool route_refresh;
	bool enhanced_rr;
	uint8_t af;         /* CONF_AF_* exchanged */
	uint8_t addpath_rx; /* CONF_AF_* with path identifiers received */
	bool gr;            /* the peer can restart gracefully (RFC 4724) */
	uint16_t gr_time;
	uint8_t gr_af; /* families the peer preserves across a restart */
	struct wire_open open; /* the peer's OPEN, capabilities unparsed */
};

struct peer_stats {
	uint64_t msg_in[BGP_MSG_ROUTE_REFRESH + 1];
	uint64_t msg_out[BGP_MSG_ROUTE_REFRESH + 1];
	uint64_t nlri_in;     /* prefixes announced to us */
	uint64_t withdraw_in; /* prefixes withdrawn from us */
	uint64_t update_errors;
	uint64_t nlri_refused;    /* prefixes refused on import */
	uint64_t nlri_denied;     /* prefixes its inbound policy denied */
	unsigned int established; /* times the session reached Established */
	unsigned int dropped;     /* times it left Established */
	time_t last_change;       /* of the state */
	uint8_t last_err_code;    /* last NOTIFICATION, sent or received */
	uint8_t last_err_subcode;
	bool last_err_sent;
	/* RFC 9003 message of the last Cease/2 or /4, sent or received */
	char last_shutdown_msg[BGP_SHUTDOWN_MSG_MAX + 1];
	char last_reason[160];
};

struct peer {
	struct peer *next;
	struct bgpd *d;
	struct conf_neighbor conf; /* a copy: reload swaps it */
	char name[INET6_ADDRSTRLEN + 8];
	enum fsm_state state;
	struct conn c;  /* the connection the FSM runs on */
	struct conn c2; /* an incoming one during collision resolution */
	struct sess_nego nego;
	struct sess_nego pending; /* from an OPEN, until PROCESS_OPEN */
	struct wire_err pending_err;
	bool have_pending_err;
	const struct wire_update *cur_update; /* for PROCESS_UPDATE */
	uint8_t af_disabled; /* families dropped by RFC 7606 / RFC 4760 */
	uint8_t *scratch;    /* WIRE_SCRATCH_LEN, for 2-octet AS paths */
	ev_timer t_connretry;
	ev_timer t_hold;
	ev_timer t_keepalive;
	ev_timer t_sendhold;
	ev_timer t_idlehold; /* automatic restart after an error */
	ev_timer t_delayopen;
	ev_timer t_gr;  /* stale routes of a restarting peer */
	ev_idle w_more; /* messages left in rx after a bounded batch */
	unsigned int connretry_count;
	double idle_hold;  /* seconds before the next automatic start */
	uint8_t stale_af;  /* CONF_AF_* kept for a graceful restart */
	uint16_t sendhold; /* RFC 9687 SendHoldTime, seconds */
	bool deleting;
	struct peer_stats st;
	uint16_t rib_id;        /* the RIB's number for this peer */
	bool held_down;         /* stopped, not to start by itself */
	bool prefix_warned;     /* max-prefix threshold logged */
	bool prefix_over;       /* max-prefix exceeded: stop pending */
	bool rde_policy_warned; /* refused routes were logged once */
	/*
	 * Why routes are held back in each direction (RFC 8212, no such
	 * route-map...), for `show`; NULL if they are not.  Static text.
	 */
	const char *held_in;
	const char *held_out;
	long md5_fail_base;   /* kernel MD5 failures when we began trying */
	uint8_t eor_af;       /* CONF_AF_* whose End-of-RIB came this session */
	unsigned blocked;     /* SESS_BLOCK_*: conditions keeping it down */
	char block_why[96];   /* what the last block said, for show */
	struct bfd_sess *bfd; /* its BFD session, or NULL (bgpd.c) */
};

/* How sessions hand routes to the RIB and learn of free queue space. */
struct sess_hooks {
	void (*established)(struct peer *);
	/* graceful: keep the routes as stale (RFC 4724); else delete them */
	void (*down)(struct peer *, bool graceful);
	/* an UPDATE with its RFC 7606 verdict (never session reset) */
	void (*update)(
	    struct peer *, const struct wire_update *, const struct wire_err *);
	/* End-of-RIB from the peer, or its restart time ran out: drop stale */
	void (*stale_flush)(struct peer *, uint16_t afi, uint8_t safi);
	/* RFC 4760 §7: every route of the family goes (AFI/SAFI disable) */
	void (*af_drop)(struct peer *, uint16_t afi, uint8_t safi);
	void (*refresh)(struct peer *, const struct wire_rrefresh *);
	void (*writable)(struct peer *);
	void *arg;
};

struct bgpd_listener {
	struct bgpd_listener *next;
	struct conf_addr addr;
	uint16_t port;
	int fd;
	ev_io w;
	struct bgpd *d;
};

struct bgpd {
	struct ev_loop *loop;
	struct conf *conf;
	struct peer *peers;
	struct bgpd_listener *listeners;
	struct sess_hooks hooks;
	uint16_t port;         /* BGP port we listen on */
	uint32_t router_id;    /* in force */
	size_t tx_limit;       /* bytes queued per peer before backpressure */
	unsigned int batch;    /* messages handled per read callback */
	uint16_t sendhold_min; /* RFC 9687 floor, seconds (480) */
	uint64_t rib_ids;      /* RIB peer numbers in use */
	struct rib *rib;       /* for `show` only; set by rde.c */
	struct iface *iface;   /* links (iface.c); NULL until one is used */
	bool links_checked;    /* iface_marked_addrs asked at start */
	struct bfd_ctx *bfd;   /* BFD sessions, NULL until one is configured */
	struct exp *exp;       /* the export stream, or NULL (export.c) */
};

/* Bytes a peer's output queue may hold before sess_send refuses. */
#define SESS_TX_LIMIT (4u << 20)
#define SESS_BATCH    256
/* RFC 9687 §4: the send hold time is at least 8 minutes. */
#define SESS_SENDHOLD_MIN 480

struct bgpd *bgpd_new(struct ev_loop *, uint16_t port);
/* Listens on addr (family 0: both wildcards). -1 with errno. */
int bgpd_listen(struct bgpd *, const struct conf_addr *addr);
/*
 * Puts a configuration in force: new peers start, removed ones are
 * stopped with Cease/3, changed ones take their new settings.  The
 * bgpd takes ownership of conf.
 */
void bgpd_configure(struct bgpd *, struct conf *conf);
/* Sends Cease/2 with msg to every peer and stops them. */
void bgpd_shutdown(struct bgpd *, const char *msg);
void bgpd_free(struct bgpd *);
struct peer *bgpd_peer_find(struct bgpd *, const struct conf_addr *);

/* ---- one session (session.c) ---- */
struct peer *sess_new(struct bgpd *, const struct conf_neighbor *);
void sess_free(struct peer *);
void sess_start(struct peer *);
/* Administrative stop: Cease subcode with an RFC 9003 message. */
void sess_stop(struct peer *, uint8_t cease_subcode, const char *msg);
/*
 * Stops the session with Cease/subcode and keeps it down: for seconds,
 * then it starts again; with 0, until it is reconfigured.
 */
void sess_hold_down(struct peer *, uint8_t cease_subcode, double seconds);

/* Conditions outside BGP that keep a session down (struct peer blocked). */
#define SESS_BLOCK_BFD  (1u << 0) /* BFD says the path is down */
#define SESS_BLOCK_LINK (1u << 1) /* the interface it is bound to is down */
/*
 * Sets or clears one condition.  The first set stops the session with
 * Cease/cease_subcode (e.g. BGP_CEASE_BFD_DOWN) and keeps it from
 * starting or accepting; when the last one clears it starts at once
 * (unless shut down or held down).  why is logged and kept for show.
 */
void sess_block(struct peer *, unsigned cond, bool on, uint8_t cease_subcode,
    const char *why);
/*
 * New settings for a running peer; with reset (a setting the session
 * was opened with changed: conf_diff.c decides), a new session.
 */
void sess_reconfigure(struct peer *, const struct conf_neighbor *, bool reset);
/* A connection accepted for this peer (fd is non-blocking). */
void sess_accept(struct peer *, int fd);
/*
 * Queues a whole message.  False (nothing queued) when the queue is
 * over the limit; hooks.writable is called once it drains.
 */
bool sess_send(struct peer *, const uint8_t *msg, size_t len);
/* The same without writing yet: many messages, then one sess_flush. */
bool sess_queue(struct peer *, const uint8_t *msg, size_t len);
void sess_flush(struct peer *);
/* Largest message the peer accepts. */
size_t sess_max_msg(const struct peer *);
const char *sess_state_name(const struct peer *);
/* Our address on the peer's connection; false if none. */
bool sess_local_addr(const struct peer *, struct conf_addr *);

#endif
