/*
 * Device nodes, the /dev symlinks, /dev/ptmx and /dev/console.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "helpers.h"

static const char *const dev_only[] = { "/dev", NULL };
static const char *const dev_and_pts[] = { "/dev", "/dev/pts", NULL };
static const char *const proc_and_dev[] = { "/proc", "/dev", NULL };

/* Runs mntns_setup on rootfs without a root switch, with the system mounts
 * listed in destinations and the given devices. */
static void setup_devices(const char *rootfs, const char *const *destinations,
			  const struct mntns_device *devices, size_t count)
{
	struct mntns_spec spec;

	ns_spec_init(&spec, rootfs);
	spec.devices = devices;
	spec.devices_count = count;
	ns_setup_system_mounts(&spec, false, destinations);
}

/* ------------------------------------------------------------------ */
/* Device nodes                                                         */

struct device_case {
	struct mntns_device device;
	bool from_default_table; /* else the device is passed alone */
	mode_t file_type; /* S_IFCHR, S_IFBLK or S_IFIFO */
};

static void check_node(const char *path, const struct device_case *c)
{
	const struct mntns_device *d = &c->device;
	struct stat st = { 0 };

	NS_REQUIRE(lstat(path, &st) == 0, "lstat %s: %s", path,
		   strerror(errno));
	NS_CHECK((st.st_mode & S_IFMT) == c->file_type,
		 "%s: expected file type 0%o, got 0%o", path,
		 (unsigned)c->file_type, (unsigned)(st.st_mode & S_IFMT));
	if (c->file_type != S_IFIFO)
		NS_CHECK(major(st.st_rdev) == d->major &&
				 minor(st.st_rdev) == d->minor,
			 "%s: expected rdev %lld:%lld, got %u:%u", path,
			 (long long)d->major, (long long)d->minor,
			 major(st.st_rdev), minor(st.st_rdev));
	NS_CHECK((st.st_mode & 07777) == d->file_mode,
		 "%s: expected mode 0%o, got 0%o", path,
		 (unsigned)d->file_mode, (unsigned)(st.st_mode & 07777));
	NS_CHECK(st.st_uid == d->uid && st.st_gid == d->gid,
		 "%s: expected owner %u:%u, got %u:%u", path,
		 (unsigned)d->uid, (unsigned)d->gid, (unsigned)st.st_uid,
		 (unsigned)st.st_gid);
}

/* Creates the device under a umask of 077, which must not change its
 * mode, and checks the node. */
static void device_node(void *arg)
{
	const struct device_case *c = arg;
	char rootfs[PATH_MAX];
	char path[PATH_MAX];

	ns_make_rootfs(rootfs, sizeof(rootfs));
	umask(077);
	if (c->from_default_table)
		setup_devices(rootfs, dev_only, mntns_default_devices,
			      mntns_default_devices_count);
	else
		setup_devices(rootfs, dev_only, &c->device, 1);
	ns_rootfs_path(path, sizeof(path), rootfs, c->device.path);
	check_node(path, c);
}

#define DEFAULT_DEVICE(path, major, minor, mode)                           \
	{ { 'c', path, major, minor, mode, 0, 0 }, true, S_IFCHR }

static const struct device_case fuse_case =
	DEFAULT_DEVICE("/dev/fuse", 10, 229, 0000);
static const struct device_case null_case =
	DEFAULT_DEVICE("/dev/null", 1, 3, 0666);
static const struct device_case zero_case =
	DEFAULT_DEVICE("/dev/zero", 1, 5, 0666);
static const struct device_case full_case =
	DEFAULT_DEVICE("/dev/full", 1, 7, 0666);
static const struct device_case tty_case =
	DEFAULT_DEVICE("/dev/tty", 5, 0, 0666);
static const struct device_case urandom_case =
	DEFAULT_DEVICE("/dev/urandom", 1, 9, 0666);
static const struct device_case random_case =
	DEFAULT_DEVICE("/dev/random", 1, 8, 0666);

