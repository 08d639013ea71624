using System.Threading.Channels;
using Plugboard.Server.Telemetry;

namespace Plugboard.Server.Engine;

/// One engine read of one connection, or one call made with it through the proxy (`Call`), as the audit trail records
/// it: never the value, a header or a body. `ActorType` and `TokenId` name who acted (an engine token, or an API key or user).
public readonly record struct ConnectionRead(
    string PlatformId, string ProjectId, string ConnectionId, string ExternalId, string TokenId, DateTime At,
    ProxiedCall? Call = null, string ActorType = EngineCaller.ActorType);

/// What the proxy sent and got: the method, the upstream host and path, its status, and how long it took.
public sealed record ProxiedCall(string Method, string Host, string Path, int Status, double Milliseconds);

/// The hot path's side of read auditing: a read is queued in memory and the request goes on;
/// <see cref="ReadAuditWriter"/> writes the queue in batches. The queue is bounded, so a database that
/// cannot keep up slows reads down instead of dropping their audit rows or exhausting memory.
public sealed class ReadAudit
{
    public const int Capacity = 100_000;

    private readonly Channel<ConnectionRead> _queue = Channel.CreateBounded<ConnectionRead>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ChannelReader<ConnectionRead> Reader => _queue.Reader;

    public ValueTask RecordAsync(ConnectionRead read, CancellationToken ct)
    {
        PlugboardMetrics.EngineRead(read.Call is not null);
        return _queue.Writer.TryWrite(read) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(read, ct);
    }

    internal void Complete() => _queue.Writer.TryComplete();
}
