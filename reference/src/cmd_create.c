/* mntns create: builds the container and leaves its process waiting for
 * mntns start. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd_launch.h"

static int open_start_fifo(const char *root, const char *id,
			   struct mntns_error *err)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/exec.fifo", root, id);
	if (mkfifo(path, 0600) < 0)
		return fail_errno(err, errno, "create %s", path);
	/* Non-blocking, so the open does not wait for a writer. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fail_errno(err, errno, "open %s", path);
	return fd;
}

static void format_now(char *buffer, size_t size)
{
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	size_t length = strftime(buffer, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buffer + length, size - length, ".%09ldZ", now.tv_nsec);
}

static int record_state(const char *root,
			const struct launch_arguments *arguments,
			const struct container_config *config, pid_t pid,
			struct mntns_error *err)
{
	char created[64];
	struct container_state state = {
		.pid = pid,
		.start_time = process_start_time(pid),
		.bundle = config->bundle,
		.created = created,
		.annotations = config->annotations,
	};

	format_now(created, sizeof(created));
	snprintf(state.id, sizeof(state.id), "%s", arguments->id);
	if (state.start_time == 0)
		return fail(err, ESRCH, "the container process exited while "
			    "it was being created");
	int ret = state_write(root, &state, err);
	if (ret == 0 && arguments->pid_file)
		ret = launch_write_pid_file(arguments->pid_file, pid, err);
	return ret;
}

static int create(const struct global_options *global,
		  const struct launch_arguments *arguments,
		  struct container_config *config, struct mntns_error *err)
{
	struct container_process process;

	int ret = config_load(arguments->bundle, config, err);
	if (ret < 0)
		return ret;
	ret = state_create_dir(global->root, arguments->id, err);
	if (ret < 0)
		return ret;

	cleanup_close int fifo = open_start_fifo(global->root, arguments->id,
						 err);
	if (fifo < 0) {
		state_remove_dir(global->root, arguments->id);
		return fifo;
	}
	struct launch_options options = {
		.mode = LAUNCH_CREATE,
		.id = arguments->id,
		.console_socket = arguments->console_socket,
		.no_pivot = arguments->no_pivot,
		.start_fifo = fifo,
	};
	ret = container_launch(config, &options, &process, err);
	if (ret == 0) {
		ret = record_state(global->root, arguments, config,
				   process.pid, err);
		if (ret < 0)
			kill(process.pid, SIGKILL);
	}
	/* A failed create leaves no state behind. */
	if (ret < 0)
		state_remove_dir(global->root, arguments->id);
	return ret;
}

int cmd_create(const struct global_options *global, int argc, char **argv)
{
	struct launch_arguments arguments;
	struct container_config config = { 0 };
	struct mntns_error err;
	bool exit_now;

	int status = launch_parse("create", argc, argv, &arguments, &exit_now);
	if (exit_now)
		return status;
	if (state_validate_id(arguments.id, &err) < 0) {
		log_error("%s", err.message);
		return 2;
	}

	int ret = create(global, &arguments, &config, &err);
	config_free(&config);
	if (ret < 0) {
		log_error("create %s: %s", arguments.id, err.message);
		return 1;
	}
	return 0;
}
