/*
 * dxprog.c: the route programmer's main: options, the loop, the grace
 * time, signals and counters (doc/dxprog.8).
 *
 * dxprog subscribes to dxbgpd's export stream (prog_stream.c), keeps
 * the desired routes (prog_table.c), and writes them into a Linux
 * routing table (prog_kern.c, -t) and/or a JSON file (prog_json.c,
 * --json).  After every snapshot it reconciles the table with what the
 * kernel holds; after a Resume it just applies the events.  When the
 * daemon goes away the routes stay for the grace time (-g) while
 * dxprog reconnects; a subscription within it changes nothing that did
 * not change, past it every route of ours is withdrawn.  dxprog's own
 * exit leaves the routes (unless --flush-on-exit): grace is about the
 * daemon, not about dxprog.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "prog_nl.h"
#include "prog_stream.h"

#define JSON_DELAY 1.0  /* at most one JSON write a second */
#define EXIT_FLUSH 10.0 /* seconds --flush-on-exit may take */

struct prog {
	struct ev_loop *loop;
	struct pr_guard guard;
	struct pr_counters cnt;
	struct pr_table t;
	struct pnl_cfg nl;
	int use_kernel;
	struct pkern *kern;
	struct pstream *stream;
	const char *json, *target;
	double grace;
	int flush_on_exit, exiting;
	ev_timer t_grace, t_json, t_overlap, t_exit;
	ev_signal sig_term, sig_int, sig_usr1;
	double overlap_cost; /* seconds the last sweep took */
	int in_snapshot;     /* between SnapshotBegin and SnapshotEnd */
	char last_down[256];
	int grace_over; /* the routes were withdrawn */
};

static void
usage(int rc)
{
	fprintf(rc ? stderr : stdout,
	    "usage: dxprog -s PATH|HOST:PORT [-t TABLE] [--json FILE] [-d]\n"
	    "              [-c CERT -k KEY -a CA] [--tls-name NAME]\n"
	    "              [-P PROTO] [-m METRIC] [-g SECONDS] "
	    "[--heartbeat MS]\n"
	    "              [-L CIDR]... [--peering NAME=ASN]... "
	    "[--transitive]\n"
	    "              [--name NAME] [--flush-on-exit]\n"
	    "  -s PATH|HOST:PORT  dxbgpd's export socket: a Unix socket "
	    "path (with a '/'),\n"
	    "                     or HOST:PORT over TLS\n"
	    "  -t TABLE           the routing table to program (1-"
	    "4294967295, not 255)\n"
	    "  --json FILE        write the desired table to FILE "
	    "(atomically)\n"
	    "  -c, -k, -a         our certificate, its key, the CA that "
	    "signs the daemon's\n"
	    "  -P PROTO           our route protocol number (5-255, "
	    "default 201)\n"
	    "  -m METRIC          our routes' metric (1-4294967295, "
	    "default 20)\n"
	    "  -g SECONDS         keep routes this long without the daemon "
	    "(default 90)\n"
	    "  -L CIDR            a local (VPC) CIDR: overlapping routes "
	    "are refused\n"
	    "  --peering NAME=ASN a cloud peering, for the non-transitive "
	    "rule\n"
	    "  --transitive       allow routes passed from one peering "
	    "to another\n"
	    "  -d                 stay in the foreground, log to stderr\n");
	exit(rc);
}

static int
parse_u32(const char *opt, const char *s, unsigned long min, unsigned long max,
    uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	if (*s < '0' || *s > '9')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = (uint32_t)v;
	return 0;
bad:
	fprintf(stderr, "dxprog: %s %s: not a number from %lu to %lu\n", opt, s,
	    min, max);
	return -1;
}

