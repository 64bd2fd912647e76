/* The "process" object of config.json. */
#include <errno.h>
#include <string.h>

#include "cli.h"

struct rlimit_name {
	const char *name;
	int resource;
};

static const struct rlimit_name rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

static int parse_rlimit(const json_t *item, const char *file,
			const char *path, struct rlimit_entry *entry,
			struct mntns_error *err)
{
	char key_path[512];
	const char *type = NULL;
	int64_t soft = 0, hard = 0;

	if (!json_is_object(item))
		return config_type_error(err, file, path, "an object", item);

	config_path_join(key_path, sizeof(key_path), path, "type");
	int ret = config_string(json_object_get(item, "type"), file,
				key_path, &type, err);
	if (ret < 0)
		return ret;
	if (!type)
		return fail(err, EINVAL, "%s: %s: missing: use a name such as "
			    "RLIMIT_NOFILE", file, key_path);

	entry->resource = -1;
	for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]);
	     i++)
		if (strcmp(rlimit_names[i].name, type) == 0)
			entry->resource = rlimit_names[i].resource;
	if (entry->resource < 0)
		return config_value_error(err, file, key_path,
					  json_object_get(item, "type"),
					  "is not a resource limit: use a "
					  "name of setrlimit(2), such as "
					  "RLIMIT_NOFILE");

	config_path_join(key_path, sizeof(key_path), path, "soft");
	ret = config_integer(json_object_get(item, "soft"), file, key_path,
			     0, INT64_MAX, &soft, err);
	config_path_join(key_path, sizeof(key_path), path, "hard");
	if (ret == 0)
		ret = config_integer(json_object_get(item, "hard"), file,
				     key_path, 0, INT64_MAX, &hard, err);
	if (ret < 0)
		return ret;
	if (soft > hard)
		return fail(err, EINVAL, "%s: %s: soft limit %lld is above "
			    "the hard limit %lld", file, path,
			    (long long)soft, (long long)hard);
	entry->limit.rlim_cur = soft;
	entry->limit.rlim_max = hard;
	return 0;
}

static int parse_rlimits(struct container_config *config,
			 const json_t *rlimits, struct mntns_error *err)
{
	const char *file = config->config_path;
	char path[64];

	if (!rlimits)
		return 0;
	if (!json_is_array(rlimits))
		return config_type_error(err, file, "process.rlimits",
					 "an array", rlimits);

	size_t count = json_array_size(rlimits);
	config->process.rlimits = calloc(count + 1,
					 sizeof(*config->process.rlimits));
	if (!config->process.rlimits)
		return fail(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		config_path_index(path, sizeof(path), "process.rlimits", i);
		int ret = parse_rlimit(json_array_get(rlimits, i), file, path,
				       &config->process.rlimits[i], err);
		if (ret < 0)
			return ret;
	}
	config->process.rlimits_count = count;
	return 0;
}

static int parse_user(struct container_config *config, const json_t *user,
		      struct mntns_error *err)
{
	const char *file = config->config_path;
	struct process_config *process = &config->process;
	int64_t uid = 0, gid = 0, umask_value = -1;
	char path[64];

	if (!user)
		return 0;
	if (!json_is_object(user))
		return config_type_error(err, file, "process.user",
					 "an object", user);

	int ret = config_integer(json_object_get(user, "uid"), file,
				 "process.user.uid", 0, UINT32_MAX - 1, &uid,
				 err);
	if (ret == 0)
		ret = config_integer(json_object_get(user, "gid"), file,
				     "process.user.gid", 0, UINT32_MAX - 1,
				     &gid, err);
	if (ret == 0)
		ret = config_integer(json_object_get(user, "umask"), file,
				     "process.user.umask", 0, 0777,
				     &umask_value, err);
	if (ret < 0)
		return ret;
	process->uid = uid;
	process->gid = gid;
	process->has_umask = umask_value >= 0;
	process->umask = process->has_umask ? umask_value : 0;

	const json_t *gids = json_object_get(user, "additionalGids");
	if (!gids)
		return 0;
	if (!json_is_array(gids))
		return config_type_error(err, file,
					 "process.user.additionalGids",
					 "an array of integers", gids);

	size_t count = json_array_size(gids);
	process->additional_gids = calloc(count + 1, sizeof(gid_t));
	if (!process->additional_gids)
		return fail(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		int64_t value = 0;
		config_path_index(path, sizeof(path),
				  "process.user.additionalGids", i);
		ret = config_integer(json_array_get(gids, i), file, path, 0,
				     UINT32_MAX - 1, &value, err);
		if (ret < 0)
			return ret;
		process->additional_gids[i] = value;
	}
	process->additional_gids_count = count;
	return 0;
}

