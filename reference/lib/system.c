/*
 * The 2015 API: the system mounts table, Mount and MountConfig, and
 * InitializeMountNamespace, all built on mntns_setup() and the general
 * mount entry.
 */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>

#include "internal.h"

#define DEFAULT_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* libcontainer's defaults of January 2015, in mount order. */
static const struct mntns_mount_entry system_mounts[] = {
	{ .source = "proc", .destination = "/proc", .type = "proc",
	  .ms_flags = DEFAULT_FLAGS },
	{ .source = "tmpfs", .destination = "/dev", .type = "tmpfs",
	  .ms_flags = MS_NOSUID | MS_STRICTATIME, .data = "mode=755",
	  .flags = MNTNS_ENTRY_LABEL },
	{ .source = "shm", .destination = "/dev/shm", .type = "tmpfs",
	  .ms_flags = DEFAULT_FLAGS, .data = "mode=1777,size=65536k",
	  .flags = MNTNS_ENTRY_LABEL },
	{ .source = "mqueue", .destination = "/dev/mqueue", .type = "mqueue",
	  .ms_flags = DEFAULT_FLAGS },
	{ .source = "devpts", .destination = "/dev/pts", .type = "devpts",
	  .ms_flags = MS_NOSUID | MS_NOEXEC,
	  .data = "newinstance,ptmxmode=0666,mode=620,gid=5",
	  .flags = MNTNS_ENTRY_LABEL },
	{ .source = "sysfs", .destination = "/sys", .type = "sysfs",
	  .ms_flags = DEFAULT_FLAGS },
};

#define SYSFS_INDEX 5

MNTNS_PUBLIC const size_t mntns_system_mounts_count =
	sizeof(system_mounts) / sizeof(*system_mounts);

MNTNS_PUBLIC void mntns_system_mounts(struct mntns_mount_entry *entries,
				      bool sys_readonly)
{
	memcpy(entries, system_mounts, sizeof(system_mounts));
	if (sys_readonly)
		entries[SYSFS_INDEX].ms_flags |= MS_RDONLY;
}

static int convert_bind(const struct mntns_mount *mount,
			struct mntns_mount_entry *entry,
			struct mntns_error *err)
{
	if (mount->private_propagation && mount->slave)
		return mntns__fail(err, EINVAL, mount->destination,
				   "private and slave exclude each other: set "
				   "one",
				   "convert mount");
	entry->flags = MNTNS_ENTRY_BIND | MNTNS_ENTRY_RECURSIVE;
	if (!mount->writable)
		entry->ms_flags = MS_RDONLY;
	/* 2015 ORed MS_SLAVE into the bind call, where the kernel ignores
	 * it; a propagation call of its own makes it take effect. */
	if (mount->private_propagation)
		entry->propagation = MNTNS_PROPAGATION_PRIVATE;
	else if (mount->slave)
		entry->propagation = MNTNS_PROPAGATION_SLAVE;
	/* 2015 gave any relabel value other than "z" the private label. */
	if (mount->relabel && *mount->relabel)
		entry->relabel = strcmp(mount->relabel, "z") == 0 ? "z" : "Z";
	return 0;
}

MNTNS_PUBLIC int mntns_mount_to_entry(const struct mntns_mount *mount,
				      struct mntns_mount_entry *entry,
				      struct mntns_error *err)
{
	if (!mount || !entry)
		return mntns__fail(err, EINVAL, NULL,
				   "mount and entry are required",
				   "convert mount");
	memset(entry, 0, sizeof(*entry));
	entry->source = mount->source;
	entry->destination = mount->destination;
	entry->type = mount->type;

	if (mount->type && strcmp(mount->type, "bind") == 0)
		return convert_bind(mount, entry, err);
	if (mount->type && strcmp(mount->type, "tmpfs") == 0) {
		entry->source = "tmpfs";
		entry->ms_flags = DEFAULT_FLAGS;
		entry->flags = MNTNS_ENTRY_LABEL;
		return 0;
	}
	return mntns__fail(err, MNTNS_EUNSUPPORTED,
			   mount->destination ? mount->destination : "",
			   "unsupported mount type: use bind or tmpfs",
			   "mount %s on", mount->type ? mount->type : "(null)");
}

MNTNS_PUBLIC int mntns_mount(const struct mntns_mount *mount,
			     const char *rootfs, const char *mount_label,
			     struct mntns_error *err)
{
	struct mntns_mount_entry entry;
	int r;

	r = mntns_mount_to_entry(mount, &entry, err);
	if (r < 0)
		return r;
	return mntns_mount_entry(&entry, rootfs, mount_label, err);
}

/* Builds the entry table of InitializeMountNamespace: the system mounts,
 * then the config's mounts in their order. */
static int build_entries(const struct mntns_config *config,
			 bool sys_readonly, struct mntns_mount_entry **out,
			 size_t *count, struct mntns_error *err)
{
	size_t user_count = config ? config->mounts_count : 0;
	struct mntns_mount_entry *entries;
	size_t i;
	int r;

	entries = calloc(mntns_system_mounts_count + user_count,
			 sizeof(*entries));
	if (!entries)
		return mntns__fail(err, ENOMEM, NULL, NULL,
				   "allocate mount table");
	mntns_system_mounts(entries, sys_readonly);

	for (i = 0; i < user_count; i++) {
		struct mntns_mount_entry *entry;

		entry = &entries[mntns_system_mounts_count + i];
		r = mntns_mount_to_entry(&config->mounts[i], entry, err);
		if (r < 0) {
			free(entries);
			return r;
		}
	}
	*out = entries;
	*count = mntns_system_mounts_count + user_count;
	return 0;
}

/* Turns an index in the table of build_entries() into one in
 * config->mounts, the table the caller passed, or -1 for a system mount. */
static int user_mount_index(int index)
{
	if (index < (int)mntns_system_mounts_count)
		return -1;
	return index - (int)mntns_system_mounts_count;
}

MNTNS_PUBLIC int mntns_initialize(const char *rootfs, const char *console,
				  bool sys_readonly,
				  const struct mntns_config *config,
				  struct mntns_error *err)
{
	cleanup_free struct mntns_mount_entry *entries = NULL;
	struct mntns_spec spec;
	int r;

	if (config && config->mounts_count && !config->mounts)
		return mntns__fail(err, EINVAL, NULL,
				   "mounts is NULL but mounts_count is not 0",
				   "check config");
	mntns_spec_init(&spec, rootfs);
	r = build_entries(config, sys_readonly, &entries, &spec.mounts_count,
			  err);
	if (r < 0)
		return r;
	spec.mounts = entries;

	spec.devices = mntns_default_devices;
	spec.devices_count = mntns_default_devices_count;
	if (config && config->devices) {
		spec.devices = config->devices;
		spec.devices_count = config->devices_count;
	}
	if (config) {
		spec.root_switch = config->no_pivot_root ? MNTNS_ROOT_MOVE :
							   MNTNS_ROOT_PIVOT;
		spec.readonly_root = config->readonly_fs;
		spec.mount_label = config->mount_label;
	}
	if (console && *console) {
		spec.console_mode = MNTNS_CONSOLE_BIND;
		spec.console_path = console;
	}
	spec.dev_kcore = true;
	r = mntns_setup(&spec, err);
	if (r < 0 && err)
		err->mount_index = user_mount_index(err->mount_index);
	return r;
}
