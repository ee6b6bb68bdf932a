/*
 * wire.h: the BGP-4 message codec.
 *
 * Pure functions over byte buffers.  Decoders never allocate, never read
 * past the buffer they are given and never trust a length field; decoded
 * structures point into the caller's buffer, which must outlive them.
 * A decoder does not act on an error: it returns a verdict (struct
 * wire_err) that the session turns into a NOTIFICATION, an RFC 7606
 * action and a log line.
 *
 * All IPv4 addresses, BGP identifiers and AS numbers are host order;
 * IPv6 addresses are 16 bytes in network order.
 */
#ifndef DXBGP_WIRE_H
#define DXBGP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dxbgp/bgp.h>

/*
 * Verdicts, from least to most severe (RFC 7606 §2).  When an UPDATE
 * has several errors the most severe one is kept.
 */
enum wire_action {
	WIRE_OK = 0,
	WIRE_ATTR_DISCARD,      /* the attribute is dropped, the rest is used */
	WIRE_TREAT_AS_WITHDRAW, /* every NLRI of the UPDATE is withdrawn */
	WIRE_AFISAFI_DISABLE,   /* RFC 4760 §7: stop using this family */
	WIRE_SESSION_RESET,     /* send NOTIFICATION code/subcode/data */
};

#define WIRE_ERR_SMALL 8

struct wire_err {
	enum wire_action action;
	uint8_t code; /* enum bgp_err_code, for WIRE_SESSION_RESET */
	uint8_t subcode;
	uint8_t attr_type; /* attribute concerned, 0 if none */
	uint16_t afi;      /* family concerned by WIRE_AFISAFI_DISABLE */
	uint8_t safi;
	const char *reason; /* static text for the log */
	/* NOTIFICATION data: into the decoded buffer, or small[] if NULL */
	const uint8_t *data;
	uint16_t datalen;
	uint8_t small[WIRE_ERR_SMALL];
	unsigned int discarded; /* attributes dropped by WIRE_ATTR_DISCARD */
};

void wire_err_init(struct wire_err *);
/* The NOTIFICATION data of an error, and its length. */
const uint8_t *wire_err_data(const struct wire_err *, uint16_t *len);
const char *wire_action_name(enum wire_action);

/* What the decoder needs to know about the session. */
struct wire_ctx {
	bool as4;        /* both sides announced 4-octet AS (RFC 6793) */
	bool ibgp;       /* peer is in our AS: LOCAL_PREF etc. are meaningful */
	bool addpath_v4; /* we receive path identifiers for IPv4 unicast */
	bool addpath_v6; /* ... and for IPv6 unicast */
	bool ext_message; /* RFC 8654 negotiated: messages up to 65535 */
	uint8_t *scratch; /* WIRE_SCRATCH_LEN bytes, for AS_PATH rebuilding */
};

/*
 * Room to rewrite a 2-octet AS_PATH of maximum length with 4-octet
 * numbers and merge AS4_PATH into it (RFC 6793 §4.2.3).
 */
#define WIRE_SCRATCH_LEN (4 * 65536)

/* ---- header and framing (RFC 4271 §4.1) ---- */

struct wire_hdr {
	uint16_t len; /* whole message, header included */
	uint8_t type; /* enum bgp_msg_type */
};

/*
 * Looks at the start of a receive buffer.  Returns 0 when fewer than
 * BGP_HDR_LEN bytes are there, 1 with *hdr filled when the header is
 * valid (the body may not have arrived yet), -1 with *err set
 * (NOTIFICATION 1/x) otherwise.  max is the negotiated message size.
 */
int wire_hdr_decode(const uint8_t *buf, size_t len, size_t max,
    struct wire_hdr *hdr, struct wire_err *err);
/* Writes a header; returns BGP_HDR_LEN. */
size_t wire_hdr_encode(uint8_t *buf, uint8_t type, uint16_t len);
/* Patches the length of a message whose header is already written. */
void wire_hdr_set_len(uint8_t *buf, uint16_t len);

/* ---- OPEN and capabilities (RFC 4271 §4.2, RFC 5492, RFC 9072) ---- */

#define WIRE_MAX_AF           8 /* AFI/SAFI entries kept per capability */
#define WIRE_MAX_UNKNOWN_CAPS 16

struct wire_afsafi {
	uint16_t afi;
	uint8_t safi;
	uint8_t flags; /* GR: forwarding bit; ADD-PATH: send/receive mode */
};

