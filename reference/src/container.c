/*
 * Building the container.  The launcher starts the container process with
 * one clone(2) that creates every requested namespace, writes its id
 * mappings, and then talks to it over a SOCK_SEQPACKET pair:
 *
 *   launcher -> container  'M'         the id mappings are written
 *   container -> launcher  'T' + fd    the pty master (terminal: true)
 *   container -> launcher  'R'         built, waiting for start (create)
 *   container -> launcher  'E' + text  failed, with the message
 *
 * The socket is close-on-exec, so end of file after the messages means
 * the exec succeeded.  The container process makes every mount itself,
 * inside its new mount namespace, so a failure at any step leaves nothing
 * on the host.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "cli.h"

/* The devices the runtime specification requires, with runc's and crun's
 * modes and owners. */
static const struct mntns_device oci_default_devices[] = {
	{ 'c', "/dev/null", 1, 3, 0666, 0, 0 },
	{ 'c', "/dev/zero", 1, 5, 0666, 0, 0 },
	{ 'c', "/dev/full", 1, 7, 0666, 0, 0 },
	{ 'c', "/dev/random", 1, 8, 0666, 0, 0 },
	{ 'c', "/dev/urandom", 1, 9, 0666, 0, 0 },
	{ 'c', "/dev/tty", 5, 0, 0666, 0, 0 },
};

/* Signals the launcher passes on to the container process. */
static const int forwarded_signals[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
};

struct child_context {
	struct container_config *config;
	const struct launch_options *options;
	int sync_fd;
	const char *console_path; /* MNTNS_CONSOLE_BIND: the launcher's pty */
};

static bool has_device(const struct mntns_device *devices, size_t count,
		       const char *path)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(devices[i].path, path) == 0)
			return true;
	return false;
}

/* Merges the profile's default devices with linux.devices, where an entry
 * of the config replaces the default of the same path. */
static struct mntns_device *merge_devices(const struct container_config *config,
					  size_t *count_out)
{
	bool old = config->profile == PROFILE_LIBCONTAINER_2015;
	const struct mntns_device *defaults = old ? mntns_default_devices :
						    oci_default_devices;
	size_t defaults_count = old ? mntns_default_devices_count :
				      sizeof(oci_default_devices) /
					      sizeof(oci_default_devices[0]);
	struct mntns_device *devices =
		calloc(defaults_count + config->devices_count + 1,
		       sizeof(*devices));
	size_t count = 0;

	if (!devices)
		return NULL;
	for (size_t i = 0; i < defaults_count; i++)
		if (!has_device(config->devices, config->devices_count,
				defaults[i].path))
			devices[count++] = defaults[i];
	for (size_t i = 0; i < config->devices_count; i++)
		devices[count++] = config->devices[i];
	*count_out = count;
	return devices;
}

void container_fill_spec(const struct container_config *config,
			 bool no_pivot, struct mntns_spec *spec,
			 struct mntns_device **devices_out,
			 size_t *devices_count_out)
{
	bool old = config->profile == PROFILE_LIBCONTAINER_2015;

	mntns_spec_init(spec, config->rootfs);
	spec->root_switch = no_pivot ? MNTNS_ROOT_MOVE : MNTNS_ROOT_PIVOT;
	spec->readonly_root = config->readonly_root;
	spec->rootfs_propagation = config->rootfs_propagation;
	spec->mounts = config->mounts;
	spec->mounts_count = config->mounts_count;
	*devices_out = merge_devices(config, devices_count_out);
	spec->devices = *devices_out;
	spec->devices_count = *devices_out ? *devices_count_out : 0;
	spec->masked_paths = config->masked_paths;
	spec->masked_paths_count = config->masked_paths_count;
	spec->readonly_paths = config->readonly_paths;
	spec->readonly_paths_count = config->readonly_paths_count;
	spec->mount_label = config->mount_label;
	if (config->process.terminal)
		spec->console_mode = old ? MNTNS_CONSOLE_BIND :
					   MNTNS_CONSOLE_DEVPTS;
	/* The library runs inside the container's user namespace, where
	 * its root is uid and gid 0. */
	spec->root_uid = 0;
	spec->root_gid = 0;
	spec->dev_symlinks = true;
	spec->dev_kcore = old;
	spec->ptmx_symlink = true;
	spec->reopen_devnull = true;
	spec->final_umask = 0022;
	spec->console_master = -1;
}

