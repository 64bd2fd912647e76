/* mntns start: lets a created container's process exec. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>

#include "cli.h"

static int start(const char *root, const char *id, struct mntns_error *err)
{
	struct container_state state;
	char fifo[PATH_MAX];

	int ret = state_read(root, id, &state, err);
	if (ret < 0)
		return ret;
	enum container_status status = state.status;
	state_free(&state);
	if (status != STATUS_CREATED)
		return fail(err, EINVAL, "container %s is %s, not created: "
			    "only a created container can be started", id,
			    state_status_name(status));

	snprintf(fifo, sizeof(fifo), "%s/%s/exec.fifo", root, id);
	cleanup_close int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENXIO)
		return fail(err, ESRCH, "container %s: its process is not "
			    "waiting for start any more", id);
	if (fd < 0)
		return fail_errno(err, errno, "open %s", fifo);
	if (write(fd, "s", 1) != 1)
		return fail_errno(err, errno, "write %s", fifo);
	/* Without the fifo the status reads running. */
	unlink(fifo);
	return 0;
}

int cmd_start(const struct global_options *global, int argc, char **argv)
{
	struct mntns_error err;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mntns start ID\n");
		return 2;
	}
	if (start(global->root, argv[1], &err) < 0) {
		log_error("start %s: %s", argv[1], err.message);
		return 1;
	}
	return 0;
}
