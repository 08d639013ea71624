using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Plugboard.Bench;

/// The real server as a separate process on a free loopback port, on the bench's storage and keys. It
/// keeps the process id (for memory and CPU at the end) and the log, entry by entry, so a run can count
/// what each replica did.
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly string[] LevelPrefixes = ["trce: ", "dbug: ", "info: ", "warn: ", "fail: ", "crit: "];

    private readonly Process _process;
    private readonly List<string> _entries = [];
    // Entries before this one were written while starting: on an empty PostgreSQL database EF Core logs
    // its look for the migrations history table, which does not exist yet, as a failed command.
    private int _startedAtEntry;

    private ServerProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }

    public static async Task<ServerProcess> StartAsync(string name, string serverDll, IReadOnlyDictionary<string, string> settings, CancellationToken ct)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
        };
        start.ArgumentList.Add(serverDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PLUGBOARD_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // One short line per stored refresh, so the report can say which replica did how many.
        start.Environment["Logging__LogLevel__Plugboard.Server.OAuth.LeasedRefresh"] = "Debug";

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start server process {name}.");
        var replica = new ServerProcess(name, process, baseAddress);
        process.OutputDataReceived += (_, e) => replica.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => replica.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await replica.WaitUntilHealthyAsync(ct);
            lock (replica._entries)
            {
                replica._startedAtEntry = replica._entries.Count;
            }
            return replica;
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }
    }

    /// Where the server's build output is: given, or beside this bench's in the same configuration.
    public static string LocateDll(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new UsageException($"--server: {given} does not exist");
        }
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (output.Name, output.Parent?.Name ?? "Release");
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plugboard.slnx")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Plugboard.Server", "bin", configuration, framework, "Plugboard.Server.dll");
                return File.Exists(dll) ? dll : throw new UsageException($"the server is not built: {dll} is missing (build the solution in {configuration})");
            }
        }
        throw new UsageException("cannot find the repository root (Plugboard.slnx) above the bench's output; pass --server path/to/Plugboard.Server.dll");
    }

    /// Log entries since start-up (first line and continuation lines joined) whose first line contains
    /// the text, e.g. "LeasedRefresh[3001]" or "fail: ".
    public int Count(string text)
    {
        lock (_entries)
        {
            return _entries.Skip(_startedAtEntry).Count(e => FirstLine(e).Contains(text, StringComparison.Ordinal));
        }
    }

    private static ReadOnlySpan<char> FirstLine(string entry) =>
        entry.IndexOf('\n') is var end and >= 0 ? entry.AsSpan(0, end) : entry;

    /// The last entries above debug level since start-up (all of them while starting): warnings,
    /// errors and anything the host wrote.
    public IReadOnlyList<string> Tail(int count)
    {
        lock (_entries)
        {
            return [.. _entries.Skip(_startedAtEntry).Where(e => !e.StartsWith("dbug: ", StringComparison.Ordinal)).TakeLast(count)];
        }
    }

    public ReplicaUsage Usage()
    {
        _process.Refresh();
        var status = File.Exists($"/proc/{_process.Id}/status") ? File.ReadAllLines($"/proc/{_process.Id}/status") : [];
        return new ReplicaUsage(Name, Kilobytes(status, "VmRSS:"), Kilobytes(status, "VmHWM:"), _process.TotalProcessorTime);
    }

    private static long? Kilobytes(string[] status, string field) =>
        status.FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal)) is { } line &&
        long.TryParse(line[field.Length..].Trim().Split(' ')[0], out var kb) ? kb : null;

    private async Task WaitUntilHealthyAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Server process {Name} exited with code {_process.ExitCode}:\n{string.Join('\n', Tail(40))}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, ct);
        }
        throw new InvalidOperationException($"Server process {Name} did not answer /health within 60 s:\n{string.Join('\n', Tail(40))}");
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_entries)
        {
            var continues = _entries.Count > 0 && line.StartsWith(' ') && !LevelPrefixes.Any(p => line.StartsWith(p, StringComparison.Ordinal));
            if (continues)
            {
                _entries[^1] += "\n" + line;
            }
            else
            {
                _entries.Add(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// RSS now and at its peak (VmHWM), in KiB, and CPU time used, of one replica at the end of a run.
internal sealed record ReplicaUsage(string Name, long? RssKb, long? PeakRssKb, TimeSpan Cpu);
