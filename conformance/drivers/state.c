/*
 * The driver's state: STATE_ROOT/ID/state.json, which names the
 * systemd-nspawn process of a container, and the lookup and signalling of
 * the container's processes.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "nspawn-oci.h"

int state_dir(const struct options *o, const char *id, char *out,
		     size_t size)
{
	return path_join(out, size, o->state_root, id);
}

/* Returns field 22 of /proc/PID/stat (start time), or 0 when the process
 * does not exist. */
unsigned long long process_start_time(pid_t pid)
{
	unsigned long long start = 0;
	char path[64], buf[1024], *field;
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	/* The command name in brackets may contain spaces, so the fields are
	 * counted from the last ')', after which field 3 starts. */
	field = strrchr(buf, ')');
	for (int i = 2; field && i < 22; i++)
		field = strchr(field + 1, ' ');
	if (field)
		start = strtoull(field + 1, NULL, 10);
	return start;
}

bool state_running(const struct state *s)
{
	return s->pid > 0 && process_start_time(s->pid) == s->start_time;
}

int write_state(const char *dir, const struct state *s)
{
	char path[PATH_MAX], tmp[PATH_MAX];
	json_t *state;
	int ret;

	state = json_pack("{s:i, s:I, s:s}", "pid", (int)s->pid, "start_time",
			  (json_int_t)s->start_time, "bundle", s->bundle);
	ret = path_join(path, sizeof(path), dir, "state.json");
	if (ret == 0)
		ret = path_join(tmp, sizeof(tmp), dir, "state.json.tmp");
	if (ret == 0 && (!state || json_dump_file(state, tmp, 0) < 0 ||
			 rename(tmp, path) < 0)) {
		message("writing %s failed: %s", path, strerror(errno));
		ret = -EIO;
	}
	json_decref(state);
	return ret;
}

/* Reads STATE_ROOT/ID/state.json.  Returns -ENOENT, after printing a
 * message, when there is no such container. */
int read_state(const struct options *o, const char *id,
		      struct state *s)
{
	char dir[PATH_MAX], path[PATH_MAX];
	json_error_t error;
	json_t *state;
	int pid = 0, ret;
	json_int_t start = 0;
	const char *bundle = "";

	memset(s, 0, sizeof(*s));
	ret = state_dir(o, id, dir, sizeof(dir));
	if (ret == 0)
		ret = path_join(path, sizeof(path), dir, "state.json");
	if (ret < 0)
		return ret;
	if (access(dir, F_OK) < 0) {
		message("container \"%s\" not found in %s", id, o->state_root);
		return -ENOENT;
	}
	state = json_load_file(path, 0, &error);
	/* A run that died before writing the state leaves an empty
	 * directory, which counts as a stopped container that delete
	 * removes. */
	if (!state)
		return 0;
	json_unpack(state, "{s?:i, s?:I, s?:s}", "pid", &pid, "start_time",
		    &start, "bundle", &bundle);
	s->pid = pid;
	s->start_time = (unsigned long long)start;
	snprintf(s->bundle, sizeof(s->bundle), "%s", bundle);
	json_decref(state);
	return 0;
}

/* Removes what "run" wrote under STATE_ROOT/ID, and nothing else. */
int remove_state(const struct options *o, const char *id)
{
	static const char *const files[] = {
		"bundle/config.json", "state.json", "state.json.tmp",
	};
	char dir[PATH_MAX], path[PATH_MAX];
	int ret = state_dir(o, id, dir, sizeof(dir));

	for (size_t i = 0; ret == 0 && i < sizeof(files) / sizeof(*files);
	     i++) {
		ret = path_join(path, sizeof(path), dir, files[i]);
		if (ret == 0 && unlink(path) < 0 && errno != ENOENT)
			ret = -errno;
	}
	if (ret == 0)
		ret = path_join(path, sizeof(path), dir, "bundle");
	if (ret == 0 && rmdir(path) < 0 && errno != ENOENT)
		ret = -errno;
	if (ret == 0 && rmdir(dir) < 0 && errno != ENOENT)
		ret = -errno;
	if (ret < 0)
		message("removing %s failed: %s", dir, strerror(-ret));
	return ret;
}

/* ---- The container's processes ---- */

static ino_t pid_namespace_of(pid_t pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* Finds the container's init: the first descendant of nspawn (breadth
 * first, through /proc/PID/task/TID/children) in another pid namespace.
 * Returns 0 when there is none yet. */
static pid_t find_container_init(pid_t nspawn)
{
	pid_t queue[256];
	size_t head = 0, tail = 0;
	ino_t own_ns = pid_namespace_of(nspawn);

	queue[tail++] = nspawn;
	while (head < tail) {
		pid_t pid = queue[head++];
		char path[64];
		FILE *f;
		int child;

		if (pid != nspawn && pid_namespace_of(pid) != own_ns &&
		    pid_namespace_of(pid) != 0)
			return pid;
		/* NOTE: only the main thread's children are listed, which is
		 * where nspawn forks its children. */
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children",
			 (int)pid, (int)pid);
		f = fopen(path, "re");
		while (f && fscanf(f, "%d", &child) == 1 &&
		       tail < sizeof(queue) / sizeof(*queue))
			queue[tail++] = child;
		if (f)
			fclose(f);
	}
	return 0;
}

/* Parses "KILL", "SIGKILL" or "9". */
int parse_signal(const char *text)
{
	const char *name = text;
	char *end;
	long number;

	number = strtol(text, &end, 10);
	if (end != text && !*end && number > 0 && number < NSIG)
		return (int)number;
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *abbrev = sigabbrev_np(sig);

		if (abbrev && !strcasecmp(abbrev, name))
			return sig;
	}
	message("invalid signal \"%s\": give a name such as KILL or TERM, "
		"or a number", text);
	return -EINVAL;
}

/* Sends sig to the container's init, as runc's kill does, or to nspawn
 * while the container's init does not exist yet. */
int signal_container(const struct state *s, int sig)
{
	pid_t init = find_container_init(s->pid);
	pid_t target = init > 0 ? init : s->pid;

	if (kill(target, sig) < 0 && errno != ESRCH) {
		message("kill of pid %d failed: %s", (int)target,
			strerror(errno));
		return -errno;
	}
	return 0;
}

