/*
 * bfd.c: Bidirectional Forwarding Detection, the pure part: Control
 * packets, the session state machine, and the interval arithmetic of
 * one session, as functions over plain data (no sockets, no clocks).
 *
 * Implements RFC 5880 §4.1 (the Control packet, without the optional
 * authentication section: a packet with A set is discarded, since no
 * session of ours is configured with authentication), §6.2 and §6.8.6
 * (the state machine, here a table of (state, event) -> (state,
 * diagnostic), and every reception check), §6.8.1 (state variables),
 * §6.8.2-6.8.3 (interval negotiation: a DesiredMinTx of at least 1 s
 * until the session is Up, the configured one after; a Poll Sequence
 * for every change while Up, the old values kept until its Final where
 * §6.8.3 asks), §6.5 (Poll and Final), §6.8.4 (Detection Time in
 * Asynchronous mode) and §6.8.7 (transmission interval and jitter).
 * Demand mode and the Echo function are not used (we never set D nor
 * ask for echoes), but a peer in Demand mode is honoured.
 */
#include <string.h>

#include "bfd.h"

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t
max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* ---- packets ---- */

enum bfd_rx_err
bfd_pkt_decode(const uint8_t *b, size_t len, struct bfd_pkt *p)
{
	size_t min;

	memset(p, 0, sizeof(*p));
	if (len < BFD_PKT_LEN)
		return BFD_RX_SHORT;
	p->version = b[0] >> 5;
	p->diag = b[0] & 0x1f;
	p->state = b[1] >> 6;
	p->flags = b[1] & 0x3f;
	p->mult = b[2];
	p->len = b[3];
	p->my_disc = get32(b + 4);
	p->your_disc = get32(b + 8);
	p->min_tx = get32(b + 12);
	p->min_rx = get32(b + 16);
	p->min_echo_rx = get32(b + 20);
	/* §6.8.6, in order. */
	if (p->version != BFD_VERSION)
		return BFD_RX_VERSION;
	min = BFD_PKT_LEN + (p->flags & BFD_FLAG_A ? BFD_AUTH_HDR_LEN : 0);
	if (p->len < min)
		return BFD_RX_LEN_SHORT;
	if (p->len > len)
		return BFD_RX_LEN_LONG;
	if (p->mult == 0)
		return BFD_RX_MULT_ZERO;
	if (p->flags & BFD_FLAG_M)
		return BFD_RX_MULTIPOINT;
	if (p->my_disc == 0)
		return BFD_RX_MY_DISC_ZERO;
	if (p->your_disc == 0 && p->state != BFD_DOWN &&
	    p->state != BFD_ADMIN_DOWN)
		return BFD_RX_YOUR_DISC_ZERO;
	/* No session of ours uses authentication (steps 10-12). */
	if (p->flags & BFD_FLAG_A)
		return BFD_RX_AUTH;
	return BFD_RX_OK;
}

size_t
bfd_pkt_encode(const struct bfd_pkt *p, uint8_t *b, size_t len)
{
	if (len < BFD_PKT_LEN)
		return 0;
	b[0] = (uint8_t)(p->version << 5 | (p->diag & 0x1f));
	b[1] = (uint8_t)((p->state & 3) << 6 | (p->flags & 0x3f));
	b[2] = p->mult;
	b[3] = p->len;
	put32(b + 4, p->my_disc);
	put32(b + 8, p->your_disc);
	put32(b + 12, p->min_tx);
	put32(b + 16, p->min_rx);
	put32(b + 20, p->min_echo_rx);
	return BFD_PKT_LEN;
}

const char *
bfd_rx_err_str(enum bfd_rx_err e)
{
	static const char *const s[BFD_RX_ERR_COUNT] = {
		[BFD_RX_OK] = "ok",
		[BFD_RX_SHORT] = "shorter than 24 octets",
		[BFD_RX_VERSION] = "version is not 1",
		[BFD_RX_LEN_SHORT] = "Length field too small",
		[BFD_RX_LEN_LONG] = "Length field beyond the packet",
		[BFD_RX_MULT_ZERO] = "Detect Mult is zero",
		[BFD_RX_MULTIPOINT] = "Multipoint bit set",
		[BFD_RX_MY_DISC_ZERO] = "My Discriminator is zero",
		[BFD_RX_NO_SESSION] = "no session for it",
		[BFD_RX_YOUR_DISC_ZERO] =
		    "Your Discriminator is zero in state Init or Up",
		[BFD_RX_AUTH] = "authentication present but not configured",
		[BFD_RX_TTL] = "TTL or hop limit is not 255",
		[BFD_RX_ADMIN_DOWN] = "session is administratively down",
	};

	return (unsigned)e < BFD_RX_ERR_COUNT ? s[e] : "?";
}

