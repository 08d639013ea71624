using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.Projects;

/// This folder's tables on the one context: the context itself names no feature, so Data depends on none.
public static class ProjectSets
{
    extension(PlugboardDb db)
    {
        public DbSet<Project> Projects => db.Set<Project>();
    }
}
