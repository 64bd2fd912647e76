/*
 * Mount entries and 2015 user mounts: bind and tmpfs, read-only flags,
 * recursive attributes, propagation, masked and read-only paths, the
 * /proc rules and the openat2 fallback.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "helpers.h"

struct variant {
	bool fallback; /* openat2 made to fail with ENOSYS */
};

static const struct variant with_openat2 = { false };
static const struct variant with_fallback = { true };

static void apply_variant(const struct variant *variant)
{
	if (variant != NULL && variant->fallback)
		ns_force_openat2_fallback();
}

static void check_fallback_taken(const struct variant *variant)
{
	if (variant == NULL || !variant->fallback)
		return;
	NS_CHECK(ns_openat2_calls() > 0, "expected the library to try openat2 "
		 "before its fallback, got no call");
	NS_CHECK(mntns_get_resolver() == MNTNS_RESOLVER_WALK,
		 "mntns_get_resolver: expected MNTNS_RESOLVER_WALK (%d) after "
		 "ENOSYS, got %d", MNTNS_RESOLVER_WALK, mntns_get_resolver());
}

static void mount_entry(const struct mntns_mount_entry *entry,
			const char *rootfs)
{
	struct mntns_error err = { 0 };
	int rc = mntns_mount_entry(entry, rootfs, NULL, &err);

	NS_REQUIRE_OK("mntns_mount_entry", rc, &err);
}

static void mount_2015(const struct mntns_mount *mount, const char *rootfs)
{
	struct mntns_error err = { 0 };
	int rc = mntns_mount(mount, rootfs, NULL, &err);

	NS_REQUIRE_OK("mntns_mount", rc, &err);
}

