using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Plugboard.Client;

namespace Plugboard.Cli.Activepieces;

public enum ImportOutcome
{
    Created,
    Updated,
    Unchanged,
    Skipped,
    Failed,
}

/// One row's fate: a project or connection, by its Activepieces id.
public sealed record ImportItem(string Kind, string ActivepiecesId, string ExternalId, ImportOutcome Outcome, string? Reason = null);

public sealed record ImportSummary(bool DryRun, int Created, int Updated, int Unchanged, int Skipped, int Failed, int Connections, double Seconds, double ConnectionsPerSecond);

/// Brings an Activepieces platform's projects and connections into Plugboard through its API, so Plugboard validates
/// and encrypts every value itself. Re-running is safe: each connection carries the Activepieces id and an HMAC of
/// what was imported (keyed from the Activepieces key, so it says nothing about the secret to anyone without that key);
/// a row whose fingerprint matches is left alone — and so are tokens Plugboard has refreshed since.
public sealed class ActivepiecesImport(PlugboardClient client, ApEncryption encryption, bool dryRun, Action<ImportItem> progress)
{
    public const string IdKey = "activepiecesId";
    public const string FingerprintKey = "activepiecesFingerprint";
    private const int Parallelism = 4;

    private static readonly JsonSerializerOptions ValueJson = Output.Json;
    private readonly ConcurrentQueue<ImportItem> _items = new();
    private readonly byte[] _fingerprintKey = SHA256.HashData([.. "plugboard import activepieces\0"u8, .. encryption.Key]);

    public IReadOnlyCollection<ImportItem> Items => _items;

    public async Task<ImportSummary> RunAsync(
        IReadOnlyList<ApProject> projects, IReadOnlyList<ApConnection> connections, Action<int>? started, CancellationToken ct)
    {
        var plugboardProjects = new Dictionary<string, string?>(StringComparer.Ordinal); // AP project id → Plugboard id (null: created by a dry run)
        var externalIds = new Dictionary<string, string>(StringComparer.Ordinal); // AP project id → its externalId in Plugboard
        foreach (var project in projects)
        {
            var (id, externalId) = await ProjectAsync(project, ct);
            plugboardProjects[project.Id] = id;
            externalIds[project.Id] = externalId;
        }

        var plans = new List<Plan>();
        foreach (var row in connections)
        {
            if (Prepare(row, plugboardProjects, externalIds) is { } plan)
            {
                plans.Add(plan);
            }
        }
        started?.Invoke(plans.Count);

        var watch = Stopwatch.StartNew();
        var existing = await ExistingAsync(plans, ct);
        // Activepieces does not enforce externalId uniqueness; Plugboard does. The first row (oldest) wins.
        var seen = new Dictionary<(string, string), string>();
        var unique = new List<Plan>();
        foreach (var plan in plans)
        {
            var place = (plan.Global ? "" : plan.Row.ProjectIds[0], plan.Row.ExternalId);
            if (seen.TryGetValue(place, out var first))
            {
                Report(new ImportItem(Kind(plan.Row), plan.Row.Id, plan.Row.ExternalId, ImportOutcome.Skipped,
                    $"another Activepieces connection ({first}) has this externalId in the same place"));
                continue;
            }
            seen[place] = plan.Row.Id;
            unique.Add(plan);
        }
        await Parallel.ForEachAsync(unique, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (plan, token) =>
            Report(await ConnectionAsync(plan, existing, token)));
        watch.Stop();

        var counts = _items.GroupBy(i => i.Outcome).ToDictionary(g => g.Key, g => g.Count());
        var moved = _items.Count(i => i.Kind != "project" && i.Outcome is ImportOutcome.Created or ImportOutcome.Updated or ImportOutcome.Unchanged);
        var seconds = Math.Max(watch.Elapsed.TotalSeconds, 0.001);
        return new ImportSummary(dryRun, counts.GetValueOrDefault(ImportOutcome.Created), counts.GetValueOrDefault(ImportOutcome.Updated),
            counts.GetValueOrDefault(ImportOutcome.Unchanged), counts.GetValueOrDefault(ImportOutcome.Skipped), counts.GetValueOrDefault(ImportOutcome.Failed),
            moved, Math.Round(seconds, 3), Math.Round(moved / seconds, 1));
    }

