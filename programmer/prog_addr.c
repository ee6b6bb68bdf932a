/*
 * prog_addr.c: addresses, CIDRs and next-hop sets for dxprog: parsing,
 * printing, overlap and equality.  Pure functions.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "prog.h"

int
pr_addr_len(uint8_t af)
{
	return af == AF_INET ? 4 : af == AF_INET6 ? 16 : 0;
}

char *
pr_addr_fmt(char *buf, size_t size, const struct pr_addr *a, int plen)
{
	char txt[INET6_ADDRSTRLEN];

	if (inet_ntop(a->af, a->a, txt, sizeof(txt)) == NULL)
		snprintf(txt, sizeof(txt), "?");
	if (plen >= 0)
		snprintf(buf, size, "%s/%d", txt, plen);
	else
		snprintf(buf, size, "%s", txt);
	return buf;
}

/* Whether the first bits bits of a and b are the same. */
static int
bits_equal(const uint8_t *a, const uint8_t *b, unsigned int bits)
{
	unsigned int full = bits / 8, rest = bits % 8;
	uint8_t mask;

	if (memcmp(a, b, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((a[full] ^ b[full]) & mask) == 0;
}

int
pr_cidr_parse(const char *s, struct pr_addr *a, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long n;
	struct pr_addr zero;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash == NULL)
		return -1;
	*slash++ = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, a->a) == 1)
		a->af = AF_INET;
	else if (inet_pton(AF_INET6, buf, a->a) == 1)
		a->af = AF_INET6;
	else
		return -1;
	if (*slash < '0' || *slash > '9')
		return -1;
	n = strtoul(slash, &end, 10);
	if (*end != '\0' || n > (unsigned long)pr_addr_len(a->af) * 8)
		return -1;
	*plen = (uint8_t)n;
	/* host bits must be zero: the same bits as the all-zero address */
	memset(&zero, 0, sizeof(zero));
	for (n = *plen; n < (unsigned long)pr_addr_len(a->af) * 8; n++)
		if (a->a[n / 8] & (0x80 >> (n % 8)))
			return -1;
	return 0;
}

int
pr_cidr_overlap(const struct pr_addr *a, uint8_t alen, const struct pr_addr *b,
    uint8_t blen)
{
	if (a->af != b->af)
		return 0;
	return bits_equal(a->a, b->a, alen < blen ? alen : blen);
}

int
pr_nhs_equal(const struct pr_nhs *a, const struct pr_nhs *b)
{
	if (a == b)
		return 1;
	if (a == NULL || b == NULL || a->n != b->n)
		return 0;
	return memcmp(a->nh, b->nh, a->n * sizeof(a->nh[0])) == 0;
}

char *
pr_peer_fmt(char *buf, size_t size, const struct pr_peer *p)
{
	struct pr_addr a;

	if (p == NULL || p->len == 0) {
		snprintf(buf, size, "(none)");
		return buf;
	}
	memset(&a, 0, sizeof(a));
	a.af = p->len == 4 ? AF_INET : AF_INET6;
	memcpy(a.a, p->a, p->len);
	return pr_addr_fmt(buf, size, &a, -1);
}
