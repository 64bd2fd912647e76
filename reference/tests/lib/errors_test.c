/*
 * Errors: the error object, unsupported operations, invalid input, missing
 * capabilities, and relabelling of system directories.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "helpers.h"

/* Checks rc and the error object.  A failed system call also puts its
 * errno text in the message, while invalid input is explained in words. */
static void check_error_object(int rc, const struct mntns_error *err,
			       int errnum, const char *path_part,
			       bool errno_text)
{
	NS_CHECK(rc == -errnum, "rc: expected %d (%s), got %d (%s)", -errnum,
		 strerror(errnum), rc, strerror(-rc));
	NS_CHECK(err->errnum == errnum, "err.errnum: expected %d, got %d",
		 errnum, err->errnum);
	NS_CHECK(err->operation[0] != '\0', "err.operation: expected the "
		 "failed operation, got \"\"");
	NS_CHECK(strstr(err->path, path_part) != NULL,
		 "err.path: expected it to contain %s, got \"%s\"", path_part,
		 err->path);
	if (errno_text)
		NS_CHECK(strstr(err->message, strerror(errnum)) != NULL,
			 "err.message: expected it to contain \"%s\", got "
			 "\"%s\"", strerror(errnum), err->message);
	else
		NS_CHECK(strstr(err->message, path_part) != NULL,
			 "err.message: expected it to name %s, got \"%s\"",
			 path_part, err->message);
}

static void missing_rootfs_spec(struct mntns_spec *spec, char *rootfs,
				size_t size)
{
	static struct mntns_mount_entry entries[NS_MAX_SYSTEM_MOUNTS];

	ns_work_path(rootfs, size, "missing-rootfs");
	ns_spec_init(spec, rootfs);
	spec->mounts = entries;
	spec->mounts_count = ns_system_mounts(entries, false, NULL);
}

static void missing_rootfs(void *arg)
{
	struct mntns_error err = { 0 };
	struct mntns_spec spec;
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	missing_rootfs_spec(&spec, rootfs, sizeof(rootfs));
	rc = mntns_setup(&spec, &err);
	check_error_object(rc, &err, ENOENT, "missing-rootfs", true);
}

NS_TC(error__missing_rootfs, "a missing rootfs fills the error object with "
      "operation, path and errno", missing_rootfs, NULL)

static void null_error_object(void *arg)
{
	struct mntns_spec spec;
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	missing_rootfs_spec(&spec, rootfs, sizeof(rootfs));
	rc = mntns_setup(&spec, NULL);
	NS_CHECK(rc == -ENOENT, "mntns_setup with a NULL error object: "
		 "expected -ENOENT, got %d", rc);
}

NS_TC(error__null_error_object, "the error object is optional",
      null_error_object, NULL)

static void relative_rootfs(void *arg)
{
	struct mntns_error err = { 0 };
	struct mntns_spec spec;
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_spec_init(&spec, ROOTFS_DIR);
	rc = mntns_setup(&spec, &err);
	check_error_object(rc, &err, EINVAL, ROOTFS_DIR, false);
}

NS_TC(error__relative_rootfs, "a relative rootfs is rejected with EINVAL "
      "naming it", relative_rootfs, NULL)

/* Two tmpfs mounts on /mnt and a third of a type no kernel has, so the
 * failing entry's destination alone would not identify it. */
static const struct mntns_mount_entry index_entries[] = {
	{ .destination = "/mnt", .type = "tmpfs" },
	{ .destination = "/tmp", .type = "tmpfs" },
	{ .destination = "/mnt", .type = "mntns-no-such-fs" },
};

static void mount_index_failed_entry(void *arg)
{
	struct mntns_error err = { 0 };
	struct mntns_spec spec;
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_spec_init(&spec, rootfs);
	spec.mounts = index_entries;
	spec.mounts_count = sizeof(index_entries) / sizeof(index_entries[0]);
	rc = mntns_setup(&spec, &err);
	NS_CHECK(rc == -ENODEV, "mntns_setup: expected -ENODEV, got %d (%s)",
		 rc, strerror(-rc));
	NS_CHECK(err.mount_index == 2, "err.mount_index: expected 2, got %d",
		 err.mount_index);
}

NS_TC(error__mount_index, "a failed mount entry's index in spec.mounts is "
      "in err.mount_index", mount_index_failed_entry, NULL)

static void mount_index_other_step(void *arg)
{
	struct mntns_error err = { .mount_index = 5 };
	struct mntns_spec spec;
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	missing_rootfs_spec(&spec, rootfs, sizeof(rootfs));
	rc = mntns_setup(&spec, &err);
	NS_CHECK(rc == -ENOENT, "mntns_setup: expected -ENOENT, got %d (%s)",
		 rc, strerror(-rc));
	NS_CHECK(err.mount_index == -1, "err.mount_index: expected -1, got "
		 "%d", err.mount_index);
}

