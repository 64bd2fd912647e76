/*
 * /dev/ptmx, /dev/console and the reopening of /dev/null descriptors.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>

#include "internal.h"

/* Replaces /dev/ptmx with a symlink to pts/ptmx, so that ptys come from
 * the container's own devpts instance. */
int mntns__ptmx_symlink(const struct mntns_root *root,
			struct mntns_error *err)
{
	cleanup_close int dev = -1;

	dev = mntns__open_system_dir(root, "/dev", true, err);
	if (dev < 0)
		return dev;
	if (unlinkat(dev, "ptmx", 0) < 0 && errno != ENOENT)
		return mntns__fail(err, errno, "/dev/ptmx", NULL, "remove");
	if (symlinkat("pts/ptmx", dev, "ptmx") < 0)
		return mntns__fail(err, errno, "/dev/ptmx", NULL,
				   "create symlink to pts/ptmx");
	return 0;
}

/*
 * Opens /dev/console for a bind mount: created as an empty file without
 * following a symlink, or reused when a regular file or character device
 * is already there.  A symlink is rejected, since binding over what it
 * names would put the console somewhere else.
 */
static int open_console_target(const struct mntns_root *root,
			       struct mntns_error *err)
{
	cleanup_close int dev = -1, fd = -1;
	struct stat st;

	dev = mntns__open_system_dir(root, "/dev", true, err);
	if (dev < 0)
		return dev;

	fd = openat(dev, "console",
		    O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST)
		return mntns__fail(err, errno, "/dev/console", NULL, "create");
	if (fd >= 0)
		close(fd);

	fd = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return mntns__fail(err, errno, "/dev/console", NULL, "open");
	if (fstat(fd, &st) < 0)
		return mntns__fail(err, errno, "/dev/console", NULL, "stat");
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		return mntns__fail(err, EEXIST, "/dev/console",
				   "not a regular file or character device: "
				   "remove it from the rootfs",
				   "check");
	return mntns__take_fd(&fd);
}

/* Binds the tty behind tty_fd onto /dev/console, not recursively. */
static int bind_on_console(const struct mntns_root *root, int tty_fd,
			   const char *tty_path, struct mntns_error *err)
{
	char source[MNTNS_FD_PATH_SIZE], target[MNTNS_FD_PATH_SIZE];
	cleanup_close int fd = -1;

	fd = open_console_target(root, err);
	if (fd < 0)
		return fd;
	mntns__fd_path(tty_fd, source);
	mntns__fd_path(fd, target);
	if (mount(source, target, NULL, MS_BIND, NULL) < 0)
		return mntns__fail(err, errno, "/dev/console", NULL,
				   "bind mount %s on", tty_path);
	return 0;
}

/* The 2015 console: the launcher's pty at console, chmod 0600, chowned to
 * the container's root, labelled, and bound onto /dev/console. */
int mntns__bind_console(const struct mntns_root *root, const char *console,
			uid_t uid, gid_t gid, const char *mount_label,
			struct mntns_error *err)
{
	cleanup_close int fd = -1;
	struct stat st;
	int r;

	fd = open(console, O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return mntns__fail(err, errno, console, NULL, "open console");
	if (fstat(fd, &st) < 0)
		return mntns__fail(err, errno, console, NULL, "stat console");
	if (!S_ISCHR(st.st_mode) || !isatty(fd))
		return mntns__fail(err, ENOTTY, console,
				   "not a terminal: give a pty such as "
				   "/dev/pts/N",
				   "check console");
	if (fchmod(fd, 0600) < 0)
		return mntns__fail(err, errno, console, NULL, "chmod console");
	if (fchown(fd, uid, gid) < 0)
		return mntns__fail(err, errno, console, NULL,
				   "chown console to %u:%u", (unsigned int)uid,
				   (unsigned int)gid);
	r = mntns__label_fd(fd, mount_label, console, err);
	if (r < 0)
		return r;
	return bind_on_console(root, fd, console, err);
}

/* Opens the slave of master: TIOCGPTPEER (Linux 4.13) opens it without a
 * path lookup; older kernels get /dev/pts/N inside root. */
static int open_slave(const struct mntns_root *root, int master,
		      struct mntns_error *err)
{
	char path[64];
	unsigned int number;
	int fd;

