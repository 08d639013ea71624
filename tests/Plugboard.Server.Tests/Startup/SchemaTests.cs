using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

/// The migrations are hand-written, so nothing but this test says they build what the model describes.
public abstract class SchemaTests(DatabaseEngine engine)
{
    [Fact]
    public async Task Migrate_FreshDatabase_BuildsTheSchemaTheModelDescribes()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        await using var app = Restarts.Start(storage);

        var model = await app.WithDbAsync(db => Task.FromResult(SchemaShape.FromModel(db)));
        var database = await app.WithDbAsync(SchemaShape.FromDatabaseAsync);

        var missing = model.Except(database).ToList();
        var extra = database.Except(model).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"The model describes, but the database lacks:\n  {string.Join("\n  ", missing)}\nThe database has, but the model does not describe:\n  {string.Join("\n  ", extra)}");
        Assert.Contains(model, fact => fact.StartsWith("app_connections primary key", StringComparison.Ordinal));
    }
}

public sealed class SchemaSqliteTests() : SchemaTests(DatabaseEngine.Sqlite);

public sealed class SchemaPostgresTests() : SchemaTests(DatabaseEngine.Postgres);
