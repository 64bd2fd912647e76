#! /usr/bin/atf-sh
# Tests of the nspawn-oci driver against a stand-in systemd-nspawn (a shell
# script named by NSPAWN_OCI_NSPAWN), so the command line, the bundle copy
# and the state handling run on any host.  The suite itself runs the real
# systemd-nspawn in the VM.

driver() {
	echo "$(atf_get_srcdir)/nspawn-oci"
}

# Writes ./fake-nspawn.  With --version it prints systemd's first line.
# Otherwise it records its arguments and the config.json it was given,
# then follows FAKE_ACTION: "exit N", or "container" (a child in a new pid
# namespace that sleeps FAKE_SLEEP seconds, like a container's init).
make_fake() {
	cat >fake-nspawn <<'FAKE'
#!/bin/sh
if [ "$1" = --version ]; then
	echo "systemd 252 (252.39-1~deb12u2)"
	echo "+PAM +AUDIT"
	exit 0
fi
printf '%s\n' "$@" >"$FAKE_DIR/args"
if [ -t 0 ]; then
	tty >"$FAKE_DIR/tty"
fi
for arg; do
	case $arg in
	--oci-bundle=*) cp "${arg#--oci-bundle=}/config.json" "$FAKE_DIR/seen.json" ;;
	esac
done
case ${FAKE_ACTION:-exit 0} in
container) exec unshare --pid --fork --kill-child sleep "$FAKE_SLEEP" ;;
exit*) exit ${FAKE_ACTION#exit } ;;
esac
FAKE
	chmod 0755 fake-nspawn
	mkdir -p run-systemd/inaccessible
	touch run-systemd/inaccessible/reg
	export NSPAWN_OCI_NSPAWN="$PWD/fake-nspawn" FAKE_DIR="$PWD" \
		NSPAWN_OCI_INACCESSIBLE="$PWD/run-systemd/inaccessible"
}

# Writes bundle/config.json with the given ociVersion and root.path, and
# linux.resources when the third argument is "resources".
make_bundle() {
	mkdir -p bundle/rootfs
	resources=""
	if [ "${3:-}" = resources ]; then
		resources=', "resources": { "pids": { "limit": 10 } }'
	fi
	cat >bundle/config.json <<JSON
{ "ociVersion": "$1", "root": { "path": "$2" },
  "process": { "args": [ "/bin/true" ] },
  "linux": { "namespaces": [ { "type": "mount" } ]$resources } }
JSON
}

# Prints the value at a dotted key path of a JSON file, "null" if absent.
json_field() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d=d.get(k) if isinstance(d, dict) else None
print("null" if d is None else d)' "$1" "$2"
}

atf_test_case version__nspawn_version
version__nspawn_version_head() {
	atf_set descr "--version prints systemd-nspawn's version on the" \
		"first line, where the suite reads the runtime version"
}
version__nspawn_version_body() {
	make_fake
	atf_check -o match:'^systemd-nspawn version 252 \(252\.39-1~deb12u2\)$' \
		-o match:'^driver: nspawn-oci$' "$(driver)" --version
}

atf_test_case version__missing_nspawn
version__missing_nspawn_head() {
	atf_set descr "--version fails with a message when systemd-nspawn" \
		"is missing"
}
version__missing_nspawn_body() {
	export NSPAWN_OCI_NSPAWN="$PWD/missing"
	atf_check -s exit:1 -e match:'install systemd-container' \
		"$(driver)" --version
}

