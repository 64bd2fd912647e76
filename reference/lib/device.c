/*
 * Device nodes and the /dev symlinks.
 *
 * Nodes are made with umask 0 so their modes do not depend on the caller,
 * then chowned.  Without CAP_MKNOD, or where mknod fails with EPERM as it
 * does in a user namespace, the host's node is bind-mounted instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "internal.h"

/* libcontainer's defaults of January 2015; fuse is created but its mode
 * 0000 keeps it closed. */
MNTNS_PUBLIC const struct mntns_device mntns_default_devices[] = {
	{ 'c', "/dev/fuse", 10, 229, 0000, 0, 0 },
	{ 'c', "/dev/null", 1, 3, 0666, 0, 0 },
	{ 'c', "/dev/zero", 1, 5, 0666, 0, 0 },
	{ 'c', "/dev/full", 1, 7, 0666, 0, 0 },
	{ 'c', "/dev/tty", 5, 0, 0666, 0, 0 },
	{ 'c', "/dev/urandom", 1, 9, 0666, 0, 0 },
	{ 'c', "/dev/random", 1, 8, 0666, 0, 0 },
};

MNTNS_PUBLIC const size_t mntns_default_devices_count =
	sizeof(mntns_default_devices) / sizeof(*mntns_default_devices);

static const struct {
	const char *name;
	const char *target;
} dev_symlinks[] = {
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
};

static int device_file_type(const struct mntns_device *device, mode_t *type,
			    struct mntns_error *err)
{
	switch (device->type) {
	case 'c':
	case 'u':
		*type = S_IFCHR;
		return 0;
	case 'b':
		*type = S_IFBLK;
		return 0;
	case 'p':
		*type = S_IFIFO;
		return 0;
	default:
		return mntns__fail(err, EINVAL, device->path,
				   "type must be 'c', 'b', 'u' or 'p'",
				   "check device type '%c' of",
				   device->type ? device->type : '?');
	}
}

static int check_device(const struct mntns_device *device, mode_t type,
			dev_t *rdev, struct mntns_error *err)
{
	if (!device->path || device->path[0] != '/')
		return mntns__fail(err, EINVAL,
				   device->path ? device->path : "",
				   "must be an absolute path", "check device");
	if (type == S_IFIFO) {
		*rdev = 0;
		return 0;
	}
	if (device->major < 0 || device->minor < 0 ||
	    device->major > 0xfff || device->minor > 0xfffff)
		return mntns__fail(err, EINVAL, device->path,
				   "major must be 0-4095 and minor 0-1048575",
				   "check device %lld:%lld",
				   (long long)device->major,
				   (long long)device->minor);
	*rdev = makedev((unsigned int)device->major,
			(unsigned int)device->minor);
	return 0;
}

/* Accepts a node that is already there when it is the same device,
 * because a rootfs may ship its own /dev.  Anything else is an error. */
static int reuse_existing(int dir, const char *name, mode_t type, dev_t rdev,
			  const char *path, struct mntns_error *err)
{
	struct stat st;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return mntns__fail(err, errno, path, NULL, "stat device");
	if ((st.st_mode & S_IFMT) != type ||
	    (type != S_IFIFO && st.st_rdev != rdev))
		return mntns__fail(err, EEXIST, path,
				   "a different file is already there: remove "
				   "it from the rootfs",
				   "create device");
	return 0;
}

/* Binds the host's node at the same path over an empty file, for callers
 * that may not create device nodes. */
static int bind_host_device(const struct mntns_root *root, const char *path,
			    mode_t type, dev_t rdev, struct mntns_error *err)
{
	char host_path[MNTNS_FD_PATH_SIZE], target_path[MNTNS_FD_PATH_SIZE];
	cleanup_close int host = -1, target = -1;
	struct stat st;

	host = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (host < 0)
		return mntns__fail(err, errno, path, NULL,
				   "open host device");
	if (fstat(host, &st) < 0)
		return mntns__fail(err, errno, path, NULL, "stat host device");
	if ((st.st_mode & S_IFMT) != type || st.st_rdev != rdev)
		return mntns__fail(err, ENODEV, path,
				   "the host node is a different device",
				   "bind host device");

	target = mntns__create_file(root, path, 0000, err);
	if (target < 0)
		return target;
	mntns__fd_path(host, host_path);
	mntns__fd_path(target, target_path);
	if (mount(host_path, target_path, NULL, MS_BIND, NULL) < 0)
		return mntns__fail(err, errno, path, NULL,
				   "bind host device on");
	mntns__trace(MNTNS_TRACE_DEBUG,
		     "mknod not permitted: bound the host's %s instead", path);
	return 0;
}

