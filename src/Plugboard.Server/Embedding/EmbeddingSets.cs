using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.Embedding;

/// This folder's tables on the one context: the context itself names no feature, so Data depends on none.
public static class EmbeddingSets
{
    extension(PlugboardDb db)
    {
        public DbSet<SigningKey> SigningKeys => db.Set<SigningKey>();
    }
}
