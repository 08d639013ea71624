using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Plugboard.Testing.Servers;

/// A real server (Plugboard.Server, or a host built on it) as a child process on a loopback port: what a
/// replica is, where an in-process test host cannot be one (two hosts in one process share statics, the clock
/// and the pools). Its output is kept, so a failing test can show what the server said and a bench run can
/// count what each replica did.
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// The tests' log levels: Plugboard's information and its OAuth debug lines, one line each, timestamped.
    public static readonly IReadOnlyDictionary<string, string> TestLogging = new Dictionary<string, string>
    {
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Plugboard"] = "Information",
        ["Logging__LogLevel__Plugboard.Server.OAuth"] = "Debug",
        ["Logging__Console__FormatterName"] = "simple",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
    };

    private readonly Process _process;
    // Lines before this one were written while starting: on an empty PostgreSQL database EF Core logs its
    // look for the migrations history table, which does not exist yet, as a failed command.
    private long _startedAtLine;

    private ServerProcess(Process process, Uri baseAddress, string name)
    {
        _process = process;
        BaseAddress = baseAddress;
        Name = name;
    }

    public Uri BaseAddress { get; }

    /// A label for diagnostics ("A", "B").
    public string Name { get; }

    public ServerLog Log { get; } = new();

    /// Starts Plugboard.Server with only the given PLUGBOARD_* settings and the tests' log levels, and returns
    /// once it answers GET /health.
    public static Task<ServerProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, CancellationToken ct = default) =>
        StartAsync(new ServerLaunch(name, settings), ct);

    public static async Task<ServerProcess> StartAsync(ServerLaunch launch, CancellationToken ct = default)
    {
        var server = Launch(launch);
        try
        {
            await server.WaitUntilHealthyAsync(ct);
            server._startedAtLine = server.Log.LinesWritten;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// Starts Plugboard.Server and returns at once. <paramref name="asNewcomer"/>: with the server's own log
    /// defaults, as `dotnet Plugboard.Server.dll` typed by hand would; otherwise with the tests' log levels.
    public static ServerProcess Launch(
        string name, IReadOnlyDictionary<string, string> settings, Uri baseAddress, bool asNewcomer = false, string? workingDirectory = null) =>
        Launch(new ServerLaunch(name, settings)
        {
            BaseAddress = baseAddress,
            Logging = asNewcomer ? new Dictionary<string, string>() : TestLogging,
            WorkingDirectory = workingDirectory,
        });

    /// Starts the process and returns at once. The parent's PLUGBOARD_* and Logging__* variables are removed,
    /// so nothing leaks in; the launch's settings and logging are all it gets.
    public static ServerProcess Launch(ServerLaunch launch)
    {
        var dll = launch.Dll ?? ServerDll.Locate();
        var baseAddress = launch.BaseAddress ?? new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = launch.WorkingDirectory ?? Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in launch.Arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PLUGBOARD_", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in launch.Settings.Concat(launch.Logging))
        {
            start.Environment[key] = value;
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start server process {launch.Name}.");
        var server = new ServerProcess(process, baseAddress, launch.Name);
        process.OutputDataReceived += (_, e) => server.Log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// Waits for the process to end by itself (all its output read) and gives its exit code.
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// Every line written so far, in order.
    public IReadOnlyList<string> Output => Log.Lines;

    /// How many lines the server has written so far: a mark for <see cref="OutputLinesContaining"/>.
    public long LinesWritten => Log.LinesWritten;

    /// Every line written after the mark that contains the text: e.g. " fail: " or "Exception".
    public IReadOnlyList<string> OutputLinesContaining(string text, long afterLine = 0) => Log.LinesContaining(text, afterLine);

    /// Completes once the server writes, after the mark, a line containing the text.
    public Task WhenOutputContainsAsync(string text, long afterLine = 0) => Log.WhenLineContainsAsync(text, afterLine);

    /// A client of this process for the given bearer key (none when null).
    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    /// The last lines the server wrote, headed by its name: for assertion messages.
    public string OutputTail(int lines = 60)
    {
        var tail = Log.LastLines(lines);
        var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : "running";
        return $"--- server {Name} ({BaseAddress}, {state}), last {tail.Count} lines:\n{string.Join('\n', tail)}";
    }

    /// Log entries since start-up whose first line contains the text, e.g. "LeasedRefresh[3001]" or "fail: ".
    public int Count(string text) =>
        Log.EntriesAfter(_startedAtLine).Count(e => FirstLine(e).Contains(text, StringComparison.Ordinal));

    private static ReadOnlySpan<char> FirstLine(string entry) =>
        entry.IndexOf('\n') is var end and >= 0 ? entry.AsSpan(0, end) : entry;

    /// The last entries above debug level since start-up (all of them while starting): warnings, errors
    /// and anything the host wrote.
    public IReadOnlyList<string> Tail(int count) =>
        [.. Log.EntriesAfter(_startedAtLine).Where(e => !e.StartsWith("dbug: ", StringComparison.Ordinal)).TakeLast(count)];

    public ProcessUsage Usage() => ProcessUsage.Of(Name, _process);

    /// Sends SIGTERM, as `docker stop` or Kubernetes would: the server drains and exits by itself
    /// (<see cref="WaitForExitAsync"/>), unlike <see cref="DisposeAsync"/>'s kill.
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("Could not run kill.");
        kill.WaitForExit();
    }

    public async Task WaitUntilHealthyAsync(CancellationToken ct = default)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                // Also waits for the end of its output, so the message has the last words.
                await _process.WaitForExitAsync(ct);
                throw new InvalidOperationException($"The server exited during start-up.\n{OutputTail()}");
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
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // Listening but still starting; ask again.
            }
            await Task.Delay(100, ct);
        }
        throw new InvalidOperationException($"The server did not answer /health within {StartTimeout.TotalSeconds} s.\n{OutputTail()}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        _process.Dispose();
    }
}