NS_TC(error__mount_index_none, "a failure outside the mount entries sets "
      "err.mount_index to -1", mount_index_other_step, NULL)

static void initialize_mount_index(void *arg)
{
	const struct mntns_mount mounts[] = {
		{ .type = "tmpfs", .destination = "/mnt", .writable = true },
		{ .type = "tmpfs", .destination = "/", .writable = true },
	};
	const struct mntns_config config = {
		.no_pivot_root = true,
		.mounts = mounts,
		.mounts_count = sizeof(mounts) / sizeof(mounts[0]),
	};
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	rc = mntns_initialize(rootfs, NULL, false, &config, &err);
	NS_CHECK(rc == -EINVAL, "mntns_initialize: expected -EINVAL, got %d "
		 "(%s)", rc, strerror(-rc));
	NS_CHECK(err.mount_index == 1, "err.mount_index: expected 1, the "
		 "index in config.mounts, got %d (%s)", err.mount_index,
		 err.message);
}

NS_TC(error__initialize_mount_index, "mntns_initialize gives the index of "
      "the failed entry in config.mounts, after the system mounts",
      initialize_mount_index, NULL)

/* With mntns_spec_init() defaults, a standard descriptor that is the null
 * device needs a /dev/null in the rootfs, and the error names how to get
 * one or to do without. */
static void missing_devnull(void *arg)
{
	struct mntns_error err = { 0 };
	struct mntns_spec spec;
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	int null_fd = open("/dev/null", O_RDONLY);
	NS_REQUIRE(null_fd >= 0 && dup2(null_fd, 0) == 0, "make stdin "
		   "/dev/null: %s", strerror(errno));
	ns_make_rootfs(rootfs, sizeof(rootfs));
	mntns_spec_init(&spec, rootfs);
	rc = mntns_setup(&spec, &err);
	NS_CHECK(rc == -ENOENT, "mntns_setup: expected -ENOENT, got %d (%s)",
		 rc, strerror(-rc));
	NS_CHECK(strstr(err.message, "open '/dev/null'") != NULL,
		 "err.message: expected \"open '/dev/null'\", got \"%s\"",
		 err.message);
	NS_CHECK(strstr(err.message, "c 1:3") != NULL, "err.message: "
		 "expected the device to create (c 1:3), got \"%s\"",
		 err.message);
	NS_CHECK(strstr(err.message, "reopen_devnull to false") != NULL,
		 "err.message: expected the option to turn off, got \"%s\"",
		 err.message);
}

NS_TC(error__missing_devnull, "a missing /dev/null for the reopening "
      "names the device to create and reopen_devnull", missing_devnull,
      NULL)

/* ------------------------------------------------------------------ */
/* Unsupported operations                                               */

static void unsupported_mount_type(void *arg)
{
	struct mntns_mount mount = {
		.type = "proc",
		.source = "proc",
		.destination = "/proc",
	};
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	rc = mntns_mount(&mount, rootfs, NULL, &err);
	NS_CHECK(rc == -MNTNS_EUNSUPPORTED, "mntns_mount of type proc: "
		 "expected -MNTNS_EUNSUPPORTED (%d), got %d",
		 -MNTNS_EUNSUPPORTED, rc);
	NS_CHECK(err.errnum == MNTNS_EUNSUPPORTED, "err.errnum: expected %d, "
		 "got %d", MNTNS_EUNSUPPORTED, err.errnum);
}

NS_TC(unsupported__mount_type, "mntns_mount of a type other than bind or "
      "tmpfs returns -MNTNS_EUNSUPPORTED", unsupported_mount_type, NULL)

ATF_TC(unsupported__to_entry);
ATF_TC_HEAD(unsupported__to_entry, tc)
{
	atf_tc_set_md_var(tc, "descr", "mntns_mount_to_entry of an unknown "
			  "type returns -MNTNS_EUNSUPPORTED");
}
ATF_TC_BODY(unsupported__to_entry, tc)
{
	struct mntns_mount mount = {
		.type = "nfs",
		.source = "server:/export",
		.destination = "/mnt",
	};
	struct mntns_mount_entry entry;
	struct mntns_error err = { 0 };
	int rc;

	(void)tc;
	rc = mntns_mount_to_entry(&mount, &entry, &err);
	ATF_CHECK_EQ_MSG(rc, -MNTNS_EUNSUPPORTED, "expected %d, got %d",
			 -MNTNS_EUNSUPPORTED, rc);
	ATF_CHECK_EQ_MSG(err.errnum, MNTNS_EUNSUPPORTED, "err.errnum: "
			 "expected %d, got %d", MNTNS_EUNSUPPORTED, err.errnum);
}

