/*
 * Runtime driver of the conformance suite: builds an OCI bundle in the
 * test case's work directory, runs it with the runtime under test and
 * returns the probe's report.
 *
 * A case calls bundle_init(), edits the config (bundle_probe(),
 * bundle_add_mount(), config_set() or the json_t directly), then
 * bundle_run() or bundle_try_run(), and checks the report with checks.h.
 * Every function here fails the test case itself (atf_tc_fail) on an
 * error of the suite, so callers need no error handling.
 *
 * kyua configuration variables (test_suites.mntns.NAME):
 *   runtime    path or name of the runtime (default: the reference mntns)
 *   profile    "oci" (default) or "libcontainer-2015": the base config.json
 *              and the defaults the checks expect
 *   lifecycle  "run" (default) or "create-start"
 */
#ifndef CONFORMANCE_DRIVER_H
#define CONFORMANCE_DRIVER_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include <atf-c.h>
#include <jansson.h>
#include <libmount.h>

enum profile {
	PROFILE_OCI,
	PROFILE_LIBCONTAINER_2015,
};

struct bundle;

/* Code run by the runner, the process that starts the runtime, inside its
 * own private mount namespace.  before runs ahead of the runtime.  during
 * runs once the container has created /tmp/.probe-ready in its rootfs
 * (probe "touch:/tmp/.probe-ready").  Each returns 0 or a negative errno,
 * and a failure is reported in the error file of the run. */
struct host_hooks {
	int (*before)(struct bundle *b, void *arg);
	int (*during)(struct bundle *b, void *arg);
	void *arg;
};

struct bundle {
	const atf_tc_t *tc;
	char dir[PATH_MAX]; /* the bundle directory */
	char rootfs[PATH_MAX]; /* dir/rootfs */
	char top[PATH_MAX]; /* srcdir/..: the source tree or the installed
			       suite, PREFIX/tests/mntns */
	json_t *config; /* config.json, written by bundle_run() */

	char runtime[PATH_MAX]; /* resolved path of the runtime */
	char runtime_name[64]; /* "mntns", "runc", "crun"... */
	char runtime_version[64]; /* first version number it prints */
	enum profile profile;
	bool create_start; /* lifecycle create-start instead of run */

	bool terminal; /* give the runtime a pty as its controlling tty */
	mode_t launcher_umask; /* umask the runtime starts with */
	bool private_ns; /* run the runtime in a private mount namespace */
	struct host_hooks hooks; /* run in that namespace */
	unsigned int timeout; /* seconds */
	char id[64]; /* container id */
};

/* The result of one run. */
struct report {
	int status; /* wait status of the runtime */
	char *output; /* stdout, or the pty's output with a terminal */
	char *errors; /* stderr, plus the runner's own messages */
	json_t *json; /* the probe's report, NULL if none was found */
	struct libmnt_table *mounts; /* json "mountinfo" parsed by libmount */
};

/* Prepares a bundle from the profile's base config and a fresh rootfs:
 * the usual top directories, three /etc files and /bin/mntns-probe. */
void bundle_init(struct bundle *b, const atf_tc_t *tc);

/* Appends a probe (such as "write:/x", see probe/mntns-probe.c). */
void bundle_probe(struct bundle *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Appends an entry to config "mounts"; options is comma-separated or
 * NULL. */
void bundle_add_mount(struct bundle *b, const char *destination,
		      const char *type, const char *source,
		      const char *options);

/* Returns the config's "mounts" entry for destination, or NULL. */
json_t *bundle_find_mount(struct bundle *b, const char *destination);

/* Sets a value at a dotted path ("linux.rootfsPropagation"), creating
 * objects on the way; value NULL removes the key.  Takes value over. */
void config_set(struct bundle *b, const char *path, json_t *value);

/* Creates a host directory or file under the bundle dir and returns its
 * path in a static buffer that the next call overwrites. */
const char *bundle_host_dir(struct bundle *b, const char *name);
const char *bundle_host_file(struct bundle *b, const char *name,
			     const char *content);

/* Runs the bundle and fills r.  bundle_try_run() returns 0 when the
 * runtime exited 0 and the report parsed, else -1 (r->status, r->errors
 * tell why); bundle_run() fails the test case instead. */
int bundle_try_run(struct bundle *b, struct report *r);
void bundle_run(struct bundle *b, struct report *r);

void report_free(struct report *r);
void bundle_free(struct bundle *b);

/* True when the runtime under test is name ("runc") and, unless fixed_in
 * is NULL, its version sorts before fixed_in (strverscmp). */
bool runtime_is(const struct bundle *b, const char *name,
		const char *fixed_in);

/* Marks the case as an expected failure for runtime name before version
 * fixed_in (NULL: every version); reason names the public bug report or
 * spec section. */
void runtime_expect_fail(const struct bundle *b, const char *name,
			 const char *fixed_in, const char *reason);

/* Marks the case as an expected failure for exactly version of runtime
 * name, for a deviation that no release has fixed yet: every other
 * version runs the case as usual, so a fix or a regression shows.  reason
 * names the public bug report or spec section. */
void runtime_expect_fail_at(const struct bundle *b, const char *name,
			    const char *version, const char *reason);

/* Marks the case as an expected failure when the table in deviations.c
 * lists it for the runtime, its version and the profile under test.
 * bundle_init() calls it. */
void apply_known_deviations(const struct bundle *b);

/* Skips a check that only the reference can be asked for, because
 * config.json has no field for it, with a reason "not applicable: ...". */
void require_reference(const struct bundle *b, const char *what);

/* Skips the case unless the profile is p, "not applicable: ..." */
void require_profile(const struct bundle *b, enum profile p);

/* snprintf() for paths: fails the case when out is too small. */
void path_format(char *out, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Skips, or fails under CI=true, when a required tool is missing. */
void require_tool(const char *what, const char *why)
	__attribute__((noreturn));

#endif
