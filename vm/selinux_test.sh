#! /usr/bin/atf-sh
# Boots a VM with SELinux (vm/run -s) and runs the library's label tests,
# reference/tests/lib/Kyuafile.selinux, with kyua inside.  They need a
# kernel with SELinux enabled and a loaded policy, which the host may lack:
# the guest loads the host's policy in permissive mode.

kyuafile=reference/tests/lib/Kyuafile.selinux
program=reference/tests/lib/labels_test

# Fails under CI=true, where a missing requirement must not pass as a skip,
# and skips otherwise.
require() {
	if [ "${CI:-}" = true ]; then
		atf_fail "$* (CI=true makes this a failure)"
	fi
	atf_skip "$*"
}

atf_test_case vm__selinux_labels
vm__selinux_labels_head() {
	atf_set descr "A VM boots with SELinux in permissive mode and runs" \
		"every case of labels_test with kyua, none failed or skipped"
	atf_set require.user root
	atf_set require.progs "qemu-system-x86_64 kyua"
	# A run took about 7 s under TCG on a 2-core host: a 5 s boot and
	# 1.5 s for the 11 cases.
	atf_set timeout 300
}
vm__selinux_labels_body() {
	top=$(cd "$(atf_get_srcdir)/.." && pwd)
	scratch=$top/build/vm/runs/selinux-test
	for file in build/vm/vmlinux build/vm/initramfs.cpio "$program"; do
		if [ ! -e "$top/$file" ]; then
			atf_fail "$top/$file is missing: run make first"
		fi
	done
	# The guest runs the host's /usr and /etc, so the policy and
	# load_policy must be installed on the host.
	for file in /etc/selinux/config /usr/sbin/load_policy; do
		if [ ! -e "$file" ]; then
			require "$file is missing: run scripts/deps selinux"
		fi
	done
	expected=$("$top/$program" -l | grep -c '^ident: ')

	"$top/vm/run" -qs -t 240 -d "$scratch" -- \
		env CI=true sh vm/guest/kyua-test mntns "$kyuafile" \
		2>stderr
	status=$?
	cat stderr >&2
	if [ "$status" -eq 125 ]; then
		atf_fail "the VM died or timed out; serial log:" \
			"$scratch/serial.log"
	fi
	selinux=$(cat "$scratch/selinux" 2>/dev/null)
	case $selinux in
	permissive*) echo "SELinux in the guest: $selinux" ;;
	*) atf_fail "expected SELinux permissive in the guest, got" \
		"'$selinux'; serial log: $scratch/serial.log" ;;
	esac
	if [ ! -f "$scratch/results.db" ]; then
		atf_fail "the VM returned no results file (kyua exit status" \
			"$status); output: $scratch/output"
	fi

	summary=$(kyua report -r "$scratch/results.db" | grep '^Test cases:')
	echo "$summary"
	want="Test cases: $expected total, 0 skipped, 0 expected failures,"
	want="$want 0 broken, 0 failed"
	if [ "$summary" != "$want" ]; then
		kyua report -r "$scratch/results.db" --verbose \
			--results-filter=skipped,xfail,broken,failed >&2
		atf_fail "expected '$want', got '$summary'"
	fi
	if [ "$status" -ne 0 ]; then
		atf_fail "kyua exited with status $status in the VM; output:" \
			"$scratch/output"
	fi
}

atf_init_test_cases() {
	atf_add_test_case vm__selinux_labels
}