	fd = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	if (errno != EINVAL && errno != ENOTTY)
		return mntns__fail(err, errno, "/dev/ptmx", NULL,
				   "open pty slave of");

	if (ioctl(master, TIOCGPTN, &number) < 0)
		return mntns__fail(err, errno, "/dev/ptmx", NULL,
				   "read pty number of");
	snprintf(path, sizeof(path), "/dev/pts/%u", number);
	fd = mntns__resolve(root, path, O_RDWR | O_NOCTTY,
			    MNTNS_RESOLVE_NOFOLLOW);
	if (fd < 0)
		return mntns__fail(err, -fd, path, NULL, "open pty slave");
	return fd;
}

/* The devpts console: a new pty from the container's /dev/ptmx, its slave
 * bound onto /dev/console and its master returned in *master. */
int mntns__devpts_console(const struct mntns_root *root, int *master,
			  struct mntns_error *err)
{
	cleanup_close int ptmx = -1, slave = -1;
	int unlock = 0, r;

	ptmx = mntns__resolve(root, "/dev/ptmx", O_RDWR | O_NOCTTY, 0);
	if (ptmx < 0)
		return mntns__fail(err, -ptmx, "/dev/ptmx", NULL, "open");
	if (!isatty(ptmx))
		return mntns__fail(err, ENOTTY, "/dev/ptmx",
				   "not a pty multiplexer", "check");
	if (ioctl(ptmx, TIOCSPTLCK, &unlock) < 0)
		return mntns__fail(err, errno, "/dev/ptmx", NULL,
				   "unlock pty of");

	slave = open_slave(root, ptmx, err);
	if (slave < 0)
		return slave;
	r = bind_on_console(root, slave, "the pty slave", err);
	if (r < 0)
		return r;
	*master = mntns__take_fd(&ptmx);
	return 0;
}

/* A rootfs without device nodes and a spec without devices is the usual
 * cause, so the message names both ways out. */
static int fail_missing_devnull(int fd, struct mntns_error *err)
{
	char reason[256];

	snprintf(reason, sizeof(reason),
		 "%s: descriptor %d is the null device, so reopen_devnull "
		 "needs one in the rootfs: add /dev/null (c 1:3) to the "
		 "spec's devices, or set reopen_devnull to false",
		 mntns_strerror(ENOENT), fd);
	return mntns__fail(err, ENOENT, "/dev/null", reason, "open");
}

/* Points descriptors 0-2 that are the null device at the container's own
 * verified /dev/null, so no descriptor keeps a host file open. */
int mntns__reopen_devnull(const struct mntns_root *root,
			  struct mntns_error *err)
{
	cleanup_close int devnull = -1;
	struct stat st;
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) ||
		    st.st_rdev != makedev(1, 3))
			continue;
		if (devnull < 0) {
			devnull = mntns__open_devnull(root, O_RDWR, err);
			if (devnull == -ENOENT)
				return fail_missing_devnull(fd, err);
			if (devnull < 0)
				return devnull;
		}
		if (dup3(devnull, fd, 0) < 0)
			return mntns__fail(err, errno, "/dev/null", NULL,
					   "reopen descriptor %d on", fd);
	}
	return 0;
}

MNTNS_PUBLIC int mntns_setup_ptmx(const char *rootfs, const char *console,
				  const char *mount_label,
				  struct mntns_error *err)
{
	struct mntns_root root = { .fd = -1 };
	int r;

	if (!rootfs)
		return mntns__fail(err, EINVAL, NULL, "rootfs is NULL",
				   "set up /dev/ptmx");
	r = mntns__require_cap(CAP_SYS_ADMIN, "bind the console", err);
	if (r < 0)
		return r;
	r = mntns__root_open(&root, rootfs, err);
	if (r < 0)
		return r;
	r = mntns__ptmx_symlink(&root, err);
	if (r == 0 && console && *console)
		r = mntns__bind_console(&root, console, 0, 0, mount_label, err);
	mntns__root_close(&root);
	return r;
}
