using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.OAuth;
using Plugboard.Server.Platform;
using Plugboard.Server.Projects;
using Plugboard.Server.Tests.Embedding;
using Plugboard.Server.Tests.Engine;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Tests.Pieces;

namespace Plugboard.Server.Tests.Platform;

/// The cross-tenant matrix: every /api route the server really serves, called with every kind of
/// credential of platform B, aimed at platform A's ids. Nothing of A may come back, nothing of A may change.
public abstract partial class CrossPlatformMatrixTests(OperatorFixture fixture)
{
    /// Below this the enumeration has gone wrong, and a green run would prove nothing.
    private const int MinimumRoutes = 40;

    public sealed record Credential(string Name, HttpClient Client);

    /// B, the platform whose credentials attack: its admin key, a project of its own.
    public sealed record Attacker(string PlatformId, string AdminKey, string ProjectId);

    /// Extension point: more kinds of B credential (a session token of a B user, …). Each runs the whole matrix.
    private static readonly Func<TestApp, Attacker, Task<Credential>>[] ExtraCredentials = [SessionOfAnAdminAsync];

    /// An embedded ADMIN of B, signed in through B's own signing key and managed authentication.
    private static async Task<Credential> SessionOfAnAdminAsync(TestApp app, Attacker b)
    {
        using var saas = await Saas.RegisterAsync(app.Client(b.AdminKey), TimeProvider.System);
        var answer = await app.Client(null).ExchangeAsync(saas.Mint(Saas.Claims(Api.Unique("b_user"), Api.Unique("b_org"), "ADMIN")));
        return new Credential("B session (ADMIN)", app.Client(answer.AssertStatus(System.Net.HttpStatusCode.OK).Str("token")));
    }

    /// Routes where a 2xx is legitimate for B: they list or create B's own rows and take no id of A from the
    /// route. A POST among them still may not succeed when its body names A's project (see IsViolation).
    private static readonly HashSet<string> BScopedRoutes =
    [
        "GET /api/v1/projects", "GET /api/v1/global-connections", "GET /api/v1/api-keys", "GET /api/v1/audit-events",
        "GET /api/v1/oauth-apps", "GET /api/v1/oauth-providers", "GET /api/v1/pieces", "GET /api/v1/worker/project",
        "POST /api/v1/projects", "POST /api/v1/app-connections", "POST /api/v1/global-connections", "POST /api/v1/flows",
        "POST /api/v1/api-keys", "POST /api/v1/engine-tokens", "POST /api/v1/app-connections/oauth2/authorization-url",
        "POST /api/v1/pieces", "POST /api/v1/oauth-apps", "POST /api/v1/oauth-providers",
        "GET /api/v1/signing-keys", "POST /api/v1/signing-keys", "GET /api/v1/users",
        "GET /api/v1/connection-definitions", "POST /api/v1/connection-definitions", "GET /api/v1/sync/export", "POST /api/v1/sync/import",
        "POST /api/v1/mcp-servers", "GET /api/v1/webhooks", "POST /api/v1/webhooks",
    ];

    private readonly TestApp _app = fixture.App;