static int
add_peering(struct pr_guard *g, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : 0;
	uint32_t asn;

	if (eq == NULL || n == 0 || n >= sizeof(g->peering[0].name)) {
		fprintf(stderr,
		    "dxprog: --peering %s: not NAME=ASN (a name "
		    "of 1 to 31 characters)\n",
		    arg);
		return -1;
	}
	if (parse_u32("--peering ASN", eq + 1, 1, 4294967295ul, &asn) == -1)
		return -1;
	if (g->npeering == PR_PEERINGS_MAX) {
		fprintf(stderr, "dxprog: more than %d --peering\n",
		    PR_PEERINGS_MAX);
		return -1;
	}
	memcpy(g->peering[g->npeering].name, arg, n);
	g->peering[g->npeering].name[n] = '\0';
	g->peering[g->npeering++].asn = asn;
	return 0;
}

static int
add_local(struct pr_guard *g, const char *arg)
{
	if (g->nlocal == PR_LOCALS_MAX) {
		fprintf(stderr, "dxprog: more than %d -L\n", PR_LOCALS_MAX);
		return -1;
	}
	if (pr_cidr_parse(arg, &g->local[g->nlocal].pfx,
		&g->local[g->nlocal].plen) == -1) {
		fprintf(stderr,
		    "dxprog: -L %s: not a CIDR (ADDRESS/LENGTH, "
		    "host bits zero)\n",
		    arg);
		return -1;
	}
	g->nlocal++;
	return 0;
}

/* ---- what happens ---- */

static void
json_now(struct prog *p)
{
	struct pr_json_meta m;

	if (p->json == NULL)
		return;
	ev_timer_stop(p->loop, &p->t_json);
	m.instance = pstream_instance(p->stream);
	m.seq = pstream_seq(p->stream);
	m.connected = pstream_live(p->stream);
	pjson_write(p->json, &p->t, &m);
}

static void
json_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	json_now(w->data);
}

static void
overlap_now(struct prog *p)
{
	ev_tstamp start = ev_time();

	ev_timer_stop(p->loop, &p->t_overlap);
	ptab_overlap_sweep(&p->t);
	p->overlap_cost = ev_time() - start;
}

static void
overlap_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct prog *p = w->data;

	/* Not while a snapshot arrives or the kernel is being written. */
	if (p->in_snapshot || (p->kern != NULL && !pkern_idle(p->kern))) {
		ev_timer_set(w, 1., 0.);
		ev_timer_start(loop, w);
		return;
	}
	overlap_now(p);
}

/* After changes: JSON and the overlap sweep, debounced. */
static void
changed(struct prog *p)
{
	double d;

	if (!p->t.changed)
		return;
	p->t.changed = 0;
	if (p->json != NULL && !ev_is_active(&p->t_json)) {
		ev_timer_set(&p->t_json, JSON_DELAY, 0.);
		ev_timer_start(p->loop, &p->t_json);
	}
	if (!ev_is_active(&p->t_overlap)) {
		/* a sweep of a big table waits longer: at most 10% CPU */
		d = p->overlap_cost * 10;
		ev_timer_set(&p->t_overlap, d < 1. ? 1. : d, 0.);
		ev_timer_start(p->loop, &p->t_overlap);
	}
}

static void
subscribed(struct prog *p)
{
	ev_timer_stop(p->loop, &p->t_grace);
	p->cnt.connects++;
	p->last_down[0] = '\0';
	p->grace_over = 0;
}

static void
on_snapshot_begin(void *arg, uint64_t instance, uint64_t seq)
{
	struct prog *p = arg;

	plog(LOG_INFO, "snapshot of run %llu at %llu begins",
	    (unsigned long long)instance, (unsigned long long)seq);
	p->in_snapshot = 1;
	ptab_snapshot_begin(&p->t);
}

static void
on_route(void *arg, const Dxbgp__Route *r)
{
	struct prog *p = arg;

	ptab_route(&p->t, r);
}

