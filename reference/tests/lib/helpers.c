#include "helpers.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <selinux/selinux.h>

/* ------------------------------------------------------------------ */
/* LeakSanitizer                                                       */

/* libatf-c 0.21 does not free the test case list that "-l" prints (the
 * array of atf_tp_get_tcs() and the lists and maps behind it), so a
 * program built with SANITIZE=1 would fail kyua's listing.  The sanitizer
 * runtime calls these hooks at start-up, and nothing calls them without
 * it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:atf_tp_get_tcs\n"
	       "leak:atf_list_init\n"
	       "leak:atf_list_append\n"
	       "leak:atf_map_insert\n"
	       "leak:atf_map_init_charpp\n";
}

/* kyua breaks a listing that writes to stderr, so the summary of used
 * suppressions is turned off. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

/* ------------------------------------------------------------------ */
/* The child and its reports                                           */

/* Each report is one record: a kind byte ('F' failure, 'S' skip), the text
 * and a NUL. */
static int report_fd = -1;

static void send_record(char kind, const char *text)
{
	char record[16384];
	size_t length;

	record[0] = kind;
	length = strlen(text);
	if (length > sizeof(record) - 2)
		length = sizeof(record) - 2;
	memcpy(record + 1, text, length);
	record[length + 1] = '\0';
	if (write(report_fd, record, length + 2) < 0)
		_exit(3);
}

void ns_fail(const char *file, int line, const char *format, ...)
{
	char message[15000];
	char text[16000];
	va_list args;

	va_start(args, format);
	vsnprintf(message, sizeof(message), format, args);
	va_end(args);
	snprintf(text, sizeof(text), "%s:%d: %s", file, line, message);
	send_record('F', text);
}

void ns_skip(const char *format, ...)
{
	char text[4096];
	va_list args;

	va_start(args, format);
	vsnprintf(text, sizeof(text), format, args);
	va_end(args);
	send_record('S', text);
	ns_exit();
}

/* _exit() skips atexit handlers, LeakSanitizer's among them: the child's
 * memory goes away with it. */
void ns_exit(void)
{
	_exit(0);
}

static void enter_private_namespace(void)
{
	if (unshare(CLONE_NEWNS) < 0) {
		ns_fail(__FILE__, __LINE__, "unshare(CLONE_NEWNS): %s",
			strerror(errno));
		_exit(1);
	}
	/* Nothing the child mounts may propagate back to the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		ns_fail(__FILE__, __LINE__, "mount --make-rprivate /: %s",
			strerror(errno));
		_exit(1);
	}
}

static char *read_all(int fd, size_t *length)
{
	size_t size = 4096;
	char *buf = malloc(size);
	ssize_t got;

	ATF_REQUIRE(buf != NULL);
	*length = 0;
	for (;;) {
		if (*length == size) {
			size *= 2;
			buf = realloc(buf, size);
			ATF_REQUIRE(buf != NULL);
		}
		got = read(fd, buf + *length, size - *length);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		*length += got;
	}
	return buf;
}

/* Turns the records into ATF results.  Frees report first, because
 * atf_tc_fail() and atf_tc_skip() do not return. */
static void report_results(char *report, size_t length, int status)
{
	char skip[4096] = "";
	size_t failures = 0;
	size_t i = 0;

	while (i < length) {
		const char *text = report + i + 1;
		size_t record = strnlen(report + i, length - i);

		if (report[i] == 'F') {
			atf_tc_fail_nonfatal("%s", text);
			failures++;
		} else if (report[i] == 'S' && skip[0] == '\0') {
			snprintf(skip, sizeof(skip), "%s", text);
		}
		i += record + 1;
	}
	free(report);

	if (WIFSIGNALED(status))
		atf_tc_fail("child killed by signal %d (%s)", WTERMSIG(status),
			    strsignal(WTERMSIG(status)));
	if (WEXITSTATUS(status) != 0 && failures == 0)
		atf_tc_fail("child exited with status %d and no report",
			    WEXITSTATUS(status));
	if (failures == 0 && skip[0] != '\0')
		atf_tc_skip("%s", skip);
}

void ns_run(void (*body)(void *arg), void *arg)
{
	size_t length;
	char *report;
	int fds[2];
	int status;
	pid_t pid;

	ATF_REQUIRE_MSG(pipe2(fds, O_CLOEXEC) == 0, "pipe2: %s",
			strerror(errno));
	fflush(NULL);
	pid = fork();
	ATF_REQUIRE_MSG(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		report_fd = fds[1];
		enter_private_namespace();
		body(arg);
		ns_exit();
	}

	close(fds[1]);
	report = read_all(fds[0], &length);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		ATF_REQUIRE_MSG(errno == EINTR, "waitpid: %s", strerror(errno));
	report_results(report, length, status);
}

/* ------------------------------------------------------------------ */
/* Files and the scratch rootfs                                        */

void ns_format(char *buf, size_t size, const char *format, ...)
{
	va_list args;
	int length;

	va_start(args, format);
	length = vsnprintf(buf, size, format, args);
	va_end(args);
	NS_REQUIRE(length >= 0 && (size_t)length < size,
		   "path or text longer than %zu bytes: %s", size, buf);
}

void ns_write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	size_t length = strlen(text);

	NS_REQUIRE(fd >= 0, "open %s for writing: %s", path, strerror(errno));
	NS_REQUIRE(write(fd, text, length) == (ssize_t)length,
		   "write %s: %s", path, strerror(errno));
	close(fd);
}

