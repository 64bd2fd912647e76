/* linux.devices of config.json. */
#include <errno.h>
#include <string.h>

#include "cli.h"

static int parse_device_type(const json_t *item, const char *file,
			     const char *path, struct mntns_device *device,
			     struct mntns_error *err)
{
	const char *type = NULL;
	char key_path[128];

	config_path_join(key_path, sizeof(key_path), path, "type");
	int ret = config_string(json_object_get(item, "type"), file, key_path,
				&type, err);
	if (ret < 0)
		return ret;
	if (!type)
		return fail(err, EINVAL, "%s: %s: missing: use c, b, u or p",
			    file, key_path);
	if (strlen(type) != 1 || !strchr("cbup", type[0]))
		return config_value_error(err, file, key_path,
					  json_object_get(item, "type"),
					  "is not a device type: use c, b, u "
					  "or p");
	device->type = type[0];
	return 0;
}

static int parse_device_numbers(const json_t *item, const char *file,
				const char *path, struct mntns_device *device,
				struct mntns_error *err)
{
	int64_t major = -1, minor = -1;
	char key_path[128];

	config_path_join(key_path, sizeof(key_path), path, "major");
	int ret = config_integer(json_object_get(item, "major"), file,
				 key_path, 0, 0xfff, &major, err);
	if (ret < 0)
		return ret;
	if (major < 0 && device->type != 'p')
		return fail(err, EINVAL, "%s: %s: missing: a %c device needs "
			    "its major number", file, key_path, device->type);

	config_path_join(key_path, sizeof(key_path), path, "minor");
	ret = config_integer(json_object_get(item, "minor"), file, key_path,
			     0, 0xfffff, &minor, err);
	if (ret < 0)
		return ret;
	if (minor < 0 && device->type != 'p')
		return fail(err, EINVAL, "%s: %s: missing: a %c device needs "
			    "its minor number", file, key_path, device->type);
	device->major = major < 0 ? 0 : major;
	device->minor = minor < 0 ? 0 : minor;
	return 0;
}

static int parse_device_owner(const json_t *item, const char *file,
			      const char *path, struct mntns_device *device,
			      struct mntns_error *err)
{
	int64_t mode = 0666, uid = 0, gid = 0;
	char key_path[128];

	config_path_join(key_path, sizeof(key_path), path, "fileMode");
	int ret = config_integer(json_object_get(item, "fileMode"), file,
				 key_path, 0, 07777, &mode, err);
	config_path_join(key_path, sizeof(key_path), path, "uid");
	if (ret == 0)
		ret = config_integer(json_object_get(item, "uid"), file,
				     key_path, 0, UINT32_MAX - 1, &uid, err);
	config_path_join(key_path, sizeof(key_path), path, "gid");
	if (ret == 0)
		ret = config_integer(json_object_get(item, "gid"), file,
				     key_path, 0, UINT32_MAX - 1, &gid, err);
	device->file_mode = mode;
	device->uid = uid;
	device->gid = gid;
	return ret;
}

static int parse_device(struct container_config *config, const json_t *item,
			const char *path, struct mntns_device *device,
			struct mntns_error *err)
{
	const char *file = config->config_path;
	char key_path[128];

	if (!json_is_object(item))
		return config_type_error(err, file, path, "an object", item);

	config_path_join(key_path, sizeof(key_path), path, "path");
	int ret = config_absolute_path(json_object_get(item, "path"), file,
				       key_path, &device->path, err);
	if (ret < 0)
		return ret;
	if (!device->path)
		return fail(err, EINVAL, "%s: %s: missing: give the absolute "
			    "path of the node inside the container", file,
			    key_path);

	ret = parse_device_type(item, file, path, device, err);
	if (ret == 0)
		ret = parse_device_numbers(item, file, path, device, err);
	if (ret == 0)
		ret = parse_device_owner(item, file, path, device, err);
	return ret;
}

int config_parse_devices(struct container_config *config,
			 const json_t *devices, struct mntns_error *err)
{
	char path[64];

	if (!devices)
		return 0;
	if (!json_is_array(devices))
		return config_type_error(err, config->config_path,
					 "linux.devices", "an array", devices);

	size_t count = json_array_size(devices);
	config->devices = calloc(count + 1, sizeof(*config->devices));
	if (!config->devices)
		return fail(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		config_path_index(path, sizeof(path), "linux.devices", i);
		int ret = parse_device(config, json_array_get(devices, i),
				       path, &config->devices[i], err);
		if (ret < 0)
			return ret;
	}
	config->devices_count = count;
	return 0;
}
