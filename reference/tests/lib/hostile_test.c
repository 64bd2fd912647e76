/*
 * Hostile rootfs layouts: symlinks that point out of the rootfs, files
 * where directories are expected, and a fake /dev/null or /dev/console.
 * Each case must fail with an error that names the path, or stay inside
 * the rootfs.  Either way the host side (./outside and the host's /etc)
 * must be left as it was.  Each layout also runs with openat2 failing
 * ENOSYS, which forces the library's O_NOFOLLOW walk.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "helpers.h"

/* A name no host /etc has, so finding it there means a write escaped. */
#define ESCAPE_NAME "mntns-test-escape"
#define HOST_FILE_TEXT "host file\n"

struct hostile {
	bool fallback;
	/* Child-side state, set by prepare(). */
	char rootfs[PATH_MAX];
	char outside[PATH_MAX];
	struct libmnt_table *before;
};

/* Builds the rootfs and ./outside with one host file in it, then forces
 * the fallback when asked and records the mount table. */
static void prepare(struct hostile *h)
{
	char path[PATH_MAX];

	ns_make_rootfs(h->rootfs, sizeof(h->rootfs));
	ns_make_outside(h->outside, sizeof(h->outside));
	ns_format(path, sizeof(path), "%s/host-file", h->outside);
	ns_write_file(path, HOST_FILE_TEXT);
	if (h->fallback)
		ns_force_openat2_fallback();
	h->before = ns_mountinfo();
}

static void inner_path(const struct hostile *h, char *buf, size_t size,
		       const char *inner)
{
	ns_rootfs_path(buf, size, h->rootfs, inner);
}

static void replace_with_symlink(const struct hostile *h, const char *inner,
				 const char *target)
{
	char path[PATH_MAX];

	inner_path(h, path, sizeof(path), inner);
	NS_REQUIRE(rmdir(path) == 0 || errno == ENOENT, "rmdir %s: %s", path,
		   strerror(errno));
	ns_symlink(target, path);
}

/* Checks that a failed call named a path containing name.  With
 * accept_success, rc 0 passes too, and the caller checks where it went. */
static void check_failed(int rc, const struct mntns_error *err,
			 const char *name, bool accept_success)
{
	if (rc == 0) {
		NS_CHECK(accept_success, "expected an error about %s, got 0",
			 name);
		return;
	}
	NS_CHECK(rc < 0 && err->errnum == -rc,
		 "expected a negative errno mirrored in err.errnum, got rc %d "
		 "and errnum %d", rc, err->errnum);
	NS_CHECK(strstr(err->path, name) != NULL,
		 "error path: expected it to name %s, got \"%s\" (message "
		 "\"%s\")", name, err->path, err->message);
	NS_CHECK(err->message[0] != '\0' && err->operation[0] != '\0',
		 "error: expected an operation and a message, got \"%s\" and "
		 "\"%s\"", err->operation, err->message);
}

static void finish(struct hostile *h)
{
	ns_check_mounts_inside(h->before, h->rootfs);
	mnt_unref_table(h->before);
}

/* Runs the whole setup on h->rootfs with the given system mounts and
 * default devices. */
static int setup_system(struct hostile *h, const char *const *destinations,
			struct mntns_error *err)
{
	static struct mntns_mount_entry entries[NS_MAX_SYSTEM_MOUNTS];
	struct mntns_spec spec;

	ns_spec_init(&spec, h->rootfs);
	spec.mounts = entries;
	spec.mounts_count = ns_system_mounts(entries, false, destinations);
	spec.devices = mntns_default_devices;
	spec.devices_count = mntns_default_devices_count;
	return mntns_setup(&spec, err);
}

/* Whether a new mount sits at rootfs + inner. */
static bool mounted_at(const struct hostile *h, const char *inner)
{
	struct libmnt_table *table = ns_mountinfo();
	struct libmnt_fs *fs;
	char path[PATH_MAX];
	bool found;

	inner_path(h, path, sizeof(path), inner);
	fs = ns_find_mount(table, path);
	found = fs != NULL && mnt_table_find_target(h->before, path,
						    MNT_ITER_BACKWARD) == NULL;
	mnt_unref_table(table);
	return found;
}

/* ------------------------------------------------------------------ */
/* The layouts                                                          */

static void proc_symlink_to_root(struct hostile *h)
{
	struct mntns_error err = { 0 };
	int rc;

	replace_with_symlink(h, "/proc", "/");
	rc = setup_system(h, NULL, &err);
	check_failed(rc, &err, "/proc", false);
}

