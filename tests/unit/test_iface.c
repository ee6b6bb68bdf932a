/*
 * test_iface.c: tests the interface module without a kernel: the
 * rtnetlink requests of bgpd/iface_nl.c byte by byte (a new VLAN link,
 * MTU, up and down, IPv4 and IPv6 addresses added and deleted), the
 * parsing of the kernel's link and address messages (operational
 * state, VLAN ID; malformed ones refused), the table of bgpd/iface.c,
 * and its planner: what a config asks of the kernel, nothing when the
 * kernel already matches (an apply done twice changes nothing), only
 * the addresses dxbgpd added deleted when they leave the config, and a
 * VLAN created alone first, or waited for when its parent is missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>

#include "hex.h"
#include "iface.h"
#include "nl.h"

typedef union {
	uint8_t b[1024];
	uint32_t align;
} msgbuf;

/* Compares a built message with its hex text. */
static void
same(const uint8_t *got, size_t len, const char *hex)
{
	uint8_t want[1024];
	size_t n = hex_decode(hex, want, sizeof(want));

	assert_int_equal(len, n);
	assert_memory_equal(got, want, n);
}

static void
test_vlan_new(void **state)
{
	msgbuf m;
	size_t n = iface_nl_vlan_new(m.b, sizeof(m.b), 7, "eth0.5", 2, 5);

	same(m.b, n,
	    /* nlmsghdr: 76 bytes, RTM_NEWLINK, REQUEST|ACK|EXCL|CREATE */
	    "4c000000 1000 0506 07000000 00000000"
	    /* ifinfomsg: AF_UNSPEC, no index, no flags */
	    "00 00 0000 00000000 00000000 00000000"
	    /* IFLA_IFNAME "eth0.5\0", padded */
	    "0b00 0300 657468302e3500 00"
	    /* IFLA_LINK 2 */
	    "0800 0500 02000000"
	    /* IFLA_LINKINFO { IFLA_INFO_KIND "vlan",
	     *   IFLA_INFO_DATA { IFLA_VLAN_ID 5 } } */
	    "1800 1200 | 0800 0100 766c616e | 0c00 0200 | 0600 0100 0500 0000");
	/* A buffer too small: nothing, never half a message. */
	assert_int_equal(iface_nl_vlan_new(m.b, 60, 7, "eth0.5", 2, 5), 0);
	assert_int_equal(iface_nl_vlan_new(m.b, 8, 7, "eth0.5", 2, 5), 0);
}

static void
test_link_set(void **state)
{
	msgbuf m;
	size_t n;

	/* MTU 9001 on link 3, its flags left alone. */
	n = iface_nl_link_set(m.b, sizeof(m.b), 8, 3, 9001, -1);
	same(m.b, n,
	    "28000000 1000 0500 08000000 00000000"
	    "00 00 0000 03000000 00000000 00000000"
	    "0800 0400 29230000");
	/* Up: IFF_UP in flags and in change. */
	n = iface_nl_link_set(m.b, sizeof(m.b), 9, 3, 0, 1);
	same(m.b, n,
	    "20000000 1000 0500 09000000 00000000"
	    "00 00 0000 03000000 01000000 01000000");
	/* Down: IFF_UP changed to 0. */
	n = iface_nl_link_set(m.b, sizeof(m.b), 10, 3, 0, 0);
	same(m.b, n,
	    "20000000 1000 0500 0a000000 00000000"
	    "00 00 0000 03000000 00000000 01000000");
	/* Delete link 12. */
	n = iface_nl_link_del(m.b, sizeof(m.b), 11, 12);
	same(m.b, n,
	    "20000000 1100 0500 0b000000 00000000"
	    "00 00 0000 0c000000 00000000 00000000");
	/* Get one link by name. */
	n = iface_nl_link_get(m.b, sizeof(m.b), 12, "dxt0");
	same(m.b, n,
	    "2c000000 1200 0500 0c000000 00000000"
	    "00 00 0000 00000000 00000000 00000000"
	    "0900 0300 6478743000 000000");
}

static struct iface_addr
addr(const char *s)
{
	struct iface_addr a;
	char buf[64];
	const char *slash = strchr(s, '/');

	memset(&a, 0, sizeof(a));
	a.family = strchr(s, ':') != NULL ? AF_INET6 : AF_INET;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	assert_int_equal(inet_pton(a.family, buf, a.addr), 1);
	a.plen = (uint8_t)atoi(slash + 1);
	return a;
}