    /// Everything platform A holds, with every id and secret noted.
    private sealed record Victim(
        string PlatformId, string OwnerId, string ProjectId, string ProjectExternalId, string ProjectName,
        string AdminKeyId, string ExtraKeyId, string ExtraKey, string ProjectKeyId, string ProjectKey, string EngineToken,
        string ConnectionId, string ConnectionExternalId, string ConnectionName, string ConnectionSecret,
        string GlobalId, string GlobalExternalId, string GlobalName, string GlobalSecret,
        string FlowId, string FlowName, string PieceName, string PieceVersion, string PieceDisplayName,
        string OAuthAppId, string OAuthClientId, string OAuthClientSecret, string ProviderName, string ProviderHost,
        string DefinitionId, string DefinitionKey, string DefinitionSecret, string McpServerId, string McpToken,
        string WebhookId, string WebhookUrl, string WebhookSecret)
    {
        // Not the definition's stable key: B makes a definition of the same key (its own), which B may then change.
        public string[] EntityIds => [ProjectId, ConnectionId, GlobalId, FlowId, OAuthAppId, AdminKeyId, ExtraKeyId, ProjectKeyId, PlatformId, OwnerId, DefinitionId, McpServerId, WebhookId];
        public string[] ExternalIds => [ConnectionExternalId, GlobalExternalId, ProjectExternalId];
        public string[] Names => [PieceName, ProviderName];
        public string[] StepNames => ["trigger", "step_1", "step_2"];

        /// What must never appear in a response to B, unless B itself sent it in that request.
        public (string Label, string Value)[] Markers =>
        [
            ("A platform id", PlatformId), ("A owner id", OwnerId), ("A owner email", OperatorFixture.BootstrapOwnerEmail),
            ("A project id", ProjectId), ("A project externalId", ProjectExternalId), ("A project name", ProjectName),
            ("A admin key id", AdminKeyId), ("A admin key", TestApp.AdminKey), ("A extra key id", ExtraKeyId), ("A extra key", ExtraKey),
            ("A project key id", ProjectKeyId), ("A project key", ProjectKey), ("A engine token", EngineToken),
            ("A connection id", ConnectionId), ("A connection externalId", ConnectionExternalId), ("A connection name", ConnectionName),
            ("A connection secret", ConnectionSecret), ("A global id", GlobalId), ("A global externalId", GlobalExternalId),
            ("A global name", GlobalName), ("A global secret", GlobalSecret), ("A flow id", FlowId), ("A flow name", FlowName),
            ("A piece name", PieceName), ("A piece display name", PieceDisplayName), ("A OAuth app id", OAuthAppId),
            ("A OAuth client id", OAuthClientId), ("A OAuth client secret", OAuthClientSecret), ("A provider name", ProviderName),
            ("A provider host", ProviderHost), ("A definition id", DefinitionId), ("A definition secret", DefinitionSecret),
            ("A MCP server id", McpServerId), ("A MCP token", McpToken),
            ("A webhook id", WebhookId), ("A webhook URL", WebhookUrl), ("A webhook secret", WebhookSecret),
        ];
    }

    private sealed record Call(string Route, string Credential, string Url, string? Body, HttpStatusCode Status, string? Problem);

    [Fact]
    public async Task EveryRoute_EveryCredentialOfAnotherPlatform_SeesAndChangesNothingOfIt()
    {
        var a = await SeedVictimAsync();
        var (attacker, credentials) = await SeedAttackerAsync();
        var routes = ServedApiRoutes();
        Assert.True(routes.Count >= MinimumRoutes,
            $"only {routes.Count} /api routes were enumerated (expected at least {MinimumRoutes}): the matrix would test almost nothing");
        // The checks themselves are checked: A's own key reading A's connection must be flagged on both counts.
        var control = await CallAsync(new Credential("A admin key", _app.Client()), "GET", "/api/v1/app-connections/{id}",
            $"/api/v1/app-connections/{a.ConnectionId}?projectId={a.ProjectId}", null, a);
        Assert.True(control.Problem?.Contains("succeeded against A", StringComparison.Ordinal) == true &&
            control.Problem.Contains("A connection name", StringComparison.Ordinal), $"the matrix would not notice a leak: {control}");
        var before = await SnapshotAsync(a);
        var auditBefore = await AuditCountAsync(a.PlatformId);

        var calls = new List<Call>();
        // Reads first, then deletes, then writes: a delete never meets a row a write of B made with one of A's names.
        foreach (var (method, route) in routes.OrderBy(r => r.Method switch { "GET" => 0, "DELETE" => 1, _ => 2 }).ThenBy(r => r.Route, StringComparer.Ordinal))
        {
            foreach (var url in Urls(route, a))
            {
                foreach (var body in method is "GET" or "DELETE" ? [null] : Bodies(route, a, attacker))
                {
                    foreach (var credential in credentials)
                    {
                        calls.Add(await CallAsync(credential, method, route, url, body, a));
                    }
                }
            }
        }
        var auditAfter = await AuditCountAsync(a.PlatformId);
        var after = await SnapshotAsync(a);

        var problems = calls.Where(c => c.Problem is not null).Select(c => $"{c.Route} as {c.Credential}: {(int)c.Status} {c.Problem} ({c.Url}{(c.Body is null ? "" : " " + Shorten(c.Body))})").ToList();
        foreach (var (method, route) in routes)
        {
            foreach (var credential in credentials.Where(c => !calls.Any(x => x.Route == $"{method} {route}" && x.Credential == c.Name)))
            {
                problems.Add($"{method} {route} was never called as {credential.Name}");
            }
        }
        foreach (var credential in credentials.Where(c => !calls.Any(x => x.Credential == c.Name && (int)x.Status is >= 200 and < 300)))
        {
            problems.Add($"{credential.Name} never got a 2xx, not even on B's own routes: it may not be a working credential, so its rows prove nothing");
        }
        if (auditAfter != auditBefore)
        {
            problems.Add($"{auditAfter - auditBefore} audit rows were written to platform A during the matrix: something of A was acted on");
        }
        foreach (var (label, value) in before.Where(b => after[b.Key] != b.Value))
        {
            problems.Add($"A's {label} changed:\n  before {Shorten(value)}\n  after  {Shorten(after[label])}");
        }
        Assert.True(problems.Count == 0,
            $"{problems.Count} problem(s) in {calls.Count} calls over {routes.Count} routes:\n{string.Join("\n", problems)}\n\n{Table(calls)}");

        await AssertVictimStillWorksAsync(a);
    }

