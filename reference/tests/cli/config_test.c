/*
 * Tests of the config.json parser and of the default document: each bad
 * document gets its own case that checks the message.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <atf-c.h>

#include "cli.h"

#define CONFIG_FILE "/bundle/config.json"

/* A small valid document; cases change one property of it. */
static json_t *base_document(void)
{
	json_t *doc = json_loads(
		"{\"ociVersion\": \"1.0.2\","
		" \"root\": {\"path\": \"rootfs\", \"readonly\": true},"
		" \"process\": {\"args\": [\"sh\", \"-c\", \"true\"],"
		"   \"env\": [\"PATH=/bin\"], \"cwd\": \"/\"},"
		" \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\","
		"   \"source\": \"proc\"}],"
		" \"linux\": {\"namespaces\": [{\"type\": \"mount\"},"
		"   {\"type\": \"pid\"}]}}",
		0, NULL);
	ATF_REQUIRE(doc != NULL);
	if (mkdir("rootfs", 0755) < 0)
		ATF_REQUIRE_EQ(errno, EEXIST);
	return doc;
}

/* Sets the property at a dotted path, creating objects on the way. */
static void set_value(json_t *doc, const char *path, json_t *value)
{
	char buffer[256];
	json_t *node = doc;

	snprintf(buffer, sizeof(buffer), "%s", path);
	char *key = buffer;
	for (char *dot; (dot = strchr(key, '.')); key = dot + 1) {
		*dot = '\0';
		json_t *child = json_object_get(node, key);
		if (!child) {
			child = json_object();
			json_object_set_new(node, key, child);
		}
		node = child;
	}
	json_object_set_new(node, key, value);
}

static json_t *parse_json(const char *text)
{
	json_error_t err;
	json_t *value = json_loads(text, JSON_DECODE_ANY, &err);

	ATF_REQUIRE_MSG(value != NULL, "bad test JSON %s: %s", text, err.text);
	return value;
}

static int load(json_t *doc, struct container_config *config,
		struct mntns_error *err)
{
	char *text = json_dumps(doc, 0);
	int ret = config_load_string(text, CONFIG_FILE, ".", config, err);

	free(text);
	json_decref(doc);
	return ret;
}

static void expect_error(json_t *doc, const char *expected)
{
	struct container_config config;
	struct mntns_error err = { 0 };

	int ret = load(doc, &config, &err);
	config_free(&config);
	ATF_REQUIRE_MSG(ret < 0, "expected the error \"%s\", got success",
			expected);
	ATF_CHECK_MSG(strstr(err.message, expected) != NULL,
		      "expected \"%s\" in the message, got \"%s\"", expected,
		      err.message);
}

static void expect_change_error(const char *path, const char *value,
				const char *expected)
{
	json_t *doc = base_document();

	set_value(doc, path, parse_json(value));
	expect_error(doc, expected);
}

ATF_TC_WITHOUT_HEAD(config__minimal_document);
ATF_TC_BODY(config__minimal_document, tc)
{
	struct container_config config;
	struct mntns_error err = { 0 };
	char cwd[4096];

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	int ret = load(base_document(), &config, &err);
	ATF_REQUIRE_MSG(ret == 0, "unexpected error: %s", err.message);
	ATF_CHECK_STREQ(config.process.args[0], "sh");
	ATF_CHECK_STREQ(config.process.args[2], "true");
	ATF_CHECK(config.process.args[3] == NULL);
	ATF_CHECK_STREQ(config.process.cwd, "/");
	ATF_CHECK(config.readonly_root);
	ATF_CHECK_EQ(config.mounts_count, 1);
	ATF_CHECK_STREQ(config.mounts[0].type, "proc");
	ATF_CHECK_EQ(config.clone_flags, CLONE_NEWNS | CLONE_NEWPID);
	ATF_CHECK_MSG(strncmp(config.rootfs, cwd, strlen(cwd)) == 0,
		      "rootfs %s is not under %s", config.rootfs, cwd);
	config_free(&config);
}

ATF_TC_WITHOUT_HEAD(config__syntax_error_position);
ATF_TC_BODY(config__syntax_error_position, tc)
{
	struct container_config config;
	struct mntns_error err = { 0 };

	int ret = config_load_string("{\n  \"ociVersion\": \"1.0.2\",\n  ]\n}",
				     CONFIG_FILE, ".", &config, &err);
	config_free(&config);
	ATF_REQUIRE(ret < 0);
	ATF_CHECK_MSG(strncmp(err.message, CONFIG_FILE ":3:3: invalid JSON",
			      strlen(CONFIG_FILE ":3:3: invalid JSON")) == 0,
		      "expected \"%s:3:3: invalid JSON...\", got \"%s\"",
		      CONFIG_FILE, err.message);
}

