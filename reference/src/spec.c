/*
 * The default config.json that "mntns spec" writes.  The oci profile is
 * the document Debian's runc 1.1.5 writes with "runc spec", less the
 * fields mntns does not apply (linux.resources).  The libcontainer-2015
 * profile has the system mounts, capabilities and writable root of the
 * libcontainer mount package of early 2015.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"

struct spec_mount {
	const char *destination;
	const char *type;
	const char *source;
	const char *options; /* comma-separated, or NULL */
};

static const struct spec_mount oci_mounts[] = {
	{ "/proc", "proc", "proc", NULL },
	{ "/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755,size=65536k" },
	{ "/dev/pts", "devpts", "devpts",
	  "nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5" },
	{ "/dev/shm", "tmpfs", "shm", "nosuid,noexec,nodev,mode=1777,"
				     "size=65536k" },
	{ "/dev/mqueue", "mqueue", "mqueue", "nosuid,noexec,nodev" },
	{ "/sys", "sysfs", "sysfs", "nosuid,noexec,nodev,ro" },
	{ "/sys/fs/cgroup", "cgroup", "cgroup",
	  "nosuid,noexec,nodev,relatime,ro" },
};

static const struct spec_mount libcontainer_2015_mounts[] = {
	{ "/proc", "proc", "proc", "nosuid,nodev,noexec" },
	{ "/dev", "tmpfs", "tmpfs", "nosuid,strictatime,mode=755" },
	{ "/dev/shm", "tmpfs", "shm", "nosuid,nodev,noexec,mode=1777,"
				     "size=65536k" },
	{ "/dev/mqueue", "mqueue", "mqueue", "nosuid,nodev,noexec" },
	{ "/dev/pts", "devpts", "devpts",
	  "nosuid,noexec,newinstance,ptmxmode=0666,mode=620,gid=5" },
	{ "/sys", "sysfs", "sysfs", "nosuid,nodev,noexec,ro" },
};

static const char *const oci_masked_paths[] = {
	"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware", NULL,
};

static const char *const oci_readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger", NULL,
};

static const char *const oci_capabilities[] = {
	"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", NULL,
};

/* Docker's default set, which its native driver gave every container in
 * early 2015. */
static const char *const libcontainer_2015_capabilities[] = {
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
	"CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
	"CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
	"CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE", NULL,
};

static const char *const default_namespaces[] = {
	"pid", "network", "ipc", "uts", "mount", "cgroup", NULL,
};

static const char *const default_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"TERM=xterm", NULL,
};

static json_t *string_array(const char *const *strings)
{
	json_t *array = json_array();

	for (size_t i = 0; array && strings[i]; i++)
		json_array_append_new(array, json_string(strings[i]));
	return array;
}

static json_t *split_options(const char *options)
{
	json_t *array = json_array();
	char buffer[256];

	snprintf(buffer, sizeof(buffer), "%s", options);
	for (char *save = NULL, *option = strtok_r(buffer, ",", &save);
	     option; option = strtok_r(NULL, ",", &save))
		json_array_append_new(array, json_string(option));
	return array;
}

static json_t *build_mounts(const struct spec_mount *table, size_t count,
			    bool rootless)
{
	json_t *mounts = json_array();

	for (size_t i = 0; i < count; i++) {
		struct spec_mount mount = table[i];
		/* Without a network namespace of its own a user namespace
		 * cannot mount sysfs, so rootless binds the host's. */
		if (rootless && strcmp(mount.type, "sysfs") == 0) {
			mount.type = "bind";
			mount.source = "/sys";
			mount.options = "rbind,nosuid,noexec,nodev,ro";
		}
		/* gid 5 is not mapped in a rootless user namespace. */
		if (rootless && strcmp(mount.type, "devpts") == 0)
			mount.options = "nosuid,noexec,newinstance,"
					"ptmxmode=0666,mode=0620";
		json_t *item = json_pack("{s:s, s:s, s:s}", "destination",
					 mount.destination, "type", mount.type,
					 "source", mount.source);
		if (mount.options)
			json_object_set_new(item, "options",
					    split_options(mount.options));
		json_array_append_new(mounts, item);
	}
	return mounts;
}

