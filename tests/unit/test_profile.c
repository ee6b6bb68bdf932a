/*
 * test_profile.c: tests bgpd/profile.c (provider profiles, their
 * checks and warnings, the HA presets) and the outbound cap it asks of
 * the RIB (rib/adjout.c, rib_out_cap).
 *
 * Each rule of profile_check is a config that is refused with its
 * exact "t.conf:LINE: reason"; each warning of profile_warn a config
 * that loads and warns with its exact text; the presets are pure
 * functions over an attribute key; the cap is driven through a RIB
 * with a few local routes, counting what goes out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>

#include <cmocka.h>

#include <dxbgp/bgp.h>
#include <dxbgp/bytes.h>
#include <dxbgp/rib.h>

#include "cmd.h"
#include "conf.h"
#include "conf_diff.h"
#include "policy_int.h"
#include "profile.h"

/* Loads text as "t.conf": the tree or NULL; *msgs what was printed. */
static struct conf *
load(const char *text, char **msgs)
{
	struct conf *c = NULL;
	size_t len = 0;
	FILE *f = open_memstream(msgs, &len);

	assert_non_null(f);
	if (conf_load_string(text, "t.conf", &c, f) == 0)
		conf_warn(c, "t.conf", f);
	fclose(f);
	return c;
}

/* text is refused with exactly errs. */
static void
refused(const char *text, const char *errs)
{
	char *msgs;
	struct conf *c = load(text, &msgs);

	assert_null(c);
	assert_string_equal(msgs, errs);
	free(msgs);
}

/* text loads, with exactly warns as its warnings. */
static struct conf *
loads(const char *text, const char *warns)
{
	char *msgs;
	struct conf *c = load(text, &msgs);

	if (c == NULL)
		fail_msg("refused:\n%s", msgs);
	assert_string_equal(msgs, warns);
	free(msgs);
	return c;
}

#define AWS_OK                                                                 \
	"router bgp 65000\n"                                                   \
	" neighbor 10.0.0.1 profile aws\n"                                     \
	" neighbor 10.0.0.1 password s3cret-key\n"                             \
	" address-family ipv4 unicast\n"                                       \
	"  neighbor 10.0.0.1 prefix-list OURS out\n"                           \
	" exit-address-family\n"                                               \
	"exit\n"                                                               \
	"ip prefix-list OURS seq 5 permit 192.168.10.0/24\n"

static void
test_names(void **state)
{
	(void)state;
	assert_int_equal(profile_by_name("aws"), PROFILE_AWS);
	assert_int_equal(profile_by_name("tencent"), PROFILE_TENCENT);
	assert_int_equal(profile_by_name("carrier"), PROFILE_CARRIER);
	assert_int_equal(profile_by_name("azure"), -1);
	assert_null(profile_get(PROFILE_NONE));
	assert_int_equal(profile_get(PROFILE_AWS)->asn, 64512);
	assert_int_equal(profile_get(PROFILE_TENCENT)->asn, 45090);
	assert_int_equal(profile_get(PROFILE_CARRIER)->asn, 62610);
	assert_string_equal(profile_ha_name(PROFILE_HA_PRIMARY), "primary");
	assert_string_equal(profile_ha_name(PROFILE_HA_BACKUP), "backup");
	assert_null(profile_ha_name(PROFILE_HA_NONE));
}

/* The cloud's AS unless remote-as says otherwise, in either order. */
static void
test_remote_as(void **state)
{
	struct conf *c;

	(void)state;
	c = loads(AWS_OK, "");
	assert_int_equal(c->neighbors->remote_as, 64512);
	assert_int_equal(c->neighbors->profile, PROFILE_AWS);
	conf_free(c);
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.0.1 remote-as 64600\n"
		  " neighbor 10.0.0.1 profile aws\n"
		  " neighbor 10.0.0.1 password s3cret-key\n"
		  " neighbor 10.0.0.2 profile aws\n"
		  " neighbor 10.0.0.2 remote-as 4200000001\n"
		  " neighbor 10.0.0.2 password s3cret-key\n",
	    "");
	assert_int_equal(c->neighbors->remote_as, 64600);
	assert_int_equal(c->neighbors->next->remote_as, 4200000001u);
	conf_free(c);
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password abcdef\n"
		  " neighbor 10.0.3.1 profile carrier\n",
	    "");
	assert_int_equal(c->neighbors->remote_as, 45090);
	assert_int_equal(c->neighbors->next->remote_as, 62610);
	conf_free(c);
}

