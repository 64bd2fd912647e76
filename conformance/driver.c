/*
 * Runtime driver: bundle construction, the runtime's run, and the report.
 */
#include "driver.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT 60

static const char *config_var(const struct bundle *b, const char *name,
			      const char *fallback)
{
	if (!atf_tc_has_config_var(b->tc, name))
		return fallback;
	return atf_tc_get_config_var(b->tc, name);
}

void path_format(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= size)
		atf_tc_fail("path too long (over %zu bytes): %s...", size - 1,
			    out);
}

void require_tool(const char *what, const char *why)
{
	const char *ci = getenv("CI");

	if (ci && !strcmp(ci, "true"))
		atf_tc_fail("%s is missing (%s), and CI=true makes this a "
			    "failure", what, why);
	atf_tc_skip("%s is missing: %s", what, why);
}

/* mkdir -p: creates path and its missing parents with mode 0755. */
static void make_directories(const char *path)
{
	char copy[PATH_MAX];

	char *slash;

	path_format(copy, sizeof(copy), "%s", path);
	slash = copy;
	do {
		slash = strchr(slash + 1, '/');
		if (slash)
			*slash = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST)
			atf_tc_fail("mkdir %s failed: %s", copy,
				    strerror(errno));
		if (slash)
			*slash = '/';
	} while (slash);
}

static void find_top(struct bundle *b)
{
	char srcdir[PATH_MAX];

	if (!realpath(atf_tc_get_config_var(b->tc, "srcdir"), srcdir))
		atf_tc_fail("realpath of srcdir %s failed: %s",
			    atf_tc_get_config_var(b->tc, "srcdir"),
			    strerror(errno));
	snprintf(b->top, sizeof(b->top), "%s", dirname(srcdir));
}

static bool find_in_path(const char *name, char *out, size_t size)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	bool found = false;

	copy = strdup(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		snprintf(out, size, "%s/%s", dir, name);
		found = access(out, X_OK) == 0;
	}
	free(copy);
	return found;
}

/* Finds the reference mntns.  A source tree (one with reference/src)
 * uses its own build.  make install puts the suite in PREFIX/tests/mntns
 * and mntns in PREFIX/bin, so an installed suite uses the program two
 * levels above its top, under DESTDIR too.  Both fall back to mntns in
 * PATH. */
static bool find_reference(const struct bundle *b, char *path, size_t size)
{
	char source[PATH_MAX], prefix[PATH_MAX];
	struct stat st;

	path_format(source, sizeof(source), "%s/reference/src", b->top);
	if (stat(source, &st) == 0 && S_ISDIR(st.st_mode)) {
		path_format(path, size, "%s/mntns", source);
	} else {
		path_format(prefix, sizeof(prefix), "%s", b->top);
		path_format(path, size, "%s/bin/mntns",
			    dirname(dirname(prefix)));
	}
	return access(path, X_OK) == 0 || find_in_path("mntns", path, size);
}

/* Resolves the "runtime" variable: a path (relative to the top), "mntns"
 * for the reference, "nspawn" for systemd-nspawn through the driver in
 * conformance/drivers, or a name looked up in PATH. */
static void find_runtime(struct bundle *b)
{
	const char *name = config_var(b, "runtime", "mntns");
	const char *default_name = NULL;
	char path[PATH_MAX];
	bool found;

	if (!strcmp(name, "nspawn")) {
		path_format(path, sizeof(path),
			    "%s/conformance/drivers/nspawn-oci", b->top);
		found = access(path, X_OK) == 0;
		default_name = "nspawn";
		if (found && !find_in_path("systemd-nspawn", b->runtime,
					   sizeof(b->runtime)))
			require_tool("systemd-nspawn", "install "
				     "systemd-container to test nspawn");
	} else if (strchr(name, '/')) {
		path_format(path, sizeof(path), "%s%s%s",
			 name[0] == '/' ? "" : b->top,
			 name[0] == '/' ? "" : "/", name);
		found = access(path, X_OK) == 0;
	} else if (!strcmp(name, "mntns")) {
		found = find_reference(b, path, sizeof(path));
	} else {
		found = find_in_path(name, path, sizeof(path));
	}
	if (!found)
		require_tool(name, "build the reference and the drivers with "
				   "make or install them with make install, or "
				   "set test_suites.mntns.runtime to a runtime");
	snprintf(b->runtime, sizeof(b->runtime), "%s", path);
	snprintf(b->runtime_name, sizeof(b->runtime_name), "%s",
		 config_var(b, "runtime_name",
			    default_name ? default_name : basename(path)));
}

