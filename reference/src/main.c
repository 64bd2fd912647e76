/*
 * mntns: runs OCI bundles with libmntns.  The command line follows runc's
 * for what tools that drive runtimes use: global options, then a command
 * with its own options and the container id.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>

#include "cli.h"

struct command {
	const char *name;
	int (*run)(const struct global_options *global, int argc,
		   char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "spec", cmd_spec, "write a default config.json in the bundle" },
	{ "run", cmd_run, "create and run a container, wait for it to exit" },
	{ "create", cmd_create, "build a container, stopped before its "
				"process runs" },
	{ "start", cmd_start, "run the process of a created container" },
	{ "state", cmd_state, "print the state of a container as JSON" },
	{ "kill", cmd_kill, "send a signal to a container's process" },
	{ "delete", cmd_delete, "remove a stopped container's state" },
	{ "list", cmd_list, "list the containers under --root" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mntns [global options] COMMAND [options] [ID]\n"
		"\n"
		"global options:\n"
		"  --root DIR         state directory (default /run/mntns)\n"
		"  --log FILE         also append messages to FILE\n"
		"  --log-format FMT   text (default) or json\n"
		"  --debug            print the library's steps\n"
		"  --version, --help\n"
		"\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\nSee mntns(1).\n");
}

enum global_option {
	OPTION_ROOT = 256,
	OPTION_LOG,
	OPTION_LOG_FORMAT,
	OPTION_DEBUG,
	OPTION_IGNORED,
	OPTION_VERSION,
	OPTION_HELP,
};

static const struct option global_options[] = {
	{ "root", required_argument, NULL, OPTION_ROOT },
	{ "log", required_argument, NULL, OPTION_LOG },
	{ "log-format", required_argument, NULL, OPTION_LOG_FORMAT },
	{ "debug", no_argument, NULL, OPTION_DEBUG },
	/* Options runc takes that do not apply to mntns. */
	{ "systemd-cgroup", no_argument, NULL, OPTION_IGNORED },
	{ "rootless", required_argument, NULL, OPTION_IGNORED },
	{ "criu", required_argument, NULL, OPTION_IGNORED },
	{ "version", no_argument, NULL, OPTION_VERSION },
	{ "help", no_argument, NULL, OPTION_HELP },
	{ NULL, 0, NULL, 0 },
};

static int parse_log_format(const char *name, enum log_format *out)
{
	if (strcmp(name, "text") == 0)
		*out = LOG_FORMAT_TEXT;
	else if (strcmp(name, "json") == 0)
		*out = LOG_FORMAT_JSON;
	else
		return -EINVAL;
	return 0;
}

static int open_log(const char *path, const char *format_name)
{
	enum log_format format = LOG_FORMAT_TEXT;
	struct mntns_error err;

	if (format_name && parse_log_format(format_name, &format) < 0) {
		log_error("--log-format %s: use text or json", format_name);
		return -EINVAL;
	}
	if (!path)
		return 0;
	if (log_open(path, format, &err) < 0) {
		log_error("%s", err.message);
		return -EINVAL;
	}
	return 0;
}

/* Prints the version or the help, which take no arguments, and exits
 * with 0.  Returns -1 after printing the usage when an argument follows. */
static int print_and_exit(int option, int argc, char **argv)
{
	const char *name = option == OPTION_VERSION ? "--version" : "--help";

	if (optind < argc) {
		log_error("%s takes no arguments, but \"%s\" follows it",
			  name, argv[optind]);
		usage(stderr);
		return -1;
	}
	if (option == OPTION_VERSION)
		printf("mntns version %s\nspec: %s\n", MNTNS_VERSION,
		       OCI_VERSION);
	else
		usage(stdout);
	exit(0);
}

/* Returns the index of the command in argv, or -1 after printing what
 * was wrong; exits for --help and --version. */
static int parse_global(int argc, char **argv, struct global_options *global)
{
	const char *log_path = NULL, *log_format = NULL;
	int option, exit_option = 0;

	while ((option = getopt_long(argc, argv, "+", global_options,
				     NULL)) != -1) {
		switch (option) {
		case OPTION_ROOT:
			global->root = optarg;
			break;
		case OPTION_LOG:
			log_path = optarg;
			break;
		case OPTION_LOG_FORMAT:
			log_format = optarg;
			break;
		case OPTION_DEBUG:
			global->debug = true;
			break;
		case OPTION_IGNORED:
			break;
		case OPTION_VERSION:
		case OPTION_HELP:
			exit_option = option;
			break;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (open_log(log_path, log_format) < 0)
		return -1;
	if (exit_option)
		return print_and_exit(exit_option, argc, argv);
	return optind;
}

/* Opens /dev/null on each of descriptors 0-2 that is closed, so that no
 * file mntns opens later takes its place: the console proxy would read a
 * pty master or a socket as its stdin. */
static int open_standard_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* open() returns the lowest free descriptor, which is fd
		 * because the ones below it are open. */
		if (open("/dev/null", O_RDWR) < 0)
			return -errno;
	}
	return 0;
}

static char program_name[] = "mntns";

int main(int argc, char **argv)
{
	struct global_options global = { .root = "/run/mntns" };

	int ret = open_standard_fds();
	if (ret < 0) {
		log_error("open /dev/null for a closed standard descriptor: "
			  "%s", strerror(-ret));
		return 1;
	}
	/* getopt_long() starts its messages with argv[0], which is the full
	 * path of the program here and the command's name in the commands,
	 * so both become "mntns". */
	argv[0] = program_name;
	int index = parse_global(argc, argv, &global);
	if (index < 0)
		return 2;
	if (index >= argc) {
		usage(stderr);
		return 2;
	}
	log_set_debug(global.debug);
	mntns_set_trace(log_trace_handler, NULL);

	const char *name = argv[index];
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, name) != 0)
			continue;
		optind = 1;
		argv[index] = program_name;
		return commands[i].run(&global, argc - index, argv + index);
	}
	log_error("unknown command \"%s\": see mntns --help", name);
	return 2;
}