ssize_t ns_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t length;

	NS_REQUIRE(fd >= 0, "open %s for reading: %s", path, strerror(errno));
	length = read(fd, buf, size - 1);
	NS_REQUIRE(length >= 0, "read %s: %s", path, strerror(errno));
	buf[length] = '\0';
	close(fd);
	return length;
}

void ns_mkdir(const char *path, mode_t mode)
{
	NS_REQUIRE(mkdir(path, mode) == 0 || errno == EEXIST, "mkdir %s: %s",
		   path, strerror(errno));
}

void ns_symlink(const char *target, const char *path)
{
	NS_REQUIRE(symlink(target, path) == 0, "symlink %s -> %s: %s", path,
		   target, strerror(errno));
}

bool ns_dir_has_entries(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *entry;
	bool found = false;

	NS_REQUIRE(dir != NULL, "opendir %s: %s", path, strerror(errno));
	while ((entry = readdir(dir)) != NULL) {
		if (strcmp(entry->d_name, ".") != 0 &&
		    strcmp(entry->d_name, "..") != 0) {
			found = true;
			break;
		}
	}
	closedir(dir);
	return found;
}

void ns_work_path(char *buf, size_t size, const char *name)
{
	char cwd[PATH_MAX];

	NS_REQUIRE(realpath(".", cwd) != NULL, "realpath .: %s",
		   strerror(errno));
	ns_format(buf, size, "%s/%s", cwd, name);
}

const char *ns_make_rootfs(char *path, size_t size)
{
	static const char *const dirs[] = {
		"proc", "sys", "dev", "etc", "tmp", "usr", "mnt",
	};
	char sub[PATH_MAX];

	ns_work_path(path, size, ROOTFS_DIR);
	ns_mkdir(path, 0755);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		ns_format(sub, sizeof(sub), "%s/%s", path, dirs[i]);
		ns_mkdir(sub, 0755);
	}
	ns_format(sub, sizeof(sub), "%s/etc/identity", path);
	ns_write_file(sub, "scratch rootfs\n");
	return path;
}

const char *ns_make_outside(char *path, size_t size)
{
	ns_work_path(path, size, OUTSIDE_DIR);
	ns_mkdir(path, 0755);
	return path;
}

void ns_rootfs_path(char *buf, size_t size, const char *rootfs,
		    const char *inner)
{
	ns_format(buf, size, "%s%s", rootfs, inner);
}

void ns_spec_init(struct mntns_spec *spec, const char *rootfs)
{
	memset(spec, 0, sizeof(*spec));
	spec->rootfs = rootfs;
	spec->root_switch = MNTNS_ROOT_NONE;
	spec->final_umask = 022;
	spec->console_master = -1;
}

