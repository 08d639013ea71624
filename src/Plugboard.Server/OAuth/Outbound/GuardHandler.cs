using System.Net;

namespace Plugboard.Server.OAuth.Outbound;

/// Runs the URL rules on the exact request being sent (not on a copy a caller checked earlier), keeps
/// it on TCP, and caps the response body.
internal sealed class GuardHandler(OutboundOptions options, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is null)
        {
            throw new OutboundRefusedException("the request has no URL");
        }
        if (UrlRules.RefusalFor(request.RequestUri, options) is { } reason)
        {
            throw new OutboundRefusedException(reason);
        }
        // HTTP/3 dials over QUIC and never calls ConnectCallback, so it would bypass the address guard;
        // pinning the policy also stops an Alt-Svc header from upgrading the connection.
        if (request.Version.Major >= 3)
        {
            request.Version = HttpVersion.Version20;
        }
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentLength > options.MaxResponseBytes)
        {
            response.Dispose();
            throw OutboundRefusedException.ResponseTooLarge();
        }
        response.Content = new CappedContent(response.Content, options.MaxResponseBytes);
        return response;
    }
}
