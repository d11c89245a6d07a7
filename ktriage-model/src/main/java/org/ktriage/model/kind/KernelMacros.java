package org.ktriage.model.kind;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one set of regular-expression macros the report tables are written with (the report-kind
 * table, the title table {@code linux-titles.yaml}, the report-line patterns), in the manner of
 * syzkaller's {@code pkg/report}. Each name means one thing everywhere; a macro may use the ones
 * defined before it.
 */
public final class KernelMacros {
  private KernelMacros() {}

  private static final Map<String, String> MACROS = table();

  private static Map<String, String> table() {
    Map<String, String> m = new LinkedHashMap<>();
    // Values as printk's %lx/%px print them: a fault address, with or without 0x.
    m.put("{{ADDR}}", "(?:0x)?[0-9a-fA-F]{1,16}");
    m.put("{{HEX}}", "(?:0x)?[0-9a-fA-F]+");
    // A symbol name as %pS prints it (with .isra.0/.cold suffixes), and symbol+off/size.
    m.put("{{SYM}}", "[a-zA-Z0-9_.$]+");
    m.put("{{SYMOFF}}", "[a-zA-Z0-9_.$]+\\+0x[0-9a-f]+/0x[0-9a-f]+");
    // file:line of BUG()/WARN() (lib/bug.c) and a module name as print_modules() prints it.
    m.put("{{FILELINE}}", "[^\\s:]+:\\d+");
    m.put("{{MOD}}", "[a-zA-Z0-9_-]+");
    // Title-table macros (capturing): a [<pc>] token, a function name captured up to '.' or '+',
    // file.c:NN captured, and the faulting-PC line of any architecture (x86 IP:/RIP:, powerpc
    // NIP:, arm64 "pc :", arm "PC is at").
    m.put("{{PC}}", "\\[\\<?(?:0x)?[0-9a-f]+\\>?\\]");
    m.put("{{FUNC}}", "([a-zA-Z0-9_]+)(?:\\.|\\+)");
    m.put("{{SRC}}", "([a-zA-Z0-9_/.\\-]+\\.[a-z]+:[0-9]+)");
    // x86 prints the code segment as %04x ("RIP: 0010:f+0x1/0x2"); a Xen PV guest's kernel code
    // segment has hex digits ("RIP: e030:f+0x1/0x2"), read too.
    m.put(
        "{{RIP}}",
        "(?:IP|NIP|pc |PC is at):? (?:(?:[0-9]+:|[0-9a-f]{4}:)?(?:{{PC}} +){0,2}{{FUNC}}|(?:[0-9]+:)?0x[0-9a-f]+"
            + "|(?:[0-9]+:)?{{PC}} +\\[< *\\(null\\)>\\] +\\(null\\)|[0-9]+: +\\(null\\))");
    Map<String, String> expanded = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : m.entrySet()) {
      expanded.put(e.getKey(), expandWith(e.getValue(), expanded));
    }
    return Map.copyOf(expanded);
  }

  private static String expandWith(String template, Map<String, String> macros) {
    String out = template;
    for (Map.Entry<String, String> e : macros.entrySet()) {
      out = out.replace(e.getKey(), e.getValue());
    }
    return out;
  }

  /** The template with every macro replaced by its regular expression. */
  public static String expand(String template) {
    return template.contains("{{") ? expandWith(template, MACROS) : template;
  }

  /** Compiles the expanded template. */
  public static Pattern compile(String template) {
    return Pattern.compile(expand(template));
  }
}
