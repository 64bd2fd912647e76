/*
 * nspawn-oci: runs an OCI bundle with systemd-nspawn's OCI mode behind the
 * runc-style command line that the conformance suite drives:
 *
 *   nspawn-oci [GLOBAL OPTIONS] run [--bundle DIR] [--console-socket PATH] ID
 *   nspawn-oci [GLOBAL OPTIONS] state ID
 *   nspawn-oci [GLOBAL OPTIONS] kill ID [SIGNAL]
 *   nspawn-oci [GLOBAL OPTIONS] delete [--force] ID
 *   nspawn-oci --version
 *
 * "run" never edits the caller's bundle.  It writes a copy of config.json
 * to a bundle directory of its own under the state root, with the changes
 * that systemd-nspawn 252 needs (measured on Debian 12):
 *   - ociVersion becomes "1.0.0", because nspawn rejects "1.0", "1.0.1",
 *     "1.0.2" and "1.0.2-dev" with "OCI bundle version not supported";
 *   - linux.resources is removed, because nspawn exits 1 without a message
 *     when it has resources to apply and no D-Bus to apply them through;
 *   - a relative root.path is made absolute, so it still names the
 *     caller's rootfs from the other directory.
 * Each change is one line on stderr.  Where systemd is not PID 1, "run"
 * also creates the nodes in /run/systemd/inaccessible that nspawn masks
 * paths with (bundle.c).  nspawn runs with --register=no and --keep-unit,
 * so it needs neither systemd-machined nor a D-Bus connection, and with
 * -q.  There is no create/start split in nspawn, so "create" and "start"
 * fail with a message.
 *
 * State: STATE_ROOT/ID/state.json names the systemd-nspawn process (pid
 * and start time, so a reused pid is not mistaken for it) and the bundle.
 * "run" removes STATE_ROOT/ID when nspawn exits.  After a crash of the
 * driver, "delete --force ID" removes it (state.c).
 */
#include <errno.h>
#include <getopt.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "nspawn-oci.h"

#define DEFAULT_STATE_ROOT "/run/nspawn-oci"
#define DELETE_WAIT_MS 10000

static const char *nspawn_path(void)
{
	const char *path = getenv("NSPAWN_OCI_NSPAWN");

	return path && path[0] ? path : "systemd-nspawn";
}

void message(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROGRAM ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: " PROGRAM " [--root DIR] [--debug] [--log FILE] "
		"[--log-format text] COMMAND\n"
		"  run [--bundle DIR] [--console-socket PATH] ID\n"
		"  state ID\n"
		"  kill ID [SIGNAL]\n"
		"  delete [--force] ID\n"
		"  --version\n"
		"--root sets the state directory (default " DEFAULT_STATE_ROOT
		"), --log appends this driver's messages and nspawn's stderr "
		"to FILE.\nNSPAWN_OCI_NSPAWN names the systemd-nspawn "
		"binary.\n");
}

/* A container ID becomes a directory name under the state root. */
static int check_id(const char *id)
{
	if (!id[0] || strlen(id) > 128 || !strcmp(id, ".") ||
	    !strcmp(id, "..") || strchr(id, '/')) {
		message("invalid container ID \"%s\": use 1 to 128 characters "
			"without \"/\", not \".\" or \"..\"", id);
		return -EINVAL;
	}
	return 0;
}

int path_join(char *out, size_t size, const char *dir, const char *name)
{
	int len = snprintf(out, size, "%s/%s", dir, name);

	if (len < 0 || (size_t)len >= size) {
		message("path too long: %s/%s", dir, name);
		return -ENAMETOOLONG;
	}
	return 0;
}

/* ---- Commands ---- */

static int command_state(const struct options *o, const char *id)
{
	struct state s;
	json_t *out;
	int ret = read_state(o, id, &s);
	bool running = ret == 0 && state_running(&s);

	if (ret < 0)
		return 1;
	out = json_pack("{s:s, s:s, s:s, s:i, s:s}", "ociVersion",
			NSPAWN_OCI_VERSION, "id", id, "status",
			running ? "running" : "stopped", "pid",
			running ? (int)s.pid : 0, "bundle", s.bundle);
	json_dumpf(out, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(out);
	return 0;
}

static int command_kill(const struct options *o, const char *id,
			const char *signal_text)
{
	struct state s;
	int sig = parse_signal(signal_text ? signal_text : "TERM");

	if (sig < 0 || read_state(o, id, &s) < 0)
		return 1;
	if (!state_running(&s)) {
		message("container \"%s\" is not running", id);
		return 1;
	}
	return signal_container(&s, sig) < 0 ? 1 : 0;
}

static bool wait_stopped(const struct state *s, int timeout_ms)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };

	for (int waited = 0; waited < timeout_ms; waited += 10) {
		if (!state_running(s))
			return true;
		nanosleep(&pause, NULL);
	}
	return !state_running(s);
}