ATF_TC_WITHOUT_HEAD(config__duplicate_key);
ATF_TC_BODY(config__duplicate_key, tc)
{
	struct container_config config;
	struct mntns_error err = { 0 };

	int ret = config_load_string("{\"ociVersion\": \"1.0.2\",\n"
				     "\"ociVersion\": \"1.0.2\"}",
				     CONFIG_FILE, ".", &config, &err);
	config_free(&config);
	ATF_REQUIRE(ret < 0);
	ATF_CHECK_MSG(strstr(err.message, ":2:") &&
			      strstr(err.message, "duplicate"),
		      "expected a duplicate key on line 2, got \"%s\"",
		      err.message);
}

ATF_TC_WITHOUT_HEAD(config__missing_file);
ATF_TC_BODY(config__missing_file, tc)
{
	struct container_config config;
	struct mntns_error err = { 0 };

	ATF_REQUIRE(mkdir("empty", 0755) == 0);
	int ret = config_load("empty", &config, &err);
	config_free(&config);
	ATF_REQUIRE(ret < 0);
	ATF_CHECK_MSG(strstr(err.message, "empty/config.json") &&
			      strstr(err.message, "mntns spec"),
		      "unexpected message \"%s\"", err.message);
}

ATF_TC_WITHOUT_HEAD(config__wrong_type);
ATF_TC_BODY(config__wrong_type, tc)
{
	expect_change_error("process.args", "5",
			    CONFIG_FILE ": process.args: expected an array "
			    "of strings, got integer 5");
}

ATF_TC_WITHOUT_HEAD(config__wrong_item_type);
ATF_TC_BODY(config__wrong_item_type, tc)
{
	expect_change_error("process.env", "[\"A=1\", true]",
			    "process.env[1]: expected a string, got boolean "
			    "true");
}

ATF_TC_WITHOUT_HEAD(config__relative_masked_path);
ATF_TC_BODY(config__relative_masked_path, tc)
{
	expect_change_error("linux.maskedPaths",
			    "[\"/proc/acpi\", \"/proc/keys\", \"proc/kcore\"]",
			    CONFIG_FILE ": linux.maskedPaths[2]: "
			    "\"proc/kcore\" is not absolute");
}

ATF_TC_WITHOUT_HEAD(config__relative_readonly_path);
ATF_TC_BODY(config__relative_readonly_path, tc)
{
	expect_change_error("linux.readonlyPaths", "[\"proc/sys\"]",
			    "linux.readonlyPaths[0]: \"proc/sys\" is not "
			    "absolute");
}

ATF_TC_WITHOUT_HEAD(config__unknown_propagation);
ATF_TC_BODY(config__unknown_propagation, tc)
{
	expect_change_error("linux.rootfsPropagation", "\"rsharde\"",
			    "linux.rootfsPropagation: \"rsharde\" is not a "
			    "propagation");
}

ATF_TC_WITHOUT_HEAD(config__bad_device_type);
ATF_TC_BODY(config__bad_device_type, tc)
{
	expect_change_error("linux.devices",
			    "[{\"path\": \"/dev/x\", \"type\": \"x\", "
			    "\"major\": 1, \"minor\": 3}]",
			    "linux.devices[0].type: \"x\" is not a device "
			    "type: use c, b, u or p");
}

ATF_TC_WITHOUT_HEAD(config__device_without_major);
ATF_TC_BODY(config__device_without_major, tc)
{
	expect_change_error("linux.devices",
			    "[{\"path\": \"/dev/x\", \"type\": \"c\", "
			    "\"minor\": 3}]",
			    "linux.devices[0].major: missing");
}

ATF_TC_WITHOUT_HEAD(config__fifo_without_numbers);
ATF_TC_BODY(config__fifo_without_numbers, tc)
{
	struct container_config config;
	struct mntns_error err = { 0 };
	json_t *doc = base_document();

	set_value(doc, "linux.devices",
		  parse_json("[{\"path\": \"/dev/fifo\", \"type\": \"p\", "
			     "\"fileMode\": 420}]"));
	int ret = load(doc, &config, &err);
	ATF_REQUIRE_MSG(ret == 0, "unexpected error: %s", err.message);
	ATF_CHECK_EQ(config.devices_count, 1);
	ATF_CHECK_EQ(config.devices[0].type, 'p');
	ATF_CHECK_EQ(config.devices[0].file_mode, 0644);
	config_free(&config);
}

