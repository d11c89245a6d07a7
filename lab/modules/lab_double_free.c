// SPDX-License-Identifier: GPL-2.0
/*
 * ktriage lab scenario "double-free": the same kmalloc'd buffer is released
 * twice in a row.  Debian's kernel has CONFIG_SLAB_FREELIST_HARDENED: the
 * first kfree() pushes the object on this CPU's SLUB freelist (mm/slub.c
 * do_slab_free fast path), the second finds it at the head of that freelist
 * and set_freepointer()'s BUG_ON(object == fp) ("naive detection of double
 * free or corruption") fires: kernel BUG at mm/slub.c, panic_on_oops.  Both
 * frees run with interrupts off, so nothing else takes the object between
 * them; the object stays free on the per-CPU freelist in the dump.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/irqflags.h>

struct lab_buf {
	unsigned long id;
	char data[40];
};

static noinline void lab_buf_release(struct lab_buf *b)
{
	kfree(b);	/* no "already released" state: the caller may call it twice */
}

static int __init lab_double_free_init(void)
{
	struct lab_buf *b = kzalloc(sizeof(*b), GFP_KERNEL);
	unsigned long flags;

	if (!b)
		return -ENOMEM;
	b->id = 0xdf;
	pr_info("lab_double_free: buffer %px allocated, releasing it twice\n", b);
	local_irq_save(flags);
	lab_buf_release(b);
	lab_buf_release(b);
	local_irq_restore(flags);
	pr_info("lab_double_free: second kfree returned\n");
	return 0;
}

static void __exit lab_double_free_exit(void) { }

module_init(lab_double_free_init);
module_exit(lab_double_free_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("crash lab: double kfree caught by SLUB's hardened freelist");
