/*
 * Runs a bundle with the runtime under test and collects the report.
 *
 * The test process forks a runner in a new session.  The runner sets the
 * launcher's umask, optionally enters a private mount namespace for the
 * host hooks, and runs the lifecycle: "run --bundle DIR ID", or "create",
 * "start", a wait on the pidfd of the pid that "state" reports, and
 * "delete".  With a terminal,
 * the runner's stdio is a pty that is also its controlling terminal,
 * because runc and crun proxy a container's console to their own terminal
 * and kyua gives a test none.
 */
#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REPORT_BEGIN "@@MNTNS-PROBE-BEGIN@@"
#define REPORT_END "@@MNTNS-PROBE-END@@"
#define READY_FILE "tmp/.probe-ready"

struct stream {
	int fd;
	char *data;
	size_t len;
};

/* Runs "RUNTIME VERB --bundle DIR [--console-socket PATH] ID" for run and
 * create, "RUNTIME VERB ID" for the others. */
static void exec_runtime(const struct bundle *b, const char *verb,
			 const char *console_socket)
{
	char *argv[8];
	size_t argc = 0;

	argv[argc++] = (char *)b->runtime;
	argv[argc++] = (char *)verb;
	if (!strcmp(verb, "run") || !strcmp(verb, "create")) {
		argv[argc++] = "--bundle";
		argv[argc++] = (char *)b->dir;
	}
	if (console_socket) {
		argv[argc++] = "--console-socket";
		argv[argc++] = (char *)console_socket;
	}
	argv[argc++] = (char *)b->id;
	argv[argc] = NULL;
	execv(b->runtime, argv);
	fprintf(stderr, "runner: exec %s failed: %s\n", b->runtime,
		strerror(errno));
	_exit(127);
}

static pid_t spawn_runtime(const struct bundle *b, const char *verb,
			   const char *console_socket)
{
	pid_t pid = fork();

	if (pid == 0)
		exec_runtime(b, verb, console_socket);
	return pid;
}

static int exit_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

static int wait_code(pid_t pid)
{
	int status;

	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 127;
	return exit_code(status);
}

/* The descriptors the runner watches while the container runs: the
 * rootfs's /tmp for the during hook's ready file, and with create-start
 * and a terminal, the pty master the runtime sent to the console socket. */
struct watch {
	struct bundle *b;
	int inotify_fd; /* the rootfs's /tmp, or -1 without a during hook */
	int console_fd; /* the pty master, or -1 */
	bool called; /* the during hook ran */
};

/* Watches the rootfs's /tmp for the ready file when the case has a
 * during hook. */
static void watch_init(struct watch *w, struct bundle *b)
{
	const uint32_t events = IN_CREATE | IN_MOVED_TO;
	char dir[PATH_MAX + 8];

	*w = (struct watch){ .b = b, .inotify_fd = -1, .console_fd = -1 };
	if (!b->hooks.during)
		return;
	snprintf(dir, sizeof(dir), "%s/tmp", b->rootfs);
	w->inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (w->inotify_fd < 0 ||
	    inotify_add_watch(w->inotify_fd, dir, events) < 0) {
		fprintf(stderr, "runner: inotify on %s failed: %s\n", dir,
			strerror(errno));
		_exit(125);
	}
}

/* Calls the during hook once the probe has created the ready file; the
 * inotify events are drained and only wake the check. */
static void check_ready(struct watch *w)
{
	char path[PATH_MAX + 32], events[4096];
	int ret;

	while (read(w->inotify_fd, events, sizeof(events)) > 0)
		continue;
	if (w->called)
		return;
	snprintf(path, sizeof(path), "%s/%s", w->b->rootfs, READY_FILE);
	if (access(path, F_OK) != 0)
		return;
	w->called = true;
	ret = w->b->hooks.during(w->b, w->b->hooks.arg);
	if (ret < 0)
		fprintf(stderr, "runner: host hook failed: %s\n",
			strerror(-ret));
}

/* Copies what the container wrote to its pty to the runner's stdout,
 * where the test process reads it.  Returns false once the master has
 * nothing more: EIO when every slave is closed, or EAGAIN. */
static bool relay_console(int master)
{
	char buf[65536];
	ssize_t len = read(master, buf, sizeof(buf));

	if (len < 0 && errno == EINTR)
		return true;
	if (len <= 0)
		return false;
	for (ssize_t done = 0, n; done < len; done += n) {
		n = write(STDOUT_FILENO, buf + done, (size_t)(len - done));
		if (n < 0)
			return false;
	}
	return true;
}

