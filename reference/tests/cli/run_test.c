/*
 * End-to-end tests of "mntns run" on a busybox-static rootfs: exit
 * statuses, stdio, the console, and what each option does to the mount
 * table the container sees.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

#define REQUIRE_RUN_STATUS(result, expected)                                 \
	ATF_REQUIRE_MSG((result).status == (expected),                       \
			"expected exit status %d, got %d; stdout: %s; "      \
			"stderr: %s",                                        \
			(expected), (result).status, (result).out,           \
			(result).err)

static void run_script(const atf_tc_t *tc, const char *script,
		       struct run_result *result)
{
	json_t *config = helper_config(tc, script);

	helper_run_config(tc, config, result);
	json_decref(config);
}

ATF_TC(run__exit_status);
ATF_TC_HEAD(run__exit_status, tc)
{
	atf_tc_set_md_var(tc, "descr", "run exits with the status of the "
			  "container's process");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__exit_status, tc)
{
	struct run_result result;

	run_script(tc, "exit 7", &result);
	REQUIRE_RUN_STATUS(result, 7);
	helper_free_result(&result);
	run_script(tc, "true", &result);
	REQUIRE_RUN_STATUS(result, 0);
	helper_free_result(&result);
}

ATF_TC(run__signal_status);
ATF_TC_HEAD(run__signal_status, tc)
{
	atf_tc_set_md_var(tc, "descr", "a process killed by signal N makes "
			  "run exit with 128 + N");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__signal_status, tc)
{
	struct run_result result;
	/* As pid 1 of a pid namespace the shell would ignore its own
	 * signal, so this container keeps the host's pid namespace. */
	json_t *config = helper_config(tc, "kill -TERM $$");

	helper_remove_namespace(config, "pid");
	helper_run_config(tc, config, &result);
	REQUIRE_RUN_STATUS(result, 128 + SIGTERM);
	helper_free_result(&result);
	json_decref(config);
}

ATF_TC(run__stdio_passthrough);
ATF_TC_HEAD(run__stdio_passthrough, tc)
{
	atf_tc_set_md_var(tc, "descr", "with terminal false the process "
			  "writes to mntns's own stdout and stderr");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__stdio_passthrough, tc)
{
	struct run_result result;

	run_script(tc, "echo to-out; echo to-err >&2; "
		       "test ! -e /dev/console", &result);
	REQUIRE_RUN_STATUS(result, 0);
	ATF_CHECK_STREQ(result.out, "to-out\n");
	ATF_CHECK_STREQ(result.err, "to-err\n");
	helper_free_result(&result);
}

ATF_TC(run__dev_listing);
ATF_TC_HEAD(run__dev_listing, tc)
{
	atf_tc_set_md_var(tc, "descr", "/dev holds the required devices, "
			  "0666 and owned 0:0, and the standard symlinks");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__dev_listing, tc)
{
	static const char *const expected[] = {
		"crw-rw-rw- 1 0 0 1, 3 null",
		"crw-rw-rw- 1 0 0 1, 5 zero",
		"crw-rw-rw- 1 0 0 1, 7 full",
		"crw-rw-rw- 1 0 0 1, 8 random",
		"crw-rw-rw- 1 0 0 1, 9 urandom",
		"crw-rw-rw- 1 0 0 5, 0 tty",
		"ptmx -> pts/ptmx",
		"fd -> /proc/self/fd",
		"stdin -> /proc/self/fd/0",
		"stdout -> /proc/self/fd/1",
		"stderr -> /proc/self/fd/2",
	};
	struct run_result result;

	/* Squeeze the columns so that each row reads as one string. */
	run_script(tc, "ls -ln /dev | sed 's/  */ /g; s/ [A-Z][a-z][a-z] "
		       "[ 0-9]* [0-9:]* / /'", &result);
	REQUIRE_RUN_STATUS(result, 0);
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++)
		ATF_CHECK_MSG(strstr(result.out, expected[i]) != NULL,
			      "expected \"%s\" in ls -ln /dev:\n%s",
			      expected[i], result.out);
	ATF_CHECK_MSG(strstr(result.out, " console") == NULL,
		      "a console exists without a terminal:\n%s", result.out);
	helper_free_result(&result);
}

ATF_TC(run__hostname);
ATF_TC_HEAD(run__hostname, tc)
{
	atf_tc_set_md_var(tc, "descr", "hostname is set in the new uts "
			  "namespace");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__hostname, tc)
{
	struct run_result result;
	json_t *config = helper_config(tc, "hostname; id -u; pwd");

	json_object_set_new(config, "hostname", json_string("box-7"));
	json_object_set_new(json_object_get(config, "process"), "cwd",
			    json_string("/tmp"));
	helper_run_config(tc, config, &result);
	REQUIRE_RUN_STATUS(result, 0);
	ATF_CHECK_STREQ(result.out, "box-7\n0\n/tmp\n");
	helper_free_result(&result);
	json_decref(config);
}

