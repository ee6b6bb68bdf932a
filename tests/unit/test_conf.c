/*
 * test_conf.c: tests bgpd/conf.c and the commands of bgpd/conf_cmd.c
 * with whole config files.
 *
 * The reference configs of conf/ load and say what DESIGN.md says;
 * every refused value and every inconsistency is reported with its
 * exact "file:line: reason" and nothing is returned; a config using
 * every command prints as the expected canonical text; and printing,
 * reading back and printing again gives the same text, for every file
 * in conf/ too.  Test files are read from "$srcdir/conf".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <glob.h>
#include <unistd.h>

#include <cmocka.h>

#include "cmd.h"
#include "conf.h"

/* Loads text as "t.conf"; returns what was printed to errs (to free). */
static char *
load(const char *text, struct conf **out)
{
	char *errs = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&errs, &len);
	int rc;

	assert_non_null(f);
	rc = conf_load_string(text, "t.conf", out, f);
	fclose(f);
	if (rc == 0) {
		assert_non_null(*out);
		assert_string_equal(errs, "");
	} else {
		assert_int_equal(rc, -1);
		assert_null(*out);
		assert_true(len > 0);
	}
	return errs;
}

static struct conf *
load_ok(const char *text)
{
	struct conf *c = NULL;
	char *errs = load(text, &c);

	if (c == NULL)
		fail_msg("refused:\n%s", errs);
	free(errs);
	return c;
}

static char *
print(const struct conf *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	conf_print(c, f);
	fclose(f);
	return buf;
}

static char *
src_path(const char *rel)
{
	const char *srcdir = getenv("srcdir");
	char *p = NULL;

	if (asprintf(&p, "%s/%s", srcdir ? srcdir : ".", rel) < 0)
		abort();
	return p;
}

static struct conf_neighbor *
nbr(const struct conf *c, const char *addr)
{
	struct conf_addr a;

	assert_true(conf_addr_parse(addr, &a));
	return conf_neighbor_find(c, &a);
}

/* print -> load -> print gives the same text, and returns it. */
static char *
fixed_point(const struct conf *c)
{
	char *once = print(c), *twice;
	struct conf *again = load_ok(once);

	twice = print(again);
	assert_string_equal(once, twice);
	conf_free(again);
	free(twice);
	return once;
}

/* ---- the tree ---- */

static void
test_defaults(void **state)
{
	struct conf *c = conf_new();
	struct conf_neighbor *n4, *n6;
	struct conf_addr a4, a6;

	(void)state;
	assert_true(c->ebgp_requires_policy);
	assert_false(c->allow_martian_nexthop);
	assert_false(c->has_bgp);
	assert_int_equal(c->gr_restart_time, 120);
	assert_null(c->neighbors);
	assert_true(conf_addr_parse("10.0.0.1", &a4));
	assert_true(conf_addr_parse("2001:DB8:0::1", &a6));
	n4 = conf_neighbor_add(c, &a4, 4);
	n6 = conf_neighbor_add(c, &a6, 6);
	assert_ptr_equal(c->neighbors, n4);
	assert_ptr_equal(n4->next, n6);
	assert_string_equal(n4->name, "10.0.0.1");
	assert_string_equal(n6->name, "2001:db8::1");
	assert_int_equal(n4->line, 4);
	assert_int_equal(n4->port, 179);
	assert_int_equal(n4->connect_retry, 30);
	assert_int_equal(n4->remote_as, 0);
	assert_false(n4->timers_set);
	assert_int_equal(conf_neighbor_holdtime(n4), 90);
	assert_int_equal(conf_neighbor_keepalive(n4), 30);
	assert_int_equal(conf_neighbor_af(n4), CONF_AF_IPV4);
	assert_int_equal(conf_neighbor_af(n6), CONF_AF_IPV6);
	assert_ptr_equal(conf_neighbor_find(c, &a6), n6);
	conf_neighbor_del(c, n4);
	assert_ptr_equal(c->neighbors, n6);
	assert_null(conf_neighbor_find(c, &a4));
	conf_free(c);
	conf_free(NULL);
}

static void
test_addr(void **state)
{
	struct conf_addr a, b;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	assert_true(conf_addr_parse("192.0.2.1", &a));
	assert_int_equal(a.family, AF_INET);
	assert_string_equal(conf_addr_str(&a, buf, sizeof(buf)), "192.0.2.1");
	assert_true(conf_addr_parse("2001:0db8:0000::0001", &b));
	assert_int_equal(b.family, AF_INET6);
	assert_string_equal(conf_addr_str(&b, buf, sizeof(buf)), "2001:db8::1");
	assert_false(conf_addr_eq(&a, &b));
	assert_true(conf_addr_parse("2001:db8::1", &a));
	assert_true(conf_addr_eq(&a, &b));
	assert_false(conf_addr_parse("192.0.2.256", &a));
	assert_int_equal(a.family, 0);
	assert_false(conf_addr_parse("", &a));
	assert_false(conf_addr_parse("host.example", &a));
}

