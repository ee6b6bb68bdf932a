/*
 * prog_stream.c: dxprog's connection to dxbgpd's export stream
 * (proto/dxbgp.proto, doc/export.md).
 *
 * Owns the socket (a Unix stream socket, or TCP with TLS: OpenSSL,
 * the daemon's certificate verified against the CA file and its name
 * or address, ours presented), the read buffer and its framing
 * (proto/frame.c), the Subscribe that opens every connection, and the
 * order the daemon's messages must come in:
 *
 *   WAIT   Subscribe sent: SnapshotBegin, or Resume if we asked to
 *   SNAP   Routes (seq 0, ADD) up to a SnapshotEnd that counts them
 *   LIVE   Routes with increasing seq, a new SnapshotBegin, Heartbeats
 *
 * Anything else (a frame too long, a message protobuf-c cannot decode
 * or frame_check_route refuses, a message out of order) is bad input:
 * logged, and the connection dropped as if the daemon had gone away.
 * So is silence for three heartbeat intervals.  The stream then tries
 * again every retry seconds; the resume position (instance, last
 * sequence number) survives, unless a snapshot was cut short.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "prog_stream.h"

#define RBUF_MIN   (64 * 1024)
#define READ_BURST (1024 * 1024) /* bytes per readable event */

enum ps_state { PS_IDLE, PS_CONNECTING, PS_TLS, PS_WAIT, PS_SNAP, PS_LIVE };

struct pstream {
	struct ev_loop *loop;
	struct pstream_opts o;
	struct pstream_cb cb;
	void *arg;
	/* the target */
	int unix_path;
	char host[256], port[16];
	SSL_CTX *ctx;
	/* the connection */
	enum ps_state state;
	int fd;
	SSL *ssl;
	ev_io io;
	ev_timer retry;    /* the next attempt */
	ev_timer watchdog; /* silence for 3 heartbeats */
	uint8_t *rbuf;
	size_t rlen, rcap;
	struct frame_arena arena; /* the message being handled */
	uint8_t *wbuf;
	size_t wlen, woff;
	/* the position */
	uint64_t instance, last_seq;
	uint64_t snap_seq, snap_count;
	int resuming; /* the Subscribe asked to resume */
};

