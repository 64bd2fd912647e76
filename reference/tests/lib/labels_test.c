/*
 * SELinux labels with SELinux enabled: context= on the labelled mounts,
 * the file label of the console and the z/Z relabel of bind sources.
 *
 * These cases need a kernel with SELinux enabled and a loaded policy, so
 * only Kyuafile.selinux lists this program, and vm/selinux_test runs it in
 * a guest that "vm/run -s" boots in permissive mode.  The host's Kyuafile
 * leaves it out.  The behaviour with SELinux disabled is checked on the
 * host, in mounts_test and errors_test.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <selinux/selinux.h>

#include "helpers.h"

/* An MCS level with a comma, which makes the quoting of context=
 * necessary. */
#define TEST_LEVEL "s0:c1,c2"

/* The level that "z" gives a relabelled tree, so that every container can
 * read it. */
#define SHARED_LEVEL "s0"

/* File types tried for the test label, in this order: container_file_t of
 * the containers/container-selinux policy, svirt_sandbox_file_t (an older
 * name of it), and tmp_t of the reference policy.  Debian 12's
 * selinux-policy-default 2:2.20221101-9 has only tmp_t (seinfo -t). */
static const char *const label_types[] = {
	"container_file_t",
	"svirt_sandbox_file_t",
	"tmp_t",
};

#define LABEL_SIZE 256

/* The label under test: user, role, type and level, plus the shared form
 * of it that "z" writes. */
struct test_label {
	char label[LABEL_SIZE];
	char shared[LABEL_SIZE];
};

static bool ci_requires_features(void)
{
	const char *ci = getenv("CI");

	return ci != NULL && strcmp(ci, "true") == 0;
}

/* The label of the running case, chosen in the parent before the fork. */
static struct test_label test;

/* Fails or skips the case in the parent when SELinux is disabled, else
 * picks the first label type that the loaded policy accepts. */
static void require_test_label(void)
{

	if (is_selinux_enabled() <= 0) {
		if (ci_requires_features())
			atf_tc_fail("SELinux is disabled, and CI=true makes "
				    "this a failure: run in the VM "
				    "(vm/run -s)");
		atf_tc_skip("SELinux is disabled: run in the VM (vm/run -s)");
	}
	for (size_t i = 0; i < sizeof(label_types) / sizeof(*label_types);
	     i++) {
		snprintf(test.label, sizeof(test.label),
			 "system_u:object_r:%s:" TEST_LEVEL, label_types[i]);
		snprintf(test.shared, sizeof(test.shared),
			 "system_u:object_r:%s:" SHARED_LEVEL, label_types[i]);
		if (security_check_context(test.label) == 0) {
			printf("mount label: %s\n", test.label);
			return;
		}
	}
	atf_tc_fail("no test label is valid in the loaded policy: tried "
		    "the types container_file_t, svirt_sandbox_file_t and "
		    "tmp_t at level " TEST_LEVEL "; load a policy that has "
		    "one of them (load_policy)");
}

/* Declares a case whose body runs fn(arg) through ns_run() once the test
 * label is chosen. */
#define LABEL_TC(name, description, fn, arg)                               \
	NS_TC_AROUND(name, description, require_test_label(), fn, arg,    \
		     (void)0)

/* ------------------------------------------------------------------ */
/* Checks                                                               */

/* Checks that the label of path equals expected, or differs from it when
 * equal is false.  A symlink at the end of path is not followed. */
static void check_file_label(const char *path, const char *expected,
			     bool equal)
{
	char *label = NULL;
	bool same;

	NS_REQUIRE(lgetfilecon(path, &label) >= 0, "lgetfilecon %s: %s",
		   path, strerror(errno));
	same = strcmp(label, expected) == 0;
	if (equal)
		NS_CHECK(same, "%s: expected label %s, got %s", path,
			 expected, label);
	else
		NS_CHECK(!same, "%s: expected a label other than %s, got it",
			 path, expected);
	freecon(label);
}

/* Checks the context= option of the top mount at target: the label in
 * double quotes when label is not NULL, absent when it is. */
