/*
 * mntns_setup(): the whole mount namespace, in the order of 2015 with the
 * /dev/null reopening moved after the root switch:
 *
 *   1. propagation of the whole tree (rprivate, or rslave when moving)
 *   2. the rootfs bound onto itself, so it is a mount point
 *   3. the mount entries, in order
 *   4. device nodes, with umask 0
 *   5. /dev/ptmx and the 2015 console bind
 *   6. the /dev symlinks
 *   7. pivot_root or MS_MOVE
 *   8. the devpts console and the /dev/null reopening
 *   9. the read-only root
 *  10. masked and read-only paths, then a shared or unbindable rootfs
 *      propagation
 *  11. the final umask
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "internal.h"

MNTNS_PUBLIC void mntns_spec_init(struct mntns_spec *spec, const char *rootfs)
{
	memset(spec, 0, sizeof(*spec));
	spec->rootfs = rootfs;
	spec->root_switch = MNTNS_ROOT_PIVOT;
	spec->dev_symlinks = true;
	spec->ptmx_symlink = true;
	spec->reopen_devnull = true;
	spec->final_umask = 0022;
	spec->console_master = -1;
}

static int check_counts(const struct mntns_spec *spec,
			struct mntns_error *err)
{
	if ((spec->mounts_count && !spec->mounts) ||
	    (spec->devices_count && !spec->devices) ||
	    (spec->masked_paths_count && !spec->masked_paths) ||
	    (spec->readonly_paths_count && !spec->readonly_paths))
		return mntns__fail(err, EINVAL, spec->rootfs,
				   "an array is NULL but its count is not 0",
				   "check spec for");
	return 0;
}

static int check_spec(const struct mntns_spec *spec, struct mntns_error *err)
{
	if (!spec->rootfs || spec->rootfs[0] != '/')
		return mntns__fail(err, EINVAL,
				   spec->rootfs ? spec->rootfs : "",
				   "the rootfs must be an absolute path",
				   "check spec for");
	if ((unsigned int)spec->root_switch > MNTNS_ROOT_NONE ||
	    (unsigned int)spec->console_mode > MNTNS_CONSOLE_DEVPTS ||
	    (unsigned int)spec->rootfs_propagation >
		    MNTNS_PROPAGATION_UNBINDABLE)
		return mntns__fail(err, EINVAL, spec->rootfs,
				   "root_switch, console_mode or "
				   "rootfs_propagation is out of range",
				   "check spec for");
	if (spec->console_mode == MNTNS_CONSOLE_BIND &&
	    (!spec->console_path || !*spec->console_path))
		return mntns__fail(err, EINVAL, spec->rootfs,
				   "MNTNS_CONSOLE_BIND needs console_path",
				   "check spec for");
	return check_counts(spec, err);
}

/* The propagation of step 1.  Unbindable waits until step 10, because an
 * unbindable rootfs cannot be bound onto itself. */
static enum mntns_propagation tree_propagation(const struct mntns_spec *spec)
{
	switch (spec->rootfs_propagation) {
	case MNTNS_PROPAGATION_NONE:
		return spec->root_switch == MNTNS_ROOT_MOVE ?
			       MNTNS_PROPAGATION_SLAVE :
			       MNTNS_PROPAGATION_PRIVATE;
	case MNTNS_PROPAGATION_UNBINDABLE:
		return MNTNS_PROPAGATION_PRIVATE;
	default:
		return spec->rootfs_propagation;
	}
}

static int prepare_tree(const struct mntns_spec *spec,
			struct mntns_error *err)
{
	cleanup_close int host_root = -1;
	int r;

	host_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host_root < 0)
		return mntns__fail(err, errno, "/", NULL, "open");
	r = mntns__set_propagation(host_root, "/", tree_propagation(spec),
				   true, err);
	if (r < 0)
		return r;
	if (spec->rootfs_propagation == MNTNS_PROPAGATION_SHARED) {
		r = mntns__make_parent_private(spec->rootfs, err);
		if (r < 0)
			return r;
	}
	if (mount(spec->rootfs, spec->rootfs, NULL, MS_BIND | MS_REC, NULL) <
	    0)
		return mntns__fail(err, errno, spec->rootfs, NULL,
				   "bind rootfs onto itself");
	return 0;
}

/* Stores index, the failed entry of spec->mounts, in err, which
 * mntns__fail() has filled, and returns r. */
static int fail_entry(struct mntns_error *err, size_t index, int r)
{
	if (err)
		err->mount_index = (int)index;
	return r;
}

/* Steps 3 to 6, everything built through paths under the rootfs. */
static int build_tree(const struct mntns_root *root,
		      const struct mntns_spec *spec, struct mntns_error *err)
{
	size_t i;
	int r;

	for (i = 0; i < spec->mounts_count; i++) {
		r = mntns__mount_entry_at(root, &spec->mounts[i],
					  spec->mount_label, err);
		if (r < 0)
			return fail_entry(err, i, r);
	}
	r = mntns__create_devices(root, spec->devices, spec->devices_count,
				  err);
	if (r == 0 && spec->ptmx_symlink)
		r = mntns__ptmx_symlink(root, err);
	if (r == 0 && spec->console_mode == MNTNS_CONSOLE_BIND)
		r = mntns__bind_console(root, spec->console_path,
					spec->root_uid, spec->root_gid,
					spec->mount_label, err);
	if (r == 0 && spec->dev_symlinks)
		r = mntns__dev_symlinks(root, spec->dev_kcore, err);
	return r;
}

