using Npgsql;
using Plugboard.Server.Data;

namespace Plugboard.Server.Tests.Startup;

public sealed class StorageOptionsTests
{
    [Fact]
    public void ToNpgsql_PostgresUrl_BecomesAConnectionStringWithItsParts()
    {
        var builder = new NpgsqlConnectionStringBuilder(StorageOptions.ToNpgsql("postgres://app:p%40ss@db.internal:6432/plugboard"));

        Assert.Equal(("db.internal", 6432, "plugboard", "app", "p@ss"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
    }

    [Theory]
    [InlineData("Host=db;Database=plugboard", 64)]
    [InlineData("Host=db;Database=plugboard;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=plugboard;Max Auto Prepare=10", 10)]
    public void WithAutoPrepare_UnlessTheStringSetsIt_PreparesHotStatements(string connectionString, int expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(StorageOptions.WithAutoPrepare(connectionString)).MaxAutoPrepare);
}