static void
test_timers_in_force(void **state)
{
	struct conf *c = load_ok("router bgp 65001\n"
				 " neighbor 10.0.0.1 remote-as 1\n"
				 " neighbor 10.0.0.1 timers 60 180\n"
				 " neighbor 10.0.0.2 remote-as 1\n"
				 " neighbor 10.0.0.2 timers 30 0\n"
				 " neighbor 10.0.0.3 remote-as 1\n"
				 " neighbor 10.0.0.3 timers 0 0\n"
				 " neighbor 10.0.0.4 remote-as 1\n"
				 " neighbor 10.0.0.4 timers 1 3\n");

	(void)state;
	assert_int_equal(conf_neighbor_holdtime(nbr(c, "10.0.0.1")), 180);
	assert_int_equal(conf_neighbor_keepalive(nbr(c, "10.0.0.1")), 60);
	/* Hold time 0: no KEEPALIVE at all (RFC 4271 §4.4). */
	assert_int_equal(conf_neighbor_holdtime(nbr(c, "10.0.0.2")), 0);
	assert_int_equal(conf_neighbor_keepalive(nbr(c, "10.0.0.2")), 0);
	assert_int_equal(conf_neighbor_keepalive(nbr(c, "10.0.0.3")), 0);
	assert_int_equal(conf_neighbor_holdtime(nbr(c, "10.0.0.4")), 3);
	assert_int_equal(conf_neighbor_keepalive(nbr(c, "10.0.0.4")), 1);
	conf_free(c);
}

/* ---- the reference configs ---- */

static struct conf *
load_file_ok(const char *rel)
{
	char *path = src_path(rel);
	struct conf *c = NULL;

	if (conf_load_file(path, &c, stderr) != 0)
		fail_msg("%s refused", path);
	free(path);
	return c;
}

static void
test_reference_scenario(void **state)
{
	struct conf *c = load_file_ok("conf/dxbgpd.conf");
	struct conf_neighbor *aws, *t1, *t3;
	struct in_addr id;

	(void)state;
	assert_true(c->has_bgp);
	assert_int_equal(c->asn, 62610);
	inet_pton(AF_INET, "10.0.0.2", &id);
	assert_int_equal(c->router_id, ntohl(id.s_addr));
	assert_true(c->ebgp_requires_policy);
	aws = nbr(c, "10.0.0.1");
	t1 = nbr(c, "10.0.2.1");
	t3 = nbr(c, "10.0.2.3");
	assert_non_null(aws);
	assert_non_null(t1);
	assert_non_null(t3);
	/* In the order of the file, and nothing else. */
	assert_ptr_equal(c->neighbors, aws);
	assert_ptr_equal(aws->next, t1);
	assert_ptr_equal(t1->next, t3);
	assert_null(t3->next);
	assert_int_equal(aws->remote_as, 64512);
	assert_string_equal(aws->description, "aws-dx-hk");
	assert_true(aws->password[0] != '\0');
	assert_int_equal(conf_neighbor_holdtime(aws), 90);
	assert_int_equal(conf_neighbor_keepalive(aws), 30);
	assert_int_equal(aws->ebgp_multihop, 0);
	assert_int_equal(aws->ttl_security_hops, 0);
	assert_int_equal(conf_neighbor_af(aws), CONF_AF_IPV4);
	for (struct conf_neighbor *t = t1; t != NULL; t = t->next) {
		assert_int_equal(t->remote_as, 45090);
		assert_true(t->password[0] != '\0');
		assert_int_equal(conf_neighbor_holdtime(t), 180);
		assert_int_equal(conf_neighbor_keepalive(t), 60);
	}
	conf_free(c);
}

static void
test_cloud_configs(void **state)
{
	struct conf *c;

	(void)state;
	c = load_file_ok("conf/aws.conf");
	assert_int_equal(nbr(c, "10.0.0.1")->remote_as, 64512);
	/* One family per session, as AWS wants. */
	assert_int_equal(conf_neighbor_af(nbr(c, "10.0.0.1")), CONF_AF_IPV4);
	assert_int_equal(
	    conf_neighbor_af(nbr(c, "2001:db8:5::1")), CONF_AF_IPV6);
	conf_free(c);
	c = load_file_ok("conf/tencent.conf");
	assert_int_equal(nbr(c, "10.0.2.1")->remote_as, 45090);
	assert_int_equal(nbr(c, "10.0.2.3")->remote_as, 45090);
	assert_int_equal(conf_neighbor_holdtime(nbr(c, "10.0.2.3")), 180);
	conf_free(c);
}

