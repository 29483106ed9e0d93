/// The web Observer (DESIGN §6): the live system in a browser, with a JSON endpoint per view, a
/// server-sent-events stream, JMX MBeans per supervisor, JFR events and Prometheus text. It reads
/// the runtime only through `dev.trellis.otp.observe`, so drawing a page never waits on a process.
@NullMarked
package dev.trellis.observer;

import org.jspecify.annotations.NullMarked;