/* What a profile puts in force where the neighbor sets nothing. */
static void
test_defaults(void **state)
{
	struct conf *c;
	struct conf_neighbor *aws, *tc, *plain;
	uint16_t ms;
	uint8_t mult;

	(void)state;
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.0.1 profile aws\n"
		  " neighbor 10.0.0.1 password s3cret-key\n"
		  " neighbor 10.0.0.1 bfd\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password abcdef\n"
		  " neighbor 10.0.2.1 bfd\n"
		  " neighbor 10.0.9.1 remote-as 65009\n"
		  " neighbor 10.0.9.1 bfd\n",
	    "");
	aws = c->neighbors;
	tc = aws->next;
	plain = tc->next;
	assert_int_equal(conf_neighbor_holdtime(aws), 90);
	assert_int_equal(conf_neighbor_keepalive(aws), 30);
	assert_int_equal(conf_neighbor_holdtime(tc), 180);
	assert_int_equal(conf_neighbor_keepalive(tc), 60);
	conf_neighbor_bfd(aws, &ms, &mult);
	assert_int_equal(ms, 300);
	assert_int_equal(mult, 3);
	conf_neighbor_bfd(tc, &ms, &mult);
	assert_int_equal(ms, 1000);
	assert_int_equal(mult, 3);
	conf_neighbor_bfd(plain, &ms, &mult);
	assert_int_equal(ms, CONF_BFD_INTERVAL_DEFAULT);
	/* AWS advises against GR with BFD; others keep it. */
	assert_false(conf_neighbor_gr(aws));
	assert_true(conf_neighbor_gr(tc));
	assert_true(conf_neighbor_gr(plain));
	aws->bfd = false;
	assert_true(conf_neighbor_gr(aws));
	assert_int_equal(profile_out_max(aws), 100);
	assert_int_equal(profile_out_max(tc), 0);
	assert_int_equal(profile_out_max(plain), 0);
	conf_free(c);
	/* Explicit values win. */
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password abcdef\n"
		  " neighbor 10.0.2.1 timers 60 180\n"
		  " neighbor 10.0.2.1 bfd interval 2000 multiplier 5\n"
		  " neighbor 10.0.2.1 export-limit 50\n",
	    "");
	conf_neighbor_bfd(c->neighbors, &ms, &mult);
	assert_int_equal(ms, 2000);
	assert_int_equal(mult, 5);
	assert_int_equal(profile_out_max(c->neighbors), 50);
	conf_free(c);
}

/* Printed back as typed, and read back to the same text. */
static void
test_print(void **state)
{
	const char *text = "router bgp 65000\n"
			   " neighbor 10.0.0.1 remote-as 64512\n"
			   " neighbor 10.0.0.1 profile aws\n"
			   " neighbor 10.0.0.1 ha primary\n"
			   " neighbor 10.0.0.1 export-limit 200\n"
			   " neighbor 10.0.0.1 password s3cret-key\n"
			   "exit\n";
	struct conf *c;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	c = loads(text,
	    "t.conf:3: warning: neighbor 10.0.0.1: ha primary, "
	    "but no backup neighbor of profile aws forms the "
	    "pair with it\n");
	f = open_memstream(&out, &len);
	conf_print(c, f);
	fclose(f);
	assert_string_equal(out, text);
	free(out);
	conf_free(c);
	/* The "no" forms. */
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.0.1 profile aws\n"
		  " neighbor 10.0.0.1 ha backup\n"
		  " neighbor 10.0.0.1 export-limit 200\n"
		  " no neighbor 10.0.0.1 profile\n"
		  " no neighbor 10.0.0.1 ha\n"
		  " no neighbor 10.0.0.1 export-limit\n",
	    "");
	assert_int_equal(c->neighbors->profile, PROFILE_NONE);
	assert_int_equal(c->neighbors->ha, PROFILE_HA_NONE);
	assert_int_equal(c->neighbors->max_prefix_out, 0);
	assert_int_equal(c->neighbors->remote_as, 64512);
	conf_free(c);
}