static void
test_conf_dir_fixed_point(void **state)
{
	char *pattern = src_path("conf/*.conf");
	glob_t g;

	(void)state;
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 3);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct conf *c = NULL;

		if (conf_load_file(g.gl_pathv[i], &c, stderr) != 0)
			fail_msg("%s refused", g.gl_pathv[i]);
		free(fixed_point(c));
		conf_free(c);
	}
	globfree(&g);
	free(pattern);
}

/* ---- every command, and the canonical text ---- */

static const char every_command[] =
    "! every command, in no particular order, abbreviated\n"
    "hostname old-name\n"
    "router bgp 64086.59905\n"
    " neighbor 10.0.0.1 remote-as 1\n"
    " neighbor 10.0.0.1 remote-as 0.64512\n"
    " nei 10.0.0.1 timers con 5\n"
    " neighbor 10.0.0.1 timers 10 30\n"
    " neighbor 10.0.0.1 port 1179\n"
    " neighbor 10.0.0.1 update-source 10.0.0.2\n"
    " neighbor 10.0.0.1 ebgp-multihop\n"
    " neighbor 10.0.0.1 passive\n"
    " neighbor 10.0.0.1 password s3cret key\n"
    " neighbor 10.0.0.1 shutdown message maintenance until 06:00 UTC\n"
    " neighbor 10.0.0.1 description \"  spaced, \\\"quoted\\\" \"\n"
    " neighbor 10.0.0.1 local-as 65010\n"
    " bgp graceful-restart restart-time 300\n"
    " bgp allow-martian-nexthop\n"
    " no bgp ebgp-requires-policy\n"
    " bgp router-id 192.0.2.1\n"
    " neighbor 2001:DB8::1 remote-as 64512\n"
    " neighbor 2001:db8:0::1 ttl-security hops 1\n"
    " neighbor 2001:db8::1 update-source 2001:db8::2\n"
    " address-family ipv6\n"
    "  neighbor 10.0.0.1 activate\n"
    " exit-address-family\n"
    " neighbor 10.0.0.5 remote-as 4200000001\n"
    " neighbor 10.0.0.5 shutdown\n"
    " neighbor 10.0.0.5 ebgp-multihop 2\n"
    " neighbor 10.0.0.5 timers 0 0\n"
    " neighbor 10.0.0.5 remove-private-AS\n"
    " neighbor 10.0.0.5 as-override\n"
    " neighbor 10.0.0.5 allowas-in\n"
    " neighbor 10.0.0.5 soft-reconfiguration inbound\n"
    " bgp always-compare-med\n"
    " bgp bestpath as-path multipath-relax\n"
    " bgp cluster-id 10.9.9.9\n"
    " address-family ipv4 unicast\n"
    "  no neighbor 10.0.0.5 activate\n"
    "  neighbor 2001:db8::1 activate\n"
    "  neighbor 2001:db8::1 next-hop-self\n"
    "  neighbor 2001:db8::1 route-reflector-client\n"
    "  maximum-paths 4\n"
    "  ! popping out of the address family into router bgp\n"
    " neighbor 10.0.0.9 remote-as 9\n"
    " no neighbor 10.0.0.9\n"
    "exit\n"
    "hostname edge-1\n"
    "end\n";

static const char every_command_printed[] =
    "hostname edge-1\n"
    "router bgp 4200000001\n"
    " bgp router-id 192.0.2.1\n"
    " no bgp ebgp-requires-policy\n"
    " bgp allow-martian-nexthop\n"
    " bgp graceful-restart restart-time 300\n"
    " bgp always-compare-med\n"
    " bgp bestpath as-path multipath-relax\n"
    " bgp cluster-id 10.9.9.9\n"
    " maximum-paths 4\n"
    " neighbor 10.0.0.1 remote-as 64512\n"
    " neighbor 10.0.0.1 local-as 65010\n"
    " neighbor 10.0.0.1 description \"  spaced, \\\"quoted\\\" \"\n"
    " neighbor 10.0.0.1 shutdown message maintenance until 06:00 UTC\n"
    " neighbor 10.0.0.1 password s3cret key\n"
    " neighbor 10.0.0.1 passive\n"
    " neighbor 10.0.0.1 ebgp-multihop\n"
    " neighbor 10.0.0.1 update-source 10.0.0.2\n"
    " neighbor 10.0.0.1 port 1179\n"
    " neighbor 10.0.0.1 timers 10 30\n"
    " neighbor 10.0.0.1 timers connect 5\n"
    " neighbor 2001:db8::1 remote-as 64512\n"
    " neighbor 2001:db8::1 ttl-security hops 1\n"
    " neighbor 2001:db8::1 update-source 2001:db8::2\n"
    " neighbor 2001:db8::1 next-hop-self\n"
    " neighbor 2001:db8::1 route-reflector-client\n"
    " neighbor 10.0.0.5 remote-as 4200000001\n"
    " neighbor 10.0.0.5 shutdown\n"
    " neighbor 10.0.0.5 ebgp-multihop 2\n"
    " neighbor 10.0.0.5 timers 0 0\n"
    " neighbor 10.0.0.5 remove-private-AS\n"
    " neighbor 10.0.0.5 as-override\n"
    " neighbor 10.0.0.5 allowas-in 3\n"
    " neighbor 10.0.0.5 soft-reconfiguration inbound\n"
    " address-family ipv4 unicast\n"
    "  neighbor 2001:db8::1 activate\n"
    "  no neighbor 10.0.0.5 activate\n"
    " exit-address-family\n"
    " address-family ipv6 unicast\n"
    "  neighbor 10.0.0.1 activate\n"
    " exit-address-family\n"
    "exit\n";