struct wire_rawcap {
	uint8_t code;
	uint8_t len;
	const uint8_t *val;
};

/* Presence bits of struct wire_caps.have. */
#define WIRE_CAP_MP      (1u << 0)
#define WIRE_CAP_RR      (1u << 1)
#define WIRE_CAP_ERR     (1u << 2)
#define WIRE_CAP_AS4     (1u << 3)
#define WIRE_CAP_GR      (1u << 4)
#define WIRE_CAP_ADDPATH (1u << 5)
#define WIRE_CAP_EXTMSG  (1u << 6)

struct wire_caps {
	uint32_t have;
	uint32_t as4; /* RFC 6793 */
	uint8_t n_mp;
	struct wire_afsafi mp[WIRE_MAX_AF]; /* RFC 4760 */
	uint8_t gr_flags;                   /* RFC 4724: R and N bits */
	uint16_t gr_time;                   /* restart time, seconds */
	uint8_t n_gr;
	struct wire_afsafi gr[WIRE_MAX_AF];
	uint8_t n_addpath;
	struct wire_afsafi addpath[WIRE_MAX_AF]; /* RFC 7911 */
	uint8_t n_unknown;
	struct wire_rawcap unknown[WIRE_MAX_UNKNOWN_CAPS];
};

struct wire_open {
	uint8_t version;
	uint16_t my_as; /* the 2-octet field: AS_TRANS for a 4-octet AS */
	uint16_t holdtime;
	uint32_t bgp_id;
	struct wire_caps caps;
};

/*
 * Decodes an OPEN body (after the header).  Checks the version, the
 * hold time (0 or >= 3), the BGP identifier (not 0), the optional
 * parameters and capability framing.  Returns 0 or -1 with *err set
 * (NOTIFICATION 2/x).  Checks that depend on configuration (peer AS,
 * our identifier, required capabilities) are the session's.
 */
int wire_open_decode(const uint8_t *body, size_t len, struct wire_open *open,
    struct wire_err *err);
/* The peer's AS: the 4-octet capability if present, else my_as. */
uint32_t wire_open_peer_as(const struct wire_open *);
/*
 * Encodes a whole OPEN message (header included) into buf of size cap.
 * Capabilities go in one optional parameter, in code order, unknown
 * ones last; the RFC 9072 extended form is used only when they do not
 * fit in 255 octets.  Returns the length, or 0 if cap is too small.
 */
size_t wire_open_encode(const struct wire_open *, uint8_t *buf, size_t cap);
bool wire_caps_has_mp(const struct wire_caps *, uint16_t afi, uint8_t safi);
/* ADD-PATH mode the peer announced for afi/safi, 0 if none. */
uint8_t wire_caps_addpath(const struct wire_caps *, uint16_t afi, uint8_t safi);

/* ---- KEEPALIVE, NOTIFICATION, ROUTE-REFRESH ---- */

size_t wire_keepalive_encode(uint8_t *buf, size_t cap);

struct wire_notification {
	uint8_t code;
	uint8_t subcode;
	const uint8_t *data;
	uint16_t datalen;
};

int wire_notification_decode(
    const uint8_t *body, size_t len, struct wire_notification *n);
size_t wire_notification_encode(uint8_t code, uint8_t subcode,
    const uint8_t *data, size_t datalen, uint8_t *buf, size_t cap);
/*
 * RFC 9003: the shutdown communication of a Cease/2 or Cease/4.
 * Returns true and copies the message, NUL-terminated, into out (which
 * holds BGP_SHUTDOWN_MSG_MAX + 1 bytes) when the data is a well-formed
 * communication (length octet consistent, valid UTF-8).  Control
 * characters, which have no place in a log line, become '?'.
 */
bool wire_notification_shutdown_msg(
    const struct wire_notification *, char *out);
/* Encodes a Cease/subcode carrying an RFC 9003 message (truncated to fit). */
size_t wire_shutdown_encode(
    uint8_t subcode, const char *msg, uint8_t *buf, size_t cap);
/* Readable names of a code and subcode, for logs. */
const char *wire_err_code_name(uint8_t code);
const char *wire_err_subcode_name(uint8_t code, uint8_t subcode);

struct wire_rrefresh {
	uint16_t afi;
	uint8_t subtype; /* enum bgp_rr_subtype */
	uint8_t safi;
};

/* Returns 0, or -1 with *err (NOTIFICATION 7/1) for a bad length. */
int wire_rrefresh_decode(const uint8_t *body, size_t len,
    struct wire_rrefresh *rr, struct wire_err *err);
