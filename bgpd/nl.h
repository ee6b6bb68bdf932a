/*
 * nl.h: rtnetlink plumbing (nl.c) shared by next-hop tracking (nht.c)
 * and the interface module (iface.c, iface_nl.c): building a request
 * in a caller's buffer, reading the attributes of a message, the
 * sockets, dumps and acknowledged requests (rtnetlink(7), netlink(7)).
 */
#ifndef DXBGP_NL_H
#define DXBGP_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* ---- building a message ---- */

/*
 * A message under construction in buf (4-byte aligned, cap bytes).
 * What does not fit sets overflow and is left out: nl_msg_len is then
 * 0, so a truncated request is never sent.
 */
struct nl_msg {
	uint8_t *buf;
	size_t cap;
	bool overflow;
};

/* Starts a message: the netlink header and a zeroed family header. */
void *nl_msg_init(struct nl_msg *, void *buf, size_t cap, uint16_t type,
    uint16_t flags, uint32_t seq, size_t hdrlen);
/* The whole message's length, 0 if something did not fit. */
size_t nl_msg_len(const struct nl_msg *);
void nl_put(struct nl_msg *, uint16_t type, const void *data, size_t len);
void nl_put_u8(struct nl_msg *, uint16_t type, uint8_t v);
void nl_put_u16(struct nl_msg *, uint16_t type, uint16_t v);
void nl_put_u32(struct nl_msg *, uint16_t type, uint32_t v);
/* A NUL-terminated string, the NUL included (as the kernel expects). */
void nl_put_str(struct nl_msg *, uint16_t type, const char *s);
/* A nested attribute: nl_nest_end closes the one nl_nest_begin opened. */
size_t nl_nest_begin(struct nl_msg *, uint16_t type);
void nl_nest_end(struct nl_msg *, size_t nest);

/* ---- reading a message ---- */

/*
 * The attributes of a run of len bytes at rta into tb[0..max] (the last
 * of a type wins; types above max are skipped).  -1 if an attribute
 * overruns the run.
 */
int nl_attr_parse(
    const struct rtattr **tb, int max, const struct rtattr *rta, size_t len);
/*
 * The attributes of message nh, after a family header of hdrlen bytes.
 * -1 if the message is shorter than its headers, or an attribute
 * overruns it.
 */
int nl_msg_attrs(const struct nlmsghdr *nh, size_t hdrlen,
    const struct rtattr **tb, int max);
/* An attribute's value, false if it is absent or of another size. */
bool nl_get_u8(const struct rtattr *, uint8_t *);
bool nl_get_u16(const struct rtattr *, uint16_t *);
bool nl_get_u32(const struct rtattr *, uint32_t *);
/* A string attribute copied into buf (NUL-terminated); false if absent,
 * empty or too long. */
bool nl_get_str(const struct rtattr *, char *buf, size_t len);
/*
 * An NLMSG_ERROR message: *error is 0 for an acknowledgment, else the
 * (positive) errno; why gets the kernel's own text (extended ACK), or
 * "".  -1 if nh is not a well-formed NLMSG_ERROR.
 */
int nl_ack_parse(const struct nlmsghdr *nh, size_t len, int *error, char *why,
    size_t whylen);

/* ---- the kernel side ---- */

/*
 * A NETLINK_ROUTE socket bound to the multicast groups (RTMGRP_*, 0 for
 * none), close-on-exec, non-blocking if asked.  -1 with errno.
 */
int nl_open(unsigned groups, bool nonblock);
/*
 * Dumps one kind of object (RTM_GETROUTE, RTM_GETLINK, RTM_GETADDR) of
 * a family on a blocking socket: fn runs for each message until the
 * dump is done.  -1 with errno (5 s without an answer: ETIMEDOUT).
 */
int nl_dump(int fd, uint16_t type, uint8_t family, size_t hdrlen, uint32_t seq,
    void (*fn)(void *arg, const struct nlmsghdr *), void *arg);
/*
 * Sends a request built with nl_msg (NLM_F_ACK is added) on a blocking
 * socket and waits for its answer: 0, or the kernel's errno (with its
 * text in why, "" if none).  Messages that come before the answer
 * (the reply to an RTM_GET request) go to fn if not NULL.
 */
int nl_request(int fd, struct nl_msg *, char *why, size_t whylen,
    void (*fn)(void *arg, const struct nlmsghdr *), void *arg);

#endif