static void
test_aws_errors(void **state)
{
	struct conf *c;

	(void)state;
	refused("router bgp 65000\n"
		" neighbor 10.0.0.1 profile aws\n",
	    "t.conf:2: neighbor 10.0.0.1: AWS requires TCP MD5: set neighbor "
	    "10.0.0.1 password (6-80 characters)\n");
	refused("router bgp 65000\n"
		" neighbor 10.0.0.1 password short\n"
		" neighbor 10.0.0.1 profile aws\n",
	    "t.conf:3: neighbor 10.0.0.1: AWS takes an MD5 key of 6-80 "
	    "characters, this one has 5\n");
	refused("router bgp 65000\n"
		" neighbor 10.0.0.1 profile aws\n"
		" neighbor 10.0.0.1 password s3cret-key\n"
		" neighbor 10.0.0.1 ebgp-multihop 2\n",
	    "t.conf:2: neighbor 10.0.0.1: AWS peers are single-hop with TTL "
	    "1 and do not support multihop BGP: remove ebgp-multihop\n");
	refused("router bgp 65000\n"
		" neighbor 10.0.0.1 profile aws\n"
		" neighbor 10.0.0.1 password s3cret-key\n"
		" neighbor 10.0.0.1 ttl-security hops 1\n",
	    "t.conf:2: neighbor 10.0.0.1: AWS sends TTL 1, so ttl-security "
	    "(GTSM) would drop its packets: remove it\n");
	refused("router bgp 65000\n"
		" neighbor 10.0.0.1 profile aws\n"
		" neighbor 10.0.0.1 password s3cret-key\n"
		" neighbor 10.0.0.1 timers 0 0\n",
	    "t.conf:2: neighbor 10.0.0.1: AWS does not support hold time 0: "
	    "use 3-65535 (90 is its default)\n");
	refused("router bgp 65000\n"
		" neighbor 10.0.0.1 profile aws\n"
		" neighbor 10.0.0.1 password s3cret-key\n"
		" address-family ipv6 unicast\n"
		"  neighbor 10.0.0.1 activate\n",
	    "t.conf:2: neighbor 10.0.0.1: AWS runs one session per address "
	    "family, without multiprotocol BGP: activate only the family of "
	    "the neighbor's address, and add a neighbor for the other\n");
	refused("router bgp 65000\n"
		" neighbor 10.0.0.1 profile aws\n"
		" neighbor 10.0.0.1 password s3cret-key\n"
		" neighbor 10.0.0.1 export-limit 1001\n",
	    "t.conf:2: neighbor 10.0.0.1: export-limit 1001: AWS "
	    "allows a virtual interface at most 1000 prefixes per family\n");
	refused("router bgp 64512\n"
		" neighbor 10.0.0.1 profile aws\n"
		" neighbor 10.0.0.1 password s3cret-key\n",
	    "t.conf:2: neighbor 10.0.0.1: our AS 64512 is also AWS's: the "
	    "session would be internal BGP, which AWS does not run; use "
	    "another AS (router bgp, or neighbor 10.0.0.1 local-as)\n");
	/* An 80-character key is the most AWS and Linux take. */
	c = loads(
	    "router bgp 65000\n"
	    " neighbor 10.0.0.1 profile aws\n"
	    " neighbor 10.0.0.1 password "
	    "12345678901234567890123456789012345678901234567890123456789012345"
	    "678901234567890\n",
	    "");
	conf_free(c);
}

static void
test_tencent_errors(void **state)
{
	char buf[CMD_ERR_MAX];

	(void)state;
	refused("router bgp 65000\n"
		" neighbor 10.0.2.1 profile tencent\n"
		" neighbor 10.0.2.1 password a+b\n",
	    "t.conf:2: neighbor 10.0.2.1: Tencent refuses the character + in "
	    "a BGP key (none of ? & space \" \\ +)\n");
	refused("router bgp 65000\n"
		" neighbor 10.0.2.1 profile tencent\n"
		" neighbor 10.0.2.1 password \"a b\"\n",
	    "t.conf:2: neighbor 10.0.2.1: Tencent refuses the character ' ' "
	    "in a BGP key (none of ? & space \" \\ +)\n");
	for (const char *k = "?& \"\\+"; *k != '\0'; k++) {
		char key[8] = { 'a', *k, 'b', 0 };

		assert_non_null(profile_key_refused(
		    PROFILE_TENCENT, key, buf, sizeof(buf)));
	}
	assert_null(
	    profile_key_refused(PROFILE_TENCENT, "tencent", buf, sizeof(buf)));
	refused("router bgp 139341\n"
		" neighbor 10.0.2.1 profile tencent\n"
		" neighbor 10.0.2.1 password tencent\n",
	    "t.conf:2: neighbor 10.0.2.1: AS 139341 is Tencent's own and "
	    "cannot be the customer's\n");
	refused("router bgp 45090\n"
		" neighbor 10.0.2.1 profile tencent\n"
		" neighbor 10.0.2.1 password tencent\n",
	    "t.conf:2: neighbor 10.0.2.1: our AS 45090 is also Tencent's: "
	    "the session would be internal BGP, which Tencent does not run; "
	    "use another AS (router bgp, or neighbor 10.0.2.1 local-as)\n");
}