/* Waits for the process behind pidfd to exit, running the during hook
 * when the ready file appears and relaying the console.  The test
 * process's deadline bounds the wait, since it kills the runner's whole
 * session. */
static void wait_exit(struct watch *w, int pidfd)
{
	struct pollfd fds[3] = {
		{ .fd = pidfd, .events = POLLIN },
		{ .fd = w->inotify_fd, .events = POLLIN },
		{ .fd = w->console_fd, .events = POLLIN },
	};

	if (w->inotify_fd >= 0)
		check_ready(w);
	for (;;) {
		if (poll(fds, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (fds[1].revents)
			check_ready(w);
		if (fds[2].revents && !relay_console(w->console_fd))
			fds[2].fd = -1;
		if (fds[0].revents)
			return;
	}
}

/* The container's pid from "state ID" (JSON with "pid" and "status"), or
 * 0 when the container is stopped or gone. */
static pid_t running_pid(const struct bundle *b)
{
	char command[2 * PATH_MAX];
	char buf[8192];
	const char *status;
	json_t *state;
	pid_t pid = 0;
	size_t len;
	FILE *p;

	snprintf(command, sizeof(command), "'%s' state '%s' 2>/dev/null",
		 b->runtime, b->id);
	p = popen(command, "re");
	if (!p)
		return 0;
	len = fread(buf, 1, sizeof(buf), p);
	pclose(p);
	state = json_loadb(buf, len, 0, NULL);
	status = json_string_value(json_object_get(state, "status"));
	if (status && strcmp(status, "stopped") != 0)
		pid = (pid_t)json_integer_value(json_object_get(state, "pid"));
	json_decref(state);
	return pid;
}

/* Waits for the started container to stop, then relays the rest of the
 * console.  Its process is no child of the runner, so the wait goes
 * through a pidfd of the pid that "state" reports.  "state" is asked
 * again once the pidfd is open, in case the pid was reused before. */
static void wait_container(struct watch *w)
{
	pid_t pid = running_pid(w->b);
	int pidfd = pid > 0 ? (int)pidfd_open(pid, 0) : -1;

	if (pidfd >= 0 && running_pid(w->b) == pid)
		wait_exit(w, pidfd);
	if (pidfd >= 0)
		close(pidfd);
	while (w->console_fd >= 0 && relay_console(w->console_fd))
		continue;
}

/* Listens on BUNDLE/console.sock for the runtime's pty master, which
 * create sends with --console-socket when process.terminal is true. */
static int listen_console(const struct bundle *b, char *path, size_t size)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if ((size_t)snprintf(path, size, "%s/console.sock", b->dir) >= size ||
	    strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "runner: console socket path %s is over %zu "
			"bytes: set TMPDIR to a shorter directory\n", path,
			sizeof(addr.sun_path) - 1);
		_exit(125);
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 1) < 0) {
		fprintf(stderr, "runner: console socket %s failed: %s\n", path,
			strerror(errno));
		_exit(125);
	}
	return fd;
}

/* Takes the pty master from the connection that create made and left in
 * the backlog.  runc sends the pty's name as payload and crun a single
 * byte, so any payload is accepted, and no reply is sent.  Returns the
 * master, non-blocking, or -1. */
static int receive_console(int listen_fd)
{
	char payload[4096];
	union {
		struct cmsghdr header;
		char space[CMSG_SPACE(sizeof(int))];
	} control;
	struct iovec iov = { payload, sizeof(payload) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control.space,
			      .msg_controllen = sizeof(control.space) };
	struct cmsghdr *cmsg;
	int conn, master = -1;

	conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0) {
		fprintf(stderr, "runner: create made no connection to the "
			"console socket: %s\n", strerror(errno));
		return -1;
	}
	if (recvmsg(conn, &msg, MSG_CMSG_CLOEXEC) >= 0) {
		cmsg = CMSG_FIRSTHDR(&msg);
		if (cmsg && cmsg->cmsg_level == SOL_SOCKET &&
		    cmsg->cmsg_type == SCM_RIGHTS)
			memcpy(&master, CMSG_DATA(cmsg), sizeof(master));
	}
	close(conn);
	if (master < 0)
		fprintf(stderr, "runner: no pty master arrived on the console "
			"socket\n");
	else
		fcntl(master, F_SETFL, O_NONBLOCK);
	return master;
}