static const struct device_case owner_case = {
	{ 'c', "/dev/custom-zero", 1, 5, 0640, 1000, 1001 }, false, S_IFCHR,
};
static const struct device_case unbuffered_case = {
	{ 'u', "/dev/custom-full", 1, 7, 0660, 0, 5 }, false, S_IFCHR,
};
static const struct device_case block_case = {
	{ 'b', "/dev/custom-loop", 7, 0, 0600, 0, 6 }, false, S_IFBLK,
};
static const struct device_case fifo_case = {
	{ 'p', "/dev/custom-fifo", 0, 0, 0620, 1000, 1000 }, false, S_IFIFO,
};

NS_TC(devices__fuse, "/dev/fuse is c 10:229 mode 0000 root:root",
      device_node, (void *)&fuse_case)
NS_TC(devices__null, "/dev/null is c 1:3 mode 0666 root:root", device_node,
      (void *)&null_case)
NS_TC(devices__zero, "/dev/zero is c 1:5 mode 0666 root:root", device_node,
      (void *)&zero_case)
NS_TC(devices__full, "/dev/full is c 1:7 mode 0666 root:root", device_node,
      (void *)&full_case)
NS_TC(devices__tty, "/dev/tty is c 5:0 mode 0666 root:root", device_node,
      (void *)&tty_case)
NS_TC(devices__urandom, "/dev/urandom is c 1:9 mode 0666 root:root",
      device_node, (void *)&urandom_case)
NS_TC(devices__random, "/dev/random is c 1:8 mode 0666 root:root",
      device_node, (void *)&random_case)
NS_TC(devices__owner, "a device's uid and gid are applied", device_node,
      (void *)&owner_case)
NS_TC(devices__unbuffered, "type 'u' creates a character device",
      device_node, (void *)&unbuffered_case)
NS_TC(devices__block, "type 'b' creates a block device", device_node,
      (void *)&block_case)
NS_TC(devices__fifo, "type 'p' creates a FIFO", device_node,
      (void *)&fifo_case)

ATF_TC(devices__default_table);
ATF_TC_HEAD(devices__default_table, tc)
{
	atf_tc_set_md_var(tc, "descr", "the default table has the seven 2015 "
			  "devices, all owned 0:0");
}
ATF_TC_BODY(devices__default_table, tc)
{
	static const struct device_case *const expected[] = {
		&fuse_case, &null_case, &zero_case, &full_case,
		&tty_case, &urandom_case, &random_case,
	};
	size_t count = sizeof(expected) / sizeof(expected[0]);

	(void)tc;
	ATF_REQUIRE_EQ_MSG(mntns_default_devices_count, count,
			   "expected %zu default devices, got %zu", count,
			   mntns_default_devices_count);
	for (size_t i = 0; i < count; i++) {
		const struct mntns_device *want = &expected[i]->device;
		const struct mntns_device *got = NULL;

		for (size_t j = 0; j < count; j++) {
			if (strcmp(mntns_default_devices[j].path,
				   want->path) == 0)
				got = &mntns_default_devices[j];
		}
		if (got == NULL) {
			atf_tc_fail_nonfatal("%s: missing from the default "
					     "table", want->path);
			continue;
		}
		ATF_CHECK_MSG(got->type == 'c' && got->major == want->major &&
				      got->minor == want->minor &&
				      got->file_mode == want->file_mode &&
				      got->uid == 0 && got->gid == 0,
			      "%s: expected c %lld:%lld 0%o 0:0, got %c "
			      "%lld:%lld 0%o %u:%u", want->path,
			      (long long)want->major, (long long)want->minor,
			      (unsigned)want->file_mode, got->type,
			      (long long)got->major, (long long)got->minor,
			      (unsigned)got->file_mode, (unsigned)got->uid,
			      (unsigned)got->gid);
	}
}

/* Without CAP_MKNOD, as in a user namespace, each node is a bind mount of
 * the host's node. */