/* The aggregates Tencent refuses, at the network's line, with a split. */
static void
test_tencent_networks(void **state)
{
	static const char *const split[][3] = {
		{ "9.0.0.0/8", "9.0.0.0/9", "9.128.0.0/9" },
		{ "10.0.0.0/8", "10.0.0.0/9", "10.128.0.0/9" },
		{ "11.0.0.0/8", "11.0.0.0/9", "11.128.0.0/9" },
		{ "30.0.0.0/8", "30.0.0.0/9", "30.128.0.0/9" },
		{ "100.64.0.0/10", "100.64.0.0/11", "100.96.0.0/11" },
		{ "131.87.0.0/16", "131.87.0.0/17", "131.87.128.0/17" },
		{ "172.16.0.0/12", "172.16.0.0/13", "172.24.0.0/13" },
		{ "192.168.0.0/16", "192.168.0.0/17", "192.168.128.0/17" },
	};
	struct rib_prefix p;
	char buf[200], want[200];
	struct conf *c;

	(void)state;
	for (size_t i = 0; i < sizeof(split) / sizeof(split[0]); i++) {
		assert_true(pol_prefix_parse(split[i][0], &p));
		assert_true(profile_tencent_refuses(&p, buf, sizeof(buf)));
		snprintf(want, sizeof(want),
		    "%s is refused by Tencent: announce %s and %s instead",
		    split[i][0], split[i][1], split[i][2]);
		assert_string_equal(buf, want);
		/* Its halves go through. */
		assert_true(pol_prefix_parse(split[i][1], &p));
		assert_false(profile_tencent_refuses(&p, NULL, 0));
	}
	refused("router bgp 65000\n"
		" neighbor 10.0.2.1 profile tencent\n"
		" neighbor 10.0.2.1 password tencent\n"
		" address-family ipv4 unicast\n"
		"  network 10.0.0.0/8\n"
		"  network 10.20.0.0/16\n",
	    "t.conf:5: network toward neighbor 10.0.2.1: 10.0.0.0/8 is "
	    "refused by Tencent: announce 10.0.0.0/9 and 10.128.0.0/9 "
	    "instead\n");
	/* Not toward Tencent when its outbound policy denies it. */
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password tencent\n"
		  " address-family ipv4 unicast\n"
		  "  network 10.0.0.0/8\n"
		  "  neighbor 10.0.2.1 prefix-list OURS out\n"
		  " exit-address-family\n"
		  "exit\n"
		  "ip prefix-list OURS seq 5 permit 10.20.0.0/16\n",
	    "");
	conf_free(c);
	/* Nor without a Tencent neighbor. */
	c = loads("router bgp 65000\n"
		  " address-family ipv4 unicast\n"
		  "  network 10.0.0.0/8\n",
	    "");
	conf_free(c);
}

static void
test_warnings_neighbor(void **state)
{
	struct conf *c;

	(void)state;
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 profile tencent\n",
	    "t.conf:2: warning: neighbor 10.0.2.1: no password: Tencent's "
	    "default BGP key is \"tencent\" (an empty key on the tunnel "
	    "means none)\n");
	conf_free(c);
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 remote-as 45091\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password tencent\n"
		  " neighbor 10.0.2.1 timers 30 90\n",
	    "t.conf:3: warning: neighbor 10.0.2.1: remote-as 45091, but "
	    "Tencent's AS is 45090\n"
	    "t.conf:3: warning: neighbor 10.0.2.1: hold time 90: Tencent "
	    "recommends 180 s, three times the keepalive\n");
	conf_free(c);
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.0.1 remote-as 65535\n"
		  " neighbor 10.0.0.1 profile aws\n"
		  " neighbor 10.0.0.1 password s3cret-key\n"
		  " neighbor 10.0.3.1 remote-as 62611\n"
		  " neighbor 10.0.3.1 profile carrier\n",
	    "t.conf:3: warning: neighbor 10.0.0.1: remote-as 65535 is not an "
	    "Amazon-side AS (64512-65534, 4200000000-4294967294, or 7224 on "
	    "a public virtual interface)\n"
	    "t.conf:6: warning: neighbor 10.0.3.1: remote-as 62611, but the "
	    "carrier's AS is 62610\n");
	conf_free(c);
	/* An HA pair: each half needs the other, on one /24 for Tencent. */
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password tencent\n"
		  " neighbor 10.0.2.1 ha primary\n",
	    "t.conf:2: warning: neighbor 10.0.2.1: ha primary, but no backup "
	    "neighbor of profile tencent forms the pair with it\n");
	conf_free(c);
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password tencent\n"
		  " neighbor 10.0.2.1 ha primary\n"
		  " neighbor 10.0.3.3 profile tencent\n"
		  " neighbor 10.0.3.3 password tencent\n"
		  " neighbor 10.0.3.3 ha backup\n",
	    "t.conf:2: warning: neighbor 10.0.2.1: its backup 10.0.3.3 is not "
	    "on the same /24: Tencent's primary and secondary addresses "
	    "share one VLAN subnet (/29-/24)\n");
	conf_free(c);
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password tencent\n"
		  " neighbor 10.0.2.1 ha primary\n"
		  " neighbor 10.0.2.3 profile tencent\n"
		  " neighbor 10.0.2.3 password tencent\n"
		  " neighbor 10.0.2.3 ha backup\n",
	    "");
	conf_free(c);
}