static int send_byte(int fd, char byte)
{
	while (send(fd, &byte, 1, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

static int wait_for_byte(int fd, char expected, struct mntns_error *err)
{
	char byte = 0;
	ssize_t size;

	do
		size = recv(fd, &byte, 1, 0);
	while (size < 0 && errno == EINTR);
	if (size == 1 && byte == expected)
		return 0;
	return fail(err, ECANCELED, "the launcher stopped before the "
		    "container was built");
}

/* Makes the pty the process's stdio, with the master passed to the
 * launcher for the devpts console, or kept by it for the bind console. */
static int child_console(struct child_context *ctx, struct mntns_spec *spec,
			 int bind_slave, struct mntns_error *err)
{
	const struct process_config *process = &ctx->config->process;
	int slave = bind_slave;

	if (spec->console_mode == MNTNS_CONSOLE_DEVPTS) {
		slave = console_open_peer(spec->console_master, err);
		if (slave < 0)
			return slave;
		console_set_size(spec->console_master, process->console_rows,
				 process->console_columns);
		int ret = console_send_fd(ctx->sync_fd, spec->console_master,
					  "T", 1, err);
		close(spec->console_master);
		if (ret < 0)
			return ret;
	}
	int ret = console_make_stdio(slave, err);
	close(slave);
	return ret;
}

static int wait_for_start(int fifo, struct mntns_error *err)
{
	struct pollfd poll_fd = { .fd = fifo, .events = POLLIN };
	char byte;

	for (;;) {
		if (poll(&poll_fd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return fail_errno(err, errno, "wait for start");
		}
		ssize_t size = read(fifo, &byte, 1);
		if (size == 1)
			break;
		if (size == 0)
			return fail(err, ECANCELED, "start closed the start fifo "
				    "without a byte");
		if (errno != EINTR && errno != EAGAIN)
			return fail_errno(err, errno, "read the start fifo");
	}
	close(fifo);
	return 0;
}

static int child_setup(struct child_context *ctx, struct mntns_spec *spec,
		       struct mntns_error *err)
{
	struct container_config *config = ctx->config;
	int bind_slave = -1;

	int ret = namespaces_join(config, err);
	if (ret == 0)
		ret = process_prepare_early(config, err);
	if (ret < 0)
		return ret;

	/* Nothing mounted from here on may propagate to the host, even
	 * when the host's mounts are shared.  Host mounts still propagate
	 * in, as with runc's default rslave. */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return fail_errno(err, errno, "make / a recursive slave");

	if (ctx->console_path) {
		bind_slave = open(ctx->console_path,
				  O_RDWR | O_NOCTTY | O_CLOEXEC);
		if (bind_slave < 0)
			return fail_errno(err, errno, "open pty %s",
					  ctx->console_path);
		spec->console_path = ctx->console_path;
	}
	ret = mntns_setup(spec, err);
	if (ret < 0)
		mount_error_explain(config, err);
	if (ret == 0 && config->process.terminal)
		ret = child_console(ctx, spec, bind_slave, err);
	else if (bind_slave >= 0)
		close(bind_slave);
	return ret;
}

/* Reads /proc/self/setgroups, which the launcher sets to "deny" when it
 * maps an unprivileged user's own gid, before the container's /proc
 * replaces the host's. */
static bool setgroups_allowed(void)
{
	char text[16] = "";

	int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	ssize_t size = read(fd, text, sizeof(text) - 1);
	close(fd);
	return size <= 0 || strncmp(text, "deny", 4) != 0;
}

static int child_build(struct child_context *ctx, struct mntns_error *err)
{
	struct container_config *config = ctx->config;
	struct mntns_device *devices = NULL;
	size_t devices_count = 0;
	struct mntns_spec spec;

	if (config->clone_flags & CLONE_NEWUSER) {
		int ret = wait_for_byte(ctx->sync_fd, 'M', err);
		if (ret < 0)
			return ret;
	}
	bool allow_setgroups = setgroups_allowed();
	container_fill_spec(config, ctx->options->no_pivot, &spec, &devices,
			    &devices_count);
	if (!devices)
		return fail(err, ENOMEM, "out of memory");

	int ret = child_setup(ctx, &spec, err);
	free(devices);
	if (ret < 0)
		return ret;

	ret = process_prepare_identity(config, allow_setgroups, err);
	if (ret < 0)
		return ret;

	if (ctx->options->mode == LAUNCH_CREATE) {
		ret = send_byte(ctx->sync_fd, 'R');
		if (ret < 0)
			return fail_errno(err, -ret, "report the container "
					  "as built");
		ret = wait_for_start(ctx->options->start_fifo, err);
		if (ret < 0)
			return ret;
	}
	return process_exec(config, err);
}

static void report_child_error(int sync_fd, const struct mntns_error *err)
{
	char message[sizeof(err->message) + 1];
	int length = snprintf(message, sizeof(message), "E%s", err->message);

	if (send(sync_fd, message, length, MSG_NOSIGNAL) < 0)
		/* The launcher is gone (after create): stderr is all that
		 * is left. */
		fprintf(stderr, "mntns: %s\n", err->message);
}

static __attribute__((noreturn)) void child_main(struct child_context *ctx)
{
	struct mntns_error err = { 0 };
	sigset_t all;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	int ret = child_build(ctx, &err);

	report_child_error(ctx->sync_fd, &err);
	/* The shell's statuses: 127 for a command not found, 126 for one
	 * that cannot be executed. */
	if (ret == -ENOENT)
		_exit(127);
	if (ret == -EACCES)
		_exit(126);
	_exit(1);
}

/* Opens a pty of the launcher for the libcontainer-2015 bind console. */
static int open_launcher_pty(char *path, size_t size, struct mntns_error *err)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (master < 0)
		return fail_errno(err, errno, "open /dev/ptmx");
	if (grantpt(master) < 0 || unlockpt(master) < 0 ||
	    ptsname_r(master, path, size) != 0) {
		int saved = errno;
		close(master);
		return fail_errno(err, saved, "prepare the pty");
	}
	return master;
}

static void block_forwarded_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(forwarded_signals) /
				       sizeof(forwarded_signals[0]); i++)
		sigaddset(&set, forwarded_signals[i]);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, old);
}

