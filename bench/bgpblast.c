/*
 * bgpblast.c: the two ends of the convergence benchmark (converge.sh).
 *
 * A daemon under test sits between two bgpblast processes:
 *
 *   bgpblast feed  --BGP-->  daemon  --BGP-->  bgpblast monitor
 *
 * "feed" builds a whole IPv4 table in memory before its session comes
 * up: N distinct, non-overlapping prefixes shaped like the real table
 * (mostly /24, some /16-/23, spread over 1.0.0.0-223.255.255.255 minus
 * a few reserved /8s), one attribute set per PREFIXES_PER_SET prefixes
 * (AS_PATH starting with our AS then 2-6 more, ORIGIN, NEXT_HOP = our
 * address, 0-4 communities), packed into UPDATEs of at most 4096
 * octets with the codec's builder, then End-of-RIB (RFC 4724 §2).
 * Once Established (and, with -w, once SIGUSR1 arrives) it writes the
 * stream as fast as the socket takes it and prints "start <time>" with
 * the time just before the first byte.  It keeps the session up
 * (KEEPALIVEs every hold/3) until killed.
 *
 * "monitor" decodes every UPDATE it receives (wire_update_decode,
 * wire_nlri_next), keeps the exact set of announced IPv4 prefixes in
 * a flat hash set (add on announce, remove on withdraw) and prints
 * "done <time> <count>" the moment it holds exactly N.  It then checks
 * the set against the table the feeder generates for the same N
 * ("check ok" / "check bad ..."), and exits after a grace period, or
 * with -k stays until killed.
 *
 * Both are passive by default: they listen on LOCALADDR port 179 and
 * accept only PEERADDR, which is how every daemon of the benchmark
 * likes it (they all connect actively); --connect makes them connect.
 * Times are CLOCK_REALTIME, so lines of both ends compare.  OPEN:
 * hold time 90, capabilities MP IPv4 unicast (RFC 4760), route
 * refresh (RFC 2918) and 4-octet AS (RFC 6793), which the peer must
 * announce too.  TCP MD5 (RFC 2385) with --md5 KEY.
 *
 * Build from the top of the tree:
 *   gcc -O2 -Iinclude -Ibgpd bench/bgpblast.c bgpd/wire_*.c -o bgpblast
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <dxbgp/wire.h>

#define HOLD_TIME   90
#define MAX_MIDDLE  4 /* random ASes between the transit and the origin */
#define MAX_COMMS   4
#define CHUNK       (256 * 1024) /* bytes per write(), on message ends */
#define RBUF_LEN    (1024 * 1024)
#define ORIGIN_AS0  200000u /* origin AS of set s: ORIGIN_AS0 + s */
#define BLOCK_UNITS 256     /* a /16 in units of /24 */

enum role { FEED, MONITOR };

struct opts {
	enum role role;
	struct in_addr local, peer;
	uint32_t asn, peer_asn;
	size_t n;
	size_t per_set;
	const char *md5;
	uint16_t port;
	bool connect;
	bool wait_signal; /* feed: send the table on SIGUSR1 */
	bool keep;        /* monitor: stay after done until killed */
	double grace;     /* monitor: seconds to stay after done */
	bool progress;    /* monitor: a "count" line every second */
};

struct conn {
	int fd;
	uint8_t *rbuf;
	size_t rlen;
	uint16_t hold; /* negotiated */
	double last_tx;
	bool as4;
};

static volatile sig_atomic_t got_go, got_stop;
static const char *prog = "bgpblast";
static uint8_t scratch[WIRE_SCRATCH_LEN];

/* ---------------------------------------------------------------- utils */

static void die(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);

	if (p == NULL)
		die("out of memory (%zu bytes)", n);
	return p;
}

