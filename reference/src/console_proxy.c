/*
 * The console proxy: without --console-socket, mntns copies between its
 * own stdio and the master of the container's pty until the container's
 * processes have closed the slave.
 *
 * A pty has no end of file of its own.  Its reader sees one when the line
 * discipline receives the VEOF character (usually ^D) in canonical mode,
 * and a line editor in raw mode takes a ^D on an empty line as the end.
 * When mntns's stdin ends, mntns writes VEOF to the master and stops
 * reading stdin, as util-linux's script(1) does with a ^D.
 *
 * That VEOF can be lost.  Linux's n_tty turns an unread VEOF into a NUL
 * byte when the reader switches from canonical to raw mode, and an unread
 * raw ^D is an ordinary character to a canonical reader (both seen on
 * Linux 6.18).  A shell with line editing switches modes as it starts and
 * around every command it runs.  So mntns samples the slave's mode while
 * the container runs and writes VEOF again after each switch, at most
 * MAX_EOF_WRITES times in all.
 */
#include <errno.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "cli.h"

/* Bounds the VEOF writes for a program that keeps switching modes. */
#define MAX_EOF_WRITES 16
/* How often the slave's mode is sampled after the end of stdin: every
 * 10 ms after a switch, slowing down to every 500 ms while nothing
 * changes, so that a long-running container costs two wakeups a second. */
#define MODE_CHECK_MIN_MS 10
#define MODE_CHECK_MAX_MS 500

/* The input side of the proxy. */
struct proxy_input {
	bool ended; /* stdin reached its end or failed */
	bool line_open; /* the last byte copied to the master ends no line */
	bool canonical; /* the slave's ICANON when VEOF was last written */
	int eof_writes;
	int check_ms; /* poll timeout once stdin has ended, -1 for none */
};

static struct termios saved_termios;
static bool termios_saved;

static void restore_terminal(void)
{
	if (termios_saved)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
}

static void make_raw(int master)
{
	struct termios raw;
	struct winsize size;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &size) == 0)
		ioctl(master, TIOCSWINSZ, &size);
	if (tcgetattr(STDIN_FILENO, &saved_termios) < 0)
		return;
	termios_saved = true;
	atexit(restore_terminal);
	raw = saved_termios;
	cfmakeraw(&raw);
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
}

/* Writes all of buffer; returns false when fd is closed. */
static bool write_all(int fd, const char *buffer, ssize_t size)
{
	while (size > 0) {
		ssize_t written = write(fd, buffer, size);
		if (written < 0 && errno == EINTR)
			continue;
		if (written <= 0)
			return false;
		buffer += written;
		size -= written;
	}
	return true;
}

/* Copies one chunk from one fd to another; false at end of input.  The
 * last byte copied goes to *last when last is not NULL. */
static bool copy_chunk(int from, int to, char *last)
{
	char buffer[8192];
	ssize_t size = read(from, buffer, sizeof(buffer));

	if (size < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (size <= 0)
		return false;
	if (last)
		*last = buffer[size - 1];
	return write_all(to, buffer, size);
}

/* Returns whether the slave is in canonical mode, and stores its termios
 * in settings.  On Linux, tcgetattr() on a pty master reads the slave's. */
static bool slave_canonical(int master, struct termios *settings)
{
	if (tcgetattr(master, settings) < 0)
		return false;
	return settings->c_lflag & ICANON;
}

/* Writes the slave's VEOF.  After a partial line in canonical mode the
 * first VEOF only ends that line, so the first write then sends two. */
static void write_eof(int master, struct proxy_input *input, bool first)
{
	struct termios settings = { 0 };
	char eof[2] = { CEOF, CEOF };

	input->canonical = slave_canonical(master, &settings);
	if (settings.c_cc[VEOF] != _POSIX_VDISABLE)
		eof[0] = eof[1] = settings.c_cc[VEOF];
	bool twice = first && input->canonical && input->line_open;
	write_all(master, eof, twice ? 2 : 1);
	input->eof_writes++;
	input->check_ms = MODE_CHECK_MIN_MS;
}

/* Writes VEOF again when the slave switched between canonical and raw
 * mode since the last write, else slows down the sampling.  The sampling
 * stops after the last write allowed. */
static void check_mode_switch(int master, struct proxy_input *input,
			      bool timed_out)
{
	struct termios settings;

	if (input->eof_writes >= MAX_EOF_WRITES) {
		input->check_ms = -1;
		return;
	}
	if (slave_canonical(master, &settings) != input->canonical) {
		write_eof(master, input, false);
		return;
	}
	if (timed_out && input->check_ms < MODE_CHECK_MAX_MS)
		input->check_ms *= 2;
}

void console_proxy(int master)
{
	struct pollfd fds[2] = {
		{ .fd = master, .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	struct proxy_input input = { 0 };
	char last = '\n';

	make_raw(master);
	for (;;) {
		int ready = poll(fds, 2, input.ended ? input.check_ms : -1);
		if (ready < 0 && errno == EINTR)
			continue;
		if (ready < 0)
			break;
		if (input.ended)
			check_mode_switch(master, &input, ready == 0);
		/* The master reads EIO once every slave is closed, that is
		 * when the container's processes are gone. */
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR) &&
		    !copy_chunk(master, STDOUT_FILENO, NULL))
			break;
		if (!(fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		/* NOTE: the write to the master blocks while the slave's
		 * input queue is full, so a container that neither reads its
		 * input nor stops writing output can stall the proxy. */
		if (copy_chunk(STDIN_FILENO, master, &last))
			continue;
		fds[1].fd = -1;
		input.ended = true;
		input.line_open = last != '\n' && last != '\r';
		write_eof(master, &input, true);
	}
	restore_terminal();
}
