/*
 * test_export.c: tests bgpd/export.c, the export stream, end to end
 * on a private loop: a bgpd with its RDE and no neighbors (so its RIB
 * counts as complete at once), routes put straight into its RIB, and a
 * subscriber on a Unix socket in a scratch directory, read without
 * blocking between turns of the loop.  Checked: the snapshot and the
 * events after it; coalescing for a reader that does not read (the
 * latest state of a prefix, once); resuming with this run's instance
 * and a sequence number in the journal, and a snapshot otherwise; a
 * new snapshot for a reader left behind by a full journal; a subscriber
 * that sends a Route is closed with an Error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include <dxbgp/frame.h>
#include <dxbgp/rib.h>

#include "conf.h"
#include "export.h"
#include "log.h"
#include "rde.h"
#include "session.h"

#define MAXMSG 4096

struct fx {
	struct ev_loop *loop;
	struct bgpd *d;
	struct rde *rde;
	char dir[32];
	char path[64];
	int fd;
	uint8_t rx[1 << 20];
	size_t rxlen;
	Dxbgp__Message *msg[MAXMSG];
	size_t nmsg;
};

static void
configure(struct fx *f, const char *extra)
{
	struct conf *c;
	char text[512];

	snprintf(text, sizeof(text),
	    "export listen unix %s\n%s"
	    "router bgp 65000\n bgp router-id 10.0.0.2\nexit\n",
	    f->path, extra);
	assert_int_equal(conf_load_string(text, "t.conf", &c, stderr), 0);
	bgpd_configure(f->d, c);
	rde_configure(f->rde, f->d->conf);
	exp_configure(f->d->exp, f->d->conf);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	log_init("test_export", 1, LOG_LVL_ERR);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_export.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/export.sock", f->dir);
	f->loop = ev_loop_new(0);
	f->d = bgpd_new(f->loop, 179);
	f->rde = rde_new(f->d);
	f->d->exp = exp_new(f->loop, f->d);
	f->fd = -1;
	configure(f, "");
	*state = f;
	return 0;
}

static void
drop_msgs(struct fx *f)
{
	for (size_t i = 0; i < f->nmsg; i++)
		frame_free(f->msg[i]);
	f->nmsg = 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	drop_msgs(f);
	if (f->fd != -1)
		close(f->fd);
	exp_free(f->d->exp);
	f->d->exp = NULL;
	rde_free(f->rde);
	bgpd_free(f->d);
	ev_loop_destroy(f->loop);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Turns of the loop, enough for the daemon to do what it can. */
static void
spin(struct fx *f)
{
	for (int i = 0; i < 200; i++)
		ev_run(f->loop, EVRUN_NOWAIT);
}

