/*
 * test_prog_table.c: dxprog's desired table (programmer/prog_table.c):
 * snapshots replacing the set, events, the kernel state and the
 * changes derived from it (reconcile without flaps), and the guard
 * rails (local next hops, local CIDRs, overlaps between peers,
 * non-transitive peering).  No kernel: dumps are fed by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "prog.h"

struct fix {
	struct pr_guard g;
	struct pr_counters c;
	struct pr_table t;
};

static int
setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	ptab_init(&f->t, &f->g, &f->c, 1);
	*state = f;
	return 0;
}

static int
setup_json(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	ptab_init(&f->t, &f->g, &f->c, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix *f = *state;

	ptab_clean(&f->t);
	free(f);
	return 0;
}

/* A Route message: "PREFIX/LEN", next hops "A,B" (or NULL: DELETE). */
static void
route(struct pr_table *t, const char *pfx, const char *nhs, const char *peer,
    uint32_t peer_asn, const char *path)
{
	Dxbgp__Route r = DXBGP__ROUTE__INIT;
	Dxbgp__AsPathSegment seg = DXBGP__AS_PATH_SEGMENT__INIT;
	Dxbgp__AsPathSegment *segs[1] = { &seg };
	ProtobufCBinaryData nh[8];
	uint8_t pb[16], nb[8][16], peerb[16];
	uint32_t asns[8];
	char buf[256], *p, *save;
	int af;

	snprintf(buf, sizeof(buf), "%s", pfx);
	p = strchr(buf, '/');
	*p = '\0';
	af = strchr(buf, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(af, buf, pb), 1);
	r.afi = af == AF_INET ? DXBGP__AFI__AFI_IPV4 : DXBGP__AFI__AFI_IPV6;
	r.prefix.data = pb;
	r.prefix.len = af == AF_INET ? 4 : 16;
	r.prefix_len = (uint32_t)atoi(p + 1);
	r.action = nhs ? DXBGP__ACTION__ADD : DXBGP__ACTION__DELETE;
	if (nhs != NULL) {
		snprintf(buf, sizeof(buf), "%s", nhs);
		for (p = strtok_r(buf, ",", &save); p;
		     p = strtok_r(NULL, ",", &save)) {
			af = strchr(p, ':') ? AF_INET6 : AF_INET;
			assert_int_equal(inet_pton(af, p, nb[r.n_nexthops]), 1);
			nh[r.n_nexthops].data = nb[r.n_nexthops];
			nh[r.n_nexthops].len = af == AF_INET ? 4 : 16;
			r.n_nexthops++;
		}
		r.nexthops = nh;
	}
	if (peer != NULL) {
		af = strchr(peer, ':') ? AF_INET6 : AF_INET;
		assert_int_equal(inet_pton(af, peer, peerb), 1);
		r.peer.data = peerb;
		r.peer.len = af == AF_INET ? 4 : 16;
	}
	r.peer_asn = peer_asn;
	if (path != NULL) {
		snprintf(buf, sizeof(buf), "%s", path);
		for (p = strtok_r(buf, " ", &save); p;
		     p = strtok_r(NULL, " ", &save))
			asns[seg.n_asns++] = (uint32_t)strtoul(p, NULL, 10);
		seg.asns = asns;
		r.n_as_path = 1;
		r.as_path = segs;
	}
	assert_null(frame_check_route(&r));
	ptab_route(t, &r);
}

static void
add(struct pr_table *t, const char *pfx, const char *nhs)
{
	route(t, pfx, nhs, "10.0.0.1", 64512, "64512");
}

static void
del(struct pr_table *t, const char *pfx)
{
	route(t, pfx, NULL, NULL, 0, NULL);
}

static int
strp_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The pending changes as text, sorted: "+P@A,B" add, "=P@A" replace,
 * "-P" delete.
 */
