/* Options shared by mntns run and mntns create. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <string.h>

#include "cmd_launch.h"

static void usage(FILE *out, const char *command)
{
	fprintf(out,
		"usage: mntns %s [options] ID\n"
		"  --bundle, -b DIR         bundle with config.json "
		"(default .)\n"
		"  --console-socket PATH    send the pty master to this unix "
		"socket\n"
		"  --pid-file PATH          write the container's pid to "
		"PATH\n"
		"  --no-pivot               switch root with MS_MOVE, not "
		"pivot_root\n",
		command);
}

int launch_parse(const char *command, int argc, char **argv,
		 struct launch_arguments *arguments, bool *exit_now)
{
	static const struct option options[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "no-pivot", no_argument, NULL, 'n' },
		/* Accepted for runc compatibility; they change nothing. */
		{ "no-new-keyring", no_argument, NULL, 'k' },
		{ "detach", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int option;

	*exit_now = true;
	memset(arguments, 0, sizeof(*arguments));
	arguments->bundle = ".";
	while ((option = getopt_long(argc, argv, "b:h", options, NULL)) != -1) {
		switch (option) {
		case 'b':
			arguments->bundle = optarg;
			break;
		case 'c':
			arguments->console_socket = optarg;
			break;
		case 'p':
			arguments->pid_file = optarg;
			break;
		case 'n':
			arguments->no_pivot = true;
			break;
		case 'k':
			break;
		case 'd':
			if (strcmp(command, "run") == 0) {
				log_error("run --detach is not supported: use "
					  "create and start");
				return 2;
			}
			break;
		case 'h':
			usage(stdout, command);
			return 0;
		default:
			usage(stderr, command);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr, command);
		return 2;
	}
	arguments->id = argv[optind];
	*exit_now = false;
	return 0;
}

int launch_write_pid_file(const char *path, pid_t pid,
			  struct mntns_error *err)
{
	char tmp[PATH_MAX], text[32];

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail_errno(err, errno, "create pid file %s", tmp);
	int length = snprintf(text, sizeof(text), "%d", (int)pid);
	ssize_t written = write(fd, text, length);
	int saved = errno;
	close(fd);
	if (written != length || rename(tmp, path) < 0) {
		if (written == length)
			saved = errno;
		unlink(tmp);
		return fail_errno(err, saved, "write pid file %s", path);
	}
	return 0;
}
