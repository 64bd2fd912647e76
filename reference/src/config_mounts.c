/*
 * The "mounts" array of config.json and its options.  Options in the table
 * below set mount(2) flags, mount_setattr(2) attributes, propagation or
 * bind behaviour; any other option is filesystem data, as the runtime
 * specification recommends.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>

#include "cli.h"

enum option_kind {
	OPTION_FLAG, /* a mount(2) flag: set or cleared */
	OPTION_ATTR, /* a recursive mount_setattr(2) attribute */
	OPTION_PROPAGATION,
	OPTION_BIND,
	OPTION_RELABEL,
	OPTION_UNSUPPORTED,
};

struct mount_option {
	const char *name;
	enum option_kind kind;
	unsigned long set; /* MS_* or MOUNT_ATTR_* or MNTNS_ENTRY_* */
	unsigned long clear;
};

#define ATIME_MASK MOUNT_ATTR__ATIME

static const struct mount_option mount_options[] = {
	{ "ro", OPTION_FLAG, MS_RDONLY, 0 },
	{ "rw", OPTION_FLAG, 0, MS_RDONLY },
	{ "nosuid", OPTION_FLAG, MS_NOSUID, 0 },
	{ "suid", OPTION_FLAG, 0, MS_NOSUID },
	{ "nodev", OPTION_FLAG, MS_NODEV, 0 },
	{ "dev", OPTION_FLAG, 0, MS_NODEV },
	{ "noexec", OPTION_FLAG, MS_NOEXEC, 0 },
	{ "exec", OPTION_FLAG, 0, MS_NOEXEC },
	{ "sync", OPTION_FLAG, MS_SYNCHRONOUS, 0 },
	{ "async", OPTION_FLAG, 0, MS_SYNCHRONOUS },
	{ "dirsync", OPTION_FLAG, MS_DIRSYNC, 0 },
	{ "mand", OPTION_FLAG, MS_MANDLOCK, 0 },
	{ "nomand", OPTION_FLAG, 0, MS_MANDLOCK },
	{ "atime", OPTION_FLAG, 0, MS_NOATIME },
	{ "noatime", OPTION_FLAG, MS_NOATIME, 0 },
	{ "diratime", OPTION_FLAG, 0, MS_NODIRATIME },
	{ "nodiratime", OPTION_FLAG, MS_NODIRATIME, 0 },
	{ "relatime", OPTION_FLAG, MS_RELATIME, 0 },
	{ "norelatime", OPTION_FLAG, 0, MS_RELATIME },
	{ "strictatime", OPTION_FLAG, MS_STRICTATIME, 0 },
	{ "nostrictatime", OPTION_FLAG, 0, MS_STRICTATIME },
	{ "nosymfollow", OPTION_FLAG, MS_NOSYMFOLLOW, 0 },
	{ "symfollow", OPTION_FLAG, 0, MS_NOSYMFOLLOW },
	{ "rro", OPTION_ATTR, MOUNT_ATTR_RDONLY, 0 },
	{ "rrw", OPTION_ATTR, 0, MOUNT_ATTR_RDONLY },
	{ "rnosuid", OPTION_ATTR, MOUNT_ATTR_NOSUID, 0 },
	{ "rsuid", OPTION_ATTR, 0, MOUNT_ATTR_NOSUID },
	{ "rnodev", OPTION_ATTR, MOUNT_ATTR_NODEV, 0 },
	{ "rdev", OPTION_ATTR, 0, MOUNT_ATTR_NODEV },
	{ "rnoexec", OPTION_ATTR, MOUNT_ATTR_NOEXEC, 0 },
	{ "rexec", OPTION_ATTR, 0, MOUNT_ATTR_NOEXEC },
	{ "rnodiratime", OPTION_ATTR, MOUNT_ATTR_NODIRATIME, 0 },
	{ "rdiratime", OPTION_ATTR, 0, MOUNT_ATTR_NODIRATIME },
	{ "rrelatime", OPTION_ATTR, MOUNT_ATTR_RELATIME, ATIME_MASK },
	{ "rnorelatime", OPTION_ATTR, MOUNT_ATTR_STRICTATIME, ATIME_MASK },
	{ "rnoatime", OPTION_ATTR, MOUNT_ATTR_NOATIME, ATIME_MASK },
	{ "ratime", OPTION_ATTR, MOUNT_ATTR_RELATIME, ATIME_MASK },
	{ "rstrictatime", OPTION_ATTR, MOUNT_ATTR_STRICTATIME, ATIME_MASK },
	{ "rnostrictatime", OPTION_ATTR, MOUNT_ATTR_RELATIME, ATIME_MASK },
	{ "rnosymfollow", OPTION_ATTR, MOUNT_ATTR_NOSYMFOLLOW, 0 },
	{ "rsymfollow", OPTION_ATTR, 0, MOUNT_ATTR_NOSYMFOLLOW },
	{ "private", OPTION_PROPAGATION, MNTNS_PROPAGATION_PRIVATE, 0 },
	{ "rprivate", OPTION_PROPAGATION, MNTNS_PROPAGATION_PRIVATE, 1 },
	{ "slave", OPTION_PROPAGATION, MNTNS_PROPAGATION_SLAVE, 0 },
	{ "rslave", OPTION_PROPAGATION, MNTNS_PROPAGATION_SLAVE, 1 },
	{ "shared", OPTION_PROPAGATION, MNTNS_PROPAGATION_SHARED, 0 },
	{ "rshared", OPTION_PROPAGATION, MNTNS_PROPAGATION_SHARED, 1 },
	{ "unbindable", OPTION_PROPAGATION, MNTNS_PROPAGATION_UNBINDABLE, 0 },
	{ "runbindable", OPTION_PROPAGATION, MNTNS_PROPAGATION_UNBINDABLE, 1 },
	{ "bind", OPTION_BIND, MNTNS_ENTRY_BIND, 0 },
	{ "rbind", OPTION_BIND, MNTNS_ENTRY_BIND | MNTNS_ENTRY_RECURSIVE, 0 },
	{ "z", OPTION_RELABEL, 0, 0 },
	{ "Z", OPTION_RELABEL, 0, 0 },
	{ "idmap", OPTION_UNSUPPORTED, 0, 0 },
	{ "ridmap", OPTION_UNSUPPORTED, 0, 0 },
	{ "tmpcopyup", OPTION_UNSUPPORTED, 0, 0 },
	{ "copy-symlink", OPTION_UNSUPPORTED, 0, 0 },
	{ "src-nofollow", OPTION_UNSUPPORTED, 0, 0 },
	{ "dst-nofollow", OPTION_UNSUPPORTED, 0, 0 },
};

