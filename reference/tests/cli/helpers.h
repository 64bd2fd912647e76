/* Shared steps of the end-to-end tests: the program, a cached busybox
 * rootfs, bundles and runs with captured output. */
#ifndef MNTNS_TEST_HELPERS_H
#define MNTNS_TEST_HELPERS_H

#include <stdbool.h>
#include <sys/types.h>

#include <atf-c.h>
#include <jansson.h>

/* The path of the mntns program under test: reference/src/mntns in a
 * source tree, PREFIX/bin/mntns beside an installed suite. */
const char *helper_mntns(const atf_tc_t *tc);

/* A busybox-static rootfs built once by fixtures/mkrootfs and shared,
 * read-only, by every case: build/cli-rootfs in a source tree,
 * /var/tmp/mntns-tests/cli-rootfs for an installed suite. */
const char *helper_rootfs(const atf_tc_t *tc);

/* A config from "mntns spec" for the bundle directory "bundle" in the work
 * directory: terminal off, root.path the shared rootfs, and the process
 * "sh -c SCRIPT". */
json_t *helper_config(const atf_tc_t *tc, const char *script);
/* As helper_config(), from "mntns spec SPEC_OPTION" (NULL for none). */
json_t *helper_config_spec(const atf_tc_t *tc, const char *spec_option,
			   const char *script);
void helper_write_config(json_t *config);
/* Drops one namespace type from linux.namespaces. */
void helper_remove_namespace(json_t *config, const char *type);
/* Appends a mount to config.mounts. */
void helper_add_mount(json_t *config, const char *destination,
		      const char *type, const char *source,
		      const char *options);

struct run_result {
	int status; /* exit status, or 128 + N for signal N */
	char *out;
	char *err;
};

/* Runs argv (argv[0] a path) with stdin from /dev/null and stdout and
 * stderr captured; kills it after timeout_seconds. */
void helper_run(const char *const *argv, int timeout_seconds,
		struct run_result *result);

/* A step run in the forked child after its stdio is redirected and before
 * exec.  It returns 0, or a negative errno after printing the reason on
 * stderr, which then ends up in run_result.err. */
typedef int (*helper_prepare_fn)(void *arg);
/* The two halves of helper_run(), for a test that acts while the program
 * runs: helper_spawn() starts argv after prepare(arg), when prepare is
 * not NULL, and helper_collect() waits for it and reads its output. */
pid_t helper_spawn(const char *const *argv, helper_prepare_fn prepare,
		   void *arg);
void helper_collect(pid_t pid, int timeout_seconds,
		    struct run_result *result);
/* Moves the calling process into a new mount namespace with / rprivate, so
 * that what it mounts stays off the host and vanishes with its last
 * process.  Prints the reason on stderr when it fails. */
int helper_enter_private_namespace(void);
/* Runs "mntns [global] run -b bundle ID" with the config written. */
void helper_run_config(const atf_tc_t *tc, json_t *config,
		       struct run_result *result);
void helper_free_result(struct run_result *result);

/* Copies into row the last mountinfo line of output whose mount point is
 * mount_point; false when there is none. */
bool helper_mount_row(const char *output, const char *mount_point,
		      char *row, size_t size);
/* Field number index (1-based, as in proc(5)) of a mountinfo row. */
void helper_mount_field(const char *row, int index, char *field,
			size_t size);
/* True when the comma-separated list contains item. */
bool helper_has_option(const char *list, const char *item);

#endif
