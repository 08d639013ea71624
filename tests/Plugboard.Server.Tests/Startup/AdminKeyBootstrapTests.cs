using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Plugboard.Server.Data;
using Plugboard.Server.Platform;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

public abstract class AdminKeyBootstrapTests(DatabaseEngine engine)
{
    /// An empty value is how an operator (or a test) leaves the variable unset.
    private static readonly Dictionary<string, string?> NoAdminKey = new() { [PlatformBootstrap.AdminKeyVariable] = "" };

    private static string KeyFile(TestStorage storage) => Path.Combine(storage.DataDir, PlatformBootstrap.AdminKeyFileName);

    private static Task<int> AdminKeyCountAsync(TestApp app) => app.WithDbAsync(db => db.ApiKeys.CountAsync(k => k.ProjectId == null));

    [Fact]
    public async Task AdminKey_FromVariable_AuthenticatesAndWrongKeyIs401()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        await using var app = Restarts.Start(storage);

        (await app.Client().ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
        (await app.Client("sk-wrongkey0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ").ApiGetAsync("/api/v1/projects"))
            .AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        (await app.Client(null).ApiGetAsync("/api/v1/projects")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        Assert.False(File.Exists(KeyFile(storage)));
        Assert.Equal(1, await AdminKeyCountAsync(app));
    }

    [Theory]
    [InlineData("not-an-sk-key-but-long-enough-0123456789")]
    [InlineData("sk-short")]
    public async Task Start_MalformedAdminKeyVariable_FailsNamingTheVariable(string value)
    {
        await using var storage = await TestStorage.CreateAsync(engine);

        var error = await Restarts.FailsToStartAsync(
            storage, new Dictionary<string, string?> { [PlatformBootstrap.AdminKeyVariable] = value }, PlatformBootstrap.AdminKeyVariable);

        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstStart_NoAdminKeyVariable_WritesOwnerOnlyKeyFileThatAuthenticates()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        await using var app = Restarts.Start(storage, NoAdminKey);

        Assert.True(File.Exists(KeyFile(storage)));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile(storage)));
        }
        var key = (await File.ReadAllTextAsync(KeyFile(storage))).Trim();
        Assert.StartsWith(ApiKeyHash.Prefix, key, StringComparison.Ordinal);
        Assert.True(key.Length >= 32, key.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (await app.Client(key).ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
        await app.Client(key).CreateProjectAsync();
        (await app.Client(TestApp.AdminKey).ApiGetAsync("/api/v1/projects")).AssertError(HttpStatusCode.Unauthorized, "AUTHENTICATION");
        Assert.Equal(1, await AdminKeyCountAsync(app));
        Assert.Contains(app.Logs.Lines, line => line.Contains(KeyFile(storage), StringComparison.Ordinal));
        Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(key[ApiKeyHash.Prefix.Length..], StringComparison.Ordinal));
        Assert.DoesNotContain(app.ResponseBodies, body => body.Contains(key[ApiKeyHash.Prefix.Length..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecondStart_NoAdminKeyVariable_KeepsTheFileAndTheOneKey()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        string key;
        DateTime written;
        await using (var first = Restarts.Start(storage, NoAdminKey))
        {
            key = await File.ReadAllTextAsync(KeyFile(storage));
            written = File.GetLastWriteTimeUtc(KeyFile(storage));
        }

        await using var second = Restarts.Start(storage, NoAdminKey);

        Assert.Equal(key, await File.ReadAllTextAsync(KeyFile(storage)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(KeyFile(storage)));
        Assert.Equal(1, await AdminKeyCountAsync(second));
        (await second.Client(key.Trim()).ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Restart_AdminKeyVariableRemoved_WritesNoFileAndTheOldKeyStillWorks()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        await Restarts.Start(storage).DisposeAsync();

        await using var app = Restarts.Start(storage, NoAdminKey);

        Assert.False(File.Exists(KeyFile(storage)));
        Assert.Equal(1, await AdminKeyCountAsync(app));
        (await app.Client(TestApp.AdminKey).ApiGetAsync("/api/v1/projects")).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ApiKeys_AfterBootstrap_HoldOnlyTheSha256HexHash()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        await using var app = Restarts.Start(storage, NoAdminKey);
        var key = (await File.ReadAllTextAsync(KeyFile(storage))).Trim();

        var row = await app.WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))), row.HashedValue);
        Assert.Equal(key[^4..], row.TruncatedValue);

        var cells = await app.WithDbAsync(AllCellsAsync);
        Assert.NotEmpty(cells);
        Assert.DoesNotContain(cells, cell => cell.Contains(key[ApiKeyHash.Prefix.Length..^4], StringComparison.Ordinal));
    }

    private static async Task<List<string>> AllCellsAsync(PlugboardDb db)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT * FROM api_keys";
            await using var reader = await command.ExecuteReaderAsync();
            var cells = new List<string>();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    cells.Add(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");
                }
            }
            return cells;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

public sealed class AdminKeyBootstrapSqliteTests() : AdminKeyBootstrapTests(DatabaseEngine.Sqlite);

public sealed class AdminKeyBootstrapPostgresTests() : AdminKeyBootstrapTests(DatabaseEngine.Postgres);