int propagation_from_name(const char *name, enum mntns_propagation *out,
			  bool *recursive)
{
	for (size_t i = 0; i < sizeof(mount_options) / sizeof(mount_options[0]);
	     i++) {
		const struct mount_option *option = &mount_options[i];
		if (option->kind != OPTION_PROPAGATION ||
		    strcmp(option->name, name) != 0)
			continue;
		*out = option->set;
		*recursive = option->clear;
		return 0;
	}
	return -EINVAL;
}

static const struct mount_option *find_option(const char *name)
{
	for (size_t i = 0; i < sizeof(mount_options) / sizeof(mount_options[0]);
	     i++)
		if (strcmp(mount_options[i].name, name) == 0)
			return &mount_options[i];
	return NULL;
}

static void apply_option(const struct mount_option *option, const char *name,
			 struct mntns_mount_entry *entry)
{
	switch (option->kind) {
	case OPTION_FLAG:
		entry->ms_flags = (entry->ms_flags & ~option->clear) |
				  option->set;
		entry->ms_clear = (entry->ms_clear & ~option->set) |
				  option->clear;
		break;
	case OPTION_ATTR:
		entry->attr_set = (entry->attr_set & ~option->clear) |
				  option->set;
		entry->attr_clr = (entry->attr_clr & ~option->set) |
				  option->clear;
		break;
	case OPTION_PROPAGATION:
		entry->propagation = option->set;
		if (option->clear)
			entry->flags |= MNTNS_ENTRY_PROPAGATION_RECURSIVE;
		else
			entry->flags &= ~MNTNS_ENTRY_PROPAGATION_RECURSIVE;
		break;
	case OPTION_BIND:
		entry->flags |= option->set;
		break;
	case OPTION_RELABEL:
		entry->relabel = name;
		break;
	case OPTION_UNSUPPORTED:
		break;
	}
}

/* Appends one filesystem data option to the comma-separated list. */
static int append_data(struct container_config *config,
		       struct mntns_mount_entry *entry, const char *option)
{
	size_t old_length = entry->data ? strlen(entry->data) : 0;
	char *data = malloc(old_length + strlen(option) + 2);

	if (!data)
		return -ENOMEM;
	if (entry->data)
		sprintf(data, "%s,%s", entry->data, option);
	else
		strcpy(data, option);
	if (!config_own(config, data))
		return -ENOMEM;
	entry->data = data;
	return 0;
}

int config_parse_mount_options(struct container_config *config,
			       const json_t *options, const char *path,
			       struct mntns_mount_entry *entry,
			       struct mntns_error *err)
{
	const char *file = config->config_path;
	char item_path[128];

	if (!options)
		return 0;
	if (!json_is_array(options))
		return config_type_error(err, file, path, "an array of strings",
					 options);

	for (size_t i = 0; i < json_array_size(options); i++) {
		const json_t *item = json_array_get(options, i);
		const char *name = NULL;

		config_path_index(item_path, sizeof(item_path), path, i);
		int ret = config_string(item, file, item_path, &name, err);
		if (ret < 0)
			return ret;

		const struct mount_option *option = find_option(name);
		if (option && option->kind == OPTION_UNSUPPORTED)
			return config_value_error(err, file, item_path, item,
						  "is not supported by mntns: "
						  "remove the option");
		if (option) {
			apply_option(option, name, entry);
			continue;
		}
		if (append_data(config, entry, name) < 0)
			return fail(err, ENOMEM, "out of memory");
	}
	return 0;
}

