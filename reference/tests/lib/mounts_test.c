/*
 * The 2015 system mounts: type, per-mount flags and superblock options of
 * each as /proc/self/mountinfo shows them, and their SELinux labels with
 * SELinux disabled.  labels_test checks the labels with SELinux enabled.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

/* An MCS label, with the comma that makes the quoting of context=
 * necessary. */
#define TEST_LABEL "system_u:object_r:container_file_t:s0:c1,c2"

struct system_mount_case {
	bool sys_readonly;
	struct mount_expect expect; /* target is relative to the rootfs */
	/* Mode of the mount's root directory, or 0 to skip the check.  tmpfs
	 * leaves its default mode=1777 out of mountinfo, so only stat(2)
	 * shows it. */
	mode_t root_mode;
};

/* Mounts every system mount on a scratch rootfs without a root switch. */
static void setup_system_mounts(const char *rootfs, bool sys_readonly,
				const char *mount_label)
{
	struct mntns_spec spec;

	ns_spec_init(&spec, rootfs);
	spec.mount_label = mount_label;
	ns_setup_system_mounts(&spec, sys_readonly, NULL);
}

static void check_system_mount(void *arg)
{
	const struct system_mount_case *c = arg;
	struct mount_expect expect = c->expect;
	char rootfs[PATH_MAX];
	char target[PATH_MAX];
	struct stat st;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	setup_system_mounts(rootfs, c->sys_readonly, NULL);
	ns_rootfs_path(target, sizeof(target), rootfs, c->expect.target);
	expect.target = target;
	if (!ns_check_mount(&expect) || c->root_mode == 0)
		return;
	NS_REQUIRE(stat(target, &st) == 0, "stat %s: %s", target,
		   strerror(errno));
	NS_CHECK((st.st_mode & 07777) == c->root_mode,
		 "%s: expected mode 0%o, got 0%o", target,
		 (unsigned)c->root_mode, (unsigned)(st.st_mode & 07777));
}

/* Without strictatime, mountinfo would show relatime. */
static const struct system_mount_case proc_case = {
	false, { "/proc", "proc", "rw,nosuid,nodev,noexec", NULL, "rw" }, 0,
};
static const struct system_mount_case dev_case = {
	false,
	{ "/dev", "tmpfs", "rw,nosuid", "nodev,noexec,relatime,noatime",
	  "mode=755" },
	0755,
};
static const struct system_mount_case dev_shm_case = {
	false,
	{ "/dev/shm", "tmpfs", "rw,nosuid,nodev,noexec", NULL,
	  "size=65536k" },
	01777,
};
static const struct system_mount_case dev_mqueue_case = {
	false,
	{ "/dev/mqueue", "mqueue", "rw,nosuid,nodev,noexec", NULL, "rw" },
	0,
};
static const struct system_mount_case dev_pts_case = {
	false,
	{ "/dev/pts", "devpts", "rw,nosuid,noexec", "nodev",
	  "gid=5,mode=620,ptmxmode=666" },
	0,
};
static const struct system_mount_case sys_case = {
	false, { "/sys", "sysfs", "rw,nosuid,nodev,noexec", "ro", NULL }, 0,
};
static const struct system_mount_case sys_readonly_case = {
	true, { "/sys", "sysfs", "ro,nosuid,nodev,noexec", "rw", NULL }, 0,
};

NS_TC(system_mounts__proc, "/proc is proc with nosuid,nodev,noexec",
      check_system_mount, (void *)&proc_case)
NS_TC(system_mounts__dev, "/dev is tmpfs with nosuid,strictatime,mode=755",
      check_system_mount, (void *)&dev_case)
NS_TC(system_mounts__dev_shm,
      "/dev/shm is tmpfs with nosuid,nodev,noexec,mode=1777,size=65536k",
      check_system_mount, (void *)&dev_shm_case)
NS_TC(system_mounts__dev_mqueue, "/dev/mqueue is mqueue with "
      "nosuid,nodev,noexec", check_system_mount, (void *)&dev_mqueue_case)
NS_TC(system_mounts__dev_pts, "/dev/pts is a devpts instance with "
      "nosuid,noexec,gid=5,mode=620,ptmxmode=666", check_system_mount,
      (void *)&dev_pts_case)
NS_TC(system_mounts__sys, "/sys is sysfs with nosuid,nodev,noexec, "
      "read-write without sys_readonly", check_system_mount,
      (void *)&sys_case)
NS_TC(system_mounts__sys_readonly_flag, "/sys is mounted ro with "
      "sys_readonly", check_system_mount, (void *)&sys_readonly_case)

