/*
 * /proc and /sys: namespaces, masked paths and read-only paths.
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks.h"

/* Which entries of a path list existing_paths() returns. */
enum path_kind {
	PATHS_FILES, /* anything but a directory */
	PATHS_DIRS,
	PATHS_ALL,
};

#define PATHS_MAX 64

/* Fills out with the entries of the config's list key ("maskedPaths",
 * "readonlyPaths") that exist on this kernel and are of kind, and returns
 * their count.  The container's /proc and /sys show the same kernel as
 * the host's, so the host decides which paths a runtime can act on.  The
 * case fails when none exists, because it would then check nothing. */
static size_t existing_paths(const struct bundle *b, const char *key,
			     enum path_kind kind, const char **out)
{
	json_t *list = json_object_get(json_object_get(b->config, "linux"),
				       key);
	json_t *entry;
	struct stat st;
	size_t i, count = 0;

	json_array_foreach(list, i, entry) {
		const char *path = json_string_value(entry);

		if (!path || stat(path, &st) != 0 || count == PATHS_MAX)
			continue;
		if ((kind == PATHS_FILES && S_ISDIR(st.st_mode)) ||
		    (kind == PATHS_DIRS && !S_ISDIR(st.st_mode)))
			continue;
		out[count++] = path;
	}
	ATF_REQUIRE_MSG(count > 0, "none of the %zu linux.%s of the profile "
			"exists on this kernel as a %s, so nothing can be "
			"checked", json_array_size(list), key,
			kind == PATHS_DIRS ? "directory" : "file");
	return count;
}

ATF_TC(procsys__proc_own_pid_ns);
ATF_TC_HEAD(procsys__proc_own_pid_ns, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, namespaces): "
			  "/proc belongs to the container's pid namespace, "
			  "where the probe is pid 1");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__proc_own_pid_ns, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	bundle_probe(&b, "stat:/proc/self");
	bundle_probe(&b, "read:/proc/1/comm");
	bundle_run(&b, &r);
	check_int(r.json, "pid", 1, "getpid() in the container");
	check_str(require_probe(&r, 0), "target", "1", "/proc/self");
	check_str(require_probe(&r, 1), "text", "mntns-probe\n",
		  "/proc/1/comm");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(procsys__sys_own_net_ns);
ATF_TC_HEAD(procsys__sys_own_net_ns, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: /sys is a sysfs of the "
			  "container's network namespace, listing only lo");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__sys_own_net_ns, tc)
{
	struct bundle b;
	struct report r;
	json_t *entries;

	bundle_init(&b, tc);
	bundle_probe(&b, "list:/sys/class/net");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	entries = json_object_get(require_probe(&r, 0), "entries");
	ATF_CHECK_MSG(json_array_size(entries) == 1 &&
			      !strcmp(json_string_value(
					      json_array_get(entries, 0)),
				      "lo"),
		      "expected /sys/class/net to list only lo, actual %zu "
		      "entries", json_array_size(entries));
	report_free(&r);
	bundle_free(&b);
}

/* Checks one path of a profile list.  index is the path's probe, when the
 * case gave a probe verb. */
typedef void (*path_check)(const struct report *r, size_t index,
			   const char *path);

/* Runs the profile's container with one probe verb (or none when verb is
 * NULL) on each path of the list key that exists here as kind, then calls
 * check on each. */
static void check_profile_paths(const atf_tc_t *tc, const char *key,
				enum path_kind kind, const char *verb,
				path_check check)
{
	const char *paths[PATHS_MAX];
	struct bundle b;
	struct report r;
	size_t count;

	bundle_init(&b, tc);
	require_profile(&b, PROFILE_OCI);
	count = existing_paths(&b, key, kind, paths);
	for (size_t i = 0; verb && i < count; i++)
		bundle_probe(&b, "%s:%s", verb, paths[i]);
	bundle_run(&b, &r);
	for (size_t i = 0; i < count; i++)
		check(&r, i, paths[i]);
	report_free(&r);
	bundle_free(&b);
}

/* Fails the case, without stopping it, when path is not a mount point. */
static bool check_mounted(const struct report *r, const char *path)
{
	if (report_find_mount(r, path))
		return true;
	atf_tc_fail_nonfatal("expected a mount at %s, actual none", path);
	return false;
}

static void check_reads_empty(const struct report *r, size_t index,
			      const char *path)
{
	check_probe_error(r, index, "");
	check_int(require_probe(r, index), "length", 0, path);
}

