/*
 * prog_nl.c: the rtnetlink messages dxprog sends and reads (rtnetlink(7),
 * include/uapi/linux/rtnetlink.h); pure functions over byte buffers.
 *
 * A route of ours is RTM_NEWROUTE in dxprog's table with its protocol
 * number (rtm_protocol, -P) and metric (RTA_PRIORITY, -m): a unicast
 * route with RTA_GATEWAY, or RTA_MULTIPATH (one struct rtnexthop with
 * its own RTA_GATEWAY per next hop) for ECMP, for IPv4 and IPv6 alike.
 * An IPv4 route with an IPv6 next hop (RFC 8950) carries it in RTA_VIA.
 * The table id goes in RTA_TABLE (rtm_table holds it too when it fits
 * in 8 bits, RT_TABLE_UNSPEC otherwise), as iproute2 does.
 *
 * New routes are created with NLM_F_EXCL, so a route of another
 * protocol with the same key (prefix, metric) is never replaced: the
 * kernel refuses and dxprog reports it.  Routes of ours are changed
 * with NLM_F_REPLACE and deleted with our protocol number set, which
 * the kernel matches.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <linux/rtnetlink.h>

#include "prog_nl.h"

struct nlbuf {
	uint8_t *p;
	size_t len, cap;
	int full;
};

static void *
nb_put(struct nlbuf *b, size_t n)
{
	size_t al = NLMSG_ALIGN(n);
	void *p;

	if (b->full || b->cap - b->len < al) {
		b->full = 1;
		return NULL;
	}
	p = b->p + b->len;
	memset(p, 0, al);
	b->len += al;
	return p;
}

/* Adds an attribute; returns its offset in the buffer (or 0 if full). */
static size_t
nb_attr(struct nlbuf *b, uint16_t type, const void *data, size_t n)
{
	size_t off = b->len;
	struct rtattr *a = nb_put(b, RTA_LENGTH(n));

	if (a == NULL)
		return 0;
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(n);
	if (n > 0)
		memcpy(RTA_DATA(a), data, n);
	return off;
}

static void
nb_attr32(struct nlbuf *b, uint16_t type, uint32_t v)
{
	nb_attr(b, type, &v, sizeof(v));
}

/* A next hop: RTA_GATEWAY in the route's family, else RTA_VIA. */
static void
nb_gateway(struct nlbuf *b, uint8_t af, const struct pr_addr *nh)
{
	uint8_t via[2 + 16];
	int n = pr_addr_len(nh->af);
	uint16_t fam = nh->af;

	if (nh->af == af) {
		nb_attr(b, RTA_GATEWAY, nh->a, (size_t)n);
		return;
	}
	memcpy(via, &fam, 2); /* struct rtvia: rtvia_family, rtvia_addr */
	memcpy(via + 2, nh->a, (size_t)n);
	nb_attr(b, RTA_VIA, via, 2 + (size_t)n);
}

static struct rtmsg *
nb_route_head(struct nlbuf *b, const struct pnl_cfg *cfg, uint16_t type,
    uint16_t flags, uint32_t seq, uint8_t af)
{
	struct nlmsghdr *h = nb_put(b, NLMSG_HDRLEN);
	struct rtmsg *rtm = nb_put(b, sizeof(*rtm));

	if (h == NULL || rtm == NULL)
		return NULL;
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = seq;
	rtm->rtm_family = af;
	rtm->rtm_table =
	    cfg->table < 256 ? (uint8_t)cfg->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = cfg->proto;
	return rtm;
}