/* Backs the ro flag of /sys with a write that fails. */
static void sys_readonly_erofs(void *arg)
{
	char rootfs[PATH_MAX];
	char sys[PATH_MAX];

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	setup_system_mounts(rootfs, true, NULL);
	ns_rootfs_path(sys, sizeof(sys), rootfs, "/sys/kernel");
	errno = 0;
	NS_CHECK(access(sys, W_OK) < 0 && errno == EROFS,
		 "access(%s, W_OK): expected EROFS, got %s", sys,
		 errno ? strerror(errno) : "success");
}

NS_TC(system_mounts__sys_readonly_erofs, "with sys_readonly, a write "
      "access under /sys fails with EROFS", sys_readonly_erofs, NULL)

/* ------------------------------------------------------------------ */
/* Labels                                                               */

static bool label_expected(const char *destination)
{
	return strcmp(destination, "/dev") == 0 ||
	       strcmp(destination, "/dev/shm") == 0 ||
	       strcmp(destination, "/dev/pts") == 0;
}

ATF_TC(labels__labelled_entries);
ATF_TC_HEAD(labels__labelled_entries, tc)
{
	atf_tc_set_md_var(tc, "descr", "of the system mounts, only /dev, "
			  "/dev/shm and /dev/pts carry the mount label");
}
ATF_TC_BODY(labels__labelled_entries, tc)
{
	struct mntns_mount_entry entries[NS_MAX_SYSTEM_MOUNTS];

	(void)tc;
	ATF_REQUIRE(mntns_system_mounts_count <= NS_MAX_SYSTEM_MOUNTS);
	ATF_CHECK_EQ_MSG(mntns_system_mounts_count, 6,
			 "expected 6 system mounts, got %zu",
			 mntns_system_mounts_count);
	mntns_system_mounts(entries, false);
	for (size_t i = 0; i < mntns_system_mounts_count; i++) {
		bool labelled = entries[i].flags & MNTNS_ENTRY_LABEL;
		bool expected = label_expected(entries[i].destination);

		ATF_CHECK_MSG(labelled == expected,
			      "%s: expected MNTNS_ENTRY_LABEL %s, got %s",
			      entries[i].destination,
			      expected ? "set" : "unset",
			      labelled ? "set" : "unset");
	}
}

ATF_TC(labels__mount_data);
ATF_TC_HEAD(labels__mount_data, tc)
{
	atf_tc_set_md_var(tc, "descr", "the data of each labelled system mount "
			  "gets context=\"LABEL\" appended, quoted");
}
ATF_TC_BODY(labels__mount_data, tc)
{
	struct mntns_mount_entry entries[NS_MAX_SYSTEM_MOUNTS];
	char expected[1024];
	char got[1024];
	int rc;

	(void)tc;
	ATF_REQUIRE(mntns_system_mounts_count <= NS_MAX_SYSTEM_MOUNTS);
	mntns_system_mounts(entries, false);
	for (size_t i = 0; i < mntns_system_mounts_count; i++) {
		const char *data = entries[i].data;

		if (!(entries[i].flags & MNTNS_ENTRY_LABEL))
			continue;
		if (data != NULL && data[0] != '\0')
			snprintf(expected, sizeof(expected),
				 "%s,context=\"" TEST_LABEL "\"", data);
		else
			snprintf(expected, sizeof(expected),
				 "context=\"" TEST_LABEL "\"");
		rc = mntns_label_mount_data(data, TEST_LABEL, got,
					    sizeof(got));
		ATF_CHECK_EQ_MSG(rc, 0, "%s: expected 0, got %d",
				 entries[i].destination, rc);
		ATF_CHECK_MSG(rc != 0 || strcmp(got, expected) == 0,
			      "%s: expected data '%s', got '%s'",
			      entries[i].destination, expected, got);
	}
}

ATF_TC(labels__mount_data_without_label);
ATF_TC_HEAD(labels__mount_data_without_label, tc)
{
	atf_tc_set_md_var(tc, "descr", "without a mount label the data is "
			  "copied unchanged");
}
ATF_TC_BODY(labels__mount_data_without_label, tc)
{
	char got[64];
	int rc;

	(void)tc;
	rc = mntns_label_mount_data("mode=755", NULL, got, sizeof(got));
	ATF_REQUIRE_EQ_MSG(rc, 0, "expected 0, got %d", rc);
	ATF_CHECK_STREQ(got, "mode=755");
	rc = mntns_label_mount_data("mode=755", "", got, sizeof(got));
	ATF_REQUIRE_EQ_MSG(rc, 0, "expected 0, got %d", rc);
	ATF_CHECK_STREQ(got, "mode=755");
}

