/*
 * Shared code of the libmntns tests: a forked child in a private mount
 * namespace, a scratch rootfs in the test's work directory, mountinfo
 * checks through libmount, and seccomp and capability helpers.
 *
 * Everything named ns_* after ns_run() runs in the child.  The child never
 * calls ATF: it sends each failure as text over a pipe, and ns_run() turns
 * them into ATF failures in the parent.
 */
#ifndef MNTNS_TESTS_HELPERS_H
#define MNTNS_TESTS_HELPERS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/types.h>

#include <atf-c.h>
#include <libmount/libmount.h>

#include "mntns.h"

/* Work directory entries: the scratch rootfs and a directory that stands
 * for the host side of it, where no test may ever write. */
#define ROOTFS_DIR "rootfs"
#define OUTSIDE_DIR "outside"

/* Declares a test case whose body runs the statement before, fn(arg)
 * through ns_run() and the statement after, both of them in the parent. */
#define NS_TC_AROUND(name, description, before, fn, arg, after)            \
	ATF_TC(name);                                                      \
	ATF_TC_HEAD(name, tc)                                              \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", description);               \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(name, tc)                                              \
	{                                                                  \
		(void)tc;                                                  \
		before;                                                    \
		ns_run(fn, arg);                                           \
		after;                                                     \
	}

/* Declares a test case whose body runs fn(arg) through ns_run(). */
#define NS_TC(name, description, fn, arg)                                  \
	NS_TC_AROUND(name, description, (void)0, fn, arg, (void)0)

/* Runs body(arg) in a forked child after unshare(CLONE_NEWNS) and a
 * recursive MS_PRIVATE on /, waits for it, and reports every failure it
 * sent as an ATF failure.  The child's mounts die with it. */
void ns_run(void (*body)(void *arg), void *arg);

