using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.OAuth;

/// This folder's tables on the one context: the context itself names no feature, so Data depends on none.
public static class OAuthSets
{
    extension(PlugboardDb db)
    {
        public DbSet<OAuthApp> OAuthApps => db.Set<OAuthApp>();
        public DbSet<PlatformOAuthProvider> OAuthProviders => db.Set<PlatformOAuthProvider>();
    }
}
