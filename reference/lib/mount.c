/*
 * The general mount entry behind every mount of the library, propagation,
 * recursive attributes, and the masked and read-only paths.
 *
 * Each mount goes through a descriptor of the destination resolved inside
 * the rootfs, named to mount(2) as /proc/self/fd/N.  Changes to the new
 * mount (remount, propagation, attributes) go through a descriptor opened
 * after mounting, which is the new mount's root.
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
#include <sys/sysmacros.h>
#include <sys/vfs.h>

#include "internal.h"

/* Flags a bind remount sets again; the kernel resets what is not given. */
#define ATIME_FLAGS (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)
#define REMOUNT_FLAGS \
	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NODIRATIME | \
	 ATIME_FLAGS)
#define PROPAGATION_FLAGS (MS_PRIVATE | MS_SLAVE | MS_SHARED | MS_UNBINDABLE)

/* The /proc files that lxcfs-style setups bind over; every other mount
 * inside /proc could hide or fake what the kernel reports. */
static const char *const proc_allowed[] = {
	"/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat",
	"/proc/swaps",	 "/proc/uptime",    "/proc/loadavg", "/proc/slabinfo",
};

static const unsigned long propagation_ms[] = {
	[MNTNS_PROPAGATION_NONE] = 0,
	[MNTNS_PROPAGATION_PRIVATE] = MS_PRIVATE,
	[MNTNS_PROPAGATION_SLAVE] = MS_SLAVE,
	[MNTNS_PROPAGATION_SHARED] = MS_SHARED,
	[MNTNS_PROPAGATION_UNBINDABLE] = MS_UNBINDABLE,
};

static const struct {
	unsigned long ms_flag;
	uint64_t attr;
} attr_flags[] = {
	{ MS_RDONLY, MOUNT_ATTR_RDONLY },	{ MS_NOSUID, MOUNT_ATTR_NOSUID },
	{ MS_NODEV, MOUNT_ATTR_NODEV },		{ MS_NOEXEC, MOUNT_ATTR_NOEXEC },
	{ MS_NODIRATIME, MOUNT_ATTR_NODIRATIME },
};

static const struct {
	unsigned long st_flag;
	unsigned long ms_flag;
} statvfs_flags[] = {
	{ ST_RDONLY, MS_RDONLY },	{ ST_NOSUID, MS_NOSUID },
	{ ST_NODEV, MS_NODEV },		{ ST_NOEXEC, MS_NOEXEC },
	{ ST_NOATIME, MS_NOATIME },	{ ST_NODIRATIME, MS_NODIRATIME },
	{ ST_RELATIME, MS_RELATIME },
};

/* Returns the MS_* flags of the mount fd is on. */
static int mount_flags_of(int fd, unsigned long *flags)
{
	struct statvfs st;
	size_t i;

	if (fstatvfs(fd, &st) < 0)
		return -errno;
	*flags = 0;
	for (i = 0; i < sizeof(statvfs_flags) / sizeof(*statvfs_flags); i++)
		if (st.f_flag & statvfs_flags[i].st_flag)
			*flags |= statvfs_flags[i].ms_flag;
	/* statvfs has no bit for strictatime: it is the absence of both. */
	if (!(*flags & (MS_NOATIME | MS_RELATIME)))
		*flags |= MS_STRICTATIME;
	return 0;
}

static uint64_t attrs_of(unsigned long ms_flags)
{
	uint64_t attrs = 0;
	size_t i;

	for (i = 0; i < sizeof(attr_flags) / sizeof(*attr_flags); i++)
		if (ms_flags & attr_flags[i].ms_flag)
			attrs |= attr_flags[i].attr;
	return attrs;
}

/*
 * Changes the flags of the mount whose root is fd with mount_setattr
 * (Linux 5.12), which leaves alone what it is not given and needs no
 * /proc.  Clearing an atime flag without setting one means relatime, as a
 * remount without atime flags does.  Returns -ENOSYS on older kernels.
 */