static void
test_addr_msgs(void **state)
{
	struct iface_addr a = addr("10.0.0.2/24"), b;
	msgbuf m;
	size_t n;
	bool deleted;
	int index;
	uint8_t proto;

	n = iface_nl_addr(m.b, sizeof(m.b), 13, true, 3, &a);
	same(m.b, n,
	    /* RTM_NEWADDR, REQUEST|ACK|EXCL|CREATE */
	    "38000000 1400 0506 0d000000 00000000"
	    /* ifaddrmsg: AF_INET, /24, flags 0, scope universe, index 3 */
	    "02 18 00 00 03000000"
	    "0800 0200 0a000002"   /* IFA_LOCAL */
	    "0800 0100 0a000002"   /* IFA_ADDRESS */
	    "0500 0b00 c9000000"   /* IFA_PROTO 201: dxbgpd's */
	    "0800 0400 0a0000ff"); /* IFA_BROADCAST */
	/* The same message read back as the kernel's news. */
	assert_int_equal(
	    iface_nl_addr_parse(m.b, n, &index, &b, &proto, &deleted), 1);
	assert_int_equal(index, 3);
	assert_int_equal(proto, IFACE_ADDR_PROTO);
	assert_false(deleted);
	assert_true(iface_addr_eq(&a, &b));

	a = addr("10.0.0.2/31"); /* a /31 has no broadcast (RFC 3021) */
	n = iface_nl_addr(m.b, sizeof(m.b), 14, true, 3, &a);
	same(m.b, n,
	    "30000000 1400 0506 0e000000 00000000"
	    "02 1f 00 00 03000000"
	    "0800 0200 0a000002"
	    "0800 0100 0a000002"
	    "0500 0b00 c9000000");

	a = addr("fd00::2/64");
	n = iface_nl_addr(m.b, sizeof(m.b), 15, false, 3, &a);
	same(m.b, n,
	    /* RTM_DELADDR, REQUEST|ACK */
	    "40000000 1500 0500 0f000000 00000000"
	    "0a 40 00 00 03000000"
	    "1400 0200 fd000000000000000000000000000002"
	    "1400 0100 fd000000000000000000000000000002");
	/* no IFA_PROTO: 0, as for an address someone else added */
	assert_int_equal(
	    iface_nl_addr_parse(m.b, n, &index, &b, &proto, &deleted), 1);
	assert_int_equal(proto, 0);
	assert_true(deleted);
	assert_true(iface_addr_eq(&a, &b));
	/* The address of another family's size: malformed. */
	m.b[16] = AF_INET;
	assert_int_equal(
	    iface_nl_addr_parse(m.b, n, &index, &b, NULL, &deleted), -1);
}

/*
 * A link as the kernel announces it: index, name, flags, MTU,
 * operational state, and optionally a VLAN of vid on parent.
 */
static size_t
link_msg(msgbuf *m, uint16_t type, int index, const char *name, unsigned flags,
    uint32_t mtu, uint8_t oper, int parent, uint16_t vid)
{
	struct ifinfomsg *ifi;
	struct nl_msg nm;
	size_t info, data;

	ifi = nl_msg_init(&nm, m->b, sizeof(m->b), type, 0, 0, sizeof(*ifi));
	ifi->ifi_index = index;
	ifi->ifi_flags = flags;
	nl_put_str(&nm, IFLA_IFNAME, name);
	nl_put_u32(&nm, IFLA_MTU, mtu);
	nl_put(&nm, IFLA_OPERSTATE, &oper, 1);
	if (vid != 0) {
		nl_put_u32(&nm, IFLA_LINK, (uint32_t)parent);
		info = nl_nest_begin(&nm, IFLA_LINKINFO);
		nl_put_str(&nm, IFLA_INFO_KIND, "vlan");
		data = nl_nest_begin(&nm, IFLA_INFO_DATA);
		nl_put_u16(&nm, IFLA_VLAN_ID, vid);
		nl_nest_end(&nm, data);
		nl_nest_end(&nm, info);
	}
	return nl_msg_len(&nm);
}