static void dev_symlink_outside(struct hostile *h)
{
	struct mntns_error err = { 0 };
	int rc;

	replace_with_symlink(h, "/dev", h->outside);
	rc = setup_system(h, NULL, &err);
	check_failed(rc, &err, "/dev", false);
}

static void proc_is_file(struct hostile *h)
{
	struct mntns_error err = { 0 };
	char path[PATH_MAX];
	int rc;

	inner_path(h, path, sizeof(path), "/proc");
	NS_REQUIRE(rmdir(path) == 0, "rmdir %s: %s", path, strerror(errno));
	ns_write_file(path, "not a directory\n");
	rc = setup_system(h, NULL, &err);
	check_failed(rc, &err, "/proc", false);
}

static int bind_source(struct hostile *h, const char *source_name,
		       bool directory, const char *destination,
		       struct mntns_error *err)
{
	struct mntns_mount_entry entry = {
		.type = "bind",
		.destination = destination,
		.flags = MNTNS_ENTRY_BIND,
	};
	char source[PATH_MAX];

	ns_work_path(source, sizeof(source), source_name);
	if (directory)
		ns_mkdir(source, 0755);
	else
		ns_write_file(source, "bind source\n");
	entry.source = source;
	return mntns_mount_entry(&entry, h->rootfs, NULL, err);
}

/* /evil -> /etc: a mount on /evil must land on the rootfs's /etc. */
static void dest_symlink_to_etc(struct hostile *h)
{
	struct mntns_error err = { 0 };
	int rc;

	replace_with_symlink(h, "/evil", "/etc");
	rc = bind_source(h, "bind-source", true, "/evil", &err);
	check_failed(rc, &err, "/evil", true);
	if (rc == 0)
		NS_CHECK(mounted_at(h, "/etc"), "expected the bind on the "
			 "rootfs's /etc, found no mount there");
}

/* /evil -> /etc, and the destination below it must not be created in the
 * host's /etc. */
static void dest_below_symlink_to_etc(struct hostile *h)
{
	struct mntns_error err = { 0 };
	struct stat st;
	int rc;

	replace_with_symlink(h, "/evil", "/etc");
	rc = bind_source(h, "bind-file", false, "/evil/" ESCAPE_NAME, &err);
	check_failed(rc, &err, "/evil", true);
	if (rc == 0)
		NS_CHECK(mounted_at(h, "/etc/" ESCAPE_NAME), "expected the "
			 "bind on the rootfs's /etc/" ESCAPE_NAME ", found no "
			 "mount there");
	NS_CHECK(lstat("/etc/" ESCAPE_NAME, &st) < 0 && errno == ENOENT,
		 "/etc/" ESCAPE_NAME ": expected the host's /etc untouched, "
		 "got an entry");
}

/* /dangling -> <outside>/created: the destination must not be created on
 * the host side. */
static void dangling_dest(struct hostile *h)
{
	struct mntns_error err = { 0 };
	char target[PATH_MAX];
	int rc;

	ns_format(target, sizeof(target), "%s/created", h->outside);
	replace_with_symlink(h, "/dangling", target);
	rc = bind_source(h, "bind-file", false, "/dangling", &err);
	check_failed(rc, &err, "/dangling", true);
	NS_CHECK(access(target, F_OK) < 0, "%s: expected no file on the host "
		 "side, got one", target);
}

static void dest_file_for_dir(struct hostile *h)
{
	struct mntns_error err = { 0 };
	char path[PATH_MAX];
	int rc;

	inner_path(h, path, sizeof(path), "/mnt/file");
	ns_write_file(path, "a file\n");
	rc = bind_source(h, "bind-source", true, "/mnt/file", &err);
	check_failed(rc, &err, "/mnt/file", false);
}

/* Pivots with a /dev that is a plain directory holding the given
 * /dev/null, and /etc/masked-file to mask. */
static int setup_with_devnull(struct hostile *h, bool reopen,
			      struct mntns_error *err)
{
	static const char *const proc_and_sys[] = { "/proc", "/sys", NULL };
	static const char *const masked[] = { "/etc/masked-file" };
	static struct mntns_mount_entry entries[NS_MAX_SYSTEM_MOUNTS];
	struct mntns_spec spec;
	char path[PATH_MAX];