/* Two clouds: overlapping networks, transit, one AS on two peerings. */
static void
test_warnings_clouds(void **state)
{
	struct conf *c;

	(void)state;
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.0.1 profile aws\n"
		  " neighbor 10.0.0.1 password s3cret-key\n"
		  " address-family ipv4 unicast\n"
		  "  network 192.168.0.0/16\n"
		  "  network 192.168.10.0/24\n"
		  "  network 172.20.0.0/16\n"
		  "  neighbor 10.0.0.1 prefix-list OURS out\n"
		  " exit-address-family\n"
		  "exit\n"
		  "ip prefix-list OURS seq 5 permit 192.168.0.0/16 le 24\n",
	    "t.conf:6: warning: network 192.168.10.0/24 overlaps "
	    "192.168.0.0/16 (line 5), and both are announced to neighbor "
	    "10.0.0.1 (aws): the cloud's routing needs CIDRs that do not "
	    "overlap\n");
	conf_free(c);
	/* A route-map that permits without matching passes the other
	 * cloud's routes; a prefix list naming prefixes does not. */
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.0.1 profile aws\n"
		  " neighbor 10.0.0.1 password s3cret-key\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password tencent\n"
		  " address-family ipv4 unicast\n"
		  "  neighbor 10.0.0.1 route-map TO-AWS out\n"
		  "  neighbor 10.0.2.1 prefix-list ANY out\n"
		  " exit-address-family\n"
		  "exit\n"
		  "ip prefix-list ANY seq 5 permit 0.0.0.0/0 le 32\n"
		  "route-map TO-AWS deny 5\n"
		  " match ip address prefix-list ANY\n"
		  " match community NOPE\n"
		  "exit\n"
		  "route-map TO-AWS permit 10\n"
		  " set community aws-pref-high\n"
		  "exit\n",
	    "t.conf:2: warning: neighbor 10.0.0.1 (aws): outbound route-map "
	    "TO-AWS permits routes it does not match (entry 10 has no match "
	    "clause): routes learned from neighbor 10.0.2.1 (tencent) would "
	    "be re-advertised to it; peering is not transitive: match what "
	    "may pass\n"
	    "t.conf:4: warning: neighbor 10.0.2.1 (tencent): outbound "
	    "prefix-list ANY permits any prefix: routes learned from "
	    "neighbor 10.0.0.1 (aws) would be re-advertised to it; peering "
	    "is not transitive: list what may pass\n");
	conf_free(c);
	c = loads("router bgp 65000\n"
		  " no bgp ebgp-requires-policy\n"
		  " neighbor 10.0.0.1 profile aws\n"
		  " neighbor 10.0.0.1 password s3cret-key\n"
		  " neighbor 10.0.3.1 profile carrier\n"
		  " address-family ipv4 unicast\n"
		  "  neighbor 10.0.3.1 prefix-list OURS out\n"
		  " exit-address-family\n"
		  "exit\n"
		  "ip prefix-list OURS seq 5 permit 192.168.10.0/24\n",
	    "t.conf:3: warning: neighbor 10.0.0.1 (aws): no outbound policy "
	    "and no bgp ebgp-requires-policy: routes learned from neighbor "
	    "10.0.3.1 (carrier) would be re-advertised to it; peering is not "
	    "transitive: give it a prefix-list or route-map out\n");
	conf_free(c);
	/* Two AWS gateways, both 64512: as-override, or a warning. */
	c = loads("router bgp 65000\n"
		  " neighbor 10.0.0.1 profile aws\n"
		  " neighbor 10.0.0.1 password s3cret-key\n"
		  " neighbor 10.0.1.1 profile aws\n"
		  " neighbor 10.0.1.1 password s3cret-key\n"
		  " neighbor 10.0.1.1 as-override\n",
	    "t.conf:2: warning: neighbor 10.0.0.1: neighbor 10.0.1.1 is in AS "
	    "64512 too: routes learned from it carry AS 64512 and neighbor "
	    "10.0.0.1 drops them as a loop; set neighbor 10.0.0.1 "
	    "as-override if they are to pass (or allowas-in on the far "
	    "side)\n");
	conf_free(c);
}

