/**
 * The netconsole receiver of {@code ktriage serve --netconsole-port}: takes the kernel messages
 * hosts send over UDP ({@code drivers/net/netconsole.c}, plain or extended), puts each sender's
 * stream back together, cuts the crash reports out of it as they complete and hands them to a
 * {@link org.ktriage.server.netconsole.ReportSink} (the service's own HTTP API). It never prints;
 * it logs.
 */
@NullMarked
package org.ktriage.server.netconsole;

import org.jspecify.annotations.NullMarked;