static int run_once(struct watch *w)
{
	int pidfd, status;
	pid_t pid;

	if (w->inotify_fd < 0)
		exec_runtime(w->b, "run", NULL);
	pid = spawn_runtime(w->b, "run", NULL);
	pidfd = pid < 0 ? -1 : (int)pidfd_open(pid, 0);
	if (pidfd >= 0)
		wait_exit(w, pidfd);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return 127;
	return exit_code(status);
}

static int create_start(struct watch *w)
{
	char socket_path[PATH_MAX];
	int listen_fd = -1, code;
	struct bundle *b = w->b;

	if (b->terminal)
		listen_fd = listen_console(b, socket_path,
					   sizeof(socket_path));
	code = wait_code(spawn_runtime(b, "create",
				       b->terminal ? socket_path : NULL));
	if (code == 0 && b->terminal) {
		w->console_fd = receive_console(listen_fd);
		if (w->console_fd < 0)
			code = 1;
	}
	if (code == 0)
		code = wait_code(spawn_runtime(b, "start", NULL));
	if (code == 0)
		wait_container(w);
	if (wait_code(spawn_runtime(b, "delete", NULL)) != 0 && code == 0)
		code = 1;
	return code;
}

static int run_lifecycle(struct bundle *b)
{
	struct watch w;

	watch_init(&w, b);
	return b->create_start ? create_start(&w) : run_once(&w);
}

static void runner_main(struct bundle *b)
{
	int ret;

	umask(b->launcher_umask);
	if (b->private_ns) {
		if (unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
			fprintf(stderr, "runner: private mount namespace "
				"failed: %s\n", strerror(errno));
			_exit(125);
		}
	}
	if (b->hooks.before) {
		ret = b->hooks.before(b, b->hooks.arg);
		if (ret < 0) {
			fprintf(stderr, "runner: host setup failed: %s\n",
				strerror(-ret));
			_exit(125);
		}
	}
	_exit(run_lifecycle(b));
}

static void write_config(struct bundle *b)
{
	char path[PATH_MAX + 16];

	config_set(b, "process.terminal", json_boolean(b->terminal));
	snprintf(path, sizeof(path), "%s/config.json", b->dir);
	if (json_dump_file(b->config, path, JSON_INDENT(2)) < 0)
		atf_tc_fail("write %s failed", path);
}

/* Starts the runner with pipes, or with a pty in terminal mode; fills the
 * streams to read (one in terminal mode, two otherwise). */
static pid_t start_runner(struct bundle *b, struct stream *streams,
			  size_t *count)
{
	int in[2], out[2], err[2], master, slave;
	pid_t pid;

	if (b->terminal) {
		if (openpty(&master, &slave, NULL, NULL, NULL) < 0)
			atf_tc_fail("openpty failed: %s", strerror(errno));
		in[0] = out[1] = err[1] = slave;
		streams[0].fd = master;
		*count = 1;
	} else {
		if (pipe(in) < 0 || pipe(out) < 0 || pipe(err) < 0)
			atf_tc_fail("pipe failed: %s", strerror(errno));
		streams[0].fd = out[0];
		streams[1].fd = err[0];
		*count = 2;
	}
	pid = fork();
	if (pid < 0)
		atf_tc_fail("fork failed: %s", strerror(errno));
	if (pid == 0) {
		setsid();
		if (b->terminal)
			ioctl(slave, TIOCSCTTY, 0);
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		runner_main(b);
	}
	if (b->terminal) {
		close(slave);
	} else {
		close(in[0]);
		close(in[1]);
		close(out[1]);
		close(err[1]);
	}
	return pid;
}

static bool read_stream(struct stream *s)
{
	char buf[65536];
	ssize_t len = read(s->fd, buf, sizeof(buf));

	if (len < 0 && errno == EINTR)
		return true;
	/* A pty master reads EIO once every slave is closed. */
	if (len <= 0)
		return false;
	s->data = realloc(s->data, s->len + (size_t)len + 1);
	memcpy(s->data + s->len, buf, (size_t)len);
	s->len += (size_t)len;
	s->data[s->len] = '\0';
	return true;
}

static long now_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec * 1000L + now.tv_nsec / 1000000L;
}

/* Milliseconds left before deadline (CLOCK_MONOTONIC, in ms), for poll();
 * 0 once it has passed. */
static int time_left(long deadline)
{
	long left = deadline - now_ms();

	return left > 0 ? (int)left : 0;
}

