/*
 * Resolution of container paths inside the rootfs.
 *
 * Every path under the rootfs is opened relative to a descriptor of the
 * rootfs, with symlinks and ".." kept inside it as if it were "/", and the
 * caller then mounts through the descriptor (/proc/self/fd/N).  A symlink
 * swapped in after the check can therefore not redirect the mount to the
 * host.  openat2(RESOLVE_IN_ROOT) does this in the kernel; before Linux 5.6
 * a walk of one O_NOFOLLOW openat() per component does it here.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "internal.h"

/* Linux's MAXSYMLINKS: more symlinks than this in one path is ELOOP. */
#define MAX_SYMLINKS 40

/* openat2 returns EAGAIN when a rename races with ".." resolution. */
#define OPENAT2_ATTEMPTS 8

static enum mntns_resolver resolver_in_use = MNTNS_RESOLVER_AUTO;
static bool resolver_configured;

MNTNS_PUBLIC void mntns_set_resolver(enum mntns_resolver resolver)
{
	resolver_in_use = resolver;
	resolver_configured = true;
}

/* Applies MNTNS_RESOLVER once, unless mntns_set_resolver() came first. */
static void read_resolver_environment(void)
{
	const char *value;

	if (resolver_configured)
		return;
	resolver_configured = true;

	value = secure_getenv("MNTNS_RESOLVER");
	if (!value || !*value || strcmp(value, "auto") == 0)
		return;
	if (strcmp(value, "walk") == 0)
		resolver_in_use = MNTNS_RESOLVER_WALK;
	else if (strcmp(value, "openat2") == 0)
		resolver_in_use = MNTNS_RESOLVER_OPENAT2;
	else
		mntns__trace(MNTNS_TRACE_WARNING,
			     "invalid MNTNS_RESOLVER '%s' ignored: use walk, "
			     "openat2 or auto",
			     value);
}

MNTNS_PUBLIC enum mntns_resolver mntns_get_resolver(void)
{
	read_resolver_environment();
	return resolver_in_use;
}

