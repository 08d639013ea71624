using Plugboard.Server.Data;

namespace Plugboard.Server.Tests.Infrastructure;

/// One server per test class and engine. Tests in a class share it, so each creates its own
/// projects (with unique externalIds) and never assumes an empty platform.
public abstract class AppFixture : IAsyncLifetime
{
    public abstract DatabaseEngine Engine { get; }
    public TestStorage Storage { get; private set; } = null!;
    public TestApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Storage = await TestStorage.CreateAsync(Engine);
        App = new TestApp(Storage);
        _ = App.Services; // start it now, so a start-up failure fails here, clearly
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Storage.DisposeAsync();
    }
}

public sealed class SqliteFixture : AppFixture
{
    public override DatabaseEngine Engine => DatabaseEngine.Sqlite;
}

public sealed class PostgresFixture : AppFixture
{
    public override DatabaseEngine Engine => DatabaseEngine.Postgres;
}
