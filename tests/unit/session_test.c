/*
 * session_test.c: the harness of session_test.h, compiled into each
 * session test.
 */

#include "session_test.h"

/* ---- time and the two event loops ---- */

double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs both sides until pred holds (true) or secs pass (false). */
bool
run_for(struct env *e, pred_fn pred, void *arg, double secs)
{
	double end = now() + secs;
	struct pollfd pfd[3];
	nfds_t n;

	for (;;) {
		if (pred(e, arg))
			return true;
		if (now() >= end)
			return false;
		ev_run(e->loop, EVRUN_NOWAIT);
		if (e->ka != NULL && e->ka->fd != -1 && now() >= e->ka_next) {
			fake_send_keepalive(e->ka);
			e->ka_next = now() + 1;
		}
		n = 0;
		if (e->lfd != -1)
			pfd[n++] = (struct pollfd){ e->lfd, POLLIN, 0 };
		if (e->a.fd != -1 && !e->a.eof)
			pfd[n++] = (struct pollfd){ e->a.fd, POLLIN, 0 };
		if (e->b.fd != -1 && !e->b.eof)
			pfd[n++] = (struct pollfd){ e->b.fd, POLLIN, 0 };
		(void)poll(pfd, n, 2);
	}
}

/* ---- conditions ---- */

bool
pred_state(struct env *e, void *arg)
{
	return e->p->state == *(enum fsm_state *)arg;
}

bool
pred_not_state(struct env *e, void *arg)
{
	return e->p->state != *(enum fsm_state *)arg;
}

/* Reads what the socket holds; eof on a close or a reset. */
void
fconn_fill(struct fconn *c)
{
	ssize_t n;

	while (c->fd != -1 && !c->eof && c->len < sizeof(c->buf)) {
		n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len,
		    MSG_DONTWAIT);
		if (n > 0) {
			c->len += (size_t)n;
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		c->eof = true;
	}
}

size_t
fconn_msg_len(const struct fconn *c)
{
	size_t len;

	if (c->len < BGP_HDR_LEN)
		return 0;
	len = (size_t)c->buf[BGP_MARKER_LEN] << 8 | c->buf[BGP_MARKER_LEN + 1];
	return c->len >= len ? len : 0;
}

bool
pred_msg_or_eof(struct env *e, void *arg)
{
	struct fconn *c = arg;

	(void)e;
	fconn_fill(c);
	return fconn_msg_len(c) > 0 || c->eof;
}

/* Takes a pending connection on the fake's listening socket. */
bool
pred_accept(struct env *e, void *arg)
{
	struct fconn *c = arg;
	int fd = accept4(e->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd == -1)
		return false;
	c->fd = fd;
	c->eof = false;
	c->len = 0;
	return true;
}

/* ---- the fake peer ---- */

void
fconn_close(struct fconn *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->eof = false;
	c->len = 0;
}

void
fake_send(struct fconn *c, const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = send(c->fd, buf, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			fail_msg("fake peer: send: %s", strerror(errno));
		buf += n;
		len -= (size_t)n;
	}
}

void
fake_send_keepalive(struct fconn *c)
{
	uint8_t buf[BGP_HDR_LEN];

	fake_send(c, buf, wire_keepalive_encode(buf, sizeof(buf)));
}

void
fake_send_open(struct fconn *c, const struct wire_open *o)
{
	uint8_t buf[BGP_MAX_MSG];
	size_t n = wire_open_encode(o, buf, sizeof(buf));

	assert_true(n > 0);
	fake_send(c, buf, n);
}

void
fake_send_hex(struct fconn *c, const char *hex)
{
	uint8_t buf[BGP_MAX_MSG];
	size_t n = 0;
	unsigned int v;

	for (; *hex != '\0'; hex++) {
		if (*hex == ' ' || *hex == '|' || *hex == '\n')
			continue;
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		assert_true(n < sizeof(buf));
		buf[n++] = (uint8_t)v;
		hex++;
	}
	fake_send(c, buf, n);
}

/* An OPEN as a typical peer sends it: IPv4 unicast, 4-octet AS. */
void
fake_open(struct wire_open *o, uint32_t id, uint16_t holdtime)
{
	memset(o, 0, sizeof(*o));
	o->version = BGP_VERSION;
	o->my_as = FAKE_AS;
	o->holdtime = holdtime;
	o->bgp_id = id;
	o->caps.have = WIRE_CAP_MP | WIRE_CAP_RR | WIRE_CAP_AS4;
	o->caps.as4 = FAKE_AS;
	o->caps.mp[o->caps.n_mp++] =
	    (struct wire_afsafi){ BGP_AFI_IPV4, BGP_SAFI_UNICAST, 0 };
}

