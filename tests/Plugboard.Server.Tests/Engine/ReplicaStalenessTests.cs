using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Flows;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Engine;

/// No stale credential, whatever the engine read path caches: after a write on one replica has answered, the very
/// first engine read on that replica returns the new state, and the other replica returns it within
/// <see cref="CrossReplicaBound"/> (the issue's contract; the server's read cache lives 500 ms): read back-to-back
/// until it turns, every answer before that a 200 or 404 (never a 500), and once turned it never turns back. Every read is warmed first on both replicas
/// (read several times) so a cache, if there is one, is hot. A disabled platform is refused on B within
/// <see cref="PlatformStatus.MaxAge"/> (plus a margin for the request), and never served again after that.
public abstract class ReplicaStalenessTests(ReplicaPairFixture pair)
{
    private const int WarmReads = 5;
    // The time a request may take beyond the platform-status cache's age: B may be mid-request when it turns stale.
    private static readonly TimeSpan RequestMargin = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan CrossReplicaBound = TimeSpan.FromSeconds(1);

    private readonly HttpClient _adminA = pair.Client(pair.A);

    private sealed record Engines(HttpClient A, HttpClient B);

    [Fact]
    public async Task Upsert_NewValueWrittenOnEitherReplica_FirstEngineReadOnTheOtherAndOnTheWriterServesIt()
    {
        var projectId = await _adminA.CreateProjectAsync();
        var externalId = Api.Unique("upsert");
        (await _adminA.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "value-0"))).AssertStatus(HttpStatusCode.Created);
        var engines = await EnginesAsync(projectId);
        await WarmAsync(engines, externalId, "value-0", SecretText);

        // Several rounds, written alternately on A and on B: a cache invalidated only once, or only on one side, fails.
        for (var round = 1; round <= 4; round++)
        {
            var (writerName, writer, other, otherName) = round % 2 == 1
                ? ("A", _adminA, engines.B, "B")
                : ("B", pair.Client(pair.B), engines.A, "A");
            var value = $"value-{round}";
            (await writer.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, value))).AssertStatus(HttpStatusCode.OK);

            await ServesWithinAsync(other, externalId, value, SecretText, $"{otherName}'s read after the upsert on {writerName} (round {round})");
            AssertServes(await (writerName == "A" ? engines.A : engines.B).ReadConnectionAsync(externalId), value, SecretText,
                $"{writerName}'s first read after its own upsert (round {round})");
        }
    }

    [Fact]
    public async Task ProjectConnectionOverAGlobalOne_UpsertedThenDeletedOnA_FirstReadOnBServesTheProjectOneThenTheGlobalOneAgain()
    {
        var projectId = await _adminA.CreateProjectAsync();
        var externalId = Api.Unique("shadow");
        (await _adminA.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [projectId], "from-global"))).AssertStatus(HttpStatusCode.Created);
        var engines = await EnginesAsync(projectId);
        await WarmAsync(engines, externalId, "from-global", ApiKeyProp);

        var projectConnection = (await _adminA.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "from-project")))
            .AssertStatus(HttpStatusCode.Created).Str("id");

        var onB = await ServesWithinAsync(engines.B, externalId, "from-project", SecretText, "B's read after the project connection was upserted on A");
        Assert.True(onB.Str("scope") == "PROJECT", $"B served scope {onB.Str("scope")}, not the project's own connection: {onB.Raw}");
        AssertServes(await engines.A.ReadConnectionAsync(externalId), "from-project", SecretText, "A's first read after its upsert of the project connection");
        await WarmAsync(engines, externalId, "from-project", SecretText);

        (await _adminA.ApiDeleteAsync($"/api/v1/app-connections/{projectConnection}")).AssertStatus(HttpStatusCode.NoContent);

        onB = await ServesWithinAsync(engines.B, externalId, "from-global", ApiKeyProp, "B's read after the project connection was deleted on A");
        Assert.True(onB.Str("scope") == "PLATFORM", $"B served scope {onB.Str("scope")}, not the global connection: {onB.Raw}");
        AssertServes(await engines.A.ReadConnectionAsync(externalId), "from-global", ApiKeyProp, "A's first read after it deleted the project connection");
    }

    [Fact]
    public async Task GlobalConnection_ValueUpsertedThenUnsharedOnA_FirstReadOnBServesTheNewValueThenNotFound()
    {
        var projectId = await _adminA.CreateProjectAsync();
        var stillShared = await _adminA.CreateProjectAsync();
        var externalId = Api.Unique("global");
        var id = (await _adminA.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [projectId, stillShared], "global-1")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var engines = await EnginesAsync(projectId);
        var otherProject = await EnginesAsync(stillShared);
        await WarmAsync(engines, externalId, "global-1", ApiKeyProp);
        await WarmAsync(otherProject, externalId, "global-1", ApiKeyProp);

        (await _adminA.ApiPostAsync("/api/v1/global-connections", Api.Global(externalId, [projectId, stillShared], "global-2"))).AssertStatus(HttpStatusCode.OK);

        await ServesWithinAsync(engines.B, externalId, "global-2", ApiKeyProp, "B's read after the global connection was upserted on A");
        await ServesWithinAsync(otherProject.B, externalId, "global-2", ApiKeyProp, "B's read, for the other project sharing it, after the upsert on A");
        AssertServes(await engines.A.ReadConnectionAsync(externalId), "global-2", ApiKeyProp, "A's first read after its upsert of the global connection");
        await WarmAsync(engines, externalId, "global-2", ApiKeyProp);

        (await _adminA.ApiPostAsync($"/api/v1/global-connections/{id}", new { projectIds = new[] { stillShared } })).AssertStatus(HttpStatusCode.OK);

        await NotFoundWithinAsync(engines.B, externalId, "B's read after the global connection was un-shared from the project on A");
        AssertNotFound(await engines.A.ReadConnectionAsync(externalId), "A's first read after it un-shared the global connection");
        await ServesWithinAsync(otherProject.B, externalId, "global-2", ApiKeyProp, "B's read for the project it is still shared with");
    }

    [Fact]
    public async Task Delete_ProjectAndGlobalConnectionsOnA_FirstReadOnBIsNotFound()
    {
        var projectId = await _adminA.CreateProjectAsync();
        var (own, global) = (Api.Unique("own"), Api.Unique("global"));
        var ownId = (await _adminA.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, own, "own-secret"))).AssertStatus(HttpStatusCode.Created).Str("id");
        var globalId = (await _adminA.ApiPostAsync("/api/v1/global-connections", Api.Global(global, [projectId], "global-secret")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        var engines = await EnginesAsync(projectId);
        await WarmAsync(engines, own, "own-secret", SecretText);
        await WarmAsync(engines, global, "global-secret", ApiKeyProp);

        (await _adminA.ApiDeleteAsync($"/api/v1/app-connections/{ownId}")).AssertStatus(HttpStatusCode.NoContent);
        await NotFoundWithinAsync(engines.B, own, "B's read after the project connection was deleted on A");
        AssertNotFound(await engines.A.ReadConnectionAsync(own), "A's first read after it deleted the project connection");

        (await _adminA.ApiDeleteAsync($"/api/v1/global-connections/{globalId}")).AssertStatus(HttpStatusCode.NoContent);
        await NotFoundWithinAsync(engines.B, global, "B's read after the global connection was deleted on A");
        AssertNotFound(await engines.A.ReadConnectionAsync(global), "A's first read after it deleted the global connection");
    }

    [Fact]
    public async Task Delete_ConnectionUsedByADisabledFlowOnA_BecomesAPlaceholderAndFirstReadOnBIsNotFound()
    {
        var projectId = await _adminA.CreateProjectAsync();
        var externalId = Api.Unique("placeholder");
        var id = (await _adminA.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "soon-wiped")))
            .AssertStatus(HttpStatusCode.Created).Str("id");
        await _adminA.CreateFlowAsync(projectId, "DISABLED", externalId);
        var engines = await EnginesAsync(projectId);
        await WarmAsync(engines, externalId, "soon-wiped", SecretText);

        (await _adminA.ApiDeleteAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.NoContent);

        // The row stays (MISSING, value wiped): a cache keyed on the row alone would still hold the old value.
        await NotFoundWithinAsync(engines.B, externalId, "B's read after the connection became a MISSING placeholder on A");
        AssertNotFound(await engines.A.ReadConnectionAsync(externalId), "A's first read after the connection became a MISSING placeholder");
        var row = (await _adminA.ApiGetAsync($"/api/v1/app-connections/{id}")).AssertStatus(HttpStatusCode.OK);
        Assert.True(row.Str("status") == "MISSING", $"the deleted connection used by a disabled flow should be a MISSING placeholder: {row.Raw}");

        (await _adminA.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "filled-again"))).AssertStatus(HttpStatusCode.OK);
        await ServesWithinAsync(engines.B, externalId, "filled-again", SecretText, "B's read after the placeholder was filled on A");
        AssertServes(await engines.A.ReadConnectionAsync(externalId), "filled-again", SecretText, "A's first read after it filled the placeholder");
    }

    [Fact]
    public async Task Refresh_ForcedOnA_FirstReadOnBServesTheNewAccessToken()
    {
        var projectId = await _adminA.CreateProjectAsync();
        var externalId = Api.Unique("oauth");
        var value = pair.FreshOAuthValue();
        var id = (await _adminA.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId,
            externalId,
            displayName = "Staleness OAuth",
            pieceName = "@acme/piece-crm",
            type = "OAUTH2",
            value,
        })).AssertStatus(HttpStatusCode.Created).Str("id");
        var engines = await EnginesAsync(projectId);
        var accessToken = value["access_token"]!.GetValue<string>();
        await WarmAsync(engines, externalId, accessToken, AccessToken);

        // Twice: a cache that is refreshed once and then kept would fail the second round.
        var seen = new List<string> { accessToken };
        for (var round = 1; round <= 2; round++)
        {
            var refreshed = (await _adminA.ApiPostAsync($"/api/v1/app-connections/{id}/refresh?force=true", new { })).AssertStatus(HttpStatusCode.OK);
            Assert.True(refreshed.Str("status") == "ACTIVE", $"the forced refresh on A (round {round}) left: {refreshed.Raw}\n{pair.Diagnostics()}");

            var onB = (await TurnedAsync(engines.B, externalId, r => r.Status == HttpStatusCode.OK && !seen.Contains(AccessToken(r.Body) ?? "")))
                .AssertStatus(HttpStatusCode.OK);
            var newToken = AccessToken(onB.Body) ?? "(none)";
            Assert.True(!seen.Contains(newToken),
                $"B's first read after the forced refresh on A (round {round}) served an earlier access_token: {newToken}\n{pair.Diagnostics()}");
            AssertServes(await engines.A.ReadConnectionAsync(externalId), newToken, AccessToken, $"A's first read after its forced refresh (round {round})");
            seen.Add(newToken);
            await WarmAsync(engines, externalId, newToken, AccessToken);
        }
        Assert.True(pair.Provider.Calls.Count(c => c.ClientId == value["client_id"]!.GetValue<string>() && c.GrantType == "refresh_token") == 2,
            $"expected exactly the 2 forced refreshes to call the provider (no read refreshed).\n{pair.Diagnostics()}");
    }

    [Fact]
    public async Task Replace_WithDeleteSourceOnA_FirstReadOnBOfEitherSourceIsNotFoundAndTheTargetIsUnchanged()
    {
        var projectId = await _adminA.CreateProjectAsync();
        var stillShared = await _adminA.CreateProjectAsync();
        var (source, target, globalSource) = (Api.Unique("src"), Api.Unique("tgt"), Api.Unique("gsrc"));
        var sourceId = await _adminA.CreateConnectionAsync(projectId, source);
        var targetId = await _adminA.CreateConnectionAsync(projectId, target);
        await _adminA.CreateFlowAsync(projectId, "ENABLED", source);
        var engines = await EnginesAsync(projectId);
        await WarmAsync(engines, source, "secret-" + source, SecretText);
        await WarmAsync(engines, target, "secret-" + target, SecretText);

        (await _adminA.ApiPostAsync("/api/v1/app-connections/replace", new
        {
            sourceAppConnectionId = sourceId, targetAppConnectionId = targetId, projectId, deleteSourceConnection = true,
        })).AssertStatus(HttpStatusCode.NoContent);

        await NotFoundWithinAsync(engines.B, source, "B's read of the project source after the replace (deleting it) on A");
        AssertNotFound(await engines.A.ReadConnectionAsync(source), "A's first read of the project source after its replace");
        await ServesWithinAsync(engines.B, target, "secret-" + target, SecretText, "B's read of the replace's target");

        // A global source of the same piece: the replace un-shares it from this project only.
        var globalId = (await _adminA.ApiPostAsync("/api/v1/global-connections", new
        {
            displayName = "Global Slack",
            pieceName = FlowTestData.Slack,
            type = "SECRET_TEXT",
            value = new { type = "SECRET_TEXT", secret_text = "global-source-secret" },
            scope = "PLATFORM",
            projectIds = new[] { projectId, stillShared },
            externalId = globalSource,
        })).AssertStatus(HttpStatusCode.Created).Str("id");
        var otherProject = await EnginesAsync(stillShared);
        await WarmAsync(engines, globalSource, "global-source-secret", SecretText);
        await WarmAsync(otherProject, globalSource, "global-source-secret", SecretText);

        (await _adminA.ApiPostAsync("/api/v1/app-connections/replace", new
        {
            sourceAppConnectionId = globalId, targetAppConnectionId = targetId, projectId, deleteSourceConnection = true,
        })).AssertStatus(HttpStatusCode.NoContent);

        await NotFoundWithinAsync(engines.B, globalSource, "B's read of the global source after the replace un-shared it on A");
        AssertNotFound(await engines.A.ReadConnectionAsync(globalSource), "A's first read of the global source after its replace");
        AssertServes(await otherProject.B.ReadConnectionAsync(globalSource), "global-source-secret", SecretText,
            "B's read of the global source for the project it is still shared with");
    }

    [Fact]
    public async Task DisablePlatform_OnA_EngineTokenRefusedOnAAtOnceAndOnBWithinPlatformStatusMaxAge()
    {
        var operatorA = pair.Client(pair.A, ReplicaPairFixture.OperatorKey);
        var created = (await operatorA.ApiPostAsync("/api/v1/platforms", new { name = Api.Unique("stale") })).AssertStatus(HttpStatusCode.Created);
        var platformId = created.Str("id");
        var platformAdmin = pair.Client(pair.A, created.Str("adminApiKey"));
        var projectId = await platformAdmin.CreateProjectAsync();
        var externalId = Api.Unique("disabled");
        (await platformAdmin.ApiPostAsync("/api/v1/app-connections", Api.SecretText(projectId, externalId, "never-after-disable")))
            .AssertStatus(HttpStatusCode.Created);
        var engines = await EnginesAsync(projectId, platformAdmin);
        await WarmAsync(engines, externalId, "never-after-disable", SecretText);

        (await operatorA.ApiPostAsync($"/api/v1/platforms/{platformId}/disable", new { })).AssertStatus(HttpStatusCode.OK);
        var sinceDisabled = Stopwatch.StartNew();

        AssertRefused(await engines.A.ReadConnectionAsync(externalId), "A's first read after it disabled the platform");
        // Back-to-back reads on B until it refuses: each one before that may only be the old answer, 200.
        var bound = PlatformStatus.MaxAge + RequestMargin;
        var servedAfterDisable = 0;
        ApiResponse read;
        while ((read = await engines.B.ReadConnectionAsync(externalId)).Status != HttpStatusCode.Unauthorized)
        {
            read.AssertStatus(HttpStatusCode.OK);
            servedAfterDisable++;
            Assert.True(sinceDisabled.Elapsed <= bound,
                $"B still served the disabled platform's connection {sinceDisabled.Elapsed.TotalMilliseconds:F0} ms after the disable on A answered " +
                $"(bound {bound.TotalMilliseconds:F0} ms: PlatformStatus.MaxAge + {RequestMargin.TotalMilliseconds:F0} ms), {servedAfterDisable} reads.\n{pair.Diagnostics()}");
        }
        var refusedAfter = sinceDisabled.Elapsed;
        Assert.True(refusedAfter <= bound,
            $"B refused the engine token only {refusedAfter.TotalMilliseconds:F0} ms after the disable on A answered (bound {bound.TotalMilliseconds:F0} ms).\n{pair.Diagnostics()}");
        AssertRefused(read, "B's first refusal after the disable on A");
        // Once refused, never served again: not from a cache, not from a reload that raced the disable.
        for (var i = 0; i < WarmReads; i++)
        {
            AssertRefused(await engines.B.ReadConnectionAsync(externalId), $"B's read {i + 1} after it first refused");
            AssertRefused(await engines.A.ReadConnectionAsync(externalId), $"A's read {i + 1} after the disable");
        }
    }

    /// The other replica serves the new value within the bound, and keeps serving it.
    private async Task<ApiResponse> ServesWithinAsync(HttpClient replica, string externalId, string expected, Func<JsonElement, string?> secret, string which) =>
        AssertServes(await TurnedAsync(replica, externalId, r => r.Status == HttpStatusCode.OK && secret(r.Body) == expected), expected, secret, which);

    /// The other replica answers 404 within the bound, and keeps answering it.
    private async Task NotFoundWithinAsync(HttpClient replica, string externalId, string which) =>
        AssertNotFound(await TurnedAsync(replica, externalId, r => r.Status == HttpStatusCode.NotFound), which);

    /// Reads back-to-back until an answer has turned or the bound (plus the request's margin) has passed; the last
    /// answer is returned for the caller's assertion. Before it turns, every answer must be the same one (the state
    /// the replica held: one stale answer, never a third state or a 500); once turned, it must stay turned.
    private async Task<ApiResponse> TurnedAsync(HttpClient replica, string externalId, Func<ApiResponse, bool> turned)
    {
        var clock = Stopwatch.StartNew();
        string? stale = null;
        while (true)
        {
            var read = await replica.ReadConnectionAsync(externalId);
            if (turned(read))
            {
                for (var i = 0; i < WarmReads; i++)
                {
                    var again = await replica.ReadConnectionAsync(externalId);
                    Assert.True(turned(again), $"the other replica turned back after {clock.ElapsedMilliseconds} ms: {again.Raw}\n{pair.Diagnostics()}");
                }
                return read;
            }
            Assert.True(read.Status is HttpStatusCode.OK or HttpStatusCode.NotFound,
                $"a read while waiting for the other replica answered {(int)read.Status}: {read.Raw}\n{pair.Diagnostics()}");
            var state = Stale(read);
            stale ??= state;
            Assert.True(state == stale,
                $"while waiting for the other replica it answered two different stale states:\n{stale}\n{state}\n{pair.Diagnostics()}");
            if (clock.Elapsed > CrossReplicaBound + RequestMargin)
            {
                return read;
            }
        }
    }

    /// What a not-yet-turned answer says: its status and its value, nothing that changes between two reads of one state.
    private static string Stale(ApiResponse read) =>
        read.Status == HttpStatusCode.OK
            ? $"200 {read.Body.GetProperty("id").GetString()} {read.Body.GetProperty("value").GetRawText()}"
            : "404";

    private async Task<Engines> EnginesAsync(string projectId, HttpClient? admin = null)
    {
        var token = await (admin ?? _adminA).EngineTokenAsync(projectId, ttlSeconds: 3600);
        return new Engines(pair.Client(pair.A, token), pair.Client(pair.B, token));
    }

    /// Reads on both replicas until any cache is hot, each read asserted: warm-up must never see anything else.
    private async Task WarmAsync(Engines engines, string externalId, string expected, Func<JsonElement, string?> secret)
    {
        for (var i = 0; i < WarmReads; i++)
        {
            await ServesWithinAsync(engines.B, externalId, expected, secret, $"B's warm-up read {i + 1}");
            AssertServes(await engines.A.ReadConnectionAsync(externalId), expected, secret, $"A's warm-up read {i + 1}");
        }
    }

    private ApiResponse AssertServes(ApiResponse read, string expected, Func<JsonElement, string?> secret, string which)
    {
        Assert.True(read.Status == HttpStatusCode.OK, $"{which}: expected 200 with '{expected}', got {(int)read.Status}: {read.Raw}\n{pair.Diagnostics()}");
        var served = secret(read.Body);
        Assert.True(served == expected, $"{which}: served '{served}', a stale value; expected '{expected}'.\n{read.Raw}\n{pair.Diagnostics()}");
        return read;
    }

    private void AssertNotFound(ApiResponse read, string which)
    {
        Assert.True(read.Status == HttpStatusCode.NotFound, $"{which}: expected 404, got {(int)read.Status} (a stale cache?): {read.Raw}\n{pair.Diagnostics()}");
        read.AssertError(HttpStatusCode.NotFound, "ENTITY_NOT_FOUND");
    }

    private void AssertRefused(ApiResponse read, string which)
    {
        Assert.True(read.Status == HttpStatusCode.Unauthorized, $"{which}: expected 401, got {(int)read.Status}: {read.Raw}\n{pair.Diagnostics()}");
        read.AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
    }

    private static string? SecretText(JsonElement connection) => Path(connection, "value", "secret_text");

    private static string? ApiKeyProp(JsonElement connection) => Path(connection, "value", "props", "api_key");

    private static string? AccessToken(JsonElement connection) => Path(connection, "value", "access_token");

    /// The string at the path, or null where the answer has none (a 404's body, a value of another type).
    private static string? Path(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }
        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}

public sealed class ReplicaStalenessSqliteTests(SqliteReplicaPairFixture pair) : ReplicaStalenessTests(pair), IClassFixture<SqliteReplicaPairFixture>;

public sealed class ReplicaStalenessPostgresTests(PostgresReplicaPairFixture pair) : ReplicaStalenessTests(pair), IClassFixture<PostgresReplicaPairFixture>;
