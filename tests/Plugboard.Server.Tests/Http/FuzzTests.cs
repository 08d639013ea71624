using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using CsCheck;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Http;

/// Every operation of the server's own OpenAPI document, called thousands of times with malformed input
/// (wrong types, lone surrogates, NUL, deep nesting, huge numbers, non-object bodies, odd route and query
/// values) by the admin key, a project key and an engine token: no answer is a 5xx, and afterwards the
/// server still lists everything and still hands out a known connection's value.
public abstract class FuzzTests(ITestOutputHelper output)
{
    private const ulong Seed = 20261130;
    private const int Requests = 20_000;
    private const int Parallelism = 4;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(50);

    protected abstract DatabaseEngine Engine { get; }

    [Fact]
    public async Task AnyOperation_MalformedInput_NeverAnswers5xxAndLeavesTheServerReadable()
    {
        await using var storage = await TestStorage.CreateAsync(Engine);
        // Real Kestrel: the in-memory host cannot even send some of these paths (a %00 in the path).
        await using var app = new TestApp(storage, new Dictionary<string, string?> { ["PLUGBOARD_RATE_LIMITS"] = "off" });
        app.UseKestrel(0);
        app.StartServer();
        var admin = app.Client();

        // The canary the fuzz must not break: a connection whose value the engine reads back at the end.
        var canaryProject = await admin.CreateProjectAsync();
        var canaryExternalId = Api.Unique("canary");
        (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(canaryProject, canaryExternalId, "canary-secret")))
            .AssertStatus(HttpStatusCode.Created);

        // What the fuzz may aim at: a project of its own, with its own key and engine token.
        var target = await admin.CreateProjectAsync();
        (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(target, "fuzz_target", "target-secret"))).AssertStatus(HttpStatusCode.Created);
        var projectKey = (await admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "fuzz", projectId = target }))
            .AssertStatus(HttpStatusCode.Created).Str("value");
        var engineToken = await admin.EngineTokenAsync(target);

        var document = (await admin.ApiGetAsync("/openapi/v1.json")).AssertStatus(HttpStatusCode.OK).Body;
        var operations = FuzzOperations.Read(document);
        Assert.True(operations.Count > 30, $"only {operations.Count} operations in the document");

        var generator = new FuzzRequests(operations, document.GetProperty("components").GetProperty("schemas"), target, canaryProject);
        var pcg = new PCG(1, Seed);
        var requests = Enumerable.Range(0, Requests).Select(_ => generator.Gen.Generate(pcg, null, out Size _)).ToList();
        var clients = new[] { admin, app.Client(projectKey), app.Client(engineToken) };

        var failures = new List<string>();
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (request, ct) =>
        {
            if (clock.Elapsed > Budget)
            {
                return;
            }
            Interlocked.Increment(ref sent);
            var status = await SendAsync(clients[request.Credential], request, ct);
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (status >= 500)
            {
                lock (failures)
                {
                    failures.Add($"{status} {request}");
                }
            }
        });

        output.WriteLine($"fuzz on {Engine}: seed {Seed}, {sent} of {requests.Count} requests sent in {clock.Elapsed.TotalSeconds:F1} s, {failures.Count} answered 5xx");
        output.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        foreach (var failure in failures.Distinct().Take(60))
        {
            output.WriteLine(failure);
        }
        Assert.True(sent >= 1000, $"only {sent} requests in {Budget.TotalSeconds} s");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests answered 5xx, e.g.\n{string.Join('\n', failures.Distinct().Take(20))}");

        var read = (await app.Client(await admin.EngineTokenAsync(canaryProject)).ReadConnectionAsync(canaryExternalId)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("canary-secret", read.Body.GetProperty("value").GetProperty("secret_text").GetString());
        foreach (var list in new[]
                 {
                     "/api/v1/projects?limit=100", $"/api/v1/app-connections?projectId={canaryProject}&limit=100", "/api/v1/global-connections?limit=100",
                     $"/api/v1/flows?projectId={canaryProject}&limit=100", "/api/v1/audit-events?limit=100", "/api/v1/pieces", "/api/v1/api-keys?limit=100",
                     "/api/v1/users?limit=100", "/api/v1/signing-keys", "/api/v1/oauth-apps", "/api/v1/oauth-providers",
                 })
        {
            var response = (await admin.ApiGetAsync(list)).AssertStatus(HttpStatusCode.OK);
            Assert.NotEqual(JsonValueKind.Undefined, response.Body.ValueKind);
        }
    }

    private static async Task<int> SendAsync(HttpClient client, FuzzRequest request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Body));
            message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }
        using var response = await client.SendAsync(message, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if ((int)response.StatusCode < 500 && body.Length > 0 && response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("json", StringComparison.Ordinal))
        {
            // Every answer the server gives is one it could write: a body that does not parse counts as a failure.
            try
            {
                using var _ = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                return 599;
            }
        }
        return (int)response.StatusCode;
    }
}

/// Run alone, after the parallel classes: thousands of requests on 2 cores would starve timing-sensitive tests.
[CollectionDefinition(nameof(FuzzCollection), DisableParallelization = true)]
public sealed class FuzzCollection;

[Collection(nameof(FuzzCollection))]
public sealed class FuzzSqliteTests(ITestOutputHelper output) : FuzzTests(output)
{
    protected override DatabaseEngine Engine => DatabaseEngine.Sqlite;
}

[Collection(nameof(FuzzCollection))]
public sealed class FuzzPostgresTests(ITestOutputHelper output) : FuzzTests(output)
{
    protected override DatabaseEngine Engine => DatabaseEngine.Postgres;
}
