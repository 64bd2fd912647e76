/* mntns kill: sends a signal to a container's process. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/pidfd.h>

#include "cli.h"

/* Parses a signal as runc takes it: a number, or a name with or without
 * the SIG prefix, in any case (KILL, sigkill, SIGRTMIN+3). */
static int parse_signal(const char *text)
{
	char upper[32];
	char *end;

	long number = strtol(text, &end, 10);
	if (*text && *end == '\0')
		return number > 0 && number <= SIGRTMAX ? (int)number : -1;

	if (strlen(text) >= sizeof(upper))
		return -1;
	for (size_t i = 0; i <= strlen(text); i++)
		upper[i] = toupper((unsigned char)text[i]);
	const char *name = strncmp(upper, "SIG", 3) == 0 ? upper + 3 : upper;

	if (strncmp(name, "RTMIN+", 6) == 0) {
		number = strtol(name + 6, &end, 10);
		return *end == '\0' && SIGRTMIN + number <= SIGRTMAX ?
			       SIGRTMIN + (int)number : -1;
	}
	for (int signal_number = 1; signal_number < SIGRTMIN; signal_number++) {
		const char *abbreviation = sigabbrev_np(signal_number);
		if (abbreviation && strcmp(abbreviation, name) == 0)
			return signal_number;
	}
	return -1;
}

static int send_signal(const char *root, const char *id, int signal_number,
		       struct mntns_error *err)
{
	struct container_state state;

	int ret = state_read(root, id, &state, err);
	if (ret < 0)
		return ret;
	if (state.status == STATUS_STOPPED) {
		state_free(&state);
		return fail(err, ESRCH, "container %s is stopped", id);
	}
	int pidfd = state_open_pidfd(&state, err);
	state_free(&state);
	if (pidfd < 0)
		return pidfd;
	ret = pidfd_send_signal(pidfd, signal_number, NULL, 0);
	int saved = errno;
	close(pidfd);
	if (ret < 0)
		return fail_errno(err, saved, "send signal %d", signal_number);
	return 0;
}

int cmd_kill(const struct global_options *global, int argc, char **argv)
{
	struct mntns_error err;
	int signal_number = SIGTERM;

	if (argc < 2 || argc > 3 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mntns kill ID [SIGNAL]\n");
		return 2;
	}
	if (argc == 3) {
		signal_number = parse_signal(argv[2]);
		if (signal_number < 0) {
			log_error("kill: \"%s\" is not a signal: use a name "
				  "such as KILL or TERM, or a number",
				  argv[2]);
			return 2;
		}
	}
	if (send_signal(global->root, argv[1], signal_number, &err) < 0) {
		log_error("kill %s: %s", argv[1], err.message);
		return 1;
	}
	return 0;
}
