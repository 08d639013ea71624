using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.Audit;

/// This folder's tables on the one context: the context itself names no feature, so Data depends on none.
public static class AuditSets
{
    extension(PlugboardDb db)
    {
        public DbSet<AuditEvent> AuditEvents => db.Set<AuditEvent>();
    }
}