static int resolve_openat2(int root_fd, const char *path, int open_flags,
			   int resolve_flags)
{
	struct open_how how = {
		.flags = (uint64_t)(open_flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int attempt;

	if (resolve_flags & MNTNS_RESOLVE_NOFOLLOW)
		how.flags |= O_NOFOLLOW;

	for (attempt = 0; attempt < OPENAT2_ATTEMPTS; attempt++) {
		long fd = syscall(SYS_openat2, root_fd, path, &how,
				  sizeof(how));

		if (fd >= 0)
			return (int)fd;
		if (errno != EAGAIN)
			return -errno;
	}
	return -EAGAIN;
}

/*
 * The walk keeps a stack of the directories opened so far, so ".." pops
 * one instead of opening "..": even a directory moved out of the rootfs
 * during the walk cannot lead above it.
 */
struct walk_level {
	int fd;
	char name[NAME_MAX + 1];
};

struct walk {
	int root_fd;
	struct walk_level *levels;
	size_t depth;
	size_t capacity;
	char *todo; /* the part of the path not yet resolved */
	unsigned int symlinks;
};

static int walk_current(const struct walk *walk)
{
	return walk->depth ? walk->levels[walk->depth - 1].fd : walk->root_fd;
}

static int walk_parent(const struct walk *walk)
{
	return walk->depth > 1 ? walk->levels[walk->depth - 2].fd :
				 walk->root_fd;
}

static bool walk_current_is_dir(const struct walk *walk)
{
	struct stat st;

	return fstat(walk_current(walk), &st) == 0 && S_ISDIR(st.st_mode);
}

static void walk_pop(struct walk *walk)
{
	if (walk->depth)
		close(walk->levels[--walk->depth].fd);
}

static void walk_free(struct walk *walk)
{
	while (walk->depth)
		walk_pop(walk);
	free(walk->levels);
	free(walk->todo);
}

static int walk_push(struct walk *walk, int fd, const char *name)
{
	struct walk_level *level;

	if (walk->depth == walk->capacity) {
		size_t capacity = walk->capacity ? walk->capacity * 2 : 16;
		struct walk_level *grown;

		grown = realloc(walk->levels, capacity * sizeof(*grown));
		if (!grown) {
			close(fd);
			return -ENOMEM;
		}
		walk->levels = grown;
		walk->capacity = capacity;
	}
	level = &walk->levels[walk->depth++];
	level->fd = fd;
	snprintf(level->name, sizeof(level->name), "%s", name);
	return 0;
}

/* Replaces the unresolved path with the symlink's target followed by the
 * rest; an absolute target restarts from the root. */
static int walk_expand(struct walk *walk, const char *target, const char *rest,
		       bool must_be_dir)
{
	size_t size = strlen(target) + strlen(rest) + 2;
	char *todo = malloc(size);

	if (!todo)
		return -ENOMEM;
	/* A slash after a last component means "must be a directory", so
	 * one is added there only when the symlink was written with it. */
	snprintf(todo, size, "%s%s%s", target,
		 *rest || must_be_dir ? "/" : "", rest);
	free(walk->todo);
	walk->todo = todo;
	if (target[0] == '/')
		while (walk->depth)
			walk_pop(walk);
	return 0;
}

static int walk_follow(struct walk *walk, int link_fd, const char *rest,
		       bool must_be_dir)
{
	char target[PATH_MAX];
	ssize_t length;

	if (++walk->symlinks > MAX_SYMLINKS)
		return -ELOOP;

	length = readlinkat(link_fd, "", target, sizeof(target));
	if (length < 0)
		return -errno;
	if ((size_t)length >= sizeof(target))
		return -ENAMETOOLONG;
	target[length] = '\0';
	return walk_expand(walk, target, rest, must_be_dir);
}

/* Opens one component.  Returns 1 when it was a symlink that replaced the
 * unresolved path, 0 when it was pushed, or a negative errno.  must_be_dir
 * is set for a last component written with a trailing slash. */
static int walk_step(struct walk *walk, const char *name, const char *rest,
		     bool keep_symlink, bool must_be_dir)
{
	struct stat st;
	int fd, r;

	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;

	fd = openat(walk_current(walk), name,
		    O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (must_be_dir && !S_ISDIR(st.st_mode) && !S_ISLNK(st.st_mode)) {
		close(fd);
		return -ENOTDIR;
	}
	if (!S_ISLNK(st.st_mode) || keep_symlink)
		return walk_push(walk, fd, name);

	r = walk_follow(walk, fd, rest, must_be_dir);
	close(fd);
	return r < 0 ? r : 1;
}

static bool only_slashes(const char *text)
{
	return text[strspn(text, "/")] == '\0';
}

static int walk_components(struct walk *walk, bool nofollow)
{
	char *cursor = walk->todo;

	for (;;) {
		char *name, *end, *rest;
		bool last, trailing_slash;
		int r;

		cursor += strspn(cursor, "/");
		if (*cursor == '\0')
			return 0;
		name = cursor;
		end = strchrnul(cursor, '/');
		rest = *end ? end + 1 : end;
		last = only_slashes(rest);
		trailing_slash = last && *end == '/';
		*end = '\0';
		cursor = rest;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			/* Only the last component pushed can be a file. */
			if (!walk_current_is_dir(walk))
				return -ENOTDIR;
			if (name[1] == '.')
				walk_pop(walk);
			continue;
		}
		/* As in the kernel, a trailing slash follows a last symlink
		 * even under O_NOFOLLOW. */
		r = walk_step(walk, name, rest, nofollow && last && !trailing_slash,
			      trailing_slash);
		if (r < 0)
			return r;
		if (r == 1)
			cursor = walk->todo;
	}
}

/* Opens what the walk reached with the caller's flags.  Reopening by name
 * from the parent with O_NOFOLLOW cannot leave the rootfs either. */
static int walk_open_result(struct walk *walk, int open_flags)
{
	struct stat st;
	int fd;

	if (open_flags & O_PATH) {
		if (!walk->depth) {
			fd = fcntl(walk->root_fd, F_DUPFD_CLOEXEC, 0);
			return fd < 0 ? -errno : fd;
		}
		fd = walk->levels[walk->depth - 1].fd;
		if ((open_flags & O_DIRECTORY) &&
		    (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)))
			return -ENOTDIR;
		walk->depth--;
		return fd;
	}
	if (!walk->depth)
		fd = openat(walk->root_fd, ".", open_flags | O_CLOEXEC);
	else
		fd = openat(walk_parent(walk),
			    walk->levels[walk->depth - 1].name,
			    open_flags | O_NOFOLLOW | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/*
 * NOTE: the walk reads a procfs magic link such as /proc/self/root as the
 * string it shows and resolves that inside the rootfs, where openat2 with
 * RESOLVE_NO_MAGICLINKS fails with ELOOP.  Neither leaves the rootfs.
 */
static int resolve_walk(int root_fd, const char *path, int open_flags,
			int resolve_flags)
{
	struct walk walk = { .root_fd = root_fd };
	int r;

	if (!*path)
		return -ENOENT;
	walk.todo = strdup(path);
	if (!walk.todo)
		return -ENOMEM;

	r = walk_components(&walk, resolve_flags & MNTNS_RESOLVE_NOFOLLOW);
	if (r == 0)
		r = walk_open_result(&walk, open_flags);
	walk_free(&walk);
	return r;
}

/* Opens path inside root and returns the descriptor or a negative errno.
 * open_flags are openat() flags (O_PATH for a handle to mount on). */
int mntns__resolve(const struct mntns_root *root, const char *path,
		   int open_flags, int resolve_flags)
{
	int fd;

	read_resolver_environment();
	switch (resolver_in_use) {
	case MNTNS_RESOLVER_WALK:
		return resolve_walk(root->fd, path, open_flags, resolve_flags);
	case MNTNS_RESOLVER_OPENAT2:
		return resolve_openat2(root->fd, path, open_flags,
				       resolve_flags);
	case MNTNS_RESOLVER_AUTO:
		break;
	}

	fd = resolve_openat2(root->fd, path, open_flags, resolve_flags);
	if (fd != -ENOSYS) {
		resolver_in_use = MNTNS_RESOLVER_OPENAT2;
		return fd;
	}
	mntns__trace(MNTNS_TRACE_DEBUG,
		     "openat2 is not available: resolving paths with an "
		     "O_NOFOLLOW walk");
	resolver_in_use = MNTNS_RESOLVER_WALK;
	return resolve_walk(root->fd, path, open_flags, resolve_flags);
}

void mntns__fd_path(int fd, char path[MNTNS_FD_PATH_SIZE])
{
	snprintf(path, MNTNS_FD_PATH_SIZE, "/proc/self/fd/%d", fd);
}

int mntns__root_open(struct mntns_root *root, const char *path,
		     struct mntns_error *err)
{
	char fd_path[MNTNS_FD_PATH_SIZE];
	ssize_t length;

	root->fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root->fd < 0)
		return mntns__fail(err, errno, path, NULL, "open rootfs");

	/* The real path lets mntns__root_relative() tell where a resolved
	 * descriptor landed; without /proc the given path is used instead. */
	mntns__fd_path(root->fd, fd_path);
	length = readlink(fd_path, root->path, sizeof(root->path) - 1);
	if (length > 0) {
		root->path[length] = '\0';
	} else if (!realpath(path, root->path)) {
		int errnum = errno;

		mntns__root_close(root);
		return mntns__fail(err, errnum, path, NULL, "resolve rootfs");
	}
	return 0;
}

void mntns__root_close(struct mntns_root *root)
{
	if (root->fd >= 0)
		close(root->fd);
	root->fd = -1;
}

/* Writes the path of fd relative to root ("/" for the root itself), or
 * returns -EXDEV when fd is not under root. */
int mntns__root_relative(const struct mntns_root *root, int fd, char *out,
			 size_t size)
{
	char fd_path[MNTNS_FD_PATH_SIZE], full[PATH_MAX];
	size_t root_length = strlen(root->path);
	ssize_t length;
	const char *relative;

	mntns__fd_path(fd, fd_path);
	length = readlink(fd_path, full, sizeof(full) - 1);
	if (length < 0)
		return -errno;
	full[length] = '\0';

	if (strcmp(root->path, "/") == 0)
		relative = full;
	else if (strncmp(full, root->path, root_length) == 0 &&
		 (full[root_length] == '/' || full[root_length] == '\0'))
		relative = full[root_length] ? full + root_length : "/";
	else
		return -EXDEV;

	if ((size_t)snprintf(out, size, "%s", relative) >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* Cleans path lexically into an absolute path without ".", ".." or
 * repeated slashes; a relative path is taken from "/" and ".." stops at
 * "/".  Returns 0, -EINVAL for an empty path or -ENAMETOOLONG. */
int mntns__clean_path(const char *path, char *out, size_t size)
{
	size_t length = 1;
	const char *cursor = path;

	if (!path || !*path || size < 2)
		return -EINVAL;
	strcpy(out, "/");

	while (*(cursor += strspn(cursor, "/"))) {
		size_t name_length = strcspn(cursor, "/");

		if (name_length == 1 && cursor[0] == '.') {
			/* nothing to add */
		} else if (name_length == 2 && strncmp(cursor, "..", 2) == 0) {
			while (length > 1 && out[length - 1] != '/')
				length--;
			if (length > 1)
				length--;
			out[length] = '\0';
		} else {
			if (length + name_length + 2 > size)
				return -ENAMETOOLONG;
			if (length > 1)
				out[length++] = '/';
			memcpy(out + length, cursor, name_length);
			length += name_length;
			out[length] = '\0';
		}
		cursor += name_length;
	}
	return 0;
}

/* Cleans a path from the caller's input, naming it as what in errors. */
int mntns__check_clean(const char *path, char *out, size_t size,
		       const char *what, struct mntns_error *err)
{
	int r;

	if (!path || !*path)
		return mntns__fail(err, EINVAL, NULL, "give a path",
				   "missing %s", what);
	r = mntns__clean_path(path, out, size);
	if (r < 0)
		return mntns__fail(err, -r, path, NULL, "invalid %s", what);
	return 0;
}

/* Opens one directory level for mntns__mkdir_all(), creating it in
 * parent_fd when missing. */
static int open_or_create_dir(const struct mntns_root *root, int parent_fd,
			      const char *path, const char *name, mode_t mode,
			      struct mntns_error *err)
{
	int fd = mntns__resolve(root, path, O_PATH | O_DIRECTORY, 0);

	if (fd != -ENOENT)
		goto done;

	if (mkdirat(parent_fd, name, mode) < 0 && errno != EEXIST)
		return mntns__fail(err, errno, path, NULL,
				   "create directory");
	fd = mntns__resolve(root, path, O_PATH | O_DIRECTORY, 0);
	if (fd == -ENOENT)
		return mntns__fail(err, ENOENT, path,
				   "a dangling symlink is in the way",
				   "create directory");
done:
	if (fd < 0)
		return mntns__fail(err, -fd, path, NULL, "open directory");
	return fd;
}

/* Creates the directory path (already clean) and its parents inside root,
 * following symlinks inside it, and returns an O_PATH descriptor of it. */
int mntns__mkdir_all(const struct mntns_root *root, const char *path,
		     mode_t mode, struct mntns_error *err)
{
	char prefix[PATH_MAX];
	cleanup_close int parent = -1;
	size_t end = 0;
	int fd;

	fd = mntns__resolve(root, path, O_PATH | O_DIRECTORY, 0);
	if (fd >= 0)
		return fd;
	if (fd != -ENOENT)
		return mntns__fail(err, -fd, path, NULL, "open directory");

	if (snprintf(prefix, sizeof(prefix), "%s", path) >= (int)sizeof(prefix))
		return mntns__fail(err, ENAMETOOLONG, path, NULL,
				   "create directory");
	parent = fcntl(root->fd, F_DUPFD_CLOEXEC, 0);
	if (parent < 0)
		return mntns__fail(err, errno, path, NULL, "create directory");

	while (path[end]) {
		size_t start = end + 1;

		end = start + strcspn(path + start, "/");
		prefix[end] = '\0';
		fd = open_or_create_dir(root, parent, prefix, prefix + start,
					mode, err);
		if (fd < 0)
			return fd;
		prefix[end] = path[end];
		close(parent);
		parent = fd;
	}
	return mntns__take_fd(&parent);
}

/* Creates the parent directories of path (already clean) and returns an
 * O_PATH descriptor of the parent, with *name set to the last component. */
int mntns__open_parent(const struct mntns_root *root, const char *path,
		       const char **name, struct mntns_error *err)
{
	char parent[PATH_MAX];
	const char *slash = strrchr(path, '/');

	if (!slash || !slash[1])
		return mntns__fail(err, EINVAL, path,
				   "the rootfs itself is not allowed here",
				   "open parent of");
	*name = slash + 1;
	if (slash == path)
		return mntns__mkdir_all(root, "/", 0755, err);
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	return mntns__mkdir_all(root, parent, 0755, err);
}

/* Creates path (already clean) as an empty regular file unless something
 * is there, without following a symlink in its last component, and
 * returns an O_PATH descriptor of what path resolves to. */
int mntns__create_file(const struct mntns_root *root, const char *path,
		       mode_t mode, struct mntns_error *err)
{
	cleanup_close int parent = -1;
	const char *name;
	int fd;

	parent = mntns__open_parent(root, path, &name, err);
	if (parent < 0)
		return parent;

	fd = openat(parent, name,
		    O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, mode);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST)
		return mntns__fail(err, errno, path, NULL, "create file");

	fd = mntns__resolve(root, path, O_PATH, 0);
	if (fd == -ENOENT)
		return mntns__fail(err, ENOENT, path,
				   "a dangling symlink is in the way",
				   "create file");
	if (fd < 0)
		return mntns__fail(err, -fd, path, NULL, "open");
	return fd;
}

/* Opens /proc, /sys or /dev (path is "/proc"...), creating it 0755 when
 * create is set.  They must be real directories: a symlink there would
 * move the kernel's own filesystems to where the image points. */
int mntns__open_system_dir(const struct mntns_root *root, const char *path,
			   bool create, struct mntns_error *err)
{
	cleanup_close int fd = -1;
	const char *name = path + 1;
	struct stat st;

	fd = openat(root->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(root->fd, name, 0755) < 0 && errno != EEXIST)
			return mntns__fail(err, errno, path, NULL,
					   "create directory");
		fd = openat(root->fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return mntns__fail(err, errno, path, NULL, "open");
	if (fstat(fd, &st) < 0)
		return mntns__fail(err, errno, path, NULL, "stat");
	if (!S_ISDIR(st.st_mode))
		return mntns__fail(err, ENOTDIR, path,
				   "must be a real directory, not a symlink or "
				   "a file: fix the rootfs",
				   "check");
	return mntns__take_fd(&fd);
}