static void bind_without_mknod(void *arg)
{
	struct libmnt_table *table;
	char rootfs[PATH_MAX];
	char path[PATH_MAX];

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_drop_capability(CAP_MKNOD);
	ns_trace_start();
	setup_devices(rootfs, dev_only, mntns_default_devices,
		      mntns_default_devices_count);

	table = ns_mountinfo();
	for (size_t i = 0; i < mntns_default_devices_count; i++) {
		const struct mntns_device *d = &mntns_default_devices[i];
		struct stat st;

		ns_rootfs_path(path, sizeof(path), rootfs, d->path);
		if (lstat(path, &st) < 0) {
			ns_fail(__FILE__, __LINE__, "lstat %s: %s", path,
				strerror(errno));
			continue;
		}
		NS_CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == d->major &&
				 minor(st.st_rdev) == d->minor,
			 "%s: expected c %lld:%lld, got mode 0%o rdev %u:%u",
			 path, (long long)d->major, (long long)d->minor,
			 (unsigned)st.st_mode, major(st.st_rdev),
			 minor(st.st_rdev));
		NS_CHECK(ns_find_mount(table, path) != NULL,
			 "%s: expected a bind mount of the host node, found "
			 "no mount", path);
	}
	mnt_unref_table(table);
	NS_CHECK(ns_trace_contains(MNTNS_TRACE_DEBUG, "bind"),
		 "expected a debug trace about binding the host nodes, got:\n"
		 "%s", ns_trace_text());
}

NS_TC(devices__bind_without_mknod, "without CAP_MKNOD the host nodes are "
      "bind-mounted, and a debug trace says so", bind_without_mknod, NULL)

/* ------------------------------------------------------------------ */
/* /dev symlinks                                                        */

static void check_link(const char *rootfs, const char *inner,
		       const char *target)
{
	char path[PATH_MAX];
	char got[PATH_MAX];
	ssize_t length;

	ns_rootfs_path(path, sizeof(path), rootfs, inner);
	length = readlink(path, got, sizeof(got) - 1);
	if (length < 0) {
		ns_fail(__FILE__, __LINE__, "readlink %s: expected -> %s, "
			"got %s", path, target, strerror(errno));
		return;
	}
	got[length] = '\0';
	NS_CHECK(strcmp(got, target) == 0, "%s: expected -> %s, got -> %s",
		 path, target, got);
}

static void setup_links(const char *rootfs, bool dev_symlinks,
			bool dev_kcore)
{
	struct mntns_spec spec;

	ns_spec_init(&spec, rootfs);
	spec.dev_symlinks = dev_symlinks;
	spec.dev_kcore = dev_kcore;
	ns_setup_system_mounts(&spec, false, proc_and_dev);
}

static void links_fd_stdio(void *arg)
{
	char rootfs[PATH_MAX];

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	setup_links(rootfs, true, false);
	check_link(rootfs, "/dev/fd", "/proc/self/fd");
	check_link(rootfs, "/dev/stdin", "/proc/self/fd/0");
	check_link(rootfs, "/dev/stdout", "/proc/self/fd/1");
	check_link(rootfs, "/dev/stderr", "/proc/self/fd/2");
}

NS_TC(symlinks__fd_and_stdio, "dev_symlinks creates /dev/fd, stdin, stdout "
      "and stderr pointing into /proc/self/fd", links_fd_stdio, NULL)

static void links_kcore(void *arg)
{
	char rootfs[PATH_MAX];
	char proc_kcore[PATH_MAX];
	char dev_kcore[PATH_MAX];
	struct stat st = { 0 };

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	setup_links(rootfs, false, true);
	ns_rootfs_path(proc_kcore, sizeof(proc_kcore), rootfs, "/proc/kcore");
	ns_rootfs_path(dev_kcore, sizeof(dev_kcore), rootfs, "/dev/kcore");
	/* NOTE: the Debian 12 test machines have no /proc/kcore, so only the
	 * second branch has run there. */
	if (access(proc_kcore, F_OK) == 0) {
		check_link(rootfs, "/dev/kcore", "/proc/kcore");
		return;
	}
	/* This kernel has no /proc/kcore (CONFIG_PROC_KCORE unset). */
	NS_CHECK(lstat(dev_kcore, &st) < 0 && errno == ENOENT,
		 "%s: expected no link while /proc/kcore is missing, got "
		 "mode 0%o", dev_kcore, (unsigned)st.st_mode);
}

NS_TC(symlinks__kcore, "dev_kcore links /dev/kcore to /proc/kcore exactly "
      "when /proc/kcore exists", links_kcore, NULL)

