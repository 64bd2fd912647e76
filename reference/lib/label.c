/*
 * SELinux labels through libselinux: context= on the labelled mounts, the
 * file label of the console, and the z/Z relabel of bind sources.  When
 * SELinux is disabled every label is skipped and traced, not an error.
 */
#include <errno.h>
#include <fts.h>
#include <selinux/context.h>
#include <selinux/selinux.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/*
 * Directories that a relabel would break the host with: the list of
 * go-selinux since 2019 (label.Relabel).  libcontainer in 2015 refused
 * only /usr and everything below it, and that subtree rule is kept too.
 */
static const char *const relabel_refused[] = {
	"/",	     "/bin",	 "/boot",    "/dev",	 "/etc",
	"/etc/passwd", "/etc/pki", "/etc/shadow", "/home", "/lib",
	"/lib64",    "/media",	 "/opt",     "/proc",	 "/root",
	"/run",	     "/sbin",	 "/srv",     "/sys",	 "/tmp",
	"/usr",	     "/var",	 "/var/lib", "/var/log",
};

bool mntns__selinux_enabled(void)
{
	return is_selinux_enabled() > 0;
}

MNTNS_PUBLIC int mntns_label_mount_data(const char *data,
					const char *mount_label, char *buf,
					size_t size)
{
	bool have_data = data && *data;
	int length;

	if (!mount_label || !*mount_label)
		length = snprintf(buf, size, "%s", have_data ? data : "");
	else if (strpbrk(mount_label, "\"\n"))
		return -EINVAL;
	else
		length = snprintf(buf, size, "%s%scontext=\"%s\"",
				  have_data ? data : "", have_data ? "," : "",
				  mount_label);
	if (length < 0 || (size_t)length >= size)
		return -ENAMETOOLONG;
	return 0;
}

/* Stores in *out the filesystem data for a mount at destination: data
 * plus the mount label when SELinux is enabled.  *out is NULL when there
 * is neither. */
int mntns__label_data(const char *data, const char *mount_label,
		      const char *destination, char **out,
		      struct mntns_error *err)
{
	size_t size;
	int r;

	*out = NULL;
	if (mount_label && *mount_label && !mntns__selinux_enabled()) {
		mntns__trace(MNTNS_TRACE_DEBUG,
			     "SELinux is disabled: mount label not added to "
			     "'%s'",
			     destination);
		mount_label = NULL;
	}
	if (!data && !(mount_label && *mount_label))
		return 0;

	size = (data ? strlen(data) : 0) +
	       (mount_label ? strlen(mount_label) : 0) +
	       sizeof(",context=\"\"");
	*out = malloc(size);
	if (!*out)
		return mntns__fail(err, ENOMEM, destination, NULL,
				   "format mount data for");
	r = mntns_label_mount_data(data, mount_label, *out, size);
	if (r < 0) {
		free(*out);
		*out = NULL;
		return mntns__fail(err, -r, destination,
				   "the mount label contains a double quote",
				   "add mount label to");
	}
	return 0;
}

static bool is_refused_dir(const char *clean)
{
	size_t i;

	for (i = 0; i < sizeof(relabel_refused) / sizeof(*relabel_refused);
	     i++)
		if (strcmp(clean, relabel_refused[i]) == 0)
			return true;
	return strncmp(clean, "/usr/", 5) == 0;
}

/*
 * Rejects a relabel of a system directory, judged on the cleaned path, so
 * that "/usr/../etc/" counts as "/etc", and on the path with symlinks
 * resolved, so that a link to /usr counts as /usr.  Stores the resolved
 * path, which is what a bind mount of path shows, in resolved.
 */
int mntns__check_relabel(const char *path, char *resolved,
			 struct mntns_error *err)
{
	char clean[PATH_MAX];
	int r;

