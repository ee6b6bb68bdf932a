/*
 * hex.h: test vectors written as hex text.  Spaces, newlines and '|'
 * separate bytes for readability and are skipped.
 */
#ifndef DXBGP_TEST_HEX_H
#define DXBGP_TEST_HEX_H

#include <assert.h>
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline int
hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes hex text into out (of size cap); returns the byte count. */
static inline size_t
hex_decode(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi, lo;

	while (*s != '\0') {
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '|') {
			s++;
			continue;
		}
		hi = hex_nibble(s[0]);
		lo = hex_nibble(s[1]);
		assert(hi >= 0 && lo >= 0 && n < cap);
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return n;
}

#endif