static int setattr_flags(int fd, unsigned long set, unsigned long clear)
{
	struct mount_attr attr = {
		.attr_set = attrs_of(set),
		.attr_clr = attrs_of(clear),
	};

	if ((set | clear) & ATIME_FLAGS) {
		attr.attr_clr |= MOUNT_ATTR__ATIME;
		if (set & MS_NOATIME)
			attr.attr_set |= MOUNT_ATTR_NOATIME;
		else if (set & MS_STRICTATIME)
			attr.attr_set |= MOUNT_ATTR_STRICTATIME;
		else
			attr.attr_set |= MOUNT_ATTR_RELATIME;
	}
	if (mount_setattr(fd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
		return -errno;
	return 0;
}

/*
 * Changes the bind mount whose root is fd to its current flags minus
 * clear plus set.  Before Linux 5.12 this is a remount through
 * /proc/self/fd, which resets every flag it is not given.  So the current
 * flags are read and passed again, because in a user namespace the kernel
 * rejects dropping a locked nosuid, nodev, noexec or atime flag.
 */
static int remount_bind(int fd, unsigned long set, unsigned long clear,
			const char *path, struct mntns_error *err)
{
	char fd_path[MNTNS_FD_PATH_SIZE];
	unsigned long flags = 0;
	int r;

	r = setattr_flags(fd, set, clear);
	if (r == 0)
		return 0;
	if (r != -ENOSYS)
		return mntns__fail(err, -r, path, NULL, "remount");

	r = mount_flags_of(fd, &flags);
	if (r < 0)
		return mntns__fail(err, -r, path, NULL, "read mount flags of");
	if (set & ATIME_FLAGS)
		flags &= ~ATIME_FLAGS;
	flags = ((flags & ~clear) | set) & REMOUNT_FLAGS;

	mntns__fd_path(fd, fd_path);
	if (mount(NULL, fd_path, NULL, MS_REMOUNT | MS_BIND | flags, NULL) < 0)
		return mntns__fail(err, errno, path, NULL, "remount");
	return 0;
}

/* Adds flags (MS_RDONLY for a read-only remount) to the mount whose root
 * is fd, keeping its other flags. */
int mntns__remount_keep(int fd, unsigned long flags, const char *path,
			struct mntns_error *err)
{
	return remount_bind(fd, flags, 0, path, err);
}

/* Sets the propagation of the mount whose root is fd, shown_path naming
 * it in errors: with mount_setattr (Linux 5.12), else mount(2) through
 * /proc/self/fd. */
int mntns__set_propagation(int fd, const char *shown_path,
			   enum mntns_propagation propagation, bool recursive,
			   struct mntns_error *err)
{
	static const char *const names[] = { "none", "private", "slave",
					     "shared", "unbindable" };
	struct mount_attr attr = { 0 };
	char fd_path[MNTNS_FD_PATH_SIZE];
	unsigned long flags;

	if ((unsigned int)propagation >= sizeof(names) / sizeof(*names))
		return mntns__fail(err, EINVAL, shown_path, NULL,
				   "set propagation %d of", propagation);
	if (propagation == MNTNS_PROPAGATION_NONE)
		return 0;

	attr.propagation = propagation_ms[propagation];
	if (mount_setattr(fd, "",
			  AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr,
			  sizeof(attr)) == 0)
		return 0;
	if (errno == ENOSYS) {
		flags = propagation_ms[propagation] | (recursive ? MS_REC : 0);
		mntns__fd_path(fd, fd_path);
		if (mount(NULL, fd_path, NULL, flags, NULL) == 0)
			return 0;
	}
	return mntns__fail(err, errno, shown_path, NULL, "make %s%s",
			   recursive ? "r" : "", names[propagation]);
}

static int set_attributes(int fd, const struct mntns_mount_entry *entry,
			  const char *path, struct mntns_error *err)
{
	struct mount_attr attr = {
		.attr_set = entry->attr_set,
		.attr_clr = entry->attr_clr,
	};

	if (!entry->attr_set && !entry->attr_clr)
		return 0;
	if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
			  sizeof(attr)) == 0)
		return 0;
	if (errno == ENOSYS)
		return mntns__fail(err, MNTNS_EUNSUPPORTED, path,
				   "recursive mount attributes need "
				   "mount_setattr (Linux 5.12 or later)",
				   "set recursive attributes on");
	return mntns__fail(err, errno, path, NULL,
			   "set recursive attributes on");
}

