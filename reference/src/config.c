/*
 * config.json of an OCI bundle, parsed with jansson into a struct
 * container_config.  Unknown properties are ignored, as the runtime
 * specification requires.  Known ones that mntns does not apply get one
 * warning each, and every invalid value is an error that names the file,
 * the JSON path and the value.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <string.h>

#include "cli.h"

/* Known properties that mntns reads but does not apply. */
static const char *const unapplied_fields[] = {
	"hooks",
	"process.apparmorProfile",
	"process.scheduler",
	"process.ioPriority",
	"process.execCPUAffinity",
	"linux.seccomp",
	"linux.resources",
	"linux.cgroupsPath",
	"linux.sysctl",
	"linux.intelRdt",
	"linux.personality",
	"linux.timeOffsets",
	"linux.memoryPolicy",
	"linux.netDevices",
};

char *config_own(struct container_config *config, char *string)
{
	if (!string)
		return NULL;

	char **grown = realloc(config->owned,
			       (config->owned_count + 1) * sizeof(*grown));
	if (!grown) {
		free(string);
		return NULL;
	}
	config->owned = grown;
	config->owned[config->owned_count++] = string;
	return string;
}

static const json_t *lookup_dotted(const json_t *document, const char *path)
{
	char key[64];
	const json_t *node = document;

	while (node && *path) {
		size_t length = strcspn(path, ".");
		if (length >= sizeof(key))
			return NULL;
		memcpy(key, path, length);
		key[length] = '\0';
		node = json_is_object(node) ? json_object_get(node, key) : NULL;
		path += length;
		if (*path == '.')
			path++;
	}
	return node;
}

static void warn_unapplied(const struct container_config *config)
{
	for (size_t i = 0; i < sizeof(unapplied_fields) /
				       sizeof(unapplied_fields[0]); i++) {
		const json_t *value = lookup_dotted(config->document,
						    unapplied_fields[i]);
		if (!value || json_is_null(value))
			continue;
		log_warning("%s: %s is not applied by mntns",
			    config->config_path, unapplied_fields[i]);
	}
}

static int parse_root(struct container_config *config, const json_t *root,
		      const char *dir, struct mntns_error *err)
{
	const char *file = config->config_path;
	const char *path_value;

	if (!root)
		return fail(err, EINVAL, "%s: root: missing: set root.path "
			    "to the rootfs directory", file);
	if (!json_is_object(root))
		return config_type_error(err, file, "root", "an object", root);

	int ret = config_string(json_object_get(root, "path"), file,
				"root.path", &path_value, err);
	if (ret < 0)
		return ret;
	if (!path_value)
		return fail(err, EINVAL, "%s: root.path: missing: set it to "
			    "the rootfs directory", file);

	const json_t *readonly = json_object_get(root, "readonly");
	ret = config_bool(readonly, file, "root.readonly",
			  &config->readonly_root, err);
	if (ret < 0)
		return ret;

	char joined[PATH_MAX];
	if (path_value[0] == '/')
		snprintf(joined, sizeof(joined), "%s", path_value);
	else
		snprintf(joined, sizeof(joined), "%s/%s", dir, path_value);

	char *resolved = realpath(joined, NULL);
	if (!resolved)
		return fail_errno(err, errno, "%s: root.path: \"%s\" (%s)",
				  file, path_value, joined);
	config->rootfs = config_own(config, resolved);
	if (!config->rootfs)
		return fail(err, ENOMEM, "out of memory");
	if (strcmp(config->rootfs, "/") == 0)
		return fail(err, EINVAL, "%s: root.path: \"%s\" is the host's "
			    "root directory: use a separate rootfs", file,
			    path_value);
	return 0;
}

static int parse_profile(struct container_config *config,
			 struct mntns_error *err)
{
	const json_t *annotations = json_object_get(config->document,
						    "annotations");
	const char *file = config->config_path;

	if (!annotations)
		return 0;
	if (!json_is_object(annotations))
		return config_type_error(err, file, "annotations",
					 "an object", annotations);

	const char *key;
	const json_t *value;
	json_object_foreach((json_t *)annotations, key, value) {
		char path[512];
		config_path_join(path, sizeof(path), "annotations", key);
		if (!json_is_string(value))
			return config_type_error(err, file, path, "a string",
						 value);
	}
	config->annotations = (json_t *)annotations;

	value = json_object_get(annotations, PROFILE_ANNOTATION);
	if (!value)
		return 0;
	if (spec_profile_from_name(json_string_value(value),
				   &config->profile) < 0)
		return config_value_error(err, file,
					  "annotations." PROFILE_ANNOTATION,
					  value, "is not a profile: use oci "
					  "or libcontainer-2015");
	return 0;
}

static int parse_names(struct container_config *config,
		       struct mntns_error *err)
{
	const char *file = config->config_path;
	json_t *document = config->document;