	/* Past the pivot the mountinfo paths are relative to the new root,
	 * so the mount table check does not apply.  The parent still checks
	 * the host side. */
	mnt_unref_table(h->before);
	h->before = NULL;
	inner_path(h, path, sizeof(path), "/etc/masked-file");
	ns_write_file(path, "secret\n");
	ns_spec_init(&spec, h->rootfs);
	spec.root_switch = MNTNS_ROOT_PIVOT;
	spec.mounts = entries;
	spec.mounts_count = ns_system_mounts(entries, false, proc_and_sys);
	if (reopen) {
		spec.reopen_devnull = true;
	} else {
		spec.masked_paths = masked;
		spec.masked_paths_count = 1;
	}
	return mntns_setup(&spec, err);
}

static void devnull_regular_file(struct hostile *h)
{
	struct mntns_error err = { 0 };
	char path[PATH_MAX];
	int rc;

	inner_path(h, path, sizeof(path), "/dev/null");
	ns_write_file(path, "not a device\n");
	rc = setup_with_devnull(h, false, &err);
	check_failed(rc, &err, "/dev/null", false);
}

static void devnull_symlink(struct hostile *h)
{
	struct mntns_error err = { 0 };
	char path[PATH_MAX];
	char target[PATH_MAX];
	int rc;

	inner_path(h, path, sizeof(path), "/dev/null");
	ns_format(target, sizeof(target), "%s/host-file", h->outside);
	ns_symlink(target, path);
	rc = setup_with_devnull(h, false, &err);
	check_failed(rc, &err, "/dev/null", false);
}

static void devnull_reopen_file(struct hostile *h)
{
	struct mntns_error err = { 0 };
	char path[PATH_MAX];
	struct stat st;
	int fd;
	int rc;

	inner_path(h, path, sizeof(path), "/dev/null");
	ns_write_file(path, "not a device\n");
	fd = open("/dev/null", O_RDONLY);
	NS_REQUIRE(fd >= 0 && dup2(fd, 0) == 0, "open /dev/null as stdin: %s",
		   strerror(errno));
	close(fd);
	rc = setup_with_devnull(h, true, &err);
	check_failed(rc, &err, "/dev/null", true);
	NS_REQUIRE(fstat(0, &st) == 0, "fstat 0: %s", strerror(errno));
	NS_CHECK(S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3),
		 "fd 0: expected it still on a c 1:3 node, got mode 0%o",
		 (unsigned)st.st_mode);
}

static void console_symlink(struct hostile *h)
{
	struct mntns_error err = { 0 };
	struct mntns_spec spec;
	char console[PATH_MAX];
	char target[PATH_MAX];
	char slave[PATH_MAX];
	struct stat pty_st;
	struct stat st;
	int master;
	int rc;

	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	NS_REQUIRE(master >= 0 && grantpt(master) == 0 &&
			   unlockpt(master) == 0 &&
			   ptsname_r(master, slave, sizeof(slave)) == 0,
		   "open a pty: %s", strerror(errno));
	NS_REQUIRE(stat(slave, &pty_st) == 0, "stat %s: %s", slave,
		   strerror(errno));
	inner_path(h, console, sizeof(console), "/dev/console");
	ns_format(target, sizeof(target), "%s/console-target", h->outside);
	ns_symlink(target, console);

	ns_spec_init(&spec, h->rootfs);
	spec.console_mode = MNTNS_CONSOLE_BIND;
	spec.console_path = slave;
	rc = mntns_setup(&spec, &err);
	check_failed(rc, &err, "/dev/console", true);
	if (rc == 0) {
		NS_REQUIRE(lstat(console, &st) == 0, "lstat %s: %s", console,
			   strerror(errno));
		NS_CHECK(S_ISCHR(st.st_mode) && st.st_rdev == pty_st.st_rdev,
			 "%s: expected the pty %s, got mode 0%o", console,
			 slave, (unsigned)st.st_mode);
	}
	NS_CHECK(access(target, F_OK) < 0, "%s: expected no file on the host "
		 "side, got one", target);
	close(master);
}

/* ------------------------------------------------------------------ */
/* Test cases                                                           */

struct layout {
	void (*run)(struct hostile *h);
	bool fallback;
};

static void run_layout(void *arg)
{
	const struct layout *layout = arg;
	struct hostile h = { .fallback = layout->fallback };

	prepare(&h);
	layout->run(&h);
	if (h.before != NULL)
		finish(&h);
}