atf_test_case run__config_copy
run__config_copy_head() {
	atf_set descr "run hands nspawn a copy of config.json with ociVersion" \
		"1.0.0, no linux.resources and an absolute root.path"
	atf_set require.progs python3
}
run__config_copy_body() {
	make_fake
	make_bundle 1.0.2-dev rootfs resources
	bundle=$(cd bundle && pwd -P)
	atf_check -e save:stderr "$(driver)" --root "$PWD/state" run \
		--bundle bundle c1
	atf_check_equal 1.0.0 "$(json_field seen.json ociVersion)"
	atf_check_equal "$bundle/rootfs" "$(json_field seen.json root.path)"
	atf_check_equal null "$(json_field seen.json linux.resources)"
	atf_check_equal "[{'type': 'mount'}]" \
		"$(json_field seen.json linux.namespaces)"
	atf_check -o inline:"3\n" -x "wc -l <stderr"
	atf_check -o ignore grep -F 'ociVersion "1.0.2-dev" changed to "1.0.0"' stderr
	atf_check -o ignore grep -F 'linux.resources removed' stderr
	atf_check -o ignore grep -F "root.path \"rootfs\" changed to \"$bundle/rootfs\"" stderr
}

atf_test_case run__bundle_unchanged
run__bundle_unchanged_head() {
	atf_set descr "run leaves the caller's config.json as it was"
}
run__bundle_unchanged_body() {
	make_fake
	make_bundle 1.0.2 rootfs resources
	cp bundle/config.json original.json
	atf_check -e ignore "$(driver)" --root "$PWD/state" run -b bundle c1
	atf_check cmp bundle/config.json original.json
}

atf_test_case run__no_change_silent
run__no_change_silent_head() {
	atf_set descr "run prints nothing when config.json needs no change"
}
run__no_change_silent_body() {
	make_fake
	make_bundle 1.0.0 "$PWD/bundle/rootfs"
	atf_check -e empty "$(driver)" --root "$PWD/state" run -b bundle c1
}

atf_test_case run__nspawn_options
run__nspawn_options_head() {
	atf_set descr "run starts nspawn with --oci-bundle on the copy," \
		"--register=no, --keep-unit and -q"
}
run__nspawn_options_body() {
	make_fake
	make_bundle 1.0.0 rootfs
	atf_check -e ignore "$(driver)" --root "$PWD/state" run -b bundle c1
	printf '%s\n' "--oci-bundle=$PWD/state/c1/bundle" --register=no \
		--keep-unit -q >expected
	atf_check cmp args expected
}

atf_test_case run__inaccessible_nodes
run__inaccessible_nodes_head() {
	atf_set descr "run creates the nodes nspawn masks paths with, mode" \
		"0000, when systemd as PID 1 has not"
	atf_set require.user root
}
run__inaccessible_nodes_body() {
	make_fake
	rm -r run-systemd
	make_bundle 1.0.0 "$PWD/bundle/rootfs"
	atf_check -e match:'creating the masking nodes' \
		"$(driver)" --root "$PWD/state" run -b bundle c1
	for node in reg:regular dir:directory fifo:fifo sock:socket \
		chr:character blk:block; do
		atf_check -o match:"^0 ${node#*:}" \
			stat -c '%a %F' "run-systemd/inaccessible/${node%%:*}"
	done
	atf_check -o inline:"0,0\n" \
		stat -c '%t,%T' run-systemd/inaccessible/chr
	atf_check -e empty "$(driver)" --root "$PWD/state" run -b bundle c2
}

