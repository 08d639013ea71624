using System.Net.Http.Json;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Outbox;
using Plugboard.Server.Tests.Infrastructure;
using Plugboard.Server.Webhooks;

namespace Plugboard.Server.Tests.Webhooks;

/// Auth webhooks end to end: endpoints registered through the API, events written to the outbox with the change that
/// causes them, delivered by the worker's pass to a real receiver on 127.0.0.1 that verifies each signature. The
/// platform is shared by the class's tests: each registers its own endpoint (its own receiver path) and deletes it.
public abstract class WebhookTests(WebhookFixture fixture)
{
    private readonly HttpClient _admin = fixture.App.Client();

    private async Task<(string Id, string Secret, string Name)> RegisterAsync(params string[] events)
    {
        var name = Api.Unique("hook");
        var created = (await _admin.ApiPostAsync("/api/v1/webhooks", new { url = fixture.Receiver.Url(name), events }))
            .AssertStatus(HttpStatusCode.Created);
        return (created.Str("id"), created.Str("secret"), name);
    }

    private Task UnregisterAsync(string id) => _admin.ApiDeleteAsync($"/api/v1/webhooks/{id}");

    private async Task<string> CreateConnectionAsync(string projectId, string externalId, string secret) =>
        (await _admin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, secret))).AssertStatus(HttpStatusCode.Created).Str("id");

    private static JsonElement Data(ReceivedWebhook r) => JsonDocument.Parse(r.Body).RootElement.GetProperty("data");

    private static string Type(ReceivedWebhook r) => JsonDocument.Parse(r.Body).RootElement.GetProperty("type").GetString()!;

    [Fact]
    public async Task Create_AnswersTheSecretOnce_ListAndGetNeverCarryIt()
    {
        var (id, secret, _) = await RegisterAsync(WebhookEvents.Created);
        try
        {
            Assert.StartsWith("whsec_", secret);
            Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

            var got = (await _admin.ApiGetAsync($"/api/v1/webhooks/{id}")).AssertStatus(HttpStatusCode.OK);
            var list = (await _admin.ApiGetAsync("/api/v1/webhooks?limit=100")).AssertStatus(HttpStatusCode.OK);
            Assert.Equal([WebhookEvents.Created], got.Body.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
            Assert.Contains(list.Body.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == id);
            foreach (var body in new[] { got.Raw, list.Raw })
            {
                Assert.DoesNotContain(secret, body);
                Assert.DoesNotContain("\"secret\"", body);
            }
            var stored = await fixture.App.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().Where(e => e.Id == id).Select(e => e.Secret).FirstAsync());
            Assert.StartsWith("v1:", stored);
            // The one answer that carries a secret is never kept by a cache.
            using var created = await _admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/cache-check", events = new[] { WebhookEvents.Created } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.True(created.Headers.CacheControl?.NoStore, "Cache-Control: no-store on the create answer");
            await UnregisterAsync((await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!);
            Assert.DoesNotContain(secret, stored);
        }
        finally
        {
            await UnregisterAsync(id);
        }
        (await _admin.ApiGetAsync($"/api/v1/webhooks/{id}")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    [Fact]
    public async Task Create_BadInput_Is400InTheContractsBodyNever500()
    {
        var url = fixture.Receiver.Url("bad");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url = "not a url", events = new[] { WebhookEvents.Created } })).AssertValidation("url");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url = "ftp://127.0.0.1/x", events = new[] { WebhookEvents.Created } })).AssertValidation("url");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url = "/relative", events = new[] { WebhookEvents.Created } })).AssertValidation("url");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url = "http://10.1.2.3/hook", events = new[] { WebhookEvents.Created } })).AssertValidation("url");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url = "https://user:pw@hooks.example.com/x", events = new[] { WebhookEvents.Created } }))
            .AssertValidation("url");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/" + new string('a', 3000), events = new[] { WebhookEvents.Created } }))
            .AssertValidation("url");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { events = new[] { WebhookEvents.Created } })).AssertValidation("url");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url, events = new[] { "connection.exploded" } })).AssertValidation("events");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url, events = new[] { new string('x', 5000) } })).AssertValidation("events");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url, events = Array.Empty<string>() })).AssertValidation("events");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url })).AssertValidation("events");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url, events = new string?[] { null } })).AssertValidation("events");
        (await _admin.ApiPostAsync("/api/v1/webhooks", new { url, events = Enumerable.Repeat(WebhookEvents.Created, 500).ToArray() })).AssertValidation("events");
        foreach (var raw in new[] { "{\"url\":5,\"events\":[]}", "{\"url\":\"https://a.example.com\",\"events\":\"connection.created\"}", "[]", "{" })
        {
            var response = await _admin.ApiPostRawAsync("/api/v1/webhooks", raw);
            Assert.True(response.Status == HttpStatusCode.BadRequest, $"{raw}: {(int)response.Status} {response.Raw}");
            Assert.Equal(400, response.Body.GetProperty("statusCode").GetInt32());
        }
        (await _admin.ApiGetAsync("/api/v1/webhooks/nope/deliveries")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await _admin.ApiDeleteAsync("/api/v1/webhooks/nope")).AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
        (await _admin.ApiGetAsync("/api/v1/webhooks?limit=0")).AssertStatus(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ConnectionCreatedAndDeleted_AreDeliveredSigned_WithNoSecretInThePayload()
    {
        var (hook, secret, name) = await RegisterAsync(WebhookEvents.Created, WebhookEvents.Deleted);
        try
        {
            var projectId = await _admin.CreateProjectAsync();
            var externalId = Api.Unique("slack");
            const string value = "xoxb-webhook-canary-0123456789";
            var id = await CreateConnectionAsync(projectId, externalId, value);
            (await _admin.ApiDeleteAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.NoContent);

            await fixture.DeliverOnceAsync();

            var received = fixture.Receiver.At(name).Where(r => Data(r).GetProperty("connectionId").GetString() == id).ToList();
            Assert.Equal([WebhookEvents.Created, WebhookEvents.Deleted], received.Select(Type).Order(StringComparer.Ordinal));
            foreach (var r in received)
            {
                Assert.True(r.IsSignedWith(secret), $"signature of {r.Id} does not verify");
                Assert.DoesNotContain(value, r.Body);
                Assert.DoesNotContain(secret, r.Body);
                Assert.Equal(externalId, Data(r).GetProperty("externalId").GetString());
                Assert.Equal([projectId], Data(r).GetProperty("projectIds").EnumerateArray().Select(p => p.GetString()));
                Assert.Equal("@activepieces/piece-slack", Data(r).GetProperty("pieceName").GetString());
                Assert.True(long.TryParse(r.Timestamp, out _));
            }
            var deliveries = (await _admin.ApiGetAsync($"/api/v1/webhooks/{hook}/deliveries")).AssertStatus(HttpStatusCode.OK).Body.GetProperty("data");
            Assert.Contains(deliveries.EnumerateArray(), d => d.GetProperty("status").GetString() == "DELIVERED" &&
                d.GetProperty("attempts").EnumerateArray().Single().GetProperty("httpStatus").GetInt32() == 204);
            Assert.DoesNotContain(fixture.App.ResponseBodies, b => b.Contains(value, StringComparison.Ordinal));
            // The create answer, and nothing since: not the deliveries list, not the connection's answers.
            Assert.Single(fixture.App.ResponseBodies, b => b.Contains(secret["whsec_".Length..], StringComparison.Ordinal));
        }
        finally
        {
            await UnregisterAsync(hook);
        }
    }

    [Fact]
    public async Task RefreshFailedThenReconnected_DeliversRefreshFailedWithTheReasonThenRecovered()
    {
        var (hook, secret, name) = await RegisterAsync(WebhookEvents.RefreshFailed, WebhookEvents.Recovered);
        try
        {
            var projectId = await _admin.CreateProjectAsync();
            var (clientId, clientSecret) = fixture.NewClient();
            var externalId = Api.Unique("oauth");
            var id = await UpsertOAuthAsync(projectId, externalId, clientId, clientSecret);
            fixture.Provider.RevokeAll();
            fixture.Time.Advance(TimeSpan.FromMinutes(50));
            Assert.Equal("ERROR", (await _admin.ApiPostAsync($"/api/v1/app-connections/{id}/refresh", new { })).AssertStatus(HttpStatusCode.OK).Str("status"));

            await fixture.DeliverOnceAsync();
            var failed = Assert.Single(fixture.Receiver.At(name), r => Data(r).GetProperty("connectionId").GetString() == id);
            Assert.Equal(WebhookEvents.RefreshFailed, Type(failed));
            Assert.True(failed.IsSignedWith(secret));
            Assert.Equal("ERROR", Data(failed).GetProperty("status").GetString());
            Assert.Contains("reconnect", Data(failed).GetProperty("reason").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(clientSecret, failed.Body);

            Assert.Equal(id, await UpsertOAuthAsync(projectId, externalId, clientId, clientSecret, HttpStatusCode.OK));
            await fixture.DeliverOnceAsync();
            var recovered = Assert.Single(fixture.Receiver.At(name), r => Type(r) == WebhookEvents.Recovered && Data(r).GetProperty("connectionId").GetString() == id);
            Assert.True(recovered.IsSignedWith(secret));
            Assert.Equal("ACTIVE", Data(recovered).GetProperty("status").GetString());
            Assert.DoesNotContain(clientSecret, recovered.Body);
        }
        finally
        {
            await UnregisterAsync(hook);
        }
    }

    [Fact]
    public async Task FailingReceiver_IsRetriedWithBackOff_ThenDelivered_EachAttemptListed()
    {
        var (hook, secret, name) = await RegisterAsync(WebhookEvents.Created);
        fixture.Receiver.FailuresLeft[name] = 2;
        try
        {
            var id = await CreateConnectionAsync(await _admin.CreateProjectAsync(), Api.Unique("slack"), "xoxb-retried");

            await fixture.DeliverOnceAsync();
            Assert.Single(fixture.Receiver.At(name));
            await fixture.DeliverOnceAsync(); // not due yet: 5 s back-off
            Assert.Single(fixture.Receiver.At(name));
            fixture.Time.Advance(TimeSpan.FromSeconds(6));
            await fixture.DeliverOnceAsync();
            Assert.Equal(2, fixture.Receiver.At(name).Count);
            fixture.Time.Advance(TimeSpan.FromSeconds(6)); // the second wait is 10 s
            await fixture.DeliverOnceAsync();
            Assert.Equal(2, fixture.Receiver.At(name).Count);
            fixture.Time.Advance(TimeSpan.FromSeconds(5));
            await fixture.DeliverOnceAsync();

            var received = fixture.Receiver.At(name);
            Assert.Equal(3, received.Count);
            Assert.Single(received.Select(r => r.Id).Distinct());
            Assert.All(received, r => Assert.True(r.IsSignedWith(secret)));
            var delivery = (await _admin.ApiGetAsync($"/api/v1/webhooks/{hook}/deliveries")).AssertStatus(HttpStatusCode.OK).Body.GetProperty("data").EnumerateArray().Single();
            Assert.Equal("DELIVERED", delivery.GetProperty("status").GetString());
            Assert.Equal(3, delivery.GetProperty("attemptCount").GetInt32());
            Assert.Equal([503, 503, 204], delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("httpStatus").GetInt32()));
            Assert.Equal([false, false, true], delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("succeeded").GetBoolean()));
            _ = id;
        }
        finally
        {
            await UnregisterAsync(hook);
        }
    }

    [Fact]
    public async Task RefusedUpsert_WritesNoEventAndSendsNothing()
    {
        var (hook, _, name) = await RegisterAsync(WebhookEvents.Created);
        try
        {
            var projectId = await _admin.CreateProjectAsync();
            (await _admin.ApiPostAsync("/api/v1/app-connections", new
            {
                projectId, externalId = Api.Unique("bad"), displayName = "Bad", pieceName = "@activepieces/piece-slack", type = "SECRET_TEXT",
                value = new { type = "BASIC_AUTH", username = "u", password = "p" },
            })).AssertStatus(HttpStatusCode.BadRequest);

            await fixture.DeliverOnceAsync();
            Assert.Empty(fixture.Receiver.At(name));
            Assert.Equal(0, await fixture.App.WithDbAsync(db => db.WebhookDeliveries.CountAsync(d => d.EndpointId == hook)));
        }
        finally
        {
            await UnregisterAsync(hook);
        }
    }

    /// A replica that claimed a delivery and died (sent or not) holds it for one lease; then another delivers it,
    /// under the same webhook-id: at least once, and nothing lost.
    [Fact]
    public async Task ClaimedByADeadReplica_IsDeliveredOnceItsLeaseLapses()
    {
        var (hook, secret, name) = await RegisterAsync(WebhookEvents.Created);
        try
        {
            await CreateConnectionAsync(await _admin.CreateProjectAsync(), Api.Unique("slack"), "xoxb-leased");
            var deliveryId = await fixture.App.WithDbAsync(db => db.WebhookDeliveries.Where(d => d.EndpointId == hook).Select(d => d.Id).SingleAsync());
            Assert.True(await fixture.App.WithDbAsync(db => WebhookWrites.TryClaimAsync(db, deliveryId, "dead-replica", fixture.Time.GetUtcNow().UtcDateTime,
                TimeSpan.FromSeconds(60), CancellationToken.None)));

            await fixture.DeliverOnceAsync();
            Assert.Empty(fixture.Receiver.At(name));

            fixture.Time.Advance(TimeSpan.FromSeconds(61));
            await fixture.DeliverOnceAsync();
            await fixture.DeliverOnceAsync();
            var received = Assert.Single(fixture.Receiver.At(name));
            Assert.Equal(deliveryId, received.Id);
            Assert.True(received.IsSignedWith(secret));
        }
        finally
        {
            await UnregisterAsync(hook);
        }
    }

    /// The sender dies with the request out and no answer in (its pass cancelled, as a killed process's would be): nothing
    /// is recorded, the lease keeps other replicas off until it lapses, then the same webhook-id is delivered again.
    [Fact]
    public async Task SenderDiesMidDelivery_TheDeliveryIsSentAgainOnceItsLeaseLapses()
    {
        var (hook, secret, name) = await RegisterAsync(WebhookEvents.Created);
        fixture.Receiver.Hanging[name] = true;
        try
        {
            await CreateConnectionAsync(await _admin.CreateProjectAsync(), Api.Unique("slack"), "xoxb-killed");
            using (var dying = new CancellationTokenSource())
            {
                var pass = fixture.App.Services.GetRequiredService<WebhookWorker>().RunOnceAsync(dying.Token);
                for (var i = 0; i < 200 && fixture.Receiver.At(name).Count == 0; i++)
                {
                    await Task.Delay(25);
                }
                Assert.Single(fixture.Receiver.At(name));
                await dying.CancelAsync();
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pass);
            }
            var row = await fixture.App.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.EndpointId == hook));
            Assert.Equal(WebhookDeliveryStatus.Pending, row.Status);
            Assert.Equal(0, row.AttemptCount);
            Assert.NotNull(row.LeaseUntil);

            fixture.Receiver.Hanging.TryRemove(name, out _);
            await fixture.DeliverOnceAsync();
            Assert.Single(fixture.Receiver.At(name));
            fixture.Time.Advance(TimeSpan.FromSeconds(61));
            await fixture.DeliverOnceAsync();

            var received = fixture.Receiver.At(name);
            Assert.Equal(2, received.Count);
            Assert.Equal(row.Id, Assert.Single(received.Select(r => r.Id).Distinct()));
            Assert.All(received, r => Assert.True(r.IsSignedWith(secret)));
            var delivered = await fixture.App.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.EndpointId == hook));
            Assert.Equal(WebhookDeliveryStatus.Delivered, delivered.Status);
            Assert.Equal(1, delivered.AttemptCount);
        }
        finally
        {
            fixture.Receiver.Hanging.TryRemove(name, out _);
            await UnregisterAsync(hook);
        }
    }

    [Fact]
    public async Task DeletingAProject_DeliversConnectionDeletedForItsOwnConnections()
    {
        var (hook, secret, name) = await RegisterAsync(WebhookEvents.Deleted);
        try
        {
            var projectId = await _admin.CreateProjectAsync();
            var id = await CreateConnectionAsync(projectId, Api.Unique("slack"), "xoxb-project-gone");
            (await _admin.ApiDeleteAsync($"/api/v1/projects/{projectId}")).AssertStatus(HttpStatusCode.NoContent);

            await fixture.DeliverOnceAsync();
            var received = Assert.Single(fixture.Receiver.At(name), r => Data(r).GetProperty("connectionId").GetString() == id);
            Assert.True(received.IsSignedWith(secret));
            Assert.Equal("project.deleted", Data(received).GetProperty("reason").GetString());
            Assert.DoesNotContain("xoxb-project-gone", received.Body);
        }
        finally
        {
            await UnregisterAsync(hook);
        }
    }

    [Fact]
    public async Task ExpiringToken_WithoutRefreshToken_IsReportedOncePerExpiry()
    {
        var (hook, secret, name) = await RegisterAsync(WebhookEvents.Expiring);
        try
        {
            var projectId = await _admin.CreateProjectAsync();
            var (clientId, clientSecret) = fixture.NewClient();
            var id = await UpsertOAuthAsync(projectId, Api.Unique("oauth"), clientId, clientSecret, renewable: false, expiresIn: 7200);
            var scan = () => ExpiringScan.RunAsync(fixture.App.Services.GetRequiredService<IServiceScopeFactory>(),
                fixture.App.Services.GetRequiredService<WebhookOptions>(), fixture.Time, CancellationToken.None);

            await scan();
            await scan();
            await fixture.DeliverOnceAsync();

            var received = Assert.Single(fixture.Receiver.At(name), r => Data(r).GetProperty("connectionId").GetString() == id);
            Assert.Equal(WebhookEvents.Expiring, Type(received));
            Assert.True(received.IsSignedWith(secret));
        }
        finally
        {
            await UnregisterAsync(hook);
        }
    }

    private async Task<string> UpsertOAuthAsync(string projectId, string externalId, string clientId, string clientSecret,
        HttpStatusCode expected = HttpStatusCode.Created, bool renewable = true, int expiresIn = 3600)
    {
        var tokens = fixture.Provider.IssueTokens(clientId);
        var value = new JsonObject
        {
            ["type"] = "OAUTH2",
            ["access_token"] = tokens.AccessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = expiresIn,
            ["claimed_at"] = fixture.Time.UnixSeconds,
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["token_url"] = fixture.Provider.TokenUrl,
            ["redirect_url"] = "https://app.example.com/callback",
        };
        if (renewable)
        {
            value["refresh_token"] = tokens.RefreshToken;
        }
        var response = await _admin.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId, displayName = "OAuth connection", pieceName = "@acme/piece-crm", type = "OAUTH2", value,
        });
        return response.AssertStatus(expected).Str("id");
    }
}

public sealed class WebhookSqliteTests(SqliteWebhookFixture fixture) : WebhookTests(fixture), IClassFixture<SqliteWebhookFixture>;

public sealed class WebhookPostgresTests(PostgresWebhookFixture fixture) : WebhookTests(fixture), IClassFixture<PostgresWebhookFixture>;
