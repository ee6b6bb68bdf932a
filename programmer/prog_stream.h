/*
 * prog_stream.h: dxprog's subscription to the export stream
 * (prog_stream.c).
 */
#ifndef DXBGP_PROG_STREAM_H
#define DXBGP_PROG_STREAM_H

#include <ev.h>

#include "prog.h"

/* What the stream tells its owner, in the order the daemon sent it. */
struct pstream_cb {
	void (*snapshot_begin)(void *, uint64_t instance, uint64_t seq);
	void (*route)(void *, const Dxbgp__Route *);
	void (*snapshot_end)(void *, uint64_t seq, uint64_t routes);
	void (*resume)(void *, uint64_t instance, uint64_t from_seq);
	/* the messages of one read are done: a good time to flush */
	void (*batch_end)(void *);
	/* the connection is gone (why says how); a reconnect follows */
	void (*down)(void *, const char *why);
};

struct pstream_opts {
	const char *target; /* a Unix socket path, or HOST:PORT for TLS */
	const char *cert, *key, *ca, *tls_name;
	const char *name;      /* Subscribe.name */
	uint32_t heartbeat_ms; /* Subscribe.heartbeat_ms; 0: the default */
	double retry;          /* seconds between connection attempts */
};

/* The default heartbeat interval of dxbgpd (Subscribe.heartbeat_ms 0). */
#define PSTREAM_HEARTBEAT_MS 10000

struct pstream;
/*
 * Checks the options (the target's syntax, the TLS files): NULL with
 * a message on stderr if they are wrong.  Connects once started.
 */
struct pstream *pstream_new(struct ev_loop *, const struct pstream_opts *,
    const struct pstream_cb *, void *arg);
void pstream_start(struct pstream *);
void pstream_free(struct pstream *);
/* Forget the position: the next subscription asks for a snapshot. */
void pstream_forget(struct pstream *);
/* The daemon run and journal position the routes held reflect. */
uint64_t pstream_instance(const struct pstream *);
uint64_t pstream_seq(const struct pstream *);
int pstream_live(const struct pstream *);

/*
 * The protocol checks, without sockets: what msg means in the current
 * state; NULL if it is fine (callbacks made), else why it is not.
 */
const char *pstream_input(struct pstream *, const Dxbgp__Message *);

#endif