    /// Platform A is the first-start platform (TestApp.AdminKey): a project with its key, a project connection,
    /// a global connection shared with it, a flow using both, a piece, an OAuth app, a provider, keys and a token.
    private async Task<Victim> SeedVictimAsync()
    {
        var admin = _app.Client();
        var u = Guid.NewGuid().ToString("N")[..12];
        var (platformId, ownerId, adminKeyId) = await _app.WithDbAsync(async db =>
        {
            var hash = ApiKeyHash.Hash(TestApp.AdminKey);
            var key = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.HashedValue == hash);
            var owner = await db.Platforms.Where(p => p.Id == key.PlatformId).Select(p => p.OwnerId).SingleAsync();
            return (key.PlatformId, owner, key.Id);
        });
        var (projectExternalId, projectName) = ($"a_org_{u}", $"A project {u}");
        var projectId = (await admin.ApiPostAsync("/api/v1/projects", new { displayName = projectName, externalId = projectExternalId, metadata = new { } }))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var projectKey = (await admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "A project key", projectId })).AssertStatus(HttpStatusCode.Created);
        var extraKey = (await admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "A extra key" })).AssertStatus(HttpStatusCode.Created);

        var (connectionExternalId, connectionName, connectionSecret) = ($"a_slack_{u}", $"A Slack {u}", $"a-secret-{u}");
        var connectionId = (await admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, connectionExternalId, connectionSecret, displayName: connectionName)))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var (globalExternalId, globalName, globalSecret) = ($"a_gelato_{u}", $"A Gelato {u}", $"a-global-secret-{u}");
        var globalId = (await admin.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = globalName, pieceName = "@activepieces/piece-gelato", type = "CUSTOM_AUTH",
            value = new { type = "CUSTOM_AUTH", props = new { api_key = globalSecret } }, scope = "PLATFORM", projectIds = new[] { projectId }, externalId = globalExternalId,
        })).AssertStatus(HttpStatusCode.Created).Str("id");
        var flowName = $"A flow {u}";
        var flowId = (await admin.ApiPostAsync("/api/v1/flows", new
        {
            projectId, displayName = flowName, status = "ENABLED", trigger = FlowTestData.Trigger(),
            steps = new[] { FlowTestData.UsingConnection("step_1", connectionExternalId), FlowTestData.UsingConnection("step_2", globalExternalId) },
        })).AssertStatus(HttpStatusCode.Created).Str("id");

        var (pieceName, pieceDisplayName) = ($"@platform-a/piece-{u}", $"A Piece {u}");
        (await admin.ApiPostAsync("/api/v1/pieces", PiecesApiTests.Metadata(pieceName, "1.0.0", displayName: pieceDisplayName))).AssertStatus(HttpStatusCode.Created);
        var (clientId, clientSecret) = ($"a-client-{u}", $"a-client-secret-{u}");
        var oauthAppId = (await admin.ApiPostAsync("/api/v1/oauth-apps", new { pieceName, clientId, clientSecret })).AssertStatus(HttpStatusCode.OK).Str("id");
        var (providerName, providerHost) = ($"a-provider-{u}", $"a-idp-{u}.example.com");
        (await admin.ApiPostAsync("/api/v1/oauth-providers", new
        {
            name = providerName, authorizeUrl = $"https://{providerHost}/authorize", tokenUrl = $"https://{providerHost}/token", scopes = new[] { "a.read" }, pieces = new[] { pieceName },
        })).AssertStatus(HttpStatusCode.OK);
        var engineToken = await admin.EngineTokenAsync(projectId);
        var (definitionKey, definitionSecret) = ($"a.crm.{u}", $"a-definition-secret-{u}");
        var definitionId = (await admin.ApiPostAsync("/api/v1/connection-definitions", new
        {
            stableKey = definitionKey, displayName = $"A CRM {u}", pieceName = "@activepieces/piece-gelato", type = "CUSTOM_AUTH", credentials = "CUSTOMER",
            globalValues = new { props = new { base_url = "https://a.example.com", shared_secret = definitionSecret } }, embedded = true,
        })).AssertStatus(HttpStatusCode.Created).Str("id");
        (await admin.ApiPostAsync($"/api/v1/connection-definitions/{definitionId}/test-value", new { value = new { props = new { api_key = "a-test-key" } } }))
            .AssertStatus(HttpStatusCode.OK);
        (await admin.ApiPostAsync("/api/v1/app-connections", new { projectId, definition = definitionKey, value = new { props = new { api_key = "a-customer-key" } } }))
            .AssertStatus(HttpStatusCode.Created);
        var mcp = (await admin.ApiPostAsync("/api/v1/mcp-servers", new { name = $"A agent {u}", projectId })).AssertStatus(HttpStatusCode.Created);
        (await admin.ApiPostAsync($"/api/v1/mcp-servers/{mcp.Str("id")}", new
        {
            tools = new[] { new { type = "PIECE", toolName = "slack_api", pieceMetadata = new { pieceName = "@activepieces/piece-slack", actionName = "custom_api_call", connectionExternalId = connectionExternalId } } },
        })).AssertStatus(HttpStatusCode.OK);

        var webhookUrl = $"https://hooks-a-{u}.example.com/plugboard";
        var webhook = (await admin.ApiPostAsync("/api/v1/webhooks", new { url = webhookUrl, events = new[] { "connection.created", "connection.deleted" } }))
            .AssertStatus(HttpStatusCode.Created);

        return new Victim(
            platformId, ownerId, projectId, projectExternalId, projectName,
            adminKeyId, extraKey.Str("id"), extraKey.Str("value"), projectKey.Str("id"), projectKey.Str("value"), engineToken,
            connectionId, connectionExternalId, connectionName, connectionSecret, globalId, globalExternalId, globalName, globalSecret,
            flowId, flowName, pieceName, "1.0.0", pieceDisplayName, oauthAppId, clientId, clientSecret, providerName, providerHost,
            definitionId, definitionKey, definitionSecret, mcp.Str("id"), mcp.Str("token"), webhook.Str("id"), webhookUrl, webhook.Str("secret"));
    }

    /// Platform B, made by the operator, and each kind of credential it can hold.
    private async Task<(Attacker, List<Credential>)> SeedAttackerAsync()
    {
        var (platformId, adminKey) = await fixture.CreatePlatformAsync(Api.Unique("B"), $"owner@{Api.Unique("b")}.test");
        var admin = _app.Client(adminKey);
        var projectId = await admin.CreateProjectAsync();
        var projectKey = (await admin.ApiPostAsync("/api/v1/api-keys", new { displayName = "B project key", projectId })).AssertStatus(HttpStatusCode.Created).Str("value");
        var engineToken = await admin.EngineTokenAsync(projectId);
        var attacker = new Attacker(platformId, adminKey, projectId);
        List<Credential> credentials =
        [
            new("B platform key", admin),
            new("B project key", _app.Client(projectKey)),
            new("B engine token", _app.Client(engineToken)),
        ];
        foreach (var extra in ExtraCredentials)
        {
            credentials.Add(await extra(_app, attacker));
        }
        return (attacker, credentials);
    }

    /// (method, route) of every endpoint the app really serves under /api/, with route parameters as {name}.
    private List<(string Method, string Route)> ServedApiRoutes() =>
        _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "DELETE"])
                .Select(m => (m.ToUpperInvariant(), RouteParameter().Replace(e.RoutePattern.RawText!.TrimEnd('/'), "{$1}"))))
            .Distinct()
            .ToList();

    /// Each route with its parameters filled with A's ids (every combination), and projectId=A's project in the query.
    private static IEnumerable<string> Urls(string route, Victim a)
    {
        IEnumerable<string> paths = [route];
        foreach (Match parameter in RouteParameter().Matches(route))
        {
            var name = parameter.Groups[1].Value;
            string[] values = name switch
            {
                "id" or "projectId" or "connectionId" or "flowId" => a.EntityIds,
                "externalId" => a.ExternalIds,
                "name" => a.Names,
                // A's flow's real step names: the calls then get past the step lookup had the flow been B's.
                "stepName" => a.StepNames,
                // A route added later with a parameter this list does not know yet: every handle of A.
                _ => [.. a.EntityIds, .. a.ExternalIds, .. a.Names],
            };
            paths = paths.SelectMany(p => values.Select(v => p.Replace(parameter.Value, Uri.EscapeDataString(v), StringComparison.Ordinal))).ToList();
        }
        var extra = route switch
        {
            "/api/v1/projects" => $"&externalId={Uri.EscapeDataString(a.ProjectExternalId)}",
            "/api/v1/oauth-apps" => $"&pieceName={Uri.EscapeDataString(a.PieceName)}",
            "/api/v1/audit-events" => $"&entityId={a.ConnectionId}",
            "/api/v1/app-connections/{id}/refresh" => "&force=true",
            _ => "",
        };
        return paths.Select(p => $"{p}?projectId={a.ProjectId}{extra}");
    }

    /// Minimal plausible bodies that reach for A: its ids and names, and where a project is named, either
    /// A's project or B's own (a B project pointed at A's connections is the subtler attack).
    private static IEnumerable<object?> Bodies(string route, Victim a, Attacker b)
    {
        string[] projects = [a.ProjectId, b.ProjectId];
        return route switch
        {
            "/api/v1/projects" =>
            [
                new { displayName = "B copy", externalId = a.ProjectExternalId, globalConnectionExternalIds = new[] { a.GlobalExternalId } },
                new { displayName = "B copy", externalId = a.ProjectExternalId },
            ],
            "/api/v1/projects/{id}" => [new { displayName = "renamed by B", metadata = new { owned = true }, globalConnectionExternalIds = new[] { a.GlobalExternalId } }],
            "/api/v1/app-connections" => projects.Select(p => Api.SecretText(p, a.ConnectionExternalId, "b-overwrite", displayName: "B overwrite")),
            "/api/v1/app-connections/{id}" => [new { displayName = "hijacked by B", metadata = new { owned = true } }],
            "/api/v1/app-connections/{id}/refresh" => [new { }],
            "/api/v1/app-connections/replace" => projects.Select(p => new
            {
                projectId = p, sourceAppConnectionId = a.ConnectionId, targetAppConnectionId = a.GlobalId, deleteSourceConnection = true,
            }),
            "/api/v1/app-connections/oauth2/authorization-url" => projects.Select(p => new
            {
                pieceName = a.PieceName, clientId = a.OAuthClientId, redirectUrl = "https://b.example.com/callback", projectId = p, provider = a.ProviderName,
            }),
            "/api/v1/global-connections" => projects.Select(p => new
            {
                displayName = "B global", pieceName = "@activepieces/piece-gelato", type = "CUSTOM_AUTH",
                value = new { type = "CUSTOM_AUTH", props = new { api_key = "b-overwrite" } }, scope = "PLATFORM", projectIds = new[] { p }, externalId = a.GlobalExternalId,
            }),
            "/api/v1/global-connections/{id}" => projects.Select(p => new { displayName = "hijacked by B", projectIds = new[] { p } }),
            "/api/v1/flows" => projects.Select(p => new
            {
                projectId = p, displayName = "B flow", status = "DISABLED", trigger = FlowTestData.Trigger(),
                steps = new[] { FlowTestData.UsingConnection("step_1", a.ConnectionExternalId), FlowTestData.UsingConnection("step_2", a.GlobalExternalId) },
            }),
            "/api/v1/flows/{id}" => [new { displayName = "hijacked by B", status = "DISABLED" }],
            "/api/v1/flows/{id}/steps/{stepName}/connection" => [new { connection = a.ConnectionExternalId }, new { connection = a.GlobalExternalId }],
            "/api/v1/api-keys" => projects.Select(p => new { displayName = "B key", projectId = p }),
            "/api/v1/engine-tokens" => projects.Select(p => new { projectId = p, ttlSeconds = 60 }),
            "/api/v1/pieces" => [PiecesApiTests.Metadata(a.PieceName, a.PieceVersion, displayName: "B's piece")],
            "/api/v1/oauth-apps" => [new { pieceName = a.PieceName, clientId = a.OAuthClientId, clientSecret = "b-replaced-secret" }],
            "/api/v1/oauth-providers" =>
            [
                new { name = a.ProviderName, authorizeUrl = "https://b.example.com/authorize", tokenUrl = "https://b.example.com/token", pieces = new[] { a.PieceName } },
            ],
            "/api/v1/signing-keys" => [new { displayName = "B signing key" }],
            // B may make a definition of the same stable key: its own, never A's.
            "/api/v1/connection-definitions" =>
            [
                new
                {
                    stableKey = a.DefinitionKey, displayName = "B's definition", pieceName = "@activepieces/piece-gelato", type = "CUSTOM_AUTH",
                    credentials = "CUSTOMER", globalValues = new { props = new { base_url = "https://b.example.com" } },
                },
            ],
            "/api/v1/connection-definitions/{id}" => [new { displayName = "hijacked by B", globalValues = new { props = new { base_url = "https://b.example.com" } }, embedded = true }],
            // B imports items keyed like A's: into B's platform only.
            "/api/v1/sync/import" =>
            [
                new
                {
                    format = "plugboard.sync/v1",
                    items = new object[]
                    {
                        new { kind = "definition", key = a.DefinitionKey, data = new { displayName = "B", pieceName = "@activepieces/piece-gelato", type = "CUSTOM_AUTH", credentials = "CUSTOMER" } },
                        new { kind = "globalConnection", key = a.GlobalExternalId, data = new { displayName = "B", pieceName = "@activepieces/piece-gelato", type = "CUSTOM_AUTH", projects = new[] { a.ProjectExternalId } } },
                    },
                },
            ],
            "/api/v1/mcp-servers" => projects.Select(p => new { name = "B agent", projectId = p }),
            "/api/v1/mcp-servers/{id}" =>
            [
                new
                {
                    name = "hijacked by B",
                    tools = new[] { new { type = "PIECE", toolName = "b_api", pieceMetadata = new { pieceName = "@activepieces/piece-slack", actionName = "custom_api_call", connectionExternalId = a.ConnectionExternalId } } },
                },
            ],
            "/api/v1/mcp-servers/{id}/rotate" => [new { }],
            "/api/v1/connection-definitions/{id}/test-value" => [new { value = new { props = new { api_key = "b-test-key" } } }],
            "/api/v1/platforms" => [new { name = "B's platform", adminEmail = "b@b.example.com" }],
            "/api/v1/platforms/{id}/disable" or "/api/v1/platforms/{id}/enable" => [new { }],
            // A route added later: a body naming A's ids under the usual field names.
            _ => projects.Select(p => new
            {
                projectId = p, projectIds = new[] { p }, id = a.ConnectionId, connectionId = a.ConnectionId, appConnectionId = a.ConnectionId,
                flowId = a.FlowId, userId = a.OwnerId, platformId = a.PlatformId, externalId = a.ConnectionExternalId,
                displayName = "B", name = a.PieceName, pieceName = a.PieceName,
            }),
        };
    }

    private static async Task<Call> CallAsync(Credential credential, string method, string route, string url, object? body, Victim a)
    {
        var bodyJson = body is null ? null : JsonSerializer.Serialize(body);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (bodyJson is not null)
        {
            request.Content = new StringContent(bodyJson, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }
        using var response = await credential.Client.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var status = response.StatusCode;
        var key = $"{method} {route}";
        var sent = Uri.UnescapeDataString(url) + " " + bodyJson;
        // A value B itself sent (an id in the path, a name in the body) may be echoed back; anything else of A may not.
        var leaked = a.Markers.Where(m => !sent.Contains(m.Value, StringComparison.Ordinal) &&
                (raw.Contains(m.Value, StringComparison.Ordinal) || raw.Contains(JsonEncodedText.Encode(m.Value).ToString(), StringComparison.Ordinal)))
            .Select(m => m.Label).ToList();
        string? problem = null;
        if ((int)status >= 500)
        {
            problem = "server error";
        }
        else if ((int)status is >= 200 and < 300 && (!BScopedRoutes.Contains(key) || (method != "GET" && bodyJson?.Contains(a.ProjectId, StringComparison.Ordinal) == true)))
        {
            problem = "succeeded against A";
        }
        if (leaked.Count > 0)
        {
            problem = (problem is null ? "" : problem + "; ") + $"response holds {string.Join(", ", leaked)}: {Shorten(raw)}";
        }
        return new Call(key, credential.Name, url, bodyJson, status, problem);
    }

    /// Everything of A a B call could have changed, read with A's own key (and the operator for A's platform row).
    private async Task<Dictionary<string, string>> SnapshotAsync(Victim a)
    {
        var admin = _app.Client();
        async Task<string> Read(string path, HttpClient? client = null) => (await (client ?? admin).ApiGetAsync(path)).AssertStatus(HttpStatusCode.OK).Raw;
        var providers = JsonSerializer.Deserialize<JsonElement>(await Read("/api/v1/oauth-providers")).EnumerateArray()
            .Where(p => p.GetProperty("source").GetString() == "PLATFORM").Select(p => p.GetRawText());
        var snapshot = new Dictionary<string, string>
        {
            ["platform"] = await Read($"/api/v1/platforms/{a.PlatformId}", fixture.Operator),
            ["project"] = await Read($"/api/v1/projects/{a.ProjectId}"),
            ["projects with its externalId"] = await Read($"/api/v1/projects?externalId={a.ProjectExternalId}"),
            ["project's connections"] = await Read($"/api/v1/app-connections?projectId={a.ProjectId}&limit=100"),
            ["connection"] = await Read($"/api/v1/app-connections/{a.ConnectionId}"),
            ["global connection"] = await Read($"/api/v1/global-connections/{a.GlobalId}"),
            ["global connections"] = await Read("/api/v1/global-connections?limit=100"),
            ["flow"] = await Read($"/api/v1/flows/{a.FlowId}"),
            ["flows"] = await Read($"/api/v1/flows?projectId={a.ProjectId}&limit=100"),
            ["piece"] = await Read($"/api/v1/pieces/{a.PieceName}"),
            ["pieces"] = await Read("/api/v1/pieces"),
            ["OAuth apps"] = await Read("/api/v1/oauth-apps?limit=100"),
            ["OAuth providers"] = string.Join("\n", providers),
            ["API keys"] = await Read("/api/v1/api-keys?limit=100"),
            ["connection definition"] = await Read($"/api/v1/connection-definitions/{a.DefinitionId}"),
            ["connection definitions"] = await Read("/api/v1/connection-definitions?limit=100"),
            ["MCP server"] = await Read($"/api/v1/mcp-servers/{a.McpServerId}"),
            ["MCP servers"] = await Read($"/api/v1/mcp-servers?projectId={a.ProjectId}&limit=100"),
            ["webhook"] = await Read($"/api/v1/webhooks/{a.WebhookId}"),
            ["webhooks"] = await Read("/api/v1/webhooks?limit=100"),
        };
        // What the API never shows: the stored ciphertext and versions, which any write would change.
        var rows = await _app.WithDbAsync(async db => (
            await db.AppConnections.AsNoTracking().Where(c => c.PlatformId == a.PlatformId).OrderBy(c => c.Id)
                .Select(c => c.Id + "|" + c.Version + "|" + c.Status + "|" + c.Value).ToListAsync(),
            await db.OAuthApps.AsNoTracking().Where(o => o.PlatformId == a.PlatformId).OrderBy(o => o.Id)
                .Select(o => o.Id + "|" + o.ClientId + "|" + o.ClientSecret).ToListAsync(),
            await db.Projects.AsNoTracking().Where(p => p.PlatformId == a.PlatformId).OrderBy(p => p.Id).Select(p => p.Id + "|" + p.Updated).ToListAsync(),
            await db.ConnectionDefinitions.AsNoTracking().Where(d => d.PlatformId == a.PlatformId).OrderBy(d => d.Id)
                .Select(d => d.Id + "|" + d.Version + "|" + d.GlobalValues + "|" + d.TestValue).ToListAsync()));
        snapshot["stored connection definitions"] = string.Join("\n", rows.Item4);
        snapshot["stored MCP servers"] = string.Join("\n", await _app.WithDbAsync(db => db.Set<Plugboard.Server.Mcp.McpServer>().AsNoTracking()
            .Where(m => m.PlatformId == a.PlatformId).OrderBy(m => m.Id).Select(m => m.Id + "|" + m.Version + "|" + m.TokenHash + "|" + m.Tools).ToListAsync()));
        snapshot["stored connections"] = string.Join("\n", rows.Item1);
        snapshot["stored OAuth apps"] = string.Join("\n", rows.Item2);
        snapshot["stored projects"] = string.Join("\n", rows.Item3);
        return snapshot;
    }

    private Task<int> AuditCountAsync(string platformId) => _app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.PlatformId == platformId));

    /// A's credentials all still work, and its secrets still decrypt to what was stored.
    private async Task AssertVictimStillWorksAsync(Victim a)
    {
        var engine = _app.Client(a.EngineToken);
        var connection = (await engine.ReadConnectionAsync(a.ConnectionExternalId)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(a.ConnectionSecret, connection.Body.GetProperty("value").GetProperty("secret_text").GetString());
        var global = (await engine.ReadConnectionAsync(a.GlobalExternalId)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(a.GlobalSecret, global.Body.GetProperty("value").GetProperty("props").GetProperty("api_key").GetString());
        Assert.Equal(a.ConnectionSecret, JsonDocument.Parse((await _app.StoredAsync(a.ConnectionId)).Value).RootElement.GetProperty("secret_text").GetString());
        (await _app.Client(a.ExtraKey).ApiGetAsync("/api/v1/api-keys")).AssertStatus(HttpStatusCode.OK);
        (await _app.Client(a.ProjectKey).ApiGetAsync($"/api/v1/projects/{a.ProjectId}")).AssertStatus(HttpStatusCode.OK);
        var oauthApp = await _app.WithDbAsync(db => db.OAuthApps.AsNoTracking().SingleAsync(o => o.Id == a.OAuthAppId));
        Assert.Equal(a.OAuthClientSecret, _app.Services.GetRequiredService<Plugboard.Server.Crypto.SecretProtector>()
            .Unprotect(oauthApp.ClientSecret, Plugboard.Server.OAuth.OAuthAppSecrets.Context(oauthApp)));
    }

    /// One line per route and credential: the statuses it answered, e.g. `404×10`.
    private static string Table(List<Call> calls)
    {
        var width = calls.Max(c => c.Route.Length);
        var lines = calls.GroupBy(c => (c.Route, c.Credential))
            .Select(g => $"{g.Key.Route.PadRight(width)}  {g.Key.Credential,-16}  " +
                string.Join(" ", g.GroupBy(c => (int)c.Status).OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Count()}")) +
                (g.Any(c => c.Problem is not null) ? "  <-- PROBLEM" : ""));
        return string.Join("\n", lines);
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteParameter();
}

public sealed class CrossPlatformMatrixSqliteTests(SqliteOperatorFixture fixture) : CrossPlatformMatrixTests(fixture), IClassFixture<SqliteOperatorFixture>;

public sealed class CrossPlatformMatrixPostgresTests(PostgresOperatorFixture fixture) : CrossPlatformMatrixTests(fixture), IClassFixture<PostgresOperatorFixture>;