static void ps_down(struct pstream *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void ps_update_io(struct pstream *);

static const char *
ssl_err(void)
{
	static char buf[256];
	unsigned long e = ERR_get_error();

	if (e == 0)
		return strerror(errno ? errno : EIO);
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

static int
parse_target(struct pstream *s, const char *t)
{
	const char *colon, *host = t;
	size_t hlen;
	char *end;
	long port;

	if (strchr(t, '/') != NULL) {
		if (strlen(t) >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
			fprintf(
			    stderr, "dxprog: -s %s: socket path too long\n", t);
			return -1;
		}
		s->unix_path = 1;
		return 0;
	}
	if (*t == '[') {
		colon = strchr(t, ']');
		if (colon == NULL || colon[1] != ':')
			goto bad;
		host = t + 1;
		hlen = (size_t)(colon - host);
		colon++;
	} else {
		colon = strrchr(t, ':');
		if (colon == NULL || strchr(t, ':') != colon)
			goto bad;
		hlen = (size_t)(colon - t);
	}
	if (hlen == 0 || hlen >= sizeof(s->host))
		goto bad;
	memcpy(s->host, host, hlen);
	s->host[hlen] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno || *end || colon[1] == '\0' || port < 1 || port > 65535)
		goto bad;
	snprintf(s->port, sizeof(s->port), "%ld", port);
	return 0;
bad:
	fprintf(stderr,
	    "dxprog: -s %s: neither a Unix socket path (with a '/') nor "
	    "HOST:PORT ([ADDR]:PORT for IPv6)\n",
	    t);
	return -1;
}

static int
tls_setup(struct pstream *s)
{
	const struct pstream_opts *o = &s->o;

	if (o->cert == NULL || o->key == NULL || o->ca == NULL) {
		fprintf(stderr,
		    "dxprog: -s %s is TLS: -c CERT, -k KEY and "
		    "-a CA are needed\n",
		    o->target);
		return -1;
	}
	s->ctx = SSL_CTX_new(TLS_client_method());
	if (s->ctx == NULL) {
		fprintf(stderr, "dxprog: TLS: %s\n", ssl_err());
		return -1;
	}
	SSL_CTX_set_min_proto_version(s->ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(s->ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_load_verify_locations(s->ctx, o->ca, NULL) != 1) {
		fprintf(stderr, "dxprog: -a %s: %s\n", o->ca, ssl_err());
		return -1;
	}
	if (SSL_CTX_use_certificate_chain_file(s->ctx, o->cert) != 1) {
		fprintf(stderr, "dxprog: -c %s: %s\n", o->cert, ssl_err());
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(s->ctx, o->key, SSL_FILETYPE_PEM) !=
	    1) {
		fprintf(stderr, "dxprog: -k %s: %s\n", o->key, ssl_err());
		return -1;
	}
	if (SSL_CTX_check_private_key(s->ctx) != 1) {
		fprintf(stderr, "dxprog: -k %s does not match -c %s: %s\n",
		    o->key, o->cert, ssl_err());
		return -1;
	}
	return 0;
}

static void io_cb(struct ev_loop *, ev_io *, int);
static void retry_cb(struct ev_loop *, ev_timer *, int);
static void watchdog_cb(struct ev_loop *, ev_timer *, int);

struct pstream *
pstream_new(struct ev_loop *loop, const struct pstream_opts *o,
    const struct pstream_cb *cb, void *arg)
{
	struct pstream *s = pzalloc(sizeof(*s));
	double hb;

	s->loop = loop;
	s->o = *o;
	s->cb = *cb;
	s->arg = arg;
	s->fd = -1;
	frame_arena_init(&s->arena);
	if (parse_target(s, o->target) == -1 ||
	    (!s->unix_path && tls_setup(s) == -1)) {
		pstream_free(s);
		return NULL;
	}
	if (s->unix_path && (o->cert || o->key || o->ca))
		fprintf(stderr,
		    "dxprog: -s %s is a Unix socket: -c, -k and "
		    "-a are not used\n",
		    o->target);
	s->rcap = RBUF_MIN;
	s->rbuf = pzalloc(s->rcap);
	ev_init(&s->io, io_cb);
	ev_timer_init(&s->retry, retry_cb, 0., 0.);
	hb = (o->heartbeat_ms ? o->heartbeat_ms : PSTREAM_HEARTBEAT_MS) / 1000.;
	ev_init(&s->watchdog, watchdog_cb);
	s->watchdog.repeat = 3 * hb;
	s->io.data = s->retry.data = s->watchdog.data = s;
	return s;
}

static void
ps_close(struct pstream *s)
{
	ev_io_stop(s->loop, &s->io);
	ev_timer_stop(s->loop, &s->watchdog);
	if (s->ssl != NULL) {
		SSL_free(s->ssl);
		s->ssl = NULL;
	}
	if (s->fd != -1)
		close(s->fd);
	s->fd = -1;
	s->rlen = s->wlen = s->woff = 0;
	free(s->wbuf);
	s->wbuf = NULL;
	s->state = PS_IDLE;
}

void
pstream_free(struct pstream *s)
{
	if (s == NULL)
		return;
	ps_close(s);
	ev_timer_stop(s->loop, &s->retry);
	if (s->ctx != NULL)
		SSL_CTX_free(s->ctx);
	free(s->rbuf);
	frame_arena_clean(&s->arena);
	free(s);
}

void
pstream_forget(struct pstream *s)
{
	s->instance = s->last_seq = 0;
}

uint64_t
pstream_instance(const struct pstream *s)
{
	return s->instance;
}

uint64_t
pstream_seq(const struct pstream *s)
{
	return s->last_seq;
}

int
pstream_live(const struct pstream *s)
{
	return s->state == PS_LIVE;
}

static void
ps_down(struct pstream *s, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (s->state == PS_SNAP)
		pstream_forget(s); /* a partial snapshot is no position */
	ps_close(s);
	ev_timer_set(&s->retry, s->o.retry, 0.);
	ev_timer_start(s->loop, &s->retry);
	if (s->cb.down != NULL)
		s->cb.down(s->arg, why);
}

/* ---- the conversation ---- */

static void
queue_subscribe(struct pstream *s)
{
	Dxbgp__Message m = DXBGP__MESSAGE__INIT;
	Dxbgp__Subscribe sub = DXBGP__SUBSCRIBE__INIT;

	sub.name = (char *)s->o.name;
	sub.instance = s->instance;
	sub.last_seq = s->instance ? s->last_seq : 0;
	sub.heartbeat_ms = s->o.heartbeat_ms;
	s->resuming = s->instance != 0;
	m.body_case = DXBGP__MESSAGE__BODY_SUBSCRIBE;
	m.subscribe = &sub;
	s->wlen = frame_size(&m);
	s->wbuf = pzalloc(s->wlen);
	frame_pack(&m, s->wbuf);
	s->woff = 0;
	s->state = PS_WAIT;
	if (s->resuming)
		plog(LOG_INFO,
		    "%s: subscribing, resuming after %llu of run "
		    "%llu",
		    s->o.target, (unsigned long long)s->last_seq,
		    (unsigned long long)s->instance);
	else
		plog(LOG_INFO, "%s: subscribing for a snapshot", s->o.target);
}

static const char *
in_snapshot(struct pstream *s, const Dxbgp__Message *m)
{
	switch (m->body_case) {
	case DXBGP__MESSAGE__BODY_ROUTE:
		if (m->route->seq != 0 ||
		    m->route->action != DXBGP__ACTION__ADD)
			return "a snapshot route with a sequence number or "
			       "not an ADD";
		s->snap_count++;
		s->cb.route(s->arg, m->route);
		return NULL;
	case DXBGP__MESSAGE__BODY_SNAPSHOT_END:
		if (m->snapshot_end->routes != s->snap_count)
			return "SnapshotEnd counts other routes than the "
			       "snapshot carried";
		if (m->snapshot_end->seq < s->snap_seq)
			return "SnapshotEnd before the snapshot's position";
		s->last_seq = m->snapshot_end->seq;
		s->state = PS_LIVE;
		s->cb.snapshot_end(
		    s->arg, m->snapshot_end->seq, m->snapshot_end->routes);
		return NULL;
	default:
		return "unexpected in a snapshot";
	}
}

static const char *
snapshot_begin(struct pstream *s, const Dxbgp__SnapshotBegin *b)
{
	if (b->instance == 0)
		return "SnapshotBegin without an instance";
	s->instance = b->instance;
	s->snap_seq = b->seq;
	s->snap_count = 0;
	s->state = PS_SNAP;
	s->cb.snapshot_begin(s->arg, b->instance, b->seq);
	return NULL;
}

const char *
pstream_input(struct pstream *s, const Dxbgp__Message *m)
{
	if (m->body_case == DXBGP__MESSAGE__BODY_HEARTBEAT) {
		if (s->state != PS_WAIT && s->instance != 0 &&
		    m->heartbeat->instance != s->instance)
			return "a heartbeat from another run of the daemon";
		return NULL;
	}
	if (m->body_case == DXBGP__MESSAGE__BODY_SUBSCRIBE)
		return "a Subscribe from the daemon";
	switch (s->state) {
	case PS_WAIT:
		if (m->body_case == DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN)
			return snapshot_begin(s, m->snapshot_begin);
		if (m->body_case != DXBGP__MESSAGE__BODY_RESUME)
			return "neither SnapshotBegin nor Resume after Subscribe";
		if (!s->resuming || m->resume->instance != s->instance ||
		    m->resume->from_seq != s->last_seq)
			return "a Resume from another position than asked";
		s->state = PS_LIVE;
		s->cb.resume(s->arg, m->resume->instance, m->resume->from_seq);
		return NULL;
	case PS_SNAP:
		return in_snapshot(s, m);
	case PS_LIVE:
		if (m->body_case == DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN)
			return snapshot_begin(s, m->snapshot_begin);
		if (m->body_case != DXBGP__MESSAGE__BODY_ROUTE)
			return "unexpected after the snapshot";
		if (m->route->seq <= s->last_seq)
			return "a route event whose sequence number does not "
			       "increase";
		s->last_seq = m->route->seq;
		s->cb.route(s->arg, m->route);
		return NULL;
	default:
		return "a message before the subscription";
	}
}

/* ---- bytes ---- */

static void
handle_frames(struct pstream *s)
{
	const uint8_t *body;
	size_t off = 0, blen, used;
	Dxbgp__Message *m;
	const char *why;
	enum frame_rc rc;

	while (s->fd != -1) {
		rc = frame_get(s->rbuf + off, s->rlen - off, FRAME_MAX_DAEMON,
		    &body, &blen, &used);
		if (rc == FRAME_MORE)
			break;
		if (rc == FRAME_BAD) {
			ps_down(s, "bad input: a frame longer than %u bytes",
			    FRAME_MAX_DAEMON);
			return;
		}
		off += used;
		ev_timer_again(s->loop, &s->watchdog);
		m = frame_unpack_in(&s->arena, body, blen, &why);
		if (m == NULL) {
			ps_down(s, "bad input: %s", why);
			return;
		}
		if (m->body_case == DXBGP__MESSAGE__BODY_ERROR) {
			ps_down(s, "the daemon closes: %s", m->error->reason);
			return;
		}
		why = pstream_input(s, m);
		if (why != NULL) {
			ps_down(s, "bad input: %s", why);
			return;
		}
	}
	if (s->fd == -1)
		return;
	memmove(s->rbuf, s->rbuf + off, s->rlen - off);
	s->rlen -= off;
}

/* Reads what is there; 0 on EOF or error (the stream is down then). */
static int
ps_read(struct pstream *s)
{
	size_t total = 0;
	ssize_t n;
	int e;

	while (total < READ_BURST) {
		if (s->rcap - s->rlen < RBUF_MIN / 2) {
			if (s->rcap >=
			    FRAME_MAX_DAEMON + FRAME_HDR_MAX + RBUF_MIN)
				break; /* full: the frames go first */
			s->rcap *= 2;
			s->rbuf = realloc(s->rbuf, s->rcap);
			if (s->rbuf == NULL)
				plog_fatal("stream buffer");
		}
		if (s->ssl != NULL) {
			n = SSL_read(s->ssl, s->rbuf + s->rlen,
			    (int)(s->rcap - s->rlen));
			if (n <= 0) {
				e = SSL_get_error(s->ssl, (int)n);
				if (e == SSL_ERROR_WANT_READ ||
				    e == SSL_ERROR_WANT_WRITE)
					return 1;
				if (e == SSL_ERROR_ZERO_RETURN)
					ps_down(s,
					    "the daemon closed the "
					    "connection");
				else
					ps_down(s, "TLS: %s", ssl_err());
				return 0;
			}
		} else {
			n = read(s->fd, s->rbuf + s->rlen, s->rcap - s->rlen);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return 1;
			if (n <= 0) {
				ps_down(s, "%s",
				    n == 0 ? "the daemon closed the connection"
					   : strerror(errno));
				return 0;
			}
		}
		s->rlen += (size_t)n;
		total += (size_t)n;
		handle_frames(s);
		if (s->fd == -1)
			return 0;
	}
	/* more may wait inside TLS, where poll does not see it */
	if (s->ssl != NULL && SSL_pending(s->ssl) > 0)
		ev_feed_event(s->loop, &s->io, EV_READ);
	return 1;
}

static int
ps_write(struct pstream *s)
{
	ssize_t n;
	int e;

	while (s->woff < s->wlen) {
		if (s->ssl != NULL) {
			n = SSL_write(s->ssl, s->wbuf + s->woff,
			    (int)(s->wlen - s->woff));
			if (n <= 0) {
				e = SSL_get_error(s->ssl, (int)n);
				if (e == SSL_ERROR_WANT_READ ||
				    e == SSL_ERROR_WANT_WRITE)
					return 1;
				ps_down(s, "TLS: %s", ssl_err());
				return 0;
			}
		} else {
			n = send(s->fd, s->wbuf + s->woff, s->wlen - s->woff,
			    MSG_NOSIGNAL);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				return 1;
			if (n < 0) {
				ps_down(s, "%s", strerror(errno));
				return 0;
			}
		}
		s->woff += (size_t)n;
	}
	return 1;
}

static void
tls_handshake(struct pstream *s)
{
	int rc = SSL_connect(s->ssl), e;

	if (rc == 1) {
		plog(LOG_INFO, "%s: TLS %s with %s", s->o.target,
		    SSL_get_version(s->ssl), SSL_get_cipher(s->ssl));
		queue_subscribe(s);
		return;
	}
	e = SSL_get_error(s->ssl, rc);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return;
	if (SSL_get_verify_result(s->ssl) != X509_V_OK)
		ps_down(s, "TLS: the daemon's certificate: %s",
		    X509_verify_cert_error_string(
			SSL_get_verify_result(s->ssl)));
	else
		ps_down(s, "TLS handshake: %s", ssl_err());
}

static void
connected(struct pstream *s)
{
	X509_VERIFY_PARAM *vp;
	const char *name = s->o.tls_name ? s->o.tls_name : s->host;
	unsigned char tmp[16];

	if (s->unix_path) {
		queue_subscribe(s);
		return;
	}
	s->ssl = SSL_new(s->ctx);
	if (s->ssl == NULL) {
		ps_down(s, "TLS: %s", ssl_err());
		return;
	}
	SSL_set_fd(s->ssl, s->fd);
	SSL_set_connect_state(s->ssl);
	vp = SSL_get0_param(s->ssl);
	if (inet_pton(AF_INET, name, tmp) == 1 ||
	    inet_pton(AF_INET6, name, tmp) == 1) {
		X509_VERIFY_PARAM_set1_ip_asc(vp, name);
	} else {
		SSL_set_tlsext_host_name(s->ssl, name);
		SSL_set1_host(s->ssl, name);
	}
	s->state = PS_TLS;
	tls_handshake(s);
}

static void
ps_update_io(struct pstream *s)
{
	int ev = EV_READ;

	if (s->fd == -1)
		return;
	if (s->state == PS_CONNECTING || s->woff < s->wlen ||
	    (s->ssl != NULL && SSL_want_write(s->ssl)))
		ev |= EV_WRITE;
	if (s->io.events != ev || !ev_is_active(&s->io)) {
		ev_io_stop(s->loop, &s->io);
		ev_io_set(&s->io, s->fd, ev);
		ev_io_start(s->loop, &s->io);
	}
}

static void
io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct pstream *s = w->data;
	socklen_t sl = sizeof(int);
	int err = 0;

	if (s->state == PS_CONNECTING) {
		if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &sl) == -1)
			err = errno;
		if (err != 0) {
			ps_down(s, "connect: %s", strerror(err));
			return;
		}
		connected(s);
	} else if (s->state == PS_TLS) {
		tls_handshake(s);
	} else {
		if (s->woff < s->wlen && !ps_write(s))
			return;
		if ((revents & EV_READ) && !ps_read(s))
			return;
	}
	if (s->fd == -1)
		return;
	if (s->state >= PS_WAIT && s->woff < s->wlen && !ps_write(s))
		return;
	ps_update_io(s);
	if (s->cb.batch_end != NULL)
		s->cb.batch_end(s->arg);
}