	int ret = config_string(json_object_get(document, "ociVersion"), file,
				"ociVersion", &config->oci_version, err);
	if (ret < 0)
		return ret;
	if (!config->oci_version)
		return fail(err, EINVAL, "%s: ociVersion: missing: set it to "
			    "the runtime specification version, such as "
			    "\"%s\"", file, OCI_VERSION);
	if (strncmp(config->oci_version, "1.", 2) != 0)
		return config_value_error(err, file, "ociVersion",
					  json_object_get(document,
							  "ociVersion"),
					  "is not supported: mntns reads "
					  "version 1.x documents");

	ret = config_string(json_object_get(document, "hostname"), file,
			    "hostname", &config->hostname, err);
	if (ret < 0)
		return ret;
	return config_string(json_object_get(document, "domainname"), file,
			     "domainname", &config->domainname, err);
}

static int check_uts(const struct container_config *config,
		     struct mntns_error *err)
{
	bool own_uts = config->clone_flags & CLONE_NEWUTS;

	if (config->hostname && !own_uts)
		return fail(err, EINVAL, "%s: hostname: set without a new uts "
			    "namespace: add {\"type\": \"uts\"} to "
			    "linux.namespaces", config->config_path);
	if (config->domainname && !own_uts)
		return fail(err, EINVAL, "%s: domainname: set without a new "
			    "uts namespace: add {\"type\": \"uts\"} to "
			    "linux.namespaces", config->config_path);
	return 0;
}

static int parse_document(struct container_config *config, const char *dir,
			  struct mntns_error *err)
{
	json_t *document = config->document;
	const char *file = config->config_path;

	if (!json_is_object(document))
		return fail(err, EINVAL, "%s: the document is not a JSON "
			    "object", file);

	int ret = parse_names(config, err);
	if (ret == 0)
		ret = parse_profile(config, err);
	if (ret == 0)
		ret = parse_root(config, json_object_get(document, "root"),
				 dir, err);
	if (ret == 0)
		ret = config_parse_process(config,
					   json_object_get(document,
							   "process"), err);
	if (ret == 0)
		ret = config_parse_linux(config,
					 json_object_get(document, "linux"),
					 err);
	/* Mounts come after linux, which may add the cgroup namespace
	 * that a cgroup mount needs. */
	if (ret == 0)
		ret = config_parse_mounts(config,
					  json_object_get(document, "mounts"),
					  err);
	if (ret == 0)
		ret = check_uts(config, err);
	if (ret == 0)
		warn_unapplied(config);
	return ret;
}

static int set_paths(struct container_config *config, const char *file,
		     struct mntns_error *err)
{
	config->config_path = config_own(config, strdup(file));
	if (!config->config_path)
		return fail(err, ENOMEM, "out of memory");
	return 0;
}

int config_load_string(const char *text, const char *path, const char *dir,
		       struct container_config *config,
		       struct mntns_error *err)
{
	json_error_t json_err;

	memset(config, 0, sizeof(*config));
	int ret = set_paths(config, path, err);
	if (ret < 0)
		return ret;
	config->bundle = config_own(config, strdup(dir));
	if (!config->bundle)
		return fail(err, ENOMEM, "out of memory");

	config->document = json_loads(text, JSON_REJECT_DUPLICATES, &json_err);
	if (!config->document)
		return fail(err, EINVAL, "%s:%d:%d: invalid JSON: %s", path,
			    json_err.line, json_err.column, json_err.text);
	return parse_document(config, dir, err);
}

int config_load(const char *bundle, struct container_config *config,
		struct mntns_error *err)
{
	json_error_t json_err;
	char file[PATH_MAX];

	memset(config, 0, sizeof(*config));
	char *dir = realpath(bundle, NULL);
	if (!dir)
		return fail_errno(err, errno, "bundle %s", bundle);
	config->bundle = config_own(config, dir);
	if (!config->bundle)
		return fail(err, ENOMEM, "out of memory");

	snprintf(file, sizeof(file), "%s/config.json", dir);
	int ret = set_paths(config, file, err);
	if (ret < 0)
		return ret;

	config->document = json_load_file(file, JSON_REJECT_DUPLICATES,
					  &json_err);
	if (!config->document && json_err.line < 0)
		return fail(err, ENOENT, "%s: %s: run \"mntns spec\" in the "
			    "bundle to write a default one", file,
			    json_err.text);
	if (!config->document)
		return fail(err, EINVAL, "%s:%d:%d: invalid JSON: %s", file,
			    json_err.line, json_err.column, json_err.text);
	return parse_document(config, dir, err);
}

void config_free(struct container_config *config)
{
	for (size_t i = 0; i < config->owned_count; i++)
		free(config->owned[i]);
	free(config->owned);
	free(config->process.args);
	free(config->process.env);
	free(config->process.additional_gids);
	free(config->process.rlimits);
	free(config->uid_mappings);
	free(config->gid_mappings);
	free(config->mounts);
	free(config->devices);
	free(config->masked_paths);
	free(config->readonly_paths);
	json_decref(config->document);
	memset(config, 0, sizeof(*config));
}