const char *
bfd_state_name(enum bfd_state st)
{
	static const char *const s[] = { "AdminDown", "Down", "Init", "Up" };

	return (unsigned)st < 4 ? s[st] : "?";
}

const char *
bfd_diag_name(uint8_t diag)
{
	static const char *const s[] = {
		"No Diagnostic",
		"Control Detection Time Expired",
		"Echo Function Failed",
		"Neighbor Signaled Session Down",
		"Forwarding Plane Reset",
		"Path Down",
		"Concatenated Path Down",
		"Administratively Down",
		"Reverse Concatenated Path Down",
	};

	return diag < sizeof(s) / sizeof(s[0]) ? s[diag] : "Reserved";
}

/* ---- the state machine ---- */

#define T(st, d)                                                               \
	{                                                                      \
		(uint8_t)(st), (int8_t)(d)                                     \
	}
#define KEEP (-1)

/*
 * §6.2 and the pseudo-code of §6.8.6: rows are our state, columns the
 * event.  A received AdminDown takes a session that is not Down to
 * Down with diagnostic 3; AdminDown ignores everything but ADMIN_UP.
 */
static const struct bfd_trans fsm[4][BFD_EV_COUNT] = {
	[BFD_ADMIN_DOWN] = {
	    [BFD_EV_RX_ADMIN_DOWN] = T(BFD_ADMIN_DOWN, KEEP),
	    [BFD_EV_RX_DOWN] = T(BFD_ADMIN_DOWN, KEEP),
	    [BFD_EV_RX_INIT] = T(BFD_ADMIN_DOWN, KEEP),
	    [BFD_EV_RX_UP] = T(BFD_ADMIN_DOWN, KEEP),
	    [BFD_EV_TIMER] = T(BFD_ADMIN_DOWN, KEEP),
	    [BFD_EV_ADMIN_DOWN] = T(BFD_ADMIN_DOWN, KEEP),
	    [BFD_EV_ADMIN_UP] = T(BFD_DOWN, BFD_DIAG_NONE),
	},
	[BFD_DOWN] = {
	    [BFD_EV_RX_ADMIN_DOWN] = T(BFD_DOWN, KEEP),
	    [BFD_EV_RX_DOWN] = T(BFD_INIT, KEEP),
	    [BFD_EV_RX_INIT] = T(BFD_UP, BFD_DIAG_NONE),
	    [BFD_EV_RX_UP] = T(BFD_DOWN, KEEP),
	    [BFD_EV_TIMER] = T(BFD_DOWN, KEEP),
	    [BFD_EV_ADMIN_DOWN] = T(BFD_ADMIN_DOWN, BFD_DIAG_ADMIN_DOWN),
	    [BFD_EV_ADMIN_UP] = T(BFD_DOWN, KEEP),
	},
	[BFD_INIT] = {
	    [BFD_EV_RX_ADMIN_DOWN] = T(BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN),
	    [BFD_EV_RX_DOWN] = T(BFD_INIT, KEEP),
	    [BFD_EV_RX_INIT] = T(BFD_UP, BFD_DIAG_NONE),
	    [BFD_EV_RX_UP] = T(BFD_UP, BFD_DIAG_NONE),
	    [BFD_EV_TIMER] = T(BFD_DOWN, BFD_DIAG_TIME_EXPIRED),
	    [BFD_EV_ADMIN_DOWN] = T(BFD_ADMIN_DOWN, BFD_DIAG_ADMIN_DOWN),
	    [BFD_EV_ADMIN_UP] = T(BFD_INIT, KEEP),
	},
	[BFD_UP] = {
	    [BFD_EV_RX_ADMIN_DOWN] = T(BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN),
	    [BFD_EV_RX_DOWN] = T(BFD_DOWN, BFD_DIAG_NEIGHBOR_DOWN),
	    [BFD_EV_RX_INIT] = T(BFD_UP, KEEP),
	    [BFD_EV_RX_UP] = T(BFD_UP, KEEP),
	    [BFD_EV_TIMER] = T(BFD_DOWN, BFD_DIAG_TIME_EXPIRED),
	    [BFD_EV_ADMIN_DOWN] = T(BFD_ADMIN_DOWN, BFD_DIAG_ADMIN_DOWN),
	    [BFD_EV_ADMIN_UP] = T(BFD_UP, KEEP),
	},
};

