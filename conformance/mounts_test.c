/*
 * Mount table: the default filesystems of the profile's config.json and
 * user mounts, each read back from the container's mountinfo.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "checks.h"

/* What a profile's config.json requests for one flag or option. */
enum want {
	NA, /* the profile requests nothing: not checked */
	SET,
	UNSET,
};

static enum want want_for(const struct bundle *b, enum want oci,
			  enum want lc2015)
{
	return b->profile == PROFILE_OCI ? oci : lc2015;
}

static void run_default(const atf_tc_t *tc, struct bundle *b,
			struct report *r)
{
	bundle_init(b, tc);
	bundle_run(b, r);
}

static void skip_na(const struct bundle *b, enum want want)
{
	if (want == NA)
		atf_tc_skip("not applicable: the %s profile's config.json "
			    "requests nothing here",
			    b->profile == PROFILE_OCI ? "oci"
						      : "libcontainer-2015");
}

static void check_default_flag(const atf_tc_t *tc, const char *target,
			       const char *flag, enum want oci,
			       enum want lc2015)
{
	struct bundle b;
	struct report r;
	enum want want;

	run_default(tc, &b, &r);
	want = want_for(&b, oci, lc2015);
	skip_na(&b, want);
	check_mount_flag(&r, target, flag, want == SET);
	report_free(&r);
	bundle_free(&b);
}

static void check_default_type(const atf_tc_t *tc, const char *target,
			       const char *type)
{
	struct bundle b;
	struct report r;

	run_default(tc, &b, &r);
	check_fstype(&r, target, type);
	report_free(&r);
	bundle_free(&b);
}

static void check_default_octal(const atf_tc_t *tc, const char *target,
				const char *option, long value, long absent)
{
	struct bundle b;
	struct report r;

	run_default(tc, &b, &r);
	check_fs_octal(&r, target, option, value, absent);
	report_free(&r);
	bundle_free(&b);
}

/* Checks a superblock option of a default mount.  With oci_only the case
 * is skipped under the libcontainer 2015 profile. */
static void check_default_option(const atf_tc_t *tc, bool oci_only,
				 const char *target, const char *key,
				 const char *value)
{
	struct bundle b;
	struct report r;

	run_default(tc, &b, &r);
	if (oci_only)
		require_profile(&b, PROFILE_OCI);
	check_fs_option(&r, target, key, value);
	report_free(&r);
	bundle_free(&b);
}

