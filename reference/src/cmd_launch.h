/* Options shared by mntns run and mntns create. */
#ifndef MNTNS_CMD_LAUNCH_H
#define MNTNS_CMD_LAUNCH_H

#include "cli.h"

struct launch_arguments {
	const char *bundle;
	const char *console_socket;
	const char *pid_file;
	bool no_pivot;
	const char *id;
};

/* Parses "[options] ID"; returns 0, or the exit status after printing the
 * usage or an error. */
int launch_parse(const char *command, int argc, char **argv,
		 struct launch_arguments *arguments, bool *exit_now);
/* Writes pid to path (atomically, as runc does). */
int launch_write_pid_file(const char *path, pid_t pid,
			  struct mntns_error *err);

#endif