/* The next whole message on c, into e->m; fails on a timeout or EOF. */
const struct msg *
fake_recv(struct env *e, struct fconn *c, double secs)
{
	size_t len;

	run_until(e, pred_msg_or_eof, c, secs, "a message from dxbgpd");
	len = fconn_msg_len(c);
	if (len == 0)
		fail_msg("fake peer: connection closed, no message");
	memcpy(e->m.buf, c->buf, len);
	e->m.len = len;
	e->m.type = c->buf[BGP_MARKER_LEN + 2];
	memmove(c->buf, c->buf + len, c->len - len);
	c->len -= len;
	return &e->m;
}

const struct msg *
fake_expect(struct env *e, struct fconn *c, uint8_t type)
{
	const struct msg *m = fake_recv(e, c, 3);

	if (m->type != type)
		fail_msg("fake peer: got message type %u, expected %u", m->type,
		    type);
	return m;
}

/* dxbgpd's OPEN, decoded. */
void
fake_expect_open(struct env *e, struct fconn *c, struct wire_open *o)
{
	const struct msg *m = fake_expect(e, c, BGP_MSG_OPEN);
	struct wire_err err;

	wire_err_init(&err);
	assert_int_equal(wire_open_decode(m->buf + BGP_HDR_LEN,
			     m->len - BGP_HDR_LEN, o, &err),
	    0);
}

void
fake_accept(struct env *e, struct fconn *c)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char buf[INET_ADDRSTRLEN];

	fconn_close(c);
	run_until(e, pred_accept, c, 3, "dxbgpd to connect to the fake peer");
	/* update-source: dxbgpd connects from 127.0.0.1. */
	assert_int_equal(getpeername(c->fd, (struct sockaddr *)&sin, &len), 0);
	assert_string_equal(
	    inet_ntop(AF_INET, &sin.sin_addr, buf, sizeof(buf)), DX_ADDR);
}

/*
 * The path attributes of an IPv4 route: ORIGIN, an AS_PATH of asn and
 * NEXT_HOP nh (4-octet AS session).  Returns their length.
 */
size_t
ipv4_attrs(uint8_t *buf, size_t cap, uint32_t asn, uint32_t nh)
{
	struct wire_attrs at;
	uint8_t path[] = { BGP_SEG_SEQUENCE, 1, (uint8_t)(asn >> 24),
		(uint8_t)(asn >> 16), (uint8_t)(asn >> 8), (uint8_t)asn };
	size_t alen;

	memset(&at, 0, sizeof(at));
	at.have = WIRE_HAVE(BGP_ATTR_ORIGIN) | WIRE_HAVE(BGP_ATTR_AS_PATH) |
	    WIRE_HAVE(BGP_ATTR_NEXT_HOP);
	at.origin = BGP_ORIGIN_IGP;
	at.aspath = path;
	at.aspath_len = sizeof(path);
	at.nexthop = nh;
	alen = wire_attrs_encode(&at, true, buf, cap);
	assert_true(alen > 0);
	return alen;
}

/* ---- dxbgpd ---- */

/*
 * Puts a config in force: AS asn, one neighbor 127.0.0.2 with short
 * timers; extra holds more lines for the router bgp block.
 */
void
dx_start(struct env *e, uint32_t asn, const char *extra)
{
	char text[2048];
	struct conf *conf = NULL;
	struct conf_addr fake;

	snprintf(text, sizeof(text),
	    "router bgp %u\n"
	    " bgp router-id 10.0.0.5\n"
	    " neighbor " FAKE_ADDR " remote-as %u\n"
	    " neighbor " FAKE_ADDR " port %u\n"
	    " neighbor " FAKE_ADDR " update-source " DX_ADDR "\n"
	    " neighbor " FAKE_ADDR " timers 1 3\n"
	    " neighbor " FAKE_ADDR " timers connect 1\n"
	    "%s"
	    "exit\n",
	    asn, FAKE_AS, e->fake_port, extra);
	assert_int_equal(conf_load_string(text, "test", &conf, stderr), 0);
	bgpd_configure(e->d, conf);
	assert_true(conf_addr_parse(FAKE_ADDR, &fake));
	e->p = bgpd_peer_find(e->d, &fake);
	assert_non_null(e->p);
}