static bool in_list(const char *path, const char *const *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strcmp(path, list[i]) == 0)
			return true;
	return false;
}

static bool on_procfs(const char *path)
{
	struct statfs st;

	return statfs(path, &st) == 0 && st.f_type == PROC_SUPER_MAGIC;
}

/* Rejects a mount on path, a path inside the rootfs, at or below /proc
 * unless it is an allowed case.  dest names the mount in errors. */
static int check_proc_rule(const char *path,
			   const struct mntns_mount_entry *entry,
			   const char *dest, struct mntns_error *err)
{
	bool is_bind = entry->flags & MNTNS_ENTRY_BIND;
	bool is_proc = entry->type && strcmp(entry->type, "proc") == 0;

	if (strcmp(path, "/proc") == 0) {
		if ((!is_bind && is_proc) ||
		    (is_bind && on_procfs(entry->source)))
			return 0;
		return mntns__fail(err, EINVAL, dest,
				   "only a proc filesystem can be mounted on "
				   "/proc",
				   "check destination");
	}
	if (strncmp(path, "/proc/", 6) != 0 ||
	    in_list(path, proc_allowed,
		    sizeof(proc_allowed) / sizeof(*proc_allowed)))
		return 0;
	return mntns__fail(err, EINVAL, dest,
			   "mounts inside /proc are allowed only over "
			   "cpuinfo, diskstats, meminfo, stat, swaps, uptime, "
			   "loadavg and slabinfo",
			   "check destination");
}

/*
 * Applies the /proc rule to where the descriptor really is, so that a
 * symlink leading into /proc is caught as well.  With openat2, which
 * already keeps the target inside the rootfs, the path is read only for a
 * target on procfs, to save a readlink per mount.
 * NOTE: a symlink to /proc followed before proc is mounted there reaches
 * the rootfs's own /proc directory, and this check lets it pass.  The
 * mount stays inside the rootfs, and a later proc mount covers it.
 */
static int check_proc_target(const struct mntns_root *root, int fd,
			     const struct mntns_mount_entry *entry,
			     const char *dest, struct mntns_error *err)
{
	char real[PATH_MAX];
	struct statfs st;
	int r;

	if (mntns_get_resolver() == MNTNS_RESOLVER_OPENAT2 &&
	    fstatfs(fd, &st) == 0 && st.f_type != PROC_SUPER_MAGIC)
		return 0;

	r = mntns__root_relative(root, fd, real, sizeof(real));
	if (r == -EXDEV)
		return mntns__fail(err, EXDEV, dest,
				   "resolved outside the rootfs",
				   "check destination");
	if (r < 0)
		return mntns__fail(err, -r, dest, NULL, "check destination");
	return check_proc_rule(real, entry, dest, err);
}

static int check_entry(const struct mntns_mount_entry *entry,
		       struct mntns_error *err)
{
	const char *dest = entry->destination;
	bool is_bind = entry->flags & MNTNS_ENTRY_BIND;

	if (is_bind && (!entry->source || !*entry->source))
		return mntns__fail(err, EINVAL, dest,
				   "a bind mount needs a source path",
				   "check mount");
	if (!is_bind && (!entry->type || !*entry->type))
		return mntns__fail(err, EINVAL, dest,
				   "missing filesystem type: give one or set "
				   "MNTNS_ENTRY_BIND",
				   "check mount");
	if (entry->ms_flags & (PROPAGATION_FLAGS | MS_BIND | MS_REMOUNT |
			       MS_MOVE | MS_REC))
		return mntns__fail(err, EINVAL, dest,
				   "ms_flags may not hold bind, remount, move, "
				   "rec or propagation flags: use flags and "
				   "propagation",
				   "check mount");
	if (entry->relabel && !is_bind)
		return mntns__fail(err, EINVAL, dest,
				   "relabel applies to bind mounts only",
				   "check mount");
	if (entry->relabel && strcmp(entry->relabel, "z") != 0 &&
	    strcmp(entry->relabel, "Z") != 0)
		return mntns__fail(err, EINVAL, dest,
				   "relabel must be \"z\" (shared) or \"Z\" "
				   "(private)",
				   "check mount");
	return 0;
}

