using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth.Outbound;

namespace Plugboard.Server.OAuth;

public sealed record OAuthProviderDto(string Source, OAuthProvider Provider);

/// /api/v1/oauth-providers: the catalogue as this platform sees it (its own entries first), and the
/// platform's own entries, which extend the built-in ones or override one by name. Platform keys only.
public static partial class OAuthProvidersApi
{
    public const string BuiltInSource = "BUILT_IN";
    public const string PlatformSource = "PLATFORM";

    public static RouteGroupBuilder MapOAuthProviders(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/oauth-providers").WithTags("OAuth providers").RequireAuthorization(Policies.PlatformKey);
        group.MapGet("/", List).WithName("ListOAuthProviders").WithSummary("List the OAuth2 provider catalogue");
        group.MapPost("/", Upsert).WithName("UpsertOAuthProvider").WithSummary("Add or override a catalogue entry")
            .ProducesApiError(StatusCodes.Status409Conflict);
        group.MapDelete("/{name}", Delete).WithName("DeleteOAuthProvider").WithSummary("Delete the platform's own catalogue entry");
        return group;
    }

    private static async Task<Results<Ok<List<OAuthProviderDto>>, ApiErrorResult>> List(Caller caller, PlugboardDb db, OAuthProviderCatalogue catalogue, CancellationToken ct)
    {
        var own = await catalogue.PlatformEntriesAsync(db, caller.PlatformId, ct);
        var result = own.Select(p => new OAuthProviderDto(PlatformSource, p))
            .Concat(catalogue.BuiltIn.Where(b => own.All(o => o.Name != b.Name)).Select(p => new OAuthProviderDto(BuiltInSource, p)))
            .ToList();
        return TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<OAuthProviderDto>, ApiErrorResult>> Upsert(
        Caller caller, PlugboardDb db, OutboundHttp outbound, TimeProvider time, OAuthProvider body, CancellationToken ct)
    {
        if (Check(body, outbound) is { } invalid)
        {
            return new ApiErrorResult(invalid);
        }
        var definition = JsonSerializer.Serialize(body, JsonDefaults.Options);
        return await db.RetryOnConflictAsync(
            () => UpsertOnceAsync(caller, db, time, body, definition, ct),
            () => new ApiErrorResult(ApiError.Conflict(ErrorCodes.ConcurrentUpdate, "The provider entry was changed by other requests at the same time; retry.")),
            ct);
    }

    /// One attempt; a concurrent create of the same name makes it lose on the unique index and run again, updating it.
    private static async Task<Results<Ok<OAuthProviderDto>, ApiErrorResult>> UpsertOnceAsync(
        Caller caller, PlugboardDb db, TimeProvider time, OAuthProvider body, string definition, CancellationToken ct)
    {
        var now = time.UtcNow();
        var row = await db.OAuthProviders.FirstOrDefaultAsync(p => p.PlatformId == caller.PlatformId && p.Name == body.Name, ct);
        if (row is null)
        {
            row = new PlatformOAuthProvider { Id = Ids.New(), PlatformId = caller.PlatformId, Name = body.Name, Definition = definition, Created = now };
            db.OAuthProviders.Add(row);
        }
        row.Definition = definition;
        row.Updated = now;
        db.Record(time, caller, "oauth_provider.upserted", "oauth_provider", row.Id, null, new { body.Name });
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new OAuthProviderDto(PlatformSource, body));
    }

    private static async Task<Results<NoContent, ApiErrorResult>> Delete(Caller caller, PlugboardDb db, TimeProvider time, string name, CancellationToken ct)
    {
        var row = await db.OAuthProviders.FirstOrDefaultAsync(p => p.PlatformId == caller.PlatformId && p.Name == name, ct);
        if (row is null)
        {
            return new ApiErrorResult(ApiError.NotFound("oauth_provider", name, "No provider of this platform has that name (built-in entries cannot be deleted)."));
        }
        db.OAuthProviders.Remove(row);
        db.Record(time, caller, "oauth_provider.deleted", "oauth_provider", row.Id, null, new { row.Name });
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static ApiError? Check(OAuthProvider p, OutboundHttp outbound)
    {
        if (p.Name is null || !ProviderName().IsMatch(p.Name))
        {
            return ApiError.Validation("name must be 1–64 lower-case letters, digits, '.', '-' or '_'.", "name");
        }
        if (p.Scopes is null || p.AuthorizeParams is null || p.TokenParams is null || p.DefaultProps is null || p.Pieces is null)
        {
            return ApiError.Validation("scopes, authorizeParams, tokenParams, defaultProps and pieces may be left out, but not null.", "provider");
        }
        if (p.ClientAuthMethod is not ("HEADER" or "BODY"))
        {
            return ApiError.Validation("clientAuthMethod must be HEADER or BODY.", "clientAuthMethod");
        }
        if (p.PkceMethod is not ("S256" or "plain"))
        {
            return ApiError.Validation("pkceMethod must be S256 or plain.", "pkceMethod");
        }
        if (p.DefaultTokenLifetimeSeconds is <= 0)
        {
            return ApiError.Validation("defaultTokenLifetimeSeconds must be positive.", "defaultTokenLifetimeSeconds");
        }
        return CheckUrl(p.TokenUrl, "tokenUrl", outbound) ?? CheckUrl(p.AuthorizeUrl, "authorizeUrl", outbound);
    }

    /// Placeholders are checked with a stand-in value; the filled URL is checked again before every call.
    private static ApiError? CheckUrl(string? template, string field, OutboundHttp outbound)
    {
        if (string.IsNullOrEmpty(template))
        {
            return null;
        }
        var sample = Placeholder().Replace(template, "x");
        if (!Uri.TryCreate(sample, UriKind.Absolute, out var uri))
        {
            return ApiError.Validation($"{field} must be an absolute https URL.", field);
        }
        if (uri.Scheme is not ("https" or "http"))
        {
            return ApiError.Validation($"{field} must be an absolute https URL.", field);
        }
        // A host made of placeholders is only known once filled: it is checked then, before every call.
        var hostIsTemplated = template.Split("://", 2) is [_, var rest] && rest.Split('/')[0].Contains('{', StringComparison.Ordinal);
        return !hostIsTemplated && outbound.RefusalFor(uri) is { } refused ? ApiError.Validation(refused, field) : null;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex ProviderName();

    [GeneratedRegex(@"\{[A-Za-z0-9_]+\}")]
    private static partial Regex Placeholder();
}
