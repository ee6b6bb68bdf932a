/*
 * session_test.h: the loopback harness the session tests share
 * (test_session.c, test_session_gr.c): dxbgpd on a private libev loop,
 * a fake peer speaking BGP over plain sockets, run_until() and its
 * conditions.  The functions are in session_test.c.
 */

#ifndef SESSION_TEST_H
#define SESSION_TEST_H

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "conf.h"
#include "log.h"
#include "sess_sock.h"
#include "session.h"

#define DX_ADDR   "127.0.0.1"
#define FAKE_ADDR "127.0.0.2"
#define DX_AS     4200000001u /* 4-octet: the OPEN carries AS_TRANS */
#define DX_AS2    65001u      /* 2-octet */
#define FAKE_AS   65002u
#define DX_ID     0x0a000005u /* bgp router-id 10.0.0.5 */
#define FAKE_ID   0x0a000009u /* 10.0.0.9, above DX_ID */
#define LOW_ID    0x0a000001u /* 10.0.0.1, below DX_ID */
#define MD5_KEY   "s3cret-key"

/* One TCP connection of the fake peer, with what it has received. */
struct fconn {
	int fd;
	bool eof;
	size_t len;
	uint8_t buf[2 * BGP_MAX_MSG_EXT];
};

/* A whole message the fake peer received. */
struct msg {
	uint8_t type;
	size_t len; /* header included */
	uint8_t buf[BGP_MAX_MSG_EXT];
};

/* What dxbgpd handed to struct sess_hooks, as a RIB would see it. */
struct hookrec {
	unsigned int established;
	unsigned int down;
	bool graceful; /* of the last down */
	double down_at;
	unsigned int flush_v4; /* stale_flush(IPv4 unicast) */
	unsigned int flush_v6;
	unsigned int flush_other;
	double flush_at; /* of the last stale_flush */
	unsigned int af_drop;
	uint64_t updates;     /* UPDATEs handed over */
	uint64_t update_errs; /* of them with an RFC 7606 verdict */
	double work;          /* seconds the RIB spends on each UPDATE */
};

struct env {
	struct ev_loop *loop;
	struct bgpd *d;
	struct peer *p;
	uint16_t dx_port;   /* dxbgpd listens on 127.0.0.1 */
	uint16_t fake_port; /* the fake listens on 127.0.0.2 */
	int lfd;            /* the fake's listening socket */
	struct fconn a;     /* connection dxbgpd opened to the fake */
	struct fconn b;     /* connection the fake opened to dxbgpd */
	struct fconn *ka;   /* the fake sends KEEPALIVEs on it each second */
	double ka_next;
	struct msg m;
	struct hookrec h;
};

typedef bool (*pred_fn)(struct env *, void *);

#define run_until(e, pred, arg, secs, what)                                    \
	do {                                                                   \
		if (!run_for(e, pred, arg, secs))                              \
			fail_msg("timed out after %.1f s waiting for %s",      \
			    (double)(secs), what);                             \
	} while (0)

double now(void);
bool run_for(struct env *e, pred_fn pred, void *arg, double secs);
bool pred_state(struct env *e, void *arg);
bool pred_not_state(struct env *e, void *arg);
void fconn_fill(struct fconn *c);
size_t fconn_msg_len(const struct fconn *c);
bool pred_msg_or_eof(struct env *e, void *arg);
bool pred_accept(struct env *e, void *arg);
void fconn_close(struct fconn *c);
void fake_send(struct fconn *c, const uint8_t *buf, size_t len);
void fake_send_keepalive(struct fconn *c);
void fake_send_open(struct fconn *c, const struct wire_open *o);
void fake_send_hex(struct fconn *c, const char *hex);
void fake_open(struct wire_open *o, uint32_t id, uint16_t holdtime);
const struct msg *fake_recv(struct env *e, struct fconn *c, double secs);
const struct msg *fake_expect(struct env *e, struct fconn *c, uint8_t type);
void fake_expect_open(struct env *e, struct fconn *c, struct wire_open *o);
void fake_accept(struct env *e, struct fconn *c);
size_t ipv4_attrs(uint8_t *buf, size_t cap, uint32_t asn, uint32_t nh);
void dx_start(struct env *e, uint32_t asn, const char *extra);
void wait_state(struct env *e, enum fsm_state st, double secs);
void wait_not_state(struct env *e, enum fsm_state st, double secs);
void assert_last_err(struct env *e, uint8_t code, uint8_t subcode, bool sent);
void establish_active(struct env *e, const struct wire_open *o);
int bind_random(int fd, const char *addr, uint16_t *port);
/*
 * For main(): TEST_SESSION_ONLY picks tests by name, TEST_SESSION_LOG
 * shows the daemon's log; SIGPIPE ignored, random() seeded.
 */
void session_test_init(void);
void fake_listen(struct env *e);
int setup(void **state);
int teardown(void **state);
struct hookrec *hookrec(struct peer *p);

#endif /* SESSION_TEST_H */
