/*
 * Console: process.terminal true gives the container a pty on fds 0-2 and
 * /dev/console; false leaves stdio alone and creates no console.
 */
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "checks.h"

/* Linux gives pty slaves (Unix98 ptys) majors 136 to 143. */
#define PTS_MAJOR_FIRST 136
#define PTS_MAJOR_LAST 143

static void run_terminal(const atf_tc_t *tc, struct bundle *b,
			 struct report *r, bool terminal)
{
	bundle_init(b, tc);
	b->terminal = terminal;
	bundle_probe(b, "stat:/dev/console");
	bundle_run(b, r);
}

static json_t *stdio_entry(const struct report *r, size_t fd)
{
	json_t *entry = json_array_get(json_object_get(r->json, "stdio"), fd);

	if (!entry)
		atf_tc_fail("stdio entry for fd %zu missing", fd);
	return entry;
}

ATF_TC(console__stdio_is_tty);
ATF_TC_HEAD(console__stdio_is_tty, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, process.terminal): "
			  "fds 0, 1 and 2 are a pty slave");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__stdio_is_tty, tc)
{
	struct bundle b;
	struct report r;

	run_terminal(tc, &b, &r, true);
	for (size_t fd = 0; fd < 3; fd++) {
		json_t *entry = stdio_entry(&r, fd);
		long major = json_int(entry, "rdev_major");

		ATF_CHECK_MSG(json_is_true(json_object_get(entry, "isatty")),
			      "fd %zu: expected a tty", fd);
		ATF_CHECK_MSG(major >= PTS_MAJOR_FIRST &&
				      major <= PTS_MAJOR_LAST,
			      "fd %zu: expected a pty slave (major 136-143), "
			      "actual major %ld", fd, major);
	}
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(console__stdio_same_pty);
ATF_TC_HEAD(console__stdio_same_pty, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, process.terminal): "
			  "fds 0, 1 and 2 are the same pty");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__stdio_same_pty, tc)
{
	struct bundle b;
	struct report r;
	long minor0;

	run_terminal(tc, &b, &r, true);
	minor0 = json_int(stdio_entry(&r, 0), "rdev_minor");
	check_int(stdio_entry(&r, 1), "rdev_minor", minor0, "fd 1 vs fd 0");
	check_int(stdio_entry(&r, 2), "rdev_minor", minor0, "fd 2 vs fd 0");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(console__dev_console_rdev);
ATF_TC_HEAD(console__dev_console_rdev, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (runtime-linux, "
			  "/dev/console): /dev/console is the process's "
			  "terminal (same rdev as fd 0)");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__dev_console_rdev, tc)
{
	struct bundle b;
	struct report r;
	json_t *console, *fd0;

	run_terminal(tc, &b, &r, true);
	check_probe_error(&r, 0, "");
	console = require_probe(&r, 0);
	fd0 = stdio_entry(&r, 0);
	check_str(console, "type", "c", "/dev/console");
	check_int(console, "rdev_major", json_int(fd0, "rdev_major"),
		  "/dev/console vs fd 0");
	check_int(console, "rdev_minor", json_int(fd0, "rdev_minor"),
		  "/dev/console vs fd 0");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(console__dev_console_bind);
ATF_TC_HEAD(console__dev_console_bind, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default and libcontainer 2015 "
			  "default: /dev/console is a bind mount of the pty "
			  "(crun 1.22 and later use a symlink)");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__dev_console_bind, tc)
{
	struct bundle b;
	struct report r;

	run_terminal(tc, &b, &r, true);
	require_mount(&r, "/dev/console");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(console__console_mode);
ATF_TC_HEAD(console__console_mode, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: the console pty keeps "
			  "the devpts mode 0620");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__console_mode, tc)
{
	struct bundle b;
	struct report r;

	run_terminal(tc, &b, &r, true);
	require_profile(&b, PROFILE_OCI);
	check_octal(require_probe(&r, 0), "mode", 0620, "/dev/console");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(console__console_group);
ATF_TC_HEAD(console__console_group, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: the console pty has "
			  "group 5 from the devpts gid= option and owner 0");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__console_group, tc)
{
	struct bundle b;
	struct report r;

	run_terminal(tc, &b, &r, true);
	require_profile(&b, PROFILE_OCI);
	check_int(require_probe(&r, 0), "gid", 5, "/dev/console");
	check_int(require_probe(&r, 0), "uid", 0, "/dev/console");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(console__console_2015_owner);
ATF_TC_HEAD(console__console_2015_owner, tc)
{
	atf_tc_set_md_var(tc, "descr", "libcontainer 2015 default: the "
			  "launcher's pty is bound on /dev/console with mode "
			  "0600, owned 0:0");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__console_2015_owner, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	require_profile(&b, PROFILE_LIBCONTAINER_2015);
	require_reference(&b, "the 2015 console ownership");
	b.terminal = true;
	bundle_probe(&b, "stat:/dev/console");
	bundle_run(&b, &r);
	check_octal(require_probe(&r, 0), "mode", 0600, "/dev/console");
	check_int(require_probe(&r, 0), "uid", 0, "/dev/console");
	check_int(require_probe(&r, 0), "gid", 0, "/dev/console");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(console__pty_from_container_devpts);
ATF_TC_HEAD(console__pty_from_container_devpts, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: the console pty comes "
			  "from the container's own devpts, not the host's");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__pty_from_container_devpts, tc)
{
	struct bundle b;
	struct report r;
	json_t *pts, *fd0;

	run_terminal(tc, &b, &r, true);
	require_profile(&b, PROFILE_OCI);
	fd0 = stdio_entry(&r, 0);
	pts = require_dev(&r, "/dev/pts");
	check_int(fd0, "dev_major", json_int(pts, "dev_major"),
		  "fd 0 device vs the container's /dev/pts");
	check_int(fd0, "dev_minor", json_int(pts, "dev_minor"),
		  "fd 0 device vs the container's /dev/pts");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(console__ttyname_resolves);
ATF_TC_HEAD(console__ttyname_resolves, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: ttyname(0) resolves "
			  "inside the container, under /dev/pts or to "
			  "/dev/console");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__ttyname_resolves, tc)
{
	struct bundle b;
	struct report r;
	json_t *name;

	run_terminal(tc, &b, &r, true);
	name = json_object_get(stdio_entry(&r, 0), "ttyname");
	ATF_REQUIRE_MSG(json_is_string(name), "ttyname(0) failed");
	ATF_CHECK_MSG(!strncmp(json_string_value(name), "/dev/pts/", 9) ||
			      !strcmp(json_string_value(name),
				      "/dev/console"),
		      "expected ttyname under /dev/pts, actual %s",
		      json_string_value(name));
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(console__no_console_without_terminal);
ATF_TC_HEAD(console__no_console_without_terminal, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: without a terminal "
			  "there is no /dev/console node or mount");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__no_console_without_terminal, tc)
{
	struct bundle b;
	struct report r;

	run_terminal(tc, &b, &r, false);
	check_probe_error(&r, 0, "ENOENT");
	ATF_CHECK_MSG(report_find_mount(&r, "/dev/console") == NULL,
		      "unexpected mount at /dev/console");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(console__stdio_untouched_without_terminal);
ATF_TC_HEAD(console__stdio_untouched_without_terminal, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, process.terminal "
			  "false): fds 0-2 stay the pipes the launcher "
			  "passed, not ttys");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(console__stdio_untouched_without_terminal, tc)
{
	struct bundle b;
	struct report r;

	run_terminal(tc, &b, &r, false);
	for (size_t fd = 0; fd < 3; fd++) {
		json_t *entry = stdio_entry(&r, fd);

		check_str(entry, "type", "p", "stdio");
		ATF_CHECK_MSG(json_is_false(json_object_get(entry, "isatty")),
			      "fd %zu: expected no tty", fd);
	}
	ATF_CHECK_MSG(json_int(stdio_entry(&r, 1), "ino") !=
			      json_int(stdio_entry(&r, 2), "ino"),
		      "expected fds 1 and 2 on different pipes");
	report_free(&r);
	bundle_free(&b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, console__stdio_is_tty);
	ATF_TP_ADD_TC(tp, console__stdio_same_pty);
	ATF_TP_ADD_TC(tp, console__dev_console_rdev);
	ATF_TP_ADD_TC(tp, console__dev_console_bind);
	ATF_TP_ADD_TC(tp, console__console_mode);
	ATF_TP_ADD_TC(tp, console__console_group);
	ATF_TP_ADD_TC(tp, console__console_2015_owner);
	ATF_TP_ADD_TC(tp, console__pty_from_container_devpts);
	ATF_TP_ADD_TC(tp, console__ttyname_resolves);
	ATF_TP_ADD_TC(tp, console__no_console_without_terminal);
	ATF_TP_ADD_TC(tp, console__stdio_untouched_without_terminal);
	return atf_no_error();
}
