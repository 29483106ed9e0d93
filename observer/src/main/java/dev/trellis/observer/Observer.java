package dev.trellis.observer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.trellis.otp.observe.ObserverBackend;
import dev.trellis.otp.observe.RuntimeEvent;
import dev.trellis.otp.observe.RuntimeStatistics;
import dev.trellis.otp.observe.Subscription;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/// The web Observer: the running system in a browser (Erlang's Observer, Phoenix
/// LiveDashboard), served over HTTP with a JSON endpoint per view, a server-sent-events stream,
/// JMX MBeans per supervisor, JFR events and Prometheus text at `/metrics`.
///
/// ## Examples
///
/// ```java
/// try (Observer observer = Observer.start(ObserverConfig.defaults().port(0))) {
///     System.out.println("open " + observer.uri());   // http://127.0.0.1:43123/
///     ...
/// }
/// ```
///
/// ## Pages
///
/// System, Load (a few minutes of history, sampled every second), Applications (each
/// application's supervision tree, pushed as it changes, with every supervisor's strategy,
/// restart intensity and budget left, every child's restart count and last exit reason),
/// Processes (searched, sorted and paged on the server), a process's detail, Tables, Events.
/// With [ObserverConfig#actions()], a process can be killed with a chosen reason and a
/// behaviour's state read; otherwise those endpoints answer 403 and the UI has no such buttons.
/// See [ApiHandler] for the endpoints.
///
/// ## Outcomes
///
/// - `start` binds the port or throws [IOException] (port taken, address not local).
/// - Bad requests get a JSON error with a 4xx status; the server keeps serving.
/// - `close` stops serving, ends every event stream, removes the MBeans and unsubscribes from
///   the runtime; the runtime is untouched.
public final class Observer implements AutoCloseable {
    /*
     * Maintainer notes.
     *
     * Not a process tree: the Observer runs on plain threads (the JDK HttpServer on virtual
     * threads, one platform "ticker" thread), so it never appears in its own process listing and
     * a page never depends on a process answering. It reads the runtime through
     * dev.trellis.otp.observe only (an ArchUnit rule checks), acting on it only in Actions.
     *
     * The runtime calls the event listener on the thread of the process the event is about, so
     * the listener only counts (metrics), commits JFR events and queues the event; the
     * "observer-events" thread serializes each event once and broadcasts it to the streams.
     * The ticker (every 250 ms) pushes the tree when ObserverBackend.supervisionVersion() changed
     * and, every second, samples the load and syncs the MBeans.
     */
    private static final Logger LOG = LoggerFactory.getLogger(Observer.class);
    private static final long TICK_MILLIS = 250;
    private static final int TICKS_PER_SAMPLE = 4;
    private static final int HISTORY = 300; // 5 minutes of 1 s samples

    private final ObserverConfig config;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService ticker;
    private final Thread dispatcher;
    private final BlockingQueue<RuntimeEvent> inbox = new ArrayBlockingQueue<>(10_000);
    private final LongAdder droppedEvents = new LongAdder();
    private final EventStream stream = new EventStream();
    private final LoadHistory load = new LoadHistory(HISTORY, TICK_MILLIS * TICKS_PER_SAMPLE);
    private final PrometheusMetrics metrics = new PrometheusMetrics();
    private final SupervisorMBeans mbeans = new SupervisorMBeans();
    private final ApiHandler api;
    private final Subscription subscription;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long treeVersion = Long.MIN_VALUE;
    private long ticks;

