/*
 * The container's terminal: the pty slave becomes the process's stdio and
 * controlling terminal; the master goes to --console-socket as an
 * SCM_RIGHTS message.  Without that option, console_proxy.c copies
 * between the master and mntns's own stdio.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "cli.h"

/* Opens the slave of master without a path, so it works whatever the
 * container's /dev looks like (TIOCGPTPEER, Linux 4.13). */
int console_open_peer(int master, struct mntns_error *err)
{
	int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		return fail_errno(err, errno, "open the pty slave");
	return slave;
}

int console_make_stdio(int slave, struct mntns_error *err)
{
	if (setsid() < 0)
		return fail_errno(err, errno, "start a session");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return fail_errno(err, errno, "make the pty the controlling "
				  "terminal");
	for (int fd = 0; fd <= 2; fd++)
		if (dup2(slave, fd) < 0)
			return fail_errno(err, errno, "make the pty fd %d", fd);
	return 0;
}

int console_set_size(int fd, unsigned short rows, unsigned short columns)
{
	struct winsize size = { .ws_row = rows, .ws_col = columns };

	if (rows == 0 && columns == 0)
		return 0;
	return ioctl(fd, TIOCSWINSZ, &size) < 0 ? -errno : 0;
}

int console_connect(const char *path, struct mntns_error *err)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(address.sun_path))
		return fail(err, ENAMETOOLONG, "--console-socket %s: path "
			    "longer than %zu bytes", path,
			    sizeof(address.sun_path) - 1);
	strcpy(address.sun_path, path);

	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail_errno(err, errno, "create a socket");
	if (connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0) {
		int saved = errno;
		close(fd);
		return fail_errno(err, saved, "connect to --console-socket %s",
				  path);
	}
	return fd;
}

int console_send_fd(int socket_fd, int fd, const char *payload,
		    size_t payload_size, struct mntns_error *err)
{
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (void *)payload,
			     .iov_len = payload_size };
	struct msghdr message = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	struct cmsghdr *header = CMSG_FIRSTHDR(&message);

	header->cmsg_level = SOL_SOCKET;
	header->cmsg_type = SCM_RIGHTS;
	header->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(header), &fd, sizeof(int));
	while (sendmsg(socket_fd, &message, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return fail_errno(err, errno, "send the pty master");
	return 0;
}

/* Receives one message of at most payload_size bytes; *fd is -1 when it
 * carried no descriptor.  Returns the payload size, 0 at end of file. */
int console_receive_fd(int socket_fd, char *payload, size_t payload_size,
		       int *fd, struct mntns_error *err)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = payload, .iov_len = payload_size };
	struct msghdr message = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control,
		.msg_controllen = sizeof(control),
	};
	ssize_t received;

	*fd = -1;
	do
		received = recvmsg(socket_fd, &message, MSG_CMSG_CLOEXEC);
	while (received < 0 && errno == EINTR);
	if (received < 0)
		return fail_errno(err, errno, "receive from the container "
				  "process");

	struct cmsghdr *header = CMSG_FIRSTHDR(&message);
	if (header && header->cmsg_level == SOL_SOCKET &&
	    header->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(header), sizeof(int));
	return received;
}