ATF_TC_WITHOUT_HEAD(config__missing_rootfs);
ATF_TC_BODY(config__missing_rootfs, tc)
{
	expect_change_error("root.path", "\"nosuchdir\"",
			    "root.path: \"nosuchdir\"");
	expect_change_error("root.path", "\"nosuchdir\"",
			    "No such file or directory");
}

ATF_TC_WITHOUT_HEAD(config__destination_escapes);
ATF_TC_BODY(config__destination_escapes, tc)
{
	expect_change_error("mounts",
			    "[{\"destination\": \"/tmp/../../etc\", "
			    "\"type\": \"tmpfs\"}]",
			    "mounts[0].destination: \"/tmp/../../etc\" "
			    "contains \"..\"");
}

ATF_TC_WITHOUT_HEAD(config__relative_destination);
ATF_TC_BODY(config__relative_destination, tc)
{
	expect_change_error("mounts",
			    "[{\"destination\": \"tmp\", \"type\": "
			    "\"tmpfs\"}]",
			    "mounts[0].destination: \"tmp\" is not absolute");
}

ATF_TC_WITHOUT_HEAD(config__mount_without_type);
ATF_TC_BODY(config__mount_without_type, tc)
{
	expect_change_error("mounts", "[{\"destination\": \"/tmp\"}]",
			    "mounts[0].type: missing");
}

ATF_TC_WITHOUT_HEAD(config__unsupported_option);
ATF_TC_BODY(config__unsupported_option, tc)
{
	expect_change_error("mounts",
			    "[{\"destination\": \"/mnt\", \"source\": \"/tmp\","
			    " \"options\": [\"rbind\", \"idmap\"]}]",
			    "mounts[0].options[1]: \"idmap\" is not supported");
}

ATF_TC_WITHOUT_HEAD(config__no_mount_namespace);
ATF_TC_BODY(config__no_mount_namespace, tc)
{
	expect_change_error("linux.namespaces", "[{\"type\": \"pid\"}]",
			    "linux.namespaces: no new mount namespace");
}

ATF_TC_WITHOUT_HEAD(config__unknown_namespace);
ATF_TC_BODY(config__unknown_namespace, tc)
{
	expect_change_error("linux.namespaces",
			    "[{\"type\": \"mount\"}, {\"type\": \"mnt\"}]",
			    "linux.namespaces[1].type: \"mnt\" is not a "
			    "namespace type");
}

ATF_TC_WITHOUT_HEAD(config__duplicate_namespace);
ATF_TC_BODY(config__duplicate_namespace, tc)
{
	expect_change_error("linux.namespaces",
			    "[{\"type\": \"mount\"}, {\"type\": \"mount\"}]",
			    "linux.namespaces[1].type: \"mount\" is listed "
			    "twice");
}

ATF_TC_WITHOUT_HEAD(config__join_pid_namespace);
ATF_TC_BODY(config__join_pid_namespace, tc)
{
	expect_change_error("linux.namespaces",
			    "[{\"type\": \"mount\"}, {\"type\": \"pid\", "
			    "\"path\": \"/proc/1/ns/pid\"}]",
			    "joining an existing pid namespace is not "
			    "supported");
}

ATF_TC_WITHOUT_HEAD(config__mappings_without_user);
ATF_TC_BODY(config__mappings_without_user, tc)
{
	expect_change_error("linux.uidMappings",
			    "[{\"containerID\": 0, \"hostID\": 1000, "
			    "\"size\": 1}]",
			    "linux.uidMappings: set without a new user "
			    "namespace");
}

ATF_TC_WITHOUT_HEAD(config__user_without_mappings);
ATF_TC_BODY(config__user_without_mappings, tc)
{
	expect_change_error("linux.namespaces",
			    "[{\"type\": \"mount\"}, {\"type\": \"user\"}]",
			    "linux.uidMappings: missing");
}

