using System.Diagnostics;

namespace Plugboard.Testing.Servers;

/// RSS now and at its peak (VmHWM), in KiB, and CPU time used, of one server process.
public sealed record ProcessUsage(string Name, long? RssKb, long? PeakRssKb, TimeSpan Cpu)
{
    public static ProcessUsage Of(string name, Process process)
    {
        process.Refresh();
        var statusFile = $"/proc/{process.Id}/status";
        var status = File.Exists(statusFile) ? File.ReadAllLines(statusFile) : [];
        return new ProcessUsage(name, Kilobytes(status, "VmRSS:"), Kilobytes(status, "VmHWM:"), process.TotalProcessorTime);
    }

    private static long? Kilobytes(string[] status, string field) =>
        status.FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) is { } line &&
        long.TryParse(line[field.Length..].Trim().Split(' ')[0], out var kb) ? kb : null;
}
