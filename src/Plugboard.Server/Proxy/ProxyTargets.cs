using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Engine;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth;
using Plugboard.Server.Pieces;

namespace Plugboard.Server.Proxy;

/// Where a proxied call goes and what it carries: the base URL the server fixes (the connection's definition, the
/// registered piece's auth, or the OAuth provider catalogue, in that order) and the credential injected by type.
public sealed record ProxyTarget(AppConnection Connection, string BaseUrl, IReadOnlyList<KeyValuePair<string, string>> Headers,
    IReadOnlyList<KeyValuePair<string, string>> Query);

public sealed partial class ProxyTargets(
    PlugboardDb db, SecretProtector protector, TokenRefresher refresher, OAuthProviderCatalogue catalogue, ProxyTargetCache cache, TimeProvider time)
{
    /// The connection a project means by the externalId, fresh (an OAuth2 token due is refreshed first, as the engine read
    /// does; `forceRefresh` refreshes it regardless, after an upstream 401), as a target; or the error to answer instead.
    /// `embeddedOnly` (an embedded user's call): connections not marked for embedded use do not exist.
    public async Task<Outcome<ProxyTarget>> ResolveAsync(ProxyCall call, bool forceRefresh, CancellationToken ct)
    {
        var key = new ProxyTargetCache.Key(call.PlatformId, call.ProjectId, call.ExternalId, call.EmbeddedOnly, call.TestRun);
        if (!forceRefresh && cache.TryGet(key, out var known))
        {
            return known;
        }
        var generation = cache.Generation;
        var resolved = await ResolveFreshAsync(key, forceRefresh, ct);
        if (resolved.TryGetValue(out var target, out _))
        {
            // After a refresh the generation has moved on, so that target is not kept: the next call reads the stored row.
            cache.Remember(key, generation, target);
        }
        return resolved;
    }

    private async Task<Outcome<ProxyTarget>> ResolveFreshAsync(ProxyTargetCache.Key key, bool forceRefresh, CancellationToken ct)
    {
        var (platformId, projectId, externalId, embeddedOnly, testRun) = key;
        var candidates = (await EngineConnections.CandidatesAsync(db, platformId, projectId, externalId, ct)).Where(c => !embeddedOnly || c.Embedded).ToList();
        var row = candidates.FirstOrDefault(c => c.Status != ConnectionStatus.Missing && c.Scope == ConnectionScope.Project)
            ?? candidates.FirstOrDefault(c => c.Status != ConnectionStatus.Missing)
            ?? candidates.FirstOrDefault();
        if (row is null)
        {
            return EngineConnections.NotFound(externalId);
        }
        if (forceRefresh && row.IsOAuth)
        {
            row = (await refresher.RefreshAsync(row.Id, force: true, ct)).Connection ?? row;
        }
        else
        {
            row = await EngineConnections.FreshAsync(refresher, time, row, ct) ?? row;
        }
        if (row.Status != ConnectionStatus.Active)
        {
            return ApiError.Conflict(ErrorCodes.ConnectionNotUsable,
                $"Connection '{externalId}' is {WireEnum<ConnectionStatus>.Name(row.Status)}{(row.StatusReason is null ? "" : $": {row.StatusReason}")}: nothing was sent.",
                ("status", WireEnum<ConnectionStatus>.Name(row.Status)));
        }
        var definition = row.DefinitionId is null ? null : await db.ConnectionDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == row.DefinitionId, ct);
        if (embeddedOnly && definition is { Embedded: false })
        {
            return EngineConnections.NotFound(externalId);
        }
        var value = InheritedValues.ParseObject(protector.EffectiveValueOf(row, definition, testRun));
        var auth = await PieceAuthAsync(row, ct);
        var baseUrl = definition?.ProxyBaseUrl ?? auth?.BaseUrl ?? await ProviderBaseAsync(row, value, ct);
        if (baseUrl is null)
        {
            return ApiError.Validation(
                $"No API base URL is known for '{externalId}' ({row.PieceName}): declare one as the connection definition's proxyBaseUrl, " +
                "the piece's auth baseUrl (POST /api/v1/pieces), or the OAuth provider's apiBaseUrl.");
        }
        return Inject(row, value, auth).TryGetValue(out var credential, out var refused)
            ? new ProxyTarget(row, baseUrl, credential.Headers, credential.Query)
            : refused;
    }

    private sealed record Credential(List<KeyValuePair<string, string>> Headers, List<KeyValuePair<string, string>> Query);

    /// The credential by type: OAuth2 kinds and SECRET_TEXT as a bearer token, BASIC_AUTH as Basic, and whatever the
    /// piece's auth declares (headers and query parameters from templates such as `{{props.api_key}}`) instead.
    private static Outcome<Credential> Inject(AppConnection row, JsonObject value, PieceAuthDefinition? auth)
    {
        var credential = new Credential([], []);
        if (auth?.Headers is { Count: > 0 } || auth?.Query is { Count: > 0 })
        {
            foreach (var (name, template) in auth.Headers ?? new Dictionary<string, string>())
            {
                if (Fill(template, value) is not { } filled)
                {
                    return Unfillable(row, name);
                }
                credential.Headers.Add(new(name, filled));
            }
            foreach (var (name, template) in auth.Query ?? new Dictionary<string, string>())
            {
                if (Fill(template, value) is not { } filled)
                {
                    return Unfillable(row, name);
                }
                credential.Query.Add(new(name, filled));
            }
            return credential;
        }
        switch (row.Type)
        {
            case ConnectionType.OAuth2 or ConnectionType.CloudOAuth2 or ConnectionType.PlatformOAuth2 when Text(value, "access_token") is { } token:
                credential.Headers.Add(new("Authorization", $"Bearer {token}"));
                break;
            case ConnectionType.SecretText when Text(value, "secret_text") is { } secret:
                credential.Headers.Add(new("Authorization", $"Bearer {secret}"));
                break;
            case ConnectionType.BasicAuth:
                var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Text(value, "username")}:{Text(value, "password")}"));
                credential.Headers.Add(new("Authorization", $"Basic {basic}"));
                break;
            case ConnectionType.NoAuth:
                break;
            default:
                return ApiError.Validation(
                    $"The piece {row.PieceName} declares no way to send a {WireEnum<ConnectionType>.Name(row.Type)} credential: give its auth headers or query templates (POST /api/v1/pieces).");
        }
        return credential.Headers.Any(h => !SafeHeaderValue(h.Value)) ? Unfillable(row, "Authorization") : credential;
    }

    /// `{{props.x}}`, `{{x}}`: each placeholder from the value; null when one is missing or the result is not one safe line.
    private static string? Fill(string template, JsonObject value)
    {
        var missing = false;
        var filled = Placeholder().Replace(template, m =>
        {
            var path = m.Groups[1].Value.Split('.');
            JsonNode? node = value;
            foreach (var part in path)
            {
                node = node is JsonObject o ? o[part] : null;
            }
            if (node is JsonValue v && v.TryGetValue<string>(out var s))
            {
                return s;
            }
            missing = true;
            return "";
        });
        return missing || !SafeHeaderValue(filled) ? null : filled;
    }

    private static bool SafeHeaderValue(string value) => value.AsSpan().IndexOfAny('\r', '\n', '\0') < 0;

    private static ApiError Unfillable(AppConnection row, string name) => ApiError.Validation(
        $"The credential of '{row.ExternalId}' cannot fill '{name}' (a value is missing or not one line): nothing was sent.");

    private static string? Text(JsonObject value, string field) => value[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private async Task<PieceAuthDefinition?> PieceAuthAsync(AppConnection row, CancellationToken ct)
    {
        var versions = await PieceRegistry.VersionsAsync(db, row.PlatformId, row.PieceName, ct);
        var chosen = PieceRegistry.Pick(versions, row.PieceVersion);
        if (chosen is null)
        {
            return null;
        }
        var wire = WireEnum<ConnectionType>.Name(row.Type);
        return PieceRegistry.Deserialize(chosen.Metadata).Auth?.FirstOrDefault(a => a.Type == wire || (a.Type == "OAUTH2" && row.IsOAuth));
    }

    /// An OAuth2 connection's provider's API base, its {placeholders} filled from the connection's props.
    private async Task<string?> ProviderBaseAsync(AppConnection row, JsonObject value, CancellationToken ct)
    {
        if (!row.IsOAuth)
        {
            return null;
        }
        var provider = await catalogue.ResolveAsync(db, row.PlatformId, Text(value, "provider"), row.PieceName, ct);
        if (provider?.ApiBaseUrl is not { } template)
        {
            return null;
        }
        var props = value["props"] as JsonObject ?? [];
        var filled = Braces().Replace(template, m => props[m.Groups[1].Value] is JsonValue v && v.TryGetValue<string>(out var s) ? Uri.EscapeDataString(s) : m.Value);
        return ProxyBase.IsValid(filled) && !filled.Contains('{', StringComparison.Ordinal) ? filled : null;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Braces();
}