static void check_context_option(const char *target, const char *label)
{
	struct libmnt_table *table = ns_mountinfo();
	struct libmnt_fs *fs = ns_find_mount(table, target);
	char expected[LABEL_SIZE + 2];
	char row[8192];
	char *value = NULL;
	size_t size = 0;
	int found;

	NS_REQUIRE(fs != NULL, "%s: expected a mount, found none", target);
	found = mnt_optstr_get_option(mnt_fs_get_fs_options(fs), "context",
				      &value, &size);
	ns_mount_row(fs, row, sizeof(row));
	if (label == NULL) {
		NS_CHECK(found != 0, "%s: expected no context=, got one\n"
			 "  mountinfo: %s", target, row);
	} else {
		ns_format(expected, sizeof(expected), "\"%s\"", label);
		NS_CHECK(found == 0, "%s: expected context=%s, got none\n"
			 "  mountinfo: %s", target, expected, row);
		NS_CHECK(found != 0 || (size == strlen(expected) &&
					strncmp(value, expected, size) == 0),
			 "%s: expected context=%s, got context=%.*s\n"
			 "  mountinfo: %s", target, expected, (int)size,
			 value ? value : "", row);
	}
	mnt_unref_table(table);
}

/* ------------------------------------------------------------------ */
/* System mounts                                                        */

static const char *const system_destinations[] = {
	"/proc", "/dev", "/dev/shm", "/dev/mqueue", "/dev/pts", "/sys",
};

/* The 2015 setup labels these three and no other system mount. */
static bool label_expected(const char *destination)
{
	return strcmp(destination, "/dev") == 0 ||
	       strcmp(destination, "/dev/shm") == 0 ||
	       strcmp(destination, "/dev/pts") == 0;
}

static void setup_system_mounts(const char *rootfs, const char *label)
{
	struct mntns_spec spec;

	ns_spec_init(&spec, rootfs);
	spec.mount_label = label;
	ns_setup_system_mounts(&spec, false, NULL);
}

/* Checks the mount of one system destination.  labelled is true when the
 * 2015 setup labels it. */
typedef void (*system_mount_check)(const char *target, bool labelled);

/* Mounts every system mount with the test label and checks each. */
static void check_each_system_mount(system_mount_check check)
{
	char rootfs[PATH_MAX];
	char target[PATH_MAX];

	ns_make_rootfs(rootfs, sizeof(rootfs));
	setup_system_mounts(rootfs, test.label);
	for (size_t i = 0; i < sizeof(system_destinations) /
				       sizeof(*system_destinations);
	     i++) {
		const char *destination = system_destinations[i];

		ns_rootfs_path(target, sizeof(target), rootfs, destination);
		check(target, label_expected(destination));
	}
}

static void check_context(const char *target, bool labelled)
{
	check_context_option(target, labelled ? test.label : NULL);
}

static void system_mounts_context(void *arg)
{
	(void)arg;
	check_each_system_mount(check_context);
}

LABEL_TC(labels__system_mounts_context, "with a mount label, context= "
	 "with the quoted label is on /dev, /dev/shm and /dev/pts only",
	 system_mounts_context, NULL)

static void check_root_label(const char *target, bool labelled)
{
	check_file_label(target, test.label, labelled);
}

static void system_mounts_root_label(void *arg)
{
	(void)arg;
	check_each_system_mount(check_root_label);
}

LABEL_TC(labels__system_mounts_root_label, "with a mount label, the roots "
	 "of /dev, /dev/shm and /dev/pts have that label and the other "
	 "system mounts do not", system_mounts_root_label, NULL)

/* After the pivot, "/dev" is the container's /dev. */
static void initialize_label(void *arg)
{
	(void)arg;
	struct mntns_config config = { 0 };
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	int rc;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	config.mount_label = test.label;
	rc = mntns_initialize(rootfs, NULL, false, &config, &err);
	NS_REQUIRE_OK("mntns_initialize", rc, &err);
	check_context_option("/dev", test.label);
	check_file_label("/dev", test.label, true);
	check_file_label("/dev/null", test.label, true);
	check_file_label("/proc", test.label, false);
}

LABEL_TC(labels__initialize_config_label, "mntns_initialize labels /dev "
	 "and the device nodes in it with config.mount_label",
	 initialize_label, NULL)

/* ------------------------------------------------------------------ */
/* User mounts                                                          */

