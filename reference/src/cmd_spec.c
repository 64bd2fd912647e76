/* mntns spec: writes a default config.json. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: mntns spec [--bundle DIR] [--profile NAME] "
		     "[--rootless]\n"
		     "  --bundle, -b DIR  write DIR/config.json (default .)\n"
		     "  --profile NAME    oci (default) or libcontainer-2015\n"
		     "  --rootless        add a user namespace mapping your "
		     "uid and gid to 0\n");
}

static int write_spec(const char *bundle, const struct spec_options *options)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	cleanup_json json_t *document = spec_build(options);
	if (!document) {
		log_error("build the default config: out of memory");
		return 1;
	}
	/* runc also refuses to overwrite an existing config.json. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST) {
		log_error("%s exists: remove it first", path);
		return 1;
	}
	if (fd < 0) {
		log_error("create %s: %s", path, strerror(errno));
		return 1;
	}
	cleanup_fclose FILE *file = fdopen(fd, "w");
	if (!file || json_dumpf(document, file, JSON_INDENT(2)) < 0 ||
	    fputc('\n', file) == EOF || fflush(file) == EOF) {
		log_error("write %s: %s", path, strerror(errno));
		return 1;
	}
	return 0;
}

int cmd_spec(const struct global_options *global, int argc, char **argv)
{
	static const struct option options[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "profile", required_argument, NULL, 'p' },
		{ "rootless", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct spec_options spec = { .profile = PROFILE_OCI };
	const char *bundle = ".";
	int option;

	(void)global;
	while ((option = getopt_long(argc, argv, "b:h", options, NULL)) != -1) {
		switch (option) {
		case 'b':
			bundle = optarg;
			break;
		case 'p':
			if (spec_profile_from_name(optarg, &spec.profile) == 0)
				break;
			log_error("--profile %s: use oci or "
				  "libcontainer-2015", optarg);
			return 2;
		case 'r':
			spec.rootless = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	return write_spec(bundle, &spec);
}
