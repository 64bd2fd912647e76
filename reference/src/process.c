/*
 * The container process's own settings, applied in the container process
 * between the mount namespace setup and exec: limits, host name, SELinux
 * label, user, capabilities, working directory and environment.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <selinux/selinux.h>

#include "cli.h"

extern char **environ;

static int set_oom_score_adj(int value, struct mntns_error *err)
{
	char text[16];

	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return fail_errno(err, errno, "open /proc/self/oom_score_adj");
	int length = snprintf(text, sizeof(text), "%d", value);
	ssize_t written = write(fd, text, length);
	int saved = errno;
	close(fd);
	if (written < 0)
		return fail_errno(err, saved, "set process.oomScoreAdj to %d",
				  value);
	return 0;
}

static int set_names(const struct container_config *config,
		     struct mntns_error *err)
{
	const char *hostname = config->hostname;
	const char *domainname = config->domainname;

	if (hostname && sethostname(hostname, strlen(hostname)) < 0)
		return fail_errno(err, errno, "set hostname \"%s\"", hostname);
	if (domainname && setdomainname(domainname, strlen(domainname)) < 0)
		return fail_errno(err, errno, "set domainname \"%s\"",
				  domainname);
	return 0;
}

/* Runs before the mount namespace setup, while the host's /proc is still
 * there to write to. */
int process_prepare_early(const struct container_config *config,
			  struct mntns_error *err)
{
	const struct process_config *process = &config->process;

	for (size_t i = 0; i < process->rlimits_count; i++) {
		const struct rlimit_entry *entry = &process->rlimits[i];
		if (setrlimit(entry->resource, &entry->limit) < 0)
			return fail_errno(err, errno, "set process.rlimits[%zu]",
					  i);
	}
	if (process->has_oom_score_adj) {
		int ret = set_oom_score_adj(process->oom_score_adj, err);
		if (ret < 0)
			return ret;
	}
	if (process->selinux_label && is_selinux_enabled() > 0 &&
	    setexeccon(process->selinux_label) < 0)
		return fail_errno(err, errno, "set SELinux exec label \"%s\"",
				  process->selinux_label);
	return set_names(config, err);
}

static int switch_user(const struct process_config *process,
		       bool setgroups_allowed, struct mntns_error *err)
{
	if (setgroups_allowed &&
	    setgroups(process->additional_gids_count,
		      process->additional_gids) < 0)
		return fail_errno(err, errno, "set additional groups");
	if (!setgroups_allowed && process->additional_gids_count)
		return fail(err, EPERM, "set additional groups: setgroups is "
			    "denied in a user namespace mapped without "
			    "newgidmap: remove process.user.additionalGids");
	if (setresgid(process->gid, process->gid, process->gid) < 0)
		return fail_errno(err, errno, "set gid %u (is it mapped in "
				  "the user namespace?)", process->gid);
	if (setresuid(process->uid, process->uid, process->uid) < 0)
		return fail_errno(err, errno, "set uid %u (is it mapped in "
				  "the user namespace?)", process->uid);
	return 0;
}

int process_prepare_identity(const struct container_config *config,
			     bool setgroups_allowed, struct mntns_error *err)
{
	const struct process_config *process = &config->process;
	int ret;

	if (process->has_capabilities) {
		ret = capabilities_apply_bounding(&process->capabilities, err);
		if (ret < 0)
			return ret;
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			return fail_errno(err, errno, "set PR_SET_KEEPCAPS");
	}
	ret = switch_user(process, setgroups_allowed, err);
	if (ret < 0)
		return ret;
	if (process->has_capabilities) {
		prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0);
		ret = capabilities_apply(&process->capabilities, err);
		if (ret < 0)
			return ret;
	}

	if (chdir(process->cwd) < 0)
		return fail_errno(err, errno, "change to process.cwd %s",
				  process->cwd);
	if (process->no_new_privileges &&
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail_errno(err, errno, "set no_new_privs");
	if (process->has_umask)
		umask(process->umask);
	return 0;
}

int process_exec(const struct container_config *config,
		 struct mntns_error *err)
{
	static char *empty_env[] = { NULL };
	const char *command = config->process.args[0];

	environ = config->process.env ? (char **)config->process.env :
					empty_env;
	execvp(command, (char **)config->process.args);

	int saved = errno;
	if (saved == ENOENT)
		return fail(err, ENOENT, "exec \"%s\": not found in the "
			    "container (PATH from process.env)", command);
	return fail_errno(err, saved, "exec \"%s\"", command);
}
