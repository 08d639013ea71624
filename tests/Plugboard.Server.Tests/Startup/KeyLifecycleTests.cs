using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Server.Connections;
using Plugboard.Server.Crypto;
using Plugboard.Server.Data;
using Plugboard.Server.Maintenance;
using Plugboard.Server.Tests.Infrastructure;

namespace Plugboard.Server.Tests.Startup;

public abstract class KeyLifecycleTests(DatabaseEngine engine)
{
    private static string KeyFile(TestStorage storage) => Path.Combine(storage.DataDir, KeyRingLoader.KeyFileName);

    private static async Task<string[]> ListedExternalIdsAsync(TestApp app, string projectId) =>
        (await app.Client().ApiGetAsync($"/api/v1/app-connections?projectId={projectId}&limit=100")).AssertStatus(HttpStatusCode.OK)
            .Body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("externalId").GetString()!).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Restart_SameDataAndKey_EverythingReadable()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        var key = TestKey.New();
        var secrets = new Dictionary<string, string>
        {
            ["basic"] = "restart-basic-password", ["custom"] = "restart-custom-key", ["global"] = "restart-global-key", ["text"] = "xoxb-restart-text",
        };
        string projectId;
        await using (var first = Restarts.Start(storage, Restarts.Keys(key)))
        {
            var admin = first.Client();
            projectId = await admin.CreateProjectAsync();
            await admin.CreateAsync(projectId, "text", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = secrets["text"] });
            await admin.CreateAsync(projectId, "basic", "BASIC_AUTH", new { type = "BASIC_AUTH", username = "alice", password = secrets["basic"] });
            await admin.CreateAsync(projectId, "custom", "CUSTOM_AUTH", new { type = "CUSTOM_AUTH", props = new { api_key = secrets["custom"] } });
            (await admin.ApiPostAsync("/api/v1/global-connections", Api.Global("global", [projectId], secrets["global"]))).AssertStatus(HttpStatusCode.Created);
        }

        await using var second = Restarts.Start(storage, Restarts.Keys(key));

        Assert.False(File.Exists(KeyFile(storage)), "a configured key must not be written to the data dir");
        Assert.Equal(secrets.Keys.Order(StringComparer.Ordinal), await ListedExternalIdsAsync(second, projectId));
        var stored = await second.StoredValuesAsync();
        Assert.Equal(secrets.Count, stored.Count);
        foreach (var (id, value) in stored)
        {
            Assert.StartsWith($"v1:{key.Id}:", value.Value, StringComparison.Ordinal);
            Assert.Contains($"\"{secrets[value.ExternalId]}\"", second.Decrypt(id, value), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rewrap_ToNewKey_LosesNothing()
    {
        const int count = 30;
        await using var storage = await TestStorage.CreateAsync(engine);
        var (k1, k2) = (TestKey.New(), TestKey.New());
        static string SecretOf(string externalId) => $"secret-of-{externalId}";
        string projectId;
        await using (var app = Restarts.Start(storage, Restarts.Keys(k1)))
        {
            projectId = await app.Client().CreateProjectAsync();
            await Task.WhenAll(Enumerable.Range(0, count).Select(i => app.Client().CreateAsync(
                projectId, $"old_{i:D2}", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = SecretOf($"old_{i:D2}") })));
        }

        await using (var app = Restarts.Start(storage, Restarts.Keys(k2, k1)))
        {
            await app.Client().CreateAsync(projectId, "new", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = SecretOf("new") });
            var before = await app.StoredValuesAsync();
            Assert.StartsWith($"v1:{k2.Id}:", before.Values.Single(v => v.ExternalId == "new").Value, StringComparison.Ordinal);
            Assert.All(before.Values.Where(v => v.ExternalId != "new"), v => Assert.StartsWith($"v1:{k1.Id}:", v.Value, StringComparison.Ordinal));
            Assert.Equal(new[] { k1.Id, k2.Id }.Order(StringComparer.Ordinal), await app.CanaryKeyIdsAsync());

            RewrapReport report;
            await using (var scope = app.Services.CreateAsyncScope())
            {
                report = await Rewrap.RunAsync(
                    scope.ServiceProvider.GetRequiredService<PlugboardDb>(), scope.ServiceProvider.GetRequiredService<SecretProtector>(), CancellationToken.None);
            }

            Assert.Equal((count + 1, count, 1), (report.Examined, report.Rewrapped, report.AlreadyCurrent));
            Assert.Equal([k1.Id], report.RetiredKeyIds);
            var after = await app.StoredValuesAsync();
            Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
            foreach (var (id, value) in after)
            {
                Assert.StartsWith($"v1:{k2.Id}:", value.Value, StringComparison.Ordinal);
                Assert.Contains($"\"{SecretOf(value.ExternalId)}\"", app.Decrypt(id, value), StringComparison.Ordinal);
            }
            Assert.Equal(before.Single(v => v.Value.ExternalId == "new"), after.Single(v => v.Value.ExternalId == "new"));
            Assert.Equal([k2.Id], await app.CanaryKeyIdsAsync());
        }

        await using (var app = Restarts.Start(storage, Restarts.Keys(k2)))
        {
            Assert.Equal(count + 1, (await ListedExternalIdsAsync(app, projectId)).Length);
            foreach (var (id, value) in await app.StoredValuesAsync())
            {
                Assert.Contains($"\"{SecretOf(value.ExternalId)}\"", app.Decrypt(id, value), StringComparison.Ordinal);
            }
        }

        var error = await Restarts.FailsToStartAsync(storage, Restarts.Keys(k1));
        Assert.Contains(k2.Id, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithWrongKey_FailsNamingTheVariableAndChangesNothing()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        var (right, wrong) = (TestKey.New(), TestKey.New());
        Dictionary<string, StoredValue> before;
        await using (var app = Restarts.Start(storage, Restarts.Keys(right)))
        {
            var projectId = await app.Client().CreateProjectAsync();
            for (var i = 0; i < 3; i++)
            {
                await app.Client().CreateAsync(projectId, $"c{i}", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = $"kept-{i}" });
            }
            before = await app.StoredValuesAsync();
        }

        var error = await Restarts.FailsToStartAsync(storage, Restarts.Keys(wrong));

        Assert.Contains(right.Id, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(right.Base64, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong.Base64, error.Message, StringComparison.Ordinal);
        await using var again = Restarts.Start(storage, Restarts.Keys(right));
        var after = await again.StoredValuesAsync();
        Assert.Equal(before.OrderBy(p => p.Key, StringComparer.Ordinal), after.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal([right.Id], await again.CanaryKeyIdsAsync());
        Assert.All(after, p => Assert.StartsWith("{", again.Decrypt(p.Key, p.Value), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not-base64!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==")]
    public async Task Start_MalformedKeyVariable_FailsNamingTheVariable(string value)
    {
        await using var storage = await TestStorage.CreateAsync(engine);

        var error = await Restarts.FailsToStartAsync(storage, new Dictionary<string, string?> { [KeyRingLoader.EnvironmentVariable] = value });

        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile(storage)));
    }

    [Fact]
    public async Task Start_NoKeyConfiguredButEncryptedDataExists_Fails()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        string keyText;
        await using (var app = Restarts.Start(storage))
        {
            var projectId = await app.Client().CreateProjectAsync();
            await app.Client().CreateAsync(projectId, "c", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "needs-the-key" });
            keyText = await File.ReadAllTextAsync(KeyFile(storage));
        }
        File.Delete(KeyFile(storage));

        var error = await Restarts.FailsToStartAsync(storage, null);

        Assert.Contains(KeyRingLoader.KeyFileName, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KeyFile(storage)), "a new key must not be generated over existing encrypted data");
        await using var restored = Restarts.Start(storage, new Dictionary<string, string?> { [KeyRingLoader.EnvironmentVariable] = keyText });
        var (id, value) = Assert.Single(await restored.StoredValuesAsync());
        Assert.Contains("needs-the-key", restored.Decrypt(id, value), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstStart_NoKeyConfigured_GeneratesKeyFileWithMode0600()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        string keyText;
        await using (var app = Restarts.Start(storage))
        {
            Assert.True(File.Exists(KeyFile(storage)));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile(storage)));
            }
            keyText = await File.ReadAllTextAsync(KeyFile(storage));
            var material = Convert.FromBase64String(keyText.Trim());
            Assert.Equal(EncryptionKey.Size, material.Length);

            var projectId = await app.Client().CreateProjectAsync();
            await app.Client().CreateAsync(projectId, "c", "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = "on-the-file-key" });
            var (_, value) = Assert.Single(await app.StoredValuesAsync());
            Assert.StartsWith($"v1:{EncryptionKey.FromMaterial(material).Id}:", value.Value, StringComparison.Ordinal);
            Assert.DoesNotContain(app.Logs.Lines, line => line.Contains(keyText.Trim(), StringComparison.Ordinal));
        }

        await using var restarted = Restarts.Start(storage);
        Assert.Equal(keyText, await File.ReadAllTextAsync(KeyFile(storage)));
        var (id, stored) = Assert.Single(await restarted.StoredValuesAsync());
        Assert.Contains("on-the-file-key", restarted.Decrypt(id, stored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_StoredValuesCorrupted_StillAnswersEveryRow()
    {
        await using var storage = await TestStorage.CreateAsync(engine);
        var key = TestKey.New();
        await using var app = Restarts.Start(storage, Restarts.Keys(key));
        var admin = app.Client();
        var projectId = await admin.CreateProjectAsync();
        var ids = new List<string>();
        foreach (var name in new[] { "a", "b", "c" })
        {
            ids.Add(await admin.CreateAsync(projectId, name, "SECRET_TEXT", new { type = "SECRET_TEXT", secret_text = $"secret-{name}" }));
        }
        var globalId = (await admin.ApiPostAsync("/api/v1/global-connections", Api.Global("g", [projectId], "global-secret"))).Str("id");
        var tampered = $"v1:{key.Id}:{Convert.ToBase64String(new byte[12])}:{Convert.ToBase64String(new byte[40])}";
        await app.WithDbAsync(db => db.AppConnections.Where(c => c.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, tampered)));
        await app.WithDbAsync(db => db.AppConnections.Where(c => c.Id == globalId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Value, "not a ciphertext")));

        Assert.Equal(["a", "b", "c", "g"], await ListedExternalIdsAsync(app, projectId));
        (await admin.ApiGetAsync($"/api/v1/app-connections/{ids[1]}")).AssertStatus(HttpStatusCode.OK);
        (await admin.ApiGetAsync($"/api/v1/global-connections/{globalId}")).AssertStatus(HttpStatusCode.OK);
        var globals = (await admin.ApiGetAsync("/api/v1/global-connections?limit=100")).AssertStatus(HttpStatusCode.OK);
        Assert.Contains(globals.Body.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == globalId);
    }
}

public sealed class KeyLifecycleSqliteTests() : KeyLifecycleTests(DatabaseEngine.Sqlite);

public sealed class KeyLifecyclePostgresTests() : KeyLifecycleTests(DatabaseEngine.Postgres);
