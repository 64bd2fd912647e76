/*
 * The suite's own tests against mutated runtimes: each wrapper under
 * mutants/ runs the runtime under test on a bundle with part of the
 * config dropped, and the cases that check that part must then fail.
 * A case runs another test program of this directory as a plain ATF
 * program, one case at a time, with the wrapper as its runtime.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checks.h"

/* Adds "-v NAME=VALUE" for a suite variable set for this case, so the
 * inner program runs with the same profile and lifecycle. */
static void pass_variable(const atf_tc_t *tc, const char *name,
			  char **argv, size_t *argc, char *storage,
			  size_t size)
{
	if (!atf_tc_has_config_var(tc, name))
		return;
	path_format(storage, size, "%s=%s", name,
		    atf_tc_get_config_var(tc, name));
	argv[(*argc)++] = "-v";
	argv[(*argc)++] = storage;
}

static void exec_case(const atf_tc_t *tc, const char *program,
		      const char *wrapper, const char *name)
{
	char srcdir[PATH_MAX], runtime[PATH_MAX + 16];
	char profile[PATH_MAX], lifecycle[PATH_MAX];
	char *argv[16];
	size_t argc = 0;
	int log = open("output", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		       0644);

	path_format(srcdir, sizeof(srcdir), "%s",
		    atf_tc_get_config_var(tc, "srcdir"));
	path_format(runtime, sizeof(runtime), "runtime=%s", wrapper);
	argv[argc++] = (char *)program;
	argv[argc++] = "-s";
	argv[argc++] = srcdir;
	argv[argc++] = "-r";
	argv[argc++] = "result";
	argv[argc++] = "-v";
	argv[argc++] = runtime;
	pass_variable(tc, "profile", argv, &argc, profile, sizeof(profile));
	pass_variable(tc, "lifecycle", argv, &argc, lifecycle,
		      sizeof(lifecycle));
	argv[argc++] = (char *)name;
	argv[argc] = NULL;
	if (log >= 0) {
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
	}
	execv(program, argv);
	_exit(127);
}

/* Runs case name of program (a file in srcdir) with runtime=wrapper in
 * the work subdirectory name, and returns the first line of its ATF
 * result ("passed", "failed: ...") in a buffer the next call overwrites. */
static const char *run_case(const atf_tc_t *tc, const char *program,
			    const char *wrapper, const char *name)
{
	static char result[1024];
	char path[PATH_MAX];
	FILE *f;
	pid_t pid;

	path_format(path, sizeof(path), "%s/%s",
		    atf_tc_get_config_var(tc, "srcdir"), program);
	if (mkdir(name, 0755) < 0)
		atf_tc_fail("mkdir %s failed: %s", name, strerror(errno));
	pid = fork();
	if (pid < 0)
		atf_tc_fail("fork failed: %s", strerror(errno));
	if (pid == 0) {
		if (chdir(name) < 0)
			_exit(127);
		exec_case(tc, path, wrapper, name);
	}
	if (waitpid(pid, NULL, 0) < 0)
		atf_tc_fail("waitpid failed: %s", strerror(errno));
	path_format(path, sizeof(path), "%s/result", name);
	f = fopen(path, "re");
	if (!f || !fgets(result, sizeof(result), f))
		atf_tc_fail("%s %s wrote no result (%s/output has its "
			    "output)", program, name, name);
	fclose(f);
	result[strcspn(result, "\n")] = '\0';
	return result;
}

/* Resolves the runtime under test, which the wrapper runs, and the
 * wrapper's path; skips without jq, which the wrappers use. */
static void prepare_wrapper(const atf_tc_t *tc, const char *mutant,
			    char *wrapper, size_t size)
{
	struct bundle b;

	if (system("command -v jq >/dev/null") != 0)
		require_tool("jq", "the mutant runtimes rewrite config.json "
				   "with it");
	bundle_init(&b, tc);
	if (setenv("MNTNS_MUTANT_RUNTIME", b.runtime, 1) < 0)
		atf_tc_fail("setenv failed: %s", strerror(errno));
	path_format(wrapper, size, "%s/conformance/mutants/%s", b.top,
		    mutant);
	bundle_free(&b);
}

static void check_result(const char *name, const char *result,
			 const char *expected)
{
	if (strncmp(result, expected, strlen(expected)) != 0)
		atf_tc_fail_nonfatal("%s: expected %s, actual \"%s\" (see "
				     "%s/output)", name, expected, result,
				     name);
}

ATF_TC(mutants__drop_readonly_caught);
ATF_TC_HEAD(mutants__drop_readonly_caught, tc)
{
	atf_tc_set_md_var(tc, "descr", "The readonly cases fail against a "
			  "runtime that ignores root.readonly "
			  "(mutants/drop-readonly), and a case that asks for a "
			  "writable root still passes with it");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(mutants__drop_readonly_caught, tc)
{
	static const char *const caught[] = {
		"readonly__root_write_erofs",
		"readonly__root_flag",
	};
	const char *control = "readonly__root_writable_when_false";
	char wrapper[PATH_MAX];
	const char *result;

	prepare_wrapper(tc, "drop-readonly", wrapper, sizeof(wrapper));
	/* The control shows the wrapper runs containers at all, so the
	 * failures below come from the dropped setting. */
	result = run_case(tc, "readonly_test", wrapper, control);
	ATF_REQUIRE_MSG(!strcmp(result, "passed"), "%s: expected passed, "
			"actual \"%s\" (see %s/output)", control, result,
			control);
	for (size_t i = 0; i < sizeof(caught) / sizeof(*caught); i++) {
		result = run_case(tc, "readonly_test", wrapper, caught[i]);
		check_result(caught[i], result, "failed");
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mutants__drop_readonly_caught);
	return atf_no_error();
}