static void
test_link_parse(void **state)
{
	struct iface_link l;
	bool deleted;
	msgbuf m;
	size_t n;

	n = link_msg(&m, RTM_NEWLINK, 4, "eth0.5",
	    IFF_UP | IFF_RUNNING | IFF_LOWER_UP, 9001, IF_OPER_UP, 2, 5);
	/* The bytes of the operational state and the VLAN nest. */
	same(m.b + 32, n - 32,
	    "0b00 0300 657468302e3500 00"
	    "0800 0400 29230000"
	    "0500 1000 06 000000"
	    "0800 0500 02000000"
	    "1c00 1200 | 0900 0100 766c616e00 000000 |"
	    " 0c00 0200 | 0600 0100 0500 0000");
	assert_int_equal(iface_nl_link_parse(m.b, n, &l, &deleted), 1);
	assert_false(deleted);
	assert_int_equal(l.index, 4);
	assert_string_equal(l.name, "eth0.5");
	assert_int_equal(l.mtu, 9001);
	assert_int_equal(l.operstate, IF_OPER_UP);
	assert_int_equal(l.parent, 2);
	assert_string_equal(l.kind, "vlan");
	assert_int_equal(l.vlan_id, 5);
	assert_true(l.flags & IFF_RUNNING);

	/* Carrier lost: down, lower layer down. */
	n = link_msg(&m, RTM_NEWLINK, 4, "dxt0", IFF_UP, 1500,
	    IF_OPER_LOWERLAYERDOWN, 0, 0);
	assert_int_equal(iface_nl_link_parse(m.b, n, &l, &deleted), 1);
	assert_int_equal(l.operstate, IF_OPER_LOWERLAYERDOWN);
	assert_false(l.flags & IFF_RUNNING);
	assert_string_equal(l.kind, "");
	assert_string_equal(
	    iface_operstate_name(l.operstate), "lowerlayerdown");

	/* Gone. */
	n = link_msg(&m, RTM_DELLINK, 4, "dxt0", 0, 1500, IF_OPER_DOWN, 0, 0);
	assert_int_equal(iface_nl_link_parse(m.b, n, &l, &deleted), 1);
	assert_true(deleted);

	/* Other messages are not links; broken ones are refused. */
	n = link_msg(&m, RTM_NEWROUTE, 4, "dxt0", 0, 1500, 0, 0, 0);
	assert_int_equal(iface_nl_link_parse(m.b, n, &l, &deleted), 0);
	n = link_msg(&m, RTM_NEWLINK, 4, "dxt0", 0, 1500, 0, 0, 0);
	assert_int_equal(iface_nl_link_parse(m.b, n - 1, &l, &deleted), -1);
	m.b[32] = 0x40; /* IFLA_IFNAME's length past the message */
	assert_int_equal(iface_nl_link_parse(m.b, n, &l, &deleted), -1);
	n = link_msg(&m, RTM_NEWLINK, 0, "dxt0", 0, 1500, 0, 0, 0);
	assert_int_equal(iface_nl_link_parse(m.b, n, &l, &deleted), -1);
	/* An MTU of the wrong size. */
	n = link_msg(&m, RTM_NEWLINK, 4, "dxt0", 0, 1500, 0, 0, 0);
	m.b[44] = 6;
	assert_int_equal(iface_nl_link_parse(m.b, n, &l, &deleted), -1);
}

static void
test_ack_parse(void **state)
{
	msgbuf m;
	char why[64];
	int err;
	size_t n;

	/*
	 * The kernel refusing a VLAN without 8021q: EOPNOTSUPP (95), the
	 * request capped, and its text in NLMSGERR_ATTR_MSG.
	 */
	n = hex_decode("3c000000 0200 0003 07000000 00000000"
		       "a1ffffff"
		       "4c000000 1000 0506 07000000 00000000"
		       "1800 0100 556e6b6e6f776e20646576696365207479706500",
	    m.b, sizeof(m.b));
	assert_int_equal(
	    nl_ack_parse((void *)m.b, n, &err, why, sizeof(why)), 0);
	assert_int_equal(err, 95);
	assert_string_equal(why, "Unknown device type");
	/* A plain acknowledgment. */
	n = hex_decode("24000000 0200 0001 08000000 00000000 00000000"
		       "28000000 1000 0500 08000000 00000000",
	    m.b, sizeof(m.b));
	assert_int_equal(
	    nl_ack_parse((void *)m.b, n, &err, why, sizeof(why)), 0);
	assert_int_equal(err, 0);
	assert_string_equal(why, "");
	/* Too short, or not an error message. */
	assert_int_equal(
	    nl_ack_parse((void *)m.b, 20, &err, why, sizeof(why)), -1);
	m.b[4] = 3;
	assert_int_equal(
	    nl_ack_parse((void *)m.b, n, &err, why, sizeof(why)), -1);
}

