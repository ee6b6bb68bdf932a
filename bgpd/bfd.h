/*
 * bfd.h: Bidirectional Forwarding Detection (RFC 5880), the pure part:
 * the Control packet codec with the reception checks of §6.8.6, the
 * session state machine as a table, and the timer arithmetic (§6.8.2
 * to §6.8.4, §6.8.7).  No sockets, no clocks: bfd_sess.c feeds it
 * packets and timer expiries and carries out what it returns.
 */
#ifndef DXBGP_BFD_H
#define DXBGP_BFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 5881 §4: Control packets to UDP 3784, from 49152-65535. */
#define BFD_PORT         3784
#define BFD_SRC_PORT_MIN 49152
#define BFD_SRC_PORT_MAX 65535
#define BFD_TTL          255      /* RFC 5881 §5: sent and required */
#define BFD_VERSION      1        /* RFC 5880 §4.1 */
#define BFD_PKT_LEN      24       /* the mandatory section */
#define BFD_AUTH_HDR_LEN 2        /* Auth Type, Auth Len (§4.2) */
#define BFD_SLOW_TX_US   1000000u /* §6.8.3: at least 1 s until Up */
#define BFD_MIN_INTERVAL 10       /* ms: the least interval we configure */
#define BFD_MAX_INTERVAL 60000    /* ms */
#define BFD_DEFAULT_MS   300      /* AWS Direct Connect */
#define BFD_DEFAULT_MULT 3

/* §4.1 State (Sta). */
enum bfd_state {
	BFD_ADMIN_DOWN = 0,
	BFD_DOWN = 1,
	BFD_INIT = 2,
	BFD_UP = 3,
};

/* §4.1 Diagnostic (Diag). */
enum bfd_diag {
	BFD_DIAG_NONE = 0,
	BFD_DIAG_TIME_EXPIRED = 1, /* Control Detection Time Expired */
	BFD_DIAG_ECHO_FAILED = 2,
	BFD_DIAG_NEIGHBOR_DOWN = 3, /* Neighbor Signaled Session Down */
	BFD_DIAG_FWD_RESET = 4,     /* Forwarding Plane Reset */
	BFD_DIAG_PATH_DOWN = 5,
	BFD_DIAG_CONCAT_DOWN = 6,
	BFD_DIAG_ADMIN_DOWN = 7,
	BFD_DIAG_REV_CONCAT_DOWN = 8,
	BFD_DIAG_MAX = 31, /* a 5-bit field */
};

/* §4.1 flags, in the second octet after Sta. */
#define BFD_FLAG_P 0x20 /* Poll */
#define BFD_FLAG_F 0x10 /* Final */
#define BFD_FLAG_C 0x08 /* Control Plane Independent */
#define BFD_FLAG_A 0x04 /* Authentication Present */
#define BFD_FLAG_D 0x02 /* Demand */
#define BFD_FLAG_M 0x01 /* Multipoint, reserved */

/* A Control packet, fields as on the wire (intervals in µs). */
struct bfd_pkt {
	uint8_t version;
	uint8_t diag;
	uint8_t state;
	uint8_t flags;
	uint8_t mult;
	uint8_t len;
	uint32_t my_disc;
	uint32_t your_disc;
	uint32_t min_tx;      /* Desired Min TX Interval */
	uint32_t min_rx;      /* Required Min RX Interval */
	uint32_t min_echo_rx; /* Required Min Echo RX Interval */
};

/* Why a received packet is discarded (§6.8.6, in its order). */
enum bfd_rx_err {
	BFD_RX_OK = 0,
	BFD_RX_SHORT,      /* fewer octets than the mandatory section */
	BFD_RX_VERSION,    /* version is not 1 */
	BFD_RX_LEN_SHORT,  /* Length below 24, or 26 with A */
	BFD_RX_LEN_LONG,   /* Length beyond the payload */
	BFD_RX_MULT_ZERO,  /* Detect Mult is zero */
	BFD_RX_MULTIPOINT, /* M bit set */
	BFD_RX_MY_DISC_ZERO,
	BFD_RX_NO_SESSION,     /* Your Discriminator (or address) unknown */
	BFD_RX_YOUR_DISC_ZERO, /* zero while State is Init or Up */
	BFD_RX_AUTH,           /* A bit: authentication is not configured */
	BFD_RX_TTL,            /* RFC 5881 §5: TTL or hop limit not 255 */
	BFD_RX_ADMIN_DOWN,     /* our session is AdminDown */
	BFD_RX_ERR_COUNT
};

/*
 * Decodes and checks a packet as §6.8.6 asks before any session is
 * looked at: steps 1-6, 8 and, since we configure no authentication,
 * 10-12 (A set is refused).  Returns BFD_RX_OK and the fields.
 */
enum bfd_rx_err bfd_pkt_decode(
    const uint8_t *buf, size_t len, struct bfd_pkt *);