static void
test_aws_names(void **state)
{
	static const struct {
		const char *name;
		uint32_t v;
	} names[] = {
		{ "aws-pref-low", PROFILE_COMM(7224, 7100) },
		{ "aws-pref-medium", PROFILE_COMM(7224, 7200) },
		{ "aws-pref-high", PROFILE_COMM(7224, 7300) },
		{ "aws-scope-region", PROFILE_COMM(7224, 9100) },
		{ "aws-scope-continent", PROFILE_COMM(7224, 9200) },
		{ "aws-scope-global", PROFILE_COMM(7224, 9300) },
		{ "aws-from-region", PROFILE_COMM(7224, 8100) },
		{ "aws-from-continent", PROFILE_COMM(7224, 8200) },
	};
	uint8_t v[4];
	char buf[32];
	struct conf *c;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_true(pol_comm_parse(names[i].name, v));
		assert_int_equal(get32(v), names[i].v);
		/* Printed as numbers. */
		pol_comm_str(v, buf, sizeof(buf));
		assert_int_equal(strncmp(buf, "7224:", 5), 0);
	}
	assert_false(pol_comm_parse("aws-pref-highest", v));
	/* In lists and route-maps, set, matched and stripped by name. */
	c = loads("bgp community-list standard AWS-PREF seq 5 permit "
		  "aws-pref-low\n"
		  "bgp community-list standard AWS-PREF seq 10 permit "
		  "aws-pref-medium\n"
		  "bgp community-list standard AWS-PREF seq 15 permit "
		  "aws-pref-high\n"
		  "route-map R permit 10\n"
		  " match community AWS-PREF\n"
		  " set comm-list AWS-PREF delete\n"
		  "exit\n"
		  "route-map R permit 20\n"
		  " set community aws-pref-high aws-scope-region additive\n"
		  "exit\n",
	    "");
	f = open_memstream(&out, &len);
	conf_print(c, f);
	fclose(f);
	assert_non_null(strstr(out, "permit 7224:7100\n"));
	assert_non_null(strstr(out,
	    "set community 7224:7300 7224:9100 "
	    "additive\n"));
	free(out);
	{
		struct pol_buf pb;
		struct rib_prefix p;
		struct rib_attrs_key k;
		uint8_t comm[12];

		put32(comm, PROFILE_COMM(65000, 1));
		put32(comm + 4, PROFILE_AWS_PREF_LOW);
		put32(comm + 8, PROFILE_AWS_PREF_HIGH);
		memset(&k, 0, sizeof(k));
		k.comm = comm;
		k.comm_len = 12;
		assert_true(pol_prefix_parse("10.1.0.0/16", &p));
		assert_int_equal(
		    pol_apply(c->pol, NULL, "R", &p, &k, 0, &pb), POL_PERMIT);
		assert_int_equal(k.comm_len, 4);
		assert_int_equal(get32(k.comm), PROFILE_COMM(65000, 1));
	}
	conf_free(c);
}

static void
test_ha_in(void **state)
{
	struct conf_neighbor n;
	struct rib_attrs_key k;

	(void)state;
	memset(&n, 0, sizeof(n));
	memset(&k, 0, sizeof(k));
	assert_false(profile_ha_in(&n, false, &k));
	n.ha = PROFILE_HA_PRIMARY;
	assert_true(profile_ha_in(&n, false, &k));
	assert_true(k.flags & RIB_A_LOCAL_PREF);
	assert_int_equal(k.local_pref, 200);
	n.ha = PROFILE_HA_BACKUP;
	assert_true(profile_ha_in(&n, false, &k));
	assert_int_equal(k.local_pref, 100);
	/* A route-map that set it wins. */
	k.local_pref = 321;
	assert_false(profile_ha_in(&n, true, &k));
	assert_int_equal(k.local_pref, 321);
}

static void
test_ha_out(void **state)
{
	struct conf_neighbor n;
	struct rib_attrs_key k;
	struct profile_buf b;
	uint8_t path[10] = { BGP_SEG_SEQUENCE, 2 }, comm[8];
	static const uint8_t want[] = { BGP_SEG_SEQUENCE, 5, 0, 0, 0xfd, 0xe8,
		0, 0, 0xfd, 0xe8, 0, 0, 0xfd, 0xe8, 0, 0, 0xfd, 0xe8, 0, 0,
		0xfd, 0xe9 };

	(void)state;
	put32(path + 2, 65000);
	put32(path + 6, 65001);
	memset(&n, 0, sizeof(n));
	memset(&k, 0, sizeof(k));
	k.flags = RIB_A_ASPATH;
	k.aspath = path;
	k.aspath_len = sizeof(path);
	/* Primary toward a non-AWS peer: nothing out. */
	n.ha = PROFILE_HA_PRIMARY;
	assert_false(profile_ha_out(&n, 65000, &k, &b));
	/* Backup: our AS three times more. */
	n.ha = PROFILE_HA_BACKUP;
	assert_true(profile_ha_out(&n, 65000, &k, &b));
	assert_int_equal(k.aspath_len, sizeof(want));
	assert_memory_equal(k.aspath, want, sizeof(want));
	/* Toward AWS: the community, in order, path unchanged. */
	k.aspath = path;
	k.aspath_len = sizeof(path);
	put32(comm, PROFILE_COMM(100, 1));
	put32(comm + 4, PROFILE_COMM(65000, 1));
	k.comm = comm;
	k.comm_len = 8;
	n.profile = PROFILE_AWS;
	assert_true(profile_ha_out(&n, 65000, &k, &b));
	assert_int_equal(k.aspath_len, sizeof(path));
	assert_int_equal(k.comm_len, 12);
	assert_int_equal(get32(k.comm), PROFILE_COMM(100, 1));
	assert_int_equal(get32(k.comm + 4), PROFILE_AWS_PREF_LOW);
	assert_int_equal(get32(k.comm + 8), PROFILE_COMM(65000, 1));
	k.comm = comm;
	k.comm_len = 8;
	n.ha = PROFILE_HA_PRIMARY;
	assert_true(profile_ha_out(&n, 65000, &k, &b));
	assert_int_equal(get32(k.comm + 4), PROFILE_AWS_PREF_HIGH);
	/* A local-preference community from policy stays as it is. */
	put32(comm + 4, PROFILE_AWS_PREF_MEDIUM);
	k.comm = comm;
	k.comm_len = 8;
	assert_false(profile_ha_out(&n, 65000, &k, &b));
	assert_int_equal(k.comm_len, 8);
}