ATF_TC(run__user_and_capabilities);
ATF_TC_HEAD(run__user_and_capabilities, tc)
{
	atf_tc_set_md_var(tc, "descr", "process.user and the capability sets "
			  "reach the process, with no_new_privs");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__user_and_capabilities, tc)
{
	struct run_result result;
	json_t *config = helper_config(tc, "id -u; id -g; grep -E "
				       "'^(CapEff|CapBnd|NoNewPrivs)' "
				       "/proc/self/status");

	json_object_set_new(json_object_get(config, "process"), "user",
			    json_pack("{s:i, s:i}", "uid", 1000, "gid", 100));
	helper_run_config(tc, config, &result);
	REQUIRE_RUN_STATUS(result, 0);
	/* The default document bounds CAP_AUDIT_WRITE (29), CAP_KILL (5)
	 * and CAP_NET_BIND_SERVICE (10); a non-root uid keeps none of them
	 * effective, since there is no inheritable set. */
	ATF_CHECK_MSG(strstr(result.out, "1000\n100\n") == result.out,
		      "unexpected ids:\n%s", result.out);
	ATF_CHECK_MSG(strstr(result.out, "CapBnd:\t0000000020000420"),
		      "unexpected bounding set:\n%s", result.out);
	ATF_CHECK_MSG(strstr(result.out, "CapEff:\t0000000000000000"),
		      "unexpected effective set:\n%s", result.out);
	ATF_CHECK_MSG(strstr(result.out, "NoNewPrivs:\t1"),
		      "no_new_privs is not set:\n%s", result.out);
	helper_free_result(&result);
	json_decref(config);
}

ATF_TC(run__command_not_found);
ATF_TC_HEAD(run__command_not_found, tc)
{
	atf_tc_set_md_var(tc, "descr", "a missing command is an error that "
			  "names it");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__command_not_found, tc)
{
	struct run_result result;
	json_t *config = helper_config(tc, "true");

	json_object_set_new(json_object_get(config, "process"), "args",
			    json_pack("[s]", "no-such-command"));
	helper_run_config(tc, config, &result);
	ATF_CHECK_EQ(result.status, 1);
	ATF_CHECK_MSG(strstr(result.err, "exec \"no-such-command\": not "
					 "found"),
		      "unexpected stderr: %s", result.err);
	helper_free_result(&result);
	json_decref(config);
}

static void run_expect_error(const atf_tc_t *tc, json_t *config,
			     const char *expected)
{
	struct run_result result;

	helper_run_config(tc, config, &result);
	ATF_CHECK_MSG(result.status == 1, "expected exit status 1, got %d",
		      result.status);
	ATF_CHECK_MSG(strstr(result.err, expected) != NULL,
		      "expected \"%s\" in stderr, got \"%s\"", expected,
		      result.err);
	ATF_CHECK_STREQ(result.out, "");
	helper_free_result(&result);
	json_decref(config);
}

ATF_TC(run__invalid_value);
ATF_TC_HEAD(run__invalid_value, tc)
{
	atf_tc_set_md_var(tc, "descr", "an invalid value stops run with the "
			  "file, the JSON path and the value");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__invalid_value, tc)
{
	json_t *config = helper_config(tc, "true");

	json_array_set_new(json_object_get(json_object_get(config, "linux"),
					   "maskedPaths"),
			   2, json_string("proc/kcore"));
	run_expect_error(tc, config, "bundle/config.json: "
			 "linux.maskedPaths[2]: \"proc/kcore\" is not "
			 "absolute");
}

ATF_TC(run__syntax_error);
ATF_TC_HEAD(run__syntax_error, tc)
{
	atf_tc_set_md_var(tc, "descr", "a syntax error names the line and "
			  "the column");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__syntax_error, tc)
{
	const char *argv[] = { helper_mntns(tc), "run", "-b", "bundle", "x",
			       NULL };
	struct run_result result;

	json_decref(helper_config(tc, "true"));
	FILE *file = fopen("bundle/config.json", "w");
	ATF_REQUIRE(file != NULL);
	fputs("{\n  \"ociVersion\": \"1.0.2\"\n  \"root\": {}\n}\n", file);
	fclose(file);
	helper_run(argv, 30, &result);
	ATF_CHECK_EQ(result.status, 1);
	ATF_CHECK_MSG(strstr(result.err, "bundle/config.json:3:"),
		      "expected line 3 in \"%s\"", result.err);
	helper_free_result(&result);
}

ATF_TC(run__missing_rootfs);
ATF_TC_HEAD(run__missing_rootfs, tc)
{
	atf_tc_set_md_var(tc, "descr", "a missing rootfs is an error naming "
			  "root.path");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__missing_rootfs, tc)
{
	json_t *config = helper_config(tc, "true");

	json_object_set_new(json_object_get(config, "root"), "path",
			    json_string("missing"));
	run_expect_error(tc, config, "root.path: \"missing\"");
}

ATF_TC(run__failed_mount);
ATF_TC_HEAD(run__failed_mount, tc)
{
	atf_tc_set_md_var(tc, "descr", "a mount the kernel rejects fails run "
			  "with the library's message and leaves the host's "
			  "mount table alone");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__failed_mount, tc)
{
	json_t *config = helper_config(tc, "true");

	helper_add_mount(config, "/mnt", "nosuchfs", "none", NULL);
	run_expect_error(tc, config, "/mnt");
}

ATF_TC(run__invalid_id);
ATF_TC_HEAD(run__invalid_id, tc)
{
	atf_tc_set_md_var(tc, "descr", "an invalid container id is rejected");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__invalid_id, tc)
{
	const char *argv[] = { helper_mntns(tc), "run", "-b", "bundle",
			       "../escape", NULL };
	struct run_result result;

	json_decref(helper_config(tc, "true"));
	helper_run(argv, 30, &result);
	ATF_CHECK_EQ(result.status, 2);
	ATF_CHECK_MSG(strstr(result.err, "container id \"../escape\" is "
					 "invalid"),
		      "unexpected stderr: %s", result.err);
	helper_free_result(&result);
}

/* ------------------------------------------------------------------ */
/* The console                                                          */

static int open_pty(int *slave)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY);

	ATF_REQUIRE(master >= 0);
	ATF_REQUIRE(grantpt(master) == 0 && unlockpt(master) == 0);
	*slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	ATF_REQUIRE(*slave >= 0);
	return master;
}

