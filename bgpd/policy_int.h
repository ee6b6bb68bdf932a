/*
 * policy_int.h: the policy objects of struct pol, shared by policy.c
 * (evaluation, printing, comparison) and policy_cmd.c (the commands
 * that build them).  Every list keeps its entries sorted by sequence
 * number; names are unique per kind (and per family for prefix lists).
 */
#ifndef DXBGP_POLICY_INT_H
#define DXBGP_POLICY_INT_H

#include <regex.h>

#include "conf.h"
#include "policy.h"

#define POL_NAME_MAX    CONF_NAME_MAX
#define POL_VALUES_MAX  64  /* communities in one entry or set clause */
#define POL_PREPEND_MAX 16  /* ASNs of one "set as-path prepend" */
#define POL_REGEX_MAX   256 /* an AS-path regular expression, as typed */

/* ---- prefix lists ---- */

struct pol_plist_ent {
	uint32_t seq;
	bool permit;
	struct rib_prefix pfx;
	uint8_t ge, le; /* 0: not given */
};

struct pol_plist {
	struct pol_plist *next;
	char name[POL_NAME_MAX];
	uint8_t afi; /* BGP_AFI_IPV4 (ip) or BGP_AFI_IPV6 (ipv6) */
	struct pol_plist_ent *ent;
	size_t n, cap;
};

/* ---- community lists (standard and large) ---- */

struct pol_clist_ent {
	uint32_t seq;
	bool permit;
	size_t n;   /* values; all must be on the route to match */
	uint8_t *v; /* n * 4 (standard) or n * 12 (large) bytes */
};

struct pol_clist {
	struct pol_clist *next;
	char name[POL_NAME_MAX];
	bool large;
	struct pol_clist_ent *ent;
	size_t n, cap;
};

/* ---- AS-path access lists ---- */

struct pol_aslist_ent {
	uint32_t seq;
	bool permit;
	char text[POL_REGEX_MAX]; /* as typed */
	regex_t re;               /* compiled, "_" expanded */
};

struct pol_aslist {
	struct pol_aslist *next;
	char name[POL_NAME_MAX];
	struct pol_aslist_ent *ent;
	size_t n, cap;
};

/* ---- route-maps ---- */

/* Match clauses (all must hold). */
#define POL_M_PLIST4 (1u << 0)
#define POL_M_PLIST6 (1u << 1)
#define POL_M_COMM   (1u << 2)
#define POL_M_LCOMM  (1u << 3)
#define POL_M_ASPATH (1u << 4)

/* Set clauses. */
#define POL_S_LOCAL_PREF (1u << 0)
#define POL_S_MED        (1u << 1)
#define POL_S_COMM       (1u << 2) /* replace, or add with comm_additive */
#define POL_S_COMM_NONE  (1u << 3)
#define POL_S_LCOMM      (1u << 4)
#define POL_S_LCOMM_NONE (1u << 5)
#define POL_S_COMM_DEL   (1u << 6) /* set comm-list NAME delete */
#define POL_S_LCOMM_DEL  (1u << 7)
#define POL_S_PREPEND    (1u << 8)
#define POL_S_NEXTHOP4   (1u << 9)
#define POL_S_NEXTHOP6   (1u << 10)
#define POL_S_ORIGIN     (1u << 11)

/* What happens after a permit entry matched. */
enum pol_exit {
	POL_EXIT_DONE = 0, /* the route-map ends here: permit */
	POL_EXIT_NEXT,     /* on-match next */
	POL_EXIT_GOTO,     /* on-match goto SEQ / continue SEQ */
};

struct pol_rmap_ent {
	uint32_t seq;
	bool permit;
	char description[CONF_DESC_MAX];
	unsigned match;
	char m_plist4[POL_NAME_MAX];
	char m_plist6[POL_NAME_MAX];
	char m_comm[POL_NAME_MAX];
	bool m_comm_exact;
	char m_lcomm[POL_NAME_MAX];
	char m_aspath[POL_NAME_MAX];
	unsigned set;
	uint32_t s_local_pref;
	int8_t s_med_op; /* 0 set, +1 add, -1 subtract */
	uint32_t s_med;
	uint8_t s_comm[POL_VALUES_MAX * 4];
	size_t s_ncomm;
	bool s_comm_additive;
	uint8_t s_lcomm[POL_VALUES_MAX * 12];
	size_t s_nlcomm;
	bool s_lcomm_additive;
	char s_comm_del[POL_NAME_MAX];
	char s_lcomm_del[POL_NAME_MAX];
	uint32_t s_prepend[POL_PREPEND_MAX];
	uint8_t s_nprepend;
	uint8_t s_nexthop4[4];
	uint8_t s_nexthop6[16];
	uint8_t s_origin;
	enum pol_exit exit;
	uint32_t exit_seq;  /* POL_EXIT_GOTO: 0 = the next entry */
	bool exit_continue; /* written as "continue" rather than on-match */
};

struct pol_rmap {
	struct pol_rmap *next;
	char name[POL_NAME_MAX];
	struct pol_rmap_ent **ent; /* by pointer: the shell edits one */
	size_t n, cap;
};

struct pol {
	struct pol_plist *plists;
	struct pol_clist *clists;
	struct pol_aslist *aslists;
	struct pol_rmap *rmaps;
};

/* Takes one list or route-map out of a policy and frees it. */
void pol_plist_del(struct pol *, struct pol_plist *);
void pol_clist_del(struct pol *, struct pol_clist *);
void pol_aslist_del(struct pol *, struct pol_aslist *);
void pol_rmap_del(struct pol *, struct pol_rmap *);

struct pol_plist *pol_plist_find(const struct pol *, int afi, const char *);
struct pol_clist *pol_clist_find(const struct pol *, bool large, const char *);
struct pol_aslist *pol_aslist_find(const struct pol *, const char *);
struct pol_rmap *pol_rmap_find(const struct pol *, const char *);

/* Compiles an AS-path expression into e->re; -1 and why if refused. */
int pol_aslist_compile(struct pol_aslist_ent *e, char *err, size_t errlen);

/* Parses "65000:1", "no-export"...; false if it is no community. */
bool pol_comm_parse(const char *s, uint8_t out[4]);
bool pol_lcomm_parse(const char *s, uint8_t out[12]);
void pol_comm_str(const uint8_t v[4], char *buf, size_t len);
void pol_lcomm_str(const uint8_t v[12], char *buf, size_t len);
/* "10.0.0.0/8" or "2001:db8::/32", host bits zero; false if not. */
bool pol_prefix_parse(const char *s, struct rib_prefix *);
void pol_prefix_str(const struct rib_prefix *, char *buf, size_t len);

/* The result of one prefix list for one prefix (no list: deny). */
bool pol_plist_permits(const struct pol_plist *, const struct rib_prefix *);

#endif