ATF_TC_WITHOUT_HEAD(config__mapping_size_zero);
ATF_TC_BODY(config__mapping_size_zero, tc)
{
	json_t *doc = base_document();

	set_value(doc, "linux.namespaces",
		  parse_json("[{\"type\": \"mount\"}, {\"type\": \"user\"}]"));
	set_value(doc, "linux.uidMappings",
		  parse_json("[{\"containerID\": 0, \"hostID\": 0, "
			     "\"size\": 0}]"));
	set_value(doc, "linux.gidMappings",
		  parse_json("[{\"containerID\": 0, \"hostID\": 0, "
			     "\"size\": 1}]"));
	expect_error(doc, "linux.uidMappings[0].size: 0 is out of range");
}

ATF_TC_WITHOUT_HEAD(config__bad_env_entry);
ATF_TC_BODY(config__bad_env_entry, tc)
{
	expect_change_error("process.env", "[\"PATH=/bin\", \"NOVALUE\"]",
			    "process.env[1]: \"NOVALUE\" is not of the form "
			    "NAME=VALUE");
}

ATF_TC_WITHOUT_HEAD(config__empty_args);
ATF_TC_BODY(config__empty_args, tc)
{
	expect_change_error("process.args", "[]",
			    "process.args: missing or empty");
}

ATF_TC_WITHOUT_HEAD(config__relative_cwd);
ATF_TC_BODY(config__relative_cwd, tc)
{
	expect_change_error("process.cwd", "\"tmp\"",
			    "process.cwd: \"tmp\" is not absolute");
}

ATF_TC_WITHOUT_HEAD(config__bad_capability);
ATF_TC_BODY(config__bad_capability, tc)
{
	expect_change_error("process.capabilities",
			    "{\"bounding\": [\"CAP_CHOWN\", \"chown\"]}",
			    "process.capabilities.bounding[1]: \"chown\" is "
			    "not a capability name");
}

ATF_TC_WITHOUT_HEAD(config__capability_sets);
ATF_TC_BODY(config__capability_sets, tc)
{
	struct container_config config;
	struct mntns_error err = { 0 };
	json_t *doc = base_document();

	set_value(doc, "process.capabilities",
		  parse_json("{\"bounding\": [\"CAP_CHOWN\", \"CAP_KILL\"], "
			     "\"effective\": [\"CAP_KILL\"], "
			     "\"permitted\": [\"CAP_FUTURE_THING\"]}"));
	int ret = load(doc, &config, &err);
	ATF_REQUIRE_MSG(ret == 0, "unexpected error: %s", err.message);
	ATF_CHECK(config.process.has_capabilities);
	ATF_CHECK_EQ(config.process.capabilities.bounding,
		     (UINT64_C(1) << 0) | (UINT64_C(1) << 5));
	ATF_CHECK_EQ(config.process.capabilities.effective, UINT64_C(1) << 5);
	ATF_CHECK_EQ(config.process.capabilities.permitted, 0);
	config_free(&config);
}

ATF_TC_WITHOUT_HEAD(config__unknown_rlimit);
ATF_TC_BODY(config__unknown_rlimit, tc)
{
	expect_change_error("process.rlimits",
			    "[{\"type\": \"RLIMIT_FOO\", \"soft\": 1, "
			    "\"hard\": 1}]",
			    "process.rlimits[0].type: \"RLIMIT_FOO\" is not a "
			    "resource limit");
}

ATF_TC_WITHOUT_HEAD(config__hostname_without_uts);
ATF_TC_BODY(config__hostname_without_uts, tc)
{
	expect_change_error("hostname", "\"box\"",
			    "hostname: set without a new uts namespace");
}

ATF_TC_WITHOUT_HEAD(config__unknown_profile);
ATF_TC_BODY(config__unknown_profile, tc)
{
	expect_change_error("annotations",
			    "{\"" PROFILE_ANNOTATION "\": \"docker\"}",
			    "annotations." PROFILE_ANNOTATION ": \"docker\" "
			    "is not a profile");
}

ATF_TC_WITHOUT_HEAD(config__unknown_fields_ignored);
ATF_TC_BODY(config__unknown_fields_ignored, tc)
{
	struct container_config config;
	struct mntns_error err = { 0 };
	json_t *doc = base_document();

	set_value(doc, "vendor.extension", parse_json("{\"a\": [1, 2]}"));
	set_value(doc, "linux.futureThing", parse_json("true"));
	set_value(doc, "process.futureThing", parse_json("\"x\""));
	int ret = load(doc, &config, &err);
	ATF_CHECK_MSG(ret == 0, "unexpected error: %s", err.message);
	config_free(&config);
}