static void read_profile(struct bundle *b)
{
	const char *profile = config_var(b, "profile", "oci");
	const char *lifecycle = config_var(b, "lifecycle", "run");

	if (!strcmp(profile, "oci"))
		b->profile = PROFILE_OCI;
	else if (!strcmp(profile, "libcontainer-2015"))
		b->profile = PROFILE_LIBCONTAINER_2015;
	else
		atf_tc_fail("invalid profile \"%s\": use oci or "
			    "libcontainer-2015", profile);
	if (!strcmp(lifecycle, "run"))
		b->create_start = false;
	else if (!strcmp(lifecycle, "create-start"))
		b->create_start = true;
	else
		atf_tc_fail("invalid lifecycle \"%s\": use run or "
			    "create-start", lifecycle);
}

/* The per-case rootfs: the mount points runtimes need, the directories
 * cases mount over, and a few small /etc files.  Building it takes about
 * a millisecond, where copying a busybox tree (290 entries, mostly
 * symlinks) took 0.3 s per case on ext4 in a 2-core VM. */
static const struct rootfs_dir {
	const char *path;
	mode_t mode;
} rootfs_dirs[] = {
	{ "bin", 0755 },  { "dev", 0755 },  { "etc", 0755 },
	{ "home", 0755 }, { "mnt", 0755 },  { "proc", 0755 },
	{ "root", 0700 }, { "run", 0755 },  { "sys", 0755 },
	{ "tmp", 01777 }, { "usr", 0755 },  { "var", 0755 },
	{ "var/tmp", 01777 },
};

static const struct rootfs_file {
	const char *path;
	const char *content;
} rootfs_files[] = {
	{ "etc/passwd",
	  "root:x:0:0:root:/root:/bin/sh\n"
	  "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n" },
	{ "etc/group", "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n" },
	{ "etc/hostname", "mntns-rootfs\n" },
};

static void write_file(const char *path, const char *content, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	size_t len = strlen(content);

	if (fd < 0 || write(fd, content, len) != (ssize_t)len ||
	    fchmod(fd, mode) < 0)
		atf_tc_fail("write %s failed: %s", path, strerror(errno));
	close(fd);
}

/* Copies src to dest, keeping its mode. */
static void copy_file(const char *src, const char *dest)
{
	char buf[65536];
	struct stat st;
	int in, out;
	ssize_t len;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0 || fstat(in, &st) < 0)
		atf_tc_fail("copy of %s to %s failed: %s", src, dest,
			    strerror(errno));
	out = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		   st.st_mode & 07777);
	if (out < 0)
		atf_tc_fail("copy of %s to %s failed: %s", src, dest,
			    strerror(errno));
	/* copy_file_range(2) fails with EXDEV between filesystems of two
	 * types, which is when this copy runs. */
	while ((len = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)len) != len)
			break;
	if (len != 0 || fchmod(out, st.st_mode & 07777) < 0 || close(out) < 0)
		atf_tc_fail("copy of %s to %s failed: %s", src, dest,
			    strerror(errno));
	close(in);
}

/* Builds the rootfs from the tables above and puts the probe at
 * /bin/mntns-probe: a hard link to the built probe, or a copy when the
 * work directory is on another filesystem.  The linker writes a new file
 * on each build, so a case that runs during a rebuild keeps the old one. */