/* What a reload does: a profile resets, ha and export-limit do not. */
static void
test_reload(void **state)
{
	static const char base[] = "router bgp 65000\n"
				   " neighbor 10.0.2.1 profile tencent\n"
				   " neighbor 10.0.2.1 password tencent\n";
	struct conf *a, *b;
	struct conf_diff d;

	(void)state;
	a = loads(base, "");
	b = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 remote-as 45090\n"
		  " neighbor 10.0.2.1 password tencent\n",
	    "");
	conf_diff_neighbor(a, a->neighbors, b, b->neighbors, &d);
	assert_true(d.reset & CONF_DIFF_R_PROFILE);
	conf_free(b);
	b = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password tencent\n"
		  " neighbor 10.0.2.1 ha backup\n"
		  " neighbor 10.0.2.1 export-limit 10\n",
	    "t.conf:2: warning: neighbor 10.0.2.1: ha backup, but no primary "
	    "neighbor of profile tencent forms the pair with it\n");
	conf_diff_neighbor(a, a->neighbors, b, b->neighbors, &d);
	assert_int_equal(d.reset, 0);
	assert_true(d.policy_in && d.policy_out);
	conf_free(b);
	b = loads("router bgp 65000\n"
		  " neighbor 10.0.2.1 profile tencent\n"
		  " neighbor 10.0.2.1 password tencent\n"
		  " neighbor 10.0.2.1 export-limit 10\n",
	    "");
	conf_diff_neighbor(a, a->neighbors, b, b->neighbors, &d);
	assert_int_equal(d.reset, 0);
	assert_false(d.policy_in);
	assert_true(d.policy_out);
	conf_free(b);
	conf_free(a);
}

/* ---- the outbound cap, through a RIB ---- */

#define PEER 1

struct sent {
	size_t msgs;
};

static bool
count_send(void *arg, const uint8_t *msg, size_t len)
{
	struct sent *s = arg;

	(void)msg;
	(void)len;
	s->msgs++;
	return true;
}

static struct rib *
cap_rib(uint32_t max)
{
	struct rib_config rc = { .asn = 65000, .router_id = 1 };
	struct rib_peer_info pi;
	struct rib *r = rib_new(&rc, NULL);

	memset(&pi, 0, sizeof(pi));
	pi.asn = 64512;
	pi.local_as = 65000;
	pi.addr_len = 4;
	pi.af = RIB_AF_IPV4;
	pi.has_nh4 = true;
	pi.nh4[0] = 10;
	pi.out_max = max;
	rib_peer_set(r, PEER, &pi);
	return r;
}

static void
add_local(struct rib *r, unsigned third)
{
	struct rib_attrs_key k;
	struct rib_attrs *a;
	struct rib_prefix p = { BGP_AFI_IPV4, 24, { 10, 1, (uint8_t)third } };

	memset(&k, 0, sizeof(k));
	k.flags = RIB_A_ASPATH;
	a = rib_attrs_intern(r, &k);
	rib_add(r, RIB_PEER_LOCAL, &p, 0, a);
	rib_attrs_unref(r, a);
}

static void
del_local(struct rib *r, unsigned third)
{
	struct rib_prefix p = { BGP_AFI_IPV4, 24, { 10, 1, (uint8_t)third } };

	rib_del(r, RIB_PEER_LOCAL, &p, 0);
}

static bool
advertised(struct rib *r, unsigned third)
{
	struct rib_prefix p = { BGP_AFI_IPV4, 24, { 10, 1, (uint8_t)third } };
	struct rib_dest *d = rib_lookup(r, &p);

	return d != NULL && (d->adv & (1u << PEER));
}

static void
flush(struct rib *r)
{
	struct sent s = { 0 };

	rib_process(r);
	assert_true(rib_out_flush(r, PEER, BGP_MAX_MSG, count_send, &s));
}

static void
cap_is(struct rib *r, size_t adv, size_t held, unsigned first)
{
	struct rib_out_cap oc;

	rib_out_cap(r, PEER, 0, &oc);
	assert_int_equal(oc.adv, adv);
	assert_int_equal(oc.held, held);
	if (held > 0)
		assert_int_equal(oc.first_held.addr[2], first);
}