	r = mntns__check_clean(path, clean, sizeof(clean), "relabel path",
			       err);
	if (r < 0)
		return r;
	if (is_refused_dir(clean))
		goto refused;
	if (!realpath(path, resolved))
		return mntns__fail(err, errno, path, NULL,
				   "resolve relabel path");
	if (is_refused_dir(resolved))
		goto refused;
	return 0;

refused:
	return mntns__fail(err, EINVAL, path,
			   "relabelling a system directory is not allowed: "
			   "bind a directory of its own instead",
			   "relabel");
}

/* Writes the shared form of label, its level replaced by s0, as "z"
 * relabels do so that every container can read the content. */
static int shared_label(const char *label, char **out)
{
	context_t context = context_new(label);
	const char *text;
	int r = 0;

	if (!context)
		return errno ? -errno : -EINVAL;
	if (context_range_set(context, "s0") != 0) {
		r = -EINVAL;
		goto done;
	}
	text = context_str(context);
	*out = text ? strdup(text) : NULL;
	if (!*out)
		r = -ENOMEM;
done:
	context_free(context);
	return r;
}

/* Labels one entry of a tree walk, or reports the error the walk met
 * there.  A directory is labelled when the walk leaves it (FTS_DP). */
static int label_entry(const FTSENT *entry, const char *label,
		       struct mntns_error *err)
{
	switch (entry->fts_info) {
	case FTS_D:
		return 0;
	case FTS_DNR:
	case FTS_ERR:
	case FTS_NS:
		return mntns__fail(err, entry->fts_errno, entry->fts_path, NULL,
				   "relabel");
	}
	if (lsetfilecon(entry->fts_path, label) < 0)
		return mntns__fail(err, errno, entry->fts_path, NULL,
				   "set SELinux label %s on", label);
	return 0;
}

/* Labels path and everything beneath it without following symlinks. */
static int relabel_tree(const char *path, const char *label,
			struct mntns_error *err)
{
	char *paths[] = { (char *)path, NULL };
	FTSENT *entry;
	FTS *tree;
	int r = 0;

	tree = fts_open(paths, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!tree)
		return mntns__fail(err, errno, path, NULL, "relabel");

	do {
		errno = 0;
		entry = fts_read(tree);
		if (entry)
			r = label_entry(entry, label, err);
	} while (entry && r == 0);
	/* fts_read() returns NULL both at the end and on an error, and only
	 * errno distinguishes the two. */
	if (!entry && errno != 0)
		r = mntns__fail(err, errno, path, NULL, "relabel");
	fts_close(tree);
	return r;
}

/* Relabels a bind source: "z" gives the shared label (level s0), "Z" the
 * private mount label. */
int mntns__relabel(const char *path, const char *mount_label,
		   const char *relabel, struct mntns_error *err)
{
	cleanup_free char *shared = NULL;
	char resolved[PATH_MAX];
	int r;

	r = mntns__check_relabel(path, resolved, err);
	if (r < 0)
		return r;
	if (!mount_label || !*mount_label)
		return 0;
	if (!mntns__selinux_enabled()) {
		mntns__trace(MNTNS_TRACE_DEBUG,
			     "SELinux is disabled: relabel of '%s' skipped",
			     path);
		return 0;
	}

	if (strcmp(relabel, "z") == 0) {
		r = shared_label(mount_label, &shared);
		if (r < 0)
			return mntns__fail(err, -r, path, NULL,
					   "make shared label of %s for",
					   mount_label);
		return relabel_tree(resolved, shared, err);
	}
	return relabel_tree(resolved, mount_label, err);
}

/* Labels the file behind fd, named path in errors. */
int mntns__label_fd(int fd, const char *label, const char *path,
		    struct mntns_error *err)
{
	if (!label || !*label)
		return 0;
	if (!mntns__selinux_enabled()) {
		mntns__trace(MNTNS_TRACE_DEBUG,
			     "SELinux is disabled: label of '%s' skipped",
			     path);
		return 0;
	}
	if (fsetfilecon(fd, label) < 0)
		return mntns__fail(err, errno, path, NULL,
				   "set SELinux label %s on", label);
	return 0;
}
