using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Server.Embedding;

/// /api/v1/signing-keys: the keys a SaaS signs its users' external tokens with. Platform keys only.
public static class SigningKeysApi
{
    public static RouteGroupBuilder MapSigningKeys(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/signing-keys").WithTags("Signing keys").RequireAuthorization(Policies.PlatformKey);
        group.MapGet("/", List).WithName("ListSigningKeys").WithSummary("List signing keys");
        group.MapPost("/", Create).WithName("CreateSigningKey").WithSummary("Register or generate a signing key");
        group.MapDelete("/{id}", Delete).WithName("DeleteSigningKey").WithSummary("Delete a signing key");
        return group;
    }

    private static async Task<Results<Ok<SeekPage<SigningKeyDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, 10, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        var query = db.SigningKeys.AsNoTracking().Where(k => k.PlatformId == caller.PlatformId);
        return TypedResults.Ok(await query.ToSeekPageAsync(page, rows => Task.FromResult<IReadOnlyList<SigningKeyDto>>(rows.Select(SigningKeyDto.From).ToList()), ct));
    }

    /// With a public key: registers the SaaS's own key. Without: generates a pair and returns the private key once.
    private static async Task<Results<Created<CreatedSigningKeyDto>, ApiErrorResult>> Create(
        HttpContext http, Caller caller, PlugboardDb db, TimeProvider time, CreateSigningKeyRequest body, CancellationToken ct)
    {
        var invalid = Validate.FirstError(
            Validate.Text(body.DisplayName, "displayName"),
            Validate.Text(body.Issuer, "issuer", required: false),
            Validate.Text(body.Audience, "audience", required: false));
        if (invalid is not null)
        {
            return new ApiErrorResult(invalid);
        }
        string publicPem;
        string? privatePem = null;
        if (body.PublicKey is null)
        {
            (publicPem, privatePem) = SigningKeyPem.Generate();
        }
        else
        {
            var (pem, problem) = SigningKeyPem.ReadPublic(body.PublicKey);
            if (pem is null)
            {
                return new ApiErrorResult(ApiError.Validation(problem!, "publicKey"));
            }
            publicPem = pem;
        }
        var key = new SigningKey
        {
            Id = Ids.New(),
            PlatformId = caller.PlatformId,
            DisplayName = body.DisplayName!,
            PublicKey = publicPem,
            Issuer = body.Issuer,
            Audience = body.Audience,
            Created = time.UtcNow(),
        };
        db.SigningKeys.Add(key);
        db.Record(time, caller, "signing_key.created", "signing_key", key.Id, null, new { key.DisplayName, Generated = privatePem is not null });
        await db.SaveChangesAsync(ct);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/signing-keys/{key.Id}", new CreatedSigningKeyDto(
            key.Id, key.Created, key.PlatformId, key.DisplayName, key.PublicKey, "RS256", key.Issuer, key.Audience, privatePem));
    }

    private static async Task<Results<NoContent, ApiErrorResult>> Delete(Caller caller, PlugboardDb db, TimeProvider time, string id, CancellationToken ct)
    {
        var deleted = await db.SigningKeys.Where(k => k.Id == id && k.PlatformId == caller.PlatformId).ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            return new ApiErrorResult(ApiError.NotFound("signing_key", id, "Signing key not found"));
        }
        db.Record(time, caller, "signing_key.deleted", "signing_key", id);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }
}
