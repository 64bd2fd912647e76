/*
 * Read-only root and paths, and the nodev, noexec and nosuid flags backed
 * by what the kernel then refuses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "checks.h"

/* A bundle with root.readonly set as asked, whatever the profile. */
static void readonly_bundle(const atf_tc_t *tc, struct bundle *b,
			    bool readonly)
{
	bundle_init(b, tc);
	config_set(b, "root.readonly", json_boolean(readonly));
}

ATF_TC(readonly__root_write_erofs);
ATF_TC_HEAD(readonly__root_write_erofs, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, root.readonly): "
			  "creating a file in / fails with EROFS");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__root_write_erofs, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, true);
	bundle_probe(&b, "write:/probe-file");
	bundle_probe(&b, "mkdir:/probe-dir");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "EROFS");
	check_probe_error(&r, 1, "EROFS");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__root_flag);
ATF_TC_HEAD(readonly__root_flag, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, root.readonly): "
			  "the / mount is ro in mountinfo and statvfs");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__root_flag, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, true);
	bundle_run(&b, &r);
	check_mount_flag(&r, "/", "ro", true);
	check_statvfs_flag(&r, "/", ST_RDONLY, "ST_RDONLY", true);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__root_still_reads);
ATF_TC_HEAD(readonly__root_still_reads, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, root.readonly): "
			  "files of a read-only root still read");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__root_still_reads, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, true);
	bundle_probe(&b, "read:/etc/hostname");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	check_str(require_probe(&r, 0), "text", "mntns-rootfs\n",
		  "/etc/hostname");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__root_writable_when_false);
ATF_TC_HEAD(readonly__root_writable_when_false, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, root.readonly): "
			  "with readonly false, / is writable");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__root_writable_when_false, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, false);
	bundle_probe(&b, "write:/probe-file");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	check_mount_flag(&r, "/", "ro", false);
	report_free(&r);
	bundle_free(&b);
}

/* One case per mount that must stay writable under a read-only root. */
#define WRITABLE_CASE(name, path, level)                                   \
	ATF_TC(readonly__##name##_writable);                               \
	ATF_TC_HEAD(readonly__##name##_writable, tc)                       \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", level ": with a read-only "  \
				  "root, " path " stays writable");        \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(readonly__##name##_writable, tc)                       \
	{                                                                  \
		struct bundle b;                                           \
		struct report r;                                           \
                                                                           \
		readonly_bundle(tc, &b, true);                             \
		bundle_probe(&b, "write:" path "/probe-file");             \
		bundle_run(&b, &r);                                        \
		check_probe_error(&r, 0, "");                              \
		report_free(&r);                                           \
		bundle_free(&b);                                           \
	}

WRITABLE_CASE(dev, "/dev", "runc default")
WRITABLE_CASE(shm, "/dev/shm", "runc default")

ATF_TC(readonly__tmpfs_mount_writable);
ATF_TC_HEAD(readonly__tmpfs_mount_writable, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, root.readonly "
			  "applies to the root only): a tmpfs mount under a "
			  "read-only root stays writable");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__tmpfs_mount_writable, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, true);
	bundle_add_mount(&b, "/tmp", "tmpfs", "tmpfs", "nosuid,nodev");
	bundle_probe(&b, "write:/tmp/probe-file");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	check_mount_flag(&r, "/tmp", "ro", false);
	report_free(&r);
	bundle_free(&b);
}

static void add_readonly_path(struct bundle *b, const char *path)
{
	json_t *linux_obj = json_object_get(b->config, "linux");
	json_t *paths = json_object_get(linux_obj, "readonlyPaths");

	if (!paths) {
		paths = json_array();
		config_set(b, "linux.readonlyPaths", paths);
	}
	json_array_append_new(paths, json_string(path));
}

ATF_TC(readonly__path_write_erofs);
ATF_TC_HEAD(readonly__path_write_erofs, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, "
			  "readonlyPaths): writing under a read-only path "
			  "fails with EROFS");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__path_write_erofs, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, false);
	add_readonly_path(&b, "/etc");
	bundle_probe(&b, "write:/etc/probe-file");
	bundle_probe(&b, "write:/probe-file");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "EROFS");
	check_probe_error(&r, 1, "");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__path_still_reads);
ATF_TC_HEAD(readonly__path_still_reads, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, "
			  "readonlyPaths): a read-only path still reads");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__path_still_reads, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, false);
	add_readonly_path(&b, "/etc");
	bundle_probe(&b, "read:/etc/hostname");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	check_mount_flag(&r, "/etc", "ro", true);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__path_keeps_flags);
ATF_TC_HEAD(readonly__path_keeps_flags, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: making a nosuid, "
			  "nodev, noexec mount a read-only path keeps those "
			  "flags");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__path_keeps_flags, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, false);
	runtime_expect_fail(&b, "crun", "1.8.2", "a read-only path loses "
			    "the nosuid, nodev and noexec of the mount it "
			    "lies on, containers/crun#950");
	bundle_add_mount(&b, "/mnt", "tmpfs", "tmpfs",
			 "nosuid,nodev,noexec");
	add_readonly_path(&b, "/mnt");
	bundle_run(&b, &r);
	check_mount_flag(&r, "/mnt", "ro", true);
	check_mount_flag(&r, "/mnt", "nosuid", true);
	check_mount_flag(&r, "/mnt", "nodev", true);
	check_mount_flag(&r, "/mnt", "noexec", true);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__bind_ro_keeps_flags);
