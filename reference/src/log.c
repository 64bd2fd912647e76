/*
 * Messages of the program.  Errors and warnings go to stderr as
 * "mntns: ..." lines; with --log they are also appended to that file, as
 * text or, with --log-format json, as one JSON object per line in the
 * shape runc writes ({"level", "msg", "time"}).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static FILE *log_file;
static enum log_format log_file_format;
static bool debug_enabled;

int log_open(const char *path, enum log_format format,
	     struct mntns_error *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail_errno(err, errno, "open log file %s", path);

	log_file = fdopen(fd, "a");
	if (!log_file) {
		int saved = errno;
		close(fd);
		return fail_errno(err, saved, "open log file %s", path);
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	log_file_format = format;
	return 0;
}

void log_set_debug(bool enabled)
{
	debug_enabled = enabled;
}

static void write_log_file(const char *level, const char *message)
{
	char stamp[64];
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (log_file_format == LOG_FORMAT_TEXT) {
		fprintf(log_file, "%s %s: %s\n", stamp, level, message);
		return;
	}

	json_t *line = json_pack("{s:s, s:s, s:s}", "level", level, "msg",
				 message, "time", stamp);
	if (!line)
		return;
	json_dumpf(line, log_file, JSON_COMPACT);
	fputc('\n', log_file);
	json_decref(line);
}

static void vlog(const char *level, bool to_stderr, const char *format,
		 va_list args)
{
	char message[8192];

	vsnprintf(message, sizeof(message), format, args);
	if (to_stderr) {
		if (strcmp(level, "error") == 0)
			fprintf(stderr, "mntns: %s\n", message);
		else
			fprintf(stderr, "mntns: %s: %s\n", level, message);
	}
	if (log_file)
		write_log_file(level, message);
}

void log_error(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vlog("error", true, format, args);
	va_end(args);
}

void log_warning(const char *format, ...)
{
	va_list args;

	va_start(args, format);
	vlog("warning", true, format, args);
	va_end(args);
}

void log_debug(const char *format, ...)
{
	va_list args;

	if (!debug_enabled)
		return;
	va_start(args, format);
	vlog("debug", true, format, args);
	va_end(args);
}

/* The library traces each step at debug level; only --debug shows them,
 * while its warnings always reach the user. */
void log_trace_handler(enum mntns_trace_level level, const char *message,
		       void *userdata)
{
	(void)userdata;
	if (level <= MNTNS_TRACE_ERROR)
		log_debug("%s", message);
	else if (level <= MNTNS_TRACE_WARNING)
		log_warning("%s", message);
	else
		log_debug("%s", message);
}