static void links_off(void *arg)
{
	static const char *const names[] = {
		"/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr",
		"/dev/kcore", "/dev/ptmx",
	};
	char rootfs[PATH_MAX];
	char path[PATH_MAX];
	struct stat st = { 0 };

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	setup_links(rootfs, false, false);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ns_rootfs_path(path, sizeof(path), rootfs, names[i]);
		NS_CHECK(lstat(path, &st) < 0 && errno == ENOENT,
			 "%s: expected no entry with the symlink flags off, "
			 "got mode 0%o", path, (unsigned)st.st_mode);
	}
}

NS_TC(symlinks__off, "with dev_symlinks, dev_kcore and ptmx_symlink off, "
      "no /dev link is created", links_off, NULL)

/* ------------------------------------------------------------------ */
/* /dev/ptmx                                                            */

static void ptmx_symlink(void *arg)
{
	struct mntns_spec spec;
	char rootfs[PATH_MAX];
	char ptmx[PATH_MAX];
	unsigned int number = 99;
	int master;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_spec_init(&spec, rootfs);
	spec.ptmx_symlink = true;
	ns_setup_system_mounts(&spec, false, dev_and_pts);
	check_link(rootfs, "/dev/ptmx", "pts/ptmx");

	/* A fresh devpts instance hands out pty 0 first. */
	ns_rootfs_path(ptmx, sizeof(ptmx), rootfs, "/dev/ptmx");
	master = open(ptmx, O_RDWR | O_NOCTTY | O_CLOEXEC);
	NS_REQUIRE(master >= 0, "open %s: %s", ptmx, strerror(errno));
	NS_REQUIRE(ioctl(master, TIOCGPTN, &number) == 0, "TIOCGPTN: %s",
		   strerror(errno));
	NS_CHECK(number == 0, "%s: expected pty 0 of the new devpts "
		 "instance, got %u", ptmx, number);
	close(master);
}

NS_TC(ptmx__symlink, "ptmx_symlink makes /dev/ptmx -> pts/ptmx, which "
      "opens the container's devpts instance", ptmx_symlink, NULL)

static void setup_ptmx_2015(void *arg)
{
	struct mntns_error err = { 0 };
	char rootfs[PATH_MAX];
	int rc;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	rc = mntns_setup_ptmx(rootfs, NULL, NULL, &err);
	NS_REQUIRE_OK("mntns_setup_ptmx", rc, &err);
	check_link(rootfs, "/dev/ptmx", "pts/ptmx");
}

NS_TC(ptmx__setup_ptmx, "mntns_setup_ptmx without a console makes /dev/ptmx "
      "-> pts/ptmx", setup_ptmx_2015, NULL)

/* ------------------------------------------------------------------ */
/* /dev/console                                                         */

/* Opens a pty on the host's devpts and stores the slave's path.  The slave
 * starts as 0620 1000:5, so the console setup must change it. */
static int open_pty(char *slave, size_t size)
{
	int master = ns_open_pty(slave, size);

	NS_REQUIRE(chown(slave, 1000, 5) == 0 && chmod(slave, 0620) == 0,
		   "chown/chmod %s: %s", slave, strerror(errno));
	return master;
}

static void check_console_rdev(const char *console, const char *slave)
{
	struct stat want;
	struct stat got;

	NS_REQUIRE(stat(slave, &want) == 0, "stat %s: %s", slave,
		   strerror(errno));
	NS_REQUIRE(stat(console, &got) == 0, "stat %s: %s", console,
		   strerror(errno));
	NS_CHECK(S_ISCHR(got.st_mode) && got.st_rdev == want.st_rdev,
		 "%s: expected the rdev %u:%u of %s, got mode 0%o rdev %u:%u",
		 console, major(want.st_rdev), minor(want.st_rdev), slave,
		 (unsigned)got.st_mode, major(got.st_rdev),
		 minor(got.st_rdev));
}