static void tmpfs_mount_label(void *arg)
{
	(void)arg;
	struct mntns_mount mount = {
		.type = "tmpfs",
		.source = "tmpfs",
		.destination = "/mnt/tmpfs",
		.writable = true,
	};
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	char target[PATH_MAX];
	char file[PATH_MAX];
	int rc;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	rc = mntns_mount(&mount, rootfs, test.label, &err);
	NS_REQUIRE_OK("mntns_mount tmpfs", rc, &err);

	ns_rootfs_path(target, sizeof(target), rootfs, mount.destination);
	check_context_option(target, test.label);
	check_file_label(target, test.label, true);
	/* context= labels every inode of the mount, new ones too. */
	ns_format(file, sizeof(file), "%s/new-file", target);
	ns_write_file(file, "written after the mount\n");
	check_file_label(file, test.label, true);
}

LABEL_TC(labels__tmpfs_mount, "a tmpfs user mount gets context= with the "
	 "mount label, and its files get that label", tmpfs_mount_label, NULL)

static void entry_without_label_flag(void *arg)
{
	(void)arg;
	struct mntns_mount_entry entry = {
		.source = "tmpfs",
		.destination = "/mnt/plain",
		.type = "tmpfs",
	};
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	char target[PATH_MAX];
	int rc;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	rc = mntns_mount_entry(&entry, rootfs, test.label, &err);
	NS_REQUIRE_OK("mntns_mount_entry tmpfs", rc, &err);

	ns_rootfs_path(target, sizeof(target), rootfs, entry.destination);
	check_context_option(target, NULL);
	check_file_label(target, test.label, false);
}

LABEL_TC(labels__entry_without_label_flag, "a mount entry without "
	 "MNTNS_ENTRY_LABEL gets no context= even with a mount label",
	 entry_without_label_flag, NULL)

/* ------------------------------------------------------------------ */
/* Console                                                              */

static void console_label(void *arg)
{
	(void)arg;
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	char console[PATH_MAX];
	char slave[PATH_MAX];
	int master;
	int rc;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	master = ns_open_pty(slave, sizeof(slave));
	/* A new pty has the devpts label, so the check below can fail. */
	check_file_label(slave, test.label, false);

	rc = mntns_setup_ptmx(rootfs, slave, test.label, &err);
	NS_REQUIRE_OK("mntns_setup_ptmx", rc, &err);
	check_file_label(slave, test.label, true);
	ns_rootfs_path(console, sizeof(console), rootfs, "/dev/console");
	check_file_label(console, test.label, true);
	close(master);
}

LABEL_TC(labels__console_pty, "mntns_setup_ptmx gives the console pty the "
	 "mount label as its file label, as /dev/console shows it",
	 console_label, NULL)

/* ------------------------------------------------------------------ */
/* Relabelling of bind sources                                          */

/* Paths of a bind source tree, relative to its top.  The symlink's target
 * is a file of the tree. */
static const char *const tree_paths[] = {
	"", "/file", "/sub", "/sub/deep-file", "/link",
};

/* Builds the tree at path (an absolute path in the work directory). */
static void make_tree(const char *path)
{
	char sub[PATH_MAX];

	ns_mkdir(path, 0755);
	ns_format(sub, sizeof(sub), "%s/file", path);
	ns_write_file(sub, "file\n");
	ns_format(sub, sizeof(sub), "%s/sub", path);
	ns_mkdir(sub, 0755);
	ns_format(sub, sizeof(sub), "%s/sub/deep-file", path);
	ns_write_file(sub, "deep file\n");
	ns_format(sub, sizeof(sub), "%s/link", path);
	ns_symlink("file", sub);
}

static void check_tree_label(const char *path, const char *expected,
			     bool equal)
{
	char entry[PATH_MAX];

	for (size_t i = 0; i < sizeof(tree_paths) / sizeof(*tree_paths);
	     i++) {
		ns_format(entry, sizeof(entry), "%s%s", path, tree_paths[i]);
		check_file_label(entry, expected, equal);
	}
}

struct relabel_case {
	const char *relabel;
	bool shared; /* expects the shared label, as "z" gives */
};

static void relabel_source(void *arg)
{
	const struct relabel_case *c = arg;
	const char *expected = c->shared ? test.shared : test.label;
	struct mntns_error err = { 0 };
	char source[PATH_MAX];
	char target[PATH_MAX];
	int rc;

	ns_work_path(source, sizeof(source), "source");
	make_tree(source);
	check_tree_label(source, expected, false);

	rc = ns_bind_relabel(source, c->relabel, test.label, target,
			  sizeof(target), &err);
	NS_REQUIRE_OK("mntns_mount bind with relabel", rc, &err);
	check_tree_label(source, expected, true);
	check_file_label(target, expected, true);
}

