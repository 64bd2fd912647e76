/*
 * End-to-end tests of create, start, state, kill, delete and list, with
 * the state under a --root in the work directory.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

struct lifecycle {
	const atf_tc_t *tc;
	char root[4096];
};

static void lifecycle_init(struct lifecycle *lc, const atf_tc_t *tc)
{
	lc->tc = tc;
	ATF_REQUIRE(getcwd(lc->root, sizeof(lc->root) - 8) != NULL);
	strcat(lc->root, "/state");
}

/* Runs "mntns --root ROOT ARGS..." (at most 6 arguments). */
static void mntns(struct lifecycle *lc, struct run_result *result,
		  const char *a, const char *b, const char *c, const char *d)
{
	const char *argv[] = { helper_mntns(lc->tc), "--root", lc->root, a, b,
			       c, d, NULL };

	helper_run(argv, 60, result);
}

static void require_ok(struct lifecycle *lc, const char *a, const char *b,
		       const char *c, const char *d)
{
	struct run_result result;

	mntns(lc, &result, a, b, c, d);
	ATF_REQUIRE_MSG(result.status == 0, "mntns %s %s failed (%d): %s", a,
			b ? b : "", result.status, result.err);
	helper_free_result(&result);
}

static json_t *state_of(struct lifecycle *lc, const char *id)
{
	struct run_result result;
	json_error_t err;

	mntns(lc, &result, "state", id, NULL, NULL);
	ATF_REQUIRE_MSG(result.status == 0, "state %s failed: %s", id,
			result.err);
	json_t *state = json_loads(result.out, 0, &err);
	ATF_REQUIRE_MSG(state != NULL, "state is not JSON (%s): %s",
			err.text, result.out);
	helper_free_result(&result);
	return state;
}

static void check_status(struct lifecycle *lc, const char *id,
			 const char *expected)
{
	json_t *state = state_of(lc, id);
	const char *status = json_string_value(json_object_get(state,
							       "status"));

	ATF_CHECK_MSG(status && strcmp(status, expected) == 0,
		      "container %s: expected status %s, got %s", id,
		      expected, status ? status : "(none)");
	json_decref(state);
}

/* Waits up to 10 s for a status, as a process exits asynchronously. */
static void wait_status(struct lifecycle *lc, const char *id,
			const char *expected)
{
	for (int i = 0; i < 1000; i++) {
		json_t *state = state_of(lc, id);
		const char *status = json_string_value(
			json_object_get(state, "status"));
		bool done = status && strcmp(status, expected) == 0;
		json_decref(state);
		if (done)
			return;
		usleep(10000);
	}
	check_status(lc, id, expected);
}

static void create_bundle(const atf_tc_t *tc, const char *script)
{
	json_t *config = helper_config(tc, script);

	helper_write_config(config);
	json_decref(config);
}

