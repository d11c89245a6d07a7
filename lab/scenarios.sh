# ktriage lab: scenario_meta cases for make-crashes.sh (sourced text, inserted by
# make-more-crashes.sh into the copied script's "case" before its "*) die" line).
	timer-pending)
		S_DESC="lab_timer_pending arms a timer_list in its own .bss for +600 s and a timer embedded in a leaked kzalloc'd struct lab_pending_ctx (magic LABTIMER) for +900 s, neither cancelled in module_exit; /init rmmods the module and at once panics with sysrq-c, so both timers are still queued on the timer wheel in the dump: one lies in the freed module area, the other's callback (lab_pending_ctx_fn) points into the freed module text"
		S_CLASS="explicit panic (sysrq triggered crash) taken while a freed module's timers are still pending: timer-of-unloaded-module (found only in memory, not in the log)"
		S_MODULE=lab_timer_pending; S_FUNC="sysrq_handle_crash (panic); latent bug: lab_timer_pending_exit (missing del_timer_sync)"
		S_TIMEOUT=240 ;;
	hung-mutex)
		S_DESC="lab_hung_mutex: kthread lab_mtx_owner takes lab_mutex and sleeps in an msleep(1000) loop forever; kthread lab_mtx_waiter blocks in mutex_lock(&lab_mutex); kernel.hung_task_timeout_secs=10, kernel.hung_task_panic=1"
		S_CLASS="hung task (INFO: task lab_mtx_waiter blocked for more than 10 seconds) -> panic (hung_task: blocked tasks)"
		S_MODULE=lab_hung_mutex; S_FUNC="lab_mtx_take (waiter, kthread lab_mtx_waiter); lock holder: lab_mtx_owner in lab_mtx_hold_forever"
		S_TIMEOUT=300 ;;
	rcu-stall)
		S_APPEND="rcupdate.rcu_cpu_stall_timeout=10"
		S_DESC="lab_rcu_stall: kthread lab_rcu_spin, bound to the last CPU, spins forever inside rcu_read_lock() with preemption disabled (IRQs on); rcupdate.rcu_cpu_stall_timeout=10, kernel.panic_on_rcu_stall=1"
		S_CLASS="RCU CPU stall (rcu: INFO: rcu_preempt detected stalls on CPUs/tasks) -> panic"
		S_MODULE=lab_rcu_stall; S_FUNC="lab_rcu_spin (kthread lab_rcu_spin)"
		S_TIMEOUT=300 ;;
	warn-panic)
		S_DESC="lab_warn: WARN_ON(refs < 0) with refs=-1 in module init; kernel.panic_on_warn=1"
		S_CLASS="WARNING -> panic (panic_on_warn)"
		S_MODULE=lab_warn; S_FUNC="lab_warn_check" ;;
	list-corruption)
		S_DESC="lab_list_corrupt: list_del() twice on the same kzalloc'd item in module init; CONFIG_DEBUG_LIST and CONFIG_BUG_ON_DATA_CORRUPTION are on in Debian's kernel"
		S_CLASS="list_del corruption (next is LIST_POISON1) -> kernel BUG at lib/list_debug.c -> panic_on_oops"
		S_MODULE=lab_list_corrupt; S_FUNC="lab_item_remove (second list_del of the same entry)" ;;
	stack-overflow)
		S_DESC="lab_stack_overflow: unbounded recursion lab_walk() over a self-referencing node with a 256-byte local buffer per level, in module init; VMAP_STACK guard page"
		S_CLASS="kernel stack overflow (stack guard page was hit, double fault) -> panic"
		S_MODULE=lab_stack_overflow; S_FUNC="lab_walk (unbounded recursion)" ;;
	double-free)
		S_DESC="lab_double_free: kfree() twice in a row on the same kzalloc'd 48-byte buffer (kmalloc-64), interrupts off between the two; CONFIG_SLAB_FREELIST_HARDENED is on in Debian's kernel"
		S_CLASS="double free caught by SLUB's hardened freelist (set_freepointer BUG_ON(object == fp)) -> kernel BUG at mm/slub.c -> panic_on_oops"
		S_MODULE=lab_double_free; S_FUNC="lab_double_free_init (releases the buffer twice; lab_buf_release tail-calls kfree, so no frame of its own)" ;;
