/*
 * Declarations shared by the files of the nspawn-oci driver: nspawn-oci.c
 * (command line and commands), bundle.c (what nspawn reads) and state.c
 * (the state directory and the container's processes).
 */
#ifndef NSPAWN_OCI_H
#define NSPAWN_OCI_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PROGRAM "nspawn-oci"
/* The only ociVersion that systemd-nspawn 252 accepts. */
#define NSPAWN_OCI_VERSION "1.0.0"

/* Global options. */
struct options {
	const char *state_root; /* --root */
	bool debug; /* --debug */
};

/* The contents of STATE_ROOT/ID/state.json. */
struct state {
	pid_t pid; /* the systemd-nspawn process */
	unsigned long long start_time; /* its start, in clock ticks */
	char bundle[PATH_MAX];
};

/* nspawn-oci.c */
void message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int path_join(char *out, size_t size, const char *dir, const char *name);

/* bundle.c */
int write_bundle_copy(const char *bundle, const char *dir);
int ensure_inaccessible_nodes(void);

/* state.c */
int state_dir(const struct options *o, const char *id, char *out,
	      size_t size);
unsigned long long process_start_time(pid_t pid);
bool state_running(const struct state *s);
int write_state(const char *dir, const struct state *s);
int read_state(const struct options *o, const char *id, struct state *s);
int remove_state(const struct options *o, const char *id);
int parse_signal(const char *text);
int signal_container(const struct state *s, int sig);

#endif
