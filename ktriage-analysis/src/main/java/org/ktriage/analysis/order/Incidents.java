package org.ktriage.analysis.order;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.ktriage.model.FailureClass;
import org.ktriage.model.LogRecord;
import org.ktriage.model.Oops;

/**
 * Splits a log into independent incidents: the one the kernel crashed on ({@link
 * CauseLinks#incident}) and every other group of reports nothing links to it. Reports of another
 * boot are always another incident (a new kernel starts from nothing); inside one boot, a report
 * joins an earlier incident when something links it to one of that incident's reports ({@link
 * CauseLinks#between}: same task, a taint the earlier event set, a detector cascade, nearness in
 * time), else it starts an incident of its own. A report the classifier cannot place (the tail of a
 * report, a bare trace) and a bare panic message stay with the incident before them in the boot.
 */
public final class Incidents {

  private Incidents() {}

  /**
   * One incident that is not the crash's.
   *
   * @param boot the boot of the log it happened in (0 = the first in the log)
   * @param reports its reports, in log order
   * @param bootLines the log lines of its boot
   */
  public record Group(int boot, List<Oops> reports, List<LogRecord> bootLines) {
    public Group {
      reports = List.copyOf(reports);
      bootLines = List.copyOf(bootLines);
    }
  }

  /** The incidents of the log other than the crash's, in log order of their first report. */
  public static List<Group> independent(CrashFacts f) {
    List<ReportView> views = f.reports();
    if (views.isEmpty()) {
      return List.of();
    }
    List<LogRecord> log = f.logLines();
    Set<ReportView> crash = Collections.newSetFromMap(new IdentityHashMap<>());
    crash.addAll(CauseLinks.incident(views, log));
    Boots boots = CauseLinks.bootsOf(views, log);
    List<List<ReportView>> groups = new ArrayList<>();
    List<Integer> groupBoots = new ArrayList<>();
    int previousGroup = -1;
    int previousBoot = -1;
    for (ReportView v : views) {
      int boot = boots.bootOf(v);
      if (crash.contains(v)) {
        previousGroup = -1;
        previousBoot = boot;
        continue;
      }
      int joined = -1;
      if (v.failureClass() == FailureClass.UNKNOWN || CauseLinks.panicOnly(v)) {
        joined = boot == previousBoot ? previousGroup : -1;
      } else {
        // the nearest incidents first: a report is linked to what just happened, if anything
        for (int g = groups.size() - 1; g >= 0 && joined < 0; g--) {
          if (groupBoots.get(g) != boot) {
            break;
          }
          List<ReportView> members = groups.get(g);
          List<ReportView> nearest =
              members.subList(Math.max(0, members.size() - LINK_REACH), members.size());
          if (nearest.stream().anyMatch(m -> CauseLinks.isCause(CauseLinks.between(m, v)))) {
            joined = g;
          }
        }
      }
      if (joined < 0) {
        groups.add(new ArrayList<>());
        groupBoots.add(boot);
        joined = groups.size() - 1;
      }
      groups.get(joined).add(v);
      previousGroup = joined;
      previousBoot = boot;
    }
    List<Group> out = new ArrayList<>();
    for (int g = 0; g < groups.size(); g++) {
      List<Oops> reports = new ArrayList<>();
      boolean failure = false;
      for (ReportView v : groups.get(g)) {
        reports.add(v.oops());
        failure |= v.failureClass() != FailureClass.UNKNOWN || CauseLinks.panicOnly(v);
      }
      if (!failure) {
        continue; // only text the classifier cannot place: not a crash of its own
      }
      int boot = groupBoots.get(g);
      out.add(new Group(boot, reports, boots.lines(log, boot)));
    }
    return out;
  }

  /** The boot (0 = first in the log) the crash's incident happened in. */
  public static int crashBoot(CrashFacts f) {
    List<ReportView> incident = CauseLinks.incident(f.reports(), f.logLines());
    Boots boots = CauseLinks.bootsOf(f.reports(), f.logLines());
    for (ReportView v : incident) {
      if (v.failureClass() != FailureClass.UNKNOWN && !CauseLinks.panicOnly(v)) {
        return boots.bootOf(v);
      }
    }
    return incident.isEmpty() ? boots.count() - 1 : boots.bootOf(incident.get(0));
  }

  /**
   * The log lines of the boot the crash happened in: what its title is read from when the log holds
   * several boots. syzkaller titles a log by its first crash; another kernel's crash earlier in a
   * concatenated capture is not this one's (inside one boot the first crash still titles the log,
   * as syzkaller's reports and the corpus labels have it).
   */
  public static List<LogRecord> crashBootLines(CrashFacts f) {
    Boots boots = CauseLinks.bootsOf(f.reports(), f.logLines());
    return boots.lines(f.logLines(), crashBoot(f));
  }

  /**
   * The reports of the boot the crash happened in, in log order: what its signature is hashed from
   * when the log holds several boots (a signature reads the first report it is given).
   */
  public static List<Oops> crashBootReports(CrashFacts f) {
    Boots boots = CauseLinks.bootsOf(f.reports(), f.logLines());
    int boot = crashBoot(f);
    List<Oops> out = new ArrayList<>();
    for (ReportView v : f.reports()) {
      if (boots.bootOf(v) == boot) {
        out.add(v.oops());
      }
    }
    return out;
  }

  /** How many boots the log holds. */
  public static int boots(CrashFacts f) {
    return CauseLinks.bootsOf(f.reports(), f.logLines()).count();
  }

  private static final int LINK_REACH = 16;
}
