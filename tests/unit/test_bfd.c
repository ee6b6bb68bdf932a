/*
 * test_bfd.c: tests bgpd/bfd.c, the pure part of BFD (RFC 5880).
 *
 * The state machine: every (state, event) pair against a table written
 * out here from §6.2 and the pseudo-code of §6.8.6.  The codec: hex
 * vectors decoded to their fields and encoded back byte for byte, and
 * one malformed packet for each reception check of §6.8.6 (and the
 * TTL rule of RFC 5881 §5, whose name it shares).  Then sessions
 * talking to each other: the three-way handshake, slow start and its
 * Poll Sequence, parameter changes while Up (§6.8.3), detection time
 * expiry, the peer's AdminDown, Demand mode, jitter, session selection.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../bgpd/bfd.h"
#include "hex.h"

/* ---- the state machine ---- */

#define AD   BFD_ADMIN_DOWN
#define DN   BFD_DOWN
#define IN   BFD_INIT
#define UP   BFD_UP
#define SAME (-1)

static const struct {
	uint8_t from;
	enum bfd_event ev;
	uint8_t to;
	int diag;
} fsm_want[] = {
	/* AdminDown discards every packet (§6.8.6); only ADMIN_UP. */
	{ AD, BFD_EV_RX_ADMIN_DOWN, AD, SAME },
	{ AD, BFD_EV_RX_DOWN, AD, SAME },
	{ AD, BFD_EV_RX_INIT, AD, SAME },
	{ AD, BFD_EV_RX_UP, AD, SAME },
	{ AD, BFD_EV_TIMER, AD, SAME },
	{ AD, BFD_EV_ADMIN_DOWN, AD, SAME },
	{ AD, BFD_EV_ADMIN_UP, DN, BFD_DIAG_NONE },
	/* Down: Down -> Init, Init -> Up, Up and AdminDown ignored. */
	{ DN, BFD_EV_RX_ADMIN_DOWN, DN, SAME },
	{ DN, BFD_EV_RX_DOWN, IN, SAME },
	{ DN, BFD_EV_RX_INIT, UP, BFD_DIAG_NONE },
	{ DN, BFD_EV_RX_UP, DN, SAME },
	{ DN, BFD_EV_TIMER, DN, SAME },
	{ DN, BFD_EV_ADMIN_DOWN, AD, BFD_DIAG_ADMIN_DOWN },
	{ DN, BFD_EV_ADMIN_UP, DN, SAME },
	/* Init: Init or Up -> Up; AdminDown -> Down, diag 3; timer 1. */
	{ IN, BFD_EV_RX_ADMIN_DOWN, DN, BFD_DIAG_NEIGHBOR_DOWN },
	{ IN, BFD_EV_RX_DOWN, IN, SAME },
	{ IN, BFD_EV_RX_INIT, UP, BFD_DIAG_NONE },
	{ IN, BFD_EV_RX_UP, UP, BFD_DIAG_NONE },
	{ IN, BFD_EV_TIMER, DN, BFD_DIAG_TIME_EXPIRED },
	{ IN, BFD_EV_ADMIN_DOWN, AD, BFD_DIAG_ADMIN_DOWN },
	{ IN, BFD_EV_ADMIN_UP, IN, SAME },
	/* Up: Down or AdminDown -> Down, diag 3; timer -> Down, diag 1. */
	{ UP, BFD_EV_RX_ADMIN_DOWN, DN, BFD_DIAG_NEIGHBOR_DOWN },
	{ UP, BFD_EV_RX_DOWN, DN, BFD_DIAG_NEIGHBOR_DOWN },
	{ UP, BFD_EV_RX_INIT, UP, SAME },
	{ UP, BFD_EV_RX_UP, UP, SAME },
	{ UP, BFD_EV_TIMER, DN, BFD_DIAG_TIME_EXPIRED },
	{ UP, BFD_EV_ADMIN_DOWN, AD, BFD_DIAG_ADMIN_DOWN },
	{ UP, BFD_EV_ADMIN_UP, UP, SAME },
};

