/* mntns state: prints the state JSON of the runtime specification. */
#include "cli.h"

int cmd_state(const struct global_options *global, int argc, char **argv)
{
	struct container_state state;
	struct mntns_error err;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: mntns state ID\n");
		return 2;
	}
	if (state_read(global->root, argv[1], &state, &err) < 0) {
		log_error("state %s: %s", argv[1], err.message);
		return 1;
	}
	cleanup_json json_t *json = state_to_json(&state);
	state_free(&state);
	if (!json || json_dumpf(json, stdout, JSON_INDENT(2)) < 0) {
		log_error("state %s: out of memory", argv[1]);
		return 1;
	}
	putchar('\n');
	return 0;
}
