using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Plugboard.Server.Data;

namespace Plugboard.Server.Tests.Infrastructure;

/// The real server, in process, on a <see cref="TestStorage"/>. Every log line and every response
/// body it produces is kept, so tests can scan them for secrets.
public sealed class TestApp(TestStorage storage, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null) : WebApplicationFactory<Program>
{
    public const string AdminKey = "sk-testadminkey0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij";

    public TestStorage Storage { get; } = storage;
    public LogSink Logs { get; } = new();
    public ConcurrentQueue<string> ResponseBodies { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("PLUGBOARD_DATA_DIR", Storage.DataDir);
        builder.UseSetting("PLUGBOARD_DATABASE", Storage.Database ?? "");
        builder.UseSetting("PLUGBOARD_ADMIN_API_KEY", AdminKey);
        // The token exchange is strict by default (5 at once per address), and every request of an in-memory
        // test server comes from one unknown address: lift it here; RateLimitTests set their own limits.
        // So is the address budget that refused credentials spend (300 a minute): the cross-platform matrix
        // alone presents hundreds of credentials that are refused on purpose.
        builder.UseSetting("PLUGBOARD_RATE_LIMIT_PER_IP_PER_MINUTE", "1000000");
        builder.UseSetting("PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_PER_MINUTE", "1000000");
        builder.UseSetting("PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_BURST", "1000000");
        builder.UseSetting("PLUGBOARD_RATE_LIMIT_TOKEN_EXCHANGE_VALID_PER_MINUTE", "1000000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        if (time is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton(time));
        }
        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(Logs);
        });
    }

    /// A client for the given bearer key (none when null) that records every response body.
    public HttpClient Client(string? apiKey = AdminKey)
    {
        var client = CreateDefaultClient(new RecordingHandler(ResponseBodies));
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return client;
    }

    public T WithDb<T>(Func<PlugboardDb, T> use)
    {
        using var scope = Services.CreateScope();
        return use(scope.ServiceProvider.GetRequiredService<PlugboardDb>());
    }

    public async Task<T> WithDbAsync<T>(Func<PlugboardDb, Task<T>> use)
    {
        await using var scope = Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<PlugboardDb>());
    }

    private sealed class RecordingHandler(ConcurrentQueue<string> bodies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            bodies.Enqueue(await response.Content.ReadAsStringAsync(cancellationToken));
            return response;
        }
    }
}
