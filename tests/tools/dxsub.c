/*
 * dxsub.c: a plain subscriber of dxbgpd's export stream, for tests and
 * benchmarks.
 *
 * It connects (a Unix socket, or TCP with TLS), sends one Subscribe
 * and prints every message as one line; it keeps the route table the
 * stream describes and prints it sorted at the end, with the position
 * to resume from, so a test can compare the final state with what it
 * expects.  Blocking IO: it is a test tool, not part of the daemon.
 *
 *   dxsub -s PATH|HOST:PORT [-c CERT -k KEY -a CA] [-n NAME]
 *         [-f ipv4|ipv6]... [-b NEIGHBOR]... [-C ASN:VALUE]...
 *         [-r INSTANCE:SEQ] [-H HEARTBEAT_MS] [-w MS] [-q] [-t]
 *         [-x snapshot|idle:MS|count:N] [-B [-D]]
 *
 * -B (benchmark): time from connecting to SnapshotEnd, routes framed
 * and counted but not decoded, unless -D.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
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

struct entry {
	char *key; /* "prefix" */
	char *val; /* "via ..." */
};

static struct entry *tab;
static size_t ntab, captab;
static bool quiet, keep_table = true;
static SSL *ssl;
static int fd = -1;

static void
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "dxsub: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(2);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the table (a sorted-at-the-end array with a linear index) ---- */

static size_t hcap;
static size_t *hidx; /* index + 1 into tab */

static size_t
hstr(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 ^ (unsigned char)*s++;
	return h;
}

static void
hgrow(void)
{
	size_t i, j;

	hcap = hcap ? hcap * 2 : 1024;
	free(hidx);
	hidx = calloc(hcap, sizeof(*hidx));
	for (i = 0; i < ntab; i++) {
		for (j = hstr(tab[i].key) & (hcap - 1); hidx[j];
		     j = (j + 1) & (hcap - 1))
			;
		hidx[j] = i + 1;
	}
}

static size_t *
hslot(const char *key)
{
	size_t j;

	if (ntab * 2 >= hcap)
		hgrow();
	for (j = hstr(key) & (hcap - 1); hidx[j]; j = (j + 1) & (hcap - 1))
		if (tab[hidx[j] - 1].key != NULL &&
		    strcmp(tab[hidx[j] - 1].key, key) == 0)
			break;
	return &hidx[j];
}

static void
tab_set(const char *key, const char *val)
{
	size_t *h = hslot(key);

	if (*h) {
		free(tab[*h - 1].val);
		tab[*h - 1].val = val ? strdup(val) : NULL;
		return;
	}
	if (val == NULL)
		return;
	if (ntab == captab) {
		captab = captab ? captab * 2 : 1024;
		tab = realloc(tab, captab * sizeof(*tab));
	}
	tab[ntab].key = strdup(key);
	tab[ntab].val = strdup(val);
	*h = ++ntab;
}

static void
tab_clear(void)
{
	size_t i;

	for (i = 0; i < ntab; i++) {
		free(tab[i].key);
		free(tab[i].val);
	}
	ntab = 0;
	hcap = 0;
	free(hidx);
	hidx = NULL;
}

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(
	    ((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

/* ---- IO ---- */

static int
rd(void *buf, size_t len)
{
	ssize_t n;

	if (ssl != NULL) {
		n = SSL_read(ssl, buf, (int)len);
		return n > 0 ? (int)n : -1;
	}
	n = read(fd, buf, len);
	return n > 0 ? (int)n : -1;
}

static void
wr(const uint8_t *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = ssl ? SSL_write(ssl, buf, (int)len) : write(fd, buf, len);
		if (n <= 0)
			die("%s", "write failed");
		buf += n;
		len -= (size_t)n;
	}
}

static void
connect_to(const char *where, const char *cert, const char *key, const char *ca)
{
	if (strchr(where, '/') != NULL) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", where);
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1)
			die("connect: %s", strerror(errno));
		return;
	}
	char host[256], *port;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	SSL_CTX *ctx;

	snprintf(host, sizeof(host), "%s", where);
	port = strrchr(host, ':');
	if (port == NULL)
		die("%s: not PATH or HOST:PORT", where);
	*port++ = '\0';
	if (host[0] == '[') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	if (getaddrinfo(host, port, &hints, &ai) != 0)
		die("%s: cannot resolve", where);
	fd = socket(ai->ai_family, SOCK_STREAM, 0);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1)
		die("connect: %s", strerror(errno));
	freeaddrinfo(ai);
	ctx = SSL_CTX_new(TLS_client_method());
	if ((cert && SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) ||
	    (key &&
		SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) ||
	    (ca && SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1))
		die("%s", "cannot load the TLS files");
	SSL_CTX_set_verify(ctx, ca ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	if (SSL_connect(ssl) != 1) {
		char buf[200];

		ERR_error_string_n(ERR_get_error(), buf, sizeof(buf));
		die("TLS: %s", buf);
	}
}