static void
test_fsm_table(void **state)
{
	size_t i;
	int seen[4][BFD_EV_COUNT] = { { 0 } };

	for (i = 0; i < sizeof(fsm_want) / sizeof(fsm_want[0]); i++) {
		struct bfd_trans t =
		    bfd_fsm((enum bfd_state)fsm_want[i].from, fsm_want[i].ev);

		if (t.next != fsm_want[i].to || t.diag != fsm_want[i].diag)
			fail_msg("%s + event %d: got %s diag %d, want %s "
				 "diag %d",
			    bfd_state_name(fsm_want[i].from), fsm_want[i].ev,
			    bfd_state_name(t.next), t.diag,
			    bfd_state_name(fsm_want[i].to), fsm_want[i].diag);
		seen[fsm_want[i].from][fsm_want[i].ev]++;
	}
	/* The table above covers every pair exactly once. */
	for (i = 0; i < 4; i++)
		for (int e = 0; e < BFD_EV_COUNT; e++)
			assert_int_equal(seen[i][e], 1);
	/* Out of range: nothing moves. */
	assert_int_equal(bfd_fsm(BFD_UP, BFD_EV_COUNT).next, BFD_UP);
}

/* ---- the codec ---- */

static const struct {
	const char *hex;
	struct bfd_pkt p;
} vectors[] = {
	/* Down, slow start: 1 s TX, 300 ms RX, x3, peer not known. */
	{ "20 40 03 18 | 00 00 00 01 | 00 00 00 00 | 00 0f 42 40 |"
	  "00 04 93 e0 | 00 00 00 00",
	    { 1, 0, BFD_DOWN, 0, 3, 24, 1, 0, 1000000, 300000, 0 } },
	/* Up with Poll, 300 ms both ways. */
	{ "20 e0 03 18 | 12 34 56 78 | 9a bc de f0 | 00 04 93 e0 |"
	  "00 04 93 e0 | 00 00 00 00",
	    { 1, 0, BFD_UP, BFD_FLAG_P, 3, 24, 0x12345678, 0x9abcdef0, 300000,
		300000, 0 } },
	/* Down, diag 1 (detection time expired), Final, echo 50 ms. */
	{ "21 50 05 18 | 00 00 00 07 | 00 00 00 09 | 00 0f 42 40 |"
	  "00 0f 42 40 | 00 00 c3 50",
	    { 1, BFD_DIAG_TIME_EXPIRED, BFD_DOWN, BFD_FLAG_F, 5, 24, 7, 9,
		1000000, 1000000, 50000 } },
	/* AdminDown, diag 7, Demand and C bits, RX 0 (send nothing). */
	{ "27 0a 01 18 | ff ff ff ff | 00 00 00 02 | 00 00 03 e8 |"
	  "00 00 00 00 | 00 00 00 00",
	    { 1, BFD_DIAG_ADMIN_DOWN, BFD_ADMIN_DOWN, BFD_FLAG_C | BFD_FLAG_D,
		1, 24, 0xffffffff, 2, 1000, 0, 0 } },
};

static void
test_vectors(void **state)
{
	uint8_t in[64], out[64];
	struct bfd_pkt p;
	size_t i, n;

	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		n = hex_decode(vectors[i].hex, in, sizeof(in));
		assert_int_equal(n, BFD_PKT_LEN);
		assert_int_equal(bfd_pkt_decode(in, n, &p), BFD_RX_OK);
		assert_memory_equal(&p, &vectors[i].p, sizeof(p));
		assert_int_equal(bfd_pkt_encode(&p, out, sizeof(out)), n);
		assert_memory_equal(in, out, n);
	}
	/* No room: nothing written. */
	assert_int_equal(bfd_pkt_encode(&p, out, BFD_PKT_LEN - 1), 0);
	/* Octets past Length (e.g. padding) are not an error. */
	n = hex_decode(vectors[0].hex, in, sizeof(in));
	in[n++] = 0;
	in[n++] = 0;
	assert_int_equal(bfd_pkt_decode(in, n, &p), BFD_RX_OK);
}