static void build_rootfs(struct bundle *b)
{
	char probe[PATH_MAX], path[PATH_MAX];

	path_format(probe, sizeof(probe), "%s/conformance/probe/mntns-probe",
		    b->top);
	if (access(probe, X_OK) != 0)
		atf_tc_fail("%s not found: run make in conformance/", probe);
	if (mkdir(b->rootfs, 0755) < 0)
		atf_tc_fail("mkdir %s failed: %s", b->rootfs, strerror(errno));
	for (size_t i = 0; i < sizeof(rootfs_dirs) / sizeof(*rootfs_dirs);
	     i++) {
		path_format(path, sizeof(path), "%s/%s", b->rootfs,
			    rootfs_dirs[i].path);
		if (mkdir(path, 0700) < 0 || chmod(path, rootfs_dirs[i].mode))
			atf_tc_fail("mkdir %s failed: %s", path,
				    strerror(errno));
	}
	for (size_t i = 0; i < sizeof(rootfs_files) / sizeof(*rootfs_files);
	     i++) {
		path_format(path, sizeof(path), "%s/%s", b->rootfs,
			    rootfs_files[i].path);
		write_file(path, rootfs_files[i].content, 0644);
	}
	path_format(path, sizeof(path), "%s/bin/mntns-probe", b->rootfs);
	if (link(probe, path) < 0)
		copy_file(probe, path);
}

static void load_config(struct bundle *b)
{
	char path[PATH_MAX];
	json_error_t error;

	path_format(path, sizeof(path), "%s/fixtures/config/%s.json", b->top,
		 b->profile == PROFILE_OCI ? "oci" : "libcontainer-2015");
	b->config = json_load_file(path, 0, &error);
	if (!b->config)
		atf_tc_fail("%s:%d:%d: %s", path, error.line, error.column,
			    error.text);
}

void bundle_init(struct bundle *b, const atf_tc_t *tc)
{
	static unsigned int counter;
	char cwd[PATH_MAX];

	memset(b, 0, sizeof(*b));
	b->tc = tc;
	b->launcher_umask = 022;
	b->timeout = DEFAULT_TIMEOUT;
	find_top(b);
	read_profile(b);
	find_runtime(b);
	if (!getcwd(cwd, sizeof(cwd)))
		atf_tc_fail("getcwd failed: %s", strerror(errno));
	path_format(b->dir, sizeof(b->dir), "%s/bundle%u", cwd, counter);
	path_format(b->rootfs, sizeof(b->rootfs), "%s/rootfs", b->dir);
	snprintf(b->id, sizeof(b->id), "mntns-conf-%d-%u", (int)getpid(),
		 counter++);
	if (mkdir(b->dir, 0755) < 0)
		atf_tc_fail("mkdir %s failed: %s", b->dir, strerror(errno));
	build_rootfs(b);
	load_config(b);
	apply_known_deviations(b);
}

void bundle_probe(struct bundle *b, const char *fmt, ...)
{
	json_t *args = json_object_get(json_object_get(b->config, "process"),
				       "args");
	char *text;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		atf_tc_fail("vasprintf failed");
	va_end(ap);
	json_array_append_new(args, json_string(text));
	free(text);
}

void bundle_add_mount(struct bundle *b, const char *destination,
		      const char *type, const char *source,
		      const char *options)
{
	json_t *mounts = json_object_get(b->config, "mounts");
	json_t *mount = json_object();

	json_object_set_new(mount, "destination", json_string(destination));
	if (type)
		json_object_set_new(mount, "type", json_string(type));
	if (source)
		json_object_set_new(mount, "source", json_string(source));
	if (options) {
		json_t *list = json_array();
		char *copy = strdup(options), *save = NULL;

		for (char *opt = strtok_r(copy, ",", &save); opt;
		     opt = strtok_r(NULL, ",", &save))
			json_array_append_new(list, json_string(opt));
		free(copy);
		json_object_set_new(mount, "options", list);
	}
	if (!mounts) {
		mounts = json_array();
		json_object_set_new(b->config, "mounts", mounts);
	}
	json_array_append_new(mounts, mount);
}

json_t *bundle_find_mount(struct bundle *b, const char *destination)
{
	json_t *mount;
	size_t i;

	json_array_foreach(json_object_get(b->config, "mounts"), i, mount) {
		const char *dest = json_string_value(
			json_object_get(mount, "destination"));

		if (dest && !strcmp(dest, destination))
			return mount;
	}
	return NULL;
}

