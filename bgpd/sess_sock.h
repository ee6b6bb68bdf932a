/*
 * sess_sock.h: the socket operations of BGP sessions: listening and
 * connecting without blocking, TCP MD5 keys (RFC 2385), TTL and GTSM
 * (RFC 5082), and the kernel's MD5 failure counters.
 */
#ifndef DXBGP_SESS_SOCK_H
#define DXBGP_SESS_SOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "conf.h"

/* Fills a sockaddr from an address and port; returns its length. */
socklen_t sock_addr_make(
    const struct conf_addr *, uint16_t port, struct sockaddr_storage *ss);
/* The address of a sockaddr (port dropped); false for other families. */
bool sock_addr_get(
    const struct sockaddr_storage *, struct conf_addr *, uint16_t *port);

/* A non-blocking listening socket; -1 with errno set. */
int sock_listen(const struct conf_addr *, uint16_t port);
/*
 * Starts a non-blocking connect from src (family 0: any) to dst:port
 * with the given MD5 key ("" for none), TTL and minimum TTL (0: off).
 * Returns the socket or -1 with errno set.
 */
int sock_connect(const struct conf_addr *dst, uint16_t port,
    const struct conf_addr *src, const char *md5key, int ttl, int minttl);
/* Sets (key non-empty) or removes (key "") the MD5 key for a peer. */
int sock_md5(int fd, const struct conf_addr *peer, const char *key);
int sock_ttl(int fd, int family, int ttl, int minttl);
/* Result of a non-blocking connect: 0 or an errno value. */
int sock_connect_result(int fd);
/*
 * Sum of the kernel's TCP MD5 failure counters (TCPMD5NotFound,
 * TCPMD5Unexpected, TCPMD5Failure in /proc/net/netstat), or -1.
 */
long sock_md5_failures(void);

#endif
