/*
 * prog_fake.c: a fake dxbgpd export stream for dxprog's interop test
 * (tests/interop/prog.sh).  It speaks the daemon's side of
 * proto/dxbgp.proto to one subscriber at a time, from a route file the
 * test rewrites.  Blocking IO: it is a test tool.
 *
 *   prog_fake -l PATH|ADDR:PORT -r ROUTES -i INSTANCE
 *             [-c CERT -k KEY -a CA] [-H HEARTBEAT_MS]
 *
 * ROUTES has one route a line:
 *   PREFIX NEXTHOP[,NEXTHOP...] [peer=ADDR] [asn=N] [path=N,N...]
 * A next hop 0.0.0.0 or :: is a route the daemon originates.
 *
 * A new subscriber gets Resume if it names this INSTANCE and a
 * sequence number in the journal (everything since the start), else a
 * snapshot.  Signals: SIGHUP reads ROUTES again and sends the changes
 * as events (ADD or DELETE, increasing seq); SIGUSR1 drops the
 * subscriber (it may come back and resume); SIGUSR2 sends a route
 * with host bits set (bad input).  Heartbeats when idle.  Each thing
 * done is one line on stdout ("subscribe instance=I last_seq=S",
 * "snapshot N", "resume FROM", "event SEQ ADD|DELETE PREFIX", ...).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <dxbgp/frame.h>

#define MAXR    4096
#define MAXNH   16
#define MAXPATH 16

struct froute {
	char key[64]; /* prefix text */
	int af;
	uint8_t pfx[16];
	unsigned int plen;
	int nnh;
	uint8_t nh[MAXNH][16];
	int nhlen[MAXNH];
	uint8_t peer[16];
	int peerlen;
	uint32_t asn;
	int npath;
	uint32_t path[MAXPATH];
	char line[512];
};

struct event {
	uint64_t seq;
	int del;
	struct froute r;
};

static struct froute cur[MAXR];
static int ncur;
static struct event *journal;
static size_t njournal, capjournal;
static uint64_t seq = 100, instance;
static const char *routes_path;
static volatile sig_atomic_t got_hup, got_usr1, got_usr2;
static SSL_CTX *ctx;
static SSL *ssl;
static int cfd = -1;