ATF_TC(to_entry__bind);
ATF_TC_HEAD(to_entry__bind, tc)
{
	atf_tc_set_md_var(tc, "descr", "a read-only slave bind Mount becomes "
			  "a recursive bind entry with MS_RDONLY and slave "
			  "propagation");
}
ATF_TC_BODY(to_entry__bind, tc)
{
	struct mntns_mount mount = {
		.type = "bind",
		.source = "/srv/data",
		.destination = "/data",
		.writable = false,
		.slave = true,
		.relabel = "Z",
	};
	struct mntns_mount_entry entry;
	struct mntns_error err = { 0 };
	int rc;

	(void)tc;
	rc = mntns_mount_to_entry(&mount, &entry, &err);
	ATF_REQUIRE_EQ_MSG(rc, 0, "expected 0, got %d (%s)", rc, err.message);
	ATF_CHECK_STREQ(entry.source, "/srv/data");
	ATF_CHECK_STREQ(entry.destination, "/data");
	ATF_CHECK_MSG((entry.flags & MNTNS_ENTRY_BIND) &&
			      (entry.flags & MNTNS_ENTRY_RECURSIVE),
		      "flags: expected BIND and RECURSIVE, got 0x%x",
		      entry.flags);
	ATF_CHECK_MSG(entry.ms_flags & MS_RDONLY, "ms_flags: expected "
		      "MS_RDONLY, got 0x%lx", entry.ms_flags);
	ATF_CHECK_EQ_MSG(entry.propagation, MNTNS_PROPAGATION_SLAVE,
			 "propagation: expected SLAVE (%d), got %d",
			 MNTNS_PROPAGATION_SLAVE, entry.propagation);
	ATF_CHECK_MSG(entry.relabel != NULL && strcmp(entry.relabel, "Z") == 0,
		      "relabel: expected \"Z\", got \"%s\"",
		      entry.relabel ? entry.relabel : "(null)");
}

ATF_TC(to_entry__tmpfs);
ATF_TC_HEAD(to_entry__tmpfs, tc)
{
	atf_tc_set_md_var(tc, "descr", "a tmpfs Mount becomes a labelled "
			  "tmpfs entry with nosuid, nodev and noexec");
}
ATF_TC_BODY(to_entry__tmpfs, tc)
{
	const unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	struct mntns_mount mount = {
		.type = "tmpfs",
		.source = "tmpfs",
		.destination = "/scratch",
		.writable = true,
	};
	struct mntns_mount_entry entry;
	struct mntns_error err = { 0 };
	int rc;

	(void)tc;
	rc = mntns_mount_to_entry(&mount, &entry, &err);
	ATF_REQUIRE_EQ_MSG(rc, 0, "expected 0, got %d (%s)", rc, err.message);
	ATF_CHECK_STREQ(entry.type, "tmpfs");
	ATF_CHECK_MSG((entry.ms_flags & flags) == flags, "ms_flags: expected "
		      "nosuid, nodev and noexec (0x%lx), got 0x%lx", flags,
		      entry.ms_flags);
	ATF_CHECK_MSG(entry.flags & MNTNS_ENTRY_LABEL, "flags: expected "
		      "MNTNS_ENTRY_LABEL, got 0x%x", entry.flags);
	ATF_CHECK_MSG(!(entry.flags & MNTNS_ENTRY_BIND), "flags: expected no "
		      "MNTNS_ENTRY_BIND, got 0x%x", entry.flags);
}

/* ------------------------------------------------------------------ */
/* Capabilities                                                         */

static void missing_sys_admin(void *arg)
{
	struct mntns_mount_entry entries[NS_MAX_SYSTEM_MOUNTS];
	struct mntns_error err = { 0 };
	struct mntns_spec spec;
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_spec_init(&spec, rootfs);
	spec.mounts = entries;
	spec.mounts_count = ns_system_mounts(entries, false, NULL);
	ns_drop_capability(CAP_SYS_ADMIN);
	rc = mntns_setup(&spec, &err);
	NS_CHECK(rc == -EPERM, "mntns_setup without CAP_SYS_ADMIN: expected "
		 "-EPERM, got %d (%s)", rc, strerror(-rc));
	NS_CHECK(strcasestr(err.message, "CAP_SYS_ADMIN") != NULL,
		 "err.message: expected it to name CAP_SYS_ADMIN, got \"%s\"",
		 err.message);
}