    private void Report(ImportItem item)
    {
        _items.Enqueue(item);
        progress(item);
    }

    private async Task<(string? Id, string ExternalId)> ProjectAsync(ApProject project, CancellationToken ct)
    {
        // Activepieces projects need no externalId; their own id then becomes it, so a re-run finds them.
        var externalId = project.ExternalId is { Length: > 0 } e ? e : project.Id;
        var metadata = ParseObject(project.MetadataJson) ?? [];
        metadata[IdKey] = project.Id;
        try
        {
            var found = (await client.Projects.ListAsync(new ProjectQuery { ExternalId = externalId }, cancellationToken: ct)).Data.FirstOrDefault();
            if (found is null)
            {
                var created = dryRun ? null : await client.Projects.CreateAsync(
                    new CreateProjectRequest { DisplayName = project.DisplayName, ExternalId = externalId, Metadata = metadata }, ct);
                Report(new ImportItem("project", project.Id, externalId, ImportOutcome.Created));
                return (created?.Id, externalId);
            }
            if (found.DisplayName == project.DisplayName && JsonNode.DeepEquals(found.Metadata, metadata))
            {
                Report(new ImportItem("project", project.Id, externalId, ImportOutcome.Unchanged));
                return (found.Id, externalId);
            }
            if (!dryRun)
            {
                await client.Projects.UpdateAsync(found.Id, new UpdateProjectRequest { DisplayName = project.DisplayName, Metadata = metadata }, ct);
            }
            Report(new ImportItem("project", project.Id, externalId, ImportOutcome.Updated));
            return (found.Id, externalId);
        }
        catch (PlugboardApiException ex)
        {
            Report(new ImportItem("project", project.Id, externalId, ImportOutcome.Failed, $"{ex.Code}: {CliApp.OneLine(ex.Message)}"));
            return (null, externalId);
        }
    }

    /// A connection ready to send: its value opened and converted, its target known. Null (and reported) when not.
    private Plan? Prepare(ApConnection row, Dictionary<string, string?> projects, Dictionary<string, string> projectExternalIds)
    {
        Plan? Skip(string reason)
        {
            Report(new ImportItem(Kind(row), row.Id, row.ExternalId, ImportOutcome.Skipped, reason));
            return null;
        }

        string plaintext;
        try
        {
            plaintext = row.ValueJson is null ? throw new FormatException("it has no value") : encryption.Decrypt(row.ValueJson);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return Skip($"its value does not open with this key ({e.GetType().Name})");
        }
        ConnectionValue value;
        try
        {
            value = Convert(row.Type, plaintext);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or FormatException)
        {
            return Skip(e is NotSupportedException ? e.Message : "its decrypted value is not a connection value of its type");
        }

        var global = row.Scope == "PLATFORM";
        string? target = null;
        var mapped = new List<string>();
        var mappedExternal = new List<string>();
        foreach (var projectId in row.ProjectIds)
        {
            if (projects.TryGetValue(projectId, out var id))
            {
                if (id is not null)
                {
                    mapped.Add(id);
                }
                mappedExternal.Add(projectExternalIds[projectId]);
            }
        }
        if (!global)
        {
            if (row.ProjectIds.Count == 0 || !projects.TryGetValue(row.ProjectIds[0], out target))
            {
                return Skip("its project is not in this import (deleted, or of another platform)");
            }
            if (target is null && !dryRun)
            {
                return Skip("its project could not be imported");
            }
        }

        var metadata = ParseObject(row.MetadataJson) ?? [];
        metadata[IdKey] = row.Id;
        var canonical = string.Join('\n', row.Scope, string.Join(',', mappedExternal), row.ExternalId, row.DisplayName, row.PieceName,
            row.PieceVersion ?? "", row.PreSelectForNewProjects ? "1" : "0", row.MetadataJson ?? "", plaintext);
        metadata[FingerprintKey] = System.Convert.ToHexStringLower(HMACSHA256.HashData(_fingerprintKey, Encoding.UTF8.GetBytes(canonical)));
        return new Plan(row, global, target, mapped, value, metadata);
    }