atf_test_case run__console_socket
run__console_socket_head() {
	atf_set descr "run --console-socket sends a pty master with the" \
		"pty's name, and nspawn gets the pty's slave as its terminal"
	atf_set require.progs python3
}
run__console_socket_body() {
	make_fake
	make_bundle 1.0.0 "$PWD/bundle/rootfs"
	# The receiver takes one message with a file descriptor, as a
	# console socket user does, and records the payload and the number of
	# the pty whose master it got (TIOCGPTN works only on a master).
	cat >receiver.py <<'PY'
import array, fcntl, os, socket, sys
TIOCGPTN = 0x80045430  # <asm-generic/ioctls.h>; Python's termios lacks it
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(sys.argv[1])
server.listen(1)
open("ready", "w").close()
conn, _ = server.accept()
payload, fds, _, _ = socket.recv_fds(conn, 4096, 1)
number = array.array("i", [0])
fcntl.ioctl(fds[0], TIOCGPTN, number)
with open("received", "w") as out:
    out.write("%s /dev/pts/%d\n" % (payload.decode(), number[0]))
# Holding the master until the slave side closes keeps the terminal from
# hanging up on nspawn, as a real console user does.
try:
    while os.read(fds[0], 4096):
        pass
except OSError:
    pass
PY
	python3 receiver.py "$PWD/console.sock" &
	receiver=$!
	for i in $(seq 50); do
		[ -f ready ] && break
		sleep 0.1
	done
	atf_check -e empty "$(driver)" --root "$PWD/state" run -b bundle \
		--console-socket "$PWD/console.sock" c1
	wait "$receiver"
	read -r payload master <received
	atf_check_equal "$payload" "$master"
	atf_check_equal "$payload" "$(cat tty)"
}

atf_test_case run__exit_status
run__exit_status_head() {
	atf_set descr "run exits with nspawn's exit status and removes its state"
}
run__exit_status_body() {
	make_fake
	make_bundle 1.0.0 rootfs
	FAKE_ACTION="exit 7" atf_check -s exit:7 -e ignore \
		"$(driver)" --root "$PWD/state" run -b bundle c1
	atf_check test ! -e state/c1
}

atf_test_case run__existing_id
run__existing_id_head() {
	atf_set descr "run rejects an ID whose state directory exists"
}
run__existing_id_body() {
	make_fake
	make_bundle 1.0.0 rootfs
	mkdir -p state/c1
	atf_check -s exit:1 -e match:'container "c1" already exists' \
		"$(driver)" --root "$PWD/state" run -b bundle c1
	atf_check test ! -e args
}

atf_test_case run__invalid_config
run__invalid_config_head() {
	atf_set descr "run rejects a config.json that is not JSON and" \
		"names the file"
}
run__invalid_config_body() {
	make_fake
	mkdir bundle
	echo '{ "ociVersion": ' >bundle/config.json
	atf_check -s exit:1 -e match:'invalid .*bundle/config.json: line' \
		"$(driver)" --root "$PWD/state" run -b bundle c1
	atf_check test ! -e state/c1
}

atf_test_case run__invalid_id
run__invalid_id_head() {
	atf_set descr "run rejects a container ID with a slash"
}
run__invalid_id_body() {
	make_fake
	make_bundle 1.0.0 rootfs
	atf_check -s exit:1 -e match:'invalid container ID "a/b"' \
		"$(driver)" --root "$PWD/state" run -b bundle a/b
}

atf_test_case create__not_supported
create__not_supported_head() {
	atf_set descr "create fails with a message, since nspawn has no" \
		"create/start split"
}
create__not_supported_body() {
	atf_check -s exit:1 -e match:'create is not supported' \
		"$(driver)" --root "$PWD/state" create --bundle . c1
}

# Starts "run" in the background with a fake container and waits until
# its init runs.  The sleep time, unique to this shell, names the init for
# pgrep while other cases run in parallel.
start_container() {
	make_fake
	make_bundle 1.0.0 rootfs
	export FAKE_SLEEP="60.$$"
	FAKE_ACTION=container "$(driver)" --root "$PWD/state" run -b bundle c1 \
		2>run.err &
	echo $! >run.pid
	for i in $(seq 100); do
		if pgrep -f "sleep $FAKE_SLEEP" >/dev/null &&
			[ -f state/c1/state.json ]; then
			return 0
		fi
		sleep 0.1
	done
	atf_fail "the fake container did not start: $(cat run.err)"
}

