/*
 * Device nodes and /dev symlinks, from the container's lstat of /dev.
 */
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "checks.h"

static void run_default(const atf_tc_t *tc, struct bundle *b,
			struct report *r)
{
	bundle_init(b, tc);
	bundle_run(b, r);
}

static void check_char_device(const json_t *dev, long major, long minor,
			      const char *path)
{
	check_str(dev, "type", "c", path);
	check_int(dev, "rdev_major", major, path);
	check_int(dev, "rdev_minor", minor, path);
}

static void check_default_node(const atf_tc_t *tc, const char *path,
			       long major, long minor)
{
	struct bundle b;
	struct report r;

	run_default(tc, &b, &r);
	check_char_device(require_dev(&r, path), major, minor, path);
	report_free(&r);
	bundle_free(&b);
}

static void check_default_mode(const atf_tc_t *tc, const char *path)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	b.launcher_umask = 077;
	bundle_run(&b, &r);
	check_octal(require_dev(&r, path), "mode", 0666, path);
	report_free(&r);
	bundle_free(&b);
}

static void check_default_owner(const atf_tc_t *tc, const char *path)
{
	struct bundle b;
	struct report r;
	json_t *dev;

	run_default(tc, &b, &r);
	dev = require_dev(&r, path);
	check_int(dev, "uid", 0, path);
	check_int(dev, "gid", 0, path);
	report_free(&r);
	bundle_free(&b);
}

static void check_default_symlink(const atf_tc_t *tc, const char *path,
				  const char *target)
{
	struct bundle b;
	struct report r;
	json_t *dev;

	run_default(tc, &b, &r);
	dev = require_dev(&r, path);
	check_str(dev, "type", "l", path);
	check_str(dev, "target", target, path);
	report_free(&r);
	bundle_free(&b);
}

