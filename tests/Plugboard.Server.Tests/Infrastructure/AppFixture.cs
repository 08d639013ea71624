using Plugboard.Server.Data;

namespace Plugboard.Server.Tests.Infrastructure;

/// One server per test class and engine. Tests in a class share it, so each creates its own
/// projects (with unique externalIds) and never assumes an empty platform. The fixtures with more
/// around the server (a fake OAuth provider, a SaaS signing key, an operator key) are this one with
/// their settings, clock and start/stop steps.
///
/// On PostgreSQL without <see cref="TestStorage.PostgresVariable"/> nothing is started, and every test
/// that reaches for the server is skipped with the reason.
public abstract class AppFixture(DatabaseEngine engine) : IAsyncLifetime
{
    private TestStorage? _storage;
    private TestApp? _app;

    public DatabaseEngine Engine { get; } = engine;
    public TestStorage Storage => _storage ?? throw NotStarted();
    public TestApp App => _app ?? throw NotStarted();

    /// The server's settings beyond <see cref="TestApp"/>'s own; none by default.
    protected virtual Dictionary<string, string?>? AppSettings() => null;

    /// The server's clock: the real one by default.
    protected virtual TimeProvider? AppTime => null;

    /// After the server has started: what the fixture sets up around it.
    protected virtual ValueTask StartedAsync() => ValueTask.CompletedTask;

    /// After the server and its storage are gone.
    protected virtual ValueTask StoppedAsync() => ValueTask.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        if (!TestStorage.Available(Engine))
        {
            return;
        }
        _storage = await TestStorage.CreateAsync(Engine);
        _app = new TestApp(_storage, AppSettings(), AppTime);
        _ = _app.Services; // start it now, so a start-up failure fails here, clearly
        await StartedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
        await StoppedAsync();
        GC.SuppressFinalize(this);
    }

    private Exception NotStarted()
    {
        TestStorage.SkipUnlessAvailable(Engine);
        return new InvalidOperationException("The fixture's server is not started: InitializeAsync failed or has not run.");
    }
}

public sealed class SqliteFixture() : AppFixture(DatabaseEngine.Sqlite);

public sealed class PostgresFixture() : AppFixture(DatabaseEngine.Postgres);
