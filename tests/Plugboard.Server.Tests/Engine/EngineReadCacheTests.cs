using Microsoft.Extensions.Time.Testing;
using Plugboard.Server.Connections;
using Plugboard.Server.Data;
using Plugboard.Server.Engine;

namespace Plugboard.Server.Tests.Engine;

/// The engine read's cache keeps an answer only while this process has written nothing and for at most its time
/// to live, never past the token's refresh time, and never for a connection that is not ACTIVE.
public sealed class EngineReadCacheTests
{
    private static readonly EngineReadCache.Key Key = new("platform", "project", "slack");

    private readonly DataChanges _changes = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly EngineReadCache _cache;

    public EngineReadCacheTests() => _cache = new EngineReadCache(_changes, _clock);

    [Fact]
    public void Remembered_NothingWrittenWithinItsTimeToLive_IsServed()
    {
        var row = Row();
        _cache.Remember(Key, _cache.Generation, row, Answer(row));

        Assert.True(_cache.TryGet(Key, out var answer, out var connectionId));
        Assert.Equal(row.Id, connectionId);
        Assert.Equal(row.Id, answer.Id);
        Assert.False(_cache.TryGet(Key with { ProjectId = "another" }, out _, out _));
    }

    [Fact]
    public void Remembered_ThenThisProcessWrites_IsNotServed()
    {
        var row = Row();
        _cache.Remember(Key, _cache.Generation, row, Answer(row));

        _changes.Moved();

        Assert.False(_cache.TryGet(Key, out _, out _));
    }

    [Fact]
    public void ReadBeforeAWrite_RememberedAfterIt_IsNotServed()
    {
        var generationBeforeTheRead = _cache.Generation;
        _changes.Moved();
        var row = Row();

        _cache.Remember(Key, generationBeforeTheRead, row, Answer(row));

        Assert.False(_cache.TryGet(Key, out _, out _));
    }

    [Fact]
    public void Remembered_PastItsTimeToLive_IsNotServed()
    {
        var row = Row();
        _cache.Remember(Key, _cache.Generation, row, Answer(row));

        _clock.Advance(EngineReadCache.TimeToLive - TimeSpan.FromMilliseconds(1));
        Assert.True(_cache.TryGet(Key, out _, out _));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(_cache.TryGet(Key, out _, out _));
    }

    [Fact]
    public void Remembered_RefreshDueBeforeItsTimeToLive_IsNotServedFromThen()
    {
        var row = Row();
        row.NextRefreshAt = _clock.GetUtcNow().UtcDateTime.AddMilliseconds(100);
        _cache.Remember(Key, _cache.Generation, row, Answer(row));

        Assert.True(_cache.TryGet(Key, out _, out _));
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(_cache.TryGet(Key, out _, out _));
    }

    [Theory]
    [InlineData(ConnectionStatus.Error)]
    [InlineData(ConnectionStatus.Missing)]
    public void NotActive_IsNeverRemembered(ConnectionStatus status)
    {
        var row = Row();
        row.Status = status;

        _cache.Remember(Key, _cache.Generation, row, Answer(row));

        Assert.False(_cache.TryGet(Key, out _, out _));
    }

    [Fact]
    public void Full_StartsAgainEmptyAndStaysBounded()
    {
        var row = Row();
        for (var i = 0; i <= EngineReadCache.MaxEntries; i++)
        {
            _cache.Remember(Key with { ExternalId = $"c{i}" }, _cache.Generation, row, Answer(row));
        }

        Assert.False(_cache.TryGet(Key with { ExternalId = "c0" }, out _, out _));
        Assert.True(_cache.TryGet(Key with { ExternalId = $"c{EngineReadCache.MaxEntries}" }, out _, out _));
    }

    private AppConnection Row() => new()
    {
        Id = "connection-1",
        PlatformId = Key.PlatformId,
        ExternalId = Key.ExternalId,
        Scope = ConnectionScope.Project,
        ScopeKey = Key.ProjectId,
        DisplayName = "Slack",
        PieceName = "@activepieces/piece-slack",
        Type = ConnectionType.SecretText,
        Status = ConnectionStatus.Active,
        Value = "ciphertext",
        Created = _clock.GetUtcNow().UtcDateTime,
        Updated = _clock.GetUtcNow().UtcDateTime,
    };

    private static WorkerConnectionDto Answer(AppConnection row) => WorkerConnectionDto.From(row, Key.ProjectId, null);
}
