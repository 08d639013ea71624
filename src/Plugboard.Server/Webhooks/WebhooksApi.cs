using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Access;
using Plugboard.Server.Audit;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Data.Migrations;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth.Outbound;
using Plugboard.Server.Outbox;

namespace Plugboard.Server.Webhooks;

/// /api/v1/webhooks: the platform's auth webhook endpoints and their deliveries. Platform keys only.
public static class WebhooksApi
{
    public const int MaxEndpointsPerPlatform = 20;

    public static RouteGroupBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.PlatformKey);
        group.MapGet("/", List).WithName("ListWebhooks").WithSummary("List the platform's webhook endpoints");
        group.MapPost("/", Create).WithName("CreateWebhook").WithSummary("Register a webhook endpoint (its signing secret is shown once)");
        group.MapGet("/{id}", Get).WithName("GetWebhook").WithSummary("Get a webhook endpoint");
        group.MapDelete("/{id}", Delete).WithName("DeleteWebhook").WithSummary("Delete a webhook endpoint and its deliveries");
        group.MapGet("/{id}/deliveries", ListDeliveries).WithName("ListWebhookDeliveries")
            .WithSummary("List an endpoint's deliveries, newest first, with their attempts");
        return group;
    }

    private static async Task<Results<Ok<SeekPage<WebhookDto>>, ApiErrorResult>> List(
        Caller caller, PlugboardDb db, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, 10, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        return TypedResults.Ok(await db.WebhookEndpoints.AsNoTracking().Where(e => e.PlatformId == caller.PlatformId)
            .ToSeekPageAsync(page, rows => Task.FromResult<IReadOnlyList<WebhookDto>>([.. rows.Select(r => r.ToDto())]), ct));
    }

    private static async Task<Results<Created<CreatedWebhookDto>, ApiErrorResult>> Create(
        HttpContext http, Caller caller, PlugboardDb db, SecretProtector protector, OutboundHttp outbound, TimeProvider time, CreateWebhookRequest body, CancellationToken ct)
    {
        if (Check(body, outbound) is { } invalid)
        {
            return new ApiErrorResult(invalid);
        }
        if (await db.WebhookEndpoints.CountAsync(e => e.PlatformId == caller.PlatformId, ct) >= MaxEndpointsPerPlatform)
        {
            return new ApiErrorResult(ApiError.Validation($"A platform can register at most {MaxEndpointsPerPlatform} webhook endpoints; delete one first.", "url"));
        }
        var events = WebhookEvents.All.Where(e => body.Events!.Contains(e)).ToList();
        var secret = WebhookSigning.NewSecret();
        var endpoint = new WebhookEndpoint
        {
            Id = Ids.New(),
            PlatformId = caller.PlatformId,
            Url = body.Url!,
            Events = string.Join(',', events),
            Secret = "",
            Created = time.UtcNow(),
        };
        endpoint.Secret = protector.Protect(secret, WebhookSigning.Context(endpoint));
        db.WebhookEndpoints.Add(endpoint);
        db.Record(time, caller, "webhook.created", "webhook", endpoint.Id, null, new { endpoint.Url, endpoint.Events });
        await db.SaveChangesAsync(ct);
        // The signing secret is in this answer only: no cache may keep it.
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/webhooks/{endpoint.Id}", new CreatedWebhookDto(endpoint.Id, endpoint.Created, endpoint.Url, events, secret));
    }

    /// Absolute http(s) with no user info, and what the outbound rules refuse now is refused here too; the address
    /// guard still decides at every delivery (a name may point elsewhere later).
    private static ApiError? Check(CreateWebhookRequest body, OutboundHttp outbound)
    {
        if (Validate.Text(body.Url, "url", max: M0015_Webhooks.MaxUrlLength) is { } invalidUrl)
        {
            return invalidUrl;
        }
        if (!Uri.TryCreate(body.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return ApiError.Validation("url must be an absolute http or https URL.", "url");
        }
        if (outbound.RefusalFor(url) is { } refusal)
        {
            return ApiError.Validation($"url cannot be called: {refusal}.", "url");
        }
        if (body.Events is not { Count: > 0 } events)
        {
            return ApiError.Validation($"events must list at least one of: {string.Join(", ", WebhookEvents.All)}.", "events");
        }
        if (events.Count > WebhookEvents.All.Length * 2)
        {
            return ApiError.Validation($"events lists {events.Count} entries; there are {WebhookEvents.All.Length} event types.", "events");
        }
        if (events.Any(e => e is null || !WebhookEvents.All.Contains(e, StringComparer.Ordinal)))
        {
            var unknown = events.First(e => e is null || !WebhookEvents.All.Contains(e, StringComparer.Ordinal));
            var shown = unknown is null ? "null" : unknown.Length <= 64 ? $"'{unknown}'" : "a value";
            return ApiError.Validation($"events holds {shown}, which is not an event type; use: {string.Join(", ", WebhookEvents.All)}.", "events");
        }
        return null;
    }

    private static async Task<Results<Ok<WebhookDto>, ApiErrorResult>> Get(Caller caller, PlugboardDb db, string id, CancellationToken ct)
    {
        var endpoint = await db.WebhookEndpoints.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.PlatformId == caller.PlatformId, ct);
        return endpoint is null ? new ApiErrorResult(NotFound(id)) : TypedResults.Ok(endpoint.ToDto());
    }

    private static async Task<Results<NoContent, ApiErrorResult>> Delete(Caller caller, PlugboardDb db, TimeProvider time, string id, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await db.WebhookEndpoints.Where(e => e.Id == id && e.PlatformId == caller.PlatformId).ExecuteDeleteAsync(ct) == 0)
        {
            return new ApiErrorResult(NotFound(id));
        }
        var deliveries = db.WebhookDeliveries;
        await db.WebhookAttempts.Where(a => a.PlatformId == caller.PlatformId && deliveries.Any(d => d.Id == a.DeliveryId && d.EndpointId == id))
            .ExecuteDeleteAsync(ct);
        await db.WebhookDeliveries.Where(d => d.EndpointId == id && d.PlatformId == caller.PlatformId).ExecuteDeleteAsync(ct);
        db.Record(time, caller, "webhook.deleted", "webhook", id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<SeekPage<WebhookDeliveryDto>>, ApiErrorResult>> ListDeliveries(
        Caller caller, PlugboardDb db, string id, string? limit, string? cursor, CancellationToken ct)
    {
        if (!PageRequest.TryParse(limit, cursor, 10, out var page, out var error))
        {
            return new ApiErrorResult(error);
        }
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id && e.PlatformId == caller.PlatformId, ct))
        {
            return new ApiErrorResult(NotFound(id));
        }
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id && d.PlatformId == caller.PlatformId);
        return TypedResults.Ok(await query.ToSeekPageAsync<WebhookDelivery, WebhookDeliveryDto>(page, async rows =>
        {
            var ids = rows.Select(r => r.Id).ToList();
            var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).OrderBy(a => a.AttemptedAt).ThenBy(a => a.Id)
                .ToListAsync(ct)).ToLookup(a => a.DeliveryId);
            IReadOnlyList<WebhookDeliveryDto> dtos = [.. rows.Select(d => new WebhookDeliveryDto(d.Id, d.Created, d.EventType, WebhookMapping.Wire(d.Status), d.AttemptCount,
                d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.CompletedAt,
                [.. attempts[d.Id].Select(a => new WebhookAttemptDto(a.AttemptedAt, a.Succeeded, a.HttpStatus, a.Error))]))];
            return dtos;
        }, ct, newestFirst: true));
    }

    private static ApiError NotFound(string id) => ApiError.NotFound("webhook", id, "Webhook endpoint not found");
}
