package dev.trellis.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/// While `./kv bench micro` runs, the log events of the runtime and the KV store (`dev.trellis.otp`,
/// `dev.trellis.kv`) go to a file instead of the console, and are counted.
///
/// The `restart` benchmark kills a supervised child thousands of times, and every kill is a
/// `child_terminated` supervisor report at error level, as in OTP: printed, they flood the
/// terminal and bury the figures. The runtime logs exactly what it logs for users; only where
/// the events go changes, for the duration of the run. [#close()] restores the loggers and says
/// how many events went where.
final class BenchReports implements AutoCloseable {
    private static final List<String> LOGGERS = List.of("dev.trellis.otp", "dev.trellis.kv");

    private final @Nullable Path file;
    private final @Nullable FileAppender<ILoggingEvent> appender;
    private final List<Logger> loggers = new ArrayList<>();
    private final List<Boolean> additive = new ArrayList<>();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    private BenchReports(@Nullable Path file, @Nullable FileAppender<ILoggingEvent> appender) {
        this.file = file;
        this.appender = appender;
    }

    /// Sends the runtime's log events to a fresh temporary file; does nothing if SLF4J is not bound
    /// to logback or the file cannot be created.
    static BenchReports redirect() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new BenchReports(null, null);
        }
        Path file;
        try {
            file = Files.createTempFile("trellis-bench-", ".log");
        } catch (IOException e) {
            return new BenchReports(null, null);
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("bench-reports");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.setImmediateFlush(false);
        appender.start();
        BenchReports reports = new BenchReports(file, appender);
        appender.addFilter(new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                reports.events.incrementAndGet();
                if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
                    reports.errors.incrementAndGet();
                }
                return FilterReply.NEUTRAL;
            }
        });
        for (String name : LOGGERS) {
            Logger logger = context.getLogger(name);
            reports.loggers.add(logger);
            reports.additive.add(logger.isAdditive());
            logger.addAppender(appender);
            logger.setAdditive(false);
        }
        return reports;
    }

    /// One line for the end of the run, or `null` if nothing was logged.
    @Nullable
    String summary() {
        return file == null || events.get() == 0
                ? null
                : String.format(
                        Locale.ROOT,
                        "runtime log: %,d events (%,d at error level: supervisor and crash reports of the"
                                + " processes the benchmarks kill) written to %s",
                        events.get(),
                        errors.get(),
                        file);
    }

    /// Gives the loggers back their own appenders; deletes the file if nothing was logged.
    @Override
    public void close() {
        FileAppender<ILoggingEvent> a = appender;
        if (a == null || file == null) {
            return;
        }
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).detachAppender(a);
            loggers.get(i).setAdditive(additive.get(i));
        }
        a.stop();
        if (events.get() == 0) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a stray empty file in the temporary directory
            }
        }
    }
}
