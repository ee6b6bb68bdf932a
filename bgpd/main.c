/*
 * main.c: dxbgpd, the BGP speaker: command line, start-up, signals.
 *
 *   dxbgpd -f FILE       run with this config (default below)
 *   dxbgpd -n -f FILE    check the config, print FILE:LINE errors, exit 0/1
 *   dxbgpd -d            stay in the foreground, log to stderr
 *   dxbgpd -S PATH       control socket
 *   dxbgpd -G GROUP      members of GROUP may use the control socket
 *   dxbgpd -p PORT       BGP listen port; -l ADDR listen address (repeatable)
 *
 * SIGHUP reloads the config file: a file with any error is refused
 * whole and the running config stays.  It, `reload` and `configure
 * terminal` in the shell put a config in force the same way
 * (ctl_apply).  SIGTERM and SIGINT close every
 * session with an administrative shutdown (RFC 9003 message) and exit.
 */
#include <errno.h>
#include <ev.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "conf.h"
#include "control.h"
#include "export.h"
#include "log.h"
#include "rde.h"
#include "session.h"

#define DEFAULT_CONF "/etc/dxbgp/dxbgpd.conf"
#define DEFAULT_SOCK "/run/dxbgp/dxbgpd.sock"
#define MAX_LISTEN   16

struct daemon {
	struct ev_loop *loop;
	struct bgpd *bgpd;
	struct rde *rde;
	struct ctl *ctl;
	struct ctl_daemon cd; /* what the shell and SIGHUP act on */
	const char *conf_path;
	ev_signal sig_hup;
	ev_signal sig_term;
	ev_signal sig_int;
	ev_timer t_exit;
};

static void
usage(void)
{
	fprintf(stderr,
	    "usage: dxbgpd [-dn] [-f file] [-S socket] [-G group] "
	    "[-p port] [-l address]...\n");
	exit(2);
}

static void
reload_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *dm = w->data;
	char *errs = NULL;
	size_t errlen = 0;
	FILE *ef = open_memstream(&errs, &errlen);
	int rc;

	log_info("reloading %s", dm->conf_path);
	if (ef == NULL)
		log_fatal("out of memory");
	rc = ctl_reload(&dm->cd, ef, NULL);
	fclose(ef);
	log_lines(LOG_LVL_ERR, "", errs); /* FILE:LINE: reason, to the log */
	free(errs);
	if (rc == -1) {
		log_err("reload refused: %s has errors; the running "
			"configuration is unchanged",
		    dm->conf_path);
		return;
	}
	log_info("configuration reloaded");
}

/* A group by name, or by number. */
static int
group_lookup(const char *name, gid_t *gid)
{
	struct group *gr = getgrnam(name);
	unsigned long n;
	char *end;

	if (gr != NULL) {
		*gid = gr->gr_gid;
		return 0;
	}
	errno = 0;
	n = strtoul(name, &end, 10);
	if (errno != 0 || end == name || *end != '\0' || n >= (gid_t)-1)
		return -1;
	*gid = (gid_t)n;
	return 0;
}

static void
exit_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	ev_break(loop, EVBREAK_ALL);
}

static void
term_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct daemon *dm = w->data;

	log_info("signal %d: closing every session and exiting", w->signum);
	/*
	 * Subscribers go first: the withdrawals of the sessions' shutdown
	 * are not news for a route programmer, which keeps its routes for
	 * its grace time while the daemon is away.
	 */
	exp_stop(dm->bgpd->exp);
	bgpd_shutdown(dm->bgpd, "dxbgpd is shutting down");
	ev_signal_stop(loop, &dm->sig_term);
	ev_signal_stop(loop, &dm->sig_int);
	ev_signal_stop(loop, &dm->sig_hup);
	/* Give the NOTIFICATIONs a moment to leave. */
	ev_timer_init(&dm->t_exit, exit_cb, 0.2, 0.);
	ev_timer_start(loop, &dm->t_exit);
}

