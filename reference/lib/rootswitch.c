/*
 * The root switch (pivot_root or MS_MOVE), the read-only root, and fresh
 * /proc and /sys instances.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/vfs.h>

#include "internal.h"

/*
 * pivot_root(".", ".") stacks the old root on top of the new one, and the
 * lazy unmount then removes it.  Unlike a put_old directory this writes
 * nothing into the rootfs, so it also works on a read-only rootfs.  The
 * old root is made rslave first so that the unmount cannot propagate to
 * the host.  Both act on "." after a fchdir to the old root, because the
 * kernel does not promise what the working directory is after pivot_root,
 * and a change on the new root would undo the propagation of its mounts.
 */
int mntns__pivot(int rootfs_fd, const char *rootfs, struct mntns_error *err)
{
	cleanup_close int old_root = -1;

	old_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (old_root < 0)
		return mntns__fail(err, errno, "/", NULL, "open old root");
	if (fchdir(rootfs_fd) < 0)
		return mntns__fail(err, errno, rootfs, NULL, "chdir to");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return mntns__fail(err, errno, rootfs, NULL, "pivot_root to");
	if (fchdir(old_root) < 0)
		return mntns__fail(err, errno, rootfs, NULL,
				   "chdir to the old root after pivoting to");
	if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return mntns__fail(err, errno, rootfs, NULL,
				   "make the old root rslave after pivoting "
				   "to");
	if (umount2(".", MNT_DETACH) < 0)
		return mntns__fail(err, errno, rootfs, NULL,
				   "unmount the old root after pivoting to");
	if (chdir("/") < 0)
		return mntns__fail(err, errno, "/", NULL, "chdir to");
	return 0;
}

/*
 * MS_MOVE of the rootfs onto / and chroot("."), for roots that cannot be
 * pivoted (initramfs, ramfs).  As in 2015, the old root stays mounted
 * beneath the new one, reachable only by escaping the chroot.
 */
