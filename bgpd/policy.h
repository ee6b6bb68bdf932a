/*
 * policy.h: routing policy of dxbgpd (policy.c, policy_cmd.c).
 *
 * The named objects of a configuration: IPv4 and IPv6 prefix lists,
 * standard and large community lists, AS-path access lists (POSIX
 * extended regular expressions over the path as text, "_" a boundary)
 * and route-maps.  They live in a struct pol, part of the config tree
 * (conf.h), and are plain data until compiled for use; a route-map is
 * applied to one route (its prefix and a struct rib_attrs_key that the
 * set clauses change) and either permits it, changed, or denies it.
 *
 * Names that a neighbor or a route-map refers to but that are not
 * defined behave as in FRR: an undefined route-map denies everything,
 * an undefined prefix list, community list or AS-path list matches
 * nothing.  conf_check warns about them.
 */
#ifndef DXBGP_POLICY_H
#define DXBGP_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <dxbgp/rib.h>

struct pol;
struct conf;
struct conf_neighbor;

struct pol *pol_new(void);
void pol_free(struct pol *);
/* The policy part of the running config, in canonical form. */
void pol_print(const struct pol *, FILE *out);
/* Whether two policies define the same objects the same way. */
bool pol_eq(const struct pol *, const struct pol *);

/*
 * Storage for the arrays a route-map rewrites (AS path, communities):
 * the key passed to pol_apply may point into it afterwards, so it must
 * live as long as the key is used.
 */
struct pol_buf {
	uint8_t aspath[4096];
	uint8_t comm[4096];
	uint8_t lcomm[4096];
};

enum pol_verdict { POL_DENY = 0, POL_PERMIT = 1 };

/*
 * Applies prefix list plist (if not NULL) then route-map rmap (if not
 * NULL) to a route; set clauses change *k.  A name not defined denies
 * (route-map) or matches nothing (prefix list: denies).  own_as: how
 * many ASNs at the front of the path the daemon itself put there (our
 * AS toward an external peer): "match as-path" does not see them and
 * "set as-path prepend" goes after them, as if the route-map ran
 * before they were added.
 */
enum pol_verdict pol_apply(const struct pol *, const char *plist,
    const char *rmap, const struct rib_prefix *, struct rib_attrs_key *k,
    unsigned own_as, struct pol_buf *);
/*
 * Whether the result of pol_apply for these names can depend on the
 * prefix (a prefix list is involved); if not, the result for one
 * attribute set holds for every prefix of the same family that
 * carries it.
 */
bool pol_per_prefix(const struct pol *, const char *plist, const char *rmap);
/* Whether name (route-map, prefix list) means the same in a and b. */
bool pol_same_rmap(const struct pol *a, const struct pol *b, const char *name);
bool pol_same_plist(
    const struct pol *a, const struct pol *b, int afi, const char *name);

/*
 * Whether the inbound (out false) or outbound policy of a neighbor
 * differs between two configs: its route-map and prefix-list names,
 * what they mean, and RFC 8212.  For reload: such a change is applied
 * with route refresh or the stored routes, not with a reset.
 */
bool pol_neighbor_changed(const struct conf *old,
    const struct conf_neighbor *on, const struct conf *new,
    const struct conf_neighbor *nn, bool out);

/* Registers the policy commands (policy_cmd.c); idempotent. */
void pol_cmd_register(void);

#endif