/* Reads from fd until end of file or EIO, the end of a pty. */
static void read_all(int fd, char *buffer, size_t size)
{
	size_t used = 0;

	for (;;) {
		struct pollfd poll_fd = { .fd = fd, .events = POLLIN };
		ATF_REQUIRE_MSG(poll(&poll_fd, 1, 30000) == 1,
				"no output within 30 s");
		ssize_t n = read(fd, buffer + used, size - used - 1);
		if (n <= 0)
			break;
		used += n;
	}
	buffer[used] = '\0';
}

static const char console_script[] =
	"stat -c %t:%T /dev/console; stat -L -c %t:%T /proc/self/fd/0; "
	"stat -c %a:%g /dev/pts/0";

static void check_console_output(const char *output)
{
	char console[32] = "", stdin_device[32] = "", mode[32] = "";

	ATF_REQUIRE_MSG(sscanf(output, "%31s %31s %31s", console,
			       stdin_device, mode) == 3,
			"unexpected output: %s", output);
	ATF_CHECK_MSG(strncmp(console, "88:", 3) == 0,
		      "/dev/console is %s, not a pts device (major 0x88)",
		      console);
	ATF_CHECK_STREQ(console, stdin_device);
	ATF_CHECK_STREQ(mode, "620:5");
}

ATF_TC(run__console_proxy);
ATF_TC_HEAD(run__console_proxy, tc)
{
	atf_tc_set_md_var(tc, "descr", "with terminal true, /dev/console is "
			  "the pty of the process's stdio, from the "
			  "container's devpts, proxied to mntns's stdio");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__console_proxy, tc)
{
	char output[4096];
	int slave;
	json_t *config = helper_config(tc, console_script);

	json_object_set_new(json_object_get(config, "process"), "terminal",
			    json_true());
	helper_write_config(config);
	json_decref(config);

	int master = open_pty(&slave);
	pid_t pid = fork();
	ATF_REQUIRE(pid >= 0);
	if (pid == 0) {
		setsid();
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		execl(helper_mntns(tc), "mntns", "run", "-b", "bundle", "tty",
		      (char *)NULL);
		_exit(126);
	}
	close(slave);
	read_all(master, output, sizeof(output));
	int status;
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "mntns failed: %s", output);
	check_console_output(output);
}

static int listen_socket(const char *path)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	ATF_REQUIRE(fd >= 0);
	snprintf(address.sun_path, sizeof(address.sun_path), "%s", path);
	ATF_REQUIRE(bind(fd, (struct sockaddr *)&address, sizeof(address)) ==
		    0);
	ATF_REQUIRE(listen(fd, 1) == 0);
	return fd;
}

static int receive_fd(int connection)
{
	char payload[256], control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = payload, .iov_len = sizeof(payload) };
	struct msghdr message = { .msg_iov = &iov, .msg_iovlen = 1,
				  .msg_control = control,
				  .msg_controllen = sizeof(control) };
	int fd = -1;

	ATF_REQUIRE(recvmsg(connection, &message, 0) > 0);
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);
	ATF_REQUIRE_MSG(header && header->cmsg_type == SCM_RIGHTS,
			"the message carried no descriptor");
	memcpy(&fd, CMSG_DATA(header), sizeof(int));
	return fd;
}

ATF_TC(run__console_socket);
ATF_TC_HEAD(run__console_socket, tc)
{
	atf_tc_set_md_var(tc, "descr", "--console-socket receives the pty "
			  "master as an SCM_RIGHTS message");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(run__console_socket, tc)
{
	const char *argv[] = { helper_mntns(tc), "run", "-b", "bundle",
			       "--console-socket", "console.sock", "sock",
			       NULL };
	char output[4096];
	json_t *config = helper_config(tc, console_script);

	json_object_set_new(json_object_get(config, "process"), "terminal",
			    json_true());
	helper_write_config(config);
	json_decref(config);

	int listener = listen_socket("console.sock");
	pid_t pid = fork();
	ATF_REQUIRE(pid >= 0);
	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(126);
	}
	int connection = accept(listener, NULL, NULL);
	ATF_REQUIRE(connection >= 0);
	int master = receive_fd(connection);
	read_all(master, output, sizeof(output));
	int status;
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	ATF_CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "mntns failed: %s", output);
	check_console_output(output);
}

/* ------------------------------------------------------------------ */
/* Mount options, one case each, as mountinfo shows them                */

enum mountinfo_part {
	PART_MOUNT_OPTIONS, /* field 6: per-mount flags */
	PART_OPTIONAL, /* fields 7 to the "-": propagation */
	PART_SUPER_OPTIONS, /* the last field: filesystem options */
};

static void mountinfo_part(const char *row, enum mountinfo_part part,
			   char *out, size_t size)
{
	if (part == PART_MOUNT_OPTIONS) {
		helper_mount_field(row, 6, out, size);
		return;
	}
	const char *dash = strstr(row, " - ");
	ATF_REQUIRE_MSG(dash, "no separator in %s", row);
	if (part == PART_OPTIONAL) {
		const char *start = row;
		for (int i = 0; i < 6 && start; i++)
			start = strchr(start, ' ') + 1;
		size_t length = start < dash ? (size_t)(dash - start) : 0;
		snprintf(out, size, "%.*s", (int)length, start);
		/* Optional fields are space-separated; make them a list. */
		for (char *p = out; *p; p++)
			if (*p == ' ')
				*p = ',';
		return;
	}
	helper_mount_field(dash + 3, 3, out, size);
}

/* Runs a container with one extra mount and returns the mountinfo row of
 * check_point in row. */
