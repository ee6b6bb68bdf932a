/*
 * nl.c: rtnetlink plumbing shared by nht.c and iface.c (rtnetlink(7),
 * netlink(7)).
 *
 * Messages are built in a caller's buffer and attributes are read in
 * place, each bounds-checked: a message that does not fit is never
 * sent, and an attribute that overruns its message is an error.  The
 * socket helpers are blocking with a timeout of 5 s: a dump or an
 * acknowledged request to the kernel answers at once, and they run at
 * start, on a reload, or after a lost update only.  Requests ask for
 * extended acknowledgments, so an error carries the kernel's own text.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "nl.h"

/* ---- building a message ---- */

static struct nlmsghdr *
hdr(struct nl_msg *m)
{
	return (struct nlmsghdr *)(void *)m->buf;
}

void *
nl_msg_init(struct nl_msg *m, void *buf, size_t cap, uint16_t type,
    uint16_t flags, uint32_t seq, size_t hdrlen)
{
	struct nlmsghdr *nh;

	m->buf = buf;
	m->cap = cap;
	m->overflow = NLMSG_SPACE(hdrlen) > cap;
	if (m->overflow)
		return NULL;
	memset(buf, 0, NLMSG_SPACE(hdrlen));
	nh = hdr(m);
	nh->nlmsg_len = (uint32_t)NLMSG_LENGTH(hdrlen);
	nh->nlmsg_type = type;
	nh->nlmsg_flags = flags;
	nh->nlmsg_seq = seq;
	return NLMSG_DATA(nh);
}

size_t
nl_msg_len(const struct nl_msg *m)
{
	return m->overflow
	    ? 0
	    : ((const struct nlmsghdr *)(void *)m->buf)->nlmsg_len;
}

void
nl_put(struct nl_msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlmsghdr *nh;
	struct rtattr rta;
	size_t at;

	if (m->overflow)
		return;
	nh = hdr(m);
	at = NLMSG_ALIGN(nh->nlmsg_len);
	if (RTA_LENGTH(len) > UINT16_MAX || at + RTA_SPACE(len) > m->cap) {
		m->overflow = true;
		return;
	}
	rta.rta_len = (uint16_t)RTA_LENGTH(len);
	rta.rta_type = type;
	memset(m->buf + at, 0, RTA_SPACE(len));
	memcpy(m->buf + at, &rta, sizeof(rta));
	if (len > 0)
		memcpy(m->buf + at + RTA_LENGTH(0), data, len);
	/* Padded, as iproute2 does: the next one starts aligned. */
	nh->nlmsg_len = (uint32_t)(at + RTA_SPACE(len));
}

void
nl_put_u8(struct nl_msg *m, uint16_t type, uint8_t v)
{
	nl_put(m, type, &v, sizeof(v));
}

void
nl_put_u16(struct nl_msg *m, uint16_t type, uint16_t v)
{
	nl_put(m, type, &v, sizeof(v));
}

void
nl_put_u32(struct nl_msg *m, uint16_t type, uint32_t v)
{
	nl_put(m, type, &v, sizeof(v));
}

void
nl_put_str(struct nl_msg *m, uint16_t type, const char *s)
{
	nl_put(m, type, s, strlen(s) + 1);
}

size_t
nl_nest_begin(struct nl_msg *m, uint16_t type)
{
	size_t at;

	if (m->overflow)
		return 0;
	at = NLMSG_ALIGN(hdr(m)->nlmsg_len);
	nl_put(m, type, NULL, 0);
	return at;
}

void
nl_nest_end(struct nl_msg *m, size_t nest)
{
	struct rtattr rta;
	size_t len;

	if (m->overflow)
		return;
	len = hdr(m)->nlmsg_len - nest;
	if (len > UINT16_MAX) {
		m->overflow = true;
		return;
	}
	memcpy(&rta, m->buf + nest, sizeof(rta));
	rta.rta_len = (uint16_t)len;
	memcpy(m->buf + nest, &rta, sizeof(rta));
}

/* ---- reading a message ---- */

int
nl_attr_parse(
    const struct rtattr **tb, int max, const struct rtattr *rta, size_t len)
{
	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type <= max)
			tb[rta->rta_type] = rta;
	/* What is left is padding, or an attribute that overruns. */
	return len >= sizeof(struct rtattr) ? -1 : 0;
}

int
nl_msg_attrs(
    const struct nlmsghdr *nh, size_t hdrlen, const struct rtattr **tb, int max)
{
	size_t off = NLMSG_SPACE(hdrlen);

	if (nh->nlmsg_len < NLMSG_LENGTH(hdrlen))
		return -1;
	if (nh->nlmsg_len <= off) {
		memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
		return 0;
	}
	return nl_attr_parse(tb, max,
	    (const struct rtattr *)(const void *)((const uint8_t *)nh + off),
	    nh->nlmsg_len - off);
}

bool
nl_get_u8(const struct rtattr *rta, uint8_t *v)
{
	if (rta == NULL || RTA_PAYLOAD(rta) != sizeof(*v))
		return false;
	memcpy(v, RTA_DATA(rta), sizeof(*v));
	return true;
}

bool
nl_get_u16(const struct rtattr *rta, uint16_t *v)
{
	if (rta == NULL || RTA_PAYLOAD(rta) != sizeof(*v))
		return false;
	memcpy(v, RTA_DATA(rta), sizeof(*v));
	return true;
}