static pid_t clone_child(int flags)
{
	/* A fork-like clone: the child continues on a copy of this stack. */
	return syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL,
		       NULL, 0UL);
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Reads the container process's messages until it is built ('R') or has
 * exec'd (end of file). */
static int read_messages(int sync_fd, const struct launch_options *options,
			 int *master, struct mntns_error *err)
{
	char message[sizeof(err->message) + 1];
	int fd;

	for (;;) {
		int size = console_receive_fd(sync_fd, message,
					      sizeof(message) - 1, &fd, err);
		if (size < 0)
			return size;
		if (size == 0 && options->mode == LAUNCH_CREATE)
			return fail(err, ECHILD, "the container process exited "
				    "before it was built");
		if (size == 0 || message[0] == 'R')
			return 0;
		if (message[0] == 'T' && fd >= 0) {
			*master = fd;
			continue;
		}
		if (fd >= 0)
			close(fd);
		message[size] = '\0';
		return fail(err, EPROTO, "%s",
			    message[0] == 'E' ? message + 1 : "unexpected "
			    "message from the container process");
	}
}

static int hand_over_console(int master, const char *socket_path,
			     int socket_fd, struct mntns_error *err)
{
	char name[64];
	int number;

	if (socket_fd < 0)
		return 0;
	/* runc sends the pty's name as the payload; receivers must accept
	 * any payload. */
	if (ioctl(master, TIOCGPTN, &number) == 0)
		snprintf(name, sizeof(name), "/dev/pts/%d", number);
	else
		snprintf(name, sizeof(name), "console");
	int ret = console_send_fd(socket_fd, master, name, strlen(name), err);
	if (ret < 0)
		return fail(err, -ret, "--console-socket %s: %s", socket_path,
			    err->message);
	return 0;
}

