/*
 * timeit: runs commands N times each and prints the median wall-clock time
 * of each in milliseconds, one line per command, or "failed: ..." for a
 * command that exited non-zero.
 *
 * Usage: timeit N COMMAND [ARG]... [-- COMMAND [ARG]...]...
 *
 * The runs are interleaved (run 1 of every command, then run 2...), so a
 * change in the machine's load during the measurement weighs on every
 * command alike and the ratios between them stay fair.  stdin and stdout
 * are /dev/null.  stderr goes to a temporary file, and its last line is
 * printed after "failed:", so the reason for a failure reaches the
 * caller.  A failed command is not run again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct command {
	char **argv;
	double *times;
	bool failed;
	char reason[512];
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Runs argv once with stderr sent to err_fd and returns its wait status. */
static int run_once(char **argv, int err_fd)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		dup2(null, 0);
		dup2(null, 1);
		dup2(err_fd, 2);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

/* Copies the last line of the file open at fd into line. */
static void last_line(int fd, char *line, size_t size)
{
	char text[4096];
	off_t end = lseek(fd, 0, SEEK_END);
	off_t start = end > (off_t)sizeof(text) - 1 ?
			      end - (off_t)sizeof(text) + 1 : 0;
	ssize_t length = pread(fd, text, sizeof(text) - 1, start);

	text[length > 0 ? length : 0] = '\0';
	while (length > 0 && text[length - 1] == '\n')
		text[--length] = '\0';
	char *newline = strrchr(text, '\n');
	const char *last = newline ? newline + 1 : text;
	size_t copied = strnlen(last, size - 1);
	memcpy(line, last, copied);
	line[copied] = '\0';
}

static void record_failure(struct command *command, int status, int err_fd)
{
	char line[256] = "";
	int code = status < 0 ? -1 :
		   WIFEXITED(status) ? WEXITSTATUS(status) :
				       128 + WTERMSIG(status);

	if (err_fd >= 0)
		last_line(err_fd, line, sizeof(line));
	snprintf(command->reason, sizeof(command->reason),
		 "failed: exit status %d: %s", code, line);
	command->failed = true;
}

/* Splits argv at each "--" into commands and returns their number. */
static int split_commands(char **argv, struct command *commands, int runs)
{
	int count = 0;

	while (*argv) {
		commands[count].argv = argv;
		commands[count].times = calloc(runs, sizeof(double));
		if (!commands[count].times)
			return -1;
		count++;
		while (*argv && strcmp(*argv, "--") != 0)
			argv++;
		if (*argv)
			*argv++ = NULL;
	}
	return count;
}

static double median(double *times, int runs)
{
	qsort(times, runs, sizeof(*times), compare_doubles);
	return runs % 2 ? times[runs / 2] :
			  (times[runs / 2 - 1] + times[runs / 2]) / 2;
}

int main(int argc, char **argv)
{
	if (argc < 3 || atoi(argv[1]) < 1) {
		fprintf(stderr, "usage: timeit N COMMAND [ARG]... "
				"[-- COMMAND [ARG]...]...\n");
		return 2;
	}
	int runs = atoi(argv[1]);
	struct command *commands = calloc(argc, sizeof(*commands));
	int count = commands ? split_commands(argv + 2, commands, runs) : -1;
	if (count < 0) {
		fprintf(stderr, "timeit: out of memory\n");
		return 1;
	}

	for (int i = 0; i < runs; i++) {
		for (int c = 0; c < count; c++) {
			if (commands[c].failed)
				continue;
			/* Without O_TMPFILE the run keeps timeit's stderr,
			 * and the reason stays there. */
			int err_fd = open("/tmp", O_TMPFILE | O_RDWR, 0600);
			double start = now_ms();
			int status = run_once(commands[c].argv,
					      err_fd >= 0 ? err_fd : 2);
			commands[c].times[i] = now_ms() - start;
			if (status != 0)
				record_failure(&commands[c], status, err_fd);
			if (err_fd >= 0)
				close(err_fd);
		}
	}

	int failures = 0;
	for (int c = 0; c < count; c++) {
		if (commands[c].failed) {
			printf("%s\n", commands[c].reason);
			failures++;
			continue;
		}
		printf("%.2f\n", median(commands[c].times, runs));
	}
	return failures ? 1 : 0;
}