size_t wire_rrefresh_encode(
    const struct wire_rrefresh *, uint8_t *buf, size_t cap);

/* ---- prefixes and NLRI (RFC 4271 §4.3, RFC 4760 §5, RFC 7911 §3) ---- */

struct wire_prefix {
	uint16_t afi;
	uint8_t len;
	uint32_t path_id; /* 0 without ADD-PATH */
	uint8_t addr[16]; /* network order; bits past len are zero */
};

struct wire_nlri_iter {
	const uint8_t *p;
	const uint8_t *end;
	uint16_t afi;
	bool addpath;
};

/*
 * Checks a whole NLRI field: every prefix length within the family's
 * bound, no prefix running past the end.  Returns the prefix count, or
 * -1 if malformed.
 */
long wire_nlri_check(const uint8_t *p, size_t len, uint16_t afi, bool addpath);
void wire_nlri_iter_init(struct wire_nlri_iter *, const uint8_t *p, size_t len,
    uint16_t afi, bool addpath);
/* 1 with *pfx filled, 0 at the end, -1 if malformed. */
int wire_nlri_next(struct wire_nlri_iter *, struct wire_prefix *pfx);
/* Encodes one prefix; returns its length, or 0 if it does not fit. */
size_t wire_nlri_encode(
    const struct wire_prefix *, bool addpath, uint8_t *buf, size_t cap);
/* Bytes one prefix takes on the wire. */
size_t wire_nlri_size(const struct wire_prefix *, bool addpath);

/* ---- path attributes (RFC 4271 §4.3, §5) ---- */

#define WIRE_MAX_UNKNOWN_ATTRS 32

/* An attribute kept as it came: whole, header included. */
struct wire_rawattr {
	uint8_t flags;
	uint8_t type;
	const uint8_t *raw; /* flags, type, length and value */
	uint16_t rawlen;
};

struct wire_mp_reach {
	uint16_t afi;
	uint8_t safi;
	uint8_t nhlen; /* 4, 16 or 32 */
	uint8_t nexthop[32];
	const uint8_t *nlri;
	uint16_t nlri_len;
};

struct wire_mp_unreach {
	uint16_t afi;
	uint8_t safi;
	const uint8_t *nlri;
	uint16_t nlri_len;
};

/* Bit (1 << type) in struct wire_attrs.have, for types below 64. */
#define WIRE_HAVE(type) ((uint64_t)1 << (type))

struct wire_attrs {
	uint64_t have;
	uint8_t origin;
	/*
	 * AS_PATH as 4-octet segments (type, count, count * 4 octets),
	 * whatever the session speaks; with a 2-octet peer the AS4_PATH
	 * has been merged in (RFC 6793 §4.2.3).
	 */
	const uint8_t *aspath;
	uint32_t aspath_len;
	uint32_t nexthop;
	uint32_t med;
	uint32_t local_pref;
	uint32_t aggregator_as;
	uint32_t aggregator_addr;
	const uint8_t *communities; /* 4 octets each, network order */
	uint16_t communities_len;
	uint32_t originator_id;
	const uint8_t *cluster_list; /* 4 octets each */
	uint16_t cluster_list_len;
	const uint8_t *ext_communities; /* 8 octets each */
	uint16_t ext_communities_len;
	const uint8_t *large_communities; /* 12 octets each */
	uint16_t large_communities_len;
	struct wire_mp_reach mp_reach;
	struct wire_mp_unreach mp_unreach;
	uint8_t n_unknown; /* optional transitive attributes we don't know */
	struct wire_rawattr unknown[WIRE_MAX_UNKNOWN_ATTRS];
};

/*
 * Decodes a path attribute section (RFC 4271 §4.3, RFC 7606); *err is
 * initialised here.  Returns
 * the verdict, also stored in err->action.  With WIRE_ATTR_DISCARD the
 * attributes in *attrs are usable; with WIRE_TREAT_AS_WITHDRAW the
 * NLRI are still located (mp_reach, mp_unreach) so they can be
 * withdrawn.  has_nlri: the UPDATE carries NLRI in its own field, which
 * makes NEXT_HOP mandatory.
 */
enum wire_action wire_attrs_decode(const struct wire_ctx *, const uint8_t *p,
    size_t len, bool has_nlri, struct wire_attrs *attrs, struct wire_err *err);