/* One case per default mount and flag. */
#define FLAG_CASE(name, target, flag, oci, lc2015, level)                  \
	ATF_TC(mounts__##name);                                            \
	ATF_TC_HEAD(mounts__##name, tc)                                    \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr",                             \
				  level ": " target " has the " flag       \
				  " flag that config.json requests");      \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(mounts__##name, tc)                                    \
	{                                                                  \
		check_default_flag(tc, target, flag, oci, lc2015);         \
	}

#define LC "libcontainer 2015 default"
#define RUNC "runc default and libcontainer 2015 default"

FLAG_CASE(proc_nosuid, "/proc", "nosuid", NA, SET, LC)
FLAG_CASE(proc_nodev, "/proc", "nodev", NA, SET, LC)
FLAG_CASE(proc_noexec, "/proc", "noexec", NA, SET, LC)
FLAG_CASE(dev_nosuid, "/dev", "nosuid", SET, SET, RUNC)
FLAG_CASE(dev_strictatime, "/dev", "strictatime", SET, SET, RUNC)
FLAG_CASE(dev_not_ro, "/dev", "ro", UNSET, UNSET, RUNC)
FLAG_CASE(shm_nosuid, "/dev/shm", "nosuid", SET, SET, RUNC)
FLAG_CASE(shm_nodev, "/dev/shm", "nodev", SET, SET, RUNC)
FLAG_CASE(shm_noexec, "/dev/shm", "noexec", SET, SET, RUNC)
FLAG_CASE(mqueue_nosuid, "/dev/mqueue", "nosuid", SET, SET, RUNC)
FLAG_CASE(mqueue_nodev, "/dev/mqueue", "nodev", SET, SET, RUNC)
FLAG_CASE(mqueue_noexec, "/dev/mqueue", "noexec", SET, SET, RUNC)
FLAG_CASE(devpts_nosuid, "/dev/pts", "nosuid", SET, SET, RUNC)
FLAG_CASE(devpts_noexec, "/dev/pts", "noexec", SET, SET, RUNC)
FLAG_CASE(devpts_dev_allowed, "/dev/pts", "nodev", UNSET, UNSET, RUNC)
FLAG_CASE(sys_nosuid, "/sys", "nosuid", SET, SET, RUNC)
FLAG_CASE(sys_nodev, "/sys", "nodev", SET, SET, RUNC)
FLAG_CASE(sys_noexec, "/sys", "noexec", SET, SET, RUNC)
FLAG_CASE(sys_ro, "/sys", "ro", SET, UNSET,
	  "runc default (read-only /sys; rw in libcontainer 2015)")

/* One case per default filesystem type. */
#define TYPE_CASE(name, target, type, level)                               \
	ATF_TC(mounts__##name);                                            \
	ATF_TC_HEAD(mounts__##name, tc)                                    \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", level ": " target           \
				  " is a " type " mount");                 \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(mounts__##name, tc)                                    \
	{                                                                  \
		check_default_type(tc, target, type);                      \
	}

#define SHOULD "OCI SHOULD (config-linux, default filesystems)"

TYPE_CASE(proc_type, "/proc", "proc", SHOULD)
TYPE_CASE(sys_type, "/sys", "sysfs", SHOULD)
TYPE_CASE(devpts_type, "/dev/pts", "devpts", SHOULD)
TYPE_CASE(shm_type, "/dev/shm", "tmpfs", SHOULD)
TYPE_CASE(dev_type, "/dev", "tmpfs", RUNC)
TYPE_CASE(mqueue_type, "/dev/mqueue", "mqueue", RUNC)

/* One case per superblock option holding an octal mode. */
#define OCTAL_CASE(name, target, option, value, absent, level)             \
	ATF_TC(mounts__##name);                                            \
	ATF_TC_HEAD(mounts__##name, tc)                                    \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", level ": " target " has "   \
				  option "=" #value);                      \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(mounts__##name, tc)                                    \
	{                                                                  \
		check_default_octal(tc, target, option, value, absent);    \
	}

/* tmpfs omits mode= when it is 1777, its default. */
OCTAL_CASE(dev_mode, "/dev", "mode", 0755, 01777, RUNC)
OCTAL_CASE(shm_mode, "/dev/shm", "mode", 01777, 01777, RUNC)
OCTAL_CASE(devpts_mode, "/dev/pts", "mode", 0620, -1, RUNC)
OCTAL_CASE(devpts_ptmxmode, "/dev/pts", "ptmxmode", 0666, -1, RUNC)

ATF_TC(mounts__devpts_gid);
ATF_TC_HEAD(mounts__devpts_gid, tc)
{
	atf_tc_set_md_var(tc, "descr", RUNC ": /dev/pts has gid=5, so new "
			  "ptys belong to the tty group");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__devpts_gid, tc)
{
	check_default_option(tc, false, "/dev/pts", "gid", "5");
}

ATF_TC(mounts__shm_size);
ATF_TC_HEAD(mounts__shm_size, tc)
{
	atf_tc_set_md_var(tc, "descr", RUNC ": /dev/shm has size=65536k");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__shm_size, tc)
{
	check_default_option(tc, false, "/dev/shm", "size", "65536k");
}

ATF_TC(mounts__dev_size);
ATF_TC_HEAD(mounts__dev_size, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: /dev has size=65536k "
			  "(libcontainer 2015 gave no size)");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__dev_size, tc)
{
	check_default_option(tc, true, "/dev", "size", "65536k");
}

ATF_TC(mounts__cgroup_readonly);
ATF_TC_HEAD(mounts__cgroup_readonly, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: every cgroup or "
			  "cgroup2 mount under /sys/fs/cgroup is read-only, "
			  "as its \"ro\" option requests");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__cgroup_readonly, tc)
{
	struct libmnt_iter *iter = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	struct bundle b;
	struct report r;
	int count = 0;

	run_default(tc, &b, &r);
	require_profile(&b, PROFILE_OCI);
	while (mnt_table_next_fs(r.mounts, iter, &fs) == 0) {
		const char *type = mnt_fs_get_fstype(fs);

		if (strcmp(type, "cgroup") && strcmp(type, "cgroup2"))
			continue;
		count++;
		check_mount_flag(&r, mnt_fs_get_target(fs), "ro", true);
	}
	mnt_free_iter(iter);
	ATF_CHECK_MSG(count > 0, "expected a cgroup or cgroup2 mount under "
		      "/sys/fs/cgroup, found none; mountinfo:\n%s",
		      report_rows(&r));
	report_free(&r);
	bundle_free(&b);
}

/* User mounts.  Each starts from the profile's config, with a read-write
 * root so probes can create files where a case needs them. */
static void user_bundle(const atf_tc_t *tc, struct bundle *b)
{
	bundle_init(b, tc);
	config_set(b, "root.readonly", json_false());
}

static const char *host_data_dir(struct bundle *b)
{
	bundle_host_file(b, "data/hello", "hello\n");
	return bundle_host_dir(b, "data");
}

static void check_bind_flag(const atf_tc_t *tc, const char *options,
			    const char *flag)
{
	struct bundle b;
	struct report r;

	user_bundle(tc, &b);
	bundle_add_mount(&b, "/mnt/data", "bind", host_data_dir(&b), options);
	bundle_run(&b, &r);
	check_mount_flag(&r, "/mnt/data", flag, true);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__bind_dir);
ATF_TC_HEAD(mounts__bind_dir, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts): a bind "
			  "mount of a host directory shows at its "
			  "destination with the host's files");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__bind_dir, tc)
{
	struct bundle b;
	struct report r;

	user_bundle(tc, &b);
	bundle_add_mount(&b, "/mnt/data", "bind", host_data_dir(&b),
			 "bind");
	bundle_probe(&b, "read:/mnt/data/hello");
	bundle_run(&b, &r);
	require_mount(&r, "/mnt/data");
	check_probe_error(&r, 0, "");
	check_str(require_probe(&r, 0), "text", "hello\n",
		  "/mnt/data/hello");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__bind_no_type);
ATF_TC_HEAD(mounts__bind_no_type, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts): a mount "
			  "with \"bind\" in its options and no type is a "
			  "bind mount");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__bind_no_type, tc)
{
	struct bundle b;
	struct report r;

	user_bundle(tc, &b);
	bundle_add_mount(&b, "/mnt/data", NULL, host_data_dir(&b), "rbind");
	bundle_probe(&b, "read:/mnt/data/hello");
	bundle_run(&b, &r);
	require_mount(&r, "/mnt/data");
	check_probe_error(&r, 0, "");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__cleaned_destination);