static int command_delete(const struct options *o, const char *id,
			  bool force)
{
	struct state s;

	if (read_state(o, id, &s) < 0)
		return 1;
	if (state_running(&s)) {
		if (!force) {
			message("container \"%s\" is running: stop it with "
				"kill first, or use delete --force", id);
			return 1;
		}
		signal_container(&s, SIGKILL);
		kill(s.pid, SIGKILL);
		if (!wait_stopped(&s, DELETE_WAIT_MS)) {
			message("systemd-nspawn (pid %d) still runs %d ms "
				"after SIGKILL", (int)s.pid, DELETE_WAIT_MS);
			return 1;
		}
	}
	return remove_state(o, id) < 0 ? 1 : 0;
}

static int command_version(void)
{
	char command[PATH_MAX + 32], line[256] = "";
	FILE *p;

	snprintf(command, sizeof(command), "'%s' --version 2>/dev/null",
		 nspawn_path());
	p = popen(command, "r");
	if (p) {
		if (!fgets(line, sizeof(line), p))
			line[0] = '\0';
		pclose(p);
	}
	line[strcspn(line, "\n")] = '\0';
	/* systemd prints "systemd 252 (252.39-1~deb12u2)"; the suite keys
	 * expected failures on the first number of the first line. */
	if (strncmp(line, "systemd ", 8) != 0) {
		message("%s --version printed \"%s\", not \"systemd "
			"VERSION\": install systemd-container or set "
			"NSPAWN_OCI_NSPAWN", nspawn_path(), line);
		return 1;
	}
	printf("systemd-nspawn version %s\n", line + 8);
	printf("driver: " PROGRAM "\nspec: " NSPAWN_OCI_VERSION "\n");
	return 0;
}

struct run_args {
	char bundle[PATH_MAX];
	const char *console_socket;
	const char *id;
};

static volatile sig_atomic_t nspawn_pid;

static void forward_signal(int sig)
{
	if (nspawn_pid > 0)
		kill((pid_t)nspawn_pid, sig);
}

/* Sends the pty master to the console socket, with the pty's name as
 * the payload, as runc does. */