void config_set(struct bundle *b, const char *path, json_t *value)
{
	char *copy = strdup(path), *key = copy, *dot;
	json_t *obj = b->config;

	while ((dot = strchr(key, '.'))) {
		json_t *next;

		*dot = '\0';
		next = json_object_get(obj, key);
		if (!json_is_object(next)) {
			next = json_object();
			json_object_set_new(obj, key, next);
		}
		obj = next;
		key = dot + 1;
	}
	if (value)
		json_object_set_new(obj, key, value);
	else
		json_object_del(obj, key);
	free(copy);
}

const char *bundle_host_dir(struct bundle *b, const char *name)
{
	static char path[PATH_MAX];

	path_format(path, sizeof(path), "%s/host/%s", b->dir, name);
	make_directories(path);
	return path;
}

const char *bundle_host_file(struct bundle *b, const char *name,
			     const char *content)
{
	static char path[PATH_MAX];
	FILE *f;

	char parent[PATH_MAX];

	path_format(parent, sizeof(parent), "%s", name);
	bundle_host_dir(b, strchr(parent, '/') ? dirname(parent) : ".");
	path_format(path, sizeof(path), "%s/host/%s", b->dir, name);
	f = fopen(path, "we");
	if (!f || fputs(content, f) < 0 || fclose(f) != 0)
		atf_tc_fail("write %s failed: %s", path, strerror(errno));
	return path;
}

void report_free(struct report *r)
{
	free(r->output);
	free(r->errors);
	json_decref(r->json);
	mnt_unref_table(r->mounts);
	memset(r, 0, sizeof(*r));
}

void bundle_free(struct bundle *b)
{
	json_decref(b->config);
	b->config = NULL;
}

static void read_version(struct bundle *b)
{
	char command[PATH_MAX + 32], line[256] = "";
	FILE *p;

	if (b->runtime_version[0])
		return;
	snprintf(command, sizeof(command), "'%s' --version 2>&1", b->runtime);
	p = popen(command, "r");
	if (p) {
		if (!fgets(line, sizeof(line), p))
			line[0] = '\0';
		pclose(p);
	}
	for (char *word = strtok(line, " \t\n"); word;
	     word = strtok(NULL, " \t\n")) {
		if (word[0] >= '0' && word[0] <= '9') {
			snprintf(b->runtime_version,
				 sizeof(b->runtime_version), "%s", word);
			return;
		}
	}
	snprintf(b->runtime_version, sizeof(b->runtime_version), "unknown");
}

bool runtime_is(const struct bundle *b, const char *name,
		const char *fixed_in)
{
	struct bundle *mutable = (struct bundle *)b;

	if (strcmp(b->runtime_name, name) != 0)
		return false;
	if (!fixed_in)
		return true;
	read_version(mutable);
	return strverscmp(b->runtime_version, fixed_in) < 0;
}

void runtime_expect_fail(const struct bundle *b, const char *name,
			 const char *fixed_in, const char *reason)
{
	if (runtime_is(b, name, fixed_in))
		atf_tc_expect_fail("%s %s: %s", b->runtime_name,
				   b->runtime_version[0] ? b->runtime_version
							 : "(any version)",
				   reason);
}

void runtime_expect_fail_at(const struct bundle *b, const char *name,
			    const char *version, const char *reason)
{
	if (!runtime_is(b, name, NULL))
		return;
	read_version((struct bundle *)b);
	if (!strcmp(b->runtime_version, version))
		atf_tc_expect_fail("%s %s: %s", b->runtime_name,
				   b->runtime_version, reason);
}

void require_reference(const struct bundle *b, const char *what)
{
	if (strcmp(b->runtime_name, "mntns") != 0)
		atf_tc_skip("not applicable: %s cannot be requested from %s "
			    "through config.json", what, b->runtime_name);
}

void require_profile(const struct bundle *b, enum profile p)
{
	if (b->profile != p)
		atf_tc_skip("not applicable: the check belongs to the %s "
			    "profile", p == PROFILE_OCI ? "oci"
							: "libcontainer-2015");
}