static bool listed(const char *const *list, const char *value)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, value) == 0)
			return true;
	}
	return false;
}

size_t ns_system_mounts(struct mntns_mount_entry *entries,
			bool sys_readonly, const char *const *destinations)
{
	struct mntns_mount_entry all[NS_MAX_SYSTEM_MOUNTS];
	size_t count = 0;

	NS_REQUIRE(mntns_system_mounts_count <= NS_MAX_SYSTEM_MOUNTS,
		   "mntns_system_mounts_count: expected at most %d, got %zu",
		   NS_MAX_SYSTEM_MOUNTS, mntns_system_mounts_count);
	mntns_system_mounts(all, sys_readonly);
	for (size_t i = 0; i < mntns_system_mounts_count; i++) {
		if (destinations == NULL ||
		    listed(destinations, all[i].destination))
			entries[count++] = all[i];
	}
	return count;
}

void ns_setup_system_mounts_at(const char *file, int line,
			       struct mntns_spec *spec, bool sys_readonly,
			       const char *const *destinations)
{
	struct mntns_mount_entry entries[NS_MAX_SYSTEM_MOUNTS];
	struct mntns_error err = { 0 };
	int rc;

	spec->mounts = entries;
	spec->mounts_count = ns_system_mounts(entries, sys_readonly,
					      destinations);
	rc = mntns_setup(spec, &err);
	spec->mounts = NULL;
	spec->mounts_count = 0;
	if (rc == 0)
		return;
	ns_fail(file, line, "mntns_setup: expected 0, got %d (%s); error: "
		"errno %d, operation \"%s\", path \"%s\", message \"%s\"",
		rc, strerror(-rc), err.errnum, err.operation, err.path,
		err.message);
	ns_exit();
}

/* ------------------------------------------------------------------ */
/* mountinfo                                                           */

struct libmnt_table *ns_mountinfo(void)
{
	struct libmnt_table *table;

	table = mnt_new_table_from_file("/proc/self/mountinfo");
	NS_REQUIRE(table != NULL, "parse /proc/self/mountinfo: failed");
	return table;
}

struct libmnt_fs *ns_find_mount(struct libmnt_table *table,
				const char *target)
{
	return mnt_table_find_target(table, target, MNT_ITER_BACKWARD);
}

static const char *or_dash(const char *text)
{
	return text != NULL && text[0] != '\0' ? text : "-";
}

const char *ns_mount_row(struct libmnt_fs *fs, char *buf, size_t size)
{
	const char *optional = mnt_fs_get_optional_fields(fs);

	snprintf(buf, size, "%d %d %s %s %s %s%s- %s %s %s",
		 mnt_fs_get_id(fs), mnt_fs_get_parent_id(fs),
		 or_dash(mnt_fs_get_root(fs)), or_dash(mnt_fs_get_target(fs)),
		 or_dash(mnt_fs_get_vfs_options(fs)),
		 optional != NULL ? optional : "",
		 optional != NULL && optional[0] != '\0' ? " " : "",
		 or_dash(mnt_fs_get_fstype(fs)), or_dash(mnt_fs_get_source(fs)),
		 or_dash(mnt_fs_get_fs_options(fs)));
	return buf;
}

bool ns_has_option(const char *optstr, const char *option)
{
	const char *equals = strchr(option, '=');
	char name[256];
	char *value = NULL;
	size_t value_size = 0;

	if (optstr == NULL)
		return false;
	snprintf(name, sizeof(name), "%.*s",
		 (int)(equals ? (size_t)(equals - option) : strlen(option)),
		 option);
	if (mnt_optstr_get_option(optstr, name, &value, &value_size) != 0)
		return false;
	if (equals == NULL)
		return true;
	return value != NULL && value_size == strlen(equals + 1) &&
	       strncmp(value, equals + 1, value_size) == 0;
}

int ns_peer_group(struct libmnt_fs *fs, const char *tag)
{
	const char *fields = mnt_fs_get_optional_fields(fs);
	size_t tag_length = strlen(tag);
	const char *p = fields;

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		if (strncmp(p, tag, tag_length) == 0 && p[tag_length] == ':')
			return atoi(p + tag_length + 1);
		p = strchr(p, ' ');
	}
	return -1;
}