/*
 * Encodes the attributes of *attrs, except MP_REACH_NLRI and
 * MP_UNREACH_NLRI, in type order; unknown transitive ones get the
 * Partial bit.  as4 false writes a 2-octet AS_PATH and AGGREGATOR
 * with AS_TRANS, adding AS4_PATH / AS4_AGGREGATOR when needed.  The
 * extended length flag is used only when a value exceeds 255 octets.
 * Returns the length, or 0 if cap is too small.
 */
size_t wire_attrs_encode(
    const struct wire_attrs *, bool as4, uint8_t *buf, size_t cap);

/* AS_PATH helpers over the 4-octet segment form. */
/* Path length for the decision process (set = 1, confed = 0). */
unsigned int wire_aspath_length(const uint8_t *p, size_t len);
/* Checks segment framing of a 4-octet (as4) or 2-octet path. */
bool wire_aspath_valid(const uint8_t *p, size_t len, bool as4);
/*
 * The leftmost AS when the path starts with an AS_SEQUENCE (the
 * neighbor's AS, RFC 4271 §6.3), else 0.
 */
uint32_t wire_aspath_first(const uint8_t *p, size_t len);
/* Times asn occurs in the path. */
unsigned int wire_aspath_count(const uint8_t *p, size_t len, uint32_t asn);
/* Writes the path as text ("64512 {1 2} (65000)"); returns strlen. */
size_t wire_aspath_format(const uint8_t *p, size_t len, char *out, size_t cap);

/* ---- UPDATE (RFC 4271 §4.3, RFC 4760) ---- */

struct wire_update {
	const uint8_t *withdrawn;
	uint16_t withdrawn_len;
	const uint8_t *attr_section;
	uint16_t attr_len;
	const uint8_t *nlri;
	uint16_t nlri_len;
	struct wire_attrs attrs;
	bool eor; /* End-of-RIB marker (RFC 4724 §2) */
	uint16_t eor_afi;
	uint8_t eor_safi;
};

/*
 * Decodes an UPDATE body: the three sections, the attributes and a
 * check of every NLRI field.  Returns the verdict (also in err).
 */
enum wire_action wire_update_decode(const struct wire_ctx *,
    const uint8_t *body, size_t len, struct wire_update *u,
    struct wire_err *err);

/*
 * Packs UPDATE messages.  One builder makes one message for one
 * family, either of withdrawals or of announcements (RFC 7606 §5.1: an
 * UPDATE carries one of withdrawn routes, NLRI, MP_REACH_NLRI and
 * MP_UNREACH_NLRI, and an MP attribute comes first).  For IPv4 the
 * prefixes go in the message's own fields; for IPv6 in MP_UNREACH_NLRI
 * or MP_REACH_NLRI.
 */
struct wire_upd_builder {
	uint8_t *buf;
	size_t cap; /* the negotiated maximum message size */
	size_t len;
	uint16_t afi;
	bool addpath;
	bool has_attrs;
	size_t wd_len_off;    /* withdrawn-routes length field */
	size_t attr_len_off;  /* total path attribute length field */
	size_t mp_len_off;    /* length field of MP_(UN)REACH, 0 if none */
	const uint8_t *attrs; /* IPv6: written after MP_REACH_NLRI by finish */
	size_t attrs_len;
	size_t n_withdrawn;
	size_t n_announced;
};

void wire_upd_begin(struct wire_upd_builder *, uint8_t *buf, size_t cap,
    uint16_t afi, bool addpath);
/* Adds a withdrawal; false when it does not fit, or after attributes. */
bool wire_upd_withdraw(struct wire_upd_builder *, const struct wire_prefix *);
/*
 * Sets the attributes (an encoded section, without MP attributes) and,
 * for IPv6, the next hop (16 or 32 octets).  Once only, and not after
 * withdrawals.  For IPv6 attrs must stay valid until wire_upd_finish.
 * False when it does not fit.
 */
bool wire_upd_attrs(struct wire_upd_builder *, const uint8_t *attrs, size_t len,
    const uint8_t *nh6, uint8_t nh6_len);
/* Adds an announced prefix; false when it does not fit. */
bool wire_upd_announce(struct wire_upd_builder *, const struct wire_prefix *);
/* Completes the message; returns its length (0 if nothing was added). */
size_t wire_upd_finish(struct wire_upd_builder *);
/* End-of-RIB for afi/safi (RFC 4724 §2); returns the length. */
size_t wire_eor_encode(uint16_t afi, uint8_t safi, uint8_t *buf, size_t cap);

#endif
