using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Plugboard.Server.Data;

namespace Plugboard.Server.Tests.Startup;

/// A schema reduced to what the code relies on, one comparable line per fact: each column with its store
/// type and nullability, each table's primary key, each index with its columns, uniqueness and filter, each
/// foreign key with its columns, target and delete rule. Built twice: from the EF model, and from the
/// catalogue of a database that the hand-written migrations built.
public static class SchemaShape
{
    private static readonly HashSet<string> EfTables = new(StringComparer.Ordinal) { "__EFMigrationsHistory", "__EFMigrationsLock" };

    public static SortedSet<string> FromModel(PlugboardDb db)
    {
        var model = db.GetService<IDesignTimeModel>().Model.GetRelationalModel();
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var table in model.Tables)
        {
            foreach (var column in table.Columns)
            {
                facts.Add(Column(table.Name, column.Name, column.StoreType, column.IsNullable));
            }
            if (table.PrimaryKey is { } pk)
            {
                facts.Add(PrimaryKey(table.Name, pk.Columns.Select(c => c.Name)));
            }
            foreach (var unique in table.UniqueConstraints.Where(u => u != table.PrimaryKey))
            {
                facts.Add(Index(table.Name, unique.Columns.Select(c => c.Name), unique: true, filter: null));
            }
            foreach (var index in table.Indexes)
            {
                facts.Add(Index(table.Name, index.Columns.Select(c => c.Name), index.IsUnique, index.Filter));
            }
            foreach (var fk in table.ForeignKeyConstraints)
            {
                facts.Add(ForeignKey(table.Name, fk.Columns.Select(c => c.Name), fk.PrincipalTable.Name, fk.PrincipalColumns.Select(c => c.Name), fk.OnDeleteAction.ToString()));
            }
        }
        return facts;
    }

    public static async Task<SortedSet<string>> FromDatabaseAsync(PlugboardDb db) =>
        db.IsSqlite ? await FromSqliteAsync(db) : await FromPostgresAsync(db);

    private static async Task<SortedSet<string>> FromSqliteAsync(PlugboardDb db)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        var tables = await Strings(db, "SELECT name AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        foreach (var table in tables.Where(t => !EfTables.Contains(t)))
        {
            var columns = await db.Database.SqlQueryRaw<SqliteColumn>(
                "SELECT name AS \"Name\", type AS \"Type\", \"notnull\" AS \"NotNull\", pk AS \"Pk\" FROM pragma_table_info({0})", table).ToListAsync();
            foreach (var c in columns)
            {
                facts.Add(Column(table, c.Name, c.Type, c.NotNull == 0 && c.Pk == 0));
            }
            facts.Add(PrimaryKey(table, columns.Where(c => c.Pk > 0).OrderBy(c => c.Pk).Select(c => c.Name)));

            var indexes = await db.Database.SqlQueryRaw<SqliteIndex>(
                "SELECT l.name AS \"Name\", l.\"unique\" AS \"IsUnique\", l.origin AS \"Origin\", l.partial AS \"Partial\", m.sql AS \"Sql\" " +
                "FROM pragma_index_list({0}) l LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name", table).ToListAsync();
            foreach (var index in indexes.Where(i => i.Origin != "pk"))
            {
                var names = await Strings(db, "SELECT name AS \"Value\" FROM pragma_index_info({0}) ORDER BY seqno", index.Name);
                facts.Add(Index(table, names, index.IsUnique == 1, index.Partial == 1 ? SqliteFilter(index.Sql) : null));
            }

            var keys = await db.Database.SqlQueryRaw<SqliteForeignKey>(
                "SELECT id AS \"Id\", seq AS \"Seq\", \"table\" AS \"Principal\", \"from\" AS \"FromColumn\", \"to\" AS \"ToColumn\", on_delete AS \"OnDelete\" FROM pragma_foreign_key_list({0})", table).ToListAsync();
            foreach (var fk in keys.GroupBy(k => k.Id))
            {
                var ordered = fk.OrderBy(k => k.Seq).ToList();
                facts.Add(ForeignKey(table, ordered.Select(k => k.FromColumn), ordered[0].Principal, ordered.Select(k => k.ToColumn), Rule(ordered[0].OnDelete)));
            }
        }
        return facts;
    }

    private static async Task<SortedSet<string>> FromPostgresAsync(PlugboardDb db)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        var columns = await db.Database.SqlQueryRaw<PostgresColumn>("""
            SELECT c.relname AS "Table", a.attname AS "Name", format_type(a.atttypid, a.atttypmod) AS "Type", NOT a.attnotnull AS "Nullable"
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            """).ToListAsync();
        foreach (var c in columns.Where(c => !EfTables.Contains(c.Table)))
        {
            facts.Add(Column(c.Table, c.Name, c.Type, c.Nullable));
        }

        var indexes = await db.Database.SqlQueryRaw<PostgresIndex>("""
            SELECT t.relname AS "Table", ix.indisprimary AS "IsPrimary", ix.indisunique AS "IsUnique",
                   pg_get_expr(ix.indpred, ix.indrelid) AS "Filter",
                   (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum) AS "Columns"
            FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = current_schema()
            """).ToListAsync();
        foreach (var index in indexes.Where(i => !EfTables.Contains(i.Table)))
        {
            var names = index.Columns.Split(',');
            facts.Add(index.IsPrimary ? PrimaryKey(index.Table, names) : Index(index.Table, names, index.IsUnique, index.Filter));
        }

        var keys = await db.Database.SqlQueryRaw<PostgresForeignKey>("""
            SELECT t.relname AS "Table", p.relname AS "Principal", c.confdeltype::text AS "OnDelete",
                   (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS "Columns",
                   (SELECT string_agg(a.attname, ',' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS "PrincipalColumns"
            FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = current_schema() AND c.contype = 'f'
            """).ToListAsync();
        foreach (var fk in keys)
        {
            facts.Add(ForeignKey(fk.Table, fk.Columns.Split(','), fk.Principal, fk.PrincipalColumns.Split(','), PostgresRule(fk.OnDelete)));
        }
        return facts;
    }

    private static string Column(string table, string name, string type, bool nullable) =>
        $"{table}.{name} {type.ToLowerInvariant()}{(nullable ? " null" : " not null")}";

    private static string PrimaryKey(string table, IEnumerable<string> columns) => $"{table} primary key ({string.Join(", ", columns)})";

    private static string Index(string table, IEnumerable<string> columns, bool unique, string? filter) =>
        $"{table} {(unique ? "unique index" : "index")} ({string.Join(", ", columns)}){(filter is null ? "" : $" where {NormalizeFilter(filter)}")}";

    private static string ForeignKey(string table, IEnumerable<string> columns, string principal, IEnumerable<string> principalColumns, string onDelete) =>
        $"{table} ({string.Join(", ", columns)}) references {principal} ({string.Join(", ", principalColumns)}) on delete {onDelete}";

    /// Both catalogues print a filter their own way ("(external_id IS NOT NULL)", quoted names): compared
    /// without parentheses, quotes and case.
    private static string NormalizeFilter(string filter) =>
        new string(filter.Where(ch => ch is not ('(' or ')' or '"')).ToArray()).ToLowerInvariant().Trim();

    private static string SqliteFilter(string? createSql) =>
        createSql is null ? "?" : createSql[(createSql.IndexOf(" WHERE ", StringComparison.OrdinalIgnoreCase) + 7)..];

    private static string Rule(string sqlite) => sqlite.ToUpperInvariant() switch
    {
        "CASCADE" => nameof(ReferentialAction.Cascade),
        "SET NULL" => nameof(ReferentialAction.SetNull),
        "SET DEFAULT" => nameof(ReferentialAction.SetDefault),
        "RESTRICT" => nameof(ReferentialAction.Restrict),
        _ => nameof(ReferentialAction.NoAction),
    };

    private static string PostgresRule(string code) => code switch
    {
        "c" => nameof(ReferentialAction.Cascade),
        "n" => nameof(ReferentialAction.SetNull),
        "d" => nameof(ReferentialAction.SetDefault),
        "r" => nameof(ReferentialAction.Restrict),
        _ => nameof(ReferentialAction.NoAction),
    };

    private static Task<List<string>> Strings(PlugboardDb db, string sql, params object[] args) =>
        db.Database.SqlQueryRaw<string>(sql, args).ToListAsync();

    private sealed record SqliteColumn(string Name, string Type, long NotNull, long Pk);
    private sealed record SqliteIndex(string Name, long IsUnique, string Origin, long Partial, string? Sql);
    private sealed record SqliteForeignKey(long Id, long Seq, string Principal, string FromColumn, string ToColumn, string OnDelete);
    private sealed record PostgresColumn(string Table, string Name, string Type, bool Nullable);
    private sealed record PostgresIndex(string Table, bool IsPrimary, bool IsUnique, string? Filter, string Columns);
    private sealed record PostgresForeignKey(string Table, string Principal, string OnDelete, string Columns, string PrincipalColumns);
}