/* Runs load() with stderr sent to a file; returns what it printed. */
static char *load_capturing_stderr(json_t *doc, int *ret)
{
	struct container_config config;
	struct mntns_error err = { 0 };
	static char output[4096];

	int saved = dup(STDERR_FILENO);
	int fd = open("stderr.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE(saved >= 0 && fd >= 0);
	ATF_REQUIRE(dup2(fd, STDERR_FILENO) == STDERR_FILENO);
	*ret = load(doc, &config, &err);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	config_free(&config);

	ssize_t size = pread(fd, output, sizeof(output) - 1, 0);
	close(fd);
	output[size > 0 ? size : 0] = '\0';
	return output;
}

ATF_TC_WITHOUT_HEAD(config__unapplied_fields_warn);
ATF_TC_BODY(config__unapplied_fields_warn, tc)
{
	static const char *const fields[] = {
		"linux.seccomp", "linux.resources", "hooks",
		"process.apparmorProfile",
	};
	json_t *doc = base_document();
	int ret;

	set_value(doc, "linux.seccomp", parse_json("{\"defaultAction\": "
						   "\"SCMP_ACT_ALLOW\"}"));
	set_value(doc, "linux.resources", parse_json("{\"devices\": []}"));
	set_value(doc, "hooks", parse_json("{\"prestart\": []}"));
	set_value(doc, "process.apparmorProfile", parse_json("\"x\""));
	char *output = load_capturing_stderr(doc, &ret);
	ATF_REQUIRE_EQ(ret, 0);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char expected[256];
		snprintf(expected, sizeof(expected), "warning: %s: %s is not "
			 "applied", CONFIG_FILE, fields[i]);
		ATF_CHECK_MSG(strstr(output, expected) != NULL,
			      "expected \"%s\" in stderr, got \"%s\"",
			      expected, output);
	}
}

static struct mntns_mount_entry parse_options(const char *options)
{
	struct container_config config;
	struct mntns_error err = { 0 };
	json_t *doc = base_document();
	char mounts[512];

	snprintf(mounts, sizeof(mounts),
		 "[{\"destination\": \"/mnt\", \"type\": \"tmpfs\", \"source\": \"/tmp\", "
		 "\"options\": %s}]", options);
	set_value(doc, "mounts", parse_json(mounts));
	int ret = load(doc, &config, &err);
	ATF_REQUIRE_MSG(ret == 0, "unexpected error: %s", err.message);
	struct mntns_mount_entry entry = config.mounts[0];
	/* data points into config; keep a copy that outlives it. */
	static char data[256];
	snprintf(data, sizeof(data), "%s", entry.data ? entry.data : "");
	entry.data = data;
	entry.type = entry.source = entry.destination = entry.relabel = NULL;
	config_free(&config);
	return entry;
}

ATF_TC_WITHOUT_HEAD(config__mount_flags);
ATF_TC_BODY(config__mount_flags, tc)
{
	struct mntns_mount_entry entry = parse_options(
		"[\"ro\", \"nosuid\", \"nodev\", \"noexec\", \"noatime\"]");

	ATF_CHECK_EQ(entry.ms_flags, MS_RDONLY | MS_NOSUID | MS_NODEV |
					     MS_NOEXEC | MS_NOATIME);
	ATF_CHECK_EQ(entry.ms_clear, 0);
	ATF_CHECK_STREQ(entry.data, "");
}

ATF_TC_WITHOUT_HEAD(config__mount_later_option_wins);
ATF_TC_BODY(config__mount_later_option_wins, tc)
{
	struct mntns_mount_entry entry = parse_options(
		"[\"ro\", \"rw\", \"nosuid\", \"suid\", \"exec\"]");

	ATF_CHECK_EQ(entry.ms_flags, 0);
	ATF_CHECK_EQ(entry.ms_clear, MS_RDONLY | MS_NOSUID | MS_NOEXEC);
}

ATF_TC_WITHOUT_HEAD(config__mount_recursive_attributes);
ATF_TC_BODY(config__mount_recursive_attributes, tc)
{
	struct mntns_mount_entry entry = parse_options(
		"[\"rro\", \"rnosuid\", \"rnoatime\"]");

	ATF_CHECK_EQ(entry.attr_set, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					     MOUNT_ATTR_NOATIME);
	ATF_CHECK_EQ(entry.attr_clr, MOUNT_ATTR__ATIME);
}

