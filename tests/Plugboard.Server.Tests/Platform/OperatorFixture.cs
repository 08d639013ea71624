using System.Net;
using Plugboard.Server.Data;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Platform;

/// A server with an operator key. Its first-start platform (A, with <see cref="TestApp.AdminKey"/>) is
/// the bootstrap one; tests create more through the operator. Tests share it: each makes its own platforms.
public abstract class OperatorFixture(DatabaseEngine engine) : AppFixture(engine)
{
    public const string OperatorKey = "op-test-operator-key-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string BootstrapOwnerEmail = "owner-of-a@platform-a.test";

    public HttpClient Operator => App.Client(OperatorKey);

    public static Dictionary<string, string?> Settings() => new()
    {
        ["PLUGBOARD_OPERATOR_KEY"] = OperatorKey,
        ["PLUGBOARD_ADMIN_EMAIL"] = BootstrapOwnerEmail,
    };

    protected override Dictionary<string, string?> AppSettings() => Settings();

    /// A new platform made by the operator: its id and its first admin (platform) key.
    public async Task<(string Id, string AdminKey)> CreatePlatformAsync(string? name = null, string? adminEmail = null)
    {
        var created = (await Operator.ApiPostAsync("/api/v1/platforms", new { name = name ?? Api.Unique("platform"), adminEmail }))
            .AssertStatus(HttpStatusCode.Created);
        return (created.Str("id"), created.Str("adminApiKey"));
    }
}

public sealed class SqliteOperatorFixture() : OperatorFixture(DatabaseEngine.Sqlite);

public sealed class PostgresOperatorFixture() : OperatorFixture(DatabaseEngine.Postgres);