/* Checks each comma-separated option of list against optstr. */
static void check_options(const char *file, int line, const char *target,
			  const char *kind, const char *optstr,
			  const char *list, bool present, const char *row)
{
	char copy[1024];
	char *saveptr = NULL;

	if (list == NULL)
		return;
	snprintf(copy, sizeof(copy), "%s", list);
	for (char *option = strtok_r(copy, ",", &saveptr); option != NULL;
	     option = strtok_r(NULL, ",", &saveptr)) {
		if (ns_has_option(optstr, option) == present)
			continue;
		ns_fail(file, line,
			"%s: expected %s %s %s, got \"%s\"\n  mountinfo: %s",
			target, kind, option, present ? "set" : "unset",
			or_dash(optstr), row);
	}
}

bool ns_check_mount_at(const char *file, int line,
		       const struct mount_expect *expect)
{
	struct libmnt_table *table = ns_mountinfo();
	struct libmnt_fs *fs = ns_find_mount(table, expect->target);
	const char *fstype;
	char row[8192];

	if (fs == NULL) {
		ns_fail(file, line, "%s: expected a %s mount, found none",
			expect->target, or_dash(expect->fstype));
		mnt_unref_table(table);
		return false;
	}
	ns_mount_row(fs, row, sizeof(row));
	fstype = mnt_fs_get_fstype(fs);
	if (expect->fstype != NULL &&
	    (fstype == NULL || strcmp(fstype, expect->fstype) != 0))
		ns_fail(file, line, "%s: expected type %s, got %s\n"
			"  mountinfo: %s", expect->target, expect->fstype,
			or_dash(fstype), row);
	check_options(file, line, expect->target, "per-mount option",
		      mnt_fs_get_vfs_options(fs), expect->vfs_present, true,
		      row);
	check_options(file, line, expect->target, "per-mount option",
		      mnt_fs_get_vfs_options(fs), expect->vfs_absent, false,
		      row);
	check_options(file, line, expect->target, "superblock option",
		      mnt_fs_get_fs_options(fs), expect->fs_present, true,
		      row);
	mnt_unref_table(table);
	return true;
}

static struct libmnt_fs *find_by_id(struct libmnt_table *table, int id)
{
	struct libmnt_iter *iter = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs = NULL;
	struct libmnt_fs *found = NULL;

	NS_REQUIRE(iter != NULL, "mnt_new_iter: out of memory");
	while (mnt_table_next_fs(table, iter, &fs) == 0) {
		if (mnt_fs_get_id(fs) == id) {
			found = fs;
			break;
		}
	}
	mnt_free_iter(iter);
	return found;
}

static bool inside(const char *path, const char *rootfs)
{
	size_t length = strlen(rootfs);

	return strncmp(path, rootfs, length) == 0 &&
	       (path[length] == '/' || path[length] == '\0');
}