static int
ps_socket(struct pstream *s, struct sockaddr_storage *ss, socklen_t *sl)
{
	struct addrinfo hints, *ai = NULL;
	struct sockaddr_un *su = (struct sockaddr_un *)ss;
	int rc;

	memset(ss, 0, sizeof(*ss));
	if (s->unix_path) {
		su->sun_family = AF_UNIX;
		strcpy(su->sun_path, s->o.target);
		*sl = sizeof(*su);
		return socket(
		    AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(s->host, s->port, &hints, &ai);
	if (rc != 0) {
		errno = EHOSTUNREACH;
		plog(LOG_WARNING, "%s: %s", s->o.target, gai_strerror(rc));
		return -1;
	}
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*sl = ai->ai_addrlen;
	rc = socket(
	    ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	freeaddrinfo(ai);
	return rc;
}

static void
ps_connect(struct pstream *s)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	s->fd = ps_socket(s, &ss, &sl);
	if (s->fd == -1) {
		ps_down(s, "socket: %s", strerror(errno));
		return;
	}
	ev_timer_again(s->loop, &s->watchdog);
	if (connect(s->fd, (struct sockaddr *)&ss, sl) == 0) {
		connected(s);
	} else if (errno == EINPROGRESS || errno == EAGAIN) {
		s->state = PS_CONNECTING;
	} else {
		ps_down(s, "connect: %s", strerror(errno));
		return;
	}
	if (s->fd == -1)
		return;
	if (s->state >= PS_WAIT && !ps_write(s))
		return;
	ps_update_io(s);
}

static void
retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	ps_connect(w->data);
}

static void
watchdog_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct pstream *s = w->data;

	if (s->state == PS_CONNECTING || s->state == PS_TLS)
		ps_down(s, "no connection after %.0f s", w->repeat);
	else
		ps_down(
		    s, "nothing heard for %.1f s (3 heartbeats)", w->repeat);
}

void
pstream_start(struct pstream *s)
{
	ps_connect(s);
}