ATF_TC_HEAD(mounts__cleaned_destination, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: a destination with "
			  "\"//\", \".\" and a trailing \"/\" is mounted at "
			  "its cleaned path");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__cleaned_destination, tc)
{
	struct bundle b;
	struct report r;

	user_bundle(tc, &b);
	bundle_add_mount(&b, "/mnt//./data/", "bind", host_data_dir(&b),
			 "bind");
	bundle_run(&b, &r);
	require_mount(&r, "/mnt/data");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__bind_file_stays_file);
ATF_TC_HEAD(mounts__bind_file_stays_file, tc)
{
	atf_tc_set_md_var(tc, "descr", "libcontainer 2015 default: a bind of "
			  "a file creates its destination as a file, not a "
			  "directory");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__bind_file_stays_file, tc)
{
	struct bundle b;
	struct report r;
	const char *file;

	user_bundle(tc, &b);
	file = bundle_host_file(&b, "motd", "file bind\n");
	bundle_add_mount(&b, "/etc/new/motd", "bind", file, "bind");
	bundle_probe(&b, "stat:/etc/new/motd");
	bundle_probe(&b, "read:/etc/new/motd");
	bundle_run(&b, &r);
	require_mount(&r, "/etc/new/motd");
	check_str(require_probe(&r, 0), "ltype", "f", "/etc/new/motd");
	check_str(require_probe(&r, 1), "text", "file bind\n",
		  "/etc/new/motd");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__missing_destination_created);
