/*
 * End-to-end tests of a rootless "mntns run": mntns runs as uid and gid
 * 65534 (nobody) and creates a user namespace that maps that id to root,
 * so the container cannot create device nodes and binds the host's.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define NOBODY 65534

static int drop_to_nobody(void)
{
	if (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 ||
	    setresuid(NOBODY, NOBODY, NOBODY) < 0) {
		int saved = errno;
		fprintf(stderr, "switch to uid and gid %d: %s\n", NOBODY,
			strerror(saved));
		return -saved;
	}
	return 0;
}

static void describe_sysctl(const char *path, char *text, size_t size)
{
	char value[32] = "";
	FILE *file = fopen(path, "r");

	if (!file)
		return;
	if (fgets(value, sizeof(value), file))
		value[strcspn(value, "\n")] = '\0';
	fclose(file);
	size_t used = strlen(text);
	snprintf(text + used, size - used, "; %s is %s", path, value);
}

/* Skips the case when uid 65534 cannot create a user namespace, which is
 * a setting of the host (sysctls, or a security module). */
static void require_unprivileged_userns(void)
{
	char reason[512];
	int status;

	pid_t pid = fork();
	ATF_REQUIRE(pid >= 0);
	if (pid == 0) {
		if (drop_to_nobody() < 0)
			_exit(255);
		_exit(unshare(CLONE_NEWUSER) < 0 ? errno : 0);
	}
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_REQUIRE_MSG(WIFEXITED(status) && WEXITSTATUS(status) != 255,
			"could not switch to uid %d to probe user namespaces",
			NOBODY);
	if (WEXITSTATUS(status) == 0)
		return;

	snprintf(reason, sizeof(reason), "unprivileged user namespaces are "
		 "disabled: unshare(CLONE_NEWUSER) as uid %d failed: %s",
		 NOBODY, strerror(WEXITSTATUS(status)));
	describe_sysctl("/proc/sys/kernel/unprivileged_userns_clone", reason,
			sizeof(reason));
	describe_sysctl("/proc/sys/user/max_user_namespaces", reason,
			sizeof(reason));
	atf_tc_skip("%s", reason);
}

/*
 * What mntns needs, bound under a fresh tmpfs at /tmp in a private mount
 * namespace, so that uid 65534 can reach them wherever the checkout and
 * kyua's work directory are: /tmp/mntns (the program), /tmp/rootfs and
 * /tmp/bundle.
 */
struct rootless_paths {
	const char *mntns;
	const char *rootfs;
};

static int bind_fd(int fd, const char *target)
{
	char source[64];

	snprintf(source, sizeof(source), "/proc/self/fd/%d", fd);
	if (mount(source, target, NULL, MS_BIND, NULL) < 0) {
		int saved = errno;
		fprintf(stderr, "bind onto %s: %s\n", target, strerror(saved));
		return -saved;
	}
	return 0;
}

static int open_path(const char *path)
{
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "open %s: %s\n", path, strerror(errno));
	return fd;
}

/* A helper_prepare_fn: builds the /tmp of rootless_paths, then becomes
 * uid and gid 65534. */
static int prepare_rootless(void *arg)
{
	const struct rootless_paths *paths = arg;

	int ret = helper_enter_private_namespace();
	if (ret < 0)
		return ret;
	/* The sources are opened first: the tmpfs may hide them. */
	int mntns = open_path(paths->mntns);
	int rootfs = open_path(paths->rootfs);
	int bundle = open_path("bundle");
	if (mntns < 0 || rootfs < 0 || bundle < 0)
		return -ENOENT;

	if (mount("rootless", "/tmp", "tmpfs", 0, "mode=755,size=1m") < 0) {
		int saved = errno;
		fprintf(stderr, "mount tmpfs at /tmp: %s\n", strerror(saved));
		return -saved;
	}
	int file = open("/tmp/mntns", O_WRONLY | O_CREAT | O_CLOEXEC, 0755);
	if (file < 0 || mkdir("/tmp/rootfs", 0755) < 0 ||
	    mkdir("/tmp/bundle", 0755) < 0) {
		int saved = errno;
		fprintf(stderr, "create the mount points in /tmp: %s\n",
			strerror(saved));
		return -saved;
	}
	close(file);
	ret = bind_fd(mntns, "/tmp/mntns");
	if (ret == 0)
		ret = bind_fd(rootfs, "/tmp/rootfs");
	if (ret == 0)
		ret = bind_fd(bundle, "/tmp/bundle");
	if (ret < 0)
		return ret;
	return drop_to_nobody();
}