/* Parent side: the host files that the child could have reached. */
static void check_host_untouched(void)
{
	struct dirent *entry;
	char text[64] = "";
	DIR *dir;
	FILE *file;

	if (unlink("/etc/" ESCAPE_NAME) == 0 ||
	    rmdir("/etc/" ESCAPE_NAME) == 0)
		atf_tc_fail_nonfatal("/etc/" ESCAPE_NAME ": expected the "
				     "host's /etc untouched, found the entry "
				     "(now removed)");
	dir = opendir(OUTSIDE_DIR);
	if (dir == NULL)
		return;
	while ((entry = readdir(dir)) != NULL) {
		ATF_CHECK_MSG(strcmp(entry->d_name, ".") == 0 ||
				      strcmp(entry->d_name, "..") == 0 ||
				      strcmp(entry->d_name, "host-file") == 0,
			      OUTSIDE_DIR "/%s: expected only host-file on the "
			      "host side, got a new entry", entry->d_name);
	}
	closedir(dir);
	file = fopen(OUTSIDE_DIR "/host-file", "r");
	ATF_REQUIRE_MSG(file != NULL, OUTSIDE_DIR "/host-file: %s",
			strerror(errno));
	if (fgets(text, sizeof(text), file) == NULL)
		text[0] = '\0';
	fclose(file);
	ATF_CHECK_MSG(strcmp(text, HOST_FILE_TEXT) == 0, OUTSIDE_DIR
		      "/host-file: expected \"host file\\n\", got \"%s\"",
		      text);
}

#define HOSTILE_TC(name, description, function, use_fallback)              \
	static const struct layout name##_layout = { function,             \
						     use_fallback };       \
	NS_TC_AROUND(name, description, (void)0, run_layout,               \
		     (void *)&name##_layout, check_host_untouched())

#define HOSTILE_PAIR(name, description, function)                          \
	HOSTILE_TC(hostile__##name, description, function, false)          \
	HOSTILE_TC(fallback__##name, description " (openat2 fallback)",    \
		   function, true)

HOSTILE_PAIR(proc_symlink_to_root, "/proc -> / is rejected",
	     proc_symlink_to_root)
HOSTILE_PAIR(dev_symlink_outside, "/dev -> a host directory is rejected",
	     dev_symlink_outside)
HOSTILE_PAIR(proc_is_file, "a regular file at /proc is rejected",
	     proc_is_file)
HOSTILE_PAIR(dest_symlink_to_etc, "a bind on /evil -> /etc lands on the "
	     "rootfs's /etc or fails", dest_symlink_to_etc)
HOSTILE_PAIR(dest_below_symlink_to_etc, "a bind on /evil/x with /evil -> "
	     "/etc never creates x in the host's /etc",
	     dest_below_symlink_to_etc)
HOSTILE_PAIR(dangling_dest, "a bind on a dangling symlink to the host side "
	     "creates nothing there", dangling_dest)
HOSTILE_PAIR(dest_file_for_dir, "a directory bind onto a regular file is "
	     "rejected", dest_file_for_dir)
HOSTILE_PAIR(devnull_regular_file, "masking with a regular file at "
	     "/dev/null is rejected", devnull_regular_file)
HOSTILE_PAIR(devnull_symlink, "masking with /dev/null -> a host file is "
	     "rejected", devnull_symlink)
HOSTILE_PAIR(devnull_reopen_file, "stdin is never reopened on a /dev/null "
	     "that is a regular file", devnull_reopen_file)
HOSTILE_PAIR(console_symlink, "a /dev/console symlink to the host side is "
	     "not followed", console_symlink)

#define ADD_PAIR(tp, name)                                                 \
	do {                                                               \
		ATF_TP_ADD_TC(tp, hostile__##name);                        \
		ATF_TP_ADD_TC(tp, fallback__##name);                       \
	} while (0)

ATF_TP_ADD_TCS(tp)
{
	ADD_PAIR(tp, proc_symlink_to_root);
	ADD_PAIR(tp, dev_symlink_outside);
	ADD_PAIR(tp, proc_is_file);
	ADD_PAIR(tp, dest_symlink_to_etc);
	ADD_PAIR(tp, dest_below_symlink_to_etc);
	ADD_PAIR(tp, dangling_dest);
	ADD_PAIR(tp, dest_file_for_dir);
	ADD_PAIR(tp, devnull_regular_file);
	ADD_PAIR(tp, devnull_symlink);
	ADD_PAIR(tp, devnull_reopen_file);
	ADD_PAIR(tp, console_symlink);
	return atf_no_error();
}