/* Step 7.  Afterwards root is the new "/", except with MNTNS_ROOT_NONE. */
static int switch_root(struct mntns_root *root, const struct mntns_spec *spec,
		       struct mntns_error *err)
{
	int r;

	if (spec->root_switch == MNTNS_ROOT_NONE)
		return 0;
	if (spec->root_switch == MNTNS_ROOT_MOVE)
		r = mntns__move(root->fd, spec->rootfs, err);
	else
		r = mntns__pivot(root->fd, spec->rootfs, err);
	if (r < 0)
		return r;

	mntns__root_close(root);
	root->fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root->fd < 0)
		return mntns__fail(err, errno, "/", NULL, "open new root");
	strcpy(root->path, "/");
	return 0;
}

/* Steps 8 to 10, inside the container's root. */
static int finish_root(const struct mntns_root *root,
		       struct mntns_spec *spec, struct mntns_error *err)
{
	int r = 0;

	if (spec->console_mode == MNTNS_CONSOLE_DEVPTS)
		r = mntns__devpts_console(root, &spec->console_master, err);
	if (r == 0 && spec->reopen_devnull)
		r = mntns__reopen_devnull(root, err);
	if (r == 0 && spec->readonly_root)
		r = mntns__remount_keep(root->fd, MS_RDONLY, root->path, err);
	if (r == 0)
		r = mntns__mask_paths(root, spec->masked_paths,
				      spec->masked_paths_count,
				      spec->mount_label, err);
	if (r == 0)
		r = mntns__readonly_paths(root, spec->readonly_paths,
					  spec->readonly_paths_count, err);
	return r;
}

/* Sets the propagation of one entry again, on the mount now at its
 * destination. */
static int reapply_entry(const struct mntns_root *root,
			 const struct mntns_mount_entry *entry,
			 struct mntns_error *err)
{
	char dest[PATH_MAX];
	cleanup_close int fd = -1;
	int r;

	r = mntns__check_clean(entry->destination, dest, sizeof(dest),
			       "mount destination", err);
	if (r < 0)
		return r;
	fd = mntns__resolve(root, dest, O_PATH, 0);
	if (fd < 0)
		return mntns__fail(err, -fd, dest, NULL, "reopen");
	return mntns__set_propagation(
		fd, dest, entry->propagation,
		entry->flags & MNTNS_ENTRY_PROPAGATION_RECURSIVE, err);
}

/*
 * Step 10b: a shared or unbindable rootfs propagation, applied to the
 * whole tree of the new root.  Shared was narrowed to private around the
 * rootfs bind so that the switch could pass.  Unbindable waits until the
 * last bind, because nothing can be bound from an unbindable mount (the
 * console, masked and read-only paths all are binds).  Each entry's own
 * propagation is then applied again, so that it wins over the tree's.
 */
static int apply_root_propagation(const struct mntns_root *root,
				  const struct mntns_spec *spec,
				  struct mntns_error *err)
{
	enum mntns_propagation late = spec->rootfs_propagation;
	size_t i;
	int r;

	if (late != MNTNS_PROPAGATION_SHARED &&
	    late != MNTNS_PROPAGATION_UNBINDABLE)
		return 0;
	r = mntns__set_propagation(root->fd, root->path, late, true, err);

	for (i = 0; r == 0 && i < spec->mounts_count; i++) {
		if (spec->mounts[i].propagation == MNTNS_PROPAGATION_NONE)
			continue;
		r = reapply_entry(root, &spec->mounts[i], err);
		if (r < 0)
			return fail_entry(err, i, r);
	}
	return r;
}

MNTNS_PUBLIC int mntns_setup(struct mntns_spec *spec, struct mntns_error *err)
{
	struct mntns_root root = { .fd = -1 };
	int r;

	if (!spec)
		return mntns__fail(err, EINVAL, NULL, "spec is NULL",
				   "set up mount namespace");
	spec->console_master = -1;
	r = check_spec(spec, err);
	if (r == 0)
		r = mntns__require_cap(CAP_SYS_ADMIN,
				       "set up the mount namespace", err);
	if (r == 0)
		r = prepare_tree(spec, err);
	if (r == 0)
		r = mntns__root_open(&root, spec->rootfs, err);
	if (r == 0)
		r = build_tree(&root, spec, err);
	if (r == 0)
		r = switch_root(&root, spec, err);
	if (r == 0)
		r = finish_root(&root, spec, err);
	if (r == 0)
		r = apply_root_propagation(&root, spec, err);
	mntns__root_close(&root);

	if (r < 0) {
		if (spec->console_master >= 0)
			close(spec->console_master);
		spec->console_master = -1;
		return r;
	}
	umask(spec->final_umask);
	return 0;
}