/* Reads every stream to its end; false when the deadline passed. */
static bool collect(struct stream *streams, size_t count, long deadline)
{
	struct pollfd fds[2];
	size_t open_count = count;
	int ready;

	for (size_t i = 0; i < count; i++)
		fds[i] = (struct pollfd){ .fd = streams[i].fd,
					  .events = POLLIN };
	while (open_count > 0) {
		ready = poll(fds, count, time_left(deadline));
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			return false;
		for (size_t i = 0; i < count; i++) {
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			if (!read_stream(&streams[i])) {
				fds[i].fd = -1;
				open_count--;
			}
		}
	}
	return true;
}

/* Waits for the runner through a pidfd, so the deadline bounds the wait
 * without polling waitpid(). */
static bool wait_runner(pid_t pid, int *status, long deadline)
{
	struct pollfd fd = { .fd = (int)pidfd_open(pid, 0), .events = POLLIN };
	int ready;

	if (fd.fd < 0)
		return false;
	do {
		ready = poll(&fd, 1, time_left(deadline));
	} while (ready < 0 && errno == EINTR);
	close(fd.fd);
	return ready > 0 && waitpid(pid, status, 0) == pid;
}

/* Removes whatever is left of the container after a failed or timed-out
 * run, so no container process outlives the test case. */
static void reap_container(const struct bundle *b)
{
	char *kill_argv[] = { (char *)b->runtime, "kill", (char *)b->id,
			      "KILL", NULL };
	char *delete_argv[] = { (char *)b->runtime, "delete", "--force",
				(char *)b->id, NULL };

	for (int i = 0; i < 2; i++) {
		char **argv = i == 0 ? kill_argv : delete_argv;
		pid_t pid = fork();

		if (pid == 0) {
			int null = open("/dev/null", O_RDWR);

			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			execv(argv[0], argv);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
}

static int parse_mountinfo(struct report *r)
{
	json_t *rows = json_object_get(r->json, "mountinfo");
	char *text = NULL;
	size_t size = 0;
	json_t *row;
	size_t i;
	FILE *f = open_memstream(&text, &size);
	int ret;

	json_array_foreach(rows, i, row)
		fprintf(f, "%s\n", json_string_value(row));
	fclose(f);
	f = fmemopen(text, size, "r");
	r->mounts = mnt_new_table();
	ret = f ? mnt_table_parse_stream(r->mounts, f, "mountinfo") : -1;
	if (f)
		fclose(f);
	free(text);
	return ret;
}

static int parse_report(struct report *r)
{
	char *begin, *end;

	if (!r->output)
		return -1;
	begin = strstr(r->output, REPORT_BEGIN);
	if (!begin)
		return -1;
	begin += strlen(REPORT_BEGIN);
	end = strstr(begin, REPORT_END);
	if (!end)
		return -1;
	r->json = json_loadb(begin, (size_t)(end - begin), JSON_ALLOW_NUL,
			    NULL);
	if (!r->json)
		return -1;
	return parse_mountinfo(r);
}

int bundle_try_run(struct bundle *b, struct report *r)
{
	struct stream streams[2] = { { -1, NULL, 0 }, { -1, NULL, 0 } };
	long deadline = now_ms() + b->timeout * 1000L;
	size_t count;
	bool finished;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	write_config(b);
	pid = start_runner(b, streams, &count);
	finished = collect(streams, count, deadline) &&
		   wait_runner(pid, &r->status, deadline);
	if (!finished) {
		kill(-pid, SIGKILL);
		waitpid(pid, &r->status, 0);
	}
	if (!finished || r->status != 0)
		reap_container(b);
	for (size_t i = 0; i < count; i++)
		close(streams[i].fd);
	r->output = streams[0].data;
	r->errors = count > 1 ? streams[1].data : NULL;
	if (!r->errors)
		r->errors = strdup("");
	if (!finished) {
		free(r->errors);
		if (asprintf(&r->errors, "timed out after %u s\n",
			     b->timeout) < 0)
			r->errors = NULL;
		return -1;
	}
	if (parse_report(r) < 0 || r->status != 0)
		return -1;
	return 0;
}

void bundle_run(struct bundle *b, struct report *r)
{
	if (bundle_try_run(b, r) == 0)
		return;
	/* kyua takes a multi-line reason as a broken test: the details go
	 * to stderr. */
	fprintf(stderr, "runtime stderr:\n%s\nruntime output:\n%.4000s\n",
		r->errors ? r->errors : "", r->output ? r->output : "");
	atf_tc_fail("%s %s of %s failed (exit status %d, %s); its output is "
		    "on stderr", b->runtime_name,
		    b->create_start ? "create-start" : "run", b->dir,
		    WIFEXITED(r->status) ? WEXITSTATUS(r->status)
					 : 128 + WTERMSIG(r->status),
		    r->json ? "report found" : "no probe report");
}