static void mount_row(const atf_tc_t *tc, json_t *config,
		      const char *check_point, char *row, size_t size)
{
	struct run_result result;

	helper_run_config(tc, config, &result);
	REQUIRE_RUN_STATUS(result, 0);
	ATF_REQUIRE_MSG(helper_mount_row(result.out, check_point, row, size),
			"no mount at %s in:\n%s", check_point, result.out);
	helper_free_result(&result);
	json_decref(config);
}

static void check_part(const char *row, enum mountinfo_part part,
		       const char *expected, bool present)
{
	char list[1024];

	mountinfo_part(row, part, list, sizeof(list));
	for (const char *p = expected; *p;) {
		char item[64];
		size_t length = strcspn(p, ",");
		snprintf(item, sizeof(item), "%.*s", (int)length, p);
		bool found = helper_has_option(list, item);
		if (strchr(item, ':') && !found)
			found = strstr(list, item) != NULL;
		ATF_CHECK_MSG(found == present, "%s \"%s\" in \"%s\" (row: %s)",
			      present ? "expected" : "did not expect", item,
			      list, row);
		p += length + (p[length] == ',');
	}
}

struct option_case {
	const char *options; /* of a tmpfs at /mnt */
	enum mountinfo_part part;
	const char *expected;
	bool present;
};

static void check_tmpfs_option(const atf_tc_t *tc,
			       const struct option_case *c)
{
	char row[4096];
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo");

	helper_add_mount(config, "/mnt", "tmpfs", "tmpfs", c->options);
	mount_row(tc, config, "/mnt", row, sizeof(row));
	check_part(row, c->part, c->expected, c->present);
}

