using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Server.Pieces;

/// This folder's tables on the one context: the context itself names no feature, so Data depends on none.
public static class PieceSets
{
    extension(PlugboardDb db)
    {
        public DbSet<RegisteredPiece> Pieces => db.Set<RegisteredPiece>();
    }
}
