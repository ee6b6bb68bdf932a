/*
 * wire_nlri.c: NLRI fields, iterated straight out of the receive buffer
 * with no allocation per prefix.
 *
 * Implements the prefix encoding of RFC 4271 §4.3 (IPv4) and RFC 4760
 * §5 / RFC 2545 (IPv6), with the path identifier of RFC 7911 §3 when
 * ADD-PATH is in use.  Host bits past the prefix length are cleared on
 * reading, so equal prefixes always compare equal.
 */
#include <string.h>

#include <dxbgp/wire.h>

#include "wire_buf.h"

static unsigned int
afi_maxlen(uint16_t afi)
{
	return afi == BGP_AFI_IPV6 ? 128 : 32;
}

long
wire_nlri_check(const uint8_t *p, size_t len, uint16_t afi, bool addpath)
{
	const uint8_t *end = p + len;
	unsigned int max = afi_maxlen(afi);
	long n = 0;
	uint8_t plen;

	while (p < end) {
		if (addpath) {
			if (end - p < 4)
				return -1;
			p += 4;
		}
		if (p >= end)
			return -1;
		plen = *p++;
		if (plen > max)
			return -1;
		if ((size_t)(end - p) < (size_t)(plen + 7) / 8)
			return -1;
		p += (plen + 7) / 8;
		n++;
	}
	return n;
}

void
wire_nlri_iter_init(struct wire_nlri_iter *it, const uint8_t *p, size_t len,
    uint16_t afi, bool addpath)
{
	it->p = p;
	it->end = p + len;
	it->afi = afi;
	it->addpath = addpath;
}

int
wire_nlri_next(struct wire_nlri_iter *it, struct wire_prefix *pfx)
{
	const uint8_t *p = it->p;
	unsigned int nbytes;
	uint8_t plen;

	if (p >= it->end)
		return 0;
	pfx->path_id = 0;
	if (it->addpath) {
		if (it->end - p < 5)
			return -1;
		pfx->path_id = get32(p);
		p += 4;
	}
	plen = *p++;
	if (plen > afi_maxlen(it->afi))
		return -1;
	nbytes = (plen + 7u) / 8u;
	if ((size_t)(it->end - p) < nbytes)
		return -1;
	pfx->afi = it->afi;
	pfx->len = plen;
	memset(pfx->addr, 0, sizeof(pfx->addr));
	memcpy(pfx->addr, p, nbytes);
	if (plen % 8 != 0)
		pfx->addr[nbytes - 1] &= (uint8_t)(0xff << (8 - plen % 8));
	it->p = p + nbytes;
	return 1;
}

size_t
wire_nlri_size(const struct wire_prefix *pfx, bool addpath)
{
	return (addpath ? 4u : 0u) + 1u + (pfx->len + 7u) / 8u;
}

size_t
wire_nlri_encode(
    const struct wire_prefix *pfx, bool addpath, uint8_t *buf, size_t cap)
{
	size_t n = wire_nlri_size(pfx, addpath);
	uint8_t *p = buf;

	if (n > cap)
		return 0;
	if (addpath) {
		put32(p, pfx->path_id);
		p += 4;
	}
	*p++ = pfx->len;
	memcpy(p, pfx->addr, (pfx->len + 7u) / 8u);
	return n;
}
