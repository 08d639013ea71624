using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.Flows;

/// This folder's tables on the one context: the context itself names no feature, so Data depends on none.
public static class FlowSets
{
    extension(PlugboardDb db)
    {
        public DbSet<Flow> Flows => db.Set<Flow>();
        public DbSet<FlowConnectionRef> FlowConnectionRefs => db.Set<FlowConnectionRef>();
    }
}