size_t
pnl_route_msg(uint8_t *buf, size_t cap, const struct pnl_cfg *cfg, uint32_t seq,
    enum pr_op_kind kind, const struct pr_addr *pfx, uint8_t plen,
    const struct pr_nhs *nhs)
{
	struct nlbuf b = { buf, 0, cap, 0 };
	struct rtmsg *rtm;
	struct rtnexthop *rtnh;
	size_t mp, one;
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	int i;

	if (kind == PR_OP_ADD)
		flags |= NLM_F_CREATE | NLM_F_EXCL;
	else if (kind == PR_OP_REPLACE)
		flags |= NLM_F_CREATE | NLM_F_REPLACE;
	rtm = nb_route_head(&b, cfg,
	    kind == PR_OP_DEL ? RTM_DELROUTE : RTM_NEWROUTE, flags, seq,
	    pfx->af);
	if (rtm == NULL)
		return 0;
	rtm->rtm_dst_len = plen;
	if (kind == PR_OP_DEL) {
		rtm->rtm_scope = RT_SCOPE_NOWHERE; /* any */
		rtm->rtm_type = RTN_UNSPEC;
	} else {
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
		rtm->rtm_type = RTN_UNICAST;
	}
	nb_attr32(&b, RTA_TABLE, cfg->table);
	nb_attr(&b, RTA_DST, pfx->a, (size_t)pr_addr_len(pfx->af));
	nb_attr32(&b, RTA_PRIORITY, cfg->metric);
	if (kind != PR_OP_DEL && nhs->n == 1) {
		nb_gateway(&b, pfx->af, &nhs->nh[0]);
	} else if (kind != PR_OP_DEL) {
		mp = nb_attr(&b, RTA_MULTIPATH, NULL, 0);
		for (i = 0; i < nhs->n && !b.full; i++) {
			one = b.len;
			if (nb_put(&b, sizeof(*rtnh)) == NULL)
				break;
			nb_gateway(&b, pfx->af, &nhs->nh[i]);
			rtnh = (struct rtnexthop *)(b.p + one);
			rtnh->rtnh_len = (unsigned short)(b.len - one);
		}
		if (!b.full)
			((struct rtattr *)(b.p + mp))->rta_len =
			    (unsigned short)(b.len - mp);
	}
	if (b.full)
		return 0;
	((struct nlmsghdr *)buf)->nlmsg_len = (uint32_t)b.len;
	return b.len;
}

size_t
pnl_dump_msg(uint8_t *buf, size_t cap, const struct pnl_cfg *cfg, uint32_t seq,
    uint8_t af)
{
	struct nlbuf b = { buf, 0, cap, 0 };

	if (nb_route_head(&b, cfg, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP,
		seq, af) == NULL)
		return 0;
	nb_attr32(&b, RTA_TABLE, cfg->table);
	if (b.full)
		return 0;
	((struct nlmsghdr *)buf)->nlmsg_len = (uint32_t)b.len;
	return b.len;
}

/* ---- parsing ---- */

/* A gateway attribute (RTA_GATEWAY of family af, or RTA_VIA) into nh. */
static int
parse_gateway(const struct rtattr *a, uint8_t af, struct pr_addr *nh)
{
	size_t n = RTA_PAYLOAD(a);
	const uint8_t *d = RTA_DATA(a);
	uint16_t fam;

	memset(nh, 0, sizeof(*nh));
	if (a->rta_type == RTA_GATEWAY) {
		if (n != (size_t)pr_addr_len(af))
			return -1;
		nh->af = af;
		memcpy(nh->a, d, n);
		return 0;
	}
	if (n < 2)
		return -1;
	memcpy(&fam, d, 2);
	if (pr_addr_len((uint8_t)fam) == 0 ||
	    n != 2 + (size_t)pr_addr_len((uint8_t)fam))
		return -1;
	nh->af = (uint8_t)fam;
	memcpy(nh->a, d + 2, n - 2);
	return 0;
}

static int
nh_cmp(const void *a, const void *b)
{
	return memcmp(a, b, sizeof(struct pr_addr));
}

/* The next hops inside RTA_MULTIPATH. */
static int
parse_multipath(const struct rtattr *mp, uint8_t af, struct pnl_kroute *k)
{
	const uint8_t *p = RTA_DATA(mp);
	size_t left = RTA_PAYLOAD(mp), alen, step;
	const struct rtnexthop *nh;
	const struct rtattr *a;

	while (left >= sizeof(*nh)) {
		nh = (const struct rtnexthop *)p;
		if (nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > left)
			return -1;
		alen = nh->rtnh_len - sizeof(*nh);
		a = RTNH_DATA(nh);
		for (; RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
			if (a->rta_type != RTA_GATEWAY &&
			    a->rta_type != RTA_VIA)
				continue;
			if (k->nhs->n >= PR_NH_MAX)
				return -1;
			if (parse_gateway(a, af, &k->nhs->nh[k->nhs->n]) == -1)
				return -1;
			k->nhs->n++;
		}
		step = RTNH_ALIGN((size_t)nh->rtnh_len);
		if (step >= left)
			break;
		left -= step;
		p += step;
	}
	return 0;
}