static void
test_every_command(void **state)
{
	struct conf *c = load_ok(every_command);
	struct conf_neighbor *n;
	char *text;

	(void)state;
	assert_string_equal(c->hostname, "edge-1");
	assert_int_equal(c->asn, 4200000001u);
	n = nbr(c, "10.0.0.1");
	assert_string_equal(n->description, "  spaced, \"quoted\" ");
	assert_string_equal(n->password, "s3cret key");
	assert_string_equal(n->shutdown_msg, "maintenance until 06:00 UTC");
	assert_int_equal(n->ebgp_multihop, 255);
	assert_int_equal(conf_neighbor_af(n), CONF_AF_IPV4 | CONF_AF_IPV6);
	assert_int_equal(conf_neighbor_af(nbr(c, "10.0.0.5")), 0);
	assert_int_equal(conf_neighbor_af(nbr(c, "2001:db8::1")),
	    CONF_AF_IPV4 | CONF_AF_IPV6);
	assert_null(nbr(c, "10.0.0.9"));
	text = fixed_point(c);
	assert_string_equal(text, every_command_printed);
	free(text);
	conf_free(c);
}

static void
test_no_forms_restore_defaults(void **state)
{
	struct conf *c = load_ok("hostname h\n"
				 "no hostname\n"
				 "router bgp 65001\n"
				 " bgp router-id 192.0.2.1\n"
				 " no bgp router-id\n"
				 " no bgp ebgp-requires-policy\n"
				 " bgp ebgp-requires-policy\n"
				 " bgp allow-martian-nexthop\n"
				 " no bgp allow-martian-nexthop\n"
				 " bgp graceful-restart restart-time 30\n"
				 " no bgp graceful-restart restart-time\n"
				 " neighbor 10.0.0.1 remote-as 64512\n"
				 " neighbor 10.0.0.1 local-as 65010\n"
				 " no neighbor 10.0.0.1 local-as\n"
				 " neighbor 10.0.0.1 description d\n"
				 " no neighbor 10.0.0.1 description d\n"
				 " neighbor 10.0.0.1 shutdown message m\n"
				 " no neighbor 10.0.0.1 shutdown\n"
				 " neighbor 10.0.0.1 password p\n"
				 " no neighbor 10.0.0.1 password\n"
				 " neighbor 10.0.0.1 passive\n"
				 " no neighbor 10.0.0.1 passive\n"
				 " neighbor 10.0.0.1 ebgp-multihop 3\n"
				 " no neighbor 10.0.0.1 ebgp-multihop\n"
				 " neighbor 10.0.0.1 ttl-security hops 2\n"
				 " no neighbor 10.0.0.1 ttl-security\n"
				 " neighbor 10.0.0.1 update-source 10.0.0.2\n"
				 " no neighbor 10.0.0.1 update-source\n"
				 " neighbor 10.0.0.1 port 1\n"
				 " no neighbor 10.0.0.1 port\n"
				 " neighbor 10.0.0.1 timers 1 3\n"
				 " no neighbor 10.0.0.1 timers\n"
				 " neighbor 10.0.0.1 timers connect 1\n"
				 " no neighbor 10.0.0.1 timers connect\n"
				 " address-family ipv4\n"
				 "  no neighbor 10.0.0.1 activate\n"
				 "  neighbor 10.0.0.1 activate\n"
				 " exit-address-family\n"
				 " address-family ipv6\n"
				 "  neighbor 10.0.0.1 activate\n"
				 "  no neighbor 10.0.0.1 activate\n"
				 " exit-address-family\n"
				 " neighbor 10.0.0.2 remote-as 1\n"
				 " no neighbor 10.0.0.2 remote-as\n"
				 " neighbor 10.0.0.3 remote-as 1\n"
				 " no neighbor 10.0.0.3\n");
	struct conf_neighbor *n = nbr(c, "10.0.0.1");
	char *text;

	(void)state;
	assert_false(n->af_explicit);
	assert_false(n->timers_set);
	assert_false(n->shutdown);
	assert_string_equal(n->shutdown_msg, "");
	assert_null(nbr(c, "10.0.0.2"));
	assert_null(nbr(c, "10.0.0.3"));
	text = print(c);
	assert_string_equal(text,
	    "router bgp 65001\n"
	    " neighbor 10.0.0.1 remote-as 64512\n"
	    "exit\n");
	free(text);
	conf_free(c);

	/* no router bgp removes the whole block. */
	c = load_ok("router bgp 65001\n"
		    " neighbor 10.0.0.1 remote-as 64512\n"
		    "no router bgp 65001\n"
		    "router bgp 65002\n"
		    "no router bgp\n");
	assert_false(c->has_bgp);
	assert_null(c->neighbors);
	text = print(c);
	assert_string_equal(text, "");
	free(text);
	conf_free(c);
}

