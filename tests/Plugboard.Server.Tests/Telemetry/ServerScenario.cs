using System.Net;
using System.Net.Http.Headers;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Telemetry;

/// What the telemetry, shutdown and deployment tests do to a server process: a project, a secret connection
/// and an engine token for it, and engine reads of the connection.
public sealed record ServerScenario(HttpClient Admin, string ProjectId, string ExternalId, string Secret, HttpClient Engine)
{
    public static async Task<ServerScenario> CreateAsync(ServerProcess server)
    {
        var admin = server.Client();
        var projectId = await admin.CreateProjectAsync();
        var externalId = Api.Unique("read");
        var secret = $"sk-never-logged-{Guid.NewGuid():N}";
        (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, secret))).AssertStatus(HttpStatusCode.Created);
        var token = (await admin.ApiPostAsync("/api/v1/engine-tokens", new { projectId })).AssertStatus(HttpStatusCode.OK).Str("token");
        var engine = server.Client(null);
        engine.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new ServerScenario(admin, projectId, externalId, secret, engine);
    }

    /// One engine read; asserts it released the secret.
    public async Task ReadAsync()
    {
        var read = (await Engine.ApiGetAsync($"/api/v1/worker/app-connections/{Uri.EscapeDataString(ExternalId)}")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(Secret, read.Raw, StringComparison.Ordinal);
    }

    /// `count` engine reads, `parallel` at a time.
    public Task ReadManyAsync(int count, int parallel) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (_, _) => await ReadAsync());

    /// How many reads the `connection.read` audit rows of this project stand for.
    public async Task<int> AuditedReadsAsync()
    {
        var total = 0;
        string? cursor = null;
        do
        {
            var page = (await Admin.ApiGetAsync($"/api/v1/audit-events?action=connection.read&projectId={ProjectId}&limit=100{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}"))
                .AssertStatus(HttpStatusCode.OK);
            foreach (var row in page.Body.GetProperty("data").EnumerateArray())
            {
                total += row.GetProperty("details").GetProperty("reads").GetInt32();
            }
            cursor = page.Body.TryGetProperty("next", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return total;
    }
}
