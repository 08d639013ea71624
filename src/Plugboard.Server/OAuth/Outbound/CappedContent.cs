using System.Net;

namespace Plugboard.Server.OAuth.Outbound;

/// Wraps every response body of the guarded client, so the size cap holds even for a caller that
/// buffers with ReadAsStringAsync instead of using OutboundHttp.ReadCappedAsync.
internal sealed class CappedContent : HttpContent
{
    private readonly HttpContent inner;
    private readonly int maxBytes;

    public CappedContent(HttpContent inner, int maxBytes)
    {
        this.inner = inner;
        this.maxBytes = maxBytes;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await using var source = await inner.ReadAsStreamAsync(cancellationToken);
        await CappedBody.CopyAsync(source, stream, maxBytes, cancellationToken);
    }

    // Content-Length, when the server sent one, was copied with the other headers.
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