static int create_device(const struct mntns_root *root,
			 const struct mntns_device *device, bool can_mknod,
			 struct mntns_error *err)
{
	cleanup_close int dir = -1;
	char path[PATH_MAX];
	const char *name;
	mode_t type = 0;
	dev_t rdev = 0;
	int r;

	r = device_file_type(device, &type, err);
	if (r == 0)
		r = check_device(device, type, &rdev, err);
	if (r == 0)
		r = mntns__check_clean(device->path, path, sizeof(path),
				       "device path", err);
	if (r < 0)
		return r;

	/* FIFOs need no CAP_MKNOD, so they never take the bind path. */
	if (!can_mknod && type != S_IFIFO)
		return bind_host_device(root, path, type, rdev, err);

	dir = mntns__open_parent(root, path, &name, err);
	if (dir < 0)
		return dir;
	if (mknodat(dir, name, type | (device->file_mode & 07777), rdev) < 0) {
		if (errno == EPERM && type != S_IFIFO)
			return bind_host_device(root, path, type, rdev, err);
		if (errno != EEXIST)
			return mntns__fail(err, errno, path, NULL,
					   "create device");
		r = reuse_existing(dir, name, type, rdev, path, err);
		if (r < 0)
			return r;
		if (fchmodat(dir, name, device->file_mode & 07777, 0) < 0)
			return mntns__fail(err, errno, path, NULL, "chmod");
	}
	if (fchownat(dir, name, device->uid, device->gid,
		     AT_SYMLINK_NOFOLLOW) < 0)
		return mntns__fail(err, errno, path, NULL, "chown %u:%u",
				   (unsigned int)device->uid,
				   (unsigned int)device->gid);
	return 0;
}

int mntns__create_devices(const struct mntns_root *root,
			  const struct mntns_device *devices, size_t count,
			  struct mntns_error *err)
{
	bool can_mknod = mntns__have_cap(CAP_MKNOD);
	mode_t old_umask;
	size_t i;
	int r = 0;

	if (!count)
		return 0;
	if (!devices)
		return mntns__fail(err, EINVAL, NULL,
				   "devices is NULL but devices_count is not 0",
				   "create devices");
	if (!can_mknod)
		mntns__trace(MNTNS_TRACE_DEBUG,
			     "CAP_MKNOD is missing: binding the host's device "
			     "nodes");

	old_umask = umask(0);
	for (i = 0; i < count && r == 0; i++)
		r = create_device(root, &devices[i], can_mknod, err);
	umask(old_umask);
	return r;
}

static int make_symlink(int dev, const char *name, const char *target,
			struct mntns_error *err)
{
	char path[64];

	if (symlinkat(target, dev, name) == 0 || errno == EEXIST)
		return 0;
	snprintf(path, sizeof(path), "/dev/%s", name);
	return mntns__fail(err, errno, path, NULL, "create symlink to %s",
			   target);
}

/* Creates /dev/fd, stdin, stdout and stderr, and kcore when the
 * container's /proc/kcore exists.  An existing entry of the same name is
 * left alone, as 2015 did. */
int mntns__dev_symlinks(const struct mntns_root *root, bool kcore,
			struct mntns_error *err)
{
	cleanup_close int dev = -1;
	size_t i;
	int r, fd;

	dev = mntns__open_system_dir(root, "/dev", true, err);
	if (dev < 0)
		return dev;
	for (i = 0; i < sizeof(dev_symlinks) / sizeof(*dev_symlinks); i++) {
		r = make_symlink(dev, dev_symlinks[i].name,
				 dev_symlinks[i].target, err);
		if (r < 0)
			return r;
	}
	if (!kcore)
		return 0;

	fd = mntns__resolve(root, "/proc/kcore", O_PATH, 0);
	if (fd < 0)
		return 0;
	close(fd);
	return make_symlink(dev, "kcore", "/proc/kcore", err);
}
