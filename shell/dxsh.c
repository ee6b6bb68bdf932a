/*
 * dxsh.c: the shell of dxbgpd.
 *
 *   dxsh [-S PATH] -c "CMD" [-c "CMD"]...   run the commands and exit
 *   dxsh [-S PATH]                          interactive on a terminal,
 *                                           else read commands from stdin
 *
 * Every command goes to the daemon's control socket as one line; the
 * daemon parses it with the same command table as its config file and
 * answers with the output, a NUL byte and a status byte (control.h).
 * The daemon owns the table and the client's mode, so the line editor
 * (BSD libedit) asks it for the prompt after each command and for the
 * words that may come next on `?` (help) and TAB (completion).
 *
 * The exit status is 0 if every command succeeded, 1 if one failed and
 * 2 if the daemon cannot be reached or refuses the connection; an
 * interactive session ends with 0, or 2 if the connection broke.
 */
#include <errno.h>
#include <histedit.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCK "/run/dxbgp/dxbgpd.sock"
#define LINE_MAX_LEN 4096
#define MAX_CMDS     64
#define HISTORY_SIZE 500

/* The control protocol (bgpd/control.h). */
#define CTL_STATUS_OK     '0'
#define CTL_STATUS_DENIED '2'
#define CTL_REQ_HELP      "\001?"
#define CTL_REQ_PROMPT    "\001p"

struct sh {
	int fd;
	char prompt[256];
	bool lost; /* the connection broke */
	EditLine *el;
	History *hist;
};

static volatile sig_atomic_t got_sigint;

static int
ctl_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "dxsh: socket path too long: %s\n", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		fprintf(stderr, "dxsh: cannot reach dxbgpd at %s: %s\n", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
send_line(int fd, const char *line)
{
	if (write_all(fd, line, strlen(line)) == -1 ||
	    write_all(fd, "\n", 1) == -1)
		return -1;
	return 0;
}

/*
 * Reads one answer: its output goes to out (a stream) or is kept in
 * *buf (NUL-terminated, to free).  Returns the status byte, or -1 if
 * the connection broke.
 */
static int
read_answer(int fd, FILE *out, char **buf)
{
	char chunk[8192];
	size_t len = 0, cap = 0;
	bool nul = false;
	ssize_t n, i;

	if (buf != NULL)
		*buf = NULL;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		for (i = 0; i < n; i++) {
			if (nul) {
				if (out != NULL)
					fflush(out);
				/* Nothing follows the status byte. */
				return (unsigned char)chunk[i];
			}
			if (chunk[i] == '\0') {
				nul = true;
			} else if (out != NULL) {
				putc(chunk[i], out);
			} else {
				if (len + 2 > cap) {
					cap = cap ? cap * 2 : 1024;
					*buf = realloc(*buf, cap);
					if (*buf == NULL) {
						fputs("dxsh: out of memory\n",
						    stderr);
						exit(2);
					}
				}
				(*buf)[len++] = chunk[i];
				(*buf)[len] = '\0';
			}
		}
	}
}

/* A request whose answer is kept; -1 if the connection broke. */
static int
request(int fd, const char *prefix, const char *arg, char **buf)
{
	size_t n = strlen(prefix) + strlen(arg) + 1;
	char *line = malloc(n);
	int st;

	if (line == NULL) {
		fputs("dxsh: out of memory\n", stderr);
		exit(2);
	}
	snprintf(line, n, "%s%s", prefix, arg);
	/* Even if the daemon closed first, its answer (a refusal) may wait. */
	(void)send_line(fd, line);
	st = read_answer(fd, NULL, buf);
	free(line);
	if (st != -1 && *buf == NULL)
		*buf = strdup("");
	return st;
}

/*
 * Sends one command and copies the answer to stdout.  Returns 0 or 1
 * (the command's status), or -1 if the connection broke.
 */
