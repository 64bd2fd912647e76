/*
 * libmntns: builds the mount namespace of a container.
 *
 * The API keeps the shape of the libcontainer "mount" package of early 2015
 * (InitializeMountNamespace, PivotRoot, MsMoveRoot, SetReadonly,
 * RemountProc, RemountSys, SetupPtmx, Mount, MountConfig, Device,
 * ErrUnsupported) and its defaults.  Both that API and the OCI front end
 * are built on one general call, mntns_setup(), which takes a table of
 * mount entries.
 *
 * Where the 2015 code was unsafe, the library differs:
 *  - every path under the rootfs is resolved inside it (openat2 with
 *    RESOLVE_IN_ROOT, or an O_NOFOLLOW walk where openat2 is missing), and
 *    each mount goes through a descriptor of the resolved target;
 *  - /proc, /sys and /dev must be real directories, and mounts inside /proc
 *    are rejected except over the files lxcfs-style setups bind;
 *  - the /dev/null used for reopening and masking must be c 1:3, and
 *    /dev/console is created without following symlinks;
 *  - /dev/null descriptors are reopened after the root switch, not before;
 *  - slave and private propagation are separate calls, so they take effect.
 *
 * Error contract: every function returning int returns 0 on success or a
 * negative errno, and fills the optional struct mntns_error.  The library
 * never prints and never exits; it traces through mntns_set_trace().
 */
#ifndef MNTNS_H
#define MNTNS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MNTNS_VERSION "0.1.0"

/* Returned (negated) for an operation the library does not support, the
 * counterpart of libcontainer's ErrUnsupported. */
#define MNTNS_EUNSUPPORTED EOPNOTSUPP

/* The failure of one call: the operation, the path it acted on and the
 * errno.  message is "<operation> '<path>': <reason>" in lower case, such
 * as "mount proc on '/proc': Operation not permitted". */
struct mntns_error {
	int errnum;
	char operation[64];
	char path[4096];
	/* 4 bytes shorter than before mount_index was added, so that the
	 * struct keeps the size and layout that programs built against
	 * libmntns.so.0 expect. */
	char message[4604];
	/* The index, in mntns_spec.mounts, of the entry whose mount or
	 * propagation failed in mntns_setup(), so that a caller can name
	 * the entry of its own configuration.  mntns_initialize() gives the
	 * index in config->mounts.  -1 when the failure belongs to no
	 * entry, which includes every other call and the 2015 system
	 * mounts.  Set on failure only. */
	int mount_index;
};

/* Trace levels, as syslog's. */
enum mntns_trace_level {
	MNTNS_TRACE_ERROR = 3,
	MNTNS_TRACE_WARNING = 4,
	MNTNS_TRACE_DEBUG = 7,
};

typedef void (*mntns_trace_fn)(enum mntns_trace_level level,
			       const char *message, void *userdata);

/* Sets the process-wide trace handler; NULL turns tracing off. */
void mntns_set_trace(mntns_trace_fn handler, void *userdata);

/* ------------------------------------------------------------------ */
/* Path resolution inside the rootfs                                    */

/* Resolver of the paths under the rootfs.  Both keep every symlink and
 * ".." inside the rootfs, as if the rootfs were "/".  openat2 rejects magic
 * links such as /proc/self/root, and the walk reads them as plain symlinks
 * resolved inside the rootfs. */
enum mntns_resolver {
	/* openat2(RESOLVE_IN_ROOT), falling back to the walk when the kernel
	 * returns ENOSYS (before Linux 5.6).  The environment variable
	 * MNTNS_RESOLVER=openat2 or MNTNS_RESOLVER=walk, read at the first
	 * resolution, replaces this default. */
	MNTNS_RESOLVER_AUTO = 0,
	MNTNS_RESOLVER_OPENAT2, /* openat2 only; ENOSYS is an error */
	MNTNS_RESOLVER_WALK, /* an O_NOFOLLOW walk, one component at a time */
};

/* Sets the resolver for the whole process; tests use it to force the walk
 * on kernels that have openat2. */
void mntns_set_resolver(enum mntns_resolver resolver);

/* Returns the resolver in effect: the one set by mntns_set_resolver() or
 * MNTNS_RESOLVER, else AUTO until the first resolution has chosen OPENAT2
 * or WALK. */
enum mntns_resolver mntns_get_resolver(void);

/* ------------------------------------------------------------------ */
/* Devices                                                             */

/* One node to create, libcontainer's Device.  type is 'c', 'b', 'u' (an
 * unbuffered character device, the same as 'c') or 'p' (a FIFO, which has
 * no major and minor).  path is absolute inside the rootfs. */
struct mntns_device {
	char type;
	const char *path;
	int64_t major;
	int64_t minor;
	mode_t file_mode; /* permission bits only */
	uid_t uid;
	gid_t gid;
};

