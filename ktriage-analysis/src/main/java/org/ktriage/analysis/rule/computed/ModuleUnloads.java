package org.ktriage.analysis.rule.computed;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.ktriage.analysis.order.CrashFacts;
import org.ktriage.analysis.order.ReportView;
import org.ktriage.analysis.text.Literals;
import org.ktriage.model.Frame;
import org.ktriage.model.KernelModule;
import org.ktriage.model.LogRecord;
import org.ktriage.model.SourceSpan;
import org.ktriage.model.StackSegment;

/**
 * Which module the log shows unloaded before a fault, from the log alone: the kernel's own {@code
 * [last unloaded: X]} (kernel/module/main.c {@code print_modules()}, {@code last_unloaded_module}),
 * else an unload the log records before the report: the module's own exit message (printed with its
 * {@code KBUILD_MODNAME ": "} prefix by {@code pr_fmt}, or naming the module it unloads) or an
 * {@code rmmod X} / {@code modprobe -r X} command line echoed to the console or the journal. An
 * exit message counts only for a name the log shows to be a module (a module list, a {@code [X]}
 * frame, or the loader's {@code X: loading out-of-tree module taints kernel.}, {@code X: module
 * verification failed…}, {@code X: module license … taints kernel.} lines of kernel/module/).
 */
final class ModuleUnloads {

  /** The module unloaded, the line that shows it, and how it is known. */
  record Unload(String module, @Nullable SourceSpan source, String how) {}

  /** {@code rmmod X}, {@code modprobe -r X}, {@code delete_module("X")}: a command unloading X. */
  static final Pattern COMMAND =
      Pattern.compile(
          "(?:\\brmmod(?:\\s+-[a-z]+)*|\\bmodprobe\\s+(?:-[a-z]+\\s+)*-r(?:\\s+-[a-z]+)*)\\s+"
              + "([A-Za-z0-9_-]+)\\b|delete_module\\(\"?([A-Za-z0-9_-]+)");

  /** What may stand before a command that is the line itself: a prompt, a path, sudo's log. */
  private static final Pattern COMMAND_START =
      Pattern.compile("(?:.*COMMAND=)?(?:[#$>]\\s*)?(?:sudo\\s+)?(?:/\\S*/)?");

  /** {@code X: … unload…} / {@code X: … exit…}: the module's own message as it goes. */
  static final Pattern OWN_EXIT =
      Pattern.compile(
          "^([A-Za-z0-9_-]+):\\s.*\\b(?:unload(?:ed|ing)?|exit(?:ed|ing)?|removed|goodbye)\\b",
          Pattern.CASE_INSENSITIVE);

  /** {@code Unloading X}, {@code X module unloaded}, {@code module X unloaded}. */
  static final Pattern NAMED_UNLOAD =
      Pattern.compile(
          "\\b(?:unloading(?: module)?\\s+([A-Za-z0-9_-]+)|(?:module\\s+)?([A-Za-z0-9_-]+)"
              + "(?: module)? (?:unloaded|removed))\\b",
          Pattern.CASE_INSENSITIVE);

  /** The loader's lines that name a module by its prefix (kernel/module/main.c, signing.c). */
  private static final Pattern LOADED =
      Pattern.compile(
          "^([A-Za-z0-9_-]+): (?:loading out-of-tree module taints kernel"
              + "|module verification failed|module license .* taints kernel"
              + "|module is from the staging directory|module is unknown)");

  /**
   * A word every match of {@link #COMMAND}, {@link #OWN_EXIT} or {@link #NAMED_UNLOAD} holds (in
   * any ASCII case): a line without one is no unload, without a regex search.
   */
  static final Literals MAY_UNLOAD =
      Literals.ignoringAsciiCase(
          List.of("rmmod", "modprobe", "delete_module(", "unload", "exit", "removed", "goodbye"));

  private ModuleUnloads() {}

  /**
   * The module unloaded before the report {@code before} (the whole log when null): {@code [last
   * unloaded: X]} first, else the last unload the log records before that report.
   */
  static @Nullable Unload before(CrashFacts f, @Nullable ReportView before) {
    String last = f.lastUnloaded();
    if (last != null) {
      return new Unload(
          last, TimerOfUnloadedModuleRule.lastUnloadedSource(f), "[last unloaded: " + last + "]");
    }
    long limit = Long.MAX_VALUE;
    if (before != null && !before.oops().lines().isEmpty()) {
      limit = before.oops().lines().get(0).seq();
    }
    List<LogRecord> log = f.logLines();
    Set<String> modules = knownModules(f, log);
    Unload found = null;
    for (LogRecord l : log) {
      if (l.seq() >= limit) {
        break;
      }
      Unload u = unloadIn(l, modules);
      if (u != null) {
        found = u;
      }
    }
    return found;
  }

  private static @Nullable Unload unloadIn(LogRecord l, Set<String> modules) {
    if (!MAY_UNLOAD.containsAny(l.text())) {
      return null;
    }
    String t = l.text().strip();
    Matcher c = COMMAND.matcher(t);
    if (c.find()) {
      String m = c.group(1) != null ? c.group(1) : c.group(2);
      String before = t.substring(0, c.start());
      if (modules.contains(norm(m)) || COMMAND_START.matcher(before).matches()) {
        return new Unload(norm(m), l.source(), "unloaded by a command: " + t);
      }
    }
    Matcher own = OWN_EXIT.matcher(t);
    if (own.find() && modules.contains(norm(own.group(1)))) {
      return new Unload(norm(own.group(1)), l.source(), "its own exit message: " + t);
    }
    Matcher named = NAMED_UNLOAD.matcher(t);
    if (named.find()) {
      String m = named.group(1) != null ? named.group(1) : named.group(2);
      if (m != null && modules.contains(norm(m))) {
        return new Unload(norm(m), l.source(), "an unload message: " + t);
      }
    }
    return null;
  }

  /** Every name the log shows to be a module. */
  private static Set<String> knownModules(CrashFacts f, List<LogRecord> log) {
    Set<String> out = new HashSet<>();
    for (KernelModule m : f.modules()) {
      out.add(norm(m.name()));
    }
    for (ReportView v : f.reports()) {
      for (KernelModule m : v.oops().modules()) {
        out.add(norm(m.name()));
      }
      for (StackSegment s : v.oops().trace()) {
        for (Frame fr : s.frames()) {
          if (fr.module() != null) {
            out.add(norm(fr.module()));
          }
        }
      }
    }
    for (LogRecord l : log) {
      Matcher m = LOADED.matcher(l.text().strip());
      if (m.find()) {
        out.add(norm(m.group(1)));
      }
    }
    return out;
  }

  /** Module names as the kernel keeps them: {@code -} becomes {@code _} (kmod's name rule). */
  static String norm(String name) {
    return name.replace('-', '_').toLowerCase(Locale.ROOT);
  }
}
