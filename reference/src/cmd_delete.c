/* mntns delete: removes a container's state, killing a created one. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>

#include "cli.h"

/* How long delete waits for a killed process to exit. */
#define KILL_TIMEOUT_MS 10000

static int kill_and_wait(const struct container_state *state,
			 struct mntns_error *err)
{
	int pidfd = state_open_pidfd(state, err);
	if (pidfd == -ESRCH)
		return 0;
	if (pidfd < 0)
		return pidfd;

	struct pollfd poll_fd = { .fd = pidfd, .events = POLLIN };
	int ret = pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
	if (ret == 0)
		ret = poll(&poll_fd, 1, KILL_TIMEOUT_MS);
	int saved = errno;
	close(pidfd);
	if (ret < 0)
		return fail_errno(err, saved, "kill container %s", state->id);
	if (ret == 0)
		return fail(err, ETIMEDOUT, "container %s: its process did not "
			    "exit within %d s of SIGKILL", state->id,
			    KILL_TIMEOUT_MS / 1000);
	return 0;
}

static int delete(const char *root, const char *id, bool force,
		  struct mntns_error *err)
{
	struct container_state state;

	int ret = state_read(root, id, &state, err);
	if (ret < 0)
		return ret;
	if (state.status == STATUS_RUNNING && !force) {
		state_free(&state);
		return fail(err, EBUSY, "container %s is running: stop it "
			    "with mntns kill, or use delete --force", id);
	}
	if (state.status != STATUS_STOPPED)
		ret = kill_and_wait(&state, err);
	state_free(&state);
	if (ret == 0)
		state_remove_dir(root, id);
	return ret;
}

int cmd_delete(const struct global_options *global, int argc, char **argv)
{
	static const struct option options[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct mntns_error err;
	bool force = false;
	int option;

	while ((option = getopt_long(argc, argv, "f", options, NULL)) != -1) {
		if (option != 'f') {
			fprintf(stderr, "usage: mntns delete [--force] ID\n");
			return 2;
		}
		force = true;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: mntns delete [--force] ID\n");
		return 2;
	}
	const char *id = argv[optind];
	if (delete(global->root, id, force, &err) < 0) {
		log_error("delete %s: %s", id, err.message);
		return 1;
	}
	return 0;
}