/* The 2015 default devices: fuse (mode 0), null, zero, full, tty, urandom
 * and random (0666), all owned 0:0. */
extern const struct mntns_device mntns_default_devices[];
extern const size_t mntns_default_devices_count;

/* ------------------------------------------------------------------ */
/* General mount entries, the OCI "mounts" array                        */

/* Propagation of one mount or of the whole tree. */
enum mntns_propagation {
	MNTNS_PROPAGATION_NONE = 0, /* leave as inherited */
	MNTNS_PROPAGATION_PRIVATE,
	MNTNS_PROPAGATION_SLAVE,
	MNTNS_PROPAGATION_SHARED,
	MNTNS_PROPAGATION_UNBINDABLE,
};

/* Bits of struct mntns_mount_entry.flags. */
enum mntns_entry_flag {
	MNTNS_ENTRY_BIND = 1u << 0, /* bind mount of source */
	MNTNS_ENTRY_RECURSIVE = 1u << 1, /* rbind: submounts come along */
	MNTNS_ENTRY_LABEL = 1u << 2, /* add context="<mount label>" to data */
	MNTNS_ENTRY_PROPAGATION_RECURSIVE = 1u << 3, /* rprivate, rslave... */
	MNTNS_ENTRY_OPTIONAL = 1u << 4, /* skip when the filesystem is missing */
};

/* One mount, as the OCI "mounts" array describes it.  destination is
 * absolute inside the rootfs.  ms_flags are MS_* flags for mount(2)
 * (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, atime flags).  ms_clear are
 * MS_* flags the options turned off explicitly (rw, suid, dev, exec).
 * attr_set and attr_clr are MOUNT_ATTR_* bits applied afterwards with
 * mount_setattr(AT_RECURSIVE): rro, rnosuid, rnodev... data is passed to
 * the filesystem as is (tmpfs mode= and size= among it).  relabel is NULL,
 * "z" (shared label) or "Z" (private label) for the bind source. */
struct mntns_mount_entry {
	const char *source;
	const char *destination;
	const char *type;
	unsigned long ms_flags;
	unsigned long ms_clear;
	uint64_t attr_set;
	uint64_t attr_clr;
	enum mntns_propagation propagation;
	unsigned int flags; /* enum mntns_entry_flag */
	const char *data;
	const char *relabel;
};

/* Mounts one entry under rootfs, the general call behind every mount of
 * the library.  The destination is created inside the rootfs first: a
 * directory, or an empty file when a bind source is not a directory. */
int mntns_mount_entry(const struct mntns_mount_entry *entry,
		      const char *rootfs, const char *mount_label,
		      struct mntns_error *err);

/* ------------------------------------------------------------------ */
/* The whole setup                                                      */

enum mntns_root_switch {
	MNTNS_ROOT_PIVOT = 0, /* pivot_root(2) */
	MNTNS_ROOT_MOVE, /* MS_MOVE onto / then chroot("."), for initramfs */
	MNTNS_ROOT_NONE, /* leave the root as it is (for tests) */
};

enum mntns_console_mode {
	MNTNS_CONSOLE_NONE = 0, /* no /dev/console */
	/* Bind console_path, a pty of the launcher, onto /dev/console after
	 * chmod 0600 and chown to the container's root (libcontainer 2015). */
	MNTNS_CONSOLE_BIND,
	/* After the root switch, open the container's /dev/ptmx, bind the
	 * new slave onto /dev/console and return the master in
	 * console_master (runc since 2016).  The slave keeps the devpts
	 * mode and gid. */
	MNTNS_CONSOLE_DEVPTS,
};

/* Input of mntns_setup().  Arrays may be NULL when their count is 0. */
struct mntns_spec {
	const char *rootfs; /* absolute host path */
	enum mntns_root_switch root_switch;
	bool readonly_root;
	/* Propagation of the whole tree.  NONE means the 2015 choice,
	 * rprivate when pivoting and rslave when moving.  Private and slave
	 * are applied before the mounts.  Shared and unbindable are applied
	 * after the masked and read-only paths, because an unbindable tree
	 * cannot be bound, and each entry's own propagation is applied
	 * again after them. */
	enum mntns_propagation rootfs_propagation;

	const struct mntns_mount_entry *mounts; /* in order */
	size_t mounts_count;
	const struct mntns_device *devices;
	size_t devices_count;
	const char *const *masked_paths;
	size_t masked_paths_count;
	const char *const *readonly_paths;
	size_t readonly_paths_count;

	const char *mount_label; /* SELinux context, or NULL */

	enum mntns_console_mode console_mode;
	const char *console_path; /* MNTNS_CONSOLE_BIND only */
	uid_t root_uid; /* host ids of the container's root */
	gid_t root_gid;

	bool dev_symlinks; /* /dev/fd, stdin, stdout, stderr */
	bool dev_kcore; /* /dev/kcore -> /proc/kcore (2015) */
	bool ptmx_symlink; /* /dev/ptmx -> pts/ptmx */
	bool reopen_devnull; /* reopen fds 0-2 that are a /dev/null */
	mode_t final_umask; /* set last; 2015 uses 0022 */