static const struct {
	const char *what;
	const char *hex;
	enum bfd_rx_err want;
} malformed[] = {
	{ "23 octets", "20 40 03 18 00000001 00000000 000f4240 000f4240 000000",
	    BFD_RX_SHORT },
	{ "empty", "", BFD_RX_SHORT },
	{ "version 0",
	    "00 40 03 18 00000001 00000000 000f4240 000f4240 "
	    "00000000",
	    BFD_RX_VERSION },
	{ "version 2",
	    "40 40 03 18 00000001 00000000 000f4240 000f4240 "
	    "00000000",
	    BFD_RX_VERSION },
	{ "Length 23",
	    "20 40 03 17 00000001 00000000 000f4240 000f4240 "
	    "00000000",
	    BFD_RX_LEN_SHORT },
	{ "Length 0",
	    "20 40 03 00 00000001 00000000 000f4240 000f4240 "
	    "00000000",
	    BFD_RX_LEN_SHORT },
	{ "A bit with Length 24 (26 needed)",
	    "20 44 03 18 00000001 00000000 000f4240 000f4240 00000000",
	    BFD_RX_LEN_SHORT },
	{ "Length 25 beyond 24 octets",
	    "20 40 03 19 00000001 00000000 000f4240 000f4240 00000000",
	    BFD_RX_LEN_LONG },
	{ "Length 255",
	    "20 40 03 ff 00000001 00000000 000f4240 000f4240 "
	    "00000000",
	    BFD_RX_LEN_LONG },
	{ "Detect Mult 0",
	    "20 40 00 18 00000001 00000000 000f4240 000f4240 00000000",
	    BFD_RX_MULT_ZERO },
	{ "Multipoint",
	    "20 41 03 18 00000001 00000000 000f4240 000f4240 "
	    "00000000",
	    BFD_RX_MULTIPOINT },
	{ "My Discriminator 0",
	    "20 40 03 18 00000000 00000000 000f4240 000f4240 00000000",
	    BFD_RX_MY_DISC_ZERO },
	{ "Your Discriminator 0 in Init",
	    "20 80 03 18 00000001 00000000 000f4240 000f4240 00000000",
	    BFD_RX_YOUR_DISC_ZERO },
	{ "Your Discriminator 0 in Up",
	    "20 c0 03 18 00000001 00000000 000f4240 000f4240 00000000",
	    BFD_RX_YOUR_DISC_ZERO },
	{ "authentication present (none configured)",
	    "20 44 03 1a 00000001 00000000 000f4240 000f4240 00000000 "
	    "01 02",
	    BFD_RX_AUTH },
};

static void
test_malformed(void **state)
{
	uint8_t in[64];
	struct bfd_pkt p;
	size_t i, n;

	for (i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		n = hex_decode(malformed[i].hex, in, sizeof(in));
		enum bfd_rx_err e = bfd_pkt_decode(in, n, &p);

		if (e != malformed[i].want)
			fail_msg("%s: got '%s', want '%s'", malformed[i].what,
			    bfd_rx_err_str(e),
			    bfd_rx_err_str(malformed[i].want));
	}
	/* Your Discriminator 0 is fine in Down and AdminDown. */
	n = hex_decode("20 00 03 18 00000001 00000000 000f4240 000f4240 "
		       "00000000",
	    in, sizeof(in));
	assert_int_equal(bfd_pkt_decode(in, n, &p), BFD_RX_OK);
	/* Every reason has a name. */
	for (i = 0; i < BFD_RX_ERR_COUNT; i++)
		assert_string_not_equal(
		    bfd_rx_err_str((enum bfd_rx_err)i), "?");
	assert_string_equal(bfd_rx_err_str(BFD_RX_ERR_COUNT), "?");
}

/* ---- session selection (§6.8.6 steps 7 and 9) ---- */

struct fake {
	struct bfd b;
	int peer; /* stands for an address */
};