int mntns__move(int rootfs_fd, const char *rootfs, struct mntns_error *err)
{
	int r;

	r = mntns__require_cap(CAP_SYS_CHROOT, "chroot into the rootfs", err);
	if (r < 0)
		return r;
	if (fchdir(rootfs_fd) < 0)
		return mntns__fail(err, errno, rootfs, NULL, "chdir to");
	if (mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		return mntns__fail(err, errno, rootfs, NULL, "move onto / the");
	if (chroot(".") < 0)
		return mntns__fail(err, errno, rootfs, NULL, "chroot to");
	if (chdir("/") < 0)
		return mntns__fail(err, errno, "/", NULL, "chdir to");
	return 0;
}

/*
 * Makes the mount that contains rootfs private, before rootfs is bound onto
 * itself.  Under a shared rootfs propagation the bind would otherwise
 * join the host's peer group, and pivot_root and MS_MOVE fail with EINVAL
 * on a shared mount or one with a shared parent.  That mount is the
 * nearest of rootfs and its ancestors that is a mount point, found by
 * trying the change on each: mount(2) fails with EINVAL elsewhere.
 */
int mntns__make_parent_private(const char *rootfs, struct mntns_error *err)
{
	char path[PATH_MAX];
	char *slash;

	if (snprintf(path, sizeof(path), "%s", rootfs) >= (int)sizeof(path))
		return mntns__fail(err, ENAMETOOLONG, rootfs, NULL,
				   "find the mount containing");
	for (;;) {
		if (mount(NULL, path, NULL, MS_PRIVATE, NULL) == 0)
			return 0;
		if (errno != EINVAL)
			return mntns__fail(err, errno, path, NULL,
					   "make private the mount at");
		slash = strrchr(path, '/');
		if (!slash || strcmp(path, "/") == 0)
			break;
		slash[slash == path ? 1 : 0] = '\0';
	}
	return mntns__fail(err, EINVAL, rootfs, "no mount point found above it",
			   "make private the mount containing");
}

/* Opens rootfs and makes it the root with switch_root, once the caller is
 * known to have CAP_SYS_ADMIN; operation names the switch in that error. */
static int switch_root_at(const char *rootfs, const char *operation,
			  int (*switch_root)(int rootfs_fd, const char *rootfs,
					     struct mntns_error *err),
			  struct mntns_error *err)
{
	cleanup_close int fd = -1;
	int r;

	r = mntns__require_cap(CAP_SYS_ADMIN, operation, err);
	if (r < 0)
		return r;
	fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return mntns__fail(err, errno, rootfs, NULL, "open rootfs");
	return switch_root(fd, rootfs, err);
}

MNTNS_PUBLIC int mntns_pivot_root(const char *rootfs, struct mntns_error *err)
{
	return switch_root_at(rootfs, "pivot_root", mntns__pivot, err);
}

MNTNS_PUBLIC int mntns_move_root(const char *rootfs, struct mntns_error *err)
{
	return switch_root_at(rootfs, "move the root mount", mntns__move, err);
}

MNTNS_PUBLIC int mntns_set_readonly(struct mntns_error *err)
{
	cleanup_close int fd = -1;
	int r;

	r = mntns__require_cap(CAP_SYS_ADMIN, "remount / read-only", err);
	if (r < 0)
		return r;
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return mntns__fail(err, errno, "/", NULL, "open");
	return mntns__remount_keep(fd, MS_RDONLY, "/", err);
}

/* The read-only and atime flags of the mount at fd, or the 2015 defaults
 * when it is not a mount of the expected filesystem. */
static unsigned long flags_to_keep(int fd, long magic)
{
	unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
	struct statfs st;

	if (fstatfs(fd, &st) == 0 && st.f_type == magic &&
	    (st.f_flags & ST_RDONLY))
		flags |= MS_RDONLY;
	return flags;
}

/*
 * Replaces the filesystem on path ("/proc" or "/sys") with a fresh one.
 * After the lazy unmount /proc/self may be gone, so the new instance is
 * attached to the directory's descriptor with fsopen and move_mount
 * (Linux 5.2), falling back to the checked path on older kernels.
 */
static int mount_fresh(int dir_fd, const char *path, const char *type,
		       unsigned long flags, struct mntns_error *err)
{
	cleanup_close int fs = -1, mnt = -1;
	unsigned int attrs = 0;

	attrs |= flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0;
	attrs |= flags & MS_NOSUID ? MOUNT_ATTR_NOSUID : 0;
	attrs |= flags & MS_NODEV ? MOUNT_ATTR_NODEV : 0;
	attrs |= flags & MS_NOEXEC ? MOUNT_ATTR_NOEXEC : 0;

	fs = fsopen(type, FSOPEN_CLOEXEC);
	if (fs < 0 && errno == ENOSYS) {
		if (mount(type, path, type, flags, NULL) < 0)
			return mntns__fail(err, errno, path, NULL,
					   "mount %s on", type);
		return 0;
	}
	if (fs < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "source", type, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return mntns__fail(err, errno, path, NULL, "create %s for",
				   type);
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, attrs);
	if (mnt < 0 || move_mount(mnt, "", dir_fd, "",
				  MOVE_MOUNT_F_EMPTY_PATH |
					  MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return mntns__fail(err, errno, path, NULL, "mount %s on", type);
	return 0;
}

static int replace_filesystem(const struct mntns_root *root,
			      const char *path, const char *type, long magic,
			      struct mntns_error *err)
{
	cleanup_close int old = -1, dir = -1;
	unsigned long flags;

	old = mntns__open_system_dir(root, path, false, err);
	if (old < 0)
		return old;
	flags = flags_to_keep(old, magic);

	/* EINVAL: nothing is mounted there, so there is nothing to drop. */
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL)
		return mntns__fail(err, errno, path, NULL, "unmount");
	dir = mntns__open_system_dir(root, path, false, err);
	if (dir < 0)
		return dir;
	return mount_fresh(dir, path, type, flags, err);
}

static int remount_fresh(const char *path, const char *type, long magic,
			 struct mntns_error *err)
{
	struct mntns_root root = { .fd = -1, .path = "/" };
	int r;

	r = mntns__require_cap(CAP_SYS_ADMIN, "mount", err);
	if (r < 0)
		return r;
	root.fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root.fd < 0)
		return mntns__fail(err, errno, "/", NULL, "open");
	r = replace_filesystem(&root, path, type, magic, err);
	mntns__root_close(&root);
	return r;
}

MNTNS_PUBLIC int mntns_remount_proc(struct mntns_error *err)
{
	return remount_fresh("/proc", "proc", PROC_SUPER_MAGIC, err);
}

MNTNS_PUBLIC int mntns_remount_sys(struct mntns_error *err)
{
	return remount_fresh("/sys", "sysfs", SYSFS_MAGIC, err);
}
