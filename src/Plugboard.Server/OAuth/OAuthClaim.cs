using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.OAuth;

/// The OAuth2 step of an upsert: exchange the code (or run the client_credentials grant) for tokens,
/// or accept tokens already issued, and work out the token's schedule. Failed exchanges are 400
/// INVALID_CLAIM with the provider's error code and description only.
public sealed class OAuthClaim(
    PlugboardDb db, SecretProtector protector, OAuthProviderCatalogue catalogue, TokenEndpoint endpoint, TokenUrls tokenUrls,
    RefreshOptions options, TimeProvider time) : IConnectionClaim
{
    private static readonly string[] OneTimeFields = ["code", "code_challenge"];

    public async Task<Outcome<ClaimedValue>> CompleteAsync(string platformId, string pieceName, ConnectionType type, string valueJson, CancellationToken ct)
    {
        if (type is not (ConnectionType.OAuth2 or ConnectionType.CloudOAuth2 or ConnectionType.PlatformOAuth2))
        {
            return new ClaimedValue(valueJson);
        }
        var value = OAuthValue.Parse(valueJson);
        var provider = await catalogue.ResolveAsync(db, platformId, value.Provider, pieceName, ct);
        if (provider is null)
        {
            return Invalid($"value.provider names no provider of the catalogue (GET /api/v1/oauth-providers lists them).", "value.provider");
        }
        if (value.AccessToken is not null)
        {
            return PreClaimed(value, provider);
        }
        if (type == ConnectionType.CloudOAuth2)
        {
            return Invalid("CLOUD_OAUTH2 accepts pre-claimed tokens only (access_token, refresh_token, expires_in, claimed_at): Plugboard calls no third-party claim service.",
                "value.access_token");
        }
        return await ClaimAsync(platformId, pieceName, type, value, provider, ct);
    }

    private Outcome<ClaimedValue> PreClaimed(OAuthValue value, OAuthProvider provider)
    {
        if (value.TokenUrl is { } tokenUrl && tokenUrls.Check(tokenUrl) is { } refused)
        {
            return Invalid(refused, "value.token_url");
        }
        foreach (var field in OneTimeFields)
        {
            value.Json.Remove(field);
        }
        return Scheduled(value.ToJsonString(), TokenSchedule.For(value, provider, time.UtcNow(), options));
    }

    private async Task<Outcome<ClaimedValue>> ClaimAsync(string platformId, string pieceName, ConnectionType type, OAuthValue value, OAuthProvider provider, CancellationToken ct)
    {
        if (value.ClientId is not { } clientId)
        {
            return Invalid("value.client_id is required to claim a code.", "value.client_id");
        }
        var authorizationCode = !(value.IsClientCredentials && type == ConnectionType.OAuth2);
        if (authorizationCode && (value.Code is null || value.RedirectUrl is null))
        {
            return Invalid("value.code and value.redirect_url are required to claim an authorization code.", value.Code is null ? "value.code" : "value.redirect_url");
        }
        var secret = await ClientSecretAsync(platformId, pieceName, type, value, ct);
        if (!secret.Succeeded)
        {
            return secret.Error;
        }
        if (!tokenUrls.Resolve(value, provider).TryGetValue(out var tokenUrl, out var urlError))
        {
            return urlError;
        }
        TokenGrant grant;
        if (!authorizationCode)
        {
            var (minted, scopeError) = OAuthGrants.ClientCredentials(tokenUrl, value, provider, clientId, secret.Value);
            if (scopeError is not null)
            {
                return Invalid(scopeError, "value.props");
            }
            grant = minted!;
        }
        else
        {
            value.Json["grant_type"] = OAuthValue.AuthorizationCode;
            grant = OAuthGrants.Exchange(tokenUrl, value, provider, clientId, secret.Value);
        }

        var (tokens, failure) = await endpoint.RequestAsync(grant, ct);
        if (failure is not null)
        {
            return ApiError.BadRequest(ErrorCodes.InvalidClaim, $"The provider refused the claim: {failure.Message}",
                ("error", failure.Error), ("clientId", clientId), ("tokenUrl", tokenUrl!.ToString()), ("redirectUrl", value.RedirectUrl));
        }
        var stored = Merge(TokenEndpoint.Format(tokens!, time.GetUtcNow().ToUnixTimeSeconds()), value, type, tokenUrl!);
        var storedValue = new OAuthValue(stored);
        return Scheduled(stored.ToJsonString(), TokenSchedule.For(storedValue, provider, time.UtcNow(), options));
    }

    /// The request's own fields are kept (its scope wins over the response's, as in the reference), except
    /// the one-time code and verifier. PLATFORM_OAUTH2 never stores the app's secret: refresh looks it up.
    private static JsonObject Merge(JsonObject tokens, OAuthValue request, ConnectionType type, Uri tokenUrl)
    {
        foreach (var (key, node) in request.Json)
        {
            if (!OneTimeFields.Contains(key) && !(key == "client_secret" && type == ConnectionType.PlatformOAuth2) && node is not null)
            {
                tokens[key] = node.DeepClone();
            }
        }
        tokens["token_url"] = tokenUrl.ToString();
        return tokens;
    }

    private async Task<Outcome<string>> ClientSecretAsync(string platformId, string pieceName, ConnectionType type, OAuthValue value, CancellationToken ct)
    {
        if (type == ConnectionType.OAuth2)
        {
            return value.ClientSecret is { } secret
                ? secret
                : ApiError.Validation("value.client_secret is required to claim an OAUTH2 code.", "value.client_secret");
        }
        var app = await db.OAuthApps.AsNoTracking()
            .FirstOrDefaultAsync(a => a.PlatformId == platformId && a.PieceName == pieceName && a.ClientId == value.ClientId, ct);
        return app is null
            ? ApiError.Validation(
                $"No OAuth app is registered for piece {pieceName} with this client_id: register it with POST /api/v1/oauth-apps.", "value.client_id")
            : protector.Unprotect(app.ClientSecret, OAuthAppSecrets.Context(app));
    }

    private static ApiError Invalid(string message, string field) => ApiError.Validation(message, field);

    private static ClaimedValue Scheduled(string valueJson, TokenSchedule schedule) => new(valueJson, schedule.ExpiresAt, schedule.NextRefreshAt);
}
