/*
 * profile.h: provider profiles and HA presets of neighbors (profile.c).
 *
 * `neighbor X profile aws|tencent|carrier` tells dxbgpd which cloud a
 * neighbor is, so that it applies that cloud's defaults (peer AS,
 * timers, BFD, outbound prefix cap) and checks the config against the
 * cloud's rules before anything is applied.  `neighbor X ha
 * primary|backup` is the active/passive preset: local preference in,
 * AS-path prepending or AWS's local-preference communities out.
 *
 * The rules and their sources: doc/decisions.md, "Provider profiles",
 * and ../shared/reference/dx-requirements.md.
 */
#ifndef DXBGP_PROFILE_H
#define DXBGP_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <dxbgp/rib.h>

struct conf;
struct conf_neighbor;

/* struct conf_neighbor.profile */
enum profile_kind {
	PROFILE_NONE = 0,
	PROFILE_AWS,
	PROFILE_TENCENT,
	PROFILE_CARRIER,
	PROFILE_COUNT
};

/* struct conf_neighbor.ha */
enum profile_ha { PROFILE_HA_NONE = 0, PROFILE_HA_PRIMARY, PROFILE_HA_BACKUP };

#define PROFILE_COMM(as, v) ((uint32_t)(as) << 16 | (uint32_t)(v))
/* AWS Direct Connect communities ([A3]). */
#define PROFILE_AWS_AS              7224
#define PROFILE_AWS_PREF_LOW        PROFILE_COMM(7224, 7100)
#define PROFILE_AWS_PREF_MEDIUM     PROFILE_COMM(7224, 7200)
#define PROFILE_AWS_PREF_HIGH       PROFILE_COMM(7224, 7300)
#define PROFILE_AWS_SCOPE_REGION    PROFILE_COMM(7224, 9100)
#define PROFILE_AWS_SCOPE_CONTINENT PROFILE_COMM(7224, 9200)
#define PROFILE_AWS_SCOPE_GLOBAL    PROFILE_COMM(7224, 9300)
#define PROFILE_AWS_FROM_REGION     PROFILE_COMM(7224, 8100)
#define PROFILE_AWS_FROM_CONTINENT  PROFILE_COMM(7224, 8200)

/* The HA presets' values (doc/decisions.md). */
#define PROFILE_HA_LP_PRIMARY 200
#define PROFILE_HA_LP_BACKUP  100
#define PROFILE_HA_PREPEND    3 /* our AS, toward a backup */

#define PROFILE_AWS_OUT_MAX   100  /* per family, private/transit VIF */
#define PROFILE_AWS_OUT_LIMIT 1000 /* the most AWS can allow a VIF */
#define PROFILE_OUT_WARN      80   /* percent of the cap that warns */

/* What a profile sets; 0 where it sets nothing. */
struct profile {
	const char *name;  /* as typed: "aws" */
	const char *cloud; /* in messages: "AWS" */
	uint32_t asn;      /* the cloud's AS: remote-as unless given */
	uint16_t keepalive, holdtime; /* unless timers are given */
	uint16_t bfd_interval_ms;     /* unless given with bfd */
	uint8_t bfd_mult;
	uint32_t out_max; /* outbound cap per family, 0 none */
};

/* The profile of a kind, NULL for PROFILE_NONE. */
const struct profile *profile_get(unsigned kind);
/* The kind named name, or -1. */
int profile_by_name(const char *name);
/* The profile of a neighbor, NULL if it has none. */
const struct profile *profile_of(const struct conf_neighbor *);
/* "primary", "backup", or NULL. */
const char *profile_ha_name(unsigned ha);

/*
 * A key for a neighbor of kind refused, with why in buf, or NULL: AWS
 * takes 6-80 characters, Tencent refuses ? & space " \ +.
 */
const char *profile_key_refused(
    unsigned kind, const char *key, char *buf, size_t len);

/*
 * The checks of a whole tree (conf_check calls it): errors, each as
 * "NAME:LINE: reason"; returns how many.
 */
int profile_check(const struct conf *, const char *name, FILE *errs);
/* What is likely a mistake (conf_warn calls it); returns how many. */
int profile_warn(const struct conf *, const char *name, FILE *out);

/* ---- at run time ---- */

/* The outbound cap per family in force: export-limit, else the
 * profile's; 0 if none. */
uint32_t profile_out_max(const struct conf_neighbor *);
/*
 * Whether Tencent refuses pfx (an aggregate it forbids); if so, how
 * to split it, in buf ("10.0.0.0/8 is refused by Tencent: announce
 * 10.0.0.0/9 and 10.128.0.0/9 instead").
 */
bool profile_tencent_refuses(const struct rib_prefix *, char *buf, size_t len);
/* The aggregates Tencent refuses, for counting: n of them in *n. */
const struct rib_prefix *profile_tencent_refused(size_t *n);
/* Whether graceful restart is offered and helped with (off toward AWS
 * where BFD is on, [A1][A8]). */
bool profile_gr(const struct conf_neighbor *, bool bfd);

/* Room the outbound HA preset needs beside the route's own arrays. */
struct profile_buf {
	uint8_t aspath[4096 + 16];
	uint8_t comm[4096 + 4];
};

/*
 * Inbound HA preset: local preference, unless policy set it (lp_set).
 * Returns whether it changed k.
 */
bool profile_ha_in(
    const struct conf_neighbor *, bool lp_set, struct rib_attrs_key *k);
/*
 * Outbound HA preset on what a neighbor is sent (after its policy):
 * toward AWS the local-preference community (7224:7300 primary,
 * 7224:7100 backup) unless policy gave one; toward others, our AS
 * prepended PROFILE_HA_PREPEND times for a backup.  k may point into b
 * afterwards.  Returns whether it changed k.
 */
bool profile_ha_out(const struct conf_neighbor *, uint32_t local_as,
    struct rib_attrs_key *k, struct profile_buf *b);

#endif