ATF_TC_HEAD(readonly__bind_ro_keeps_flags, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts options): "
			  "the read-only remount of a bind keeps its nosuid, "
			  "nodev and noexec");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__bind_ro_keeps_flags, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, false);
	bundle_add_mount(&b, "/mnt/data", "bind",
			 bundle_host_dir(&b, "data"),
			 "rbind,ro,nosuid,nodev,noexec");
	bundle_probe(&b, "write:/mnt/data/probe-file");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "EROFS");
	check_mount_flag(&r, "/mnt/data", "ro", true);
	check_mount_flag(&r, "/mnt/data", "nosuid", true);
	check_mount_flag(&r, "/mnt/data", "nodev", true);
	check_mount_flag(&r, "/mnt/data", "noexec", true);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__root_keeps_flags);
ATF_TC_HEAD(readonly__root_keeps_flags, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: a read-only root keeps "
			  "the mounts under it as they were (/dev stays rw "
			  "and nosuid)");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__root_keeps_flags, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, true);
	bundle_run(&b, &r);
	check_mount_flag(&r, "/dev", "ro", false);
	check_mount_flag(&r, "/dev", "nosuid", true);
	check_mount_flag(&r, "/dev/shm", "ro", false);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__sys_mkdir_erofs);
ATF_TC_HEAD(readonly__sys_mkdir_erofs, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: /sys is read-only, so "
			  "creating under it fails with EROFS");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__sys_mkdir_erofs, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	require_profile(&b, PROFILE_OCI);
	bundle_probe(&b, "mkdir:/sys/kernel/probe-dir");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "EROFS");
	check_statvfs_flag(&r, "/sys", ST_RDONLY, "ST_RDONLY", true);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__proc_sys_erofs);
ATF_TC_HEAD(readonly__proc_sys_erofs, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (readonlyPaths "
			  "/proc/sys): writing a sysctl fails with EROFS");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__proc_sys_erofs, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	require_profile(&b, PROFILE_OCI);
	bundle_probe(&b, "write:/proc/sys/kernel/hostname");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "EROFS");
	check_mount_flag(&r, "/proc/sys", "ro", true);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__remount_denied);
ATF_TC_HEAD(readonly__remount_denied, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default capabilities (no "
			  "CAP_SYS_ADMIN): the container cannot remount its "
			  "read-only root read-write");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__remount_denied, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, true);
	bundle_probe(&b, "remount:/");
	bundle_probe(&b, "write:/probe-file");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "EPERM");
	check_probe_error(&r, 1, "EROFS");
	report_free(&r);
	bundle_free(&b);
}

/* A 0666 null device node at path, created after the mounts. */
static void add_null_device(struct bundle *b, const char *path)
{
	json_t *dev = json_pack("{s:s, s:s, s:i, s:i, s:i, s:i, s:i}", "path",
				path, "type", "c", "major", 1, "minor", 3,
				"fileMode", 0666, "uid", 0, "gid", 0);
	json_t *devices = json_object_get(json_object_get(b->config, "linux"),
					  "devices");

	if (!devices) {
		devices = json_array();
		config_set(b, "linux.devices", devices);
	}
	json_array_append_new(devices, dev);
}

ATF_TC(readonly__nodev_blocks_open);
ATF_TC_HEAD(readonly__nodev_blocks_open, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts options): "
			  "a device node on a nodev mount does not open "
			  "(EACCES)");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__nodev_blocks_open, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, false);
	bundle_add_mount(&b, "/mnt", "tmpfs", "tmpfs", "nodev");
	add_null_device(&b, "/mnt/null");
	bundle_probe(&b, "open:/mnt/null");
	bundle_probe(&b, "open:/dev/null");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "EACCES");
	check_probe_error(&r, 1, "");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__dev_allows_open);
ATF_TC_HEAD(readonly__dev_allows_open, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts options): "
			  "a device node on a mount without nodev opens");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__dev_allows_open, tc)
{
	struct bundle b;
	struct report r;

	readonly_bundle(tc, &b, false);
	bundle_add_mount(&b, "/mnt", "tmpfs", "tmpfs", "dev");
	add_null_device(&b, "/mnt/null");
	bundle_probe(&b, "open:/mnt/null");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	report_free(&r);
	bundle_free(&b);
}

