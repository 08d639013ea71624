using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.OAuth;

/// One refresh, run by the holder of the connection's lease: call the provider (outside any
/// transaction), then write back by compare-and-swap. Failures follow the taxonomy: a dead grant turns
/// the connection to ERROR, anything else backs off and keeps it ACTIVE.
public sealed partial class LeasedRefresh(
    PlugboardDb db, SecretProtector protector, OAuthProviderCatalogue catalogue, TokenUrls tokenUrls, TokenEndpoint endpoint,
    RefreshOptions options, TimeProvider time, ILogger<LeasedRefresh> logger)
{
    private const int MaxWriteAttempts = 3;

    public async Task<RefreshOutcome> RunAsync(AppConnection row, bool force, CancellationToken ct)
    {
        string plaintext;
        string? globals;
        try
        {
            plaintext = protector.Unprotect(row.Value, ConnectionSecrets.ValueContext(row.PlatformId, row.Id));
            globals = await GlobalsAsync(row, ct);
        }
        catch (SecretDecryptionException)
        {
            // Our problem, not the provider's: back off like a transient failure, so one unreadable row cannot starve the scan.
            return await BackOffAsync(row, new TokenFailure(TokenFailureKind.Transient, "decryption_failed",
                "The stored value cannot be decrypted with the configured keys (PLUGBOARD_ENCRYPTION_KEY)."), ct);
        }
        // A connection made from a definition refreshes with the values it inherits (its client id and secret, as they are now).
        var value = OAuthValue.Parse(globals is null ? plaintext : InheritedValues.Effective(globals, plaintext));
        var provider = await catalogue.ResolveAsync(db, row.PlatformId, value.Provider, row.PieceName, ct)
            ?? await catalogue.ResolveAsync(db, row.PlatformId, OAuthProviderCatalogue.Generic, row.PieceName, ct);
        var now = time.UtcNow();

        if (!value.CanRenew)
        {
            var schedule = TokenSchedule.For(value, provider!, now, options);
            if (now < schedule.ExpiresAt)
            {
                await RefreshWrites.RescheduleAsync(db, row, schedule, ct);
                return new RefreshOutcome(RefreshResult.NotDue, await ReadAsync(row.Id, ct));
            }
            return await FailAsync(row, $"The access token expired at {schedule.ExpiresAt:O} and the provider issued no refresh token: reconnect.", "no_refresh_token", ct);
        }
        if (!force && row.NextRefreshAt is null)
        {
            var schedule = TokenSchedule.For(value, provider!, now, options);
            if (now < schedule.NextRefreshAt)
            {
                await RefreshWrites.RescheduleAsync(db, row, schedule, ct);
                return new RefreshOutcome(RefreshResult.NotDue, await ReadAsync(row.Id, ct));
            }
        }

        var (grant, problem) = await GrantAsync(row, value, provider!, ct);
        if (problem is not null)
        {
            return await FailAsync(row, problem, "misconfigured", ct);
        }
        var (tokens, failure) = await endpoint.RequestAsync(grant!, ct);
        if (failure is null)
        {
            return await StoreAsync(row, plaintext, globals, value, TokenEndpoint.Format(tokens!, time.GetUtcNow().ToUnixTimeSeconds()), provider!, ct);
        }
        if (failure.Kind == TokenFailureKind.Permanent)
        {
            // Before calling it dead: if newer credentials were stored meanwhile, this was a lost race, not a revocation.
            var current = await ReadAsync(row.Id, ct);
            if (current is null || current.Version != row.Version)
            {
                return new RefreshOutcome(RefreshResult.RefreshedElsewhere, current);
            }
            if (row.RefreshIndeterminateAt is not null && RotationCanExplain(failure))
            {
                // The previous attempt's answer was lost, so the provider may have rotated the token we hold: one more
                // try after a back-off (this refusal settles the doubt), and ERROR only if the grant is refused again.
                Log.RefusedAfterLostAnswer(logger, row.Id, failure.Error);
                return await BackOffAsync(row, failure with { Description = "refused after an attempt whose answer was lost; ERROR if refused again" }, ct,
                    settled: true);
            }
            return await FailAsync(row, $"Refresh refused by the provider ({failure.Message}): reconnect.", failure.Error, ct);
        }
        return await BackOffAsync(row, failure, ct);
    }

    private async Task<(TokenGrant?, string?)> GrantAsync(AppConnection row, OAuthValue value, OAuthProvider provider, CancellationToken ct)
    {
        if (value.ClientId is not { } clientId)
        {
            return (null, "The stored value has no client_id to refresh with: reconnect.");
        }
        var secret = value.ClientSecret;
        if (row.Type == ConnectionType.PlatformOAuth2)
        {
            var app = await db.OAuthApps.AsNoTracking()
                .FirstOrDefaultAsync(a => a.PlatformId == row.PlatformId && a.PieceName == row.PieceName && a.ClientId == clientId, ct);
            if (app is null)
            {
                return (null, $"The platform OAuth app for {row.PieceName} is no longer registered: register it again, then reconnect.");
            }
            secret = protector.Unprotect(app.ClientSecret, OAuthAppSecrets.Context(app));
        }
        if (!tokenUrls.Resolve(value, provider).TryGetValue(out var tokenUrl, out var error))
        {
            return (null, $"The token URL cannot be used: {error.Detail}");
        }
        if (!value.IsClientCredentials)
        {
            return (OAuthGrants.Refresh(tokenUrl, value, provider, clientId, secret), null);
        }
        return OAuthGrants.ClientCredentials(tokenUrl, value, provider, clientId, secret);
    }

    /// The response's fields over the stored ones: a response without refresh_token keeps the old one,
    /// client and props stay as they were. Written by compare-and-swap; a version moved by a rename or a
    /// rewrap (same credentials) is retried, new credentials from an upsert win.
    private async Task<RefreshOutcome> StoreAsync(
        AppConnection row, string plaintext, string? globals, OAuthValue value, System.Text.Json.Nodes.JsonObject formatted, OAuthProvider provider, CancellationToken ct)
    {
        var merged = value.Json.DeepClone().AsObject();
        foreach (var (key, node) in formatted)
        {
            merged[key] = node?.DeepClone();
        }
        var next = new OAuthValue(merged);
        var now = time.UtcNow();
        var schedule = TokenSchedule.For(next, provider, now, options);
        // What it inherits stays the definition's: the row keeps its own part only.
        var stored = globals is null ? next.ToJsonString() : InheritedValues.Stored(globals, next.ToJsonString());
        var ciphertext = protector.Protect(stored, ConnectionSecrets.ValueContext(row.PlatformId, row.Id));
        var version = row.Version;
        for (var attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            if (await RefreshWrites.StoreTokensAsync(db, row, version, ciphertext, schedule, now, ct))
            {
                Log.Refreshed(logger, row.Id);
                return new RefreshOutcome(RefreshResult.Refreshed, await ReadAsync(row.Id, ct));
            }
            var current = await ReadAsync(row.Id, ct);
            if (current is null || current.Status == ConnectionStatus.Error ||
                protector.Unprotect(current.Value, ConnectionSecrets.ValueContext(row.PlatformId, row.Id)) != plaintext)
            {
                Log.NewerCredentialsWon(logger, row.Id);
                return new RefreshOutcome(RefreshResult.RefreshedElsewhere, current);
            }
            version = current.Version;
        }
        Log.NewerCredentialsWon(logger, row.Id);
        return new RefreshOutcome(RefreshResult.RefreshedElsewhere, await ReadAsync(row.Id, ct));
    }

    /// The global values of the definition the connection is made from, in plain text; null for a self-contained one.
    private async Task<string?> GlobalsAsync(AppConnection row, CancellationToken ct)
    {
        if (row.DefinitionId is null)
        {
            return null;
        }
        var definition = await db.ConnectionDefinitions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == row.DefinitionId, ct);
        return definition is null ? null : protector.GlobalsOf(definition);
    }

    /// The refusals a rotated refresh token gets; invalid_client and the like say nothing about a lost answer.
    private static bool RotationCanExplain(TokenFailure failure) =>
        failure.Error is "invalid_grant" or "invalid_refresh_token" or "bad_refresh_token";

    /// Transient: keep ACTIVE, wait (doubling from the cooldown, honouring Retry-After), count at most one
    /// failing day per calendar day, and give up to ERROR only after GiveUpAfterDays of them. A lost answer is
    /// remembered until a determinate one (`settled`, or a success) replaces it.
    private async Task<RefreshOutcome> BackOffAsync(AppConnection row, TokenFailure failure, CancellationToken ct, bool settled = false)
    {
        var now = time.UtcNow();
        var indeterminateAt = failure.AnswerLost ? now : settled ? null : row.RefreshIndeterminateAt;
        if (failure.AnswerLost)
        {
            Log.AnswerLost(logger, row.Id, failure.Error);
        }
        var failures = row.RefreshFailureCount + 1;
        var days = row.RefreshFailureDays + (row.LastRefreshFailureAt?.Date == now.Date ? 0 : 1);
        Log.TransientFailure(logger, row.Id, failure.Error, failures);
        if (days >= options.GiveUpAfterDays)
        {
            return await FailAsync(row, $"Refresh has failed on {days} different days; last error: {failure.Message}. Reconnect.", failure.Error, ct);
        }
        var backoff = options.Cooldown * Math.Pow(2, Math.Min(failures - 1, 16));
        if (failure.RetryAfter is { } retryAfter && retryAfter > backoff)
        {
            backoff = retryAfter;
        }
        backoff = (backoff < options.MaxBackoff ? backoff : options.MaxBackoff) * (0.9 + Random.Shared.NextDouble() * 0.2);
        var retryAt = now + backoff;
        await RefreshWrites.RecordTransientAsync(db, row, failures, days, retryAt,
            $"Refresh failed ({failure.Message}); retrying at {retryAt:O}.", indeterminateAt, now, ct);
        return new RefreshOutcome(RefreshResult.TransientFailure, await ReadAsync(row.Id, ct), failure.Message);
    }

    private async Task<RefreshOutcome> FailAsync(AppConnection row, string reason, string error, CancellationToken ct)
    {
        var now = time.UtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await RefreshWrites.MarkErrorAsync(db, row, reason, now, ct))
        {
            return new RefreshOutcome(RefreshResult.RefreshedElsewhere, await ReadAsync(row.Id, ct));
        }
        db.Record(time, row.PlatformId, AuditLog.SystemActor, "token-refresher", "connection.refresh_failed", "app_connection", row.Id,
            row.Scope == ConnectionScope.Project ? row.ScopeKey : null, new { row.ExternalId, error });
        await db.AddEventAsync(time, row, WebhookEvents.RefreshFailed, ct, ConnectionStatus.Error, reason);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        Log.MarkedError(logger, row.Id, error);
        return new RefreshOutcome(RefreshResult.Failed, await ReadAsync(row.Id, ct), reason);
    }

    private Task<AppConnection?> ReadAsync(string id, CancellationToken ct) =>
        db.AppConnections.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Refreshed the tokens of connection {ConnectionId}")]
        public static partial void Refreshed(ILogger logger, string connectionId);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Refresh of connection {ConnectionId} failed transiently ({Error}), failure {Failures} in a row")]
        public static partial void TransientFailure(ILogger logger, string connectionId, string error, int failures);

        [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Connection {ConnectionId} is now ERROR ({Error})")]
        public static partial void MarkedError(ILogger logger, string connectionId, string error);

        [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "The answer to a refresh of connection {ConnectionId} was lost ({Error}); the next refusal is retried once")]
        public static partial void AnswerLost(ILogger logger, string connectionId, string error);

        [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Refresh of connection {ConnectionId} refused ({Error}) after a lost answer; retrying once before ERROR")]
        public static partial void RefusedAfterLostAnswer(ILogger logger, string connectionId, string error);

        [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Refreshed tokens of connection {ConnectionId} were discarded: newer credentials were stored meanwhile")]
        public static partial void NewerCredentialsWon(ILogger logger, string connectionId);
    }
}
