/*
 * Namespaces of the container process.  The new ones are created by the
 * clone(2) that starts it (container.c).  This file joins the ones
 * config.json names by path, and the launcher writes the id mappings of
 * its user namespace.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/wait.h>

#include "cli.h"

int namespaces_join(const struct container_config *config,
		    struct mntns_error *err)
{
	for (size_t i = 0; i < config->joins_count; i++) {
		const struct namespace_join *join = &config->joins[i];
		cleanup_close int fd = open(join->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return fail_errno(err, errno, "open namespace %s",
					  join->path);
		if (setns(fd, join->clone_flag) < 0)
			return fail_errno(err, errno, "join namespace %s",
					  join->path);
	}
	return 0;
}

static void format_mappings(const struct id_mapping *mappings, size_t count,
			    char *buffer, size_t size)
{
	size_t used = 0;

	buffer[0] = '\0';
	for (size_t i = 0; i < count && used < size; i++)
		used += snprintf(buffer + used, size - used, "%u %u %u\n",
				 mappings[i].container_id, mappings[i].host_id,
				 mappings[i].size);
}

static int write_file(pid_t pid, const char *name, const char *text,
		      struct mntns_error *err)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno(err, errno, "open %s", path);

	ssize_t written = write(fd, text, strlen(text));
	if (written < 0)
		return fail_errno(err, errno, "write \"%.*s\" to %s",
				  (int)strcspn(text, "\n"), text, path);
	return 0;
}

/* newuidmap and newgidmap (package uidmap) write mappings that an
 * unprivileged user may not write itself, as /etc/subuid allows. */
static int run_helper(const char *helper, pid_t pid,
		      const struct id_mapping *mappings, size_t count,
		      struct mntns_error *err)
{
	char *argv[2 + 3 * 64 + 1];
	char numbers[3 * 64][16];
	char pid_text[16];
	size_t argc = 0;

	if (count > 64)
		return fail(err, EINVAL, "%s: more than 64 mappings", helper);
	snprintf(pid_text, sizeof(pid_text), "%d", (int)pid);
	argv[argc++] = (char *)helper;
	argv[argc++] = pid_text;
	for (size_t i = 0; i < count; i++) {
		uint32_t fields[] = { mappings[i].container_id,
				      mappings[i].host_id, mappings[i].size };
		for (size_t j = 0; j < 3; j++) {
			snprintf(numbers[3 * i + j], 16, "%u", fields[j]);
			argv[argc++] = numbers[3 * i + j];
		}
	}
	argv[argc] = NULL;

	pid_t child = fork();
	if (child < 0)
		return fail_errno(err, errno, "fork %s", helper);
	if (child == 0) {
		execvp(helper, argv);
		_exit(127);
	}

	int status;
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return fail(err, ENOENT, "%s not found: install the uidmap "
			    "package, or map only your own uid and gid", helper);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return fail(err, EPERM, "%s failed: check /etc/subuid and "
			    "/etc/subgid", helper);
	return 0;
}

/* An unprivileged user may write one mapping of its own id, and only
 * after setgroups(2) is denied for the gid mapping. */
static bool own_mapping_only(const struct id_mapping *mappings, size_t count,
			     unsigned int own_id)
{
	return count == 1 && mappings[0].host_id == own_id &&
	       mappings[0].size == 1;
}

int namespaces_write_mappings(pid_t pid, const struct container_config *config,
			      struct mntns_error *err)
{
	char text[4096];
	bool root = geteuid() == 0;

	if (!root && !own_mapping_only(config->uid_mappings,
				       config->uid_mappings_count, geteuid())) {
		int ret = run_helper("newuidmap", pid, config->uid_mappings,
				     config->uid_mappings_count, err);
		if (ret < 0)
			return ret;
	} else {
		format_mappings(config->uid_mappings,
				config->uid_mappings_count, text,
				sizeof(text));
		int ret = write_file(pid, "uid_map", text, err);
		if (ret < 0)
			return ret;
	}

	if (!root && !own_mapping_only(config->gid_mappings,
				       config->gid_mappings_count, getegid()))
		return run_helper("newgidmap", pid, config->gid_mappings,
				  config->gid_mappings_count, err);
	if (!root) {
		int ret = write_file(pid, "setgroups", "deny", err);
		if (ret < 0)
			return ret;
	}
	format_mappings(config->gid_mappings, config->gid_mappings_count, text,
			sizeof(text));
	return write_file(pid, "gid_map", text, err);
}
