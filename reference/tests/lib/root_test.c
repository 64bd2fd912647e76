/*
 * The root switch (pivot and move), the read-only root, the remounts of
 * /proc and /sys, /dev/null reopening and the final umask.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define IDENTITY "scratch rootfs\n"

/* Makes rootfs a mount point, as the root switch needs, with extra
 * per-mount flags when flags is not 0. */
static void bind_rootfs(const char *rootfs, unsigned long flags)
{
	NS_REQUIRE(mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) == 0,
		   "bind %s onto itself: %s", rootfs, strerror(errno));
	if (flags == 0)
		return;
	NS_REQUIRE(mount(NULL, rootfs, NULL, MS_BIND | MS_REMOUNT | flags,
			 NULL) == 0,
		   "remount %s with flags 0x%lx: %s", rootfs, flags,
		   strerror(errno));
}

static void mount_proc(const char *rootfs)
{
	char proc[PATH_MAX];

	ns_rootfs_path(proc, sizeof(proc), rootfs, "/proc");
	NS_REQUIRE(mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			 NULL) == 0,
		   "mount proc on %s: %s", proc, strerror(errno));
}

/* Builds the rootfs and a marker file on the host side of it, and stores
 * the marker's absolute path. */
static void make_rootfs_and_marker(char *rootfs, size_t rootfs_size,
				   char *marker, size_t marker_size)
{
	char outside[PATH_MAX];

	ns_make_rootfs(rootfs, rootfs_size);
	ns_make_outside(outside, sizeof(outside));
	ns_format(marker, marker_size, "%s/marker", outside);
	ns_write_file(marker, "host side\n");
}

/* Checks that / is now the rootfs and the host side is out of reach. */
static void check_switched(const char *marker)
{
	char identity[64];
	struct stat st;

	ns_read_file("/etc/identity", identity, sizeof(identity));
	NS_CHECK(strcmp(identity, IDENTITY) == 0,
		 "/etc/identity: expected \"%s\", got \"%s\"", IDENTITY,
		 identity);
	errno = 0;
	NS_CHECK(stat(marker, &st) < 0 && errno == ENOENT,
		 "%s: expected ENOENT after the root switch, got %s", marker,
		 errno ? strerror(errno) : "a file");
}

/* ------------------------------------------------------------------ */
/* Pivot and move                                                       */

static void pivot_old_root_hidden(void *arg)
{
	struct mntns_error err = { 0 };
	struct libmnt_table *table;
	struct libmnt_iter *iter;
	struct libmnt_fs *fs = NULL;
	char rootfs[PATH_MAX];
	char marker[PATH_MAX];
	char row[8192];
	int rc;

	(void)arg;
	make_rootfs_and_marker(rootfs, sizeof(rootfs), marker, sizeof(marker));
	bind_rootfs(rootfs, 0);
	mount_proc(rootfs);
	rc = mntns_pivot_root(rootfs, &err);
	NS_REQUIRE_OK("mntns_pivot_root", rc, &err);
	check_switched(marker);

	/* The old root is detached, so only / and /proc are left. */
	table = ns_mountinfo();
	iter = mnt_new_iter(MNT_ITER_FORWARD);
	NS_REQUIRE(iter != NULL, "mnt_new_iter: out of memory");
	while (mnt_table_next_fs(table, iter, &fs) == 0) {
		const char *target = mnt_fs_get_target(fs);

		NS_CHECK(strcmp(target, "/") == 0 ||
				 strcmp(target, "/proc") == 0,
			 "expected only / and /proc after the pivot, got a "
			 "mount of the old root\n  mountinfo: %s",
			 ns_mount_row(fs, row, sizeof(row)));
	}
	mnt_free_iter(iter);
	mnt_unref_table(table);
}

NS_TC(pivot__old_root_hidden, "after mntns_pivot_root the old root is "
      "unmounted and a host file is unreachable", pivot_old_root_hidden,
      NULL)