void ns_fail(const char *file, int line, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void ns_skip(const char *format, ...)
	__attribute__((format(printf, 1, 2)));
_Noreturn void ns_exit(void);

#define NS_CHECK(cond, ...)                                                \
	do {                                                               \
		if (!(cond))                                               \
			ns_fail(__FILE__, __LINE__, __VA_ARGS__);          \
	} while (0)

#define NS_REQUIRE(cond, ...)                                              \
	do {                                                               \
		if (!(cond)) {                                             \
			ns_fail(__FILE__, __LINE__, __VA_ARGS__);          \
			ns_exit();                                         \
		}                                                          \
	} while (0)

/* Requires a library call to have returned 0, else reports its error. */
#define NS_REQUIRE_OK(call, rc, err)                                       \
	NS_REQUIRE((rc) == 0,                                              \
		   "%s: expected 0, got %d (%s); error: errno %d, "        \
		   "operation \"%s\", path \"%s\", message \"%s\"",        \
		   call, rc, strerror(-(rc)), (err)->errnum,               \
		   (err)->operation, (err)->path, (err)->message)

/* Formats into buf, failing the child when it does not fit. */
void ns_format(char *buf, size_t size, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
void ns_write_file(const char *path, const char *text);
/* Reads at most size - 1 bytes of path into buf and returns the length. */
ssize_t ns_read_file(const char *path, char *buf, size_t size);
void ns_mkdir(const char *path, mode_t mode);
void ns_symlink(const char *target, const char *path);
/* Whether directory path has entries other than "." and "..". */
bool ns_dir_has_entries(const char *path);
/* Opens a pty on the host's devpts, stores the slave's path and returns
 * the master. */
int ns_open_pty(char *slave, size_t size);

/* Stores the absolute path of name in the work directory. */
void ns_work_path(char *buf, size_t size, const char *name);
/* Builds ./rootfs (proc, sys, dev, etc, tmp, usr, mnt and
 * etc/identity), stores its absolute path in path and returns it. */
const char *ns_make_rootfs(char *path, size_t size);
/* Creates ./outside and stores its absolute path. */
const char *ns_make_outside(char *path, size_t size);
/* Stores the absolute path of rootfs + inner. */
void ns_rootfs_path(char *buf, size_t size, const char *rootfs,
		    const char *inner);

/* Makes a fresh rootfs and bind mounts source on its /mnt/relabel with
 * the relabel option ("z", "Z" or NULL) and mount label label, by
 * mntns_mount.  Stores the host path of the destination in target and
 * returns what mntns_mount returned. */
int ns_bind_relabel(const char *source, const char *relabel,
		    const char *label, char *target, size_t size,
		    struct mntns_error *err);

/* Fills spec for rootfs with no mounts, no root switch and no devices. */
void ns_spec_init(struct mntns_spec *spec, const char *rootfs);
/* Copies the 2015 system mounts whose destination is in the NULL-ended
 * list destinations (all of them when it is NULL) into entries, which has
 * room for NS_MAX_SYSTEM_MOUNTS, and returns their count. */
#define NS_MAX_SYSTEM_MOUNTS 16
size_t ns_system_mounts(struct mntns_mount_entry *entries,
			bool sys_readonly, const char *const *destinations);
/* Runs mntns_setup on spec with those system mounts (as selected by
 * ns_system_mounts()) and fails the child when it does not return 0.  The
 * mounts are set only for the call: spec->mounts is NULL again after it. */
#define ns_setup_system_mounts(...)                                        \
	ns_setup_system_mounts_at(__FILE__, __LINE__, __VA_ARGS__)
void ns_setup_system_mounts_at(const char *file, int line,
			       struct mntns_spec *spec, bool sys_readonly,
			       const char *const *destinations);

/* mountinfo through libmount. */
struct libmnt_table *ns_mountinfo(void);
/* The top mount at target, or NULL. */
struct libmnt_fs *ns_find_mount(struct libmnt_table *table,
				const char *target);
/* Formats fs as its /proc/self/mountinfo row. */
const char *ns_mount_row(struct libmnt_fs *fs, char *buf, size_t size);
/* Whether optstr has option, either "name" or "name=value". */
bool ns_has_option(const char *optstr, const char *option);
/* The N of "shared:N" or "master:N" in the optional fields, or -1. */
int ns_peer_group(struct libmnt_fs *fs, const char *tag);

/* Expected state of one mount.  Each list is comma separated or NULL. */
struct mount_expect {
	const char *target;
	const char *fstype; /* NULL to accept any */
	const char *vfs_present; /* per-mount options that must be set */
	const char *vfs_absent; /* per-mount options that must be unset */
	const char *fs_present; /* superblock options, name or name=value */
};

/* Checks the top mount at expect->target and returns whether it exists. */
#define ns_check_mount(...)                                                \
	ns_check_mount_at(__FILE__, __LINE__, __VA_ARGS__)
bool ns_check_mount_at(const char *file, int line,
		       const struct mount_expect *expect);
/* Checks that each mount not in before lies inside rootfs, and that no
 * mount outside rootfs changed its options or propagation. */
void ns_check_mounts_inside(struct libmnt_table *before, const char *rootfs);

/* A system call made to fail with errnum; count is how often it was made.
 * The handler is per process, so one set of traps at a time. */
struct syscall_trap {
	long number;
	int errnum;
	volatile sig_atomic_t count;
};

/* Installs a seccomp filter that traps each listed call (x86-64 and
 * aarch64, where the SIGSYS handler can set the return value). */
void ns_trap_syscalls(struct syscall_trap *traps, size_t count);

/* Makes openat2 fail with ENOSYS, as on kernels before 5.6, so that the
 * library takes its O_NOFOLLOW walk. */
void ns_force_openat2_fallback(void);
/* How often openat2 was called since the fallback was forced. */
long ns_openat2_calls(void);

/* Makes every setxattr, lsetxattr and fsetxattr fail with EPERM, so that
 * no label is ever written, even on an SELinux host. */
void ns_trap_xattr_writes(void);
/* How often those calls were made since ns_trap_xattr_writes(). */
long ns_xattr_write_calls(void);

/* Makes libselinux, and so the library, see SELinux as disabled in this
 * process, so that the disabled path is checked on any host. */
void ns_force_selinux_disabled(void);

/* Removes cap from the effective and permitted sets. */
void ns_drop_capability(cap_value_t cap);

/* Collects library trace messages, one per line, with their level. */
void ns_trace_start(void);
/* Whether a message at level contains needle, ignoring case. */
bool ns_trace_contains(enum mntns_trace_level level, const char *needle);
const char *ns_trace_text(void);

#endif