/* A config from "mntns spec --rootless" with the script as the process,
 * its ids mapped from 65534, and the rootfs at /tmp/rootfs. */
static json_t *rootless_config(const atf_tc_t *tc, const char *script)
{
	json_t *config = helper_config_spec(tc, "--rootless", script);
	json_t *linux_ = json_object_get(config, "linux");
	json_t *mapping = json_pack("[{s:i, s:i, s:i}]", "containerID", 0,
				    "hostID", NOBODY, "size", 1);

	json_object_set(linux_, "uidMappings", mapping);
	json_object_set_new(linux_, "gidMappings", mapping);
	json_object_set_new(json_object_get(config, "root"), "path",
			    json_string("/tmp/rootfs"));
	return config;
}

/* Runs config's process rootless and requires exit status 0. */
static void run_rootless(const atf_tc_t *tc, json_t *config,
			 struct run_result *result)
{
	const char *argv[] = { "/tmp/mntns", "run", "-b", "/tmp/bundle",
			       "rootless", NULL };
	struct rootless_paths paths = { .mntns = helper_mntns(tc),
					.rootfs = helper_rootfs(tc) };

	helper_write_config(config);
	/* uid 65534 reads them, whatever umask created them. */
	ATF_REQUIRE(chmod("bundle", 0755) == 0);
	ATF_REQUIRE(chmod("bundle/config.json", 0644) == 0);
	helper_collect(helper_spawn(argv, prepare_rootless, &paths), 60,
		       result);
	ATF_REQUIRE_MSG(result->status == 0, "expected exit status 0, got %d; "
			"stdout: %s; stderr: %s", result->status, result->out,
			result->err);
}

ATF_TC(rootless__identity);
ATF_TC_HEAD(rootless__identity, tc)
{
	atf_tc_set_md_var(tc, "descr", "a rootless container's process is "
			  "root in a user namespace mapped from uid and gid "
			  "65534");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(rootless__identity, tc)
{
	struct run_result result;

	require_unprivileged_userns();
	json_t *config = rootless_config(tc, "id -u; id -g; "
					 "cat /proc/self/uid_map "
					 "/proc/self/gid_map | "
					 "sed 's/  */ /g; s/^ //'");
	run_rootless(tc, config, &result);
	ATF_CHECK_STREQ(result.out, "0\n0\n0 65534 1\n0 65534 1\n");
	helper_free_result(&result);
	json_decref(config);
}

ATF_TC(rootless__devices_bound);
ATF_TC_HEAD(rootless__devices_bound, tc)
{
	atf_tc_set_md_var(tc, "descr", "a rootless container gets the "
			  "required devices as binds of the host's nodes");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(rootless__devices_bound, tc)
{
	static const struct {
		const char *path;
		const char *numbers; /* major:minor in hex, as stat prints */
	} devices[] = {
		{ "/dev/null", "1:3" },	   { "/dev/zero", "1:5" },
		{ "/dev/full", "1:7" },	   { "/dev/random", "1:8" },
		{ "/dev/urandom", "1:9" }, { "/dev/tty", "5:0" },
	};
	struct run_result result;
	char row[4096], expected[128];

	require_unprivileged_userns();
	json_t *config = rootless_config(tc, "cat /proc/self/mountinfo; "
					 "stat -c '%n %F %t:%T' /dev/null "
					 "/dev/zero /dev/full /dev/random "
					 "/dev/urandom /dev/tty; "
					 "echo x > /dev/null && "
					 "echo null-writable");
	run_rootless(tc, config, &result);
	for (size_t i = 0; i < sizeof(devices) / sizeof(devices[0]); i++) {
		/* mknod gives a plain file of /dev's tmpfs; a bind is a
		 * mount point of its own. */
		ATF_CHECK_MSG(helper_mount_row(result.out, devices[i].path, row,
					       sizeof(row)),
			      "%s is not a bind mount:\n%s", devices[i].path,
			      result.out);
		snprintf(expected, sizeof(expected),
			 "%s character special file %s\n", devices[i].path,
			 devices[i].numbers);
		ATF_CHECK_MSG(strstr(result.out, expected),
			      "expected \"%s\" in:\n%s", expected, result.out);
	}
	ATF_CHECK_MSG(strstr(result.out, "null-writable\n"),
		      "writing /dev/null failed: %s", result.err);
	helper_free_result(&result);
	json_decref(config);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rootless__identity);
	ATF_TP_ADD_TC(tp, rootless__devices_bound);
	return atf_no_error();
}