static char *
ops(struct pr_table *t)
{
	static char out[4096], tok[64][96];
	char a[PR_ADDR_STR], *v[64];
	struct pr_op op;
	size_t n, k = 0;
	int i;

	while (ptab_next_op(t, &op)) {
		assert_true(k < 64);
		n = (size_t)snprintf(tok[k], sizeof(tok[k]), "%c%s",
		    op.kind == PR_OP_ADD           ? '+'
			: op.kind == PR_OP_REPLACE ? '='
						   : '-',
		    pr_addr_fmt(a, sizeof(a), &op.pfx, op.plen));
		for (i = 0; op.kind != PR_OP_DEL && i < op.nhs->n; i++)
			n += (size_t)snprintf(tok[k] + n, sizeof(tok[k]) - n,
			    "%c%s", i ? ',' : '@',
			    pr_addr_fmt(a, sizeof(a), &op.nhs->nh[i], -1));
		v[k] = tok[k];
		k++;
	}
	qsort(v, k, sizeof(v[0]), strp_cmp);
	out[0] = '\0';
	for (n = 0; n < k; n++) {
		if (n)
			strcat(out, " ");
		strcat(out, v[n]);
	}
	return out;
}

/* A kernel dump holding these "PREFIX@NH,NH" routes of ours. */
static void
dump(struct pr_table *t, int n, ...)
{
	uint8_t mem[PR_NHS_SIZE(8)] __attribute__((aligned(8)));
	struct pr_nhs *nh = (struct pr_nhs *)mem;
	struct pr_addr pfx;
	char buf[256], *at, *p, *save;
	uint8_t plen;
	va_list ap;
	int i;

	ptab_kern_begin(t);
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s", va_arg(ap, const char *));
		at = strchr(buf, '@');
		*at++ = '\0';
		assert_int_equal(pr_cidr_parse(buf, &pfx, &plen), 0);
		memset(mem, 0, sizeof(mem));
		for (p = strtok_r(at, ",", &save); p;
		     p = strtok_r(NULL, ",", &save)) {
			struct pr_addr *x = &nh->nh[nh->n++];

			x->af = strchr(p, ':') ? AF_INET6 : AF_INET;
			assert_int_equal(inet_pton(x->af, p, x->a), 1);
		}
		ptab_kern_route(t, &pfx, plen, nh);
	}
	va_end(ap);
	ptab_kern_end(t);
}

static void
test_snapshot_replaces(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;

	ptab_snapshot_begin(t);
	add(t, "198.51.100.0/24", "10.0.0.1");
	add(t, "198.51.101.0/24", "10.0.0.3,10.0.0.1");
	ptab_snapshot_end(t);
	dump(t, 0);
	assert_string_equal(ops(t),
	    "+198.51.100.0/24@10.0.0.1 "
	    "+198.51.101.0/24@10.0.0.1,10.0.0.3");
	assert_int_equal(f->c.routes[PR_OK], 2);

	/* a second snapshot: .100 gone, .101 unchanged, .102 new */
	ptab_snapshot_begin(t);
	add(t, "198.51.101.0/24", "10.0.0.1,10.0.0.3");
	add(t, "198.51.102.0/24", "10.0.0.1");
	assert_non_null(ptab_lookup(
	    t, &(struct pr_addr){ AF_INET, { 198, 51, 100, 0 } }, 24)
			    ->want);
	ptab_snapshot_end(t);
	assert_int_equal(f->c.routes[PR_OK], 2);
	/* reconcile: the kernel holds what we installed */
	dump(t, 2, "198.51.100.0/24@10.0.0.1",
	    "198.51.101.0/24@10.0.0.1,10.0.0.3");
	assert_string_equal(
	    ops(t), "+198.51.102.0/24@10.0.0.1 -198.51.100.0/24");
	/* and nothing is left to do, nor is a record left for .100 */
	assert_string_equal(ops(t), "");
	assert_int_equal(t->count, 2);
}