/* One case per mount where executing a copied binary must fail or work. */
#define EXEC_CASE(name, setup_dest, setup_opts, dir, expected, level, what)\
	ATF_TC(readonly__##name);                                          \
	ATF_TC_HEAD(readonly__##name, tc)                                  \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", level ": " what);           \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(readonly__##name, tc)                                  \
	{                                                                  \
		struct bundle b;                                           \
		struct report r;                                           \
                                                                           \
		readonly_bundle(tc, &b, false);                            \
		if (setup_dest)                                            \
			bundle_add_mount(&b, setup_dest, "tmpfs", "tmpfs", \
					 setup_opts);                      \
		bundle_probe(&b, "copyexec:" dir);                         \
		bundle_run(&b, &r);                                        \
		check_int(require_probe(&r, 0), "copy_errno", 0,           \
			  "copy into " dir);                               \
		check_probe_error(&r, 0, expected);                        \
		report_free(&r);                                           \
		bundle_free(&b);                                           \
	}

EXEC_CASE(noexec_blocks_exec, "/mnt", "noexec", "/mnt", "EACCES",
	  "OCI MUST (config, mounts options)",
	  "a binary on a noexec tmpfs does not execute (EACCES)")
EXEC_CASE(exec_allowed, "/mnt", "exec", "/mnt", "",
	  "OCI MUST (config, mounts options)",
	  "a binary on a tmpfs without noexec executes")
EXEC_CASE(shm_noexec_blocks_exec, NULL, NULL, "/dev/shm", "EACCES",
	  "runc default and libcontainer 2015 default",
	  "a binary in /dev/shm does not execute")

/* Host side of the nosuid cases: a setuid-root copy of the probe. */
static const char *setuid_probe_dir(struct bundle *b)
{
	char command[3 * PATH_MAX];
	const char *dir = bundle_host_dir(b, "suid");

	path_format(command, sizeof(command),
		    "cp %s/bin/mntns-probe %s/probe && chown 0:0 %s/probe && "
		    "chmod 4755 %s/probe", b->rootfs, dir, dir, dir);
	if (system(command) != 0)
		atf_tc_fail("setuid copy failed: %s", command);
	return dir;
}

static void run_setuid(const atf_tc_t *tc, struct bundle *b,
		       struct report *r, const char *options)
{
	readonly_bundle(tc, b, false);
	bundle_add_mount(b, "/mnt/suid", "bind", setuid_probe_dir(b),
			 options);
	config_set(b, "process.user", json_pack("{s:i, s:i}", "uid", 1000,
						"gid", 1000));
	config_set(b, "process.noNewPrivileges", json_false());
	bundle_probe(b, "exec:/mnt/suid/probe");
	bundle_run(b, r);
	check_probe_error(r, 0, "");
}

ATF_TC(readonly__nosuid_ignores_setuid);
ATF_TC_HEAD(readonly__nosuid_ignores_setuid, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts options): "
			  "a setuid-root binary on a nosuid mount runs with "
			  "the caller's euid");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__nosuid_ignores_setuid, tc)
{
	struct bundle b;
	struct report r;

	run_setuid(tc, &b, &r, "bind,nosuid");
	check_int(require_probe(&r, 0), "euid", 1000, "setuid probe");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(readonly__suid_honours_setuid);
ATF_TC_HEAD(readonly__suid_honours_setuid, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts options): "
			  "a setuid-root binary on a mount without nosuid "
			  "runs as euid 0, the control for the nosuid case");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(readonly__suid_honours_setuid, tc)
{
	struct bundle b;
	struct report r;

	run_setuid(tc, &b, &r, "bind");
	check_int(require_probe(&r, 0), "euid", 0, "setuid probe");
	report_free(&r);
	bundle_free(&b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, readonly__root_write_erofs);
	ATF_TP_ADD_TC(tp, readonly__root_flag);
	ATF_TP_ADD_TC(tp, readonly__root_still_reads);
	ATF_TP_ADD_TC(tp, readonly__root_writable_when_false);
	ATF_TP_ADD_TC(tp, readonly__dev_writable);
	ATF_TP_ADD_TC(tp, readonly__shm_writable);
	ATF_TP_ADD_TC(tp, readonly__tmpfs_mount_writable);
	ATF_TP_ADD_TC(tp, readonly__path_write_erofs);
	ATF_TP_ADD_TC(tp, readonly__path_still_reads);
	ATF_TP_ADD_TC(tp, readonly__path_keeps_flags);
	ATF_TP_ADD_TC(tp, readonly__bind_ro_keeps_flags);
	ATF_TP_ADD_TC(tp, readonly__root_keeps_flags);
	ATF_TP_ADD_TC(tp, readonly__sys_mkdir_erofs);
	ATF_TP_ADD_TC(tp, readonly__proc_sys_erofs);
	ATF_TP_ADD_TC(tp, readonly__remount_denied);
	ATF_TP_ADD_TC(tp, readonly__nodev_blocks_open);
	ATF_TP_ADD_TC(tp, readonly__dev_allows_open);
	ATF_TP_ADD_TC(tp, readonly__noexec_blocks_exec);
	ATF_TP_ADD_TC(tp, readonly__exec_allowed);
	ATF_TP_ADD_TC(tp, readonly__shm_noexec_blocks_exec);
	ATF_TP_ADD_TC(tp, readonly__nosuid_ignores_setuid);
	ATF_TP_ADD_TC(tp, readonly__suid_honours_setuid);
	return atf_no_error();
}
