/*
 * control.c: the control socket, and putting a configuration in force.
 *
 * A Unix stream socket, mode 0660, owned by the control group if one
 * is given (dxbgpd -G); each connection's credentials (SO_PEERCRED)
 * are checked too, so a socket left readable by mistake still refuses
 * users other than root, the daemon's own and the group's members.
 * Each client gets its own command session (ctl_session, cmd.c) and
 * is served without blocking: requests are read into a bounded
 * buffer, answers are queued and written as the client takes them.  A
 * client that sends a line longer than CTL_LINE_MAX, or whose unread
 * answers pile up past CTL_OUT_MAX, is told why and closed; nothing
 * else is disturbed.  A long answer (a whole table) is made in parts
 * (cmd_more), the next one only when less than CTL_OUT_LOW of it is
 * unread, so a slow reader holds neither memory nor the loop; the
 * client's next line waits until that answer ends.  The requests of
 * control.h that are not commands (help for `?` and TAB, the prompt)
 * are answered here.
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
#include "conf.h"
#include "conf_diff.h"
#include "control.h"
#include "export.h"
#include "log.h"
#include "rde.h"
#include "show_cmd.h"

#define CTL_OUT_MAX (64u << 20)
/* An answer in parts (a table): the next part when less is unread. */
#define CTL_OUT_LOW (256u << 10)

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
	/* an answer still being made in parts (cmd_more), and its status */
	bool (*more)(void *, FILE *);
	void (*more_free)(void *);
	void *more_arg;
	char more_status;
	struct cmd_state cs;
	struct ctl_session sess;
};

struct ctl {
	struct ev_loop *loop;
	struct ctl_daemon *dm;
	bool has_group;
	gid_t group;
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
	if (c->more != NULL)
		c->more_free(c->more_arg);
	close(c->fd);
	ctl_session_clean(&c->sess, &c->cs);
	free(c->out);
	free(c);
}

static void
client_append(struct ctl_client *c, const char *data, size_t len)
{
	char *n;

	if (len == 0)
		return;
	if (c->outhead > 0 && c->outhead == c->outlen) {
		c->outhead = c->outlen = 0;
	} else if (c->outhead > (c->outlen - c->outhead)) {
		/* Mostly written: what is left goes to the front. */
		memmove(c->out, c->out + c->outhead, c->outlen - c->outhead);
		c->outlen -= c->outhead;
		c->outhead = 0;
	}
	n = realloc(c->out, c->outlen + len);
	if (n == NULL)
		log_fatal("out of memory");
	c->out = n;
	memcpy(c->out + c->outlen, data, len);
	c->outlen += len;
}

static bool client_pump(struct ctl_client *c);
static void client_input(struct ctl_client *c);

/*
 * Writes what the client can take; between writes, makes the next
 * parts of a long answer, and once it ends runs the lines that waited.
 * May free c (write error, or closing once all is written).
 */