    /// The stored value as Plugboard takes it. OAuth2 tokens go as already issued (access_token, refresh_token,
    /// expires_in, claimed_at), so Plugboard schedules and refreshes them without a new consent.
    internal static ConnectionValue Convert(string type, string plaintext)
    {
        if (JsonNode.Parse(plaintext) is not JsonObject value)
        {
            throw new FormatException("not an object");
        }
        var known = type is "SECRET_TEXT" or "BASIC_AUTH" or "CUSTOM_AUTH" or "NO_AUTH" or "OAUTH2" or "CLOUD_OAUTH2" or "PLATFORM_OAUTH2";
        if (!known)
        {
            throw new NotSupportedException($"its type '{type}' is not one Plugboard knows");
        }
        value["type"] = type;
        if (type.EndsWith("OAUTH2", StringComparison.Ordinal))
        {
            if (value["access_token"] is not JsonValue)
            {
                throw new NotSupportedException("its OAuth2 value holds no access_token (never claimed)");
            }
            // One-time fields of the original consent; Plugboard would drop them too.
            value.Remove("code");
            value.Remove("code_challenge");
            if (type == "PLATFORM_OAUTH2")
            {
                // Plugboard never stores a platform OAuth app's secret on a connection: refresh looks the app up.
                value.Remove("client_secret");
            }
        }
        // The discriminator first, as the SDK's union reads it.
        var ordered = new JsonObject { ["type"] = type };
        foreach (var (key, node) in value.Where(p => p.Key != "type").ToList())
        {
            value.Remove(key);
            ordered[key] = node;
        }
        return ordered.Deserialize<ConnectionValue>(ValueJson) ?? throw new FormatException("null");
    }

    private async Task<Existing> ExistingAsync(List<Plan> plans, CancellationToken ct)
    {
        var projectConnections = new ConcurrentDictionary<string, Dictionary<string, AppConnection>>();
        await Parallel.ForEachAsync(plans.Where(p => !p.Global && p.Target is not null).Select(p => p.Target!).Distinct(),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (projectId, token) =>
            {
                var map = new Dictionary<string, AppConnection>(StringComparer.Ordinal);
                await foreach (var c in client.AppConnections.ListAllAsync(new AppConnectionQuery { ProjectId = projectId, Scope = ConnectionScope.Project }, token))
                {
                    map.TryAdd(c.ExternalId, c);
                }
                projectConnections[projectId] = map;
            });
        var globals = new Dictionary<string, AppConnection>(StringComparer.Ordinal);
        if (plans.Any(p => p.Global))
        {
            await foreach (var c in client.GlobalConnections.ListAllAsync(null, ct))
            {
                globals.TryAdd(c.ExternalId, c);
            }
        }
        return new Existing(projectConnections, globals);
    }

