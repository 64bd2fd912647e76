/*
 * Declarations shared by the files of libmntns.  Nothing here is exported:
 * the library is built with -fvisibility=hidden and only definitions marked
 * MNTNS_PUBLIC reach the version script.
 *
 * The stages of mntns_setup(), each in its own file, run in this order:
 *   setup.c       propagation of /, bind of the rootfs onto itself
 *   mount.c       the mount entries (system.c has the 2015 table)
 *   device.c      device nodes and the /dev symlinks
 *   console.c     /dev/ptmx and the console bind
 *   rootswitch.c  pivot_root or MS_MOVE, then the readonly root
 *   console.c     the devpts console and /dev/null reopening
 *   mount.c       masked and readonly paths
 * with path.c (resolution inside the rootfs), label.c (SELinux), caps.c
 * (libcap) and error.c (errors and tracing) used by all of them.
 */
#ifndef MNTNS_INTERNAL_H
#define MNTNS_INTERNAL_H

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

#include "mntns.h"

#define MNTNS_PUBLIC __attribute__((visibility("default")))

/* Scope-bound cleanup, as in systemd and crun. */
static inline void mntns__close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
}

static inline void mntns__free_ptr(void *ptr)
{
	free(*(void **)ptr);
}

#define cleanup_close __attribute__((cleanup(mntns__close_fd)))
#define cleanup_free __attribute__((cleanup(mntns__free_ptr)))

/* Hands an owned descriptor to the caller so the cleanup leaves it open. */
static inline int mntns__take_fd(int *fd)
{
	int owned = *fd;

	*fd = -1;
	return owned;
}

/* error.c */

/*
 * Fills err (when not NULL) and traces at error level, then returns
 * -errnum.  The message is "<operation> '<path>': <detail>", where
 * operation is printf-formatted, path may be NULL and detail defaults to
 * the errno text.
 */
int mntns__fail(struct mntns_error *err, int errnum, const char *path,
		const char *detail, const char *operation_format, ...)
	__attribute__((format(printf, 5, 6)));

void mntns__trace(enum mntns_trace_level level, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* path.c */

/* The directory every container path is resolved in: the rootfs before
 * the root switch, "/" after it. */
struct mntns_root {
	int fd; /* O_PATH directory */
	char path[PATH_MAX]; /* its real path, as /proc/self/fd shows it */
};

/* "/proc/self/fd/" plus a decimal int and the terminating NUL. */
#define MNTNS_FD_PATH_SIZE 32

/* Resolution flag: do not follow a symlink in the last component. */
#define MNTNS_RESOLVE_NOFOLLOW 1

int mntns__root_open(struct mntns_root *root, const char *path,
		     struct mntns_error *err);
void mntns__root_close(struct mntns_root *root);
int mntns__resolve(const struct mntns_root *root, const char *path,
		   int open_flags, int resolve_flags);
int mntns__clean_path(const char *path, char *out, size_t size);
int mntns__check_clean(const char *path, char *out, size_t size,
		       const char *what, struct mntns_error *err);
int mntns__mkdir_all(const struct mntns_root *root, const char *path,
		     mode_t mode, struct mntns_error *err);
int mntns__create_file(const struct mntns_root *root, const char *path,
		       mode_t mode, struct mntns_error *err);
int mntns__open_parent(const struct mntns_root *root, const char *path,
		       const char **name, struct mntns_error *err);
int mntns__open_system_dir(const struct mntns_root *root, const char *path,
			   bool create, struct mntns_error *err);
int mntns__root_relative(const struct mntns_root *root, int fd, char *out,
			 size_t size);
void mntns__fd_path(int fd, char path[MNTNS_FD_PATH_SIZE]);

/* mount.c */

int mntns__mount_entry_at(const struct mntns_root *root,
			  const struct mntns_mount_entry *entry,
			  const char *mount_label, struct mntns_error *err);
int mntns__remount_keep(int fd, unsigned long flags, const char *path,
			struct mntns_error *err);
int mntns__set_propagation(int fd, const char *shown_path,
			   enum mntns_propagation propagation, bool recursive,
			   struct mntns_error *err);
int mntns__mask_paths(const struct mntns_root *root,
		      const char *const *paths, size_t count,
		      const char *mount_label, struct mntns_error *err);
int mntns__readonly_paths(const struct mntns_root *root,
			  const char *const *paths, size_t count,
			  struct mntns_error *err);
int mntns__open_devnull(const struct mntns_root *root, int open_flags,
			struct mntns_error *err);

/* device.c */

int mntns__create_devices(const struct mntns_root *root,
			  const struct mntns_device *devices, size_t count,
			  struct mntns_error *err);
int mntns__dev_symlinks(const struct mntns_root *root, bool kcore,
			struct mntns_error *err);

/* console.c */

int mntns__ptmx_symlink(const struct mntns_root *root,
			struct mntns_error *err);
int mntns__bind_console(const struct mntns_root *root, const char *console,
			uid_t uid, gid_t gid, const char *mount_label,
			struct mntns_error *err);
int mntns__devpts_console(const struct mntns_root *root, int *master,
			  struct mntns_error *err);
int mntns__reopen_devnull(const struct mntns_root *root,
			  struct mntns_error *err);

/* rootswitch.c */

int mntns__pivot(int rootfs_fd, const char *rootfs, struct mntns_error *err);
int mntns__move(int rootfs_fd, const char *rootfs, struct mntns_error *err);
int mntns__make_parent_private(const char *rootfs, struct mntns_error *err);

/* label.c */

bool mntns__selinux_enabled(void);
int mntns__label_data(const char *data, const char *mount_label,
		      const char *destination, char **out,
		      struct mntns_error *err);
int mntns__check_relabel(const char *path, char *resolved,
			 struct mntns_error *err);
int mntns__relabel(const char *path, const char *mount_label,
		   const char *relabel, struct mntns_error *err);
int mntns__label_fd(int fd, const char *label, const char *path,
		    struct mntns_error *err);

/* caps.c */

bool mntns__have_cap(int capability);
int mntns__require_cap(int capability, const char *purpose,
		       struct mntns_error *err);

#endif