/* ---- printing ---- */

static void
addr_str(const ProtobufCBinaryData *a, char *buf, size_t len)
{
	if (a->len == 4)
		inet_ntop(AF_INET, a->data, buf, (socklen_t)len);
	else if (a->len == 16)
		inet_ntop(AF_INET6, a->data, buf, (socklen_t)len);
	else
		snprintf(buf, len, "-");
}

static void
route_val(const Dxbgp__Route *r, char *buf, size_t len)
{
	char a[64];
	size_t i, k, n = 0;

	n += (size_t)snprintf(buf + n, len - n, "via");
	for (i = 0; i < r->n_nexthops && n < len; i++) {
		addr_str(&r->nexthops[i], a, sizeof(a));
		n += (size_t)snprintf(
		    buf + n, len - n, "%s%s", i ? "," : " ", a);
	}
	addr_str(&r->peer, a, sizeof(a));
	if (n < len)
		n += (size_t)snprintf(
		    buf + n, len - n, " peer %s asn %u path", a, r->peer_asn);
	for (i = 0; i < r->n_as_path && n < len; i++) {
		const Dxbgp__AsPathSegment *sg = r->as_path[i];

		n += (size_t)snprintf(
		    buf + n, len - n, " %s", sg->set ? "{" : "");
		for (k = 0; k < sg->n_asns && n < len; k++)
			n += (size_t)snprintf(buf + n, len - n, "%s%u",
			    k ? (sg->set ? "," : " ") : "", sg->asns[k]);
		if (sg->set && n < len)
			n += (size_t)snprintf(buf + n, len - n, "}");
	}
	if (n < len)
		n +=
		    (size_t)snprintf(buf + n, len - n, " lp %u", r->local_pref);
	if (r->has_med && n < len)
		n += (size_t)snprintf(buf + n, len - n, " med %u", r->med);
	for (i = 0; i < r->n_communities && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%u:%u",
		    i ? " " : " comm ", r->communities[i] >> 16,
		    r->communities[i] & 0xffff);
	for (i = 0; i < r->n_large_communities && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%u:%u:%u",
		    i ? " " : " lcomm ", r->large_communities[i]->global_admin,
		    r->large_communities[i]->local1,
		    r->large_communities[i]->local2);
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: dxsub -s PATH|HOST:PORT [-c CERT -k KEY -a CA] [-n NAME]\n"
	    "             [-f ipv4|ipv6]... [-b NEIGHBOR]... [-C ASN:VALUE]...\n"
	    "             [-r INSTANCE:SEQ] [-H MS] [-w MS] [-q] [-t]\n"
	    "             [-x snapshot|idle:MS|count:N] [-B [-D]]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *where = NULL, *cert = NULL, *key = NULL, *ca = NULL;
	Dxbgp__Subscribe sub = DXBGP__SUBSCRIBE__INIT;
	Dxbgp__Message m = DXBGP__MESSAGE__INIT, *in;
	struct frame_arena arena;
	Dxbgp__Afi afis[2];
	ProtobufCBinaryData nbrs[16];
	uint32_t comms[16];
	uint8_t nbuf[16][16], *rx;
	size_t rxcap = FRAME_MAX_DAEMON + FRAME_HDR_MAX, rxlen = 0, off;
	unsigned long long inst = 0, seq = 0, count_limit = 0, events = 0;
	double idle = 0, started, last_event, slow = 0;
	bool bench = false, bench_decode = false, snapshot_exit = false;
	bool print_table = false;
	int ch, n;

	while (
	    (ch = getopt(argc, argv, "a:b:Bc:C:Df:H:k:n:qr:s:tw:x:")) != -1) {
		switch (ch) {
		case 'a':
			ca = optarg;
			break;
		case 'b':
			if (sub.n_neighbors == 16)
				usage();
			if (inet_pton(AF_INET, optarg, nbuf[sub.n_neighbors]) ==
			    1)
				nbrs[sub.n_neighbors].len = 4;
			else if (inet_pton(AF_INET6, optarg,
				     nbuf[sub.n_neighbors]) == 1)
				nbrs[sub.n_neighbors].len = 16;
			else
				usage();
			nbrs[sub.n_neighbors].data = nbuf[sub.n_neighbors];
			sub.n_neighbors++;
			break;
		case 'B':
			bench = true;
			quiet = true;
			keep_table = false;
			snapshot_exit = true;
			break;
		case 'c':
			cert = optarg;
			break;
		case 'D':
			bench_decode = true;
			break;
		case 'C': {
			unsigned hi = 0, lo = 0;

			if (sub.n_communities == 16 ||
			    sscanf(optarg, "%u:%u", &hi, &lo) != 2)
				usage();
			comms[sub.n_communities++] = hi << 16 | (lo & 0xffff);
			break;
		}
		case 'f':
			if (sub.n_afis == 2)
				usage();
			afis[sub.n_afis++] = strcmp(optarg, "ipv6") == 0
			    ? DXBGP__AFI__AFI_IPV6
			    : DXBGP__AFI__AFI_IPV4;
			break;
		case 'H':
			sub.heartbeat_ms = (uint32_t)atoi(optarg);
			break;
		case 'k':
			key = optarg;
			break;
		case 'n':
			sub.name = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		case 'r':
			if (sscanf(optarg, "%llx:%llu", &inst, &seq) != 2)
				usage();
			sub.instance = inst;
			sub.last_seq = seq;
			break;
		case 's':
			where = optarg;
			break;
		case 't':
			print_table = true;
			break;
		case 'w':
			slow = atof(optarg) / 1000.0;
			break;
		case 'x':
			if (strcmp(optarg, "snapshot") == 0)
				snapshot_exit = true;
			else if (strncmp(optarg, "idle:", 5) == 0)
				idle = atof(optarg + 5) / 1000.0;
			else if (strncmp(optarg, "count:", 6) == 0)
				count_limit = strtoull(optarg + 6, NULL, 10);
			else
				usage();
			break;
		default:
			usage();
		}
	}
	if (where == NULL)
		usage();
	sub.afis = afis;
	sub.neighbors = nbrs;
	sub.communities = comms;
	setvbuf(stdout, NULL, _IOLBF, 0);
	started = last_event = now();
	connect_to(where, cert, key, ca);
	m.body_case = DXBGP__MESSAGE__BODY_SUBSCRIBE;
	m.subscribe = &sub;
	{
		uint8_t out[4096];

		wr(out, frame_pack(&m, out));
	}
	rx = malloc(rxcap);
	frame_arena_init(&arena);
	for (;;) {
		const uint8_t *body;
		size_t blen, used;
		const char *why;

		if (idle > 0 && ssl == NULL) {
			struct pollfd p = { .fd = fd, .events = POLLIN };
			double left = idle - (now() - last_event);

			if (left <= 0 ||
			    poll(&p, 1, (int)(left * 1000) + 1) == 0)
				if (now() - last_event >= idle)
					break;
		}
		if (slow > 0) {
			struct timespec ts = { 0, (long)(slow * 1e9) };

			nanosleep(&ts, NULL);
		}
		n = rd(rx + rxlen,
		    slow > 0 ? (rxcap - rxlen < 4096 ? rxcap - rxlen : 4096)
			     : rxcap - rxlen);
		if (n <= 0) {
			printf("closed\n");
			break;
		}
		rxlen += (size_t)n;
		off = 0;
		while (frame_get(rx + off, rxlen - off, FRAME_MAX_DAEMON, &body,
			   &blen, &used) == FRAME_OK) {
			char k[80], v[4096];

			off += used;
			/*
			 * -B counts routes as they arrive without decoding
			 * them (a Route's Message starts with field 3, LEN);
			 * -D decodes them too.
			 */
			if (bench && !bench_decode && blen > 0 &&
			    body[0] == 0x1a) {
				events++;
				continue;
			}
			in = frame_unpack_in(&arena, body, blen, &why);
			if (in == NULL) {
				printf("bad %s\n", why);
				exit(1);
			}
			switch (in->body_case) {
			case DXBGP__MESSAGE__BODY_SNAPSHOT_BEGIN:
				inst = in->snapshot_begin->instance;
				seq = in->snapshot_begin->seq;
				tab_clear();
				printf(
				    "snapshot-begin instance=%016llx seq=%llu\n",
				    inst, seq);
				break;
			case DXBGP__MESSAGE__BODY_SNAPSHOT_END:
				printf("snapshot-end seq=%llu routes=%llu\n",
				    (unsigned long long)in->snapshot_end->seq,
				    (unsigned long long)
					in->snapshot_end->routes);
				if (bench)
					printf("bench routes=%llu seconds=%.3f "
					       "rate=%.0f\n",
					    (unsigned long long)
						in->snapshot_end->routes,
					    now() - started,
					    in->snapshot_end->routes /
						(now() - started));
				if (snapshot_exit)
					goto done;
				break;
			case DXBGP__MESSAGE__BODY_RESUME:
				inst = in->resume->instance;
				seq = in->resume->from_seq;
				printf("resume instance=%016llx from=%llu\n",
				    inst, seq);
				break;
			case DXBGP__MESSAGE__BODY_HEARTBEAT:
				if (!quiet)
					printf("heartbeat seq=%llu\n",
					    (unsigned long long)
						in->heartbeat->seq);
				break;
			case DXBGP__MESSAGE__BODY_ERROR:
				printf("error %s\n", in->error->reason);
				break;
			case DXBGP__MESSAGE__BODY_ROUTE: {
				const Dxbgp__Route *r = in->route;
				char a[64];

				addr_str(&r->prefix, a, sizeof(a));
				snprintf(
				    k, sizeof(k), "%s/%u", a, r->prefix_len);
				if (r->seq != 0)
					seq = r->seq;
				events++;
				last_event = now();
				if (r->action == DXBGP__ACTION__ADD) {
					if (keep_table || !quiet)
						route_val(r, v, sizeof(v));
					if (keep_table)
						tab_set(k, v);
					if (!quiet)
						printf("route seq=%llu add %s "
						       "%s\n",
						    (unsigned long long)r->seq,
						    k, v);
				} else {
					if (keep_table)
						tab_set(k, NULL);
					if (!quiet)
						printf("route seq=%llu delete "
						       "%s\n",
						    (unsigned long long)r->seq,
						    k);
				}
				break;
			}
			default:
				printf("unexpected message %d\n",
				    (int)in->body_case);
				exit(1);
			}
			if (count_limit && events >= count_limit)
				goto done;
		}
		memmove(rx, rx + off, rxlen - off);
		rxlen -= off;
	}
done:;
	size_t i, live = 0;
	unsigned long long digest = 0;

	/* An order-free digest of the table, to compare two subscribers'. */
	for (i = 0; i < ntab; i++)
		if (tab[i].val != NULL) {
			live++;
			digest += hstr(tab[i].key) * 31 + hstr(tab[i].val);
		}
	printf("state instance=%016llx seq=%llu routes=%zu digest=%016llx\n",
	    inst, seq, live, digest);
	if (print_table) {
		qsort(tab, ntab, sizeof(*tab), entry_cmp);
		for (i = 0; i < ntab; i++)
			if (tab[i].val != NULL)
				printf("table %s %s\n", tab[i].key, tab[i].val);
	}
	return 0;
}
