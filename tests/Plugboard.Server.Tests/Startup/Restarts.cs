using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Configuration;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

public sealed record TestKey(string Base64, string Id)
{
    public static TestKey New()
    {
        var material = RandomNumberGenerator.GetBytes(EncryptionKey.Size);
        return new TestKey(Convert.ToBase64String(material), EncryptionKey.FromMaterial(material).Id);
    }
}

/// Starting, stopping and failing to start servers one after another on one <see cref="TestStorage"/>.
public static class Restarts
{
    public static Dictionary<string, string?> Keys(params TestKey[] keys) =>
        new() { [KeyRingLoader.EnvironmentVariable] = string.Join(',', keys.Select(k => k.Base64)) };

    public static TestApp Start(TestStorage storage, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new TestApp(storage, settings);
        _ = app.Services;
        return app;
    }

    /// Start-up must fail with a <see cref="StartupException"/> that names the variable the operator should set.
    public static async Task<StartupException> FailsToStartAsync(
        TestStorage storage, IReadOnlyDictionary<string, string?>? settings, string variable = KeyRingLoader.EnvironmentVariable)
    {
        var app = new TestApp(storage, settings);
        Exception? thrown;
        try
        {
            thrown = Record.Exception(() => app.Services);
        }
        finally
        {
            try
            {
                await app.DisposeAsync();
            }
            catch (Exception e) when (e is StartupException or AggregateException or InvalidOperationException)
            {
                // The host never started; disposing it may rethrow the start-up failure.
            }
        }
        Assert.NotNull(thrown);
        var startup = Flatten(thrown).OfType<StartupException>().FirstOrDefault();
        Assert.True(startup is not null, $"expected a StartupException, got: {thrown}");
        Assert.Contains(variable, startup.Message, StringComparison.Ordinal);
        return startup;
    }

    public static async Task<string> CreateAsync(this HttpClient client, string projectId, string externalId, string type, object value)
    {
        var response = await client.ApiPostAsync("/api/v1/app-connections", new
        {
            projectId, externalId, displayName = externalId, pieceName = "@activepieces/piece-example", type, value,
        });
        response.AssertStatus(HttpStatusCode.Created);
        return response.Str("id");
    }

    public static Task<Dictionary<string, StoredValue>> StoredValuesAsync(this TestApp app) =>
        app.WithDbAsync(db => db.AppConnections.AsNoTracking()
            .ToDictionaryAsync(c => c.Id, c => new StoredValue(c.PlatformId, c.ExternalId, c.Value)));

    public static Task<List<string>> CanaryKeyIdsAsync(this TestApp app) =>
        app.WithDbAsync(db => db.KeyCanaries.AsNoTracking().OrderBy(k => k.KeyId).Select(k => k.KeyId).ToListAsync());

    public static string Decrypt(this TestApp app, string connectionId, StoredValue stored) =>
        app.Services.GetRequiredService<SecretProtector>().Unprotect(stored.Value, ConnectionSecrets.ValueContext(stored.PlatformId, connectionId));

    private static IEnumerable<Exception> Flatten(Exception e)
    {
        yield return e;
        var inner = e is AggregateException aggregate ? aggregate.InnerExceptions : (IEnumerable<Exception>)(e.InnerException is null ? [] : [e.InnerException]);
        foreach (var child in inner.SelectMany(Flatten))
        {
            yield return child;
        }
    }
}

public sealed record StoredValue(string PlatformId, string ExternalId, string Value);
