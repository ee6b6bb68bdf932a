/*
 * bfd_cmd.c: `show bfd peers [json]`, what the BFD sessions of the
 * neighbors are doing: state on both sides, diagnostics, intervals as
 * configured, as the peer asks and as negotiated (RFC 5880 §6.8.2 to
 * §6.8.4), packet counters, time in the current state, and whether BGP
 * is kept down for it.  Text in FRR's spirit for people; for scripts a
 * JSON array with the keys of dxsh(1), only ever added to.  Nothing
 * here changes any state.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bfd_sess.h"
#include "cmd.h"
#include "show.h"
#include "show_cmd.h"

static const char *
state_json(uint8_t st)
{
	static const char *const s[] = { "admin-down", "down", "init", "up" };

	return st < 4 ? s[st] : "unknown";
}

static void
duration(long secs, char *buf, size_t len)
{
	if (secs < 0)
		secs = 0;
	if (secs < 86400)
		snprintf(buf, len, "%02ld:%02ld:%02ld", secs / 3600,
		    secs / 60 % 60, secs % 60);
	else
		snprintf(buf, len, "%ldd%02ldh%02ldm", secs / 86400,
		    secs / 3600 % 24, secs / 60 % 60);
}

static unsigned long
ms(uint64_t us)
{
	return (unsigned long)(us / 1000);
}

static void
peer_text(const struct peer *p, const struct bfd_sess *s, FILE *out)
{
	const struct bfd *b = &s->b;
	char local[INET6_ADDRSTRLEN], age[32];

	duration(bfd_sess_age(s), age, sizeof(age));
	fprintf(out, "BFD peer %s, local %s, source port %u\n", s->name,
	    s->local.family ? conf_addr_str(&s->local, local, sizeof(local))
			    : "any",
	    s->src_port);
	fprintf(out, "  State %s for %s, remote %s\n", bfd_state_name(b->state),
	    age, bfd_state_name(b->remote_state));
	fprintf(out, "  Diagnostic: %s; remote: %s\n",
	    bfd_diag_name(b->local_diag), bfd_diag_name(b->remote_diag));
	fprintf(out,
	    "  Discriminators: local %" PRIu32 ", remote %" PRIu32 "\n",
	    b->local_disc, b->remote_disc);
	fprintf(out,
	    "  Configured: %u ms x %u%s; sending: transmit %lu ms, "
	    "receive %lu ms\n",
	    s->interval_ms, s->mult, p->conf.bfd_strict ? ", strict" : "",
	    ms(b->desired_min_tx), ms(b->required_min_rx));
	fprintf(out,
	    "  Remote: transmit %lu ms, receive %lu ms, multiplier %u\n",
	    ms(b->remote_min_tx), ms(b->remote_min_rx), b->remote_mult);
	fprintf(out,
	    "  Negotiated: transmit every %lu ms, detection time %lu "
	    "ms%s\n",
	    ms(bfd_tx_interval(b)), ms(bfd_detect_time(b)),
	    b->poll ? " (poll sequence running)" : "");
	fprintf(out, "  BGP: %s%s%s\n", sess_state_name(p),
	    p->blocked & SESS_BLOCK_BFD ? ", kept down: " : "",
	    p->blocked & SESS_BLOCK_BFD ? p->block_why : "");
	fprintf(out,
	    "  Packets: in %" PRIu64 ", out %" PRIu64 ", discarded %" PRIu64
	    ", send errors %" PRIu64 "; up %u times, down %u times\n",
	    s->st.rx, s->st.tx, s->st.rx_bad, s->st.tx_err, s->st.up,
	    s->st.down);
}

static void
peer_json(const struct peer *p, const struct bfd_sess *s, FILE *out)
{
	const struct bfd *b = &s->b;
	char local[INET6_ADDRSTRLEN] = "";

	if (s->local.family != 0)
		conf_addr_str(&s->local, local, sizeof(local));
	fputs("{\"peer\":", out);
	show_json_str(out, s->name);
	fputs(",\"local\":", out);
	show_json_str(out, local);
	fprintf(out,
	    ",\"srcPort\":%u,\"id\":%" PRIu32 ",\"remoteId\":%" PRIu32
	    ",\"status\":\"%s\",\"remoteStatus\":\"%s\"",
	    s->src_port, b->local_disc, b->remote_disc, state_json(b->state),
	    state_json(b->remote_state));
	fprintf(out,
	    ",\"diagnostic\":\"%s\",\"remoteDiagnostic\":\"%s\""
	    ",\"diagnosticCode\":%u,\"remoteDiagnosticCode\":%u",
	    bfd_diag_name(b->local_diag), bfd_diag_name(b->remote_diag),
	    b->local_diag, b->remote_diag);
	fprintf(out, ",\"%s\":%ld", b->state == BFD_UP ? "uptime" : "downtime",
	    bfd_sess_age(s));
	fprintf(out,
	    ",\"interval\":%u,\"detectMultiplier\":%u"
	    ",\"transmitInterval\":%lu,\"receiveInterval\":%lu"
	    ",\"remoteDetectMultiplier\":%u,\"remoteTransmitInterval\":%lu"
	    ",\"remoteReceiveInterval\":%lu",
	    s->interval_ms, s->mult, ms(b->desired_min_tx),
	    ms(b->required_min_rx), b->remote_mult, ms(b->remote_min_tx),
	    ms(b->remote_min_rx));
	fprintf(out,
	    ",\"negotiatedTransmitInterval\":%lu,\"detectionTime\":%lu"
	    ",\"poll\":%s,\"strict\":%s",
	    ms(bfd_tx_interval(b)), ms(bfd_detect_time(b)),
	    b->poll ? "true" : "false", p->conf.bfd_strict ? "true" : "false");
	fprintf(out, ",\"bgpState\":\"%s\",\"bgpBlocked\":%s",
	    sess_state_name(p), p->blocked & SESS_BLOCK_BFD ? "true" : "false");
	fprintf(out,
	    ",\"packetsIn\":%" PRIu64 ",\"packetsOut\":%" PRIu64
	    ",\"packetsDiscarded\":%" PRIu64 ",\"sendErrors\":%" PRIu64
	    ",\"upCount\":%u,\"downCount\":%u}",
	    s->st.rx, s->st.tx, s->st.rx_bad, s->st.tx_err, s->st.up,
	    s->st.down);
}

/* Packets no session took, by reason, on one line. */
static void
dropped_text(const struct bfd_ctx *ctx, FILE *out)
{
	const char *sep = "";
	int i;

	fputs("Packets discarded before reaching a session:", out);
	for (i = 1; i < BFD_RX_ERR_COUNT; i++) {
		if (ctx->dropped[i] == 0)
			continue;
		fprintf(out, "%s %s: %" PRIu64, sep,
		    bfd_rx_err_str((enum bfd_rx_err)i), ctx->dropped[i]);
		sep = ";";
	}
	fputs(*sep ? "\n" : " none\n", out);
}