static void
client_flush(struct ctl_client *c)
{
	ssize_t n;

	for (;;) {
		if (client_pump(c))
			client_input(c);
		if (c->outhead == c->outlen)
			break;
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
	if (c->outhead < c->outlen || c->more != NULL) {
		ev_io_start(c->ctl->loop, &c->wio);
		return;
	}
	ev_io_stop(c->ctl->loop, &c->wio);
	if (c->closing)
		client_free(c);
}

/* The choices of cmd_complete, from the current mode or, if nothing
 * fits there, a parent mode up to config (where the line would run). */
static int
client_help(struct ctl_client *c, const char *line, FILE *out)
{
	struct cmd_state st = c->cs;
	struct cmd_choice *ch = NULL;
	int n;

	for (;;) {
		n = cmd_complete(&st, line, NULL, 0);
		if (n > 0 || st.depth == 1 ||
		    cmd_state_mode(&st) == CMD_MODE_CONFIG)
			break;
		st.depth--;
	}
	if (n < 0) {
		fputs("% unknown command\n", out);
		return -1;
	}
	ch = cmd_xcalloc((size_t)n, sizeof(*ch));
	n = cmd_complete(&st, line, ch, n);
	for (int i = 0; i < n; i++)
		fprintf(out, "%c\t%s\t%s\n",
		    ch[i].kind == CMD_CHOICE_KEYWORD   ? 'k'
			: ch[i].kind == CMD_CHOICE_ARG ? 'a'
						       : 'c',
		    ch[i].word, ch[i].help);
	free(ch);
	return 0;
}

/* A request that is not a command (control.h). */
static int
client_request(struct ctl_client *c, const char *req, FILE *out)
{
	switch (req[0]) {
	case CTL_REQ_HELP:
		return client_help(c, req + 1, out);
	case CTL_REQ_PROMPT:
		ctl_prompt(c->ctl->dm->bgpd->conf, cmd_state_mode(&c->cs), out);
		return 0;
	default:
		fputs("% unknown request\n", out);
		return -1;
	}
}

static void
client_answer(struct ctl_client *c, const char *buf, size_t len, char status)
{
	client_append(c, buf, len);
	client_append(c, "", 1);
	client_append(c, &status, 1);
}

/* Runs one request line and queues its answer. */
static void
client_exec(struct ctl_client *c, const char *line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	int rc;

	if (out == NULL)
		log_fatal("out of memory");
	if (line[0] == CTL_REQ) {
		rc = client_request(c, line + 1, out);
	} else {
		c->cs.out = out;
		c->cs.stream = true;
		rc = ctl_session_exec(&c->sess, &c->cs, line, out);
		if (rc != 0)
			fprintf(out, "%% %s\n", c->cs.err);
		c->cs.out = NULL;
	}
	fclose(out);
	if (c->cs.more != NULL) {
		/* The rest as the client reads (client_pump). */
		c->more = c->cs.more;
		c->more_free = c->cs.more_free;
		c->more_arg = c->cs.more_arg;
		c->more_status = rc == 0 ? CTL_STATUS_OK : CTL_STATUS_ERR;
		c->cs.more = NULL;
		client_append(c, buf, len);
	} else
		client_answer(
		    c, buf, len, rc == 0 ? CTL_STATUS_OK : CTL_STATUS_ERR);
	free(buf);
	if (c->sess.sc.quit)
		c->closing = true;
}

static void
client_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl_client *c = w->data;
	ssize_t n;

	n = read(c->fd, c->in + c->inlen, CTL_LINE_MAX - c->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_free(c);
		return;
	}
	c->inlen += (size_t)n;
	client_input(c);
	if (c->outlen - c->outhead > CTL_OUT_MAX) {
		log_warn("control client does not read its answers; closed");
		client_free(c);
		return;
	}
	client_flush(c);
}

/*
 * Runs the complete lines read so far, one answer at a time: while an
 * answer is still being made in parts, the next line waits, and so
 * does reading (the client is pushed back).
 */
static void
client_input(struct ctl_client *c)
{
	struct ev_loop *loop = c->ctl->loop;
	char *nl;
	size_t used;

	while (c->more == NULL && !c->closing &&
	    (nl = memchr(c->in, '\n', c->inlen)) != NULL) {
		*nl = '\0';
		used = (size_t)(nl - c->in) + 1;
		if (memchr(c->in, '\0', used - 1) != NULL) {
			static const char msg[] =
			    "% command contains a NUL byte\n";

			client_answer(c, msg, sizeof(msg) - 1, CTL_STATUS_ERR);
		} else
			client_exec(c, c->in);
		memmove(c->in, c->in + used, c->inlen - used);
		c->inlen -= used;
	}
	if (c->more != NULL)
		ev_io_stop(loop, &c->rio);
	else if (!c->closing)
		ev_io_start(loop, &c->rio);
	if (c->more == NULL && c->inlen == CTL_LINE_MAX) {
		static const char msg[] = "% command line too long\n";

		log_warn("control client sent a line over %d bytes; closed",
		    CTL_LINE_MAX);
		client_answer(c, msg, sizeof(msg) - 1, CTL_STATUS_ERR);
		c->inlen = 0;
		c->closing = true;
	}
	if (c->closing)
		ev_io_stop(loop, &c->rio);
}

/*
 * Makes the next parts of an answer while little of it is unread; after
 * the last, ends the answer and goes on with the lines that waited.
 */
static bool
client_pump(struct ctl_client *c)
{
	char *buf;
	size_t len;
	FILE *out;

	while (c->more != NULL && c->outlen - c->outhead < CTL_OUT_LOW) {
		buf = NULL;
		len = 0;
		if ((out = open_memstream(&buf, &len)) == NULL)
			log_fatal("out of memory");
		if (c->more(c->more_arg, out)) {
			fclose(out);
			client_append(c, buf, len);
			free(buf);
			continue;
		}
		fclose(out);
		client_append(c, buf, len);
		free(buf);
		c->more_free(c->more_arg);
		c->more = NULL;
		client_append(c, "", 1);
		client_append(c, &c->more_status, 1);
		return true;
	}
	return false;
}

static void
client_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	client_flush(w->data);
}

/* Whether process pid has gid among its supplementary groups. */
static bool
pid_in_group(pid_t pid, gid_t gid)
{
	char path[64], line[4096];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	f = fopen(path, "re");
	if (f == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		char *p = line + strlen("Groups:"), *end;

		if (strncmp(line, "Groups:", strlen("Groups:")) != 0)
			continue;
		for (;;) {
			unsigned long g = strtoul(p, &end, 10);

			if (end == p)
				break;
			if ((gid_t)g == gid)
				found = true;
			p = end;
		}
		break;
	}
	fclose(f);
	return found;
}