ATF_TC_WITHOUT_HEAD(config__mount_propagation_and_bind);
ATF_TC_BODY(config__mount_propagation_and_bind, tc)
{
	struct mntns_mount_entry entry = parse_options(
		"[\"rbind\", \"rslave\"]");

	ATF_CHECK_EQ(entry.propagation, MNTNS_PROPAGATION_SLAVE);
	ATF_CHECK(entry.flags & MNTNS_ENTRY_PROPAGATION_RECURSIVE);
	ATF_CHECK(entry.flags & MNTNS_ENTRY_BIND);
	ATF_CHECK(entry.flags & MNTNS_ENTRY_RECURSIVE);
}

ATF_TC_WITHOUT_HEAD(config__mount_data_options);
ATF_TC_BODY(config__mount_data_options, tc)
{
	struct mntns_mount_entry entry = parse_options(
		"[\"nodev\", \"mode=755\", \"size=1m\", \"uid=5\"]");

	ATF_CHECK_STREQ(entry.data, "mode=755,size=1m,uid=5");
	ATF_CHECK_EQ(entry.ms_flags, MS_NODEV);
}

ATF_TC_WITHOUT_HEAD(config__cgroup_mount_converted);
ATF_TC_BODY(config__cgroup_mount_converted, tc)
{
	struct container_config config;
	struct mntns_error err = { 0 };
	json_t *doc = base_document();

	set_value(doc, "mounts",
		  parse_json("[{\"destination\": \"/sys/fs/cgroup\", "
			     "\"type\": \"cgroup\", \"source\": \"cgroup\", "
			     "\"options\": [\"nosuid\", \"cpu,cpuacct\"]}]"));
	int ret = load(doc, &config, &err);
	ATF_REQUIRE_MSG(ret == 0, "unexpected error: %s", err.message);
	ATF_CHECK_STREQ(config.mounts[0].type, "cgroup2");
	ATF_CHECK(config.mounts[0].ms_flags & MS_RDONLY);
	ATF_CHECK(config.mounts[0].data == NULL);
	ATF_CHECK(config.clone_flags & CLONE_NEWCGROUP);
	config_free(&config);
}

ATF_TC_WITHOUT_HEAD(config__relative_bind_source);
ATF_TC_BODY(config__relative_bind_source, tc)
{
	struct container_config config;
	struct mntns_error err = { 0 };
	json_t *doc = base_document();

	set_value(doc, "mounts",
		  parse_json("[{\"destination\": \"/data\", \"type\": "
			     "\"bind\", \"source\": \"data\"}]"));
	int ret = load(doc, &config, &err);
	ATF_REQUIRE_MSG(ret == 0, "unexpected error: %s", err.message);
	ATF_CHECK_STREQ(config.mounts[0].source, "./data");
	ATF_CHECK(config.mounts[0].flags & MNTNS_ENTRY_BIND);
	ATF_CHECK(!(config.mounts[0].flags & MNTNS_ENTRY_RECURSIVE));
	config_free(&config);
}

static json_t *reload_spec(enum profile profile,
			   struct container_config *config)
{
	struct spec_options options = { .profile = profile };
	struct mntns_error err = { 0 };
	json_t *doc = spec_build(&options);

	ATF_REQUIRE(doc != NULL);
	/* Only for the rootfs directory that base_document() creates. */
	json_decref(base_document());
	int ret = load(json_incref(doc), config, &err);
	ATF_REQUIRE_MSG(ret == 0, "the default document is invalid: %s",
			err.message);
	return doc;
}

ATF_TC_WITHOUT_HEAD(spec__oci_default);
ATF_TC_BODY(spec__oci_default, tc)
{
	struct container_config config;
	json_t *doc = reload_spec(PROFILE_OCI, &config);

	ATF_CHECK_EQ(config.profile, PROFILE_OCI);
	ATF_CHECK_EQ(config.masked_paths_count, 10);
	ATF_CHECK_STREQ(config.masked_paths[2], "/proc/kcore");
	ATF_CHECK_EQ(config.readonly_paths_count, 5);
	ATF_CHECK_EQ(config.mounts_count, 7);
	ATF_CHECK_STREQ(config.mounts[1].data, "mode=755,size=65536k");
	ATF_CHECK_STREQ(config.mounts[6].type, "cgroup2");
	ATF_CHECK(config.readonly_root);
	ATF_CHECK(config.process.terminal);
	ATF_CHECK(config.process.no_new_privileges);
	ATF_CHECK(json_object_get(json_object_get(doc, "linux"),
				  "resources") == NULL);
	json_decref(doc);
	config_free(&config);
}