static void
die(const char *what)
{
	fprintf(stderr, "prog_fake: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int
parse_addr(const char *s, uint8_t *a, int *len)
{
	if (inet_pton(AF_INET, s, a) == 1)
		return *len = 4, 0;
	if (inet_pton(AF_INET6, s, a) == 1)
		return *len = 16, 0;
	return -1;
}

static int
parse_line(char *line, struct froute *r)
{
	char *tok, *save, *p, *slash, *q;
	int len;

	memset(r, 0, sizeof(*r));
	snprintf(r->line, sizeof(r->line), "%s", line);
	tok = strtok_r(line, " \t\n", &save);
	if (tok == NULL || *tok == '#')
		return 0;
	snprintf(r->key, sizeof(r->key), "%s", tok);
	slash = strchr(tok, '/');
	if (slash == NULL)
		return -1;
	*slash = '\0';
	if (parse_addr(tok, r->pfx, &len) == -1)
		return -1;
	r->af = len == 4 ? DXBGP__AFI__AFI_IPV4 : DXBGP__AFI__AFI_IPV6;
	r->plen = (unsigned int)atoi(slash + 1);
	tok = strtok_r(NULL, " \t\n", &save);
	if (tok == NULL)
		return -1;
	for (p = strtok_r(tok, ",", &q); p; p = strtok_r(NULL, ",", &q)) {
		if (r->nnh == MAXNH ||
		    parse_addr(p, r->nh[r->nnh], &r->nhlen[r->nnh]) == -1)
			return -1;
		r->nnh++;
	}
	while ((tok = strtok_r(NULL, " \t\n", &save)) != NULL) {
		if (strncmp(tok, "peer=", 5) == 0) {
			if (parse_addr(tok + 5, r->peer, &r->peerlen) == -1)
				return -1;
		} else if (strncmp(tok, "asn=", 4) == 0) {
			r->asn = (uint32_t)strtoul(tok + 4, NULL, 10);
		} else if (strncmp(tok, "path=", 5) == 0) {
			for (p = strtok_r(tok + 5, ",", &q);
			     p && r->npath < MAXPATH;
			     p = strtok_r(NULL, ",", &q))
				r->path[r->npath++] =
				    (uint32_t)strtoul(p, NULL, 10);
		} else {
			return -1;
		}
	}
	return 1;
}

static int
load(struct froute *v)
{
	FILE *f = fopen(routes_path, "r");
	char line[512];
	int n = 0, rc;

	if (f == NULL)
		die(routes_path);
	while (fgets(line, sizeof(line), f) != NULL && n < MAXR) {
		rc = parse_line(line, &v[n]);
		if (rc < 0) {
			fprintf(stderr, "prog_fake: bad line: %s", line);
			exit(1);
		}
		n += rc;
	}
	fclose(f);
	return n;
}

/* ---- sending ---- */

static int
put(const uint8_t *b, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if (ssl != NULL)
			w = SSL_write(ssl, b, (int)n);
		else
			w = send(cfd, b, n, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
send_msg(Dxbgp__Message *m)
{
	size_t n = frame_size(m);
	uint8_t *b = malloc(n);
	int rc;

	frame_pack(m, b);
	rc = put(b, n);
	free(b);
	return rc;
}

static int
send_route(const struct froute *r, uint64_t s, int del)
{
	Dxbgp__Message m = DXBGP__MESSAGE__INIT;
	Dxbgp__Route rt = DXBGP__ROUTE__INIT;
	Dxbgp__AsPathSegment seg = DXBGP__AS_PATH_SEGMENT__INIT;
	Dxbgp__AsPathSegment *segs[1] = { &seg };
	ProtobufCBinaryData nh[MAXNH];
	int i;

	rt.seq = s;
	rt.afi = (Dxbgp__Afi)r->af;
	rt.prefix.data = (uint8_t *)r->pfx;
	rt.prefix.len = r->af == DXBGP__AFI__AFI_IPV4 ? 4 : 16;
	rt.prefix_len = r->plen;
	rt.action = del ? DXBGP__ACTION__DELETE : DXBGP__ACTION__ADD;
	if (!del) {
		for (i = 0; i < r->nnh; i++) {
			nh[i].data = (uint8_t *)r->nh[i];
			nh[i].len = (size_t)r->nhlen[i];
		}
		rt.n_nexthops = (size_t)r->nnh;
		rt.nexthops = nh;
		rt.peer.data = (uint8_t *)r->peer;
		rt.peer.len = (size_t)r->peerlen;
		rt.peer_asn = r->asn;
		if (r->npath > 0) {
			seg.n_asns = (size_t)r->npath;
			seg.asns = (uint32_t *)r->path;
			rt.n_as_path = 1;
			rt.as_path = segs;
		}
	}
	m.body_case = DXBGP__MESSAGE__BODY_ROUTE;
	m.route = &rt;
	return send_msg(&m);
}

static void
journal_add(const struct froute *r, int del)
{
	if (njournal == capjournal) {
		capjournal = capjournal ? capjournal * 2 : 256;
		journal = realloc(journal, capjournal * sizeof(*journal));
		if (journal == NULL)
			die("journal");
	}
	journal[njournal].seq = ++seq;
	journal[njournal].del = del;
	journal[njournal].r = *r;
	njournal++;
}

static int
find(const struct froute *v, int n, const char *key)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return i;
	return -1;
}

/* Reads the file again; the differences become journal events. */
static size_t
reload(void)
{
	static struct froute next[MAXR];
	size_t first = njournal;
	int n = load(next), i, j;

	for (i = 0; i < ncur; i++)
		if (find(next, n, cur[i].key) < 0)
			journal_add(&cur[i], 1);
	for (i = 0; i < n; i++) {
		j = find(cur, ncur, next[i].key);
		if (j < 0 || strcmp(cur[j].line, next[i].line) != 0)
			journal_add(&next[i], 0);
	}
	memcpy(cur, next, sizeof(next[0]) * (size_t)n);
	ncur = n;
	return first;
}

static int
send_events(size_t from)
{
	size_t i;

	for (i = from; i < njournal; i++) {
		printf("event %llu %s %s\n", (unsigned long long)journal[i].seq,
		    journal[i].del ? "DELETE" : "ADD", journal[i].r.key);
		if (send_route(&journal[i].r, journal[i].seq, journal[i].del))
			return -1;
	}
	return 0;
}

static int
send_snapshot(void)
{
	Dxbgp__Message m = DXBGP__MESSAGE__INIT;
	Dxbgp__SnapshotBegin b = DXBGP__SNAPSHOT_BEGIN__INIT;
	Dxbgp__SnapshotEnd e = DXBGP__SNAPSHOT_END__INIT;
	int i;

	b.instance = instance;
	b.seq = seq;
	m.body_case = DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN;
	m.snapshot_begin = &b;
	if (send_msg(&m))
		return -1;
	for (i = 0; i < ncur; i++)
		if (send_route(&cur[i], 0, 0))
			return -1;
	e.seq = seq;
	e.routes = (uint64_t)ncur;
	m.body_case = DXBGP__MESSAGE__BODY_SNAPSHOT_END;
	m.snapshot_end = &e;
	printf("snapshot %d at %llu\n", ncur, (unsigned long long)seq);
	return send_msg(&m);
}

static int
send_heartbeat(void)
{
	Dxbgp__Message m = DXBGP__MESSAGE__INIT;
	Dxbgp__Heartbeat h = DXBGP__HEARTBEAT__INIT;

	h.instance = instance;
	h.seq = seq;
	m.body_case = DXBGP__MESSAGE__BODY_HEARTBEAT;
	m.heartbeat = &h;
	return send_msg(&m);
}

/* A Route whose prefix has host bits set: frame_check_route fails. */
static int
send_bad(void)
{
	static const uint8_t bad[] = {
		0x1a,
		0x0e,
		0x10,
		0x01,
		0x1a,
		0x04,
		10,
		9,
		9,
		9,
		0x20,
		0x08,
		0x28,
		0x02,
		0x08,
		0x63,
	};
	uint8_t hdr[FRAME_HDR_MAX];

	printf("bad route\n");
	return put(hdr, frame_hdr(hdr, sizeof(bad))) || put(bad, sizeof(bad));
}

/* ---- receiving ---- */

static int
get(uint8_t *b, size_t n)
{
	ssize_t r;

	while (n > 0) {
		if (ssl != NULL)
			r = SSL_read(ssl, b, (int)n);
		else
			r = recv(cfd, b, n, 0);
		if (r <= 0)
			return -1;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

static Dxbgp__Message *
read_msg(void)
{
	uint8_t buf[FRAME_MAX_SUBSCRIBER + FRAME_HDR_MAX];
	const uint8_t *body;
	size_t len = 0, blen, used;
	const char *why;
	Dxbgp__Message *m;

	for (;;) {
		switch (frame_get(
		    buf, len, FRAME_MAX_SUBSCRIBER, &body, &blen, &used)) {
		case FRAME_OK:
			m = frame_unpack(body, blen, &why);
			if (m == NULL)
				printf("bad subscriber frame: %s\n", why);
			return m;
		case FRAME_BAD:
			return NULL;
		case FRAME_MORE:
			if (len == sizeof(buf) || get(buf + len, 1) == -1)
				return NULL;
			len++;
		}
	}
}

static void
drop(void)
{
	if (ssl != NULL) {
		SSL_shutdown(ssl);
		SSL_free(ssl);
		ssl = NULL;
	}
	if (cfd != -1)
		close(cfd);
	cfd = -1;
}

static void
serve(int lfd)
{
	Dxbgp__Message *m;
	uint64_t inst, last;
	size_t i;

	cfd = accept(lfd, NULL, NULL);
	if (cfd == -1)
		return;
	if (ctx != NULL) {
		ssl = SSL_new(ctx);
		SSL_set_fd(ssl, cfd);
		if (SSL_accept(ssl) != 1) {
			printf("tls handshake failed\n");
			ERR_print_errors_fp(stdout);
			drop();
			return;
		}
	}
	m = read_msg();
	if (m == NULL || m->body_case != DXBGP__MESSAGE__BODY_SUBSCRIBE) {
		printf("no subscribe\n");
		frame_free(m);
		drop();
		return;
	}
	inst = m->subscribe->instance;
	last = m->subscribe->last_seq;
	printf("subscribe name=%s instance=%llu last_seq=%llu\n",
	    m->subscribe->name, (unsigned long long)inst,
	    (unsigned long long)last);
	frame_free(m);
	if (inst == instance && last >= 100 && last <= seq) {
		Dxbgp__Message r = DXBGP__MESSAGE__INIT;
		Dxbgp__Resume rs = DXBGP__RESUME__INIT;

		rs.instance = instance;
		rs.from_seq = last;
		r.body_case = DXBGP__MESSAGE__BODY_RESUME;
		r.resume = &rs;
		printf("resume %llu\n", (unsigned long long)last);
		for (i = 0; i < njournal && journal[i].seq <= last; i++)
			;
		if (send_msg(&r) || send_events(i))
			drop();
	} else if (send_snapshot()) {
		drop();
	}
	fflush(stdout);
}

static int
listen_on(const char *where)
{
	struct sockaddr_storage ss;
	struct sockaddr_un *su = (struct sockaddr_un *)&ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	char host[128];
	const char *colon;
	socklen_t sl;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (strchr(where, '/') != NULL) {
		su->sun_family = AF_UNIX;
		snprintf(su->sun_path, sizeof(su->sun_path), "%s", where);
		unlink(where);
		sl = sizeof(*su);
	} else {
		colon = strrchr(where, ':');
		snprintf(
		    host, sizeof(host), "%.*s", (int)(colon - where), where);
		if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
			s4->sin_family = AF_INET;
			s4->sin_port = htons((uint16_t)atoi(colon + 1));
			sl = sizeof(*s4);
		} else {
			s6->sin6_family = AF_INET6;
			inet_pton(AF_INET6, host, &s6->sin6_addr);
			s6->sin6_port = htons((uint16_t)atoi(colon + 1));
			sl = sizeof(*s6);
		}
	}
	fd = socket(ss.ss_family, SOCK_STREAM, 0);
	if (fd == -1)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) == -1 || listen(fd, 4) == -1)
		die(where);
	return fd;
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_usr2 = 1;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
main(int argc, char **argv)
{
	const char *where = NULL, *cert = NULL, *key = NULL, *ca = NULL;
	struct sigaction sa;
	struct pollfd pf[2];
	long long hb = 1000, last_tx = 0;
	uint8_t junk[4096];
	size_t from;
	int ch, lfd;

	while ((ch = getopt(argc, argv, "a:c:H:i:k:l:r:")) != -1) {
		switch (ch) {
		case 'a':
			ca = optarg;
			break;
		case 'c':
			cert = optarg;
			break;
		case 'H':
			hb = atoll(optarg);
			break;
		case 'i':
			instance = strtoull(optarg, NULL, 10);
			break;
		case 'k':
			key = optarg;
			break;
		case 'l':
			where = optarg;
			break;
		case 'r':
			routes_path = optarg;
			break;
		default:
			fprintf(stderr,
			    "usage: prog_fake -l PATH|ADDR:PORT "
			    "-r ROUTES -i INSTANCE [-c CERT -k KEY -a CA] "
			    "[-H MS]\n");
			return 2;
		}
	}
	if (where == NULL || routes_path == NULL || instance == 0) {
		fprintf(stderr, "prog_fake: -l, -r and -i are needed\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (cert != NULL) {
		ctx = SSL_CTX_new(TLS_server_method());
		if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
		    SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) !=
			1 ||
		    SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1) {
			ERR_print_errors_fp(stderr);
			return 1;
		}
		SSL_CTX_set_verify(ctx,
		    SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ncur = load(cur);
	lfd = listen_on(where);
	printf("listening on %s, instance %llu, %d routes\n", where,
	    (unsigned long long)instance, ncur);
	for (;;) {
		pf[0].fd = lfd;
		pf[0].events = POLLIN;
		pf[1].fd = cfd;
		pf[1].events = POLLIN;
		if (poll(pf, cfd == -1 ? 1 : 2, 100) == -1 && errno != EINTR)
			die("poll");
		if (got_hup) {
			got_hup = 0;
			from = reload();
			printf("reloaded: %zu events\n", njournal - from);
			if (cfd != -1 && send_events(from))
				drop();
			last_tx = now_ms();
		}
		if (got_usr1) {
			got_usr1 = 0;
			printf("dropping the subscriber\n");
			drop();
		}
		if (got_usr2) {
			got_usr2 = 0;
			if (cfd != -1 && send_bad())
				drop();
		}
		if (pf[0].revents & POLLIN) {
			drop(); /* one subscriber at a time: the newest */
			serve(lfd);
			last_tx = now_ms();
			continue;
		}
		if (cfd != -1 && (pf[1].revents & (POLLIN | POLLHUP))) {
			ssize_t n = ssl ? SSL_read(ssl, junk, sizeof(junk))
					: recv(cfd, junk, sizeof(junk), 0);
			if (n <= 0) {
				printf("subscriber gone\n");
				drop();
			}
		}
		if (cfd != -1 && now_ms() - last_tx >= hb) {
			if (send_heartbeat())
				drop();
			last_tx = now_ms();
		}
		fflush(stdout);
	}
}