/* ---- the table and the planner ---- */

static void
kernel_link(struct iface_kstate *ks, int index, const char *name,
    unsigned flags, uint32_t mtu, int parent, uint16_t vid)
{
	msgbuf m;
	size_t n = link_msg(&m, RTM_NEWLINK, index, name, flags, mtu,
	    (flags & IFF_RUNNING) ? IF_OPER_UP : IF_OPER_DOWN, parent, vid);

	assert_int_not_equal(iface_kstate_apply(ks, m.b, n), -1);
}

static void
kernel_addr(struct iface_kstate *ks, int index, const char *a, bool add)
{
	struct iface_addr x = addr(a);
	msgbuf m;
	size_t n = iface_nl_addr(m.b, sizeof(m.b), 1, add, index, &x);

	assert_int_equal(iface_kstate_apply(ks, m.b, n), 0);
}

static void
conf_addr(struct conf_iface *c, const char *s)
{
	struct iface_addr a = addr(s);

	c->addrs[c->naddrs].addr.family = a.family;
	memcpy(
	    &c->addrs[c->naddrs].addr.u, a.addr, a.family == AF_INET ? 4 : 16);
	c->addrs[c->naddrs].plen = a.plen;
	c->naddrs++;
}

/* What the kernel does with a plan, as its messages would tell. */
static void
kernel_runs(struct iface_kstate *ks, const struct iface_plan *p,
    struct iface_own *own, const char *name)
{
	const struct iface_link *l;
	char buf[64];

	for (size_t i = 0; i < p->n; i++) {
		const struct iface_op *o = &p->ops[i];

		l = iface_kstate_link_at(ks, o->index);
		switch (o->kind) {
		case IFACE_OP_VLAN_ADD:
			kernel_link(
			    ks, 99, name, 0, 1500, o->parent, o->vlan_id);
			own->created = true;
			break;
		case IFACE_OP_MTU:
			kernel_link(ks, l->index, l->name, l->flags, o->mtu,
			    l->parent, l->vlan_id);
			break;
		case IFACE_OP_UP:
		case IFACE_OP_DOWN:
			kernel_link(ks, l->index, l->name,
			    o->kind == IFACE_OP_UP ? IFF_UP | IFF_RUNNING : 0,
			    l->mtu, l->parent, l->vlan_id);
			break;
		case IFACE_OP_ADDR_ADD:
		case IFACE_OP_ADDR_DEL:
			kernel_addr(ks, o->index,
			    iface_addr_str(&o->addr, buf, sizeof(buf)),
			    o->kind == IFACE_OP_ADDR_ADD);
			if (o->kind == IFACE_OP_ADDR_ADD) {
				own->addrs = realloc(own->addrs,
				    (own->naddrs + 1) * sizeof(*own->addrs));
				own->addrs[own->naddrs++] = o->addr;
			}
			break;
		case IFACE_OP_LINK_DEL:
			fail();
		}
	}
}

/* The ops of a plan, as text: "set MTU 9001; add address ...". */
static const char *
ops(const struct iface_plan *p)
{
	static char out[1024];
	char one[96];

	out[0] = '\0';
	for (size_t i = 0; i < p->n; i++) {
		if (i > 0)
			strcat(out, "; ");
		strcat(out, iface_op_str(&p->ops[i], one, sizeof(one)));
	}
	return out;
}

