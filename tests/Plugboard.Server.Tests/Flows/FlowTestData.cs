using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Http;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Flows;

/// Flow bodies and the calls the flow tests share.
internal static class FlowTestData
{
    public const string Slack = "@activepieces/piece-slack";
    public const string Gelato = "@activepieces/piece-gelato";

    public static object Step(string name, object? input = null, string pieceName = Slack, string operation = "send_message") => new
    {
        name,
        pieceName,
        pieceVersion = "0.10.0",
        operation,
        input = input ?? new { },
    };

    /// A step whose auth references the connection the usual way: {{connections['x']}}.
    public static object UsingConnection(string name, string externalId, string pieceName = Slack) =>
        Step(name, new { auth = $"{{{{connections['{externalId}']}}}}", channel = "#general" }, pieceName);

    public static object Trigger(object? input = null) => Step("trigger", input, operation: "new_message");

    /// A flow with a trigger and one step per externalId, each using that connection.
    public static object Flow(string projectId, string status, params string[] externalIds) => new
    {
        projectId,
        displayName = "Flow " + Guid.NewGuid().ToString("N")[..6],
        status,
        trigger = Trigger(),
        steps = externalIds.Select((x, i) => UsingConnection($"step_{i + 1}", x)).ToArray(),
    };

    public static async Task<string> CreateFlowAsync(this HttpClient client, string projectId, string status, params string[] externalIds) =>
        (await client.ApiPostAsync("/api/v1/flows", Flow(projectId, status, externalIds))).AssertStatus(HttpStatusCode.Created).Str("id");

    public static async Task<string> CreateConnectionAsync(this HttpClient client, string projectId, string externalId, string pieceName = Slack) =>
        (await client.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "secret-" + externalId, pieceName: pieceName)))
        .AssertStatus(HttpStatusCode.Created).Str("id");

    public static async Task<string> CreateGlobalAsync(this HttpClient client, string externalId, params string[] projectIds) =>
        (await client.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, projectIds, "global-secret"))).AssertStatus(HttpStatusCode.Created).Str("id");

    public static async Task<JsonElement> ConnectionAsync(this HttpClient client, string connectionId) =>
        (await client.ApiGetAsync($"/api/v1/app-connections/{connectionId}")).AssertStatus(HttpStatusCode.OK).Body;

    public static string[] FlowIds(this JsonElement connection) =>
        connection.GetProperty("flowIds").EnumerateArray().Select(e => e.GetString()!).ToArray();

    public static string[] Strings(this JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    /// The project's connections, by externalId (a page of up to 100).
    public static async Task<Dictionary<string, JsonElement>> ConnectionsByExternalIdAsync(this HttpClient client, string projectId) =>
        (await client.ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=100")).AssertStatus(HttpStatusCode.OK)
        .Body.GetProperty("data").EnumerateArray().ToDictionary(e => e.GetProperty("externalId").GetString()!, e => e);

    public static async Task<HttpClient> ProjectKeyAsync(this TestApp app, string projectId)
    {
        var key = (await app.Client().ApiPostAsync("/api/v1/api-keys", new { displayName = "project key", projectId }))
            .AssertStatus(HttpStatusCode.Created).Str("value");
        return app.Client(key);
    }

    /// A second platform with a project and a platform key of its own, written straight to the database
    /// (these fixtures configure no operator key): the neighbour a tenant must never see.
    public static async Task<(HttpClient Key, string ProjectId)> OtherPlatformAsync(this TestApp app)
    {
        var key = ApiKeyHash.NewKey();
        var (platformId, ownerId, projectId) = (Ids.New(), Ids.New(), Ids.New());
        await app.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            db.Platforms.Add(new PlatformEntity { Id = platformId, Name = "Neighbour", OwnerId = ownerId, Created = now });
            db.Users.Add(new User { Id = ownerId, PlatformId = platformId, Email = "owner@neighbour.test", PlatformRole = PlatformRole.Admin, Created = now });
            db.ApiKeys.Add(new ApiKey
            {
                Id = Ids.New(), PlatformId = platformId, DisplayName = "neighbour admin", HashedValue = ApiKeyHash.Hash(key),
                TruncatedValue = ApiKeyHash.Truncate(key), Created = now,
            });
            db.Projects.Add(new Project { Id = projectId, PlatformId = platformId, OwnerId = ownerId, DisplayName = "Neighbour project", Created = now, Updated = now });
            return await db.SaveChangesAsync();
        });
        return (app.Client(key), projectId);
    }

    /// The stored value of a connection, decrypted with the server's own protector.
    public static Task<(AppConnection Row, string Value)> StoredAsync(this TestApp app, string connectionId) => app.WithDbAsync(async db =>
    {
        var row = await db.AppConnections.AsNoTracking().SingleAsync(c => c.Id == connectionId);
        var protector = app.Services.GetRequiredService<SecretProtector>();
        return (row, protector.Unprotect(row.Value, ConnectionSecrets.ValueContext(row.PlatformId, row.Id)));
    });
}