static bool same_text(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static void check_mount_kept(struct libmnt_fs *old, struct libmnt_fs *now)
{
	char old_row[8192];
	char now_row[8192];

	if (same_text(mnt_fs_get_vfs_options(old),
		      mnt_fs_get_vfs_options(now)) &&
	    same_text(mnt_fs_get_optional_fields(old),
		      mnt_fs_get_optional_fields(now)))
		return;
	ns_fail(__FILE__, __LINE__,
		"mount outside the rootfs changed\n  before: %s\n  after:  %s",
		ns_mount_row(old, old_row, sizeof(old_row)),
		ns_mount_row(now, now_row, sizeof(now_row)));
}

void ns_check_mounts_inside(struct libmnt_table *before, const char *rootfs)
{
	struct libmnt_table *after = ns_mountinfo();
	struct libmnt_iter *iter = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs = NULL;
	char row[8192];

	NS_REQUIRE(iter != NULL, "mnt_new_iter: out of memory");
	while (mnt_table_next_fs(after, iter, &fs) == 0) {
		struct libmnt_fs *old = find_by_id(before, mnt_fs_get_id(fs));
		const char *target = or_dash(mnt_fs_get_target(fs));

		if (old == NULL && !inside(target, rootfs))
			ns_fail(__FILE__, __LINE__,
				"new mount outside the rootfs %s\n"
				"  mountinfo: %s", rootfs,
				ns_mount_row(fs, row, sizeof(row)));
		else if (old != NULL && !inside(target, rootfs))
			check_mount_kept(old, fs);
	}
	mnt_reset_iter(iter, MNT_ITER_FORWARD);
	while (mnt_table_next_fs(before, iter, &fs) == 0) {
		const char *target = or_dash(mnt_fs_get_target(fs));

		if (!inside(target, rootfs) &&
		    find_by_id(after, mnt_fs_get_id(fs)) == NULL)
			ns_fail(__FILE__, __LINE__,
				"mount outside the rootfs went away\n"
				"  mountinfo: %s",
				ns_mount_row(fs, row, sizeof(row)));
	}
	mnt_free_iter(iter);
	mnt_unref_table(after);
}

/* ------------------------------------------------------------------ */
/* seccomp traps                                                       */

#define MAX_TRAPS 8

#if defined(__x86_64__)
#define TRAP_AUDIT_ARCH AUDIT_ARCH_X86_64
#define SET_RETURN(uc, value) ((uc)->uc_mcontext.gregs[REG_RAX] = (value))
#elif defined(__aarch64__)
#define TRAP_AUDIT_ARCH AUDIT_ARCH_AARCH64
#define SET_RETURN(uc, value) ((uc)->uc_mcontext.regs[0] = (value))
#endif

static struct syscall_trap *trap_table;
static size_t trap_table_count;

#ifdef TRAP_AUDIT_ARCH
static void on_sigsys(int signal, siginfo_t *info, void *context)
{
	ucontext_t *uc = context;
	long result = -ENOSYS;

	(void)signal;
	for (size_t i = 0; i < trap_table_count; i++) {
		if (trap_table[i].number == info->si_syscall) {
			trap_table[i].count++;
			result = -trap_table[i].errnum;
			break;
		}
	}
	SET_RETURN(uc, result);
}

void ns_trap_syscalls(struct syscall_trap *traps, size_t count)
{
	struct sock_filter code[4 + 2 * MAX_TRAPS + 1] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TRAP_AUDIT_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			 offsetof(struct seccomp_data, nr)),
	};
	struct sock_fprog program = { .filter = code };
	struct sigaction action = { .sa_sigaction = on_sigsys };
	size_t n = 4;

	NS_REQUIRE(count <= MAX_TRAPS, "at most %d traps, got %zu",
		   MAX_TRAPS, count);
	for (size_t i = 0; i < count; i++) {
		code[n++] = (struct sock_filter)BPF_JUMP(
			BPF_JMP | BPF_JEQ | BPF_K, traps[i].number, 0, 1);
		code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
							 SECCOMP_RET_TRAP);
	}
	code[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						 SECCOMP_RET_ALLOW);
	program.len = n;

	trap_table = traps;
	trap_table_count = count;
	action.sa_flags = SA_SIGINFO;
	sigemptyset(&action.sa_mask);
	NS_REQUIRE(sigaction(SIGSYS, &action, NULL) == 0, "sigaction: %s",
		   strerror(errno));
	NS_REQUIRE(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0,
		   "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
	NS_REQUIRE(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) == 0,
		   "prctl(PR_SET_SECCOMP): %s", strerror(errno));
}
#else
void ns_trap_syscalls(struct syscall_trap *traps, size_t count)
{
	(void)traps;
	(void)count;
	(void)trap_table;
	(void)trap_table_count;
	ns_skip("not applicable: seccomp traps are written for x86-64 and "
		"aarch64 only");
}
#endif

static struct syscall_trap openat2_trap = { __NR_openat2, ENOSYS, 0 };

void ns_force_openat2_fallback(void)
{
	ns_trap_syscalls(&openat2_trap, 1);
}

long ns_openat2_calls(void)
{
	return openat2_trap.count;
}

