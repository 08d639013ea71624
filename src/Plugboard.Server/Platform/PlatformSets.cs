using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.Platform;

/// This folder's tables on the one context: the context itself names no feature, so Data depends on none.
public static class PlatformSets
{
    extension(PlugboardDb db)
    {
        public DbSet<PlatformEntity> Platforms => db.Set<PlatformEntity>();
        public DbSet<User> Users => db.Set<User>();
        public DbSet<ApiKey> ApiKeys => db.Set<ApiKey>();
        public DbSet<ProjectMember> ProjectMembers => db.Set<ProjectMember>();
    }
}