ATF_TC_WITHOUT_HEAD(spec__libcontainer_2015);
ATF_TC_BODY(spec__libcontainer_2015, tc)
{
	struct container_config config;
	json_t *doc = reload_spec(PROFILE_LIBCONTAINER_2015, &config);

	ATF_CHECK_EQ(config.profile, PROFILE_LIBCONTAINER_2015);
	ATF_CHECK_EQ(config.masked_paths_count, 0);
	ATF_CHECK_EQ(config.mounts_count, 6);
	ATF_CHECK_STREQ(config.mounts[0].destination, "/proc");
	ATF_CHECK_EQ(config.mounts[0].ms_flags, MS_NOSUID | MS_NODEV |
							MS_NOEXEC);
	ATF_CHECK_STREQ(config.mounts[4].data,
			"newinstance,ptmxmode=0666,mode=620,gid=5");
	ATF_CHECK(!config.readonly_root);
	json_decref(doc);
	config_free(&config);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, config__minimal_document);
	ATF_TP_ADD_TC(tp, config__syntax_error_position);
	ATF_TP_ADD_TC(tp, config__duplicate_key);
	ATF_TP_ADD_TC(tp, config__missing_file);
	ATF_TP_ADD_TC(tp, config__wrong_type);
	ATF_TP_ADD_TC(tp, config__wrong_item_type);
	ATF_TP_ADD_TC(tp, config__relative_masked_path);
	ATF_TP_ADD_TC(tp, config__relative_readonly_path);
	ATF_TP_ADD_TC(tp, config__unknown_propagation);
	ATF_TP_ADD_TC(tp, config__bad_device_type);
	ATF_TP_ADD_TC(tp, config__device_without_major);
	ATF_TP_ADD_TC(tp, config__fifo_without_numbers);
	ATF_TP_ADD_TC(tp, config__missing_rootfs);
	ATF_TP_ADD_TC(tp, config__destination_escapes);
	ATF_TP_ADD_TC(tp, config__relative_destination);
	ATF_TP_ADD_TC(tp, config__mount_without_type);
	ATF_TP_ADD_TC(tp, config__unsupported_option);
	ATF_TP_ADD_TC(tp, config__no_mount_namespace);
	ATF_TP_ADD_TC(tp, config__unknown_namespace);
	ATF_TP_ADD_TC(tp, config__duplicate_namespace);
	ATF_TP_ADD_TC(tp, config__join_pid_namespace);
	ATF_TP_ADD_TC(tp, config__mappings_without_user);
	ATF_TP_ADD_TC(tp, config__user_without_mappings);
	ATF_TP_ADD_TC(tp, config__mapping_size_zero);
	ATF_TP_ADD_TC(tp, config__bad_env_entry);
	ATF_TP_ADD_TC(tp, config__empty_args);
	ATF_TP_ADD_TC(tp, config__relative_cwd);
	ATF_TP_ADD_TC(tp, config__bad_capability);
	ATF_TP_ADD_TC(tp, config__capability_sets);
	ATF_TP_ADD_TC(tp, config__unknown_rlimit);
	ATF_TP_ADD_TC(tp, config__hostname_without_uts);
	ATF_TP_ADD_TC(tp, config__unknown_profile);
	ATF_TP_ADD_TC(tp, config__unknown_fields_ignored);
	ATF_TP_ADD_TC(tp, config__unapplied_fields_warn);
	ATF_TP_ADD_TC(tp, config__mount_flags);
	ATF_TP_ADD_TC(tp, config__mount_later_option_wins);
	ATF_TP_ADD_TC(tp, config__mount_recursive_attributes);
	ATF_TP_ADD_TC(tp, config__mount_propagation_and_bind);
	ATF_TP_ADD_TC(tp, config__mount_data_options);
	ATF_TP_ADD_TC(tp, config__cgroup_mount_converted);
	ATF_TP_ADD_TC(tp, config__relative_bind_source);
	ATF_TP_ADD_TC(tp, spec__oci_default);
	ATF_TP_ADD_TC(tp, spec__libcontainer_2015);
	return atf_no_error();
}
