package org.ktriage.model.kind;

import java.util.regex.Pattern;
import org.ktriage.model.FailureClass;

/**
 * A wording the kernel prints that names a failure class wherever it appears in a report (its
 * headline, a die header, a body line, a panic message): one row of the report-kind table's class
 * wordings.
 *
 * @param failureClass the class the wording proves
 * @param pattern found anywhere in the line
 */
public record Wording(FailureClass failureClass, Pattern pattern) {}
