/*
 * State of created containers: one directory per container under --root,
 * holding state.json (written to a temporary file and renamed, so readers
 * never see half of it) and exec.fifo, which the container process reads
 * to learn that start was called.  The status is not stored: it comes from
 * the process (alive or not, same start time) and the fifo (present until
 * start).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>

#include "cli.h"

int state_validate_id(const char *id, struct mntns_error *err)
{
	size_t length = strlen(id);

	if (length == 0 || length >= 256)
		return fail(err, EINVAL, "container id \"%s\": use 1 to 255 "
			    "characters", id);
	/* The state directory is --root/ID. */
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return fail(err, EINVAL, "container id \"%s\" is invalid: "
			    "\".\" and \"..\" name directories (--root "
			    "itself and its parent), not a container: choose "
			    "another id", id);
	if (strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		       "0123456789_+-.") != length)
		return fail(err, EINVAL, "container id \"%s\" is invalid: use "
			    "letters, digits and _ + - .", id);
	return 0;
}

int state_dir_path(const char *root, const char *id, char *buffer,
		   size_t size)
{
	int length = snprintf(buffer, size, "%s/%s", root, id);
	return length < 0 || (size_t)length >= size ? -ENAMETOOLONG : 0;
}

int state_create_dir(const char *root, const char *id,
		     struct mntns_error *err)
{
	char path[PATH_MAX];

	if (mkdir(root, 0700) < 0 && errno != EEXIST)
		return fail_errno(err, errno, "create state directory %s",
				  root);
	if (state_dir_path(root, id, path, sizeof(path)) < 0)
		return fail(err, ENAMETOOLONG, "state path of %s is too long",
			    id);
	if (mkdir(path, 0700) == 0)
		return 0;
	if (errno == EEXIST)
		return fail(err, EEXIST, "container %s already exists: "
			    "delete it or choose another id", id);
	return fail_errno(err, errno, "create %s", path);
}

void state_remove_dir(const char *root, const char *id)
{
	static const char *const files[] = {
		"state.json", "state.json.tmp", "exec.fifo",
	};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s/%s", root, id, files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/%s", root, id);
	rmdir(path);
}

static int write_all_fd(int fd, const char *text)
{
	size_t size = strlen(text);

	while (size > 0) {
		ssize_t written = write(fd, text, size);
		if (written < 0 && errno == EINTR)
			continue;
		if (written < 0)
			return -errno;
		text += written;
		size -= written;
	}
	return 0;
}

int state_write(const char *root, const struct container_state *state,
		struct mntns_error *err)
{
	char tmp[PATH_MAX], final[PATH_MAX];
	json_t *json = json_pack("{s:s, s:s, s:i, s:I, s:s, s:s, s:o}",
				 "ociVersion", OCI_VERSION, "id", state->id,
				 "pid", (int)state->pid, "startTime",
				 (json_int_t)state->start_time, "bundle",
				 state->bundle, "created", state->created,
				 "annotations",
				 state->annotations ?
					 json_incref(state->annotations) :
					 json_object());
	cleanup_free char *text = json ? json_dumps(json, JSON_INDENT(2)) :
					 NULL;
	json_decref(json);
	if (!text)
		return fail(err, ENOMEM, "out of memory");

	snprintf(tmp, sizeof(tmp), "%s/%s/state.json.tmp", root, state->id);
	snprintf(final, sizeof(final), "%s/%s/state.json", root, state->id);
	cleanup_close int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC |
						 O_CLOEXEC, 0600);
	if (fd < 0)
		return fail_errno(err, errno, "create %s", tmp);
	int ret = write_all_fd(fd, text);
	if (ret == 0 && fsync(fd) < 0)
		ret = -errno;
	if (ret == 0 && rename(tmp, final) < 0)
		ret = -errno;
	if (ret < 0)
		return fail_errno(err, -ret, "write %s", final);
	return 0;
}

/* Returns field 22 of /proc/PID/stat, or 0 when the process is gone or a
 * zombie. */