	/* Output: the pty master with MNTNS_CONSOLE_DEVPTS, else -1. */
	int console_master;
};

/* Fills spec with the defaults of the 2015 setup for rootfs.  These are
 * pivot_root, propagation chosen by the root switch, /dev symlinks without
 * kcore, the /dev/ptmx symlink, /dev/null reopening and final umask 0022.
 * There is no console (console_master -1), the root ids are 0:0, and there
 * are no mounts, devices or paths. */
void mntns_spec_init(struct mntns_spec *spec, const char *rootfs);

/* Builds the mount namespace described by spec, in the 2015 order:
 * propagation, rootfs bind, mounts, devices, ptmx and console, /dev
 * symlinks, root switch, /dev/null reopening, readonly root, masked and
 * readonly paths, umask.  The caller must already be in a new mount
 * namespace.  There is no rollback: on failure the namespace is half
 * built and must be thrown away with the process. */
int mntns_setup(struct mntns_spec *spec, struct mntns_error *err);

/* ------------------------------------------------------------------ */
/* The 2015 API                                                         */

/* One user mount, libcontainer's Mount: type "bind" or "tmpfs". */
struct mntns_mount {
	const char *type;
	const char *source;
	const char *destination;
	bool writable;
	/* NULL, "z" (shared) or any other value (private), as in 2015. */
	const char *relabel;
	/* Setting both is rejected.  In 2015 only private took effect,
	 * because the kernel ignored the slave flag ORed into the bind. */
	bool private_propagation;
	bool slave;
};

/* libcontainer's MountConfig.  devices NULL means the default table. */
struct mntns_config {
	bool no_pivot_root;
	bool readonly_fs;
	const struct mntns_mount *mounts;
	size_t mounts_count;
	const struct mntns_device *devices;
	size_t devices_count;
	const char *mount_label;
};

/* InitializeMountNamespace: the 2015 system mounts (with /sys read-only
 * when sys_readonly), the config's mounts and devices, /dev/ptmx, the
 * console bind of console (NULL for none), the /dev symlinks including
 * kcore, the root switch, /dev/null reopening and the readonly root. */
int mntns_initialize(const char *rootfs, const char *console,
		     bool sys_readonly, const struct mntns_config *config,
		     struct mntns_error *err);

/* PivotRoot: pivot_root(".", ".") inside rootfs, then a lazy unmount of the
 * old root, which also works on a read-only rootfs. */
int mntns_pivot_root(const char *rootfs, struct mntns_error *err);

/* MsMoveRoot: move rootfs onto / and chroot into it. */
int mntns_move_root(const char *rootfs, struct mntns_error *err);

/* SetReadonly: remount / read-only, keeping its other flags. */
int mntns_set_readonly(struct mntns_error *err);

/* RemountProc and RemountSys: replace /proc or /sys with a fresh instance,
 * after a pid or network namespace change. */
int mntns_remount_proc(struct mntns_error *err);
int mntns_remount_sys(struct mntns_error *err);

/* SetupPtmx: /dev/ptmx becomes a symlink to pts/ptmx; when console is not
 * NULL, that pty is chmod 0600, chowned 0:0, labelled and bound onto
 * /dev/console. */
int mntns_setup_ptmx(const char *rootfs, const char *console,
		     const char *mount_label, struct mntns_error *err);

/* Mount.Mount: one bind or tmpfs user mount under rootfs. */
int mntns_mount(const struct mntns_mount *mount, const char *rootfs,
		const char *mount_label, struct mntns_error *err);

/* Fills entries (at least mntns_system_mounts_count long) with the 2015
 * system mounts: /proc, /dev, /dev/shm, /dev/mqueue, /dev/pts, /sys. */
extern const size_t mntns_system_mounts_count;
void mntns_system_mounts(struct mntns_mount_entry *entries,
			 bool sys_readonly);

/* Converts a 2015 Mount to the general entry it is built on. */
int mntns_mount_to_entry(const struct mntns_mount *mount,
			 struct mntns_mount_entry *entry,
			 struct mntns_error *err);

/* Writes data with context="mount_label" appended (comma-separated) into
 * buf, the form used for the labelled mounts.  The label is quoted because
 * MCS labels contain commas.  With mount_label NULL or empty, data is
 * copied unchanged.  Returns 0, -EINVAL when the label contains a double
 * quote, or -ENAMETOOLONG when buf is too small.  This only formats: mounts
 * add the label only when SELinux is enabled. */
int mntns_label_mount_data(const char *data, const char *mount_label,
			   char *buf, size_t size);

/* Returns a static string for an errno value returned by the library. */
const char *mntns_strerror(int negative_errno);

#ifdef __cplusplus
}
#endif

#endif
