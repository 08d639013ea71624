using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Data.Migrations;
using Plugboard.Server.Http;

namespace Plugboard.Server.Outbox;

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
}

/// One event for one endpoint: written in the transaction of the change it reports (the outbox), then delivered by
/// whichever replica holds its lease, retried until it is delivered or a day has passed.
public sealed class WebhookDelivery : ISeekable
{
    /// Also the `webhook-id` header: the same on every attempt, so a receiver can drop a repeat.
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string EndpointId { get; init; }
    public required string EventType { get; init; }
    /// The JSON body sent, exactly; holds names and ids, never a secret.
    public required string Payload { get; init; }
    /// Set for events a scan finds (connection.expiring): unique per endpoint, so a scan repeated writes it once.
    public string? DedupeKey { get; init; }
    public WebhookDeliveryStatus Status { get; set; }
    public int AttemptCount { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime Created { get; init; }
    public DateTime? CompletedAt { get; set; }
}

/// One try at a delivery: what the receiver answered (or why there was no answer).
public sealed class WebhookAttempt
{
    public required string Id { get; init; }
    public required string DeliveryId { get; init; }
    public required string PlatformId { get; init; }
    public DateTime AttemptedAt { get; init; }
    /// Null when no HTTP answer came (refused by the guard, timeout, connection error).
    public int? HttpStatus { get; init; }
    public string? Error { get; init; }
    public bool Succeeded { get; init; }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("webhook_deliveries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.EndpointId).HasColumnName("endpoint_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.EventType).HasColumnName("event_type").HasMaxLength(Lengths.Id);
        b.Property(x => x.Payload).HasColumnName("payload").HasMaxLength(M0015_Webhooks.MaxPayloadLength);
        b.Property(x => x.DedupeKey).HasColumnName("dedupe_key").HasMaxLength(Lengths.Name);
        b.Property(x => x.Status).HasColumnName("status").HasMaxLength(Lengths.Enum).HasConversion<string>();
        b.Property(x => x.AttemptCount).HasColumnName("attempt_count");
        b.Property(x => x.NextAttemptAt).HasColumnName("next_attempt_at");
        b.Property(x => x.LeaseOwner).HasColumnName("lease_owner").HasMaxLength(Lengths.Id);
        b.Property(x => x.LeaseUntil).HasColumnName("lease_until");
        b.Property(x => x.Created).HasColumnName("created");
        b.Property(x => x.CompletedAt).HasColumnName("completed_at");
        b.HasIndex(x => new { x.Status, x.NextAttemptAt }).HasDatabaseName("ix_webhook_deliveries_due");
        b.HasIndex(x => new { x.EndpointId, x.Created, x.Id }).HasDatabaseName("ix_webhook_deliveries_endpoint_created");
        b.HasIndex(x => new { x.EndpointId, x.DedupeKey }).IsUnique().HasDatabaseName("ux_webhook_deliveries_endpoint_dedupe");
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.ToTable("webhook_attempts");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.DeliveryId).HasColumnName("delivery_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.AttemptedAt).HasColumnName("attempted_at");
        b.Property(x => x.HttpStatus).HasColumnName("http_status");
        b.Property(x => x.Error).HasColumnName("error").HasMaxLength(Lengths.Reason);
        b.Property(x => x.Succeeded).HasColumnName("succeeded");
        b.HasIndex(x => new { x.DeliveryId, x.AttemptedAt }).HasDatabaseName("ix_webhook_attempts_delivery");
    }
}