ATF_TC_HEAD(mounts__missing_destination_created, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts): a "
			  "destination missing from the rootfs is created, "
			  "parents included");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__missing_destination_created, tc)
{
	struct bundle b;
	struct report r;

	user_bundle(tc, &b);
	bundle_add_mount(&b, "/new/deep/dir", "tmpfs", "tmpfs", NULL);
	bundle_probe(&b, "stat:/new/deep/dir");
	bundle_run(&b, &r);
	check_fstype(&r, "/new/deep/dir", "tmpfs");
	check_str(require_probe(&r, 0), "ltype", "d", "/new/deep/dir");
	report_free(&r);
	bundle_free(&b);
}

/* One case per flag on a user bind mount, read from mountinfo. */
#define BIND_FLAG_CASE(name, option, flag)                                 \
	ATF_TC(mounts__##name);                                            \
	ATF_TC_HEAD(mounts__##name, tc)                                    \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts "  \
				  "options): a bind mount with \"" option  \
				  "\" shows " flag " in mountinfo");       \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(mounts__##name, tc)                                    \
	{                                                                  \
		check_bind_flag(tc, "rbind," option, flag);                \
	}

BIND_FLAG_CASE(bind_ro, "ro", "ro")
BIND_FLAG_CASE(bind_nosuid, "nosuid", "nosuid")
BIND_FLAG_CASE(bind_nodev, "nodev", "nodev")
BIND_FLAG_CASE(bind_noexec, "noexec", "noexec")
BIND_FLAG_CASE(bind_noatime, "noatime", "noatime")
BIND_FLAG_CASE(bind_nodiratime, "nodiratime", "nodiratime")

/* crun ORs the flags that an option computed back into the flags it had,
 * so an option that clears a flag ("suid", "dev", "exec") after the one
 * that set it does nothing.  The code is get_mount_flags_or_option() in
 * src/libcrun/linux.c, in 1.8.1 and on the main branch in 2026.  No crun
 * issue reports it. */
static void expect_crun_clearing(const struct bundle *b)
{
	runtime_expect_fail_at(b, "crun", "1.8.1", "a clearing option after "
			       "the one that sets the flag is ignored; "
			       "runtime-spec config.md (Linux mount "
			       "options) makes it a MUST with the meaning "
			       "of mount(8), where the last option wins");
}

static void check_tmpfs_flag(const atf_tc_t *tc, const char *options,
			     const char *flag, bool expected, bool clears)
{
	struct bundle b;
	struct report r;

	user_bundle(tc, &b);
	if (clears)
		expect_crun_clearing(&b);
	bundle_add_mount(&b, "/mnt", "tmpfs", "tmpfs", options);
	bundle_run(&b, &r);
	check_mount_flag(&r, "/mnt", flag, expected);
	report_free(&r);
	bundle_free(&b);
}

static void check_tmpfs_option(const atf_tc_t *tc, const char *options,
			       const char *key, const char *value)
{
	struct bundle b;
	struct report r;

	user_bundle(tc, &b);
	bundle_add_mount(&b, "/mnt", "tmpfs", "tmpfs", options);
	bundle_run(&b, &r);
	check_fs_option(&r, "/mnt", key, value);
	report_free(&r);
	bundle_free(&b);
}

/* One case per flag on a tmpfs user mount; clears is true when the
 * option list clears a flag it set first. */
#define TMPFS_FLAG_CASE(name, option, flag, expected, clears)              \
	ATF_TC(mounts__##name);                                            \
	ATF_TC_HEAD(mounts__##name, tc)                                    \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts "  \
				  "options): a tmpfs with \"" option       \
				  "\" has " flag " " #expected);           \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(mounts__##name, tc)                                    \
	{                                                                  \
		check_tmpfs_flag(tc, option, flag, expected, clears);      \
	}

TMPFS_FLAG_CASE(tmpfs_ro, "ro", "ro", true, false)
TMPFS_FLAG_CASE(tmpfs_rw, "rw", "ro", false, false)
TMPFS_FLAG_CASE(tmpfs_nosuid, "nosuid", "nosuid", true, false)
TMPFS_FLAG_CASE(tmpfs_suid, "nosuid,suid", "nosuid", false, true)
TMPFS_FLAG_CASE(tmpfs_nodev, "nodev", "nodev", true, false)
TMPFS_FLAG_CASE(tmpfs_dev, "nodev,dev", "nodev", false, true)
TMPFS_FLAG_CASE(tmpfs_noexec, "noexec", "noexec", true, false)
TMPFS_FLAG_CASE(tmpfs_exec, "noexec,exec", "noexec", false, true)
TMPFS_FLAG_CASE(tmpfs_noatime, "noatime", "noatime", true, false)
TMPFS_FLAG_CASE(tmpfs_strictatime, "strictatime", "strictatime", true,
		false)
TMPFS_FLAG_CASE(tmpfs_relatime, "relatime", "relatime", true, false)

/* One case per superblock option of a tmpfs user mount. */
#define TMPFS_DATA_CASE(name, option, key, value)                          \
	ATF_TC(mounts__##name);                                            \
	ATF_TC_HEAD(mounts__##name, tc)                                    \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", "OCI SHOULD (config, mounts "\
				  "options): \"" option "\" reaches tmpfs "\
				  "as filesystem data");                   \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(mounts__##name, tc)                                    \
	{                                                                  \
		check_tmpfs_option(tc, option, key, value);                \
	}

TMPFS_DATA_CASE(tmpfs_size, "size=1m", "size", "1024k")
TMPFS_DATA_CASE(tmpfs_nr_inodes, "nr_inodes=1000", "nr_inodes", "1000")
TMPFS_DATA_CASE(tmpfs_uid, "uid=1000", "uid", "1000")
TMPFS_DATA_CASE(tmpfs_gid, "gid=1000", "gid", "1000")

ATF_TC(mounts__tmpfs_mode_existing_dir);
ATF_TC_HEAD(mounts__tmpfs_mode_existing_dir, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI SHOULD (config, mounts options): "
			  "a tmpfs mode= applies on a directory that exists "
			  "in the rootfs with another mode");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__tmpfs_mode_existing_dir, tc)
{
	struct bundle b;
	struct report r;

	user_bundle(tc, &b);
	runtime_expect_fail(&b, "runc", "1.1.8", "runc chmods an existing "
			    "tmpfs destination back to its old mode, "
			    "opencontainers/runc#3911");
	/* /home is 0755 in the fixture's rootfs. */
	bundle_add_mount(&b, "/home", "tmpfs", "tmpfs", "mode=700");
	bundle_probe(&b, "stat:/home");
	bundle_run(&b, &r);
	check_fs_octal(&r, "/home", "mode", 0700, 01777);
	check_octal(require_probe(&r, 0), "mode", 0700, "stat /home");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__order_nested);
ATF_TC_HEAD(mounts__order_nested, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts): mounts "
			  "are made in the listed order, so a nested "
			  "destination mounts on top of its parent");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__order_nested, tc)
{
	struct libmnt_fs *parent, *child;
	struct bundle b;
	struct report r;

	user_bundle(tc, &b);
	bundle_add_mount(&b, "/mnt/a", "tmpfs", "tmpfs", "size=1m");
	bundle_add_mount(&b, "/mnt/a/b", "tmpfs", "tmpfs", "size=2m");
	bundle_run(&b, &r);
	parent = require_mount(&r, "/mnt/a");
	child = require_mount(&r, "/mnt/a/b");
	ATF_CHECK_EQ_MSG(mnt_fs_get_parent_id(child), mnt_fs_get_id(parent),
			 "expected /mnt/a/b on /mnt/a\n  %s\n  %s",
			 report_row(&r, parent), report_row(&r, child));
	ATF_CHECK_MSG(report_mount_index(&r, parent) <
			      report_mount_index(&r, child),
		      "expected /mnt/a before /mnt/a/b in mountinfo:\n%s",
		      report_rows(&r));
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__order_later_hides_earlier);
ATF_TC_HEAD(mounts__order_later_hides_earlier, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts): of two "
			  "mounts at one destination, the later one is on "
			  "top");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__order_later_hides_earlier, tc)
{
	struct bundle b;
	struct report r;

	user_bundle(tc, &b);
	bundle_add_mount(&b, "/mnt/data", "tmpfs", "tmpfs", NULL);
	bundle_add_mount(&b, "/mnt/data", "bind", host_data_dir(&b),
			 "bind");
	bundle_probe(&b, "read:/mnt/data/hello");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	check_mount_root_suffix(&r, "/mnt/data", "/host/data");
	report_free(&r);
	bundle_free(&b);
}

/* Host side of the submount cases: a tmpfs on data/sub in the runner's
 * private mount namespace. */
static int mount_submount(struct bundle *b, void *arg)
{
	char path[PATH_MAX + 32];

	(void)arg;
	snprintf(path, sizeof(path), "%s/host/data/sub", b->dir);
	if (mount("submount", path, "tmpfs", 0, "size=1m") < 0)
		return -errno;
	return 0;
}

static void submount_bundle(const atf_tc_t *tc, struct bundle *b,
			    const char *options)
{
	user_bundle(tc, b);
	bundle_host_dir(b, "data/sub");
	bundle_add_mount(b, "/mnt/data", "bind", host_data_dir(b), options);
	b->private_ns = true;
	b->hooks.before = mount_submount;
}

ATF_TC(mounts__rbind_carries_submounts);
ATF_TC_HEAD(mounts__rbind_carries_submounts, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts): rbind "
			  "brings the source's submounts along");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__rbind_carries_submounts, tc)
{
	struct bundle b;
	struct report r;

	submount_bundle(tc, &b, "rbind");
	bundle_run(&b, &r);
	check_fstype(&r, "/mnt/data/sub", "tmpfs");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__bind_leaves_submounts);