static int
run(int fd, const char *cmd)
{
	int st;

	if (strchr(cmd, '\n') != NULL) {
		fprintf(stderr, "dxsh: a command is one line\n");
		return 1;
	}
	if (cmd[0] == '\001') {
		fprintf(stderr, "dxsh: a command cannot start with ^A\n");
		return 1;
	}
	if (send_line(fd, cmd) == -1)
		return -1;
	st = read_answer(fd, stdout, NULL);
	if (st == -1)
		return -1;
	return st == CTL_STATUS_OK ? 0 : 1;
}

/* ---- interactive ---- */

struct choice {
	char kind; /* 'k' keyword, 'a' argument, 'c' <cr> */
	char *word, *help;
};

/* Splits a help answer ("KIND\tWORD\tHELP" lines) in place. */
static int
parse_choices(char *buf, struct choice **out)
{
	struct choice *v = NULL;
	int n = 0;
	char *line, *save = NULL;

	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *t1 = strchr(line, '\t'), *t2;

		if (t1 == NULL)
			continue;
		t2 = strchr(t1 + 1, '\t');
		v = realloc(v, sizeof(*v) * (size_t)(n + 1));
		if (v == NULL) {
			fputs("dxsh: out of memory\n", stderr);
			exit(2);
		}
		v[n].kind = line[0];
		*t1 = '\0';
		v[n].word = t1 + 1;
		if (t2 != NULL) {
			*t2 = '\0';
			v[n].help = t2 + 1;
		} else
			v[n].help = "";
		n++;
	}
	*out = v;
	return n;
}

static void
print_choices(const struct choice *v, int n)
{
	int w = 0;

	for (int i = 0; i < n; i++)
		if ((int)strlen(v[i].word) > w)
			w = (int)strlen(v[i].word);
	for (int i = 0; i < n; i++) {
		if (v[i].help[0] == '\0')
			printf("  %s\n", v[i].word);
		else
			printf("  %-*s  %s\n", w, v[i].word, v[i].help);
	}
}

static struct sh *
sh_of(EditLine *el)
{
	struct sh *sh;

	el_get(el, EL_CLIENTDATA, &sh);
	return sh;
}

/* The line up to the cursor. */
static char *
line_to_cursor(EditLine *el)
{
	const LineInfo *li = el_line(el);
	size_t n = (size_t)(li->cursor - li->buffer);
	char *s = malloc(n + 1);

	if (s == NULL) {
		fputs("dxsh: out of memory\n", stderr);
		exit(2);
	}
	memcpy(s, li->buffer, n);
	s[n] = '\0';
	return s;
}

/* `?`: what may come next, with help; the line stays as it is. */
static unsigned char
help_fn(EditLine *el, int ch)
{
	struct sh *sh = sh_of(el);
	char *line = line_to_cursor(el), *buf = NULL;
	struct choice *v = NULL;
	int st, n;

	st = request(sh->fd, CTL_REQ_HELP, line, &buf);
	free(line);
	putchar('\n');
	if (st == -1) {
		sh->lost = true;
		return CC_EOF;
	}
	if (st != CTL_STATUS_OK) {
		fputs(buf, stdout);
	} else {
		n = parse_choices(buf, &v);
		print_choices(v, n);
		free(v);
	}
	free(buf);
	fflush(stdout);
	return CC_REDISPLAY;
}

