/* mntns list: the containers recorded under --root. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void print_container(const char *root, const char *id, bool quiet)
{
	struct container_state state;
	struct mntns_error err;

	if (state_read(root, id, &state, &err) < 0) {
		log_warning("list: %s", err.message);
		return;
	}
	if (quiet)
		printf("%s\n", id);
	else
		printf("%-20s %-8d %-8s %-40s %s\n", id,
		       state.status == STATUS_STOPPED ? 0 : (int)state.pid,
		       state_status_name(state.status), state.bundle,
		       state.created);
	state_free(&state);
}

static int compare_names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int only_containers(const struct dirent *entry)
{
	return entry->d_name[0] != '.';
}

int cmd_list(const struct global_options *global, int argc, char **argv)
{
	static const struct option options[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	struct dirent **entries;
	bool quiet = false;
	int option;

	while ((option = getopt_long(argc, argv, "q", options, NULL)) != -1) {
		if (option != 'q' || optind > argc) {
			fprintf(stderr, "usage: mntns list [--quiet]\n");
			return 2;
		}
		quiet = true;
	}
	if (optind != argc) {
		fprintf(stderr, "usage: mntns list [--quiet]\n");
		return 2;
	}

	int count = scandir(global->root, &entries, only_containers,
			    compare_names);
	if (count < 0 && errno != ENOENT) {
		log_error("list: read %s: %s", global->root, strerror(errno));
		return 1;
	}
	if (!quiet)
		printf("%-20s %-8s %-8s %-40s %s\n", "ID", "PID", "STATUS",
		       "BUNDLE", "CREATED");
	for (int i = 0; i < count; i++) {
		print_container(global->root, entries[i]->d_name, quiet);
		free(entries[i]);
	}
	if (count > 0)
		free(entries);
	return 0;
}
