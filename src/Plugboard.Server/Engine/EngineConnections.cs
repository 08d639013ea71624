using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth;

namespace Plugboard.Server.Engine;

/// The run-time read of one connection by externalId, for the engine token's project.
public static class EngineConnections
{
    public const string Redacted = "(REDACTED)";

    /// The connection an engine in `projectId` gets for `externalId`. A project's own connection wins
    /// over a global one with the same externalId (the reference returned whichever row came first);
    /// a MISSING placeholder holds no credentials, so it is "not found" here, and a global connection then
    /// still serves. At most two rows, each found through the (platform, scope key, externalId) index.
    public static async Task<AppConnection?> FindAsync(PlugboardDb db, EngineCaller caller, string externalId, CancellationToken ct)
    {
        AppConnection? found = null;
        foreach (var row in await CandidatesAsync(db, caller.PlatformId, caller.ProjectId, externalId, ct))
        {
            if (row.Status != ConnectionStatus.Missing && (found is null || row.Scope == ConnectionScope.Project))
            {
                found = row;
            }
        }
        return found;
    }

    /// The rows a project could mean by an externalId: its own connection and a global one shared with it, MISSING
    /// placeholders included. At most two, each found through the (platform, scope key, externalId) index.
    public static async Task<List<AppConnection>> CandidatesAsync(PlugboardDb db, string platformId, string projectId, string externalId, CancellationToken ct)
    {
        var rows = new List<AppConnection>(2);
        var candidates = db.IsSqlite ? CandidatesOnSqlite : CandidatesOnPostgres;
        await foreach (var row in candidates(db, platformId, projectId, externalId).WithCancellation(ct))
        {
            rows.Add(row);
        }
        return rows;
    }

    /// Compiled once per database engine (a compiled query keeps the provider it first ran with, and tests run both
    /// in one process): the hottest query of the server skips EF's query cache lookup and parameter extraction.
    private static readonly Func<PlugboardDb, string, string, string, IAsyncEnumerable<AppConnection>> CandidatesOnSqlite = CompileCandidates();
    private static readonly Func<PlugboardDb, string, string, string, IAsyncEnumerable<AppConnection>> CandidatesOnPostgres = CompileCandidates();

    private static Func<PlugboardDb, string, string, string, IAsyncEnumerable<AppConnection>> CompileCandidates() =>
        EF.CompileAsyncQuery((PlugboardDb db, string platformId, string projectId, string externalId) =>
            db.Set<AppConnection>().AsNoTracking()
                .Where(c => c.PlatformId == platformId && c.ExternalId == externalId &&
                    (c.ScopeKey == projectId ||
                        (c.ScopeKey == AppConnection.PlatformScopeKey && c.Projects.Any(l => l.ProjectId == projectId)))));

    /// Refreshes an OAuth2 connection that is due (one refresh at a time, across replicas), then decrypts.
    /// ERROR connections are returned as they are, so the piece can say "reconnect".
    public static async Task<AppConnection?> FreshAsync(TokenRefresher refresher, TimeProvider time, AppConnection row, CancellationToken ct)
    {
        if (!RefreshDue.IsDue(row, time.UtcNow()))
        {
            return row;
        }
        var outcome = await refresher.RefreshAsync(row.Id, force: false, ct);
        return outcome.Result == RefreshResult.NotFound ? null : outcome.Connection ?? row;
    }

    /// The decrypted value with what a running step never needs removed: the refresh token and the client
    /// secret (only Plugboard refreshes), replaced by "(REDACTED)" as the reference does. A connection made from a
    /// definition gets its global values under its own part, and a test run the definition's test credential instead
    /// of the customer's, where one is set (seed 004).
    public static JsonElement RevealedValue(SecretProtector protector, AppConnection row, ConnectionDefinition? definition = null, bool testRun = false)
    {
        var plaintext = protector.EffectiveValueOf(row, definition, testRun);
        if (!row.IsOAuth)
        {
            return JsonSerializer.Deserialize<JsonElement>(plaintext);
        }
        var value = JsonNode.Parse(plaintext)!.AsObject();
        foreach (var field in new[] { "refresh_token", "client_secret" })
        {
            if (value.ContainsKey(field))
            {
                value[field] = Redacted;
            }
        }
        return JsonSerializer.SerializeToElement(value);
    }

    public static ApiError NotFound(string externalId) =>
        ApiError.NotFound("app_connection", $"externalId={externalId}", $"Connection '{externalId}' not found in this project.");
}
