using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Plugboard.Server.Data.Migrations;

internal static class DropColumns
{
    /// EF's SQLite generator refuses a DropColumn without a target model (it would rebuild the table from
    /// one), and these hand-written migrations carry none, so every Down that dropped a column threw on
    /// SQLite. SQLite (3.35+) drops a column itself, once no index, key or constraint uses it: a Down drops
    /// the column's indexes first.
    public static void DropColumnOnAnyEngine(this MigrationBuilder m, string name, string table)
    {
        if (m.IsSqlite())
        {
            m.Sql($"ALTER TABLE \"{table}\" DROP COLUMN \"{name}\";");
        }
        else
        {
            m.DropColumn(name, table);
        }
    }
}