static void
test_valid_corners(void **state)
{
	struct conf *c;
	char key[81];

	(void)state;
	/* An empty file, comments only, FRR's trailing "end". */
	c = load_ok("");
	assert_false(c->has_bgp);
	conf_free(c);
	c = load_ok("! nothing\n# at all\n\n   \nend\n");
	conf_free(c);
	/* A neighbor defined twice is one neighbor, updated. */
	c = load_ok("router bgp 65001\n"
		    " neighbor 10.0.0.1 remote-as 1\n"
		    "exit\n"
		    "router bgp 65001\n"
		    " neighbor 10.0.0.1 remote-as 2\n"
		    " neighbor 10.0.0.1 remote-as 2\n");
	assert_int_equal(c->neighbors->remote_as, 2);
	assert_null(c->neighbors->next);
	assert_int_equal(c->neighbors->line, 2);
	assert_int_equal(c->bgp_line, 1);
	conf_free(c);
	/* An 80-byte key is the longest. */
	memset(key, 'k', 80);
	key[80] = '\0';
	{
		char text[256];

		snprintf(text, sizeof(text),
		    "router bgp 65001\n"
		    " neighbor 10.0.0.1 remote-as 1\n"
		    " neighbor 10.0.0.1 password %s\n",
		    key);
		c = load_ok(text);
		assert_string_equal(c->neighbors->password, key);
		conf_free(c);
	}
	/* Options that exclude each other, one removed in time. */
	c = load_ok("router bgp 65001\n"
		    " neighbor 10.0.0.1 remote-as 1\n"
		    " neighbor 10.0.0.1 ebgp-multihop\n"
		    " no neighbor 10.0.0.1 ebgp-multihop\n"
		    " neighbor 10.0.0.1 ttl-security hops 1\n");
	conf_free(c);
	/* The neighbor commands in any order: remote-as may come last. */
	c = load_ok("router bgp 65001\n"
		    " neighbor 10.0.0.1 description first\n"
		    " neighbor 10.0.0.1 remote-as 1\n");
	assert_int_equal(c->neighbors->line, 2);
	conf_free(c);
	/* CRLF line ends and indentation do not matter. */
	c = load_ok("router bgp 65001\r\n"
		    "neighbor 10.0.0.1 remote-as 1\r\n"
		    "\t\tneighbor 10.0.0.1 description d\r\n");
	assert_string_equal(c->neighbors->description, "d");
	conf_free(c);
}

/* ---- errors ---- */