atf_test_case lifecycle__kill
lifecycle__kill_head() {
	atf_set descr "kill ID KILL signals the container's init in its own" \
		"pid namespace, so run ends and its state goes away"
	atf_set require.user root
	atf_set require.progs unshare pgrep
}
lifecycle__kill_body() {
	start_container
	atf_check "$(driver)" --root "$PWD/state" kill c1 KILL
	wait "$(cat run.pid)" || true
	atf_check test ! -e state/c1
	# "[s]" keeps the pattern from matching atf-check's own command line.
	atf_check -s exit:1 pgrep -f "[s]leep $FAKE_SLEEP"
}

atf_test_case lifecycle__state_running
lifecycle__state_running_head() {
	atf_set descr "state prints status running with the pid of nspawn"
	atf_set require.user root
	atf_set require.progs unshare pgrep python3
}
lifecycle__state_running_body() {
	start_container
	"$(driver)" --root "$PWD/state" state c1 >state.json
	atf_check_equal running "$(json_field state.json status)"
	atf_check_equal c1 "$(json_field state.json id)"
	atf_check_equal "$(pgrep -P "$(cat run.pid)")" \
		"$(json_field state.json pid)"
	atf_check "$(driver)" --root "$PWD/state" delete --force c1
	# run's status is that of the killed nspawn here, so it is ignored.
	wait "$(cat run.pid)" || true
}

atf_test_case delete__running_needs_force
delete__running_needs_force_head() {
	atf_set descr "delete without --force rejects a running container," \
		"delete --force stops and removes it"
	atf_set require.user root
	atf_set require.progs unshare pgrep
}
delete__running_needs_force_body() {
	start_container
	atf_check -s exit:1 -e match:'is running' \
		"$(driver)" --root "$PWD/state" delete c1
	atf_check "$(driver)" --root "$PWD/state" delete --force c1
	wait "$(cat run.pid)" || true
	atf_check test ! -e state/c1
}

atf_test_case delete__stale_state
delete__stale_state_head() {
	atf_set descr "state reports stopped, and delete removes, a container" \
		"whose driver died and left its state"
	atf_set require.progs python3
}
delete__stale_state_body() {
	mkdir -p state/c1/bundle
	echo '{}' >state/c1/bundle/config.json
	# pid 1 with start time 1: a process that exists, but not this one.
	echo '{"pid": 1, "start_time": 1, "bundle": "/b"}' >state/c1/state.json
	"$(driver)" --root "$PWD/state" state c1 >state.json
	atf_check_equal stopped "$(json_field state.json status)"
	atf_check "$(driver)" --root "$PWD/state" delete c1
	atf_check test ! -e state/c1
}

atf_test_case kill__invalid_signal
kill__invalid_signal_head() {
	atf_set descr "kill rejects an unknown signal name"
}
kill__invalid_signal_body() {
	mkdir -p state/c1
	atf_check -s exit:1 -e match:'invalid signal "NOPE"' \
		"$(driver)" --root "$PWD/state" kill c1 NOPE
}

atf_test_case state__not_found
state__not_found_head() {
	atf_set descr "state of an unknown ID fails with not found"
}
state__not_found_body() {
	atf_check -s exit:1 -e match:'container "c9" not found' \
		"$(driver)" --root "$PWD/state" state c9
}

atf_init_test_cases() {
	atf_add_test_case version__nspawn_version
	atf_add_test_case version__missing_nspawn
	atf_add_test_case run__config_copy
	atf_add_test_case run__bundle_unchanged
	atf_add_test_case run__no_change_silent
	atf_add_test_case run__nspawn_options
	atf_add_test_case run__inaccessible_nodes
	atf_add_test_case run__console_socket
	atf_add_test_case run__exit_status
	atf_add_test_case run__existing_id
	atf_add_test_case run__invalid_config
	atf_add_test_case run__invalid_id
	atf_add_test_case create__not_supported
	atf_add_test_case lifecycle__kill
	atf_add_test_case lifecycle__state_running
	atf_add_test_case delete__running_needs_force
	atf_add_test_case delete__stale_state
	atf_add_test_case kill__invalid_signal
	atf_add_test_case state__not_found
}
