using System.Text.Json.Serialization;

namespace Plugboard.Server.Outbox;

/// The event types an endpoint can subscribe to.
public static class WebhookEvents
{
    public const string RefreshFailed = "connection.refresh_failed";
    public const string Recovered = "connection.recovered";
    public const string Expiring = "connection.expiring";
    public const string Created = "connection.created";
    public const string Deleted = "connection.deleted";

    public static readonly string[] All = [RefreshFailed, Recovered, Expiring, Created, Deleted];
}

/// What an event says about a connection: ids, names and status only, never a value.
public sealed record ConnectionEventData(
    string ConnectionId, string ExternalId, IReadOnlyList<string> ProjectIds, string PieceName, string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);