static void
test_restart_reconciles_without_flap(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;

	/* dxprog killed and started again: the kernel has a stale route,
	 * a changed one and an unchanged one; nothing is sent before the
	 * dump */
	ptab_snapshot_begin(t);
	add(t, "10.1.0.0/16", "10.0.0.1");
	add(t, "10.2.0.0/16", "10.0.0.1,10.0.0.3");
	add(t, "2001:db8::/32", "fd00::1");
	ptab_snapshot_end(t);
	dump(t, 4, "10.1.0.0/16@10.0.0.1", "10.2.0.0/16@10.0.0.1",
	    "10.9.0.0/16@10.0.0.1", "2001:db8::/32@fd00::1");
	assert_string_equal(ops(t),
	    "-10.9.0.0/16 "
	    "=10.2.0.0/16@10.0.0.1,10.0.0.3");
}

static void
test_events(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;

	dump(t, 0);
	add(t, "10.1.0.0/16", "10.0.0.1");
	assert_string_equal(ops(t), "+10.1.0.0/16@10.0.0.1");
	/* the same route again: no change, no flap */
	add(t, "10.1.0.0/16", "10.0.0.1");
	assert_string_equal(ops(t), "");
	add(t, "10.1.0.0/16", "10.0.0.1,10.0.0.3");
	assert_string_equal(ops(t), "=10.1.0.0/16@10.0.0.1,10.0.0.3");
	/* changes coalesce until sent */
	add(t, "10.1.0.0/16", "10.0.0.3");
	add(t, "10.1.0.0/16", "10.0.0.1");
	assert_string_equal(ops(t), "=10.1.0.0/16@10.0.0.1");
	del(t, "10.1.0.0/16");
	del(t, "10.7.0.0/16"); /* never there */
	assert_string_equal(ops(t), "-10.1.0.0/16");
	assert_int_equal(t->count, 0);
	assert_int_equal(f->c.events, 7);
	/* added and deleted before anything was sent: nothing to do */
	add(t, "10.3.0.0/16", "10.0.0.1");
	del(t, "10.3.0.0/16");
	assert_string_equal(ops(t), "");
	assert_int_equal(t->count, 0);
}

static void
test_refused_by_kernel(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;
	struct pr_addr p = { AF_INET, { 10, 1, 0, 0 } };

	dump(t, 0);
	add(t, "10.1.0.0/16", "10.0.0.1");
	assert_string_equal(ops(t), "+10.1.0.0/16@10.0.0.1");
	ptab_op_failed(t, &p, 16);
	/* the next reconcile tries again */
	dump(t, 0);
	assert_string_equal(ops(t), "+10.1.0.0/16@10.0.0.1");
}

static void
test_withdraw_all(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;

	add(t, "10.1.0.0/16", "10.0.0.1");
	add(t, "2001:db8::/32", "fd00::1");
	dump(t, 2, "10.1.0.0/16@10.0.0.1", "2001:db8::/32@fd00::1");
	assert_string_equal(ops(t), "");
	ptab_withdraw_all(t);
	assert_string_equal(ops(t), "-10.1.0.0/16 -2001:db8::/32");
	assert_int_equal(t->count, 0);
	assert_int_equal(f->c.routes[PR_OK], 0);
}

static void
test_local_nexthop_skipped(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;

	dump(t, 0);
	route(t, "192.0.2.0/24", "0.0.0.0", NULL, 0, NULL);
	route(t, "2001:db8:9::/48", "::", NULL, 0, NULL);
	assert_string_equal(ops(t), "");
	assert_int_equal(f->c.routes[PR_LOCAL], 2);
	assert_int_equal(f->c.refused_total[PR_LOCAL], 2);
	/* becoming a learned route installs it; going back removes it */
	add(t, "192.0.2.0/24", "10.0.0.1");
	assert_string_equal(ops(t), "+192.0.2.0/24@10.0.0.1");
	route(t, "192.0.2.0/24", "0.0.0.0", NULL, 0, NULL);
	assert_string_equal(ops(t), "-192.0.2.0/24");
}

