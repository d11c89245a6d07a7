package org.ktriage.model.kind;

import java.util.List;

/**
 * How a report kind is titled, in the terms of the title table ({@code linux-titles.yaml}): the
 * {@code title} regex picks the format, {@code fmt} fills {@code {N}} with its captures and then
 * one guilty frame; {@code stack} says where the frames are ({@code $rip}, {@code $calltrace},
 * {@code $stack} or a regex to advance to); {@code skip} adds frames never guilty for this kind.
 *
 * @param header the substring of the first line that starts the report for the title engine
 * @param title regex (with {@link KernelMacros}) that must match from the header
 * @param fmt title template
 * @param alt alternative title templates
 * @param stack stack parts, empty when the title takes no frame
 * @param skip frames (unanchored regexes) never guilty for this kind, beyond the global list
 */
public record TitleFormat(
    String header,
    String title,
    String fmt,
    List<String> alt,
    List<String> stack,
    List<String> skip) {
  public TitleFormat {
    alt = List.copyOf(alt);
    stack = List.copyOf(stack);
    skip = List.copyOf(skip);
  }
}
