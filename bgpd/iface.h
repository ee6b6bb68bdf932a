/*
 * iface.h: the interface module (iface.c, iface_nl.c, iface_cmd.c):
 * the links the config asks for (interface NAME: an 802.1Q VLAN on a
 * parent, IPv4 and IPv6 addresses, MTU, shutdown), made so in the
 * kernel through rtnetlink at start and on every reload, and the state
 * of every link, followed as the kernel announces its changes.
 *
 * It knows nothing of BGP: a neighbor bound to an interface learns of
 * the link through the changed callback and iface_link_usable.
 */
#ifndef DXBGP_IFACE_H
#define DXBGP_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>

#include <ev.h>

#include "conf.h"

#define IFACE_VLAN_MIN 1
#define IFACE_VLAN_MAX 4094 /* IEEE 802.1Q: 0 and 4095 are reserved */
#define IFACE_MTU_MIN  68   /* RFC 791: every IPv4 link carries 68 */
#define IFACE_MTU_MAX  65535
/*
 * The address protocol (IFA_PROTO, Linux 6.1 and later) of the
 * addresses dxbgpd adds, so that a later run knows them as its own.
 */
#define IFACE_ADDR_PROTO 201

/* ---- an address on a link ---- */

struct iface_addr {
	uint8_t family; /* AF_INET, AF_INET6 */
	uint8_t plen;
	uint8_t addr[16]; /* 4 or 16 bytes, network order */
};

bool iface_addr_eq(const struct iface_addr *, const struct iface_addr *);
/* "10.0.0.2/24"; buf holds at least IFACE_ADDRSTRLEN bytes. */
#define IFACE_ADDRSTRLEN (INET6_ADDRSTRLEN + 4)
const char *iface_addr_str(const struct iface_addr *, char *buf, size_t len);

/* ---- rtnetlink messages, without a kernel (iface_nl.c) ---- */

/* A link as RTM_NEWLINK describes it. */
struct iface_link {
	int index;
	char name[IFNAMSIZ];
	unsigned flags;    /* IFF_UP, IFF_RUNNING, ... */
	uint32_t mtu;      /* 0 if not said */
	uint8_t operstate; /* IF_OPER_* (RFC 2863) */
	int parent;        /* IFLA_LINK, 0 if none */
	char kind[16];     /* IFLA_INFO_KIND: "vlan", "veth"; "" if none */
	uint16_t vlan_id;  /* kind "vlan": its 802.1Q ID */
};

/*
 * Each builder writes one request into buf (cap bytes, 4-byte
 * aligned) and returns its length, 0 if it does not fit.
 */
/* RTM_NEWLINK, create only: NAME, a VLAN of ID on link parent. */
size_t iface_nl_vlan_new(void *buf, size_t cap, uint32_t seq, const char *name,
    int parent, uint16_t vlan_id);
/* RTM_NEWLINK on an existing link: mtu (0: unchanged), up (-1: unchanged,
 * 0 down, 1 up). */
size_t iface_nl_link_set(
    void *buf, size_t cap, uint32_t seq, int index, uint32_t mtu, int up);
/* RTM_DELLINK. */
size_t iface_nl_link_del(void *buf, size_t cap, uint32_t seq, int index);
/* RTM_GETLINK of one link by name. */
size_t iface_nl_link_get(void *buf, size_t cap, uint32_t seq, const char *name);
/* RTM_NEWADDR (add, create only; IFA_PROTO IFACE_ADDR_PROTO) or
 * RTM_DELADDR. */
size_t iface_nl_addr(void *buf, size_t cap, uint32_t seq, bool add, int index,
    const struct iface_addr *);
/*
 * An RTM_NEWLINK or RTM_DELLINK message (len bytes) into *l, *deleted
 * set for RTM_DELLINK.  1 if it is one, 0 for other messages, -1 if it
 * is malformed.
 */
int iface_nl_link_parse(
    const void *msg, size_t len, struct iface_link *, bool *deleted);
/*
 * The same for RTM_NEWADDR and RTM_DELADDR: the link, the address and
 * its IFA_PROTO (0 if none; proto may be NULL).
 */
int iface_nl_addr_parse(const void *msg, size_t len, int *index,
    struct iface_addr *, uint8_t *proto, bool *deleted);

/* ---- the kernel's links and addresses, as a table (iface.c) ---- */

struct iface_kaddr {
	int index;
	struct iface_addr a;
	uint8_t proto; /* IFA_PROTO: IFACE_ADDR_PROTO if dxbgpd added it */
};