ATF_TC(labels__mount_data_invalid);
ATF_TC_HEAD(labels__mount_data_invalid, tc)
{
	atf_tc_set_md_var(tc, "descr", "a label with a double quote gives "
			  "-EINVAL and a short buffer -ENAMETOOLONG");
}
ATF_TC_BODY(labels__mount_data_invalid, tc)
{
	char got[16];
	int rc;

	(void)tc;
	rc = mntns_label_mount_data("mode=755", "a\"b", got, sizeof(got));
	ATF_CHECK_EQ_MSG(rc, -EINVAL, "label with a quote: expected %d, got "
			 "%d", -EINVAL, rc);
	rc = mntns_label_mount_data("mode=755", TEST_LABEL, got, sizeof(got));
	ATF_CHECK_EQ_MSG(rc, -ENAMETOOLONG, "16-byte buffer: expected %d, got "
			 "%d", -ENAMETOOLONG, rc);
}

static void labels_disabled(void *arg)
{
	struct mount_expect expect = { NULL, "tmpfs", NULL, NULL, "mode=755" };
	struct libmnt_table *table;
	struct libmnt_fs *fs;
	char rootfs[PATH_MAX];
	char target[PATH_MAX];
	char row[8192];

	(void)arg;
	ns_force_selinux_disabled();
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_trace_start();
	setup_system_mounts(rootfs, false, TEST_LABEL);
	ns_rootfs_path(target, sizeof(target), rootfs, "/dev");
	expect.target = target;
	ns_check_mount(&expect);

	table = ns_mountinfo();
	fs = ns_find_mount(table, target);
	NS_CHECK(fs == NULL ||
			 !ns_has_option(mnt_fs_get_fs_options(fs), "context"),
		 "%s: expected no context= with SELinux disabled\n"
		 "  mountinfo: %s", target,
		 fs ? ns_mount_row(fs, row, sizeof(row)) : "-");
	mnt_unref_table(table);
	NS_CHECK(ns_trace_contains(MNTNS_TRACE_DEBUG, "selinux"),
		 "expected a debug trace mentioning SELinux, got:\n%s",
		 ns_trace_text());
}

NS_TC(labels__disabled_skipped, "with SELinux disabled, a mount label is "
      "skipped without error and traced at debug level", labels_disabled,
      NULL)

/* ------------------------------------------------------------------ */
/* The 2015 entry point                                                 */

static void initialize_system_mounts(void *arg)
{
	static const struct mount_expect expected[] = {
		{ "/proc", "proc", NULL, NULL, NULL },
		{ "/dev", "tmpfs", NULL, NULL, NULL },
		{ "/dev/shm", "tmpfs", NULL, NULL, NULL },
		{ "/dev/mqueue", "mqueue", NULL, NULL, NULL },
		{ "/dev/pts", "devpts", NULL, NULL, NULL },
		{ "/sys", "sysfs", NULL, NULL, NULL },
	};
	struct mntns_config config = { 0 };
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	rc = mntns_initialize(rootfs, NULL, false, &config, &err);
	NS_REQUIRE_OK("mntns_initialize", rc, &err);
	for (size_t i = 0; i < sizeof(expected) / sizeof(*expected); i++)
		ns_check_mount(&expected[i]);
}

NS_TC(initialize__system_mounts, "mntns_initialize pivots into the rootfs "
      "with the six system mounts in place", initialize_system_mounts, NULL)

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, system_mounts__proc);
	ATF_TP_ADD_TC(tp, system_mounts__dev);
	ATF_TP_ADD_TC(tp, system_mounts__dev_shm);
	ATF_TP_ADD_TC(tp, system_mounts__dev_mqueue);
	ATF_TP_ADD_TC(tp, system_mounts__dev_pts);
	ATF_TP_ADD_TC(tp, system_mounts__sys);
	ATF_TP_ADD_TC(tp, system_mounts__sys_readonly_flag);
	ATF_TP_ADD_TC(tp, system_mounts__sys_readonly_erofs);
	ATF_TP_ADD_TC(tp, labels__labelled_entries);
	ATF_TP_ADD_TC(tp, labels__mount_data);
	ATF_TP_ADD_TC(tp, labels__mount_data_without_label);
	ATF_TP_ADD_TC(tp, labels__mount_data_invalid);
	ATF_TP_ADD_TC(tp, labels__disabled_skipped);
	ATF_TP_ADD_TC(tp, initialize__system_mounts);
	return atf_no_error();
}