static void
sub_connect(struct fx *f, uint64_t instance, uint64_t last_seq)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	Dxbgp__Message m = DXBGP__MESSAGE__INIT;
	Dxbgp__Subscribe s = DXBGP__SUBSCRIBE__INIT;
	uint8_t buf[256];
	size_t n;

	if (f->fd != -1)
		close(f->fd);
	f->rxlen = 0;
	drop_msgs(f);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", f->path);
	f->fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_not_equal(f->fd, -1);
	assert_int_equal(connect(f->fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	s.name = "test";
	s.instance = instance;
	s.last_seq = last_seq;
	m.body_case = DXBGP__MESSAGE__BODY_SUBSCRIBE;
	m.subscribe = &s;
	n = frame_pack(&m, buf);
	assert_int_equal(write(f->fd, buf, n), (ssize_t)n);
}

/* Spins, reads what arrived and decodes it; false if the daemon closed. */
static bool
sub_read(struct fx *f)
{
	const uint8_t *body;
	size_t blen, used, off = 0;
	const char *why;
	ssize_t n;
	bool open = true;

	spin(f);
	for (;;) {
		n = recv(f->fd, f->rx + f->rxlen, sizeof(f->rx) - f->rxlen,
		    MSG_DONTWAIT);
		if (n == 0)
			open = false;
		if (n <= 0)
			break;
		f->rxlen += (size_t)n;
		spin(f);
	}
	while (frame_get(f->rx + off, f->rxlen - off, FRAME_MAX_DAEMON, &body,
		   &blen, &used) == FRAME_OK) {
		assert_true(f->nmsg < MAXMSG);
		f->msg[f->nmsg] = frame_unpack(body, blen, &why);
		if (f->msg[f->nmsg] == NULL)
			fail_msg("the daemon sent a bad message: %s", why);
		if (f->msg[f->nmsg]->body_case !=
		    DXBGP__MESSAGE__BODY_HEARTBEAT)
			f->nmsg++;
		else
			frame_free(f->msg[f->nmsg]);
		off += used;
	}
	memmove(f->rx, f->rx + off, f->rxlen - off);
	f->rxlen -= off;
	return open;
}

static void
pfx4(struct rib_prefix *p, uint8_t a, uint8_t b, uint8_t c, uint8_t len)
{
	memset(p, 0, sizeof(*p));
	p->afi = BGP_AFI_IPV4;
	p->len = len;
	p->addr[0] = a;
	p->addr[1] = b;
	p->addr[2] = c;
}

/* Our own route for p with MED med, decided at once. */
static void
add(struct fx *f, const struct rib_prefix *p, uint32_t med)
{
	struct rib_attrs_key k;
	struct rib_attrs *a;

	memset(&k, 0, sizeof(k));
	k.flags = RIB_A_MED;
	k.med = med;
	a = rib_attrs_intern(f->d->rib, &k);
	rib_add(f->d->rib, RIB_PEER_LOCAL, p, 0, a);
	rib_attrs_unref(f->d->rib, a);
	rib_process(f->d->rib);
}

static void
del(struct fx *f, const struct rib_prefix *p)
{
	rib_del(f->d->rib, RIB_PEER_LOCAL, p, 0);
	rib_process(f->d->rib);
}

static const Dxbgp__Message *
msg(struct fx *f, size_t i, Dxbgp__Message__BodyCase c)
{
	if (i >= f->nmsg)
		fail_msg("message %zu of %zu expected", i, f->nmsg);
	if (f->msg[i]->body_case != c)
		fail_msg("message %zu is case %d, expected %d", i,
		    f->msg[i]->body_case, c);
	return f->msg[i];
}

static void
test_snapshot_then_events(void **state)
{
	struct fx *f = *state;
	struct rib_prefix p[4];
	const Dxbgp__Message *m;

	for (int i = 0; i < 4; i++)
		pfx4(&p[i], 10, (uint8_t)i, 0, 16);
	add(f, &p[0], 1);
	add(f, &p[1], 1);
	add(f, &p[2], 1);
	sub_connect(f, 0, 0);
	assert_true(sub_read(f));
	assert_int_equal(f->nmsg, 5);
	m = msg(f, 0, DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN);
	assert_int_equal(m->snapshot_begin->seq, 3);
	for (int i = 1; i <= 3; i++) {
		m = msg(f, (size_t)i, DXBGP__MESSAGE__BODY_ROUTE);
		assert_int_equal(m->route->action, DXBGP__ACTION__ADD);
		assert_int_equal(m->route->seq, 0);
		assert_int_equal(m->route->prefix_len, 16);
		assert_true(m->route->has_med);
		/* ours: an all-zero next hop, no peer */
		assert_int_equal(m->route->n_nexthops, 1);
		assert_int_equal(m->route->peer.len, 0);
	}
	m = msg(f, 4, DXBGP__MESSAGE__BODY_SNAPSHOT_END);
	assert_int_equal(m->snapshot_end->routes, 3);

	drop_msgs(f);
	add(f, &p[3], 7);
	del(f, &p[0]);
	assert_true(sub_read(f));
	assert_int_equal(f->nmsg, 2);
	m = msg(f, 0, DXBGP__MESSAGE__BODY_ROUTE);
	assert_int_equal(m->route->seq, 4);
	assert_int_equal(m->route->action, DXBGP__ACTION__ADD);
	assert_int_equal(m->route->prefix.data[1], 3);
	assert_int_equal(m->route->med, 7);
	m = msg(f, 1, DXBGP__MESSAGE__BODY_ROUTE);
	assert_int_equal(m->route->seq, 5);
	assert_int_equal(m->route->action, DXBGP__ACTION__DELETE);
	assert_int_equal(m->route->prefix.data[1], 0);
}

static void
test_coalescing(void **state)
{
	struct fx *f = *state;
	struct rib_prefix p;
	const Dxbgp__Message *m;
	char *json = NULL;
	size_t len = 0;
	FILE *out;

	pfx4(&p, 10, 9, 0, 24);
	sub_connect(f, 0, 0);
	assert_true(sub_read(f));
	drop_msgs(f);
	/* Three changes before the subscriber gets a turn. */
	add(f, &p, 1);
	add(f, &p, 2);
	add(f, &p, 3);
	assert_true(sub_read(f));
	assert_int_equal(f->nmsg, 1);
	m = msg(f, 0, DXBGP__MESSAGE__BODY_ROUTE);
	assert_int_equal(m->route->med, 3);
	assert_int_equal(m->route->seq, 3);
	out = open_memstream(&json, &len);
	exp_show(f->d->exp, out, true);
	fclose(out);
	assert_non_null(strstr(json, "\"coalesced\":2"));
	assert_non_null(strstr(json, "\"lag\":0"));
	free(json);
}

static void
test_resume(void **state)
{
	struct fx *f = *state;
	struct rib_prefix p, q;
	const Dxbgp__Message *m;
	uint64_t inst, seq;

	pfx4(&p, 10, 1, 0, 16);
	pfx4(&q, 10, 2, 0, 16);
	add(f, &p, 1);
	sub_connect(f, 0, 0);
	assert_true(sub_read(f));
	inst = msg(f, 0, DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN)
		   ->snapshot_begin->instance;
	seq = msg(f, 2, DXBGP__MESSAGE__BODY_SNAPSHOT_END)->snapshot_end->seq;
	close(f->fd);
	f->fd = -1;
	spin(f);
	add(f, &q, 1);

	sub_connect(f, inst, seq);
	assert_true(sub_read(f));
	assert_int_equal(f->nmsg, 2);
	m = msg(f, 0, DXBGP__MESSAGE__BODY_RESUME);
	assert_int_equal(m->resume->from_seq, seq);
	m = msg(f, 1, DXBGP__MESSAGE__BODY_ROUTE);
	assert_int_equal(m->route->seq, seq + 1);
	assert_int_equal(m->route->prefix.data[1], 2);

	/* Another run's instance: a snapshot. */
	sub_connect(f, inst + 1, seq);
	assert_true(sub_read(f));
	msg(f, 0, DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN);
	assert_int_equal(
	    msg(f, 3, DXBGP__MESSAGE__BODY_SNAPSHOT_END)->snapshot_end->routes,
	    2);
	/* A sequence number from the future: a snapshot too. */
	sub_connect(f, inst, seq + 100);
	assert_true(sub_read(f));
	msg(f, 0, DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN);
}

static void
test_fall_behind(void **state)
{
	struct fx *f = *state;
	struct rib_prefix p;
	size_t i, routes = 0;
	bool again = false;

	configure(f, "export journal 1024\n");
	sub_connect(f, 0, 0);
	assert_true(sub_read(f));
	drop_msgs(f);
	/* 2000 prefixes change while it is not read: past the journal. */
	for (i = 0; i < 2000; i++) {
		pfx4(&p, 10, (uint8_t)(i / 250), (uint8_t)(i % 250), 24);
		add(f, &p, 1);
	}
	while (sub_read(f) && !again) {
		for (i = 0; i < f->nmsg; i++) {
			if (f->msg[i]->body_case ==
			    DXBGP__MESSAGE__BODY_SNAPSHOT_END) {
				routes = f->msg[i]->snapshot_end->routes;
				again = true;
			}
		}
		drop_msgs(f);
	}
	assert_true(again);
	assert_int_equal(routes, 2000);
}

static void
test_bad_input(void **state)
{
	struct fx *f = *state;
	/* A Route (afi 1, 10.0.0.0/8, DELETE) where a Heartbeat may come. */
	static const uint8_t route[] = { 0x0e, 0x1a, 0x0c, 0x10, 0x01, 0x1a,
		0x04, 0x0a, 0x00, 0x00, 0x00, 0x20, 0x08, 0x28, 0x02 };
	const Dxbgp__Message *m;
	bool open = true;

	sub_connect(f, 0, 0);
	assert_true(sub_read(f));
	drop_msgs(f);
	assert_int_equal(write(f->fd, route, sizeof(route)), sizeof(route));
	for (int i = 0; i < 10 && open; i++)
		open = sub_read(f);
	assert_false(open);
	m = msg(f, 0, DXBGP__MESSAGE__BODY_ERROR);
	assert_string_equal(
	    m->error->reason, "unexpected route from a subscriber");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)
		T(test_snapshot_then_events),
		T(test_coalescing),
		T(test_resume),
		T(test_fall_behind),
		T(test_bad_input),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
