package dev.trellis.observer;

/// A live supervisor in JMX (`dev.trellis.otp:type=Supervisor,path="…"`), read from its
/// snapshot on every attribute access. See [dev.trellis.otp.observe.SupervisorSnapshot].
public interface SupervisorMXBean {
    /// Its pid now, `<0.N.0>`.
    String getPid();

    /// Its registered name or id path.
    String getPath();

    /// `SUPERVISOR` or `DYNAMIC_SUPERVISOR`.
    String getKind();

    /// `one_for_one`, `one_for_all` or `rest_for_one`.
    String getStrategy();

    /// The restart intensity.
    int getMaxRestarts();

    /// The intensity's window, in milliseconds.
    long getPeriodMillis();

    /// Restarts still allowed in the window now.
    int getRestartsLeft();

    /// Restarts performed since this supervisor started.
    long getRestarts();

    /// How many children it has.
    int getChildCount();

    /// Its first children: `id pid-or-state type restart restarts=N lastExit=reason`.
    String[] getChildren();
}
