using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Plugboard.Client.Tests.Infrastructure;

/// A reverse proxy on 127.0.0.1 in front of a real server that fails requests on purpose: before forwarding
/// (the server never sees the call) or after (the server did the work and the answer is lost), or holds the
/// answer back. It records every request it receives, with the key it carried.
public sealed class FaultProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Content-Length",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentQueue<Fault> _faults = new();

    private FaultProxy(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<SeenRequest> Seen { get; } = new();

    public static async Task<FaultProxy> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new FaultProxy(app, new HttpClient { BaseAddress = target });
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        proxy.BaseAddress = new Uri(address + "/");
        return proxy;
    }

    /// The next <paramref name="count"/> requests that match answer <paramref name="status"/> (with Retry-After
    /// when given); <paramref name="afterForwarding"/>: the server handles them first and its answer is dropped.
    public void Fail(int count, HttpStatusCode status, TimeSpan? retryAfter = null, bool afterForwarding = false, Func<HttpRequest, bool>? when = null)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(new Fault(status, retryAfter, afterForwarding, when ?? (_ => true), Hold: null));
        }
    }

    /// The next matching request waits this long before it is forwarded.
    public void Hold(TimeSpan delay, Func<HttpRequest, bool>? when = null) =>
        _faults.Enqueue(new Fault(HttpStatusCode.OK, null, false, when ?? (_ => true), delay));

    public int Count(string method, string pathStart) =>
        Seen.Count(s => s.Method == method && s.PathAndQuery.StartsWith(pathStart, StringComparison.Ordinal));

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        Seen.Enqueue(new SeenRequest(request.Method, request.Path + request.QueryString, request.Headers.Authorization.ToString(),
            System.Text.Encoding.UTF8.GetString(body.ToArray()), DateTimeOffset.UtcNow));
        var fault = TakeFault(request);
        if (fault?.Hold is { } hold)
        {
            await Task.Delay(hold, context.RequestAborted);
            fault = null;
        }
        if (fault is { AfterForwarding: false })
        {
            await WriteFaultAsync(context, fault);
            return;
        }
        using var forwarded = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        if (body.Length > 0 || request.ContentType is not null)
        {
            forwarded.Content = new ByteArrayContent(body.ToArray());
        }
        foreach (var (name, values) in request.Headers.Where(h => !HopHeaders.Contains(h.Key)))
        {
            if (!forwarded.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                forwarded.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
        using var answer = await _upstream.SendAsync(forwarded, context.RequestAborted);
        if (fault is not null)
        {
            await WriteFaultAsync(context, fault);
            return;
        }
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers).Where(h => !HopHeaders.Contains(h.Key)))
        {
            context.Response.Headers[name] = values.ToArray();
        }
        await answer.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private Fault? TakeFault(HttpRequest request)
    {
        lock (_faults)
        {
            if (_faults.TryPeek(out var next) && next.When(request))
            {
                _faults.TryDequeue(out _);
                return next;
            }
            return null;
        }
    }

    private static async Task WriteFaultAsync(HttpContext context, Fault fault)
    {
        context.Response.StatusCode = (int)fault.Status;
        if (fault.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync("<html>injected fault</html>");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private sealed record Fault(HttpStatusCode Status, TimeSpan? RetryAfter, bool AfterForwarding, Func<HttpRequest, bool> When, TimeSpan? Hold);
}

public sealed record SeenRequest(string Method, string PathAndQuery, string Authorization, string Body, DateTimeOffset At);