/* TAB: completes a unique keyword, or the common part; else lists. */
static unsigned char
complete_fn(EditLine *el, int ch)
{
	struct sh *sh = sh_of(el);
	char *line = line_to_cursor(el), *buf = NULL, *prefix;
	struct choice *v = NULL, *kw = NULL;
	int st, n, nkw = 0, nother = 0;
	size_t plen, common = 0;
	unsigned char rc = CC_REFRESH;

	st = request(sh->fd, CTL_REQ_HELP, line, &buf);
	if (st == -1) {
		free(line);
		sh->lost = true;
		return CC_EOF;
	}
	prefix = strrchr(line, ' ');
	prefix = prefix ? prefix + 1 : line;
	plen = strlen(prefix);
	n = st == CTL_STATUS_OK ? parse_choices(buf, &v) : 0;
	for (int i = 0; i < n; i++) {
		if (v[i].kind != 'k') {
			nother += v[i].kind == 'a' || plen == 0;
			continue;
		}
		if (nkw == 0) {
			kw = &v[i];
			common = strlen(kw->word);
		} else {
			size_t j = 0;

			while (j < common && kw->word[j] == v[i].word[j])
				j++;
			common = j;
		}
		nkw++;
	}
	if (n == 0) {
		rc = CC_REFRESH_BEEP;
	} else if (nkw == 1 && nother == 0) {
		el_insertstr(el, kw->word + plen);
		el_insertstr(el, " ");
	} else if (nkw > 0 && nother == 0 && common > plen) {
		char *add = strndup(kw->word + plen, common - plen);

		if (add != NULL)
			el_insertstr(el, add);
		free(add);
	} else {
		putchar('\n');
		print_choices(v, n);
		fflush(stdout);
		rc = CC_REDISPLAY;
	}
	free(v);
	free(buf);
	free(line);
	return rc;
}

static char *
prompt_fn(EditLine *el)
{
	return sh_of(el)->prompt;
}

/* The daemon's prompt for the current mode; false if it is gone. */
static bool
refresh_prompt(struct sh *sh)
{
	char *buf = NULL;
	int st = request(sh->fd, CTL_REQ_PROMPT, "", &buf);

	if (st == -1) {
		sh->lost = true;
		return false;
	}
	if (st == CTL_STATUS_OK)
		snprintf(sh->prompt, sizeof(sh->prompt), "%s", buf);
	free(buf);
	return true;
}

static void
sigint_cb(int sig)
{
	got_sigint = 1;
}

/*
 * The history file: $DXSH_HISTFILE (empty: none), else ~/.dxsh_history.
 * Kept mode 0600.  Lines that set a password never enter the history,
 * so no key is ever written to it.
 */
static const char *
history_file(char *buf, size_t len)
{
	const char *v = getenv("DXSH_HISTFILE"), *home;

	if (v != NULL)
		return v[0] != '\0' ? v : NULL;
	if ((home = getenv("HOME")) == NULL || home[0] == '\0' ||
	    (size_t)snprintf(buf, len, "%s/.dxsh_history", home) >= len)
		return NULL;
	return buf;
}

static void
history_keep(History *h, const char *path, const char *cmd)
{
	HistEvent ev;
	mode_t old;

	if (strstr(cmd, "password") != NULL)
		return;
	history(h, &ev, H_ENTER, cmd);
	if (path == NULL)
		return;
	old = umask(077);
	history(h, &ev, H_SAVE, path);
	umask(old);
	(void)chmod(path, 0600);
}