static void
test_plan_idempotent(void **state)
{
	struct iface_kstate ks;
	struct conf_iface c;
	struct iface_own own;
	struct iface_plan p;

	iface_kstate_init(&ks);
	memset(&own, 0, sizeof(own));
	memset(&c, 0, sizeof(c));
	strcpy(c.name, "dxt0");
	c.mtu = 9001;
	conf_addr(&c, "10.0.0.2/24");
	conf_addr(&c, "fd00::2/64");
	/* The link exists, down, with an address dxbgpd did not add. */
	kernel_link(&ks, 3, "dxt0", 0, 1500, 0, 0);
	kernel_addr(&ks, 3, "192.0.2.7/24", true);

	iface_plan_one(&c, &ks, NULL, &p);
	assert_string_equal(ops(&p),
	    "set MTU 9001; add address 10.0.0.2/24; add address fd00::2/64; "
	    "bring it up");
	assert_int_equal(p.ops[0].index, 3);
	assert_string_equal(p.why, "");
	kernel_runs(&ks, &p, &own, "dxt0");
	/* Applied again: nothing to do. */
	iface_plan_one(&c, &ks, &own, &p);
	assert_int_equal(p.n, 0);

	/* shutdown, then no shutdown. */
	c.shutdown = true;
	iface_plan_one(&c, &ks, &own, &p);
	assert_string_equal(ops(&p), "shut it down");
	kernel_runs(&ks, &p, &own, "dxt0");
	iface_plan_one(&c, &ks, &own, &p);
	assert_int_equal(p.n, 0);
	c.shutdown = false;
	iface_plan_one(&c, &ks, &own, &p);
	assert_string_equal(ops(&p), "bring it up");

	/* Without mtu: the MTU is left as it is. */
	c.mtu = 0;
	kernel_runs(&ks, &p, &own, "dxt0");
	iface_plan_one(&c, &ks, &own, &p);
	assert_int_equal(p.n, 0);
	free(own.addrs);
	iface_kstate_clean(&ks);
}

static void
test_plan_removed_address(void **state)
{
	struct iface_kstate ks;
	struct conf_iface c;
	struct iface_own own;
	struct iface_plan p;

	iface_kstate_init(&ks);
	memset(&own, 0, sizeof(own));
	memset(&c, 0, sizeof(c));
	strcpy(c.name, "dxt0");
	strcpy(own.name, "dxt0");
	conf_addr(&c, "10.0.0.2/24");
	conf_addr(&c, "10.0.9.2/24");
	kernel_link(&ks, 3, "dxt0", IFF_UP | IFF_RUNNING, 1500, 0, 0);
	/* 10.0.9.2/24 was there already: not dxbgpd's. */
	kernel_addr(&ks, 3, "10.0.9.2/24", true);
	kernel_addr(&ks, 3, "192.0.2.7/24", true);
	iface_plan_one(&c, &ks, &own, &p);
	assert_string_equal(ops(&p), "add address 10.0.0.2/24");
	kernel_runs(&ks, &p, &own, "dxt0");

	/* Both leave the config: only the one dxbgpd added goes. */
	c.naddrs = 0;
	conf_addr(&c, "10.0.1.2/24");
	iface_plan_one(&c, &ks, &own, &p);
	assert_string_equal(
	    ops(&p), "delete address 10.0.0.2/24; add address 10.0.1.2/24");
	/* An address of dxbgpd's someone else deleted: nothing to delete. */
	kernel_addr(&ks, 3, "10.0.0.2/24", false);
	iface_plan_one(&c, &ks, &own, &p);
	assert_string_equal(ops(&p), "add address 10.0.1.2/24");
	kernel_runs(&ks, &p, &own, "dxt0");

	/*
	 * The interface leaves the config: what dxbgpd added and is still
	 * there goes (10.0.0.2/24 is gone already), nothing else.
	 */
	iface_plan_gone(&own, &ks, &p);
	assert_string_equal(ops(&p), "delete address 10.0.1.2/24");
	free(own.addrs);
	iface_kstate_clean(&ks);
}

