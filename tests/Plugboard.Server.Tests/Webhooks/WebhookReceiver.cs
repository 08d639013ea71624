using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Plugboard.Server.Tests.Webhooks;

/// What a receiver got: the Standard Webhooks headers and the body, exactly.
public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string Body, DateTime ReceivedAt = default)
{
    /// Verified as a receiver would, independently of the server's code: HMAC-SHA256 over "{id}.{timestamp}.{body}"
    /// with the secret's decoded bytes, compared in fixed time with each v1 signature in the header.
    public bool IsSignedWith(string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}"))));
        return Signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), expected));
    }
}

/// A real Kestrel server on 127.0.0.1 that records every webhook posted to /hooks/{name}; a name given failures
/// answers 503 that many times first.
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    public ConcurrentDictionary<string, int> FailuresLeft { get; } = new();

    /// Names whose requests are received and never answered.
    public ConcurrentDictionary<string, bool> Hanging { get; } = new();

    public string BaseUrl => _app.Urls.Single().TrimEnd('/');

    public string Url(string name) => $"{BaseUrl}/hooks/{name}";

    public IReadOnlyList<ReceivedWebhook> At(string name) => [.. Received.Where(r => r.Path == name)];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/{name}", async (HttpContext http, string name) =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            receiver.Received.Enqueue(new ReceivedWebhook(name, http.Request.Headers["webhook-id"].ToString(),
                http.Request.Headers["webhook-timestamp"].ToString(), http.Request.Headers["webhook-signature"].ToString(), body, DateTime.UtcNow));
            if (receiver.Hanging.ContainsKey(name))
            {
                // Never answers: the sender dies (or gives up) with the request out and no answer in.
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }
            if (receiver.FailuresLeft.TryGetValue(name, out var left) && left > 0)
            {
                receiver.FailuresLeft[name] = left - 1;
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