static void
test_local_cidr_overlap(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;

	assert_int_equal(pr_cidr_parse("10.10.0.0/16", &f->g.local[0].pfx,
			     &f->g.local[0].plen),
	    0);
	assert_int_equal(pr_cidr_parse("2001:db8:aa::/48", &f->g.local[1].pfx,
			     &f->g.local[1].plen),
	    0);
	f->g.nlocal = 2;
	dump(t, 0);
	add(t, "10.10.5.0/24", "10.0.0.1");    /* inside */
	add(t, "10.0.0.0/8", "10.0.0.1");      /* holds it */
	add(t, "10.11.0.0/16", "10.0.0.1");    /* beside it */
	add(t, "2001:db8::/32", "fd00::1");    /* holds the IPv6 one */
	add(t, "2001:db8:ab::/48", "fd00::1"); /* beside it */
	assert_string_equal(ops(t),
	    "+10.11.0.0/16@10.0.0.1 "
	    "+2001:db8:ab::/48@fd00::1");
	assert_int_equal(f->c.routes[PR_REF_CIDR], 3);
	assert_int_equal(f->c.refused_total[PR_REF_CIDR], 3);
	assert_int_equal(f->c.routes[PR_OK], 2);
	/* the same refusal again is not a new one */
	add(t, "10.10.5.0/24", "10.0.0.1");
	assert_int_equal(f->c.refused_total[PR_REF_CIDR], 3);
	del(t, "10.10.5.0/24");
	assert_int_equal(f->c.routes[PR_REF_CIDR], 2);
	assert_string_equal(ops(t), "");
}

static void
test_cidr_parse(void **state)
{
	struct pr_addr a;
	uint8_t len;

	assert_int_equal(pr_cidr_parse("10.0.0.0/8", &a, &len), 0);
	assert_int_equal(len, 8);
	assert_int_equal(pr_cidr_parse("10.0.0.1/8", &a, &len), -1);
	assert_int_equal(pr_cidr_parse("10.0.0.0/33", &a, &len), -1);
	assert_int_equal(pr_cidr_parse("10.0.0.0", &a, &len), -1);
	assert_int_equal(pr_cidr_parse("10.0.0.0/", &a, &len), -1);
	assert_int_equal(pr_cidr_parse("10.0.0.0/8x", &a, &len), -1);
	assert_int_equal(pr_cidr_parse("fd00::/8", &a, &len), 0);
	assert_int_equal(pr_cidr_parse("fd00::/129", &a, &len), -1);
	assert_int_equal(pr_cidr_parse("nonsense/8", &a, &len), -1);
}

static void
test_transitive(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;

	strcpy(f->g.peering[0].name, "aws");
	f->g.peering[0].asn = 64512;
	strcpy(f->g.peering[1].name, "tencent");
	f->g.peering[1].asn = 45090;
	f->g.npeering = 2;
	dump(t, 0);
	/* Tencent passes on what it learned from AWS: refused */
	route(t, "10.20.0.0/16", "10.0.2.1", "10.0.2.1", 45090, "45090 64512");
	/* Tencent's own, and one from beyond Tencent: fine */
	route(t, "10.30.0.0/16", "10.0.2.1", "10.0.2.1", 45090, "45090");
	route(t, "10.31.0.0/16", "10.0.2.1", "10.0.2.1", 45090, "45090 65001");
	/* a neighbor that is no peering: the rule does not apply */
	route(t, "10.40.0.0/16", "10.0.3.1", "10.0.3.1", 65010, "65010 64512");
	assert_string_equal(ops(t),
	    "+10.30.0.0/16@10.0.2.1 "
	    "+10.31.0.0/16@10.0.2.1 "
	    "+10.40.0.0/16@10.0.3.1");
	assert_int_equal(f->c.routes[PR_REF_TRANSIT], 1);
	assert_int_equal(f->c.refused_total[PR_REF_TRANSIT], 1);

	/* --transitive: accepted */
	f->g.transitive = 1;
	route(t, "10.21.0.0/16", "10.0.2.1", "10.0.2.1", 45090,
	    "45090 45090 64512");
	assert_string_equal(ops(t), "+10.21.0.0/16@10.0.2.1");
}