static void
test_cap(void **state)
{
	struct rib *r = cap_rib(3);
	unsigned i;

	(void)state;
	/* Five prefixes, cap 3: the three lowest go out at the start. */
	for (i = 5; i >= 1; i--)
		add_local(r, i);
	rib_process(r);
	rib_out_start(r, PEER);
	flush(r);
	cap_is(r, 3, 2, 4);
	assert_true(advertised(r, 1) && advertised(r, 2) && advertised(r, 3));
	assert_false(advertised(r, 4) || advertised(r, 5));
	/* What is out stays: a lower new prefix is withheld. */
	add_local(r, 0);
	flush(r);
	cap_is(r, 3, 3, 0);
	assert_false(advertised(r, 0));
	/* A withdrawal frees room: the lowest withheld goes out. */
	del_local(r, 2);
	flush(r);
	cap_is(r, 3, 2, 4);
	assert_true(advertised(r, 0));
	assert_false(advertised(r, 2));
	/* A withheld prefix withdrawn is withheld no more. */
	del_local(r, 4);
	flush(r);
	cap_is(r, 3, 1, 5);
	/* Two withdrawals, one withheld left: it goes, room remains. */
	del_local(r, 0);
	del_local(r, 1);
	flush(r);
	cap_is(r, 2, 0, 0);
	assert_true(advertised(r, 3) && advertised(r, 5));
	/* The session restarts: the count starts anew. */
	rib_out_stop(r, PEER);
	cap_is(r, 0, 0, 0);
	rib_out_start(r, PEER);
	flush(r);
	cap_is(r, 2, 0, 0);
	rib_free(r);
}

/* A lowered cap withdraws the highest prefixes on the next refresh. */
static void
test_cap_lowered(void **state)
{
	struct rib *r = cap_rib(4);
	struct rib_peer_info pi;
	unsigned i;

	(void)state;
	for (i = 1; i <= 4; i++)
		add_local(r, i);
	rib_process(r);
	rib_out_start(r, PEER);
	flush(r);
	cap_is(r, 4, 0, 0);
	memset(&pi, 0, sizeof(pi));
	pi.asn = 64512;
	pi.local_as = 65000;
	pi.addr_len = 4;
	pi.af = RIB_AF_IPV4;
	pi.has_nh4 = true;
	pi.nh4[0] = 10;
	pi.out_max = 2;
	rib_peer_set(r, PEER, &pi);
	rib_out_refresh(r, PEER, RIB_AF_IPV4, false);
	flush(r);
	cap_is(r, 2, 2, 3);
	assert_true(advertised(r, 1) && advertised(r, 2));
	assert_false(advertised(r, 3) || advertised(r, 4));
	/* Raised again: they come back. */
	pi.out_max = 10;
	rib_peer_set(r, PEER, &pi);
	rib_out_refresh(r, PEER, RIB_AF_IPV4, false);
	flush(r);
	cap_is(r, 4, 0, 0);
	rib_free(r);
}

/* The whole file, NUL-terminated. */
static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, n;
	char chunk[4096];
	FILE *m;

	if (f == NULL)
		fail_msg("cannot read %s", path);
	m = open_memstream(&buf, &len);
	assert_non_null(m);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

/*
 * tests/conf/golden/NAME.warn: exactly the warnings NAME.conf gives
 * (conf_warn, as `dxbgpd -n` prints them; the directory left out).
 */
static void
test_golden_warnings(void **state)
{
	const char *srcdir = getenv("srcdir");
	char *pattern = NULL;
	glob_t g;
	size_t i, found = 0;

	(void)state;
	if (asprintf(&pattern, "%s/tests/conf/golden/*.warn",
		srcdir ? srcdir : ".") < 0)
		abort();
	if (glob(pattern, 0, NULL, &g) != 0)
		fail_msg("no %s", pattern);
	for (i = 0; i < g.gl_pathc; i++) {
		char *want = slurp(g.gl_pathv[i]), *conf_path, *text, *msgs;
		const char *base;
		size_t len = 0, n = strlen(g.gl_pathv[i]);
		struct conf *c = NULL;
		FILE *f;

		if (asprintf(&conf_path, "%.*s.conf", (int)(n - 5),
			g.gl_pathv[i]) < 0)
			abort();
		base = strrchr(conf_path, '/') + 1;
		text = slurp(conf_path);
		f = open_memstream(&msgs, &len);
		if (conf_load_string(text, base, &c, f) != 0) {
			fclose(f);
			fail_msg("%s refused:\n%s", base, msgs);
		}
		conf_warn(c, base, f);
		fclose(f);
		if (strcmp(msgs, want) != 0) {
			fprintf(stderr,
			    "%s: warnings\n%snot as in its .warn:\n%s", base,
			    msgs, want);
			fail();
		}
		conf_free(c);
		free(msgs);
		free(text);
		free(want);
		free(conf_path);
		found++;
	}
	globfree(&g);
	free(pattern);
	assert_true(found >= 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_remote_as),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_aws_errors),
		cmocka_unit_test(test_tencent_errors),
		cmocka_unit_test(test_tencent_networks),
		cmocka_unit_test(test_warnings_neighbor),
		cmocka_unit_test(test_warnings_clouds),
		cmocka_unit_test(test_aws_names),
		cmocka_unit_test(test_ha_in),
		cmocka_unit_test(test_ha_out),
		cmocka_unit_test(test_reload),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_cap_lowered),
		cmocka_unit_test(test_golden_warnings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