#define OPTION_CASE(name, options, part, expected, present)                 \
	ATF_TC(option__##name);                                              \
	ATF_TC_HEAD(option__##name, tc)                                      \
	{                                                                    \
		atf_tc_set_md_var(tc, "descr", "mount option list \"" options \
				  "\" shows in mountinfo");                  \
		atf_tc_set_md_var(tc, "require.user", "root");               \
	}                                                                    \
	ATF_TC_BODY(option__##name, tc)                                      \
	{                                                                    \
		struct option_case c = { options, part, expected, present }; \
		check_tmpfs_option(tc, &c);                                  \
	}

OPTION_CASE(ro, "ro", PART_MOUNT_OPTIONS, "ro", true)
OPTION_CASE(rw, "ro,rw", PART_MOUNT_OPTIONS, "rw", true)
OPTION_CASE(nosuid, "nosuid", PART_MOUNT_OPTIONS, "nosuid", true)
OPTION_CASE(suid, "nosuid,suid", PART_MOUNT_OPTIONS, "nosuid", false)
OPTION_CASE(nodev, "nodev", PART_MOUNT_OPTIONS, "nodev", true)
OPTION_CASE(dev, "nodev,dev", PART_MOUNT_OPTIONS, "nodev", false)
OPTION_CASE(noexec, "noexec", PART_MOUNT_OPTIONS, "noexec", true)
OPTION_CASE(exec, "noexec,exec", PART_MOUNT_OPTIONS, "noexec", false)
OPTION_CASE(noatime, "noatime", PART_MOUNT_OPTIONS, "noatime", true)
OPTION_CASE(strictatime, "strictatime", PART_MOUNT_OPTIONS, "relatime",
	    false)
OPTION_CASE(relatime, "relatime", PART_MOUNT_OPTIONS, "relatime", true)
OPTION_CASE(nodiratime, "nodiratime", PART_MOUNT_OPTIONS, "nodiratime",
	    true)
OPTION_CASE(sync, "sync", PART_SUPER_OPTIONS, "sync", true)
OPTION_CASE(nosymfollow, "nosymfollow", PART_MOUNT_OPTIONS, "nosymfollow",
	    true)
OPTION_CASE(tmpfs_mode, "mode=700", PART_SUPER_OPTIONS, "mode=700", true)
OPTION_CASE(tmpfs_size, "size=1m", PART_SUPER_OPTIONS, "size=1024k", true)
OPTION_CASE(shared, "shared", PART_OPTIONAL, "shared:", true)
OPTION_CASE(private, "shared,private", PART_OPTIONAL, "shared:", false)
OPTION_CASE(unbindable, "unbindable", PART_OPTIONAL, "unbindable", true)
OPTION_CASE(rro, "rro", PART_MOUNT_OPTIONS, "ro", true)
OPTION_CASE(rnoexec, "rnoexec", PART_MOUNT_OPTIONS, "noexec", true)
OPTION_CASE(rnosuid, "rnosuid", PART_MOUNT_OPTIONS, "nosuid", true)
OPTION_CASE(rnodev, "rnodev", PART_MOUNT_OPTIONS, "nodev", true)
OPTION_CASE(rnoatime, "rnoatime", PART_MOUNT_OPTIONS, "noatime", true)

/* ------------------------------------------------------------------ */
/* Binds of a mount tree that the test builds                           */

/*
 * A mount tree for one run: the tmpfs "source-top" at path, in the work
 * directory, with the tmpfs "source-sub" at path/sub and an empty
 * directory path/late.  mntns's own process builds it, in a private mount
 * namespace, just before exec, so the host never sees it and it goes away
 * when mntns exits.
 */
struct source_tree {
	char path[PATH_MAX];
	bool shared; /* make the tree one shared peer group */
};

static void source_tree_init(struct source_tree *tree, bool shared)
{
	ATF_REQUIRE(getcwd(tree->path, sizeof(tree->path) - 8) != NULL);
	strcat(tree->path, "/source");
	ATF_REQUIRE_MSG(mkdir(tree->path, 0755) == 0, "mkdir %s: %s",
			tree->path, strerror(errno));
	tree->shared = shared;
}

static int report_errno(const char *step, const char *path)
{
	int saved = errno;

	fprintf(stderr, "%s %s: %s\n", step, path, strerror(saved));
	return -saved;
}

static int mount_tmpfs(const char *name, const char *path)
{
	if (mount(name, path, "tmpfs", 0, "size=1m,mode=755") < 0)
		return report_errno("mount tmpfs at", path);
	return 0;
}

/* A helper_prepare_fn: builds the tree in a private mount namespace. */
static int build_source_tree(void *arg)
{
	const struct source_tree *tree = arg;
	char sub[PATH_MAX + 8], late[PATH_MAX + 8];

	int ret = helper_enter_private_namespace();
	if (ret < 0)
		return ret;
	ret = mount_tmpfs("source-top", tree->path);
	if (ret < 0)
		return ret;

	snprintf(sub, sizeof(sub), "%s/sub", tree->path);
	snprintf(late, sizeof(late), "%s/late", tree->path);
	if (mkdir(sub, 0755) < 0)
		return report_errno("mkdir", sub);
	if (mkdir(late, 0755) < 0)
		return report_errno("mkdir", late);
	ret = mount_tmpfs("source-sub", sub);
	if (ret < 0)
		return ret;

	if (tree->shared &&
	    mount(NULL, tree->path, NULL, MS_REC | MS_SHARED, NULL) < 0)
		return report_errno("make rshared", tree->path);
	return 0;
}

/* Runs "mntns run" with config inside the namespace that contains tree.
 * With a shared tree, linux.rootfsPropagation is rslave, runc's default.
 * The default of mntns, rprivate, would cut the tree off from its source
 * before any bind, and a bind of a private mount stays private whatever
 * its own propagation option. */
static void run_with_tree(const atf_tc_t *tc, json_t *config,
			  struct source_tree *tree, struct run_result *result)
{
	const char *argv[] = { helper_mntns(tc), "run", "-b", "bundle",
			       "test", NULL };

	if (tree->shared)
		json_object_set_new(json_object_get(config, "linux"),
				    "rootfsPropagation",
				    json_string("rslave"));
	helper_write_config(config);
	helper_collect(helper_spawn(argv, build_source_tree, tree), 60,
		       result);
}

/* Copies the mountinfo row of mount_point in the output of result. */
static void require_row(const struct run_result *result,
			const char *mount_point, char *row, size_t size)
{
	ATF_REQUIRE_MSG(helper_mount_row(result->out, mount_point, row, size),
			"no mount at %s in:\n%s", mount_point, result->out);
}

/* Runs a container that prints its mountinfo, with the tree of a fresh
 * source_tree bound at /mnt with options. */
static void run_tree_bind(const atf_tc_t *tc, const char *options,
			  bool shared, struct run_result *result)
{
	struct source_tree tree;
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo");

	source_tree_init(&tree, shared);
	helper_add_mount(config, "/mnt", "bind", tree.path, options);
	run_with_tree(tc, config, &tree, result);
	json_decref(config);
	REQUIRE_RUN_STATUS(*result, 0);
}

ATF_TC(option__rbind_submounts);
ATF_TC_HEAD(option__rbind_submounts, tc)
{
	atf_tc_set_md_var(tc, "descr", "rbind brings submounts along, bind "
			  "does not");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(option__rbind_submounts, tc)
{
	struct source_tree tree;
	struct run_result result;
	char row[4096];
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo");

	source_tree_init(&tree, false);
	helper_add_mount(config, "/mnt", "bind", tree.path, "rbind");
	helper_add_mount(config, "/home", "bind", tree.path, "bind");
	run_with_tree(tc, config, &tree, &result);
	REQUIRE_RUN_STATUS(result, 0);
	ATF_CHECK_MSG(helper_mount_row(result.out, "/mnt/sub", row,
				       sizeof(row)) &&
			      strstr(row, " - tmpfs source-sub "),
		      "rbind lost the submount source-sub:\n%s", result.out);
	ATF_CHECK_MSG(helper_mount_row(result.out, "/home", row,
				       sizeof(row)) &&
			      strstr(row, " - tmpfs source-top "),
		      "no bind of source-top at /home:\n%s", result.out);
	ATF_CHECK_MSG(!helper_mount_row(result.out, "/home/sub", row,
					sizeof(row)),
		      "bind brought the submount along:\n%s", result.out);
	helper_free_result(&result);
	json_decref(config);
}

ATF_TC(option__ro_top_only);
ATF_TC_HEAD(option__ro_top_only, tc)
{
	atf_tc_set_md_var(tc, "descr", "ro on an rbind makes only the top "
			  "mount read-only");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(option__ro_top_only, tc)
{
	struct run_result result;
	char row[4096];

	run_tree_bind(tc, "rbind,ro", false, &result);
	require_row(&result, "/mnt", row, sizeof(row));
	check_part(row, PART_MOUNT_OPTIONS, "ro", true);
	require_row(&result, "/mnt/sub", row, sizeof(row));
	check_part(row, PART_MOUNT_OPTIONS, "rw", true);
	helper_free_result(&result);
}

ATF_TC(option__rro_submounts);
ATF_TC_HEAD(option__rro_submounts, tc)
{
	atf_tc_set_md_var(tc, "descr", "rro makes the submounts of an rbind "
			  "read-only too");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(option__rro_submounts, tc)
{
	struct run_result result;
	char row[4096];

	run_tree_bind(tc, "rbind,rro", false, &result);
	require_row(&result, "/mnt/sub", row, sizeof(row));
	check_part(row, PART_MOUNT_OPTIONS, "ro", true);
	helper_free_result(&result);
}

ATF_TC(option__rslave_bind);
ATF_TC_HEAD(option__rslave_bind, tc)
{
	atf_tc_set_md_var(tc, "descr", "rslave makes a bind of a shared mount "
			  "its slave (master:N)");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(option__rslave_bind, tc)
{
	struct run_result result;
	char row[4096];

	run_tree_bind(tc, "rbind,rslave", true, &result);
	require_row(&result, "/mnt", row, sizeof(row));
	check_part(row, PART_OPTIONAL, "master:", true);
	require_row(&result, "/mnt/sub", row, sizeof(row));
	check_part(row, PART_OPTIONAL, "master:", true);
	helper_free_result(&result);
}

/*
 * Propagation seen at work: the container binds a shared tree at /mnt,
 * writes a line to the FIFO sync/ready once it runs, and waits for a line
 * on the FIFO sync/go.  Meanwhile the test mounts the tmpfs "source-late" at
 * tree/late in mntns's namespace, the source side of the bind.  The
 * container then prints its mountinfo, where /mnt/late shows whether the
 * mount propagated.
 */
static const char late_script[] = "echo ready > /tmp/ready; "
				  "read line < /tmp/go; "
				  "cat /proc/self/mountinfo";

/* Mounts source-late at tree/late in the mount namespace of pid. */
static void mount_late(pid_t pid, const struct source_tree *tree)
{
	char late[PATH_MAX + 8];
	int status;

	snprintf(late, sizeof(late), "%s/late", tree->path);
	pid_t child = fork();
	ATF_REQUIRE(child >= 0);
	if (child == 0) {
		char ns_path[64];
		snprintf(ns_path, sizeof(ns_path), "/proc/%d/ns/mnt", (int)pid);
		int fd = open(ns_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWNS) < 0 ||
		    mount("source-late", late, "tmpfs", 0, "size=1m") < 0)
			_exit(errno);
		_exit(0);
	}
	ATF_REQUIRE(waitpid(child, &status, 0) == child);
	ATF_REQUIRE_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			"mount source-late at %s in the namespace of pid %d "
			"failed: %s", late, (int)pid,
			WIFEXITED(status) ? strerror(WEXITSTATUS(status)) :
					    "killed");
}

/* Waits until the container writes to ready, or mntns exits first. */
static void wait_ready(pid_t pid, int ready)
{
	char line[16];
	int pidfd = syscall(SYS_pidfd_open, pid, 0);

	ATF_REQUIRE_MSG(pidfd >= 0, "pidfd_open: %s", strerror(errno));
	struct pollfd fds[] = { { .fd = ready, .events = POLLIN },
				{ .fd = pidfd, .events = POLLIN } };
	int count = poll(fds, 2, 30000);
	close(pidfd);
	if (count <= 0 || !(fds[0].revents & POLLIN)) {
		struct run_result result;
		if (count <= 0)
			kill(pid, SIGKILL);
		helper_collect(pid, 30, &result);
		atf_tc_fail("the container did not start (%s): exit status %d, "
			    "stderr: %s", count <= 0 ? "timed out after 30 s" :
			    "mntns exited", result.status, result.err);
	}
	ATF_REQUIRE(read(ready, line, sizeof(line)) > 0);
}

/* Runs late_script with a shared tree bound at /mnt with options and
 * fills result with its output. */
static void run_late_mount(const atf_tc_t *tc, const char *options,
			   struct run_result *result)
{
	const char *argv[] = { helper_mntns(tc), "run", "-b", "bundle",
			       "test", NULL };
	struct source_tree tree;
	char sync_dir[PATH_MAX];
	json_t *config = helper_config(tc, late_script);

	source_tree_init(&tree, true);
	ATF_REQUIRE(realpath(".", sync_dir) != NULL);
	strncat(sync_dir, "/sync", sizeof(sync_dir) - strlen(sync_dir) - 1);
	ATF_REQUIRE(mkdir(sync_dir, 0755) == 0);
	ATF_REQUIRE(mkfifo("sync/ready", 0600) == 0);
	ATF_REQUIRE(mkfifo("sync/go", 0600) == 0);
	helper_add_mount(config, "/mnt", "bind", tree.path, options);
	helper_add_mount(config, "/tmp", "bind", sync_dir, "bind");
	json_object_set_new(json_object_get(config, "linux"),
			    "rootfsPropagation", json_string("rslave"));
	helper_write_config(config);
	json_decref(config);

	/* Opened read-write, so that no open blocks and "go" stays in the
	 * pipe until the container reads it. */
	int ready = open("sync/ready", O_RDWR | O_CLOEXEC);
	int go = open("sync/go", O_RDWR | O_CLOEXEC);
	ATF_REQUIRE(ready >= 0 && go >= 0);
	pid_t pid = helper_spawn(argv, build_source_tree, &tree);
	wait_ready(pid, ready);
	mount_late(pid, &tree);
	ATF_REQUIRE(write(go, "go\n", 3) == 3);
	helper_collect(pid, 60, result);
	close(ready);
	close(go);
	REQUIRE_RUN_STATUS(*result, 0);
}

static bool has_late_mount(const struct run_result *result)
{
	char row[4096];

	return helper_mount_row(result->out, "/mnt/late", row, sizeof(row)) &&
	       strstr(row, " - tmpfs source-late ");
}

ATF_TC(propagation__rslave_receives);
ATF_TC_HEAD(propagation__rslave_receives, tc)
{
	atf_tc_set_md_var(tc, "descr", "a mount made on the source side after "
			  "the container started reaches an rslave bind");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(propagation__rslave_receives, tc)
{
	struct run_result result;

	run_late_mount(tc, "rbind,rslave", &result);
	ATF_CHECK_MSG(has_late_mount(&result), "no source-late at /mnt/late "
		      "in:\n%s", result.out);
	helper_free_result(&result);
}

ATF_TC(propagation__rshared_receives);
ATF_TC_HEAD(propagation__rshared_receives, tc)
{
	atf_tc_set_md_var(tc, "descr", "a mount made on the source side after "
			  "the container started reaches an rshared bind");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(propagation__rshared_receives, tc)
{
	struct run_result result;

	run_late_mount(tc, "rbind,rshared", &result);
	ATF_CHECK_MSG(has_late_mount(&result), "no source-late at /mnt/late "
		      "in:\n%s", result.out);
	helper_free_result(&result);
}

ATF_TC(propagation__rprivate_isolated);
ATF_TC_HEAD(propagation__rprivate_isolated, tc)
{
	atf_tc_set_md_var(tc, "descr", "a mount made on the source side after "
			  "the container started does not reach an rprivate "
			  "bind");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(propagation__rprivate_isolated, tc)
{
	struct run_result result;
	char row[4096];

	run_late_mount(tc, "rbind,rprivate", &result);
	require_row(&result, "/mnt", row, sizeof(row));
	check_part(row, PART_OPTIONAL, "shared:,master:", false);
	ATF_CHECK_MSG(!has_late_mount(&result), "source-late reached "
		      "/mnt/late:\n%s", result.out);
	helper_free_result(&result);
}

/* ------------------------------------------------------------------ */
/* Root, masked and read-only paths, propagation of the tree            */

static void root_row(const atf_tc_t *tc, json_t *config, char *row,
		     size_t size)
{
	mount_row(tc, config, "/", row, size);
}

ATF_TC(root__readonly);
ATF_TC_HEAD(root__readonly, tc)
{
	atf_tc_set_md_var(tc, "descr", "root.readonly makes / read-only");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(root__readonly, tc)
{
	char row[4096];
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo");

	root_row(tc, config, row, sizeof(row));
	check_part(row, PART_MOUNT_OPTIONS, "ro", true);
}

ATF_TC(root__writable);
ATF_TC_HEAD(root__writable, tc)
{
	atf_tc_set_md_var(tc, "descr", "root.readonly false leaves / "
			  "writable");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(root__writable, tc)
{
	char row[4096];
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo");

	json_object_set_new(json_object_get(config, "root"), "readonly",
			    json_false());
	root_row(tc, config, row, sizeof(row));
	check_part(row, PART_MOUNT_OPTIONS, "rw", true);
}

ATF_TC(root__propagation_shared);
ATF_TC_HEAD(root__propagation_shared, tc)
{
	atf_tc_set_md_var(tc, "descr", "linux.rootfsPropagation shared makes "
			  "/ a shared mount");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(root__propagation_shared, tc)
{
	char row[4096];
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo");

	json_object_set_new(json_object_get(config, "linux"),
			    "rootfsPropagation", json_string("rshared"));
	root_row(tc, config, row, sizeof(row));
	check_part(row, PART_OPTIONAL, "shared:", true);
}

ATF_TC(root__propagation_private);
ATF_TC_HEAD(root__propagation_private, tc)
{
	atf_tc_set_md_var(tc, "descr", "linux.rootfsPropagation private "
			  "leaves / with no peer group or master");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(root__propagation_private, tc)
{
	char row[4096];
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo");

	json_object_set_new(json_object_get(config, "linux"),
			    "rootfsPropagation", json_string("rprivate"));
	root_row(tc, config, row, sizeof(row));
	check_part(row, PART_OPTIONAL, "shared:,master:", false);
}

ATF_TC(root__no_pivot);
ATF_TC_HEAD(root__no_pivot, tc)
{
	atf_tc_set_md_var(tc, "descr", "--no-pivot switches the root with "
			  "MS_MOVE, which keeps the old root under the new "
			  "one");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(root__no_pivot, tc)
{
	const char *pivot[] = { helper_mntns(tc), "run", "-b", "bundle", "p",
				NULL };
	const char *move[] = { helper_mntns(tc), "run", "--no-pivot", "-b",
			       "bundle", "m", NULL };
	struct run_result result;
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo | "
				       "wc -l; cat /proc/1/mountinfo | "
				       "head -1");

	helper_write_config(config);
	json_decref(config);
	helper_run(pivot, 60, &result);
	REQUIRE_RUN_STATUS(result, 0);
	char *pivot_out = strdup(result.out);
	helper_free_result(&result);
	helper_run(move, 60, &result);
	REQUIRE_RUN_STATUS(result, 0);
	ATF_CHECK_MSG(strcmp(pivot_out, result.out) != 0,
		      "pivot and move give the same mount table:\n%s",
		      pivot_out);
	free(pivot_out);
	helper_free_result(&result);
}

ATF_TC(paths__masked);
ATF_TC_HEAD(paths__masked, tc)
{
	atf_tc_set_md_var(tc, "descr", "masked files are binds of /dev/null, "
			  "masked directories read-only tmpfs");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(paths__masked, tc)
{
	struct run_result result;
	char row[4096];
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo; "
				       "cat /proc/timer_list | wc -c");

	helper_run_config(tc, config, &result);
	REQUIRE_RUN_STATUS(result, 0);
	ATF_REQUIRE_MSG(helper_mount_row(result.out, "/proc/timer_list", row,
					 sizeof(row)),
			"/proc/timer_list is not masked:\n%s", result.out);
	ATF_CHECK_MSG(strstr(result.out, "\n0\n"),
		      "/proc/timer_list is not empty:\n%s", result.out);
	ATF_REQUIRE_MSG(helper_mount_row(result.out, "/sys/firmware", row,
					 sizeof(row)),
			"/sys/firmware is not masked:\n%s", result.out);
	ATF_CHECK_MSG(strstr(row, " - tmpfs "), "not a tmpfs: %s", row);
	check_part(row, PART_MOUNT_OPTIONS, "ro", true);
	helper_free_result(&result);
	json_decref(config);
}

ATF_TC(paths__readonly);
ATF_TC_HEAD(paths__readonly, tc)
{
	atf_tc_set_md_var(tc, "descr", "readonly paths are read-only binds");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(paths__readonly, tc)
{
	char row[4096];
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo");

	mount_row(tc, config, "/proc/sys", row, sizeof(row));
	check_part(row, PART_MOUNT_OPTIONS, "ro", true);
}

ATF_TC(mounts__cgroup2);
ATF_TC_HEAD(mounts__cgroup2, tc)
{
	atf_tc_set_md_var(tc, "descr", "a cgroup mount is a read-only "
			  "cgroup2 in a new cgroup namespace");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__cgroup2, tc)
{
	char row[4096];
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo");

	helper_remove_namespace(config, "cgroup");
	mount_row(tc, config, "/sys/fs/cgroup", row, sizeof(row));
	ATF_CHECK_MSG(strstr(row, " - cgroup2 "), "not cgroup2: %s", row);
	check_part(row, PART_MOUNT_OPTIONS, "ro", true);
}

ATF_TC(mounts__listed_order);
ATF_TC_HEAD(mounts__listed_order, tc)
{
	atf_tc_set_md_var(tc, "descr", "mounts are made in the listed order, "
			  "so a later one hides an earlier one");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mounts__listed_order, tc)
{
	char row[4096];
	json_t *config = helper_config(tc, "cat /proc/self/mountinfo");

	helper_add_mount(config, "/mnt", "tmpfs", "first", "size=1m");
	helper_add_mount(config, "/mnt", "tmpfs", "second", "size=2m");
	mount_row(tc, config, "/mnt", row, sizeof(row));
	ATF_CHECK_MSG(strstr(row, " - tmpfs second "),
		      "the last /mnt mount is not the second one: %s", row);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, run__exit_status);
	ATF_TP_ADD_TC(tp, run__signal_status);
	ATF_TP_ADD_TC(tp, run__stdio_passthrough);
	ATF_TP_ADD_TC(tp, run__dev_listing);
	ATF_TP_ADD_TC(tp, run__hostname);
	ATF_TP_ADD_TC(tp, run__user_and_capabilities);
	ATF_TP_ADD_TC(tp, run__command_not_found);
	ATF_TP_ADD_TC(tp, run__invalid_value);
	ATF_TP_ADD_TC(tp, run__syntax_error);
	ATF_TP_ADD_TC(tp, run__missing_rootfs);
	ATF_TP_ADD_TC(tp, run__failed_mount);
	ATF_TP_ADD_TC(tp, run__invalid_id);
	ATF_TP_ADD_TC(tp, run__console_proxy);
	ATF_TP_ADD_TC(tp, run__console_socket);
	ATF_TP_ADD_TC(tp, option__ro);
	ATF_TP_ADD_TC(tp, option__rw);
	ATF_TP_ADD_TC(tp, option__nosuid);
	ATF_TP_ADD_TC(tp, option__suid);
	ATF_TP_ADD_TC(tp, option__nodev);
	ATF_TP_ADD_TC(tp, option__dev);
	ATF_TP_ADD_TC(tp, option__noexec);
	ATF_TP_ADD_TC(tp, option__exec);
	ATF_TP_ADD_TC(tp, option__noatime);
	ATF_TP_ADD_TC(tp, option__strictatime);
	ATF_TP_ADD_TC(tp, option__relatime);
	ATF_TP_ADD_TC(tp, option__nodiratime);
	ATF_TP_ADD_TC(tp, option__sync);
	ATF_TP_ADD_TC(tp, option__nosymfollow);
	ATF_TP_ADD_TC(tp, option__tmpfs_mode);
	ATF_TP_ADD_TC(tp, option__tmpfs_size);
	ATF_TP_ADD_TC(tp, option__shared);
	ATF_TP_ADD_TC(tp, option__private);
	ATF_TP_ADD_TC(tp, option__unbindable);
	ATF_TP_ADD_TC(tp, option__rro);
	ATF_TP_ADD_TC(tp, option__rnoexec);
	ATF_TP_ADD_TC(tp, option__rnosuid);
	ATF_TP_ADD_TC(tp, option__rnodev);
	ATF_TP_ADD_TC(tp, option__rnoatime);
	ATF_TP_ADD_TC(tp, option__rbind_submounts);
	ATF_TP_ADD_TC(tp, option__ro_top_only);
	ATF_TP_ADD_TC(tp, option__rro_submounts);
	ATF_TP_ADD_TC(tp, option__rslave_bind);
	ATF_TP_ADD_TC(tp, propagation__rslave_receives);
	ATF_TP_ADD_TC(tp, propagation__rshared_receives);
	ATF_TP_ADD_TC(tp, propagation__rprivate_isolated);
	ATF_TP_ADD_TC(tp, root__readonly);
	ATF_TP_ADD_TC(tp, root__writable);
	ATF_TP_ADD_TC(tp, root__propagation_shared);
	ATF_TP_ADD_TC(tp, root__propagation_private);
	ATF_TP_ADD_TC(tp, root__no_pivot);
	ATF_TP_ADD_TC(tp, paths__masked);
	ATF_TP_ADD_TC(tp, paths__readonly);
	ATF_TP_ADD_TC(tp, mounts__cgroup2);
	ATF_TP_ADD_TC(tp, mounts__listed_order);
	return atf_no_error();
}
