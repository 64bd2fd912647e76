/*
 * Internal interfaces of the mntns program.
 *
 * config.c and its siblings turn a bundle's config.json into a struct
 * container_config.  container.c builds the container from it with
 * libmntns and runs the process.  state.c records created containers under
 * --root.
 * Functions return 0 or a negative errno and fill a struct mntns_error;
 * only main.c and the cmd_*.c files print.
 */
#ifndef MNTNS_CLI_H
#define MNTNS_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include <jansson.h>

#include "mntns.h"

#define OCI_VERSION "1.0.2"
/* The annotation that selects the defaults run applies: "oci" (the
 * default) or "libcontainer-2015".  mntns spec --profile writes it.  The
 * key uses reverse domain notation, which the runtime specification
 * recommends (SHOULD) for annotation keys. */
#define PROFILE_ANNOTATION "org.mntns.profile"

#define cleanup(fn) __attribute__((cleanup(fn)))

void free_charp(char **pointer);
void close_fdp(int *fd);
void fclose_filep(FILE **file);
#define cleanup_free cleanup(free_charp)
#define cleanup_close cleanup(close_fdp)
#define cleanup_fclose cleanup(fclose_filep)
/* json_decrefp comes with jansson 2.14. */
#define cleanup_json cleanup(json_decrefp)

/* Fills err with errnum and a printf-style message; returns -errnum. */
int fail(struct mntns_error *err, int errnum, const char *format, ...)
	__attribute__((format(printf, 3, 4)));
/* As fail(), with ": <strerror(errnum)>" appended. */
int fail_errno(struct mntns_error *err, int errnum, const char *format,
	       ...) __attribute__((format(printf, 3, 4)));

/* log.c: messages of the program, on stderr and in the --log file. */
enum log_format { LOG_FORMAT_TEXT, LOG_FORMAT_JSON };
int log_open(const char *path, enum log_format format,
	     struct mntns_error *err);
void log_error(const char *format, ...) __attribute__((format(printf, 1, 2)));
void log_warning(const char *format, ...)
	__attribute__((format(printf, 1, 2)));
void log_debug(const char *format, ...) __attribute__((format(printf, 1, 2)));
void log_set_debug(bool enabled);
void log_trace_handler(enum mntns_trace_level level, const char *message,
		       void *userdata);

/* ------------------------------------------------------------------ */
/* config.json                                                          */

enum profile {
	PROFILE_OCI = 0,
	PROFILE_LIBCONTAINER_2015,
};

struct id_mapping {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

/* A namespace to join rather than create. */
struct namespace_join {
	int clone_flag;
	const char *path;
};

struct rlimit_entry {
	int resource;
	struct rlimit limit;
};

/* Capability sets as bit masks indexed by capability number. */
struct capability_sets {
	uint64_t bounding;
	uint64_t effective;
	uint64_t inheritable;
	uint64_t permitted;
	uint64_t ambient;
};

struct process_config {
	bool terminal;
	unsigned short console_rows;
	unsigned short console_columns;
	const char **args; /* NULL-terminated */
	const char **env; /* NULL-terminated */
	const char *cwd;
	uid_t uid;
	gid_t gid;
	gid_t *additional_gids;
	size_t additional_gids_count;
	bool has_umask;
	mode_t umask;
	bool has_capabilities;
	struct capability_sets capabilities;
	bool no_new_privileges;
	struct rlimit_entry *rlimits;
	size_t rlimits_count;
	bool has_oom_score_adj;
	int oom_score_adj;
	const char *selinux_label;
};

/* A parsed config.json.  Strings point into document or into owned, so
 * the whole structure lives until config_free(). */
struct container_config {
	json_t *document;
	char *config_path; /* absolute */
	char *bundle; /* absolute */
	char *rootfs; /* absolute, symlinks resolved */
	const char *oci_version;
	enum profile profile;
	const char *hostname;
	const char *domainname;
	json_t *annotations; /* borrowed from document, or NULL */
	struct process_config process;

	int clone_flags; /* namespaces to create */
	struct namespace_join joins[8];
	size_t joins_count;
	struct id_mapping *uid_mappings;
	size_t uid_mappings_count;
	struct id_mapping *gid_mappings;
	size_t gid_mappings_count;