struct bfd_trans
bfd_fsm(enum bfd_state st, enum bfd_event ev)
{
	if ((unsigned)st > BFD_UP || (unsigned)ev >= BFD_EV_COUNT)
		return (struct bfd_trans)T(st, KEEP);
	return fsm[st][ev];
}

/* ---- one session ---- */

/* §6.8.3: what DesiredMinTx is in a state. */
static uint32_t
desired_tx(const struct bfd *s, uint8_t state)
{
	return state == BFD_UP ? s->cfg_tx : max32(s->cfg_tx, BFD_SLOW_TX_US);
}

void
bfd_init(struct bfd *s, uint32_t local_disc, uint32_t interval_us, uint8_t mult)
{
	memset(s, 0, sizeof(*s));
	s->state = BFD_DOWN;
	s->remote_state = BFD_DOWN;
	s->local_disc = local_disc;
	s->detect_mult = mult;
	s->cfg_tx = s->cfg_rx = interval_us;
	s->desired_min_tx = desired_tx(s, BFD_DOWN);
	s->required_min_rx = interval_us;
	s->tx_used = s->desired_min_tx;
	s->rx_used = s->required_min_rx;
	s->remote_min_rx = 1; /* §6.8.1 */
}

/*
 * A new DesiredMinTx and RequiredMinRx while in state: when Up, a
 * Poll Sequence, and a slower TX or a faster RX only once it ends.
 */
static unsigned
apply_intervals(struct bfd *s, uint32_t tx, uint32_t rx, bool changed)
{
	bool up = s->state == BFD_UP;
	unsigned r = 0;

	if (tx != s->desired_min_tx || rx != s->required_min_rx || changed) {
		r |= BFD_DO_TIMERS;
		if (up) {
			s->poll = true;
			r |= BFD_DO_SEND;
		}
	}
	s->desired_min_tx = tx;
	s->required_min_rx = rx;
	if (!up || tx < s->tx_used)
		s->tx_used = tx;
	if (!up || rx > s->rx_used)
		s->rx_used = rx;
	return r;
}

unsigned
bfd_set_params(struct bfd *s, uint32_t interval_us, uint8_t mult)
{
	bool mult_changed = mult != s->detect_mult;

	s->cfg_tx = s->cfg_rx = interval_us;
	s->detect_mult = mult;
	return apply_intervals(
	    s, desired_tx(s, s->state), interval_us, mult_changed);
}

/* Moves to the state of a transition, with its diagnostic. */
static unsigned
transition(struct bfd *s, enum bfd_event ev)
{
	struct bfd_trans t = bfd_fsm(s->state, ev);
	uint8_t was = s->state;

	if (t.diag != KEEP)
		s->local_diag = (uint8_t)t.diag;
	if (t.next == was)
		return 0;
	s->state = t.next;
	if (t.next != BFD_UP) {
		/* Back to the slow rate at once; a poll has no sense. */
		s->poll = false;
		s->tx_used = s->desired_min_tx = desired_tx(s, t.next);
		s->rx_used = s->required_min_rx;
	} else
		apply_intervals(s, s->cfg_tx, s->cfg_rx, false);
	return BFD_DO_STATE | BFD_DO_SEND | BFD_DO_TIMERS;
}

