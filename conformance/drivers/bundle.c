/*
 * The input that systemd-nspawn reads: the copy of the caller's config.json with the
 * changes nspawn 252 needs, and the masking nodes that systemd as PID 1
 * would have created.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "nspawn-oci.h"

static int make_root_absolute(json_t *config, const char *bundle)
{
	json_t *root = json_object_get(config, "root");
	const char *path = json_string_value(json_object_get(root, "path"));
	char absolute[PATH_MAX];
	int ret;

	if (!path || !path[0]) {
		message("%s/config.json has no root.path: set it to the "
			"rootfs directory", bundle);
		return -EINVAL;
	}
	if (path[0] == '/')
		return 0;
	ret = path_join(absolute, sizeof(absolute), bundle, path);
	if (ret < 0)
		return ret;
	message("root.path \"%s\" changed to \"%s\": the copy of config.json "
		"is in another directory", path, absolute);
	json_object_set_new(root, "path", json_string(absolute));
	return 0;
}

static void strip_resources(json_t *config)
{
	json_t *linux_object = json_object_get(config, "linux");

	if (!json_object_get(linux_object, "resources"))
		return;
	json_object_del(linux_object, "resources");
	message("linux.resources removed: systemd-nspawn 252 exits 1 without "
		"a message when it cannot apply them through D-Bus");
}

static void set_oci_version(json_t *config)
{
	const char *version =
		json_string_value(json_object_get(config, "ociVersion"));

	if (version && !strcmp(version, NSPAWN_OCI_VERSION))
		return;
	message("ociVersion \"%s\" changed to \"" NSPAWN_OCI_VERSION "\": "
		"systemd-nspawn 252 rejects every other version",
		version ? version : "(missing)");
	json_object_set_new(config, "ociVersion",
			    json_string(NSPAWN_OCI_VERSION));
}

/* Writes the copy of bundle/config.json that nspawn reads into dir. */
int write_bundle_copy(const char *bundle, const char *dir)
{
	char path[PATH_MAX];
	json_error_t error;
	json_t *config;
	int ret;

	ret = path_join(path, sizeof(path), bundle, "config.json");
	if (ret < 0)
		return ret;
	config = json_load_file(path, 0, &error);
	if (!config) {
		message("invalid %s: line %d, column %d: %s", path, error.line,
			error.column, error.text);
		return -EINVAL;
	}
	ret = make_root_absolute(config, bundle);
	if (ret == 0) {
		strip_resources(config);
		set_oci_version(config);
		ret = path_join(path, sizeof(path), dir, "config.json");
	}
	if (ret == 0 && json_dump_file(config, path, JSON_INDENT(2)) < 0) {
		message("writing %s failed", path);
		ret = -EIO;
	}
	json_decref(config);
	return ret;
}


/* nspawn masks linux.maskedPaths by bind-mounting these nodes, which
 * systemd as PID 1 creates at boot.  Where systemd is not init (the test
 * VMs), they are missing and nspawn 252 skips every masked path without a
 * message, so the driver creates them as PID 1 would: mode 0000, device
 * numbers 0:0. */
static const struct inaccessible_node {
	const char *name;
	mode_t type;
} inaccessible_nodes[] = {
	{ "reg", S_IFREG }, { "dir", S_IFDIR },	 { "fifo", S_IFIFO },
	{ "sock", S_IFSOCK }, { "chr", S_IFCHR }, { "blk", S_IFBLK },
};

/* NSPAWN_OCI_INACCESSIBLE moves the nodes for tests, which must not
 * write the host's /run; nspawn itself only looks in the default. */
static const char *inaccessible_dir(void)
{
	const char *dir = getenv("NSPAWN_OCI_INACCESSIBLE");

	return dir && dir[0] ? dir : "/run/systemd/inaccessible";
}

static int make_inaccessible_node(const char *path, mode_t type)
{
	int ret;

	if (type == S_IFDIR)
		ret = mkdir(path, 0);
	else
		ret = mknod(path, type, 0);
	if (ret < 0 && errno != EEXIST) {
		message("creating %s failed: %s", path, strerror(errno));
		return -errno;
	}
	if (chmod(path, 0) < 0) {
		message("chmod 0000 %s failed: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

int ensure_inaccessible_nodes(void)
{
	const char *dir = inaccessible_dir();
	char path[PATH_MAX], parent[PATH_MAX];
	int ret;

	ret = path_join(path, sizeof(path), dir, "reg");
	if (ret < 0 || access(path, F_OK) == 0)
		return ret;
	message("creating the masking nodes in %s, which systemd as PID 1 "
		"would have made", dir);
	snprintf(parent, sizeof(parent), "%s", dir);
	if (strrchr(parent, '/'))
		*strrchr(parent, '/') = '\0';
	else
		parent[0] = '\0';
	if ((parent[0] && mkdir(parent, 0755) < 0 && errno != EEXIST) ||
	    (mkdir(dir, 0755) < 0 && errno != EEXIST)) {
		message("mkdir %s failed: %s", dir, strerror(errno));
		return -errno;
	}
	for (size_t i = 0; ret == 0 && i < sizeof(inaccessible_nodes) /
						   sizeof(*inaccessible_nodes);
	     i++) {
		ret = path_join(path, sizeof(path), dir,
				inaccessible_nodes[i].name);
		if (ret == 0)
			ret = make_inaccessible_node(
				path, inaccessible_nodes[i].type);
	}
	return ret;
}

