using System.Diagnostics;
using System.Net;
using Plugboard.Server.Engine;
using Plugboard.Server.Http;
using Plugboard.Server.OAuth.Outbound;

namespace Plugboard.Server.Proxy;

/// Who calls through the proxy, for whom, and on what: the platform and project, the externalId, whether only
/// embedded connections count, the actor the audit trail names, and whether a test run (its definition's test
/// credential instead of the production one).
public sealed record ProxyCall(string PlatformId, string ProjectId, string ExternalId, bool EmbeddedOnly, string ActorType, string ActorId, string? Path,
    QueryString Query, bool TestRun = false);

/// What is sent upstream besides the credential: the method, the body (whole, so a retry after a refresh can send it
/// again), its content type, and the caller's forwarded headers.
public sealed record ProxyRequest(string Method, byte[] Body, string? ContentType, IReadOnlyList<KeyValuePair<string, string[]>> Headers);

/// Makes the call with the credential injected: through the SSRF-guarded outbound client, with the caller's method,
/// path, query, body, Content-Type and Accept, never its Authorization, cookies or hop-by-hop headers. An OAuth2
/// connection answered 401 is refreshed once (forced) and the call made once more. The upstream's status, safe
/// headers and body (streamed, capped) go back; the call is audited (never a header value or a body).
public sealed class ProxyForwarder(ProxyTargets targets, OutboundHttp outbound, ProxyOptions options, ReadAudit audit, TimeProvider time)
{
    /// Marks an answer that is the upstream's, passed on.
    public const string UpstreamHeader = "Plugboard-Upstream";

    private static readonly string[] ForwardedHeaders = ["Accept", "Accept-Language", "If-None-Match", "If-Match", "If-Modified-Since", "If-Unmodified-Since"];

    private static readonly HashSet<string> ReturnedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Language", "Content-Disposition", "Cache-Control", "ETag", "Last-Modified", "Expires", "Retry-After", "Location",
    };

    /// The HTTP route's call: the caller's request forwarded, the upstream's answer streamed back.
    public async Task<IResult> ForwardAsync(HttpContext http, ProxyCall call, CancellationToken ct)
    {
        var headers = ForwardedHeaders.Where(name => http.Request.Headers.ContainsKey(name))
            .Select(name => KeyValuePair.Create(name, http.Request.Headers[name].OfType<string>().ToArray())).ToList();
        var request = new ProxyRequest(http.Request.Method, await ReadBodyAsync(http.Request, ct), http.Request.ContentType, headers);
        var sent = await SendAsync(call, request, ct);
        return sent.TryGetValue(out var response, out var error) ? new ProxiedResponse(response, options.MaxResponseBytes) : new ApiErrorResult(error);
    }

    /// Makes the call: the upstream's response (headers read, body not yet), or the error to answer instead when nothing
    /// could be sent or nothing came back. The caller disposes the response.
    public async Task<Outcome<HttpResponseMessage>> SendAsync(ProxyCall call, ProxyRequest request, CancellationToken ct)
    {
        HttpResponseMessage? response = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var resolved = await targets.ResolveAsync(call, forceRefresh: attempt > 0, ct);
            if (!resolved.TryGetValue(out var target, out var refused))
            {
                response?.Dispose();
                return refused;
            }
            var url = ProxyPath.Compose(target.BaseUrl, call.Path, WithInjected(call.Query, target));
            if (!url.TryGetValue(out var upstream, out var badPath))
            {
                response?.Dispose();
                return badPath;
            }
            if (outbound.RefusalFor(upstream) is { } refusal)
            {
                response?.Dispose();
                return ApiError.Validation($"The proxy may not call this connection's API: {refusal}.", "path");
            }
            response?.Dispose();
            var started = Stopwatch.GetTimestamp();
            try
            {
                response = await outbound.Client.SendAsync(Upstream(request, upstream, target), HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (OutboundRefusedException e)
            {
                return ApiError.Validation($"The proxy may not call this connection's API: {e.Message}.", "path");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                await AuditAsync(request.Method, call, target, upstream, 0, started, ct);
                return ApiError.Http(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamUnavailable,
                    $"The connection's API did not answer ({(e is TaskCanceledException ? "timed out" : "unreachable")}): {upstream.Host}.");
            }
            await AuditAsync(request.Method, call, target, upstream, (int)response.StatusCode, started, ct);
            if (response.StatusCode != HttpStatusCode.Unauthorized || !target.Connection.IsOAuth || attempt > 0)
            {
                break;
            }
        }
        return response!;
    }

    private static QueryString WithInjected(QueryString query, ProxyTarget target) =>
        target.Query.Aggregate(query, (q, p) => q.Add(p.Key, p.Value));

    private static HttpRequestMessage Upstream(ProxyRequest incoming, Uri upstream, ProxyTarget target)
    {
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), upstream);
        if (incoming.Body.Length > 0 || !HttpMethods.IsGet(incoming.Method) && !HttpMethods.IsDelete(incoming.Method))
        {
            request.Content = new ByteArrayContent(incoming.Body);
            if (incoming.ContentType is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }
        foreach (var (name, values) in incoming.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, values);
        }
        foreach (var (name, value) in target.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    /// The caller's body, whole (the request size limit already bounds it), so a retry after a refresh can send it again.
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private ValueTask AuditAsync(string method, ProxyCall call, ProxyTarget target, Uri upstream, int status, long started, CancellationToken ct) =>
        audit.RecordAsync(new ConnectionRead(call.PlatformId, call.ProjectId, target.Connection.Id, target.Connection.ExternalId, call.ActorId, time.UtcNow(),
            new ProxiedCall(method, upstream.Host, upstream.AbsolutePath, status, Stopwatch.GetElapsedTime(started).TotalMilliseconds), call.ActorType), ct);

    /// The upstream's answer passed on: status, the safe headers, and the body streamed up to the cap.
    private sealed class ProxiedResponse(HttpResponseMessage response, long maxBytes) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            using (response)
            {
                if (response.Content.Headers.ContentLength > maxBytes)
                {
                    await new ApiErrorResult(ApiError.Http(StatusCodes.Status502BadGateway, ErrorCodes.UpstreamUnavailable,
                        $"The connection's API answered more than {maxBytes} bytes (PLUGBOARD_PROXY_MAX_RESPONSE_BYTES).")).ExecuteAsync(http);
                    return;
                }
                http.Response.StatusCode = (int)response.StatusCode;
                // Set by the server only (the upstream's own header of that name is not in ReturnedHeaders): an answer
                // without it is Plugboard's own refusal, in the contract's error body.
                http.Response.Headers[UpstreamHeader] = "true";
                foreach (var header in response.Headers.Concat(response.Content.Headers).Where(h => ReturnedHeaders.Contains(h.Key)))
                {
                    http.Response.Headers[header.Key] = header.Value.ToArray();
                }
                http.Response.Headers.CacheControl = response.Headers.CacheControl?.ToString() ?? "no-store";
                await using var upstream = await response.Content.ReadAsStreamAsync(http.RequestAborted);
                var buffer = new byte[16 * 1024];
                long sent = 0;
                int read;
                while ((read = await upstream.ReadAsync(buffer, http.RequestAborted)) > 0)
                {
                    sent += read;
                    if (sent > maxBytes)
                    {
                        // Past the cap mid-stream: the status is gone, so the response is cut off rather than completed.
                        http.Abort();
                        return;
                    }
                    await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted);
                }
            }
        }
    }
}