static void
test_plan_vlan(void **state)
{
	struct iface_kstate ks;
	struct conf_iface c;
	struct iface_own own;
	struct iface_plan p;

	iface_kstate_init(&ks);
	memset(&own, 0, sizeof(own));
	memset(&c, 0, sizeof(c));
	strcpy(c.name, "eth0.5");
	strcpy(own.name, "eth0.5");
	strcpy(c.parent, "eth0");
	c.vlan_id = 5;
	c.mtu = 9001;
	conf_addr(&c, "10.0.0.2/24");

	/* No parent: waiting for it, nothing done. */
	iface_plan_one(&c, &ks, &own, &p);
	assert_int_equal(p.n, 0);
	assert_true(p.waiting);
	assert_string_equal(p.why,
	    "cannot create VLAN 5: its parent eth0 does not exist (waiting "
	    "for it)");

	/* The parent appears: the VLAN is created, alone. */
	kernel_link(&ks, 2, "eth0", IFF_UP | IFF_RUNNING, 9001, 0, 0);
	iface_plan_one(&c, &ks, &own, &p);
	assert_string_equal(ops(&p), "create VLAN 5");
	assert_int_equal(p.ops[0].parent, 2);
	assert_false(p.waiting);
	kernel_runs(&ks, &p, &own, "eth0.5");
	/* Then the rest on it. */
	iface_plan_one(&c, &ks, &own, &p);
	assert_string_equal(
	    ops(&p), "set MTU 9001; add address 10.0.0.2/24; bring it up");
	assert_int_equal(p.ops[0].index, 99);
	kernel_runs(&ks, &p, &own, "eth0.5");
	iface_plan_one(&c, &ks, &own, &p);
	assert_int_equal(p.n, 0);

	/* Another ID on the VLAN dxbgpd created: made again. */
	c.vlan_id = 6;
	iface_plan_one(&c, &ks, &own, &p);
	assert_string_equal(ops(&p), "delete the link; create VLAN 6");
	/* Gone from the config: the link dxbgpd created is deleted. */
	iface_plan_gone(&own, &ks, &p);
	assert_string_equal(ops(&p), "delete the link");
	assert_int_equal(p.ops[0].index, 99);

	/* A link of that name dxbgpd did not create: left alone. */
	own.created = false;
	iface_plan_one(&c, &ks, &own, &p);
	assert_int_equal(p.n, 0);
	assert_string_equal(p.why,
	    "a link eth0.5 exists and is not VLAN 6 on eth0: left as it is");
	iface_plan_gone(&own, &ks, &p);
	assert_string_equal(ops(&p), "delete address 10.0.0.2/24");
	free(own.addrs);
	iface_kstate_clean(&ks);
}

static void
test_kstate(void **state)
{
	struct iface_kstate ks;
	struct iface_addr a = addr("10.0.0.2/24");
	msgbuf m;
	size_t n;

	iface_kstate_init(&ks);
	/* A link appears: 1; the same news again: 0; flags change: 1. */
	n = link_msg(&m, RTM_NEWLINK, 3, "dxt0", IFF_UP, 1500, 2, 0, 0);
	assert_int_equal(iface_kstate_apply(&ks, m.b, n), 1);
	assert_int_equal(iface_kstate_apply(&ks, m.b, n), 0);
	n = link_msg(&m, RTM_NEWLINK, 3, "dxt0", IFF_UP | IFF_RUNNING, 1500,
	    IF_OPER_UP, 0, 0);
	assert_int_equal(iface_kstate_apply(&ks, m.b, n), 1);
	assert_non_null(iface_kstate_link(&ks, "dxt0"));
	kernel_addr(&ks, 3, "10.0.0.2/24", true);
	kernel_addr(&ks, 3, "10.0.0.2/24", true);
	assert_int_equal(ks.naddrs, 1);
	assert_true(iface_kstate_has_addr(&ks, 3, &a));
	assert_false(iface_kstate_has_addr(&ks, 4, &a));
	/* dxbgpd's mark (IFA_PROTO) is kept: a later run knows it */
	assert_int_equal(ks.addrs[0].proto, IFACE_ADDR_PROTO);
	/* an address someone else added has none */
	n = iface_nl_addr(m.b, sizeof(m.b), 1, false, 3, &a);
	((struct nlmsghdr *)m.b)->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(iface_kstate_apply(&ks, m.b, n), 0);
	assert_int_equal(ks.naddrs, 1);
	assert_int_equal(ks.addrs[0].proto, 0);
	/* The link goes, its addresses with it. */
	n = link_msg(&m, RTM_DELLINK, 3, "dxt0", 0, 1500, 0, 0, 0);
	assert_int_equal(iface_kstate_apply(&ks, m.b, n), 1);
	assert_int_equal(iface_kstate_apply(&ks, m.b, n), 0);
	assert_null(iface_kstate_link(&ks, "dxt0"));
	assert_int_equal(ks.naddrs, 0);
	/* Malformed: refused, nothing changes. */
	n = link_msg(&m, RTM_NEWLINK, 3, "dxt0", IFF_UP, 1500, 2, 0, 0);
	assert_int_equal(iface_kstate_apply(&ks, m.b, n - 4), -1);
	assert_int_equal(ks.nlinks, 0);
	iface_kstate_clean(&ks);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vlan_new),
		cmocka_unit_test(test_link_set),
		cmocka_unit_test(test_addr_msgs),
		cmocka_unit_test(test_link_parse),
		cmocka_unit_test(test_ack_parse),
		cmocka_unit_test(test_kstate),
		cmocka_unit_test(test_plan_idempotent),
		cmocka_unit_test(test_plan_removed_address),
		cmocka_unit_test(test_plan_vlan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