static void
on_snapshot_end(void *arg, uint64_t seq, uint64_t routes)
{
	struct prog *p = arg;

	ptab_snapshot_end(&p->t);
	p->in_snapshot = 0;
	p->cnt.snapshots++;
	subscribed(p);
	plog(LOG_NOTICE,
	    "snapshot at %llu: %llu routes: %llu to install, %llu "
	    "skipped-local, %llu refused%s",
	    (unsigned long long)seq, (unsigned long long)routes,
	    (unsigned long long)p->cnt.routes[PR_OK],
	    (unsigned long long)p->cnt.routes[PR_LOCAL],
	    (unsigned long long)(p->cnt.routes[PR_REF_CIDR] +
		p->cnt.routes[PR_REF_TRANSIT] + p->cnt.routes[PR_REF_NH]),
	    p->kern ? "; reconciling the table" : "");
	if (p->kern != NULL)
		pkern_reconcile(p->kern);
	p->t.changed = 0;
	/*
	 * The overlap sweep of the whole table once the kernel has what it
	 * needs: routes first, reports after (overlap_cb waits).
	 */
	ev_timer_stop(p->loop, &p->t_overlap);
	ev_timer_set(&p->t_overlap, 0.05, 0.);
	ev_timer_start(p->loop, &p->t_overlap);
	json_now(p);
}

static void
on_resume(void *arg, uint64_t instance, uint64_t from)
{
	struct prog *p = arg;

	p->cnt.resumes++;
	subscribed(p);
	plog(LOG_NOTICE,
	    "resumed after %llu of run %llu: the routes held "
	    "stay",
	    (unsigned long long)from, (unsigned long long)instance);
}

static void
on_batch_end(void *arg)
{
	struct prog *p = arg;

	if (p->kern != NULL)
		pkern_kick(p->kern);
	if (!p->in_snapshot)
		changed(p);
}

static void
on_down(void *arg, const char *why)
{
	struct prog *p = arg;

	p->in_snapshot = 0; /* a snapshot cut short is forgotten */
	if (strncmp(why, "bad input", 9) == 0)
		p->cnt.bad_input++;
	/* a daemon that stays away is logged once, not every second */
	if (strcmp(why, p->last_down) != 0) {
		plog(LOG_WARNING, "%s: %s; %s", p->target, why,
		    p->grace_over ? "no routes held"
			: ev_is_active(&p->t_grace)
			? "retrying"
			: "routes kept for the grace time");
		snprintf(p->last_down, sizeof(p->last_down), "%s", why);
	}
	if (!p->grace_over && !ev_is_active(&p->t_grace)) {
		p->cnt.losses++;
		ev_timer_set(&p->t_grace, p->grace, 0.);
		ev_timer_start(p->loop, &p->t_grace);
	}
	json_now(p);
}

static void
grace_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct prog *p = w->data;

	plog(LOG_WARNING,
	    "no subscription for %.0f s: withdrawing the "
	    "%llu routes held",
	    p->grace, (unsigned long long)p->cnt.routes[PR_OK]);
	p->grace_over = 1;
	p->cnt.grace_withdrawals++;
	ptab_withdraw_all(&p->t);
	pstream_forget(p->stream);
	if (p->kern != NULL)
		pkern_reconcile(p->kern);
	p->t.changed = 0;
	overlap_now(p);
	json_now(p);
}

/* ---- exit ---- */

static void
exit_now(struct prog *p)
{
	ev_break(p->loop, EVBREAK_ALL);
}

static void
exit_idle(void *arg)
{
	struct prog *p = arg;

	if (p->exiting) {
		plog(LOG_NOTICE,
		    "flushed the routes of protocol %u from table "
		    "%u",
		    p->nl.proto, p->nl.table);
		exit_now(p);
	}
}

static void
exit_timeout_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	plog(LOG_WARNING, "--flush-on-exit: not done after %.0f s; exiting",
	    EXIT_FLUSH);
	exit_now(w->data);
}