unsigned long long process_start_time(pid_t pid)
{
	char path[64], buffer[1024];
	unsigned long long start = 0;
	char state;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t size = read(fd, buffer, sizeof(buffer) - 1);
	if (size <= 0)
		return 0;
	buffer[size] = '\0';

	/* The command name may contain spaces and parentheses. */
	char *after_name = strrchr(buffer, ')');
	if (!after_name || sscanf(after_name + 2, "%c %*d %*d %*d %*d %*d %*u "
				  "%*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
				  "%*d %*d %llu", &state, &start) != 2)
		return 0;
	return state == 'Z' || state == 'X' ? 0 : start;
}

static enum container_status compute_status(const char *root,
					    const struct container_state *state)
{
	char fifo[PATH_MAX];

	if (state->pid <= 0 ||
	    process_start_time(state->pid) != state->start_time)
		return STATUS_STOPPED;
	snprintf(fifo, sizeof(fifo), "%s/%s/exec.fifo", root, state->id);
	return access(fifo, F_OK) == 0 ? STATUS_CREATED : STATUS_RUNNING;
}

static int parse_state(json_t *json, const char *file,
		       struct container_state *state, struct mntns_error *err)
{
	const char *bundle = NULL, *created = NULL;
	json_int_t pid = 0, start_time = 0;
	json_t *annotations = NULL;
	json_error_t json_err;

	if (json_unpack_ex(json, &json_err, 0, "{s:I, s:I, s:s, s:s, s?o}",
			   "pid", &pid, "startTime", &start_time, "bundle",
			   &bundle, "created", &created, "annotations",
			   &annotations) < 0)
		return fail(err, EINVAL, "%s: invalid state: %s", file,
			    json_err.text);
	state->pid = pid;
	state->start_time = start_time;
	state->bundle = strdup(bundle);
	state->created = strdup(created);
	state->annotations = json_incref(annotations ? annotations :
						       json_object());
	if (!state->bundle || !state->created)
		return fail(err, ENOMEM, "out of memory");
	return 0;
}

int state_read(const char *root, const char *id,
	       struct container_state *state, struct mntns_error *err)
{
	char file[PATH_MAX];
	json_error_t json_err;

	memset(state, 0, sizeof(*state));
	int ret = state_validate_id(id, err);
	if (ret < 0)
		return ret;
	snprintf(state->id, sizeof(state->id), "%s", id);
	snprintf(file, sizeof(file), "%s/%s/state.json", root, id);

	cleanup_json json_t *json = json_load_file(file, 0, &json_err);
	if (!json && access(file, F_OK) < 0 && errno == ENOENT)
		return fail(err, ENOENT, "container %s does not exist (no "
			    "state in %s)", id, root);
	if (!json)
		return fail(err, EINVAL, "%s: %s", file, json_err.text);
	ret = parse_state(json, file, state, err);
	if (ret < 0)
		return ret;
	state->status = compute_status(root, state);
	return 0;
}

void state_free(struct container_state *state)
{
	free(state->bundle);
	free(state->created);
	json_decref(state->annotations);
	memset(state, 0, sizeof(*state));
}

const char *state_status_name(enum container_status status)
{
	static const char *const names[] = {
		[STATUS_CREATED] = "created",
		[STATUS_RUNNING] = "running",
		[STATUS_STOPPED] = "stopped",
	};
	return names[status];
}

/* The state JSON of the runtime specification; pid is only present while
 * the process exists. */
json_t *state_to_json(const struct container_state *state)
{
	json_t *json = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O}",
				 "ociVersion", OCI_VERSION, "id", state->id,
				 "status", state_status_name(state->status),
				 "bundle", state->bundle, "created",
				 state->created, "annotations",
				 state->annotations);
	if (json && state->status != STATUS_STOPPED)
		json_object_set_new(json, "pid", json_integer(state->pid));
	return json;
}

/* Opens a pidfd of the container process and checks, after opening, that
 * it is still the same process, so a reused pid is never signalled. */
int state_open_pidfd(const struct container_state *state,
		     struct mntns_error *err)
{
	int fd = pidfd_open(state->pid, 0);
	if (fd < 0 && errno == ESRCH)
		return fail(err, ESRCH, "container %s is not running",
			    state->id);
	if (fd < 0)
		return fail_errno(err, errno, "open pidfd of %d", state->pid);
	if (process_start_time(state->pid) != state->start_time) {
		close(fd);
		return fail(err, ESRCH, "container %s is not running",
			    state->id);
	}
	return fd;
}
