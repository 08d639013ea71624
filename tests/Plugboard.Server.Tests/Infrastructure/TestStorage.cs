using Plugboard.Server.Data;
using Plugboard.Testing.Storage;

namespace Plugboard.Server.Tests.Infrastructure;

/// A fresh place for one server's data: a temp data dir, and on PostgreSQL a database of its own.
/// Several <see cref="TestApp"/>s may be started one after another on the same storage (restarts).
public sealed class TestStorage : IAsyncDisposable
{
    public const string PostgresVariable = "PLUGBOARD_TEST_POSTGRES";

    private readonly ThrowawayStorage _storage;

    private TestStorage(DatabaseEngine engine, ThrowawayStorage storage)
    {
        Engine = engine;
        _storage = storage;
    }

    public DatabaseEngine Engine { get; }
    public string DataDir => _storage.DataDir;
    /// The PLUGBOARD_DATABASE value: null for SQLite.
    public string? Database => _storage.Database;

    /// Whether the engine can be tested here: SQLite always, PostgreSQL when <see cref="PostgresVariable"/> is set.
    public static bool Available(DatabaseEngine engine) =>
        engine != DatabaseEngine.Postgres || Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 };

    /// Skips the calling test when its engine cannot be tested here, saying what to set.
    public static void SkipUnlessAvailable(DatabaseEngine engine) =>
        Assert.SkipUnless(Available(engine),
            $"{PostgresVariable} is not set: the PostgreSQL tests need an Npgsql connection string to a server they may create databases on. " +
            "./scripts/test starts a throwaway PostgreSQL and sets it.");

    public static async Task<TestStorage> CreateAsync(DatabaseEngine engine)
    {
        SkipUnlessAvailable(engine);
        var maintenance = engine == DatabaseEngine.Postgres ? Environment.GetEnvironmentVariable(PostgresVariable) : null;
        return new TestStorage(engine, await ThrowawayStorage.CreateAsync("plugboard-tests", "pb_test_", maintenance));
    }

    public ValueTask DisposeAsync() => _storage.DisposeAsync();
}
