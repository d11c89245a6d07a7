// SPDX-License-Identifier: GPL-2.0
/*
 * ktriage lab scenario "warn-panic": WARN_ON() of a broken invariant in module
 * init.  With kernel.panic_on_warn=1 the warning becomes a panic right after
 * the "WARNING: CPU: N PID: P at .../lab_warn.c:LINE lab_warn_check" report.
 */
#include <linux/module.h>
#include <linux/kernel.h>

static int lab_refcount = -1;	/* a reference count must never be negative */

static noinline void lab_warn_check(int refs)
{
	if (WARN_ON(refs < 0))
		pr_err("lab_warn: negative refcount %d\n", refs);
}

static int __init lab_warn_init(void)
{
	lab_warn_check(lab_refcount);
	return 0;
}

static void __exit lab_warn_exit(void) { }

module_init(lab_warn_init);
module_exit(lab_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktriage lab: WARN_ON with panic_on_warn");