static int
cmd_show_bfd(struct cmd_state *st, const struct cmd_args *a)
{
	struct show_ctx *sc = st->ctx;
	bool json = cmd_arg(a, "json") != NULL;
	const struct peer *p;
	int n = 0;

	if (json)
		fputc('[', st->out);
	for (p = sc->bgpd->peers; p != NULL; p = p->next) {
		if (p->bfd == NULL)
			continue;
		if (json) {
			if (n > 0)
				fputc(',', st->out);
			peer_json(p, p->bfd, st->out);
		} else {
			if (n > 0)
				fputc('\n', st->out);
			peer_text(p, p->bfd, st->out);
		}
		n++;
	}
	if (json) {
		fputs("]\n", st->out);
		return 0;
	}
	if (n == 0)
		fputs(
		    "No BFD peers (neighbor X bfd configures one)\n", st->out);
	else
		dropped_text(sc->bgpd->bfd, st->out);
	return 0;
}

static const struct cmd_def bfd_cmds[] = {
	{ CMD_M(CMD_MODE_EXEC), "show bfd peers [json]",
	    "Show running state\n"
	    "BFD (RFC 5880)\n"
	    "Every BFD session, one per neighbor with bfd\n"
	    "As JSON\n",
	    cmd_show_bfd, 0, CMD_MODE_NONE, NULL },
};

void
bfd_cmd_register(void)
{
	cmd_register(bfd_cmds, sizeof(bfd_cmds) / sizeof(bfd_cmds[0]));
}
