using Plugboard.Server.Outbox;

namespace Plugboard.Server.Webhooks;

/// No secret: the signing secret is shown once, by create.
public sealed record WebhookDto(string Id, DateTime Created, string Url, IReadOnlyList<string> Events);

/// Returned once, by create: the only response that carries the signing secret.
public sealed record CreatedWebhookDto(string Id, DateTime Created, string Url, IReadOnlyList<string> Events, string Secret);

public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string?>? Events);

public sealed record WebhookAttemptDto(DateTime AttemptedAt, bool Succeeded, int? HttpStatus, string? Error);

public sealed record WebhookDeliveryDto(
    string Id, DateTime Created, string EventType, string Status, int AttemptCount, DateTime? NextAttemptAt, DateTime? CompletedAt,
    IReadOnlyList<WebhookAttemptDto> Attempts);

public static class WebhookMapping
{
    public static WebhookDto ToDto(this WebhookEndpoint e) => new(e.Id, e.Created, e.Url, e.Events.Split(','));

    public static string Wire(WebhookDeliveryStatus status) => status switch
    {
        WebhookDeliveryStatus.Pending => "PENDING",
        WebhookDeliveryStatus.Delivered => "DELIVERED",
        _ => "FAILED",
    };
}