unsigned
bfd_rx(struct bfd *s, const struct bfd_pkt *p, enum bfd_rx_err *err)
{
	unsigned r = 0;
	uint32_t old_rx = s->remote_min_rx, old_tx = s->remote_min_tx;
	uint8_t old_mult = s->remote_mult;

	*err = BFD_RX_OK;
	s->remote_disc = p->my_disc;
	s->remote_state = p->state;
	s->remote_diag = p->diag;
	s->remote_demand = (p->flags & BFD_FLAG_D) != 0;
	s->remote_min_rx = p->min_rx;
	s->remote_min_tx = p->min_tx;
	s->remote_mult = p->mult;
	if (!s->heard || old_rx != p->min_rx || old_tx != p->min_tx ||
	    old_mult != p->mult)
		r |= BFD_DO_TIMERS;
	s->heard = true;
	if (p->flags & BFD_FLAG_P) {
		s->final_due = true;
		r |= BFD_DO_SEND;
	}
	if ((p->flags & BFD_FLAG_F) && s->poll) {
		s->poll = false;
		s->tx_used = s->desired_min_tx;
		s->rx_used = s->required_min_rx;
		r |= BFD_DO_TIMERS;
	}
	if (s->state == BFD_ADMIN_DOWN) {
		*err = BFD_RX_ADMIN_DOWN;
		return r;
	}
	return r |
	    transition(
		s, (enum bfd_event)(BFD_EV_RX_ADMIN_DOWN + (p->state & 3)));
}

unsigned
bfd_expire(struct bfd *s)
{
	/* §6.8.1: nothing heard for a Detection Time: forget the peer. */
	s->remote_disc = 0;
	s->remote_state = BFD_DOWN;
	s->remote_min_rx = 1;
	s->remote_demand = false;
	s->heard = false;
	return BFD_DO_TIMERS | transition(s, BFD_EV_TIMER);
}

unsigned
bfd_admin(struct bfd *s, bool down)
{
	return transition(s, down ? BFD_EV_ADMIN_DOWN : BFD_EV_ADMIN_UP);
}

void
bfd_make_pkt(struct bfd *s, struct bfd_pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->version = BFD_VERSION;
	p->diag = s->local_diag;
	p->state = s->state;
	/* §6.5: never P and F together; the Final first. */
	if (s->final_due)
		p->flags = BFD_FLAG_F;
	else if (s->poll)
		p->flags = BFD_FLAG_P;
	p->mult = s->detect_mult;
	p->len = BFD_PKT_LEN;
	p->my_disc = s->local_disc;
	p->your_disc = s->remote_disc;
	p->min_tx = s->desired_min_tx;
	p->min_rx = s->required_min_rx;
	p->min_echo_rx = 0; /* no Echo function */
	s->final_due = false;
}

uint32_t
bfd_tx_interval(const struct bfd *s)
{
	/* §6.8.7: not to a peer that wants none, nor in its Demand mode. */
	if (s->remote_min_rx == 0)
		return 0;
	if (s->remote_demand && s->state == BFD_UP &&
	    s->remote_state == BFD_UP && !s->poll)
		return 0;
	return max32(s->tx_used, s->remote_min_rx);
}

uint32_t
bfd_jitter(const struct bfd *s, uint32_t iv, double r)
{
	double span = s->detect_mult == 1 ? 0.15 : 0.25;

	if (r < 0 || r >= 1)
		r = 0;
	return (uint32_t)((double)iv * (0.75 + span * r));
}

uint64_t
bfd_detect_time(const struct bfd *s)
{
	if (!s->heard)
		return 0;
	return (uint64_t)s->remote_mult * max32(s->rx_used, s->remote_min_tx);
}

struct bfd *
bfd_select(struct bfd *const *v, size_t n, const struct bfd_pkt *p,
    const void *src, bool (*from)(const struct bfd *, const void *),
    enum bfd_rx_err *err)
{
	size_t i;

	*err = BFD_RX_NO_SESSION;
	for (i = 0; i < n; i++) {
		if (p->your_disc != 0 && v[i]->local_disc != p->your_disc)
			continue;
		if (!from(v[i], src)) {
			if (p->your_disc != 0)
				return NULL; /* ours, but from elsewhere */
			continue;
		}
		*err = BFD_RX_OK;
		return v[i];
	}
	return NULL;
}
