/* mntns run: builds the container, runs its process and waits for it. */
#include "cmd_launch.h"

int cmd_run(const struct global_options *global, int argc, char **argv)
{
	struct launch_arguments arguments;
	struct container_config config;
	struct container_process process;
	struct mntns_error err;
	bool exit_now;

	(void)global;
	int status = launch_parse("run", argc, argv, &arguments, &exit_now);
	if (exit_now)
		return status;
	if (state_validate_id(arguments.id, &err) < 0) {
		log_error("%s", err.message);
		return 2;
	}

	if (config_load(arguments.bundle, &config, &err) < 0) {
		log_error("%s", err.message);
		config_free(&config);
		return 1;
	}
	struct launch_options options = {
		.mode = LAUNCH_RUN,
		.id = arguments.id,
		.console_socket = arguments.console_socket,
		.no_pivot = arguments.no_pivot,
		.start_fifo = -1,
	};
	int ret = container_launch(&config, &options, &process, &err);
	config_free(&config);
	if (ret < 0) {
		log_error("run %s: %s", arguments.id, err.message);
		return 1;
	}
	if (arguments.pid_file &&
	    launch_write_pid_file(arguments.pid_file, process.pid, &err) < 0)
		log_error("%s", err.message);
	return container_wait(process.pid, process.console_master);
}