/* Opens /proc, /sys or /dev when dest is one of them or below, so that
 * none of them can be a symlink or a file. */
static int check_system_dirs(const struct mntns_root *root, const char *dest,
			     struct mntns_error *err)
{
	static const char *const system_dirs[] = { "/proc", "/sys", "/dev" };
	size_t i;

	for (i = 0; i < sizeof(system_dirs) / sizeof(*system_dirs); i++) {
		size_t length = strlen(system_dirs[i]);
		int fd;

		if (strncmp(dest, system_dirs[i], length) != 0 ||
		    (dest[length] != '/' && dest[length] != '\0'))
			continue;
		fd = mntns__open_system_dir(root, system_dirs[i], true, err);
		if (fd < 0)
			return fd;
		close(fd);
	}
	return 0;
}

/* Creates the destination, a directory or an empty file to match a bind
 * source that is not a directory, and returns an O_PATH descriptor. */
static int create_destination(const struct mntns_root *root,
			      const struct mntns_mount_entry *entry,
			      const char *dest, struct mntns_error *err)
{
	struct stat st;

	if (!(entry->flags & MNTNS_ENTRY_BIND))
		return mntns__mkdir_all(root, dest, 0755, err);

	if (stat(entry->source, &st) < 0)
		return mntns__fail(err, errno, entry->source, NULL,
				   "stat bind source");
	if (S_ISDIR(st.st_mode))
		return mntns__mkdir_all(root, dest, 0755, err);
	return mntns__create_file(root, dest, 0644, err);
}

static int mount_on(int target_fd, const struct mntns_mount_entry *entry,
		    const char *data, const char *dest,
		    struct mntns_error *err)
{
	char fd_path[MNTNS_FD_PATH_SIZE];
	unsigned long flags;
	const char *source;

	mntns__fd_path(target_fd, fd_path);
	if (entry->flags & MNTNS_ENTRY_BIND) {
		flags = MS_BIND |
			(entry->flags & MNTNS_ENTRY_RECURSIVE ? MS_REC : 0);
		if (mount(entry->source, fd_path, NULL, flags, NULL) < 0)
			return mntns__fail(err, errno, dest, NULL,
					   "bind mount %s on", entry->source);
		return 0;
	}

	source = entry->source && *entry->source ? entry->source : entry->type;
	if (mount(source, fd_path, entry->type, entry->ms_flags, data) == 0)
		return 0;
	if (errno == ENODEV && (entry->flags & MNTNS_ENTRY_OPTIONAL)) {
		mntns__trace(MNTNS_TRACE_WARNING,
			     "filesystem %s is not available: optional mount "
			     "on '%s' skipped",
			     entry->type, dest);
		return 1;
	}
	return mntns__fail(err, errno, dest, NULL, "mount %s on", entry->type);
}

/* Applies what follows the mount itself: the bind remount, the
 * propagation and the recursive attributes, on the new mount's root. */
static int finish_mount(const struct mntns_root *root,
			const struct mntns_mount_entry *entry,
			const char *dest, struct mntns_error *err)
{
	cleanup_close int fd = -1;
	bool is_bind = entry->flags & MNTNS_ENTRY_BIND;
	int r;

	if (!(is_bind && ((entry->ms_flags & REMOUNT_FLAGS) ||
			  entry->ms_clear)) &&
	    entry->propagation == MNTNS_PROPAGATION_NONE &&
	    !entry->attr_set && !entry->attr_clr)
		return 0;

	fd = mntns__resolve(root, dest, O_PATH, 0);
	if (fd < 0)
		return mntns__fail(err, -fd, dest, NULL, "reopen");

	if (is_bind && ((entry->ms_flags & REMOUNT_FLAGS) || entry->ms_clear)) {
		r = remount_bind(fd, entry->ms_flags, entry->ms_clear, dest,
				 err);
		if (r < 0)
			return r;
	}
	r = mntns__set_propagation(
		fd, dest, entry->propagation,
		entry->flags & MNTNS_ENTRY_PROPAGATION_RECURSIVE, err);
	if (r < 0)
		return r;
	return set_attributes(fd, entry, dest, err);
}