void
wait_state(struct env *e, enum fsm_state st, double secs)
{
	char what[64];

	snprintf(what, sizeof(what), "state %s", fsm_state_name(st));
	run_until(e, pred_state, &st, secs, what);
}

void
wait_not_state(struct env *e, enum fsm_state st, double secs)
{
	char what[64];

	snprintf(what, sizeof(what), "leaving state %s", fsm_state_name(st));
	run_until(e, pred_not_state, &st, secs, what);
}

void
assert_last_err(struct env *e, uint8_t code, uint8_t subcode, bool sent)
{
	assert_int_equal(e->p->st.last_err_code, code);
	assert_int_equal(e->p->st.last_err_subcode, subcode);
	assert_int_equal(e->p->st.last_err_sent, sent);
}

/* dxbgpd connects; the fake answers its OPEN with o. */
void
establish_active(struct env *e, const struct wire_open *o)
{
	struct wire_open dx;

	fake_accept(e, &e->a);
	fake_expect_open(e, &e->a, &dx);
	fake_send_open(&e->a, o);
	fake_send_keepalive(&e->a);
	fake_expect(e, &e->a, BGP_MSG_KEEPALIVE);
	wait_state(e, FSM_ESTABLISHED, 2);
}

/* ---- setup ---- */

int
bind_random(int fd, const char *addr, uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int i;

	inet_pton(AF_INET, addr, &sin.sin_addr);
	for (i = 0; i < 100; i++) {
		*port = (uint16_t)(20000 + random() % 40000);
		sin.sin_port = htons(*port);
		if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			return 0;
	}
	return -1;
}

/* The fake's listening socket on 127.0.0.2: a random port, then the same. */
void
fake_listen(struct env *e)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int one = 1;

	e->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(e->lfd != -1);
	setsockopt(e->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (e->fake_port == 0)
		assert_int_equal(
		    bind_random(e->lfd, FAKE_ADDR, &e->fake_port), 0);
	else {
		sin.sin_port = htons(e->fake_port);
		inet_pton(AF_INET, FAKE_ADDR, &sin.sin_addr);
		assert_int_equal(
		    bind(e->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	}
	assert_int_equal(listen(e->lfd, 8), 0);
}

int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	struct conf_addr dx;
	int fd, i;

	assert_non_null(e);
	e->a.fd = e->b.fd = e->lfd = -1;
	e->loop = ev_loop_new(0);
	assert_non_null(e->loop);
	fake_listen(e);
	/* dxbgpd's, on 127.0.0.1: a port free now, taken by bgpd_listen. */
	assert_true(conf_addr_parse(DX_ADDR, &dx));
	for (i = 0; i < 100 && e->d == NULL; i++) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		assert_true(fd != -1);
		assert_int_equal(bind_random(fd, DX_ADDR, &e->dx_port), 0);
		close(fd);
		e->d = bgpd_new(e->loop, e->dx_port);
		if (bgpd_listen(e->d, &dx) == -1) {
			bgpd_free(e->d);
			e->d = NULL;
		}
	}
	assert_non_null(e->d);
	*state = e;
	return 0;
}

int
teardown(void **state)
{
	struct env *e = *state;

	bgpd_free(e->d);
	fconn_close(&e->a);
	fconn_close(&e->b);
	if (e->lfd != -1)
		close(e->lfd);
	ev_loop_destroy(e->loop);
	free(e);
	return 0;
}

/* ---- the RIB's side (struct sess_hooks) ---- */

struct hookrec *
hookrec(struct peer *p)
{
	return &((struct env *)p->d->hooks.arg)->h;
}

void
session_test_init(void)
{
	const char *v = getenv("TEST_SESSION_LOG");
	const char *only = getenv("TEST_SESSION_ONLY");

	if (only != NULL && *only != '\0')
		cmocka_set_test_filter(only);
	signal(SIGPIPE, SIG_IGN);
	srandom((unsigned int)(getpid() ^ time(NULL)));
	log_init("test_session", 1,
	    v != NULL && *v != '\0' ? LOG_LVL_DEBUG : LOG_LVL_ERR);
}
