using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.Outbox;

/// This folder's tables on the one context: the context itself names no feature, so Data depends on none.
public static class OutboxSets
{
    extension(PlugboardDb db)
    {
        public DbSet<WebhookEndpoint> WebhookEndpoints => db.Set<WebhookEndpoint>();
        public DbSet<WebhookDelivery> WebhookDeliveries => db.Set<WebhookDelivery>();
        public DbSet<WebhookAttempt> WebhookAttempts => db.Set<WebhookAttempt>();
    }
}