static int launch_parent(struct container_config *config,
			 const struct launch_options *options, pid_t pid,
			 int sync_fd, int *master, struct mntns_error *err)
{
	if (config->clone_flags & CLONE_NEWUSER) {
		int ret = namespaces_write_mappings(pid, config, err);
		if (ret < 0)
			return ret;
		ret = send_byte(sync_fd, 'M');
		if (ret < 0)
			return fail_errno(err, -ret, "signal the container "
					  "process");
	}
	return read_messages(sync_fd, options, master, err);
}

static int check_console_options(const struct container_config *config,
				 const struct launch_options *options,
				 struct mntns_error *err)
{
	if (options->console_socket && !config->process.terminal)
		return fail(err, EINVAL, "--console-socket is set but "
			    "process.terminal is false: set it to true, or "
			    "drop the option");
	if (options->mode == LAUNCH_CREATE && config->process.terminal &&
	    !options->console_socket)
		return fail(err, EINVAL, "process.terminal is true, so create "
			    "needs --console-socket to hand over the pty");
	return 0;
}

int container_launch(struct container_config *config,
		     const struct launch_options *options,
		     struct container_process *process,
		     struct mntns_error *err)
{
	cleanup_close int socket_fd = -1;
	cleanup_close int bind_master = -1;
	char pty_path[64];
	int sync[2];
	int master = -1;

	int ret = check_console_options(config, options, err);
	if (ret < 0)
		return ret;
	if (options->console_socket) {
		socket_fd = console_connect(options->console_socket, err);
		if (socket_fd < 0)
			return socket_fd;
	}
	struct child_context ctx = { .config = config, .options = options };
	if (config->process.terminal &&
	    config->profile == PROFILE_LIBCONTAINER_2015) {
		bind_master = open_launcher_pty(pty_path, sizeof(pty_path),
						err);
		if (bind_master < 0)
			return bind_master;
		ctx.console_path = pty_path;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sync) < 0)
		return fail_errno(err, errno, "create a socket pair");

	block_forwarded_signals(NULL);
	pid_t pid = clone_child(config->clone_flags);
	if (pid < 0) {
		ret = fail_errno(err, errno, "clone the container process");
		close(sync[0]);
		close(sync[1]);
		return ret;
	}
	if (pid == 0) {
		close(sync[0]);
		ctx.sync_fd = sync[1];
		child_main(&ctx);
	}
	close(sync[1]);

	ret = launch_parent(config, options, pid, sync[0], &master, err);
	close(sync[0]);
	if (ret == 0 && bind_master >= 0) {
		master = bind_master;
		bind_master = -1;
	}
	if (ret == 0 && master >= 0 && socket_fd >= 0) {
		ret = hand_over_console(master, options->console_socket,
					socket_fd, err);
		close(master);
		master = -1;
	}
	if (ret < 0) {
		if (master >= 0)
			close(master);
		reap(pid);
		return ret;
	}
	process->pid = pid;
	process->console_master = master;
	return 0;
}

static volatile pid_t signal_target;

static void forward_signal(int signal_number)
{
	if (signal_target > 0)
		kill(signal_target, signal_number);
}

static void install_forwarding(pid_t pid)
{
	struct sigaction action = { .sa_handler = forward_signal };
	sigset_t set;

	signal_target = pid;
	sigemptyset(&action.sa_mask);
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(forwarded_signals) /
				       sizeof(forwarded_signals[0]); i++) {
		sigaction(forwarded_signals[i], &action, NULL);
		sigaddset(&set, forwarded_signals[i]);
	}
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int container_wait(pid_t pid, int console_master)
{
	int status;

	install_forwarding(pid);
	if (console_master >= 0) {
		console_proxy(console_master);
		close(console_master);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 1;
	signal_target = 0;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
