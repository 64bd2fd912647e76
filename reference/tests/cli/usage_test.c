/*
 * Tests of mntns's command line: how option errors read, the operands
 * that --version takes, and the container ids that are rejected.  None of
 * them builds a container.
 */
#include <string.h>

#include "helpers.h"

/* Runs mntns with the arguments of argv after argv[0], which it sets. */
static void run_mntns(const atf_tc_t *tc, const char **argv,
		      struct run_result *result)
{
	argv[0] = helper_mntns(tc);
	helper_run(argv, 30, result);
}

/* Checks that the program failed with status and that its stderr starts
 * with prefix. */
static void check_failure(const struct run_result *result, int status,
			  const char *prefix)
{
	ATF_CHECK_MSG(result->status == status, "expected exit status %d, "
		      "got %d; stderr: %s", status, result->status,
		      result->err);
	ATF_CHECK_MSG(strncmp(result->err, prefix, strlen(prefix)) == 0,
		      "expected stderr to start with \"%s\", got: %s", prefix,
		      result->err);
}

ATF_TC(usage__global_option_prefix);
ATF_TC_HEAD(usage__global_option_prefix, tc)
{
	atf_tc_set_md_var(tc, "descr", "an unknown global option is reported "
			  "as \"mntns: \", not with the program's path");
}
ATF_TC_BODY(usage__global_option_prefix, tc)
{
	const char *argv[] = { NULL, "--bogus", NULL };
	struct run_result result;

	run_mntns(tc, argv, &result);
	check_failure(&result, 2, "mntns: unrecognized option '--bogus'\n");
	ATF_CHECK_MSG(strstr(result.err, argv[0]) == NULL,
		      "stderr names the program's path %s: %s", argv[0],
		      result.err);
	helper_free_result(&result);
}

ATF_TC(usage__command_option_prefix);
ATF_TC_HEAD(usage__command_option_prefix, tc)
{
	atf_tc_set_md_var(tc, "descr", "an unknown option of a command is "
			  "reported as \"mntns: \", not \"run: \"");
}
ATF_TC_BODY(usage__command_option_prefix, tc)
{
	const char *argv[] = { NULL, "run", "--bogus", "id", NULL };
	struct run_result result;

	run_mntns(tc, argv, &result);
	check_failure(&result, 2, "mntns: unrecognized option '--bogus'\n");
	ATF_CHECK_MSG(strstr(result.err, "run: ") == NULL,
		      "stderr has a \"run: \" prefix: %s", result.err);
	helper_free_result(&result);
}

ATF_TC(usage__missing_argument_prefix);
ATF_TC_HEAD(usage__missing_argument_prefix, tc)
{
	atf_tc_set_md_var(tc, "descr", "an option without its argument is "
			  "reported as \"mntns: \"");
}
ATF_TC_BODY(usage__missing_argument_prefix, tc)
{
	const char *argv[] = { NULL, "spec", "--profile", NULL };
	struct run_result result;

	run_mntns(tc, argv, &result);
	check_failure(&result, 2, "mntns: option '--profile' requires an "
		      "argument\n");
	helper_free_result(&result);
}

ATF_TC(usage__version);
ATF_TC_HEAD(usage__version, tc)
{
	atf_tc_set_md_var(tc, "descr", "--version prints the version and "
			  "exits with 0");
}
ATF_TC_BODY(usage__version, tc)
{
	const char *argv[] = { NULL, "--version", NULL };
	struct run_result result;

	run_mntns(tc, argv, &result);
	ATF_CHECK_EQ_MSG(result.status, 0, "expected exit status 0, got %d; "
			 "stderr: %s", result.status, result.err);
	ATF_CHECK_MSG(strncmp(result.out, "mntns version ", 14) == 0,
		      "expected \"mntns version \", got: %s", result.out);
	ATF_CHECK_STREQ(result.err, "");
	helper_free_result(&result);
}

ATF_TC(usage__version_operand);
ATF_TC_HEAD(usage__version_operand, tc)
{
	atf_tc_set_md_var(tc, "descr", "--version followed by an argument "
			  "fails with the usage and exit status 2");
}
ATF_TC_BODY(usage__version_operand, tc)
{
	const char *argv[] = { NULL, "--version", "extra", NULL };
	struct run_result result;

	run_mntns(tc, argv, &result);
	check_failure(&result, 2, "mntns: --version takes no arguments, but "
		      "\"extra\" follows it\n");
	ATF_CHECK_MSG(strstr(result.err, "usage: mntns ") != NULL,
		      "expected the usage on stderr, got: %s", result.err);
	ATF_CHECK_STREQ(result.out, "");
	helper_free_result(&result);
}

ATF_TC(usage__dot_ids);
ATF_TC_HEAD(usage__dot_ids, tc)
{
	atf_tc_set_md_var(tc, "descr", "the ids \".\" and \"..\" are rejected "
			  "because they name directories");
}
ATF_TC_BODY(usage__dot_ids, tc)
{
	static const char *const ids[] = { ".", ".." };
	char expected[128];

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const char *argv[] = { NULL, "--root", "state", "run", ids[i],
				       NULL };
		struct run_result result;

		run_mntns(tc, argv, &result);
		snprintf(expected, sizeof(expected), "mntns: container id "
			 "\"%s\" is invalid: ", ids[i]);
		check_failure(&result, 2, expected);
		ATF_CHECK_MSG(strstr(result.err, "name directories") != NULL,
			      "id \"%s\": expected the reason, got: %s",
			      ids[i], result.err);
		helper_free_result(&result);
	}
}

ATF_TC(usage__dot_id_delete);
ATF_TC_HEAD(usage__dot_id_delete, tc)
{
	atf_tc_set_md_var(tc, "descr", "delete rejects the id \"..\", which "
			  "would name the parent of --root");
}
ATF_TC_BODY(usage__dot_id_delete, tc)
{
	const char *argv[] = { NULL, "--root", "state", "delete", "..", NULL };
	struct run_result result;

	run_mntns(tc, argv, &result);
	check_failure(&result, 1, "mntns: delete ..: container id \"..\" is "
		      "invalid: ");
	ATF_CHECK_MSG(strstr(result.err, "name directories") != NULL,
		      "expected the reason, got: %s", result.err);
	helper_free_result(&result);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, usage__global_option_prefix);
	ATF_TP_ADD_TC(tp, usage__command_option_prefix);
	ATF_TP_ADD_TC(tp, usage__missing_argument_prefix);
	ATF_TP_ADD_TC(tp, usage__version);
	ATF_TP_ADD_TC(tp, usage__version_operand);
	ATF_TP_ADD_TC(tp, usage__dot_ids);
	ATF_TP_ADD_TC(tp, usage__dot_id_delete);
	return atf_no_error();
}