ATF_TC(lifecycle__full);
ATF_TC_HEAD(lifecycle__full, tc)
{
	atf_tc_set_md_var(tc, "descr", "create, start, kill and delete move "
			  "the container through created, running and "
			  "stopped");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(lifecycle__full, tc)
{
	struct lifecycle lc;
	struct run_result result;

	lifecycle_init(&lc, tc);
	create_bundle(tc, "exec sleep 60");
	require_ok(&lc, "create", "-b", "bundle", "c1");

	json_t *state = state_of(&lc, "c1");
	ATF_CHECK_STREQ(json_string_value(json_object_get(state, "status")),
			"created");
	ATF_CHECK_STREQ(json_string_value(json_object_get(state, "id")),
			"c1");
	ATF_CHECK(json_integer_value(json_object_get(state, "pid")) > 0);
	ATF_CHECK(json_object_get(state, "ociVersion") != NULL);
	ATF_CHECK(json_is_object(json_object_get(state, "annotations")));
	const char *bundle = json_string_value(json_object_get(state,
							       "bundle"));
	ATF_CHECK_MSG(bundle && bundle[0] == '/' &&
			      strstr(bundle, "/bundle"),
		      "bundle is not the absolute bundle path: %s", bundle);
	json_decref(state);

	require_ok(&lc, "start", "c1", NULL, NULL);
	check_status(&lc, "c1", "running");
	require_ok(&lc, "kill", "c1", "KILL", NULL);
	wait_status(&lc, "c1", "stopped");
	require_ok(&lc, "delete", "c1", NULL, NULL);

	mntns(&lc, &result, "state", "c1", NULL, NULL);
	ATF_CHECK_EQ(result.status, 1);
	ATF_CHECK_MSG(strstr(result.err, "container c1 does not exist"),
		      "unexpected stderr: %s", result.err);
	helper_free_result(&result);
}

ATF_TC(lifecycle__config_change_after_create);
ATF_TC_HEAD(lifecycle__config_change_after_create, tc)
{
	atf_tc_set_md_var(tc, "descr", "a change to config.json after create "
			  "does not affect the container");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(lifecycle__config_change_after_create, tc)
{
	struct lifecycle lc;
	char out_dir[4096], text[64] = "";

	lifecycle_init(&lc, tc);
	ATF_REQUIRE(getcwd(out_dir, sizeof(out_dir) - 8) != NULL);
	strcat(out_dir, "/out");
	ATF_REQUIRE(mkdir(out_dir, 0755) == 0);
	/* /mnt exists in the shared rootfs, so the bind writes nothing into
	 * it. */
	json_t *config = helper_config(tc, "echo first > /mnt/result");
	helper_add_mount(config, "/mnt", "bind", out_dir, "rbind,rw");
	helper_write_config(config);
	require_ok(&lc, "create", "-b", "bundle", "c2");

	json_object_set_new(json_object_get(config, "process"), "args",
			    json_pack("[s, s, s]", "sh", "-c",
				      "echo second > /mnt/result"));
	helper_write_config(config);
	json_decref(config);

	require_ok(&lc, "start", "c2", NULL, NULL);
	wait_status(&lc, "c2", "stopped");
	FILE *file = fopen("out/result", "r");
	ATF_REQUIRE_MSG(file != NULL, "the container wrote no out/result");
	ATF_REQUIRE(fgets(text, sizeof(text), file) != NULL);
	fclose(file);
	ATF_CHECK_STREQ(text, "first\n");
	require_ok(&lc, "delete", "c2", NULL, NULL);
}

ATF_TC(lifecycle__two_containers);
ATF_TC_HEAD(lifecycle__two_containers, tc)
{
	atf_tc_set_md_var(tc, "descr", "two containers with different ids "
			  "live side by side and list shows both");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(lifecycle__two_containers, tc)
{
	struct lifecycle lc;
	struct run_result result;

	lifecycle_init(&lc, tc);
	create_bundle(tc, "exec sleep 60");
	require_ok(&lc, "create", "-b", "bundle", "one");
	require_ok(&lc, "create", "-b", "bundle", "two");
	require_ok(&lc, "start", "two", NULL, NULL);
	check_status(&lc, "one", "created");
	check_status(&lc, "two", "running");

	mntns(&lc, &result, "list", NULL, NULL, NULL);
	ATF_CHECK_EQ(result.status, 0);
	ATF_CHECK_MSG(strstr(result.out, "\none ") &&
			      strstr(result.out, "\ntwo "),
		      "list lacks a container:\n%s", result.out);
	helper_free_result(&result);

	require_ok(&lc, "delete", "one", NULL, NULL);
	require_ok(&lc, "delete", "--force", "two", NULL);
	mntns(&lc, &result, "list", "--quiet", NULL, NULL);
	ATF_CHECK_STREQ(result.out, "");
	helper_free_result(&result);
}

ATF_TC(lifecycle__crash_is_stopped);
ATF_TC_HEAD(lifecycle__crash_is_stopped, tc)
{
	atf_tc_set_md_var(tc, "descr", "a container process that crashes is "
			  "reported as stopped");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(lifecycle__crash_is_stopped, tc)
{
	struct lifecycle lc;
	struct run_result result;

	lifecycle_init(&lc, tc);
	/* Pid 1 of a pid namespace ignores SIGSEGV sent from outside, so
	 * this container shares the host's pid namespace and its process
	 * dies of the signal as it would of a crash. */
	json_t *config = helper_config(tc, "exec sleep 60");
	helper_remove_namespace(config, "pid");
	helper_write_config(config);
	json_decref(config);
	require_ok(&lc, "create", "-b", "bundle", "crash");
	require_ok(&lc, "start", "crash", NULL, NULL);
	json_t *state = state_of(&lc, "crash");
	pid_t pid = json_integer_value(json_object_get(state, "pid"));
	json_decref(state);
	ATF_REQUIRE(pid > 0);
	ATF_REQUIRE(kill(pid, SIGSEGV) == 0);
	wait_status(&lc, "crash", "stopped");

	state = state_of(&lc, "crash");
	ATF_CHECK_MSG(json_object_get(state, "pid") == NULL,
		      "a stopped container still reports a pid");
	json_decref(state);
	mntns(&lc, &result, "kill", "crash", "KILL", NULL);
	ATF_CHECK_EQ(result.status, 1);
	ATF_CHECK_MSG(strstr(result.err, "is stopped"),
		      "unexpected stderr: %s", result.err);
	helper_free_result(&result);
	require_ok(&lc, "delete", "crash", NULL, NULL);
}

ATF_TC(lifecycle__duplicate_id);
ATF_TC_HEAD(lifecycle__duplicate_id, tc)
{
	atf_tc_set_md_var(tc, "descr", "create with an id in use fails and "
			  "leaves the first container alone");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(lifecycle__duplicate_id, tc)
{
	struct lifecycle lc;
	struct run_result result;

	lifecycle_init(&lc, tc);
	create_bundle(tc, "exec sleep 60");
	require_ok(&lc, "create", "-b", "bundle", "dup");
	mntns(&lc, &result, "create", "-b", "bundle", "dup");
	ATF_CHECK_EQ(result.status, 1);
	ATF_CHECK_MSG(strstr(result.err, "container dup already exists"),
		      "unexpected stderr: %s", result.err);
	helper_free_result(&result);
	check_status(&lc, "dup", "created");
	require_ok(&lc, "delete", "dup", NULL, NULL);
}

ATF_TC(lifecycle__start_not_created);
ATF_TC_HEAD(lifecycle__start_not_created, tc)
{
	atf_tc_set_md_var(tc, "descr", "start of a running container fails "
			  "with its status");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(lifecycle__start_not_created, tc)
{
	struct lifecycle lc;
	struct run_result result;

	lifecycle_init(&lc, tc);
	create_bundle(tc, "exec sleep 60");
	require_ok(&lc, "create", "-b", "bundle", "s");
	require_ok(&lc, "start", "s", NULL, NULL);
	mntns(&lc, &result, "start", "s", NULL, NULL);
	ATF_CHECK_EQ(result.status, 1);
	ATF_CHECK_MSG(strstr(result.err, "container s is running, not "
					 "created"),
		      "unexpected stderr: %s", result.err);
	helper_free_result(&result);
	require_ok(&lc, "delete", "--force", "s", NULL);
}

ATF_TC(lifecycle__delete_running);
ATF_TC_HEAD(lifecycle__delete_running, tc)
{
	atf_tc_set_md_var(tc, "descr", "delete of a running container needs "
			  "--force");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(lifecycle__delete_running, tc)
{
	struct lifecycle lc;
	struct run_result result;

	lifecycle_init(&lc, tc);
	create_bundle(tc, "exec sleep 60");
	require_ok(&lc, "create", "-b", "bundle", "busy");
	require_ok(&lc, "start", "busy", NULL, NULL);
	mntns(&lc, &result, "delete", "busy", NULL, NULL);
	ATF_CHECK_EQ(result.status, 1);
	ATF_CHECK_MSG(strstr(result.err, "container busy is running"),
		      "unexpected stderr: %s", result.err);
	helper_free_result(&result);
	check_status(&lc, "busy", "running");
	require_ok(&lc, "delete", "--force", "busy", NULL);
}

ATF_TC(lifecycle__failed_create_leaves_nothing);
ATF_TC_HEAD(lifecycle__failed_create_leaves_nothing, tc)
{
	atf_tc_set_md_var(tc, "descr", "a create that fails leaves no state "
			  "behind");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(lifecycle__failed_create_leaves_nothing, tc)
{
	struct lifecycle lc;
	struct run_result result;
	char path[4200];
	json_t *config = helper_config(tc, "true");

	lifecycle_init(&lc, tc);
	helper_add_mount(config, "/mnt", "nosuchfs", "none", NULL);
	helper_write_config(config);
	json_decref(config);
	mntns(&lc, &result, "create", "-b", "bundle", "bad");
	ATF_CHECK_EQ(result.status, 1);
	ATF_CHECK_MSG(strstr(result.err, "create bad:"),
		      "unexpected stderr: %s", result.err);
	helper_free_result(&result);
	snprintf(path, sizeof(path), "%s/bad", lc.root);
	ATF_CHECK_MSG(access(path, F_OK) < 0, "%s is left behind", path);
}

ATF_TC(lifecycle__kill_signal_names);
ATF_TC_HEAD(lifecycle__kill_signal_names, tc)
{
	atf_tc_set_md_var(tc, "descr", "kill takes a signal by name, with or "
			  "without SIG, or by number, and rejects others");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(lifecycle__kill_signal_names, tc)
{
	struct lifecycle lc;
	struct run_result result;

	lifecycle_init(&lc, tc);
	create_bundle(tc, "trap 'echo usr1' USR1; sleep 60 & wait; wait");
	require_ok(&lc, "create", "-b", "bundle", "sig");
	require_ok(&lc, "start", "sig", NULL, NULL);
	mntns(&lc, &result, "kill", "sig", "SIGNOPE", NULL);
	ATF_CHECK_EQ(result.status, 2);
	ATF_CHECK_MSG(strstr(result.err, "\"SIGNOPE\" is not a signal"),
		      "unexpected stderr: %s", result.err);
	helper_free_result(&result);
	require_ok(&lc, "kill", "sig", "usr1", NULL);
	require_ok(&lc, "kill", "sig", "9", NULL);
	wait_status(&lc, "sig", "stopped");
	require_ok(&lc, "delete", "sig", NULL, NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, lifecycle__full);
	ATF_TP_ADD_TC(tp, lifecycle__config_change_after_create);
	ATF_TP_ADD_TC(tp, lifecycle__two_containers);
	ATF_TP_ADD_TC(tp, lifecycle__crash_is_stopped);
	ATF_TP_ADD_TC(tp, lifecycle__duplicate_id);
	ATF_TP_ADD_TC(tp, lifecycle__start_not_created);
	ATF_TP_ADD_TC(tp, lifecycle__delete_running);
	ATF_TP_ADD_TC(tp, lifecycle__failed_create_leaves_nothing);
	ATF_TP_ADD_TC(tp, lifecycle__kill_signal_names);
	return atf_no_error();
}