/* A v1 "cgroup" mount fails on hosts with hybrid hierarchies, so it
 * becomes a read-only cgroup2 mount in the container's own cgroup
 * namespace; v1 controller names would be invalid cgroup2 data. */
static void convert_cgroup(struct container_config *config,
			   struct mntns_mount_entry *entry)
{
	entry->type = "cgroup2";
	entry->source = "cgroup2";
	entry->ms_flags |= MS_RDONLY;
	entry->ms_clear &= ~MS_RDONLY;
	entry->data = NULL;
	config->clone_flags |= CLONE_NEWCGROUP;
}

static int parse_mount_fields(struct container_config *config,
			      const json_t *item, const char *path,
			      struct mntns_mount_entry *entry,
			      struct mntns_error *err)
{
	const char *file = config->config_path;
	char key_path[128];

	config_path_join(key_path, sizeof(key_path), path, "destination");
	int ret = config_absolute_path(json_object_get(item, "destination"),
				       file, key_path, &entry->destination,
				       err);
	if (ret < 0)
		return ret;
	if (!entry->destination)
		return fail(err, EINVAL, "%s: %s: missing: give the absolute "
			    "path of the mount inside the container", file,
			    key_path);

	config_path_join(key_path, sizeof(key_path), path, "type");
	ret = config_string(json_object_get(item, "type"), file, key_path,
			    &entry->type, err);
	config_path_join(key_path, sizeof(key_path), path, "source");
	if (ret == 0)
		ret = config_string(json_object_get(item, "source"), file,
				    key_path, &entry->source, err);
	config_path_join(key_path, sizeof(key_path), path, "options");
	if (ret == 0)
		ret = config_parse_mount_options(config,
						 json_object_get(item,
								 "options"),
						 key_path, entry, err);
	return ret;
}

static int resolve_bind_source(struct container_config *config,
			       struct mntns_mount_entry *entry,
			       const char *path, struct mntns_error *err)
{
	char joined[4096];

	if (!entry->source)
		return fail(err, EINVAL, "%s: %s.source: missing: a bind "
			    "mount needs the host path to bind",
			    config->config_path, path);
	if (entry->source[0] == '/')
		return 0;

	/* A relative bind source is relative to the bundle, as in runc. */
	snprintf(joined, sizeof(joined), "%s/%s", config->bundle,
		 entry->source);
	entry->source = config_own(config, strdup(joined));
	return entry->source ? 0 : fail(err, ENOMEM, "out of memory");
}

/* The kernel passes no filesystem data to a bind mount, so an unknown
 * option there has no effect: warn about each one, and pass none. */
static void warn_bind_data(const struct container_config *config,
			   const json_t *options, const char *path,
			   struct mntns_mount_entry *entry)
{
	for (size_t i = 0; i < json_array_size(options); i++) {
		const json_t *item = json_array_get(options, i);
		const char *name = json_string_value(item);

		if (find_option(name))
			continue;
		log_warning("%s: %s.options: unknown option \"%s\" ignored: "
			    "a bind mount passes no data to the filesystem, "
			    "so remove the option or fix its spelling",
			    config->config_path, path, name);
	}
	entry->data = NULL;
}

static int parse_mount(struct container_config *config, const json_t *item,
		       const char *path, struct mntns_mount_entry *entry,
		       struct mntns_error *err)
{
	if (!json_is_object(item))
		return config_type_error(err, config->config_path, path,
					 "an object", item);

	int ret = parse_mount_fields(config, item, path, entry, err);
	if (ret < 0)
		return ret;

	if (entry->type && strcmp(entry->type, "bind") == 0)
		entry->flags |= MNTNS_ENTRY_BIND;
	if ((entry->flags & MNTNS_ENTRY_BIND) && entry->data)
		warn_bind_data(config, json_object_get(item, "options"), path,
			       entry);
	if (entry->flags & MNTNS_ENTRY_BIND)
		return resolve_bind_source(config, entry, path, err);

	if (!entry->type)
		return fail(err, EINVAL, "%s: %s.type: missing: give the "
			    "filesystem type, or add \"bind\" to the options",
			    config->config_path, path);
	if (strcmp(entry->type, "cgroup") == 0)
		convert_cgroup(config, entry);
	if (!entry->source)
		entry->source = entry->type;
	if (entry->relabel)
		return fail(err, EINVAL, "%s: %s.options: \"%s\" relabels a "
			    "bind source, but this is a %s mount",
			    config->config_path, path, entry->relabel,
			    entry->type);
	return 0;
}

int config_parse_mounts(struct container_config *config, const json_t *mounts,
			struct mntns_error *err)
{
	char path[64];

	if (!mounts)
		return 0;
	if (!json_is_array(mounts))
		return config_type_error(err, config->config_path, "mounts",
					 "an array", mounts);

	size_t count = json_array_size(mounts);
	config->mounts = calloc(count + 1, sizeof(*config->mounts));
	if (!config->mounts)
		return fail(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		config_path_index(path, sizeof(path), "mounts", i);
		int ret = parse_mount(config, json_array_get(mounts, i), path,
				      &config->mounts[i], err);
		if (ret < 0)
			return ret;
	}
	config->mounts_count = count;
	return 0;
}