static const struct {
	const char *text, *errs;
} bad_configs[] = {
	/* Neighbors. */
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 description x\n",
	    "t.conf:2: neighbor 10.0.0.1 has no remote-as\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 0\n",
	    "t.conf:2: invalid ASN '0': AS 0 is reserved (RFC 7607)\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 23456\n",
	    "t.conf:2: AS 23456 is AS_TRANS (RFC 6793) and cannot be a peer's "
	    "AS\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 64512x\n",
	    "t.conf:2: invalid ASN '64512x'\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 password "
	  "123456789012345678901234567890123456789012345678901234567890"
	  "123456789012345678901\n",
	    "t.conf:3: password longer than 80 bytes (the TCP MD5 key "
	    "limit)\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 timers 30 1\n",
	    "t.conf:3: hold time 1 is not allowed: 0 or 3-65535 (RFC 4271 "
	    "section 4.2)\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 timers 1 2\n",
	    "t.conf:3: hold time 2 is not allowed: 0 or 3-65535 (RFC 4271 "
	    "section 4.2)\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 timers 90 90\n",
	    "t.conf:3: keepalive 90 must be less than hold time 90\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 timers 0 90\n",
	    "t.conf:3: keepalive 0 with hold time 90: the peer would hear "
	    "nothing and drop the session\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 timers 30 70000\n",
	    "t.conf:3: value 70000 out of range 0-65535\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 ttl-security hops 1\n"
	  " neighbor 10.0.0.1 ebgp-multihop 2\n",
	    "t.conf:2: neighbor 10.0.0.1: ttl-security and ebgp-multihop "
	    "cannot be used together\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 ebgp-multihop\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 ttl-security hops 1\n",
	    "t.conf:2: neighbor 10.0.0.1: ttl-security and ebgp-multihop "
	    "cannot be used together\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 ttl-security hops 255\n",
	    "t.conf:3: value 255 out of range 1-254\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 ebgp-multihop 0\n",
	    "t.conf:3: value 0 out of range 1-255\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 update-source 2001:db8::2\n",
	    "t.conf:3: update-source 2001:db8::2 is not an IPv4 address\n" },
	{ "router bgp 65001\n"
	  " neighbor 2001:db8::1 remote-as 1\n"
	  " neighbor 2001:db8::1 update-source 10.0.0.2\n",
	    "t.conf:3: update-source 10.0.0.2 is not an IPv6 address\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 local-as 65001\n",
	    "t.conf:2: neighbor 10.0.0.1: local-as 65001 is the router's own "
	    "AS\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 65001\n"
	  " neighbor 10.0.0.1 local-as 65002\n",
	    "t.conf:2: neighbor 10.0.0.1: local-as is for eBGP neighbors "
	    "only\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 local-as 23456\n",
	    "t.conf:3: AS 23456 is AS_TRANS (RFC 6793) and cannot be our AS\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 description "
	  "1234567890123456789012345678901234567890123456789012345678901234"
	  "5678901234567890123456789012345678901234567890123456789012345678"
	  "\n",
	    "t.conf:3: description longer than 127 bytes\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 shutdown message "
	  "1234567890123456789012345678901234567890123456789012345678901234"
	  "1234567890123456789012345678901234567890123456789012345678901234"
	  "1234567890123456789012345678901234567890123456789012345678901234"
	  "1234567890123456789012345678901234567890123456789012345678901234"
	  "\n",
	    "t.conf:3: shutdown message longer than 255 bytes\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 description \"unterminated\n",
	    "t.conf:3: unterminated quoted string\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " neighbor 10.0.0.1 port 0\n",
	    "t.conf:3: value 0 out of range 1-65535\n" },
	{ "router bgp 65001\n"
	  " address-family ipv4 unicast\n"
	  "  neighbor 10.0.0.9 activate\n",
	    "t.conf:3: neighbor 10.0.0.9 is not configured\n" },
	{ "router bgp 65001\n"
	  " no neighbor 10.0.0.9\n",
	    "t.conf:2: neighbor 10.0.0.9 is not configured\n" },
	{ "router bgp 65001\n"
	  " no neighbor 10.0.0.9 passive\n",
	    "t.conf:2: neighbor 10.0.0.9 is not configured\n" },
	{ "neighbor 10.0.0.1 remote-as 1\n",
	    "t.conf:1: unknown command 'neighbor'\n" },
	/* Our AS. */
	{ "router bgp 0\n",
	    "t.conf:1: invalid ASN '0': AS 0 is reserved (RFC "
	    "7607)\n" },
	{ "router bgp 23456\n",
	    "t.conf:1: AS 23456 is AS_TRANS (RFC 6793) and cannot be our AS\n" },
	{ "router bgp 0.23456\n",
	    "t.conf:1: AS 23456 is AS_TRANS (RFC 6793) and cannot be our AS\n" },
	{ "router bgp 65535\n",
	    "t.conf:1: AS 65535 is reserved (RFC 7300) and cannot be our AS\n" },
	{ "router bgp 4294967295\n",
	    "t.conf:1: AS 4294967295 is reserved (RFC 7300) and cannot be our "
	    "AS\n" },
	{ "router bgp 4294967296\n", "t.conf:1: invalid ASN '4294967296'\n" },
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  "router bgp 65002\n"
	  " neighbor 10.0.0.2 remote-as 2\n",
	    "t.conf:3: BGP is already configured with AS 65001\n" },
	{ "router bgp 65001\n"
	  "no router bgp 65002\n",
	    "t.conf:2: BGP is configured with AS 65001, not 65002\n" },
	{ "no router bgp\n", "t.conf:1: router bgp is not configured\n" },
	/* The rest of router bgp. */
	{ "router bgp 65001\n"
	  " bgp router-id 0.0.0.0\n",
	    "t.conf:2: router-id 0.0.0.0 is not allowed (RFC 6286)\n" },
	{ "router bgp 65001\n"
	  " bgp router-id 2001:db8::1\n",
	    "t.conf:2: invalid IPv4 address '2001:db8::1'\n" },
	{ "router bgp 65001\n"
	  " bgp graceful-restart restart-time 4096\n",
	    "t.conf:2: value 4096 out of range 0-4095\n" },
	{ "hostname "
	  "1234567890123456789012345678901234567890123456789012345678901234"
	  "\n",
	    "t.conf:1: hostname longer than 63 bytes\n" },
	{ "hostname a b\n", "t.conf:1: unknown command at 'b'\n" },
	{ "router bgp 65001\n"
	  " address-family ipv4 multicast\n",
	    "t.conf:2: unknown command at 'multicast'\n" },
	/* Every error of a file, in order, blank and comment lines
	 * counted, CRLF or not. */
	{ "! header\n"
	  "\n"
	  "router bgp 65001\r\n"
	  " neighbor 10.0.0.1 remote-az 1\r\n"
	  " ! fine\n"
	  " neighbor 10.0.0.1 timers 70000 90\n"
	  " neighbor 10.0.0.1 remote-as 1\n"
	  " nonsense\n"
	  " neighbor 10.0.0.1 pa\n"
	  " neighbor 10.0.0.1\n",
	    "t.conf:4: unknown command at 'remote-az'\n"
	    "t.conf:6: value 70000 out of range 0-65535\n"
	    "t.conf:8: unknown command 'nonsense'\n"
	    "t.conf:9: ambiguous command at 'pa' (passive, password)\n"
	    "t.conf:10: incomplete command after '10.0.0.1'\n" },
	/* A refused router bgp does not turn its block into noise, and
	 * the checks of the whole tree wait for a file that parses. */
	{ "router bgp 23456\n"
	  " bgp router-id 10.0.0.1\n"
	  " neighbor 10.0.0.1 description no remote-as\n"
	  " neighbor 10.0.0.1 bogus\n"
	  " address-family ipv4\n"
	  "  neighbor 10.0.0.1 activate\n"
	  " exit-address-family\n",
	    "t.conf:1: AS 23456 is AS_TRANS (RFC 6793) and cannot be our AS\n"
	    "t.conf:4: unknown command at 'bogus'\n" },
	/* The checks of the whole tree, each at its neighbor's line. */
	{ "router bgp 65001\n"
	  " neighbor 10.0.0.1 description one\n"
	  " neighbor 10.0.0.2 remote-as 2\n"
	  " neighbor 10.0.0.2 ttl-security hops 1\n"
	  " neighbor 10.0.0.3 passive\n"
	  " neighbor 10.0.0.2 ebgp-multihop\n",
	    "t.conf:2: neighbor 10.0.0.1 has no remote-as\n"
	    "t.conf:3: neighbor 10.0.0.2: ttl-security and ebgp-multihop "
	    "cannot be used together\n"
	    "t.conf:5: neighbor 10.0.0.3 has no remote-as\n" },
};

