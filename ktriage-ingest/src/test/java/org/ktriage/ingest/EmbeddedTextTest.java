package org.ktriage.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ktriage.model.CrashReport;
import org.ktriage.model.Oops;
import org.ktriage.testkit.Shared;

/** Crash and oops text pasted into tickets and e-mails, quoted with {@code > }. */
class EmbeddedTextTest {
  @TempDir Path tmp;

  private Path quoted(Path source, String name, String quote) throws Exception {
    List<String> out = new ArrayList<>();
    out.add("Subject: Re: box died again");
    out.add("");
    out.add("On Monday someone wrote:");
    for (String line : Files.readAllLines(source)) {
      out.add(quote + line);
    }
    out.add("");
    out.add("Any idea? Thanks.");
    return Files.write(tmp.resolve(name), out);
  }

  @Test
  void quotedCrashSessionGivesTheSameStacks() throws Exception {
    Path session = Shared.path("seed/crash-session.txt");
    CrashReport plain = Ingest.read(List.of(session), Strictness.LENIENT);
    for (String q : List.of("> ", ">> ", ">")) {
      CrashReport r =
          Ingest.read(
              List.of(quoted(session, "mail" + q.length() + ".txt", q)), Strictness.LENIENT);
      assertThat(SeedCaseTest.shape(r)).as("quote '%s'", q).isEqualTo(SeedCaseTest.shape(plain));
      SeedCaseTest.assertSeed(r);
    }
  }

  @Test
  void quotedConsoleLogGivesTheSameReport() throws Exception {
    Path log = Shared.path("lab/out/timer-after-unload/console.log");
    Oops plain = Ingest.read(List.of(log), Strictness.LENIENT).oopses().get(0);
    Oops quoted =
        Ingest.read(List.of(quoted(log, "mail.txt", "> ")), Strictness.LENIENT).oopses().get(0);
    assertThat(quoted.headline()).isEqualTo(plain.headline());
    assertThat(quoted.ip()).isNotNull();
    assertThat(quoted.trace()).hasSameSizeAs(plain.trace());
    assertThat(quoted.lastUnloaded()).isEqualTo("lab_timer_uaf");
    assertThat(quoted.cpu()).isEqualTo(plain.cpu());
  }
}