ATF_TC_HEAD(mounts__bind_leaves_submounts, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts): a plain "
			  "bind does not bring the source's submounts");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__bind_leaves_submounts, tc)
{
	struct bundle b;
	struct report r;

	submount_bundle(tc, &b, "bind");
	bundle_run(&b, &r);
	require_mount(&r, "/mnt/data");
	ATF_CHECK_MSG(report_find_mount(&r, "/mnt/data/sub") == NULL,
		      "expected no mount at /mnt/data/sub; mountinfo:\n%s",
		      report_rows(&r));
	report_free(&r);
	bundle_free(&b);
}

/* Checks flag on an rbind of host data with options and on the tmpfs
 * submount it carries. */
static void check_submount_flag(const atf_tc_t *tc, const char *options,
				const char *flag, bool on_sub)
{
	struct bundle b;
	struct report r;

	submount_bundle(tc, &b, options);
	bundle_run(&b, &r);
	check_mount_flag(&r, "/mnt/data", flag, true);
	check_mount_flag(&r, "/mnt/data/sub", flag, on_sub);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__ro_top_only);
ATF_TC_HEAD(mounts__ro_top_only, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default and libcontainer 2015 "
			  "default: \"ro\" on an rbind makes only the top "
			  "mount read-only, not its submounts");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__ro_top_only, tc)
{
	check_submount_flag(tc, "rbind,ro", "ro", false);
}