/* Writes the 24 octets of p (len, version taken from p); 0 if no room. */
size_t bfd_pkt_encode(const struct bfd_pkt *, uint8_t *buf, size_t len);
const char *bfd_rx_err_str(enum bfd_rx_err);
const char *bfd_state_name(enum bfd_state); /* "AdminDown", "Up" */
const char *bfd_diag_name(uint8_t diag);    /* "Control Detection ..." */

/* ---- the state machine (§6.2, §6.8.6) ---- */

enum bfd_event {
	BFD_EV_RX_ADMIN_DOWN, /* a packet with State AdminDown */
	BFD_EV_RX_DOWN,
	BFD_EV_RX_INIT,
	BFD_EV_RX_UP,
	BFD_EV_TIMER,      /* Detection Time expired (§6.8.4) */
	BFD_EV_ADMIN_DOWN, /* taken down by configuration */
	BFD_EV_ADMIN_UP,
	BFD_EV_COUNT
};

struct bfd_trans {
	uint8_t next; /* enum bfd_state */
	int8_t diag;  /* enum bfd_diag to set, -1: leave it */
};

/* One cell of the table: what (state, event) leads to. */
struct bfd_trans bfd_fsm(enum bfd_state, enum bfd_event);

/* ---- one session's variables (§6.8.1) and timers ---- */

struct bfd {
	uint8_t state;        /* bfd.SessionState */
	uint8_t remote_state; /* bfd.RemoteSessionState */
	uint32_t local_disc;
	uint32_t remote_disc;
	uint8_t local_diag;
	uint8_t remote_diag; /* the peer's last Diag, for show */
	bool remote_demand;
	uint8_t detect_mult;      /* bfd.DetectMult */
	uint8_t remote_mult;      /* the peer's Detect Mult */
	uint32_t desired_min_tx;  /* bfd.DesiredMinTxInterval, sent */
	uint32_t required_min_rx; /* bfd.RequiredMinRxInterval, sent */
	uint32_t remote_min_rx;   /* bfd.RemoteMinRxInterval */
	uint32_t remote_min_tx;   /* the peer's Desired Min TX */
	uint32_t cfg_tx;          /* configured, µs */
	uint32_t cfg_rx;
	/*
	 * Values in use while a Poll Sequence runs (§6.8.3): a larger
	 * DesiredMinTx, a smaller RequiredMinRx only count once the
	 * Final arrives.
	 */
	uint32_t tx_used;
	uint32_t rx_used;
	bool poll;      /* bfd.PollActive: P in what we send */
	bool final_due; /* a P arrived: send F at once */
	bool heard;     /* a packet since the session last went Down */
};

/* What bfd_rx, bfd_expire and bfd_set_params ask of the caller. */
#define BFD_DO_STATE  (1u << 0) /* the state changed */
#define BFD_DO_SEND   (1u << 1) /* send a packet now (Final, or a change) */
#define BFD_DO_TIMERS (1u << 2) /* tx interval or detection time changed */

/* A session in Down, configured interval_us x mult. */
void bfd_init(
    struct bfd *, uint32_t local_disc, uint32_t interval_us, uint8_t mult);
/* New configured values; a Poll Sequence when Up (§6.8.3). */
unsigned bfd_set_params(struct bfd *, uint32_t interval_us, uint8_t mult);
/* A packet that passed bfd_pkt_decode and session selection. */
unsigned bfd_rx(struct bfd *, const struct bfd_pkt *, enum bfd_rx_err *);
/* The Detection Time ran out. */
unsigned bfd_expire(struct bfd *);
/* AdminDown (down true) or back to Down. */
unsigned bfd_admin(struct bfd *, bool down);
/* The next packet to send; clears the Final owed. */
void bfd_make_pkt(struct bfd *, struct bfd_pkt *);
/*
 * The periodic transmission interval in µs before jitter (§6.8.7),
 * 0 if nothing is to be sent periodically.
 */
uint32_t bfd_tx_interval(const struct bfd *);
/* §6.8.7 jitter: r in [0, 1) makes 75-100% (75-90% with mult 1). */
uint32_t bfd_jitter(const struct bfd *, uint32_t interval_us, double r);
/* The Detection Time in µs (§6.8.4), 0 while nothing was heard. */
uint64_t bfd_detect_time(const struct bfd *);

/*
 * §6.8.6 steps 7 and 9: the session a packet from src is for.  With a
 * Your Discriminator, the one whose local discriminator it is (and
 * whose peer is src); without, the one whose peer is src.  from(s, src)
 * says whether session s talks to src.  NULL and *err if none.
 */
struct bfd *bfd_select(struct bfd *const *v, size_t n, const struct bfd_pkt *,
    const void *src, bool (*from)(const struct bfd *, const void *),
    enum bfd_rx_err *err);

#endif
