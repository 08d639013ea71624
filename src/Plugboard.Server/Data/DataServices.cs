using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Plugboard.Server.Telemetry;

namespace Plugboard.Server.Data;

public static class DataServices
{
    public static IServiceCollection AddPlugboardData(this IServiceCollection services)
    {
        services.AddSingleton(sp => StorageOptions.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<DataChanges>();
        services.AddDbContextPool<PlugboardDb>((sp, options) =>
        {
            var storage = sp.GetRequiredService<StorageOptions>();
            if (storage.Engine == DatabaseEngine.Sqlite)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(storage.SqlitePath)!);
                options.UseSqlite(storage.ConnectionString()).AddInterceptors(new SqlitePragmas());
                if (TelemetryServices.Enabled(sp.GetRequiredService<IConfiguration>()))
                {
                    // A span per command only where telemetry is exported: otherwise no interceptor on the hot path.
                    options.AddInterceptors(new SqliteTracing());
                }
            }
            else
            {
                options.UseNpgsql(storage.ConnectionString());
            }
            options.AddInterceptors(new DataChangesInterceptor(sp.GetRequiredService<DataChanges>()));
            // Interceptors of the features above this folder (the outbox's commit signal), registered as IInterceptor.
            options.AddInterceptors(sp.GetServices<IInterceptor>());
            // Migrations are hand-written without a model snapshot; the schema tests are the check.
            // A failed statement is answered where it is caught: a lost race on a unique index is a retry or a
            // 409, anything else reaches the exception handler, which logs it by type. EF's own Error entries
            // (with the statement and a stack trace) would repeat each of them, once per racing request.
            options.ConfigureWarnings(w => w
                .Ignore(RelationalEventId.PendingModelChangesWarning)
                .Log((CoreEventId.SaveChangesFailed, LogLevel.Debug), (RelationalEventId.CommandError, LogLevel.Debug)));
        });
        return services;
    }

    public static async Task MigrateAsync(PlugboardDb db, CancellationToken ct)
    {
        if (db.IsSqlite)
        {
            // WAL is a property of the database file: set once, it stays.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        else
        {
            // Replicas starting together must not apply the same migration twice. EF's own history-table
            // lock does not cover the first start on an empty database, so an advisory lock serialises the whole
            // migration step; the second replica then finds nothing to do. The key is "PlugMigr" in ASCII.
            // Transaction-scoped, held open on a connection of its own while the migrations run on the context's:
            // behind PgBouncer in transaction mode a session lock would stay on whichever server connection took
            // it (the unlock may reach another), and every later start would wait on it forever.
            await using var lockConnection = new NpgsqlConnection(db.Database.GetConnectionString());
            await lockConnection.OpenAsync(ct);
            await using var lockTransaction = await lockConnection.BeginTransactionAsync(ct);
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock(5795135907059820402)", lockConnection, lockTransaction))
            {
                await take.ExecuteNonQueryAsync(ct);
            }
            // EF reads the history table before creating it and logs that failure as an Error on every
            // first start; creating it first (EF's own script) keeps a new database's log clean.
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), ct);
            await db.Database.MigrateAsync(ct);
            await lockTransaction.CommitAsync(CancellationToken.None);
            return;
        }
        await db.Database.MigrateAsync(ct);
    }

}