ATF_TC(mounts__rro_recursive);
ATF_TC_HEAD(mounts__rro_recursive, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI SHOULD (config, mounts options, "
			  "recursive flags): \"rro\" makes every submount "
			  "read-only too");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__rro_recursive, tc)
{
	check_submount_flag(tc, "rbind,rro", "ro", true);
}

ATF_TC(mounts__rnosuid_recursive);
ATF_TC_HEAD(mounts__rnosuid_recursive, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI SHOULD (config, mounts options, "
			  "recursive flags): \"rnosuid\" makes every "
			  "submount nosuid");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__rnosuid_recursive, tc)
{
	check_submount_flag(tc, "rbind,rnosuid", "nosuid", true);
}

ATF_TC(mounts__root_path_symlink);
ATF_TC_HEAD(mounts__root_path_symlink, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI (config, root.path, which sets "
			  "no rule on symlinks): a root.path that is a "
			  "symlink to the rootfs directory runs the container");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__root_path_symlink, tc)
{
	char link[PATH_MAX];
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	runtime_expect_fail(&b, "runc", NULL, "runc rejects a root.path "
			    "with a symlink by design, "
			    "opencontainers/runc#586 and #1389");
	path_format(link, sizeof(link), "%s/rootfs-link", b.dir);
	if (symlink("rootfs", link) < 0)
		atf_tc_fail("symlink %s failed: %s", link, strerror(errno));
	config_set(&b, "root.path", json_string("rootfs-link"));
	bundle_run(&b, &r);
	require_mount(&r, "/");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__root_is_rootfs);
