/*
 * Messages for a mount of config.json that failed in mntns_setup().  The
 * library's message names the operation, the path and the errno, and
 * these messages add the entry of "mounts" it came from and what to do
 * next.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* A next step for a failed mount.  A row matches when the library's
 * operation starts with operation, errnum is 0 or equal, and reason is
 * NULL or part of the message.  The first matching row wins, so the last
 * row is the fallback. */
struct mount_hint {
	const char *operation;
	int errnum;
	const char *reason;
	const char *hint;
};

static const struct mount_hint mount_hints[] = {
	{ "mount ", EINVAL, NULL,
	  "check the options: unknown options are passed to the filesystem "
	  "as data, and the filesystem rejected them or the source" },
	{ "mount ", ENODEV, NULL,
	  "is the filesystem type available? see /proc/filesystems, or load "
	  "its kernel module" },
	{ "mount ", ENOTBLK, NULL,
	  "this filesystem type mounts a block device: give one as the "
	  "source" },
	{ "mount ", ENOENT, NULL, "the source does not exist: fix the source" },
	{ "mount ", EPERM, NULL,
	  "the kernel does not allow this filesystem type here, and in a user "
	  "namespace it allows only a few, such as tmpfs, proc and sysfs: "
	  "bind a host directory instead" },
	{ "bind mount ", ENOENT, NULL,
	  "create the source on the host, or fix the source path" },
	{ "stat bind source", ENOENT, NULL,
	  "create the source on the host, or fix the source path" },
	{ "check mount", EINVAL, "the rootfs itself",
	  "mount on a directory below \"/\", or set root.path to use another "
	  "root filesystem" },
	{ "check destination", EINVAL, "only a proc filesystem",
	  "mount proc there, or choose another destination" },
	{ "check destination", EINVAL, "inside /proc",
	  "choose a destination outside /proc, or one of those files" },
	{ "create ", EROFS, NULL,
	  "the destination is missing and the rootfs is read-only: create it "
	  "in the image" },
	{ "", 0, NULL, "fix or remove this entry of mounts" },
};

static const char *find_hint(const struct mntns_error *err)
{
	size_t count = sizeof(mount_hints) / sizeof(mount_hints[0]);

	for (size_t i = 0; i < count - 1; i++) {
		const struct mount_hint *row = &mount_hints[i];
		if (strncmp(err->operation, row->operation,
			    strlen(row->operation)) != 0)
			continue;
		if (row->errnum && row->errnum != err->errnum)
			continue;
		if (row->reason && !strstr(err->message, row->reason))
			continue;
		return row->hint;
	}
	return mount_hints[count - 1].hint;
}

/* Writes what identifies the entry: its destination, and its type and
 * filesystem data, or for a bind mount its source. */
static void describe_entry(const struct mntns_mount_entry *entry,
			   char *buffer, size_t size)
{
	int length;

	if (entry->flags & MNTNS_ENTRY_BIND) {
		snprintf(buffer, size, "destination \"%s\", bind of \"%s\"",
			 entry->destination, entry->source);
		return;
	}
	length = snprintf(buffer, size, "destination \"%s\", type \"%s\"",
			  entry->destination, entry->type);
	if (entry->data && length >= 0 && (size_t)length < size)
		snprintf(buffer + length, size - length, ", data \"%s\"",
			 entry->data);
}

void mount_error_explain(const struct container_config *config,
			 struct mntns_error *err)
{
	char entry_text[sizeof(err->message)];
	cleanup_free char *message = NULL;
	int index = err->mount_index;

	if (index < 0 || (size_t)index >= config->mounts_count)
		return;
	describe_entry(&config->mounts[index], entry_text, sizeof(entry_text));
	/* Out of memory, the library's message stays as it is. */
	if (asprintf(&message, "%s: mounts[%d] (%s): %s: %s",
		     config->config_path, index, entry_text, err->message,
		     find_hint(err)) < 0)
		return;
	/* A message too long for the buffer is cut, as the library's are. */
	snprintf(err->message, sizeof(err->message), "%s", message);
}
