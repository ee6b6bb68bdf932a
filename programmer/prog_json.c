/*
 * prog_json.c: the desired route table as a JSON file (dxprog --json),
 * for a cloud controller that programs a VPC route table from it.
 *
 * The file is written whole to FILE.tmp, synced, and renamed over
 * FILE, so a reader sees the old table or the new one, never part of
 * one.  Routes are sorted (IPv4 before IPv6, then by address and
 * length), so two writes of the same table are the same bytes.  The
 * layout is in doc/dxprog.8 (JSON FILE).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "prog.h"

struct collect {
	const struct pr_route **v;
	size_t n;
};

static void
collect(void *arg, const struct pr_route *r)
{
	struct collect *c = arg;

	c->v[c->n++] = r;
}

static void
put_peer(FILE *f, const struct pr_route *r)
{
	char buf[PR_ADDR_STR];

	if (r->peer == NULL || r->peer->len == 0) {
		fputs("null", f);
		return;
	}
	fprintf(f, "\"%s\"", pr_peer_fmt(buf, sizeof(buf), r->peer));
}

static void
put_route(FILE *f, const struct pr_route *r, int with_reason)
{
	char buf[PR_ADDR_STR];
	int i;

	fprintf(f, "{\"prefix\":\"%s\",\"nexthops\":[",
	    pr_addr_fmt(buf, sizeof(buf), &r->pfx, r->plen));
	for (i = 0; i < r->want->n; i++)
		fprintf(f, "%s\"%s\"", i ? "," : "",
		    pr_addr_fmt(buf, sizeof(buf), &r->want->nh[i], -1));
	fputs("],\"peer\":", f);
	put_peer(f, r);
	fprintf(f, ",\"peer_asn\":%u", r->peer ? r->peer->asn : 0);
	if (with_reason)
		fprintf(f, ",\"reason\":\"%s\"",
		    pr_status_name((enum pr_status)r->status));
	fputc('}', f);
}

static void
put_counters(FILE *f, const struct pr_counters *c)
{
	int s;

	fputs("{", f);
	for (s = 0; s < PR_NSTATUS; s++)
		fprintf(f, "\"%s\":%llu,", pr_status_name((enum pr_status)s),
		    (unsigned long long)c->routes[s]);
	fprintf(f,
	    "\"refusals_local_cidr\":%llu,\"refusals_transitive\":%llu,"
	    "\"refusals_too_many_nexthops\":%llu,\"skips_local\":%llu,"
	    "\"overlaps\":%llu,\"events\":%llu,\"snapshots\":%llu,"
	    "\"resumes\":%llu,\"connects\":%llu,\"losses\":%llu,"
	    "\"bad_input\":%llu,\"reconciles\":%llu,\"kernel_adds\":%llu,"
	    "\"kernel_replaces\":%llu,\"kernel_deletes\":%llu,"
	    "\"kernel_errors\":%llu,\"grace_withdrawals\":%llu}",
	    (unsigned long long)c->refused_total[PR_REF_CIDR],
	    (unsigned long long)c->refused_total[PR_REF_TRANSIT],
	    (unsigned long long)c->refused_total[PR_REF_NH],
	    (unsigned long long)c->refused_total[PR_LOCAL],
	    (unsigned long long)c->overlaps, (unsigned long long)c->events,
	    (unsigned long long)c->snapshots, (unsigned long long)c->resumes,
	    (unsigned long long)c->connects, (unsigned long long)c->losses,
	    (unsigned long long)c->bad_input, (unsigned long long)c->reconciles,
	    (unsigned long long)c->nl_add, (unsigned long long)c->nl_replace,
	    (unsigned long long)c->nl_del, (unsigned long long)c->nl_errors,
	    (unsigned long long)c->grace_withdrawals);
}

int
pjson_write(
    const char *path, const struct pr_table *t, const struct pr_json_meta *m)
{
	struct collect c;
	char tmp[4096];
	FILE *f;
	size_t i;
	int first, pass, e;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
		plog(LOG_ERR, "--json %s: path too long", path);
		return -1;
	}
	c.v = malloc((t->count + 1) * sizeof(*c.v));
	if (c.v == NULL)
		plog_fatal("json");
	c.n = 0;
	ptab_walk(t, collect, &c);
	qsort(c.v, c.n, sizeof(*c.v), pr_route_cmp);
	f = fopen(tmp, "w");
	if (f == NULL) {
		plog(LOG_ERR, "--json: cannot write %s: %s", tmp,
		    strerror(errno));
		free(c.v);
		return -1;
	}
	fprintf(f, "{\"instance\":%llu,\"seq\":%llu,\"connected\":%s,\n",
	    (unsigned long long)m->instance, (unsigned long long)m->seq,
	    m->connected ? "true" : "false");
	/* pass 0: the routes to install; pass 1: those that are not */
	for (pass = 0; pass < 2; pass++) {
		fputs(pass ? "\"not_installed\":[" : "\"routes\":[", f);
		first = 1;
		for (i = 0; i < c.n; i++) {
			if ((c.v[i]->status == PR_OK) != (pass == 0))
				continue;
			fputs(first ? "\n" : ",\n", f);
			put_route(f, c.v[i], pass);
			first = 0;
		}
		fputs("],\n", f);
	}
	fputs("\"counters\":", f);
	put_counters(f, t->cnt);
	fputs("}\n", f);
	free(c.v);
	e = ferror(f);
	if (fflush(f) != 0 || e || fsync(fileno(f)) != 0) {
		plog(LOG_ERR, "--json: writing %s: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		plog(LOG_ERR, "--json: %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
