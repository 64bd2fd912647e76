/*
 * LeakSanitizer settings for the test programs built with SANITIZE=1.
 *
 * libatf-c 0.21 does not free the list of test cases that "-l" prints
 * (atf_tp_get_tcs() and the lists and maps it fills), so without these
 * suppressions every listing would fail and kyua would mark the program
 * broken.  The sanitizer runtime calls these hooks at start-up; without
 * it nothing calls them.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *__lsan_default_suppressions(void)
{
	return "leak:atf_tp_get_tcs\n"
	       "leak:atf_list_init\n"
	       "leak:atf_list_append\n"
	       "leak:atf_map_insert\n"
	       "leak:atf_map_init_charpp\n";
}

/* kyua rejects a listing that writes to stderr, where LeakSanitizer
 * prints the suppressions it used unless print_suppressions is 0. */
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}
