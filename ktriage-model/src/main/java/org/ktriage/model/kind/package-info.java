/**
 * The tables of kernel knowledge every layer reads: which printed line opens which kind of report
 * ({@link org.ktriage.model.kind.ReportKinds}), the one set of regular-expression macros those
 * tables are written with ({@link org.ktriage.model.kind.KernelMacros}), and the frames whose job
 * is to report rather than to fail ({@link org.ktriage.model.kind.ReportingFrames}). Data and tiny
 * lookups only: ingest cuts reports with them, analysis classifies and titles with them, render
 * marks log lines with them.
 */
@NullMarked
package org.ktriage.model.kind;

import org.jspecify.annotations.NullMarked;
