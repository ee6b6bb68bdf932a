/*
 * bgp.h: protocol numbers of BGP-4 and its extensions, each named after
 * the RFC that assigns it.  Every wire number used by dxbgp comes from
 * here; no module writes a bare code or subcode.
 */
#ifndef DXBGP_BGP_H
#define DXBGP_BGP_H

#include <stdint.h>

/* RFC 4271 §4.1: message header. */
#define BGP_MARKER_LEN 16
#define BGP_HDR_LEN    19
#define BGP_VERSION    4
#define BGP_PORT       179
/* RFC 4271 §4.1 and RFC 8654: maximum message sizes. */
#define BGP_MAX_MSG     4096
#define BGP_MAX_MSG_EXT 65535
/* Smallest bodies (after the header) of each message type. */
#define BGP_OPEN_MIN_BODY   10 /* RFC 4271 §4.2 */
#define BGP_UPDATE_MIN_BODY 4  /* RFC 4271 §4.3 */
#define BGP_NOTIFY_MIN_BODY 2  /* RFC 4271 §4.5 */
#define BGP_RREFRESH_BODY   4  /* RFC 2918 §3 */

/* RFC 4271 §4.1, RFC 2918: message types. */
enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5,
};

/* RFC 4271 §4.5, RFC 7313 §5: NOTIFICATION error codes. */
enum bgp_err_code {
	BGP_ERR_NONE = 0,
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_RREFRESH = 7,
	/* RFC 9687: Send Hold Timer Expired. */
	BGP_ERR_SEND_HOLD = 8,
};

/* RFC 4271 §6.1: Message Header Error subcodes. */
enum bgp_err_header {
	BGP_ERR_HDR_SYNC = 1,
	BGP_ERR_HDR_LEN = 2,
	BGP_ERR_HDR_TYPE = 3,
};

/* RFC 4271 §6.2, RFC 5492 §5: OPEN Message Error subcodes. */
enum bgp_err_open {
	BGP_ERR_OPEN_UNSPEC = 0, /* RFC 4271 errata: no specific subcode */
	BGP_ERR_OPEN_VERSION = 1,
	BGP_ERR_OPEN_PEER_AS = 2,
	BGP_ERR_OPEN_BGPID = 3,
	BGP_ERR_OPEN_OPTPARAM = 4,
	BGP_ERR_OPEN_HOLDTIME = 6,
	BGP_ERR_OPEN_CAPABILITY = 7,
};

/* RFC 4271 §6.3: UPDATE Message Error subcodes. */
enum bgp_err_update {
	BGP_ERR_UPD_ATTRLIST = 1,
	BGP_ERR_UPD_UNKNOWN_WK = 2,
	BGP_ERR_UPD_MISSING_WK = 3,
	BGP_ERR_UPD_FLAGS = 4,
	BGP_ERR_UPD_LENGTH = 5,
	BGP_ERR_UPD_ORIGIN = 6,
	BGP_ERR_UPD_NEXTHOP = 8,
	BGP_ERR_UPD_OPTATTR = 9,
	BGP_ERR_UPD_NETWORK = 10,
	BGP_ERR_UPD_ASPATH = 11,
};

/* RFC 6608: Finite State Machine Error subcodes. */
enum bgp_err_fsm {
	BGP_ERR_FSM_UNSPEC = 0,
	BGP_ERR_FSM_OPENSENT = 1,
	BGP_ERR_FSM_OPENCONFIRM = 2,
	BGP_ERR_FSM_ESTABLISHED = 3,
};

/* RFC 4486, RFC 8538, RFC 9384: Cease subcodes. */
enum bgp_err_cease {
	BGP_CEASE_MAX_PREFIX = 1,
	BGP_CEASE_ADMIN_SHUTDOWN = 2,
	BGP_CEASE_PEER_DECONFIG = 3,
	BGP_CEASE_ADMIN_RESET = 4,
	BGP_CEASE_CONN_REJECTED = 5,
	BGP_CEASE_CONFIG_CHANGE = 6,
	BGP_CEASE_COLLISION = 7,
	BGP_CEASE_RESOURCES = 8,
	BGP_CEASE_HARD_RESET = 9,
	BGP_CEASE_BFD_DOWN = 10,
};

/* RFC 7313 §5: ROUTE-REFRESH Message Error subcodes. */
enum bgp_err_rrefresh {
	BGP_ERR_RR_LENGTH = 1,
};

/* RFC 5492 §4, RFC 9072: OPEN optional parameter types. */
#define BGP_OPT_CAPABILITIES 2
#define BGP_OPT_EXTENDED     255 /* RFC 9072 §2: marks the extended form */