static bool
fake_from(const struct bfd *b, const void *src)
{
	return ((const struct fake *)b)->peer == *(const int *)src;
}

static void
test_select(void **state)
{
	struct fake f[3];
	struct bfd *v[3] = { &f[0].b, &f[1].b, &f[2].b };
	struct bfd_pkt p = { .version = 1, .state = BFD_DOWN, .mult = 3 };
	enum bfd_rx_err err;
	int src;

	for (int i = 0; i < 3; i++) {
		bfd_init(&f[i].b, 100 + (uint32_t)i, 300000, 3);
		f[i].peer = 10 + i;
	}
	/* By Your Discriminator, from its peer. */
	p.your_disc = 101;
	src = 11;
	assert_ptr_equal(bfd_select(v, 3, &p, &src, fake_from, &err), &f[1].b);
	assert_int_equal(err, BFD_RX_OK);
	/* Ours, but from another address: discarded. */
	src = 12;
	assert_null(bfd_select(v, 3, &p, &src, fake_from, &err));
	assert_int_equal(err, BFD_RX_NO_SESSION);
	/* No such discriminator. */
	p.your_disc = 99;
	src = 11;
	assert_null(bfd_select(v, 3, &p, &src, fake_from, &err));
	assert_int_equal(err, BFD_RX_NO_SESSION);
	/* Without one: by the source address. */
	p.your_disc = 0;
	src = 12;
	assert_ptr_equal(bfd_select(v, 3, &p, &src, fake_from, &err), &f[2].b);
	src = 13;
	assert_null(bfd_select(v, 3, &p, &src, fake_from, &err));
	assert_int_equal(err, BFD_RX_NO_SESSION);
	assert_null(bfd_select(v, 0, &p, &src, fake_from, &err));
}

/* ---- sessions talking ---- */

/* a sends one packet to b; returns what b's bfd_rx asked for. */
static unsigned
xfer(struct bfd *a, struct bfd *b, struct bfd_pkt *sent)
{
	uint8_t buf[BFD_PKT_LEN];
	struct bfd_pkt p;
	enum bfd_rx_err err;
	size_t n;

	bfd_make_pkt(a, sent);
	n = bfd_pkt_encode(sent, buf, sizeof(buf));
	assert_int_equal(bfd_pkt_decode(buf, n, &p), BFD_RX_OK);
	return bfd_rx(b, &p, &err);
}

/* Two sessions brought Up; a at 300 ms x 3, b at b_ms x b_mult. */
static void
handshake(struct bfd *a, struct bfd *b, uint32_t b_ms, uint8_t b_mult)
{
	struct bfd_pkt p;
	unsigned r;

	bfd_init(a, 1, 300000, 3);
	bfd_init(b, 2, b_ms * 1000, b_mult);
	/* Slow start: at least 1 s until Up (§6.8.3). */
	assert_int_equal(a->desired_min_tx, 1000000);
	assert_int_equal(a->required_min_rx, 300000);
	assert_int_equal(bfd_detect_time(a), 0);
	r = xfer(a, b, &p); /* Down, Your Discriminator 0 */
	assert_int_equal(p.your_disc, 0);
	assert_true(r & BFD_DO_STATE);
	assert_int_equal(b->state, BFD_INIT);
	assert_int_equal(b->remote_disc, 1);
	r = xfer(b, a, &p); /* Init */
	assert_true(r & BFD_DO_STATE);
	assert_int_equal(a->state, BFD_UP);
	/* Up: the configured rate, announced with a Poll. */
	assert_int_equal(a->desired_min_tx, 300000);
	assert_true(a->poll);
	r = xfer(a, b, &p); /* Up, P */
	assert_true(p.flags & BFD_FLAG_P);
	assert_int_equal(b->state, BFD_UP);
	assert_true(b->final_due);
	r = xfer(b, a, &p); /* Final first, b's own Poll later */
	assert_int_equal(p.flags, BFD_FLAG_F);
	assert_false(a->poll);
	xfer(b, a, &p);
	assert_int_equal(p.flags, b->poll ? BFD_FLAG_P : 0);
	xfer(a, b, &p); /* F for b's poll */
	assert_false(b->poll);
	assert_int_equal(a->state, BFD_UP);
	assert_int_equal(b->state, BFD_UP);
}