static void
test_peer_overlaps(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;

	route(t, "10.2.0.0/16", "10.0.0.1", "10.0.0.1", 64512, "64512");
	route(t, "10.2.1.0/24", "10.0.0.1", "10.0.0.1", 64512, "64512");
	route(t, "10.3.0.0/16", "10.0.2.1", "10.0.2.1", 45090, "45090");
	assert_int_equal(ptab_overlap_sweep(t), 0); /* one peer: fine */
	route(t, "10.2.1.128/25", "10.0.2.1", "10.0.2.1", 45090, "45090");
	route(t, "10.0.0.0/8", "10.0.2.3", "10.0.2.3", 45090, "45090");
	route(t, "192.0.2.0/24", "0.0.0.0", NULL, 0, NULL); /* ours */
	/* /25 under the /16 and the /24 of the other peer; the /8 holds
	 * the /16 and /24 of 10.0.0.1, the /16 and /25 of 10.0.2.1 */
	assert_int_equal(ptab_overlap_sweep(t), 6);
	assert_int_equal(f->c.overlaps, 6);
	del(t, "10.0.0.0/8");
	del(t, "10.2.1.128/25");
	assert_int_equal(ptab_overlap_sweep(t), 0);
	/* reported, not refused */
	assert_int_equal(f->c.routes[PR_OK], 3);
}

static void
test_json_mode(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;
	int i;
	char p[32];

	/* without -t nothing is ever queued for a kernel */
	for (i = 0; i < 3000; i++) {
		snprintf(p, sizeof(p), "10.%d.%d.0/24", i / 256, i % 256);
		add(t, p, "10.0.0.1");
	}
	assert_int_equal(t->count, 3000);
	assert_string_equal(ops(t), "");
	for (i = 0; i < 3000; i += 2) {
		snprintf(p, sizeof(p), "10.%d.%d.0/24", i / 256, i % 256);
		del(t, p);
	}
	assert_int_equal(t->count, 1500);
	assert_int_equal(f->c.routes[PR_OK], 1500);
}

static void
test_json_file(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;
	struct pr_json_meta m = { 7, 103, 1 };
	char path[] = "/tmp/test_prog_json.XXXXXX", buf[4096];
	FILE *in;
	size_t n;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	route(t, "2001:db8::/32", "fd00::3,fd00::1", "fd00::1", 64512, NULL);
	route(t, "10.1.0.0/16", "10.0.0.1", "10.0.0.1", 64512, NULL);
	route(t, "192.0.2.0/24", "0.0.0.0", NULL, 0, NULL);
	assert_int_equal(pjson_write(path, t, &m), 0);
	in = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf) - 1, in);
	buf[n] = '\0';
	fclose(in);
	unlink(path);
	assert_non_null(strstr(buf,
	    "{\"instance\":7,\"seq\":103,"
	    "\"connected\":true,\n\"routes\":[\n"
	    "{\"prefix\":\"10.1.0.0/16\",\"nexthops\":"
	    "[\"10.0.0.1\"],\"peer\":\"10.0.0.1\","
	    "\"peer_asn\":64512},\n"
	    "{\"prefix\":\"2001:db8::/32\","
	    "\"nexthops\":[\"fd00::1\",\"fd00::3\"],"));
	assert_non_null(strstr(buf,
	    "\"not_installed\":[\n"
	    "{\"prefix\":\"192.0.2.0/24\",\"nexthops\""
	    ":[\"0.0.0.0\"],\"peer\":null,"
	    "\"peer_asn\":0,\"reason\":"
	    "\"skipped-local\"}],\n\"counters\":"));
}

static size_t
npeers(const struct pr_table *t)
{
	const struct pr_peer *p;
	size_t i, n = 0;

	for (i = 0; i < sizeof(t->peers) / sizeof(t->peers[0]); i++)
		for (p = t->peers[i]; p != NULL; p = p->next)
			n++;
	return n;
}

/* Drains the pending changes; returns how many of each kind. */
static void
drain(struct pr_table *t, size_t *adds, size_t *repl, size_t *dels)
{
	struct pr_op op;

	*adds = *repl = *dels = 0;
	while (ptab_next_op(t, &op))
		(*(op.kind == PR_OP_ADD            ? adds
			: op.kind == PR_OP_REPLACE ? repl
						   : dels))++;
}