static void check_dev_null_bind(const struct report *r, size_t index,
				const char *path)
{
	json_t *st = require_probe(r, index);

	check_str(st, "ltype", "c", path);
	check_int(st, "lrdev_major", 1, path);
	check_int(st, "lrdev_minor", 3, path);
	check_mounted(r, path);
}

static void check_lists_empty(const struct report *r, size_t index,
			      const char *path)
{
	json_t *entries;

	check_probe_error(r, index, "");
	entries = json_object_get(require_probe(r, index), "entries");
	ATF_CHECK_MSG(json_array_size(entries) == 0,
		      "expected %s empty, actual %zu entries", path,
		      json_array_size(entries));
}

static void check_readonly_tmpfs(const struct report *r, size_t index,
				 const char *path)
{
	(void)index;
	if (!check_mounted(r, path))
		return;
	check_fstype(r, path, "tmpfs");
	check_mount_flag(r, path, "ro", true);
}

static void check_readonly_mount(const struct report *r, size_t index,
				 const char *path)
{
	(void)index;
	if (check_mounted(r, path))
		check_mount_flag(r, path, "ro", true);
}

ATF_TC(procsys__masked_files_empty);
ATF_TC_HEAD(procsys__masked_files_empty, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (maskedPaths): every "
			  "masked file this kernel has, such as /proc/kcore "
			  "and /proc/keys, reads empty");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__masked_files_empty, tc)
{
	check_profile_paths(tc, "maskedPaths", PATHS_FILES, "read",
			    check_reads_empty);
}

ATF_TC(procsys__masked_files_null);
ATF_TC_HEAD(procsys__masked_files_null, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (maskedPaths): every "
			  "masked file this kernel has is a bind mount of "
			  "/dev/null, c 1:3");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__masked_files_null, tc)
{
	check_profile_paths(tc, "maskedPaths", PATHS_FILES, "stat",
			    check_dev_null_bind);
}

ATF_TC(procsys__masked_dirs_empty);
ATF_TC_HEAD(procsys__masked_dirs_empty, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (maskedPaths): every "
			  "masked directory this kernel has, such as "
			  "/proc/acpi and /sys/firmware, lists empty");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__masked_dirs_empty, tc)
{
	check_profile_paths(tc, "maskedPaths", PATHS_DIRS, "list",
			    check_lists_empty);
}

ATF_TC(procsys__masked_dirs_readonly_tmpfs);
ATF_TC_HEAD(procsys__masked_dirs_readonly_tmpfs, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (maskedPaths): every "
			  "masked directory this kernel has is a read-only "
			  "tmpfs");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__masked_dirs_readonly_tmpfs, tc)
{
	check_profile_paths(tc, "maskedPaths", PATHS_DIRS, NULL,
			    check_readonly_tmpfs);
}

ATF_TC(procsys__readonly_paths);
ATF_TC_HEAD(procsys__readonly_paths, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (readonlyPaths): every "
			  "read-only path this kernel has, such as /proc/sys "
			  "and /proc/sysrq-trigger, is a read-only mount");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__readonly_paths, tc)
{
	check_profile_paths(tc, "readonlyPaths", PATHS_ALL, NULL,
			    check_readonly_mount);
}

static void add_masked_path(struct bundle *b, const char *path)
{
	json_t *linux_obj = json_object_get(b->config, "linux");
	json_t *paths = json_object_get(linux_obj, "maskedPaths");

	if (!paths) {
		paths = json_array();
		config_set(b, "linux.maskedPaths", paths);
	}
	json_array_append_new(paths, json_string(path));
}

/* The OCI MUST for maskedPaths is that the path "cannot be read": a read
 * that fails (nspawn's mode-0000 nodes give EACCES) hides the content as
 * well as runc's /dev/null bind that reads 0 bytes. */
static void check_read_hidden(const struct report *r, size_t index,
			      const char *path)
{
	json_t *probe = require_probe(r, index);

	if (json_str(probe, "error")[0])
		return;
	check_int(probe, "length", 0, path);
}

ATF_TC(procsys__custom_masked_file);
ATF_TC_HEAD(procsys__custom_masked_file, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, maskedPaths):"
			  " a masked file outside /proc cannot be read (the "
			  "read fails or returns nothing)");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__custom_masked_file, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	add_masked_path(&b, "/etc/hostname");
	bundle_probe(&b, "read:/etc/hostname");
	bundle_run(&b, &r);
	check_read_hidden(&r, 0, "/etc/hostname");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(procsys__custom_masked_file_reads_empty);
