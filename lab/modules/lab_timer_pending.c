// SPDX-License-Identifier: GPL-2.0
/*
 * ktriage lab scenario "timer-pending": the founding bug caught BEFORE it
 * fires.  Module init arms two timers far in the future and module exit
 * cancels neither (missing del_timer_sync):
 *
 *   - lab_pending_timer: a struct timer_list in the module's own .bss, armed
 *     for +600 s.  After rmmod the timer_list itself lies in the freed
 *     (vfree'd, unmapped) module area, still linked on the timer wheel.
 *   - a kzalloc'd struct lab_pending_ctx whose embedded timer is armed for
 *     +900 s.  The object is leaked, so it stays readable in the dump, but its
 *     callback (lab_pending_ctx_fn) points into the freed module text.
 *
 * /init then panics the kernel at once with sysrq-c, so the dump shows both
 * timers still queued on the wheel, long before either would have expired.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/timer.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#define LAB_PENDING_MAGIC 0x4c414254494d4552ULL	/* "LABTIMER" */

struct lab_pending_ctx {
	u64 magic;
	struct timer_list timer;
	unsigned long armed_at;
};

static struct timer_list lab_pending_timer;	/* lives in module .bss */
static struct lab_pending_ctx *lab_ctx;

static void lab_pending_timer_fn(struct timer_list *t)
{
	pr_info("lab_timer_pending: .bss timer fired (module still loaded?)\n");
}

static void lab_pending_ctx_fn(struct timer_list *t)
{
	struct lab_pending_ctx *ctx = from_timer(ctx, t, timer);

	pr_info("lab_timer_pending: ctx timer fired, armed at %lu\n", ctx->armed_at);
}

static int __init lab_timer_pending_init(void)
{
	lab_ctx = kzalloc(sizeof(*lab_ctx), GFP_KERNEL);
	if (!lab_ctx)
		return -ENOMEM;
	lab_ctx->magic = LAB_PENDING_MAGIC;
	lab_ctx->armed_at = jiffies;

	timer_setup(&lab_pending_timer, lab_pending_timer_fn, 0);
	mod_timer(&lab_pending_timer, jiffies + 600 * HZ);
	timer_setup(&lab_ctx->timer, lab_pending_ctx_fn, 0);
	mod_timer(&lab_ctx->timer, jiffies + 900 * HZ);

	pr_info("lab_timer_pending: armed .bss timer %px fn %pS expires %lu (jiffies %lu, +600s)\n",
		&lab_pending_timer, lab_pending_timer_fn, lab_pending_timer.expires, jiffies);
	pr_info("lab_timer_pending: armed ctx timer %px (ctx %px) fn %pS expires %lu (+900s)\n",
		&lab_ctx->timer, lab_ctx, lab_pending_ctx_fn, lab_ctx->timer.expires);
	return 0;
}

static void __exit lab_timer_pending_exit(void)
{
	/* BUG (intentional): missing del_timer_sync() on both timers, and lab_ctx is leaked */
	pr_info("lab_timer_pending: unloading WITHOUT del_timer_sync, pending=%d/%d\n",
		timer_pending(&lab_pending_timer), timer_pending(&lab_ctx->timer));
}

module_init(lab_timer_pending_init);
module_exit(lab_timer_pending_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktriage lab: module unloaded with timers still queued; dumped before they fire");