static void
test_handshake(void **state)
{
	struct bfd a, b;

	handshake(&a, &b, 300, 3);
	/* Each sends at max(own DesiredMinTx, peer's RequiredMinRx). */
	assert_int_equal(bfd_tx_interval(&a), 300000);
	assert_int_equal(bfd_tx_interval(&b), 300000);
	/* Detection: peer's mult x max(our RequiredMinRx, its MinTx). */
	assert_int_equal(bfd_detect_time(&a), 900000);
	assert_int_equal(bfd_detect_time(&b), 900000);
	assert_int_equal(a.local_diag, BFD_DIAG_NONE);
}

static void
test_asymmetric(void **state)
{
	struct bfd a, b;

	/* Tencent side at 1000 ms x 5: a sends slower, detects later. */
	handshake(&a, &b, 1000, 5);
	assert_int_equal(bfd_tx_interval(&a), 1000000);
	assert_int_equal(bfd_tx_interval(&b), 1000000);
	assert_int_equal(bfd_detect_time(&a), 5000000);
	assert_int_equal(bfd_detect_time(&b), 3000000);
}

static void
test_poll_slower(void **state)
{
	struct bfd a, b;
	struct bfd_pkt p;
	unsigned r;

	handshake(&a, &b, 300, 3);
	/* Slower TX and RX while Up: a Poll; TX stays until the Final. */
	r = bfd_set_params(&a, 1000000, 3);
	assert_true(r & BFD_DO_SEND);
	assert_true(a.poll);
	assert_int_equal(a.desired_min_tx, 1000000);
	assert_int_equal(a.required_min_rx, 1000000);
	assert_int_equal(a.tx_used, 300000);
	/* A larger RequiredMinRx counts at once (a longer detection). */
	assert_int_equal(a.rx_used, 1000000);
	xfer(&a, &b, &p);
	assert_true(p.flags & BFD_FLAG_P);
	assert_int_equal(bfd_tx_interval(&b), 1000000);
	xfer(&b, &a, &p);
	assert_true(p.flags & BFD_FLAG_F);
	assert_false(a.poll);
	assert_int_equal(bfd_tx_interval(&a), 1000000);
	assert_int_equal(bfd_detect_time(&a), 3000000);
	/* Unchanged values: no poll. */
	assert_int_equal(bfd_set_params(&a, 1000000, 3), 0);
	assert_false(a.poll);
}

static void
test_poll_faster(void **state)
{
	struct bfd a, b;
	struct bfd_pkt p;

	handshake(&a, &b, 1000, 3);
	bfd_set_params(&a, 1000000, 3);
	xfer(&a, &b, &p);
	xfer(&b, &a, &p);
	assert_false(a.poll);
	/* Faster: TX at once; a smaller RequiredMinRx after the Final. */
	bfd_set_params(&a, 300000, 3);
	assert_true(a.poll);
	assert_int_equal(a.tx_used, 300000);
	assert_int_equal(a.rx_used, 1000000);
	assert_int_equal(bfd_detect_time(&a), 3000000);
	xfer(&a, &b, &p);
	xfer(&b, &a, &p);
	assert_false(a.poll);
	assert_int_equal(a.rx_used, 300000);
	/* b still sends at 1 s: detection follows its DesiredMinTx. */
	assert_int_equal(bfd_detect_time(&a), 3000000);
	/* A new multiplier alone is announced by a poll too. */
	assert_true(bfd_set_params(&a, 300000, 5) & BFD_DO_SEND);
	assert_true(a.poll);
}