ATF_TC_HEAD(mounts__root_is_rootfs, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, root): the "
			  "container's / is the bundle's rootfs");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__root_is_rootfs, tc)
{
	struct libmnt_fs *fs;
	struct bundle b;
	struct report r;
	const char *root;

	run_default(tc, &b, &r);
	fs = require_mount(&r, "/");
	root = mnt_fs_get_root(fs);
	ATF_CHECK_MSG(root && strstr(root, b.rootfs) != NULL,
		      "expected / to be a mount of %s\n  row: %s", b.rootfs,
		      report_row(&r, fs));
	report_free(&r);
	bundle_free(&b);
}

/* True when target is a config destination or lies under one. */
static bool under_destination(struct bundle *b, const char *target)
{
	json_t *mount;
	size_t i;

	json_array_foreach(json_object_get(b->config, "mounts"), i, mount) {
		const char *dest = json_string_value(
			json_object_get(mount, "destination"));
		size_t len = dest ? strlen(dest) : 0;

		if (len && !strncmp(target, dest, len) &&
		    (target[len] == '\0' || target[len] == '/'))
			return true;
	}
	return false;
}

ATF_TC(mounts__no_host_mount_points);
ATF_TC_HEAD(mounts__no_host_mount_points, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: after the root switch "
			  "none of the host's own mount points is visible "
			  "and no old root is left behind");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__no_host_mount_points, tc)
{
	struct libmnt_table *host = mnt_new_table();
	struct libmnt_iter *iter = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	struct bundle b;
	struct report r;

	run_default(tc, &b, &r);
	ATF_REQUIRE(mnt_table_parse_file(host, "/proc/self/mountinfo") == 0);
	while (mnt_table_next_fs(host, iter, &fs) == 0) {
		const char *target = mnt_fs_get_target(fs);
		struct libmnt_fs *inside;

		if (!strcmp(target, "/") || under_destination(&b, target))
			continue;
		inside = report_find_mount(&r, target);
		ATF_CHECK_MSG(inside == NULL, "host mount point %s is "
			      "visible inside:\n  row: %s", target,
			      inside ? report_row(&r, inside) : "");
	}
	mnt_reset_iter(iter, MNT_ITER_FORWARD);
	while (mnt_table_next_fs(r.mounts, iter, &fs) == 0)
		ATF_CHECK_MSG(strncmp(mnt_fs_get_target(fs), "/.pivot_root",
				      12) != 0,
			      "old root left mounted:\n  row: %s",
			      report_row(&r, fs));
	mnt_free_iter(iter);
	mnt_unref_table(host);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(mounts__host_path_absent);
ATF_TC_HEAD(mounts__host_path_absent, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, root): the bundle "
			  "directory's host path does not resolve inside the "
			  "container");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__host_path_absent, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	bundle_probe(&b, "stat:%s/config.json", b.dir);
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "ENOENT");
	report_free(&r);
	bundle_free(&b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mounts__proc_nosuid);
	ATF_TP_ADD_TC(tp, mounts__proc_nodev);
	ATF_TP_ADD_TC(tp, mounts__proc_noexec);
	ATF_TP_ADD_TC(tp, mounts__dev_nosuid);
	ATF_TP_ADD_TC(tp, mounts__dev_strictatime);
	ATF_TP_ADD_TC(tp, mounts__dev_not_ro);
	ATF_TP_ADD_TC(tp, mounts__shm_nosuid);
	ATF_TP_ADD_TC(tp, mounts__shm_nodev);
	ATF_TP_ADD_TC(tp, mounts__shm_noexec);
	ATF_TP_ADD_TC(tp, mounts__mqueue_nosuid);
	ATF_TP_ADD_TC(tp, mounts__mqueue_nodev);
	ATF_TP_ADD_TC(tp, mounts__mqueue_noexec);
	ATF_TP_ADD_TC(tp, mounts__devpts_nosuid);
	ATF_TP_ADD_TC(tp, mounts__devpts_noexec);
	ATF_TP_ADD_TC(tp, mounts__devpts_dev_allowed);
	ATF_TP_ADD_TC(tp, mounts__sys_nosuid);
	ATF_TP_ADD_TC(tp, mounts__sys_nodev);
	ATF_TP_ADD_TC(tp, mounts__sys_noexec);
	ATF_TP_ADD_TC(tp, mounts__sys_ro);
	ATF_TP_ADD_TC(tp, mounts__proc_type);
	ATF_TP_ADD_TC(tp, mounts__sys_type);
	ATF_TP_ADD_TC(tp, mounts__devpts_type);
	ATF_TP_ADD_TC(tp, mounts__shm_type);
	ATF_TP_ADD_TC(tp, mounts__dev_type);
	ATF_TP_ADD_TC(tp, mounts__mqueue_type);
	ATF_TP_ADD_TC(tp, mounts__dev_mode);
	ATF_TP_ADD_TC(tp, mounts__shm_mode);
	ATF_TP_ADD_TC(tp, mounts__devpts_mode);
	ATF_TP_ADD_TC(tp, mounts__devpts_ptmxmode);
	ATF_TP_ADD_TC(tp, mounts__devpts_gid);
	ATF_TP_ADD_TC(tp, mounts__shm_size);
	ATF_TP_ADD_TC(tp, mounts__dev_size);
	ATF_TP_ADD_TC(tp, mounts__cgroup_readonly);
	ATF_TP_ADD_TC(tp, mounts__bind_dir);
	ATF_TP_ADD_TC(tp, mounts__bind_no_type);
	ATF_TP_ADD_TC(tp, mounts__cleaned_destination);
	ATF_TP_ADD_TC(tp, mounts__bind_file_stays_file);
	ATF_TP_ADD_TC(tp, mounts__missing_destination_created);
	ATF_TP_ADD_TC(tp, mounts__bind_ro);
	ATF_TP_ADD_TC(tp, mounts__bind_nosuid);
	ATF_TP_ADD_TC(tp, mounts__bind_nodev);
	ATF_TP_ADD_TC(tp, mounts__bind_noexec);
	ATF_TP_ADD_TC(tp, mounts__bind_noatime);
	ATF_TP_ADD_TC(tp, mounts__bind_nodiratime);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_ro);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_rw);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_nosuid);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_suid);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_nodev);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_dev);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_noexec);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_exec);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_noatime);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_strictatime);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_relatime);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_size);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_nr_inodes);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_uid);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_gid);
	ATF_TP_ADD_TC(tp, mounts__tmpfs_mode_existing_dir);
	ATF_TP_ADD_TC(tp, mounts__order_nested);
	ATF_TP_ADD_TC(tp, mounts__order_later_hides_earlier);
	ATF_TP_ADD_TC(tp, mounts__root_path_symlink);
	ATF_TP_ADD_TC(tp, mounts__rbind_carries_submounts);
	ATF_TP_ADD_TC(tp, mounts__bind_leaves_submounts);
	ATF_TP_ADD_TC(tp, mounts__ro_top_only);
	ATF_TP_ADD_TC(tp, mounts__rro_recursive);
	ATF_TP_ADD_TC(tp, mounts__rnosuid_recursive);
	ATF_TP_ADD_TC(tp, mounts__root_is_rootfs);
	ATF_TP_ADD_TC(tp, mounts__no_host_mount_points);
	ATF_TP_ADD_TC(tp, mounts__host_path_absent);
	return atf_no_error();
}