static struct syscall_trap xattr_traps[] = {
	{ SYS_setxattr, EPERM, 0 },
	{ SYS_lsetxattr, EPERM, 0 },
	{ SYS_fsetxattr, EPERM, 0 },
};

int ns_bind_relabel(const char *source, const char *relabel,
		    const char *label, char *target, size_t size,
		    struct mntns_error *err)
{
	struct mntns_mount mount = {
		.type = "bind",
		.source = source,
		.destination = "/mnt/relabel",
		.writable = true,
		.relabel = relabel,
	};
	char rootfs[PATH_MAX];

	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_rootfs_path(target, size, rootfs, mount.destination);
	return mntns_mount(&mount, rootfs, label, err);
}

int ns_open_pty(char *slave, size_t size)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	NS_REQUIRE(master >= 0, "posix_openpt: %s", strerror(errno));
	NS_REQUIRE(grantpt(master) == 0 && unlockpt(master) == 0,
		   "grantpt/unlockpt: %s", strerror(errno));
	NS_REQUIRE(ptsname_r(master, slave, size) == 0, "ptsname_r: %s",
		   strerror(errno));
	return master;
}

void ns_trap_xattr_writes(void)
{
	ns_trap_syscalls(xattr_traps,
			 sizeof(xattr_traps) / sizeof(*xattr_traps));
}

long ns_xattr_write_calls(void)
{
	long calls = 0;

	for (size_t i = 0; i < sizeof(xattr_traps) / sizeof(*xattr_traps); i++)
		calls += xattr_traps[i].count;
	return calls;
}

/* ------------------------------------------------------------------ */
/* Capabilities and traces                                             */

void ns_force_selinux_disabled(void)
{
	/* libselinux 3.x reports SELinux as enabled when it found a
	 * selinuxfs mount at start-up.  Forgetting that mount affects this
	 * process alone. */
	fini_selinuxmnt();
	NS_REQUIRE(is_selinux_enabled() == 0, "is_selinux_enabled: expected "
		   "0 after fini_selinuxmnt(), got %d", is_selinux_enabled());
}

void ns_drop_capability(cap_value_t cap)
{
	cap_t caps = cap_get_proc();

	NS_REQUIRE(caps != NULL, "cap_get_proc: %s", strerror(errno));
	NS_REQUIRE(cap_set_flag(caps, CAP_EFFECTIVE, 1, &cap, CAP_CLEAR) == 0 &&
			   cap_set_flag(caps, CAP_PERMITTED, 1, &cap,
					CAP_CLEAR) == 0,
		   "cap_set_flag %s: %s", cap_to_name(cap), strerror(errno));
	NS_REQUIRE(cap_set_proc(caps) == 0, "cap_set_proc without %s: %s",
		   cap_to_name(cap), strerror(errno));
	cap_free(caps);
}

static char trace_text[65536];
static size_t trace_length;

static void collect_trace(enum mntns_trace_level level, const char *message,
			  void *userdata)
{
	int written;

	(void)userdata;
	written = snprintf(trace_text + trace_length,
			   sizeof(trace_text) - trace_length, "%d %s\n",
			   (int)level, message);
	if (written > 0 && (size_t)written < sizeof(trace_text) - trace_length)
		trace_length += written;
}

void ns_trace_start(void)
{
	trace_length = 0;
	trace_text[0] = '\0';
	mntns_set_trace(collect_trace, NULL);
}

bool ns_trace_contains(enum mntns_trace_level level, const char *needle)
{
	char copy[sizeof(trace_text)];
	char *saveptr = NULL;
	char prefix[16];

	snprintf(copy, sizeof(copy), "%s", trace_text);
	snprintf(prefix, sizeof(prefix), "%d ", (int)level);
	for (char *line = strtok_r(copy, "\n", &saveptr); line != NULL;
	     line = strtok_r(NULL, "\n", &saveptr)) {
		if (strncmp(line, prefix, strlen(prefix)) == 0 &&
		    strcasestr(line + strlen(prefix), needle) != NULL)
			return true;
	}
	return false;
}

const char *ns_trace_text(void)
{
	return trace_length > 0 ? trace_text : "(no trace messages)\n";
}
