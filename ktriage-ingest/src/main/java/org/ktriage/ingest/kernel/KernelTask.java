package org.ktriage.ingest.kernel;

/**
 * One task: {@code task_struct} address, pid, thread-group id, parent's pid, the CPU it last ran
 * on, its state as {@code crash ps} abbreviates it (RU, IN, UN, ID, ST, TR, ZO, DE, PA, WA, NE)
 * with the raw state word, command name, kernel-thread flag (no {@code mm}), kernel stack base,
 * saved stack pointer, and whether it is the current task of its CPU.
 */
public record KernelTask(
    long address,
    int pid,
    int tgid,
    int ppid,
    int cpu,
    String state,
    long stateWord,
    String comm,
    boolean kernelThread,
    long stackBase,
    long savedSp,
    boolean active) {}