    private async Task<ImportItem> ConnectionAsync(Plan plan, Existing existing, CancellationToken ct)
    {
        var row = plan.Row;
        var current = plan.Global
            ? existing.Globals.GetValueOrDefault(row.ExternalId)
            : plan.Target is not null && existing.Projects.TryGetValue(plan.Target, out var map) ? map.GetValueOrDefault(row.ExternalId) : null;
        var fingerprint = plan.Metadata[FingerprintKey]!.GetValue<string>();
        if (current?.Metadata?[FingerprintKey] is JsonValue stored && stored.GetValue<string>() == fingerprint)
        {
            return new ImportItem(Kind(row), row.Id, row.ExternalId, ImportOutcome.Unchanged);
        }
        var outcome = current is null ? ImportOutcome.Created : ImportOutcome.Updated;
        if (dryRun)
        {
            return new ImportItem(Kind(row), row.Id, row.ExternalId, outcome, WasError(row) ? ErrorPlan(row) : null);
        }
        try
        {
            AppConnection upserted;
            if (plan.Global)
            {
                upserted = await client.GlobalConnections.UpsertAsync(new UpsertGlobalConnectionRequest
                {
                    ExternalId = row.ExternalId,
                    DisplayName = row.DisplayName,
                    PieceName = row.PieceName,
                    PieceVersion = row.PieceVersion,
                    Value = plan.Value,
                    Metadata = plan.Metadata,
                    ProjectIds = plan.ProjectIds,
                    PreSelectForNewProjects = row.PreSelectForNewProjects,
                }, ct);
            }
            else
            {
                upserted = await client.AppConnections.UpsertAsync(new UpsertAppConnectionRequest
                {
                    ProjectId = plan.Target,
                    ExternalId = row.ExternalId,
                    DisplayName = row.DisplayName,
                    PieceName = row.PieceName,
                    PieceVersion = row.PieceVersion,
                    Value = plan.Value,
                    Metadata = plan.Metadata,
                }, ct);
            }
            return new ImportItem(Kind(row), row.Id, row.ExternalId, outcome, WasError(row) ? await CheckErrorAsync(row, upserted, ct) : null);
        }
        catch (PlugboardApiException e)
        {
            return new ImportItem(Kind(row), row.Id, row.ExternalId, ImportOutcome.Failed, $"{e.Code}: {CliApp.OneLine(e.Message)}");
        }
    }

    private static bool WasError(ApConnection row) => row.Status == "ERROR";

    private static bool IsOAuth(ApConnection row) => row.Type.EndsWith("OAUTH2", StringComparison.Ordinal);

    private static string ErrorPlan(ApConnection row) => IsOAuth(row)
        ? "ERROR in Activepieces: its token will be refreshed once imported, and it keeps ERROR if the provider refuses"
        : $"ERROR in Activepieces: a {row.Type} value has nothing Plugboard can check, so it would be ACTIVE";

    /// Activepieces marks a connection ERROR when its provider refused a refresh. Plugboard does not copy the flag: it
    /// asks the provider again at once, so the status is the provider's answer today (ERROR with its reason if the
    /// token is still dead; ACTIVE if the failure was passing).
    private async Task<string> CheckErrorAsync(ApConnection row, AppConnection upserted, CancellationToken ct)
    {
        if (!IsOAuth(row))
        {
            return $"ERROR in Activepieces: a {row.Type} value has nothing Plugboard can check, so it is ACTIVE";
        }
        try
        {
            var refreshed = await client.AppConnections.RefreshAsync(upserted.Id, force: true, ct);
            return refreshed.Status == ConnectionStatus.Error
                ? $"ERROR in Activepieces and still refused by the provider: ERROR ({refreshed.StatusReason})"
                : "ERROR in Activepieces, but the provider accepted a refresh now: ACTIVE";
        }
        catch (PlugboardApiException e)
        {
            return $"ERROR in Activepieces; the refresh to check it failed ({e.Code}), it will be retried by the schedule";
        }
    }

    private static string Kind(ApConnection row) => row.Scope == "PLATFORM" ? "global connection" : "connection";

    private static JsonObject? ParseObject(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Plan(ApConnection Row, bool Global, string? Target, IReadOnlyList<string> ProjectIds, ConnectionValue Value, JsonObject Metadata);

    private sealed record Existing(ConcurrentDictionary<string, Dictionary<string, AppConnection>> Projects, Dictionary<string, AppConnection> Globals);
}