int
pnl_parse_route(
    const struct nlmsghdr *h, const struct pnl_cfg *cfg, struct pnl_kroute *k)
{
	const struct rtmsg *rtm;
	const struct rtattr *a;
	size_t len;
	uint32_t table;
	int alen, n, i;

	memset(k, 0, sizeof(*k));
	k->nhs = (struct pr_nhs *)k->room;
	if (h->nlmsg_type != RTM_NEWROUTE ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return -1;
	rtm = NLMSG_DATA(h);
	alen = pr_addr_len(rtm->rtm_family);
	if (alen == 0 || rtm->rtm_protocol != cfg->proto ||
	    rtm->rtm_type != RTN_UNICAST || (rtm->rtm_flags & RTM_F_CLONED))
		return 0;
	if (rtm->rtm_dst_len > alen * 8)
		return -1;
	table = rtm->rtm_table;
	k->pfx.af = rtm->rtm_family;
	k->plen = rtm->rtm_dst_len;
	len = h->nlmsg_len - NLMSG_LENGTH(sizeof(*rtm));
	for (a = RTM_RTA(rtm); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case RTA_TABLE:
			if (RTA_PAYLOAD(a) != 4)
				return -1;
			memcpy(&table, RTA_DATA(a), 4);
			break;
		case RTA_DST:
			if (RTA_PAYLOAD(a) != (size_t)alen)
				return -1;
			memcpy(k->pfx.a, RTA_DATA(a), (size_t)alen);
			break;
		case RTA_PRIORITY:
			if (RTA_PAYLOAD(a) != 4)
				return -1;
			memcpy(&k->metric, RTA_DATA(a), 4);
			break;
		case RTA_GATEWAY:
		case RTA_VIA:
			if (k->nhs->n >= PR_NH_MAX ||
			    parse_gateway(a, k->pfx.af, &k->nhs->nh[k->nhs->n]))
				return -1;
			k->nhs->n++;
			break;
		case RTA_MULTIPATH:
			if (parse_multipath(a, k->pfx.af, k) == -1)
				return -1;
			break;
		}
	}
	if (table != cfg->table)
		return 0;
	/* as prog_table.c keeps them: sorted, unique */
	qsort(k->nhs->nh, k->nhs->n, sizeof(k->nhs->nh[0]), nh_cmp);
	for (i = 0, n = 0; i < k->nhs->n; i++)
		if (n == 0 || nh_cmp(&k->nhs->nh[n - 1], &k->nhs->nh[i]) != 0)
			k->nhs->nh[n++] = k->nhs->nh[i];
	k->nhs->n = (uint16_t)n;
	return 1;
}

int
pnl_parse_err(const struct nlmsghdr *h, int *err, struct pr_addr *pfx,
    uint8_t *plen, const char **why)
{
	const struct nlmsgerr *e;
	const struct nlmsghdr *orig;
	const struct rtmsg *rtm;
	const struct rtattr *a;
	size_t len, olen;
	int found = 0;

	*why = NULL;
	*err = 0;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return 0;
	e = NLMSG_DATA(h);
	*err = e->error;
	orig = &e->msg;
	olen = NLMSG_HDRLEN; /* the kernel echoes only the header on success */
	if (e->error != 0 && !(h->nlmsg_flags & NLM_F_CAPPED))
		olen = orig->nlmsg_len;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) - NLMSG_HDRLEN + olen)
		return 0;
	if (olen >= NLMSG_LENGTH(sizeof(*rtm)) &&
	    (orig->nlmsg_type == RTM_NEWROUTE ||
		orig->nlmsg_type == RTM_DELROUTE)) {
		rtm = NLMSG_DATA(orig);
		memset(pfx, 0, sizeof(*pfx));
		pfx->af = rtm->rtm_family;
		*plen = rtm->rtm_dst_len;
		len = olen - NLMSG_LENGTH(sizeof(*rtm));
		for (a = RTM_RTA(rtm); RTA_OK(a, len); a = RTA_NEXT(a, len))
			if (a->rta_type == RTA_DST &&
			    RTA_PAYLOAD(a) == (size_t)pr_addr_len(pfx->af)) {
				memcpy(pfx->a, RTA_DATA(a), RTA_PAYLOAD(a));
				found = 1;
			}
	}
	if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
		len = h->nlmsg_len -
		    (NLMSG_LENGTH(sizeof(*e)) - NLMSG_HDRLEN +
			NLMSG_ALIGN(olen));
		if ((ssize_t)len > 0) {
			a = (const struct rtattr *)((const uint8_t *)h +
			    h->nlmsg_len - len);
			for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
				if (a->rta_type == NLMSGERR_ATTR_MSG &&
				    RTA_PAYLOAD(a) > 0 &&
				    ((const char *)RTA_DATA(
					a))[RTA_PAYLOAD(a) - 1] == '\0')
					*why = RTA_DATA(a);
		}
	}
	return found;
}
