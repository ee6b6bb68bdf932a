/*
 * conf.h: the configuration tree of dxbgpd.
 *
 * A tree is built by running the commands of a config file (or of the
 * shell) through the command table (cmd.c); it is plain data, with no
 * sockets and no timers.  The running daemon holds one tree; a reload
 * builds a second one, and only a valid tree ever replaces the first.
 */
#ifndef DXBGP_CONF_H
#define DXBGP_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <dxbgp/rib.h>

#define CONF_NAME_MAX         64
#define CONF_DESC_MAX         128
#define CONF_PASSWORD_MAX     80  /* Linux TCP_MD5SIG_MAXKEYLEN */
#define CONF_SHUTDOWN_MSG_MAX 255 /* RFC 9003 */

#define CONF_NEIGHBORS_MAX           63 /* RIB peer numbers, see rib.h */
#define CONF_CONNECT_RETRY_DEFAULT   30
#define CONF_GR_RESTART_TIME_DEFAULT 120
#define CONF_PORT_DEFAULT            179
#define CONF_KEEPALIVE_DEFAULT       30 /* the clouds' defaults */
#define CONF_HOLDTIME_DEFAULT        90
#define CONF_EBGP_MULTIHOP_DEFAULT   255 /* "ebgp-multihop" without a TTL */
#define CONF_BFD_INTERVAL_DEFAULT    300 /* ms: AWS Direct Connect's */
#define CONF_BFD_MULT_DEFAULT        3

/* Address families a neighbor exchanges. */
#define CONF_AF_IPV4 (1u << 0)
#define CONF_AF_IPV6 (1u << 1)