static void
test_params_while_down(void **state)
{
	struct bfd a;

	bfd_init(&a, 1, 300000, 3);
	/* Not Up: no poll, slow start kept, RX at once. */
	assert_int_equal(bfd_set_params(&a, 200000, 4) & BFD_DO_SEND, 0);
	assert_false(a.poll);
	assert_int_equal(a.desired_min_tx, 1000000);
	assert_int_equal(a.required_min_rx, 200000);
	assert_int_equal(a.rx_used, 200000);
	assert_int_equal(a.detect_mult, 4);
	/* Above 1 s the configured value is used in Down as well. */
	bfd_set_params(&a, 2000000, 3);
	assert_int_equal(a.desired_min_tx, 2000000);
}

static void
test_expiry(void **state)
{
	struct bfd a, b;
	unsigned r;

	handshake(&a, &b, 300, 3);
	r = bfd_expire(&a);
	assert_true(r & BFD_DO_STATE);
	assert_int_equal(a.state, BFD_DOWN);
	assert_int_equal(a.local_diag, BFD_DIAG_TIME_EXPIRED);
	/* §6.8.1: the peer is forgotten; back to 1 s. */
	assert_int_equal(a.remote_disc, 0);
	assert_int_equal(a.desired_min_tx, 1000000);
	assert_int_equal(bfd_detect_time(&a), 0);
	assert_false(a.poll);
	/* Down to the peer: diag 3 there, and no BGP-visible loop. */
	struct bfd_pkt p;

	xfer(&a, &b, &p);
	assert_int_equal(p.diag, BFD_DIAG_TIME_EXPIRED);
	assert_int_equal(p.your_disc, 0);
	assert_int_equal(b.state, BFD_DOWN);
	assert_int_equal(b.local_diag, BFD_DIAG_NEIGHBOR_DOWN);
	/* And they come back: Down/Down -> Init -> Up. */
	xfer(&b, &a, &p);
	assert_int_equal(a.state, BFD_INIT);
	xfer(&a, &b, &p);
	assert_int_equal(b.state, BFD_UP);
	xfer(&b, &a, &p);
	assert_int_equal(a.state, BFD_UP);
	assert_int_equal(a.local_diag, BFD_DIAG_NONE);
	/* Expiry in Down changes nothing but the peer's variables. */
	bfd_init(&a, 1, 300000, 3);
	assert_int_equal(bfd_expire(&a) & BFD_DO_STATE, 0);
	assert_int_equal(a.state, BFD_DOWN);
}

static void
test_peer_admin_down(void **state)
{
	struct bfd a, b;
	struct bfd_pkt p;
	enum bfd_rx_err err;

	handshake(&a, &b, 300, 3);
	assert_true(bfd_admin(&b, true) & BFD_DO_STATE);
	assert_int_equal(b.state, BFD_ADMIN_DOWN);
	assert_int_equal(b.local_diag, BFD_DIAG_ADMIN_DOWN);
	xfer(&b, &a, &p);
	assert_int_equal(p.state, BFD_ADMIN_DOWN);
	assert_int_equal(a.state, BFD_DOWN);
	assert_int_equal(a.remote_state, BFD_ADMIN_DOWN);
	assert_int_equal(a.local_diag, BFD_DIAG_NEIGHBOR_DOWN);
	/* In AdminDown, packets are taken but change no state. */
	bfd_make_pkt(&a, &p);
	assert_int_equal(bfd_rx(&b, &p, &err) & BFD_DO_STATE, 0);
	assert_int_equal(err, BFD_RX_ADMIN_DOWN);
	assert_int_equal(b.state, BFD_ADMIN_DOWN);
	/* Back: AdminDown -> Down, then the handshake again. */
	assert_true(bfd_admin(&b, false) & BFD_DO_STATE);
	assert_int_equal(b.state, BFD_DOWN);
	xfer(&b, &a, &p);
	assert_int_equal(a.state, BFD_INIT);
}