static void check_mode_owner(const char *path, mode_t mode, uid_t uid,
			     gid_t gid)
{
	struct stat st = { 0 };

	NS_REQUIRE(stat(path, &st) == 0, "stat %s: %s", path,
		   strerror(errno));
	NS_CHECK((st.st_mode & 07777) == mode, "%s: expected mode 0%o, got "
		 "0%o", path, (unsigned)mode, (unsigned)(st.st_mode & 07777));
	NS_CHECK(st.st_uid == uid && st.st_gid == gid,
		 "%s: expected owner %u:%u, got %u:%u", path, (unsigned)uid,
		 (unsigned)gid, (unsigned)st.st_uid, (unsigned)st.st_gid);
}

/* Makes a rootfs, opens a pty and runs mntns_setup_ptmx with its slave
 * as the console.  Returns the master. */
static int setup_bind_console(char *rootfs, size_t rootfs_size,
			      char *slave, size_t slave_size)
{
	struct mntns_error err = { 0 };
	int master;
	int rc;

	ns_make_rootfs(rootfs, rootfs_size);
	master = open_pty(slave, slave_size);
	rc = mntns_setup_ptmx(rootfs, slave, NULL, &err);
	NS_REQUIRE_OK("mntns_setup_ptmx", rc, &err);
	return master;
}

static void console_bind_rdev(void *arg)
{
	struct libmnt_table *table;
	char rootfs[PATH_MAX];
	char console[PATH_MAX];
	char slave[PATH_MAX];
	int master;

	(void)arg;
	master = setup_bind_console(rootfs, sizeof(rootfs), slave,
				    sizeof(slave));

	ns_rootfs_path(console, sizeof(console), rootfs, "/dev/console");
	check_console_rdev(console, slave);
	table = ns_mountinfo();
	NS_CHECK(ns_find_mount(table, console) != NULL,
		 "%s: expected a bind mount of %s, found no mount", console,
		 slave);
	mnt_unref_table(table);
	close(master);
}

NS_TC(console__bind_rdev, "mntns_setup_ptmx binds the console pty onto "
      "/dev/console", console_bind_rdev, NULL)

static void console_bind_mode(void *arg)
{
	char rootfs[PATH_MAX];
	char slave[PATH_MAX];
	int master;

	(void)arg;
	master = setup_bind_console(rootfs, sizeof(rootfs), slave,
				    sizeof(slave));
	check_mode_owner(slave, 0600, 0, 0);
	close(master);
}

NS_TC(console__bind_mode_owner, "mntns_setup_ptmx makes the console pty "
      "0600 root:root", console_bind_mode, NULL)

static void console_bind_root_uid(void *arg)
{
	struct mntns_spec spec;
	char rootfs[PATH_MAX];
	char console[PATH_MAX];
	char slave[PATH_MAX];
	int master;

	(void)arg;
	ns_make_rootfs(rootfs, sizeof(rootfs));
	master = open_pty(slave, sizeof(slave));
	ns_spec_init(&spec, rootfs);
	spec.console_mode = MNTNS_CONSOLE_BIND;
	spec.console_path = slave;
	spec.root_uid = 1234;
	spec.root_gid = 2345;
	ns_setup_system_mounts(&spec, false, dev_and_pts);

	check_mode_owner(slave, 0600, 1234, 2345);
	ns_rootfs_path(console, sizeof(console), rootfs, "/dev/console");
	check_console_rdev(console, slave);
	close(master);
}

NS_TC(console__bind_root_uid, "MNTNS_CONSOLE_BIND chowns the pty to the "
      "container's root ids", console_bind_root_uid, NULL)

/* Pivots into a rootfs with all system mounts and MNTNS_CONSOLE_DEVPTS,
 * and returns the slave of the master it hands back. */
