// SPDX-License-Identifier: GPL-2.0
/*
 * ktriage lab scenario "rcu-stall": kthread lab_rcu_spin enters an RCU
 * read-side critical section with preemption disabled and spins forever, so
 * its CPU never reports a quiescent state.  With
 * rcupdate.rcu_cpu_stall_timeout=10 and kernel.panic_on_rcu_stall=1 the RCU
 * stall detector prints "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks"
 * and panics.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>

static struct task_struct *lab_rcu_task;

static noinline void lab_rcu_spin(void)
{
	rcu_read_lock();
	preempt_disable();
	for (;;)
		cpu_relax();	/* BUG (intentional): never leaves the read-side section */
}

static int lab_rcu_thread(void *arg)
{
	pr_info("lab_rcu_stall: spinning under rcu_read_lock on CPU %d\n",
		raw_smp_processor_id());
	lab_rcu_spin();
	return 0;
}

static int __init lab_rcu_stall_init(void)
{
	lab_rcu_task = kthread_create(lab_rcu_thread, NULL, "lab_rcu_spin");
	if (IS_ERR(lab_rcu_task))
		return PTR_ERR(lab_rcu_task);
	kthread_bind(lab_rcu_task, num_online_cpus() - 1);
	wake_up_process(lab_rcu_task);
	return 0;
}

static void __exit lab_rcu_stall_exit(void) { }

module_init(lab_rcu_stall_init);
module_exit(lab_rcu_stall_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktriage lab: RCU CPU stall from a spinning reader");
