using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;

namespace Plugboard.Bench;

internal sealed record EngineRun(
    string Engine,
    string? Description,
    int FilledRows,
    TimeSpan FillTime,
    ListPhase? List,
    ListPhase? ListWithIndex,
    IReadOnlyList<UpsertResult> Upserts,
    int FinalRows,
    string? Error)
{
    /// One engine from an empty database to its numbers: fill, list through the real server, then upserts.
    public static async Task<EngineRun> RunAsync(string engine, BenchOptions options, string serverDll, CancellationToken ct)
    {
        Progress.Note($"{engine}: creating a fresh database");
        await using var storage = await BenchStorage.CreateAsync(engine);
        try
        {
            await using var host = await BenchHost.StartAsync(storage);
            var description = await DescribeAsync(host, ct);

            Progress.Note($"{engine}: filling the project with {options.Rows:N0} connections");
            var fillTime = await Filler.FillAsync(host, options.Rows, ct);

            await WhatIfIndex.AnalyzeAsync(host, ct);

            Progress.Note($"{engine}: starting the server and timing the list");
            var list = await ListPhase.RunAsync(host, options, serverDll, ct);
            ListPhase? listWithIndex = null;
            if (options.WhatIfIndex)
            {
                Progress.Note($"{engine}: what if: the list again with {WhatIfIndex.Description}");
                await WhatIfIndex.CreateAsync(host, ct);
                listWithIndex = await ListPhase.RunAsync(host, options, serverDll, ct);
                await WhatIfIndex.DropAsync(host, ct);
            }

            List<WriteOperation> operations = [WriteOperations.Service, WriteOperations.Plain, .. options.Breakdown ? WriteOperations.Breakdown : []];
            var upserts = new List<UpsertResult>();
            foreach (var workers in options.Workers)
            {
                Progress.Note($"{engine}: writes, {options.Ops:N0} of each of {operations.Count} kinds, {workers} worker(s)");
                upserts.Add(await UpsertBench.RunAsync(host, operations, options.Ops, options.WarmupOps, workers, ct));
            }
            var finalRows = await host.CountConnectionsAsync();
            return new EngineRun(engine, description, options.Rows, fillTime, list, listWithIndex, upserts, finalRows, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Progress.Note($"{engine}: failed: {e}");
            return new EngineRun(engine, null, 0, TimeSpan.Zero, null, null, [], 0, e.Message);
        }
    }

    private static async Task<string> DescribeAsync(BenchHost host, CancellationToken ct)
    {
        await using var scope = host.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PlugboardDb>();
        if (db.IsSqlite)
        {
            var version = await Scalar(db, "SELECT sqlite_version()", ct);
            var journal = await Scalar(db, "PRAGMA journal_mode", ct);
            return $"SQLite {version} (journal_mode={journal}, synchronous=FULL)";
        }
        var server = await Scalar(db, "SHOW server_version", ct);
        var fsync = await Scalar(db, "SHOW fsync", ct);
        var commit = await Scalar(db, "SHOW synchronous_commit", ct);
        return $"PostgreSQL {server} (fsync={fsync}, synchronous_commit={commit})";
    }

    private static async Task<string> Scalar(PlugboardDb db, string sql, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) ?? "?";
    }
}
