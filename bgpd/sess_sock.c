/*
 * sess_sock.c: sockets for BGP sessions.
 *
 * Everything here is non-blocking.  TCP MD5 (RFC 2385) uses Linux's
 * TCP_MD5SIG option, set on listening sockets for every configured
 * neighbor with a password and on each active socket before connect.
 * Single-hop eBGP sends TTL 1; GTSM (RFC 5082) sends 255 and sets the
 * kernel's minimum received TTL (IP_MINTTL / IPV6_MINHOPCOUNT).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sess_sock.h"

socklen_t
sock_addr_make(
    const struct conf_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET6) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		sin6->sin6_addr = a->u.v6;
		return sizeof(*sin6);
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr = a->u.v4;
	return sizeof(*sin);
}

bool
sock_addr_get(
    const struct sockaddr_storage *ss, struct conf_addr *a, uint16_t *port)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff,
		0xff };

	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		a->family = AF_INET;
		a->u.v4 = sin->sin_addr;
		if (port != NULL)
			*port = ntohs(sin->sin_port);
		return true;
	}
	if (ss->ss_family != AF_INET6)
		return false;
	if (memcmp(sin6->sin6_addr.s6_addr, mapped, sizeof(mapped)) == 0) {
		a->family = AF_INET;
		memcpy(&a->u.v4, sin6->sin6_addr.s6_addr + 12, 4);
	} else {
		a->family = AF_INET6;
		a->u.v6 = sin6->sin6_addr;
	}
	if (port != NULL)
		*port = ntohs(sin6->sin6_port);
	return true;
}

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return -1;
	return 0;
}

int
sock_listen(const struct conf_addr *a, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = sock_addr_make(a, port, &ss);
	int fd, one = 1, saved;

	fd = socket(a->family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == -1)
		goto fail;
	if (a->family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == -1)
		goto fail;
	if (set_nonblock(fd) == -1 || bind(fd, (struct sockaddr *)&ss, len) ||
	    listen(fd, 64) == -1)
		goto fail;
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int
sock_md5(int fd, const struct conf_addr *peer, const char *key)
{
	struct tcp_md5sig md5;
	size_t klen = strlen(key);

	if (klen > TCP_MD5SIG_MAXKEYLEN) {
		errno = EINVAL;
		return -1;
	}
	memset(&md5, 0, sizeof(md5));
	sock_addr_make(peer, 0, &md5.tcpm_addr);
	md5.tcpm_keylen = (uint16_t)klen;
	memcpy(md5.tcpm_key, key, klen);
	if (setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &md5, sizeof(md5)) == -1) {
		/* Removing a key that was never set is not an error. */
		if (klen == 0 && errno == ENOENT)
			return 0;
		return -1;
	}
	return 0;
}

int
sock_ttl(int fd, int family, int ttl, int minttl)
{
	if (family == AF_INET6) {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
			sizeof(ttl)) == -1)
			return -1;
		if (minttl > 0 &&
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &minttl,
			sizeof(minttl)) == -1)
			return -1;
		return 0;
	}
	if (setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == -1)
		return -1;
	if (minttl > 0 &&
	    setsockopt(fd, IPPROTO_IP, IP_MINTTL, &minttl, sizeof(minttl)) ==
		-1)
		return -1;
	return 0;
}

int
sock_connect(const struct conf_addr *dst, uint16_t port,
    const struct conf_addr *src, const char *md5key, int ttl, int minttl)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, saved, one = 1;

	fd = socket(dst->family, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd == -1)
		return -1;
	if (set_nonblock(fd) == -1)
		goto fail;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (md5key[0] != '\0' && sock_md5(fd, dst, md5key) == -1)
		goto fail;
	if (sock_ttl(fd, dst->family, ttl, minttl) == -1)
		goto fail;
	if (src != NULL && src->family == dst->family) {
		len = sock_addr_make(src, 0, &ss);
		if (bind(fd, (struct sockaddr *)&ss, len) == -1)
			goto fail;
	}
	len = sock_addr_make(dst, port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) == -1 &&
	    errno != EINPROGRESS)
		goto fail;
	return fd;
fail:
	saved = errno;
	close(fd);
	errno = saved;
	return -1;
}

int
sock_connect_result(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		return errno;
	return err;
}

long
sock_md5_failures(void)
{
	char names[4096], vals[4096], *n, *v, *sn, *sv;
	long total = -1;
	FILE *f = fopen("/proc/net/netstat", "r");

	if (f == NULL)
		return -1;
	while (fgets(names, sizeof(names), f) != NULL &&
	    fgets(vals, sizeof(vals), f) != NULL) {
		if (strncmp(names, "TcpExt:", 7) != 0)
			continue;
		total = 0;
		n = strtok_r(names, " \n", &sn);
		v = strtok_r(vals, " \n", &sv);
		while (n != NULL && v != NULL) {
			if (strcmp(n, "TCPMD5NotFound") == 0 ||
			    strcmp(n, "TCPMD5Unexpected") == 0 ||
			    strcmp(n, "TCPMD5Failure") == 0)
				total += atol(v);
			n = strtok_r(NULL, " \n", &sn);
			v = strtok_r(NULL, " \n", &sv);
		}
	}
	fclose(f);
	return total;
}
