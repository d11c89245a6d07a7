package org.ktriage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The founding case end to end through the CLI (issue 2, "Done when"): the seed's crash session,
 * the seed document as it is, and the real-kernel reproduction give the same first-cause verdict.
 */
class SeedCaseTest {

  static Path root() {
    return property("ktriage.root", "the repository root");
  }

  static Path shared() {
    return property("ktriage.shared", "the shared folder (../shared beside the repository)");
  }

  private static Path property(String name, String what) {
    String value = System.getProperty(name);
    if (value == null) {
      return fail("system property " + name + " (" + what + ") is not set; run through Maven");
    }
    return Path.of(value);
  }

  static Path existing(Path p) {
    if (!Files.isRegularFile(p)) {
      fail("missing test input " + p + "; the shared folder or samples/ is incomplete");
    }
    return p;
  }

  static JsonNode analyzeJson(Path input) throws Exception {
    Run run = Run.of("analyze", "--format", "json", existing(input).toString());
    assertThat(run.err()).as("stderr").isEmpty();
    assertThat(run.exitCode()).isEqualTo(ExitCode.ANALYSED);
    return new ObjectMapper().readTree(run.out());
  }

  private static List<String> events(JsonNode root) {
    List<String> events = new ArrayList<>();
    root.get("chain").forEach(e -> events.add(e.get("event").asText()));
    return events;
  }

  private static JsonNode finding(JsonNode root, String rule) {
    for (JsonNode f : root.get("findings")) {
      if (f.get("rule").asText().equals(rule)) {
        return f;
      }
    }
    return fail("no finding " + rule + " in " + root.get("findings"));
  }

  private static void assertFoundingCase(JsonNode root, String address) {
    assertThat(root.get("class").asText()).isEqualTo("page-fault");
    assertThat(root.get("trigger").asText()).isEqualTo("hard-lockup");
    JsonNode primary = root.get("primary");
    assertThat(primary.get("function").asText()).isEqualTo("run_timer_softirq");
    assertThat(primary.get("context").asText()).isEqualTo("softirq");
    assertThat(primary.get("cpu").asInt()).isEqualTo(1);
    assertThat(primary.get("addressKind").asText()).isEqualTo("module-area");
    assertThat(primary.get("address").asText()).isEqualTo(address);
    assertThat(finding(root, "recursive-spinlock").toString()).contains("ffff88007b90c000");
    finding(root, "timer-of-unloaded-module");
    assertThat(events(root))
        .containsSubsequence("page-fault", "recursive-lock", "hard-lockup", "panic");
    assertThat(root.at("/kernel/release").asText()).isEqualTo("3.10.0-514.26.2.el7.x86_64");
    assertThat(root.at("/panic/cpu").asInt()).isEqualTo(1);
  }

  @Test
  void seedCrashSessionSample() throws Exception {
    // no dis line in the sample: the module-area register value (RCX)
    assertFoundingCase(
        analyzeJson(root().resolve("samples/seed-crash-session.txt")), "0xffffffffa88b53b0");
  }

  @Test
  void seedDocumentAsItIs() throws Exception {
    // the document's dis line: the write is at RCX + 8
    assertFoundingCase(
        analyzeJson(shared().resolve("seed/000_038bf967092f0c0d.txt")), "0xffffffffa88b53b8");
  }

  /**
   * Issue 15 item 5: the seed document quotes crash's {@code dis} line of the exception RIP ({@code
   * 0xffffffff81098a68 <run_timer_softirq+248>: mov %rsi,0x8(%rcx)}, with no-break spaces from the
   * web page): the instruction, its base register RCX and RCX's value are named from that text, and
   * the fault address is RCX + 8.
   */
  @Test
  void seedDocumentNamesTheFaultingInstructionFromItsDisLine() throws Exception {
    JsonNode root = analyzeJson(shared().resolve("seed/000_038bf967092f0c0d.txt"));
    JsonNode insn = root.path("primary").path("instruction");
    assertThat(insn.path("source").asText()).isEqualTo("crash-dis");
    assertThat(insn.path("address").asText()).isEqualTo("0xffffffff81098a68");
    assertThat(insn.path("text").asText()).isEqualTo("mov %rsi,0x8(%rcx)");
    assertThat(insn.path("memory").path("base").asText()).isEqualTo("RCX");
    assertThat(insn.path("memory").path("access").asText()).isEqualTo("write");
    assertThat(insn.path("memory").path("width").asInt()).isEqualTo(8);
    assertThat(insn.path("baseValue").asText()).isEqualTo("0xffffffffa88b53b0");
    long rcx = Long.parseUnsignedLong("ffffffffa88b53b0", 16);
    assertThat(insn.path("effectiveAddress").asText()).isEqualTo("0x" + Long.toHexString(rcx + 8));
    assertThat(root.path("primary").path("address").asText())
        .isEqualTo("0x" + Long.toHexString(rcx + 8));
    assertThat(root.path("primary").path("addressKind").asText()).isEqualTo("module-area");
    String evidence = root.path("findings").get(0).path("evidence").toString();
    assertThat(evidence).contains("faulting instruction: mov %rsi,0x8(%rcx) writes 8 bytes");
  }

  @Test
  void realKernelReproduction() throws Exception {
    JsonNode root = analyzeJson(root().resolve("samples/lab-timer-after-unload-console.log"));

    assertThat(root.get("class").asText()).isEqualTo("page-fault");
    assertThat(root.at("/primary/function").asText()).isEqualTo("__run_timers");
    assertThat(root.at("/primary/context").asText()).isEqualTo("softirq");
    assertThat(finding(root, "timer-of-unloaded-module").toString()).contains("lab_timer_uaf");
  }

  @Test
  void textReportOfTheSeedLeadsWithTheFirstFailure() throws Exception {
    Run run =
        Run.of("analyze", existing(root().resolve("samples/seed-crash-session.txt")).toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.ANALYSED);
    String first = run.out().lines().findFirst().orElse("");
    assertThat(first)
        .startsWith("Page fault in run_timer_softirq+0xf8 (softirq, CPU 1)")
        .contains("Hard LOCKUP panic is a consequence");
    assertThat(run.out()).doesNotContain("\u001b[");
  }
}
