using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Plugboard.Client.Tests.Infrastructure;
using Plugboard.Samples.TenantIntegration;

namespace Plugboard.Client.Tests.Samples;

/// The tenant-integration sample running in this process on Kestrel (a loopback port of its own), pointed at the
/// test run's Plugboard server, with its data dir in a temporary folder the test can read.
public sealed class SampleHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];

    private SampleHost(WebApplication app, Uri address, string dataDir)
    {
        _app = app;
        Address = address;
        DataDir = dataDir;
    }

    public Uri Address { get; }
    public string DataDir { get; }

    public static string NewDataDir() => Path.Combine(Path.GetTempPath(), "pb-tenant-sample-" + Guid.NewGuid().ToString("N"));

    public static async Task<SampleHost> StartAsync(PlugboardServer server, string? globalKey, string? dataDir = null)
    {
        dataDir ??= NewDataDir();
        var app = TenantIntegrationApp.Build(["--urls", "http://127.0.0.1:0"], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Plugboard:BaseAddress"] = server.BaseAddress.ToString(),
                ["Plugboard:GlobalApiKey"] = globalKey,
                ["TenantIntegration:DataDir"] = dataDir,
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SampleHost(app, new Uri(address), dataDir);
    }

    /// A client signed in as a user of <paramref name="tenantId"/> (the sample's header stand-in for real sign-in).
    public HttpClient As(string tenantId, string userId = "user-1")
    {
        var http = Anonymous();
        http.DefaultRequestHeaders.Add("X-Tenant-Id", tenantId);
        http.DefaultRequestHeaders.Add("X-User-Id", userId);
        return http;
    }

    public HttpClient Anonymous()
    {
        var http = new HttpClient { BaseAddress = new Uri(Address, "/api/integration/plugboard/") };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        lock (_clients)
        {
            _clients.Add(http);
        }
        return http;
    }

    /// Every byte the sample keeps on disk (the SQLite file and its journal, the key ring), to look for a secret in.
    public byte[] EverythingOnDisk()
    {
        SqliteConnection.ClearAllPools();
        return Directory.EnumerateFiles(DataDir, "*", SearchOption.AllDirectories)
            .SelectMany(path =>
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                file.CopyTo(copy);
                return copy.ToArray();
            })
            .ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var http in _clients)
        {
            http.Dispose();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }

    public static void DeleteDataDir(string dataDir)
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(dataDir))
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}

/// The sample's answers as the front end reads them: status, raw body, parsed body.
public sealed record SampleAnswer(System.Net.HttpStatusCode Status, string Raw, string? ContentType)
{
    public JsonElement Body => JsonDocument.Parse(Raw).RootElement;

    public string Str(string name) => Body.GetProperty(name).GetString()!;

    public static async Task<SampleAnswer> ReadAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        return new SampleAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }
}

public static class SampleCalls
{
    public static Task<SampleAnswer> ApiGetAsync(this HttpClient http, string path) => SampleAnswer.ReadAsync(http.GetAsync(path));

    public static Task<SampleAnswer> ApiPostAsync(this HttpClient http, string path, object body) => SampleAnswer.ReadAsync(http.PostAsJsonAsync(path, body));

    public static Task<SampleAnswer> ApiPatchAsync(this HttpClient http, string path, object body) => SampleAnswer.ReadAsync(http.PatchAsJsonAsync(path, body));

    public static Task<SampleAnswer> ApiDeleteAsync(this HttpClient http, string path) => SampleAnswer.ReadAsync(http.DeleteAsync(path));

    public static SampleAnswer Expect(this SampleAnswer answer, System.Net.HttpStatusCode status)
    {
        Assert.True(answer.Status == status, $"Expected {(int)status}, got {(int)answer.Status}: {answer.Raw}");
        return answer;
    }
}