static int send_console(const char *socket_path, int master,
			const char *name)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)name,
			     .iov_len = strlen(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control,
			      .msg_controllen = sizeof(control) };
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	int fd, ret = 0;

	if (strlen(socket_path) >= sizeof(addr.sun_path)) {
		message("console socket path too long: %s", socket_path);
		return -ENAMETOOLONG;
	}
	strcpy(addr.sun_path, socket_path);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &master, sizeof(int));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    sendmsg(fd, &msg, 0) < 0) {
		ret = -errno;
		message("sending the console to %s failed: %s", socket_path,
			strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Opens a pty, hands its master to the console socket and returns the
 * slave, which becomes nspawn's stdio and controlling terminal. */
static int open_console(const char *socket_path)
{
	char name[PATH_MAX];
	int master, slave, ret;

	if (openpty(&master, &slave, name, NULL, NULL) < 0) {
		message("openpty failed: %s", strerror(errno));
		return -errno;
	}
	ret = send_console(socket_path, master, name);
	close(master);
	if (ret < 0) {
		close(slave);
		return ret;
	}
	return slave;
}

static void exec_nspawn(const char *bundle_copy, int console, bool debug)
{
	char option[PATH_MAX + 16];
	char *argv[] = { (char *)nspawn_path(), option, "--register=no",
			 "--keep-unit", "-q", NULL };

	snprintf(option, sizeof(option), "--oci-bundle=%s", bundle_copy);
	if (console >= 0) {
		setsid();
		ioctl(console, TIOCSCTTY, 0);
		dup2(console, STDIN_FILENO);
		dup2(console, STDOUT_FILENO);
		dup2(console, STDERR_FILENO);
		if (console > STDERR_FILENO)
			close(console);
	}
	if (debug)
		message("running %s %s --register=no --keep-unit -q", argv[0],
			option);
	execvp(argv[0], argv);
	message("exec %s failed: %s: install systemd-container or set "
		"NSPAWN_OCI_NSPAWN", argv[0], strerror(errno));
	_exit(127);
}

static int wait_exit_code(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return 127;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/* Starts nspawn on the bundle copy, records it in the state and returns
 * its exit code (the container's, or nspawn's own failure). */
static int start_nspawn(const struct options *o, const struct run_args *a,
			const char *dir, const char *bundle_copy)
{
	struct sigaction forward = { .sa_handler = forward_signal };
	struct state s = { 0 };
	int console = -1;
	pid_t pid;

	if (a->console_socket) {
		console = open_console(a->console_socket);
		if (console < 0)
			return 1;
	}
	pid = fork();
	if (pid < 0) {
		message("fork failed: %s", strerror(errno));
		return 1;
	}
	if (pid == 0)
		exec_nspawn(bundle_copy, console, o->debug);
	if (console >= 0)
		close(console);
	nspawn_pid = pid;
	sigaction(SIGTERM, &forward, NULL);
	sigaction(SIGINT, &forward, NULL);
	sigaction(SIGHUP, &forward, NULL);
	s.pid = pid;
	s.start_time = process_start_time(pid);
	snprintf(s.bundle, sizeof(s.bundle), "%s", a->bundle);
	if (write_state(dir, &s) < 0)
		kill(pid, SIGKILL);
	return wait_exit_code(pid);
}

static int make_state_dirs(const struct options *o, const char *id,
			   char *dir, size_t size, char *bundle_copy)
{
	int ret;

	if (mkdir(o->state_root, 0700) < 0 && errno != EEXIST) {
		message("mkdir %s failed: %s: set another state directory "
			"with --root", o->state_root, strerror(errno));
		return -errno;
	}
	ret = state_dir(o, id, dir, size);
	if (ret < 0)
		return ret;
	if (mkdir(dir, 0700) < 0) {
		ret = -errno;
		if (errno == EEXIST)
			message("container \"%s\" already exists: remove it "
				"with delete --force", id);
		else
			message("mkdir %s failed: %s", dir, strerror(errno));
		return ret;
	}
	ret = path_join(bundle_copy, PATH_MAX, dir, "bundle");
	if (ret == 0 && mkdir(bundle_copy, 0700) < 0) {
		ret = -errno;
		message("mkdir %s failed: %s", bundle_copy, strerror(errno));
	}
	return ret;
}

static int command_run(const struct options *o, const struct run_args *a)
{
	char dir[PATH_MAX], bundle_copy[PATH_MAX];
	int ret, code;

	ret = make_state_dirs(o, a->id, dir, sizeof(dir), bundle_copy);
	if (ret == -EEXIST)
		return 1;
	if (ret == 0)
		ret = write_bundle_copy(a->bundle, bundle_copy);
	if (ret == 0)
		ret = ensure_inaccessible_nodes();
	if (ret < 0) {
		remove_state(o, a->id);
		return 1;
	}
	code = start_nspawn(o, a, dir, bundle_copy);
	remove_state(o, a->id);
	return code;
}

/* ---- Command line ---- */

static int parse_run(int argc, char **argv, struct run_args *a)
{
	static const struct option longopts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bundle = ".";
	int opt;

	optind = 0; /* glibc: restart the scan at argv[1] */
	while ((opt = getopt_long(argc, argv, "+b:", longopts, NULL)) != -1) {
		if (opt == 'b')
			bundle = optarg;
		else if (opt == 'c')
			a->console_socket = optarg;
		else
			return -EINVAL;
	}
	if (optind != argc - 1) {
		message("run takes one container ID");
		return -EINVAL;
	}
	a->id = argv[optind];
	if (!realpath(bundle, a->bundle)) {
		message("bundle directory %s: %s", bundle, strerror(errno));
		return -ENOENT;
	}
	return check_id(a->id);
}

static int run_command(const struct options *o, int argc, char **argv)
{
	struct run_args a = { .console_socket = NULL };
	const char *command = argv[0];

	if (!strcmp(command, "run"))
		return parse_run(argc, argv, &a) < 0 ? 1 : command_run(o, &a);
	if (!strcmp(command, "create") || !strcmp(command, "start")) {
		message("%s is not supported: systemd-nspawn has no separate "
			"create and start; use run", command);
		return 1;
	}
	if (!strcmp(command, "delete")) {
		bool force = argc == 3 && (!strcmp(argv[1], "--force") ||
					   !strcmp(argv[1], "-f"));

		if (argc != 2 + force) {
			usage();
			return 2;
		}
		if (check_id(argv[argc - 1]) < 0)
			return 1;
		return command_delete(o, argv[argc - 1], force);
	}
	if (!strcmp(command, "state") && argc == 2) {
		if (check_id(argv[1]) < 0)
			return 1;
		return command_state(o, argv[1]);
	}
	if (!strcmp(command, "kill") && (argc == 2 || argc == 3)) {
		if (check_id(argv[1]) < 0)
			return 1;
		return command_kill(o, argv[1], argc == 3 ? argv[2] : NULL);
	}
	message("invalid command line for \"%s\"", command);
	usage();
	return 2;
}

/* Reads runc's global options.  --log sends this driver's messages and
 * nspawn's stderr to a file, and --log-format takes only "text". */
static int parse_global(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "debug", no_argument, NULL, 'd' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'f' },
		{ "version", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "+vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			o->state_root = optarg;
			break;
		case 'd':
			o->debug = true;
			break;
		case 'l':
			if (!freopen(optarg, "ae", stderr)) {
				fprintf(stdout, PROGRAM ": opening the log file "
					"%s failed: %s\n", optarg,
					strerror(errno));
				return -EINVAL;
			}
			break;
		case 'f':
			if (strcmp(optarg, "text") != 0) {
				message("invalid --log-format \"%s\": only "
					"text is supported", optarg);
				return -EINVAL;
			}
			break;
		case 'v':
			return 'v';
		case 'h':
			return 'h';
		default:
			return -EINVAL;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { .state_root = DEFAULT_STATE_ROOT };
	int ret = parse_global(argc, argv, &o);

	if (ret == 'v')
		return command_version();
	if (ret == 'h') {
		usage();
		return 0;
	}
	if (ret < 0 || optind >= argc) {
		usage();
		return 2;
	}
	return run_command(&o, argc - optind, argv + optind);
}