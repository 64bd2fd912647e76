/*
 * End-to-end tests of the messages of "mntns run" about the entries of
 * "mounts": a failed mount names its entry, what the entry passed and the
 * next step, and each option that a bind mount ignores gets a warning.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "helpers.h"

/* The index that the next helper_add_mount() gives its entry. */
static size_t next_mount_index(json_t *config)
{
	return json_array_size(json_object_get(config, "mounts"));
}

/* Runs config, which must fail, and checks that stderr names entry index
 * as "mounts[N] (description)" and contains reason and hint. */
static void check_mount_error(const atf_tc_t *tc, json_t *config,
			      size_t index, const char *description,
			      const char *reason, const char *hint)
{
	struct run_result result;
	char entry[512];

	snprintf(entry, sizeof(entry), "bundle/config.json: mounts[%zu] (%s): ",
		 index, description);
	helper_run_config(tc, config, &result);
	ATF_CHECK_MSG(result.status == 1, "expected exit status 1, got %d; "
		      "stderr: %s", result.status, result.err);
	ATF_CHECK_MSG(strstr(result.err, entry) != NULL,
		      "expected \"%s\" in stderr, got: %s", entry, result.err);
	ATF_CHECK_MSG(strstr(result.err, reason) != NULL,
		      "expected the reason \"%s\" in stderr, got: %s", reason,
		      result.err);
	ATF_CHECK_MSG(strstr(result.err, hint) != NULL,
		      "expected the next step \"%s\" in stderr, got: %s",
		      hint, result.err);
	helper_free_result(&result);
	json_decref(config);
}

ATF_TC(mount_error__invalid_option);
ATF_TC_HEAD(mount_error__invalid_option, tc)
{
	atf_tc_set_md_var(tc, "descr", "an option the filesystem rejects "
			  "names the entry, the data passed and the options "
			  "to check");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mount_error__invalid_option, tc)
{
	json_t *config = helper_config(tc, "true");
	size_t index = next_mount_index(config);

	helper_add_mount(config, "/mnt", "tmpfs", "tmpfs",
			 "nosuid,rsideways");
	check_mount_error(tc, config, index,
			  "destination \"/mnt\", type \"tmpfs\", data "
			  "\"rsideways\"",
			  "mount tmpfs on '/mnt': Invalid argument",
			  "check the options: unknown options are passed to "
			  "the filesystem as data");
}

ATF_TC(mount_error__unknown_type);
ATF_TC_HEAD(mount_error__unknown_type, tc)
{
	atf_tc_set_md_var(tc, "descr", "a filesystem type the kernel lacks "
			  "names the entry and /proc/filesystems");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mount_error__unknown_type, tc)
{
	json_t *config = helper_config(tc, "true");
	size_t index = next_mount_index(config);

	helper_add_mount(config, "/mnt", "foofs", "none", NULL);
	check_mount_error(tc, config, index,
			  "destination \"/mnt\", type \"foofs\"",
			  "No such device",
			  "is the filesystem type available? see "
			  "/proc/filesystems");
}

ATF_TC(mount_error__inside_proc);
ATF_TC_HEAD(mount_error__inside_proc, tc)
{
	atf_tc_set_md_var(tc, "descr", "a destination inside /proc names the "
			  "entry, the allowed files and another destination "
			  "as the next step");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mount_error__inside_proc, tc)
{
	json_t *config = helper_config(tc, "true");
	size_t index = next_mount_index(config);

	helper_add_mount(config, "/proc/sys", "tmpfs", "tmpfs", NULL);
	check_mount_error(tc, config, index,
			  "destination \"/proc/sys\", type \"tmpfs\"",
			  "allowed only over cpuinfo, diskstats, meminfo",
			  "choose a destination outside /proc");
}

ATF_TC(mount_error__root_destination);
ATF_TC_HEAD(mount_error__root_destination, tc)
{
	atf_tc_set_md_var(tc, "descr", "the destination \"/\" names the entry "
			  "and root.path as the way to change the root");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mount_error__root_destination, tc)
{
	json_t *config = helper_config(tc, "true");
	size_t index = next_mount_index(config);

	helper_add_mount(config, "/", "tmpfs", "tmpfs", NULL);
	check_mount_error(tc, config, index,
			  "destination \"/\", type \"tmpfs\"",
			  "the destination is the rootfs itself",
			  "set root.path");
}

ATF_TC(mount_error__missing_bind_source);
ATF_TC_HEAD(mount_error__missing_bind_source, tc)
{
	atf_tc_set_md_var(tc, "descr", "a missing bind source names the entry "
			  "and its source");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mount_error__missing_bind_source, tc)
{
	char source[4096], description[4200];
	json_t *config = helper_config(tc, "true");
	size_t index = next_mount_index(config);

	ATF_REQUIRE(getcwd(source, sizeof(source) - 16) != NULL);
	strcat(source, "/missing");
	snprintf(description, sizeof(description),
		 "destination \"/mnt\", bind of \"%s\"", source);
	helper_add_mount(config, "/mnt", "bind", source, "rbind");
	check_mount_error(tc, config, index, description,
			  "No such file or directory",
			  "create the source on the host");
}

