using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Plugboard.Server.Access;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Platform;

/// `Authorization: Bearer sk-...`: the key is hashed and looked up by hash, then compared in fixed time. A key found
/// is remembered as a <see cref="ReadCache{TKey,TValue}"/> entry (<see cref="KnownApiKeys"/>): a key deleted or a platform
/// disabled on this replica fails at once, on another within its time to live.
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, PlugboardDb db, KnownApiKeys known)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("Use Authorization: Bearer <api key>.");
        }
        var presented = header["Bearer ".Length..].Trim();
        if (!presented.StartsWith(ApiKeyHash.Prefix, StringComparison.Ordinal) || presented.Length > 256)
        {
            return AuthenticateResult.Fail("invalid api key");
        }
        var hash = ApiKeyHash.Hash(presented);
        if (!known.TryGet(hash, out var caller))
        {
            var generation = known.Generation;
            var match = await (
                    from key in db.ApiKeys.AsNoTracking()
                    join platform in db.Platforms on key.PlatformId equals platform.Id
                    // A disabled platform's keys fail like unknown ones, in the same statement.
                    where key.HashedValue == hash && platform.DisabledAt == null
                    select new { key.Id, key.PlatformId, key.ProjectId, key.HashedValue, platform.OwnerId })
                .FirstOrDefaultAsync(Context.RequestAborted);
            if (match is null || !ApiKeyHash.FixedTimeEquals(match.HashedValue, hash))
            {
                return AuthenticateResult.Fail("invalid api key");
            }
            caller = new Caller(
                match.PlatformId,
                match.ProjectId is null ? Caller.PlatformKeyActor : Caller.ProjectKeyActor,
                match.Id,
                match.ProjectId,
                match.OwnerId);
            known.Remember(hash, generation, caller);
        }
        var identity = new ClaimsIdentity(caller.ToClaims(), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        new ApiErrorResult(ApiError.Authentication("A valid API key is required: Authorization: Bearer sk-...")).ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        new ApiErrorResult(ApiError.Authorization("This route needs a platform API key.")).ExecuteAsync(Context);
}