static void
test_tx_rules(void **state)
{
	struct bfd a, b;
	struct bfd_pkt p;
	enum bfd_rx_err err;

	handshake(&a, &b, 300, 3);
	/* A RequiredMinRx of 0: send nothing periodically. */
	bfd_make_pkt(&b, &p);
	p.min_rx = 0;
	bfd_rx(&a, &p, &err);
	assert_int_equal(bfd_tx_interval(&a), 0);
	/* Larger than ours: the peer's rate wins. */
	p.min_rx = 2000000;
	bfd_rx(&a, &p, &err);
	assert_int_equal(bfd_tx_interval(&a), 2000000);
	/* Demand mode of the peer, both Up: periodic TX stops. */
	p.min_rx = 300000;
	p.flags = BFD_FLAG_D;
	bfd_rx(&a, &p, &err);
	assert_int_equal(bfd_tx_interval(&a), 0);
	p.flags = 0;
	bfd_rx(&a, &p, &err);
	assert_int_equal(bfd_tx_interval(&a), 300000);
	/* Our packets: no echo, no D, no A, Length 24. */
	bfd_make_pkt(&a, &p);
	assert_int_equal(p.min_echo_rx, 0);
	assert_int_equal(p.flags & (BFD_FLAG_D | BFD_FLAG_A | BFD_FLAG_M), 0);
	assert_int_equal(p.len, BFD_PKT_LEN);
	assert_int_equal(p.version, BFD_VERSION);
}

static void
test_poll_and_final(void **state)
{
	struct bfd a, b;
	struct bfd_pkt p;
	enum bfd_rx_err err;

	handshake(&a, &b, 300, 3);
	/* Both polling: the Final goes first, alone, then the Poll. */
	bfd_set_params(&a, 500000, 3);
	bfd_make_pkt(&b, &p);
	p.flags = BFD_FLAG_P;
	assert_true(bfd_rx(&a, &p, &err) & BFD_DO_SEND);
	bfd_make_pkt(&a, &p);
	assert_int_equal(p.flags, BFD_FLAG_F);
	bfd_make_pkt(&a, &p);
	assert_int_equal(p.flags, BFD_FLAG_P);
	/* A Final without a poll of ours changes nothing. */
	bfd_init(&a, 1, 300000, 3);
	bfd_make_pkt(&b, &p);
	p.flags = BFD_FLAG_F;
	bfd_rx(&a, &p, &err);
	assert_false(a.poll);
}

static void
test_jitter(void **state)
{
	struct bfd a;

	bfd_init(&a, 1, 300000, 3);
	/* 75-100% (§6.8.7). */
	assert_int_equal(bfd_jitter(&a, 300000, 0), 225000);
	assert_in_range(bfd_jitter(&a, 300000, 0.999999), 299990, 300000);
	assert_int_equal(bfd_jitter(&a, 300000, 0.5), 262500);
	/* Multiplier 1: at most 90%. */
	bfd_init(&a, 1, 300000, 1);
	assert_int_equal(bfd_jitter(&a, 300000, 0), 225000);
	assert_in_range(bfd_jitter(&a, 300000, 0.999999), 269990, 270000);
	/* Out of [0, 1): the shortest. */
	assert_int_equal(bfd_jitter(&a, 300000, 1.5), 225000);
}

static void
test_names(void **state)
{
	assert_string_equal(bfd_state_name(BFD_UP), "Up");
	assert_string_equal(bfd_state_name(BFD_ADMIN_DOWN), "AdminDown");
	assert_string_equal(bfd_diag_name(BFD_DIAG_TIME_EXPIRED),
	    "Control Detection Time Expired");
	assert_string_equal(bfd_diag_name(BFD_DIAG_NEIGHBOR_DOWN),
	    "Neighbor Signaled Session Down");
	assert_string_equal(bfd_diag_name(20), "Reserved");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fsm_table),
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_handshake),
		cmocka_unit_test(test_asymmetric),
		cmocka_unit_test(test_poll_slower),
		cmocka_unit_test(test_poll_faster),
		cmocka_unit_test(test_params_while_down),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_peer_admin_down),
		cmocka_unit_test(test_tx_rules),
		cmocka_unit_test(test_poll_and_final),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