static json_t *build_capabilities(const char *const *names)
{
	static const char *const sets[] = {
		"bounding", "effective", "permitted", "ambient",
	};
	json_t *capabilities = json_object();

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		json_object_set_new(capabilities, sets[i],
				    string_array(names));
	return capabilities;
}

static json_t *build_process(const struct spec_options *options)
{
	bool old = options->profile == PROFILE_LIBCONTAINER_2015;
	const char *const args[] = { "sh", NULL };

	return json_pack("{s:b, s:{s:i, s:i}, s:o, s:o, s:s, s:o, s:[{s:s, "
			 "s:i, s:i}], s:b}",
			 "terminal", 1,
			 "user", "uid", 0, "gid", 0,
			 "args", string_array(args),
			 "env", string_array(default_env),
			 "cwd", "/",
			 "capabilities",
			 build_capabilities(old ?
					    libcontainer_2015_capabilities :
					    oci_capabilities),
			 "rlimits", "type", "RLIMIT_NOFILE", "hard", 1024,
			 "soft", 1024,
			 "noNewPrivileges", !old);
}

static json_t *build_mappings(unsigned int host_id)
{
	return json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID",
			 (json_int_t)host_id, "size", 1);
}

static json_t *build_linux(const struct spec_options *options)
{
	json_t *linux_ = json_object();
	json_t *namespaces = json_array();

	for (size_t i = 0; default_namespaces[i]; i++) {
		if (options->rootless &&
		    strcmp(default_namespaces[i], "network") == 0)
			continue;
		json_array_append_new(namespaces,
				      json_pack("{s:s}", "type",
						default_namespaces[i]));
	}
	if (options->rootless) {
		json_array_append_new(namespaces,
				      json_pack("{s:s}", "type", "user"));
		json_object_set_new(linux_, "uidMappings",
				    build_mappings(getuid()));
		json_object_set_new(linux_, "gidMappings",
				    build_mappings(getgid()));
	}
	json_object_set_new(linux_, "namespaces", namespaces);
	if (options->profile == PROFILE_OCI) {
		json_object_set_new(linux_, "maskedPaths",
				    string_array(oci_masked_paths));
		json_object_set_new(linux_, "readonlyPaths",
				    string_array(oci_readonly_paths));
	}
	return linux_;
}

json_t *spec_build(const struct spec_options *options)
{
	bool old = options->profile == PROFILE_LIBCONTAINER_2015;
	json_t *mounts = old ?
		build_mounts(libcontainer_2015_mounts,
			     sizeof(libcontainer_2015_mounts) /
				     sizeof(libcontainer_2015_mounts[0]),
			     options->rootless) :
		build_mounts(oci_mounts,
			     sizeof(oci_mounts) / sizeof(oci_mounts[0]),
			     options->rootless);

	json_t *document = json_pack(
		"{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}",
		"ociVersion", OCI_VERSION,
		"process", build_process(options),
		"root", "path", "rootfs", "readonly", !old,
		"hostname", "mntns",
		"mounts", mounts,
		"linux", build_linux(options));
	if (document && old)
		json_object_set_new(document, "annotations",
				    json_pack("{s:s}", PROFILE_ANNOTATION,
					      "libcontainer-2015"));
	return document;
}

int spec_profile_from_name(const char *name, enum profile *out)
{
	if (strcmp(name, "oci") == 0)
		*out = PROFILE_OCI;
	else if (strcmp(name, "libcontainer-2015") == 0)
		*out = PROFILE_LIBCONTAINER_2015;
	else
		return -EINVAL;
	return 0;
}
