/* The "linux" object of config.json. */
#include <errno.h>
#include <sched.h>
#include <string.h>

#include "cli.h"

struct namespace_type {
	const char *name;
	int clone_flag;
	bool joinable; /* a path may name an existing one */
};

/* Joining a pid or user namespace would need another fork or a change of
 * the order of the steps, so only these can be joined. */
static const struct namespace_type namespace_types[] = {
	{ "mount", CLONE_NEWNS, false },
	{ "pid", CLONE_NEWPID, false },
	{ "network", CLONE_NEWNET, true },
	{ "ipc", CLONE_NEWIPC, true },
	{ "uts", CLONE_NEWUTS, true },
	{ "user", CLONE_NEWUSER, false },
	{ "cgroup", CLONE_NEWCGROUP, true },
	{ "time", CLONE_NEWTIME, false },
};

static const struct namespace_type *find_namespace(const char *name)
{
	for (size_t i = 0;
	     i < sizeof(namespace_types) / sizeof(namespace_types[0]); i++)
		if (strcmp(namespace_types[i].name, name) == 0)
			return &namespace_types[i];
	return NULL;
}

static int add_namespace(struct container_config *config, const json_t *item,
			 const char *path, int *seen,
			 struct mntns_error *err)
{
	const char *file = config->config_path;
	const char *type_name = NULL, *ns_path = NULL;
	char key_path[128];

	if (!json_is_object(item))
		return config_type_error(err, file, path, "an object", item);
	config_path_join(key_path, sizeof(key_path), path, "type");
	int ret = config_string(json_object_get(item, "type"), file, key_path,
				&type_name, err);
	if (ret < 0)
		return ret;
	if (!type_name)
		return fail(err, EINVAL, "%s: %s: missing: use mount, pid, "
			    "network, ipc, uts, user or cgroup", file,
			    key_path);

	const struct namespace_type *type = find_namespace(type_name);
	const json_t *type_value = json_object_get(item, "type");
	if (!type)
		return config_value_error(err, file, key_path, type_value,
					  "is not a namespace type: use "
					  "mount, pid, network, ipc, uts, "
					  "user or cgroup");
	if (type->clone_flag == CLONE_NEWTIME)
		return config_value_error(err, file, key_path, type_value,
					  "is not supported by mntns: remove "
					  "the time namespace");
	if (*seen & type->clone_flag)
		return config_value_error(err, file, key_path, type_value,
					  "is listed twice: keep one entry");
	*seen |= type->clone_flag;

	config_path_join(key_path, sizeof(key_path), path, "path");
	ret = config_absolute_path(json_object_get(item, "path"), file,
				   key_path, &ns_path, err);
	if (ret < 0)
		return ret;
	if (!ns_path) {
		config->clone_flags |= type->clone_flag;
		return 0;
	}
	if (!type->joinable)
		return fail(err, EINVAL, "%s: %s: joining an existing %s "
			    "namespace is not supported by mntns: remove "
			    "the path to create a new one", file, key_path,
			    type_name);
	config->joins[config->joins_count].clone_flag = type->clone_flag;
	config->joins[config->joins_count].path = ns_path;
	config->joins_count++;
	return 0;
}

int config_parse_namespaces(struct container_config *config,
			    const json_t *namespaces, struct mntns_error *err)
{
	const char *file = config->config_path;
	char path[64];
	int seen = 0;

	if (namespaces && !json_is_array(namespaces))
		return config_type_error(err, file, "linux.namespaces",
					 "an array", namespaces);
	for (size_t i = 0; namespaces && i < json_array_size(namespaces);
	     i++) {
		config_path_index(path, sizeof(path), "linux.namespaces", i);
		int ret = add_namespace(config,
					json_array_get(namespaces, i), path,
					&seen, err);
		if (ret < 0)
			return ret;
	}
	/* Every mount is made in the container's own mount namespace, so
	 * that nothing can reach the host's mount table. */
	if (!(config->clone_flags & CLONE_NEWNS))
		return fail(err, EINVAL, "%s: linux.namespaces: no new mount "
			    "namespace: add {\"type\": \"mount\"}", file);
	return 0;
}

static int parse_mapping(const json_t *item, const char *file,
			 const char *path, struct id_mapping *mapping,
			 struct mntns_error *err)
{
	static const char *const keys[] = { "containerID", "hostID", "size" };
	uint32_t *fields[] = { &mapping->container_id, &mapping->host_id,
			       &mapping->size };
	char key_path[128];

	if (!json_is_object(item))
		return config_type_error(err, file, path, "an object", item);
	for (size_t i = 0; i < 3; i++) {
		int64_t value = -1;
		config_path_join(key_path, sizeof(key_path), path, keys[i]);
		int ret = config_integer(json_object_get(item, keys[i]), file,
					 key_path, i == 2 ? 1 : 0, UINT32_MAX,
					 &value, err);
		if (ret < 0)
			return ret;
		if (value < 0)
			return fail(err, EINVAL, "%s: %s: missing", file,
				    key_path);
		*fields[i] = value;
	}
	return 0;
}