struct conf_addr {
	int family; /* AF_INET or AF_INET6, 0 if unset */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

/* The policy of a neighbor in one address family: names, "" if none. */
struct conf_nbr_pol {
	char rmap_in[CONF_NAME_MAX];
	char rmap_out[CONF_NAME_MAX];
	char plist_in[CONF_NAME_MAX];
	char plist_out[CONF_NAME_MAX];
};

#define CONF_IFNAME_MAX 16 /* IFNAMSIZ, the NUL included */

#define CONF_IFADDR_MAX 16 /* addresses per interface block */

/* ip address A/LEN, ipv6 address A/LEN */
struct conf_ifaddr {
	struct conf_addr addr;
	uint8_t plen;
};

/*
 * An interface block (interface NAME): what the interface module
 * (iface.c) makes of the link of that name.
 */
struct conf_iface {
	struct conf_iface *next;
	char name[CONF_IFNAME_MAX];
	char description[CONF_DESC_MAX];
	int line;
	uint16_t vlan_id;             /* vlan ID parent PHYS; 0: not a VLAN */
	char parent[CONF_IFNAME_MAX]; /* the VLAN's parent link */
	uint32_t mtu;                 /* 0: as the kernel has it */
	bool shutdown;                /* kept administratively down */
	uint8_t naddrs;
	struct conf_ifaddr addrs[CONF_IFADDR_MAX]; /* in order given */
};

#define CONF_PATH_MAX 256

/* A socket of the export stream: export listen unix|tls ... */
struct conf_export_listen {
	struct conf_export_listen *next;
	bool tls;
	char path[108];        /* unix: the socket's path (sun_path) */
	struct conf_addr addr; /* tls: where to listen */
	uint16_t port;
	char cert[CONF_PATH_MAX]; /* tls: our certificate chain (PEM) */
	char key[CONF_PATH_MAX];  /* tls: its private key (PEM) */
	char ca[CONF_PATH_MAX];   /* tls: CAs that sign subscribers' certs */
	char rmap[CONF_NAME_MAX]; /* only routes it permits; "" all */
	int line;
};

#define CONF_EXPORT_JOURNAL_DEFAULT 131072
#define CONF_EXPORT_STARTUP_DELAY   30

/* A prefix we originate (network PREFIX [route-map NAME]). */
struct conf_network {
	struct conf_network *next;
	struct rib_prefix pfx;
	char rmap[CONF_NAME_MAX]; /* "" if none */
	int line;
};

struct conf_neighbor {
	struct conf_neighbor *next;
	struct conf_addr addr;
	char name[CONF_NAME_MAX]; /* the address as text, canonical */
	uint32_t remote_as;       /* 0 until remote-as is given */
	uint32_t local_as;        /* 0: the router's AS */
	uint16_t port;            /* TCP port of the peer, default 179 */
	char description[CONF_DESC_MAX];
	char password[CONF_PASSWORD_MAX + 1]; /* empty: no TCP MD5 */
	bool timers_set;
	uint16_t keepalive;     /* seconds; defaults 30 */
	uint16_t holdtime;      /* seconds; defaults 90; 0 only if set */
	uint16_t connect_retry; /* seconds */
	struct conf_addr update_source;
	bool passive;
	bool shutdown;
	char shutdown_msg[CONF_SHUTDOWN_MSG_MAX + 1];
	uint8_t ttl_security_hops; /* GTSM (RFC 5082), 0 = off */
	uint8_t ebgp_multihop;     /* TTL for eBGP, 0 = default (1) */
	bool next_hop_self;        /* next hop = us, also toward iBGP */
	bool remove_private_as;    /* strip private ASNs toward eBGP */
	bool as_override;          /* its AS in paths sent to it -> ours */
	bool rr_client;            /* route-reflector client (RFC 4456) */
	uint8_t allowas_in;        /* our AS accepted this many times */
	uint32_t max_prefix;       /* routes accepted from it, 0 = no limit */
	uint8_t max_prefix_warn;   /* percent of max_prefix that warns */
	bool max_prefix_warn_only; /* past the limit: warn, keep the session */
	uint16_t max_prefix_restart; /* minutes before coming back, 0 never */
	uint16_t mrai;               /* advertisement interval, seconds */
	bool soft_reconfig;          /* keep its routes as received, too */
	uint8_t af;                  /* CONF_AF_* exchanged */
	bool af_explicit;            /* af set by activate / no activate */
	struct conf_nbr_pol pol[2];  /* per family: [0] IPv4, [1] IPv6 */
	uint8_t profile;             /* enum profile_kind (profile.h), 0 none */
	uint8_t ha;                  /* enum profile_ha: HA preset, 0 none */
	int profile_line;            /* where profile was given */
	uint32_t max_prefix_out;     /* outbound cap per family, 0: profile's */
	char ifname[CONF_IFNAME_MAX]; /* bound to this link, "" if not */
	bool bfd;                     /* BFD (RFC 5880) watches the path */
	uint16_t bfd_interval_ms;     /* 0: default (conf_neighbor_bfd) */
	uint8_t bfd_mult;             /* 0: default */
	bool bfd_strict;              /* BGP waits for BFD Up */
	int line;                     /* where it was first configured */
};

struct conf {
	char hostname[CONF_NAME_MAX];
	bool has_bgp; /* a router bgp block exists */
	uint32_t asn;
	uint32_t router_id;        /* host order; 0 = pick one */
	bool ebgp_requires_policy; /* RFC 8212, default true */
	bool allow_martian_nexthop;
	uint16_t gr_restart_time;
	uint8_t maximum_paths; /* multipath, 1 = off */
	bool multipath_relax;  /* any neighbor AS, same path length */
	bool always_compare_med;
	uint32_t cluster_id;             /* RFC 4456; 0 = the router ID */
	struct conf_neighbor *neighbors; /* in order of appearance */
	int bgp_line;                    /* where router bgp was given */
	struct conf_network *networks;   /* in order of prefix */
	struct conf_iface *ifaces;       /* in order of appearance */
	struct pol *pol;                 /* lists and route-maps (policy.h) */
	/* logging (log_cmd.c) */
	bool log_syslog;          /* log syslog: in the foreground too */
	uint8_t log_syslog_level; /* enum log_level */
	char log_file[256];       /* log file PATH, "" if none */
	uint8_t log_file_level;   /* enum log_level */
	/* the export stream (export_cmd.c) */
	struct conf_export_listen *exp_listen; /* in order of appearance */
	uint32_t exp_journal; /* journal entries, 0: the default */
	/* seconds a first snapshot waits for the neighbors' End-of-RIB */
	uint16_t exp_startup_delay;
	bool exp_startup_delay_set; /* else CONF_EXPORT_STARTUP_DELAY */
};

struct conf *conf_new(void);
void conf_free(struct conf *);
struct conf_neighbor *conf_neighbor_find(
    const struct conf *, const struct conf_addr *);
/* Adds a neighbor with the defaults; it is appended to the list. */
struct conf_neighbor *conf_neighbor_add(
    struct conf *, const struct conf_addr *, int line);
void conf_neighbor_del(struct conf *, struct conf_neighbor *);

/* Parses "10.0.0.1" or "2001:db8::1"; false if neither. */
bool conf_addr_parse(const char *s, struct conf_addr *);
/* Formats an address; buf holds at least INET6_ADDRSTRLEN bytes. */
const char *conf_addr_str(const struct conf_addr *, char *buf, size_t len);
bool conf_addr_eq(const struct conf_addr *, const struct conf_addr *);

/* Hold time and keepalive in force for a neighbor. */
uint16_t conf_neighbor_holdtime(const struct conf_neighbor *);
uint16_t conf_neighbor_keepalive(const struct conf_neighbor *);
/*
 * Whether graceful restart (RFC 4724, as helper) is offered to and
 * used with a neighbor: not toward AWS with BFD on (profile.c).
 */
bool conf_neighbor_gr(const struct conf_neighbor *);
/* Families a neighbor exchanges (its transport family by default). */
uint8_t conf_neighbor_af(const struct conf_neighbor *);
/*
 * BFD interval (ms) and detection multiplier in force for a neighbor:
 * the configured ones, else the defaults (300 ms x 3).
 */
void conf_neighbor_bfd(
    const struct conf_neighbor *, uint16_t *interval_ms, uint8_t *mult);

/*
 * Reads a config file: every error goes to errs (if not NULL) as
 * "PATH:LINE: reason".  Returns 0 and the tree in *out, or -1 and
 * *out NULL if anything is wrong: nothing is ever half-applied.
 */
int conf_load_file(const char *path, struct conf **out, FILE *errs);
/* The same for text in memory, named name in the messages. */
int conf_load_string(
    const char *text, const char *name, struct conf **out, FILE *errs);
/*
 * The lines only, without the checks of the whole tree (conf_check):
 * for a candidate being edited in the shell, which may be incomplete.
 */
int conf_parse_string(
    const char *text, const char *name, struct conf **out, FILE *errs);
/*
 * The checks of a whole tree, for trees built by the shell too: a
 * neighbor without remote-as, reserved AS numbers, timers, options
 * that exclude each other.  Prints each as "NAME:LINE: reason" (the
 * line of the neighbor, or of router bgp) and returns how many.
 */
int conf_check(const struct conf *, const char *name, FILE *errs);
/*
 * What is valid but likely a mistake: a route-map or prefix list a
 * neighbor or network uses that is not defined.  Prints each as
 * "NAME:LINE: warning: ..." and returns how many.
 */
int conf_warn(const struct conf *, const char *name, FILE *out);
/* The running config: text that conf_load_string reads back the same. */
void conf_print(const struct conf *, FILE *out);
/* A copy of a valid tree (printed and read back). */
struct conf *conf_dup(const struct conf *);

/*
 * Why a value is refused, or NULL: the same reasons at the line of a
 * command and in conf_check.
 */
const char *conf_asn_refused(uint32_t asn);       /* as our AS, local-as */
const char *conf_remote_as_refused(uint32_t asn); /* as a peer's AS */
const char *conf_timers_refused(
    unsigned keepalive, unsigned holdtime, char *buf, size_t len);

/* Registers the config commands (conf_cmd.c) with cmd.c; idempotent. */
void conf_cmd_register(void);
/* The export stream's commands (export_cmd.c): registering, printing. */
void exp_cmd_register(void);
void exp_conf_print(const struct conf *, FILE *out);
/* The logging commands (log_cmd.c): registering, printing, applying. */
void log_cmd_register(void);
void log_conf_print(const struct conf *, FILE *out);
void log_conf_apply(const struct conf *);
/*
 * The interface commands (iface_cmd.c, registered by conf_cmd_register):
 * printing, and the checks and warnings of a whole tree, as conf_check
 * and conf_warn print theirs.
 */
void iface_cmd_register(void);
void iface_conf_print(const struct conf *, FILE *out);
int iface_conf_check(const struct conf *, const char *name, FILE *errs);
int iface_conf_warn(const struct conf *, const char *name, FILE *out);

#endif
