using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Testing.Servers;

namespace Plugboard.Server.Tests.Http;

/// /openapi/v1.json passes Redocly's recommended rules with no error, so client generators get what they need.
/// The linter is pinned in tests/openapi-lint (package.json, package-lock.json); scripts/test runs `npm ci` there.
/// The document does not depend on the storage engine: SQLite only.
public sealed class OpenApiLintTests(SqliteFixture fixture, ITestOutputHelper output) : IClassFixture<SqliteFixture>
{
    private const string LintFolder = "tests/openapi-lint";
    private const string Cli = "node_modules/@redocly/cli/bin/cli.js";
    private static readonly TimeSpan LintTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Lint_RecommendedRules_NoErrors()
    {
        var folder = Path.Combine(ServerDll.RepositoryRoot(), LintFolder);
        var cli = Path.Combine(folder, Cli);
        Assert.True(File.Exists(cli),
            $"The OpenAPI linter is not installed: run `npm ci` in {LintFolder} (./scripts/test does it when Node.js and npm are present). Missing: {cli}");

        var document = (await fixture.App.Client(null).ApiGetAsync("/openapi/v1.json")).AssertStatus(HttpStatusCode.OK).Raw;
        var file = Path.Combine(Path.GetTempPath(), $"plugboard-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document);
        try
        {
            var (exitCode, stdout, stderr) = await RunNodeAsync(folder, cli, "lint", "--config", "redocly.yaml", "--format", "json", file);
            var report = ParseReport(stdout, stderr);
            var totals = report.GetProperty("totals");
            var (errors, warnings) = (totals.GetProperty("errors").GetInt32(), totals.GetProperty("warnings").GetInt32());
            var problems = Problems(report);
            output.WriteLine($"redocly lint: {errors} errors, {warnings} warnings{Environment.NewLine}{problems}");

            Assert.True(errors == 0 && exitCode == 0,
                $"redocly lint (recommended) found {errors} errors and {warnings} warnings (exit code {exitCode}):{Environment.NewLine}{problems}{stderr}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static JsonElement ParseReport(string stdout, string stderr)
    {
        try
        {
            return JsonDocument.Parse(stdout).RootElement;
        }
        catch (JsonException)
        {
            Assert.Fail($"redocly lint did not print a JSON report.{Environment.NewLine}stdout: {stdout}{Environment.NewLine}stderr: {stderr}");
            throw;
        }
    }

    /// One line per problem: severity, rule, where, and what.
    private static string Problems(JsonElement report)
    {
        var text = new StringBuilder();
        foreach (var problem in report.GetProperty("problems").EnumerateArray())
        {
            var pointer = problem.GetProperty("location").EnumerateArray().Select(l => l.GetProperty("pointer").GetString()).FirstOrDefault();
            text.AppendLine($"  {problem.GetProperty("severity").GetString()} {problem.GetProperty("ruleId").GetString()} at {pointer}: {problem.GetProperty("message").GetString()}");
        }
        return text.ToString();
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunNodeAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        // No telemetry, no update check, no colour codes in the report.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"Node.js (`node`) is needed to lint the OpenAPI document: install it, then run `npm ci` in {LintFolder}. ({e.Message})");
            throw;
        }
        using (process)
        {
            using var timeout = new CancellationTokenSource(LintTimeout);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"redocly lint did not finish within {LintTimeout}.");
            }
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