static int parse_mappings(const json_t *value, const char *file,
			  const char *path, struct id_mapping **out,
			  size_t *count, struct mntns_error *err)
{
	char item_path[64];

	if (!value)
		return 0;
	if (!json_is_array(value))
		return config_type_error(err, file, path, "an array", value);

	size_t size = json_array_size(value);
	*out = calloc(size + 1, sizeof(**out));
	if (!*out)
		return fail(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < size; i++) {
		config_path_index(item_path, sizeof(item_path), path, i);
		int ret = parse_mapping(json_array_get(value, i), file,
					item_path, &(*out)[i], err);
		if (ret < 0)
			return ret;
	}
	*count = size;
	return 0;
}

static int check_user_namespace(const struct container_config *config,
				struct mntns_error *err)
{
	bool user = config->clone_flags & CLONE_NEWUSER;
	bool mapped = config->uid_mappings_count || config->gid_mappings_count;
	const char *file = config->config_path;

	if (mapped && !user)
		return fail(err, EINVAL, "%s: linux.uidMappings: set without a "
			    "new user namespace: add {\"type\": \"user\"} to "
			    "linux.namespaces", file);
	if (user && !config->uid_mappings_count)
		return fail(err, EINVAL, "%s: linux.uidMappings: missing: a new "
			    "user namespace needs at least one uid mapping",
			    file);
	if (user && !config->gid_mappings_count)
		return fail(err, EINVAL, "%s: linux.gidMappings: missing: a new "
			    "user namespace needs at least one gid mapping",
			    file);
	return 0;
}

static int parse_path_list(struct container_config *config,
			   const json_t *value, const char *path,
			   const char ***out, size_t *count,
			   struct mntns_error *err)
{
	char item_path[64];

	int ret = config_string_array(value, config->config_path, path, out,
				      count, err);
	for (size_t i = 0; ret == 0 && i < *count; i++) {
		config_path_index(item_path, sizeof(item_path), path, i);
		ret = config_absolute_path(json_array_get(value, i),
					   config->config_path, item_path,
					   &(*out)[i], err);
	}
	return ret;
}

static int parse_propagation(struct container_config *config,
			     const json_t *value, struct mntns_error *err)
{
	const char *name = NULL;
	bool recursive = false;

	int ret = config_string(value, config->config_path,
				"linux.rootfsPropagation", &name, err);
	if (ret < 0 || !name)
		return ret;
	if (propagation_from_name(name, &config->rootfs_propagation,
				  &recursive) < 0)
		return config_value_error(err, config->config_path,
					  "linux.rootfsPropagation", value,
					  "is not a propagation: use shared, "
					  "slave, private or unbindable (or "
					  "their r forms)");
	config->rootfs_propagation_flags =
		recursive ? MNTNS_ENTRY_PROPAGATION_RECURSIVE : 0;
	return 0;
}

static int parse_linux_paths(struct container_config *config,
			     const json_t *linux_, struct mntns_error *err)
{
	const char *file = config->config_path;

	int ret = parse_path_list(config,
				  json_object_get(linux_, "maskedPaths"),
				  "linux.maskedPaths", &config->masked_paths,
				  &config->masked_paths_count, err);
	if (ret == 0)
		ret = parse_path_list(config,
				      json_object_get(linux_, "readonlyPaths"),
				      "linux.readonlyPaths",
				      &config->readonly_paths,
				      &config->readonly_paths_count, err);
	if (ret == 0)
		ret = parse_propagation(config,
					json_object_get(linux_,
							"rootfsPropagation"),
					err);
	if (ret == 0)
		ret = config_string(json_object_get(linux_, "mountLabel"),
				    file, "linux.mountLabel",
				    &config->mount_label, err);
	return ret;
}

int config_parse_linux(struct container_config *config, const json_t *linux_,
		       struct mntns_error *err)
{
	const char *file = config->config_path;

	if (!linux_)
		return fail(err, EINVAL, "%s: linux: missing: mntns needs at "
			    "least linux.namespaces with a mount namespace",
			    file);
	if (!json_is_object(linux_))
		return config_type_error(err, file, "linux", "an object",
					 linux_);

	int ret = config_parse_namespaces(config,
					  json_object_get(linux_,
							  "namespaces"), err);
	if (ret == 0)
		ret = parse_mappings(json_object_get(linux_, "uidMappings"),
				     file, "linux.uidMappings",
				     &config->uid_mappings,
				     &config->uid_mappings_count, err);
	if (ret == 0)
		ret = parse_mappings(json_object_get(linux_, "gidMappings"),
				     file, "linux.gidMappings",
				     &config->gid_mappings,
				     &config->gid_mappings_count, err);
	if (ret == 0)
		ret = check_user_namespace(config, err);
	if (ret == 0)
		ret = config_parse_devices(config,
					   json_object_get(linux_, "devices"),
					   err);
	if (ret == 0)
		ret = parse_linux_paths(config, linux_, err);
	return ret;
}