    private Observer(ObserverConfig config) throws IOException {
        this.config = config;
        this.api = new ApiHandler(config.actions(), load, stream);
        StaticFiles ui = new StaticFiles();
        this.server = HttpServer.create(new InetSocketAddress(config.bind(), config.port()), 64);
        server.setExecutor(handlers);
        server.createContext("/api/", guarded(api::handle));
        server.createContext("/metrics", guarded(this::metrics));
        server.createContext("/", guarded(ui::serve));
        this.subscription = ObserverBackend.subscribe(this::onEvent);
        this.dispatcher = Thread.ofVirtual().name("observer-events").unstarted(this::dispatch);
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("observer-ticker").daemon().factory());
    }

    /// Starts serving on `config`'s address and port.
    ///
    /// @throws IOException if the port cannot be bound
    public static Observer start(ObserverConfig config) throws IOException {
        Observer o = new Observer(config);
        try {
            o.mbeans.sync(ObserverBackend.supervisors(0));
            o.sample();
            o.dispatcher.start();
            o.ticker.scheduleAtFixedRate(o::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            o.server.start();
        } catch (RuntimeException e) {
            o.close();
            throw e;
        }
        return o;
    }

    /// The bound address (with the actual port when 0 was asked for).
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /// The bound port.
    public int port() {
        return server.getAddress().getPort();
    }

    /// The Observer's home page, `http://127.0.0.1:4000/`.
    public URI uri() {
        return URI.create("http://" + config.bind().getHostAddress() + ":" + port() + "/");
    }

    /// Whether kill and the state view are allowed.
    public boolean actions() {
        return config.actions();
    }

    /// Stops serving (see "Outcomes"); calling it again does nothing.
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscription.close();
        ticker.shutdownNow();
        dispatcher.interrupt();
        stream.close();
        server.stop(0);
        handlers.shutdownNow();
        mbeans.close();
    }

    // ---- events and ticks ---------------------------------------------------------------

    /// On the thread of the process the event is about: quick and never blocking.
    private void onEvent(RuntimeEvent event) {
        metrics.onEvent(event);
        JfrEvents.record(event);
        if (!inbox.offer(event)) {
            droppedEvents.increment();
        }
    }

    private void dispatch() {
        try {
            for (; ; ) {
                RuntimeEvent e = inbox.take();
                stream.broadcast("runtime", e.sequence(), Json.string(e));
            }
        } catch (InterruptedException stopped) {
            // closed
        }
    }

    private void tick() {
        try {
            long version = ObserverBackend.supervisionVersion();
            if (version != treeVersion) {
                treeVersion = version;
                if (stream.clients() > 0) {
                    stream.broadcast("tree", null, Json.string(api.applications(50)));
                }
            }
            if (++ticks % TICKS_PER_SAMPLE == 0) {
                LoadHistory.Sample s = sample();
                if (s != null && stream.clients() > 0) {
                    stream.broadcast("load", null, Json.string(s));
                }
                mbeans.sync(ObserverBackend.supervisors(0));
            }
        } catch (RuntimeException e) { // a scheduled task that throws is never run again
            LOG.warn("observer tick failed", e);
        }
    }

    private LoadHistory.@Nullable Sample sample() {
        RuntimeStatistics stats = ObserverBackend.statistics();
        return load.record(new LoadHistory.Reading(
                System.currentTimeMillis(),
                System.nanoTime(),
                stats.processes(),
                stats.spawns(),
                stats.exits(),
                stats.messages(),
                ObserverBackend.supervisionCounts().restarts(),
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
    }

    // ---- HTTP ---------------------------------------------------------------------------

    private void metrics(HttpExchange exchange) throws IOException {
        Exchanges.requireMethod(exchange, "GET", "HEAD");
        Exchanges.send(
                exchange,
                200,
                PrometheusMetrics.CONTENT_TYPE,
                metrics.scrape(stream.clients(), droppedEvents.sum()).getBytes(StandardCharsets.UTF_8));
    }

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    /// Answers any failure of `handler` with a JSON error: the server keeps serving.
    private static HttpHandler guarded(Handler handler) {
        return exchange -> {
            try {
                handler.handle(exchange);
            } catch (HttpError e) {
                Exchanges.sendError(exchange, e.status, String.valueOf(e.getMessage()));
            } catch (IOException e) {
                exchange.close(); // the client went away
            } catch (RuntimeException e) {
                LOG.error("observer request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
                Exchanges.sendError(exchange, 500, "internal error: " + e);
            }
        };
    }
}