bool
nl_get_u32(const struct rtattr *rta, uint32_t *v)
{
	if (rta == NULL || RTA_PAYLOAD(rta) != sizeof(*v))
		return false;
	memcpy(v, RTA_DATA(rta), sizeof(*v));
	return true;
}

bool
nl_get_str(const struct rtattr *rta, char *buf, size_t len)
{
	const char *s;
	size_t n;

	if (rta == NULL)
		return false;
	s = RTA_DATA(rta);
	n = strnlen(s, RTA_PAYLOAD(rta));
	if (n == 0 || n >= len)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

int
nl_ack_parse(
    const struct nlmsghdr *nh, size_t len, int *error, char *why, size_t whylen)
{
	const struct nlmsgerr *e;
	const struct rtattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off;

	if (whylen > 0)
		why[0] = '\0';
	if (len < NLMSG_LENGTH(sizeof(*e)) || nh->nlmsg_len > len ||
	    nh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) ||
	    nh->nlmsg_type != NLMSG_ERROR)
		return -1;
	e = NLMSG_DATA(nh);
	*error = -e->error;
	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	/* The request comes back whole unless capped (or it is an ACK). */
	off = NLMSG_LENGTH(sizeof(*e));
	if (!(nh->nlmsg_flags & NLM_F_CAPPED) && e->error != 0)
		off += NLMSG_ALIGN(e->msg.nlmsg_len) - sizeof(e->msg);
	off = NLMSG_ALIGN(off);
	if (off >= nh->nlmsg_len)
		return 0;
	if (nl_attr_parse(tb, NLMSGERR_ATTR_MAX,
		(const struct rtattr *)(const void *)((const uint8_t *)nh +
		    off),
		nh->nlmsg_len - off) == -1)
		return -1;
	if (tb[NLMSGERR_ATTR_MSG] != NULL && whylen > 0 &&
	    !nl_get_str(tb[NLMSGERR_ATTR_MSG], why, whylen))
		why[0] = '\0';
	return 0;
}

/* ---- the kernel side ---- */

int
nl_open(unsigned groups, bool nonblock)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
		.nl_groups = groups };
	struct timeval tv = { 5, 0 };
	int one = 1, fd, e;

	fd = socket(AF_NETLINK,
	    SOCK_RAW | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0),
	    NETLINK_ROUTE);
	if (fd == -1)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!nonblock)
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	/* Kernels before 4.12 have no extended ACK: plain errors then. */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

static int
send_msg(int fd, const void *msg, size_t len)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(fd, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa)) == -1)
		return -1;
	return 0;
}

/* Receives one datagram; -1 with errno (a timeout is ETIMEDOUT). */
static ssize_t
recv_msg(int fd, uint8_t *buf, size_t cap)
{
	ssize_t n = recv(fd, buf, cap, 0);

	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		errno = ETIMEDOUT;
	if (n == 0) {
		errno = ECONNRESET;
		return -1;
	}
	return n;
}

int
nl_dump(int fd, uint16_t type, uint8_t family, size_t hdrlen, uint32_t seq,
    void (*fn)(void *, const struct nlmsghdr *), void *arg)
{
	uint8_t req[NLMSG_SPACE(64)] __attribute__((aligned(4)));
	uint8_t buf[32768] __attribute__((aligned(4)));
	const struct nlmsghdr *nh;
	struct nl_msg m;
	uint8_t *fam;
	size_t left;
	ssize_t n;
	int err;

	if (hdrlen == 0 || hdrlen > 64) {
		errno = EINVAL;
		return -1;
	}
	fam = nl_msg_init(&m, req, sizeof(req), type,
	    NLM_F_REQUEST | NLM_F_DUMP, seq, hdrlen);
	*fam = family; /* every family header starts with it */
	if (send_msg(fd, req, nl_msg_len(&m)) == -1)
		return -1;
	for (;;) {
		if ((n = recv_msg(fd, buf, sizeof(buf))) == -1)
			return -1;
		left = (size_t)n;
		for (nh = (const void *)buf; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			if (nh->nlmsg_seq != seq)
				continue; /* an answer to an earlier request */
			if (nh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				if (nl_ack_parse(nh, left, &err, NULL, 0) == -1)
					err = EPROTO;
				errno = err != 0 ? err : EPROTO;
				return -1;
			}
			fn(arg, nh);
		}
	}
}

int
nl_request(int fd, struct nl_msg *m, char *why, size_t whylen,
    void (*fn)(void *, const struct nlmsghdr *), void *arg)
{
	uint8_t buf[32768] __attribute__((aligned(4)));
	struct nlmsghdr *req = hdr(m);
	const struct nlmsghdr *nh;
	size_t left, len = nl_msg_len(m);
	ssize_t n;
	int err;

	if (whylen > 0)
		why[0] = '\0';
	if (len == 0)
		return EMSGSIZE;
	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (send_msg(fd, req, len) == -1)
		return errno;
	for (;;) {
		if ((n = recv_msg(fd, buf, sizeof(buf))) == -1)
			return errno;
		left = (size_t)n;
		for (nh = (const void *)buf; NLMSG_OK(nh, left);
		     nh = NLMSG_NEXT(nh, left)) {
			if (nh->nlmsg_seq != req->nlmsg_seq)
				continue;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				if (nl_ack_parse(nh, left, &err, why, whylen) ==
				    -1)
					return EPROTO;
				return err;
			}
			if (fn != NULL)
				fn(arg, nh);
		}
	}
}