static int setup_devpts_console(struct mntns_spec *spec)
{
	static struct mntns_mount_entry entries[NS_MAX_SYSTEM_MOUNTS];
	static char rootfs[PATH_MAX];
	struct mntns_error err = { 0 };
	int slave;
	int rc;

	ns_make_rootfs(rootfs, sizeof(rootfs));
	ns_spec_init(spec, rootfs);
	spec->root_switch = MNTNS_ROOT_PIVOT;
	spec->mounts = entries;
	spec->mounts_count = ns_system_mounts(entries, false, NULL);
	spec->devices = mntns_default_devices;
	spec->devices_count = mntns_default_devices_count;
	spec->ptmx_symlink = true;
	spec->console_mode = MNTNS_CONSOLE_DEVPTS;
	rc = mntns_setup(spec, &err);
	NS_REQUIRE_OK("mntns_setup", rc, &err);
	NS_REQUIRE(spec->console_master >= 0, "console_master: expected a "
		   "descriptor, got %d", spec->console_master);

	slave = ioctl(spec->console_master, TIOCGPTPEER,
		      O_RDWR | O_NOCTTY | O_CLOEXEC);
	NS_REQUIRE(slave >= 0, "TIOCGPTPEER on console_master %d: %s",
		   spec->console_master, strerror(errno));
	return slave;
}

static void console_devpts_rdev(void *arg)
{
	struct mntns_spec spec;
	struct stat want;
	struct stat got;
	int slave;

	(void)arg;
	slave = setup_devpts_console(&spec);
	NS_REQUIRE(fstat(slave, &want) == 0, "fstat slave: %s",
		   strerror(errno));
	NS_REQUIRE(stat("/dev/console", &got) == 0, "stat /dev/console: %s",
		   strerror(errno));
	NS_CHECK(S_ISCHR(got.st_mode) && got.st_rdev == want.st_rdev,
		 "/dev/console: expected the slave's rdev %u:%u, got mode 0%o "
		 "rdev %u:%u", major(want.st_rdev), minor(want.st_rdev),
		 (unsigned)got.st_mode, major(got.st_rdev),
		 minor(got.st_rdev));
	close(slave);
	close(spec.console_master);
}

NS_TC(console__devpts_rdev, "MNTNS_CONSOLE_DEVPTS returns a pty master "
      "whose slave is /dev/console", console_devpts_rdev, NULL)

static void console_devpts_mode(void *arg)
{
	struct mntns_spec spec;
	struct stat st = { 0 };
	int slave;

	(void)arg;
	slave = setup_devpts_console(&spec);
	NS_REQUIRE(fstat(slave, &st) == 0, "fstat slave: %s",
		   strerror(errno));
	NS_CHECK((st.st_mode & 07777) == 0620 && st.st_gid == 5,
		 "console slave: expected the devpts mode 0620 and gid 5, got "
		 "0%o and %u", (unsigned)(st.st_mode & 07777),
		 (unsigned)st.st_gid);
	close(slave);
	close(spec.console_master);
}

NS_TC(console__devpts_mode, "MNTNS_CONSOLE_DEVPTS keeps the devpts mode "
      "0620 and gid 5 on the slave", console_devpts_mode, NULL)

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, devices__fuse);
	ATF_TP_ADD_TC(tp, devices__null);
	ATF_TP_ADD_TC(tp, devices__zero);
	ATF_TP_ADD_TC(tp, devices__full);
	ATF_TP_ADD_TC(tp, devices__tty);
	ATF_TP_ADD_TC(tp, devices__urandom);
	ATF_TP_ADD_TC(tp, devices__random);
	ATF_TP_ADD_TC(tp, devices__owner);
	ATF_TP_ADD_TC(tp, devices__unbuffered);
	ATF_TP_ADD_TC(tp, devices__block);
	ATF_TP_ADD_TC(tp, devices__fifo);
	ATF_TP_ADD_TC(tp, devices__default_table);
	ATF_TP_ADD_TC(tp, devices__bind_without_mknod);
	ATF_TP_ADD_TC(tp, symlinks__fd_and_stdio);
	ATF_TP_ADD_TC(tp, symlinks__kcore);
	ATF_TP_ADD_TC(tp, symlinks__off);
	ATF_TP_ADD_TC(tp, ptmx__symlink);
	ATF_TP_ADD_TC(tp, ptmx__setup_ptmx);
	ATF_TP_ADD_TC(tp, console__bind_rdev);
	ATF_TP_ADD_TC(tp, console__bind_mode_owner);
	ATF_TP_ADD_TC(tp, console__bind_root_uid);
	ATF_TP_ADD_TC(tp, console__devpts_rdev);
	ATF_TP_ADD_TC(tp, console__devpts_mode);
	return atf_no_error();
}