/* Three cases per default device: node and numbers, mode, owner. */
#define DEVICE_CASES(name, path, major, minor)                             \
	ATF_TC(devices__##name##_node);                                    \
	ATF_TC_HEAD(devices__##name##_node, tc)                            \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, "   \
				  "default devices): " path " is a "       \
				  "character device " #major ":" #minor);  \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(devices__##name##_node, tc)                            \
	{                                                                  \
		check_default_node(tc, path, major, minor);                \
	}                                                                  \
	ATF_TC(devices__##name##_mode);                                    \
	ATF_TC_HEAD(devices__##name##_mode, tc)                            \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", "runc default: " path        \
				  " has mode 0666 even when the launcher's "\
				  "umask is 077");                         \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(devices__##name##_mode, tc)                            \
	{                                                                  \
		check_default_mode(tc, path);                              \
	}                                                                  \
	ATF_TC(devices__##name##_owner);                                   \
	ATF_TC_HEAD(devices__##name##_owner, tc)                           \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", "runc default and "          \
				  "libcontainer 2015 default: " path       \
				  " is owned by 0:0");                     \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(devices__##name##_owner, tc)                           \
	{                                                                  \
		check_default_owner(tc, path);                             \
	}

DEVICE_CASES(null, "/dev/null", 1, 3)
DEVICE_CASES(zero, "/dev/zero", 1, 5)
DEVICE_CASES(full, "/dev/full", 1, 7)
DEVICE_CASES(random, "/dev/random", 1, 8)
DEVICE_CASES(urandom, "/dev/urandom", 1, 9)
DEVICE_CASES(tty, "/dev/tty", 5, 0)

ATF_TC(devices__fuse_2015);
ATF_TC_HEAD(devices__fuse_2015, tc)
{
	atf_tc_set_md_var(tc, "descr", "libcontainer 2015 default: /dev/fuse "
			  "is c 10:229 with mode 0000");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__fuse_2015, tc)
{
	struct bundle b;
	struct report r;
	json_t *dev;

	run_default(tc, &b, &r);
	require_profile(&b, PROFILE_LIBCONTAINER_2015);
	dev = require_dev(&r, "/dev/fuse");
	check_char_device(dev, 10, 229, "/dev/fuse");
	check_octal(dev, "mode", 0, "/dev/fuse");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(devices__null_usable);
ATF_TC_HEAD(devices__null_usable, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, default "
			  "devices): /dev/null and /dev/zero open and work "
			  "for the container's root");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__null_usable, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	bundle_probe(&b, "write:/dev/null");
	bundle_probe(&b, "read:/dev/zero");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	check_probe_error(&r, 1, "");
	check_int(require_probe(&r, 1), "length", 4096, "read /dev/zero");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(devices__ptmx_is_pts_ptmx);
ATF_TC_HEAD(devices__ptmx_is_pts_ptmx, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, default "
			  "devices): /dev/ptmx is a symlink to pts/ptmx or a "
			  "bind of /dev/pts/ptmx (c 5:2)");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__ptmx_is_pts_ptmx, tc)
{
	struct bundle b;
	struct report r;
	json_t *ptmx;
	const char *type;

	run_default(tc, &b, &r);
	ptmx = require_dev(&r, "/dev/ptmx");
	type = json_str(ptmx, "type");
	if (!strcmp(type, "l")) {
		const char *target = json_str(ptmx, "target");

		ATF_CHECK_MSG(!strcmp(target, "pts/ptmx") ||
				      !strcmp(target, "/dev/pts/ptmx"),
			      "/dev/ptmx: expected a symlink to pts/ptmx, "
			      "actual target %s", target);
	} else {
		check_char_device(ptmx, 5, 2, "/dev/ptmx");
		require_mount(&r, "/dev/ptmx");
	}
	report_free(&r);
	bundle_free(&b);
}

/* Runs a container that opens /dev/ptmx, and returns that probe. */
static json_t *run_ptmx(const atf_tc_t *tc, struct bundle *b,
			struct report *r)
{
	bundle_init(b, tc);
	bundle_probe(b, "ptmx:/dev/ptmx");
	bundle_run(b, r);
	check_probe_error(r, 0, "");
	return require_probe(r, 0);
}

ATF_TC(devices__ptmx_opens);
ATF_TC_HEAD(devices__ptmx_opens, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, default "
			  "devices): opening /dev/ptmx gives a pty master "
			  "c 5:2 whose slave opens under /dev/pts");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__ptmx_opens, tc)
{
	struct bundle b;
	struct report r;
	json_t *probe;

	probe = run_ptmx(tc, &b, &r);
	check_int(probe, "master_rdev_major", 5, "/dev/ptmx master");
	check_int(probe, "master_rdev_minor", 2, "/dev/ptmx master");
	ATF_CHECK_MSG(!strncmp(json_str(probe, "pts"), "/dev/pts/", 9),
		      "expected the slave under /dev/pts, actual %s",
		      json_str(probe, "pts"));
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(devices__ptmx_new_instance);
ATF_TC_HEAD(devices__ptmx_new_instance, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default (devpts newinstance): "
			  "a pty opened in the container belongs to its own "
			  "devpts, not the host's /dev/pts");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__ptmx_new_instance, tc)
{
	struct bundle b;
	struct report r;
	struct stat host;
	json_t *probe;

	ATF_REQUIRE_MSG(stat("/dev/pts", &host) == 0, "stat /dev/pts failed");
	probe = run_ptmx(tc, &b, &r);
	ATF_CHECK_MSG(json_int(probe, "slave_dev_major") !=
				      (long)major(host.st_dev) ||
			      json_int(probe, "slave_dev_minor") !=
				      (long)minor(host.st_dev),
		      "the container's pty %s is on the host's devpts "
		      "(st_dev %u:%u)", json_str(probe, "pts"),
		      major(host.st_dev), minor(host.st_dev));
	report_free(&r);
	bundle_free(&b);
}

/* One case per /dev symlink to /proc/self/fd. */
#define LINK_CASE(name, path, target)                                      \
	ATF_TC(devices__##name##_symlink);                                 \
	ATF_TC_HEAD(devices__##name##_symlink, tc)                         \
	{                                                                  \
		atf_tc_set_md_var(tc, "descr", "OCI MUST (runtime-linux, "  \
				  "dev symbolic links): " path " is a "    \
				  "symlink to " target);                   \
		atf_tc_set_md_var(tc, "require.user", "root");             \
	}                                                                  \
	ATF_TC_BODY(devices__##name##_symlink, tc)                         \
	{                                                                  \
		check_default_symlink(tc, path, target);                   \
	}

LINK_CASE(fd, "/dev/fd", "/proc/self/fd")
LINK_CASE(stdin, "/dev/stdin", "/proc/self/fd/0")
LINK_CASE(stdout, "/dev/stdout", "/proc/self/fd/1")
LINK_CASE(stderr, "/dev/stderr", "/proc/self/fd/2")

ATF_TC(devices__kcore_2015);
ATF_TC_HEAD(devices__kcore_2015, tc)
{
	atf_tc_set_md_var(tc, "descr", "libcontainer 2015 default: /dev/kcore "
			  "is a symlink to /proc/kcore when the kernel has "
			  "/proc/kcore, and absent when it has not");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__kcore_2015, tc)
{
	struct bundle b;
	struct report r;
	json_t *dev;

	bundle_init(&b, tc);
	require_profile(&b, PROFILE_LIBCONTAINER_2015);
	require_reference(&b, "the 2015 /dev/kcore symlink");
	bundle_run(&b, &r);
	dev = report_dev(&r, "/dev/kcore");
	/* The container's /proc shows the same kernel as the host's. */
	if (access("/proc/kcore", F_OK) == 0) {
		ATF_REQUIRE_MSG(dev, "expected /dev/kcore, actual none, "
				"although this kernel has /proc/kcore");
		check_str(dev, "type", "l", "/dev/kcore");
		check_str(dev, "target", "/proc/kcore", "/dev/kcore");
	} else {
		ATF_CHECK_MSG(!dev, "expected no /dev/kcore, since this "
			      "kernel has no /proc/kcore, actual type %s",
			      json_str(dev, "type"));
	}
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(devices__no_host_devices);
ATF_TC_HEAD(devices__no_host_devices, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: /dev is a fresh tmpfs, "
			  "so no block device or host node appears unless "
			  "configured");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__no_host_devices, tc)
{
	struct bundle b;
	struct report r;
	json_t *entry;
	size_t i;

	run_default(tc, &b, &r);
	json_array_foreach(json_object_get(r.json, "dev"), i, entry)
		ATF_CHECK_MSG(strcmp(json_str(entry, "type"), "b") != 0,
			      "unexpected block device %s",
			      json_str(entry, "path"));
	ATF_CHECK_MSG(report_dev(&r, "/dev/kmsg") == NULL,
		      "unexpected host node /dev/kmsg");
	ATF_CHECK_MSG(report_dev(&r, "/dev/mem") == NULL,
		      "unexpected host node /dev/mem");
	report_free(&r);
	bundle_free(&b);
}

/* Adds one linux.devices entry; mode < 0 leaves fileMode out. */
static void add_device(struct bundle *b, const char *path, const char *type,
		       long major, long minor, long mode, long uid, long gid)
{
	json_t *linux_obj = json_object_get(b->config, "linux");
	json_t *devices = json_object_get(linux_obj, "devices");
	json_t *dev = json_object();

	if (!devices) {
		devices = json_array();
		config_set(b, "linux.devices", devices);
	}
	json_object_set_new(dev, "path", json_string(path));
	json_object_set_new(dev, "type", json_string(type));
	if (strcmp(type, "p")) {
		json_object_set_new(dev, "major", json_integer(major));
		json_object_set_new(dev, "minor", json_integer(minor));
	}
	if (mode >= 0)
		json_object_set_new(dev, "fileMode", json_integer(mode));
	json_object_set_new(dev, "uid", json_integer(uid));
	json_object_set_new(dev, "gid", json_integer(gid));
	json_array_append_new(devices, dev);
}

static json_t *run_with_device(const atf_tc_t *tc, struct bundle *b,
			       struct report *r, const char *path,
			       const char *type, long major, long minor)
{
	bundle_init(b, tc);
	add_device(b, path, type, major, minor, 0640, 1000, 1001);
	bundle_probe(b, "stat:%s", path);
	bundle_run(b, r);
	check_probe_error(r, 0, "");
	return require_probe(r, 0);
}

/* Checks that a linux.devices entry of type with major:minor shows as a
 * node of ltype with those numbers. */
static void check_custom_node(const atf_tc_t *tc, const char *path,
			      const char *type, const char *ltype, long major,
			      long minor)
{
	struct bundle b;
	struct report r;
	json_t *st = run_with_device(tc, &b, &r, path, type, major, minor);

	check_str(st, "ltype", ltype, path);
	check_int(st, "lrdev_major", major, path);
	check_int(st, "lrdev_minor", minor, path);
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(devices__custom_char);
ATF_TC_HEAD(devices__custom_char, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, devices): a "
			  "type c entry creates that character device");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__custom_char, tc)
{
	check_custom_node(tc, "/dev/custom", "c", "c", 1, 7);
}

ATF_TC(devices__custom_unbuffered);
ATF_TC_HEAD(devices__custom_unbuffered, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, devices): a "
			  "type u entry creates a character device");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__custom_unbuffered, tc)
{
	check_custom_node(tc, "/dev/custom", "u", "c", 1, 5);
}

ATF_TC(devices__custom_block);
ATF_TC_HEAD(devices__custom_block, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, devices): a "
			  "type b entry creates that block device");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__custom_block, tc)
{
	check_custom_node(tc, "/dev/custom-loop", "b", "b", 7, 200);
}

ATF_TC(devices__custom_fifo);
ATF_TC_HEAD(devices__custom_fifo, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, devices): a "
			  "type p entry creates a FIFO, with no major and "
			  "minor");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__custom_fifo, tc)
{
	struct bundle b;
	struct report r;
	json_t *st = run_with_device(tc, &b, &r, "/dev/custom-fifo", "p", 0,
				     0);

	check_str(st, "ltype", "p", "/dev/custom-fifo");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(devices__custom_mode);
ATF_TC_HEAD(devices__custom_mode, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, devices): "
			  "fileMode sets the node's permission bits exactly, "
			  "whatever the launcher's umask");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__custom_mode, tc)
{
	struct bundle b;
	struct report r;

	bundle_init(&b, tc);
	b.launcher_umask = 077;
	add_device(&b, "/dev/custom", "c", 1, 3, 0664, 0, 0);
	bundle_probe(&b, "stat:/dev/custom");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	check_octal(require_probe(&r, 0), "lmode", 0664, "/dev/custom");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(devices__custom_owner);
ATF_TC_HEAD(devices__custom_owner, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, devices): "
			  "uid and gid set the node's owner");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__custom_owner, tc)
{
	struct bundle b;
	struct report r;
	json_t *st = run_with_device(tc, &b, &r, "/dev/custom", "c", 1, 3);

	check_int(st, "luid", 1000, "/dev/custom");
	check_int(st, "lgid", 1001, "/dev/custom");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(devices__custom_outside_dev);
ATF_TC_HEAD(devices__custom_outside_dev, tc)
{
	atf_tc_set_md_var(tc, "descr", "OCI MUST (config-linux, devices): a "
			  "device path outside /dev is created where asked");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__custom_outside_dev, tc)
{
	struct bundle b;
	struct report r;
	json_t *st;

	bundle_init(&b, tc);
	config_set(&b, "root.readonly", json_false());
	add_device(&b, "/run/custom-null", "c", 1, 3, 0666, 0, 0);
	bundle_probe(&b, "stat:/run/custom-null");
	bundle_run(&b, &r);
	check_probe_error(&r, 0, "");
	st = require_probe(&r, 0);
	check_str(st, "ltype", "c", "/run/custom-null");
	check_int(st, "lrdev_minor", 3, "/run/custom-null");
	report_free(&r);
	bundle_free(&b);
}

ATF_TC(devices__custom_nested_dir);
ATF_TC_HEAD(devices__custom_nested_dir, tc)
{
	atf_tc_set_md_var(tc, "descr", "runc default: a device path in a "
			  "missing directory under /dev gets its parent "
			  "created");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(devices__custom_nested_dir, tc)
{
	check_custom_node(tc, "/dev/net/tun", "c", "c", 10, 200);
}

#define ADD_DEVICE_CASES(tp, name)                                         \
	do {                                                               \
		ATF_TP_ADD_TC(tp, devices__##name##_node);                 \
		ATF_TP_ADD_TC(tp, devices__##name##_mode);                 \
		ATF_TP_ADD_TC(tp, devices__##name##_owner);                \
	} while (0)

ATF_TP_ADD_TCS(tp)
{
	ADD_DEVICE_CASES(tp, null);
	ADD_DEVICE_CASES(tp, zero);
	ADD_DEVICE_CASES(tp, full);
	ADD_DEVICE_CASES(tp, random);
	ADD_DEVICE_CASES(tp, urandom);
	ADD_DEVICE_CASES(tp, tty);
	ATF_TP_ADD_TC(tp, devices__fuse_2015);
	ATF_TP_ADD_TC(tp, devices__null_usable);
	ATF_TP_ADD_TC(tp, devices__ptmx_is_pts_ptmx);
	ATF_TP_ADD_TC(tp, devices__ptmx_opens);
	ATF_TP_ADD_TC(tp, devices__ptmx_new_instance);
	ATF_TP_ADD_TC(tp, devices__fd_symlink);
	ATF_TP_ADD_TC(tp, devices__stdin_symlink);
	ATF_TP_ADD_TC(tp, devices__stdout_symlink);
	ATF_TP_ADD_TC(tp, devices__stderr_symlink);
	ATF_TP_ADD_TC(tp, devices__kcore_2015);
	ATF_TP_ADD_TC(tp, devices__no_host_devices);
	ATF_TP_ADD_TC(tp, devices__custom_char);
	ATF_TP_ADD_TC(tp, devices__custom_unbuffered);
	ATF_TP_ADD_TC(tp, devices__custom_block);
	ATF_TP_ADD_TC(tp, devices__custom_fifo);
	ATF_TP_ADD_TC(tp, devices__custom_mode);
	ATF_TP_ADD_TC(tp, devices__custom_owner);
	ATF_TP_ADD_TC(tp, devices__custom_outside_dev);
	ATF_TP_ADD_TC(tp, devices__custom_nested_dir);
	return atf_no_error();
}
