using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Audit;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Http;

namespace Plugboard.Bench;

internal sealed record WriteOperation(string Name, Func<BenchHost, CancellationToken, Task> RunAsync);

/// One new connection per call, each in a fresh DI scope with a pooled DbContext, as a request gets.
internal static class WriteOperations
{
    private static int _sequence;

    /// The real service: lookup by externalId, encrypt, insert with the audit row, retry on races.
    public static readonly WriteOperation Service = new("service upsert", async (host, ct) =>
    {
        await using var scope = host.CreateScope();
        var upserter = scope.ServiceProvider.GetRequiredService<ConnectionUpserter>();
        var upsert = await upserter.UpsertAsync(BenchRows.Command(host, NextExternalId("svc")), ct);
        if (upsert.Value is not { Created: true })
        {
            throw new InvalidOperationException($"The upsert did not create a connection: {upsert.Error?.Code ?? "updated instead"}.");
        }
    });

    /// The baseline: the same row and project link, value unencrypted, no lookup, no audit.
    public static readonly WriteOperation Plain = new("plain EF insert", (host, ct) => PlainAsync(host, "plain", Steps.None, ct));

    /// The baseline plus one of the service's steps each, to show where the difference goes; and the
    /// lookup without loading the project links, which a PROJECT-scope upsert never changes.
    public static readonly IReadOnlyList<WriteOperation> Breakdown =
    [
        new("plain + lookup", (host, ct) => PlainAsync(host, "lookup", Steps.Lookup, ct)),
        new("plain + lookup without links", (host, ct) => PlainAsync(host, "slim", Steps.LookupWithoutLinks, ct)),
        new("plain + encrypt", (host, ct) => PlainAsync(host, "encrypt", Steps.Encrypt, ct)),
        new("plain + audit row", (host, ct) => PlainAsync(host, "audit", Steps.Audit, ct)),
    ];

    [Flags]
    private enum Steps
    {
        None = 0,
        Lookup = 1,
        LookupWithoutLinks = 2,
        Encrypt = 4,
        Audit = 8,
    }

    private static async Task PlainAsync(BenchHost host, string kind, Steps steps, CancellationToken ct)
    {
        await using var scope = host.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<PlugboardDb>();
        var (externalId, id, platformId) = (NextExternalId(kind), BenchRows.NewId(), host.Caller.PlatformId);
        if (steps.HasFlag(Steps.Lookup) || steps.HasFlag(Steps.LookupWithoutLinks))
        {
            // The upserter's read, as it issues it (or without its Include).
            IQueryable<AppConnection> connections = steps.HasFlag(Steps.Lookup) ? db.AppConnections.Include(c => c.Projects) : db.AppConnections;
            var existing = await connections
                .FirstOrDefaultAsync(c => c.PlatformId == platformId && c.ScopeKey == host.ProjectId && c.ExternalId == externalId, ct);
            if (existing is not null)
            {
                throw new InvalidOperationException($"{externalId} exists already.");
            }
        }
        var value = steps.HasFlag(Steps.Encrypt)
            ? services.GetRequiredService<SecretProtector>().Protect(BenchRows.ValueJson(externalId), ConnectionSecrets.ValueContext(platformId, id))
            : BenchRows.ValueJson(externalId);
        var time = services.GetRequiredService<TimeProvider>();
        var connection = BenchRows.Connection(host, id, externalId, value, time.UtcNow());
        db.AppConnections.Add(connection);
        if (steps.HasFlag(Steps.Audit))
        {
            db.Record(time, host.Caller, "connection.created", "app_connection", id, host.ProjectId,
                new { connection.ExternalId, connection.DisplayName, connection.PieceName, Scope = WireEnum<ConnectionScope>.Name(connection.Scope) });
        }
        await db.SaveChangesAsync(ct);
    }

    private static string NextExternalId(string kind) => $"{kind}-{Interlocked.Increment(ref _sequence)}";
}