/* Capability codes (IANA registry). */
enum bgp_cap_code {
	BGP_CAP_MP = 1,                /* RFC 4760 */
	BGP_CAP_ROUTE_REFRESH = 2,     /* RFC 2918 */
	BGP_CAP_EXT_MESSAGE = 6,       /* RFC 8654 */
	BGP_CAP_GRACEFUL_RESTART = 64, /* RFC 4724 */
	BGP_CAP_AS4 = 65,              /* RFC 6793 */
	BGP_CAP_ADD_PATH = 69,         /* RFC 7911 */
	BGP_CAP_ENHANCED_RR = 70,      /* RFC 7313 */
};

/* RFC 4724 §3: graceful restart capability flags. */
#define BGP_GR_FLAG_RESTART  0x8  /* R bit, in the top nibble */
#define BGP_GR_FLAG_NOTIFY   0x4  /* N bit, RFC 8538 */
#define BGP_GR_AF_FORWARDING 0x80 /* F bit of an AFI/SAFI entry */
#define BGP_GR_TIME_MASK     0x0fff

/* RFC 7911 §4: ADD-PATH send/receive field. */
enum bgp_addpath_mode {
	BGP_ADDPATH_RECEIVE = 1,
	BGP_ADDPATH_SEND = 2,
	BGP_ADDPATH_BOTH = 3,
};

/* RFC 4760 (IANA): address family and subsequent address family. */
enum bgp_afi {
	BGP_AFI_IPV4 = 1,
	BGP_AFI_IPV6 = 2,
};
enum bgp_safi {
	BGP_SAFI_UNICAST = 1,
};

/* RFC 7313 §3: ROUTE-REFRESH message subtypes. */
enum bgp_rr_subtype {
	BGP_RR_NORMAL = 0,
	BGP_RR_BORR = 1,
	BGP_RR_EORR = 2,
};

/* RFC 4271 §4.3: path attribute flags. */
#define BGP_ATTR_F_OPTIONAL   0x80
#define BGP_ATTR_F_TRANSITIVE 0x40
#define BGP_ATTR_F_PARTIAL    0x20
#define BGP_ATTR_F_EXTLEN     0x10

/* Path attribute type codes (IANA registry). */
enum bgp_attr_type {
	BGP_ATTR_ORIGIN = 1,             /* RFC 4271 */
	BGP_ATTR_AS_PATH = 2,            /* RFC 4271 */
	BGP_ATTR_NEXT_HOP = 3,           /* RFC 4271 */
	BGP_ATTR_MED = 4,                /* RFC 4271 */
	BGP_ATTR_LOCAL_PREF = 5,         /* RFC 4271 */
	BGP_ATTR_ATOMIC_AGGREGATE = 6,   /* RFC 4271 */
	BGP_ATTR_AGGREGATOR = 7,         /* RFC 4271 */
	BGP_ATTR_COMMUNITIES = 8,        /* RFC 1997 */
	BGP_ATTR_ORIGINATOR_ID = 9,      /* RFC 4456 */
	BGP_ATTR_CLUSTER_LIST = 10,      /* RFC 4456 */
	BGP_ATTR_MP_REACH_NLRI = 14,     /* RFC 4760 */
	BGP_ATTR_MP_UNREACH_NLRI = 15,   /* RFC 4760 */
	BGP_ATTR_EXT_COMMUNITIES = 16,   /* RFC 4360 */
	BGP_ATTR_AS4_PATH = 17,          /* RFC 6793 */
	BGP_ATTR_AS4_AGGREGATOR = 18,    /* RFC 6793 */
	BGP_ATTR_LARGE_COMMUNITIES = 32, /* RFC 8092 */
};

/* RFC 4271 §4.3: ORIGIN values. */
enum bgp_origin {
	BGP_ORIGIN_IGP = 0,
	BGP_ORIGIN_EGP = 1,
	BGP_ORIGIN_INCOMPLETE = 2,
};

/* RFC 4271 §4.3, RFC 5065 §3: AS_PATH segment types. */
enum bgp_seg_type {
	BGP_SEG_SET = 1,
	BGP_SEG_SEQUENCE = 2,
	BGP_SEG_CONFED_SEQUENCE = 3,
	BGP_SEG_CONFED_SET = 4,
};

/* RFC 6793 §9: the 2-octet stand-in for a 4-octet AS number. */
#define BGP_AS_TRANS 23456

/* RFC 1997: well-known communities. */
#define BGP_COMM_NO_EXPORT           0xffffff01u
#define BGP_COMM_NO_ADVERTISE        0xffffff02u
#define BGP_COMM_NO_EXPORT_SUBCONFED 0xffffff03u

/* RFC 4271 §10: hold timer bounds. */
#define BGP_HOLD_MIN          3
#define BGP_HOLD_DEFAULT      90
#define BGP_KEEPALIVE_DEFAULT 30
#define BGP_HOLD_LARGE        240 /* §8: "a large value", 4 minutes */

/* RFC 9003 §2: longest shutdown communication, in octets. */
#define BGP_SHUTDOWN_MSG_MAX 255

#endif
