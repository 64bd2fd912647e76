/* Shared steps of the end-to-end tests. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static char *test_top(const atf_tc_t *tc)
{
	static char top[PATH_MAX];
	char joined[PATH_MAX];

	snprintf(joined, sizeof(joined), "%s/../../..",
		 atf_tc_get_config_var(tc, "srcdir"));
	ATF_REQUIRE_MSG(realpath(joined, top) != NULL, "realpath %s: %s",
			joined, strerror(errno));
	return top;
}

/* True for a source tree, false for the suite that make install puts in
 * PREFIX/tests/mntns, which has no reference/src. */
static bool is_source_tree(const char *top)
{
	char source[PATH_MAX];
	struct stat st;

	snprintf(source, sizeof(source), "%s/reference/src", top);
	return stat(source, &st) == 0 && S_ISDIR(st.st_mode);
}

/* make install puts mntns in PREFIX/bin, so installed tests use the
 * program two levels above the top, under DESTDIR too. */
const char *helper_mntns(const atf_tc_t *tc)
{
	static char path[PATH_MAX];
	char prefix[PATH_MAX];
	const char *top = test_top(tc);
	const char *hint = "run make in reference/src";

	if (is_source_tree(top)) {
		snprintf(path, sizeof(path), "%s/reference/src/mntns", top);
	} else {
		snprintf(prefix, sizeof(prefix), "%s", top);
		snprintf(path, sizeof(path), "%s/bin/mntns",
			 dirname(dirname(prefix)));
		hint = "install mntns with make install, in the same PREFIX "
		       "as the tests";
	}
	if (access(path, X_OK) < 0)
		atf_tc_fail("%s: %s: %s", path, strerror(errno), hint);
	return path;
}

static void run_checked(const char *const *argv)
{
	struct run_result result;

	helper_run(argv, 120, &result);
	ATF_REQUIRE_MSG(result.status == 0, "%s exited %d: %s", argv[0],
			result.status, result.err);
	helper_free_result(&result);
}

/* Creates and returns the directory that caches the rootfs: build/ in a
 * source tree.  An installed suite may sit on a read-only /usr, and
 * root.readonly false needs a writable rootfs, so it uses
 * INSTALLED_CACHE.  That directory sits in the world-writable /var/tmp
 * and containers run what it holds, so it must be a directory of the
 * caller's uid that no one else can write. */
#define INSTALLED_CACHE "/var/tmp/mntns-tests"

static const char *cache_dir(const char *top)
{
	/* Leaves room for the names that helper_rootfs() appends. */
	static char build[PATH_MAX - 32];
	const char *dir = INSTALLED_CACHE;
	struct stat st;

	if (is_source_tree(top)) {
		if (snprintf(build, sizeof(build), "%s/build", top) >=
		    (int)sizeof(build))
			atf_tc_fail("%s/build: path too long", top);
		if (mkdir(build, 0755) < 0)
			ATF_REQUIRE_EQ(errno, EEXIST);
		return build;
	}
	if (mkdir(dir, 0755) == 0)
		ATF_REQUIRE_MSG(chmod(dir, 0755) == 0, "chmod %s: %s", dir,
				strerror(errno));
	else
		ATF_REQUIRE_MSG(errno == EEXIST, "mkdir %s: %s", dir,
				strerror(errno));
	ATF_REQUIRE_MSG(lstat(dir, &st) == 0, "lstat %s: %s", dir,
			strerror(errno));
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022))
		atf_tc_fail("%s is not a directory of uid %d that only it can "
			    "write: remove it", dir, (int)geteuid());
	return dir;
}

/* Building takes about 1.5 s (one process per applet), so the rootfs is
 * built once, under a lock, and renamed into place when complete. */
const char *helper_rootfs(const atf_tc_t *tc)
{
	static char rootfs[PATH_MAX];
	char lock_path[PATH_MAX], partial[PATH_MAX], mkrootfs[PATH_MAX];
	const char *top = test_top(tc);
	const char *cache = cache_dir(top);

	snprintf(rootfs, sizeof(rootfs), "%s/cli-rootfs", cache);
	if (access(rootfs, F_OK) == 0)
		return rootfs;

	if (access("/bin/busybox", X_OK) < 0)
		atf_tc_skip("/bin/busybox is missing: install busybox-static");
	snprintf(lock_path, sizeof(lock_path), "%s/cli-rootfs.lock", cache);
	snprintf(partial, sizeof(partial), "%s/cli-rootfs.%d", cache,
		 (int)getpid());
	snprintf(mkrootfs, sizeof(mkrootfs), "%s/fixtures/mkrootfs", top);

	int lock = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	ATF_REQUIRE_MSG(lock >= 0, "open %s: %s", lock_path, strerror(errno));
	ATF_REQUIRE(flock(lock, LOCK_EX) == 0);
	if (access(rootfs, F_OK) < 0) {
		const char *argv[] = { mkrootfs, partial, NULL };
		run_checked(argv);
		ATF_REQUIRE_MSG(rename(partial, rootfs) == 0, "rename %s: %s",
				partial, strerror(errno));
	}
	close(lock);
	return rootfs;
}

json_t *helper_config(const atf_tc_t *tc, const char *script)
{
	return helper_config_spec(tc, NULL, script);
}

