using System.Globalization;

namespace Plugboard.Bench.Engine;

/// CPU time from /proc: all processes on the machine busy (the first line of /proc/stat, less idle and
/// I/O wait), and the PostgreSQL cluster the server talks to, to tell how much of a phase the database
/// and other work on the machine took. Zero where there is no /proc.
internal static class MachineCpu
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    public static TimeSpan Busy()
    {
        if (!File.Exists("/proc/stat"))
        {
            return TimeSpan.Zero;
        }
        using var reader = new StreamReader("/proc/stat");
        var fields = (reader.ReadLine() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        if (fields.Length < 5)
        {
            return TimeSpan.Zero;
        }
        // user nice system idle iowait irq softirq steal (guest time is already in user).
        var busy = fields.Take(8).Sum() - fields[3] - fields[4];
        return Ticks(busy);
    }

    /// utime + stime of the postmaster and its children (backends, writers, autovacuum): the cluster the
    /// server talks to, not another one on the machine. A backend that exits between two readings takes its
    /// time with it; the server's connection pool keeps its backends for the run.
    public static TimeSpan Postgres(int postmasterPid)
    {
        if (!Directory.Exists("/proc"))
        {
            return TimeSpan.Zero;
        }
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            if (Stat(pid) is { } stat && stat.Command == "postgres" && (pid == postmasterPid || stat.ParentPid == postmasterPid))
            {
                ticks += stat.CpuTicks;
            }
        }
        return Ticks(ticks);
    }

    /// The parent of a process, if /proc shows it.
    public static int? ParentOf(int pid) => Stat(pid)?.ParentPid;

    private sealed record ProcStat(string Command, int ParentPid, long CpuTicks);

    private static ProcStat? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open)
            {
                return null;
            }
            // After "pid (comm) ": state is field 3, ppid field 4, utime field 14, stime field 15.
            var rest = stat[(close + 2)..].Split(' ');
            return new ProcStat(stat[(open + 1)..close], int.Parse(rest[1], CultureInfo.InvariantCulture),
                long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null; // The process ended while being read, or there is no /proc.
        }
        catch (UnauthorizedAccessException)
        {
            return null; // Not ours to read.
        }
    }

    private static TimeSpan Ticks(long ticks) => TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
}
