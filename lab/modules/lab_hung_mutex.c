// SPDX-License-Identifier: GPL-2.0
/*
 * ktriage lab scenario "hung-mutex": kthread lab_mtx_owner takes lab_mutex and
 * never releases it (it sleeps in an msleep() loop, so it keeps scheduling and
 * is not itself reported as hung).  kthread lab_mtx_waiter then blocks in
 * mutex_lock(&lab_mutex) in TASK_UNINTERRUPTIBLE.  With
 * kernel.hung_task_timeout_secs=10 and kernel.hung_task_panic=1 khungtaskd
 * prints "INFO: task lab_mtx_waiter:PID blocked for more than 10 seconds."
 * and panics ("hung_task: blocked tasks").  The dump shows the waiter in D
 * state and lab_mutex.owner pointing at lab_mtx_owner.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/delay.h>
#include <linux/completion.h>

static DEFINE_MUTEX(lab_mutex);
static DECLARE_COMPLETION(lab_owner_has_lock);
static struct task_struct *lab_owner_task, *lab_waiter_task;

static noinline void lab_mtx_hold_forever(void)
{
	for (;;)
		msleep(1000);	/* BUG (intentional): lab_mutex is never released */
}

static int lab_mtx_owner_fn(void *arg)
{
	mutex_lock(&lab_mutex);
	pr_info("lab_hung_mutex: %s (pid %d) holds lab_mutex %px\n",
		current->comm, task_pid_nr(current), &lab_mutex);
	complete(&lab_owner_has_lock);
	lab_mtx_hold_forever();
	return 0;
}

static noinline void lab_mtx_take(void)
{
	mutex_lock(&lab_mutex);	/* blocks forever: the owner never unlocks */
	pr_info("lab_hung_mutex: waiter got the mutex (unexpected)\n");
	mutex_unlock(&lab_mutex);
}

static int lab_mtx_waiter_fn(void *arg)
{
	pr_info("lab_hung_mutex: %s (pid %d) waits for lab_mutex %px\n",
		current->comm, task_pid_nr(current), &lab_mutex);
	lab_mtx_take();
	return 0;
}

static int __init lab_hung_mutex_init(void)
{
	lab_owner_task = kthread_run(lab_mtx_owner_fn, NULL, "lab_mtx_owner");
	if (IS_ERR(lab_owner_task))
		return PTR_ERR(lab_owner_task);
	wait_for_completion(&lab_owner_has_lock);
	lab_waiter_task = kthread_run(lab_mtx_waiter_fn, NULL, "lab_mtx_waiter");
	if (IS_ERR(lab_waiter_task))
		return PTR_ERR(lab_waiter_task);
	return 0;
}

static void __exit lab_hung_mutex_exit(void) { }

module_init(lab_hung_mutex_init);
module_exit(lab_hung_mutex_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktriage lab: task hung on a mutex held forever by another kthread");