json_t *helper_config_spec(const atf_tc_t *tc, const char *spec_option,
			   const char *script)
{
	const char *spec_argv[] = { helper_mntns(tc), "spec", "-b", "bundle",
				    spec_option, NULL };
	json_error_t err;

	if (mkdir("bundle", 0755) < 0)
		ATF_REQUIRE_EQ(errno, EEXIST);
	unlink("bundle/config.json");
	run_checked(spec_argv);
	json_t *config = json_load_file("bundle/config.json", 0, &err);
	ATF_REQUIRE_MSG(config != NULL, "bundle/config.json: %s", err.text);

	json_t *process = json_object_get(config, "process");
	json_object_set_new(process, "terminal", json_false());
	json_object_set_new(process, "args",
			    json_pack("[s, s, s]", "sh", "-c", script));
	json_object_set_new(json_object_get(config, "root"), "path",
			    json_string(helper_rootfs(tc)));
	return config;
}

void helper_write_config(json_t *config)
{
	ATF_REQUIRE(json_dump_file(config, "bundle/config.json",
				   JSON_INDENT(1)) == 0);
}

void helper_remove_namespace(json_t *config, const char *type)
{
	json_t *namespaces = json_object_get(json_object_get(config, "linux"),
					     "namespaces");
	for (size_t i = 0; i < json_array_size(namespaces); i++) {
		json_t *item = json_array_get(namespaces, i);
		if (strcmp(json_string_value(json_object_get(item, "type")),
			   type) == 0) {
			json_array_remove(namespaces, i);
			return;
		}
	}
	atf_tc_fail("no %s namespace in the default config", type);
}

void helper_add_mount(json_t *config, const char *destination,
		      const char *type, const char *source,
		      const char *options)
{
	json_t *mount = json_pack("{s:s, s:s, s:s}", "destination",
				  destination, "type", type, "source", source);
	json_t *list = json_array();
	char buffer[512];

	snprintf(buffer, sizeof(buffer), "%s", options ? options : "");
	for (char *save = NULL, *item = strtok_r(buffer, ",", &save); item;
	     item = strtok_r(NULL, ",", &save))
		json_array_append_new(list, json_string(item));
	json_object_set_new(mount, "options", list);
	json_array_append_new(json_object_get(config, "mounts"), mount);
}

static char *read_file(const char *path)
{
	FILE *file = fopen(path, "r");
	char *text = NULL;
	size_t size = 0;

	ATF_REQUIRE_MSG(file != NULL, "open %s: %s", path, strerror(errno));
	FILE *stream = open_memstream(&text, &size);
	char buffer[4096];
	size_t n;
	while ((n = fread(buffer, 1, sizeof(buffer), file)) > 0)
		fwrite(buffer, 1, n, stream);
	fclose(stream);
	fclose(file);
	return text;
}

static int wait_with_timeout(pid_t pid, int timeout_seconds)
{
	int status;

	for (int tick = 0; tick < timeout_seconds * 100; tick++) {
		pid_t done = waitpid(pid, &status, WNOHANG);
		if (done == pid)
			return status;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	atf_tc_fail("timed out after %d s", timeout_seconds);
}

pid_t helper_spawn(const char *const *argv, helper_prepare_fn prepare,
		   void *arg)
{
	pid_t pid = fork();

	ATF_REQUIRE(pid >= 0);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		int out = open("run.out", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int err = open("run.err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 ||
		    dup2(out, 1) < 0 || dup2(err, 2) < 0)
			_exit(125);
		if (prepare && prepare(arg) < 0)
			_exit(125);
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
		_exit(126);
	}
	return pid;
}

void helper_collect(pid_t pid, int timeout_seconds,
		    struct run_result *result)
{
	int status = wait_with_timeout(pid, timeout_seconds);

	result->status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
					       WEXITSTATUS(status);
	result->out = read_file("run.out");
	result->err = read_file("run.err");
}

void helper_run(const char *const *argv, int timeout_seconds,
		struct run_result *result)
{
	helper_collect(helper_spawn(argv, NULL, NULL), timeout_seconds,
		       result);
}

int helper_enter_private_namespace(void)
{
	const char *step = "unshare(CLONE_NEWNS)";

	if (unshare(CLONE_NEWNS) == 0) {
		step = "make / rprivate";
		if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
			return 0;
	}
	int saved = errno;
	fprintf(stderr, "%s: %s\n", step, strerror(saved));
	return -saved;
}

void helper_run_config(const atf_tc_t *tc, json_t *config,
		       struct run_result *result)
{
	const char *argv[] = { helper_mntns(tc), "run", "-b", "bundle",
			       "test", NULL };

	helper_write_config(config);
	helper_run(argv, 60, result);
}

void helper_free_result(struct run_result *result)
{
	free(result->out);
	free(result->err);
}

void helper_mount_field(const char *row, int index, char *field,
			size_t size)
{
	const char *p = row;

	for (int i = 1; i < index && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p) {
		field[0] = '\0';
		return;
	}
	size_t length = strcspn(p, " \n");
	snprintf(field, size, "%.*s", (int)length, p);
}

bool helper_mount_row(const char *output, const char *mount_point,
		      char *row, size_t size)
{
	bool found = false;
	char point[PATH_MAX];

	for (const char *line = output; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t length = end ? (size_t)(end - line) : strlen(line);
		char copy[4096];
		snprintf(copy, sizeof(copy), "%.*s", (int)length, line);
		helper_mount_field(copy, 5, point, sizeof(point));
		if (strcmp(point, mount_point) == 0) {
			snprintf(row, size, "%s", copy);
			found = true;
		}
		line = end ? end + 1 : NULL;
	}
	return found;
}

bool helper_has_option(const char *list, const char *item)
{
	size_t length = strlen(item);

	for (const char *p = list; p && *p;) {
		size_t field = strcspn(p, ",");
		if (field == length && strncmp(p, item, length) == 0)
			return true;
		p += field;
		if (*p == ',')
			p++;
	}
	return false;
}
