using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Plugboard.Testing.FakeUpstream;

/// What the fake API received, exactly: method, path, query, every header and the body.
public sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);

/// A third-party API as the proxy meets it: a real HTTP server on an ephemeral 127.0.0.1 port that records every
/// request and answers `{"ok":true,"path":…}` (200), or what `Reply` says for a path. Safe to use while requests fly.
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private FakeUpstream(WebApplication app, string baseUrl) => (_app, BaseUrl) = (app, baseUrl);

    public string BaseUrl { get; }

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// By path: the status, body and extra headers to answer with instead of the echo; consulted on every request.
    public ConcurrentDictionary<string, Func<ReceivedRequest, (int Status, string Body, IReadOnlyDictionary<string, string> Headers)>> Reply { get; } = new();

    public static async Task<FakeUpstream> StartAsync(CancellationToken ct = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, 0);
        });
        var app = builder.Build();
        FakeUpstream? upstream = null;
        app.Run(async context => await upstream!.HandleAsync(context));
        await app.StartAsync(ct);
        upstream = new FakeUpstream(app, app.Urls.Single().TrimEnd('/'));
        return upstream;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var request = new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "",
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), await reader.ReadToEndAsync());
        _received.Enqueue(request);
        var (status, body, headers) = Reply.TryGetValue(request.Path, out var reply)
            ? reply(request)
            : (200, $$"""{"ok":true,"path":"{{request.Path}}"}""", new Dictionary<string, string>());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }
        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
