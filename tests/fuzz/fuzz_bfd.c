/*
 * fuzz_bfd.c: libFuzzer target for BFD (bgpd/bfd.c): the Control
 * packet decoder, and one session driven by what the input says.
 *
 * Input layout:
 *   the whole input, first, as one packet for bfd_pkt_decode (copied
 *   into a buffer of its exact size, so reading past it is caught);
 *   then a sequence of operations, one byte each and its operands:
 *     % 5 == 0   a packet: the next 24 octets, decoded, then bfd_rx
 *     % 5 == 1   the Detection Time expires
 *     % 5 == 2   new parameters: 2 octets of ms (10-60000), 1 of mult
 *     % 5 == 3   AdminDown or back, by the low bit of the next octet
 *     % 5 == 4   a packet is made and sent
 *
 * Invariants, besides memory errors (each aborts when broken):
 *   - a packet that decodes encodes to the same 24 octets;
 *   - the session's state is one of the four, DesiredMinTx is at least
 *     1 s when not Up (§6.8.3), no packet has both P and F (§6.5);
 *   - every packet it makes decodes (with the peer known) to itself;
 *   - a Detection Time is 0 exactly when nothing was heard.
 *
 * Build and run with scripts/fuzz.sh.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfd.h"

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",       \
			    __FILE__, __LINE__, #c);                           \
			abort();                                               \
		}                                                              \
	} while (0)

static void
check_codec(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1), out[BFD_PKT_LEN];
	struct bfd_pkt p;

	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	if (bfd_pkt_decode(copy, size, &p) == BFD_RX_OK) {
		CHECK(size >= BFD_PKT_LEN);
		CHECK(bfd_pkt_encode(&p, out, sizeof(out)) == BFD_PKT_LEN);
		CHECK(memcmp(out, copy, BFD_PKT_LEN) == 0);
	}
	free(copy);
}

static void
check_session(const struct bfd *s)
{
	CHECK(s->state <= BFD_UP);
	if (s->state != BFD_UP)
		CHECK(s->desired_min_tx >= BFD_SLOW_TX_US);
	CHECK((bfd_detect_time(s) == 0) == !s->heard);
}

static void
check_sent(struct bfd *s)
{
	struct bfd_pkt p, q;
	uint8_t buf[BFD_PKT_LEN];

	bfd_make_pkt(s, &p);
	CHECK(
	    (p.flags & (BFD_FLAG_P | BFD_FLAG_F)) != (BFD_FLAG_P | BFD_FLAG_F));
	CHECK(bfd_pkt_encode(&p, buf, sizeof(buf)) == BFD_PKT_LEN);
	if (p.your_disc != 0 || p.state == BFD_DOWN ||
	    p.state == BFD_ADMIN_DOWN) {
		CHECK(bfd_pkt_decode(buf, sizeof(buf), &q) == BFD_RX_OK);
		CHECK(memcmp(&p, &q, sizeof(p)) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bfd s;
	struct bfd_pkt p;
	enum bfd_rx_err err;
	size_t i = 0;

	check_codec(data, size);
	bfd_init(&s, 0x1234, 300000, 3);
	while (i < size) {
		uint8_t op = data[i++] % 5;

		switch (op) {
		case 0:
			if (size - i < BFD_PKT_LEN)
				return 0;
			if (bfd_pkt_decode(data + i, BFD_PKT_LEN, &p) ==
			    BFD_RX_OK)
				bfd_rx(&s, &p, &err);
			i += BFD_PKT_LEN;
			break;
		case 1:
			bfd_expire(&s);
			CHECK(!s.heard && s.remote_disc == 0);
			break;
		case 2: {
			unsigned ms, mult;

			if (size - i < 3)
				return 0;
			ms =
			    10 + ((unsigned)data[i] << 8 | data[i + 1]) % 59991;
			mult = data[i + 2] ? data[i + 2] : 1;
			i += 3;
			bfd_set_params(&s, ms * 1000, (uint8_t)mult);
			break;
		}
		case 3:
			if (i >= size)
				return 0;
			bfd_admin(&s, data[i++] & 1);
			break;
		default:
			check_sent(&s);
			break;
		}
		check_session(&s);
		bfd_tx_interval(&s);
	}
	return 0;
}