static const struct relabel_case shared_case = { "z", true };
static const struct relabel_case private_case = { "Z", false };

LABEL_TC(relabel__shared_recursive, "relabel \"z\" gives the bind source "
	 "and everything in it the mount label at level " SHARED_LEVEL,
	 relabel_source, (void *)&shared_case)
LABEL_TC(relabel__private_recursive, "relabel \"Z\" gives the bind source "
	 "and everything in it the mount label", relabel_source,
	 (void *)&private_case)

/* The bind mounts what the symlink points at, so that is what must get
 * the label. */
static void relabel_symlink_source(void *arg)
{
	struct mntns_error err = { 0 };
	char source[PATH_MAX];
	char link[PATH_MAX];
	char target[PATH_MAX];
	int rc;

	(void)arg;
	ns_work_path(source, sizeof(source), "source");
	make_tree(source);
	ns_work_path(link, sizeof(link), "source-link");
	ns_symlink(source, link);

	rc = ns_bind_relabel(link, "Z", test.label, target, sizeof(target),
			  &err);
	NS_REQUIRE_OK("mntns_mount bind with relabel", rc, &err);
	check_tree_label(source, test.label, true);
	check_file_label(link, test.label, false);
}

LABEL_TC(relabel__symlink_source, "a relabelled bind source given as a "
	 "symlink labels the directory it points at",
	 relabel_symlink_source, NULL)

/* Checks that a relabel of path fails with EINVAL and writes no label.
 * The callers trap label writes, so a wrong relabel cannot reach the
 * guest's system directories. */
static void check_relabel_rejected(const char *path, const char *relabel)
{
	struct mntns_error err = { 0 };
	char target[PATH_MAX];
	long calls = ns_xattr_write_calls();
	int rc;

	rc = ns_bind_relabel(path, relabel, test.label, target, sizeof(target),
			  &err);
	NS_CHECK(rc == -EINVAL, "relabel %s of %s: expected %d (EINVAL), got "
		 "%d (%s)", relabel, path, -EINVAL, rc, err.message);
	NS_CHECK(strcmp(err.path, path) == 0, "relabel %s of %s: expected "
		 "err.path %s, got \"%s\"", relabel, path, path, err.path);
	NS_CHECK(ns_xattr_write_calls() == calls, "relabel %s of %s: "
		 "expected no label written, got %ld xattr calls", relabel,
		 path, ns_xattr_write_calls() - calls);
}

static void relabel_system_dirs(void *arg)
{
	static const char *const paths[] = {
		"/", "/usr", "/usr/share", "/etc", "/var", "/home", "/root",
		"/tmp", "/run", "/dev", "/proc", "/sys", "/usr/../etc/",
	};

	(void)arg;
	ns_trap_xattr_writes();
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		check_relabel_rejected(paths[i], "z");
		check_relabel_rejected(paths[i], "Z");
	}
}

LABEL_TC(relabel__system_dirs_rejected, "with SELinux enabled, relabelling "
	 "/, /usr and below, /etc and the other system directories fails "
	 "with EINVAL and writes no label", relabel_system_dirs, NULL)

static void relabel_link_to_system_dir(void *arg)
{
	char link[PATH_MAX];

	(void)arg;
	ns_work_path(link, sizeof(link), "usr-link");
	ns_symlink("/usr", link);
	ns_trap_xattr_writes();
	check_relabel_rejected(link, "Z");
}

LABEL_TC(relabel__symlink_to_system_dir, "relabelling a symlink to /usr "
	 "fails with EINVAL like /usr itself", relabel_link_to_system_dir,
	 NULL)

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, labels__system_mounts_context);
	ATF_TP_ADD_TC(tp, labels__system_mounts_root_label);
	ATF_TP_ADD_TC(tp, labels__initialize_config_label);
	ATF_TP_ADD_TC(tp, labels__tmpfs_mount);
	ATF_TP_ADD_TC(tp, labels__entry_without_label_flag);
	ATF_TP_ADD_TC(tp, labels__console_pty);
	ATF_TP_ADD_TC(tp, relabel__shared_recursive);
	ATF_TP_ADD_TC(tp, relabel__private_recursive);
	ATF_TP_ADD_TC(tp, relabel__symlink_source);
	ATF_TP_ADD_TC(tp, relabel__system_dirs_rejected);
	ATF_TP_ADD_TC(tp, relabel__symlink_to_system_dir);
	return atf_no_error();
}