ATF_TC_HEAD(procsys__custom_masked_file_reads_empty, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (maskedPaths): a masked "
			  "file is a bind of /dev/null and reads 0 bytes");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__custom_masked_file_reads_empty, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	add_masked_path(&b, "/etc/hostname");
	bundle_probe(&b, "read:/etc/hostname");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	check_int(require_probe(&r, 0), "length", 0, "/etc/hostname");
	report_free(&r);
	bundle_free(&b);
}

/* Runs a container with a writable root and /etc masked that lists /etc
 * (probe 0) and writes a file in it (probe 1). */
static void run_masked_etc(const atf_tc_t *tc, struct bundle *b,
			   struct report *r)
{
	bundle_init(b, tc);
	config_set(b, "root.readonly", json_false());
	add_masked_path(b, "/etc");
	bundle_probe(b, "list:/etc");
	bundle_probe(b, "write:/etc/probe-file");
	bundle_run(b, r);
}

ATF_TC(procsys__custom_masked_dir);
ATF_TC_HEAD(procsys__custom_masked_dir, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, maskedPaths):"
			  " a masked directory shows none of its entries and "
			  "takes no new files");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__custom_masked_dir, tc)
{
	struct bundle b;
	struct report r;
	json_t *entries;

	run_masked_etc(tc, &b, &r);
	entries = json_object_get(require_probe(&r, 0), "entries");
	ATF_CHECK_MSG(json_array_size(entries) == 0,
		      "expected no entries of /etc listed, actual %zu",
		      json_array_size(entries));
	ATF_CHECK_MSG(json_str(require_probe(&r, 1), "error")[0] != '\0',
		      "expected write:/etc/probe-file to fail, actual success");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(procsys__custom_masked_dir_empty_tmpfs);
ATF_TC_HEAD(procsys__custom_masked_dir_empty_tmpfs, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (maskedPaths): a masked "
			  "directory is an empty read-only tmpfs: it lists "
			  "empty and a write gives EROFS");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__custom_masked_dir_empty_tmpfs, tc)
{
	struct bundle b;
	struct report r;
	json_t *entries;

	run_masked_etc(tc, &b, &r);
	check_probe_error(&r, 0, "");
	entries = json_object_get(require_probe(&r, 0), "entries");
	ATF_CHECK_MSG(json_array_size(entries) == 0,
		      "expected /etc empty, actual %zu entries",
		      json_array_size(entries));
	check_probe_error(&r, 1, "EROFS");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(procsys__masked_missing_ignored);
ATF_TC_HEAD(procsys__masked_missing_ignored, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: a masked path missing "
			  "from the rootfs is skipped, not an error");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__masked_missing_ignored, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	add_masked_path(&b, "/proc/no-such-file");
	bundle_run(&b, &r);
	ATF_CHECK(report_find_mount(&r, "/proc/no-such-file") == NULL);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(procsys__masked_umount_denied);
ATF_TC_HEAD(procsys__masked_umount_denied, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default capabilities: the "
			  "container cannot unmount a masked path and read "
			  "what it hides");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__masked_umount_denied, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	add_masked_path(&b, "/etc/hostname");
	bundle_probe(&b, "umount:/etc/hostname");
	bundle_probe(&b, "read:/etc/hostname");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "EPERM");
	check_read_hidden(&r, 1, "/etc/hostname");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(procsys__proc_mount_denied);
ATF_TC_HEAD(procsys__proc_mount_denied, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default capabilities: the "
			  "container cannot mount over /proc paths");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(procsys__proc_mount_denied, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	bundle_probe(&b, "mount:/proc/sys");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "EPERM");
	report_free(&r);
	bundle_free(&b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, procsys__proc_own_pid_ns);
	ATF_TP_ADD_TC(tp, procsys__sys_own_net_ns);
	ATF_TP_ADD_TC(tp, procsys__masked_files_empty);
	ATF_TP_ADD_TC(tp, procsys__masked_files_null);
	ATF_TP_ADD_TC(tp, procsys__masked_dirs_empty);
	ATF_TP_ADD_TC(tp, procsys__masked_dirs_readonly_tmpfs);
	ATF_TP_ADD_TC(tp, procsys__readonly_paths);
	ATF_TP_ADD_TC(tp, procsys__custom_masked_file);
	ATF_TP_ADD_TC(tp, procsys__custom_masked_dir);
	ATF_TP_ADD_TC(tp, procsys__custom_masked_dir_empty_tmpfs);
	ATF_TP_ADD_TC(tp, procsys__custom_masked_file_reads_empty);
	ATF_TP_ADD_TC(tp, procsys__masked_missing_ignored);
	ATF_TP_ADD_TC(tp, procsys__masked_umount_denied);
	ATF_TP_ADD_TC(tp, procsys__proc_mount_denied);
	return atf_no_error();
}