/* Root, our own user, or a member of the control group. */
static bool
peer_allowed(const struct ctl *ctl, int fd, struct ucred *uc)
{
	socklen_t len = sizeof(*uc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, uc, &len) == -1) {
		memset(uc, 0, sizeof(*uc));
		uc->uid = (uid_t)-1;
		return false;
	}
	if (uc->uid == 0 || uc->uid == geteuid())
		return true;
	return ctl->has_group &&
	    (uc->gid == ctl->group || pid_in_group(uc->pid, ctl->group));
}

static void
refuse(const struct ctl *ctl, int fd, const struct ucred *uc)
{
	char msg[256];
	int n;

	if (ctl->has_group)
		n = snprintf(msg, sizeof(msg),
		    "%% access denied: uid %ld is neither root, the daemon's "
		    "user nor in group %ld\n",
		    (long)uc->uid, (long)ctl->group);
	else
		n = snprintf(msg, sizeof(msg),
		    "%% access denied: uid %ld is neither root nor the "
		    "daemon's user (no control group, see dxbgpd -G)\n",
		    (long)uc->uid);
	log_warn("control connection from uid %ld gid %ld pid %ld refused",
	    (long)uc->uid, (long)uc->gid, (long)uc->pid);
	msg[n++] = '\0';
	msg[n++] = CTL_STATUS_DENIED;
	/* A new socket's buffer takes it; the refusal is best effort. */
	if (write(fd, msg, (size_t)n) < 0) {
	}
	/* What the client sent already would turn the close into a reset
	 * that might hide the refusal from it. */
	while (read(fd, msg, sizeof(msg)) > 0)
		;
	close(fd);
}

static void
ctl_accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct ctl *ctl = w->data;
	struct ctl_client *c;
	struct ucred uc;
	int fd;

	fd = accept4(ctl->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1)
		return;
	if (!peer_allowed(ctl, fd, &uc)) {
		refuse(ctl, fd, &uc);
		return;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		log_fatal("out of memory");
	c->ctl = ctl;
	c->fd = fd;
	c->sess.sc.bgpd = ctl->dm->bgpd;
	c->sess.dm = ctl->dm;
	cmd_state_init(&c->cs, CMD_MODE_EXEC, &c->sess.sc);
	ev_io_init(&c->rio, client_read_cb, fd, EV_READ);
	ev_io_init(&c->wio, client_write_cb, fd, EV_WRITE);
	c->rio.data = c->wio.data = c;
	ev_io_start(loop, &c->rio);
	c->next = ctl->clients;
	ctl->clients = c;
}

struct ctl *
ctl_new(struct ev_loop *loop, struct ctl_daemon *dm, const char *path,
    bool has_group, gid_t group)
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
	/* 0660 whatever the umask; the group's members may connect. */
	if (chmod(path, 0660) == -1 ||
	    (has_group && chown(path, (uid_t)-1, group) == -1)) {
		log_err("control socket %s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return NULL;
	}
	show_cmd_register();
	log_cmd_register();
	ctl_cmd_register();
	ctl = calloc(1, sizeof(*ctl));
	if (ctl == NULL)
		log_fatal("out of memory");
	ctl->loop = loop;
	ctl->dm = dm;
	ctl->has_group = has_group;
	ctl->group = group;
	ctl->fd = fd;
	strcpy(ctl->path, path);
	ev_io_init(&ctl->w, ctl_accept_cb, fd, EV_READ);
	ctl->w.data = ctl;
	ev_io_start(loop, &ctl->w);
	if (has_group)
		log_info("control socket %s (group %ld)", path, (long)group);
	else
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

void
ctl_apply(struct ctl_daemon *dm, struct conf *conf)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	/* Valid but likely a mistake: said in the log at every apply. */
	if (f == NULL)
		log_fatal("out of memory");
	if (conf_warn(conf, dm->conf_path, f) > 0) {
		fclose(f);
		log_lines(LOG_LVL_WARN, "", text);
	} else
		fclose(f);
	free(text);
	bgpd_configure(dm->bgpd, conf);
	rde_configure(dm->rde, dm->bgpd->conf);
	if (dm->bgpd->exp != NULL)
		exp_configure(dm->bgpd->exp, dm->bgpd->conf);
	log_conf_apply(dm->bgpd->conf);
	dm->gen++;
}

int
ctl_reload(struct ctl_daemon *dm, FILE *errs, FILE *report)
{
	struct conf *conf;

	if (conf_load_file(dm->conf_path, &conf, errs) == -1)
		return -1;
	if (report != NULL)
		conf_diff_report(dm->bgpd->conf, conf, report);
	ctl_apply(dm, conf);
	return 0;
}
