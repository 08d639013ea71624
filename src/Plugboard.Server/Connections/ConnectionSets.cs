using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.Connections;

/// This folder's tables on the one context: the context itself names no feature, so Data depends on none.
public static class ConnectionSets
{
    extension(PlugboardDb db)
    {
        public DbSet<AppConnection> AppConnections => db.Set<AppConnection>();
        public DbSet<AppConnectionProject> AppConnectionProjects => db.Set<AppConnectionProject>();
        public DbSet<ConnectionDefinition> ConnectionDefinitions => db.Set<ConnectionDefinition>();
    }
}