/*
 * Next-hop sets and peers are shared by the routes that use them, and
 * go when the last route does; records are reused.
 */
static void
test_shared_records(void **state)
{
	struct fix *f = *state;
	struct pr_table *t = &f->t;
	uint8_t mem[PR_NHS_SIZE(8)] __attribute__((aligned(8)));
	struct pr_nhs *nh = (struct pr_nhs *)mem;
	const struct pr_route *r;
	struct pr_addr a;
	char pfx[32];
	size_t i, adds, repl, dels;
	const int n = 10000;

	ptab_snapshot_begin(t);
	for (i = 0; i < (size_t)n; i++) {
		snprintf(pfx, sizeof(pfx), "10.%zu.%zu.0/24", i / 256, i % 256);
		add(t, pfx, i % 2 ? "10.0.0.1,10.0.0.3" : "10.0.0.1");
	}
	ptab_snapshot_end(t);
	assert_int_equal(t->count, n);
	assert_int_equal(t->nhs_count, 2);
	assert_int_equal(npeers(t), 1);
	/* two routes with equal next hops hold one set */
	memset(&a, 0, sizeof(a));
	a.af = AF_INET;
	a.a[0] = 10;
	r = ptab_lookup(t, &a, 24);
	a.a[2] = 2;
	assert_ptr_equal(r->want, ptab_lookup(t, &a, 24)->want);

	/* a dump: ours, and one route the daemon does not want */
	ptab_kern_begin(t);
	memset(nh, 0, sizeof(mem));
	nh->n = 1;
	nh->nh[0].af = AF_INET;
	nh->nh[0].a[0] = 10;
	nh->nh[0].a[3] = 9;
	memset(&a, 0, sizeof(a));
	a.af = AF_INET;
	a.a[0] = 192;
	a.a[2] = 2;
	ptab_kern_route(t, &a, 24, nh);
	ptab_kern_end(t);
	assert_int_equal(t->nhs_count, 3);
	drain(t, &adds, &repl, &dels);
	assert_int_equal(adds, n);
	assert_int_equal(dels, 1);
	assert_int_equal(t->nhs_count, 2); /* the kernel shares the sets */
	assert_int_equal(t->count, n);

	/* every odd route moves to a third set, from another peer */
	for (i = 1; i < (size_t)n; i += 2) {
		snprintf(pfx, sizeof(pfx), "10.%zu.%zu.0/24", i / 256, i % 256);
		route(t, pfx, "10.0.0.4", "10.0.0.4", 45090, "45090");
	}
	assert_int_equal(t->nhs_count, 3); /* the old one, until sent */
	assert_int_equal(npeers(t), 2);
	drain(t, &adds, &repl, &dels);
	assert_int_equal(repl, n / 2);
	assert_int_equal(t->nhs_count, 2);

	/* all withdrawn: nothing left but the free records */
	ptab_withdraw_all(t);
	drain(t, &adds, &repl, &dels);
	assert_int_equal(dels, n);
	assert_int_equal(t->count, 0);
	assert_int_equal(t->nhs_count, 0);
	assert_int_equal(npeers(t), 0);
	assert_non_null(t->free);

	/* and used again */
	add(t, "198.51.100.0/24", "10.0.0.1");
	assert_string_equal(ops(t), "+198.51.100.0/24@10.0.0.1");
	assert_int_equal(t->count, 1);
	assert_int_equal(t->nhs_count, 1);
	assert_int_equal(npeers(t), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_snapshot_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_restart_reconciles_without_flap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_refused_by_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_withdraw_all, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_local_nexthop_skipped, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_local_cidr_overlap, setup, teardown),
		cmocka_unit_test(test_cidr_parse),
		cmocka_unit_test_setup_teardown(
		    test_transitive, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_peer_overlaps, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_json_mode, setup_json, teardown),
		cmocka_unit_test_setup_teardown(
		    test_json_file, setup_json, teardown),
		cmocka_unit_test_setup_teardown(
		    test_shared_records, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