static void
term_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct prog *p = w->data;

	if (p->exiting) {
		exit_now(p);
		return;
	}
	p->exiting = 1;
	ev_timer_stop(loop, &p->t_grace);
	pstream_free(p->stream);
	p->stream = NULL;
	if (!p->flush_on_exit || p->kern == NULL) {
		plog(LOG_NOTICE,
		    "exiting on signal %d; the routes stay "
		    "installed",
		    w->signum);
		exit_now(p);
		return;
	}
	plog(LOG_NOTICE,
	    "exiting on signal %d: withdrawing the routes "
	    "(--flush-on-exit)",
	    w->signum);
	ptab_withdraw_all(&p->t);
	pkern_on_idle(p->kern, exit_idle, p);
	pkern_reconcile(p->kern);
	ev_timer_set(&p->t_exit, EXIT_FLUSH, 0.);
	ev_timer_start(loop, &p->t_exit);
}

static void
usr1_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct prog *p = w->data;

	pr_counters_log(&p->cnt);
}

/* ---- main ---- */

enum {
	OPT_JSON = 256,
	OPT_PEERING,
	OPT_TRANSITIVE,
	OPT_FLUSH,
	OPT_NAME,
	OPT_TLS_NAME,
	OPT_HEARTBEAT
};

static const struct option longopts[] = {
	{ "json", required_argument, NULL, OPT_JSON },
	{ "peering", required_argument, NULL, OPT_PEERING },
	{ "transitive", no_argument, NULL, OPT_TRANSITIVE },
	{ "flush-on-exit", no_argument, NULL, OPT_FLUSH },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "tls-name", required_argument, NULL, OPT_TLS_NAME },
	{ "heartbeat", required_argument, NULL, OPT_HEARTBEAT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int
main(int argc, char **argv)
{
	static struct prog prog;
	struct prog *p = &prog;
	struct pstream_opts so;
	struct pstream_cb cb = {
		.snapshot_begin = on_snapshot_begin,
		.route = on_route,
		.snapshot_end = on_snapshot_end,
		.resume = on_resume,
		.batch_end = on_batch_end,
		.down = on_down,
	};
	uint32_t v, grace = 90, proto = 201, metric = 20;
	int ch, foreground = 0, have_table = 0, rc;
	char name[80];

	memset(&so, 0, sizeof(so));
	so.retry = 1.0;
	while ((ch = getopt_long(argc, argv, "a:c:dg:hk:L:m:P:s:t:V", longopts,
		    NULL)) != -1) {
		switch (ch) {
		case 'a':
			so.ca = optarg;
			break;
		case 'c':
			so.cert = optarg;
			break;
		case 'd':
			foreground = 1;
			break;
		case 'g':
			if (parse_u32("-g", optarg, 0, 86400, &grace) == -1)
				return 2;
			break;
		case 'h':
			usage(0);
			break;
		case 'k':
			so.key = optarg;
			break;
		case 'L':
			if (add_local(&p->guard, optarg) == -1)
				return 2;
			break;
		case 'm':
			if (parse_u32("-m", optarg, 1, 4294967295ul, &metric))
				return 2;
			break;
		case 'P':
			if (parse_u32("-P", optarg, 5, 255, &proto) == -1)
				return 2;
			break;
		case 's':
			so.target = optarg;
			break;
		case 't':
			if (parse_u32("-t", optarg, 1, 4294967295ul, &v) == -1)
				return 2;
			if (v == 255) {
				fprintf(stderr,
				    "dxprog: -t 255 is the "
				    "kernel's local table\n");
				return 2;
			}
			p->nl.table = v;
			have_table = 1;
			break;
		case 'V':
			printf("dxprog %s\n", PACKAGE_VERSION);
			return 0;
		case OPT_JSON:
			p->json = optarg;
			break;
		case OPT_PEERING:
			if (add_peering(&p->guard, optarg) == -1)
				return 2;
			break;
		case OPT_TRANSITIVE:
			p->guard.transitive = 1;
			break;
		case OPT_FLUSH:
			p->flush_on_exit = 1;
			break;
		case OPT_NAME:
			if (strlen(optarg) > 64) {
				fprintf(stderr,
				    "dxprog: --name: at most 64 "
				    "characters\n");
				return 2;
			}
			so.name = optarg;
			break;
		case OPT_TLS_NAME:
			so.tls_name = optarg;
			break;
		case OPT_HEARTBEAT:
			if (parse_u32("--heartbeat", optarg, 100, 3600000,
				&so.heartbeat_ms) == -1)
				return 2;
			break;
		default:
			usage(2);
		}
	}
	if (optind != argc) {
		fprintf(
		    stderr, "dxprog: unexpected argument %s\n", argv[optind]);
		usage(2);
	}
	if (so.target == NULL) {
		fprintf(stderr, "dxprog: -s PATH|HOST:PORT is needed\n");
		usage(2);
	}
	if (!have_table && p->json == NULL) {
		fprintf(stderr,
		    "dxprog: -t TABLE or --json FILE (or both) "
		    "is needed\n");
		usage(2);
	}
	if (p->flush_on_exit && !have_table)
		fprintf(stderr,
		    "dxprog: --flush-on-exit without -t: "
		    "nothing to flush\n");
	if (have_table)
		snprintf(name, sizeof(name), "table %u", p->nl.table);
	else
		name[0] = '\0';
	if (so.name == NULL)
		so.name = "dxprog";
	p->target = so.target;
	p->nl.proto = (uint8_t)proto;
	p->nl.metric = metric;
	p->grace = grace;
	p->use_kernel = have_table;

	signal(SIGPIPE, SIG_IGN);
	p->loop = EV_DEFAULT;
	p->stream = pstream_new(p->loop, &so, &cb, p);
	if (p->stream == NULL)
		return 2;
	plog_init(foreground);
	ptab_init(&p->t, &p->guard, &p->cnt, have_table);
	if (have_table) {
		p->kern = pkern_new(p->loop, &p->nl, &p->t, &p->cnt);
		if (p->kern == NULL) {
			fprintf(stderr, "dxprog: no rtnetlink socket: %s\n",
			    strerror(errno));
			return 1;
		}
	}
	if (!foreground && daemon(1, 0) == -1) {
		fprintf(stderr, "dxprog: cannot detach: %s\n", strerror(errno));
		return 1;
	}
	ev_timer_init(&p->t_grace, grace_cb, 0., 0.);
	ev_timer_init(&p->t_json, json_cb, 0., 0.);
	ev_timer_init(&p->t_overlap, overlap_cb, 0., 0.);
	ev_timer_init(&p->t_exit, exit_timeout_cb, 0., 0.);
	ev_signal_init(&p->sig_term, term_cb, SIGTERM);
	ev_signal_init(&p->sig_int, term_cb, SIGINT);
	ev_signal_init(&p->sig_usr1, usr1_cb, SIGUSR1);
	p->t_grace.data = p->t_json.data = p->t_overlap.data = p;
	p->t_exit.data = p->sig_term.data = p->sig_int.data = p;
	p->sig_usr1.data = p;
	ev_signal_start(p->loop, &p->sig_term);
	ev_signal_start(p->loop, &p->sig_int);
	ev_signal_start(p->loop, &p->sig_usr1);

	plog(LOG_NOTICE,
	    "dxprog %s: from %s to %s%s%s%s; protocol %u, "
	    "metric %u, grace %u s",
	    PACKAGE_VERSION, so.target, name,
	    p->json ? (have_table ? " and " : "") : "", p->json ? "JSON " : "",
	    p->json ? p->json : "", proto, metric, grace);
	/* the routes of an earlier run stay for the grace time */
	ev_timer_set(&p->t_grace, p->grace, 0.);
	ev_timer_start(p->loop, &p->t_grace);
	pstream_start(p->stream);
	ev_run(p->loop, 0);

	rc = 0;
	p->cnt.overlaps = p->t.last_overlaps;
	pr_counters_log(&p->cnt);
	if (p->stream != NULL)
		json_now(p);
	else if (p->json != NULL) {
		struct pr_json_meta m = { 0, 0, 0 };

		pjson_write(p->json, &p->t, &m);
	}
	pstream_free(p->stream);
	pkern_free(p->kern);
	ptab_clean(&p->t);
	ev_loop_destroy(p->loop);
	return rc;
}