struct iface_kstate {
	struct iface_link *links;
	size_t nlinks, caplinks;
	struct iface_kaddr *addrs;
	size_t naddrs, capaddrs;
};

void iface_kstate_init(struct iface_kstate *);
void iface_kstate_clean(struct iface_kstate *);
/*
 * Applies one rtnetlink message (links and addresses; others are
 * ignored).  1 if a link appeared, went or changed its flags, 0 if
 * not, -1 if the message is malformed (nothing changed).
 */
int iface_kstate_apply(struct iface_kstate *, const void *msg, size_t len);
const struct iface_link *iface_kstate_link(
    const struct iface_kstate *, const char *name);
const struct iface_link *iface_kstate_link_at(
    const struct iface_kstate *, int index);
bool iface_kstate_has_addr(
    const struct iface_kstate *, int index, const struct iface_addr *);

/* ---- what the daemon changed, and what to change (iface.c) ---- */

/* What dxbgpd did to one interface, so that it undoes only that. */
struct iface_own {
	struct iface_own *next;
	char name[IFNAMSIZ];
	bool created;             /* it created the link (a VLAN) */
	struct iface_addr *addrs; /* addresses it added */
	size_t naddrs, cap;
	char err[320]; /* the last apply's failure, "" if none */
	bool waiting;  /* for a link to appear (itself or its parent) */
};

enum iface_op_kind {
	IFACE_OP_VLAN_ADD, /* name, parent, vlan_id */
	IFACE_OP_LINK_DEL, /* index */
	IFACE_OP_MTU,      /* index, mtu */
	IFACE_OP_UP,       /* index */
	IFACE_OP_DOWN,     /* index */
	IFACE_OP_ADDR_ADD, /* index, addr */
	IFACE_OP_ADDR_DEL, /* index, addr */
};

struct iface_op {
	enum iface_op_kind kind;
	int index;
	int parent;
	uint16_t vlan_id;
	uint32_t mtu;
	struct iface_addr addr;
};

struct iface_plan {
	struct iface_op ops[64];
	size_t n;
	/* Why the interface cannot be made as configured now, "" if it can */
	char why[160];
	bool waiting; /* why: a link that does not exist yet */
};

/*
 * The changes that make the kernel match one configured interface,
 * given what dxbgpd did before (own, NULL if nothing).  Nothing if it
 * matches already.  A VLAN to create comes alone: the rest is planned
 * again once it exists.
 */
void iface_plan_one(const struct conf_iface *, const struct iface_kstate *,
    const struct iface_own *, struct iface_plan *);
/* The changes that undo what dxbgpd did to an interface now gone. */
void iface_plan_gone(
    const struct iface_own *, const struct iface_kstate *, struct iface_plan *);
/* "create VLAN 5 on eth0 (2)", for the log. */
const char *iface_op_str(const struct iface_op *, char *buf, size_t len);

/* ---- the module, on the loop ---- */

struct iface;

/*
 * Reads the kernel's links and addresses and follows their changes;
 * changed(arg) runs after the kernel changed a link (appeared, went,
 * up, down).  NULL (logged) if rtnetlink cannot be opened.
 */
struct iface *iface_new(struct ev_loop *, void (*changed)(void *), void *arg);
void iface_free(struct iface *);
/*
 * Makes the interfaces of conf so (conf must live until the next call
 * or iface_free), and undoes what dxbgpd did to interfaces no longer
 * in it.  What cannot be done is logged, one line each, and the rest
 * goes on.
 */
void iface_configure(struct iface *, const struct conf *);
/*
 * Whether the kernel holds addresses marked as added by dxbgpd (an
 * earlier run's): then the module starts even for a config without
 * interfaces, to remove them.
 */
bool iface_marked_addrs(void);
/*
 * Whether a link can carry a session: it exists, is up and has a
 * carrier.  If not, why says so ("interface eth0.5 does not exist").
 */
bool iface_link_usable(
    const struct iface *, const char *name, char *why, size_t whylen);

/* For show (iface_cmd.c). */
const struct iface_kstate *iface_kstate(const struct iface *);
const struct iface_own *iface_own_find(const struct iface *, const char *name);
const struct conf *iface_conf(const struct iface *);
/* "up", "down", "lowerlayerdown" ... (RFC 2863 ifOperStatus) */
const char *iface_operstate_name(uint8_t);

#endif
