using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Cli.Tests.Infrastructure;
using Plugboard.Client;
using Plugboard.Testing.FakeOAuth;
using Row = Plugboard.Cli.Tests.Infrastructure.ActivepiecesDatabase.Row;

namespace Plugboard.Cli.Tests;

/// `plugboard import activepieces` against a real PostgreSQL laid out like Activepieces', into a real server.
public sealed class ActivepiecesImportTests(CliServer server, ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Maintenance()
    {
        Assert.SkipWhen(CliServer.Postgres is null, $"{CliServer.PostgresVariable} is not set: ./scripts/test starts a throwaway PostgreSQL and sets it.");
        return CliServer.Postgres!;
    }

    private Task<CliRun> ImportAsync(ActivepiecesDatabase ap, params string[] extra) =>
        server.RunAsync(["import", "activepieces", "--database", ap.ConnectionString, "--encryption-key", "@" + ap.KeyFile(), .. extra]);

    [Fact]
    public async Task Import_DryRunThenImportThenReimport_CreatesOnceReadsBackAndChangesNothingAfter()
    {
        await using var ap = await ActivepiecesDatabase.CreateAsync(Maintenance());
        await using var provider = await FakeOAuthProvider.StartAsync(Ct);
        provider.AddClient("ap-client", "ap-client-secret");
        var issued = provider.IssueTokens("ap-client");

        var platform = ActivepiecesDatabase.NewId();
        var acme = ActivepiecesDatabase.NewId();
        var globex = ActivepiecesDatabase.NewId();
        var acmeExternal = "ap-acme-" + Guid.NewGuid().ToString("N");
        await ap.AddPlatformAsync(platform);
        await ap.AddProjectAsync(acme, platform, "Acme", acmeExternal, """{"tier":"gold"}""");
        await ap.AddProjectAsync(globex, platform, "Globex", null);
        await ap.AddProjectAsync(ActivepiecesDatabase.NewId(), platform, "Gone", null, deleted: true);

        var claimedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        var values = new Dictionary<string, JsonObject>
        {
            ["secret"] = new() { ["type"] = "SECRET_TEXT", ["secret_text"] = "sk-ap-secret-" + Guid.NewGuid().ToString("N") },
            ["basic"] = new() { ["type"] = "BASIC_AUTH", ["username"] = "ann", ["password"] = "pw-" + Guid.NewGuid().ToString("N") },
            ["custom"] = new() { ["type"] = "CUSTOM_AUTH", ["props"] = new JsonObject { ["api_key"] = "ck-" + Guid.NewGuid().ToString("N"), ["region"] = "eu" } },
            ["oauth"] = new()
            {
                // As Activepieces stores a claimed OAUTH2 value: the token response overlaid with the request.
                ["type"] = "OAUTH2", ["access_token"] = issued.AccessToken, ["refresh_token"] = issued.RefreshToken, ["token_type"] = "Bearer",
                ["expires_in"] = issued.ExpiresIn, ["claimed_at"] = claimedAt, ["scope"] = "read write", ["client_id"] = "ap-client",
                ["client_secret"] = "ap-client-secret", ["token_url"] = provider.TokenUrl, ["redirect_url"] = "https://ap.example.com/redirect",
                ["code"] = "spent-code", ["data"] = new JsonObject(), ["authorization_method"] = "BODY",
            },
            ["global"] = new() { ["type"] = "SECRET_TEXT", ["secret_text"] = "sk-ap-global-" + Guid.NewGuid().ToString("N") },
        };
        var ids = values.Keys.ToDictionary(k => k, _ => ActivepiecesDatabase.NewId());
        var globalExternal = "ap-global-" + Guid.NewGuid().ToString("N");
        var corrupt = ActivepiecesDatabase.NewId();
        var unknown = ActivepiecesDatabase.NewId();
        await ap.AddConnectionsAsync(
        [
            new Row(ids["secret"], platform, "slack", "SECRET_TEXT", "@activepieces/piece-slack", [acme], "PROJECT", values["secret"], Metadata: """{"team":"ops"}"""),
            new Row(ids["basic"], platform, "http", "BASIC_AUTH", "@activepieces/piece-http", [acme], "PROJECT", values["basic"]),
            new Row(ids["custom"], platform, "custom", "CUSTOM_AUTH", "@activepieces/piece-custom", [globex], "PROJECT", values["custom"]),
            new Row(ids["oauth"], platform, "gmail", "OAUTH2", "@activepieces/piece-gmail", [acme], "PROJECT", values["oauth"]),
            new Row(ids["global"], platform, globalExternal, "SECRET_TEXT", "@activepieces/piece-openai", [acme, globex], "PLATFORM", values["global"]),
            new Row(corrupt, platform, "broken", "SECRET_TEXT", "@activepieces/piece-slack", [acme], "PROJECT", null,
                RawValue: """{"iv":"00112233445566778899aabbccddeeff","data":"deadbeefdeadbeefdeadbeefdeadbeef"}"""),
            new Row(unknown, platform, "magic", "MAGIC_AUTH", "@activepieces/piece-magic", [acme], "PROJECT", new JsonObject { ["type"] = "MAGIC_AUTH", ["x"] = "y" }),
        ]);
        var client = await server.ClientAsync();

        // Dry run: the plan, nothing written.
        var dry = await ImportAsync(ap, "--dry-run");
        Assert.True(dry.ExitCode == 1, dry.ToString()); // two unreadable rows are left behind
        Assert.Contains($"would be created: project {acme} ({acmeExternal})", dry.Out, StringComparison.Ordinal);
        Assert.Contains($"would be created: connection {ids["oauth"]} (gmail)", dry.Out, StringComparison.Ordinal);
        Assert.Contains($"would be created: global connection {ids["global"]} ({globalExternal})", dry.Out, StringComparison.Ordinal);
        Assert.Contains("Dry run (nothing written)", dry.Out, StringComparison.Ordinal);
        Assert.Empty((await client.Projects.ListAsync(new ProjectQuery { ExternalId = acmeExternal }, cancellationToken: Ct)).Data);
        Assert.Empty((await client.Projects.ListAsync(new ProjectQuery { ExternalId = globex }, cancellationToken: Ct)).Data);

        // Import.
        var run = await ImportAsync(ap);
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"skipped: connection {corrupt} (broken): its value does not open", run.Out, StringComparison.Ordinal);
        Assert.Contains($"skipped: connection {unknown} (magic): its type 'MAGIC_AUTH'", run.Out, StringComparison.Ordinal);
        Assert.Contains("7 created, 0 updated, 0 unchanged, 2 skipped, 0 failed.", run.Out, StringComparison.Ordinal);
        Assert.Contains("connections/s", run.Out, StringComparison.Ordinal);
        foreach (var value in values.Values)
        {
            foreach (var secret in new[] { "secret_text", "password", "access_token", "refresh_token", "client_secret" })
            {
                if (value[secret] is JsonValue v)
                {
                    Assert.DoesNotContain(v.GetValue<object>().ToString()!, run.Out + run.Error, StringComparison.Ordinal);
                }
            }
        }

        var acmeProject = Assert.Single((await client.Projects.ListAsync(new ProjectQuery { ExternalId = acmeExternal }, cancellationToken: Ct)).Data);
        Assert.Equal("Acme", acmeProject.DisplayName);
        Assert.Equal("gold", acmeProject.Metadata!["tier"]!.GetValue<string>());
        var globexProject = Assert.Single((await client.Projects.ListAsync(new ProjectQuery { ExternalId = globex }, cancellationToken: Ct)).Data);

        // The engine reads back what Activepieces held.
        var acmeEngine = client.ForEngine((await client.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = acmeProject.Id }, Ct)).Token);
        var globexEngine = client.ForEngine((await client.EngineTokens.IssueAsync(new IssueEngineTokenRequest { ProjectId = globexProject.Id }, Ct)).Token);
        Assert.Equal(new SecretTextValue(values["secret"]["secret_text"]!.GetValue<string>()), (await acmeEngine.ReadConnectionAsync("slack", Ct)).Value);
        Assert.Equal(new BasicAuthValue("ann", values["basic"]["password"]!.GetValue<string>()), (await acmeEngine.ReadConnectionAsync("http", Ct)).Value);
        var custom = Assert.IsType<CustomAuthValue>((await globexEngine.ReadConnectionAsync("custom", Ct)).Value);
        Assert.True(JsonNode.DeepEquals(values["custom"]["props"], custom.Props));
        var slack = await acmeEngine.ReadConnectionAsync("slack", Ct);
        Assert.Equal("ops", slack.Metadata!["team"]!.GetValue<string>());
        Assert.Equal(ids["secret"], slack.Metadata![Activepieces.ActivepiecesImport.IdKey]!.GetValue<string>());
        var gmail = await acmeEngine.ReadConnectionAsync("gmail", Ct);
        var oauth = Assert.IsType<OAuth2Value>(gmail.Value);
        Assert.Equal(issued.AccessToken, oauth.AccessToken);
        Assert.Equal("ap-client", oauth.ClientId);
        Assert.Equal(provider.TokenUrl, oauth.TokenUrl);
        Assert.Null(oauth.Code);
        // The token keeps its expiry: claimed_at + expires_in.
        Assert.NotNull(gmail.ExpiresAt);
        Assert.InRange(gmail.ExpiresAt!.Value.ToUnixTimeSeconds(), claimedAt + issued.ExpiresIn - 5, claimedAt + issued.ExpiresIn + 5);
        var globalValue = values["global"]["secret_text"]!.GetValue<string>();
        Assert.Equal(new SecretTextValue(globalValue), (await acmeEngine.ReadConnectionAsync(globalExternal, Ct)).Value);
        Assert.Equal(new SecretTextValue(globalValue), (await globexEngine.ReadConnectionAsync(globalExternal, Ct)).Value);
        var before = await ApiCommandsSnapshotAsync(client, acmeProject.Id, globexProject.Id);

        // Re-import: everything unchanged, nothing written.
        var again = await ImportAsync(ap, "-o", "json");
        Assert.True(again.ExitCode == 1, again.ToString());
        var summary = JsonDocument.Parse(again.Out).RootElement.GetProperty("summary");
        Assert.Equal(0, summary.GetProperty("created").GetInt32());
        Assert.Equal(0, summary.GetProperty("updated").GetInt32());
        Assert.Equal(7, summary.GetProperty("unchanged").GetInt32());
        Assert.Equal(2, summary.GetProperty("skipped").GetInt32());
        Assert.Equal(before, await ApiCommandsSnapshotAsync(client, acmeProject.Id, globexProject.Id));

        // From now on Plugboard refreshes the imported token, at the provider Activepieces used.
        var refresh = await server.RunAsync(["connections", "refresh", gmail.Id, "--force", "-o", "json"]);
        Assert.True(refresh.ExitCode == 0, refresh.ToString());
        Assert.Equal(1, provider.RefreshCalls);
        var refreshed = Assert.IsType<OAuth2Value>((await acmeEngine.ReadConnectionAsync("gmail", Ct)).Value);
        Assert.NotEqual(issued.AccessToken, refreshed.AccessToken);

        // A re-import after the refresh leaves Plugboard's newer token alone: Activepieces' row did not change.
        var afterRefresh = await ImportAsync(ap, "-o", "json");
        Assert.Equal(7, JsonDocument.Parse(afterRefresh.Out).RootElement.GetProperty("summary").GetProperty("unchanged").GetInt32());
        Assert.Equal(refreshed.AccessToken, Assert.IsType<OAuth2Value>((await acmeEngine.ReadConnectionAsync("gmail", Ct)).Value).AccessToken);

        // A changed row in Activepieces is updated on the next run.
        await ap.ExecuteAsync("""UPDATE app_connection SET "displayName" = 'Renamed' WHERE id = @p0""", ids["basic"]);
        var changed = await ImportAsync(ap, "-o", "json");
        var changedSummary = JsonDocument.Parse(changed.Out).RootElement.GetProperty("summary");
        Assert.Equal(1, changedSummary.GetProperty("updated").GetInt32());
        Assert.Equal("Renamed", (await acmeEngine.ReadConnectionAsync("http", Ct)).DisplayName);
    }

    /// Every connection's id, version-bearing Updated time and fingerprint: a re-import that writes anything changes it.
    private static async Task<string> ApiCommandsSnapshotAsync(PlugboardClient client, params string[] projectIds)
    {
        var lines = new List<string>();
        foreach (var projectId in projectIds)
        {
            await foreach (var c in client.AppConnections.ListAllAsync(new AppConnectionQuery { ProjectId = projectId }, Ct))
            {
                lines.Add($"{c.Id} {c.Updated:O} {c.DisplayName} {c.Metadata?.ToJsonString()}");
            }
            var p = await client.Projects.GetAsync(projectId, Ct);
            lines.Add($"{p.Id} {p.Updated:O} {p.DisplayName} {p.Metadata?.ToJsonString()}");
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    [Fact]
    public async Task Import_ErrorRows_AreCheckedWithTheProviderNotCopied()
    {
        await using var ap = await ActivepiecesDatabase.CreateAsync(Maintenance());
        await using var provider = await FakeOAuthProvider.StartAsync(Ct);
        provider.AddClient("ap-client", "ap-client-secret");
        var dead = provider.IssueTokens("ap-client");
        provider.RevokeAll();
        var alive = provider.IssueTokens("ap-client");

        var platform = ActivepiecesDatabase.NewId();
        var project = ActivepiecesDatabase.NewId();
        var projectExternal = "ap-errors-" + Guid.NewGuid().ToString("N");
        await ap.AddPlatformAsync(platform);
        await ap.AddProjectAsync(project, platform, "Errors", projectExternal);
        JsonObject OAuth(IssuedTokens tokens) => new()
        {
            ["type"] = "OAUTH2", ["access_token"] = tokens.AccessToken, ["refresh_token"] = tokens.RefreshToken, ["token_type"] = "Bearer",
            ["expires_in"] = tokens.ExpiresIn, ["claimed_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, ["client_id"] = "ap-client",
            ["client_secret"] = "ap-client-secret", ["token_url"] = provider.TokenUrl, ["redirect_url"] = "https://ap.example.com/redirect",
            ["data"] = new JsonObject(), ["authorization_method"] = "BODY",
        };
        var (deadId, aliveId, secretId) = (ActivepiecesDatabase.NewId(), ActivepiecesDatabase.NewId(), ActivepiecesDatabase.NewId());
        await ap.AddConnectionsAsync(
        [
            new Row(deadId, platform, "dead", "OAUTH2", "@activepieces/piece-gmail", [project], "PROJECT", OAuth(dead), Status: "ERROR"),
            new Row(aliveId, platform, "alive", "OAUTH2", "@activepieces/piece-gmail", [project], "PROJECT", OAuth(alive), Status: "ERROR"),
            new Row(secretId, platform, "secret", "SECRET_TEXT", "@activepieces/piece-slack", [project], "PROJECT",
                new JsonObject { ["type"] = "SECRET_TEXT", ["secret_text"] = "sk-" + Guid.NewGuid().ToString("N") }, Status: "ERROR"),
        ]);

        var dry = await ImportAsync(ap, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains($"would be created: connection {deadId} (dead): ERROR in Activepieces: its token will be refreshed once imported", dry.Out, StringComparison.Ordinal);
        Assert.Equal(0, provider.RefreshCalls);

        var run = await ImportAsync(ap);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"created: connection {deadId} (dead): ERROR in Activepieces and still refused by the provider: ERROR", run.Out, StringComparison.Ordinal);
        Assert.Contains($"created: connection {aliveId} (alive): ERROR in Activepieces, but the provider accepted a refresh now: ACTIVE", run.Out, StringComparison.Ordinal);
        Assert.Contains($"created: connection {secretId} (secret): ERROR in Activepieces: a SECRET_TEXT value has nothing Plugboard can check", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(dead.RefreshToken, run.Out, StringComparison.Ordinal);

        var client = await server.ClientAsync();
        var projectId = Assert.Single((await client.Projects.ListAsync(new ProjectQuery { ExternalId = projectExternal }, cancellationToken: Ct)).Data).Id;
        var statuses = new Dictionary<string, AppConnection>();
        await foreach (var c in client.AppConnections.ListAllAsync(new AppConnectionQuery { ProjectId = projectId }, Ct))
        {
            statuses[c.ExternalId] = c;
        }
        Assert.Equal(ConnectionStatus.Error, statuses["dead"].Status);
        Assert.False(string.IsNullOrEmpty(statuses["dead"].StatusReason));
        Assert.Equal(ConnectionStatus.Active, statuses["alive"].Status);
        Assert.Equal(ConnectionStatus.Active, statuses["secret"].Status);
        Assert.Equal(2, provider.RefreshCalls);

        // Re-importing changes nothing and asks the provider nothing more.
        var again = await ImportAsync(ap, "-o", "json");
        Assert.Equal(4, JsonDocument.Parse(again.Out).RootElement.GetProperty("summary").GetProperty("unchanged").GetInt32());
        Assert.Equal(2, provider.RefreshCalls);
    }

    [Fact]
    public async Task Import_WrongKey_SkipsEveryRowAndSaysSo()
    {
        await using var ap = await ActivepiecesDatabase.CreateAsync(Maintenance());
        var platform = ActivepiecesDatabase.NewId();
        var project = ActivepiecesDatabase.NewId();
        await ap.AddPlatformAsync(platform);
        await ap.AddProjectAsync(project, platform, "Wrong key", null);
        await ap.AddConnectionsAsync([new Row(ActivepiecesDatabase.NewId(), platform, "s", "SECRET_TEXT", "@activepieces/piece-slack", [project], "PROJECT",
            new JsonObject { ["type"] = "SECRET_TEXT", ["secret_text"] = "x" })]);
        var keyFile = Path.Combine(Path.GetTempPath(), "plugboard-cli-tests-values", Guid.NewGuid().ToString("N") + ".key");
        await File.WriteAllTextAsync(keyFile, new string('a', 32), Ct);
        var run = await server.RunAsync(["import", "activepieces", "--database", ap.ConnectionString, "--encryption-key", "@" + keyFile, "--dry-run"]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is --encryption-key this database's AP_ENCRYPTION_KEY?", run.Error, StringComparison.Ordinal);

        var tooShort = await server.RunAsync(["import", "activepieces", "--database", ap.ConnectionString, "--encryption-key", "abc"]);
        Assert.Equal(2, tooShort.ExitCode);
    }

    [Fact]
    public async Task Import_ThreeHundredConnections_ReportsTheRate()
    {
        await using var ap = await ActivepiecesDatabase.CreateAsync(Maintenance());
        var platform = ActivepiecesDatabase.NewId();
        await ap.AddPlatformAsync(platform);
        var projects = Enumerable.Range(0, 10).Select(_ => ActivepiecesDatabase.NewId()).ToList();
        foreach (var project in projects)
        {
            await ap.AddProjectAsync(project, platform, "Rate " + project, null);
        }
        var rows = Enumerable.Range(0, 300).Select(i => new Row(ActivepiecesDatabase.NewId(), platform, $"conn-{i}", "SECRET_TEXT", "@activepieces/piece-slack",
            [projects[i % projects.Count]], "PROJECT", new JsonObject { ["type"] = "SECRET_TEXT", ["secret_text"] = $"sk-{i}-{Guid.NewGuid():N}" })).ToList();
        await ap.AddConnectionsAsync(rows);

        var watch = Stopwatch.StartNew();
        var run = await ImportAsync(ap, "-o", "json");
        watch.Stop();
        Assert.True(run.ExitCode == 0, run.ToString());
        var summary = JsonDocument.Parse(run.Out).RootElement.GetProperty("summary");
        Assert.Equal(310, summary.GetProperty("created").GetInt32());
        output.WriteLine($"import of 300 connections: {summary.GetProperty("connectionsPerSecond").GetDouble()} connections/s " +
            $"({summary.GetProperty("seconds").GetDouble()} s for the connections, {watch.Elapsed.TotalSeconds:0.0} s in all)");

        var again = await ImportAsync(ap, "-o", "json");
        var unchanged = JsonDocument.Parse(again.Out).RootElement.GetProperty("summary");
        Assert.Equal(310, unchanged.GetProperty("unchanged").GetInt32());
        output.WriteLine($"re-import (all unchanged): {unchanged.GetProperty("connectionsPerSecond").GetDouble()} connections/s");
    }
}
