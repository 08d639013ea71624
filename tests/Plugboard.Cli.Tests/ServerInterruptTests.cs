using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Plugboard.Cli.Tests.Infrastructure;
using Plugboard.Testing.Servers;

namespace Plugboard.Cli.Tests;

/// `plugboard server rewrap` stopped by Ctrl-C: the CLI hands the interrupt on to the server's verb, which stops between
/// two writes; the next run goes on from there; progress lines become bars on a terminal.
public sealed class ServerInterruptTests
{
    private const int Count = 3000;
    private const string AdminKey = "sk-cliinterrupt0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijk";

    [Fact]
    public async Task Rewrap_Interrupted_SaysSoAndTheNextRunFinishes_ThenCheckShowsBars()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "plugboard-cli-tests-interrupt", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var keyFile = Path.Combine(dataDir, "encryption.key");
        var oldKey = NewKey();
        await File.WriteAllTextAsync(keyFile, oldKey, TestContext.Current.CancellationToken);
        await SeedAsync(dataDir);
        await File.WriteAllTextAsync(keyFile, $"{NewKey()}\n{oldKey}", TestContext.Current.CancellationToken);
        string[] Args(string verb) => ["server", verb, "--server", ServerDll.Locate(), "--data-dir", dataDir, "--database", ""];

        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using var output = new LineWatch("Rewrap: connection values 200/", interrupt.Cancel);
        using var error = new StringWriter();
        var host = new CliHost(new StringReader(""), output, error, _ => null, OutputIsTerminal: false);
        var interrupted = await CliApp.RunAsync(Args("rewrap"), host, interrupt.Token);
        var text = output.ToString();
        Assert.True(interrupted == 1, $"exit {interrupted}\n{text}\n{error}");
        Assert.Contains("Rewrap: interrupted. Nothing is lost", text, StringComparison.Ordinal);
        Assert.DoesNotContain("retired key ids", text, StringComparison.Ordinal);
        Assert.Contains("error: interrupted; run `plugboard server rewrap` again to go on.", error.ToString(), StringComparison.Ordinal);

        var finished = await CliRun.RunAsync(Args("rewrap"), null, new Dictionary<string, string>());
        Assert.True(finished.ExitCode == 0, finished.ToString());
        var summary = finished.Out.Split('\n').Single(l => l.StartsWith("Rewrap: ", StringComparison.Ordinal) && l.Contains("secrets examined", StringComparison.Ordinal));
        Assert.Contains("0 unreadable", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("retired key ids: none", summary, StringComparison.Ordinal);
        Assert.DoesNotContain($", {Count} moved", summary, StringComparison.Ordinal);

        // A terminal: the verb's progress lines are drawn as bars, not printed; its summary is.
        using var terminal = new StringWriter();
        using var terminalError = new StringWriter();
        var check = await CliApp.RunAsync(Args("check"), new CliHost(new StringReader(""), terminal, terminalError, _ => null, OutputIsTerminal: true),
            TestContext.Current.CancellationToken);
        Assert.True(check == 0, $"{terminal}\n{terminalError}");
        Assert.Contains($"{Count} connection values", terminal.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain($"Check: connection values {Count}/{Count}", terminal.ToString(), StringComparison.Ordinal);
        TryDelete(dataDir);
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static async Task SeedAsync(string dataDir)
    {
        var settings = new Dictionary<string, string>
        {
            ["PLUGBOARD_DATA_DIR"] = dataDir,
            ["PLUGBOARD_DATABASE"] = "",
            ["PLUGBOARD_ADMIN_API_KEY"] = AdminKey,
            ["PLUGBOARD_REFRESH_WORKER"] = "false",
            ["PLUGBOARD_RATE_LIMIT_PER_CREDENTIAL_PER_MINUTE"] = "0",
        };
        await using var server = await ServerProcess.StartAsync("interrupt-seed", settings);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var project = await (await http.PostAsJsonAsync("/api/v1/projects", new { displayName = "bulk", externalId = "bulk" })).EnsureSuccessStatusCode()
            .Content.ReadFromJsonAsync<Dictionary<string, object>>();
        var projectId = project!["id"].ToString();
        await Parallel.ForEachAsync(Enumerable.Range(0, Count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            (await http.PostAsJsonAsync("/api/v1/app-connections", new
            {
                projectId, externalId = $"bulk_{i:D5}", displayName = "bulk", pieceName = "@activepieces/piece-example", type = "SECRET_TEXT",
                value = new { type = "SECRET_TEXT", secret_text = $"bulk-{i:D5}" },
            }, ct)).EnsureSuccessStatusCode());
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// Standard output that calls <paramref name="onLine"/> the first time a line starting with <paramref name="prefix"/> is written.
    private sealed class LineWatch(string prefix, Action onLine) : StringWriter
    {
        private bool _seen;

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }
            if (!_seen && value is not null && value.StartsWith(prefix, StringComparison.Ordinal))
            {
                _seen = true;
                onLine();
            }
        }

        public override string ToString()
        {
            lock (this)
            {
                return base.ToString();
            }
        }
    }
}