static void pivot_no_pivot_dir(void *arg)
{
	struct mntns_error err = { 0 };
	struct dirent *entry;
	char rootfs[PATH_MAX];
	DIR *dir;
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	bind_rootfs(rootfs, 0);
	rc = mntns_pivot_root(rootfs, &err);
	NS_REQUIRE_OK("mntns_pivot_root", rc, &err);
	dir = opendir("/");
	NS_REQUIRE(dir != NULL, "opendir /: %s", strerror(errno));
	while ((entry = readdir(dir)) != NULL)
		NS_CHECK(strncmp(entry->d_name, ".pivot_root", 11) != 0,
			 "/%s: expected no pivot directory left in the rootfs",
			 entry->d_name);
	closedir(dir);
}

NS_TC(pivot__no_pivot_dir, "mntns_pivot_root leaves no .pivot_root "
      "directory in the new root", pivot_no_pivot_dir, NULL)

/* Binds a fresh rootfs onto itself with bind_flags, switches into it with
 * switch_root (named call in failures) and checks the switch. */
static void switch_and_check(unsigned long bind_flags,
			     int (*switch_root)(const char *rootfs,
						struct mntns_error *err),
			     const char *call)
{
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	char marker[PATH_MAX];
	int rc;

	make_rootfs_and_marker(rootfs, sizeof(rootfs), marker, sizeof(marker));
	bind_rootfs(rootfs, bind_flags);
	rc = switch_root(rootfs, &err);
	NS_REQUIRE_OK(call, rc, &err);
	check_switched(marker);
}

static void pivot_readonly_rootfs(void *arg)
{
	(void)arg;
	switch_and_check(MS_RDONLY, mntns_pivot_root,
			 "mntns_pivot_root on a read-only rootfs");
}

NS_TC(pivot__readonly_rootfs, "mntns_pivot_root works on a read-only "
      "rootfs", pivot_readonly_rootfs, NULL)

static void move_root(void *arg)
{
	(void)arg;
	switch_and_check(0, mntns_move_root, "mntns_move_root");
}

NS_TC(move__root, "mntns_move_root makes the rootfs / and hides the host "
      "side", move_root, NULL)

/* Runs mntns_initialize with config on a fresh rootfs (named call in
 * failures) and checks the switch. */
static void initialize_and_check(const struct mntns_config *config,
				 const char *call)
{
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	char marker[PATH_MAX];
	int rc;

	make_rootfs_and_marker(rootfs, sizeof(rootfs), marker, sizeof(marker));
	rc = mntns_initialize(rootfs, NULL, false, config, &err);
	NS_REQUIRE_OK(call, rc, &err);
	check_switched(marker);
}

static void initialize_move_root(void *arg)
{
	struct mntns_config config = { .no_pivot_root = true };

	(void)arg;
	initialize_and_check(&config, "mntns_initialize with no_pivot_root");
}

NS_TC(initialize__move_root, "mntns_initialize with no_pivot_root moves "
      "the root and hides the host side", initialize_move_root, NULL)

static void initialize_pivot(void *arg)
{
	struct mntns_config config = { 0 };

	(void)arg;
	initialize_and_check(&config, "mntns_initialize");
}

NS_TC(initialize__pivot, "mntns_initialize pivots and hides the host side",
      initialize_pivot, NULL)

/* ------------------------------------------------------------------ */
/* Read-only root                                                       */

static void initialize_readonly(void)
{
	struct mntns_config config = { .readonly_fs = true };
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	int rc;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	rc = mntns_initialize(rootfs, NULL, false, &config, &err);
	NS_REQUIRE_OK("mntns_initialize with readonly_fs", rc, &err);
}

