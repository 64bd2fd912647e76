/*
 * Propagation of the container's root: linux.rootfsPropagation shows in
 * the optional fields of mountinfo and decides whether a mount made on
 * the host side reaches the container.  The host side is the runner's
 * private mount namespace, where the rootfs is made a shared mount first,
 * so the host needs no peer group of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "checks.h"

#define HOST_DONE "/tmp/.host-done"

/* Host side, before the runtime: the bundle directory becomes a shared
 * mount, so the rootfs lies on a shared mount without being one.  Runtimes
 * make the rootfs's own mount private when it is shared, because
 * pivot_root(2) rejects a shared parent. */
static int share_bundle_dir(struct bundle *b, void *arg)
{
	(void)arg;
	if (mount(b->dir, b->dir, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	if (mount(NULL, b->dir, NULL, MS_SHARED, NULL) < 0)
		return -errno;
	return 0;
}

/* Host side, while the container waits: a tmpfs on rootfs/mnt, then the
 * file that lets the probe go on. */
static int mount_on_host(struct bundle *b, void *arg)
{
	char path[PATH_MAX + 32];
	FILE *f;

	(void)arg;
	path_format(path, sizeof(path), "%s/mnt", b->rootfs);
	if (mount("host-side", path, "tmpfs", 0, "size=1m") < 0)
		return -errno;
	path_format(path, sizeof(path), "%s%s", b->rootfs, HOST_DONE);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fclose(f);
	return 0;
}

static void propagation_bundle(const atf_tc_t *tc, struct bundle *b,
			       const char *propagation)
{
	bundle_init(b, tc);
	config_set(b, "root.readonly", json_false());
	config_set(b, "linux.rootfsPropagation", json_string(propagation));
	b->private_ns = true;
	b->hooks.before = share_bundle_dir;
}

static void run_with_host_mount(struct bundle *b, struct report *r)
{
	b->hooks.during = mount_on_host;
	bundle_probe(b, "touch:/tmp/.probe-ready");
	bundle_probe(b, "wait:%s", HOST_DONE);
	bundle_run(b, r);
	check_probe_error(r, 1, "");
}

/* runc and crun make the rootfs's parent mount private for pivot_root(2)
 * after applying rootfsPropagation recursively, so their root ends up
 * private whatever was asked.  Private is unaffected. */
static void expect_deviation(const struct bundle *b, const char *value)
{
	/* NOTE: the first fixed versions of runc are inferred from the
	 * merge dates of the fixes, not from release notes. */
	if (!strcmp(value, "slave")) {
		runtime_expect_fail(b, "runc", "1.5", "the root loses its "
				    "slave propagation before pivot_root, "
				    "opencontainers/runc#5192");
		/* crun's main branch still made the parent private in 2026. */
		runtime_expect_fail_at(b, "crun", "1.8.1", "the root loses "
				       "its slave propagation before "
				       "pivot_root, as in "
				       "opencontainers/runc#5192; "
				       "runtime-spec config-linux says "
				       "rootfsPropagation sets the rootfs's "
				       "propagation");
	} else if (!strcmp(value, "shared")) {
		runtime_expect_fail(b, "runc", "1.2", "rootfsPropagation "
				    "shared is not applied, "
				    "opencontainers/runc#1755");
	} else if (!strcmp(value, "unbindable")) {
		runtime_expect_fail(b, "runc", NULL, "the root is left "
				    "private; runtime-spec config-linux says "
				    "rootfsPropagation sets the rootfs's "
				    "propagation");
	}
}

static bool has_field(const struct report *r, const char *target,
		      const char *field)
{
	const char *fields = mnt_fs_get_optional_fields(
		require_mount(r, target));

	return fields && strstr(fields, field) != NULL;
}

static void check_field(const struct report *r, const char *target,
			const char *field, bool expected)
{
	struct libmnt_fs *fs = require_mount(r, target);

	if (has_field(r, target, field) != expected)
		atf_tc_fail_nonfatal("%s: expected %s\"%s\" in the optional "
				     "fields\n  row: %s", target,
				     expected ? "" : "no ", field,
				     report_row(r, fs));
}

/* Checks whether / shows field with rootfsPropagation value. */
static void check_root_field(const atf_tc_t *tc, const char *value,
			     const char *field, bool expected)
{
	struct bundle b;
	struct report r;

	propagation_bundle(tc, &b, value);
	if (expected)
		expect_deviation(&b, value);
	bundle_run(&b, &r);
	check_field(&r, "/", field, expected);
	report_free(&r);
	bundle_free(&b);
}

/* Checks whether a mount made on the host side after the container
 * started reaches its /mnt with rootfsPropagation value. */
static void check_host_mount_received(const atf_tc_t *tc, const char *value,
				      bool expected)
{
	struct bundle b;
	struct report r;
	struct libmnt_fs *fs;

	propagation_bundle(tc, &b, value);
	if (expected)
		expect_deviation(&b, value);
	run_with_host_mount(&b, &r);
	fs = report_find_mount(&r, "/mnt");
	if (expected)
		check_fstype(&r, "/mnt", "tmpfs");
	else
		ATF_CHECK_MSG(fs == NULL, "expected no mount at /mnt, actual: "
			      "%s", fs ? report_row(&r, fs) : "");
	report_free(&r);
	bundle_free(&b);
}

/* One case per rootfsPropagation value and the field it shows. */
#define FIELD_CASE(name, value, field, expected)                           \
	ATF_TC(propagation__##name);                                       \
	ATF_TC_HEAD(propagation__##name, tc)                               \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, "   \
				  "rootfsPropagation): \"" value "\" "     \
				  "shows " field " on /");                 \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(propagation__##name, tc)                               \
	{                                                                  \
		check_root_field(tc, value, field, expected);              \
	}

FIELD_CASE(private_no_shared, "private", "shared:", false)
FIELD_CASE(private_no_master, "private", "master:", false)
FIELD_CASE(slave_master, "slave", "master:", true)
FIELD_CASE(slave_not_shared, "slave", "shared:", false)
FIELD_CASE(shared_shared, "shared", "shared:", true)
FIELD_CASE(unbindable_field, "unbindable", "unbindable", true)

/* One case per value and whether a host-side mount reaches the root. */
#define RECEIVE_CASE(name, value, expected, what)                          \
	ATF_TC(propagation__##name);                                       \
	ATF_TC_HEAD(propagation__##name, tc)                               \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, "   \
				  "rootfsPropagation): with \"" value      \
				  "\", " what);                            \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(propagation__##name, tc)                               \
	{                                                                  \
		check_host_mount_received(tc, value, expected);            \
	}

RECEIVE_CASE(slave_receives, "slave", true,
	     "a mount made on the host side appears in the container")
RECEIVE_CASE(private_isolated, "private", false,
	     "a mount made on the host side stays out of the container")
RECEIVE_CASE(unbindable_isolated, "unbindable", false,
	     "a mount made on the host side stays out of the container")

ATF_TC(propagation__bind_option_private);
ATF_TC_HEAD(propagation__bind_option_private, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config, mounts options): "
			  "\"rprivate\" on a bind of a shared source leaves "
			  "it without a peer group");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(propagation__bind_option_private, tc)
{
	struct bundle b;
	struct report r;

	propagation_bundle(tc, &b, "shared");
	bundle_add_mount(&b, "/mnt/data", "bind", bundle_host_dir(&b, "d"),
			 "rbind,rprivate");
	bundle_run(&b, &r);
	check_field(&r, "/mnt/data", "shared:", false);
	check_field(&r, "/mnt/data", "master:", false);
	report_free(&r);
	bundle_free(&b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, propagation__private_no_shared);
	ATF_TP_ADD_TC(tp, propagation__private_no_master);
	ATF_TP_ADD_TC(tp, propagation__slave_master);
	ATF_TP_ADD_TC(tp, propagation__slave_not_shared);
	ATF_TP_ADD_TC(tp, propagation__shared_shared);
	ATF_TP_ADD_TC(tp, propagation__unbindable_field);
	ATF_TP_ADD_TC(tp, propagation__slave_receives);
	ATF_TP_ADD_TC(tp, propagation__private_isolated);
	ATF_TP_ADD_TC(tp, propagation__unbindable_isolated);
	ATF_TP_ADD_TC(tp, propagation__bind_option_private);
	return atf_no_error();
}
