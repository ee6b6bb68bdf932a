/*
 * dxsh.c: the shell of dxbgpd.
 *
 *   dxsh [-S PATH] -c "CMD" [-c "CMD"]...   run the commands and exit
 *   dxsh [-S PATH]                          read commands from stdin
 *
 * Every command goes to the daemon's control socket as one line; the
 * daemon parses it with the same command table as its config file and
 * answers with the output, a NUL byte and a status byte (control.h).
 * The exit status is 0 if every command succeeded, 1 if one failed and
 * 2 if the daemon cannot be reached.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCK "/run/dxbgp/dxbgpd.sock"
#define LINE_MAX_LEN 4096
#define MAX_CMDS     64

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

/*
 * Sends one command and copies the answer to stdout.  Returns 0 or 1
 * (the command's status), or -1 if the connection broke.
 */
static int
run(int fd, const char *cmd)
{
	char buf[8192];
	ssize_t n, i;
	bool nul = false;

	if (strchr(cmd, '\n') != NULL) {
		fprintf(stderr, "dxsh: a command is one line\n");
		return 1;
	}
	if (write_all(fd, cmd, strlen(cmd)) == -1 ||
	    write_all(fd, "\n", 1) == -1)
		return -1;
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		for (i = 0; i < n; i++) {
			if (nul) {
				fflush(stdout);
				/* Nothing follows the status byte. */
				return buf[i] == '0' ? 0 : 1;
			}
			if (buf[i] == '\0')
				nul = true;
			else
				putchar(buf[i]);
		}
	}
}

int
main(int argc, char **argv)
{
	const char *path = DEFAULT_SOCK, *cmds[MAX_CMDS];
	char line[LINE_MAX_LEN];
	int ncmds = 0, ch, fd, i, rc, status = 0;
	bool tty = isatty(STDIN_FILENO);
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
	fd = ctl_connect(path);
	if (fd == -1)
		return 2;
	for (i = 0; i < ncmds; i++) {
		rc = run(fd, cmds[i]);
		if (rc == -1) {
			fprintf(stderr, "dxsh: dxbgpd closed the connection\n");
			return 2;
		}
		if (rc != 0)
			status = 1;
	}
	if (ncmds > 0)
		return status;
	for (;;) {
		if (tty) {
			fputs("dxsh# ", stdout);
			fflush(stdout);
		}
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
