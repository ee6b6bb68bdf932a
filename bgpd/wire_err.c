/*
 * wire_err.c: the verdicts of the codec and the names of NOTIFICATION
 * codes and subcodes (RFC 4271 §4.5, RFC 4486, RFC 5492, RFC 6608,
 * RFC 7313, RFC 8538, RFC 9384, RFC 9687) for log lines that an operator
 * can read without a table at hand.
 */
#include <string.h>

#include <dxbgp/wire.h>

void
wire_err_init(struct wire_err *err)
{
	memset(err, 0, sizeof(*err));
}

const uint8_t *
wire_err_data(const struct wire_err *err, uint16_t *len)
{
	*len = err->datalen;
	if (err->datalen == 0)
		return NULL;
	return err->data != NULL ? err->data : err->small;
}

const char *
wire_action_name(enum wire_action a)
{
	switch (a) {
	case WIRE_OK:
		return "ok";
	case WIRE_ATTR_DISCARD:
		return "attribute-discard";
	case WIRE_TREAT_AS_WITHDRAW:
		return "treat-as-withdraw";
	case WIRE_AFISAFI_DISABLE:
		return "afi-safi-disable";
	case WIRE_SESSION_RESET:
		return "session-reset";
	}
	return "unknown";
}

const char *
wire_err_code_name(uint8_t code)
{
	switch (code) {
	case BGP_ERR_HEADER:
		return "message header error";
	case BGP_ERR_OPEN:
		return "OPEN message error";
	case BGP_ERR_UPDATE:
		return "UPDATE message error";
	case BGP_ERR_HOLD:
		return "hold timer expired";
	case BGP_ERR_FSM:
		return "finite state machine error";
	case BGP_ERR_CEASE:
		return "cease";
	case BGP_ERR_RREFRESH:
		return "ROUTE-REFRESH message error";
	case BGP_ERR_SEND_HOLD:
		return "send hold timer expired";
	}
	return "unknown error code";
}

static const char *
header_subcode(uint8_t sub)
{
	switch (sub) {
	case BGP_ERR_HDR_SYNC:
		return "connection not synchronized";
	case BGP_ERR_HDR_LEN:
		return "bad message length";
	case BGP_ERR_HDR_TYPE:
		return "bad message type";
	}
	return NULL;
}

static const char *
open_subcode(uint8_t sub)
{
	switch (sub) {
	case BGP_ERR_OPEN_VERSION:
		return "unsupported version number";
	case BGP_ERR_OPEN_PEER_AS:
		return "bad peer AS";
	case BGP_ERR_OPEN_BGPID:
		return "bad BGP identifier";
	case BGP_ERR_OPEN_OPTPARAM:
		return "unsupported optional parameter";
	case BGP_ERR_OPEN_HOLDTIME:
		return "unacceptable hold time";
	case BGP_ERR_OPEN_CAPABILITY:
		return "unsupported capability";
	}
	return NULL;
}

static const char *
update_subcode(uint8_t sub)
{
	switch (sub) {
	case BGP_ERR_UPD_ATTRLIST:
		return "malformed attribute list";
	case BGP_ERR_UPD_UNKNOWN_WK:
		return "unrecognized well-known attribute";
	case BGP_ERR_UPD_MISSING_WK:
		return "missing well-known attribute";
	case BGP_ERR_UPD_FLAGS:
		return "attribute flags error";
	case BGP_ERR_UPD_LENGTH:
		return "attribute length error";
	case BGP_ERR_UPD_ORIGIN:
		return "invalid ORIGIN attribute";
	case BGP_ERR_UPD_NEXTHOP:
		return "invalid NEXT_HOP attribute";
	case BGP_ERR_UPD_OPTATTR:
		return "optional attribute error";
	case BGP_ERR_UPD_NETWORK:
		return "invalid network field";
	case BGP_ERR_UPD_ASPATH:
		return "malformed AS_PATH";
	}
	return NULL;
}

static const char *
fsm_subcode(uint8_t sub)
{
	switch (sub) {
	case BGP_ERR_FSM_UNSPEC:
		return "unspecified";
	case BGP_ERR_FSM_OPENSENT:
		return "unexpected message in OpenSent";
	case BGP_ERR_FSM_OPENCONFIRM:
		return "unexpected message in OpenConfirm";
	case BGP_ERR_FSM_ESTABLISHED:
		return "unexpected message in Established";
	}
	return NULL;
}

static const char *
cease_subcode(uint8_t sub)
{
	switch (sub) {
	case BGP_CEASE_MAX_PREFIX:
		return "maximum number of prefixes reached";
	case BGP_CEASE_ADMIN_SHUTDOWN:
		return "administrative shutdown";
	case BGP_CEASE_PEER_DECONFIG:
		return "peer de-configured";
	case BGP_CEASE_ADMIN_RESET:
		return "administrative reset";
	case BGP_CEASE_CONN_REJECTED:
		return "connection rejected";
	case BGP_CEASE_CONFIG_CHANGE:
		return "other configuration change";
	case BGP_CEASE_COLLISION:
		return "connection collision resolution";
	case BGP_CEASE_RESOURCES:
		return "out of resources";
	case BGP_CEASE_HARD_RESET:
		return "hard reset";
	case BGP_CEASE_BFD_DOWN:
		return "BFD down";
	}
	return NULL;
}

const char *
wire_err_subcode_name(uint8_t code, uint8_t subcode)
{
	const char *s = NULL;

	switch (code) {
	case BGP_ERR_HEADER:
		s = header_subcode(subcode);
		break;
	case BGP_ERR_OPEN:
		s = open_subcode(subcode);
		break;
	case BGP_ERR_UPDATE:
		s = update_subcode(subcode);
		break;
	case BGP_ERR_FSM:
		s = fsm_subcode(subcode);
		break;
	case BGP_ERR_CEASE:
		s = cease_subcode(subcode);
		break;
	case BGP_ERR_RREFRESH:
		if (subcode == BGP_ERR_RR_LENGTH)
			s = "invalid message length";
		break;
	case BGP_ERR_HOLD:
	case BGP_ERR_SEND_HOLD:
		if (subcode == 0)
			s = "";
		break;
	}
	if (s == NULL)
		s = subcode == 0 ? "" : "unknown subcode";
	return s;
}
