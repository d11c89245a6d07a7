# ktriage lab: guest /init cases (inserted by make-more-crashes.sh into the copied
# guest/init's "case $SC" before its "shell|" line).
timer-pending)
	log "insmod lab_timer_pending; rmmod; then sysrq-c before the timers fire"
	insmod $M/lab_timer_pending.ko
	rmmod lab_timer_pending && log "rmmod lab_timer_pending done"
	echo c > /proc/sysrq-trigger
	sleep 30 ;;
hung-mutex)
	sysctl -w kernel.hung_task_timeout_secs=10
	sysctl -w kernel.hung_task_panic=1
	sysctl -w kernel.hung_task_warnings=10
	trigger_module lab_hung_mutex
	sleep 300 ;;
rcu-stall)
	sysctl -w kernel.panic_on_rcu_stall=1
	trigger_module lab_rcu_stall
	sleep 300 ;;
warn-panic)
	sysctl -w kernel.panic_on_warn=1
	trigger_module lab_warn ;;
list-corruption) trigger_module lab_list_corrupt ;;
stack-overflow)  trigger_module lab_stack_overflow ;;
double-free)     trigger_module lab_double_free ;;
