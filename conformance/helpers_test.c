/*
 * The suite's own checks, run on fixtures/mountinfo/sample.txt: lookups
 * through libmount, option parsing, and checks that must fail on a wrong
 * expectation.  No runtime and no root needed.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "checks.h"

static void load_sample(const atf_tc_t *tc, struct report *r)
{
	char path[PATH_MAX];
	int ret;

	path_format(path, sizeof(path), "%s/../fixtures/mountinfo/sample.txt",
		    atf_tc_get_config_var(tc, "srcdir"));
	ret = report_load_mountinfo(r, path);
	ATF_REQUIRE_MSG(ret == 0, "parse of %s failed: %d", path, ret);
}

ATF_TC_WITHOUT_HEAD(helpers__escaped_target);
ATF_TC_BODY(helpers__escaped_target, tc)
{
	struct report r;

	load_sample(tc, &r);
	check_fstype(&r, "/mnt/with space", "tmpfs");
	check_fs_octal(&r, "/mnt/with space", "mode", 0700, 01777);
	report_free(&r);
}

ATF_TC_WITHOUT_HEAD(helpers__optional_fields);
ATF_TC_BODY(helpers__optional_fields, tc)
{
	struct report r;
	const char *fields;

	load_sample(tc, &r);
	fields = mnt_fs_get_optional_fields(require_mount(&r, "/"));
	ATF_REQUIRE(fields != NULL);
	ATF_CHECK_STREQ(fields, "master:1");
	fields = mnt_fs_get_optional_fields(require_mount(&r,
							  "/mnt/unbindable"));
	ATF_CHECK_STREQ(fields, "unbindable");
	report_free(&r);
}

ATF_TC_WITHOUT_HEAD(helpers__flags_and_options);
ATF_TC_BODY(helpers__flags_and_options, tc)
{
	struct report r;

	load_sample(tc, &r);
	check_mount_flag(&r, "/", "ro", true);
	check_mount_flag(&r, "/dev", "strictatime", true);
	check_mount_flag(&r, "/proc", "strictatime", false);
	check_mount_flag(&r, "/mnt/with space/sub", "noatime", true);
	check_fs_option(&r, "/dev/pts", "gid", "5");
	check_fs_octal(&r, "/dev/pts", "ptmxmode", 0666, -1);
	check_fs_octal(&r, "/dev/shm", "mode", 01777, 01777);
	check_fs_option(&r, "/dev/shm", "mode", NULL);
	report_free(&r);
}

ATF_TC_WITHOUT_HEAD(helpers__parent_order);
ATF_TC_BODY(helpers__parent_order, tc)
{
	struct report r;
	struct libmnt_fs *parent, *child;

	load_sample(tc, &r);
	parent = require_mount(&r, "/mnt/with space");
	child = require_mount(&r, "/mnt/with space/sub");
	ATF_CHECK_EQ(mnt_fs_get_parent_id(child), mnt_fs_get_id(parent));
	ATF_CHECK(report_mount_index(&r, parent) <
		  report_mount_index(&r, child));
	ATF_CHECK(strstr(report_row(&r, child), "noatime") != NULL);
	report_free(&r);
}

ATF_TC(helpers__bind_over_tmpfs_on_tmpfs);
ATF_TC_HEAD(helpers__bind_over_tmpfs_on_tmpfs, tc)
{
	atf_tc_set_md_var(tc, "descr", "the root field, not the type, finds "
			  "a bind on top of a tmpfs when the bind's source is "
			  "on a tmpfs too (a work dir in a tmpfs /tmp)");
}
ATF_TC_BODY(helpers__bind_over_tmpfs_on_tmpfs, tc)
{
	struct report r;

	load_sample(tc, &r);
	check_fstype(&r, "/mnt/data", "tmpfs");
	check_mount_root_suffix(&r, "/mnt/data", "/host/data");
	report_free(&r);
}

/* Each check below is wrong on purpose: the case passes only if the
 * check reports the failure. */
#define WRONG_CASE(name, statement)                                        \
	ATF_TC_WITHOUT_HEAD(helpers__##name);                              \
	ATF_TC_BODY(helpers__##name, tc)                                   \
	{                                                                  \
		struct report r;                                           \
                                                                           \
		load_sample(tc, &r);                                       \
		atf_tc_expect_fail("the check must reject this");          \
		statement;                                                 \
		report_free(&r);                                           \
	}

WRONG_CASE(detects_flag, check_mount_flag(&r, "/proc", "ro", true))
WRONG_CASE(detects_type, check_fstype(&r, "/dev", "devtmpfs"))
WRONG_CASE(detects_option, check_fs_option(&r, "/dev/pts", "gid", "0"))
WRONG_CASE(detects_octal, check_fs_octal(&r, "/dev", "mode", 0700, 01777))
WRONG_CASE(detects_missing_mount, require_mount(&r, "/nowhere"))
WRONG_CASE(detects_root, check_mount_root_suffix(&r, "/mnt/data", "/other"))
WRONG_CASE(detects_strictatime,
	   check_mount_flag(&r, "/dev/shm", "strictatime", true))

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, helpers__escaped_target);
	ATF_TP_ADD_TC(tp, helpers__optional_fields);
	ATF_TP_ADD_TC(tp, helpers__flags_and_options);
	ATF_TP_ADD_TC(tp, helpers__parent_order);
	ATF_TP_ADD_TC(tp, helpers__detects_flag);
	ATF_TP_ADD_TC(tp, helpers__detects_type);
	ATF_TP_ADD_TC(tp, helpers__detects_option);
	ATF_TP_ADD_TC(tp, helpers__detects_octal);
	ATF_TP_ADD_TC(tp, helpers__detects_missing_mount);
	ATF_TP_ADD_TC(tp, helpers__detects_root);
	ATF_TP_ADD_TC(tp, helpers__bind_over_tmpfs_on_tmpfs);
	ATF_TP_ADD_TC(tp, helpers__detects_strictatime);
	return atf_no_error();
}