static void readonly_root_erofs(void *arg)
{
	int fd;

	(void)arg;
	initialize_readonly();
	errno = 0;
	fd = open("/created", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	NS_CHECK(fd < 0 && errno == EROFS,
		 "open /created for writing: expected EROFS, got %s",
		 fd >= 0 ? "success" : strerror(errno));
	if (fd >= 0)
		close(fd);
}

NS_TC(readonly__root_erofs, "with readonly_fs, creating a file in / fails "
      "with EROFS", readonly_root_erofs, NULL)

static void readonly_dev_writable(void *arg)
{
	int fd;

	(void)arg;
	initialize_readonly();
	fd = open("/dev/created", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	NS_CHECK(fd >= 0, "open /dev/created for writing: expected success, "
		 "got %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	NS_REQUIRE(fd >= 0, "open /dev/null: %s", strerror(errno));
	NS_CHECK(write(fd, "x", 1) == 1, "write /dev/null: %s",
		 strerror(errno));
	close(fd);
}

NS_TC(readonly__dev_writable, "with readonly_fs, /dev stays writable",
      readonly_dev_writable, NULL)

static void set_readonly_keeps_flags(void *arg)
{
	struct mount_expect expect = {
		"/", "ext4", "ro,nosuid,nodev,noexec", "rw", NULL,
	};
	struct mntns_error err = { 0 };
	struct libmnt_table *table;
	struct libmnt_fs *fs;
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	bind_rootfs(rootfs, MS_NOSUID | MS_NODEV | MS_NOEXEC);
	mount_proc(rootfs);
	rc = mntns_pivot_root(rootfs, &err);
	NS_REQUIRE_OK("mntns_pivot_root", rc, &err);
	rc = mntns_set_readonly(&err);
	NS_REQUIRE_OK("mntns_set_readonly", rc, &err);

	/* The type is that of the filesystem under the work directory. */
	table = ns_mountinfo();
	fs = ns_find_mount(table, "/");
	NS_REQUIRE(fs != NULL, "/: expected a mount, found none");
	expect.fstype = mnt_fs_get_fstype(fs);
	ns_check_mount(&expect);
	mnt_unref_table(table);
}

NS_TC(set_readonly__keeps_flags, "mntns_set_readonly makes / ro and keeps "
      "nosuid,nodev,noexec", set_readonly_keeps_flags, NULL)

/* ------------------------------------------------------------------ */
/* Remounts of /proc and /sys                                           */

/* Pivots into a rootfs with every system mount and the default devices. */
static void setup_pivoted(bool reopen_devnull)
{
	static char rootfs[PATH_MAX];
	struct mntns_spec spec;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_spec_init(&spec, rootfs);
	spec.root_switch = MNTNS_ROOT_PIVOT;
	spec.devices = mntns_default_devices;
	spec.devices_count = mntns_default_devices_count;
	spec.reopen_devnull = reopen_devnull;
	ns_setup_system_mounts(&spec, false, NULL);
}

static void read_link(const char *path, char *buf, size_t size)
{
	ssize_t length = readlink(path, buf, size - 1);

	NS_REQUIRE(length >= 0, "readlink %s: %s", path, strerror(errno));
	buf[length] = '\0';
}

/* Runs in pid 1 of a new pid namespace, under the /proc of the old one. */
static void remount_proc_in_new_pidns(void)
{
	struct mntns_error err = { 0 };
	char self[32];
	int rc;

	read_link("/proc/self", self, sizeof(self));
	NS_REQUIRE(strcmp(self, "1") != 0, "/proc/self: expected the pid of "
		   "the old namespace before the remount, got 1");
	rc = mntns_remount_proc(&err);
	NS_REQUIRE_OK("mntns_remount_proc", rc, &err);
	read_link("/proc/self", self, sizeof(self));
	NS_CHECK(strcmp(self, "1") == 0, "/proc/self: expected 1 (the new pid "
		 "namespace), got %s", self);
	ns_check_mount(&(struct mount_expect){ "/proc", "proc",
					       "nosuid,nodev,noexec", NULL,
					       NULL });
}

static void remount_proc(void *arg)
{
	int status;
	pid_t pid;

	(void)arg;
	setup_pivoted(false);
	NS_REQUIRE(unshare(CLONE_NEWPID) == 0, "unshare(CLONE_NEWPID): %s",
		   strerror(errno));
	pid = fork();
	NS_REQUIRE(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		remount_proc_in_new_pidns();
		ns_exit();
	}
	NS_REQUIRE(waitpid(pid, &status, 0) == pid, "waitpid: %s",
		   strerror(errno));
	NS_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		 "pid 1 of the new namespace: expected exit 0, got status "
		 "0x%x", (unsigned)status);
}

NS_TC(remount__proc, "mntns_remount_proc gives /proc of the current pid "
      "namespace", remount_proc, NULL)

static int mount_id(const char *target)
{
	struct libmnt_table *table = ns_mountinfo();
	struct libmnt_fs *fs = ns_find_mount(table, target);
	int id = fs != NULL ? mnt_fs_get_id(fs) : -1;

	mnt_unref_table(table);
	return id;
}

static void remount_sys(void *arg)
{
	DIR *dir;
	struct dirent *entry;
	int before;
	int rc;
	struct mntns_error err = { 0 };

	(void)arg;
	setup_pivoted(false);
	before = mount_id("/sys");
	NS_REQUIRE(unshare(CLONE_NEWNET) == 0, "unshare(CLONE_NEWNET): %s",
		   strerror(errno));
	rc = mntns_remount_sys(&err);
	NS_REQUIRE_OK("mntns_remount_sys", rc, &err);
	NS_CHECK(mount_id("/sys") != before, "/sys: expected a new mount, got "
		 "the same mount id %d", before);
	ns_check_mount(&(struct mount_expect){ "/sys", "sysfs",
					       "nosuid,nodev,noexec", NULL,
					       NULL });

	/* A new network namespace has only lo. */
	dir = opendir("/sys/class/net");
	NS_REQUIRE(dir != NULL, "opendir /sys/class/net: %s",
		   strerror(errno));
	while ((entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		NS_CHECK(strcmp(entry->d_name, "lo") == 0, "/sys/class/net: "
			 "expected only lo of the new network namespace, got "
			 "%s", entry->d_name);
	}
	closedir(dir);
}

NS_TC(remount__sys, "mntns_remount_sys gives /sys of the current network "
      "namespace", remount_sys, NULL)

/* ------------------------------------------------------------------ */
/* /dev/null reopening and umask                                        */

static void devnull_reopened(void *arg)
{
	struct stat fd_st;
	struct stat null_st;
	struct stat host_st;
	int fd;

	(void)arg;
	fd = open("/dev/null", O_RDONLY);
	NS_REQUIRE(fd >= 0 && dup2(fd, 0) == 0, "open /dev/null as stdin: %s",
		   strerror(errno));
	close(fd);
	NS_REQUIRE(fstat(0, &host_st) == 0, "fstat 0: %s", strerror(errno));
	setup_pivoted(true);

	NS_REQUIRE(fstat(0, &fd_st) == 0, "fstat 0: %s", strerror(errno));
	NS_REQUIRE(stat("/dev/null", &null_st) == 0, "stat /dev/null: %s",
		   strerror(errno));
	NS_CHECK(fd_st.st_dev == null_st.st_dev &&
			 fd_st.st_ino == null_st.st_ino,
		 "fd 0: expected the container's /dev/null (dev %lu ino %lu), "
		 "got dev %lu ino %lu (host /dev/null: dev %lu ino %lu)",
		 (unsigned long)null_st.st_dev, (unsigned long)null_st.st_ino,
		 (unsigned long)fd_st.st_dev, (unsigned long)fd_st.st_ino,
		 (unsigned long)host_st.st_dev, (unsigned long)host_st.st_ino);
}

NS_TC(devnull__reopened, "reopen_devnull moves a stdin on /dev/null to the "
      "container's /dev/null", devnull_reopened, NULL)

static void final_umask(void *arg)
{
	struct mntns_error err = { 0 };
	struct mntns_spec spec;
	char rootfs[PATH_MAX];
	mode_t got;
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_spec_init(&spec, rootfs);
	spec.final_umask = 027;
	umask(077);
	rc = mntns_setup(&spec, &err);
	NS_REQUIRE_OK("mntns_setup", rc, &err);
	got = umask(0);
	NS_CHECK(got == 027, "umask: expected 027, got 0%o", (unsigned)got);
}

NS_TC(umask__final, "mntns_setup sets final_umask last", final_umask, NULL)

static void initialize_umask(void *arg)
{
	struct mntns_config config = { 0 };
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	mode_t got;
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	umask(077);
	rc = mntns_initialize(rootfs, NULL, false, &config, &err);
	NS_REQUIRE_OK("mntns_initialize", rc, &err);
	got = umask(0);
	NS_CHECK(got == 022, "umask: expected 022, got 0%o", (unsigned)got);
}

NS_TC(umask__initialize, "mntns_initialize leaves the 2015 umask 022",
      initialize_umask, NULL)

ATF_TC(spec_init__defaults);
ATF_TC_HEAD(spec_init__defaults, tc)
{
	atf_tc_set_md_var(tc, "descr", "mntns_spec_init fills in the 2015 "
			  "defaults");
}
ATF_TC_BODY(spec_init__defaults, tc)
{
	struct mntns_spec spec;

	(void)tc;
	memset(&spec, 0xa5, sizeof(spec));
	mntns_spec_init(&spec, "/srv/rootfs");
	ATF_CHECK_STREQ(spec.rootfs, "/srv/rootfs");
	ATF_CHECK_EQ_MSG(spec.root_switch, MNTNS_ROOT_PIVOT, "root_switch: "
			 "expected PIVOT, got %d", spec.root_switch);
	ATF_CHECK_EQ_MSG(spec.rootfs_propagation, MNTNS_PROPAGATION_NONE,
			 "rootfs_propagation: expected NONE, got %d",
			 spec.rootfs_propagation);
	ATF_CHECK_MSG(!spec.readonly_root, "readonly_root: expected false");
	ATF_CHECK_MSG(spec.dev_symlinks, "dev_symlinks: expected true");
	ATF_CHECK_MSG(!spec.dev_kcore, "dev_kcore: expected false");
	ATF_CHECK_MSG(spec.ptmx_symlink, "ptmx_symlink: expected true");
	ATF_CHECK_MSG(spec.reopen_devnull, "reopen_devnull: expected true");
	ATF_CHECK_EQ_MSG(spec.final_umask, 022, "final_umask: expected 022, "
			 "got 0%o", (unsigned)spec.final_umask);
	ATF_CHECK_EQ_MSG(spec.console_mode, MNTNS_CONSOLE_NONE, "console_mode: "
			 "expected NONE, got %d", spec.console_mode);
	ATF_CHECK_EQ_MSG(spec.console_master, -1, "console_master: expected "
			 "-1, got %d", spec.console_master);
	ATF_CHECK_MSG(spec.root_uid == 0 && spec.root_gid == 0,
		      "root ids: expected 0:0, got %u:%u",
		      (unsigned)spec.root_uid, (unsigned)spec.root_gid);
	ATF_CHECK_MSG(spec.mounts_count == 0 && spec.devices_count == 0 &&
			      spec.masked_paths_count == 0 &&
			      spec.readonly_paths_count == 0,
		      "counts: expected no mounts, devices or paths");
	ATF_CHECK_MSG(spec.mount_label == NULL, "mount_label: expected NULL");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, spec_init__defaults);
	ATF_TP_ADD_TC(tp, pivot__old_root_hidden);
	ATF_TP_ADD_TC(tp, pivot__no_pivot_dir);
	ATF_TP_ADD_TC(tp, pivot__readonly_rootfs);
	ATF_TP_ADD_TC(tp, move__root);
	ATF_TP_ADD_TC(tp, initialize__move_root);
	ATF_TP_ADD_TC(tp, initialize__pivot);
	ATF_TP_ADD_TC(tp, readonly__root_erofs);
	ATF_TP_ADD_TC(tp, readonly__dev_writable);
	ATF_TP_ADD_TC(tp, set_readonly__keeps_flags);
	ATF_TP_ADD_TC(tp, remount__proc);
	ATF_TP_ADD_TC(tp, remount__sys);
	ATF_TP_ADD_TC(tp, devnull__reopened);
	ATF_TP_ADD_TC(tp, umask__final);
	ATF_TP_ADD_TC(tp, umask__initialize);
	return atf_no_error();
}
