/*
 * control.c: the control socket.
 *
 * A Unix stream socket; each client gets its own command session (see
 * cmd.c) and is served without blocking: requests are read into a
 * bounded buffer, answers are queued and written as the client takes
 * them.  A client that sends a line longer than CTL_LINE_MAX, or whose
 * unread answers pile up past CTL_OUT_MAX, is told why and closed;
 * nothing else is disturbed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cmd.h"
#include "control.h"
#include "log.h"
#include "show_cmd.h"

#define CTL_OUT_MAX (64u << 20)

struct ctl_client {
	struct ctl_client *next;
	struct ctl *ctl;
	int fd;
	ev_io rio;
	ev_io wio;
	char in[CTL_LINE_MAX + 1];
	size_t inlen;
	char *out;
	size_t outlen;
	size_t outhead;
	bool closing; /* close once the output is written */
	struct cmd_state cs;
	struct show_ctx sc;
};

struct ctl {
	struct ev_loop *loop;
	struct bgpd *bgpd;
	int fd;
	ev_io w;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct ctl_client *clients;
};

static void
client_free(struct ctl_client *c)
{
	struct ctl_client **pp;

	for (pp = &c->ctl->clients; *pp != NULL; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	ev_io_stop(c->ctl->loop, &c->rio);
	ev_io_stop(c->ctl->loop, &c->wio);
	close(c->fd);
	free(c->out);
	free(c);
}

static void
client_append(struct ctl_client *c, const char *data, size_t len)
{
	char *n;

	if (c->outhead > 0 && c->outhead == c->outlen) {
		c->outhead = c->outlen = 0;
	}
	n = realloc(c->out, c->outlen + len);
	if (n == NULL)
		log_fatal("out of memory");
	c->out = n;
	memcpy(c->out + c->outlen, data, len);
	c->outlen += len;
}

static void
client_flush(struct ctl_client *c)
{
	ssize_t n;

	while (c->outhead < c->outlen) {
		n = write(c->fd, c->out + c->outhead, c->outlen - c->outhead);
		if (n > 0) {
			c->outhead += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			break;
		client_free(c);
		return;
	}
	if (c->outhead < c->outlen) {
		ev_io_start(c->ctl->loop, &c->wio);
		return;
	}
	ev_io_stop(c->ctl->loop, &c->wio);
	if (c->closing)
		client_free(c);
}

/* Runs one command line and queues its answer. */
static void
client_exec(struct ctl_client *c, const char *line)
{
	char *buf = NULL, status;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int rc;

	if (out == NULL)
		log_fatal("out of memory");
	c->cs.out = out;
	rc = cmd_exec(&c->cs, line);
	if (rc != 0)
		fprintf(out, "%% %s\n", c->cs.err);
	c->cs.out = NULL;
	fclose(out);
	status = rc == 0 ? CTL_STATUS_OK : CTL_STATUS_ERR;
	client_append(c, buf, len);
	client_append(c, "", 1);
	client_append(c, &status, 1);
	free(buf);
	if (c->sc.quit)
		c->closing = true;
}

static void
client_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *c = w->data;
	char *nl;
	size_t used;
	ssize_t n;

	n = read(c->fd, c->in + c->inlen, CTL_LINE_MAX - c->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_free(c);
		return;
	}
	c->inlen += (size_t)n;
	while ((nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		*nl = '\0';
		used = (size_t)(nl - c->in) + 1;
		if (memchr(c->in, '\0', used - 1) != NULL) {
			static const char msg[] =
			    "% command contains a NUL byte\n";
			const char st = CTL_STATUS_ERR;

			client_append(c, msg, sizeof(msg) - 1);
			client_append(c, "", 1);
			client_append(c, &st, 1);
		} else
			client_exec(c, c->in);
		memmove(c->in, c->in + used, c->inlen - used);
		c->inlen -= used;
		if (c->closing)
			break;
	}
	if (c->inlen == CTL_LINE_MAX) {
		static const char msg[] = "% command line too long\n";
		const char st = CTL_STATUS_ERR;

		log_warn("control client sent a line over %d bytes; closed",
		    CTL_LINE_MAX);
		client_append(c, msg, sizeof(msg) - 1);
		client_append(c, "", 1);
		client_append(c, &st, 1);
		c->closing = true;
	}
	if (c->outlen - c->outhead > CTL_OUT_MAX) {
		log_warn("control client does not read its answers; closed");
		client_free(c);
		return;
	}
	if (c->closing)
		ev_io_stop(loop, &c->rio);
	client_flush(c);
}

static void
client_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	client_flush(w->data);
}

static void
ctl_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl *ctl = w->data;
	struct ctl_client *c;
	int fd;

	fd = accept4(ctl->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		log_fatal("out of memory");
	c->ctl = ctl;
	c->fd = fd;
	c->sc.bgpd = ctl->bgpd;
	cmd_state_init(&c->cs, CMD_MODE_EXEC, &c->sc);
	ev_io_init(&c->rio, client_read_cb, fd, EV_READ);
	ev_io_init(&c->wio, client_write_cb, fd, EV_WRITE);
	c->rio.data = c->wio.data = c;
	ev_io_start(loop, &c->rio);
	c->next = ctl->clients;
	ctl->clients = c;
}

struct ctl *
ctl_new(struct ev_loop *loop, struct bgpd *bgpd, const char *path)
{
	struct sockaddr_un sun;
	struct ctl *ctl;
	mode_t old;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_err("control socket path too long: %s", path);
		return NULL;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		log_err("control socket: %s", strerror(errno));
		return NULL;
	}
	/* A socket left by a daemon that died is replaced. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_err("control socket %s: another dxbgpd is running", path);
		close(fd);
		return NULL;
	}
	unlink(path);
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 16) == -1) {
		umask(old);
		log_err("control socket %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	umask(old);
	show_cmd_register();
	ctl = calloc(1, sizeof(*ctl));
	if (ctl == NULL)
		log_fatal("out of memory");
	ctl->loop = loop;
	ctl->bgpd = bgpd;
	ctl->fd = fd;
	strcpy(ctl->path, path);
	ev_io_init(&ctl->w, ctl_accept_cb, fd, EV_READ);
	ctl->w.data = ctl;
	ev_io_start(loop, &ctl->w);
	log_info("control socket %s", path);
	return ctl;
}

void
ctl_free(struct ctl *ctl)
{
	while (ctl->clients != NULL)
		client_free(ctl->clients);
	ev_io_stop(ctl->loop, &ctl->w);
	close(ctl->fd);
	unlink(ctl->path);
	free(ctl);
}