int
main(int argc, char **argv)
{
	struct daemon dm;
	struct conf *conf;
	struct conf_addr listen_addrs[MAX_LISTEN];
	const char *sock_path = DEFAULT_SOCK, *group_name = NULL;
	char *abs_conf = NULL;
	gid_t group = 0;
	int nlisten = 0, ch, i;
	bool check = false, foreground = false;
	long port = BGP_PORT;
	char *end;

	memset(&dm, 0, sizeof(dm));
	dm.conf_path = DEFAULT_CONF;
	while ((ch = getopt(argc, argv, "df:G:l:np:S:")) != -1) {
		switch (ch) {
		case 'd':
			foreground = true;
			break;
		case 'f':
			dm.conf_path = optarg;
			break;
		case 'G':
			group_name = optarg;
			break;
		case 'l':
			if (nlisten == MAX_LISTEN ||
			    !conf_addr_parse(optarg, &listen_addrs[nlisten])) {
				fprintf(stderr,
				    "dxbgpd: -l %s: not an IPv4 or IPv6 "
				    "address\n",
				    optarg);
				return 2;
			}
			nlisten++;
			break;
		case 'n':
			check = true;
			break;
		case 'p':
			errno = 0;
			port = strtol(optarg, &end, 10);
			if (errno || *end || port < 1 || port > 65535) {
				fprintf(stderr, "dxbgpd: -p %s: not a port\n",
				    optarg);
				return 2;
			}
			break;
		case 'S':
			sock_path = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (group_name != NULL && group_lookup(group_name, &group) == -1) {
		fprintf(stderr, "dxbgpd: -G %s: no such group\n", group_name);
		return 2;
	}

	if (conf_load_file(dm.conf_path, &conf, stderr) == -1) {
		fprintf(stderr, "dxbgpd: %s: configuration not valid%s\n",
		    dm.conf_path, check ? "" : "; not starting");
		return 1;
	}
	if (check) {
		conf_warn(conf, dm.conf_path, stderr);
		printf("%s: configuration OK\n", dm.conf_path);
		conf_free(conf);
		return 0;
	}
	/* Absolute: the daemon leaves its directory when it detaches. */
	abs_conf = realpath(dm.conf_path, NULL);
	if (abs_conf != NULL)
		dm.conf_path = abs_conf;
	/* Debug lines are made only on request (debug ... in dxsh). */
	log_init("dxbgpd", foreground, LOG_LVL_DEBUG);
	log_conf_apply(conf);
	if (!foreground && daemon(0, 0) == -1) {
		fprintf(stderr, "dxbgpd: cannot detach: %s\n", strerror(errno));
		return 1;
	}
	srandom((unsigned int)(time(NULL) ^ getpid()));
	signal(SIGPIPE, SIG_IGN);

	dm.loop = EV_DEFAULT;
	dm.bgpd = bgpd_new(dm.loop, (uint16_t)port);
	dm.rde = rde_new(dm.bgpd);
	dm.bgpd->exp = exp_new(dm.loop, dm.bgpd);
	if (nlisten == 0) {
		if (bgpd_listen(dm.bgpd, NULL) == -1)
			return 1;
	}
	for (i = 0; i < nlisten; i++)
		if (bgpd_listen(dm.bgpd, &listen_addrs[i]) == -1)
			return 1;
	dm.cd.bgpd = dm.bgpd;
	dm.cd.rde = dm.rde;
	dm.cd.conf_path = dm.conf_path;
	dm.ctl = ctl_new(dm.loop, &dm.cd, sock_path, group_name != NULL, group);
	if (dm.ctl == NULL)
		return 1;
	log_info("dxbgpd started: AS %u, %s", conf->asn, dm.conf_path);
	ctl_apply(&dm.cd, conf);

	ev_signal_init(&dm.sig_hup, reload_cb, SIGHUP);
	ev_signal_init(&dm.sig_term, term_cb, SIGTERM);
	ev_signal_init(&dm.sig_int, term_cb, SIGINT);
	dm.sig_hup.data = dm.sig_term.data = dm.sig_int.data = &dm;
	ev_signal_start(dm.loop, &dm.sig_hup);
	ev_signal_start(dm.loop, &dm.sig_term);
	ev_signal_start(dm.loop, &dm.sig_int);

	ev_run(dm.loop, 0);

	ctl_free(dm.ctl);
	/* The RDE uses the bgpd's loop until it is gone. */
	exp_free(dm.bgpd->exp);
	dm.bgpd->exp = NULL;
	rde_free(dm.rde);
	bgpd_free(dm.bgpd);
	free(abs_conf);
	log_info("dxbgpd stopped");
	return 0;
}