static void
test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_configs) / sizeof(bad_configs[0]);
	     i++) {
		struct conf *c = (struct conf *)&c; /* must become NULL */
		char *errs = load(bad_configs[i].text, &c);

		if (strcmp(errs, bad_configs[i].errs) != 0)
			fail_msg("config %zu:\n%s\nwant:\n%s\ngot:\n%s", i,
			    bad_configs[i].text, bad_configs[i].errs, errs);
		free(errs);
	}
}

/* The key is printed by conf_print, and nowhere else. */
static void
test_password_never_in_errors(void **state)
{
	static const char *texts[] = {
		"router bgp 65001\n"
		" neighbor 10.0.0.1 password SECRETKEY-SECRETKEY-SECRETKEY-"
		"SECRETKEY-SECRETKEY-SECRETKEY-SECRETKEY-SECRETKEY-SECRETKEY\n",
		"router bgp 65001\n"
		" neighbor 10.0.0.1 password SECRETKEY\n",
		"router bgp 65001\n"
		" neighbor 10.0.0.1 remote-as 1\n"
		" neighbor 10.0.0.1 password \"SECRETKEY\n",
		"router bgp 65001\n"
		" neighbor 10.0.0.1 remote-as 1\n"
		" neighbor 10.0.0.1 password \"SECRETKEY\" SECRETKEY\n",
		"router bgp 65001\n"
		" neighbor 10.0.0.1 remote-as 1\n"
		" neighbor 10.0.0.1 password \"\"\n",
		"router bgp 65001\n"
		" neighbor 10.0.0.1 remote-as 1\n"
		" neighbor 10.0.0.1 password SECRETKEY\n"
		" neighbor 10.0.0.1 timers 1 1\n",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct conf *c;
		char *errs = load(texts[i], &c);

		assert_null(strstr(errs, "SECRETKEY"));
		free(errs);
	}
}

