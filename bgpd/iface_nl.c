/*
 * iface_nl.c: the rtnetlink messages of the interface module, built
 * and read as pure functions over byte buffers (rtnetlink(7)); tested
 * byte by byte without a kernel (tests/unit/test_iface.c).
 *
 * Requests are those of iproute2's `ip link` and `ip address`:
 *   create a VLAN   RTM_NEWLINK, NLM_F_CREATE|NLM_F_EXCL, IFLA_IFNAME,
 *                   IFLA_LINK (the parent), IFLA_LINKINFO {
 *                   IFLA_INFO_KIND "vlan", IFLA_INFO_DATA { IFLA_VLAN_ID } }
 *                   (IEEE 802.1Q; the kernel's 8021q module)
 *   MTU, up, down   RTM_NEWLINK on the link's index: IFLA_MTU, and
 *                   IFF_UP in ifi_flags under ifi_change
 *   addresses       RTM_NEWADDR (NLM_F_CREATE|NLM_F_EXCL) / RTM_DELADDR
 *                   with IFA_LOCAL and IFA_ADDRESS (and IFA_BROADCAST
 *                   for an IPv4 subnet of /30 or larger)
 * Every request asks for an acknowledgment (NLM_F_ACK).
 */
#include <string.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <netinet/in.h>

#include "iface.h"
#include "nl.h"

#define REQ NLM_F_REQUEST | NLM_F_ACK

size_t
iface_nl_vlan_new(void *buf, size_t cap, uint32_t seq, const char *name,
    int parent, uint16_t vlan_id)
{
	struct nl_msg m;
	size_t info, data;

	if (nl_msg_init(&m, buf, cap, RTM_NEWLINK,
		REQ | NLM_F_CREATE | NLM_F_EXCL, seq,
		sizeof(struct ifinfomsg)) == NULL)
		return 0;
	nl_put_str(&m, IFLA_IFNAME, name);
	nl_put_u32(&m, IFLA_LINK, (uint32_t)parent);
	info = nl_nest_begin(&m, IFLA_LINKINFO);
	nl_put(&m, IFLA_INFO_KIND, "vlan", 4); /* as ip(8): no NUL */
	data = nl_nest_begin(&m, IFLA_INFO_DATA);
	nl_put_u16(&m, IFLA_VLAN_ID, vlan_id);
	nl_nest_end(&m, data);
	nl_nest_end(&m, info);
	return nl_msg_len(&m);
}

size_t
iface_nl_link_set(
    void *buf, size_t cap, uint32_t seq, int index, uint32_t mtu, int up)
{
	struct ifinfomsg *ifi;
	struct nl_msg m;

	ifi = nl_msg_init(
	    &m, buf, cap, RTM_NEWLINK, REQ, seq, sizeof(struct ifinfomsg));
	if (ifi == NULL)
		return 0;
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = index;
	if (up >= 0) {
		ifi->ifi_flags = up ? IFF_UP : 0;
		ifi->ifi_change = IFF_UP;
	}
	if (mtu != 0)
		nl_put_u32(&m, IFLA_MTU, mtu);
	return nl_msg_len(&m);
}

size_t
iface_nl_link_del(void *buf, size_t cap, uint32_t seq, int index)
{
	struct ifinfomsg *ifi;
	struct nl_msg m;

	ifi = nl_msg_init(
	    &m, buf, cap, RTM_DELLINK, REQ, seq, sizeof(struct ifinfomsg));
	if (ifi == NULL)
		return 0;
	ifi->ifi_index = index;
	return nl_msg_len(&m);
}

size_t
iface_nl_link_get(void *buf, size_t cap, uint32_t seq, const char *name)
{
	struct nl_msg m;

	if (nl_msg_init(&m, buf, cap, RTM_GETLINK, REQ, seq,
		sizeof(struct ifinfomsg)) == NULL)
		return 0;
	nl_put_str(&m, IFLA_IFNAME, name);
	return nl_msg_len(&m);
}

static size_t
alen(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

size_t
iface_nl_addr(void *buf, size_t cap, uint32_t seq, bool add, int index,
    const struct iface_addr *a)
{
	struct ifaddrmsg *ifa;
	struct nl_msg m;
	uint8_t brd[4];

	ifa = nl_msg_init(&m, buf, cap, add ? RTM_NEWADDR : RTM_DELADDR,
	    add ? REQ | NLM_F_CREATE | NLM_F_EXCL : REQ, seq,
	    sizeof(struct ifaddrmsg));
	if (ifa == NULL)
		return 0;
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = a->plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)index;
	nl_put(&m, IFA_LOCAL, a->addr, alen(a->family));
	nl_put(&m, IFA_ADDRESS, a->addr, alen(a->family));
	if (add)
		nl_put_u8(&m, IFA_PROTO, IFACE_ADDR_PROTO);
	if (add && a->family == AF_INET && a->plen < 31) {
		/* The subnet's last address, as `ip address add ... brd +`. */
		for (int i = 0; i < 4; i++) {
			int bits = (int)a->plen - 8 * i;
			uint8_t host = bits >= 8 ? 0
			    : bits <= 0          ? 0xff
						 : (uint8_t)(0xffu >> bits);

			brd[i] = a->addr[i] | host;
		}
		nl_put(&m, IFA_BROADCAST, brd, 4);
	}
	return nl_msg_len(&m);
}