static int
interactive(int fd, const char *prompt)
{
	char hbuf[4096];
	const char *hfile = history_file(hbuf, sizeof(hbuf));
	struct sh sh = { .fd = fd };
	struct sigaction sa;
	HistEvent ev;
	const char *line;
	int count, rc;

	snprintf(sh.prompt, sizeof(sh.prompt), "%s", prompt);
	/* Ctrl-C interrupts the read (no SA_RESTART): the line is dropped. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sigint_cb;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);

	sh.hist = history_init();
	history(sh.hist, &ev, H_SETSIZE, HISTORY_SIZE);
	history(sh.hist, &ev, H_SETUNIQUE, 1);
	if (hfile != NULL)
		history(sh.hist, &ev, H_LOAD, hfile);
	sh.el = el_init("dxsh", stdin, stdout, stderr);
	el_set(sh.el, EL_CLIENTDATA, &sh);
	el_set(sh.el, EL_EDITOR, "emacs");
	el_set(sh.el, EL_PROMPT, prompt_fn);
	el_set(sh.el, EL_HIST, history, sh.hist);
	el_set(
	    sh.el, EL_ADDFN, "dxsh-help", "List what may come next", help_fn);
	el_set(
	    sh.el, EL_ADDFN, "dxsh-complete", "Complete the word", complete_fn);
	el_set(sh.el, EL_BIND, "?", "dxsh-help", NULL);
	el_set(sh.el, EL_BIND, "^I", "dxsh-complete", NULL);
	el_source(sh.el, NULL);

	for (;;) {
		got_sigint = 0;
		line = el_gets(sh.el, &count);
		if (got_sigint) {
			/* Ctrl-C: a fresh line. */
			fputs("^C\n", stdout);
			fflush(stdout);
			el_reset(sh.el);
			continue;
		}
		if (sh.lost)
			break;
		if (line == NULL || count <= 0) {
			if (count == -1 && errno == EINTR)
				continue;
			putchar('\n');
			break;
		}
		char *cmd = strdup(line);
		size_t len;

		if (cmd == NULL)
			break;
		len = strlen(cmd);
		while (
		    len > 0 && (cmd[len - 1] == '\n' || cmd[len - 1] == '\r'))
			cmd[--len] = '\0';
		if (strspn(cmd, " \t") == len) {
			free(cmd);
			continue;
		}
		history_keep(sh.hist, hfile, cmd);
		rc = run(fd, cmd);
		free(cmd);
		if (rc == -1) {
			sh.lost = true;
			break;
		}
		if (!refresh_prompt(&sh)) {
			/* Closed after an answer: quit (or exit). */
			sh.lost = false;
			break;
		}
	}
	el_end(sh.el);
	history_end(sh.hist);
	if (sh.lost)
		fputs("dxsh: dxbgpd closed the connection\n", stderr);
	return sh.lost ? 2 : 0;
}

int
main(int argc, char **argv)
{
	const char *path = DEFAULT_SOCK, *cmds[MAX_CMDS];
	char line[LINE_MAX_LEN], *answer = NULL;
	int ncmds = 0, ch, fd, i, rc, status = 0;
	bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	size_t len;

	while ((ch = getopt(argc, argv, "c:S:")) != -1) {
		switch (ch) {
		case 'c':
			if (ncmds == MAX_CMDS) {
				fprintf(stderr, "dxsh: too many -c\n");
				return 2;
			}
			cmds[ncmds++] = optarg;
			break;
		case 'S':
			path = optarg;
			break;
		default:
			fprintf(stderr,
			    "usage: dxsh [-S socket] [-c command]...\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: dxsh [-S socket] [-c command]...\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	fd = ctl_connect(path);
	if (fd == -1)
		return 2;
	/* The first answer also says whether the daemon lets us in. */
	rc = request(fd, CTL_REQ_PROMPT, "", &answer);
	if (rc != CTL_STATUS_OK) {
		if (rc == -1)
			fprintf(stderr,
			    "dxsh: dxbgpd at %s closed the "
			    "connection\n",
			    path);
		else
			fprintf(stderr, "dxsh: %s", answer);
		free(answer);
		return 2;
	}
	for (i = 0; i < ncmds; i++) {
		rc = run(fd, cmds[i]);
		if (rc == -1) {
			fprintf(stderr, "dxsh: dxbgpd closed the connection\n");
			free(answer);
			return 2;
		}
		if (rc != 0)
			status = 1;
	}
	if (ncmds > 0) {
		free(answer);
		return status;
	}
	if (tty) {
		status = interactive(fd, answer);
		free(answer);
		close(fd);
		return status;
	}
	free(answer);
	for (;;) {
		if (fgets(line, sizeof(line), stdin) == NULL)
			break;
		len = strlen(line);
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		rc = run(fd, line);
		if (rc == -1)
			break;
		if (rc != 0)
			status = 1;
	}
	close(fd);
	return status;
}
