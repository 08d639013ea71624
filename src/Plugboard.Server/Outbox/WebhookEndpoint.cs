using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Plugboard.Server.Data;
using Plugboard.Server.Data.Migrations;
using Plugboard.Server.Http;

namespace Plugboard.Server.Outbox;

/// A platform's webhook endpoint: where its events go and which ones. The signing secret is ciphertext, bound to the
/// platform and this row, and leaves the server only in the create answer.
public sealed class WebhookEndpoint : ISeekable
{
    public required string Id { get; init; }
    public required string PlatformId { get; init; }
    public required string Url { get; init; }
    /// The subscribed event types, comma-separated (see <see cref="WebhookEvents"/>).
    public required string Events { get; init; }
    /// Ciphertext of the `whsec_…` secret.
    public required string Secret { get; set; }
    public DateTime Created { get; init; }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.ToTable("webhook_endpoints");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasColumnName("id").HasMaxLength(Lengths.Id);
        b.Property(x => x.PlatformId).HasColumnName("platform_id").HasMaxLength(Lengths.Id);
        b.Property(x => x.Url).HasColumnName("url").HasMaxLength(M0015_Webhooks.MaxUrlLength);
        b.Property(x => x.Events).HasColumnName("events").HasMaxLength(Lengths.Name);
        b.Property(x => x.Secret).HasColumnName("secret").HasMaxLength(Lengths.Reason);
        b.Property(x => x.Created).HasColumnName("created");
        b.HasIndex(x => new { x.PlatformId, x.Created, x.Id }).HasDatabaseName("ix_webhook_endpoints_platform_created");
    }
}