	struct mntns_mount_entry *mounts;
	size_t mounts_count;
	struct mntns_device *devices;
	size_t devices_count;
	const char **masked_paths;
	size_t masked_paths_count;
	const char **readonly_paths;
	size_t readonly_paths_count;
	bool readonly_root;
	enum mntns_propagation rootfs_propagation;
	unsigned int rootfs_propagation_flags; /* MNTNS_ENTRY_* */
	const char *mount_label;

	char **owned; /* strings the parser allocated */
	size_t owned_count;
};

/* Parses bundle/config.json.  Errors name the file and, for a syntax
 * error, its line and column; for an invalid value, the JSON path and
 * the value.  Known fields that mntns does not apply are reported once
 * each through log_warning(). */
int config_load(const char *bundle, struct container_config *config,
		struct mntns_error *err);
/* As config_load(), from a string, for tests; path names it in errors
 * and dir is the bundle directory root.path is relative to. */
int config_load_string(const char *text, const char *path, const char *dir,
		       struct container_config *config,
		       struct mntns_error *err);
void config_free(struct container_config *config);

/* Helpers shared by the config_*.c files. */
char *config_own(struct container_config *config, char *string);
int config_type_error(struct mntns_error *err, const char *file,
		      const char *path, const char *expected,
		      const json_t *value);
int config_value_error(struct mntns_error *err, const char *file,
		       const char *path, const json_t *value,
		       const char *problem);
int config_string(const json_t *value, const char *file, const char *path,
		  const char **out, struct mntns_error *err);
int config_bool(const json_t *value, const char *file, const char *path,
		bool *out, struct mntns_error *err);
int config_integer(const json_t *value, const char *file, const char *path,
		   int64_t min, int64_t max, int64_t *out,
		   struct mntns_error *err);
int config_string_array(const json_t *value, const char *file,
			const char *path, const char ***out, size_t *count,
			struct mntns_error *err);
int config_absolute_path(const json_t *value, const char *file,
			 const char *path, const char **out,
			 struct mntns_error *err);
void config_path_join(char *buffer, size_t size, const char *parent,
		      const char *key);
void config_path_index(char *buffer, size_t size, const char *parent,
		       size_t index);

int config_parse_process(struct container_config *config, const json_t *process,
			 struct mntns_error *err);
int config_parse_capabilities(struct container_config *config,
			      const json_t *capabilities,
			      struct mntns_error *err);
int config_parse_mounts(struct container_config *config, const json_t *mounts,
			struct mntns_error *err);
int config_parse_mount_options(struct container_config *config,
			       const json_t *options, const char *path,
			       struct mntns_mount_entry *entry,
			       struct mntns_error *err);
int config_parse_linux(struct container_config *config, const json_t *linux_,
		       struct mntns_error *err);
int config_parse_namespaces(struct container_config *config,
			    const json_t *namespaces, struct mntns_error *err);
int config_parse_devices(struct container_config *config,
			 const json_t *devices, struct mntns_error *err);
/* mount_error.c: rewrites the message of err, from mntns_setup(), to name
 * the entry of config->mounts that failed (its index, destination, type
 * and data) and the next step.  Other errors stay as they are. */
void mount_error_explain(const struct container_config *config,
			 struct mntns_error *err);
/* Parses a propagation name: private, rprivate, slave... */
int propagation_from_name(const char *name, enum mntns_propagation *out,
			  bool *recursive);

/* ------------------------------------------------------------------ */
/* spec: the default config.json                                        */

struct spec_options {
	enum profile profile;
	bool rootless;
};

/* Builds the default document of a profile. */
json_t *spec_build(const struct spec_options *options);
int spec_profile_from_name(const char *name, enum profile *out);

/* ------------------------------------------------------------------ */
/* Building and running the container                                   */

enum launch_mode {
	LAUNCH_RUN, /* exec the process as soon as the container is built */
	LAUNCH_CREATE, /* wait for start on start_fifo first */
};

struct launch_options {
	enum launch_mode mode;
	const char *id;
	const char *console_socket;
	bool no_pivot;
	int start_fifo; /* LAUNCH_CREATE: read end, opened non-blocking */
};

/* A container process being built, seen from the launcher. */
struct container_process {
	pid_t pid;
	int console_master; /* the pty master when proxying, else -1 */
};

/* Forks the container process and waits until it is built (and, with
 * LAUNCH_RUN, has exec'd).  On failure nothing of it is left running. */
int container_launch(struct container_config *config,
		     const struct launch_options *options,
		     struct container_process *process,
		     struct mntns_error *err);
/* Fills spec from config for mntns_setup(). */
void container_fill_spec(const struct container_config *config,
			 bool no_pivot, struct mntns_spec *spec,
			 struct mntns_device **devices_out,
			 size_t *devices_count_out);
/* Waits for pid, forwarding signals; returns its exit status, or
 * 128 + N when signal N killed it. */
int container_wait(pid_t pid, int console_master);

/* namespaces.c */
int namespaces_join(const struct container_config *config,
		    struct mntns_error *err);
int namespaces_write_mappings(pid_t pid, const struct container_config *config,
			      struct mntns_error *err);

/* process.c: runs in the container process after mntns_setup(). */
int process_prepare_early(const struct container_config *config,
			  struct mntns_error *err);
int process_prepare_identity(const struct container_config *config,
			     bool setgroups_allowed, struct mntns_error *err);
int process_exec(const struct container_config *config,
		 struct mntns_error *err);

/* capabilities.c */
int capabilities_from_name(const char *name, int *out);
int capabilities_apply_bounding(const struct capability_sets *sets,
				struct mntns_error *err);
int capabilities_apply(const struct capability_sets *sets,
		       struct mntns_error *err);

/* console.c */
int console_open_peer(int master, struct mntns_error *err);
int console_make_stdio(int slave, struct mntns_error *err);
int console_connect(const char *path, struct mntns_error *err);
int console_send_fd(int socket_fd, int fd, const char *payload,
		    size_t payload_size, struct mntns_error *err);
int console_receive_fd(int socket_fd, char *payload, size_t payload_size,
		       int *fd, struct mntns_error *err);
int console_set_size(int fd, unsigned short rows, unsigned short columns);
/* console_proxy.c: copies between stdin/stdout and master until the
 * container closes its side; the terminal on stdin, if any, is in raw mode
 * meanwhile.  When stdin ends, the container's terminal gets its VEOF
 * character. */
void console_proxy(int master);

/* ------------------------------------------------------------------ */
/* State of created containers, under --root                            */

enum container_status {
	STATUS_CREATED,
	STATUS_RUNNING,
	STATUS_STOPPED,
};

struct container_state {
	char id[256];
	pid_t pid;
	unsigned long long start_time; /* /proc/PID/stat field 22 */
	char *bundle;
	char *created; /* RFC 3339 */
	json_t *annotations;
	enum container_status status;
};

int state_validate_id(const char *id, struct mntns_error *err);
int state_dir_path(const char *root, const char *id, char *buffer,
		   size_t size);
int state_create_dir(const char *root, const char *id,
		     struct mntns_error *err);
void state_remove_dir(const char *root, const char *id);
int state_write(const char *root, const struct container_state *state,
		struct mntns_error *err);
int state_read(const char *root, const char *id,
	       struct container_state *state, struct mntns_error *err);
void state_free(struct container_state *state);
const char *state_status_name(enum container_status status);
json_t *state_to_json(const struct container_state *state);
int state_open_pidfd(const struct container_state *state,
		     struct mntns_error *err);
unsigned long long process_start_time(pid_t pid);

/* ------------------------------------------------------------------ */
/* Commands                                                             */

struct global_options {
	const char *root;
	bool debug;
};

int cmd_spec(const struct global_options *global, int argc, char **argv);
int cmd_run(const struct global_options *global, int argc, char **argv);
int cmd_create(const struct global_options *global, int argc, char **argv);
int cmd_start(const struct global_options *global, int argc, char **argv);
int cmd_state(const struct global_options *global, int argc, char **argv);
int cmd_kill(const struct global_options *global, int argc, char **argv);
int cmd_delete(const struct global_options *global, int argc, char **argv);
int cmd_list(const struct global_options *global, int argc, char **argv);

#endif