int mntns__mount_entry_at(const struct mntns_root *root,
			  const struct mntns_mount_entry *entry,
			  const char *mount_label, struct mntns_error *err)
{
	cleanup_free char *data = NULL;
	cleanup_close int fd = -1;
	char dest[PATH_MAX];
	int r;

	r = mntns__check_clean(entry->destination, dest, sizeof(dest),
			       "mount destination", err);
	if (r < 0)
		return r;
	if (strcmp(dest, "/") == 0)
		return mntns__fail(err, EINVAL, entry->destination,
				   "the destination is the rootfs itself",
				   "check mount");
	r = check_entry(entry, err);
	if (r < 0)
		return r;
	r = check_system_dirs(root, dest, err);
	if (r < 0)
		return r;
	/* Checked on the written path too, before anything is created. */
	r = check_proc_rule(dest, entry, dest, err);
	if (r < 0)
		return r;

	if (entry->relabel) {
		r = mntns__relabel(entry->source, mount_label, entry->relabel,
				   err);
		if (r < 0)
			return r;
	}
	fd = create_destination(root, entry, dest, err);
	if (fd < 0)
		return fd;
	r = check_proc_target(root, fd, entry, dest, err);
	if (r < 0)
		return r;

	r = mntns__label_data(entry->data,
			      entry->flags & MNTNS_ENTRY_LABEL ? mount_label :
								 NULL,
			      dest, &data, err);
	if (r < 0)
		return r;
	r = mount_on(fd, entry, data, dest, err);
	if (r != 0)
		return r < 0 ? r : 0;
	return finish_mount(root, entry, dest, err);
}

MNTNS_PUBLIC int mntns_mount_entry(const struct mntns_mount_entry *entry,
				   const char *rootfs, const char *mount_label,
				   struct mntns_error *err)
{
	struct mntns_root root = { .fd = -1 };
	int r;

	if (!entry || !rootfs)
		return mntns__fail(err, EINVAL, NULL,
				   "entry and rootfs are required",
				   "mount entry");
	r = mntns__require_cap(CAP_SYS_ADMIN, "mount", err);
	if (r < 0)
		return r;
	r = mntns__root_open(&root, rootfs, err);
	if (r < 0)
		return r;
	r = mntns__mount_entry_at(&root, entry, mount_label, err);
	mntns__root_close(&root);
	return r;
}

/* Opens the container's /dev/null with open_flags after checking that it
 * is the null device (c 1:3) and not a symlink, file or other node that
 * an image placed there. */
int mntns__open_devnull(const struct mntns_root *root, int open_flags,
			struct mntns_error *err)
{
	cleanup_close int fd = -1;
	struct stat st;

	fd = mntns__resolve(root, "/dev/null", O_PATH, MNTNS_RESOLVE_NOFOLLOW);
	if (fd < 0)
		return mntns__fail(err, -fd, "/dev/null", NULL, "open");
	if (fstat(fd, &st) < 0)
		return mntns__fail(err, errno, "/dev/null", NULL, "stat");
	if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
		return mntns__fail(err, ENODEV, "/dev/null",
				   "not the null device (c 1:3)", "check");
	if (open_flags & O_PATH)
		return mntns__take_fd(&fd);

	close(fd);
	fd = mntns__resolve(root, "/dev/null", open_flags,
			    MNTNS_RESOLVE_NOFOLLOW);
	if (fd < 0)
		return mntns__fail(err, -fd, "/dev/null", NULL, "open");
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) ||
	    st.st_rdev != makedev(1, 3))
		return mntns__fail(err, ENODEV, "/dev/null",
				   "not the null device (c 1:3)", "check");
	return mntns__take_fd(&fd);
}

static int check_absolute(const char *path, const char *what, char *clean,
			  struct mntns_error *err)
{
	if (!path || path[0] != '/')
		return mntns__fail(err, EINVAL, path ? path : "",
				   "must be an absolute path", "check %s",
				   what);
	return mntns__check_clean(path, clean, PATH_MAX, what, err);
}

/* Opens a masked or read-only path, returning 0 when it does not exist:
 * masking what is not there has nothing to hide. */