static void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);

	if (p == NULL)
		die("out of memory (%zu bytes)", n * sz);
	return p;
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void stamp(const char *what, const struct timespec *ts, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* Prints "WHAT <realtime seconds.ns>" and the rest; flushed at once. */
static void
stamp(const char *what, const struct timespec *ts, const char *fmt, ...)
{
	struct timespec now;
	va_list ap;

	if (ts == NULL) {
		clock_gettime(CLOCK_REALTIME, &now);
		ts = &now;
	}
	printf("%s %lld.%09ld", what, (long long)ts->tv_sec, ts->tv_nsec);
	if (fmt != NULL) {
		putchar(' ');
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
	fflush(stdout);
}

/* splitmix64: everything generated is the same from run to run. */
static uint64_t
mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* ---------------------------------------------------------------- table */

struct pfx {
	uint32_t addr; /* host order */
	uint8_t len;
};

/* First octets left out: private, shared, loopback, link-local, tests. */
static bool
reserved_octet(unsigned int o)
{
	return o == 10 || o == 100 || o == 127 || o == 169 || o == 172 ||
	    o == 192 || o == 198;
}

/*
 * A /24-unit size for one prefix: 64% /24, 11% /23, 13% /22, 5% /21,
 * 3.5% /20, 2% /19, 1% /18, 0.5% /17.
 */
static unsigned int
draw_units(uint64_t h)
{
	static const struct {
		unsigned int permille, units;
	} dist[] = { { 640, 1 }, { 110, 2 }, { 130, 4 }, { 50, 8 }, { 35, 16 },
		{ 20, 32 }, { 10, 64 }, { 5, 128 } };
	unsigned int r = (unsigned int)(h % 1000), i;

	for (i = 0; i < sizeof(dist) / sizeof(dist[0]); i++) {
		if (r < dist[i].permille)
			return dist[i].units;
		r -= dist[i].permille;
	}
	return 1;
}

static unsigned int
units_len(unsigned int units)
{
	unsigned int len = 24;

	while (units > 1) {
		units >>= 1;
		len--;
	}
	return len;
}

static int
cmp_desc(const void *a, const void *b)
{
	unsigned int x = *(const unsigned int *)a, y = *(const unsigned int *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/*
 * The N prefixes of the table, in the order they are sent.  The space
 * is cut into /16 blocks; a block is either one /16 (1 in 128) or
 * tiled exactly by prefixes of drawn sizes placed largest first, which
 * keeps every prefix aligned and none overlapping.  The blocks used
 * are then spread evenly over the usable /16s.
 */
static struct pfx *
make_table(size_t n)
{
	static uint16_t usable[224 * 256];
	struct pfx *t = xmalloc(n * sizeof(*t));
	unsigned int sizes[BLOCK_UNITS], nsz, left, k, u, o;
	size_t i = 0, nblocks = 0, nusable = 0, b;
	uint64_t h;

	for (o = 1; o < 224; o++)
		if (!reserved_octet(o))
			for (k = 0; k < 256; k++)
				usable[nusable++] = (uint16_t)(o << 8 | k);
	while (i < n) {
		if (nblocks >= nusable)
			die("-n %zu: more prefixes than this generator places",
			    n);
		h = mix64(0x5eed0000 + nblocks);
		nsz = 0;
		if (h % 128 == 0) {
			sizes[nsz++] = BLOCK_UNITS;
		} else {
			for (left = BLOCK_UNITS; left > 0; left -= u) {
				h = mix64(h);
				u = draw_units(h);
				while (u > left)
					u >>= 1;
				sizes[nsz++] = u;
			}
			qsort(sizes, nsz, sizeof(sizes[0]), cmp_desc);
		}
		for (k = 0, u = 0; k < nsz && i < n; u += sizes[k++], i++) {
			/* block index in the top 16 bits, for now */
			t[i].addr = (uint32_t)nblocks << 16 | u << 8;
			t[i].len = (uint8_t)units_len(sizes[k]);
		}
		nblocks++;
	}
	for (i = 0; i < n; i++) {
		b = t[i].addr >> 16;
		b = b * nusable / nblocks;
		t[i].addr = (uint32_t)usable[b] << 16 | (t[i].addr & 0xffff);
	}
	return t;
}

static void
to_wire_prefix(const struct pfx *p, struct wire_prefix *w)
{
	memset(w, 0, sizeof(*w));
	w->afi = BGP_AFI_IPV4;
	w->len = p->len;
	w->addr[0] = (uint8_t)(p->addr >> 24);
	w->addr[1] = (uint8_t)(p->addr >> 16);
	w->addr[2] = (uint8_t)(p->addr >> 8);
	w->addr[3] = (uint8_t)p->addr;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * Attribute set s, encoded for a 4-octet session: AS_PATH = our AS, a
 * transit AS, 0-4 random ASes, and an origin AS of its own (which
 * makes every set distinct); ORIGIN; NEXT_HOP; 0-4 communities.
 */
static size_t
make_attrs(const struct opts *o, size_t s, uint8_t *out, size_t cap)
{
	static const uint32_t transit[] = { 174, 1299, 2914, 3257, 3356, 3491,
		6453, 6461, 6762, 6830, 6939, 7018, 9002, 12956, 1273, 5511 };
	uint8_t path[2 + 4 * (3 + MAX_MIDDLE)], comms[4 * MAX_COMMS];
	struct wire_attrs a;
	uint64_t h = mix64(0xa77e5000ull + s);
	unsigned int nmid = (unsigned int)(h % (MAX_MIDDLE + 1));
	unsigned int ncomm = (unsigned int)((h >> 8) % (MAX_COMMS + 1));
	unsigned int i, np = 0;
	uint32_t as, tr;
	size_t len;

	memset(&a, 0, sizeof(a));
	tr = transit[(h >> 16) % (sizeof(transit) / sizeof(transit[0]))];
	path[0] = BGP_SEG_SEQUENCE;
	put32(path + 2 + 4 * np++, o->asn);
	put32(path + 2 + 4 * np++, tr);
	for (i = 0; i < nmid; i++) {
		h = mix64(h);
		if (h % 8 == 0)
			as = 131072 + (uint32_t)(h >> 8) % 60000; /* 4-octet */
		else
			as = 1 + (uint32_t)(h >> 8) % 63999;
		if (as == BGP_AS_TRANS)
			as++;
		put32(path + 2 + 4 * np++, as);
	}
	put32(path + 2 + 4 * np++, ORIGIN_AS0 + (uint32_t)s);
	path[1] = (uint8_t)np;
	for (i = 0; i < ncomm; i++) {
		h = mix64(h);
		put32(comms + 4 * i, tr << 16 | (uint32_t)(h % 65536));
	}
	a.have = WIRE_HAVE(BGP_ATTR_ORIGIN) | WIRE_HAVE(BGP_ATTR_AS_PATH) |
	    WIRE_HAVE(BGP_ATTR_NEXT_HOP);
	a.origin = h % 10 == 0 ? BGP_ORIGIN_INCOMPLETE : BGP_ORIGIN_IGP;
	a.aspath = path;
	a.aspath_len = 2 + 4 * np;
	a.nexthop = ntohl(o->local.s_addr);
	if (ncomm > 0) {
		a.have |= WIRE_HAVE(BGP_ATTR_COMMUNITIES);
		a.communities = comms;
		a.communities_len = (uint16_t)(4 * ncomm);
	}
	len = wire_attrs_encode(&a, true, out, cap);
	if (len == 0)
		die("wire_attrs_encode failed");
	return len;
}

struct stream {
	uint8_t *buf;
	size_t len, cap;
	size_t n_msgs, n_sets;
};

static uint8_t *
stream_room(struct stream *st)
{
	if (st->cap - st->len < BGP_MAX_MSG) {
		st->cap = st->cap * 2 + BGP_MAX_MSG;
		st->buf = realloc(st->buf, st->cap);
		if (st->buf == NULL)
			die("out of memory (stream of %zu bytes)", st->cap);
	}
	return st->buf + st->len;
}

/* The whole table as UPDATE messages, then End-of-RIB. */
static void
build_stream(const struct opts *o, struct stream *st)
{
	struct pfx *t = make_table(o->n);
	struct wire_upd_builder b;
	struct wire_prefix p;
	uint8_t attrs[BGP_MAX_MSG];
	size_t alen = 0, i, set = SIZE_MAX;
	bool open = false;

	memset(st, 0, sizeof(*st));
	st->cap = o->n * 12 + 2 * BGP_MAX_MSG;
	st->buf = xmalloc(st->cap);
	for (i = 0; i < o->n; i++) {
		to_wire_prefix(&t[i], &p);
		if (i / o->per_set != set) {
			if (open)
				st->len += wire_upd_finish(&b);
			set = i / o->per_set;
			alen = make_attrs(o, set, attrs, sizeof(attrs));
			st->n_sets++;
			open = false;
		}
		if (open && wire_upd_announce(&b, &p))
			continue;
		if (open) /* full: another message with the same attributes */
			st->len += wire_upd_finish(&b);
		wire_upd_begin(
		    &b, stream_room(st), BGP_MAX_MSG, BGP_AFI_IPV4, false);
		if (!wire_upd_attrs(&b, attrs, alen, NULL, 0) ||
		    !wire_upd_announce(&b, &p))
			die("UPDATE builder failed");
		st->n_msgs++;
		open = true;
	}
	if (open)
		st->len += wire_upd_finish(&b);
	st->len += wire_eor_encode(
	    BGP_AFI_IPV4, BGP_SAFI_UNICAST, stream_room(st), BGP_MAX_MSG);
	st->n_msgs++;
	free(t);
}

/* ---------------------------------------------------------------- prefix set */

/*
 * A flat open-addressing hash set of (address, length), linear
 * probing, deletion by backward shift (no tombstones).
 */
struct pset {
	uint64_t *slot; /* 0 = empty */
	size_t mask;
	size_t count;
};

static uint64_t
pset_key(uint32_t addr, uint8_t len)
{
	return (uint64_t)1 << 63 | (uint64_t)addr << 8 | len;
}

static size_t
pset_home(const struct pset *s, uint64_t key)
{
	return (size_t)mix64(key) & s->mask;
}

static void
pset_init(struct pset *s, size_t expect)
{
	size_t cap = 1024;

	while (cap < 2 * expect)
		cap <<= 1;
	s->slot = xcalloc(cap, sizeof(s->slot[0]));
	s->mask = cap - 1;
	s->count = 0;
}

static bool pset_add(struct pset *, uint64_t key);

static void
pset_grow(struct pset *s)
{
	uint64_t *old = s->slot;
	size_t n = s->mask + 1, i;

	s->slot = xcalloc(2 * n, sizeof(s->slot[0]));
	s->mask = 2 * n - 1;
	s->count = 0;
	for (i = 0; i < n; i++)
		if (old[i] != 0)
			pset_add(s, old[i]);
	free(old);
}

/* False if it was there already. */
static bool
pset_add(struct pset *s, uint64_t key)
{
	size_t i;

	if (2 * (s->count + 1) > s->mask + 1)
		pset_grow(s);
	for (i = pset_home(s, key); s->slot[i] != 0; i = (i + 1) & s->mask)
		if (s->slot[i] == key)
			return false;
	s->slot[i] = key;
	s->count++;
	return true;
}

static bool
pset_has(const struct pset *s, uint64_t key)
{
	size_t i;

	for (i = pset_home(s, key); s->slot[i] != 0; i = (i + 1) & s->mask)
		if (s->slot[i] == key)
			return true;
	return false;
}

/* False if it was not there. */
static bool
pset_del(struct pset *s, uint64_t key)
{
	size_t i, j, k;

	for (i = pset_home(s, key); s->slot[i] != key; i = (i + 1) & s->mask)
		if (s->slot[i] == 0)
			return false;
	s->slot[i] = 0;
	s->count--;
	for (j = (i + 1) & s->mask; s->slot[j] != 0; j = (j + 1) & s->mask) {
		k = pset_home(s, s->slot[j]);
		/* leave it if its home is cyclically in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		s->slot[i] = s->slot[j];
		s->slot[j] = 0;
		i = j;
	}
	return true;
}

/* ---------------------------------------------------------------- socket */

static void
set_md5(int fd, struct in_addr peer, const char *key)
{
	struct tcp_md5sig md5;
	struct sockaddr_in *sin = (struct sockaddr_in *)&md5.tcpm_addr;
	size_t len = strlen(key);

	if (len > TCP_MD5SIG_MAXKEYLEN)
		die("--md5: key longer than %d bytes", TCP_MD5SIG_MAXKEYLEN);
	memset(&md5, 0, sizeof(md5));
	sin->sin_family = AF_INET;
	sin->sin_addr = peer;
	md5.tcpm_keylen = (uint16_t)len;
	memcpy(md5.tcpm_key, key, len);
	if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5)) < 0)
		die("setsockopt TCP_MD5SIG: %s", strerror(errno));
}

static int
tcp_socket(const struct opts *o, uint16_t local_port)
{
	struct sockaddr_in sin;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (o->md5 != NULL)
		set_md5(fd, o->peer, o->md5);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr = o->local;
	sin.sin_port = htons(local_port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("bind %s:%u: %s", inet_ntoa(o->local), local_port,
		    strerror(errno));
	return fd;
}

/* Waits for fd to become readable, handling signals; false on stop. */
static bool
wait_readable(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec ts = { timeout_ms / 1000,
		(timeout_ms % 1000) * 1000000L };
	sigset_t none;

	sigemptyset(&none);
	for (;;) {
		if (got_stop)
			return false;
		if (ppoll(&pfd, 1, timeout_ms < 0 ? NULL : &ts, &none) >= 0)
			return !got_stop;
		if (errno != EINTR)
			die("ppoll: %s", strerror(errno));
	}
}

/* The listening socket, made once; accepts only the peer. */
static int lfd = -1;

static int
open_transport(const struct opts *o)
{
	struct sockaddr_in sin;
	socklen_t slen;
	int fd;

	if (o->connect) {
		for (;;) {
			fd = tcp_socket(o, 0);
			memset(&sin, 0, sizeof(sin));
			sin.sin_family = AF_INET;
			sin.sin_addr = o->peer;
			sin.sin_port = htons(o->port);
			if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ==
			    0)
				return fd;
			close(fd);
			if (!wait_readable(-1, 1000))
				exit(0);
		}
	}
	if (lfd < 0) {
		lfd = tcp_socket(o, o->port);
		if (listen(lfd, 4) < 0)
			die("listen: %s", strerror(errno));
	}
	for (;;) {
		if (!wait_readable(lfd, -1))
			exit(0);
		slen = sizeof(sin);
		fd = accept4(lfd, (struct sockaddr *)&sin, &slen, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		if (sin.sin_addr.s_addr == o->peer.s_addr)
			return fd;
		fprintf(stderr, "%s: refused a connection from %s\n", prog,
		    inet_ntoa(sin.sin_addr));
		close(fd);
	}
}

/* ---------------------------------------------------------------- messages */

/* Writes all of buf on a socket that may be non-blocking. */
static bool
send_all(struct conn *c, const uint8_t *buf, size_t len)
{
	struct pollfd pfd = { .fd = c->fd, .events = POLLOUT };
	ssize_t w;

	while (len > 0) {
		w = send(c->fd, buf, len, MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			poll(&pfd, 1, 1000);
			continue;
		}
		if (w <= 0)
			return false;
		buf += w;
		len -= (size_t)w;
	}
	c->last_tx = mono();
	return true;
}

static bool
send_keepalive(struct conn *c)
{
	uint8_t ka[BGP_HDR_LEN];

	return send_all(c, ka, wire_keepalive_encode(ka, sizeof(ka)));
}

static void
send_open(const struct opts *o, struct conn *c)
{
	struct wire_open op;
	uint8_t buf[BGP_MAX_MSG];
	size_t len;

	memset(&op, 0, sizeof(op));
	op.version = BGP_VERSION;
	op.my_as = o->asn > 65535 ? BGP_AS_TRANS : (uint16_t)o->asn;
	op.holdtime = HOLD_TIME;
	op.bgp_id = ntohl(o->local.s_addr);
	op.caps.have = WIRE_CAP_MP | WIRE_CAP_RR | WIRE_CAP_AS4;
	op.caps.as4 = o->asn;
	op.caps.n_mp = 1;
	op.caps.mp[0].afi = BGP_AFI_IPV4;
	op.caps.mp[0].safi = BGP_SAFI_UNICAST;
	len = wire_open_encode(&op, buf, sizeof(buf));
	if (len == 0 || !send_all(c, buf, len))
		die("cannot send OPEN");
}

static void
print_notification(const uint8_t *body, size_t len)
{
	struct wire_notification n;

	if (wire_notification_decode(body, len, &n) < 0) {
		fprintf(stderr, "%s: malformed NOTIFICATION\n", prog);
		return;
	}
	fprintf(stderr, "%s: NOTIFICATION from the peer: %u/%u %s, %s\n", prog,
	    n.code, n.subcode, wire_err_code_name(n.code),
	    wire_err_subcode_name(n.code, n.subcode));
}

typedef void msg_fn(const struct opts *, struct conn *, uint8_t type,
    const uint8_t *body, size_t len);

/*
 * Reads what the socket has and hands every whole message to fn.
 * Returns false when the peer closed or on a framing error.
 */
static bool
pump(const struct opts *o, struct conn *c, msg_fn *fn)
{
	struct wire_hdr hdr;
	struct wire_err err;
	size_t off = 0;
	ssize_t r;
	int rc;

	r = recv(c->fd, c->rbuf + c->rlen, RBUF_LEN - c->rlen, MSG_DONTWAIT);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (r < 0) {
		fprintf(stderr, "%s: recv: %s\n", prog, strerror(errno));
		return false;
	}
	if (r == 0) {
		fprintf(stderr, "%s: the peer closed the connection\n", prog);
		return false;
	}
	c->rlen += (size_t)r;
	for (;;) {
		wire_err_init(&err);
		rc = wire_hdr_decode(
		    c->rbuf + off, c->rlen - off, BGP_MAX_MSG, &hdr, &err);
		if (rc < 0) {
			fprintf(stderr, "%s: bad message header: %s\n", prog,
			    err.reason ? err.reason : "?");
			return false;
		}
		if (rc == 0 || hdr.len > c->rlen - off)
			break;
		fn(o, c, hdr.type, c->rbuf + off + BGP_HDR_LEN,
		    hdr.len - BGP_HDR_LEN);
		off += hdr.len;
	}
	memmove(c->rbuf, c->rbuf + off, c->rlen - off);
	c->rlen -= off;
	return true;
}

/* State of the OPEN exchange, between calls of open_msg. */
static int open_state; /* 0 nothing, 1 OPEN received, 2 Established */
static bool open_failed;

static void
open_msg(const struct opts *o, struct conn *c, uint8_t type,
    const uint8_t *body, size_t len)
{
	struct wire_open op;
	struct wire_err err;

	if (open_failed)
		return;
	if (type == BGP_MSG_NOTIFICATION) {
		print_notification(body, len);
		open_failed = true;
	} else if (type == BGP_MSG_OPEN && open_state == 0) {
		wire_err_init(&err);
		if (wire_open_decode(body, len, &op, &err) < 0) {
			fprintf(stderr, "%s: bad OPEN: %s\n", prog,
			    err.reason ? err.reason : "?");
			open_failed = true;
			return;
		}
		if (wire_open_peer_as(&op) != o->peer_asn) {
			fprintf(stderr, "%s: the peer is AS %u, not %u\n", prog,
			    wire_open_peer_as(&op), o->peer_asn);
			open_failed = true;
			return;
		}
		if (!(op.caps.have & WIRE_CAP_AS4)) {
			fprintf(stderr,
			    "%s: the peer has no 4-octet AS "
			    "capability\n",
			    prog);
			open_failed = true;
			return;
		}
		c->as4 = true;
		c->hold = op.holdtime < HOLD_TIME ? op.holdtime : HOLD_TIME;
		open_state = 1;
		if (!send_keepalive(c))
			open_failed = true;
	} else if (type == BGP_MSG_KEEPALIVE && open_state == 1) {
		open_state = 2;
	} else {
		fprintf(stderr,
		    "%s: unexpected message type %u during the "
		    "OPEN exchange\n",
		    prog, type);
		open_failed = true;
	}
}

/* Connects or accepts, and exchanges OPENs until Established. */
static void
establish(const struct opts *o, struct conn *c)
{
	double until;

	for (;;) {
		c->fd = open_transport(o);
		c->rlen = 0;
		c->hold = HOLD_TIME;
		open_state = 0;
		open_failed = false;
		send_open(o, c);
		until = mono() + 30;
		while (open_state < 2 && !open_failed && mono() < until) {
			if (!wait_readable(c->fd, 1000))
				exit(0);
			if (!pump(o, c, open_msg))
				open_failed = true;
		}
		if (open_state == 2)
			break;
		fprintf(stderr,
		    "%s: OPEN exchange with %s failed, waiting "
		    "for the next connection\n",
		    prog, inet_ntoa(o->peer));
		close(c->fd);
		if (o->connect && !wait_readable(-1, 1000))
			exit(0);
	}
	if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) < 0)
		die("fcntl: %s", strerror(errno));
	stamp("established", NULL, "%s hold %u", inet_ntoa(o->peer), c->hold);
}

/* Common handling of messages once Established. */
static bool
session_msg(uint8_t type, const uint8_t *body, size_t len)
{
	switch (type) {
	case BGP_MSG_KEEPALIVE:
		return true;
	case BGP_MSG_NOTIFICATION:
		print_notification(body, len);
		exit(1);
	case BGP_MSG_ROUTE_REFRESH:
		fprintf(stderr, "%s: ROUTE-REFRESH ignored\n", prog);
		return true;
	case BGP_MSG_UPDATE:
		return false; /* the role's */
	default:
		fprintf(stderr, "%s: unexpected message type %u\n", prog, type);
		exit(1);
	}
}

/* Milliseconds until the next KEEPALIVE is due, -1 with hold 0. */
static int
keepalive_due_ms(const struct conn *c)
{
	double left;

	if (c->hold == 0)
		return -1;
	left = c->last_tx + c->hold / 3.0 - mono();
	return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

/* ---------------------------------------------------------------- feed */

static size_t feed_updates_in;

static void
feed_msg(const struct opts *o, struct conn *c, uint8_t type,
    const uint8_t *body, size_t len)
{
	(void)o;
	(void)c;
	if (!session_msg(type, body, len))
		feed_updates_in++; /* what the daemon sends us is dropped */
}

/* The end of the last whole message that starts before off + max. */
static size_t
chunk_end(const struct stream *st, size_t off, size_t max)
{
	size_t end = off, mlen;

	while (end < st->len) {
		mlen = (size_t)st->buf[end + 16] << 8 | st->buf[end + 17];
		if (end + mlen - off > max && end > off)
			break;
		end += mlen;
	}
	return end;
}

static int
run_feed(const struct opts *o)
{
	struct stream st;
	struct conn c = { .fd = -1 };
	struct timespec t0, tmo;
	struct pollfd pfd;
	sigset_t none;
	uint8_t ka[BGP_HDR_LEN];
	size_t off = 0, cend = 0, kalen = 0, kaoff = 0;
	bool started = false, sent = false, blocked;
	const uint8_t *p;
	size_t len;
	ssize_t w;
	int ms;

	build_stream(o, &st);
	printf("ready %zu prefixes %zu sets %zu messages %zu bytes\n", o->n,
	    st.n_sets, st.n_msgs, st.len);
	fflush(stdout);
	c.rbuf = xmalloc(RBUF_LEN);
	establish(o, &c);
	sigemptyset(&none);
	while (!got_stop) {
		if (!started && (got_go || !o->wait_signal)) {
			started = true;
			clock_gettime(CLOCK_REALTIME, &t0);
		}
		/*
		 * Write until the socket is full.  Chunks end on message
		 * boundaries, where a due KEEPALIVE is slipped in.
		 */
		blocked = false;
		for (;;) {
			if (kalen == 0 && off == cend) {
				if (keepalive_due_ms(&c) == 0) {
					kalen = wire_keepalive_encode(
					    ka, sizeof(ka));
					kaoff = 0;
				} else if (started && off < st.len) {
					cend = chunk_end(&st, off, CHUNK);
				} else {
					break;
				}
			}
			if (kalen > 0) {
				p = ka + kaoff;
				len = kalen - kaoff;
			} else {
				p = st.buf + off;
				len = cend - off;
			}
			w = send(c.fd, p, len, MSG_NOSIGNAL);
			if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
				blocked = true;
				break;
			}
			if (w < 0)
				die("send: %s", strerror(errno));
			c.last_tx = mono();
			if (kalen > 0) {
				kaoff += (size_t)w;
				if (kaoff == kalen)
					kalen = 0;
				continue;
			}
			if (off == 0)
				stamp("start", &t0, "%zu", o->n);
			off += (size_t)w;
		}
		if (started && !sent && off == st.len) {
			sent = true;
			stamp("sent", NULL, "%zu bytes %zu messages", st.len,
			    st.n_msgs);
		}
		pfd.fd = c.fd;
		pfd.events = POLLIN | (blocked ? POLLOUT : 0);
		ms = blocked ? -1 : keepalive_due_ms(&c);
		tmo.tv_sec = ms / 1000;
		tmo.tv_nsec = (ms % 1000) * 1000000L;
		if (ppoll(&pfd, 1, ms < 0 ? NULL : &tmo, &none) < 0) {
			if (errno == EINTR)
				continue;
			die("ppoll: %s", strerror(errno));
		}
		if ((pfd.revents & (POLLIN | POLLHUP | POLLERR)) &&
		    !pump(o, &c, feed_msg))
			return 1;
	}
	fprintf(stderr, "%s: stopped; %zu UPDATEs received from the peer\n",
	    prog, feed_updates_in);
	return 0;
}

/* ---------------------------------------------------------------- monitor */

static struct pset mset;
static struct wire_ctx mctx;
static struct {
	size_t updates, announced, dup, withdrawn, wd_missing, eor;
	bool first, done;
	double done_at;
} mon;

static void
nlri_apply(const uint8_t *p, size_t len, bool add)
{
	struct wire_nlri_iter it;
	struct wire_prefix w;
	uint32_t a;
	int rc;

	wire_nlri_iter_init(&it, p, len, BGP_AFI_IPV4, false);
	while ((rc = wire_nlri_next(&it, &w)) == 1) {
		a = (uint32_t)w.addr[0] << 24 | (uint32_t)w.addr[1] << 16 |
		    (uint32_t)w.addr[2] << 8 | w.addr[3];
		if (add) {
			mon.announced++;
			if (!pset_add(&mset, pset_key(a, w.len)))
				mon.dup++;
		} else {
			mon.withdrawn++;
			if (!pset_del(&mset, pset_key(a, w.len)))
				mon.wd_missing++;
		}
	}
	if (rc < 0)
		die("malformed NLRI passed the decoder");
}

static void
monitor_msg(const struct opts *o, struct conn *c, uint8_t type,
    const uint8_t *body, size_t len)
{
	struct wire_update u;
	struct wire_err err;
	enum wire_action a;
	const struct wire_mp_reach *mr = &u.attrs.mp_reach;
	const struct wire_mp_unreach *mu = &u.attrs.mp_unreach;

	(void)c;
	if (session_msg(type, body, len))
		return;
	mon.updates++;
	a = wire_update_decode(&mctx, body, len, &u, &err);
	if (a == WIRE_SESSION_RESET || a == WIRE_AFISAFI_DISABLE)
		die("UPDATE %zu: %s (%s)", mon.updates, wire_action_name(a),
		    err.reason ? err.reason : "?");
	if (u.eor) {
		mon.eor++;
		stamp("eor", NULL, "%zu", mset.count);
		return;
	}
	nlri_apply(u.withdrawn, u.withdrawn_len, false);
	if (mu->nlri != NULL && mu->afi == BGP_AFI_IPV4 &&
	    mu->safi == BGP_SAFI_UNICAST)
		nlri_apply(mu->nlri, mu->nlri_len, false);
	nlri_apply(u.nlri, u.nlri_len, a != WIRE_TREAT_AS_WITHDRAW);
	if (mr->nlri != NULL && mr->afi == BGP_AFI_IPV4 &&
	    mr->safi == BGP_SAFI_UNICAST)
		nlri_apply(mr->nlri, mr->nlri_len, a != WIRE_TREAT_AS_WITHDRAW);
	if (a == WIRE_TREAT_AS_WITHDRAW)
		fprintf(stderr, "%s: UPDATE %zu treated as withdraw: %s\n",
		    prog, mon.updates, err.reason ? err.reason : "?");
	if (!mon.first && mset.count > 0) {
		mon.first = true;
		stamp("first", NULL, "%zu", mset.count);
	}
	if (!mon.done && mset.count == o->n) {
		mon.done = true;
		mon.done_at = mono();
		stamp("done", NULL, "%zu", mset.count);
	}
}

/* After done: is the set exactly the table the feeder sends? */
static void
monitor_check(const struct opts *o)
{
	struct pfx *t = make_table(o->n);
	size_t i, missing = 0;

	for (i = 0; i < o->n; i++)
		if (!pset_has(&mset, pset_key(t[i].addr, t[i].len)))
			missing++;
	free(t);
	if (missing == 0)
		printf("check ok %zu prefixes, all of the table\n", o->n);
	else
		printf("check bad %zu of the %zu prefixes held are not in the "
		       "table\n",
		    missing, o->n);
	fflush(stdout);
}

static void
monitor_stats(const char *what)
{
	stamp(what, NULL,
	    "%zu prefixes; %zu updates %zu announced %zu duplicate "
	    "%zu withdrawn %zu withdrawn-unknown %zu eor",
	    mset.count, mon.updates, mon.announced, mon.dup, mon.withdrawn,
	    mon.wd_missing, mon.eor);
}

static int
run_monitor(const struct opts *o)
{
	struct conn c = { .fd = -1 };
	bool checked = false;
	double left, next_count = 0;
	int ms_wait, ka;

	pset_init(&mset, o->n);
	mctx.as4 = true;
	mctx.scratch = scratch;
	c.rbuf = xmalloc(RBUF_LEN);
	establish(o, &c);
	next_count = mono() + 1;
	while (!got_stop) {
		if (o->progress && mono() >= next_count) {
			stamp("count", NULL, "%zu updates %zu", mset.count,
			    mon.updates);
			next_count += 1;
		}
		if (mon.done && !checked) {
			checked = true;
			monitor_check(o);
			monitor_stats("stats");
		}
		ka = keepalive_due_ms(&c);
		if (ka == 0) {
			if (!send_keepalive(&c))
				die("cannot send KEEPALIVE");
			continue;
		}
		ms_wait = ka;
		if (mon.done && !o->keep) {
			left = mon.done_at + o->grace - mono();
			if (left <= 0)
				break;
			if (ms_wait < 0 || left * 1000 < ms_wait)
				ms_wait = (int)(left * 1000) + 1;
		}
		if (o->progress) {
			left = next_count - mono();
			if (ms_wait < 0 || left * 1000 < ms_wait)
				ms_wait =
				    left <= 0 ? 0 : (int)(left * 1000) + 1;
		}
		if (!wait_readable(c.fd, ms_wait))
			break;
		if (!pump(o, &c, monitor_msg)) {
			monitor_stats("exit");
			return 1;
		}
	}
	monitor_stats("exit");
	return mon.done ? 0 : 2;
}

/* ---------------------------------------------------------------- main */

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_go = 1;
	else
		got_stop = 1;
}

static void usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fprintf(stderr,
	    "usage: bgpblast feed    -l LOCALADDR -p PEERADDR -a ASN -A PEERASN "
	    "-n N\n"
	    "                        [-s PREFIXES_PER_SET] [-w] [--md5 KEY] "
	    "[--connect] [--port P]\n"
	    "       bgpblast monitor -l LOCALADDR -p PEERADDR -a ASN -A PEERASN "
	    "-n N\n"
	    "                        [-k] [-v] [-g GRACE_S] [--md5 KEY] "
	    "[--connect] [--port P]\n"
	    "  feed: -s prefixes per attribute set (default 20; 1 = one set "
	    "per prefix),\n"
	    "        -w send the table on SIGUSR1, not as soon as Established\n"
	    "  monitor: -k stay after done until killed, -g seconds to stay "
	    "after done (1),\n"
	    "           -v print \"count <time> <prefixes> updates <n>\" "
	    "every second\n");
	exit(2);
}

static uint32_t
parse_u32(const char *s, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v > UINT32_MAX)
		die("bad %s: %s", what, s);
	return (uint32_t)v;
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "md5", required_argument, NULL, 'M' },
		{ "connect", no_argument, NULL, 'C' },
		{ "port", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { .per_set = 20, .port = BGP_PORT, .grace = 1.0 };
	struct sigaction sa;
	sigset_t block;
	bool have_l = false, have_p = false;
	int ch;

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "feed") == 0)
		o.role = FEED;
	else if (strcmp(argv[1], "monitor") == 0)
		o.role = MONITOR;
	else
		usage();
	prog = o.role == FEED ? "bgpblast feed" : "bgpblast monitor";
	argv++;
	argc--;
	while ((ch = getopt_long(
		    argc, argv, "l:p:a:A:n:s:wkvg:", lopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			if (inet_pton(AF_INET, optarg, &o.local) != 1)
				die("bad -l %s (an IPv4 address)", optarg);
			have_l = true;
			break;
		case 'p':
			if (inet_pton(AF_INET, optarg, &o.peer) != 1)
				die("bad -p %s (an IPv4 address)", optarg);
			have_p = true;
			break;
		case 'a':
			o.asn = parse_u32(optarg, "-a");
			break;
		case 'A':
			o.peer_asn = parse_u32(optarg, "-A");
			break;
		case 'n':
			o.n = parse_u32(optarg, "-n");
			break;
		case 's':
			o.per_set = parse_u32(optarg, "-s");
			break;
		case 'w':
			o.wait_signal = true;
			break;
		case 'k':
			o.keep = true;
			break;
		case 'v':
			o.progress = true;
			break;
		case 'g':
			o.grace = atof(optarg);
			break;
		case 'M':
			o.md5 = optarg;
			break;
		case 'C':
			o.connect = true;
			break;
		case 'P':
			o.port = (uint16_t)parse_u32(optarg, "--port");
			break;
		default:
			usage();
		}
	}
	if (optind != argc || !have_l || !have_p || o.asn == 0 ||
	    o.peer_asn == 0 || o.n == 0 || o.per_set == 0)
		usage();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: ppoll sees EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* delivered only inside ppoll, so none is lost between checks */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);

	return o.role == FEED ? run_feed(&o) : run_monitor(&o);
}