NS_TC(caps__missing_sys_admin, "without CAP_SYS_ADMIN, mntns_setup fails "
      "with EPERM and names the capability", missing_sys_admin, NULL)

/* ------------------------------------------------------------------ */
/* Relabelling                                                          */

static int relabel_bind(const char *source, const char *relabel,
			struct mntns_error *err)
{
	char target[PATH_MAX];

	/* A wrong relabel of a host directory then fails and is counted. */
	ns_trap_xattr_writes();
	return ns_bind_relabel(source, relabel, "system_u:object_r:"
			       "svirt_sandbox_file_t:s0:c1,c2", target,
			       sizeof(target), err);
}

struct relabel_case {
	const char *source;
	const char *cleaned; /* source after cleaning; the error may name
			      * either */
	const char *relabel;
};

static void relabel_rejected(void *arg)
{
	const struct relabel_case *c = arg;
	struct mntns_error err = { 0 };
	int rc;

	rc = relabel_bind(c->source, c->relabel, &err);
	NS_CHECK(rc < 0, "relabel %s of %s: expected an error, got 0",
		 c->relabel, c->source);
	NS_CHECK(rc >= 0 || err.errnum == -rc, "err.errnum: expected %d, got "
		 "%d", -rc, err.errnum);
	NS_CHECK(rc >= 0 || strcmp(err.path, c->cleaned) == 0 ||
			 strcmp(err.path, c->source) == 0,
		 "err.path: expected %s or %s, got \"%s\" (%s)", c->source,
		 c->cleaned, err.path, err.message);
	NS_CHECK(ns_xattr_write_calls() == 0, "expected no label written "
		 "for %s, got %ld xattr calls", c->source,
		 ns_xattr_write_calls());
}

static const struct relabel_case usr_case = { "/usr", "/usr", "z" };
static const struct relabel_case etc_case = { "/etc", "/etc", "Z" };
static const struct relabel_case root_case = { "/", "/", "z" };
static const struct relabel_case dotdot_case = {
	"/usr/../etc/", "/etc", "z",
};

NS_TC(relabel__usr, "relabelling /usr is rejected", relabel_rejected,
      (void *)&usr_case)
NS_TC(relabel__etc, "relabelling /etc is rejected", relabel_rejected,
      (void *)&etc_case)
NS_TC(relabel__root, "relabelling / is rejected", relabel_rejected,
      (void *)&root_case)
NS_TC(relabel__cleaned_path, "relabelling /usr/../etc/ is rejected "
      "as /etc", relabel_rejected, (void *)&dotdot_case)

static void relabel_disabled(void *arg)
{
	struct mntns_error err = { 0 };
	char source[PATH_MAX];
	int rc;

	(void)arg;
	ns_force_selinux_disabled();
	ns_work_path(source, sizeof(source), "relabel-source");
	ns_mkdir(source, 0755);
	ns_trace_start();
	rc = relabel_bind(source, "Z", &err);
	NS_REQUIRE_OK("mntns_mount with relabel Z", rc, &err);
	NS_CHECK(ns_xattr_write_calls() == 0, "expected no label written "
		 "with SELinux disabled, got %ld xattr calls",
		 ns_xattr_write_calls());
	NS_CHECK(ns_trace_contains(MNTNS_TRACE_DEBUG, "selinux"),
		 "expected a debug trace mentioning SELinux, got:\n%s",
		 ns_trace_text());
}

NS_TC(relabel__disabled_skipped, "with SELinux disabled, a relabel is "
      "skipped without error and traced", relabel_disabled, NULL)

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, error__missing_rootfs);
	ATF_TP_ADD_TC(tp, error__null_error_object);
	ATF_TP_ADD_TC(tp, error__relative_rootfs);
	ATF_TP_ADD_TC(tp, error__mount_index);
	ATF_TP_ADD_TC(tp, error__mount_index_none);
	ATF_TP_ADD_TC(tp, error__initialize_mount_index);
	ATF_TP_ADD_TC(tp, error__missing_devnull);
	ATF_TP_ADD_TC(tp, unsupported__mount_type);
	ATF_TP_ADD_TC(tp, unsupported__to_entry);
	ATF_TP_ADD_TC(tp, to_entry__bind);
	ATF_TP_ADD_TC(tp, to_entry__tmpfs);
	ATF_TP_ADD_TC(tp, caps__missing_sys_admin);
	ATF_TP_ADD_TC(tp, relabel__usr);
	ATF_TP_ADD_TC(tp, relabel__etc);
	ATF_TP_ADD_TC(tp, relabel__root);
	ATF_TP_ADD_TC(tp, relabel__cleaned_path);
	ATF_TP_ADD_TC(tp, relabel__disabled_skipped);
	return atf_no_error();
}