static int open_optional(const struct mntns_root *root, const char *path,
			 struct mntns_error *err)
{
	int fd = mntns__resolve(root, path, O_PATH, 0);

	if (fd == -ENOENT) {
		mntns__trace(MNTNS_TRACE_DEBUG, "'%s' does not exist: skipped",
			     path);
		return -ENOENT;
	}
	if (fd < 0)
		return mntns__fail(err, -fd, path, NULL, "open");
	return fd;
}

/* Acts on one path of a masked or read-only list, open in fd. */
typedef int (*path_action)(const struct mntns_root *root, int fd,
			   const char *path, void *arg,
			   struct mntns_error *err);

/* Checks and opens each of paths under root and calls action on it.  A
 * path missing from the rootfs is skipped; list names the list in
 * errors. */
static int for_each_path(const struct mntns_root *root,
			 const char *const *paths, size_t count,
			 const char *list, path_action action, void *arg,
			 struct mntns_error *err)
{
	char clean[PATH_MAX];
	size_t i;
	int r;

	for (i = 0; i < count; i++) {
		cleanup_close int fd = -1;

		r = check_absolute(paths[i], list, clean, err);
		if (r < 0)
			return r;
		fd = open_optional(root, clean, err);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return fd;
		r = action(root, fd, clean, arg, err);
		if (r < 0)
			return r;
	}
	return 0;
}

struct mask_context {
	int devnull;
	const char *mount_label;
};

/* Hides one path: the verified /dev/null over a file, an empty read-only
 * tmpfs over a directory. */
static int mask_path(const struct mntns_root *root, int fd, const char *path,
		     void *arg, struct mntns_error *err)
{
	const struct mask_context *mask = arg;
	char fd_path[MNTNS_FD_PATH_SIZE], null_path[MNTNS_FD_PATH_SIZE];
	cleanup_free char *data = NULL;
	struct stat st;
	int r;

	(void)root;
	mntns__fd_path(fd, fd_path);
	if (fstat(fd, &st) < 0)
		return mntns__fail(err, errno, path, NULL, "stat");
	if (!S_ISDIR(st.st_mode)) {
		mntns__fd_path(mask->devnull, null_path);
		if (mount(null_path, fd_path, NULL, MS_BIND, NULL) < 0)
			return mntns__fail(err, errno, path, NULL,
					   "mask with /dev/null");
		return 0;
	}

	r = mntns__label_data(NULL, mask->mount_label, path, &data, err);
	if (r < 0)
		return r;
	if (mount("tmpfs", fd_path, "tmpfs", MS_RDONLY, data) < 0)
		return mntns__fail(err, errno, path, NULL,
				   "mask with an empty tmpfs");
	return 0;
}

int mntns__mask_paths(const struct mntns_root *root,
		      const char *const *paths, size_t count,
		      const char *mount_label, struct mntns_error *err)
{
	cleanup_close int devnull = -1;
	struct mask_context mask;

	if (!count)
		return 0;
	devnull = mntns__open_devnull(root, O_PATH, err);
	if (devnull < 0)
		return devnull;
	mask.devnull = devnull;
	mask.mount_label = mount_label;
	return for_each_path(root, paths, count, "masked path", mask_path,
			     &mask, err);
}

/* Makes one path read-only: a bind onto itself, then a read-only remount
 * of that bind that keeps its other flags. */
static int readonly_path(const struct mntns_root *root, int fd,
			 const char *path, void *arg, struct mntns_error *err)
{
	char fd_path[MNTNS_FD_PATH_SIZE];
	cleanup_close int top = -1;

	(void)arg;
	mntns__fd_path(fd, fd_path);
	if (mount(fd_path, fd_path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return mntns__fail(err, errno, path, NULL, "bind onto itself");

	top = mntns__resolve(root, path, O_PATH, 0);
	if (top < 0)
		return mntns__fail(err, -top, path, NULL, "reopen");
	return remount_bind(top, MS_RDONLY, 0, path, err);
}

int mntns__readonly_paths(const struct mntns_root *root,
			  const char *const *paths, size_t count,
			  struct mntns_error *err)
{
	return for_each_path(root, paths, count, "read-only path",
			     readonly_path, NULL, err);
}