ATF_TC(mount_error__same_destination);
ATF_TC_HEAD(mount_error__same_destination, tc)
{
	atf_tc_set_md_var(tc, "descr", "of two mounts on one destination, the "
			  "error names the index of the one that failed");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mount_error__same_destination, tc)
{
	json_t *config = helper_config(tc, "true");
	size_t index = next_mount_index(config);

	helper_add_mount(config, "/mnt", "tmpfs", "tmpfs", "size=1m");
	helper_add_mount(config, "/mnt", "tmpfs", "tmpfs", "size=1m,rsideways");
	check_mount_error(tc, config, index + 1,
			  "destination \"/mnt\", type \"tmpfs\", data "
			  "\"size=1m,rsideways\"",
			  "Invalid argument", "check the options");
}

/* Runs a container with a bind of the work directory's "source" on /mnt
 * with options, and returns its stderr in result. */
static void run_bind(const atf_tc_t *tc, const char *options, size_t *index,
		     struct run_result *result)
{
	char source[4096];
	json_t *config = helper_config(tc, "test -d /mnt/inside");

	ATF_REQUIRE(getcwd(source, sizeof(source) - 16) != NULL);
	strcat(source, "/source");
	ATF_REQUIRE(mkdir("source", 0755) == 0 || errno == EEXIST);
	ATF_REQUIRE(mkdir("source/inside", 0755) == 0 || errno == EEXIST);
	*index = next_mount_index(config);
	helper_add_mount(config, "/mnt", "bind", source, options);
	helper_run_config(tc, config, result);
	json_decref(config);
}

/* Counts the lines of text. */
static int line_count(const char *text)
{
	int count = 0;

	for (const char *p = text; *p; p++)
		if (*p == '\n')
			count++;
	return count;
}

ATF_TC(bind_warning__unknown_option);
ATF_TC_HEAD(bind_warning__unknown_option, tc)
{
	atf_tc_set_md_var(tc, "descr", "an unknown option on a bind mount, "
			  "which the kernel would ignore, gets one warning "
			  "line naming the entry's options and the option");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(bind_warning__unknown_option, tc)
{
	const char *prefix = "mntns: warning: ";
	struct run_result result;
	char expected[256];
	size_t index;

	run_bind(tc, "rbind,bogusopt,ro", &index, &result);
	ATF_CHECK_MSG(result.status == 0, "expected exit status 0, got %d; "
		      "stderr: %s", result.status, result.err);
	ATF_CHECK_MSG(line_count(result.err) == 1, "expected one line on "
		      "stderr, got: %s", result.err);
	ATF_CHECK_MSG(strncmp(result.err, prefix, strlen(prefix)) == 0,
		      "expected a line starting \"%s\", got: %s", prefix,
		      result.err);
	snprintf(expected, sizeof(expected), "mounts[%zu].options: ", index);
	ATF_CHECK_MSG(strstr(result.err, expected) != NULL,
		      "expected \"%s\" in stderr, got: %s", expected,
		      result.err);
	ATF_CHECK_MSG(strstr(result.err, "\"bogusopt\"") != NULL,
		      "expected the option \"bogusopt\" in stderr, got: %s",
		      result.err);
	helper_free_result(&result);
}

ATF_TC(bind_warning__known_options);
ATF_TC_HEAD(bind_warning__known_options, tc)
{
	atf_tc_set_md_var(tc, "descr", "a bind mount with only known options "
			  "runs without a warning");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(bind_warning__known_options, tc)
{
	struct run_result result;
	size_t index;

	run_bind(tc, "rbind,ro,nosuid,rprivate", &index, &result);
	ATF_CHECK_MSG(result.status == 0, "expected exit status 0, got %d; "
		      "stderr: %s", result.status, result.err);
	ATF_CHECK_STREQ(result.err, "");
	helper_free_result(&result);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mount_error__invalid_option);
	ATF_TP_ADD_TC(tp, mount_error__unknown_type);
	ATF_TP_ADD_TC(tp, mount_error__inside_proc);
	ATF_TP_ADD_TC(tp, mount_error__root_destination);
	ATF_TP_ADD_TC(tp, mount_error__missing_bind_source);
	ATF_TP_ADD_TC(tp, mount_error__same_destination);
	ATF_TP_ADD_TC(tp, bind_warning__unknown_option);
	ATF_TP_ADD_TC(tp, bind_warning__known_options);
	return atf_no_error();
}
