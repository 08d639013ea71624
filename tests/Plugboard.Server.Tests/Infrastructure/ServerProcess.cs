using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Plugboard.Server.Tests.Infrastructure;

/// The real server as a child process on a free loopback port: what a replica is, where an in-process
/// <see cref="TestApp"/> cannot be one (two hosts in one process share statics, the clock and the pools).
/// Its output is kept so a failing test can show what the server said.
public sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 2000;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly Lazy<string> Dll = new(LocateDll);

    private readonly Process _process;
    private readonly Queue<(long Number, string Text)> _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];
    private long _linesWritten;

    private ServerProcess(Process process, Uri baseAddress, string name)
    {
        _process = process;
        BaseAddress = baseAddress;
        Name = name;
    }

    public Uri BaseAddress { get; }

    /// A label for diagnostics ("A", "B").
    public string Name { get; }

    /// Starts the server with only the given PLUGBOARD_* settings (the test host's own are removed, so
    /// nothing leaks in) and returns once it answers GET /health.
    public static async Task<ServerProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, CancellationToken ct = default)
    {
        var server = Launch(name, settings, new Uri($"http://127.0.0.1:{FreePort()}"));
        try
        {
            await server.WaitUntilHealthyAsync(ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// Starts the server and returns at once. <paramref name="asNewcomer"/>: from the given working directory
    /// with the server's own log defaults, as `dotnet Plugboard.Server.dll` typed by hand would; otherwise from
    /// the DLL's folder with the tests' log levels.
    public static ServerProcess Launch(
        string name, IReadOnlyDictionary<string, string> settings, Uri baseAddress, bool asNewcomer = false, string? workingDirectory = null)
    {
        var dll = Dll.Value;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PLUGBOARD_", StringComparison.Ordinal) || k.StartsWith("Logging__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        if (!asNewcomer)
        {
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            start.Environment["Logging__LogLevel__Plugboard"] = "Information";
            start.Environment["Logging__LogLevel__Plugboard.Server.OAuth"] = "Debug";
            start.Environment["Logging__Console__FormatterName"] = "simple";
            start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
            start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server process.");
        var server = new ServerProcess(process, baseAddress, name);
        process.OutputDataReceived += (_, e) => server.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => server.Capture(e.Data);
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

    /// Every line kept so far, in order.
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output.Select(line => line.Text)];
            }
        }
    }

    /// A client of this process for the given bearer key (none when null).
    public HttpClient Client(string? apiKey = TestApp.AdminKey)
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
        lock (_output)
        {
            var tail = _output.Skip(Math.Max(0, _output.Count - lines)).Select(line => line.Text);
            var state = _process.HasExited ? $"exited with code {_process.ExitCode}" : "running";
            return $"--- server {Name} ({BaseAddress}, {state}), last {Math.Min(lines, _output.Count)} lines:\n{string.Join('\n', tail)}";
        }
    }

    /// How many lines the server has written so far: a mark for <see cref="OutputLinesContaining"/>.
    public long LinesWritten
    {
        get
        {
            lock (_output)
            {
                return _linesWritten;
            }
        }
    }

    /// Every kept line written after the mark that contains the text: e.g. " fail: " or "Exception".
    public IReadOnlyList<string> OutputLinesContaining(string text, long afterLine = 0)
    {
        lock (_output)
        {
            return [.. _output.Where(line => line.Number > afterLine && line.Text.Contains(text, StringComparison.Ordinal)).Select(line => line.Text)];
        }
    }

    /// Completes once the server has written, after the mark, a line containing the text: for what only the
    /// server's log can tell, waited on instead of polled for.
    public Task WhenOutputContainsAsync(string text, long afterLine = 0)
    {
        lock (_output)
        {
            if (_output.Any(line => line.Number > afterLine && line.Text.Contains(text, StringComparison.Ordinal)))
            {
                return Task.CompletedTask;
            }
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _awaited.Add((text, seen));
            return seen.Task;
        }
    }

    /// Plugboard.Server.dll beside this test assembly (a project reference copies it there with its
    /// runtimeconfig and deps, so `dotnet` can run it), else the server's own build output in the same
    /// configuration, found from the repository root.
    private static string LocateDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "Plugboard.Server.dll");
        if (IsRunnable(beside))
        {
            return beside;
        }
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (output.Name, output.Parent?.Name ?? "Release");
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Plugboard.slnx")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Plugboard.Server", "bin", configuration, framework, "Plugboard.Server.dll");
                return IsRunnable(dll)
                    ? dll
                    : throw new InvalidOperationException($"The server is not built: {dll} (with its .runtimeconfig.json and .deps.json) is missing; build the solution in {configuration}.");
            }
        }
        throw new InvalidOperationException($"Cannot find Plugboard.Server.dll beside {AppContext.BaseDirectory} nor the repository root (Plugboard.slnx) above it.");
    }

    private static bool IsRunnable(string dll) =>
        File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")) && File.Exists(Path.ChangeExtension(dll, ".deps.json"));

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

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.Enqueue((++_linesWritten, line));
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
            // Continuations run asynchronously, so completing them under the lock is safe.
            _awaited.RemoveAll(awaited => line.Contains(awaited.Text, StringComparison.Ordinal) && awaited.Seen.TrySetResult());
        }
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