/* The kind of a link and, for a VLAN, its ID (IFLA_LINKINFO). */
static int
parse_linkinfo(const struct rtattr *info, struct iface_link *l)
{
	const struct rtattr *tb[IFLA_INFO_MAX + 1], *vb[IFLA_VLAN_MAX + 1];

	if (nl_attr_parse(
		tb, IFLA_INFO_MAX, RTA_DATA(info), RTA_PAYLOAD(info)) == -1)
		return -1;
	if (!nl_get_str(tb[IFLA_INFO_KIND], l->kind, sizeof(l->kind)))
		l->kind[0] = '\0';
	if (strcmp(l->kind, "vlan") != 0 || tb[IFLA_INFO_DATA] == NULL)
		return 0;
	if (nl_attr_parse(vb, IFLA_VLAN_MAX, RTA_DATA(tb[IFLA_INFO_DATA]),
		RTA_PAYLOAD(tb[IFLA_INFO_DATA])) == -1)
		return -1;
	if (vb[IFLA_VLAN_ID] != NULL &&
	    !nl_get_u16(vb[IFLA_VLAN_ID], &l->vlan_id))
		return -1;
	return 0;
}

int
iface_nl_link_parse(
    const void *msg, size_t len, struct iface_link *l, bool *deleted)
{
	const struct nlmsghdr *nh = msg;
	const struct rtattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi;
	uint32_t v;

	if (len < sizeof(*nh) || nh->nlmsg_len < sizeof(*nh) ||
	    nh->nlmsg_len > len)
		return -1;
	if (nh->nlmsg_type != RTM_NEWLINK && nh->nlmsg_type != RTM_DELLINK)
		return 0;
	if (nl_msg_attrs(nh, sizeof(*ifi), tb, IFLA_MAX) == -1)
		return -1;
	ifi = NLMSG_DATA(nh);
	memset(l, 0, sizeof(*l));
	*deleted = nh->nlmsg_type == RTM_DELLINK;
	if (ifi->ifi_index <= 0 ||
	    !nl_get_str(tb[IFLA_IFNAME], l->name, sizeof(l->name)))
		return -1;
	l->index = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (tb[IFLA_MTU] != NULL && !nl_get_u32(tb[IFLA_MTU], &l->mtu))
		return -1;
	if (tb[IFLA_OPERSTATE] != NULL &&
	    !nl_get_u8(tb[IFLA_OPERSTATE], &l->operstate))
		return -1;
	if (tb[IFLA_LINK] != NULL) {
		if (!nl_get_u32(tb[IFLA_LINK], &v))
			return -1;
		l->parent = (int)v;
	}
	if (tb[IFLA_LINKINFO] != NULL &&
	    parse_linkinfo(tb[IFLA_LINKINFO], l) == -1)
		return -1;
	return 1;
}

int
iface_nl_addr_parse(const void *msg, size_t len, int *index,
    struct iface_addr *a, uint8_t *proto, bool *deleted)
{
	const struct nlmsghdr *nh = msg;
	const struct rtattr *tb[IFA_MAX + 1], *at;
	const struct ifaddrmsg *ifa;

	if (len < sizeof(*nh) || nh->nlmsg_len < sizeof(*nh) ||
	    nh->nlmsg_len > len)
		return -1;
	if (nh->nlmsg_type != RTM_NEWADDR && nh->nlmsg_type != RTM_DELADDR)
		return 0;
	if (nl_msg_attrs(nh, sizeof(*ifa), tb, IFA_MAX) == -1)
		return -1;
	ifa = NLMSG_DATA(nh);
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 0;
	memset(a, 0, sizeof(*a));
	a->family = ifa->ifa_family;
	a->plen = ifa->ifa_prefixlen;
	/* IFA_LOCAL is ours; IFA_ADDRESS is the peer's on a point-to-point
	 * link, and the only one IPv6 sends. */
	at = tb[IFA_LOCAL] != NULL ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (at == NULL || RTA_PAYLOAD(at) != alen(a->family) ||
	    a->plen > 8 * alen(a->family) || ifa->ifa_index == 0)
		return -1;
	memcpy(a->addr, RTA_DATA(at), alen(a->family));
	if (proto != NULL) {
		*proto = 0;
		if (tb[IFA_PROTO] != NULL && !nl_get_u8(tb[IFA_PROTO], proto))
			return -1;
	}
	*index = (int)ifa->ifa_index;
	*deleted = nh->nlmsg_type == RTM_DELADDR;
	return 1;
}