/* Expects creating path to succeed (writable) or to fail with EROFS. */
static void check_create(const char *path, bool writable)
{
	int fd;

	errno = 0;
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (writable)
		NS_CHECK(fd >= 0, "create %s: expected success, got %s", path,
			 strerror(errno));
	else
		NS_CHECK(fd < 0 && errno == EROFS,
			 "create %s: expected EROFS, got %s", path,
			 fd >= 0 ? "success" : strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* ------------------------------------------------------------------ */
/* Bind mounts                                                          */

static void bind_ro_keeps_flags(void *arg)
{
	struct mntns_mount_entry entry = {
		.type = "bind",
		.destination = "/mnt/ro",
		.ms_flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		.flags = MNTNS_ENTRY_BIND | MNTNS_ENTRY_RECURSIVE,
	};
	char rootfs[PATH_MAX];
	char source[PATH_MAX];
	char path[PATH_MAX];
	char dest[PATH_MAX];

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_work_path(source, sizeof(source), "bind-source");
	ns_mkdir(source, 0755);
	ns_format(path, sizeof(path), "%s/program", source);
	ns_write_file(path, "#!/bin/sh\n");
	NS_REQUIRE(chmod(path, 0755) == 0, "chmod %s: %s", path,
		   strerror(errno));
	ns_format(path, sizeof(path), "%s/null", source);
	NS_REQUIRE(mknod(path, S_IFCHR | 0666, makedev(1, 3)) == 0,
		   "mknod %s: %s", path, strerror(errno));
	entry.source = source;
	mount_entry(&entry, rootfs);

	ns_rootfs_path(dest, sizeof(dest), rootfs, "/mnt/ro");
	ns_check_mount(&(struct mount_expect){ dest, NULL,
					       "ro,nosuid,nodev,noexec", "rw",
					       NULL });
	ns_format(path, sizeof(path), "%s/created", dest);
	check_create(path, false);
	ns_format(path, sizeof(path), "%s/program", dest);
	errno = 0;
	NS_CHECK(access(path, X_OK) < 0 && errno == EACCES,
		 "access(%s, X_OK) on noexec: expected EACCES, got %s", path,
		 errno ? strerror(errno) : "success");
	ns_format(path, sizeof(path), "%s/null", dest);
	errno = 0;
	NS_CHECK(open(path, O_RDONLY | O_CLOEXEC) < 0 && errno == EACCES,
		 "open %s on nodev: expected EACCES, got %s", path,
		 errno ? strerror(errno) : "success");
}

NS_TC(bind__ro_keeps_flags, "a read-only bind keeps nosuid, nodev and "
      "noexec, and each flag takes effect", bind_ro_keeps_flags, NULL)

/* Creates source with a tmpfs mounted on source/sub. */
static void make_source_with_submount(char *source, size_t size)
{
	char sub[PATH_MAX];

	ns_work_path(source, size, "bind-source");
	ns_mkdir(source, 0755);
	ns_format(sub, sizeof(sub), "%s/sub", source);
	ns_mkdir(sub, 0755);
	NS_REQUIRE(mount("tmpfs", sub, "tmpfs", 0, "mode=755") == 0,
		   "mount tmpfs on %s: %s", sub, strerror(errno));
}

static void bind_readonly_submount(uint64_t attr_set, unsigned long ms_flags,
				   bool sub_writable)
{
	struct mntns_mount_entry entry = {
		.type = "bind",
		.destination = "/mnt/tree",
		.ms_flags = ms_flags,
		.attr_set = attr_set,
		.flags = MNTNS_ENTRY_BIND | MNTNS_ENTRY_RECURSIVE,
	};
	char rootfs[PATH_MAX];
	char source[PATH_MAX];
	char path[PATH_MAX];

	ns_make_rootfs(rootfs, sizeof(rootfs));
	make_source_with_submount(source, sizeof(source));
	entry.source = source;
	mount_entry(&entry, rootfs);

	ns_rootfs_path(path, sizeof(path), rootfs, "/mnt/tree/created");
	check_create(path, false);
	ns_rootfs_path(path, sizeof(path), rootfs, "/mnt/tree/sub");
	ns_check_mount(&(struct mount_expect){
		path, "tmpfs", sub_writable ? "rw" : "ro",
		sub_writable ? "ro" : "rw", NULL });
	ns_rootfs_path(path, sizeof(path), rootfs, "/mnt/tree/sub/created");
	check_create(path, sub_writable);
}

static void bind_ro_top_only(void *arg)
{
	(void)arg;
	bind_readonly_submount(0, MS_RDONLY, true);
}

NS_TC(bind__ro_top_only, "plain ro on a recursive bind leaves its "
      "submounts read-write", bind_ro_top_only, NULL)

static void bind_rro(void *arg)
{
	(void)arg;
	bind_readonly_submount(MOUNT_ATTR_RDONLY, 0, false);
}

NS_TC(bind__rro_submounts, "rro (mount_setattr AT_RECURSIVE) makes the "
      "submounts of a bind read-only", bind_rro, NULL)

static void bind_file(void *arg)
{
	const struct variant *variant = arg;
	struct mntns_mount_entry entry = {
		.type = "bind",
		.destination = "/etc/bound.conf",
		.flags = MNTNS_ENTRY_BIND,
	};
	struct libmnt_table *table;
	char rootfs[PATH_MAX];
	char source[PATH_MAX];
	char dest[PATH_MAX];
	char content[64];
	struct stat st;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_work_path(source, sizeof(source), "bind-file");
	ns_write_file(source, "bound file\n");
	entry.source = source;
	apply_variant(variant);
	mount_entry(&entry, rootfs);
	check_fallback_taken(variant);

	ns_rootfs_path(dest, sizeof(dest), rootfs, "/etc/bound.conf");
	NS_REQUIRE(lstat(dest, &st) == 0, "lstat %s: %s", dest,
		   strerror(errno));
	NS_CHECK(S_ISREG(st.st_mode), "%s: expected a regular file, got mode "
		 "0%o", dest, (unsigned)st.st_mode);
	ns_read_file(dest, content, sizeof(content));
	NS_CHECK(strcmp(content, "bound file\n") == 0,
		 "%s: expected \"bound file\\n\", got \"%s\"", dest, content);
	table = ns_mountinfo();
	NS_CHECK(ns_find_mount(table, dest) != NULL,
		 "%s: expected a bind mount, found none", dest);
	mnt_unref_table(table);
}

NS_TC(bind__file_creates_file, "binding a file creates an empty file as "
      "the destination and mounts over it", bind_file,
      (void *)&with_openat2)
NS_TC(fallback__bind_file, "with openat2 failing ENOSYS, binding a file "
      "gives the same result", bind_file, (void *)&with_fallback)

/* ------------------------------------------------------------------ */
/* Propagation                                                          */

/* Mounts a shared tmpfs at the work directory's shared-source and returns
 * its peer group, since the host need not have a shared mount. */
static int make_shared_source(char *source, size_t size)
{
	struct libmnt_table *table;
	struct libmnt_fs *fs;
	int group;

	ns_work_path(source, size, "shared-source");
	ns_mkdir(source, 0755);
	NS_REQUIRE(mount("tmpfs", source, "tmpfs", 0, NULL) == 0,
		   "mount tmpfs on %s: %s", source, strerror(errno));
	NS_REQUIRE(mount(NULL, source, NULL, MS_SHARED, NULL) == 0,
		   "make %s shared: %s", source, strerror(errno));
	table = ns_mountinfo();
	fs = ns_find_mount(table, source);
	NS_REQUIRE(fs != NULL, "%s: expected a mount, found none", source);
	group = ns_peer_group(fs, "shared");
	NS_REQUIRE(group > 0, "%s: expected shared:N, got \"%s\"", source,
		   mnt_fs_get_optional_fields(fs));
	mnt_unref_table(table);
	return group;
}

/* Checks the peer groups of rootfs + inner: shared and master are the
 * expected ids, or -1 for none. */
static void check_propagation(const char *rootfs, const char *inner,
			      int shared, int master)
{
	struct libmnt_table *table = ns_mountinfo();
	struct libmnt_fs *fs;
	char dest[PATH_MAX];
	char row[8192];

	ns_rootfs_path(dest, sizeof(dest), rootfs, inner);
	fs = ns_find_mount(table, dest);
	NS_REQUIRE(fs != NULL, "%s: expected a mount, found none", dest);
	ns_mount_row(fs, row, sizeof(row));
	NS_CHECK(ns_peer_group(fs, "shared") == shared,
		 "%s: expected shared:%d, got shared:%d\n  mountinfo: %s",
		 dest, shared, ns_peer_group(fs, "shared"), row);
	NS_CHECK(ns_peer_group(fs, "master") == master,
		 "%s: expected master:%d, got master:%d\n  mountinfo: %s",
		 dest, master, ns_peer_group(fs, "master"), row);
	mnt_unref_table(table);
}

static void entry_propagation(enum mntns_propagation propagation)
{
	struct mntns_mount_entry entry = {
		.type = "bind",
		.destination = "/mnt/propagation",
		.propagation = propagation,
		.flags = MNTNS_ENTRY_BIND,
	};
	char rootfs[PATH_MAX];
	char source[PATH_MAX];
	int group;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	group = make_shared_source(source, sizeof(source));
	entry.source = source;
	mount_entry(&entry, rootfs);
	if (propagation == MNTNS_PROPAGATION_NONE)
		check_propagation(rootfs, entry.destination, group, -1);
	else if (propagation == MNTNS_PROPAGATION_SLAVE)
		check_propagation(rootfs, entry.destination, -1, group);
	else
		check_propagation(rootfs, entry.destination, -1, -1);
}

static void propagation_inherited(void *arg)
{
	(void)arg;
	entry_propagation(MNTNS_PROPAGATION_NONE);
}

static void propagation_slave(void *arg)
{
	(void)arg;
	entry_propagation(MNTNS_PROPAGATION_SLAVE);
}

static void propagation_private(void *arg)
{
	(void)arg;
	entry_propagation(MNTNS_PROPAGATION_PRIVATE);
}

NS_TC(propagation__inherited, "a bind of a shared mount joins its peer "
      "group when no propagation is given", propagation_inherited, NULL)
NS_TC(propagation__slave, "propagation slave makes the bind master:N of "
      "the source's group", propagation_slave, NULL)
NS_TC(propagation__private, "propagation private leaves the bind in no "
      "peer group", propagation_private, NULL)

static void mount_2015_propagation(bool slave, bool private_propagation)
{
	struct mntns_mount mount = {
		.type = "bind",
		.destination = "/mnt/propagation",
		.writable = true,
		.slave = slave,
		.private_propagation = private_propagation,
	};
	char rootfs[PATH_MAX];
	char source[PATH_MAX];
	int group;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	group = make_shared_source(source, sizeof(source));
	mount.source = source;
	mount_2015(&mount, rootfs);
	check_propagation(rootfs, mount.destination, -1, slave ? group : -1);
}

static void mount_slave(void *arg)
{
	(void)arg;
	mount_2015_propagation(true, false);
}

static void mount_private(void *arg)
{
	(void)arg;
	mount_2015_propagation(false, true);
}

NS_TC(mount__slave, "a 2015 Mount with Slave becomes master:N, unlike "
      "2015 where the flag was ignored", mount_slave, NULL)
NS_TC(mount__private, "a 2015 Mount with Private leaves the peer group",
      mount_private, NULL)

static void mount_bind_readonly(void *arg)
{
	struct mntns_mount mount = {
		.type = "bind",
		.destination = "/mnt/readonly",
		.writable = false,
	};
	char rootfs[PATH_MAX];
	char source[PATH_MAX];
	char path[PATH_MAX];

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_work_path(source, sizeof(source), "bind-source");
	ns_mkdir(source, 0755);
	mount.source = source;
	mount_2015(&mount, rootfs);
	ns_rootfs_path(path, sizeof(path), rootfs, "/mnt/readonly");
	ns_check_mount(&(struct mount_expect){ path, NULL, "ro", "rw", NULL });
	ns_rootfs_path(path, sizeof(path), rootfs, "/mnt/readonly/created");
	check_create(path, false);
}

NS_TC(mount__bind_readonly, "a 2015 bind Mount without Writable is "
      "read-only", mount_bind_readonly, NULL)

/* ------------------------------------------------------------------ */
/* tmpfs                                                                */

static void mount_tmpfs_flags(void *arg)
{
	struct mntns_mount mount = {
		.type = "tmpfs",
		.source = "tmpfs",
		.destination = "/tmp/scratch",
		.writable = true,
	};
	char rootfs[PATH_MAX];
	char path[PATH_MAX];

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	mount_2015(&mount, rootfs);
	ns_rootfs_path(path, sizeof(path), rootfs, "/tmp/scratch");
	ns_check_mount(&(struct mount_expect){ path, "tmpfs",
					       "rw,nosuid,nodev,noexec", NULL,
					       NULL });
}

NS_TC(mount__tmpfs_flags, "a 2015 tmpfs Mount has nosuid, nodev and "
      "noexec", mount_tmpfs_flags, NULL)

static void tmpfs_mode_size(void *arg)
{
	struct mntns_mount_entry entry = {
		.source = "tmpfs",
		.destination = "/mnt/tmpfs",
		.type = "tmpfs",
		.ms_flags = MS_NOSUID,
		.data = "mode=1777,size=1m",
	};
	char rootfs[PATH_MAX];
	char path[PATH_MAX];
	struct stat st;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	mount_entry(&entry, rootfs);
	ns_rootfs_path(path, sizeof(path), rootfs, "/mnt/tmpfs");
	/* mountinfo leaves out mode=1777, the tmpfs default, so stat(2)
	 * checks it. */
	ns_check_mount(&(struct mount_expect){ path, "tmpfs", "nosuid", NULL,
					       "size=1024k" });
	NS_REQUIRE(stat(path, &st) == 0, "stat %s: %s", path,
		   strerror(errno));
	NS_CHECK((st.st_mode & 07777) == 01777, "%s: expected mode 01777, "
		 "got 0%o", path, (unsigned)(st.st_mode & 07777));
}

NS_TC(tmpfs__mode_size, "a tmpfs entry passes mode= and size= to the "
      "filesystem", tmpfs_mode_size, NULL)

/* ------------------------------------------------------------------ */
/* Masked and read-only paths                                           */

/* Pivots into a rootfs with /etc/masked-file, /etc/masked-dir masked and
 * /etc/ro-dir read-only. */
static void setup_masked(void)
{
	static const char *const masked[] = {
		"/etc/masked-file", "/etc/masked-dir",
	};
	static const char *const readonly[] = { "/etc/ro-dir" };
	static char rootfs[PATH_MAX];
	struct mntns_spec spec;
	char path[PATH_MAX];

	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_rootfs_path(path, sizeof(path), rootfs, "/etc/masked-file");
	ns_write_file(path, "secret\n");
	ns_rootfs_path(path, sizeof(path), rootfs, "/etc/masked-dir");
	ns_mkdir(path, 0755);
	ns_rootfs_path(path, sizeof(path), rootfs, "/etc/masked-dir/secret");
	ns_write_file(path, "secret\n");
	ns_rootfs_path(path, sizeof(path), rootfs, "/etc/ro-dir");
	ns_mkdir(path, 0755);

	ns_spec_init(&spec, rootfs);
	spec.root_switch = MNTNS_ROOT_PIVOT;
	spec.devices = mntns_default_devices;
	spec.devices_count = mntns_default_devices_count;
	spec.masked_paths = masked;
	spec.masked_paths_count = 2;
	spec.readonly_paths = readonly;
	spec.readonly_paths_count = 1;
	ns_setup_system_mounts(&spec, false, NULL);
}

static void masked_file(void *arg)
{
	char content[64];
	struct stat st;
	ssize_t length;

	(void)arg;
	setup_masked();
	length = ns_read_file("/etc/masked-file", content, sizeof(content));
	NS_CHECK(length == 0, "/etc/masked-file: expected it to read empty, "
		 "got \"%s\"", content);
	NS_REQUIRE(stat("/etc/masked-file", &st) == 0,
		   "stat /etc/masked-file: %s", strerror(errno));
	NS_CHECK(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3),
		 "/etc/masked-file: expected c 1:3, got mode 0%o rdev %u:%u",
		 (unsigned)st.st_mode, major(st.st_rdev), minor(st.st_rdev));
}

NS_TC(masked__file, "a masked file reads empty and is c 1:3", masked_file,
      NULL)

static void masked_dir(void *arg)
{
	(void)arg;
	setup_masked();
	NS_CHECK(!ns_dir_has_entries("/etc/masked-dir"),
		 "/etc/masked-dir: expected an empty directory, got entries");
	ns_check_mount(&(struct mount_expect){ "/etc/masked-dir", "tmpfs",
					       "ro", "rw", NULL });
	check_create("/etc/masked-dir/created", false);
}

NS_TC(masked__dir, "a masked directory is an empty read-only tmpfs",
      masked_dir, NULL)

static void readonly_path(void *arg)
{
	(void)arg;
	setup_masked();
	ns_check_mount(&(struct mount_expect){ "/etc/ro-dir", NULL, "ro", "rw",
					       NULL });
	check_create("/etc/ro-dir/created", false);
	check_create("/etc/created", true);
}

NS_TC(readonly_paths__erofs, "a read-only path gives EROFS while its "
      "parent stays writable", readonly_path, NULL)

/* ------------------------------------------------------------------ */
/* Mounts inside /proc                                                  */

static int mount_over_proc(const char *rootfs, const char *source,
			   const char *destination, struct mntns_error *err)
{
	static const char *const proc_only[] = { "/proc", NULL };
	struct mntns_mount_entry entries[NS_MAX_SYSTEM_MOUNTS];
	struct mntns_mount_entry entry = {
		.source = source,
		.destination = destination,
		.type = "bind",
		.flags = MNTNS_ENTRY_BIND,
	};
	struct mntns_spec spec;
	int rc;

	ns_spec_init(&spec, rootfs);
	spec.mounts = entries;
	spec.mounts_count = ns_system_mounts(entries, false, proc_only);
	rc = mntns_setup(&spec, err);
	NS_REQUIRE_OK("mntns_setup", rc, err);
	return mntns_mount_entry(&entry, rootfs, NULL, err);
}

static void proc_meminfo_allowed(void *arg)
{
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	char source[PATH_MAX];
	char path[PATH_MAX];
	char content[64];
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_work_path(source, sizeof(source), "meminfo");
	ns_write_file(source, "MemTotal: 1 kB\n");
	rc = mount_over_proc(rootfs, source, "/proc/meminfo", &err);
	NS_REQUIRE_OK("mntns_mount_entry over /proc/meminfo", rc, &err);
	ns_rootfs_path(path, sizeof(path), rootfs, "/proc/meminfo");
	ns_read_file(path, content, sizeof(content));
	NS_CHECK(strcmp(content, "MemTotal: 1 kB\n") == 0,
		 "%s: expected the bound file, got \"%.40s\"", path, content);
}

NS_TC(proc__meminfo_allowed, "a bind over /proc/meminfo, as lxcfs makes, "
      "is allowed", proc_meminfo_allowed, NULL)

static void proc_sys_rejected(void *arg)
{
	struct mntns_error err = { 0 };
	struct libmnt_table *table;
	char rootfs[PATH_MAX];
	char source[PATH_MAX];
	char path[PATH_MAX];
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_work_path(source, sizeof(source), "bind-source");
	ns_mkdir(source, 0755);
	rc = mount_over_proc(rootfs, source, "/proc/sys", &err);
	NS_CHECK(rc < 0, "mntns_mount_entry over /proc/sys: expected an "
		 "error, got 0");
	NS_CHECK(rc >= 0 || strstr(err.path, "/proc/sys") != NULL,
		 "error path: expected it to name /proc/sys, got \"%s\" (%s)",
		 err.path, err.message);
	ns_rootfs_path(path, sizeof(path), rootfs, "/proc/sys");
	table = ns_mountinfo();
	NS_CHECK(ns_find_mount(table, path) == NULL,
		 "%s: expected no mount, found one", path);
	mnt_unref_table(table);
}

NS_TC(proc__sys_rejected, "a bind over /proc/sys is rejected",
      proc_sys_rejected, NULL)

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, bind__ro_keeps_flags);
	ATF_TP_ADD_TC(tp, bind__ro_top_only);
	ATF_TP_ADD_TC(tp, bind__rro_submounts);
	ATF_TP_ADD_TC(tp, bind__file_creates_file);
	ATF_TP_ADD_TC(tp, fallback__bind_file);
	ATF_TP_ADD_TC(tp, propagation__inherited);
	ATF_TP_ADD_TC(tp, propagation__slave);
	ATF_TP_ADD_TC(tp, propagation__private);
	ATF_TP_ADD_TC(tp, mount__slave);
	ATF_TP_ADD_TC(tp, mount__private);
	ATF_TP_ADD_TC(tp, mount__bind_readonly);
	ATF_TP_ADD_TC(tp, mount__tmpfs_flags);
	ATF_TP_ADD_TC(tp, tmpfs__mode_size);
	ATF_TP_ADD_TC(tp, masked__file);
	ATF_TP_ADD_TC(tp, masked__dir);
	ATF_TP_ADD_TC(tp, readonly_paths__erofs);
	ATF_TP_ADD_TC(tp, proc__meminfo_allowed);
	ATF_TP_ADD_TC(tp, proc__sys_rejected);
	return atf_no_error();
}