static void
test_conf_check(void **state)
{
	struct conf *c = conf_new();
	struct conf_neighbor *n;
	struct conf_addr a;
	char *errs = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&errs, &len);

	(void)state;
	/* A tree the parser would never build, as the shell might. */
	c->has_bgp = true;
	c->asn = 65535;
	c->bgp_line = 7;
	conf_addr_parse("10.0.0.1", &a);
	n = conf_neighbor_add(c, &a, 3);
	n->remote_as = 23456;
	n->local_as = 4294967295u;
	n->timers_set = true;
	n->keepalive = 30;
	n->holdtime = 2;
	conf_addr_parse("2001:db8::2", &n->update_source);
	assert_int_equal(conf_check(c, "shell", f), 5);
	fclose(f);
	assert_string_equal(errs,
	    "shell:7: router bgp: AS 65535 is reserved (RFC 7300) and "
	    "cannot be our AS\n"
	    "shell:3: neighbor 10.0.0.1: AS 23456 is AS_TRANS (RFC 6793) and "
	    "cannot be a peer's AS\n"
	    "shell:3: neighbor 10.0.0.1: AS 4294967295 is reserved (RFC 7300) "
	    "and cannot be our AS\n"
	    "shell:3: neighbor 10.0.0.1: hold time 2 is not allowed: 0 or "
	    "3-65535 (RFC 4271 section 4.2)\n"
	    "shell:3: neighbor 10.0.0.1: update-source 2001:db8::2 is not an "
	    "IPv4 address\n");
	free(errs);
	/* No stream: only the count. */
	assert_int_equal(conf_check(c, "shell", NULL), 5);
	c->asn = 65001;
	n->remote_as = 64512;
	n->local_as = 0;
	n->holdtime = 90;
	memset(&n->update_source, 0, sizeof(n->update_source));
	assert_int_equal(conf_check(c, "shell", NULL), 0);
	conf_free(c);
}

static void
test_files(void **state)
{
	char path[] = "/tmp/test_conf.XXXXXX";
	static const char text[] = "router bgp 65001\n"
				   " neighbor 10.0.0.1 remote-as 1\n"
				   " neighbor 10.0.0.1 desc\0ription x\n";
	struct conf *c = (struct conf *)&c;
	char *errs = NULL;
	size_t len = 0;
	FILE *f;
	int fd;

	(void)state;
	f = open_memstream(&errs, &len);
	assert_int_equal(conf_load_file("/nonexistent/dxbgpd.conf", &c, f), -1);
	fclose(f);
	assert_null(c);
	assert_string_equal(
	    errs, "/nonexistent/dxbgpd.conf: No such file or directory\n");
	free(errs);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(
	    write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	f = open_memstream(&errs, &len);
	assert_int_equal(conf_load_file(path, &c, f), -1);
	fclose(f);
	assert_null(c);
	{
		char want[128];

		snprintf(want, sizeof(want), "%s:3: NUL byte in line\n", path);
		assert_string_equal(errs, want);
	}
	free(errs);
	unlink(path);
}

static void
test_complete_config_commands(void **state)
{
	struct conf *c = conf_new();
	struct cmd_state st;
	struct cmd_choice ch[32];
	char got[512];
	size_t o = 0;
	int n;

	(void)state;
	conf_cmd_register();
	cmd_state_init(&st, CMD_MODE_CONFIG, c);
	assert_int_equal(cmd_exec(&st, "router bgp 65001"), 0);
	n = cmd_complete(&st, "neighbor 10.0.0.1 p", ch, 32);
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(
		    got + o, sizeof(got) - o, "%s ", ch[i].word);
	assert_string_equal(got, "passive password port prefix-list profile ");
	n = cmd_complete(&st, "bgp ", ch, 32);
	assert_int_equal(n, 7);
	assert_string_equal(ch[0].word, "allow-martian-nexthop");
	assert_string_equal(ch[1].word, "always-compare-med");
	assert_string_equal(ch[4].word, "ebgp-requires-policy");
	assert_string_equal(ch[4].help,
	    "Exchange no routes with eBGP peers "
	    "that have no policy (RFC 8212)");
	conf_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_timers_in_force),
		cmocka_unit_test(test_reference_scenario),
		cmocka_unit_test(test_cloud_configs),
		cmocka_unit_test(test_conf_dir_fixed_point),
		cmocka_unit_test(test_every_command),
		cmocka_unit_test(test_no_forms_restore_defaults),
		cmocka_unit_test(test_valid_corners),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_password_never_in_errors),
		cmocka_unit_test(test_conf_check),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_complete_config_commands),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	cmd_reset();
	return rc;
}
