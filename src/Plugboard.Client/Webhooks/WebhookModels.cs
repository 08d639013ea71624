namespace Plugboard.Client;

/// <summary>The event types a webhook endpoint can subscribe to.</summary>
public static class WebhookEventTypes
{
    /// <summary>A refresh failed for good: the connection is ERROR, with the reason.</summary>
    public const string RefreshFailed = "connection.refresh_failed";

    /// <summary>An ERROR connection is ACTIVE again (new credentials were stored).</summary>
    public const string Recovered = "connection.recovered";

    /// <summary>An OAuth2 token with no refresh token dies within 24 hours.</summary>
    public const string Expiring = "connection.expiring";

    /// <summary>A connection was created.</summary>
    public const string Created = "connection.created";

    /// <summary>A connection was deleted.</summary>
    public const string Deleted = "connection.deleted";
}

/// <summary>A webhook endpoint as lists show it: never its signing secret.</summary>
/// <param name="Id">The endpoint's id.</param>
/// <param name="Created">When it was registered.</param>
/// <param name="Url">Where events are posted.</param>
/// <param name="Events">The event types it receives.</param>
public sealed record Webhook(string Id, DateTimeOffset Created, string Url, IReadOnlyList<string> Events);

/// <summary>An endpoint just registered: the one answer that carries its signing secret. <see cref="ToString"/> never prints it.</summary>
/// <param name="Id">The endpoint's id.</param>
/// <param name="Created">When it was registered.</param>
/// <param name="Url">Where events are posted.</param>
/// <param name="Events">The event types it receives.</param>
/// <param name="Secret">The signing secret (<c>whsec_</c> + base64), shown this once: store it now.</param>
public sealed record CreatedWebhook(string Id, DateTimeOffset Created, string Url, IReadOnlyList<string> Events, string Secret)
{
    /// <summary>Everything but the secret.</summary>
    public override string ToString() =>
        $"CreatedWebhook {{ Id = {Id}, Created = {Created}, Url = {Url}, Events = [{string.Join(", ", Events)}], Secret = <redacted> }}";
}

/// <summary>A new webhook endpoint.</summary>
public sealed record CreateWebhookRequest
{
    /// <summary>Where events are posted: an absolute https URL (http only for hosts the server allows).</summary>
    public required string Url { get; init; }

    /// <summary>The event types it receives (see <see cref="WebhookEventTypes"/>); at least one.</summary>
    public required IReadOnlyList<string> Events { get; init; }
}

/// <summary>Paging of <see cref="WebhooksClient.ListAsync"/> and <see cref="WebhooksClient.ListDeliveriesAsync"/>.</summary>
public sealed record WebhookQuery
{
    /// <summary>Rows per page, 1 to 100 (the server's default when null).</summary>
    public int? Limit { get; init; }
}

/// <summary>One event sent (or being sent) to an endpoint.</summary>
/// <param name="Id">The delivery's id, sent as the <c>webhook-id</c> header (the same on every attempt).</param>
/// <param name="Created">When the event happened.</param>
/// <param name="EventType">Its event type.</param>
/// <param name="Status">PENDING, DELIVERED or FAILED (given up after a day of retries).</param>
/// <param name="AttemptCount">How many attempts were made.</param>
/// <param name="NextAttemptAt">When it is next tried, while PENDING.</param>
/// <param name="CompletedAt">When it was delivered or given up.</param>
/// <param name="Attempts">Each attempt, oldest first.</param>
public sealed record WebhookDelivery(
    string Id, DateTimeOffset Created, string EventType, string Status, int AttemptCount, DateTimeOffset? NextAttemptAt, DateTimeOffset? CompletedAt,
    IReadOnlyList<WebhookAttempt> Attempts);

/// <summary>One try at a delivery.</summary>
/// <param name="AttemptedAt">When it was made.</param>
/// <param name="Succeeded">Whether the receiver answered 2xx.</param>
/// <param name="HttpStatus">The receiver's status; null when no answer came.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record WebhookAttempt(DateTimeOffset AttemptedAt, bool Succeeded, int? HttpStatus, string? Error);
