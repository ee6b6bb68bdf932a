/*
 * fuzz_conf.c: libFuzzer target for the config reader: the command
 * engine (cmd.c) with every config table (conf_cmd.c, policy_cmd.c,
 * log_cmd.c), and the printer (conf.c, policy.c).
 *
 * The input is a config file.  Reading it must not crash whatever it
 * holds; if it is accepted, the canonical text it prints must be read
 * back, print the same again (the fixed point `show running-config`
 * promises), and the copy must mean the same policy.
 *
 * Build and run with scripts/fuzz.sh.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "policy.h"

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",       \
			    __FILE__, __LINE__, #c);                           \
			abort();                                               \
		}                                                              \
	} while (0)

static char *
print(const struct conf *c, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	CHECK(f != NULL);
	conf_print(c, f);
	fclose(f);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c = NULL, *c2 = NULL, *c3 = NULL;
	char *text, *t1, *t2, *t3;
	size_t l1, l2, l3;
	FILE *devnull = fopen("/dev/null", "w");

	if (size > 65536 || devnull == NULL) {
		if (devnull != NULL)
			fclose(devnull);
		return 0;
	}
	text = malloc(size + 1);
	CHECK(text != NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	if (conf_load_string(text, "fuzz.conf", &c, devnull) == 0) {
		CHECK(c != NULL);
		conf_warn(c, "fuzz.conf", devnull);
		t1 = print(c, &l1);
		if (conf_load_string(t1, "print.conf", &c2, stderr) != 0) {
			fprintf(stderr, "printed config refused:\n%s\n", t1);
			CHECK(!"the printed config reads back");
		}
		t2 = print(c2, &l2);
		CHECK(l1 == l2 && memcmp(t1, t2, l1) == 0);
		CHECK(pol_eq(c->pol, c2->pol));
		c3 = conf_dup(c2);
		t3 = print(c3, &l3);
		CHECK(l3 == l2 && memcmp(t3, t2, l2) == 0);
		free(t1);
		free(t2);
		free(t3);
		conf_free(c2);
		conf_free(c3);
		conf_free(c);
	} else
		CHECK(c == NULL);
	free(text);
	fclose(devnull);
	return 0;
}
