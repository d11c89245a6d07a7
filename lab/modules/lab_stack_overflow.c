// SPDX-License-Identifier: GPL-2.0
/*
 * ktriage lab scenario "stack-overflow": unbounded recursion in module init
 * (a parser following a self-referencing node).  Each level keeps a 256-byte
 * buffer live, so the 16 KiB vmapped kernel stack overflows into its guard
 * page: "BUG: TASK stack guard page was hit at ..." from the double-fault
 * handler, then panic.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/string.h>

struct lab_node {
	struct lab_node *child;
	int depth;
};

static struct lab_node lab_loop = { .child = &lab_loop };	/* a cycle */

static noinline int lab_walk(struct lab_node *n, int depth)
{
	volatile char scratch[256];
	int ret;

	memset((char *)scratch, depth & 0xff, sizeof(scratch));
	if (!n)
		return depth;
	ret = lab_walk(n->child, depth + 1);	/* BUG (intentional): no depth limit, no cycle check */
	return ret + scratch[depth & 0xff];
}

static int __init lab_stack_overflow_init(void)
{
	pr_info("lab_stack_overflow: walking a cyclic node chain recursively\n");
	return lab_walk(&lab_loop, 0) ? 0 : -EINVAL;
}

static void __exit lab_stack_overflow_exit(void) { }

module_init(lab_stack_overflow_init);
module_exit(lab_stack_overflow_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktriage lab: kernel stack overflow by unbounded recursion");
