#! /usr/bin/atf-sh
# Boots the VM image and runs one privileged conformance program inside,
# so "make check" exercises the whole VM path: image, accelerator probe,
# 9p shares, kyua in the guest and the results file handed back.

# escapes_test starts containers from hostile rootfs layouts (symlinks out
# of the rootfs), which needs root and is what a disposable machine is for.
# With 9 cases it keeps the boot test near 20 s under TCG.
program=escapes_test

atf_test_case vm__runs_conformance_program
vm__runs_conformance_program_head() {
	atf_set descr "A VM boots, runs conformance/$program with kyua" \
		"against mntns and returns a results file without failures"
	atf_set require.user root
	atf_set require.progs "qemu-system-x86_64 kyua"
	# Under TCG each case takes about 1 s, 20 times as long as on the
	# host, and a loaded machine can slow that further.
	atf_set timeout 900
}
vm__runs_conformance_program_body() {
	top=$(cd "$(atf_get_srcdir)/.." && pwd)
	scratch=$top/build/vm/runs/boot-test
	for file in build/vm/vmlinux build/vm/initramfs.cpio \
		reference/src/mntns "conformance/$program"; do
		if [ ! -e "$top/$file" ]; then
			atf_fail "$top/$file is missing: run make first"
		fi
	done

	"$top/vm/run" -qs -t 600 -d "$scratch" -- \
		sh vm/guest/kyua-test mntns conformance/Kyuafile "$program" \
		2>stderr
	status=$?
	cat stderr >&2
	if [ "$status" -eq 125 ]; then
		atf_fail "the VM died or timed out; serial log:" \
			"$scratch/serial.log"
	fi
	if [ ! -f "$scratch/results.db" ]; then
		atf_fail "the VM returned no results file (kyua exit status" \
			"$status); output: $scratch/output"
	fi

	summary=$(kyua report -r "$scratch/results.db" | grep '^Test cases:')
	echo "$summary"
	case $summary in
	"Test cases: "*" total, "*" broken, 0 failed") ;;
	*) atf_fail "expected no failed cases, got '$summary'" ;;
	esac
	case $summary in
	*", 0 broken, "*) ;;
	*) atf_fail "expected no broken cases, got '$summary'" ;;
	esac
	case $summary in
	"Test cases: 0 total"*) atf_fail "kyua ran no cases in the VM" ;;
	esac
	if [ "$status" -ne 0 ]; then
		atf_fail "kyua exited with status $status in the VM; output:" \
			"$scratch/output"
	fi
}

atf_init_test_cases() {
	atf_add_test_case vm__runs_conformance_program
}
