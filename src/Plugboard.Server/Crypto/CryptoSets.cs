using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.Crypto;

/// This folder's tables on the one context: the context itself names no feature, so Data depends on none.
public static class CryptoSets
{
    extension(PlugboardDb db)
    {
        public DbSet<KeyCanary> KeyCanaries => db.Set<KeyCanary>();
    }
}