static int parse_console_size(struct container_config *config,
			      const json_t *size, struct mntns_error *err)
{
	const char *file = config->config_path;
	int64_t rows = 0, columns = 0;

	if (!size)
		return 0;
	if (!json_is_object(size))
		return config_type_error(err, file, "process.consoleSize",
					 "an object", size);

	int ret = config_integer(json_object_get(size, "height"), file,
				 "process.consoleSize.height", 0, UINT16_MAX,
				 &rows, err);
	if (ret == 0)
		ret = config_integer(json_object_get(size, "width"), file,
				     "process.consoleSize.width", 0,
				     UINT16_MAX, &columns, err);
	config->process.console_rows = rows;
	config->process.console_columns = columns;
	return ret;
}

static int check_env(const struct container_config *config,
		     struct mntns_error *err)
{
	const char **env = config->process.env;
	char path[64];

	for (size_t i = 0; env && env[i]; i++) {
		if (strchr(env[i], '=') && env[i][0] != '=')
			continue;
		config_path_index(path, sizeof(path), "process.env", i);
		return fail(err, EINVAL, "%s: %s: \"%s\" is not of the form "
			    "NAME=VALUE", config->config_path, path, env[i]);
	}
	return 0;
}

static int parse_args(struct container_config *config,
		      const json_t *process, struct mntns_error *err)
{
	const char *file = config->config_path;
	size_t count = 0;

	int ret = config_string_array(json_object_get(process, "args"), file,
				      "process.args", &config->process.args,
				      &count, err);
	if (ret < 0)
		return ret;
	if (count == 0)
		return fail(err, EINVAL, "%s: process.args: missing or empty: "
			    "give the command to run, such as [\"sh\"]",
			    file);
	if (config->process.args[0][0] == '\0')
		return fail(err, EINVAL, "%s: process.args[0]: is empty: give "
			    "the command to run", file);

	ret = config_string_array(json_object_get(process, "env"), file,
				  "process.env", &config->process.env, NULL,
				  err);
	if (ret == 0)
		ret = check_env(config, err);
	return ret;
}

static int parse_flags(struct container_config *config,
		       const json_t *process, struct mntns_error *err)
{
	const char *file = config->config_path;
	struct process_config *p = &config->process;
	int64_t oom = INT64_MIN;

	int ret = config_bool(json_object_get(process, "terminal"), file,
			      "process.terminal", &p->terminal, err);
	if (ret == 0)
		ret = config_bool(json_object_get(process, "noNewPrivileges"),
				  file, "process.noNewPrivileges",
				  &p->no_new_privileges, err);
	if (ret == 0)
		ret = config_integer(json_object_get(process, "oomScoreAdj"),
				     file, "process.oomScoreAdj", -1000, 1000,
				     &oom, err);
	if (ret == 0)
		ret = config_string(json_object_get(process, "selinuxLabel"),
				    file, "process.selinuxLabel",
				    &p->selinux_label, err);
	p->has_oom_score_adj = oom != INT64_MIN;
	p->oom_score_adj = p->has_oom_score_adj ? oom : 0;
	return ret;
}

int config_parse_process(struct container_config *config,
			 const json_t *process, struct mntns_error *err)
{
	const char *file = config->config_path;

	if (!process)
		return fail(err, EINVAL, "%s: process: missing: give at least "
			    "process.args and process.cwd", file);
	if (!json_is_object(process))
		return config_type_error(err, file, "process", "an object",
					 process);

	int ret = parse_args(config, process, err);
	if (ret == 0)
		ret = config_absolute_path(json_object_get(process, "cwd"),
					   file, "process.cwd",
					   &config->process.cwd, err);
	if (ret == 0 && !config->process.cwd)
		ret = fail(err, EINVAL, "%s: process.cwd: missing: give the "
			   "working directory, such as \"/\"", file);
	if (ret == 0)
		ret = parse_flags(config, process, err);
	if (ret == 0)
		ret = parse_console_size(config,
					 json_object_get(process,
							 "consoleSize"), err);
	if (ret == 0)
		ret = parse_user(config, json_object_get(process, "user"),
				 err);
	if (ret == 0)
		ret = parse_rlimits(config,
				    json_object_get(process, "rlimits"), err);
	if (ret == 0)
		ret = config_parse_capabilities(config,
						json_object_get(process,
								"capabilities"),
						err);
	return ret;
}
